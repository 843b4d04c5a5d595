//! The browser as a session over any byte stream: no terminal at all, just
//! a pipe for the input bytes and a pipe for the frames, the screen read
//! back with a terminal emulator. (What an SSH viewer is.)

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use briefing::app::{App, Effect};
use briefing::doc::Doc;
use briefing::report::Report;
use briefing::session::Session;

/// Runs a session reading `input` and writing frames to `output`, until the
/// reader quits or the input ends.
fn serve(mut input: impl Read, output: impl Write) {
    let app = App::bare(Doc::new(&Report::builtin()), 80, 24);
    let mut session = Session::new(app, output, false).expect("session");
    session.draw(Effect::Draw).expect("first frame");
    let mut buf = [0u8; 4096];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let effect = session.feed(&buf[..n]);
        if effect == Effect::Quit {
            return;
        }
        session.draw(effect).expect("frame");
    }
}

/// Reads `frames` into a vt100 screen until `pred` holds (or panics after 10 s).
fn until(
    frames: &mpsc::Receiver<Vec<u8>>,
    screen: &mut vt100::Parser,
    pred: impl Fn(&vt100::Screen) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !pred(screen.screen()) {
        let left = deadline.saturating_duration_since(Instant::now());
        let chunk = frames
            .recv_timeout(left)
            .expect("the screen never showed it");
        screen.process(&chunk);
    }
}

fn status(s: &vt100::Screen) -> String {
    s.rows(0, 80)
        .nth(23)
        .unwrap_or_default()
        .trim_end()
        .to_string()
}

#[test]
fn a_session_runs_over_a_pipe_pair_without_a_terminal() {
    let (input_r, mut input_w) = std::io::pipe().expect("input pipe");
    let (mut output_r, output_w) = std::io::pipe().expect("output pipe");
    let server = std::thread::spawn(move || serve(input_r, output_w));
    let (tx, frames) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = output_r.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                return;
            }
        }
    });
    let mut screen = vt100::Parser::new(
        std::num::NonZeroU16::new(24).expect("rows"),
        std::num::NonZeroU16::new(80).expect("cols"),
        0,
    );
    until(&frames, &mut screen, |s| status(s).ends_with("1/7"));
    assert!(screen.screen().contents().contains("Inleiding"));
    // Keys as bytes, a terminal's reply among them: only the keys count.
    input_w.write_all(b"j\x1b[?2026;2$yj").expect("keys");
    until(&frames, &mut screen, |s| status(s).ends_with("3/7"));
    input_w.write_all(b"/crisis\r").expect("a search");
    until(&frames, &mut screen, |s| status(s).contains("/crisis"));
    input_w.write_all(b"q").expect("quit");
    server.join().expect("the session ends on q");
}
