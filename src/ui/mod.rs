//! Rendering: a pure function of the application state.
//!
//! Everything is drawn cell by cell into the frame's buffer from pre-wrapped
//! lines, never through `Paragraph`'s own wrapping (which panics on wide
//! characters in tiny areas and cannot scroll past 65,535 rows).

mod diff;
mod header;
pub(crate) mod help;
mod list;
pub(crate) mod lists;
mod message;
mod parts;
mod present;
mod results;
mod room;
pub(crate) mod status;
mod text;

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_segmentation::UnicodeSegmentation;

use crate::app::{App, Mode};
use crate::text::display_width;

/// Draws the whole screen.
///
/// ```text
/// ┌──────────────────────────────────────────────────────────────┐
/// │ header: report title — subtitle                    kind      │
/// │ theme list          │ Theme title                             │
/// │   sub-theme     [3] │                                         │
/// │ ▌selected▐          │ paragraph text, wrapped to the panel    │
/// │                     │ • point with a hanging                  │
/// │                     │   indent                                │
/// │ status: hints / search bar                            3/7     │
/// └──────────────────────────────────────────────────────────────┘
/// ```
/// Below 60 columns the list stands above the text; help and the match
/// overview are drawn over the body. Presenting, only the text (centred, at
/// most 70 columns) and a discreet footer are drawn.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    let a = app.areas();
    // The state is laid out for another size (a resize not yet handled):
    // draw nothing rather than outside the frame; the next frame fixes it.
    if app.size() != (area.width, area.height) {
        return;
    }
    if a.too_small {
        render_too_small(app, area, buf);
        return;
    }
    if !app.presenting() {
        header::render(app, a.header, buf);
        list::render(app, a.list, buf);
        render_divider(app, a.divider, buf);
    }
    text::render(app, a.text, buf);
    let body = a.body();
    match app.mode() {
        Mode::Help { page, .. } => help::render(app, page, buf),
        Mode::Results { cursor, offset } => results::render(app, body, cursor, offset, buf),
        Mode::Message { .. } => message::render(app, body, buf),
        Mode::Room { .. } => room::render(app, body, buf),
        Mode::List {
            kind,
            cursor,
            offset,
        } => lists::render(app, body, kind, cursor, offset, buf),
        Mode::Diff { scroll } => diff::render(app, body, scroll, buf),
        Mode::Browse | Mode::Search => {}
    }
    if app.presenting() && app.mode() != Mode::Search {
        present::render_footer(app, a.status, buf);
    } else if let Some(cursor) = status::render(app, a.status, buf) {
        frame.set_cursor_position(cursor);
    }
}

// "venster te klein (min. 20x5)", wrapped over the rows there are; where
// even that does not fit, the size it takes, which says what to do.
fn render_too_small(app: &App, area: Rect, buf: &mut Buffer) {
    use crate::layout::{MIN_HEIGHT, MIN_WIDTH};
    let need = format!("min. {MIN_WIDTH}x{MIN_HEIGHT}");
    let whole = format!("{} ({need})", app.labels().too_small);
    let width = usize::from(area.width.max(1));
    let rows = usize::from(area.height);
    let wrapped = |s: &str| -> Vec<String> {
        textwrap::wrap(s, width)
            .into_iter()
            .map(|l| l.into_owned())
            .collect()
    };
    let mut lines = wrapped(&whole);
    if lines.len() > rows {
        lines = wrapped(&need);
    }
    for (y, line) in (area.y..area.y.saturating_add(area.height)).zip(&lines) {
        put(
            buf,
            Rect::new(area.x, y, area.width, 1),
            0,
            line,
            Style::new(),
        );
    }
}

// The divider, and on it how many themes the list hides above and below
// (a list of three rows of seven must not read as the whole report).
fn render_divider(app: &App, area: Rect, buf: &mut Buffer) {
    let (look, stacked) = (app.look(), app.areas().stacked);
    let symbol = look.divider(stacked);
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            buf[(x, y)].set_symbol(symbol);
        }
    }
    let above = app.list_offset().min(app.rows().len());
    let shown = usize::from(app.areas().list.height);
    let below = app.rows().len().saturating_sub(above + shown);
    if stacked {
        let hidden = [(above, look.more_above()), (below, look.more_below())];
        let said: Vec<String> = hidden
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, mark)| format!("{mark}{n}"))
            .collect();
        let text = format!(" {} ", said.join(" "));
        let w = u16::try_from(display_width(&text)).unwrap_or(u16::MAX);
        // Two of the rule's own columns stay at its right end.
        if !said.is_empty() && w + 2 <= area.width {
            let x = area.right() - 2 - w;
            put(buf, Rect::new(x, area.y, w, 1), 0, &text, look.footer());
        }
    } else if area.height >= 2 {
        if above > 0 {
            buf[(area.x, area.top())].set_symbol(look.more_above());
        }
        if below > 0 {
            buf[(area.x, area.bottom() - 1)].set_symbol(look.more_below());
        }
    }
}

/// Clears `body` and frames it as an overlay: `title` at the top, the
/// hinted keys of `context` at the bottom, each with what `hint` says of it
/// (given its own words: none leaves it out). Where they do not all fit,
/// the first go last, and the way out (close) stays.
pub(crate) fn overlay(
    app: &App,
    body: Rect,
    title: &str,
    context: crate::keymap::Context,
    hint: impl Fn(&crate::keymap::Binding, &'static str) -> Option<&'static str>,
    buf: &mut Buffer,
) {
    use ratatui::widgets::{Block, Clear, Widget};
    let (look, l) = (app.look(), app.labels());
    Clear.render(body, buf);
    let hinted = crate::keymap::table(context).iter().filter(|b| b.hint);
    let parts: Vec<parts::Part> = hinted
        .filter_map(|b| Some((b, hint(b, b.help[l.help_column])?)))
        .enumerate()
        .map(|(i, (b, label))| {
            let key = crate::keymap::hint_label(b, look.ascii);
            let keep = if b.action == crate::action::Action::Cancel {
                parts::ALWAYS - 1
            } else {
                u8::try_from(100usize.saturating_sub(i)).unwrap_or(0)
            };
            parts::Part::new(format!("{key} {label}"), keep)
        })
        .collect();
    let width = usize::from(body.width.saturating_sub(2));
    let keys = parts::fitted(&parts, width.saturating_sub(2));
    let keys = if keys.is_empty() {
        keys
    } else {
        format!(" {keys} ")
    };
    Block::bordered()
        .border_set(look.border_set())
        .title(fit(title, width, look.ellipsis()).into_owned())
        .title_bottom(fit(&keys, width, "").into_owned())
        .render(body, buf);
}

/// Writes `s` at column offset `x` of the one-row `area`, clipped; returns the column after it.
pub(crate) fn put(buf: &mut Buffer, area: Rect, x: u16, s: &str, style: Style) -> u16 {
    if area.is_empty() || x >= area.width {
        return x;
    }
    let (end, _) = buf.set_stringn(area.x + x, area.y, s, usize::from(area.width - x), style);
    end - area.x
}

/// `s` shortened to `width` columns, ending in `ellipsis` when something was cut.
pub(crate) fn fit<'a>(s: &'a str, width: usize, ellipsis: &str) -> Cow<'a, str> {
    if display_width(s) <= width {
        return Cow::Borrowed(s);
    }
    let room = width.saturating_sub(display_width(ellipsis));
    let mut used = 0;
    let mut end = 0;
    for (i, g) in s.grapheme_indices(true) {
        let w = display_width(g);
        if used + w > room {
            break;
        }
        used += w;
        end = i + g.len();
    }
    if width < display_width(ellipsis) {
        return Cow::Borrowed(&s[..end]);
    }
    Cow::Owned(format!("{}{ellipsis}", s[..end].trim_end()))
}

#[cfg(test)]
mod tests;

/// `s` without its first `columns` columns (whole graphemes).
pub(super) fn skip_columns(s: &str, columns: usize) -> &str {
    use unicode_segmentation::UnicodeSegmentation;
    let mut used = 0;
    for (i, g) in s.grapheme_indices(true) {
        if used >= columns {
            return &s[i..];
        }
        used += display_width(g);
    }
    ""
}
