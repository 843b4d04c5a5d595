//! Hostile, round two, findings 10–14: signals at awkward moments, a
//! terminal that cannot take UTF-8, and output that cannot be written.

use std::time::Duration;

use briefing_testkit::browser::quit;
use briefing_testkit::os::STOPPED_BY;
use briefing_testkit::run::{Run, text};
use briefing_testkit::{
    ALT_SCREEN_OFF, ALT_SCREEN_ON, DEFAULT_TIMEOUT, Scratch, bin, find, proc, rfind, screen, seed,
};
const LONG: Duration = Duration::from_secs(60);

/// A report whose second theme is one paragraph of `bytes` bytes: laying it
/// out keeps the event loop busy for a while (seconds in a debug build).
pub(super) fn busy_report(bytes: usize) -> String {
    let word = "verbinding ";
    let body = word.repeat(bytes / word.len());
    format!(
        "title = \"Busy\"\nlanguage = \"en\"\n[[theme]]\ntitle = \"Small\"\nbody = \"small\"\n[[theme]]\ntitle = \"Huge\"\nbody = \"{body}\"\n"
    )
}

/// Whether the output after the last `?1049h` leaves the alternate screen
/// and turns the mouse off.
fn restored_after_last_entry(raw: &[u8]) -> bool {
    let from = rfind(raw, ALT_SCREEN_ON).map_or(0, |p| p);
    let tail = &raw[from..];
    find(tail, ALT_SCREEN_OFF).is_some() && find(tail, b"\x1b[?1000l").is_some()
}

/// Finding 10: SIGTERM while the loop is busy: whoever ends the program
/// (the loop or the watchdog) restores the terminal first.
#[test]
fn sigterm_while_the_loop_is_busy_restores_the_terminal() {
    let s = Scratch::new("busy-term");
    s.write("report.toml", busy_report(4 << 20));
    let mut p = s
        .spawn(bin!())
        .args(&["--no-watch", "report.toml"])
        .size(80, 24)
        .start();
    p.wait_for("started", LONG, |sc| screen::status(sc).ends_with("1/2"));
    // Each move to or from the huge theme lays it out: queued, they keep
    // the loop busy for longer than the 2 s watchdog.
    p.send(&b"jk".repeat(20));
    let pid = p.pid();
    briefing_testkit::wait_until("the loop to be busy", DEFAULT_TIMEOUT, || {
        proc::state(pid) == Some('R')
    });
    p.signal("TERM");
    let status = p.wait_exit_status(LONG);
    p.wait_eof(LONG);
    let _ = status;
    let raw = p.raw();
    assert!(
        restored_after_last_entry(&raw),
        "ended without restoring the terminal; tail: {}",
        briefing_testkit::escape(&raw[raw.len().saturating_sub(200)..])
    );
    assert_eq!(p.cooked(), Some(true), "raw mode left on");
}

/// Finding 11: an external SIGTSTP (`kill -TSTP`) suspends like Ctrl-Z:
/// the terminal is restored while stopped, and `fg` redraws in raw mode.
#[test]
fn an_external_sigtstp_suspends_like_ctrl_z() {
    let s = Scratch::new("ext-tstp");
    let (mut p, pid, _guard) = super::under_job_control(&s);
    let mark = p.mark();
    assert!(briefing_testkit::os::signal(pid, libc::SIGTSTP));
    briefing_testkit::wait_until("stopped", DEFAULT_TIMEOUT, || proc::state(pid) == Some('T'));
    // Stopped by SIGTSTP itself, as the default action does (a shell says
    // "Stopped"), not by SIGSTOP ("Stopped (signal)").
    p.wait_raw("the shell told of the stop", mark, DEFAULT_TIMEOUT, |raw| {
        find(raw, format!("{STOPPED_BY}{}]", libc::SIGTSTP).as_bytes()).is_some()
    });
    p.settle_default();
    let after = p.since(mark);
    assert!(
        restored_after_last_entry(&after) && find(&after, b"\x1b[?7h").is_some(),
        "stopped without restoring the terminal: {}",
        briefing_testkit::escape(&after)
    );
    assert_eq!(p.cooked(), Some(true), "cooked mode while stopped");
    assert!(briefing_testkit::os::signal(pid, libc::SIGCONT));
    p.wait_settled("redrawn after fg", |sc| {
        sc.alternate_screen() && screen::status(sc).ends_with("1/7")
    });
    assert_eq!(p.cooked(), Some(false), "raw mode again after fg");
    p.key("j");
    p.wait_settled("keys work after fg", |sc| {
        screen::status(sc).ends_with("2/7")
    });
    quit(&mut p);
}

/// Ctrl-Z where no shell could resume the program: started straight in a
/// terminal, its process group is orphaned (as under `ssh -t host
/// briefing`), and the kernel discards SIGTSTP's default stop there, so
/// the browser carries on. Stopping by SIGSTOP instead (what signal-hook's
/// `emulate_default_handler(SIGTSTP)` does) would freeze it for good:
/// why `sys::stop_like_sigtstp` raises SIGTSTP itself.
#[test]
fn ctrl_z_with_no_shell_to_resume_it_carries_on() {
    let s = Scratch::new("orphan-tstp");
    let report = seed::report().to_string_lossy().into_owned();
    let mut p = s
        .spawn(bin!())
        .args(&["--no-watch", report.as_str()])
        .size(80, 24)
        .start();
    p.wait_settled("started", |sc| screen::status(sc).ends_with("1/7"));
    let mark = p.mark();
    p.key("C-z");
    p.wait_raw(
        "the terminal restored to stop, then taken over again",
        mark,
        DEFAULT_TIMEOUT,
        |raw| find(raw, ALT_SCREEN_OFF).is_some_and(|off| rfind(raw, ALT_SCREEN_ON) > Some(off)),
    );
    p.key("j");
    p.wait_settled("keys work after Ctrl-Z", |sc| {
        screen::status(sc).ends_with("2/7")
    });
    assert_ne!(
        proc::state(p.pid()),
        Some('T'),
        "stopped with nobody to resume it"
    );
    quit(&mut p);
}

/// Finding 12: SIGTERM right after the alternate screen is entered still
/// restores the terminal: the handlers are in place before it is entered.
#[test]
fn sigterm_at_once_after_start_restores_the_terminal() {
    let s = Scratch::new("early-term");
    let report = seed::report().to_string_lossy().into_owned();
    for run in 0..20 {
        let mut p = s
            .spawn(bin!())
            .args(&["--no-watch", &report])
            .size(80, 24)
            .start();
        p.wait_raw("the alternate screen entered", 0, DEFAULT_TIMEOUT, |raw| {
            find(raw, ALT_SCREEN_ON).is_some()
        });
        p.signal("TERM");
        p.wait_exit_status(DEFAULT_TIMEOUT);
        p.wait_eof(DEFAULT_TIMEOUT);
        assert!(
            restored_after_last_entry(&p.raw()),
            "run {run}: not restored: {}",
            briefing_testkit::escape(&p.raw())
        );
        assert_eq!(p.cooked(), Some(true), "run {run}: raw mode left on");
    }
}

/// Finding 13: on a terminal that is not UTF-8, only ASCII is sent, in the
/// browser and in plain output.
#[test]
fn a_non_utf8_terminal_gets_only_ascii() {
    let s = Scratch::new("ascii-term");
    let report = seed::report().to_string_lossy().into_owned();
    let mut p = s
        .spawn(bin!())
        .args(&["--no-watch", &report])
        .size(80, 24)
        .env("LANG", "C")
        .env("TERM", "linux")
        .start();
    p.wait_settled("started", |sc| screen::status(sc).ends_with("1/7"));
    for key in ["j", "j", "Tab", "/", "z", "Esc", "?"] {
        p.key(key);
        p.settle_default();
    }
    p.key("Esc");
    quit(&mut p);
    let raw = p.raw();
    if let Some(i) = raw.iter().position(|b| *b >= 0x80) {
        panic!(
            "byte 0x{:02x} sent to a non-UTF-8 terminal after: {}",
            raw[i],
            briefing_testkit::escape(&raw[i.saturating_sub(60)..i])
        );
    }
    let out = Run::new(bin!()).args(&[&report]).env("LANG", "C").output();
    assert!(out.status.success());
    assert!(
        out.stdout.is_ascii(),
        "plain output in a C locale is not ASCII"
    );
    assert!(
        text(&out.stdout).contains("Veiligheidsregio"),
        "the text is gone"
    );
}

/// Finding 14: output that cannot be written is an error message and exit
/// 2, never a panic; a closed pipe ends quietly.
#[test]
fn unwritable_output_is_an_error_not_a_panic() {
    let report = seed::report().to_string_lossy().into_owned();
    let full = std::path::Path::new("/dev/full");
    let out = Run::new(bin!())
        .args(&["--check", &report])
        .stdout_to(full)
        .output();
    assert_eq!(
        out.status.code(),
        Some(2),
        "--check > /dev/full: {}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("cannot write"),
        "{}",
        text(&out.stderr)
    );
    let out = Run::new(bin!()).args(&[&report]).stdout_to(full).output();
    assert_eq!(
        out.status.code(),
        Some(2),
        "plain > /dev/full: {}",
        text(&out.stderr)
    );
    let out = Run::new(bin!())
        .args(&["--check", "/nonexistent.toml"])
        .stderr_to(full)
        .output();
    assert_eq!(
        out.status.code(),
        Some(2),
        "an error message into /dev/full"
    );
    // A pipe closed before anything is written.
    let mut child = std::process::Command::new(bin!())
        .args(["--check", &report])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert_ne!(
        out.status.code(),
        Some(101),
        "panicked: {}",
        text(&out.stderr)
    );
    assert!(
        !text(&out.stderr).contains("panicked"),
        "{}",
        text(&out.stderr)
    );
}
