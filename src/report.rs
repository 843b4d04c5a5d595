//! The report: its domain types and loading them from TOML.
//!
//! Knows nothing of the UI. Strict by design: an unknown key is an error,
//! because a silently ignored `titel` loses an author's text.

use std::io::Read;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use toml::Spanned;

use crate::error::{LoadError, Position};
use crate::text;

/// Reports larger than this are refused: no real briefing comes close.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// Themes and points may nest this deep; deeper is certainly a mistake (or an attack).
pub const MAX_DEPTH: usize = 16;
/// The report compiled into the binary, shown when no file is given.
pub const BUILTIN: &str = include_str!("../report.toml");

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
    /// The themes, in reading order.
    pub themes: Vec<Theme>,
}

/// One theme: a title, paragraphs, points and sub-themes.
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    /// The theme's title.
    pub title: String,
    /// Paragraphs, separated by blank lines.
    pub body: Option<String>,
    /// Bullet points.
    pub points: Vec<Point>,
    /// Sub-themes, listed beneath this one.
    pub themes: Vec<Theme>,
}

/// A bullet point, possibly with nested points.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// The point's text.
    pub text: String,
    /// Nested points.
    pub points: Vec<Point>,
}

/// The report's language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Dutch.
    Nl,
    /// English.
    #[default]
    En,
}

// The raw forms mirror the file; spans let validation errors point at the key.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReport {
    title: Spanned<String>,
    subtitle: Option<String>,
    kind: Option<String>,
    source: Option<String>,
    date: Option<Spanned<toml::value::Datetime>>,
    language: Option<Language>,
    #[serde(default)]
    theme: Vec<RawTheme>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    title: Spanned<String>,
    body: Option<String>,
    #[serde(default)]
    points: Vec<Spanned<Point>>,
    #[serde(default)]
    theme: Vec<RawTheme>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPoint {
    text: String,
    #[serde(default)]
    points: Vec<Point>,
}

// A point is either a plain string or a table; serde's untagged enums would
// hide the real error ("did not match any variant"), so visit both forms here.
impl<'de> Deserialize<'de> for Point {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PointVisitor;
        impl<'de> Visitor<'de> for PointVisitor {
            type Value = Point;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, or a table like { text = \"…\", points = [\"…\"] }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Point, E> {
                Ok(Point {
                    text: v.to_owned(),
                    points: Vec::new(),
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Point, A::Error> {
                let raw = RawPoint::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Point {
                    text: raw.text,
                    points: raw.points,
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<Point, A::Error> {
                Err(de::Error::custom(
                    "a point is a string or a table with `text`; to nest points use { text = \"…\", points = [\"…\"] }",
                ))
            }
        }
        deserializer.deserialize_any(PointVisitor)
    }
}

impl Report {
    /// Parses and validates a report from TOML text; `origin` names the file in errors.
    pub fn from_toml(source: &str, origin: &Path) -> Result<Report, LoadError> {
        let invalid = |span: Range<usize>, message: String| invalid(source, origin, span, message);
        if let Some(at) = nesting_too_deep(source) {
            return Err(invalid(
                at..at,
                format!("nested more than {MAX_DEPTH} levels deep; flatten the structure"),
            ));
        }
        let raw: RawReport = toml::from_str(source).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            invalid(span, explain(e.message()))
        })?;
        if raw.title.get_ref().trim().is_empty() {
            return Err(invalid(
                raw.title.span(),
                "the report's `title` is empty; give the report a title".into(),
            ));
        }
        let date = match raw.date {
            None => None,
            Some(d) => match (d.get_ref().date, d.get_ref().time) {
                (Some(date), None) => Some(date),
                _ => {
                    return Err(invalid(
                        d.span(),
                        "`date` must be a date without a time, like 2022-03-01".into(),
                    ));
                }
            },
        };
        if raw.theme.is_empty() {
            return Err(invalid(
                source.len()..source.len(),
                "the report has no themes; add at least one [[theme]] with a title".into(),
            ));
        }
        let themes = raw
            .theme
            .into_iter()
            .map(|t| theme(t, &invalid))
            .collect::<Result<_, _>>()?;
        Ok(Report {
            title: raw.title.into_inner(),
            subtitle: raw.subtitle,
            kind: raw.kind,
            source: raw.source,
            date,
            language: raw.language.unwrap_or_default(),
            themes,
        })
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

fn theme(
    raw: RawTheme,
    invalid: &impl Fn(Range<usize>, String) -> LoadError,
) -> Result<Theme, LoadError> {
    if raw.title.get_ref().trim().is_empty() {
        return Err(invalid(
            raw.title.span(),
            "a theme's `title` is empty; give every theme a title".into(),
        ));
    }
    let mut points = Vec::with_capacity(raw.points.len());
    for p in raw.points {
        let span = p.span();
        let point = p.into_inner();
        check_point(&point, &|| {
            invalid(span.clone(), "a point's `text` is empty".into())
        })?;
        points.push(point);
    }
    Ok(Theme {
        title: raw.title.into_inner(),
        body: raw.body,
        points,
        themes: raw
            .theme
            .into_iter()
            .map(|t| theme(t, invalid))
            .collect::<Result<_, _>>()?,
    })
}

fn check_point(point: &Point, empty: &impl Fn() -> LoadError) -> Result<(), LoadError> {
    if point.text.trim().is_empty() {
        return Err(empty());
    }
    point.points.iter().try_for_each(|p| check_point(p, empty))
}

fn invalid(source: &str, origin: &Path, span: Range<usize>, message: String) -> LoadError {
    let at = Position::of(source, span.start);
    let line = source[..span.start.min(source.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let excerpt = source.get(line..).and_then(|rest| rest.lines().next());
    LoadError::Invalid {
        path: origin.to_owned(),
        at,
        message: text::inline(&message),
        excerpt: excerpt.map(|l| shorten(&text::inline(l), 100)),
    }
}

// serde's messages say "field"; authors think in "keys".
fn explain(message: &str) -> String {
    let message = message.trim().replace("unknown field", "unknown key");
    let message = message.replace("missing field", "missing key");
    if message.starts_with("unknown key") {
        format!("{message}; keys are case-sensitive, check the spelling")
    } else {
        message
    }
}

fn shorten(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

// TOML nesting is parsed recursively, so a hostile file nested thousands deep
// could overflow the stack: reject it before the parser sees it.
fn nesting_too_deep(source: &str) -> Option<usize> {
    // Bracket depth outside strings and comments; a cheap over-approximation is
    // fine because any real report stays far below the limit.
    let limit = MAX_DEPTH * 2 + 4;
    let (mut depth, mut in_str, mut in_comment, mut quote) = (0usize, false, false, '"');
    let mut chars = source.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\n' => in_comment = false,
            _ if in_comment => {}
            '\\' if in_str && quote == '"' => {
                chars.next();
            }
            '"' | '\'' if in_str && c == quote => in_str = false,
            '"' | '\'' if !in_str => (in_str, quote) = (true, c),
            _ if in_str => {}
            '#' => in_comment = true,
            '[' | '{' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Reads a whole UTF-8 text file safely: a regular file (after symlinks), at
/// most `limit` bytes, read again if it changed while being read.
pub fn read_text(path: &Path, limit: u64) -> Result<String, LoadError> {
    let io = |e: std::io::Error| LoadError::Io {
        path: path.to_owned(),
        reason: describe_io(&e),
    };
    // Check the target (symlinks followed) before opening: opening a FIFO blocks.
    let meta = std::fs::metadata(path).map_err(io)?;
    check_kind(path, &meta, limit)?;
    // O_NONBLOCK closes the race where a FIFO replaces the file after the check.
    let file = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)
            .map_err(io)?
    };
    for _ in 0..3 {
        let before = file.metadata().map_err(io)?;
        check_kind(path, &before, limit)?;
        let mut bytes = Vec::with_capacity(before.len().min(limit) as usize);
        (&file)
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > limit {
            return Err(too_large(path, bytes.len() as u64, limit));
        }
        let after = file.metadata().map_err(io)?;
        let stable =
            after.len() == bytes.len() as u64 && after.modified().ok() == before.modified().ok();
        if stable {
            return String::from_utf8(bytes).map_err(|e| {
                let valid = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(&e.as_bytes()[..valid]);
                LoadError::NotUtf8 {
                    path: path.to_owned(),
                    at: Position::of(&text, valid),
                }
            });
        }
        use std::io::Seek;
        (&file).seek(std::io::SeekFrom::Start(0)).map_err(io)?;
    }
    Err(LoadError::Unstable {
        path: path.to_owned(),
    })
}

fn check_kind(path: &Path, meta: &std::fs::Metadata, limit: u64) -> Result<(), LoadError> {
    use std::os::unix::fs::FileTypeExt;
    let ft = meta.file_type();
    let what = if ft.is_file() {
        return if meta.len() > limit {
            Err(too_large(path, meta.len(), limit))
        } else {
            Ok(())
        };
    } else if ft.is_dir() {
        "a directory"
    } else if ft.is_fifo() {
        "a named pipe (FIFO)"
    } else if ft.is_socket() {
        "a socket"
    } else if ft.is_char_device() || ft.is_block_device() {
        "a device"
    } else {
        "not a regular file"
    };
    Err(LoadError::NotAFile {
        path: path.to_owned(),
        what,
    })
}

fn too_large(path: &Path, size: u64, limit: u64) -> LoadError {
    LoadError::TooLarge {
        path: path.to_owned(),
        size,
        limit,
    }
}

fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file; check the path".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            // Drop the "(os error N)" suffix: it means nothing to an author.
            let s = e.to_string();
            s.split(" (os error").next().unwrap_or(&s).to_owned()
        }
    }
}

#[cfg(test)]
mod tests;
