//! Versions end to end (issue "A briefing has versions"): the real binary
//! keeps every version it loads, shows them in the timeline, opens an older
//! one read-only, and `--diff` and `--actions` print them; a countdown and
//! an action's due time change an idle screen by themselves. The screens
//! themselves are tested in-process (`ui::tests::versions`), the store in
//! tests/history.rs (kill -9, a full disk).

#[path = "common/mod.rs"]
mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use briefing_testkit::Scratch;
use briefing_testkit::run::Run;
use common::*;

const V13: &str = include_str!("../examples/hoogwater/sitrep-13.toml");
const V14: &str = include_str!("../examples/hoogwater/sitrep-14.toml");
const V15: &str = include_str!("../examples/hoogwater/sitrep-15.toml");

fn browse(scratch: &Scratch, cols: u16, rows: u16) -> Pty {
    Spawn::new(bin())
        .args(&["sitrep.toml"])
        .size(cols, rows)
        .cwd(scratch.dir())
        .env("XDG_STATE_HOME", scratch.state().display().to_string())
        .start()
}

fn plain(scratch: &Scratch, args: &[&str]) -> String {
    let out = Run::new(bin())
        .args(args)
        .cwd(scratch.dir())
        .env("XDG_STATE_HOME", scratch.state())
        .output();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn every_version_loaded_is_kept_shown_in_the_timeline_and_diffed() {
    let scratch = Scratch::new("versions");
    let report = scratch.write("sitrep.toml", V13);
    let mut p = browse(&scratch, 110, 30);
    p.wait_text("sitrep 13 · eerste");
    for (text, header) in [(V14, "sitrep 14 · update"), (V15, "sitrep 15 · update")] {
        Scratch::save_by_rename(&report, text);
        p.wait_text(header);
    }
    p.send(b"v");
    p.wait_for(
        "three versions, the current one marked",
        DEFAULT_TIMEOUT,
        |s| {
            let t = s.contents();
            t.contains("Versies (3)")
                && t.contains("sitrep 13")
                && t.contains("sitrep 14")
                && t.contains("● sitrep 15")
        },
    );
    // The first one, read-only, never mistaken for the current one.
    p.keys(&["g", "Enter"]);
    p.wait_text("sitrep 13: niet de huidige versie");
    assert!(p.screen_text().contains("46,00 m +NAP"), "sitrep 13's text");
    p.send(b"\x1b");
    p.wait_text_gone("niet de huidige versie");
    p.send(b"q");
    assert_eq!(p.wait_exit(DEFAULT_TIMEOUT), Some(0));

    let diff = plain(&scratch, &["--diff", "13", "15", "sitrep.toml"]);
    assert!(
        diff.starts_with("[TLP:AMBER]\nVerschil: sitrep 13 → sitrep 15\n"),
        "{diff}"
    );
    assert!(
        diff.contains("== Verkeer en infrastructuur (verwijderd)"),
        "{diff}"
    );
    assert!(
        diff.contains("~ gewijzigd: De Maas bij Eijsden staat op [−46,00][+46,45] m +NAP"),
        "{diff}"
    );
    assert!(diff.contains("== Bevolkingszorg (ongewijzigd)"), "{diff}");
    assert!(
        diff.trim_end().ends_with("[TLP:AMBER]"),
        "the classification closes it"
    );
    // prev is the one before the newest; last-seen what the reader saw last.
    let prev = plain(&scratch, &["--diff", "prev", "newest", "sitrep.toml"]);
    assert!(prev.contains("Verschil: sitrep 14 → sitrep 15"), "{prev}");
    let seen = plain(&scratch, &["--diff", "last-seen", "newest", "sitrep.toml"]);
    assert!(seen.contains("Verschil: sitrep 15 → sitrep 15"), "{seen}");
}

#[test]
fn a_version_nobody_kept_is_an_error_that_says_what_there_is() {
    let scratch = Scratch::new("versions-none");
    scratch.write("sitrep.toml", V15);
    let out = Run::new(bin())
        .args(&["--diff", "12", "15", "sitrep.toml"])
        .cwd(scratch.dir())
        .env("XDG_STATE_HOME", scratch.state())
        .output();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("12"), "{err}");
}

#[test]
fn actions_print_open_first_by_due_time_with_the_classification_around() {
    let scratch = Scratch::new("versions-actions");
    scratch.write("sitrep.toml", V15);
    let out = plain(&scratch, &["--actions", "--width", "100", "sitrep.toml"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "[TLP:AMBER]");
    assert_eq!(lines[1], "Acties (3)");
    // The report's 16:00 action is long past on this machine's clock.
    assert!(
        lines[2].starts_with("⚠ te laat Bewoners van de risicostraten"),
        "{out}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("Besluiten (3)")),
        "{out}"
    );
    assert_eq!(lines.last(), Some(&"[TLP:AMBER]"));
}

// A report whose next update is `update_in` seconds away and whose one
// open action is due in `due_in`, as UTC times.
fn soon(update_in: u64, due_in: u64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let utc = |t: u64| briefing::report::stamp::utc(i64::try_from(t).unwrap_or(0));
    format!(
        "title = \"Nu\"\nlanguage = \"nl\"\nnext_update = {}\n[[theme]]\ntitle = \"Eén\"\nbody = \"Tekst.\"\nactions = [{{ text = \"Bellen\", due = {} }}]\n",
        utc(now + update_in),
        utc(now + due_in)
    )
}

#[test]
fn the_countdown_and_an_overdue_action_change_an_idle_screen_by_themselves() {
    let scratch = Scratch::new("versions-idle");
    scratch.write("sitrep.toml", soon(3, 2));
    let p = browse(&scratch, 100, 20);
    p.wait_text("volgende update");
    p.wait_text("(over 1 min)");
    assert!(!p.screen_text().contains("⚠"), "nothing is late yet");
    // No key is pressed: the marks come when the times pass.
    p.wait_for("the action's overdue mark", Duration::from_secs(15), |s| {
        s.contents().contains("⚠ Bellen")
    });
    p.wait_for("the update overdue", Duration::from_secs(15), |s| {
        s.contents().contains("⚠ te laat: volgende update")
    });
}
