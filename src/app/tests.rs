use super::*;
use crate::report::Report;

fn app(w: u16, h: u16) -> App {
    App::new(Doc::new(&Report::builtin()), w, h)
}

fn apply(app: &mut App, actions: &[Action]) {
    for a in actions {
        app.update(*a);
    }
}

fn search(app: &mut App, query: &str) {
    app.update(Action::SearchStart);
    for c in query.chars() {
        app.update(Action::SearchInput(c));
    }
}

fn title(app: &App) -> &str {
    &app.doc.entries[app.selected].title
}

#[test]
fn the_list_moves_and_the_text_starts_at_the_top() {
    let mut a = app(80, 24);
    apply(&mut a, &[Action::FocusText, Action::Down]);
    assert_eq!(
        (a.selected, a.scroll),
        (0, 0),
        "Inleiding fits one page: no scroll"
    );
    apply(&mut a, &[Action::FocusList, Action::Down, Action::Down]);
    assert_eq!(title(&a), "Verbinden op verschillende manieren");
    apply(&mut a, &[Action::Bottom]);
    assert_eq!(title(&a), "Communicatie");
    apply(&mut a, &[Action::Down]);
    assert_eq!(title(&a), "Communicatie", "stays at the last theme");
    apply(&mut a, &[Action::Top, Action::Up]);
    assert_eq!(a.selected, 0);
}

#[test]
fn scrolling_is_clamped_and_a_new_theme_starts_at_the_top() {
    let mut a = app(80, 12);
    apply(&mut a, &[Action::Down, Action::Down, Action::FocusText]);
    assert!(a.max_scroll() > 0, "this theme is longer than a page");
    apply(
        &mut a,
        &[
            Action::PageDown,
            Action::PageDown,
            Action::PageDown,
            Action::PageDown,
        ],
    );
    assert_eq!(a.scroll, a.max_scroll());
    apply(&mut a, &[Action::Down]);
    assert_eq!(a.scroll, a.max_scroll());
    apply(&mut a, &[Action::FocusList, Action::Down]);
    assert_eq!(a.scroll, 0);
}

#[test]
fn space_pages_then_moves_on_to_the_next_theme() {
    let mut a = app(80, 12);
    apply(&mut a, &[Action::Down, Action::Down]);
    let theme = a.selected;
    while a.selected == theme {
        a.update(Action::Advance);
    }
    assert_eq!(a.selected, theme + 1);
    assert_eq!(a.scroll, 0);
}

#[test]
fn resizing_keeps_the_top_line_in_view() {
    let mut a = app(80, 12);
    apply(&mut a, &[Action::Down, Action::Down, Action::FocusText]);
    apply(
        &mut a,
        &[Action::Down, Action::Down, Action::Down, Action::Down],
    );
    let top = a.top_anchor().expect("a text line at the top");
    a.update(Action::Resize(120, 12));
    let shown = a.lines[a.scroll..a.scroll + a.page()]
        .iter()
        .any(|l| matches!(l.kind, view::LineKind::Text { block, start, end, .. } if block == top.0 && start <= top.1 && top.1 < end.max(start + 1)));
    assert!(shown, "the line that was at the top is still on screen");
}

#[test]
fn help_opens_and_closes() {
    let mut a = app(80, 24);
    a.update(Action::ToggleHelp);
    assert_eq!(a.context(), Context::Help);
    a.update(Action::Cancel);
    assert_eq!(a.mode, Mode::Browse);
}

#[test]
fn quit_redraw_and_suspend_are_effects() {
    let mut a = app(80, 24);
    assert_eq!(a.update(Action::Quit), Effect::Quit);
    assert_eq!(a.update(Action::Redraw), Effect::Repaint);
    assert_eq!(a.update(Action::Suspend), Effect::Suspend);
}

#[test]
fn clicking_a_theme_selects_it() {
    let mut a = app(80, 24);
    let row = a.areas.list.y + 5;
    a.update(Action::Click(2, row));
    assert_eq!(a.selected, 5);
    a.update(Action::Click(a.areas.text.x + 1, a.areas.text.y));
    assert_eq!(a.focus, Focus::Text);
}

#[test]
fn typing_a_search_jumps_to_the_first_match_and_esc_returns() {
    let mut a = app(80, 24);
    apply(&mut a, &[Action::Bottom, Action::Up]);
    let before = (a.selected, a.scroll, a.focus);
    search(&mut a, "geexperimenteerd");
    assert_eq!(a.search.matches.len(), 1);
    assert_eq!(title(&a), "Leren en reflecteren");
    let hit = a.current_hit().expect("current match");
    assert_eq!(&a.doc.blocks[hit.block].text[hit.range], "geëxperimenteerd");
    a.update(Action::SearchCancel);
    assert_eq!((a.selected, a.scroll, a.focus), before);
    assert_eq!(a.mode, Mode::Browse);
    assert!(!a.search.active());
}

#[test]
fn n_and_shift_n_move_across_themes_and_wrap() {
    let mut a = app(80, 24);
    search(&mut a, "veiligheidsregio's");
    a.update(Action::SearchConfirm);
    let n = a.search.matches.len();
    assert!(n > 5, "{n} matches");
    let mut themes = std::collections::BTreeSet::new();
    for _ in 0..n - 1 {
        a.update(Action::NextMatch);
        themes.insert(a.selected);
    }
    assert!(themes.len() > 2, "matches in several themes");
    assert_eq!(a.search.current, Some(n - 1));
    a.update(Action::NextMatch);
    assert_eq!(a.search.current, Some(0));
    assert_eq!(a.notice, Some(a.labels.wrapped_top));
    a.update(Action::PrevMatch);
    assert_eq!(a.search.current, Some(n - 1));
    assert_eq!(a.notice, Some(a.labels.wrapped_bottom));
}

#[test]
fn the_current_match_is_scrolled_into_view() {
    let mut a = app(60, 8);
    search(&mut a, "oliemannetje");
    let hit = a.current_hit().expect("found");
    let line = view::line_of(&a.lines, hit.block, hit.range.start).expect("laid out");
    assert!(
        a.scroll <= line && line < a.scroll + a.page(),
        "line {line} scroll {}",
        a.scroll
    );
}

#[test]
fn search_editing_keys() {
    let mut a = app(80, 24);
    search(&mut a, "een twee");
    a.update(Action::SearchDeleteWord);
    assert_eq!(a.search.query, "een ");
    apply(
        &mut a,
        &[
            Action::SearchHome,
            Action::SearchInput('x'),
            Action::SearchEnd,
        ],
    );
    assert_eq!(a.search.query, "xeen ");
    apply(&mut a, &[Action::SearchLeft, Action::SearchBackspace]);
    assert_eq!(a.search.query, "xee ");
    a.update(Action::SearchClear);
    assert_eq!((a.search.query.as_str(), a.search.cursor), ("", 0));
    a.update(Action::SearchConfirm);
    assert_eq!(a.mode, Mode::Browse);
}

#[test]
fn no_match_keeps_the_reader_in_place() {
    let mut a = app(80, 24);
    apply(&mut a, &[Action::Down]);
    search(&mut a, "zzzqqq");
    assert!(a.search.matches.is_empty());
    assert_eq!(a.selected, 1);
    a.update(Action::SearchConfirm);
    a.update(Action::NextMatch);
    assert_eq!(a.notice, Some(a.labels.no_matches));
}

#[test]
fn the_results_overview_jumps_to_a_match() {
    let mut a = app(80, 24);
    search(&mut a, "crisis");
    a.update(Action::Results);
    assert!(matches!(a.mode, Mode::Results { .. }));
    apply(&mut a, &[Action::Bottom, Action::Enter]);
    assert_eq!(a.mode, Mode::Browse);
    assert_eq!(a.search.current, Some(a.search.matches.len() - 1));
}

#[test]
fn tiny_and_huge_sizes_never_panic() {
    let mut a = app(1, 1);
    for action in [
        Action::Down,
        Action::PageDown,
        Action::FocusText,
        Action::Bottom,
        Action::Advance,
    ] {
        a.update(action);
    }
    a.update(Action::Resize(u16::MAX, u16::MAX));
    a.update(Action::Resize(0, 0));
    a.update(Action::Click(0, 0));
}
