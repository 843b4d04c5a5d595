use super::*;
use crate::report::Report;

fn app(w: u16, h: u16) -> App {
    App::bare(Doc::new(&Report::builtin()), w, h)
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
    &app.doc().entries[app.selected()].title
}

#[test]
fn the_list_moves_and_the_text_starts_at_the_top() {
    let mut a = app(80, 24);
    apply(&mut a, &[Action::FocusText, Action::Down]);
    assert_eq!(
        (a.selected(), a.scroll()),
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
    assert_eq!(a.selected(), 0);
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
    assert_eq!(a.scroll(), a.max_scroll());
    apply(&mut a, &[Action::Down]);
    assert_eq!(a.scroll(), a.max_scroll());
    apply(&mut a, &[Action::FocusList, Action::Down]);
    assert_eq!(a.scroll(), 0);
}

#[test]
fn space_pages_then_moves_on_to_the_next_theme() {
    let mut a = app(80, 12);
    apply(&mut a, &[Action::Down, Action::Down]);
    let theme = a.selected();
    while a.selected() == theme {
        a.update(Action::Advance);
    }
    assert_eq!(a.selected(), theme + 1);
    assert_eq!(a.scroll(), 0);
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
    let shown = a.lines()[a.scroll()..a.scroll() + a.page()]
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
    assert_eq!(a.mode(), Mode::Browse);
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
    let row = a.areas().list.y + 5;
    a.update(Action::Click(2, row));
    assert_eq!(a.selected(), 5);
    a.update(Action::Click(a.areas().text.x + 1, a.areas().text.y));
    assert_eq!(a.focus(), Focus::Text);
}

#[test]
fn typing_a_search_jumps_to_the_first_match_and_esc_returns() {
    let mut a = app(80, 24);
    apply(&mut a, &[Action::Bottom, Action::Up]);
    let before = (a.selected(), a.scroll(), a.focus());
    search(&mut a, "geexperimenteerd");
    assert_eq!(a.search().matches.len(), 1);
    assert_eq!(title(&a), "Leren en reflecteren");
    let hit = a.current_hit().expect("current match");
    assert_eq!(
        &a.doc().blocks[hit.block].text[hit.range],
        "geëxperimenteerd"
    );
    a.update(Action::SearchCancel);
    assert_eq!((a.selected(), a.scroll(), a.focus()), before);
    assert_eq!(a.mode(), Mode::Browse);
    assert!(!a.search().active());
}

#[test]
fn n_and_shift_n_move_across_themes_and_wrap() {
    let mut a = app(80, 24);
    search(&mut a, "veiligheidsregio's");
    a.update(Action::SearchConfirm);
    let n = a.search().matches.len();
    assert!(n > 5, "{n} matches");
    let mut themes = std::collections::BTreeSet::new();
    for _ in 0..n - 1 {
        a.update(Action::NextMatch);
        themes.insert(a.selected());
    }
    assert!(themes.len() > 2, "matches in several themes");
    assert_eq!(a.search().current, Some(n - 1));
    a.update(Action::NextMatch);
    assert_eq!(a.search().current, Some(0));
    assert_eq!(a.notice(), Some(a.labels().wrapped_top));
    a.update(Action::PrevMatch);
    assert_eq!(a.search().current, Some(n - 1));
    assert_eq!(a.notice(), Some(a.labels().wrapped_bottom));
}

#[test]
fn the_current_match_is_scrolled_into_view() {
    let mut a = app(60, 8);
    search(&mut a, "oliemannetje");
    let hit = a.current_hit().expect("found");
    let line = view::line_of(a.lines(), hit.block, hit.range.start).expect("laid out");
    assert!(
        a.scroll() <= line && line < a.scroll() + a.page(),
        "line {line} scroll {}",
        a.scroll()
    );
}

#[test]
fn search_editing_keys() {
    let mut a = app(80, 24);
    search(&mut a, "een twee");
    a.update(Action::SearchDeleteWord);
    assert_eq!(a.search().query, "een ");
    apply(
        &mut a,
        &[
            Action::SearchHome,
            Action::SearchInput('x'),
            Action::SearchEnd,
        ],
    );
    assert_eq!(a.search().query, "xeen ");
    apply(&mut a, &[Action::SearchLeft, Action::SearchBackspace]);
    assert_eq!(a.search().query, "xee ");
    a.update(Action::SearchClear);
    assert_eq!((a.search().query.as_str(), a.search().cursor), ("", 0));
    a.update(Action::SearchConfirm);
    assert_eq!(a.mode(), Mode::Browse);
}

#[test]
fn no_match_keeps_the_reader_in_place() {
    let mut a = app(80, 24);
    apply(&mut a, &[Action::Down]);
    search(&mut a, "zzzqqq");
    assert!(a.search().matches.is_empty());
    assert_eq!(a.selected(), 1);
    a.update(Action::SearchConfirm);
    a.update(Action::NextMatch);
    assert_eq!(a.notice(), Some(a.labels().no_matches));
}

#[test]
fn the_results_overview_jumps_to_a_match() {
    let mut a = app(80, 24);
    search(&mut a, "crisis");
    a.update(Action::Results);
    assert!(matches!(a.mode(), Mode::Results { .. }));
    apply(&mut a, &[Action::Bottom, Action::Enter]);
    assert_eq!(a.mode(), Mode::Browse);
    assert_eq!(a.search().current, Some(a.search().matches.len() - 1));
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

mod freshness {
    use super::*;
    use crate::app::{Clock, Event, Filter};
    use crate::changes::{Change, Seen};

    fn sitrep() -> App {
        sitrep_with(Setup::default())
    }

    fn sitrep_with(setup: Setup) -> App {
        let src = include_str!("../../examples/hoogwater.toml");
        let doc = Doc::new(&Report::from_toml(src, std::path::Path::new("h.toml")).expect("valid"));
        App::new(doc, 100, 30, setup)
    }

    // 2026-11-27 10:15 +01:00, a fixed clock: no test depends on the wall clock.
    const NOW: u64 = 1_795_770_900;

    fn at(app: &mut App, unix: u64) {
        app.handle(Event::Clock(Clock {
            unix,
            local: (10, 15),
        }));
    }

    #[test]
    fn themes_older_than_the_threshold_are_stale() {
        let mut a = sitrep();
        assert!(!a.is_stale(0), "no clock yet, nothing is stale");
        at(&mut a, NOW);
        // "Beeld" was updated at 08:15: two hours ago, exactly the threshold.
        assert_eq!(a.age(0), Some(2 * 3600));
        assert!(!a.is_stale(0));
        at(&mut a, NOW + 60);
        assert!(a.is_stale(0));
        let mut lenient = sitrep_with(Setup {
            stale_after: 3 * 3600,
            ..Setup::default()
        });
        at(&mut lenient, NOW + 60);
        assert!(!lenient.is_stale(0));
        assert!(!a.report_stale(), "next update at 12:00");
        at(&mut a, NOW + 2 * 3600);
        assert!(a.report_stale());
    }

    #[test]
    fn the_filter_shows_changed_stale_or_open_action_themes() {
        let mut a = sitrep();
        at(&mut a, NOW);
        let titles = |a: &App| {
            a.rows()
                .iter()
                .map(|&i| a.doc().entries[i].title.clone())
                .collect::<Vec<_>>()
        };
        a.update(Action::CycleFilter);
        assert_eq!(a.filter(), Filter::Changed);
        assert!(a.rows().is_empty(), "nothing changed against itself");
        a.update(Action::CycleFilter);
        assert_eq!(a.filter(), Filter::Stale);
        // "Verkeer en infrastructuur" is old too, but closed: never stale.
        assert_eq!(titles(&a), ["Bevolkingszorg", "Communicatie"]);
        assert_eq!(
            title(&a),
            "Bevolkingszorg",
            "the selection moves into the filtered list"
        );
        a.update(Action::CycleFilter);
        assert_eq!(titles(&a), ["Beeld", "Bevolkingszorg"]);
        a.update(Action::CycleFilter);
        assert_eq!(a.filter(), Filter::All);
        assert_eq!(a.rows().len(), a.doc().entries.len());
    }

    #[test]
    fn changes_since_last_time_are_marked_and_c_jumps_to_them() {
        let src = include_str!("../../examples/hoogwater.toml");
        let old = Doc::new(&Report::from_toml(src, std::path::Path::new("h.toml")).expect("valid"));
        let edited = src.replace(
            "Persconferentie om 13.00 uur",
            "Persconferentie om 14.00 uur",
        );
        let new =
            Doc::new(&Report::from_toml(&edited, std::path::Path::new("h.toml")).expect("valid"));
        let mut a = App::new(
            new,
            100,
            30,
            Setup {
                seen: Some(Seen::of(&old)),
                ..Setup::default()
            },
        );
        let communicatie = a
            .doc
            .entries
            .iter()
            .position(|e| e.title == "Communicatie")
            .expect("theme");
        assert_eq!(a.change(communicatie), Change::Changed);
        assert_eq!(
            a.changes()
                .entries
                .iter()
                .filter(|c| **c != Change::Same)
                .count(),
            1
        );
        a.update(Action::NextChanged);
        assert_eq!(a.selected(), communicatie);
        a.update(Action::NextChanged);
        assert_eq!(
            a.selected(),
            communicatie,
            "the only changed theme, wrapping around"
        );
        let marked: Vec<&str> = a
            .doc
            .blocks
            .iter()
            .zip(&a.changes().blocks)
            .filter(|(_, m)| **m)
            .map(|(b, _)| &*b.text)
            .collect();
        assert_eq!(
            marked,
            ["Persconferentie om 14.00 uur in het gemeentehuis."]
        );
    }

    #[test]
    fn a_reload_marks_what_changed_and_keeps_the_place() {
        let mut a = sitrep();
        a.update(Action::Bottom);
        a.update(Action::Up);
        let before = a.selected();
        let src = include_str!("../../examples/hoogwater.toml").replace("300 mensen", "400 mensen");
        let doc =
            Doc::new(&Report::from_toml(&src, std::path::Path::new("h.toml")).expect("valid"));
        a.handle(Event::Reloaded(Box::new(doc)));
        assert_eq!(a.selected(), before, "same theme by title path");
        let bevolkingszorg = a
            .doc
            .entries
            .iter()
            .position(|e| e.title == "Bevolkingszorg")
            .expect("theme");
        assert_eq!(a.change(bevolkingszorg), Change::Changed);
        a.handle(Event::ReloadFailed(crate::app::Problem::line(
            "h.toml:3:1: oops".into(),
        )));
        assert_eq!(
            a.problem().map(|p| p.short.as_str()),
            Some("h.toml:3:1: oops")
        );
        assert_eq!(
            a.selected(),
            before,
            "a failed reload keeps the last good report"
        );
    }

    #[test]
    fn no_changes_says_so() {
        let mut a = sitrep();
        a.update(Action::NextChanged);
        assert_eq!(a.notice(), Some(a.labels().no_changes));
    }
}

mod presenting {
    use super::*;
    use crate::app::{Event, Screen};

    fn follower(w: u16, h: u16) -> App {
        App::new(
            Doc::new(&Report::builtin()),
            w,
            h,
            Setup {
                follow: true,
                ..Setup::default()
            },
        )
    }

    fn revealed(a: &App) -> (u16, u16) {
        a.progress().expect("presenting")
    }

    #[test]
    fn points_are_revealed_one_at_a_time_then_the_next_theme_follows() {
        let mut a = app(100, 30);
        apply(&mut a, &[Action::Down, Action::Down, Action::TogglePresent]);
        assert_eq!(a.context(), Context::Present);
        assert_eq!(revealed(&a), (0, 5));
        let shown = a.shown().len();
        a.update(Action::RevealNext);
        assert_eq!(revealed(&a), (1, 5));
        assert!(a.shown().len() > shown);
        apply(&mut a, &[Action::RevealNext; 4]);
        assert_eq!(revealed(&a), (5, 5));
        a.update(Action::RevealNext);
        assert_eq!(title(&a), "Leren en reflecteren");
        assert_eq!(revealed(&a).0, 0);
        a.update(Action::RevealPrev);
        assert_eq!(title(&a), "Verbinden op verschillende manieren");
        assert_eq!(revealed(&a), (5, 5), "going back shows the theme complete");
        a.update(Action::ToggleAll);
        assert_eq!(a.shown().len(), a.lines().len());
    }

    #[test]
    fn number_and_enter_jump_and_escape_returns_to_the_same_theme() {
        let mut a = app(100, 30);
        apply(
            &mut a,
            &[Action::TogglePresent, Action::Digit(6), Action::Enter],
        );
        assert_eq!(title(&a), "Consequenties");
        apply(&mut a, &[Action::Digit(9), Action::Digit(9), Action::Enter]);
        assert_eq!(title(&a), "Consequenties", "out of range: ignored");
        a.update(Action::TogglePresent);
        assert_eq!(a.screen(), Screen::Browser);
        assert_eq!(title(&a), "Consequenties");
        assert_eq!(a.context(), Context::Browse);
    }

    #[test]
    fn search_works_while_presenting_and_stays_on_the_hit() {
        let mut a = app(100, 30);
        a.update(Action::TogglePresent);
        search(&mut a, "oliemannetje");
        a.update(Action::SearchConfirm);
        assert!(a.presenting());
        assert_eq!(title(&a), "De toekomstige rol van de veiligheidsregio’s");
        let hit = a.current_hit().expect("hit");
        let line =
            view::line_of(a.shown(), hit.block, hit.range.start).expect("the hit is revealed");
        assert!(line >= a.scroll() && line < a.scroll() + a.page());
    }

    #[test]
    fn the_clock_starts_with_the_presentation() {
        let mut a = app(100, 30);
        let at = |a: &mut App, unix| {
            a.handle(Event::Clock(crate::app::Clock {
                unix,
                local: (9, 0),
            }))
        };
        at(&mut a, 1000);
        assert_eq!(a.elapsed(), None);
        // Eight seconds idle in the browser, then `p`: the clock starts at
        // the tick that follows the key, at 00:00.
        a.update(Action::TogglePresent);
        at(&mut a, 1008);
        assert_eq!(a.elapsed(), Some(0));
        at(&mut a, 1075);
        assert_eq!(a.elapsed(), Some(67));
        a.update(Action::TogglePresent);
        at(&mut a, 1085);
        a.update(Action::TogglePresent);
        at(&mut a, 1095);
        assert_eq!(a.elapsed(), Some(0), "presenting again starts again");
        assert!(a.ticking());
        a.update(Action::TogglePresent);
        assert!(!a.ticking(), "the clock only ticks while presenting");
    }

    #[test]
    fn a_follower_moves_with_the_presenter_until_it_wanders() {
        let mut presenter = app(100, 30);
        apply(
            &mut presenter,
            &[
                Action::Down,
                Action::Down,
                Action::Down,
                Action::TogglePresent,
                Action::RevealNext,
            ],
        );
        let mut f = follower(60, 20);
        f.update(Action::TogglePresent);
        f.handle(Event::Followed(Ok(crate::share::Followed {
            position: presenter.position(),
            writer: None,
            alive: true,
        })));
        assert_eq!(title(&f), "Leren en reflecteren");
        assert_eq!(f.progress(), Some((1, 4)));
        f.update(Action::RevealNext);
        f.update(Action::RevealNext);
        f.update(Action::RevealNext);
        f.update(Action::RevealNext);
        f.update(Action::RevealNext);
        assert_ne!(title(&f), "Leren en reflecteren");
        assert!(
            !f.follow().expect("following").attached,
            "moving away detaches"
        );
        presenter.update(Action::RevealNext);
        f.handle(Event::Followed(Ok(crate::share::Followed {
            position: presenter.position(),
            writer: None,
            alive: true,
        })));
        assert_ne!(
            title(&f),
            "Leren en reflecteren",
            "a detached follower stays"
        );
        f.update(Action::Reattach);
        assert_eq!(title(&f), "Leren en reflecteren");
        assert_eq!(f.progress(), Some((2, 4)));
    }

    #[test]
    fn a_position_for_another_report_is_refused() {
        let mut f = follower(60, 20);
        let mut other = app(60, 20).position();
        other.report = "Another report".into();
        other.index = 5;
        f.handle(Event::Followed(Ok(crate::share::Followed {
            position: other,
            writer: None,
            alive: true,
        })));
        assert_eq!(f.selected(), 0);
        let problem = f
            .follow
            .as_ref()
            .and_then(|f| f.problem.clone())
            .expect("refused");
        assert!(problem.contains("Another report"), "{problem}");
    }
}
