//! The kept versions of one report: a private directory of gzip files, one
//! per version, named by what they are (see `name.rs`), written atomically.
//!
//! Crash safety comes from never changing a file once it is in place: a new
//! version is a new file written by [`atomic::write`] (temporary, fsync,
//! rename, directory fsync), and dropping old ones only removes files. A
//! process killed mid-write leaves at most a `.briefing-*.tmp`, which the
//! next recorder removes; one killed mid-drop leaves more versions than the
//! bound until the next version is kept.

use std::fs::File;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{
    Bounds, Format, Header, HistoryError, Listing, Recorded, Skipped, Spec, VersionId, VersionMeta,
    file, name,
};
use crate::atomic::{self, Durability};
use crate::report;
use crate::state;

/// How long a recorder waits for another one (another `briefing` on the
/// same report) before going ahead without the lock.
const LOCK_WAIT: Duration = Duration::from_secs(2);

/// The kept versions of one report.
#[derive(Clone, Debug)]
pub struct History {
    dir: PathBuf,
    bounds: Bounds,
}

// What is in the directory, in more detail than a [`Listing`].
struct Scan {
    versions: Vec<VersionMeta>,
    skipped: Vec<Skipped>,
    // Versions kept twice (two recorders at once): all but the first.
    duplicates: Vec<PathBuf>,
    // Temporaries of writes in progress, or of writers that died.
    temporaries: Vec<PathBuf>,
    last_seq: u64,
}

impl History {
    /// The versions of `report`, kept under the state directory
    /// ([`state::directory`]) in `<digest>.history/` (made, private, if new).
    pub fn open(report: &Path) -> Result<History, HistoryError> {
        let state = state::directory().ok_or(HistoryError::NoStateDirectory)?;
        History::open_in(&state, report)
    }

    /// The versions of `report`, kept in the state directory `state_dir`
    /// (for callers and tests that choose their own).
    pub fn open_in(state_dir: &Path, report: &Path) -> Result<History, HistoryError> {
        let dir = state_dir.join(format!("{}.history", state::digest_for(report)));
        for d in [state_dir, dir.as_path()] {
            state::ensure_private_dir(d).map_err(|source| HistoryError::Directory {
                dir: d.to_owned(),
                source,
            })?;
        }
        Ok(History {
            dir,
            bounds: Bounds::DEFAULT,
        })
    }

    /// The same history with other bounds (the default is [`Bounds::DEFAULT`]).
    pub fn with_bounds(self, bounds: Bounds) -> History {
        History { bounds, ..self }
    }

    /// The directory the versions are kept in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Keeps `source` as a version first seen at `seen_at_unix`, unless it is
    /// kept already; its header fields are read from the top of a TOML text
    /// (a Markdown one gets none: use [`History::record_with`]).
    pub fn record(
        &self,
        source: &str,
        format: Format,
        seen_at_unix: i64,
    ) -> Result<Recorded, HistoryError> {
        let header = match format {
            Format::Toml => Header::of_toml(source),
            Format::Markdown => Header::default(),
        };
        self.record_with(source, format, header, seen_at_unix)
    }

    /// Keeps `source` with the header fields the caller already has (e.g.
    /// `Header::from(&doc.version)`), unless it is kept already. After a new
    /// version is written the oldest are dropped to stay within the bounds.
    pub fn record_with(
        &self,
        source: &str,
        format: Format,
        header: Header,
        seen_at_unix: i64,
    ) -> Result<Recorded, HistoryError> {
        self.record_parts(&mut vec![source], format, header, seen_at_unix)
    }

    /// Like [`History::record`], for a text in pieces (see
    /// [`report::Pieces`]): each is let go of, from `parts`, once it is
    /// compressed, so the text is never held here longer than needed.
    pub fn record_pieces(
        &self,
        pieces: report::Pieces,
        format: Format,
        seen_at_unix: i64,
    ) -> Result<Recorded, HistoryError> {
        let mut parts = pieces.into_parts();
        // The first piece ends before the first theme: the header is in it.
        let header = match (format, parts.first()) {
            (Format::Toml, Some(top)) => Header::of_toml(top),
            _ => Header::default(),
        };
        self.record_parts(&mut parts, format, header, seen_at_unix)
    }

    fn record_parts<P: AsRef<str>>(
        &self,
        parts: &mut Vec<P>,
        format: Format,
        header: Header,
        seen_at_unix: i64,
    ) -> Result<Recorded, HistoryError> {
        let size = parts.iter().map(|p| p.as_ref().len() as u64).sum();
        let id = VersionId::of_parts(parts.iter().map(AsRef::as_ref));
        let about = (id, size, format, header);
        self.record_writing(about, seen_at_unix, |out| {
            file::gzip_parts(parts.drain(..), out)
        })
    }

    /// Keeps the text whose id, size, format and header are `about`,
    /// unless it is kept already; `write` writes it compressed.
    pub(super) fn record_writing(
        &self,
        (id, size, format, header): (VersionId, u64, Format, Header),
        seen_at_unix: i64,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<Recorded, HistoryError> {
        if size > report::MAX_BYTES {
            return Err(HistoryError::TooLarge {
                report: self.dir.clone(),
                size,
                limit: report::MAX_BYTES,
            });
        }
        let known = |scan: &Scan| scan.versions.iter().find(|v| v.id == id).cloned();
        // Most records are of a text kept already (every start with an
        // unchanged report): found without taking the lock.
        if let Some(v) = known(&self.scan_dir()?) {
            return Ok(Recorded::Known(v));
        }
        // Made again if it was removed while we ran (docs/history.md says
        // removing it is safe), and closed again if someone opened it.
        state::ensure_private_dir(&self.dir).map_err(|source| HistoryError::Directory {
            dir: self.dir.clone(),
            source,
        })?;
        let lock = self.lock();
        // Again under the lock: another recorder may just have kept it, or
        // taken the next sequence number.
        let mut scan = self.scan_dir()?;
        if let Some(v) = known(&scan) {
            return Ok(Recorded::Known(v));
        }
        let mut problems = Vec::new();
        if lock.is_some() {
            // Every recorder holds the lock while it writes: with it held, a
            // temporary is a dead writer's. Removed first, to free its space.
            remove_all(std::mem::take(&mut scan.temporaries), &mut problems);
        }
        let mut version = VersionMeta {
            id,
            seq: scan.last_seq + 1,
            // As the name holds it, so the result is exactly what a list gives.
            first_seen: seen_at_unix.clamp(0, name::MAX_TIME),
            size,
            format,
            header,
            path: PathBuf::new(),
        };
        version.path = self.dir.join(name::encode(&version));
        let write_error = |source| HistoryError::Write {
            path: version.path.clone(),
            source,
        };
        atomic::write_with(&version.path, 0o600, Durability::Synced, write).map_err(write_error)?;
        let dropped = self.prune(scan, &version, &mut problems);
        drop(lock);
        Ok(Recorded::Kept {
            version,
            dropped,
            problems,
        })
    }

    /// The kept versions, oldest first. Read from the file names alone (one
    /// directory read); a damaged file shows when it is loaded.
    pub fn list(&self) -> Result<Vec<VersionMeta>, HistoryError> {
        Ok(self.scan()?.versions)
    }

    /// The kept versions, oldest first, and the files that are not versions
    /// (with the reason).
    pub fn scan(&self) -> Result<Listing, HistoryError> {
        let scan = self.scan_dir()?;
        Ok(Listing {
            versions: scan.versions,
            skipped: scan.skipped,
        })
    }

    /// The text of the version with this id.
    pub fn load(&self, id: &VersionId) -> Result<String, HistoryError> {
        let versions = self.list()?;
        let v = versions
            .iter()
            .find(|v| v.id == *id)
            .ok_or_else(|| HistoryError::NotFound {
                dir: self.dir.clone(),
                what: format!("{}…", id.short()),
            })?;
        self.load_version(v)
    }

    /// The text of `v` (from [`History::list`]), checked against its SHA-256.
    pub fn load_version(&self, v: &VersionMeta) -> Result<String, HistoryError> {
        file::read(v)
    }

    /// The version `spec` names; `last_seen` is the id of the version the
    /// reader last saw, if remembered.
    pub fn resolve(
        &self,
        spec: &Spec,
        last_seen: Option<&VersionId>,
    ) -> Result<VersionMeta, HistoryError> {
        let versions = self.list()?;
        spec.resolve(&versions, last_seen)
            .cloned()
            .ok_or_else(|| HistoryError::NotFound {
                dir: self.dir.clone(),
                what: spec.to_string(),
            })
    }

    fn scan_dir(&self) -> Result<Scan, HistoryError> {
        let read_error = |source| HistoryError::Read {
            path: self.dir.clone(),
            source,
        };
        let mut scan = Scan {
            versions: Vec::new(),
            skipped: Vec::new(),
            duplicates: Vec::new(),
            temporaries: Vec::new(),
            last_seq: 0,
        };
        let entries = match std::fs::read_dir(&self.dir) {
            // Removed by hand: no versions (a record makes it again).
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(scan),
            result => result.map_err(read_error)?,
        };
        for entry in entries {
            let entry = entry.map_err(read_error)?;
            let file_name = entry.file_name();
            let Some(name) = file_name.to_str() else {
                scan.skipped.push(Skipped {
                    path: entry.path(),
                    reason: "not a kept version: its name is not UTF-8".into(),
                });
                continue;
            };
            if name.starts_with(".briefing-") && name.ends_with(".tmp") {
                scan.temporaries.push(entry.path());
            } else if name.starts_with('.') {
                // The lock, or an editor's or a file manager's file.
            } else {
                match name::decode(&self.dir, name) {
                    Ok(v) => scan.versions.push(v),
                    Err(reason) => scan.skipped.push(Skipped {
                        path: entry.path(),
                        reason: reason.into(),
                    }),
                }
            }
        }
        scan.versions.sort_by_key(|v| (v.seq, v.first_seen, v.id));
        scan.last_seq = scan.versions.last().map_or(0, |v| v.seq);
        let mut seen = std::collections::HashSet::new();
        let (versions, duplicates): (Vec<_>, Vec<_>) = std::mem::take(&mut scan.versions)
            .into_iter()
            .partition(|v| seen.insert(v.id));
        scan.versions = versions;
        scan.duplicates = duplicates.into_iter().map(|v| v.path).collect();
        Ok(scan)
    }

    // Drops duplicates, then the oldest versions until the bounds hold; never
    // `new`. Returns what was dropped.
    fn prune(
        &self,
        scan: Scan,
        new: &VersionMeta,
        problems: &mut Vec<Skipped>,
    ) -> Vec<VersionMeta> {
        remove_all(scan.duplicates, problems);
        let mut kept: Vec<(VersionMeta, u64)> = scan
            .versions
            .into_iter()
            .chain(std::iter::once(new.clone()))
            .filter_map(|v| {
                // A file that is gone (another recorder dropped it) is not counted.
                let len = std::fs::symlink_metadata(&v.path).ok()?.len();
                Some((v, len))
            })
            .collect();
        let mut bytes: u64 = kept.iter().map(|(_, len)| len).sum();
        let mut count = kept.len();
        let mut oldest = 0;
        while (count > self.bounds.versions || bytes > self.bounds.bytes)
            && oldest < kept.len()
            && kept[oldest].0.id != new.id
        {
            let (v, len) = &kept[oldest];
            remove_all(vec![v.path.clone()], problems);
            // Counted as gone even if it could not be removed: a newer
            // version is never dropped in its place.
            bytes -= len;
            count -= 1;
            oldest += 1;
        }
        kept.drain(..oldest).map(|(v, _)| v).collect()
    }

    // An exclusive flock on `.lock`, waited for up to LOCK_WAIT; `None` if it
    // cannot be had (recording goes ahead: every step tolerates a race).
    fn lock(&self) -> Option<File> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(false)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(self.dir.join(".lock"))
            .ok()?;
        // Exactly 0600: under `umask 777` it would be made 000, and no
        // later open (but root's) could lock it.
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        if file.metadata().ok()?.mode() & 0o7777 != 0o600 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .ok()?;
        }
        let deadline = Instant::now() + LOCK_WAIT;
        loop {
            match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => return Some(file),
                Err(rustix::io::Errno::WOULDBLOCK) if Instant::now() < deadline => {
                    // flock has no timeout; another recorder takes milliseconds.
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(rustix::io::Errno::INTR) => {}
                Err(_) => return None,
            }
        }
    }
}

fn remove_all(paths: Vec<PathBuf>, problems: &mut Vec<Skipped>) {
    for path in paths {
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => problems.push(Skipped {
                reason: format!("could not be removed: {}", report::describe_io(&e)),
                path,
            }),
            _ => {}
        }
    }
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
