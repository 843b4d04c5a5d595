//! A measuring pty harness for `benches/wire.rs`.
//!
//! Same approach as `tests/common/mod.rs` (portable-pty + a reader thread
//! that feeds `vt100` and notifies a condvar), plus what measuring needs:
//! * every chunk read is logged with its arrival time, so the time of the
//!   last byte of a burst is known exactly (not "when a waiter woke up");
//! * an optional **throttled link**: the reader forwards at most `rate`
//!   bytes per second from the pty master to the emulator. It reads at most
//!   a 10 ms slice at a time and sleeps until the link would have finished
//!   serialising it (sleeping IS the simulation). While it sleeps, the
//!   program's output backs up in the kernel's pty buffer and the program's
//!   writes block, as on a slow SSH link;
//! * waits return `false` on timeout instead of panicking, so one slow
//!   measurement does not lose the whole table.

#![allow(dead_code)]

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, BorrowedFd};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// Variables removed from the child's environment (as in tests/common) plus
/// less's own, so neither the developer's terminal nor their less settings
/// change what is drawn.
pub const ENV_REMOVED: &[&str] = &[
    "NO_COLOR",
    "COLORTERM",
    "FORCE_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "COLUMNS",
    "LINES",
    "LC_ALL",
    "LC_CTYPE",
    "TMUX",
    "LESS",
    "LESSOPEN",
    "LESSCLOSE",
    "LESSKEY",
    "LESSCHARSET",
    "MORE",
    "PAGER",
];

struct State {
    raw: Vec<u8>,
    parser: vt100::Parser,
    /// (arrival time, raw length after the chunk), one per chunk.
    chunks: Vec<(Instant, usize)>,
    eof: bool,
}

struct Shared {
    state: Mutex<State>,
    cond: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A program in a pseudo-terminal, its output timed and parsed.
pub struct Session {
    shared: Arc<Shared>,
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<File>,
    wake: Option<std::io::PipeWriter>,
    reader: Option<JoinHandle<()>>,
    child: Box<dyn Child + Send + Sync>,
    pid: u32,
    /// Taken just before the program was started.
    pub spawned_at: Instant,
    cols: u16,
    rows: u16,
}

/// Output received after a mark, once the program has gone quiet.
pub struct Burst {
    /// Bytes received after the mark.
    pub bytes: usize,
    /// Arrival time of the last byte after the mark (None: nothing came).
    pub last: Option<Instant>,
}

impl Session {
    /// Starts `program args` at `cols` x `rows`, TERM=xterm-256color,
    /// LANG=C.UTF-8, plus `env`; `rate`: bytes per second of the throttled
    /// link, or None for a direct connection.
    pub fn spawn(
        program: &str,
        args: &[&str],
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
        rate: Option<u64>,
        cwd: &Path,
    ) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        for k in ENV_REMOVED {
            cmd.env_remove(k);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.cwd(cwd);
        let parser = vt100::Parser::new(
            std::num::NonZeroU16::new(rows).expect("rows"),
            std::num::NonZeroU16::new(cols).expect("cols"),
            0,
        );
        let spawned_at = Instant::now();
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                raw: Vec::new(),
                parser,
                chunks: Vec::new(),
                eof: false,
            }),
            cond: Condvar::new(),
        });
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let pid = child.process_id().expect("pid");
        let master = pair.master;
        let fd = master.as_raw_fd().expect("master fd");
        let dup = || -> File {
            // SAFETY: `fd` stays open while `master` lives (here).
            File::from(
                unsafe { BorrowedFd::borrow_raw(fd) }
                    .try_clone_to_owned()
                    .expect("dup"),
            )
        };
        let read_file = dup();
        let writer = dup();
        let (wake_r, wake_w) = std::io::pipe().expect("pipe");
        let reader = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name(format!("wire-reader-{pid}"))
                .spawn(move || reader_loop(read_file, wake_r, shared, rate))
                .expect("reader thread")
        };
        Session {
            shared,
            master: Some(master),
            writer: Some(writer),
            wake: Some(wake_w),
            reader: Some(reader),
            child,
            pid,
            spawned_at,
            cols,
            rows,
        }
    }

    /// The child's pid.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Sends raw bytes (keys).
    pub fn send(&mut self, bytes: &[u8]) {
        let w = self.writer.as_mut().expect("writer");
        let _ = w.write_all(bytes).and_then(|()| w.flush());
    }

    /// Bytes received so far.
    pub fn mark(&self) -> usize {
        self.shared.lock().raw.len()
    }

    /// A copy of the emulator's screen.
    pub fn screen(&self) -> vt100::Screen {
        self.shared.lock().parser.screen().clone()
    }

    /// Raw bytes received after `mark`.
    pub fn since(&self, mark: usize) -> Vec<u8> {
        let st = self.shared.lock();
        st.raw[mark.min(st.raw.len())..].to_vec()
    }

    /// Waits until `pred(screen)` holds; false on timeout or end of output.
    pub fn wait_for(&self, timeout: Duration, pred: impl Fn(&vt100::Screen) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        let mut st = self.shared.lock();
        loop {
            if pred(st.parser.screen()) {
                return true;
            }
            let now = Instant::now();
            if st.eof || now >= deadline {
                return false;
            }
            st = self
                .shared
                .cond
                .wait_timeout(st, deadline - now)
                .map_or_else(|e| e.into_inner().0, |r| r.0);
        }
    }

    /// Waits for output after `mark` (up to `first_timeout`), then until no
    /// output has arrived for `quiet` (up to `timeout` in all). Returns what
    /// arrived after `mark` and when its last byte did.
    pub fn burst(
        &self,
        mark: usize,
        quiet: Duration,
        first_timeout: Duration,
        timeout: Duration,
    ) -> Burst {
        let start = Instant::now();
        let deadline = start + timeout;
        let first_deadline = start + first_timeout;
        let mut st = self.shared.lock();
        loop {
            let now = Instant::now();
            let got = st.raw.len() > mark;
            if st.eof || now >= deadline || (!got && now >= first_deadline) {
                break;
            }
            let wait = if got {
                let last = st.chunks.last().map_or(start, |c| c.0).max(start);
                let idle = now.saturating_duration_since(last);
                if idle >= quiet {
                    break;
                }
                quiet - idle
            } else {
                first_deadline - now
            };
            let wait = wait.min(deadline.saturating_duration_since(now));
            st = self
                .shared
                .cond
                .wait_timeout(st, wait)
                .map_or_else(|e| e.into_inner().0, |r| r.0);
        }
        let bytes = st.raw.len().saturating_sub(mark);
        let last = (bytes > 0).then(|| st.chunks.last().map(|c| c.0)).flatten();
        Burst { bytes, last }
    }

    /// Sends `keys`, waits for the resulting burst; returns it and the send time.
    pub fn act(&mut self, keys: &[u8], quiet: Duration, timeout: Duration) -> (Burst, Instant) {
        let mark = self.mark();
        let t0 = Instant::now();
        self.send(keys);
        (self.burst(mark, quiet, timeout, timeout), t0)
    }

    /// Whether the child has exited.
    pub fn exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }

    /// Sends `quit` and waits (up to `timeout`) for the program to exit;
    /// kills it if it does not. Returns whether it exited by itself.
    pub fn quit(&mut self, quit: &[u8], timeout: Duration) -> bool {
        self.send(quit);
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self.exited() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        false
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if !self.exited() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        self.writer = None;
        self.master = None;
        self.wake = None;
        if let Some(h) = self.reader.take() {
            let _ = h.join();
        }
    }
}

fn reader_loop(file: File, wake: std::io::PipeReader, shared: Arc<Shared>, rate: Option<u64>) {
    let mut buf = vec![0u8; 64 * 1024];
    // A 10 ms slice of the link (at least one byte), read at a time.
    let slice = rate.map_or(buf.len(), |r| {
        usize::try_from(r / 100).unwrap_or(1).clamp(1, buf.len())
    });
    let mut link_free = Instant::now();
    let mut fds = [
        libc::pollfd {
            fd: file.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        },
        libc::pollfd {
            fd: wake.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        },
    ];
    loop {
        fds[0].revents = 0;
        fds[1].revents = 0;
        // SAFETY: two valid pollfd structs.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) };
        if n < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            break;
        }
        if fds[1].revents != 0 {
            break;
        }
        if fds[0].revents == 0 {
            continue;
        }
        match (&file).read(&mut buf[..slice]) {
            Ok(0) => break,
            Ok(n) => {
                if let Some(r) = rate {
                    let start = Instant::now().max(link_free);
                    link_free = start + Duration::from_secs_f64(n as f64 / r as f64);
                    let now = Instant::now();
                    if link_free > now {
                        std::thread::sleep(link_free - now);
                    }
                }
                let mut st = shared.lock();
                st.raw.extend_from_slice(&buf[..n]);
                st.parser.process(&buf[..n]);
                let len = st.raw.len();
                st.chunks.push((Instant::now(), len));
                shared.cond.notify_all();
            }
            Err(e) if e.raw_os_error() == Some(libc::EIO) => break,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    let mut st = shared.lock();
    st.eof = true;
    shared.cond.notify_all();
}

/// Peak resident set size (VmHWM) of `pid`, in KiB.
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// CPU time used by `pid` so far: (utime+stime from /proc/pid/stat in
/// nanoseconds, at clock-tick resolution; the sum over its threads of
/// /proc/pid/task/*/schedstat, in nanoseconds, exact).
pub fn cpu_ns(pid: u32) -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may contain spaces) in parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    // SAFETY: sysconf has no preconditions.
    let hz = u64::try_from(unsafe { libc::sysconf(libc::_SC_CLK_TCK) })
        .unwrap_or(100)
        .max(1);
    let mut sched = 0;
    if let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) {
        for t in dir.flatten() {
            if let Ok(s) = std::fs::read_to_string(t.path().join("schedstat")) {
                sched += s
                    .split_whitespace()
                    .next()
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0);
            }
        }
    }
    Some((ticks * 1_000_000_000 / hz, sched))
}
