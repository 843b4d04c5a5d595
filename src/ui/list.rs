//! The theme list: one row per theme, sub-themes indented, hit counts during a search.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{fit, put};
use crate::app::{App, Focus};
use crate::text::display_width;

/// Draws the visible part of the theme list.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let look = &app.look;
    let search = &app.search;
    for row in 0..area.height {
        let i = app.list_offset + usize::from(row);
        let Some(entry) = app.doc.entries.get(i) else {
            break;
        };
        let line = Rect::new(area.x, area.y + row, area.width, 1);
        let hits = if search.active() {
            search
                .matches
                .in_blocks(&app.doc.index, entry.blocks.clone())
                .len()
        } else {
            0
        };
        let count = if hits > 0 {
            format!(" [{hits}]")
        } else {
            String::new()
        };
        let width = usize::from(area.width);
        // Indentation shrinks before the title does on narrow screens.
        let indent = (entry.depth * 2).min(width / 4);
        let room = width.saturating_sub(indent + display_width(&count));
        let title = fit(&entry.title, room, look.ellipsis());
        let style = match (i == app.selected, app.focus) {
            (false, _) => ratatui::style::Style::new(),
            (true, Focus::List) => look.list_selected_focused(),
            (true, Focus::Text) => look.list_selected(),
        };
        let x = u16::try_from(indent).unwrap_or(0);
        if i == app.selected {
            // The highlight spans the row so the selection is seen at a glance.
            buf.set_style(line, style);
        }
        let end = put(buf, line, x, &title, style);
        if hits > 0 {
            let cx = area
                .width
                .saturating_sub(u16::try_from(display_width(&count)).unwrap_or(0));
            put(
                buf,
                line,
                cx.max(end),
                &count,
                look.list_hits().patch(style),
            );
        }
    }
}
