//! Remembering, per report file, what the reader last saw: a small text file
//! under the XDG state directory, written atomically.
//!
//! The state names every theme of possibly confidential reports, so it is
//! private whatever the umask: the directories are made 0700 (and an older,
//! looser `briefing` directory is closed), the files 0600; a state directory
//! that is a symlink or belongs to someone else is not used.
//!
//! The format is one line per theme, its block hashes then a tab then its
//! title path, after a header line. Plain lines rather than TOML: for a
//! 20,000-theme report the file is read line by line at start-up, without a
//! parser's token list in memory, and a damaged line loses only that theme.

use std::io::BufRead;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::atomic::{self, Durability};
use crate::changes::Seen;

/// State files larger than this are ignored as corrupt.
const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// The first line of a state file: what it is, and its format's version.
const HEADER: &str = "briefing seen 1";

/// `$XDG_STATE_HOME/briefing` (default `~/.local/state/briefing`).
pub fn directory() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(base.join("briefing"))
}

/// Where the state for `report` lives: one file per report in
/// [`directory`], named by a hash of the report's absolute path.
pub fn path_for(report: &Path) -> Option<PathBuf> {
    Some(directory()?.join(format!("{}.seen", digest_for(report))))
}

/// The name every file kept for `report` starts with (`<digest>.seen`,
/// `<digest>.history/`): a hash of the report's absolute path.
pub fn digest_for(report: &Path) -> String {
    let absolute = std::fs::canonicalize(report).unwrap_or_else(|_| report.to_owned());
    format!(
        "{:016x}",
        crate::changes::fnv1a(&absolute.to_string_lossy())
    )
}

/// Makes `dir` (and any missing parent) as a private directory: 0700
/// whatever the umask. An existing `dir` must be a real directory of ours;
/// one left open by an older version is closed to 0700.
pub fn ensure_private_dir(dir: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
        Err(e) => return Err(e),
        Ok(meta) if !meta.is_dir() => {
            return Err(std::io::Error::other(format!(
                "{}: is not a directory (a symlink?); not used for remembered state",
                crate::text::shown_path(dir)
            )));
        }
        Ok(meta) if meta.uid() != rustix::process::geteuid().as_raw() => {
            return Err(std::io::Error::other(format!(
                "{}: belongs to another user; not used for remembered state",
                crate::text::shown_path(dir)
            )));
        }
        // Already exact: no chmod, which would write the inode on every start.
        Ok(meta) if meta.mode() & 0o7777 == 0o700 => return Ok(()),
        Ok(_) => {}
    }
    // The umask may have taken bits from the new directory, and an old one
    // may be open: set the mode exactly.
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

/// What the reader saw last time, if anything was remembered (a missing or
/// unreadable state file means nothing was). A damaged line loses only its
/// theme's marks.
pub fn load(path: &Path) -> Option<Seen> {
    let (file, size) = open_own(path, MAX_BYTES)?;
    // Line by line from the file: a 20,000-theme report's state is never
    // in memory as text as well as in the map.
    let mut lines = std::io::BufReader::new(file).split(b'\n');
    if lines.next()?.ok()? != HEADER.as_bytes() {
        return None;
    }
    // Each hash is 16 hex digits of the file: at most this many.
    let mut seen = Seen::with_room(usize::try_from(size / 16).unwrap_or(0));
    for line in lines {
        let Ok(line) = line else { break };
        if let Some((key, hashes)) = parse_line(&line) {
            seen.add(key, hashes);
        }
    }
    seen.shrink();
    Some(seen)
}

// One theme's line: its block hashes (16 hex digits each), a tab, its key.
fn parse_line(line: &[u8]) -> Option<(String, Vec<u64>)> {
    let line = std::str::from_utf8(line).ok()?;
    let (hashes, key) = line.split_once('\t')?;
    if hashes.len() % 16 != 0 || key.is_empty() {
        return None;
    }
    let hashes = hashes
        .as_bytes()
        .chunks(16)
        .map(|c| u64::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
        .collect::<Option<Vec<u64>>>()?;
    Some((key.to_owned(), hashes))
}

// Opens a state file to read, only if it and its directory are ours: what
// the reader is told has changed must not be another user's to decide. Not
// through a symlink (O_NOFOLLOW), without blocking on a FIFO put in its
// place (O_NONBLOCK), and checked on the open file itself, so it cannot be
// swapped between the check and the read. Its size, at most `limit`.
fn open_own(path: &Path, limit: u64) -> Option<(std::fs::File, u64)> {
    let euid = rustix::process::geteuid().as_raw();
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    let dir = std::fs::symlink_metadata(parent.unwrap_or(Path::new("."))).ok()?;
    if !dir.is_dir() || dir.uid() != euid {
        return None;
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .ok()?;
    let meta = file.metadata().ok()?;
    let size = meta.len();
    (meta.is_file() && meta.uid() == euid && size <= limit).then_some((file, size))
}

/// Remembers what the reader saw.
pub fn save(path: &Path, seen: &Seen) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        ensure_private_dir(dir)?;
    }
    // Streamed: a 100,000-theme state is 13 MB of text, which as one
    // string was the largest thing in memory at quit.
    atomic::write_with(path, 0o600, Durability::Synced, |out| {
        writeln!(out, "{HEADER}")?;
        for (key, hashes) in seen.iter() {
            for h in hashes {
                write!(out, "{h:016x}")?;
            }
            // Titles are sanitised and whitespace-collapsed: they hold no tab or newline.
            writeln!(out, "\t{key}")?;
        }
        Ok(())
    })
}

/// The version of `report` the reader last saw (`<digest>.last`), if known.
pub fn last_seen(report: &Path) -> Option<crate::history::VersionId> {
    let path = directory()?.join(format!("{}.last", digest_for(report)));
    let (file, _) = open_own(&path, 200)?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::Read::take(file, 200), &mut text).ok()?;
    crate::history::VersionId::from_hex(text.trim())
}

/// Remembers `id` as the version of `report` the reader last saw.
pub fn save_last_seen(report: &Path, id: &crate::history::VersionId) -> std::io::Result<()> {
    let dir = directory().ok_or_else(|| std::io::Error::other("no state directory"))?;
    ensure_private_dir(&dir)?;
    let path = dir.join(format!("{}.last", digest_for(report)));
    atomic::write(
        &path,
        format!("{id}\n").as_bytes(),
        0o600,
        Durability::Volatile,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_state_round_trips_privately() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("state/briefing").join("x.seen");
        let mut seen = Seen::default();
        seen.insert("A / B".into(), vec![0xff, 0xabcd]);
        save(&path, &seen).expect("save");
        assert_eq!(load(&path), Some(seen));
        let mode = |p: &Path| std::fs::metadata(p).expect("stat").mode() & 0o777;
        assert_eq!(mode(path.parent().expect("dir")), 0o700);
        assert_eq!(mode(&path), 0o600);
        std::fs::write(&path, "garbage = [").expect("corrupt");
        assert_eq!(load(&path), None, "a file without the header is not state");
    }

    #[test]
    fn a_damaged_line_loses_only_its_theme() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("x.seen");
        let mut bytes = format!("{HEADER}\n00000000000000ff\tA\n").into_bytes();
        bytes.extend_from_slice(b"00000000000000\xff1\tB\n0000000000000001\tC\nshort\tD\n");
        std::fs::write(&path, bytes).expect("write");
        let seen = load(&path).expect("state");
        assert_eq!(seen.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["A", "C"]);
    }

    #[test]
    fn a_state_planted_by_someone_else_is_not_believed() {
        use briefing_testkit::users;
        users::require_root("a planted state file");
        let dir = tempfile::tempdir().expect("dir");
        let state = dir.path().join("briefing");
        let path = state.join("r.seen");
        let seen = Seen::from_themes([("A".to_string(), vec![1])]);
        save(&path, &seen).expect("saved");
        assert_eq!(load(&path), Some(seen.clone()), "our own is read");
        // Someone else's file in our directory…
        users::give_to_nobody(&path);
        assert_eq!(load(&path), None, "a file of another user");
        std::fs::remove_file(&path).expect("remove");
        // …a symlink to a file of ours (O_NOFOLLOW)…
        let elsewhere = dir.path().join("elsewhere.seen");
        save(&elsewhere, &seen).expect("saved");
        std::os::unix::fs::symlink(&elsewhere, &path).expect("symlink");
        assert_eq!(load(&path), None, "a symlink");
        std::fs::remove_file(&path).expect("remove");
        // …a FIFO, which must not block the load…
        let made = std::process::Command::new("mkfifo").arg(&path).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        assert_eq!(load(&path), None, "a FIFO");
        std::fs::remove_file(&path).expect("remove");
        // …and our file in a directory of someone else's.
        save(&path, &seen).expect("saved");
        users::give_to_nobody(&state);
        assert_eq!(load(&path), None, "a directory of another user");
    }

    #[test]
    fn a_state_directory_of_someone_else_or_a_symlink_is_not_used() {
        let dir = tempfile::tempdir().expect("dir");
        let real = dir.path().join("real");
        std::fs::create_dir(&real).expect("dir");
        let link = dir.path().join("briefing");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        assert!(ensure_private_dir(&link).is_err());
    }
}
