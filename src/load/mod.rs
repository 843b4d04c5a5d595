//! Loading the report to show: the named file, else ./report.toml, else
//! the built-in one; with what the watcher needs to notice a change made
//! while it was being read.

use crate::changes::{Baseline, Changes, Seen};
use crate::config::Source;
use crate::doc::Doc;
use crate::error::LoadError;
use crate::report::{self, Format, Report};

mod reload;
pub use reload::{Reload, reload};

/// The report to show, and a fingerprint of the exact text that was parsed
/// (so a change during start-up is not missed).
pub struct Loaded {
    /// The prepared report.
    pub doc: Doc,
    /// A fingerprint of the text (see `report::fingerprint`); none for the built-in report.
    pub fingerprint: Option<u64>,
    /// The file's size and modification time just before it was read.
    pub before: Option<(u64, std::time::SystemTime)>,
    /// The version this text is in the report's history, when it was kept.
    pub kept: Option<crate::history::VersionId>,
}

/// Loads the report from `source`, in the format its name says.
pub fn load(source: &Source) -> Result<Loaded, LoadError> {
    load_as(source, None)
}

/// Loads the report from `source` for output that does not search
/// (`--check`, plain text, the handout): no search index is built.
pub fn load_unsearchable(source: &Source, format: Option<Format>) -> Result<Doc, LoadError> {
    match source {
        Source::File(p) => {
            let format = Format::resolve(format, p);
            Doc::from_pieces_unsearchable(read(p, format)?, p, format)
        }
        _ => load_as(source, format).map(|l| l.doc),
    }
}

/// Loads the report from `source`, in `format` when given (`--format`).
pub fn load_as(source: &Source, format: Option<Format>) -> Result<Loaded, LoadError> {
    load_keeping(source, format, false)
}

/// Like [`load_as`]; `keep`: the text is also kept in the report's history
/// (while it is in memory anyway, before it is prepared: keeping a version
/// costs no memory at the peak).
pub fn load_keeping(
    source: &Source,
    format: Option<Format>,
    keep: bool,
) -> Result<Loaded, LoadError> {
    load_comparing(source, format, keep, None).map(|(loaded, _)| loaded)
}

/// Like [`load_keeping`], also reading what the reader saw (the state file
/// `state`) and comparing the report with it. Both happen beside the work
/// they would wait for: the state is read while the report is parsed, and
/// compared while its search index is built, so remembering costs the
/// start-up next to no time.
pub fn load_comparing(
    source: &Source,
    format: Option<Format>,
    keep: bool,
    state: Option<&std::path::Path>,
) -> Result<(Loaded, Option<Baseline>), LoadError> {
    let Source::File(p) = source else {
        let doc = Doc::from_report(Report::builtin());
        let baseline = state
            .and_then(crate::state::load)
            .map(|seen| compare(&doc, seen));
        let loaded = Loaded {
            doc,
            fingerprint: None,
            before: None,
            kept: None,
        };
        return Ok((loaded, baseline));
    };
    let before = std::fs::metadata(p)
        .and_then(|m| Ok((m.len(), m.modified()?)))
        .ok();
    let format = Format::resolve(format, p);
    let text = read(p, format)?;
    let fingerprint = Some(text.fingerprint());
    let (doc, (kept, _), baseline) = match (keep, state) {
        (false, None) => (Doc::from_pieces(text, p, format)?, (None, None), None),
        // What was seen is read, then the version kept, on one thread
        // beside the parse: with a thread for each, three would share the
        // two cores of a small machine, and the parse would wait.
        (keep, state) => Doc::from_pieces_with(
            text,
            p,
            format,
            None,
            |text| {
                let seen = state.and_then(crate::state::load);
                (keep.then(|| keep_text(p, text, format)).flatten(), seen)
            },
            // A state that could not be read is nothing remembered.
            |doc, (_, seen)| seen.take().map(|seen| compare(doc, seen)),
        )?,
    };
    let loaded = Loaded {
        doc,
        fingerprint,
        before,
        kept,
    };
    Ok((loaded, baseline))
}

fn compare(doc: &Doc, seen: Seen) -> Baseline {
    let changes = Changes::compare(doc, &seen);
    Baseline { seen, changes }
}

/// Reports at least this large show their first themes while the rest is
/// read: a 52 MB report takes a second to prepare, its first screen does not.
pub const PROGRESSIVE_BYTES: u64 = 2 * 1024 * 1024;
/// How much of the file is read for the first themes.
const FIRST_BYTES: u64 = 512 * 1024;
/// How many top-level themes are shown first (a screenful of the list).
const FIRST_THEMES: usize = 24;

/// How the browser starts.
pub enum Start {
    /// With the whole report.
    Ready(Box<Loaded>),
    /// With its first themes only: the rest is to be read ([`load_as`]).
    First(Box<Doc>),
}

/// Loads the report to browse: a large TOML file only up to its first
/// themes (the caller reads the rest after the first frame), else whole
/// (and, with `keep`, kept in the history).
pub fn start(source: &Source, format: Option<Format>, keep: bool) -> Result<Start, LoadError> {
    if let Source::File(p) = source
        && Format::resolve(format, p) == Format::Toml
        && let Some(doc) = first_themes(p)
    {
        return Ok(Start::First(Box::new(doc)));
    }
    load_keeping(source, format, keep).map(|l| Start::Ready(Box::new(l)))
}

// The text of the report at `path`: a TOML report in pieces of whole
// themes, a Markdown one whole (its lines are not cut at theme headers).
pub(super) fn read(path: &std::path::Path, format: Format) -> Result<report::Pieces, LoadError> {
    match format {
        Format::Toml => report::read_pieces(path, report::MAX_BYTES),
        Format::Markdown => {
            report::read_text(path, report::MAX_BYTES).map(|t| report::Pieces::whole(&t))
        }
    }
}

// Keeps `text` in the history of `path`; its id there. Losing a version is
// not worth failing the load over.
pub(super) fn keep_text(
    path: &std::path::Path,
    text: report::Pieces,
    format: Format,
) -> Option<crate::history::VersionId> {
    let history = crate::history::History::open(path).ok()?;
    let recorded = history
        .record_pieces(
            text,
            crate::history::timeline::format_of(format),
            unix_now(),
        )
        .ok()?;
    Some(recorded.version().id)
}

// Now, in seconds since 1970 (0 before it).
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

// The report's header and first themes, when the file is large enough to
// be worth it and they parse; otherwise the whole load says what is wrong.
fn first_themes(path: &std::path::Path) -> Option<Doc> {
    use std::io::Read;
    // Opened as any report is (a foreign link is refused by the whole
    // load, which says why): its first screen is not drawn either.
    let file = report::open_checked(path, report::MAX_BYTES).ok()?;
    if file.metadata().ok()?.len() < PROGRESSIVE_BYTES {
        return None;
    }
    let mut bytes = Vec::new();
    file.take(FIRST_BYTES).read_to_end(&mut bytes).ok()?;
    let valid = match std::str::from_utf8(&bytes) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).ok()?,
    };
    let end = report::first_themes_end(valid, FIRST_THEMES)?;
    Doc::from_source_as(valid[..end].to_string(), path, Format::Toml).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: &str = "title = \"R\"\n[[theme]]\ntitle = \"A\"\nbody = \"een\"\n[[theme]]\ntitle = \"B\"\nbody = \"twee\"\n";

    #[test]
    fn what_was_seen_is_read_and_compared_with_the_report_as_it_loads() {
        let dir = tempfile::tempdir().expect("scratch directory");
        let report = dir.path().join("r.toml");
        let state = dir.path().join("state/r.seen");
        std::fs::write(&report, V1).expect("write");
        let old = load_as(&Source::File(report.clone()), None).expect("loads");
        crate::state::save(&state, &Seen::of(&old.doc)).expect("saved");
        std::fs::write(&report, V1.replace("twee", "twee, gewijzigd")).expect("write");

        let source = Source::File(report.clone());
        let (loaded, baseline) = load_comparing(&source, None, false, Some(&state)).expect("loads");
        let baseline = baseline.expect("a state was there");
        let seen = crate::state::load(&state).expect("state");
        assert_eq!(baseline.seen, seen);
        assert_eq!(baseline.changes, Changes::compare(&loaded.doc, &seen));
        assert!(baseline.changes.any(), "B changed");
        // The index was built beside the comparison: the doc searches.
        assert_eq!(loaded.doc.index.search("gewijzigd").count(), Some(1));

        // A reload is compared where it is read, with what was on screen.
        let against = crate::changes::Against {
            seen: None,
            shown: std::sync::Arc::new(old.doc),
            version: 0,
        };
        std::fs::write(&report, V1.replace("een", "een, weer")).expect("write");
        let Reload::Changed(new, _, _, Some(compared)) =
            reload(&report, Format::Toml, None, false, Some(against))
        else {
            panic!("a changed version, compared");
        };
        assert_eq!(*compared.seen, Seen::of(&compared.against.shown));
        assert_eq!(compared.changes, Changes::compare(&new, &compared.seen));
        assert!(compared.changes.any(), "A changed");

        let missing = dir.path().join("state/none.seen");
        let (_, none) = load_comparing(&source, None, false, Some(&missing)).expect("loads");
        assert!(none.is_none(), "nothing remembered");
        let (_, none) = load_comparing(&source, None, false, None).expect("loads");
        assert!(none.is_none(), "no state asked for");
    }

    #[test]
    fn a_reload_shares_the_text_it_did_not_change_with_the_version_on_screen() {
        let dir = tempfile::tempdir().expect("scratch directory");
        let report = dir.path().join("r.toml");
        let themes = |last: &str| {
            let mut s = String::from("title = \"R\"\n");
            for i in 0..400 {
                let title = if i == 399 {
                    last.to_string()
                } else {
                    format!("Thema {i}")
                };
                s += &format!(
                    "[[theme]]\ntitle = \"{title}\"\nbody = \"Tekst {i} {}\"\n",
                    "over de inzet ".repeat(20)
                );
            }
            s
        };
        std::fs::write(&report, themes("Laatste")).expect("write");
        let old = std::sync::Arc::new(
            load_as(&Source::File(report.clone()), None)
                .expect("loads")
                .doc,
        );
        std::fs::write(&report, themes("Herzien")).expect("write");
        let against = crate::changes::Against {
            seen: None,
            shown: std::sync::Arc::clone(&old),
            version: 0,
        };
        let Reload::Changed(new, ..) = reload(&report, Format::Toml, None, false, Some(against))
        else {
            panic!("a changed version");
        };
        let (chunks, shared) = new.blocks.chunks_shared_with(&old.blocks);
        assert!(chunks > 3, "{chunks} chunks");
        assert_eq!(shared, chunks - 1, "all but the last theme's chunk shared");
        assert_eq!(new.title_of(new.entries.last().expect("themes")), "Herzien");
        // Without the version on screen, nothing is shared.
        let Reload::Changed(alone, ..) = reload(&report, Format::Toml, None, false, None) else {
            panic!("a changed version");
        };
        assert_eq!(alone.blocks.chunks_shared_with(&old.blocks).1, 0);
        assert_eq!(alone.blocks, new.blocks);
    }

    #[test]
    fn a_large_report_behind_a_link_of_another_user_shows_not_even_its_first_themes() {
        let dir = tempfile::tempdir().expect("scratch directory");
        let mut text = String::from("title = \"R\"\n");
        while text.len() < PROGRESSIVE_BYTES as usize + 1000 {
            text += "[[theme]]\ntitle = \"Geheim\"\nbody = \"alleen voor root\"\n";
        }
        let (secret, link) = (dir.path().join("secret.toml"), dir.path().join("r.toml"));
        std::fs::write(&secret, &text).expect("write");
        std::os::unix::fs::symlink(&secret, &link).expect("symlink");
        assert!(matches!(
            start(&Source::File(link.clone()), None, false),
            Ok(Start::First(_))
        ));
        if std::os::unix::fs::lchown(&link, Some(65534), Some(65534)).is_err() {
            // Not root: no other user's link can be made here.
            return;
        }
        let started = start(&Source::File(link), None, false);
        assert!(
            matches!(started, Err(LoadError::ForeignLink { .. })),
            "refused whole"
        );
    }
}
