//! Find-as-you-type over a report's blocks, the way a person types on a plain
//! keyboard: case, diacritics, compatibility forms, typographic punctuation
//! and whitespace runs are folded away (see [`fold`]).
//!
//! The [`Index`] keeps one folded copy of all blocks, joined by `'\n'` (a
//! folded query never holds one, so no match spans blocks), plus a sparse map
//! back to the original bytes: a checkpoint only where folding changed a
//! char's length or shape, so identical stretches map by a constant delta.
//! Matches are bare folded positions (4 bytes each); [`Index::hit`] maps one
//! to its original range on demand, and [`Index::refine`] narrows the previous
//! matches instead of rescanning when the query grows by a keystroke.

#[cfg(test)]
mod tests;

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use memchr::memmem;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// A match: block index and byte range in that block's original text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The block's position in the slice given to [`Index::new`].
    pub block: usize,
    /// Byte range in that block's original text, on char boundaries.
    pub range: Range<usize>,
}

/// Folds text the way search compares it (exposed for tests and callers who echo the folded query).
///
/// Per char: typographic quotes, dashes and primes become ASCII; NFKD
/// (ligatures, full-width forms, `…` become plain letters and dots);
/// combining marks and invisible format chars (soft hyphen, zero-width
/// space) are dropped; Unicode lowercase. Every whitespace run becomes one
/// space. Folding is idempotent: `fold(&fold(s)) == fold(s)`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut |d| {
            push_folded(&mut out, d);
        });
    }
    out
}

/// Emits the folded chars of `c`, before whitespace collapsing.
#[inline]
fn fold_char(c: char, emit: &mut impl FnMut(char)) {
    if c.is_ascii() {
        emit(match c {
            'A'..='Z' => c.to_ascii_lowercase(),
            '`' => '\'',
            _ => c,
        });
    } else if let Some(p) = punct(c) {
        emit(p);
    } else if c.is_whitespace() {
        emit(' ');
    } else if !ignorable(c) {
        decompose_compatible(c, |d| {
            if is_combining_mark(d) || ignorable(d) {
                return;
            }
            // Lowercasing may yield marks or decomposable chars (İ -> i + U+0307).
            for l in d.to_lowercase() {
                decompose_compatible(l, |e| {
                    if !is_combining_mark(e) {
                        emit(punct(e).unwrap_or(e));
                    }
                });
            }
        });
    }
}

/// Typographic punctuation (and stroked letters NFKD leaves alone) as typed.
pub(crate) fn punct(c: char) -> Option<char> {
    Some(match c {
        '\u{2018}'..='\u{201B}' | '\u{2032}' | '`' | '\u{B4}' | '\u{2BC}' => '\'',
        '\u{201C}'..='\u{201F}' | '\u{2033}' | '\u{AB}' | '\u{BB}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        'ø' | 'Ø' => 'o',
        'ł' | 'Ł' => 'l',
        'đ' | 'Đ' => 'd',
        _ => return None,
    })
}

/// Invisible chars that only hint at layout: soft hyphen, zero-width (non-)joiners, BOM.
fn ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Appends a folded char, turning whitespace into one space per run; returns whether it pushed.
#[inline]
fn push_folded(out: &mut String, d: char) -> bool {
    let d = if d.is_whitespace() { ' ' } else { d };
    if d == ' ' && out.ends_with(' ') {
        return false;
    }
    out.push(d);
    true
}

/// A folded query that can match nothing: empty or only a space.
fn blank(q: &str) -> bool {
    q.bytes().all(|b| b == b' ')
}

/// Flag in [`Cp::o`]: the segment maps as a whole, not byte by byte.
const ATOMIC: u32 = 1 << 31;
/// Positions must fit in 31 bits; text beyond this is indexed as empty blocks.
const LIMIT: usize = (ATOMIC - 1) as usize;
/// Most folded bytes one original byte can become (U+FDFA: 3 -> 33).
const MAX_GROWTH: usize = 12;
/// `refine` rescans instead when the previous query matched more often than
/// once per this many bytes: a fresh SIMD scan is then cheaper than checking each.
const REFINE_DENSITY: usize = 32;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Start of a segment: folded position `f` maps to original position `o` (global,
/// blocks joined by one separator byte). A delta segment maps `f + k` to `o + k`
/// up to the next checkpoint; an atomic one (a char whose folding changed its
/// length or split it, or whose fold is empty) maps only as a whole.
#[derive(Clone, Copy, Debug)]
struct Cp {
    f: u32,
    o: u32,
}

impl Cp {
    fn new(f: usize, o: usize, atomic: bool) -> Cp {
        Cp {
            f: f as u32,
            o: o as u32 | if atomic { ATOMIC } else { 0 },
        }
    }
    fn f(self) -> usize {
        self.f as usize
    }
    fn o(self) -> usize {
        (self.o & !ATOMIC) as usize
    }
    fn atomic(self) -> bool {
        self.o & ATOMIC != 0
    }
}

/// The folded copy of a report's blocks, built once at load.
#[derive(Debug)]
pub struct Index {
    /// Folded blocks, each followed by `'\n'`.
    text: String,
    /// Sorted checkpoints where folding is not a 1:1 same-length char mapping.
    cps: Vec<Cp>,
    /// Folded start of each block, plus the text length.
    fstart: Vec<u32>,
    /// Global original start of each block, plus the end.
    ostart: Vec<u32>,
    /// Tells this index's [`Matches`] from another's.
    id: u64,
}

/// Accumulates the folded text and its checkpoints.
struct Builder {
    text: String,
    cps: Vec<Cp>,
    o: usize,
    atomic: bool,
}

impl Builder {
    /// Records that the original char(s) at `o0..o0 + width` folded to
    /// `f0..text.len()` as `chars` chars.
    #[inline]
    fn record(&mut self, f0: usize, o0: usize, width: usize, chars: usize) {
        let f1 = self.text.len();
        if chars == 1 && f1 - f0 == width {
            if self.atomic {
                self.cps.push(Cp::new(f0, o0, false));
                self.atomic = false;
            }
        } else {
            // Consecutive empty folds (a run of marks or collapsed spaces) share one.
            let merge = f1 == f0 && self.atomic && self.cps.last().is_some_and(|l| l.f() == f0);
            if !merge {
                self.cps.push(Cp::new(f0, o0, true));
            }
            self.atomic = true;
        }
        self.o = o0 + width;
    }
}

impl Index {
    /// Builds the index; `blocks` in reading order, block ids are their positions 0..n.
    pub fn new<S: AsRef<str>>(blocks: &[S]) -> Index {
        let total: usize = blocks.iter().map(|s| s.as_ref().len() + 1).sum();
        let text = String::with_capacity(total);
        let mut b = Builder {
            text,
            cps: Vec::new(),
            o: 0,
            atomic: false,
        };
        let mut fstart = Vec::with_capacity(blocks.len() + 1);
        let mut ostart = Vec::with_capacity(blocks.len() + 1);
        fstart.push(0);
        ostart.push(0);
        for s in blocks {
            let s = s.as_ref();
            let room = s.len().saturating_mul(MAX_GROWTH).saturating_add(1);
            if b.text.len().saturating_add(room) < LIMIT && b.o.saturating_add(room) < LIMIT {
                for c in s.chars() {
                    let (f0, o0, mut n) = (b.text.len(), b.o, 0);
                    fold_char(c, &mut |d| n += usize::from(push_folded(&mut b.text, d)));
                    b.record(f0, o0, c.len_utf8(), n);
                }
            }
            let (f0, o0) = (b.text.len(), b.o);
            b.text.push('\n');
            b.record(f0, o0, 1, 1);
            fstart.push(b.text.len() as u32);
            ostart.push(b.o as u32);
        }
        if b.text.capacity() > b.text.len() + b.text.len() / 8 {
            b.text.shrink_to_fit();
        }
        b.cps.shrink_to_fit();
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        Index {
            text: b.text,
            cps: b.cps,
            fstart,
            ostart,
            id,
        }
    }

    /// Number of blocks indexed.
    pub fn blocks(&self) -> usize {
        self.fstart.len() - 1
    }

    /// All matches of `query` in reading order.
    pub fn search(&self, query: &str) -> Matches {
        self.find(fold(query))
    }

    fn find(&self, query: String) -> Matches {
        let text = self.text.as_bytes();
        let pos = match query.as_bytes() {
            _ if blank(&query) => Vec::new(),
            // One letter can match a million times: memchr beats memmem there,
            // and its cheap count sizes the Vec exactly (no doubling peak).
            &[b] => {
                let mut pos = Vec::with_capacity(memchr::memchr_iter(b, text).count());
                pos.extend(memchr::memchr_iter(b, text).map(|p| p as u32));
                pos
            }
            q => memmem::find_iter(text, q).map(|p| p as u32).collect(),
        };
        Matches {
            query,
            pos,
            index: self.id,
        }
    }

    /// Like `search`, reusing `prev` when `query`'s folded form extends `prev`'s folded query (typing one more letter).
    ///
    /// Exact even for self-overlapping queries: an occurrence of the longer
    /// query that `prev` skipped (it overlapped an earlier match) can only
    /// start a period of the old query after a kept match, so those are checked too.
    pub fn refine(&self, prev: &Matches, query: &str) -> Matches {
        let q = fold(query);
        let old = prev.query.as_bytes();
        if prev.index != self.id
            || blank(&prev.query)
            || !q.starts_with(&prev.query)
            || prev.pos.len() > self.text.len() / REFINE_DENSITY
        {
            return self.find(q);
        }
        if q.len() == old.len() {
            return Matches {
                query: q,
                ..prev.clone()
            };
        }
        let (text, new) = (self.text.as_bytes(), q.as_bytes());
        let (tail, periods) = (&new[old.len()..], periods(old));
        let mut pos = Vec::new();
        let mut free = 0;
        for &p in &prev.pos {
            let p = p as usize;
            if p >= free && text.get(p + old.len()..p + new.len()) == Some(tail) {
                pos.push(p as u32);
                free = p + new.len();
            }
            for c in periods.iter().map(|d| p + d) {
                if c >= free && text.get(c..c + new.len()) == Some(new) {
                    pos.push(c as u32);
                    free = c + new.len();
                }
            }
        }
        Matches {
            query: q,
            pos,
            index: self.id,
        }
    }

    /// The original-text byte range of match `i` of `m`.
    ///
    /// A match that starts or ends inside a char whose folding changed it
    /// (`ë`, `’`, `ﬁ`) covers that whole char; one ending before combining
    /// marks or a collapsed whitespace run covers those too. An `i` out of
    /// range, or `m` from another index, gives `Hit { block: 0, range: 0..0 }`.
    pub fn hit(&self, m: &Matches, i: usize) -> Hit {
        let none = Hit {
            block: 0,
            range: 0..0,
        };
        let Some(&p) = m.pos.get(i) else { return none };
        let (start, end) = (p as usize, p as usize + m.query.len());
        if m.index != self.id || end > self.text.len() {
            return none;
        }
        let block = self
            .fstart
            .partition_point(|&s| s as usize <= start)
            .saturating_sub(1);
        let base = self.ostart.get(block).map_or(0, |&o| o as usize);
        let range =
            self.map_start(start).saturating_sub(base)..self.map_end(end).saturating_sub(base);
        Hit { block, range }
    }

    /// Global original position where a match starting at folded `p` starts.
    fn map_start(&self, p: usize) -> usize {
        let k = self.cps.partition_point(|c| c.f() <= p);
        match k.checked_sub(1).and_then(|j| self.cps.get(j)) {
            None => p,
            Some(c) if c.atomic() => c.o(),
            Some(c) => c.o() + (p - c.f()),
        }
    }

    /// Global original position where a match ending at folded `e` (exclusive, > 0) ends.
    fn map_end(&self, e: usize) -> usize {
        let k = self.cps.partition_point(|c| c.f() < e);
        let mut o = match k.checked_sub(1).and_then(|j| self.cps.get(j)) {
            None => e,
            Some(c) if c.atomic() => self.cps.get(k).map_or(c.o(), |n| n.o()),
            Some(c) => c.o() + (e - c.f()),
        };
        // Take in empty folds right after the end (combining marks, extra spaces).
        let mut j = k;
        while let (Some(c), Some(n)) = (self.cps.get(j), self.cps.get(j + 1)) {
            if c.f() != e || !c.atomic() || n.f() != e {
                break;
            }
            o = n.o();
            j += 1;
        }
        o
    }
}

/// The shifts `d` (ascending, `0 < d < q.len()`) at which `q` overlaps itself.
fn periods(q: &[u8]) -> Vec<usize> {
    let mut border = vec![0usize; q.len()];
    for i in 1..q.len() {
        let mut k = border[i - 1];
        while k > 0 && q[i] != q[k] {
            k = border[k - 1];
        }
        border[i] = k + usize::from(q[i] == q[k]);
    }
    let mut out = Vec::new();
    let mut k = border.last().copied().unwrap_or(0);
    while k > 0 {
        out.push(q.len() - k);
        k = border[k - 1];
    }
    out
}

/// The matches of one query (compact: positions only).
#[derive(Clone, Debug, Default)]
pub struct Matches {
    query: String,
    /// Folded start positions, ascending, non-overlapping.
    pos: Vec<u32>,
    index: u64,
}

impl Matches {
    /// Number of matches.
    pub fn len(&self) -> usize {
        self.pos.len()
    }

    /// Whether there are no matches.
    pub fn is_empty(&self) -> bool {
        self.pos.is_empty()
    }

    /// The folded query these matches are for.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// Indices (into this Matches) of the matches that lie in blocks `blocks` (a contiguous block range: a theme), found by binary search.
    pub fn in_blocks(&self, index: &Index, blocks: Range<usize>) -> Range<usize> {
        if self.index != index.id {
            return 0..0;
        }
        let at = |b: usize| {
            index
                .fstart
                .get(b.min(index.blocks()))
                .copied()
                .unwrap_or(0)
        };
        let (s, e) = (at(blocks.start), at(blocks.end));
        let lo = self.pos.partition_point(|&p| p < s);
        lo..self.pos.partition_point(|&p| p < e).max(lo)
    }

    /// The index of the first match at or after (block, byte offset) in reading order, or None — used for "next match from here".
    ///
    /// "At or after" compares the start of the match's [`Hit`] range; an
    /// offset past the block's end means the next blocks.
    pub fn first_from(&self, index: &Index, block: usize, offset: usize) -> Option<usize> {
        if self.index != index.id {
            return None;
        }
        let start = *index.ostart.get(block)? as usize;
        let end = (*index.ostart.get(block + 1)? as usize).saturating_sub(1);
        let o = start.saturating_add(offset).min(end);
        let lo = self.in_blocks(index, block..block).start;
        let i = lo + self.pos[lo..].partition_point(|&p| index.map_start(p as usize) < o);
        (i < self.pos.len()).then_some(i)
    }
}
