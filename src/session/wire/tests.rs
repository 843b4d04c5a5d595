use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

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

fn compare(screen: &vt100::Screen, expected: &Buffer) {
    for y in 0..expected.area.height {
        let mut x = 0;
        while x < expected.area.width {
            let cell = &expected[(x, y)];
            let got = screen.cell(y, x).expect("cell in range");
            let want = if cell.symbol() == " " {
                ""
            } else {
                cell.symbol()
            };
            let have = got.contents();
            let have = if have == " " { "" } else { have };
            assert_eq!(have, want, "symbol at {x},{y}");
            assert_eq!(
                got.bold(),
                cell.modifier.contains(Modifier::BOLD),
                "bold at {x},{y}"
            );
            assert_eq!(
                got.inverse(),
                cell.modifier.contains(Modifier::REVERSED),
                "reverse at {x},{y}"
            );
            assert_eq!(
                got.underline(),
                cell.modifier.contains(Modifier::UNDERLINED),
                "underline at {x},{y}"
            );
            assert_eq!(
                got.italic(),
                cell.modifier.contains(Modifier::ITALIC),
                "italic at {x},{y}"
            );
            let fg = match got.fgcolor() {
                vt100::Color::Default => Color::Reset,
                vt100::Color::Idx(i) => Color::Indexed(i),
                vt100::Color::Rgb(r, g, b) => Color::Rgb(r, g, b),
            };
            let want_fg = match cell.fg {
                Color::Cyan => Color::Indexed(6),
                Color::Yellow => Color::Indexed(3),
                Color::Green => Color::Indexed(2),
                other => other,
            };
            assert_eq!(fg, want_fg, "colour at {x},{y}");
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
    assert_eq!(b.writer().as_slice(), b"\x1b[m\x1b[2;4r\x1b[1S\x1b[r");
}
