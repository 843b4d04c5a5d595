//! Real OpenSSH clients against `briefing --serve`: keys made with
//! `ssh-keygen`, `ssh` run in pseudo-terminals (or piped for `ssh -T`),
//! the join code typed through `SSH_ASKPASS` (there is no sshpass), and the
//! server's port and join code read from what it prints at start.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::pty::{Pty, Spawn};

/// A key pair made with `ssh-keygen -t ed25519`; returns the private key's
/// path (the public key is beside it, `.pub`).
pub fn keygen(dir: &Path, name: &str, comment: &str) -> PathBuf {
    let key = dir.join(name);
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
        .arg(&key)
        .stdin(Stdio::null())
        .status()
        .expect("run ssh-keygen");
    assert!(status.success(), "ssh-keygen failed");
    key
}

/// The public key line of the private key at `key`.
pub fn public(key: &Path) -> String {
    std::fs::read_to_string(key.with_extension("pub"))
        .or_else(|_| std::fs::read_to_string(format!("{}.pub", key.display())))
        .expect("read the public key")
}

/// How a client signs in.
#[derive(Clone, Debug)]
pub enum Login {
    /// With this private key (and no other).
    Key(PathBuf),
    /// With a password typed through `SSH_ASKPASS` (the join code).
    Password(String),
}

/// An `ssh` command line for `user@127.0.0.1:port`: no configuration from
/// the machine (`-F /dev/null`), the host key accepted and kept in
/// `known_hosts` beside the scratch files, only the given way of signing in.
#[derive(Clone, Debug)]
pub struct Client {
    /// The server's port.
    pub port: u16,
    /// The user name given (any; `ascii` and `mono` choose a look).
    pub user: String,
    /// How to sign in.
    pub login: Login,
    /// Where the client keeps host keys (and the askpass script).
    pub dir: PathBuf,
    /// More `ssh` arguments, before the destination.
    pub extra: Vec<String>,
    /// What to run remotely, after the destination.
    pub command: Vec<String>,
}

impl Client {
    /// A client of the server on `port`, keeping its files in `dir`.
    pub fn new(dir: &Path, port: u16, login: Login) -> Client {
        Client {
            port,
            user: "viewer".into(),
            login,
            dir: dir.to_owned(),
            extra: Vec::new(),
            command: Vec::new(),
        }
    }

    /// With user name `user`.
    pub fn user(mut self, user: &str) -> Client {
        self.user = user.into();
        self
    }

    /// With more `ssh` arguments (`-T`, `-L …`, `-s`).
    pub fn with(mut self, args: &[&str]) -> Client {
        self.extra.extend(args.iter().map(|s| s.to_string()));
        self
    }

    /// Running `command` remotely.
    pub fn command(mut self, command: &[&str]) -> Client {
        self.command = command.iter().map(|s| s.to_string()).collect();
        self
    }

    /// The arguments of `ssh`.
    pub fn args(&self) -> Vec<String> {
        let known = self.dir.join("known_hosts");
        let mut args: Vec<String> = vec![
            "-F".into(),
            "/dev/null".into(),
            "-p".into(),
            self.port.to_string(),
            "-o".into(),
            format!("UserKnownHostsFile={}", known.display()),
            "-o".into(),
            "StrictHostKeyChecking=accept-new".into(),
            "-o".into(),
            "LogLevel=ERROR".into(),
            "-o".into(),
            "ConnectTimeout=20".into(),
        ];
        match &self.login {
            Login::Key(key) => args.extend([
                "-o".into(),
                "BatchMode=yes".into(),
                "-o".into(),
                "IdentitiesOnly=yes".into(),
                "-o".into(),
                "PasswordAuthentication=no".into(),
                "-i".into(),
                key.display().to_string(),
            ]),
            Login::Password(_) => args.extend([
                "-o".into(),
                "PubkeyAuthentication=no".into(),
                "-o".into(),
                "PreferredAuthentications=password".into(),
                "-o".into(),
                "NumberOfPasswordPrompts=3".into(),
            ]),
        }
        args.extend(self.extra.iter().cloned());
        args.push(format!("{}@127.0.0.1", self.user));
        args.extend(self.command.iter().cloned());
        args
    }

    // SSH_ASKPASS: a script that prints the password (once per prompt).
    fn askpass(&self) -> Option<PathBuf> {
        let Login::Password(password) = &self.login else {
            return None;
        };
        use std::os::unix::fs::PermissionsExt;
        let secret = self.dir.join(format!("password-{}", self.user));
        std::fs::write(&secret, password).expect("write the password");
        let script = self.dir.join(format!("askpass-{}", self.user));
        std::fs::write(&script, format!("#!/bin/sh\ncat '{}'\n", secret.display()))
            .expect("write askpass");
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700))
            .expect("chmod askpass");
        Some(script)
    }

    /// Runs `ssh` in a pty of `cols` x `rows`.
    pub fn spawn(&self, cols: u16, rows: u16) -> Pty {
        let mut spawn = Spawn::new("ssh").args(&self.args()).size(cols, rows);
        if let Some(script) = self.askpass() {
            spawn = spawn
                .env("SSH_ASKPASS", script.display().to_string())
                .env("SSH_ASKPASS_REQUIRE", "force")
                .env("DISPLAY", ":0");
        }
        spawn.start()
    }

    /// Runs `ssh` with pipes (no terminal: `ssh -T`, exec, sftp), waiting
    /// at most `deadline`; returns status, stdout, stderr.
    pub fn output(&self, deadline: Duration) -> std::process::Output {
        let mut run = crate::run::Run::new("ssh").args(&self.args());
        if let Some(script) = self.askpass() {
            run = run
                .env("SSH_ASKPASS", script)
                .env("SSH_ASKPASS_REQUIRE", "force")
                .env("DISPLAY", ":0");
        }
        run.output_within(deadline)
    }
}

/// What the server printed at start: its port and join code.
#[derive(Clone, Debug, Default)]
pub struct Banner {
    /// The port it listens on.
    pub port: u16,
    /// The join code, when it made one.
    pub code: Option<String>,
    /// The host key's fingerprint.
    pub fingerprint: String,
}

impl Banner {
    /// Reads the banner out of `text` (stderr, or a terminal's output);
    /// `None` until the lines are all there.
    pub fn parse(text: &str) -> Option<Banner> {
        let serving = text.split("briefing: serving on ").nth(1)?;
        let addr = serving.split_whitespace().next()?;
        let port = addr.rsplit(':').next()?.parse().ok()?;
        let fingerprint = serving
            .split("host key ")
            .nth(1)?
            .split(|c: char| c == ')' || c.is_whitespace())
            .next()?
            .to_string();
        // Present only when the server said it is done starting.
        text.contains("join with:").then_some(())?;
        let code = text
            .split("join code (the SSH password): ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .map(String::from);
        Some(Banner {
            port,
            code,
            fingerprint,
        })
    }
}

/// Waits until `pty`'s output holds the banner; returns it.
pub fn banner_of(pty: &Pty) -> Banner {
    let deadline = std::time::Instant::now() + crate::DEFAULT_TIMEOUT;
    loop {
        let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
        if let Some(b) = Banner::parse(&raw) {
            return b;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no banner from the server:\n{raw}"
        );
        pty.settle(Duration::from_millis(20), crate::DEFAULT_TIMEOUT);
    }
}

/// A headless server (`--serve` with no terminal), its stderr in a file.
pub struct Headless {
    child: std::process::Child,
    /// What it printed.
    pub stderr: PathBuf,
    /// Its banner.
    pub banner: Banner,
}

impl Headless {
    /// Starts `program args` in `cwd` with `XDG_STATE_HOME=state`, stdin
    /// from /dev/null, and waits for its banner.
    pub fn start(program: &str, args: &[&str], cwd: &Path, state: &Path) -> Headless {
        let stderr = cwd.join(format!("server-{}.err", std::process::id()));
        let err = std::fs::File::create(&stderr).expect("stderr file");
        let mut child = Command::new(program)
            .args(args)
            .current_dir(cwd)
            .env("XDG_STATE_HOME", state)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(err)
            .spawn()
            .expect("start the server");
        let mut banner = None;
        crate::wait_until("the server's banner", crate::DEFAULT_TIMEOUT, || {
            let text = std::fs::read_to_string(&stderr).unwrap_or_default();
            banner = Banner::parse(&text);
            if banner.is_none()
                && let Ok(Some(status)) = child.try_wait()
            {
                panic!("the server exited ({status}):\n{text}");
            }
            banner.is_some()
        });
        Headless {
            child,
            stderr,
            banner: banner.expect("banner"),
        }
    }

    /// Everything it printed so far (its audit log, when headless).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// Waits until its log holds `text`.
    pub fn wait_log(&self, text: &str) {
        crate::wait_until(
            &format!("«{text}» in the log"),
            crate::DEFAULT_TIMEOUT,
            || self.log().contains(text),
        );
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM and waits for it to exit; returns its exit code.
    pub fn stop(mut self) -> Option<i32> {
        crate::os::signal(self.child.id(), libc::SIGTERM);
        let status = self.child.wait().expect("wait for the server");
        status.code()
    }
}

impl Drop for Headless {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP connection to `127.0.0.1:port` from the loopback address `from`
/// (any of 127.0.0.0/8), that never says a word: what an attacker holding
/// places of those signing in opens.
pub fn idle_socket(from: std::net::Ipv4Addr, port: u16) -> std::net::TcpStream {
    use std::os::fd::FromRawFd;
    let addr = |ip: std::net::Ipv4Addr, port: u16| libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: port.to_be(),
        sin_addr: libc::in_addr {
            s_addr: u32::from(ip).to_be(),
        },
        sin_zero: [0; 8],
    };
    let len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
    // SAFETY: plain socket calls on a descriptor owned here; the addresses
    // outlive the calls and `len` is their size.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0);
        assert!(fd >= 0, "socket: {}", std::io::Error::last_os_error());
        let stream = std::net::TcpStream::from_raw_fd(fd);
        let local = addr(from, 0);
        let r = libc::bind(fd, (&raw const local).cast(), len);
        assert_eq!(r, 0, "bind {from}: {}", std::io::Error::last_os_error());
        let remote = addr(std::net::Ipv4Addr::LOCALHOST, port);
        let r = libc::connect(fd, (&raw const remote).cast(), len);
        assert_eq!(r, 0, "connect: {}", std::io::Error::last_os_error());
        stream
    }
}
