//! What changed since the reader last saw the report: new themes, and within
//! a theme the paragraphs and points whose text differs, found by a diff at
//! block granularity (the `similar` crate) over stable hashes of the blocks.

mod seen;

use std::collections::HashSet;

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::doc::Doc;

pub use seen::Seen;

/// How a theme compares with what the reader saw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Change {
    /// As seen.
    #[default]
    Same,
    /// Its text changed.
    Changed,
    /// It was not there.
    New,
}

/// The comparison of a report with what the reader saw.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Per entry.
    pub entries: Vec<Change>,
    /// Per block: whether it is new or changed.
    pub blocks: Vec<bool>,
    /// Per entry: how many of the paragraphs and points the reader saw are gone.
    pub removed: Vec<usize>,
    /// Themes the reader saw that are gone (their title paths).
    pub removed_themes: Vec<String>,
}

impl Seen {
    /// What a reader sees in `doc`.
    pub fn of(doc: &Doc) -> Seen {
        Seen::from_themes((0..doc.entries.len()).map(|i| (key(doc, i), hashes(doc, i))))
    }

    /// Records that the reader has now seen entry `i` of `doc` as it is.
    pub fn record(&mut self, doc: &Doc, i: usize) {
        if i < doc.entries.len() {
            self.insert(key(doc, i), hashes(doc, i));
        }
    }
}

impl Changes {
    /// Compares `doc` with what was `seen`.
    pub fn compare(doc: &Doc, seen: &Seen) -> Changes {
        let mut changes = Changes::unchanged(doc);
        // The names of the seen themes still there, borrowed: no second
        // copy of every name.
        let mut kept: HashSet<&str> = HashSet::new();
        for (i, entry) in doc.entries.iter().enumerate() {
            let Some((name, old)) = seen.get_key_value(&key(doc, i)) else {
                changes.entries[i] = Change::New;
                changes.blocks[entry.blocks.clone()].fill(true);
                continue;
            };
            kept.insert(name);
            let new = hashes(doc, i);
            for op in capture_diff_slices(Algorithm::Myers, old, &new) {
                match op {
                    DiffOp::Equal { .. } => {}
                    DiffOp::Delete { old_len, .. } => {
                        changes.entries[i] = Change::Changed;
                        changes.removed[i] += old_len;
                    }
                    DiffOp::Insert {
                        new_index, new_len, ..
                    } => {
                        changes.entries[i] = Change::Changed;
                        let start = entry.blocks.start + new_index;
                        changes.blocks[start..start + new_len].fill(true);
                    }
                    DiffOp::Replace {
                        old_len,
                        new_index,
                        new_len,
                        ..
                    } => {
                        changes.entries[i] = Change::Changed;
                        changes.removed[i] += old_len.saturating_sub(new_len);
                        let start = entry.blocks.start + new_index;
                        changes.blocks[start..start + new_len].fill(true);
                    }
                }
            }
        }
        changes.removed_themes = seen
            .iter()
            .filter(|(name, _)| !kept.contains(name))
            .map(|(name, _)| name.to_owned())
            .collect();
        changes
    }

    /// Nothing changed: every theme and block as seen.
    pub fn unchanged(doc: &Doc) -> Changes {
        Changes {
            entries: vec![Change::Same; doc.entries.len()],
            blocks: vec![false; doc.blocks.len()],
            removed: vec![0; doc.entries.len()],
            removed_themes: Vec::new(),
        }
    }

    /// Whether anything changed at all.
    pub fn any(&self) -> bool {
        self.entries.iter().any(|c| *c != Change::Same) || !self.removed_themes.is_empty()
    }
}

fn hashes(doc: &Doc, i: usize) -> Vec<u64> {
    doc.entry_blocks(i).iter().map(|b| fnv1a(&b.text)).collect()
}

fn key(doc: &Doc, i: usize) -> String {
    doc.title_path(i).join(" / ")
}

// FNV-1a: tiny and, unlike std's hasher, stable across Rust versions, which
// a file kept between runs needs.
pub(crate) fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Report;

    fn doc(src: &str) -> Doc {
        Doc::new(&Report::from_toml(src, std::path::Path::new("t.toml")).expect("valid"))
    }

    const V1: &str = r#"
        title = "R"
        [[theme]]
        title = "A"
        body = "one\n\ntwo"
        points = ["p", "q", "r"]
        [[theme]]
        title = "B"
    "#;

    #[test]
    fn an_unchanged_report_marks_nothing() {
        let d = doc(V1);
        let c = Changes::compare(&d, &Seen::of(&d));
        assert!(!c.any());
        assert!(c.blocks.iter().all(|b| !b));
    }

    #[test]
    fn a_changed_point_is_marked_alone() {
        let old = doc(V1);
        let new = doc(&V1.replace("\"q\"", "\"q, revised\""));
        let c = Changes::compare(&new, &Seen::of(&old));
        assert_eq!(c.entries, [Change::Changed, Change::Same]);
        let marked: Vec<&str> = new
            .blocks
            .iter()
            .zip(&c.blocks)
            .filter(|(_, m)| **m)
            .map(|(b, _)| &*b.text)
            .collect();
        assert_eq!(marked, ["q, revised"]);
    }

    #[test]
    fn new_themes_and_inserted_paragraphs_are_marked() {
        let old = doc(V1);
        let new = doc(&V1
            .replace("one\\n\\ntwo", "one\\n\\ninserted\\n\\ntwo")
            .replace("title = \"B\"", "title = \"B\"\n[[theme]]\ntitle = \"C\""));
        let c = Changes::compare(&new, &Seen::of(&old));
        assert_eq!(c.entries, [Change::Changed, Change::Same, Change::New]);
        let marked: Vec<&str> = new
            .blocks
            .iter()
            .zip(&c.blocks)
            .filter(|(_, m)| **m)
            .map(|(b, _)| &*b.text)
            .collect();
        assert_eq!(marked, ["inserted", "C"]);
    }

    #[test]
    fn a_removed_point_marks_the_theme_changed_and_is_counted() {
        let old = doc(V1);
        let new = doc(&V1.replace(", \"r\"", ""));
        let c = Changes::compare(&new, &Seen::of(&old));
        assert_eq!(c.entries[0], Change::Changed);
        assert_eq!(c.removed, [1, 0]);
        assert!(c.blocks.iter().all(|b| !b), "nothing new to mark");
    }

    #[test]
    fn a_removed_theme_is_named() {
        let old = doc(V1);
        let new = doc(&V1.replace("[[theme]]\n        title = \"B\"", ""));
        let c = Changes::compare(&new, &Seen::of(&old));
        assert_eq!(c.removed_themes, ["B"]);
        assert!(c.any());
    }

    #[test]
    fn hashes_are_stable() {
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
