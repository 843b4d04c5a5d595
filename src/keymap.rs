//! Keys to actions, per mode. The help overlay and the status-line hints are
//! generated from these tables, so they cannot drift from what the keys do.

use crate::action::Action;
use crate::input;

/// A key, reduced to what the bindings distinguish.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// A printable character (shift already applied).
    Char(char),
    /// A character typed with Ctrl.
    Ctrl(char),
    /// A named key.
    Named(Named),
}

/// Keys without a character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Named {
    /// ↑
    Up,
    /// ↓
    Down,
    /// ←
    Left,
    /// →
    Right,
    /// Page Up
    PageUp,
    /// Page Down
    PageDown,
    /// Home
    Home,
    /// End
    End,
    /// Enter
    Enter,
    /// Esc
    Esc,
    /// Tab
    Tab,
    /// Shift-Tab
    BackTab,
    /// Backspace
    Backspace,
    /// Delete
    Delete,
}

/// Which table applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// Reading: list and text.
    Browse,
    /// Typing in the search bar.
    Search,
    /// The help overlay is open.
    Help,
    /// The overview of matches is open.
    Results,
    /// Presenting one theme at a time.
    Present,
}

/// One row of a key table: the keys, what they do, and how help describes it.
#[derive(Debug)]
pub struct Binding {
    /// The keys that trigger it.
    pub keys: &'static [Key],
    /// The action.
    pub action: Action,
    /// How the keys are written in help ("j ↓").
    pub label: &'static str,
    /// The ASCII spelling of `label`, for terminals without Unicode.
    pub ascii_label: &'static str,
    /// What it does, in English and Dutch.
    pub help: [&'static str; 2],
    /// Whether the status line shows it as a hint.
    pub hint: bool,
}

use Key::{Char as C, Ctrl, Named as N};
use Named::*;

const fn b(
    keys: &'static [Key],
    action: Action,
    label: &'static str,
    ascii_label: &'static str,
    help: [&'static str; 2],
    hint: bool,
) -> Binding {
    Binding {
        keys,
        action,
        label,
        ascii_label,
        help,
        hint,
    }
}

/// Keys while reading.
#[rustfmt::skip]
pub const BROWSE: &[Binding] = &[
    b(&[N(Down), C('j')], Action::Down, "↓ j", "Down j", ["next theme / line down", "volgend thema / regel omlaag"], false),
    b(&[N(Up), C('k')], Action::Up, "↑ k", "Up k", ["previous theme / line up", "vorig thema / regel omhoog"], false),
    b(&[N(Tab)], Action::FocusNext, "Tab", "Tab", ["switch between list and text", "wissel tussen lijst en tekst"], false),
    b(&[N(BackTab)], Action::FocusPrev, "S-Tab", "S-Tab", ["switch back", "wissel terug"], false),
    b(&[N(Left), C('h')], Action::FocusList, "← h", "Left h", ["focus the theme list", "naar de themalijst"], false),
    b(&[N(Right), C('l')], Action::FocusText, "→ l", "Right l", ["focus the text", "naar de tekst"], false),
    b(&[N(Enter)], Action::Enter, "Enter", "Enter", ["read the selected theme", "lees het gekozen thema"], false),
    b(&[C(' ')], Action::Advance, "Space", "Space", ["page down; at the end, next theme", "pagina omlaag; aan het eind volgend thema"], false),
    b(&[N(PageDown), Ctrl('f')], Action::PageDown, "PgDn", "PgDn", ["page down", "pagina omlaag"], false),
    b(&[N(PageUp), C('b'), Ctrl('b')], Action::PageUp, "PgUp b", "PgUp b", ["page up", "pagina omhoog"], false),
    b(&[N(Home), C('g')], Action::Top, "Home g", "Home g", ["first theme / top of text", "eerste thema / begin van de tekst"], false),
    b(&[N(End), C('G')], Action::Bottom, "End G", "End G", ["last theme / end of text", "laatste thema / eind van de tekst"], false),
    b(&[C('/')], Action::SearchStart, "/", "/", ["search", "zoeken"], true),
    b(&[C('n')], Action::NextMatch, "n", "n", ["next match", "volgende treffer"], false),
    b(&[C('N')], Action::PrevMatch, "N", "N", ["previous match", "vorige treffer"], false),
    b(&[C('r')], Action::Results, "r", "r", ["list all matches", "alle treffers op een rij"], false),
    b(&[N(Esc)], Action::Cancel, "Esc", "Esc", ["clear the search highlights", "wis de zoekmarkering"], false),
    b(&[C('p')], Action::TogglePresent, "p", "p", ["present (one theme per screen)", "presenteren (één thema per scherm)"], false),
    b(&[C('F')], Action::Reattach, "F", "F", ["follow the presenter again", "de presentator weer volgen"], false),
    b(&[C('c')], Action::NextChanged, "c", "c", ["next changed theme", "volgend gewijzigd thema"], false),
    b(&[C('f')], Action::CycleFilter, "f", "f", ["filter: all/changed/stale/open actions", "filter: alle/gewijzigd/verouderd/open acties"], false),
    b(&[C('?')], Action::ToggleHelp, "?", "?", ["help", "hulp"], true),
    b(&[Ctrl('l')], Action::Redraw, "C-l", "C-l", ["repaint the screen", "scherm opnieuw tekenen"], false),
    b(&[Ctrl('z')], Action::Suspend, "C-z", "C-z", ["suspend (fg resumes)", "pauzeren (fg hervat)"], false),
    b(&[C('q'), Ctrl('c')], Action::Quit, "q", "q", ["quit", "stoppen"], true),
];

/// Keys while typing a search.
#[rustfmt::skip]
pub const SEARCH: &[Binding] = &[
    b(&[N(Enter)], Action::SearchConfirm, "Enter", "Enter", ["keep the matches, back to reading", "treffers houden, terug naar lezen"], true),
    b(&[N(Esc)], Action::SearchCancel, "Esc", "Esc", ["cancel, back to where you were", "annuleren, terug naar waar u was"], true),
    b(&[Ctrl('r')], Action::Results, "C-r", "C-r", ["list all matches", "alle treffers op een rij"], true),
    b(&[N(Backspace), Ctrl('h')], Action::SearchBackspace, "Bksp", "Bksp", ["delete a character", "teken wissen"], false),
    b(&[N(Delete)], Action::SearchDelete, "Del", "Del", ["delete under the cursor", "teken onder de cursor wissen"], false),
    b(&[N(Left)], Action::SearchLeft, "←", "Left", ["cursor left", "cursor naar links"], false),
    b(&[N(Right)], Action::SearchRight, "→", "Right", ["cursor right", "cursor naar rechts"], false),
    b(&[N(Home), Ctrl('a')], Action::SearchHome, "Home", "Home", ["start of the query", "begin van de zoekterm"], false),
    b(&[N(End), Ctrl('e')], Action::SearchEnd, "End", "End", ["end of the query", "eind van de zoekterm"], false),
    b(&[Ctrl('u')], Action::SearchClear, "C-u", "C-u", ["clear the query", "zoekterm wissen"], false),
    b(&[Ctrl('w')], Action::SearchDeleteWord, "C-w", "C-w", ["delete a word", "woord wissen"], false),
    b(&[N(Down), Ctrl('n')], Action::NextMatch, "↓", "Down", ["next match", "volgende treffer"], false),
    b(&[N(Up), Ctrl('p')], Action::PrevMatch, "↑", "Up", ["previous match", "vorige treffer"], false),
    b(&[Ctrl('c')], Action::Quit, "C-c", "C-c", ["quit", "stoppen"], false),
];

/// Keys while the match overview is open.
#[rustfmt::skip]
pub const RESULTS: &[Binding] = &[
    b(&[N(Down), C('j')], Action::Down, "↓ j", "Down j", ["next match", "volgende treffer"], false),
    b(&[N(Up), C('k')], Action::Up, "↑ k", "Up k", ["previous match", "vorige treffer"], false),
    b(&[N(PageDown), C(' ')], Action::PageDown, "PgDn", "PgDn", ["page down", "pagina omlaag"], false),
    b(&[N(PageUp), C('b')], Action::PageUp, "PgUp", "PgUp", ["page up", "pagina omhoog"], false),
    b(&[N(Home), C('g')], Action::Top, "Home", "Home", ["first match", "eerste treffer"], false),
    b(&[N(End), C('G')], Action::Bottom, "End", "End", ["last match", "laatste treffer"], false),
    b(&[N(Enter)], Action::Enter, "Enter", "Enter", ["go to the match", "ga naar de treffer"], true),
    b(&[N(Esc), C('q'), C('r')], Action::Cancel, "Esc", "Esc", ["close", "sluiten"], true),
    b(&[Ctrl('c')], Action::Quit, "C-c", "C-c", ["quit", "stoppen"], false),
];

/// Keys while presenting.
#[rustfmt::skip]
pub const PRESENT: &[Binding] = &[
    b(&[N(Right), C(' '), N(PageDown), C('l')], Action::RevealNext, "→ Space", "Right Space", ["next point, then next theme", "volgend punt, daarna volgend thema"], true),
    b(&[N(Left), N(Backspace), N(PageUp), C('h')], Action::RevealPrev, "← Bksp", "Left Bksp", ["previous point or theme", "vorig punt of thema"], true),
    b(&[C('a')], Action::ToggleAll, "a", "a", ["all points at once / one by one", "alle punten tegelijk / een voor een"], false),
    b(&[N(Down), C('j')], Action::Down, "↓ j", "Down j", ["scroll down", "omlaag schuiven"], false),
    b(&[N(Up), C('k')], Action::Up, "↑ k", "Up k", ["scroll up", "omhoog schuiven"], false),
    b(&[N(Home), C('g')], Action::Top, "Home", "Home", ["first theme", "eerste thema"], false),
    b(&[N(End), C('G')], Action::Bottom, "End", "End", ["last theme", "laatste thema"], false),
    b(&[C('0'), C('1'), C('2'), C('3'), C('4'), C('5'), C('6'), C('7'), C('8'), C('9')], Action::Digit(0), "3 Enter", "3 Enter", ["go to theme 3", "ga naar thema 3"], false),
    b(&[N(Enter)], Action::Enter, "Enter", "Enter", ["go to the typed theme number", "ga naar het getypte themanummer"], false),
    b(&[C('/')], Action::SearchStart, "/", "/", ["search", "zoeken"], false),
    b(&[C('n')], Action::NextMatch, "n", "n", ["next match", "volgende treffer"], false),
    b(&[C('N')], Action::PrevMatch, "N", "N", ["previous match", "vorige treffer"], false),
    b(&[C('F')], Action::Reattach, "F", "F", ["follow the presenter again", "de presentator weer volgen"], false),
    b(&[N(Esc), C('p')], Action::TogglePresent, "Esc p", "Esc p", ["back to the browser", "terug naar de browser"], true),
    b(&[C('?')], Action::ToggleHelp, "?", "?", ["help", "hulp"], false),
    b(&[Ctrl('l')], Action::Redraw, "C-l", "C-l", ["repaint the screen", "scherm opnieuw tekenen"], false),
    b(&[Ctrl('z')], Action::Suspend, "C-z", "C-z", ["suspend (fg resumes)", "pauzeren (fg hervat)"], false),
    b(&[C('q'), Ctrl('c')], Action::Quit, "q", "q", ["quit", "stoppen"], false),
];

/// Keys while help is shown.
#[rustfmt::skip]
pub const HELP: &[Binding] = &[
    b(&[N(Esc), C('?'), C('q')], Action::ToggleHelp, "Esc ?", "Esc ?", ["close help", "hulp sluiten"], true),
    b(&[N(Down), C('j'), N(PageDown), C(' ')], Action::Down, "↓ j", "Down j", ["scroll down", "omlaag schuiven"], false),
    b(&[N(Up), C('k'), N(PageUp), C('b')], Action::Up, "↑ k", "Up k", ["scroll up", "omhoog schuiven"], false),
    b(&[Ctrl('c')], Action::Quit, "C-c", "C-c", ["quit", "stoppen"], false),
];

/// The table for a context.
pub fn table(context: Context) -> &'static [Binding] {
    match context {
        Context::Browse => BROWSE,
        Context::Search => SEARCH,
        Context::Help => HELP,
        Context::Results => RESULTS,
        Context::Present => PRESENT,
    }
}

/// The action a key triggers in a context, if any. In the search bar, any
/// printable character not bound otherwise is typed into the query.
pub fn action(context: Context, key: Key) -> Option<Action> {
    let bound = table(context)
        .iter()
        .find(|b| b.keys.contains(&key))
        .map(|b| b.action);
    match (context, key, bound) {
        // The digit table row stands for all ten digits.
        (_, Key::Char(c @ '0'..='9'), Some(Action::Digit(_))) => {
            Some(Action::Digit(c as u8 - b'0'))
        }
        (_, _, Some(a)) => Some(a),
        (Context::Search, Key::Char(c), None) => Some(Action::SearchInput(c)),
        _ => None,
    }
}

/// Reduces a decoded key to what the bindings distinguish (Alt is ignored:
/// an Esc typed just before a key arrives as Alt with it).
pub fn key_of(key: input::Key) -> Option<Key> {
    use input::KeyCode as K;
    Some(match key.code {
        K::Char(c) if key.mods.ctrl => Key::Ctrl(c.to_ascii_lowercase()),
        K::Char(c) => Key::Char(c),
        K::Up => N(Up),
        K::Down => N(Down),
        K::Left => N(Left),
        K::Right => N(Right),
        K::PageUp => N(PageUp),
        K::PageDown => N(PageDown),
        K::Home => N(Home),
        K::End => N(End),
        K::Enter => N(Enter),
        K::Esc => N(Esc),
        K::Tab if key.mods.shift => N(BackTab),
        K::Tab => N(Tab),
        K::BackTab => N(BackTab),
        K::Backspace => N(Backspace),
        K::Delete => N(Delete),
        K::Insert | K::F(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for ctx in [
            Context::Browse,
            Context::Search,
            Context::Help,
            Context::Results,
            Context::Present,
        ] {
            let keys: Vec<Key> = table(ctx)
                .iter()
                .flat_map(|b| b.keys.iter().copied())
                .collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(k), "{k:?} bound twice in {ctx:?}");
            }
        }
    }

    #[test]
    fn search_types_unbound_characters_and_keeps_bound_ones() {
        assert_eq!(
            action(Context::Search, Key::Char('q')),
            Some(Action::SearchInput('q'))
        );
        assert_eq!(
            action(Context::Search, Key::Char('/')),
            Some(Action::SearchInput('/'))
        );
        assert_eq!(
            action(Context::Search, Key::Ctrl('w')),
            Some(Action::SearchDeleteWord)
        );
        assert_eq!(action(Context::Browse, Key::Char('q')), Some(Action::Quit));
    }

    #[test]
    fn ctrl_c_quits_everywhere() {
        for ctx in [
            Context::Browse,
            Context::Search,
            Context::Help,
            Context::Results,
            Context::Present,
        ] {
            assert_eq!(action(ctx, Key::Ctrl('c')), Some(Action::Quit), "{ctx:?}");
        }
    }

    #[test]
    fn decoded_keys_become_bindable_keys() {
        use input::{Key as In, KeyCode as K, Mods};
        let plain = |code| In {
            code,
            mods: Mods::default(),
        };
        let ctrl = |c| In {
            code: K::Char(c),
            mods: Mods {
                ctrl: true,
                ..Mods::default()
            },
        };
        assert_eq!(key_of(plain(K::Char('j'))), Some(Key::Char('j')));
        assert_eq!(key_of(ctrl('C')), Some(Key::Ctrl('c')));
        assert_eq!(key_of(plain(K::F(5))), None);
    }
}
