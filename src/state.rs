//! Remembering, per report file, what the reader last saw: a small text file
//! under the XDG state directory, written atomically.
//!
//! The format is one line per theme, its block hashes then a tab then its
//! title path, after a header line. Plain lines rather than TOML: for a
//! 20,000-theme report the file is read line by line at start-up, without a
//! parser's token list in memory.

use std::path::{Path, PathBuf};

use crate::changes::Seen;

/// State files larger than this are ignored as corrupt.
const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// Where the state for `report` lives: `$XDG_STATE_HOME/briefing/` (default
/// `~/.local/state/briefing/`), one file per report, named by a hash of the
/// report's absolute path.
pub fn path_for(report: &Path) -> Option<PathBuf> {
    let base = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    let absolute = std::fs::canonicalize(report).unwrap_or_else(|_| report.to_owned());
    let digest = crate::changes::fnv1a(&absolute.to_string_lossy());
    Some(base.join("briefing").join(format!("{digest:016x}.seen")))
}

/// What the reader saw last time, if anything was remembered (a missing or
/// unreadable state file means nothing was).
pub fn load(path: &Path) -> Option<Seen> {
    use std::io::BufRead;
    // Line by line from the file: a 20,000-theme report's state is never
    // in memory as text as well as in the map.
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_BYTES {
        return None;
    }
    let mut lines = std::io::BufReader::new(std::fs::File::open(path).ok()?).lines();
    if lines.next()?.ok()? != HEADER {
        return None;
    }
    let mut seen = Seen::default();
    for line in lines {
        let line = line.ok()?;
        // A damaged line loses only that theme's marks.
        if let Some((hashes, key)) = line.split_once('\t') {
            let hashes = hashes
                .as_bytes()
                .chunks(16)
                .filter_map(|c| u64::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
                .collect();
            seen.themes.insert(key.to_owned(), hashes);
        }
    }
    Some(seen)
}

/// The first line of a state file: what it is, and its format's version.
const HEADER: &str = "briefing seen 1";

/// Remembers what the reader saw.
pub fn save(path: &Path, seen: &Seen) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut text = format!("{HEADER}\n");
    for (key, hashes) in &seen.themes {
        for h in hashes {
            text.push_str(&format!("{h:016x}"));
        }
        // Titles are sanitised and whitespace-collapsed: they hold no tab or newline.
        text.push_str(&format!("\t{key}\n"));
    }
    crate::atomic::write(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_state_round_trips() {
        let dir = std::env::temp_dir().join(format!("briefing-state-{}", std::process::id()));
        let path = dir.join("briefing").join("x.toml");
        let mut seen = Seen::default();
        seen.themes.insert("A / B".into(), vec![0xff, 0xabcd]);
        save(&path, &seen).expect("save");
        assert_eq!(load(&path), Some(seen));
        std::fs::write(&path, "garbage = [").expect("corrupt");
        assert_eq!(load(&path), None, "a corrupt state file is ignored");
    }
}
