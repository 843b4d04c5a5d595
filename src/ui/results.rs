//! The overview of all matches: theme and a line of context for each.

use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Block, Clear, Widget};

use super::{fit, put};
use crate::app::App;
use crate::text::display_width;

/// Draws the overview over `body`: rows `offset..` with `cursor` highlighted.
pub fn render(app: &App, body: Rect, cursor: usize, offset: usize, buf: &mut Buffer) {
    let look = &app.look;
    let matches = &app.search.matches;
    Clear.render(body, buf);
    let title = format!(" {} ({}) ", app.labels.results_title, matches.len());
    Block::bordered()
        .border_set(look.border_set())
        .title(fit(&title, usize::from(body.width.saturating_sub(2)), "").into_owned())
        .render(body, buf);
    let inner = body.inner(Margin::new(1, 1));
    let theme_w = (usize::from(inner.width) / 3).clamp(1, 30);
    for row in 0..inner.height {
        let i = offset + usize::from(row);
        if i >= matches.len() {
            break;
        }
        let hit = app.doc.index.hit(matches, i);
        let entry = app.doc.entry_of_block(hit.block);
        let line = Rect::new(inner.x, inner.y + row, inner.width, 1);
        let selected = i == cursor;
        let base = if selected {
            look.list_selected_focused()
        } else {
            Style::new()
        };
        if selected {
            buf.set_style(line, base);
        }
        let title = app.doc.entries.get(entry).map_or("", |e| e.title.as_str());
        put(
            buf,
            line,
            0,
            &fit(title, theme_w, look.ellipsis()),
            base.patch(look.overlay_title()),
        );
        let x = u16::try_from(theme_w + 1).unwrap_or(0);
        let room = usize::from(inner.width).saturating_sub(theme_w + 1);
        // Context: up to a third of the room before the match, the rest after.
        let text = &app.doc.blocks[hit.block].text;
        let lead = room / 3;
        let mut start = hit.range.start;
        let mut used = 0;
        for (i, c) in text[..hit.range.start].char_indices().rev() {
            used += display_width(c.encode_utf8(&mut [0; 4]));
            if used > lead {
                break;
            }
            start = i;
        }
        let x = put(buf, line, x, &text[start..hit.range.start], base);
        let x = put(
            buf,
            line,
            x,
            &text[hit.range.clone()],
            base.patch(look.current_hit()),
        );
        put(buf, line, x, &text[hit.range.end..], base);
    }
}
