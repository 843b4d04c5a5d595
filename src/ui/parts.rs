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
    /// What it says where the whole does not fit, if it can be shorter.
    pub short: Option<String>,
}

impl Part {
    /// A part of one length only.
    pub fn new(text: String, keep: u8) -> Part {
        Part {
            text,
            keep,
            short: None,
        }
    }
}

/// A part that is never left out.
pub const ALWAYS: u8 = u8::MAX;

/// `parts` in their order, two spaces apart, in at most `room` columns.
pub fn fitted(parts: &[Part], room: usize) -> String {
    fitted_with(parts, room, "  ")
}

/// [`fitted`], the parts `sep` apart.
pub fn fitted_with(parts: &[Part], room: usize, sep: &str) -> String {
    let sep_w = display_width(sep);
    // The most needed first, each if it still fits; shown in their order.
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(parts[i].keep));
    let mut chosen: Vec<Option<&str>> = vec![None; parts.len()];
    let mut used = 0;
    for i in order {
        let gap = if used > 0 { sep_w } else { 0 };
        let p = &parts[i];
        let fits = |s: &str| used + gap + display_width(s) <= room;
        let short = p.short.as_deref().filter(|s| fits(s));
        let pick = if fits(&p.text) {
            Some(p.text.as_str())
        } else if short.is_some() {
            short
        } else if p.keep == ALWAYS {
            Some(p.short.as_deref().unwrap_or(&p.text))
        } else {
            None
        };
        if let Some(s) = pick {
            used += gap + display_width(s);
            chosen[i] = Some(s);
        }
    }
    let line = chosen.into_iter().flatten().collect::<Vec<_>>().join(sep);
    // Even what must stay too wide: its end (a number) stays.
    let cut = display_width(&line).saturating_sub(room);
    super::skip_columns(&line, cut).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_needed_go_first_and_what_must_stay_stays() {
        let p = |text: &str, keep| Part::new(text.into(), keep);
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
        // Too long whole, it may say less.
        let mut long = p("late since 2000-01-01", 5);
        long.short = Some("late".into());
        let parts = [long, p("1/7", ALWAYS)];
        assert_eq!(fitted(&parts, 30), "late since 2000-01-01  1/7");
        assert_eq!(fitted(&parts, 12), "late  1/7");
    }
}
