//! What a complete control sequence means as input: the xterm key table
//! (CSI and SS3 forms, `~` codes, modifiers, CSI u), SGR mouse reports,
//! focus and paste markers. Everything else is a reply or unknown.

use super::{KeyCode, Mods, Mouse, MouseKind};

/// The meaning of one CSI sequence.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Csi {
    /// A key.
    Key(KeyCode, Mods),
    /// An SGR mouse report.
    Mouse(Mouse),
    /// Focus in (true) or out.
    Focus(bool),
    /// `CSI 200 ~`: a bracketed paste starts.
    PasteStart,
    /// `CSI 201 ~` outside a paste: ignored.
    PasteEnd,
    /// `CSI M`: a legacy X10 mouse report, whose 3 raw bytes follow.
    X10Mouse,
    /// `CSI [`: the Linux console's F1–F5, whose letter follows.
    LinuxF,
    /// Not input: a terminal's reply, or a sequence nobody sends as a key.
    Reply,
}

/// The modifiers encoded as `1 + bits` in a key's second parameter.
fn modifiers(param: u16) -> Mods {
    let bits = param.saturating_sub(1);
    Mods {
        shift: bits & 1 != 0,
        alt: bits & 2 != 0,
        ctrl: bits & 4 != 0,
    }
}

/// The key of an SS3 sequence (`ESC O x`), if any: cursor and F keys,
/// the keypad in application mode (`p`–`y` its digits), urxvt's
/// Ctrl-arrows (`a`–`d`).
pub(super) fn ss3(c: char) -> Option<(KeyCode, Mods)> {
    let ctrl = Mods {
        ctrl: true,
        ..Mods::default()
    };
    let plain = |code| Some((code, Mods::default()));
    match c {
        'A' => plain(KeyCode::Up),
        'B' => plain(KeyCode::Down),
        'C' => plain(KeyCode::Right),
        'D' => plain(KeyCode::Left),
        'H' => plain(KeyCode::Home),
        'F' => plain(KeyCode::End),
        'P' => plain(KeyCode::F(1)),
        'Q' => plain(KeyCode::F(2)),
        'R' => plain(KeyCode::F(3)),
        'S' => plain(KeyCode::F(4)),
        // Keypad Enter in application mode.
        'M' => plain(KeyCode::Enter),
        'a' => Some((KeyCode::Up, ctrl)),
        'b' => Some((KeyCode::Down, ctrl)),
        'c' => Some((KeyCode::Right, ctrl)),
        'd' => Some((KeyCode::Left, ctrl)),
        // The keypad's digits and signs, as the keys they are labelled.
        'p'..='y' => plain(KeyCode::Char(char::from(b'0' + (c as u8 - b'p')))),
        'j' => plain(KeyCode::Char('*')),
        'k' => plain(KeyCode::Char('+')),
        'l' => plain(KeyCode::Char(',')),
        'm' => plain(KeyCode::Char('-')),
        'n' => plain(KeyCode::Char('.')),
        'o' => plain(KeyCode::Char('/')),
        'X' => plain(KeyCode::Char('=')),
        _ => None,
    }
}

/// The key of a C0 control byte, if any.
pub(super) fn control(b: u8) -> Option<(KeyCode, Mods)> {
    let ctrl = Mods {
        ctrl: true,
        ..Mods::default()
    };
    Some(match b {
        b'\r' | b'\n' => (KeyCode::Enter, Mods::default()),
        b'\t' => (KeyCode::Tab, Mods::default()),
        0x08 => (KeyCode::Backspace, Mods::default()),
        0x00 => (KeyCode::Char(' '), ctrl),
        0x01..=0x1a => (KeyCode::Char(char::from(b - 1 + b'a')), ctrl),
        0x1c..=0x1f => (KeyCode::Char(char::from(b - 0x1c + b'\\')), ctrl),
        _ => return None,
    })
}

/// The meaning of `CSI params inter fin` (`params`: the first value of
/// each parameter; a missing one is 0).
pub(super) fn decode(params: &[u16], inter: &[u8], fin: char) -> Csi {
    let p = |i: usize| params.get(i).copied().unwrap_or(0);
    let n = params.len();
    let mods = if n >= 2 {
        modifiers(p(1))
    } else {
        Mods::default()
    };
    let bare = n == 0 || (n == 1 && p(0) == 0);
    if inter == b"<" && matches!(fin, 'M' | 'm') && n >= 3 {
        return Csi::Mouse(mouse(p(0), p(1), p(2), fin == 'M'));
    }
    if !inter.is_empty() {
        return Csi::Reply;
    }
    if fin == '[' && bare {
        return Csi::LinuxF;
    }
    let code = match fin {
        'A' => KeyCode::Up,
        'B' => KeyCode::Down,
        'C' => KeyCode::Right,
        'D' => KeyCode::Left,
        'H' => KeyCode::Home,
        'F' => KeyCode::End,
        'P' => KeyCode::F(1),
        'Q' => KeyCode::F(2),
        'S' => KeyCode::F(4),
        // `CSI 1;m R` is F3 with modifiers, `CSI row;col R` a cursor
        // position report; they overlap only for row 1, columns 2–16, and
        // briefing never asks for the cursor position.
        'R' if bare || (n == 2 && p(0) == 1 && (2..=16).contains(&p(1))) => KeyCode::F(3),
        'Z' if bare => {
            let shift = Mods {
                shift: true,
                ..Mods::default()
            };
            return Csi::Key(KeyCode::BackTab, shift);
        }
        'I' if bare => return Csi::Focus(true),
        'O' if bare => return Csi::Focus(false),
        'M' if bare => return Csi::X10Mouse,
        '~' => return tilde(params, mods),
        'u' if n >= 1 && p(0) > 0 => code_point(p(0)),
        _ => return Csi::Reply,
    };
    Csi::Key(code, mods)
}

// `CSI n ~` keys, `CSI 27;m;c ~` (modifyOtherKeys) and the paste markers.
fn tilde(params: &[u16], mods: Mods) -> Csi {
    let p = |i: usize| params.get(i).copied().unwrap_or(0);
    let code = match p(0) {
        200 => return Csi::PasteStart,
        201 => return Csi::PasteEnd,
        27 if params.len() >= 3 => code_point(p(2)),
        1 | 7 => KeyCode::Home,
        2 => KeyCode::Insert,
        3 => KeyCode::Delete,
        4 | 8 => KeyCode::End,
        5 => KeyCode::PageUp,
        6 => KeyCode::PageDown,
        n @ 11..=15 => KeyCode::F((n - 10) as u8),
        n @ 17..=21 => KeyCode::F((n - 11) as u8),
        n @ 23..=26 => KeyCode::F((n - 12) as u8),
        n @ 28..=29 => KeyCode::F((n - 15) as u8),
        n @ 31..=34 => KeyCode::F((n - 17) as u8),
        _ => return Csi::Reply,
    };
    Csi::Key(code, mods)
}

// A key given by its code point (CSI u, modifyOtherKeys).
fn code_point(c: u16) -> KeyCode {
    match c {
        13 => KeyCode::Enter,
        9 => KeyCode::Tab,
        8 | 127 => KeyCode::Backspace,
        27 => KeyCode::Esc,
        c => KeyCode::Char(char::from_u32(u32::from(c)).unwrap_or('\u{FFFD}')),
    }
}

// An SGR mouse report: button bits, 1-based column and row.
fn mouse(buttons: u16, col: u16, row: u16, press: bool) -> Mouse {
    let kind = if buttons & 64 != 0 {
        match buttons & 3 {
            0 => MouseKind::WheelUp,
            1 => MouseKind::WheelDown,
            _ => MouseKind::Other,
        }
    } else if press && buttons & (32 | 3) == 0 {
        MouseKind::Press
    } else {
        MouseKind::Other
    };
    Mouse {
        kind,
        col: col.saturating_sub(1),
        row: row.saturating_sub(1),
    }
}
