//! Serving over SSH (issue "Join from any laptop"), end to end: the real
//! binary serving, real OpenSSH clients (`ssh`, `ssh-keygen`) against
//! 127.0.0.1 on a port the system picks (`--serve 127.0.0.1:0`), in
//! pseudo-terminals parsed with `vt100`.
//!
//! - `audit`: the audit log is never the report, another user's file or a FIFO.
//! - `join`: who gets in (a key, the code), who does not (a wrong code, an
//!   unknown key, a guesser), what a viewer may not ask for (exec, sftp,
//!   forwarding), `ssh -T`, starting without a way in, the host key.
//! - `room`: following the presenter at another size, resizing, detaching
//!   and `F`, a viewer's keys, the presenter's view of the room, a full
//!   room, the presenter quitting, a viewer that never reads.
//! - `limits`: what one client can hold: places of those signing in,
//!   connections without a browser.
//! - `sshd`: the organisation's own OpenSSH server with a `ForceCommand`.

mod audit;
#[path = "../common/mod.rs"]
mod common;
mod join;
mod limits;
mod room;
mod sshd;

use std::path::PathBuf;
use std::time::Duration;

use briefing_testkit::Scratch;
use briefing_testkit::ssh::{self, Banner, Client, Headless, Login};
use common::*;

/// A scratch directory with the bundled report and two viewers' keys:
/// alice's and bob's are authorized (keys.pub), eve's is not.
struct Room {
    scratch: Scratch,
    alice: PathBuf,
    bob: PathBuf,
    eve: PathBuf,
    keys: PathBuf,
}

impl Room {
    fn new(name: &str) -> Room {
        let scratch = Scratch::with_report(name, std::path::Path::new("report.toml"));
        let dir = scratch.dir().to_owned();
        let alice = ssh::keygen(&dir, "alice", "alice@laptop");
        let bob = ssh::keygen(&dir, "bob", "bob@desk");
        let eve = ssh::keygen(&dir, "eve", "eve@elsewhere");
        let keys = scratch.write(
            "keys.pub",
            format!("{}{}", ssh::public(&alice), ssh::public(&bob)),
        );
        Room {
            scratch,
            alice,
            bob,
            eve,
            keys,
        }
    }

    fn report(&self) -> String {
        self.scratch.report().display().to_string()
    }

    fn keys(&self) -> String {
        self.keys.display().to_string()
    }

    fn log(&self) -> PathBuf {
        self.scratch.path("serve.log")
    }

    /// What the presenter's audit log says so far.
    fn log_text(&self) -> String {
        std::fs::read_to_string(self.log()).unwrap_or_default()
    }

    fn wait_log(&self, text: &str) {
        briefing_testkit::wait_until(&format!("«{text}» in the log"), DEFAULT_TIMEOUT, || {
            self.log_text().contains(text)
        });
    }

    /// A headless server (no terminal) with `args` before the report.
    fn headless(&self, args: &[&str]) -> Headless {
        let mut all = vec!["--serve", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let report = self.report();
        all.push(&report);
        Headless::start(bin(), &all, self.scratch.dir(), &self.scratch.state())
    }

    /// The presenter, in a pty of `cols` x `rows`, serving with the keys
    /// and the code, logging to serve.log; `args` come first.
    fn presenter(&self, args: &[&str], cols: u16, rows: u16) -> (Pty, Banner) {
        let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        all.extend(
            [
                "--serve",
                "127.0.0.1:0",
                "--authorized-keys",
                &self.keys(),
                "--code",
                "--log",
                &self.log().display().to_string(),
                &self.report(),
            ]
            .map(String::from),
        );
        let pty = Spawn::new(bin())
            .args(&all)
            .size(cols, rows)
            .env("XDG_STATE_HOME", self.scratch.state().display().to_string())
            .cwd(self.scratch.dir())
            .start();
        let banner = ssh::banner_of(&pty);
        (pty, banner)
    }

    /// A client signing in with `key`.
    fn client(&self, banner: &Banner, key: &std::path::Path) -> Client {
        Client::new(self.scratch.dir(), banner.port, Login::Key(key.to_owned()))
    }

    /// A viewer with `key` in a pty of `cols` x `rows`, once its first frame is there.
    fn viewer(&self, banner: &Banner, key: &std::path::Path, cols: u16, rows: u16) -> Pty {
        let pty = self.client(banner, key).spawn(cols, rows);
        pty.wait_text("Inleiding");
        pty
    }
}

/// `ssh-keygen -lf`'s fingerprint of a key.
fn fingerprint(key: &std::path::Path) -> String {
    let out = std::process::Command::new("ssh-keygen")
        .arg("-lf")
        .arg(format!("{}.pub", key.display()))
        .output()
        .expect("ssh-keygen -lf");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .nth(1)
        .expect("a fingerprint")
        .to_string()
}

/// Long enough for a refused login (three tries two seconds apart).
const LOGIN: Duration = Duration::from_secs(30);
