//! The theme list: one row per theme, sub-themes indented; beside each title
//! its marks: hit count, changed since last time, status, age, stale.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::{fit, put};
use crate::app::{App, Focus};
use crate::changes::Change;
use crate::report::{Status, stamp};
use crate::text::display_width;

/// Draws the visible part of the theme list.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let look = &app.look();
    if app.rows().is_empty() {
        put(
            buf,
            Rect::new(area.x, area.y, area.width, area.height.min(1)),
            0,
            app.labels().no_themes,
            look.placeholder(),
        );
        return;
    }
    for row in 0..area.height {
        let Some(&i) = app.rows().get(app.list_offset() + usize::from(row)) else {
            break;
        };
        let entry = &app.doc().entries[i];
        let line = Rect::new(area.x, area.y + row, area.width, 1);
        let marks = marks(app, i);
        let width = usize::from(area.width);
        // Indentation shrinks before the title does on narrow screens.
        let indent = (usize::from(entry.depth) * 2).min(width / 4);
        let marks_w = display_width(&marks);
        let room = width.saturating_sub(indent + marks_w);
        let title = fit(app.doc().title_of(entry), room, look.ellipsis());
        let style = match (i == app.selected(), app.focus()) {
            (false, _) => Style::new(),
            (true, Focus::List) => look.list_selected_focused(),
            (true, Focus::Text) => look.list_selected(),
        };
        if i == app.selected() {
            // The highlight spans the row so the selection is seen at a glance.
            buf.set_style(line, style);
        }
        let end = put(buf, line, u16::try_from(indent).unwrap_or(0), &title, style);
        if marks_w > 0 && marks_w < width {
            let x = area
                .width
                .saturating_sub(u16::try_from(marks_w).unwrap_or(0));
            put(buf, line, x.max(end), &marks, look.list_hits().patch(style));
        }
    }
}

/// The compact marks after a theme's title, e.g. " [3] * + 12m !".
pub fn marks(app: &App, i: usize) -> String {
    let look = &app.look();
    let mut out = String::new();
    let search = &app.search();
    if search.active() {
        let hits = search
            .matches
            .count_in(&app.doc().index, app.doc().entries[i].blocks.clone());
        if hits > 0 {
            out.push_str(&format!(" [{hits}]"));
        }
    }
    if app.change(i) != Change::Same {
        out.push_str(if look.ascii { " *" } else { " ●" });
    }
    let status = match app.doc().entries[i].status {
        Some(Status::New) => Some("+"),
        Some(Status::Changed) => Some("~"),
        Some(Status::Closed) => Some(if look.ascii { "x" } else { "×" }),
        Some(Status::Unchanged) | Some(Status::Other(_)) | None => None,
    };
    if let Some(s) = status {
        out.push(' ');
        out.push_str(s);
    }
    if let Some(age) = app.age(i) {
        out.push(' ');
        out.push_str(&stamp::age(age));
    }
    if app.is_stale(i) {
        out.push_str(" !");
    }
    out
}
