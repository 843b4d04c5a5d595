//! A line made of parts that give way by need: on a narrow screen the least
//! needed go first, each part kept while it still fits, and what must stay
//! (the position) stays, cut from its left if even it is too wide.

use crate::text::display_width;

/// A piece of a line, and how much it is needed ([`ALWAYS`]: never left out).
pub struct Part {
    /// What it says.
    pub text: String,
    /// The narrower the line, the sooner a part with a lower one goes.
    pub keep: u8,
}

/// A part that is never left out.
pub const ALWAYS: u8 = u8::MAX;

/// `parts` in their order, two spaces apart, in at most `room` columns.
pub fn fitted(parts: &[Part], room: usize) -> String {
    // The most needed first, each if it still fits; shown in their order.
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(parts[i].keep));
    let mut chosen = vec![false; parts.len()];
    let mut used = 0;
    for i in order {
        let w = display_width(&parts[i].text) + if used > 0 { 2 } else { 0 };
        if used + w <= room || parts[i].keep == ALWAYS {
            chosen[i] = true;
            used += w;
        }
    }
    let line = parts
        .iter()
        .zip(&chosen)
        .filter(|(_, c)| **c)
        .map(|(p, _)| p.text.as_str())
        .collect::<Vec<_>>()
        .join("  ");
    // Even what must stay too wide: its end (a number) stays.
    let cut = display_width(&line).saturating_sub(room);
    super::skip_columns(&line, cut).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_needed_go_first_and_what_must_stay_stays() {
        let p = |text: &str, keep| Part {
            text: text.into(),
            keep,
        };
        let parts = [
            p("aaaa", 1),
            p("bbbbbbbbbb", 3),
            p("cc", 2),
            p("1/7", ALWAYS),
        ];
        assert_eq!(fitted(&parts, 40), "aaaa  bbbbbbbbbb  cc  1/7");
        assert_eq!(fitted(&parts, 19), "bbbbbbbbbb  cc  1/7");
        // The more needed does not fit; smaller, less needed ones do.
        assert_eq!(fitted(&parts, 13), "aaaa  cc  1/7");
        assert_eq!(fitted(&parts, 12), "cc  1/7");
        assert_eq!(fitted(&parts, 3), "1/7");
        assert_eq!(fitted(&parts, 2), "/7");
    }
}
