//! The escape sequences the wire backend sends, each in its shortest
//! spelling.

use std::fmt::Write as _;

use ratatui::buffer::{Cell, CellWidth};
use ratatui::style::{Color, Modifier};

/// The attributes that SGR sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pen {
    /// Foreground colour.
    pub fg: Color,
    /// Background colour.
    pub bg: Color,
    /// Bold, reverse and the rest.
    pub modifier: Modifier,
}

/// The attributes after a reset (`CSI m`): what an erase must be done with.
pub const PLAIN: Pen = Pen {
    fg: Color::Reset,
    bg: Color::Reset,
    modifier: Modifier::empty(),
};

impl Pen {
    /// The attributes `cell` is drawn with.
    pub fn of(cell: &Cell) -> Pen {
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            modifier: cell.modifier,
        }
    }
}

/// Where the cursor is: its row, and its column when known. After the last
/// column or an odd grapheme terminals disagree on the column, never on the
/// row (autowrap is off).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// Column, if known.
    pub x: Option<u16>,
    /// Row.
    pub y: u16,
}

impl Cursor {
    /// The cursor at a known column and row.
    pub fn at(x: u16, y: u16) -> Cursor {
        Cursor { x: Some(x), y }
    }
}

/// Whether a cell shows nothing with default attributes: what an erase
/// done with [`PLAIN`] leaves, in every terminal and in `vt100`.
pub fn blank(cell: &Cell) -> bool {
    cell.symbol() == " " && Pen::of(cell) == PLAIN
}

/// The columns `cell` takes: a control character (never sent as it is)
/// takes one.
pub fn width(cell: &Cell) -> u16 {
    let symbol = cell.symbol();
    if symbol.chars().any(char::is_control) {
        1
    } else {
        symbol.cell_width().max(1)
    }
}

/// Whether two cells look the same (ratatui's `==` also compares flags
/// that never reach the terminal).
pub fn same(a: &Cell, b: &Cell) -> bool {
    a.symbol() == b.symbol() && Pen::of(a) == Pen::of(b)
}

/// Erase to the end of the line (EL).
pub const EL: &str = "\x1b[K";
/// Erase to the end of the screen (ED).
pub const ED: &str = "\x1b[J";
/// Erase the whole screen; the cursor stays. The encoder erases with ED
/// from the top left instead: tests/hostile takes a `CSI 2J` in the output
/// for one smuggled in by a report.
pub const CLEAR: &str = "\x1b[2J";

/// Erase `n` cells from the cursor, which stays (ECH).
pub fn ech(n: u16) -> String {
    if n == 1 {
        "\x1b[X".into()
    } else {
        format!("\x1b[{n}X")
    }
}

/// The SGR that takes the terminal from `old` (`None`: unknown) to `new`:
/// only the differences, or a reset and what `new` needs, whichever is
/// shorter; empty when nothing changes.
pub fn sgr(old: Option<Pen>, new: Pen) -> String {
    if old == Some(new) {
        return String::new();
    }
    let reset = sgr_reset(new);
    let params = match old.map(|o| sgr_diff(o, new)) {
        Some(d) if d.len() <= reset.len() => d,
        _ => reset,
    };
    format!("\x1b[{params}m")
}

// SGR parameters that bring a terminal from `old` to `new` without a reset;
// turning off bold also turns off dim (22), so both are re-set if needed.
pub(super) fn sgr_diff(old: Pen, new: Pen) -> String {
    let mut p: Vec<String> = Vec::new();
    let removed = old.modifier - new.modifier;
    let mut add = new.modifier - old.modifier;
    if removed.intersects(Modifier::BOLD | Modifier::DIM) {
        p.push("22".into());
        add |= new.modifier & (Modifier::BOLD | Modifier::DIM);
    }
    for (m, off) in [
        (Modifier::ITALIC, "23"),
        (Modifier::UNDERLINED, "24"),
        (Modifier::SLOW_BLINK | Modifier::RAPID_BLINK, "25"),
        (Modifier::REVERSED, "27"),
        (Modifier::HIDDEN, "28"),
        (Modifier::CROSSED_OUT, "29"),
    ] {
        if removed.intersects(m) {
            p.push(off.into());
        }
    }
    p.extend(modifier_params(add));
    if old.fg != new.fg {
        p.push(color(new.fg, false));
    }
    if old.bg != new.bg {
        p.push(color(new.bg, true));
    }
    p.join(";")
}

// A reset, then everything `new` needs ("" alone means reset).
pub(super) fn sgr_reset(new: Pen) -> String {
    let mut p = vec![String::new()];
    p.extend(modifier_params(new.modifier));
    if new.fg != Color::Reset {
        p.push(color(new.fg, false));
    }
    if new.bg != Color::Reset {
        p.push(color(new.bg, true));
    }
    if p.len() == 1 {
        String::new()
    } else {
        p.join(";")
    }
}

fn modifier_params(m: Modifier) -> Vec<String> {
    [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::SLOW_BLINK, "5"),
        (Modifier::RAPID_BLINK, "6"),
        (Modifier::REVERSED, "7"),
        (Modifier::HIDDEN, "8"),
        (Modifier::CROSSED_OUT, "9"),
    ]
    .into_iter()
    .filter(|(flag, _)| m.contains(*flag))
    .map(|(_, s)| s.to_string())
    .collect()
}

fn color(c: Color, background: bool) -> String {
    let base = if background { 40 } else { 30 };
    let bright = if background { 100 } else { 90 };
    match c {
        Color::Reset => (base + 9).to_string(),
        Color::Black => base.to_string(),
        Color::Red => (base + 1).to_string(),
        Color::Green => (base + 2).to_string(),
        Color::Yellow => (base + 3).to_string(),
        Color::Blue => (base + 4).to_string(),
        Color::Magenta => (base + 5).to_string(),
        Color::Cyan => (base + 6).to_string(),
        Color::Gray => (base + 7).to_string(),
        Color::DarkGray => bright.to_string(),
        Color::LightRed => (bright + 1).to_string(),
        Color::LightGreen => (bright + 2).to_string(),
        Color::LightYellow => (bright + 3).to_string(),
        Color::LightBlue => (bright + 4).to_string(),
        Color::LightMagenta => (bright + 5).to_string(),
        Color::LightCyan => (bright + 6).to_string(),
        Color::White => (bright + 7).to_string(),
        Color::Indexed(i) => format!("{};5;{i}", base + 8),
        Color::Rgb(r, g, b) => format!("{};2;{r};{g};{b}", base + 8),
    }
}

/// The shortest sequence that moves the cursor from `from` (`None`:
/// unknown) to column `x`, row `y` without writing any cell: CUP, or a
/// vertical move (LF, CUD, CUU, VPA) followed by a horizontal one (CR,
/// CUF, CUB, CHA). LF moves straight down: raw mode sends it as it is, and
/// the rows it crosses are on the screen, so it never scrolls.
pub fn move_to(from: Option<Cursor>, x: u16, y: u16) -> String {
    let mut s = String::new();
    for step in plan(from, x, y) {
        step.write(&mut s);
    }
    s
}

/// The length of [`move_to`], without spelling it.
pub fn move_len(from: Option<Cursor>, x: u16, y: u16) -> usize {
    plan(from, x, y).iter().map(|s| s.len()).sum()
}

// One cursor movement, 1-based where the terminal counts so.
#[derive(Clone, Copy)]
enum Step {
    None,
    Lf(u16),
    Cr,
    Csi(u32, char),
    Cup(u32, u32),
}

impl Step {
    fn len(self) -> usize {
        match self {
            Step::None => 0,
            Step::Lf(n) => usize::from(n),
            Step::Cr => 1,
            // CSI n X, the count left out when it is 1.
            Step::Csi(n, _) => 3 + if n == 1 { 0 } else { digits(n) },
            Step::Cup(1, 1) => 3,
            Step::Cup(r, 1) => 3 + digits(r),
            Step::Cup(1, c) => 4 + digits(c),
            Step::Cup(r, c) => 4 + digits(r) + digits(c),
        }
    }

    fn write(self, s: &mut String) {
        let _ = match self {
            Step::None => Ok(()),
            Step::Lf(n) => {
                s.extend(std::iter::repeat_n('\n', usize::from(n)));
                Ok(())
            }
            Step::Cr => s.write_char('\r'),
            Step::Csi(1, f) => write!(s, "\x1b[{f}"),
            Step::Csi(n, f) => write!(s, "\x1b[{n}{f}"),
            Step::Cup(1, 1) => s.write_str("\x1b[H"),
            Step::Cup(r, 1) => write!(s, "\x1b[{r}H"),
            Step::Cup(1, c) => write!(s, "\x1b[;{c}H"),
            Step::Cup(r, c) => write!(s, "\x1b[{r};{c}H"),
        };
    }
}

fn digits(n: u32) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

// `a`, unless `b` is shorter.
fn shortest(a: Step, b: Step) -> Step {
    if b.len() < a.len() { b } else { a }
}

fn plan(from: Option<Cursor>, x: u16, y: u16) -> [Step; 2] {
    let absolute = [Step::Cup(u32::from(y) + 1, u32::from(x) + 1), Step::None];
    let Some(from) = from else {
        return absolute;
    };
    if from.y == y && from.x == Some(x) {
        return [Step::None, Step::None];
    }
    let relative = [vertical(from.y, y), horizontal(from.x, x)];
    let len = |p: &[Step; 2]| p[0].len() + p[1].len();
    if len(&relative) < len(&absolute) {
        relative
    } else {
        absolute
    }
}

fn vertical(from: u16, to: u16) -> Step {
    let vpa = Step::Csi(u32::from(to) + 1, 'd');
    match to.cmp(&from) {
        std::cmp::Ordering::Equal => Step::None,
        std::cmp::Ordering::Greater => {
            let d = to - from;
            let best = shortest(Step::Csi(u32::from(d), 'B'), vpa);
            if usize::from(d) <= best.len() {
                Step::Lf(d)
            } else {
                best
            }
        }
        std::cmp::Ordering::Less => shortest(Step::Csi(u32::from(from - to), 'A'), vpa),
    }
}

// No backspace: the browser's own output holds no C0 control but ESC, CR
// and LF, so anything else in it is a leak (tests/hostile).
fn horizontal(from: Option<u16>, to: u16) -> Step {
    if to == 0 {
        return if from == Some(0) {
            Step::None
        } else {
            Step::Cr
        };
    }
    let cha = Step::Csi(u32::from(to) + 1, 'G');
    match from {
        Some(f) if f == to => Step::None,
        Some(f) if f < to => shortest(Step::Csi(u32::from(to - f), 'C'), cha),
        Some(f) => shortest(Step::Csi(u32::from(f - to), 'D'), cha),
        None => cha,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_take_the_shortest_spelling() {
        let at = |x, y| Some(Cursor::at(x, y));
        assert_eq!(move_to(None, 0, 0), "\x1b[H");
        assert_eq!(move_to(None, 0, 4), "\x1b[5H");
        assert_eq!(move_to(None, 9, 0), "\x1b[;10H");
        assert_eq!(move_to(None, 9, 4), "\x1b[5;10H");
        assert_eq!(move_to(at(3, 4), 3, 4), "");
        assert_eq!(move_to(at(3, 4), 0, 5), "\n\r");
        assert_eq!(move_to(at(3, 4), 3, 5), "\n");
        assert_eq!(move_to(at(3, 4), 4, 4), "\x1b[C");
        assert_eq!(move_to(at(70, 4), 75, 4), "\x1b[5C");
        assert_eq!(move_to(at(3, 4), 2, 4), "\x1b[D");
        assert_eq!(move_to(at(9, 4), 6, 4), "\x1b[3D");
        assert_eq!(move_to(at(19, 4), 9, 4), "\x1b[10D");
        assert_eq!(move_to(at(3, 4), 3, 20), "\x1b[16B");
        assert_eq!(move_to(at(3, 20), 3, 2), "\x1b[3d");
        assert_eq!(move_to(at(3, 20), 3, 18), "\x1b[2A");
        let unknown_column = Some(Cursor { x: None, y: 4 });
        assert_eq!(move_to(unknown_column, 0, 5), "\n\r");
        assert_eq!(move_to(unknown_column, 7, 4), "\x1b[8G");
    }

    #[test]
    fn sgr_changes_are_minimal() {
        let bold = Pen {
            modifier: Modifier::BOLD,
            ..PLAIN
        };
        let rev = Pen {
            modifier: Modifier::REVERSED,
            ..PLAIN
        };
        assert_eq!(sgr_reset(PLAIN), "");
        assert_eq!(sgr_diff(PLAIN, bold), "1");
        assert_eq!(sgr_diff(bold, PLAIN), "22");
        assert_eq!(sgr_diff(bold, rev), "22;7");
        let cyan = Pen {
            fg: Color::Cyan,
            ..bold
        };
        assert_eq!(sgr_diff(bold, cyan), "36");
        assert_eq!(sgr_reset(cyan), ";1;36");
        assert_eq!(sgr(Some(bold), bold), "");
        assert_eq!(sgr(None, PLAIN), "\x1b[m");
        assert_eq!(sgr(Some(cyan), PLAIN), "\x1b[m");
    }

    #[test]
    fn erasing_sequences_are_short() {
        assert_eq!(ech(1), "\x1b[X");
        assert_eq!(ech(12), "\x1b[12X");
    }
}
