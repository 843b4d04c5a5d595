//! The themes of the handout: a section per theme (sub-themes inside
//! their theme's), a real heading, the meta line with the age, paragraphs,
//! nested lists of points, decisions and actions as tables, and the change
//! marks in words and symbols.

use super::build::Html;
use super::{BLOCK, Page, capitalised};
use crate::changes::Change;
use crate::doc::{BlockKind, Doc};
use crate::report::stamp;

impl Page<'_> {
    pub(super) fn themes(&self, h: &mut Html) {
        let numbers = numbers(self.doc);
        // Sub-themes are sections inside their theme's section.
        let mut open = 0;
        for (i, e) in self.doc.entries.iter().enumerate() {
            while open > e.depth {
                h.close("section");
                open -= 1;
            }
            open += 1;
            h.newline();
            let id = format!("t{}", i + 1);
            let heading = format!("{id}h");
            h.open("section", &[("id", &id), ("aria-labelledby", &heading)]);
            let tag = ["h2", "h3", "h4", "h5", "h6"][usize::from(e.depth.min(4))];
            h.open(tag, &[("id", &heading)]);
            h.element("span", &[("class", "num")], &numbers[i]);
            h.text(self.doc.title_of(e));
            if let Some(mark) = self.theme_mark(i) {
                h.text(" ");
                h.element("span", &[("class", "mark")], &mark);
            }
            h.close(tag);
            self.blocks(h, i);
        }
        for _ in 0..open {
            h.close("section");
        }
    }

    fn changed(&self, i: usize, block: usize) -> bool {
        self.changes.is_some_and(|c| {
            c.entries.get(i) == Some(&Change::Changed) && c.blocks.get(block) == Some(&true)
        })
    }

    // The mark before a changed block's text.
    fn block_mark(&self, h: &mut Html, i: usize, block: usize) {
        if self.changed(i, block) {
            h.element(
                "span",
                &[("class", "mark")],
                &format!("{BLOCK} {}", self.labels.status_changed),
            );
            h.text(" ");
        }
    }

    fn blocks(&self, h: &mut Html, i: usize) {
        let (doc, l, w) = (self.doc, self.labels, self.words);
        let entry = &doc.entries[i];
        let decisions: Vec<_> = doc.decisions.iter().filter(|d| d.entry == i).collect();
        let actions: Vec<_> = doc.actions.iter().filter(|a| a.entry == i).collect();
        let (mut decision_rows, mut action_rows) = (Vec::new(), Vec::new());
        let mut lists: Vec<bool> = Vec::new(); // open <ul>s: whether an <li> is open
        let close_lists = |h: &mut Html, lists: &mut Vec<bool>, to: usize| {
            while lists.len() > to {
                if lists.pop() == Some(true) {
                    h.close("li");
                }
                h.close("ul");
            }
        };
        for (b, block) in entry
            .blocks
            .clone()
            .zip(doc.blocks.range(entry.blocks.clone()))
        {
            let class = if self.changed(i, b) { "changed" } else { "" };
            match block.kind {
                BlockKind::Title => {}
                BlockKind::Meta => {
                    h.open("p", &[("class", format!("meta {class}").trim())]);
                    self.block_mark(h, i, b);
                    h.text(block.text);
                    if let Some(age) = entry.updated.map(|u| stamp::age(self.now - u)) {
                        h.text(&format!(" ({age} {})", w.before_printing));
                    }
                    if entry.unchanged {
                        h.text(&format!(" · {}", l.status_unchanged));
                    }
                    h.close("p");
                }
                BlockKind::Paragraph => {
                    close_lists(h, &mut lists, 0);
                    h.open("p", &[("class", class)]);
                    self.block_mark(h, i, b);
                    h.text(block.text);
                    h.close("p");
                }
                BlockKind::Point { depth } => {
                    let want = usize::from(depth) + 1;
                    if lists.len() >= want {
                        close_lists(h, &mut lists, want);
                        if let Some(li) = lists.last_mut().filter(|li| **li) {
                            *li = false;
                            h.close("li");
                        }
                    }
                    while lists.len() < want {
                        h.open("ul", &[]);
                        lists.push(false);
                    }
                    h.open("li", &[("class", class)]);
                    if let Some(li) = lists.last_mut() {
                        *li = true;
                    }
                    self.block_mark(h, i, b);
                    h.text(block.text);
                }
                BlockKind::Decision => decision_rows.push(b),
                BlockKind::Task { .. } => action_rows.push(b),
            }
        }
        close_lists(h, &mut lists, 0);
        if !decision_rows.is_empty() {
            h.open("table", &[("class", "items decisions")]);
            h.element("caption", &[], l.decisions);
            header_row(h, &[w.decision, w.at]);
            h.open("tbody", &[]);
            for (d, b) in decisions.iter().zip(decision_rows) {
                h.open("tr", &[]);
                h.open(
                    "td",
                    &[("class", if self.changed(i, b) { "changed" } else { "" })],
                );
                self.block_mark(h, i, b);
                h.text(&d.text);
                h.close("td");
                h.element("td", &[], d.at.as_ref().map_or("", |a| a.text.as_str()));
                h.close("tr");
            }
            h.close("tbody");
            h.close("table");
        }
        if !action_rows.is_empty() {
            h.open("table", &[("class", "items actions")]);
            h.element("caption", &[], l.actions);
            header_row(h, &[w.action, &capitalised(l.owner), w.due, w.state]);
            h.open("tbody", &[]);
            for (a, b) in actions.iter().zip(action_rows) {
                h.open("tr", &[]);
                h.open(
                    "td",
                    &[("class", if self.changed(i, b) { "changed" } else { "" })],
                );
                self.block_mark(h, i, b);
                h.text(&a.text);
                h.close("td");
                h.element("td", &[], a.owner.as_deref().unwrap_or(""));
                h.element("td", &[], a.due.as_ref().map_or("", |d| d.text.as_str()));
                let state = match (a.state, &a.status) {
                    (Some(s), _) => l.task_state(s).to_owned(),
                    (None, Some(s)) => s.clone(),
                    (None, None) if a.open => w.open.to_owned(),
                    (None, None) => w.done.to_owned(),
                };
                // In words and a symbol, not by colour alone.
                let symbol = if a.open { "☐" } else { "☑" };
                h.element("td", &[("class", "state")], &format!("{symbol} {state}"));
                h.close("tr");
            }
            h.close("tbody");
            h.close("table");
        }
        if let Some(&n) = self
            .changes
            .and_then(|c| c.removed.get(i))
            .filter(|n| **n > 0)
        {
            h.element(
                "p",
                &[("class", "removed")],
                &format!("− {}", l.count_removed(n)),
            );
        }
    }
}

fn header_row(h: &mut Html, names: &[&str]) {
    h.open("thead", &[]);
    h.open("tr", &[]);
    for name in names {
        h.element("th", &[("scope", "col")], name);
    }
    h.close("tr");
    h.close("thead");
}
// "3", "3.1", "3.1.2": the themes' numbers, for the contents and headings.
pub(super) fn numbers(doc: &Doc) -> Vec<String> {
    let mut counters: Vec<usize> = Vec::new();
    doc.entries
        .iter()
        .map(|e| {
            let depth = usize::from(e.depth);
            counters.truncate(depth + 1);
            while counters.len() <= depth {
                counters.push(0);
            }
            counters[depth] += 1;
            let parts: Vec<String> = counters.iter().map(usize::to_string).collect();
            parts.join(".")
        })
        .collect()
}
