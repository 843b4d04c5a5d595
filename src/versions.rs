//! Versions of a report compared: what a version changed (the timeline's
//! counts), which decisions and actions it added, closed or changed, since
//! when a theme is unchanged, and a word-level diff of one theme. Pure:
//! the versions are loaded (from the history) by the drivers.

use std::sync::Arc;

use similar::{ChangeTag, TextDiff};

use crate::changes::{Change, Changes, Seen};
use crate::doc::{BlockKind, Doc};
use crate::history::VersionId;

/// One version in the timeline, oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Which version (the SHA-256 of its text).
    pub id: VersionId,
    /// Its number ("sitrep 14").
    pub number: Option<u32>,
    /// First, update or final.
    pub phase: Option<crate::report::Phase>,
    /// The moment it is of (Unix seconds).
    pub as_of: Option<i64>,
    /// That moment as the version writes it, when it was read.
    pub as_of_text: Option<String>,
    /// When this browser first saw it (Unix seconds).
    pub first_seen: i64,
    /// What it changed against the version before it (`None`: the first,
    /// or not compared because the versions are too large to load all).
    pub counts: Option<Counts>,
    /// Whether it is the version being shown as current.
    pub current: bool,
}

/// What one version changed against the one before it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Themes that are new, changed, removed.
    pub themes: [usize; 3],
    /// Paragraphs and points that are new, changed, removed.
    pub blocks: [usize; 3],
    /// Actions added, closed (done or accepted), changed otherwise.
    pub actions: [usize; 3],
    /// Decisions added.
    pub decisions: usize,
}

/// The timeline of a report: its versions, and per theme of the current
/// one, the number (or first-seen time) of the version since which it is
/// unchanged.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    /// Oldest first.
    pub rows: Vec<Row>,
    /// Per entry of the current version: unchanged since this version
    /// (`None`: it changed in the current one, or there is no history).
    pub unchanged_since: Vec<Option<Since>>,
    /// Per decision of the current version: the version it first appears in.
    pub decided_in: Vec<Option<Since>>,
}

/// A version named for people: by its number, else by when it was seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Since {
    /// "sitrep 13".
    Number(u32),
    /// First seen then (Unix seconds).
    Seen(i64),
}

/// What `new` changed against `old`.
pub fn compare(old: &Doc, new: &Doc) -> Counts {
    let changes = Changes::compare(new, &Seen::of(old));
    let mut counts = Counts::default();
    for c in &changes.entries {
        match c {
            Change::New => counts.themes[0] += 1,
            Change::Changed => counts.themes[1] += 1,
            Change::Same => {}
        }
    }
    counts.themes[2] = changes.removed_themes.len();
    counts.blocks = block_counts(old, new);
    let key = |doc: &Doc, a: &crate::doc::Action| (doc.title_path(a.entry), a.text.clone());
    for a in &new.actions {
        match old.actions.iter().find(|o| key(old, o) == key(new, a)) {
            None => counts.actions[0] += 1,
            Some(o) if o.open && !a.open => counts.actions[1] += 1,
            Some(o) if o != &rebase(a, o) => counts.actions[2] += 1,
            Some(_) => {}
        }
    }
    counts.decisions = new
        .decisions
        .iter()
        .filter(|d| !old.decisions.iter().any(|o| o.text == d.text))
        .count();
    counts
}

// `a` as if it were where `o` is (entries and blocks renumber between
// versions: a move is not a change).
fn rebase(a: &crate::doc::Action, o: &crate::doc::Action) -> crate::doc::Action {
    crate::doc::Action {
        entry: o.entry,
        block: o.block,
        ..a.clone()
    }
}

// What a theme's diff shows: all but its title and metadata.
fn counted(kind: BlockKind) -> bool {
    !matches!(kind, BlockKind::Title | BlockKind::Meta)
}

// Paragraphs and points new, changed and removed from `old` to `new`, theme
// by theme (by title path; a removed theme's count as removed). Actions
// and decisions are counted on their own, titles and metadata not at all.
fn block_counts(old: &Doc, new: &Doc) -> [usize; 3] {
    use similar::{Algorithm, DiffOp, capture_diff_slices};
    let texts = |doc: &Doc, i: usize| -> Vec<String> {
        doc.entry_blocks(i)
            .filter(|b| matches!(b.kind, BlockKind::Paragraph | BlockKind::Point { .. }))
            .map(|b| b.text.to_owned())
            .collect()
    };
    // Themes by the names the marks use (a repeated title path is told
    // apart by its place, "… (2)").
    let mut before = std::collections::HashMap::new();
    crate::changes::each_key(old, |i, key| {
        before.insert(key.to_owned(), i);
    });
    let mut counts = [0; 3];
    crate::changes::each_key(new, |i, key| {
        let now = texts(new, i);
        let Some(o) = before.remove(key) else {
            counts[0] += now.len();
            return;
        };
        for op in capture_diff_slices(Algorithm::Myers, &texts(old, o), &now) {
            match op {
                DiffOp::Equal { .. } => {}
                DiffOp::Insert { new_len, .. } => counts[0] += new_len,
                DiffOp::Delete { old_len, .. } => counts[2] += old_len,
                DiffOp::Replace {
                    old_len, new_len, ..
                } => {
                    counts[1] += old_len.min(new_len);
                    counts[0] += new_len.saturating_sub(old_len);
                    counts[2] += old_len.saturating_sub(new_len);
                }
            }
        }
    });
    counts[2] += before
        .into_values()
        .map(|o| texts(old, o).len())
        .sum::<usize>();
    counts
}

/// Since which version each theme of `versions`' last one is unchanged:
/// the oldest version of the unbroken run of versions, ending with the
/// current one, in which the theme reads the same. `versions` is oldest
/// first, with what to call each.
pub fn unchanged_since(versions: &[(Since, Arc<Doc>)]) -> Vec<Option<Since>> {
    let Some((_, current)) = versions.last() else {
        return Vec::new();
    };
    let seen: Vec<Seen> = versions.iter().map(|(_, d)| Seen::of(d)).collect();
    let now = &seen[seen.len() - 1];
    (0..current.entries.len())
        .map(|i| {
            let key = current.title_path(i).join(" / ");
            let mine = now.get(&key)?;
            let mut since = None;
            for (at, s) in seen.iter().enumerate().rev().skip(1) {
                if s.get(&key) != Some(mine) {
                    break;
                }
                since = Some(versions[at].0);
            }
            since
        })
        .collect()
}

/// In which version each decision of `versions`' last one first appears
/// (in the unbroken run ending with it). `versions` is oldest first.
pub fn decided_in(versions: &[(Since, Arc<Doc>)]) -> Vec<Option<Since>> {
    let Some((_, current)) = versions.last() else {
        return Vec::new();
    };
    current
        .decisions
        .iter()
        .map(|d| {
            let mut since = None;
            for (at, doc) in versions.iter().rev() {
                if !doc.decisions.iter().any(|o| o.text == d.text) {
                    break;
                }
                since = Some(*at);
            }
            since
        })
        .collect()
}

/// One line of a theme's diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffLine {
    /// What happened to the block.
    pub kind: DiffKind,
    /// Its words: unchanged, removed or added.
    pub words: Vec<(ChangeTag, String)>,
}

impl DiffLine {
    /// Its text, with the words that went `[−…]` and came `[+…]` inside a
    /// changed block (marked with `look`'s symbols), for a screen or paper.
    pub fn marked(&self, look: &crate::look::Look) -> String {
        let mut text = String::new();
        for (tag, words) in &self.words {
            match (self.kind, tag) {
                (DiffKind::Changed, ChangeTag::Delete) => {
                    text.push_str(&format!("[{}{words}]", look.removed_mark()));
                }
                (DiffKind::Changed, ChangeTag::Insert) => {
                    text.push_str(&format!("[{}{words}]", look.added_mark()));
                }
                _ => text.push_str(words),
            }
        }
        text
    }
}

/// What happened to a paragraph or point between two versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffKind {
    /// The same in both.
    Same,
    /// Only in the newer.
    Added,
    /// Only in the older.
    Removed,
    /// In both, with other words.
    Changed,
}

/// The diff of one theme, `old_entry` of `old` against `new_entry` of
/// `new`, block by block, and word by word within a block that changed.
pub fn theme_diff(
    old: &Doc,
    old_entry: Option<usize>,
    new: &Doc,
    new_entry: Option<usize>,
) -> Vec<DiffLine> {
    let texts = |doc: &Doc, entry: Option<usize>| -> Vec<String> {
        entry
            .and_then(|e| doc.entries.get(e))
            .map(|e| {
                doc.blocks
                    .range(e.blocks.clone())
                    .filter(|b| counted(b.kind))
                    .map(|b| b.text.to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let (a, b) = (texts(old, old_entry), texts(new, new_entry));
    let a_refs: Vec<&str> = a.iter().map(String::as_str).collect();
    let b_refs: Vec<&str> = b.iter().map(String::as_str).collect();
    let blocks = TextDiff::configure().diff_slices(&a_refs, &b_refs);
    let mut out = Vec::new();
    for op in blocks.ops() {
        let (old_range, new_range) = (op.old_range(), op.new_range());
        match op.tag() {
            similar::DiffTag::Equal => {
                out.extend(new_range.map(|i| line(DiffKind::Same, ChangeTag::Equal, &b[i])))
            }
            similar::DiffTag::Delete => {
                out.extend(old_range.map(|i| line(DiffKind::Removed, ChangeTag::Delete, &a[i])))
            }
            similar::DiffTag::Insert => {
                out.extend(new_range.map(|i| line(DiffKind::Added, ChangeTag::Insert, &b[i])))
            }
            similar::DiffTag::Replace => {
                // Pair the replaced blocks in order where they are alike (a
                // sentence edited); unlike ones are one removed, one added.
                let (olds, news): (Vec<usize>, Vec<usize>) =
                    (old_range.collect(), new_range.collect());
                for k in 0..olds.len().max(news.len()) {
                    match (olds.get(k), news.get(k)) {
                        (Some(&o), Some(&n)) if alike(&a[o], &b[n]) => {
                            out.push(words(&a[o], &b[n]))
                        }
                        (o, n) => {
                            out.extend(
                                o.map(|&o| line(DiffKind::Removed, ChangeTag::Delete, &a[o])),
                            );
                            out.extend(n.map(|&n| line(DiffKind::Added, ChangeTag::Insert, &b[n])));
                        }
                    }
                }
            }
        }
    }
    pair_edits(out)
}

// A block removed here and an alike one added nearby is one block edited
// (the block diff sees them apart when other blocks changed in between).
fn pair_edits(lines: Vec<DiffLine>) -> Vec<DiffLine> {
    let text = |l: &DiffLine| l.words.iter().map(|(_, w)| w.as_str()).collect::<String>();
    let mut out: Vec<DiffLine> = Vec::with_capacity(lines.len());
    let mut used = vec![false; lines.len()];
    for i in 0..lines.len() {
        if used[i] {
            continue;
        }
        if lines[i].kind == DiffKind::Removed {
            let old = text(&lines[i]);
            // The most alike of the blocks added before the next unchanged one.
            let partner = (i + 1..lines.len())
                .take_while(|&j| lines[j].kind != DiffKind::Same)
                .filter(|&j| !used[j] && lines[j].kind == DiffKind::Added)
                .map(|j| (j, similarity(&old, &text(&lines[j]))))
                .filter(|&(_, r)| r >= ALIKE)
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(j, _)| j);
            if let Some(j) = partner {
                used[j] = true;
                out.push(words(&old, &text(&lines[j])));
                continue;
            }
        }
        out.push(lines[i].clone());
    }
    out
}

/// Two blocks with at least this share of their words in common are
/// versions of one sentence.
const ALIKE: f32 = 0.6;

fn similarity(old: &str, new: &str) -> f32 {
    TextDiff::configure().diff_words(old, new).ratio()
}

fn alike(old: &str, new: &str) -> bool {
    similarity(old, new) >= ALIKE
}

fn line(kind: DiffKind, tag: ChangeTag, text: &str) -> DiffLine {
    DiffLine {
        kind,
        words: vec![(tag, text.to_string())],
    }
}

// A changed block, word by word: runs of the same tag joined.
fn words(old: &str, new: &str) -> DiffLine {
    let diff = TextDiff::configure().diff_words(old, new);
    let mut words: Vec<(ChangeTag, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        let (tag, value) = (change.tag(), change.value());
        match words.last_mut() {
            Some((t, s)) if *t == tag => s.push_str(value),
            _ => words.push((tag, value.to_string())),
        }
    }
    DiffLine {
        kind: DiffKind::Changed,
        words,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Report;

    fn doc(src: &str) -> Doc {
        Doc::new(&Report::from_toml(src, std::path::Path::new("v.toml")).expect("valid"))
    }

    const V1: &str = r#"
title = "Hoogwater"
number = 13
[[theme]]
title = "Beeld"
body = "De Maas stijgt 8 cm per uur."
points = ["Kades verzadigd.", "N280 dicht."]
decisions = ["GRIP 3."]
actions = [{ text = "Zandzakken", owner = "Brandweer", state = "in_progress" }]
[[theme]]
title = "Bevolkingszorg"
body = "Opvang in De Roerdomp."
"#;

    const V2: &str = r#"
title = "Hoogwater"
number = 14
[[theme]]
title = "Beeld"
body = "De Maas stijgt 5 cm per uur."
points = ["Kades verzadigd."]
decisions = ["GRIP 3.", "Ontruiming De Wilgen."]
actions = [{ text = "Zandzakken", owner = "Brandweer", state = "done" }, { text = "Bussen", owner = "GHOR" }]
[[theme]]
title = "Bevolkingszorg"
body = "Opvang in De Roerdomp."
[[theme]]
title = "Communicatie"
body = "Persconferentie om 16.00 uur."
"#;

    #[test]
    fn a_version_is_counted_against_the_one_before() {
        let c = compare(&doc(V1), &doc(V2));
        assert_eq!(c.themes, [1, 1, 0], "Communicatie new, Beeld changed");
        // Paragraphs and points only (actions and decisions have counts of
        // their own): Communicatie's paragraph new, Beeld's changed, the
        // N280 point removed.
        assert_eq!(c.blocks, [1, 1, 1]);
        assert_eq!(c.actions, [1, 1, 0], "Bussen added, Zandzakken done");
        assert_eq!(c.decisions, 1);
        assert_eq!(compare(&doc(V2), &doc(V2)), Counts::default());
        // Back: the N280 point is new again, and a removed theme's
        // paragraphs count as removed.
        let back = compare(&doc(V2), &doc(V1));
        assert_eq!(back.blocks, [1, 1, 1]);
        assert_eq!(back.themes, [0, 1, 1]);
        // Two themes of the same title are told apart, as the marks do.
        let twice = |second: &str| {
            doc(&format!(
                "title = \"R\"\n[[theme]]\ntitle = \"A\"\nbody = \"een\"\n[[theme]]\ntitle = \"A\"\nbody = \"{second}\"\n"
            ))
        };
        assert_eq!(compare(&twice("twee"), &twice("drie")).blocks, [0, 1, 0]);
        // An action that only moved (blocks renumber) is not changed.
        let moved = V2.replace(
            "points = [\"Kades verzadigd.\"]",
            "points = [\"Kades verzadigd.\", \"Nieuw.\"]",
        );
        assert_eq!(compare(&doc(V2), &doc(&moved)).actions, [0, 0, 0]);
    }

    #[test]
    fn a_theme_is_unchanged_since_the_oldest_version_that_reads_the_same() {
        let v = |n, src| (Since::Number(n), Arc::new(doc(src)));
        let since = unchanged_since(&[v(13, V1), v(14, V2)]);
        assert_eq!(since, vec![None, Some(Since::Number(13)), None]);
        let v3 = V2.replace("number = 14", "number = 15");
        let since = unchanged_since(&[v(13, V1), v(14, V2), v(15, &v3)]);
        assert_eq!(
            since,
            vec![
                Some(Since::Number(14)),
                Some(Since::Number(13)),
                Some(Since::Number(14))
            ]
        );
    }

    #[test]
    fn a_changed_sentence_is_diffed_word_by_word() {
        let (old, new) = (doc(V1), doc(V2));
        let d = theme_diff(&old, Some(0), &new, Some(0));
        let kinds: Vec<DiffKind> = d.iter().map(|l| l.kind).collect();
        // Paragraph, points, then decisions and actions (blocks too).
        use DiffKind::*;
        assert_eq!(kinds, [Changed, Same, Removed, Same, Changed, Added, Added]);
        assert_eq!(
            d[0].words,
            [
                (ChangeTag::Equal, "De Maas stijgt ".to_string()),
                (ChangeTag::Delete, "8".to_string()),
                (ChangeTag::Insert, "5".to_string()),
                (ChangeTag::Equal, " cm per uur.".to_string()),
            ]
        );
        let added = theme_diff(&old, None, &new, Some(2));
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].kind, DiffKind::Added);
    }
}
