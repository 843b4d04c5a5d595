//! The bundled report (`report.toml`) is a transcription of a Dutch council memo, kept in
//! `tests/data/seed-memo.txt` exactly as it was extracted from the PDF. These tests prove the
//! transcription is faithful: every sentence of the memo appears, in order, in the loaded report,
//! the report says nothing the memo does not, and the memo's structure (themes, sub-themes,
//! bullets, sub-bullets) survives.
//!
//! How the memo is read (it is PDF text: hard line breaks mid-sentence, trailing spaces, blank
//! lines left over from page breaks):
//! * A line starting with "> " is a bullet, "- " a sub-bullet; the marker is dropped.
//! * Otherwise, the first line after a blank line starts a new item (a heading or a paragraph),
//!   unless it starts with a lowercase letter: then it is the rest of a sentence that a page break
//!   cut in two ("(verzamelen, ⏎⏎⏎ delen)").
//! * Every other line continues the current item. Whitespace runs collapse to one space.
//! * Items are cut into sentences after ". ", ": " and "; ", and at " - ", which in this memo
//!   only separates the title from the subtitle (the memo's own dashes are en dashes, "–").
//!
//! The report is read in reading order: kind, title, subtitle, then per theme its title, body,
//! points depth-first, and its sub-themes.

use std::path::Path;

use briefing::report::{Language, Point, Report, Theme};

const MEMO: &str = include_str!("data/seed-memo.txt");
const REPORT_TOML: &str = include_str!("../report.toml");

/// Items and sentences the memo splits into; if the splitter breaks, these catch it rather
/// than letting the comparison pass vacuously.
const MEMO_ITEMS: usize = 27;
const MEMO_SENTENCES: usize = 46;

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn load(toml: &str) -> Report {
    Report::from_toml(toml, Path::new("report.toml"))
        .unwrap_or_else(|e| panic!("report.toml does not load: {e}"))
}

/// The memo's headings, paragraphs, bullets and sub-bullets, one string each, whitespace collapsed.
fn memo_items(memo: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let mut after_blank = true;
    for raw in memo.lines() {
        let line = raw.trim_end();
        if line.trim().is_empty() {
            after_blank = true;
            continue;
        }
        let (starts_item, text) = if let Some(rest) = line.strip_prefix("> ") {
            (true, rest)
        } else if let Some(rest) = line.strip_prefix("- ") {
            (true, rest)
        } else if after_blank && !line.trim_start().starts_with(char::is_lowercase) {
            (true, line)
        } else {
            (false, line)
        };
        after_blank = false;
        match items.last_mut() {
            Some(last) if !starts_item => {
                last.push(' ');
                last.push_str(text);
            }
            _ => items.push(text.to_string()),
        }
    }
    items
        .iter()
        .map(|item| collapse(item))
        .filter(|item| !item.is_empty())
        .collect()
}

/// Cuts an item into sentences after ". ", ": " and "; ", and at " - " (title / subtitle).
fn sentences(item: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in item.split(" - ") {
        let mut start = 0;
        for (i, c) in part.char_indices() {
            if matches!(c, '.' | ':' | ';') && part[i + 1..].starts_with(' ') {
                out.push(part[start..=i].trim().to_string());
                start = i + 2;
            }
        }
        let rest = part[start..].trim();
        if !rest.is_empty() {
            out.push(rest.to_string());
        }
    }
    out
}

fn memo_sentences() -> Vec<String> {
    memo_items(MEMO)
        .iter()
        .flat_map(|item| sentences(item))
        .collect()
}

fn walk_points<'a>(points: &'a [Point], out: &mut Vec<&'a str>) {
    for point in points {
        out.push(&point.text);
        walk_points(&point.points, out);
    }
}

fn walk_theme<'a>(theme: &'a Theme, out: &mut Vec<&'a str>) {
    out.push(&theme.title);
    if let Some(body) = &theme.body {
        out.push(body);
    }
    walk_points(&theme.points, out);
    for sub in &theme.themes {
        walk_theme(sub, out);
    }
}

/// All of the report's text in reading order, whitespace collapsed.
fn report_text(report: &Report) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if let Some(kind) = &report.kind {
        parts.push(kind);
    }
    parts.push(&report.title);
    if let Some(subtitle) = &report.subtitle {
        parts.push(subtitle);
    }
    for theme in &report.themes {
        walk_theme(theme, &mut parts);
    }
    collapse(&parts.join(" "))
}

/// Finds every sentence in `text`, each after the previous one. Err names the first one missing.
fn check_in_order(sentences: &[String], text: &str) -> Result<(), String> {
    let mut cursor = 0;
    for (n, sentence) in sentences.iter().enumerate() {
        match text[cursor..].find(sentence.as_str()) {
            Some(at) => cursor += at + sentence.len(),
            None => {
                let whereabouts = if text.contains(sentence.as_str()) {
                    "it is in the report, but before the previous sentence (out of order)"
                } else {
                    "it is not in the report"
                };
                let context: String = text[cursor..].chars().take(160).collect();
                return Err(format!(
                    "memo sentence {} of {} is missing from report.toml ({whereabouts}):\n  \
                     {sentence:?}\nthe report continues after the previous sentence with:\n  \
                     {context:?}",
                    n + 1,
                    sentences.len(),
                ));
            }
        }
    }
    Ok(())
}

fn all_themes(themes: &[Theme]) -> Vec<&Theme> {
    let mut out = Vec::new();
    for theme in themes {
        out.push(theme);
        out.extend(all_themes(&theme.themes));
    }
    out
}

fn count_points(points: &[Point]) -> usize {
    points.iter().map(|p| 1 + count_points(&p.points)).sum()
}

#[test]
fn memo_splits_as_expected() {
    let items = memo_items(MEMO);
    let sentences = memo_sentences();
    assert_eq!(items.len(), MEMO_ITEMS, "items: {items:#?}");
    assert_eq!(sentences.len(), MEMO_SENTENCES, "sentences: {sentences:#?}");
    // Page-break debris is joined, not split.
    assert!(items.iter().any(|i| i.contains("(verzamelen, delen)")));
    assert!(
        items
            .iter()
            .any(|i| i.contains("complexiteit en verwevenheid"))
    );
}

#[test]
fn every_memo_sentence_is_in_the_report_in_order() {
    let report = load(REPORT_TOML);
    if let Err(message) = check_in_order(&memo_sentences(), &report_text(&report)) {
        panic!("{message}");
    }
}

#[test]
fn report_says_nothing_the_memo_does_not() {
    let report = load(REPORT_TOML);
    let memo = memo_sentences().join(" ");
    let text = report_text(&report);
    if memo != text {
        let common = memo
            .char_indices()
            .zip(text.chars())
            .find(|((_, a), b)| a != b)
            .map(|((i, _), _)| i)
            .unwrap_or(memo.len().min(text.len()));
        let before = memo[..common]
            .char_indices()
            .rev()
            .nth(59)
            .map_or(0, |(i, _)| i);
        let after = |s: &str| s[common..].chars().take(120).collect::<String>();
        panic!(
            "report.toml and the memo differ after {:?}\n  memo:   {:?}\n  report: {:?}",
            &memo[before..common],
            after(&memo),
            after(&text),
        );
    }
}

#[test]
fn report_header() {
    let report = load(REPORT_TOML);
    assert_eq!(
        report.title,
        "Het rapport ‘de Veiligheidsregio als verbinder’"
    );
    assert_eq!(
        report.subtitle.as_deref(),
        Some(
            "een overkoepelende beschouwing van de rol van de veiligheidsregio’s tijdens de coronacrisis"
        ),
    );
    assert_eq!(report.kind.as_deref(), Some("Kennisnemen van"));
    assert_eq!(
        report.source.as_deref(),
        Some("Nederlands Instituut Publieke Veiligheid (NIPV)"),
    );
    assert!(report.date.is_none(), "the memo carries no date");
    assert!(matches!(report.language, Language::Nl), "the memo is Dutch");
}

#[test]
fn report_structure() {
    let report = load(REPORT_TOML);

    let top: Vec<&str> = report.themes.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(
        top,
        [
            "Inleiding",
            "Kernboodschap",
            "Consequenties",
            "Communicatie"
        ]
    );

    let all: Vec<&str> = all_themes(&report.themes)
        .iter()
        .map(|t| t.title.as_str())
        .collect();
    assert_eq!(
        all,
        [
            "Inleiding",
            "Kernboodschap",
            "Verbinden op verschillende manieren",
            "Leren en reflecteren",
            "De toekomstige rol van de veiligheidsregio’s",
            "Consequenties",
            "Communicatie",
        ],
    );

    let [inleiding, kern, consequenties, communicatie] = &report.themes[..] else {
        unreachable!()
    };
    for theme in [inleiding, kern, consequenties] {
        assert!(theme.body.is_some(), "{} has a body", theme.title);
        assert!(theme.points.is_empty(), "{} has no points", theme.title);
    }
    assert!(
        communicatie.body.is_none(),
        "Communicatie is empty in the memo"
    );
    assert!(
        communicatie.points.is_empty(),
        "Communicatie is empty in the memo"
    );
    assert!(
        communicatie.themes.is_empty(),
        "Communicatie is empty in the memo"
    );

    let subs = &kern.themes;
    let per_sub: Vec<usize> = subs.iter().map(|t| t.points.len()).collect();
    assert_eq!(per_sub, [5, 4, 4], "bullets per sub-theme of Kernboodschap");
    for sub in subs {
        assert!(sub.body.is_none(), "{} has only bullets", sub.title);
        assert!(sub.themes.is_empty(), "{} has no sub-themes", sub.title);
    }

    // Only the first bullet of "De toekomstige rol…" has sub-bullets: two of them.
    let toekomst = &subs[2];
    assert_eq!(toekomst.points[0].points.len(), 2);
    assert!(
        toekomst.points[0]
            .points
            .iter()
            .all(|p| p.points.is_empty())
    );
    let nested: usize = all_themes(&report.themes)
        .iter()
        .flat_map(|t| &t.points)
        .map(|p| count_points(&p.points))
        .sum();
    assert_eq!(nested, 2, "sub-bullets in the whole report");

    let total: usize = all_themes(&report.themes)
        .iter()
        .map(|t| count_points(&t.points))
        .sum();
    assert_eq!(total, 15, "bullets and sub-bullets in the whole report");
}

/// The checks above must be able to fail: a "corrected" typo, a dropped sentence and a swapped
/// pair of bullets are all caught, and the message names the sentence.
#[test]
fn the_check_catches_unfaithful_transcriptions() {
    let sentences = memo_sentences();
    let check = |toml: &str| check_in_order(&sentences, &report_text(&load(toml)));

    let fixed_typo = REPORT_TOML.replace("deze cisis", "deze crisis");
    assert_ne!(fixed_typo, REPORT_TOML);
    let err = check(&fixed_typo).expect_err("a corrected typo must be caught");
    assert!(err.contains("deze cisis"), "{err}");

    let dropped = REPORT_TOML.replace(
        " De werkwijze werd steeds aangepast aan de actuele behoeften.",
        "",
    );
    assert_ne!(dropped, REPORT_TOML);
    let err = check(&dropped).expect_err("a dropped sentence must be caught");
    assert!(err.contains("De werkwijze werd steeds"), "{err}");

    let a = "\"Veiligheidsregio’s zijn niet zozeer gericht op de inhoud, maar des te meer op het proces; het zijn netwerkorganisaties.\",";
    let b = "\"De veiligheidsregio’s kennen daarvoor ook een passend schaalniveau (met een overzienbaar aantal gemeenten in iedere regio).\",";
    assert!(REPORT_TOML.contains(a) && REPORT_TOML.contains(b));
    let swapped = REPORT_TOML
        .replace(a, "\u{0}")
        .replace(b, a)
        .replace('\u{0}', b);
    let err = check(&swapped).expect_err("bullets out of order must be caught");
    assert!(err.contains("out of order"), "{err}");
}
