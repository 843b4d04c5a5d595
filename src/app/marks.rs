//! What the reader has seen, the marks that follow from it, freshness, and
//! the list filter they drive.
//!
//! "Unseen" is state: a theme that changed stays marked, across sessions
//! and reloads, until the reader has really seen it: it was on screen for
//! [`DWELL`] seconds (passing it on the way down the list does not count).
//! What was seen is remembered by the terminal layer within a second.

use std::sync::Arc;

use super::{App, Effect, Screen};
use crate::changes::{Baseline, Change, Changes, Seen};
use crate::report::Status;

/// Seconds a theme must be on screen to count as seen.
const DWELL: u64 = 1;

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

/// What the reader has seen and what that makes of the report now.
#[derive(Debug, Default)]
pub(super) struct Marks {
    /// What the reader has seen of each theme: the remembered state, plus
    /// what was seen since. `None`: nothing was remembered, so the report as
    /// first loaded counts as seen (a first visit marks nothing).
    /// Shared, so that it is written on a thread of its own as it is; a
    /// theme seen meanwhile is recorded in a copy.
    pub(super) viewed: Option<Arc<Seen>>,
    /// The report compared with `viewed`, for the marks.
    pub(super) changes: Changes,
    /// The theme on screen, since when (Unix seconds, once the clock is
    /// known), and whether it has counted as seen yet.
    pub(super) viewing: Option<(usize, Option<u64>, bool)>,
    /// Goes up whenever `viewed` changes, so the terminal layer knows to save.
    pub(super) version: u64,
    /// Whether the stale themes were already explained in words.
    told_stale: bool,
    /// Whether `viewed` was remembered from an earlier visit (else the
    /// marks count from when the report was opened).
    remembered: bool,
}

impl App {
    /// Sets what the reader saw last time; marks are relative to it.
    pub(super) fn start_marks(&mut self, seen: Option<Seen>) {
        self.marks.remembered = seen.is_some();
        self.marks.viewed = seen.map(Arc::new);
        self.refresh_marks();
        self.tell_changes();
    }

    /// Like [`App::start_marks`], with the report already compared with
    /// what was seen (where it was prepared: no wait here).
    pub(super) fn compared_marks(&mut self, baseline: Option<Baseline>) {
        match baseline {
            Some(Baseline { seen, changes }) => {
                self.marks.remembered = true;
                self.marks.viewed = Some(Arc::new(seen));
                self.marks.changes = changes;
                self.refresh_rows();
                self.tell_changes();
            }
            None => self.start_marks(None),
        }
    }

    /// Recomputes the marks and the list after the report or the baseline changed.
    pub(super) fn refresh_marks(&mut self) {
        self.marks.changes = match &self.marks.viewed {
            Some(seen) => Changes::compare(&self.doc, seen),
            // Nothing has changed yet: no need to hash a large report now.
            None => Changes::unchanged(&self.doc),
        };
        self.refresh_rows();
    }

    /// Says in words how many themes changed, and the key to them.
    pub(super) fn tell_changes(&mut self) {
        let n = self
            .marks
            .changes
            .entries
            .iter()
            .filter(|c| **c != Change::Same)
            .count();
        // A wall screen keeps its footer: the marks in the margin say it.
        if n > 0 && !self.presenting() {
            let l = self.labels;
            self.notice = Some(format!(
                "{} {}{}{}",
                l.count_themes(n),
                l.changed_since,
                self.look.separator(),
                l.next_changed_key
            ));
        }
    }

    /// The report's baseline made explicit (before the report is replaced).
    pub(super) fn keep_baseline(&mut self) {
        if self.marks.viewed.is_none() {
            self.marks.viewed = Some(Arc::new(Seen::of(&self.doc)));
        }
    }

    /// A theme was put on screen.
    pub(super) fn enter_theme(&mut self) {
        let now = self.clock.map(|c| c.unix);
        self.marks.viewing = Some((self.selected, now, false));
    }

    /// The theme on screen is leaving it: seen, if it was there long enough.
    pub(super) fn leave_theme(&mut self) {
        self.count_as_seen();
        self.marks.viewing = None;
    }

    // Records the theme on screen as seen once it has been there for DWELL.
    fn count_as_seen(&mut self) {
        let (Some((entry, Some(since), false)), Some(clock)) = (self.marks.viewing, self.clock)
        else {
            return;
        };
        // Reading an older version is not seeing the current one.
        if self.old.is_some() {
            return;
        }
        if clock.unix < since + DWELL {
            return;
        }
        self.marks.viewing = Some((entry, Some(since), true));
        if let Some(viewed) = self.marks.viewed.as_mut() {
            Arc::make_mut(viewed).record(&self.doc, entry);
            self.marks.version += 1;
        }
    }

    /// What to remember as seen now, and a version that changes whenever it
    /// does (borrowed: for a large report it is megabytes, saved often).
    pub fn remembered(&self) -> (Arc<Seen>, u64) {
        let seen = match &self.marks.viewed {
            Some(seen) => seen.clone(),
            None => Arc::new(Seen::of(self.current_doc())),
        };
        (seen, self.marks.version)
    }

    /// The version of what is seen (see [`App::remembered`]).
    pub fn seen_version(&self) -> u64 {
        self.marks.version
    }

    /// Records the time: starts the presentation clock, counts the theme on
    /// screen as seen, says when themes became stale.
    pub(super) fn tick(&mut self, clock: super::Clock) -> Effect {
        let changed = self.clock != Some(clock);
        self.clock = Some(clock);
        if let Screen::Present(p) = &mut self.screen {
            p.started.get_or_insert(clock.unix);
        }
        if let Some((entry, None, seen)) = self.marks.viewing {
            self.marks.viewing = Some((entry, Some(clock.unix), seen));
        }
        self.count_as_seen();
        // Staleness moves by the second: the same second again (the loop
        // ticks after every event and every counted slice) changes nothing,
        // and a large report's every theme is not looked at again.
        if !changed {
            return Effect::None;
        }
        if self.filter == Filter::Stale {
            self.refresh_rows();
        }
        if self.marks.told_stale || self.notice.is_some() || self.presenting() {
            return Effect::Draw;
        }
        let stale = (0..self.doc.entries.len())
            .filter(|&i| self.is_stale(i))
            .count();
        if stale > 0 {
            self.marks.told_stale = true;
            let l = self.labels;
            self.notice = Some(format!(
                "{} {}{}{}",
                l.count_themes(stale),
                l.stale_count,
                self.look.separator(),
                l.filter_key
            ));
        }
        Effect::Draw
    }

    /// The next moment (Unix seconds) at which the screen changes by itself:
    /// a shown age reaches its next minute, hour or day, a theme becomes
    /// stale, the next update is due, the theme on screen counts as seen.
    /// The terminal layer sleeps until then (and no longer polls).
    pub fn next_change(&self) -> Option<u64> {
        let now = self.clock?.unix;
        let now_i = i64::try_from(now).ok()?;
        let mut soonest: Option<i64> = None;
        let mut consider = |t: i64| {
            if t > now_i {
                soonest = Some(soonest.map_or(t, |s| s.min(t)));
            }
        };
        let h = usize::from(self.areas.list.height);
        let visible = self.rows.iter().skip(self.list_offset).take(h).copied();
        let all: Box<dyn Iterator<Item = usize>> = if self.filter == Filter::Stale {
            Box::new(0..self.doc.entries.len())
        } else {
            Box::new(visible.chain([self.selected]))
        };
        for i in all {
            let Some(updated) = self.updated(i) else {
                continue;
            };
            let age = (now_i - updated).max(0);
            let unit = match age {
                a if a < 3600 => 60,
                a if a < 86_400 => 3600,
                _ => 86_400,
            };
            consider(updated + (age / unit + 1) * unit);
            consider(updated + 3600);
            consider(updated + 86_400);
            if !self.is_closed(i) {
                consider(updated + self.stale_after + 1);
            }
        }
        if let Some(next) = &self.doc.next_update {
            consider(next.unix + 1);
            // The countdown says whole minutes to go (rounded up): the next
            // moment that number drops (within a day).
            let r = next.unix - now_i;
            if r > 0 && r < 86_400 {
                consider(next.unix - 60 * ((r + 59) / 60 - 1));
            }
        }
        // An action's overdue mark appears by itself.
        for a in self.doc.actions.iter().filter(|a| a.open) {
            if let Some(due) = &a.due {
                consider(due.unix + 1);
            }
        }
        if let Some((_, Some(since), false)) = self.marks.viewing {
            consider(i64::try_from(since + DWELL).ok()?);
        }
        soonest.and_then(|t| u64::try_from(t).ok())
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

    /// Whether the text panel has no theme to show: the filter shows none.
    pub fn filtered_out(&self) -> bool {
        self.rows.is_empty()
    }

    /// How entry `i` compares with what the reader saw.
    pub fn change(&self, i: usize) -> Change {
        self.marks
            .changes
            .entries
            .get(i)
            .copied()
            .unwrap_or_default()
    }

    /// Seconds since entry `i` was updated, when it says and the clock is known.
    pub fn age(&self, i: usize) -> Option<i64> {
        let updated = self.updated(i)?;
        let now = i64::try_from(self.clock?.unix).ok()?;
        Some((now - updated).max(0))
    }

    // When theme `i` was last known to be current: its update time, or, for
    // a theme this version says is unchanged, the moment the version is of
    // (it was looked at then: "no change" is information, not silence).
    fn updated(&self, i: usize) -> Option<i64> {
        let e = self.doc.entries.get(i)?;
        let confirmed = e
            .unchanged
            .then(|| {
                let v = self
                    .doc
                    .version
                    .as_of
                    .as_ref()
                    .or(self.doc.updated.as_ref());
                v.map(|s| s.unix)
            })
            .flatten();
        match (e.updated, confirmed) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }

    /// Seconds until the next update is due (negative: overdue by that much).
    pub fn next_update_in(&self) -> Option<i64> {
        let next = self.doc.next_update.as_ref()?;
        Some(next.unix - i64::try_from(self.clock?.unix).ok()?)
    }

    /// Whether the block is an open action past its due time.
    pub fn block_overdue(&self, block: usize) -> bool {
        self.doc
            .actions
            .iter()
            .position(|a| a.block == block)
            .is_some_and(|i| self.overdue(i))
    }

    fn is_closed(&self, i: usize) -> bool {
        matches!(
            self.doc.entries.get(i).and_then(|e| e.status.as_ref()),
            Some(Status::Closed)
        )
    }

    /// Whether entry `i` was last updated longer ago than the threshold (a
    /// closed theme is never stale).
    pub fn is_stale(&self, i: usize) -> bool {
        !self.is_closed(i) && self.age(i).is_some_and(|a| a > self.stale_after)
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
                    .find(|&b| self.marks.changes.blocks[b]);
                if let Some(line) = first.and_then(|b| crate::view::line_of(&self.lines, b, 0)) {
                    self.scroll = line.saturating_sub(1).min(self.max_scroll());
                }
            }
            None => {
                let l = self.labels;
                let said = if self.marks.remembered {
                    l.no_changes
                } else {
                    l.no_changes_opened
                };
                self.notice = Some(said.into());
            }
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
        self.end_wanted = last && self.partial;
    }
}
