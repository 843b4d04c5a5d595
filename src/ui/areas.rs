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
    /// The layout of a `width` x `height` screen for a report with `entries`
    /// themes, in the browser or (`presenting`) the presentation.
    pub fn new(width: u16, height: u16, entries: usize, presenting: bool) -> Areas {
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
            // keeps a readable measure, centred.
            let measure = MEASURE
                .min(width.saturating_sub(4).max(MIN_WIDTH - 2))
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
            let list_w = (width / 3).clamp(16, 36);
            // One column of air on each side of the text.
            let text_x = list_w + 2;
            Areas {
                header,
                list: Rect::new(0, 1, list_w, body_h),
                divider: Rect::new(list_w, 1, 1, body_h),
                text: Rect::new(text_x, 1, width - text_x - 1, body_h),
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
                let a = Areas::new(w, h, 7, presenting);
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
        let a = Areas::new(80, 24, 7, false);
        assert!(!a.stacked);
        assert_eq!(a.list, Rect::new(0, 1, 26, 22));
        assert_eq!(a.text, Rect::new(28, 1, 51, 22));
        let n = Areas::new(40, 12, 7, false);
        assert!(n.stacked);
        assert_eq!(n.list.height, 3);
        assert_eq!(n.text, Rect::new(1, 5, 39, 6));
    }

    #[test]
    fn presenting_centres_a_comfortable_measure() {
        let p = Areas::new(120, 40, 7, true);
        assert_eq!((p.text.x, p.text.width), (25, 70));
        assert!(p.list.is_empty() && p.header.is_empty());
        let small = Areas::new(40, 12, 7, true);
        assert_eq!((small.text.x, small.text.width), (2, 36));
    }
}
