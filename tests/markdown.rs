//! A Markdown report in the running browser: live reload of a `.md` file
//! (and of a file read with `--format md`), its errors in the status line
//! with file:line:column, and `--changed` on it: all work because both
//! readers build the same report and everything after loading is shared.
//!
//! The browser runs in a pseudo-terminal; every wait is on the screen.

mod common;

use std::path::Path;

use briefing_testkit::pty::{DEFAULT_TIMEOUT, Pty, Spawn};
use briefing_testkit::run::{Run, text};
use briefing_testkit::{Scratch, restored};

const NOTES: &str = "# Notes from the crisis room\n\n## Situation\n\nStatus: new\nOwner: GHOR\n\nThe river is rising.\n\n- Two care homes in the area.\n\n## Press\n\n- [ ] Draft a press release [owner:: Communication]\n";

fn start(s: &Scratch, args: &[&str]) -> Pty {
    Spawn::new(common::bin())
        .args(args)
        .size(100, 30)
        .cwd(s.dir())
        .env("XDG_STATE_HOME", s.state().to_string_lossy())
        .start()
}

fn quit(p: &mut Pty) {
    p.key("q");
    assert_eq!(p.wait_exit(DEFAULT_TIMEOUT), Some(0), "q must exit 0");
    p.wait_eof(DEFAULT_TIMEOUT);
    assert!(restored(&p.raw()), "terminal not restored after q");
}

fn last_row(s: &vt100::Screen) -> String {
    s.contents()
        .lines()
        .last()
        .unwrap_or("")
        .trim_end()
        .to_owned()
}

fn reloads(name: &str, args: &[&str]) {
    let s = Scratch::new(name);
    let file = s.write(args[args.len() - 1], NOTES);
    let mut p = start(&s, args);
    p.wait_for("the Markdown report", DEFAULT_TIMEOUT, |sc| {
        let t = sc.contents();
        t.contains("Notes from the crisis room")
            && t.contains("The river is rising.")
            && last_row(sc).ends_with("1/2")
    });
    // A broken version: the last good report stays, the error names the place.
    std::fs::write(&file, NOTES.replace("Owner: GHOR", "Eigenaar: GHOR")).expect("break");
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_owned();
    p.wait_for("the error with file:line:column", DEFAULT_TIMEOUT, |sc| {
        last_row(sc).starts_with(&format!(
            "{name}:6:1: unknown key `Eigenaar` in the status block"
        )) && sc.contents().contains("The river is rising.")
    });
    // Fixed, with a change: the error goes, the new text comes, no key pressed.
    std::fs::write(
        &file,
        NOTES.replace("The river is rising.", "The river has peaked."),
    )
    .expect("rewrite");
    p.wait_for("the new text", DEFAULT_TIMEOUT, |sc| {
        let t = sc.contents();
        t.contains("The river has peaked.")
            && !t.contains("is rising")
            && !last_row(sc).contains(&name)
    });
    quit(&mut p);
}

#[test]
fn a_markdown_report_reloads_live_and_shows_its_errors() {
    reloads("md-live", &["notes.md"]);
}

#[test]
fn a_report_read_with_format_md_reloads_as_markdown() {
    reloads("md-live-format", &["--format", "md", "notes.txt"]);
}

#[test]
fn changed_works_on_a_markdown_report() {
    let s = Scratch::new("md-changed");
    s.write("notes.md", NOTES);
    let run = || {
        Run::new(common::bin())
            .cwd(s.dir())
            .env("XDG_STATE_HOME", s.state())
            .args(&["--changed", "--width", "80", "notes.md"])
            .output()
    };
    let first = text(&run().stdout);
    assert!(
        first.contains("== Situation (new)") && first.contains("== Press (new)"),
        "{first}"
    );
    assert_eq!(text(&run().stdout), "no changes since last time\n");
    s.write(
        "notes.md",
        NOTES.replace(
            "- Two care homes in the area.",
            "- Two care homes, one evacuated.",
        ),
    );
    let third = text(&run().stdout);
    assert!(
        third.contains("== Situation (changed)")
            && third.contains("+ • Two care homes, one evacuated."),
        "{third}"
    );
    assert!(!third.contains("Press"), "{third}");
    assert!(Path::new(&s.path("notes.md")).exists());
}
