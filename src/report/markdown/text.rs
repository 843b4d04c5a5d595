//! What a report has no place for, as text: inline formatting as its
//! words, links and images with their targets, and tables, code blocks,
//! quotes and HTML as blocks of text, so nothing written is lost.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::fields::Problem;
use super::{Reader, trim};
use crate::report::MAX_DEPTH;

impl<'s> Reader<'s> {
    /// Inline text up to `end`.
    pub(super) fn inline_until(&mut self, end: TagEnd) -> Result<Inline, Problem> {
        let mut inline = Inline::default();
        while let Some((event, _)) = self.next() {
            match event {
                Event::End(e) if e == end => break,
                Event::Start(tag) if !is_inline(&tag) => {
                    let mut blocks = Vec::new();
                    self.flatten(tag, &mut blocks, "", 1)?;
                    inline.space(&blocks.join(" "));
                }
                other => inline.event(&other),
            }
        }
        Ok(inline)
    }

    /// The text of a construct the report has no place for, as blocks of
    /// text (`prefix` before each): paragraphs, a table's rows, a code
    /// block's lines, an HTML block's lines (comments are left out: they
    /// are not meant to be read, like TOML's `#` lines).
    pub(super) fn flatten(
        &mut self,
        tag: Tag<'s>,
        out: &mut Vec<String>,
        prefix: &str,
        depth: usize,
    ) -> Result<(), Problem> {
        let end = tag.to_end();
        if depth > MAX_DEPTH {
            return Err((
                self.src.len()..self.src.len(),
                format!(
                    "nested more than {} levels deep; flatten the structure",
                    MAX_DEPTH
                ),
            ));
        }
        let inner_prefix = match tag {
            Tag::BlockQuote(_) => format!("{prefix}> "),
            _ => prefix.to_owned(),
        };
        match tag {
            Tag::Table(_) => return self.table(out, prefix),
            Tag::CodeBlock(_) | Tag::HtmlBlock => {
                let mut text = String::new();
                while let Some((event, _)) = self.next() {
                    match event {
                        Event::End(e) if e == end => break,
                        Event::Text(t) | Event::Html(t) => text.push_str(&t),
                        _ => {}
                    }
                }
                let comment =
                    text.trim_start().starts_with("<!--") && text.trim_end().ends_with("-->");
                if !(matches!(end, TagEnd::HtmlBlock) && comment) {
                    for line in text.lines().filter(|l| !l.trim().is_empty()) {
                        out.push(format!("{prefix}{}", trim(line)));
                    }
                }
                return Ok(());
            }
            _ => {}
        }
        let mut inline = Inline::default();
        let flush = |inline: &mut Inline, out: &mut Vec<String>| {
            let text = std::mem::take(&mut inline.text);
            inline.breaks.clear();
            if !text.trim().is_empty() {
                out.push(format!("{inner_prefix}{}", trim(&text)));
            }
        };
        while let Some((event, _)) = self.next() {
            match event {
                Event::End(e) if e == end => break,
                Event::Start(t) if !is_inline(&t) => {
                    flush(&mut inline, out);
                    self.flatten(t, out, &inner_prefix, depth + 1)?;
                }
                Event::End(_) => flush(&mut inline, out),
                Event::TaskListMarker(done) => inline.space(if done { "[x]" } else { "[ ]" }),
                other => inline.event(&other),
            }
        }
        flush(&mut inline, out);
        Ok(())
    }

    /// A table as one block per row, the header first, cells joined by
    /// ` | ` and padded to line up when the rows are short enough to be
    /// read on one line; every cell is kept, empty ones too.
    fn table(&mut self, out: &mut Vec<String>, prefix: &str) -> Result<(), Problem> {
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut cell: Option<Inline> = None;
        while let Some((event, _)) = self.next() {
            match event {
                Event::End(TagEnd::Table) => break,
                Event::Start(Tag::TableHead | Tag::TableRow) => rows.push(Vec::new()),
                Event::Start(Tag::TableCell) => cell = Some(Inline::default()),
                Event::End(TagEnd::TableCell) => {
                    let text = cell.take().map(|c| c.text).unwrap_or_default();
                    if let Some(row) = rows.last_mut() {
                        row.push(trim(&text).to_owned());
                    }
                }
                other => {
                    if let Some(c) = cell.as_mut() {
                        c.event(&other);
                    }
                }
            }
        }
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        let width = |s: &str| crate::text::display_width(s);
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                rows.iter()
                    .filter_map(|r| r.get(c))
                    .map(|s| width(s))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        // Padding only helps when a row fits a screen; it must never let a
        // hostile table grow without bound.
        let pad = widths.iter().sum::<usize>() + 3 * columns <= 100;
        for row in rows {
            let cells: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(c, s)| {
                    let last = c + 1 == row.len();
                    if pad && !last {
                        // Figure spaces: as wide as a digit, never collapsed.
                        let fill = widths[c].saturating_sub(width(s));
                        format!("{s}{}", "\u{2007}".repeat(fill))
                    } else {
                        s.clone()
                    }
                })
                .collect();
            let line = cells.join(" | ");
            if !line.trim().is_empty() {
                out.push(format!("{prefix}{}", line.trim_end_matches([' ', '\t'])));
            }
        }
        Ok(())
    }
}

pub(super) fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

/// Inline content as plain text: formatting marks dropped (their text
/// kept), a link as its text and its target, an image as its alt text and
/// its source, inline HTML as written (except comments).
#[derive(Default)]
pub(super) struct Inline {
    pub(super) text: String,
    /// Where hard line breaks were, in `text`.
    pub(super) breaks: Vec<usize>,
    /// Open links and images: where their text began, and their target.
    links: Vec<(usize, String)>,
}

impl Inline {
    pub(super) fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::Text(t) | Event::Code(t) => self.text.push_str(t),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text.push_str(t),
            // Comments are not meant to be read, like TOML's `#` lines.
            Event::Html(t) | Event::InlineHtml(t) if !t.trim_start().starts_with("<!--") => {
                self.text.push_str(t);
            }
            Event::FootnoteReference(t) => {
                self.text.push_str("[^");
                self.text.push_str(t);
                self.text.push(']');
            }
            Event::SoftBreak => self.text.push(' '),
            Event::HardBreak => {
                self.breaks.push(self.text.len());
                self.text.push(' ');
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                self.links.push((self.text.len(), dest_url.to_string()));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some((from, dest)) = self.links.pop() {
                    let shown = self.text[from..].trim();
                    let same = shown == dest || dest.strip_prefix("mailto:") == Some(shown);
                    if !dest.is_empty() && !same {
                        let gap = if shown.is_empty() { "" } else { " " };
                        self.text.push_str(&format!("{gap}({dest})"));
                    }
                }
            }
            Event::TaskListMarker(done) => self.text.push_str(if *done { "[x] " } else { "[ ] " }),
            Event::Rule => self.space("---"),
            _ => {}
        }
    }

    /// Appends `s` after a space.
    pub(super) fn space(&mut self, s: &str) {
        if !self.text.is_empty() && !self.text.ends_with(' ') {
            self.text.push(' ');
        }
        self.text.push_str(s);
    }
}
