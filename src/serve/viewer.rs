//! One viewer's browser: a [`Session`] drawing into a buffer, fed by the
//! viewer's keys and window changes and by the room (the report, the
//! presenter's position, the goodbye).
//!
//! A viewer who cannot keep up never holds more than one frame: while a
//! frame is on its way (the SSH window is full, their link is slow), the
//! session only takes note that something changed; when the frame has
//! gone, one new frame is drawn, as a diff against the one that went, so
//! every intermediate frame is skipped. A viewer whose frame does not go
//! for [`STALL`] is dropped. Nothing here waits on anyone but this viewer,
//! and a viewer's updates and drawing run off the runtime's workers (see
//! `heavy`), so a costly one never delays anyone else.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use russh::server::{Handle, Msg};
use russh::{ChannelId, ChannelWriteHalf};
use tokio::sync::mpsc;

use super::channel::{Frame, Out, cut, writer};
use super::{Broadcast, Shared};
use crate::app::{App, Effect, Event, Setup};
use crate::doc::Doc;
use crate::labels::{self, Labels};
use crate::look::Look;
use crate::room::Viewer;
use crate::session::{self, GIVE_BACK, Session, TAKE_OVER};

/// A frame that has not gone after this long: the viewer stopped reading.
pub const STALL: Duration = Duration::from_secs(15);
/// No input and nothing to show for this long: the session ends.
const IDLE: Duration = Duration::from_secs(4 * 3600);

/// Something from the viewer's side of the connection.
#[derive(Debug)]
pub(super) enum Input {
    /// Bytes they typed.
    Bytes(Vec<u8>),
    /// Their window is now this many columns and rows.
    Resize(u16, u16),
    /// They closed their input.
    Ended,
}

/// What the viewer's terminal is, as their client said.
#[derive(Clone, Debug, Default)]
pub(super) struct Terminal {
    /// `TERM`, from the pty request.
    pub term: Option<String>,
    /// `LANG`, `LC_ALL`, `LC_CTYPE`, when their client sent them.
    pub env: Vec<(String, String)>,
    /// The user name they gave: `ascii` and `mono` choose a look (NO_COLOR
    /// does not travel over SSH).
    pub user: String,
}

impl Terminal {
    /// Colours and symbols for this terminal.
    pub fn look(&self) -> Look {
        let words: Vec<String> = self
            .user
            .split(['-', '+', '.', '_'])
            .map(str::to_ascii_lowercase)
            .collect();
        let has = |w: &str| words.iter().any(|x| x == w);
        let term = self.term.as_deref().unwrap_or("");
        // Most clients send no locale: then assume UTF-8, as every current
        // terminal is; a locale sent that is not UTF-8 means ASCII.
        let told_not_utf8 = !self.env.is_empty()
            && !crate::config::utf8_locale(|k| {
                self.env
                    .iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| v.clone())
            });
        Look {
            color: !has("mono") && term != "dumb",
            ascii: has("ascii") || told_not_utf8 || matches!(term, "linux" | "vt100"),
        }
    }
}

/// What a viewer's browser starts with.
pub(super) struct Start {
    pub shared: Arc<Shared>,
    pub id: u64,
    pub name: String,
    pub address: String,
    pub channel: ChannelId,
    pub write: ChannelWriteHalf<Msg>,
    pub handle: Handle,
    pub killer: Arc<std::net::TcpStream>,
    pub size: (u16, u16),
    pub terminal: Terminal,
    pub input: mpsc::Receiver<Input>,
    pub sent: Arc<AtomicU64>,
    /// Says why the session ended, for the log.
    pub record_end: Arc<dyn Fn(String) + Send + Sync>,
}

/// Runs a viewer's browser until they quit, the room closes or they stop
/// reading. A panic in it ends this session only, and is logged.
pub(super) fn spawn(start: Start) {
    let (shared, id, channel, handle) = (
        start.shared.clone(),
        start.id,
        start.channel,
        start.handle.clone(),
    );
    tokio::spawn(async move {
        if let Err(what) = watched(run(start)).await {
            shared.audit.note(&format!(
                "viewer {id}: internal error ({what}); only that session ended"
            ));
            let _ = handle.close(channel).await;
        }
        shared.set_viewer(id, None);
        shared.viewers.fetch_sub(1, Ordering::SeqCst);
    });
}

/// Runs `task` on its own, so a panic in it ends only it: its message.
pub(super) async fn watched<T: Send + 'static>(
    task: impl Future<Output = T> + Send + 'static,
) -> Result<T, String> {
    tokio::spawn(task).await.map_err(|e| {
        if !e.is_panic() {
            return "cancelled".to_string();
        }
        let panic = e.into_panic();
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default()
    })
}

async fn run(start: Start) {
    let record_end = start.record_end.clone();
    let why = match View::new(
        start.shared,
        start.id,
        start.name,
        start.address,
        start.size,
        &start.terminal,
    ) {
        Ok(mut view) => {
            view.record_end = Some(start.record_end);
            let out = writer(start.write, start.sent);
            view.run(out, start.input, &start.handle, &start.killer)
                .await
        }
        Err(e) => format!("cannot start: {e}"),
    };
    record_end(why);
}

struct View {
    shared: Arc<Shared>,
    id: u64,
    session: Session<Vec<u8>>,
    room: tokio::sync::watch::Receiver<Broadcast>,
    doc: Arc<Doc>,
    /// What must still be drawn, held while a frame is on its way.
    due: Effect,
    /// What the roster was last told about this viewer.
    shown: Viewer,
    told: bool,
    labels: &'static Labels,
    /// Says why the session ends, before the connection can end (the log
    /// line is written when it does).
    record_end: Option<Arc<dyn Fn(String) + Send + Sync>>,
}

impl View {
    fn new(
        shared: Arc<Shared>,
        id: u64,
        name: String,
        address: String,
        size: (u16, u16),
        terminal: &Terminal,
    ) -> std::io::Result<View> {
        let setup = &shared.setup;
        let mut room = shared.room.clone();
        let broadcast = room.borrow_and_update().clone();
        let look = terminal.look();
        let app = App::new(
            broadcast.doc.clone(),
            size.0,
            size.1,
            Setup {
                look,
                stale_after: setup.stale_after,
                follow: setup.follow,
                mirror: setup.follow,
                measure: setup.measure,
                labels: setup.labels,
                no_versions: setup.no_versions.clone(),
                ..Setup::default()
            },
        );
        let mut session = Session::new(app, TAKE_OVER.as_bytes().to_vec(), look.ascii)?;
        session.handle(Event::Clock(session::now()));
        if let Some(lead) = broadcast.lead.clone() {
            session.handle(Event::Followed(lead));
        }
        if let Some(t) = broadcast.timeline.clone() {
            session.handle(Event::Timeline(t));
        }
        let labels = setup
            .labels
            .unwrap_or_else(|| labels::for_lang(broadcast.doc.lang));
        let shown = Viewer {
            name,
            address,
            since: session::now().unix,
            following: None,
            size,
        };
        Ok(View {
            shared: shared.clone(),
            id,
            session,
            room,
            doc: broadcast.doc,
            due: Effect::Draw,
            shown,
            told: false,
            labels,
            record_end: None,
        })
    }

    // The loop; returns why the session ended.
    async fn run(
        &mut self,
        mut out: Out,
        mut input: mpsc::Receiver<Input>,
        handle: &Handle,
        killer: &std::net::TcpStream,
    ) -> String {
        let mut idle_since = tokio::time::Instant::now();
        // Older versions a viewer opens are read on a blocking thread.
        let (versions_tx, mut versions) = mpsc::channel(1);
        let mut asked = None;
        loop {
            self.tell_roster();
            if let Some(why) = self.send_due(&mut out).await {
                return why;
            }
            if let (Some((id, _)), Some(path)) = (
                self.session.app().wanted_version(),
                &self.shared.setup.history,
            ) && asked != Some(id)
            {
                asked = Some(id);
                let (path, tx) = (path.clone(), versions_tx.clone());
                tokio::task::spawn_blocking(move || {
                    let doc = crate::history::timeline::load_id(&path, &id)
                        .map(Arc::new)
                        .map_err(|e| crate::text::inline(&e.to_string()));
                    let _ = tx.blocking_send((id, doc));
                });
            }
            let wake = self.session.next_wake();
            let effect = tokio::select! {
                Some((id, doc)) = versions.recv() => {
                    asked = None;
                    heavy(|| self.session.handle(Event::Version(id, doc)))
                }
                bytes = input.recv() => match bytes {
                    Some(Input::Bytes(bytes)) => {
                        idle_since = tokio::time::Instant::now();
                        heavy(|| self.session.feed(&bytes))
                    }
                    Some(Input::Resize(w, h)) => heavy(|| self.session.resize(w, h)),
                    Some(Input::Ended) | None => return "closed by the viewer".into(),
                },
                changed = self.room.changed() => {
                    let b = self.room.borrow_and_update().clone();
                    match (changed, b.goodbye.clone()) {
                        (Err(_), _) => return self.end(&mut out, None).await,
                        (Ok(()), Some(goodbye)) => return self.end(&mut out, Some(goodbye)).await,
                        (Ok(()), None) => heavy(|| self.take_in(b)),
                    }
                }
                done = out.done.recv(), if out.in_flight => {
                    out.in_flight = false;
                    idle_since = tokio::time::Instant::now();
                    match done {
                        Some(Ok(())) => Effect::None,
                        Some(Err(why)) => {
                            self.say(why);
                            cut(handle, killer, why).await;
                            return why.into();
                        }
                        None => return "connection lost".into(),
                    }
                }
                () = sleep(wake) => heavy(|| self.session.woke()),
                () = tokio::time::sleep_until(idle_since + IDLE) => {
                    let line = self.labels.idle_goodbye.to_string();
                    return self.end(&mut out, Some(line)).await;
                }
            };
            match effect {
                Effect::Quit => return self.end(&mut out, None).await,
                // A viewer cannot suspend the server.
                Effect::Suspend | Effect::None => {}
                e => {
                    self.session.handle(Event::Clock(session::now()));
                    self.due = self.due.max(e);
                }
            }
        }
    }

    // Applies what changed in the room: the report, the presenter's position.
    fn take_in(&mut self, b: Broadcast) -> Effect {
        let mut effect = Effect::None;
        if !Arc::ptr_eq(&b.doc, &self.doc) {
            self.doc = b.doc.clone();
            let compared =
                super::publish::holding(&b.compared, &self.session.app().reload_against());
            effect = self.session.handle(Event::Reloaded(b.doc, compared));
        }
        if let Some(lead) = b.lead {
            effect = effect.max(self.session.handle(Event::Followed(lead)));
        }
        if let Some(t) = b.timeline {
            effect = effect.max(self.session.handle(Event::Timeline(t)));
        }
        effect
    }

    // Draws and hands over a frame if one is due and none is on its way.
    async fn send_due(&mut self, out: &mut Out) -> Option<String> {
        if self.due == Effect::None || out.in_flight {
            return None;
        }
        let effect = std::mem::replace(&mut self.due, Effect::None);
        if heavy(|| self.session.draw(effect)).is_err() {
            return Some("cannot draw".into());
        }
        let frame = std::mem::take(self.session.writer_mut());
        if frame.is_empty() {
            return None;
        }
        out.in_flight = true;
        if out.frames.send(Frame::Bytes(frame)).await.is_err() {
            return Some("connection lost".into());
        }
        None
    }

    // Tells the presenter's roster what changed about this viewer.
    fn tell_roster(&mut self) {
        let app = self.session.app();
        let now = Viewer {
            following: app.follow().map(|f| f.attached),
            size: app.size(),
            ..self.shown.clone()
        };
        if now != self.shown || !self.told {
            self.told = true;
            self.shown = now.clone();
            self.shared.set_viewer(self.id, Some(now));
        }
    }

    // Ends the session: the terminal given back, a last line, the exit
    // status; after the frame on its way, but never waiting past STALL.
    async fn end(&mut self, out: &mut Out, goodbye: Option<String>) -> String {
        let why = goodbye.clone().unwrap_or_else(|| "quit".into());
        self.say(&why);
        let mut bytes = GIVE_BACK.as_bytes().to_vec();
        if let Some(line) = &goodbye {
            bytes.extend_from_slice(
                format!("briefing: {}\r\n", crate::text::inline(line)).as_bytes(),
            );
        }
        let finish = async {
            if out.in_flight {
                let _ = out.done.recv().await;
            }
            if out.frames.send(Frame::Last(bytes)).await.is_ok() {
                let _ = out.done.recv().await;
            }
        };
        let _ = tokio::time::timeout(STALL, finish).await;
        why
    }

    fn say(&self, why: &str) {
        if let Some(record) = &self.record_end {
            record(why.to_string());
        }
    }
}

// Runs a viewer's update or drawing, which can take long (a search of a
// large report, a relayout), off the runtime's two workers: they go on
// with other viewers' keys and new handshakes meanwhile.
fn heavy<T>(work: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(work)
}

async fn sleep(wake: Option<Duration>) {
    match wake {
        Some(d) => tokio::time::sleep(d).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terminal(user: &str, term: &str, env: &[(&str, &str)]) -> Terminal {
        Terminal {
            term: Some(term.into()),
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            user: user.into(),
        }
    }

    #[test]
    fn the_user_name_term_and_locale_choose_the_look() {
        let plain = terminal("viewer", "xterm-256color", &[]);
        assert_eq!(
            plain.look(),
            Look {
                color: true,
                ascii: false
            },
            "no locale sent: UTF-8"
        );
        assert!(terminal("ascii", "xterm", &[]).look().ascii);
        assert!(!terminal("mono", "xterm", &[]).look().color);
        let both = terminal("Ascii-Mono", "xterm", &[]).look();
        assert!(both.ascii && !both.color);
        assert!(terminal("viewer", "xterm", &[("LANG", "C")]).look().ascii);
        assert!(
            !terminal("viewer", "xterm", &[("LANG", "nl_NL.UTF-8")])
                .look()
                .ascii
        );
        assert!(terminal("viewer", "linux", &[]).look().ascii);
        assert!(!terminal("viewer", "dumb", &[]).look().color);
    }

    #[test]
    fn a_viewers_heavy_work_leaves_the_workers_to_everyone_else() {
        // One worker: work done on it would stop every other task.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let ticks = Arc::new(AtomicU64::new(0));
            let counter = ticks.clone();
            let ticker = tokio::spawn(async move {
                loop {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    counter.fetch_add(1, Ordering::SeqCst);
                }
            });
            let slow = tokio::spawn(async {
                heavy(|| std::thread::sleep(Duration::from_millis(400)));
            });
            slow.await.expect("the heavy task");
            assert!(ticks.load(Ordering::SeqCst) > 10, "the others waited");
            ticker.abort();
        });
    }

    #[test]
    fn a_panic_ends_only_its_own_task() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name(super::super::THREAD_NAME)
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let other = tokio::spawn(async {
                tokio::time::sleep(Duration::from_millis(50)).await;
                "still here"
            });
            let failed = watched(async { panic!("boom in one viewer") }).await;
            assert_eq!(failed.expect_err("a panic"), "boom in one viewer");
            assert_eq!(other.await.expect("the other task"), "still here");
            assert_eq!(watched(async { 7 }).await, Ok(7));
        });
    }
}
