//! The "changed-cells floor": the fewest bytes a cell-diffing renderer needs
//! to turn one screen into another, to compare with what was actually sent;
//! and a classifier that splits actual output into the same categories.
//!
//! Model (documented in BENCHMARKS.md):
//! * A cell changed if its text, colours or attributes (bold, dim, italic,
//!   underline, inverse) differ between the two vt100 screens. A wide
//!   character is one cell of two columns; a changed continuation column
//!   marks its wide character changed.
//! * The pen starts where the terminal really is after the previous output:
//!   the `before` screen's cursor position and current attributes.
//! * Rows are written top to bottom, changed runs left to right. Before each
//!   run the pen moves there with the cheapest of: nothing (already there);
//!   `\r`; `\r\n` / `\n` (raw mode: LF only moves down); CHA `CSI c G`;
//!   CUF `CSI n C`; VPA `CSI r d`; CUD `CSI n B` plus a horizontal move; CUP
//!   `CSI r;c H` with its real length (`CSI H`, `CSI r H`, `CSI ;c H`); or,
//!   on the same row, rewriting the unchanged cells in between (their bytes
//!   and any SGR they need; "bridging").
//! * Each written cell costs its UTF-8 bytes (a blank cell: one space), plus
//!   an SGR when its attributes differ from the pen's: the shorter of an
//!   incremental SGR (only the changes: `1`/`2`/`22`, `3`/`23`, `4`/`24`,
//!   `7`/`27`, colours `3x`/`4x`, `9x`/`10x`, `38;5;n`, `38;2;r;g;b`,
//!   `39`/`49`) and a reset-based one (`CSI m`, or `CSI ;a;b… m` with the
//!   empty parameter standing for 0).
//! * Cursor: 6 bytes (`CSI ?25h`/`CSI ?25l`) when its visibility changes,
//!   plus a move when it is visible and not where the last write left it.
//! * Not used: erase (EL/ECH/ED), scrolling regions, insert/delete line,
//!   repeat (REP). A renderer using those can go below the floor (less's
//!   one-line scroll does: it scrolls the screen with a newline).

#![allow(dead_code)]

use vt100::{Color, Screen};

/// A floor, split by what the bytes are for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Parts {
    /// Non-blank cell contents.
    pub text: usize,
    /// Blank cells (spaces).
    pub blank: usize,
    /// Cursor movement (including bridging bytes when `bridge`).
    pub moves: usize,
    /// SGR sequences.
    pub sgr: usize,
    /// Everything else (cursor visibility, modes, erase, ...).
    pub other: usize,
}

impl Parts {
    pub fn total(&self) -> usize {
        self.text + self.blank + self.moves + self.sgr + self.other
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
struct Pen {
    fg: Color,
    bg: Color,
    bold: bool,
    dim: bool,
    italic: bool,
    underline: bool,
    inverse: bool,
}

fn pen_of(c: &vt100::Cell) -> Pen {
    Pen {
        fg: c.fgcolor(),
        bg: c.bgcolor(),
        bold: c.bold(),
        dim: c.dim(),
        italic: c.italic(),
        underline: c.underline(),
        inverse: c.inverse(),
    }
}

fn screen_pen(s: &Screen) -> Pen {
    Pen {
        fg: s.fgcolor(),
        bg: s.bgcolor(),
        bold: s.bold(),
        dim: s.dim(),
        italic: s.italic(),
        underline: s.underline(),
        inverse: s.inverse(),
    }
}

fn digits(n: usize) -> usize {
    n.to_string().len()
}

fn color_len(c: Color, fg: bool) -> usize {
    match c {
        Color::Default => 2,
        Color::Idx(i) if i < 8 => 2,
        Color::Idx(i) if i < 16 => {
            if fg {
                2
            } else {
                3
            }
        }
        Color::Idx(i) => 5 + digits(usize::from(i)),
        Color::Rgb(r, g, b) => 5 + digits(r.into()) + digits(g.into()) + digits(b.into()) + 2,
    }
}

/// Bytes of the shortest SGR taking the pen from `from` to `to` (0 if equal).
fn sgr_len(from: Pen, to: Pen) -> usize {
    if from == to {
        return 0;
    }
    // Incremental: bold and dim share their "off" (22).
    let mut inc = Vec::new();
    if (from.bold && !to.bold) || (from.dim && !to.dim) {
        inc.push(2);
        if to.bold {
            inc.push(1);
        }
        if to.dim {
            inc.push(1);
        }
    } else {
        if to.bold && !from.bold {
            inc.push(1);
        }
        if to.dim && !from.dim {
            inc.push(1);
        }
    }
    for (a, b) in [
        (from.italic, to.italic),
        (from.underline, to.underline),
        (from.inverse, to.inverse),
    ] {
        if a != b {
            inc.push(if b { 1 } else { 2 });
        }
    }
    if from.fg != to.fg {
        inc.push(color_len(to.fg, true));
    }
    if from.bg != to.bg {
        inc.push(color_len(to.bg, false));
    }
    let inc_len = 3 + inc.iter().sum::<usize>() + inc.len().saturating_sub(1);
    // From a reset: CSI m, or CSI ;a;b m (empty first parameter = 0).
    let mut set = Vec::new();
    for on in [to.bold, to.dim, to.italic, to.underline, to.inverse] {
        if on {
            set.push(1);
        }
    }
    if to.fg != Color::Default {
        set.push(color_len(to.fg, true));
    }
    if to.bg != Color::Default {
        set.push(color_len(to.bg, false));
    }
    let reset_len = 3 + set.iter().sum::<usize>() + set.len();
    inc_len.min(reset_len)
}

/// CUP to 0-based (row, col), shortest spelling.
fn cup_len(row: usize, col: usize) -> usize {
    let r = if row == 0 { 0 } else { digits(row + 1) };
    match col {
        0 => 3 + r,
        c => 4 + r + digits(c + 1),
    }
}

fn csi_n(n: usize) -> usize {
    // CSI n X, with n = 1 omitted.
    3 + if n > 1 { digits(n) } else { 0 }
}

/// A horizontal move within a row from column `from` (None: unknown) to `to`.
fn horiz_len(from: Option<usize>, to: usize) -> usize {
    let cha = if to == 0 { 1 } else { 3 + digits(to + 1) }; // `\r` or CSI c G
    match from {
        Some(f) if f == to => 0,
        Some(f) if f < to => cha.min(csi_n(to - f)),
        Some(f) => cha.min(csi_n(f - to)),
        None => cha,
    }
}

/// Cursor move cost from `at` (None: unknown) to (row, col), rows only downwards or
/// anywhere by CUP; `pending`: the pen sits past the last column (pending wrap).
fn move_len(at: Option<(usize, usize)>, pending: bool, row: usize, col: usize) -> usize {
    let cup = cup_len(row, col);
    let Some((pr, pc)) = at else { return cup };
    let from_col = if pending { None } else { Some(pc) };
    if pr == row {
        return cup.min(horiz_len(from_col, col));
    }
    let vpa = 3 + digits(row + 1) + horiz_len(from_col, col);
    let mut best = cup.min(vpa);
    if row > pr {
        let d = row - pr;
        // LFs (raw mode: straight down) or CUD, then a horizontal move.
        let down = d.min(csi_n(d));
        let h = if col == 0 {
            1
        } else {
            horiz_len(from_col, col)
        };
        best = best.min(down + h);
    } else {
        best = best.min(csi_n(pr - row) + horiz_len(from_col, col));
    }
    best
}

fn cell_bytes(c: &vt100::Cell) -> usize {
    if c.has_contents() {
        c.contents().len()
    } else {
        1
    }
}

fn is_blank(c: &vt100::Cell) -> bool {
    !c.has_contents() || c.contents() == " "
}

fn same(a: &vt100::Cell, b: &vt100::Cell) -> bool {
    a.contents() == b.contents() && pen_of(a) == pen_of(b) && a.is_wide() == b.is_wide()
}

/// The floor for turning `before` into `after` (same size). `bridge`: allow
/// rewriting unchanged cells instead of jumping over them.
pub fn floor_parts(before: &Screen, after: &Screen, bridge: bool) -> Parts {
    let (rows, cols) = after.size();
    let (rows, cols) = (usize::from(rows.get()), usize::from(cols.get()));
    let mut p = Parts::default();
    let mut pen = screen_pen(before);
    let (br, bc) = before.cursor_position();
    let mut at: Option<(usize, usize)> = Some((usize::from(br), usize::from(bc)));
    let mut pending = false;
    let mut wrote = false;
    for r in 0..rows {
        let cell = |s: &Screen, c: usize| s.cell(r as u16, c as u16).cloned();
        let mut changed = vec![false; cols];
        for c in 0..cols {
            let (Some(a), Some(b)) = (cell(before, c), cell(after, c)) else {
                continue;
            };
            if !same(&a, &b) {
                let start = if b.is_wide_continuation() && c > 0 {
                    c - 1
                } else {
                    c
                };
                changed[start] = true;
            }
        }
        let mut c = 0;
        while c < cols {
            if !changed[c] {
                c += 1;
                continue;
            }
            let jump = move_len(at, pending, r, c);
            let mut bridged = None;
            if bridge
                && !pending
                && let Some((pr, pc)) = at
                && pr == r
                && pc < c
            {
                let (mut bytes, mut sgr, mut q, mut x) = (0, 0, pen, pc);
                while x < c {
                    let Some(b) = cell(after, x) else { break };
                    sgr += sgr_len(q, pen_of(&b));
                    bytes += cell_bytes(&b);
                    q = pen_of(&b);
                    x += if b.is_wide() { 2 } else { 1 };
                }
                if x == c && bytes + sgr < jump {
                    bridged = Some((bytes, sgr, q));
                }
            }
            match bridged {
                Some((bytes, sgr, q)) => {
                    p.moves += bytes;
                    p.sgr += sgr;
                    pen = q;
                }
                None => p.moves += jump,
            }
            while c < cols && changed[c] {
                let Some(b) = cell(after, c) else { break };
                p.sgr += sgr_len(pen, pen_of(&b));
                if is_blank(&b) {
                    p.blank += cell_bytes(&b);
                } else {
                    p.text += cell_bytes(&b);
                }
                pen = pen_of(&b);
                c += if b.is_wide() { 2 } else { 1 };
            }
            wrote = true;
            pending = c >= cols;
            at = Some((r, c.min(cols - 1)));
        }
    }
    if before.hide_cursor() != after.hide_cursor() {
        p.other += 6;
    }
    if !after.hide_cursor() {
        let (cr, cc) = after.cursor_position();
        let target = (usize::from(cr), usize::from(cc));
        if (wrote || before.cursor_position() != after.cursor_position())
            && (at != Some(target) || pending)
        {
            p.moves += move_len(at, pending, target.0, target.1);
        }
    }
    p
}

/// The floor in bytes (with bridging).
pub fn floor(before: &Screen, after: &Screen) -> usize {
    floor_parts(before, after, true).total()
}

/// A blank screen of the same size as `like` (what a fresh terminal shows).
pub fn blank_like(like: &Screen) -> Screen {
    let (rows, cols) = like.size();
    vt100::Parser::new(rows, cols, 0).screen().clone()
}

/// Splits actual output bytes into the same categories: text, blanks
/// (spaces), moves (CUP/CHA/CUF/CUB/CUU/CUD/VPA/HVP, CR, LF, BS), SGR, and
/// other (modes, erase, scroll, OSC, ...).
pub fn classify(bytes: &[u8]) -> Parts {
    let mut p = Parts::default();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == 0x1b {
            let start = i;
            i += 1;
            match bytes.get(i) {
                Some(b'[') => {
                    i += 1;
                    while i < bytes.len() && !(0x40..=0x7e).contains(&bytes[i]) {
                        i += 1;
                    }
                    let fin = bytes.get(i).copied().unwrap_or(0);
                    i += 1;
                    let n = i.min(bytes.len()) - start;
                    let private = bytes.get(start + 2) == Some(&b'?');
                    match fin {
                        b'm' => p.sgr += n,
                        b'H' | b'f' | b'G' | b'C' | b'D' | b'A' | b'B' | b'd' | b'`' | b'E'
                        | b'F'
                            if !private =>
                        {
                            p.moves += n
                        }
                        _ => p.other += n,
                    }
                }
                Some(b']') => {
                    // OSC, up to BEL or ST.
                    while i < bytes.len()
                        && bytes[i] != 0x07
                        && !(bytes[i] == 0x1b && bytes.get(i + 1) == Some(&b'\\'))
                    {
                        i += 1;
                    }
                    i += if bytes.get(i) == Some(&0x07) { 1 } else { 2 };
                    p.other += i.min(bytes.len()) - start;
                }
                _ => {
                    i += 1;
                    p.other += i.min(bytes.len()) - start;
                }
            }
            i = i.min(bytes.len());
        } else if b == b'\r' || b == b'\n' || b == 0x08 {
            p.moves += 1;
            i += 1;
        } else if b == b' ' {
            p.blank += 1;
            i += 1;
        } else if b < 0x20 || b == 0x7f {
            p.other += 1;
            i += 1;
        } else {
            p.text += 1;
            i += 1;
        }
    }
    p
}
