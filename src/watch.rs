//! Watching the report file and the presenter's position file.
//!
//! The directories are watched, not the files: editors often save by writing
//! a new file and renaming it over the old one, which replaces the file a
//! direct watch would follow. Events for other names in the directory are
//! ignored.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use notify::{RecursiveMode, Watcher};

use crate::term::Event;

/// Starts watching; the returned watcher must be kept alive. `None` when there
/// is nothing to watch or the platform refuses (then the files are just not
/// reloaded, which the user can still do by restarting).
pub(crate) fn spawn(
    tx: &Sender<Event>,
    report: Option<&Path>,
    position: Option<&Path>,
) -> Option<notify::RecommendedWatcher> {
    if report.is_none() && position.is_none() {
        return None;
    }
    let name = |p: Option<&Path>| p.and_then(Path::file_name).map(OsString::from);
    let (report_name, position_name) = (name(report), name(position));
    let tx = tx.clone();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return;
        }
        for path in &event.paths {
            let file = path.file_name().map(OsString::from);
            if file.is_some() && file == report_name {
                let _ = tx.send(Event::ReportChanged);
            }
            if file.is_some() && file == position_name {
                let _ = tx.send(Event::PositionChanged);
            }
        }
    })
    .ok()?;
    for path in [report, position].into_iter().flatten() {
        let _ = watcher.watch(&directory(path), RecursiveMode::NonRecursive);
    }
    Some(watcher)
}

fn directory(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}
