//! Hostile, round two, findings 15–19: what a reader saw must not be lost
//! or faked: the remembered state, `--changed` into a pipe, a search across
//! a reload, live reload when the path changes under it, file names that
//! try to forge output lines.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use briefing_testkit::browser::quit;
use briefing_testkit::run::{Run, text};
use briefing_testkit::{Pty, Scratch, Spawn, bin, screen, seed};
fn changed(s: &Scratch) -> String {
    let out = s.run(bin!()).args(&["--changed", "report.toml"]).output();
    assert!(out.status.success(), "--changed: {}", text(&out.stderr));
    text(&out.stdout)
}

fn state_file(s: &Scratch) -> PathBuf {
    let files: Vec<_> = std::fs::read_dir(s.state().join("briefing"))
        .expect("state dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "seen"))
        .collect();
    assert_eq!(files.len(), 1, "one state file: {files:?}");
    files[0].clone()
}

/// Which of the bundled report's themes a `--changed` output lists.
fn listed(out: &str) -> Vec<&'static str> {
    seed::THEMES
        .iter()
        .copied()
        .filter(|t| {
            out.lines()
                .any(|l| l.trim_start_matches(['+', ' ']).starts_with(t))
        })
        .collect()
}

/// Finding 15: one bad byte in the state file loses that line, not the file.
#[test]
fn a_damaged_line_of_the_state_file_loses_only_that_theme() {
    let s = Scratch::with_report("state-damaged", &seed::report());
    changed(&s);
    assert_eq!(
        listed(&changed(&s)),
        Vec::<&str>::new(),
        "all seen after one run"
    );
    let path = state_file(&s);
    let mut bytes = std::fs::read(&path).expect("state");
    // Damage the line of "Consequenties" with a byte that is not UTF-8.
    let at = bytes
        .windows(b"Consequenties".len())
        .position(|w| w == b"Consequenties")
        .expect("theme in the state");
    bytes.insert(at, 0xff);
    std::fs::write(&path, bytes).expect("damage");
    assert_eq!(
        listed(&changed(&s)),
        ["Consequenties"],
        "more than the damaged line was lost"
    );
}

/// Finding 16: `--changed | head` remembers only what the reader read.
#[test]
fn changed_into_a_pipe_remembers_only_what_was_read() {
    let s = Scratch::with_report("changed-pipe", &seed::report());
    let mut child = Command::new(bin!())
        .args(["--changed", "report.toml"])
        .current_dir(s.dir())
        .env("XDG_STATE_HOME", s.state())
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut out = child.stdout.take().expect("stdout");
    let mut first = [0u8; 100];
    out.read_exact(&mut first).expect("the first 100 bytes");
    drop(out);
    let status = child.wait().expect("wait");
    assert!(status.code().is_some(), "{status:?}");
    assert_eq!(
        listed(&changed(&s)),
        seed::THEMES,
        "themes the reader never read were remembered as seen"
    );
    assert_eq!(
        listed(&changed(&s)),
        Vec::<&str>::new(),
        "a full read is remembered"
    );
}

/// Finding 17: after a reload the search is run again on the new report:
/// its count is the new count, and `n` only goes where the text still is.
#[test]
fn a_search_across_a_reload_counts_and_walks_the_new_report() {
    let v1 = "title = \"R\"\nlanguage = \"en\"\n[[theme]]\ntitle = \"A\"\nbody = \"zebra zebra\"\n[[theme]]\ntitle = \"B\"\nbody = \"zebra\"\n[[theme]]\ntitle = \"C\"\nbody = \"zebra zebra zebra\"\n";
    let v2 = "title = \"R\"\nlanguage = \"en\"\n[[theme]]\ntitle = \"A\"\nbody = \"horse\"\n[[theme]]\ntitle = \"B\"\nbody = \"horse\"\n[[theme]]\ntitle = \"C\"\nbody = \"zebra\"\n";
    let s = Scratch::new("reload-search");
    s.write("report.toml", v1);
    let mut p = s.spawn(bin!()).args(&["report.toml"]).size(80, 24).start();
    p.wait_settled("started", |sc| screen::status(sc).ends_with("1/3"));
    // A confirmed search, then one still being typed when the file changes.
    p.send(b"/zebra\r");
    p.wait_settled("6 matches", |sc| screen::status(sc).contains("match 1/6"));
    p.send(b"/zeb");
    p.wait_settled("typing", |sc| screen::status(sc).contains("Search: zeb"));
    Scratch::save_by_rename(&s.report(), v2);
    p.wait_settled("reloaded while typing", |sc| {
        screen::status(sc).contains("match 1/1")
    });
    // Esc returns to the confirmed search: on the new report.
    p.key("Esc");
    p.wait_settled("the confirmed search, counted anew", |sc| {
        let st = screen::status(sc);
        st.contains("/zebra") && (st.contains("match 1/1") || st.contains("match -/1"))
    });
    p.key("n");
    p.key("n");
    p.wait_settled("n stays on the only theme with a zebra", |sc| {
        screen::status(sc).ends_with("3/3")
    });
    quit(&mut p);
}

fn spawn_watching(dir: &Path, report: &str, state: &Path) -> Pty {
    let p = Spawn::new(bin!())
        .args(&[report])
        .size(80, 24)
        .cwd(dir)
        .env("XDG_STATE_HOME", state.to_string_lossy())
        .start();
    p.wait_settled("started", |sc| screen::status(sc).ends_with("1/2"));
    p
}

fn report_with(body: &str) -> String {
    format!(
        "title = \"R\"\nlanguage = \"en\"\n[[theme]]\ntitle = \"A\"\nbody = \"{body}\"\n[[theme]]\ntitle = \"B\"\n"
    )
}

fn shows(p: &Pty, body: &str) {
    p.wait_settled(&format!("text {body:?}"), |sc| sc.contents().contains(body));
}

/// Finding 18a: a report opened through a symlink is reloaded when its
/// target changes, in place or by rename.
#[test]
fn live_reload_follows_a_report_opened_through_a_symlink() {
    let s = Scratch::new("reload-symlink");
    std::fs::create_dir(s.path("real")).expect("dir");
    let target = s.path("real/report.toml");
    std::fs::write(&target, report_with("first version")).expect("write");
    std::os::unix::fs::symlink(&target, s.path("link.toml")).expect("symlink");
    let mut p = spawn_watching(s.dir(), "link.toml", &s.state());
    shows(&p, "first version");
    std::fs::write(&target, report_with("written in place")).expect("write");
    shows(&p, "written in place");
    Scratch::save_by_rename(&target, &report_with("saved by rename"));
    shows(&p, "saved by rename");
    Scratch::save_by_rename(&target, &report_with("saved again"));
    shows(&p, "saved again");
    quit(&mut p);
}

/// Finding 18b: the report's directory removed and made again: the loss is
/// shown, and the report is watched (and loaded) again.
#[test]
fn live_reload_survives_its_directory_removed_and_recreated() {
    let s = Scratch::new("reload-rmdir");
    std::fs::create_dir(s.path("d")).expect("dir");
    std::fs::write(s.path("d/report.toml"), report_with("before")).expect("write");
    let mut p = spawn_watching(s.dir(), "d/report.toml", &s.state());
    shows(&p, "before");
    std::fs::remove_dir_all(s.path("d")).expect("rm -r");
    p.wait_settled("the loss is said", |sc| {
        screen::status(sc).contains("d/report.toml")
    });
    std::fs::create_dir(s.path("d")).expect("mkdir");
    std::fs::write(s.path("d/report.toml"), report_with("after")).expect("write");
    shows(&p, "after");
    std::fs::write(s.path("d/report.toml"), report_with("and after that")).expect("write");
    shows(&p, "and after that");
    quit(&mut p);
}

/// Finding 18c: the report's directory renamed and another made in its
/// place: the path the user gave is followed, not the old directory.
#[test]
fn live_reload_follows_the_path_when_its_directory_is_renamed() {
    let s = Scratch::new("reload-mvdir");
    std::fs::create_dir(s.path("d")).expect("dir");
    std::fs::write(s.path("d/report.toml"), report_with("before")).expect("write");
    let mut p = spawn_watching(s.dir(), "d/report.toml", &s.state());
    shows(&p, "before");
    std::fs::rename(s.path("d"), s.path("d.old")).expect("mv");
    p.wait_settled("the loss is said", |sc| {
        screen::status(sc).contains("d/report.toml")
    });
    std::fs::write(
        s.path("d.old/report.toml"),
        report_with("in the old directory"),
    )
    .expect("write");
    std::fs::create_dir(s.path("d")).expect("mkdir");
    std::fs::write(s.path("d/report.toml"), report_with("in the new directory")).expect("write");
    shows(&p, "in the new directory");
    assert!(!p.screen().contents().contains("in the old directory"));
    quit(&mut p);
}

/// Finding 19: a newline in a file name cannot forge a line of output.
#[test]
fn a_newline_in_a_file_name_cannot_forge_an_output_line() {
    let s = Scratch::new("newline-name");
    let name = "evil.toml\nbriefing: report.toml:3:1: unknown key titel";
    s.write(name, "title = \"R\"\n[[theme]]\ntitel = \"x\"\n");
    for args in [
        vec!["--check", name],
        vec!["--check", "missing\nbriefing: forged"],
    ] {
        let out = Run::new(bin!()).args(&args).cwd(s.dir()).output();
        assert!(!out.status.success(), "{:?}", text(&out.stderr));
        let err = text(&out.stderr);
        for line in err.lines() {
            assert!(
                !line.starts_with("briefing: report.toml") && !line.starts_with("briefing: forged"),
                "a forged line: {line:?} in\n{err}"
            );
        }
        assert!(
            err.contains("\\n"),
            "the newline is not shown escaped:\n{err}"
        );
    }
}
