//! Any report size at once (issue "Every byte, round two" §2): a large
//! report shows its first themes at once while the rest is read, then the
//! whole report takes their place at the reader's place; an error further
//! down still ends the browser with the message; what the reader saw is
//! neither read late nor lost. Timings are benchmarks (`cargo bench --bench
//! wire`), not assertions here.

#[path = "common/mod.rs"]
mod common;

use briefing_testkit::Scratch;
use common::*;

// A valid report of `themes` themes, each a few hundred bytes: 10,000 make
// about 3 MB, above the size that is shown progressively.
fn large(themes: usize) -> String {
    let mut s = String::from("title = \"Groot\"\nlanguage = \"nl\"\n");
    for t in 0..themes {
        s.push_str(&format!(
            "[[theme]]\ntitle = \"Thema {t}\"\nbody = \"{}\"\npoints = [\"Punt een van {t}.\", \"Punt twee van {t}.\"]\n",
            "Een zin met woorden om te lezen en te doorzoeken. ".repeat(4)
        ));
    }
    s
}

fn browse(scratch: &Scratch, args: &[&str]) -> Pty {
    Spawn::new(bin())
        .args(args)
        .size(100, 30)
        .cwd(scratch.dir())
        .env("XDG_STATE_HOME", scratch.state().display().to_string())
        .start()
}

#[test]
fn a_large_report_shows_its_first_themes_then_all_of_them() {
    let scratch = Scratch::new("large");
    scratch.write("report.toml", large(10_000));
    let mut p = browse(&scratch, &["report.toml"]);
    p.wait_text("Thema 0");
    p.wait_text("1/10000");
    // The first frame said that the rest was still being read.
    let raw = p.raw();
    assert!(
        find(&raw, "de rest wordt gelezen".as_bytes()).is_some(),
        "the first frame was of the whole report: {}",
        escape(&raw[..raw.len().min(3000)])
    );
    // All of it is there: the last theme, and search across it.
    p.keys(&["G"]);
    p.wait_text("Thema 9999");
    p.send(b"/Punt twee van 9998\r");
    p.wait_text("Thema 9998");
    p.send(b"q");
    assert_eq!(p.wait_exit(DEFAULT_TIMEOUT), Some(0));
}

#[test]
fn an_error_further_down_still_ends_the_browser_with_the_message() {
    let scratch = Scratch::new("large-bad");
    let mut text = large(10_000);
    text.push_str("[[theme]]\ntitle = \"Kapot\"\nstatus = 7\n");
    scratch.write("report.toml", &text);
    let mut p = browse(&scratch, &["report.toml"]);
    let status = p.wait_exit_status(DEFAULT_TIMEOUT);
    assert_eq!(status.code(), Some(2), "{status:?}");
    p.wait_eof(DEFAULT_TIMEOUT);
    let raw = p.raw();
    assert!(
        restored(&raw),
        "the terminal is restored before the message"
    );
    let text = String::from_utf8_lossy(&raw);
    assert!(text.contains("report.toml:"), "{text}");
}

#[test]
fn what_was_seen_is_read_with_the_rest_and_not_overwritten_by_the_first_themes() {
    let scratch = Scratch::new("large-state");
    scratch.write("report.toml", large(10_000));
    // First visit: everything counts as seen at the end.
    let mut p = browse(&scratch, &["report.toml"]);
    p.wait_text("1/10000");
    p.send(b"q");
    assert_eq!(p.wait_exit(DEFAULT_TIMEOUT), Some(0));
    // The last theme changes; a visit that quits before the rest is read
    // must not save the first themes as all there was…
    let changed = large(10_000).replace("Punt twee van 9999.", "Punt twee van 9999, gewijzigd.");
    scratch.write("report.toml", &changed);
    let mut quick = browse(&scratch, &["report.toml"]);
    quick.wait_text("Thema 0");
    quick.send(b"q");
    assert_eq!(quick.wait_exit(DEFAULT_TIMEOUT), Some(0));
    // …so the next visit still marks the change, once the rest is read.
    let mut p = browse(&scratch, &["report.toml"]);
    p.wait_text("1 thema nieuw of gewijzigd");
    p.keys(&["c"]);
    p.wait_text("Thema 9999");
    p.send(b"q");
    assert_eq!(p.wait_exit(DEFAULT_TIMEOUT), Some(0));
}
