//! Search transitions: editing the query, moving between matches, the overview.
//!
//! A keystroke searches and counts a few megabytes from the reader's place
//! before its frame (a longer query: as many of the places its start
//! matched as that takes); the matches of a larger report are counted on in slices
//! of [`SLICE`] bytes between events ([`App::counting`]), so the next key
//! never waits long, and the screen says the count is not complete
//! meanwhile. The last queries' matches are kept, so Backspace
//! finds them counted already.

use super::{App, Effect, Focus, Mode};
use crate::action::Action;
use crate::search::{At, Hit, Matches, fold};
use crate::view;

/// The longest query, in characters: each edit searches the report again,
/// so a query pasted without end would cost every edit more (and a
/// viewer's would cost the server); no real search is longer.
pub const MAX_QUERY: usize = 256;
/// Folded bytes searched in one slice: about half a millisecond of
/// folding and memmem, so a key pressed while the matches are counted
/// waits at most that long.
pub const SLICE: usize = 1 << 20;
/// Folded bytes a keystroke counts before its frame: a report of up to
/// about 2 MB is drawn once, with its count; a larger one shows the
/// nearest match and "counting…" after about 1 ms (the folded text is made
/// again as it is searched, at about 0.45 ms a megabyte), and counts on in
/// slices. (The tests' reports are a few megabytes: their keystrokes leave
/// counting for the slices after too.)
const AT_ONCE: usize = 2 * SLICE;
/// Queries whose matches are kept for Backspace (their counts, a few
/// kilobytes each; positions for the newest few).
const RECENT: usize = 32;

/// The search: what was typed, what it matches, and where the reader is among the matches.
#[derive(Debug, Default)]
pub struct Search {
    /// The query as typed.
    pub query: String,
    /// Cursor position in `query`, in bytes.
    pub cursor: usize,
    /// The matches in the report, counted or being counted.
    pub matches: Matches,
    /// The current match.
    pub current: Option<At>,
    saved: Option<Saved>,
    /// The matches of the queries typed before this one in this search,
    /// newest last, so Backspace need not count again.
    recent: Vec<Matches>,
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
    current: Option<At>,
}

impl Search {
    /// Whether a search with at least one match is active.
    pub fn active(&self) -> bool {
        self.matches.found()
    }

    /// Forgets the query and its matches.
    pub fn clear(&mut self) {
        self.query.clear();
        self.cursor = 0;
        self.matches = Matches::default();
        self.current = None;
        self.recent.clear();
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
                s.recent.clear();
                self.mode = Mode::Search;
            }
            Action::NextMatch => self.step_match(true),
            Action::PrevMatch => self.step_match(false),
            Action::Results if self.search.active() => self.open_results(),
            // A search that found nothing was still a search.
            Action::Results if !self.search.query.trim().is_empty() => {
                self.notice = Some(self.labels.no_matches.into());
            }
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
        s.recent.clear();
        if !s.query.trim().is_empty() {
            s.matches = index.start(&s.query, from, None);
            s.matches.step(index, SLICE);
            s.current = s.matches.first();
        }
        if let Some(saved) = s.saved.as_mut() {
            saved.selected = saved.selected.min(self.doc.entries.len().saturating_sub(1));
            let from = self
                .doc
                .entries
                .get(saved.selected)
                .map_or(0, |e| e.blocks.start);
            // Counted if Esc brings it back.
            saved.matches = index.start(&saved.query, from, None);
            saved.current = None;
        }
    }

    /// Whether matches are still being counted: the loop then gives
    /// [`Event::Work`](super::Event::Work) a slice whenever it is idle.
    pub fn counting(&self) -> bool {
        let m = &self.search.matches;
        !m.done() && m.is_for(&self.doc.index)
    }

    /// Counts on for one slice; the first match, once found, becomes the
    /// current one (shown while typing), and the count once complete.
    pub(super) fn count_on(&mut self) -> Effect {
        if !self.counting() {
            return Effect::None;
        }
        let m = &mut self.search.matches;
        let found = m.found();
        m.step(&self.doc.index, SLICE);
        let mut effect = if m.done() || m.found() != found {
            Effect::Draw
        } else {
            Effect::None
        };
        if self.search.current.is_none()
            && let Some(at) = m.first()
        {
            self.search.current = Some(at);
            if self.mode == Mode::Search {
                self.show_match(at);
            }
            effect = Effect::Draw;
        }
        effect
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
    // where the reader was when the search started, once found: one slice
    // now, the rest in [`App::count_on`].
    fn requery(&mut self) {
        let index = &self.doc.index;
        let s = &mut self.search;
        let (selected, scroll) = s
            .saved
            .as_ref()
            .map_or((self.selected, self.scroll), |v| (v.selected, v.scroll));
        let from = self.doc.entries.get(selected).map_or(0, |e| e.blocks.start);
        let folded = fold(&s.query);
        let previous = std::mem::take(&mut s.matches);
        if previous.query() == folded && previous.is_for(index) {
            // A key that folds away (a second space, a soft hyphen).
            s.matches = previous;
        } else {
            let kept = s
                .recent
                .iter()
                .rposition(|m| m.query() == folded && m.is_for(index));
            s.matches = match kept {
                Some(i) => s.recent.remove(i),
                None => index.start(&s.query, from, Some(&previous)),
            };
            if previous.is_for(index) && !previous.query().trim().is_empty() {
                if s.recent.len() >= RECENT {
                    s.recent.remove(0);
                }
                s.recent.push(previous);
                Matches::keep_newest(&mut s.recent);
            }
        }
        // Counted before the frame as far as a report of some megabytes
        // goes, which is then drawn once, count and all.
        s.matches.step(index, AT_ONCE);
        s.current = s.matches.first();
        match s.current {
            Some(i) => self.show_match(i),
            None => {
                self.select(selected);
                self.scroll = scroll.min(self.max_scroll());
            }
        }
    }

    fn step_match(&mut self, forward: bool) {
        let index = &self.doc.index;
        if self.search.current.is_none() {
            // Not found yet (or never looked for): find it now.
            self.search.matches.finish(index);
            self.search.current = self.search.matches.first();
            if let Some(at) = self.search.current {
                return self.show_match(at);
            }
        }
        let m = &self.search.matches;
        let Some(at) = self.search.current else {
            self.notice = Some(
                if self.search.query.is_empty() {
                    self.labels.no_search
                } else {
                    self.labels.no_matches
                }
                .into(),
            );
            return;
        };
        let next = if forward {
            m.next(index, Some(at)).or_else(|| {
                self.notice = Some(self.labels.wrapped_top.into());
                m.next(index, None)
            })
        } else {
            m.prev(index, Some(at)).or_else(|| {
                self.notice = Some(self.labels.wrapped_bottom.into());
                m.prev(index, None)
            })
        };
        if let Some(next) = next {
            self.search.current = Some(next);
            self.show_match(next);
        }
    }

    /// The current match's block and range, if any.
    pub fn current_hit(&self) -> Option<Hit> {
        let at = self.search.current?;
        Some(self.doc.index.hit(&self.search.matches, at))
    }

    /// The current match's rank (0: the first in the report), once all are counted.
    pub fn current_rank(&self) -> Option<usize> {
        self.search
            .matches
            .rank(&self.doc.index, self.search.current?)
    }

    // Selects the match's theme and scrolls so the match is in view, a third
    // of the way down the page so its context shows.
    fn show_match(&mut self, at: At) {
        let hit = self.doc.index.hit(&self.search.matches, at);
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
        // The overview lists matches by rank: it needs them all counted.
        self.search.matches.finish(&self.doc.index);
        let cursor = self.current_rank().unwrap_or(0);
        self.mode = Mode::Results { cursor, offset: 0 };
        self.keep_result_visible(cursor, 0);
    }

    /// Actions in the overview of matches.
    pub(super) fn results(&mut self, action: Action, cursor: usize, offset: usize) {
        // A reload meanwhile searched again.
        self.search.matches.finish(&self.doc.index);
        let last = self.search.matches.count().unwrap_or(0).saturating_sub(1);
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
                if let Some(at) = self.search.matches.nth(&self.doc.index, cursor) {
                    self.search.current = Some(at);
                    self.show_match(at);
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
