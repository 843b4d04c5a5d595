//! A report's versions from git, where it lives in a repository: one per
//! commit that changed it, across renames (`git log --follow`, with
//! `--name-status -z` for its path at each commit and to leave out a commit
//! that deleted it), each read back with `git show COMMIT:PATH`.
//!
//! Only through the `git` command, with a deadline; git's object files are
//! never read by hand. No git, no repository, a file git does not track, or
//! a repository git refuses (another user's: "dubious ownership"): no
//! versions, not an error.

use std::ffi::{OsStr, OsString};
use std::io::Read;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::Duration;

use super::HistoryError;
use crate::report;

/// The longest a git command may take (a `--follow` over a long history is
/// the slow one) before it is killed and the history reported as failed.
pub const GIT_TIMEOUT: Duration = Duration::from_secs(10);

/// The most `git log` may print: 1 MB is about 10,000 commits.
const LOG_LIMIT: u64 = 16 * 1024 * 1024;

/// One committed version of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitVersion {
    /// The commit's hash.
    pub commit: String,
    /// When it was committed (Unix seconds, committer time).
    pub time: i64,
    /// The report's path in the repository at that commit (it changes
    /// where the file was renamed).
    pub path: PathBuf,
    // Where git runs: the report's directory.
    dir: PathBuf,
    // The report, for messages.
    report: PathBuf,
}

impl GitVersion {
    /// The report's text at this commit (`git show COMMIT:PATH`).
    pub fn load(&self) -> Result<String, HistoryError> {
        let mut spec = OsString::from(format!("{}:", self.commit));
        spec.push(self.path.as_os_str());
        let what = format!("show {}", &self.commit[..self.commit.len().min(12)]);
        let args: [&OsStr; 3] = ["show".as_ref(), "--no-textconv".as_ref(), &spec];
        let fail = |reason: String| HistoryError::Git {
            path: self.report.clone(),
            what: what.clone(),
            reason,
        };
        let out = run(&self.dir, &args, report::MAX_BYTES)
            .map_err(&fail)?
            .ok_or_else(|| fail("git cannot be run".into()))?;
        if !out.status.success() {
            return Err(fail(out.stderr_line));
        }
        String::from_utf8(out.stdout)
            .map_err(|_| fail("the file at that commit is not UTF-8 text".into()))
    }
}

/// The committed versions of `report`, oldest first; empty when git is not
/// installed or the report is not in a repository.
pub fn versions(report: &Path) -> Result<Vec<GitVersion>, HistoryError> {
    // The real file, so a symlink to a report in a repository finds its history.
    let report = std::fs::canonicalize(report).unwrap_or_else(|_| report.to_owned());
    let (Some(dir), Some(file)) = (report.parent(), report.file_name()) else {
        return Ok(Vec::new());
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let fail = |what: &str, reason: String| HistoryError::Git {
        path: report.clone(),
        what: what.into(),
        reason,
    };
    let probe: [&OsStr; 3] = [
        "rev-parse".as_ref(),
        "--is-inside-work-tree".as_ref(),
        "--show-prefix".as_ref(),
    ];
    let Some(out) = run(dir, &probe, 64 * 1024).map_err(|r| fail("rev-parse", r))? else {
        return Ok(Vec::new());
    };
    let mut lines = out.stdout.split(|&b| b == b'\n');
    if !out.status.success() || lines.next() != Some(b"true") {
        return Ok(Vec::new());
    }
    // The file's path from the top of the work tree, as it is now.
    let mut current = lines.next().unwrap_or_default().to_vec();
    current.extend_from_slice(file.as_bytes());
    let log: [&OsStr; 7] = [
        "log".as_ref(),
        "--follow".as_ref(),
        "--format=%H%x09%ct".as_ref(),
        "--name-status".as_ref(),
        "-z".as_ref(),
        "--".as_ref(),
        file,
    ];
    let out = run(dir, &log, LOG_LIMIT)
        .map_err(|r| fail("log", r))?
        .ok_or_else(|| fail("log", "git cannot be run".into()))?;
    if !out.status.success() {
        return Err(fail("log", out.stderr_line));
    }
    let mut versions = parse_log(&out.stdout, PathBuf::from(OsString::from_vec(current)));
    for v in &mut versions {
        v.dir = dir.to_owned();
        v.report = report.clone();
    }
    versions.reverse();
    Ok(versions)
}

// `git log -z --name-status --format=%H%x09%ct` output, newest first: per
// commit its line and a NUL, then "\n", a status and a NUL, then the path
// and a NUL (two paths, old and new, for a rename or copy: "R087"). A
// commit that deleted the path is no version; one without a status (a
// merge) had the path of the newer one.
fn parse_log(out: &[u8], current: PathBuf) -> Vec<GitVersion> {
    let mut versions: Vec<GitVersion> = Vec::new();
    let mut last_path = current;
    // Paths still to come for the last status, and whether it was a deletion.
    let (mut paths_due, mut deleted) = (0, false);
    for token in out.split(|&b| b == 0) {
        let token = token.strip_prefix(b"\n").unwrap_or(token);
        if token.is_empty() {
            continue;
        }
        if paths_due > 0 {
            paths_due -= 1;
            if let Some(v) = versions.last_mut() {
                v.path = PathBuf::from(OsStr::from_bytes(token));
                last_path = v.path.clone();
            }
            if paths_due == 0 && deleted {
                versions.pop();
            }
        } else if let Some((commit, time)) = commit_line(token) {
            versions.push(GitVersion {
                commit,
                time,
                path: last_path.clone(),
                dir: PathBuf::new(),
                report: PathBuf::new(),
            });
        } else {
            // A status: A, M, T, D, or R/C with a similarity score.
            deleted = token.starts_with(b"D");
            paths_due = if matches!(token.first(), Some(b'R' | b'C')) {
                2
            } else {
                1
            };
        }
    }
    versions
}

fn commit_line(token: &[u8]) -> Option<(String, i64)> {
    let line = std::str::from_utf8(token).ok()?;
    let (hash, time) = line.split_once('\t')?;
    let hex = matches!(hash.len(), 40 | 64) && hash.bytes().all(|b| b.is_ascii_hexdigit());
    Some((hash.to_owned(), time.parse().ok()?)).filter(|_| hex)
}

struct Output {
    status: ExitStatus,
    stdout: Vec<u8>,
    // git's first line on stderr, for messages.
    stderr_line: String,
}

// Runs git in `dir` with a deadline, reading at most `limit` bytes; `None`
// when git cannot be started (not installed).
fn run(dir: &Path, args: &[&OsStr], limit: u64) -> Result<Option<Output>, String> {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        // A repository's config must not run anything or change the output:
        // no pager, no fsmonitor hook, no signatures in the log, and a path
        // is a path, not a glob.
        .args(["--no-pager", "--literal-pathspecs"])
        .args([
            "-c",
            "core.fsmonitor=false",
            "-c",
            "log.showSignature=false",
        ])
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(format!(
                "git cannot be started: {}",
                report::describe_io(&e)
            ));
        }
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    std::thread::spawn(move || {
        // Read stderr on its own thread, so a chatty git cannot block on it.
        let err = std::thread::spawn(move || {
            let mut v = Vec::new();
            if let Some(e) = stderr {
                let _ = e.take(4096).read_to_end(&mut v);
            }
            v
        });
        let mut out = Vec::new();
        let read = stdout.map(|o| o.take(limit + 1).read_to_end(&mut out));
        let _ = tx.send((
            read.map(|r| r.map(|_| ())),
            out,
            err.join().unwrap_or_default(),
        ));
    });
    let Ok((read, stdout, stderr)) = rx.recv_timeout(GIT_TIMEOUT) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!(
            "no answer in {} s; it was stopped",
            GIT_TIMEOUT.as_secs()
        ));
    };
    if stdout.len() as u64 > limit {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!("it printed more than {limit} bytes"));
    }
    if let Some(Err(e)) = read {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!(
            "its output cannot be read: {}",
            report::describe_io(&e)
        ));
    }
    let status = child
        .wait()
        .map_err(|e| format!("it cannot be waited for: {}", report::describe_io(&e)))?;
    let first = String::from_utf8_lossy(&stderr);
    let stderr_line = crate::text::inline(
        first
            .lines()
            .next()
            .unwrap_or("it failed without a message"),
    );
    Ok(Some(Output {
        status,
        stdout,
        stderr_line,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_with_a_rename_a_merge_and_a_deletion_gives_each_version_its_path() {
        let [a, m, c, d, e] = ["a", "b", "c", "d", "e"].map(|x| x.repeat(40));
        let out = format!(
            "{a}\t500\0\nM\0new é.toml\0{m}\t400\0{c}\t300\0\nR087\0old.toml\0new é.toml\0\
             {d}\t200\0\nD\0gone.toml\0{e}\t100\0\nA\0old.toml\0"
        );
        let vs = parse_log(out.as_bytes(), PathBuf::from("fallback.toml"));
        let got: Vec<_> = vs
            .iter()
            .map(|v| (v.time, v.path.to_string_lossy().into_owned()))
            .collect();
        assert_eq!(
            got,
            [
                (500, "new é.toml".to_owned()),
                (400, "new é.toml".to_owned()),
                (300, "new é.toml".to_owned()),
                (100, "old.toml".to_owned()),
            ]
        );
    }

    #[test]
    fn outside_a_repository_there_are_no_git_versions() {
        let dir = tempfile::tempdir().expect("dir");
        let report = dir.path().join("report.toml");
        std::fs::write(&report, "title = \"x\"").expect("report");
        // Ok(empty) also when git is not installed: the same branch.
        assert_eq!(versions(&report).expect("no error"), []);
        assert_eq!(
            versions(&dir.path().join("missing.toml")).expect("no error"),
            []
        );
    }
}
