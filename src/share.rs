//! The presenter's position, shared with followers through a small file.
//!
//! The file is TOML, human-readable, written atomically (a temporary file in
//! the same directory, then a rename), so a follower never reads half of it.
//! Only this file is shared: each follower renders at its own size, and a
//! follower on a slow link pays only for its own screen's changes.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::report;

/// Position files larger than this are not position files.
const MAX_BYTES: u64 = 64 * 1024;

/// Where the presenter is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// The report's title: a follower refuses a position for another report.
    pub report: String,
    /// Titles from the top-level theme down to the current one.
    pub theme: Vec<String>,
    /// The current theme's position in the flattened list (used when titles changed).
    pub index: usize,
    /// Whether the presenter is presenting (or browsing).
    pub presenting: bool,
    /// Revealed points.
    pub revealed: u16,
    /// Whether all points are shown.
    pub all: bool,
    /// The search query, empty when none.
    pub query: String,
    /// False once the presenter has quit.
    pub live: bool,
    /// The presenter's process id and host, to notice a presenter that died.
    pub pid: u32,
    /// The presenter's host name.
    pub host: String,
}

/// Writes `position` to `path` atomically.
pub fn write(path: &Path, position: &Position) -> std::io::Result<()> {
    let text = toml::to_string(position).map_err(std::io::Error::other)?;
    let header = "# briefing presenter position (written by briefing --share)\n";
    crate::atomic::write(path, format!("{header}{text}").as_bytes())
}

/// Reads a position file; the error is a one-line message naming the file.
pub fn read(path: &Path) -> Result<Position, String> {
    let text = report::read_text(path, MAX_BYTES).map_err(|e| e.one_line())?;
    toml::from_str(&text).map_err(|e| {
        let at = crate::error::Position::of(&text, e.span().map_or(0, |s| s.start));
        format!(
            "{}:{at}: not a position file: {}",
            path.display(),
            crate::report::shorten(&crate::text::inline(e.message()), 200)
        )
    })
}

/// Whether the presenter that wrote `position` is still running, as far as
/// this host can tell (a presenter on another host is trusted by its flag).
pub fn alive(position: &Position) -> bool {
    if !position.live {
        return false;
    }
    if position.host != hostname() {
        return true;
    }
    let Ok(pid) = libc::pid_t::try_from(position.pid) else {
        return false;
    };
    // SAFETY: kill with signal 0 only checks that the process exists.
    unsafe {
        libc::kill(pid, 0) == 0
            || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
}

/// This machine's host name.
pub fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname NUL-terminates
    // or truncates, and we stop at the first NUL.
    let ok = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } == 0;
    if !ok {
        return String::new();
    }
    let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_round_trips_through_its_file_atomically() {
        let dir = std::env::temp_dir().join(format!("briefing-share-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("pos.toml");
        let pos = Position {
            report: "R".into(),
            theme: vec!["A".into(), "A.1".into()],
            index: 1,
            presenting: true,
            revealed: 2,
            all: false,
            query: "crisis".into(),
            live: true,
            pid: std::process::id(),
            host: hostname(),
        };
        write(&path, &pos).expect("write");
        assert_eq!(read(&path).expect("read"), pos);
        assert!(alive(&pos));
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .expect("list")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "no temporary file left behind");
        assert!(!alive(&Position { live: false, ..pos }));
    }

    #[test]
    fn garbage_is_reported_with_its_position() {
        let dir = std::env::temp_dir().join(format!("briefing-share-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("pos.toml");
        std::fs::write(&path, "report = 3\n").expect("write");
        let e = read(&path).expect_err("invalid");
        assert!(e.contains("pos.toml:1:10: not a position file"), "{e}");
    }
}
