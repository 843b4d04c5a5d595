//! Reading a report file safely: only regular files (after symlinks), never
//! more than a limit, never blocking on a FIFO, read again if it changes
//! while being read.

use std::io::Read;
use std::path::Path;

use crate::error::{LoadError, Location};

/// A fingerprint of a report's text, to notice real changes (editors often
/// rewrite a file without changing it).
pub fn fingerprint(text: &str) -> u64 {
    fingerprint_of(std::iter::once(text.as_bytes()))
}

/// The fingerprint of the text `parts` make one after the other.
pub(super) fn fingerprint_of<'a>(parts: impl Iterator<Item = &'a [u8]>) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for p in parts {
        h.write(p);
    }
    // As `str`'s `Hash` ends: the fingerprints are those of before.
    h.write_u8(0xff);
    h.finish()
}

/// The fingerprint of the file at `path` (at most `limit` bytes), as
/// [`fingerprint`] gives it for its text: read a chunk at a time, not kept;
/// each chunk is also given to `also`.
pub fn fingerprint_file(
    path: &Path,
    limit: u64,
    mut also: impl FnMut(&[u8]),
) -> Result<u64, LoadError> {
    use std::hash::Hasher;
    let io = io_error(path);
    let mut file = open_checked(path, limit)?;
    let (mut h, mut chunk, mut read) = (
        std::collections::hash_map::DefaultHasher::new(),
        vec![0; super::pieces::CHUNK],
        0u64,
    );
    loop {
        let n = match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(e)),
        };
        read += n as u64;
        if read > limit {
            return Err(too_large(path, read, limit));
        }
        // The hasher reads bytes the same however they are cut.
        h.write(&chunk[..n]);
        also(&chunk[..n]);
    }
    h.write_u8(0xff);
    Ok(h.finish())
}

/// Reads a whole UTF-8 text file safely: a regular file (after symlinks), at
/// most `limit` bytes, read again if it changed while being read.
pub fn read_text(path: &Path, limit: u64) -> Result<String, LoadError> {
    let io = io_error(path);
    let file = open_checked(path, limit)?;
    for _ in 0..3 {
        let before = file.metadata().map_err(io)?;
        check_kind(path, &before, limit)?;
        let mut bytes = Vec::with_capacity(before.len().min(limit) as usize);
        (&file)
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > limit {
            return Err(too_large(path, bytes.len() as u64, limit));
        }
        let after = file.metadata().map_err(io)?;
        let stable =
            after.len() == bytes.len() as u64 && after.modified().ok() == before.modified().ok();
        if stable {
            return String::from_utf8(bytes).map_err(|e| {
                let valid = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(&e.as_bytes()[..valid]);
                LoadError::NotUtf8 {
                    path: path.to_owned(),
                    at: Location::of(&text, valid),
                }
            });
        }
        use std::io::Seek;
        (&file).seek(std::io::SeekFrom::Start(0)).map_err(io)?;
    }
    Err(LoadError::Unstable {
        path: path.to_owned(),
    })
}

/// What an I/O error on `path` is, in the author's words.
pub(super) fn io_error(path: &Path) -> impl Fn(std::io::Error) -> LoadError + Copy + '_ {
    move |e| LoadError::Io {
        path: path.to_owned(),
        reason: describe_io(&e),
    }
}

/// Opens `path` to read, if it is a regular file of at most `limit` bytes.
pub(super) fn open_checked(path: &Path, limit: u64) -> Result<std::fs::File, LoadError> {
    let io = io_error(path);
    refuse_foreign_link(path)?;
    // Check the target (symlinks followed) before opening: opening a FIFO blocks.
    let meta = std::fs::metadata(path).map_err(io)?;
    check_kind(path, &meta, limit)?;
    // O_NONBLOCK closes the race where a FIFO replaces the file after the check.
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(io)
}

/// Refuses a symbolic link at `path` that belongs to another user than
/// this one or root: someone who may replace the report in its directory
/// (a live reload reads it again) must not make it any file we can read.
/// (A link of ours, or root's, is followed.) Another user's regular file is
/// their report, trusted as text like any other.
fn refuse_foreign_link(path: &Path) -> Result<(), LoadError> {
    use std::os::unix::fs::MetadataExt;
    let Ok(link) = std::fs::symlink_metadata(path) else {
        // Said by the open, in its words.
        return Ok(());
    };
    let me = rustix::process::geteuid().as_raw();
    if !link.file_type().is_symlink() || link.uid() == me || link.uid() == 0 {
        return Ok(());
    }
    Err(LoadError::ForeignLink {
        path: path.to_owned(),
        owner: crate::sys::user_name(link.uid()).unwrap_or_else(|| link.uid().to_string()),
    })
}

pub(super) fn check_kind(
    path: &Path,
    meta: &std::fs::Metadata,
    limit: u64,
) -> Result<(), LoadError> {
    use std::os::unix::fs::FileTypeExt;
    let ft = meta.file_type();
    let what = if ft.is_file() {
        return if meta.len() > limit {
            Err(too_large(path, meta.len(), limit))
        } else {
            Ok(())
        };
    } else if ft.is_dir() {
        "a directory"
    } else if ft.is_fifo() {
        "a named pipe (FIFO)"
    } else if ft.is_socket() {
        "a socket"
    } else if ft.is_char_device() || ft.is_block_device() {
        "a device"
    } else {
        "not a regular file"
    };
    Err(LoadError::NotAFile {
        path: path.to_owned(),
        what,
    })
}

pub(super) fn too_large(path: &Path, size: u64, limit: u64) -> LoadError {
    LoadError::TooLarge {
        path: path.to_owned(),
        size,
        limit,
    }
}

/// An I/O error in words for the author: no "(os error N)".
pub fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file; check the path".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            // Drop the "(os error N)" suffix: it means nothing to an author.
            let s = e.to_string();
            s.split(" (os error").next().unwrap_or(&s).to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finding of an attacker's review: a colleague who may replace the
    /// report swapped in a link to a file only root could read, and root's
    /// live reload showed it to the room (and kept it in its history).
    #[test]
    fn a_link_another_user_made_is_not_followed_but_ours_is() {
        let dir = tempfile::tempdir().expect("dir");
        let secret = dir.path().join("secret.toml");
        std::fs::write(&secret, "title = \"root only\"\n").expect("write");
        let (ours, theirs) = (dir.path().join("ours.toml"), dir.path().join("theirs.toml"));
        std::os::unix::fs::symlink(&secret, &ours).expect("symlink");
        std::os::unix::fs::symlink(&secret, &theirs).expect("symlink");
        if std::os::unix::fs::lchown(&theirs, Some(65534), Some(65534)).is_err() {
            // Not root: no other user's link can be made here.
            return;
        }
        assert_eq!(
            read_text(&ours, 1 << 20).expect("ours is followed"),
            "title = \"root only\"\n"
        );
        let refused = |e: Result<(), LoadError>| match e {
            Err(LoadError::ForeignLink { owner, .. }) => owner,
            other => panic!("{other:?}"),
        };
        let owner = refused(read_text(&theirs, 1 << 20).map(drop));
        assert!(owner == "nobody" || owner == "65534", "{owner}");
        refused(super::super::read_pieces(&theirs, 1 << 20).map(drop));
        refused(fingerprint_file(&theirs, 1 << 20, |_| {}).map(drop));
        let message = read_text(&theirs, 1 << 20)
            .expect_err("refused")
            .to_string();
        assert!(
            message.contains("is a symbolic link that belongs to another user"),
            "{message}"
        );
        assert!(
            !message.contains("root only"),
            "nothing of the target is read"
        );
    }
}
