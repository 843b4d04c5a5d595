//! Floors: the fewest bytes a renderer needs to turn one screen into
//! another, to compare with what was actually sent; and a classifier that
//! splits actual output into the same categories.
//!
//! Two models (documented in BENCHMARKS.md):
//!
//! [`erase_floor`], the floor the benches report: the cheapest honest
//! encoding of the change, erase sequences included.
//! * A cell changed if it *looks* different: a non-blank cell by its text,
//!   colours and attributes (bold, dim, italic, underline, inverse); a blank
//!   cell (never written, erased, or a space) only by what shows: the colour
//!   that fills it (its background, or its foreground when inverse) and
//!   underline. So painting spaces where the terminal already shows blanks
//!   is a cost, not a change.
//! * Besides writing cells and moving the pen (as below), a row may use EL
//!   (`CSI K`, 3 bytes: blank to the end of the line), ECH (`CSI n X`, 3 +
//!   digits: blank n cells, the pen stays), ED (`CSI J`, 3 bytes: blank to the
//!   end of the screen) or, before anything else, `CSI 2J` (4 bytes: blank
//!   the screen). An erase leaves blanks of the pen's background, and only a
//!   pen that is neither inverse nor underlined erases (terminals differ
//!   there). Whatever an erase blanks that should not be blank is written
//!   again.
//! * A row is an exact shortest path over (column, pen, erase state); rows are
//!   joined by every reachable end state (pen position and attributes, an ED
//!   in force), pruned only where another state is provably no worse.
//!
//! [`floor_parts`], the "changed-cells floor" of the first issue, kept for
//! comparison:
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
//! * Not used: erase (EL/ECH/ED), so every blank is a space.
//!
//! Neither uses scrolling regions, insert/delete line or repeat (REP): a
//! renderer using those can go below both floors (less's one-line scroll
//! does: it scrolls the screen with a newline).

#![allow(dead_code)]

use vt100::{Color, Screen};

/// A floor, split by what the bytes are for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Parts {
    /// Non-blank cell contents.
    pub text: usize,
    /// Blank cells (spaces).
    pub blank: usize,
    /// Erase sequences (EL, ECH, ED).
    pub erase: usize,
    /// Cursor movement (including bridging bytes when `bridge`).
    pub moves: usize,
    /// SGR sequences.
    pub sgr: usize,
    /// Everything else (cursor visibility, modes, scrolling, ...).
    pub other: usize,
}

impl Parts {
    pub fn total(&self) -> usize {
        self.text + self.blank + self.erase + self.moves + self.sgr + self.other
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
/// (spaces), erase (EL, ECH, ED), moves (CUP/CHA/CUF/CUB/CUU/CUD/VPA/HVP,
/// CR, LF, BS), SGR, and other (modes, scrolling, OSC, ...).
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
                        b'K' | b'J' | b'X' if !private => p.erase += n,
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

// ---------------------------------------------------------------------------
// the erase-aware floor

/// What a blank cell shows: the colour that fills it (the foreground when
/// inverse) and whether it is underlined; its other attributes show nothing.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Look {
    inverse: bool,
    fill: Color,
    underline: bool,
}

fn look(p: Pen) -> Look {
    Look {
        inverse: p.inverse,
        fill: if p.inverse { p.fg } else { p.bg },
        underline: p.underline,
    }
}

/// What an erase leaves: blanks of the pen's background (back-colour erase).
fn erased(bg: Color) -> Look {
    Look {
        inverse: false,
        fill: bg,
        underline: false,
    }
}

/// Whether an erase with this pen looks the same on every terminal: vt100
/// keeps the pen's attributes in erased cells, xterm only its background.
fn erases(p: Pen) -> bool {
    !p.inverse && !p.underline
}

fn blank_look(c: &vt100::Cell) -> Option<Look> {
    is_blank(c).then(|| look(pen_of(c)))
}

/// Whether two cells look the same (see the model above).
fn looks_same(a: &vt100::Cell, b: &vt100::Cell) -> bool {
    match (blank_look(a), blank_look(b)) {
        (Some(x), Some(y)) => x == y,
        (None, None) => same(a, b),
        _ => false,
    }
}

/// One column of the `after` row.
#[derive(Clone, Copy)]
struct Unit {
    /// The first column of a character (not the second of a wide one).
    start: bool,
    /// Columns it covers.
    width: usize,
    /// Bytes to write it.
    bytes: usize,
    /// Its pen, as an index into the pen table.
    pen: usize,
    /// What it shows if it is blank.
    blank: Option<Look>,
    /// It looks different from the `before` screen.
    dirty: bool,
}

/// Where the pen is between rows, and what an ED has blanked. Ordered, so
/// that ties between equally cheap encodings break the same way every run.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    row: usize,
    col: usize,
    pending: bool,
    pen: usize,
    /// Index into the background table of an ED in force (blanking every
    /// row from here on), or none.
    screen: Option<usize>,
}

/// The bytes of an encoding, linked back to front; kept only when tracing
/// (the tests replay them), so the floor itself allocates nothing for them.
#[derive(Clone, Default)]
struct Trail(Option<std::rc::Rc<(Vec<u8>, Trail)>>);

impl Trail {
    /// This trail followed by `bytes` (made only when tracing).
    fn then(&self, trace: bool, bytes: impl FnOnce() -> Vec<u8>) -> Trail {
        if trace {
            Trail(Some(std::rc::Rc::new((bytes(), self.clone()))))
        } else {
            Trail(None)
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let mut parts = Vec::new();
        let mut at = self;
        while let Some(link) = &at.0 {
            parts.push(&link.0);
            at = &link.1;
        }
        parts.into_iter().rev().flatten().copied().collect()
    }
}

#[derive(Clone)]
struct Reached {
    parts: Parts,
    wrote: bool,
    trail: Trail,
}

const ERASE_LINE: usize = 3; // CSI K
const ERASE_BELOW: usize = 3; // CSI J
const ERASE_ALL: usize = 4; // CSI 2 J

fn ech_len(n: usize) -> usize {
    csi_n(n)
}

/// The largest cursor move (CUP with three-digit row and column): any state
/// reaches any position for at most this.
const MAX_MOVE: usize = 10;

// The sequences whose lengths `cup_len`, `csi_n`, `horiz_len`, `move_len`
// and `sgr_len` count, for the tests' replay.

fn csi_seq(n: usize, fin: char) -> Vec<u8> {
    let n = if n > 1 { n.to_string() } else { String::new() };
    format!("\x1b[{n}{fin}").into_bytes()
}

fn cup_seq(row: usize, col: usize) -> Vec<u8> {
    let r = if row == 0 {
        String::new()
    } else {
        (row + 1).to_string()
    };
    match col {
        0 => format!("\x1b[{r}H"),
        c => format!("\x1b[{r};{}H", c + 1),
    }
    .into_bytes()
}

fn shortest(options: Vec<Vec<u8>>) -> Vec<u8> {
    options.into_iter().min_by_key(Vec::len).unwrap_or_default()
}

fn horiz_seq(from: Option<usize>, to: usize) -> Vec<u8> {
    let cha = if to == 0 {
        b"\r".to_vec()
    } else {
        format!("\x1b[{}G", to + 1).into_bytes()
    };
    match from {
        Some(f) if f == to => Vec::new(),
        Some(f) if f < to => shortest(vec![cha, csi_seq(to - f, 'C')]),
        Some(f) => shortest(vec![cha, csi_seq(f - to, 'D')]),
        None => cha,
    }
}

fn move_seq(at: Option<(usize, usize)>, pending: bool, row: usize, col: usize) -> Vec<u8> {
    let cup = cup_seq(row, col);
    let Some((pr, pc)) = at else { return cup };
    let from_col = if pending { None } else { Some(pc) };
    if pr == row {
        return shortest(vec![cup, horiz_seq(from_col, col)]);
    }
    let mut vpa = format!("\x1b[{}d", row + 1).into_bytes();
    vpa.extend(horiz_seq(from_col, col));
    let mut other = if row > pr {
        let d = row - pr;
        let mut down = if d <= csi_n(d) {
            vec![b'\n'; d]
        } else {
            csi_seq(d, 'B')
        };
        down.extend(if col == 0 {
            b"\r".to_vec()
        } else {
            horiz_seq(from_col, col)
        });
        down
    } else {
        csi_seq(pr - row, 'A')
    };
    if row < pr {
        other.extend(horiz_seq(from_col, col));
    }
    shortest(vec![cup, vpa, other])
}

fn color_param(c: Color, fg: bool) -> String {
    let base = if fg { 3 } else { 4 };
    match c {
        Color::Default => format!("{base}9"),
        Color::Idx(i) if i < 8 => format!("{base}{i}"),
        Color::Idx(i) if i < 16 => format!("{}{}", if fg { "9" } else { "10" }, i - 8),
        Color::Idx(i) => format!("{base}8;5;{i}"),
        Color::Rgb(r, g, b) => format!("{base}8;2;{r};{g};{b}"),
    }
}

fn sgr_seq(from: Pen, to: Pen) -> Vec<u8> {
    if from == to {
        return Vec::new();
    }
    let mut inc: Vec<String> = Vec::new();
    if (from.bold && !to.bold) || (from.dim && !to.dim) {
        inc.push("22".into());
        if to.bold {
            inc.push("1".into());
        }
        if to.dim {
            inc.push("2".into());
        }
    } else {
        if to.bold && !from.bold {
            inc.push("1".into());
        }
        if to.dim && !from.dim {
            inc.push("2".into());
        }
    }
    for (a, b, on) in [
        (from.italic, to.italic, "3"),
        (from.underline, to.underline, "4"),
        (from.inverse, to.inverse, "7"),
    ] {
        if a != b {
            inc.push(if b { on.into() } else { format!("2{on}") });
        }
    }
    if from.fg != to.fg {
        inc.push(color_param(to.fg, true));
    }
    if from.bg != to.bg {
        inc.push(color_param(to.bg, false));
    }
    let mut set: Vec<String> = Vec::new();
    for (on, p) in [
        (to.bold, "1"),
        (to.dim, "2"),
        (to.italic, "3"),
        (to.underline, "4"),
        (to.inverse, "7"),
    ] {
        if on {
            set.push(p.into());
        }
    }
    if to.fg != Color::Default {
        set.push(color_param(to.fg, true));
    }
    if to.bg != Color::Default {
        set.push(color_param(to.bg, false));
    }
    let inc = format!("\x1b[{}m", inc.join(";")).into_bytes();
    let reset = format!(
        "\x1b[{}m",
        set.iter().map(|p| format!(";{p}")).collect::<String>()
    )
    .into_bytes();
    shortest(vec![inc, reset])
}

/// The erase-aware floor for turning `before` into `after` (same size).
pub fn erase_floor(before: &Screen, after: &Screen) -> Parts {
    erase_floor_traced(before, after, false).0
}

/// The erase-aware floor and, when `trace`, the bytes of an encoding that costs it.
fn erase_floor_traced(before: &Screen, after: &Screen, trace: bool) -> (Parts, Vec<u8>) {
    let (rows, cols) = after.size();
    let (rows, cols) = (usize::from(rows.get()), usize::from(cols.get()));
    let start_pen = screen_pen(before);

    // Every pen the encoding may hold: the terminal's, the default, and
    // those of the cells to write.
    let mut pens: Vec<Pen> = vec![start_pen, Pen::default()];
    let pen_index = |pens: &mut Vec<Pen>, p: Pen| match pens.iter().position(|q| *q == p) {
        Some(i) => i,
        None => {
            pens.push(p);
            pens.len() - 1
        }
    };
    let mut grid: Vec<Vec<Unit>> = Vec::with_capacity(rows);
    for r in 0..rows {
        let mut row = Vec::with_capacity(cols);
        for c in 0..cols {
            let (Some(a), Some(b)) = (
                after.cell(r as u16, c as u16),
                before.cell(r as u16, c as u16),
            ) else {
                row.push(Unit {
                    start: false,
                    width: 1,
                    bytes: 0,
                    pen: 0,
                    blank: None,
                    dirty: false,
                });
                continue;
            };
            let mut dirty =
                !looks_same(a, b) || (b.is_wide_continuation() && !a.is_wide_continuation());
            if a.is_wide()
                && let (Some(a2), Some(b2)) = (
                    after.cell(r as u16, c as u16 + 1),
                    before.cell(r as u16, c as u16 + 1),
                )
            {
                dirty |= !looks_same(a2, b2) || !b2.is_wide_continuation();
            }
            row.push(Unit {
                start: !a.is_wide_continuation(),
                width: if a.is_wide() { 2 } else { 1 },
                bytes: cell_bytes(a),
                pen: pen_index(&mut pens, pen_of(a)),
                blank: blank_look(a),
                dirty,
            });
        }
        grid.push(row);
    }
    let mut bgs: Vec<Color> = Vec::new();
    for p in &pens {
        if !bgs.contains(&p.bg) {
            bgs.push(p.bg);
        }
    }
    let bg_of = |p: usize| bgs.iter().position(|b| *b == pens[p].bg).unwrap_or(0);
    let np = pens.len();
    let nb = bgs.len();
    // Erase states within a row: 0 none, 1 + k an EL of background k,
    // 1 + nb + k an ED of background k.
    let ne = 1 + 2 * nb;
    let screen_of = |e: usize| (e > nb).then(|| e - 1 - nb);

    let (cr, cc) = before.cursor_position();
    let mut states: std::collections::BTreeMap<Key, Reached> = std::collections::BTreeMap::new();
    let offer = |states: &mut std::collections::BTreeMap<Key, Reached>, k: Key, v: Reached| {
        let better = states
            .get(&k)
            .is_none_or(|old| v.parts.total() < old.parts.total());
        if better {
            states.insert(k, v);
        }
    };
    let origin = Key {
        row: usize::from(cr),
        col: usize::from(cc),
        pending: false,
        pen: 0,
        screen: None,
    };
    let nothing = Reached {
        parts: Parts::default(),
        wrote: false,
        trail: Trail::default(),
    };
    offer(&mut states, origin, nothing.clone());
    // CSI 2J first: the whole screen blank in the pen's background; or reset
    // the pen first, for blanks of the default background.
    if erases(start_pen) {
        let mut v = nothing.clone();
        v.parts.erase += ERASE_ALL;
        v.trail = v.trail.then(trace, || b"\x1b[2J".to_vec());
        let k = Key {
            screen: Some(bg_of(0)),
            ..origin
        };
        offer(&mut states, k, v);
    }
    if start_pen != Pen::default() {
        let mut v = nothing;
        v.parts.sgr += 3;
        v.parts.erase += ERASE_ALL;
        v.trail = v.trail.then(trace, || b"\x1b[m\x1b[2J".to_vec());
        let k = Key {
            pen: 1,
            screen: Some(bg_of(1)),
            ..origin
        };
        offer(&mut states, k, v);
    }

    let node = |x: usize, p: usize, e: usize| (x * np + p) * ne + e;
    let mut nodes: Vec<Option<(Parts, Trail)>> = vec![None; (cols + 1) * np * ne];
    for (r, units) in grid.iter().enumerate() {
        // Dirty under each erase state, and the next dirty column from each.
        let dirty = |c: usize, e: usize| -> bool {
            let u = &units[c];
            if !u.start {
                return false;
            }
            if e == 0 {
                u.dirty
            } else {
                let k = if e > nb { e - 1 - nb } else { e - 1 };
                u.blank != Some(erased(bgs[k]))
            }
        };
        let mut next_dirty = vec![cols; ne * (cols + 1)];
        for e in 0..ne {
            for c in (0..cols).rev() {
                next_dirty[e * (cols + 1) + c] = if dirty(c, e) {
                    c
                } else {
                    next_dirty[e * (cols + 1) + c + 1]
                };
            }
        }
        let nd = |e: usize, x: usize| next_dirty[e * (cols + 1) + x];
        // Blanks an ECH of background k can make, from each column.
        let mut run = vec![0usize; nb * (cols + 1)];
        for (k, bg) in bgs.iter().enumerate() {
            for c in (0..cols).rev() {
                let u = &units[c];
                run[k * (cols + 1) + c] = if u.start && u.width == 1 && u.blank == Some(erased(*bg))
                {
                    run[k * (cols + 1) + c + 1] + 1
                } else {
                    0
                };
            }
        }

        let mut out: std::collections::BTreeMap<Key, Reached> = std::collections::BTreeMap::new();
        nodes.iter_mut().for_each(|n| *n = None);
        let mut any = false;
        for (key, v) in &states {
            let e_in = key.screen.map_or(0, |k| 1 + nb + k);
            let first = nd(e_in, 0);
            if first == cols {
                // Nothing to do on this row: the pen stays where it was.
                offer(&mut out, *key, v.clone());
                continue;
            }
            // Arrive anywhere up to the first dirty cell (erasing may start
            // earlier), never past it: nothing goes back.
            let at = Some((key.row, key.col));
            for y in (0..=first).filter(|&y| units[y].start) {
                let mut parts = v.parts;
                parts.moves += move_len(at, key.pending, r, y);
                let i = node(y, key.pen, e_in);
                if nodes[i]
                    .as_ref()
                    .is_none_or(|old| parts.total() < old.0.total())
                {
                    let trail = v.trail.then(trace, || move_seq(at, key.pending, r, y));
                    nodes[i] = Some((parts, trail));
                    any = true;
                }
            }
        }
        if any {
            // Keeps the cheaper way to node `i`; the bytes are made only
            // when tracing, and only when they are kept.
            let relax = |nodes: &mut Vec<Option<(Parts, Trail)>>,
                         i: usize,
                         parts: Parts,
                         from: &Trail,
                         bytes: &dyn Fn() -> Vec<u8>| {
                if nodes[i]
                    .as_ref()
                    .is_none_or(|old| parts.total() < old.0.total())
                {
                    nodes[i] = Some((parts, from.then(trace, bytes)));
                }
            };
            let reached = |parts: Parts, trail: Trail| Reached {
                parts,
                wrote: true,
                trail,
            };
            for x in 0..=cols {
                for e in 0..ne {
                    for p in 0..np {
                        let Some((parts, trail)) = nodes[node(x, p, e)].clone() else {
                            continue;
                        };
                        let screen = screen_of(e);
                        if x == cols {
                            // Pending wrap after the last column.
                            let k = Key {
                                row: r,
                                col: cols - 1,
                                pending: true,
                                pen: p,
                                screen,
                            };
                            offer(&mut out, k, reached(parts, trail));
                            continue;
                        }
                        if nd(e, x) == cols {
                            let k = Key {
                                row: r,
                                col: x,
                                pending: false,
                                pen: p,
                                screen,
                            };
                            offer(&mut out, k, reached(parts, trail.clone()));
                        }
                        let u = units[x];
                        // Write the cell (a dirty one, or a clean one to bridge).
                        {
                            let mut q = parts;
                            let keep = u.blank.is_some() && u.blank == Some(look(pens[p]));
                            let pen = if keep {
                                p
                            } else {
                                q.sgr += sgr_len(pens[p], pens[u.pen]);
                                u.pen
                            };
                            if u.blank.is_some() {
                                q.blank += u.bytes;
                            } else {
                                q.text += u.bytes;
                            }
                            let bytes = || {
                                let mut b = if keep {
                                    Vec::new()
                                } else {
                                    sgr_seq(pens[p], pens[u.pen])
                                };
                                match after.cell(r as u16, x as u16) {
                                    Some(c) if c.has_contents() => {
                                        b.extend_from_slice(c.contents().as_bytes())
                                    }
                                    _ => b.push(b' '),
                                }
                                b
                            };
                            let to = node((x + u.width).min(cols), pen, e);
                            relax(&mut nodes, to, q, &trail, &bytes);
                        }
                        // Jump over clean cells to the next dirty one.
                        let y = nd(e, x);
                        if y > x && y < cols {
                            let mut q = parts;
                            q.moves += horiz_len(Some(x), y);
                            relax(&mut nodes, node(y, p, e), q, &trail, &|| {
                                horiz_seq(Some(x), y)
                            });
                        }
                        if !erases(pens[p]) {
                            continue;
                        }
                        let k = bg_of(p);
                        if e == 0 {
                            let mut q = parts;
                            q.erase += ERASE_LINE;
                            relax(&mut nodes, node(x, p, 1 + k), q, &trail, &|| {
                                b"\x1b[K".to_vec()
                            });
                        }
                        if e <= nb {
                            let mut q = parts;
                            q.erase += ERASE_BELOW;
                            relax(&mut nodes, node(x, p, 1 + nb + k), q, &trail, &|| {
                                b"\x1b[J".to_vec()
                            });
                        }
                        // ECH over the blanks from here, the pen staying put.
                        let n = run[k * (cols + 1) + x];
                        let already = e != 0 && (e - 1) % nb == k;
                        if n >= 2 && !already {
                            let mut q = parts;
                            q.erase += ech_len(n);
                            let y = nd(e, x + n);
                            if y < cols {
                                q.moves += horiz_len(Some(x), y);
                                relax(&mut nodes, node(y, p, e), q, &trail, &|| {
                                    let mut b = csi_seq(n, 'X');
                                    b.extend(horiz_seq(Some(x), y));
                                    b
                                });
                            } else {
                                let key = Key {
                                    row: r,
                                    col: x,
                                    pending: false,
                                    pen: p,
                                    screen,
                                };
                                let t = trail.then(trace, || csi_seq(n, 'X'));
                                offer(&mut out, key, reached(q, t));
                            }
                        }
                    }
                }
            }
        }
        // Drop states another one provably beats: from the best state of the
        // same ED, any position is at most MAX_MOVE away and any pen one SGR.
        let mut best: Vec<Option<(usize, usize)>> = vec![None; nb + 1];
        for (k, v) in &out {
            let slot = k.screen.map_or(nb, |s| s);
            let t = v.parts.total();
            if best[slot].is_none_or(|b| t < b.0) {
                best[slot] = Some((t, k.pen));
            }
        }
        out.retain(|k, v| {
            let slot = k.screen.map_or(nb, |s| s);
            best[slot].is_none_or(|(t, pen)| {
                v.parts.total() <= t + MAX_MOVE + sgr_len(pens[pen], pens[k.pen])
            })
        });
        states = out;
    }

    // The cursor, as in the changed-cells floor.
    let mut result: Option<(Parts, Trail)> = None;
    for (k, v) in &states {
        let mut p = v.parts;
        let mut trail = v.trail.clone();
        if before.hide_cursor() != after.hide_cursor() {
            p.other += 6;
            let show: &[u8] = if after.hide_cursor() {
                b"\x1b[?25l"
            } else {
                b"\x1b[?25h"
            };
            trail = trail.then(trace, || show.to_vec());
        }
        if !after.hide_cursor() {
            let (tr, tc) = after.cursor_position();
            // vt100 puts a cursor in pending wrap past the last column; a
            // terminal shows it on the last column, where CUP can put it.
            let pending = usize::from(tc) >= cols;
            let target = (usize::from(tr), usize::from(tc).min(cols - 1));
            if (v.wrote || before.cursor_position() != after.cursor_position())
                && ((k.row, k.col) != target || (k.pending && !pending))
            {
                let at = Some((k.row, k.col));
                p.moves += move_len(at, k.pending, target.0, target.1);
                trail = trail.then(trace, || move_seq(at, k.pending, target.0, target.1));
            }
        }
        if result.as_ref().is_none_or(|b| p.total() < b.0.total()) {
            result = Some((p, trail));
        }
    }
    result.map_or_else(Default::default, |(p, t)| (p, t.bytes()))
}

// ---------------------------------------------------------------------------
// scrolling

/// How many cells of `after`'s row `ar` look the same as `before`'s row `br`.
fn same_cells(before: &Screen, br: usize, after: &Screen, ar: usize, cols: usize) -> i64 {
    (0..cols)
        .filter(|&c| {
            match (
                before.cell(br as u16, c as u16),
                after.cell(ar as u16, c as u16),
            ) {
                (Some(b), Some(a)) => looks_same(a, b),
                _ => false,
            }
        })
        .count() as i64
}

/// The bytes that scroll rows `top..=bottom` (0-based) by `n` lines, up
/// when `up`: DECSTBM, SU/SD and DECSTBM again to reset the region (which
/// leaves the cursor home); for the whole screen SU/SD alone.
fn scroll_bytes(rows: usize, top: usize, bottom: usize, n: usize, up: bool) -> Vec<u8> {
    let count = if n > 1 { n.to_string() } else { String::new() };
    let su = format!("\x1b[{count}{}", if up { 'S' } else { 'T' });
    if top == 0 && bottom == rows - 1 {
        return su.into_bytes();
    }
    let t = if top == 0 {
        String::new()
    } else {
        (top + 1).to_string()
    };
    let region = if bottom == rows - 1 {
        format!("\x1b[{t}r")
    } else {
        format!("\x1b[{t};{}r", bottom + 1)
    };
    format!("{region}{su}\x1b[r").into_bytes()
}

/// The floor the benches report: the cheaper of [`erase_floor`] and, for
/// the few most promising scrolls of a band of rows (the shift and band
/// where the most cells of `after` are found in `before`, moved), the
/// scroll's bytes (counted as `other`) plus the erase-aware floor from the
/// scrolled screen, as the terminal itself would show it.
pub fn best_floor(before: &Screen, after: &Screen) -> Parts {
    best_floor_traced(before, after, false).0
}

/// [`best_floor`] and, when `trace`, the bytes of an encoding that costs it.
fn best_floor_traced(before: &Screen, after: &Screen, trace: bool) -> (Parts, Vec<u8>) {
    let (rows, cols) = after.size();
    let (rows, cols) = (usize::from(rows.get()), usize::from(cols.get()));
    let mut best = erase_floor_traced(before, after, trace);
    let stay: Vec<i64> = (0..rows)
        .map(|r| same_cells(before, r, after, r, cols))
        .collect();
    // (gain in cells, top, bottom, n, up): the best band per shift, by the
    // largest-sum run of rows (Kadane's algorithm) of what the shift gains.
    let mut candidates: Vec<(i64, usize, usize, usize, bool)> = Vec::new();
    for n in 1..rows {
        for up in [true, false] {
            let mut run: Option<(i64, usize)> = None;
            let mut top: Option<(i64, usize, usize)> = None;
            for (ar, &stays) in stay.iter().enumerate() {
                let src = if up { ar + n } else { ar.wrapping_sub(n) };
                if src >= rows {
                    run = None;
                    continue;
                }
                let g = same_cells(before, src, after, ar, cols) - stays;
                let (sum, start) = match run {
                    Some((s, st)) if s > 0 => (s + g, st),
                    _ => (g, ar),
                };
                run = Some((sum, start));
                if top.is_none_or(|t| sum > t.0) {
                    top = Some((sum, start, ar));
                }
            }
            if let Some((gain, a, b)) = top.filter(|t| t.0 > 8) {
                // After rows a..=b come from before rows a+n..=b+n (up) or
                // a-n..=b-n (down): the band spans both.
                let (t, bt) = if up { (a, b + n) } else { (a - n, b) };
                candidates.push((gain, t, bt, n, up));
            }
        }
    }
    candidates.sort_by_key(|c| std::cmp::Reverse(c.0));
    for &(_, top, bottom, n, up) in candidates.iter().take(3) {
        let mut bytes = Vec::new();
        let reset = screen_pen(before).bg != Color::Default;
        if reset {
            // New lines take the pen's background on some terminals only.
            bytes.extend_from_slice(b"\x1b[m");
        }
        bytes.extend(scroll_bytes(rows, top, bottom, n, up));
        let nz = |v: usize| std::num::NonZeroU16::new(v as u16).expect("a size");
        let mut p = vt100::Parser::new(nz(rows), nz(cols), 0);
        p.process(before.state_formatted().as_bytes());
        p.process(&bytes);
        let (mut f, rest) = erase_floor_traced(p.screen(), after, trace);
        // The scrolled screen's cursor is where the scroll left it; the
        // cursor's visibility is the one before.
        f.other += bytes.len();
        if f.total() < best.0.total() {
            bytes.extend(rest);
            best = (f, bytes);
        }
    }
    best
}

/// [`best_floor`], checked to be a real encoding: its own bytes, replayed
/// in vt100 after `before`, cost what the floor says and make a screen that
/// looks like `after` (cells, cursor). The tests run it on random screens;
/// the wire bench's smoke test on every screen it measures.
pub fn verified_floor(before: &Screen, after: &Screen) -> Result<Parts, String> {
    let (parts, bytes) = best_floor_traced(before, after, true);
    let shown = bytes.escape_ascii();
    if bytes.len() != parts.total() {
        return Err(format!(
            "the encoding has {} bytes, the floor {}: {shown}",
            bytes.len(),
            parts.total()
        ));
    }
    let (rows, cols) = after.size();
    let mut p = vt100::Parser::new(rows, cols, 0);
    p.process(before.state_formatted().as_bytes());
    p.process(&bytes);
    let got = p.screen();
    for r in 0..rows.get() {
        for c in 0..cols.get() {
            let (Some(want), Some(have)) = (after.cell(r, c), got.cell(r, c)) else {
                continue;
            };
            if !looks_same(want, have) || want.is_wide() != have.is_wide() {
                return Err(format!(
                    "cell ({r}, {c}): want {:?}, got {:?} after {shown}",
                    want.contents(),
                    have.contents()
                ));
            }
        }
    }
    if got.hide_cursor() != after.hide_cursor() {
        return Err(format!("cursor visibility differs after {shown}"));
    }
    // A cursor in pending wrap shows on the last column.
    let place = |s: &Screen| {
        let (r, c) = s.cursor_position();
        (r, c.min(cols.get() - 1))
    };
    if !after.hide_cursor() && place(got) != place(after) {
        return Err(format!(
            "cursor at {:?}, want {:?}, after {shown}",
            place(got),
            place(after)
        ));
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_reaches(before: &Screen, after: &Screen) {
        match verified_floor(before, after) {
            Ok(parts) => assert_eq!(parts, best_floor(before, after), "tracing changes nothing"),
            Err(e) => panic!("{e}"),
        }
    }

    fn screen(rows: u16, cols: u16, bytes: &[u8]) -> Screen {
        let nz = |n: u16| std::num::NonZeroU16::new(n).expect("a size");
        let mut p = vt100::Parser::new(nz(rows), nz(cols), 0);
        p.process(bytes);
        p.screen().clone()
    }

    #[test]
    fn same_screen_costs_nothing() {
        let a = screen(4, 20, b"hello\r\nworld");
        assert_eq!(erase_floor(&a, &a).total(), 0);
    }

    #[test]
    fn painted_spaces_are_no_change() {
        // Spaces written over never-written cells look the same.
        let a = screen(2, 10, b"");
        let b = screen(2, 10, b"          \x1b[H");
        assert_eq!(erase_floor(&a, &b).total(), 0);
        assert!(floor(&a, &b) > 0);
    }

    #[test]
    fn a_line_tail_is_one_el() {
        let a = screen(2, 40, b"keep this and then a long tail of text\x1b[H");
        let b = screen(2, 40, b"keep this\x1b[H");
        assert_reaches(&a, &b);
        // CUF to the blank at column 9 (`CSI 9C`), EL, CR back home.
        let f = erase_floor(&a, &b);
        assert_eq!(f.erase, 3);
        assert_eq!(f.total(), 4 + 3 + 1);
        assert!(floor(&a, &b) > 29);
    }

    #[test]
    fn a_blank_screen_is_one_ed() {
        let mut text = Vec::new();
        for _ in 0..10 {
            text.extend_from_slice(b"lorem ipsum dolor sit amet\r\n");
        }
        text.extend_from_slice(b"\x1b[H");
        let a = screen(12, 30, &text);
        let b = screen(12, 30, b"");
        assert_reaches(&a, &b);
        // The cursor is home: `CSI J` blanks it all, one byte less than `CSI 2J`.
        assert_eq!(erase_floor(&a, &b).total(), ERASE_BELOW);
        let c = screen(12, 30, &[&text[..], b"\x1b[5;5H"].concat());
        assert_eq!(
            erase_floor(&c, &screen(12, 30, b"\x1b[5;5H")).total(),
            ERASE_ALL
        );
    }

    #[test]
    fn a_gap_inside_a_line_may_be_ech() {
        let a = screen(
            1,
            60,
            format!("left {} right\x1b[H", "x".repeat(40)).as_bytes(),
        );
        let b = screen(
            1,
            60,
            format!("left {} right\x1b[H", " ".repeat(40)).as_bytes(),
        );
        let f = erase_floor(&a, &b);
        // CUF to column 5 (`CSI 5C`), ECH to "right" (`CSI 41X`), CR back home;
        // an EL would cost "right" again.
        assert_eq!((f.erase, f.total()), (5, 4 + 5 + 1));
    }

    #[test]
    fn text_still_costs_its_bytes() {
        let a = screen(1, 20, b"");
        let b = screen(1, 20, b"\x1b[1mbold\x1b[m\x1b[H");
        assert_reaches(&a, &b);
        let f = erase_floor(&a, &b);
        // CSI 1m, the text, CR back home; the pen need not be reset.
        assert_eq!((f.text, f.sgr, f.total()), (4, 4, 9));
    }

    #[test]
    fn random_screens_are_reached_and_never_above_the_changed_cells_floor() {
        // It can do everything that model does, on fewer changed cells; and
        // what it costs is an encoding that works.
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let random_screen = |next: &mut dyn FnMut(u64) -> u64| {
            let mut bytes = Vec::new();
            for _ in 0..next(30) + 5 {
                let (r, c) = (next(8) + 1, next(40) + 1);
                bytes.extend_from_slice(format!("\x1b[{r};{c}H").as_bytes());
                match next(9) {
                    0 => bytes.extend_from_slice(b"\x1b[1;34m"),
                    1 => bytes.extend_from_slice(b"\x1b[7m"),
                    2 => bytes.extend_from_slice(b"\x1b[m"),
                    3 => bytes.extend_from_slice(b"\x1b[K"),
                    4 => bytes.extend_from_slice(b"\x1b[44m"),
                    5 => bytes.extend_from_slice(b"\x1b[38;5;200;4m"),
                    6 => bytes.extend_from_slice(b"\x1b[22;2;93m"),
                    _ => {}
                }
                let words = [
                    "word ",
                    "    ",
                    "lang woord ",
                    "\u{2019}s ",
                    "\u{4e16}\u{754c}",
                ];
                bytes.extend_from_slice(words[next(5) as usize].as_bytes());
            }
            screen(8, 40, &bytes)
        };
        for _ in 0..100 {
            let a = random_screen(&mut next);
            let b = random_screen(&mut next);
            assert!(erase_floor(&a, &b).total() <= floor(&a, &b));
            assert_reaches(&a, &b);
        }
    }

    #[test]
    fn a_scroll_costs_the_scroll_and_the_new_line() {
        // Every line different from its neighbours, as text is.
        let line = |i: usize| {
            let words = [
                "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
            ];
            (0..4)
                .map(|k| words[(i * 3 + k * 5) % 7])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut text = Vec::new();
        for i in 0..12 {
            text.extend_from_slice(format!("\x1b[{};1H{}", i + 1, line(i)).as_bytes());
        }
        let a = screen(12, 40, &[&text[..], b"\x1b[H"].concat());
        let mut moved = Vec::new();
        for i in 1..13 {
            moved.extend_from_slice(format!("\x1b[{i};1H{}", line(i)).as_bytes());
        }
        let b = screen(12, 40, &[&moved[..], b"\x1b[H"].concat());
        assert_reaches(&a, &b);
        let f = best_floor(&a, &b);
        // `CSI S`, then the new bottom line (a move and its text), then home.
        assert!(f.total() < 40, "{f:?}");
        assert!(erase_floor(&a, &b).total() > 200);
    }
}
