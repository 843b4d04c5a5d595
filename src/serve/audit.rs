//! The audit log: one line per connection attempt and per session end, for
//! whoever must later say who saw the briefing. Every field that comes from
//! outside (a user name, a key's comment) is written inert, on one line.
//!
//! ```text
//! 2026-12-01T10:20:03Z 127.0.0.1:38346 user=viewer key=SHA256:tMnz… as=alice accepted
//! 2026-12-01T10:20:09Z 127.0.0.1:38350 user=viewer code refused: wrong code (try 1 of 3)
//! 2026-12-01T10:25:15Z 127.0.0.1:38346 user=viewer key=SHA256:tMnz… as=alice ended: quit after 312 s, 48211 bytes sent
//! ```

use std::io::{self, Write};
use std::net::SocketAddr;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

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

    /// Appended to `path`, made 0600 if new; never through a symlink.
    pub fn file(path: &Path) -> io::Result<Audit> {
        let file = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(path)?;
        Ok(Audit::to(file))
    }

    /// Into any writer (tests).
    pub fn to(out: impl Write + Send + 'static) -> Audit {
        Audit {
            out: Mutex::new(Box::new(out)),
        }
    }

    /// Writes one line about `peer`: `who` (user, key or code, name) and `what`.
    pub fn line(&self, peer: SocketAddr, who: &str, what: &str) {
        let who = crate::text::inline(who);
        self.write(&format!("{peer} {who} {}", crate::text::inline(what)));
    }

    /// Writes a line that is about the server, not a connection.
    pub fn note(&self, what: &str) {
        self.write(&crate::text::inline(what));
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

/// Opens the log the options ask for.
pub fn open(log: Option<&Path>, headless: bool) -> io::Result<Audit> {
    match log {
        Some(path) => Audit::file(path),
        None if headless => Ok(Audit::stderr()),
        // The local terminal shows the browser: the log goes beside the state.
        None => {
            let dir = crate::state::directory().ok_or_else(|| {
                io::Error::other("no state directory: set HOME or give --log FILE")
            })?;
            crate::state::ensure_private_dir(&dir)?;
            Audit::file(&dir.join("serve.log"))
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
