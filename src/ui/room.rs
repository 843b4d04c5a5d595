//! The list of viewers (serving over SSH), over the body: how to join, the
//! host key's fingerprint to check, and who is connected.

use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::style::Style;

use super::{fit, put};
use crate::app::App;
use crate::keymap::Context;
use crate::room::{Room, Viewer};
use crate::text::{display_width, inline};

/// Draws the list over `body`.
pub fn render(app: &App, body: Rect, buf: &mut Buffer) {
    let Some(room) = app.room() else { return };
    let (look, l) = (app.look(), app.labels());
    let title = format!(" {} · {} ", l.room_title, l.count_viewers(room.count()));
    super::overlay(app, body, &title, Context::Room, |_, h| Some(h), buf);
    let inner = body.inner(Margin::new(2, 1));
    let rows = lines(app, room);
    for (i, (line, style)) in rows.iter().enumerate().take(usize::from(inner.height)) {
        let area = Rect::new(inner.x, inner.y + i as u16, inner.width, 1);
        put(
            buf,
            area,
            0,
            &fit(line, usize::from(inner.width), look.ellipsis()),
            *style,
        );
    }
}

// The overlay's lines: how to join, then a table of viewers.
fn lines(app: &App, room: &Room) -> Vec<(String, Style)> {
    let (look, l) = (app.look(), app.labels());
    let mut head = vec![(l.join_with, room.join.clone())];
    if let Some(code) = &room.code {
        head.push((l.code_word, code.clone()));
    }
    head.push((l.host_key, room.fingerprint.clone()));
    let key_w = head
        .iter()
        .map(|(k, _)| display_width(k))
        .max()
        .unwrap_or(0);
    let mut out: Vec<(String, Style)> = head
        .into_iter()
        .map(|(k, v)| {
            let pad = key_w - display_width(k);
            (format!("{k}{:pad$}  {v}", ""), Style::new())
        })
        .collect();
    out.push((String::new(), Style::new()));
    if room.viewers.is_empty() {
        out.push((l.nobody_yet.to_string(), look.meta()));
        return out;
    }
    let cells: Vec<[String; 5]> = room.viewers.iter().map(|v| row(app, v)).collect();
    let header = l.room_columns.map(String::from);
    let mut widths = [0usize; 5];
    for r in std::iter::once(&header).chain(&cells) {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(display_width(c));
        }
    }
    let join = |r: &[String; 5]| {
        let mut s = String::new();
        for (i, (c, w)) in r.iter().zip(widths).enumerate() {
            s.push_str(c);
            if i < 4 {
                s.push_str(&" ".repeat(w - display_width(c) + 2));
            }
        }
        s
    };
    out.push((join(&header), look.meta()));
    out.extend(cells.iter().map(|r| (join(r), Style::new())));
    out
}

// One viewer's cells; names and addresses come from outside: shown inert.
fn row(app: &App, v: &Viewer) -> [String; 5] {
    let l = app.labels();
    let following = l.viewer_states[match v.following {
        Some(true) => 0,
        Some(false) => 1,
        None => 2,
    }]
    .to_string();
    [
        fit(&inline(&v.name), 24, app.look().ellipsis()).into_owned(),
        inline(&v.address),
        local_time(app, v.since),
        following,
        format!("{}x{}", v.size.0, v.size.1),
    ]
}

// The wall-clock time of `unix`, from the offset the last clock tick tells.
fn local_time(app: &App, unix: u64) -> String {
    let Some(c) = app.clock() else {
        return String::new();
    };
    let day = 86_400i64;
    let now_local = i64::from(c.local.0) * 3600 + i64::from(c.local.1) * 60;
    let now = i64::try_from(c.unix).unwrap_or(0);
    // The clock tells minutes only; time zones are whole quarters of an hour.
    let offset = ((now_local - now % day).rem_euclid(day) + 450) / 900 * 900;
    let t = (i64::try_from(unix).unwrap_or(0) + offset).rem_euclid(day);
    format!("{:02}:{:02}", t / 3600, t % 3600 / 60)
}
