//! A longer query found among the places a query it extends matched,
//! instead of in the text: a word's matches in a large report are a few
//! thousand places, where its text is tens of megabytes.

use std::sync::Arc;

use memchr::memmem;

use super::matches::{Matches, PLACE, overlaps};
use super::{At, Index, UNCOUNTED};

/// The places a longer query is checked at: where a query it extends
/// matched, in text order, and how far checking got.
#[derive(Clone, Debug)]
pub(super) struct Refining {
    /// Where the shorter query matched: shared by the letters typed after
    /// it while they are checked, not copied for each.
    old: Arc<Vec<u32>>,
    /// The shorter query's length, and the rest of this one after it.
    skip: usize,
    rest: Box<[u8]>,
    /// The next place to check (`None`: the first of the next page).
    next: Option<usize>,
    /// The checkpoint after the last place checked: places are checked in
    /// text order (but for the wrap to the start), so the next one's is
    /// found from there, not from the first (a search of its own, through
    /// memory far from the last).
    cp: usize,
    /// Matches found so far in the page being checked, and where the last
    /// one ends: matches do not overlap, as memmem goes on after the end
    /// of each.
    found: u32,
    end: usize,
}

impl Refining {
    /// The places held.
    pub(super) fn places(&self) -> &Arc<Vec<u32>> {
        &self.old
    }
}

impl Matches {
    /// The matches of `query`, which only adds to `prev`'s query, to be
    /// found among the places `prev` matched (or, while it is itself
    /// checked among such places, among those): a pass over them instead
    /// of the text, in slices as [`Matches::step`] counts. `None` when
    /// `prev` kept none (or could have skipped some: a query that overlaps
    /// itself, "aa" in "aaa").
    pub(super) fn refined(
        index: &Index,
        prev: &Matches,
        query: &str,
        from: u32,
    ) -> Option<Matches> {
        let (old, skip) = match (&prev.refining, &prev.kept) {
            (Some(r), _) => (Arc::clone(&r.old), r.skip),
            (None, Some(kept)) if prev.done() && !overlaps(&prev.query) => {
                (Arc::clone(kept), prev.query.len())
            }
            _ => return None,
        };
        let q = query.as_bytes();
        let rest = q.get(skip..).filter(|r| !r.is_empty())?.into();
        let pages = index.pages.len() - 1;
        Some(Matches {
            query: query.to_owned(),
            index: index.id,
            finder: Some(memmem::Finder::new(q).into_owned()),
            counts: vec![UNCOUNTED; pages],
            start: index.page_of(from as usize),
            from,
            kept: (!overlaps(query)).then(|| Arc::new(Vec::with_capacity(old.len() / 2))),
            refining: Some(Refining {
                old,
                skip,
                rest,
                next: None,
                cp: 0,
                found: 0,
                end: 0,
            }),
            ..Matches::default()
        })
    }

    // Checks on among the places of `r`, page by page in reading order,
    // for about `budget` bytes' worth of places (none for none): the nearest
    // match is found as soon as with a scan of the text, and a keystroke
    // never waits for a word's places all over a large report.
    pub(super) fn refine(&mut self, index: &Index, mut r: Refining, budget: usize) {
        let n = self.counts.len();
        let len = self.query.len();
        let mut left = budget.div_ceil(PLACE);
        let mut buf = Vec::with_capacity(r.rest.len());
        while self.done < n {
            let page = (self.start + self.done) % n;
            if page < self.start
                && let Some(kept) = &self.kept
            {
                self.wrap.get_or_insert(kept.len());
            }
            let (lo, hi) = (index.pages[page], index.pages[page + 1]);
            let mut i = r.next.take().unwrap_or_else(|| {
                (r.found, r.end) = (0, 0);
                if page == 0 {
                    r.cp = 0;
                }
                r.old.partition_point(|&p| p < lo)
            });
            while let Some(&p) = r.old.get(i).filter(|&&p| p < hi) {
                if left == 0 {
                    r.next = Some(i);
                    self.refining = Some(r);
                    return;
                }
                left -= 1;
                i += 1;
                let at = p as usize + r.skip;
                r.cp = index.cp_after(at, r.cp);
                if p as usize >= r.end && index.folded_is(at, &r.rest, r.cp, &mut buf) {
                    r.found += 1;
                    r.end = p as usize + len;
                    if let Some(kept) = &mut self.kept {
                        Arc::make_mut(kept).push(p);
                    }
                    self.note(page, At(p));
                }
            }
            self.counts[page] = r.found;
            self.total += r.found as usize;
            self.done += 1;
        }
    }
}
