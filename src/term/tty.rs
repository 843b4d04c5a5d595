//! The local terminal itself: entering and leaving full-screen raw mode,
//! and the gated output the session draws through.
//!
//! `restore` may run on any thread at any moment (a signal's watchdog while
//! the loop is busy, a panic): it takes the output lock if it can get it
//! soon, writes the sequences that undo ours, puts back the saved terminal
//! settings, and closes the gate, so a frame still buffered somewhere can
//! never paint over the restored screen.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rustix::termios::{self, OptionalActions, Termios};

use crate::session::{GIVE_BACK as LEAVE, TAKE_OVER as ENTER};

/// Closed once the terminal is restored: frame bytes still buffered must
/// not reach it.
static RESTORED: AtomicBool = AtomicBool::new(true);
/// Held while writing to the terminal, so a restore never lands inside a frame.
static OUTPUT: Mutex<()> = Mutex::new(());
/// The settings before raw mode, to put back.
static SAVED: Mutex<Option<Termios>> = Mutex::new(None);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Standard output, gated: writes after `restore` are dropped.
pub struct Tty;

impl io::Write for Tty {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let _guard = lock(&OUTPUT);
        if RESTORED.load(Ordering::SeqCst) {
            return Ok(buf.len());
        }
        write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

// Straight to fd 1: std's stdout would add a line buffer of its own.
fn write_all(mut buf: &[u8]) -> io::Result<()> {
    let out = rustix::stdio::stdout();
    while !buf.is_empty() {
        match rustix::io::write(out, buf) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => buf = &buf[n..],
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Takes over the terminal: raw mode, then our modes.
pub fn enter() -> io::Result<()> {
    let stdin = rustix::stdio::stdin();
    let original = termios::tcgetattr(stdin)?;
    {
        let mut saved = lock(&SAVED);
        if saved.is_none() {
            *saved = Some(original.clone());
        }
    }
    let mut raw = original;
    raw.make_raw();
    termios::tcsetattr(stdin, OptionalActions::Now, &raw)?;
    let _guard = lock(&OUTPUT);
    RESTORED.store(false, Ordering::SeqCst);
    write_all(ENTER.as_bytes())
}

/// Puts the terminal back as it was; safe to call more than once, from
/// any thread, and from a panic.
pub fn restore() {
    // The loop may be stuck in a write (a terminal that stopped reading):
    // wait a little for the lock, then restore anyway.
    let deadline = Instant::now() + Duration::from_millis(300);
    let guard = loop {
        match OUTPUT.try_lock() {
            Ok(g) => break Some(g),
            Err(std::sync::TryLockError::Poisoned(e)) => break Some(e.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(std::sync::TryLockError::WouldBlock) => break None,
        }
    };
    if !RESTORED.swap(true, Ordering::SeqCst) {
        // Errors are ignored: when the terminal is gone there is nothing to restore.
        let _ = write_all(LEAVE.as_bytes());
    }
    drop(guard);
    if let Some(original) = lock(&SAVED).as_ref() {
        let _ = termios::tcsetattr(rustix::stdio::stdin(), OptionalActions::Now, original);
    }
}

/// The terminal's size in columns and rows.
pub fn size() -> io::Result<(u16, u16)> {
    let ws = termios::tcgetwinsize(rustix::stdio::stdout())?;
    Ok((ws.ws_col, ws.ws_row))
}

/// Restores the terminal before a panic's message is printed. A panic on
/// a server thread ends one viewer's session (its supervisor logs it): the
/// local terminal is left alone, and nothing is printed over the browser.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let thread = std::thread::current();
        if thread
            .name()
            .is_some_and(|n| n.starts_with(crate::serve::THREAD_NAME))
        {
            return;
        }
        restore();
        previous(info);
    }));
}
