//! How much of the terminal's input may wait to be decoded: the reader
//! stops reading past it, so that the terminal's own flow control holds
//! the rest. Unbounded, a 400 MB paste was read in 7 s and held whole (318
//! MB resident) while it took 13 s to decode.

use std::sync::{Arc, Condvar, Mutex, PoisonError};

/// How many bytes read may wait for the loop at most (and a read more).
pub const MAX_WAITING: usize = 1 << 20;

/// The count of bytes read and not yet decoded.
#[derive(Default)]
pub struct Backlog {
    waiting: Mutex<usize>,
    room: Condvar,
}

/// Bytes read, counted as waiting until they are dropped (decoded).
pub struct Pending {
    bytes: Vec<u8>,
    backlog: Arc<Backlog>,
}

impl Backlog {
    /// An empty backlog.
    pub fn new() -> Arc<Backlog> {
        Arc::new(Backlog::default())
    }

    /// Waits until fewer than [`MAX_WAITING`] bytes wait, then counts `bytes` too.
    pub fn admit(self: &Arc<Self>, bytes: Vec<u8>) -> Pending {
        let waiting = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
        let mut waiting = self
            .room
            .wait_while(waiting, |w| *w >= MAX_WAITING)
            .unwrap_or_else(PoisonError::into_inner);
        *waiting += bytes.len();
        Pending {
            bytes,
            backlog: Arc::clone(self),
        }
    }

    /// How many bytes wait.
    #[cfg(test)]
    pub fn waiting(&self) -> usize {
        *self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl std::ops::Deref for Pending {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        let mut waiting = self
            .backlog
            .waiting
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *waiting = waiting.saturating_sub(self.bytes.len());
        self.backlog.room.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reader_waits_while_a_megabyte_waits_and_goes_on_when_it_is_decoded() {
        let backlog = Backlog::new();
        let first = backlog.admit(vec![b'x'; MAX_WAITING]);
        assert_eq!(backlog.waiting(), MAX_WAITING);
        let (tx, rx) = std::sync::mpsc::channel();
        let theirs = Arc::clone(&backlog);
        let reader = std::thread::spawn(move || {
            let second = theirs.admit(b"q".to_vec());
            tx.send(()).expect("told");
            second
        });
        // Still waiting: nothing was decoded.
        assert!(
            rx.recv_timeout(std::time::Duration::from_millis(100))
                .is_err()
        );
        drop(first);
        rx.recv().expect("admitted once the first was decoded");
        let second = reader.join().expect("reader");
        assert_eq!((&*second, backlog.waiting()), (&b"q"[..], 1));
        drop(second);
        assert_eq!(backlog.waiting(), 0);
    }
}
