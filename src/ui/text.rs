//! The text panel: the selected theme's pre-wrapped lines, with search highlights.

use std::ops::Range;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::put;
use crate::app::App;
use crate::doc::BlockKind;
use crate::view::{LineKind, Section};

/// Draws the visible lines of the selected theme: a pinned slide title
/// first, then the lines from the scroll offset; while presenting, marks
/// beside the text say there is more above or below.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let look = &app.look();
    if app.filtered_out() {
        // The list shows no theme: neither does the text.
        for (row, line) in crate::view::wrap_text(app.doc(), app.labels().filter_empty, area.width)
            .iter()
            .take(usize::from(area.height))
            .enumerate()
        {
            let y = area.y + u16::try_from(row).unwrap_or(0);
            put(
                buf,
                Rect::new(area.x, y, area.width, 1),
                0,
                line,
                look.placeholder(),
            );
        }
        return;
    }
    let visible = app.visible_lines();
    let highlights = highlights(app);
    if app.presenting() {
        render_more(app, area, buf);
    }
    for (row, line) in visible.enumerate() {
        let y = area.y + u16::try_from(row).unwrap_or(0);
        let row_area = Rect::new(area.x, y, area.width, 1);
        match line.kind {
            LineKind::Blank => {}
            LineKind::Placeholder => {
                put(
                    buf,
                    row_area,
                    line.indent,
                    app.labels().no_text,
                    look.placeholder(),
                );
            }
            LineKind::Label(section) => {
                let label = match section {
                    Section::Decisions => app.labels().decisions,
                    Section::Actions => app.labels().actions,
                };
                put(buf, row_area, line.indent, label, look.section());
            }
            LineKind::Text {
                block,
                start,
                end,
                hyphen,
                bullet,
            } => {
                let mut x = line.indent;
                if bullet && let Some(marker) = look.marker(line.block_kind) {
                    // An open action past its due time says so by itself.
                    let (marker, style) = if app.block_overdue(block) {
                        (look.overdue_mark(), look.notice())
                    } else {
                        (marker, look.bullet())
                    };
                    x = put(buf, row_area, x, marker, style);
                    x = put(buf, row_area, x, " ", Style::new());
                }
                let base = match line.block_kind {
                    BlockKind::Title if app.presenting() => look.slide_title(),
                    BlockKind::Title => look.text_title(),
                    BlockKind::Meta => look.meta(),
                    _ => Style::new(),
                };
                // A changed block is marked in the margin left of the text.
                if area.x > 0 && app.changes().blocks.get(block).copied().unwrap_or(false) {
                    let mark = Rect::new(area.x - 1, y, 1, 1);
                    put(
                        buf,
                        mark,
                        0,
                        if look.ascii { "*" } else { "▌" },
                        look.changed(),
                    );
                }
                let text = app.doc().blocks.text(block);
                let mut at = start;
                for (range, style) in highlights
                    .iter()
                    .filter(|h| h.0 == block)
                    .map(|h| (&h.1, h.2))
                {
                    let (s, e) = (range.start.max(start), range.end.min(end));
                    if s >= e {
                        continue;
                    }
                    x = put(buf, row_area, x, &text[at..s], base);
                    x = put(buf, row_area, x, &text[s..e], base.patch(style));
                    at = e;
                }
                x = put(buf, row_area, x, &text[at..end], base);
                if hyphen {
                    x = put(buf, row_area, x, "-", base);
                }
                // "No change" is information: beside the title, when it fits.
                if line.block_kind == BlockKind::Title
                    && end == text.len()
                    && let Some(since) = app.unchanged_since(app.selected())
                {
                    let note = format!(
                        "{} {}",
                        app.labels().unchanged_since,
                        super::lists::since_text(app, since)
                    );
                    let w = u16::try_from(crate::text::display_width(&note)).unwrap_or(u16::MAX);
                    if x.saturating_add(w).saturating_add(2) <= row_area.width {
                        put(buf, row_area, row_area.width - w, &note, look.meta());
                    }
                }
            }
        }
    }
}

// "More above" and "more below", right of the text with a column of air
// (as near as the margin allows), at the first and last scrolling row.
fn render_more(app: &App, area: Rect, buf: &mut Buffer) {
    let (above, below) = app.more();
    let region = app.scroll_region();
    let x = (area.right() + 1)
        .min(app.size().0.saturating_sub(1))
        .max(area.x);
    let look = app.look();
    for (on, y, mark) in [
        (above, region.y, look.more_above()),
        (below, region.bottom().saturating_sub(1), look.more_below()),
    ] {
        if on && region.height > 0 {
            put(buf, Rect::new(x, y, 1, 1), 0, mark, look.footer());
        }
    }
}

// The matches in the visible blocks, with the style each is drawn in.
fn highlights(app: &App) -> Vec<(usize, Range<usize>, Style)> {
    let search = &app.search();
    if !search.active() {
        return Vec::new();
    }
    // A one-letter query matches nearly every word: highlighting them all
    // tells the reader nothing and costs kilobytes on a slow link. Until a
    // second letter is typed, only the current match is shown.
    let only_current = search.matches.query().chars().count() < 2;
    let blocks = app.visible_lines().filter_map(|l| match l.kind {
        LineKind::Text { block, .. } => Some(block),
        _ => None,
    });
    let (Some(first), Some(last)) = (blocks.clone().min(), blocks.max()) else {
        return Vec::new();
    };
    let index = &app.doc().index;
    search
        .matches
        .in_blocks(index, first..last + 1)
        .into_iter()
        .filter(|&at| !only_current || Some(at) == search.current)
        .map(|at| {
            let hit = index.hit(&search.matches, at);
            let style = if Some(at) == search.current {
                app.look().current_hit()
            } else {
                app.look().hit()
            };
            (hit.block, hit.range, style)
        })
        .collect()
}
