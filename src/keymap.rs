//! Keys to actions, per context. Everything said about a key (help, the
//! status line's hints, the README's tables) is computed from these
//! bindings, the labels too ([`label`]), so nothing can name a key that is
//! not bound or miss one that is (gitui's `key_config` is the model).

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
    /// F1, help everywhere (where `?` is text, as in the search bar).
    F1,
}

/// Which table applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// Reading: list and text.
    Browse,
    /// Presenting one theme at a time.
    Present,
    /// Typing in the search bar.
    Search,
    /// The overview of matches is open.
    Results,
    /// The help overlay is open.
    Help,
    /// A whole message (an error) is open.
    Message,
    /// The list of viewers is open.
    Room,
    /// The timeline, the actions or the decisions are listed.
    List,
    /// A diff between versions is shown.
    Diff,
}

impl Context {
    /// Every context, in the order help lists them.
    pub const ALL: [Context; 9] = [
        Context::Browse,
        Context::Present,
        Context::Search,
        Context::Results,
        Context::Help,
        Context::Message,
        Context::List,
        Context::Diff,
        Context::Room,
    ];
}

/// One row of a key table: the keys, what they do, and how help says it.
#[derive(Debug)]
pub struct Binding {
    /// The keys that trigger it.
    pub keys: &'static [Key],
    /// The action.
    pub action: Action,
    /// What it does, in English and Dutch.
    pub help: [&'static str; 2],
    /// Whether the status line shows it as a hint.
    pub hint: bool,
}

use Key::{Char as C, Ctrl, Named as N};
use Named::*;

const fn b(keys: &'static [Key], action: Action, help: [&'static str; 2], hint: bool) -> Binding {
    Binding {
        keys,
        action,
        help,
        hint,
    }
}

const DIGITS: &[Key] = &[
    C('0'),
    C('1'),
    C('2'),
    C('3'),
    C('4'),
    C('5'),
    C('6'),
    C('7'),
    C('8'),
    C('9'),
];

/// Keys while reading; the first rows are what a new reader needs first.
#[rustfmt::skip]
pub const BROWSE: &[Binding] = &[
    b(&[N(Down), C('j')], Action::Down, ["next theme / line down", "volgend thema / regel omlaag"], false),
    b(&[N(Up), C('k')], Action::Up, ["previous theme / line up", "vorig thema / regel omhoog"], false),
    b(&[N(Enter), N(Right), C('l')], Action::FocusText, ["read the selected theme", "lees het gekozen thema"], false),
    b(&[C(' ')], Action::Advance, ["page down; at the end, next theme", "pagina omlaag; aan het eind volgend thema"], false),
    b(&[C('/')], Action::SearchStart, ["search", "zoeken"], true),
    b(&[C('p')], Action::TogglePresent, ["present (one theme per screen)", "presenteren (één thema per scherm)"], false),
    b(&[C('?'), N(F1)], Action::ToggleHelp, ["help", "hulp"], true),
    b(&[C('q'), Ctrl('c')], Action::Quit, ["quit", "stoppen"], true),
    b(&[N(Left), C('h')], Action::FocusList, ["back to the theme list", "terug naar de themalijst"], false),
    b(&[N(Tab)], Action::FocusNext, ["switch between list and text", "wissel tussen lijst en tekst"], false),
    b(&[N(BackTab)], Action::FocusPrev, ["switch back", "wissel terug"], false),
    b(&[N(PageDown), C('f'), Ctrl('f')], Action::PageDown, ["page down", "pagina omlaag"], false),
    b(&[N(PageUp), C('b'), Ctrl('b')], Action::PageUp, ["page up", "pagina omhoog"], false),
    b(&[C('d'), Ctrl('d')], Action::HalfPageDown, ["half a page down", "halve pagina omlaag"], false),
    b(&[C('u'), Ctrl('u')], Action::HalfPageUp, ["half a page up", "halve pagina omhoog"], false),
    b(&[Ctrl('e')], Action::LineDown, ["text one line down", "tekst een regel omlaag"], false),
    b(&[Ctrl('y')], Action::LineUp, ["text one line up", "tekst een regel omhoog"], false),
    b(&[N(Home), C('g')], Action::Top, ["first theme / top of text", "eerste thema / begin van de tekst"], false),
    b(&[N(End), C('G')], Action::Bottom, ["last theme / end of text", "laatste thema / eind van de tekst"], false),
    b(DIGITS, Action::Digit(0), ["a count: 5j is five down", "een aantal: 5j is vijf omlaag"], false),
    b(&[C('n')], Action::NextMatch, ["next match", "volgende treffer"], false),
    b(&[C('N')], Action::PrevMatch, ["previous match", "vorige treffer"], false),
    b(&[C('r')], Action::Results, ["list all matches", "alle treffers op een rij"], false),
    b(&[N(Esc)], Action::Cancel, ["clear the search highlights", "wis de zoekmarkering"], false),
    b(&[C('c')], Action::NextChanged, ["next theme new since your last look", "volgend thema nieuw sinds uw vorige bezoek"], false),
    b(&[C('m')], Action::CycleFilter, ["show only new, stale, with open actions, all", "toon alleen: nieuw, verouderd, acties, alle"], false),
    b(&[C('e')], Action::ShowMessage, ["the whole message of an error", "de hele melding van een fout"], false),
    b(&[C('v')], Action::ShowVersions, ["versions: timeline, diffs", "versies: tijdlijn, verschillen"], false),
    b(&[C('A')], Action::ShowActions, ["all actions, by due time", "alle acties, op tijd"], false),
    b(&[C('D')], Action::ShowDecisions, ["all decisions", "alle besluiten"], false),
    b(&[C('w')], Action::ShowRoom, ["who is watching (--serve)", "wie er meekijkt (--serve)"], false),
    b(&[C('F')], Action::Reattach, ["follow the presenter again", "de presentator weer volgen"], false),
    b(&[Ctrl('l')], Action::Redraw, ["repaint the screen", "scherm opnieuw tekenen"], false),
    b(&[Ctrl('z')], Action::Suspend, ["suspend (fg resumes)", "pauzeren (fg hervat)"], false),
];

/// Keys while presenting.
#[rustfmt::skip]
pub const PRESENT: &[Binding] = &[
    b(&[N(Right), C(' '), N(PageDown), C('l')], Action::RevealNext, ["the rest of a tall slide, the next point, then the next theme", "rest van een lange dia, volgend punt, daarna volgend thema"], true),
    b(&[N(Left), N(Backspace), N(PageUp), C('h')], Action::RevealPrev, ["previous point, back up a tall slide, then the previous theme", "vorig punt, terug in een lange dia, daarna vorig thema"], true),
    b(&[C('a')], Action::ToggleAll, ["all points at once / one by one", "alle punten tegelijk / een voor een"], false),
    b(&[N(Down), C('j')], Action::Down, ["scroll the slide down", "dia omlaag schuiven"], false),
    b(&[N(Up), C('k')], Action::Up, ["scroll the slide up", "dia omhoog schuiven"], false),
    b(&[N(Home), C('g')], Action::Top, ["first theme", "eerste thema"], false),
    b(&[N(End), C('G')], Action::Bottom, ["last theme", "laatste thema"], false),
    b(DIGITS, Action::Digit(0), ["type a theme number…", "typ een themanummer…"], false),
    b(&[N(Enter)], Action::Enter, ["…and go to it", "…en ga erheen"], false),
    b(&[C('/')], Action::SearchStart, ["search", "zoeken"], false),
    b(&[C('n')], Action::NextMatch, ["next match", "volgende treffer"], false),
    b(&[C('N')], Action::PrevMatch, ["previous match", "vorige treffer"], false),
    b(&[C('F')], Action::Reattach, ["follow the presenter again", "de presentator weer volgen"], false),
    b(&[N(Esc), C('p')], Action::TogglePresent, ["back to the browser", "terug naar de browser"], true),
    b(&[C('?'), N(F1)], Action::ToggleHelp, ["help", "hulp"], false),
    b(&[C('e')], Action::ShowMessage, ["the whole message of an error", "de hele melding van een fout"], false),
    b(&[C('v')], Action::ShowVersions, ["versions: timeline, diffs", "versies: tijdlijn, verschillen"], false),
    b(&[C('A')], Action::ShowActions, ["all actions, by due time", "alle acties, op tijd"], false),
    b(&[C('D')], Action::ShowDecisions, ["all decisions", "alle besluiten"], false),
    b(&[C('w')], Action::ShowRoom, ["who is watching (--serve)", "wie er meekijkt (--serve)"], false),
    b(&[Ctrl('l')], Action::Redraw, ["repaint the screen", "scherm opnieuw tekenen"], false),
    b(&[Ctrl('z')], Action::Suspend, ["suspend (fg resumes)", "pauzeren (fg hervat)"], false),
    b(&[C('q'), Ctrl('c')], Action::Quit, ["quit", "stoppen"], false),
];

/// Keys while typing a search; any other character is typed into the query.
#[rustfmt::skip]
pub const SEARCH: &[Binding] = &[
    b(&[N(Enter)], Action::SearchConfirm, ["keep the matches, back to reading", "treffers houden, terug naar lezen"], true),
    b(&[N(Esc)], Action::SearchCancel, ["cancel, back to where you were", "annuleren, terug naar waar u was"], true),
    b(&[Ctrl('r')], Action::Results, ["list all matches", "alle treffers op een rij"], true),
    b(&[N(Down), Ctrl('n')], Action::NextMatch, ["next match", "volgende treffer"], false),
    b(&[N(Up), Ctrl('p')], Action::PrevMatch, ["previous match", "vorige treffer"], false),
    b(&[N(Backspace), Ctrl('h')], Action::SearchBackspace, ["delete a character", "teken wissen"], false),
    b(&[N(Delete)], Action::SearchDelete, ["delete under the cursor", "teken onder de cursor wissen"], false),
    b(&[N(Left)], Action::SearchLeft, ["cursor left", "cursor naar links"], false),
    b(&[N(Right)], Action::SearchRight, ["cursor right", "cursor naar rechts"], false),
    b(&[N(Home), Ctrl('a')], Action::SearchHome, ["start of the query", "begin van de zoekterm"], false),
    b(&[N(End), Ctrl('e')], Action::SearchEnd, ["end of the query", "eind van de zoekterm"], false),
    b(&[Ctrl('u')], Action::SearchClear, ["clear the query", "zoekterm wissen"], false),
    b(&[Ctrl('w')], Action::SearchDeleteWord, ["delete a word", "woord wissen"], false),
    b(&[N(F1)], Action::ToggleHelp, ["help", "hulp"], false),
    b(&[Ctrl('c')], Action::Quit, ["quit", "stoppen"], false),
];

/// Keys while the match overview is open.
#[rustfmt::skip]
pub const RESULTS: &[Binding] = &[
    b(&[N(Down), C('j')], Action::Down, ["next match", "volgende treffer"], false),
    b(&[N(Up), C('k')], Action::Up, ["previous match", "vorige treffer"], false),
    b(&[N(PageDown), C(' '), C('f')], Action::PageDown, ["page down", "pagina omlaag"], false),
    b(&[N(PageUp), C('b')], Action::PageUp, ["page up", "pagina omhoog"], false),
    b(&[N(Home), C('g')], Action::Top, ["first match", "eerste treffer"], false),
    b(&[N(End), C('G')], Action::Bottom, ["last match", "laatste treffer"], false),
    b(&[N(Enter)], Action::Enter, ["go to the match", "ga naar de treffer"], true),
    b(&[N(Esc), C('q'), C('r')], Action::Cancel, ["close", "sluiten"], true),
    b(&[C('?'), N(F1)], Action::ToggleHelp, ["help", "hulp"], false),
    b(&[Ctrl('c')], Action::Quit, ["quit", "stoppen"], false),
];

/// Keys while help is shown.
#[rustfmt::skip]
pub const HELP: &[Binding] = &[
    b(&[N(PageDown), C(' '), N(Down), C('j'), C('f')], Action::PageDown, ["next page", "volgende pagina"], true),
    b(&[N(PageUp), C('b'), N(Up), C('k')], Action::PageUp, ["previous page", "vorige pagina"], false),
    b(&[N(Home), C('g')], Action::Top, ["first page", "eerste pagina"], false),
    b(&[N(End), C('G')], Action::Bottom, ["last page", "laatste pagina"], false),
    b(&[N(Esc), C('?'), C('q'), N(F1)], Action::ToggleHelp, ["close help", "hulp sluiten"], true),
    b(&[Ctrl('c')], Action::Quit, ["quit", "stoppen"], false),
];

/// Keys while a whole message is shown.
#[rustfmt::skip]
pub const MESSAGE: &[Binding] = &[
    b(&[N(Esc), C('e'), C('q'), N(Enter)], Action::Cancel, ["close the message", "melding sluiten"], true),
    b(&[Ctrl('c')], Action::Quit, ["quit", "stoppen"], false),
];

/// Keys in a list (the timeline, the actions, the decisions).
#[rustfmt::skip]
pub const LIST: &[Binding] = &[
    b(&[N(Down), C('j')], Action::Down, ["next row", "volgende regel"], false),
    b(&[N(Up), C('k')], Action::Up, ["previous row", "vorige regel"], false),
    b(&[N(PageDown), C(' '), C('f')], Action::PageDown, ["page down", "pagina omlaag"], false),
    b(&[N(PageUp), C('b')], Action::PageUp, ["page up", "pagina omhoog"], false),
    b(&[N(Home), C('g')], Action::Top, ["first row", "eerste regel"], false),
    b(&[N(End), C('G')], Action::Bottom, ["last row", "laatste regel"], false),
    b(&[N(Enter)], Action::Enter, ["show the version / go to the theme", "toon de versie / ga naar het thema"], true),
    b(&[C('d')], Action::Diff, ["the theme: this version against the one shown", "het thema: deze versie tegen de getoonde"], true),
    b(&[N(Esc), C('q')], Action::Cancel, ["close", "sluiten"], true),
    b(&[C('?'), N(F1)], Action::ToggleHelp, ["help", "hulp"], false),
    b(&[Ctrl('c')], Action::Quit, ["quit", "stoppen"], false),
];

/// Keys while a diff is shown.
#[rustfmt::skip]
pub const DIFF: &[Binding] = &[
    b(&[N(Down), C('j')], Action::Down, ["line down", "regel omlaag"], false),
    b(&[N(Up), C('k')], Action::Up, ["line up", "regel omhoog"], false),
    b(&[N(PageDown), C(' '), C('f')], Action::PageDown, ["page down", "pagina omlaag"], false),
    b(&[N(PageUp), C('b')], Action::PageUp, ["page up", "pagina omhoog"], false),
    b(&[N(Home), C('g')], Action::Top, ["top", "begin"], false),
    b(&[N(End), C('G')], Action::Bottom, ["end", "eind"], false),
    b(&[N(Esc), C('q'), C('d')], Action::Cancel, ["back to the timeline", "terug naar de tijdlijn"], true),
    b(&[C('?'), N(F1)], Action::ToggleHelp, ["help", "hulp"], false),
    b(&[Ctrl('c')], Action::Quit, ["quit", "stoppen"], false),
];

/// Keys while the list of viewers is shown.
#[rustfmt::skip]
pub const ROOM: &[Binding] = &[
    b(&[N(Esc), C('w'), C('q'), N(Enter)], Action::Cancel, ["close the list of viewers", "lijst van kijkers sluiten"], true),
    b(&[Ctrl('c')], Action::Quit, ["quit", "stoppen"], false),
];

/// What a mouse gesture does (in every context where the mouse does anything).
#[derive(Debug)]
pub struct Gesture {
    /// How help names the gesture, in English and Dutch.
    pub name: [&'static str; 2],
    /// What it does, in English and Dutch.
    pub help: [&'static str; 2],
}

/// The mouse: a click and the wheel.
pub const MOUSE: &[Gesture] = &[
    Gesture {
        name: ["click", "klik"],
        help: [
            "select a theme / focus the text",
            "kies een thema / naar de tekst",
        ],
    },
    Gesture {
        name: ["wheel", "wiel"],
        help: ["scroll the list or the text", "schuif de lijst of de tekst"],
    },
];

/// The table for a context.
pub fn table(context: Context) -> &'static [Binding] {
    match context {
        Context::Browse => BROWSE,
        Context::Present => PRESENT,
        Context::Search => SEARCH,
        Context::Results => RESULTS,
        Context::Help => HELP,
        Context::Message => MESSAGE,
        Context::Room => ROOM,
        Context::List => LIST,
        Context::Diff => DIFF,
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
        // The digit row stands for all ten digits.
        (_, Key::Char(c @ '0'..='9'), Some(Action::Digit(_))) => {
            Some(Action::Digit(c as u8 - b'0'))
        }
        (_, _, Some(a)) => Some(a),
        (Context::Search, Key::Char(c), None) => Some(Action::SearchInput(c)),
        _ => None,
    }
}

/// How a key is written for people: `↓`, `Space`, `C-f`, `G` (`Down` where
/// only ASCII may be shown).
pub fn label(key: Key, ascii: bool) -> String {
    let pick = |unicode: &str, plain: &str| if ascii { plain } else { unicode }.to_string();
    match key {
        Key::Char(' ') => "Space".into(),
        Key::Char(c) => c.to_string(),
        Key::Ctrl(c) => format!("C-{c}"),
        Key::Named(n) => match n {
            Up => pick("↑", "Up"),
            Down => pick("↓", "Down"),
            Left => pick("←", "Left"),
            Right => pick("→", "Right"),
            PageUp => "PgUp".into(),
            PageDown => "PgDn".into(),
            Home => "Home".into(),
            End => "End".into(),
            Enter => "Enter".into(),
            Esc => "Esc".into(),
            Tab => "Tab".into(),
            BackTab => "S-Tab".into(),
            Backspace => "Bksp".into(),
            Delete => "Del".into(),
            F1 => "F1".into(),
        },
    }
}

/// How a binding's keys are written: each key's label, the ten digits as `0-9`.
pub fn keys_label(binding: &Binding, ascii: bool) -> String {
    if binding.keys == DIGITS {
        return "0-9".into();
    }
    let labels: Vec<String> = binding.keys.iter().map(|k| label(*k, ascii)).collect();
    labels.join(" ")
}

/// The label of a binding's first key only, for the terse status-line hints.
pub fn hint_label(binding: &Binding, ascii: bool) -> String {
    binding
        .keys
        .first()
        .map_or_else(String::new, |k| label(*k, ascii))
}

/// Reduces a decoded key to what the bindings distinguish (Alt is not
/// bound; the decoder gives an ESC-prefixed key as Esc, then the key).
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
        K::F(1) => N(F1),
        K::Insert | K::F(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for ctx in Context::ALL {
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
            action(Context::Search, Key::Char('?')),
            Some(Action::SearchInput('?'))
        );
        assert_eq!(
            action(Context::Search, Key::Ctrl('w')),
            Some(Action::SearchDeleteWord)
        );
        assert_eq!(action(Context::Browse, Key::Char('q')), Some(Action::Quit));
    }

    #[test]
    fn ctrl_c_quits_and_f1_helps_everywhere() {
        for ctx in Context::ALL {
            assert_eq!(action(ctx, Key::Ctrl('c')), Some(Action::Quit), "{ctx:?}");
            if !matches!(ctx, Context::Message | Context::Room) {
                assert_eq!(
                    action(ctx, Key::Named(F1)),
                    Some(Action::ToggleHelp),
                    "{ctx:?}"
                );
            }
        }
    }

    #[test]
    fn labels_are_made_from_the_keys() {
        assert_eq!(keys_label(&BROWSE[0], false), "↓ j");
        assert_eq!(keys_label(&BROWSE[0], true), "Down j");
        let page = BROWSE
            .iter()
            .find(|b| b.action == Action::PageDown)
            .expect("page down");
        assert_eq!(keys_label(page, false), "PgDn f C-f");
        let digits = BROWSE
            .iter()
            .find(|b| matches!(b.action, Action::Digit(_)))
            .expect("digits");
        assert_eq!(keys_label(digits, false), "0-9");
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
        assert_eq!(key_of(plain(K::F(1))), Some(Key::Named(F1)));
        assert_eq!(key_of(plain(K::F(5))), None);
    }
}
