//! Hostile input and faults: reports that try to control the terminal, odd
//! and wide Unicode, files that are not reports, and the ways a session can
//! end (this file), and round two (the modules): other local users, the
//! input stream, signals, remembered state and resources. Every case asserts
//! the exact behaviour on what the binary really writes: the raw bytes of a
//! pseudo-terminal session, the piped stdout of plain output and `--check`,
//! and stderr.
//!
//! Fixtures live in `tests/data/hostile/`; large or pathological inputs
//! (1 MB lines, 1,000-deep nesting, a 65 MiB sparse file) are made at run
//! time in a scratch directory.
//!
//! Round two, finding by finding (issue "Hostile, round two"); each test
//! failed on the code before the fix:
//!
//! | # | finding | test |
//! |---|---------|------|
//! | 1 | `--share` into the report (same name, hard link, symlink) | `files::sharing_into_the_report_itself_is_refused` |
//! | 2a | a symlink planted at the temporary name | `files::a_planted_symlink_never_redirects_the_position_write`; unit: `atomic::tests::a_symlink_in_place_of_the_target_is_replaced_not_followed` |
//! | 2b | a file planted at the temporary name | `files::a_planted_temporary_file_neither_stops_updates_nor_changes_the_owner` |
//! | 2c | a squatted position file, a forged `pid = 1` | `files::a_squatted_position_file_is_refused_and_shown_for_what_it_is`, `files::a_follower_refuses_a_position_file_others_can_write`; unit: `share::tests::a_process_of_another_user_is_not_the_presenter` |
//! | 3 | sharing failures never shown | `files::sharing_failures_are_shown_in_the_presenters_footer` |
//! | 4 | state world-readable, umask 000 | `files::remembered_state_is_private_whatever_the_umask`; unit: `state::tests::*` |
//! | 5 | bursts stranded or freezing input | `input::input_bursts_are_read_whole`; unit: `input::tests::a_burst_is_decoded_whole` |
//! | 6 | an unknown reply or endless paste wedges input | `input::an_unknown_reply_or_an_endless_paste_never_wedges_input`; unit: `input::tests::nothing_waits_forever_for_an_end` |
//! | 7 | replies read as keys | `input::terminal_replies_are_never_read_as_keys`; property: `input::tests::exactly_the_keys_arrive_whatever_the_reads` |
//! | 8 | `--search` quadratic at start-up | `resources::a_long_start_up_query_is_searched_once` |
//! | 9 | resizes not coalesced | `resources::a_resize_storm_is_laid_out_once_for_the_last_size` |
//! | 10 | SIGTERM while busy, no restore | `signals::sigterm_while_the_loop_is_busy_restores_the_terminal` |
//! | 11 | external SIGTSTP | `signals::an_external_sigtstp_suspends_like_ctrl_z` |
//! | 12 | SIGTERM right after start | `signals::sigterm_at_once_after_start_restores_the_terminal` |
//! | 13 | UTF-8 sent to a non-UTF-8 terminal | `signals::a_non_utf8_terminal_gets_only_ascii`; unit: `text::ascii::tests::*` |
//! | 14 | panics when stdout or stderr fails | `signals::unwritable_output_is_an_error_not_a_panic` |
//! | 15 | one bad byte loses the whole state | `data::a_damaged_line_of_the_state_file_loses_only_that_theme`; unit: `state::tests::a_damaged_line_loses_only_its_theme` |
//! | 16 | `--changed \| head` marks everything seen | `data::changed_into_a_pipe_remembers_only_what_was_read` |
//! | 17 | a reload keeps stale matches | `data::a_search_across_a_reload_counts_and_walks_the_new_report` |
//! | 18 | live reload lost: symlink, directory removed or renamed | `data::live_reload_follows_a_report_opened_through_a_symlink`, `data::live_reload_survives_its_directory_removed_and_recreated`, `data::live_reload_follows_the_path_when_its_directory_is_renamed` |
//! | 19 | a newline in a file name forges a line | `data::a_newline_in_a_file_name_cannot_forge_an_output_line`; unit: `text::tests::a_path_is_shown_on_one_line_and_inert` |
//! | 20 | combining marks uncapped | `resources::a_combining_mark_bomb_is_capped_per_cell`; unit: `text::escape::tests::runs_of_combining_marks_are_cut_at_the_cap` |
//! | 21 | huge windows | `resources::a_huge_window_is_drawn_in_a_capped_area` |
//! | 22 | follow problems cut and worded for reports | `resources::follow_problems_are_worded_for_position_files_and_shown_whole`; unit: `share::tests::a_device_or_a_link_is_not_a_position_file` |
//!
//! The attacks by another user (2a–2c) run a second uid (`nobody`) and need
//! root, as in CI; they fail rather than pass vacuously without it.

mod data;
mod files;
mod input;
mod resources;
mod signals;

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use briefing::app::App;
use briefing::doc::Doc;
use briefing::report::Report;
use briefing_testkit::browser::{quit, wait_position};
use briefing_testkit::os::KillOnDrop;
use briefing_testkit::proc::{children, cpu_ticks, state as proc_state};
use briefing_testkit::run::text;
use briefing_testkit::screen::{all_rows, region, status};
use briefing_testkit::{
    ALT_SCREEN_OFF, ALT_SCREEN_ON, CURSOR_SHOW, DEFAULT_TIMEOUT, Pty, Scratch, bin, escape, find,
    mouse_off, restored, rfind, seed, wait_until,
};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// For things that must merely *happen* (an exit after a hangup).
const LONG: Duration = Duration::from_secs(30);

/// Most an error message may take: about a screenful.
const MAX_ERROR_BYTES: usize = 2000;

// ---------------------------------------------------------------------------
// helpers

fn fixture(name: &str) -> PathBuf {
    seed::hostile(name)
}

fn fixture_str(name: &str) -> String {
    fixture(name).to_string_lossy().into_owned()
}

/// Runs the binary with stdout and stderr piped and stdin closed (so plain
/// output), in `dir`, with a deadline: a refusal must never block.
fn run_in(dir: &Scratch, args: &[&std::ffi::OsStr]) -> Output {
    dir.run(bin!()).args(args).output()
}

/// [`run_in`] a fresh scratch directory.
fn run(args: &[&str]) -> Output {
    let dir = Scratch::new("run");
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
    run_in(&dir, &args)
}

/// Characters that must never reach a terminal from a report.
fn forbidden_char(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Plain output (stdout of plain mode, `--check`, stderr): valid UTF-8 with
/// no control character but newline (so no ESC, BEL, BS, DEL, CR, tab, no C1
/// such as the 8-bit CSI U+009B) and no bidi control.
fn assert_inert_text(bytes: &[u8], what: &str) {
    let s = std::str::from_utf8(bytes)
        .unwrap_or_else(|e| panic!("{what}: output is not UTF-8 ({e}): {}", escape(bytes)));
    if let Some((i, c)) = s.char_indices().find(|&(_, c)| forbidden_char(c)) {
        let from = s[..i].char_indices().rev().nth(30).map_or(0, |(j, _)| j);
        panic!(
            "{what}: forbidden char U+{:04X} at byte {i}, after {:?}",
            c as u32,
            &s[from..i]
        );
    }
}

/// Raw bytes a hostile report could smuggle into a terminal session. The
/// browser itself writes only CSI sequences, so any OSC/DCS/APC/PM/SOS
/// introducer, any C0 control other than ESC/CR/LF, any C1 (as UTF-8) or
/// bidi control, and the report's own sequences are a leak.
const LEAKS: &[(&str, &[u8])] = &[
    ("OSC introducer", b"\x1b]"),
    ("DCS introducer", b"\x1bP"),
    ("APC introducer", b"\x1b_"),
    ("PM introducer", b"\x1b^"),
    ("SOS introducer", b"\x1bX"),
    ("RIS reset", b"\x1bc"),
    ("clear screen", b"\x1b[2J"),
    ("clear scrollback", b"\x1b[3J"),
    ("leave alternate screen", b"\x1b[?1049l"),
    ("hide cursor via 8-bit CSI", b"\xc2\x9b"),
    ("report's true colour", b"\x1b[38;2;1;2;3m"),
    ("report's blink", b"\x1b[5m"),
    ("report's red", b"\x1b[1;31m"),
    ("BEL", b"\x07"),
    ("BS", b"\x08"),
    ("TAB", b"\t"),
    ("DEL", b"\x7f"),
    ("NUL", b"\x00"),
    ("RLO", "\u{202E}".as_bytes()),
    ("LRO", "\u{202D}".as_bytes()),
    ("RLI", "\u{2067}".as_bytes()),
    ("LRI", "\u{2066}".as_bytes()),
    ("RLM", "\u{200F}".as_bytes()),
    ("ALM", "\u{061C}".as_bytes()),
    ("NEL (C1)", "\u{0085}".as_bytes()),
];

fn assert_no_leaks(raw: &[u8], what: &str) {
    for (name, seq) in LEAKS {
        if let Some(at) = find(raw, seq) {
            let from = at.saturating_sub(80);
            panic!(
                "{what}: {name} ({}) leaked at byte {at}: …{}",
                escape(seq),
                escape(&raw[from..(at + 40).min(raw.len())])
            );
        }
    }
    // Any other C0 control or C1 char in the stream.
    let s = String::from_utf8_lossy(raw);
    if let Some((i, c)) = s.char_indices().find(|&(_, c)| {
        (c.is_control() && !matches!(c, '\x1b' | '\r' | '\n')) || forbidden_char(c) && !c.is_ascii()
    }) {
        panic!(
            "{what}: control U+{:04X} at {i} in the raw output",
            c as u32
        );
    }
}

/// Starts the browser on `report` (plus `extra` arguments) in the scratch
/// directory (its cwd and state directory), and waits for the first frame.
fn start_with(
    report: &Path,
    extra: &[&str],
    themes: usize,
    cols: u16,
    rows: u16,
    dir: &Scratch,
) -> Pty {
    let p = dir
        .spawn(bin!())
        .args(extra)
        .arg(report.to_string_lossy())
        .size(cols, rows)
        .start();
    wait_position(&p, 1, themes);
    p
}

/// [`start_with`] without watching the file.
fn start(report: &Path, themes: usize, cols: u16, rows: u16, dir: &Scratch) -> Pty {
    start_with(report, &["--no-watch"], themes, cols, rows, dir)
}

/// What a terminal would have been told to do besides drawing: a vt100
/// emulator's callbacks, fed the raw session. (The harness's own emulator
/// has none; U+FFFD, which vt100 does not draw, is counted here.)
#[derive(Default)]
struct Witness {
    events: Vec<String>,
    replacements: usize,
}

impl vt100::Callbacks for Witness {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.events.push("audible bell".into());
    }
    fn visual_bell(&mut self, _: &mut vt100::Screen) {
        self.events.push("visual bell".into());
    }
    fn resize(&mut self, _: &mut vt100::Screen, request: (u16, u16)) {
        self.events
            .push(format!("window resize request {request:?}"));
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.events.push(format!("icon name {}", escape(name)));
    }
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.events.push(format!("window title {}", escape(title)));
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, ty: &[u8], data: &[u8]) {
        self.events
            .push(format!("clipboard write {} {}", escape(ty), escape(data)));
    }
    fn paste_from_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8]) {
        self.events.push("clipboard read".into());
    }
    fn unhandled_char(&mut self, _: &mut vt100::Screen, c: char) {
        if c == '\u{FFFD}' {
            self.replacements += 1;
        } else {
            self.events.push(format!("C1 char U+{:04X}", c as u32));
        }
    }
    fn unhandled_control(&mut self, _: &mut vt100::Screen, b: u8) {
        self.events.push(format!("control 0x{b:02x}"));
    }
    fn unhandled_escape(&mut self, _: &mut vt100::Screen, i1: Option<u8>, i2: Option<u8>, b: u8) {
        self.events
            .push(format!("escape {i1:?} {i2:?} {}", char::from(b)));
    }
    fn unhandled_osc(&mut self, _: &mut vt100::Screen, params: &[&[u8]]) {
        let p: Vec<String> = params.iter().map(|p| escape(p)).collect();
        self.events.push(format!("OSC {p:?}"));
    }
}

/// Replays a raw session into a fresh emulator with a [`Witness`].
fn witness(raw: &[u8], cols: u16, rows: u16) -> Witness {
    let mut parser = vt100::Parser::new_with_callbacks(
        std::num::NonZeroU16::new(rows).unwrap(),
        std::num::NonZeroU16::new(cols).unwrap(),
        0,
        Witness::default(),
    );
    parser.process(raw);
    std::mem::take(parser.callbacks_mut())
}

/// The screen a terminal shows after `raw`, with U+FFFD drawn as `¿` (vt100
/// silently drops U+FFFD, which would shift the rest of a row in its view).
fn faithful_screen(raw: &[u8], cols: u16, rows: u16) -> vt100::Screen {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i..].starts_with("\u{FFFD}".as_bytes()) {
            bytes.extend_from_slice("¿".as_bytes());
            i += 3;
        } else {
            bytes.push(raw[i]);
            i += 1;
        }
    }
    let mut parser = vt100::Parser::new(
        std::num::NonZeroU16::new(rows).unwrap(),
        std::num::NonZeroU16::new(cols).unwrap(),
        0,
    );
    parser.process(&bytes);
    parser.screen().clone()
}

/// Checks, on a terminal's screen, that nothing crossed a panel boundary:
/// the divider is whole on every body row (side by side: a column of `│`
/// with a blank column of air after it and a blank last column; stacked: a
/// row of `─`), and the status row starts where it should.
fn assert_panels_intact(s: &vt100::Screen, titles: &[&str], status_prefix: &str, what: &str) {
    let (rows, cols) = (
        briefing_testkit::screen::rows(s),
        briefing_testkit::screen::cols(s),
    );
    let shape = briefing::layout::Shape {
        entries: titles.len(),
        widest_row: titles
            .iter()
            .map(|t| briefing::text::display_width(t))
            .max()
            .unwrap_or(0)
            + 12,
        ..briefing::layout::Shape::default()
    };
    let a = briefing::layout::Areas::new(cols, rows, &shape);
    let dump = || all_rows(s).join("\n");
    let cell = |r: u16, c: u16| {
        s.cell(r, c)
            .map_or(String::new(), |c| c.contents().to_string())
    };
    if a.stacked {
        for x in 0..cols {
            assert_eq!(
                cell(a.divider.y, x),
                "─",
                "{what}: divider row {} broken at column {x}:\n{}",
                a.divider.y,
                dump()
            );
        }
    } else {
        for y in a.divider.top()..a.divider.bottom() {
            assert_eq!(
                cell(y, a.divider.x),
                "│",
                "{what}: divider broken on row {y}:\n{}",
                dump()
            );
            for x in [a.divider.x + 1, cols - 1] {
                assert!(
                    cell(y, x).trim().is_empty(),
                    "{what}: text in the blank column {x} on row {y}: {:?}\n{}",
                    cell(y, x),
                    dump()
                );
            }
        }
    }
    // The list never receives text that spilled from the row above: each
    // of its rows starts a theme's title.
    for y in a.list.top()..a.list.bottom() {
        let row = region(s, y, a.list.x, a.list.width);
        let row = row.trim_start();
        assert!(
            row.is_empty()
                || titles
                    .iter()
                    .any(|t| t.chars().next() == row.chars().next()),
            "{what}: list row {y} is {row:?}, not a theme title (text spilled into it?)\n{}",
            dump()
        );
    }
    assert!(
        status(s).starts_with(status_prefix),
        "{what}: status row is {:?}\n{}",
        status(s),
        dump()
    );
}

// ---------------------------------------------------------------------------
// 1. Terminal control in the report never reaches the terminal

/// Visible text of `escapes.toml` as it must come out: each sequence or
/// forbidden char a U+FFFD, the words around it intact.
const ESCAPED_TEXTS: &[&str] = &[
    "Title\u{FFFD}one\u{FFFD}two",
    "Sub\u{FFFD}title\u{FFFD}\u{FFFD}",
    "Kind\u{FFFD}\u{FFFD}\u{FFFD}red\u{FFFD}nul",
    "Source\u{FFFD}2Jcsi8 \u{FFFD}evil\u{FFFD} \u{FFFD}iso\u{FFFD} \u{FFFD}mark",
    "Alpha\u{FFFD}clip",
    "Body\u{FFFD}\u{FFFD}cleared\u{FFFD}left.",
    "here\u{FFFD}\u{FFFD}\u{FFFD}XYZ",
    "Tab inside and\u{FFFD}2J raw C1",
    "Second paragraph\u{FFFD}end \u{FFFD} reset \u{FFFD} dcs \u{FFFD} done.",
    "Point\u{FFFD}\u{FFFD}\u{FFFD}colour",
    "Nested\u{FFFD}title",
    "Deep\u{FFFD}\u{FFFD}\u{FFFD}back\u{FFFD}red",
    "Ctl\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}nel",
    "Beta\u{FFFD}\u{FFFD}\u{FFFD}",
    "Only\u{FFFD} text, with an unterminated\u{FFFD}0;hidden",
    "Gamma\u{FFFD}?1049l",
    "8-bit CSI\u{FFFD}?25l hides nothing",
];

#[test]
fn plain_output_of_a_hostile_report_is_inert_text() {
    for width in ["200", "30", "10"] {
        let out = run(&["--width", width, &fixture_str("escapes.toml")]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(out.stderr.is_empty(), "stderr: {}", text(&out.stderr));
        assert_inert_text(&out.stdout, &format!("plain output at width {width}"));
        if width == "200" {
            let shown = text(&out.stdout);
            for t in ESCAPED_TEXTS {
                assert!(shown.contains(t), "{t:?} missing from:\n{shown}");
            }
        }
    }
    // The other plain modes: grep-like matches and what changed.
    for args in [
        &["--search", "red"][..],
        &["--search", "\u{1b}]0;x\u{7}red"][..],
        &["--changed"][..],
        &["--ascii", "--color", "always"][..],
    ] {
        let mut args = args.to_vec();
        let path = fixture_str("escapes.toml");
        args.push(&path);
        let out = run(&args);
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{args:?}: {:?}",
            out.status
        );
        assert!(
            out.stderr.is_empty(),
            "{args:?}: stderr {}",
            text(&out.stderr)
        );
        assert_inert_text(&out.stdout, &format!("{args:?}"));
    }
    let out = run(&["--search", "red", &fixture_str("escapes.toml")]);
    assert!(
        text(&out.stdout).contains("Deep\u{FFFD}\u{FFFD}\u{FFFD}back\u{FFFD}red"),
        "--search red: {}",
        text(&out.stdout)
    );
}

#[test]
fn check_output_names_a_hostile_file_name_inertly() {
    let dir = Scratch::new("evil-name");
    let name = "evil\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202e}lmot.toml";
    let path = dir.write(name, std::fs::read(fixture("escapes.toml")).unwrap());
    let out = run_in(&dir, &[std::ffi::OsStr::new("--check"), path.as_os_str()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_inert_text(&out.stdout, "--check stdout");
    assert!(
        text(&out.stdout).contains(": ok, 3 themes"),
        "{}",
        text(&out.stdout)
    );
    // The name is shown escaped (`\u{1b}`), as `ls -b` would: inert, on one
    // line, and the reader can see what is really in it.
    assert!(
        text(&out.stdout).contains("evil\\u{1b}]0;pwned\\u{7}"),
        "{}",
        text(&out.stdout)
    );

    // The same name on an invalid file: the error names it, inertly, with the line.
    std::fs::write(&path, "title = \"T\"\ntitel = \"oops\"\n").unwrap();
    let out = run_in(&dir, &[std::ffi::OsStr::new("--check"), path.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "stdout: {}", text(&out.stdout));
    assert_inert_text(&out.stderr, "--check stderr");
    let err = text(&out.stderr);
    assert!(err.contains("lmot.toml:2:1: unknown key `titel`"), "{err}");
}

#[test]
fn an_error_quoting_a_hostile_line_is_inert() {
    // Raw ESC, BEL, BS, DEL, C1 and bidi bytes on the offending line, which
    // the error quotes.
    let out = run(&["--check", &fixture_str("quotes-controls.toml")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "stdout: {}", text(&out.stdout));
    assert_inert_text(&out.stderr, "stderr");
    let err = text(&out.stderr);
    assert!(
        err.contains("quotes-controls.toml:3:"),
        "no file:line:column in {err}"
    );
    assert!(
        err.contains("\u{FFFD}"),
        "the excerpt lost its markers: {err}"
    );
    assert!(err.len() <= MAX_ERROR_BYTES, "{} bytes", err.len());
    // Without --check (plain mode) and in a terminal the message is the same.
    let plain = run(&[&fixture_str("quotes-controls.toml")]);
    assert_eq!(plain.status.code(), Some(2));
    assert_eq!(text(&plain.stderr), err);
}

#[test]
fn an_unknown_key_made_of_escape_sequences_is_named_inertly() {
    let out = run(&["--check", &fixture_str("escape-key.toml")]);
    assert_eq!(out.status.code(), Some(2));
    assert_inert_text(&out.stderr, "stderr");
    let err = text(&out.stderr);
    assert!(
        err.contains("escape-key.toml:5:1: unknown key `\u{FFFD}")
            && err.contains("keys are case-sensitive"),
        "{err}"
    );
}

#[test]
fn a_hostile_report_in_the_browser_writes_no_control_sequence() {
    let dir = Scratch::new("tui-escapes");
    let (cols, rows) = (100, 30);
    let mut p = start(&fixture("escapes.toml"), 3, cols, rows, &dir);
    // Every theme, the text focused and scrolled, help, a search with
    // highlights, and the overview of matches: everything that shows text.
    for (key, pos) in [("j", 2), ("j", 3), ("k", 2), ("k", 1)] {
        p.key(key);
        wait_position(&p, pos, 3);
    }
    p.key("Tab");
    p.key("End");
    p.settle_default();
    p.key("?");
    p.settle_default();
    p.key("Esc");
    p.settle_default();
    p.key("/");
    p.wait_settled("search bar", |s| {
        status(s).starts_with("Search:") || status(s).starts_with('/')
    });
    p.key("red");
    p.wait_settled("matches", |s| status(s).contains("match"));
    p.key("Enter");
    p.settle_default();
    p.key("r");
    p.settle_default();
    p.key("Esc");
    p.settle_default();
    let raw = p.raw();
    assert_no_leaks(&raw, "browser session");
    let w = witness(&raw, cols, rows);
    assert!(
        w.events.is_empty(),
        "the terminal was told to: {:?}",
        w.events
    );
    assert!(w.replacements > 20, "only {} U+FFFD drawn", w.replacements);
    let screen = faithful_screen(&raw, cols, rows);
    assert!(screen.alternate_screen(), "left the alternate screen");
    let top = region(&screen, 0, 0, cols);
    assert!(top.starts_with("Title¿one¿two"), "header {top:?}");
    quit(&mut p);
}

#[test]
fn a_search_query_is_echoed_inertly() {
    let dir = Scratch::new("tui-query");
    let (cols, rows) = (100, 30);
    let report = fixture("escapes.toml");
    // A query given on the command line, full of controls.
    let mut p = start_with(
        &report,
        &[
            "--no-watch",
            "--search",
            "\u{1b}]52;c;aGk=\u{7}\u{9b}2J\u{202e}red\u{8}",
        ],
        3,
        cols,
        rows,
        &dir,
    );
    p.settle_default();
    // And typed: C1, bidi and DEL-less junk arrive as characters.
    p.key("/");
    p.settle_default();
    p.send("x\u{9b}?1049l\u{202e}\u{85}y".as_bytes());
    p.settle_default();
    let raw = p.raw();
    assert_no_leaks(&raw, "search echo");
    let w = witness(&raw, cols, rows);
    assert!(
        w.events.is_empty(),
        "the terminal was told to: {:?}",
        w.events
    );
    let screen = faithful_screen(&raw, cols, rows);
    let st = status(&screen);
    assert!(
        st.contains("x¿?1049l¿¿y"),
        "typed query not echoed inertly: {st:?}"
    );
    p.key("Esc");
    p.settle_default();
    quit(&mut p);
}

#[test]
fn a_reload_error_quoting_hostile_text_is_inert() {
    let dir = Scratch::new("tui-reload");
    let report = dir.write(
        "report.toml",
        std::fs::read(fixture("escapes.toml")).unwrap(),
    );
    let (cols, rows) = (160, 30);
    let mut p = start_with(&report, &[], 3, cols, rows, &dir);
    // The author saves a broken version whose bad key is an escape sequence.
    std::fs::write(&report, std::fs::read(fixture("escape-key.toml")).unwrap()).unwrap();
    p.wait_settled("the reload problem in the status line", |s| {
        status(s).contains("unknown key")
    });
    let raw = p.raw();
    assert_no_leaks(&raw, "reload error");
    let w = witness(&raw, cols, rows);
    assert!(
        w.events.is_empty(),
        "the terminal was told to: {:?}",
        w.events
    );
    let st = status(&faithful_screen(&raw, cols, rows));
    assert!(st.contains("report.toml:5:1"), "status {st:?}");
    quit(&mut p);
}

// ---------------------------------------------------------------------------
// 2. Wide and odd Unicode stays inside its panels

const WIDE_TITLES: [&str; 3] = [
    "中文标题与表情符号 🎉🎉🎉 超长的主题名称会被截断而不是溢出到文本面板",
    "A 5,000-character word",
    "A 5,000-character URL",
];

/// Visits every theme and every page of its text, checking the panels on
/// the terminal's screen each time.
fn walk_all_pages(p: &mut Pty, titles: &[&str], what: &str) {
    for i in 0..titles.len() {
        if i > 0 {
            p.key("j");
            wait_position(p, i + 1, titles.len());
        }
        let mut previous = p.rows();
        for page in 0..300 {
            assert_panels_intact(
                &p.screen(),
                titles,
                "/ search",
                &format!("{what}: theme {i} page {page}"),
            );
            p.key("PageDown");
            p.settle_default();
            let now = p.rows();
            if now == previous {
                break;
            }
            previous = now;
        }
    }
}

#[test]
fn wide_and_odd_unicode_stays_inside_its_panels() {
    for (cols, rows) in [(80, 24), (50, 20), (133, 41)] {
        let dir = Scratch::new(&format!("wide-{cols}"));
        let mut p = start(&fixture("wide.toml"), 3, cols, rows, &dir);
        walk_all_pages(&mut p, &WIDE_TITLES, &format!("{cols}x{rows}"));
        let raw = p.raw();
        let w = witness(&raw, cols, rows);
        assert!(w.events.is_empty(), "{:?}", w.events);
        quit(&mut p);
    }
}

#[test]
fn graphemes_terminals_disagree_on_stay_inside_their_panels() {
    let titles = ["Families"];
    for (cols, rows) in [(80, 24), (50, 20)] {
        let dir = Scratch::new(&format!("zwj-{cols}"));
        let mut p = start(&fixture("zwj.toml"), 1, cols, rows, &dir);
        // Widths follow ratatui's (Unicode's) rules; a terminal that measures
        // per character, like vt100 here, draws a ZWJ family wider and clips
        // it. What matters is that nothing else moves: the rest of the header
        // stays where ratatui put it, and no panel is overrun (below).
        let header = region(&p.screen(), 0, 0, cols);
        assert!(header.starts_with("ZWJ 👨"), "header garbled: {header:?}");
        assert!(
            header.contains(" in the title, long enough"),
            "header garbled: {header:?}"
        );
        walk_all_pages(&mut p, &titles, &format!("zwj {cols}x{rows}"));
        quit(&mut p);
    }
}

/// The same check in ratatui's own model of the screen, at many sizes.
#[test]
fn wide_and_odd_unicode_stays_inside_its_panels_at_every_width() {
    use briefing::action::Action;
    for name in ["wide.toml", "zwj.toml", "escapes.toml"] {
        let source = std::fs::read_to_string(fixture(name)).unwrap();
        for width in (20u16..=200).step_by(3).chain([59, 60, 61]) {
            let height = 24;
            let report = Report::from_toml(&source, Path::new(name)).expect("valid fixture");
            let mut app = App::bare(Doc::new(&report), width, height);
            let mut term = Terminal::new(TestBackend::new(width, height)).unwrap();
            let a = *app.areas();
            for entry in 0..app.doc().entries.len() {
                briefing::script::press(&mut app, &format!("{}G", entry + 1));
                for _page in 0..400 {
                    let frame = term.draw(|f| briefing::ui::render(&app, f)).unwrap();
                    let buf = frame.buffer;
                    let at = |x: u16, y: u16| buf[(x, y)].symbol().to_string();
                    for y in 0..height {
                        for x in 0..width {
                            assert!(
                                !at(x, y).contains(|c: char| forbidden_char(c) || c == '\n'),
                                "{name} {width}: control in cell ({x},{y})"
                            );
                        }
                    }
                    if a.stacked {
                        assert!(
                            (0..width).all(|x| at(x, a.divider.y) == "─"),
                            "{name} {width}: divider row"
                        );
                    } else {
                        for y in a.divider.top()..a.divider.bottom() {
                            assert_eq!(at(a.divider.x, y), "│", "{name} {width}x{height} row {y}");
                            assert_eq!(
                                at(width - 1, y),
                                " ",
                                "{name} {width}x{height}: last column, row {y}"
                            );
                        }
                    }
                    let before = app.scroll();
                    app.update(Action::PageDown);
                    if app.scroll() == before {
                        break;
                    }
                }
            }
        }
    }
}

/// The lines of plain output under the heading `title` (which may be
/// wrapped over several lines), up to the next blank line.
fn section<'a>(out: &'a str, title: &str) -> Vec<&'a str> {
    let squash = |s: &str| {
        s.chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect::<String>()
    };
    let want = squash(title);
    let lines: Vec<&str> = out.lines().collect();
    let is_rule = |l: &str| !l.is_empty() && l.chars().all(|c| c == '─');
    for start in 0..lines.len() {
        let Some(len) = lines[start..].iter().position(|l| is_rule(l)) else {
            break;
        };
        if len > 0 && squash(&lines[start..start + len].concat()) == want {
            // heading, rule, blank, then the text.
            return lines[start + len + 2..]
                .iter()
                .take_while(|l| !l.is_empty())
                .copied()
                .collect();
        }
    }
    panic!("no heading {title:?} in:\n{out}");
}

#[test]
fn a_5000_character_word_and_url_are_broken_never_lost_or_overflowing() {
    let source = std::fs::read_to_string(fixture("wide.toml")).unwrap();
    let report = Report::from_toml(&source, Path::new("wide.toml")).unwrap();
    let word = report.themes[1].body.clone().unwrap();
    let url = report.themes[2].points[0].text.clone();
    assert_eq!((word.chars().count(), url.chars().count()), (5000, 5000));
    for width in [10u16, 17, 40, 80, 133] {
        let out = run(&["--width", &width.to_string(), &fixture_str("wide.toml")]);
        assert_eq!(out.status.code(), Some(0));
        let out = text(&out.stdout);
        for line in out.lines() {
            let w = briefing::text::display_width(line);
            assert!(
                w <= usize::from(width),
                "width {width}: {line:?} is {w} wide"
            );
        }
        let lines = section(&out, "A 5,000-character word");
        assert!(
            lines.len() >= 5000 / usize::from(width),
            "width {width}: {} lines",
            lines.len()
        );
        let joined: String = lines.iter().map(|l| l.trim_end_matches('-')).collect();
        assert_eq!(joined, word, "width {width}: the word lost or changed text");
        // The URL is cut without hyphens: nothing may be inserted into an address.
        let lines = section(&out, "A 5,000-character URL");
        let bullet_end = lines[0].find("https").expect("bullet then URL");
        let mut joined = String::new();
        for (i, l) in lines.iter().enumerate() {
            let l = if i == 0 {
                &l[bullet_end..]
            } else {
                l.trim_start()
            };
            if l.starts_with('•') || l.starts_with("◦") {
                break;
            }
            if !joined.is_empty() && l.starts_with("nested") {
                break;
            }
            joined.push_str(l);
        }
        assert_eq!(joined, url, "width {width}: the URL lost or changed text");
    }
}

// ---------------------------------------------------------------------------
// 3. Faults: every way out restores the terminal

/// Ends a session on the hostile report with `how`, and checks the exit and
/// that the terminal was restored after that point: alternate screen left,
/// cursor shown, mouse reporting off.
fn ends_restored(
    name: &str,
    how: impl FnOnce(&mut Pty),
    want: impl Fn(std::process::ExitStatus) -> bool,
) {
    let dir = Scratch::new(name);
    let mut p = start(&fixture("escapes.toml"), 3, 80, 24, &dir);
    let mark = p.mark();
    how(&mut p);
    let status = p.wait_exit_status(LONG);
    p.wait_eof(LONG);
    assert!(want(status), "{name}: unexpected exit status {status:?}");
    let after = p.since(mark);
    assert!(
        find(&after, ALT_SCREEN_OFF).is_some()
            && find(&after, CURSOR_SHOW).is_some()
            && find(&after, b"\x1b[?1000l").is_some()
            && find(&after, b"\x1b[?1006l").is_some(),
        "{name}: terminal not restored; output after the action: {}",
        escape(&after)
    );
    assert!(restored(&p.raw()), "{name}: last alternate screen not left");
    // Nothing the report holds leaked on the way out either.
    assert_no_leaks(&p.raw()[..rfind(&p.raw(), ALT_SCREEN_OFF).unwrap()], name);
}

fn killed_by(sig: i32) -> impl Fn(std::process::ExitStatus) -> bool {
    move |s| s.code() == Some(128 + sig) || s.signal() == Some(sig)
}

#[test]
fn q_restores_the_terminal() {
    ends_restored("q", |p| p.key("q"), |s| s.code() == Some(0));
}

#[test]
fn ctrl_c_restores_the_terminal() {
    ends_restored("ctrl-c", |p| p.key("C-c"), |s| s.code() == Some(0));
}

#[test]
fn sigterm_restores_the_terminal() {
    ends_restored("sigterm", |p| p.signal("TERM"), killed_by(libc::SIGTERM));
}

#[test]
fn sighup_restores_the_terminal() {
    ends_restored("sighup", |p| p.signal("HUP"), killed_by(libc::SIGHUP));
}

#[test]
fn sigint_from_kill_restores_the_terminal() {
    ends_restored("sigint", |p| p.signal("INT"), killed_by(libc::SIGINT));
}

/// Signals whose default is to end the process (log rotation's USR1, a
/// CPU limit's XCPU, a stray ALRM) end it as TERM does, terminal restored.
#[test]
fn every_ending_signal_restores_the_terminal() {
    for (name, sig) in [
        ("USR1", libc::SIGUSR1),
        ("USR2", libc::SIGUSR2),
        ("ALRM", libc::SIGALRM),
        ("VTALRM", libc::SIGVTALRM),
        ("PROF", libc::SIGPROF),
        ("XCPU", libc::SIGXCPU),
    ] {
        let number = sig.to_string();
        ends_restored(&format!("sig{name}"), |p| p.signal(&number), killed_by(sig));
    }
}

#[test]
fn closing_the_terminal_ends_the_program_promptly_without_spinning() {
    let dir = Scratch::new("hangup");
    let mut p = start(&fixture("escapes.toml"), 3, 80, 24, &dir);
    let pid = p.pid();
    let before = cpu_ticks(pid).expect("the program's /proc/<pid>/stat");
    p.close_master();
    // Sample the CPU time until the process is gone (its stat disappears
    // once the harness reaps it; the last reading is the total).
    let mut last = before;
    let started = Instant::now();
    while p.exit_status().is_none() && started.elapsed() < LONG {
        if let Some(t) = cpu_ticks(pid) {
            last = last.max(t);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let status = p.wait_exit_status(LONG);
    // A hangup, as the README's exit codes say, whether the loop saw the
    // input end or the SIGHUP first.
    assert!(killed_by(libc::SIGHUP)(status), "{status:?}");
    // A spinning loop would burn a tick per 10 ms of waiting; ending takes
    // a few ms of CPU at most. 50 ticks (0.5 s) is generous for a debug build.
    let ticks_per_sec = briefing_testkit::proc::clock_ticks_per_second();
    assert!(
        last - before < ticks_per_sec / 2,
        "used {} ticks of CPU while ending after the hangup ({:?} to exit)",
        last - before,
        started.elapsed()
    );
}

/// Job control as a shell does it: the test binary re-runs itself as a tiny
/// "shell" in the pty (env `BRIEFING_JOB_CONTROL` = the program and its
/// arguments, separated by U+001F), which starts the program in its own
/// process group in the foreground and waits for it to *exit* (ignoring
/// stops). A process group with a parent in the same session is not
/// orphaned, so the kernel really stops it on SIGTSTP (for an orphaned one,
/// e.g. a session leader spawned straight into a pty, it discards SIGTSTP).
/// Not a test of its own: without the variable it returns at once.
#[test]
fn job_control_shell_helper() {
    let Some(spec) = std::env::var("BRIEFING_JOB_CONTROL").ok() else {
        return;
    };
    let argv: Vec<String> = spec.split('\u{1f}').map(String::from).collect();
    briefing_testkit::os::job_control_shell(&argv);
}

/// The browser on the bundled report (not watched) under the job-control
/// "shell" of [`job_control_shell_helper`], in a pty in `dir`, once its first
/// frame shows; with its pid, and a guard that kills it (its process group
/// is its own, out of the pty harness's reach).
fn under_job_control(dir: &Scratch) -> (Pty, u32, KillOnDrop) {
    let report = seed::report().to_string_lossy().into_owned();
    let spec = [bin!(), "--no-watch", report.as_str()].join("\u{1f}");
    let me = std::env::current_exe()
        .expect("the test binary")
        .to_string_lossy()
        .into_owned();
    let p = dir
        .spawn(&me)
        .args(&[
            "--exact",
            "job_control_shell_helper",
            "--nocapture",
            "--test-threads=1",
            "-q",
        ])
        .env("BRIEFING_JOB_CONTROL", &spec)
        .start();
    wait_position(&p, 1, 7);
    let kids = children(p.pid());
    assert_eq!(kids.len(), 1, "expected one child of the helper: {kids:?}");
    (p, kids[0], KillOnDrop(kids[0]))
}

#[test]
fn ctrl_z_stops_with_the_terminal_restored_and_cont_redraws() {
    let dir = Scratch::new("ctrl-z");
    let (mut p, pid, _guard) = under_job_control(&dir);

    let mark = p.mark();
    p.key("C-z");
    wait_until("the program to stop (state T)", DEFAULT_TIMEOUT, || {
        proc_state(pid) == Some('T')
    });
    // By SIGTSTP, as its default action stops a program, not by SIGSTOP.
    let by = format!("{}{}]", briefing_testkit::os::STOPPED_BY, libc::SIGTSTP);
    p.wait_raw("the shell told of the stop", mark, DEFAULT_TIMEOUT, |raw| {
        find(raw, by.as_bytes()).is_some()
    });
    p.settle_default();
    let after = p.since(mark);
    assert!(
        restored(&after) && mouse_off(&after),
        "stopped without restoring the terminal: {}",
        escape(&after)
    );
    assert!(
        !p.screen().alternate_screen(),
        "still on the alternate screen while stopped"
    );
    assert!(!p.screen().hide_cursor(), "cursor hidden while stopped");

    // fg: SIGCONT (the group is still in the foreground); a full redraw follows.
    let mark = p.mark();
    assert!(briefing_testkit::os::signal(pid, libc::SIGCONT));
    p.wait_settled("the browser again after SIGCONT", |s| {
        s.alternate_screen()
            && status(s).ends_with("1/7")
            && region(s, 0, 0, 80).starts_with("Het rapport")
    });
    let again = p.since(mark);
    assert!(
        find(&again, ALT_SCREEN_ON).is_some(),
        "no return to the alternate screen: {}",
        escape(&again)
    );
    assert!(
        find(&again, b"Inleiding").is_some() && find(&again, b"Communicatie").is_some(),
        "not a full redraw after SIGCONT: {}",
        escape(&again)
    );
    assert!(proc_state(pid).is_some_and(|s| s != 'T'), "still stopped");
    quit(&mut p);
}

// ---------------------------------------------------------------------------
// 4. Reading the report: refusals are quick and say what and where

/// Runs `--check` on `path` (in a terminal-less run) and returns stderr,
/// after checking exit 2, empty stdout, inert and short stderr naming the file.
fn refused(path: &Path, what: &str) -> String {
    let started = Instant::now();
    let out = run(&["--check", &path.to_string_lossy()]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{what}: {:?} {}",
        out.status,
        text(&out.stderr)
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{what}: took {:?}",
        started.elapsed()
    );
    assert!(
        out.stdout.is_empty(),
        "{what}: stdout {}",
        text(&out.stdout)
    );
    assert_inert_text(&out.stderr, what);
    let err = text(&out.stderr);
    assert!(
        err.len() <= MAX_ERROR_BYTES,
        "{what}: a {}-byte message",
        err.len()
    );
    assert!(
        err.starts_with(&format!("briefing: {}", path.display())),
        "{what}: message does not start with the file name: {err}"
    );
    err
}

#[test]
fn a_file_over_64_mib_is_refused_without_reading_it() {
    let dir = Scratch::new("sparse");
    let path = dir.path("huge.toml");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(64 * 1024 * 1024 + 1).unwrap(); // sparse: no disk used
    drop(f);
    let err = refused(&path, "sparse 64 MiB + 1");
    assert!(
        err.contains("is 67108865 bytes; reports larger than 67108864 bytes are refused"),
        "{err}"
    );
}

#[test]
fn fifos_devices_and_directories_are_refused_without_blocking() {
    let dir = Scratch::new("kinds");
    let fifo = dir.path("pipe.toml");
    briefing_testkit::os::mkfifo(&fifo);
    let link = dir.path("link.toml");
    std::os::unix::fs::symlink(&fifo, &link).unwrap();
    let sub = dir.path("report.toml");
    std::fs::create_dir(&sub).unwrap();
    for (path, what) in [
        (fifo.as_path(), "a named pipe (FIFO)"),
        (link.as_path(), "a named pipe (FIFO)"),
        (Path::new("/dev/zero"), "a device"),
        (Path::new("/dev/null"), "a device"),
        (sub.as_path(), "a directory"),
    ] {
        let err = refused(path, what);
        assert!(
            err.contains(&format!(": is {what}, not a report file")),
            "{}: {err}",
            path.display()
        );
    }
    // Not even in the browser, where the file is also watched.
    let mut p = dir.spawn(bin!()).arg(fifo.to_string_lossy()).start();
    assert_eq!(p.wait_exit(DEFAULT_TIMEOUT), Some(2));
    p.wait_eof(DEFAULT_TIMEOUT);
    let raw = p.raw();
    assert!(
        find(&raw, b"not a report file").is_some(),
        "{}",
        escape(&raw)
    );
    assert!(find(&raw, ALT_SCREEN_ON).is_none(), "the browser started");
}

#[test]
fn non_utf8_is_refused_with_line_and_column() {
    let err = refused(&fixture("latin1.toml"), "latin-1 file");
    assert!(
        err.contains("latin1.toml:4:13: the file is not UTF-8 text; save it as UTF-8"),
        "{err}"
    );
    // A lone continuation byte and a truncated sequence at the very end.
    let dir = Scratch::new("utf8");
    let p = dir.write(
        "cut.toml",
        b"title = \"ok\"\n\n[[theme]]\ntitle = \"caf\xc3",
    );
    let err = refused(&p, "truncated sequence");
    assert!(
        err.contains("cut.toml:4:13: the file is not UTF-8"),
        "{err}"
    );
    let p = dir.write("cont.toml", b"\x80title = \"x\"\n");
    let err = refused(&p, "continuation byte first");
    assert!(
        err.contains("cont.toml:1:1: the file is not UTF-8"),
        "{err}"
    );
}

#[test]
fn a_crlf_report_reads_exactly_like_the_lf_one() {
    let dir = Scratch::new("crlf");
    let lf = std::fs::read(seed::report()).unwrap();
    assert!(!lf.contains(&b'\r'));
    let mut crlf = Vec::new();
    for &b in &lf {
        if b == b'\n' {
            crlf.push(b'\r');
        }
        crlf.push(b);
    }
    let lf_path = dir.write("lf.toml", &lf);
    let crlf_path = dir.write("crlf.toml", &crlf);
    for args in [
        &[][..],
        &["--width", "37"][..],
        &["--search", "crisis"][..],
        &["--ascii"][..],
    ] {
        let get = |p: &Path| {
            let mut a: Vec<&str> = args.to_vec();
            let p = p.to_string_lossy().into_owned();
            a.push(&p);
            let out = run(&a);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{args:?}: {}",
                text(&out.stderr)
            );
            out.stdout
        };
        let (a, b) = (get(&lf_path), get(&crlf_path));
        assert!(!a.is_empty());
        assert!(a == b, "{args:?}: CRLF output differs from LF output");
    }
    // Multi-line strings, line-ending backslashes and an error's position too.
    let tricky = "title = \"T\"\n[[theme]]\ntitle = \"x\"\nbody = \"\"\"\none \\\n   two\n\nthree\n\"\"\"\npoints = ['''\nlit\n''']\n";
    let a = dir.write("t-lf.toml", tricky);
    let b = dir.write("t-crlf.toml", tricky.replace('\n', "\r\n"));
    let (oa, ob) = (run(&[&a.to_string_lossy()]), run(&[&b.to_string_lossy()]));
    assert_eq!((oa.status.code(), ob.status.code()), (Some(0), Some(0)));
    assert!(
        oa.stdout == ob.stdout,
        "{}\n---\n{}",
        text(&oa.stdout),
        text(&ob.stdout)
    );
    let bad = "title = \"T\"\n[[theme]]\ntitle = \"x\"\n  tilte = 1\n";
    let a = dir.write("e-lf.toml", bad);
    let b = dir.write("e-crlf.toml", bad.replace('\n', "\r\n"));
    let ea = refused(&a, "lf error").replace("e-lf.toml", "F");
    let eb = refused(&b, "crlf error").replace("e-crlf.toml", "F");
    assert!(ea.contains("F:4:3: unknown key `tilte`"), "{ea}");
    assert_eq!(ea, eb);
}

/// A 1 MB line in the places an error quotes the file: the message stays a
/// screenful, and still says where.
#[test]
fn an_error_about_a_megabyte_line_stays_short() {
    let dir = Scratch::new("long-line");
    let big = "a".repeat(1 << 20);
    let cases = [
        (
            "trailing junk",
            format!("title = \"T\" {big}\n[[theme]]\ntitle = \"x\"\n"),
            "1:13",
        ),
        (
            "a string where a list belongs",
            format!("title = [\"{big}\"]\n[[theme]]\ntitle = \"x\"\n"),
            "1:9",
        ),
        (
            "a nested list as a point",
            format!("title = \"T\"\n[[theme]]\ntitle = \"x\"\npoints = [[\"{big}\"]]\n"),
            "4:11",
        ),
        (
            "a table as a body",
            format!("title = \"T\"\n[[theme]]\ntitle = \"x\"\nbody = {{ a = \"{big}\" }}\n"),
            "4:8",
        ),
        (
            "an unterminated string",
            format!("title = \"T\"\n[[theme]]\ntitle = \"{big}\n"),
            "3:",
        ),
    ];
    for (what, source, at) in cases {
        let path = dir.write("long.toml", source);
        let err = refused(&path, what);
        assert!(
            err.contains(&format!("long.toml:{at}")),
            "{what}: {}",
            &err[..err.len().min(300)]
        );
        assert!(
            err.contains('…'),
            "{what}: the excerpt is not shortened visibly"
        );
    }
}

#[test]
fn an_error_quoting_a_megabyte_value_stays_short() {
    let dir = Scratch::new("long-value");
    let big = "a".repeat(1 << 20);
    let cases = [
        (
            "an unknown key",
            format!("title = \"T\"\n{big} = 1\n[[theme]]\ntitle = \"x\"\n"),
            "2:1",
        ),
        (
            "an unknown language",
            format!("title = \"T\"\nlanguage = \"{big}\"\n[[theme]]\ntitle = \"x\"\n"),
            "2:12",
        ),
        (
            "a quoted date",
            format!("title = \"T\"\ndate = \"{big}\"\n[[theme]]\ntitle = \"x\"\n"),
            "2:8",
        ),
        (
            "a quoted key in a theme",
            format!("title = \"T\"\n[[theme]]\ntitle = \"x\"\n\"{big}\" = 1\n"),
            "4:1",
        ),
    ];
    for (what, source, at) in cases {
        let path = dir.write("long.toml", source);
        let err = refused(&path, what);
        assert!(
            err.contains(&format!("long.toml:{at}")),
            "{what}: {}",
            &err[..err.len().min(300)]
        );
    }
}

#[test]
fn deep_nesting_is_rejected_with_a_message_and_no_stack_overflow() {
    let dir = Scratch::new("deep");
    let n = 1000;
    let head = "title = \"T\"\n[[theme]]\ntitle = \"x\"\n";
    let cases = [
        (
            "1,000 nested arrays",
            format!("{head}points = {}\"a\"{}\n", "[".repeat(n), "]".repeat(n)),
        ),
        (
            "1,000 nested points",
            format!(
                "{head}points = [{}\"b\"{}]\n",
                "{ text = \"a\", points = [".repeat(n),
                "] }".repeat(n)
            ),
        ),
        (
            "1,000 nested inline tables",
            format!("{head}x = {}1{}\n", "{ a = ".repeat(n), " }".repeat(n)),
        ),
        (
            "1,000 nested theme headers",
            format!(
                "title = \"T\"\n[[{}]]\ntitle = \"deep\"\n",
                vec!["theme"; n].join(".")
            ),
        ),
        (
            "1,000 levels of sub-themes, one header each",
            (1..=n).fold("title = \"T\"\n".to_string(), |mut s, i| {
                s.push_str(&format!(
                    "[[{}]]\ntitle = \"t{i}\"\n",
                    vec!["theme"; i].join(".")
                ));
                s
            }),
        ),
        (
            "1,000 dotted keys",
            format!("{head}{} = 1\n", vec!["a"; n].join(".")),
        ),
        (
            "100,000 nested arrays",
            format!(
                "{head}points = {}\"a\"{}\n",
                "[".repeat(100 * n),
                "]".repeat(100 * n)
            ),
        ),
    ];
    for (what, source) in cases {
        let path = dir.write("deep.toml", &source);
        let err = refused(&path, what);
        assert!(
            err.contains("nested more than 16 levels deep; flatten the structure"),
            "{what}: {err}"
        );
        assert!(
            err.starts_with(&format!("briefing: {}:", path.display())),
            "{what}: {err}"
        );
        // And through the library, on this thread's (smaller) stack.
        let e = Report::from_toml(&source, Path::new("deep.toml")).expect_err(what);
        assert!(e.to_string().contains("nested more than"), "{what}: {e}");
    }
}

#[test]
fn nesting_hidden_from_the_depth_check_is_still_refused() {
    // A multi-line string holding one quote makes a quote-counting scan think
    // a string is still open; the parser must still refuse, not overflow.
    let dir = Scratch::new("hidden-deep");
    let n = 100_000;
    for (what, source) in [
        (
            "basic multi-line string",
            format!(
                "title = \"T\"\nkind = \"\"\"x\"y\"\"\"\n[[theme]]\ntitle = \"x\"\npoints = {}\"a\"{}\n",
                "[".repeat(n),
                "]".repeat(n)
            ),
        ),
        (
            "literal multi-line string",
            format!(
                "title = \"T\"\nkind = '''x'y'''\n[[theme]]\ntitle = \"x\"\npoints = {}\"a\"{}\n",
                "[".repeat(n),
                "]".repeat(n)
            ),
        ),
    ] {
        let path = dir.write("hidden.toml", &source);
        let err = refused(&path, what);
        assert!(err.contains("hidden.toml:5:"), "{what}: {err}");
        assert!(
            Report::from_toml(&source, Path::new("h.toml")).is_err(),
            "{what}"
        );
    }
}

#[test]
fn brackets_inside_multi_line_strings_are_not_nesting() {
    let source = std::fs::read_to_string(fixture("brackets-in-strings.toml")).unwrap();
    let r = Report::from_toml(&source, Path::new("brackets-in-strings.toml"));
    assert!(r.is_ok(), "{}", r.unwrap_err());
}

#[test]
fn unknown_keys_are_named_with_file_line_and_column() {
    let err = refused(&fixture("unknown-keys.toml"), "unknown key in the report");
    assert!(
        err.contains("unknown-keys.toml:3:1: unknown key `titel`")
            && err.contains("case-sensitive"),
        "{err}"
    );
    for (source, at, key) in [
        (
            "title = \"T\"\n[[theme]]\ntitle = \"x\"\n  Body = \"b\"\n",
            "4:3",
            "Body",
        ),
        (
            "title = \"T\"\n[[theme]]\ntitle = \"x\"\npoints = [{ text = \"p\", pionts = [] }]\n",
            "4:",
            "pionts",
        ),
        (
            "title = \"T\"\n[[theme]]\ntitle = \"x\"\n[[theme.thema]]\ntitle = \"y\"\n",
            "4:",
            "thema",
        ),
        (
            "title = \"T\"\n[[theme]]\ntitle = \"x\"\n\"ключ\" = 1\n",
            "4:1",
            "ключ",
        ),
    ] {
        let dir = Scratch::new("unknown");
        let p = dir.write("u.toml", source);
        let err = refused(&p, key);
        assert!(
            err.contains(&format!("u.toml:{at}")) && err.contains(&format!("unknown key `{key}`")),
            "{key}: {err}"
        );
    }
}

#[test]
fn a_session_never_writes_to_the_report() {
    let dir = Scratch::new("readonly");
    let report = dir.write(
        "report.toml",
        std::fs::read(fixture("escapes.toml")).unwrap(),
    );
    let old = std::time::SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&report)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let before = (
        std::fs::read(&report).unwrap(),
        std::fs::metadata(&report).unwrap(),
    );
    let listing = |d: &Path| {
        let mut v: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        v.sort();
        v
    };
    let files_before = listing(dir.dir());
    // Browse, search, present, suspend-less quit; then the plain modes.
    // (Remembered state goes to a directory elsewhere.)
    let state = Scratch::new("readonly-state");
    let mut p = dir
        .spawn(bin!())
        .arg("report.toml")
        .env("XDG_STATE_HOME", state.state().to_string_lossy())
        .start();
    wait_position(&p, 1, 3);
    for k in ["j", "Tab", "End", "/"] {
        p.key(k);
        p.settle_default();
    }
    p.key("red");
    p.key("Enter");
    p.key("p");
    p.settle_default();
    p.key("Esc");
    p.settle_default();
    quit(&mut p);
    for args in [
        &["--check"][..],
        &[][..],
        &["--changed"][..],
        &["--search", "x"][..],
    ] {
        let mut a: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
        a.push(report.as_os_str());
        run_in(&dir, &a);
    }
    let after = (
        std::fs::read(&report).unwrap(),
        std::fs::metadata(&report).unwrap(),
    );
    assert!(before.0 == after.0, "the report's content changed");
    assert_eq!(
        before.1.modified().unwrap(),
        after.1.modified().unwrap(),
        "mtime changed"
    );
    assert_eq!(before.1.len(), after.1.len());
    use std::os::unix::fs::MetadataExt;
    assert_eq!(before.1.mode(), after.1.mode(), "permissions changed");
    assert_eq!(before.1.ino(), after.1.ino(), "the report was replaced");
    assert_eq!(
        files_before,
        listing(dir.dir()),
        "files appeared beside the report"
    );
}

// ---------------------------------------------------------------------------
// 5. Hostile files met while running

#[test]
fn swapping_the_report_for_a_fifo_or_a_huge_file_while_browsing_is_refused_without_blocking() {
    let dir = Scratch::new("swap");
    let report = dir.write(
        "report.toml",
        std::fs::read(fixture("escapes.toml")).unwrap(),
    );
    // Wide enough for the whole message after a long temporary path.
    let mut p = start_with(&report, &[], 3, 200, 24, &dir);
    // A FIFO in its place (rename over it, as editors save).
    let fifo = dir.path("fifo.tmp");
    briefing_testkit::os::mkfifo(&fifo);
    std::fs::rename(&fifo, &report).unwrap();
    p.wait_settled("the FIFO refused in the status line", |s| {
        status(s).contains("named pipe")
    });
    // Still responsive: keys work.
    p.key("j");
    wait_position(&p, 2, 3);
    // A sparse 1 GiB file in its place.
    let huge = dir.path("huge.tmp");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    std::fs::rename(&huge, &report).unwrap();
    p.wait_settled("the huge file refused in the status line", |s| {
        status(s).contains("reports larger than 67108864 bytes")
    });
    p.key("k");
    wait_position(&p, 1, 3);
    assert_no_leaks(&p.raw(), "swapped files");
    quit(&mut p);
}

#[test]
fn a_hostile_presenter_position_file_is_shown_inertly() {
    let dir = Scratch::new("follow");
    let report = fixture("escapes.toml");
    let pos = dir.path("pos.toml");
    // The right report (its sanitised title), with a hostile query and themes.
    std::fs::write(
        &pos,
        "report = \"Title\u{FFFD}one\u{FFFD}two\"\n\
         theme = [\"Alpha\u{FFFD}clip\", \"\\u001b]0;x\\u0007\"]\n\
         index = 0\npresenting = false\nrevealed = 0\nall = false\n\
         query = \"\\u001b]52;c;ZXZpbA==\\u0007\\u009b2Jred\\u202e\"\n\
         live = true\npid = 1\nhost = \"\\u001b[2Jelsewhere\"\n",
    )
    .unwrap();
    let (cols, rows) = (120, 24);
    let mut p = start_with(
        &report,
        &["--no-watch", "--follow", &pos.to_string_lossy()],
        3,
        cols,
        rows,
        &dir,
    );
    p.settle_default();
    let raw = p.raw();
    assert_no_leaks(&raw, "follower");
    let w = witness(&raw, cols, rows);
    assert!(w.events.is_empty(), "{:?}", w.events);
    let st = status(&faithful_screen(&raw, cols, rows));
    assert!(
        st.contains("/¿¿2Jred¿"),
        "the presenter's query is not echoed inertly: {st:?}"
    );
    quit(&mut p);
}

#[test]
fn a_position_file_for_another_report_is_refused_briefly() {
    let dir = Scratch::new("follow-other");
    let pos = dir.path("pos.toml");
    let long = "x".repeat(60_000);
    std::fs::write(
        &pos,
        format!(
            "report = \"{long}\\u001b]0;t\\u0007\"\ntheme = []\nindex = 0\npresenting = false\n\
             revealed = 0\nall = false\nquery = \"\"\nlive = true\npid = 1\nhost = \"h\"\n"
        ),
    )
    .unwrap();
    let report = fixture_str("escapes.toml");
    let mut p = dir
        .spawn(bin!())
        .args(&["--follow", &pos.to_string_lossy(), &report])
        .start();
    assert_eq!(p.wait_exit(LONG), Some(2));
    p.wait_eof(LONG);
    let raw = p.raw();
    assert_no_leaks(&raw, "mismatch error");
    assert!(
        find(&raw, b"open the same report").is_some(),
        "{}",
        escape(&raw[..raw.len().min(300)])
    );
    assert!(raw.len() <= MAX_ERROR_BYTES, "a {}-byte error", raw.len());
}
