//! Plain-text output, for pipes, files, mail and dumb terminals: the same
//! layout as the browser, with no escape sequences at all.

use std::io::{self, Write};

use crate::doc::{BlockKind, Doc};
use crate::search::fold;
use crate::ui::style::Look;
use crate::view::{self, LineKind};

/// Writes the whole report wrapped to `width` columns.
pub fn write_report(out: &mut impl Write, doc: &Doc, width: u16, look: &Look) -> io::Result<()> {
    if let Some(kind) = &doc.kind {
        writeln!(out, "{kind}")?;
    }
    let width = width.max(10);
    let title = view::wrap_text(doc, &doc.title, width);
    for line in &title {
        writeln!(out, "{line}")?;
    }
    let rule = if look.ascii { "=" } else { "═" };
    writeln!(
        out,
        "{}",
        rule.repeat(
            title
                .iter()
                .map(|l| crate::text::display_width(l))
                .max()
                .unwrap_or(0)
        )
    )?;
    for extra in [&doc.subtitle, &doc.source, &doc.date]
        .into_iter()
        .flatten()
    {
        for line in view::wrap_text(doc, extra, width) {
            writeln!(out, "{line}")?;
        }
    }
    for (i, entry) in doc.entries.iter().enumerate() {
        writeln!(out)?;
        let lines = view::layout(doc, i, width);
        let mut in_title = true;
        for line in &lines {
            let text = line_text(doc, line, look, doc_labels(doc));
            if in_title && line.block_kind != BlockKind::Title {
                in_title = false;
                // Sub-themes are underlined more lightly than themes.
                let rule = match (entry.depth, look.ascii) {
                    (0, false) => "─",
                    (_, false) => "┄",
                    (0, true) => "-",
                    (_, true) => ".",
                };
                let w = lines
                    .iter()
                    .take_while(|l| l.block_kind == BlockKind::Title)
                    .map(|l| crate::text::display_width(&line_text(doc, l, look, doc_labels(doc))))
                    .max()
                    .unwrap_or(0);
                writeln!(out, "{}", rule.repeat(w))?;
                if line.kind == LineKind::Blank {
                    writeln!(out)?;
                    continue;
                }
            }
            writeln!(out, "{}", text.trim_end())?;
        }
    }
    Ok(())
}

/// Writes one line per block that matches `query`, prefixed by its theme, like grep.
/// Returns how many blocks matched.
pub fn write_matches(out: &mut impl Write, doc: &Doc, query: &str) -> io::Result<usize> {
    let matches = doc.index.search(query);
    let mut last_block = None;
    let mut count = 0;
    for i in 0..matches.len() {
        let hit = doc.index.hit(&matches, i);
        if last_block == Some(hit.block) {
            continue;
        }
        last_block = Some(hit.block);
        count += 1;
        let entry = &doc.entries[doc.entry_of_block(hit.block)];
        writeln!(out, "{}: {}", entry.title, doc.blocks[hit.block].text)?;
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
    line: &view::Line,
    look: &Look,
    labels: &crate::labels::Labels,
) -> String {
    let indent = " ".repeat(usize::from(line.indent));
    match line.kind {
        LineKind::Blank => String::new(),
        LineKind::Placeholder => format!("{indent}{}", labels.no_text),
        LineKind::Text {
            block,
            start,
            end,
            hyphen,
            bullet,
        } => {
            let bullet = match line.block_kind {
                BlockKind::Point { depth } if bullet => format!("{} ", look.bullet_symbol(depth)),
                _ => String::new(),
            };
            let text = &doc.blocks[block].text[start..end];
            format!("{indent}{bullet}{text}{}", if hyphen { "-" } else { "" })
        }
    }
}
