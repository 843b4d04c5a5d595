//! The server's host key: ed25519, made on first use and kept under the
//! state directory (0600), so viewers see the same fingerprint every run.
//!
//! It is the server's identity: a key another user could have planted (a
//! symlink, a file of theirs, one others can read) is refused, never used.

use std::io::Read;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use russh::keys::PrivateKey;
use russh::keys::ssh_key::{Algorithm, LineEnding};

use super::ServeError;

/// The key file's name in the state directory.
pub const FILE: &str = "host_ed25519_key";

/// A key file is never larger than this.
const MAX_BYTES: u64 = 16 * 1024;

/// Where the host key lives: the state directory, made private if needed.
pub fn path() -> Result<PathBuf, ServeError> {
    let dir = crate::state::directory().ok_or_else(|| ServeError::HostKey {
        path: PathBuf::from("~/.local/state/briefing"),
        reason: "no state directory: set HOME or XDG_STATE_HOME".into(),
    })?;
    crate::state::ensure_private_dir(&dir).map_err(|e| ServeError::HostKey {
        path: dir.clone(),
        reason: crate::report::describe_io(&e),
    })?;
    Ok(dir.join(FILE))
}

/// The key at `path`, made there first if there is none.
pub fn load_or_create(path: &Path) -> Result<PrivateKey, ServeError> {
    match read(path) {
        Err(ServeError::HostKey { reason, .. }) if reason == NOT_FOUND => {}
        other => return other,
    }
    let fail = |reason: String| ServeError::HostKey {
        path: path.to_owned(),
        reason,
    };
    let mut key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519)
        .map_err(|e| fail(e.to_string()))?;
    key.set_comment("briefing host key");
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| fail(e.to_string()))?;
    match crate::atomic::create(path, text.as_bytes(), 0o600) {
        Ok(()) => Ok(key),
        // Another server made it at the same moment: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read(path),
        Err(e) => Err(fail(crate::report::describe_io(&e))),
    }
}

const NOT_FOUND: &str = "not found";

fn read(path: &Path) -> Result<PrivateKey, ServeError> {
    let fail = |reason: String| ServeError::HostKey {
        path: path.to_owned(),
        reason,
    };
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match (e.kind(), e.raw_os_error()) {
            (std::io::ErrorKind::NotFound, _) => fail(NOT_FOUND.into()),
            (_, Some(libc::ELOOP)) => {
                fail("is a symbolic link; remove it (a new key is made)".into())
            }
            _ => fail(crate::report::describe_io(&e)),
        })?;
    let meta = file
        .metadata()
        .map_err(|e| fail(crate::report::describe_io(&e)))?;
    if !meta.is_file() || meta.len() > MAX_BYTES {
        return Err(fail(
            "is not a key file; remove it (a new key is made)".into(),
        ));
    }
    if meta.uid() != rustix::process::geteuid().as_raw() {
        return Err(fail(
            "belongs to another user, who could have chosen it; remove it (a new key is made)"
                .into(),
        ));
    }
    if meta.mode() & 0o077 != 0 {
        return Err(fail(format!(
            "may be read by others (mode {:o}), so the server's identity may be known; remove it (a new key is made)",
            meta.mode() & 0o777
        )));
    }
    let mut text = String::new();
    file.read_to_string(&mut text)
        .map_err(|e| fail(crate::report::describe_io(&e)))?;
    let key = PrivateKey::from_openssh(text.as_bytes()).map_err(|e| {
        fail(format!(
            "is not an OpenSSH private key ({e}); remove it (a new key is made)"
        ))
    })?;
    if key.algorithm() != Algorithm::Ed25519 {
        return Err(fail(
            "is not an ed25519 key; remove it (a new key is made)".into(),
        ));
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn made_once_private_then_kept() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join(FILE);
        let first = load_or_create(&path).expect("made");
        let mode = std::fs::metadata(&path).expect("meta").mode() & 0o777;
        assert_eq!(mode, 0o600);
        let again = load_or_create(&path).expect("kept");
        assert_eq!(first.public_key(), again.public_key());
    }

    #[test]
    fn a_planted_or_readable_key_is_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join(FILE);
        let target = dir.path().join("theirs");
        load_or_create(&target).expect("made");
        std::os::unix::fs::symlink(&target, &path).expect("symlink");
        let e = load_or_create(&path).expect_err("symlink");
        assert!(e.to_string().contains("symbolic link"), "{e}");
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let e = load_or_create(&target).expect_err("readable");
        assert!(e.to_string().contains("read by others"), "{e}");
    }
}
