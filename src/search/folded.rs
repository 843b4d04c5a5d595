//! The folded text, made again when it is searched instead of held: a
//! second copy of every block cost as much memory as the report's text.
//!
//! Building the index folds every block once and keeps only what the
//! original cannot say again cheaply: where folding is not a byte map of
//! the original (ASCII case, `` ` ``, ASCII whitespace; every other byte
//! as it is), a checkpoint with that stretch's folded bytes. A page is then
//! made again from the original by the byte map (which the compiler
//! vectorises) and those stored stretches, exactly as it was folded.

use std::ops::Range;
use std::sync::Arc;

use super::{ATOMS, Cp, Index, LIMIT, MAX_GROWTH, NEXT_ID, fold_char};
use crate::doc::{BlockKind, Blocks};

/// The byte map that folding is wherever no checkpoint says otherwise.
#[inline]
fn map(b: u8) -> u8 {
    match b {
        b'A'..=b'Z' => b | 0x20,
        b'`' => b'\'',
        // Not '\n': it separates blocks on both sides.
        b'\t' | 0x0b | 0x0c | b'\r' => b' ',
        _ => b,
    }
}

/// Folded bytes of blocks, made again from the original: `bytes` holds the
/// folded text from folded position `start` on.
#[derive(Debug, Default)]
pub(super) struct Folded {
    /// Where `bytes` starts in the whole folded text.
    pub(super) start: usize,
    /// The folded blocks, each followed by `'\n'`.
    pub(super) bytes: Vec<u8>,
}

impl Folded {
    /// Where `bytes` ends in the whole folded text.
    pub(super) fn end(&self) -> usize {
        self.start + self.bytes.len()
    }

    /// The folded bytes at global positions `range` (clamped to those held).
    pub(super) fn at(&self, range: Range<usize>) -> &[u8] {
        let lo = range.start.saturating_sub(self.start).min(self.bytes.len());
        let hi = range
            .end
            .saturating_sub(self.start)
            .clamp(lo, self.bytes.len());
        &self.bytes[lo..hi]
    }
}

/// Accumulates the checkpoints and the stretches folding changed.
struct Builder {
    /// Length of the folded text so far.
    len: usize,
    /// Whether the folded text so far ends in a space (runs collapse).
    space: bool,
    cps: Vec<Cp>,
    folds: String,
    /// Global original position (blocks joined by one separator byte).
    o: usize,
    atomic: bool,
    /// One char's folded form.
    one: String,
}

impl Builder {
    /// Folds `c`, the original bytes `orig`, and records how.
    #[inline]
    fn char(&mut self, c: char, orig: &[u8]) {
        self.one.clear();
        let (one, space) = (&mut self.one, &mut self.space);
        fold_char(c, &mut |d| {
            let d = if d.is_whitespace() { ' ' } else { d };
            if d == ' ' && *space {
                return;
            }
            one.push(d);
            *space = d == ' ';
        });
        let mapped = one.len() == orig.len() && one.bytes().zip(orig).all(|(f, &o)| f == map(o));
        let (f0, o0) = (self.len, self.o);
        self.len += self.one.len();
        self.o += orig.len();
        if mapped {
            if self.atomic {
                self.cps.push(Cp::new(f0, o0, false));
                self.atomic = false;
            }
            return;
        }
        // Consecutive empty folds (a run of marks or collapsed spaces) share one.
        let merge =
            self.one.is_empty() && self.atomic && self.cps.last().is_some_and(|l| l.f() == f0);
        if !merge {
            self.cps.push(Cp::new(f0, o0, true));
        }
        self.folds.push_str(&self.one);
        self.atomic = true;
    }

    /// Ends a block with its separator, `'\n'` on both sides, which always maps.
    fn separator(&mut self) {
        let (f0, o0) = (self.len, self.o);
        self.len += 1;
        self.o += 1;
        self.space = false;
        if self.atomic {
            self.cps.push(Cp::new(f0, o0, false));
            self.atomic = false;
        }
    }
}

impl Index {
    /// Builds the index of `blocks`, with pages of at least `page` folded bytes.
    pub(super) fn build(blocks: Arc<Blocks>, page: usize) -> Index {
        Index::build_within(blocks, page, LIMIT)
    }

    /// Builds the index of the blocks whose folded and original positions
    /// stay below `limit` ([`LIMIT`]; tests use less): the rest is not
    /// indexed, as a checkpoint's positions are 31 bits. (A report is at
    /// most 64 MB, far below; only [`Index::new`]'s callers could pass more.)
    pub(super) fn build_within(blocks: Arc<Blocks>, page: usize, limit: usize) -> Index {
        let mut b = Builder {
            len: 0,
            space: false,
            cps: Vec::new(),
            folds: String::new(),
            o: 0,
            atomic: false,
            one: String::with_capacity(64),
        };
        let mut pages = vec![0];
        let mut indexed = 0;
        for s in blocks.texts() {
            let room = s.len().saturating_mul(MAX_GROWTH).saturating_add(1);
            if b.len.saturating_add(room) >= limit || b.o.saturating_add(room) >= limit {
                break;
            }
            if b.len >= pages.last().map_or(0, |&p| p as usize) + page {
                pages.push(b.len as u32);
            }
            for (i, c) in s.char_indices() {
                b.char(c, &s.as_bytes()[i..i + c.len_utf8()]);
            }
            b.separator();
            indexed += 1;
        }
        b.cps.shrink_to_fit();
        b.folds.shrink_to_fit();
        pages.push(b.len as u32);
        let atoms = atoms(&b.cps, b.len, b.folds.len());
        Index {
            blocks,
            len: b.len,
            cps: b.cps,
            folds: b.folds,
            atoms,
            indexed,
            pages,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// An index of plain texts, each a paragraph (tests and small callers).
    pub(super) fn of_texts<'a>(texts: impl Iterator<Item = &'a str>, page: usize) -> Index {
        let mut blocks = Blocks::with_capacity(0);
        for t in texts {
            blocks.push(BlockKind::Paragraph, t);
        }
        Index::build(Arc::new(blocks), page)
    }

    /// The folded text of blocks `blocks` (clamped), into `out`: a run
    /// of the original under the byte map, or stored folded bytes, from one
    /// checkpoint to the next (across blocks: the original holds their
    /// separators too), so that the work is per checkpoint, not per block.
    pub(super) fn fold_blocks(&self, blocks: Range<usize>, out: &mut Folded) {
        let end = blocks.end.min(self.blocks());
        let start = blocks.start.min(end);
        self.fold_range(self.fstart(start)..self.fstart(end), out);
    }

    /// The folded text at positions `range` (between blocks), into `out`.
    fn fold_range(&self, range: Range<usize>, out: &mut Folded) {
        let (lo, hi) = (range.start, range.end);
        out.start = lo;
        // Written in place, not appended: a page has a run for every few
        // dozen bytes, and an append each cost more than the mapping.
        out.bytes.clear();
        out.bytes.resize(hi - lo, 0);
        // The first checkpoint after `lo`; the one before is in effect.
        let j = self.cps.partition_point(|c| c.f() <= lo);
        self.fold_span(lo..hi, j, &mut out.bytes);
    }

    /// The first checkpoint after folded position `at`, looked for from
    /// `j` on, by steps that double, then halving: positions asked in
    /// increasing order cost the log of the gap between them, whether a
    /// word's matches are thousands (a few checkpoints apart) or a few
    /// (hundreds of thousands apart).
    pub(super) fn cp_after(&self, at: usize, j: usize) -> usize {
        let after = |k: usize| self.cps.get(k).is_none_or(|c| c.f() > at);
        if after(j) {
            return j;
        }
        let (mut lo, mut step) = (j, 1);
        while !after(lo + step) {
            lo += step;
            step *= 2;
        }
        let hi = (lo + step).min(self.cps.len());
        lo + 1 + self.cps[lo + 1..hi].partition_point(|c| c.f() <= at)
    }

    /// Whether the folded bytes at `at` are `want`, given `j`, the first
    /// checkpoint after `at`: most spans are in one run mapped from the
    /// original, compared where they are.
    pub(super) fn folded_is(&self, at: usize, want: &[u8], j: usize, buf: &mut Vec<u8>) -> bool {
        let end = at + want.len();
        let delta = self.cps.get(j).is_none_or(|c| c.f() >= end)
            && j.checked_sub(1).is_none_or(|k| !self.cps[k].atomic());
        if delta && end <= self.len {
            let o = j
                .checked_sub(1)
                .map_or(at, |k| self.cps[k].o() + (at - self.cps[k].f()));
            // Across chunks (rare: it holds their '\n'), folded below.
            if let Some(s) = self.blocks.cursor().get(o..o + want.len()) {
                return s.iter().zip(want).all(|(&s, &w)| map(s) == w);
            }
        }
        buf.clear();
        buf.resize(want.len(), 0);
        self.fold_span(at..end, j, buf);
        buf == want
    }

    /// The folded bytes at positions `span` (anywhere, not only whole
    /// blocks), into `to` (as long as `span`), given `j`, the first
    /// checkpoint after its start.
    pub(super) fn fold_span(&self, span: Range<usize>, mut j: usize, to: &mut [u8]) {
        let (mut orig, folds) = (self.blocks.cursor(), self.folds.as_bytes());
        let (lo, hi) = (span.start, span.end.min(self.len));
        let mut f = lo;
        // Where the folded bytes of the checkpoint in effect start in `folds`.
        let mut a = j.checked_sub(1).map_or(0, |k| self.fold_at(k));
        while f < hi {
            let next = self.cps.get(j).map_or(hi, |c| c.f()).min(hi);
            let (n, to) = (next - f, &mut to[f - lo..next - lo]);
            match j.checked_sub(1).map(|k| self.cps[k]) {
                Some(c) if c.atomic() => {
                    let at = a + (f - c.f());
                    for (d, &s) in to.iter_mut().zip(folds.get(at..at + n).unwrap_or_default()) {
                        *d = s;
                    }
                    a += self.cps.get(j).map_or(0, |e| e.f() - c.f());
                }
                cp => {
                    let o = cp.map_or(f, |c| c.o() + (f - c.f()));
                    let mut at = 0;
                    orig.each(o..o + n, |run| {
                        for (d, &s) in to[at..].iter_mut().zip(run) {
                            *d = map(s);
                        }
                        at += run.len();
                    });
                }
            }
            f = next;
            j += 1;
        }
    }

    /// Where the folded bytes of checkpoint `k`'s segment start in `folds`
    /// (if it is atomic): after those of the atomic segments before it,
    /// each as long as it is in the folded text.
    fn fold_at(&self, k: usize) -> usize {
        let from = k / ATOMS * ATOMS;
        let mut a = self.atoms[k / ATOMS] as usize;
        for w in self.cps[from..=k].windows(2) {
            if w[0].atomic() {
                a += w[1].f() - w[0].f();
            }
        }
        a
    }

    /// The folded text of page `page`.
    pub(super) fn fold_page(&self, page: usize, out: &mut Folded) {
        let (lo, hi) = (self.pages[page] as usize, self.pages[page + 1] as usize);
        self.fold_range(lo..hi, out);
    }

    /// The whole folded text (tests).
    #[cfg(test)]
    pub(super) fn folded_text(&self) -> String {
        let mut out = Folded::default();
        self.fold_blocks(0..self.blocks(), &mut out);
        String::from_utf8(out.bytes).expect("folded text is UTF-8")
    }
}

/// Where in the folds the segments from every [`ATOMS`]th checkpoint on
/// start (see [`Index::fold_at`]).
fn atoms(cps: &[Cp], len: usize, folds: usize) -> Vec<u32> {
    let mut out = Vec::with_capacity(cps.len() / ATOMS + 1);
    let mut a = 0;
    for (k, c) in cps.iter().enumerate() {
        if k % ATOMS == 0 {
            out.push(a as u32);
        }
        if c.atomic() {
            a += cps.get(k + 1).map_or(len, |e| e.f()) - c.f();
        }
    }
    debug_assert_eq!(a, folds, "an atomic segment's folds are as long as it is");
    out
}
