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
    let mut f = Fingerprint::default();
    parts.for_each(|p| f.add(p));
    f.finish()
}

/// A fingerprint being made of a text given in parts, however it is cut.
#[derive(Default)]
pub(super) struct Fingerprint(std::collections::hash_map::DefaultHasher);

impl Fingerprint {
    /// The next bytes of the text (the hasher reads them the same however
    /// they are cut).
    pub(super) fn add(&mut self, bytes: &[u8]) {
        std::hash::Hasher::write(&mut self.0, bytes);
    }

    /// The fingerprint of the text given.
    pub(super) fn finish(mut self) -> u64 {
        use std::hash::Hasher;
        // As `str`'s `Hash` ends: the fingerprints are those of before.
        self.0.write_u8(0xff);
        self.0.finish()
    }
}

/// Reads the next chunk of `file` into `chunk`: how many bytes (0 at its
/// end), `read` counting them all, refused past `limit` (a file that grew).
pub(super) fn read_chunk(
    (path, limit): (&Path, u64),
    mut file: &std::fs::File,
    chunk: &mut [u8],
    read: &mut u64,
) -> Result<usize, LoadError> {
    let n = loop {
        match file.read(chunk) {
            Ok(n) => break n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_error(path)(e)),
        }
    };
    *read += n as u64;
    if *read > limit {
        return Err(too_large(path, *read, limit));
    }
    Ok(n)
}

/// The fingerprint of the file at `path` (at most `limit` bytes), as
/// [`fingerprint`] gives it for its text: read a chunk at a time, not kept;
/// each chunk is also given to `also`.
pub fn fingerprint_file(
    path: &Path,
    limit: u64,
    mut also: impl FnMut(&[u8]),
) -> Result<u64, LoadError> {
    let file = open_checked(path, limit)?;
    let (mut f, mut chunk, mut read) = (Fingerprint::default(), vec![0; super::pieces::CHUNK], 0);
    loop {
        let n = read_chunk((path, limit), &file, &mut chunk, &mut read)?;
        if n == 0 {
            return Ok(f.finish());
        }
        f.add(&chunk[..n]);
        also(&chunk[..n]);
    }
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

/// How many symbolic links the report's path may go through.
const MAX_LINKS: usize = 8;

/// Opens `path` to read, if it is a regular file of at most `limit` bytes,
/// reached through no symbolic link that belongs to another user than this
/// one or root. Someone who may replace the report in its directory (a live
/// reload reads it again) must not make it any file we can read: a link is
/// opened itself (`O_PATH`), its owner and target read from it, never
/// followed by path, so swapping the name meanwhile gains nothing. (Another
/// user's regular file is their report, trusted as text like any other;
/// the directories on the way are the kernel's to follow.)
pub fn open_checked(path: &Path, limit: u64) -> Result<std::fs::File, LoadError> {
    use rustix::fs::{Mode, OFlags};
    let io = io_error(path);
    let mut at = path.to_path_buf();
    for _ in 0..=MAX_LINKS {
        // Not a device or FIFO opened, in the usual case; what the open
        // gives is checked again below, where no swap can reach. (Not
        // through a link: nothing of a foreign link's target is looked at.)
        if let Ok(meta) = std::fs::symlink_metadata(&at)
            && !meta.file_type().is_symlink()
        {
            check_kind(path, &meta, limit)?;
        }
        // O_NONBLOCK: a FIFO swapped in after the check does not block.
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        match rustix::fs::open(&at, flags, Mode::empty()) {
            Ok(fd) => {
                let file = std::fs::File::from(fd);
                check_kind(path, &file.metadata().map_err(io)?, limit)?;
                return Ok(file);
            }
            Err(rustix::io::Errno::LOOP) => at = link_target(path, &at)?,
            Err(e) => return Err(io(e.into())),
        }
    }
    Err(io(std::io::Error::from_raw_os_error(libc::ELOOP)))
}

// Where the link at `at` (on the way to the report `path`) points, read
// from the link itself, if it is ours or root's; `at` again if it is no
// longer a link (swapped meanwhile: looked at anew).
fn link_target(path: &Path, at: &Path) -> Result<std::path::PathBuf, LoadError> {
    use rustix::fs::{FileType, Mode, OFlags};
    use std::os::unix::ffi::OsStringExt;
    let io = |e: rustix::io::Errno| io_error(path)(e.into());
    let flags = OFlags::PATH | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let link = rustix::fs::open(at, flags, Mode::empty()).map_err(io)?;
    let stat = rustix::fs::fstat(&link).map_err(io)?;
    if FileType::from_raw_mode(stat.st_mode) != FileType::Symlink {
        return Ok(at.to_owned());
    }
    let me = rustix::process::geteuid().as_raw();
    if stat.st_uid != me && stat.st_uid != 0 {
        return Err(LoadError::ForeignLink {
            path: path.to_owned(),
            owner: crate::sys::user_name(stat.st_uid).unwrap_or_else(|| stat.st_uid.to_string()),
        });
    }
    let target = rustix::fs::readlinkat(&link, "", Vec::new()).map_err(io)?;
    let target = std::path::PathBuf::from(std::ffi::OsString::from_vec(target.into_bytes()));
    Ok(match at.parent() {
        Some(dir) if target.is_relative() => dir.join(target),
        _ => target,
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
        // Through a link of ours to theirs: refused at theirs; a chain of ours is followed.
        let (via, chain) = (dir.path().join("via.toml"), dir.path().join("chain.toml"));
        std::os::unix::fs::symlink("theirs.toml", &via).expect("symlink");
        std::os::unix::fs::symlink("ours.toml", &chain).expect("symlink");
        refused(read_text(&via, 1 << 20).map(drop));
        assert_eq!(
            read_text(&chain, 1 << 20).expect("followed"),
            "title = \"root only\"\n"
        );
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
