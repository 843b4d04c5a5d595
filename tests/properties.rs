//! Property tests on the loader and the text pipeline, with any text and any
//! width:
//!
//! * a report written by the `toml` crate's own serializer from arbitrary
//!   strings (so every escape is right) loads, gives back what was written,
//!   and goes through `Doc::new` → `view::layout` → rendering into a test
//!   backend of that width without panicking;
//! * no wrapped line is wider than its panel (bar a lone grapheme wider than
//!   the room left), and the rendered text panel shows exactly those lines;
//! * every visible character of the input survives, in order: the
//!   non-space characters of `text::inline`/`text::paragraphs` equal those of
//!   the laid-out lines;
//! * the loader never panics on arbitrary strings or bytes as a whole file.
//!
//! Case counts are kept small enough for the whole file to run in well under
//! 30 s in a debug build.

use std::path::Path;

use briefing::app::App;
use briefing::doc::Doc;
use briefing::report::Report;
use briefing::text::{self, display_width};
use briefing::view::{self, LineKind};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

#[derive(Serialize, Clone, Debug)]
struct RawReport {
    title: String,
    language: String,
    theme: Vec<RawTheme>,
}

#[derive(Serialize, Clone, Debug)]
struct RawTheme {
    title: String,
    body: String,
    points: Vec<RawPoint>,
}

#[derive(Serialize, Clone, Debug)]
#[serde(untagged)]
enum RawPoint {
    Plain(String),
    Nested { text: String, points: Vec<RawPoint> },
}

/// What must never reach a terminal from a report.
fn forbidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Any text, weighted towards what breaks terminals and wrapping: controls
/// and escape sequences, wide and zero-width characters, long words.
fn nasty_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z]{1,12}",
        2 => Just(" ".to_string()),
        1 => "[ \t\n\r]{1,3}",
        1 => any::<String>(),
        1 => "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}]{1,3}",
        1 => prop_oneof![
            Just("\x1b]52;c;ZXZpbA==\x07".to_string()),
            Just("\x1b]0;title\x1b\\".to_string()),
            Just("\x1b[2J".to_string()),
            Just("\x1b[?1049l".to_string()),
            Just("\x1b[38;5;208m".to_string()),
            Just("\u{9b}31m".to_string()),
            Just("\x08\x08".to_string()),
            Just("\u{202e}\u{2066}\u{200f}".to_string()),
        ],
        1 => "[日本語中文한국어ＡＢＣ]{1,6}",
        1 => "[\u{301}\u{200b}\u{200d}\u{ad}\u{a0}\u{fe0f}\u{ff9e}\u{1f468}\u{1f469}\u{1f1f3}\u{1f1f1}\u{3000}]{1,4}",
        1 => "[a-z]{30,120}",
        1 => "[a-z]{2,6}-[a-z]{2,6}",
        1 => Just("uitvoeringsorganisaties veiligheidsregio’s notwithstanding".to_string()),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

fn point(depth: u32) -> BoxedStrategy<RawPoint> {
    let leaf = nasty_text().prop_map(|t| RawPoint::Plain(format!("p{t}")));
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![
        3 => leaf,
        1 => (nasty_text(), prop::collection::vec(point(depth - 1), 0..3))
            .prop_map(|(t, points)| RawPoint::Nested { text: format!("n{t}"), points }),
    ]
    .boxed()
}

fn report() -> impl Strategy<Value = RawReport> {
    let theme = (
        nasty_text(),
        nasty_text(),
        prop::collection::vec(point(2), 0..4),
    )
        .prop_map(|(title, body, points)| RawTheme {
            title: format!("T{title}"),
            body,
            points,
        });
    (
        nasty_text(),
        prop::bool::ANY,
        prop::collection::vec(theme, 1..4),
    )
        .prop_map(|(title, nl, theme)| RawReport {
            title: format!("R{title}"),
            language: if nl { "nl" } else { "en" }.into(),
            theme,
        })
}

fn non_space(s: &str) -> String {
    s.chars().filter(|&c| c != ' ').collect()
}

/// The blocks `Doc::new` must make of a theme, in order.
fn expected_blocks(t: &RawTheme) -> Vec<String> {
    fn points(p: &[RawPoint], out: &mut Vec<String>) {
        for p in p {
            match p {
                RawPoint::Plain(s) => out.push(text::inline(s)),
                RawPoint::Nested {
                    text: s,
                    points: sub,
                } => {
                    out.push(text::inline(s));
                    points(sub, out);
                }
            }
        }
    }
    let mut out = vec![text::inline(&t.title)];
    out.extend(text::paragraphs(&t.body));
    points(&t.points, &mut out);
    out
}

/// Checks layout of every entry at `width`: lines fit, and the lines of each
/// block put together are the block's text, nothing lost or reordered.
fn check_layout(doc: &Doc, width: u16) -> Result<(), TestCaseError> {
    for entry in 0..doc.entries.len() {
        let lines = view::layout(doc, entry, width);
        let mut shown: Vec<String> = vec![String::new(); doc.blocks.len()];
        for l in &lines {
            if let LineKind::Text {
                block,
                start,
                end,
                hyphen,
                bullet,
            } = l.kind
            {
                let text = doc.blocks.text(block);
                prop_assert!(
                    text.is_char_boundary(start) && text.is_char_boundary(end) && start < end
                );
                let part = &text[start..end];
                shown[block].push_str(part);
                let used = usize::from(l.indent)
                    + if bullet { view::BULLET_WIDTH } else { 0 }
                    + display_width(part)
                    + usize::from(hyphen);
                let lone = part.graphemes(true).count() == 1 && !hyphen;
                prop_assert!(
                    used <= usize::from(width) || lone,
                    "width {}: {:?} takes {} columns",
                    width,
                    part,
                    used
                );
            }
        }
        for b in doc.entries[entry].blocks.clone() {
            prop_assert_eq!(
                non_space(&shown[b]),
                non_space(doc.blocks.text(b)),
                "block {} at width {}",
                b,
                width
            );
        }
    }
    Ok(())
}

/// Renders every entry into a test backend `width` wide and checks that no
/// cell holds a control, and that the text panel shows the laid-out lines.
fn check_render(doc: Doc, width: u16, height: u16) -> Result<(), TestCaseError> {
    let mut app = App::bare(doc, width, height);
    let mut term = Terminal::new(TestBackend::new(width, height)).unwrap();
    for entry in 0..app.doc().entries.len() {
        briefing::script::press(&mut app, &format!("{}G", entry + 1));
        // The frame as ratatui composed it (the test backend's own buffer
        // keeps stale cells under the right half of a wide character, which
        // a terminal overwrites).
        let buf = term
            .draw(|f| briefing::ui::render(&app, f))
            .unwrap()
            .buffer
            .clone();
        let buf = &buf;
        for cell in buf.content() {
            prop_assert!(
                !cell.symbol().chars().any(forbidden),
                "cell {:?}",
                cell.symbol()
            );
        }
        let a = *app.areas();
        if a.too_small {
            continue;
        }
        // Each visible text line, drawn: its non-blank cells spell the line's
        // visible graphemes (after the bullet), and nothing is clipped.
        for (row, line) in app
            .lines()
            .iter()
            .take(usize::from(a.text.height))
            .enumerate()
        {
            let LineKind::Text {
                block,
                start,
                end,
                hyphen,
                bullet,
            } = line.kind
            else {
                continue;
            };
            let y = a.text.y + row as u16;
            let drawn: String = (a.text.x..a.text.right())
                .map(|x| buf[(x, y)].symbol())
                .filter(|s| !s.trim().is_empty())
                .collect();
            let part = &app.doc().blocks.text(block)[start..end];
            let mut want: String = part
                .graphemes(true)
                .filter(|g| display_width(g) > 0 && !g.trim().is_empty())
                .collect();
            if hyphen {
                want.push('-');
            }
            if bullet && let Some(marker) = app.look().marker(line.block_kind) {
                want.insert_str(0, marker);
            }
            let lone = part.graphemes(true).count() == 1;
            prop_assert!(
                drawn == want || (lone && drawn.is_empty()),
                "row {} of theme {} at width {}: drawn {:?}, laid out {:?}",
                row,
                entry,
                width,
                drawn,
                want
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Any strings, serialised by `toml`, through the whole pipeline at any width.
    #[test]
    fn any_report_loads_lays_out_and_renders_at_any_width(
        raw in report(),
        width in 1u16..300,
        height in 1u16..60,
    ) {
        let source = toml::to_string(&raw).expect("serialisable");
        let report = Report::from_toml(&source, Path::new("p.toml"));
        // Titles and point texts all start with a letter, so the report is valid.
        let report = match report {
            Ok(r) => r,
            Err(e) => return Err(TestCaseError::fail(format!("{e}\n{source}"))),
        };
        // The loader gives back what was written.
        prop_assert_eq!(&report.title, &raw.title);
        for (t, r) in report.themes.iter().zip(&raw.theme) {
            prop_assert_eq!(&t.title, &r.title);
            prop_assert_eq!(
                text::paragraphs(t.body.as_deref().unwrap_or("")),
                text::paragraphs(&r.body)
            );
        }
        let doc = Doc::new(&report);
        // The blocks are the sanitised input, in order.
        let want: Vec<String> = raw.theme.iter().flat_map(|t| {
            // Sub-themes are not generated, so entries follow themes one to one.
            expected_blocks(t)
        }).collect();
        let got: Vec<String> = doc.blocks.iter().map(|b| b.text.to_string()).collect();
        prop_assert_eq!(got, want);
        for b in doc.blocks.iter() {
            prop_assert!(!b.text.chars().any(forbidden), "{:?}", b.text);
        }
        check_layout(&doc, width)?;
        check_render(doc, width, height)?;
    }

    /// The text pipeline on its own, on any string: `inline` then `wrap`.
    #[test]
    fn wrapped_lines_fit_and_keep_every_visible_character(
        s in prop_oneof![nasty_text(), any::<String>()],
        width in 1usize..300,
        dict in 0u8..3,
    ) {
        use briefing::text::hyphenate::{Lang, dictionary};
        let dict = match dict { 0 => None, 1 => dictionary(Lang::Nl), _ => dictionary(Lang::En) };
        for para in std::iter::once(text::inline(&s)).chain(text::paragraphs(&s)) {
            prop_assert!(!para.chars().any(forbidden), "{:?}", para);
            let lines = text::wrap::wrap(&para, width, dict);
            let mut joined = String::new();
            for l in &lines {
                let part = &para[l.start..l.end];
                let used = display_width(part) + usize::from(l.hyphen);
                prop_assert!(
                    used <= width || (part.graphemes(true).count() == 1 && !l.hyphen),
                    "{:?} takes {} of {}", part, used, width
                );
                joined.push_str(part);
            }
            prop_assert_eq!(non_space(&joined), non_space(&para));
        }
    }

    /// Visible characters of the input are all there, in order, after
    /// sanitising: only controls, escape sequences, bidi controls and soft
    /// hyphens may go (as U+FFFD or nothing), and whitespace collapses.
    #[test]
    fn sanitising_keeps_every_visible_character_in_order(s in nasty_text()) {
        let out = text::inline(&s);
        let visible = |c: char| !c.is_whitespace() && !forbidden(c) && c != '\u{AD}' && c != '\u{FFFD}';
        // Escape sequences swallow their (ASCII) parameters, so compare
        // subsequences: every visible output char comes from the input, in order.
        let kept: Vec<char> = out.chars().filter(|&c| visible(c)).collect();
        let mut input = s.chars().filter(|&c| visible(c));
        for c in &kept {
            prop_assert!(input.any(|d| d == *c), "{:?} not from the input in order ({:?})", c, s);
        }
        // And text outside escape sequences is never dropped.
        if !s.contains('\x1b') {
            let all: Vec<char> = s.chars().filter(|&c| visible(c)).collect();
            prop_assert_eq!(kept, all);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// The loader never panics on any string as a whole file.
    #[test]
    fn the_loader_never_panics_on_any_string(s in any::<String>()) {
        let _ = Report::from_toml(&s, Path::new("any.toml"));
    }

    /// Nor on strings made of TOML's own tokens, which get past the lexer.
    #[test]
    fn the_loader_never_panics_on_toml_like_text(tokens in prop::collection::vec(prop_oneof![
        Just("title = "), Just("\"T\""), Just("[[theme]]\n"), Just("[[theme.theme]]\n"), Just("[theme]\n"),
        Just("body = "), Just("points = "), Just("["), Just("]"), Just("{"), Just("}"), Just(", "),
        Just("text = "), Just("\"\"\""), Just("'''"), Just("\n"), Just("\r\n"), Just("\\"), Just("\""),
        Just("'"), Just("#"), Just("."), Just("="), Just("language = \"nl\"\n"), Just("date = 2024-01-02\n"),
        Just("\\u001b"), Just("\\u00"), Just("\u{1b}"), Just("\u{9b}"), Just("x"), Just(" "), Just("1979-05-27T07:32:00Z"),
    ], 0..60)) {
        let s = tokens.concat();
        if let Ok(r) = Report::from_toml(&s, Path::new("t.toml")) {
            let doc = Doc::new(&r);
            check_layout(&doc, 7)?;
        }
    }

    /// And reading arbitrary bytes from a file: an error names the first
    /// invalid byte's line and column, counted in characters.
    #[test]
    fn reading_any_bytes_never_panics_and_places_bad_utf8(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.toml");
        std::fs::write(&path, &bytes).unwrap();
        let result = Report::load(&path);
        match (std::str::from_utf8(&bytes), result) {
            (Err(e), Err(briefing::error::LoadError::NotUtf8 { at, .. })) => {
                let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap();
                let line = good.matches('\n').count() + 1;
                let column = good.rsplit('\n').next().unwrap().chars().count() + 1;
                prop_assert_eq!((at.line, at.column), (line, column));
            }
            (Err(_), other) => prop_assert!(false, "invalid UTF-8 not reported as such: {:?}", other.err()),
            (Ok(_), Err(briefing::error::LoadError::NotUtf8 { .. })) => prop_assert!(false, "valid UTF-8 refused"),
            (Ok(_), _) => {}
        }
    }
}
