//! The operating system, poked directly for tests: signals to a pid, FIFOs,
//! a job-control "shell", watching a file being read. Here rather than in
//! the test files, which (like the program outside its `sys` module) hold
//! no unsafe code.

use std::path::Path;
use std::time::Duration;

/// Sends signal `sig` (a libc number) to `pid`; whether it was delivered.
pub fn signal(pid: u32, sig: i32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: kill only sends a signal; no memory is involved.
    unsafe { libc::kill(pid, sig) == 0 }
}

/// Makes a named pipe at `path`.
pub fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).expect("a path without NUL");
    // SAFETY: a valid NUL-terminated path; no other memory is involved.
    let rc = unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
    assert_eq!(
        rc,
        0,
        "mkfifo {}: {}",
        path.display(),
        std::io::Error::last_os_error()
    );
}

/// Sends SIGCONT then SIGKILL to a pid when dropped (a program started in
/// its own process group, which the pty harness's Drop does not reach).
pub struct KillOnDrop(pub u32);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        signal(self.0, libc::SIGCONT);
        signal(self.0, libc::SIGKILL);
    }
}

/// What [`job_control_shell`] writes when its job stops, before the signal's number.
pub const STOPPED_BY: &str = "[job stopped by signal ";

/// Job control as a shell does it: runs `argv` in its own process group in
/// the foreground of this terminal, waits for it to *exit* (not stop), and
/// exits with its status. A process group with a parent in the same session
/// is not orphaned, so the kernel really stops it on SIGTSTP (for an
/// orphaned one, such as a session leader started straight in a pty, it
/// discards SIGTSTP). Each stop is reported on the terminal as
/// [`STOPPED_BY`] and the signal's number, as a shell tells "Stopped"
/// (SIGTSTP) from "Stopped (signal)" (SIGSTOP). Never returns.
pub fn job_control_shell(argv: &[String]) -> ! {
    use std::ffi::CString;
    let args: Vec<CString> = argv
        .iter()
        .map(|a| CString::new(a.as_bytes()).expect("an argument without NUL"))
        .collect();
    let mut ptrs: Vec<*const libc::c_char> = args.iter().map(|a| a.as_ptr()).collect();
    ptrs.push(std::ptr::null());
    // SAFETY: between fork and exec the child calls only async-signal-safe
    // functions on data prepared before the fork.
    unsafe {
        let pid = libc::fork();
        if pid == 0 {
            libc::signal(libc::SIGTTOU, libc::SIG_IGN);
            libc::setpgid(0, 0);
            libc::tcsetpgrp(0, libc::getpid());
            libc::signal(libc::SIGTTOU, libc::SIG_DFL);
            libc::execv(ptrs[0], ptrs.as_ptr());
            libc::_exit(127);
        }
        libc::setpgid(pid, pid);
        let mut status = 0;
        loop {
            if libc::waitpid(pid, &mut status, libc::WUNTRACED) != pid {
                continue;
            }
            if !libc::WIFSTOPPED(status) {
                break;
            }
            let line = format!("{STOPPED_BY}{}]\n", libc::WSTOPSIG(status));
            let _ = std::io::Write::write_all(&mut std::io::stdout(), line.as_bytes());
        }
        let code = if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            128 + libc::WTERMSIG(status)
        };
        std::process::exit(code);
    }
}

/// Tells when a file is closed after being read (inotify's close-no-write).
pub struct CloseWatch {
    rx: std::sync::mpsc::Receiver<()>,
}

impl CloseWatch {
    /// Starts watching `path`.
    pub fn new(path: &Path) -> CloseWatch {
        let mut inotify = inotify::Inotify::init().expect("inotify");
        inotify
            .watches()
            .add(path, inotify::WatchMask::CLOSE_NOWRITE)
            .expect("watch the file");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(events) = inotify.read_events_blocking(&mut buf) {
                for _ in events {
                    if tx.send(()).is_err() {
                        return;
                    }
                }
            }
        });
        CloseWatch { rx }
    }

    /// Waits for the next close after a read; panics after `timeout`.
    pub fn wait(&self, timeout: Duration) {
        self.rx
            .recv_timeout(timeout)
            .expect("the file was never read");
    }
}
