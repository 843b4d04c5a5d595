//! What changed since the reader last saw the report: new themes, and within
//! a theme the paragraphs and points whose text differs, found by a diff at
//! block granularity (the `similar` crate) over stable hashes of the blocks.

mod seen;

use std::collections::HashMap;
use std::sync::Arc;

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

/// What the reader saw last time, and how a report compares with it
/// (compared where the report was prepared, off the reader's thread).
#[derive(Clone, Debug)]
pub struct Baseline {
    /// What was seen.
    pub seen: Seen,
    /// The report it was compared with, against it.
    pub changes: Changes,
}

/// What a reload is to be compared with, taken as it starts: what was seen
/// (none: the version on screen is the baseline), that version, and how
/// often what was seen had changed. A theme seen meanwhile makes the
/// comparison out of date, and the reader's thread compares again.
#[derive(Clone)]
pub struct Against {
    /// What was seen, if anything was remembered.
    pub seen: Option<Arc<Seen>>,
    /// The version on screen.
    pub shown: Arc<Doc>,
    /// The version of what was seen.
    pub version: u64,
}

/// A new version compared with [`Against`], where it was prepared.
#[derive(Clone)]
pub struct Compared {
    /// What it was compared with.
    pub against: Against,
    /// What was seen (the version on screen's own, if nothing was remembered).
    pub seen: Arc<Seen>,
    /// The new version against it.
    pub changes: Changes,
}

impl Against {
    /// Compares `new` with it.
    pub fn compare(self, new: &Doc) -> Compared {
        self.compare_with(new, None)
    }

    /// Like [`Against::compare`]; `own`: what the version on screen shows,
    /// made already, for when nothing was remembered.
    pub fn compare_with(self, new: &Doc, own: Option<Arc<Seen>>) -> Compared {
        let seen = self
            .seen
            .clone()
            .or(own)
            .unwrap_or_else(|| Arc::new(Seen::of(&self.shown)));
        let changes = Changes::compare(new, &seen);
        Compared {
            against: self,
            seen,
            changes,
        }
    }

    /// Whether it still holds: the same version on screen, and what was
    /// seen as it was.
    pub fn holds(&self, shown: &Arc<Doc>, seen: Option<&Arc<Seen>>, version: u64) -> bool {
        let same_seen = match (&self.seen, seen) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        same_seen && version == self.version && Arc::ptr_eq(&self.shown, shown)
    }
}

impl Seen {
    /// What a reader sees in `doc`.
    pub fn of(doc: &Doc) -> Seen {
        let mut themes = Vec::with_capacity(doc.entries.len());
        each_key(doc, |i, key| themes.push((key.to_owned(), hashes(doc, i))));
        Seen::from_themes(themes)
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
        // Found by a search through the sorted names, not in a map made for
        // it: a reload compares while two versions are in memory.
        let mut found = seen.none_found();
        let mut new = Vec::new();
        each_key(doc, |i, key| {
            let entry = &doc.entries[i];
            let Some(old) = seen.find(key, &mut found) else {
                changes.entries[i] = Change::New;
                changes.blocks[entry.blocks.clone()].fill(true);
                return;
            };
            new.clear();
            new.extend(doc.entry_blocks(i).map(|b| fnv1a(b.text)));
            if old == new.as_slice() {
                return;
            }
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
        });
        // In name order, as the seen themes are.
        changes.removed_themes = seen.not_found(&found).map(str::to_owned).collect();
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
    doc.entry_blocks(i).map(|b| fnv1a(b.text)).collect()
}

// A theme's name: its title path, joined; a second theme of the same path
// is "… (2)", a third "… (3)": each is compared with itself, not all with
// the last one remembered (which marked the others changed on every run).
fn key(doc: &Doc, i: usize) -> String {
    let mut name = String::new();
    let mut hashes = Vec::with_capacity(i + 1);
    each_path_to(doc, i + 1, |j, path, hash| {
        hashes.push(hash);
        if j == i {
            let before = hashes[..i].iter().filter(|&&h| h == hash).count();
            name = finished(path, hash, before + 1).into_owned();
        }
    });
    name
}

/// Every theme's name (as the marks know it) in reading order.
pub(crate) fn each_key(doc: &Doc, mut f: impl FnMut(usize, &str)) {
    // Which paths occur more than once: only those are counted.
    let mut hashes = Vec::with_capacity(doc.entries.len());
    each_path(doc, |_, _, hash| hashes.push(hash));
    let mut sorted = hashes.clone();
    sorted.sort_unstable();
    let repeated: std::collections::HashSet<u64> = sorted
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0])
        .collect();
    let mut counts: HashMap<u64, usize> = HashMap::new();
    each_path(doc, |i, path, hash| {
        let occurrence = if repeated.contains(&hash) {
            let n = counts.entry(hash).or_insert(0);
            *n += 1;
            *n
        } else {
            1
        };
        f(i, &finished(path, hash, occurrence));
    });
}

/// Names longer than this (bytes) are kept as their start and a digest of
/// the whole. A name repeats every parent's title, so a report of long
/// titles and many sub-themes made a state (and the memory to hold it) of
/// the square of its size: 1 GB for a 295 KB report.
const NAME_MAX: usize = 256;

// The name of the `occurrence`-th theme of title path `path` (whose hash is
// `hash`): the path, "(2)" after it for a second, bounded in length.
fn finished(path: &str, hash: u64, occurrence: usize) -> std::borrow::Cow<'_, str> {
    let suffix = if occurrence > 1 {
        format!(" ({occurrence})")
    } else {
        String::new()
    };
    if path.len() + suffix.len() <= NAME_MAX {
        return if suffix.is_empty() {
            std::borrow::Cow::Borrowed(path)
        } else {
            std::borrow::Cow::Owned(format!("{path}{suffix}"))
        };
    }
    let mut cut = NAME_MAX - 24;
    while !path.is_char_boundary(cut) {
        cut -= 1;
    }
    let digest = fnv1a_on(hash, &suffix);
    std::borrow::Cow::Owned(format!("{}…#{digest:016x}", &path[..cut]))
}

// Every theme's title path, joined, in reading order, with its FNV-1a
// hash. Each is built from its parent's, the hash too: a title path walks
// back through all the siblings before it (for a theme of a thousand
// sub-themes, a million steps), and hashing each whole path anew costs its
// length again for every sub-theme.
fn each_path(doc: &Doc, mut f: impl FnMut(usize, &str, u64)) {
    each_path_to(doc, doc.entries.len(), &mut f);
}

// [`each_path`] for the first `n` entries.
fn each_path_to(doc: &Doc, n: usize, mut f: impl FnMut(usize, &str, u64)) {
    let mut name = String::new();
    // At each depth of the current path: where its name ends, and its hash.
    let mut ends: Vec<(usize, u64)> = Vec::new();
    for (i, entry) in doc.entries.iter().enumerate().take(n) {
        let depth = usize::from(entry.depth).min(ends.len());
        ends.truncate(depth);
        let (end, mut hash) = ends.last().copied().unwrap_or((0, FNV_OFFSET));
        name.truncate(end);
        if depth > 0 {
            name.push_str(" / ");
            hash = fnv1a_on(hash, " / ");
        }
        let title = doc.title_of(entry);
        name.push_str(title);
        hash = fnv1a_on(hash, title);
        ends.push((name.len(), hash));
        f(i, &name, hash);
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

// FNV-1a of `s` continued from `hash` (the hash of what came before it).
fn fnv1a_on(hash: u64, s: &str) -> u64 {
    s.bytes().fold(hash, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

// FNV-1a: tiny and, unlike std's hasher, stable across Rust versions, which
// a file kept between runs needs.
pub(crate) fn fnv1a(s: &str) -> u64 {
    fnv1a_on(FNV_OFFSET, s)
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
            .map(|(b, _)| b.text)
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
            .map(|(b, _)| b.text)
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
    fn names_built_in_one_pass_are_the_title_paths() {
        let d = doc(r#"
            title = "R"
            [[theme]]
            title = "A"
            [[theme.theme]]
            title = "A1"
            [[theme.theme.theme]]
            title = "A1a"
            [[theme.theme]]
            title = "A2"
            [[theme]]
            title = "B"
            [[theme]]
            title = "A / A1"
            [[theme]]
            title = "B"
        "#);
        let mut names = Vec::new();
        each_key(&d, |i, name| names.push((name.to_owned(), key(&d, i))));
        let (built, joined): (Vec<String>, Vec<String>) = names.into_iter().unzip();
        assert_eq!(
            built,
            [
                "A",
                "A / A1",
                "A / A1 / A1a",
                "A / A2",
                "B",
                "A / A1 (2)",
                "B (2)"
            ]
        );
        assert_eq!(
            built, joined,
            "one pass names them as one theme at a time does"
        );
    }

    #[test]
    fn a_theme_named_twice_is_compared_with_itself() {
        let src = "title = \"R\"\n[[theme]]\ntitle = \"A\"\nbody = \"x\"\n[[theme]]\ntitle = \"A\"\nbody = \"y\"\n";
        let old = doc(src);
        let new = doc(&src.replace("\"y\"", "\"z\""));
        // Each is compared with itself: an unchanged report marks nothing…
        assert!(!Changes::compare(&old, &Seen::of(&old)).any());
        // …and a change to the second marks the second only.
        let c = Changes::compare(&new, &Seen::of(&old));
        assert_eq!(c.entries, [Change::Same, Change::Changed]);
        assert!(c.removed_themes.is_empty());
        // A theme seen, recorded by itself, is the same name.
        let mut seen = Seen::default();
        seen.record(&old, 1);
        assert_eq!(seen.iter().map(|(n, _)| n).collect::<Vec<_>>(), ["A (2)"]);
    }

    #[test]
    fn long_names_are_bounded_and_still_compared() {
        let long = "Lang ".repeat(2000);
        let mut src = format!("title = \"R\"\n[[theme]]\ntitle = \"{long}\"\n");
        for k in 0..50 {
            src.push_str(&format!(
                "[[theme.theme]]\ntitle = \"Sub {k}\"\nbody = \"b{k}\"\n"
            ));
        }
        let old = doc(&src);
        let seen = Seen::of(&old);
        assert!(
            seen.iter().all(|(name, _)| name.len() <= NAME_MAX),
            "bounded names"
        );
        assert_eq!(seen.len(), 51, "each its own");
        assert!(!Changes::compare(&old, &seen).any());
        let new = doc(&src.replace("\"b7\"", "\"b7, gewijzigd\""));
        let c = Changes::compare(&new, &seen);
        assert_eq!(
            c.entries.iter().filter(|e| **e == Change::Changed).count(),
            1
        );
        assert_eq!(c.entries[8], Change::Changed, "Sub 7, the ninth entry");
        // A theme recorded alone has the name the whole pass gives it.
        let mut in_pass = String::new();
        each_key(&old, |i, name| {
            if i == 8 {
                in_pass = name.to_owned();
            }
        });
        let mut one = Seen::default();
        one.record(&old, 8);
        assert_eq!(one.iter().next().map(|(n, _)| n), Some(in_pass.as_str()));
        assert!(in_pass.len() <= NAME_MAX);
    }

    #[test]
    fn hashes_are_stable() {
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
