//! Reading a `vt100` screen: rows, regions, the status line.

use crate::bytes::trim_blanks;

/// Number of rows.
pub fn rows(s: &vt100::Screen) -> u16 {
    s.size().0.get()
}

/// Number of columns.
pub fn cols(s: &vt100::Screen) -> u16 {
    s.size().1.get()
}

/// `width` columns of row `row` from column `col`, trailing blanks trimmed.
pub fn region(s: &vt100::Screen, row: u16, col: u16, width: u16) -> String {
    let r = s.rows(col, width).nth(usize::from(row)).unwrap_or_default();
    trim_blanks(&r).to_string()
}

/// Row `row`, trailing blanks trimmed.
pub fn row(s: &vt100::Screen, row: u16) -> String {
    region(s, row, 0, cols(s))
}

/// Every row, trailing blanks trimmed.
pub fn all_rows(s: &vt100::Screen) -> Vec<String> {
    (0..rows(s)).map(|r| row(s, r)).collect()
}

/// The status line (the last row).
pub fn status(s: &vt100::Screen) -> String {
    row(s, rows(s) - 1)
}

/// The "i/n" position at the end of the status line, if it shows one.
pub fn position(s: &vt100::Screen) -> Option<(usize, usize)> {
    let status = status(s);
    let last = status.split_whitespace().last()?;
    let (i, n) = last.split_once('/')?;
    Some((i.parse().ok()?, n.parse().ok()?))
}
