//! Application state and its transitions: `App::update` is the only place
//! state changes. It never sees terminal types, so every behaviour is testable
//! without a terminal.

mod browse;
mod live;
mod marks;
mod present;
mod search;

use crate::action::Action;
use crate::changes::{Changes, Seen};
use crate::doc::Doc;
use crate::keymap::Context;
use crate::labels::{self, Labels};
use crate::ui::areas::Areas;
use crate::ui::style::Look;
use crate::view;

pub use live::Follow;
pub use marks::Filter;
pub use present::{Clock, Present};
pub use search::Search;

/// Which screen is shown: the browser, or one theme filling the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// Theme list and text side by side.
    Browser,
    /// Presentation: one theme at a time, points revealed step by step.
    Present(Present),
}

/// What the screen is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Reading: theme list and text.
    Browse,
    /// Typing in the search bar.
    Search,
    /// The help overlay, scrolled by `scroll` lines.
    Help {
        /// First help line shown.
        scroll: usize,
    },
    /// The overview of all matches.
    Results {
        /// The highlighted match.
        cursor: usize,
        /// The first match shown.
        offset: usize,
    },
}

/// Which panel the movement keys act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// The theme list.
    List,
    /// The text panel.
    Text,
}

/// Something that happened: a user intent, or news from the world.
pub enum Event {
    /// The user asked for something.
    Action(Action),
    /// Text pasted as one unit (bracketed paste).
    Paste(String),
    /// The report file changed and was loaded again.
    Reloaded(Box<Doc>),
    /// The report file changed but cannot be used; the message says why.
    ReloadFailed(String),
    /// The time, for the presentation clock.
    Clock(Clock),
    /// The presenter's position file changed (or why it cannot be used).
    Followed(Result<crate::share::Followed, String>),
    /// The position was written for followers, or why it was not.
    Shared(Option<String>),
    /// A watched file can no longer be watched (why), or can again (`None`).
    WatchLost(crate::watch::Watched, Option<String>),
}

/// How the browser starts: what the command line and the environment said.
#[derive(Clone, Debug)]
pub struct Setup {
    /// Colours and symbols this terminal can show.
    pub look: Look,
    /// A theme not updated for this many seconds is stale.
    pub stale_after: i64,
    /// What the reader saw last time.
    pub seen: Option<Seen>,
    /// Follow a presenter.
    pub follow: bool,
    /// Start presenting.
    pub present: bool,
    /// A search to start with (searched once, as a whole).
    pub search: Option<String>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            look: Look::default(),
            stale_after: 2 * 3600,
            seen: None,
            follow: false,
            present: false,
            search: None,
        }
    }
}

/// What the terminal layer must do after an update, weakest first (a
/// batch of events does the strongest of its effects).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Effect {
    /// Nothing changed: draw nothing.
    None,
    /// Draw; the terminal diff sends only changed cells.
    Draw,
    /// Clear and repaint everything (after line noise).
    Repaint,
    /// Suspend to the shell, then repaint.
    Suspend,
    /// Leave the program.
    Quit,
}

/// The whole state of the browser.
pub struct App {
    /// The report being shown.
    pub doc: Doc,
    /// The UI's words in the report's language.
    pub labels: &'static Labels,
    /// What the screen is doing.
    pub mode: Mode,
    /// Which panel has focus.
    pub focus: Focus,
    /// The selected entry (theme) in `doc.entries`.
    pub selected: usize,
    /// First text line shown.
    pub scroll: usize,
    /// First theme shown in the list.
    pub list_offset: usize,
    /// The screen's regions at the current size.
    pub areas: Areas,
    /// The selected theme laid out at the text panel's width.
    pub lines: Vec<view::Line>,
    /// The search: query, matches, current match.
    pub search: Search,
    /// A one-off notice for the status line, cleared by the next action.
    pub notice: Option<&'static str>,
    /// Colours and symbols this terminal can show.
    pub look: Look,
    /// The browser or the presentation.
    pub screen: Screen,
    /// The latest time the terminal layer told us (drives the presentation clock).
    pub clock: Option<Clock>,
    /// Why the report file cannot be reloaded; the last good report stays shown.
    pub problem: Option<String>,
    /// Following a presenter's position, when started with `--follow`.
    pub follow: Option<Follow>,
    /// What the reader saw last time (the baseline for change marks); `None`
    /// until a baseline is set or the report first changes.
    pub seen: Option<Seen>,
    /// What changed since then, per theme and per block.
    pub changes: Changes,
    /// Which themes the list shows.
    pub filter: Filter,
    /// The entries the list shows, in order (all of them without a filter).
    pub rows: Vec<usize>,
    /// A theme not updated for this many seconds is stale.
    pub stale_after: i64,
    /// Why followers are not getting the position, when they are not.
    pub share_problem: Option<String>,
    /// Why the report is not being watched for changes, when it is not.
    pub watch_problem: Option<String>,
    size: (u16, u16),
    generation: u64,
}

impl App {
    /// A browser showing `doc` on a `width` x `height` screen, set up as `setup` says.
    pub fn new(doc: Doc, width: u16, height: u16, setup: Setup) -> App {
        let mut app = App::bare(doc, width, height);
        app.look = setup.look;
        app.stale_after = setup.stale_after;
        if let Some(seen) = setup.seen {
            app.set_seen(seen);
        }
        if setup.follow {
            app.follow = Some(Follow {
                attached: true,
                ..Default::default()
            });
        }
        if setup.present {
            app.update(Action::TogglePresent);
        }
        if let Some(query) = setup.search {
            app.start_search(&query);
        }
        app
    }

    /// A browser showing `doc` on a `width` x `height` screen, with defaults.
    pub fn bare(doc: Doc, width: u16, height: u16) -> App {
        let labels = labels::for_lang(doc.lang);
        let mut app = App {
            doc,
            labels,
            mode: Mode::Browse,
            focus: Focus::List,
            selected: 0,
            scroll: 0,
            list_offset: 0,
            areas: Areas::default(),
            lines: Vec::new(),
            search: Search::default(),
            notice: None,
            look: Look::default(),
            screen: Screen::Browser,
            clock: None,
            problem: None,
            follow: None,
            seen: None,
            changes: Changes::default(),
            filter: Filter::All,
            rows: Vec::new(),
            stale_after: 2 * 3600,
            share_problem: None,
            watch_problem: None,
            size: (0, 0),
            generation: 0,
        };
        // Nothing has changed yet: no need to hash a large report at start-up.
        app.changes = Changes::unchanged(&app.doc);
        app.refresh_rows();
        app.resize(width, height);
        app
    }

    /// The key table that applies now.
    pub fn context(&self) -> Context {
        match self.mode {
            Mode::Browse if self.presenting() => Context::Present,
            Mode::Browse => Context::Browse,
            Mode::Search => Context::Search,
            Mode::Help { .. } => Context::Help,
            Mode::Results { .. } => Context::Results,
        }
    }

    /// Applies one event; the only place, with `update`, where state changes.
    pub fn handle(&mut self, event: Event) -> Effect {
        match event {
            Event::Action(a) => self.update(a),
            Event::Paste(text) => self.paste(&text),
            Event::Shared(problem) => {
                let changed = self.share_problem != problem;
                self.share_problem = problem;
                if changed { Effect::Draw } else { Effect::None }
            }
            Event::WatchLost(_, why) => {
                self.watch_problem = why;
                Effect::Draw
            }
            Event::Reloaded(doc) => {
                self.replace_doc(*doc);
                Effect::Draw
            }
            Event::ReloadFailed(problem) => {
                self.problem = Some(problem);
                Effect::Draw
            }
            Event::Clock(c) => {
                self.tick(c);
                if self.presenting() {
                    Effect::Draw
                } else {
                    Effect::None
                }
            }
            Event::Followed(followed) => self.followed(followed),
        }
    }

    /// Applies one user action; returns what the terminal must do.
    pub fn update(&mut self, action: Action) -> Effect {
        let before = self.selected;
        let effect = self.apply(action);
        // A follower who moves to another theme has wandered off: presenter
        // moves no longer pull them back until they re-attach.
        if let Some(f) = self.follow.as_mut()
            && self.selected != before
            && action != Action::Reattach
        {
            f.attached = false;
        }
        effect
    }

    fn apply(&mut self, action: Action) -> Effect {
        self.notice = None;
        match action {
            Action::Quit => return Effect::Quit,
            Action::Redraw => return Effect::Repaint,
            Action::Suspend => return Effect::Suspend,
            Action::Resize(w, h) => self.resize(w, h),
            Action::Reattach if self.follow.is_some() => self.reattach(),
            _ => match self.mode {
                Mode::Browse if self.presenting() => self.present(action),
                Mode::Browse => self.browse(action),
                Mode::Search => self.search_key(action),
                Mode::Help { scroll } => self.help(action, scroll),
                Mode::Results { cursor, offset } => self.results(action, cursor, offset),
            },
        }
        Effect::Draw
    }

    /// The screen size the state was laid out for.
    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    /// Lines in a page of the text panel.
    pub fn page(&self) -> usize {
        usize::from(self.areas.text.height).max(1)
    }

    /// The largest useful text scroll offset.
    pub fn max_scroll(&self) -> usize {
        self.shown().len().saturating_sub(self.page())
    }

    /// Whether the presentation screen is shown.
    pub fn presenting(&self) -> bool {
        matches!(self.screen, Screen::Present(_))
    }

    /// The lines of the selected theme that are shown: all of them in the
    /// browser, the revealed ones when presenting.
    pub fn shown(&self) -> &[view::Line] {
        match self.screen {
            Screen::Present(p) if !p.all => view::revealed(&self.lines, p.revealed),
            _ => &self.lines,
        }
    }

    /// Selects entry `i` (clamped), showing its text from the top.
    pub fn select(&mut self, i: usize) {
        let i = i.min(self.doc.entries.len().saturating_sub(1));
        if i != self.selected || self.lines.is_empty() {
            self.selected = i;
            self.scroll = 0;
            self.relayout();
        }
        self.keep_selection_visible();
    }

    fn resize(&mut self, width: u16, height: u16) {
        if self.size == (width, height) {
            return;
        }
        let old_text_width = self.areas.text.width;
        self.size = (width, height);
        self.areas = Areas::new(width, height, self.doc.entries.len(), self.presenting());
        if self.areas.text.width != old_text_width || self.lines.is_empty() {
            // Keep the top line's text in view across the re-wrap.
            let anchor = self.top_anchor();
            self.relayout();
            self.scroll = anchor
                .and_then(|(block, offset)| view::line_of(&self.lines, block, offset))
                .unwrap_or(0);
        }
        self.scroll = self.scroll.min(self.max_scroll());
        self.keep_selection_visible();
    }

    // Re-derives the regions and the text layout after the screen changed
    // (resize, or entering/leaving the presentation).
    fn reflow(&mut self) {
        let (w, h) = self.size;
        self.size = (0, 0);
        self.resize(w, h);
    }

    fn top_anchor(&self) -> Option<(usize, usize)> {
        self.lines[self.scroll.min(self.lines.len())..]
            .iter()
            .find_map(|l| match l.kind {
                view::LineKind::Text { block, start, .. } => Some((block, start)),
                _ => None,
            })
    }

    fn relayout(&mut self) {
        self.lines = view::layout(&self.doc, self.selected, self.areas.text.width);
        self.generation = self.generation.wrapping_add(1);
    }

    /// Changes whenever the text is laid out anew (another theme, width or report).
    pub fn layout_generation(&self) -> u64 {
        self.generation
    }

    pub(super) fn keep_selection_visible(&mut self) {
        let h = usize::from(self.areas.list.height).max(1);
        if let Some(row) = self.selected_row() {
            if row < self.list_offset {
                self.list_offset = row;
            } else if row >= self.list_offset + h {
                self.list_offset = row + 1 - h;
            }
        }
        self.list_offset = self.list_offset.min(self.rows.len().saturating_sub(h));
    }
}

#[cfg(test)]
mod tests;
