//! The report: its domain types and loading them from TOML (or Markdown,
//! `markdown`).
//!
//! Knows nothing of the UI. Strict by design: an unknown key is an error,
//! because a silently ignored `titel` loses an author's text.

mod file;
mod format;
pub mod markdown;
mod notes;
mod part;
mod pieces;
mod raw;
pub mod stamp;
mod stream;

use std::ops::Range;
use std::path::Path;

use serde::Deserialize;

use crate::error::LoadError;
use crate::text;
use part::{Piece, newlines};

pub use file::{describe_io, fingerprint, fingerprint_file, open_checked, read_text};
pub use format::Format;
pub use notes::Notes;
pub use pieces::{Pieces, read_pieces};
pub use stamp::Stamp;
pub use stream::Stream;

/// Reports larger than this are refused: no real briefing comes close.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// Themes and points may nest this deep; deeper is certainly a mistake (or an attack).
pub const MAX_DEPTH: usize = 16;
/// The report compiled into the binary, shown when no file is given.
pub const BUILTIN: &str = include_str!("../../report.toml");

/// A whole briefing.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The report's title.
    pub title: String,
    /// An optional subtitle.
    pub subtitle: Option<String>,
    /// The kind of document, e.g. "Kennisnemen van".
    pub kind: Option<String>,
    /// Who wrote the underlying report.
    pub source: Option<String>,
    /// The report's date.
    pub date: Option<toml::value::Date>,
    /// The language of the report, which picks the UI's labels.
    pub language: Language,
    /// When the report was last brought up to date.
    pub updated: Option<Stamp>,
    /// When the next update is due; past it, the whole report is stale.
    pub next_update: Option<Stamp>,
    /// A classification shown on every screen: a TLP 2.0 label
    /// (`TLP:AMBER`) or free text ("Departementaal Vertrouwelijk").
    pub classification: Option<String>,
    /// The number of this version (sitrep 14).
    pub number: Option<u32>,
    /// Whether this is the first, an update or the final version.
    pub phase: Option<Phase>,
    /// The moment the picture is of ("per 14:00").
    pub as_of: Option<Stamp>,
    /// Who prepared this version.
    pub prepared_by: Option<String>,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// The themes, in reading order.
    pub themes: Vec<Theme>,
    /// What its text says that is allowed but may be a slip.
    pub notes: Notes,
}

/// Which version in a crisis's series of reports this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// The first report.
    Initial,
    /// An update.
    Update,
    /// The last report.
    Final,
}

impl Phase {
    /// Reads a phase written in any case; the error says what is allowed.
    pub fn parse(s: &str) -> Result<Phase, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "initial" => Ok(Phase::Initial),
            "update" => Ok(Phase::Update),
            "final" => Ok(Phase::Final),
            _ => Err(format!(
                "`phase` is \"initial\", \"update\" or \"final\", not \"{}\"",
                shorten(&text::inline(s), 40)
            )),
        }
    }
}

/// How far along an action is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TaskState {
    /// Agreed, not started.
    New,
    /// Being done.
    InProgress,
    /// Done.
    Done,
    /// Done and accepted by whoever asked for it.
    Accepted,
}

impl TaskState {
    /// Reads a state written in any case ("in progress", "in-progress" too).
    pub fn parse(s: &str) -> Result<TaskState, String> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '-'], "_")
            .as_str()
        {
            "new" => Ok(TaskState::New),
            "in_progress" => Ok(TaskState::InProgress),
            "done" => Ok(TaskState::Done),
            "accepted" => Ok(TaskState::Accepted),
            _ => Err(format!(
                "an action's `state` is \"new\", \"in_progress\", \"done\" or \"accepted\", not \"{}\"",
                shorten(&text::inline(s), 40)
            )),
        }
    }
}

/// The five labels of the Traffic Light Protocol 2.0, as it writes them.
pub const TLP_LABELS: [&str; 5] = [
    "TLP:CLEAR",
    "TLP:GREEN",
    "TLP:AMBER",
    "TLP:AMBER+STRICT",
    "TLP:RED",
];

/// Checks a classification: a TLP label must be written as TLP prescribes
/// (capitals, no space); anything else is free text.
pub fn check_classification(s: &str) -> Result<(), String> {
    let squashed: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let upper = squashed.to_ascii_uppercase();
    if !upper.starts_with("TLP") {
        return Ok(());
    }
    let wanted = TLP_LABELS
        .iter()
        .find(|l| l.replace([':', '+'], "") == upper.replace([':', '+'], ""));
    match wanted {
        Some(l) if *l == s => Ok(()),
        Some(l) => Err(format!(
            "a TLP label is written as TLP prescribes: `{l}`, not `{}`",
            shorten(s, 40)
        )),
        None => Err(format!(
            "`{}` is not a TLP 2.0 label; write one of {} (or free text without \"TLP\")",
            shorten(s, 40),
            TLP_LABELS.join(", ")
        )),
    }
}

/// One theme: a title, paragraphs, points, decisions, actions and sub-themes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Theme {
    /// The theme's title.
    pub title: String,
    /// Paragraphs, separated by blank lines.
    pub body: Option<String>,
    /// Bullet points.
    pub points: Vec<Point>,
    /// Decisions taken, shown as their own block.
    pub decisions: Vec<Decision>,
    /// Actions agreed, shown as their own block.
    pub actions: Vec<Task>,
    /// When the theme was last brought up to date.
    pub updated: Option<Stamp>,
    /// The theme's status.
    pub status: Option<Status>,
    /// Who keeps this theme current.
    pub owner: Option<String>,
    /// Where the facts come from.
    pub source: Option<String>,
    /// Sub-themes, listed beneath this one.
    pub themes: Vec<Theme>,
    /// Said to be unchanged since the previous version ("no change" is
    /// information, not silence).
    pub unchanged: bool,
}

/// A decision taken, and when.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Decision {
    /// What was decided.
    pub text: String,
    /// When.
    pub at: Option<Stamp>,
}

/// A bullet point, possibly with nested points.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Point {
    /// The point's text.
    pub text: String,
    /// Nested points.
    pub points: Vec<Point>,
    /// When the point was last updated.
    pub updated: Option<Stamp>,
    /// Who is responsible for it.
    pub owner: Option<String>,
    /// When it is due (for actions written as points).
    pub due: Option<Stamp>,
}

/// An agreed action: what, who, by when, and how far along.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Task {
    /// What is to be done.
    pub text: String,
    /// Who does it.
    pub owner: Option<String>,
    /// By when.
    pub due: Option<Stamp>,
    /// How far along it is, in free text (older reports; `state` is preferred).
    pub status: Option<String>,
    /// How far along it is.
    pub state: Option<TaskState>,
}

impl Task {
    /// Whether the action still needs doing: its state is new or in
    /// progress, or (without a state) its status is not a finished one.
    pub fn is_open(&self) -> bool {
        if let Some(state) = self.state {
            return matches!(state, TaskState::New | TaskState::InProgress);
        }
        let done = ["done", "closed", "klaar", "gereed", "afgerond", "gesloten"];
        self.status
            .as_deref()
            .is_none_or(|s| !done.contains(&s.trim().to_lowercase().as_str()))
    }
}

/// A theme's status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// New since the last version.
    New,
    /// Changed since the last version.
    Changed,
    /// Unchanged since the last version.
    Unchanged,
    /// No longer active.
    Closed,
    /// Anything else the author wrote.
    Other(Box<str>),
}

impl Status {
    /// What a note says of a status none of the known words.
    pub(crate) fn unknown(s: &str) -> String {
        format!(
            "status {:?} is none of new, changed, unchanged, closed, done; it is shown as written",
            shorten(s, 60)
        )
    }

    /// Reads a status as the loader does: the known words (and Dutch
    /// forms of closed) in any case, anything else as written.
    pub fn parse(s: &str) -> Status {
        match s.trim().to_lowercase().as_str() {
            "new" => Status::New,
            "changed" => Status::Changed,
            "unchanged" => Status::Unchanged,
            "closed" | "done" | "gesloten" | "afgerond" => Status::Closed,
            _ => Status::Other(s.into()),
        }
    }
}

/// The report's language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Language {
    /// Dutch.
    Nl,
    /// English.
    #[default]
    En,
}

impl<'de> Deserialize<'de> for Language {
    // Read in any case ("EN", "Nl"): the meaning is not in doubt.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match s.trim().to_ascii_lowercase().as_str() {
            "nl" => Ok(Language::Nl),
            "en" => Ok(Language::En),
            _ => Err(serde::de::Error::custom(format!(
                "`language` is \"nl\" or \"en\", not \"{}\"",
                shorten(&text::inline(&s), 40)
            ))),
        }
    }
}

impl Report {
    /// Parses and validates a report from TOML text; `origin` names the file in errors.
    pub fn from_toml(source: &str, origin: &Path) -> Result<Report, LoadError> {
        let mut themes = Vec::new();
        let mut report = Report::parse_with(source, origin, |_, theme| themes.push(theme))?;
        report.themes = themes;
        Ok(report)
    }

    /// Parses and validates a report, handing each top-level theme to `each`
    /// as soon as it is read (with the report's other fields), so a caller
    /// can prepare a large report without holding all of it twice. Returns
    /// the report without its themes.
    pub fn parse_with(
        source: &str,
        origin: &Path,
        each: impl FnMut(&Report, Theme),
    ) -> Result<Report, LoadError> {
        Report::parse_pieces(std::iter::once((source, None::<&[usize]>)), origin, each)
    }

    /// Like [`Report::parse_with`], for a text given in pieces as
    /// [`Pieces`] cuts it: the first up to the first `[[theme]]` header,
    /// each other at a line that starts with one. Each piece is dropped
    /// once its themes are handed on, so a reader of pieces never holds
    /// the whole text. A piece may come with where its `[[theme]]` headers
    /// start, as cutting it found them.
    pub fn parse_pieces<P: AsRef<str>, S: AsRef<[usize]>>(
        pieces: impl IntoIterator<Item = (P, Option<S>)>,
        origin: &Path,
        mut each: impl FnMut(&Report, Theme),
    ) -> Result<Report, LoadError> {
        let mut pieces = pieces.into_iter().peekable();
        let (first, first_starts) = pieces.next().unzip();
        let source = first.as_ref().map_or("", AsRef::as_ref);
        if pieces.peek().is_none()
            && source.lines().all(|l| {
                let l = l.trim();
                l.is_empty() || l.starts_with('#')
            })
        {
            return Err(LoadError::Empty {
                path: origin.to_owned(),
            });
        }
        // Each `[[theme]]` part is parsed on its own: the toml crate holds a
        // whole document's tokens at once, which for a 10 MB report is
        // several times the file. The parts are independent TOML documents,
        // because every key after a `[[theme]]` header belongs to that theme.
        let at = Piece {
            text: source,
            lines: 0,
        };
        let starts = known_or_found(source, first_starts.flatten());
        let header_end = starts.first().copied().unwrap_or(source.len());
        let header: raw::Report = at.parse(0..header_end, origin)?;
        let inline_too = header.has_inline_themes();
        if inline_too {
            // The first `[[theme]]`, in this piece or at the start of the next.
            let next = pieces.peek().map(|(p, _)| Piece {
                text: p.as_ref(),
                lines: at.newlines(),
            });
            let first = match (starts.first(), &next) {
                (Some(&first), _) => Some((&at, first)),
                (None, Some(next)) => theme_headers(next.text).first().map(|&s| (next, s)),
                (None, None) => None,
            };
            if let Some((piece, first)) = first {
                // One document would reject this as a key defined twice.
                return Err(piece.invalid(
                    origin,
                    first..first,
                    "themes are given both as `theme = [...]` and as [[theme]] tables; use [[theme]] only".into(),
                ));
            }
        }
        let (mut report, inline) =
            header.into_header(&|span, message| at.invalid(origin, span, message))?;
        let mut notes = std::mem::take(&mut report.notes);
        let mut count = inline.len();
        for theme in inline {
            each(&report, theme);
        }
        let mut themes = |at: &Piece<'_>, starts: &[usize]| -> Result<(), LoadError> {
            for (k, &start) in starts.iter().enumerate() {
                let end = starts.get(k + 1).copied().unwrap_or(at.text.len());
                let shifted = |span: Range<usize>, message: String| {
                    at.invalid(origin, span.start + start..span.end + start, message)
                };
                let part: raw::Themes = at.parse(start..end, origin)?;
                for theme in part.into_themes(&shifted, &mut notes)? {
                    count += 1;
                    each(&report, theme);
                }
            }
            Ok(())
        };
        themes(&at, &starts)?;
        let mut lines = at.newlines();
        let mut last = first;
        for (piece, starts) in pieces {
            let at = Piece {
                text: piece.as_ref(),
                lines,
            };
            themes(&at, &known_or_found(at.text, starts))?;
            lines = at.newlines();
            last = Some(piece);
        }
        if count == 0 {
            let at = Piece {
                text: last.as_ref().map_or("", AsRef::as_ref),
                lines: lines - last.as_ref().map_or(0, |p| newlines(p.as_ref())),
            };
            return Err(at.invalid(
                origin,
                at.text.len()..at.text.len(),
                "the report has no themes; add at least one [[theme]] with a title".into(),
            ));
        }
        report.notes = notes;
        Ok(report)
    }

    /// Parses and validates a report written in `format`.
    pub fn parse_as(source: &str, origin: &Path, format: Format) -> Result<Report, LoadError> {
        match format {
            Format::Toml => Report::from_toml(source, origin),
            Format::Markdown => Report::from_markdown(source, origin),
        }
    }

    /// Reads and validates the report at `path`, written in `format`.
    pub fn load_as(path: &Path, format: Format) -> Result<Report, LoadError> {
        let text = read_text(path, MAX_BYTES)?;
        Report::parse_as(&text, path, format)
    }

    /// Reads and validates the report at `path`.
    pub fn load(path: &Path) -> Result<Report, LoadError> {
        let text = read_text(path, MAX_BYTES)?;
        Report::from_toml(&text, path)
    }

    /// The report compiled into the binary.
    pub fn builtin() -> Report {
        // The built-in report is checked by a test; failing here is a build defect.
        Report::from_toml(BUILTIN, Path::new("(built-in report)"))
            .expect("the built-in report is valid")
    }
}

// Where the `[[theme]]` headers of `text` start: `known`, else looked for.
fn known_or_found<S: AsRef<[usize]>>(text: &str, known: Option<S>) -> Vec<usize> {
    known.map_or_else(|| theme_headers(text), |s| s.as_ref().to_vec())
}

/// Where the text of the first `themes` top-level themes ends in the start
/// of a report `source` (the header and those themes are a report of their
/// own): at the next `[[theme]]` header; `None` when `source` does not hold
/// that many whole.
pub fn first_themes_end(source: &str, themes: usize) -> Option<usize> {
    theme_headers(source).get(themes).copied()
}

// Where the `[[theme]]` headers start: at a line start (after blanks),
// outside strings and comments (`[[ theme ]]` counts too). The toml crate
// family's own lexer finds the tokens, so strings and comments are never
// mistaken for a header; it is an iterator, so the file's tokens are never
// held all at once.
pub(crate) fn theme_headers(source: &str) -> Vec<usize> {
    use toml_parser::lexer::TokenKind as T;
    // How far along `[[ theme ]]` the current line is.
    #[derive(Clone, Copy)]
    enum Seen {
        LineStart,
        Open(usize),
        OpenOpen(usize),
        Name(usize),
        NameClose(usize),
        Other,
    }
    let mut starts = Vec::new();
    let mut seen = Seen::LineStart;
    for token in toml_parser::Source::new(source).lex() {
        let span = token.span();
        seen = match (seen, token.kind()) {
            (_, T::Newline) => Seen::LineStart,
            (s @ (Seen::LineStart | Seen::OpenOpen(_) | Seen::Name(_)), T::Whitespace) => s,
            (Seen::LineStart, T::LeftSquareBracket) => Seen::Open(span.start()),
            (Seen::Open(at), T::LeftSquareBracket) => Seen::OpenOpen(at),
            (Seen::OpenOpen(at), T::Atom)
                if source.get(span.start()..span.end()) == Some("theme") =>
            {
                Seen::Name(at)
            }
            (Seen::Name(at), T::RightSquareBracket) => Seen::NameClose(at),
            (Seen::NameClose(at), T::RightSquareBracket) => {
                starts.push(at);
                Seen::Other
            }
            _ => Seen::Other,
        };
    }
    starts
}

/// `s` cut to at most `max_chars` characters, with an ellipsis when cut.
pub fn shorten(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests;
