//! The header: the report's title, subtitle and kind on one line.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{fit, put};
use crate::app::App;
use crate::text::display_width;

/// Draws the header row.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let doc = &app.doc();
    let look = &app.look();
    let width = usize::from(area.width);
    // The version and the classification matter more than the kind: they
    // win the right edge ("sitrep 14 · update · per 14:00  [TLP:AMBER]").
    let right = [
        version_line(app),
        doc.classification.as_ref().map(|c| format!("[{c}]")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("  ");
    let kind = if right.is_empty() {
        doc.kind.as_deref().unwrap_or("")
    } else {
        right.as_str()
    };
    // The kind goes to the right edge only when the title still fits beside it.
    let kind_w = if kind.is_empty() {
        0
    } else {
        display_width(kind) + 2
    };
    let title_room = if display_width(&doc.title) + kind_w <= width {
        width - kind_w
    } else {
        width
    };
    let title = fit(&doc.title, title_room, look.ellipsis());
    let mut x = put(buf, area, 0, &title, look.header_title());
    if let Some(sub) = &doc.subtitle {
        let room = title_room.saturating_sub(usize::from(x) + 3);
        if room >= 8 {
            x = put(
                buf,
                area,
                x,
                if look.ascii { " - " } else { " — " },
                look.header_rest(),
            );
            x = put(
                buf,
                area,
                x,
                &fit(sub, room, look.ellipsis()),
                look.header_rest(),
            );
        }
    }
    if kind_w > 0 && usize::from(x) + kind_w <= width {
        let kx = u16::try_from(width - kind_w + 2).unwrap_or(area.width);
        put(buf, area, kx, kind, look.header_rest());
    }
}

/// "sitrep 14 · update · per 14:00" from the version's header, if it says any.
pub fn version_line(app: &App) -> Option<String> {
    let (v, l) = (&app.doc().version, app.labels());
    let parts: Vec<String> = [
        v.number.map(|n| format!("{} {n}", l.version_word)),
        v.phase.map(|p| l.phase(p).to_string()),
        v.as_of
            .as_ref()
            .map(|a| format!("{} {}", l.as_of, short_time(&a.text))),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join(app.look().separator()))
}

// "2026-11-27 14:00" as "14:00" (the date is the report's own).
fn short_time(text: &str) -> &str {
    text.rsplit(' ').next().unwrap_or(text)
}
