//! Presentation transitions: one theme fills the screen, points are revealed
//! one at a time, sub-themes follow as consecutive slides. A slide longer
//! than the screen scrolls both ways; revealing a point brings it on
//! screen; the slide's title stays at the top while scrolling, if there is
//! room (as `less --header` keeps its header).

use super::{App, Back, Focus, Mode, Screen};
use crate::action::Action;
use crate::doc::BlockKind;
use crate::view;

/// Where the presentation is within the current theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Present {
    /// How many top-level points are revealed.
    pub revealed: u16,
    /// Whether all points are shown at once.
    pub all: bool,
    /// A theme number being typed (digits, then Enter).
    pub jump: Option<usize>,
    /// When presenting started (Unix seconds): set by the first clock tick
    /// after `p`, or taken from the presenter a follower follows.
    pub started: Option<u64>,
}

/// The time, as the terminal layer reads it (the state never reads clocks itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    /// Seconds since the Unix epoch.
    pub unix: u64,
    /// Local wall-clock hours and minutes.
    pub local: (u8, u8),
}

impl App {
    pub(super) fn start_presenting(&mut self) {
        // The clock starts now: at the next tick, not at the last one.
        self.screen = Screen::Present(Present::default());
        self.scroll = 0;
        self.reflow();
    }

    pub(super) fn stop_presenting(&mut self) {
        self.screen = Screen::Browser;
        self.focus = Focus::List;
        self.reflow();
    }

    /// Whether the presentation clock must tick (once a second).
    pub fn ticking(&self) -> bool {
        self.presenting()
    }

    /// Seconds since presenting started.
    pub fn elapsed(&self) -> Option<u64> {
        match (self.screen, self.clock) {
            (Screen::Present(p), Some(c)) => p.started.map(|s| c.unix.saturating_sub(s)),
            _ => None,
        }
    }

    /// The presentation's position: revealed points and their total.
    pub fn progress(&self) -> Option<(u16, u16)> {
        match self.screen {
            Screen::Present(p) => {
                let total = view::steps(&self.lines);
                Some((if p.all { total } else { p.revealed.min(total) }, total))
            }
            Screen::Browser => None,
        }
    }

    /// Lines of the slide's title kept at the top while the rest of the
    /// slide scrolls beneath (with the blank line after it), or 0: not
    /// presenting, or the screen too small to spare them. The scroll offset
    /// counts the lines below them.
    pub fn pinned_title(&self) -> usize {
        if !self.presenting() {
            return 0;
        }
        let title = self
            .lines
            .iter()
            .take_while(|l| l.block_kind == BlockKind::Title)
            .count();
        let height = usize::from(self.areas.text.height);
        if title == 0 || (title + 1) * 3 > height {
            0
        } else {
            title + 1
        }
    }

    /// The lines on screen, top to bottom: a pinned title, then the lines
    /// from the scroll offset, as many as the text panel holds.
    pub fn visible_lines(&self) -> impl Iterator<Item = &view::TextLine> + Clone {
        let pinned = self.pinned_title();
        let shown = self.shown();
        shown
            .iter()
            .take(pinned)
            .chain(shown.iter().skip(pinned + self.scroll))
            .take(usize::from(self.areas.text.height))
    }

    /// Whether there is more of the text above and below what is shown.
    pub fn more(&self) -> (bool, bool) {
        (
            self.scroll > 0,
            self.pinned_title() + self.scroll + self.page() < self.shown().len(),
        )
    }

    /// Actions while presenting (and no overlay or search bar is open).
    pub(super) fn present(&mut self, action: Action) {
        let Screen::Present(mut p) = self.screen else {
            return;
        };
        let total = view::steps(&self.lines);
        let digit = matches!(action, Action::Digit(_));
        let mut revealing = true;
        // Where the next point would start: it is kept in view from there.
        let revealed_end = self.shown().len();
        match action {
            // Text still below the page (a small screen): page through it
            // before revealing more or moving on, as less does with Space.
            Action::RevealNext if self.more().1 => {
                revealing = false;
                self.screen = Screen::Present(p);
                self.scroll_by(self.page_step());
            }
            Action::RevealNext if !p.all && p.revealed < total => p.revealed += 1,
            Action::RevealNext => {
                revealing = false;
                if self.selected + 1 < self.doc.entries.len() {
                    // A new slide opens at its top (select scrolls there).
                    self.select(self.selected + 1);
                    p.revealed = 0;
                }
            }
            // Paged down through a tall slide with no point to hide:
            // Backspace pages back, as Space paged on (less's b after Space).
            Action::RevealPrev if self.scroll > 0 && (p.all || p.revealed == 0) => {
                revealing = false;
                self.screen = Screen::Present(p);
                self.scroll_by(-self.page_step());
            }
            Action::RevealPrev if !p.all && p.revealed > 0 => p.revealed -= 1,
            Action::RevealPrev => {
                if self.selected > 0 {
                    self.select(self.selected - 1);
                    // Going back shows the previous theme as it was left: complete.
                    p.revealed = view::steps(&self.lines);
                }
            }
            Action::ToggleAll => p.all = !p.all,
            Action::Down => {
                revealing = false;
                self.screen = Screen::Present(p);
                self.scroll_by(1);
            }
            Action::Up => {
                revealing = false;
                self.screen = Screen::Present(p);
                self.scroll_by(-1);
            }
            // Another slide opens at its top: nothing of it revealed yet
            // to keep in view (the old slide's reveal must not scroll it).
            Action::Top => {
                revealing = false;
                self.select(0);
                p.revealed = 0;
            }
            Action::Bottom => {
                revealing = false;
                self.select(usize::MAX);
                p.revealed = 0;
            }
            Action::Digit(d) => {
                revealing = false;
                p.jump = Some(
                    p.jump
                        .unwrap_or(0)
                        .saturating_mul(10)
                        .saturating_add(d.into()),
                );
            }
            Action::Enter => match p.jump {
                Some(n) if (1..=self.doc.entries.len()).contains(&n) => {
                    revealing = false;
                    self.select(n - 1);
                    p.revealed = 0;
                }
                // A number past the last slide is said, not ignored.
                Some(n) => {
                    let l = self.labels;
                    let last = self.doc.entries.len();
                    self.notice = Some(format!("{} {n} (1–{last})", l.no_such_theme));
                }
                None => {}
            },
            Action::Cancel if p.jump.is_some() => {}
            Action::TogglePresent | Action::Cancel => return self.stop_presenting(),
            Action::ToggleHelp => {
                self.screen = Screen::Present(p);
                return self.open_help(Back::Browse);
            }
            Action::ShowMessage => {
                self.screen = Screen::Present(p);
                return self.open_message(Back::Browse);
            }
            Action::ShowRoom => {
                self.screen = Screen::Present(p);
                return self.open_room(Back::Browse);
            }
            Action::ShowVersions | Action::ShowActions | Action::ShowDecisions => {
                self.screen = Screen::Present(p);
                return self.open_list(match action {
                    Action::ShowVersions => super::ListKind::Versions,
                    Action::ShowActions => super::ListKind::Actions,
                    _ => super::ListKind::Decisions,
                });
            }
            _ => {
                p.jump = None;
                self.screen = Screen::Present(p);
                return self.search_browse(action);
            }
        }
        if !digit {
            p.jump = None;
        }
        self.screen = Screen::Present(p);
        if revealing {
            self.follow_reveal(revealed_end);
        }
        if self.mode == Mode::Browse {
            self.scroll = self.scroll.min(self.max_scroll());
        }
    }

    // Keeps the newest revealed point on screen: its end if the page
    // allows, never past its first line (`from`, a line of `shown`).
    fn follow_reveal(&mut self, from: usize) {
        let (shown, above) = (self.shown().len(), self.pinned_title());
        if shown > above + self.scroll + self.page() {
            let end = shown - above - self.page();
            let start = from.saturating_sub(above);
            self.scroll = self.scroll.max(end.min(start));
        }
        self.scroll = self.scroll.min(self.max_scroll());
    }

    /// Shows a search match while presenting: all points of its theme are revealed.
    pub(super) fn reveal_all_for_match(&mut self) {
        if let Screen::Present(p) = &mut self.screen {
            p.revealed = view::steps(&self.lines);
        }
    }
}
