//! The audit log (`--log FILE`) is checked as `--share`'s position file:
//! never the report, never another user's file, never a FIFO.

use briefing_testkit::run::Run;
use briefing_testkit::users::{self, NOBODY};

use super::*;

// Starts a server logging to `log`; it must refuse at once (exit 2),
// naming the audit log.
fn refused(room: &Room, log: &std::path::Path, report: &str) -> String {
    let out = Run::new(bin())
        .args(&[
            "--serve",
            "127.0.0.1:0",
            "--code",
            "--log",
            &log.display().to_string(),
            report,
        ])
        .cwd(room.scratch.dir())
        .env("XDG_STATE_HOME", room.scratch.state())
        .output_within(Duration::from_secs(10));
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("audit log"), "{err}");
    err
}

#[test]
fn the_audit_log_is_never_the_report() {
    let room = Room::new("serve-log-report");
    let before = std::fs::read(room.scratch.report()).expect("report");
    let err = refused(&room, &room.scratch.report(), &room.report());
    assert!(err.contains("is the report itself"), "{err}");
    assert_eq!(
        std::fs::read(room.scratch.report()).expect("report"),
        before
    );
}

#[test]
fn an_audit_log_planted_by_another_user_is_refused_not_appended_to() {
    users::require_root("an_audit_log_planted_by_another_user");
    let room = Room::new("serve-log-planted");
    room.scratch.share_like_tmp();
    // nobody creates the log with umask 0, to read what root appends and
    // to forge lines in between.
    let log = room.scratch.path("x.log");
    let planted = Run::new("sh")
        .args(&[
            "-c",
            &format!("umask 0; printf 'forged\\n' > '{}'", log.display()),
        ])
        .user(NOBODY)
        .output();
    assert!(planted.status.success(), "{planted:?}");
    assert_eq!(users::owner(&log), NOBODY);
    let err = refused(&room, &log, &room.report());
    assert!(err.contains("belongs to"), "{err}");
    assert_eq!(std::fs::read_to_string(&log).expect("log"), "forged\n");
}

#[test]
fn an_audit_log_that_is_a_fifo_is_refused_without_waiting() {
    users::require_root("an_audit_log_that_is_a_fifo");
    let room = Room::new("serve-log-fifo");
    room.scratch.share_like_tmp();
    // A FIFO planted by nobody, and one of our own: opening either for
    // writing would wait for a reader before anything is drawn.
    for (name, uid) in [("theirs.log", Some(NOBODY)), ("ours.log", None)] {
        let fifo = room.scratch.path(name);
        let mut mkfifo = Run::new("mkfifo").args(&["-m", "600", &fifo.display().to_string()]);
        if let Some(uid) = uid {
            mkfifo = mkfifo.user(uid);
        }
        assert!(mkfifo.output().status.success());
        refused(&room, &fifo, &room.report());
    }
}
