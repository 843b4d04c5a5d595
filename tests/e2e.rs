//! End-to-end tests: the real `briefing` binary in a pseudo-terminal
//! (see `tests/common/mod.rs`), asserting on what a reader would see.
//!
//! Every test waits on screen conditions, never on fixed sleeps. Most run the
//! bundled Dutch report (`report.toml`, language "nl") at 80x24, where the
//! layout is (src/ui/areas.rs): header row 0, theme list columns 0..26,
//! divider column 26, text panel columns 28..79, body rows 1..=22, status row 23.

mod common;

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{DEFAULT_TIMEOUT, Pty, THEMES, TITLE, bin, restored};

/// For things that must merely *happen* (a process ending after a hangup).
const LONG: Duration = Duration::from_secs(30);

const KIND: &str = "Kennisnemen van";

// Regions at 80x24.
const LIST_W: u16 = 26;
const TEXT_X: u16 = 28;
const TEXT_W: u16 = 51;
const BODY: std::ops::RangeInclusive<u16> = 1..=22;

// ---------------------------------------------------------------------------
// helpers

/// The repository's report.toml, as an absolute path.
fn report_path() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("report.toml")
        .to_string_lossy()
        .into_owned()
}

/// An empty scratch directory (no report.toml), removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("briefing-e2e-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        assert!(!dir.join("report.toml").exists());
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Starts `briefing args` at `cols` x `rows` in an empty directory and waits
/// for the first frame (status line ends in "1/7").
fn start_in(dir: &Scratch, args: &[&str], cols: u16, rows: u16) -> Pty {
    let p = Pty::spawn_with(bin(), args, cols, rows, &[], Some(&dir.0));
    wait(&p, "first frame (status shows 1/7)", |s| {
        status(s).ends_with("1/7")
    });
    p
}

/// Starts on the repository's report.toml, given explicitly.
fn start(name: &str, cols: u16, rows: u16) -> (Pty, Scratch) {
    let dir = Scratch::new(name);
    let report = report_path();
    let p = start_in(&dir, &[&report], cols, rows);
    (p, dir)
}

/// Row `row`, columns `col..col+width` (trailing blanks trimmed).
fn region(s: &vt100::Screen, row: u16, col: u16, width: u16) -> String {
    let r = s.rows(col, width).nth(usize::from(row)).unwrap_or_default();
    common::trim_blanks(&r).to_string()
}

/// Every row of the screen, trailing blanks trimmed.
fn all_rows(s: &vt100::Screen) -> Vec<String> {
    (0..screen_rows(s))
        .map(|r| region(s, r, 0, screen_cols(s)))
        .collect()
}

/// Every cell's text and attributes (a blank cell reads as a space), to
/// compare two screens independently of how they were drawn.
fn cells(s: &vt100::Screen) -> Vec<(u16, u16, String, [bool; 5], vt100::Color, vt100::Color)> {
    let mut out = Vec::new();
    for r in 0..screen_rows(s) {
        for c in 0..screen_cols(s) {
            let Some(cell) = s.cell(r, c) else { continue };
            let text = if cell.contents().is_empty() {
                " ".to_string()
            } else {
                cell.contents().to_string()
            };
            let attrs = [
                cell.bold(),
                cell.dim(),
                cell.italic(),
                cell.underline(),
                cell.inverse(),
            ];
            out.push((r, c, text, attrs, cell.fgcolor(), cell.bgcolor()));
        }
    }
    out
}

fn screen_rows(s: &vt100::Screen) -> u16 {
    s.size().0.get()
}

fn screen_cols(s: &vt100::Screen) -> u16 {
    s.size().1.get()
}

/// The last row: the status line or search bar.
fn status(s: &vt100::Screen) -> String {
    region(s, screen_rows(s) - 1, 0, screen_cols(s))
}

/// The text panel's rows at 80x24, joined with newlines.
fn text_panel(s: &vt100::Screen) -> String {
    BODY.map(|r| region(s, r, TEXT_X, TEXT_W))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text panel's first row at 80x24.
fn text_top(s: &vt100::Screen) -> String {
    region(s, 1, TEXT_X, TEXT_W)
}

/// Parses "i/n" at the start of `s`.
fn fraction(s: &str) -> Option<(usize, usize)> {
    let token: String = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '/')
        .collect();
    let (a, b) = token.split_once('/')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// The theme position "i/7" at the right end of the status line.
fn position(s: &vt100::Screen) -> Option<(usize, usize)> {
    let st = status(s);
    fraction(st.split_whitespace().last()?)
}

/// The match counter "treffer i/N" in the status line.
fn counter(s: &vt100::Screen) -> Option<(usize, usize)> {
    let st = status(s);
    // The last one: a notice such as "terug naar de eerste treffer" may precede it.
    let at = st.rfind("treffer ")?;
    fraction(&st[at + "treffer ".len()..])
}

/// Concatenated contents of the inverse-video cells in a rectangle, row by row.
fn inverse_text(
    s: &vt100::Screen,
    rows: std::ops::RangeInclusive<u16>,
    cols: std::ops::Range<u16>,
) -> String {
    let mut out = String::new();
    for r in rows {
        for c in cols.clone() {
            if let Some(cell) = s.cell(r, c)
                && cell.inverse()
            {
                out.push_str(cell.contents());
            }
        }
    }
    out
}

/// Inverse text in the 80x24 text panel, whitespace removed (a match may wrap).
fn highlighted(s: &vt100::Screen) -> String {
    inverse_text(s, BODY, TEXT_X..TEXT_X + TEXT_W)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Inverse cells anywhere but the status line (search highlights, list selection).
fn highlighted_anywhere(s: &vt100::Screen) -> String {
    let (rows, cols) = (screen_rows(s), screen_cols(s));
    let all = inverse_text(s, 1..=rows - 2, 0..cols);
    all.trim().to_string()
}

/// Whether list row `row` (screen row) is drawn as the focused selection.
fn list_row_inverse(s: &vt100::Screen, row: u16) -> bool {
    s.cell(row, 0).is_some_and(|c| c.inverse())
}

/// A list row is either the full title or a shortened one ending in "…".
fn shows_title(row: &str, title: &str) -> bool {
    let shown = row.trim();
    shown == title
        || shown
            .strip_suffix('…')
            .is_some_and(|head| head.len() >= 3 && title.starts_with(head.trim_end()))
}

/// Waits until `pred` holds, then until the output pauses, and checks that
/// `pred` still holds on the settled screen.
///
/// A frame can arrive in several reads, and the program sends only the
/// cells that changed, with nothing marking a frame's end: `pred` may hold
/// on the first part (e.g. the text panel) while a later part (the status
/// line) is still the old one. Waiting for quiescence (the harness's
/// `settle`, no output for 200 ms) makes the assertions that follow see the
/// whole frame, and re-checking `pred` catches a state that was only passing
/// through.
fn wait(p: &Pty, what: &str, pred: impl Fn(&vt100::Screen) -> bool) {
    p.wait_for(what, DEFAULT_TIMEOUT, &pred);
    p.settle_default();
    p.wait_for(
        &format!("{what} (still, once the output settled)"),
        DEFAULT_TIMEOUT,
        &pred,
    );
}

fn wait_position(p: &Pty, i: usize) {
    wait(p, &format!("status position {i}/7"), |s| {
        position(s) == Some((i, 7))
    });
}

/// Makes sure the program reads its input: j then k in the theme list.
/// (crossterm installs its SIGWINCH handler on the first read.)
fn input_ready(p: &mut Pty) {
    let (i, _) = position(&p.screen()).expect("position in the status line");
    p.key("j");
    wait_position(p, i + 1);
    p.key("k");
    wait_position(p, i);
}

/// Quits with q and checks a clean exit with the terminal restored.
fn quit(p: &mut Pty) {
    p.key("q");
    assert_eq!(p.wait_exit(DEFAULT_TIMEOUT), Some(0), "q must exit 0");
    p.wait_eof(DEFAULT_TIMEOUT);
    assert!(restored(&p.raw()), "terminal not restored after q");
}

// ---------------------------------------------------------------------------
// 1. first screen

fn assert_first_screen(p: &Pty, how: &str) {
    let s = p.screen();
    let header = region(&s, 0, 0, 80);
    assert!(
        header.starts_with(TITLE),
        "{how}: header {header:?} lacks the title"
    );
    assert!(
        header.ends_with(KIND),
        "{how}: header {header:?} lacks the kind at the right"
    );
    for (i, title) in THEMES.iter().enumerate() {
        let row = region(&s, 1 + i as u16, 0, LIST_W);
        assert!(
            shows_title(&row, title),
            "{how}: list row {i} is {row:?}, want {title:?}"
        );
    }
    assert!(
        region(&s, 8, 0, LIST_W).is_empty(),
        "{how}: list has more than 7 rows"
    );
    // Sub-themes are indented under Kernboodschap.
    assert!(
        region(&s, 3, 0, LIST_W).starts_with("  Verbinden"),
        "{how}: sub-theme not indented"
    );
    assert!(
        list_row_inverse(&s, 1),
        "{how}: Inleiding is not shown selected"
    );
    assert!(
        !list_row_inverse(&s, 2),
        "{how}: Kernboodschap shown selected"
    );
    assert_eq!(region(&s, 1, LIST_W, 1), "│", "{how}: no divider");
    assert_eq!(
        text_top(&s),
        "Inleiding",
        "{how}: text panel does not start with the theme title"
    );
    assert!(
        text_panel(&s).contains("Het Nederlands Instituut"),
        "{how}: Inleiding text missing:\n{}",
        text_panel(&s)
    );
    let st = status(&s);
    assert!(st.ends_with("1/7"), "{how}: status {st:?}");
    assert!(
        st.contains("zoeken") && st.contains("stoppen"),
        "{how}: no key hints in {st:?}"
    );
}

#[test]
fn first_screen_shows_title_all_themes_text_and_position() {
    // Built-in report: cwd without a report.toml, no argument.
    let dir = Scratch::new("builtin");
    let mut p = start_in(&dir, &[], 80, 24);
    assert_first_screen(&p, "built-in");
    quit(&mut p);

    // The repository's report.toml, named explicitly.
    let report = report_path();
    let mut p = start_in(&dir, &[&report], 80, 24);
    assert_first_screen(&p, "explicit path");
    quit(&mut p);
}

// ---------------------------------------------------------------------------
// 2. moving through the themes

#[test]
fn arrows_end_and_home_move_through_the_themes() {
    let (mut p, _dir) = start("navigate", 80, 24);
    p.key("Down");
    wait_position(&p, 2);
    p.key("Down");
    wait_position(&p, 3);
    wait(&p, "Verbinden text", |s| {
        text_top(s) == THEMES[2] && text_panel(s).contains("Sinds het begin van de coronacrisis")
    });
    let s = p.screen();
    let panel = text_panel(&s);
    assert!(
        panel.lines().any(|l| l.starts_with("• ")),
        "no bullet at the start of a line:\n{panel}"
    );
    assert!(
        list_row_inverse(&s, 3) && !list_row_inverse(&s, 1),
        "selection did not move in the list"
    );

    p.key("End");
    wait_position(&p, 7);
    wait(&p, "Communicatie with its placeholder", |s| {
        text_top(s) == "Communicatie" && text_panel(s).contains("(geen tekst)")
    });
    assert!(
        !p.screen_text().contains("Sinds het begin"),
        "old text left behind"
    );

    p.key("Home");
    wait_position(&p, 1);
    wait(&p, "Inleiding text again", |s| {
        text_top(s) == "Inleiding" && text_panel(s).contains("Het Nederlands Instituut")
    });
    assert!(
        !p.screen_text().contains("(geen tekst)"),
        "placeholder left behind"
    );

    // k/j move the list too, and Up stops at the first theme.
    p.key("Up");
    p.key("j");
    wait_position(&p, 2);
    p.key("k");
    wait_position(&p, 1);
    quit(&mut p);
}

// ---------------------------------------------------------------------------
// 3. scrolling the text

#[test]
fn focused_text_scrolls_with_j_k_space_pgup_and_end() {
    let (mut p, _dir) = start("scroll", 80, 24);
    // "Leren en reflecteren" (4/7) is longer than the 22-row panel.
    p.keys(&["Down", "Down", "Down"]);
    wait_position(&p, 4);
    wait(&p, "Leren title at the top", |s| text_top(s) == THEMES[3]);

    p.key("Tab");
    wait(
        &p,
        "list selection drawn unfocused (underlined, not inverse)",
        |s| !list_row_inverse(s, 4) && s.cell(4, 0).is_some_and(|c| c.underline()),
    );

    p.key("j");
    wait(&p, "text scrolled one line", |s| text_top(s) != THEMES[3]);
    p.key("j");
    wait(&p, "text scrolled to the first point", |s| {
        text_top(s).starts_with("• De coronacrisis")
    });
    assert_eq!(
        position(&p.screen()),
        Some((4, 7)),
        "j in the text must not change theme"
    );
    p.key("k");
    p.key("k");
    wait(&p, "back at the title", |s| text_top(s) == THEMES[3]);

    p.key("Space");
    wait(&p, "Space paged down", |s| {
        text_top(s) != THEMES[3] && !text_panel(s).contains("De coronacrisis leende")
    });
    assert_eq!(
        position(&p.screen()),
        Some((4, 7)),
        "Space mid-text must not change theme"
    );

    p.key("PageUp");
    wait(&p, "PgUp back at the top", |s| {
        text_top(s) == THEMES[3] && text_panel(s).contains("De coronacrisis leende")
    });

    // End shows the last lines; Space at the end goes on to the next theme.
    p.key("End");
    wait(&p, "end of the text", |s| {
        text_panel(s).contains("partners.") && text_top(s) != THEMES[3]
    });
    p.key("Space");
    wait_position(&p, 5);
    wait(&p, "next theme from its top", |s| {
        text_top(s).starts_with("De toekomstige rol")
    });
    quit(&mut p);
}

// ---------------------------------------------------------------------------
// 4. help

// ---------------------------------------------------------------------------
// 5. resizing

#[test]
fn resize_stacks_then_says_too_small_then_recovers() {
    let (mut p, _dir) = start("resize", 80, 24);
    // One key round trip first: a resize in the first moments is lost (see
    // resize_right_after_start_is_not_lost).
    input_ready(&mut p);

    // 40x12: list (3 rows) above a divider row, text below, status last.
    p.resize(40, 12);
    wait(&p, "stacked layout at 40x12", |s| {
        region(s, 4, 0, 40) == "─".repeat(40)
            && status(s).ends_with("1/7")
            && region(s, 1, 0, 40) == "Inleiding"
            && region(s, 5, 1, 39) == "Inleiding"
    });
    let s = p.screen();
    assert!(
        region(&s, 0, 0, 40).starts_with("Het rapport"),
        "header gone at 40x12"
    );
    assert!(
        region(&s, 2, 0, 40).starts_with("Kernboodschap"),
        "list row 2: {:?}",
        region(&s, 2, 0, 40)
    );
    // Still usable: moving works in the stacked layout.
    p.key("Down");
    wait(&p, "Kernboodschap at 40x12", |s| {
        position(s) == Some((2, 7)) && region(s, 5, 1, 39) == "Kernboodschap"
    });
    p.key("Up");
    wait_position(&p, 1);

    // Below the minimum (20x5): only the notice.
    p.resize(19, 4);
    wait(&p, "too-small notice at 19x4", |s| {
        region(s, 0, 0, 19) == "venster te klein"
    });
    p.resize(10, 3);
    wait(&p, "clipped notice at 10x3", |s| {
        region(s, 0, 0, 10) == "venster te"
            && region(s, 1, 0, 10).is_empty()
            && region(s, 2, 0, 10).is_empty()
    });
    assert!(
        p.exit_status().is_none(),
        "program ended at 10x3: {:?}",
        p.exit_status()
    );

    // 100x30: side by side again (list 33 columns wide).
    p.resize(100, 30);
    wait(&p, "full layout at 100x30", |s| {
        status(s).ends_with("1/7")
            && region(s, 0, 0, 100).starts_with(TITLE)
            && region(s, 0, 0, 100).ends_with(KIND)
            && (1..=28).all(|r| region(s, r, 33, 1) == "│")
            && region(s, 1, 35, 64) == "Inleiding"
    });
    let s = p.screen();
    for (i, title) in THEMES.iter().enumerate() {
        let row = region(&s, 1 + i as u16, 0, 33);
        assert!(shows_title(&row, title), "list row {i} at 100x30: {row:?}");
    }
    assert!(
        !p.screen_text().contains("venster te"),
        "too-small notice left behind"
    );
    quit(&mut p);
}

/// A window resized just as the program starts must still be redrawn at the
/// new size. Repeated because the window is a few milliseconds wide.
#[test]
fn resize_right_after_start_is_not_lost() {
    let report = report_path();
    for round in 0..10 {
        let dir = Scratch::new(&format!("resize-early-{round}"));
        let mut p = Pty::spawn_with(bin(), &[&report], 80, 24, &[], Some(&dir.0));
        // As soon as the first frame shows (not `wait`: no settling here).
        p.wait_for("first frame", DEFAULT_TIMEOUT, |s| {
            status(s).ends_with("1/7")
        });
        p.resize(40, 12);
        wait(
            &p,
            &format!("round {round}: stacked layout at 40x12"),
            |s| region(s, 4, 0, 40) == "─".repeat(40) && status(s).ends_with("1/7"),
        );
        quit(&mut p);
    }
}

/// When a resize went unnoticed (above), ratatui still resizes its buffer on
/// the next draw while `App::areas` keeps the old size: the next key must not
/// crash the program.
#[test]
fn a_key_after_an_unnoticed_resize_does_not_crash() {
    let report = report_path();
    for round in 0..20 {
        let dir = Scratch::new(&format!("resize-crash-{round}"));
        let mut p = Pty::spawn_with(bin(), &[&report], 80, 24, &[], Some(&dir.0));
        p.wait_for("first frame", DEFAULT_TIMEOUT, |s| {
            status(s).ends_with("1/7")
        });
        p.resize(40, 12);
        p.settle_default();
        let unnoticed = region(&p.screen(), 4, 0, 40) != "─".repeat(40);
        p.key("j");
        wait(
            &p,
            &format!("round {round}: 2/7 in the stacked layout after j"),
            |s| region(s, 4, 0, 40) == "─".repeat(40) && position(s) == Some((2, 7)),
        );
        quit(&mut p);
        if unnoticed {
            return; // the case this test is about happened, and was survived
        }
    }
}

// ---------------------------------------------------------------------------
// 6. quitting

#[test]
fn q_and_ctrl_c_exit_zero_and_restore_the_terminal() {
    for (name, prelude, quit_key) in [
        ("q", None, "q"),
        ("ctrl-c", None, "C-c"),
        ("ctrl-c-in-search", Some("/"), "C-c"),
    ] {
        let (mut p, _dir) = start(&format!("quit-{name}"), 80, 24);
        let raw = p.raw();
        assert!(
            common::find(&raw, common::ALT_SCREEN_ON).is_some(),
            "{name}: never entered the alternate screen"
        );
        assert!(
            p.screen().alternate_screen(),
            "{name}: not on the alternate screen"
        );
        if let Some(k) = prelude {
            p.key(k);
            wait(&p, "search bar", |s| status(s).starts_with("Zoek:"));
        }
        p.key(quit_key);
        assert_eq!(p.wait_exit(DEFAULT_TIMEOUT), Some(0), "{name}: exit code");
        p.wait_eof(DEFAULT_TIMEOUT);
        let raw = p.raw();
        assert!(
            restored(&raw),
            "{name}: terminal not restored; tail {}",
            common::escape(&raw[raw.len().saturating_sub(200)..])
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

// ---------------------------------------------------------------------------
// 7. incremental search

#[test]
fn search_finds_highlights_and_folds_diacritics_and_quotes() {
    search_phrase();
    search_without_diacritics();
    search_with_an_ascii_apostrophe();
}

/// A phrase that occurs once, in another theme: found as it is typed,
/// highlighted, kept after Enter, cleared by Esc.
fn search_phrase() {
    let (mut p, _dir) = start("search-ascii", 80, 24);
    p.key("/");
    wait(&p, "search bar", |s| status(s).starts_with("Zoek:"));
    p.key("spin in het web");
    wait(&p, "one match in Verbinden", |s| {
        counter(s) == Some((1, 1)) && text_top(s) == THEMES[2] && highlighted(s) == "spininhetweb"
    });
    assert!(
        status(&p.screen()).starts_with("Zoek: spin in het web"),
        "query not echoed"
    );
    // The list row of the theme with the match is selected.
    assert!(
        list_row_inverse(&p.screen(), 3),
        "list selection did not follow the match"
    );

    p.key("Enter");
    wait(&p, "search kept after Enter", |s| {
        let st = status(s);
        st.contains("/spin in het web") && counter(s) == Some((1, 1)) && position(s) == Some((3, 7))
    });
    assert_eq!(
        highlighted(&p.screen()),
        "spininhetweb",
        "highlight lost after Enter"
    );

    // Esc in browse mode clears the highlights.
    p.key("Esc");
    wait(&p, "highlights cleared", |s| {
        highlighted(s).is_empty() && counter(s).is_none()
    });
    assert_eq!(position(&p.screen()), Some((3, 7)));
    quit(&mut p);
}

/// ‘geexperimenteerd’ finds ‘geëxperimenteerd’.
fn search_without_diacritics() {
    let (mut p, _dir) = start("search-diaeresis", 80, 24);
    p.key("/");
    wait(&p, "search bar", |s| status(s).starts_with("Zoek:"));
    // The report has ‘geëxperimenteerd’ (with a diaeresis) once.
    p.key("geexperimenteerd");
    wait(&p, "typed query echoed", |s| {
        status(s).contains("geexperimenteerd")
    });
    wait(
        &p,
        "one match in 'Leren en reflecteren', highlighted",
        |s| {
            counter(s) == Some((1, 1))
                && text_panel(s).contains(THEMES[3])
                && list_row_inverse(s, 4)
        },
    );
    let s = p.screen();
    assert_eq!(highlighted(&s), "geëxperimenteerd", "highlighted cells");
    p.key("Enter");
    wait(&p, "position 4/7 after Enter", |s| {
        position(s) == Some((4, 7))
    });
    quit(&mut p);
}

/// "veiligheidsregio's" (ASCII apostrophe) finds veiligheidsregio’s (U+2019).
fn search_with_an_ascii_apostrophe() {
    let (mut p, _dir) = start("search-quote", 80, 24);
    p.key("/");
    wait(&p, "search bar", |s| status(s).starts_with("Zoek:"));
    // The report writes veiligheidsregio’s with U+2019.
    p.key("veiligheidsregio's");
    wait(&p, "typed query echoed", |s| {
        status(s).contains("veiligheidsregio's")
    });
    wait(&p, "many matches, the first current", |s| {
        counter(s).is_some_and(|(i, n)| i == 1 && n > 1)
    });
    let s = p.screen();
    let hl = highlighted(&s);
    assert!(
        hl.to_lowercase().contains("veiligheidsregio’s"),
        "no highlighted veiligheidsregio’s in the text panel: {hl:?}"
    );
    p.key("Enter");
    wait(&p, "browse with the search kept", |s| {
        status(s).contains("/veiligheidsregio's")
    });
    quit(&mut p);
}

// ---------------------------------------------------------------------------
// 8. n / N across themes

#[test]
fn n_and_shift_n_walk_matches_across_themes_and_wrap() {
    let (mut p, _dir) = start("next", 80, 24);
    p.key("/");
    wait(&p, "search bar", |s| status(s).starts_with("Zoek:"));
    p.key("crisis");
    wait(&p, "matches for crisis", |s| {
        counter(s).is_some_and(|(i, _)| i == 1)
    });
    p.key("Enter");
    wait(&p, "browse with the search kept", |s| {
        status(s).contains("/crisis")
            && counter(s).is_some_and(|(i, _)| i == 1)
            && position(s).is_some()
    });
    let s = p.screen();
    let (_, total) = counter(&s).unwrap();
    assert!(
        total >= 2,
        "crisis should match more than once (got {total})"
    );
    assert!(status(&s).contains("n/N"), "no n/N hint: {:?}", status(&s));
    let mut positions = vec![position(&s).unwrap().0];
    for k in 2..=total {
        p.key("n");
        wait(&p, &format!("treffer {k}/{total}"), |s| {
            counter(s) == Some((k, total)) && position(s).is_some()
        });
        let s = p.screen();
        positions.push(position(&s).unwrap().0);
        assert!(!highlighted(&s).is_empty(), "match {k} not highlighted");
    }
    assert!(
        positions.windows(2).all(|w| w[0] <= w[1]),
        "n went backwards through the themes: {positions:?}"
    );
    let distinct = {
        let mut d = positions.clone();
        d.dedup();
        d.len()
    };
    assert!(distinct >= 2, "n never left the first theme: {positions:?}");

    // n at the last match wraps to the first, with a notice.
    p.key("n");
    wait(&p, "wrapped to match 1", |s| {
        counter(s) == Some((1, total)) && status(s).contains("terug naar de eerste treffer")
    });
    assert_eq!(
        position(&p.screen()).unwrap().0,
        positions[0],
        "wrap did not return to the first theme"
    );

    // N at the first match wraps to the last.
    p.key("N");
    wait(&p, "wrapped to the last match", |s| {
        counter(s) == Some((total, total)) && status(s).contains("terug naar de laatste treffer")
    });
    assert_eq!(position(&p.screen()).unwrap().0, *positions.last().unwrap());
    // The notice lasts one action only.
    p.key("N");
    wait(&p, "previous match, notice gone", |s| {
        counter(s) == Some((total - 1, total)) && !status(s).contains("terug naar")
    });
    quit(&mut p);
}

// ---------------------------------------------------------------------------
// 9. Esc returns to where the search started

/// At 30x10 (stacked: 2 list rows, divider, 5 text rows from row 4) so that
/// Consequenties is long enough to scroll: selects it, focuses the text,
/// scrolls two lines, searches for a phrase in another theme and presses Esc.
/// Returns the program and the screen just before `/`.
fn search_and_cancel_from_consequenties(name: &str) -> (Pty, vt100::Screen, Scratch) {
    const TEXT_ROW0: u16 = 4;
    let dir = Scratch::new(name);
    let report = report_path();
    let mut p = start_in(&dir, &[&report], 30, 10);
    p.key("End");
    wait_position(&p, 7);
    p.key("Up");
    wait_position(&p, 6);
    wait(&p, "Consequenties text", |s| {
        region(s, TEXT_ROW0, 1, 29) == "Consequenties"
    });
    p.key("Tab");
    p.key("j");
    wait(&p, "scrolled one line", |s| {
        region(s, TEXT_ROW0, 1, 29) != "Consequenties"
    });
    p.key("j");
    wait(&p, "scrolled two lines", |s| {
        let top = region(s, TEXT_ROW0, 0, 30);
        !top.is_empty() && top != "Consequenties"
    });
    let before = p.screen();
    let top_before = region(&before, TEXT_ROW0, 0, 30);

    p.key("/");
    wait(&p, "search bar", |s| status(s).starts_with("Zoek:"));
    p.key("spin in het web");
    wait(&p, "jumped to the match", |s| {
        counter(s) == Some((1, 1)) && region(s, TEXT_ROW0, 0, 30) != top_before
    });
    p.key("Esc");
    wait(&p, "back at Consequenties", |s| {
        position(s) == Some((6, 7)) && !status(s).starts_with("Zoek:")
    });
    (p, before, dir)
}

#[test]
fn esc_in_search_returns_to_the_same_theme_and_line() {
    let (mut p, before, _dir) = search_and_cancel_from_consequenties("esc");
    let text_rows = 4..=8;
    let want: Vec<String> = text_rows
        .clone()
        .map(|r| region(&before, r, 0, 30))
        .collect();
    wait(&p, "the same text lines as before the search", |s| {
        text_rows
            .clone()
            .map(|r| region(s, r, 0, 30))
            .collect::<Vec<_>>()
            == want
    });
    let s = p.screen();
    assert_eq!(status(&s), status(&before), "status line differs after Esc");
    assert!(
        highlighted_anywhere(&s).is_empty(),
        "search highlights left after Esc"
    );
    // Consequenties is the selected list row, drawn as "text has focus".
    let row = (1..=2)
        .find(|&r| region(&s, r, 0, 30) == "Consequenties")
        .unwrap_or_else(|| panic!("Consequenties not in the list:\n{}", p.screen_text()));
    let cell = s.cell(row, 0).unwrap();
    assert!(
        !cell.inverse() && cell.underline(),
        "Consequenties not shown selected with the text focused"
    );
    // Focus is back on the text: k scrolls, it does not change theme.
    p.key("k");
    wait(&p, "k scrolls the text", |s| region(s, 4, 0, 30) != want[0]);
    assert_eq!(position(&p.screen()), Some((6, 7)));
    quit(&mut p);
}

/// Esc must return to *exactly* where the reader was (src/action.rs:
/// SearchCancel), list viewport included.
#[test]
fn esc_in_search_restores_the_whole_screen() {
    let (p, before, _dir) = search_and_cancel_from_consequenties("esc-exact");
    let want = all_rows(&before);
    let what = format!("the same screen as before the search:\n{}", want.join("\n"));
    wait(&p, &what, |s| all_rows(s) == want);
    let (b, a) = (cells(&before), cells(&p.screen()));
    let differ: Vec<_> = b.iter().zip(&a).filter(|(x, y)| x != y).collect();
    assert!(differ.is_empty(), "cells differ after Esc: {differ:?}");
}

// ---------------------------------------------------------------------------
// 10. no match

#[test]
fn a_query_without_matches_says_so_and_stays_put() {
    let (mut p, _dir) = start("nomatch", 80, 24);
    p.key("Down");
    wait_position(&p, 2);
    p.key("/");
    wait(&p, "search bar", |s| status(s).starts_with("Zoek:"));
    p.key("zzzqqq");
    wait(&p, "no-match message", |s| {
        status(s).contains("zzzqqq") && status(s).contains("geen treffers")
    });
    assert_eq!(
        text_top(&p.screen()),
        THEMES[1],
        "a failed search moved the text"
    );
    p.key("Enter");
    wait(&p, "browse, message kept", |s| {
        status(s).contains("/zzzqqq")
            && status(s).contains("geen treffers")
            && position(s) == Some((2, 7))
    });
    assert!(highlighted(&p.screen()).is_empty());
    p.key("n");
    wait(&p, "n says no matches", |s| {
        status(s).starts_with("geen treffers")
    });
    assert_eq!(position(&p.screen()), Some((2, 7)));
    quit(&mut p);
}

// ---------------------------------------------------------------------------
// 11. --search and plain output

#[test]
fn search_option_and_plain_output() {
    search_option_starts_at_the_first_match();
    plain_output_when_stdout_is_not_a_terminal();
}

/// `--search QUERY` on a terminal: the browser opens on the first match.
fn search_option_starts_at_the_first_match() {
    let dir = Scratch::new("search-arg");
    let report = report_path();
    let mut p = Pty::spawn_with(
        bin(),
        &["--search", "spin in het web", &report],
        80,
        24,
        &[],
        Some(&dir.0),
    );
    wait(&p, "first match shown", |s| {
        counter(s) == Some((1, 1))
            && position(s) == Some((3, 7))
            && status(s).contains("/spin in het web")
            && text_top(s) == THEMES[2]
            && highlighted(s) == "spininhetweb"
    });
    quit(&mut p);
}

fn plain(args: &[&str]) -> (std::process::ExitStatus, Vec<u8>) {
    let dir = Scratch::new(&format!("plain-{}", args.len()));
    let out = Command::new(bin())
        .args(args)
        .current_dir(&dir.0)
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("run briefing");
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status, out.stdout)
}

/// Standard output not a terminal: plain text, no escape sequences.
fn plain_output_when_stdout_is_not_a_terminal() {
    let report = report_path();

    // --search: one "Theme: text" line per matching block, like grep.
    let (status, out) = plain(&["--search", "crisis", &report]);
    assert_eq!(status.code(), Some(0), "--search crisis exit status");
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
    assert_eq!(status.code(), Some(1), "no match: exit 1 like grep");
    assert!(
        out.is_empty(),
        "output for no match: {:?}",
        String::from_utf8_lossy(&out)
    );

    // The whole report: no escape sequences, every theme, exit 0.
    for args in [
        vec![report.as_str()],
        vec!["--color", "always", report.as_str()],
        vec![],
    ] {
        let (status, out) = plain(&args);
        assert_eq!(status.code(), Some(0), "{args:?}: exit status");
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

// ---------------------------------------------------------------------------
// 12. signals and hangup

#[test]
fn signals_restore_the_terminal_and_hangup_ends_the_program() {
    for sig in ["TERM", "HUP", "INT"] {
        let (mut p, _dir) = start(&format!("sig-{sig}"), 80, 24);
        let mark = p.mark();
        p.signal(sig);
        let status = p.wait_exit_status(LONG);
        p.wait_eof(LONG);
        let signo = match sig {
            "TERM" => libc::SIGTERM,
            "HUP" => libc::SIGHUP,
            _ => libc::SIGINT,
        };
        assert!(
            status.code() == Some(128 + signo) || status.signal() == Some(signo),
            "SIG{sig}: unexpected exit status {status:?}"
        );
        let after = p.since(mark);
        assert!(
            restored(&p.raw()) && common::find(&after, common::ALT_SCREEN_OFF).is_some(),
            "SIG{sig}: terminal not restored; output after the signal: {}",
            common::escape(&after)
        );
    }

    // The terminal goes away (SSH connection dropped): the program must end.
    let (mut p, _dir) = start("hangup", 80, 24);
    p.close_master();
    let status = p.wait_exit_status(LONG);
    assert!(
        status.code().is_some() || status.signal().is_some(),
        "{status:?}"
    );
}
