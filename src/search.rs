//! TEMPORARY STUB until the real search module lands.
use std::ops::Range;
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit { pub block: usize, pub range: Range<usize> }
pub fn fold(s: &str) -> String { s.to_lowercase() }
pub struct Index { blocks: Vec<String> }
#[derive(Clone, Debug, Default)]
pub struct Matches { query: String, hits: Vec<Hit> }
impl Index {
    pub fn new<S: AsRef<str>>(blocks: &[S]) -> Index { Index { blocks: blocks.iter().map(|b| fold(b.as_ref())).collect() } }
    pub fn blocks(&self) -> usize { self.blocks.len() }
    pub fn search(&self, query: &str) -> Matches {
        let q = fold(query);
        let mut hits = Vec::new();
        if !q.trim().is_empty() {
            for (i, b) in self.blocks.iter().enumerate() {
                for (s, m) in b.match_indices(&q) { hits.push(Hit { block: i, range: s..s + m.len() }); }
            }
        }
        Matches { query: q, hits }
    }
    pub fn refine(&self, _prev: &Matches, query: &str) -> Matches { self.search(query) }
    pub fn hit(&self, m: &Matches, i: usize) -> Hit { m.hits[i].clone() }
}
impl Matches {
    pub fn len(&self) -> usize { self.hits.len() }
    pub fn is_empty(&self) -> bool { self.hits.is_empty() }
    pub fn query(&self) -> &str { &self.query }
    pub fn in_blocks(&self, _index: &Index, blocks: Range<usize>) -> Range<usize> {
        let a = self.hits.partition_point(|h| h.block < blocks.start);
        let b = self.hits.partition_point(|h| h.block < blocks.end);
        a..b
    }
    pub fn first_from(&self, _index: &Index, block: usize, offset: usize) -> Option<usize> {
        let i = self.hits.partition_point(|h| (h.block, h.range.start) < (block, offset));
        (i < self.hits.len()).then_some(i)
    }
}
