//! The overlay with a whole message: every current problem in full (a
//! reload error with its file:line:column, the quoted line and the hint),
//! wrapped to the overlay, over the body.

use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::style::Style;

use super::put;
use crate::app::App;
use crate::keymap::Context;

/// Draws the messages over `body`.
pub fn render(app: &App, body: Rect, buf: &mut Buffer) {
    let title = format!(" {} ", app.labels().message_title);
    super::overlay(app, body, &title, Context::Message, |_, h| Some(h), buf);
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
