//! The local loop's work on threads of its own, so the reader never waits
//! for it: the rest of a large report, a reload, the history's timeline
//! and an older version. Each ends as a [`Wake`] the loop takes in.

use std::path::Path;
use std::sync::Arc;

use super::{LocalSession, Loop, Wake, problem};
use crate::app::{App, Effect, Event};
use crate::doc::Doc;
use crate::load::{Loaded, Reload};
use crate::watch::{Change, Watched};

impl Loop<'_> {
    // Reads the whole report (and what was seen of it) on a thread of its own.
    pub(super) fn read_rest(&self) {
        let (source, format, state) = (
            self.config.source.clone(),
            self.config.format,
            self.config.state.clone(),
        );
        let tx = self.tx.clone();
        crate::later::detached("load", move || {
            let keep = state.is_some();
            let rest = crate::load::load_comparing(&source, format, keep, state.as_deref());
            let _ = tx.send(Wake::Rest(Box::new(rest)));
        });
    }

    // The whole report arrived: it replaces the first themes.
    pub(super) fn completed(
        &mut self,
        session: &mut LocalSession,
        loaded: Loaded,
        baseline: Option<crate::changes::Baseline>,
    ) -> Effect {
        self.last_report = loaded.fingerprint;
        let doc = Arc::new(loaded.doc);
        if let Some(server) = &self.server {
            server.publish_doc(doc.clone());
        }
        // Saved while it was being read: read it again.
        if let Some(path) = self.config.file().filter(|_| self.config.watch) {
            let now = std::fs::metadata(path).and_then(|m| Ok((m.len(), m.modified()?)));
            if now.ok() != loaded.before {
                let _ = self.tx.send(Wake::Watch(Change::Changed(Watched::Report)));
            }
        }
        self.keep(doc.clone(), loaded.kept);
        let effect = session.handle(Event::Loaded(doc, baseline));
        crate::sys::release_free_memory();
        effect
    }

    // Whether versions are kept: of a report file, when state is.
    pub(super) fn history(&self) -> Option<&Path> {
        self.config.file().filter(|_| self.config.state.is_some())
    }

    // Reads the timeline of the version `doc` on screen (`kept` in the
    // history when it was loaded), on a thread of its own; the loop hears
    // when it is done.
    pub(super) fn keep(&mut self, doc: Arc<Doc>, kept: Option<crate::history::VersionId>) {
        let (Some(path), Some(id)) = (self.history().map(Path::to_owned), kept) else {
            return;
        };
        self.timeline_for = Some(id);
        let tx = self.tx.clone();
        crate::later::detached("history", move || {
            // Losing the timeline is not worth stopping the browser over:
            // the list of versions says why it has none.
            let t = crate::history::timeline::read_kept(&path, id, &doc)
                .map(Arc::new)
                .map_err(|e| crate::text::inline(&e.to_string()));
            let _ = tx.send(Wake::Timeline(id, t));
        });
    }

    // Loads a version the state asked for, on a thread of its own.
    pub(super) fn fetch(&mut self, app: &App) {
        let (Some((id, _)), Some(path)) = (app.wanted_version(), self.history()) else {
            return;
        };
        if self.asked == Some(id) {
            return;
        }
        let (path, tx) = (path.to_owned(), self.tx.clone());
        self.asked = Some(id);
        crate::later::detached("history", move || {
            let doc = crate::history::timeline::load_id(&path, &id)
                .map(Arc::new)
                .map_err(|e| crate::text::inline(&e.to_string()));
            let _ = tx.send(Wake::Version(id, doc));
        });
    }

    // Reads the report again on a thread of its own: the version on screen
    // stays usable meanwhile (a 52 MB report takes a second). A change
    // while one is read is read after it.
    pub(super) fn start_reload(&mut self, app: &App) {
        let Some(path) = self.config.file().map(Path::to_owned) else {
            return;
        };
        if self.reloading {
            self.again = true;
            return;
        }
        self.reloading = true;
        let (format, last, tx) = (
            self.config.format_of(&path),
            self.last_report,
            self.tx.clone(),
        );
        let keep = self.history().is_some();
        let against = Some(app.reload_against());
        crate::later::detached("reload", move || {
            let reread = crate::load::reload(&path, format, last, keep, against);
            let _ = tx.send(Wake::Reread(reread));
        });
    }

    pub(super) fn reloaded(&mut self, session: &mut LocalSession, result: Reload) -> Effect {
        self.reloading = false;
        let effect = self.apply_reload(session, result);
        // A change while this one was read: read again, against what is
        // on screen now.
        if std::mem::take(&mut self.again) {
            self.start_reload(session.app());
        }
        effect
    }

    fn apply_reload(&mut self, session: &mut LocalSession, result: Reload) -> Effect {
        match result {
            // Editors touch files without changing them; only real changes
            // redraw (or a fixed file after a failed reload).
            Reload::Unchanged if session.app().problem().is_none() => Effect::None,
            Reload::Unchanged => session.handle(Event::Reloaded(session.app().shared_doc(), None)),
            Reload::Changed(doc, fingerprint, kept, compared) => {
                self.last_report = Some(fingerprint);
                let doc = Arc::new(*doc);
                if let Some(server) = &self.server {
                    server.publish_doc(doc.clone());
                }
                self.keep(doc.clone(), kept);
                let effect = session.handle(Event::Reloaded(doc, compared));
                // The old version is gone: its memory goes back.
                crate::sys::release_free_memory();
                effect
            }
            Reload::Failed(e) => session.handle(Event::ReloadFailed(problem(&e))),
        }
    }
}
