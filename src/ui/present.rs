//! The presentation footer: position, point progress, elapsed time, wall clock.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::parts::{Part, fitted};
use super::{fit, put};
use crate::app::{App, Screen};
use crate::text::display_width;

/// Draws the footer row. Only the clock's digits change once a second, so
/// the tick costs a few bytes on the wire.
pub fn render_footer(app: &App, area: Rect, buf: &mut Buffer) {
    let look = &app.look();
    let l = app.labels();
    let mut left = format!(
        "{} {}/{}",
        l.theme_word,
        app.selected() + 1,
        app.doc().entries.len()
    );
    // The number being typed before the points: on a narrow wall screen
    // the left side is cut from its end.
    if let Screen::Present(p) = app.screen()
        && let Some(n) = p.jump
    {
        left.push_str(&format!("  {} {n}", if look.ascii { "->" } else { "→" }));
    }
    if let Some((revealed, total)) = app.progress().filter(|p| p.1 > 0) {
        left.push_str(&format!("  {} {revealed}/{total}", l.point_word));
    }
    // On the wall screen too: what this is, and whether it is late; then
    // the clocks, which give way first to the slide's number on the left.
    let mut parts = Vec::new();
    if let Some(c) = &app.doc().classification {
        parts.push(Part::new(format!("[{c}]"), 4));
    }
    if app.next_update_in().is_some_and(|r| r < 0) {
        parts.push(Part::new(
            format!("{} {}", look.overdue_mark(), l.overdue),
            3,
        ));
    }
    if let Some(e) = app.elapsed() {
        parts.push(Part::new(format!("{:02}:{:02}", e / 60, e % 60), 2));
    }
    if let Some(c) = app.clock() {
        parts.push(Part::new(format!("{:02}:{:02}", c.local.0, c.local.1), 1));
    }
    let width = usize::from(area.width);
    let needed = display_width(&left).min(width / 2);
    let right = fitted(&parts, width.saturating_sub(needed + 2));
    let right_w = display_width(&right);
    let left_room = width.saturating_sub(right_w + 2);
    if let Some(state) = super::status::follow_state(app) {
        left.push_str(&format!("  {state}"));
    }
    if let Some(room) = super::status::room_state(app) {
        left.push_str(&format!("  {room}"));
    }
    match super::status::problem(app) {
        Some(n) => put(
            buf,
            area,
            0,
            &fit(&n, left_room, look.ellipsis()),
            look.notice(),
        ),
        None => put(
            buf,
            area,
            0,
            &fit(&left, left_room, look.ellipsis()),
            look.footer(),
        ),
    };
    if right_w + 2 <= width {
        let x = u16::try_from(width - right_w).unwrap_or(0);
        put(buf, area, x, &right, look.footer());
    }
}
