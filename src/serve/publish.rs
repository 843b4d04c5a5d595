//! A new version for the room, compared once for every viewer.
//!
//! A viewer marks what changed since the version they saw, as the local
//! browser does. Left to themselves, each of a hundred viewers would hash
//! the old and the new version on their own session thread: about 0.2 s of
//! CPU each at 52 MB. Most viewers hold the same baseline (the version on
//! screen when they joined or when the last version came, nothing recorded
//! since), so the comparison is made once per baseline here, and each
//! viewer takes the one that holds for them; a viewer whose own record
//! differs compares for themselves, as before.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use tokio::sync::watch;

use super::Broadcast;
use crate::changes::{Against, Compared, Seen};
use crate::doc::Doc;

/// A new version compared with one baseline, as the room holds it: the
/// version it was compared with by a weak reference only, so that the room
/// never keeps an old version alive (at 52 MB, another 113 MB) once the
/// viewers have let go of it.
pub struct Comparison {
    /// The version on screen it was compared with.
    shown: Weak<Doc>,
    /// The baseline it was compared with (none: the version on screen).
    seen: Option<Arc<Seen>>,
    /// What was seen, as the viewer is to hold it now.
    result: Arc<Seen>,
    /// The new version against it.
    changes: crate::changes::Changes,
}

impl Comparison {
    fn of(c: Compared) -> Comparison {
        Comparison {
            shown: Arc::downgrade(&c.against.shown),
            seen: c.against.seen,
            result: c.seen,
            changes: c.changes,
        }
    }
}

/// Publishes versions of the report into the room.
pub(super) struct Publisher {
    publish: watch::Sender<Broadcast>,
    /// The baseline the last comparison gave to viewers who had none: what
    /// they hold until they record a theme of their own.
    baseline: Mutex<Option<Arc<Seen>>>,
    /// The newest version asked for: an older one, compared later, is not
    /// published over it.
    wanted: AtomicU64,
}

impl Publisher {
    /// A publisher into `publish`.
    pub(super) fn new(publish: watch::Sender<Broadcast>) -> Arc<Publisher> {
        Arc::new(Publisher {
            publish,
            baseline: Mutex::new(None),
            wanted: AtomicU64::new(0),
        })
    }

    /// The channel, for what is published without a comparison.
    pub(super) fn sender(&self) -> &watch::Sender<Broadcast> {
        &self.publish
    }

    /// Compares `doc` on a thread of its own, then shows it to every viewer;
    /// the caller (the presenter's loop) never waits.
    pub(super) fn publish_doc(self: &Arc<Self>, doc: Arc<Doc>) {
        let n = self.wanted.fetch_add(1, Ordering::SeqCst) + 1;
        let me = Arc::clone(self);
        let detached = crate::later::detached("publish", {
            let doc = Arc::clone(&doc);
            let me = Arc::clone(&me);
            move || me.compare_and_publish(doc, n)
        });
        if detached.is_none() {
            // No thread to be had: published as it is; viewers compare.
            me.publish.send_modify(|b| {
                b.doc = doc;
                b.compared = Vec::new();
            });
        }
    }

    /// Compares `doc` with what the room shows, for each baseline viewers
    /// hold, and publishes both, unless a newer version was asked for.
    pub(super) fn compare_and_publish(&self, doc: Arc<Doc>, n: u64) {
        // One at a time: each compares with what the one before published.
        let mut baseline = self.baseline.lock().unwrap_or_else(PoisonError::into_inner);
        if self.wanted.load(Ordering::SeqCst) != n {
            return;
        }
        let shown = self.publish.borrow().doc.clone();
        let against = |seen: Option<Arc<Seen>>| Against {
            seen,
            shown: Arc::clone(&shown),
            version: 0,
        };
        // Viewers with no baseline yet: the version on screen is theirs.
        let fresh = against(None).compare(&doc);
        let kept = baseline
            .clone()
            .map(|seen| against(Some(seen)).compare(&doc));
        *baseline = Some(Arc::clone(&fresh.seen));
        let compared = std::iter::once(fresh)
            .chain(kept)
            .map(|c| Arc::new(Comparison::of(c)))
            .collect();
        if self.wanted.load(Ordering::SeqCst) == n {
            self.publish.send_modify(|b| {
                b.doc = doc;
                b.compared = compared;
            });
        }
    }
}

/// The comparison among `compared` that holds for a viewer about to be
/// compared `against` (see [`Against::holds`]): made with the version it
/// shows and the baseline it holds, nothing recorded since.
pub(super) fn holding(compared: &[Arc<Comparison>], against: &Against) -> Option<Compared> {
    let same_seen = |c: &Comparison| match (&c.seen, &against.seen) {
        (None, None) => true,
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        _ => false,
    };
    compared
        .iter()
        .find(|c| {
            // The weak reference keeps the address: no other version has it.
            std::ptr::eq(c.shown.as_ptr(), Arc::as_ptr(&against.shown))
                && same_seen(c)
                && against.version == 0
        })
        .map(|c| Compared {
            against: against.clone(),
            seen: Arc::clone(&c.result),
            changes: c.changes.clone(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{App, Event};
    use crate::changes::Change;
    use crate::report::Report;

    fn marks(app: &App) -> Vec<Change> {
        (0..app.doc().entries.len())
            .map(|i| app.change(i))
            .collect()
    }

    fn doc(body: &str) -> Arc<Doc> {
        let src = format!(
            "title = \"R\"\n[[theme]]\ntitle = \"A\"\nbody = \"{body}\"\n[[theme]]\ntitle = \"B\"\nbody = \"twee\"\n"
        );
        Arc::new(Doc::new(
            &Report::from_toml(&src, std::path::Path::new("r.toml")).expect("valid"),
        ))
    }

    fn room(doc: Arc<Doc>) -> (Arc<Publisher>, watch::Receiver<Broadcast>) {
        let (tx, rx) = watch::channel(Broadcast {
            doc,
            lead: None,
            goodbye: None,
            timeline: None,
            compared: Vec::new(),
        });
        (Publisher::new(tx), rx)
    }

    /// Two versions in a row: a viewer who joined at the first and one who
    /// joined at the second each find a comparison that holds, and end
    /// with the marks they would have made themselves.
    #[test]
    fn each_viewer_takes_the_comparison_made_for_their_baseline() {
        let v1 = doc("een");
        let (publisher, rx) = room(Arc::clone(&v1));
        let mut early = App::bare(Arc::clone(&v1), 80, 24);
        let mut alone = App::bare(Arc::clone(&v1), 80, 24);

        let v2 = doc("een, gewijzigd");
        publisher.compare_and_publish(Arc::clone(&v2), 0);
        let b = rx.borrow().clone();
        assert!(Arc::ptr_eq(&b.doc, &v2));
        let c = holding(&b.compared, &early.reload_against()).expect("holds");
        early.handle(Event::Reloaded(Arc::clone(&v2), Some(c)));
        alone.handle(Event::Reloaded(Arc::clone(&v2), None));
        assert_eq!(marks(&early), marks(&alone));
        assert_ne!(marks(&early)[0], Change::Same, "A changed");

        let mut late = App::bare(Arc::clone(&v2), 80, 24);
        let mut late_alone = App::bare(Arc::clone(&v2), 80, 24);
        let v3 = doc("een, gewijzigd, weer");
        publisher.compare_and_publish(Arc::clone(&v3), 0);
        let b = rx.borrow().clone();
        assert_eq!(b.compared.len(), 2, "one per baseline");
        for (viewer, by_itself) in [(&mut early, &mut alone), (&mut late, &mut late_alone)] {
            let c = holding(&b.compared, &viewer.reload_against()).expect("one holds");
            viewer.handle(Event::Reloaded(Arc::clone(&v3), Some(c)));
            by_itself.handle(Event::Reloaded(Arc::clone(&v3), None));
            assert_eq!(marks(viewer), marks(by_itself));
        }
    }

    /// The room does not keep the version before alive: once nobody shows
    /// it, it is freed.
    #[test]
    fn the_room_lets_the_old_version_go() {
        let v1 = doc("een");
        let (publisher, rx) = room(Arc::clone(&v1));
        let old = Arc::downgrade(&v1);
        publisher.compare_and_publish(doc("twee"), 0);
        drop(v1);
        assert!(
            old.upgrade().is_none(),
            "held by the room: {}",
            rx.borrow().compared.len()
        );
    }

    /// An older version compared after a newer one was asked for is not
    /// published over it.
    #[test]
    fn a_stale_comparison_is_not_published() {
        let (publisher, rx) = room(doc("een"));
        publisher.wanted.store(2, Ordering::SeqCst);
        let v1 = doc("oud");
        publisher.compare_and_publish(Arc::clone(&v1), 1);
        assert!(!Arc::ptr_eq(&rx.borrow().doc, &v1));
        let v2 = doc("nieuw");
        publisher.compare_and_publish(Arc::clone(&v2), 2);
        assert!(Arc::ptr_eq(&rx.borrow().doc, &v2));
    }
}
