//! The audit log: one line per connection attempt and per session end, for
//! whoever must later say who saw the briefing. Every field that comes from
//! outside (a user name, a key's comment) is written inert, on one line.
//!
//! ```text
//! 2026-12-01T10:20:03Z 127.0.0.1:38346 user="viewer" key=SHA256:tMnz… as="alice" accepted
//! 2026-12-01T10:20:09Z 127.0.0.1:38350 user="viewer" code refused: wrong code (try 1 of 3)
//! 2026-12-01T10:25:15Z 127.0.0.1:38346 user="viewer" key=SHA256:tMnz… as="alice" ended: quit after 312 s, 48211 bytes sent
//! ```

use std::io::{self, Write};
use std::net::SocketAddr;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// A field a peer chose (an address to forward, a subsystem's name), in
/// bytes at most: a peer cannot grow the log by sending long strings.
pub const FIELD: usize = 200;
/// The who and the what of a line, in bytes at most (a few fields each).
const LINE_PART: usize = 4 * FIELD;

/// `text` inert, on one line, cut to at most `max` bytes (at a character).
pub fn bounded(text: &str, max: usize) -> String {
    let text = crate::text::inline(text);
    if text.len() <= max {
        return text;
    }
    let mut cut = max.saturating_sub('…'.len_utf8());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &text[..cut])
}

/// A field a peer chose, as logged: inert, at most [`FIELD`] bytes.
pub fn field(text: &str) -> String {
    bounded(text, FIELD)
}

/// Where log lines go.
pub struct Audit {
    out: Mutex<Box<dyn Write + Send>>,
}

impl Audit {
    /// To standard error (headless).
    pub fn stderr() -> Audit {
        Audit {
            out: Mutex::new(Box::new(io::stderr())),
        }
    }

    /// Appended to `path`, made 0600 if new; never through a symlink, never
    /// into `report` (the report is never written), a file of another user,
    /// one others may write or anything but a regular file (a FIFO would
    /// hang the start). The checks are those of `--share`'s position file.
    pub fn file(path: &Path, report: Option<&Path>) -> Result<Audit, LogError> {
        crate::share::check_target(path, report)?;
        // O_NONBLOCK: opening a FIFO planted there must not wait for a reader.
        let file = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK)
            .open(path)
            .map_err(|e| match e.raw_os_error() {
                // Planted after the check, or a link of our own: never followed.
                Some(libc::ELOOP) => {
                    LogError::Refused(crate::share::ShareError::Symlink(path.to_owned()))
                }
                _ => LogError::Io(e),
            })?;
        // Checked again on what was opened: the name may have been swapped.
        let meta = file.metadata()?;
        crate::share::check_opened(&meta, path)?;
        crate::share::check_owner(&meta, path)?;
        Ok(Audit::to(file))
    }

    /// Into any writer (tests).
    pub fn to(out: impl Write + Send + 'static) -> Audit {
        Audit {
            out: Mutex::new(Box::new(out)),
        }
    }

    /// Writes one line about `peer`: `who` (user, key or code, name) and
    /// `what`, each bounded (a peer's strings go in them).
    pub fn line(&self, peer: SocketAddr, who: &str, what: &str) {
        let (who, what) = (bounded(who, LINE_PART), bounded(what, LINE_PART));
        self.write(&format!("{peer} {who} {what}"));
    }

    /// Writes a line that is about the server, not a connection.
    pub fn note(&self, what: &str) {
        self.write(&bounded(what, LINE_PART));
    }

    fn write(&self, text: &str) {
        let unix = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
        let line = format!("{} {text}\n", crate::report::stamp::utc(unix));
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        // A log that cannot be written must not stop the room.
        let _ = out.write_all(line.as_bytes()).and_then(|()| out.flush());
    }
}

/// Why the audit log cannot be opened.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// The file is one briefing must not write (see [`Audit::file`]).
    #[error(transparent)]
    Refused(#[from] crate::share::ShareError),
    /// The system refused.
    #[error("{}", crate::report::describe_io(.0))]
    Io(#[from] io::Error),
}

/// Opens the log the options ask for; `report` is the report's file.
pub fn open(log: Option<&Path>, report: Option<&Path>, headless: bool) -> Result<Audit, LogError> {
    match log {
        Some(path) => Audit::file(path, report),
        None if headless => Ok(Audit::stderr()),
        // The local terminal shows the browser: the log goes beside the state.
        None => {
            let dir = crate::state::directory().ok_or_else(|| {
                io::Error::other("no state directory: set HOME or give --log FILE")
            })?;
            crate::state::ensure_private_dir(&dir)?;
            Audit::file(&dir.join("serve.log"), report)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().expect("lock").extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_log_is_never_the_report_a_fifo_or_writable_by_others() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let report = dir.path().join("r2.toml");
        std::fs::write(&report, "title = \"x\"\n").expect("report");
        let e = Audit::file(&report, Some(&report))
            .err()
            .expect("the report");
        assert!(e.to_string().contains("is the report itself"), "{e}");
        assert_eq!(
            std::fs::read_to_string(&report).expect("read"),
            "title = \"x\"\n"
        );
        // A FIFO: refused at once, not waited on (this test would hang).
        let fifo = dir.path().join("fifo.log");
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
        )
        .expect("mkfifo");
        let e = Audit::file(&fifo, None).err().expect("a fifo");
        assert!(e.to_string().contains("named pipe"), "{e}");
        let open = dir.path().join("open.log");
        std::fs::write(&open, "").expect("file");
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o666)).expect("chmod");
        let e = Audit::file(&open, None).err().expect("writable by others");
        assert!(e.to_string().contains("writable by others"), "{e}");
        // A link of our own is not followed either, and says so in words.
        let link = dir.path().join("link.log");
        std::os::unix::fs::symlink(dir.path().join("elsewhere.log"), &link).expect("symlink");
        let e = Audit::file(&link, None).err().expect("a symlink");
        assert!(e.to_string().contains("is a symbolic link"), "{e}");
        assert!(!dir.path().join("elsewhere.log").exists());
        let new = dir.path().join("new.log");
        Audit::file(&new, Some(&report))
            .expect("a new log")
            .note("hello");
        let mode = std::fs::metadata(&new).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn every_part_of_a_line_is_bounded() {
        let buf = Shared::default();
        let audit = Audit::to(buf.clone());
        let peer: SocketAddr = "10.0.0.9:4000".parse().expect("addr");
        let huge = "é".repeat(30_000);
        audit.line(
            peer,
            &huge,
            &format!("refused: remote forwarding of {huge}:0"),
        );
        audit.note(&huge);
        let text = String::from_utf8(buf.0.lock().expect("lock").clone()).expect("utf8");
        assert!(
            text.len() < 2 * (2 * LINE_PART + 100),
            "{} bytes",
            text.len()
        );
        let f = field(&huge);
        assert!(f.len() <= FIELD && f.ends_with('…'), "{f}");
        assert_eq!(field("sftp"), "sftp");
    }

    #[test]
    fn a_line_is_one_line_and_inert() {
        let buf = Shared::default();
        let audit = Audit::to(buf.clone());
        let peer: SocketAddr = "10.0.0.9:4000".parse().expect("addr");
        audit.line(peer, "user=\x1b[2Jevil\nnext", "refused: wrong code");
        let text = String::from_utf8(buf.0.lock().expect("lock").clone()).expect("utf8");
        assert_eq!(text.matches('\n').count(), 1, "{text:?}");
        assert!(!text.contains('\x1b'), "{text:?}");
        assert!(text.contains(" 10.0.0.9:4000 user="), "{text:?}");
        assert!(text.ends_with("refused: wrong code\n"), "{text:?}");
    }
}
