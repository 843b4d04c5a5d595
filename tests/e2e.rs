//! End-to-end tests: the real `briefing` binary in a pseudo-terminal
//! (`testkit`), for what needs one: the first frame as a terminal shows it,
//! resizes racing start-up, quitting with the terminal restored, and plain
//! output when standard output is not a terminal.
//!
//! What a screen shows after keys (moving, scrolling, searching, n/N, Esc,
//! resizing) is tested a layer down, in-process through the real keymap,
//! as whole screens: `src/ui/tests/`. Every test here waits on screen
//! conditions, never on fixed sleeps.

use std::path::Path;

use briefing::app::App;
use briefing::doc::Doc;
use briefing::report::Report;
use briefing_testkit::browser::{quit, wait_position};
use briefing_testkit::run::text;
use briefing_testkit::{DEFAULT_TIMEOUT, Pty, Scratch, THEMES, TITLE, bin, screen, seed};

/// `briefing args` at `cols` x `rows` in `dir`, once its first frame shows.
fn start(dir: &Scratch, args: &[&str], cols: u16, rows: u16) -> Pty {
    let p = dir.spawn(bin!()).args(args).size(cols, rows).start();
    wait_position(&p, 1, 7);
    p
}

/// The repository's report.toml, as an argument.
fn report_arg() -> String {
    seed::report().to_string_lossy().into_owned()
}

/// The real binary draws exactly what the in-process render draws (which
/// `src/ui/tests` checks screen by screen): the built-in report when the
/// directory has no report.toml and no file is named, and the repository's
/// report.toml named explicitly (the same text).
#[test]
fn the_first_screen_in_a_terminal_is_the_rendered_one() {
    let dir = Scratch::new("first");
    assert!(!Path::new(&dir.path("report.toml")).exists());
    let want = briefing::script::screen(&App::bare(Doc::new(&Report::builtin()), 80, 24));
    for args in [vec![], vec![report_arg()]] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut p = start(&dir, &args, 80, 24);
        p.wait_settled(&format!("{args:?}: the rendered first screen"), |s| {
            screen::all_rows(s) == want
        });
        quit(&mut p);
    }
}

/// Whether the 40x12 screen is in the stacked layout: the rule under the
/// list (which ends in how many themes it hides) on row 4.
fn stacked(s: &vt100::Screen) -> bool {
    let rule = screen::row(s, 4);
    rule.starts_with(&"─".repeat(30)) && rule.chars().count() == 40
}

/// A window resized just as the program starts must still be redrawn at the
/// new size. Repeated because the window is a few milliseconds wide.
#[test]
fn resize_right_after_start_is_not_lost() {
    let report = report_arg();
    for round in 0..10 {
        let dir = Scratch::new(&format!("resize-early-{round}"));
        let mut p = dir.spawn(bin!()).arg(&report).start();
        // As soon as the first frame shows (not settled: the race is the point).
        p.wait_for("first frame", DEFAULT_TIMEOUT, |s| {
            screen::status(s).ends_with("1/7")
        });
        p.resize(40, 12);
        p.wait_settled(&format!("round {round}: stacked layout at 40x12"), |s| {
            stacked(s) && screen::status(s).ends_with("1/7")
        });
        quit(&mut p);
    }
}

/// When a resize went unnoticed (above), ratatui still resizes its buffer on
/// the next draw while the state keeps the old size: the next key must not
/// crash the program.
#[test]
fn a_key_after_an_unnoticed_resize_does_not_crash() {
    let report = report_arg();
    for round in 0..20 {
        let dir = Scratch::new(&format!("resize-crash-{round}"));
        let mut p = dir.spawn(bin!()).arg(&report).start();
        p.wait_for("first frame", DEFAULT_TIMEOUT, |s| {
            screen::status(s).ends_with("1/7")
        });
        p.resize(40, 12);
        p.settle_default();
        let unnoticed = !stacked(&p.screen());
        p.key("j");
        p.wait_settled(
            &format!("round {round}: 2/7 in the stacked layout after j"),
            |s| stacked(s) && screen::position(s) == Some((2, 7)),
        );
        quit(&mut p);
        if unnoticed {
            return; // the case this test is about happened, and was survived
        }
    }
}

/// q, Ctrl-C, and Ctrl-C in the search bar: exit 0, the alternate screen
/// left, the cursor shown, mouse reporting off.
#[test]
fn q_and_ctrl_c_exit_zero_and_restore_the_terminal() {
    for (name, prelude, quit_key) in [
        ("q", None, "q"),
        ("ctrl-c", None, "C-c"),
        ("ctrl-c-in-search", Some("/"), "C-c"),
    ] {
        let dir = Scratch::new(&format!("quit-{name}"));
        let mut p = start(&dir, &[&report_arg()], 80, 24);
        assert!(
            briefing_testkit::find(&p.raw(), briefing_testkit::ALT_SCREEN_ON).is_some(),
            "{name}: never entered the alternate screen"
        );
        assert!(
            p.screen().alternate_screen(),
            "{name}: not on the alternate screen"
        );
        if let Some(k) = prelude {
            p.key(k);
            p.wait_settled("search bar", |s| screen::status(s).starts_with("Zoek:"));
        }
        p.key(quit_key);
        assert_eq!(p.wait_exit(DEFAULT_TIMEOUT), Some(0), "{name}: exit code");
        p.wait_eof(DEFAULT_TIMEOUT);
        let raw = p.raw();
        assert!(
            briefing_testkit::restored(&raw) && briefing_testkit::mouse_off(&raw),
            "{name}: terminal not restored; tail {}",
            briefing_testkit::escape(&raw[raw.len().saturating_sub(200)..])
        );
        let s = p.screen();
        assert!(
            !s.alternate_screen(),
            "{name}: still on the alternate screen"
        );
        assert!(!s.hide_cursor(), "{name}: cursor still hidden");
        assert_eq!(
            s.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "{name}: mouse reporting left on"
        );
    }
}

/// `briefing args` with standard output piped: exit status and stdout,
/// after checking that nothing went to stderr.
fn plain(args: &[&str]) -> (Option<i32>, Vec<u8>) {
    let dir = Scratch::new(&format!("plain-{}", args.len()));
    let out = dir.run(bin!()).args(args).output();
    assert!(out.stderr.is_empty(), "stderr: {}", text(&out.stderr));
    (out.status.code(), out.stdout)
}

/// Standard output not a terminal: plain text, no escape sequences;
/// `--search` prints one "Theme: text" line per matching block, like grep,
/// and exits 1 when nothing matches.
#[test]
fn plain_output_when_stdout_is_not_a_terminal() {
    let report = report_arg();

    let (status, out) = plain(&["--search", "crisis", &report]);
    assert_eq!(status, Some(0), "--search crisis exit status");
    assert!(!out.contains(&0x1b), "escape byte in --search output");
    let out = String::from_utf8(out).expect("utf-8");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() >= 2, "too few matching lines:\n{out}");
    let mut themes = Vec::new();
    for line in &lines {
        let theme = THEMES
            .iter()
            .find(|t| line.starts_with(&format!("{t}: ")))
            .unwrap_or_else(|| panic!("line does not start with 'Theme: ': {line:?}"));
        assert!(
            line.to_lowercase().contains("crisis"),
            "non-matching line {line:?}"
        );
        if !themes.contains(theme) {
            themes.push(*theme);
        }
    }
    assert!(themes.len() >= 2, "matches from one theme only: {themes:?}");

    let (status, out) = plain(&["--search", "zzzqqq", &report]);
    assert_eq!(status, Some(1), "no match: exit 1 like grep");
    assert!(out.is_empty(), "output for no match: {}", text(&out));

    // The whole report: no escape sequences, every theme, exit 0.
    for args in [
        vec![report.as_str()],
        vec!["--color", "always", report.as_str()],
        vec![],
    ] {
        let (status, out) = plain(&args);
        assert_eq!(status, Some(0), "{args:?}: exit status");
        assert!(!out.contains(&0x1b), "{args:?}: ESC byte in plain output");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains(TITLE), "{args:?}: no report title");
        for t in THEMES {
            assert!(
                text.lines().any(|l| l.trim() == t),
                "{args:?}: theme {t:?} missing:\n{text}"
            );
        }
        assert!(
            text.contains("Het Nederlands Instituut"),
            "{args:?}: no body text"
        );
        assert!(
            text.contains("(geen tekst)"),
            "{args:?}: no placeholder for the empty theme"
        );
        assert!(
            text.lines().all(|l| l.chars().count() <= 80),
            "{args:?}: line wider than 80"
        );
    }
}

/// In a pipe, plain output wraps to `COLUMNS` when it is set (as `man` and
/// `less` do), else to 80; `--width` wins over both.
#[test]
fn plain_output_in_a_pipe_wraps_to_columns() {
    let report = report_arg();
    let widest = |env: Option<&str>, args: &[&str]| {
        let dir = Scratch::new("plain-columns");
        let mut run = dir.run(bin!()).args(args).arg(&report);
        if let Some(columns) = env {
            run = run.env("COLUMNS", columns);
        }
        let out = run.output();
        assert!(out.stderr.is_empty(), "stderr: {}", text(&out.stderr));
        let out = String::from_utf8(out.stdout).expect("utf-8");
        out.lines().map(|l| l.chars().count()).max().unwrap_or(0)
    };
    assert_eq!(widest(Some("40"), &["--plain"]), 40);
    assert!((70..=80).contains(&widest(None, &["--plain"])));
    assert_eq!(widest(Some("40"), &["--plain", "--width", "60"]), 60);
    assert!(
        (70..=80).contains(&widest(Some("junk"), &["--plain"])),
        "COLUMNS not a number"
    );
}

/// `--help` fits the terminal it is read in: wrapped to `COLUMNS` in a
/// pipe (a terminal's own width otherwise), as the plain output is.
#[test]
fn help_wraps_to_the_width_it_is_read_at() {
    let dir = Scratch::new("help-columns");
    for columns in ["40", "60"] {
        let out = dir
            .run(bin!())
            .arg("--help")
            .env("COLUMNS", columns)
            .output();
        assert_eq!(out.status.code(), Some(0));
        let help = String::from_utf8(out.stdout).expect("utf-8");
        let width: usize = columns.parse().expect("a number");
        let over: Vec<&str> = help.lines().filter(|l| l.chars().count() > width).collect();
        assert!(over.is_empty(), "lines wider than {columns}: {over:#?}");
        assert!(help.contains("--width"), "the whole help: {help}");
    }
}
