//! The report prepared for display and search: sanitised once at load,
//! themes flattened into a list, their text cut into blocks.
//!
//! Everything shown on screen comes from here, so sanitising in this one place
//! guarantees the report's text never reaches the terminal as control.

use std::ops::Range;
use std::sync::Arc;

use crate::error::LoadError;
use crate::report::{Format, Phase, Pieces, Report, Stamp, Status, TaskState, Theme};
use crate::search::Index;
use crate::text::{self, hyphenate::Lang};

mod blocks;
mod flatten;

pub use blocks::{Block, Blocks, Cursor};
use flatten::{Flatten, lang_of};

/// What a block of text is, which decides how it is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// A theme's title, shown as its heading.
    Title,
    /// A paragraph of a theme's body.
    Paragraph,
    /// A bullet point; depth 0 is a top-level point.
    Point {
        /// Nesting level, 0-based (at most `report::MAX_DEPTH`; small, as
        /// there is one block per paragraph or point of a large report).
        depth: u8,
    },
    /// Who keeps the theme current, its source, update time and status.
    Meta,
    /// A decision taken.
    Decision,
    /// An agreed action; `open` until its status says it is done.
    Task {
        /// Whether it still needs doing.
        open: bool,
    },
}

/// A theme in the flattened theme list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Nesting level in the theme hierarchy, 0 for top-level themes (at
    /// most `report::MAX_DEPTH`; small, as there is one entry per theme of
    /// a large report).
    pub depth: u8,
    /// The theme's own blocks: its title first (the title is there only,
    /// [`Doc::title_of`]), then paragraphs and points (sub-themes are
    /// entries of their own).
    pub blocks: Range<usize>,
    /// When the theme was last updated (Unix seconds).
    pub updated: Option<i64>,
    /// The theme's status.
    pub status: Option<Status>,
    /// How many of its actions are still open.
    pub open_actions: u32,
    /// Said to be unchanged since the previous version.
    pub unchanged: bool,
}

/// Which version of a series of reports this is, as its header says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Version {
    /// Its number ("sitrep 14").
    pub number: Option<u32>,
    /// First, update or final.
    pub phase: Option<Phase>,
    /// The moment the picture is of.
    pub as_of: Option<Stamp>,
    /// Who prepared it, sanitised.
    pub prepared_by: Option<String>,
    /// Who approved it, sanitised.
    pub approved_by: Option<String>,
}

/// An action, with the theme it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    /// The entry (theme) it is in.
    pub entry: usize,
    /// Its block.
    pub block: usize,
    /// What is to be done, sanitised.
    pub text: String,
    /// Who does it, sanitised.
    pub owner: Option<String>,
    /// By when.
    pub due: Option<Stamp>,
    /// How far along it is, if the report says it as a state.
    pub state: Option<TaskState>,
    /// Free-text status (older reports), sanitised.
    pub status: Option<String>,
    /// Whether it still needs doing.
    pub open: bool,
}

/// A decision, with the theme it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The entry (theme) it is in.
    pub entry: usize,
    /// What was decided, sanitised.
    pub text: String,
    /// When.
    pub at: Option<Stamp>,
}

/// A report ready to show: metadata, flattened themes, blocks and search index.
pub struct Doc {
    /// Sanitised report title.
    pub title: String,
    /// Sanitised subtitle.
    pub subtitle: Option<String>,
    /// Sanitised kind of document.
    pub kind: Option<String>,
    /// Sanitised source.
    pub source: Option<String>,
    /// The date as text (YYYY-MM-DD).
    pub date: Option<String>,
    /// The report's language.
    pub lang: Lang,
    /// Sanitised classification, e.g. "Vertrouwelijk".
    pub classification: Option<String>,
    /// When the report was last updated.
    pub updated: Option<Stamp>,
    /// When the next update is due.
    pub next_update: Option<Stamp>,
    /// Themes in reading order, sub-themes after their parent.
    pub entries: Vec<Entry>,
    /// All blocks of all themes, in reading order (shared with the index).
    pub blocks: std::sync::Arc<Blocks>,
    /// The folded search index over `blocks`.
    pub index: Index,
    /// The widest list row's title with its indentation, in columns.
    pub widest_title: usize,
    /// Which version this is.
    pub version: Version,
    /// Every action of the report, in reading order.
    pub actions: Vec<Action>,
    /// Every decision of the report, in reading order.
    pub decisions: Vec<Decision>,
    /// What the report's text says that may be a slip (`--check` warns).
    pub notes: crate::report::Notes,
}

/// Counts shown by `--check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stats {
    /// Number of themes, sub-themes included.
    pub themes: usize,
    /// Number of points, nested ones included.
    pub points: usize,
    /// Number of words in all text.
    pub words: usize,
}

impl Doc {
    /// Prepares `report` for display.
    pub fn new(report: &Report) -> Doc {
        Doc::build(report, report.themes.iter())
    }

    /// Prepares `report`, freeing each theme once it is prepared: for a large
    /// report, the parsed and the prepared text are then never both whole in
    /// memory.
    pub fn from_report(mut report: Report) -> Doc {
        let themes = std::mem::take(&mut report.themes);
        Doc::build(&report, themes.into_iter())
    }

    /// Parses and prepares a report's text in one pass, each theme as soon
    /// as it is read, dropping the source before the search index is built:
    /// the least memory for a large report.
    pub fn from_source(source: String, origin: &std::path::Path) -> Result<Doc, LoadError> {
        Doc::from_source_as(source, origin, Format::of_path(origin))
    }

    /// Like [`Doc::from_source`], for a report written in `format` (a
    /// Markdown report is read whole, then prepared theme by theme).
    pub fn from_source_as(
        source: String,
        origin: &std::path::Path,
        format: Format,
    ) -> Result<Doc, LoadError> {
        let pieces = Pieces::whole(&source);
        drop(source);
        Doc::from_pieces(pieces, origin, format)
    }

    /// Like [`Doc::from_source_as`], for a text read in pieces
    /// ([`crate::report::read_pieces`]): each is dropped once its themes are
    /// prepared, so the text and what is made of it are never both whole.
    pub fn from_pieces(
        pieces: Pieces,
        origin: &std::path::Path,
        format: Format,
    ) -> Result<Doc, LoadError> {
        let mut doc = Doc::from_pieces_unsearchable(pieces, origin, format)?;
        doc.index = Index::of(&doc.blocks);
        Ok(doc)
    }

    /// Like [`Doc::from_pieces`], without the search index (an empty one):
    /// for output that does not search (`--check`, plain text, the
    /// handout), where building it was a sixth of the load.
    pub fn from_pieces_unsearchable(
        pieces: Pieces,
        origin: &std::path::Path,
        format: Format,
    ) -> Result<Doc, LoadError> {
        let (out, header) = Doc::flatten(pieces, origin, format, None)?;
        Ok(Doc::assemble(&header, out))
    }

    /// Like [`Doc::from_pieces`], with work beside the two long steps,
    /// each on a thread of its own: `with_text` while the text is parsed
    /// (keeping it in the history; it gets the pieces too, and lets go of
    /// each when done with it), `with_doc` while the search index is built
    /// (comparing with what was seen), given what `with_text` gave.
    /// `with_doc` sees the doc without its index: it must not search.
    /// `last`: the version on screen, whose text the new one shares where
    /// it is the same.
    pub fn from_pieces_with<A: Send, R>(
        pieces: Pieces,
        origin: &std::path::Path,
        format: Format,
        last: Option<&Doc>,
        with_text: impl FnOnce(Pieces) -> A + Send,
        with_doc: impl FnOnce(&Doc, &mut A) -> R,
    ) -> Result<(Doc, A, R), LoadError> {
        let (flat, a) = std::thread::scope(|s| {
            let theirs = pieces.clone();
            let a = crate::later::start(s, "keep", || with_text(theirs));
            let flat = Doc::flatten(pieces, origin, format, last.map(|d| &*d.blocks));
            (flat, a.get())
        });
        let (out, header) = flat?;
        let mut a = a;
        let mut doc = Doc::assemble(&header, out);
        let r = doc.index_beside(|doc| with_doc(doc, &mut a));
        Ok((doc, a, r))
    }

    /// A TOML report given piece by piece (a [`crate::report::Stream`]),
    /// prepared but for its search index ([`Doc::index_beside`]); about
    /// `size` bytes; `last` as for [`Doc::from_pieces_with`].
    pub fn unindexed(
        parts: impl IntoIterator<Item = (Arc<str>, Option<Arc<[usize]>>)>,
        size: usize,
        origin: &std::path::Path,
        last: Option<&Doc>,
    ) -> Result<Doc, LoadError> {
        let last = last.map(|d| &*d.blocks);
        let (out, header) = Doc::flatten_toml(parts, size, origin, last)?;
        Ok(Doc::assemble(&header, out))
    }

    /// Builds the search index on a thread of its own, doing `with`
    /// meanwhile on this one (it sees no index yet: it must not search).
    pub fn index_beside<R>(&mut self, with: impl FnOnce(&Doc) -> R) -> R {
        let (index, r) = std::thread::scope(|s| {
            let index = crate::later::start(s, "index", || Index::of(&self.blocks));
            let r = with(self);
            (index.get(), r)
        });
        self.index = index;
        r
    }

    // Parses the text and flattens its themes; the header for the rest.
    fn flatten(
        pieces: Pieces,
        origin: &std::path::Path,
        format: Format,
        last: Option<&Blocks>,
    ) -> Result<(Flatten, Report), LoadError> {
        let size = pieces.len();
        if format == Format::Markdown {
            let source = pieces.parts().concat();
            drop(pieces);
            let mut report = Report::from_markdown(&source, origin)?;
            drop(source);
            let mut out = Flatten::new(lang_of(&report), size).sharing(last);
            // Each theme freed once it is flattened.
            for theme in std::mem::take(&mut report.themes) {
                out.theme(&theme, 0);
            }
            return Ok((out, report));
        }
        Doc::flatten_toml(pieces.into_parts_with_starts(), size, origin, last)
    }

    // Parses a TOML text in pieces and flattens its themes as they come.
    fn flatten_toml(
        parts: impl IntoIterator<Item = (Arc<str>, Option<Arc<[usize]>>)>,
        size: usize,
        origin: &std::path::Path,
        last: Option<&Blocks>,
    ) -> Result<(Flatten, Report), LoadError> {
        let mut out: Option<Flatten> = None;
        let header = Report::parse_pieces(parts, origin, |report, theme| {
            // The blocks' text is about the file's, less its syntax.
            out.get_or_insert_with(|| Flatten::new(lang_of(report), size).sharing(last))
                .theme(&theme, 0);
        })?;
        let out = out.unwrap_or_else(|| Flatten::new(lang_of(&header), 0));
        Ok((out, header))
    }

    fn build<T: std::borrow::Borrow<Theme>>(
        report: &Report,
        themes: impl Iterator<Item = T>,
    ) -> Doc {
        let mut doc = Doc::of_themes(report, themes);
        doc.index = Index::of(&doc.blocks);
        doc
    }

    /// `themes` of `report` (its header), prepared on their own without a
    /// search index: a run of a report's themes, written as it is read.
    pub fn of_themes<T: std::borrow::Borrow<Theme>>(
        report: &Report,
        themes: impl Iterator<Item = T>,
    ) -> Doc {
        let mut out = Flatten::new(lang_of(report), 0);
        for theme in themes {
            out.theme(theme.borrow(), 0);
        }
        Doc::assemble(report, out)
    }

    // The doc without its search index (an empty one in its place).
    fn assemble(report: &Report, out: Flatten) -> Doc {
        let Flatten {
            entries,
            mut blocks,
            lang,
            actions,
            decisions,
            ..
        } = out;
        blocks.shrink();
        let index = Index::new::<&str>(&[]);
        let widest_title = entries
            .iter()
            .map(|e| usize::from(e.depth) * 2 + text::display_width(blocks.text(e.blocks.start)))
            .max()
            .unwrap_or(0);
        let opt = |s: &Option<String>| s.as_deref().map(text::inline).filter(|s| !s.is_empty());
        Doc {
            title: text::inline(&report.title),
            subtitle: opt(&report.subtitle),
            kind: opt(&report.kind),
            source: opt(&report.source),
            date: report.date.map(|d| d.to_string()),
            lang,
            classification: opt(&report.classification),
            updated: report.updated.clone(),
            next_update: report.next_update.clone(),
            entries,
            blocks: std::sync::Arc::new(blocks),
            index,
            widest_title,
            version: Version {
                number: report.number,
                phase: report.phase,
                as_of: report.as_of.clone(),
                prepared_by: opt(&report.prepared_by),
                approved_by: opt(&report.approved_by),
            },
            actions,
            decisions,
            notes: report.notes.clone(),
        }
    }

    /// The title of `entry` (sanitised): its first block.
    pub fn title_of(&self, entry: &Entry) -> &str {
        self.blocks.text(entry.blocks.start)
    }

    /// The title of entry `i` (empty for an index out of range).
    pub fn entry_title(&self, i: usize) -> &str {
        self.entries.get(i).map_or("", |e| self.title_of(e))
    }

    /// The blocks of entry `i` (empty for an index out of range).
    pub fn entry_blocks(
        &self,
        i: usize,
    ) -> impl DoubleEndedIterator<Item = Block<'_>> + ExactSizeIterator + Clone {
        self.blocks
            .range(self.entries.get(i).map_or(0..0, |e| e.blocks.clone()))
    }

    /// The entry that owns block `block`.
    pub fn entry_of_block(&self, block: usize) -> usize {
        self.entries
            .partition_point(|e| e.blocks.end <= block)
            .min(self.entries.len().saturating_sub(1))
    }

    /// The actions in the order lists show them: open before done, then
    /// by due time (none last), then as written.
    pub fn actions_by_due(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.actions.len()).collect();
        order.sort_by_key(|&i| {
            let a = &self.actions[i];
            (!a.open, a.due.as_ref().map_or(i64::MAX, |d| d.unix), i)
        });
        order
    }

    /// The titles from the top-level theme down to entry `i`.
    pub fn title_path(&self, i: usize) -> Vec<String> {
        let mut path = Vec::new();
        let Some(mut depth) = self.entries.get(i).map(|e| e.depth + 1) else {
            return path;
        };
        for e in self.entries[..=i].iter().rev() {
            if e.depth < depth {
                path.push(self.title_of(e).to_owned());
                depth = e.depth;
                if depth == 0 {
                    break;
                }
            }
        }
        path.reverse();
        path
    }

    /// The entry whose title path is `path`, if there is one.
    pub fn find_path(&self, path: &[String]) -> Option<usize> {
        let last = path.last()?;
        (0..self.entries.len())
            .filter(|&i| self.entry_title(i) == last)
            .find(|&i| self.title_path(i) == path)
    }

    /// Theme, point and word counts.
    pub fn stats(&self) -> Stats {
        Stats {
            themes: self.entries.len(),
            points: self
                .blocks
                .iter()
                .filter(|b| matches!(b.kind, BlockKind::Point { .. }))
                .count(),
            // A chunk after another (`iter` looks each block's up).
            words: self
                .blocks
                .texts()
                .map(|t| t.split_whitespace().count())
                .sum(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(src: &str) -> Doc {
        Doc::new(&Report::from_toml(src, std::path::Path::new("t.toml")).expect("valid"))
    }

    #[test]
    fn flattens_themes_in_reading_order_with_depth() {
        let d = doc(r#"
            title = "R"
            [[theme]]
            title = "A"
            body = "one\n\ntwo"
            points = ["p", { text = "q", points = ["r"] }]
            [[theme.theme]]
            title = "A.1"
            [[theme]]
            title = "B"
        "#);
        let titles: Vec<_> = d.entries.iter().map(|e| (d.title_of(e), e.depth)).collect();
        assert_eq!(titles, [("A", 0), ("A.1", 1), ("B", 0)]);
        let kinds: Vec<_> = d.entry_blocks(0).map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Title,
                BlockKind::Paragraph,
                BlockKind::Paragraph,
                BlockKind::Point { depth: 0 },
                BlockKind::Point { depth: 0 },
                BlockKind::Point { depth: 1 },
            ]
        );
        assert_eq!(d.entry_of_block(5), 0);
        assert_eq!(d.entry_of_block(6), 1);
        assert_eq!(d.entry_of_block(7), 2);
        assert_eq!(
            d.stats(),
            Stats {
                themes: 3,
                points: 3,
                words: 8
            }
        );
        assert_eq!(d.title_path(1), ["A", "A.1"]);
        assert_eq!(d.title_path(2), ["B"]);
        assert_eq!(d.find_path(&["A".into(), "A.1".into()]), Some(1));
        assert_eq!(d.find_path(&["A.1".into()]), None);
    }

    #[test]
    fn preparing_from_source_in_one_pass_gives_the_same_doc() {
        let path = std::path::Path::new("t.toml");
        for src in [
            crate::report::BUILTIN,
            include_str!("../examples/hoogwater.toml"),
        ] {
            let one_pass = Doc::from_source(src.to_owned(), path).expect("valid");
            let two_pass = Doc::new(&Report::from_toml(src, path).expect("valid"));
            assert_eq!(one_pass.blocks, two_pass.blocks);
            assert_eq!(one_pass.entries, two_pass.entries);
            assert_eq!(
                (one_pass.title, one_pass.lang),
                (two_pass.title, two_pass.lang)
            );
        }
        let bad = "title = \"T\"\n[[theme]]\ntitle = \"A\"\n[[theme]]\ntitel = \"B\"\n";
        let e = Doc::from_source(bad.to_owned(), path)
            .err()
            .expect("invalid");
        assert_eq!(
            e.one_line(),
            Report::from_toml(bad, path)
                .expect_err("invalid")
                .one_line()
        );
    }

    #[test]
    fn the_builtin_report_is_dutch_and_has_the_memo_themes() {
        let d = Doc::new(&Report::builtin());
        assert_eq!(d.lang, Lang::Nl);
        assert!(d.entries.iter().any(|e| d.title_of(e) == "Communicatie"));
    }
}
