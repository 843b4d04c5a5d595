use std::path::{Path, PathBuf};

use super::*;
use crate::report::Report;

fn doc(src: &str) -> Doc {
    Doc::new(&Report::from_toml(src, Path::new("h.toml")).expect("valid"))
}

const HOOGWATER: &str = include_str!("../../examples/hoogwater.toml");
/// 2026-11-27 11:15 +01:00: three hours after the sitrep's 08:15 update.
const PRINTED: i64 = 1_795_774_500;

/// The tags and attributes the handout is written with: anything else in
/// the output came from a report.
const TAGS: &[&str] = &[
    "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "div", "table", "thead", "tfoot",
    "tbody", "tr", "td", "th", "header", "p", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd",
    "nav", "ol", "ul", "li", "a", "span", "main", "section", "caption",
];
const ATTRIBUTES: &[&str] = &[
    "lang",
    "class",
    "role",
    "aria-hidden",
    "aria-labelledby",
    "id",
    "href",
    "scope",
    "charset",
    "http-equiv",
    "content",
    "name",
];

/// Checks that `html` holds only the handout's own markup: known tags and
/// attributes, links only within the page, the style sheet as written,
/// and no `<` or `>` in text. Returns the text, tags removed.
fn only_text_from_the_report(html: &str) -> String {
    let (before, rest) = html.split_once("<style>\n").expect("a style sheet");
    let (style, after) = rest.split_once("</style>").expect("the style sheet ends");
    assert_eq!(style, STYLE, "the style sheet is ours alone");
    let html = format!("{before}{after}");
    let mut text = String::new();
    let mut rest = html.as_str();
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let close = rest[open..].find('>').expect("every tag closes") + open;
        let tag = &rest[open + 1..close];
        assert!(!tag.contains('<'), "a tag inside a tag: {tag}");
        let name = tag.trim_start_matches('/').split(' ').next().unwrap_or("");
        assert!(
            TAGS.contains(&name),
            "a tag the handout does not write: <{tag}>"
        );
        // Attributes: name="value", values escaped, so no quote inside.
        let mut attrs = tag[name.len() + usize::from(tag.starts_with('/'))..].trim();
        while !attrs.is_empty() && name != "!DOCTYPE" {
            let (attr, value_rest) = attrs.split_once("=\"").expect("name=\"value\"");
            assert!(
                ATTRIBUTES.contains(&attr),
                "an attribute the handout does not write: {attr} in <{tag}>"
            );
            let (value, next) = value_rest.split_once('"').expect("a closing quote");
            if attr == "href" {
                let local = value
                    .strip_prefix("#t")
                    .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
                assert!(local, "a link out of the page: {value}");
            }
            assert!(!value.to_ascii_lowercase().contains("javascript:"), "{tag}");
            attrs = next.trim();
        }
        rest = &rest[close + 1..];
    }
    text.push_str(rest);
    assert!(!text.contains('>'), "a raw > in text");
    text
}

#[test]
fn the_handout_is_one_self_contained_accessible_page() {
    let html = render(&doc(HOOGWATER), None, PRINTED);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">"));
    assert!(html.contains(
        "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\""
    ));
    for external in [
        "<script", "<link", "<img", "src=", "url(", "@import", "http:", "https:",
    ] {
        assert!(!html.contains(external), "{external}");
    }
    let text = only_text_from_the_report(&html);
    // The title, the classification on top and bottom, the contents.
    assert!(html.contains("<title>Hoogwater Maas en Roer [Vertrouwelijk]</title>"));
    assert!(html.contains(
        "<div class=\"run top\" aria-hidden=\"true\">Vertrouwelijk · Hoogwater Maas en Roer</div>"
    ));
    assert!(html.contains("<div class=\"run bottom\" aria-hidden=\"true\">Vertrouwelijk</div>"));
    assert!(html.contains("<h1>Hoogwater Maas en Roer</h1>"));
    assert!(html.contains("<dt>Rubricering</dt><dd>Vertrouwelijk</dd>"));
    assert!(html.contains("<nav class=\"toc\" aria-labelledby=\"toc\"><h2 id=\"toc\">Inhoud</h2><ol><li><a href=\"#t1\"><span class=\"num\">1</span>Beeld</a><ol><li><a href=\"#t2\"><span class=\"num\">1.1</span>Verwachting komende 24 uur</a></li></ol></li><li><a href=\"#t3\">"));
    // Themes are sections with real headings, sub-themes one level down.
    assert!(html.contains("<section id=\"t1\" aria-labelledby=\"t1h\"><h2 id=\"t1h\"><span class=\"num\">1</span>Beeld</h2>"));
    assert!(html.contains("<section id=\"t2\" aria-labelledby=\"t2h\"><h3 id=\"t2h\">"));
    // Status, owner and age.
    assert!(text.contains("Eigenaar: Informatiemanager ROT · Bron: Rijkswaterstaat, waterschap · Bijgewerkt: 2026-11-27 08:15 · Status: gewijzigd (3h vóór afdrukken)"), "{text}");
    // Nested points are nested lists.
    assert!(html.contains("<li>Twee zorginstellingen liggen in dat gebied: — bijgewerkt 2026-11-27 07:50<ul><li>Verpleeghuis De Wilgen (86 bewoners), ontruiming voorbereid.</li><li>Dagcentrum ’t Veer, vandaag gesloten.</li></ul></li>"));
    // Decisions and actions are tables with headers.
    assert!(html.contains("<table class=\"items decisions\"><caption>Besluiten</caption><thead><tr><th scope=\"col\">Besluit</th><th scope=\"col\">Tijdstip</th></tr></thead>"));
    assert!(html.contains("<td>Zandzakken naar de kade bij Herten</td><td>Brandweer</td><td>2026-11-27 10:00</td><td class=\"state\">☑ gereed</td>"));
    assert!(html.contains("<td class=\"state\">☐ open</td>"));
    // Sections are balanced.
    assert_eq!(
        html.matches("<section").count(),
        html.matches("</section>").count()
    );
    assert_eq!(html.matches("<ul>").count(), html.matches("</ul>").count());
    assert_eq!(html.matches("<ol>").count(), html.matches("</ol>").count());
    assert_eq!(html.matches("<li").count(), html.matches("</li>").count());
}

#[test]
fn an_english_report_without_extras_has_english_words_and_no_empty_parts() {
    let html = render(
        &doc("title = \"T\"\n[[theme]]\ntitle = \"A\"\n"),
        None,
        PRINTED,
    );
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("<h2 id=\"toc\">Contents</h2>"));
    assert!(html.contains("<dt>Printed</dt>"));
    assert!(!html.contains("<table class=\"items") && !html.contains("class=\"meta"));
    only_text_from_the_report(&html);
}

fn hostile(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/hostile")
        .join(name)
}

#[test]
fn hostile_reports_come_out_as_text_only() {
    let mut seen = 0;
    let mut names: Vec<_> = std::fs::read_dir(hostile(""))
        .expect("the fixtures")
        .map(|e| e.expect("an entry").path())
        .collect();
    names.sort();
    for path in names {
        let Ok(loaded) = crate::load::load(&Source::File(path.clone())) else {
            continue; // fixtures of load errors
        };
        seen += 1;
        let html = render(&loaded.doc, None, PRINTED);
        let text = only_text_from_the_report(&html);
        for c in text.chars() {
            let bad = (c.is_control() && c != '\n') || crate::text::is_bidi_control(c);
            assert!(!bad, "{}: {c:?} reached the handout", path.display());
        }
    }
    assert!(seen >= 6, "only {seen} fixtures loaded");
    // The markup in those fixtures is in the text, escaped.
    let html = render(
        &crate::load::load(&Source::File(hostile("html.toml")))
            .expect("valid")
            .doc,
        None,
        PRINTED,
    );
    assert!(html.contains("<h1>Title&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
    assert!(html.contains("Geheim&quot; onmouseover=&quot;alert(4)"));
    let md = crate::load::load(&Source::File(hostile("markup.md")))
        .expect("valid")
        .doc;
    let html = render(&md, None, PRINTED);
    assert!(
        html.contains("A link (javascript:alert(3)) and image (https://evil.example/pixel.png)")
    );
    assert!(
        html.contains("&lt;script&gt; alert(6) &lt;/script&gt;")
            || html.contains("&lt;script&gt;</p><p>alert(6)")
    );
}

fn marks(html: &str) -> Vec<String> {
    html.split("<span class=\"mark\">")
        .skip(1)
        .map(|s| s.split("</span>").next().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn since_marks_new_and_changed_themes_and_blocks_in_words_and_symbols() {
    let old = doc(HOOGWATER);
    let new_src = HOOGWATER
        .replace(
            "De N280 is tussen Roermond en Herten afgesloten",
            "De N280 is weer open",
        )
        .replace(
            "title  = \"Verkeer en infrastructuur\"",
            "title  = \"Wegen\"",
        )
        .replace(
            "\"Persconferentie om 13.00 uur in het gemeentehuis.\",\n",
            "",
        );
    let new = doc(&new_src);
    let baseline = Baseline {
        seen: Seen::of(&old),
        label: "sitrep-13.toml (sitrep 13)".into(),
    };
    let html = render(&new, Some(&baseline), PRINTED);
    only_text_from_the_report(&html);
    assert!(html.contains("Wijzigingen zijn gemarkeerd ten opzichte van sitrep-13.toml (sitrep 13): ● nieuw thema, ◆ gewijzigd thema, ✱ nieuwe of gewijzigde alinea, punt, besluit of actie."));
    assert!(html.contains("Verwijderde thema&#39;s: Verkeer en infrastructuur"));
    // In the contents and at the headings: the changed and the new theme;
    // in the text, the changed point.
    assert_eq!(
        marks(&html),
        [
            "◆ gewijzigd",
            "◆ gewijzigd",
            "● nieuw",
            "◆ gewijzigd",
            "✱ gewijzigd",
            "◆ gewijzigd",
            "● nieuw"
        ]
    );
    assert!(html.contains(
        "<li class=\"changed\"><span class=\"mark\">✱ gewijzigd</span> De N280 is weer open"
    ));
    assert!(html.contains("<p class=\"removed\">− 1 alinea of punt verwijderd</p>"));
    // Without --since, nothing is marked.
    assert!(marks(&render(&new, None, PRINTED)).is_empty());
}

#[test]
fn since_reads_an_older_version_of_either_format() {
    let dir = tempfile::tempdir().expect("dir");
    let old = dir.path().join("old.md");
    std::fs::write(&old, "+++\nnumber = 13\n+++\n# T\n## A\n").expect("write");
    let b = since(&old, None).expect("loads");
    assert!(b.label.ends_with("old.md (sitrep 13)"), "{}", b.label);
    assert_eq!(b.seen.len(), 1);
    let e = since(&dir.path().join("missing.toml"), None)
        .err()
        .expect("missing");
    assert!(
        e.to_string()
            .contains("missing.toml: cannot read the report")
    );
}
