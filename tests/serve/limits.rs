//! What one client (or one attacker) can hold: places of those signing
//! in, signed-in connections without a browser.

use std::net::Ipv4Addr;

use super::*;

#[test]
fn idle_sockets_from_one_network_never_lock_a_viewer_out() {
    let room = Room::new("serve-idle-sockets");
    // Today's budget was max_viewers + 64 places for everyone: 2 + 64.
    let server = room.headless(&["--authorized-keys", &room.keys(), "--max-viewers", "2"]);
    let port = server.banner.port;
    // Eleven addresses of 127.0.1.0/24, each its 16 idle sockets: more
    // than every place there used to be, held for the 30 s login grace.
    let held: Vec<_> = (1..=11)
        .flat_map(|host| {
            (0..16).map(move |_| ssh::idle_socket(Ipv4Addr::new(127, 0, 1, host), port))
        })
        .collect();
    // Some are turned away (before: every place was taken)…
    server.wait_log("refused: too many connections");
    // …but not a viewer from elsewhere (before: refused too).
    let viewer = room.viewer(&server.banner, &room.alice, 80, 24);
    assert!(viewer.screen_text().contains("Inleiding"));
    assert!(
        server.log().contains("still signing in from this network"),
        "{}",
        server.log()
    );
    drop(held);
}

#[test]
fn a_signed_in_connection_that_asks_for_no_browser_is_dropped_soon() {
    let room = Room::new("serve-unused");
    let server = room.headless(&["--authorized-keys", &room.keys()]);
    // -N: signed in, no session channel, nothing asked for.
    let mut idle = room
        .client(&server.banner, &room.alice)
        .with(&["-N"])
        .spawn(80, 24);
    assert_eq!(idle.wait_exit(Duration::from_secs(20)), Some(255));
    server.wait_log("ended: no browser asked for");
}

#[test]
fn one_key_holds_only_a_few_connections_without_a_browser() {
    let room = Room::new("serve-unused-cap");
    let server = room.headless(&["--authorized-keys", &room.keys()]);
    let idle: Vec<_> = (0..9)
        .map(|_| {
            room.client(&server.banner, &room.alice)
                .with(&["-N"])
                .spawn(80, 24)
        })
        .collect();
    server.wait_log("refused: too many connections without a browser for this key or code");
    let accepted = server.log().matches("as=\"alice@laptop\" accepted").count();
    assert_eq!(accepted, 8, "{}", server.log());
    // Another key is another identity.
    room.viewer(&server.banner, &room.bob, 80, 24);
    drop(idle);
}

#[test]
fn a_connection_gets_one_session_channel_for_its_whole_life() {
    let room = Room::new("serve-one-channel");
    let server = room.headless(&["--authorized-keys", &room.keys()]);
    // One connection (a ControlMaster), several sessions over it: each
    // `ssh -S` after the master opens another session channel.
    let scratch = tempfile::tempdir().expect("a directory for the control socket");
    let control = scratch.path().join("mux").display().to_string();
    let alice = room.client(&server.banner, &room.alice);
    let _master = alice
        .clone()
        .with(&["-M", "-S", &control, "-N"])
        .spawn(80, 24);
    briefing_testkit::wait_until("the master's socket", DEFAULT_TIMEOUT, || {
        std::path::Path::new(&control).exists()
    });
    let over_it = alice.with(&["-S", &control, "-T"]);
    let first = over_it.output(LOGIN);
    assert!(
        String::from_utf8_lossy(&first.stdout).contains("Inleiding"),
        "{first:?}"
    );
    // Refused over that connection (ssh then falls back to a new one).
    let second = over_it.output(LOGIN);
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("Session open refused by peer"),
        "{second:?}"
    );
    server.wait_log("refused: a second session on one connection");
}

#[test]
fn a_flood_of_refused_requests_is_logged_up_to_a_cap_then_dropped() {
    let room = Room::new("serve-refusal-flood");
    let server = room.headless(&["--authorized-keys", &room.keys()]);
    let mut args = vec![
        "-N".to_string(),
        "-o".into(),
        "ExitOnForwardFailure=no".into(),
    ];
    for port in 0..30 {
        args.push("-R".into());
        args.push(format!("127.0.0.1:{}:127.0.0.1:22", 40000 + port));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut flood = room
        .client(&server.banner, &room.alice)
        .with(&args)
        .spawn(80, 24);
    assert_eq!(flood.wait_exit(LOGIN), Some(255));
    server.wait_log("dropped: more than 20 refused requests; further refusals not logged");
    server.wait_log("as=\"alice@laptop\" ended: dropped: more than 20 refused requests");
    assert_eq!(
        server.log().matches("refused: remote forwarding").count(),
        20,
        "{}",
        server.log()
    );
}
