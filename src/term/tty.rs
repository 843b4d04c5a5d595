//! The terminal itself: entering and leaving full-screen raw mode, the gated
//! output, suspending to the shell, and the threads that turn input and
//! signals into events.

use std::io::{self, BufWriter, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::thread;
use std::time::Duration;

use ratatui::Terminal;
use ratatui::crossterm::event;
use ratatui::crossterm::{cursor, execute, terminal};
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};

use super::Event;
use super::screen::Screen;
use super::wire::WireBackend;

/// The screen the loop draws on.
pub(super) type Term = Screen<BufWriter<Tty>>;

// Clicks and wheel only (1000) in SGR encoding (1006): crossterm's
// EnableMouseCapture also asks for every mouse motion (1003), which floods a
// slow link with reports nobody needs.
//
// Autowrap (7) is off while we own the screen: a grapheme the terminal draws
// wider than ratatui measured then stops at the right edge instead of
// spilling into the next row.
const MODES_ON: &str = "\x1b[?1000h\x1b[?1006h\x1b[?7l";
const MODES_OFF: &str = "\x1b[?7h\x1b[?1006l\x1b[?1000l";
/// Set once the terminal is restored: frame bytes still buffered (flushed
/// while a panic unwinds, say) must not repaint over the restored screen.
static RESTORED: AtomicBool = AtomicBool::new(false);

/// Standard output, gated by `RESTORED`.
pub(super) struct Tty;

impl Write for Tty {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if RESTORED.load(Ordering::SeqCst) {
            return Ok(buf.len());
        }
        io::stdout().write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stdout().flush()
    }
}

pub(super) fn enter() -> io::Result<Term> {
    RESTORED.store(false, Ordering::SeqCst);
    terminal::enable_raw_mode()?;
    let mut out = io::stdout();
    execute!(out, terminal::EnterAlternateScreen, cursor::Hide)?;
    out.write_all(MODES_ON.as_bytes())?;
    out.flush()?;
    // One large buffer: a frame leaves in one write instead of many small ones.
    let backend = WireBackend::new(BufWriter::with_capacity(1 << 16, Tty));
    Ok(Screen::new(Terminal::new(backend)?))
}

/// Puts the terminal back as it was; safe to call more than once and from a panic.
pub fn restore() {
    RESTORED.store(true, Ordering::SeqCst);
    let mut out = io::stdout();
    // Errors are ignored: when the terminal is gone there is nothing to restore.
    let _ = out.write_all(MODES_OFF.as_bytes());
    let _ = execute!(out, terminal::LeaveAlternateScreen, cursor::Show);
    let _ = terminal::disable_raw_mode();
}

pub(super) fn suspend() -> io::Result<()> {
    restore();
    // SAFETY: raise only sends a signal to this process; SIGTSTP's default
    // action stops it until `fg` sends SIGCONT, and then raise returns.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
    RESTORED.store(false, Ordering::SeqCst);
    terminal::enable_raw_mode()?;
    let mut out = io::stdout();
    execute!(out, terminal::EnterAlternateScreen, cursor::Hide)?;
    out.write_all(MODES_ON.as_bytes())?;
    out.flush()
}

pub(super) fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Restore first so the panic message lands on the normal screen.
        restore();
        previous(info);
    }));
}

pub(super) fn spawn_input(tx: Sender<Event>) {
    thread::spawn(move || {
        loop {
            match event::read() {
                Ok(ev) => {
                    if tx.send(Event::Input(ev)).is_err() {
                        return;
                    }
                }
                Err(_) => {
                    let _ = tx.send(Event::InputEnded);
                    return;
                }
            }
        }
    });
}

// Raw mode turns Ctrl-C into a key, but SIGHUP (the SSH link dropped),
// SIGTERM and SIGINT from `kill` still arrive: end the loop, restore, exit.
pub(super) fn spawn_signals(tx: Sender<Event>) -> io::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM, SIGINT, SIGQUIT])?;
    thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            let _ = tx.send(Event::Signal(sig));
            // If the main loop is stuck (a dead terminal that blocks writes),
            // leave anyway: a watchdog, not synchronisation.
            thread::sleep(Duration::from_secs(2));
            std::process::exit(128 + sig);
        }
    });
    Ok(())
}
