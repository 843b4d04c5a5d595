//! Application state and its transitions: `App::update` is the only place
//! state changes. It never sees terminal types, so every behaviour is testable
//! without a terminal.

mod search;

use crate::action::Action;
use crate::doc::Doc;
use crate::keymap::Context;
use crate::labels::{self, Labels};
use crate::ui::areas::Areas;
use crate::ui::style::Look;
use crate::view;

pub use search::Search;

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

/// What the terminal layer must do after an update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    size: (u16, u16),
}

impl App {
    /// A browser showing `doc` on a `width` x `height` screen.
    pub fn new(doc: Doc, width: u16, height: u16) -> App {
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
            size: (0, 0),
        };
        app.resize(width, height);
        app
    }

    /// The key table that applies now.
    pub fn context(&self) -> Context {
        match self.mode {
            Mode::Browse => Context::Browse,
            Mode::Search => Context::Search,
            Mode::Help { .. } => Context::Help,
            Mode::Results { .. } => Context::Results,
        }
    }

    /// Applies one action; returns what the terminal must do.
    pub fn update(&mut self, action: Action) -> Effect {
        self.notice = None;
        match action {
            Action::Quit => return Effect::Quit,
            Action::Redraw => return Effect::Repaint,
            Action::Suspend => return Effect::Suspend,
            Action::Resize(w, h) => self.resize(w, h),
            _ => match self.mode {
                Mode::Browse => self.browse(action),
                Mode::Search => self.search_key(action),
                Mode::Help { scroll } => self.help(action, scroll),
                Mode::Results { cursor, offset } => self.results(action, cursor, offset),
            },
        }
        Effect::Draw
    }

    /// Lines in a page of the text panel.
    pub fn page(&self) -> usize {
        usize::from(self.areas.text.height).max(1)
    }

    /// The largest useful text scroll offset.
    pub fn max_scroll(&self) -> usize {
        self.lines.len().saturating_sub(self.page())
    }

    fn browse(&mut self, action: Action) {
        let text = self.focus == Focus::Text;
        match action {
            Action::Down if text => self.scroll_by(1),
            Action::Up if text => self.scroll_by(-1),
            Action::Down => self.select(self.selected.saturating_add(1)),
            Action::Up => self.select(self.selected.saturating_sub(1)),
            Action::Top if text => self.scroll = 0,
            Action::Bottom if text => self.scroll = self.max_scroll(),
            Action::Top => self.select(0),
            Action::Bottom => self.select(usize::MAX),
            Action::PageDown => self.scroll_by(self.page_step()),
            Action::PageUp => self.scroll_by(-self.page_step()),
            Action::Advance if self.scroll >= self.max_scroll() => {
                if self.selected + 1 < self.doc.entries.len() {
                    self.select(self.selected + 1);
                }
            }
            Action::Advance => self.scroll_by(self.page_step()),
            Action::FocusNext | Action::FocusPrev => {
                self.focus = match self.focus {
                    Focus::List => Focus::Text,
                    Focus::Text => Focus::List,
                }
            }
            Action::FocusList => self.focus = Focus::List,
            Action::FocusText | Action::Enter => self.focus = Focus::Text,
            Action::ToggleHelp => self.mode = Mode::Help { scroll: 0 },
            Action::Click(x, y) => self.click(x, y),
            Action::Wheel(x, y, down) => self.wheel(x, y, down),
            Action::Cancel => self.search.clear(),
            _ => self.search_browse(action),
        }
    }

    fn help(&mut self, action: Action, scroll: usize) {
        self.mode = match action {
            Action::Down => Mode::Help {
                scroll: scroll.saturating_add(1),
            },
            Action::Up => Mode::Help {
                scroll: scroll.saturating_sub(1),
            },
            Action::ToggleHelp | Action::Cancel => Mode::Browse,
            _ => Mode::Help { scroll },
        };
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

    fn scroll_by(&mut self, delta: isize) {
        self.scroll = self
            .scroll
            .saturating_add_signed(delta)
            .min(self.max_scroll());
    }

    fn page_step(&self) -> isize {
        // Keep one line of context, as less does with its default window.
        isize::try_from(self.page().saturating_sub(1).max(1)).unwrap_or(1)
    }

    fn resize(&mut self, width: u16, height: u16) {
        if self.size == (width, height) {
            return;
        }
        let old_text_width = self.areas.text.width;
        self.size = (width, height);
        self.areas = Areas::new(width, height, self.doc.entries.len());
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
    }

    fn keep_selection_visible(&mut self) {
        let h = usize::from(self.areas.list.height).max(1);
        if self.selected < self.list_offset {
            self.list_offset = self.selected;
        } else if self.selected >= self.list_offset + h {
            self.list_offset = self.selected + 1 - h;
        }
        self.list_offset = self
            .list_offset
            .min(self.doc.entries.len().saturating_sub(h));
    }

    fn click(&mut self, x: u16, y: u16) {
        let pos = ratatui::layout::Position::new(x, y);
        if self.areas.list.contains(pos) {
            let row = self.list_offset + usize::from(y - self.areas.list.y);
            if row < self.doc.entries.len() {
                self.select(row);
            }
            self.focus = Focus::List;
        } else if self.areas.text.contains(pos) {
            self.focus = Focus::Text;
        }
    }

    fn wheel(&mut self, x: u16, y: u16, down: bool) {
        let pos = ratatui::layout::Position::new(x, y);
        if self.areas.list.contains(pos) {
            let i = if down {
                self.selected.saturating_add(1)
            } else {
                self.selected.saturating_sub(1)
            };
            self.select(i);
        } else {
            self.scroll_by(if down { 3 } else { -3 });
        }
    }
}

#[cfg(test)]
mod tests;
