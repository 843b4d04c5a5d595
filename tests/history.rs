//! Kept versions of a report (src/history), from outside the library: a
//! real git repository with a rename.

use std::path::Path;
use std::process::Command;

use briefing::history::git;
use briefing_testkit::Scratch;

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
