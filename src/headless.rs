//! Serving without a local terminal (`--serve` with stdin or stdout not a
//! terminal: a service, a container, `nohup`): the report and, with
//! `--follow`, a presenter's position file are watched and passed on to the
//! viewers; the audit log goes to stderr. It ends on SIGINT, SIGTERM or
//! SIGHUP, with a goodbye to every viewer.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

use crate::config::Config;
use crate::error::Error;
use crate::load::{self, Loaded, Reload};
use crate::serve::Server;
use crate::share;
use crate::watch::{self, Change, Watched};

/// Editors save in several steps; wait this long for quiet before reloading.
const SETTLE: Duration = Duration::from_millis(30);

enum Wake {
    Watch(Change),
    Signal(i32),
}

/// Serves until a terminating signal; returns the exit code.
pub fn serve(config: &Config, loaded: Loaded) -> Result<u8, Error> {
    let Some(options) = &config.serve else {
        return Ok(0);
    };
    let doc = Arc::new(loaded.doc);
    let first = doc.clone();
    let labels = config
        .labels
        .unwrap_or_else(|| crate::labels::for_lang(doc.lang));
    let server = Server::start(options, true, doc, crate::term::viewer_setup(config), || {})?;
    for line in server.banner() {
        crate::output::warn(&line);
    }
    let (tx, rx) = mpsc::channel();
    let mut signals =
        signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]).map_err(Error::Terminal)?;
    let signal_tx = tx.clone();
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            let _ = signal_tx.send(Wake::Signal(sig));
        }
    });
    let watch_tx = tx.clone();
    let _watching = watch::spawn(
        config.file().filter(|_| config.watch),
        config.follow.as_deref(),
        move |change| {
            let _ = watch_tx.send(Wake::Watch(change));
        },
    );
    if let Some(path) = &config.follow {
        lead(&server, path);
    }
    keep(config, &server, &first, loaded.kept);
    let mut last = loaded.fingerprint;
    let code = loop {
        let Ok(first) = rx.recv() else { break 0 };
        // A batch: what is queued now, and (a save in several steps) what
        // comes while the report settles.
        let (mut reload_due, mut lead_due, mut ended) = (false, false, None);
        let mut next = Some(first);
        while let Some(wake) = next {
            match wake {
                Wake::Signal(sig) => ended = Some(128 + u8::try_from(sig).unwrap_or(0)),
                Wake::Watch(Change::Changed(Watched::Report)) => reload_due = true,
                Wake::Watch(Change::Changed(Watched::Position)) => lead_due = true,
                Wake::Watch(Change::Lost(which, why)) => {
                    crate::output::warn(&format!("{which:?} no longer watched: {why}"));
                }
                Wake::Watch(Change::Restored(_)) => {}
            }
            next = match rx.try_recv() {
                Ok(w) => Some(w),
                Err(_) if reload_due && ended.is_none() => rx.recv_timeout(SETTLE).ok(),
                Err(_) => None,
            };
        }
        if let Some(code) = ended {
            break code;
        }
        if reload_due
            && let Some(path) = config.file()
            && let Some((doc, kept)) = reload(
                &server,
                path,
                config.format_of(path),
                &mut last,
                config.state.is_some(),
            )
        {
            keep(config, &server, &doc, kept);
        }
        if lead_due && let Some(path) = &config.follow {
            lead(&server, path);
        }
    };
    server.close(labels.goodbye.to_string());
    Ok(code)
}

fn lead(server: &Server, path: &Path) {
    server.publish_lead(share::read(path).map_err(|e| e.to_string()));
}

// Reads the report again; the new version, if it is one.
fn reload(
    server: &Server,
    path: &Path,
    format: crate::report::Format,
    last: &mut Option<u64>,
    keep: bool,
) -> Option<(Arc<crate::doc::Doc>, Option<crate::history::VersionId>)> {
    // Versions are kept where what was seen is (not with --no-state).
    let keep = crate::state::directory().is_some() && keep;
    match load::reload(path, format, *last, keep, None) {
        Reload::Unchanged => None,
        Reload::Changed(doc, fingerprint, kept, _) => {
            *last = Some(fingerprint);
            let doc = Arc::new(*doc);
            server.publish_doc(doc.clone());
            Some((doc, kept))
        }
        // Viewers keep the last good version; whoever runs the server is told.
        Reload::Failed(e) => {
            crate::output::warn(&crate::text::sanitize(&format!("not reloaded: {e}")));
            None
        }
    }
}

// Gives the viewers the timeline of the version `doc` (`kept` in the
// history when it was loaded; none is kept without state).
fn keep(
    config: &Config,
    server: &Server,
    doc: &Arc<crate::doc::Doc>,
    kept: Option<crate::history::VersionId>,
) {
    let (Some(path), Some(id)) = (config.file().filter(|_| config.state.is_some()), kept) else {
        return;
    };
    match crate::history::timeline::read_kept(path, id, doc) {
        Ok(t) => server.publish_timeline(Arc::new(t)),
        Err(e) => crate::output::warn(&crate::text::sanitize(&format!("versions not read: {e}"))),
    }
}
