//! A report written as Markdown in the form docs/markdown.md describes, so
//! that reading it back gives the same report (up to white space, which
//! the reader never sees).
//!
//! Every text is escaped for where it goes: Markdown's own characters get
//! a `\`, what a reader would take for structure at the start of a line
//! (`#`, `-`, `1.`, `Status:`, a bare `Decisions`) is escaped too, and
//! controls and bidi controls are written as `&#NN;`, so the file never
//! acts on a terminal it is printed to.

use std::fmt::Write as _;

use super::{WriteError, collapse, paragraphs};
use crate::labels;
use crate::report::markdown::{label, looks_like_status};
use crate::report::{Language, Point, Report, Task, TaskState, Theme};

/// Themes nest this deep at most in Markdown: `##` to `######`.
pub const MAX_THEME_DEPTH: usize = 5;

/// The report as Markdown.
pub fn write(report: &Report) -> Result<String, WriteError> {
    // Markdown keeps what a reader sees; the front matter too, so the
    // whole report reads back as its canonical form.
    let report = &super::canonical(report);
    let mut out = String::new();
    let mut front = String::new();
    super::toml::header(&mut front, report, false)?;
    if !front.is_empty() {
        let _ = write!(out, "+++\n{front}+++\n\n");
    }
    let _ = writeln!(out, "# {}\n", heading(&collapse(&report.title)));
    let words = match report.language {
        Language::Nl => &labels::NL,
        Language::En => &labels::EN,
    };
    for t in &report.themes {
        theme(&mut out, t, 0, words)?;
    }
    Ok(out)
}

fn theme(
    out: &mut String,
    t: &Theme,
    depth: usize,
    words: &labels::Labels,
) -> Result<(), WriteError> {
    if depth >= MAX_THEME_DEPTH {
        return Err(WriteError::TooDeep(collapse(&t.title)));
    }
    let _ = writeln!(
        out,
        "{} {}\n",
        "#".repeat(depth + 2),
        heading(&collapse(&t.title))
    );
    let mut status = Vec::new();
    if let Some(s) = &t.status {
        status.push(("Status", super::toml::status(s).to_owned()));
    }
    for (k, v) in [("Owner", &t.owner), ("Source", &t.source)] {
        if let Some(v) = v {
            status.push((k, v.clone()));
        }
    }
    if let Some(u) = &t.updated {
        status.push(("Updated", super::toml::datetime(u)?));
    }
    if t.unchanged {
        status.push(("Unchanged", "true".into()));
    }
    let status: Vec<_> = status
        .into_iter()
        .map(|(k, v)| (k, collapse(&v)))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    if !status.is_empty() {
        for (k, v) in status {
            let _ = writeln!(out, "{k}: {}", value(&v));
        }
        out.push('\n');
    }
    for p in t.body.as_deref().map(paragraphs).unwrap_or_default() {
        let _ = writeln!(out, "{}\n", line(&p));
    }
    let mut list = String::new();
    for p in &t.points {
        point(&mut list, p, 0)?;
    }
    if !t.decisions.is_empty() {
        let _ = writeln!(list, "- {}:", words.decisions);
        for d in &t.decisions {
            let mut fields = String::new();
            if let Some(at) = &d.at {
                field(&mut fields, "at", &super::toml::datetime(at)?);
            }
            let _ = writeln!(list, "  - {}{fields}", item(&collapse(&d.text)));
        }
    }
    for a in &t.actions {
        action(&mut list, a)?;
    }
    if !list.is_empty() {
        let _ = writeln!(out, "{list}");
    }
    for sub in &t.themes {
        theme(out, sub, depth + 1, words)?;
    }
    Ok(())
}

fn point(out: &mut String, p: &Point, depth: usize) -> Result<(), WriteError> {
    let mut fields = String::new();
    if let Some(o) = &p.owner {
        field(&mut fields, "owner", o);
    }
    if let Some(d) = &p.due {
        field(&mut fields, "due", &super::toml::datetime(d)?);
    }
    if let Some(u) = &p.updated {
        field(&mut fields, "updated", &super::toml::datetime(u)?);
    }
    let _ = writeln!(
        out,
        "{}- {}{fields}",
        "  ".repeat(depth),
        item(&collapse(&p.text))
    );
    for sub in &p.points {
        point(out, sub, depth + 1)?;
    }
    Ok(())
}

// `[ ]` or `[x]` as the reader reads it back: with neither a state nor a
// status the box is the state (checked: done); else the box agrees with
// them and the state is written out.
fn action(out: &mut String, a: &Task) -> Result<(), WriteError> {
    let status = a.status.as_deref().map(collapse).filter(|s| !s.is_empty());
    let done = !Task {
        status: status.clone(),
        ..a.clone()
    }
    .is_open();
    let mut fields = String::new();
    if let Some(o) = &a.owner {
        field(&mut fields, "owner", o);
    }
    if let Some(d) = &a.due {
        field(&mut fields, "due", &super::toml::datetime(d)?);
    }
    let implied = a.state == Some(TaskState::Done) && status.is_none();
    if let Some(s) = a.state.filter(|_| !implied) {
        field(&mut fields, "state", super::toml::state(s));
    }
    if let Some(s) = &status {
        field(&mut fields, "status", s);
    }
    let mark = if done { "[x]" } else { "[ ]" };
    let _ = writeln!(out, "- {mark} {}{fields}", item(&collapse(&a.text)));
    Ok(())
}

fn field(out: &mut String, key: &str, v: &str) {
    let v = collapse(v);
    if !v.is_empty() {
        let _ = write!(out, " [{key}:: {}]", value(&v));
    }
}

/// A heading's text: every `#` escaped, as a trailing run would close it.
fn heading(s: &str) -> String {
    escape(s, &['#'])
}

/// A list item's text: a bare `Decisions` or `Actions` would open a list
/// of its own, so its first letter is written as a reference.
fn item(s: &str) -> String {
    let text = line(s);
    if label(&text).is_none() {
        return text;
    }
    match text.char_indices().find(|(_, c)| c.is_alphabetic()) {
        Some((i, c)) => format!(
            "{}&#{};{}",
            &text[..i],
            u32::from(c),
            &text[i + c.len_utf8()..]
        ),
        None => text,
    }
}

/// A paragraph on a line of its own.
fn line(s: &str) -> String {
    // `Status:` at the start of the first paragraph would be a status block.
    if let Some(colon) = looks_like_status(s) {
        return format!("{}{}", escape(&s[..colon], &[]), escape(&s[colon..], &[]));
    }
    escape(s, &[])
}

/// Markdown text on one line: `\` before what Markdown would read as
/// markup, `&#NN;` for controls, bidi controls and (at the edges) white
/// space a parser would trim.
fn escape(s: &str, also: &[char]) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let last = s.chars().count().saturating_sub(1);
    // A run of digits then `.` or `)` at the start would be a numbered list.
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let numbered = digits > 0 && matches!(s.as_bytes().get(digits), Some(b'.' | b')'));
    for (i, c) in s.chars().enumerate() {
        let edge = i == 0 || i == last;
        let at_start = i == 0 && matches!(c, '#' | '>' | '-' | '+' | '=' | '~' | ':');
        let numbered_mark = numbered && i == digits;
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '&' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c if at_start || numbered_mark || also.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control()
                || crate::text::is_bidi_control(c)
                || (edge && c.is_whitespace() && !c.is_ascii()) =>
            {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// A value in a status line or a `[key:: value]` field: plain text, so
/// only what `decode` reads is escaped.
fn value(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let last = s.chars().count().saturating_sub(1);
    for (i, c) in s.chars().enumerate() {
        let edge = i == 0 || i == last;
        match c {
            '\\' | '[' | ']' | '&' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control()
                || crate::text::is_bidi_control(c)
                || (edge && c.is_whitespace() && !c.is_ascii()) =>
            {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_structure_are_escaped() {
        assert_eq!(
            escape("*a* _b_ [c](d) <e> &f; `g` |h|", &[]),
            "\\*a\\* \\_b\\_ \\[c\\](d) \\<e> \\&f; \\`g\\` \\|h\\|"
        );
        assert_eq!(line("# not a heading"), "\\# not a heading");
        assert_eq!(line("- not a point"), "\\- not a point");
        assert_eq!(line("12. not a list"), "12\\. not a list");
        assert_eq!(line("Status: prose"), "Status\\: prose");
        assert_eq!(line("\u{1b}[2J \u{202e}"), "&#27;\\[2J &#8238;");
        assert_eq!(line("\u{a0}x\u{a0}"), "&#160;x&#160;");
        assert_eq!(item("Besluiten:"), "&#66;esluiten:");
        assert_eq!(heading("C# #"), "C\\# \\#");
        assert_eq!(value("A]B \\ & [x]"), "A\\]B \\\\ \\& \\[x\\]");
    }
}
