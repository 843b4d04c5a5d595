//! Text for a terminal (or a pipe) that is not UTF-8, in ASCII: accents
//! taken off by compatibility decomposition (NFKD, as search folds text),
//! typographic quotes and dashes as typed (the search's table), a few
//! letters that do not decompose spelled out (ß as ss), and `?` for
//! anything else. Sending UTF-8 there would be worse than unreadable: its
//! continuation bytes 0x80–0x9F arrive as C1 controls (the second byte of
//! "ě" is 0x9B, CSI).
//!
//! A transliteration crate (deunicode) would spell out other scripts too,
//! at half a megabyte of tables; a terminal without UTF-8 is a console or
//! a C locale, where Latin text is what matters.

use std::borrow::Cow;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// `c` in ASCII, appended to `out`.
fn push(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c);
        return;
    }
    if is_combining_mark(c) {
        // The accent of a decomposed letter: the letter stands for both.
        return;
    }
    if let Some(p) = crate::search::punct(c) {
        out.push(if c.is_uppercase() {
            p.to_ascii_uppercase()
        } else {
            p
        });
        return;
    }
    let spelled = match c {
        'ß' => "ss",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        'þ' => "th",
        'Þ' => "Th",
        'ð' => "d",
        'Ð' => "D",
        '€' => "EUR",
        '•' | '·' | '◦' | '▪' => "*",
        '\u{A0}' | '\u{2007}' | '\u{202F}' => " ",
        _ => "",
    };
    if !spelled.is_empty() {
        out.push_str(spelled);
        return;
    }
    let before = out.len();
    decompose_compatible(c, |d| {
        if d.is_ascii() {
            out.push(d);
        } else if !is_combining_mark(d) {
            // Counted below: a part with no ASCII form.
            out.push('\u{0}');
        }
    });
    let part = &out[before..];
    if part.is_empty() || part.contains('\u{0}') {
        out.truncate(before);
        out.push('?');
    }
}

/// `s` in ASCII, for plain output (a line may get a little longer: "ß" is "ss").
pub fn transliterate(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push(c, &mut out);
    }
    Cow::Owned(out)
}

/// The grapheme `symbol` of a cell `width` columns wide, as exactly `width`
/// ASCII characters: its transliteration when it fits (or is punctuation,
/// like "..." for "…", which is cut), else `?`, padded with spaces.
pub fn cell(symbol: &str, width: usize) -> Cow<'_, str> {
    if symbol.is_ascii() && symbol.len() == width {
        return Cow::Borrowed(symbol);
    }
    let t = transliterate(symbol);
    let t: String = t
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .collect();
    let mut out: String = if t.len() <= width {
        t
    } else if !t.chars().any(|c| c.is_ascii_alphanumeric()) {
        t.chars().take(width).collect()
    } else {
        "?".into()
    };
    if out.is_empty() {
        out.push('?');
    }
    while out.len() < width {
        out.push(' ');
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_their_width_in_ascii() {
        assert_eq!(cell("ě", 1), "e");
        assert_eq!(cell("”", 1), "\"");
        assert_eq!(cell("—", 1), "-");
        assert_eq!(cell("…", 1), ".");
        assert_eq!(cell("€", 1), "?");
        assert_eq!(cell("中", 2), "? ");
        assert_eq!(cell("a", 1), "a");
        assert_eq!(cell("e\u{301}", 1), "e");
    }

    #[test]
    fn lines_become_ascii() {
        let s = transliterate("De Veiligheidsregio’s — één “verbinder”, Straße, Ø");
        assert!(s.is_ascii());
        assert_eq!(s, "De Veiligheidsregio's - een \"verbinder\", Strasse, O");
        assert_eq!(transliterate("中文 ж"), "?? ?");
    }
}
