//! Word wrapping with hyphenation, by byte offsets into the source text.
//!
//! Built from `textwrap`'s lower-level pieces (its first-fit algorithm over our
//! own fragment type) rather than `textwrap::wrap`, because we need exact
//! byte ranges back and widths measured the way ratatui draws (see
//! [`super::display_width`]), not per char.
//!
//! A line may end:
//! - at an ASCII space, which is then not shown;
//! - after a hyphen already in a compound (`e-mail`, `Noord-Holland`), with no
//!   hyphen added; a hyphen not between two alphanumerics (`lokale-,`,
//!   `-methoden`) is no break point, so no lone comma or dash is stranded;
//! - at a dictionary hyphenation point, with a hyphen drawn (`hyphen: true`);
//! - inside a part still wider than a whole line (a URL, a long number, a
//!   word the dictionary cannot split), cut at grapheme boundaries into
//!   line-filling chunks *without* a drawn hyphen: such parts are mostly
//!   addresses and identifiers, where an inserted `-` would read as part of
//!   the text. This is the only way a word is cut without a hyphen.
//!
//! A grapheme cluster is never split.

use hyphenation::Standard;
use textwrap::core::Fragment;
use textwrap::wrap_algorithms::wrap_first_fit;
use unicode_segmentation::UnicodeSegmentation;

use super::hyphenate::{dictionary_points, hyphen_points, hyphenation_core};
use super::{display_width, grapheme_width};

/// A wrapped line: the byte range `start..end` of the source text it shows, and whether a hyphen must be drawn after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wrapped {
    /// Byte offset of the line's first char in the wrapped text.
    pub start: usize,
    /// Byte offset just past the line's last char.
    pub end: usize,
    /// Whether the line ends at a hyphenation point, so a `-` must follow it.
    pub hyphen: bool,
}

/// Wraps `text` (already sanitised and whitespace-collapsed, as `inline`/`paragraphs` return) to `width` cells.
///
/// Every line fits in `width` cells including its hyphen, except a single
/// grapheme wider than `width` (a CJK char at width 1), which gets a line of
/// its own. A width of 0 is treated as 1. Lines never start or end with a
/// space, and the text between lines is only spaces.
pub fn wrap(text: &str, width: usize, dict: Option<&Standard>) -> Vec<Wrapped> {
    let width = width.max(1);
    let widths = [width as f64];
    let mut frags = Vec::new();
    let mut splits = Vec::new();
    // Index in `frags` of the first part of the line being filled.
    let mut line_start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b' ' {
            i += 1;
            continue;
        }
        // A byte loop: words are short, and `find` cost more to set up per
        // word than the search (a twentieth of plain output's time).
        let end = bytes[i..]
            .iter()
            .position(|&b| b == b' ')
            .map_or(text.len(), |n| i + n);
        let gap = bytes[end..].iter().take_while(|&&b| b == b' ').count();
        let word = Part {
            start: i,
            end,
            width: 0,
            gap,
            hyphen: false,
        };
        i = end + gap;
        let w = &text[word.start..word.end];
        splits.clear();
        hyphen_points(w, &mut splits);
        let first_part = frags.len();
        push_word(text, word, width, &splits, &mut frags);
        let (Some(dict), Some((core_start, core))) = (dict, hyphenation_core(w)) else {
            continue;
        };
        // Hyphenating costs about a microsecond a word, far more than the
        // rest, and only matters for a word that does not fit on the line it
        // starts on: first-fit places a word that fits there whole, split
        // points or not. So ask first-fit, and hyphenate only if needed.
        let (lines, mut last_line) = layout(&frags[line_start..], &widths);
        // A ragged edge reads better than a column of hyphens: hyphenate a
        // word that fits on a line of its own only when moving it down
        // would leave more than a fifth of this line empty.
        let used: usize = frags[line_start..first_part]
            .iter()
            .map(|p| p.width + p.gap)
            .sum();
        let fits_alone = display_width(w) <= width;
        let loose = width.saturating_sub(used) > width / 5;
        if lines > 1 && (loose || !fits_alone) {
            frags.truncate(first_part);
            dictionary_points(w, dict, core_start, core, &mut splits);
            push_word(text, word, width, &splits, &mut frags);
            last_line = layout(&frags[line_start..], &widths).1;
        }
        line_start += last_line;
    }
    if frags.is_empty() {
        return Vec::new();
    }
    wrap_first_fit(&frags, &widths)
        .into_iter()
        .filter_map(|line| {
            let (first, last) = (line.first()?, line.last()?);
            Some(Wrapped {
                start: first.start,
                end: last.end,
                hyphen: last.hyphen,
            })
        })
        .collect()
}

/// First-fit over `frags`: the number of lines, and the index of the first
/// part of the last one.
fn layout(frags: &[Part], widths: &[f64]) -> (usize, usize) {
    let lines = wrap_first_fit(frags, widths);
    let last_len = lines.last().map_or(0, |l| l.len());
    (lines.len(), frags.len() - last_len)
}

/// An unbreakable run of text: a word or a part of one.
#[derive(Debug, Clone, Copy)]
struct Part {
    start: usize,
    end: usize,
    /// Display width in cells.
    width: usize,
    /// Number of spaces after it, drawn unless a line ends here.
    gap: usize,
    /// Whether a hyphen is drawn if a line ends here.
    hyphen: bool,
}

impl Fragment for Part {
    fn width(&self) -> f64 {
        self.width as f64
    }

    fn whitespace_width(&self) -> f64 {
        self.gap as f64
    }

    fn penalty_width(&self) -> f64 {
        if self.hyphen { 1.0 } else { 0.0 }
    }
}

/// Splits one word (`word.width` unset) at `splits` and appends the parts.
fn push_word(
    text: &str,
    mut word: Part,
    width: usize,
    splits: &[(usize, bool)],
    out: &mut Vec<Part>,
) {
    let w = &text[word.start..word.end];
    if splits.is_empty() {
        // Most words: nothing to split, so skip the grapheme walk below.
        word.width = display_width(w);
        push_part(text, word, width, out);
        return;
    }
    let mut part = Part { gap: 0, ..word };
    let mut next = splits.iter().peekable();
    for (offset, g) in w.grapheme_indices(true) {
        part.width += grapheme_width(g);
        let g_end = offset + g.len();
        // Split points inside a grapheme are dropped: graphemes never split.
        while next.next_if(|(at, _)| *at < g_end).is_some() {}
        if let Some((_, hyphen)) = next.next_if(|(at, _)| *at == g_end) {
            part.end = word.start + g_end;
            part.hyphen = *hyphen;
            push_part(text, part, width, out);
            part = Part {
                start: part.end,
                width: 0,
                hyphen: false,
                ..part
            };
        }
    }
    part.end = word.end;
    part.gap = word.gap;
    push_part(text, part, width, out);
}

/// Appends `part`, first cut at grapheme boundaries if it does not fit in a
/// line even on its own.
fn push_part(text: &str, part: Part, width: usize, out: &mut Vec<Part>) {
    let h = usize::from(part.hyphen);
    if part.width + h <= width {
        out.push(part);
        return;
    }
    let mut chunk = Part {
        width: 0,
        gap: 0,
        hyphen: false,
        ..part
    };
    let mut rest = part.width;
    for (offset, g) in text[part.start..part.end].grapheme_indices(true) {
        let (g_start, g_width) = (part.start + offset, grapheme_width(g));
        let is_last = g_start + g.len() == part.end;
        // The last grapheme must leave room for the part's hyphen.
        let limit = if is_last {
            width.saturating_sub(h)
        } else {
            width
        };
        if g_start > chunk.start && chunk.width + g_width > limit {
            chunk.end = g_start;
            out.push(chunk);
            rest = rest.saturating_sub(chunk.width);
            chunk.start = g_start;
            chunk.width = 0;
            if rest + h <= width {
                break;
            }
        }
        chunk.width += g_width;
    }
    // Only a lone grapheme too wide for its hyphen ends up without one.
    out.push(Part {
        start: chunk.start,
        width: rest,
        hyphen: part.hyphen && rest < width,
        ..part
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::hyphenate::{Lang, dictionary};
    use crate::text::inline;
    use proptest::prelude::*;

    /// The lines as drawn: text plus a `-` where `hyphen` is set.
    fn render(text: &str, lines: &[Wrapped]) -> Vec<String> {
        let dash = |l: &Wrapped| if l.hyphen { "-" } else { "" };
        lines
            .iter()
            .map(|l| format!("{}{}", &text[l.start..l.end], dash(l)))
            .collect()
    }

    fn nl() -> Option<&'static Standard> {
        let dict = dictionary(Lang::Nl);
        assert!(dict.is_some(), "Dutch dictionary failed to load");
        dict
    }

    #[test]
    fn empty_and_blank_text_give_no_lines() {
        assert!(wrap("", 10, None).is_empty());
        assert!(wrap("   ", 10, None).is_empty());
    }

    #[test]
    fn words_wrap_at_spaces() {
        let text = "de kat zat op de mat";
        assert_eq!(
            render(text, &wrap(text, 10, None)),
            ["de kat zat", "op de mat"]
        );
        assert_eq!(render(text, &wrap(text, 0, None)).len(), 15);
    }

    #[test]
    fn dutch_words_are_hyphenated_at_valid_points() {
        for word in ["veiligheidsregio’s", "uitvoeringsorganisaties"] {
            let lines = render(word, &wrap(word, 12, nl()));
            assert!(lines[0].ends_with('-') && lines.len() > 1, "{lines:?}");
            assert_eq!(lines.concat().replace('-', ""), word);
        }
        let text = "uitvoeringsorganisaties";
        assert_eq!(
            render(text, &wrap(text, 12, nl())),
            ["uitvoerings-", "organisaties"]
        );
        let text = "veiligheidsregio’s";
        assert_eq!(
            render(text, &wrap(text, 12, nl())),
            ["veiligheids-", "regio’s"]
        );
    }

    #[test]
    fn without_a_dictionary_long_words_break_by_graphemes() {
        let text = "uitvoeringsorganisaties";
        let lines = wrap(text, 12, None);
        assert_eq!(render(text, &lines), ["uitvoeringso", "rganisaties"]);
        assert!(lines.iter().all(|l| !l.hyphen));
        let text = "veiligheidsregio’s";
        assert_eq!(
            render(text, &wrap(text, 12, None)),
            ["veiligheidsr", "egio’s"]
        );
    }

    #[test]
    fn english_dictionary_hyphenates_too() {
        let text = "notwithstanding";
        let lines = render(text, &wrap(text, 10, dictionary(Lang::En)));
        assert!(lines[0].ends_with('-'), "{lines:?}");
    }

    #[test]
    fn existing_hyphens_break_without_an_extra_one() {
        let text = "lokale-, regionale en -methoden via e-mail";
        let lines = render(text, &wrap(text, 9, nl()));
        assert!(lines.contains(&"lokale-,".to_string()), "{lines:?}");
        let stranded = |l: &String| l.starts_with(',') || l == "-" || l.ends_with(" -");
        assert!(!lines.iter().any(stranded), "{lines:?}");
        let text = "stuur e-mail";
        assert_eq!(render(text, &wrap(text, 8, None)), ["stuur e-", "mail"]);
    }

    #[test]
    fn wide_graphemes_stay_whole() {
        let text = "日本語";
        assert_eq!(render(text, &wrap(text, 1, None)), ["日", "本", "語"]);
        assert_eq!(render(text, &wrap(text, 3, None)), ["日", "本", "語"]);
        let family = "👨\u{200D}👩\u{200D}👧";
        let text = format!("{family}{family}{family}");
        assert_eq!(wrap(&text, 4, None).len(), 2);
    }

    #[test]
    fn a_long_url_fills_lines_of_at_most_the_width() {
        let url = format!("https://example.org/{}", "abcdefghij".repeat(500));
        let url = &url[..5000];
        let lines = wrap(url, 40, nl());
        assert!(
            lines
                .iter()
                .all(|l| display_width(&url[l.start..l.end]) <= 40 && !l.hyphen)
        );
        assert_eq!(lines.len(), 125);
    }

    #[test]
    fn a_paragraph_wraps_in_microseconds() {
        let para = "De veiligheidsregio’s en uitvoeringsorganisaties werken samen aan \
            lokale-, regionale en landelijke crisisbeheersing. Zij evalueren de \
            gebruikte technieken en -methoden, delen kennis via e-mail en \
            rapporteren aan het ministerie over de voortgang van het \
            programma, inclusief de knelpunten die gemeenten ervaren bij de \
            uitvoering van de nieuwe verplichtingen uit de Omgevingswet.";
        let dict = nl();
        let t = std::time::Instant::now();
        let runs = 200;
        for _ in 0..runs {
            assert!(!wrap(para, 80, dict).is_empty());
        }
        let per_run = t.elapsed() / runs;
        let limit = if cfg!(debug_assertions) { 5000 } else { 500 };
        assert!(per_run.as_micros() < limit, "{per_run:?}");
    }

    /// Checks every documented invariant of `wrap` on `text` at `width`.
    fn check_invariants(
        text: &str,
        width: usize,
        dict: Option<&Standard>,
    ) -> Result<(), TestCaseError> {
        let lines = wrap(text, width, dict);
        let width = width.max(1);
        let mut prev_end = 0;
        for l in &lines {
            prop_assert!(prev_end <= l.start && l.start < l.end && l.end <= text.len());
            prop_assert!(text.is_char_boundary(l.start) && text.is_char_boundary(l.end));
            let gap = &text[prev_end..l.start];
            prop_assert!(gap.bytes().all(|b| b == b' '), "text lost: {:?}", gap);
            let shown = &text[l.start..l.end];
            prop_assert!(!shown.starts_with(' ') && !shown.ends_with(' '));
            let used = display_width(shown) + usize::from(l.hyphen);
            prop_assert!(
                used <= width || (shown.graphemes(true).count() == 1 && !l.hyphen),
                "{:?} uses {} > {}",
                shown,
                used,
                width
            );
            prev_end = l.end;
        }
        prop_assert!(text[prev_end..].bytes().all(|b| b == b' '));
        Ok(())
    }

    proptest! {
        #[test]
        fn invariants_hold_for_any_text(s in any::<String>(), width in 1usize..300) {
            check_invariants(&inline(&s), width, None)?;
            check_invariants(&inline(&s), width, nl())?;
        }

        #[test]
        fn invariants_hold_for_word_like_text(
            s in "[a-zA-Z0-9é’'\\-,日 \u{301}\u{345}\u{130}\u{600}\u{200B}\u{200D}\u{1F468}\u{1F1F3}\u{FF9E}]{0,60}",
            width in 0usize..20,
        ) {
            check_invariants(&inline(&s), width, nl())?;
            check_invariants(&inline(&s), width, dictionary(Lang::En))?;
            check_invariants(&s, width, None)?;
        }

        #[test]
        fn hyphenating_every_word_never_panics(s in any::<String>()) {
            // At width 1 no word of two or more cells fits, so every word
            // the dictionary may touch goes through it.
            check_invariants(&inline(&s), 1, nl())?;
            check_invariants(&inline(&s), 1, dictionary(Lang::En))?;
        }
    }
}
