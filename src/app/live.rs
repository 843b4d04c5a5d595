//! Transitions driven by the world rather than the keyboard: a reloaded
//! report, a failed reload, the clock, the presenter's position.

use super::{App, Effect, Screen};
use crate::doc::Doc;
use crate::labels;
use crate::share::Position;

/// Following a presenter: whether we are attached, and what we last saw.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Follow {
    /// Whether presenter moves move us (false after the reader wandered off).
    pub attached: bool,
    /// The presenter's last position.
    pub last: Option<Position>,
    /// Whether the presenter is still running.
    pub live: bool,
    /// Why the position file cannot be used, if it cannot.
    pub problem: Option<String>,
    /// Who wrote the position, when someone other than the reader.
    pub writer: Option<String>,
}

impl App {
    /// Shows a new version of the report, keeping the reader's place: the same
    /// theme (by title path, else by position), scroll offset and search.
    pub(super) fn replace_doc(
        &mut self,
        doc: std::sync::Arc<Doc>,
        compared: Option<crate::changes::Compared>,
    ) {
        self.put_doc_compared(doc, true, compared);
    }

    /// What a reload about to be read is to be compared with (see
    /// [`crate::changes::Against`]).
    pub fn reload_against(&self) -> crate::changes::Against {
        crate::changes::Against {
            seen: self.marks.viewed.clone(),
            shown: self.doc.clone(),
            version: self.marks.version,
        }
    }

    /// Puts `doc` on screen at the reader's place; returns the one it
    /// replaces. `current`: it is the report's current version, so what was
    /// on screen may count as seen and the marks are against it; otherwise
    /// (an older version, read-only) nothing counts as seen and nothing is
    /// marked.
    pub(super) fn put_doc(
        &mut self,
        doc: std::sync::Arc<Doc>,
        current: bool,
    ) -> std::sync::Arc<Doc> {
        self.put_doc_compared(doc, current, None)
    }

    // Like `put_doc`, with `doc` perhaps compared already where it was
    // prepared: used if it still holds, else compared here.
    fn put_doc_compared(
        &mut self,
        doc: std::sync::Arc<Doc>,
        current: bool,
        compared: Option<crate::changes::Compared>,
    ) -> std::sync::Arc<Doc> {
        let path = self.doc.title_path(self.selected);
        let (selected, scroll) = (self.selected, self.scroll);
        let query = std::mem::take(&mut self.search.query);
        let mut compared = compared.filter(|_| current);
        if current {
            // The theme on screen may count as seen in the old version; without
            // a remembered baseline, the old version is the baseline.
            self.leave_theme();
            compared = compared.filter(|c| {
                c.against
                    .holds(&self.doc, self.marks.viewed.as_ref(), self.marks.version)
            });
            match &compared {
                Some(c) if self.marks.viewed.is_none() => {
                    self.marks.viewed = Some(c.seen.clone());
                }
                Some(_) => {}
                None => self.keep_baseline(),
            }
            self.problem = None;
        }
        let previous = std::mem::replace(&mut self.doc, doc);
        self.labels = self
            .fixed_labels
            .unwrap_or_else(|| labels::for_lang(self.doc.lang));
        let target = self.doc.find_path(&path).unwrap_or(selected);
        self.selected = target.min(self.doc.entries.len().saturating_sub(1));
        self.lines.clear();
        self.reflow();
        if current {
            match compared {
                Some(c) => {
                    self.marks.changes = c.changes;
                    self.refresh_rows();
                }
                None => self.refresh_marks(),
            }
            self.enter_theme();
            self.tell_changes();
        } else {
            self.marks.changes = crate::changes::Changes::unchanged(&self.doc);
            self.refresh_rows();
        }
        self.scroll = scroll.min(self.max_scroll());
        let cursor = self.search.cursor.min(query.len());
        self.search.clear();
        self.search.query = query;
        self.search.cursor = cursor;
        // Matches belong to one version of the report: search again, the
        // query on screen and the one Esc would return to.
        self.research();
        previous
    }

    /// The whole report arrived after its first themes: it takes their
    /// place at the reader's place, and the marks start from what the reader
    /// saw last time (the first themes were not a version of their own).
    pub(super) fn completed(
        &mut self,
        doc: std::sync::Arc<Doc>,
        baseline: Option<crate::changes::Baseline>,
    ) {
        self.partial = false;
        self.marks.viewing = None;
        let first = self.put_doc(doc, false);
        drop(first);
        self.compared_marks(baseline);
        if std::mem::take(&mut self.end_wanted) {
            self.edge_row(true);
        }
        self.enter_theme();
        // The search typed meanwhile now covers the whole report.
        self.research();
    }

    /// The position a presenter shares.
    pub fn position(&self) -> Position {
        let (presenting, revealed, all, started) = match self.screen {
            Screen::Present(p) => (true, p.revealed, p.all, p.started.unwrap_or(0)),
            Screen::Browser => (false, 0, false, 0),
        };
        Position {
            report: self.doc.title.clone(),
            theme: self.doc.title_path(self.selected),
            index: self.selected,
            presenting,
            revealed,
            all,
            query: self.search.query.clone(),
            live: true,
            pid: std::process::id(),
            host: crate::share::hostname(),
            started,
        }
    }

    /// Takes in the presenter's position (or why it cannot be read).
    pub(super) fn followed(&mut self, followed: Result<crate::share::Followed, String>) -> Effect {
        let Some(follow) = self.follow.as_mut() else {
            return Effect::None;
        };
        let position = followed.map(|f| {
            follow.live = f.alive;
            follow.writer = f.writer;
            f.position
        });
        if position.is_err() {
            follow.live = false;
        }
        match position {
            Err(problem) => follow.problem = Some(problem),
            Ok(p) if p.report != self.doc.title => {
                follow.problem = Some(format!(
                    "{}: «{}»",
                    self.labels.other_report,
                    crate::text::inline(&p.report)
                ));
            }
            Ok(p) => {
                follow.problem = None;
                follow.last = Some(p);
                if follow.attached {
                    self.go_to_presenter();
                }
            }
        }
        Effect::Draw
    }

    /// Moves to the presenter's last known position and follows again.
    pub(super) fn reattach(&mut self) {
        if let Some(f) = self.follow.as_mut() {
            f.attached = true;
        }
        self.go_to_presenter();
    }

    fn go_to_presenter(&mut self) {
        let Some(p) = self.follow.as_ref().and_then(|f| f.last.clone()) else {
            return;
        };
        // A viewer of a served report sees the presenter's screen: the
        // presentation when they present, the browser when they do not.
        if self.mirror && p.presenting != self.presenting() {
            if p.presenting {
                self.start_presenting();
            } else {
                self.stop_presenting();
            }
        }
        let target = self.doc.find_path(&p.theme).unwrap_or(p.index);
        let changed_theme = target != self.selected;
        self.select(target);
        if p.query != self.search.query {
            self.search.clear();
            let from = self.doc.entries[self.selected].blocks.start;
            let index = &self.doc.index;
            self.search.matches = index.start(&p.query, from, None);
            self.search.matches.step(index, super::search::SLICE);
            self.search.cursor = p.query.len();
            self.search.query = p.query.clone();
            self.search.current = self.search.matches.first();
        }
        if let Screen::Present(mine) = &mut self.screen {
            mine.revealed = p.revealed;
            mine.all = p.all;
            // The presenter's elapsed time, not our own.
            if p.started > 0 {
                mine.started = Some(p.started);
            }
        }
        if changed_theme {
            self.scroll = 0;
        }
        self.scroll = self.scroll.min(self.max_scroll());
    }
}
