//! The presenter's position, shared with followers through a small file.
//!
//! The file is TOML, human-readable, written atomically (see `atomic`), so
//! a follower never reads half of it. Only this file is shared: each
//! follower renders at its own size, and a follower on a slow link pays
//! only for its own screen's changes.
//!
//! A position file often lives in a directory other users can write (/tmp).
//! So the presenter refuses to share into a file another user owns, into a
//! directory where anyone could replace it, or into the report itself; and
//! the follower refuses a file that others may write, never follows a
//! symlink to it, shows who wrote it, and believes a presenter is alive
//! only if a process of that user has the recorded pid.

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::atomic::{self, Durability};
use crate::text::shown_path;

/// Position files larger than this are not position files.
const MAX_BYTES: u64 = 64 * 1024;

/// Where the presenter is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// The report's title: a follower refuses a position for another report.
    pub report: String,
    /// Titles from the top-level theme down to the current one.
    pub theme: Vec<String>,
    /// The current theme's position in the flattened list (used when titles changed).
    pub index: usize,
    /// Whether the presenter is presenting (or browsing).
    pub presenting: bool,
    /// Revealed points.
    pub revealed: u16,
    /// Whether all points are shown.
    pub all: bool,
    /// The search query, empty when none.
    pub query: String,
    /// False once the presenter has quit.
    pub live: bool,
    /// The presenter's process id, to notice a presenter that died.
    pub pid: u32,
    /// The presenter's host name.
    pub host: String,
    /// When presenting started (Unix seconds; 0 when not presenting), so
    /// followers show the presenter's elapsed time.
    #[serde(default)]
    pub started: u64,
}

/// Why a position cannot be shared to, or followed from, a file. Each
/// message names the file and says what to do.
#[derive(Debug, Error)]
pub enum ShareError {
    /// `--share` names the report (or another name of it).
    #[error("{}: is the report itself, which briefing never writes; give another file", shown_path(.0))]
    IsTheReport(PathBuf),
    /// The file belongs to someone else, who could have written anything in it.
    #[error("{}: belongs to {owner}, not to you; remove it or choose another file", shown_path(.path))]
    OwnedByOther {
        /// The position file.
        path: PathBuf,
        /// Its owner's name (or uid).
        owner: String,
    },
    /// The file may be written by others, so anyone could have written it.
    #[error("{}: is writable by others, so anyone could have written it; the presenter must write it (mode 644)", shown_path(.0))]
    WritableByOthers(PathBuf),
    /// The directory lets anyone replace the file.
    #[error("{}: anyone may replace files in this directory (it is writable by all and not sticky); use /tmp or a directory of your own", shown_path(.0))]
    OpenDirectory(PathBuf),
    /// A symlink where the position file should be.
    #[error("{}: is a symbolic link, which briefing never follows; give the file itself", shown_path(.0))]
    Symlink(PathBuf),
    /// Not a regular file.
    #[error("{}: is {}, not a position file; give the file the presenter writes with --share", shown_path(.0), .1)]
    NotAFile(PathBuf, &'static str),
    /// Too large to be a position file.
    #[error("{}: is {} bytes, too large for a position file; is this the right file?", shown_path(.0), .1)]
    TooLarge(PathBuf, u64),
    /// Not TOML of the position file's shape.
    #[error("{}:{at}: not a position file: {message}", shown_path(.path))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Where.
        at: crate::error::Location,
        /// What is wrong, sanitised and shortened.
        message: String,
    },
    /// The system refused.
    #[error("{}: {reason}", shown_path(.path))]
    Io {
        /// The file.
        path: PathBuf,
        /// Why, in words.
        reason: String,
    },
}

fn io_error(path: &Path, e: &std::io::Error) -> ShareError {
    ShareError::Io {
        path: path.to_owned(),
        reason: crate::report::describe_io(e),
    }
}

/// A position as a follower read it: what it says, who wrote it, and
/// whether its presenter still runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Followed {
    /// What the file says.
    pub position: Position,
    /// Who wrote it, when that is someone other than the reader.
    pub writer: Option<String>,
    /// Whether the presenter is running, as far as this host can tell.
    pub alive: bool,
}

/// Checks, before presenting, that `path` may be shared into: not the
/// report (`report`), not a file of another user, not in a directory where
/// anyone may replace it. Any file briefing writes beside the report (the
/// audit log too) is checked so.
pub fn check_target(path: &Path, report: Option<&Path>) -> Result<(), ShareError> {
    let same_file =
        |a: &std::fs::Metadata, b: &std::fs::Metadata| a.dev() == b.dev() && a.ino() == b.ino();
    if let (Ok(target), Some(Ok(report))) = (std::fs::metadata(path), report.map(std::fs::metadata))
        && same_file(&target, &report)
    {
        return Err(ShareError::IsTheReport(path.to_owned()));
    }
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.uid() != rustix::process::geteuid().as_raw() => {
            return Err(ShareError::OwnedByOther {
                path: path.to_owned(),
                owner: name_of(meta.uid()),
            });
        }
        Ok(meta) if !meta.is_file() && !meta.file_type().is_symlink() => {
            return Err(ShareError::NotAFile(path.to_owned(), kind(&meta)));
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(path, &e)),
    }
    let dir = directory(path);
    if let Ok(meta) = std::fs::metadata(&dir) {
        let mode = meta.mode();
        if mode & 0o002 != 0 && mode & 0o1000 == 0 {
            return Err(ShareError::OpenDirectory(dir));
        }
    }
    Ok(())
}

/// Writes `position` to `path` atomically, readable by all (followers may
/// be other users), writable only by the presenter.
pub fn write(path: &Path, position: &Position) -> Result<(), ShareError> {
    let text = toml::to_string(position).map_err(|e| ShareError::Io {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    let header = "# briefing presenter position (written by briefing --share)\n";
    atomic::write(
        path,
        format!("{header}{text}").as_bytes(),
        0o644,
        Durability::Volatile,
    )
    .map_err(|e| io_error(path, &e))
}

/// Reads a position file as a follower: never through a symlink, never a
/// file others may write, with who wrote it and whether they still present.
pub fn read(path: &Path) -> Result<Followed, ShareError> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => ShareError::Symlink(path.to_owned()),
            _ => io_error(path, &e),
        })?;
    let meta = file.metadata().map_err(|e| io_error(path, &e))?;
    check_opened(&meta, path)?;
    if meta.len() > MAX_BYTES {
        return Err(ShareError::TooLarge(path.to_owned(), meta.len()));
    }
    let text = read_limited(&file, path)?;
    let position: Position = toml::from_str(&text).map_err(|e| ShareError::Invalid {
        path: path.to_owned(),
        at: crate::error::Location::of(&text, e.span().map_or(0, |s| s.start)),
        message: crate::report::shorten(&crate::text::inline(e.message()), 200),
    })?;
    let owner = meta.uid();
    let writer = (owner != rustix::process::geteuid().as_raw()).then(|| name_of(owner));
    let alive = alive(&position, owner);
    Ok(Followed {
        position,
        writer,
        alive,
    })
}

/// Checks a file once opened (its descriptor's metadata, `meta`, so it
/// cannot be swapped in between): a regular file that nobody but its owner
/// may write.
pub fn check_opened(meta: &std::fs::Metadata, path: &Path) -> Result<(), ShareError> {
    if !meta.is_file() {
        return Err(ShareError::NotAFile(path.to_owned(), kind(meta)));
    }
    if meta.mode() & 0o022 != 0 {
        return Err(ShareError::WritableByOthers(path.to_owned()));
    }
    Ok(())
}

/// Checks that a file once opened (`meta`) is this user's own.
pub fn check_owner(meta: &std::fs::Metadata, path: &Path) -> Result<(), ShareError> {
    if meta.uid() == rustix::process::geteuid().as_raw() {
        return Ok(());
    }
    Err(ShareError::OwnedByOther {
        path: path.to_owned(),
        owner: name_of(meta.uid()),
    })
}

fn read_limited(file: &File, path: &Path) -> Result<String, ShareError> {
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, &e))?;
    String::from_utf8(bytes).map_err(|_| ShareError::Invalid {
        path: path.to_owned(),
        at: crate::error::Location { line: 1, column: 1 },
        message: "the file is not UTF-8 text".into(),
    })
}

/// Whether the presenter that wrote `position` (a file owned by `owner`)
/// still runs, as far as this host can tell: a presenter on another host is
/// trusted by its flag; on this host a process with that pid must exist and
/// belong to the file's owner (so a forged `pid = 1` is not believed).
fn alive(position: &Position, owner: u32) -> bool {
    if !position.live {
        return false;
    }
    if position.host != hostname() {
        return true;
    }
    let Some(pid) = i32::try_from(position.pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    let exists = match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e == rustix::io::Errno::PERM,
    };
    exists && process_owner(position.pid).is_none_or(|uid| uid == owner)
}

// The owner of a process, where /proc tells (Linux).
fn process_owner(pid: u32) -> Option<u32> {
    std::fs::metadata(format!("/proc/{pid}"))
        .ok()
        .map(|m| m.uid())
}

/// This machine's host name.
pub fn hostname() -> String {
    rustix::system::uname()
        .nodename()
        .to_string_lossy()
        .into_owned()
}

fn name_of(uid: u32) -> String {
    crate::sys::user_name(uid).unwrap_or_else(|| format!("uid {uid}"))
}

fn kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let ft = meta.file_type();
    if ft.is_dir() {
        "a directory"
    } else if ft.is_fifo() {
        "a named pipe (FIFO)"
    } else if ft.is_socket() {
        "a socket"
    } else if ft.is_char_device() || ft.is_block_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

fn directory(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position() -> Position {
        Position {
            report: "R".into(),
            theme: vec!["A".into(), "A.1".into()],
            index: 1,
            presenting: true,
            revealed: 2,
            all: false,
            query: "crisis".into(),
            live: true,
            pid: std::process::id(),
            host: hostname(),
            started: 0,
        }
    }

    #[test]
    fn a_position_round_trips_through_its_file() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("pos.toml");
        write(&path, &position()).expect("write");
        let got = read(&path).expect("read");
        assert_eq!(got.position, position());
        assert!(got.alive, "this process is alive");
        assert_eq!(got.writer, None, "written by the reader");
        let dead = Position {
            live: false,
            ..position()
        };
        write(&path, &dead).expect("write");
        assert!(!read(&path).expect("read").alive);
    }

    #[test]
    fn garbage_is_reported_with_its_position() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("pos.toml");
        std::fs::write(&path, "report = 3\n").expect("write");
        let e = read(&path).expect_err("invalid").to_string();
        assert!(e.contains("pos.toml:1:10: not a position file"), "{e}");
    }

    #[test]
    fn a_device_or_a_link_is_not_a_position_file() {
        let e = read(Path::new("/dev/null"))
            .expect_err("device")
            .to_string();
        assert!(e.contains("is a device, not a position file"), "{e}");
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("pos.toml");
        write(&path, &position()).expect("write");
        let link = dir.path().join("link.pos");
        std::os::unix::fs::symlink(&path, &link).expect("symlink");
        assert!(matches!(read(&link), Err(ShareError::Symlink(_))));
    }

    #[test]
    fn a_process_of_another_user_is_not_the_presenter() {
        let forged = Position {
            pid: 1,
            ..position()
        };
        // pid 1 runs as root: only a file owned by root may claim it.
        assert!(alive(&forged, 0) || process_owner(1).is_none());
        assert!(!alive(&forged, 65534));
    }

    #[test]
    fn the_report_itself_and_open_directories_are_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let report = dir.path().join("report.toml");
        std::fs::write(&report, "x").expect("report");
        let link = dir.path().join("hard.pos");
        std::fs::hard_link(&report, &link).expect("link");
        assert!(matches!(
            check_target(&link, Some(&report)),
            Err(ShareError::IsTheReport(_))
        ));
        assert!(check_target(&dir.path().join("room.pos"), Some(&report)).is_ok());
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777))
            .expect("chmod");
        assert!(matches!(
            check_target(&dir.path().join("room.pos"), None),
            Err(ShareError::OpenDirectory(_))
        ));
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o1777))
            .expect("chmod");
        assert!(check_target(&dir.path().join("room.pos"), None).is_ok());
    }
}
