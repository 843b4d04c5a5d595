//! `briefing convert IN --to toml|md`: a report written out in the other
//! format. Both readers build the same [`Report`], so converting is
//! writing it: TOML → Markdown → TOML gives the same report, up to white
//! space (runs of spaces and line breaks inside a paragraph), which the
//! reader never sees; [`canonical`] is that sameness.

pub mod markdown;
pub mod toml;

use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::config::ConvertJob;
use crate::error::Error;
use crate::report::{Decision, Format, Point, Report, Status, Task, Theme};
use crate::text::shown_path;

/// What a report cannot be written as.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum WriteError {
    /// A theme nested deeper than Markdown headings go.
    #[error(
        "the theme «{}» is nested deeper than Markdown headings go (`######`, five levels of themes); move it up, or keep the report in TOML",
        crate::report::shorten(&crate::text::inline(.0), 60)
    )]
    TooDeep(String),
    /// A time no TOML date-time gives.
    #[error("the time «{}» cannot be written as a TOML date-time", crate::text::inline(.0))]
    Stamp(String),
}

/// Why a conversion failed (after the report was read).
#[derive(Debug, Error)]
pub enum ConvertError {
    /// The report cannot be written in the asked format.
    #[error("{}: {why}", shown_path(.path))]
    Unwritable {
        /// The report.
        path: PathBuf,
        /// Why.
        why: WriteError,
    },
    /// `-o` names the report being converted.
    #[error("{}: is the report being converted; write the result to another file (-o) or to standard output", shown_path(.path))]
    SameFile {
        /// The output path.
        path: PathBuf,
    },
    /// The output file cannot be written.
    #[error("{}: cannot write the converted report: {reason}", shown_path(.path))]
    Write {
        /// The output path.
        path: PathBuf,
        /// Why, in words.
        reason: String,
    },
}

/// The report written in `to`.
pub fn to_string(report: &Report, to: Format) -> Result<String, WriteError> {
    match to {
        Format::Toml => toml::write(report),
        Format::Markdown => markdown::write(report),
    }
}

/// Runs `briefing convert`: reads the report, writes it to standard
/// output or to the `-o` file (never over the report itself).
pub fn run(job: &ConvertJob) -> Result<u8, Error> {
    let from = Format::resolve(job.from, &job.input);
    let report = Report::load_as(&job.input, from)?;
    let text = to_string(&report, job.to).map_err(|why| ConvertError::Unwritable {
        path: job.input.clone(),
        why,
    })?;
    match &job.output {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(Error::Output)?;
        }
        Some(path) => {
            if same_file(path, &job.input) {
                return Err(ConvertError::SameFile { path: path.clone() }.into());
            }
            crate::atomic::write(
                path,
                text.as_bytes(),
                mode_for(path),
                crate::atomic::Durability::Synced,
            )
            .map_err(|e| ConvertError::Write {
                path: path.clone(),
                reason: crate::report::describe_io(&e),
            })?;
        }
    }
    Ok(0)
}

// The mode of a file written at `path`: that of the file it replaces, else
// what the umask leaves of 0666, as any editor would create it (the atomic
// write sets its mode exactly, so 0644 loosened a private report).
fn mode_for(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => m.permissions().mode() & 0o777,
        _ => 0o666 & !crate::sys::umask(),
    }
}

// The same file, also by another name (a hard link, a symlink).
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// A text as the reader sees it: runs of white space one space, trimmed;
/// NUL is U+FFFD (as Markdown reads it). VT and FF are not white space
/// here: the screen shows them as U+FFFD.
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(is_space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.replace('\0', "\u{FFFD}")
}

fn is_space(c: char) -> bool {
    crate::text::is_breaking_space(c) && !matches!(c, '\x0b' | '\x0c')
}

/// A body's paragraphs as the reader sees them: split at blank lines,
/// each collapsed, empty ones dropped.
pub fn paragraphs(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, out: &mut Vec<String>| {
        let p = collapse(current);
        if !p.is_empty() {
            out.push(p);
        }
        current.clear();
    };
    for line in body.split('\n').flat_map(|l| l.split('\r')) {
        if line.chars().all(is_space) {
            flush(&mut current, &mut out);
        } else {
            current.push(' ');
            current.push_str(line);
        }
    }
    flush(&mut current, &mut out);
    out
}

/// The report as a reader sees it, which a conversion keeps: every text
/// [`collapse`]d, bodies as [`paragraphs`] joined by a blank line, empty
/// optional texts left out.
pub fn canonical(report: &Report) -> Report {
    Report {
        title: collapse(&report.title),
        subtitle: opt(&report.subtitle),
        kind: opt(&report.kind),
        source: opt(&report.source),
        classification: opt(&report.classification),
        prepared_by: opt(&report.prepared_by),
        approved_by: opt(&report.approved_by),
        themes: report.themes.iter().map(theme).collect(),
        ..report.clone()
    }
}

fn opt(s: &Option<String>) -> Option<String> {
    s.as_deref().map(collapse).filter(|s| !s.is_empty())
}

fn theme(t: &Theme) -> Theme {
    let body = t.body.as_deref().map(paragraphs).unwrap_or_default();
    Theme {
        title: collapse(&t.title),
        body: (!body.is_empty()).then(|| body.join("\n\n")),
        points: t.points.iter().map(point).collect(),
        decisions: t
            .decisions
            .iter()
            .map(|d| Decision {
                text: collapse(&d.text),
                at: d.at.clone(),
            })
            .collect(),
        actions: t
            .actions
            .iter()
            .map(|a| Task {
                text: collapse(&a.text),
                owner: opt(&a.owner),
                status: opt(&a.status),
                ..a.clone()
            })
            .collect(),
        updated: t.updated.clone(),
        status: t.status.as_ref().and_then(|s| match s {
            Status::Other(s) => {
                let s = collapse(s);
                (!s.is_empty()).then(|| Status::parse(&s))
            }
            other => Some(other.clone()),
        }),
        owner: opt(&t.owner),
        source: opt(&t.source),
        themes: t.themes.iter().map(theme).collect(),
        unchanged: t.unchanged,
    }
}

fn point(p: &Point) -> Point {
    Point {
        text: collapse(&p.text),
        points: p.points.iter().map(point).collect(),
        owner: opt(&p.owner),
        ..p.clone()
    }
}

#[cfg(test)]
mod tests;
