//! The few calls into the C library that no crate wraps for us: local time
//! (`localtime_r`), the user database (`getpwuid_r`) and stopping as
//! SIGTSTP's default action does. The only module where `unsafe` is
//! allowed; each call is small and documented. (What a crate wraps is used
//! through it: signal-hook for signals, rustix for `kill(pid, 0)` and the
//! host name.)

#![allow(unsafe_code)]

/// Local wall-clock facts about a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalTime {
    /// Hour of the day, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Offset from UTC in seconds (east positive).
    pub offset: i64,
}

/// The local time at `unix` seconds, in the machine's time zone.
pub fn local_time(unix: i64) -> Option<LocalTime> {
    let t = libc::time_t::try_from(unix).ok()?;
    // SAFETY: localtime_r only writes the zeroed struct we own, from a
    // valid time_t; it returns NULL on failure, checked here.
    let tm = unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            return None;
        }
        tm
    };
    Some(LocalTime {
        hour: u8::try_from(tm.tm_hour).ok()?,
        minute: u8::try_from(tm.tm_min).ok()?,
        offset: tm.tm_gmtoff,
    })
}

/// The login name of user `uid`, if the user database knows it.
pub fn user_name(uid: u32) -> Option<String> {
    let mut buf = vec![0u8; 4096];
    // SAFETY: getpwuid_r writes only into `pw` and `buf`, which we own and
    // whose length we pass; on success `result` points to `pw`, whose
    // `pw_name` points into `buf` and is NUL-terminated.
    unsafe {
        let mut pw: libc::passwd = std::mem::zeroed();
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(
            uid,
            &mut pw,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut result,
        );
        if rc != 0 || result.is_null() || pw.pw_name.is_null() {
            return None;
        }
        let name = std::ffi::CStr::from_ptr(pw.pw_name);
        Some(name.to_string_lossy().into_owned())
    }
}

/// Stops the process as SIGTSTP's default action would (so the kernel
/// discards it for an orphaned process group, where nobody could resume
/// us), until it is continued; then the handler in place before (ours,
/// signal-hook's) is put back.
///
/// Not signal-hook's `emulate_default_handler(SIGTSTP)`: it raises SIGSTOP,
/// which the kernel never discards (an orphaned browser would freeze for
/// good: `signals::ctrl_z_with_no_shell_to_resume_it_carries_on` in
/// tests/hostile) and which a shell reports as another kind of stop.
pub fn stop_like_sigtstp() {
    // SAFETY: sigaction with a zeroed struct and SIG_DFL sets the default
    // action and saves the old one into `old`, which we own; raise sends
    // SIGTSTP to this thread and returns once the process is continued (or
    // at once if the signal was discarded); the old action is then restored.
    unsafe {
        let mut default: libc::sigaction = std::mem::zeroed();
        default.sa_sigaction = libc::SIG_DFL;
        let mut old: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGTSTP, &default, &mut old) != 0 {
            return;
        }
        libc::raise(libc::SIGTSTP);
        libc::sigaction(libc::SIGTSTP, &old, std::ptr::null_mut());
    }
}

/// Writes past a file-size limit (`ulimit -f`) fail with EFBIG, said as
/// any write error is, instead of SIGXFSZ ending the process with the
/// terminal raw (docs/history.md says what a kept version then does).
pub fn fail_writes_past_the_file_size_limit() {
    // SAFETY: setting a signal's disposition to SIG_IGN takes no pointers;
    // called before any thread starts.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// The umask read at start ([`read_umask`]), while one thread ran.
static UMASK: std::sync::OnceLock<u32> = std::sync::OnceLock::new();

/// Reads the umask once, before any thread starts: reading it means setting
/// it (and back), which another thread creating a file meanwhile would see.
pub fn read_umask() {
    // SAFETY: umask only swaps the process's file mode mask; called before
    // any thread starts, so no file is created between the two calls.
    let old = unsafe { libc::umask(0o077) };
    // SAFETY: as above; this puts the mask back.
    unsafe { libc::umask(old) };
    let _ = UMASK.set(old);
}

/// The process's umask: as read at start, else as the kernel reports it;
/// the strictest one (0o077) when neither can say, so that a file is never
/// more open than asked.
pub fn umask() -> u32 {
    if let Some(&mask) = UMASK.get() {
        return mask;
    }
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("Umask:"))?;
            u32::from_str_radix(line.trim_start_matches("Umask:").trim(), 8).ok()
        })
        .unwrap_or(0o077)
}

/// Allocations of at least this many bytes are large: see [`fix_large_allocations`].
pub const LARGE: usize = 1 << 20;

/// Large allocations (a report's text, a piece of it as read) get pages of their
/// own, given back when freed. glibc otherwise raises its threshold for that
/// to the size of the last large block freed, so a reloaded report's blocks
/// come from the heap instead, where freed memory stays resident: after a
/// few reloads of a 10 MB report, 40% more than a fresh start. Fixing the
/// threshold turns that adjustment off. glibc only; elsewhere nothing to do.
pub fn fix_large_allocations() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a glibc tunable; called before any thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, LARGE as libc::c_int);
    }
}

/// Gives the memory the allocator holds free back to the system (after a
/// large report was replaced, so the resident size drops to what the new
/// one needs). glibc only; elsewhere nothing to do.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own heap; it takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn root_is_known_by_name() {
        assert_eq!(super::user_name(0).as_deref(), Some("root"));
    }

    #[test]
    fn the_local_time_is_a_time_of_day() {
        let t = super::local_time(1_700_000_000).expect("local time");
        assert!(t.hour < 24 && t.minute < 60);
        assert!(t.offset.abs() <= 14 * 3600);
    }
}
