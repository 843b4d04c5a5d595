//! Reading: moving through the list and the text, help, the mouse.

use super::{App, Focus, Mode};
use crate::action::Action;

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
            Action::TogglePresent => self.start_presenting(),
            Action::Click(x, y) => self.click(x, y),
            Action::Wheel(x, y, down) => self.wheel(x, y, down),
            Action::Cancel => self.search.clear(),
            _ => self.search_browse(action),
        }
    }

    pub(super) fn help(&mut self, action: Action, scroll: usize) {
        self.mode = match action {
            Action::Down => Mode::Help {
                scroll: scroll
                    .saturating_add(1)
                    .min(crate::ui::help::max_scroll(self)),
            },
            Action::Up => Mode::Help {
                scroll: scroll.saturating_sub(1),
            },
            Action::ToggleHelp | Action::Cancel => Mode::Browse,
            _ => Mode::Help { scroll },
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
