//! The diff of the selected theme between two versions, over the body:
//! each paragraph or point once, marked by a symbol and a word (not colour
//! alone): `−` removed, `+` added, `~` changed, with the words that went
//! `[−…]` and came `[+…]` inside a changed one.

use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::style::Style;

use super::put;
use crate::app::App;
use crate::keymap::Context;
use crate::versions::DiffKind;

/// Draws the diff over `body` from line `scroll`.
pub fn render(app: &App, body: Rect, scroll: usize, buf: &mut Buffer) {
    let Some(diff) = app.diff() else { return };
    let (look, l) = (app.look(), app.labels());
    let name = |r: &Option<crate::versions::Row>| {
        r.as_ref().map_or_else(
            || "?".to_string(),
            |r| super::lists::since_text(app, since_of(r)),
        )
    };
    let title = format!(
        " {} · {} · {} → {} ",
        l.diff_title,
        diff.title,
        name(&diff.from),
        name(&diff.to)
    );
    super::overlay(app, body, &title, Context::Diff, |_, h| Some(h), buf);
    let inner = body.inner(Margin::new(1, 1));
    let mut y = 0;
    for line in diff.lines.iter().skip(scroll) {
        let (mark, word, style) = match line.kind {
            DiffKind::Same => (" ", "", Style::new()),
            DiffKind::Removed => (look.removed_mark(), l.diff_words[0], look.removed()),
            DiffKind::Added => (look.added_mark(), l.diff_words[1], look.changed()),
            DiffKind::Changed => ("~", l.diff_words[2], Style::new()),
        };
        let lead = if word.is_empty() {
            format!("{mark}   ")
        } else {
            format!("{mark} {word}: ")
        };
        let text = line.marked(look);
        let room = inner
            .width
            .saturating_sub(u16::try_from(crate::text::display_width(&lead)).unwrap_or(0));
        for (k, piece) in crate::view::wrap_text(app.doc(), &text, room.max(1))
            .into_iter()
            .enumerate()
        {
            if y >= inner.height {
                return;
            }
            let area = Rect::new(inner.x, inner.y + y, inner.width, 1);
            let prefix = if k == 0 {
                lead.clone()
            } else {
                " ".repeat(crate::text::display_width(&lead))
            };
            let x = put(buf, area, 0, &prefix, style.patch(look.meta()));
            put(buf, area, x, &piece, style);
            y += 1;
        }
    }
}

fn since_of(r: &crate::versions::Row) -> crate::versions::Since {
    match r.number {
        Some(n) => crate::versions::Since::Number(n),
        None => crate::versions::Since::Seen(r.first_seen),
    }
}
