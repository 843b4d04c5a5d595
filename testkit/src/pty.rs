//! A program in a pseudo-terminal, its output parsed by a terminal
//! emulator (`vt100`), so tests and benchmarks can assert on what a person
//! would see and on the raw bytes sent.
//!
//! How it works:
//! * [`Pty::spawn`] opens a pty (`portable-pty`), starts the program as a
//!   session leader with the pty as its controlling terminal, and drops the
//!   parent's copy of the slave so that end-of-file is seen when the program
//!   (and its children) close it.
//! * A reader thread `poll(2)`s the master and a private wake-up pipe. Each
//!   chunk read is appended to the raw byte log (with its arrival time) and
//!   fed to a `vt100::Parser`, and a `Condvar` is notified, so waits re-check
//!   their predicate exactly when new output arrives (no sleep polling).
//! * Optionally the reader is a **throttled link** ([`Spawn::rate`]): it
//!   forwards at most `rate` bytes per second, reading a 10 ms slice at a
//!   time and sleeping until the link would have sent it. Meanwhile the
//!   program's output backs up in the kernel and its writes block, as on a
//!   slow SSH link.
//! * A waiter thread blocks in `waitid(WEXITED | WNOWAIT)` and records the
//!   exit status, so [`Pty::wait_exit`] is condvar-driven too, and `Drop`
//!   can kill the child without racing against pid reuse.
//!
//! Synchronisation never uses fixed sleeps. The only place where time is an
//! input is [`Pty::settle`] and [`Pty::burst`] (quiescence: "no output for X
//! ms"). Every panicking wait has a deadline and on timeout prints the
//! screen, the tail of the raw output and the child's status; the `try_`
//! forms return `false` instead (benchmarks must not lose a whole table).
//!
//! Gotchas:
//! * `vt100` does not answer terminal queries; the program must not wait for
//!   replies.
//! * On Linux, reading the master after the last slave fd closes fails with
//!   `EIO`; the reader treats that as end-of-file.
//! * `Esc` followed quickly by another key in a separate write may be
//!   coalesced by the kernel into one read (Alt+key). After sending `Esc`,
//!   wait for its effect before the next key.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, BorrowedFd};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::ExitStatus;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};

use crate::bytes::{escape, trim_blanks};

/// Default deadline for every wait (10 s: CI machines are slow and shared).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Default quiet period for [`Pty::settle_default`].
pub const DEFAULT_QUIET: Duration = Duration::from_millis(200);

/// Environment variables removed from the child's environment (unless the
/// test passes them explicitly in `env`), so that the developer's or CI's own
/// terminal settings cannot change what the program draws.
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

/// Returns the byte sequence for a key name (see [`Pty::key`]), or `None`
/// if the name is not a known key (it is then sent literally).
pub fn key_bytes(name: &str) -> Option<Vec<u8>> {
    let fixed: &[u8] = match name {
        "Up" => b"\x1b[A",
        "Down" => b"\x1b[B",
        "Right" => b"\x1b[C",
        "Left" => b"\x1b[D",
        "Home" => b"\x1b[H",
        "End" => b"\x1b[F",
        "PageUp" => b"\x1b[5~",
        "PageDown" => b"\x1b[6~",
        "Insert" => b"\x1b[2~",
        "Delete" => b"\x1b[3~",
        "Enter" => b"\r",
        "Esc" => b"\x1b",
        "Tab" => b"\t",
        "BackTab" => b"\x1b[Z",
        "Backspace" => b"\x7f",
        "Space" => b" ",
        "F1" => b"\x1bOP",
        "F2" => b"\x1bOQ",
        "F3" => b"\x1bOR",
        "F4" => b"\x1bOS",
        "F5" => b"\x1b[15~",
        "F6" => b"\x1b[17~",
        "F7" => b"\x1b[18~",
        "F8" => b"\x1b[19~",
        "F9" => b"\x1b[20~",
        "F10" => b"\x1b[21~",
        "F11" => b"\x1b[23~",
        "F12" => b"\x1b[24~",
        _ => {
            // "C-x": control character for a letter (and C-@ C-[ C-\ C-] C-^ C-_ C-?).
            if let Some(rest) = name.strip_prefix("C-") {
                let mut chars = rest.chars();
                if let (Some(c), None) = (chars.next(), chars.next()) {
                    let c = c.to_ascii_uppercase();
                    if c == '?' {
                        return Some(vec![0x7f]);
                    }
                    if ('@'..='_').contains(&c) {
                        return Some(vec![(c as u8) & 0x1f]);
                    }
                }
            }
            // "M-x": Alt/Meta as ESC prefix.
            if let Some(rest) = name.strip_prefix("M-")
                && rest.chars().count() == 1
            {
                let mut v = vec![0x1b];
                v.extend_from_slice(rest.as_bytes());
                return Some(v);
            }
            return None;
        }
    };
    Some(fixed.to_vec())
}

struct State {
    /// Every byte read from the master, in order.
    raw: Vec<u8>,
    /// The emulator, fed with each chunk as it arrives.
    parser: vt100::Parser,
    /// The reader thread stopped: the program side closed, or
    /// [`Pty::close_master`] was called. No more output will arrive.
    eof: bool,
    /// Why the reader stopped if it was not a clean end-of-file.
    read_error: Option<String>,
    /// Set by [`Pty::close_master`].
    master_closed: bool,
    /// Number of chunks read so far.
    chunks: u64,
    /// When the last chunk arrived (initially: when the program was spawned).
    last_output: Instant,
    /// (arrival time, raw length after the chunk), one per chunk.
    times: Vec<(Instant, usize)>,
    /// Exit status, once the child has exited (set by the waiter thread).
    exit: Option<ExitStatus>,
}

struct Shared {
    state: Mutex<State>,
    cond: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking predicate must not make every later call panic too.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wait_timeout<'a>(
        &self,
        guard: MutexGuard<'a, State>,
        dur: Duration,
    ) -> MutexGuard<'a, State> {
        match self.cond.wait_timeout(guard, dur) {
            Ok((g, _)) => g,
            Err(e) => e.into_inner().0,
        }
    }
}

/// A program running in a pseudo-terminal, with a terminal emulator parsing
/// its output. Dropping it kills the program's process group if it is still
/// running.
pub struct Pty {
    shared: Arc<Shared>,
    master: Option<Box<dyn MasterPty + Send>>,
    /// Our own dup of the master used for writing (not portable-pty's
    /// `take_writer()`, whose `Drop` types "\n^D" into the program).
    writer: Option<File>,
    /// Dropping this wakes the reader thread and makes it close its fd.
    wake: Option<std::io::PipeWriter>,
    reader: Option<JoinHandle<()>>,
    pid: u32,
    program: String,
    cols: u16,
    rows: u16,
    spawned_at: Instant,
}

impl Pty {
    /// Spawns `program args` in a new pty of `cols` x `rows`, with
    /// TERM=xterm-256color, LANG=C.UTF-8, the variables in [`ENV_REMOVED`]
    /// (NO_COLOR, COLUMNS, LINES, LC_ALL, ...) removed, the rest of the
    /// environment inherited, and the current directory as cwd.
    pub fn spawn(program: &str, args: &[&str], cols: u16, rows: u16) -> Pty {
        Spawn::new(program).args(args).size(cols, rows).start()
    }

    /// Like [`Pty::spawn`], plus `env` overrides (applied last, so they can
    /// also set a variable from [`ENV_REMOVED`] such as NO_COLOR) and `cwd`.
    pub fn spawn_with(
        program: &str,
        args: &[&str],
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
        cwd: Option<&Path>,
    ) -> Pty {
        let mut s = Spawn::new(program).args(args).size(cols, rows);
        for (k, v) in env {
            s = s.env(k, v);
        }
        if let Some(dir) = cwd {
            s = s.cwd(dir);
        }
        s.start()
    }

    fn start(spec: Spawn) -> Pty {
        let Spawn {
            program,
            args,
            cols,
            rows,
            env,
            cwd,
            rate,
            user,
        } = spec;
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let program = program.as_str();
        let args = &args[..];
        assert!(cols > 0 && rows > 0, "pty size must be non-zero");
        let size = PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system()
            .openpty(size)
            .unwrap_or_else(|e| panic!("openpty failed: {e:#}"));

        let mut cmd = match user {
            // setpriv(1) drops to the other uid in the child itself, so the
            // program still gets the pty as its controlling terminal.
            Some(uid) => {
                let mut c = CommandBuilder::new("setpriv");
                c.args([
                    format!("--reuid={uid}"),
                    format!("--regid={uid}"),
                    "--clear-groups".into(),
                    "--".into(),
                    program.into(),
                ]);
                c
            }
            None => CommandBuilder::new(program),
        };
        cmd.args(args);
        for k in ENV_REMOVED {
            cmd.env_remove(k);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        for (k, v) in &env {
            cmd.env(k, v);
        }
        let cwd = match cwd {
            Some(p) => p,
            None => std::env::current_dir().expect("current_dir"),
        };
        assert!(cwd.is_dir(), "cwd {} is not a directory", cwd.display());
        cmd.cwd(&cwd);

        let spawned_at = Instant::now();
        let mut child = pair
            .slave
            .spawn_command(cmd)
            .unwrap_or_else(|e| panic!("failed to spawn {program:?} {args:?}: {e:#}"));
        // Close our copy of the slave now, or the reader never sees EOF.
        drop(pair.slave);
        let master = pair.master;
        let pid = child.process_id().expect("child pid");

        // Our own close-on-exec dups of the master: one for the reader
        // thread, one for writing.
        let master_fd = master.as_raw_fd().expect("master fd");
        let dup = || -> File {
            // SAFETY: master_fd is open for as long as `master` lives (here).
            let fd = unsafe { BorrowedFd::borrow_raw(master_fd) }
                .try_clone_to_owned()
                .expect("dup master fd");
            File::from(fd)
        };
        let read_file = dup();
        let writer = dup();

        let parser = vt100::Parser::new(
            std::num::NonZeroU16::new(rows).unwrap(),
            std::num::NonZeroU16::new(cols).unwrap(),
            1000,
        );
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                raw: Vec::new(),
                parser,
                eof: false,
                read_error: None,
                master_closed: false,
                chunks: 0,
                last_output: spawned_at,
                times: Vec::new(),
                exit: None,
            }),
            cond: Condvar::new(),
        });

        let (wake_r, wake_w) = std::io::pipe().expect("pipe");
        let reader = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name(format!("pty-reader-{pid}"))
                .spawn(move || reader_loop(read_file, wake_r, shared, rate))
                .expect("spawn reader thread")
        };

        {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name(format!("pty-waiter-{pid}"))
                .spawn(move || {
                    // Block until the child has exited, without reaping it,
                    // so Drop (which checks `exit` under the lock) can never
                    // signal a recycled pid.
                    loop {
                        // SAFETY: plain syscall with a zeroed out-parameter.
                        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
                        let r = unsafe {
                            libc::waitid(
                                libc::P_PID,
                                pid as libc::id_t,
                                &mut info,
                                libc::WEXITED | libc::WNOWAIT,
                            )
                        };
                        if r == 0
                            || std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR)
                        {
                            break;
                        }
                    }
                    let mut st = shared.lock();
                    let child: &mut dyn portable_pty::Child = &mut *child;
                    let status = match child.downcast_mut::<std::process::Child>() {
                        Some(c) => c.wait().ok(),
                        None => child
                            .wait()
                            .ok()
                            .map(|s| ExitStatus::from_raw(((s.exit_code() & 0xff) << 8) as i32)),
                    };
                    // wait() failing (ECHILD) should not happen; report as 255.
                    st.exit = Some(status.unwrap_or_else(|| ExitStatus::from_raw(255 << 8)));
                    shared.cond.notify_all();
                })
                .expect("spawn waiter thread");
        }

        Pty {
            shared,
            master: Some(master),
            writer: Some(writer),
            wake: Some(wake_w),
            reader: Some(reader),
            pid,
            program: program.to_string(),
            cols,
            rows,
            spawned_at,
        }
    }

    /// Sends raw bytes (keys) to the program. Panics after
    /// [`Pty::close_master`].
    pub fn send(&mut self, bytes: &[u8]) {
        let w = self.writer.as_mut().expect("send after close_master");
        if let Err(e) = w.write_all(bytes).and_then(|_| w.flush()) {
            let msg = self.failure_report(&format!(
                "writing {:?} to the pty failed: {e}",
                escape(bytes)
            ));
            panic!("{msg}");
        }
    }

    /// Sends a key by name: "Down", "Up", "Left", "Right", "Enter", "Esc",
    /// "Tab", "BackTab", "PageDown", "PageUp", "Home", "End", "Backspace",
    /// "Delete", "Insert", "Space", "F1".."F12", "C-c", "C-l", "C-u", "C-w",
    /// "C-z" (any "C-<letter>"), "M-<char>" (ESC prefix); anything else is
    /// sent literally (e.g. "q", "/", "hello"). Uses xterm sequences: arrows
    /// as CSI A..D and Home/End as CSI H / CSI F; like xterm, these six
    /// become SS3 (ESC O A ..) while the program has application cursor mode
    /// (DECCKM) on, which crossterm never enables (it decodes both forms).
    /// See the module docs about `Esc` followed by another key.
    pub fn key(&mut self, name: &str) {
        let app_cursor = self.shared.lock().parser.screen().application_cursor();
        match key_bytes(name) {
            Some(mut b) => {
                // xterm sends SS3 (ESC O x) instead of CSI for these keys while
                // the program has DECCKM (`CSI ? 1 h`) on; e.g. less needs it.
                if app_cursor
                    && b.len() == 3
                    && b.starts_with(b"\x1b[")
                    && b"ABCDHF".contains(&b[2])
                {
                    b[1] = b'O';
                }
                self.send(&b)
            }
            None => self.send(name.as_bytes()),
        }
    }

    /// Sends several keys, one write each (see [`Pty::key`]).
    pub fn keys(&mut self, names: &[&str]) {
        for n in names {
            self.key(n);
        }
    }

    /// Waits until `pred(screen)` holds, re-checking whenever new output
    /// arrives (condvar, not sleep polling). Panics, printing `what`, the
    /// current screen and the tail of the raw output, if `timeout` passes
    /// first, or as soon as the output has ended (program exited or master
    /// closed) without `pred` holding, since the screen can no longer change.
    pub fn wait_for(&self, what: &str, timeout: Duration, pred: impl Fn(&vt100::Screen) -> bool) {
        let deadline = Instant::now() + timeout;
        let mut st = self.shared.lock();
        loop {
            if pred(st.parser.screen()) {
                return;
            }
            let now = Instant::now();
            if st.eof || now >= deadline {
                let why = if st.eof {
                    "output ended (program closed the terminal or master closed) before"
                } else {
                    "timed out after"
                };
                let msg = format!("{why} {timeout:?} waiting for: {what}");
                let report = report(&self.program, self.pid, &st, &msg, self.spawned_at);
                drop(st);
                panic!("{report}");
            }
            st = self.shared.wait_timeout(st, deadline - now);
        }
    }

    /// Waits until `pred` holds, then until the output pauses, and checks
    /// that `pred` still holds on the settled screen (each wait up to
    /// [`DEFAULT_TIMEOUT`]).
    ///
    /// A frame can arrive in several reads, and a program that sends only
    /// the cells that changed marks no frame's end: `pred` may hold on the
    /// first part (the text panel) while a later part (the status line) is
    /// still the old one. Waiting for quiescence ([`Pty::settle_default`])
    /// lets the assertions that follow see the whole frame, and checking
    /// `pred` again catches a state that was only passing through.
    pub fn wait_settled(&self, what: &str, pred: impl Fn(&vt100::Screen) -> bool) {
        self.wait_for(what, DEFAULT_TIMEOUT, &pred);
        self.settle_default();
        self.wait_for(
            &format!("{what} (still, once the output settled)"),
            DEFAULT_TIMEOUT,
            &pred,
        );
    }

    /// Shorthand: waits (up to [`DEFAULT_TIMEOUT`]) until the screen contains
    /// `text` (as in [`Pty::screen_text`]; wrapped rows are joined).
    pub fn wait_text(&self, text: &str) {
        self.wait_text_timeout(text, DEFAULT_TIMEOUT);
    }

    /// Waits until the screen contains `text`, with an explicit timeout.
    pub fn wait_text_timeout(&self, text: &str, timeout: Duration) {
        self.wait_for(&format!("screen contains {text:?}"), timeout, |s| {
            s.contents().contains(text)
        });
    }

    /// Waits until the screen no longer contains `text`.
    pub fn wait_text_gone(&self, text: &str) {
        self.wait_for(
            &format!("screen no longer contains {text:?}"),
            DEFAULT_TIMEOUT,
            |s| !s.contents().contains(text),
        );
    }

    /// Waits until `pred(bytes received since mark)` holds; for raw-byte
    /// assertions (e.g. waiting for `\x1b[?1049l`). Same failure behaviour
    /// as [`Pty::wait_for`].
    pub fn wait_raw(
        &self,
        what: &str,
        mark: usize,
        timeout: Duration,
        pred: impl Fn(&[u8]) -> bool,
    ) {
        let deadline = Instant::now() + timeout;
        let mut st = self.shared.lock();
        loop {
            if pred(&st.raw[mark.min(st.raw.len())..]) {
                return;
            }
            let now = Instant::now();
            if st.eof || now >= deadline {
                let msg =
                    format!("output ended or timed out ({timeout:?}) waiting for raw: {what}");
                let report = report(&self.program, self.pid, &st, &msg, self.spawned_at);
                drop(st);
                panic!("{report}");
            }
            st = self.shared.wait_timeout(st, deadline - now);
        }
    }

    /// Screen contents as text (vt100 `contents()`: rows joined by newlines,
    /// trailing blanks trimmed).
    ///
    /// vt100 itself only drops cells that were never written (or erased):
    /// spaces a program *wrote* at the end of a row (ratatui's diff does so
    /// when a shorter text replaces a longer one) would otherwise stay, and
    /// the same screen would read differently depending on its history.
    /// So each row's trailing spaces are trimmed here too.
    pub fn screen_text(&self) -> String {
        let contents = self.shared.lock().parser.screen().contents();
        contents
            .split('\n')
            .map(trim_blanks)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Text of row `y` (0-based; trailing blanks trimmed). Panics if `y` is
    /// out of range.
    pub fn row(&self, y: u16) -> String {
        let st = self.shared.lock();
        let screen = st.parser.screen();
        let (rows, cols) = screen.size();
        assert!(
            y < rows.get(),
            "row {y} out of range (screen has {rows} rows)"
        );
        let row = screen
            .rows(0, cols.get())
            .nth(usize::from(y))
            .unwrap_or_default();
        trim_blanks(&row).to_string()
    }

    /// All rows of the screen as strings (trailing blanks trimmed).
    pub fn rows(&self) -> Vec<String> {
        let st = self.shared.lock();
        let screen = st.parser.screen();
        screen
            .rows(0, screen.size().1.get())
            .map(|r| trim_blanks(&r).to_string())
            .collect()
    }

    /// A snapshot of the emulator's screen, for cell/attribute/cursor
    /// assertions (`cell(row, col)`, `cursor_position()`,
    /// `alternate_screen()`, `hide_cursor()`, ...).
    pub fn screen(&self) -> vt100::Screen {
        self.shared.lock().parser.screen().clone()
    }

    /// All raw bytes received so far.
    pub fn raw(&self) -> Vec<u8> {
        self.shared.lock().raw.clone()
    }

    /// Current length of the raw output, to pass to [`Pty::since`] later.
    pub fn mark(&self) -> usize {
        self.shared.lock().raw.len()
    }

    /// Raw bytes received after `mark` (call [`Pty::settle`] first to know
    /// the action's output is complete).
    pub fn since(&self, mark: usize) -> Vec<u8> {
        let st = self.shared.lock();
        st.raw[mark.min(st.raw.len())..].to_vec()
    }

    /// Number of output chunks read so far (each one notified waiters).
    pub fn chunks(&self) -> u64 {
        self.shared.lock().chunks
    }

    /// Waits until no output arrived for `quiet` (or the output ended).
    ///
    /// This is the one place the harness uses time as an input: quiescence
    /// detection, to know that an action's output is complete when there is
    /// no content to wait for (e.g. "pressing X redraws nothing", or before
    /// measuring bytes with [`Pty::since`]). It is still condvar-driven (it
    /// sleeps only until the quiet period could have elapsed, and restarts
    /// when output arrives). Prefer [`Pty::wait_for`] whenever the expected
    /// result is visible. Panics if output keeps arriving until `timeout`;
    /// keep that deadline generous.
    ///
    /// The quiet period is counted from the later of the last output and
    /// this call: right after sending a key the output may have been quiet
    /// for long already, and returning at once would check the screen before
    /// the program even read the key.
    pub fn settle(&self, quiet: Duration, timeout: Duration) {
        let called = Instant::now();
        let deadline = called + timeout;
        let mut st = self.shared.lock();
        loop {
            if st.eof {
                return;
            }
            let now = Instant::now();
            let idle = now.saturating_duration_since(st.last_output.max(called));
            if idle >= quiet {
                return;
            }
            if now >= deadline {
                let msg = format!(
                    "output never went quiet for {quiet:?} within {timeout:?} (chunks so far: {})",
                    st.chunks
                );
                let report = report(&self.program, self.pid, &st, &msg, self.spawned_at);
                drop(st);
                panic!("{report}");
            }
            let nap = (quiet - idle).min(deadline - now);
            st = self.shared.wait_timeout(st, nap);
        }
    }

    /// [`Pty::settle`] with [`DEFAULT_QUIET`] and [`DEFAULT_TIMEOUT`].
    pub fn settle_default(&self) {
        self.settle(DEFAULT_QUIET, DEFAULT_TIMEOUT);
    }

    /// Resizes the pty (the kernel sends SIGWINCH to the foreground process
    /// group) and the emulator. The emulator is resized first, under the
    /// lock, so all output produced after the program sees the new size is
    /// parsed at the new size, as in a real terminal.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        assert!(cols > 0 && rows > 0, "pty size must be non-zero");
        let master = self.master.as_ref().expect("resize after close_master");
        let mut st = self.shared.lock();
        st.parser.set_size(
            std::num::NonZeroU16::new(rows).unwrap(),
            std::num::NonZeroU16::new(cols).unwrap(),
        );
        master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap_or_else(|e| panic!("resize failed: {e:#}"));
        drop(st);
        self.cols = cols;
        self.rows = rows;
    }

    /// Current size as (cols, rows).
    pub fn size(&self) -> (u16, u16) {
        (self.cols, self.rows)
    }

    /// Waits for the child to exit within `timeout`; returns its exit code,
    /// or `None` if it was killed by a signal. Panics with the screen on
    /// timeout. The exit can be seen before its last output has been read:
    /// call [`Pty::wait_eof`] (or wait for the text) before checking it.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        self.wait_exit_status(timeout).code()
    }

    /// Like [`Pty::wait_exit`] but returns the full status
    /// (`.code()`, and `.signal()` via `std::os::unix::process::ExitStatusExt`).
    pub fn wait_exit_status(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        let mut st = self.shared.lock();
        loop {
            if let Some(s) = st.exit {
                return s;
            }
            let now = Instant::now();
            if now >= deadline {
                let msg = format!("program did not exit within {timeout:?}");
                let report = report(&self.program, self.pid, &st, &msg, self.spawned_at);
                drop(st);
                panic!("{report}");
            }
            st = self.shared.wait_timeout(st, deadline - now);
        }
    }

    /// Waits until the output has ended: every slave fd is closed (normally
    /// because the program exited) or the master was closed. Use it after
    /// [`Pty::wait_exit`] before asserting on the *final* output: the exit
    /// status can be observed before the reader has drained the last bytes.
    pub fn wait_eof(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let mut st = self.shared.lock();
        while !st.eof {
            let now = Instant::now();
            if now >= deadline {
                let msg = format!("output did not end within {timeout:?}");
                let report = report(&self.program, self.pid, &st, &msg, self.spawned_at);
                drop(st);
                panic!("{report}");
            }
            st = self.shared.wait_timeout(st, deadline - now);
        }
    }

    /// The exit status if the child has already exited (non-blocking).
    pub fn exit_status(&self) -> Option<ExitStatus> {
        self.shared.lock().exit
    }

    /// Closes the master side, as when an SSH connection drops: the kernel
    /// hangs up the terminal, the session leader (the program) gets SIGHUP,
    /// and its reads/writes on the tty fail. Closes every master fd this
    /// harness holds (it stops and joins the reader thread, whose fd would
    /// otherwise keep the master open), so when this returns the hangup has
    /// happened. Output after this point is not captured.
    pub fn close_master(&mut self) {
        self.writer = None;
        self.master = None;
        self.wake = None; // reader thread sees POLLHUP on its pipe and exits
        if let Some(h) = self.reader.take() {
            let _ = h.join();
        }
        let mut st = self.shared.lock();
        st.master_closed = true;
        st.eof = true;
        self.shared.cond.notify_all();
    }

    /// Sends a signal to the child: "HUP", "INT", "QUIT", "KILL", "TERM",
    /// "USR1", "USR2", "WINCH", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
    /// "ALRM", "PIPE" (with or without a "SIG" prefix) or a number.
    /// Does nothing if the child has already exited.
    pub fn signal(&self, sig: &str) {
        let signo = signal_number(sig).unwrap_or_else(|| panic!("unknown signal {sig:?}"));
        // Under the lock, so the waiter cannot reap the pid meanwhile.
        let st = self.shared.lock();
        if st.exit.is_none() {
            // SAFETY: plain syscall; pid is our unreaped child.
            let r = unsafe { libc::kill(self.pid as libc::pid_t, signo) };
            if r != 0 {
                panic!(
                    "kill({}, {sig}) failed: {}",
                    self.pid,
                    std::io::Error::last_os_error()
                );
            }
        }
    }

    /// Child pid (also its process group and session id).
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Time since spawn.
    pub fn elapsed(&self) -> Duration {
        self.spawned_at.elapsed()
    }

    /// A failure report: `msg`, the screen, the raw tail and child status.
    pub fn failure_report(&self, msg: &str) -> String {
        let st = self.shared.lock();
        report(&self.program, self.pid, &st, msg, self.spawned_at)
    }

    /// Prints [`Pty::failure_report`]-style dump of the screen to stderr
    /// (captured by the test runner, shown for failing tests).
    pub fn dump(&self, label: &str) {
        eprintln!("{}", self.failure_report(label));
    }
}

/// How to start a program in a pty: [`Spawn::new`], options, [`Spawn::start`].
#[derive(Clone, Debug)]
pub struct Spawn {
    program: String,
    args: Vec<String>,
    cols: u16,
    rows: u16,
    env: Vec<(String, String)>,
    cwd: Option<std::path::PathBuf>,
    rate: Option<u64>,
    user: Option<u32>,
}

impl Spawn {
    /// `program` at 80x24, no arguments, the test's cwd.
    pub fn new(program: &str) -> Spawn {
        Spawn {
            program: program.into(),
            args: Vec::new(),
            cols: 80,
            rows: 24,
            env: Vec::new(),
            cwd: None,
            rate: None,
            user: None,
        }
    }

    /// Appends arguments.
    pub fn args<S: AsRef<str>>(mut self, args: &[S]) -> Spawn {
        self.args
            .extend(args.iter().map(|a| a.as_ref().to_string()));
        self
    }

    /// Appends one argument.
    pub fn arg(mut self, arg: impl AsRef<str>) -> Spawn {
        self.args.push(arg.as_ref().to_string());
        self
    }

    /// The terminal's size.
    pub fn size(mut self, cols: u16, rows: u16) -> Spawn {
        self.cols = cols;
        self.rows = rows;
        self
    }

    /// Sets an environment variable (after the defaults and removals).
    pub fn env(mut self, key: &str, value: impl AsRef<str>) -> Spawn {
        self.env.push((key.into(), value.as_ref().into()));
        self
    }

    /// The program's working directory.
    pub fn cwd(mut self, dir: impl AsRef<Path>) -> Spawn {
        self.cwd = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Forwards the program's output at most `bytes_per_second` (a slow link).
    pub fn rate(mut self, bytes_per_second: Option<u64>) -> Spawn {
        self.rate = bytes_per_second;
        self
    }

    /// Runs the program as another user (and that user's group id), through
    /// `setpriv`; the caller must be root.
    pub fn user(mut self, uid: u32) -> Spawn {
        self.user = Some(uid);
        self
    }

    /// Starts it.
    pub fn start(self) -> Pty {
        Pty::start(self)
    }
}

/// Output received after a mark, once the program has gone quiet.
#[derive(Clone, Copy, Debug)]
pub struct Burst {
    /// Bytes received after the mark.
    pub bytes: usize,
    /// Arrival time of the last byte after the mark (None: nothing came).
    pub last: Option<Instant>,
    /// Arrival time of the first bytes after the mark: a frame written at
    /// once arrives in one piece, so this is when the first frame came.
    pub first: Option<Instant>,
}

impl Pty {
    /// When the program was started.
    pub fn spawned_at(&self) -> Instant {
        self.spawned_at
    }

    /// Waits until `pred(screen)` holds; `false` on timeout or end of output.
    pub fn try_wait_for(&self, timeout: Duration, pred: impl Fn(&vt100::Screen) -> bool) -> bool {
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
            st = self.shared.wait_timeout(st, deadline - now);
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
                let last = st.times.last().map_or(start, |c| c.0).max(start);
                let idle = now.saturating_duration_since(last);
                if idle >= quiet {
                    break;
                }
                quiet - idle
            } else {
                first_deadline - now
            };
            let wait = wait.min(deadline.saturating_duration_since(now));
            st = self.shared.wait_timeout(st, wait);
        }
        let bytes = st.raw.len().saturating_sub(mark);
        let last = (bytes > 0).then(|| st.times.last().map(|c| c.0)).flatten();
        let first = st.times.iter().find(|c| c.1 > mark).map(|c| c.0);
        Burst { bytes, last, first }
    }

    /// Sends `keys` and waits for the resulting burst; returns it and the send time.
    pub fn act(&mut self, keys: &[u8], quiet: Duration, timeout: Duration) -> (Burst, Instant) {
        let mark = self.mark();
        let t0 = Instant::now();
        self.send(keys);
        (self.burst(mark, quiet, timeout, timeout), t0)
    }

    /// Whether the terminal is in cooked mode (canonical input and echo on),
    /// as the program left it: read from the master, which shares the
    /// slave's settings. `None` after [`Pty::close_master`].
    pub fn cooked(&self) -> Option<bool> {
        let fd = self.writer.as_ref()?.as_raw_fd();
        // SAFETY: tcgetattr fills the zeroed termios we own; fd is open.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(fd, &mut t) } != 0 {
            return None;
        }
        Some(t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0)
    }

    /// Writes `bytes` from another thread and waits up to `timeout` for the
    /// write to complete; `false` if it did not (the program stopped reading
    /// its input, so the terminal's input queue is full). A write that never
    /// completes ends when the program does.
    pub fn send_within(&mut self, bytes: &[u8], timeout: Duration) -> bool {
        let mut w = self
            .writer
            .as_ref()
            .expect("send after close_master")
            .try_clone()
            .expect("dup the master");
        let bytes = bytes.to_vec();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let ok = w.write_all(&bytes).and_then(|()| w.flush()).is_ok();
            let _ = tx.send(ok);
        });
        rx.recv_timeout(timeout).unwrap_or(false)
    }

    /// The output after `mark`, as the reads that received it: a program
    /// that writes a frame in one write mostly arrives a frame per read.
    pub fn reads_since(&self, mark: usize) -> Vec<Vec<u8>> {
        let st = self.shared.lock();
        let mut out = Vec::new();
        let mut from = mark;
        for &(_, end) in &st.times {
            if end > from {
                out.push(st.raw[from..end].to_vec());
                from = end;
            }
        }
        out
    }

    /// Whether the child has exited.
    pub fn exited(&self) -> bool {
        self.shared.lock().exit.is_some()
    }

    /// Sends `quit` and waits up to `timeout` for the program to exit;
    /// returns whether it did (the `Drop` kills it otherwise).
    pub fn try_quit(&mut self, quit: &[u8], timeout: Duration) -> bool {
        self.send(quit);
        let deadline = Instant::now() + timeout;
        let mut st = self.shared.lock();
        while st.exit.is_none() {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            st = self.shared.wait_timeout(st, deadline - now);
        }
        true
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "{}",
                self.failure_report("test panicked while this pty was alive")
            );
        }
        {
            // Under the lock: the waiter only reaps the child while holding
            // it, so the pid (= process group id) cannot have been recycled.
            let st = self.shared.lock();
            if st.exit.is_none() {
                // SAFETY: plain syscalls. Kill the whole process group
                // (the child is a session/group leader) so no helper
                // processes are left behind either.
                unsafe {
                    if libc::kill(-(self.pid as libc::pid_t), libc::SIGKILL) != 0 {
                        libc::kill(self.pid as libc::pid_t, libc::SIGKILL);
                    }
                }
            }
        }
        self.writer = None;
        self.master = None;
        self.wake = None;
        if let Some(h) = self.reader.take() {
            let _ = h.join();
        }
        // Give the waiter thread a moment to reap, so no zombie outlives the
        // test; never panic in Drop.
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut st = self.shared.lock();
        while st.exit.is_none() {
            let now = Instant::now();
            if now >= deadline {
                eprintln!("pty harness: pid {} did not die after SIGKILL", self.pid);
                break;
            }
            st = self.shared.wait_timeout(st, deadline - now);
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
    let error: Option<String> = loop {
        fds[0].revents = 0;
        fds[1].revents = 0;
        // SAFETY: fds points to two valid pollfd structs.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            break Some(format!("poll: {e}"));
        }
        if fds[1].revents != 0 {
            break None; // close_master / Drop
        }
        if fds[0].revents == 0 {
            continue;
        }
        match (&file).read(&mut buf[..slice]) {
            Ok(0) => break None,
            Ok(n) => {
                if let Some(r) = rate {
                    // Sleeping until the link would have sent the slice IS
                    // the simulation of the slow link.
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
                st.chunks += 1;
                let now = Instant::now();
                st.last_output = now;
                let len = st.raw.len();
                st.times.push((now, len));
                shared.cond.notify_all();
            }
            // Linux: once every slave fd is closed, reading the master fails
            // with EIO instead of returning 0. That is end-of-file.
            Err(e) if e.raw_os_error() == Some(libc::EIO) => break None,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::Interrupted | std::io::ErrorKind::WouldBlock
                ) =>
            {
                continue;
            }
            Err(e) => break Some(format!("read: {e}")),
        }
    };
    drop(file);
    let mut st = shared.lock();
    st.eof = true;
    st.read_error = error;
    shared.cond.notify_all();
}

fn signal_number(sig: &str) -> Option<i32> {
    if let Ok(n) = sig.parse::<i32>() {
        return Some(n);
    }
    let name = sig.strip_prefix("SIG").unwrap_or(sig);
    Some(match name {
        "HUP" => libc::SIGHUP,
        "INT" => libc::SIGINT,
        "QUIT" => libc::SIGQUIT,
        "KILL" => libc::SIGKILL,
        "TERM" => libc::SIGTERM,
        "USR1" => libc::SIGUSR1,
        "USR2" => libc::SIGUSR2,
        "WINCH" => libc::SIGWINCH,
        "CONT" => libc::SIGCONT,
        "STOP" => libc::SIGSTOP,
        "TSTP" => libc::SIGTSTP,
        "TTIN" => libc::SIGTTIN,
        "TTOU" => libc::SIGTTOU,
        "ALRM" => libc::SIGALRM,
        "PIPE" => libc::SIGPIPE,
        _ => return None,
    })
}

fn report(program: &str, pid: u32, st: &State, msg: &str, spawned_at: Instant) -> String {
    let screen = st.parser.screen();
    let (rows, cols) = screen.size();
    let (cy, cx) = screen.cursor_position();
    let mut out = String::new();
    let _ = writeln!(out, "\n=== pty: {msg}");
    let _ = writeln!(
        out,
        "program {program:?} pid {pid}, {:?} after spawn; exit: {}; output ended: {}{}{}",
        spawned_at.elapsed(),
        match st.exit {
            Some(s) => format!("{s}"),
            None => "still running".into(),
        },
        st.eof,
        if st.master_closed {
            " (master closed)"
        } else {
            ""
        },
        match &st.read_error {
            Some(e) => format!("; reader error: {e}"),
            None => String::new(),
        },
    );
    let _ = writeln!(
        out,
        "screen {cols}x{rows}, cursor (row {cy}, col {cx}){}{}, {} bytes in {} chunks",
        if screen.alternate_screen() {
            ", alternate screen"
        } else {
            ""
        },
        if screen.hide_cursor() {
            ", cursor hidden"
        } else {
            ""
        },
        st.raw.len(),
        st.chunks,
    );
    let width = usize::from(cols.get());
    let _ = writeln!(out, "    +{}+", "-".repeat(width));
    for (i, row) in screen.rows(0, cols.get()).enumerate() {
        let pad = width.saturating_sub(unicode_cols(&row));
        let _ = writeln!(out, "{i:>3} |{row}{}|", " ".repeat(pad));
    }
    let _ = writeln!(out, "    +{}+", "-".repeat(width));
    let tail_len = 600;
    let start = st.raw.len().saturating_sub(tail_len);
    let _ = writeln!(
        out,
        "last {} raw bytes: {}",
        st.raw.len() - start,
        escape(&st.raw[start..])
    );
    out
}

/// Rough display width (wide CJK/emoji count as 2) just for aligning the
/// dump's right border; no extra dependency.
fn unicode_cols(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let c = c as u32;
            if (0x1100..=0x115f).contains(&c)
                || (0x2e80..=0xa4cf).contains(&c)
                || (0xac00..=0xd7a3).contains(&c)
                || (0xf900..=0xfaff).contains(&c)
                || (0xfe30..=0xfe4f).contains(&c)
                || (0xff00..=0xff60).contains(&c)
                || (0xffe0..=0xffe6).contains(&c)
                || (0x1f300..=0x1faff).contains(&c)
                || (0x20000..=0x3fffd).contains(&c)
            {
                2
            } else {
                1
            }
        })
        .sum()
}
