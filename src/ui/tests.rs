use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use crate::action::Action;
use crate::app::App;
use crate::doc::Doc;
use crate::look::Look;
use crate::report::Report;

fn app(w: u16, h: u16) -> App {
    App::bare(Doc::new(&Report::builtin()), w, h)
}

fn app_look(w: u16, h: u16, look: Look) -> App {
    App::new(
        Doc::new(&Report::builtin()),
        w,
        h,
        crate::app::Setup {
            look,
            ..crate::app::Setup::default()
        },
    )
}

fn draw(app: &App) -> Buffer {
    let (w, h) = app.size();
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    t.draw(|f| super::render(app, f)).expect("draw");
    t.backend().buffer().clone()
}

fn rows(buf: &Buffer) -> Vec<String> {
    let area = buf.area;
    (0..area.height)
        .map(|y| {
            let mut s = String::new();
            let mut x = 0;
            while x < area.width {
                let cell = &buf[(x, y)];
                s.push_str(cell.symbol());
                x += 1;
            }
            s
        })
        .collect()
}

/// Presses `keys` (a script: `crate::script`), then checks the whole screen.
fn step(app: &mut App, keys: &str, want: &[&str]) {
    crate::script::press(app, keys);
    assert_screen(app, want, keys);
}

/// Checks the whole screen `app` shows, row by row; prints it on a mismatch
/// so a changed screen can be read (and, reviewed, pasted).
fn assert_screen(app: &App, want: &[&str], after: &str) {
    let got = crate::script::screen(app);
    assert!(
        got == want,
        "the screen after {after:?} differs; it is:\n{}",
        got.iter()
            .map(|r| format!("    {r:?},"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The text of the cells drawn reversed (search hits) right of column `x0`
/// and above the status line, blanks left out: a match may wrap.
fn reversed_text(buf: &Buffer, x0: u16) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height.saturating_sub(1) {
        for x in x0..buf.area.width {
            let cell = &buf[(x, y)];
            if cell.modifier.contains(Modifier::REVERSED) && !cell.symbol().trim().is_empty() {
                out.push_str(cell.symbol());
            }
        }
    }
    out
}

fn search(app: &mut App, query: &str) {
    app.update(Action::SearchStart);
    for c in query.chars() {
        app.update(Action::SearchInput(c));
    }
}

/// The first screen, whole: the title and kind in the header, every theme
/// in the list (sub-themes indented, long titles cut with "…"), the first
/// theme's text, and the key hints with the position in the status line.
#[test]
fn at_80x24_every_theme_is_listed_and_the_first_is_shown() {
    let a = app(80, 24);
    let blank = "                          │";
    let mut want = vec![
        "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
        "Inleiding                 │ Inleiding",
        "Kernboodschap             │",
        "  Verbinden op verschille…│ Het Nederlands Instituut Publieke Veiligheid heeft",
        "  Leren en reflecteren    │ het onderzoek ‘De Veiligheidsregio als verbinder’",
        "  De toekomstige rol van… │ gepubliceerd. De afgelopen twee jaren zijn",
        "Consequenties             │ verschillende onderzoeken gedaan naar de rol van de",
        "Communicatie              │ Veiligheidsregio in de coronacrisis. Het",
        "                          │ bijgevoegde rapport geeft een overkoepelende",
        "                          │ beschouwing daarvan.",
    ];
    want.extend([blank; 13]);
    want.push("/ zoeken  ? hulp  q stoppen                                                  1/7");
    assert_screen(&a, &want, "nothing");
    // The selected theme is drawn as the focused selection; no other is.
    let buf = draw(&a);
    assert!(buf[(0, 1)].modifier.contains(Modifier::REVERSED));
    assert!((2..8).all(|y| !buf[(0, y)].modifier.contains(Modifier::REVERSED)));
}

#[test]
fn the_selected_theme_is_reversed_without_colour() {
    let a = app_look(
        80,
        24,
        Look {
            color: false,
            ascii: false,
        },
    );
    let buf = draw(&a);
    assert!(buf[(0, 1)].modifier.contains(Modifier::REVERSED));
    assert!(!buf[(0, 2)].modifier.contains(Modifier::REVERSED));
    for cell in buf.content() {
        assert_eq!(
            (cell.fg, cell.bg),
            (Color::Reset, Color::Reset),
            "no colour with NO_COLOR"
        );
    }
}

/// The first screen at 40x12.
const AT_40X12: [&str; 12] = [
    "Het rapport ‘de Veiligheidsregio als ve…",
    "Inleiding",
    "Kernboodschap",
    "  Verbinden op verschillende manieren",
    "────────────────────────────────── ▼4 ──",
    " Inleiding",
    "",
    " Het Nederlands Instituut Publieke",
    " Veiligheid heeft het onderzoek ‘De",
    " Veiligheidsregio als verbinder’",
    " gepubliceerd. De afgelopen twee jaren",
    "/ zoeken  ? hulp  q stoppen          1/7",
];

/// Narrow: the list (three rows) above a divider row, the text below with
/// one column of margin, the status line last.
#[test]
fn at_40x12_the_list_stands_above_the_text() {
    let a = app(40, 12);
    assert_screen(&a, &AT_40X12, "nothing");
}

#[test]
fn an_empty_theme_shows_the_placeholder() {
    let mut a = app(80, 24);
    a.update(Action::Bottom);
    let r = rows(&draw(&a));
    assert!(r[3].contains("(geen tekst)"), "{}", r[3]);
}

#[test]
fn too_small_shows_a_notice_and_never_panics() {
    // What is wrong and what it takes, wrapped over the rows there are;
    // with too few, what it takes.
    let shown = |w, h| -> Vec<String> {
        let r = rows(&draw(&app(w, h)));
        r.iter()
            .map(|l| l.trim_end().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    };
    assert_eq!(shown(40, 4), ["venster te klein (min. 20x5)"]);
    assert_eq!(shown(19, 10), ["venster te klein", "(min. 20x5)"]);
    assert_eq!(shown(10, 3), ["min. 20x5"]);
    assert_eq!(shown(5, 2), ["min.", "20x5"]);
    assert_eq!(shown(1, 1), ["m"]);
    assert_eq!(shown(2, 30).concat(), "vensterteklein(min.20x5)");
    // Every small size, and a sample of larger ones.
    let sizes = (0..=30u16).flat_map(|w| (0..=14u16).map(move |h| (w, h)));
    let sample = (31..=130u16)
        .step_by(7)
        .flat_map(|w| (15..=40u16).step_by(5).map(move |h| (w, h)));
    for (w, h) in sizes.chain(sample) {
        {
            let mut a = app(w, h);
            draw(&a);
            search(&mut a, "crisis");
            draw(&a);
            a.update(Action::Results);
            draw(&a);
        }
    }
}

#[test]
fn matches_are_highlighted_and_the_current_one_more_strongly() {
    let mut a = app_look(
        80,
        24,
        Look {
            color: false,
            ascii: false,
        },
    );
    search(&mut a, "veiligheidsregio");
    let buf = draw(&a);
    let r = rows(&buf);
    let mut current = 0;
    let mut other = 0;
    for (y, row) in r.iter().enumerate().skip(1).take(22) {
        let x0 = u16::try_from(row.chars().take_while(|c| *c != '│').count()).unwrap_or(0);
        for x in x0..80 {
            let m = buf[(x, u16::try_from(y).unwrap_or(0))].modifier;
            if m.contains(Modifier::REVERSED | Modifier::BOLD | Modifier::UNDERLINED) {
                current += 1;
            } else if m.contains(Modifier::REVERSED) {
                other += 1;
            }
        }
    }
    assert_eq!(
        current,
        "veiligheidsregio".len(),
        "exactly the current match is strong"
    );
    assert!(other > 0, "other matches are highlighted too");
    let status = &r[23];
    assert!(
        status.contains("Zoek: veiligheidsregio") && status.contains("treffer 1/"),
        "{status}"
    );
}

#[test]
fn the_search_bar_echoes_control_characters_inertly() {
    let mut a = app(80, 24);
    search(&mut a, "a\u{1b}[2Jb");
    let r = rows(&draw(&a));
    assert!(!r[23].contains('\u{1b}'));
}

#[test]
fn help_lists_every_binding() {
    let mut a = app(100, 60);
    a.update(Action::ToggleHelp);
    // Every page of it.
    let mut text = String::new();
    for _ in 0..a.help_pages().1.pages {
        text.push_str(&rows(&draw(&a)).join("\n"));
        a.update(Action::PageDown);
    }
    for b in crate::keymap::BROWSE {
        assert!(text.contains(b.help[1]), "help lacks {:?}", b.help[1]);
    }
    assert!(text.contains("Toetsen"));
}

#[test]
fn ascii_mode_draws_only_ascii() {
    let mut a = app_look(
        80,
        24,
        Look {
            color: true,
            ascii: true,
        },
    );
    a.update(Action::ToggleHelp);
    let text = rows(&draw(&a)).join("");
    let report_text: String =
        a.doc().blocks.iter().map(|b| b.text).collect::<String>() + &a.doc().title;
    for c in text.chars().filter(|c| !c.is_ascii()) {
        assert!(
            report_text.contains(c),
            "non-ASCII {c:?} not from the report"
        );
    }
}

// The cells of the text panel drawn with the current-match style, as text.
fn strong_text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            if cell
                .modifier
                .contains(Modifier::REVERSED | Modifier::BOLD | Modifier::UNDERLINED)
            {
                out.push_str(cell.symbol());
            }
        }
        out.push('|');
    }
    out.split('|')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("|")
}

#[test]
fn a_match_split_across_wrapped_lines_is_highlighted_on_both() {
    let mut a = app_look(
        80,
        24,
        Look {
            color: false,
            ascii: false,
        },
    );
    search(&mut a, "waren de veiligheidsregio");
    let buf = draw(&a);
    // At 80x24 the line breaks after "waren de".
    assert_eq!(strong_text(&buf), "waren de|veiligheidsregio");
    // A resize re-wraps the text; the highlight follows the characters.
    a.update(Action::Resize(120, 30));
    let buf = draw(&a);
    assert_eq!(strong_text(&buf), "waren de veiligheidsregio");
    a.update(Action::Resize(40, 12));
    let text = strong_text(&draw(&a)).replace('|', " ");
    assert_eq!(text, "waren de veiligheidsregio");
}

#[test]
fn a_match_across_folded_characters_highlights_the_originals() {
    let mut a = app_look(
        80,
        24,
        Look {
            color: false,
            ascii: false,
        },
    );
    search(&mut a, "geexperimenteerd");
    assert_eq!(strong_text(&draw(&a)), "geëxperimenteerd");
    a.update(Action::SearchConfirm);
    search(&mut a, "'geexperimenteerd'");
    assert_eq!(strong_text(&draw(&a)), "‘geëxperimenteerd’");
}

fn sitrep(w: u16, h: u16) -> App {
    let src = include_str!("../../examples/hoogwater.toml");
    let doc = Doc::new(&Report::from_toml(src, std::path::Path::new("h.toml")).expect("valid"));
    let mut a = App::bare(doc, w, h);
    // 2026-11-27 10:15 +01:00: a fixed clock.
    a.handle(crate::app::Event::Clock(crate::app::Clock {
        unix: 1_795_770_900,
        local: (10, 15),
    }));
    a
}

/// A list's highlighted row is given whole under the table, wrapped: at
/// 40 columns every cell of the actions table was cut ("Vervo…"; now the
/// least needed columns are left out), and even at 100 an action's text was.
#[test]
fn a_list_gives_its_highlighted_row_whole_under_the_table() {
    let mut a = sitrep(40, 12);
    crate::script::press(&mut a, "A");
    assert_screen(
        &a,
        &[
            "Hoogwater Maas en Roer   [Vertrouwelijk]",
            "┌ Acties (3) ──────────────────────────┐",
            "│vóór              actie               │",
            "│2026-11-27 12:00  Vervoer en opvang v…│",
            "│2026-11-27 16:00  Bewoners van de ris…│",
            "│2026-11-27 10:00  Zandzakken naar de… │",
            "│──────────────────────────────────────│",
            "│Vervoer en opvang voor de bewoners van│",
            "│De Wilgen regelen                     │",
            "│2026-11-27 12:00 · open · GHOR · Beeld│",
            "└ Enter ga naar het thema  Esc sluiten ┘",
            "Enter ga naar het thema  Esc sluiten 1/5",
        ],
        "A",
    );
}

/// A list's footer says what Enter does in that list, and keeps how to
/// close it on a narrow screen (at 40 columns it was cut to "…ga naar het
/// th", the way out gone).
#[test]
fn a_list_footer_keeps_the_way_out_and_says_what_enter_does_there() {
    let mut a = sitrep(40, 12);
    crate::script::press(&mut a, "A");
    let s = crate::script::screen(&a);
    assert_eq!(s[10], "└ Enter ga naar het thema  Esc sluiten ┘");
    let mut a = sitrep(30, 12);
    crate::script::press(&mut a, "A");
    let s = crate::script::screen(&a);
    assert_eq!(s[10], "└ Esc sluiten ───────────────┘");
    let mut a = sitrep(100, 12);
    crate::script::press(&mut a, "v");
    let s = crate::script::screen(&a);
    assert!(s[10].contains(" Enter toon de versie "), "{}", s[10]);
}

/// Help's footer keeps where the reader is and how to close help on a
/// narrow screen; how to page goes first ("… · Esc hul" at 40 columns).
#[test]
fn the_help_footer_keeps_the_page_and_the_way_out() {
    let mut a = app(40, 12);
    crate::script::press(&mut a, "?");
    let s = crate::script::screen(&a);
    let pages = a.help_pages().1.pages;
    let footer = format!(" 1/{pages} · Esc hulp sluiten ");
    let dashes = 38 - footer.chars().count();
    assert_eq!(s[10], format!("└{footer}{}┘", "─".repeat(dashes)));
}

/// The timeline says why it has nothing when no versions will come (with
/// `--no-state`, for the built-in report, when the history cannot be read),
/// instead of "laden…" for ever.
#[test]
fn the_timeline_says_why_no_versions_will_come() {
    use crate::app::{Event, NoVersions, Setup};
    let shown = |setup: Setup, event: Option<Event>| {
        let mut a = App::new(Doc::new(&Report::builtin()), 60, 10, setup);
        if let Some(e) = event {
            a.handle(e);
        }
        crate::script::press(&mut a, "v");
        crate::script::screen(&a)[2].clone()
    };
    let setup = |no_versions| Setup {
        no_versions,
        ..Setup::default()
    };
    assert_eq!(
        shown(setup(Some(NoVersions::NoState)), None).trim_end_matches([' ', '│']),
        "│met --no-state worden geen versies bewaard"
    );
    assert_eq!(
        shown(setup(Some(NoVersions::NoFile)), None).trim_end_matches([' ', '│']),
        "│het ingebouwde rapport heeft geen versies"
    );
    let failed = Event::TimelineFailed("map niet te lezen".into());
    assert_eq!(
        shown(setup(None), Some(failed)).trim_end_matches([' ', '│']),
        "│versies niet te lezen: map niet te lezen"
    );
    assert_eq!(
        shown(setup(None), None).trim_end_matches([' ', '│']),
        "│laden…"
    );
}

/// Where the status line has no room for every hint, the way to help (and
/// out) stays longest: a newcomer at 30 columns beside an overdue report
/// saw "/…" and no "? hulp".
#[test]
fn the_status_line_keeps_help_and_quit_longest() {
    let status = |w, h| {
        let a = app(w, h);
        crate::script::screen(&a)
            .last()
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(status(40, 12), "/ zoeken  ? hulp  q stoppen          1/7");
    assert_eq!(status(30, 10), "? hulp  q stoppen          1/7");
    assert_eq!(status(22, 10), "? hulp  q stoppen  1/7");
    // A less needed hint that still fits beside it stays too.
    assert_eq!(status(20, 10), "/ zoeken  ? hulp 1/7");
}

/// Help at 30 columns wraps a text that does not fit beside its keys, as
/// it does at 40, instead of cutting it ("volgend them…").
#[test]
fn help_wraps_its_texts_at_30_columns() {
    let mut a = app(30, 10);
    crate::script::press(&mut a, "?");
    let s = crate::script::screen(&a);
    let body = s[2..s.len() - 2].join("\n");
    assert!(body.contains("omlaag") && !body.contains('…'), "{body}");
}

/// An action that says nothing of its state is open, and its row says so
/// (its "stand" cell was empty while the filter counted it as open).
#[test]
fn an_action_without_a_state_reads_as_open() {
    let mut a = sitrep(100, 12);
    crate::script::press(&mut a, "A");
    let s = crate::script::screen(&a);
    let row = s
        .iter()
        .find(|r| r.contains("Bewoners van de"))
        .expect("the action's row");
    assert!(row.contains("Gemeente Roermond"), "{row}");
    let stand = row
        .split("  ")
        .filter(|c| !c.trim().is_empty())
        .nth(1)
        .unwrap_or("");
    assert_eq!(stand.trim(), "open", "{row}");
}

/// A list longer than its page keeps the highlighted row on screen all the
/// way down (the page was one row longer than the rows drawn).
#[test]
fn a_long_list_keeps_its_highlighted_row_in_view() {
    let mut src = String::from("title = \"R\"\n[[theme]]\ntitle = \"T\"\nactions = [\n");
    for i in 0..20 {
        src.push_str(&format!("  {{ text = \"Actie {i:02}\" }},\n"));
    }
    src.push_str("]\n");
    let doc = Doc::new(&Report::from_toml(&src, std::path::Path::new("r.toml")).expect("valid"));
    let mut a = App::bare(doc, 40, 12);
    for keys in ["A", "G", "gj", "G<Up>"] {
        crate::script::press(&mut a, keys);
        let s = crate::script::screen(&a);
        let crate::app::Mode::List { cursor, .. } = a.mode() else {
            panic!("a list is open");
        };
        let shown = format!("Actie {cursor:02}");
        let rows = s.iter().filter(|r| r.contains(&shown)).count();
        assert_eq!(rows, 2, "after {keys}: row and detail of {shown}\n{s:#?}");
    }
}

#[test]
fn the_list_shows_status_age_and_staleness() {
    let a = sitrep(100, 30);
    let r = rows(&draw(&a));
    let list: Vec<String> = r[1..7]
        .iter()
        .map(|l| l[..l.find('│').expect("divider")].trim_end().to_string())
        .collect();
    assert!(
        list[0].starts_with("Beeld") && list[0].ends_with("~ 2h"),
        "{:?}",
        list[0]
    );
    assert!(list[1].ends_with("+ 1h"), "{:?}", list[1]);
    assert!(
        list[2].starts_with("Bevolkingszorg") && list[2].ends_with("4h !"),
        "{:?}",
        list[2]
    );
    // Closed: old, but never stale.
    assert!(list[4].ends_with("× 16h"), "{:?}", list[4]);
    assert!(r[0].contains("[Vertrouwelijk]"), "{}", r[0]);
    assert!(r[2].contains("Eigenaar: Informatiemanager ROT"), "{}", r[2]);
}

#[test]
fn decisions_and_actions_are_labelled_blocks() {
    let a = sitrep(100, 40);
    let text = rows(&draw(&a)).join("\n");
    assert!(text.contains("Besluiten"), "{text}");
    assert!(
        text.contains("▸ Het beleidsteam kondigt GRIP 3 af"),
        "{text}"
    );
    assert!(text.contains("Acties"), "{text}");
    assert!(text.contains("□ Vervoer en opvang"), "{text}");
    assert!(text.contains("✓ Zandzakken"), "{text}");
}

#[test]
fn presenting_shows_one_theme_centred_with_a_footer() {
    let mut a = app(100, 30);
    for action in [
        Action::Down,
        Action::Down,
        Action::TogglePresent,
        Action::RevealNext,
    ] {
        a.update(action);
    }
    a.handle(crate::app::Event::Clock(crate::app::Clock {
        unix: 1_000_000,
        local: (14, 3),
    }));
    a.handle(crate::app::Event::Clock(crate::app::Clock {
        unix: 1_000_065,
        local: (14, 4),
    }));
    let buf = draw(&a);
    let r = rows(&buf);
    let title_row = r
        .iter()
        .position(|l| l.contains("Verbinden op verschillende manieren"))
        .expect("title");
    assert_eq!(
        r[title_row].find('V'),
        Some(15),
        "centred at a 70-column measure"
    );
    let cell = &buf[(15, u16::try_from(title_row).unwrap_or(0))];
    assert!(
        cell.modifier
            .contains(Modifier::BOLD | Modifier::UNDERLINED)
    );
    assert!(!r.iter().any(|l| l.contains('│')), "no list, no borders");
    assert_eq!(
        r.iter().filter(|l| l.contains('•')).count(),
        1,
        "one point revealed"
    );
    let footer = r[29].trim_end();
    assert!(footer.starts_with("thema 3/7  punt 1/5"), "{footer}");
    assert!(
        footer.ends_with("00:00  14:04") || footer.ends_with("01:05  14:04"),
        "{footer}"
    );
}

#[test]
fn a_one_letter_query_highlights_only_the_current_match() {
    let mut a = app_look(
        80,
        24,
        Look {
            color: false,
            ascii: false,
        },
    );
    search(&mut a, "e");
    let buf = draw(&a);
    let reversed = buf
        .content()
        .iter()
        .filter(|c| c.modifier.contains(Modifier::REVERSED))
        .count();
    // The list row and the status line are reversed too; one letter more is the match.
    let mut baseline = app_look(
        80,
        24,
        Look {
            color: false,
            ascii: false,
        },
    );
    search(&mut baseline, "zzzz");
    let base = draw(&baseline)
        .content()
        .iter()
        .filter(|c| c.modifier.contains(Modifier::REVERSED))
        .count();
    assert_eq!(reversed, base + 1, "only the current one-letter match");
    a.update(Action::SearchInput('n'));
    let buf = draw(&a);
    assert!(
        buf.content()
            .iter()
            .filter(|c| c.modifier.contains(Modifier::REVERSED))
            .count()
            > base + 4
    );
}

/// Issue "A new user's first hour" §3: the first screen of help at 80x24
/// holds what a new reader needs first: move, read, search, present, help,
/// quit; it says where the reader is (1/6) and how to page.
#[test]
fn help_at_80x24_starts_with_what_a_new_reader_needs() {
    let mut a = app(80, 24);
    crate::script::press(&mut a, "?");
    // Help has as many pages as the bindings need.
    let bottom = format!(
        "       └ 1/{} · PgDn volgende pagina · Esc hulp sluiten ─────────────────┘",
        a.help_pages().1.pages
    );
    let want: [&str; 24] = [
        "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
        "Inleidi┌ Toetsen ───────────────────────────────────────────────────────┐",
        "Kernboo│ Lezen                                                          │",
        "  Verbi│ ↓ j               volgend thema / regel omlaag                 │heeft",
        "  Leren│ ↑ k               vorig thema / regel omhoog                   │der’",
        "  De to│ Enter → l         lees het gekozen thema                       │",
        "Consequ│ Space             pagina omlaag; aan het eind volgend thema    │van de",
        "Communi│ /                 zoeken                                       │",
        "       │ p                 presenteren (één thema per scherm)           │",
        "       │ ? F1              hulp                                         │",
        "       │ q C-c             stoppen                                      │",
        "       │ ← h               terug naar de themalijst                     │",
        "       │ Tab               wissel tussen lijst en tekst                 │",
        "       │ S-Tab             wissel terug                                 │",
        "       │ PgDn f C-f        pagina omlaag                                │",
        "       │ PgUp b C-b        pagina omhoog                                │",
        "       │ d C-d             halve pagina omlaag                          │",
        "       │ u C-u             halve pagina omhoog                          │",
        "       │ C-e               tekst een regel omlaag                       │",
        "       │ C-y               tekst een regel omhoog                       │",
        "       │ Home g            eerste thema / begin van de tekst            │",
        "       │ End G             laatste thema / eind van de tekst            │",
        &bottom,
        "PgDn volgende pagina  Esc hulp sluiten                                       1/7",
    ];
    assert_eq!(crate::script::screen(&a), want);
}

#[test]
fn help_pages_and_returns_to_where_it_was_opened() {
    use crate::app::Mode;
    let mut a = app(80, 24);
    crate::script::press(&mut a, "?<PgDn>");
    let screen = crate::script::screen(&a).join("\n");
    let pages = a.help_pages().1.pages;
    assert!(screen.contains(&format!(" 2/{pages} ")), "{screen}");
    crate::script::press(&mut a, "G");
    let last = crate::script::screen(&a).join("\n");
    assert!(
        last.contains(&format!(" {pages}/{pages} ")) && last.contains("Tekens"),
        "the legend is last:\n{last}"
    );
    crate::script::press(&mut a, "g");
    assert!(
        crate::script::screen(&a)
            .join("\n")
            .contains(&format!(" 1/{pages} "))
    );
    // Keys in help page help; they do not move the theme underneath, and
    // q closes help rather than quitting.
    crate::script::press(&mut a, "jjk");
    assert_eq!(a.selected(), 0);
    assert_ne!(crate::script::press(&mut a, "q"), crate::app::Effect::Quit);
    assert_eq!(a.mode(), Mode::Browse);
    // Opened from the search bar: search's keys first, and back to the query.
    crate::script::press(&mut a, "/crisis<F1>");
    assert!(crate::script::screen(&a)[2].contains("Zoeken"));
    crate::script::press(&mut a, "<Esc>");
    assert_eq!(a.mode(), Mode::Search);
    assert_eq!(a.search().query, "crisis");
    // Opened while presenting: the presenting keys first.
    let mut p = app(80, 24);
    crate::script::press(&mut p, "p?");
    // No header while presenting: the overlay's first row holds the heading.
    assert!(crate::script::screen(&p)[1].contains("Presenteren"));
    crate::script::press(&mut p, "<Esc>");
    assert!(p.presenting() && p.mode() == Mode::Browse);
}

#[test]
fn the_room_overlay_lists_viewers_and_how_to_join() {
    use crate::room::{Room, Viewer};
    use std::sync::Arc;
    let mut a = app(80, 24);
    a.handle(crate::app::Event::Clock(crate::app::Clock {
        unix: 1_700_000_000,
        local: (10, 13),
    }));
    let viewer = |name: &str, following, size| Viewer {
        name: name.into(),
        address: "10.0.0.7:50022".into(),
        since: 1_700_000_000 - 180,
        following,
        size,
    };
    a.handle(crate::app::Event::Room(Arc::new(Room {
        viewers: vec![
            viewer("alice@laptop", Some(true), (80, 24)),
            viewer("code\x1b[2J", Some(false), (120, 40)),
        ],
        fingerprint: "SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG".into(),
        join: "ssh -p 2222 viewer@crisis-room".into(),
        code: Some("K7QX-M2PD-9FRT".into()),
    })));
    crate::script::press(&mut a, "w");
    let screen = crate::script::screen(&a);
    let blank = format!("│{:78}│", "");
    let mut want = vec![
        "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van"
            .to_string(),
        "┌ Wie kijkt mee · 2 kijkers ───────────────────────────────────────────────────┐".into(),
        "│ meekijken    ssh -p 2222 viewer@crisis-room                                  │".into(),
        "│ code         K7QX-M2PD-9FRT                                                  │".into(),
        "│ hostsleutel  SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG              │".into(),
        blank.clone(),
        "│ naam          adres           sinds  status        grootte                   │".into(),
        "│ alice@laptop  10.0.0.7:50022  10:10  volgt         80x24                     │".into(),
        // A name from outside is shown inert.
        "│ code�         10.0.0.7:50022  10:10  losgekoppeld  120x40                    │".into(),
    ];
    want.extend(std::iter::repeat_n(blank, 13));
    want.push(
        "└ Esc lijst van kijkers sluiten ───────────────────────────────────────────────┘".into(),
    );
    want.push(
        "Esc lijst van kijkers sluiten               2 kijkers · code K7QX-M2PD-9FRT  1/7".into(),
    );
    assert_eq!(screen, want);
    crate::script::press(&mut a, "<Esc>");
    assert_eq!(a.mode(), crate::app::Mode::Browse);
}

#[test]
fn w_says_how_to_serve_when_nobody_can_join() {
    let mut a = app(80, 24);
    crate::script::press(&mut a, "w");
    assert_eq!(a.mode(), crate::app::Mode::Browse);
    assert!(crate::script::screen(&a)[23].contains("--serve"));
}

/// Issue "A briefing has versions": the timeline, an older version, a
/// diff, the lists, the countdown, as screens (the state is in
/// `app::tests::versions`, the terminal and the history in tests/versions.rs).
mod versions {
    use std::sync::Arc;

    use crate::app::{App, Clock, Event, Setup};
    use crate::doc::Doc;
    use crate::history::VersionId;
    use crate::report::Report;
    use crate::script::{press, screen};
    use crate::versions::{Row, Timeline};

    const V13: &str = include_str!("../../examples/hoogwater/sitrep-13.toml");
    const V14: &str = include_str!("../../examples/hoogwater/sitrep-14.toml");
    const V15: &str = include_str!("../../examples/hoogwater/sitrep-15.toml");

    fn doc(src: &str) -> Arc<Doc> {
        Arc::new(Doc::new(
            &Report::from_toml(src, std::path::Path::new("sitrep.toml")).expect("valid"),
        ))
    }

    fn at(app: &mut App, unix: u64) {
        let day = unix % 86_400;
        app.handle(Event::Clock(Clock {
            unix,
            local: ((day / 3600) as u8, (day % 3600 / 60) as u8),
        }));
    }

    fn row(src: &str, number: u32, current: bool, counts: Option<crate::versions::Counts>) -> Row {
        let d = doc(src);
        Row {
            id: VersionId::of(src),
            number: Some(number),
            phase: d.version.phase,
            as_of: d.version.as_of.as_ref().map(|a| a.unix),
            as_of_text: d.version.as_of.as_ref().map(|a| a.text.clone()),
            first_seen: d.version.as_of.as_ref().map_or(0, |a| a.unix) + 300,
            counts,
            current,
        }
    }

    // Sitrep 15 on screen, with 13 and 14 kept before it.
    fn sitrep_15(w: u16, h: u16) -> App {
        let mut a = App::new(doc(V15), w, h, Setup::default());
        let d = |x, y| Some(crate::versions::compare(&doc(x), &doc(y)));
        let timeline = Timeline {
            rows: vec![
                row(V13, 13, false, None),
                row(V14, 14, false, d(V13, V14)),
                row(V15, 15, true, d(V14, V15)),
            ],
            unchanged_since: crate::versions::unchanged_since(&[
                (crate::versions::Since::Number(14), doc(V14)),
                (crate::versions::Since::Number(15), doc(V15)),
            ]),
            decided_in: Vec::new(),
        };
        a.handle(Event::Timeline(Arc::new(timeline)));
        let as_of_15 = a.doc().version.as_of.as_ref().map_or(0, |s| s.unix);
        at(&mut a, u64::try_from(as_of_15).unwrap_or(0) + 1200);
        a
    }

    #[test]
    fn the_header_names_the_version_and_the_classification_on_every_screen() {
        let mut a = sitrep_15(100, 20);
        let s = screen(&a);
        assert_eq!(
            s[0],
            "Hoogwater Maas en Roer — Situatierapport van het Regio…  sitrep 15 · update · per 12:00  [TLP:AMBER]"
        );
        // The countdown to the next update (16:00), 3 h 40 min to go.
        assert!(
            s[19].contains("volgende update 16:00 (over 3 u 40 min)"),
            "{}",
            s[19]
        );
        press(&mut a, "p");
        let s = screen(&a);
        assert!(s[19].contains("[TLP:AMBER]"), "presenting: {}", s[19]);
    }

    /// On a narrow screen a list leaves out its least needed columns
    /// instead of cutting every one: at 40 columns the timeline read
    /// "sit…  update  2026-…  01-12…" on every row, the rows alike.
    #[test]
    fn a_narrow_list_keeps_what_tells_its_rows_apart() {
        let mut a = sitrep_15(40, 12);
        press(&mut a, "v");
        let s = screen(&a);
        for (row, n) in [(3, 13), (4, 14), (5, 15)] {
            assert!(s[row].contains(&format!("sitrep {n}")), "{}", s[row]);
        }
        let mut a = sitrep_15(30, 12);
        press(&mut a, "A");
        let s = screen(&a);
        // The action's own words are there, not only its time and owner.
        assert!(s[3].contains("Vervo") || s[3].contains("Bewo"), "{}", s[3]);
        // A column no row fills (when a decision was taken) is left out.
        let mut a = sitrep_15(80, 12);
        press(&mut a, "D");
        let s = screen(&a);
        assert!(!s[2].contains("wanneer"), "{}", s[2]);
    }

    #[test]
    fn the_timeline_lists_the_versions_with_what_each_changed() {
        let mut a = sitrep_15(110, 12);
        press(&mut a, "v");
        assert_eq!(
            screen(&a),
            [
                "Hoogwater Maas en Roer — Situatierapport van het Regionaal Belei…  sitrep 15 · update · per 12:00  [TLP:AMBER]",
                "┌ Versies (3) ───────────────────────────────────────────────────────────────────────────────────────────────┐",
                "│versie       fase    per               gezien       wijzigingen                                             │",
                "│  sitrep 13  eerste  2026-11-27 06:00  27-11 05:05                                                          │",
                "│  sitrep 14  update  2026-11-27 08:30  27-11 07:35  thema's +/~/- 0/2/0 · alinea's en punten +/~/- 2/1/0 ·… │",
                "│● sitrep 15  update  2026-11-27 12:00  27-11 11:05  thema's +/~/- 0/2/1 · alinea's en punten +/~/- 0/2/1 ·… │",
                "│────────────────────────────────────────────────────────────────────────────────────────────────────────────│",
                "│thema's +/~/- 0/2/1 · alinea's en punten +/~/- 0/2/1 · acties +/gereed/~ 0/1/0 · besluiten + 1              │",
                "│● sitrep 15 · update · 2026-11-27 12:00 · 27-11 11:05                                                       │",
                "│                                                                                                            │",
                "└ Enter toon de versie  d het thema: deze versie tegen de getoonde  Esc sluiten ─────────────────────────────┘",
                "Enter toon de versie  Esc sluiten                    ! verouderd  volgende update 16:00 (over 3 u 40 min)  1/4",
            ]
        );
    }

    #[test]
    fn an_older_version_is_shown_read_only_with_a_banner() {
        let mut a = sitrep_15(100, 12);
        press(&mut a, "vgg<Enter>");
        let (id, want) = a.wanted_version().expect("sitrep 13 asked for");
        assert_eq!((id, want), (VersionId::of(V13), crate::app::Want::Show));
        a.handle(Event::Version(id, Ok(doc(V13))));
        let s = screen(&a);
        assert!(s[0].contains("sitrep 13 · eerste · per 06:00"), "{}", s[0]);
        // The banner comes first, and says what the countdown is of.
        assert_eq!(
            s[11],
            "⚠ sitrep 13: niet de huidige versie · Esc: terug  ! verouderd  ⚠ te laat: volgende update 08:30  1/5"
        );
        press(&mut a, "<Esc>");
        assert!(screen(&a)[0].contains("sitrep 15"));
        assert!(a.old_version().is_none());
    }

    #[test]
    fn a_diff_marks_removed_and_added_words_with_symbols_and_words() {
        let mut a = sitrep_15(100, 14);
        press(&mut a, "vgd");
        let (id, _) = a.wanted_version().expect("asked");
        a.handle(Event::Version(id, Ok(doc(V13))));
        let s = screen(&a);
        assert_eq!(
            s[1],
            "┌ Verschil · Beeld · sitrep 13 → sitrep 15 ────────────────────────────────────────────────────────┐"
        );
        assert_eq!(
            s[2],
            "│~ gewijzigd: De Maas bij Eijsden staat op [−46,00][+46,45] m +NAP en stijgt [+nog ]ongeveer       │"
        );
        assert_eq!(
            s[3],
            "│             [−10][+4] cm per uur. De top wordt vanavond rond 22.00 uur verwacht, op circa 46,70 m│"
        );
        // Unchanged paragraphs stand between, unmarked, for context.
        assert_eq!(
            s[5],
            "│    De kades langs de Roer zijn op twee plaatsen verzadigd. Het waterschap heeft ze met zandzakken│"
        );
        assert_eq!(
            s[11],
            "│+ nieuw: De N280 is tussen Roermond en Herten afgesloten; omleiding via de A73.                   │"
        );
        press(&mut a, "G");
        let text = screen(&a).join("\n");
        assert!(text.contains("[−open][+gereed]"), "{text}");
        press(&mut a, "<Esc>");
        assert!(
            screen(&a)[1].contains("Versies (3)"),
            "back to the timeline"
        );
    }

    #[test]
    fn the_actions_are_listed_by_due_time_and_turn_overdue_by_themselves() {
        let mut a = sitrep_15(110, 10);
        press(&mut a, "A");
        let s = screen(&a);
        assert_eq!(
            s[1],
            "┌ Acties (3) ────────────────────────────────────────────────────────────────────────────────────────────────┐"
        );
        assert!(s[3].starts_with("│2026-11-27 16:00"), "{}", s[3]);
        // At 16:00:01 the open one is past its time: marked without a key.
        let due = a
            .doc()
            .actions
            .iter()
            .find(|x| x.open)
            .and_then(|x| x.due.as_ref())
            .map(|d| d.unix)
            .expect("due");
        assert_eq!(
            a.next_change(),
            Some(u64::try_from(due).unwrap_or(0) + 1).min(a.next_change())
        );
        at(&mut a, u64::try_from(due).unwrap_or(0) + 1);
        let s = screen(&a);
        assert!(s[3].starts_with("│⚠ te laat 2026-11-27 16:00"), "{}", s[3]);
        assert!(
            s[9].contains("⚠ te laat: volgende update 16:00"),
            "{}",
            s[9]
        );
    }

    #[test]
    fn a_theme_unchanged_since_an_earlier_version_says_so() {
        let mut a = sitrep_15(110, 10);
        let i = a
            .doc()
            .entries
            .iter()
            .position(|e| a.doc().title_of(e) == "Bevolkingszorg")
            .expect("theme");
        assert_eq!(
            a.unchanged_since(i),
            Some(crate::versions::Since::Number(14))
        );
        press(&mut a, "jj");
        let s = screen(&a);
        assert!(
            s[1].ends_with(
                "│ Bevolkingszorg                              ongewijzigd sinds sitrep 14"
            ),
            "{}",
            s[1]
        );
    }
}

// Screens that end-to-end tests in a terminal used to check (tests/e2e.rs,
// tests/live.rs), a layer down: the same keys through the real keymap.
mod browsing;
mod presenting;
mod searching;

/// While only the first themes of a large report are read, a search's
/// answer is of those themes and says so; once the rest is in, it is whole.
#[test]
fn a_search_before_the_rest_is_read_says_it_counted_the_first_themes_only() {
    let path = std::path::Path::new("r.toml");
    let head = "title = \"R\"\n[[theme]]\ntitle = \"Een\"\nbody = \"crisis\"\n";
    let rest = "[[theme]]\ntitle = \"Twee\"\nbody = \"crisis zeldzaam\"\n";
    let first = Doc::from_source(head.to_owned(), path).expect("valid");
    let whole = Doc::from_source(format!("{head}{rest}"), path).expect("valid");
    let setup = crate::app::Setup {
        partial: true,
        ..crate::app::Setup::default()
    };
    let mut a = App::new(first, 60, 10, setup);
    let status = |a: &App| rows(&draw(a)).last().cloned().unwrap_or_default();
    search(&mut a, "zeldzaam");
    assert_eq!(
        status(&a),
        "Search: zeldzaam                              no matches yet"
    );
    a.update(Action::SearchCancel);
    search(&mut a, "crisis");
    assert_eq!(
        status(&a),
        "Search: crisis                                    match 1/1…"
    );
    a.handle(crate::app::Event::Loaded(std::sync::Arc::new(whole), None));
    assert_eq!(
        status(&a),
        "Search: crisis                                     match 1/2"
    );
}

/// At the smallest size help has one row: each page a key and what it
/// does, inside the frame (a key row used to be drawn over the frame's
/// foot, and every page showed a heading only).
#[test]
fn help_at_20x5_shows_a_key_a_page_inside_its_frame() {
    let mut a = app(20, 5);
    step(
        &mut a,
        "?",
        &[
            "Het rapport ‘de Vei…",
            "┌ Toetsen ─────────┐",
            "│ ↓ j     volgend… │",
            "└ 1/129 ───────────┘",
            "Esc hulp sluiten 1/7",
        ],
    );
    step(
        &mut a,
        "<PgDn>",
        &[
            "Het rapport ‘de Vei…",
            "┌ Toetsen ─────────┐",
            "│ ↑ k     vorig t… │",
            "└ 2/129 ───────────┘",
            "Esc hulp sluiten 1/7",
        ],
    );
}
