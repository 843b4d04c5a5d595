//! Loading the report to show: the named file, else ./report.toml, else
//! the built-in one; with what the watcher needs to notice a change made
//! while it was being read.

use crate::config::Source;
use crate::doc::Doc;
use crate::error::LoadError;
use crate::report::{self, Format, Report};

/// The report to show, and a fingerprint of the exact text that was parsed
/// (so a change during start-up is not missed).
pub struct Loaded {
    /// The prepared report.
    pub doc: Doc,
    /// A fingerprint of the text (see `report::fingerprint`); none for the built-in report.
    pub fingerprint: Option<u64>,
    /// The file's size and modification time just before it was read.
    pub before: Option<(u64, std::time::SystemTime)>,
}

/// Loads the report from `source`, in the format its name says.
pub fn load(source: &Source) -> Result<Loaded, LoadError> {
    load_as(source, None)
}

/// Loads the report from `source`, in `format` when given (`--format`).
pub fn load_as(source: &Source, format: Option<Format>) -> Result<Loaded, LoadError> {
    match source {
        Source::File(p) => {
            let before = std::fs::metadata(p)
                .and_then(|m| Ok((m.len(), m.modified()?)))
                .ok();
            let text = report::read_text(p, report::MAX_BYTES)?;
            let fingerprint = Some(report::fingerprint(&text));
            Ok(Loaded {
                doc: Doc::from_source_as(text, p, Format::resolve(format, p))?,
                fingerprint,
                before,
            })
        }
        Source::Builtin => Ok(Loaded {
            doc: Doc::from_report(Report::builtin()),
            fingerprint: None,
            before: None,
        }),
    }
}

/// What reading the report again found.
pub enum Reload {
    /// The same text as last time (an editor touched the file).
    Unchanged,
    /// A new version, and its text's fingerprint.
    Changed(Box<Doc>, u64),
    /// It cannot be used now (the last good version stays on screen).
    Failed(LoadError),
}

/// Reads `path` again as `format`; `last` is the fingerprint of the text now shown.
pub fn reload(path: &std::path::Path, format: Format, last: Option<u64>) -> Reload {
    let text = match report::read_text(path, report::MAX_BYTES) {
        Ok(t) => t,
        Err(e) => return Reload::Failed(e),
    };
    let fingerprint = report::fingerprint(&text);
    if Some(fingerprint) == last {
        return Reload::Unchanged;
    }
    match Doc::from_source_as(text, path, format) {
        Ok(doc) => Reload::Changed(Box::new(doc), fingerprint),
        Err(e) => Reload::Failed(e),
    }
}
