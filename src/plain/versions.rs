//! Plain output about versions: every action and decision (`--actions`),
//! and what changed between two versions (`--diff A B`), marked with
//! symbols and words so it reads the same printed in black and white.

use std::io::{self, Write};

use super::{Lines, classification, doc_labels};
use crate::changes::{Change, Changes, Seen};
use crate::doc::Doc;
use crate::look::Look;
use crate::versions::DiffKind;

/// Writes every action, open ones first by due time (overdue marked, as of
/// `now`), then every decision.
pub fn write_actions(
    out: &mut impl Write,
    doc: &Doc,
    now: i64,
    width: u16,
    look: &Look,
) -> io::Result<()> {
    let out = &mut Lines::new(out, look);
    let l = doc_labels(doc);
    classification(out, doc)?;
    out.line(&format!("{} ({})", l.actions, doc.actions.len()))?;
    for i in doc.actions_by_due() {
        let a = &doc.actions[i];
        let overdue = a.open && a.due.as_ref().is_some_and(|d| d.unix < now);
        let mark = match (a.open, overdue, look.ascii) {
            (_, true, _) => format!("{} {}", look.overdue_mark(), l.overdue),
            (true, false, _) => look
                .marker(crate::doc::BlockKind::Task { open: true })
                .unwrap_or("")
                .to_string(),
            (false, _, _) => look
                .marker(crate::doc::BlockKind::Task { open: false })
                .unwrap_or("")
                .to_string(),
        };
        let state = match (a.state, &a.status) {
            (Some(s), _) => Some(l.task_state(s).to_string()),
            (None, s) => s.clone(),
        };
        let facts: Vec<String> = [
            a.due.as_ref().map(|d| format!("{} {}", l.due, d.text)),
            state,
            a.owner.clone(),
            doc.entries
                .get(a.entry)
                .map(|e| format!("[{}]", doc.title_of(e))),
        ]
        .into_iter()
        .flatten()
        .collect();
        item(
            out,
            doc,
            &format!("{mark} "),
            &format!("{} — {}", a.text, facts.join(" · ")),
            width,
        )?;
    }
    out.line("")?;
    out.line(&format!("{} ({})", l.decisions, doc.decisions.len()))?;
    let marker = look.marker(crate::doc::BlockKind::Decision).unwrap_or("");
    for d in &doc.decisions {
        let facts: Vec<String> = [
            d.at.as_ref().map(|a| a.text.clone()),
            doc.entries
                .get(d.entry)
                .map(|e| format!("[{}]", doc.title_of(e))),
        ]
        .into_iter()
        .flatten()
        .collect();
        item(
            out,
            doc,
            &format!("{marker} "),
            &format!("{} — {}", d.text, facts.join(" · ")),
            width,
        )?;
    }
    classification(out, doc)
}

/// Writes what changed from `old` (called `old_name`) to `new`: every
/// theme added, removed or changed, the changed ones paragraph by
/// paragraph and word by word; an unchanged theme says so in a line.
pub fn write_diff(
    out: &mut impl Write,
    old: &Doc,
    new: &Doc,
    names: (&str, &str),
    width: u16,
    look: &Look,
) -> io::Result<()> {
    let out = &mut Lines::new(out, look);
    let l = doc_labels(new);
    classification(out, new)?;
    out.line(&format!("{}: {} → {}", l.diff_title, names.0, names.1))?;
    let changes = Changes::compare(new, &Seen::of(old));
    for path in &changes.removed_themes {
        out.line("")?;
        out.line(&format!("== {path} ({})", l.status_removed))?;
        let parts: Vec<String> = path.split(" / ").map(String::from).collect();
        if let Some(e) = old.find_path(&parts) {
            for line in crate::versions::theme_diff(old, Some(e), new, None) {
                diff_line(out, new, &line, width, look)?;
            }
        }
    }
    for (i, change) in changes.entries.iter().enumerate() {
        let path = new.title_path(i);
        out.line("")?;
        let what = match change {
            Change::Same => {
                out.line(&format!("== {} ({})", path.join(" / "), l.unchanged_word))?;
                continue;
            }
            Change::New => l.status_new,
            Change::Changed => l.status_changed,
        };
        out.line(&format!("== {} ({what})", path.join(" / ")))?;
        for line in crate::versions::theme_diff(old, old.find_path(&path), new, Some(i)) {
            if line.kind != DiffKind::Same {
                diff_line(out, new, &line, width, look)?;
            }
        }
    }
    classification(out, new)
}

// One line of a diff: its symbol and word, the text with the words that
// went and came marked inside a changed paragraph.
fn diff_line<W: Write>(
    out: &mut Lines<'_, W>,
    doc: &Doc,
    line: &crate::versions::DiffLine,
    width: u16,
    look: &Look,
) -> io::Result<()> {
    let l = doc_labels(doc);
    let lead = match line.kind {
        DiffKind::Same => "  ".to_string(),
        DiffKind::Removed => format!("{} {}: ", look.removed_mark(), l.diff_words[0]),
        DiffKind::Added => format!("{} {}: ", look.added_mark(), l.diff_words[1]),
        DiffKind::Changed => format!("~ {}: ", l.diff_words[2]),
    };
    let text = line.marked(look);
    item(out, doc, &lead, &text, width)
}

// `text` after `lead`, wrapped to `width` with a hanging indent.
fn item<W: Write>(
    out: &mut Lines<'_, W>,
    doc: &Doc,
    lead: &str,
    text: &str,
    width: u16,
) -> io::Result<()> {
    let indent = crate::text::display_width(lead);
    let room = u16::try_from(usize::from(width).saturating_sub(indent))
        .unwrap_or(10)
        .max(10);
    for (k, piece) in crate::view::wrap_text(doc, text, room)
        .into_iter()
        .enumerate()
    {
        let prefix = if k == 0 {
            lead.to_string()
        } else {
            " ".repeat(indent)
        };
        out.line(format!("{prefix}{piece}").trim_end())?;
    }
    Ok(())
}
