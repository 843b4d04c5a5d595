use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};

use super::*;
use crate::action::Action;
use crate::app::App;
use crate::doc::Doc;
use crate::report::Report;

// Draws the app through both backends and checks that what a terminal
// shows after our bytes is exactly the buffer ratatui computed.
struct Pair {
    wire: Terminal<WireBackend<Vec<u8>>>,
    screen: vt100::Parser,
    size: (u16, u16),
}

impl Pair {
    fn new(w: u16, h: u16) -> Pair {
        Pair {
            wire: Terminal::new(WireBackend::with_size(Vec::new(), w, h)).expect("terminal"),
            screen: vt100::Parser::new(nz(h), nz(w), 0),
            size: (w, h),
        }
    }

    /// Draws and returns the bytes this frame cost.
    fn draw(&mut self, app: &App) -> usize {
        self.wire.draw(|f| crate::ui::render(app, f)).expect("draw");
        let bytes = std::mem::take(self.wire.backend_mut().writer_mut());
        self.screen.process(&bytes);
        let expected = reference(app, self.size);
        compare(self.screen.screen(), &expected);
        bytes.len()
    }
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("non-zero size")
}

fn reference(app: &App, (w, h): (u16, u16)) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| crate::ui::render(app, f)).expect("draw");
    t.backend().buffer().clone()
}

// The colour vt100 reports for a ratatui colour.
fn vt_color(c: Color) -> vt100::Color {
    const NAMED: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match c {
        Color::Reset => vt100::Color::Default,
        Color::Indexed(i) => vt100::Color::Idx(i),
        Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
        named => vt100::Color::Idx(NAMED.iter().position(|&n| n == named).unwrap_or(0) as u8),
    }
}

// Every cell of `screen` shows exactly what `expected` says: symbol,
// colours and attributes (a never-written cell counts as a space).
fn compare(screen: &vt100::Screen, expected: &Buffer) {
    for y in 0..expected.area.height {
        let mut x = 0;
        while x < expected.area.width {
            let cell = &expected[(x, y)];
            let got = screen.cell(y, x).expect("cell in range");
            let have = match got.contents() {
                "" => " ",
                t => t,
            };
            let at = format!("{x},{y}");
            assert_eq!(have, cell.symbol(), "symbol at {at}");
            let m = cell.modifier;
            assert_eq!(got.bold(), m.contains(Modifier::BOLD), "bold at {at}");
            assert_eq!(got.dim(), m.contains(Modifier::DIM), "dim at {at}");
            assert_eq!(got.italic(), m.contains(Modifier::ITALIC), "italic at {at}");
            let underlined = m.contains(Modifier::UNDERLINED);
            assert_eq!(got.underline(), underlined, "underline at {at}");
            let reversed = m.contains(Modifier::REVERSED);
            assert_eq!(got.inverse(), reversed, "reverse at {at}");
            assert_eq!(got.fgcolor(), vt_color(cell.fg), "colour at {at}");
            assert_eq!(got.bgcolor(), vt_color(cell.bg), "background at {at}");
            x += cell.symbol().cell_width().max(1);
        }
    }
}

fn app(w: u16, h: u16) -> App {
    App::bare(Doc::new(&Report::builtin()), w, h)
}

#[test]
fn every_frame_reproduces_the_buffer_exactly() {
    for (w, h) in [(80, 24), (40, 12), (120, 40)] {
        let mut a = app(w, h);
        let mut pair = Pair::new(w, h);
        pair.draw(&a);
        let script = [
            Action::Down,
            Action::Down,
            Action::FocusText,
            Action::Down,
            Action::PageDown,
            Action::ToggleHelp,
            Action::ToggleHelp,
            Action::SearchStart,
            Action::SearchInput('c'),
            Action::SearchInput('r'),
            Action::SearchInput('i'),
            Action::SearchConfirm,
            Action::NextMatch,
            Action::Results,
            Action::Down,
            Action::Enter,
            Action::TogglePresent,
            Action::RevealNext,
            Action::RevealNext,
            Action::TogglePresent,
            Action::Bottom,
        ];
        for action in script {
            a.update(action);
            pair.draw(&a);
        }
    }
}

#[test]
fn an_unchanged_frame_costs_nothing() {
    let a = app(80, 24);
    let mut pair = Pair::new(80, 24);
    assert!(pair.draw(&a) > 500);
    assert_eq!(pair.draw(&a), 0, "no cursor hide, no attribute reset");
}

#[test]
fn moving_one_theme_down_costs_little() {
    let mut a = app(80, 24);
    let mut pair = Pair::new(80, 24);
    let first = pair.draw(&a);
    a.update(Action::Down);
    let step = pair.draw(&a);
    assert!(
        step < first,
        "a step ({step} B) costs less than a first frame ({first} B)"
    );
}

#[test]
fn control_characters_never_reach_the_wire() {
    let mut b = WireBackend::with_size(Vec::new(), 10, 2);
    let (esc, csi) = (Cell::new("\u{1b}"), Cell::new("\u{9b}"));
    b.draw([(0, 0, &esc), (1, 0, &csi)].into_iter())
        .expect("draw");
    let text = String::from_utf8(b.writer().clone()).expect("utf-8");
    assert_eq!(text, "\x1b[H\x1b[m\u{FFFD}\u{FFFD}");
}

#[test]
fn scrolling_a_region_shifts_rows() {
    let mut b = WireBackend::with_size(Vec::new(), 10, 5);
    b.scroll_region_up(1..4, 1).expect("scroll");
    // Attributes are unknown at first, so they are reset before the scroll.
    assert_eq!(b.writer().as_slice(), b"\x1b[m\x1b[2;4r\x1b[S\x1b[r");
}

// A tiny xorshift PRNG: the same frames on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

// A random screen: text, runs of blanks, styled blanks (coloured and
// reversed, which an erase must not produce), wide characters, blank
// ends of lines and of the screen, and mostly blank screens.
fn random_frame(rng: &mut Rng, w: u16, h: u16) -> Buffer {
    let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
    let styles = [
        Style::new(),
        Style::new(),
        Style::new().bold(),
        Style::new().reversed(),
        Style::new().fg(Color::Cyan),
        Style::new().bg(Color::Blue),
        Style::new().fg(Color::Yellow).bg(Color::Indexed(236)),
        Style::new().dim().italic(),
        Style::new().underlined(),
    ];
    let words = [
        "crisis",
        "team",
        "a",
        "veiligheidsregio",
        "één",
        "コロナ",
        "x",
    ];
    let sparse = rng.below(4) == 0;
    let rows = if rng.below(3) == 0 {
        rng.below(u64::from(h))
    } else {
        u64::from(h)
    };
    for y in 0..u16::try_from(rows).unwrap_or(h) {
        if sparse && rng.below(4) != 0 {
            continue;
        }
        let mut x = u16::try_from(rng.below(6)).unwrap_or(0);
        let end = u16::try_from(rng.below(u64::from(w) + 1)).unwrap_or(w);
        while x < end {
            let style = styles[rng.below(styles.len() as u64) as usize];
            if rng.below(5) == 0 {
                // A run of spaces in a style: blank, or not to an erase.
                let n = u16::try_from(1 + rng.below(30)).unwrap_or(1);
                let n = n.min(w - x);
                buf.set_style(Rect::new(x, y, n, 1), style);
                x += n;
            } else {
                let word = words[rng.below(words.len() as u64) as usize];
                let (next, _) = buf.set_stringn(x, y, word, usize::from(w - x), style);
                x = next + 1;
            }
        }
    }
    buf
}

// How many CSI sequences ending in `fin` `bytes` holds, with parameter
// "2" (`whole`) or with none or a count.
fn csi_count(bytes: &[u8], fin: u8, whole: bool) -> usize {
    let mut n = 0;
    let mut i = 0;
    while let Some(p) = bytes[i..].windows(2).position(|w| w == b"\x1b[") {
        let start = i + p + 2;
        let len = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let params = &bytes[start..start + len];
        if bytes.get(start + len) == Some(&fin) && (params == b"2") == whole {
            n += 1;
        }
        i = start;
    }
    n
}

// `frame` with a few runs of cells made blank: in the middle of a line,
// to its end, or whole lines.
fn blanked(rng: &mut Rng, mut frame: Buffer) -> Buffer {
    let Rect { width, height, .. } = frame.area;
    for _ in 0..1 + rng.below(4) {
        let y = u16::try_from(rng.below(u64::from(height))).unwrap_or(0);
        let x = u16::try_from(rng.below(u64::from(width))).unwrap_or(0);
        let n = match rng.below(3) {
            0 => width - x,
            1 => u16::try_from(1 + rng.below(u64::from(width - x))).unwrap_or(1),
            _ => width,
        };
        let x = if n == width { 0 } else { x };
        for cx in x..x + n {
            frame[(cx, y)] = Cell::EMPTY;
        }
    }
    frame
}

#[test]
fn random_frames_reproduce_the_buffer_exactly() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut seen = [0usize; 3];
    for (w, h) in [(80, 24), (30, 8), (120, 40), (7, 3)] {
        let mut wire = Terminal::new(WireBackend::with_size(Vec::new(), w, h)).expect("terminal");
        let mut screen = vt100::Parser::new(nz(h), nz(w), 0);
        let mut frame = random_frame(&mut rng, w, h);
        for _ in 0..150 {
            frame = if rng.below(3) == 0 {
                blanked(&mut rng, frame)
            } else {
                random_frame(&mut rng, w, h)
            };
            wire.draw(|f| f.buffer_mut().clone_from(&frame))
                .expect("draw");
            let bytes = std::mem::take(wire.backend_mut().writer_mut());
            for (i, fin) in [(0, b'K'), (1, b'X'), (2, b'J')] {
                seen[i] += csi_count(&bytes, fin, false);
            }
            assert_eq!(
                csi_count(&bytes, b'J', true),
                0,
                "no CSI 2J (tests/hostile)"
            );
            screen.process(&bytes);
            compare(screen.screen(), &frame);
        }
    }
    // Every kind of erase was sent, and checked.
    assert!(seen.iter().all(|&n| n > 0), "EL, ECH, ED: {seen:?}");
}

#[test]
fn vt100_erases_as_terminals_do() {
    // ECH erases n cells from the cursor, which stays; EL to the end of
    // the line; both fill with the attributes in effect (vt100 keeps them
    // all, xterm the background), which is why erasing needs a reset.
    let mut p = vt100::Parser::new(nz(2), nz(12), 0);
    p.process(b"hello world!\x1b[1;3H\x1b[4Xz\x1b[2;1Habcdef\x1b[1;10H\x1b[7m\x1b[K");
    let s = p.screen();
    assert_eq!(s.contents_between(0, 0, 0, 12).trim_end(), "hez   wor");
    assert!(
        s.cell(0, 11).is_some_and(vt100::Cell::inverse),
        "an erase keeps reverse"
    );
    assert!(!s.cell(0, 3).is_some_and(vt100::Cell::inverse));
    p.process(b"\x1b[m\x1b[2;3H\x1b[J");
    assert_eq!(p.screen().contents_between(1, 0, 1, 12), "ab");
}

#[test]
fn an_erase_after_reverse_video_resets_first() {
    let mut b = WireBackend::with_size(Vec::new(), 20, 2);
    let text: Vec<Cell> = "abcdefghijklmnopqrstuvwxyz0123456789ABCD"
        .chars()
        .map(|c| {
            let mut cell = Cell::EMPTY;
            cell.set_char(c);
            cell
        })
        .collect();
    let at = |i: usize| ((i % 20) as u16, (i / 20) as u16);
    b.draw(text.iter().enumerate().map(|(i, c)| (at(i).0, at(i).1, c)))
        .expect("draw");
    let mut rev = Cell::new("R");
    rev.modifier = Modifier::REVERSED;
    let blank = Cell::EMPTY;
    let next: Vec<(u16, u16, &Cell)> = std::iter::once((0, 0, &rev))
        .chain((1..20).map(|x| (x, 0, &blank)))
        .collect();
    b.writer_mut().clear();
    b.draw(next.into_iter()).expect("draw");
    let sent = String::from_utf8(b.writer().clone()).expect("utf-8");
    assert_eq!(sent, "\x1b[H\x1b[7mR\x1b[m\x1b[K");
}

// A cell showing `c`.
fn cell_of(c: char) -> Cell {
    let mut cell = Cell::EMPTY;
    cell.set_symbol(&c.to_string());
    cell
}

// `frame` with a band of its rows moved (as text scrolls, or a list with
// its selection), sometimes only its left half, a few cells changed.
fn shifted_frame(rng: &mut Rng, frame: &Buffer) -> Buffer {
    let Rect { width, height, .. } = frame.area;
    let mut next = frame.clone();
    let top = u16::try_from(rng.below(u64::from(height / 2))).unwrap_or(0);
    let grow = u16::try_from(rng.below(u64::from(height))).unwrap_or(0);
    let bottom = (top + 2 + grow).min(height - 1);
    let n = 1 + u16::try_from(rng.below(u64::from((bottom - top).max(1)))).unwrap_or(0);
    let up = rng.below(2) == 0;
    let cols = if rng.below(2) == 0 { width } else { width / 2 };
    for y in top..=bottom {
        let src = if up {
            y.checked_add(n).filter(|&s| s <= bottom)
        } else {
            y.checked_sub(n).filter(|&s| s >= top)
        };
        for x in 0..cols {
            next[(x, y)] = match src {
                Some(s) => frame[(x, s)].clone(),
                None => cell_of(char::from(b'a' + (rng.below(26) as u8))),
            };
        }
    }
    for _ in 0..rng.below(6) {
        let x = u16::try_from(rng.below(u64::from(width))).unwrap_or(0);
        let y = u16::try_from(rng.below(u64::from(height))).unwrap_or(0);
        next[(x, y)] = cell_of('#');
    }
    next
}

// A random screen of narrow characters only: rows are moved only then.
fn narrow_frame(rng: &mut Rng, w: u16, h: u16) -> Buffer {
    let mut frame = random_frame(rng, w, h);
    for cell in frame.content.iter_mut() {
        if seq::width(cell) != 1 {
            *cell = cell_of('x');
        }
    }
    frame
}

/// Frames that show much of the screen moved: the terminal ends with
/// exactly the buffer, rows are moved on screen (insert or delete line in a
/// scrolling region) when that is shorter, and moving them saves bytes
/// against the same frames drawn without.
#[test]
fn moved_rows_reproduce_the_buffer_exactly_and_cost_less() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let (mut moves, mut total, mut total_without) = (0, 0, 0);
    for (w, h) in [(80, 24), (30, 8), (120, 40)] {
        let mut wire = Terminal::new(WireBackend::with_size(Vec::new(), w, h)).expect("terminal");
        let mut flat = Terminal::new(WireBackend::with_size(Vec::new(), w, h)).expect("terminal");
        flat.backend_mut().set_scrolls(false);
        let mut screen = vt100::Parser::new(nz(h), nz(w), 0);
        let mut frame = narrow_frame(&mut rng, w, h);
        for _ in 0..120 {
            frame = if rng.below(4) == 0 {
                narrow_frame(&mut rng, w, h)
            } else {
                shifted_frame(&mut rng, &frame)
            };
            wire.draw(|f| f.buffer_mut().clone_from(&frame))
                .expect("draw");
            flat.draw(|f| f.buffer_mut().clone_from(&frame))
                .expect("draw");
            let bytes = std::mem::take(wire.backend_mut().writer_mut());
            let without = std::mem::take(flat.backend_mut().writer_mut());
            // Each frame is the shorter of two encodings from where this
            // terminal is; the other's cursor and pen may be elsewhere by
            // then, so the totals are compared.
            total += bytes.len();
            total_without += without.len();
            moves += csi_count(&bytes, b'M', false) + csi_count(&bytes, b'L', false);
            screen.process(&bytes);
            compare(screen.screen(), &frame);
        }
    }
    assert!(moves > 20, "rows were moved on screen ({moves} times)");
    assert!(
        total * 10 < total_without * 9,
        "moving rows saves more than a tenth: {total} against {total_without} bytes"
    );
}

/// A terminal that may be a VT100 (ASCII only) never gets rows moved.
#[test]
fn an_ascii_terminal_never_gets_rows_moved() {
    let mut rng = Rng(7);
    let mut wire = Terminal::new(WireBackend::with_size(Vec::new(), 40, 12)).expect("terminal");
    wire.backend_mut().set_ascii(true);
    let mut frame = narrow_frame(&mut rng, 40, 12);
    for _ in 0..40 {
        frame = shifted_frame(&mut rng, &frame);
        wire.draw(|f| f.buffer_mut().clone_from(&frame))
            .expect("draw");
        let bytes = std::mem::take(wire.backend_mut().writer_mut());
        assert_eq!(csi_count(&bytes, b'r', false), 0, "no scrolling region");
    }
}
