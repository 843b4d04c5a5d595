//! One SSH connection: who gets in, and that a viewer gets the browser and
//! nothing else. Everything not asked for is refused: exec, subsystems
//! (sftp), port forwarding both ways, agent and X11 forwarding, more than
//! one session channel. Every attempt and every end is logged.
//!
//! It is longer than a module here should be because russh's `Handler` has
//! a method for each kind of request, and each refusal is logged in words
//! of its own; what is decided (keys, codes, limits) is in `auth` and
//! `limits`, and what a viewer gets in `viewer`.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::server::{
    Auth, ChannelOpenHandle, Handler, Msg, PublicKeyOffer, Session, VerifiedPublicKey,
};
use russh::{Channel, ChannelId, ChannelOpenFailure, Disconnect, MethodKind, MethodSet, Pty};
use tokio::sync::mpsc;

use super::accept::{Pending, Record, Unused};
use super::viewer::{self, Input, Terminal};
use super::{Shared, audit, auth, limits, lock};

/// Password tries per connection.
const TRIES: usize = 3;
/// Refused requests logged per connection; the next one ends it (asking
/// again and again for what is refused is abuse, and would fill the log).
const REFUSALS: usize = 20;
/// Let in but no browser asked for within this: closed (sshd's
/// UnusedConnectionTimeout). A real `ssh` asks within milliseconds.
const UNUSED: Duration = Duration::from_secs(10);
/// Input queued for one viewer's browser, in packets; beyond, the
/// connection's own reading waits (only that viewer's).
const INPUT_QUEUE: usize = 8;
/// The terminal a viewer asked for.
#[derive(Clone, Debug)]
struct PtyRequest {
    term: String,
    size: (u16, u16),
}

pub(super) struct Conn {
    shared: Arc<Shared>,
    peer: SocketAddr,
    record: Arc<Mutex<Record>>,
    killer: Arc<std::net::TcpStream>,
    sent: Arc<AtomicU64>,
    let_in: Arc<AtomicBool>,
    /// A browser (or the plain text) was asked for.
    started: Arc<AtomicBool>,
    pending: Option<Pending>,
    /// Counts this connection against its identity until it is a viewer.
    unused: Option<Unused>,
    tries: usize,
    /// Requests refused after signing in.
    refusals: usize,
    channel: Option<Channel<Msg>>,
    /// A session channel was opened: the only one this connection gets.
    opened: bool,
    pty: Option<PtyRequest>,
    env: Vec<(String, String)>,
    input: Option<mpsc::Sender<Input>>,
}

impl Conn {
    /// A connection's handler, not signed in yet (`pending` counts it).
    pub(super) fn new(
        shared: Arc<Shared>,
        peer: SocketAddr,
        record: Arc<Mutex<Record>>,
        killer: Arc<std::net::TcpStream>,
        sent: Arc<AtomicU64>,
        let_in: Arc<AtomicBool>,
        pending: Pending,
    ) -> Conn {
        Conn {
            shared,
            peer,
            record,
            killer,
            sent,
            let_in,
            started: Arc::new(AtomicBool::new(false)),
            pending: Some(pending),
            unused: None,
            tries: 0,
            refusals: 0,
            channel: None,
            opened: false,
            pty: None,
            env: Vec::new(),
            input: None,
        }
    }

    fn log(&self, what: &str) {
        let who = lock(&self.record).who();
        self.shared.audit.line(self.peer, &who, what);
    }

    fn tried(&self, user: &str, how: String) {
        let mut record = lock(&self.record);
        record.user = user.chars().take(64).collect();
        record.how = how;
    }

    // Logs a refused request, up to REFUSALS of them; the one after ends
    // the connection (an error from a handler does).
    fn refused(&mut self, what: &str) -> Result<(), russh::Error> {
        self.refusals += 1;
        if self.refusals <= REFUSALS {
            self.log(&format!("refused: {what}"));
            return Ok(());
        }
        let why =
            format!("dropped: more than {REFUSALS} refused requests; further refusals not logged");
        self.log(&why);
        lock(&self.record).end = Some(why);
        Err(russh::Error::Disconnect)
    }

    fn refuse(
        &mut self,
        what: &str,
        session: &mut Session,
        channel: ChannelId,
    ) -> Result<(), russh::Error> {
        self.refused(what)?;
        session.channel_failure(channel)
    }

    // Refuses a channel the client opened (forwarding, X11).
    async fn reject(&mut self, what: &str, reply: ChannelOpenHandle) -> Result<(), russh::Error> {
        self.refused(what)?;
        reply
            .reject(ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
    }

    // Counts the connection against `identity` before it is let in; false
    // (and logged) when that identity holds its share of connections that
    // are not viewers.
    fn claim(&mut self, identity: String) -> bool {
        match Unused::enter(&self.shared, identity) {
            Some(unused) => {
                self.unused = Some(unused);
                true
            }
            None => {
                self.log("refused: too many connections without a browser for this key or code");
                false
            }
        }
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
            self.log(
                "refused: too many wrong codes from this address or its network; wait a minute",
            );
        } else if code.matches(password) {
            // Everyone has the code: its share is per network.
            let identity = format!("code from {}", limits::network(self.peer.ip()));
            if !self.claim(identity) {
                return Ok(Auth::reject());
            }
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
        let fingerprint = auth::fingerprint(key.public_key);
        self.tried(user, format!("key={fingerprint}"));
        let name = name.to_string();
        if !self.claim(fingerprint) {
            return Ok(Auth::reject());
        }
        lock(&self.record).name = Some(name);
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
        // One for the connection's whole life: after the plain text, a
        // second would be another copy of the report, without bound.
        if self.opened {
            self.refused("a second session on one connection")?;
            reply
                .reject(ChannelOpenFailure::AdministrativelyProhibited)
                .await;
            return Ok(());
        }
        self.opened = true;
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
            tokio::spawn(super::channel::plain(
                write,
                doc,
                terminal,
                self.sent.clone(),
            ));
            return Ok(());
        };
        if self.shared.viewers.fetch_add(1, Ordering::SeqCst) >= self.shared.max_viewers {
            self.shared.viewers.fetch_sub(1, Ordering::SeqCst);
            lock(&self.record).end = Some("room full".into());
            let doc = self.shared.room.borrow().doc.clone();
            tokio::spawn(super::channel::turn_away(
                write,
                doc,
                self.shared.setup.labels,
                self.shared.max_viewers,
            ));
            return Ok(());
        }
        // A viewer now: counted by the room, no longer by its identity.
        self.unused = None;
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
        let command = audit::field(&String::from_utf8_lossy(
            &data[..data.len().min(audit::FIELD)],
        ));
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
        self.refuse(
            &format!("subsystem {}", audit::field(name)),
            session,
            channel,
        )
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
        self.refused("agent forwarding")?;
        Ok(false)
    }

    async fn tcpip_forward(
        &mut self,
        address: &str,
        port: &mut u32,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.refused(&format!(
            "remote forwarding of {}:{port}",
            audit::field(address)
        ))?;
        Ok(false)
    }

    async fn streamlocal_forward(
        &mut self,
        socket_path: &str,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.refused(&format!(
            "remote forwarding of {}",
            audit::field(socket_path)
        ))?;
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
        let what = format!(
            "forwarding to {}:{port_to_connect}",
            audit::field(host_to_connect)
        );
        self.reject(&what, reply).await
    }

    async fn channel_open_direct_streamlocal(
        &mut self,
        _channel: Channel<Msg>,
        socket_path: &str,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let what = format!("forwarding to {}", audit::field(socket_path));
        self.reject(&what, reply).await
    }

    async fn channel_open_x11(
        &mut self,
        _channel: Channel<Msg>,
        _originator_address: &str,
        _originator_port: u32,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.reject("X11 channel", reply).await
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
}
