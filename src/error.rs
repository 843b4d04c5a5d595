//! Typed errors for reading and validating a report.
//!
//! Every message names the file (and where it can, line and column) and says
//! what to do, because the reader of the message is the author of the report.

use std::fmt;
use std::path::PathBuf;

use thiserror::Error;

use crate::text::shown_path;

/// Where in a report file something is: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

impl Location {
    /// The position of byte `offset` in `text` (clamped to the text).
    pub fn of(text: &str, offset: usize) -> Location {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Location {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Why the program could not do what it was asked: the message the user
/// sees, after `briefing: `.
#[derive(Debug, Error)]
pub enum Error {
    /// The report could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A report could not be converted (`briefing convert`).
    #[error(transparent)]
    Convert(#[from] crate::convert::ConvertError),
    /// The arguments cannot be used as given.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The kept versions cannot be read.
    #[error(transparent)]
    History(#[from] crate::history::HistoryError),
    /// The SSH server cannot start.
    #[error(transparent)]
    Serve(#[from] crate::serve::ServeError),
    /// Standard output could not be written.
    #[error("cannot write the output: {}", crate::report::describe_io(.0))]
    Output(std::io::Error),
    /// The terminal could not be used.
    #[error("terminal error: {}", crate::report::describe_io(.0))]
    Terminal(std::io::Error),
    /// The position file belongs to another report.
    #[error("{}: the presenter shows «{presenter}», not this report («{ours}»); open the same report", crate::text::shown_path(.path))]
    OtherReport {
        /// The position file.
        path: PathBuf,
        /// The presenter's report title, shortened.
        presenter: String,
        /// Ours, shortened.
        ours: String,
    },
}

/// Why a report could not be loaded.
#[derive(Debug, Error)]
pub enum LoadError {
    /// The file could not be opened or read.
    #[error("{}: cannot read the report: {reason}", shown_path(.path))]
    Io {
        /// The report's path.
        path: PathBuf,
        /// The operating system's explanation, made readable.
        reason: String,
    },
    /// The path names something that is not a regular file.
    #[error("{}: is {what}, not a report file; give the path of a .toml file", shown_path(.path))]
    NotAFile {
        /// The report's path.
        path: PathBuf,
        /// What it is instead ("a directory", "a device", …).
        what: &'static str,
    },
    /// The path is a symbolic link another user made: following it would
    /// let them have briefing read (and show, and keep) any file it can.
    #[error(
        "{}: is a symbolic link that belongs to another user ({}); briefing does not follow it: open the file it points to by its own path",
        shown_path(.path),
        shown_path(std::path::Path::new(.owner))
    )]
    ForeignLink {
        /// The report's path.
        path: PathBuf,
        /// Who owns the link (a name, else a uid).
        owner: String,
    },
    /// The file is larger than any real report.
    #[error(
        "{}: is {size} bytes; reports larger than {limit} bytes are refused (is this the right file?)",
        shown_path(.path)
    )]
    TooLarge {
        /// The report's path.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The file kept changing while it was read.
    #[error("{}: the file changed while it was being read; try again when it is saved", shown_path(.path))]
    Unstable {
        /// The report's path.
        path: PathBuf,
    },
    /// The file is not UTF-8 text.
    #[error("{}:{at}: the file is not UTF-8 text; save it as UTF-8", shown_path(.path))]
    NotUtf8 {
        /// The report's path.
        path: PathBuf,
        /// Where the first invalid byte is.
        at: Location,
    },
    /// The file holds nothing but blank lines and comments.
    #[error(
        "{}: the file is empty; a report needs a title and at least one theme, like:\n    title = \"My report\"\n\n    [[theme]]\n    title = \"The first theme\"",
        shown_path(.path)
    )]
    Empty {
        /// The report's path.
        path: PathBuf,
    },
    /// The TOML is malformed or does not match the report format.
    #[error("{}:{at}: {message}{}", shown_path(.path), excerpt_suffix(.excerpt))]
    Invalid {
        /// The report's path.
        path: PathBuf,
        /// Where the problem is.
        at: Location,
        /// What is wrong and what to do, already sanitised.
        message: String,
        /// The offending source line, sanitised and shortened.
        excerpt: Option<String>,
    },
}

fn excerpt_suffix(excerpt: &Option<String>) -> String {
    match excerpt {
        Some(line) => format!("\n    {line}"),
        None => String::new(),
    }
}

impl LoadError {
    /// The file this error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            LoadError::Io { path, .. }
            | LoadError::NotAFile { path, .. }
            | LoadError::ForeignLink { path, .. }
            | LoadError::TooLarge { path, .. }
            | LoadError::Unstable { path }
            | LoadError::Empty { path }
            | LoadError::NotUtf8 { path, .. }
            | LoadError::Invalid { path, .. } => path,
        }
    }

    /// Like [`LoadError::one_line`], naming the file without its directory:
    /// for a status line, where the path would take the line and column's
    /// place (the whole message is a key away).
    pub fn brief(&self) -> String {
        match self {
            LoadError::Invalid {
                path, at, message, ..
            } => {
                let name = path.file_name().map_or(path.as_os_str(), |n| n);
                let name = shown_path(std::path::Path::new(name));
                format!("{name}:{at}: {message}")
            }
            other => other.one_line(),
        }
    }

    /// The message on one line (for a status line), without the source excerpt.
    pub fn one_line(&self) -> String {
        match self {
            LoadError::Invalid {
                path, at, message, ..
            } => format!("{}:{at}: {message}", shown_path(path)),
            other => other.to_string().lines().next().unwrap_or("").to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_brief_form_names_the_file_without_its_directory() {
        let text = "a = [\n";
        let e = LoadError::Invalid {
            path: std::path::PathBuf::from("/tmp/deep/dir/h.toml"),
            at: Location::of(text, 4),
            message: "unclosed array".into(),
            excerpt: None,
        };
        assert_eq!(e.brief(), "h.toml:1:5: unclosed array");
        assert!(
            e.one_line().starts_with("/tmp/deep/dir/h.toml:1:5:"),
            "{}",
            e.one_line()
        );
    }

    #[test]
    fn position_counts_lines_and_characters() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(Location::of(text, 0), Location { line: 1, column: 1 });
        assert_eq!(Location::of(text, 6), Location { line: 2, column: 1 });
        // "bé " is 4 bytes but 3 characters.
        assert_eq!(Location::of(text, 10), Location { line: 2, column: 4 });
        assert_eq!(Location::of(text, 999), Location { line: 3, column: 1 });
    }

    #[test]
    fn position_inside_a_character_snaps_back() {
        assert_eq!(Location::of("é", 1), Location { line: 1, column: 1 });
    }
}
