//! What goes down a viewer's channel: frames, one at a time, into the SSH
//! channel (which waits while the viewer's window is full), each frame's
//! fate reported back; the last bytes with the exit status; the plain text
//! of `ssh -T`; the line of a full room; cutting a viewer that stopped
//! reading.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use russh::server::{Handle, Msg};
use russh::{ChannelWriteHalf, Disconnect};
use tokio::sync::mpsc;

use super::viewer::{STALL, Terminal};
use crate::doc::Doc;
use crate::labels::{self, Labels};
use crate::look::Look;

/// What the writer is handed.
pub(super) enum Frame {
    /// Bytes to send.
    Bytes(Vec<u8>),
    /// The last bytes; then the exit status, and the channel is closed.
    Last(Vec<u8>),
}

/// Frames handed to the writer, and whether one is on its way.
pub(super) struct Out {
    pub(super) frames: mpsc::Sender<Frame>,
    pub(super) done: mpsc::Receiver<Result<(), &'static str>>,
    pub(super) in_flight: bool,
}

// Drops a viewer that stopped reading: disconnect, and cut the socket
// (a peer that does not read would never see the disconnect).
pub(super) async fn cut(handle: &Handle, killer: &std::net::TcpStream, why: &str) {
    let _ = tokio::time::timeout(
        Duration::from_secs(1),
        handle.disconnect(Disconnect::ByApplication, why.into(), String::new()),
    )
    .await;
    let _ = killer.shutdown(std::net::Shutdown::Both);
}

// The writer: one frame at a time into the SSH channel, which waits while
// the viewer's window is full. Each frame's fate is reported back.
pub(super) fn writer(write: ChannelWriteHalf<Msg>, sent: Arc<AtomicU64>) -> Out {
    let (frames_tx, mut frames) = mpsc::channel::<Frame>(1);
    let (done_tx, done) = mpsc::channel(1);
    tokio::spawn(async move {
        while let Some(frame) = frames.recv().await {
            let (bytes, last) = match frame {
                Frame::Bytes(b) => (b, false),
                Frame::Last(b) => (b, true),
            };
            let n = bytes.len() as u64;
            let result = match tokio::time::timeout(STALL, write.data_bytes(bytes)).await {
                Ok(Ok(())) => {
                    sent.fetch_add(n, Ordering::Relaxed);
                    Ok(())
                }
                Ok(Err(_)) => Err("connection lost"),
                Err(_) => Err("stopped reading (no frame could be sent for 15 s)"),
            };
            if last {
                let _ = write.exit_status(0).await;
                let _ = write.eof().await;
                let _ = write.close().await;
            }
            let failed = result.is_err();
            if done_tx.send(result).await.is_err() || failed || last {
                break;
            }
        }
    });
    Out {
        frames: frames_tx,
        done,
        in_flight: false,
    }
}

/// How much of the plain text is handed over at a time.
const CHUNK: usize = 32 * 1024;

/// `ssh -T`: the report as plain text, then the end of the session. It is
/// rendered on a blocking thread (a large report takes seconds, which must
/// not stall the server's workers: other viewers, new handshakes) and sent
/// as it is made, a few chunks ahead of what the viewer's window takes, so
/// a viewer that does not read holds a few chunks, never the whole text.
pub(super) async fn plain(
    write: ChannelWriteHalf<Msg>,
    doc: Arc<Doc>,
    terminal: Terminal,
    sent: Arc<AtomicU64>,
) {
    let (tx, mut chunks) = mpsc::channel::<Vec<u8>>(2);
    let look = Look {
        color: false,
        ..terminal.look()
    };
    tokio::task::spawn_blocking(move || {
        let mut out = Chunks {
            tx,
            buf: Vec::with_capacity(CHUNK),
        };
        // Fails only when the viewer is gone: nothing left to tell.
        let _ =
            crate::plain::write_report(&mut out, &doc, 80, &look).and_then(|()| out.hand_over());
    });
    while let Some(chunk) = chunks.recv().await {
        let n = chunk.len() as u64;
        match tokio::time::timeout(STALL, write.data_bytes(chunk)).await {
            Ok(Ok(())) => sent.fetch_add(n, Ordering::Relaxed),
            // Gone or not reading: the renderer stops at its next chunk.
            _ => return,
        };
    }
    let _ = write.exit_status(0).await;
    let _ = write.eof().await;
    let _ = write.close().await;
}

// The plain text's writer on the blocking thread: full chunks go to the
// sender, waiting while it is two ahead.
struct Chunks {
    tx: mpsc::Sender<Vec<u8>>,
    buf: Vec<u8>,
}

impl Chunks {
    fn hand_over(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        self.tx
            .blocking_send(chunk)
            .map_err(|_| std::io::ErrorKind::BrokenPipe.into())
    }
}

impl std::io::Write for Chunks {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= CHUNK {
            self.hand_over()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.hand_over()
    }
}

/// The room is full: one line, and the session ends.
pub(super) async fn turn_away(
    write: ChannelWriteHalf<Msg>,
    doc: Arc<Doc>,
    labels: Option<&'static Labels>,
    max: usize,
) {
    let labels = labels.unwrap_or_else(|| labels::for_lang(doc.lang));
    let line = format!("briefing: {} ({max})\r\n", labels.room_full);
    let _ = write.data_bytes(line.into_bytes()).await;
    let _ = write.exit_status(1).await;
    let _ = write.eof().await;
    let _ = write.close().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn plain_text_waits_for_a_viewer_that_does_not_read_and_stops_when_gone() {
        let (tx, mut rx) = mpsc::channel(2);
        let writer = std::thread::spawn(move || {
            let mut out = Chunks {
                tx,
                buf: Vec::new(),
            };
            let chunk = vec![b'x'; CHUNK];
            (0..100).try_for_each(|_| out.write_all(&chunk))
        });
        // Two chunks queued, the third waiting: not the whole text.
        std::thread::sleep(Duration::from_millis(200));
        assert!(!writer.is_finished(), "held without bound");
        assert!(rx.try_recv().is_ok() && rx.try_recv().is_ok());
        drop(rx);
        let result = writer.join().expect("the writer");
        assert_eq!(
            result.expect_err("the viewer is gone").kind(),
            std::io::ErrorKind::BrokenPipe
        );
    }
}
