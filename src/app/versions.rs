//! Versions: the timeline (`v`), an older version shown read-only, a diff
//! of the selected theme between two versions, and the lists of all actions
//! (`A`) and decisions (`D`). The versions themselves are loaded by the
//! driver: the state asks ([`App::wanted_version`]) and is told
//! ([`super::Event::Version`]).

use std::sync::Arc;

use super::{App, Back, Effect, Focus, Mode};
use crate::action::Action;
use crate::doc::Doc;
use crate::history::VersionId;
use crate::versions::{DiffLine, Row, Timeline};

/// Why no timeline of versions will come.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoVersions {
    /// Nothing is kept with `--no-state`.
    NoState,
    /// The built-in report (or a stream) has no file to keep versions of.
    NoFile,
    /// The history could not be read; why, sanitised.
    Unreadable(String),
}

/// Which list is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    /// The timeline of versions.
    Versions,
    /// Every action of the version shown, by due time.
    Actions,
    /// Every decision of the version shown.
    Decisions,
}

/// An older version on screen, read-only, and the current one to go back to.
#[derive(Clone)]
pub(super) struct Old {
    /// Which version it is.
    pub row: Row,
    /// The current version (reloads while looking land here).
    pub current: Arc<Doc>,
}

/// What a version is wanted for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    /// To show it, read-only.
    Show,
    /// To diff the selected theme against the version shown.
    Diff,
}

/// A diff of one theme between two versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diff {
    /// The older side (`None`: the version shown, not in the timeline).
    pub from: Option<Row>,
    /// The newer side.
    pub to: Option<Row>,
    /// The theme's title.
    pub title: String,
    /// Its blocks, compared.
    pub lines: Vec<DiffLine>,
}

impl App {
    /// The versions known, when the driver has read them.
    pub fn timeline(&self) -> Option<&Timeline> {
        self.timeline.as_deref()
    }

    /// The older version on screen, if one is.
    pub fn old_version(&self) -> Option<&Row> {
        self.old.as_ref().map(|o| &o.row)
    }

    /// The current version of the report (also while an older one is shown).
    pub fn current_doc(&self) -> &Doc {
        self.old.as_ref().map_or(&self.doc, |o| &o.current)
    }

    /// A version the driver should load, and what for.
    pub fn wanted_version(&self) -> Option<(VersionId, Want)> {
        self.wanted
    }

    /// The diff on screen.
    pub fn diff(&self) -> Option<&Diff> {
        self.diff.as_ref()
    }

    /// The timeline's row of the version shown (the current one unless an
    /// older one is shown).
    pub fn shown_row(&self) -> Option<&Row> {
        self.old_version()
            .or_else(|| self.timeline()?.rows.iter().find(|r| r.current))
    }

    /// Since which version theme `i` of the version shown is unchanged: as
    /// the history shows it, else as the version itself says
    /// (`unchanged = true`: since the one before it).
    pub fn unchanged_since(&self, i: usize) -> Option<crate::versions::Since> {
        let known = self
            .timeline()
            .filter(|_| self.old.is_none())
            .and_then(|t| t.unchanged_since.get(i).copied().flatten());
        let said = self
            .doc
            .entries
            .get(i)
            .filter(|e| e.unchanged)
            .and_then(|_| self.doc.version.number?.checked_sub(1))
            .map(crate::versions::Since::Number);
        known.or(said)
    }

    /// Takes in the versions known.
    pub(super) fn set_timeline(&mut self, timeline: Arc<Timeline>) -> Effect {
        if self.timeline.as_deref() == Some(&*timeline) {
            return Effect::None;
        }
        self.timeline = Some(timeline);
        self.no_versions = None;
        Effect::Draw
    }

    /// Why no timeline will come, when none will.
    pub fn no_versions(&self) -> Option<&NoVersions> {
        self.no_versions
            .as_ref()
            .filter(|_| self.timeline.is_none())
    }

    /// Takes in a version that was asked for (or why it could not be read).
    pub(super) fn version_loaded(
        &mut self,
        id: VersionId,
        doc: Result<Arc<Doc>, String>,
    ) -> Effect {
        let Some((wanted, want)) = self.wanted.take().filter(|(w, _)| *w == id) else {
            return Effect::None;
        };
        let doc = match doc {
            Ok(d) => d,
            Err(why) => {
                self.notice = Some(why);
                return Effect::Draw;
            }
        };
        let Some(row) = self.row_of(&wanted) else {
            return Effect::None;
        };
        match want {
            Want::Show => self.show_old(row, doc),
            Want::Diff => self.open_diff(row, &doc),
        }
        Effect::Draw
    }

    // The timeline's row of `id`.
    fn row_of(&self, id: &VersionId) -> Option<Row> {
        self.timeline()?.rows.iter().find(|r| r.id == *id).cloned()
    }

    // Shows `doc` (the version of `row`) read-only, at the reader's place.
    fn show_old(&mut self, row: Row, doc: Arc<Doc>) {
        self.mode = Mode::Browse;
        if row.current {
            return self.back_to_current();
        }
        match self.old.take() {
            Some(mut old) => {
                self.put_doc(doc, false);
                old.row = row;
                self.old = Some(old);
            }
            None => {
                // What was on screen until now may count as seen; nothing of
                // an older version will.
                self.leave_theme();
                self.keep_baseline();
                let current = self.put_doc(doc, false);
                self.old = Some(Old { row, current });
            }
        }
    }

    /// Goes back from an older version to the current one.
    pub(super) fn back_to_current(&mut self) {
        let Some(old) = self.old.take() else {
            return;
        };
        self.put_doc(old.current, true);
    }

    /// A reload while an older version is shown: it becomes the version to
    /// go back to.
    pub(super) fn reloaded_while_old(&mut self, doc: Arc<Doc>) -> bool {
        let Some(old) = self.old.as_mut() else {
            return false;
        };
        old.current = doc;
        true
    }

    // The diff of the selected theme between the version of `row` (`other`)
    // and the version shown, the older first.
    fn open_diff(&mut self, row: Row, other: &Doc) {
        let path = self.doc.title_path(self.selected);
        let title = self.doc.entry_title(self.selected).to_owned();
        let at = |id: VersionId| {
            self.timeline()
                .and_then(|t| t.rows.iter().position(|r| r.id == id))
        };
        let shown = self.shown_row().cloned();
        let newer = match (at(row.id), shown.as_ref().and_then(|s| at(s.id))) {
            (Some(a), Some(b)) => a > b,
            _ => false,
        };
        let theirs = other.find_path(&path);
        let (lines, from, to) = if newer {
            let lines = crate::versions::theme_diff(&self.doc, Some(self.selected), other, theirs);
            (lines, shown.clone(), Some(row))
        } else {
            let lines = crate::versions::theme_diff(other, theirs, &self.doc, Some(self.selected));
            (lines, Some(row), shown.clone())
        };
        self.diff = Some(Diff {
            from,
            to,
            title,
            lines,
        });
        self.mode = Mode::Diff { scroll: 0 };
    }

    /// Opens a list.
    pub(super) fn open_list(&mut self, kind: ListKind) {
        self.mode = Mode::List {
            kind,
            cursor: 0,
            offset: 0,
        };
        // The timeline opens at the version shown.
        if kind == ListKind::Versions
            && let Some(at) = self.timeline().and_then(|t| {
                let shown = self.shown_row()?;
                t.rows.iter().position(|r| r.id == shown.id)
            })
        {
            self.place(kind, at, 0);
        }
    }

    // The list with `cursor` highlighted and in view (from `offset`).
    fn place(&mut self, kind: ListKind, cursor: usize, offset: usize) {
        let page = self.areas.list_rows();
        let offset = if cursor < offset {
            cursor
        } else if cursor >= offset + page {
            cursor + 1 - page
        } else {
            offset
        };
        self.mode = Mode::List {
            kind,
            cursor,
            offset,
        };
    }

    /// How many rows list `kind` has.
    pub fn list_len(&self, kind: ListKind) -> usize {
        match kind {
            ListKind::Versions => self.timeline().map_or(0, |t| t.rows.len()),
            ListKind::Actions => self.doc.actions.len(),
            ListKind::Decisions => self.doc.decisions.len(),
        }
    }

    /// The actions in the order the list shows them: by due time (none
    /// last), open before done.
    pub fn actions_by_due(&self) -> Vec<usize> {
        self.doc.actions_by_due()
    }

    /// Whether action `i` is open and past its due time.
    pub fn overdue(&self, i: usize) -> bool {
        let (Some(a), Some(c)) = (self.doc.actions.get(i), self.clock) else {
            return false;
        };
        a.open
            && a.due
                .as_ref()
                .is_some_and(|d| d.unix < i64::try_from(c.unix).unwrap_or(i64::MAX))
    }

    /// Keys in a list.
    pub(super) fn list_key(
        &mut self,
        kind: ListKind,
        action: Action,
        cursor: usize,
        offset: usize,
    ) {
        let len = self.list_len(kind);
        let last = len.saturating_sub(1);
        let page = self.areas.list_rows();
        let cursor = match action {
            Action::Down => cursor.saturating_add(1).min(last),
            Action::Up => cursor.saturating_sub(1),
            Action::PageDown | Action::Advance => cursor.saturating_add(page).min(last),
            Action::PageUp => cursor.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => last,
            Action::Enter if len > 0 => return self.choose(kind, cursor),
            Action::Diff if kind == ListKind::Versions && len > 0 => {
                if let Some(row) = self.timeline().and_then(|t| t.rows.get(cursor)) {
                    self.wanted = Some((row.id, Want::Diff));
                }
                cursor
            }
            Action::Cancel | Action::ShowVersions | Action::ShowActions | Action::ShowDecisions => {
                self.mode = Mode::Browse;
                return;
            }
            Action::ToggleHelp => return self.open_help(Back::Browse),
            _ => cursor,
        };
        self.place(kind, cursor, offset);
    }

    // Enter on a list row: a version is loaded to be shown; an action or a
    // decision takes the reader to its theme.
    fn choose(&mut self, kind: ListKind, cursor: usize) {
        let entry = match kind {
            ListKind::Versions => {
                if let Some(row) = self.timeline().and_then(|t| t.rows.get(cursor)).cloned() {
                    if row.current && self.old.is_none() {
                        self.mode = Mode::Browse;
                    } else if row.current {
                        self.mode = Mode::Browse;
                        self.back_to_current();
                    } else {
                        self.wanted = Some((row.id, Want::Show));
                    }
                }
                return;
            }
            ListKind::Actions => self
                .actions_by_due()
                .get(cursor)
                .map(|&i| self.doc.actions[i].entry),
            ListKind::Decisions => self.doc.decisions.get(cursor).map(|d| d.entry),
        };
        self.mode = Mode::Browse;
        if let Some(entry) = entry {
            self.select(entry);
            self.focus = Focus::Text;
        }
    }

    /// Keys in the diff.
    pub(super) fn diff_key(&mut self, action: Action, scroll: usize) {
        let rows = self.diff.as_ref().map_or(0, |d| d.lines.len());
        let page = self.areas.results_rows();
        let last = rows.saturating_sub(1);
        let scroll = match action {
            Action::Down | Action::LineDown => scroll.saturating_add(1).min(last),
            Action::Up | Action::LineUp => scroll.saturating_sub(1),
            Action::PageDown | Action::Advance => scroll.saturating_add(page).min(last),
            Action::PageUp => scroll.saturating_sub(page),
            Action::Top => 0,
            // The last page: as many blocks as the overlay has rows (a block
            // takes at least one).
            Action::Bottom => rows.saturating_sub(page),
            Action::ToggleHelp => return self.open_help(Back::Browse),
            Action::Cancel | Action::Diff => {
                self.diff = None;
                return self.open_list(ListKind::Versions);
            }
            _ => scroll,
        };
        self.mode = Mode::Diff { scroll };
    }
}
