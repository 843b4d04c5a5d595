//! A ratatui backend that spends as few bytes as it can: every byte may cross
//! a slow link.
//!
//! Compared with the stock crossterm backend it moves the cursor with the
//! shortest sequence (none when the next cell is adjacent, LF, CR, CUF,
//! CHA, CUP, or rewriting a short gap), changes attributes with one
//! combined SGR (only the differences, or a reset when that is shorter,
//! with the 16 basic colours in their 2-digit forms), erases blanks
//! instead of writing spaces where that is shorter (EL, ECH, ED, a cleared
//! screen: see `encode`), moves rows the terminal already shows when a
//! frame shows them elsewhere (a scrolling region and insert or delete
//! line: see `scroll`), does not reset attributes after every frame,
//! hides or shows the cursor only when that changes, and never asks the
//! terminal anything. It is also the last guard on the way out: a control
//! character in a cell is written as U+FFFD.
//!
//! The benchmarks compare what it sends against a model of the fewest bytes
//! any encoder needs (`benches/support/floor.rs`).

mod encode;
mod scroll;
mod seq;

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};

use encode::{Enc, Frame};
use seq::{Cursor, PLAIN, Pen};

/// The frugal backend, writing to `W`.
pub struct WireBackend<W: Write> {
    out: W,
    /// Where the terminal's cursor is, when we know.
    cursor: Option<Cursor>,
    /// The attributes in effect, when we know.
    style: Option<Pen>,
    /// Whether the cursor is visible, when we know.
    visible: Option<bool>,
    /// The screen's size: the session's, not asked of any terminal.
    size: Size,
    /// What each cell of the terminal shows, as far as we know (`None`:
    /// unknown, or covered by a wide character). Lets a short run of
    /// unchanged cells be rewritten instead of jumped over, and tells
    /// which cells an erase may cover.
    mirror: Vec<Option<Cell>>,
    /// The width `mirror` is laid out for.
    mirror_width: u16,
    /// Send only ASCII (a terminal that is not UTF-8, or `--ascii`).
    ascii: bool,
    /// Whether rows may be moved on screen (see `scroll`): not for a
    /// minimal terminal, which may lack insert and delete line.
    scrolls: bool,
}

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
            scrolls: true,
        }
    }

    /// Sends only ASCII from now on: every cell transliterated to fit its
    /// width; rows are then never moved on screen either (such a terminal
    /// may be a VT100, without insert and delete line).
    pub fn set_ascii(&mut self, ascii: bool) {
        self.ascii = ascii;
        self.scrolls = !ascii;
    }

    /// Whether rows may be moved on screen when that is shorter.
    pub fn set_scrolls(&mut self, scrolls: bool) {
        self.scrolls = scrolls;
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

    /// The writer.
    pub fn writer(&self) -> &W {
        &self.out
    }

    /// The writer, mutably.
    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.out
    }

    // An encoder starting where the terminal is.
    fn encoder(&self) -> Enc {
        Enc::new(self.cursor, self.style, self.size.width, self.ascii)
    }

    // Sends what `enc` encoded and takes on the state it leaves.
    fn send(&mut self, enc: Enc) -> io::Result<()> {
        self.cursor = enc.cursor;
        self.style = enc.pen;
        self.out.write_all(&enc.out)
    }

    fn set_pen(&mut self, pen: Pen) -> io::Result<()> {
        let mut enc = self.encoder();
        enc.set_pen(pen);
        self.send(enc)
    }

    // Writing over the left half of a wide character on screen clears its
    // right half, which terminals then fill with the attributes in effect.
    // ratatui counts on it being blank (it sends the cell itself only when
    // the old character's style would show): make it so, exactly.
    fn orphans(&self, updates: &mut Vec<(u16, u16, &Cell)>) {
        static BLANK: Cell = Cell::EMPTY;
        let mut extra = Vec::new();
        for (i, &(x, y, cell)) in updates.iter().enumerate() {
            let end = x.saturating_add(seq::width(cell));
            let lead = self
                .mirror_index(end - 1, y)
                .and_then(|j| self.mirror[j].as_ref())
                .is_some_and(|c| seq::width(c) > 1);
            let sent = updates.get(i + 1).is_some_and(|u| (u.0, u.1) == (end, y));
            if lead && !sent && end < self.mirror_width {
                extra.push((end, y, &BLANK));
            }
        }
        if !extra.is_empty() {
            updates.extend(extra);
            updates.sort_by_key(|u| (u.1, u.0));
        }
    }

    // Records that the terminal now shows `cell` at `x`, `y`.
    fn remember(&mut self, x: u16, y: u16, cell: &Cell) {
        let Some(i) = self.mirror_index(x, y) else {
            return;
        };
        self.mirror[i] = Some(cell.clone());
        // Cells under the rest of a wide character are not known.
        for covered in 1..seq::width(cell) {
            if let Some(j) = self.mirror_index(x.saturating_add(covered), y) {
                self.mirror[j] = None;
            }
        }
    }
}

impl<W: Write> Backend for WireBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let (width, height) = (self.size.width, self.size.height);
        let cells = usize::from(width) * usize::from(height);
        if self.mirror.is_empty() {
            // Like ratatui, assume a fresh (alternate) screen is blank.
            self.blank_mirror();
        } else if self.mirror_width != width || self.mirror.len() != cells {
            // Resized without a clear: nothing is known.
            self.mirror = vec![None; cells];
            self.mirror_width = width;
        }
        let mut updates: Vec<(u16, u16, &Cell)> = content
            .filter(|&(x, y, _)| x < width && y < height)
            .collect();
        self.orphans(&mut updates);
        let mut enc = self.encoder();
        enc.frame(&Frame {
            mirror: &self.mirror,
            width,
            height,
            updates: &updates,
        });
        if let Some((shifted, moved)) = self.shifted(&updates, enc.out.len()) {
            self.mirror = shifted.into_iter().map(Some).collect();
            return self.send(moved);
        }
        self.send(enc)?;
        for &(x, y, cell) in &updates {
            self.remember(x, y, cell);
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
        let c = self.cursor.unwrap_or(Cursor::at(0, 0));
        Ok(Position::new(c.x.unwrap_or(0), c.y))
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let p = position.into();
        let row: Vec<Option<&Cell>> = (0..self.mirror_width)
            .map(|x| {
                self.mirror_index(x, p.y)
                    .and_then(|i| self.mirror[i].as_ref())
            })
            .collect();
        let mut enc = self.encoder();
        enc.goto(&row, usize::from(p.x), p.y);
        self.send(enc)
    }

    fn clear(&mut self) -> io::Result<()> {
        // Erasing uses the current background: reset attributes first.
        self.set_pen(PLAIN)?;
        self.out.write_all(seq::CLEAR.as_bytes())?;
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
    // The frame encoded with a band of rows moved first (see `scroll`), and
    // the screen it leaves, when that is shorter than `plain` bytes. Only
    // for a frame that changes at least two rows' worth of cells, on a
    // screen known in every cell and without wide characters (whose
    // halves a moved row would have to keep together).
    fn shifted(&self, updates: &[(u16, u16, &Cell)], plain: usize) -> Option<(Vec<Cell>, Enc)> {
        let (width, height) = (self.size.width, self.size.height);
        if !self.scrolls || updates.len() < 2 * usize::from(width) {
            return None;
        }
        let narrow = |c: &Cell| seq::width(c) == 1;
        // Compared as numbers first: only a frame worth moving rows for
        // has its cells copied.
        let keys: Vec<u64> = self
            .mirror
            .iter()
            .map(|c| c.as_ref().filter(|c| narrow(c)).map(scroll::key))
            .collect::<Option<_>>()?;
        let mut wanted = keys.clone();
        for &(x, y, cell) in updates {
            let i = usize::from(y) * usize::from(width) + usize::from(x);
            *wanted.get_mut(i)? = Some(cell).filter(|c| narrow(c)).map(scroll::key)?;
        }
        let shift = scroll::best(&keys, &wanted, width, height)?;
        let now: Vec<Cell> = self.mirror.iter().flatten().cloned().collect();
        let mut want = now.clone();
        for &(x, y, cell) in updates {
            want[usize::from(y) * usize::from(width) + usize::from(x)] = cell.clone();
        }
        let mut moved = now;
        scroll::apply(&mut moved, width, shift, &Cell::EMPTY);
        let w = usize::from(width);
        let changed: Vec<(u16, u16, &Cell)> = want
            .iter()
            .enumerate()
            .filter(|&(i, c)| moved[i] != *c)
            .map(|(i, c)| ((i % w) as u16, (i / w) as u16, c))
            .collect();
        let mut enc = self.encoder();
        // The new blank lines take the background in effect.
        enc.set_pen(PLAIN);
        enc.out.extend_from_slice(scroll::bytes(shift).as_bytes());
        enc.cursor = Some(Cursor::at(0, 0));
        let mirror: Vec<Option<Cell>> = moved.iter().cloned().map(Some).collect();
        enc.frame(&Frame {
            mirror: &mirror,
            width,
            height,
            updates: &changed,
        });
        (enc.out.len() < plain).then_some((want, enc))
    }

    fn scroll(&mut self, region: std::ops::Range<u16>, amount: u16, dir: char) -> io::Result<()> {
        // New rows take the current background (and in some terminals
        // reverse video): scroll with neither in effect.
        let fits = self
            .style
            .is_some_and(|p| p.bg == Color::Reset && !p.modifier.contains(Modifier::REVERSED));
        if !fits {
            self.set_pen(PLAIN)?;
        }
        let last = region.end.saturating_sub(1);
        // One row is the default count.
        let count = if amount == 1 {
            String::new()
        } else {
            amount.to_string()
        };
        write!(
            self.out,
            "\x1b[{};{}r\x1b[{count}{dir}\x1b[r",
            region.start + 1,
            last + 1
        )?;
        // Setting the scrolling region homes the cursor.
        self.cursor = Some(Cursor::at(0, 0));
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
