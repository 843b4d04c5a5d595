//! Search transitions: editing the query, moving between matches, the overview.

use super::{App, Focus, Mode};
use crate::action::Action;
use crate::search::{Hit, Matches};
use crate::view;

/// The longest query, in characters: each edit searches the whole report
/// again, so a query pasted without end would cost every edit more (and a
/// viewer's would cost the server); no real search is longer.
pub const MAX_QUERY: usize = 256;

/// The search: what was typed, what it matches, and where the reader is among the matches.
#[derive(Debug, Default)]
pub struct Search {
    /// The query as typed.
    pub query: String,
    /// Cursor position in `query`, in bytes.
    pub cursor: usize,
    /// Every match in the report.
    pub matches: Matches,
    /// The current match (index into `matches`).
    pub current: Option<usize>,
    saved: Option<Saved>,
}

// Where the reader was before `/`, so Esc can return there exactly.
#[derive(Debug)]
struct Saved {
    selected: usize,
    scroll: usize,
    list_offset: usize,
    focus: Focus,
    query: String,
    matches: Matches,
    current: Option<usize>,
}

impl Search {
    /// Whether a search with at least one match is active.
    pub fn active(&self) -> bool {
        !self.matches.is_empty()
    }

    /// Forgets the query and its matches.
    pub fn clear(&mut self) {
        self.query.clear();
        self.cursor = 0;
        self.matches = Matches::default();
        self.current = None;
    }
}

impl App {
    /// Browse-mode actions that belong to search.
    pub(super) fn search_browse(&mut self, action: Action) {
        match action {
            Action::SearchStart => {
                let s = &mut self.search;
                s.saved = Some(Saved {
                    selected: self.selected,
                    scroll: self.scroll,
                    list_offset: self.list_offset,
                    focus: self.focus,
                    query: std::mem::take(&mut s.query),
                    matches: std::mem::take(&mut s.matches),
                    current: s.current.take(),
                });
                s.cursor = 0;
                self.mode = Mode::Search;
            }
            Action::NextMatch => self.step_match(true),
            Action::PrevMatch => self.step_match(false),
            Action::Results if self.search.active() => self.open_results(),
            Action::Results => self.notice = Some(self.labels.no_search.into()),
            _ => {}
        }
    }

    /// Searches the current query and the saved one (Esc's) again, in a
    /// new version of the report.
    pub(super) fn research(&mut self) {
        let index = &self.doc.index;
        let from = self
            .doc
            .entries
            .get(self.selected)
            .map_or(0, |e| e.blocks.start);
        let s = &mut self.search;
        if !s.query.trim().is_empty() {
            s.matches = index.search(&s.query);
            s.current = s.matches.first_from(index, from, 0);
        }
        if let Some(saved) = s.saved.as_mut() {
            saved.selected = saved.selected.min(self.doc.entries.len().saturating_sub(1));
            let from = self
                .doc
                .entries
                .get(saved.selected)
                .map_or(0, |e| e.blocks.start);
            saved.matches = index.search(&saved.query);
            saved.current = saved.matches.first_from(index, from, 0);
        }
    }

    /// Starts with `query` searched, as if typed and confirmed, but searched
    /// once (typing it would search once per character).
    pub(super) fn start_search(&mut self, query: &str) {
        self.search_browse(Action::SearchStart);
        self.search.query = crate::text::inline(query);
        self.search.cursor = self.search.query.len();
        self.requery();
        self.search_key(Action::SearchConfirm);
    }

    /// Pasted text: typed into the search bar at once (one search), a
    /// newline becoming a space; elsewhere a paste is not keys, and the
    /// status line says how to search for it.
    pub(super) fn paste(&mut self, text: &str) -> crate::app::Effect {
        if self.mode != Mode::Search {
            self.notice = Some(self.labels.paste_hint.into());
            return crate::app::Effect::Draw;
        }
        let s = &mut self.search;
        let room = MAX_QUERY.saturating_sub(s.query.chars().count());
        let text: String = crate::text::inline(text).chars().take(room).collect();
        s.query.insert_str(s.cursor, &text);
        s.cursor += text.len();
        self.requery();
        crate::app::Effect::Draw
    }

    /// Actions while typing in the search bar.
    pub(super) fn search_key(&mut self, action: Action) {
        let s = &mut self.search;
        match action {
            Action::SearchInput(c) if s.query.chars().count() < MAX_QUERY => {
                s.query.insert(s.cursor, c);
                s.cursor += c.len_utf8();
            }
            Action::SearchInput(_) => {}
            Action::SearchBackspace => {
                if let Some((i, _)) = s.query[..s.cursor].char_indices().next_back() {
                    s.query.replace_range(i..s.cursor, "");
                    s.cursor = i;
                }
            }
            Action::SearchDelete => {
                if let Some(c) = s.query[s.cursor..].chars().next() {
                    s.query.replace_range(s.cursor..s.cursor + c.len_utf8(), "");
                }
            }
            Action::SearchLeft => {
                s.cursor = s.query[..s.cursor]
                    .char_indices()
                    .next_back()
                    .map_or(0, |(i, _)| i);
            }
            Action::SearchRight => {
                s.cursor += s.query[s.cursor..].chars().next().map_or(0, char::len_utf8);
            }
            Action::SearchHome => s.cursor = 0,
            Action::SearchEnd => s.cursor = s.query.len(),
            Action::SearchClear => {
                s.query.clear();
                s.cursor = 0;
            }
            Action::SearchDeleteWord => {
                let head = s.query[..s.cursor].trim_end();
                let start = head.rfind(' ').map_or(0, |i| i + 1);
                s.query.replace_range(start..s.cursor, "");
                s.cursor = start;
            }
            Action::SearchConfirm => {
                s.saved = None;
                if s.query.trim().is_empty() {
                    s.clear();
                }
                self.mode = Mode::Browse;
                return;
            }
            Action::SearchCancel => return self.cancel_search(),
            Action::ToggleHelp => return self.open_help(super::Back::Search),
            Action::NextMatch => return self.step_match(true),
            Action::PrevMatch => return self.step_match(false),
            Action::Results => {
                s.saved = None;
                return self.open_results();
            }
            _ => return,
        }
        let moved_only = matches!(
            action,
            Action::SearchLeft | Action::SearchRight | Action::SearchHome | Action::SearchEnd
        );
        if !moved_only {
            self.requery();
        }
    }

    fn cancel_search(&mut self) {
        if let Some(saved) = self.search.saved.take() {
            self.select(saved.selected);
            self.scroll = saved.scroll.min(self.max_scroll());
            self.list_offset = saved.list_offset;
            self.keep_selection_visible();
            self.focus = saved.focus;
            self.search.query = saved.query;
            self.search.cursor = self.search.query.len();
            self.search.matches = saved.matches;
            self.search.current = saved.current;
        }
        self.mode = Mode::Browse;
    }

    // Runs the query again after an edit and shows the first match at or after
    // where the reader was when the search started.
    fn requery(&mut self) {
        let index = &self.doc.index;
        let s = &mut self.search;
        let previous = std::mem::take(&mut s.matches);
        let folded_prev = previous.query();
        s.matches = if !folded_prev.is_empty() && s.query.trim() != "" {
            index.refine(&previous, &s.query)
        } else {
            index.search(&s.query)
        };
        let (selected, scroll) = s
            .saved
            .as_ref()
            .map_or((self.selected, self.scroll), |v| (v.selected, v.scroll));
        let from = self.doc.entries.get(selected).map_or(0, |e| e.blocks.start);
        s.current = s
            .matches
            .first_from(index, from, 0)
            .or((!s.matches.is_empty()).then_some(0));
        match s.current {
            Some(i) => self.show_match(i),
            None => {
                self.select(selected);
                self.scroll = scroll.min(self.max_scroll());
            }
        }
    }

    fn step_match(&mut self, forward: bool) {
        let n = self.search.matches.len();
        if n == 0 {
            self.notice = Some(
                if self.search.query.is_empty() {
                    self.labels.no_search
                } else {
                    self.labels.no_matches
                }
                .into(),
            );
            return;
        }
        let next = match (self.search.current, forward) {
            (None, _) => {
                let from = self
                    .doc
                    .entries
                    .get(self.selected)
                    .map_or(0, |e| e.blocks.start);
                self.search
                    .matches
                    .first_from(&self.doc.index, from, 0)
                    .unwrap_or(0)
            }
            (Some(i), true) if i + 1 >= n => {
                self.notice = Some(self.labels.wrapped_top.into());
                0
            }
            (Some(i), true) => i + 1,
            (Some(0), false) => {
                self.notice = Some(self.labels.wrapped_bottom.into());
                n - 1
            }
            (Some(i), false) => i - 1,
        };
        self.search.current = Some(next);
        self.show_match(next);
    }

    /// The current match's block and range, if any.
    pub fn current_hit(&self) -> Option<Hit> {
        let i = self.search.current?;
        (i < self.search.matches.len()).then(|| self.doc.index.hit(&self.search.matches, i))
    }

    // Selects the match's theme and scrolls so the match is in view, a third
    // of the way down the page so its context shows.
    fn show_match(&mut self, i: usize) {
        let hit = self.doc.index.hit(&self.search.matches, i);
        self.select(self.doc.entry_of_block(hit.block));
        self.reveal_all_for_match();
        if let Some(line) = view::line_of(&self.lines, hit.block, hit.range.start) {
            let page = self.page();
            if line < self.scroll || line >= self.scroll + page {
                self.scroll = line.saturating_sub(page / 3).min(self.max_scroll());
            }
        }
    }

    fn open_results(&mut self) {
        let cursor = self.search.current.unwrap_or(0);
        self.mode = Mode::Results { cursor, offset: 0 };
        self.keep_result_visible(cursor, 0);
    }

    /// Actions in the overview of matches.
    pub(super) fn results(&mut self, action: Action, cursor: usize, offset: usize) {
        let last = self.search.matches.len().saturating_sub(1);
        let page = self.results_page();
        let cursor = match action {
            Action::Down => cursor.saturating_add(1).min(last),
            Action::Up => cursor.saturating_sub(1),
            Action::PageDown => cursor.saturating_add(page).min(last),
            Action::PageUp => cursor.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => last,
            Action::Enter => {
                self.mode = Mode::Browse;
                if cursor <= last && !self.search.matches.is_empty() {
                    self.search.current = Some(cursor);
                    self.show_match(cursor);
                    self.focus = Focus::Text;
                }
                return;
            }
            Action::Cancel => {
                self.mode = Mode::Browse;
                return;
            }
            Action::ToggleHelp => {
                return self.open_help(super::Back::Results { cursor, offset });
            }
            _ => cursor,
        };
        self.keep_result_visible(cursor, offset);
    }

    /// Rows of matches the overview shows at once (the same rows it draws).
    pub fn results_page(&self) -> usize {
        self.areas.results_rows()
    }

    fn keep_result_visible(&mut self, cursor: usize, offset: usize) {
        let page = self.results_page();
        let offset = if cursor < offset {
            cursor
        } else if cursor >= offset + page {
            cursor + 1 - page
        } else {
            offset
        };
        self.mode = Mode::Results { cursor, offset };
    }
}
