//! The help overlay: the lines of `help` (made from the key tables), in
//! the columns and pages that `layout::help` gives, with where the reader
//! is ("1/3") and how to page in the frame.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Block, Clear, Widget};

use super::{fit, put};
use crate::app::App;
use crate::help::{self, HelpLine};
use crate::keymap::{self, Context};

/// Draws help's page `page`.
pub fn render(app: &App, page: usize, buf: &mut Buffer) {
    let look = app.look();
    let (columns, g) = app.help_pages();
    let page = page.min(g.pages.saturating_sub(1));
    Clear.render(g.area, buf);
    let title = format!(" {} ", app.labels().help_title);
    let width = usize::from(g.area.width.saturating_sub(2));
    Block::bordered()
        .border_set(look.border_set())
        .title(fit(&title, width, "").into_owned())
        .title_bottom(fit(&footer(app, page, g.pages, width), width, "").into_owned())
        .render(g.area, buf);
    let all: Vec<HelpLine> = columns.iter().flatten().cloned().collect();
    // In a narrow column the keys take half at most: what they do is read too.
    let key_w = help::key_column(&all).min(usize::from(g.column_width / 2));
    let shown = columns.iter().skip(page * g.columns).take(g.columns);
    for (column, lines) in shown.enumerate() {
        // Never past the frame, whatever the columns hold.
        let rows = usize::from(g.inner.height);
        for (row, line) in lines.iter().enumerate().take(rows) {
            let x = g.inner.x + u16::try_from(column).unwrap_or(0) * (g.column_width + 3);
            let y = g.inner.y + u16::try_from(row).unwrap_or(0);
            let area = Rect::new(x, y, g.column_width, 1);
            match line {
                HelpLine::Heading(h) => {
                    put(buf, area, 0, h, look.overlay_title());
                }
                HelpLine::Row(keys, text) => {
                    let keys = fit(keys, key_w.saturating_sub(1), look.ellipsis());
                    put(buf, area, 0, &keys, look.overlay_title());
                    let at = u16::try_from(key_w).unwrap_or(0);
                    let room = usize::from(g.column_width.saturating_sub(at));
                    put(
                        buf,
                        area,
                        at,
                        &fit(text, room, look.ellipsis()),
                        Style::new(),
                    );
                }
                HelpLine::Blank => {}
            }
        }
    }
}

// " 1/3 · PgDn next page · Esc close help ", made from the help table: on
// a narrow screen the page and the way out stay, how to page goes first.
fn footer(app: &App, page: usize, pages: usize, room: usize) -> String {
    use super::parts::{ALWAYS, Part};
    let look = app.look();
    let mut parts = vec![Part::new(format!("{}/{pages}", page + 1), ALWAYS)];
    let hinted = keymap::table(Context::Help)
        .iter()
        .filter(|b| b.hint && (pages > 1 || b.action == crate::action::Action::ToggleHelp));
    for b in hinted {
        let keep = if b.action == crate::action::Action::ToggleHelp {
            2
        } else {
            1
        };
        let said = b.help[app.labels().help_column];
        parts.push(Part::new(
            format!("{} {said}", keymap::hint_label(b, look.ascii)),
            keep,
        ));
    }
    let line = super::parts::fitted_with(&parts, room.saturating_sub(2), look.separator());
    format!(" {line} ")
}
