//! A theme laid out as the lines of the text panel at a given width.
//!
//! Each line keeps the block and byte range it shows, so search highlights
//! land on the right characters after any re-wrap.

use crate::doc::{BlockKind, Doc};
use crate::text::{hyphenate, wrap};

/// Columns a bullet takes ("• ") and each nesting level indents.
pub const BULLET_WIDTH: usize = 2;

/// What one line of the text panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// Part of a block's text.
    Text {
        /// Index of the block in `Doc::blocks`.
        block: usize,
        /// Byte range of the block's text on this line.
        start: usize,
        /// End of that byte range.
        end: usize,
        /// Whether a hyphen is drawn after the text.
        hyphen: bool,
        /// Whether the line starts with the point's bullet (its first line,
        /// when the panel has room for one).
        bullet: bool,
    },
    /// An empty line between blocks.
    Blank,
    /// Stands in for the text of an empty theme.
    Placeholder,
    /// The heading above a theme's decisions or actions.
    Label(Section),
}

/// The labelled blocks of a theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Decisions taken.
    Decisions,
    /// Actions agreed.
    Actions,
}

/// One line of the text panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextLine {
    /// What it shows.
    pub kind: LineKind,
    /// The kind of block it comes from (decides its style).
    pub block_kind: BlockKind,
    /// Columns of indentation before the bullet or text.
    pub indent: u16,
    /// Which top-level point this line belongs to (1-based; 0 before the
    /// points). Presenting reveals a prefix of the lines by this number.
    pub step: u16,
}

/// Lays out entry `entry` of `doc` for a panel `width` columns wide.
pub fn layout(doc: &Doc, entry: usize, width: u16) -> Vec<TextLine> {
    let width = usize::from(width.max(1));
    let dict = hyphenate::dictionary(doc.lang);
    let Some(e) = doc.entries.get(entry) else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    let mut previous: Option<BlockKind> = None;
    let mut step = 0u16;
    for (block, b) in doc.blocks.range(e.blocks.clone()).enumerate() {
        let block = e.blocks.start + block;
        if let Some(prev) = previous {
            if !same_list(prev, b.kind) {
                lines.push(blank(b.kind, step));
            }
            let section = match b.kind {
                BlockKind::Decision if prev != BlockKind::Decision => Some(Section::Decisions),
                BlockKind::Task { .. } if !matches!(prev, BlockKind::Task { .. }) => {
                    Some(Section::Actions)
                }
                _ => None,
            };
            if let Some(section) = section {
                lines.push(TextLine {
                    kind: LineKind::Label(section),
                    block_kind: b.kind,
                    indent: 0,
                    step,
                });
            }
        }
        previous = Some(b.kind);
        if b.kind == (BlockKind::Point { depth: 0 }) {
            step = step.saturating_add(1);
        }
        let (indent, text_indent) = match b.kind {
            BlockKind::Point { depth } => {
                let indent = indent_for(depth.into(), width);
                (indent, indent + BULLET_WIDTH)
            }
            BlockKind::Decision | BlockKind::Task { .. } => (0, BULLET_WIDTH),
            BlockKind::Title | BlockKind::Meta | BlockKind::Paragraph => (0, 0),
        };
        // In a panel too narrow for a bullet and a character, drop the bullet.
        let has_bullet = text_indent > 0 && text_indent < width;
        let text_indent = if has_bullet { text_indent } else { 0 };
        let indent = if has_bullet { indent } else { 0 };
        let text_width = width.saturating_sub(text_indent).max(1);
        for (i, w) in wrap::wrap(b.text, text_width, dict).into_iter().enumerate() {
            lines.push(TextLine {
                kind: LineKind::Text {
                    block,
                    start: w.start,
                    end: w.end,
                    hyphen: w.hyphen,
                    bullet: has_bullet && i == 0,
                },
                block_kind: b.kind,
                indent: u16::try_from(if i == 0 { indent } else { text_indent }).unwrap_or(0),
                step,
            });
        }
    }
    let has_text = doc
        .blocks
        .range(e.blocks.clone())
        .any(|b| !matches!(b.kind, BlockKind::Title | BlockKind::Meta));
    if !has_text {
        lines.push(blank(BlockKind::Paragraph, 0));
        lines.push(TextLine {
            kind: LineKind::Placeholder,
            block_kind: BlockKind::Paragraph,
            indent: 0,
            step: 0,
        });
    }
    lines
}

/// Wraps one line of metadata (a title, a subtitle) to `width`, as display strings.
pub fn wrap_text(doc: &Doc, text: &str, width: u16) -> Vec<String> {
    let dict = hyphenate::dictionary(doc.lang);
    wrap::wrap(text, usize::from(width.max(1)), dict)
        .into_iter()
        .map(|l| {
            format!(
                "{}{}",
                &text[l.start..l.end],
                if l.hyphen { "-" } else { "" }
            )
        })
        .collect()
}

/// The first line that shows byte `offset` of `block`, if the layout shows that block.
pub fn line_of(lines: &[TextLine], block: usize, offset: usize) -> Option<usize> {
    let mut last = None;
    for (i, l) in lines.iter().enumerate() {
        if let LineKind::Text { block: b, end, .. } = l.kind {
            if b == block {
                if offset < end {
                    return Some(i);
                }
                last = Some(i);
            } else if last.is_some() {
                break;
            }
        }
    }
    last
}

// Which consecutive blocks stand together without a blank line between them.
fn same_list(previous: BlockKind, next: BlockKind) -> bool {
    matches!(
        (previous, next),
        (_, BlockKind::Meta)
            | (BlockKind::Point { .. }, BlockKind::Point { .. })
            | (BlockKind::Decision, BlockKind::Decision)
            | (BlockKind::Task { .. }, BlockKind::Task { .. })
    )
}

// Deep nesting must not push the text out of a narrow panel: indentation
// stops growing once it would take more than half the width.
fn indent_for(depth: usize, width: usize) -> usize {
    (depth * BULLET_WIDTH).min(width / 2 / BULLET_WIDTH * BULLET_WIDTH)
}

fn blank(kind: BlockKind, step: u16) -> TextLine {
    // A blank before the first point belongs to the text above it, so it
    // is not revealed with nothing below it.
    TextLine {
        kind: LineKind::Blank,
        block_kind: kind,
        indent: 0,
        step,
    }
}

/// How many top-level points (presentation steps) the lines have.
pub fn steps(lines: &[TextLine]) -> u16 {
    lines.last().map_or(0, |l| l.step)
}

/// The lines shown when the first `revealed` points are revealed: a prefix,
/// because points come after the paragraphs and in order.
pub fn revealed(lines: &[TextLine], revealed: u16) -> &[TextLine] {
    &lines[..lines.partition_point(|l| l.step <= revealed)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Report;
    use crate::text::display_width;

    fn doc(src: &str) -> Doc {
        Doc::new(&Report::from_toml(src, std::path::Path::new("t.toml")).expect("valid"))
    }

    fn render(d: &Doc, lines: &[TextLine]) -> Vec<String> {
        lines
            .iter()
            .map(|l| match l.kind {
                LineKind::Text {
                    block,
                    start,
                    end,
                    hyphen,
                    bullet,
                } => {
                    format!(
                        "{}{}{}{}",
                        " ".repeat(l.indent.into()),
                        if bullet { "* " } else { "" },
                        &d.blocks.text(block)[start..end],
                        if hyphen { "-" } else { "" }
                    )
                }
                LineKind::Blank => String::new(),
                LineKind::Placeholder => "(no text)".into(),
                LineKind::Label(s) => format!("{s:?}:"),
            })
            .collect()
    }

    const SAMPLE: &str = r#"
        title = "R"
        [[theme]]
        title = "Theme"
        body = "A first paragraph of text.\n\nSecond."
        points = ["alpha beta gamma delta", { text = "one two three four", points = ["x y z w v"] }]
        [[theme]]
        title = "Empty"
    "#;

    #[test]
    fn bullets_hang_and_nest() {
        let d = doc(SAMPLE);
        let got = render(&d, &layout(&d, 0, 12));
        assert_eq!(
            got,
            [
                "Theme",
                "",
                "A first",
                "paragraph of",
                "text.",
                "",
                "Second.",
                "",
                "* alpha beta",
                "  gamma",
                "  delta",
                "* one two",
                "  three four",
                "  * x y z w",
                "    v",
            ]
        );
    }

    #[test]
    fn an_empty_theme_shows_a_placeholder() {
        let d = doc(SAMPLE);
        assert_eq!(render(&d, &layout(&d, 1, 40)), ["Empty", "", "(no text)"]);
    }

    #[test]
    fn no_line_is_wider_than_the_panel_at_any_width() {
        let d = Doc::new(&Report::builtin());
        for entry in 0..d.entries.len() {
            for width in 1..=200u16 {
                let lines = layout(&d, entry, width);
                for (i, line) in render(&d, &lines).iter().enumerate() {
                    if lines[i].kind == LineKind::Placeholder {
                        continue; // a UI label, clipped by the renderer
                    }
                    let w = display_width(line);
                    // A lone grapheme wider than the panel is the only allowed excess.
                    assert!(
                        w <= usize::from(width),
                        "entry {entry} width {width} line {i}: {line:?} is {w} wide"
                    );
                }
            }
        }
    }

    #[test]
    fn line_of_finds_the_line_showing_an_offset() {
        let d = doc(SAMPLE);
        let lines = layout(&d, 0, 12);
        // Block 1 is the first paragraph: "paragraph" starts at byte 8, on line 3.
        assert_eq!(line_of(&lines, 1, 8), Some(3));
        assert_eq!(line_of(&lines, 1, 0), Some(2));
        assert_eq!(line_of(&lines, 99, 0), None);
    }
}
