//! Runs of a program without a terminal: stdout and stderr piped (or
//! redirected), stdin closed or fed, a clean environment, and a deadline, so
//! a refusal that blocks fails the test instead of hanging it.

use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::pty::ENV_REMOVED;

/// How long a run may take before it counts as blocked.
pub const RUN_DEADLINE: Duration = Duration::from_secs(30);

/// A run being prepared: [`Run::new`], options, [`Run::output`].
pub struct Run {
    cmd: Command,
    stdin: Option<Vec<u8>>,
    stdout_to: Option<PathBuf>,
    stderr_to: Option<PathBuf>,
    user: Option<u32>,
}

impl Run {
    /// `program` with TERM=xterm-256color, LANG=C.UTF-8 and the variables
    /// of [`ENV_REMOVED`] removed.
    pub fn new(program: &str) -> Run {
        let mut cmd = Command::new(program);
        for k in ENV_REMOVED {
            cmd.env_remove(k);
        }
        cmd.env("TERM", "xterm-256color").env("LANG", "C.UTF-8");
        Run {
            cmd,
            stdin: None,
            stdout_to: None,
            stderr_to: None,
            user: None,
        }
    }

    /// Appends arguments.
    pub fn args<S: AsRef<std::ffi::OsStr>>(mut self, args: &[S]) -> Run {
        self.cmd.args(args);
        self
    }

    /// Appends one argument.
    pub fn arg(mut self, arg: impl Into<OsString>) -> Run {
        self.cmd.arg(arg.into());
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Run {
        self.cmd.env(key, value);
        self
    }

    /// Removes an environment variable.
    pub fn env_remove(mut self, key: &str) -> Run {
        self.cmd.env_remove(key);
        self
    }

    /// The working directory.
    pub fn cwd(mut self, dir: &Path) -> Run {
        self.cmd.current_dir(dir);
        self
    }

    /// Feeds `bytes` on standard input (default: closed).
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Run {
        self.stdin = Some(bytes.into());
        self
    }

    /// Sends standard output to a file (e.g. /dev/full) instead of a pipe.
    pub fn stdout_to(mut self, path: &Path) -> Run {
        self.stdout_to = Some(path.to_path_buf());
        self
    }

    /// Sends standard error to a file (e.g. /dev/full) instead of a pipe.
    pub fn stderr_to(mut self, path: &Path) -> Run {
        self.stderr_to = Some(path.to_path_buf());
        self
    }

    /// Runs as another user (uid and gid `uid`, no supplementary groups);
    /// the caller must be root.
    pub fn user(mut self, uid: u32) -> Run {
        self.user = Some(uid);
        self
    }

    /// Runs to completion (panicking after [`RUN_DEADLINE`]).
    pub fn output(self) -> Output {
        self.output_within(RUN_DEADLINE)
    }

    /// Runs to completion, panicking after `deadline`.
    pub fn output_within(mut self, deadline: Duration) -> Output {
        if let Some(uid) = self.user {
            // setpriv(1) also drops the supplementary groups, which std's
            // CommandExt cannot do on stable.
            let mut c = Command::new("setpriv");
            c.arg(format!("--reuid={uid}"))
                .arg(format!("--regid={uid}"))
                .arg("--clear-groups")
                .arg("--")
                .arg(self.cmd.get_program())
                .args(self.cmd.get_args());
            for (k, v) in self.cmd.get_envs() {
                match v {
                    Some(v) => c.env(k, v),
                    None => c.env_remove(k),
                };
            }
            if let Some(d) = self.cmd.get_current_dir() {
                c.current_dir(d);
            }
            self.cmd = c;
        }
        let file = |p: &Option<PathBuf>| -> Stdio {
            match p {
                Some(p) => std::fs::OpenOptions::new()
                    .write(true)
                    .open(p)
                    .expect("open redirect target")
                    .into(),
                None => Stdio::piped(),
            }
        };
        self.cmd
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(file(&self.stdout_to))
            .stderr(file(&self.stderr_to));
        let mut child = self.cmd.spawn().expect("spawn program");
        if let (Some(bytes), Some(mut sink)) = (self.stdin, child.stdin.take()) {
            std::thread::spawn(move || {
                let _ = std::io::Write::write_all(&mut sink, &bytes);
            });
        }
        // Read both pipes on threads so a large output cannot deadlock us.
        let drain = |pipe: Option<Box<dyn Read + Send>>| {
            std::thread::spawn(move || {
                let mut v = Vec::new();
                if let Some(mut p) = pipe {
                    let _ = p.read_to_end(&mut v);
                }
                v
            })
        };
        let out = drain(
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        let err = drain(
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        let until = Instant::now() + deadline;
        let status = loop {
            if let Some(s) = child.try_wait().expect("try_wait") {
                break s;
            }
            if Instant::now() >= until {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the program did not finish within {deadline:?} (blocked?)");
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        Output {
            status,
            stdout: out.join().unwrap_or_default(),
            stderr: err.join().unwrap_or_default(),
        }
    }
}

/// Output bytes as text (lossy), for assertions.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
