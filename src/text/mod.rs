//! Turning untrusted report text into something safe and pleasant to show in a
//! terminal: sanitising, whitespace collapsing, width measurement and
//! wrapping with hyphenation.
//!
//! Widths are measured exactly as ratatui draws, so that a wrapped line never
//! gets clipped or leaves stray cells behind.

pub mod ascii;
mod escape;
pub mod hyphenate;
pub mod wrap;

use std::borrow::Cow;

use ratatui::buffer::CellWidth;
use unicode_segmentation::UnicodeSegmentation;

/// Report text made safe for a terminal.
///
/// The report is untrusted and is shown in people's terminals (often over
/// SSH), where an escape sequence could retitle the window, write the
/// clipboard (OSC 52) or clear the screen, and bidi controls could make text
/// read differently from what it is. So:
/// - every escape sequence (CSI, OSC, DCS/SOS/PM/APC strings, two-byte and
///   nF escapes, or a lone ESC) is replaced by one U+FFFD, so the reader can
///   see that something was there; an unterminated string sequence loses
///   only its introducer, so a stray `ESC ]` cannot hide the rest of a report;
/// - `"\r\n"` and a lone `'\r'` become `'\n'`, a tab becomes one space;
/// - every other C0 control except `'\n'` (including VT and FF), DEL, the C1
///   controls U+0080–U+009F (so an 8-bit CSI U+009B cannot start a sequence)
///   and the bidi controls U+061C, U+200E, U+200F, U+202A–U+202E and
///   U+2066–U+2069 become U+FFFD;
/// - soft hyphens U+00AD are removed: they are invisible and the wrapper
///   hyphenates by itself.
///
/// Clean text, by far the common case, is returned borrowed after a single
/// scan, because whole (multi-megabyte) reports are sanitised at load.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    escape::sanitize(s)
}

/// A path as it may appear in a one-line message: control and bidi
/// characters, backslashes and bytes that are not UTF-8 are written as
/// escapes (`\n`, `\u{202e}`, `\\`, `\xff`), as `ls -b` does, so a file name
/// can neither start a new line of output nor act on a terminal.
pub fn shown_path(path: &std::path::Path) -> String {
    use std::fmt::Write;
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for chunk in path.as_os_str().as_bytes().utf8_chunks() {
        for c in chunk.valid().chars() {
            let bidi = is_bidi_control(c);
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c.is_control() || bidi => {
                    let _ = write!(out, "\\u{{{:x}}}", c as u32);
                }
                c => out.push(c),
            }
        }
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    out
}

/// Whether `c` is one of the bidi controls [`sanitize`] makes visible:
/// they can make text read differently from what it is.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{61C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// One line of text (title, point, metadata): sanitised, all whitespace runs (incl. newlines) collapsed to one ASCII space, trimmed.
///
/// Whitespace is what may be broken at: ASCII space, tab, LF, CR, VT, FF,
/// U+1680, U+2000–U+2006, U+2008–U+200A, U+205F, U+3000, U+2028 and U+2029.
/// The no-break spaces (U+00A0, U+2007, U+202F, U+2060) stay inside words, so
/// "10 km" written with one stays together, and U+200B stays as a zero-width
/// char. (VT and FF are already U+FFFD by then: [`sanitize`] replaces them.)
pub fn inline(s: &str) -> String {
    let clean = sanitize(s);
    let mut out = String::with_capacity(clean.len());
    push_collapsed(&mut out, &clean);
    out
}

/// A body split into paragraphs at blank lines (a line that is empty or only whitespace); each paragraph sanitised and collapsed like `inline`; empty paragraphs dropped.
pub fn paragraphs(s: &str) -> Vec<String> {
    let clean = sanitize(s);
    let mut paras = Vec::new();
    let mut current = String::new();
    // Sanitising has already turned every CR into LF, so LF is the only line end.
    for line in clean.split('\n') {
        if line.chars().all(is_breaking_space) {
            if !current.is_empty() {
                paras.push(std::mem::take(&mut current));
            }
        } else {
            push_collapsed(&mut current, line);
        }
    }
    if !current.is_empty() {
        paras.push(current);
    }
    paras
}

/// Display width in terminal cells, computed exactly as ratatui's Buffer::set_stringn does (graphemes, skip ones containing control chars and zero-width ones, `ratatui::buffer::CellWidth::cell_width`).
///
/// Counting per char instead (as `textwrap` and `unicode-width` on a whole
/// string may) disagrees for emoji ZWJ sequences, halfwidth sound marks and
/// the like, and then lines overflow or come out short.
pub fn display_width(s: &str) -> usize {
    if s.is_ascii() {
        // Each ASCII char is its own grapheme (bar CRLF, a control anyway)
        // and ratatui gives every non-control one width 1.
        return s.bytes().filter(|b| !b.is_ascii_control()).count();
    }
    s.graphemes(true).map(grapheme_width).sum()
}

/// Width of one grapheme cluster as ratatui draws it: 0 for the ones it skips.
pub(crate) fn grapheme_width(g: &str) -> usize {
    if g.contains(char::is_control) {
        0
    } else {
        usize::from(g.cell_width())
    }
}

/// Whether `c` is whitespace that may be collapsed and broken at (see
/// [`inline`] for the list and what is deliberately left out).
pub(crate) fn is_breaking_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '\n'
            | '\r'
            | '\x0b'
            | '\x0c'
            | '\u{1680}'
            | '\u{2000}'..='\u{2006}'
            | '\u{2008}'..='\u{200A}'
            | '\u{205F}'
            | '\u{3000}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Appends the words of `s` to `out`, one ASCII space between words and one
/// before the first if `out` already holds text.
fn push_collapsed(out: &mut String, s: &str) {
    for word in s.split(is_breaking_space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_path_is_shown_on_one_line_and_inert() {
        use std::os::unix::ffi::OsStrExt;
        let p = std::path::Path::new(std::ffi::OsStr::from_bytes(
            b"a\nb\x1b]0;x\x07\\c\xffd\xe2\x80\xaee.toml",
        ));
        assert_eq!(
            super::shown_path(p),
            "a\\nb\\u{1b}]0;x\\u{7}\\\\c\\xffd\\u{202e}e.toml"
        );
    }

    use super::*;
    use proptest::prelude::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;

    #[test]
    fn inline_collapses_and_trims() {
        assert_eq!(
            inline("  Een\t titel\r\n over\u{3000}iets \u{2028} "),
            "Een titel over iets"
        );
        assert_eq!(inline(" \n\t "), "");
    }

    #[test]
    fn inline_keeps_no_break_spaces_and_zero_width_space() {
        assert_eq!(
            inline("10\u{A0}km en 5\u{202F}%"),
            "10\u{A0}km en 5\u{202F}%"
        );
        assert_eq!(inline("a\u{200B}b \u{2060}c"), "a\u{200B}b \u{2060}c");
    }

    #[test]
    fn inline_sanitises() {
        assert_eq!(inline("a\x1b[2J  b"), "a\u{FFFD} b");
    }

    #[test]
    fn paragraphs_split_at_blank_lines() {
        let body = "\n\nEerste regel\nloopt door.\n \t\nTweede\r\n\r\nDerde \x1b[1m!\n\n\n";
        assert_eq!(
            paragraphs(body),
            vec!["Eerste regel loopt door.", "Tweede", "Derde \u{FFFD}!"]
        );
        assert!(paragraphs(" \n\n\t\n").is_empty());
    }

    #[test]
    fn display_width_examples() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("a\nb"), 2);
        assert_eq!(display_width("日本"), 4);
        assert_eq!(display_width("e\u{301}"), 1);
        assert_eq!(display_width("a\u{200B}b"), 2);
        // Family emoji: one grapheme of width 2 (textwrap would say 6 or more).
        assert_eq!(display_width("👨\u{200D}👩\u{200D}👧"), 2);
    }

    /// What ratatui actually does with `s`: the x it ends at after drawing.
    fn drawn_width(s: &str) -> usize {
        let mut buf = Buffer::empty(Rect::new(0, 0, 200, 1));
        let (x, _) = buf.set_stringn(0, 0, s, 200, ratatui::style::Style::default());
        usize::from(x)
    }

    proptest! {
        #[test]
        fn display_width_matches_ratatui(chars in prop::collection::vec(any::<char>(), 0..30)) {
            let s: String = chars.into_iter().collect();
            prop_assert_eq!(display_width(&s), drawn_width(&s));
        }

        #[test]
        fn display_width_matches_ratatui_on_tricky_chars(
            // ASCII runs (and CR LF) around prefixes, marks and joiners.
            s in "[ab \r\n\u{301}\u{200D}\u{FE0F}\u{FF9E}\u{1F468}\u{1F1F3}\u{1F1F1}\u{600}\u{1100}\u{1161}日]{0,24}"
        ) {
            prop_assert_eq!(display_width(&s), drawn_width(&s));
        }

        #[test]
        fn inline_output_is_collapsed(s in any::<String>()) {
            let out = inline(&s);
            prop_assert!(!out.starts_with(' ') && !out.ends_with(' ') && !out.contains("  "));
            prop_assert!(!out.chars().any(|c| c != ' ' && is_breaking_space(c)));
        }

        #[test]
        fn paragraphs_are_non_empty_and_collapsed(s in "[a \n\t\r\u{3000}]{0,40}") {
            for p in paragraphs(&s) {
                prop_assert!(!p.is_empty() && !p.starts_with(' ') && !p.ends_with(' '));
                prop_assert!(!p.contains('\n') && !p.contains("  "));
            }
        }
    }
}
