//! A theme's lists: points (nested lists nested points), task items as
//! actions, the items under `Decisions:` / `Actions:` (or `Besluiten:` /
//! `Acties:`), and the `[key:: value]` fields at the end of an item.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::fields::{self, Field, Problem};
use super::{DECISIONS, Inline, Reader, is_inline, trim};
use crate::report::{Decision, MAX_DEPTH, Point, Stamp, Task, TaskState, Theme, stamp};

/// A list item as written, before it is known to be a point, a decision
/// or an action.
pub(super) struct Item {
    /// The item's source.
    at: Range<usize>,
    /// `Some` for a task item: whether its box is checked.
    task: Option<bool>,
    /// Its text, without the fields.
    text: String,
    /// Whether it is a `Decisions:` or `Actions:` item.
    label: Option<Label>,
    /// `[key:: value]` at the end of its first paragraph.
    fields: Vec<Field>,
    /// Its nested list's items.
    children: Vec<Item>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Label {
    Decisions,
    Actions,
}

impl<'s> Reader<'s> {
    /// The items of a list whose start was just read, `depth` lists deep.
    pub(super) fn items(&mut self, first: Option<u64>, depth: usize) -> Result<Vec<Item>, Problem> {
        let mut items = Vec::new();
        let mut number = first;
        while let Some((event, at)) = self.next() {
            match event {
                Event::End(TagEnd::List(_)) => break,
                Event::Start(Tag::Item) => {
                    if depth >= MAX_DEPTH {
                        return Err((
                            at,
                            format!(
                                "nested more than {MAX_DEPTH} levels deep; flatten the structure"
                            ),
                        ));
                    }
                    items.push(self.item(at, number, depth)?);
                    number = number.map(|n| n.saturating_add(1));
                }
                _ => {}
            }
        }
        Ok(items)
    }

    fn item(
        &mut self,
        at: Range<usize>,
        number: Option<u64>,
        depth: usize,
    ) -> Result<Item, Problem> {
        let mut task = None;
        // The first paragraph's inline events, where fields may end it.
        let mut run: Vec<(Event<'s>, Range<usize>)> = Vec::new();
        let mut first_done = false;
        let mut more = Inline::default();
        let mut children = Vec::new();
        while let Some((event, r)) = self.next() {
            match event {
                Event::End(TagEnd::Item) => break,
                Event::TaskListMarker(done) if !first_done && run.is_empty() => task = Some(done),
                Event::Start(Tag::Paragraph) if !first_done => {
                    while let Some((event, r)) = self.next() {
                        match event {
                            Event::End(TagEnd::Paragraph) => break,
                            Event::TaskListMarker(done) if run.is_empty() => task = Some(done),
                            other => run.push((other, r)),
                        }
                    }
                    first_done = true;
                }
                Event::Start(Tag::Paragraph) => {
                    let text = self.inline_until(TagEnd::Paragraph)?.text;
                    more.space(trim(&text));
                }
                Event::Start(Tag::List(first)) => {
                    first_done = true;
                    children.extend(self.items(first, depth + 1)?);
                }
                Event::Start(tag) if !is_inline(&tag) => {
                    first_done = true;
                    let mut blocks = Vec::new();
                    self.flatten(tag, &mut blocks, "", depth + 1)?;
                    more.space(&blocks.join(" "));
                }
                other if first_done => more.event(&other),
                other => run.push((other, r)),
            }
        }
        let region = match (run.first(), run.last()) {
            (Some((_, a)), Some((_, b))) => a.start..b.end.max(a.start),
            _ => at.start..at.start,
        };
        let raw = &self.src[region.clone()];
        let (cut, fields) = fields::trailing(raw, region.start);
        let mut inline = Inline::default();
        for (event, r) in &run {
            if r.start < region.start + cut {
                inline.event(event);
            }
        }
        let label = match super::label(raw) {
            _ if depth > 0 || task.is_some() || !fields.is_empty() => None,
            Some(w) if DECISIONS.contains(&w) => Some(Label::Decisions),
            Some(_) => Some(Label::Actions),
            None => None,
        };
        let mut text = trim(&inline.text).to_owned();
        if !trim(&more.text).is_empty() {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(trim(&more.text));
        }
        if let Some(n) = number {
            text = format!("{n}. {text}");
        }
        Ok(Item {
            at,
            task,
            text,
            label,
            fields,
            children,
        })
    }
}

/// Puts a theme's list into it: points, decisions and actions.
pub(super) fn take(
    theme: &mut Theme,
    in_points: &mut bool,
    items: Vec<Item>,
) -> Result<(), Problem> {
    for item in items {
        match (item.task, item.label) {
            (Some(done), _) => theme.actions.push(action(item, Some(done))?),
            (None, Some(Label::Decisions)) => {
                let label = empty_label(&item)?;
                for child in item.children {
                    if child.task.is_some() {
                        return Err((
                            child.at,
                            format!(
                                "a decision has no box: remove the `[ ]`, or move the action out from under `{label}`"
                            ),
                        ));
                    }
                    theme.decisions.push(decision(child)?);
                }
            }
            (None, Some(Label::Actions)) => {
                empty_label(&item)?;
                for child in item.children {
                    let done = child.task;
                    theme.actions.push(action(child, done)?);
                }
            }
            (None, None) => {
                theme.points.push(point(item)?);
                *in_points = true;
            }
        }
    }
    Ok(())
}

// A `Decisions:` item must have its decisions under it.
fn empty_label(item: &Item) -> Result<String, Problem> {
    let label = item.text.trim().trim_end_matches(':').to_owned();
    if item.children.is_empty() {
        return Err((
            item.at.clone(),
            format!("`{label}:` begins a list: write each one under it, indented (`  - …`)"),
        ));
    }
    Ok(label)
}

fn point(item: Item) -> Result<Point, Problem> {
    if item.task.is_some() {
        return Err((
            item.at,
            "an action (a `- [ ]` item) belongs at the top of the theme's list, or under `Actions:`, not under a point".into(),
        ));
    }
    if item.text.trim().is_empty() {
        return Err((item.at, "a point's `text` is empty".into()));
    }
    let mut p = Point {
        text: item.text,
        ..Point::default()
    };
    for f in item.fields {
        match f.key.as_str() {
            "owner" => p.owner = Some(value(&f, p.owner.is_some())?),
            "due" => p.due = Some(timed(&f, p.due.is_some())?),
            "updated" => p.updated = Some(timed(&f, p.updated.is_some())?),
            _ => return Err(unknown(&f, "a point", "`owner`, `due`, `updated`")),
        }
    }
    p.points = item
        .children
        .into_iter()
        .map(point)
        .collect::<Result<_, _>>()?;
    Ok(p)
}

fn decision(item: Item) -> Result<Decision, Problem> {
    if !item.children.is_empty() {
        return Err((
            item.at,
            "a decision has no points under it; write it as one text".into(),
        ));
    }
    if item.text.trim().is_empty() {
        return Err((item.at, "a decision is empty; write some text".into()));
    }
    let mut d = Decision {
        text: item.text,
        at: None,
    };
    for f in item.fields {
        match f.key.as_str() {
            "at" => d.at = Some(timed(&f, d.at.is_some())?),
            _ => return Err(unknown(&f, "a decision", "`at`")),
        }
    }
    Ok(d)
}

fn action(item: Item, done: Option<bool>) -> Result<Task, Problem> {
    if !item.children.is_empty() {
        return Err((
            item.at,
            "an action has no points under it; write it as one text".into(),
        ));
    }
    if item.text.trim().is_empty() {
        return Err((item.at, "an action's `text` is empty".into()));
    }
    let mut t = Task {
        text: item.text,
        ..Task::default()
    };
    let mut state_at = None;
    for f in item.fields {
        match f.key.as_str() {
            "owner" => t.owner = Some(value(&f, t.owner.is_some())?),
            "due" => t.due = Some(timed(&f, t.due.is_some())?),
            "status" => t.status = Some(value(&f, t.status.is_some())?),
            "state" => {
                value(&f, t.state.is_some())?;
                t.state =
                    Some(TaskState::parse(&f.value).map_err(|why| (f.value_at.clone(), why))?);
                state_at = Some(f.value_at.clone());
            }
            _ => {
                return Err(unknown(
                    &f,
                    "an action",
                    "`owner`, `due`, `state`, `status`",
                ));
            }
        }
    }
    // The box says done or not; with neither `state` nor `status` it is
    // the state, else it must agree with them.
    match done {
        Some(true) if t.state.is_none() && t.status.is_none() => t.state = Some(TaskState::Done),
        Some(done) if done == t.is_open() => {
            let (box_, what) = if done {
                ("[x]", "done")
            } else {
                ("[ ]", "open")
            };
            let at = state_at.unwrap_or(item.at);
            return Err((
                at,
                format!(
                    "the box `{box_}` says the action is {what}, but its `state` or `status` says otherwise; make them agree"
                ),
            ));
        }
        _ => {}
    }
    Ok(t)
}

fn unknown(f: &Field, what: &str, expected: &str) -> Problem {
    (
        f.key_at.clone(),
        format!(
            "unknown key `{}` in `[{}:: …]` of {what}, expected one of {expected}; to write brackets as text, write \\[",
            f.written, f.written
        ),
    )
}

fn value(f: &Field, twice: bool) -> Result<String, Problem> {
    if twice {
        return Err((
            f.key_at.clone(),
            format!("`{}` is given twice; keep one of them", f.written),
        ));
    }
    if f.value.is_empty() {
        return Err((
            f.key_at.clone(),
            format!("`{}` is empty; write a value or leave it out", f.written),
        ));
    }
    Ok(f.value.clone())
}

fn timed(f: &Field, twice: bool) -> Result<Stamp, Problem> {
    value(f, twice)?;
    stamp(f, &f.key)
}

/// A date and time written as TOML writes one, like the TOML loader reads it.
pub(super) fn stamp(f: &Field, key: &str) -> Result<Stamp, Problem> {
    let dt: toml::value::Datetime = f.value.parse().map_err(|_| {
        (
            f.value_at.clone(),
            format!(
                "`{key}` is not a date and time: write it like 2026-11-27T12:00:00+01:00, 2026-11-27T12:00 or 2026-11-27"
            ),
        )
    })?;
    stamp::from_toml(&dt).map_err(|why| (f.value_at.clone(), format!("`{key}` {why}")))
}
