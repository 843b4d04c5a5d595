//! The sanitiser behind [`super::sanitize`].
//!
//! Escape sequences are recognised by a small scanner modelled on the DEC/VT500
//! parser that `vte` (and so `strip-ansi-escapes`) implements, instead of by
//! those crates themselves: `strip-ansi-escapes` silently drops tabs, carriage
//! returns and every other control it meets and cannot tell where a sequence
//! was, so it cannot leave the U+FFFD marker we want, and `vte` is not a direct
//! dependency of the crate. A differential test keeps the two in agreement on
//! well-formed sequences.
//!
//! Working on `&str` rather than bytes means the output is valid UTF-8 by
//! construction and no `from_utf8` round trip is needed.

use std::borrow::Cow;

const ESC: u8 = 0x1B;
const REPLACEMENT: char = '\u{FFFD}';
/// Combining marks (and other characters that extend the one before them
/// into one grapheme) kept in a row: real text needs a handful; a run of
/// thousands on one letter would cost kilobytes per cell and per redraw.
pub(super) const MAX_EXTENDERS: usize = 16;

/// What to do with the character at some position.
enum Fix {
    /// Replace `len` bytes (an escape sequence or a forbidden char) by one U+FFFD.
    Replace(usize),
    /// Replace `len` bytes by this char (CR, CRLF, tab).
    Substitute(usize, char),
    /// Drop `len` bytes (soft hyphen, the marks of a run past the cap).
    Drop(usize),
}

/// What the scanner found at a position.
enum Scan {
    /// Work to do here.
    Fix(Fix),
    /// Nothing to do for this many bytes (a run of extenders within the cap).
    Skip(usize),
    /// Keep `keep` bytes of a run of extenders, drop the `drop` after them.
    Trim {
        /// Bytes kept: the run up to the cap.
        keep: usize,
        /// Bytes dropped: the rest of the run.
        drop: usize,
    },
    /// Nothing to do here.
    Clean,
}

impl Fix {
    /// Writes the replacement to `out`; returns how many input bytes it covers.
    fn apply(self, out: &mut String) -> usize {
        match self {
            Fix::Replace(len) => {
                out.push(REPLACEMENT);
                len
            }
            Fix::Substitute(len, c) => {
                out.push(c);
                len
            }
            Fix::Drop(len) => len,
        }
    }
}

/// Sanitise `s`; see [`super::sanitize`] for the rules.
pub(super) fn sanitize(s: &str) -> Cow<'_, str> {
    let bytes = s.as_bytes();
    // The common case is a clean report, so find the first byte needing work
    // before allocating anything.
    let mut pending = next_fix(bytes, 0);
    if pending.is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    // Copy clean runs in bulk: pushing char by char would dominate the cost.
    let mut clean_from = 0;
    while let Some((at, fix)) = pending {
        out.push_str(&s[clean_from..at]);
        clean_from = at + fix.apply(&mut out);
        pending = next_fix(bytes, clean_from);
    }
    out.push_str(&s[clean_from..]);
    Cow::Owned(out)
}

/// The first position at or after `from` needing work, and the work.
fn next_fix(b: &[u8], mut from: usize) -> Option<(usize, Fix)> {
    loop {
        // A tight scan for bytes that might need work keeps a clean 10 MB
        // report in the low milliseconds; only the lead bytes of the few
        // non-ASCII chars we touch are candidates.
        let at = from
            + b.get(from..)?
                .iter()
                .position(|&c| !matches!(c, b'\n' | 0x20..=0x7E) && !(0x80..0xC2).contains(&c))?;
        match scan_at(b, at) {
            Scan::Fix(fix) => return Some((at, fix)),
            Scan::Skip(len) => from = at + len.max(1),
            Scan::Trim { keep, drop } => return Some((at + keep, Fix::Drop(drop))),
            Scan::Clean => from = at + 1,
        }
    }
}

/// What to do at byte `i` (a lead byte): a fix, or a run of extenders to
/// keep or cut.
#[inline]
fn scan_at(b: &[u8], i: usize) -> Scan {
    if let Some(fix) = fix_at(b, i) {
        return Scan::Fix(fix);
    }
    if b[i] < 0xC2 {
        return Scan::Clean;
    }
    // Extenders: count the run and cut it at the cap.
    let mut at = i;
    let mut kept = i;
    let mut count = 0;
    let mut joined = false;
    // After a zero-width joiner, the next character is joined on as well;
    // never an ASCII one or one the sanitiser must replace.
    while let Some(c) = char_at(b, at)
        .filter(|&c| !c.is_ascii() && (joined || extends(c)) && fix_at(b, at).is_none())
    {
        joined = c == '\u{200D}';
        at += c.len_utf8();
        count += 1;
        if count == MAX_EXTENDERS {
            kept = at;
        }
    }
    match count {
        0 => Scan::Clean,
        n if n > MAX_EXTENDERS => Scan::Trim {
            keep: kept - i,
            drop: at - kept,
        },
        _ => Scan::Skip(at - i),
    }
}

// The char starting at byte `i`, if `i` starts one.
fn char_at(b: &[u8], i: usize) -> Option<char> {
    let len = match *b.get(i)? {
        0x00..=0x7F => 1,
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    std::str::from_utf8(b.get(i..i + len)?).ok()?.chars().next()
}

/// Whether `c` joins the character before it into one grapheme and may be
/// repeated without end: combining marks, joiners, variation selectors,
/// emoji modifiers and tags, and Hangul jamo (which form syllables of any
/// length).
fn extends(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
        || matches!(c,
            '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}'
            | '\u{E0020}'..='\u{E007F}' | '\u{E0100}'..='\u{E01EF}'
            | '\u{1100}'..='\u{11FF}' | '\u{A960}'..='\u{A97F}' | '\u{D7B0}'..='\u{D7FF}')
}

/// The fix needed at byte `i`, if any. `i` need not be a char boundary: a
/// continuation byte never needs work, and every returned length ends on a
/// char boundary because it covers whole chars.
#[inline]
fn fix_at(b: &[u8], i: usize) -> Option<Fix> {
    let next = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match b[i] {
        b'\n' | 0x20..=0x7E => None,
        ESC => Some(Fix::Replace(sequence_len(&b[i..]))),
        b'\r' if next(1) == b'\n' => Some(Fix::Substitute(2, '\n')),
        b'\r' => Some(Fix::Substitute(1, '\n')),
        b'\t' => Some(Fix::Substitute(1, ' ')),
        0x00..=0x1F | 0x7F => Some(Fix::Replace(1)),
        // U+0080–U+009F (C1 controls, among them the 8-bit CSI U+009B).
        0xC2 if (0x80..=0x9F).contains(&next(1)) => Some(Fix::Replace(2)),
        // U+00AD soft hyphen: invisible, and wrapping hyphenates by itself.
        0xC2 if next(1) == 0xAD => Some(Fix::Drop(2)),
        // U+061C Arabic letter mark.
        0xD8 if next(1) == 0x9C => Some(Fix::Replace(2)),
        // U+200E/U+200F marks and U+202A–U+202E embeddings/overrides.
        0xE2 if next(1) == 0x80 && matches!(next(2), 0x8E | 0x8F | 0xAA..=0xAE) => {
            Some(Fix::Replace(3))
        }
        // U+2066–U+2069 isolates.
        0xE2 if next(1) == 0x81 && (0xA6..=0xA9).contains(&next(2)) => Some(Fix::Replace(3)),
        _ => None,
    }
}

/// Length in bytes of the escape sequence at the start of `b` (which starts
/// with ESC). Always at least 1, and always a char boundary: only ASCII bytes
/// are consumed before the end, except inside a terminated string sequence.
///
/// A malformed sequence ends just before the byte that broke it, which is
/// then treated as ordinary text; with its ESC gone it can no longer act.
fn sequence_len(b: &[u8]) -> usize {
    let at = |i: usize| b.get(i).copied();
    match at(1) {
        Some(b'[') => {
            // CSI: parameter bytes, intermediate bytes, one final byte.
            let mut i = 2;
            while matches!(at(i), Some(0x30..=0x3F)) {
                i += 1;
            }
            while matches!(at(i), Some(0x20..=0x2F)) {
                i += 1;
            }
            if matches!(at(i), Some(0x40..=0x7E)) {
                i + 1
            } else {
                i
            }
        }
        // OSC, DCS, SOS, PM, APC: strings running until a terminator.
        Some(b']' | b'P' | b'X' | b'^' | b'_') => string_len(b),
        Some(0x20..=0x2F) => {
            // nF sequences such as `ESC ( B` (designate a character set).
            let mut i = 2;
            while matches!(at(i), Some(0x20..=0x2F)) {
                i += 1;
            }
            if matches!(at(i), Some(0x30..=0x7E)) {
                i + 1
            } else {
                i
            }
        }
        // Two-byte sequences such as `ESC c` (reset) or `ESC 7`.
        Some(0x30..=0x7E) => 2,
        // A lone ESC (at the end, or before a control or non-ASCII char).
        _ => 1,
    }
}

/// Length of a string sequence (OSC/DCS/SOS/PM/APC) including its terminator:
/// BEL, CAN, SUB, ST (`ESC \` or U+009C), or any other ESC, which ends the
/// string and starts a sequence of its own, as in `vte`. Unlike `vte`, BEL
/// ends DCS/SOS/PM/APC strings too: once the ESC is gone nothing after it
/// can act, so ending early only means showing more text.
///
/// An unterminated string removes only its two-byte introducer: a terminal
/// would swallow the rest of the report, but hiding it from the reader helps
/// nobody and the remainder is inert once the ESC is gone. This cannot turn
/// quadratic: a failed search means no ESC follows, so no other string
/// sequence can start later.
fn string_len(b: &[u8]) -> usize {
    let mut i = 2;
    while i < b.len() {
        match b[i] {
            0x07 | 0x18 | 0x1A => return i + 1,
            ESC if b.get(i + 1) == Some(&b'\\') => return i + 2,
            ESC => return i,
            0xC2 if b.get(i + 1) == Some(&0x9C) => return i + 2,
            _ => i += 1,
        }
    }
    2
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn owned(s: &str) -> String {
        sanitize(s).into_owned()
    }

    #[test]
    fn osc_52_clipboard_write_is_removed() {
        assert_eq!(owned("a\x1b]52;c;ZXZpbA==\x07b"), "a\u{FFFD}b");
    }

    #[test]
    fn osc_0_title_with_bel_and_with_st() {
        assert_eq!(owned("x\x1b]0;pwned\x07y"), "x\u{FFFD}y");
        assert_eq!(owned("x\x1b]0;pwned\x1b\\y"), "x\u{FFFD}y");
        assert_eq!(owned("x\x1b]0;pwned\u{9c}y"), "x\u{FFFD}y");
    }

    #[test]
    fn csi_sequences_are_removed_whole() {
        assert_eq!(owned("a\x1b[2Jb"), "a\u{FFFD}b");
        assert_eq!(owned("a\x1b[?1049lb"), "a\u{FFFD}b");
        assert_eq!(
            owned("\x1b[1;31mred\x1b[0m \x1b[38;5;208mx\x1b[m"),
            "\u{FFFD}red\u{FFFD} \u{FFFD}x\u{FFFD}"
        );
    }

    #[test]
    fn other_escape_forms() {
        assert_eq!(owned("a\x1bcb"), "a\u{FFFD}b");
        assert_eq!(owned("a\x1b(Bb"), "a\u{FFFD}b");
        assert_eq!(owned("a\x1bPq#0;2;0;0;0\x1b\\b"), "a\u{FFFD}b");
        assert_eq!(owned("a\x1b_apc\x1b\\b"), "a\u{FFFD}b");
        assert_eq!(owned("end\x1b"), "end\u{FFFD}");
        assert_eq!(owned("\x1b\x1b[2J"), "\u{FFFD}\u{FFFD}");
        // A string cut short by another sequence: both go.
        assert_eq!(owned("a\x1b]0;t\x1b[2Jb"), "a\u{FFFD}\u{FFFD}b");
    }

    #[test]
    fn unterminated_sequences_keep_the_text_after_them() {
        assert_eq!(owned("a\x1b]0;title and more"), "a\u{FFFD}0;title and more");
        assert_eq!(owned("a\x1b[12"), "a\u{FFFD}");
        assert_eq!(owned("a\x1b[1é"), "a\u{FFFD}é");
    }

    #[test]
    fn controls_become_visible_or_whitespace() {
        assert_eq!(owned("ab\x08c"), "ab\u{FFFD}c");
        assert_eq!(owned("ding\x07"), "ding\u{FFFD}");
        assert_eq!(owned("a\tb"), "a b");
        assert_eq!(owned("a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(owned("\x00\x7f"), "\u{FFFD}\u{FFFD}");
    }

    #[test]
    fn eight_bit_csi_is_inert() {
        // Its parameters stay as text, harmless without the introducer.
        assert_eq!(owned("a\u{9b}2Jb"), "a\u{FFFD}2Jb");
        assert_eq!(owned("\u{85}\u{90}\u{9d}"), "\u{FFFD}\u{FFFD}\u{FFFD}");
    }

    #[test]
    fn runs_of_combining_marks_are_cut_at_the_cap() {
        let bomb = format!("xA{}y", "\u{301}".repeat(10_000));
        let out = owned(&bomb);
        // Compared by length first: a failure must not print 10,000 marks.
        assert_eq!(out.chars().count(), 3 + MAX_EXTENDERS);
        assert!(out == format!("xA{}y", "\u{301}".repeat(MAX_EXTENDERS)));
        let fine = format!("A{}", "\u{301}".repeat(3));
        assert!(
            matches!(sanitize(&fine), Cow::Borrowed(_)),
            "a few marks are left alone"
        );
        assert_eq!(
            owned("p\u{200d}\u{7f}"),
            "p\u{200d}\u{FFFD}",
            "a control after a joiner"
        );
        let joiners = format!("👩{}", "\u{200D}👩".repeat(2_000));
        assert!(
            owned(&joiners).chars().count() < 40,
            "joiner runs are capped too"
        );
    }

    #[test]
    fn bidi_controls_and_soft_hyphens() {
        assert_eq!(owned("user\u{202E}gnp.exe"), "user\u{FFFD}gnp.exe");
        assert_eq!(
            owned("\u{2066}\u{2069}\u{200E}\u{200F}\u{61C}"),
            "\u{FFFD}".repeat(5)
        );
        assert_eq!(owned("hy\u{AD}phen"), "hyphen");
    }

    #[test]
    fn clean_dutch_text_is_borrowed() {
        let s =
            "De “veiligheidsregio’s” coördineren — ook in ’t Zuiden: café, 10\u{A0}km.\nZie ook …";
        assert!(matches!(sanitize(s), Cow::Borrowed(_)));
    }

    #[test]
    fn ten_megabytes_of_clean_text_is_fast_and_borrowed() {
        let s = "Het “beleid” van de veiligheidsregio’s wordt geëvalueerd.\n".repeat(170_000);
        let t = std::time::Instant::now();
        assert!(matches!(sanitize(&s), Cow::Borrowed(_)));
        // Unoptimised builds are several times slower; the bound that matters
        // (well under 300 ms at load) is for release builds.
        let limit = if cfg!(debug_assertions) { 2000 } else { 100 };
        assert!(t.elapsed().as_millis() < limit, "{:?}", t.elapsed());
    }

    fn forbidden(c: char) -> bool {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{AD}' | '\u{61C}' | '\u{200E}' | '\u{200F}')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    }

    /// Text and escape sequences that `vte` parses in the usual way.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z0-9 .,;:é’]{0,8}",
            "[0-9;?]{0,6}[@-~]".prop_map(|s| format!("\x1b[{s}")),
            "[ -~&&[^\\\\]]{0,8}".prop_map(|s| format!("\x1b]{s}\x07")),
            "[ -~]{0,8}".prop_map(|s| format!("\x1b]{s}\x1b\\")),
            "[ -~]{0,8}".prop_map(|s| format!("\x1bP{s}\x1b\\")),
            "[0-OQ-WYZ\\\\`-~]".prop_map(|s| format!("\x1b{s}")),
            "[ -/]{1,2}[0-~]".prop_map(|s| format!("\x1b{s}")),
        ]
    }

    proptest! {
        #[test]
        fn output_has_no_forbidden_chars(s in any::<String>()) {
            let out = sanitize(&s);
            prop_assert!(!out.chars().any(forbidden), "{:?}", out);
        }

        #[test]
        fn output_of_control_heavy_input_is_clean(
            s in "[\\x00-\\x20\\x7f-\\u{a0}\\u{ad}\\u{202a}-\\u{202e}a\\[\\]P_^X\\\\0-9;]{0,40}"
        ) {
            let out = sanitize(&s);
            prop_assert!(!out.chars().any(forbidden), "{:?} -> {:?}", s, out);
        }

        #[test]
        fn agrees_with_strip_ansi_escapes(pieces in prop::collection::vec(piece(), 0..8)) {
            let s = pieces.concat();
            let ours: String = sanitize(&s).chars().filter(|&c| c != REPLACEMENT).collect();
            prop_assert_eq!(ours, strip_ansi_escapes::strip_str(&s));
        }
    }
}
