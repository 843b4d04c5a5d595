//! The lists over the body: the timeline of versions, every action by due
//! time, every decision. Each is a table in a frame, the highlighted row in
//! reverse video; the report's words are shown inert (they are already
//! sanitised in the `Doc`).

use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::style::Style;

use super::{fit, put};
use crate::app::{App, ListKind};
use crate::keymap::Context;
use crate::text::display_width;
use crate::versions::{Row, Since};

/// Draws list `kind` over `body`, rows from `offset`, `cursor` highlighted.
pub fn render(
    app: &App,
    body: Rect,
    kind: ListKind,
    cursor: usize,
    offset: usize,
    buf: &mut Buffer,
) {
    let (look, l) = (app.look(), app.labels());
    let which = which(kind);
    let (header, rows) = table(app, kind);
    let title = format!(" {} ({}) ", l.list_titles[which], rows.len());
    let hint = |b: &crate::keymap::Binding, said| hint(app, kind, b, said);
    super::overlay(app, body, &title, Context::List, hint, buf);
    let inner = body.inner(Margin::new(1, 1));
    if inner.height == 0 {
        return;
    }
    let line = |y: u16| Rect::new(inner.x, inner.y + y, inner.width, 1);
    let room = usize::from(inner.width);
    if kind == ListKind::Versions && app.timeline().is_none() {
        let why = match app.no_versions() {
            None => l.loading.to_string(),
            Some(crate::app::NoVersions::NoState) => l.no_versions[0].to_string(),
            Some(crate::app::NoVersions::NoFile) => l.no_versions[1].to_string(),
            Some(crate::app::NoVersions::Unreadable(e)) => format!("{}{e}", l.no_versions[2]),
        };
        put(
            buf,
            line(0),
            0,
            &fit(&why, room, look.ellipsis()),
            look.meta(),
        );
        return;
    }
    if rows.is_empty() {
        put(
            buf,
            line(0),
            0,
            &fit(l.list_empty[which], room, look.ellipsis()),
            look.meta(),
        );
        return;
    }
    // Which columns a narrow screen leaves out first (the last, what a row
    // says, always stays): the version's name, an action's time and owner
    // stay longest.
    let keep: &[u8] = match kind {
        ListKind::Versions => &[9, 3, 5, 2],
        ListKind::Actions => &[6, 4, 5, 2],
        ListKind::Decisions => &[5, 3, 2],
    };
    let widths = widths(&header, &rows, room, keep);
    put(
        buf,
        line(0),
        0,
        &join(&header, &widths, look.ellipsis()),
        look.meta(),
    );
    let shown = u16::try_from(app.areas().list_rows()).unwrap_or(u16::MAX);
    let table_end = inner.height.min(shown.saturating_add(1));
    for (y, (i, row)) in (1..table_end).zip(rows.iter().enumerate().skip(offset)) {
        let area = line(y);
        let mut style = if row.alert {
            look.notice()
        } else {
            Style::new()
        };
        if i == cursor {
            buf.set_style(area, look.list_selected_focused());
            style = style.patch(look.list_selected_focused());
        }
        put(
            buf,
            area,
            0,
            &join(&row.cells, &widths, look.ellipsis()),
            style,
        );
    }
    let detail = app.areas().list_detail_rows().min(inner.height - table_end);
    if let (Some(row), true) = (rows.get(cursor), detail > 0) {
        let area = Rect::new(inner.x, inner.y + table_end, inner.width, detail);
        render_detail(app, row, area, buf);
    }
}

// The highlighted row whole, under a rule: its last cell (what it says)
// wrapped, then the other cells, as the table cuts them on a narrow screen.
fn render_detail(app: &App, row: &Line, area: Rect, buf: &mut Buffer) {
    let look = app.look();
    for x in area.left()..area.right() {
        buf[(x, area.y)].set_symbol(look.divider(true));
    }
    let width = usize::from(area.width);
    let Some((text, rest)) = row.cells.split_last() else {
        return;
    };
    let rest: Vec<&str> = rest
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    let mut lines: Vec<(String, Style)> = Vec::new();
    for (para, style) in [
        (text.clone(), Style::new()),
        (rest.join(" · "), look.meta()),
    ] {
        for w in crate::text::wrap::wrap(&para, width, None) {
            let hyphen = if w.hyphen { "-" } else { "" };
            lines.push((format!("{}{hyphen}", &para[w.start..w.end]), style));
        }
    }
    let room = usize::from(area.height.saturating_sub(1));
    if lines.len() > room
        && let Some((last, _)) = lines.get_mut(room.saturating_sub(1))
    {
        // Cut: the last line that fits says so.
        let cut = format!("{last} {}", look.ellipsis());
        *last = fit(&cut, width, look.ellipsis()).into_owned();
    }
    for (y, (line, style)) in (area.y + 1..area.bottom()).zip(lines) {
        put(buf, Rect::new(area.x, y, area.width, 1), 0, &line, style);
    }
}

/// What the hint for `b` says in list `kind` (`said`: its words in the
/// key table; none: not hinted there). `d` diffs versions: only the
/// timeline has it; Enter says what it does in this list.
pub(super) fn hint(
    app: &App,
    kind: ListKind,
    b: &crate::keymap::Binding,
    said: &'static str,
) -> Option<&'static str> {
    let which = which(kind);
    match b.action {
        crate::action::Action::Diff if kind != ListKind::Versions => None,
        crate::action::Action::Enter => Some(app.labels().list_enter[which]),
        _ => Some(said),
    }
}

// Where list `kind`'s words are in the labels' arrays of three.
fn which(kind: ListKind) -> usize {
    match kind {
        ListKind::Versions => 0,
        ListKind::Actions => 1,
        ListKind::Decisions => 2,
    }
}

/// One row of a list: its cells, and whether it needs attention (overdue).
struct Line {
    cells: Vec<String>,
    alert: bool,
}

// The headings and rows of list `kind`.
fn table(app: &App, kind: ListKind) -> (Vec<String>, Vec<Line>) {
    let l = app.labels();
    let doc = app.doc();
    let theme = |entry: usize| doc.entry_title(entry).to_owned();
    match kind {
        ListKind::Versions => {
            let rows = app.timeline().map_or(&[][..], |t| &t.rows[..]);
            let shown = app.shown_row().map(|r| r.id);
            let lines = rows
                .iter()
                .map(|r| Line {
                    cells: version_cells(app, r, Some(r.id) == shown),
                    alert: false,
                })
                .collect();
            (l.timeline_columns.map(String::from).to_vec(), lines)
        }
        ListKind::Actions => {
            let lines = app
                .actions_by_due()
                .into_iter()
                .map(|i| {
                    let a = &doc.actions[i];
                    let overdue = app.overdue(i);
                    let due = a.due.as_ref().map_or(String::new(), |d| d.text.clone());
                    let state = match (a.state, &a.status) {
                        (Some(s), _) => l.task_state(s).to_string(),
                        (None, Some(s)) => s.clone(),
                        // Nothing said of it: still to do.
                        (None, None) if a.open => l.open_state.to_string(),
                        (None, None) => String::new(),
                    };
                    let mark = if overdue {
                        format!("{} {} ", app.look().overdue_mark(), l.overdue)
                    } else {
                        String::new()
                    };
                    Line {
                        cells: vec![
                            format!("{mark}{due}"),
                            state,
                            a.owner.clone().unwrap_or_default(),
                            theme(a.entry),
                            a.text.clone(),
                        ],
                        alert: overdue,
                    }
                })
                .collect();
            (l.action_columns.map(String::from).to_vec(), lines)
        }
        ListKind::Decisions => {
            // Which version a decision came in is known of the current one.
            let decided_in = app
                .timeline()
                .filter(|_| app.old_version().is_none())
                .map(|t| &t.decided_in);
            let lines = doc
                .decisions
                .iter()
                .enumerate()
                .map(|(i, d)| Line {
                    cells: vec![
                        d.at.as_ref().map_or(String::new(), |a| a.text.clone()),
                        decided_in
                            .and_then(|v| v.get(i).copied().flatten())
                            .map_or(String::new(), |s| since_text(app, s)),
                        theme(d.entry),
                        d.text.clone(),
                    ],
                    alert: false,
                })
                .collect();
            (l.decision_columns.map(String::from).to_vec(), lines)
        }
    }
}

// A timeline row's cells: version, phase, as of, first seen, what changed.
fn version_cells(app: &App, r: &Row, shown: bool) -> Vec<String> {
    let l = app.labels();
    let name = match r.number {
        Some(n) => format!("{} {n}", l.version_word),
        None => format!("{} {}", l.version_of, clock_text(app, r.first_seen)),
    };
    let marker = if shown { app.look().live_mark() } else { " " };
    let counts = r.counts.map_or(String::new(), |c| {
        let [tn, tc, tr] = c.themes;
        let [bn, bc, br] = c.blocks;
        let [an, ad, ac] = c.actions;
        let mut parts = vec![
            format!("{} {tn}/{tc}/{tr}", l.timeline_counts[0]),
            format!("{} {bn}/{bc}/{br}", l.timeline_counts[1]),
        ];
        if an + ad + ac > 0 {
            parts.push(format!("{} {an}/{ad}/{ac}", l.timeline_counts[2]));
        }
        if c.decisions > 0 {
            parts.push(format!("{} {}", l.timeline_counts[3], c.decisions));
        }
        parts.join(app.look().separator())
    });
    vec![
        format!("{marker} {name}"),
        r.phase.map_or(String::new(), |p| l.phase(p).to_string()),
        r.as_of_text
            .clone()
            .or_else(|| r.as_of.map(|t| clock_text(app, t)))
            .unwrap_or_default(),
        clock_text(app, r.first_seen),
        counts,
    ]
}

/// A version named for people: "sitrep 13", or "versie van 27-11 14:02".
pub fn since_text(app: &App, since: Since) -> String {
    match since {
        Since::Number(n) => format!("{} {n}", app.labels().version_word),
        Since::Seen(t) => format!("{} {}", app.labels().version_of, clock_text(app, t)),
    }
}

/// `unix` as local day-month and time, from the offset the clock tells.
pub fn clock_text(app: &App, unix: i64) -> String {
    let offset = app.clock().map_or(0, |c| {
        let day = 86_400i64;
        let local = i64::from(c.local.0) * 3600 + i64::from(c.local.1) * 60;
        let now = i64::try_from(c.unix).unwrap_or(0);
        let off = (local - now.rem_euclid(day)).rem_euclid(day);
        // Offsets east of +12:00 are written as negative ones.
        let off = if off > 14 * 3600 { off - day } else { off };
        (off + 450).div_euclid(900) * 900
    });
    let t = unix + offset;
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    let date = crate::report::stamp::utc(days * 86_400);
    // "2026-12-01T…": day and month.
    let (month, day) = (&date[5..7], &date[8..10]);
    format!("{day}-{month} {:02}:{:02}", secs / 3600, secs % 3600 / 60)
}

// Column widths: every column as wide as its widest cell, but the last
// takes what is left; on a narrow screen the others give way, the least
// needed (`keep`, one for each but the last) left out first (width 0).
fn widths(header: &[String], rows: &[Line], room: usize, keep: &[u8]) -> Vec<usize> {
    let n = header.len();
    let mut w: Vec<usize> = (0..n)
        .map(|c| {
            std::iter::once(&header[c])
                .chain(rows.iter().map(|r| &r.cells[c]))
                .map(|s| display_width(s))
                .max()
                .unwrap_or(0)
        })
        .collect();
    // The last column keeps at least a quarter of the room: the widest of
    // the others give way, a column at a time.
    let budget = room - room / 4;
    let used = |w: &[usize]| {
        w.iter()
            .take(n - 1)
            .filter(|&&x| x > 0)
            .map(|x| x + 2)
            .sum::<usize>()
    };
    // A column no row says anything in is left out.
    for (c, width) in w.iter_mut().enumerate().take(n - 1) {
        if rows.iter().all(|r| r.cells[c].trim().is_empty()) {
            *width = 0;
        }
    }
    // Left out, least needed first, while the rest does not fit whole;
    // the most needed stays.
    while used(&w) > budget {
        let shown: Vec<usize> = (0..n - 1).filter(|&c| w[c] > 0).collect();
        let least = shown
            .iter()
            .copied()
            .min_by_key(|&c| keep.get(c).copied().unwrap_or(0))
            .filter(|_| shown.len() > 1);
        match least {
            Some(c) => w[c] = 0,
            None => break,
        }
    }
    while used(&w) > budget {
        let Some(widest) = (0..n - 1).max_by_key(|&c| w[c]).filter(|&c| w[c] > 6) else {
            break;
        };
        w[widest] -= 1;
    }
    w[n - 1] = room.saturating_sub(used(&w));
    w
}

fn join(cells: &[String], widths: &[usize], ellipsis: &str) -> String {
    let mut s = String::new();
    let last = cells.len().saturating_sub(1);
    for (i, (c, &w)) in cells.iter().zip(widths).enumerate() {
        // A column left out (width 0), not the last: nothing, not even its gap.
        if w == 0 && i < last {
            continue;
        }
        let cell = fit(c, w, ellipsis);
        s.push_str(&cell);
        if i < last {
            s.push_str(&" ".repeat(w.saturating_sub(display_width(&cell)) + 2));
        }
    }
    s
}
