//! The overlay with a whole message: every current problem in full (a
//! reload error with its file:line:column, the quoted line and the hint),
//! wrapped to the overlay, over the body.

use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Block, Clear, Widget};

use super::{fit, put};
use crate::app::App;
use crate::keymap::{self, Context};

/// Draws the messages over `body`.
pub fn render(app: &App, body: Rect, buf: &mut Buffer) {
    let look = app.look();
    Clear.render(body, buf);
    let title = format!(" {} ", app.labels().message_title);
    let close: Vec<String> = keymap::table(Context::Message)
        .iter()
        .filter(|b| b.hint)
        .map(|b| {
            format!(
                " {} {} ",
                keymap::hint_label(b, look.ascii),
                b.help[app.labels().help_column]
            )
        })
        .collect();
    let width = usize::from(body.width.saturating_sub(2));
    Block::bordered()
        .border_set(look.border_set())
        .title(fit(&title, width, "").into_owned())
        .title_bottom(fit(&close.concat(), width, "").into_owned())
        .render(body, buf);
    let inner = body.inner(Margin::new(2, 1));
    let mut row = 0;
    for (i, message) in app.messages().iter().enumerate() {
        if i > 0 {
            row += 1;
        }
        for line in message.lines() {
            for piece in crate::view::wrap_text(app.doc(), line, inner.width) {
                if row >= inner.height {
                    return;
                }
                let area = Rect::new(inner.x, inner.y + row, inner.width, 1);
                put(buf, area, 0, &piece, Style::new());
                row += 1;
            }
        }
    }
}
