//! A part of a report's text parsed on its own, and what its errors say:
//! the file's line and column (a part knows how many lines come before
//! it), the offending line, and a hint for the common slips.

use std::ops::Range;
use std::path::Path;

use super::{MAX_DEPTH, shorten};
use crate::error::{LoadError, Location};
use crate::text;

// A piece of a report's text (or all of it), with how many lines come before it.
pub(super) struct Piece<'s> {
    pub(super) text: &'s str,
    pub(super) lines: usize,
}

impl Piece<'_> {
    // What is wrong at `span` of this piece, with its line in the file.
    pub(super) fn invalid(&self, origin: &Path, span: Range<usize>, message: String) -> LoadError {
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
    pub(super) fn parse<T: serde::de::DeserializeOwned>(
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
    pub(super) fn newlines(&self) -> usize {
        self.lines + newlines(self.text)
    }
}

pub(super) fn newlines(s: &str) -> usize {
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
