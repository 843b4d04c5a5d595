//! The status line: key hints, search state and position; or the search bar.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::parts::{ALWAYS, Part, fitted};
use super::{fit, put, skip_columns};
use crate::app::{App, Mode};
use crate::keymap;
use crate::text::{display_width, inline};

/// Draws the status line; returns where the terminal cursor goes (search bar only).
pub fn render(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
    let look = &app.look();
    buf.set_style(area, look.status());
    let width = usize::from(area.width);
    // The query typed keeps up to half the line, a problem or notice up to
    // three quarters (as much as it needs: a notice's key is at its end);
    // the hints give way to the right side.
    let left = match app.mode() {
        Mode::Search => {
            (display_width(app.labels().search_prompt) + display_width(&app.search().query) + 1)
                .min(width / 2)
        }
        _ => problem(app).map_or(0, |p| display_width(&p).min(width * 3 / 4)),
    };
    let right = right_side(app, width.saturating_sub(left + 1));
    let right_w = display_width(&right);
    let left_room = width.saturating_sub(right_w + 1);
    let mut cursor = None;
    if app.mode() == Mode::Search {
        let prompt = app.labels().search_prompt;
        let x = put(buf, area, 0, prompt, look.status());
        // The query is echoed sanitised: a pasted escape sequence stays inert.
        let query = inline(&app.search().query);
        let before_cursor = inline(&app.search().query[..app.search().cursor]);
        let room = left_room.saturating_sub(usize::from(x) + 1);
        // Keep the cursor in view: show the end of a query longer than the bar.
        let shown_from = display_width(&before_cursor).saturating_sub(room);
        let visible = skip_columns(&query, shown_from);
        put(buf, area, x, &fit(visible, room, ""), look.status());
        let cx = usize::from(x) + display_width(&before_cursor) - shown_from;
        cursor = Some(Position::new(
            area.x + u16::try_from(cx.min(width.saturating_sub(1))).unwrap_or(0),
            area.y,
        ));
    } else if let Some(notice) = problem(app) {
        put(
            buf,
            area,
            0,
            &fit_with_key(app, &notice, left_room),
            look.notice(),
        );
    } else {
        put(buf, area, 0, &fitted(&hints(app), left_room), look.status());
    }
    if right_w <= width {
        let x = u16::try_from(width - right_w).unwrap_or(0);
        put(buf, area, x, &right, look.status());
    }
    cursor
}

/// What the status line (or the presentation footer) must say instead of
/// the hints: a one-off notice, or why something is not working (the
/// report cannot be reloaded or watched, the presenter's position cannot
/// be followed, followers are not getting ours), most urgent first.
pub fn problem(app: &App) -> Option<String> {
    if let Some(n) = app.notice() {
        return Some(n.to_string());
    }
    // Never mistaken for the current picture: an older version says so.
    if let Some(row) = app.old_version() {
        let l = app.labels();
        let name = match row.number {
            Some(n) => format!("{} {n}", l.version_word),
            None => format!(
                "{} {}",
                l.version_of,
                super::lists::clock_text(app, row.first_seen)
            ),
        };
        return Some(format!(
            "{} {name}: {}{}{}",
            app.look().overdue_mark(),
            l.not_current,
            app.look().separator(),
            l.back_to_current
        ));
    }
    let follow = app.follow().and_then(|f| f.problem.clone());
    let share = app
        .share_problem()
        .map(|why| format!("{}: {why}", app.labels().no_share));
    app.problem()
        .map(|p| p.short.clone())
        .or(follow)
        .or(share)
        .or_else(|| app.watch_problem().map(String::from))
}

/// `message` in `room` columns; when it must be cut, the key to the whole
/// message comes after it, so it is never lost.
pub fn fit_with_key(app: &App, message: &str, room: usize) -> String {
    // There is more to read when the line is cut, or when the whole
    // message (the quoted line, the hint) says more than the line.
    let more = app
        .problem()
        .is_some_and(|p| p.full != p.short && p.short == message);
    if (display_width(message) <= room && !more) || app.messages().is_empty() {
        return fit(message, room, app.look().ellipsis()).into_owned();
    }
    let key = format!(" {}", app.labels().whole_message);
    let cut = fit(
        message,
        room.saturating_sub(display_width(&key)),
        app.look().ellipsis(),
    );
    format!("{cut}{key}")
}

/// The follow marker: following (and whom, if not oneself), detached,
/// presenter gone; `None` when not following or the position is unusable
/// (then [`problem`] says why).
pub fn follow_state(app: &App) -> Option<String> {
    let f = app.follow()?;
    let l = app.labels();
    let whom = f.writer.as_ref().map_or(String::new(), |w| format!(" {w}"));
    Some(match (&f.problem, &f.last, f.live, f.attached) {
        (Some(_), _, _, _) => return None,
        (None, None, _, _) => l.waiting.to_string(),
        (None, Some(_), false, _) => format!("{}{whom} ({})", l.following, l.presenter_gone),
        (None, Some(_), true, true) => {
            format!("{}{whom} {}", l.following, app.look().live_mark())
        }
        (None, Some(_), true, false) => l.detached.to_string(),
    })
}

/// The next update: "volgende update 16:00 (over 25 min)", or once it is
/// past, "⚠ te laat: volgende update 16:00" (with its date when it was due
/// a day or more ago: a time alone reads as today's).
pub fn countdown(app: &App) -> Option<String> {
    let r = app.next_update_in()?;
    let (l, look) = (app.labels(), app.look());
    let at = app
        .doc()
        .next_update
        .as_ref()?
        .text
        .rsplit(' ')
        .next()?
        .to_string();
    if r < 0 {
        let when = if r <= -86_400 {
            app.doc().next_update.as_ref()?.text.clone()
        } else {
            at
        };
        return Some(format!(
            "{} {}: {} {when}",
            look.overdue_mark(),
            l.overdue,
            l.next_update.to_lowercase()
        ));
    }
    let minutes = (r + 59) / 60;
    let left = if r >= 86_400 {
        // Not today: the date as well.
        let when = app.doc().next_update.as_ref()?.text.clone();
        return Some(format!("{} {when}", l.next_update.to_lowercase()));
    } else if minutes >= 60 {
        format!("{} u {} min", minutes / 60, minutes % 60)
    } else {
        format!("{minutes} min")
    };
    Some(format!(
        "{} {at} ({} {left})",
        l.next_update.to_lowercase(),
        l.within
    ))
}

/// The room when serving: how many watch, and the join code to give out.
pub fn room_state(app: &App) -> Option<String> {
    let room = app.room()?;
    let mut s = app.labels().count_viewers(room.count());
    if let Some(code) = &room.code {
        let sep = app.look().separator();
        s.push_str(&format!("{sep}{} {code}", app.labels().code_word));
    }
    Some(s)
}

// The right side in at most `room` columns: search state, the filter, a
// count being typed, staleness, the follow marker, the countdown, the room,
// "reading the rest", and the position "3/7", left to right, kept by need.
fn right_side(app: &App, room: usize) -> String {
    fitted(&right_parts(app), room)
}

/// How much the position is kept: always.
const POSITION: u8 = ALWAYS;

fn right_parts(app: &App) -> Vec<Part> {
    let part = Part::new;
    let mut parts = Vec::new();
    let s = app.search();
    if !s.query.trim().is_empty() {
        let (state, short) = search_state(app);
        if app.mode() == Mode::Search {
            // The search bar says the query; the answer is all there is,
            // its numbers where the whole does not fit.
            return vec![Part {
                short,
                ..part(state, POSITION)
            }];
        }
        let query = fit(&inline(&s.query), 20, app.look().ellipsis()).into_owned();
        parts.push(part(format!("/{query}"), 6));
        // A notice that says the same ("geen treffers") is said once.
        if problem(app).as_deref() != Some(state.as_str()) {
            parts.push(Part {
                short,
                ..part(state, 9)
            });
        }
    }
    if app.filter() != crate::app::Filter::All {
        let name = app.labels().filters[app.filter().index()];
        parts.push(part(format!("[{name}]"), 8));
    }
    if let Some(n) = app.count() {
        parts.push(part(n.to_string(), 8));
    }
    // A report past its next update says so in the countdown ("te laat");
    // the word here is for the theme on screen.
    if app.is_stale(app.selected()) || (app.report_stale() && countdown(app).is_none()) {
        let l = app.labels();
        parts.push(part(format!("{} {}", app.look().stale_mark(), l.stale), 5));
    }
    if let Some(state) = follow_state(app) {
        parts.push(part(state, 7));
    }
    if let Some(next) = countdown(app) {
        // Overdue, the whole report is out of date: kept before the rest,
        // and said in a word where the whole does not fit.
        let overdue = app.next_update_in().is_some_and(|r| r < 0);
        let look = app.look();
        parts.push(Part {
            short: overdue.then(|| format!("{} {}", look.overdue_mark(), app.labels().overdue)),
            ..part(next, if overdue { 6 } else { 4 })
        });
    }
    if let Some(room) = room_state(app) {
        parts.push(part(room, 3));
    }
    // While the rest of a large report is read, its size is not known yet.
    let total = if app.partial() {
        parts.push(part(app.labels().reading_rest.to_string(), 2));
        format!("{}{}", app.doc().entries.len(), app.look().ellipsis())
    } else {
        app.doc().entries.len().to_string()
    };
    parts.push(part(format!("{}/{total}", app.selected() + 1), POSITION));
    parts
}

// "treffer 3/12", "geen treffers", "treffer ?/telt…"; and what it says in
// fewer columns ("3/12"), where it can.
fn search_state(app: &App) -> (String, Option<String>) {
    let s = app.search();
    let (word, counting) = (app.labels().match_word, app.labels().counting);
    // Counted in the first themes only, until the rest is read: said so,
    // as the list's total is.
    let more = if app.partial() {
        app.look().ellipsis()
    } else {
        ""
    };
    let numbers = |n: String| (format!("{word} {n}"), Some(n));
    match (s.matches.count(), app.current_rank()) {
        (Some(0), _) if app.partial() => (app.labels().no_matches_yet.to_string(), None),
        (Some(0), _) => (app.labels().no_matches.to_string(), None),
        (Some(n), Some(i)) => numbers(format!("{}/{n}{more}", i + 1)),
        (Some(n), None) => numbers(format!("-/{n}{more}")),
        // Shown at once; the count follows in a moment.
        (None, _) if s.current.is_some() => numbers(format!("?/{counting}")),
        (None, _) => (counting.to_string(), None),
    }
}

// The hints that matter now, from the key table of the current mode, as
// parts that give way on a narrow line: help (where every key is) and the
// way out go last.
fn hints(app: &App) -> Vec<Part> {
    use crate::action::Action;
    let mut parts = Vec::new();
    let table = keymap::table(app.context()).iter().filter(|b| b.hint);
    for (i, b) in table.enumerate() {
        let label = keymap::hint_label(b, app.look().ascii);
        let said = b.help[app.labels().help_column];
        let said = match app.mode() {
            Mode::List { kind, .. } => super::lists::hint(app, kind, b, said),
            _ => Some(said),
        };
        let keep = match b.action {
            Action::ToggleHelp => 200,
            Action::Quit | Action::Cancel => 150,
            _ => u8::try_from(100usize.saturating_sub(i)).unwrap_or(0),
        };
        if let Some(said) = said {
            parts.push(Part::new(format!("{label} {said}"), keep));
        }
    }
    if app.mode() == Mode::Browse && app.search().active() {
        parts.insert(0, Part::new(app.labels().next_prev_hint.to_string(), 120));
    }
    parts
}
