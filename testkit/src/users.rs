//! A second user for attacks: tests run as root in CI, and `nobody` exists
//! there, so files can be planted and programs run by another uid.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// The uid (and gid) of `nobody`.
pub const NOBODY: u32 = 65534;

/// Whether this process runs as root (the uid attacks need it).
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Panics with a clear message when the test cannot run as it must: a test
/// of another user's attack that silently passed as a no-op would lie.
pub fn require_root(what: &str) {
    assert!(
        is_root(),
        "{what}: this test plants files as a second user and must run as root (it does in CI)"
    );
}

/// Gives `path` to `nobody` (owner and group).
pub fn give_to_nobody(path: &Path) {
    std::os::unix::fs::lchown(path, Some(NOBODY), Some(NOBODY)).expect("chown to nobody");
}

/// The owner's uid of `path` (not following a symlink).
pub fn owner(path: &Path) -> u32 {
    std::fs::symlink_metadata(path).expect("lstat").uid()
}

/// The permission bits of `path` (following symlinks).
pub fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).expect("stat").mode() & 0o7777
}
