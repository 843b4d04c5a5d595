use std::path::Path;

use super::*;
use crate::report::{Point, TaskState};

fn md(src: &str) -> Report {
    Report::from_markdown(src, Path::new("n.md")).unwrap_or_else(|e| panic!("{e}"))
}

fn err(src: &str) -> String {
    Report::from_markdown(src, Path::new("n.md"))
        .expect_err("invalid")
        .to_string()
}

fn texts(points: &[Point]) -> Vec<&str> {
    points.iter().map(|p| p.text.as_str()).collect()
}

const SITREP: &str = r#"+++
kind = "Situatierapport"
language = "nl"
classification = "TLP:AMBER"
number = 14
phase = "update"
as_of = 2026-11-27T14:00:00+01:00
+++

# Hoogwater Maas en Roer

## Beeld

Status: changed
Owner: Informatiemanager ROT
Updated: 2026-11-27T08:15:00+01:00
Source: Rijkswaterstaat

De Maas *stijgt* nog
ongeveer 8 cm per uur.

De kades zijn verzadigd.

- Ongeveer 1.200 woningen [updated:: 2026-11-27T07:50]
- Twee zorginstellingen:
  - De Wilgen [owner:: GHOR]
    - 86 bewoners
- Besluiten:
  - GRIP 3 afgekondigd [at:: 2026-11-27T08:00:00+01:00]
  - De Wilgen wordt ontruimd
- [ ] Bel GridCo [owner:: GHOR] [due:: 2026-11-27T12:00]
- [x] Zandzakken naar Herten [owner:: Brandweer]

### Verwachting

#### Morgen

Unchanged: true

## Communicatie

- Acties:
  - Persbericht opstellen
  - [ ] Persconferentie voorbereiden [state:: in progress]
"#;

#[test]
fn the_mapping_puts_every_part_in_its_place() {
    let r = md(SITREP);
    assert_eq!(r.title, "Hoogwater Maas en Roer");
    assert_eq!(r.kind.as_deref(), Some("Situatierapport"));
    assert_eq!(r.language, crate::report::Language::Nl);
    assert_eq!(r.number, Some(14));
    assert_eq!(
        r.as_of.as_ref().map(|s| s.text.as_str()),
        Some("2026-11-27 14:00")
    );
    let beeld = &r.themes[0];
    assert_eq!(beeld.title, "Beeld");
    assert_eq!(beeld.status, Some(Status::Changed));
    assert_eq!(beeld.owner.as_deref(), Some("Informatiemanager ROT"));
    assert_eq!(beeld.source.as_deref(), Some("Rijkswaterstaat"));
    assert_eq!(
        beeld.updated.as_ref().map(|s| s.text.as_str()),
        Some("2026-11-27 08:15")
    );
    assert_eq!(
        beeld.body.as_deref(),
        Some("De Maas stijgt nog ongeveer 8 cm per uur.\n\nDe kades zijn verzadigd.")
    );
    assert_eq!(
        texts(&beeld.points),
        ["Ongeveer 1.200 woningen", "Twee zorginstellingen:"]
    );
    assert!(beeld.points[0].updated.is_some());
    let wilgen = &beeld.points[1].points[0];
    assert_eq!(
        (wilgen.text.as_str(), wilgen.owner.as_deref()),
        ("De Wilgen", Some("GHOR"))
    );
    assert_eq!(texts(&wilgen.points), ["86 bewoners"]);
    assert_eq!(beeld.decisions.len(), 2);
    assert_eq!(beeld.decisions[0].text, "GRIP 3 afgekondigd");
    assert!(beeld.decisions[0].at.is_some() && beeld.decisions[1].at.is_none());
    let [call, bags] = &beeld.actions[..] else {
        panic!("two actions: {:?}", beeld.actions)
    };
    assert_eq!(
        (call.text.as_str(), call.owner.as_deref()),
        ("Bel GridCo", Some("GHOR"))
    );
    assert_eq!(
        call.due.as_ref().map(|d| d.text.as_str()),
        Some("2026-11-27 12:00")
    );
    assert!(call.is_open() && call.state.is_none());
    assert_eq!(bags.state, Some(TaskState::Done));
    assert_eq!(beeld.themes[0].title, "Verwachting");
    assert!(beeld.themes[0].themes[0].unchanged);
    let comms = &r.themes[1];
    assert_eq!(comms.actions.len(), 2);
    assert_eq!(comms.actions[0].text, "Persbericht opstellen");
    assert_eq!(comms.actions[1].state, Some(TaskState::InProgress));
    assert!(comms.points.is_empty() && comms.decisions.is_empty());
}

#[test]
fn the_title_comes_from_the_front_matter_or_the_heading_not_both() {
    let r = md("+++\ntitle = \"From front\"\n+++\n## A\n");
    assert_eq!(r.title, "From front");
    assert_eq!(md("\u{FEFF}# T\n## A\n").title, "T");
    let e = err("+++\ntitle = \"Front\"\n+++\n\n# Heading\n## A\n");
    assert!(
        e.starts_with("n.md:5:1: the title is already set by `title` in the front matter (line 2)"),
        "{e}"
    );
    assert!(err("## A\n").contains("n.md:1:1: the report has no title"));
    assert!(err("# T\n\n# U\n").contains("n.md:3:1: a second `#` heading"));
    assert!(err("# T\n").contains("the report has no themes; add at least one `## Theme` heading"));
    assert!(err(" \n\t\n").starts_with("n.md:1:1: the file is empty"));
}

#[test]
fn front_matter_errors_are_the_toml_loaders_at_their_place_in_the_file() {
    let toml_err = |src: &str| {
        crate::report::Report::from_toml(src, Path::new("n.md"))
            .expect_err("invalid")
            .to_string()
    };
    // The same key, value and message as in a TOML report, two lines down.
    for (front, at_toml, at_md) in [
        ("titel = \"x\"\n", "1:1", "2:1"),
        ("title = \"T\"\ndate = \"2024-04-15\"\n", "2:8", "3:8"),
        (
            "title = \"T\"\nclassification = \"tlp:amber\"\n",
            "2:18",
            "3:18",
        ),
        ("title = \"T\"\nphase = \"later\"\n", "2:9", "3:9"),
        ("title = \"T\"\nlanguage = \"fr\"\n", "2:12", "3:12"),
        ("title = \"T\"\nkind = \"a\"\nkind = \"b\"\n", "3:1", "4:1"),
        ("title = \"T\"\nnumber = -1\n", "2:10", "3:10"),
    ] {
        let t = toml_err(&format!("{front}[[theme]]\ntitle = \"A\"\n"));
        let m = err(&format!("+++\n{front}+++\n## A\n"));
        let strip = |s: &str, at: &str| s.replacen(&format!("n.md:{at}: "), "", 1);
        assert!(t.starts_with(&format!("n.md:{at_toml}: ")), "{t}");
        assert!(m.starts_with(&format!("n.md:{at_md}: ")), "{m}");
        let (t, m) = (strip(&t, at_toml), strip(&m, at_md));
        // The duplicate-key message names the line the key was first set on.
        let t = t.replace("line 2", "line 3");
        assert_eq!(m, t);
    }
    assert!(err("+++\ntitle = \"T\"\n").contains("n.md:1:1: the front matter is not closed"));
    assert!(
        err("---\ntitle: T\n---\n")
            .contains("n.md:1:1: this file begins with `---` (YAML front matter)")
    );
    assert!(err("+++\n[[theme]]\ntitle = \"A\"\n+++\n# T\n").contains("themes are `##` headings"));
}

#[test]
fn headings_make_themes_and_sub_themes_at_any_depth() {
    let r = md("# T\n## A\n### A1\n#### A1a\n##### deep\n###### deeper\n### A2\n## B\n");
    let a = &r.themes[0];
    assert_eq!(a.themes.len(), 2);
    assert_eq!(a.themes[0].themes[0].themes[0].themes[0].title, "deeper");
    assert_eq!(r.themes[1].title, "B");
    let setext = md("T\n=\n\nA\n-\n\ntext\n");
    assert_eq!(
        (setext.title.as_str(), setext.themes[0].title.as_str()),
        ("T", "A")
    );
    assert!(err("# T\n## A\n#### skip\n").contains(
        "n.md:3:1: a `####` heading right under a `##` theme skips a level; write `###`"
    ));
    assert!(err("# T\n### first\n").contains("a `###` heading before any `##` theme"));
    assert!(err("# T\n## \n").contains("n.md:2:1: a theme's `title` is empty; write some text"));
    assert!(err("# T\nintro\n## A\n").contains("n.md:2:1: text before the first `##` heading"));
}

#[test]
fn the_status_block_is_strict() {
    let e = err("# T\n## A\nStatus: new\nEigenaar: GHOR\n");
    assert!(e.starts_with("n.md:4:1: unknown key `Eigenaar` in the status block, expected one of `Status`, `Owner`, `Source`, `Updated`, `Unchanged`"), "{e}");
    let e = err("# T\n## A\nStatus: new\nthe river is high\n");
    assert!(e.contains("n.md:4:1: a line of the status block"), "{e}");
    let e = err("# T\n## A\nUpdated: yesterday\n");
    assert!(
        e.contains("n.md:3:10: `updated` is not a date and time"),
        "{e}"
    );
    let e = err("# T\n## A\nUpdated: 14:30\n");
    assert!(
        e.contains("n.md:3:10: `updated` must include a date"),
        "{e}"
    );
    assert!(err("# T\n## A\nUnchanged: maybe\n").contains("`Unchanged` is true or false"));
    assert!(err("# T\n## A\nOwner:\n").contains("`Owner` is empty"));
    // Not right under the heading, or not a known key: text.
    let r = md("# T\n## A\nNote: the river.\n\nStatus: prose\n");
    assert_eq!(
        r.themes[0].body.as_deref(),
        Some("Note: the river.\n\nStatus: prose")
    );
    assert_eq!(r.themes[0].status, None);
    let r = md("# T\n## A\nStatus\\: escaped\n");
    assert_eq!(r.themes[0].body.as_deref(), Some("Status: escaped"));
}

#[test]
fn fields_and_boxes_are_strict() {
    let e = err("# T\n## A\n- point [eigenaar:: GHOR]\n");
    assert!(e.starts_with("n.md:3:10: unknown key `eigenaar` in `[eigenaar:: …]` of a point, expected one of `owner`, `due`, `updated`"), "{e}");
    assert!(
        err("# T\n## A\n- [ ] act [state:: later]\n")
            .contains("an action's `state` is \"new\", \"in_progress\", \"done\" or \"accepted\"")
    );
    assert!(
        err("# T\n## A\n- [x] act [state:: new]\n")
            .contains("the box `[x]` says the action is done")
    );
    assert!(
        err("# T\n## A\n- [ ] act [status:: gereed]\n")
            .contains("the box `[ ]` says the action is open")
    );
    assert!(
        err("# T\n## A\n- [ ] act [owner:: a] [owner:: b]\n").contains("`owner` is given twice")
    );
    assert!(
        err("# T\n## A\n- [ ] act\n  - sub\n")
            .contains("n.md:3:1: an action has no points under it")
    );
    assert!(
        err("# T\n## A\n- point\n  - [ ] sub\n")
            .contains("n.md:4:3: an action (a `- [ ]` item) belongs at the top")
    );
    assert!(err("# T\n## A\n- Decisions:\n").contains("`Decisions:` begins a list"));
    assert!(err("# T\n## A\n- Decisions:\n  - [ ] x\n").contains("a decision has no box"));
    assert!(
        err("# T\n## A\n- Decisions:\n  - x\n    - y\n")
            .contains("a decision has no points under it")
    );
    assert!(err("# T\n## A\n- \n").contains("n.md:3:1: a point's `text` is empty"));
    assert!(err("# T\n## A\n- [ ] [owner:: x]\n").contains("an action's `text` is empty"));
    // Escaped brackets, and a field that is not at the end, are text.
    let r = md("# T\n## A\n- see \\[owner:: x] here\n- [owner:: y] first\n");
    assert_eq!(
        texts(&r.themes[0].points),
        ["see [owner:: x] here", "[owner:: y] first"]
    );
    // A task written loose, and a checked box with a status that agrees.
    let r = md("# T\n## A\n- [x] done [status:: gereed]\n\n  more words\n");
    let t = &r.themes[0].actions[0];
    assert_eq!(
        (t.text.as_str(), t.state, t.status.as_deref()),
        ("done more words", None, Some("gereed"))
    );
}

#[test]
fn text_after_the_points_stays_after_them() {
    let r = md("# T\n## A\nbefore\n\n- one\n\nafter\n\n```\ncode\n```\n");
    let a = &r.themes[0];
    assert_eq!(a.body.as_deref(), Some("before"));
    assert_eq!(texts(&a.points), ["one", "after", "code"]);
}

#[test]
fn what_the_model_has_no_place_for_is_shown_as_text() {
    let r = md(concat!(
        "# T\n## A\n",
        "A *b* **c** `d` [link](https://x.nl) <https://y.nl> ![alt](pic.png) <b>html</b> ~~gone?~~ [^1] $x$\n\n",
        "line one  \nline two\n\n",
        "| Place | Level |\n|---|---|\n| Eijsden | 46,20 |\n| Venlo |\n\n",
        "```sh\nls -l\n  indented\n```\n\n",
        "> quoted\n> - item\n\n",
        "<div>\nblock\n</div>\n\n",
        "<!-- speaker_note: not shown -->\n\n",
        "***\n\n",
        "1. first\n2. second\n",
    ));
    let a = &r.themes[0];
    let body: Vec<&str> = a.body.as_deref().unwrap_or("").split("\n\n").collect();
    assert_eq!(
        body,
        [
            "A b c d link (https://x.nl) https://y.nl alt (pic.png) <b>html</b> ~~gone?~~ [^1] $x$",
            "line one",
            "line two",
            "Place\u{2007}\u{2007} | Level",
            "Eijsden | 46,20",
            "Venlo\u{2007}\u{2007} |",
            "ls -l",
            "indented",
            "> quoted",
            "> item",
            "<div>",
            "block",
            "</div>",
        ]
    );
    assert_eq!(texts(&a.points), ["1. first", "2. second"]);
}

#[test]
fn a_wide_table_keeps_every_column_and_is_not_padded() {
    let head: String = (0..40).map(|i| format!("| col{i} ")).collect();
    let rule: String = (0..40).map(|_| "|---").collect();
    let r = md(&format!("# T\n## A\n{head}|\n{rule}|\n| x |\n"));
    let body = r.themes[0].body.clone().unwrap_or_default();
    assert!(
        body.contains("col0 | col1 |") && body.contains("col39"),
        "{body}"
    );
    assert!(!body.contains('\u{2007}'));
    let last = body.rsplit("\n\n").next().unwrap_or("");
    assert!(
        last.starts_with("x |") && last.matches('|').count() == 39,
        "{last}"
    );
}

#[test]
fn hostile_text_reaches_the_report_as_text_and_is_sanitised_in_the_doc() {
    let r = md(
        "# T \u{1b}]0;pwned\u{7}\n## A\u{202e}\n\u{1b}[2J &#27;[31m &#x202E; <script>x</script>\n",
    );
    let d = crate::doc::Doc::new(&r);
    for b in d.blocks.iter() {
        assert!(
            !b.text.contains(['\u{1b}', '\u{7}', '\u{202e}']),
            "{:?}",
            b.text
        );
    }
    assert!(
        d.blocks
            .iter()
            .any(|b| b.text.contains("<script>x</script>"))
    );
}

#[test]
fn nesting_is_capped_like_the_toml_loader() {
    let deep: String = (0..20)
        .map(|i| format!("{}- x\n", "  ".repeat(i)))
        .collect();
    assert!(err(&format!("# T\n## A\n{deep}")).contains("nested more than 16 levels deep"));
    let quotes = format!("# T\n## A\n{} x\n", ">".repeat(5000));
    assert!(err(&quotes).contains("nested more than 16 levels deep"));
    let brackets = format!("+++\nx = {}\n+++\n", "[".repeat(100));
    assert!(err(&brackets).contains("n.md:2:"), "{}", err(&brackets));
    // Within the cap, all of it is there.
    let ok: String = (0..16)
        .map(|i| format!("{}- x{i}\n", "  ".repeat(i)))
        .collect();
    let mut p = &md(&format!("# T\n## A\n{ok}")).themes[0].points[0];
    for _ in 0..15 {
        p = &p.points[0];
    }
    assert_eq!(p.text, "x15");
}

#[test]
fn a_status_none_of_the_known_words_is_noted_where_it_is() {
    let r = md("# T\n\n## A\nStatus: chnaged\nOwner: GHOR\n\n## B\nStatus: done\n");
    assert_eq!(r.themes[0].status, Some(Status::Other("chnaged".into())));
    assert_eq!(
        r.notes.lines(),
        [
            "n.md:4:9: status \"chnaged\" is none of new, changed, unchanged, closed, done; it is shown as written"
        ]
    );
}
