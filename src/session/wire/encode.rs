//! Turning a frame's changed cells into bytes.
//!
//! Each row is compared with what the terminal shows (the backend's
//! mirror). Cells that differ are written; blanks are erased where that is
//! shorter than spaces: a blank rest of a line with EL, a run of blanks
//! inside a line with ECH, a blank rest of the screen with ED, and a frame
//! that is mostly blank is drawn on a screen cleared (ED from the top left). The encoder tries
//! the options on a fork and keeps the shorter, so a choice is never worse
//! than spaces.
//!
//! An erase fills cells with the current attributes (xterm: the
//! background; `vt100`: all of them), so it is only sent with [`PLAIN`]:
//! the attributes of a blank cell in the buffer.

use ratatui::buffer::{Cell, CellWidth};

use super::seq::{self, Cursor, ED, EL, PLAIN, Pen, blank, same};

/// The most bytes one cell may send (a grapheme of a few dozen characters);
/// the sanitiser already caps runs of combining marks at load.
const MAX_CELL_BYTES: usize = 64;

/// Frames with more changed cells than this are not encoded twice to try
/// the cursor's row first: the few bytes that saves do not matter there.
const SMALL: usize = 4096;

/// What an erased cell shows.
static BLANK: Cell = Cell::EMPTY;

/// One cell of a row: `None` when unknown, or under a wide character.
type Slot<'a> = Option<&'a Cell>;

/// A changed cell: column, row, what it must show.
type Update<'a> = (u16, u16, &'a Cell);

/// A row with changes: what the terminal shows there and what it must show.
struct Line<'a> {
    y: u16,
    now: Vec<Slot<'a>>,
    want: Vec<Slot<'a>>,
    /// Whether every cell of `want` is known.
    known: bool,
}

/// The bytes of a frame so far, and where the terminal's pen then is.
#[derive(Clone)]
pub(super) struct Enc {
    /// The bytes.
    pub out: Vec<u8>,
    /// Where the cursor is, when known.
    pub cursor: Option<Cursor>,
    /// The attributes in effect, when known.
    pub pen: Option<Pen>,
    width: u16,
    ascii: bool,
}

/// A frame to encode: the screen as the terminal shows it, and the cells
/// ratatui says changed.
pub(super) struct Frame<'a> {
    /// What each cell shows (`None`: unknown), row by row.
    pub mirror: &'a [Option<Cell>],
    /// Columns.
    pub width: u16,
    /// Rows.
    pub height: u16,
    /// The changed cells, in reading order.
    pub updates: &'a [Update<'a>],
}

impl<'a> Frame<'a> {
    fn now(&self, y: u16) -> Vec<Slot<'a>> {
        let w = usize::from(self.width);
        let start = usize::from(y) * w;
        (start..start + w)
            .map(|i| self.mirror.get(i).and_then(Option::as_ref))
            .collect()
    }

    // What row `y` must show: the mirror with the row's updates (`ups`)
    // applied, cells under a wide character left alone. Also whether every
    // cell of it is known.
    fn want(&self, y: u16, ups: &[Update<'a>]) -> (Vec<Slot<'a>>, bool) {
        let mut want = self.now(y);
        for &(x, _, cell) in ups {
            if let Some(slot) = want.get_mut(usize::from(x)) {
                *slot = Some(cell);
            }
        }
        let mut known = true;
        let mut x = 0;
        while x < want.len() {
            match want[x] {
                Some(cell) => {
                    let width = usize::from(seq::width(cell));
                    for covered in want.iter_mut().skip(x + 1).take(width - 1) {
                        *covered = None;
                    }
                    x += width;
                }
                None => {
                    known = false;
                    x += 1;
                }
            }
        }
        (want, known)
    }

    // Each row that has changes, in order.
    fn lines(&self) -> Vec<Line<'a>> {
        let mut lines = Vec::new();
        let mut rest = self.updates;
        while let Some(&(_, y, _)) = rest.first() {
            let n = rest.iter().take_while(|u| u.1 == y).count();
            let (want, known) = self.want(y, &rest[..n]);
            lines.push(Line {
                y,
                now: self.now(y),
                want,
                known,
            });
            rest = &rest[n..];
        }
        lines
    }

    // Where the blank rest of the screen starts: every cell from there to
    // the end must show a known blank.
    fn blank_rest(&self, lines: &[&Line<'a>]) -> Option<(u16, usize)> {
        let mut rest = None;
        for y in (0..self.height).rev() {
            let t = match lines.iter().rfind(|l| l.y == y) {
                Some(line) => tail(&line.want),
                None => tail(&self.now(y)),
            };
            if t > 0 {
                return (t < usize::from(self.width)).then_some((y, t)).or(rest);
            }
            rest = Some((y, 0));
        }
        rest
    }
}

// Whether clearing the screen could beat changing it: rows have cells
// that turn blank (the erasing it saves), and few cells that stay as they
// are have text (what it must write again).
fn worth_clearing(frame: &Frame, lines: &[Line]) -> bool {
    let cells = usize::from(frame.width) * usize::from(frame.height);
    if frame.updates.len() * 8 < cells {
        return false;
    }
    let (mut blanking, mut kept) = (0, 0);
    let mut changed = lines.iter().peekable();
    for y in 0..frame.height {
        match changed.next_if(|l| l.y == y) {
            Some(line) => {
                let mut blanked = false;
                for (w, n) in line.want.iter().zip(&line.now) {
                    match (w, n) {
                        (Some(w), Some(n)) if same(w, n) => kept += usize::from(!blank(w)),
                        (Some(w), _) => blanked |= blank(w),
                        (None, _) => {}
                    }
                }
                blanking += usize::from(blanked);
            }
            None => {
                let w = usize::from(frame.width);
                let row = frame.mirror.iter().skip(usize::from(y) * w).take(w);
                kept += row.filter(|c| !c.as_ref().is_some_and(blank)).count();
            }
        }
    }
    // Erasing what turned blank costs a few bytes a row at most.
    blanking > 0 && kept <= 8 * blanking
}

/// The first column from which row `want` is a known blank to its end.
fn tail(want: &[Slot]) -> usize {
    want.iter()
        .rposition(|c| !c.is_some_and(blank))
        .map_or(0, |i| i + 1)
}

fn dirty(want: &[Slot], now: &[Slot], x: usize) -> bool {
    match (want[x], now[x]) {
        (Some(w), Some(n)) => !same(w, n),
        (Some(_), None) => true,
        (None, _) => false,
    }
}

impl Enc {
    /// An encoder starting from the terminal's state.
    pub fn new(cursor: Option<Cursor>, pen: Option<Pen>, width: u16, ascii: bool) -> Enc {
        Enc {
            out: Vec::new(),
            cursor,
            pen,
            width,
            ascii,
        }
    }

    // The same state with no bytes yet: to try an option.
    fn fork(&self) -> Enc {
        Enc {
            out: Vec::new(),
            ..self.clone()
        }
    }

    // Takes on a fork's bytes and state.
    fn adopt(&mut self, fork: Enc) {
        self.out.extend_from_slice(&fork.out);
        self.cursor = fork.cursor;
        self.pen = fork.pen;
    }

    /// Encodes `frame`, the cheapest way found.
    pub fn frame(&mut self, frame: &Frame) {
        let lines = frame.lines();
        let order: Vec<&Line> = lines.iter().collect();
        let mut best = self.fork();
        best.incremental(frame, &order, true);
        // The row the cursor is on first (a footer changed by the last
        // frame and this one): no move there, and its attributes are
        // often still in effect. Then the others, without an ED that could
        // erase it.
        if let Some(at) = self
            .cursor
            .and_then(|c| lines.iter().position(|l| l.y == c.y))
            .filter(|&i| i > 0 && frame.updates.len() <= SMALL)
        {
            let mut order = vec![&lines[at]];
            order.extend(lines.iter().enumerate().filter(|l| l.0 != at).map(|l| l.1));
            let mut first = self.fork();
            first.incremental(frame, &order, false);
            if first.out.len() < best.out.len() {
                best = first;
            }
        }
        if worth_clearing(frame, &lines)
            && let Some(cleared) = self.cleared(frame, &lines)
            && cleared.out.len() < best.out.len()
        {
            best = cleared;
        }
        self.adopt(best);
    }

    // The changed rows in the order given, each against what the terminal
    // shows; `ed`: the blank end of the screen may be erased with ED (rows
    // must then be in reading order).
    fn incremental(&mut self, frame: &Frame, lines: &[&Line], ed: bool) {
        let rest = if ed { frame.blank_rest(lines) } else { None };
        let w = usize::from(frame.width);
        for (i, line) in lines.iter().enumerate() {
            let (y, want) = (line.y, &line.want);
            let mut now = line.now.clone();
            // The blank rest of the screen starts here or above: one ED at
            // the first cell to change there may replace all that follows.
            let first = rest.filter(|r| r.0 <= y).and_then(|(ry, rx)| {
                let from = if y == ry { rx } else { 0 };
                (from..w).find(|&x| dirty(want, &now, x))
            });
            let Some(first) = first else {
                self.row(want, &mut now, y, 0, w, true);
                continue;
            };
            let mut erase = self.fork();
            let mut head = now.clone();
            erase.row(want, &mut head, y, 0, first, false);
            erase.goto(&head, first, y);
            erase.set_pen(PLAIN);
            erase.out.extend_from_slice(ED.as_bytes());
            let mut paint = self.fork();
            paint.row(want, &mut now, y, 0, w, true);
            for line in &lines[i + 1..] {
                paint.row(&line.want, &mut line.now.clone(), line.y, 0, w, true);
            }
            self.adopt(if erase.out.len() < paint.out.len() {
                erase
            } else {
                paint
            });
            return;
        }
    }

    // The whole screen erased, then every cell that is not blank written;
    // `None` when some cell's contents are unknown.
    fn cleared(&self, frame: &Frame, lines: &[Line]) -> Option<Enc> {
        let mut e = self.fork();
        let home = seq::move_to(e.cursor, 0, 0);
        e.out.extend_from_slice(home.as_bytes());
        e.cursor = Some(Cursor::at(0, 0));
        e.set_pen(PLAIN);
        e.out.extend_from_slice(ED.as_bytes());
        let mut changed = lines.iter().peekable();
        let w = usize::from(frame.width);
        let mut now = vec![Some(&BLANK); w];
        for y in 0..frame.height {
            let mine;
            let want = match changed.next_if(|l| l.y == y) {
                Some(line) if line.known => &line.want,
                Some(_) => return None,
                None => {
                    let (row, known) = frame.want(y, &[]);
                    if !known {
                        return None;
                    }
                    mine = row;
                    &mine
                }
            };
            now.fill(Some(&BLANK));
            e.row(want, &mut now, y, 0, w, false);
        }
        Some(e)
    }

    // Writes the cells of row `y` in columns `from..end` that differ from
    // `now`, erasing where shorter; `el`: the blank end of the row may be
    // erased with EL.
    fn row<'a>(
        &mut self,
        want: &[Slot<'a>],
        now: &mut [Slot<'a>],
        y: u16,
        from: usize,
        end: usize,
        el: bool,
    ) {
        let tail = if el { tail(want) } else { end };
        let mut x = from;
        while x < end {
            if !dirty(want, now, x) {
                x += 1;
                continue;
            }
            if x >= tail {
                // Painting can only be shorter than EL (3 bytes, a move
                // and an SGR) when few cells changed.
                let changed = (x..end).filter(|&i| dirty(want, now, i)).count();
                if changed > 24 {
                    self.goto(now, x, y);
                    self.set_pen(PLAIN);
                    self.out.extend_from_slice(EL.as_bytes());
                    now[x..].fill(Some(&BLANK));
                    return;
                }
                let saved = now[x..].to_vec();
                let mut paint = self.fork();
                paint.paint(want, now, y, x, end);
                let painted = now[x..].to_vec();
                now[x..].copy_from_slice(&saved);
                let mut erase = self.fork();
                erase.goto(now, x, y);
                erase.set_pen(PLAIN);
                erase.out.extend_from_slice(EL.as_bytes());
                if erase.out.len() <= paint.out.len() {
                    self.adopt(erase);
                    now[x..].fill(Some(&BLANK));
                } else {
                    self.adopt(paint);
                    now[x..].copy_from_slice(&painted);
                }
                return;
            }
            let Some(cell) = want[x] else {
                x += 1;
                continue;
            };
            if !blank(cell) {
                x = self.put(now, x, y, cell);
                continue;
            }
            // A run of blanks: the changed ones written as spaces, or all
            // of it erased with one ECH (the cursor then stays at its start).
            let mut stop = x + 1;
            let mut i = x + 1;
            while i < tail.min(end) && want[i].is_some_and(blank) {
                if dirty(want, now, i) {
                    stop = i + 1;
                }
                i += 1;
            }
            // An ECH (3 bytes or more, and a move after it) only pays for
            // a longer run: a short one is written as spaces at once.
            if stop - x <= 6 {
                self.paint(want, now, y, x, stop);
                x = stop;
                continue;
            }
            let next = (stop..end).find(|&j| dirty(want, now, j));
            // Both tried on the same row, the run's cells put back between.
            let saved = now[x..stop].to_vec();
            let mut spaces = self.fork();
            spaces.paint(want, now, y, x, stop);
            let then = |e: &Enc, now: &[Slot]| next.map_or(0, |n| e.goto_len(now, n, y));
            let spaces_cost = spaces.out.len() + then(&spaces, now);
            let spaced = now[x..stop].to_vec();
            now[x..stop].copy_from_slice(&saved);
            let mut erase = self.fork();
            erase.goto(now, x, y);
            erase.set_pen(PLAIN);
            let n = u16::try_from(stop - x).unwrap_or(u16::MAX);
            erase.out.extend_from_slice(seq::ech(n).as_bytes());
            now[x..stop].fill(Some(&BLANK));
            if erase.out.len() + then(&erase, now) < spaces_cost {
                self.adopt(erase);
            } else {
                self.adopt(spaces);
                now[x..stop].copy_from_slice(&spaced);
            }
            x = stop;
        }
    }

    // Writes the cells of row `y` in columns `from..end` that differ from
    // `now`, one by one, without erasing.
    fn paint<'a>(
        &mut self,
        want: &[Slot<'a>],
        now: &mut [Slot<'a>],
        y: u16,
        from: usize,
        end: usize,
    ) {
        let mut x = from;
        while x < end {
            match want[x] {
                Some(cell) if dirty(want, now, x) => x = self.put(now, x, y, cell),
                _ => x += 1,
            }
        }
    }

    // Writes `cell` at `x`, `y`; returns the column after it.
    fn put<'a>(&mut self, now: &mut [Slot<'a>], x: usize, y: u16, cell: &'a Cell) -> usize {
        let col = u16::try_from(x).unwrap_or(u16::MAX);
        let pen = Pen::of(cell);
        let here = self.cursor == Some(Cursor::at(col, y));
        // The cells before it may be in its attributes (the blank after a
        // bullet): the SGR it needs anyway, then the gap rewritten.
        match self.gap(now, x, y, Some(pen)).filter(|_| !here) {
            Some(gap) if self.pen != Some(pen) && gap.len() < self.goto_len(now, x, y) => {
                self.set_pen(pen);
                self.out.extend_from_slice(gap.as_bytes());
                self.cursor = Some(Cursor::at(col, y));
            }
            _ if here => {}
            _ => self.goto(now, x, y),
        }
        if self.pen != Some(pen) {
            self.set_pen(pen);
        }
        let symbol = cell.symbol();
        let advance = if symbol.chars().any(char::is_control) {
            self.out
                .extend_from_slice(if self.ascii { "?" } else { "\u{FFFD}" }.as_bytes());
            1
        } else {
            let width = symbol.cell_width().max(1);
            if self.ascii {
                let text = crate::text::ascii::cell(symbol, usize::from(width));
                self.out.extend_from_slice(text.as_bytes());
            } else if symbol.len() > MAX_CELL_BYTES {
                // The last guard on what one cell may cost: its first character.
                let first = symbol.chars().next().unwrap_or(' ');
                self.out
                    .extend_from_slice(first.encode_utf8(&mut [0; 4]).as_bytes());
            } else {
                self.out.extend_from_slice(symbol.as_bytes());
            }
            width
        };
        // At the right edge the cursor position is terminal-specific, and
        // terminals disagree on the width of multi-character graphemes
        // (emoji sequences, halfwidth sound marks): in both cases forget
        // the column, so the next cell is placed explicitly and one odd
        // grapheme cannot shift the rest of the line. The row stays: no
        // autowrap.
        let agreed = symbol.chars().nth(1).is_none() && !symbol.contains(['\u{FF9E}', '\u{FF9F}']);
        let after = col.saturating_add(advance);
        self.cursor = Some(Cursor {
            x: (after < self.width && agreed).then_some(after),
            y,
        });
        now[x] = Some(cell);
        for covered in now.iter_mut().skip(x + 1).take(usize::from(advance) - 1) {
            *covered = None;
        }
        x + usize::from(advance)
    }

    /// Moves the cursor to `x`, `y` the shortest way: a move, or rewriting
    /// the cells in between as `now` shows them.
    pub fn goto(&mut self, now: &[Slot], x: usize, y: u16) {
        let bytes = self.goto_bytes(now, x, y);
        self.out.extend_from_slice(bytes.as_bytes());
        self.cursor = Some(Cursor::at(u16::try_from(x).unwrap_or(u16::MAX), y));
    }

    fn goto_bytes(&self, now: &[Slot], x: usize, y: u16) -> String {
        let col = u16::try_from(x).unwrap_or(u16::MAX);
        match self.gap(now, x, y, self.pen) {
            Some(gap) if gap.len() <= seq::move_len(self.cursor, col, y) => gap,
            _ => seq::move_to(self.cursor, col, y),
        }
    }

    // What `goto` would cost.
    fn goto_len(&self, now: &[Slot], x: usize, y: u16) -> usize {
        let col = u16::try_from(x).unwrap_or(u16::MAX);
        let jump = seq::move_len(self.cursor, col, y);
        self.gap(now, x, y, self.pen)
            .map_or(jump, |gap| gap.len().min(jump))
    }

    // The bytes that re-draw the cells between the cursor and `to` on row
    // `y` as they already are, if that is possible without changing
    // attributes (single-width cells in `pen`, all known).
    fn gap(&self, now: &[Slot], to: usize, y: u16, pen: Option<Pen>) -> Option<String> {
        let pen = pen?;
        let from = match self.cursor? {
            Cursor { x: Some(x), y: cy } if cy == y && usize::from(x) < to => usize::from(x),
            _ => return None,
        };
        // No move is longer than 11 bytes (CSI 500;1000H): longer gaps
        // never pay.
        if to - from > 11 {
            return None;
        }
        let mut out = String::new();
        for slot in now.get(from..to)? {
            let cell = (*slot)?;
            let symbol = cell.symbol();
            let simple = symbol.chars().nth(1).is_none()
                && !symbol.chars().any(char::is_control)
                && (symbol.is_ascii() || !self.ascii);
            if !simple || Pen::of(cell) != pen || symbol.cell_width() != 1 {
                return None;
            }
            out.push_str(symbol);
        }
        Some(out)
    }

    /// Sets the attributes, with the shortest SGR.
    pub fn set_pen(&mut self, pen: Pen) {
        self.out
            .extend_from_slice(seq::sgr(self.pen, pen).as_bytes());
        self.pen = Some(pen);
    }
}
