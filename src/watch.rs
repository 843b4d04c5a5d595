//! Watching the report file and the presenter's position file, following
//! the paths the user gave.
//!
//! Editors save in place or by writing a new file and renaming it over the
//! old one; the report may be a symlink into another directory; a directory
//! may be removed, renamed or made again. So on Linux each path is watched
//! with inotify as a small set of watches, made anew whenever one of them
//! may have gone stale:
//! - the file itself (through a symlink: its target) for writes, so writes
//!   to other files in a busy directory never wake the browser;
//! - its directory, and the target's directory when it is a symlink, for
//!   the file's name being created, moved or deleted;
//! - when a directory on the way is missing, the nearest one that exists,
//!   for the missing name to come back. Meanwhile the loss is reported, and
//!   when the path is whole again the file is reported changed.
//!
//! Elsewhere the `notify` crate watches the directories, without the
//! re-establishing.

use std::path::{Path, PathBuf};

/// Which watched file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Watched {
    /// The report.
    Report,
    /// The presenter's position file.
    Position,
}

/// What the watcher tells its owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// The file may have changed: read it again.
    Changed(Watched),
    /// The file cannot be watched for now; the message says why and what happens.
    Lost(Watched, String),
    /// The file is watched again after a loss (it is also reported changed).
    Restored(Watched),
}

/// Keeps the watching alive; dropping it may stop it.
pub struct Watching {
    _inner: Box<dyn std::any::Any>,
}

/// Starts watching `report` and/or `position`; `None` when there is nothing
/// to watch or the platform refuses (then the files are just not reloaded).
pub fn spawn(
    report: Option<&Path>,
    position: Option<&Path>,
    tell: impl Fn(Change) + Send + Sync + 'static,
) -> Option<Watching> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let targets: Vec<(Watched, PathBuf)> =
        [(Watched::Report, report), (Watched::Position, position)]
            .into_iter()
            .filter_map(|(w, p)| p.map(|p| (w, cwd.join(p))))
            .collect();
    if targets.is_empty() {
        return None;
    }
    platform::spawn(targets, std::sync::Arc::new(tell))
}

type Tell = std::sync::Arc<dyn Fn(Change) + Send + Sync>;

fn directory(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("/"),
    }
}

#[cfg(target_os = "linux")]
mod platform {
    use std::ffi::OsString;
    use std::path::{Path, PathBuf};

    use inotify::{EventMask, Inotify, WatchDescriptor, WatchMask};

    use super::{Change, Tell, Watched, Watching, directory};
    use crate::text::shown_path;

    /// What one watch of a target is for.
    #[derive(Clone, Debug, PartialEq, Eq)]
    enum Role {
        /// The file (or a symlink's target) itself.
        File,
        /// A directory holding the file (or its target) under `name`.
        Dir(OsString),
        /// The nearest existing directory on the way, missing `name`.
        Ancestor(OsString),
    }

    struct Target {
        which: Watched,
        path: PathBuf,
        watches: Vec<(WatchDescriptor, Role)>,
        /// Whether the path was whole at the last re-arming.
        whole: bool,
    }

    const NAMES: WatchMask = WatchMask::CREATE
        .union(WatchMask::MOVED_TO)
        .union(WatchMask::MOVED_FROM)
        .union(WatchMask::DELETE)
        .union(WatchMask::DELETE_SELF)
        .union(WatchMask::MOVE_SELF);
    const FILE: WatchMask = WatchMask::CLOSE_WRITE
        .union(WatchMask::ATTRIB)
        .union(WatchMask::DELETE_SELF)
        .union(WatchMask::MOVE_SELF);
    const APPEARS: WatchMask = WatchMask::CREATE
        .union(WatchMask::MOVED_TO)
        .union(WatchMask::DELETE_SELF)
        .union(WatchMask::MOVE_SELF);

    pub(super) fn spawn(targets: Vec<(Watched, PathBuf)>, tell: Tell) -> Option<Watching> {
        // One inotify instance per path: within one instance, watches of the
        // same directory are one watch, and re-arming one path would drop
        // the other's.
        let mut any = false;
        for (which, path) in targets {
            any |= watch_one(which, path, tell.clone()).is_some();
        }
        any.then(|| Watching {
            _inner: Box::new(()),
        })
    }

    fn watch_one(which: Watched, path: PathBuf, tell: Tell) -> Option<()> {
        let mut inotify = Inotify::init().ok()?;
        let mut t = Target {
            which,
            path,
            watches: Vec::new(),
            whole: true,
        };
        arm(&mut inotify, &mut t, &tell);
        std::thread::Builder::new()
            .name("watch".into())
            .spawn(move || {
                let mut buffer = [0u8; 4096];
                // Blocks until something happens to the watched path.
                while let Ok(events) = inotify.read_events_blocking(&mut buffer) {
                    let mut changed = false;
                    let mut rearm = false;
                    for event in events {
                        let Some((_, role)) = t.watches.iter().find(|(w, _)| *w == event.wd) else {
                            continue;
                        };
                        let gone = event.mask.intersects(
                            EventMask::DELETE_SELF | EventMask::MOVE_SELF | EventMask::IGNORED,
                        );
                        match role {
                            Role::File => {
                                let written = event.mask.contains(EventMask::CLOSE_WRITE);
                                changed |= written;
                                rearm |= !written;
                            }
                            Role::Dir(own) => {
                                let about_own = event.name == Some(own.as_os_str());
                                changed |= about_own;
                                rearm |= about_own || gone;
                            }
                            Role::Ancestor(missing) => {
                                rearm |= event.name == Some(missing.as_os_str()) || gone;
                            }
                        }
                    }
                    if rearm {
                        let was_whole = t.whole;
                        arm(&mut inotify, &mut t, &tell);
                        changed |= t.whole && !was_whole;
                    }
                    if changed {
                        tell(Change::Changed(t.which));
                    }
                }
            })
            .ok()?;
        Some(())
    }

    // (Re)makes the watches of `t` for what its path is now. A path watched
    // before keeps its watch (adding it again returns the same descriptor):
    // events already queued on it, such as the directory's news that the
    // file was deleted, must still be recognised when they are read.
    fn arm(inotify: &mut Inotify, t: &mut Target, tell: &Tell) {
        let old: Vec<_> = t.watches.drain(..).map(|(wd, _)| wd).collect();
        arm_new(inotify, t, tell);
        for wd in old {
            if !t.watches.iter().any(|(w, _)| *w == wd) {
                let _ = inotify.watches().remove(wd);
            }
        }
    }

    fn arm_new(inotify: &mut Inotify, t: &mut Target, tell: &Tell) {
        let dir = directory(&t.path);
        let Some(name) = t.path.file_name().map(OsString::from) else {
            return;
        };
        let mut add = |path: &Path, mask: WatchMask, role: Role| {
            inotify
                .watches()
                .add(path, mask)
                .map(|wd| t.watches.push((wd, role)))
                .is_ok()
        };
        if add(&dir, NAMES, Role::Dir(name)) {
            // A symlink's target may live elsewhere: watch its name there too.
            if let Ok(real) = std::fs::canonicalize(&t.path)
                && let (Some(real_dir), Some(real_name)) = (real.parent(), real.file_name())
                && real_dir != dir
            {
                add(real_dir, NAMES, Role::Dir(real_name.into()));
            }
            // The file may be missing for a moment (a save by rename): its
            // directory's watch sees it come back.
            add(&t.path, FILE, Role::File);
            if !t.whole {
                tell(Change::Restored(t.which));
            }
            t.whole = true;
            return;
        }
        // The directory is gone: wait where the path breaks off.
        let mut missing = dir.clone();
        while let Some(parent) = missing.parent().map(Path::to_path_buf) {
            if parent.is_dir() {
                let Some(child) = missing.file_name().map(OsString::from) else {
                    break;
                };
                add(&parent, APPEARS, Role::Ancestor(child));
                break;
            }
            missing = parent;
        }
        if t.whole {
            tell(Change::Lost(
                t.which,
                format!(
                    "{}: its directory is gone; watching for it to return",
                    shown_path(&t.path)
                ),
            ));
        }
        t.whole = false;
    }
}

#[cfg(not(target_os = "linux"))]
mod platform {
    use std::path::PathBuf;

    use notify::{RecursiveMode, Watcher};

    use super::{Change, Tell, Watched, Watching, directory};

    pub(super) fn spawn(targets: Vec<(Watched, PathBuf)>, tell: Tell) -> Option<Watching> {
        let names: Vec<(Watched, std::ffi::OsString)> = targets
            .iter()
            .filter_map(|(w, p)| Some((*w, p.file_name()?.to_owned())))
            .collect();
        let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            let Ok(event) = res else { return };
            if matches!(event.kind, notify::EventKind::Access(_)) {
                return;
            }
            for path in &event.paths {
                for (which, name) in &names {
                    if path.file_name() == Some(name.as_os_str()) {
                        tell(Change::Changed(*which));
                    }
                }
            }
        })
        .ok()?;
        for (_, path) in &targets {
            let _ = watcher.watch(&directory(path), RecursiveMode::NonRecursive);
        }
        Some(Watching {
            _inner: Box::new(watcher),
        })
    }
}
