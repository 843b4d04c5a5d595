//! Signals, turned into loop events by a thread of their own (signal-hook).
//!
//! Installed before the terminal is taken over, so a signal in the first
//! moment still finds the loop's way out, which restores the terminal.
//! If the loop is busy when asked to end (laying out a huge theme), a
//! watchdog restores the terminal and exits after two seconds itself.

use std::sync::mpsc::Sender;
use std::time::Duration;

use signal_hook::consts::{
    SIGALRM, SIGCONT, SIGHUP, SIGINT, SIGPROF, SIGQUIT, SIGTERM, SIGTSTP, SIGUSR1, SIGUSR2,
    SIGVTALRM, SIGWINCH, SIGXCPU,
};

use super::Wake;

/// How long the loop has to end by itself after a terminating signal.
const WATCHDOG: Duration = Duration::from_secs(2);

/// Starts the signal thread.
pub fn spawn(tx: Sender<Wake>) -> std::io::Result<()> {
    // Every signal whose default ends the process and that can be caught
    // (log rotation's USR1, a CPU limit's XCPU too): uncaught, they left
    // the terminal raw, on the alternate screen.
    let mut signals = signal_hook::iterator::Signals::new([
        SIGHUP, SIGTERM, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU,
        SIGWINCH, SIGTSTP, SIGCONT,
    ])?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for sig in signals.forever() {
                let event = match sig {
                    SIGWINCH => Wake::Resized,
                    SIGTSTP => Wake::Stop,
                    SIGCONT => Wake::Continued,
                    _ => Wake::Signal(sig),
                };
                let ending = matches!(event, Wake::Signal(_));
                if tx.send(event).is_err() || ending {
                    if ending {
                        // A watchdog, not synchronisation: the loop had its chance.
                        std::thread::sleep(WATCHDOG);
                        super::tty::restore();
                        std::process::exit(128 + sig);
                    }
                    return;
                }
            }
        })?;
    Ok(())
}

/// Stops the process as the default action of SIGTSTP would, until it is
/// continued (the caller restores the terminal first and takes it over
/// again after).
pub fn stop_until_continued() {
    crate::sys::stop_like_sigtstp();
}
