//! The help overlay: every key, generated from the key tables.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Clear, Widget};

use super::{fit, put};
use crate::app::App;
use crate::keymap::{self, Binding};
use crate::text::display_width;

/// The help text as (heading?, keys, description) rows.
pub fn lines(app: &App) -> Vec<(bool, String, &'static str)> {
    let l = app.labels;
    let sections: [(&str, &[Binding]); 4] = [
        (l.help_browse, keymap::BROWSE),
        (l.help_present, keymap::PRESENT),
        (l.help_search, keymap::SEARCH),
        (l.help_results, keymap::RESULTS),
    ];
    let mut rows = Vec::new();
    for (i, (heading, table)) in sections.into_iter().enumerate() {
        if i > 0 {
            rows.push((false, String::new(), ""));
        }
        rows.push((true, heading.to_string(), ""));
        for b in table {
            let label = if app.look.ascii {
                b.ascii_label
            } else {
                b.label
            };
            rows.push((false, label.to_string(), b.help[l.help_column]));
        }
    }
    rows
}

/// The largest useful scroll offset of the help overlay at the app's size.
pub fn max_scroll(app: &App) -> usize {
    let body = app.areas.status.y.saturating_sub(app.areas.header.bottom());
    // The frame takes two rows.
    lines(app)
        .len()
        .saturating_sub(usize::from(body.saturating_sub(2)))
}

/// Draws the help overlay centred over `body`, scrolled by `scroll` rows.
pub fn render(app: &App, body: Rect, scroll: usize, buf: &mut Buffer) {
    let rows = lines(app);
    let key_w = rows.iter().map(|r| display_width(&r.1)).max().unwrap_or(0) + 2;
    let text_w = rows.iter().map(|r| display_width(r.2)).max().unwrap_or(0);
    let width = u16::try_from(key_w + text_w + 4)
        .unwrap_or(u16::MAX)
        .min(body.width);
    let height = u16::try_from(rows.len() + 2)
        .unwrap_or(u16::MAX)
        .min(body.height);
    let area = Rect::new(
        body.x + (body.width - width) / 2,
        body.y + (body.height - height) / 2,
        width,
        height,
    );
    Clear.render(area, buf);
    let title = format!(" {} ", app.labels.help_title);
    let close = format!(" {} ", app.labels.help_close);
    Block::bordered()
        .border_set(app.look.border_set())
        .title(fit(&title, usize::from(width.saturating_sub(2)), "").into_owned())
        .title_bottom(fit(&close, usize::from(width.saturating_sub(2)), "").into_owned())
        .render(area, buf);
    let inner = area.inner(ratatui::layout::Margin::new(2, 1));
    let scroll = scroll.min(rows.len().saturating_sub(usize::from(inner.height)));
    for (row, (heading, keys, text)) in rows
        .iter()
        .skip(scroll)
        .take(usize::from(inner.height))
        .enumerate()
    {
        let line = Rect::new(
            inner.x,
            inner.y + u16::try_from(row).unwrap_or(0),
            inner.width,
            1,
        );
        if *heading {
            put(buf, line, 0, keys, app.look.overlay_title());
        } else {
            put(buf, line, 0, keys, ratatui::style::Style::new());
            let x = u16::try_from(key_w).unwrap_or(0);
            let room = usize::from(inner.width.saturating_sub(x));
            put(
                buf,
                line,
                x,
                &fit(text, room, app.look.ellipsis()),
                ratatui::style::Style::new(),
            );
        }
    }
}
