//! Writing files atomically: a temporary file in the target's directory,
//! then a rename over the target, so a reader never sees half a file.
//!
//! The temporary is made by `tempfile`: an unpredictable name, created with
//! `O_CREAT|O_EXCL`, so a symlink or file planted in a shared directory can
//! neither redirect the write nor be reused. Its mode is set exactly
//! (`fchmod`), so the result does not depend on the umask.

use std::fs::Permissions;
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Whether a write must survive a crash (synced to disk before the rename).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// Synced: state that must not be lost or corrupted.
    Synced,
    /// Not synced: a file rewritten on every key press (the position file),
    /// where the next write repairs a lost one and an fsync would cost more
    /// than the drawing.
    Volatile,
}

/// Replaces `path` with `bytes`, with permission bits `mode`.
pub fn write(path: &Path, bytes: &[u8], mode: u32, durability: Durability) -> io::Result<()> {
    write_with(path, mode, durability, |w| w.write_all(bytes))
}

/// Like [`write`], the contents written by `fill` through a buffer: a large
/// file is never whole in memory first.
pub fn write_with(
    path: &Path,
    mode: u32,
    durability: Durability,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let (tmp, dir) = temporary(path, mode, durability, fill)?;
    // On failure the temporary is removed when `tmp` is dropped.
    tmp.persist(path).map_err(|e| e.error)?;
    if durability == Durability::Synced {
        // The rename itself is only durable once the directory is synced.
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

// A temporary file beside `path` (unpredictable name, `O_EXCL`) holding
// what `fill` writes, with exactly `mode`, synced if asked; and the directory.
fn temporary(
    path: &Path,
    mode: u32,
    durability: Durability,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<(tempfile::NamedTempFile, &Path)> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".briefing-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.as_file()
        .set_permissions(Permissions::from_mode(mode))?;
    let mut out = io::BufWriter::new(tmp.as_file_mut());
    fill(&mut out)?;
    out.flush()?;
    drop(out);
    if durability == Durability::Synced {
        tmp.as_file().sync_all()?;
    }
    Ok((tmp, dir))
}

/// Creates `path` with `bytes` and mode `mode`, synced, unless it exists:
/// whole or not at all, and never over a file (or symlink) already there,
/// so of two processes creating it at once, one wins and the other learns it.
pub fn create(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let (tmp, dir) = temporary(path, mode, Durability::Synced, |w| w.write_all(bytes))?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn replaces_the_file_with_its_exact_mode_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("f.txt");
        std::fs::write(&path, "old").expect("seed");
        write(&path, b"new", 0o640, Durability::Synced).expect("write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
        assert_eq!(
            std::fs::metadata(&path).expect("stat").mode() & 0o777,
            0o640
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["f.txt"]);
    }

    #[test]
    fn a_symlink_in_place_of_the_target_is_replaced_not_followed() {
        let dir = tempfile::tempdir().expect("dir");
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").expect("victim");
        let path = dir.path().join("pos");
        std::os::unix::fs::symlink(&victim, &path).expect("symlink");
        write(&path, b"position", 0o644, Durability::Volatile).expect("write");
        assert_eq!(std::fs::read_to_string(&victim).expect("read"), "precious");
        assert!(
            !std::fs::symlink_metadata(&path)
                .expect("lstat")
                .is_symlink()
        );
    }

    #[test]
    fn create_never_replaces_or_follows() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("key");
        create(&path, b"first", 0o600).expect("created");
        assert_eq!(
            std::fs::metadata(&path).expect("meta").mode() & 0o777,
            0o600
        );
        let e = create(&path, b"second", 0o600).expect_err("exists");
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).expect("read"), b"first");
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), &link).expect("symlink");
        assert!(create(&link, b"x", 0o600).is_err());
        assert!(
            !dir.path().join("elsewhere").exists(),
            "the link was not followed"
        );
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("sub");
        std::fs::create_dir(&target).expect("a directory in the way");
        assert!(write(&target, b"x", 0o600, Durability::Synced).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 1);
    }
}
