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
    /// All texts, one after the other.
    text: String,
    /// Where each block's text ends in `text` (it starts where the one
    /// before ends). u32: a report is at most 64 MB, and its blocks are
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
        if let Ok(end) = u32::try_from(self.text.len() + text.len()) {
            self.text.push_str(text);
            self.ends.push(end);
        } else {
            self.ends.push(self.ends.last().copied().unwrap_or(0));
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

    // For an `i` known to be in range.
    fn text_of(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
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
    }
}
