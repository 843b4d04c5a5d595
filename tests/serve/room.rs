//! The room: viewers following the presenter, each at their own size.

use super::*;

// The slide title on a presenting screen: its first non-empty row.
fn slide_title(pty: &Pty) -> String {
    pty.rows()
        .into_iter()
        .map(|r| r.trim().to_string())
        .find(|r| !r.is_empty())
        .unwrap_or_default()
}

#[test]
fn viewers_follow_the_presenter_through_moves_and_reveals_at_their_own_size() {
    let room = Room::new("serve-follow");
    let (mut presenter, banner) = room.presenter(&["--present"], 100, 30);
    presenter.wait_text("thema 1/7");
    let alice = room.viewer(&banner, &room.alice, 60, 20);
    let bob = room.viewer(&banner, &room.bob, 120, 40);
    for v in [&alice, &bob] {
        v.wait_text("thema 1/7");
    }
    // To the second theme, then on: points revealed one by one.
    presenter.keys(&["2", "Enter"]);
    presenter.wait_text("thema 2/7");
    let theme = "Kernboodschap";
    for v in [&alice, &bob] {
        v.wait_for("the presenter's theme", DEFAULT_TIMEOUT, |s| {
            s.contents().contains("thema 2/7") && s.contents().contains(theme)
        });
    }
    presenter.keys(&["3", "Enter"]);
    presenter.wait_text("thema 3/7");
    presenter.keys(&["Right"]);
    presenter.wait_text("punt 1/");
    for v in [&alice, &bob] {
        v.wait_text("punt 1/");
        v.wait_text("thema 3/7");
    }
    assert_eq!(slide_title(&alice), slide_title(&presenter));
    // Each viewer is laid out for their own terminal.
    assert_eq!(alice.size(), (60, 20));
    assert!(
        alice
            .rows()
            .iter()
            .all(|r| r.trim_end().chars().count() <= 60)
    );
    assert!(
        bob.screen().contents().lines().count() > alice.screen().contents().lines().count(),
        "the taller viewer shows more rows"
    );
    // Back to the browser: the viewers follow there too.
    presenter.keys(&["Esc"]);
    presenter.wait_text("3/7");
    alice.wait_for("the browser", DEFAULT_TIMEOUT, |s| {
        s.contents().contains("zoeken")
    });
}

#[test]
fn a_viewer_resizes_and_is_laid_out_again() {
    let room = Room::new("serve-resize");
    let (_presenter, banner) = room.presenter(&[], 100, 30);
    let mut alice = room.viewer(&banner, &room.alice, 100, 30);
    alice.wait_for("the status line at the bottom", DEFAULT_TIMEOUT, |s| {
        s.contents().lines().count() >= 29
    });
    alice.resize(50, 12);
    alice.wait_for("a narrow layout", DEFAULT_TIMEOUT, |s| {
        let rows: Vec<String> = (0..12).map(|y| row_of(s, y)).collect();
        rows[11].contains("1/7") && rows.iter().all(|r| r.trim_end().chars().count() <= 50)
    });
}

fn row_of(s: &vt100::Screen, y: u16) -> String {
    let (_, cols) = s.size();
    s.contents_between(y, 0, y, cols.into())
}

#[test]
fn a_viewers_keys_detach_only_the_viewer_and_f_follows_again() {
    let room = Room::new("serve-detach");
    let (mut presenter, banner) = room.presenter(&["--present"], 100, 30);
    presenter.wait_text("thema 1/7");
    let mut alice = room.viewer(&banner, &room.alice, 80, 24);
    alice.wait_text("thema 1/7");
    // The presenter's screen but its clock.
    let without_clock = |p: &Pty| {
        let mut rows = p.rows();
        rows.pop();
        rows
    };
    let before = without_clock(&presenter);
    // The viewer wanders off: three themes on, on their own.
    alice.keys(&["3", "Enter"]);
    alice.wait_text("thema 3/7");
    alice.wait_text("losgekoppeld");
    presenter.settle_default();
    assert_eq!(
        without_clock(&presenter),
        before,
        "a viewer's keys never move the presenter"
    );
    assert!(presenter.row(29).starts_with("thema 1/7"));
    // The presenter moves on; the detached viewer stays…
    presenter.keys(&["2", "Enter"]);
    presenter.wait_text("thema 2/7");
    alice.settle_default();
    assert!(alice.screen_text().contains("thema 3/7"));
    // …until F: back with the presenter.
    alice.send(b"F");
    alice.wait_text("thema 2/7");
    alice.wait_text("volgen");
}

#[test]
fn the_presenter_sees_how_many_watch_and_who() {
    let room = Room::new("serve-roster");
    let (mut presenter, banner) = room.presenter(&["--present"], 120, 30);
    let code = banner.code.clone().expect("code");
    presenter.wait_text(&format!("0 kijkers · code {code}"));
    let mut alice = room.viewer(&banner, &room.alice, 70, 20);
    presenter.wait_text("1 kijker ·");
    let _bob = room.viewer(&banner, &room.bob, 90, 25);
    presenter.wait_text("2 kijkers");
    alice.keys(&["End"]);
    alice.wait_text("losgekoppeld");
    presenter.send(b"w");
    presenter.wait_text("Wie kijkt mee");
    presenter.wait_for("both viewers listed", DEFAULT_TIMEOUT, |s| {
        let t = s.contents();
        t.contains("alice@laptop") && t.contains("bob@desk") && t.contains("90x25")
    });
    let text = presenter.screen_text();
    assert!(text.contains(&banner.fingerprint), "{text}");
    assert!(
        text.contains(&format!("ssh -p {} viewer@127.0.0.1", banner.port)),
        "{text}"
    );
    let alice_row = text
        .lines()
        .find(|l| l.contains("alice@laptop"))
        .expect("alice's row");
    assert!(
        alice_row.contains("losgekoppeld")
            && alice_row.contains("70x20")
            && alice_row.contains("127.0.0.1:")
    );
    drop(alice);
    presenter.wait_text("1 kijker");
}

#[test]
fn a_full_room_turns_the_next_viewer_away_with_one_line() {
    let room = Room::new("serve-full");
    let (_presenter, banner) = room.presenter(&["--max-viewers", "1"], 100, 30);
    let _alice = room.viewer(&banner, &room.alice, 80, 24);
    let mut bob = room.client(&banner, &room.bob).spawn(80, 24);
    bob.wait_text("de ruimte is vol");
    assert_eq!(bob.wait_exit(DEFAULT_TIMEOUT), Some(1));
    room.wait_log("as=\"bob@desk\" ended: room full");
}

#[test]
fn when_the_presenter_quits_every_viewer_gets_a_goodbye() {
    let room = Room::new("serve-bye");
    let (mut presenter, banner) = room.presenter(&["--present"], 100, 30);
    let mut alice = room.viewer(&banner, &room.alice, 80, 24);
    let mut bob = room.viewer(&banner, &room.bob, 60, 20);
    presenter.send(b"q");
    assert_eq!(presenter.wait_exit(DEFAULT_TIMEOUT), Some(0));
    presenter.wait_eof(DEFAULT_TIMEOUT);
    assert!(
        restored(&presenter.raw()),
        "the presenter's terminal is restored"
    );
    for v in [&mut alice, &mut bob] {
        v.wait_text("de presentator heeft de briefing beëindigd");
        assert_eq!(v.wait_exit(DEFAULT_TIMEOUT), Some(0));
        v.wait_eof(DEFAULT_TIMEOUT);
        assert!(restored(&v.raw()));
    }
}

#[test]
fn what_a_viewer_types_never_reaches_a_terminal_raw() {
    let room = Room::new("serve-inert");
    let (presenter, banner) = room.presenter(&["--present"], 100, 30);
    let mut alice = room.viewer(&banner, &room.alice, 80, 24);
    let mark = presenter.mark();
    // A search query with a title-setting OSC, a screen clear and C1 bytes, typed and pasted.
    alice.send(b"/\x1b]0;owned\x07x");
    alice.send(b"\x1b[200~\x1b[2Jpasted\x9b31m\x1b[201~");
    alice.wait_text("pasted");
    let raw = alice.raw();
    assert!(
        find(&raw, b"\x1b]0;owned").is_none(),
        "echoed raw: {}",
        escape(&raw)
    );
    assert!(find(&raw, b"\x9b31m").is_none());
    presenter.settle_default();
    assert!(
        find(&presenter.since(mark), b"owned").is_none(),
        "nothing of it reaches the presenter"
    );
}

#[test]
fn ascii_and_mono_viewers_get_what_they_asked_for_by_name() {
    let room = Room::new("serve-looks");
    let (_presenter, banner) = room.presenter(&[], 100, 30);
    let ascii = room
        .client(&banner, &room.alice)
        .user("ascii")
        .spawn(80, 24);
    ascii.wait_text("Inleiding");
    ascii.settle_default();
    assert!(ascii.raw().iter().all(u8::is_ascii), "only ASCII");
    let mono = room.client(&banner, &room.bob).user("mono").spawn(80, 24);
    mono.wait_text("Inleiding");
    mono.settle_default();
    let raw = mono.raw();
    let coloured = sgr_params(&raw)
        .into_iter()
        .flatten()
        .any(|p| matches!(p, 30..=39 | 90..=97));
    assert!(!coloured, "a colour: {}", escape(&raw));
}

// The parameters of every SGR sequence (`ESC [ … m`) in `raw`.
fn sgr_params(raw: &[u8]) -> Vec<Vec<u16>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = find(&raw[i..], b"\x1b[") {
        let start = i + at + 2;
        let end = raw[start..]
            .iter()
            .position(|b| !(b.is_ascii_digit() || *b == b';'))
            .map_or(raw.len(), |n| start + n);
        if raw.get(end) == Some(&b'm') {
            let params = String::from_utf8_lossy(&raw[start..end])
                .split(';')
                .filter_map(|p| p.parse().ok())
                .collect();
            out.push(params);
        }
        i = end;
    }
    out
}

#[test]
fn a_viewer_that_never_reads_delays_nobody_and_is_dropped() {
    let room = Room::new("serve-stuck");
    // Themes that fill a huge window: every move is a frame of hundreds of
    // kilobytes, so a viewer that stops reading fills its SSH window (2 MB
    // in OpenSSH) within a few moves.
    let words: Vec<String> = (0..7 * 40_000).map(|i| format!("w{i:06}")).collect();
    let mut toml = String::from("title = \"Stuck\"\nlanguage = \"nl\"\n");
    for t in 0..7 {
        let text = words[t * 40_000..(t + 1) * 40_000].join(" ");
        toml.push_str(&format!(
            "[[theme]]\ntitle = \"Theme {t}\"\nbody = \"{text}\"\n"
        ));
    }
    std::fs::write(room.scratch.report(), toml).expect("report");
    // (A viewer is drawn at most 300x100: each move is some 30 kB for it.)
    // A presenter browsing with the text as wide as the window, and a
    // headless server whose viewers follow the position file (and are
    // laid out as the server's options say).
    let pos = room.scratch.path("room.pos").display().to_string();
    let wide = ["--measure", "1000"];
    let mut presenter = Spawn::new(bin())
        .args(&["--share", &pos, wide[0], wide[1], &room.report()])
        .size(100, 30)
        .env("XDG_STATE_HOME", room.scratch.state().display().to_string())
        .start();
    presenter.wait_text("1/7");
    let server = room.headless(&[
        "--authorized-keys",
        &room.keys(),
        "--follow",
        &pos,
        wide[0],
        wide[1],
    ]);
    let stuck = room.client(&server.banner, &room.alice).spawn(1000, 500);
    stuck.wait_text("w000000");
    let bob = room.client(&server.banner, &room.bob).spawn(80, 24);
    bob.wait_text("w000000");
    stuck.signal("STOP");
    // Round and round the themes; bob gets every move in turn, while the
    // stuck viewer's frames pile up nowhere. (Each move changes the theme,
    // so even the stuck viewer's coalesced frames are whole new screens.)
    for step in 1..=98 {
        let theme = step % 7;
        presenter.keys(&[if theme == 0 { "g" } else { "j" }]);
        bob.wait_text(&format!("w{:06}", theme * 40_000));
    }
    // It really was behind: dropped after the stall limit (15 s).
    briefing_testkit::wait_until("the stuck viewer dropped", Duration::from_secs(40), || {
        server
            .log()
            .contains("as=\"alice@laptop\" ended: stopped reading")
    });
    presenter.keys(&["G"]);
    bob.wait_text("w240000");
    stuck.signal("CONT");
}
