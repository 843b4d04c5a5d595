//! A report's timeline from its kept versions: each version is loaded and
//! compared with the one before it (`crate::versions`), within a budget so
//! that a history of large reports costs bounded time and memory.

use std::path::Path;
use std::sync::Arc;

use super::{Format, Header, History, HistoryError, VersionId, VersionMeta};
use crate::doc::Doc;
use crate::versions::{Row, Since, Timeline};

/// Versions are compared only while their texts add up to at most this,
/// and only versions no larger than [`COMPARE_MAX`]: all of a normal
/// report's history; for a large report the list without counts, so that
/// keeping its history costs no memory beyond the text being kept (each
/// version loaded is several times its size).
const COMPARE_BUDGET: u64 = 8 * 1024 * 1024;
/// The largest version that is loaded to be compared.
const COMPARE_MAX: u64 = 1024 * 1024;

/// How a report's format maps to the history's.
pub fn format_of(format: crate::report::Format) -> Format {
    match format {
        crate::report::Format::Toml => Format::Toml,
        crate::report::Format::Markdown => Format::Markdown,
    }
}

/// The timeline of `report`, whose version `current` (kept already) is
/// on screen as `doc`.
pub fn read_kept(
    report: &Path,
    current: VersionId,
    doc: &Arc<Doc>,
) -> Result<Timeline, HistoryError> {
    read(&History::open(report)?, report, current, Some(doc))
}

/// The timeline of `history`, `current` being the version on screen (and
/// `shown` its prepared report, when the caller has it: not loaded again).
pub fn read(
    history: &History,
    report: &Path,
    current: VersionId,
    shown: Option<&Arc<Doc>>,
) -> Result<Timeline, HistoryError> {
    let versions = history.list()?;
    // Newest first until the budget is spent: those are compared.
    let mut budget = COMPARE_BUDGET;
    let mut loaded: Vec<Option<Arc<Doc>>> = vec![None; versions.len()];
    for (i, v) in versions.iter().enumerate().rev() {
        if v.size > budget || v.size > COMPARE_MAX {
            break;
        }
        budget -= v.size;
        loaded[i] = match shown.filter(|_| v.id == current) {
            Some(doc) => Some(doc.clone()),
            None => load_doc(history, v, report).ok().map(Arc::new),
        };
    }
    let rows: Vec<Row> = versions
        .iter()
        .enumerate()
        .map(|(i, v)| Row {
            id: v.id,
            number: v.header.number,
            phase: v.header.phase,
            as_of: v.header.as_of,
            as_of_text: loaded[i]
                .as_ref()
                .and_then(|d| d.version.as_of.as_ref().map(|a| a.text.clone())),
            first_seen: v.first_seen,
            counts: match (
                i.checked_sub(1).and_then(|p| loaded[p].as_ref()),
                &loaded[i],
            ) {
                (Some(old), Some(new)) => Some(crate::versions::compare(old, new)),
                _ => None,
            },
            current: v.id == current,
        })
        .collect();
    // The unbroken run of loaded versions that ends with the current one.
    let mut run: Vec<(Since, Arc<Doc>)> = Vec::new();
    if let Some(at) = versions.iter().position(|v| v.id == current) {
        for (i, v) in versions.iter().enumerate().take(at + 1).rev() {
            let Some(doc) = &loaded[i] else { break };
            run.push((since_of(v), doc.clone()));
        }
        run.reverse();
    }
    Ok(Timeline {
        rows,
        unchanged_since: crate::versions::unchanged_since(&run),
        decided_in: crate::versions::decided_in(&run),
    })
}

/// A kept version, prepared to show.
pub fn load_doc(history: &History, v: &VersionMeta, report: &Path) -> Result<Doc, HistoryError> {
    let text = history.load_version(v)?;
    let format = match v.format {
        Format::Toml => crate::report::Format::Toml,
        Format::Markdown => crate::report::Format::Markdown,
    };
    Doc::from_source_as(text, report, format).map_err(|e| HistoryError::Corrupt {
        path: v.path.clone(),
        reason: e.one_line(),
    })
}

/// The version `id` of `report`, prepared to show.
pub fn load_id(report: &Path, id: &VersionId) -> Result<Doc, HistoryError> {
    let history = History::open(report)?;
    let versions = history.list()?;
    let v = versions
        .iter()
        .find(|v| v.id == *id)
        .ok_or_else(|| HistoryError::NotFound {
            dir: history.dir().to_owned(),
            what: id.short(),
        })?;
    load_doc(&history, v, report)
}

fn since_of(v: &VersionMeta) -> Since {
    match v.header.number {
        Some(n) => Since::Number(n),
        None => Since::Seen(v.first_seen),
    }
}

/// The two versions `a` and `b` of `report` name (`14`, `prev`, `newest`,
/// `last-seen`, …: see [`super::Spec`]), after keeping `doc`, the version on
/// disk now; with their names for people.
pub fn two_versions(
    report: Option<&Path>,
    format: Option<crate::report::Format>,
    doc: &Doc,
    a: &str,
    b: &str,
) -> Result<(Doc, Doc, (String, String)), HistoryError> {
    let report = report.ok_or(HistoryError::NoReportFile)?;
    let history = History::open(report)?;
    let text = crate::report::read_text(report, crate::report::MAX_BYTES).map_err(|e| {
        HistoryError::Corrupt {
            path: report.to_owned(),
            reason: e.one_line(),
        }
    })?;
    let format = crate::report::Format::resolve(format, report);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    history.record_with(&text, format_of(format), Header::from(&doc.version), now)?;
    let last_seen = crate::state::last_seen(report);
    let pick = |spec: &str| -> Result<(Doc, String), HistoryError> {
        let spec: super::Spec = spec.parse()?;
        let v = history.resolve(&spec, last_seen.as_ref())?;
        let name = match v.header.number {
            Some(n) => format!("{} {n}", crate::labels::for_lang(doc.lang).version_word),
            None => v.id.short(),
        };
        Ok((load_doc(&history, &v, report)?, name))
    };
    let (old, old_name) = pick(a)?;
    let (new, new_name) = pick(b)?;
    Ok((old, new, (old_name, new_name)))
}
