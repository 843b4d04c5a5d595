//! Presenting and staleness (from tests/live.rs): whole screens after each
//! key, with a fixed clock.

use super::{assert_screen, step};
use crate::app::{App, Clock, Event, Setup};
use crate::doc::Doc;
use crate::report::Report;

/// Theme 3's slide at 80x16 before its points are revealed.
const THEME_3: [&str; 16] = [
    "",
    "",
    "     Verbinden op verschillende manieren",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "thema 3/7  punt 0/5                                                 00:00  14:03",
];

/// Theme 3's slide at 80x16 with its first point revealed.
const THEME_3_POINT_1: [&str; 16] = [
    "",
    "",
    "     Verbinden op verschillende manieren",
    "",
    "     • Sinds het begin van de coronacrisis waren de veiligheidsregio’s",
    "       gericht op het organiseren en faciliteren (bijvoorbeeld door het",
    "       bijeenroepen en verslagleggen) van allerlei overlegvormen. Zo",
    "       organiseerden de Veiligheidsregio’s de noodzakelijke afstemming",
    "       tussen de vele betrokken overheden. Een goede afstemming tussen het",
    "       nationale, regionale en lokale niveau was belangrijk om zoveel",
    "       mogelijk als één overheid de coronacrisis te managen.",
    "",
    "",
    "",
    "",
    "thema 3/7  punt 1/5                                                 00:00  14:03",
];

/// The first screen of the stale report at 60x8, on 2026-11-27.
// Its first screen; `status` is the last row (it says when the next
// update is due, or that it is late).
fn stale_first(status: &'static str) -> [&'static str; 8] {
    [
        "Oefening verouderd",
        "Oude stand   9827d !│ Oude stand",
        "Vooruitblik       0m│ Bijgewerkt: 2000-01-01 00:00",
        "                    │",
        "                    │ Dit thema is lang niet bijgewerkt.",
        "                    │",
        "                    │",
        status,
    ]
}

/// The built-in report, presenting, at 80x16; the clock at 14:03.
fn presenting() -> App {
    let mut a = App::new(
        Doc::new(&Report::builtin()),
        80,
        16,
        Setup {
            present: true,
            ..Setup::default()
        },
    );
    a.handle(Event::Clock(Clock {
        unix: 1_000_000,
        local: (14, 3),
    }));
    a
}

/// One theme a slide, no header, list or divider; Space reveals the next
/// point, or goes on when all are shown (Kernboodschap has none: no point
/// counter); Left hides one again, a shows all; Esc returns to the browser
/// at the same theme.
#[test]
fn present_reveals_points_and_returns_to_the_browser_at_the_same_theme() {
    let mut a = presenting();
    assert_screen(
        &a,
        &[
            "",
            "",
            "     Inleiding",
            "",
            "     Het Nederlands Instituut Publieke Veiligheid heeft het onderzoek ‘De",
            "     Veiligheidsregio als verbinder’ gepubliceerd. De afgelopen twee jaren",
            "     zijn verschillende onderzoeken gedaan naar de rol van de",
            "     Veiligheidsregio in de coronacrisis. Het bijgevoegde rapport geeft een",
            "     overkoepelende beschouwing daarvan.",
            "",
            "",
            "",
            "",
            "",
            "",
            "thema 1/7                                                           00:00  14:03",
        ],
        "starting to present",
    );
    step(
        &mut a,
        "<Space>",
        &[
            "",
            "",
            "     Kernboodschap",
            "",
            "     Sommigen menen dat de veiligheidsregio’s nauwelijks een rol hebben",
            "     gespeeld in de coronacrisis, en natuurlijk is het waar dat door de",
            "     veiligheidsregio’s nauwelijks grote beslissingen zijn genomen; de",
            "     veiligheidsregio’s waren vooral uitvoeringsorganisaties. Toch leverden",
            "     zij een relevante bijdrage: hun cruciale rol lag in het verbinden,",
            "     coördineren en afstemmen. De meest opvallende ontwikkelingen en",
            "     observaties met betrekking tot de rol van de Veiligheidsregio in de",
            "     coronacrisis zijn:",
            "",
            "",
            "",
            "thema 2/7                                                           00:00  14:03",
        ],
    );
    step(&mut a, "<Space>", &THEME_3);
    step(&mut a, "<Space>", &THEME_3_POINT_1);
    step(&mut a, "<Left>", &THEME_3);
    step(
        &mut a,
        "a",
        &[
            "",
            "",
            "     Verbinden op verschillende manieren",
            "",
            "     • Sinds het begin van de coronacrisis waren de veiligheidsregio’s",
            "       gericht op het organiseren en faciliteren (bijvoorbeeld door het",
            "       bijeenroepen en verslagleggen) van allerlei overlegvormen. Zo",
            "       organiseerden de Veiligheidsregio’s de noodzakelijke afstemming",
            "       tussen de vele betrokken overheden. Een goede afstemming tussen het",
            "       nationale, regionale en lokale niveau was belangrijk om zoveel",
            "       mogelijk als één overheid de coronacrisis te managen.",
            "     • Een belangrijke rol daarbij was het organiseren (verzamelen, delen)",
            "       van cruciale informatie, waarbij veiligheidsregio’s zich",
            "       ontwikkelden tot spin in het web.                                    ▼",
            "",
            "thema 3/7  punt 5/5                                                 00:00  14:03",
        ],
    );
    step(
        &mut a,
        "<Esc>",
        &[
            "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
            "Inleiding                 │ Verbinden op verschillende manieren",
            "Kernboodschap             │",
            "  Verbinden op verschille…│ • Sinds het begin van de coronacrisis waren de",
            "  Leren en reflecteren    │   veiligheidsregio’s gericht op het organiseren en",
            "  De toekomstige rol van… │   faciliteren (bijvoorbeeld door het bijeenroepen",
            "Consequenties             │   en verslagleggen) van allerlei overlegvormen. Zo",
            "Communicatie              │   organiseerden de Veiligheidsregio’s de noodzake-",
            "                          │   lijke afstemming tussen de vele betrokken",
            "                          │   overheden. Een goede afstemming tussen het",
            "                          │   nationale, regionale en lokale niveau was",
            "                          │   belangrijk om zoveel mogelijk als één overheid de",
            "                          │   coronacrisis te managen.",
            "                          │ • Een belangrijke rol daarbij was het organiseren",
            "                          │   (verzamelen, delen) van cruciale informatie,",
            "/ zoeken  ? hulp  q stoppen                                                  3/7",
        ],
    );
}

/// A number then Enter jumps to that theme (the typed number shows in the
/// footer); a number past the end goes nowhere.
#[test]
fn present_digit_and_enter_jump_to_a_theme() {
    let mut a = presenting();
    step(
        &mut a,
        "3",
        &[
            "",
            "",
            "     Inleiding",
            "",
            "     Het Nederlands Instituut Publieke Veiligheid heeft het onderzoek ‘De",
            "     Veiligheidsregio als verbinder’ gepubliceerd. De afgelopen twee jaren",
            "     zijn verschillende onderzoeken gedaan naar de rol van de",
            "     Veiligheidsregio in de coronacrisis. Het bijgevoegde rapport geeft een",
            "     overkoepelende beschouwing daarvan.",
            "",
            "",
            "",
            "",
            "",
            "",
            "thema 1/7  → 3                                                      00:00  14:03",
        ],
    );
    step(&mut a, "<Enter>", &THEME_3);
    // There is no theme 9: said, and the slide stays.
    let mut no_nine = THEME_3;
    no_nine[15] =
        "geen thema 9 (1–7)                                                  00:00  14:03";
    step(&mut a, "9<Enter>", &no_nine);
    step(&mut a, "<Space>", &THEME_3_POINT_1);
}

/// A report whose next update is due, or a theme not updated for long: the
/// age and `!` in the list, and "verouderd" in the status line.
fn stale(next_update: &str) -> App {
    let src = format!(
        "title = \"Oefening verouderd\"\nlanguage = \"nl\"\nupdated = 2000-01-01T00:00:00Z\nnext_update = {next_update}\n\n\
         [[theme]]\ntitle = \"Oude stand\"\nupdated = 2000-01-01T00:00:00Z\nbody = \"Dit thema is lang niet bijgewerkt.\"\n\n\
         [[theme]]\ntitle = \"Vooruitblik\"\nupdated = 2999-12-31T00:00:00Z\nbody = \"Dit thema is bijgewerkt in de toekomst.\"\n"
    );
    let report = Report::from_toml(&src, std::path::Path::new("r.toml")).expect("valid");
    let mut a = App::bare(Doc::new(&report), 60, 8);
    // 2026-11-27 10:15 +01:00: a fixed clock.
    a.handle(Event::Clock(Clock {
        unix: 1_795_770_900,
        local: (10, 15),
    }));
    a
}

/// Past its next update, the whole report is stale: the status line says
/// so on every theme, fresh ones too; the old theme carries its age in days.
#[test]
fn a_report_past_its_next_update_is_marked_everywhere() {
    let mut a = stale("2000-01-01T06:00:00Z");
    // The notice is whole, with its key; beside it the overdue report in a
    // word (the whole does not fit), which the next key shows again.
    let first = stale_first("1 thema verouderd · m: alleen die tonen       ⚠ te laat  1/2");
    assert_screen(&a, &first, "opening a stale report");
    step(
        &mut a,
        "j",
        &[
            "Oefening verouderd",
            "Oude stand   9827d !│ Vooruitblik",
            "Vooruitblik       0m│ Bijgewerkt: 2999-12-31 00:00",
            "                    │",
            "                    │ Dit thema is bijgewerkt in de",
            "                    │ toekomst.",
            "                    │",
            "? hulp      ⚠ te laat: volgende update 2000-01-01 06:00  2/2",
        ],
    );
}

/// Not due yet: only the old theme is stale; on the fresh one the status
/// line shows the key hints.
#[test]
fn a_stale_theme_alone_is_marked_when_the_report_is_not_due() {
    let mut a = stale("2999-12-31T12:00:00Z");
    let first = stale_first("1 thema verouderd · m: alleen die tonen     ! verouderd  1/2");
    assert_screen(&a, &first, "opening the report");
    step(
        &mut a,
        "j",
        &[
            "Oefening verouderd",
            "Oude stand   9827d !│ Vooruitblik",
            "Vooruitblik       0m│ Bijgewerkt: 2999-12-31 00:00",
            "                    │",
            "                    │ Dit thema is bijgewerkt in de",
            "                    │ toekomst.",
            "                    │",
            "? hulp  q stoppen      volgende update 2999-12-31 12:00  2/2",
        ],
    );
}

/// However narrow the line, the position stays and what matters most
/// beside it: a right side too long for the line used to leave it blank.
#[test]
fn a_narrow_status_line_keeps_the_position_and_what_fits() {
    let mut a = stale("2000-01-01T06:00:00Z");
    crate::script::press(&mut a, "j");
    let status = |a: &App| crate::script::screen(a).last().cloned().unwrap_or_default();
    assert_eq!(
        status(&a),
        "? hulp      ⚠ te laat: volgende update 2000-01-01 06:00  2/2"
    );
    a.update(crate::action::Action::Resize(40, 8));
    // Too narrow for the whole: the overdue report in a word.
    assert_eq!(status(&a), "? hulp  q stoppen         ⚠ te laat  2/2");
    a.update(crate::action::Action::Resize(30, 8));
    assert_eq!(status(&a), "? hulp          ⚠ te laat  2/2");
    // The stale theme: its mark too, and the overdue report in a word.
    crate::script::press(&mut a, "k");
    assert_eq!(status(&a), "   ! verouderd  ⚠ te laat  1/2");
}

/// On a narrow wall screen the slide's number stays and the clocks give way.
#[test]
fn a_narrow_presentation_footer_keeps_the_slide_number() {
    let mut a = presenting();
    crate::script::press(&mut a, " ");
    let footer = |a: &App| crate::script::screen(a).last().cloned().unwrap_or_default();
    a.update(crate::action::Action::Resize(20, 5));
    assert_eq!(footer(&a), "thema 2/7      00:00");
    a.update(crate::action::Action::Resize(30, 5));
    assert_eq!(footer(&a), "thema 2/7         00:00  14:03");
    a.update(crate::action::Action::Resize(80, 16));
    assert_eq!(
        footer(&a),
        "thema 2/7                                                           00:00  14:03"
    );
}

/// The word about what changed keeps its key (`c`) beside a long right
/// side: a notice keeps up to three quarters of the line.
#[test]
fn the_changes_notice_keeps_its_key_beside_an_overdue_report() {
    let src = include_str!("../../../examples/hoogwater.toml");
    let path = std::path::Path::new("h.toml");
    let old = Doc::new(&Report::from_toml(src, path).expect("valid"));
    let edited = src.replace(
        "Persconferentie om 13.00 uur",
        "Persconferentie om 14.00 uur",
    );
    let new = Doc::new(&Report::from_toml(&edited, path).expect("valid"));
    let setup = Setup {
        seen: Some(crate::changes::Seen::of(&old)),
        ..Setup::default()
    };
    let mut a = App::new(new, 80, 24, setup);
    // Past the report's next update (2026-11-27 12:00 +01:00).
    a.handle(Event::Clock(Clock {
        unix: 1_795_800_000,
        local: (18, 20),
    }));
    let status = crate::script::screen(&a)
        .last()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        status,
        "1 thema nieuw of gewijzigd sinds uw vorige bezoek · c: volgende   ⚠ te laat  1/5"
    );
}

/// The marks that say a slide goes on above or below stand apart from its
/// text at every width, with a blank column between (at 20–40 columns they
/// touched the last word: "afgelopen▼").
#[test]
fn more_marks_keep_a_column_of_air_beside_the_text() {
    for width in [20, 24, 30, 40, 80] {
        let mut a = presenting();
        a.update(crate::action::Action::Resize(width, 8));
        let screen = crate::script::screen(&a);
        let marked: Vec<&String> = screen.iter().filter(|r| r.contains('▼')).collect();
        assert_eq!(
            marked.len(),
            1,
            "at {width}: a tall slide is marked\n{screen:#?}"
        );
        let row: Vec<char> = marked[0].chars().collect();
        let at = row.iter().position(|&c| c == '▼').unwrap_or(0);
        assert!(
            at > 0 && row[at - 1] == ' ',
            "at {width} columns the mark touches the text: {:?}",
            marked[0]
        );
    }
}

/// A slide number being typed shows right after the slide's own on a
/// narrow wall screen (at 40x12 it was cut off: "punt 0/3  →…"), and one
/// past the last slide says so instead of doing nothing.
#[test]
fn a_typed_slide_number_shows_and_one_too_high_says_so() {
    let mut a = presenting();
    a.update(crate::action::Action::Resize(40, 12));
    crate::script::press(&mut a, "3<Enter>5");
    let footer = |a: &App| crate::script::screen(a).last().cloned().unwrap_or_default();
    assert!(
        footer(&a).starts_with("thema 3/7  → 5  punt 0/"),
        "{}",
        footer(&a)
    );
    crate::script::press(&mut a, "9<Enter>");
    assert!(
        footer(&a).starts_with("geen thema 59 (1–7)"),
        "{}",
        footer(&a)
    );
    assert_eq!(a.selected(), 2, "still on the slide it was");
}
