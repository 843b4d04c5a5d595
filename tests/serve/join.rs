//! Who gets in, and what they may ask for.

use super::*;

#[test]
fn a_viewer_joins_with_a_key_named_by_its_comment_and_quits() {
    let room = Room::new("serve-key");
    let server = room.headless(&["--authorized-keys", &room.keys()]);
    let mut viewer = room.viewer(&server.banner, &room.alice, 80, 24);
    assert!(
        viewer
            .screen_text()
            .contains(TITLE.split(' ').next().unwrap_or(""))
    );
    let fp = fingerprint(&room.alice);
    server.wait_log(&format!("key={fp} as=\"alice@laptop\" accepted"));
    viewer.send(b"q");
    let status = viewer.wait_exit_status(DEFAULT_TIMEOUT);
    assert!(status.success(), "{status:?}");
    viewer.wait_eof(DEFAULT_TIMEOUT);
    assert!(
        restored(&viewer.raw()),
        "the viewer's terminal is given back"
    );
    server.wait_log("as=\"alice@laptop\" ended: quit after");
    assert!(server.log().contains("bytes sent"), "{}", server.log());
}

#[test]
fn a_viewer_joins_with_the_code_typed_in_any_case() {
    let room = Room::new("serve-code");
    let server = room.headless(&["--code"]);
    let code = server.banner.code.clone().expect("a join code is printed");
    assert_eq!(code.len(), 14, "{code}");
    let client = Client::new(
        room.scratch.dir(),
        server.banner.port,
        Login::Password(code.to_lowercase()),
    );
    let viewer = client.spawn(80, 24);
    viewer.wait_text("Inleiding");
    server.wait_log(r#"user="viewer" code as="code" accepted"#);
}

#[test]
fn a_wrong_code_and_an_unknown_key_are_refused_and_logged() {
    let room = Room::new("serve-refused");
    let server = room.headless(&["--authorized-keys", &room.keys(), "--code"]);
    let wrong = Client::new(
        room.scratch.dir(),
        server.banner.port,
        Login::Password("AAAA-AAAA-AAAA".into()),
    );
    let out = wrong.output(LOGIN);
    assert_eq!(out.status.code(), Some(255));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Permission denied"),
        "{out:?}"
    );
    for n in 1..=3 {
        server.wait_log(&format!("refused: wrong code (try {n} of 3)"));
    }
    let eve = room.client(&server.banner, &room.eve).output(LOGIN);
    assert_eq!(eve.status.code(), Some(255), "{eve:?}");
    server.wait_log(&format!(
        "key={} refused: unknown key",
        fingerprint(&room.eve)
    ));
    assert!(!server.log().contains("as=\"eve"), "{}", server.log());
}

#[test]
fn a_refusal_waits_in_its_own_connection_only() {
    let room = Room::new("serve-delay");
    let server = room.headless(&["--authorized-keys", &room.keys(), "--code"]);
    // Three wrong tries, each answered after a delay of two seconds…
    let wrong = Client::new(
        room.scratch.dir(),
        server.banner.port,
        Login::Password("AAAA-AAAA-AAAA".into()),
    );
    let mut guesser = wrong.spawn(80, 24);
    server.wait_log("refused: wrong code (try 1 of 3)");
    // …while another viewer joins and gets the report at once.
    let viewer = room.viewer(&server.banner, &room.alice, 80, 24);
    assert!(viewer.screen_text().contains("Inleiding"));
    assert!(
        !server.log().contains("try 3 of 3"),
        "the viewer waited for the guesser:\n{}",
        server.log()
    );
    assert_eq!(guesser.wait_exit(LOGIN), Some(255));
}

#[test]
fn guessing_the_code_is_limited_per_address_but_keys_still_work() {
    let room = Room::new("serve-guess");
    let server = room.headless(&["--authorized-keys", &room.keys(), "--code"]);
    let code = server.banner.code.clone().expect("code");
    // Four guessers at once: twelve tries from one address in a minute.
    let guessers: Vec<_> = (0..4)
        .map(|i| {
            Client::new(
                room.scratch.dir(),
                server.banner.port,
                Login::Password("AAAA-AAAA-AAAA".into()),
            )
            .user(&format!("guesser{i}"))
            .spawn(80, 24)
        })
        .collect();
    for mut g in guessers {
        assert_eq!(g.wait_exit(LOGIN), Some(255));
    }
    assert!(
        server
            .log()
            .contains("too many wrong codes from this address"),
        "{}",
        server.log()
    );
    // Now even the right code is refused from this address, unchecked,
    // and from the next address of its network (127.0.0.0/24)…
    let right = Client::new(
        room.scratch.dir(),
        server.banner.port,
        Login::Password(code),
    )
    .with(&["-o", "NumberOfPasswordPrompts=1"]);
    for from in ["127.0.0.1", "127.0.0.2"] {
        let out = right.clone().with(&["-b", from]).output(LOGIN);
        assert_eq!(out.status.code(), Some(255), "from {from}: {out:?}");
    }
    // …but a key is not a guess.
    room.viewer(&server.banner, &room.alice, 80, 24);
}

#[test]
fn exec_sftp_and_forwarding_are_refused() {
    let room = Room::new("serve-refuse");
    let server = room.headless(&["--authorized-keys", &room.keys()]);
    let alice = room.client(&server.banner, &room.alice);
    let exec = alice.clone().command(&["cat", "/etc/passwd"]).output(LOGIN);
    assert_ne!(exec.status.code(), Some(0), "{exec:?}");
    assert!(!String::from_utf8_lossy(&exec.stdout).contains("root:"));
    server.wait_log("refused: exec «cat /etc/passwd»");
    let sftp = alice.clone().with(&["-s"]).command(&["sftp"]).output(LOGIN);
    assert_ne!(sftp.status.code(), Some(0), "{sftp:?}");
    server.wait_log("refused: subsystem sftp");
    // -W is -L's channel (direct-tcpip), without a local port to pick.
    let forward = alice.clone().with(&["-W", "127.0.0.1:22"]).output(LOGIN);
    assert_ne!(forward.status.code(), Some(0), "{forward:?}");
    server.wait_log("refused: forwarding to 127.0.0.1:22");
    let remote = alice
        .clone()
        .with(&[
            "-N",
            "-o",
            "ExitOnForwardFailure=yes",
            "-R",
            "127.0.0.1:0:127.0.0.1:22",
        ])
        .output(LOGIN);
    assert_ne!(remote.status.code(), Some(0), "{remote:?}");
    server.wait_log("refused: remote forwarding of 127.0.0.1:0");
}

#[test]
fn ssh_without_a_terminal_gets_the_report_as_plain_text() {
    let room = Room::new("serve-plain");
    let server = room.headless(&["--authorized-keys", &room.keys()]);
    let out = room
        .client(&server.banner, &room.alice)
        .with(&["-T"])
        .output(LOGIN);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        text.contains("Inleiding") && text.contains("Communicatie"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no escape sequences: {text:?}");
    server.wait_log("the report sent as plain text");
}

#[test]
fn serving_without_keys_or_a_code_refuses_to_start_and_says_how() {
    let room = Room::new("serve-deny");
    let out = briefing_testkit::run::Run::new(bin())
        .args(&["--serve", "127.0.0.1:0", &room.report()])
        .cwd(room.scratch.dir())
        .output();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--authorized-keys FILE") && err.contains("--code"),
        "{err}"
    );
}

#[test]
fn the_host_key_is_kept_so_a_checking_client_trusts_the_next_run() {
    let room = Room::new("serve-hostkey");
    // One name for the server whatever its port, as a viewer's config would.
    let alias = ["-T", "-o", "HostKeyAlias=briefing-room"];
    let strict = ["-o", "StrictHostKeyChecking=yes"];
    let first = room.headless(&["--authorized-keys", &room.keys()]);
    let fp = first.banner.fingerprint.clone();
    assert!(fp.starts_with("SHA256:"), "{fp}");
    let out = room
        .client(&first.banner, &room.alice)
        .with(&alias)
        .output(LOGIN);
    assert!(out.status.success(), "{out:?}");
    drop(first);
    let key = room.scratch.state().join("briefing/host_ed25519_key");
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&key).expect("the host key").permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);
    let second = room.headless(&["--authorized-keys", &room.keys()]);
    assert_eq!(second.banner.fingerprint, fp, "the same identity");
    let trusted = room
        .client(&second.banner, &room.alice)
        .with(&alias)
        .with(&strict)
        .output(LOGIN);
    assert!(trusted.status.success(), "{trusted:?}");
    // Another server (another state directory) is another identity.
    let other_state = room.scratch.path("other-state");
    std::fs::create_dir(&other_state).expect("dir");
    let mut args = vec!["--serve", "127.0.0.1:0", "--authorized-keys"];
    let (keys, report) = (room.keys(), room.report());
    args.extend([keys.as_str(), report.as_str()]);
    let impostor = Headless::start(bin(), &args, room.scratch.dir(), &other_state);
    assert_ne!(impostor.banner.fingerprint, fp);
    let refused = room
        .client(&impostor.banner, &room.alice)
        .with(&alias)
        .with(&strict)
        .output(LOGIN);
    assert_eq!(refused.status.code(), Some(255), "{refused:?}");
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("HOST IDENTIFICATION HAS CHANGED"),
        "{refused:?}"
    );
}

#[test]
fn an_audit_log_planted_as_a_symlink_by_another_user_is_refused() {
    briefing_testkit::users::require_root("an_audit_log_planted_as_a_symlink");
    let room = Room::new("serve-log-link");
    room.scratch.share_like_tmp();
    let target = room.scratch.path("victim");
    std::fs::write(&target, "precious\n").expect("victim");
    let link = room.scratch.path("serve.log");
    let planted = std::process::Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "ln",
            "-s",
        ])
        .arg(&target)
        .arg(&link)
        .status()
        .expect("setpriv");
    assert!(planted.success());
    let out = briefing_testkit::run::Run::new(bin())
        .args(&[
            "--serve",
            "127.0.0.1:0",
            "--code",
            "--log",
            &link.display().to_string(),
            &room.report(),
        ])
        .cwd(room.scratch.dir())
        .env("XDG_STATE_HOME", room.scratch.state())
        .output();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("audit log"),
        "{out:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&target).expect("victim"),
        "precious\n"
    );
}
