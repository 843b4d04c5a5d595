//! Find-as-you-type over a report's blocks, the way a person types on a plain
//! keyboard: case, diacritics, compatibility forms, typographic punctuation
//! and whitespace runs are folded away (see [`fold`]).
//!
//! The folded text is all blocks folded, joined by `'\n'` (a folded query
//! never holds one, so no match spans blocks). The [`Index`] does not keep
//! it: a copy of the report's text was as large as the text, and a reload
//! holds two versions. It keeps a sparse map back to the original bytes (a
//! checkpoint only where folding is not a byte map of the original, with
//! the folded bytes there), from which a page is folded again as it is
//! searched, at about 0.45 ms a megabyte ([`folded`]).
//!
//! A search keeps no list of its matches: a one-letter query in a 50 MB
//! report has millions, and listing them would cost a rescan and tens of
//! megabytes per keystroke. It counts them per page of the folded text
//! (whole blocks, about [`PAGE`] bytes), in reading order from where the
//! reader is, a slice at a time ([`Matches::step`]), so a keystroke can show
//! the first match at once and the count a moment later. Anything else
//! (the matches on screen, the n-th, a match's rank) is found again by
//! scanning one page or the blocks asked for, which takes microseconds. A
//! match is named by where it starts in the folded text ([`At`]); [`Index::hit`]
//! maps it to its original range.

mod folded;
mod matches;
mod refine;
mod scan;
#[cfg(test)]
mod tests;

pub use matches::{KEEP, Matches};

use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use crate::doc::Blocks;

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
/// Positions must fit in 31 bits; blocks beyond this are not indexed (see
/// [`Index::build_within`]).
const LIMIT: usize = (ATOMIC - 1) as usize;
/// Most folded bytes one original byte can become (U+FDFA: 3 -> 33).
const MAX_GROWTH: usize = 12;
/// Folded bytes per page, at least (pages hold whole blocks): a page's
/// matches are counted together, and finding the n-th match or a match's
/// rank scans one page.
pub const PAGE: usize = 16 << 10;
/// Queries this long (bytes) or longer keep their matches' positions.
const KEEP_FROM: usize = 3;
/// A page whose matches are not counted yet.
const UNCOUNTED: u32 = u32::MAX;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Start of a segment: folded position `f` maps to original position `o` (global,
/// blocks joined by one separator byte). A delta segment maps `f + k` to `o + k`
/// up to the next checkpoint, and its folded bytes are the original's under a
/// byte map (see [`folded`]); an atomic one (a char folding changed otherwise,
/// or whose fold is empty) maps only as a whole, its folded bytes kept in
/// [`Index::folds`], after those of the atomic segments before it.
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

/// Checkpoints per entry of [`Index::atoms`].
const ATOMS: usize = 64;

/// What search needs of a report's blocks, built once at load: where
/// folding changed them, from which their folded text is made again page
/// by page (see [`folded`]).
#[derive(Debug)]
pub struct Index {
    /// The blocks searched, shared with the doc that shows them.
    blocks: Arc<Blocks>,
    /// Length of the folded text: folded blocks, each followed by `'\n'`.
    len: usize,
    /// Sorted checkpoints where folding is not the byte map.
    cps: Vec<Cp>,
    /// The folded bytes of atomic segments, one after the other.
    folds: String,
    /// How many blocks are indexed: all but those past [`LIMIT`], which
    /// are empty at the folded text's end.
    indexed: usize,
    /// Where in `folds` the segments from every [`ATOMS`]th checkpoint on
    /// start: a checkpoint is 8 bytes, not 12, when it does not say (a
    /// reload holds two indexes).
    atoms: Vec<u32>,
    /// Folded start of each page (a block's start), plus the text length.
    pages: Vec<u32>,
    /// Tells this index's [`Matches`] from another's.
    id: u64,
}

/// Where a match starts in the folded text: a match's name, while its rank
/// ("3 of 40") may not be known yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct At(u32);

impl Index {
    /// Builds the index; `blocks` in reading order, block ids are their positions 0..n.
    pub fn new<S: AsRef<str>>(blocks: &[S]) -> Index {
        Index::paged(blocks, PAGE)
    }

    /// Builds the index of a report's blocks.
    pub fn of(blocks: &Arc<Blocks>) -> Index {
        Index::build(Arc::clone(blocks), PAGE)
    }

    // The index with pages of at least `page` bytes (tests use tiny ones).
    fn paged<S: AsRef<str>>(blocks: &[S], page: usize) -> Index {
        Index::of_texts(blocks.iter().map(AsRef::as_ref), page)
    }

    /// Number of blocks indexed.
    pub fn blocks(&self) -> usize {
        self.blocks.len()
    }

    /// Where block `b` starts in the folded text (the text's length past
    /// the last block): found from the checkpoints, not kept per block (a
    /// reload holds two indexes). A block starts in a delta segment, or
    /// at an atomic one's start: no segment spans a separator.
    fn fstart(&self, b: usize) -> usize {
        if b >= self.indexed {
            return self.len;
        }
        let o = self.blocks.start(b);
        let k = self.cps.partition_point(|c| c.o() <= o);
        k.checked_sub(1)
            .map_or(o, |j| self.cps[j].f() + (o - self.cps[j].o()))
    }

    /// All matches of `query`, counted to the end.
    pub fn search(&self, query: &str) -> Matches {
        let mut m = self.start(query, 0, None);
        m.finish(self);
        m
    }

    /// A search for `query` in reading order from block `from`, nothing
    /// counted yet ([`Matches::step`] does that). `prev`: the search before
    /// this keystroke; when `query` only adds to it, pages where it found
    /// nothing are not searched again.
    pub fn start(&self, query: &str, from: usize, prev: Option<&Matches>) -> Matches {
        let query = fold(query);
        let pages = self.pages.len() - 1;
        let from = self.fstart(from) as u32;
        let mut m = Matches {
            index: self.id,
            counts: vec![UNCOUNTED; pages],
            start: self.page_of(from as usize),
            from,
            ..Matches::default()
        };
        if blank(&query) {
            m.counts.fill(0);
            m.done = pages;
            m.ranks = vec![0; pages + 1];
        } else {
            m.finder = Some(memmem::Finder::new(query.as_bytes()).into_owned());
            // A word's matches are kept (a letter's are too many).
            if query.len() >= KEEP_FROM && !matches::overlaps(&query) {
                m.kept = Some(Arc::default());
            }
            if let Some(p) = prev
                .filter(|p| p.index == self.id && !blank(&p.query) && query.starts_with(&p.query))
            {
                if let Some(r) = Matches::refined(self, p, &query, from) {
                    return r;
                }
                for (mine, &theirs) in m.counts.iter_mut().zip(&p.counts) {
                    if theirs == 0 {
                        *mine = 0;
                    }
                }
            }
        }
        m.query = query;
        m
    }

    // The page holding folded position `pos`.
    fn page_of(&self, pos: usize) -> usize {
        self.pages
            .partition_point(|&p| p as usize <= pos)
            .saturating_sub(1)
            .min(self.pages.len().saturating_sub(2))
    }

    // The folded range of blocks `blocks`.
    fn span(&self, blocks: Range<usize>) -> Range<usize> {
        let start = self.fstart(blocks.start);
        start..self.fstart(blocks.end).max(start)
    }

    /// The original-text byte range of the match of `m` at `at`.
    ///
    /// A match that starts or ends inside a char whose folding changed it
    /// (`ë`, `’`, `ﬁ`) covers that whole char; one ending before combining
    /// marks or a collapsed whitespace run covers those too. `m` from
    /// another index, or a place past the end, gives `Hit { block: 0,
    /// range: 0..0 }`.
    pub fn hit(&self, m: &Matches, at: At) -> Hit {
        let none = Hit {
            block: 0,
            range: 0..0,
        };
        let (start, end) = (at.0 as usize, at.0 as usize + m.query.len());
        if m.index != self.id || end > self.len || m.query.is_empty() {
            return none;
        }
        let o = self.map_start(start);
        let block = self.blocks.holding(o);
        let base = self.blocks.start(block);
        let range = o.saturating_sub(base)..self.map_end(end).saturating_sub(base);
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
