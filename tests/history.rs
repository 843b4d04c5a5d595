//! Kept versions of a report (src/history), from outside the library: a
//! writer killed at random moments, a full disk (a file-size limit, and a
//! small tmpfs where one can be mounted), modes whatever the umask, and a
//! real git repository with a rename.
//!
//! The writers are this test binary run again as `history_writer_helper`
//! with `BRIEFING_HISTORY_HELPER` set (as tests/hostile does for job
//! control): a child can be killed, limited and given a umask without
//! touching the test process.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use briefing::history::{Bounds, Format, History, HistoryError, VersionMeta, git};
use briefing::report::Report;
use briefing_testkit::Scratch;
use briefing_testkit::run::Run;

/// What the helper does (see [`history_writer_helper`]).
const HELPER: &str = "BRIEFING_HISTORY_HELPER";
/// The report whose versions the helper keeps.
const REPORT: &str = "BRIEFING_HISTORY_REPORT";
/// The first version number the looping helper writes.
const FROM: &str = "BRIEFING_HISTORY_FROM";
/// The looping writer keeps this many versions, so it also drops (and can
/// be killed while dropping).
const LOOP_BOUND: usize = 6;
/// The size of a looping writer's version: long enough to be killed in.
const LOOP_SIZE: usize = 300_000;
/// How long a helper may take to say something.
const PATIENCE: Duration = Duration::from_secs(60);

const SEED: &str = include_str!("../report.toml");

/// A valid report: the seed with `number = k` and a line that differs.
fn seed_version(k: u64) -> String {
    format!("number = {k}\n{SEED}\n# version {k}\n")
}

fn have_git() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs git in `repo` with no config of the machine's, at a fixed time.
fn git_at(repo: &Path, time: i64, args: &[&str]) {
    let date = format!("@{time} +0000");
    let out = Command::new("git")
        .current_dir(repo)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.org")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.org")
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn git_versions_follow_the_report_across_a_rename() {
    if !have_git() {
        eprintln!(
            "skipped: git is not installed (versions() then gives none, tested in src/history/git.rs)"
        );
        return;
    }
    let s = Scratch::new("history-git");
    let repo = s.path("repo");
    std::fs::create_dir(&repo).expect("repo dir");
    git_at(&repo, 0, &["init", "-q"]);
    let old = repo.join("sitrep [old].toml");
    std::fs::write(&old, seed_version(1)).expect("v1");
    git_at(&repo, 1_700_000_000, &["add", "."]);
    git_at(&repo, 1_700_000_000, &["commit", "-q", "-m", "v1"]);
    std::fs::write(&old, seed_version(2)).expect("v2");
    git_at(&repo, 1_700_003_600, &["commit", "-q", "-a", "-m", "v2"]);
    // Renamed (into a directory) and changed in one commit: --follow finds it.
    std::fs::create_dir(repo.join("now")).expect("subdir");
    git_at(
        &repo,
        1_700_007_200,
        &["mv", "sitrep [old].toml", "now/report.toml"],
    );
    let new = repo.join("now/report.toml");
    std::fs::write(&new, seed_version(3)).expect("v3");
    git_at(&repo, 1_700_007_200, &["commit", "-q", "-a", "-m", "v3"]);
    // Not committed: not a version.
    std::fs::write(&new, seed_version(4)).expect("v4");

    let versions = git::versions(&new).expect("versions");
    let seen: Vec<_> = versions
        .iter()
        .map(|v| (v.time, v.path.to_string_lossy().into_owned()))
        .collect();
    assert_eq!(
        seen,
        [
            (1_700_000_000, "sitrep [old].toml".to_owned()),
            (1_700_003_600, "sitrep [old].toml".to_owned()),
            (1_700_007_200, "now/report.toml".to_owned()),
        ],
        "oldest first, each with its path at the time"
    );
    for (k, v) in (1..).zip(&versions) {
        assert_eq!(v.load().expect("git show"), seed_version(k), "{v:?}");
        assert_eq!(v.commit.len(), 40, "{v:?}");
    }
    // The old name, gone since the rename: its two versions, and not the
    // commit that removed it.
    let gone: Vec<_> = git::versions(&old)
        .expect("versions")
        .iter()
        .map(|v| v.time)
        .collect();
    assert_eq!(gone, [1_700_000_000, 1_700_003_600]);
    // A glob character in a name is a name (--literal-pathspecs): `[x]`
    // does not also match "glob x.toml".
    s.write("repo/glob [x].toml", "title = \"glob\"\n");
    git_at(&repo, 1_700_010_800, &["add", "."]);
    git_at(&repo, 1_700_010_800, &["commit", "-q", "-m", "glob"]);
    s.write("repo/glob x.toml", "title = \"other\"\n");
    git_at(&repo, 1_700_014_400, &["add", "."]);
    git_at(&repo, 1_700_014_400, &["commit", "-q", "-m", "not it"]);
    let glob: Vec<_> = git::versions(&s.path("repo/glob [x].toml"))
        .expect("versions")
        .iter()
        .map(|v| v.time)
        .collect();
    assert_eq!(glob, [1_700_010_800]);
    // A file git does not track has no git versions, and that is no error.
    let loose = s.write("repo/loose.toml", seed_version(9));
    assert_eq!(git::versions(&loose).expect("untracked"), []);
}

#[test]
fn a_repository_of_another_user_gives_no_git_versions_and_no_error() {
    if !have_git() || !briefing_testkit::users::is_root() {
        eprintln!("skipped: needs git, and root to give the repository to nobody");
        return;
    }
    // A machine that trusts every directory (safe.directory = *) lets git
    // read it: git's choice, not ours.
    let trusted = Command::new("git")
        .args(["config", "--get-all", "safe.directory"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l == "*"));
    if trusted {
        eprintln!("skipped: this machine's git config trusts every directory");
        return;
    }
    let s = Scratch::new("history-git-other");
    let repo = s.path("repo");
    std::fs::create_dir(&repo).expect("repo dir");
    git_at(&repo, 0, &["init", "-q"]);
    let report = repo.join("report.toml");
    std::fs::write(&report, seed_version(1)).expect("v1");
    git_at(&repo, 1_700_000_000, &["add", "."]);
    git_at(&repo, 1_700_000_000, &["commit", "-q", "-m", "v1"]);
    assert_eq!(git::versions(&report).expect("ours").len(), 1);
    let chown = Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(&repo)
        .status()
        .expect("chown");
    assert!(chown.success());
    assert_eq!(git::versions(&report).expect("no error"), []);
}

/// A valid report of about `bytes` bytes, `number = k`, of the seed's
/// words in an order of its own (so it compresses like prose, not to nothing).
fn sized_version(k: u64, bytes: usize) -> String {
    let words: Vec<&str> = SEED
        .split_whitespace()
        .filter(|w| w.chars().all(char::is_alphabetic))
        .collect();
    let mut x = k.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut body = String::with_capacity(bytes + 16);
    while body.len() < bytes {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        body.push_str(words[(x % words.len() as u64) as usize]);
        body.push(if x.is_multiple_of(11) { '\n' } else { ' ' });
    }
    format!(
        "title = \"Sitrep {k}\"\nnumber = {k}\nphase = \"update\"\n\n\
         [[theme]]\ntitle = \"Beeld\"\nbody = \"\"\"\n{body}\n\"\"\"\n"
    )
}

/// The program and arguments that run the test binary as the helper;
/// `wrap` is a shell script ending in `exec "$0" "$@"` (a umask, a ulimit),
/// or empty.
fn helper_argv(wrap: &str) -> (String, Vec<String>) {
    let me = std::env::current_exe().expect("the test binary");
    let me = me.to_string_lossy().into_owned();
    let mut args: Vec<String> = [
        "--exact",
        "history_writer_helper",
        "--nocapture",
        "--test-threads=1",
        "-q",
    ]
    .map(String::from)
    .to_vec();
    if wrap.is_empty() {
        return (me, args);
    }
    args.splice(0..0, ["-c".to_owned(), wrap.to_owned(), me]);
    ("sh".to_owned(), args)
}

/// Runs the helper in `mode` to its end (with the testkit's deadline),
/// keeping `report`'s versions under `state`.
fn run_helper(mode: &str, state: &Path, report: &Path, wrap: &str) -> std::process::Output {
    let (program, args) = helper_argv(wrap);
    Run::new(&program)
        .args(&args)
        .env(HELPER, mode)
        .env("XDG_STATE_HOME", state)
        .env(REPORT, report)
        .output()
}

/// Not a test of its own: without `BRIEFING_HISTORY_HELPER` it returns at
/// once. With it, this process is a writer of versions (through
/// `History::open`, so `XDG_STATE_HOME` is honoured), saying on stderr what
/// it does: "writing K" before a version, "kept K" after, "error: …" and
/// exit 3 when keeping fails.
#[test]
fn history_writer_helper() {
    let Ok(mode) = std::env::var(HELPER) else {
        return;
    };
    let report = PathBuf::from(std::env::var_os(REPORT).expect("BRIEFING_HISTORY_REPORT"));
    // One write per line: eprintln! may write a line in pieces, and a kill
    // between them would leave half a line.
    let say = |line: String| {
        let _ = std::io::Write::write_all(&mut std::io::stderr(), format!("{line}\n").as_bytes());
    };
    let fail = |e: HistoryError| -> ! {
        say(format!("error: {e}"));
        std::process::exit(3)
    };
    let history = History::open(&report).unwrap_or_else(|e| fail(e));
    let keep = |h: &History, k: u64, text: &str| {
        say(format!("writing {k}"));
        match h.record(text, Format::Toml, k as i64) {
            Ok(_) => say(format!("kept {k}")),
            Err(e) => fail(e),
        }
    };
    match mode.as_str() {
        "once" => keep(&history, 1, &seed_version(1)),
        "loop" => {
            let from: u64 = std::env::var(FROM).expect(FROM).parse().expect("a number");
            let h = history.with_bounds(Bounds {
                versions: LOOP_BOUND,
                bytes: u64::MAX,
            });
            for k in from.. {
                keep(&h, k, &sized_version(k, LOOP_SIZE));
            }
        }
        "fill" => {
            for k in 1..=3 {
                keep(&history, k, &seed_version(k));
            }
            keep(&history, 99, &sized_version(99, 1_000_000));
        }
        other => panic!("no helper mode {other}"),
    }
}

/// The history directory of `report` under `state`, found without opening
/// it (opening would set its mode again).
fn history_dir(state: &Path, report: &Path) -> PathBuf {
    let digest = briefing::state::digest_for(report);
    state.join("briefing").join(format!("{digest}.history"))
}

fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".briefing-"))
        .collect()
}

/// Every kept version loads, and its text is the one its number was made of.
fn check_all_load(h: &History, make: impl Fn(u64) -> String) -> Vec<VersionMeta> {
    let listing = h.scan().expect("scan");
    assert_eq!(listing.skipped, [], "files that are not versions");
    for v in &listing.versions {
        let number = u64::from(v.header.number.expect("a number"));
        let text = h.load_version(v).unwrap_or_else(|e| panic!("{e}"));
        assert!(text == make(number), "version {number} has another text");
    }
    listing.versions
}

fn numbers(versions: &[VersionMeta]) -> Vec<u64> {
    versions
        .iter()
        .filter_map(|v| v.header.number.map(u64::from))
        .collect()
}

#[test]
fn a_generated_version_is_a_valid_report() {
    let text = sized_version(7, 10_000);
    let report = Report::from_toml(&text, Path::new("sized.toml")).expect("valid");
    assert_eq!(report.number, Some(7));
    assert!(text.len() >= 10_000);
}

#[test]
fn versions_are_private_whatever_the_umask() {
    for umask in ["000", "777"] {
        let s = Scratch::new("history-umask");
        let report = s.write("report.toml", SEED);
        let wrap = format!("umask {umask}; exec \"$0\" \"$@\"");
        let out = run_helper("once", &s.state(), &report, &wrap);
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && said.contains("kept 1"),
            "umask {umask}: {said}"
        );
        let dir = history_dir(&s.state(), &report);
        let mode = |p: &Path| std::fs::metadata(p).expect("stat").mode() & 0o777;
        assert_eq!(mode(&s.state().join("briefing")), 0o700, "umask {umask}");
        assert_eq!(mode(&dir), 0o700, "umask {umask}");
        let files: Vec<_> = std::fs::read_dir(&dir)
            .expect("list")
            .map(|e| e.expect("entry").path())
            .collect();
        assert_eq!(files.len(), 2, "a version and the lock: {files:?}");
        for f in files {
            assert_eq!(mode(&f), 0o600, "umask {umask}: {}", f.display());
        }
    }
}

/// Watches `dir` for new temporaries: the moments a version is being written.
fn watch_temporaries(dir: &Path) -> mpsc::Receiver<()> {
    let mut inotify = inotify::Inotify::init().expect("inotify");
    inotify
        .watches()
        .add(dir, inotify::WatchMask::CREATE)
        .expect("watch the history directory");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(events) = inotify.read_events_blocking(&mut buf) {
            for e in events {
                let temporary = e
                    .name
                    .is_some_and(|n| n.to_string_lossy().starts_with(".briefing-"));
                if temporary && tx.send(()).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

/// A tiny xorshift, seeded from the clock and printed, so a failure can be
/// replayed with BRIEFING_HISTORY_SEED.
fn rng() -> impl FnMut(u64) -> u64 {
    let seed = std::env::var("BRIEFING_HISTORY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    eprintln!("BRIEFING_HISTORY_SEED={seed}");
    let mut x = seed | 1;
    move |below| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % below.max(1)
    }
}

#[test]
fn a_writer_killed_at_random_moments_never_damages_a_kept_version() {
    const ROUNDS: usize = 16;
    let s = Scratch::new("history-kill");
    let report = s.write("report.toml", SEED);
    let mut random = rng();
    // Opened here first, so the directory exists to be watched.
    let h = History::open_in(&s.state().join("briefing"), &report).expect("open");
    let created = watch_temporaries(h.dir());
    let (mut next, mut confirmed) = (1u64, Vec::<u64>::new());
    let mut before: BTreeMap<PathBuf, Vec<u8>> = BTreeMap::new();
    let (mut mid_write, mut mid_record) = (0, 0);
    for round in 0..ROUNDS {
        while created.try_recv().is_ok() {}
        // Spawned, not run: it is killed, and its stderr is read as it goes.
        let (program, args) = helper_argv("");
        let mut child = Command::new(program)
            .args(args)
            .env(HELPER, "loop")
            .env("XDG_STATE_HOME", s.state())
            .env(REPORT, &report)
            .env(FROM, next.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn the writer");
        let (tx, said) = mpsc::channel();
        let stderr = child.stderr.take().expect("stderr");
        let reader = std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                let _ = tx.send(line);
            }
        });
        // Half the rounds die the moment a temporary is created (in the
        // middle of writing), half at a random moment of a record (hashing,
        // compressing, renaming or dropping old versions).
        let nth = 1 + random(3);
        // Everything the writer said this round, in order.
        let mut lines: Vec<String> = Vec::new();
        let (mut writing, mut started) = (0, Instant::now());
        let mut record_time = Duration::ZERO;
        if round % 2 == 0 {
            for _ in 0..nth {
                created
                    .recv_timeout(PATIENCE)
                    .expect("a temporary to appear");
            }
        } else {
            loop {
                let line = said
                    .recv_timeout(PATIENCE)
                    .expect("the writer to say something");
                lines.push(line.clone());
                if line.starts_with("writing ") {
                    writing += 1;
                    started = Instant::now();
                    if writing > nth {
                        break;
                    }
                } else if line.starts_with("kept ") {
                    record_time = record_time.max(started.elapsed());
                }
                assert!(!line.starts_with("error"), "{line}");
            }
            std::thread::sleep(Duration::from_micros(random(
                record_time.as_micros().max(1) as u64,
            )));
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        reader.join().expect("reader");
        lines.extend(said.try_iter());
        for line in &lines {
            if let Some(k) = line.strip_prefix("kept ") {
                confirmed.push(k.parse().expect("a number"));
            }
            if let Some(k) = line.strip_prefix("writing ") {
                next = next.max(k.parse::<u64>().expect("a number") + 1);
            }
        }
        if round % 2 == 1 && lines.last().is_some_and(|l| l.starts_with("writing ")) {
            mid_record += 1;
        }
        let dir = h.dir();
        let temps = temporaries(dir);
        mid_write += usize::from(!temps.is_empty());
        // The writer's first record removed the temporary of the last kill.
        assert!(
            temps.len() <= 1,
            "round {round}: temporaries left: {temps:?}"
        );
        let versions = check_all_load(&h, |k| sized_version(k, LOOP_SIZE));
        let kept = numbers(&versions);
        // A kill between writing and dropping leaves one too many.
        assert!(kept.len() <= LOOP_BOUND + 1, "round {round}: {kept:?}");
        // Oldest dropped first: every version confirmed since the oldest kept is there.
        let oldest = kept.first().copied().unwrap_or(u64::MAX);
        for c in confirmed.iter().filter(|&&c| c >= oldest) {
            assert!(
                kept.contains(c),
                "round {round}: {c} was kept, then lost: {kept:?}"
            );
        }
        if let Some(last) = confirmed.last() {
            assert!(
                kept.contains(last),
                "round {round}: the last kept {last} is gone"
            );
        }
        // No file that was in place before is changed; dropped ones are gone whole.
        for (path, bytes) in &before {
            if let Ok(now) = std::fs::read(path) {
                assert!(now == *bytes, "round {round}: {} changed", path.display());
            }
        }
        before = versions
            .iter()
            .map(|v| (v.path.clone(), std::fs::read(&v.path).expect("read")))
            .collect();
    }
    eprintln!(
        "{ROUNDS} kills: {mid_write} with a temporary in place, {mid_record} of the {} at a \
         random moment inside a record; versions written: {}",
        ROUNDS / 2,
        next - 1
    );
    assert!(
        mid_write >= 1,
        "no kill landed while a version was being written"
    );
    // The next record clears the last kill's temporary.
    h.record(&seed_version(1000), Format::Toml, 0)
        .expect("record");
    assert_eq!(temporaries(h.dir()), Vec::<String>::new());
}

#[test]
fn a_file_size_limit_fails_the_write_with_a_message_and_keeps_the_rest() {
    // Without the limit the same writer keeps all four: the limit is what fails it.
    let free = Scratch::new("history-nolimit");
    let report = free.write("report.toml", SEED);
    let out = run_helper("fill", &free.state(), &report, "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let s = Scratch::new("history-fsize");
    let report = s.write("report.toml", SEED);
    // 64 blocks of 512 bytes: the seed's versions fit, a 1 MB one does not.
    // SIGXFSZ ignored, so the write fails with EFBIG instead of killing.
    let wrap = "trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\"";
    let out = run_helper("fill", &s.state(), &report, wrap);
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "not a reported error: {said}");
    let error = said
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_else(|| panic!("no error said: {said}"));
    for words in [
        "this version was not kept",
        "intact",
        "ulimit -f",
        ".history/",
    ] {
        assert!(error.contains(words), "{words:?} not in {error}");
    }
    let h = History::open_in(&s.state().join("briefing"), &report).expect("open");
    let versions = check_all_load(&h, seed_version);
    assert_eq!(numbers(&versions), [1, 2, 3]);
    assert_eq!(
        temporaries(h.dir()),
        Vec::<String>::new(),
        "a temporary left"
    );
}

/// Unmounts a directory when dropped.
struct Unmount(PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_tmpfs_fails_the_write_with_a_message_and_keeps_the_rest() {
    let s = Scratch::new("history-tmpfs");
    let small = s.path("small");
    std::fs::create_dir(&small).expect("mount point");
    let mount = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=200k,mode=0700", "tmpfs"])
        .arg(&small)
        .output()
        .expect("run mount");
    if !mount.status.success() {
        eprintln!(
            "skipped: a tmpfs cannot be mounted here ({}); the file-size limit test covers a full disk",
            String::from_utf8_lossy(&mount.stderr).trim()
        );
        return;
    }
    let _unmount = Unmount(small.clone());
    let report = s.write("report.toml", SEED);
    let h = History::open_in(&small.join("briefing"), &report).expect("open");
    let mut kept = Vec::new();
    let error = loop {
        let k = kept.len() as u64 + 1;
        assert!(k < 50, "a 200 KB tmpfs took {k} versions");
        match h.record(&sized_version(k, 100_000), Format::Toml, 0) {
            Ok(_) => kept.push(k),
            Err(e) => break e,
        }
    };
    assert!(
        matches!(&error, HistoryError::Write { source, .. }
            if source.kind() == std::io::ErrorKind::StorageFull),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("free some disk space"),
        "{error}"
    );
    assert!(!kept.is_empty(), "not even one version fit");
    let versions = check_all_load(&h, |k| sized_version(k, 100_000));
    assert_eq!(numbers(&versions), kept);
    assert_eq!(
        temporaries(h.dir()),
        Vec::<String>::new(),
        "a temporary left"
    );
}
