//! A version's header fields (number, phase, as_of), read cheaply from the
//! top of a TOML report: only the keys before the first table, never the
//! themes, so recording a 10 MB report does not parse it again.

use super::Header;
use crate::report::{Phase, stamp};

/// Tops longer than this are not parsed (only reports with all their themes
/// inline have one): the header fields are then unknown, which is allowed.
const TOP_LIMIT: usize = 1024 * 1024;

/// Whole reports up to this size are parsed when their top alone does not
/// parse (a line inside a multi-line string that starts with `[`).
const WHOLE_LIMIT: usize = 256 * 1024;

impl Header {
    /// What the header of TOML `source` says; fields it does not give, or
    /// gives wrongly, are `None` (the loader reports those errors, not this).
    pub fn of_toml(source: &str) -> Header {
        let top = &source[..top_end(source)];
        let table = (top.len() <= TOP_LIMIT)
            .then(|| top.parse::<toml::Table>().ok())
            .flatten()
            .or_else(|| {
                (source.len() <= WHOLE_LIMIT)
                    .then(|| source.parse::<toml::Table>().ok())
                    .flatten()
            });
        let Some(table) = table else {
            return Header::default();
        };
        Header {
            number: table
                .get("number")
                .and_then(toml::Value::as_integer)
                .and_then(|n| u32::try_from(n).ok()),
            phase: table
                .get("phase")
                .and_then(toml::Value::as_str)
                .and_then(|s| Phase::parse(s).ok()),
            as_of: table
                .get("as_of")
                .and_then(toml::Value::as_datetime)
                .and_then(|d| stamp::from_toml(d).ok())
                .map(|s| s.unix),
        }
    }
}

// Where the first line that starts a table (`[[theme]]`, `[x]`) begins: the
// report's own keys all come before it.
fn top_end(source: &str) -> usize {
    let mut at = 0;
    for line in source.split_inclusive('\n') {
        if line.trim_start().starts_with('[') {
            return at;
        }
        at += line.len();
    }
    source.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_read_from_the_top_only() {
        let source = "title = \"Sitrep\"\nnumber = 14\nphase = \"Update\"\n\
                      as_of = 2026-11-27T14:00:00+01:00\n\n[[theme]]\ntitle = \"A\"\n";
        let h = Header::of_toml(source);
        assert_eq!(h.number, Some(14));
        assert_eq!(h.phase, Some(Phase::Update));
        assert_eq!(h.as_of, Some(1_795_784_400));
        // A broken theme does not matter: only the top is read.
        let broken = format!("{source}[[theme]]\ntitle = \n");
        assert_eq!(Header::of_toml(&broken), h);
    }

    #[test]
    fn wrong_or_missing_fields_are_unknown_not_errors() {
        let h = Header::of_toml("title = \"x\"\nnumber = -3\nphase = \"later\"\n[[theme]]\n");
        assert_eq!(h, Header::default());
        assert_eq!(Header::of_toml("not toml at all ["), Header::default());
        assert_eq!(Header::of_toml(""), Header::default());
    }

    #[test]
    fn a_bracket_line_inside_a_string_falls_back_to_the_whole_report() {
        let source =
            "subtitle = \"\"\"\n[not a table]\n\"\"\"\nnumber = 3\n[[theme]]\ntitle = \"A\"\n";
        assert_eq!(Header::of_toml(source).number, Some(3));
    }

    #[test]
    fn the_bundled_report_has_no_version_fields() {
        assert_eq!(
            Header::of_toml(crate::report::BUILTIN),
            Header::default(),
            "if the bundled report gains a number, assert it here"
        );
    }
}
