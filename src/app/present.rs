//! Presentation transitions: one theme fills the screen, points are revealed
//! one at a time, sub-themes follow as consecutive slides.

use super::{App, Focus, Mode, Screen};
use crate::action::Action;
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
    /// When presenting started (Unix seconds), once the clock has ticked.
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
        self.screen = Screen::Present(Present {
            started: self.clock.map(|c| c.unix),
            ..Present::default()
        });
        self.scroll = 0;
        self.reflow();
    }

    fn stop_presenting(&mut self) {
        self.screen = Screen::Browser;
        self.focus = Focus::List;
        self.reflow();
    }

    /// Whether the presentation clock must tick (once a second).
    pub fn ticking(&self) -> bool {
        self.presenting()
    }

    /// Records the time; starts the presentation clock on its first tick.
    pub fn tick(&mut self, clock: Clock) {
        self.clock = Some(clock);
        if let Screen::Present(p) = &mut self.screen {
            p.started.get_or_insert(clock.unix);
        }
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

    /// Actions while presenting (and no overlay or search bar is open).
    pub(super) fn present(&mut self, action: Action) {
        let Screen::Present(mut p) = self.screen else {
            return;
        };
        let total = view::steps(&self.lines);
        let digit = matches!(action, Action::Digit(_));
        match action {
            Action::RevealNext if !p.all && p.revealed < total => p.revealed += 1,
            Action::RevealNext => {
                if self.selected + 1 < self.doc.entries.len() {
                    self.select(self.selected + 1);
                    p.revealed = 0;
                }
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
            Action::Down => self.scroll = self.scroll.saturating_add(1),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Top => {
                self.select(0);
                p.revealed = 0;
            }
            Action::Bottom => {
                self.select(usize::MAX);
                p.revealed = 0;
            }
            Action::Digit(d) => {
                p.jump = Some(
                    p.jump
                        .unwrap_or(0)
                        .saturating_mul(10)
                        .saturating_add(d.into()),
                );
            }
            Action::Enter => {
                if let Some(n) = p.jump.filter(|n| (1..=self.doc.entries.len()).contains(n)) {
                    self.select(n - 1);
                    p.revealed = 0;
                }
            }
            Action::Cancel if p.jump.is_some() => {}
            Action::TogglePresent | Action::Cancel => return self.stop_presenting(),
            Action::ToggleHelp => self.mode = Mode::Help { scroll: 0 },
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
        self.follow_reveal();
    }

    // Keeps the newest revealed point on screen; never scrolls past the end.
    fn follow_reveal(&mut self) {
        let shown = self.shown().len();
        let page = self.page();
        if shown > self.scroll + page {
            self.scroll = shown - page;
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
