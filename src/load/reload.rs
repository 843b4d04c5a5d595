//! Reading the report again when it changed, while the version on screen
//! stays there, usable: the new version shares the text it did not change
//! with it, and a TOML report is parsed as it is read, never whole in
//! memory beside both versions.

use std::sync::Arc;

use sha2::Digest;

use super::{keep_text, read};
use crate::doc::Doc;
use crate::error::LoadError;
use crate::history::{Recording, VersionId};
use crate::report::{self, Format, Stream};

/// What reading the report again found.
pub enum Reload {
    /// The same text as last time (an editor touched the file).
    Unchanged,
    /// A new version, its text's fingerprint, its id in the history when
    /// it was kept, and how it compares with what the reader saw.
    Changed(
        Box<Doc>,
        u64,
        Option<crate::history::VersionId>,
        Option<crate::changes::Compared>,
    ),
    /// It cannot be used now (the last good version stays on screen).
    Failed(LoadError),
}

/// Reads `path` again as `format`; `last` is the fingerprint of the text
/// now shown; `keep`: a new version is kept in the history; `against`: what
/// the new version is compared with, while its index is built (not on the
/// reader's thread, where it took 120–230 ms at 52 MB).
pub fn reload(
    path: &std::path::Path,
    format: Format,
    last: Option<u64>,
    keep: bool,
    against: Option<crate::changes::Against>,
) -> Reload {
    // What the version on screen shows, when nothing was remembered, is
    // made before the new version is read: made beside it, it and its
    // makings were in memory with both versions (0.4x the file at 52 MB).
    // An editor's save without a change wastes it, on this thread.
    let own = against
        .as_ref()
        .filter(|a| a.seen.is_none())
        .map(|a| Arc::new(crate::changes::Seen::of(&a.shown)));
    if own.is_some() {
        // Making it leaves a theme's worth of small allocations each, freed
        // but resident: as much again as it holds.
        crate::sys::release_free_memory();
    }
    let shown = against.as_ref().map(|a| Arc::clone(&a.shown));
    if format == Format::Toml {
        // No history to keep it in is nothing kept, as at start.
        let history = keep
            .then(|| crate::history::History::open(path).ok())
            .flatten();
        return match reload_toml(path, last, history.as_ref(), shown.as_deref()) {
            Ok(Some((mut doc, fingerprint, kept))) => {
                let (kept, compared) = doc.index_beside(|doc| {
                    let kept = history.as_ref().and_then(|h| kept.id(h));
                    (kept, against.map(|a| a.compare_with(doc, own)))
                });
                Reload::Changed(Box::new(doc), fingerprint, kept, compared)
            }
            Ok(None) => Reload::Unchanged,
            Err(e) => Reload::Failed(e),
        };
    }
    // A Markdown report is read whole (its lines are not cut at theme
    // headers), then prepared theme by theme.
    let text = match read(path, format) {
        Ok(t) => t,
        Err(e) => return Reload::Failed(e),
    };
    let fingerprint = text.fingerprint();
    if Some(fingerprint) == last {
        return Reload::Unchanged;
    }
    // Kept beside the parse: compressing a 52 MB version takes as long.
    let prepared = Doc::from_pieces_with(
        text,
        path,
        format,
        shown.as_deref(),
        |text| keep.then(|| keep_text(path, text, format)).flatten(),
        |doc, _| against.map(|a| a.compare_with(doc, own)),
    );
    match prepared {
        Ok((doc, kept, compared)) => Reload::Changed(Box::new(doc), fingerprint, kept, compared),
        Err(e) => Reload::Failed(e),
    }
}

/// How often a report that changes while it is read is read again.
const TRIES: usize = 3;

// The TOML report at `path` read and prepared piece by piece, but for its
// search index; with its fingerprint and, with a `history`, how it is
// kept there. `None` when it is the text with fingerprint `last`.
fn reload_toml(
    path: &std::path::Path,
    last: Option<u64>,
    history: Option<&crate::history::History>,
    shown: Option<&Doc>,
) -> Result<Option<(Doc, u64, Kept)>, LoadError> {
    // An editor's save without a change costs a read, not a parse; nor
    // does a text kept already (an edit undone) cost compressing it again.
    let mut id = history.as_ref().map(|_| sha2::Sha256::new());
    let first = report::fingerprint_file(path, report::MAX_BYTES, |chunk| {
        if let Some(id) = id.as_mut() {
            id.update(chunk);
        }
    })?;
    if Some(first) == last {
        return Ok(None);
    }
    let mut known = id.map(|id| VersionId(id.finalize().into())).filter(|id| {
        let versions = history.map(|h| h.list());
        versions.is_some_and(|v| v.is_ok_and(|v| v.iter().any(|v| v.id == *id)))
    });
    for _ in 0..TRIES {
        // Where a new version's compressed text waits for its name.
        let spool = history.filter(|_| known.is_none()).map(|h| h.dir());
        // A text found kept is hashed again as it is parsed: it is that
        // version only if it is the same text.
        let mut again = known.map(|_| sha2::Sha256::new());
        let size = std::fs::metadata(path).map_or(0, |m| m.len() as usize);
        let (read, recording) = reading_kept(spool, |each| {
            let mut hashed = |piece: &Arc<str>| {
                if let Some(again) = again.as_mut() {
                    again.update(piece.as_bytes());
                }
                each(piece);
            };
            let mut stream = Stream::open(path, report::MAX_BYTES, &mut hashed)?;
            let doc = Doc::unindexed(&mut stream, size, path, shown);
            Ok::<_, LoadError>((doc, stream.finish()))
        });
        let (doc, end) = read?;
        // A change while it was read: what was parsed may be torn.
        let Some(fingerprint) = end? else { continue };
        if Some(fingerprint) == last {
            return Ok(None);
        }
        let again = again.map(|a| VersionId(a.finalize().into()));
        let kept = match (recording, known, again) {
            (Some(r), ..) => Kept::New(Box::new(r)),
            (None, Some(id), Some(again)) if again == id => Kept::Known(id),
            // Changed after it was found kept: read again, to keep it.
            (None, Some(_), _) => {
                known = None;
                continue;
            }
            (None, None, _) => Kept::Not,
        };
        return match doc {
            Ok(doc) => Ok(Some((doc, fingerprint, kept))),
            Err(e) => {
                // Kept all the same, as a first load keeps what it reads.
                history.map(|h| kept.id(h));
                Err(e)
            }
        };
    }
    Err(LoadError::Unstable {
        path: path.to_owned(),
    })
}

/// How many pieces the parse may be ahead of keeping them.
const KEEP_BEHIND: usize = 2;

// Runs `work`, which reads the text and gives each piece to the function
// it is given; with `keep` (the history's directory), that piece is
// compressed for the history on a
// thread of its own (here if none can be started), and the recording
// given back with what `work` gave.
fn reading_kept<T>(
    keep: Option<&std::path::Path>,
    work: impl FnOnce(&mut (dyn FnMut(&Arc<str>) + Send)) -> T,
) -> (T, Option<Recording>) {
    let Some(dir) = keep else {
        return (work(&mut |_| {}), None);
    };
    let dir = Some(dir);
    std::thread::scope(|s| {
        // Bounded: the parse waits for the compression rather than hold
        // what it has not compressed yet.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Arc<str>>(KEEP_BEHIND);
        let keeper = std::thread::Builder::new()
            .name("keep".into())
            .spawn_scoped(s, move || {
                let mut recording = Recording::new(crate::history::Format::Toml, dir);
                for piece in rx {
                    recording.add(&piece);
                }
                recording
            });
        match keeper {
            Ok(keeper) => {
                let t = work(&mut move |piece| {
                    // A keeper that is gone keeps nothing: the join says so.
                    let _ = tx.send(Arc::clone(piece));
                });
                (t, keeper.join().ok())
            }
            Err(_) => {
                let mut recording = Recording::new(crate::history::Format::Toml, dir);
                let t = work(&mut |piece| recording.add(piece));
                (t, Some(recording))
            }
        }
    })
}

/// How the text read is in the history.
enum Kept {
    /// Not kept (no history, or it changed after it was found kept).
    Not,
    /// Kept already, with this id.
    Known(VersionId),
    /// To be kept.
    New(Box<Recording>),
}

impl Kept {
    // Its id in `history`, kept now if it is new. Losing a version is not
    // worth failing the reload over.
    fn id(self, history: &crate::history::History) -> Option<VersionId> {
        match self {
            Kept::Not => None,
            Kept::Known(id) => Some(id),
            Kept::New(recording) => {
                let recorded = recording.keep(history, super::unix_now()).ok()?;
                Some(recorded.version().id)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::History;

    // A report of 300 themes of 4 KB, the last titled `last`.
    fn report(last: &str) -> String {
        let mut s = String::from("title = \"R\"\n");
        for i in 0..300 {
            let title = if i == 299 {
                last.to_string()
            } else {
                format!("Thema {i}")
            };
            s += &format!(
                "[[theme]]\ntitle = \"{title}\"\nbody = \"{}\"\n",
                "tekst ".repeat(700)
            );
        }
        s
    }

    #[test]
    fn a_reload_keeps_a_new_text_as_read_and_finds_one_kept_already() {
        let dir = tempfile::tempdir().expect("scratch directory");
        let path = dir.path().join("r.toml");
        let history = History::open_in(&dir.path().join("state"), &path).expect("history");
        let v1 = report("Eerste");
        std::fs::write(&path, &v1).expect("write");
        let (doc, fingerprint, kept) = reload_toml(&path, None, Some(&history), None)
            .expect("reads")
            .expect("a new text");
        assert!(matches!(kept, Kept::New(_)), "compressed as it was read");
        let id = kept.id(&history).expect("kept");
        assert_eq!(id, VersionId::of_parts(std::iter::once(v1.as_str())));
        assert_eq!(fingerprint, report::fingerprint(&v1));
        assert_eq!(doc.title_of(doc.entries.last().expect("themes")), "Eerste");
        let versions = history.list().expect("list");
        assert_eq!(history.load_version(&versions[0]).expect("loads"), v1);
        // The same text again, as after an undo: found kept, not compressed again.
        std::fs::write(&path, report("Tweede")).expect("write");
        std::fs::write(&path, &v1).expect("write");
        let (_, _, kept) = reload_toml(&path, Some(0), Some(&history), None)
            .expect("reads")
            .expect("not the text on screen");
        assert!(matches!(kept, Kept::Known(k) if k == id));
        // The text on screen: nothing to read again.
        assert!(
            reload_toml(&path, Some(fingerprint), Some(&history), None)
                .expect("reads")
                .is_none()
        );
        assert_eq!(history.list().expect("list").len(), 1);
    }
}
