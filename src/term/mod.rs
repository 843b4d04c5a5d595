//! The terminal and the event loop: setup and restore, input, signals, file
//! watching, the presentation clock and the shared position.
//!
//! The loop blocks until something happens (a key, a resize, a signal, a file
//! change) and draws only then, so an idle browser uses no CPU. The one
//! periodic wake-up is the presentation clock, once a second, only while
//! presenting. Every way out restores the terminal: normal exit, signals,
//! errors and panics.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ratatui::crossterm::event::{self, Event as TermEvent, MouseButton, MouseEventKind};

use crate::action::Action;
use crate::app::{App, Clock, Effect, Event as AppEvent};
use crate::doc::Doc;
use crate::report;
use crate::{keymap, share, watch};

mod screen;
mod tty;
pub mod wire;

pub use tty::restore;
use tty::{Term, enter, install_panic_hook, spawn_input, spawn_signals, suspend};

use screen::View;

/// Editors save in several steps; wait this long for quiet before reloading.
const SETTLE: Duration = Duration::from_millis(30);
/// How often a follower checks that a presenter on this host still runs.
const LIVENESS: Duration = Duration::from_secs(5);

/// What the loop watches besides the keyboard.
#[derive(Debug, Default)]
pub struct Options {
    /// The report file to reload when it changes.
    pub watch: Option<PathBuf>,
    /// The fingerprint of the report text on screen (see `report::fingerprint`).
    pub fingerprint: Option<u64>,
    /// The report file's size and modification time before it was read.
    pub loaded_from: Option<(u64, std::time::SystemTime)>,
    /// Where to write the presenter's position.
    pub share: Option<PathBuf>,
    /// Where to read a presenter's position from.
    pub follow: Option<PathBuf>,
}

/// Something the loop reacts to.
#[derive(Debug)]
pub(crate) enum Event {
    Input(TermEvent),
    InputEnded,
    Signal(i32),
    ReportChanged,
    PositionChanged,
}

/// Runs the browser until the user quits; returns the process exit code.
pub fn run(app: &mut App, options: Options) -> io::Result<u8> {
    install_panic_hook();
    let mut term = enter()?;
    let mut lp = Loop::new(&options);
    let result = lp.run(app, &mut term, &options);
    restore();
    if let Some(path) = &options.share {
        // Tell followers the presenter has gone.
        let _ = share::write(
            path,
            &share::Position {
                live: false,
                ..app.position()
            },
        );
    }
    result
}

struct Loop {
    last_report: Option<u64>,
    last_shared: Option<share::Position>,
}

impl Loop {
    fn new(options: &Options) -> Loop {
        Loop {
            last_report: options.fingerprint,
            last_shared: None,
        }
    }

    fn run(&mut self, app: &mut App, term: &mut Term, options: &Options) -> io::Result<u8> {
        let (tx, rx) = mpsc::channel();
        // crossterm starts listening for SIGWINCH on its first poll: do that
        // before reading the size, or a resize right after start is lost.
        let _ = event::poll(Duration::ZERO);
        spawn_input(tx.clone());
        spawn_signals(tx.clone())?;
        // Kept alive for the whole loop: dropping it stops the watching.
        let _watcher = watch::spawn(&tx, options.watch.as_deref(), options.follow.as_deref());
        // A save between loading and watching sent no event: look once, if
        // the file's size or time says it changed (reading 10 MB to find it
        // did not would double the start-up memory).
        if let Some(path) = &options.watch {
            let now = std::fs::metadata(path).and_then(|m| Ok((m.len(), m.modified()?)));
            if now.ok() != options.loaded_from {
                let _ = tx.send(Event::ReportChanged);
            }
        }
        let size = term.term.size()?;
        app.update(Action::Resize(size.width, size.height));
        app.handle(AppEvent::Clock(now()));
        if let Some(path) = &options.follow
            && path.exists()
        {
            app.handle(follow_event(path));
        }
        self.share(app, options);
        term.draw(app, None)?;
        loop {
            let mut effect = Effect::None;
            let before = View::of(app);
            let first = match self.deadline(app, options) {
                None => rx.recv().map_err(|_| io::ErrorKind::BrokenPipe)?,
                Some(wait) => match rx.recv_timeout(wait) {
                    Ok(ev) => ev,
                    Err(RecvTimeoutError::Timeout) => {
                        effect = self.on_timeout(app, options);
                        self.finish(app, term, options, effect, before)?;
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => return Ok(0),
                },
            };
            // Handle everything already queued before drawing once: a held key
            // or a paste over a slow link then costs one frame, not one each.
            let mut next = Some(first);
            let (mut reload, mut followed) = (false, false);
            while let Some(event) = next {
                match event {
                    Event::ReportChanged => reload = true,
                    Event::PositionChanged => followed = true,
                    other => match handle(app, other) {
                        Ok(e) => effect = stronger(effect, e),
                        Err(code) => return Ok(code),
                    },
                }
                if effect == Effect::Quit {
                    return Ok(0);
                }
                next = rx.try_recv().ok();
                if next.is_none() && (reload || followed) {
                    next = rx.recv_timeout(SETTLE).ok();
                }
            }
            if reload && let Some(path) = &options.watch {
                effect = stronger(effect, self.reload(app, path));
            }
            if followed && let Some(path) = &options.follow {
                effect = stronger(effect, app.handle(follow_event(path)));
            }
            // Ages and the presentation clock follow the time of the last
            // event: no wake-ups just to age the marks while idle.
            if effect != Effect::None {
                app.handle(AppEvent::Clock(now()));
            }
            self.finish(app, term, options, effect, before)?;
        }
    }

    // How long to block: until the next whole second while presenting (the
    // clock), every few seconds while following (presenter liveness), else forever.
    fn deadline(&self, app: &App, options: &Options) -> Option<Duration> {
        if app.ticking() {
            let since = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default();
            return Some(
                Duration::from_secs(1) - Duration::from_nanos(since.subsec_nanos().into()),
            );
        }
        options
            .follow
            .as_ref()
            .filter(|_| app.follow.as_ref().is_some_and(|f| f.live))
            .map(|_| LIVENESS)
    }

    fn on_timeout(&mut self, app: &mut App, options: &Options) -> Effect {
        let mut effect = Effect::None;
        if app.ticking() {
            effect = app.handle(AppEvent::Clock(now()));
        }
        if let Some(path) = &options.follow
            && app.follow.as_ref().is_some_and(|f| f.live)
        {
            let e = app.handle(follow_event(path));
            if app.follow.as_ref().is_some_and(|f| !f.live) {
                effect = stronger(effect, e);
            }
        }
        effect
    }

    fn finish(
        &mut self,
        app: &mut App,
        term: &mut Term,
        options: &Options,
        effect: Effect,
        before: View,
    ) -> io::Result<()> {
        let mut before = Some(before);
        match effect {
            Effect::None | Effect::Quit => return Ok(()),
            Effect::Draw => {}
            Effect::Repaint => {
                term.clear()?;
                before = None;
            }
            Effect::Suspend => {
                suspend()?;
                // The shell used the terminal meanwhile: assume nothing about it.
                term.term.backend_mut().forget();
                term.clear()?;
                before = None;
            }
        }
        self.share(app, options);
        // A resize whose event has not arrived yet must not be drawn with
        // the old layout: take the size from the terminal itself.
        let size = term.term.size()?;
        if app.size() != (size.width, size.height) {
            app.update(Action::Resize(size.width, size.height));
            before = None;
        }
        term.draw(app, before)?;
        Ok(())
    }

    fn reload(&mut self, app: &mut App, path: &Path) -> Effect {
        let text = match report::read_text(path, report::MAX_BYTES) {
            Ok(t) => t,
            Err(e) => return app.handle(AppEvent::ReloadFailed(e.one_line())),
        };
        // Editors touch files without changing them; only real changes redraw.
        let h = report::fingerprint(&text);
        if Some(h) == self.last_report && app.problem.is_none() {
            return Effect::None;
        }
        match Doc::from_source(text, path) {
            Ok(doc) => {
                self.last_report = Some(h);
                app.handle(AppEvent::Reloaded(Box::new(doc)))
            }
            Err(e) => app.handle(AppEvent::ReloadFailed(e.one_line())),
        }
    }

    fn share(&mut self, app: &App, options: &Options) {
        let Some(path) = &options.share else {
            return;
        };
        let position = app.position();
        if self.last_shared.as_ref() != Some(&position) {
            // A failed write must not stop the presentation; followers notice staleness.
            let _ = share::write(path, &position);
            self.last_shared = Some(position);
        }
    }
}

fn follow_event(path: &Path) -> AppEvent {
    let position = share::read(path);
    let live = position.as_ref().is_ok_and(share::alive);
    AppEvent::Followed(position, live)
}

/// The current time, for the presentation clock.
fn now() -> Clock {
    let unix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let t = libc::time_t::try_from(unix).unwrap_or(0);
    // SAFETY: localtime_r fills the zeroed struct we own from a valid time_t.
    let local = unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            (0, 0)
        } else {
            (
                u8::try_from(tm.tm_hour).unwrap_or(0),
                u8::try_from(tm.tm_min).unwrap_or(0),
            )
        }
    };
    Clock { unix, local }
}

// Turns one event into an effect, or an exit code when the program must end.
fn handle(app: &mut App, event: Event) -> Result<Effect, u8> {
    let action = match event {
        Event::Signal(sig) => return Err(128 + u8::try_from(sig).unwrap_or(0)),
        Event::InputEnded => return Err(0),
        Event::ReportChanged | Event::PositionChanged => None,
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
