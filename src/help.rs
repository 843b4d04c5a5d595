//! What help says, as data: the lines of the help overlay, built from the
//! key tables (labels computed from the keys), the mouse gestures and a
//! legend of every mark the screen can show (from the same symbols the
//! screen uses). The state pages through these lines and the UI draws
//! them, so both count the same lines; the README's key tables are made
//! from the same rows ([`markdown`]).

use crate::keymap::{self, Context};
use crate::labels::Labels;
use crate::look::Look;

/// One line of the help overlay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HelpLine {
    /// A section's heading.
    Heading(String),
    /// Keys (or a gesture, or a mark) and what they do.
    Row(String, String),
    /// Space between sections.
    Blank,
}

/// The help's lines, the section for `first` (where help was opened from)
/// first, then the others, the mouse and the marks.
pub fn lines(first: Context, labels: &Labels, look: &Look) -> Vec<HelpLine> {
    let mut contexts = vec![first];
    contexts.extend(Context::ALL.iter().copied().filter(|c| *c != first));
    let mut out = Vec::new();
    for context in contexts {
        section(&mut out, heading(context, labels));
        for b in keymap::table(context) {
            let text = b.help[labels.help_column].to_string();
            out.push(HelpLine::Row(keymap::keys_label(b, look.ascii), text));
        }
    }
    section(&mut out, labels.help_mouse.into());
    for g in keymap::MOUSE {
        out.push(HelpLine::Row(
            g.name[labels.help_column].into(),
            g.help[labels.help_column].into(),
        ));
    }
    section(&mut out, labels.help_marks.into());
    for (mark, meaning) in legend(labels, look) {
        out.push(HelpLine::Row(mark, meaning.into()));
    }
    out
}

fn section(out: &mut Vec<HelpLine>, heading: String) {
    if !out.is_empty() {
        out.push(HelpLine::Blank);
    }
    out.push(HelpLine::Heading(heading));
}

/// The heading of a context's section.
pub fn heading(context: Context, labels: &Labels) -> String {
    match context {
        Context::Browse => labels.help_browse,
        Context::Present => labels.help_present,
        Context::Search => labels.help_search,
        Context::Results => labels.help_results,
        Context::Help => labels.help_help,
        Context::Message => labels.help_message,
        Context::Room => labels.help_room,
        Context::List => labels.help_lists,
        Context::Diff => labels.help_diff,
    }
    .into()
}

/// Every mark the screen can show, as it is drawn here, and what it means.
pub fn legend(labels: &Labels, look: &Look) -> Vec<(String, &'static str)> {
    use crate::doc::BlockKind;
    use crate::report::Status;
    let l = &labels.legend;
    let marker = |k| look.marker(k).unwrap_or("").to_string();
    vec![
        (look.changed_theme_mark().into(), l.changed_theme),
        (look.changed_block_mark().into(), l.changed_block),
        ("[3]".into(), l.hits),
        (
            look.status_mark(&Status::New).unwrap_or("").into(),
            l.status_new,
        ),
        (
            look.status_mark(&Status::Changed).unwrap_or("").into(),
            l.status_changed,
        ),
        (
            look.status_mark(&Status::Closed).unwrap_or("").into(),
            l.status_closed,
        ),
        ("12m 3h 2d".into(), l.age),
        (look.stale_mark().into(), l.stale),
        (look.overdue_mark().into(), l.overdue),
        (marker(BlockKind::Decision), l.decision),
        (marker(BlockKind::Task { open: true }), l.open_action),
        (marker(BlockKind::Task { open: false }), l.done_action),
        (
            format!("{} {}", look.more_above(), look.more_below()),
            l.more,
        ),
        (look.live_mark().into(), l.live),
        (look.ellipsis().into(), l.cut),
    ]
}

/// The lines cut into columns of at most `rows` lines: a column that
/// continues a section starts with its heading again (marked `cont`), a
/// heading never ends a column, and no column starts with a blank line.
pub fn columns(lines: &[HelpLine], rows: usize, cont: &str) -> Vec<Vec<HelpLine>> {
    if rows < 2 {
        // One row (a 5-line terminal): a key and what it does on each
        // page; a heading alone would be all a page showed.
        return lines
            .iter()
            .filter(|l| matches!(l, HelpLine::Row(keys, _) if !keys.is_empty()))
            .map(|l| vec![l.clone()])
            .collect();
    }
    let mut out: Vec<Vec<HelpLine>> = vec![Vec::new()];
    let mut heading: Option<&str> = None;
    for (i, line) in lines.iter().enumerate() {
        let column = out.last_mut().expect("a column");
        let next_is_row = matches!(lines.get(i + 1), Some(HelpLine::Row(..)));
        // A row and the lines its text goes on in (see `wrap_to`) stay together.
        let group = match line {
            HelpLine::Row(keys, _) if !keys.is_empty() => {
                1 + lines[i + 1..]
                    .iter()
                    .take_while(|l| matches!(l, HelpLine::Row(k, _) if k.is_empty()))
                    .count()
            }
            _ => 1,
        };
        let full = column.len() + group.min(rows) > rows
            // A heading (with the blank before it) at the foot of a column
            // goes to the next one.
            || (matches!(line, HelpLine::Heading(_)) && next_is_row && column.len() + 1 >= rows)
            || (matches!(line, HelpLine::Blank) && column.len() + 2 >= rows);
        if full {
            out.push(Vec::new());
            if let (HelpLine::Row(..), Some(h)) = (line, heading) {
                out.last_mut()
                    .expect("a column")
                    .push(HelpLine::Heading(format!("{h} {cont}")));
            }
        }
        let column = out.last_mut().expect("a column");
        match line {
            HelpLine::Blank if column.is_empty() => continue,
            HelpLine::Heading(h) => heading = Some(h),
            _ => {}
        }
        column.push(line.clone());
    }
    out.retain(|c| !c.is_empty());
    out
}

/// The widest a help text is shown: a longer one goes on under itself ([`wrap_to`]).
pub const MAX_TEXT: usize = 44;

/// The width of the key column: the widest key label, plus a gap.
pub fn key_column(lines: &[HelpLine]) -> usize {
    lines
        .iter()
        .map(|l| match l {
            HelpLine::Row(keys, _) => crate::text::display_width(keys),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
        + 2
}

/// The lines for a help `width` columns wide at most: a text that does not
/// fit beside the keys goes on under itself (rows with no keys), so a
/// narrow screen shows all of it instead of cutting it.
pub fn wrap_to(lines: Vec<HelpLine>, width: usize) -> Vec<HelpLine> {
    // The keys take half a narrow column at most, as they are drawn.
    let keys = key_column(&lines).min(width / 2);
    let room = width.saturating_sub(keys).min(MAX_TEXT);
    // Wider rows are cut as before: one word a line would be no help.
    if room < 12 {
        return lines;
    }
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        match line {
            HelpLine::Row(keys, text) if crate::text::display_width(&text) > room => {
                let parts = crate::text::wrap::wrap(&text, room, None);
                for (i, w) in parts.iter().enumerate() {
                    let mut part = text[w.start..w.end].to_string();
                    if w.hyphen {
                        part.push('-');
                    }
                    let keys = if i == 0 { keys.clone() } else { String::new() };
                    out.push(HelpLine::Row(keys, part));
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The width a column of help wants: the key column and the widest text
/// (cut at [`MAX_TEXT`]), or a heading.
pub fn widest(lines: &[HelpLine]) -> usize {
    let keys = key_column(lines);
    lines
        .iter()
        .map(|l| match l {
            HelpLine::Row(_, text) => keys + crate::text::display_width(text).min(MAX_TEXT),
            HelpLine::Heading(h) => crate::text::display_width(h),
            HelpLine::Blank => 0,
        })
        .max()
        .unwrap_or(0)
}

/// The key tables as Markdown (English), for the README: one table per
/// context, rows as in help.
pub fn markdown(labels: &Labels) -> String {
    let look = Look {
        color: false,
        ascii: false,
    };
    let mut out = String::new();
    for context in Context::ALL {
        out.push_str(&format!(
            "| keys | {} |\n|------|------|\n",
            heading(context, labels).to_lowercase()
        ));
        for b in keymap::table(context) {
            let keys: Vec<String> = keymap::keys_label(b, look.ascii)
                .split(' ')
                .map(|k| format!("`{k}`"))
                .collect();
            out.push_str(&format!(
                "| {} | {} |\n",
                keys.join(" "),
                b.help[labels.help_column]
            ));
        }
        out.push('\n');
    }
    out.push_str("| mouse | |\n|------|------|\n");
    for g in keymap::MOUSE {
        out.push_str(&format!(
            "| {} | {} |\n",
            g.name[labels.help_column], g.help[labels.help_column]
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keymap::Key;

    fn all_lines(ascii: bool) -> Vec<HelpLine> {
        let look = Look {
            color: false,
            ascii,
        };
        lines(Context::Browse, &crate::labels::EN, &look)
    }

    /// Help names every bound key …
    #[test]
    fn every_bound_key_is_in_help() {
        for ascii in [false, true] {
            let rows: Vec<String> = all_lines(ascii)
                .iter()
                .filter_map(|l| match l {
                    HelpLine::Row(keys, _) => Some(keys.clone()),
                    _ => None,
                })
                .collect();
            for context in Context::ALL {
                for b in keymap::table(context) {
                    for key in b.keys {
                        let label = keymap::label(*key, ascii);
                        let digit = matches!(key, Key::Char('0'..='9'));
                        assert!(
                            digit || rows.iter().any(|r| r.split(' ').any(|k| k == label)),
                            "{label} ({context:?}) is bound but not in help"
                        );
                    }
                }
            }
        }
    }

    /// … and no key that is not bound.
    #[test]
    fn every_key_in_help_is_bound() {
        let look = Look::default();
        let mut current = Context::Browse;
        for line in lines(Context::Browse, &crate::labels::EN, &look) {
            match line {
                HelpLine::Heading(h) => {
                    if let Some(c) = Context::ALL
                        .iter()
                        .find(|c| heading(**c, &crate::labels::EN) == h)
                    {
                        current = *c;
                    } else {
                        break; // the mouse and the marks follow
                    }
                }
                HelpLine::Row(keys, _) => {
                    for k in keys.split(' ') {
                        if k == "0-9" {
                            continue;
                        }
                        let bound = keymap::table(current)
                            .iter()
                            .flat_map(|b| b.keys)
                            .any(|key| keymap::label(*key, false) == k);
                        assert!(bound, "help names {k} in {current:?}, which is not bound");
                    }
                }
                HelpLine::Blank => {}
            }
        }
    }

    #[test]
    fn help_opened_elsewhere_starts_with_that_context() {
        let look = Look::default();
        for context in Context::ALL {
            let l = lines(context, &crate::labels::NL, &look);
            assert_eq!(
                l[0],
                HelpLine::Heading(heading(context, &crate::labels::NL))
            );
        }
    }

    #[test]
    fn the_legend_has_every_mark_in_both_forms() {
        for ascii in [false, true] {
            let look = Look {
                color: false,
                ascii,
            };
            let legend = legend(&crate::labels::NL, &look);
            assert!(
                legend
                    .iter()
                    .all(|(m, text)| !m.is_empty() && !text.is_empty())
            );
            if ascii {
                assert!(legend.iter().all(|(m, _)| m.is_ascii()), "{legend:?}");
            }
        }
    }
}
