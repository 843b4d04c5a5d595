//! Reading: moving through the list and the text, the overlays (help, a
//! whole message), the mouse.

use super::{App, Back, Focus, Mode};
use crate::action::Action;
use crate::keymap::Context;

impl App {
    /// Actions while reading (list and text).
    pub(super) fn browse(&mut self, action: Action) {
        let text = self.focus == Focus::Text;
        match action {
            Action::Down if text => self.scroll_by(1),
            Action::Up if text => self.scroll_by(-1),
            Action::Down => self.step_row(1),
            Action::Up => self.step_row(-1),
            Action::Top if text => self.scroll = 0,
            Action::Bottom if text => self.scroll = self.max_scroll(),
            Action::Top => self.edge_row(false),
            Action::Bottom => self.edge_row(true),
            Action::NextChanged => self.next_changed(),
            Action::CycleFilter => self.cycle_filter(),
            Action::PageDown => self.scroll_by(self.page_step()),
            Action::PageUp => self.scroll_by(-self.page_step()),
            Action::HalfPageDown => self.scroll_by(self.half_page()),
            Action::HalfPageUp => self.scroll_by(-self.half_page()),
            Action::LineDown => self.scroll_by(1),
            Action::LineUp => self.scroll_by(-1),
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
            Action::ToggleHelp => self.open_help(Back::Browse),
            Action::ShowMessage => self.open_message(Back::Browse),
            Action::ShowRoom => self.open_room(Back::Browse),
            Action::ShowVersions => self.open_list(super::ListKind::Versions),
            Action::ShowActions => self.open_list(super::ListKind::Actions),
            Action::ShowDecisions => self.open_list(super::ListKind::Decisions),
            Action::Cancel if self.old.is_some() => self.back_to_current(),
            Action::TogglePresent => self.start_presenting(),
            Action::Click(x, y) => self.click(x, y),
            Action::Wheel(x, y, down) => self.wheel(x, y, down),
            Action::Cancel => self.search.clear(),
            _ => self.search_browse(action),
        }
    }

    /// Opens help at the keys of where it was opened.
    pub(super) fn open_help(&mut self, from: Back) {
        self.mode = Mode::Help { page: 0, from };
    }

    /// Opens the whole message of the current problem, if there is one.
    pub(super) fn open_message(&mut self, from: Back) {
        if self.messages().is_empty() {
            self.notice = Some(self.labels.no_message.into());
        } else {
            self.mode = Mode::Message { from };
        }
    }

    /// Every problem there is, whole: the reload error (with its position
    /// and hint), the follow, share and watch problems.
    pub fn messages(&self) -> Vec<String> {
        let follow = self.follow.as_ref().and_then(|f| f.problem.clone());
        let share = self
            .share_problem
            .as_ref()
            .map(|why| format!("{}: {why}", self.labels.no_share));
        [
            self.problem.as_ref().map(|p| p.full.clone()),
            follow,
            share,
            self.watch_problem.clone(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    // Where help was opened, as a context (its keys are shown first).
    fn help_context(from: Back, presenting: bool) -> Context {
        match from {
            Back::Browse if presenting => Context::Present,
            Back::Browse => Context::Browse,
            Back::Search => Context::Search,
            Back::Results { .. } => Context::Results,
        }
    }

    /// The help's lines now: the keys of where it was opened come first.
    pub fn help_lines(&self) -> Vec<crate::help::HelpLine> {
        let first = match self.mode {
            Mode::Help { from, .. } => App::help_context(from, self.presenting()),
            _ => self.context(),
        };
        crate::help::lines(first, self.labels, &self.look)
    }

    /// Help's columns of lines now, and how they lay out on pages.
    pub fn help_pages(&self) -> (Vec<Vec<crate::help::HelpLine>>, crate::layout::HelpGeometry) {
        let body = self.areas.body();
        // The room inside help's frame: the geometry's, for one column.
        let lines =
            crate::help::wrap_to(self.help_lines(), usize::from(body.width).saturating_sub(4));
        let columns = crate::help::columns(
            &lines,
            crate::layout::help_rows(body),
            self.labels.continued,
        );
        let geometry = crate::layout::help(body, columns.len(), crate::help::widest(&lines));
        (columns, geometry)
    }

    pub(super) fn help(&mut self, action: Action, page: usize, from: Back) {
        let last = self.help_pages().1.pages.saturating_sub(1);
        let page = match action {
            Action::PageDown => (page + 1).min(last),
            Action::PageUp => page.saturating_sub(1),
            Action::Top => 0,
            Action::Bottom => last,
            Action::ToggleHelp | Action::Cancel => return self.back(from),
            _ => page,
        };
        self.mode = Mode::Help { page, from };
    }

    /// Opens the list of viewers, when serving.
    pub(super) fn open_room(&mut self, from: Back) {
        if self.room.is_none() {
            // A viewer joined through --serve: the room is not theirs to see.
            let why = if self.mirror {
                self.labels.room_is_presenters
            } else {
                self.labels.not_serving
            };
            self.notice = Some(why.into());
        } else {
            self.mode = Mode::Room { from };
        }
    }

    pub(super) fn room_overlay(&mut self, action: Action, from: Back) {
        if matches!(action, Action::Cancel | Action::ShowRoom) {
            self.back(from);
        }
    }

    pub(super) fn message(&mut self, action: Action, from: Back) {
        if matches!(action, Action::Cancel | Action::ShowMessage) {
            self.back(from);
        }
    }

    // Closes an overlay, back to where it was opened.
    fn back(&mut self, to: Back) {
        self.mode = match to {
            Back::Browse => Mode::Browse,
            Back::Search => Mode::Search,
            Back::Results { cursor, offset } => Mode::Results { cursor, offset },
        };
    }

    pub(super) fn scroll_by(&mut self, delta: isize) {
        self.scroll = self
            .scroll
            .saturating_add_signed(delta)
            .min(self.max_scroll());
    }

    pub(super) fn page_step(&self) -> isize {
        // Keep one line of context, as less does with its default window.
        isize::try_from(self.page().saturating_sub(1).max(1)).unwrap_or(1)
    }

    fn half_page(&self) -> isize {
        isize::try_from((self.page() / 2).max(1)).unwrap_or(1)
    }

    fn click(&mut self, x: u16, y: u16) {
        let pos = ratatui::layout::Position::new(x, y);
        if self.areas.list.contains(pos) {
            let row = self.list_offset + usize::from(y - self.areas.list.y);
            if let Some(&entry) = self.rows.get(row) {
                self.select(entry);
            }
            self.focus = Focus::List;
        } else if self.areas.text.contains(pos) {
            self.focus = Focus::Text;
        }
    }

    fn wheel(&mut self, x: u16, y: u16, down: bool) {
        let pos = ratatui::layout::Position::new(x, y);
        if self.areas.list.contains(pos) {
            self.step_row(if down { 1 } else { -1 });
        } else {
            self.scroll_by(if down { 3 } else { -3 });
        }
    }
}
