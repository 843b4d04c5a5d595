//! A report's blocks with their text in one arena: a block is two small
//! numbers, not an allocation of its own. A 52 MB report has half a million
//! blocks, and a boxed string each cost 24 bytes of slot plus the
//! allocator's header and rounding: a fifth of the file.

use std::ops::Range;

use super::BlockKind;

/// A unit of text: the smallest thing that wraps and that search reports in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block<'a> {
    /// How it is laid out.
    pub kind: BlockKind,
    /// Its sanitised, whitespace-collapsed text.
    pub text: &'a str,
}

/// Every block of a report, in reading order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Blocks {
    /// All texts, each followed by `'\n'` (which no block's collapsed text
    /// holds): search folds a page from here in runs that cross blocks.
    text: String,
    /// Where each block's text ends in `text` (it starts one byte after the
    /// one before ends). u32: a report is at most 64 MB, and its blocks are
    /// never longer than its text and labels.
    ends: Vec<u32>,
    /// Each block's kind.
    kinds: Vec<BlockKind>,
}

impl Blocks {
    /// No blocks, room for about `bytes` of text.
    pub fn with_capacity(bytes: usize) -> Blocks {
        Blocks {
            text: String::with_capacity(bytes),
            ..Blocks::default()
        }
    }

    /// Adds a block. Text past the arena's 4 GiB is dropped, not wrapped
    /// around (no report within the size limit comes near it).
    pub fn push(&mut self, kind: BlockKind, text: &str) {
        if let Ok(end) = u32::try_from(self.text.len() + text.len() + 1) {
            self.text.push_str(text);
            self.text.push('\n');
            self.ends.push(end - 1);
        } else {
            // Past the end: read as empty (`text_of` checks its range).
            self.ends.push(u32::MAX);
        }
        self.kinds.push(kind);
    }

    /// Gives back spare room, once every block is in.
    pub fn shrink(&mut self) {
        // Only when worth a copy: a close fit is kept as it is.
        if self.text.capacity() > self.text.len() + self.text.len() / 8 {
            self.text.shrink_to_fit();
        }
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

    /// Every block's text, in reading order.
    pub fn texts(&self) -> impl ExactSizeIterator<Item = &str> + Clone {
        (0..self.len()).map(|i| self.text_of(i))
    }

    /// Where block `i`'s text starts in [`Blocks::joined`] (its end past the last).
    pub fn start(&self, i: usize) -> usize {
        match i.checked_sub(1).and_then(|p| self.ends.get(p)) {
            Some(&end) => end as usize + 1,
            None if i == 0 => 0,
            None => self.text.len(),
        }
    }

    /// The block whose text or separator holds position `at` of
    /// [`Blocks::joined`] (the last block past the end).
    pub fn holding(&self, at: usize) -> usize {
        self.ends
            .partition_point(|&e| (e as usize) < at)
            .min(self.len().saturating_sub(1))
    }

    /// Every block's text, each followed by `'\n'`, as one string.
    pub fn joined(&self) -> &str {
        &self.text
    }

    // For an `i` known to be in range.
    fn text_of(&self, i: usize) -> &str {
        self.text
            .get(self.start(i)..self.ends[i] as usize)
            .unwrap_or("")
    }
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
        assert_eq!(b.joined(), "Één\n\ntwee drie\n");
        assert_eq!((b.start(1), b.start(2), b.start(3)), (6, 7, 17));
    }
}
