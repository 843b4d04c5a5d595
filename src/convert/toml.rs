//! A report written as TOML (docs/report-format.md) that reads like a
//! hand-written one: the report's keys, then one `[[theme]]` table per
//! theme, sub-themes indented under their parent. Every string is escaped
//! here (quotes, backslashes, controls and bidi controls as `\uXXXX`), so
//! the loader reads back exactly what was written and the output never
//! acts on a terminal it is printed to.

use std::fmt::Write as _;

use super::WriteError;
use crate::report::{Decision, Point, Report, Stamp, Status, Task, TaskState, Theme, stamp};

/// The report as TOML.
pub fn write(report: &Report) -> Result<String, WriteError> {
    let mut out = String::new();
    header(&mut out, report, true)?;
    for theme in &report.themes {
        out.push('\n');
        self::theme(&mut out, theme, 0)?;
    }
    Ok(out)
}

/// The report's keys as TOML lines (`title` too when `with_title`): the
/// top of a TOML report, or a Markdown report's front matter.
pub fn header(out: &mut String, r: &Report, with_title: bool) -> Result<(), WriteError> {
    if with_title {
        key(out, "", "title", &basic(&r.title));
    }
    let mut text = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            key(out, "", k, &basic(v));
        }
    };
    text("subtitle", &r.subtitle);
    text("kind", &r.kind);
    text("source", &r.source);
    if let Some(d) = &r.date {
        key(out, "", "date", &d.to_string());
    }
    if with_title || r.language != crate::report::Language::En {
        key(out, "", "language", &basic(language(r)));
    }
    stamp_key(out, "", "updated", &r.updated)?;
    stamp_key(out, "", "next_update", &r.next_update)?;
    if let Some(c) = &r.classification {
        key(out, "", "classification", &basic(c));
    }
    if let Some(n) = r.number {
        key(out, "", "number", &n.to_string());
    }
    if let Some(p) = r.phase {
        let p = match p {
            crate::report::Phase::Initial => "initial",
            crate::report::Phase::Update => "update",
            crate::report::Phase::Final => "final",
        };
        key(out, "", "phase", &basic(p));
    }
    stamp_key(out, "", "as_of", &r.as_of)?;
    if let Some(p) = &r.prepared_by {
        key(out, "", "prepared_by", &basic(p));
    }
    if let Some(a) = &r.approved_by {
        key(out, "", "approved_by", &basic(a));
    }
    Ok(())
}

fn language(r: &Report) -> &'static str {
    match r.language {
        crate::report::Language::Nl => "nl",
        crate::report::Language::En => "en",
    }
}

fn theme(out: &mut String, t: &Theme, depth: usize) -> Result<(), WriteError> {
    let pad = "  ".repeat(depth);
    let _ = writeln!(out, "{pad}[[{}]]", vec!["theme"; depth + 1].join("."));
    key(out, &pad, "title", &basic(&t.title));
    if let Some(s) = &t.status {
        key(out, &pad, "status", &basic(status(s)));
    }
    for (k, v) in [("owner", &t.owner), ("source", &t.source)] {
        if let Some(v) = v {
            key(out, &pad, k, &basic(v));
        }
    }
    stamp_key(out, &pad, "updated", &t.updated)?;
    if t.unchanged {
        key(out, &pad, "unchanged", "true");
    }
    if let Some(body) = &t.body {
        key(out, &pad, "body", &multiline(body));
    }
    if !t.points.is_empty() {
        let _ = writeln!(out, "{pad}points = [");
        for p in &t.points {
            point(out, p, &format!("{pad}  "))?;
        }
        let _ = writeln!(out, "{pad}]");
    }
    if !t.decisions.is_empty() {
        let _ = writeln!(out, "{pad}decisions = [");
        for d in &t.decisions {
            let _ = writeln!(out, "{pad}  {},", decision(d)?);
        }
        let _ = writeln!(out, "{pad}]");
    }
    if !t.actions.is_empty() {
        let _ = writeln!(out, "{pad}actions = [");
        for a in &t.actions {
            let _ = writeln!(out, "{pad}  {},", action(a)?);
        }
        let _ = writeln!(out, "{pad}]");
    }
    for sub in &t.themes {
        out.push('\n');
        theme(out, sub, depth + 1)?;
    }
    Ok(())
}

/// How a status is written, so that it reads back as the same status.
pub fn status(s: &Status) -> &str {
    match s {
        Status::New => "new",
        Status::Changed => "changed",
        Status::Unchanged => "unchanged",
        Status::Closed => "closed",
        Status::Other(s) => s,
    }
}

/// How a state is written.
pub fn state(s: TaskState) -> &'static str {
    match s {
        TaskState::New => "new",
        TaskState::InProgress => "in_progress",
        TaskState::Done => "done",
        TaskState::Accepted => "accepted",
    }
}

// A point: a plain string, or a table when it has more than its text.
fn point(out: &mut String, p: &Point, pad: &str) -> Result<(), WriteError> {
    let plain = p.points.is_empty() && p.updated.is_none() && p.owner.is_none() && p.due.is_none();
    if plain {
        let _ = writeln!(out, "{pad}{},", basic(&p.text));
        return Ok(());
    }
    let mut fields = vec![format!("text = {}", basic(&p.text))];
    if let Some(u) = &p.updated {
        fields.push(format!("updated = {}", datetime(u)?));
    }
    if let Some(o) = &p.owner {
        fields.push(format!("owner = {}", basic(o)));
    }
    if let Some(d) = &p.due {
        fields.push(format!("due = {}", datetime(d)?));
    }
    if p.points.is_empty() {
        let _ = writeln!(out, "{pad}{{ {} }},", fields.join(", "));
        return Ok(());
    }
    // A value inside an inline table may span lines, even in TOML 1.0.
    let _ = writeln!(out, "{pad}{{ {}, points = [", fields.join(", "));
    for sub in &p.points {
        point(out, sub, &format!("{pad}  "))?;
    }
    let _ = writeln!(out, "{pad}] }},");
    Ok(())
}

fn decision(d: &Decision) -> Result<String, WriteError> {
    Ok(match &d.at {
        None => basic(&d.text),
        Some(at) => format!("{{ text = {}, at = {} }}", basic(&d.text), datetime(at)?),
    })
}

fn action(a: &Task) -> Result<String, WriteError> {
    let mut fields = vec![format!("text = {}", basic(&a.text))];
    if let Some(o) = &a.owner {
        fields.push(format!("owner = {}", basic(o)));
    }
    if let Some(d) = &a.due {
        fields.push(format!("due = {}", datetime(d)?));
    }
    if let Some(s) = &a.status {
        fields.push(format!("status = {}", basic(s)));
    }
    if let Some(s) = a.state {
        fields.push(format!("state = {}", basic(state(s))));
    }
    Ok(if fields.len() == 1 {
        basic(&a.text)
    } else {
        format!("{{ {} }}", fields.join(", "))
    })
}

fn key(out: &mut String, pad: &str, k: &str, value: &str) {
    let _ = writeln!(out, "{pad}{k} = {value}");
}

fn stamp_key(out: &mut String, pad: &str, k: &str, v: &Option<Stamp>) -> Result<(), WriteError> {
    if let Some(v) = v {
        key(out, pad, k, &datetime(v)?);
    }
    Ok(())
}

/// A stamp as a TOML date-time that reads back as the same stamp.
pub fn datetime(s: &Stamp) -> Result<String, WriteError> {
    stamp::to_toml(s)
        .map(|d| d.to_string())
        .ok_or_else(|| WriteError::Stamp(s.text.clone()))
}

/// A TOML basic string: `"…"` with every character a terminal or the
/// parser could take for something else escaped.
pub fn basic(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    escape_into(&mut out, s, false);
    out.push('"');
    out
}

// A multi-line basic string: line breaks stay, so a body reads as written.
fn multiline(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    // A line break right after the opening quotes is not part of the text.
    out.push_str("\"\"\"\n");
    escape_into(&mut out, s, true);
    out.push_str("\"\"\"");
    out
}

fn escape_into(out: &mut String, s: &str, keep_newlines: bool) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' if keep_newlines => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || crate::text::is_bidi_control(c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_so_they_read_back_exactly() {
        let nasty = "a \"q\" \\ \n\r\t \u{1b}[2J \u{0} \u{7f} \u{9b} \u{202e} ‘ok’ é";
        let doc = format!("s = {}\nm = {}\n", basic(nasty), multiline(nasty));
        assert!(
            !doc.contains('\u{1b}') && !doc.contains('\u{202e}'),
            "{doc}"
        );
        let table: toml::Table = doc.parse().expect("valid TOML");
        assert_eq!(table["s"].as_str(), Some(nasty));
        assert_eq!(table["m"].as_str(), Some(nasty));
    }

    #[test]
    fn the_example_reports_are_written_back_as_the_same_report() {
        let path = std::path::Path::new("t.toml");
        for src in [
            crate::report::BUILTIN,
            include_str!("../../examples/hoogwater.toml"),
        ] {
            let report = Report::from_toml(src, path).expect("valid");
            let written = write(&report).expect("writable");
            let back = Report::from_toml(&written, path).expect("reads back");
            assert_eq!(back, report, "{written}");
        }
    }
}
