//! Test and benchmark support for `briefing`, shared by `tests/` and
//! `benches/` so no helper is written twice: a pseudo-terminal harness
//! ([`pty`]), scratch directories ([`scratch`]), runs of the binary with
//! piped output and a deadline ([`run`]), readings of `/proc` ([`proc`]),
//! screen helpers ([`screen`]), the browser's own conventions ([`browser`]:
//! positions, panels, quitting), a second user for attacks ([`users`]),
//! facts about the bundled report ([`seed`]), what the benchmark programs
//! share: options, statistics, readings and tables ([`measure`]), and a
//! crowd of viewers in ptys for the serving benchmark ([`bench_serve`]).
//!
//! The binary's path is only known to the crate being tested, so callers
//! pass it: [`bin!`] expands to it there.

pub mod bench_serve;
pub mod browser;
pub mod bytes;
pub mod measure;
pub mod os;
pub mod proc;
pub mod pty;
pub mod run;
pub mod scratch;
pub mod screen;
pub mod seed;
pub mod ssh;
pub mod users;

pub use bytes::{
    ALT_SCREEN_OFF, ALT_SCREEN_ON, CURSOR_HIDE, CURSOR_SHOW, escape, find, mouse_off, restored,
    rfind,
};
pub use pty::{Burst, DEFAULT_QUIET, DEFAULT_TIMEOUT, ENV_REMOVED, Pty, Spawn};
pub use scratch::Scratch;
pub use seed::{THEMES, TITLE};

/// The path of the `briefing` binary Cargo built for the calling test or bench.
#[macro_export]
macro_rules! bin {
    () => {
        env!("CARGO_BIN_EXE_briefing")
    };
}

/// Waits until `pred` holds, polling every 10 ms, panicking after `timeout`:
/// for conditions outside the terminal (a file appears, a process stops)
/// that nothing notifies us of.
pub fn wait_until(what: &str, timeout: std::time::Duration, mut pred: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + timeout;
    while !pred() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out after {timeout:?}: {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
