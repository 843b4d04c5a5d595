//! The local terminal: the browser as one [`Session`] on it, plus what
//! only a local terminal has: raw mode, signals, suspending to the shell,
//! file watching, the shared position, and restoring everything on the way
//! out (normal exit, signals, errors, panics).
//!
//! The loop blocks until something happens (input, a signal, a file
//! change) and draws once per batch of events, so an idle browser uses no
//! CPU. It wakes by itself only for the presentation clock, a presenter's
//! liveness while following, the input decoder's short timeouts, and,
//! after a search keystroke, to count its matches a slice at a time
//! (polling for input between slices) until they are all counted.

mod backlog;
mod jobs;
mod signals;
mod tty;

use std::io::{self, BufWriter};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant, SystemTime};

use crate::app::{App, Effect, Event, Setup};
use crate::config::Config;
use crate::doc::Doc;
use crate::error::Error;
use crate::load::{Loaded, Reload};
use crate::serve::Server;
use crate::session::{Session, now};
use crate::share::{self, Position};
use crate::watch::{self, Change, Watched};
use crate::{report, state};

use tty::Tty;
pub use tty::restore;

/// Editors save in several steps; wait this long for quiet before reloading.
const SETTLE: Duration = Duration::from_millis(30);
/// How often a follower checks that a presenter on this host still runs.
const LIVENESS: Duration = Duration::from_secs(5);

/// Something the loop reacts to.
pub(crate) enum Wake {
    /// Bytes read from the terminal (counted in the backlog until dropped).
    Bytes(backlog::Pending),
    /// The terminal's input ended (closed, hung up).
    InputEnded,
    /// A signal that ends the program.
    Signal(i32),
    /// The window changed size.
    Resized,
    /// SIGTSTP: suspend to the shell.
    Stop,
    /// SIGCONT: continued after a stop.
    Continued,
    /// A watched file changed or its watch was lost.
    Watch(Change),
    /// Viewers joined, left or moved (serving).
    Room,
    /// The versions of the report, read from its history.
    /// The timeline of a kept version, read for the doc then on screen.
    Timeline(
        crate::history::VersionId,
        Result<Arc<crate::versions::Timeline>, String>,
    ),
    /// A version asked for, loaded (or why not).
    Version(crate::history::VersionId, Result<Arc<Doc>, String>),
    /// The report read again.
    Reread(Reload),
    /// The whole report, after its first themes were shown, and what was seen.
    Rest(Box<Result<(Loaded, Option<crate::changes::Baseline>), crate::error::LoadError>>),
}

type LocalSession = Session<BufWriter<Tty>>;

/// Runs the browser on the local terminal until the reader quits; returns
/// the exit code.
pub fn browse(config: &Config, start: crate::load::Start) -> Result<u8, Error> {
    let (loaded, partial) = match start {
        crate::load::Start::Ready(loaded) => (*loaded, false),
        crate::load::Start::First(doc) => (
            Loaded {
                doc: *doc,
                fingerprint: None,
                before: None,
                kept: None,
            },
            true,
        ),
    };
    let Loaded {
        doc,
        fingerprint,
        before,
        kept,
    } = loaded;
    if let Some(path) = &config.follow
        && let Ok(f) = share::read(path)
        && f.position.report != doc.title
    {
        return Err(Error::OtherReport {
            path: path.clone(),
            presenter: report::shorten(&crate::text::inline(&f.position.report), 200),
            ours: report::shorten(&doc.title, 200),
        });
    }
    let (tx, rx) = mpsc::channel::<Wake>();
    let doc = Arc::new(doc);
    let server = match &config.serve {
        Some(options) => {
            let tell = tx.clone();
            let server = Server::start(
                options,
                false,
                doc.clone(),
                viewer_setup(config),
                move || {
                    let _ = tell.send(Wake::Room);
                },
            )?;
            // Before the browser takes the screen: it stays in the scrollback.
            for line in server.banner() {
                crate::output::warn(&line);
            }
            Some(server)
        }
        None => None,
    };
    // Signals first: one arriving while the terminal is taken over still
    // finds the way out, which restores it.
    signals::spawn(tx.clone()).map_err(Error::Terminal)?;
    tty::install_panic_hook();
    tty::enter().map_err(Error::Terminal)?;
    let result = run(
        config,
        (doc, partial, kept),
        fingerprint,
        before,
        &tx,
        rx,
        server,
    );
    restore();
    let (code, app, server, failed) = result?;
    if let Some(e) = failed {
        if let Some(server) = server {
            server.close(app.labels().goodbye.to_string());
        }
        return Err(Error::Load(e));
    }
    if let Some(server) = server {
        server.close(app.labels().goodbye.to_string());
    }
    if let Some(path) = &config.share {
        // Tell followers the presenter has gone.
        let _ = share::write(
            path,
            &Position {
                live: false,
                ..app.position()
            },
        );
    }
    if let Some(path) = config.state.as_ref().filter(|_| !app.partial()) {
        // Losing the marks for next time is not worth failing the exit over.
        let _ = state::save(path, &app.remembered().0);
        remember_version(config, &app);
    }
    Ok(code)
}

/// How viewers of a served report are set up: as this browser is, and
/// following when it presents or follows.
pub fn viewer_setup(config: &Config) -> crate::serve::ViewerSetup {
    crate::serve::ViewerSetup {
        stale_after: config.stale_after,
        measure: config.measure,
        labels: config.labels,
        follow: config.present || config.follow.is_some(),
        history: config
            .file()
            .filter(|_| config.state.is_some())
            .map(Path::to_owned),
        no_versions: no_versions(config),
    }
}

/// Why no versions will be listed, when none will be: nothing is kept
/// without a report file or with `--no-state`.
fn no_versions(config: &Config) -> Option<crate::app::NoVersions> {
    use crate::app::NoVersions;
    match (config.file(), &config.state) {
        (None, _) => Some(NoVersions::NoFile),
        (Some(_), None) => Some(NoVersions::NoState),
        (Some(_), Some(_)) => None,
    }
}

type Ran = (u8, App, Option<Server>, Option<crate::error::LoadError>);

fn run(
    config: &Config,
    (doc, partial, kept): (Arc<Doc>, bool, Option<crate::history::VersionId>),
    fingerprint: Option<u64>,
    before: Option<(u64, SystemTime)>,
    tx: &Sender<Wake>,
    rx: Receiver<Wake>,
    server: Option<Server>,
) -> Result<Ran, Error> {
    let (w, h) = tty::size().map_err(Error::Terminal)?;
    let (w, h) = crate::session::capped(w, h);
    let setup = Setup {
        look: config.look,
        stale_after: config.stale_after,
        // With only the first themes, what was seen is read with the rest.
        seen: config
            .state
            .as_deref()
            .filter(|_| !partial)
            .and_then(state::load),
        follow: config.follow.is_some(),
        mirror: false,
        partial,
        present: config.present,
        search: config.search.clone(),
        measure: config.measure,
        labels: config.labels,
        no_versions: no_versions(config),
    };
    let app = App::new(doc, w, h, setup);
    let mut session = Session::new(
        app,
        BufWriter::with_capacity(1 << 16, Tty),
        config.look.ascii,
    )
    .map_err(Error::Terminal)?;
    spawn_input(tx.clone());
    let watch_tx = tx.clone();
    let _watching = watch::spawn(
        config.file().filter(|_| config.watch),
        config.follow.as_deref(),
        move |change| {
            let _ = watch_tx.send(Wake::Watch(change));
        },
    );
    let mut lp = Loop {
        config,
        tx: tx.clone(),
        asked: None,
        timeline_for: None,
        failed: None,
        reloading: false,
        again: false,
        server,
        last_report: fingerprint,
        last_shared: None,
        share_failed: false,
        saved: (0, None),
        saving: None,
    };
    // A save between loading and watching sent no event: look once, if the
    // file's size or time says it changed (reading 10 MB to find it did not
    // would double the start-up memory).
    if let Some(path) = config.file().filter(|_| config.watch) {
        let now = std::fs::metadata(path).and_then(|m| Ok((m.len(), m.modified()?)));
        if now.ok() != before {
            let _ = tx.send(Wake::Watch(Change::Changed(Watched::Report)));
        }
    }
    session.handle(Event::Clock(now()));
    if let Some(server) = &lp.server {
        session.handle(Event::Room(server.room()));
    }
    if let Some(path) = config.follow.as_deref().filter(|p| p.exists()) {
        lp.follow(&mut session, path);
    }
    session.draw(Effect::Draw).map_err(Error::Terminal)?;
    lp.share(&mut session);
    // After the first frame: the rest of a large report, and keeping this
    // version, cost the reader no wait.
    if partial {
        lp.read_rest();
    } else {
        lp.keep(session.app().shared_doc(), kept);
    }
    let code = lp.run(&mut session, &rx).map_err(Error::Terminal)?;
    // The theme on screen counts as seen if it was there long enough.
    session.handle(Event::Clock(now()));
    Ok((code, session.into_app(), lp.server.take(), lp.failed.take()))
}

struct Loop<'a> {
    config: &'a Config,
    /// For work done on threads of its own (the history).
    tx: Sender<Wake>,
    /// The version last asked of the history for the state.
    asked: Option<crate::history::VersionId>,
    /// The version whose timeline was last asked for: one read for an
    /// earlier version can finish after it and must not replace it.
    timeline_for: Option<crate::history::VersionId>,
    /// The rest of the report could not be read: the browser ends with this.
    failed: Option<crate::error::LoadError>,
    /// A reload is being read; another change came meanwhile.
    reloading: bool,
    again: bool,
    /// Serving over SSH: viewers get the report and, presenting, our position.
    server: Option<Server>,
    last_report: Option<u64>,
    last_shared: Option<Position>,
    share_failed: bool,
    /// The version of what was seen that is on disk, and when it was written.
    saved: (u64, Option<Instant>),
    /// The write of what was seen, on a thread of its own: a 100,000-theme
    /// state is 13 MB and an fsync, which held a keystroke up.
    saving: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Loop<'_> {
    // The last write is done before the browser writes what was seen at exit.
    fn drop(&mut self) {
        if let Some(saving) = self.saving.take() {
            let _ = saving.join();
        }
    }
}

/// How often to look again whether the last write of what was seen is done.
const SAVE_POLL: Duration = Duration::from_millis(50);

/// What was seen is written at most this often (and at most this late: a
/// crash loses at most this much).
const SAVE_EVERY: Duration = Duration::from_secs(1);

impl Loop<'_> {
    fn run(&mut self, session: &mut LocalSession, rx: &Receiver<Wake>) -> io::Result<u8> {
        loop {
            let mut effect = Effect::None;
            let first = match self.deadline(session) {
                None => rx.recv().map_err(|_| io::ErrorKind::BrokenPipe)?,
                Some(wait) => match rx.recv_timeout(wait) {
                    Ok(ev) => ev,
                    Err(RecvTimeoutError::Timeout) => {
                        effect = self.on_timeout(session);
                        self.finish(session, effect)?;
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => return Ok(0),
                },
            };
            // Everything already queued is handled before drawing once: a
            // held key or a paste over a slow link costs one frame.
            let mut next = Some(first);
            let (mut reload, mut followed) = (false, false);
            while let Some(event) = next {
                match self.event(session, event, &mut reload, &mut followed)? {
                    Ok(e) => effect = effect.max(e),
                    Err(code) => return Ok(code),
                }
                if effect == Effect::Quit {
                    return Ok(0);
                }
                if effect == Effect::Suspend {
                    self.suspend(session)?;
                    effect = Effect::Repaint;
                }
                next = rx.try_recv().ok();
                // Editors save in several steps: let a report save settle.
                if next.is_none() && reload {
                    next = rx.recv_timeout(SETTLE).ok();
                }
            }
            // While the first themes of a large report are shown, the rest
            // is being read already: that read sees the change.
            if reload && !session.app().partial() {
                self.start_reload(session.app());
            }
            if followed && let Some(path) = &self.config.follow {
                effect = effect.max(self.follow(session, path));
            }
            // Ages and the presentation clock follow the time of the last
            // event: no wake-ups just to age the marks while idle.
            if effect != Effect::None {
                session.handle(Event::Clock(now()));
            }
            self.finish(session, effect)?;
        }
    }

    fn event(
        &mut self,
        session: &mut LocalSession,
        event: Wake,
        reload: &mut bool,
        followed: &mut bool,
    ) -> io::Result<Result<Effect, u8>> {
        // Ok(effect) goes on; Err(code) ends the program with that code.
        Ok(Ok(match event {
            Wake::Bytes(bytes) => session.feed(&bytes),
            Wake::InputEnded => {
                session.input_timed_out();
                // A terminal's input ends only when it hangs up: the exit
                // is SIGHUP's, whichever of the two the loop saw first.
                return Ok(Err(128 + libc::SIGHUP as u8));
            }
            Wake::Signal(sig) => {
                return Ok(Err(128 + u8::try_from(sig).unwrap_or(0)));
            }
            Wake::Resized => {
                let (w, h) = tty::size()?;
                session.resize(w, h)
            }
            Wake::Stop => Effect::Suspend,
            Wake::Continued => {
                // Stopped and continued behind our back (SIGSTOP): the shell
                // may have used the terminal. Take it over again.
                tty::enter()?;
                session.forget_screen()?;
                Effect::Repaint
            }
            Wake::Watch(Change::Changed(Watched::Report)) => {
                *reload = true;
                Effect::None
            }
            Wake::Watch(Change::Changed(Watched::Position)) => {
                *followed = true;
                Effect::None
            }
            Wake::Watch(Change::Lost(which, why)) => {
                session.handle(Event::WatchLost(which, Some(why)))
            }
            Wake::Watch(Change::Restored(which)) => session.handle(Event::WatchLost(which, None)),
            Wake::Room => match &self.server {
                Some(server) => session.handle(Event::Room(server.room())),
                None => Effect::None,
            },
            Wake::Timeline(id, _) if self.timeline_for != Some(id) => Effect::None,
            Wake::Timeline(_, Ok(t)) => {
                if let Some(server) = &self.server {
                    server.publish_timeline(t.clone());
                }
                session.handle(Event::Timeline(t))
            }
            Wake::Timeline(_, Err(why)) => session.handle(Event::TimelineFailed(why)),
            Wake::Version(id, doc) => {
                self.asked = None;
                session.handle(Event::Version(id, doc))
            }
            Wake::Reread(result) => self.reloaded(session, result),
            Wake::Rest(rest) => match *rest {
                Ok((loaded, baseline)) => self.completed(session, loaded, baseline),
                Err(e) => {
                    self.failed = Some(e);
                    return Ok(Err(2));
                }
            },
        }))
    }

    // Suspends to the shell (Ctrl-Z or SIGTSTP) with the terminal restored;
    // takes it over again when continued.
    fn suspend(&mut self, session: &mut LocalSession) -> io::Result<()> {
        restore();
        signals::stop_until_continued();
        tty::enter()?;
        session.forget_screen()
    }

    // How long to block: until the session has something due by itself
    // (the decoder, the clock, the screen's next change), every few seconds
    // while following (presenter liveness), a pending save, else forever.
    fn deadline(&self, session: &LocalSession) -> Option<Duration> {
        let liveness = self
            .config
            .follow
            .as_ref()
            .filter(|_| session.app().follow().is_some_and(|f| f.live))
            .map(|_| LIVENESS);
        let save = self.save_due(session.app());
        [session.next_wake(), liveness, save]
            .into_iter()
            .flatten()
            .min()
    }

    // How long until what was seen must be written, if it must.
    fn save_due(&self, app: &App) -> Option<Duration> {
        self.config.state.as_ref()?;
        // The first themes alone are not what the reader saw of the report.
        if app.partial() {
            return None;
        }
        if app.seen_version() == self.saved.0 {
            return None;
        }
        if self.saving.as_ref().is_some_and(|s| !s.is_finished()) {
            return Some(SAVE_POLL);
        }
        Some(
            self.saved
                .1
                .map_or(Duration::ZERO, |t| SAVE_EVERY.saturating_sub(t.elapsed())),
        )
    }

    // Writes what was seen, when it changed and the last write is a second old.
    fn save(&mut self, app: &App) {
        let (Some(path), Some(Duration::ZERO)) = (&self.config.state, self.save_due(app)) else {
            return;
        };
        let (seen, version) = app.remembered();
        let path = path.clone();
        // Losing marks for next time is not worth stopping the browser over.
        self.saving = crate::later::detached("save", move || {
            let _ = state::save(&path, &seen);
        });
        remember_version(self.config, app);
        self.saved = (version, Some(Instant::now()));
    }

    fn on_timeout(&mut self, session: &mut LocalSession) -> Effect {
        // Held input, the clock, an age or staleness, a theme now seen.
        let mut effect = session.woke();
        if let Some(path) = &self.config.follow
            && session.app().follow().is_some_and(|f| f.live)
        {
            let e = self.follow(session, path);
            if session.app().follow().is_some_and(|f| !f.live) {
                effect = effect.max(e);
            }
        }
        effect
    }

    fn finish(&mut self, session: &mut LocalSession, effect: Effect) -> io::Result<()> {
        if matches!(effect, Effect::Suspend) {
            self.suspend(session)?;
            return self.finish(session, Effect::Repaint);
        }
        session.draw(effect)?;
        // Viewers next (they never wait for a file), then the followers'
        // file, then what was seen (an fsync, at most once a second).
        self.lead(session.app());
        if self.share(session) {
            session.draw(Effect::Draw)?;
        }
        self.save(session.app());
        self.fetch(session.app());
        Ok(())
    }

    // Presenting while serving: viewers follow our position (they are
    // only told when it changed).
    fn lead(&self, app: &App) {
        if let Some(server) = &self.server
            && self.config.present
            && self.config.follow.is_none()
        {
            server.publish_lead(Ok(share::Followed {
                position: app.position(),
                writer: None,
                alive: true,
            }));
        }
    }

    // Reads the presenter's position once, for us and for our viewers.
    fn follow(&self, session: &mut LocalSession, path: &Path) -> Effect {
        let followed = share::read(path).map_err(|e| e.to_string());
        if let Some(server) = &self.server {
            server.publish_lead(followed.clone());
        }
        session.handle(Event::Followed(followed))
    }

    // Writes the position for followers if it changed; whether what the
    // presenter is told about sharing changed (the screen must show it).
    fn share(&mut self, session: &mut LocalSession) -> bool {
        let Some(path) = &self.config.share else {
            return false;
        };
        let position = session.app().position();
        if self.last_shared.as_ref() == Some(&position) && !self.share_failed {
            return false;
        }
        let result = share::write(path, &position);
        let failed = result.is_err();
        let told = failed || self.share_failed;
        session.handle(Event::Shared(result.err().map(|e| e.to_string())));
        self.share_failed = failed;
        self.last_shared = Some(position);
        told
    }
}

// The version on screen is the one the reader last saw (`--diff last-seen`).
fn remember_version(config: &Config, app: &App) {
    let current = app
        .timeline()
        .and_then(|t| t.rows.iter().find(|r| r.current));
    if let (Some(path), Some(row)) = (config.file(), current) {
        let _ = state::save_last_seen(path, &row.id);
    }
}

fn problem(e: &crate::error::LoadError) -> crate::app::Problem {
    crate::app::Problem {
        short: e.brief(),
        full: e.to_string(),
    }
}

// Reads the terminal on a thread of its own and hands over every byte,
// no more than the backlog allows ahead of the loop.
fn spawn_input(tx: Sender<Wake>) {
    let _ = std::thread::Builder::new()
        .name("input".into())
        .spawn(move || {
            let mut buf = vec![0u8; 1 << 16];
            let backlog = backlog::Backlog::new();
            loop {
                match rustix::io::read(rustix::stdio::stdin(), &mut buf) {
                    Ok(0) | Err(rustix::io::Errno::IO) => break,
                    Ok(n) => {
                        let bytes = backlog.admit(buf[..n].to_vec());
                        if tx.send(Wake::Bytes(bytes)).is_err() {
                            return;
                        }
                    }
                    Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => {}
                    Err(_) => break,
                }
            }
            let _ = tx.send(Wake::InputEnded);
        });
}
