//! Moving rows the terminal already shows instead of drawing them again.
//!
//! When a frame shows much of what is on screen a few rows higher or lower
//! (the theme list scrolled with the selection, text paged by a line), the
//! cheapest frame may move a band of rows first (a scrolling region, then
//! delete or insert lines at its top) and draw only what is still
//! different. [`best`] finds the band and shift that would leave the most
//! cells in place, as the benchmarks' floor does; the backend encodes the
//! frame both ways and sends the shorter.
//!
//! Insert and delete line (VT102) are used rather than SU/SD, which the
//! Linux console lacks; the new blank lines take the background in
//! effect, so the pen is plain when they are sent.

use ratatui::buffer::Cell;

/// A band of rows `top..=bottom` (0-based) moved by `n` rows, up or down;
/// the rows it leaves are blank.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Shift {
    pub top: u16,
    pub bottom: u16,
    pub n: u16,
    pub up: bool,
}

/// Cells a shift must keep in place beyond those already there, at least,
/// to be worth encoding a frame twice (the shift itself costs ~20 bytes).
const GAIN: usize = 16;

/// The most cells compared to find a shift (about 0.2 ms): on a large
/// screen the shifts beyond what fits in this are not tried.
const WORK: usize = 500_000;

/// A cell as one number, for [`best`] to compare many cells fast (FNV-1a
/// over its symbol and style: two cells that differ may rarely share one,
/// which only makes a shift look better than it is; the frame itself is
/// encoded from the cells).
pub(super) fn key(cell: &Cell) -> u64 {
    use std::hash::{Hash, Hasher};
    struct Fnv(u64);
    impl Hasher for Fnv {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for &b in bytes {
                self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
    }
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    cell.symbol().hash(&mut h);
    cell.fg.hash(&mut h);
    cell.bg.hash(&mut h);
    cell.modifier.hash(&mut h);
    h.finish()
}

/// The shift that keeps the most cells of `want` in place from `now` (both
/// `width` x `height`, row by row), if one keeps enough to be worth it.
pub(super) fn best<T: PartialEq>(now: &[T], want: &[T], width: u16, height: u16) -> Option<Shift> {
    let (w, h) = (usize::from(width), usize::from(height));
    if now.len() != w * h || want.len() != w * h || h < 2 {
        return None;
    }
    let row = |r: usize| r * w..(r + 1) * w;
    let same = |a: usize, b: usize| -> usize {
        now[row(a)]
            .iter()
            .zip(&want[row(b)])
            .filter(|(x, y)| x == y)
            .count()
    };
    let stay: Vec<usize> = (0..h).map(|r| same(r, r)).collect();
    if stay.iter().sum::<usize>() + GAIN >= w * h {
        return None;
    }
    let most_n = (WORK / (2 * w * h).max(1)).clamp(1, h - 1);
    let mut found: Option<(usize, Shift)> = None;
    for n in 1..=most_n {
        for up in [true, false] {
            // The band of rows where the shift gains most (Kadane's
            // algorithm over what it gains on each row).
            let mut run: Option<(i64, usize)> = None;
            let mut top: Option<(i64, usize, usize)> = None;
            for (r, &stays) in stay.iter().enumerate() {
                let src = if up { r + n } else { r.wrapping_sub(n) };
                if src >= h {
                    run = None;
                    continue;
                }
                let gain = same(src, r) as i64 - stays as i64;
                let (sum, start) = match run {
                    Some((s, st)) if s > 0 => (s + gain, st),
                    _ => (gain, r),
                };
                run = Some((sum, start));
                if top.is_none_or(|t| sum > t.0) {
                    top = Some((sum, start, r));
                }
            }
            let Some((gain, a, b)) = top.filter(|t| t.0 > GAIN as i64) else {
                continue;
            };
            let gain = gain as usize;
            if found.is_none_or(|(g, _)| gain > g) {
                // Rows a..=b come from a+n..=b+n (up) or a-n..=b-n (down):
                // the band spans both.
                let (top, bottom) = if up { (a, b + n) } else { (a - n, b) };
                let shift = Shift {
                    top: top as u16,
                    bottom: bottom as u16,
                    n: n as u16,
                    up,
                };
                found = Some((gain, shift));
            }
        }
    }
    found.map(|(_, s)| s)
}

/// The bytes that move the band (the pen must be plain), leaving the
/// cursor at the top left.
pub(super) fn bytes(s: Shift) -> String {
    let count = if s.n == 1 {
        String::new()
    } else {
        s.n.to_string()
    };
    // Setting the region homes the cursor; the lines go at the band's top.
    let to_top = if s.top == 0 {
        String::new()
    } else {
        format!("\x1b[{}H", s.top + 1)
    };
    let op = if s.up { 'M' } else { 'L' };
    format!(
        "\x1b[{};{}r{to_top}\x1b[{count}{op}\x1b[r",
        s.top + 1,
        s.bottom + 1
    )
}

/// `screen` (`width` cells a row) as the terminal shows it after `s`.
pub(super) fn apply<T: Clone>(screen: &mut [T], width: u16, s: Shift, blank: &T) {
    let w = usize::from(width);
    let old = screen.to_vec();
    let (top, bottom, n) = (usize::from(s.top), usize::from(s.bottom), usize::from(s.n));
    for y in top..=bottom {
        let src = if s.up {
            Some(y + n).filter(|&r| r <= bottom)
        } else {
            y.checked_sub(n).filter(|&r| r >= top)
        };
        for x in 0..w {
            let (i, cell) = (y * w + x, src.map(|r| &old[r * w + x]));
            if let Some(slot) = screen.get_mut(i) {
                *slot = cell.unwrap_or(blank).clone();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screen(rows: &[&str]) -> Vec<Cell> {
        rows.iter()
            .flat_map(|r| {
                r.chars().map(|c| {
                    let mut cell = Cell::EMPTY;
                    cell.set_symbol(&c.to_string());
                    cell
                })
            })
            .collect()
    }

    #[test]
    fn a_list_scrolled_by_two_is_found_as_a_shift_of_its_band() {
        let now = screen(&[
            "status    ",
            "aaaaaaaaaa",
            "bbbbbbbbbb",
            "cccccccccc",
            "dddddddddd",
            "eeeeeeeeee",
            "zzzzzzzzzz",
        ]);
        let want = screen(&[
            "status    ",
            "cccccccccc",
            "dddddddddd",
            "eeeeeeeeee",
            "ffffffffff",
            "gggggggggg",
            "zzzzzzzzzz",
        ]);
        let s = best(&now, &want, 10, 7).expect("a shift");
        assert_eq!(
            s,
            Shift {
                top: 1,
                bottom: 5,
                n: 2,
                up: true
            }
        );
        let mut moved = now.clone();
        apply(&mut moved, 10, s, &Cell::EMPTY);
        assert_eq!(&moved[10..40], &want[10..40]);
        assert_eq!(bytes(s), "\x1b[2;6r\x1b[2H\x1b[2M\x1b[r");
        // Nothing to gain: no shift.
        assert_eq!(best(&want, &want, 10, 7), None);
    }
}
