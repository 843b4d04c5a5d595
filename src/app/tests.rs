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
    app.doc().entry_title(app.selected())
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
    assert_eq!(a.search().matches.count(), Some(1));
    assert_eq!(title(&a), "Leren en reflecteren");
    let hit = a.current_hit().expect("current match");
    assert_eq!(
        &a.doc().blocks.text(hit.block)[hit.range],
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
    let n = a.search().matches.count().expect("counted");
    assert!(n > 5, "{n} matches");
    let mut themes = std::collections::BTreeSet::new();
    for _ in 0..n - 1 {
        a.update(Action::NextMatch);
        themes.insert(a.selected());
    }
    assert!(themes.len() > 2, "matches in several themes");
    assert_eq!(a.current_rank(), Some(n - 1));
    a.update(Action::NextMatch);
    assert_eq!(a.current_rank(), Some(0));
    assert_eq!(a.notice(), Some(a.labels().wrapped_top));
    a.update(Action::PrevMatch);
    assert_eq!(a.current_rank(), Some(n - 1));
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
    assert_eq!(a.search().matches.count(), Some(0));
    assert!(!a.search().active());
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
    let n = a.search().matches.count().expect("counted");
    assert_eq!(a.current_rank(), Some(n - 1));
}

/// A report of `themes` themes of about 1 KB each, `word` in theme `at` only.
fn big_app(themes: usize, word: &str, at: usize) -> App {
    let mut src = String::from("title = \"Groot\"\nlanguage = \"nl\"\n");
    for i in 0..themes {
        let extra = if i == at { word } else { "" };
        src.push_str(&format!(
            "[[theme]]\ntitle = \"Thema {i}\"\nbody = \"\"\"\n{}{extra}\n\"\"\"\n",
            "de veiligheidsregio organiseert de afstemming tussen overheden. ".repeat(16)
        ));
    }
    let doc = Doc::from_source(src, std::path::Path::new("groot.toml")).expect("valid");
    App::bare(doc, 80, 24)
}

/// Gives the app the slices the event loop would, until it counted all.
fn count_all(a: &mut App) -> usize {
    let mut slices = 0;
    while a.counting() {
        a.handle(Event::Work);
        slices += 1;
        assert!(slices < 10_000, "counting never ends");
    }
    slices
}

#[test]
fn a_keystroke_counts_one_slice_and_the_rest_comes_as_work() {
    // About 3 MB: more than one slice.
    let mut a = big_app(3000, "", 0);
    apply(&mut a, &[Action::Bottom, Action::Up]);
    let reader = a.selected();
    // Two letters (one letter is counted eight times as fast).
    search(&mut a, "de");
    // The match nearest after the reader's theme is shown at once ...
    assert_eq!(a.selected(), reader);
    assert!(a.current_hit().is_some() && a.search().active());
    // ... while the count is not complete yet; the status line says so.
    assert!(a.counting() && a.search().matches.count().is_none());
    assert_eq!(a.current_rank(), None);
    assert!(count_all(&mut a) > 0);
    assert!(!a.counting());
    let n = a.search().matches.count().expect("counted");
    assert!(n > 3000 * 30, "{n}");
    // Idle once counted: no more work, no wake-up.
    assert_eq!(a.handle(Event::Work), Effect::None);
}

#[test]
fn a_rare_match_far_away_is_shown_when_counting_reaches_it() {
    let mut a = big_app(3000, " oliemannetje", 2900);
    // Pasted: typed letter by letter, each letter's slice would skip the
    // pages the letters before found nothing in, and find it sooner.
    a.update(Action::SearchStart);
    a.handle(Event::Paste("oliemannetje".into()));
    assert_eq!(a.selected(), 0, "not found in the first slice");
    assert!(a.current_hit().is_none() && a.counting());
    count_all(&mut a);
    assert_eq!(title(&a), "Thema 2900");
    assert_eq!(a.search().matches.count(), Some(1));
    assert_eq!(a.current_rank(), Some(0));
}

#[test]
fn backspace_finds_the_shorter_query_counted_already() {
    let mut a = big_app(3000, "", 0);
    search(&mut a, "v");
    count_all(&mut a);
    let v = a.search().matches.count();
    a.update(Action::SearchInput('e'));
    assert!(a.counting());
    a.update(Action::SearchBackspace);
    assert!(!a.counting(), "the count of 'v' is kept");
    assert_eq!(a.search().matches.count(), v);
    // Typing it again does count again (it was not done when left), and
    // gets the same as a search typed at once.
    a.update(Action::SearchInput('e'));
    count_all(&mut a);
    let ve = a.search().matches.count().expect("counted");
    let mut b = big_app(3000, "", 0);
    search(&mut b, "ve");
    count_all(&mut b);
    assert_eq!(b.search().matches.count(), Some(ve));
    // A new search forgets the old queries' matches.
    a.update(Action::SearchConfirm);
    search(&mut a, "ve");
    assert!(a.counting());
}

#[test]
fn keys_while_counting_find_the_same_matches() {
    let mut a = big_app(3000, "", 0);
    search(&mut a, "tussen");
    assert!(a.counting());
    a.update(Action::SearchConfirm);
    // n before the count is done: the next match, counted or not.
    let first = a.current_hit().expect("found");
    a.update(Action::NextMatch);
    let second = a.current_hit().expect("next");
    assert!((second.block, second.range.start) > (first.block, first.range.start));
    count_all(&mut a);
    assert_eq!(a.current_rank(), Some(1));
    // The overview counts what is left before it lists them by rank.
    search(&mut a, "tussen");
    assert!(a.counting());
    a.update(Action::Results);
    assert!(!a.counting());
    assert!(matches!(a.mode(), Mode::Results { .. }));
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
    fn staleness_is_told_on_a_new_second_and_the_same_second_again_changes_nothing() {
        let mut a = sitrep();
        at(&mut a, NOW);
        assert_eq!(
            a.notice(),
            Some("2 thema's verouderd · m: alleen die tonen")
        );
        // The loop ticks after every event and counted slice: within one
        // second that is no frame and no look at every theme.
        let again = Clock {
            unix: NOW,
            local: (10, 15),
        };
        assert_eq!(a.handle(Event::Clock(again)), Effect::None);
        assert!(
            a.handle(Event::Clock(Clock {
                unix: NOW + 1,
                ..again
            })) != Effect::None
        );
    }

    #[test]
    fn the_filter_shows_changed_stale_or_open_action_themes() {
        let mut a = sitrep();
        at(&mut a, NOW);
        let titles = |a: &App| {
            a.rows()
                .iter()
                .map(|&i| a.doc().entry_title(i).to_owned())
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
            .position(|e| a.doc.title_of(e) == "Communicatie")
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
            .map(|(b, _)| b.text)
            .collect();
        assert_eq!(
            marked,
            ["Persconferentie om 14.00 uur in het gemeentehuis."]
        );
    }

    #[test]
    fn the_whole_report_arrives_compared_and_its_marks_are_taken_as_they_come() {
        let src = include_str!("../../examples/hoogwater.toml");
        let path = std::path::Path::new("h.toml");
        let first = Doc::new(&Report::from_toml(src, path).expect("valid"));
        let mut a = App::new(
            first,
            100,
            30,
            Setup {
                partial: true,
                ..Setup::default()
            },
        );
        let whole = std::sync::Arc::new(Doc::new(&Report::from_toml(src, path).expect("valid")));
        // Compared where it was prepared: the reader's thread does not
        // compare again (here the comparison says theme 1 changed, though
        // what was seen is this very report).
        let mut changes = Changes::unchanged(&whole);
        changes.entries[1] = Change::Changed;
        let baseline = crate::changes::Baseline {
            seen: Seen::of(&whole),
            changes,
        };
        a.handle(Event::Loaded(whole, Some(baseline)));
        assert_eq!(a.change(1), Change::Changed);
        assert_eq!(
            a.notice().map(|n| n.starts_with("1 ")),
            Some(true),
            "{:?}",
            a.notice()
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
        a.handle(Event::Reloaded(doc.into(), None));
        assert_eq!(a.selected(), before, "same theme by title path");
        let bevolkingszorg = a
            .doc
            .entries
            .iter()
            .position(|e| a.doc.title_of(e) == "Bevolkingszorg")
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

    /// A reload arrives compared where it was read; its marks are taken as
    /// they come while they hold (the same version on screen, nothing seen
    /// since), and made again here when a theme was seen meanwhile.
    #[test]
    fn a_reload_compared_where_it_was_read_is_taken_while_it_holds() {
        let src = include_str!("../../examples/hoogwater.toml").replace("300 mensen", "400 mensen");
        let new = std::sync::Arc::new(Doc::new(
            &Report::from_toml(&src, std::path::Path::new("h.toml")).expect("valid"),
        ));
        // A comparison that marks only theme 0: the reader's thread would
        // have marked Bevolkingszorg instead.
        let fabricated = |a: &App| {
            let mut c = a.reload_against().compare(&new);
            c.changes = Changes::unchanged(&new);
            c.changes.entries[0] = Change::Changed;
            c
        };
        let mut a = sitrep();
        let c = fabricated(&a);
        a.handle(Event::Reloaded(new.clone(), Some(c)));
        assert_eq!(a.change(0), Change::Changed, "taken as it came");

        // Seen meanwhile: out of date, compared again here.
        let mut b = sitrep();
        let c = fabricated(&b);
        b.marks.version += 1;
        b.handle(Event::Reloaded(new.clone(), Some(c)));
        assert_eq!(b.change(0), Change::Same, "made again");
        let bevolkingszorg = (0..b.doc.entries.len())
            .find(|&i| b.doc.entry_title(i) == "Bevolkingszorg")
            .expect("theme");
        assert_eq!(b.change(bevolkingszorg), Change::Changed);
    }

    /// F with no presenter to follow says so (it did nothing).
    #[test]
    fn follow_again_without_a_presenter_says_so() {
        let mut a = sitrep();
        a.update(Action::Reattach);
        assert_eq!(a.notice(), Some(a.labels().not_following));
    }

    #[test]
    fn no_changes_says_so() {
        // Nothing remembered (a first visit, or --no-state): there is no
        // "last time", only since the report was opened.
        let mut a = sitrep();
        a.update(Action::NextChanged);
        assert_eq!(a.notice(), Some(a.labels().no_changes_opened));
        let seen = crate::changes::Seen::of(a.doc());
        let mut b = sitrep_with(Setup {
            seen: Some(seen),
            ..Setup::default()
        });
        b.update(Action::NextChanged);
        assert_eq!(b.notice(), Some(b.labels().no_changes));
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

    /// Backspace pages back through a tall slide before it goes back a
    /// slide, as Space paged on (found at 20x5).
    #[test]
    fn backspace_pages_back_through_a_tall_slide_first() {
        let mut a = app(40, 12);
        a.update(Action::TogglePresent);
        a.update(Action::Digit(2));
        a.update(Action::Enter);
        assert_eq!((title(&a), a.scroll()), ("Kernboodschap", 0));
        a.update(Action::RevealNext);
        assert!(
            a.scroll() > 0,
            "Kernboodschap is taller than the page: Space paged"
        );
        a.update(Action::RevealPrev);
        assert_eq!((title(&a), a.scroll()), ("Kernboodschap", 0), "paged back");
        a.update(Action::RevealPrev);
        assert_eq!(title(&a), "Inleiding", "at its top, back a slide");
    }

    /// A slide jumped to (its number and Enter, g, G) opens at its top,
    /// wherever the slide before was scrolled to (found at 40x12).
    #[test]
    fn a_slide_jumped_to_opens_at_its_top() {
        let mut a = app(40, 12);
        a.update(Action::TogglePresent);
        // All points shown: the slides are taller than the page.
        a.update(Action::ToggleAll);
        for d in [3, 4] {
            a.update(Action::Digit(d));
            a.update(Action::Enter);
            for _ in 0..8 {
                a.update(Action::Down);
            }
            assert!(a.scroll() > 0, "slide {d} scrolled down");
        }
        for (jump, want) in [
            (Action::Top, 0),
            (Action::Bottom, a.doc().entries.len() - 1),
        ] {
            a.update(Action::Digit(3));
            a.update(Action::Enter);
            for _ in 0..8 {
                a.update(Action::Down);
            }
            a.update(jump);
            assert_eq!((a.selected(), a.scroll()), (want, 0));
        }
        a.update(Action::Digit(3));
        a.update(Action::Enter);
        for _ in 0..8 {
            a.update(Action::Down);
        }
        a.update(Action::Digit(4));
        a.update(Action::Enter);
        assert_eq!((a.selected(), a.scroll()), (3, 0), "slide 4 at its top");
    }

    /// On a small screen a slide's text is taller than the page: Space
    /// pages through it before it reveals or moves on, and a new slide
    /// opens at its top, never at its end (found at 40x12).
    #[test]
    fn space_pages_through_a_tall_slide_and_a_new_slide_opens_at_its_top() {
        let mut a = app(40, 12);
        a.update(Action::TogglePresent);
        // Inleiding is taller than the page too: Space pages through it first.
        for _ in 0..50 {
            if title(&a) != "Inleiding" {
                break;
            }
            a.update(Action::RevealNext);
        }
        assert_eq!(title(&a), "Kernboodschap");
        assert_eq!(a.scroll(), 0, "a new slide opens at its top");
        assert!(a.more().1, "Kernboodschap is taller than 40x12");
        let mut pages = 0;
        while a.more().1 {
            let before = a.scroll();
            a.update(Action::RevealNext);
            assert_eq!(title(&a), "Kernboodschap", "Space moved on before the end");
            assert!(a.scroll() > before, "Space did not page down");
            assert!(
                a.scroll() - before < a.page(),
                "a page down keeps a line of context"
            );
            pages += 1;
            assert!(pages < 50, "never reached the end");
        }
        a.update(Action::RevealNext);
        assert_ne!(title(&a), "Kernboodschap", "at its end Space moves on");
        assert_eq!(a.scroll(), 0);
    }

    /// A revealed point comes into view without its first line scrolled
    /// away, and the text before it stays as far as the page allows.
    #[test]
    fn a_revealed_point_shows_from_its_first_line() {
        let mut a = app(40, 12);
        apply(&mut a, &[Action::Down, Action::Down, Action::TogglePresent]);
        while a.more().1 {
            a.update(Action::RevealNext);
        }
        for _ in 0..5 {
            let start = a.shown().len();
            a.update(Action::RevealNext);
            let top = a.pinned_title() + a.scroll();
            assert!(
                top <= start,
                "the new point's first line (line {start}) is above the screen (top {top})"
            );
            while a.more().1 {
                a.update(Action::RevealNext);
            }
        }
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
    fn w_says_why_there_is_no_list_of_viewers() {
        let mut a = app(80, 24);
        apply(&mut a, &[Action::ShowRoom]);
        assert_eq!(a.notice(), Some(a.labels().not_serving));
        let setup = Setup {
            follow: true,
            mirror: true,
            ..Setup::default()
        };
        let mut viewer = App::new(Doc::new(&Report::builtin()), 80, 24, setup);
        apply(&mut viewer, &[Action::ShowRoom]);
        // Not "start with --serve": a viewer joined through it.
        assert_eq!(viewer.notice(), Some(viewer.labels().room_is_presenters));
    }

    #[test]
    fn a_viewer_of_a_served_report_takes_on_the_presenters_screen() {
        let mut presenter = app(100, 30);
        let mut v = App::new(
            Doc::new(&Report::builtin()),
            60,
            20,
            Setup {
                follow: true,
                mirror: true,
                ..Setup::default()
            },
        );
        let tell = |v: &mut App, p: &App| {
            v.handle(Event::Followed(Ok(crate::share::Followed {
                position: p.position(),
                writer: None,
                alive: true,
            })))
        };
        apply(
            &mut presenter,
            &[
                Action::Down,
                Action::Down,
                Action::TogglePresent,
                Action::RevealNext,
            ],
        );
        tell(&mut v, &presenter);
        assert!(v.presenting(), "the presenter presents: so does the viewer");
        assert_eq!(v.progress(), presenter.progress());
        presenter.update(Action::TogglePresent);
        tell(&mut v, &presenter);
        assert!(!v.presenting(), "and back to the browser with them");
        // Leaving the presenter's screen on one's own is wandering off.
        apply(&mut presenter, &[Action::TogglePresent]);
        tell(&mut v, &presenter);
        v.update(Action::TogglePresent);
        assert!(!v.presenting());
        assert!(!v.follow().expect("following").attached);
        tell(&mut v, &presenter);
        assert!(!v.presenting(), "a detached viewer stays where they went");
        v.update(Action::Reattach);
        assert!(v.presenting());
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

/// Issue "A new user's first hour": what a new reader ran into, at the
/// state level (the screens are in `ui::tests`, the terminal in tests/).
mod first_hour {
    use super::*;
    use crate::app::{Clock, Event, Problem};
    use crate::changes::Seen;
    use crate::script::press;

    fn at(app: &mut App, unix: u64) {
        app.handle(Event::Clock(Clock {
            unix,
            local: (10, 0),
        }));
    }

    fn sitrep(src: &str, seen: Option<Seen>) -> App {
        let doc = Doc::new(&Report::from_toml(src, std::path::Path::new("h.toml")).expect("valid"));
        App::new(
            doc,
            100,
            30,
            Setup {
                seen,
                ..Setup::default()
            },
        )
    }

    const HOOGWATER: &str = include_str!("../../examples/hoogwater.toml");

    fn edited() -> String {
        HOOGWATER.replace(
            "Persconferentie om 13.00 uur",
            "Persconferentie om 15.30 uur",
        )
    }

    fn old_seen() -> Seen {
        Seen::of(&Doc::new(
            &Report::from_toml(HOOGWATER, std::path::Path::new("h.toml")).expect("valid"),
        ))
    }

    /// §1: a slide longer than the screen can be read: revealing keeps the
    /// newest point on screen, j/k scroll both ways, the title stays, and
    /// the state says there is more above or below.
    #[test]
    fn a_long_slide_scrolls_both_ways_under_its_title() {
        let mut a = app(80, 12);
        press(&mut a, "jjp");
        press(&mut a, "aa");
        assert_eq!(a.progress(), Some((0, 5)));
        for _ in 0..5 {
            press(&mut a, "<Space>");
            let last = a.shown().len() - 1;
            let on_screen = a.pinned_title() + a.scroll() + a.page();
            assert!(last < on_screen, "the newest point is off screen");
        }
        assert!(a.scroll() > 0, "the slide is longer than the screen");
        assert!(a.pinned_title() > 0, "the title stays");
        assert_eq!(a.more(), (true, false));
        let bottom = a.scroll();
        press(&mut a, "k");
        assert_eq!(a.scroll(), bottom - 1, "k scrolls up");
        assert_eq!(a.more(), (true, true));
        press(&mut a, "kkkkkkkkkkkkkkkkkkkkkkkkkkkk");
        assert_eq!((a.scroll(), a.more().0), (0, false));
        press(&mut a, "j");
        assert_eq!(a.scroll(), 1, "j scrolls down");
        assert_eq!(a.progress(), Some((5, 5)), "scrolling reveals nothing");
    }

    /// §1: a follower shows the presenter's elapsed time, not its own.
    #[test]
    fn a_follower_shows_the_presenters_time() {
        let mut presenter = app(100, 30);
        at(&mut presenter, 1_000);
        press(&mut presenter, "p");
        at(&mut presenter, 1_000);
        let mut f = App::new(
            Doc::new(&Report::builtin()),
            60,
            20,
            Setup {
                follow: true,
                present: true,
                ..Setup::default()
            },
        );
        at(&mut f, 1_050);
        f.handle(Event::Followed(Ok(crate::share::Followed {
            position: presenter.position(),
            writer: None,
            alive: true,
        })));
        assert_eq!(f.elapsed(), Some(50));
    }

    /// §5: counts and half pages, as in less and vim.
    #[test]
    fn counts_and_half_pages() {
        let mut a = app(80, 12);
        press(&mut a, "3j");
        assert_eq!(a.selected(), 3);
        press(&mut a, "1G");
        assert_eq!(a.selected(), 0);
        press(&mut a, "99j");
        assert_eq!(a.selected(), 6, "clamped at the last theme");
        press(&mut a, "3G<Enter>");
        assert_eq!(a.selected(), 2);
        let page = a.page();
        press(&mut a, "d");
        assert_eq!(a.scroll(), page / 2);
        press(&mut a, "u<C-e><C-e>");
        assert_eq!(a.scroll(), 2);
        press(&mut a, "<C-y>");
        assert_eq!(a.scroll(), 1);
        press(&mut a, "2<C-e>");
        assert_eq!(a.scroll(), 3);
    }

    /// §2: the screen's next change by itself is known, so an idle wall
    /// screen wakes exactly then: the next minute of an age, a theme
    /// becoming stale, the next update passing.
    #[test]
    fn the_next_change_of_an_idle_screen_is_known() {
        let mut a = sitrep(HOOGWATER, None);
        // 2026-11-27 10:15:30 +01:00: every theme's age is in hours; the one
        // updated at 08:30 turns "2h" at 10:30:00 and stale a second later.
        let now = 1_795_770_930;
        at(&mut a, now);
        // First the countdown to the next update (12:00) drops a minute.
        assert_eq!(a.next_change(), Some(now + 30));
        at(&mut a, now + 840);
        assert_eq!(a.next_change(), Some(now + 870));
        at(&mut a, now + 870);
        assert_eq!(a.next_change(), Some(now + 871));
        assert!(!a.is_stale(1));
        at(&mut a, now + 871);
        assert!(a.is_stale(1), "stale at the moment foreseen");
    }

    /// §4: the first time change marks appear, the status line says in
    /// words what they mean and which key goes to them.
    #[test]
    fn first_marks_are_explained_in_words() {
        let a = sitrep(&edited(), Some(old_seen()));
        assert_eq!(
            a.notice(),
            Some("1 thema nieuw of gewijzigd sinds uw vorige bezoek · c: volgende")
        );
    }

    /// §4: "unseen" is state: a changed theme counts as seen only after it
    /// was on screen for a second; passing it does not count.
    #[test]
    fn a_change_stays_marked_until_the_theme_was_really_seen() {
        let mut a = sitrep(&edited(), Some(old_seen()));
        let communicatie = a
            .doc()
            .entries
            .iter()
            .position(|e| a.doc().title_of(e) == "Communicatie")
            .expect("theme");
        let was_marked = |a: &App| {
            let (seen, _) = a.remembered();
            crate::changes::Changes::compare(a.doc(), &seen).entries[communicatie]
                != crate::changes::Change::Same
        };
        at(&mut a, 100);
        press(&mut a, &format!("{}G", communicatie + 1));
        at(&mut a, 100);
        press(&mut a, "k");
        at(&mut a, 103);
        assert!(was_marked(&a), "passed over, not seen");
        let version = a.seen_version();
        at(&mut a, 104);
        press(&mut a, "j");
        at(&mut a, 104);
        assert!(was_marked(&a), "on screen for less than a second");
        at(&mut a, 105);
        assert!(!was_marked(&a), "seen after a second on screen");
        assert!(
            a.seen_version() > version,
            "the terminal layer is told to save"
        );
    }

    /// §4: the filter names say what they mean; when one matches nothing
    /// the text shows no theme the list does not show, and says how back.
    #[test]
    fn an_empty_filter_shows_no_text_and_says_how_to_get_back() {
        let mut a = sitrep(HOOGWATER, None);
        press(&mut a, "m");
        assert!(a.filtered_out(), "nothing is new against itself");
        let screen = crate::script::screen(&a).join("\n");
        assert!(
            screen.contains("[nieuw sinds uw vorige bezoek]"),
            "{screen}"
        );
        assert!(
            screen.contains("Druk m voor het volgende filter"),
            "{screen}"
        );
        assert!(
            !screen.contains("De Maas bij Eijsden"),
            "another theme's text:\n{screen}"
        );
        press(&mut a, "mmm");
        assert!(!a.filtered_out());
    }

    /// §5: a reload error's whole message is one key away.
    #[test]
    fn the_whole_error_is_one_key_away() {
        let mut a = app(80, 24);
        a.handle(Event::ReloadFailed(Problem {
            short: "r.toml:4:3: unknown key `tilte`, expected one of `title`, `body`, `points`".into(),
            full: "r.toml:4:3: unknown key `tilte`, expected one of `title`, `body`, `points`; keys are case-sensitive, check the spelling\n    tilte = 1".into(),
        }));
        let status = crate::script::screen(&a)[23].clone();
        assert!(status.contains("e: hele melding"), "{status}");
        press(&mut a, "e");
        let screen = crate::script::screen(&a).join("\n");
        assert!(
            screen.contains("keys are case-sensitive") && screen.contains("tilte = 1"),
            "{screen}"
        );
        press(&mut a, "<Esc>");
        assert_eq!(a.mode(), Mode::Browse);
    }

    /// The list of matches after a search that found none says so, not that
    /// nothing was searched.
    #[test]
    fn the_list_of_matches_after_a_search_that_found_none_says_none() {
        let mut a = app(80, 24);
        press(&mut a, "/xyzq<Enter>r");
        assert_eq!(a.notice(), Some("geen treffers"));
        press(&mut a, "<Esc>r");
        assert_eq!(a.notice(), Some("nog niet gezocht: druk / om te zoeken"));
    }

    /// `G` while only the first themes of a large report are there means
    /// the report's last theme: it is gone to once the rest is in; a move
    /// after it means what it says.
    #[test]
    fn the_last_theme_asked_for_early_is_the_last_of_the_whole_report() {
        let path = std::path::Path::new("r.toml");
        let theme = |k: usize| format!("[[theme]]\ntitle = \"T{k}\"\nbody = \"b\"\n");
        let src = |n: usize| format!("title = \"R\"\n{}", (0..n).map(theme).collect::<String>());
        let partial = |keys: &str| {
            let first = Doc::from_source(src(3), path).expect("valid");
            let mut a = App::new(
                first,
                80,
                24,
                Setup {
                    partial: true,
                    ..Setup::default()
                },
            );
            press(&mut a, keys);
            let whole = std::sync::Arc::new(Doc::from_source(src(9), path).expect("valid"));
            a.handle(Event::Loaded(whole, None));
            a.selected()
        };
        assert_eq!(partial("G"), 8, "the last of all nine");
        assert_eq!(partial("Gk"), 1, "moved up after: where it was");
        assert_eq!(partial("j"), 1);
    }

    /// A reload that fails is said at once, not after the word about the
    /// start still on the line (which themes changed or went stale).
    #[test]
    fn a_failed_reload_takes_the_place_of_the_notice_at_once() {
        let mut a = app(80, 24);
        a.notice = Some("4 thema's verouderd · m: alleen die tonen".into());
        a.handle(Event::ReloadFailed(Problem::line(
            "h.toml:80:1: unknown key `foo`".into(),
        )));
        assert_eq!(a.notice(), None);
        let status = crate::script::screen(&a)[23].clone();
        assert!(
            status.starts_with("h.toml:80:1: unknown key `foo`"),
            "{status}"
        );
    }

    /// §5: the match overview pages by the rows it really shows.
    #[test]
    fn the_match_overview_pages_by_its_own_rows() {
        let mut a = app(40, 12);
        press(&mut a, "/de<C-r>");
        let rows = a.areas().results_rows();
        let drawn = crate::script::screen(&a)
            .iter()
            .filter(|r| r.starts_with('│') && r.len() > 2)
            .count();
        assert_eq!(rows, drawn, "the page is the rows drawn");
        press(&mut a, &"j".repeat(rows - 1));
        assert!(
            matches!(a.mode(), Mode::Results { offset: 0, .. }),
            "scrolled too early"
        );
        press(&mut a, "j");
        assert!(matches!(a.mode(), Mode::Results { offset: 1, .. }));
    }
}

/// At 40x12 a help text longer than the column goes on under itself
/// instead of being cut ("Space  pagina omlaag; aa…" was all it said).
#[test]
fn narrow_help_wraps_its_texts_instead_of_cutting_them() {
    let mut a = app(40, 12);
    a.update(Action::ToggleHelp);
    let (columns, g) = a.help_pages();
    let all: Vec<crate::help::HelpLine> = columns.iter().flatten().cloned().collect();
    let room = usize::from(g.column_width) - crate::help::key_column(&all);
    let mut continued = 0;
    for line in &all {
        if let crate::help::HelpLine::Row(keys, text) = line {
            assert!(
                crate::text::display_width(text) <= room,
                "{keys:?} {text:?} is wider than the {room} columns it has"
            );
            continued += usize::from(keys.is_empty());
        }
    }
    assert!(continued > 0, "nothing needed wrapping at 40x12?");
    // A row's text is never split from its keys across columns or pages.
    for column in &columns {
        let first = column
            .iter()
            .find(|l| matches!(l, crate::help::HelpLine::Row(..)));
        if let Some(crate::help::HelpLine::Row(keys, text)) = first {
            assert!(
                !keys.is_empty(),
                "a column starts with the rest of a text: {text:?}"
            );
        }
    }
    // Every word of Space's text is there, across its lines.
    let text: Vec<&str> = all
        .iter()
        .filter_map(|l| match l {
            crate::help::HelpLine::Row(_, t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    assert!(text.join(" ").contains("daarna volgend thema"));
}

/// The state never imports the UI (or any terminal layer, session or
/// server): rendering reads the state, not the other way round. A
/// regression fails here.
#[test]
fn the_state_does_not_import_the_ui() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/app");
    for entry in std::fs::read_dir(dir).expect("src/app") {
        let path = entry.expect("entry").path();
        // Tests may render the state; the state itself may not.
        if path.ends_with("tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("source");
        for forbidden in [
            "crate::ui",
            "crate::term",
            "crate::session",
            "crate::serve",
            "crate::headless",
            "ratatui::buffer",
            "ratatui::Terminal",
        ] {
            assert!(
                !text.contains(forbidden),
                "{} uses {forbidden}: the state must not depend on rendering or terminals",
                path.display()
            );
        }
    }
}

/// Issue "A briefing has versions", at the state level.
mod versions {
    use std::sync::Arc;

    use super::*;
    use crate::app::{Event, Mode};
    use crate::history::VersionId;
    use crate::script::press;
    use crate::versions::{Row, Timeline};

    const V13: &str = include_str!("../../examples/hoogwater/sitrep-13.toml");
    const V15: &str = include_str!("../../examples/hoogwater/sitrep-15.toml");

    fn doc(src: &str) -> Arc<Doc> {
        Arc::new(Doc::new(
            &Report::from_toml(src, std::path::Path::new("s.toml")).expect("valid"),
        ))
    }

    fn row(src: &str, n: u32, current: bool) -> Row {
        Row {
            id: VersionId::of(src),
            number: Some(n),
            phase: None,
            as_of: None,
            as_of_text: None,
            first_seen: 0,
            counts: None,
            current,
        }
    }

    fn with_history() -> App {
        let mut a = App::new(doc(V15), 100, 30, Setup::default());
        a.handle(Event::Timeline(Arc::new(Timeline {
            rows: vec![row(V13, 13, false), row(V15, 15, true)],
            ..Timeline::default()
        })));
        a
    }

    #[test]
    fn a_reload_while_an_older_version_is_shown_waits_for_the_way_back() {
        let mut a = with_history();
        press(&mut a, "vg<Enter>");
        a.handle(Event::Version(VersionId::of(V13), Ok(doc(V13))));
        assert_eq!(a.doc().version.number, Some(13));
        let v16 = V15.replace("number         = 15", "number         = 16");
        a.handle(Event::Reloaded(doc(&v16), None));
        assert_eq!(
            a.doc().version.number,
            Some(13),
            "the older version stays on screen"
        );
        assert_eq!(a.current_doc().version.number, Some(16));
        press(&mut a, "<Esc>");
        assert_eq!(a.doc().version.number, Some(16), "back to the newest");
        assert!(a.old_version().is_none());
    }

    #[test]
    fn a_version_that_arrives_unasked_or_unreadable_changes_nothing() {
        let mut a = with_history();
        assert_eq!(
            a.handle(Event::Version(VersionId::of(V13), Ok(doc(V13)))),
            Effect::None
        );
        press(&mut a, "vg<Enter>");
        a.handle(Event::Version(VersionId::of(V13), Err("damaged".into())));
        assert_eq!(a.doc().version.number, Some(15));
        assert_eq!(a.notice(), Some("damaged"));
    }

    #[test]
    fn enter_on_an_action_goes_to_its_theme() {
        let mut a = App::new(doc(V15), 100, 30, Setup::default());
        press(&mut a, "A");
        assert!(matches!(a.mode(), Mode::List { .. }));
        let first = a.actions_by_due()[0];
        let entry = a.doc().actions[first].entry;
        press(&mut a, "<Enter>");
        assert_eq!(a.mode(), Mode::Browse);
        assert_eq!(a.selected(), entry);
    }

    #[test]
    fn reading_an_older_version_does_not_count_as_seeing_the_current_one() {
        let mut a = with_history();
        a.handle(Event::Clock(crate::app::Clock {
            unix: 1000,
            local: (10, 0),
        }));
        let before = (*a.remembered().0).clone();
        press(&mut a, "vg<Enter>");
        a.handle(Event::Version(VersionId::of(V13), Ok(doc(V13))));
        press(&mut a, "j");
        a.handle(Event::Clock(crate::app::Clock {
            unix: 1100,
            local: (10, 2),
        }));
        press(&mut a, "j");
        let after = (*a.remembered().0).clone();
        assert_eq!(before, after, "nothing of sitrep 13 was recorded as seen");
    }
}

#[test]
fn a_query_stops_growing_at_its_limit_typed_or_pasted() {
    let mut a = app(80, 24);
    search(&mut a, &"ab".repeat(search::MAX_QUERY));
    assert_eq!(a.search.query.chars().count(), search::MAX_QUERY);
    // A paste of a mebibyte, again and again: the query stays at its limit.
    a.update(Action::SearchBackspace);
    for _ in 0..3 {
        a.handle(Event::Paste("é".repeat(1 << 20)));
    }
    assert_eq!(a.search.query.chars().count(), search::MAX_QUERY);
    assert!(a.search.query.ends_with('é'));
    assert_eq!(a.search.cursor, a.search.query.len());
}
