//! Plain-text output, for pipes, files, mail and dumb terminals: the same
//! layout as the browser, with no escape sequences at all.

use std::io::{self, Write};

use crate::changes::Changes;
use crate::doc::{BlockKind, Doc};
use crate::look::Look;
use crate::output::Counting;
use crate::search::fold;
use crate::view::{self, LineKind};

mod streamed;
mod versions;
pub use streamed::render_as_read;
pub use versions::{write_actions, write_diff};

/// Where plain output goes, a line at a time; in ASCII only when the
/// terminal or pipe is not UTF-8 (see `text::ascii`).
struct Lines<'a, W: Write> {
    out: &'a mut W,
    ascii: bool,
}

impl<'a, W: Write> Lines<'a, W> {
    fn new(out: &'a mut W, look: &Look) -> Self {
        Lines {
            out,
            ascii: look.ascii,
        }
    }

    fn line(&mut self, s: &str) -> io::Result<()> {
        if self.ascii {
            writeln!(self.out, "{}", crate::text::ascii::transliterate(s))
        } else {
            writeln!(self.out, "{s}")
        }
    }
}

/// Writes the whole report wrapped to `width` columns.
pub fn write_report(out: &mut impl Write, doc: &Doc, width: u16, look: &Look) -> io::Result<()> {
    write_head(out, doc, width, look)?;
    write_themes(out, doc, width, look)?;
    write_tail(out, doc, look)
}

/// What [`write_report`] writes before the themes: the classification,
/// the title and the report's details (from `doc`'s header).
pub fn write_head(out: &mut impl Write, doc: &Doc, width: u16, look: &Look) -> io::Result<()> {
    let out = &mut Lines::new(out, look);
    let width = width.max(10);
    let labels = doc_labels(doc);
    // The classification opens and closes the text, as on paper.
    classification(out, doc)?;
    if let Some(kind) = &doc.kind {
        out.line(kind)?;
    }
    heading(
        out,
        &view::wrap_text(doc, &doc.title, width),
        if look.ascii { "=" } else { "═" },
    )?;
    let details = [
        doc.subtitle.clone(),
        version_line(doc),
        doc.source.clone(),
        doc.date.clone(),
        doc.updated
            .as_ref()
            .map(|u| format!("{}: {u}", labels.updated)),
        doc.next_update
            .as_ref()
            .map(|u| format!("{}: {u}", labels.next_update)),
    ];
    for detail in details.iter().flatten() {
        for line in view::wrap_text(doc, detail, width) {
            out.line(&line)?;
        }
    }
    Ok(())
}

/// What [`write_report`] writes of `doc`'s themes (all of the report's,
/// or a run of them prepared on their own).
pub fn write_themes(out: &mut impl Write, doc: &Doc, width: u16, look: &Look) -> io::Result<()> {
    let out = &mut Lines::new(out, look);
    let width = width.max(10);
    let labels = doc_labels(doc);
    for (i, entry) in doc.entries.iter().enumerate() {
        out.line("")?;
        let lines = view::layout(doc, i, width);
        let title_end = lines
            .iter()
            .take_while(|l| l.block_kind == BlockKind::Title)
            .count();
        let title: Vec<String> = lines[..title_end]
            .iter()
            .map(|l| line_text(doc, l, look, labels))
            .collect();
        // Sub-themes are underlined more lightly than themes.
        let rule = match (entry.depth, look.ascii) {
            (0, false) => "─",
            (_, false) => "┄",
            (0, true) => "-",
            (_, true) => ".",
        };
        heading(out, &title, rule)?;
        for line in &lines[title_end..] {
            out.line(line_text(doc, line, look, labels).trim_end())?;
        }
    }
    Ok(())
}

/// What [`write_report`] writes after the themes: the classification again.
pub fn write_tail(out: &mut impl Write, doc: &Doc, look: &Look) -> io::Result<()> {
    let out = &mut Lines::new(out, look);
    if doc.classification.is_some() {
        out.line("")?;
        classification(out, doc)?;
    }
    Ok(())
}

// "[TLP:AMBER]" on a line of its own, if the report is classified.
fn classification<W: Write>(out: &mut Lines<'_, W>, doc: &Doc) -> io::Result<()> {
    match &doc.classification {
        Some(c) => out.line(&format!("[{c}]")),
        None => Ok(()),
    }
}

/// "sitrep 14 · update · per 2026-11-27 14:00 · opgesteld: … · vastgesteld: …".
pub fn version_line(doc: &Doc) -> Option<String> {
    let (v, l) = (&doc.version, doc_labels(doc));
    let parts: Vec<String> = [
        v.number.map(|n| format!("{} {n}", l.version_word)),
        v.phase.map(|p| l.phase(p).to_string()),
        v.as_of.as_ref().map(|a| format!("{} {}", l.as_of, a.text)),
        v.prepared_by
            .as_ref()
            .map(|p| format!("{}: {p}", l.prepared_by)),
        v.approved_by
            .as_ref()
            .map(|p| format!("{}: {p}", l.approved_by)),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

// Lines of a heading, underlined as wide as the widest of them.
fn heading<W: Write>(out: &mut Lines<'_, W>, lines: &[String], rule: &str) -> io::Result<()> {
    for line in lines {
        out.line(line)?;
    }
    let width = lines
        .iter()
        .map(|l| crate::text::display_width(l))
        .max()
        .unwrap_or(0);
    out.line(&rule.repeat(width))
}

/// Writes one line per block that matches `query`, prefixed by its theme, like grep.
/// Returns how many blocks matched.
pub fn write_matches(
    out: &mut impl Write,
    doc: &Doc,
    query: &str,
    look: &Look,
) -> io::Result<usize> {
    let out = &mut Lines::new(out, look);
    // Not counted: every match is visited anyway.
    let matches = doc.index.start(query, 0, None);
    let mut last_block = None;
    let mut count = 0;
    for at in matches.all(&doc.index) {
        let hit = doc.index.hit(&matches, at);
        if last_block == Some(hit.block) {
            continue;
        }
        last_block = Some(hit.block);
        count += 1;
        let title = doc.entry_title(doc.entry_of_block(hit.block));
        out.line(&format!("{title}: {}", doc.blocks.text(hit.block)))?;
    }
    debug_assert!(count == 0 || !fold(query).trim().is_empty());
    Ok(count)
}

fn doc_labels(doc: &Doc) -> &'static crate::labels::Labels {
    crate::labels::for_lang(doc.lang)
}

/// One laid-out line as text: indentation, bullet, text and hyphen.
pub fn line_text(
    doc: &Doc,
    line: &view::TextLine,
    look: &Look,
    labels: &crate::labels::Labels,
) -> String {
    let indent = " ".repeat(usize::from(line.indent));
    match line.kind {
        LineKind::Blank => String::new(),
        LineKind::Placeholder => format!("{indent}{}", labels.no_text),
        LineKind::Label(view::Section::Decisions) => format!("{indent}{}:", labels.decisions),
        LineKind::Label(view::Section::Actions) => format!("{indent}{}:", labels.actions),
        LineKind::Text {
            block,
            start,
            end,
            hyphen,
            bullet,
        } => {
            let bullet = match look.marker(line.block_kind) {
                Some(marker) if bullet => format!("{marker} "),
                _ => String::new(),
            };
            let text = &doc.blocks.text(block)[start..end];
            format!("{indent}{bullet}{text}{}", if hyphen { "-" } else { "" })
        }
    }
}

/// Writes only the themes that changed since `changes` was computed against
/// what the reader saw: new themes whole, changed blocks marked with `+`.
pub fn write_changes<W: Write>(
    out: &mut io::BufWriter<Counting<W>>,
    doc: &Doc,
    changes: &Changes,
    width: u16,
    look: &Look,
    ends: &mut Vec<(usize, u64)>,
) -> io::Result<()> {
    use crate::changes::Change;
    let out = &mut Lines::new(out, look);
    let labels = doc_labels(doc);
    let mut any = false;
    classification(out, doc)?;
    for path in &changes.removed_themes {
        any = true;
        out.line(&format!("== {path} ({})", labels.status_removed))?;
        out.line("")?;
    }
    for (i, change) in changes.entries.iter().enumerate() {
        if *change == Change::Same {
            continue;
        }
        any = true;
        let path = doc.title_path(i).join(" / ");
        let what = if *change == Change::New {
            labels.status_new
        } else {
            labels.status_changed
        };
        out.line(&format!("== {path} ({what})"))?;
        // Two columns go to the change marker.
        for line in view::layout(doc, i, width.saturating_sub(2).max(10)) {
            let marked = match line.kind {
                LineKind::Text { block, .. } => changes.blocks.get(block).copied().unwrap_or(false),
                _ => false,
            };
            let text = line_text(doc, &line, look, labels);
            let line = format!("{}{text}", if marked { "+ " } else { "  " });
            out.line(line.trim_end())?;
        }
        if let Some(&n) = changes.removed.get(i).filter(|n| **n > 0) {
            // A deletion is said in words: there is nothing left to mark.
            out.line(&format!("- {}", labels.count_removed(n)))?;
        }
        out.line("")?;
        // Where this theme ends in the stream, to know later whether the
        // reader read all of it.
        out.out.flush()?;
        ends.push((i, out.out.get_ref().written()));
    }
    if !any {
        out.line(labels.no_changes)?;
    }
    classification(out, doc)?;
    Ok(())
}
