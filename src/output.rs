//! Standard output and standard error at the edge: every write may fail
//! (a full disk, a closed pipe), so nothing here panics, and what the reader
//! of a pipe has really read can be told apart from what was written.

use std::io::{self, Write};

/// Writes a line to standard error, ignoring failure: when even stderr is
/// gone (`2>/dev/full`), there is nobody left to tell.
pub fn warn(message: &str) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "briefing: {message}");
    let _ = err.flush();
}

/// A writer that counts the bytes it passed on.
pub struct Counting<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Counting<W> {
    /// Counts what goes to `inner`.
    pub fn new(inner: W) -> Self {
        Counting { inner, written: 0 }
    }

    /// Bytes written so far (handed to `inner`, perhaps still in its buffer).
    pub fn written(&self) -> u64 {
        self.written
    }
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// How many of the `written` bytes standard output's reader has read. For
/// a file or a terminal, all of them. For a pipe, this waits until the pipe
/// is drained (all read) or its reader closes it (then: what it had read),
/// without spinning: it sleeps on the pipe's error condition and looks at
/// what is left, less and less often.
pub fn consumed(written: u64) -> u64 {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let out = rustix::stdio::stdout();
    let is_pipe = rustix::fs::fstat(out).is_ok_and(|st| {
        rustix::fs::FileType::from_raw_mode(st.st_mode) == rustix::fs::FileType::Fifo
    });
    if !is_pipe {
        return written;
    }
    let mut nap_ms = 5;
    loop {
        let Ok(unread) = rustix::io::ioctl_fionread(out) else {
            return written;
        };
        if unread == 0 {
            return written;
        }
        // No events asked for: poll returns only when the reader is gone.
        let mut fds = [PollFd::new(&out, PollFlags::empty())];
        let nap = Timespec {
            tv_sec: 0,
            tv_nsec: nap_ms * 1_000_000,
        };
        if poll(&mut fds, Some(&nap)).is_ok_and(|n| n > 0) {
            let unread = rustix::io::ioctl_fionread(out).unwrap_or(unread);
            return written.saturating_sub(unread);
        }
        nap_ms = (nap_ms * 2).min(250);
    }
}

/// Whether an error means the reader went away (`briefing | head`), which
/// ends the output quietly rather than as an error.
pub fn is_broken_pipe(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}
