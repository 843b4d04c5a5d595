//! Every style and symbol the UI uses, in one place. Meaning is carried by
//! bold, underline and reverse video, so it survives `NO_COLOR`; colour only
//! adds to it, and only the 16 basic colours, readable on dark and light.

use ratatui::style::{Color, Modifier, Style};

/// How the screen may look on this terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Look {
    /// Whether colours may be used.
    pub color: bool,
    /// Whether only ASCII symbols may be used.
    pub ascii: bool,
}

impl Default for Look {
    fn default() -> Self {
        Look {
            color: true,
            ascii: false,
        }
    }
}

const fn m(modifier: Modifier) -> Style {
    Style::new().add_modifier(modifier)
}

impl Look {
    fn paint(&self, style: Style, fg: Color) -> Style {
        if self.color { style.fg(fg) } else { style }
    }

    /// The report title in the header.
    pub fn header_title(&self) -> Style {
        m(Modifier::BOLD)
    }
    /// Kind and subtitle in the header.
    pub fn header_rest(&self) -> Style {
        Style::new()
    }
    /// The selected theme in the list while the list has focus.
    pub fn list_selected_focused(&self) -> Style {
        m(Modifier::REVERSED)
    }
    /// The selected theme in the list while the text has focus.
    pub fn list_selected(&self) -> Style {
        m(Modifier::BOLD.union(Modifier::UNDERLINED))
    }
    /// A theme's hit count in the list.
    pub fn list_hits(&self) -> Style {
        self.paint(m(Modifier::BOLD), Color::Yellow)
    }
    /// The theme's title at the top of the text.
    pub fn text_title(&self) -> Style {
        self.paint(m(Modifier::BOLD), Color::Cyan)
    }
    /// A theme's title on a presentation slide.
    pub fn slide_title(&self) -> Style {
        self.paint(m(Modifier::BOLD.union(Modifier::UNDERLINED)), Color::Cyan)
    }
    /// The presentation footer.
    pub fn footer(&self) -> Style {
        m(Modifier::DIM)
    }
    /// A bullet.
    pub fn bullet(&self) -> Style {
        self.paint(Style::new(), Color::Yellow)
    }
    /// The "(no text)" placeholder.
    pub fn placeholder(&self) -> Style {
        m(Modifier::ITALIC.union(Modifier::DIM))
    }
    /// A match that is not the current one.
    pub fn hit(&self) -> Style {
        m(Modifier::REVERSED)
    }
    /// The current match: stronger than the others, also without colour.
    pub fn current_hit(&self) -> Style {
        let s = m(Modifier::REVERSED
            .union(Modifier::BOLD)
            .union(Modifier::UNDERLINED));
        self.paint(s, Color::Yellow)
    }
    /// The status line.
    pub fn status(&self) -> Style {
        m(Modifier::REVERSED)
    }
    /// A notice or error in the status line.
    pub fn notice(&self) -> Style {
        m(Modifier::REVERSED.union(Modifier::BOLD))
    }
    /// Headings and frames of overlays.
    pub fn overlay_title(&self) -> Style {
        m(Modifier::BOLD)
    }

    /// The divider between list and text.
    pub fn divider(&self, stacked: bool) -> &'static str {
        match (self.ascii, stacked) {
            (false, false) => "│",
            (false, true) => "─",
            (true, false) => "|",
            (true, true) => "-",
        }
    }
    /// The bullet for a nesting depth.
    pub fn bullet_symbol(&self, depth: usize) -> &'static str {
        const UNICODE: [&str; 3] = ["•", "◦", "▪"];
        const ASCII: [&str; 3] = ["*", "-", "+"];
        let set = if self.ascii { ASCII } else { UNICODE };
        set[depth % set.len()]
    }
    /// The marker before a point, decision or action; `None` for other blocks.
    pub fn marker(&self, kind: crate::doc::BlockKind) -> Option<&'static str> {
        use crate::doc::BlockKind;
        Some(match (kind, self.ascii) {
            (BlockKind::Point { depth }, _) => self.bullet_symbol(depth.into()),
            (BlockKind::Decision, false) => "▸",
            (BlockKind::Decision, true) => ">",
            (BlockKind::Task { open: true }, false) => "□",
            (BlockKind::Task { open: false }, false) => "✓",
            (BlockKind::Task { open: true }, true) => "o",
            (BlockKind::Task { open: false }, true) => "x",
            (BlockKind::Title | BlockKind::Meta | BlockKind::Paragraph, _) => return None,
        })
    }
    /// A theme's metadata line (owner, source, updated).
    pub fn meta(&self) -> Style {
        m(Modifier::ITALIC)
    }
    /// The heading above decisions and actions.
    pub fn section(&self) -> Style {
        m(Modifier::BOLD)
    }
    /// Marks a changed paragraph or point (beside it) and changed themes.
    pub fn changed(&self) -> Style {
        self.paint(m(Modifier::BOLD), Color::Green)
    }
    /// Beside a theme in the list: new or changed since the reader last looked.
    pub fn changed_theme_mark(&self) -> &'static str {
        if self.ascii { "*" } else { "●" }
    }
    /// In the margin beside a paragraph or point that is new or changed.
    pub fn changed_block_mark(&self) -> &'static str {
        if self.ascii { "*" } else { "▌" }
    }
    /// A theme's status as a mark in the list, if it has one.
    pub fn status_mark(&self, status: &crate::report::Status) -> Option<&'static str> {
        use crate::report::Status;
        match status {
            Status::New => Some("+"),
            Status::Changed => Some("~"),
            Status::Closed => Some(if self.ascii { "x" } else { "×" }),
            Status::Unchanged | Status::Other(_) => None,
        }
    }
    /// A theme (or the report) not updated for too long.
    pub fn stale_mark(&self) -> &'static str {
        "!"
    }
    /// Followed live: the presenter's position is being shown.
    pub fn live_mark(&self) -> &'static str {
        if self.ascii { "*" } else { "●" }
    }
    /// Past its time: an overdue action, a late update.
    pub fn overdue_mark(&self) -> &'static str {
        if self.ascii { "!" } else { "⚠" }
    }
    /// Before text a newer version removed.
    pub fn removed_mark(&self) -> &'static str {
        if self.ascii { "-" } else { "−" }
    }
    /// Before text a newer version added.
    pub fn added_mark(&self) -> &'static str {
        "+"
    }
    /// Text a newer version removed: struck through (and red where colour may be used).
    pub fn removed(&self) -> Style {
        self.paint(m(Modifier::CROSSED_OUT), Color::Red)
    }
    /// Separates the parts of a line of hints.
    pub fn separator(&self) -> &'static str {
        if self.ascii { " - " } else { " · " }
    }
    /// More of the slide or the text above what is shown.
    pub fn more_above(&self) -> &'static str {
        if self.ascii { "^" } else { "▲" }
    }
    /// More of the slide or the text below what is shown.
    pub fn more_below(&self) -> &'static str {
        if self.ascii { "v" } else { "▼" }
    }
    /// Marks text that was shortened.
    pub fn ellipsis(&self) -> &'static str {
        if self.ascii { "~" } else { "…" }
    }
    /// The frame of overlays (help, matches).
    pub fn border_set(&self) -> ratatui::symbols::border::Set<'static> {
        if self.ascii {
            ratatui::symbols::border::Set {
                top_left: "+",
                top_right: "+",
                bottom_left: "+",
                bottom_right: "+",
                vertical_left: "|",
                vertical_right: "|",
                horizontal_top: "-",
                horizontal_bottom: "-",
            }
        } else {
            ratatui::symbols::border::PLAIN
        }
    }
}
