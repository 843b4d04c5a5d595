//! Hostile, round two, findings 5–7: the input stream. A paste over SSH is
//! a burst; late terminal replies to a shell prompt's queries arrive as
//! input. Every byte must be read, and no byte of a reply may become a key.
//! (The decoder's own property test, which interleaves random replies,
//! pastes and keys, is in `src/input.rs`.)

use std::time::Duration;

use briefing_testkit::browser::quit;
use briefing_testkit::{DEFAULT_TIMEOUT, Pty, Scratch, bin, screen, seed};
/// A report with one theme of `n` one-line points `P1` … `Pn`.
fn long_report(n: usize) -> String {
    let points: Vec<String> = (1..=n).map(|i| format!("\"P{i}\"")).collect();
    format!(
        "title = \"Burst\"\nlanguage = \"en\"\n[[theme]]\ntitle = \"Long\"\npoints = [{}]\n[[theme]]\ntitle = \"Next\"\n",
        points.join(", ")
    )
}

fn start(s: &Scratch, report: &str) -> Pty {
    s.spawn(bin!())
        .args(&["--no-watch", report])
        .size(80, 24)
        .start()
}

/// The first row of the text panel (80x24: from column 28).
fn text_top(sc: &vt100::Screen) -> String {
    screen::region(sc, 1, 28, 51)
}

/// Finding 5: a 20,000-byte burst is read whole, and `q` after it arrives;
/// 120 wheel events in one write all scroll.
#[test]
fn input_bursts_are_read_whole() {
    let s = Scratch::new("burst");
    s.write("report.toml", long_report(21_000));
    let mut p = start(&s, "report.toml");
    p.wait_for("started", Duration::from_secs(60), |sc| {
        screen::status(sc).ends_with("1/2")
    });
    p.key("Enter");
    p.wait_settled("text focused", |sc| text_top(sc) == "Long");
    assert!(
        p.send_within(&[b'j'; 20_000], DEFAULT_TIMEOUT),
        "the program stopped reading its input during a 20,000-byte burst"
    );
    p.wait_settled("scrolled by all 20,000 lines", |sc| {
        text_top(sc) == "• P19999"
    });
    p.key("g");
    p.wait_settled("back at the top", |sc| text_top(sc) == "Long");
    let wheel: Vec<u8> = (0..120).flat_map(|_| b"\x1b[<65;50;10M".to_vec()).collect();
    assert!(
        p.send_within(&wheel, DEFAULT_TIMEOUT),
        "wheel burst blocked"
    );
    p.wait_settled("scrolled by 120 wheel steps of 3 lines", |sc| {
        text_top(sc) == "• P359"
    });
    quit(&mut p);
}

/// Finding 6: a reply the decoder does not know (DECRPM) and a paste that
/// never ends must not wedge the input.
#[test]
fn an_unknown_reply_or_an_endless_paste_never_wedges_input() {
    let s = Scratch::new("wedge");
    let report = seed::report().to_string_lossy().into_owned();
    let mut p = start(&s, &report);
    p.wait_settled("started", |sc| screen::status(sc).ends_with("1/7"));
    p.send(b"\x1b[?2026;2$y");
    p.send(b"j");
    p.wait_settled("j after a DECRPM reply", |sc| {
        screen::status(sc).ends_with("2/7")
    });
    p.send(b"\x1b[200~pasted text without an end");
    // The point is a timeout: the paste is given up on by itself.
    std::thread::sleep(Duration::from_millis(700));
    p.send(b"j");
    p.wait_settled("j after an endless paste", |sc| {
        screen::status(sc).ends_with("3/7")
    });
    quit(&mut p);
}

/// The screen after `keys` on a fresh browser (the reference).
fn reference(keys: &[u8]) -> Vec<String> {
    let s = Scratch::new("reply-ref");
    let report = seed::report().to_string_lossy().into_owned();
    let mut p = start(&s, &report);
    p.wait_settled("started", |sc| screen::status(sc).ends_with("1/7"));
    p.send(keys);
    p.wait_settled("at 2/7", |sc| screen::status(sc).ends_with("2/7"));
    let rows = screen::all_rows(&p.screen());
    quit(&mut p);
    rows
}

/// Finding 7: terminal replies are not keys: a DECRQSS reply (with a `q`
/// in it) does not quit, OSC colour replies do not open the search bar,
/// DA2 and XTVERSION change nothing; each may arrive split in two reads.
#[test]
fn terminal_replies_are_never_read_as_keys() {
    let want = reference(b"j");
    let replies: [&[u8]; 6] = [
        b"\x1bP1$r2 q\x1b\\",
        b"\x1b]11;rgb:1c1c/1c1c/1c1c\x1b\\",
        b"\x1b]10;rgb:ffff/ffff/ffff\x07",
        b"\x1b[>1;10;0c",
        b"\x1bP>|xterm(390)\x1b\\",
        b"\x1b[?62;22c",
    ];
    let s = Scratch::new("replies");
    let report = seed::report().to_string_lossy().into_owned();
    let mut p = start(&s, &report);
    p.wait_settled("started", |sc| screen::status(sc).ends_with("1/7"));
    for reply in replies {
        p.send(reply);
        // The same reply split in two writes, a moment apart.
        let (a, b) = reply.split_at(reply.len() / 2);
        p.send(a);
        p.settle(Duration::from_millis(30), DEFAULT_TIMEOUT);
        p.send(b);
    }
    p.send(b"j");
    p.wait_settled("only the j arrived", |sc| {
        screen::status(sc).ends_with("2/7")
    });
    p.settle_default();
    assert_eq!(
        screen::all_rows(&p.screen()),
        want,
        "a reply changed the screen"
    );
    quit(&mut p);
}
