//! Driving the browser in-process as a reader would: a key script through
//! the real keymap (helix's `test((before, keys, after))` is the model), and
//! the whole screen it then shows, as text rows. For tests and benchmarks:
//! `press(&mut app, "/crisis<Enter>nN")`.
//!
//! A script is characters, each a key, and `<Name>` for named keys:
//! `<Enter> <Esc> <Tab> <S-Tab> <Up> <Down> <Left> <Right> <PgUp> <PgDn>
//! <Home> <End> <Bksp> <Del> <F1> <Space> <lt>` (`<` itself), and `<C-x>`
//! for Ctrl with a letter.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::{App, Effect};
use crate::keymap::{self, Key, Named};

/// The keys of `script`. Panics on an unknown `<Name>`: a script is test code.
pub fn keys(script: &str) -> Vec<Key> {
    let mut out = Vec::new();
    let mut rest = script;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
        {
            out.push(named(&rest[1..end]));
            rest = &rest[end + 1..];
        } else {
            out.push(Key::Char(c));
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

fn named(name: &str) -> Key {
    use Named::*;
    if let Some(c) = name.strip_prefix("C-").and_then(|s| s.chars().next()) {
        return Key::Ctrl(c);
    }
    Key::Named(match name {
        "Enter" => Enter,
        "Esc" => Esc,
        "Tab" => Tab,
        "S-Tab" => BackTab,
        "Up" => Up,
        "Down" => Down,
        "Left" => Left,
        "Right" => Right,
        "PgUp" => PageUp,
        "PgDn" => PageDown,
        "Home" => Home,
        "End" => End,
        "Bksp" => Backspace,
        "Del" => Delete,
        "F1" => F1,
        "Space" => return Key::Char(' '),
        "lt" => return Key::Char('<'),
        other => panic!("unknown key <{other}> in a script"),
    })
}

/// Presses the keys of `script`, each through the keymap of the context it
/// finds the app in; returns the strongest effect.
pub fn press(app: &mut App, script: &str) -> Effect {
    let mut effect = Effect::None;
    for key in keys(script) {
        if let Some(action) = keymap::action(app.context(), key) {
            effect = effect.max(app.update(action));
        }
    }
    effect
}

/// The whole screen `app` shows, one string per row (trailing blanks
/// trimmed, so a test can write the rows it expects as they read).
pub fn screen(app: &App) -> Vec<String> {
    let (w, h) = app.size();
    let mut t = match Terminal::new(TestBackend::new(w, h)) {
        Ok(t) => t,
        Err(e) => match e {},
    };
    if t.draw(|f| crate::ui::render(app, f)).is_err() {
        return Vec::new();
    }
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            let row: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
            row.trim_end().to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_name_their_keys() {
        assert_eq!(
            keys("/a<Enter><C-r><lt>"),
            [
                Key::Char('/'),
                Key::Char('a'),
                Key::Named(Named::Enter),
                Key::Ctrl('r'),
                Key::Char('<')
            ]
        );
    }
}
