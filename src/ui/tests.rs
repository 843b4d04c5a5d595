use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use crate::action::Action;
use crate::app::App;
use crate::doc::Doc;
use crate::report::Report;

fn app(w: u16, h: u16) -> App {
    App::new(Doc::new(&Report::builtin()), w, h)
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

fn search(app: &mut App, query: &str) {
    app.update(Action::SearchStart);
    for c in query.chars() {
        app.update(Action::SearchInput(c));
    }
}

#[test]
fn at_80x24_every_theme_is_listed_and_the_first_is_shown() {
    let a = app(80, 24);
    let r = rows(&draw(&a));
    assert!(
        r[0].starts_with("Het rapport ‘de Veiligheidsregio als verbinder’"),
        "{}",
        r[0]
    );
    assert!(r[0].trim_end().ends_with("Kennisnemen van"), "{}", r[0]);
    let list: Vec<&str> = r[1..8]
        .iter()
        .map(|l| l[..l.find('│').expect("divider")].trim_end())
        .collect();
    assert_eq!(
        list,
        [
            "Inleiding",
            "Kernboodschap",
            "  Verbinden op verschille…",
            "  Leren en reflecteren",
            "  De toekomstige rol van…",
            "Consequenties",
            "Communicatie",
        ]
    );
    assert!(r[1].contains("│ Inleiding"), "{}", r[1]);
    assert!(
        r[3].contains("│ Het Nederlands Instituut Publieke"),
        "{}",
        r[3]
    );
    assert!(r[23].trim_end().ends_with("1/7"), "{}", r[23]);
    assert!(
        r[23].contains("? hulp") && r[23].contains("q stoppen"),
        "{}",
        r[23]
    );
}

#[test]
fn the_selected_theme_is_reversed_without_colour() {
    let mut a = app(80, 24);
    a.look.color = false;
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

#[test]
fn at_40x12_the_list_stands_above_the_text() {
    let a = app(40, 12);
    let r = rows(&draw(&a));
    assert_eq!(r[1].trim_end(), "Inleiding");
    assert_eq!(r[4], "─".repeat(40));
    assert_eq!(r[5].trim_end(), "Inleiding");
    assert!(r[11].trim_end().ends_with("1/7"));
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
    for (w, h) in [(1, 1), (5, 2), (19, 10), (40, 4), (2, 30)] {
        let a = app(w, h);
        let r = rows(&draw(&a));
        assert!(
            "venster te klein".starts_with(r[0].trim_end()),
            "{w}x{h}: {:?}",
            r[0]
        );
    }
    for w in 0..=130 {
        for h in 0..=40 {
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
    let mut a = app(80, 24);
    a.look.color = false;
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
    let text = rows(&draw(&a)).join("\n");
    for b in crate::keymap::BROWSE {
        assert!(text.contains(b.help[1]), "help lacks {:?}", b.help[1]);
    }
    assert!(text.contains("Toetsen"));
}

#[test]
fn ascii_mode_draws_only_ascii() {
    let mut a = app(80, 24);
    a.look.ascii = true;
    a.update(Action::ToggleHelp);
    let text = rows(&draw(&a)).join("");
    let report_text: String = a
        .doc
        .blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<String>()
        + &a.doc.title;
    for c in text.chars().filter(|c| !c.is_ascii()) {
        assert!(
            report_text.contains(c),
            "non-ASCII {c:?} not from the report"
        );
    }
}
