//! Hostile, round two, findings 1–4: files written next to other users.
//!
//! The attacker is a second uid (`nobody`): the tests run as root, plant
//! files in a shared directory as `nobody` (a scratch directory with mode
//! 1777, like /tmp), and check that the presenter and the follower are not
//! fooled. They refuse to run as another user than root rather than pass
//! as a no-op.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use briefing_testkit::browser::quit;
use briefing_testkit::run::{Run, text};
use briefing_testkit::users::{self, NOBODY};
use briefing_testkit::{DEFAULT_TIMEOUT, Pty, Scratch, bin, screen};
/// Starts `briefing args` at 100x30 in `s` (cwd and state directory).
fn spawn(s: &Scratch, args: &[&str]) -> Pty {
    s.spawn(bin!()).args(args).size(100, 30).start()
}

/// The presentation footer's left part.
fn footer(s: &vt100::Screen) -> String {
    screen::status(s)
}

/// A presenter sharing `pos` on slide 1, in a shared (1777) scratch directory.
fn presenter(s: &Scratch, pos: &str) -> Pty {
    let p = spawn(s, &["--present", "--share", pos, "report.toml"]);
    p.wait_settled("presenter on slide 1", |sc| {
        footer(sc).starts_with("thema 1/7")
    });
    p
}

/// Runs a shell command as `nobody` in `dir`.
fn as_nobody(dir: &Path, script: &str) {
    let out = Run::new("sh")
        .args(&["-c", script])
        .cwd(dir)
        .user(NOBODY)
        .output();
    assert!(
        out.status.success(),
        "as nobody: {script}: {}",
        text(&out.stderr)
    );
}

/// Finding 1: `--share` naming the report itself (by its own name, a hard
/// link or a symlink) is refused before anything is written.
#[test]
fn sharing_into_the_report_itself_is_refused() {
    let s = Scratch::with_report("share-self", &briefing_testkit::seed::report());
    std::fs::hard_link(s.report(), s.path("hard.pos")).expect("hard link");
    std::os::unix::fs::symlink("report.toml", s.path("soft.pos")).expect("symlink");
    let before = std::fs::read(s.report()).expect("report");
    for target in ["report.toml", "./report.toml", "hard.pos", "soft.pos"] {
        let mut p = spawn(&s, &["--present", "--share", target, "report.toml"]);
        let code = p.wait_exit(DEFAULT_TIMEOUT);
        p.wait_eof(DEFAULT_TIMEOUT);
        assert_eq!(code, Some(2), "--share {target}: must be refused");
        let said = p.screen_text();
        assert!(
            said.contains("is the report itself"),
            "--share {target}: no reason given:\n{said}"
        );
        assert_eq!(
            std::fs::read(s.report()).expect("report"),
            before,
            "--share {target} wrote the report"
        );
    }
}

/// Finding 2a: a symlink planted where the presenter writes its temporary
/// file must not make it overwrite the link's target.
#[test]
fn a_planted_symlink_never_redirects_the_position_write() {
    users::require_root("planted symlink");
    let s = Scratch::with_report("share-symlink", &briefing_testkit::seed::report());
    s.share_like_tmp();
    let victim = s.write("victim", "precious\n");
    let mut p = presenter(&s, "room.pos");
    // Every name the presenter might use next: the old scheme's
    // predictable name, and any name a guess could hit.
    let pid = p.pid();
    as_nobody(
        s.dir(),
        &format!(
            "ln -s {v} .room.pos.{pid}.tmp; for i in 0 1 2 3 4 5 6 7 8 9; do ln -s {v} .room.pos.$i.tmp; done",
            v = victim.display()
        ),
    );
    p.key("Space");
    p.wait_settled("presenter on slide 2", |sc| {
        footer(sc).starts_with("thema 2/7")
    });
    p.key("Space");
    p.wait_settled("presenter on slide 3", |sc| {
        footer(sc).starts_with("thema 3/7")
    });
    assert_eq!(
        s.read("victim"),
        "precious\n",
        "the symlink's target was overwritten"
    );
    let pos = s.read("room.pos");
    assert!(
        pos.contains("index = 2"),
        "followers do not get updates:\n{pos}"
    );
    quit(&mut p);
}

/// Finding 2b: a regular file planted at the temporary name must neither
/// stop the updates nor hand the position file to the planter.
#[test]
fn a_planted_temporary_file_neither_stops_updates_nor_changes_the_owner() {
    users::require_root("planted temporary");
    let s = Scratch::with_report("share-planted", &briefing_testkit::seed::report());
    s.share_like_tmp();
    let mut p = presenter(&s, "room.pos");
    let pid = p.pid();
    as_nobody(
        s.dir(),
        &format!("echo planted > .room.pos.{pid}.tmp; chmod 666 .room.pos.{pid}.tmp"),
    );
    p.key("Space");
    p.wait_settled("presenter on slide 2", |sc| {
        footer(sc).starts_with("thema 2/7")
    });
    let meta = std::fs::metadata(s.path("room.pos")).expect("position file");
    assert_eq!(
        meta.uid(),
        0,
        "the position file now belongs to the planter"
    );
    assert_eq!(meta.mode() & 0o777, 0o644, "position file mode");
    assert!(
        s.read("room.pos").contains("index = 1"),
        "no update after the plant"
    );
    quit(&mut p);
}

/// Finding 2c: a position file squatted by another user before the
/// presenter starts: the presenter refuses it, and a follower shows who
/// wrote it and does not believe its forged liveness (`pid = 1`).
#[test]
fn a_squatted_position_file_is_refused_and_shown_for_what_it_is() {
    users::require_root("squatted position");
    let s = Scratch::with_report("share-squat", &briefing_testkit::seed::report());
    s.share_like_tmp();
    let host = String::from_utf8(
        std::process::Command::new("hostname")
            .output()
            .expect("hostname")
            .stdout,
    )
    .expect("host name")
    .trim()
    .to_string();
    let forged = format!(
        "report = \"{}\"\ntheme = [\"Consequenties\"]\nindex = 5\npresenting = true\nrevealed = 0\nall = false\nquery = \"zorg\"\nlive = true\npid = 1\nhost = \"{host}\"\n",
        briefing_testkit::TITLE
    );
    std::fs::write(s.path("forged"), forged).expect("forged content");
    as_nobody(s.dir(), "cp forged room.pos && chmod 644 room.pos");

    let mut p = spawn(&s, &["--present", "--share", "room.pos", "report.toml"]);
    assert_eq!(
        p.wait_exit(DEFAULT_TIMEOUT),
        Some(2),
        "sharing into nobody's file"
    );
    p.wait_eof(DEFAULT_TIMEOUT);
    let said = p.screen_text();
    assert!(
        said.contains("belongs to nobody"),
        "no reason given:\n{said}"
    );

    let mut f = spawn(&s, &["--follow", "room.pos", "report.toml"]);
    f.wait_settled("follower names who wrote the position", |sc| {
        screen::status(sc).contains("nobody")
    });
    let status = screen::status(&f.screen());
    assert!(
        !status.contains('●'),
        "a forged pid 1 counts as a live presenter: {status}"
    );
    quit(&mut f);
}

/// Finding 2c, the follower's side: a position file that others may write
/// is refused, since anyone could have written it.
#[test]
fn a_follower_refuses_a_position_file_others_can_write() {
    let s = Scratch::with_report("follow-writable", &briefing_testkit::seed::report());
    let mut p = presenter(&s, "room.pos");
    quit(&mut p);
    std::fs::set_permissions(s.path("room.pos"), std::fs::Permissions::from_mode(0o666))
        .expect("chmod");
    let mut f = spawn(&s, &["--follow", "room.pos", "report.toml"]);
    f.wait_settled("follower refuses", |sc| {
        sc.contents().contains("writable by others")
    });
    quit(&mut f);
}

/// Finding 3: when followers are not getting updates, the presenter's
/// footer says so and why; a long name that fits the file system works.
#[test]
fn sharing_failures_are_shown_in_the_presenters_footer() {
    let s = Scratch::with_report("share-fail", &briefing_testkit::seed::report());
    let mut p = spawn(
        &s,
        &[
            "--present",
            "--share",
            "/nonexistent/dir/room.pos",
            "report.toml",
        ],
    );
    p.wait_settled("footer says followers get no updates", |sc| {
        let f = footer(sc);
        f.contains("volgers krijgen geen updates") && f.contains("/nonexistent/dir")
    });
    quit(&mut p);

    // 250 bytes: a valid name, but a temporary name made from it was not.
    let long = "p".repeat(246) + ".pos";
    let mut p = presenter(&s, &long);
    p.key("Space");
    p.wait_settled("presenter on slide 2", |sc| {
        footer(sc).starts_with("thema 2/7")
    });
    assert!(
        s.read(&long).contains("index = 1"),
        "a 250-byte position file name was not written"
    );
    quit(&mut p);
}

/// Finding 4: the state directory is 0700 and its files 0600 whatever the
/// umask, and a state directory left open by an older version is closed.
#[test]
fn remembered_state_is_private_whatever_the_umask() {
    let s = Scratch::with_report("state-mode", &briefing_testkit::seed::report());
    for umask in ["000", "022", "077"] {
        let _ = std::fs::remove_dir_all(s.state());
        let out = Run::new("sh")
            .args(&[
                "-c",
                &format!("umask {umask}; exec \"$0\" --changed report.toml"),
                bin!(),
            ])
            .cwd(s.dir())
            .env("XDG_STATE_HOME", s.state())
            .output();
        assert!(out.status.success(), "umask {umask}: {}", text(&out.stderr));
        let dir = s.state().join("briefing");
        assert_eq!(users::mode(&dir), 0o700, "umask {umask}: state directory");
        let files: Vec<_> = std::fs::read_dir(&dir)
            .expect("state dir")
            .flatten()
            .collect();
        assert!(!files.is_empty(), "umask {umask}: nothing remembered");
        for f in files {
            assert_eq!(
                users::mode(&f.path()),
                0o600,
                "umask {umask}: {:?}",
                f.path()
            );
        }
    }
    std::fs::set_permissions(
        s.state().join("briefing"),
        std::fs::Permissions::from_mode(0o755),
    )
    .expect("open the directory");
    let out = s.run(bin!()).args(&["--changed", "report.toml"]).output();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        users::mode(&s.state().join("briefing")),
        0o700,
        "an old open directory stays open"
    );
}
