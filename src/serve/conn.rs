//! One SSH connection: who gets in, and that a viewer gets the browser and
//! nothing else. Everything not asked for is refused: exec, subsystems
//! (sftp), port forwarding both ways, agent and X11 forwarding, more than
//! one session channel. Every attempt and every end is logged.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::keys::PrivateKey;
use russh::server::{
    Auth, ChannelOpenHandle, Handler, Msg, PublicKeyOffer, Session, VerifiedPublicKey,
};
use russh::{Channel, ChannelId, ChannelOpenFailure, Disconnect, MethodKind, MethodSet, Pty};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use super::viewer::{self, Input, Terminal};
use super::{Shared, auth, lock};

/// Password tries per connection.
const TRIES: usize = 3;
/// From connecting to being let in, at most (sshd's LoginGraceTime).
const LOGIN_GRACE: Duration = Duration::from_secs(30);
/// Let in but no browser asked for within this: closed (sshd's UnusedConnectionTimeout).
const UNUSED: Duration = Duration::from_secs(30);
/// Connections still authenticating from one address, at most.
const PENDING_PER_ADDRESS: usize = 16;
/// Connections still authenticating, at most, beyond the viewers.
const PENDING: usize = 64;
/// Input queued for one viewer's browser, in packets; beyond, the
/// connection's own reading waits (only that viewer's).
const INPUT_QUEUE: usize = 8;

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
    let slots = Arc::new(tokio::sync::Semaphore::new(shared.max_viewers + PENDING));
    loop {
        let Ok((socket, peer)) = listener.accept().await else {
            // Out of file descriptors, most likely: wait rather than spin.
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            shared
                .audit
                .line(peer, "-", "refused: too many connections");
            continue;
        };
        let Some(pending) = Pending::enter(&shared, peer) else {
            shared.audit.line(
                peer,
                "-",
                "refused: too many connections still joining from this address",
            );
            continue;
        };
        let shared = shared.clone();
        let config = config.clone();
        shared.connections.fetch_add(1, Ordering::SeqCst);
        tokio::spawn(async move {
            let _slot = slot;
            serve(socket, peer, config, shared.clone(), pending).await;
            shared.connections.fetch_sub(1, Ordering::SeqCst);
            shared.left.notify_waiters();
        });
    }
}

/// A connection not yet let in, counted per address until it is.
struct Pending {
    shared: Arc<Shared>,
    peer: SocketAddr,
}

impl Pending {
    fn enter(shared: &Arc<Shared>, peer: SocketAddr) -> Option<Pending> {
        let mut pending = lock(&shared.pending);
        let n = pending.entry(peer.ip()).or_insert(0);
        if *n >= PENDING_PER_ADDRESS {
            return None;
        }
        *n += 1;
        Some(Pending {
            shared: shared.clone(),
            peer,
        })
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        let mut pending = lock(&self.shared.pending);
        if let Some(n) = pending.get_mut(&self.peer.ip()) {
            *n -= 1;
            if *n == 0 {
                pending.remove(&self.peer.ip());
            }
        }
    }
}

/// What the log says about a connection.
#[derive(Default)]
struct Record {
    /// The user name given (any name; `ascii` and `mono` choose a look).
    user: String,
    /// How they tried: `code`, or `key=SHA256:…`.
    how: String,
    /// Who they are once let in: the key's comment, or "code".
    name: Option<String>,
    let_in: bool,
    end: Option<String>,
}

impl Record {
    fn who(&self) -> String {
        let user = if self.user.is_empty() {
            "-"
        } else {
            &self.user
        };
        let mut who = format!("user={user}");
        if !self.how.is_empty() {
            who.push_str(&format!(" {}", self.how));
        }
        if let Some(name) = &self.name {
            who.push_str(&format!(" as={name}"));
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
    let handler = Conn {
        shared: shared.clone(),
        peer,
        record: record.clone(),
        killer: killer.clone(),
        sent: sent.clone(),
        let_in: let_in.clone(),
        started: Arc::new(AtomicBool::new(false)),
        pending: Some(pending),
        tries: 0,
        channel: None,
        pty: None,
        env: Vec::new(),
        input: None,
    };
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

/// The terminal a viewer asked for.
#[derive(Clone, Debug)]
struct PtyRequest {
    term: String,
    size: (u16, u16),
}

struct Conn {
    shared: Arc<Shared>,
    peer: SocketAddr,
    record: Arc<Mutex<Record>>,
    killer: Arc<std::net::TcpStream>,
    sent: Arc<AtomicU64>,
    let_in: Arc<AtomicBool>,
    /// A browser (or the plain text) was asked for.
    started: Arc<AtomicBool>,
    pending: Option<Pending>,
    tries: usize,
    channel: Option<Channel<Msg>>,
    pty: Option<PtyRequest>,
    env: Vec<(String, String)>,
    input: Option<mpsc::Sender<Input>>,
}

impl Conn {
    fn log(&self, what: &str) {
        let who = lock(&self.record).who();
        self.shared.audit.line(self.peer, &who, what);
    }

    fn tried(&self, user: &str, how: String) {
        let mut record = lock(&self.record);
        record.user = user.chars().take(64).collect();
        record.how = how;
    }

    fn refuse(
        &self,
        what: &str,
        session: &mut Session,
        channel: ChannelId,
    ) -> Result<(), russh::Error> {
        self.log(&format!("refused: {what}"));
        session.channel_failure(channel)
    }

    fn failed(&self) {
        lock(&self.shared.failures).failed(self.peer.ip(), Instant::now());
    }
}

impl Handler for Conn {
    type Error = russh::Error;

    async fn auth_password(&mut self, user: &str, password: &str) -> Result<Auth, Self::Error> {
        self.tried(user, "code".into());
        let Some(code) = &self.shared.code else {
            return Ok(Auth::reject());
        };
        self.tries += 1;
        // Guessing is limited per address: keys still work from there.
        if !lock(&self.shared.failures).allowed(self.peer.ip(), Instant::now()) {
            self.log("refused: too many wrong codes from this address; wait a minute");
        } else if code.matches(password) {
            lock(&self.record).name = Some("code".into());
            return Ok(Auth::Accept);
        } else {
            self.failed();
            self.log(&format!(
                "refused: wrong code (try {} of {TRIES})",
                self.tries
            ));
        }
        if self.tries >= TRIES {
            // No more passwords on this connection.
            return Ok(Auth::reject());
        }
        // A plain rejection would take "password" off the list after one
        // try; keep it offered until our own limit (russh waits first).
        let mut methods = vec![MethodKind::Password];
        if !self.shared.keys.is_empty() {
            methods.insert(0, MethodKind::PublicKey);
        }
        Ok(Auth::Reject {
            proceed_with_methods: Some(MethodSet::from(&methods[..])),
            partial_success: false,
        })
    }

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        if self.shared.keys.find(offer.public_key).is_some() {
            return Ok(Auth::Accept);
        }
        // Not counted against the address: a key cannot be guessed, and an
        // agent offers all its keys.
        self.tried(user, format!("key={}", auth::fingerprint(offer.public_key)));
        self.log("refused: unknown key");
        Ok(Auth::reject())
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        let Some(allowed) = self.shared.keys.find(key.public_key) else {
            return Ok(Auth::reject());
        };
        let name = if allowed.name.is_empty() {
            "(no name)"
        } else {
            &allowed.name
        };
        self.tried(user, format!("key={}", auth::fingerprint(key.public_key)));
        lock(&self.record).name = Some(name.to_string());
        Ok(Auth::Accept)
    }

    async fn auth_succeeded(&mut self, session: &mut Session) -> Result<(), Self::Error> {
        self.pending = None;
        self.let_in.store(true, Ordering::SeqCst);
        lock(&self.record).let_in = true;
        self.log("accepted");
        // Let in, but no browser asked for soon: close (nothing else is on offer).
        let (handle, started, record) =
            (session.handle(), self.started.clone(), self.record.clone());
        tokio::spawn(async move {
            tokio::time::sleep(UNUSED).await;
            if !started.load(Ordering::SeqCst) {
                lock(&record).end = Some("no browser asked for".into());
                let _ = handle
                    .disconnect(
                        Disconnect::ByApplication,
                        "only the browser is served".into(),
                        String::new(),
                    )
                    .await;
            }
        });
        Ok(())
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel.is_some() || self.input.is_some() {
            self.log("refused: a second session on one connection");
            reply
                .reject(ChannelOpenFailure::AdministrativelyProhibited)
                .await;
            return Ok(());
        }
        self.channel = Some(channel);
        reply.accept().await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.pty = Some(PtyRequest {
            term: term.chars().take(64).collect(),
            size: size(col_width, row_height),
        });
        session.channel_success(channel)
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // Only what says which characters the terminal shows.
        if matches!(name, "LANG" | "LC_ALL" | "LC_CTYPE") && self.env.len() < 3 && value.len() < 100
        {
            self.env.push((name.to_string(), value.to_string()));
            return session.channel_success(channel);
        }
        session.channel_failure(channel)
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(open) = self.channel.take() else {
            return session.channel_failure(channel);
        };
        session.channel_success(channel)?;
        let (read, write) = open.split();
        // Input arrives through `data`: an unread read half would stall the connection.
        drop(read);
        self.started.store(true, Ordering::SeqCst);
        let (user, name) = {
            let record = lock(&self.record);
            (record.user.clone(), record.name.clone().unwrap_or_default())
        };
        let terminal = Terminal {
            term: self.pty.as_ref().map(|p| p.term.clone()),
            env: self.env.clone(),
            user,
        };
        let Some(pty) = self.pty.clone() else {
            // `ssh -T`: the report as plain text, then the session ends.
            lock(&self.record).end = Some("the report sent as plain text (no terminal)".into());
            let doc = self.shared.room.borrow().doc.clone();
            tokio::spawn(viewer::plain(write, doc, terminal, self.sent.clone()));
            return Ok(());
        };
        if self.shared.viewers.fetch_add(1, Ordering::SeqCst) >= self.shared.max_viewers {
            self.shared.viewers.fetch_sub(1, Ordering::SeqCst);
            lock(&self.record).end = Some("room full".into());
            let doc = self.shared.room.borrow().doc.clone();
            tokio::spawn(viewer::turn_away(
                write,
                doc,
                self.shared.setup.labels,
                self.shared.max_viewers,
            ));
            return Ok(());
        }
        let (tx, rx) = mpsc::channel(INPUT_QUEUE);
        self.input = Some(tx);
        viewer::spawn(viewer::Start {
            shared: self.shared.clone(),
            id: self.shared.ids.fetch_add(1, Ordering::SeqCst),
            name,
            address: self.peer.to_string(),
            channel,
            write,
            handle: session.handle(),
            killer: self.killer.clone(),
            size: pty.size,
            terminal,
            input: rx,
            sent: self.sent.clone(),
            record_end: {
                let record = self.record.clone();
                Arc::new(move |why: String| {
                    lock(&record).end.get_or_insert(why);
                })
            },
        });
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        _channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(tx) = &self.input {
            let (w, h) = size(col_width, row_height);
            let _ = tx.send(Input::Resize(w, h)).await;
        }
        Ok(())
    }

    async fn data(
        &mut self,
        _channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(tx) = &self.input {
            // Waits only when this viewer's browser is behind: their own
            // connection's reading waits, nobody else's.
            let _ = tx.send(Input::Bytes(data.to_vec())).await;
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(tx) = self.input.take() {
            let _ = tx.send(Input::Ended).await;
        }
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let command = String::from_utf8_lossy(&data[..data.len().min(200)]).into_owned();
        self.refuse(
            &format!("exec «{command}» (only the browser is served)"),
            session,
            channel,
        )
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse(&format!("subsystem {name}"), session, channel)
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _x11_auth_protocol: &str,
        _x11_auth_cookie: &str,
        _x11_screen_number: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse("X11 forwarding", session, channel)
    }

    async fn agent_request(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.log("refused: agent forwarding");
        Ok(false)
    }

    async fn tcpip_forward(
        &mut self,
        address: &str,
        port: &mut u32,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.log(&format!("refused: remote forwarding of {address}:{port}"));
        Ok(false)
    }

    async fn streamlocal_forward(
        &mut self,
        socket_path: &str,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.log(&format!("refused: remote forwarding of {socket_path}"));
        Ok(false)
    }

    async fn channel_open_direct_tcpip(
        &mut self,
        _channel: Channel<Msg>,
        host_to_connect: &str,
        port_to_connect: u32,
        _originator_address: &str,
        _originator_port: u32,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.log(&format!(
            "refused: forwarding to {host_to_connect}:{port_to_connect}"
        ));
        reply
            .reject(ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
    }

    async fn channel_open_direct_streamlocal(
        &mut self,
        _channel: Channel<Msg>,
        socket_path: &str,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.log(&format!("refused: forwarding to {socket_path}"));
        reply
            .reject(ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
    }

    async fn channel_open_x11(
        &mut self,
        _channel: Channel<Msg>,
        _originator_address: &str,
        _originator_port: u32,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.log("refused: X11 channel");
        reply
            .reject(ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
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

/// The largest screen drawn for a viewer: a session keeps four copies of
/// its cells (~40 bytes each), so a viewer's 1000x500 window would cost
/// 80 MB; beyond this it stays blank, as beyond a local session's cap.
const VIEWER_MAX: (u16, u16) = (300, 100);

// A terminal size from the wire: 0 (unknown) is the classic 80x24, and
// no size goes beyond what a viewer is drawn at.
fn size(cols: u32, rows: u32) -> (u16, u16) {
    let pick = |n: u32, default: u16, max: u16| {
        if n == 0 {
            default
        } else {
            u16::try_from(n).unwrap_or(u16::MAX).min(max)
        }
    };
    (pick(cols, 80, VIEWER_MAX.0), pick(rows, 24, VIEWER_MAX.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_size_from_the_wire_is_never_zero_or_huge() {
        assert_eq!(size(0, 0), (80, 24));
        assert_eq!(size(120, 0), (120, 24));
        assert_eq!(size(u32::MAX, u32::MAX), VIEWER_MAX);
    }

    #[test]
    fn the_log_names_who_and_how() {
        let mut r = Record::default();
        assert_eq!(r.who(), "user=-");
        r.user = "viewer".into();
        r.how = "key=SHA256:abc".into();
        r.name = Some("alice".into());
        assert_eq!(r.who(), "user=viewer key=SHA256:abc as=alice");
    }
}
