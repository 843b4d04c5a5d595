//! A crowd of viewers for `benches/serve.rs`: many programs in ptys at
//! once (real `ssh` clients, or a local follower), each owned by a thread
//! of its own, so that the moment each one's screen shows something is
//! taken when its own output arrives, not when a sequential wait reaches
//! it. Plus the readings of the machine and of the server that the bench
//! reports: load average, context switches over all threads, file limits.
//!
//! How a step is timed ([`Crowd::arm`]): every viewer's thread takes its
//! output mark and says it is ready; only then does the caller send the
//! key and take its time; each thread then waits (condvar-driven, see
//! [`crate::pty`]) until its screen satisfies the predicate and takes the
//! time as the wait returns. On a loaded machine that includes the time
//! the thread needs to be scheduled, as a terminal needs to be to show it.

use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::pty::Pty;

type Job = Box<dyn FnOnce(&mut Pty) + Send>;

/// A program in a pty, living on a thread of its own; the pty is only
/// touched through jobs run on that thread.
pub struct Remote {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
    pid: u32,
}

impl Remote {
    /// Starts `start` (which spawns the pty) on a new thread.
    pub fn start(name: &str, start: impl FnOnce() -> Pty + Send + 'static) -> Remote {
        let (jobs_tx, jobs) = mpsc::channel::<Job>();
        let (pid_tx, pid_rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let mut pty = start();
                let _ = pid_tx.send(pty.pid());
                while let Ok(job) = jobs.recv() {
                    job(&mut pty);
                }
            })
            .expect("spawn a viewer thread");
        let pid = pid_rx.recv().unwrap_or(0);
        Remote {
            jobs: Some(jobs_tx),
            thread: Some(thread),
            pid,
        }
    }

    /// The program's pid (0: it did not start).
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Runs `f` on the pty's thread; its answer comes on the receiver (none
    /// if it panicked: the pty's failure report is then on stderr).
    pub fn ask<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Pty) -> T + Send + 'static,
    ) -> mpsc::Receiver<T> {
        let (tx, rx) = mpsc::channel();
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(Box::new(move |pty: &mut Pty| {
                let _ = tx.send(f(pty));
            }));
        }
        rx
    }

    /// Runs `f` on the pty's thread and waits for its answer.
    pub fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Pty) -> T + Send + 'static,
    ) -> Option<T> {
        self.ask(f).recv().ok()
    }
}

impl Drop for Remote {
    fn drop(&mut self) {
        // The thread ends with its queue; dropping the pty kills the program.
        self.jobs = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// What one viewer saw of a step.
#[derive(Clone, Copy, Debug)]
pub struct Seen {
    /// The output mark when the viewer was armed (before the key).
    pub mark: usize,
    /// When its screen first satisfied the predicate (`None`: not in time).
    pub at: Option<Instant>,
    /// The output mark at that moment.
    pub mark_at: usize,
}

/// A step under way: every viewer armed, waiting for its screen.
pub struct Armed {
    answers: Vec<mpsc::Receiver<Seen>>,
}

impl Armed {
    /// Waits for every viewer's answer (`None`: its thread died).
    pub fn collect(self) -> Vec<Option<Seen>> {
        self.answers.into_iter().map(|rx| rx.recv().ok()).collect()
    }
}

/// Many programs in ptys, each on its own thread.
#[derive(Default)]
pub struct Crowd {
    /// The programs, in the order they joined.
    pub members: Vec<Remote>,
}

impl Crowd {
    /// How many there are.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Runs `f` on every pty at once; the answers in order (`None`: that
    /// thread died).
    pub fn all<T: Send + 'static>(
        &self,
        f: impl Fn(&mut Pty) -> T + Send + Sync + 'static,
    ) -> Vec<Option<T>> {
        let f = Arc::new(f);
        let answers: Vec<_> = self
            .members
            .iter()
            .map(|m| {
                let f = f.clone();
                m.ask(move |p| f(p))
            })
            .collect();
        answers.into_iter().map(|rx| rx.recv().ok()).collect()
    }

    /// Arms every viewer to wait (up to `timeout`) for `pred` on its
    /// screen; returns once all are armed (or their threads are gone), so
    /// the caller's next action comes after every mark.
    pub fn arm(
        &self,
        timeout: Duration,
        pred: impl Fn(&vt100::Screen) -> bool + Send + Sync + 'static,
    ) -> Armed {
        let pred = Arc::new(pred);
        let (ready_tx, ready) = mpsc::channel();
        let answers = self
            .members
            .iter()
            .map(|m| {
                let (pred, ready) = (pred.clone(), ready_tx.clone());
                m.ask(move |p| {
                    let mark = p.mark();
                    let _ = ready.send(());
                    let ok = p.try_wait_for(timeout, |s| pred(s));
                    let at = Instant::now();
                    Seen {
                        mark,
                        at: ok.then_some(at),
                        mark_at: p.mark(),
                    }
                })
            })
            .collect();
        // A thread that died drops its job, and with it its sender.
        drop(ready_tx);
        for _ in &self.members {
            if ready.recv_timeout(crate::DEFAULT_TIMEOUT).is_err() {
                break;
            }
        }
        Armed { answers }
    }
}

/// The first line of /proc/loadavg ("0.42 1.86 2.30 1/345 6789").
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "?".into())
}

/// Voluntary and involuntary context switches of `pid`, summed over its
/// threads (/proc/PID/status alone counts only the main thread).
pub fn context_switches(pid: u32) -> Option<(u64, u64)> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
    let (mut voluntary, mut involuntary) = (0, 0);
    for t in tasks.flatten() {
        let Ok(status) = std::fs::read_to_string(t.path().join("status")) else {
            continue;
        };
        let field = |key: &str| -> u64 {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0)
        };
        voluntary += field("voluntary_ctxt_switches:");
        involuntary += field("nonvoluntary_ctxt_switches:");
    }
    Some((voluntary, involuntary))
}

/// The number of threads of `pid`.
pub fn threads(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task")).map_or(0, |d| d.count())
}

/// The number of open file descriptors of `pid`.
pub fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count())
}

/// Raises this process's soft limit of open files to the hard limit (so
/// that programs started later inherit it too); returns (soft, hard) after.
pub fn raise_open_files() -> (u64, u64) {
    // SAFETY: getrlimit/setrlimit fill and read a struct we own.
    unsafe {
        let mut lim: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return (0, 0);
        }
        if lim.rlim_cur < lim.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: lim.rlim_max,
                rlim_max: lim.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                lim = raised;
            }
        }
        (lim.rlim_cur, lim.rlim_max)
    }
}
