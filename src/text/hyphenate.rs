//! Where words may break: hyphenation dictionaries, embedded in the binary
//! and decoded on demand, and the hyphens already in compounds.
//!
//! Decoding a dictionary takes a noticeable fraction of a millisecond, so each
//! language is decoded the first time it is asked for and cached for the life
//! of the process; a session that only shows Dutch never pays for English.

use std::sync::OnceLock;

use hyphenation::{Hyphenator, Language, Load, Standard};

/// The languages a briefing can be hyphenated in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Dutch (`nl`).
    Nl,
    /// American English (`en-us`).
    En,
}

// Embedded rather than read at run time so the binary works wherever it is
// copied to, without an install step for data files.
static NL_BYTES: &[u8] = include_bytes!("../../assets/hyphenation/nl.standard.bincode");
static EN_BYTES: &[u8] = include_bytes!("../../assets/hyphenation/en-us.standard.bincode");

static NL: OnceLock<Option<Standard>> = OnceLock::new();
static EN: OnceLock<Option<Standard>> = OnceLock::new();

/// The hyphenation dictionary for a language, loaded once on first use (None if the embedded data fails to load — never panic).
pub fn dictionary(lang: Lang) -> Option<&'static Standard> {
    let (cell, language, bytes) = match lang {
        Lang::Nl => (&NL, Language::Dutch, NL_BYTES),
        Lang::En => (&EN, Language::EnglishUS, EN_BYTES),
    };
    // A failed load is cached as None too: retrying on every paragraph would
    // only repeat the same failure, and wrapping without hyphenation is fine.
    cell.get_or_init(|| Standard::from_reader(language, &mut &bytes[..]).ok())
        .as_ref()
}

/// Split points are kept as `(byte offset in the word, hyphen needed)`.
type Splits = Vec<(usize, bool)>;

/// Byte offsets just after hyphens that join two alphanumerics, where the
/// word may break with no hyphen added; never between two digits, so dates
/// (2026-11-27) and number ranges stay whole.
pub(crate) fn hyphen_points(w: &str, splits: &mut Splits) {
    let after = |i: usize| w[i..].chars().next();
    let before = |i: usize| w[..i].chars().next_back();
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    for (i, _) in w.match_indices('-') {
        let (b, a) = (before(i), after(i + 1));
        if alnum(b) && alnum(a) && !(digit(b) && digit(a)) {
            splits.push((i + 1, false));
        }
    }
}

/// The part of `w` worth handing to the hyphenator, with its byte offset,
/// or None if the dictionary should leave `w` alone.
pub(crate) fn hyphenation_core(w: &str) -> Option<(usize, &str)> {
    // Addresses and identifiers get no dictionary hyphens: an inserted `-`
    // in a URL or e-mail address would be taken as part of it.
    if w.contains(['/', '@', '\\', '_']) {
        return None;
    }
    // Leading and trailing punctuation would confuse the patterns, but inner
    // apostrophes help them ("re-gi-o’s"), so only the ends are trimmed.
    let start = w.len() - w.trim_start_matches(|c: char| !c.is_alphabetic()).len();
    let core = w[start..].trim_end_matches(|c: char| !c.is_alphabetic());
    // Too short to break in any language we have; this also keeps empty
    // words away from the hyphenator.
    core.chars().nth(3).map(|_| (start, core))
}

/// Adds the dictionary's hyphenation points in `core` (at byte offset
/// `start` of `w`) to the sorted `splits`.
pub(crate) fn dictionary_points(
    w: &str,
    dict: &Standard,
    start: usize,
    core: &str,
    splits: &mut Splits,
) {
    let letter_at = |i: usize| w[i..].chars().next().is_some_and(char::is_alphabetic);
    let letter_before = |i: usize| w[..i].chars().next_back().is_some_and(char::is_alphabetic);
    let had = splits.len();
    for b in dict.hyphenate(core).breaks {
        let at = start + b;
        // Only between two letters: a hyphen after a digit or quote, or a
        // second one beside a compound's own hyphen, would look wrong.
        if w.is_char_boundary(at) && letter_before(at) && letter_at(at) {
            splits.push((at, true));
        }
    }
    if had > 0 && splits.len() > had {
        splits.sort_unstable();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_dictionaries_load_once_for_their_language() {
        for (lang, language) in [(Lang::Nl, Language::Dutch), (Lang::En, Language::EnglishUS)] {
            let first = dictionary(lang).map(|d| d as *const Standard);
            assert!(first.is_some(), "{lang:?} failed to load");
            assert_eq!(dictionary(lang).map(|d| d as *const Standard), first);
            assert_eq!(dictionary(lang).map(Standard::language), Some(language));
        }
    }
}
