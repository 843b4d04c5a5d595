//! The handout: `briefing --html REPORT > handout.html` writes one
//! self-contained HTML file to print or mail. No scripts and no external
//! resources (a Content-Security-Policy says so to the browser too), the
//! style sheet inline; the classification at the top and bottom of every
//! printed A4 page, the version header, a table of contents, the themes
//! with their status, owner and age, decisions and actions as tables,
//! `lang` from the report, real headings and lists for screen readers.
//!
//! Everything comes from the [`Doc`], whose text is already sanitised, and
//! is escaped on the way out by the one function in `build`.
//!
//! ```text
//! ┌──────────── TLP:AMBER · title ────────────┐  ← on every printed page
//! │ kind / h1 title / subtitle                │
//! │ facts: classification, sitrep, as of, …   │
//! │ legend of the change marks (--since)      │
//! │ Contents: 1 Theme ● / 1.1 Sub …           │
//! │ h2 1 Theme ◆ changed                      │
//! │   meta: status · owner · updated (age)    │
//! │   paragraphs, nested points               │
//! │   table Decisions | table Actions         │
//! └──────────────── TLP:AMBER ────────────────┘
//! ```

mod build;
mod themes;
mod words;

use std::path::Path;

use build::Html;
use themes::numbers;
use words::{EN, NL, Words};

use crate::changes::{Change, Changes, Seen};
use crate::config::Source;
use crate::doc::Doc;
use crate::error::LoadError;
use crate::labels::{self, Labels};
use crate::report::{Format, TLP_LABELS, stamp};
use crate::text::hyphenate::Lang;

const STYLE: &str = include_str!("handout.css");

/// The older version a handout marks its changes against.
pub struct Baseline {
    /// What its reader saw: the blocks of each theme.
    pub seen: Seen,
    /// How the handout names it ("sitrep-13.toml (sitrep 13)").
    pub label: String,
}

/// Resolves `--since` to the version to compare with. Today `spec` is a
/// file; the version history will also resolve a version number here.
pub fn since(spec: &Path, format: Option<Format>) -> Result<Baseline, LoadError> {
    let old = crate::load::load_as(&Source::File(spec.to_owned()), format)?.doc;
    let name = crate::text::shown_path(spec);
    let label = match old.version.number {
        Some(n) => format!("{name} ({} {n})", labels::for_lang(old.lang).version_word),
        None => name,
    };
    Ok(Baseline {
        seen: Seen::of(&old),
        label,
    })
}

/// The current time in Unix seconds: when the handout is printed.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

const NEW: &str = "●";
const CHANGED: &str = "◆";
const BLOCK: &str = "✱";

/// The handout of `doc`, marked against `since` when given; `now` (Unix
/// seconds) is when it is printed, for the ages.
pub fn render(doc: &Doc, since: Option<&Baseline>, now: i64) -> String {
    let changes = since.map(|b| Changes::compare(doc, &b.seen));
    let page = Page {
        doc,
        labels: labels::for_lang(doc.lang),
        words: match doc.lang {
            Lang::Nl => &NL,
            Lang::En => &EN,
        },
        changes: changes.as_ref(),
        now,
    };
    let mut h = Html::new();
    h.markup("<!DOCTYPE html>\n");
    h.open(
        "html",
        &[(
            "lang",
            match doc.lang {
                Lang::Nl => "nl",
                Lang::En => "en",
            },
        )],
    );
    page.head(&mut h);
    h.open("body", &[]);
    h.newline();
    page.running(&mut h);
    // The page table's empty head and foot repeat on every printed page,
    // keeping the text clear of the fixed classification lines.
    h.open("table", &[("class", "page"), ("role", "presentation")]);
    h.markup("<thead><tr><td><div class=\"space\"></div></td></tr></thead>");
    h.markup("<tfoot><tr><td><div class=\"space\"></div></td></tr></tfoot>");
    h.markup("<tbody><tr><td>\n");
    page.header(&mut h, since);
    page.contents(&mut h);
    h.open("main", &[]);
    page.themes(&mut h);
    h.close("main");
    h.markup("\n</td></tr></tbody></table>\n");
    h.close("body");
    h.close("html");
    h.newline();
    h.finish()
}

struct Page<'a> {
    doc: &'a Doc,
    labels: &'static Labels,
    words: &'static Words,
    changes: Option<&'a Changes>,
    now: i64,
}

impl Page<'_> {
    fn head(&self, h: &mut Html) {
        h.open("head", &[]);
        h.markup("<meta charset=\"utf-8\">\n");
        // No script, no image, no font, no connection: only the inline style.
        h.markup("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
        h.markup("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        let title = match &self.doc.classification {
            Some(c) => format!("{} [{c}]", self.doc.title),
            None => self.doc.title.clone(),
        };
        h.element("title", &[], &title);
        h.markup("\n<style>\n");
        h.markup(STYLE);
        h.markup("</style>\n");
        h.close("head");
    }

    // The lines repeated at the top and bottom of every printed page; a
    // screen reader hears the classification once, in the header.
    fn running(&self, h: &mut Html) {
        let class = self.doc.classification.as_deref();
        let tlp = class.and_then(tlp_class).unwrap_or("");
        let top = match class {
            Some(c) => format!("{c} · {}", self.doc.title),
            None => self.doc.title.clone(),
        };
        h.element(
            "div",
            &[
                ("class", format!("run top {tlp}").trim()),
                ("aria-hidden", "true"),
            ],
            &top,
        );
        h.newline();
        h.element(
            "div",
            &[
                ("class", format!("run bottom {tlp}").trim()),
                ("aria-hidden", "true"),
            ],
            class.unwrap_or(&self.doc.title),
        );
        h.newline();
    }

    fn header(&self, h: &mut Html, since: Option<&Baseline>) {
        let (doc, l, w) = (self.doc, self.labels, self.words);
        h.open("header", &[]);
        if let Some(kind) = &doc.kind {
            h.element("p", &[("class", "kind")], kind);
        }
        h.element("h1", &[], &doc.title);
        if let Some(sub) = &doc.subtitle {
            h.element("p", &[("class", "subtitle")], sub);
        }
        let v = &doc.version;
        let version = match (v.number, v.phase) {
            (Some(n), Some(p)) => Some(format!("{} {n} ({})", l.version_word, l.phase(p))),
            (Some(n), None) => Some(format!("{} {n}", l.version_word)),
            (None, Some(p)) => Some(l.phase(p).to_owned()),
            (None, None) => None,
        };
        let facts = [
            (w.classification, doc.classification.clone()),
            (w.version, version),
            (l.as_of, v.as_of.as_ref().map(|s| s.text.clone())),
            (l.prepared_by, v.prepared_by.clone()),
            (l.approved_by, v.approved_by.clone()),
            (l.source, doc.source.clone()),
            (w.date, doc.date.clone()),
            (l.updated, doc.updated.as_ref().map(|s| s.text.clone())),
            (
                l.next_update,
                doc.next_update.as_ref().map(|s| s.text.clone()),
            ),
            (w.printed, Some(stamp::local_text(self.now))),
        ];
        h.open("dl", &[("class", "facts")]);
        for (term, value) in facts {
            if let Some(value) = value {
                h.element("dt", &[], &capitalised(term));
                h.element("dd", &[], &value);
            }
        }
        h.close("dl");
        if let (Some(b), Some(c)) = (since, self.changes) {
            h.open("p", &[("class", "legend")]);
            h.text(&format!(
                "{} {}: {NEW} {}, {CHANGED} {}, {BLOCK} {}.",
                w.compared, b.label, w.new_theme, w.changed_theme, w.changed_block
            ));
            h.close("p");
            if !c.removed_themes.is_empty() {
                h.open("p", &[("class", "removed")]);
                h.text(&format!(
                    "{}: {}",
                    w.removed_themes,
                    c.removed_themes.join("; ")
                ));
                h.close("p");
            }
        }
        h.close("header");
        h.newline();
    }

    fn contents(&self, h: &mut Html) {
        h.open("nav", &[("class", "toc"), ("aria-labelledby", "toc")]);
        h.element("h2", &[("id", "toc")], self.words.contents);
        let numbers = numbers(self.doc);
        let mut depth = 0;
        h.open("ol", &[]);
        for (i, e) in self.doc.entries.iter().enumerate() {
            if i > 0 {
                if e.depth > depth {
                    h.open("ol", &[]);
                } else {
                    h.close("li");
                    for _ in e.depth..depth {
                        h.close("ol");
                        h.close("li");
                    }
                }
            }
            depth = e.depth;
            h.open("li", &[]);
            h.open("a", &[("href", &format!("#t{}", i + 1))]);
            h.element("span", &[("class", "num")], &numbers[i]);
            h.text(self.doc.title_of(e));
            h.close("a");
            if let Some(mark) = self.theme_mark(i) {
                h.text(" ");
                h.element("span", &[("class", "mark")], &mark);
            }
        }
        if !self.doc.entries.is_empty() {
            h.close("li");
            for _ in 0..depth {
                h.close("ol");
                h.close("li");
            }
        }
        h.close("ol");
        h.close("nav");
        h.newline();
    }

    // "● new theme" / "◆ changed theme", or nothing.
    fn theme_mark(&self, i: usize) -> Option<String> {
        match self.changes?.entries.get(i)? {
            Change::New => Some(format!("{NEW} {}", self.labels.status_new)),
            Change::Changed => Some(format!("{CHANGED} {}", self.labels.status_changed)),
            Change::Same => None,
        }
    }
}

// The colour class of a TLP label; the label's words say it too.
fn tlp_class(c: &str) -> Option<&'static str> {
    let classes = [
        "tlp-clear",
        "tlp-green",
        "tlp-amber",
        "tlp-amber",
        "tlp-red",
    ];
    TLP_LABELS.iter().position(|l| *l == c).map(|i| classes[i])
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
