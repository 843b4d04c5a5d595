//! The report: its domain types and loading them from TOML (or Markdown,
//! `markdown`).
//!
//! Knows nothing of the UI. Strict by design: an unknown key is an error,
//! because a silently ignored `titel` loses an author's text.

mod file;
mod format;
pub mod markdown;
mod pieces;
mod raw;
pub mod stamp;

use std::ops::Range;
use std::path::Path;

use serde::Deserialize;

use crate::error::{LoadError, Location};
use crate::text;

pub use file::{describe_io, fingerprint, read_text};
pub use format::Format;
pub use pieces::{Pieces, read_pieces};
pub use stamp::Stamp;

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
    /// Reads a status as the loader does: the five known words (and their
    /// Dutch forms) in any case, anything else as written.
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
        let (report, inline) =
            header.into_header(&|span, message| at.invalid(origin, span, message))?;
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
                for theme in part.into_themes(&shifted)? {
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

// A piece of a report's text (or all of it), with how many lines come before it.
struct Piece<'s> {
    text: &'s str,
    lines: usize,
}

impl Piece<'_> {
    // What is wrong at `span` of this piece, with its line in the file.
    fn invalid(&self, origin: &Path, span: Range<usize>, message: String) -> LoadError {
        let source = self.text;
        let mut at = Location::of(source, span.start);
        at.line += self.lines;
        let line = source[..span.start.min(source.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let excerpt = source.get(line..).and_then(|rest| rest.lines().next());
        LoadError::Invalid {
            path: origin.to_owned(),
            at,
            // serde quotes offending values whole: a 1 MB string must not flood the screen.
            message: shorten(&text::inline(&message), 300),
            excerpt: excerpt.map(|l| shorten(&text::inline(l), 100)),
        }
    }

    // Parses the part `range` of this piece.
    fn parse<T: serde::de::DeserializeOwned>(
        &self,
        range: Range<usize>,
        origin: &Path,
    ) -> Result<T, LoadError> {
        let (part, offset) = (&self.text[range.clone()], range.start);
        toml::from_str(part).map_err(|e| {
            let span = e
                .span()
                .or_else(|| {
                    let at = deep_key(part).filter(|_| past_parser_depth(e.message()))?;
                    Some(at..at)
                })
                .unwrap_or(0..0);
            // Only on an error: counting lines for every part would be quadratic.
            let line_base = self.lines + Location::of(self.text, offset).line - 1;
            self.invalid(
                origin,
                span.start + offset..span.end + offset,
                explain(e.message(), part, span.start, line_base),
            )
        })
    }

    // The lines before the next piece.
    fn newlines(&self) -> usize {
        self.lines + newlines(self.text)
    }
}

fn newlines(s: &str) -> usize {
    memchr::memchr_iter(b'\n', s.as_bytes()).count()
}

// serde's messages say "field"; authors think in "keys". Common slips get a
// hint, from the message and the line it points at (`part`: the text the
// parser saw, `at`: where in it).
fn explain(message: &str, part: &str, at: usize, line_base: usize) -> String {
    let line_start = part[..at.min(part.len())].rfind('\n').map_or(0, |i| i + 1);
    let line = part[line_start..].lines().next().unwrap_or("").trim();
    if message.contains("expected a sequence")
        && let Some(hint) = sequence_hint(message, line)
    {
        return hint;
    }
    if message.trim() == "duplicate key" {
        return duplicate_key(part, line_start, line, line_base);
    }
    explain_message(message)
}

// Something was given where a list belongs.
fn sequence_hint(message: &str, line: &str) -> Option<String> {
    let header = line.trim_start_matches('[').trim_end_matches(']').trim();
    if line.starts_with("[[") && header.starts_with("theme.") {
        return Some(format!(
            "{line} is a sub-theme before any theme: a sub-theme comes after its [[theme]]; write [[theme]] with a title above it"
        ));
    }
    if line.starts_with('[')
        && !line.starts_with("[[")
        && (header == "theme" || header.starts_with("theme."))
    {
        return Some(format!(
            "{line} makes one table, but themes are a list: write [[theme]] (two brackets) before each theme"
        ));
    }
    let (key, value) = line.split_once('=')?;
    let (key, value) = (key.trim(), value.trim());
    if message.contains("invalid type") && !key.is_empty() {
        return Some(format!(
            "`{key}` is a list: write it in brackets, like {key} = [{}]",
            shorten(value, 60)
        ));
    }
    None
}

// A key set twice: say which, and where it was first set (in the same table).
fn duplicate_key(part: &str, line_start: usize, line: &str, line_base: usize) -> String {
    let key = line.split('=').next().unwrap_or("").trim();
    let before: Vec<&str> = part[..line_start].lines().collect();
    let mut first = None;
    for (n, l) in before.iter().enumerate().rev() {
        let l = l.trim();
        if l.starts_with('[') {
            break;
        }
        if l.split('=').next().is_some_and(|k| k.trim() == key) {
            first = Some(line_base + n + 1);
        }
    }
    match (key.is_empty(), first) {
        (false, Some(n)) => {
            format!("duplicate key `{key}`: it was first set on line {n}; keep one of them")
        }
        (false, None) => format!("duplicate key `{key}`: it is set twice; keep one of them"),
        _ => "duplicate key: a key is set twice; keep one of them".into(),
    }
}

fn explain_message(message: &str) -> String {
    if past_parser_depth(message) {
        return format!("nested more than {MAX_DEPTH} levels deep; flatten the structure");
    }
    let message = message.trim().replace("unknown field", "unknown key");
    let mut message = message.replace("missing field", "missing key");
    if message.starts_with("unknown key") {
        message.push_str("; keys are case-sensitive, check the spelling");
        let report_keys = [
            "`subtitle`",
            "`kind`",
            "`date`",
            "`language`",
            "`next_update`",
            "`classification`",
        ];
        let in_theme = message.contains("`body`");
        if in_theme
            && report_keys
                .iter()
                .any(|k| message.starts_with(&format!("unknown key {k}")))
        {
            message.push_str(" (keys of the report go above the first [[theme]])");
        }
    } else if message.contains("expected i64") || message.contains("expected u32") {
        message = format!("{message}; a whole number is written without quotes, like 14");
        message = message.replace("expected i64", "expected a whole number");
    } else if message.contains("expected a boolean") {
        message.push_str("; write true or false, without quotes");
    } else if message.contains("expected a TOML datetime") {
        message.push_str("; write dates without quotes, like 2024-04-15 or 2024-04-15T14:30:00");
    }
    message
}

/// Where the text of the first `themes` top-level themes ends in the start
/// of a report `source` (the header and those themes are a report of their
/// own): at the next `[[theme]]` header; `None` when `source` does not hold
/// that many whole.
pub fn first_themes_end(source: &str, themes: usize) -> Option<usize> {
    theme_headers(source).get(themes).copied()
}

// Whether the toml parser refused to go deeper: it stops at its own limit
// (80 levels of arrays, inline tables or dotted keys), far beyond ours,
// which validation checks, so a hostile file cannot overflow the stack.
fn past_parser_depth(message: &str) -> bool {
    message.contains("max recursion depth") || message.trim() == "recursion limit"
}

// Where a dotted key first has more than MAX_DEPTH parts: the start of the
// part past the limit. The toml parser's limit on key paths comes without a
// position; only asked once the parser has refused the file.
fn deep_key(part: &str) -> Option<usize> {
    use toml_parser::lexer::TokenKind as T;
    let mut dots = 0;
    for token in toml_parser::Source::new(part).lex() {
        match token.kind() {
            T::Dot => dots += 1,
            T::Whitespace => {}
            T::Atom | T::BasicString | T::LiteralString if dots >= MAX_DEPTH => {
                return Some(token.span().start());
            }
            T::Atom | T::BasicString | T::LiteralString => {}
            _ => dots = 0,
        }
    }
    None
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
