//! Reading a report written in Markdown: the mapping of docs/markdown.md
//! onto the same [`Report`] the TOML loader builds, so everything after
//! loading (sanitising in `Doc`, reload, change marks, search) is shared.
//!
//! In short: a TOML front matter between `+++` lines holds the report's
//! keys and is validated by the TOML loader's own header code; `#` is the
//! title, `##` a theme, `###`… sub-themes; paragraphs the body, lists the
//! points; `Key: value` lines right under a heading the theme's status;
//! `- [ ]` task items the actions, a `Decisions:` item the decisions, and
//! `[key:: value]` at the end of an item its owner, due time and so on.
//! What the model has no place for is shown as text, never dropped.
//!
//! Strict like the TOML loader: every error is `LoadError::Invalid` with
//! file:line:column and what to do.

mod fields;
mod items;
mod text;

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use toml::Spanned;

use fields::{Field, Problem};
pub use fields::{decode, looks_like_status};
use text::{Inline, is_inline};

use super::{Report, Status, Theme, raw};
use crate::error::LoadError;

/// The words that open a theme's decisions (an item `- Decisions:`), in
/// the languages reports are written in.
pub const DECISIONS: [&str; 2] = ["decisions", "besluiten"];
/// The words that open a theme's actions (`- Actions:`).
pub const ACTIONS: [&str; 2] = ["actions", "acties"];

/// Which list a first-level item written as `raw` opens, if it is a
/// `Decisions:` or `Actions:` item (in any case, with or without colon).
pub fn label(raw: &str) -> Option<&'static str> {
    let named = raw.trim().trim_end_matches(':').trim().to_lowercase();
    DECISIONS
        .iter()
        .chain(&ACTIONS)
        .find(|w| **w == named)
        .copied()
}

/// The extensions read: GFM tables (shown as rows of text) and task lists
/// (actions). Others stay off so their syntax stays text as written
/// (`~~`, `$`, `[^1]`, `{#id}`) rather than being lost in a rendering the
/// report cannot show.
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS
}

impl Report {
    /// Parses and validates a report written in Markdown (docs/markdown.md);
    /// `origin` names the file in errors.
    pub fn from_markdown(source: &str, origin: &Path) -> Result<Report, LoadError> {
        let whole = super::Piece {
            text: source,
            lines: 0,
        };
        let invalid = |span: Range<usize>, message: String| whole.invalid(origin, span, message);
        read(source, &invalid, &|range| whole.parse(range, origin))
    }
}

fn read(
    source: &str,
    invalid: &impl Fn(Range<usize>, String) -> LoadError,
    front_matter_of: &impl Fn(Range<usize>) -> Result<raw::Header<Option<Spanned<String>>>, LoadError>,
) -> Result<Report, LoadError> {
    let fail = |(span, message): Problem| invalid(span, message);
    // A byte-order mark is not text (editors on Windows write one).
    let start = if source.starts_with('\u{FEFF}') { 3 } else { 0 };
    if source[start..].trim().is_empty() {
        return Err(invalid(
            0..0,
            "the file is empty; a report needs a title and at least one theme, like `# My report`, a blank line, then `## The first theme`".into(),
        ));
    }
    let front = front_matter(source, start).map_err(fail)?;
    let (content, body) = match &front {
        Some((content, body)) => (content.clone(), *body),
        None => (start..start, start),
    };
    // The TOML loader's own parser, hints and validation, so the keys and
    // every message are the same; `parse` places its errors in the file,
    // the spans it returns are relative to the front matter.
    let header = front_matter_of(content.clone())?;
    let shifted = |span: Range<usize>, message: String| {
        invalid(
            span.start + content.start..span.end + content.start,
            message,
        )
    };
    let front_title = header.title().map(|t| t.span().start + content.start);
    if header.has_inline_themes() {
        return Err(invalid(
            content.start..content.start,
            "themes are `##` headings in a Markdown report, not `theme` in the front matter".into(),
        ));
    }
    // A placeholder until the `#` heading is read: the header is checked
    // first, as its errors are nearer the top of the file.
    let placeholder = Spanned::new(0..0, "-".to_owned());
    let (mut report, _) = header.or_title(placeholder).into_header(&shifted)?;
    let mut reader = Reader::new(source, body, front_title);
    reader.read().map_err(fail)?;
    match (reader.title, front_title) {
        (Some(title), _) => report.title = title,
        (None, Some(_)) => {}
        (None, None) => {
            return Err(invalid(
                body..body,
                "the report has no title: begin with a `# Title` heading, or write `title = \"…\"` in a front matter between `+++` lines".into(),
            ));
        }
    }
    if reader.themes.is_empty() {
        return Err(invalid(
            source.len()..source.len(),
            "the report has no themes; add at least one `## Theme` heading".into(),
        ));
    }
    report.themes = reader.themes;
    for note in reader.notes {
        report.notes.note(|| fail(note));
    }
    Ok(report)
}

/// The front matter: `+++` as the first line, up to the next `+++` line.
/// Returns the range of its content and where the Markdown begins.
fn front_matter(source: &str, start: usize) -> Result<Option<(Range<usize>, usize)>, Problem> {
    let mut lines = source[start..].split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    let fence = |l: &str| l.trim_end() == "+++";
    if first.trim_end() == "---" {
        return Err((
            start..start + 3,
            "this file begins with `---` (YAML front matter); briefing reads the report's keys as TOML between two `+++` lines, like `+++`, `title = \"…\"`, `+++`".into(),
        ));
    }
    if !fence(first) {
        return Ok(None);
    }
    let content = start + first.len();
    let mut at = content;
    for line in lines {
        if fence(line) {
            return Ok(Some((content..at, at + line.len())));
        }
        at += line.len();
    }
    Err((
        start..start + 3,
        "the front matter is not closed: end it with a line `+++`".into(),
    ))
}

/// A theme being read, with what is known about the blocks under it.
struct Open {
    /// Its heading's level (2 for `##`).
    level: usize,
    theme: Theme,
    /// Paragraphs so far (joined into the body when the theme ends).
    paragraphs: Vec<String>,
    /// Nothing but the heading yet: a status block may follow.
    fresh: bool,
    /// Points have begun: later text becomes points, to keep the order.
    in_points: bool,
}

/// The reader over the Markdown's events, positions in the whole file.
struct Reader<'s> {
    src: &'s str,
    events: pulldown_cmark::OffsetIter<'s, pulldown_cmark::DefaultBrokenLinkCallback>,
    base: usize,
    front_title: Option<usize>,
    title: Option<String>,
    open: Vec<Open>,
    themes: Vec<Theme>,
    /// What may be a slip, and where (see [`crate::report::Notes`]).
    notes: Vec<Problem>,
}

impl<'s> Reader<'s> {
    fn new(src: &'s str, base: usize, front_title: Option<usize>) -> Reader<'s> {
        Reader {
            src,
            events: Parser::new_ext(&src[base..], options()).into_offset_iter(),
            base,
            front_title,
            title: None,
            open: Vec::new(),
            themes: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn next(&mut self) -> Option<(Event<'s>, Range<usize>)> {
        let base = self.base;
        self.events
            .next()
            .map(|(e, r)| (e, r.start + base..r.end + base))
    }

    fn read(&mut self) -> Result<(), Problem> {
        while let Some((event, at)) = self.next() {
            match event {
                Event::Start(Tag::Heading { level, .. }) => self.heading(level, at)?,
                Event::Start(Tag::Paragraph) => self.paragraph(at)?,
                Event::Start(Tag::List(first)) => self.list(first, at)?,
                Event::Start(tag) => {
                    let mut blocks = Vec::new();
                    self.flatten(tag, &mut blocks, "", 1)?;
                    for text in blocks {
                        self.text(text, &at)?;
                    }
                }
                // Slide separators and stray ends carry no text.
                Event::Rule | Event::End(_) => {}
                other => {
                    let mut inline = Inline::default();
                    inline.event(&other);
                    self.text(inline.text, &at)?;
                }
            }
        }
        while !self.open.is_empty() {
            self.close();
        }
        Ok(())
    }

    fn heading(&mut self, level: HeadingLevel, at: Range<usize>) -> Result<(), Problem> {
        let level = level as usize;
        let text = self
            .inline_until(TagEnd::Heading(heading_level(level)))?
            .text;
        let text = trim(&text).to_owned();
        if level == 1 {
            if let Some(line) = self.front_title {
                return Err((
                    at,
                    format!(
                        "the title is already set by `title` in the front matter (line {}); themes are `##` headings, sub-themes `###`",
                        crate::error::Location::of(self.src, line).line
                    ),
                ));
            }
            if self.title.is_some() || !self.open.is_empty() || !self.themes.is_empty() {
                return Err((
                    at,
                    "a second `#` heading: the report has one title; themes are `##` headings, sub-themes `###`".into(),
                ));
            }
            if text.is_empty() {
                return Err((at, "the report's `title` is empty; write some text".into()));
            }
            self.title = Some(text);
            return Ok(());
        }
        while self.open.last().is_some_and(|o| o.level >= level) {
            self.close();
        }
        match self.open.last() {
            None if level > 2 => {
                return Err((
                    at,
                    format!(
                        "a `{}` heading before any `##` theme: a sub-theme comes after its theme",
                        "#".repeat(level)
                    ),
                ));
            }
            Some(parent) if parent.level + 1 < level => {
                return Err((
                    at,
                    format!(
                        "a `{}` heading right under a `{}` theme skips a level; write `{}`",
                        "#".repeat(level),
                        "#".repeat(parent.level),
                        "#".repeat(parent.level + 1)
                    ),
                ));
            }
            _ => {}
        }
        if text.is_empty() {
            return Err((at, "a theme's `title` is empty; write some text".into()));
        }
        self.open.push(Open {
            level,
            theme: Theme {
                title: text,
                ..Theme::default()
            },
            paragraphs: Vec::new(),
            fresh: true,
            in_points: false,
        });
        Ok(())
    }

    fn close(&mut self) {
        let Some(open) = self.open.pop() else { return };
        let mut theme = open.theme;
        if !open.paragraphs.is_empty() {
            theme.body = Some(open.paragraphs.join("\n\n"));
        }
        match self.open.last_mut() {
            Some(parent) => parent.theme.themes.push(theme),
            None => self.themes.push(theme),
        }
    }

    fn paragraph(&mut self, at: Range<usize>) -> Result<(), Problem> {
        let inline = self.inline_until(TagEnd::Paragraph)?;
        let raw = &self.src[at.clone()];
        if self.open.last().is_some_and(|o| o.fresh) && fields::is_status_block(raw) {
            let lines = fields::status_lines(raw, at.start)?;
            return self.status(lines);
        }
        // A hard line break in the body keeps its lines apart: the text
        // after it is a paragraph of its own.
        let mut from = 0;
        for cut in inline.breaks.iter().copied().chain([inline.text.len()]) {
            self.text(inline.text[from..cut].to_owned(), &at)?;
            from = cut;
        }
        Ok(())
    }

    fn status(&mut self, lines: Vec<Field>) -> Result<(), Problem> {
        let Some(open) = self.open.last_mut() else {
            return Ok(());
        };
        open.fresh = false;
        let theme = &mut open.theme;
        for f in lines {
            let empty = || {
                (
                    f.key_at.clone(),
                    format!(
                        "`{}` is empty; write a value or leave the line out",
                        f.written
                    ),
                )
            };
            if f.value.is_empty() {
                return Err(empty());
            }
            match f.key.as_str() {
                "status" => {
                    let status = Status::parse(&f.value);
                    if matches!(status, Status::Other(_)) {
                        self.notes
                            .push((f.value_at.clone(), Status::unknown(&f.value)));
                    }
                    theme.status = Some(status);
                }
                "owner" => theme.owner = Some(f.value),
                "source" => theme.source = Some(f.value),
                "updated" => theme.updated = Some(items::stamp(&f, "updated")?),
                _ => {
                    theme.unchanged = match f.value.to_ascii_lowercase().as_str() {
                        "true" => true,
                        "false" => false,
                        _ => {
                            return Err((
                                f.value_at,
                                format!("`{}` is true or false, not `{}`", f.written, f.value),
                            ));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Text that is a paragraph of the body, or a point once points began.
    fn text(&mut self, text: String, at: &Range<usize>) -> Result<(), Problem> {
        let text = trim(&text);
        if text.is_empty() {
            return Ok(());
        }
        let Some(open) = self.open.last_mut() else {
            return Err(before_themes(at));
        };
        open.fresh = false;
        if open.in_points {
            open.theme.points.push(super::Point {
                text: text.to_owned(),
                ..Default::default()
            });
        } else {
            open.paragraphs.push(text.to_owned());
        }
        Ok(())
    }

    fn list(&mut self, first: Option<u64>, at: Range<usize>) -> Result<(), Problem> {
        let list = self.items(first, 0)?;
        let Some(open) = self.open.last_mut() else {
            return Err(before_themes(&at));
        };
        open.fresh = false;
        items::take(&mut open.theme, &mut open.in_points, list)
    }
}

/// `s` without the white space Markdown itself strips (spaces, tabs, line
/// ends); other white space, like a no-break space, is text.
fn trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\n', '\r'])
}

fn before_themes(at: &Range<usize>) -> Problem {
    (
        at.clone(),
        "text before the first `##` heading has no place in the report: put it under a theme (like `## Introduction`), or in the front matter (`subtitle = \"…\"`)".into(),
    )
}

fn heading_level(level: usize) -> HeadingLevel {
    match level {
        1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

#[cfg(test)]
mod tests;
