//! Incremental search, n/N, Esc, no match, `--search` (from tests/e2e.rs):
//! whole screens after each key, and the highlighted cells.

use super::{app, assert_screen, draw, reversed_text, step};
use crate::app::{App, Setup};
use crate::doc::Doc;
use crate::report::Report;

/// The one match for "spin in het web" in view, confirmed, at 80x12.
const SPIN_IN_VIEW: [&str; 12] = [
    "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
    "Inleiding                 │ • Een belangrijke rol daarbij was het organiseren",
    "Kernboodschap             │   (verzamelen, delen) van cruciale informatie,",
    "  Verbinden op versch… [1]│   waarbij veiligheidsregio’s zich ontwikkelden tot",
    "  Leren en reflecteren    │   spin in het web.",
    "  De toekomstige rol van… │ • Ook het redigeren en communiceren van het",
    "Consequenties             │   landelijk beleid richting inliggende gemeenten",
    "Communicatie              │   was essentieel (met uniformiteit als uitgangs-",
    "                          │   punt, maar soms ook met ruimte voor regionale of",
    "                          │   lokale invulling).",
    "                          │ • Eveneens essentieel waren het faciliteren en",
    "n/N volgende/vorige  ? hulp  q stoppen        /spin in het web  treffer 1/1  3/7",
];

/// The highlighted characters in the text panel at 80 columns (it starts
/// at column 28).
fn highlighted(a: &App) -> String {
    reversed_text(&draw(a), 28)
}

/// A phrase that occurs once, in another theme: found as it is typed (the
/// list follows, with the theme's hit count), highlighted, kept after
/// Enter, cleared by Esc in browse mode, which stays on the theme.
#[test]
fn a_phrase_is_found_as_it_is_typed_kept_after_enter_cleared_by_esc() {
    let mut a = app(80, 12);
    step(
        &mut a,
        "/spin in het web",
        &[
            "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
            "Inleiding                 │ • Een belangrijke rol daarbij was het organiseren",
            "Kernboodschap             │   (verzamelen, delen) van cruciale informatie,",
            "  Verbinden op versch… [1]│   waarbij veiligheidsregio’s zich ontwikkelden tot",
            "  Leren en reflecteren    │   spin in het web.",
            "  De toekomstige rol van… │ • Ook het redigeren en communiceren van het",
            "Consequenties             │   landelijk beleid richting inliggende gemeenten",
            "Communicatie              │   was essentieel (met uniformiteit als uitgangs-",
            "                          │   punt, maar soms ook met ruimte voor regionale of",
            "                          │   lokale invulling).",
            "                          │ • Eveneens essentieel waren het faciliteren en",
            "Zoek: spin in het web                                                treffer 1/1",
        ],
    );
    assert_eq!(highlighted(&a), "spininhetweb");
    step(&mut a, "<Enter>", &SPIN_IN_VIEW);
    assert_eq!(
        highlighted(&a),
        "spininhetweb",
        "highlight kept after Enter"
    );
    step(
        &mut a,
        "<Esc>",
        &[
            "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
            "Inleiding                 │ • Een belangrijke rol daarbij was het organiseren",
            "Kernboodschap             │   (verzamelen, delen) van cruciale informatie,",
            "  Verbinden op verschille…│   waarbij veiligheidsregio’s zich ontwikkelden tot",
            "  Leren en reflecteren    │   spin in het web.",
            "  De toekomstige rol van… │ • Ook het redigeren en communiceren van het",
            "Consequenties             │   landelijk beleid richting inliggende gemeenten",
            "Communicatie              │   was essentieel (met uniformiteit als uitgangs-",
            "                          │   punt, maar soms ook met ruimte voor regionale of",
            "                          │   lokale invulling).",
            "                          │ • Eveneens essentieel waren het faciliteren en",
            "/ zoeken  ? hulp  q stoppen                                                  3/7",
        ],
    );
    assert_eq!(highlighted(&a), "", "highlights cleared");
}

/// ‘geexperimenteerd’ finds ‘geëxperimenteerd’ and highlights the original.
#[test]
fn a_query_without_diacritics_finds_them() {
    let mut a = app(80, 12);
    step(
        &mut a,
        "/geexperimenteerd",
        &[
            "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
            "Inleiding                 │   externe partijen (inclusief onszelf).",
            "Kernboodschap             │ • In veel Veiligheidsregio’s leidden de evaluaties",
            "  Verbinden op verschille…│   en geleerde lessen tot een aanpassing van de",
            "  Leren en reflecteren [1]│   crisisstructuur. Zo is er ‘geëxperimenteerd’ met",
            "  De toekomstige rol van… │   allerlei nieuwe (samenstellingen van) teams en",
            "Consequenties             │   gremia, projectorganisaties en bovenregionale en",
            "Communicatie              │   landelijke overlegorganen en -methoden. De",
            "                          │   werkwijze werd steeds aangepast aan de actuele",
            "                          │   behoeften.",
            "                          │ • Tegelijkertijd valt op, dat de rol en het werk",
            "Zoek: geexperimenteerd                                               treffer 1/1",
        ],
    );
    assert_eq!(highlighted(&a), "geëxperimenteerd");
    step(
        &mut a,
        "<Enter>",
        &[
            "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
            "Inleiding                 │   externe partijen (inclusief onszelf).",
            "Kernboodschap             │ • In veel Veiligheidsregio’s leidden de evaluaties",
            "  Verbinden op verschille…│   en geleerde lessen tot een aanpassing van de",
            "  Leren en reflecteren [1]│   crisisstructuur. Zo is er ‘geëxperimenteerd’ met",
            "  De toekomstige rol van… │   allerlei nieuwe (samenstellingen van) teams en",
            "Consequenties             │   gremia, projectorganisaties en bovenregionale en",
            "Communicatie              │   landelijke overlegorganen en -methoden. De",
            "                          │   werkwijze werd steeds aangepast aan de actuele",
            "                          │   behoeften.",
            "                          │ • Tegelijkertijd valt op, dat de rol en het werk",
            "n/N volgende/vorige  ? hulp  q stoppen       /geexperimenteerd  treffer 1/1  4/7",
        ],
    );
}

/// "veiligheidsregio's" (ASCII apostrophe) finds veiligheidsregio’s (U+2019).
#[test]
fn an_ascii_apostrophe_finds_a_typographic_one() {
    let mut a = app(80, 12);
    step(
        &mut a,
        "/veiligheidsregio's",
        &[
            "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
            "Inleiding                 │ Kernboodschap",
            "Kernboodschap          [3]│",
            "  Verbinden op versch… [3]│ Sommigen menen dat de veiligheidsregio’s nauwelijks",
            "  Leren en reflecteren [3]│ een rol hebben gespeeld in de coronacrisis, en",
            "  De toekomstige rol…  [8]│ natuurlijk is het waar dat door de veiligheidsregi-",
            "Consequenties          [1]│ o’s nauwelijks grote beslissingen zijn genomen; de",
            "Communicatie              │ veiligheidsregio’s waren vooral uitvoeringsorgani-",
            "                          │ saties. Toch leverden zij een relevante bijdrage:",
            "                          │ hun cruciale rol lag in het verbinden, coördineren",
            "                          │ en afstemmen. De meest opvallende ontwikkelingen en",
            "Zoek: veiligheidsregio's                                            treffer 1/18",
        ],
    );
    assert!(
        highlighted(&a)
            .to_lowercase()
            .contains("veiligheidsregio’s")
    );
    step(
        &mut a,
        "<Enter>",
        &[
            "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
            "Inleiding                 │ Kernboodschap",
            "Kernboodschap          [3]│",
            "  Verbinden op versch… [3]│ Sommigen menen dat de veiligheidsregio’s nauwelijks",
            "  Leren en reflecteren [3]│ een rol hebben gespeeld in de coronacrisis, en",
            "  De toekomstige rol…  [8]│ natuurlijk is het waar dat door de veiligheidsregi-",
            "Consequenties          [1]│ o’s nauwelijks grote beslissingen zijn genomen; de",
            "Communicatie              │ veiligheidsregio’s waren vooral uitvoeringsorgani-",
            "                          │ saties. Toch leverden zij een relevante bijdrage:",
            "                          │ hun cruciale rol lag in het verbinden, coördineren",
            "                          │ en afstemmen. De meest opvallende ontwikkelingen en",
            "n/N volgende/vorige  ? hulp  q stoppen    /veiligheidsregio's  treffer 1/18  2/7",
        ],
    );
}

/// n walks forward through every match, theme by theme, never backwards;
/// n at the last wraps to the first and N at the first to the last, each
/// with a notice that lasts one key.
#[test]
fn n_and_shift_n_walk_matches_across_themes_and_wrap() {
    let mut a = app(80, 12);
    step(
        &mut a,
        "/crisis<Enter>",
        &[
            "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
            "Inleiding              [1]│ Inleiding",
            "Kernboodschap          [2]│",
            "  Verbinden op versch… [2]│ Het Nederlands Instituut Publieke Veiligheid heeft",
            "  Leren en reflecteren [3]│ het onderzoek ‘De Veiligheidsregio als verbinder’",
            "  De toekomstige rol…  [1]│ gepubliceerd. De afgelopen twee jaren zijn",
            "Consequenties             │ verschillende onderzoeken gedaan naar de rol van de",
            "Communicatie              │ Veiligheidsregio in de coronacrisis. Het",
            "                          │ bijgevoegde rapport geeft een overkoepelende",
            "                          │ beschouwing daarvan.",
            "                          │",
            "n/N volgende/vorige  / zoeken  ? hulp  q stoppen       /crisis  treffer 1/9  1/7",
        ],
    );
    let total = a.search().matches.count().expect("counted");
    let mut themes = vec![a.selected()];
    for k in 2..=total {
        crate::script::press(&mut a, "n");
        assert_eq!(a.current_rank(), Some(k - 1));
        assert!(!highlighted(&a).is_empty(), "match {k} highlighted");
        themes.push(a.selected());
    }
    assert_eq!(
        themes,
        [0, 1, 1, 2, 2, 3, 3, 3, 4],
        "theme by theme, forwards"
    );
    step(
        &mut a,
        "n",
        &[
            "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
            "Inleiding              [1]│ Inleiding",
            "Kernboodschap          [2]│",
            "  Verbinden op versch… [2]│ Het Nederlands Instituut Publieke Veiligheid heeft",
            "  Leren en reflecteren [3]│ het onderzoek ‘De Veiligheidsregio als verbinder’",
            "  De toekomstige rol…  [1]│ gepubliceerd. De afgelopen twee jaren zijn",
            "Consequenties             │ verschillende onderzoeken gedaan naar de rol van de",
            "Communicatie              │ Veiligheidsregio in de coronacrisis. Het",
            "                          │ bijgevoegde rapport geeft een overkoepelende",
            "                          │ beschouwing daarvan.",
            "                          │",
            "terug naar de eerste treffer                           /crisis  treffer 1/9  1/7",
        ],
    );
    step(
        &mut a,
        "N",
        &[
            "Het rapport ‘de Veiligheidsregio als verbinder’ — een overkoep…  Kennisnemen van",
            "Inleiding              [1]│ De toekomstige rol van de veiligheidsregio’s",
            "Kernboodschap          [2]│",
            "  Verbinden op versch… [2]│ • Het verbindende rol van de veiligheidsregio’s –",
            "  Leren en reflecteren [3]│   die in deze crisis uitstak – zal ook in",
            "  De toekomstige rol…  [1]│   toekomstige crises meer en meer van belang",
            "Consequenties             │   worden. De veiligheidsregio’s blijken hiervoor",
            "Communicatie              │   ook gewoon veruit de meest logische partij te",
            "                          │   zijn, want:",
            "                          │   ◦ Bij toekomstige crises – waarvan de complexi-",
            "                          │     teit en verwevenheid naar verwachting alleen",
            "terug naar de laatste treffer                          /crisis  treffer 9/9  5/7",
        ],
    );
    crate::script::press(&mut a, "N");
    assert_eq!(
        crate::script::screen(&a)[11],
        "n/N volgende/vorige  / zoeken  ? hulp  q stoppen       /crisis  treffer 8/9  4/7",
        "the notice lasts one key"
    );
}

/// Esc in the search bar returns to exactly where the reader was: theme,
/// scroll, focus, list viewport, every cell and style (src/action.rs:
/// SearchCancel). At 30x10 Consequenties is long enough to scroll.
#[test]
fn esc_in_search_restores_the_whole_screen() {
    let mut a = app(30, 10);
    step(
        &mut a,
        "<End><Up><Tab>jj",
        &[
            "Het rapport ‘de Veiligheidsre…",
            "Consequenties",
            "Communicatie",
            "──────────────────────── ▲5 ──",
            " Het rapport zal waar mogelijk",
            " bijdragen aan de verdere",
            " professionalisering van",
            " veiligheidsregio’s bij acute,",
            " maar zeker ook bij meer",
            "? hulp  q stoppen          6/7",
        ],
    );
    let before = draw(&a);
    step(
        &mut a,
        "/spin in het web",
        &[
            "Het rapport ‘de Veiligheidsre…",
            "Kernboodschap",
            "  Verbinden op verschille… [1]",
            "───────────────────── ▲1 ▼4 ──",
            "   heidsregio’s zich ontwik-",
            "   kelden tot spin in het web.",
            " • Ook het redigeren en commu-",
            "   niceren van het landelijk",
            "   beleid richting inliggende",
            "Zoek:  in het web  treffer 1/1",
        ],
    );
    crate::script::press(&mut a, "<Esc>");
    assert!(draw(&a) == before, "cells or styles differ after Esc");
    // Focus is back on the text: k scrolls it, the theme stays.
    step(
        &mut a,
        "k",
        &[
            "Het rapport ‘de Veiligheidsre…",
            "Consequenties",
            "Communicatie",
            "──────────────────────── ▲5 ──",
            "",
            " Het rapport zal waar mogelijk",
            " bijdragen aan de verdere",
            " professionalisering van",
            " veiligheidsregio’s bij acute,",
            "? hulp  q stoppen          6/7",
        ],
    );
}

/// A query without matches says so, moves nothing, highlights nothing,
/// and n says so again.
#[test]
fn a_query_without_matches_says_so_and_stays_put() {
    let mut a = app(80, 12);
    step(
        &mut a,
        "<Down>/zzzqqq",
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
            "Zoek: zzzqqq                                                       geen treffers",
        ],
    );
    step(
        &mut a,
        "<Enter>",
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
            "/ zoeken  ? hulp  q stoppen                          /zzzqqq  geen treffers  2/7",
        ],
    );
    assert_eq!(highlighted(&a), "");
    step(
        &mut a,
        "n",
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
            "geen treffers                                                       /zzzqqq  2/7",
        ],
    );
}

/// `--search QUERY`: the browser opens on the first match, confirmed.
#[test]
fn a_search_to_start_with_opens_on_the_first_match() {
    let a = App::new(
        Doc::new(&Report::builtin()),
        80,
        12,
        Setup {
            search: Some("spin in het web".into()),
            ..Setup::default()
        },
    );
    assert_screen(&a, &SPIN_IN_VIEW, "starting with a search");
    assert_eq!(highlighted(&a), "spininhetweb");
}

/// On a narrow search bar the answer says its numbers rather than being
/// cut from its start ("effer 1/1" at 20 columns), and a "no matches"
/// notice is not said twice beside the same words on the right.
#[test]
fn a_narrow_search_bar_keeps_the_numbers_and_says_nothing_twice() {
    let mut a = app(20, 5);
    crate::script::press(&mut a, "/spin in het web");
    let status = |a: &App| crate::script::screen(a).last().cloned().unwrap_or_default();
    assert!(status(&a).ends_with(" 1/1"), "{}", status(&a));
    assert!(!status(&a).contains("effer"), "{}", status(&a));
    let mut a = app(60, 12);
    crate::script::press(&mut a, "/zzzq<Enter>n");
    let s = status(&a);
    assert_eq!(s.matches("geen treffers").count(), 1, "{s}");
}
