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
    let look = &app.look();
    let matches = &app.search().matches;
    Clear.render(body, buf);
    let index = &app.doc().index;
    let more = if app.partial() {
        app.look().ellipsis()
    } else {
        ""
    };
    let total = matches.count().map_or_else(
        || app.labels().counting.to_string(),
        |n| format!("{n}{more}"),
    );
    let title = format!(" {} ({total}) ", app.labels().results_title);
    Block::bordered()
        .border_set(look.border_set())
        .title(fit(&title, usize::from(body.width.saturating_sub(2)), "").into_owned())
        .render(body, buf);
    let inner = body.inner(Margin::new(1, 1));
    let theme_w = (usize::from(inner.width) / 3).clamp(1, 30);
    // The rows' matches: the one of rank `offset`, and those after it.
    let rows = matches
        .nth(index, offset)
        .map(|at| matches.following(index, at, usize::from(inner.height)))
        .unwrap_or_default();
    for (row, at) in (0..inner.height).zip(rows) {
        let i = offset + usize::from(row);
        let hit = index.hit(matches, at);
        let entry = app.doc().entry_of_block(hit.block);
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
        let title = app.doc().entry_title(entry);
        put(
            buf,
            line,
            0,
            &fit(title, theme_w, look.ellipsis()),
            base.patch(look.overlay_title()),
        );
        let x = u16::try_from(theme_w + 1).unwrap_or(0);
        let room = usize::from(inner.width).saturating_sub(theme_w + 1);
        let text = app.doc().blocks.text(hit.block);
        let (before, after) = snippet(text, hit.range.clone(), room, look.ellipsis());
        let x = put(buf, line, x, &before, base);
        let x = put(
            buf,
            line,
            x,
            &text[hit.range.clone()],
            base.patch(look.current_hit()),
        );
        put(buf, line, x, &after, base);
    }
}

/// The context around the match at `range` of `text` in `room` columns:
/// up to a third of the room before it, the rest after; each side starts or
/// ends at a word, with `ellipsis` where text was left out.
pub fn snippet(
    text: &str,
    range: std::ops::Range<usize>,
    room: usize,
    ellipsis: &str,
) -> (String, String) {
    let e = display_width(ellipsis);
    let hit_w = display_width(&text[range.clone()]);
    let lead = room / 3;
    // Before: the last words that fit, whole.
    let head = &text[..range.start];
    let before = if display_width(head) <= lead {
        head.to_string()
    } else {
        let mut start = range.start;
        for (i, _) in head.char_indices().rev() {
            if display_width(&head[i..]) + e > lead {
                break;
            }
            start = i;
        }
        // Forward to the start of a word.
        let cut = &head[start..];
        let word = cut.find(' ').map_or(cut.len(), |p| p + 1);
        let kept = if word < cut.len() { &cut[word..] } else { cut };
        format!("{ellipsis}{kept}")
    };
    // After: the first words that fit, whole.
    let left = room.saturating_sub(display_width(&before) + hit_w);
    let tail = &text[range.end..];
    let after = if display_width(tail) <= left {
        tail.to_string()
    } else {
        let mut end = 0;
        for (i, c) in tail.char_indices() {
            if display_width(&tail[..i + c.len_utf8()]) + e > left {
                break;
            }
            end = i + c.len_utf8();
        }
        let cut = &tail[..end];
        // Back to the end of a word (unless the match ends mid-word).
        let kept = match cut.rfind(' ') {
            Some(p) if p > 0 => &cut[..p],
            _ => cut,
        };
        format!("{}{ellipsis}", kept.trim_end())
    };
    (before, after)
}

#[cfg(test)]
mod tests {
    use super::snippet;

    #[test]
    fn snippets_start_and_end_at_a_word_with_an_ellipsis_where_cut() {
        let text =
            "de veiligheidsregio organiseert de afstemming tussen de vele betrokken overheden";
        let at = text.find("afstemming").expect("word");
        let (before, after) = snippet(text, at..at + "afstemming".len(), 40, "…");
        assert_eq!(before, "…de ");
        assert_eq!(after, " tussen de vele…");
        assert!(crate::text::display_width(&format!("{before}afstemming{after}")) <= 40);
        let (b, a) = snippet("kort", 0..4, 40, "…");
        assert_eq!((b.as_str(), a.as_str()), ("", ""));
    }
}
