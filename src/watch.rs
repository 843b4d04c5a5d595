//! Watching the report file and the presenter's position file.
//!
//! The directories are watched, not the files: editors often save by writing
//! a new file and renaming it over the old one, which replaces the file a
//! direct watch would follow. Events for other names are ignored.
//!
//! On Linux, inotify is used directly with a narrow mask (a file closed after
//! writing, moved, created or deleted): the cross-platform `notify` crate also
//! asks for every *open* in the directory, which in a busy directory such as
//! /tmp wakes an idle browser a hundred times a second.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use crate::term::Event;

/// Keeps the watching alive; dropping it may stop it.
pub(crate) struct Watching {
    _inner: Box<dyn std::any::Any>,
}

/// Starts watching; `None` when there is nothing to watch or the platform
/// refuses (then the files are just not reloaded).
pub(crate) fn spawn(
    tx: &Sender<Event>,
    report: Option<&Path>,
    position: Option<&Path>,
) -> Option<Watching> {
    if report.is_none() && position.is_none() {
        return None;
    }
    let name = |p: Option<&Path>| p.and_then(Path::file_name).map(OsString::from);
    let names = Names {
        report: name(report),
        position: name(position),
    };
    let dirs: Vec<PathBuf> = [report, position]
        .into_iter()
        .flatten()
        .map(directory)
        .collect();
    platform::spawn(tx.clone(), names, &dirs)
}

/// The file names that matter.
struct Names {
    report: Option<OsString>,
    position: Option<OsString>,
}

impl Names {
    // Sends what a change to `file` in a watched directory means.
    fn notify(&self, tx: &Sender<Event>, file: Option<&std::ffi::OsStr>) {
        let Some(file) = file else { return };
        if self.report.as_deref() == Some(file) {
            let _ = tx.send(Event::ReportChanged);
        }
        if self.position.as_deref() == Some(file) {
            let _ = tx.send(Event::PositionChanged);
        }
    }
}

fn directory(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

#[cfg(target_os = "linux")]
mod platform {
    use std::path::PathBuf;
    use std::sync::mpsc::Sender;

    use inotify::{Inotify, WatchMask};

    use super::{Names, Watching};
    use crate::term::Event;

    pub(super) fn spawn(tx: Sender<Event>, names: Names, dirs: &[PathBuf]) -> Option<Watching> {
        let mut inotify = Inotify::init().ok()?;
        let mask = WatchMask::CLOSE_WRITE
            | WatchMask::MOVED_TO
            | WatchMask::MOVED_FROM
            | WatchMask::CREATE
            | WatchMask::DELETE;
        for dir in dirs {
            // A directory that cannot be watched just means no live reload.
            let _ = inotify.watches().add(dir, mask);
        }
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            // Blocks until something happens in the watched directories.
            while let Ok(events) = inotify.read_events_blocking(&mut buffer) {
                for event in events {
                    names.notify(&tx, event.name);
                }
            }
        });
        Some(Watching {
            _inner: Box::new(()),
        })
    }
}

#[cfg(not(target_os = "linux"))]
mod platform {
    use std::path::PathBuf;
    use std::sync::mpsc::Sender;

    use notify::{RecursiveMode, Watcher};

    use super::{Names, Watching};
    use crate::term::Event;

    pub(super) fn spawn(tx: Sender<Event>, names: Names, dirs: &[PathBuf]) -> Option<Watching> {
        let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            let Ok(event) = res else { return };
            if matches!(event.kind, notify::EventKind::Access(_)) {
                return;
            }
            for path in &event.paths {
                names.notify(&tx, path.file_name());
            }
        })
        .ok()?;
        for dir in dirs {
            let _ = watcher.watch(dir, RecursiveMode::NonRecursive);
        }
        Some(Watching {
            _inner: Box::new(watcher),
        })
    }
}
