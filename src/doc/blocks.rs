//! A report's blocks with their text in a few large chunks: a block is two
//! small numbers, not an allocation of its own. A 52 MB report has half a
//! million blocks, and a boxed string each cost 24 bytes of slot plus the
//! allocator's header and rounding: a fifth of the file.
//!
//! The chunks are cut where the text says (before a block whose hash says
//! so, once a chunk is large enough), not at fixed sizes: a new version of
//! the report that differs in one theme then cuts the same chunks around
//! it, and takes them over from the version on screen instead of holding
//! a second copy. A reload held both versions' text whole, 0.9x the file.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

use super::BlockKind;

/// A chunk is cut at the first block, from this many bytes on, whose hash
/// says so ([`CUT_ONE_IN`]): about 40 chunks a megabyte, each found again
/// in a new version in a few compares.
const CHUNK_MIN: usize = 24 * 1024;
/// One block in this many is a place to cut (by its text's hash).
const CUT_ONE_IN: u64 = 8;
/// A chunk is cut here whatever its blocks say (a report of blocks none of
/// which is a place to cut, all the same text say, is not one chunk).
const CHUNK_MAX: usize = 16 * CHUNK_MIN;
/// How much of a chunk's start and end is hashed to find it in the last version.
const SAMPLE: usize = 128;

/// A unit of text: the smallest thing that wraps and that search reports in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block<'a> {
    /// How it is laid out.
    pub kind: BlockKind,
    /// Its sanitised, whitespace-collapsed text.
    pub text: &'a str,
}

/// Every block of a report, in reading order.
#[derive(Clone, Debug, Default)]
pub struct Blocks {
    /// All texts, each followed by `'\n'` (which no block's collapsed text
    /// holds), in chunks of whole blocks: search folds a page from here in
    /// runs that cross blocks ([`Cursor`]).
    chunks: Vec<Arc<str>>,
    /// Where each chunk starts in the joined text.
    bases: Vec<u32>,
    /// The text after the last chunk, not cut yet.
    tail: String,
    /// Where `tail` starts: the chunks' length.
    sealed: usize,
    /// Where each block's text ends in the joined text (it starts one byte
    /// after the one before ends). u32: a report is at most 64 MB, and its
    /// blocks are never longer than its text and labels.
    ends: Vec<u32>,
    /// Each block's kind.
    kinds: Vec<BlockKind>,
    /// The last version's chunks, by [`key`], while this one is made.
    older: HashMap<(usize, u64), Vec<Arc<str>>>,
}

impl PartialEq for Blocks {
    fn eq(&self, other: &Blocks) -> bool {
        // The same blocks, however their text is cut.
        self.ends == other.ends && self.kinds == other.kinds && self.texts().eq(other.texts())
    }
}

impl Eq for Blocks {}

impl Blocks {
    /// No blocks, room for about `bytes` of text.
    pub fn with_capacity(bytes: usize) -> Blocks {
        Blocks {
            tail: String::with_capacity(bytes.min(2 * CHUNK_MIN)),
            ..Blocks::default()
        }
    }

    /// No blocks yet; a chunk cut the same as one of `last`'s (the version
    /// on screen) is that chunk, shared, when its text is the same.
    pub fn sharing(last: &Blocks) -> Blocks {
        let mut older: HashMap<_, Vec<_>> = HashMap::new();
        for chunk in &last.chunks {
            older.entry(key(chunk)).or_default().push(Arc::clone(chunk));
        }
        Blocks {
            older,
            ..Blocks::with_capacity(2 * CHUNK_MIN)
        }
    }

    /// Adds a block. Text past the arena's 4 GiB is dropped, not wrapped
    /// around (no report within the size limit comes near it).
    pub fn push(&mut self, kind: BlockKind, text: &str) {
        if self.tail.len() >= CHUNK_MAX || (self.tail.len() >= CHUNK_MIN && cuts_before(text)) {
            self.seal();
        }
        let len = self.sealed + self.tail.len();
        if let Ok(end) = u32::try_from(len + text.len() + 1) {
            self.tail.push_str(text);
            self.tail.push('\n');
            self.ends.push(end - 1);
        } else {
            // Past the end: read as empty (`text_of` checks its range).
            self.ends.push(u32::MAX);
        }
        self.kinds.push(kind);
    }

    // Cuts the tail into a chunk: the last version's, if it had this one.
    fn seal(&mut self) {
        if self.tail.is_empty() {
            return;
        }
        let same = self
            .older
            .get(&key(&self.tail))
            .and_then(|c| c.iter().find(|c| ***c == *self.tail));
        let chunk = same.map_or_else(|| Arc::from(self.tail.as_str()), Arc::clone);
        // `sealed` stays below 4 GiB: `push` keeps the text there.
        self.bases.push(self.sealed as u32);
        self.sealed += chunk.len();
        self.chunks.push(chunk);
        self.tail.clear();
    }

    /// Cuts the last chunk and gives back spare room, once every block is in.
    pub fn shrink(&mut self) {
        self.seal();
        self.tail = String::new();
        self.older = HashMap::new();
        self.chunks.shrink_to_fit();
        self.bases.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.kinds.shrink_to_fit();
    }

    /// How many blocks there are.
    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// Block `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<Block<'_>> {
        let kind = *self.kinds.get(i)?;
        Some(Block {
            kind,
            text: self.text_of(i),
        })
    }

    /// The text of block `i` (empty past the end, as for a block with none).
    pub fn text(&self, i: usize) -> &str {
        if i < self.len() { self.text_of(i) } else { "" }
    }

    /// The kind of block `i`; panics past the end, like indexing.
    pub fn kind(&self, i: usize) -> BlockKind {
        self.kinds[i]
    }

    /// Every block, in reading order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Block<'_>> + ExactSizeIterator + Clone {
        self.range(0..self.len())
    }

    /// The blocks in `range` (clamped to those there are).
    pub fn range(
        &self,
        range: Range<usize>,
    ) -> impl DoubleEndedIterator<Item = Block<'_>> + ExactSizeIterator + Clone {
        let end = range.end.min(self.len());
        (range.start.min(end)..end).map(|i| Block {
            kind: self.kinds[i],
            text: self.text_of(i),
        })
    }

    /// Every block's text, in reading order (a chunk after another, not
    /// looked for again for each of its blocks).
    pub fn texts(&self) -> impl ExactSizeIterator<Item = &str> + Clone {
        let mut at = (0, "");
        (0..self.len()).map(move |i| {
            let (start, end) = (self.start(i), self.ends[i] as usize);
            if start < at.0 || start >= at.0 + at.1.len() {
                at = self.piece_at(start);
            }
            at.1.get(start.saturating_sub(at.0)..end.saturating_sub(at.0))
                .unwrap_or("")
        })
    }

    /// Where block `i`'s text starts in the joined text (its end past the last).
    pub fn start(&self, i: usize) -> usize {
        match i.checked_sub(1).and_then(|p| self.ends.get(p)) {
            Some(&end) => end as usize + 1,
            None if i == 0 => 0,
            None => self.joined_len(),
        }
    }

    /// The block whose text or separator holds position `at` of the
    /// joined text (the last block past the end).
    pub fn holding(&self, at: usize) -> usize {
        self.ends
            .partition_point(|&e| (e as usize) < at)
            .min(self.len().saturating_sub(1))
    }

    /// The length of every block's text, each followed by `'\n'`, joined.
    pub fn joined_len(&self) -> usize {
        self.sealed + self.tail.len()
    }

    /// A reader of the joined text ([`Cursor`]).
    pub fn cursor(&self) -> Cursor<'_> {
        Cursor {
            blocks: self,
            base: 0,
            bytes: &[],
        }
    }

    /// How many chunks hold the text, and how many of them are `other`'s too.
    #[cfg(test)]
    pub fn chunks_shared_with(&self, other: &Blocks) -> (usize, usize) {
        let theirs: std::collections::HashSet<*const u8> =
            other.chunks.iter().map(|c| c.as_ptr()).collect();
        let shared = self.chunks.iter().filter(|c| theirs.contains(&c.as_ptr()));
        (self.chunks.len(), shared.count())
    }

    // Where the chunk (or tail) holding position `at` starts, and its text.
    fn piece_at(&self, at: usize) -> (usize, &str) {
        if at >= self.sealed {
            return (self.sealed, &self.tail);
        }
        let k = self.bases.partition_point(|&b| b as usize <= at) - 1;
        (self.bases[k] as usize, &self.chunks[k])
    }

    // For an `i` known to be in range: a block never crosses a chunk.
    fn text_of(&self, i: usize) -> &str {
        let (start, end) = (self.start(i), self.ends[i] as usize);
        let (base, piece) = self.piece_at(start);
        piece
            .get(start.saturating_sub(base)..end.saturating_sub(base))
            .unwrap_or("")
    }
}

/// Reads the joined text at increasing positions, remembering the chunk
/// it read last: the search folds a page in a run every few dozen bytes.
pub struct Cursor<'a> {
    blocks: &'a Blocks,
    /// Where `bytes` starts in the joined text.
    base: usize,
    bytes: &'a [u8],
}

impl<'a> Cursor<'a> {
    /// The bytes at `range` when one chunk holds them all.
    #[inline]
    pub fn get(&mut self, range: Range<usize>) -> Option<&'a [u8]> {
        if range.start < self.base || range.start >= self.base + self.bytes.len() {
            let (base, piece) = self.blocks.piece_at(range.start);
            (self.base, self.bytes) = (base, piece.as_bytes());
        }
        let lo = range.start.checked_sub(self.base)?;
        self.bytes.get(lo..range.end.checked_sub(self.base)?)
    }

    /// Calls `each` with the bytes at `range` (clamped to the text), in
    /// order, a chunk's part at a time.
    #[inline]
    pub fn each(&mut self, range: Range<usize>, mut each: impl FnMut(&'a [u8])) {
        if let Some(all) = self.get(range.clone()) {
            return each(all);
        }
        let (mut lo, hi) = (range.start, range.end.min(self.blocks.joined_len()));
        while lo < hi {
            let (base, piece) = self.blocks.piece_at(lo);
            (self.base, self.bytes) = (base, piece.as_bytes());
            let end = hi.min(base + piece.len());
            each(&self.bytes[lo - base..end - base]);
            lo = end;
        }
    }
}

/// Whether a chunk is cut before a block with text `text`: by its hash, so
/// that the next version cuts before the same blocks.
fn cuts_before(text: &str) -> bool {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish().is_multiple_of(CUT_ONE_IN)
}

/// How a chunk is looked for in the last version: its length and a hash
/// of its ends (the whole is compared when found).
fn key(chunk: &str) -> (usize, u64) {
    let b = chunk.as_bytes();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    b[..b.len().min(SAMPLE)].hash(&mut h);
    b[b.len().saturating_sub(SAMPLE)..].hash(&mut h);
    (b.len(), h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_keep_their_text_and_kind_in_order() {
        let mut b = Blocks::with_capacity(4);
        b.push(BlockKind::Title, "Één");
        b.push(BlockKind::Paragraph, "");
        b.push(BlockKind::Point { depth: 2 }, "twee drie");
        b.shrink();
        assert_eq!(b.len(), 3);
        assert_eq!(b.text(0), "Één");
        assert_eq!(b.text(1), "");
        assert_eq!(b.kind(2), BlockKind::Point { depth: 2 });
        assert_eq!(b.text(3), "", "past the end");
        assert_eq!(b.get(3), None);
        let texts: Vec<&str> = b.range(1..9).map(|x| x.text).collect();
        assert_eq!(texts, ["", "twee drie"]);
        assert_eq!(b.range(5..9).len(), 0);
        assert_eq!(b.iter().next_back().map(|x| x.kind), Some(b.kind(2)));
        assert_eq!(b.texts().collect::<String>(), "Ééntwee drie");
        let mut joined = Vec::new();
        b.cursor().each(0..99, |s| joined.extend_from_slice(s));
        assert_eq!(joined, "Één\n\ntwee drie\n".as_bytes());
        assert_eq!((b.start(1), b.start(2), b.start(3)), (6, 7, 17));
    }

    // Blocks of a report with `n` paragraphs, the `changed`th one edited.
    fn report(n: usize, changed: Option<usize>, last: Option<&Blocks>) -> Blocks {
        let mut b = last.map_or_else(|| Blocks::with_capacity(0), Blocks::sharing);
        for i in 0..n {
            let edit = if changed == Some(i) { " (herzien)" } else { "" };
            let text = format!("Alinea {i} over de inzet van de regio{edit}, met tekst erbij.");
            b.push(BlockKind::Paragraph, &text);
        }
        b.shrink();
        b
    }

    #[test]
    fn a_new_version_shares_the_chunks_an_edit_left_alone() {
        let old = report(20_000, None, None);
        let new = report(20_000, Some(10_000), Some(&old));
        let (chunks, shared) = new.chunks_shared_with(&old);
        assert!(chunks > 20, "{chunks} chunks");
        // Only the chunk around the edit (and perhaps its neighbour) is new.
        assert!(shared + 2 >= chunks, "{shared} of {chunks} shared");
        assert!(shared < chunks, "the edited chunk is not the old one");
        // The same blocks as made without the last version.
        assert_eq!(new, report(20_000, Some(10_000), None));
        assert_eq!(
            new.text(10_000),
            "Alinea 10000 over de inzet van de regio (herzien), met tekst erbij."
        );
        // Not a chunk is shared with a version that has none of its text.
        let other = report(20_000, None, None);
        let unrelated = report(5, None, Some(&other));
        assert_eq!(unrelated.chunks_shared_with(&other).1, 0);
    }

    #[test]
    fn blocks_none_of_which_cuts_are_cut_all_the_same() {
        let mut b = Blocks::with_capacity(0);
        let text = (0..)
            .map(|i| format!("blok {i}"))
            .find(|t| !cuts_before(t))
            .expect("a text that is no place to cut");
        for _ in 0..100_000 {
            b.push(BlockKind::Paragraph, &text);
        }
        b.shrink();
        assert!(
            b.chunks
                .iter()
                .all(|c| c.len() <= CHUNK_MAX + text.len() + 1)
        );
        assert!(b.chunks.len() > 1, "not one chunk");
        assert_eq!(b.text(99_999), text);
    }

    #[test]
    fn the_cursor_reads_across_chunks() {
        let b = report(3_000, None, None);
        assert!(b.chunks.len() > 2, "the text is in chunks");
        let joined: String = b.texts().map(|t| format!("{t}\n")).collect();
        assert_eq!(b.joined_len(), joined.len());
        let mut cursor = b.cursor();
        for (lo, hi) in [
            (0, 5),
            (b.bases[1] as usize - 3, b.bases[1] as usize + 3),
            (0, joined.len() + 9),
        ] {
            let mut got = Vec::new();
            cursor.each(lo..hi, |s| got.extend_from_slice(s));
            assert_eq!(
                got,
                joined.as_bytes()[lo..hi.min(joined.len())],
                "{lo}..{hi}"
            );
        }
        let boundary = b.bases[1] as usize;
        assert_eq!(cursor.get(boundary - 1..boundary + 1), None, "across a cut");
        assert_eq!(
            cursor.get(boundary..boundary + 6),
            Some(&joined.as_bytes()[boundary..boundary + 6])
        );
    }
}
