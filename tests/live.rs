//! End-to-end tests of what happens while `briefing` runs: live reload of
//! the report file (written in place, saved by rename, broken, deleted,
//! `--no-watch`), presenter and followers sharing a position file, change
//! marks remembered between runs (and `--changed`), a wall screen going
//! stale by itself, and the bytes `--ascii` and `--plain` send.
//!
//! Every test runs the real binary in a pseudo-terminal (`testkit`), in its
//! own scratch directory (the cwd) with its own `XDG_STATE_HOME`, so no
//! remembered state leaks between tests or from the machine. What presenting
//! and staleness look like after keys is tested in-process, as whole
//! screens (`src/ui/tests/presenting.rs`).
//!
//! Synchronisation: the program sends only the cells that changed, with no
//! end-of-frame marker, so every wait is on a screen predicate that checks
//! everything asserted afterwards (a frame arriving in several reads can
//! only make such a predicate hold once all of it is there). File changes
//! reach the program asynchronously (inotify, then a 30 ms settle in the
//! event loop): tests wait on the screen, never sleep. The one test where
//! time passing is the point (a killed presenter is noticed by a liveness
//! check every 5 s) waits up to 15 s for it, still on the screen. Where the
//! point is that something does *not* happen (`--no-watch`, a detached
//! follower), a witness shows that the trigger was delivered first.
//!
//! Layout (src/layout.rs) at width W >= 60: header row 0, theme list
//! columns 0..L with L = clamp(W/3, 16, 36), divider column L, text panel from
//! column L+2, status line on the last row. At 100x30: L = 33, text at 35.

use std::path::{Path, PathBuf};
use std::time::Duration;

use briefing_testkit::browser::{quit, text_panel, text_top, text_x};
use briefing_testkit::screen::{region, row, status};
use briefing_testkit::{ALT_SCREEN_ON, DEFAULT_TIMEOUT, Pty, Scratch, TITLE, bin, find, seed};

/// For what must merely happen within a generous time (a second of dwell,
/// a theme turning stale 15 s after its update).
const LONG: Duration = Duration::from_secs(40);

/// The themes of examples/hoogwater.toml in list order.
const HOOGWATER: [&str; 5] = [
    "Beeld",
    "Verwachting komende 24 uur",
    "Bevolkingszorg",
    "Communicatie",
    "Verkeer en infrastructuur",
];
/// The body of "Consequenties" in report.toml (one paragraph, two lines).
const CONSEQUENTIES_BODY: &str = "Het rapport zal waar mogelijk bijdragen aan de verdere professionalisering van veiligheidsregio’s\nbij acute, maar zeker ook bij meer chronische crises.";
/// The first line of the body of "Inleiding" in report.toml.
const INLEIDING_LINE: &str = "Het Nederlands Instituut Publieke Veiligheid heeft het onderzoek ‘De Veiligheidsregio als verbinder’";
/// A point of "Communicatie" in examples/hoogwater.toml.
const PERS_OLD: &str = "Persconferentie om 13.00 uur in het gemeentehuis.";
const PERS_NEW: &str = "Persconferentie om 15.30 uur in het provinciehuis.";

// ---------------------------------------------------------------------------
// scratch directories and files

/// A scratch directory whose `report.toml` is a copy of `source` (a path in
/// the repository).
fn with_report(name: &str, source: &str) -> Scratch {
    Scratch::with_report(name, &seed::root().join(source))
}

/// `briefing args` in a `cols` x `rows` pty, in `fx` (its cwd and state).
fn spawn(fx: &Scratch, args: &[&str], cols: u16, rows: u16) -> Pty {
    fx.spawn(bin!()).args(args).size(cols, rows).start()
}

/// `briefing args` with stdout and stderr piped (plain output), in `fx`.
fn run_plain(fx: &Scratch, args: &[&str]) -> (Option<i32>, String, String) {
    let out = fx.run(bin!()).args(args).output();
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

/// The state files the program wrote (`$XDG_STATE_HOME/briefing/*.seen`).
fn state_files(fx: &Scratch) -> Vec<PathBuf> {
    match std::fs::read_dir(fx.state().join("briefing")) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "seen"))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Rewrites `path` in place: the same file (inode) is truncated and written,
/// as `echo > file` or an editor with `backupcopy=yes` does.
fn write_in_place(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// Saves `path` the way many editors do: a new file renamed over it.
fn write_atomic(path: &Path, text: &str) {
    Scratch::save_by_rename(path, text);
}

/// `text` with `old` replaced by `new`; panics if `old` is not there (a
/// fixture that drifted must not make a test pass vacuously).
fn edit(text: &str, old: &str, new: &str) -> String {
    assert!(text.contains(old), "fixture lacks {old:?}");
    text.replacen(old, new, 1)
}

// ---------------------------------------------------------------------------
// reading the screen

/// The theme list's rows (screen rows 1..last-1), trailing blanks trimmed.
fn list_rows(s: &vt100::Screen) -> Vec<String> {
    let w = briefing_testkit::browser::list_width(s);
    (1..briefing_testkit::screen::rows(s) - 1)
        .map(|r| region(s, r, 0, w))
        .collect()
}

/// The list row (index into `list_rows`, i.e. screen row - 1) showing
/// `title` (in full, or shortened with "…"), and the marks after it.
fn list_entry(s: &vt100::Screen, title: &str) -> Option<(usize, String)> {
    list_rows(s).iter().enumerate().find_map(|(i, r)| {
        let t = r.trim_start();
        if let Some(rest) = t.strip_prefix(title)
            && (rest.is_empty() || rest.starts_with(' '))
        {
            return Some((i, rest.trim().to_string()));
        }
        let cut = t.find('…')?;
        let head = t[..cut].trim_end();
        (head.chars().count() >= 3 && title.starts_with(head))
            .then(|| (i, t[cut + '…'.len_utf8()..].trim().to_string()))
    })
}

/// The list row showing `title`, if it is listed.
fn list_row_of(s: &vt100::Screen, title: &str) -> Option<usize> {
    list_entry(s, title).map(|(i, _)| i)
}

/// The marks after `title` in the list ("● 12h !"), if the title is listed.
fn list_marks(s: &vt100::Screen, title: &str) -> Option<String> {
    list_entry(s, title).map(|(_, m)| m)
}

/// Whether the list row showing `title` is the focused selection (reverse video).
fn list_selected(s: &vt100::Screen, title: &str) -> bool {
    list_row_of(s, title)
        .and_then(|i| s.cell(u16::try_from(i).unwrap() + 1, 0))
        .is_some_and(|c| c.inverse())
}

/// Everything but the last row, joined with newlines (the presentation slide).
fn body(s: &vt100::Screen) -> String {
    (0..briefing_testkit::screen::rows(s) - 1)
        .map(|r| row(s, r))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The status line ends with the theme position `i/n` (right-aligned).
fn at(s: &vt100::Screen, i: usize, n: usize) -> bool {
    status(s).ends_with(&format!(" {i}/{n}"))
}

/// The status line shows no problem: the key hints, or a notice that says
/// in words what marks just appeared (themes changed since the last visit
/// or stale), which stands in for the hints until the next key.
fn hints_shown(s: &vt100::Screen) -> bool {
    let st = status(s);
    st.starts_with("/ zoeken  ? hulp  q stoppen")
        || st.contains("nieuw of gewijzigd sinds uw vorige bezoek · c: volgende")
        || st.contains("verouderd · m: alleen die tonen")
}

/// Whether the presentation footer ends with the time presenting and the
/// wall clock: "mm:ss  HH:MM".
fn footer_clock_ok(s: &vt100::Screen) -> bool {
    let f = status(s);
    let tail: Vec<char> = f.chars().rev().take(12).collect();
    let pattern = "dd:dd  dd:dd".chars().rev();
    tail.len() == 12
        && tail.iter().zip(pattern).all(|(c, p)| match p {
            'd' => c.is_ascii_digit(),
            other => *c == other,
        })
}

/// The presentation footer without its clocks: "thema 3/7  punt 1/5".
fn footer_left(s: &vt100::Screen) -> String {
    let f = status(s);
    if footer_clock_ok(s) {
        f[..f.len() - 12].trim_end().to_string()
    } else {
        f
    }
}

fn wait(p: &Pty, what: &str, pred: impl Fn(&vt100::Screen) -> bool) {
    p.wait_for(what, DEFAULT_TIMEOUT, pred);
}

/// Waits for the browser's first frame: the status line ends with "1/n".
fn wait_started(p: &Pty, n: usize) {
    wait(p, &format!("first frame (status ends with 1/{n})"), |s| {
        at(s, 1, n) && hints_shown(s)
    });
}

/// Moves the list selection down to theme `i` of `n` (1-based) with j.
fn go_to(p: &mut Pty, i: usize, n: usize, title: &str) {
    for k in 2..=i {
        p.key("j");
        wait(p, &format!("position {k}/{n}"), |s| at(s, k, n));
    }
    wait(p, &format!("{title} selected and shown"), |s| {
        at(s, i, n) && list_selected(s, title) && text_top(s) == title
    });
}

// ---------------------------------------------------------------------------
// 2.-6. live reload

#[test]
fn live_reload_of_a_file_rewritten_in_place_keeps_the_selection() {
    let fx = with_report("inplace", "report.toml");
    let mut p = spawn(&fx, &["report.toml"], 100, 30);
    wait_started(&p, 7);
    go_to(&mut p, 6, 7, "Consequenties");
    wait(&p, "old Consequenties text", |s| {
        text_panel(s).contains("professionalisering")
    });

    let new = edit(
        &fx.read("report.toml"),
        CONSEQUENTIES_BODY,
        "Gewijzigd ter plekke: het rapport gaat naar het Veiligheidsberaad.",
    );
    write_in_place(&fx.report(), &new);

    // No key is pressed: the reload alone must bring the new text.
    wait(&p, "new Consequenties text, still selected", |s| {
        let t = text_panel(s);
        t.contains("Gewijzigd ter plekke: het rapport gaat naar het")
            && !t.contains("professionalisering")
            && text_top(s) == "Consequenties"
            && at(s, 6, 7)
            && list_selected(s, "Consequenties")
            && hints_shown(s)
    });
    quit(&mut p);
}

#[test]
fn live_reload_of_a_file_saved_by_rename_twice() {
    let fx = with_report("rename", "report.toml");
    let mut p = spawn(&fx, &["report.toml"], 100, 30);
    wait_started(&p, 7);
    go_to(&mut p, 6, 7, "Consequenties");

    let original = fx.read("report.toml");
    write_atomic(
        &fx.report(),
        &edit(
            &original,
            CONSEQUENTIES_BODY,
            "Eerste versie, opgeslagen door hernoemen.",
        ),
    );
    wait(&p, "first renamed-in version shown", |s| {
        text_panel(s).contains("Eerste versie, opgeslagen door hernoemen.")
            && !text_panel(s).contains("professionalisering")
            && at(s, 6, 7)
            && list_selected(s, "Consequenties")
    });

    // The file watched at start has been replaced by another one; a second
    // save must still be seen (the directory is watched, not the inode).
    write_atomic(
        &fx.report(),
        &edit(
            &original,
            CONSEQUENTIES_BODY,
            "Tweede versie, weer door hernoemen.",
        ),
    );
    wait(&p, "second renamed-in version shown", |s| {
        text_panel(s).contains("Tweede versie, weer door hernoemen.")
            && !text_panel(s).contains("Eerste versie")
            && at(s, 6, 7)
            && list_selected(s, "Consequenties")
            && hints_shown(s)
    });
    quit(&mut p);
}

#[test]
fn live_reload_of_a_broken_file_keeps_the_last_good_report_and_shows_where() {
    let fx = with_report("broken", "report.toml");
    let mut p = spawn(&fx, &["report.toml"], 100, 30);
    wait_started(&p, 7);
    let original = fx.read("report.toml");

    // "titel" is not a key: the error is at line 3, column 1.
    write_in_place(&fx.report(), "title = \"x\"\n[[theme]]\ntitel = \"y\"\n");
    wait(&p, "error with file:line:column, old text kept", |s| {
        status(s).starts_with("report.toml:3:1: unknown key `titel`")
            && at(s, 1, 7)
            && text_top(s) == "Inleiding"
            && text_panel(s).contains("Het Nederlands Instituut")
            && list_row_of(s, "Communicatie").is_some()
    });

    // The error stays while the reader moves on (the old report is still usable).
    p.key("j");
    wait(&p, "error still shown at theme 2", |s| {
        status(s).starts_with("report.toml:3:1:") && at(s, 2, 7) && text_top(s) == "Kernboodschap"
    });

    // Fixed, with a change: the error goes and the new text comes.
    let fixed = edit(
        &original,
        "Sommigen menen dat de veiligheidsregio’s",
        "Hersteld: sommigen menen dat de veiligheidsregio’s",
    );
    write_in_place(&fx.report(), &fixed);
    wait(&p, "error gone, fixed report shown", |s| {
        hints_shown(s)
            && !status(s).contains("report.toml:")
            && at(s, 2, 7)
            && text_panel(s).contains("Hersteld: sommigen menen")
    });
    quit(&mut p);
}

#[test]
fn live_reload_of_a_deleted_file_says_so_and_loads_it_when_it_returns() {
    let fx = with_report("deleted", "report.toml");
    let mut p = spawn(&fx, &["report.toml"], 100, 30);
    wait_started(&p, 7);
    let original = fx.read("report.toml");

    std::fs::remove_file(fx.report()).expect("delete report");
    wait(&p, "cannot-read message, old text kept", |s| {
        status(s).starts_with("report.toml: cannot read the report: no such file")
            && at(s, 1, 7)
            && text_panel(s).contains("Het Nederlands Instituut")
    });

    // Back with the same content: the message must still go away.
    write_in_place(&fx.report(), &original);
    wait(&p, "loaded again, message gone", |s| {
        hints_shown(s)
            && !status(s).contains("cannot read")
            && at(s, 1, 7)
            && text_panel(s).contains("Het Nederlands Instituut")
    });

    // And it is still watched.
    write_in_place(
        &fx.report(),
        &edit(&original, INLEIDING_LINE, "Na het terugzetten gewijzigd."),
    );
    wait(&p, "change after the file came back", |s| {
        text_panel(s).contains("Na het terugzetten gewijzigd.") && hints_shown(s) && at(s, 1, 7)
    });
    quit(&mut p);
}

#[test]
fn no_watch_does_not_reload() {
    let fx = with_report("nowatch", "report.toml");
    let mut quiet = spawn(&fx, &["--no-watch", "report.toml"], 100, 30);
    wait_started(&quiet, 7);
    // A second instance that does watch: once it shows the change, the file
    // events have been delivered, so the one with --no-watch had every chance.
    let mut witness = spawn(&fx, &["report.toml"], 100, 30);
    wait_started(&witness, 7);

    let new = edit(
        &fx.read("report.toml"),
        INLEIDING_LINE,
        "Deze wijziging mag niet verschijnen.",
    );
    write_in_place(&fx.report(), &new);
    wait(&witness, "the watching instance shows the change", |s| {
        text_panel(s).contains("Deze wijziging mag niet verschijnen.")
    });

    // Redraw the text panel of the --no-watch instance: j then k.
    quiet.key("j");
    wait(&quiet, "theme 2", |s| {
        at(s, 2, 7) && text_top(s) == "Kernboodschap"
    });
    quiet.key("k");
    wait(&quiet, "theme 1 redrawn", |s| {
        at(s, 1, 7) && text_top(s) == "Inleiding"
    });
    let s = quiet.screen();
    assert!(
        text_panel(&s).contains("Het Nederlands Instituut")
            && !text_panel(&s).contains("Deze wijziging"),
        "--no-watch reloaded the report:\n{}",
        text_panel(&s)
    );
    quit(&mut quiet);
    quit(&mut witness);
}

#[test]
fn live_reload_keeps_the_scroll_offset_and_the_search() {
    let fx = with_report("keep-place", "report.toml");
    // 80x24: theme 3 is longer than the text panel (22 rows), so it scrolls.
    let mut p = spawn(&fx, &["report.toml"], 80, 24);
    wait_started(&p, 7);
    p.key("/");
    wait(&p, "search bar", |s| status(s).starts_with("Zoek: "));
    p.key("spin in het web");
    wait(&p, "one match while typing", |s| {
        status(s).contains("treffer 1/1")
    });
    p.key("Enter");
    wait(&p, "search kept, theme 3", |s| {
        status(s).ends_with("/spin in het web  treffer 1/1  3/7")
    });
    // Text focus, top, then three lines down.
    p.keys(&["l", "g", "j", "j", "j"]);
    wait(&p, "scrolled three lines into theme 3", |s| {
        text_top(s).trim_start() == "veiligheidsregio’s gericht op het organiseren en"
            && status(s).ends_with("treffer 1/1  3/7")
    });

    // Another theme gains a second match: the count changes, the place does not.
    write_atomic(
        &fx.report(),
        &edit(
            &fx.read("report.toml"),
            CONSEQUENTIES_BODY,
            "Ook hier blijkt de regio een spin in het web.",
        ),
    );
    wait(
        &p,
        "two matches after the reload, same theme and scroll",
        |s| {
            // The word about the change takes the query's place for now.
            status(s).ends_with("treffer 1/2  3/7")
                && text_top(s).trim_start() == "veiligheidsregio’s gericht op het organiseren en"
        },
    );
    // The new match is reachable.
    p.key("n");
    wait(&p, "n goes to the new match in Consequenties", |s| {
        status(s).ends_with("treffer 2/2  6/7")
            && text_panel(s).contains("Ook hier blijkt de regio een spin in het web.")
    });
    quit(&mut p);
}

#[test]
fn live_reload_finds_the_theme_by_title_else_by_position() {
    let fx = with_report("by-title", "report.toml");
    let mut p = spawn(&fx, &["report.toml"], 100, 30);
    wait_started(&p, 7);
    go_to(&mut p, 6, 7, "Consequenties");

    // A theme inserted before it: the same theme stays selected, one further down.
    let original = fx.read("report.toml");
    let inserted = edit(
        &original,
        "[[theme]]\ntitle = \"Inleiding\"",
        "[[theme]]\ntitle = \"Voorwoord\"\nbody = \"Nieuw vooraan.\"\n\n[[theme]]\ntitle = \"Inleiding\"",
    );
    write_atomic(&fx.report(), &inserted);
    wait(&p, "Consequenties still selected, now 7/8", |s| {
        at(s, 7, 8)
            && list_row_of(s, "Voorwoord") == Some(0)
            && list_selected(s, "Consequenties")
            && text_top(s) == "Consequenties"
    });

    // Its title changes: no title path matches, so the position decides.
    write_atomic(
        &fx.report(),
        &edit(
            &inserted,
            "title = \"Consequenties\"",
            "title = \"Gevolgen\"",
        ),
    );
    wait(&p, "the renamed theme at the same position", |s| {
        at(s, 7, 8)
            && list_row_of(s, "Consequenties").is_none()
            && list_selected(s, "Gevolgen")
            && text_top(s) == "Gevolgen"
            && text_panel(s).contains("professionalisering")
    });
    quit(&mut p);
}

#[test]
fn live_reload_while_presenting_keeps_the_slide_and_revealed_points() {
    let fx = with_report("present-reload", "report.toml");
    let mut p = spawn(&fx, &["--present", "report.toml"], 100, 30);
    wait(&p, "slide 1", |s| footer_left(s) == "thema 1/7");
    p.keys(&["3", "Enter"]);
    wait(&p, "slide 3", |s| footer_left(s) == "thema 3/7  punt 0/5");
    p.keys(&["Space", "Space"]);
    wait(&p, "two points revealed", |s| {
        footer_left(s) == "thema 3/7  punt 2/5" && body(s).contains("• Een belangrijke rol daarbij")
    });

    write_in_place(
        &fx.report(),
        &edit(
            &fx.read("report.toml"),
            "Een belangrijke rol daarbij was",
            "Een herschreven rol daarbij was",
        ),
    );
    wait(&p, "edited point shown, still two revealed", |s| {
        let b = body(s);
        footer_left(s) == "thema 3/7  punt 2/5"
            && b.contains("• Een herschreven rol daarbij")
            && !b.contains("Een belangrijke rol")
            && !b.contains("Ook het redigeren")
    });
    quit(&mut p);
}

// ---------------------------------------------------------------------------
// 7.-8. presenter and followers

/// A presenter at 100x30 sharing its position to `room.pos` in `fx`, on slide 1.
fn presenter(fx: &Scratch) -> Pty {
    let p = spawn(
        fx,
        &["--present", "--share", "room.pos", "report.toml"],
        100,
        30,
    );
    wait(&p, "presenter slide 1", |s| footer_left(s) == "thema 1/7");
    p
}

/// A follower of `room.pos` in `fx`, attached to the presenter at 1/7.
fn follower(fx: &Scratch, cols: u16, rows: u16) -> Pty {
    let p = spawn(fx, &["--follow", "room.pos", "report.toml"], cols, rows);
    wait(&p, "follower attached", |s| {
        status(s).ends_with("volgen ●  1/7")
    });
    p
}

#[test]
fn follower_follows_detaches_reattaches_and_sees_the_presenter_stop() {
    let fx = with_report("follow", "report.toml");
    let pos = fx.path("room.pos");
    let mut presenter = presenter(&fx);
    // The position is written right after the presenter's own frame.
    briefing_testkit::wait_until("the position file", DEFAULT_TIMEOUT, || pos.exists());
    let written = std::fs::read_to_string(&pos).expect("presenter wrote the position file");
    assert!(written.contains("live = true"), "position file:\n{written}");

    let mut follower = spawn(&fx, &["--follow", "room.pos", "report.toml"], 60, 20);
    wait(&follower, "follower attached at 1/7", |s| {
        status(s).ends_with("volgen ●  1/7") && text_top(s) == "Inleiding"
    });

    // The presenter writes the position just after its own frame; the
    // follower is waited for on its own screen.
    presenter.key("Space");
    wait(&presenter, "presenter slide 2", |s| {
        footer_left(s) == "thema 2/7"
    });
    wait(&follower, "follower at 2/7", |s| {
        status(s).ends_with("volgen ●  2/7") && text_top(s) == "Kernboodschap"
    });

    presenter.keys(&["3", "Enter"]);
    wait(&presenter, "presenter slide 3", |s| {
        footer_left(s) == "thema 3/7  punt 0/5"
    });
    wait(&follower, "follower at 3/7", |s| {
        status(s).ends_with("volgen ●  3/7") && text_top(s) == "Verbinden op verschillende manieren"
    });

    // The follower wanders off: detached.
    follower.key("j");
    wait(&follower, "follower detached at 4/7", |s| {
        status(s).ends_with("losgekoppeld (F: volgen)  4/7")
            && text_top(s) == "Leren en reflecteren"
    });

    // The presenter moves on; the detached follower stays where it is.
    presenter.keys(&["6", "Enter"]);
    wait(&presenter, "presenter slide 6", |s| {
        footer_left(s) == "thema 6/7" && body(s).contains("Consequenties")
    });
    // A round trip through the follower's event loop (help on, help off)
    // after the presenter's write: it has had the file event by then.
    follower.key("?");
    wait(
        &follower,
        "follower help open, still detached at 4/7",
        |s| body(s).contains("Toetsen") && status(s).ends_with("losgekoppeld (F: volgen)  4/7"),
    );
    follower.key("?");
    wait(
        &follower,
        "follower help closed, still detached at 4/7",
        |s| {
            !body(s).contains("Toetsen")
                && status(s).ends_with("losgekoppeld (F: volgen)  4/7")
                && text_top(s) == "Leren en reflecteren"
        },
    );

    // F: back to the presenter's theme, attached.
    follower.key("F");
    wait(&follower, "follower re-attached at 6/7", |s| {
        status(s).ends_with("volgen ●  6/7") && text_top(s) == "Consequenties"
    });

    // The presenter quits: it marks the file, the follower says so.
    quit(&mut presenter);
    let written = std::fs::read_to_string(&pos).expect("position file after quit");
    assert!(
        written.contains("live = false"),
        "position file after quit:\n{written}"
    );
    wait(&follower, "follower: presenter stopped", |s| {
        status(s).ends_with("volgen (presentator gestopt)  6/7") && text_top(s) == "Consequenties"
    });
    quit(&mut follower);
}

#[test]
fn follower_refuses_a_position_file_of_another_report() {
    let fx = with_report("other", "report.toml");
    let pos = fx.path("room.pos");
    // A real position file, written by a presenter.
    let mut presenter = presenter(&fx);
    quit(&mut presenter);
    let written = std::fs::read_to_string(&pos).expect("position file");
    let mut replaced = 0;
    let other: String = written
        .lines()
        .map(|l| {
            if l.starts_with("report = ") {
                replaced += 1;
                "report = \"Hoogwater Maas en Roer\"".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    assert_eq!(replaced, 1, "no `report = ` line in:\n{written}");
    std::fs::write(&pos, other).expect("write position file");

    let mut follower = spawn(&fx, &["--follow", "room.pos", "report.toml"], 200, 10);
    assert_eq!(
        follower.wait_exit(DEFAULT_TIMEOUT),
        Some(2),
        "must refuse with exit code 2"
    );
    follower.wait_eof(DEFAULT_TIMEOUT);
    let text = follower.screen().contents();
    assert!(
        text.contains("Hoogwater Maas en Roer") && text.contains(TITLE),
        "the message must name both reports:\n{text}"
    );
    assert!(
        text.contains("room.pos"),
        "the message must name the file:\n{text}"
    );
    assert!(
        find(&follower.raw(), ALT_SCREEN_ON).is_none(),
        "refused before taking over the terminal"
    );
}

#[test]
fn follower_waits_for_a_presenter_that_starts_later() {
    let fx = with_report("follow-wait", "report.toml");
    let mut follower = spawn(&fx, &["--follow", "room.pos", "report.toml"], 80, 24);
    wait(&follower, "follower waiting", |s| {
        status(s).ends_with("wacht op presentator  1/7") && text_top(s) == "Inleiding"
    });

    let mut presenter = presenter(&fx);
    wait(&follower, "follower attached", |s| {
        status(s).ends_with("volgen ●  1/7")
    });
    presenter.keys(&["5", "Enter"]);
    wait(&presenter, "presenter slide 5", |s| {
        footer_left(s).starts_with("thema 5/7")
    });
    wait(&follower, "follower at 5/7", |s| {
        status(s).ends_with("volgen ●  5/7") && text_top(s).starts_with("De toekomstige rol van de")
    });
    quit(&mut presenter);
    quit(&mut follower);
}

#[test]
fn follower_ignores_a_position_of_another_report_while_running() {
    let fx = with_report("follow-other", "report.toml");
    let pos = fx.path("room.pos");
    let mut presenter = presenter(&fx);
    let mut follower = follower(&fx, 100, 30);

    // Someone else's presenter takes over the file, at another theme.
    let written = std::fs::read_to_string(&pos).expect("position file");
    let other = written
        .lines()
        .map(|l| {
            if l.starts_with("report = ") {
                "report = \"Hoogwater Maas en Roer\"".to_string()
            } else if l.starts_with("index = ") {
                "index = 5".to_string()
            } else if l.starts_with("theme = ") {
                "theme = [\"Consequenties\"]".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    write_atomic(&pos, &other);
    wait(&follower, "message, position ignored", |s| {
        status(s).contains("positiebestand hoort bij een ander")
            && at(s, 1, 7)
            && text_top(s) == "Inleiding"
    });

    // Our presenter writes again: followed again, the message goes.
    presenter.key("Space");
    wait(&presenter, "presenter slide 2", |s| {
        footer_left(s) == "thema 2/7"
    });
    wait(&follower, "follower back with the presenter", |s| {
        status(s).ends_with("volgen ●  2/7")
            && !status(s).contains("positiebestand")
            && text_top(s) == "Kernboodschap"
    });
    quit(&mut presenter);
    quit(&mut follower);
}

#[test]
fn follower_notices_a_presenter_that_died() {
    let fx = with_report("follow-died", "report.toml");
    let mut presenter = presenter(&fx);
    let mut follower = follower(&fx, 80, 24);

    // Killed: it cannot mark the file. The follower checks every 5 s that a
    // presenter on this host still runs (here time passing is the point).
    presenter.signal("KILL");
    assert_eq!(
        presenter.wait_exit(DEFAULT_TIMEOUT),
        None,
        "killed by a signal"
    );
    let written = std::fs::read_to_string(fx.path("room.pos")).expect("position file");
    assert!(
        written.contains("live = true"),
        "a killed presenter left:\n{written}"
    );
    follower.wait_for(
        "follower: presenter stopped (liveness check every 5 s)",
        std::time::Duration::from_secs(15),
        |s| status(s).ends_with("volgen (presentator gestopt)  1/7"),
    );
    quit(&mut follower);
}

#[test]
fn follower_shows_why_a_position_file_cannot_be_used() {
    let fx = with_report("follow-garbage", "report.toml");
    std::fs::write(fx.path("room.pos"), "report = 3\n").expect("write position file");
    let mut follower = spawn(&fx, &["--follow", "room.pos", "report.toml"], 100, 30);
    wait(&follower, "the problem, with file:line:column", |s| {
        status(s).contains("room.pos:1:10: not a position file") && at(s, 1, 7)
    });
    quit(&mut follower);
}

// ---------------------------------------------------------------------------
// 9.-10. what changed since last time

#[test]
fn changed_themes_are_marked_between_runs_and_while_running() {
    let fx = with_report("changed", "examples/hoogwater.toml");

    // First run: nothing remembered, so nothing is marked; quitting remembers.
    let mut p = spawn(&fx, &["report.toml"], 100, 30);
    wait(&p, "first run: five themes", |s| {
        at(s, 1, 5) && HOOGWATER.iter().all(|t| list_row_of(s, t).is_some())
    });
    let s = p.screen();
    assert!(
        !list_rows(&s).concat().contains('●'),
        "first run marks nothing:\n{}",
        list_rows(&s).join("\n")
    );
    quit(&mut p);
    assert_eq!(state_files(&fx).len(), 1, "quitting writes one state file");

    let original = fx.read("report.toml");
    write_in_place(&fx.report(), &edit(&original, PERS_OLD, PERS_NEW));

    // Second run: only Communicatie is marked.
    let mut p = spawn(&fx, &["report.toml"], 100, 30);
    wait(&p, "second run: Communicatie marked ●", |s| {
        at(s, 1, 5)
            && list_marks(s, "Communicatie").is_some_and(|m| m.starts_with('●'))
            && HOOGWATER
                .iter()
                .filter(|t| **t != "Communicatie")
                .all(|t| list_marks(s, t).is_some_and(|m| !m.contains('●')))
    });

    // c goes to it; the changed point has the margin marker, the other not.
    p.key("c");
    wait(
        &p,
        "c selects Communicatie and shows the changed point",
        |s| at(s, 4, 5) && list_selected(s, "Communicatie") && text_panel(s).contains(PERS_NEW),
    );
    let s = p.screen();
    let x = text_x(&s);
    let row_of = |needle: &str| -> u16 {
        (1..29)
            .find(|&r| region(&s, r, x, 100 - x).contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} not in the text panel:\n{}", text_panel(&s)))
    };
    let changed = row_of("Persconferentie om 15.30");
    let unchanged = row_of("Veel vragen op sociale media");
    let margin = |r: u16| {
        s.cell(r, x - 1)
            .map(|c| c.contents().to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        margin(changed),
        "▌",
        "changed point lacks the margin marker"
    );
    assert!(
        margin(unchanged).trim().is_empty(),
        "unchanged point is marked: {:?}",
        margin(unchanged)
    );

    // While it runs, another theme changes: after the reload it is marked too.
    let now = fx.read("report.toml");
    write_in_place(
        &fx.report(),
        &edit(
            &now,
            "biedt plaats aan 300 mensen.",
            "biedt nu plaats aan 450 mensen.",
        ),
    );
    wait(&p, "Bevolkingszorg marked ● after the reload", |s| {
        // Communicatie's own mark goes once it has been on screen for a
        // second (marks.rs DWELL), which a loaded machine may well pass here.
        list_marks(s, "Bevolkingszorg").is_some_and(|m| m.starts_with('●'))
            && list_marks(s, "Beeld").is_some_and(|m| !m.contains('●'))
            && at(s, 4, 5)
            && list_selected(s, "Communicatie")
    });
    quit(&mut p);
}

#[test]
fn changed_option_prints_only_what_changed_then_nothing() {
    let fx = with_report("changed-plain", "examples/hoogwater.toml");
    // Remember the report as seen, by reading it in the browser.
    let mut p = spawn(&fx, &["report.toml"], 100, 30);
    wait_started(&p, 5);
    quit(&mut p);
    assert_eq!(state_files(&fx).len(), 1, "quitting writes one state file");

    write_in_place(
        &fx.report(),
        &edit(&fx.read("report.toml"), PERS_OLD, PERS_NEW),
    );

    let (code, out, err) = run_plain(&fx, &["--changed", "report.toml"]);
    assert_eq!(code, Some(0), "stderr: {err}");
    let headings: Vec<&str> = out.lines().filter(|l| l.starts_with("== ")).collect();
    assert_eq!(headings, ["== Communicatie (gewijzigd)"], "output:\n{out}");
    let marked: Vec<&str> = out.lines().filter(|l| l.starts_with("+ ")).collect();
    assert_eq!(marked.len(), 1, "one changed line expected:\n{out}");
    assert!(
        marked[0].contains(PERS_NEW),
        "the changed point is marked with '+ ':\n{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("  ") && l.contains("Veel vragen op sociale media")),
        "the unchanged point is shown unmarked:\n{out}"
    );
    for other in [
        "Beeld",
        "Bevolkingszorg",
        "Verkeer en infrastructuur",
        "De Maas bij Eijsden",
    ] {
        assert!(!out.contains(other), "unchanged {other:?} printed:\n{out}");
    }
    assert!(!out.contains('\x1b'), "plain output has no escapes");

    // --changed remembers: the second time there is nothing new.
    let (code, out, err) = run_plain(&fx, &["--changed", "report.toml"]);
    assert_eq!(code, Some(0), "stderr: {err}");
    // The classification opens and closes it.
    assert_eq!(
        out.trim(),
        "[Vertrouwelijk]\ngeen wijzigingen sinds de vorige keer\n[Vertrouwelijk]"
    );
}

#[test]
fn changed_option_without_state_prints_everything_as_new() {
    let fx = with_report("changed-fresh", "examples/hoogwater.toml");
    let (code, out, err) = run_plain(&fx, &["--changed", "report.toml"]);
    assert_eq!(code, Some(0), "stderr: {err}");
    let headings: Vec<&str> = out.lines().filter(|l| l.starts_with("== ")).collect();
    assert_eq!(
        headings,
        [
            "== Beeld (nieuw)",
            "== Beeld / Verwachting komende 24 uur (nieuw)",
            "== Bevolkingszorg (nieuw)",
            "== Communicatie (nieuw)",
            "== Verkeer en infrastructuur (nieuw)",
        ],
        "output:\n{out}"
    );
    let (code, out, _) = run_plain(&fx, &["--changed", "report.toml"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        out.trim(),
        "[Vertrouwelijk]\ngeen wijzigingen sinds de vorige keer\n[Vertrouwelijk]"
    );
}

// ---------------------------------------------------------------------------
// a change saved while briefing starts

/// A save that lands after briefing read the report but before it watches
/// the file must still be shown (an information manager saving the sitrep
/// while someone starts briefing). It is lost: `Loop::new` (src/term/mod.rs)
/// hashes the file by reading it *again*, after the report was prepared, and
/// the watcher is registered only after that; a save in between is never
/// seen, and since the hash is of the new text, even saving the same text
/// again later is ignored as "unchanged". The large report only widens the
/// window (preparing it takes a while), so the test is deterministic.
#[test]
fn a_change_saved_while_starting_up_is_shown() {
    let fx = Scratch::new("startup-race");
    // A large report makes preparing it take a while after it was read, so
    // the save below reliably lands between reading and watching.
    let mut text = String::from("title = \"Groot rapport\"\nlanguage = \"nl\"\n");
    let para = "de veiligheidsregio verbindt gemeenten en partners in de crisis ".repeat(20);
    for i in 0..800 {
        text.push_str(&format!(
            "\n[[theme]]\ntitle = \"Thema {i}\"\nbody = \"\"\"{para}\n\n{para}\"\"\"\n"
        ));
    }
    std::fs::write(fx.report(), &text).expect("write report");
    let closes = briefing_testkit::os::CloseWatch::new(&fx.report());
    let mut p = spawn(&fx, &["report.toml"], 100, 30);
    closes.wait(DEFAULT_TIMEOUT); // briefing has read the report
    write_atomic(
        &fx.report(),
        &text.replacen("title = \"Thema 0\"", "title = \"Thema nul\"", 1),
    );
    wait(&p, "first frame", |s| at(s, 1, 800));
    wait(&p, "the saved change shown", |s| {
        list_row_of(s, "Thema nul").is_some() && text_top(s) == "Thema nul"
    });
    quit(&mut p);
}

// ---------------------------------------------------------------------------
// A new user's first hour: what needs the real program in a terminal.

/// The mtime of the one state file, once there is one.
fn state_stamp(fx: &Scratch) -> Option<std::time::SystemTime> {
    let files = state_files(fx);
    files
        .first()
        .and_then(|f| std::fs::metadata(f).ok()?.modified().ok())
}

/// Issue "first hour" §4: "unseen" is state. A changed theme not opened
/// stays marked after quitting; opened (a second on screen) it is not; and
/// what was seen is on disk within about a second, so a SIGKILL loses no
/// more than that.
#[test]
fn an_unopened_change_stays_marked_and_a_seen_one_survives_a_kill() {
    let fx = with_report("unseen", "examples/hoogwater.toml");
    let mut p = spawn(&fx, &["report.toml"], 100, 30);
    wait_started(&p, 5);
    quit(&mut p);
    let original = fx.read("report.toml");
    write_in_place(&fx.report(), &edit(&original, PERS_OLD, PERS_NEW));
    let marked =
        |s: &vt100::Screen| list_marks(s, "Communicatie").is_some_and(|m| m.starts_with('●'));

    // Seen marked, quit without opening it: still marked next time.
    let mut p = spawn(&fx, &["report.toml"], 100, 30);
    wait(&p, "Communicatie marked", |s| at(s, 1, 5) && marked(s));
    quit(&mut p);
    let mut p = spawn(&fx, &["report.toml"], 100, 30);
    wait(&p, "still marked after a run that did not open it", |s| {
        at(s, 1, 5) && marked(s)
    });

    // Open it and stay: within about a second it is remembered as seen.
    let before = state_stamp(&fx);
    p.key("c");
    wait(&p, "on Communicatie", |s| at(s, 4, 5));
    briefing_testkit::wait_until("the state written after a second on screen", LONG, || {
        state_stamp(&fx) != before
    });
    p.signal("KILL");
    p.wait_exit_status(DEFAULT_TIMEOUT);
    let mut p = spawn(&fx, &["report.toml"], 100, 30);
    wait(&p, "seen before the kill: no longer marked", |s| {
        at(s, 1, 5) && list_marks(s, "Communicatie").is_some_and(|m| !m.contains('●'))
    });
    quit(&mut p);
}

/// Issue "first hour" §2: a wall screen nobody touches changes by itself at
/// the moment a theme becomes stale.
#[test]
fn an_idle_screen_marks_a_theme_stale_at_its_moment() {
    let fx = Scratch::new("idle-stale");
    let unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        - 5;
    let stamp = {
        // UTC, as TOML writes it.
        let days = unix / 86_400;
        let secs = unix % 86_400;
        let (y, m, d) = civil(i64::try_from(days).expect("days"));
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    };
    std::fs::write(
        fx.report(),
        format!(
            "title = \"Idle\"\nlanguage = \"en\"\n[[theme]]\ntitle = \"Levels\"\nupdated = {stamp}\nbody = \"The river.\"\n[[theme]]\ntitle = \"Other\"\n"
        ),
    )
    .expect("report");
    let p = spawn(&fx, &["--stale", "15s", "report.toml"], 80, 24);
    wait(&p, "started, fresh", |s| {
        at(s, 1, 2) && list_marks(s, "Levels").is_some_and(|m| !m.contains('!'))
    });
    // No key is pressed: the browser wakes by itself when "Levels" turns
    // stale (15 s after its update).
    p.wait_for("stale without a key", LONG, |s| {
        list_marks(s, "Levels").is_some_and(|m| m.contains('!'))
    });
}

// Days since the epoch to a civil date (Howard Hinnant's algorithm).
fn civil(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).expect("day");
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).expect("month");
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Issue "first hour" §1: after a burst of presenter keys the follower
/// shows only states the presenter was in (it may skip some).
#[test]
fn a_follower_never_shows_a_state_the_presenter_was_not_in() {
    let fx = with_report("follow-burst", "report.toml");
    let mut presenter = presenter(&fx);
    let mut follower = spawn(
        &fx,
        &["--present", "--follow", "room.pos", "report.toml"],
        80,
        24,
    );
    wait(&follower, "follower on slide 1", |s| {
        footer_left(s).starts_with("thema 1/7")
    });
    let mark = follower.mark();
    // The presenter's states: (theme, revealed) after each key.
    let keys = [
        "3", "Enter", "Space", "Space", "Space", "Space", "Space", "Space", "Space", "Space",
    ];
    let mut states = vec!["thema 1/7".to_string()];
    let state_of = |s: &vt100::Screen| footer_left(s).split("  →").next().unwrap_or("").to_string();
    for k in keys {
        presenter.key(k);
        // Every key but the digit moves on: wait for the frame that shows it
        // (a quiet spell alone is no proof on a loaded machine).
        let before = states.last().cloned().unwrap_or_default();
        if k != "3" {
            wait(&presenter, "the presenter moved on", |s| {
                state_of(s) != before
            });
        }
        presenter.settle(std::time::Duration::from_millis(20), DEFAULT_TIMEOUT);
        states.push(state_of(&presenter.screen()));
    }
    let last = states.last().cloned().expect("a state");
    wait(&follower, "follower at the presenter's last slide", |s| {
        footer_left(s).starts_with(&last)
    });
    // Replay what the follower drew, chunk by chunk: every footer it showed
    // is one the presenter showed.
    let reads = follower.reads_since(mark);
    let mut parser = vt100::Parser::new(
        std::num::NonZeroU16::new(24).expect("rows"),
        std::num::NonZeroU16::new(80).expect("cols"),
        0,
    );
    parser.process(&follower.raw()[..mark]);
    for chunk in &reads {
        parser.process(chunk);
        let f = footer_left(parser.screen());
        let shown = f.split("  volgen").next().unwrap_or("").trim().to_string();
        if shown.starts_with("thema") {
            assert!(
                states
                    .iter()
                    .any(|st| st == &shown
                        || shown.starts_with(st.as_str()) && st.len() == shown.len()),
                "the follower showed {shown:?}, never a state of the presenter: {states:?}"
            );
        }
    }
    quit(&mut follower);
    quit(&mut presenter);
}

/// Issue "first hour" §5: `--ascii` leaves no non-ASCII byte on screen.
#[test]
fn ascii_leaves_no_other_byte() {
    let fx = with_report("ascii", "examples/hoogwater.toml");
    let mut p = spawn(&fx, &["--ascii", "report.toml"], 100, 30);
    wait(&p, "started", |s| at(s, 1, 5));
    for key in ["j", "?", "Esc", "p", "Space", "Esc"] {
        p.key(key);
        p.settle_default();
    }
    quit(&mut p);
    let raw = p.raw();
    assert!(raw.is_ascii(), "a non-ASCII byte with --ascii");
}

/// Issue "first hour" §5: `--plain` on a terminal wraps to its width.
#[test]
fn plain_on_a_terminal_wraps_to_its_width() {
    let fx = with_report("plain-width", "report.toml");
    let mut p = spawn(&fx, &["--plain", "report.toml"], 40, 200);
    assert_eq!(p.wait_exit(DEFAULT_TIMEOUT), Some(0));
    p.wait_eof(DEFAULT_TIMEOUT);
    let text = String::from_utf8_lossy(&p.raw()).into_owned();
    let widest = text
        .lines()
        .map(|l| briefing::text::display_width(l.trim_end_matches('\r')))
        .max()
        .unwrap_or(0);
    assert!(
        widest <= 40 && widest > 30,
        "lines up to {widest} columns on a 40-column terminal"
    );
}
