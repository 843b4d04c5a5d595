//! A connection's life: accepted (or turned away: too many still signing
//! in, from one address or network, see `limits`), given a bounded time to
//! sign in, and logged when it ends, with who it was, how long and how much
//! was sent. What happens inside it is `conn`.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::keys::PrivateKey;
use russh::{Disconnect, MethodKind, MethodSet};
use tokio::net::TcpListener;

use super::conn::Conn;
use super::{Shared, limits, lock};

/// From connecting to being let in, at most (sshd's LoginGraceTime).
const LOGIN_GRACE: Duration = Duration::from_secs(30);
/// The SSH settings: what bounds one connection's memory and time.
pub(super) fn config(shared: &Shared, host_key: PrivateKey) -> Arc<russh::server::Config> {
    let mut methods = vec![];
    if !shared.keys.is_empty() {
        methods.push(MethodKind::PublicKey);
    }
    if shared.code.is_some() {
        methods.push(MethodKind::Password);
    }
    Arc::new(russh::server::Config {
        server_id: russh::SshId::Standard("SSH-2.0-briefing".into()),
        methods: MethodSet::from(&methods[..]),
        // A refusal waits this long (in that connection only).
        auth_rejection_time: Duration::from_secs(2),
        // OpenSSH always probes with "none" first: no wait for that.
        auth_rejection_time_initial: Some(Duration::ZERO),
        // Every unknown key an agent offers counts: room for a few.
        max_auth_attempts: 6,
        keys: vec![host_key],
        // Bounds a write to a peer that stopped reading; live peers answer
        // keepalives, which keeps them from ever being idle to russh.
        inactivity_timeout: Some(Duration::from_secs(300)),
        keepalive_interval: Some(Duration::from_secs(15)),
        keepalive_max: 3,
        // What one connection can make us buffer: a viewer only types.
        window_size: 64 * 1024,
        maximum_packet_size: 32 * 1024,
        channel_buffer_size: 16,
        event_buffer_size: 16,
        nodelay: true,
        ..Default::default()
    })
}

/// Accepts connections until the runtime stops.
pub(super) async fn accept(
    listener: TcpListener,
    config: Arc<russh::server::Config>,
    shared: Arc<Shared>,
) {
    // No budget shared by the signed-in and those signing in: a socket
    // that never signs in takes only a place of `limits::Pending`.
    loop {
        let Ok((socket, peer)) = listener.accept().await else {
            // Out of file descriptors, most likely: wait rather than spin.
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let pending = match Pending::enter(&shared, peer) {
            Ok(pending) => pending,
            Err(why) => {
                shared.audit.line(peer, "-", &format!("refused: {why}"));
                continue;
            }
        };
        let shared = shared.clone();
        let config = config.clone();
        shared.connections.fetch_add(1, Ordering::SeqCst);
        tokio::spawn(async move {
            serve(socket, peer, config, shared.clone(), pending).await;
            shared.connections.fetch_sub(1, Ordering::SeqCst);
            shared.left.notify_waiters();
        });
    }
}

/// A connection not yet let in, counted (in all, per address, per
/// network) until it is.
pub(super) struct Pending {
    shared: Arc<Shared>,
    peer: SocketAddr,
}

impl Pending {
    fn enter(shared: &Arc<Shared>, peer: SocketAddr) -> Result<Pending, &'static str> {
        lock(&shared.pending).enter(peer.ip())?;
        Ok(Pending {
            shared: shared.clone(),
            peer,
        })
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        lock(&self.shared.pending).leave(self.peer.ip());
    }
}

/// A signed-in connection that is not a viewer (yet), counted against its
/// identity until it is one or ends.
pub(super) struct Unused {
    shared: Arc<Shared>,
    identity: String,
}

impl Unused {
    /// Counts one for `identity`, unless it holds its share already.
    pub(super) fn enter(shared: &Arc<Shared>, identity: String) -> Option<Unused> {
        lock(&shared.unused)
            .add(identity.clone(), limits::UNUSED_PER_IDENTITY)
            .then(|| Unused {
                shared: shared.clone(),
                identity,
            })
    }
}

impl Drop for Unused {
    fn drop(&mut self) {
        lock(&self.shared.unused).remove(&self.identity);
    }
}

/// What the log says about a connection.
#[derive(Default)]
pub(super) struct Record {
    /// The user name given (any name; `ascii` and `mono` choose a look).
    pub(super) user: String,
    /// How they tried: `code`, or `key=SHA256:…`.
    pub(super) how: String,
    /// Who they are once let in: the key's comment, or "code".
    pub(super) name: Option<String>,
    pub(super) let_in: bool,
    pub(super) end: Option<String>,
}

impl Record {
    /// Who, in the log's words: the values a peer or a key's comment chose
    /// are quoted (`user="…"`, `as="…"`, quotes inside escaped), so a user
    /// name with spaces can never look like another field.
    pub(super) fn who(&self) -> String {
        let mut who = if self.user.is_empty() {
            "user=-".to_string()
        } else {
            format!("user={:?}", super::audit::field(&self.user))
        };
        if !self.how.is_empty() {
            who.push_str(&format!(" {}", self.how));
        }
        if let Some(name) = &self.name {
            who.push_str(&format!(" as={:?}", super::audit::field(name)));
        }
        who
    }
}

async fn serve(
    socket: tokio::net::TcpStream,
    peer: SocketAddr,
    config: Arc<russh::server::Config>,
    shared: Arc<Shared>,
    pending: Pending,
) {
    let _ = socket.set_nodelay(true);
    // A second handle on the socket: shutting it down ends the session
    // even while russh waits on a peer that stopped reading.
    let Ok(std_socket) = socket.into_std() else {
        return;
    };
    let Ok(killer) = std_socket.try_clone() else {
        return;
    };
    let Ok(socket) = tokio::net::TcpStream::from_std(std_socket) else {
        return;
    };
    let killer = Arc::new(killer);
    let record = Arc::new(Mutex::new(Record::default()));
    let started = Instant::now();
    let sent = Arc::new(AtomicU64::new(0));
    let let_in = Arc::new(AtomicBool::new(false));
    let handler = Conn::new(
        shared.clone(),
        peer,
        record.clone(),
        killer.clone(),
        sent.clone(),
        let_in.clone(),
        pending,
    );
    let session = tokio::time::timeout(
        LOGIN_GRACE,
        russh::server::run_stream(config, socket, handler),
    )
    .await;
    let outcome = match session {
        Ok(Ok(running)) => {
            let handle = running.handle();
            let deadline = tokio::time::Instant::now() + LOGIN_GRACE;
            let let_in = let_in.clone();
            let killer = killer.clone();
            let guard = async move {
                tokio::time::sleep_until(deadline).await;
                if !let_in.load(Ordering::SeqCst) {
                    let _ = handle
                        .disconnect(
                            Disconnect::ByApplication,
                            "login grace time exceeded".into(),
                            String::new(),
                        )
                        .await;
                    // Not processed during a key exchange: cut the socket too.
                    let _ = killer.shutdown(std::net::Shutdown::Both);
                    return "login grace time exceeded".to_string();
                }
                std::future::pending::<String>().await
            };
            tokio::select! {
                r = running => r.err().map(|e| ended(&e)),
                why = guard => Some(why),
            }
        }
        Ok(Err(e)) => Some(ended(&e)),
        Err(_) => Some("no SSH greeting in time".into()),
    };
    let record = lock(&record);
    let end = record
        .end
        .clone()
        .or(outcome)
        .unwrap_or_else(|| "closed".into());
    if record.let_in {
        shared.audit.line(
            peer,
            &record.who(),
            &format!(
                "ended: {end} after {} s, {} bytes sent",
                started.elapsed().as_secs(),
                sent.load(Ordering::SeqCst)
            ),
        );
    } else {
        shared
            .audit
            .line(peer, &record.who(), &format!("not let in: {end}"));
    }
}

// Why a connection ended, in the log's words.
fn ended(e: &russh::Error) -> String {
    match e {
        russh::Error::IO(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            "closed by the viewer".into()
        }
        russh::Error::HUP | russh::Error::Disconnect => "closed by the viewer".into(),
        russh::Error::KeepaliveTimeout => "no answer to keepalives".into(),
        russh::Error::InactivityTimeout => "nothing received for too long".into(),
        e => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_names_who_and_how() {
        let mut r = Record::default();
        assert_eq!(r.who(), "user=-");
        r.user = "viewer".into();
        r.how = "key=SHA256:abc".into();
        r.name = Some("alice".into());
        assert_eq!(r.who(), r#"user="viewer" key=SHA256:abc as="alice""#);
    }

    #[test]
    fn a_user_name_cannot_imitate_other_fields() {
        let r = Record {
            user: r#"viewer key=SHA256:fp as=code as="code"#.into(),
            how: "code".into(),
            name: Some("code".into()),
            ..Record::default()
        };
        assert_eq!(
            r.who(),
            r#"user="viewer key=SHA256:fp as=code as=\"code" code as="code""#
        );
    }
}
