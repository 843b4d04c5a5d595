//! What can go wrong keeping or reading versions, in words that name the
//! file and say what to do.

use std::path::PathBuf;

use crate::report::describe_io;
use crate::text::shown_path;

/// An error keeping or reading a report's versions.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The built-in report has no versions: only a report file does.
    #[error(
        "the built-in report has no kept versions: give the report file (briefing --diff A B report.toml)"
    )]
    NoReportFile,
    /// Neither `XDG_STATE_HOME` nor `HOME` is set.
    #[error("no state directory to keep versions in: set XDG_STATE_HOME or HOME")]
    NoStateDirectory,
    /// The history directory cannot be made or used.
    #[error("{}: cannot keep versions here: {}", shown_path(.dir), describe_io(.source))]
    Directory {
        /// The directory.
        dir: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A new version could not be written; the earlier ones are intact.
    #[error("{}: this version was not kept: {}; the versions kept before are intact{}",
        shown_path(.path), describe_io(.source), advice(.source))]
    Write {
        /// The file it was to be kept in.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A kept version or the directory could not be read.
    #[error("{}: cannot be read: {}", shown_path(.path), describe_io(.source))]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A kept version's file is damaged; it is skipped.
    #[error("{}: a damaged version ({reason}); it is skipped, and dropped in time (or remove it)",
        shown_path(.path))]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The text is larger than a report may be.
    #[error("{}: {size} bytes is too large to keep (at most {limit})", shown_path(.report))]
    TooLarge {
        /// Where the versions of this report are kept.
        report: PathBuf,
        /// Its size.
        size: u64,
        /// The limit ([`crate::report::MAX_BYTES`]).
        limit: u64,
    },
    /// No kept version matches.
    #[error("{}: no kept version is {what}; the timeline lists the versions there are",
        shown_path(.dir))]
    NotFound {
        /// Where the versions are kept.
        dir: PathBuf,
        /// What was asked for ("prev", "number 14", …).
        what: String,
    },
    /// A version was named in a way that means nothing.
    #[error(
        "`{given}` names no version: write a report number (14), newest, prev, last-seen, \
             #N (the Nth kept, 1 = the oldest), ~N (N before the newest) or a SHA-256"
    )]
    BadSpec {
        /// What was written.
        given: String,
    },
    /// git failed on a repository that holds the report.
    #[error("{}: git {what} failed: {reason}", shown_path(.path))]
    Git {
        /// The report.
        path: PathBuf,
        /// What git was asked ("log", "show <commit>").
        what: String,
        /// Why (git's own first line, or a timeout).
        reason: String,
    },
}

// What to do about a failed write, when the reason says it.
fn advice(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            "; free some disk space (or remove old versions)"
        }
        ErrorKind::FileTooLarge => "; a file-size limit (ulimit -f) is in the way",
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
            "; the state directory must be writable (set XDG_STATE_HOME elsewhere)"
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_said_in_words_with_what_to_do() {
        let e = HistoryError::Write {
            path: PathBuf::from("/s/x.history/1.toml.gz"),
            source: std::io::Error::from(std::io::ErrorKind::StorageFull),
        };
        let text = e.to_string();
        assert!(text.starts_with("/s/x.history/1.toml.gz: this version was not kept"));
        assert!(text.contains("intact"), "{text}");
        assert!(text.contains("free some disk space"), "{text}");
        assert!(!text.contains("os error"), "{text}");
    }
}
