//! Application state and its transitions: [`App::handle`] (and
//! [`App::update`] for user actions) is the only place state changes, by
//! construction: every field is private, read through accessors. It never
//! sees terminal types, so every behaviour is testable without a terminal.

mod browse;
mod live;
mod marks;
mod present;
mod search;
mod versions;

use std::sync::Arc;

use crate::action::Action;
use crate::changes::{Changes, Seen};
use crate::doc::Doc;
use crate::keymap::Context;
use crate::labels::{self, Labels};
use crate::layout::{Areas, Shape};
use crate::look::Look;
use crate::room::Room;
use crate::view;

pub use live::Follow;
pub use marks::Filter;
pub use present::{Clock, Present};
pub use search::Search;
pub use versions::{Diff, ListKind, NoVersions, Want};

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
    /// Reading: theme list and text (or the presentation).
    Browse,
    /// Typing in the search bar.
    Search,
    /// The help overlay, at page `page`; closing it returns to `from`.
    Help {
        /// The page shown.
        page: usize,
        /// Where help was opened.
        from: Back,
    },
    /// The overview of all matches.
    Results {
        /// The highlighted match.
        cursor: usize,
        /// The first match shown.
        offset: usize,
    },
    /// A whole message (an error, with its position and hint); closing it
    /// returns to `from`.
    Message {
        /// Where it was opened.
        from: Back,
    },
    /// A list: the timeline, the actions or the decisions.
    List {
        /// Which list.
        kind: ListKind,
        /// The highlighted row.
        cursor: usize,
        /// The first row shown.
        offset: usize,
    },
    /// The diff of the selected theme between two versions.
    Diff {
        /// The first line shown.
        scroll: usize,
    },
    /// Who is watching (serving over SSH); closing it returns to `from`.
    Room {
        /// Where it was opened.
        from: Back,
    },
}

/// Where an overlay returns to when it closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Back {
    /// Reading (or presenting).
    Browse,
    /// The search bar, query kept.
    Search,
    /// The match overview.
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
    Reloaded(Arc<Doc>, Option<crate::changes::Compared>),
    /// The report file changed but cannot be used: the message on one line, and whole.
    ReloadFailed(Problem),
    /// The time, for the clock, ages and staleness.
    Clock(Clock),
    /// The presenter's position file changed (or why it cannot be used).
    Followed(Result<crate::share::Followed, String>),
    /// The position was written for followers, or why it was not.
    Shared(Option<String>),
    /// A watched file can no longer be watched (why), or can again (`None`).
    WatchLost(crate::watch::Watched, Option<String>),
    /// Viewers joined, left or moved (serving over SSH).
    Room(Arc<Room>),
    /// The versions of the report known (read from its history).
    Timeline(Arc<crate::versions::Timeline>),
    /// The history could not be read: why, sanitised.
    TimelineFailed(String),
    /// The whole report, read after its first themes were shown, with what
    /// the reader saw last time (read then too) compared with it.
    Loaded(Arc<Doc>, Option<crate::changes::Baseline>),
    /// A version asked for ([`App::wanted_version`]), or why it cannot be read.
    Version(crate::history::VersionId, Result<Arc<Doc>, String>),
    /// Nothing else to do: time for one slice of the work left
    /// ([`App::counting`]).
    Work,
}

/// Why something does not work: one line for the status line, and the
/// whole message (file:line:column, the quoted line, the hint) for `e`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// On one line.
    pub short: String,
    /// All of it.
    pub full: String,
}

impl Problem {
    /// A problem whose one line is all there is to say.
    pub fn line(s: String) -> Problem {
        Problem {
            full: s.clone(),
            short: s,
        }
    }
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
    /// Following, also take on the presenter's screen (presenting or
    /// browsing): what a viewer of a served report gets.
    pub mirror: bool,
    /// `doc` is only the report's first themes; the rest is being read.
    pub partial: bool,
    /// Start presenting.
    pub present: bool,
    /// A search to start with (searched once, as a whole).
    pub search: Option<String>,
    /// The widest the text gets, in columns.
    pub measure: u16,
    /// The UI's words; `None`: in the report's language.
    pub labels: Option<&'static Labels>,
    /// Why no versions will be listed, when none will be.
    pub no_versions: Option<NoVersions>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            look: Look::default(),
            stale_after: 2 * 3600,
            seen: None,
            follow: false,
            mirror: false,
            partial: false,
            present: false,
            search: None,
            measure: crate::layout::READING_MEASURE,
            labels: None,
            no_versions: None,
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
    /// Shared: every SSH viewer of a served report reads the same one.
    doc: Arc<Doc>,
    labels: &'static Labels,
    /// Labels chosen by the reader (`--lang`), kept across reloads.
    fixed_labels: Option<&'static Labels>,
    mode: Mode,
    focus: Focus,
    selected: usize,
    scroll: usize,
    list_offset: usize,
    areas: Areas,
    measure: u16,
    lines: Vec<view::TextLine>,
    search: Search,
    notice: Option<String>,
    look: Look,
    screen: Screen,
    clock: Option<Clock>,
    problem: Option<Problem>,
    follow: Option<Follow>,
    marks: marks::Marks,
    filter: Filter,
    rows: Vec<usize>,
    stale_after: i64,
    share_problem: Option<String>,
    watch_problem: Option<String>,
    /// Who is watching, when serving.
    room: Option<Arc<Room>>,
    /// Take on the presenter's screen while following.
    mirror: bool,
    /// The versions known.
    timeline: Option<Arc<crate::versions::Timeline>>,
    /// Why no timeline will come (see [`NoVersions`]).
    no_versions: Option<NoVersions>,
    /// An older version on screen.
    old: Option<versions::Old>,
    /// A version asked of the driver.
    wanted: Option<(crate::history::VersionId, Want)>,
    /// The diff on screen.
    diff: Option<Diff>,
    /// Only the first themes are there; the rest is being read.
    partial: bool,
    /// The last theme was asked for (`G`) while only the first were there:
    /// it is the report's last once the rest is in.
    end_wanted: bool,
    /// A count typed before a movement (`5j`).
    count: Option<usize>,
    size: (u16, u16),
    generation: u64,
}

impl App {
    /// A browser showing `doc` on a `width` x `height` screen, set up as `setup` says.
    pub fn new(doc: impl Into<Arc<Doc>>, width: u16, height: u16, setup: Setup) -> App {
        let doc = doc.into();
        let labels = setup.labels.unwrap_or_else(|| labels::for_lang(doc.lang));
        let mut app = App {
            doc,
            labels,
            fixed_labels: setup.labels,
            mode: Mode::Browse,
            focus: Focus::List,
            selected: 0,
            scroll: 0,
            list_offset: 0,
            areas: Areas::default(),
            measure: setup.measure,
            lines: Vec::new(),
            search: Search::default(),
            notice: None,
            look: setup.look,
            screen: Screen::Browser,
            clock: None,
            problem: None,
            follow: setup.follow.then(|| Follow {
                attached: true,
                ..Default::default()
            }),
            marks: marks::Marks::default(),
            filter: Filter::All,
            rows: Vec::new(),
            stale_after: setup.stale_after,
            share_problem: None,
            watch_problem: None,
            room: None,
            mirror: setup.mirror,
            timeline: None,
            no_versions: setup.no_versions.clone(),
            old: None,
            wanted: None,
            diff: None,
            partial: setup.partial,
            end_wanted: false,
            count: None,
            size: (0, 0),
            generation: 0,
        };
        app.start_marks(setup.seen);
        app.resize(width, height);
        app.select(0);
        if setup.present {
            app.update(Action::TogglePresent);
        }
        if let Some(query) = setup.search {
            app.start_search(&query);
        }
        app
    }

    /// A browser showing `doc` on a `width` x `height` screen, with defaults.
    pub fn bare(doc: impl Into<Arc<Doc>>, width: u16, height: u16) -> App {
        App::new(doc, width, height, Setup::default())
    }

    /// The key table that applies now.
    pub fn context(&self) -> Context {
        match self.mode {
            Mode::Browse if self.presenting() => Context::Present,
            Mode::Browse => Context::Browse,
            Mode::Search => Context::Search,
            Mode::Help { .. } => Context::Help,
            Mode::Results { .. } => Context::Results,
            Mode::Message { .. } => Context::Message,
            Mode::Room { .. } => Context::Room,
            Mode::List { .. } => Context::List,
            Mode::Diff { .. } => Context::Diff,
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
            Event::Reloaded(doc, compared) => {
                if !self.reloaded_while_old(doc.clone()) {
                    self.replace_doc(doc, compared);
                }
                // The timeline is of the version before; the new one follows.
                self.timeline = None;
                Effect::Draw
            }
            Event::Timeline(t) => self.set_timeline(t),
            Event::TimelineFailed(why) => {
                self.no_versions = Some(NoVersions::Unreadable(why));
                Effect::Draw
            }
            Event::Loaded(doc, baseline) => {
                self.completed(doc, baseline);
                Effect::Draw
            }
            Event::Version(id, doc) => self.version_loaded(id, doc),
            Event::Work => self.count_on(),
            Event::ReloadFailed(problem) => {
                // More urgent than a word about the start (which themes changed).
                self.notice = None;
                self.problem = Some(problem);
                Effect::Draw
            }
            Event::Clock(c) => self.tick(c),
            Event::Followed(followed) => self.followed(followed),
            Event::Room(room) => {
                let changed = self.room.as_deref() != Some(&*room);
                self.room = Some(room);
                if changed { Effect::Draw } else { Effect::None }
            }
        }
    }

    /// Applies one user action; returns what the terminal must do.
    pub fn update(&mut self, action: Action) -> Effect {
        let (before, was_presenting) = (self.selected, self.presenting());
        let effect = match (action, self.count.take()) {
            (Action::Digit(d), count) if self.context() == Context::Browse => {
                let n = count
                    .unwrap_or(0)
                    .saturating_mul(10)
                    .saturating_add(d.into());
                self.count = Some(n.min(100_000));
                Effect::None
            }
            (Action::Top | Action::Bottom, Some(n)) if self.context() == Context::Browse => {
                // `3G` goes to theme 3.
                self.select(n.saturating_sub(1));
                self.notice = None;
                Effect::Draw
            }
            (a, Some(n)) if a.repeats() => {
                let mut effect = Effect::None;
                for _ in 0..n.max(1) {
                    effect = effect.max(self.apply(a));
                }
                effect
            }
            (a, _) => self.apply(a),
        };
        // A follower who moves to another theme has wandered off: presenter
        // moves no longer pull them back until they re-attach.
        let moved = self.selected != before || (self.mirror && self.presenting() != was_presenting);
        if let Some(f) = self.follow.as_mut()
            && moved
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
            // F without a presenter to follow is said, not ignored.
            Action::Reattach if self.mode == Mode::Browse => {
                self.notice = Some(self.labels.not_following.into());
            }
            _ => match self.mode {
                Mode::Browse if self.presenting() => self.present(action),
                Mode::Browse => self.browse(action),
                Mode::Search => self.search_key(action),
                Mode::Help { page, from } => self.help(action, page, from),
                Mode::Results { cursor, offset } => self.results(action, cursor, offset),
                Mode::Message { from } => self.message(action, from),
                Mode::Room { from } => self.room_overlay(action, from),
                Mode::List {
                    kind,
                    cursor,
                    offset,
                } => self.list_key(kind, action, cursor, offset),
                Mode::Diff { scroll } => self.diff_key(action, scroll),
            },
        }
        Effect::Draw
    }

    /// The screen size the state was laid out for.
    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    /// Lines in a page of the text panel (below a pinned slide title).
    pub fn page(&self) -> usize {
        usize::from(self.areas.text.height)
            .saturating_sub(self.pinned_title())
            .max(1)
    }

    /// The largest useful text scroll offset.
    pub fn max_scroll(&self) -> usize {
        self.shown()
            .len()
            .saturating_sub(self.pinned_title() + self.page())
    }

    /// The rows of the text panel that scroll (below a pinned slide title).
    pub fn scroll_region(&self) -> ratatui::layout::Rect {
        let t = self.areas.text;
        let pinned = u16::try_from(self.pinned_title())
            .unwrap_or(0)
            .min(t.height);
        ratatui::layout::Rect::new(t.x, t.y + pinned, t.width, t.height - pinned)
    }

    /// Whether the presentation screen is shown.
    pub fn presenting(&self) -> bool {
        matches!(self.screen, Screen::Present(_))
    }

    /// The lines of the selected theme that are shown: all of them in the
    /// browser, the revealed ones when presenting.
    pub fn shown(&self) -> &[view::TextLine] {
        match self.screen {
            Screen::Present(p) if !p.all => view::revealed(&self.lines, p.revealed),
            _ => &self.lines,
        }
    }

    /// Selects entry `i` (clamped), showing its text from the top.
    fn select(&mut self, i: usize) {
        self.end_wanted = false;
        let i = i.min(self.doc.entries.len().saturating_sub(1));
        if i != self.selected || self.lines.is_empty() {
            self.leave_theme();
            self.selected = i;
            self.scroll = 0;
            self.relayout();
            self.enter_theme();
        }
        self.keep_selection_visible();
    }

    fn shape(&self) -> Shape {
        Shape {
            entries: self.doc.entries.len(),
            // Room for the marks after the widest title.
            widest_row: self.doc.widest_title + 12,
            measure: self.measure,
            presenting: self.presenting(),
        }
    }

    fn resize(&mut self, width: u16, height: u16) {
        if self.size == (width, height) {
            return;
        }
        let old_text_width = self.areas.text.width;
        self.size = (width, height);
        self.areas = Areas::new(width, height, &self.shape());
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

    fn keep_selection_visible(&mut self) {
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

/// Reading the state (for rendering, the terminal layer and tests).
impl App {
    /// The report shown.
    pub fn doc(&self) -> &Doc {
        &self.doc
    }
    /// The report shown, to share.
    pub fn shared_doc(&self) -> Arc<Doc> {
        Arc::clone(&self.doc)
    }
    /// The UI's words.
    pub fn labels(&self) -> &'static Labels {
        self.labels
    }
    /// What the screen is doing.
    pub fn mode(&self) -> Mode {
        self.mode
    }
    /// Which panel has focus.
    pub fn focus(&self) -> Focus {
        self.focus
    }
    /// The selected theme (its index in the report's entries).
    pub fn selected(&self) -> usize {
        self.selected
    }
    /// The first text line shown.
    pub fn scroll(&self) -> usize {
        self.scroll
    }
    /// The first list row shown.
    pub fn list_offset(&self) -> usize {
        self.list_offset
    }
    /// The screen's regions.
    pub fn areas(&self) -> &Areas {
        &self.areas
    }
    /// The selected theme's lines at the text panel's width.
    pub fn lines(&self) -> &[view::TextLine] {
        &self.lines
    }
    /// The search.
    pub fn search(&self) -> &Search {
        &self.search
    }
    /// A one-off notice for the status line.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }
    /// Colours and symbols.
    pub fn look(&self) -> &Look {
        &self.look
    }
    /// The browser or the presentation.
    pub fn screen(&self) -> Screen {
        self.screen
    }
    /// The time last told.
    pub fn clock(&self) -> Option<Clock> {
        self.clock
    }
    /// Why the report cannot be reloaded, if it cannot.
    pub fn problem(&self) -> Option<&Problem> {
        self.problem.as_ref()
    }
    /// Following a presenter, when started with `--follow`.
    pub fn follow(&self) -> Option<&Follow> {
        self.follow.as_ref()
    }
    /// What changed since the reader last saw the report.
    pub fn changes(&self) -> &Changes {
        &self.marks.changes
    }
    /// Which themes the list shows.
    pub fn filter(&self) -> Filter {
        self.filter
    }
    /// The themes the list shows, in order.
    pub fn rows(&self) -> &[usize] {
        &self.rows
    }
    /// Why followers are not getting the position, when they are not.
    pub fn share_problem(&self) -> Option<&str> {
        self.share_problem.as_deref()
    }
    /// Why the report is not watched, when it is not.
    pub fn watch_problem(&self) -> Option<&str> {
        self.watch_problem.as_deref()
    }
    /// Whether only the report's first themes are there yet.
    pub fn partial(&self) -> bool {
        self.partial
    }
    /// Who is watching, when serving over SSH.
    pub fn room(&self) -> Option<&Room> {
        self.room.as_deref()
    }
    /// The count typed so far (`5` of `5j`).
    pub fn count(&self) -> Option<usize> {
        self.count
    }
}

#[cfg(test)]
mod tests;
