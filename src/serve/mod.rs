//! Serving the browser over SSH (`--serve`): anyone with a stock OpenSSH
//! client joins, sees the report at their own terminal's size and follows
//! the presenter; they can do nothing but read.
//!
//! The server runs on a small tokio runtime of its own, beside the local
//! loop, which it never blocks: the presenter publishes the report and
//! their position into a [`watch`] channel (the newest value replaces the
//! last; nobody waits), and hears of viewers through a callback. Each
//! viewer is a [`Session`](crate::session::Session) drawing into a buffer,
//! sharing the one prepared report; a viewer costs only its layout and
//! screen buffers. See `viewer` for what a slow viewer costs (nothing to
//! anyone else), `conn` for who gets in, `accept` for a connection's life
//! and `limits` for how many of what one client can hold.

mod accept;
mod audit;
mod auth;
mod channel;
mod conn;
mod hostkey;
mod limits;
pub mod publish;
mod viewer;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use thiserror::Error;
use tokio::sync::{Notify, watch};

use crate::doc::Doc;
use crate::labels::Labels;
use crate::room::{Room, Viewer};
use crate::share::Followed;
use crate::text::shown_path;

pub use audit::Audit;
pub use auth::{JoinCode, Keys};

/// How a server is started (from the command line).
#[derive(Clone, Debug)]
pub struct Options {
    /// Where to listen.
    pub addr: SocketAddr,
    /// Viewers' public keys (OpenSSH `authorized_keys`).
    pub authorized_keys: Option<PathBuf>,
    /// Let in whoever gives this run's join code as the password.
    pub code: bool,
    /// At most this many viewers at once.
    pub max_viewers: usize,
    /// Where the audit log goes (else stderr headless, the state directory otherwise).
    pub log: Option<PathBuf>,
    /// The report's file, which the log must never be.
    pub report: Option<PathBuf>,
}

/// How every viewer's browser is set up.
#[derive(Clone, Debug)]
pub struct ViewerSetup {
    /// A theme not updated for this long (seconds) is stale.
    pub stale_after: i64,
    /// The widest the text gets.
    pub measure: u16,
    /// The words, when `--lang` chose them.
    pub labels: Option<&'static Labels>,
    /// Whether viewers follow a presenter (else each browses alone).
    pub follow: bool,
    /// The report file, whose kept versions viewers may open (none: the
    /// built-in report, or no state kept).
    pub history: Option<PathBuf>,
    /// Why viewers will see no versions, when they will not.
    pub no_versions: Option<crate::app::NoVersions>,
}

/// What every viewer is shown; replaced whole, never waited on.
#[derive(Clone)]
pub struct Broadcast {
    /// The report.
    pub doc: Arc<Doc>,
    /// Where the presenter is (or why that cannot be known), when viewers follow.
    pub lead: Option<Result<Followed, String>>,
    /// Set when the room closes: every session ends with this line.
    pub goodbye: Option<String>,
    /// The report's versions, once read.
    pub timeline: Option<Arc<crate::versions::Timeline>>,
    /// The report compared with the version before it, once per baseline
    /// viewers hold (see `publish`).
    pub compared: Vec<Arc<publish::Comparison>>,
}

/// Why a server cannot start. Each message says what to do.
#[derive(Debug, Error)]
pub enum ServeError {
    /// The authorized keys cannot be used.
    #[error("{}{}: {reason}", shown_path(.path), line_suffix(*.line))]
    Keys {
        /// The file.
        path: PathBuf,
        /// The line (0: the whole file).
        line: usize,
        /// What is wrong and what to do.
        reason: String,
    },
    /// The host key cannot be used.
    #[error("host key {}: {reason}", shown_path(.path))]
    HostKey {
        /// The key file.
        path: PathBuf,
        /// What is wrong and what to do.
        reason: String,
    },
    /// The audit log cannot be opened.
    #[error("audit log {}: {reason}; give another file with --log", shown_path(.path))]
    Log {
        /// The log file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The audit log is a file briefing must not write.
    #[error("audit log {0}")]
    LogRefused(crate::share::ShareError),
    /// The address cannot be listened on.
    #[error("cannot listen on {addr}: {reason}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// Why, and what to do.
        reason: String,
    },
}

fn line_suffix(line: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!(":{line}")
    }
}

/// How long viewers get to receive the goodbye before the room closes.
const GOODBYE: Duration = Duration::from_secs(1);

/// What the connections share.
struct Shared {
    keys: Keys,
    code: Option<JoinCode>,
    audit: Audit,
    room: watch::Receiver<Broadcast>,
    setup: ViewerSetup,
    max_viewers: usize,
    /// Viewers with a browser open.
    viewers: AtomicUsize,
    /// Connections open (closing waits for them to end, so every last
    /// byte leaves before the runtime stops).
    connections: AtomicUsize,
    /// Connections still authenticating.
    pending: Mutex<limits::Pending>,
    /// Signed-in connections without a browser, per identity.
    unused: Mutex<limits::Tally<String>>,
    failures: Mutex<auth::Failures>,
    /// Who is connected, by viewer number, in the order they joined.
    roster: Mutex<Vec<(u64, Viewer)>>,
    ids: AtomicU64,
    /// How to join, for the presenter's overlay.
    fingerprint: String,
    join: String,
    /// Notified whenever a connection ends (closing waits on it).
    left: Notify,
    /// Tells the presenter the roster changed.
    on_change: Box<dyn Fn() + Send + Sync>,
}

impl Shared {
    // Sets (or, with `None`, removes) viewer `id` and tells the presenter
    // if that changed anything.
    fn set_viewer(&self, id: u64, viewer: Option<Viewer>) {
        let changed = {
            let mut roster = lock(&self.roster);
            let at = roster.iter().position(|(i, _)| *i == id);
            match (at, viewer) {
                (Some(i), Some(v)) if roster[i].1 == v => false,
                (Some(i), Some(v)) => {
                    roster[i].1 = v;
                    true
                }
                (None, Some(v)) => {
                    roster.push((id, v));
                    true
                }
                (Some(i), None) => {
                    roster.remove(i);
                    true
                }
                (None, None) => false,
            }
        };
        if changed {
            (self.on_change)();
        }
    }

    fn room(&self) -> Room {
        Room {
            viewers: lock(&self.roster).iter().map(|(_, v)| v.clone()).collect(),
            fingerprint: self.fingerprint.clone(),
            join: self.join.clone(),
            code: self.code.as_ref().map(JoinCode::shown),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running server.
pub struct Server {
    runtime: tokio::runtime::Runtime,
    publish: Arc<publish::Publisher>,
    shared: Arc<Shared>,
    address: SocketAddr,
    warnings: Vec<String>,
}

impl Server {
    /// Starts serving `doc` as `options` say; `on_change` is called (on a
    /// server thread) whenever viewers join, leave or move.
    pub fn start(
        options: &Options,
        headless: bool,
        doc: Arc<Doc>,
        setup: ViewerSetup,
        on_change: impl Fn() + Send + Sync + 'static,
    ) -> Result<Server, ServeError> {
        let (keys, warnings) = match &options.authorized_keys {
            Some(path) => Keys::load(path)?,
            None => (Keys::default(), Vec::new()),
        };
        let key_path = hostkey::path()?;
        let host_key = hostkey::load_or_create(&key_path)?;
        let fingerprint = auth::fingerprint(host_key.public_key());
        let audit = audit::open(options.log.as_deref(), options.report.as_deref(), headless)
            .map_err(|e| match e {
                audit::LogError::Refused(e) => ServeError::LogRefused(e),
                audit::LogError::Io(e) => ServeError::Log {
                    path: options
                        .log
                        .clone()
                        .unwrap_or_else(|| PathBuf::from("serve.log")),
                    reason: crate::report::describe_io(&e),
                },
            })?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name(THREAD_NAME)
            .enable_all()
            .build()
            .map_err(|e| ServeError::Listen {
                addr: options.addr,
                reason: crate::report::describe_io(&e),
            })?;
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind(options.addr))
            .map_err(|e| ServeError::Listen {
                addr: options.addr,
                reason: listen_hint(&e),
            })?;
        let address = listener.local_addr().unwrap_or(options.addr);
        let (publish, room) = watch::channel(Broadcast {
            doc,
            lead: None,
            goodbye: None,
            timeline: None,
            compared: Vec::new(),
        });
        let shared = Arc::new(Shared {
            keys,
            code: options.code.then(JoinCode::fresh),
            audit,
            room,
            setup,
            max_viewers: options.max_viewers,
            viewers: AtomicUsize::new(0),
            connections: AtomicUsize::new(0),
            pending: Mutex::new(limits::Pending::default()),
            unused: Mutex::new(limits::Tally::default()),
            failures: Mutex::new(auth::Failures::default()),
            roster: Mutex::new(Vec::new()),
            ids: AtomicU64::new(1),
            fingerprint,
            join: join_command(address),
            left: Notify::new(),
            on_change: Box::new(on_change),
        });
        let config = accept::config(&shared, host_key);
        runtime.spawn(accept::accept(listener, config, shared.clone()));
        shared.audit.note(&format!(
            "serving on {address}, host key {}",
            shared.fingerprint
        ));
        Ok(Server {
            runtime,
            publish: publish::Publisher::new(publish),
            shared,
            address,
            warnings,
        })
    }

    /// Where it listens.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// What to tell whoever started it: where, the fingerprint, how to
    /// join, the code, and any keys that cannot join.
    pub fn banner(&self) -> Vec<String> {
        let room = self.shared.room();
        let mut lines = vec![
            format!(
                "serving on {} (host key {})",
                self.address, room.fingerprint
            ),
            format!("join with: {}", room.join),
        ];
        if let Some(code) = &room.code {
            lines.push(format!("join code (the SSH password): {code}"));
        }
        lines.extend(self.warnings.iter().cloned());
        lines
    }

    /// Who is watching now.
    pub fn room(&self) -> Arc<Room> {
        Arc::new(self.shared.room())
    }

    /// Shows every viewer a new version of the report, compared once for
    /// all of them first (on a thread of its own: the caller never waits).
    pub fn publish_doc(&self, doc: Arc<Doc>) {
        self.publish.publish_doc(doc);
    }

    /// Gives every viewer the report's versions.
    pub fn publish_timeline(&self, timeline: Arc<crate::versions::Timeline>) {
        self.publish
            .sender()
            .send_modify(|b| b.timeline = Some(timeline));
    }

    /// Moves every following viewer to where the presenter is.
    pub fn publish_lead(&self, lead: Result<Followed, String>) {
        self.publish.sender().send_if_modified(|b| {
            let changed = b.lead.as_ref() != Some(&lead);
            b.lead = Some(lead);
            changed
        });
    }

    /// Ends every session with `goodbye`, waits a little for the viewers
    /// to receive it, and stops.
    pub fn close(self, goodbye: String) {
        self.publish
            .sender()
            .send_modify(|b| b.goodbye = Some(goodbye));
        let shared = self.shared.clone();
        self.runtime.block_on(async move {
            let deadline = tokio::time::Instant::now() + GOODBYE;
            let open = || shared.connections.load(Ordering::SeqCst) > 0;
            while open() {
                let left = shared.left.notified();
                if !open() || tokio::time::timeout_at(deadline, left).await.is_err() {
                    break;
                }
            }
        });
        self.shared.audit.note("the room is closed");
        self.runtime.shutdown_timeout(Duration::from_millis(200));
    }
}

/// The server's threads' names: a panic on one of them ends one session,
/// and must not touch the local terminal (see `term::tty`).
pub const THREAD_NAME: &str = "briefing-serve";

// What `ssh` command joins a server listening on `addr`.
fn join_command(addr: SocketAddr) -> String {
    let host = if addr.ip().is_unspecified() {
        crate::share::hostname()
    } else if addr.is_ipv6() {
        format!("{}", addr.ip())
    } else {
        addr.ip().to_string()
    };
    match addr.port() {
        22 => format!("ssh viewer@{host}"),
        port => format!("ssh -p {port} viewer@{host}"),
    }
}

fn listen_hint(e: &std::io::Error) -> String {
    let why = crate::report::describe_io(e);
    match e.kind() {
        std::io::ErrorKind::AddrInUse => {
            format!("{why}; is another briefing serving? choose another port")
        }
        std::io::ErrorKind::PermissionDenied => {
            format!("{why}; ports below 1024 need privileges, choose e.g. 2222")
        }
        _ => why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_join_command_names_the_port_only_when_it_must() {
        assert_eq!(
            join_command("127.0.0.1:2222".parse().expect("addr")),
            "ssh -p 2222 viewer@127.0.0.1"
        );
        assert_eq!(
            join_command("10.1.2.3:22".parse().expect("addr")),
            "ssh viewer@10.1.2.3"
        );
        let any = join_command("0.0.0.0:2222".parse().expect("addr"));
        assert!(
            any.ends_with(&format!("@{}", crate::share::hostname())),
            "{any}"
        );
    }
}
