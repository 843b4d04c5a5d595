//! Scratch directories: a fresh private directory per test (made by
//! `tempfile`, unpredictable name, removed on drop) that is the program's
//! working directory and holds its `XDG_STATE_HOME`, so no remembered state
//! leaks between tests or from the machine.

use std::path::{Path, PathBuf};

use crate::pty::Spawn;
use crate::run::Run;

/// A scratch directory with a `state/` directory inside for `XDG_STATE_HOME`.
pub struct Scratch {
    // Removes the directory when dropped.
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Scratch {
    /// A new scratch directory; `name` appears in its name for debugging.
    pub fn new(name: &str) -> Scratch {
        let dir = tempfile::Builder::new()
            .prefix(&format!("briefing-{name}-"))
            .tempdir()
            .expect("create scratch dir");
        // Canonical, so paths printed by the program compare equal.
        let root = dir.path().canonicalize().expect("canonical scratch dir");
        std::fs::create_dir_all(root.join("state")).expect("state dir");
        Scratch { _dir: dir, root }
    }

    /// A scratch directory holding a copy of `source` as `report.toml`.
    pub fn with_report(name: &str, source: &Path) -> Scratch {
        let s = Scratch::new(name);
        std::fs::copy(source, s.report()).expect("copy report");
        s
    }

    /// The directory itself.
    pub fn dir(&self) -> &Path {
        &self.root
    }

    /// A path inside it.
    pub fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// `report.toml` inside it.
    pub fn report(&self) -> PathBuf {
        self.path("report.toml")
    }

    /// The `XDG_STATE_HOME` for programs run here.
    pub fn state(&self) -> PathBuf {
        self.path("state")
    }

    /// `program` to start in a pty here: this directory its cwd, [`Scratch::state`]
    /// its `XDG_STATE_HOME` (80x24 unless [`Spawn::size`] says otherwise).
    pub fn spawn(&self, program: &str) -> Spawn {
        Spawn::new(program)
            .cwd(&self.root)
            .env("XDG_STATE_HOME", self.state().to_string_lossy())
    }

    /// `program` to run without a terminal here, likewise.
    pub fn run(&self, program: &str) -> Run {
        Run::new(program)
            .cwd(&self.root)
            .env("XDG_STATE_HOME", self.state())
    }

    /// Writes `contents` to `name` inside it; returns the path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, contents).expect("write scratch file");
        p
    }

    /// Reads `name` inside it as text.
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).expect("read scratch file")
    }

    /// Makes the directory reachable and writable for another user (for
    /// attacks by a second uid): mode 1777 like /tmp, on every level that
    /// `tempfile` made private.
    pub fn share_like_tmp(&self) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&self.root, std::fs::Permissions::from_mode(0o1777))
            .expect("chmod scratch dir");
    }

    /// Saves `text` to `path` the way many editors do: a new file in the
    /// same directory, renamed over the old one (a new inode replaces it).
    pub fn save_by_rename(path: &Path, text: &str) {
        let dir = path.parent().expect("a directory");
        let mut tmp = tempfile::NamedTempFile::new_in(dir).expect("temp file");
        std::io::Write::write_all(&mut tmp, text.as_bytes()).expect("write temp file");
        tmp.as_file().sync_all().expect("sync temp file");
        tmp.persist(path).expect("rename over the file");
    }
}
