//! What the reader saw, held compactly: a 100,000-theme report's state is a
//! hundred thousand names and half a million hashes, which as a map of
//! strings to vectors cost three allocations a theme (0.7x a 52 MB report
//! in memory). Here they are two arenas sorted by name, plus the few
//! themes recorded since in a small map.

use std::collections::{BTreeMap, HashSet};

/// What the reader saw: per theme (by title path), a hash of each block.
#[derive(Clone, Debug, Default)]
pub struct Seen {
    /// Every name, one after another, in order.
    names: String,
    /// Per theme, in name order: where its name and its hashes end.
    rows: Vec<Row>,
    /// Every theme's hashes, one theme after another.
    hashes: Vec<u64>,
    /// Themes recorded since the arenas were built: these win.
    newer: BTreeMap<String, Vec<u64>>,
}

#[derive(Clone, Copy, Debug, Default)]
struct Row {
    name_end: u32,
    hashes_end: u32,
}

impl Seen {
    /// Builds from themes in any order; a later duplicate name wins.
    pub fn from_themes(themes: impl IntoIterator<Item = (String, Vec<u64>)>) -> Seen {
        let mut all: Vec<(String, Vec<u64>)> = themes.into_iter().collect();
        // Stable: duplicates stay in their order, and the last one wins.
        all.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = Seen::default();
        for (name, hashes) in all {
            out.add(name, hashes);
        }
        out.shrink();
        out
    }

    /// Nothing seen yet, with room for `hashes` block hashes: read from a
    /// file of known size, the largest arena then never grows by copying
    /// (which at the peak of a start-up held it twice).
    pub fn with_room(hashes: usize) -> Seen {
        Seen {
            hashes: Vec::with_capacity(hashes),
            ..Seen::default()
        }
    }

    /// Adds a theme read from a file: in name order (as saved) it goes into
    /// the arenas; out of order or again, among the newer records, so that
    /// a later line always wins.
    pub fn add(&mut self, name: String, hashes: Vec<u64>) {
        let last = self.rows.len().checked_sub(1).map(|r| self.name(r));
        if last.is_none_or(|l| l < name.as_str()) {
            self.push(&name, &hashes);
        } else {
            self.newer.insert(name, hashes);
        }
    }

    /// Gives back what the arenas hold beyond their length.
    pub fn shrink(&mut self) {
        self.names.shrink_to_fit();
        self.rows.shrink_to_fit();
        self.hashes.shrink_to_fit();
    }

    // Appends a theme after every one held (the arenas stay in name order).
    fn push(&mut self, name: &str, hashes: &[u64]) {
        self.names.push_str(name);
        self.hashes.extend_from_slice(hashes);
        self.rows.push(Row {
            name_end: u32::try_from(self.names.len()).unwrap_or(u32::MAX),
            hashes_end: u32::try_from(self.hashes.len()).unwrap_or(u32::MAX),
        });
    }

    fn name(&self, r: usize) -> &str {
        let start = r
            .checked_sub(1)
            .map_or(0, |p| self.rows[p].name_end as usize);
        self.names
            .get(start..self.rows[r].name_end as usize)
            .unwrap_or("")
    }

    fn row_hashes(&self, r: usize) -> &[u64] {
        let start = r
            .checked_sub(1)
            .map_or(0, |p| self.rows[p].hashes_end as usize);
        self.hashes
            .get(start..self.rows[r].hashes_end as usize)
            .unwrap_or(&[])
    }

    // The arena row named `name`.
    fn row(&self, name: &str) -> Option<usize> {
        let r = self.partition(name);
        (r < self.rows.len() && self.name(r) == name).then_some(r)
    }

    // The first row whose name is not less than `name`.
    fn partition(&self, name: &str) -> usize {
        let (mut lo, mut hi) = (0, self.rows.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.name(mid) < name {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The hashes of the theme named `name`, if it was seen.
    pub fn get(&self, name: &str) -> Option<&[u64]> {
        self.get_key_value(name).map(|(_, h)| h)
    }

    /// The theme named `name` as held here (its name and hashes), if it was seen.
    pub fn get_key_value(&self, name: &str) -> Option<(&str, &[u64])> {
        match self.newer.get_key_value(name) {
            Some((n, h)) => Some((n.as_str(), h.as_slice())),
            None => self.row(name).map(|r| (self.name(r), self.row_hashes(r))),
        }
    }

    /// Records the theme named `name` as seen with these hashes.
    pub fn insert(&mut self, name: String, hashes: Vec<u64>) {
        self.newer.insert(name, hashes);
    }

    /// At least as many as [`Seen::len`], without counting: room to make
    /// for them (a table grown by doubling holds two at its peak).
    pub fn most(&self) -> usize {
        self.rows.len() + self.newer.len()
    }

    /// How many themes were seen.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether no theme was seen.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.newer.is_empty()
    }

    /// Every theme seen, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u64])> {
        self.slots().map(|(name, hashes, _)| (name, hashes))
    }

    /// Nothing found yet, to mark with [`Seen::find`].
    pub fn none_found(&self) -> Found<'_> {
        Found {
            rows: vec![false; self.rows.len()],
            newer: HashSet::new(),
        }
    }

    /// The hashes of the theme named `name`, if it was seen, marked found
    /// in `found`: a comparison finds each theme with no map of its own
    /// (4.7 MB at 100,000 themes, held while two versions are).
    pub fn find<'s>(&'s self, name: &str, found: &mut Found<'s>) -> Option<&'s [u64]> {
        if let Some((n, h)) = self.newer.get_key_value(name) {
            found.newer.insert(n.as_str());
            return Some(h);
        }
        let r = self.row(name)?;
        if let Some(f) = found.rows.get_mut(r) {
            *f = true;
        }
        Some(self.row_hashes(r))
    }

    /// The names of the themes `found` did not find, in name order.
    pub fn not_found<'s>(&'s self, found: &'s Found<'s>) -> impl Iterator<Item = &'s str> {
        self.slots().filter_map(move |(name, _, slot)| {
            let was = match slot {
                Some(r) => found.rows.get(r).copied().unwrap_or(false),
                None => found.newer.contains(name),
            };
            (!was).then_some(name)
        })
    }

    // Every theme seen, in name order, with its arena row (none for a newer record).
    fn slots(&self) -> impl Iterator<Item = (&str, &[u64], Option<usize>)> {
        fn newer_one<'a>(
            (n, h): (&'a String, &'a Vec<u64>),
        ) -> (&'a str, &'a [u64], Option<usize>) {
            (n.as_str(), h.as_slice(), None)
        }
        let mut newer = self.newer.iter().peekable();
        let mut r = 0;
        std::iter::from_fn(move || {
            let old = (r < self.rows.len()).then(|| self.name(r));
            match (old, newer.peek()) {
                (None, None) => None,
                (Some(o), Some((n, _))) if o == n.as_str() => {
                    r += 1;
                    newer.next().map(newer_one)
                }
                (Some(o), Some((n, _))) if o < n.as_str() => {
                    r += 1;
                    Some((o, self.row_hashes(r - 1), Some(r - 1)))
                }
                (Some(o), None) => {
                    r += 1;
                    Some((o, self.row_hashes(r - 1), Some(r - 1)))
                }
                _ => newer.next().map(newer_one),
            }
        })
    }
}

/// Which themes of a [`Seen`] a comparison found again.
pub struct Found<'s> {
    rows: Vec<bool>,
    newer: HashSet<&'s str>,
}

impl PartialEq for Seen {
    fn eq(&self, other: &Seen) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Seen {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_comparison_does_not_find_is_named_in_order() {
        let mut s = Seen::from_themes([
            ("A".to_string(), vec![1]),
            ("B".to_string(), vec![2]),
            ("C".to_string(), vec![3]),
        ]);
        s.insert("B".into(), vec![7]);
        s.insert("D".into(), vec![4]);
        let mut found = s.none_found();
        assert_eq!(s.find("B", &mut found), Some(&[7][..]), "the newer record");
        assert_eq!(s.find("C", &mut found), Some(&[3][..]));
        assert_eq!(s.find("E", &mut found), None);
        assert_eq!(s.not_found(&found).collect::<Vec<_>>(), ["A", "D"]);
    }

    #[test]
    fn names_are_found_in_the_arenas_and_newer_records_win() {
        let mut s = Seen::from_themes([
            ("B".to_string(), vec![2]),
            ("A".to_string(), vec![1, 1]),
            ("C".to_string(), vec![]),
            ("A".to_string(), vec![9]),
        ]);
        assert_eq!(s.get("A"), Some(&[9][..]), "a later duplicate wins");
        assert_eq!(s.get("C"), Some(&[][..]));
        assert_eq!(s.get("D"), None);
        assert_eq!(s.get(""), None);
        s.insert("B".into(), vec![3]);
        s.insert("AA".into(), vec![4]);
        assert_eq!(s.get("B"), Some(&[3][..]));
        let all: Vec<(&str, &[u64])> = s.iter().collect();
        assert_eq!(
            all,
            [("A", &[9][..]), ("AA", &[4]), ("B", &[3]), ("C", &[])]
        );
        assert_eq!(s.len(), 4);
        assert_eq!(
            s.most(),
            6,
            "A and B are in both: counted twice, never too few"
        );
        let same = Seen::from_themes(all.iter().map(|(n, h)| (n.to_string(), h.to_vec())));
        assert_eq!(same, s);
        assert!(Seen::default().is_empty());
    }
}
