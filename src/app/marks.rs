//! Freshness and change marks, and the list filter they drive.

use super::App;
use crate::changes::{Change, Changes, Seen};

/// Which themes the list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Filter {
    /// Every theme.
    #[default]
    All,
    /// Themes new or changed since the reader last saw them.
    Changed,
    /// Themes not updated within the stale threshold.
    Stale,
    /// Themes with open actions.
    OpenActions,
}

impl Filter {
    fn next(self) -> Filter {
        match self {
            Filter::All => Filter::Changed,
            Filter::Changed => Filter::Stale,
            Filter::Stale => Filter::OpenActions,
            Filter::OpenActions => Filter::All,
        }
    }

    /// Position in the labels' list of filter names.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl App {
    /// Sets what the reader saw last time; change marks are relative to it.
    pub fn set_seen(&mut self, seen: Seen) {
        self.seen = Some(seen);
        self.refresh_marks();
    }

    /// Recomputes change marks and the list rows after the report or the baseline changed.
    pub(super) fn refresh_marks(&mut self) {
        self.changes = match &self.seen {
            Some(seen) => Changes::compare(&self.doc, seen),
            None => Changes::unchanged(&self.doc),
        };
        self.refresh_rows();
    }

    pub(super) fn refresh_rows(&mut self) {
        self.rows = (0..self.doc.entries.len())
            .filter(|&i| self.passes(i))
            .collect();
        if !self.rows.is_empty() && !self.rows.contains(&self.selected) {
            let first = self.rows[0];
            self.select(first);
        }
        self.keep_selection_visible();
    }

    fn passes(&self, i: usize) -> bool {
        match self.filter {
            Filter::All => true,
            Filter::Changed => self.change(i) != Change::Same,
            Filter::Stale => self.is_stale(i),
            Filter::OpenActions => self.doc.entries[i].open_actions > 0,
        }
    }

    /// How entry `i` compares with what the reader saw.
    pub fn change(&self, i: usize) -> Change {
        self.changes.entries.get(i).copied().unwrap_or_default()
    }

    /// Seconds since entry `i` was updated, when it says and the clock is known.
    pub fn age(&self, i: usize) -> Option<i64> {
        let updated = self.doc.entries.get(i)?.updated?;
        let now = i64::try_from(self.clock?.unix).ok()?;
        Some((now - updated).max(0))
    }

    /// Whether entry `i` was last updated longer ago than the threshold.
    pub fn is_stale(&self, i: usize) -> bool {
        self.age(i).is_some_and(|a| a > self.stale_after)
    }

    /// Whether the whole report is past its announced next update.
    pub fn report_stale(&self) -> bool {
        match (&self.doc.next_update, self.clock) {
            (Some(next), Some(c)) => i64::try_from(c.unix).is_ok_and(|now| now > next.unix),
            _ => false,
        }
    }

    /// Shows the next filter's themes.
    pub(super) fn cycle_filter(&mut self) {
        self.filter = self.filter.next();
        self.refresh_rows();
    }

    /// Goes to the next theme that changed since last time, wrapping around.
    pub(super) fn next_changed(&mut self) {
        let n = self.doc.entries.len();
        let next = (1..=n)
            .map(|d| (self.selected + d) % n)
            .find(|&i| self.change(i) != Change::Same);
        match next {
            Some(i) => {
                self.select(i);
                // Show the first changed block, not just the theme.
                let first = self.doc.entries[i]
                    .blocks
                    .clone()
                    .find(|&b| self.changes.blocks[b]);
                if let Some(line) = first.and_then(|b| crate::view::line_of(&self.lines, b, 0)) {
                    self.scroll = line.saturating_sub(1).min(self.max_scroll());
                }
            }
            None => self.notice = Some(self.labels.no_changes),
        }
    }

    /// The list row showing the selected entry, if the filter shows it.
    pub fn selected_row(&self) -> Option<usize> {
        self.rows.iter().position(|&e| e == self.selected)
    }

    /// Moves the list selection by `delta` rows (clamped).
    pub(super) fn step_row(&mut self, delta: isize) {
        let Some(last) = self.rows.len().checked_sub(1) else {
            return;
        };
        let row = match self.selected_row() {
            Some(r) => r.saturating_add_signed(delta).min(last),
            None => 0,
        };
        self.select(self.rows[row]);
    }

    /// Selects the first (`false`) or last (`true`) row.
    pub(super) fn edge_row(&mut self, last: bool) {
        let row = if last {
            self.rows.last()
        } else {
            self.rows.first()
        };
        if let Some(&e) = row {
            self.select(e);
        }
    }
}
