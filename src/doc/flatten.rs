//! Flattening parsed themes into the prepared report's entries and
//! blocks: sanitised once here, so nothing shown comes from anywhere else.

use crate::labels::{self, Labels};
use crate::report::{Language, Point, Report, Status, Task, Theme};
use crate::text::{self, hyphenate::Lang};

use super::{Action, BlockKind, Blocks, Decision, Entry};

/// The entries and blocks made so far, in reading order.
pub(super) struct Flatten {
    pub(super) lang: Lang,
    labels: &'static Labels,
    pub(super) entries: Vec<Entry>,
    pub(super) blocks: Blocks,
    pub(super) actions: Vec<Action>,
    pub(super) decisions: Vec<Decision>,
}

/// The hyphenation and labels language of `report`.
pub(super) fn lang_of(report: &Report) -> Lang {
    match report.language {
        Language::Nl => Lang::Nl,
        Language::En => Lang::En,
    }
}

impl Flatten {
    /// Nothing yet; `bytes`: about how much text the blocks will hold.
    pub(super) fn new(lang: Lang, bytes: usize) -> Flatten {
        Flatten {
            lang,
            labels: labels::for_lang(lang),
            entries: Vec::new(),
            blocks: Blocks::with_capacity(bytes),
            actions: Vec::new(),
            decisions: Vec::new(),
        }
    }

    /// Its text cut in chunks shared with `last`'s where they are the same
    /// (a new version of the report on screen).
    pub(super) fn sharing(mut self, last: Option<&Blocks>) -> Flatten {
        if let Some(last) = last {
            self.blocks = Blocks::sharing(last);
        }
        self
    }

    fn push(&mut self, kind: BlockKind, text: String) {
        self.blocks.push(kind, &text);
    }

    /// Adds `theme` and its sub-themes at `depth`.
    pub(super) fn theme(&mut self, theme: &Theme, depth: usize) {
        let start = self.blocks.len();
        let title = text::inline(&theme.title);
        self.push(BlockKind::Title, title);
        let meta = self.meta(theme);
        if !meta.is_empty() {
            self.push(BlockKind::Meta, meta);
        }
        if let Some(body) = &theme.body {
            for p in text::paragraphs(body) {
                self.push(BlockKind::Paragraph, p);
            }
        }
        for point in &theme.points {
            self.point(point, 0);
        }
        let entry = self.entries.len();
        for d in &theme.decisions {
            let at = d.at.as_ref().map(|a| a.text.clone());
            self.push(
                BlockKind::Decision,
                with_extra(text::inline(&d.text), at.as_deref().unwrap_or("")),
            );
            self.decisions.push(Decision {
                entry,
                text: text::inline(&d.text),
                at: d.at.clone(),
            });
        }
        for t in &theme.actions {
            let text = self.task(t);
            self.push(BlockKind::Task { open: t.is_open() }, text);
            self.actions.push(Action {
                entry,
                block: self.blocks.len() - 1,
                text: text::inline(&t.text),
                owner: t.owner.as_deref().map(text::inline),
                due: t.due.clone(),
                state: t.state,
                status: t.status.as_deref().map(text::inline),
                open: t.is_open(),
            });
        }
        self.entries.push(Entry {
            // Validation caps the depth at report::MAX_DEPTH.
            depth: u8::try_from(depth).unwrap_or(u8::MAX),
            blocks: start..self.blocks.len(),
            updated: theme.updated.as_ref().map(|s| s.unix),
            status: theme.status.clone(),
            open_actions: theme.actions.iter().filter(|t| t.is_open()).count() as u32,
            unchanged: theme.unchanged,
        });
        for sub in &theme.themes {
            self.theme(sub, depth + 1);
        }
    }

    // "Owner: X · Source: Y · Updated: 2024-05-01 14:30 · Status: new".
    fn meta(&self, theme: &Theme) -> String {
        let l = self.labels;
        let status = theme.status.as_ref().map(|s| match s {
            Status::New => l.status_new.to_string(),
            Status::Changed => l.status_changed.to_string(),
            Status::Unchanged => l.status_unchanged.to_string(),
            Status::Closed => l.status_closed.to_string(),
            Status::Other(s) => text::inline(s),
        });
        let fields = [
            (l.owner, theme.owner.as_deref().map(text::inline)),
            (l.source, theme.source.as_deref().map(text::inline)),
            (l.updated, theme.updated.as_ref().map(|s| s.text.clone())),
            (l.status, status),
        ];
        join_fields(&fields)
    }

    fn point(&mut self, point: &Point, depth: u8) {
        let l = self.labels;
        let extra = join_values(&[
            point.owner.as_deref().map(text::inline),
            point.due.as_ref().map(|d| format!("{} {}", l.due, d.text)),
            point
                .updated
                .as_ref()
                .map(|u| format!("{} {}", l.updated.to_lowercase(), u.text)),
        ]);
        self.push(
            BlockKind::Point { depth },
            with_extra(text::inline(&point.text), &extra),
        );
        for p in &point.points {
            self.point(p, depth.saturating_add(1));
        }
    }

    fn task(&self, task: &Task) -> String {
        let extra = join_values(&[
            task.owner.as_deref().map(text::inline),
            task.due
                .as_ref()
                .map(|d| format!("{} {}", self.labels.due, d.text)),
            task.state.map(|s| self.labels.task_state(s).to_string()),
            task.status.as_deref().map(text::inline),
        ]);
        with_extra(text::inline(&task.text), &extra)
    }
}

fn join_fields(fields: &[(&str, Option<String>)]) -> String {
    let parts: Vec<String> = fields
        .iter()
        .filter_map(|(label, v)| {
            v.as_ref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{label}: {v}"))
        })
        .collect();
    parts.join(" · ")
}

fn join_values(values: &[Option<String>]) -> String {
    let parts: Vec<&str> = values
        .iter()
        .flatten()
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .collect();
    parts.join(" · ")
}

// The text, then its metadata after a dash: searchable, and diffed with it.
fn with_extra(text: String, extra: &str) -> String {
    if extra.is_empty() {
        text
    } else {
        format!("{text} — {extra}")
    }
}
