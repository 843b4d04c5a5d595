//! The browser as a session over any byte stream: an [`App`], the screen it
//! was last drawn on (through the byte-frugal [`wire`] backend) and the
//! input decoder. It is fed input bytes and sizes from any source and
//! writes frames to any `Write`: the local terminal is one session, every
//! SSH viewer another. It knows nothing of ttys, signals or sockets.
//!
//! Sizes are held, not applied: a storm of resizes is laid out once, for
//! the last size, before the next key or frame needs it. The drawn area is
//! capped at [`MAX_WIDTH`] x [`MAX_HEIGHT`] cells, so a huge window costs
//! bounded memory; the rest of it stays blank.

pub mod frames;
pub mod wire;

use std::io::{self, Write};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ratatui::Terminal;

use crate::action::Action;
use crate::app::{App, Clock, Effect, Event};
use crate::input::{self, Decoder, Input, MouseKind};
use crate::keymap;
use frames::{Frames, ScrollFacts};
use wire::WireBackend;

/// The widest area drawn, in columns.
pub const MAX_WIDTH: u16 = 1000;
/// The tallest area drawn, in rows.
pub const MAX_HEIGHT: u16 = 500;

/// What a session's terminal is put in first, and how it is undone:
/// - the alternate screen (1049) and a hidden cursor (25);
/// - clicks and wheel only (1000) in SGR encoding (1006): any-motion
///   reporting (1003) would flood a slow link with reports nobody needs;
/// - bracketed paste (2004), so a pasted text is one unit, never keys;
/// - no autowrap (7): a grapheme the terminal draws wider than measured
///   stops at the right edge instead of spilling into the next row.
pub const TAKE_OVER: &str = "\x1b[?1049h\x1b[?25l\x1b[?1000h\x1b[?1006h\x1b[?2004h\x1b[?7l";
/// Undoes [`TAKE_OVER`], leaving the terminal as it was; also the whole
/// screen as the scrolling region (`CSI r`), should a frame that moves rows
/// (see `wire`) have been cut short: terminals keep the region across the
/// alternate screen.
pub const GIVE_BACK: &str =
    "\x1b[r\x1b[?7h\x1b[?2004l\x1b[?1006l\x1b[?1000l\x1b[m\x1b[?25h\x1b[?1049l";

/// One reader's browser, drawing to `W`.
pub struct Session<W: Write> {
    app: App,
    screen: Frames<W>,
    decoder: Decoder,
    /// A size not yet laid out for.
    pending_size: Option<(u16, u16)>,
    /// When input bytes last arrived (the decoder's timeouts count from it).
    last_input: Instant,
    /// What the last frame showed, for scrolling it into the next.
    drawn: Option<ScrollFacts>,
}

/// `width` x `height` within the drawn area's cap.
pub fn capped(width: u16, height: u16) -> (u16, u16) {
    (width.min(MAX_WIDTH), height.min(MAX_HEIGHT))
}

impl<W: Write> Session<W> {
    /// A session showing `app` (laid out for its size), writing to `out`;
    /// `ascii`: send only ASCII.
    pub fn new(app: App, out: W, ascii: bool) -> io::Result<Session<W>> {
        let (w, h) = app.size();
        let mut backend = WireBackend::with_size(out, w, h);
        backend.set_ascii(ascii);
        Ok(Session {
            app,
            screen: Frames::new(Terminal::new(backend)?),
            decoder: Decoder::new(),
            pending_size: None,
            last_input: Instant::now(),
            drawn: None,
        })
    }

    /// The state, to read.
    pub fn app(&self) -> &App {
        &self.app
    }

    /// Where the frames go.
    pub fn writer_mut(&mut self) -> &mut W {
        self.screen.term.backend_mut().writer_mut()
    }

    /// Decodes input bytes and applies what they mean.
    pub fn feed(&mut self, bytes: &[u8]) -> Effect {
        self.last_input = Instant::now();
        let mut inputs = Vec::new();
        self.decoder.feed(bytes, &mut inputs);
        self.apply_inputs(inputs)
    }

    /// How long to wait for more input before [`Session::input_timed_out`].
    pub fn input_timeout(&self) -> Option<Duration> {
        self.decoder
            .pending_timeout()
            .map(|t| t.saturating_sub(self.last_input.elapsed()))
    }

    /// How long the session may sleep before something is due by itself:
    /// the decoder's wait for the rest of a sequence, the next second of the
    /// presentation clock, the next moment the screen changes by itself (an
    /// age, staleness, a theme counting as seen); zero while matches are
    /// still being counted. `None`: nothing, ever.
    pub fn next_wake(&self) -> Option<Duration> {
        let since = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let clock = self
            .app
            .ticking()
            .then(|| Duration::from_secs(1) - Duration::from_nanos(since.subsec_nanos().into()));
        let change = self
            .app
            .next_change()
            .map(|at| Duration::from_secs(at).saturating_sub(since));
        // Work left (matches being counted) is done between events, at once.
        let work = self.app.counting().then_some(Duration::ZERO);
        [self.input_timeout(), clock, change, work]
            .into_iter()
            .flatten()
            .min()
    }

    /// The wake-up came: resolves held input if its time is up, tells the
    /// state the time, and counts matches on for one slice if they are.
    pub fn woke(&mut self) -> Effect {
        let mut effect = Effect::None;
        if self.input_timeout() == Some(Duration::ZERO) {
            effect = self.input_timed_out();
        }
        effect = effect.max(self.handle(Event::Clock(now())));
        if self.app.counting() {
            effect = effect.max(self.handle(Event::Work));
        }
        effect
    }

    /// No more input came in time (or the stream ended): resolves what the
    /// decoder holds (a lone ESC is the Esc key).
    pub fn input_timed_out(&mut self) -> Effect {
        let mut inputs = Vec::new();
        self.decoder.flush(&mut inputs);
        self.apply_inputs(inputs)
    }

    /// The screen is now `width` x `height`: laid out for when next needed.
    pub fn resize(&mut self, width: u16, height: u16) -> Effect {
        let size = capped(width, height);
        if size == self.app.size() && self.pending_size.is_none() {
            return Effect::None;
        }
        self.pending_size = Some(size);
        Effect::Draw
    }

    /// Applies an event from outside (a reload, the clock, a position).
    pub fn handle(&mut self, event: Event) -> Effect {
        self.apply_size();
        self.app.handle(event)
    }

    /// Applies a user action directly (not from input bytes).
    pub fn update(&mut self, action: Action) -> Effect {
        self.apply_size();
        self.app.update(action)
    }

    /// Draws what `effect` asks for: nothing, the changes, or everything.
    pub fn draw(&mut self, effect: Effect) -> io::Result<()> {
        match effect {
            Effect::None | Effect::Quit | Effect::Suspend => return Ok(()),
            Effect::Draw => {}
            Effect::Repaint => {
                self.screen.clear()?;
                self.drawn = None;
            }
        }
        if self.apply_size() {
            self.drawn = None;
        }
        // ratatui flushes the backend at the end of a frame.
        self.screen.draw(&self.app, self.drawn)?;
        self.drawn = Some(ScrollFacts::of(&self.app));
        Ok(())
    }

    /// The state, at the end.
    pub fn into_app(self) -> App {
        self.app
    }

    /// Forgets what the terminal shows (someone else used it: the shell
    /// during a suspend); the next frame repaints everything.
    pub fn forget_screen(&mut self) -> io::Result<()> {
        self.screen.term.backend_mut().forget();
        self.drawn = None;
        self.screen.clear()
    }

    // Lays out for a held size; whether there was one.
    fn apply_size(&mut self) -> bool {
        let Some((w, h)) = self.pending_size.take() else {
            return false;
        };
        self.screen.term.backend_mut().set_size(w, h);
        self.app.update(Action::Resize(w, h));
        true
    }

    fn apply_inputs(&mut self, inputs: Vec<Input>) -> Effect {
        let mut effect = Effect::None;
        for input in inputs {
            let e = match input {
                Input::Key(key) => {
                    self.apply_size();
                    match keymap::key_of(key).and_then(|k| keymap::action(self.app.context(), k)) {
                        Some(a) => self.app.update(a),
                        None => Effect::None,
                    }
                }
                Input::Mouse(m) => {
                    self.apply_size();
                    let action = match m.kind {
                        MouseKind::Press => Some(Action::Click(m.col, m.row)),
                        MouseKind::WheelDown => Some(Action::Wheel(m.col, m.row, true)),
                        MouseKind::WheelUp => Some(Action::Wheel(m.col, m.row, false)),
                        MouseKind::Other => None,
                    };
                    action.map_or(Effect::None, |a| self.app.update(a))
                }
                Input::Paste(text) => {
                    self.apply_size();
                    self.app.handle(Event::Paste(text))
                }
                Input::Focus(_) | Input::Reply => Effect::None,
            };
            effect = effect.max(e);
            if effect == Effect::Quit {
                break;
            }
        }
        effect
    }
}

/// The input decoder's timeouts, for drivers that wait on a source.
pub use input::{ESC_TIMEOUT, PASTE_TIMEOUT, SEQUENCE_TIMEOUT};

/// The current time, for the clock, ages and staleness (the state never
/// reads clocks itself; its drivers tell it).
pub fn now() -> Clock {
    let unix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let local = i64::try_from(unix)
        .ok()
        .and_then(crate::sys::local_time)
        .map_or((0, 0), |t| (t.hour, t.minute));
    Clock { unix, local }
}
