//! A ratatui backend that spends as few bytes as it can: every byte may cross
//! a slow link.
//!
//! Compared with the stock crossterm backend it moves the cursor with the
//! shortest sequence (none when the next cell is adjacent, `\r\n` to the next
//! line, CHA within a line, CUP otherwise), changes attributes with one
//! combined SGR (only the differences, or a reset when that is shorter, with
//! the 16 basic colours in their 2-digit forms), does not reset attributes
//! after every frame, hides or shows the cursor only when that changes, and
//! never asks the terminal anything. It is also the last guard on the way
//! out: a control character in a cell is written as U+FFFD.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Cell, CellWidth};
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};

/// The frugal backend, writing to `W`.
pub struct WireBackend<W: Write> {
    out: W,
    /// Where the terminal's cursor is, when we know.
    cursor: Option<(u16, u16)>,
    /// The attributes in effect, when we know.
    style: Option<Pen>,
    /// Whether the cursor is visible, when we know.
    visible: Option<bool>,
    /// The screen's size: the session's, not asked of any terminal.
    size: Size,
    /// What each cell of the terminal shows, as far as we know (`None`:
    /// unknown, or covered by a wide character). Lets a short run of
    /// unchanged cells be rewritten instead of jumped over, which is cheaper
    /// than a cursor move for the space between two words.
    mirror: Vec<Option<Cell>>,
    /// The width `mirror` is laid out for.
    mirror_width: u16,
    /// Send only ASCII (a terminal that is not UTF-8, or `--ascii`).
    ascii: bool,
}

// The attributes that SGR sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

/// The most bytes one cell may send (a grapheme of a few dozen characters);
/// the sanitiser already caps runs of combining marks at load.
const MAX_CELL_BYTES: usize = 64;

const PLAIN: Pen = Pen {
    fg: Color::Reset,
    bg: Color::Reset,
    modifier: Modifier::empty(),
};

impl<W: Write> WireBackend<W> {
    /// A backend for a `width` x `height` screen writing to `out`; what the
    /// terminal shows is unknown at first.
    pub fn with_size(out: W, width: u16, height: u16) -> Self {
        WireBackend {
            out,
            cursor: None,
            style: None,
            visible: None,
            size: Size::new(width, height),
            mirror: Vec::new(),
            mirror_width: 0,
            ascii: false,
        }
    }

    /// Sends only ASCII from now on: every cell transliterated to fit its width.
    pub fn set_ascii(&mut self, ascii: bool) {
        self.ascii = ascii;
    }

    /// The screen is now `width` x `height` (ratatui notices on its next draw).
    pub fn set_size(&mut self, width: u16, height: u16) {
        self.size = Size::new(width, height);
    }

    /// Forgets what we knew about the terminal (after it was used by someone
    /// else, e.g. the shell during a suspend).
    pub fn forget(&mut self) {
        self.cursor = None;
        self.style = None;
        self.visible = None;
        self.mirror.clear();
    }

    // The mirror after the screen was erased: every cell blank.
    fn blank_mirror(&mut self) {
        let size = self.size;
        self.mirror_width = size.width;
        self.mirror =
            vec![Some(Cell::default()); usize::from(size.width) * usize::from(size.height)];
    }

    fn mirror_index(&self, x: u16, y: u16) -> Option<usize> {
        (x < self.mirror_width)
            .then(|| usize::from(y) * usize::from(self.mirror_width) + usize::from(x))
            .filter(|&i| i < self.mirror.len())
    }

    // The bytes that re-draw cells `from..to` of row `y` as they already are,
    // if that is possible without changing attributes (single-width cells in
    // the current pen, all known).
    fn gap_bytes(&self, y: u16, from: u16, to: u16) -> Option<Vec<u8>> {
        let pen = self.style?;
        let mut out = Vec::new();
        for x in from..to {
            let cell = self.mirror.get(self.mirror_index(x, y)?)?.as_ref()?;
            let symbol = cell.symbol();
            let simple = symbol.chars().nth(1).is_none()
                && !symbol.chars().any(char::is_control)
                && (symbol.is_ascii() || !self.ascii);
            let same_pen = pen
                == Pen {
                    fg: cell.fg,
                    bg: cell.bg,
                    modifier: cell.modifier,
                };
            if !simple || !same_pen || symbol.cell_width() != 1 {
                return None;
            }
            out.extend_from_slice(symbol.as_bytes());
        }
        Some(out)
    }

    /// The writer.
    pub fn writer(&self) -> &W {
        &self.out
    }

    /// The writer, mutably.
    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.out
    }

    fn move_to(&mut self, x: u16, y: u16) -> io::Result<()> {
        let cha = format!("\x1b[{}G", x + 1);
        let gap = match self.cursor {
            Some((cx, cy)) if cy == y && cx < x => {
                self.gap_bytes(y, cx, x).filter(|g| g.len() <= cha.len())
            }
            _ => None,
        };
        match (self.cursor, gap) {
            (Some((cx, cy)), _) if (cx, cy) == (x, y) => {}
            (_, Some(gap)) => self.out.write_all(&gap)?,
            (Some((_, cy)), None) if cy == y => self.out.write_all(cha.as_bytes())?,
            // A line feed below the last row would scroll: only use it within the screen.
            (Some((_, cy)), None) if y == cy + 1 && x == 0 && y < self.height() => {
                self.out.write_all(b"\r\n")?
            }
            _ if (x, y) == (0, 0) => self.out.write_all(b"\x1b[H")?,
            _ => write!(self.out, "\x1b[{};{}H", y + 1, x + 1)?,
        }
        self.cursor = Some((x, y));
        Ok(())
    }

    fn height(&self) -> u16 {
        self.size.height
    }

    fn width(&self) -> u16 {
        self.size.width
    }

    fn set_pen(&mut self, pen: Pen) -> io::Result<()> {
        if self.style == Some(pen) {
            return Ok(());
        }
        let diff = self.style.map(|old| sgr_diff(old, pen));
        let reset = sgr_reset(pen);
        let seq = match diff {
            Some(d) if d.len() <= reset.len() => d,
            _ => reset,
        };
        write!(self.out, "\x1b[{seq}m")?;
        self.style = Some(pen);
        Ok(())
    }
}

// SGR parameters that bring a terminal from `old` to `new` without a reset;
// turning off bold also turns off dim (22), so both are re-set if needed.
fn sgr_diff(old: Pen, new: Pen) -> String {
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
fn sgr_reset(new: Pen) -> String {
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

impl<W: Write> Backend for WireBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let width = self.width();
        // Like ratatui, assume a fresh (alternate) screen is blank.
        if self.mirror.is_empty() {
            self.blank_mirror();
        }
        for (x, y, cell) in content {
            self.move_to(x, y)?;
            self.set_pen(Pen {
                fg: cell.fg,
                bg: cell.bg,
                modifier: cell.modifier,
            })?;
            let symbol = cell.symbol();
            let advance = if symbol.chars().any(char::is_control) {
                self.out
                    .write_all(if self.ascii { "?" } else { "\u{FFFD}" }.as_bytes())?;
                1
            } else {
                let width = symbol.cell_width().max(1);
                if self.ascii {
                    self.out.write_all(
                        crate::text::ascii::cell(symbol, usize::from(width)).as_bytes(),
                    )?;
                } else if symbol.len() > MAX_CELL_BYTES {
                    // The last guard on what one cell may cost: its first character.
                    let first = symbol.chars().next().unwrap_or(' ');
                    self.out
                        .write_all(first.encode_utf8(&mut [0; 4]).as_bytes())?;
                } else {
                    self.out.write_all(symbol.as_bytes())?;
                }
                width
            };
            // At the right edge the cursor position is terminal-specific, and
            // terminals disagree on the width of multi-character graphemes
            // (emoji sequences, halfwidth sound marks): in both cases forget
            // the position, so the next cell is placed explicitly and one odd
            // grapheme cannot shift the rest of the line.
            let agreed =
                symbol.chars().nth(1).is_none() && !symbol.contains(['\u{FF9E}', '\u{FF9F}']);
            self.cursor = (x + advance < width && agreed).then_some((x + advance, y));
            if let Some(i) = self.mirror_index(x, y) {
                self.mirror[i] = Some(cell.clone());
                // Cells under the rest of a wide character are not known.
                for covered in 1..advance {
                    if let Some(j) = self.mirror_index(x + covered, y) {
                        self.mirror[j] = None;
                    }
                }
            }
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.visible != Some(false) {
            self.out.write_all(b"\x1b[?25l")?;
            self.visible = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.visible != Some(true) {
            self.out.write_all(b"\x1b[?25h")?;
            self.visible = Some(true);
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        // Never query the terminal: over a slow link the answer is slow, and
        // a bare pty never answers at all.
        let (x, y) = self.cursor.unwrap_or((0, 0));
        Ok(Position::new(x, y))
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let p = position.into();
        self.move_to(p.x, p.y)
    }

    fn clear(&mut self) -> io::Result<()> {
        // Erasing uses the current background: reset attributes first.
        self.set_pen(PLAIN)?;
        self.out.write_all(b"\x1b[2J")?;
        self.blank_mirror();
        Ok(())
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.set_pen(PLAIN)?;
        let seq: &[u8] = match clear_type {
            ClearType::All => b"\x1b[2J",
            ClearType::AfterCursor => b"\x1b[J",
            ClearType::BeforeCursor => b"\x1b[1J",
            ClearType::CurrentLine => b"\x1b[2K",
            ClearType::UntilNewLine => b"\x1b[K",
        };
        // Partial erases are not tracked: forget what the screen shows.
        if matches!(clear_type, ClearType::All) {
            self.blank_mirror();
        } else {
            self.mirror.fill(None);
        }
        self.out.write_all(seq)
    }

    fn size(&self) -> io::Result<Size> {
        Ok(self.size)
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let columns_rows = self.size()?;
        Ok(WindowSize {
            columns_rows,
            pixels: Size::new(0, 0),
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn scroll_region_up(&mut self, region: std::ops::Range<u16>, amount: u16) -> io::Result<()> {
        self.scroll(region, amount, 'S')
    }

    fn scroll_region_down(&mut self, region: std::ops::Range<u16>, amount: u16) -> io::Result<()> {
        self.scroll(region, amount, 'T')
    }
}

impl<W: Write> WireBackend<W> {
    fn scroll(&mut self, region: std::ops::Range<u16>, amount: u16, dir: char) -> io::Result<()> {
        // New rows take the current background: scroll with plain attributes.
        self.set_pen(PLAIN)?;
        let last = region.end.saturating_sub(1);
        write!(
            self.out,
            "\x1b[{};{}r\x1b[{amount}{dir}\x1b[r",
            region.start + 1,
            last + 1
        )?;
        // Setting the scrolling region homes the cursor.
        self.cursor = Some((0, 0));
        self.shift_mirror(region, amount, dir == 'S');
        Ok(())
    }

    // Moves the mirror's rows as the terminal just moved the screen's.
    fn shift_mirror(&mut self, region: std::ops::Range<u16>, amount: u16, up: bool) {
        let w = usize::from(self.mirror_width);
        let old = self.mirror.clone();
        for y in region.clone() {
            let source = if up {
                y.checked_add(amount)
            } else {
                y.checked_sub(amount)
            };
            let source = source.filter(|s| region.contains(s));
            for x in 0..w {
                let i = usize::from(y) * w + x;
                if i < self.mirror.len() {
                    self.mirror[i] = match source {
                        Some(s) => old.get(usize::from(s) * w + x).cloned().flatten(),
                        None => Some(Cell::default()),
                    };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
