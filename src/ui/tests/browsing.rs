//! Moving through the themes, scrolling the text, resizing (from
//! tests/e2e.rs): whole screens after each key.

use ratatui::style::Modifier;

use super::{app, assert_screen, draw, step};
use crate::action::Action;
use crate::app::App;

/// The first screen at 80x12.
const FIRST: [&str; 12] = [
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
    "                          │",
    "/ zoeken  ? hulp  q stoppen                                                  1/7",
];

/// "Leren en reflecteren" (4/7) from its top, at 80x12.
const LEREN_TOP: [&str; 12] = [
    "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
    "Inleiding                 │ Leren en reflecteren",
    "Kernboodschap             │",
    "  Verbinden op verschille…│ • De coronacrisis leende zich als geen andere voor",
    "  Leren en reflecteren    │   het principe van al doende leren. Nooit eerder",
    "  De toekomstige rol van… │   zijn er tijdens een crisis zoveel tussentijdse",
    "Consequenties             │   evaluatierapporten en zelfreflecties geschreven",
    "Communicatie              │   en geleerde lessen vastgehouden, zowel door",
    "                          │   veiligheidsregio’s zelf als door ketenpartners en",
    "                          │   externe partijen (inclusief onszelf).",
    "                          │ • In veel Veiligheidsregio’s leidden de evaluaties",
    "/ zoeken  ? hulp  q stoppen                                                  4/7",
];

/// Arrows, End and Home move through the themes; j/k too; Up stops at the
/// first. Each theme's text replaces the last one's whole (no text left
/// behind), bullets start their lines, an empty theme shows a placeholder.
#[test]
fn arrows_end_and_home_move_through_the_themes() {
    let mut a = app(80, 12);
    assert_screen(&a, &FIRST, "nothing");
    step(
        &mut a,
        "<Down><Down>",
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
            "/ zoeken  ? hulp  q stoppen                                                  3/7",
        ],
    );
    let buf = draw(&a);
    assert!(
        buf[(0, 3)].modifier.contains(Modifier::REVERSED),
        "selection moved"
    );
    assert!(!buf[(0, 1)].modifier.contains(Modifier::REVERSED));
    step(
        &mut a,
        "<End>",
        &[
            "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
            "Inleiding                 │ Communicatie",
            "Kernboodschap             │",
            "  Verbinden op verschille…│ (geen tekst)",
            "  Leren en reflecteren    │",
            "  De toekomstige rol van… │",
            "Consequenties             │",
            "Communicatie              │",
            "                          │",
            "                          │",
            "                          │",
            "/ zoeken  ? hulp  q stoppen                                                  7/7",
        ],
    );
    step(&mut a, "<Home>", &FIRST);
    step(
        &mut a,
        "<Up>j",
        &[
            "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
            "Inleiding                 │ Kernboodschap",
            "Kernboodschap             │",
            "  Verbinden op verschille…│ Sommigen menen dat de veiligheidsregio’s nauwelijks",
            "  Leren en reflecteren    │ een rol hebben gespeeld in de coronacrisis, en",
            "  De toekomstige rol van… │ natuurlijk is het waar dat door de veiligheidsregi-",
            "Consequenties             │ o’s nauwelijks grote beslissingen zijn genomen; de",
            "Communicatie              │ veiligheidsregio’s waren vooral uitvoeringsorgani-",
            "                          │ saties. Toch leverden zij een relevante bijdrage:",
            "                          │ hun cruciale rol lag in het verbinden, coördineren",
            "                          │ en afstemmen. De meest opvallende ontwikkelingen en",
            "/ zoeken  ? hulp  q stoppen                                                  2/7",
        ],
    );
    step(&mut a, "k", &FIRST);
}

/// With the text focused, j/k scroll it a line, Space pages (and at the end
/// goes on to the next theme, from its top), PgUp pages back, End shows the
/// last lines; the theme never changes while there is text to scroll.
#[test]
fn focused_text_scrolls_with_j_k_space_pgup_and_end() {
    let mut a = app(80, 12);
    step(&mut a, "<Down><Down><Down>", &LEREN_TOP);
    step(&mut a, "<Tab>", &LEREN_TOP);
    // Focus on the text: the list's selection is drawn underlined, not reversed.
    let buf = draw(&a);
    let selected = buf[(0, 4)].modifier;
    assert!(!selected.contains(Modifier::REVERSED) && selected.contains(Modifier::UNDERLINED));
    step(
        &mut a,
        "j",
        &[
            "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
            "Inleiding                 │",
            "Kernboodschap             │ • De coronacrisis leende zich als geen andere voor",
            "  Verbinden op verschille…│   het principe van al doende leren. Nooit eerder",
            "  Leren en reflecteren    │   zijn er tijdens een crisis zoveel tussentijdse",
            "  De toekomstige rol van… │   evaluatierapporten en zelfreflecties geschreven",
            "Consequenties             │   en geleerde lessen vastgehouden, zowel door",
            "Communicatie              │   veiligheidsregio’s zelf als door ketenpartners en",
            "                          │   externe partijen (inclusief onszelf).",
            "                          │ • In veel Veiligheidsregio’s leidden de evaluaties",
            "                          │   en geleerde lessen tot een aanpassing van de",
            "/ zoeken  ? hulp  q stoppen                                                  4/7",
        ],
    );
    step(
        &mut a,
        "j",
        &[
            "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
            "Inleiding                 │ • De coronacrisis leende zich als geen andere voor",
            "Kernboodschap             │   het principe van al doende leren. Nooit eerder",
            "  Verbinden op verschille…│   zijn er tijdens een crisis zoveel tussentijdse",
            "  Leren en reflecteren    │   evaluatierapporten en zelfreflecties geschreven",
            "  De toekomstige rol van… │   en geleerde lessen vastgehouden, zowel door",
            "Consequenties             │   veiligheidsregio’s zelf als door ketenpartners en",
            "Communicatie              │   externe partijen (inclusief onszelf).",
            "                          │ • In veel Veiligheidsregio’s leidden de evaluaties",
            "                          │   en geleerde lessen tot een aanpassing van de",
            "                          │   crisisstructuur. Zo is er ‘geëxperimenteerd’ met",
            "/ zoeken  ? hulp  q stoppen                                                  4/7",
        ],
    );
    step(&mut a, "kk", &LEREN_TOP);
    step(
        &mut a,
        "<Space>",
        &[
            "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
            "Inleiding                 │ • In veel Veiligheidsregio’s leidden de evaluaties",
            "Kernboodschap             │   en geleerde lessen tot een aanpassing van de",
            "  Verbinden op verschille…│   crisisstructuur. Zo is er ‘geëxperimenteerd’ met",
            "  Leren en reflecteren    │   allerlei nieuwe (samenstellingen van) teams en",
            "  De toekomstige rol van… │   gremia, projectorganisaties en bovenregionale en",
            "Consequenties             │   landelijke overlegorganen en -methoden. De",
            "Communicatie              │   werkwijze werd steeds aangepast aan de actuele",
            "                          │   behoeften.",
            "                          │ • Tegelijkertijd valt op, dat de rol en het werk",
            "                          │   van de veiligheidsregio gedurende deze cisis –",
            "/ zoeken  ? hulp  q stoppen                                                  4/7",
        ],
    );
    step(&mut a, "<PgUp>", &LEREN_TOP);
    step(
        &mut a,
        "<End>",
        &[
            "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
            "Inleiding                 │   element.",
            "Kernboodschap             │ • Dat de rol nauwelijks is veranderd blijkt ook uit",
            "  Verbinden op verschille…│   de observatie dat de inhoud van de interne",
            "  Leren en reflecteren    │   evaluatierapporten (die mede de basis vormden",
            "  De toekomstige rol van… │   voor het voorliggende rapport) hooguit op",
            "Consequenties             │   detailniveau is veranderd gedurende 2020 en het",
            "Communicatie              │   begin van 2021. Ook in de leersessies – die in",
            "                          │   het najaar van 2021 plaatsvonden – werden",
            "                          │   nauwelijks nieuwe ontwikkelingen en lessen",
            "                          │   gedeeld door veiligheidsregio’s en partners.",
            "/ zoeken  ? hulp  q stoppen                                                  4/7",
        ],
    );
    step(
        &mut a,
        "<Space>",
        &[
            "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
            "Inleiding                 │ De toekomstige rol van de veiligheidsregio’s",
            "Kernboodschap             │",
            "  Verbinden op verschille…│ • Het verbindende rol van de veiligheidsregio’s –",
            "  Leren en reflecteren    │   die in deze crisis uitstak – zal ook in",
            "  De toekomstige rol van… │   toekomstige crises meer en meer van belang",
            "Consequenties             │   worden. De veiligheidsregio’s blijken hiervoor",
            "Communicatie              │   ook gewoon veruit de meest logische partij te",
            "                          │   zijn, want:",
            "                          │   ◦ Bij toekomstige crises – waarvan de complexi-",
            "                          │     teit en verwevenheid naar verwachting alleen",
            "/ zoeken  ? hulp  q stoppen                                                  5/7",
        ],
    );
}

/// Narrower: the list stacks above the text and stays usable; below 20x5
/// only a notice (clipped, never a crash); wider again: side by side, the
/// list a third of the width.
#[test]
fn resize_stacks_then_says_too_small_then_recovers() {
    let mut a = app(80, 24);
    a.update(Action::Resize(40, 12));
    assert_screen(&a, &super::AT_40X12, "a resize to 40x12");
    step(
        &mut a,
        "<Down>",
        &[
            "Het rapport ‘de Veiligheidsregio als ve…",
            "Inleiding",
            "Kernboodschap",
            "  Verbinden op verschillende manieren",
            "────────────────────────────────── ▼4 ──",
            " Kernboodschap",
            "",
            " Sommigen menen dat de veiligheidsregi-",
            " o’s nauwelijks een rol hebben gespeeld",
            " in de coronacrisis, en natuurlijk is",
            " het waar dat door de veiligheidsregio’s",
            "/ zoeken  ? hulp  q stoppen          2/7",
        ],
    );
    crate::script::press(&mut a, "<Up>");
    a.update(Action::Resize(19, 4));
    assert_screen(
        &a,
        &["venster te klein", "(min. 20x5)", "", ""],
        "a resize to 19x4",
    );
    a.update(Action::Resize(10, 3));
    assert_screen(&a, &["min. 20x5", "", ""], "a resize to 10x3");
    a.update(Action::Resize(100, 14));
    assert_screen(
        &a,
        &[
            "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoepelende beschouwing v…  Kennisnemen van",
            "Inleiding                        │ Inleiding",
            "Kernboodschap                    │",
            "  Verbinden op verschillende man…│ Het Nederlands Instituut Publieke Veiligheid heeft het onderzoek",
            "  Leren en reflecteren           │ ‘De Veiligheidsregio als verbinder’ gepubliceerd. De afgelopen",
            "  De toekomstige rol van de veil…│ twee jaren zijn verschillende onderzoeken gedaan naar de rol van",
            "Consequenties                    │ de Veiligheidsregio in de coronacrisis. Het bijgevoegde rapport",
            "Communicatie                     │ geeft een overkoepelende beschouwing daarvan.",
            "                                 │",
            "                                 │",
            "                                 │",
            "                                 │",
            "                                 │",
            "/ zoeken  ? hulp  q stoppen                                                                      1/7",
        ],
        "a resize to 100x14",
    );
}

/// A theme list too short for every theme says how many more there are
/// above and below: on the rule under a stacked list ("▼4"), at the ends of
/// the divider beside a side-by-side one. Before, three rows of seven read
/// as the whole report.
#[test]
fn a_short_list_says_how_many_themes_it_hides() {
    let mut a = app(40, 12);
    let rule = |a: &App| crate::script::screen(a)[4].clone();
    assert_eq!(rule(&a), format!("{} ▼4 ──", "─".repeat(34)));
    crate::script::press(&mut a, "<Down><Down><Down><Down>");
    assert_eq!(rule(&a), format!("{} ▲2 ▼2 ──", "─".repeat(31)));
    crate::script::press(&mut a, "<End>");
    assert_eq!(rule(&a), format!("{} ▲4 ──", "─".repeat(34)));

    let mut a = app(80, 7);
    let divider = |a: &App| -> String {
        let x = a.areas().divider.x;
        let buf = draw(a);
        (1..6).map(|y| buf[(x, y)].symbol().to_owned()).collect()
    };
    assert_eq!(divider(&a), "││││▼");
    crate::script::press(&mut a, "<End>");
    assert_eq!(divider(&a), "▲││││");
}
