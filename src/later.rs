//! Work beside other work: on a thread of its own when one can be started,
//! else right away on this one. A process limit (`ulimit -u`, a container's
//! pids limit) must make loading slower, never fail it.

use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{Builder, JoinHandle, Scope, ScopedJoinHandle};

/// A result being made beside the caller, or made already.
pub enum Later<'scope, T> {
    /// On a thread of its own (which finds the work in the slot).
    Thread(ScopedJoinHandle<'scope, Option<T>>),
    /// Made on the caller's thread, as no thread could be started.
    Done(T),
}

/// Starts `work` on a thread named `name` in `scope`; if no thread can be
/// started, does it now.
pub fn start<'scope, T: Send + 'scope>(
    scope: &'scope Scope<'scope, '_>,
    name: &str,
    work: impl FnOnce() -> T + Send + 'scope,
) -> Later<'scope, T> {
    start_on(scope, Builder::new().name(name.into()), work)
}

// `builder` starts the thread (a test passes one that cannot).
fn start_on<'scope, T: Send + 'scope>(
    scope: &'scope Scope<'scope, '_>,
    builder: Builder,
    work: impl FnOnce() -> T + Send + 'scope,
) -> Later<'scope, T> {
    // Shared, so that a refused thread does not take the work with it.
    let slot = Arc::new(Mutex::new(Some(work)));
    let theirs = slot.clone();
    let spawned = builder.spawn_scoped(scope, move || take(&theirs).map(|work| work()));
    match spawned {
        Ok(thread) => Later::Thread(thread),
        // Only now taken here: a started thread takes it itself.
        Err(_) => match take(&slot) {
            Some(work) => Later::Done(work()),
            None => unreachable!("a thread that was refused ran the work"),
        },
    }
}

/// Runs `work` on a thread of its own named `name`, not waited for (its
/// handle, to wait for it if need be); if no thread can be started, runs it
/// now (a job done late, never lost) and gives no handle.
pub fn detached(name: &str, work: impl FnOnce() + Send + 'static) -> Option<JoinHandle<()>> {
    detached_on(Builder::new().name(name.into()), work)
}

fn detached_on(builder: Builder, work: impl FnOnce() + Send + 'static) -> Option<JoinHandle<()>> {
    let slot = Arc::new(Mutex::new(Some(work)));
    let theirs = slot.clone();
    let spawned = builder.spawn(move || {
        if let Some(work) = take(&theirs) {
            work();
        }
    });
    match spawned {
        Ok(thread) => Some(thread),
        // Only now taken here: a started thread takes it itself.
        Err(_) => {
            if let Some(work) = take(&slot) {
                work();
            }
            None
        }
    }
}

fn take<W>(slot: &Mutex<Option<W>>) -> Option<W> {
    slot.lock().unwrap_or_else(PoisonError::into_inner).take()
}

impl<T> Later<'_, T> {
    /// The result, once made; a panic in the work goes on here.
    pub fn get(self) -> T {
        match self {
            Later::Thread(thread) => match thread.join() {
                Ok(Some(t)) => t,
                Ok(None) => unreachable!("the work was taken before its thread ran"),
                Err(panic) => std::panic::resume_unwind(panic),
            },
            Later::Done(t) => t,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn work_beside_gives_its_result() {
        let text = String::from("borrowed");
        let (a, b) = std::thread::scope(|s| {
            let a = super::start(s, "test", || text.len());
            (a.get(), text.to_uppercase())
        });
        assert_eq!((a, b.as_str()), (8, "BORROWED"));
        assert_eq!(
            std::thread::scope(|s| super::start(s, "test", || 1).get()),
            1
        );
    }

    #[test]
    fn a_thread_refused_means_the_work_is_done_right_away() {
        // A stack larger than the address space: the thread cannot start.
        let refused = || std::thread::Builder::new().stack_size(usize::MAX / 2);
        let text = String::from("borrowed");
        let done = std::thread::scope(|s| {
            let later = super::start_on(s, refused(), || text.len());
            assert!(
                matches!(later, super::Later::Done(8)),
                "done on this thread"
            );
            later.get()
        });
        assert_eq!(done, 8);
        let (tx, rx) = std::sync::mpsc::channel();
        let none = super::detached_on(refused(), move || tx.send("done").expect("send"));
        assert!(none.is_none(), "no thread to wait for");
        assert_eq!(rx.try_recv(), Ok("done"), "already done when it returns");
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = super::detached("test", move || tx.send("done").expect("send"));
        assert!(thread.is_some_and(|t| t.join().is_ok()));
        assert_eq!(rx.recv(), Ok("done"));
    }
}
