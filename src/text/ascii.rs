//! Text for a terminal (or a pipe) that is not UTF-8: every character
//! transliterated to ASCII by `deunicode` ("ě" is "e", "”" is "\""), and
//! `?` where nothing fits. Sending UTF-8 there would be worse than
//! unreadable: its continuation bytes 0x80–0x9F arrive as C1 controls (the
//! second byte of "ě" is 0x9B, CSI).

use std::borrow::Cow;

/// `s` in ASCII, for plain output (lines may get a little longer: "€" is "EUR").
pub fn transliterate(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    Cow::Owned(deunicode::deunicode_with_tofu(s, "?"))
}

/// The grapheme `symbol` of a cell `width` columns wide, as exactly `width`
/// ASCII characters: its transliteration when it fits (or is punctuation,
/// like "--" for "—", which is cut), else `?`, padded with spaces.
pub fn cell(symbol: &str, width: usize) -> Cow<'_, str> {
    if symbol.is_ascii() && symbol.len() == width {
        return Cow::Borrowed(symbol);
    }
    let t = deunicode::deunicode_with_tofu(symbol, "?");
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
        assert_eq!(cell("€", 1), "?");
        assert_eq!(cell("中", 2), "? ");
        assert_eq!(cell("a", 1), "a");
    }

    #[test]
    fn lines_become_ascii() {
        let s = transliterate("De Veiligheidsregio’s — één “verbinder”");
        assert!(s.is_ascii());
        assert_eq!(s, "De Veiligheidsregio's -- een \"verbinder\"");
    }
}
