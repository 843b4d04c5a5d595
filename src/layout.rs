//! Where each region of the screen goes, as a pure function of the size.
//! Shared by rendering and by the state transitions that need page sizes and
//! mouse hit-testing, so both always agree.

use ratatui::layout::Rect;

/// Below this the screen shows only a one-line notice.
pub const MIN_WIDTH: u16 = 20;
/// Below this the screen shows only a one-line notice.
pub const MIN_HEIGHT: u16 = 5;
/// From this width on, list and text stand side by side.
pub const SIDE_BY_SIDE: u16 = 60;
/// A comfortable measure for presented text, in columns.
pub const MEASURE: u16 = 70;
/// The widest the browser's text gets on a wide terminal (`--measure`).
pub const READING_MEASURE: u16 = 90;

/// What the layout depends on besides the screen's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// How many themes the list holds.
    pub entries: usize,
    /// The widest list row (title, indentation and marks), in columns.
    pub widest_row: usize,
    /// The widest the text may be, in columns.
    pub measure: u16,
    /// Whether presenting (one theme filling the screen).
    pub presenting: bool,
}

impl Default for Shape {
    fn default() -> Self {
        Shape {
            entries: 0,
            widest_row: 0,
            measure: READING_MEASURE,
            presenting: false,
        }
    }
}

/// The regions of the browser screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Areas {
    /// The report's title line.
    pub header: Rect,
    /// The theme list.
    pub list: Rect,
    /// The line between list and text (a column, or a row when stacked).
    pub divider: Rect,
    /// The selected theme's text.
    pub text: Rect,
    /// The status line (or the search bar).
    pub status: Rect,
    /// Whether the list sits above the text (narrow terminals).
    pub stacked: bool,
    /// Whether the terminal is too small for anything but a notice.
    pub too_small: bool,
}

impl Areas {
    /// The layout of a `width` x `height` screen of the given shape.
    pub fn new(width: u16, height: u16, shape: &Shape) -> Areas {
        let Shape {
            entries,
            widest_row,
            measure: reading,
            presenting,
        } = *shape;
        if width < MIN_WIDTH || height < MIN_HEIGHT {
            return Areas {
                too_small: true,
                ..Areas::default()
            };
        }
        let header = Rect::new(0, 0, width, 1);
        let status = Rect::new(0, height - 1, width, 1);
        if presenting {
            // Generous margins that shrink first on small screens; the text
            // keeps a readable measure, centred. Two columns stay on each
            // side: the marks for more above and below, and air before them.
            let measure = MEASURE
                .min(reading.max(MIN_WIDTH))
                .min(width.saturating_sub(4).max(MIN_WIDTH - 4))
                .min(width);
            let top = (height / 8).clamp(0, 3);
            return Areas {
                text: Rect::new(
                    (width - measure) / 2,
                    top,
                    measure,
                    height - 1 - top - u16::from(top > 0),
                ),
                status,
                ..Areas::default()
            };
        }
        let body_h = height - 2;
        if width >= SIDE_BY_SIDE {
            let mut list_w = (width / 3).clamp(16, 36);
            // One column of air on each side of the text.
            let mut text_w = width - list_w - 3;
            let reading = reading.max(MIN_WIDTH);
            if text_w > reading {
                // Room to spare: the text keeps its measure, and the list
                // grows to show whole titles.
                let spare = text_w - reading;
                let wanted = u16::try_from(widest_row + 1).unwrap_or(u16::MAX);
                let grow = wanted.saturating_sub(list_w).min(spare);
                list_w += grow;
                text_w = reading;
            }
            let text_x = list_w + 2;
            Areas {
                header,
                list: Rect::new(0, 1, list_w, body_h),
                divider: Rect::new(list_w, 1, 1, body_h),
                text: Rect::new(text_x, 1, text_w, body_h),
                status,
                stacked: false,
                too_small: false,
            }
        } else {
            let wanted = u16::try_from(entries).unwrap_or(u16::MAX);
            let list_h = wanted.clamp(1, (body_h / 3).max(1));
            let text_y = 1 + list_h + 1;
            Areas {
                header,
                list: Rect::new(0, 1, width, list_h),
                divider: Rect::new(0, 1 + list_h, width, 1),
                // One column of margin, where changed paragraphs are marked.
                text: Rect::new(1, text_y, width - 1, height - 1 - text_y),
                status,
                stacked: true,
                too_small: false,
            }
        }
    }
}

impl Areas {
    /// The part of the screen between the header and the status line, over
    /// which help and the match overview are drawn.
    pub fn body(&self) -> Rect {
        let top = self.header.bottom();
        Rect::new(0, top, self.status.width, self.status.y.saturating_sub(top))
    }

    /// Rows of matches the overview shows at once (inside its frame).
    pub fn results_rows(&self) -> usize {
        usize::from(self.body().height.saturating_sub(2)).max(1)
    }

    /// Lines under a list's table that give its highlighted row whole, a
    /// rule first; none when the frame holds fewer than 8 lines.
    pub fn list_detail_rows(&self) -> u16 {
        let inner = self.body().height.saturating_sub(2);
        if inner < 8 {
            0
        } else {
            (inner / 2 - 1).clamp(2, 6) + 1
        }
    }

    /// Rows of a list's table shown at once (under its headings, above the
    /// highlighted row's detail).
    pub fn list_rows(&self) -> usize {
        let inner = self.body().height.saturating_sub(2);
        usize::from(inner.saturating_sub(1 + self.list_detail_rows())).max(1)
    }
}

/// Where help goes, and how its lines flow into columns and pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HelpGeometry {
    /// The overlay, frame included.
    pub area: Rect,
    /// The text inside the frame.
    pub inner: Rect,
    /// Columns of lines side by side.
    pub columns: usize,
    /// Lines per column.
    pub rows: usize,
    /// Width of one column, without the gap after it.
    pub column_width: u16,
    /// How many pages the lines take.
    pub pages: usize,
}

/// Columns are this far apart.
const HELP_GAP: u16 = 3;

/// Lines of help one column holds over `body` (inside the frame).
pub fn help_rows(body: Rect) -> usize {
    usize::from(body.height.saturating_sub(2)).max(1)
}

/// The geometry of help over `body` for `columns` columns of lines (see
/// `help::columns`), the widest `widest` wide: as many side by side as fit
/// (at most three), as few as there are.
pub fn help(body: Rect, columns: usize, widest: usize) -> HelpGeometry {
    let rows = help_rows(body);
    let room = body.width.saturating_sub(4).max(1);
    let widest = u16::try_from(widest).unwrap_or(u16::MAX).clamp(1, room);
    let fit = usize::from((room + HELP_GAP) / (widest + HELP_GAP)).clamp(1, 3);
    let per_page = fit.min(columns).max(1);
    let n = u16::try_from(per_page).unwrap_or(1);
    let column_width = widest.min(room.saturating_sub(HELP_GAP * (n - 1)) / n);
    let width = (column_width * n + HELP_GAP * (n - 1) + 4).min(body.width);
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(body.height);
    let area = Rect::new(
        body.x + (body.width - width) / 2,
        body.y + (body.height - height) / 2,
        width,
        height,
    );
    HelpGeometry {
        area,
        inner: area.inner(ratatui::layout::Margin::new(2, 1)),
        columns: per_page,
        rows,
        column_width,
        pages: columns.div_ceil(per_page).max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_never_overlap_or_leave_the_screen() {
        for (w, h, presenting) in (0..=200u16)
            .flat_map(|w| (0..=60u16).map(move |h| (w, h)))
            .flat_map(|(w, h)| [(w, h, false), (w, h, true)])
        {
            {
                let shape = Shape {
                    entries: 7,
                    widest_row: 50,
                    presenting,
                    ..Shape::default()
                };
                let a = Areas::new(w, h, &shape);
                if a.too_small {
                    continue;
                }
                let screen = Rect::new(0, 0, w, h);
                let regions = [a.header, a.list, a.divider, a.text, a.status];
                for (i, r) in regions.iter().enumerate() {
                    assert_eq!(
                        screen.intersection(*r),
                        *r,
                        "{w}x{h} region {i} leaves screen"
                    );
                    for s in &regions[i + 1..] {
                        assert!(!r.intersects(*s), "{w}x{h}: {r:?} overlaps {s:?}");
                    }
                }
                assert!(
                    a.text.height >= 1 && a.text.width >= 1,
                    "{w}x{h}: no text area"
                );
            }
        }
    }

    #[test]
    fn wide_terminals_put_the_list_beside_the_text() {
        let seven = Shape {
            entries: 7,
            widest_row: 50,
            ..Shape::default()
        };
        let a = Areas::new(80, 24, &seven);
        assert!(!a.stacked);
        assert_eq!(a.list, Rect::new(0, 1, 26, 22));
        assert_eq!(a.text, Rect::new(28, 1, 51, 22));
        let n = Areas::new(40, 12, &seven);
        assert!(n.stacked);
        assert_eq!(n.list.height, 3);
        assert_eq!(n.text, Rect::new(1, 5, 39, 6));
    }

    #[test]
    fn presenting_centres_a_comfortable_measure() {
        let presenting = Shape {
            entries: 7,
            presenting: true,
            ..Shape::default()
        };
        let p = Areas::new(120, 40, &presenting);
        assert_eq!((p.text.x, p.text.width), (25, 70));
        assert!(p.list.is_empty() && p.header.is_empty());
        let small = Areas::new(40, 12, &presenting);
        assert_eq!((small.text.x, small.text.width), (2, 36));
    }

    #[test]
    fn wide_terminals_keep_a_readable_measure_and_grow_the_list() {
        let shape = Shape {
            entries: 7,
            widest_row: 48,
            ..Shape::default()
        };
        let a = Areas::new(200, 50, &shape);
        assert_eq!(a.text.width, READING_MEASURE);
        assert_eq!(a.list.width, 49, "whole titles");
        let narrow = Shape {
            measure: 60,
            ..shape
        };
        assert_eq!(Areas::new(200, 50, &narrow).text.width, 60);
    }

    #[test]
    fn help_flows_into_columns_and_pages() {
        let body = Rect::new(0, 1, 80, 22);
        let g = help(body, 5, 36);
        assert_eq!((g.columns, g.rows), (2, 20));
        assert_eq!(g.pages, 3);
        assert!(g.column_width >= 36 && g.area.width <= 80);
        let one = help(body, 1, 36);
        assert_eq!((one.columns, one.pages), (1, 1));
        let narrow = help(Rect::new(0, 1, 40, 10), 13, 36);
        assert_eq!(narrow.columns, 1);
        assert_eq!(narrow.pages, 13);
    }
}
