//! The browser in a pty, as its tests drive it: waiting for a theme
//! position, reading its panels, quitting it with the terminal restored.
//! (What a screen shows after keys is tested in-process, in `src/ui/tests`;
//! these are for what needs the real program in a terminal.)

use crate::bytes::{mouse_off, restored};
use crate::pty::{DEFAULT_TIMEOUT, Pty};
use crate::screen;

/// Waits (settled, [`Pty::wait_settled`]) until the status line ends with
/// the theme position `i/n`.
pub fn wait_position(p: &Pty, i: usize, n: usize) {
    let want = format!("{i}/{n}");
    p.wait_settled(&format!("status position {want}"), |s| {
        screen::status(s).ends_with(&want)
    });
}

/// Quits with q; checks exit code 0 and a restored terminal (alternate
/// screen left, cursor shown, mouse reporting off).
pub fn quit(p: &mut Pty) {
    p.key("q");
    assert_eq!(p.wait_exit(DEFAULT_TIMEOUT), Some(0), "q must exit 0");
    p.wait_eof(DEFAULT_TIMEOUT);
    let raw = p.raw();
    assert!(restored(&raw), "terminal not restored after q");
    assert!(mouse_off(&raw), "mouse reporting left on after q");
}

/// The width of the theme list side by side with the text (the layout's
/// rule, `src/layout.rs`: a third of the width, 16 to 36 columns).
pub fn list_width(s: &vt100::Screen) -> u16 {
    (screen::cols(s) / 3).clamp(16, 36)
}

/// The first column of the text panel (side by side).
pub fn text_x(s: &vt100::Screen) -> u16 {
    list_width(s) + 2
}

/// The text panel's rows (side by side), joined with newlines.
pub fn text_panel(s: &vt100::Screen) -> String {
    let x = text_x(s);
    (1..screen::rows(s) - 1)
        .map(|r| screen::region(s, r, x, screen::cols(s) - x))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text panel's first row: the theme's title when scrolled to the top.
pub fn text_top(s: &vt100::Screen) -> String {
    let x = text_x(s);
    // A note may stand to the right of the title ("ongewijzigd sinds …"),
    // depending on whether the history was read yet: only the title counts.
    let row = screen::region(s, 1, x, screen::cols(s) - x);
    let text = row.trim_start();
    let indent = &row[..row.len() - text.len()];
    format!("{indent}{}", text.split("  ").next().unwrap_or_default())
}
