//! `briefing convert` and the round trips it promises:
//!
//! * TOML → Markdown → TOML gives the same report, for the bundled report,
//!   `examples/hoogwater.toml` and generated reports (proptest builds
//!   `Report` values from text that is hard on both formats: Markdown's
//!   own characters, structure at the start of a line, `Status:`, `[key::
//!   value]`, label words, controls, bidi controls, wide and odd Unicode);
//!   "the same" is `convert::canonical`: equal up to white space, which the
//!   reader never sees;
//! * TOML → TOML is exact, every string escaped for the loader;
//! * the Markdown reader never panics on any string;
//! * the command line: standard output by default, `-o FILE` (never over
//!   IN, also by another name), `--format` to read a file by another name.

#[path = "common/mod.rs"]
mod common;

use std::path::Path;

use briefing::convert::{self, canonical};
use briefing::doc::Doc;
use briefing::report::stamp::{self, Stamp};
use briefing::report::{
    BUILTIN, Decision, Format, Language, Phase, Point, Report, Status, Task, TaskState, Theme,
};
use briefing_testkit::Scratch;
use briefing_testkit::run::{Run, text};
use proptest::prelude::*;

const HOOGWATER: &str = include_str!("../examples/hoogwater.toml");

fn via_markdown(report: &Report) -> Report {
    let md = convert::to_string(report, Format::Markdown).expect("writable as Markdown");
    Report::from_markdown(&md, Path::new("r.md"))
        .unwrap_or_else(|e| panic!("{e}\n--- the Markdown:\n{md}"))
}

fn via_toml(report: &Report) -> Report {
    let toml = convert::to_string(report, Format::Toml).expect("writable as TOML");
    Report::from_toml(&toml, Path::new("r.toml"))
        .unwrap_or_else(|e| panic!("{e}\n--- the TOML:\n{toml}"))
}

#[test]
fn the_bundled_reports_go_through_markdown_and_back() {
    for src in [BUILTIN, HOOGWATER] {
        let report = Report::from_toml(src, Path::new("r.toml")).expect("valid");
        let back = via_toml(&via_markdown(&report));
        assert_eq!(back, canonical(&report));
        // What the reader sees is the same, block for block.
        let (a, b) = (Doc::new(&report), Doc::new(&back));
        assert_eq!(
            (a.title, a.blocks, a.entries),
            (b.title, b.blocks, b.entries)
        );
        assert_eq!((a.actions, a.decisions), (b.actions, b.decisions));
        assert_eq!(via_toml(&report), report, "TOML to TOML is exact");
    }
}

/// Text that is hard on both writers.
fn nasty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => "[a-zA-Zéëï’]{1,10}",
        3 => Just(" ".to_string()),
        1 => "[ \t\n\r\u{3000}\u{2028}]{1,3}",
        2 => "[\\\\`*_\\[\\]<>&|#!:+=~.()0-9{}$^\"'-]{1,3}",
        1 => prop_oneof![
            Just("# ".to_string()),
            Just("- ".to_string()),
            Just("1. ".to_string()),
            Just("> ".to_string()),
            Just("Status: ".to_string()),
            Just("owner: ".to_string()),
            Just("Decisions".to_string()),
            Just("Besluiten:".to_string()),
            Just("Acties".to_string()),
            Just("[ ] ".to_string()),
            Just("[owner:: x]".to_string()),
            Just(" [due:: 2024-01-01]".to_string()),
            Just("&amp;".to_string()),
            Just("&#27;".to_string()),
            Just("<!-- c -->".to_string()),
            Just("<script>".to_string()),
            Just("---".to_string()),
            Just("+++".to_string()),
            Just("```".to_string()),
            Just("| a | b |".to_string()),
            Just("  \n".to_string()),
            Just("\\\n".to_string()),
        ],
        1 => "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\u{80}-\\u{9f}\u{202e}\u{2066}\u{200f}]{1,2}",
        1 => "[\u{a0}\u{2007}\u{202f}\u{feff}\u{200b}\u{301}日本👨\u{200d}👩]{1,3}",
    ];
    prop::collection::vec(piece, 1..8).prop_map(|v| v.concat())
}

/// Text the loaders accept where text is required.
fn some_text() -> impl Strategy<Value = String> {
    (nasty(), "[a-z]{1,4}").prop_map(|(s, w)| if s.trim().is_empty() { w } else { s })
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    prop::option::of(nasty())
}

fn a_stamp() -> impl Strategy<Value = Option<Stamp>> {
    let written = prop_oneof![
        (2000u16..2040, 1u8..13, 1u8..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        (2000u16..2040, 1u8..13, 1u8..29, 0u8..24, 0u8..60, 0u8..60)
            .prop_map(|(y, m, d, h, mi, s)| format!("{y}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}")),
        (
            2000u16..2040,
            1u8..13,
            1u8..29,
            0u8..24,
            0u8..60,
            -12i8..14,
            prop::bool::ANY
        )
            .prop_map(|(y, m, d, h, mi, o, half)| {
                let sign = if o < 0 { '-' } else { '+' };
                let min = if half { 30 } else { 0 };
                format!(
                    "{y}-{m:02}-{d:02}T{h:02}:{mi:02}:00{sign}{:02}:{min:02}",
                    o.unsigned_abs()
                )
            }),
    ];
    prop::option::of(written.prop_map(|s| {
        let dt: toml::value::Datetime = s.parse().expect("a valid datetime");
        stamp::from_toml(&dt).expect("with a date")
    }))
}

fn a_point(depth: u32) -> BoxedStrategy<Point> {
    let leaf =
        (some_text(), a_stamp(), opt_text(), a_stamp()).prop_map(|(text, updated, owner, due)| {
            Point {
                text,
                points: Vec::new(),
                updated,
                owner,
                due,
            }
        });
    if depth == 0 {
        return leaf.boxed();
    }
    (leaf, prop::collection::vec(a_point(depth - 1), 0..3))
        .prop_map(|(mut p, points)| {
            p.points = points;
            p
        })
        .boxed()
}

fn a_task() -> impl Strategy<Value = Task> {
    let state = prop::option::of(prop_oneof![
        Just(TaskState::New),
        Just(TaskState::InProgress),
        Just(TaskState::Done),
        Just(TaskState::Accepted),
    ]);
    let status = prop::option::of(prop_oneof![
        Just("open".to_string()),
        Just("gereed".to_string()),
        Just("Klaar".to_string()),
        nasty(),
    ]);
    (some_text(), opt_text(), a_stamp(), status, state).prop_map(
        |(text, owner, due, status, state)| Task {
            text,
            owner,
            due,
            status,
            state,
        },
    )
}

fn a_theme(depth: u32) -> BoxedStrategy<Theme> {
    let status = prop::option::of(prop_oneof![
        Just("new".to_string()),
        Just("changed".to_string()),
        Just("Unchanged".to_string()),
        Just("gesloten".to_string()),
        nasty(),
    ]);
    let body = prop::option::of(prop::collection::vec(nasty(), 0..4).prop_map(|v| v.join("\n\n")));
    let decisions = prop::collection::vec(
        (some_text(), a_stamp()).prop_map(|(text, at)| Decision { text, at }),
        0..3,
    );
    let own = (
        (some_text(), body, prop::collection::vec(a_point(2), 0..4)),
        (decisions, prop::collection::vec(a_task(), 0..3)),
        (a_stamp(), status, opt_text(), opt_text(), prop::bool::ANY),
    )
        .prop_map(
            |(
                (title, body, points),
                (decisions, actions),
                (updated, status, owner, source, unchanged),
            )| Theme {
                title,
                body,
                points,
                decisions,
                actions,
                updated,
                status: status.map(|s| Status::parse(&s)),
                owner,
                source,
                themes: Vec::new(),
                unchanged,
            },
        );
    if depth == 0 {
        return own.boxed();
    }
    (own, prop::collection::vec(a_theme(depth - 1), 0..2))
        .prop_map(|(mut t, themes)| {
            t.themes = themes;
            t
        })
        .boxed()
}

fn a_report() -> impl Strategy<Value = Report> {
    let classification = prop::option::of(prop_oneof![
        Just("TLP:AMBER+STRICT".to_string()),
        Just("Departementaal Vertrouwelijk".to_string()),
        "[a-z ]{1,12}",
    ]);
    let phase = prop::option::of(prop_oneof![
        Just(Phase::Initial),
        Just(Phase::Update),
        Just(Phase::Final)
    ]);
    (
        (some_text(), opt_text(), opt_text(), opt_text()),
        (prop::bool::ANY, a_stamp(), a_stamp(), classification),
        (
            prop::option::of(0u32..1000),
            phase,
            a_stamp(),
            opt_text(),
            opt_text(),
        ),
        prop::collection::vec(a_theme(4), 1..4),
    )
        .prop_map(
            |(
                (title, subtitle, kind, source),
                (nl, updated, next_update, classification),
                (number, phase, as_of, prepared_by, approved_by),
                themes,
            )| Report {
                title,
                subtitle,
                kind,
                source,
                date: Some(toml::value::Date {
                    year: 2026,
                    month: 11,
                    day: 27,
                }),
                language: if nl { Language::Nl } else { Language::En },
                updated,
                next_update,
                classification,
                number,
                phase,
                as_of,
                prepared_by,
                approved_by,
                themes,
                notes: Default::default(),
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// TOML → Markdown → TOML gives the same report; TOML → TOML is exact.
    #[test]
    fn any_report_survives_markdown_and_toml(report in a_report()) {
        let back = via_toml(&via_markdown(&report));
        prop_assert_eq!(&back, &canonical(&report));
        prop_assert_eq!(&via_toml(&report), &report);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The Markdown reader never panics, on any string or on Markdown-ish noise.
    #[test]
    fn the_markdown_reader_never_panics(s in any::<String>(), noise in prop::collection::vec(nasty(), 0..30)) {
        let _ = Report::from_markdown(&s, Path::new("any.md"));
        let _ = Report::from_markdown(&format!("# T\n## A\n{}", noise.join("\n")), Path::new("any.md"));
    }
}

fn briefing() -> Run {
    Run::new(common::bin())
}

#[test]
fn convert_writes_to_standard_output_and_reads_back() {
    let s = Scratch::with_report("convert", Path::new("examples/hoogwater.toml"));
    let out = briefing()
        .cwd(s.dir())
        .args(&["convert", "report.toml", "--to", "md"])
        .output();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    assert!(
        md.starts_with("+++\n") && md.contains("\n# Hoogwater Maas en Roer\n"),
        "{md}"
    );
    s.write("notes.md", &md);
    let check = briefing()
        .cwd(s.dir())
        .args(&["--check", "notes.md"])
        .output();
    assert_eq!(
        text(&check.stdout),
        "notes.md: ok, 5 themes, 10 points, 309 words\n"
    );
    let toml_check = briefing()
        .cwd(s.dir())
        .args(&["--check", "report.toml"])
        .output();
    assert_eq!(
        text(&toml_check.stdout).replace("report.toml", "notes.md"),
        text(&check.stdout)
    );
    // Back to TOML, into a file.
    let out = briefing()
        .cwd(s.dir())
        .args(&["convert", "notes.md", "--to", "toml", "-o", "again.toml"])
        .output();
    assert!(
        out.status.success() && out.stdout.is_empty(),
        "{}",
        text(&out.stderr)
    );
    let again = Report::from_toml(&s.read("again.toml"), Path::new("again.toml")).expect("valid");
    let original = Report::from_toml(HOOGWATER, Path::new("r.toml")).expect("valid");
    assert_eq!(again, canonical(&original));
}

/// The written file is as private as the umask asks, or as the file it
/// replaces was: a TLP:RED report converted by a careful user must not
/// become readable by every local user.
#[test]
fn convert_writes_a_file_as_private_as_the_umask_or_the_file_it_replaces() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::with_report("convert-mode", Path::new("examples/hoogwater.toml"));
    let convert = |umask: &str, target: &str| {
        let script = format!("umask {umask}; exec \"$0\" convert report.toml --to md -o {target}");
        let out = Run::new("sh")
            .cwd(s.dir())
            .args(&["-c", &script, common::bin()])
            .output();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let mode = std::fs::metadata(s.path(target))
            .expect("written")
            .permissions()
            .mode();
        mode & 0o7777
    };
    assert_eq!(convert("077", "private.md"), 0o600, "a new file, umask 077");
    assert_eq!(convert("022", "shared.md"), 0o644, "a new file, umask 022");
    s.write("kept.md", "old");
    std::fs::set_permissions(s.path("kept.md"), std::fs::Permissions::from_mode(0o600))
        .expect("chmod");
    assert_eq!(
        convert("022", "kept.md"),
        0o600,
        "a private file stays private"
    );
}

/// Past a file-size limit (`ulimit -f`) the write fails with a message;
/// SIGXFSZ does not end the program.
#[test]
fn a_file_size_limit_is_an_error_said_not_a_signal() {
    let s = Scratch::with_report("convert-fsize", Path::new("examples/hoogwater.toml"));
    let script = "ulimit -f 1; exec \"$0\" convert report.toml --to md -o out.md";
    let out = Run::new("sh")
        .cwd(s.dir())
        .args(&["-c", script, common::bin()])
        .output();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{:?}: {}",
        out.status,
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("out.md"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn convert_never_writes_over_its_input() {
    let s = Scratch::with_report("convert-same", Path::new("examples/hoogwater.toml"));
    std::fs::hard_link(s.report(), s.path("link.toml")).expect("hard link");
    std::os::unix::fs::symlink(s.report(), s.path("sym.toml")).expect("symlink");
    for target in ["report.toml", "./report.toml", "link.toml", "sym.toml"] {
        let out = briefing()
            .cwd(s.dir())
            .args(&["convert", "report.toml", "--to", "md", "-o", target])
            .output();
        assert_eq!(out.status.code(), Some(2), "{target}");
        let err = text(&out.stderr);
        assert!(
            err.contains("is the report being converted; write the result to another file"),
            "{err}"
        );
        assert_eq!(s.read("report.toml"), HOOGWATER, "{target}");
    }
}

#[test]
fn format_chooses_how_a_file_is_read() {
    let s = Scratch::new("format");
    s.write("notes.txt", "# Notes\n\n## One\n\n- a point\n");
    let out = briefing()
        .cwd(s.dir())
        .args(&["--check", "--format", "md", "notes.txt"])
        .output();
    assert_eq!(
        text(&out.stdout),
        "notes.txt: ok, 1 theme, 1 point, 3 words\n",
        "{}",
        text(&out.stderr)
    );
    let out = briefing()
        .cwd(s.dir())
        .args(&["--check", "notes.txt"])
        .output();
    assert_eq!(out.status.code(), Some(2), "a .txt file is TOML by default");
    s.write("report.md", "title = \"T\"\n[[theme]]\ntitle = \"A\"\n");
    let out = briefing()
        .cwd(s.dir())
        .args(&["--check", "--format", "toml", "report.md"])
        .output();
    assert_eq!(
        text(&out.stdout),
        "report.md: ok, 1 theme, 0 points, 1 word\n",
        "{}",
        text(&out.stderr)
    );
    let out = briefing()
        .cwd(s.dir())
        .args(&["convert", "notes.txt", "--format", "md", "--to", "toml"])
        .output();
    assert!(
        text(&out.stdout).contains("title = \"Notes\""),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn markdown_errors_name_the_place_and_the_fix() {
    let s = Scratch::new("md-errors");
    s.write("bad.md", "+++\ntitel = \"x\"\n+++\n# T\n## A\n");
    let out = briefing()
        .cwd(s.dir())
        .args(&["--check", "bad.md"])
        .output();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("briefing: bad.md:2:1: unknown key `titel`, expected one of `title`"),
        "{err}"
    );
    assert!(
        err.contains("\n    titel = \"x\""),
        "the line is quoted: {err}"
    );
    s.write("deep.md", "# T\n## A\n- [ ] act [eigenaar:: x]\n");
    let out = briefing()
        .cwd(s.dir())
        .args(&["--check", "deep.md"])
        .output();
    assert!(
        text(&out.stderr).starts_with("briefing: deep.md:3:12: unknown key `eigenaar`"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_theme_too_deep_for_markdown_headings_is_refused_with_its_name() {
    let s = Scratch::new("too-deep");
    let mut toml = String::from("title = \"T\"\n");
    for depth in 0..6 {
        toml.push_str(&format!(
            "[[{}]]\ntitle = \"level {depth}\"\n",
            vec!["theme"; depth + 1].join(".")
        ));
    }
    s.write("deep.toml", &toml);
    let out = briefing()
        .cwd(s.dir())
        .args(&["convert", "deep.toml", "--to", "md"])
        .output();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("deep.toml: the theme «level 5» is nested deeper than Markdown headings go"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn check_warns_of_a_status_none_of_the_known_words_and_still_passes() {
    let s = Scratch::new("check-status");
    let check = |status: &str| {
        s.write(
            "r.toml",
            format!("title = \"R\"\n[[theme]]\ntitle = \"A\"\nstatus = \"{status}\"\n"),
        );
        briefing()
            .cwd(s.dir())
            .args(&["--check", "r.toml"])
            .output()
    };
    let out = check("chnaged");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "r.toml: ok, 1 theme, 0 points, 3 words\n"
    );
    assert_eq!(
        text(&out.stderr),
        "briefing: warning: r.toml:4:10: status \"chnaged\" is none of new, changed, unchanged, closed, done; it is shown as written\n"
    );
    assert_eq!(text(&check("done").stderr), "");
}
