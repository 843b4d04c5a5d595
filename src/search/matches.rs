//! The matches of one query, counted a page at a time (see the parent
//! module), and the questions asked of them: the n-th, the next, a rank.

use std::ops::Range;
use std::sync::Arc;

use memchr::memmem;

use super::folded::Folded;
use super::refine::Refining;
use super::scan::{count, scan};
use super::{At, Index, UNCOUNTED};

/// Most match positions one search keeps (a megabyte): enough for a word's
/// matches in a large report, never a letter's.
pub const KEEP: usize = 1 << 18;
/// Folded bytes of a slice's budget that checking one kept place costs:
/// about 80 ns (the places are far apart in memory), against 0.45 ns a
/// byte for folding and scanning the text.
pub(super) const PLACE: usize = 192;

/// The matches of one query: how many start in each page, counted in
/// reading order from where the search started, and the first of them.
#[derive(Clone, Debug, Default)]
pub struct Matches {
    pub(super) query: String,
    pub(super) index: u64,
    /// Finds the folded query (`None`: a blank query, which matches nothing).
    pub(super) finder: Option<memmem::Finder<'static>>,
    /// Matches starting in each page ([`UNCOUNTED`] until counted).
    pub(super) counts: Vec<u32>,
    /// Matches before each page, once every page is counted.
    pub(super) ranks: Vec<u32>,
    /// The page reading order starts in, and where in it (a block start).
    pub(super) start: usize,
    pub(super) from: u32,
    /// How many pages of the reading order are counted.
    pub(super) done: usize,
    /// Within a page being counted: where to go on, and what was found.
    pub(super) partial: Option<(u32, u32)>,
    /// The first match at or after `from` in reading order, once found.
    pub(super) first: Option<At>,
    /// The first match of the starting page before `from`: the first in
    /// reading order when there is none after.
    pub(super) early: Option<At>,
    /// Matches counted so far.
    pub(super) total: usize,
    /// Every match's position, in reading order while counting and in text
    /// order once done; `None` when there are more than [`KEEP`] or the
    /// query is too short or could overlap itself. A longer query is then
    /// found among these ([`Matches::refined`]) instead of in the text.
    /// Shared, not copied, with the longer queries checked among them.
    pub(super) kept: Option<Arc<Vec<u32>>>,
    /// Where in `kept` reading order wrapped around to the text's start.
    pub(super) wrap: Option<usize>,
    /// While a longer query is checked among the places its start
    /// matched, in slices as counting is ([`Matches::refined`]).
    pub(super) refining: Option<Refining>,
}

impl Matches {
    /// The folded query these matches are for.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// Whether every page is counted.
    pub fn done(&self) -> bool {
        self.done >= self.counts.len()
    }

    /// The number of matches, once counted.
    pub fn count(&self) -> Option<usize> {
        self.done().then_some(self.total)
    }

    /// Whether some match is known (the count may still be running).
    pub fn found(&self) -> bool {
        self.total > 0 || self.first.is_some() || self.early.is_some()
    }

    /// The first match in reading order from where the search started
    /// (wrapping around at the end), once known.
    pub fn first(&self) -> Option<At> {
        self.first
    }

    /// Whether [`Matches::first`] is final: found, or every page counted.
    pub fn located(&self) -> bool {
        self.first.is_some() || self.done()
    }

    /// Counts on for about `budget` folded bytes; whether all is counted.
    pub fn step(&mut self, index: &Index, budget: usize) -> bool {
        let Some(finder) = self.finder.clone().filter(|_| self.index == index.id) else {
            return self.done();
        };
        match self.refining.take() {
            Some(r) => self.refine(index, r, budget),
            None => self.scan_on(index, &finder, budget),
        }
        if self.done() && self.ranks.len() != self.counts.len() + 1 {
            self.first = self.first.or(self.early);
            if let (Some(kept), Some(wrap)) = (&mut self.kept, self.wrap.take()) {
                Arc::make_mut(kept).rotate_left(wrap);
            }
            self.ranks = std::iter::once(0)
                .chain(self.counts.iter().scan(0, |sum, &c| {
                    *sum += c;
                    Some(*sum)
                }))
                .collect();
        }
        self.done()
    }

    // Counts on in the text, folded again a page at a time.
    fn scan_on(&mut self, index: &Index, finder: &memmem::Finder, budget: usize) {
        let mut text = Folded::default();
        let n = self.counts.len();
        // Folding the text again costs the same for any query, and more than
        // counting even a long one: a slice is as long for a letter as for
        // a word.
        let mut left = budget;
        while self.done < n {
            let page = (self.start + self.done) % n;
            if self.counts[page] != UNCOUNTED {
                self.done += 1;
                continue;
            }
            if left == 0 {
                break;
            }
            let (lo, hi) = (index.pages[page] as usize, index.pages[page + 1] as usize);
            let (at, before) = self
                .partial
                .take()
                .map_or((lo, 0), |(a, f)| (a as usize, f));
            let cut = hi.min(at.saturating_add(left));
            left -= cut - at;
            if page < self.start
                && let Some(kept) = &self.kept
            {
                self.wrap.get_or_insert(kept.len());
            }
            index.fold_page(page, &mut text);
            let (count, resume) = if self.first.is_none() || self.kept.is_some() {
                self.locate(finder, &text, at, cut, hi, page)
            } else {
                let b = text.start;
                let (n, resume) = count(finder, &text.bytes, at - b, cut - b, hi - b);
                (n, resume + b)
            };
            if self.kept.as_ref().is_some_and(|k| k.len() > KEEP) {
                self.kept = None;
            }
            let found = before + count;
            if cut < hi {
                self.partial = Some((resume as u32, found));
                break;
            }
            self.counts[page] = found;
            self.total += found as usize;
            self.done += 1;
        }
    }

    // Notes a match found in page `page`: the first in reading order, or
    // the first of the starting page before where reading starts.
    pub(super) fn note(&mut self, page: usize, p: At) {
        if page == self.start && p.0 < self.from {
            self.early = self.early.or(Some(p));
        } else {
            self.first = self.first.or(Some(p));
        }
    }

    /// Counts all that is left.
    pub fn finish(&mut self, index: &Index) {
        self.step(index, usize::MAX);
    }

    // Counts the matches starting in `at..cut` (a scan from `at`, within
    // page `page` ending at `hi`), noting the first in reading order.
    fn locate(
        &mut self,
        finder: &memmem::Finder,
        text: &Folded,
        at: usize,
        cut: usize,
        hi: usize,
        page: usize,
    ) -> (u32, usize) {
        let mut n = 0;
        let b = text.start;
        let resume = scan(finder, &text.bytes, at - b, cut - b, hi - b, |p| {
            let p = p + b;
            n += 1;
            if let Some(kept) = &mut self.kept {
                // Not shared while it is being made: no copy.
                Arc::make_mut(kept).push(p as u32);
            }
            self.note(page, At(p as u32));
            true
        });
        (n, resume + b)
    }

    /// How many match positions are kept (see [`KEEP`]), with the places
    /// still to be checked.
    pub fn kept(&self) -> usize {
        self.kept.as_ref().map_or(0, |k| k.len())
            + self.refining.as_ref().map_or(0, |r| r.places().len())
    }

    /// Keeps the positions of the newest searches of `recent` (last) within
    /// [`KEEP`] in all, and lets the older ones' go: enough for Backspace,
    /// then another letter. Places that searches typed one after another
    /// share count once.
    pub fn keep_newest(recent: &mut [Matches]) {
        let mut room = KEEP;
        let mut counted: Vec<Arc<Vec<u32>>> = Vec::new();
        for m in recent.iter_mut().rev() {
            let held: Vec<&Arc<Vec<u32>>> = m
                .kept
                .iter()
                .chain(m.refining.as_ref().map(Refining::places))
                .filter(|p| !counted.iter().any(|c| Arc::ptr_eq(c, p)))
                .collect();
            match room.checked_sub(held.iter().map(|p| p.len()).sum()) {
                Some(left) => {
                    room = left;
                    counted.extend(held.into_iter().cloned());
                }
                None => m.forget_positions(),
            }
        }
    }

    /// Lets the kept positions go (a search kept for Backspace needs only
    /// its counts): what is left to count is then counted in the text.
    pub fn forget_positions(&mut self) {
        self.kept = None;
        // The page being checked is then scanned from its start.
        self.refining = None;
    }

    // Whether these matches were found in `index`, and the finder.
    fn with<'m>(&'m self, index: &Index) -> Option<&'m memmem::Finder<'static>> {
        self.finder.as_ref().filter(|_| self.index == index.id)
    }

    /// The matches in blocks `blocks` (a theme, or the blocks on screen), in order.
    pub fn in_blocks(&self, index: &Index, blocks: Range<usize>) -> Vec<At> {
        let Some(finder) = self.with(index) else {
            return Vec::new();
        };
        let mut text = Folded::default();
        index.fold_blocks(blocks, &mut text);
        let (b, end) = (text.start, text.bytes.len());
        let mut out = Vec::new();
        scan(finder, &text.bytes, 0, end, end, |p| {
            out.push(At((b + p) as u32));
            true
        });
        out
    }

    /// How many matches lie in blocks `blocks`: counted pages are taken as
    /// counted, the rest scanned.
    pub fn count_in(&self, index: &Index, blocks: Range<usize>) -> usize {
        let Some(finder) = self.with(index) else {
            return 0;
        };
        let span = index.span(blocks.clone());
        // Made only if some page of it is not counted.
        let mut text: Option<Folded> = None;
        let mut n = 0;
        let mut at = span.start;
        while at < span.end {
            let page = index.page_of(at);
            let (lo, hi) = (index.pages[page] as usize, index.pages[page + 1] as usize);
            let end = hi.min(span.end);
            if at == lo && end == hi && self.counts[page] != UNCOUNTED {
                n += self.counts[page] as usize;
            } else {
                let t = text.get_or_insert_with(|| {
                    let mut t = Folded::default();
                    index.fold_blocks(blocks.clone(), &mut t);
                    t
                });
                let b = t.start;
                n += count(finder, &t.bytes, at - b, end - b, end - b).0 as usize;
            }
            at = end.max(at + 1);
        }
        n
    }

    /// The rank of the match at `at` (0: the first in the report), once
    /// all is counted.
    pub fn rank(&self, index: &Index, at: At) -> Option<usize> {
        let finder = self.with(index).filter(|_| self.done())?;
        let at = (at.0 as usize).min(index.len);
        let page = index.page_of(at);
        let mut text = Folded::default();
        index.fold_page(page, &mut text);
        let before = count(finder, &text.bytes, 0, at - text.start, at - text.start).0;
        Some(self.ranks[page] as usize + before as usize)
    }

    /// The match of rank `r`, once all is counted.
    pub fn nth(&self, index: &Index, r: usize) -> Option<At> {
        let finder = self.with(index).filter(|_| self.done() && r < self.total)?;
        let page = self.ranks.partition_point(|&c| c as usize <= r) - 1;
        let mut text = Folded::default();
        index.fold_page(page, &mut text);
        let (b, hi) = (text.start, text.bytes.len());
        let mut skip = r - self.ranks[page] as usize;
        let mut found = None;
        scan(finder, &text.bytes, 0, hi, hi, |p| {
            if skip == 0 {
                found = Some(At((b + p) as u32));
                return false;
            }
            skip -= 1;
            true
        });
        found
    }

    /// Up to `n` matches from `at` on (itself included), in reading order.
    pub fn following(&self, index: &Index, at: At, n: usize) -> Vec<At> {
        let Some(finder) = self.with(index) else {
            return Vec::new();
        };
        let from = (at.0 as usize).min(index.len);
        let mut out = Vec::new();
        let mut text = Folded::default();
        let mut page = index.page_of(from);
        while out.len() < n && page + 1 < index.pages.len() {
            index.fold_page(page, &mut text);
            let lo = from.max(text.start);
            let found = finder.find_iter(text.at(lo..text.end()));
            out.extend(found.take(n - out.len()).map(|p| At((lo + p) as u32)));
            page += 1;
        }
        out
    }

    /// Every match, in reading order.
    pub fn all<'i>(&'i self, index: &'i Index) -> impl Iterator<Item = At> + 'i {
        let finder = self.with(index);
        let pages = if finder.is_some() {
            index.pages.len() - 1
        } else {
            0
        };
        (0..pages).flat_map(move |page| {
            let mut text = Folded::default();
            index.fold_page(page, &mut text);
            let b = text.start;
            let found = finder.map(|f| f.find_iter(&text.bytes).map(|p| At((b + p) as u32)));
            found.into_iter().flatten().collect::<Vec<_>>()
        })
    }

    /// Whether these matches were found in `index` (a reload makes a new one).
    pub fn is_for(&self, index: &Index) -> bool {
        self.index == index.id
    }

    /// The first match after the one at `after` (`None`: the first in the
    /// report), not wrapping. Pages counted empty are skipped.
    pub fn next(&self, index: &Index, after: Option<At>) -> Option<At> {
        let finder = self.with(index)?;
        let mut text = Folded::default();
        // Matches do not overlap: the next starts after this one ends.
        let mut at = after.map_or(0, |a| a.0 as usize + self.query.len());
        let mut page = index.page_of(at.min(index.len));
        loop {
            let hi = index.pages[page + 1] as usize;
            if self.counts[page] != 0 && at < hi {
                index.fold_page(page, &mut text);
                if let Some(p) = finder.find(text.at(at..hi)) {
                    return Some(At((at + p) as u32));
                }
            }
            page += 1;
            if page >= self.counts.len() {
                return None;
            }
            at = index.pages[page] as usize;
        }
    }

    /// The last match before the one at `before` (`None`: the last in the
    /// report), not wrapping. Pages counted empty are skipped.
    pub fn prev(&self, index: &Index, before: Option<At>) -> Option<At> {
        let finder = self.with(index)?;
        let mut text = Folded::default();
        let end = before.map_or(index.len, |b| (b.0 as usize).min(index.len));
        let mut page = index.page_of(end);
        loop {
            let lo = index.pages[page] as usize;
            let hi = (index.pages[page + 1] as usize).min(end);
            if self.counts[page] != 0 && lo < hi {
                let mut last = None;
                // From the page's start (a block start), as every scan: the
                // same matches as one scan of the whole text.
                index.fold_page(page, &mut text);
                let (b, h) = (text.start, hi - text.start);
                scan(finder, &text.bytes, lo - b, h, h, |p| {
                    last = Some(At((b + p) as u32));
                    true
                });
                if last.is_some() {
                    return last;
                }
            }
            page = page.checked_sub(1)?;
        }
    }
}

/// Whether two matches of `q` could overlap ("aa", "abab"): its non-overlapping
/// matches, which a scan finds, are then not all its occurrences.
pub(super) fn overlaps(q: &str) -> bool {
    let q = q.as_bytes();
    (1..q.len()).any(|k| q[k..] == q[..q.len() - k])
}
