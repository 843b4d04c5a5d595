//! The organisation's own OpenSSH server: a dedicated user whose only
//! command is `briefing --follow POS REPORT`, through sshd's `ForceCommand`
//! (the README's recipe, with the test's own paths and port). Needs root
//! (to run sshd and add the user) and Debian's `openssh-server`, which
//! `.ci/run` installs; without them it fails in CI and is skipped elsewhere.

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

use super::*;

/// The dedicated account of the recipe.
const USER: &str = "briefing-viewer";

// Whether sshd and root are here; in CI they must be.
fn available() -> bool {
    let here =
        std::path::Path::new("/usr/sbin/sshd").exists() && briefing_testkit::users::is_root();
    if !here && std::env::var_os("CI").is_some() {
        panic!("CI must run this as root with openssh-server installed (see .ci/run)");
    }
    if !here {
        eprintln!("skipped: needs root and /usr/sbin/sshd (apt-get install openssh-server)");
    }
    here
}

// The account: no home, a shell for ForceCommand to run through, a
// password field that is not "locked" (sshd without PAM refuses those even
// for keys) but matches no password.
fn ensure_user() {
    let exists = Command::new("id")
        .arg(USER)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if exists.is_ok_and(|s| s.success()) {
        return;
    }
    let made = Command::new("useradd")
        .args([
            "--system",
            "--no-create-home",
            "--home-dir",
            "/nonexistent",
            "--shell",
            "/bin/sh",
            "-p",
            "*",
            USER,
        ])
        .status()
        .expect("useradd");
    assert!(made.success(), "useradd {USER}");
}

#[test]
fn viewers_come_in_through_the_organisations_sshd_and_can_only_follow() {
    if !available() {
        return;
    }
    ensure_user();
    let room = Room::new("serve-sshd");
    // The viewer account reads the report, the position and the binary.
    std::fs::set_permissions(room.scratch.dir(), std::fs::Permissions::from_mode(0o755))
        .expect("chmod");
    std::fs::set_permissions(
        room.scratch.report(),
        std::fs::Permissions::from_mode(0o644),
    )
    .expect("chmod");
    let pos = room.scratch.path("room.pos");
    let mut presenter = Spawn::new(bin())
        .args(&[
            "--present",
            "--share",
            &pos.display().to_string(),
            &room.report(),
        ])
        .size(100, 30)
        .env("XDG_STATE_HOME", room.scratch.state().display().to_string())
        .start();
    presenter.wait_text("thema 1/7");
    briefing_testkit::wait_until("the position file", DEFAULT_TIMEOUT, || pos.exists());

    // sshd: its own host key, port and config; the recipe's Match block.
    let dir = room.scratch.dir();
    let host_key = dir.join("sshd_host_key");
    let keygen = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&host_key)
        .status()
        .expect("ssh-keygen");
    assert!(keygen.success());
    let keys = room.scratch.write(
        "viewers.keys",
        format!("restrict,pty {}", ssh::public(&room.alice)),
    );
    std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let port = free_port();
    let command = format!("{} --follow {} {}", bin(), pos.display(), room.report());
    let config = room.scratch.write(
        "sshd_config",
        format!(
            "Port {port}\n\
             ListenAddress 127.0.0.1\n\
             HostKey {}\n\
             PidFile none\n\
             UsePAM no\n\
             # The scratch directory is under /tmp (mode 1777), which strict modes refuse.\n\
             StrictModes no\n\
             PasswordAuthentication no\n\
             KbdInteractiveAuthentication no\n\
             AuthorizedKeysFile {}\n\
             AllowUsers {USER}\n\
             Match User {USER}\n\
             \tForceCommand {command}\n\
             \tPermitTTY yes\n\
             \tDisableForwarding yes\n\
             \tPermitUserRC no\n",
            host_key.display(),
            keys.display()
        ),
    );
    std::fs::create_dir_all("/run/sshd").expect("privilege separation directory");
    let mut sshd = Command::new("/usr/sbin/sshd")
        .args(["-D", "-e", "-f"])
        .arg(&config)
        .stderr(std::fs::File::create(dir.join("sshd.err")).expect("sshd.err"))
        .spawn()
        .expect("start sshd");
    let _kill = briefing_testkit::os::KillOnDrop(sshd.id());
    briefing_testkit::wait_until("sshd listening", DEFAULT_TIMEOUT, || {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });

    let client = Client::new(dir, port, Login::Key(room.alice.clone())).user(USER);
    let mut viewer = client.clone().with(&["-t"]).spawn(80, 24);
    viewer.wait_text("volgen");
    presenter.keys(&["3", "Enter"]);
    presenter.wait_text("thema 3/7");
    viewer.wait_text("3/7");
    // The forced command is the only one: asking for a shell command gets
    // the briefing (as plain text, with no terminal), never the command.
    let other = client
        .clone()
        .command(&["cat", "/etc/passwd"])
        .output(LOGIN);
    let out = String::from_utf8_lossy(&other.stdout);
    assert!(!out.contains("root:x:0"), "{out}");
    assert!(out.contains("Inleiding"), "{other:?}");
    // No forwarding through it either.
    let forward = client.clone().with(&["-W", "127.0.0.1:22"]).output(LOGIN);
    assert_ne!(forward.status.code(), Some(0), "{forward:?}");
    viewer.send(b"q");
    assert_eq!(viewer.wait_exit(DEFAULT_TIMEOUT), Some(0));
    let _ = sshd.kill();
    let _ = sshd.wait();
}

// A port nobody listens on now (the kernel's pick, released).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}
