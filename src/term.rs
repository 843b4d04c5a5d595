//! The terminal and the event loop: setup and restore, input, signals.
//!
//! The loop blocks until something happens (a key, a resize, a signal) and
//! draws only then, so an idle browser uses no CPU. Every way out restores
//! the terminal: normal exit, signals, errors and panics.

use std::io::{self, BufWriter, Stdout, Write};
use std::sync::mpsc::{self, Sender};
use std::thread;
use std::time::Duration;

use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, Event as TermEvent, MouseButton, MouseEventKind};
use ratatui::crossterm::{cursor, execute, terminal};
use ratatui::Terminal;
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};

use crate::action::Action;
use crate::app::{App, Effect};
use crate::keymap;
use crate::ui;

// Clicks and wheel only (1000) in SGR encoding (1006): crossterm's
// EnableMouseCapture also asks for every mouse motion (1003), which floods a
// slow link with reports nobody needs.
const MOUSE_ON: &str = "\x1b[?1000h\x1b[?1006h";
const MOUSE_OFF: &str = "\x1b[?1006l\x1b[?1000l";

/// Something the loop reacts to.
enum Event {
    Input(TermEvent),
    InputEnded,
    Signal(i32),
}

type Term = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// Runs the browser until the user quits; returns the process exit code.
pub fn run(mut app: App) -> io::Result<u8> {
    install_panic_hook();
    let mut term = enter()?;
    let result = event_loop(&mut app, &mut term);
    restore();
    result
}

fn event_loop(app: &mut App, term: &mut Term) -> io::Result<u8> {
    let (tx, rx) = mpsc::channel();
    spawn_input(tx.clone());
    spawn_signals(tx)?;
    let size = term.size()?;
    app.update(Action::Resize(size.width, size.height));
    term.draw(|f| ui::render(app, f))?;
    loop {
        let mut effect = Effect::None;
        // Handle everything already queued before drawing once: a held key
        // or a paste over a slow link then costs one frame, not one per event.
        let mut next = Some(rx.recv().map_err(|_| io::ErrorKind::BrokenPipe)?);
        while let Some(event) = next {
            match handle(app, event) {
                Ok(e) => effect = stronger(effect, e),
                Err(code) => return Ok(code),
            }
            if effect == Effect::Quit {
                return Ok(0);
            }
            next = rx.try_recv().ok();
        }
        match effect {
            Effect::None | Effect::Quit => continue,
            Effect::Draw => {}
            Effect::Repaint => term.clear()?,
            Effect::Suspend => {
                suspend()?;
                term.clear()?;
            }
        }
        term.draw(|f| ui::render(app, f))?;
    }
}

// Turns one event into an effect, or an exit code when the program must end.
fn handle(app: &mut App, event: Event) -> Result<Effect, u8> {
    let action = match event {
        Event::Signal(sig) => return Err(128 + u8::try_from(sig).unwrap_or(0)),
        Event::InputEnded => return Err(0),
        Event::Input(TermEvent::Key(key)) => {
            keymap::key_of(key).and_then(|k| keymap::action(app.context(), k))
        }
        Event::Input(TermEvent::Resize(w, h)) => Some(Action::Resize(w, h)),
        Event::Input(TermEvent::Mouse(m)) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(m.column, m.row)),
            MouseEventKind::ScrollDown => Some(Action::Wheel(m.column, m.row, true)),
            MouseEventKind::ScrollUp => Some(Action::Wheel(m.column, m.row, false)),
            _ => None,
        },
        Event::Input(_) => None,
    };
    Ok(action.map_or(Effect::None, |a| app.update(a)))
}

fn stronger(a: Effect, b: Effect) -> Effect {
    let rank = |e: Effect| match e {
        Effect::None => 0,
        Effect::Draw => 1,
        Effect::Repaint => 2,
        Effect::Suspend => 3,
        Effect::Quit => 4,
    };
    if rank(b) > rank(a) { b } else { a }
}

fn enter() -> io::Result<Term> {
    terminal::enable_raw_mode()?;
    let mut out = io::stdout();
    execute!(out, terminal::EnterAlternateScreen, cursor::Hide)?;
    out.write_all(MOUSE_ON.as_bytes())?;
    out.flush()?;
    // One large buffer: a frame leaves in one write instead of many small ones.
    Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(
        1 << 16,
        io::stdout(),
    )))
}

/// Puts the terminal back as it was; safe to call more than once and from a panic.
pub fn restore() {
    let mut out = io::stdout();
    // Errors are ignored: when the terminal is gone there is nothing to restore.
    let _ = out.write_all(MOUSE_OFF.as_bytes());
    let _ = execute!(out, terminal::LeaveAlternateScreen, cursor::Show);
    let _ = terminal::disable_raw_mode();
}

fn suspend() -> io::Result<()> {
    restore();
    // SAFETY: raise only sends a signal to this process; SIGTSTP's default
    // action stops it until `fg` sends SIGCONT, and then raise returns.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
    terminal::enable_raw_mode()?;
    let mut out = io::stdout();
    execute!(out, terminal::EnterAlternateScreen, cursor::Hide)?;
    out.write_all(MOUSE_ON.as_bytes())?;
    out.flush()
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Restore first so the panic message lands on the normal screen.
        restore();
        previous(info);
    }));
}

fn spawn_input(tx: Sender<Event>) {
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
fn spawn_signals(tx: Sender<Event>) -> io::Result<()> {
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
