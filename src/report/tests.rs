use std::path::Path;

use super::*;

fn parse(src: &str) -> Result<Report, LoadError> {
    Report::from_toml(src, Path::new("r.toml"))
}

/// The error's "file:line:column: message" line.
fn error(src: &str) -> String {
    parse(src).expect_err("must be rejected").one_line()
}

#[test]
fn a_complete_report_loads() {
    let r = parse(
        r#"
title = "Title"
subtitle = "Sub"
kind = "Kennisnemen van"
source = "NIPV"
date = 2022-03-01
language = "nl"

[[theme]]
title = "A"
body = """
First paragraph
continues here.

Second."""
points = ["p1", { text = "p2", points = ["p2a", { text = "p2b" }] }]

  [[theme.theme]]
  title = "A.1"
"#,
    )
    .expect("valid");
    assert_eq!(r.title, "Title");
    assert_eq!(r.language, Language::Nl);
    assert_eq!(r.date.map(|d| d.to_string()), Some("2022-03-01".into()));
    let a = &r.themes[0];
    assert_eq!(a.points.len(), 2);
    assert_eq!(a.points[1].points[1].text, "p2b");
    assert_eq!(a.themes[0].title, "A.1");
}

#[test]
fn language_defaults_to_english() {
    let r = parse("title = \"T\"\n[[theme]]\ntitle = \"A\"\n").expect("valid");
    assert_eq!(r.language, Language::En);
}

#[test]
fn unknown_keys_are_named_with_the_allowed_ones() {
    let e = error("title = \"T\"\n[[theme]]\ntitel = \"A\"\n");
    assert!(e.starts_with("r.toml:3:1: unknown key `titel`"), "{e}");
    assert!(e.contains("`title`") && e.contains("`points`"), "{e}");
    let e = error("title = \"T\"\ncolour = 1\n[[theme]]\ntitle = \"A\"\n");
    assert!(e.starts_with("r.toml:2:1: unknown key `colour`"), "{e}");
    let e = error("title = \"T\"\n[[theme]]\ntitle = \"A\"\npoints = [{ txt = \"x\" }]\n");
    assert!(
        e.contains("unknown key `txt`") && e.starts_with("r.toml:4:"),
        "{e}"
    );
}

#[test]
fn wrong_types_point_at_the_value() {
    let e = error("title = 3\n[[theme]]\ntitle = \"A\"\n");
    assert!(e.starts_with("r.toml:1:9:"), "{e}");
    let e = error("title = \"T\"\n[[theme]]\ntitle = \"A\"\npoints = [1]\n");
    assert!(e.starts_with("r.toml:4:11:"), "{e}");
    let e = error("title = \"T\"\nlanguage = \"de\"\n[[theme]]\ntitle = \"A\"\n");
    assert!(
        e.starts_with("r.toml:2:12:") && e.contains("\"nl\" or \"en\""),
        "{e}"
    );
}

#[test]
fn empty_titles_and_missing_themes_are_errors() {
    let e = error("title = \"  \"\n[[theme]]\ntitle = \"A\"\n");
    assert!(e.starts_with("r.toml:1:9:") && e.contains("title"), "{e}");
    let e = error("title = \"T\"\n[[theme]]\ntitle = \"\"\n");
    assert!(e.starts_with("r.toml:3:9:"), "{e}");
    let e = error("title = \"T\"\n");
    assert!(e.contains("no themes"), "{e}");
    let e = error("[[theme]]\ntitle = \"A\"\n");
    assert!(e.contains("missing key `title`"), "{e}");
    let e = error("title = \"T\"\n[[theme]]\ntitle = \"A\"\npoints = [\"\"]\n");
    assert!(e.starts_with("r.toml:4:11:") && e.contains("empty"), "{e}");
}

#[test]
fn syntax_errors_have_line_and_column() {
    let e = error("title = \"T\"\n[[theme]\ntitle = \"A\"\n");
    assert!(e.starts_with("r.toml:2:"), "{e}");
}

#[test]
fn a_date_with_a_time_is_refused() {
    let e = error("title = \"T\"\ndate = 2022-03-01T10:00:00\n[[theme]]\ntitle = \"A\"\n");
    assert!(e.starts_with("r.toml:2:8:") && e.contains("date"), "{e}");
}

/// Deeper than the toml parser goes (80 levels): refused in our words,
/// where the parser stopped, without overflowing the stack.
#[test]
fn deep_nesting_is_refused_where_the_parser_stops() {
    let deep = format!(
        "title = \"T\"\n[[theme]]\ntitle = \"A\"\npoints = {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    // Line 4, at the opening bracket past the parser's limit.
    assert_eq!(
        error(&deep),
        "r.toml:4:90: nested more than 16 levels deep; flatten the structure"
    );
    let mut points = String::from("\"leaf\"");
    for _ in 0..1000 {
        points = format!("{{ text = \"x\", points = [{points}] }}");
    }
    let deep = format!("title = \"T\"\n[[theme]]\ntitle = \"A\"\npoints = [{points}]\n");
    assert!(error(&deep).contains("nested more than"));
    // Brackets inside strings and comments do not count.
    let fine = format!(
        "title = \"{}\" # {}\n[[theme]]\ntitle = 'A'\n",
        "[".repeat(100),
        "{".repeat(100)
    );
    assert!(parse(&fine).is_ok());
}

#[test]
fn crlf_reads_like_lf() {
    let lf = "title = \"T\"\n[[theme]]\ntitle = \"A\"\nbody = \"\"\"\none\n\ntwo\"\"\"\n";
    let crlf = lf.replace('\n', "\r\n");
    let a = crate::doc::Doc::new(&parse(lf).expect("lf"));
    let b = crate::doc::Doc::new(&parse(&crlf).expect("crlf"));
    assert_eq!(a.blocks, b.blocks);
}

#[test]
fn error_messages_are_sanitised_and_short() {
    let long = "x".repeat(1_000_000);
    let src =
        format!("title = \"T\"\n\u{1b}]52;c;aGk=\u{7} = 1 {long}\n[[theme]]\ntitle = \"A\"\n");
    let e = parse(&src).expect_err("invalid").to_string();
    assert!(!e.contains('\u{1b}') && !e.contains('\u{7}'), "{e:?}");
    assert!(e.len() < 2_000, "message is {} bytes", e.len());
}

#[test]
fn the_builtin_report_is_valid() {
    let r = Report::builtin();
    assert_eq!(r.language, Language::Nl);
    assert_eq!(r.kind.as_deref(), Some("Kennisnemen van"));
}

mod files {
    use super::*;

    /// `contents` as `name` in a fresh private directory, removed when the
    /// returned guard drops.
    fn temp(name: &str, contents: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(name);
        std::fs::write(&path, contents).expect("write");
        (dir, path)
    }

    #[test]
    fn a_missing_file_says_so() {
        let e = Report::load(Path::new("/nonexistent/report.toml")).expect_err("missing");
        assert_eq!(
            e.to_string(),
            "/nonexistent/report.toml: cannot read the report: no such file; check the path"
        );
    }

    #[test]
    fn directories_and_devices_are_refused_without_reading() {
        let e = Report::load(Path::new("/tmp")).expect_err("dir");
        assert!(e.to_string().contains("is a directory"), "{e}");
        let e = Report::load(Path::new("/dev/zero")).expect_err("device");
        assert!(e.to_string().contains("is a device"), "{e}");
    }

    #[test]
    fn a_fifo_is_refused_instead_of_blocking() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .expect("mkfifo(1)");
        assert!(made.success());
        let e = Report::load(&path).expect_err("fifo");
        assert!(e.to_string().contains("named pipe"), "{e}");
    }

    #[test]
    fn invalid_utf8_names_the_position() {
        let (_dir, path) = temp(
            "latin1.toml",
            b"title = \"T\"\n[[theme]]\ntitle = \"caf\xe9\"\n",
        );
        let e = Report::load(&path).expect_err("not utf-8");
        assert!(
            e.to_string()
                .ends_with("latin1.toml:3:13: the file is not UTF-8 text; save it as UTF-8"),
            "{e}"
        );
    }

    #[test]
    fn oversized_files_are_refused_by_size() {
        let (_dir, path) = temp("big.toml", b"");
        let f = std::fs::File::options()
            .write(true)
            .open(&path)
            .expect("open");
        f.set_len(MAX_BYTES + 1).expect("sparse file");
        let e = Report::load(&path).expect_err("too large");
        assert!(matches!(e, LoadError::TooLarge { .. }), "{e}");
    }

    #[test]
    fn a_valid_file_loads_through_a_symlink() {
        let (_dir, path) = temp("ok.toml", b"title = \"T\"\n[[theme]]\ntitle = \"A\"\n");
        let link = path.with_file_name("link.toml");
        std::os::unix::fs::symlink(&path, &link).expect("symlink");
        assert_eq!(Report::load(&link).expect("loads").title, "T");
    }
}

mod freshness {
    use super::*;

    const FULL: &str = r#"
title = "T"
updated = 2026-11-27T08:30:00+01:00
next_update = 2026-11-27T12:00:00Z
classification = "Vertrouwelijk"
[[theme]]
title = "A"
updated = 2026-11-27T08:15:00+01:00
status = "changed"
owner = "ROT"
source = "RWS"
points = [{ text = "p", updated = 2026-11-27T07:00:00Z, owner = "GHOR", due = 2026-11-28 }]
decisions = ["d1"]
actions = [{ text = "a1", owner = "BRW", due = 2026-11-27T10:00:00+01:00, status = "gereed" }, { text = "a2" }]
[[theme]]
title = "B"
status = "wacht op peil"
"#;

    #[test]
    fn every_freshness_field_loads() {
        let r = parse(FULL).expect("valid");
        assert_eq!(r.classification.as_deref(), Some("Vertrouwelijk"));
        assert_eq!(r.updated.as_ref().map(|s| s.unix), Some(1_795_764_600));
        assert_eq!(
            r.next_update.as_ref().map(|s| s.text.as_str()),
            Some("2026-11-27 12:00")
        );
        let a = &r.themes[0];
        assert_eq!(a.status, Some(Status::Changed));
        assert_eq!(
            (a.owner.as_deref(), a.source.as_deref()),
            (Some("ROT"), Some("RWS"))
        );
        assert_eq!(a.points[0].owner.as_deref(), Some("GHOR"));
        assert_eq!(
            a.points[0].due.as_ref().map(|d| d.text.as_str()),
            Some("2026-11-28")
        );
        assert_eq!(
            a.decisions
                .iter()
                .map(|d| d.text.as_str())
                .collect::<Vec<_>>(),
            ["d1"]
        );
        assert_eq!(a.actions.len(), 2);
        assert!(!a.actions[0].is_open(), "gereed is done");
        assert!(a.actions[1].is_open(), "no status is open");
        assert_eq!(
            r.themes[1].status,
            Some(Status::Other("wacht op peil".into()))
        );
    }

    #[test]
    fn freshness_fields_are_checked_with_positions() {
        let e = error("title = \"T\"\nupdated = \"yesterday\"\n[[theme]]\ntitle = \"A\"\n");
        assert!(e.starts_with("r.toml:2:11:"), "{e}");
        let e = error("title = \"T\"\nnext_update = 12:00:00\n[[theme]]\ntitle = \"A\"\n");
        assert!(
            e.starts_with("r.toml:2:15:") && e.contains("must include a date"),
            "{e}"
        );
        let e = error("title = \"T\"\n[[theme]]\ntitle = \"A\"\nstatus = 3\n");
        assert!(e.starts_with("r.toml:4:10:"), "{e}");
        let e = error(
            "title = \"T\"\n[[theme]]\ntitle = \"A\"\nactions = [{ text = \"x\", who = \"y\" }]\n",
        );
        assert!(
            e.starts_with("r.toml:4:") && e.contains("unknown key `who`") && e.contains("`owner`"),
            "{e}"
        );
        let e = error("title = \"T\"\n[[theme]]\ntitle = \"A\"\nactions = [{ owner = \"y\" }]\n");
        assert!(e.contains("missing key `text`"), "{e}");
        let e = error("title = \"T\"\n[[theme]]\ntitle = \"A\"\ndecisions = [\"ok\", \" \"]\n");
        assert!(
            e.starts_with("r.toml:4:20:") && e.contains("decision"),
            "{e}"
        );
        let e = error(
            "title = \"T\"\n[[theme]]\ntitle = \"A\"\npoints = [{ text = \"p\", due = 10:00:00 }]\n",
        );
        assert!(e.starts_with("r.toml:4:31:") && e.contains("`due`"), "{e}");
        let e = error("title = \"T\"\n[[theme]]\ntitle = \"A\"\nowner = [\"x\"]\n");
        assert!(e.starts_with("r.toml:4:9:"), "{e}");
    }

    #[test]
    fn the_example_sitrep_uses_every_field_and_loads() {
        let src = include_str!("../../examples/hoogwater.toml");
        let r = parse(src).expect("the example is valid");
        assert!(r.classification.is_some() && r.updated.is_some() && r.next_update.is_some());
        let all: Vec<&Theme> = r
            .themes
            .iter()
            .flat_map(|t| std::iter::once(t).chain(&t.themes))
            .collect();
        assert!(all.iter().any(|t| !t.decisions.is_empty()));
        assert!(all.iter().any(|t| {
            t.actions
                .iter()
                .any(|a| a.owner.is_some() && a.due.is_some() && a.status.is_some())
        }));
        assert!(all.iter().any(|t| {
            t.points
                .iter()
                .any(|p| p.owner.is_some() && p.due.is_some())
        }));
        assert!(
            all.iter()
                .any(|t| t.points.iter().any(|p| p.updated.is_some()))
        );
        for status in [
            Status::New,
            Status::Changed,
            Status::Unchanged,
            Status::Closed,
        ] {
            assert!(
                all.iter().any(|t| t.status.as_ref() == Some(&status)),
                "{status:?}"
            );
        }
        assert!(
            all.iter()
                .any(|t| matches!(t.status, Some(Status::Other(_))))
        );
        assert!(
            all.iter()
                .all(|t| t.owner.is_some() || t.status == Some(Status::Closed))
        );
    }
}

#[test]
fn deeply_dotted_headers_are_refused_at_the_part_past_the_limit() {
    let header = format!("[[{}]]", vec!["theme"; 5000].join("."));
    let src = format!("title = \"T\"\n[[theme]]\ntitle = \"A\"\n{header}\ntitle = \"deep\"\n");
    // The 17th `theme` of line 4 starts at column 3 + 16 * 6.
    assert_eq!(
        error(&src),
        "r.toml:4:99: nested more than 16 levels deep; flatten the structure"
    );
    // A dotted key, likewise (the parser's own limit has no position).
    let src = format!(
        "title = \"T\"\n[[theme]]\ntitle = \"A\"\n{} = 1\n",
        vec!["a"; 1000].join(".")
    );
    assert_eq!(
        error(&src),
        "r.toml:4:33: nested more than 16 levels deep; flatten the structure"
    );
    let ok = "title = \"T\"\n[[theme]]\ntitle = \"A\"\n[[theme.theme]]\ntitle = \"B\"\n[[theme.theme.theme]]\ntitle = \"C\"\n";
    assert!(parse(ok).is_ok());
}

#[test]
fn a_huge_offending_value_is_not_quoted_whole() {
    let src = format!(
        "title = \"T\"\nlanguage = \"{}\"\n[[theme]]\ntitle = \"A\"\n",
        "x".repeat(1_000_000)
    );
    let e = parse(&src).expect_err("invalid").to_string();
    assert!(e.starts_with("r.toml:2:12:"), "{}", &e[..40]);
    assert!(e.len() < 1_000, "message is {} bytes", e.len());
}

#[test]
fn parts_of_the_file_are_parsed_separately_but_read_as_one() {
    let src = "title = \"T\"\n\n[[theme]]\ntitle = \"A\"\nbody = \"\"\"\n[[theme]]\ntitle = \"not a theme\"\n\"\"\"\n  [[ theme ]]  # spaced\ntitle = \"B\"\n[[theme.theme]]\ntitle = \"B.1\"\n";
    let r = parse(src).expect("valid");
    let titles: Vec<&str> = r.themes.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, ["A", "B"], "a header inside a string is text");
    assert_eq!(r.themes[1].themes[0].title, "B.1");
    // Errors in later parts still name the line in the whole file.
    let e = error("title = \"T\"\n[[theme]]\ntitle = \"A\"\n[[theme]]\ntitel = \"B\"\n");
    assert!(e.starts_with("r.toml:5:1: unknown key `titel`"), "{e}");
    let e = error("title = \"T\"\n[[theme]]\ntitle = \"A\"\n[[theme]]\ntitle = \"\"\n");
    assert!(e.starts_with("r.toml:5:9:"), "{e}");
    let e = error("title = \"T\"\ntheme = [{ title = \"A\" }]\n[[theme]]\ntitle = \"B\"\n");
    assert!(e.starts_with("r.toml:3:1:") && e.contains("both"), "{e}");
}

/// Issue "A new user's first hour" §6: the mistakes an author made writing
/// a report from the format document, each with a message that names the
/// place, says what is wrong in the author's terms and how to write it.
mod first_hour_mistakes {
    use super::*;

    #[test]
    fn an_action_written_as_a_plain_string_is_an_action() {
        let r = parse("title = \"R\"\n[[theme]]\ntitle = \"A\"\nactions = [\"Call GridCo\"]\n")
            .expect("a string is an action's text");
        assert_eq!(r.themes[0].actions[0].text, "Call GridCo");
        assert!(r.themes[0].actions[0].is_open());
    }

    #[test]
    fn a_single_bracket_theme_says_to_write_two() {
        let e = error("title = \"R\"\n[theme]\ntitle = \"A\"\n");
        assert!(e.starts_with("r.toml:2:1:"), "{e}");
        assert!(e.contains("write [[theme]]"), "{e}");
        assert!(!e.contains("invalid type"), "{e}");
    }

    #[test]
    fn a_sub_theme_before_any_theme_says_where_it_belongs() {
        let e = error("title = \"R\"\n[[theme.theme]]\ntitle = \"A\"\n");
        assert!(e.starts_with("r.toml:2:"), "{e}");
        assert!(
            e.contains("[[theme.theme]]") && e.contains("after its [[theme]]"),
            "{e}"
        );
        assert!(!e.contains("invalid type"), "{e}");
    }

    #[test]
    fn points_as_a_string_say_to_write_a_list() {
        let e = error("title = \"R\"\n[[theme]]\ntitle = \"A\"\npoints = \"x\"\n");
        assert!(e.starts_with("r.toml:4:"), "{e}");
        assert!(
            e.contains("a list") && e.contains("points = [\"x\"]"),
            "{e}"
        );
    }

    #[test]
    fn a_duplicate_key_says_which_and_where_it_was_first_set() {
        let e = error("title = \"R\"\n[[theme]]\ntitle = \"A\"\nbody = \"x\"\ntitle = \"B\"\n");
        assert!(e.starts_with("r.toml:5:"), "{e}");
        assert!(e.contains("`title`") && e.contains("line 3"), "{e}");
    }

    #[test]
    fn the_language_is_read_in_any_case_or_named() {
        let r = parse("title = \"R\"\nlanguage = \"EN\"\n[[theme]]\ntitle = \"A\"\n")
            .expect("EN is en");
        assert_eq!(r.language, Language::En);
        let r = parse("title = \"R\"\nlanguage = \"Nl\"\n[[theme]]\ntitle = \"A\"\n")
            .expect("Nl is nl");
        assert_eq!(r.language, Language::Nl);
        let e = error("title = \"R\"\nlanguage = \"fr\"\n[[theme]]\ntitle = \"A\"\n");
        assert!(
            e.starts_with("r.toml:2:") && e.contains("\"nl\" or \"en\""),
            "{e}"
        );
    }

    #[test]
    fn an_empty_file_shows_the_smallest_report() {
        for src in ["", "\n\n", "# only a comment\n"] {
            let err = parse(src).expect_err("empty");
            let e = err.to_string();
            assert!(e.contains("is empty"), "{e}");
            assert!(e.contains("title = ") && e.contains("[[theme]]"), "{e}");
        }
    }
}

/// Issue "versions" §1: the header of a version, strict like the rest:
/// every new key has its errors with file:line:column.
mod versions {
    use super::*;

    const HEADER: &str = "title = \"Sitrep\"\nnumber = 14\nphase = \"update\"\nas_of = 2026-11-27T14:00:00+01:00\nprepared_by = \"IM ROT\"\napproved_by = \"Operationeel leider\"\nclassification = \"TLP:AMBER+STRICT\"\n";

    fn report(header: &str, theme: &str) -> Result<Report, LoadError> {
        parse(&format!("{header}[[theme]]\ntitle = \"A\"\n{theme}"))
    }

    #[test]
    fn a_version_header_loads() {
        let r = report(HEADER, "unchanged = true\ndecisions = [{ text = \"GRIP 3\", at = 2026-11-27T08:00:00+01:00 }, \"Evacuate\"]\nactions = [{ text = \"Call\", owner = \"GHOR\", due = 2026-11-27T12:00:00+01:00, state = \"in progress\" }]\n")
            .expect("valid");
        assert_eq!(r.number, Some(14));
        assert_eq!(r.phase, Some(Phase::Update));
        assert_eq!(
            r.as_of.as_ref().map(|s| s.text.as_str()),
            Some("2026-11-27 14:00")
        );
        assert_eq!(r.classification.as_deref(), Some("TLP:AMBER+STRICT"));
        let t = &r.themes[0];
        assert!(t.unchanged);
        assert_eq!(
            t.decisions[0].at.as_ref().map(|s| s.text.as_str()),
            Some("2026-11-27 08:00")
        );
        assert_eq!(t.actions[0].state, Some(TaskState::InProgress));
        assert!(t.actions[0].is_open());
        let free = report(
            "title = \"R\"\nclassification = \"Departementaal Vertrouwelijk\"\n",
            "",
        )
        .expect("free text");
        assert_eq!(
            free.classification.as_deref(),
            Some("Departementaal Vertrouwelijk")
        );
    }

    #[test]
    fn every_new_key_says_where_and_how() {
        let cases: [(&str, &str, &str, &str); 8] = [
            (
                "title = \"R\"\nnumber = -1\n",
                "",
                "r.toml:2:10:",
                "version number",
            ),
            (
                "title = \"R\"\nnumber = \"14\"\n",
                "",
                "r.toml:2:10:",
                "whole number is written without quotes",
            ),
            (
                "title = \"R\"\nphase = \"second\"\n",
                "",
                "r.toml:2:9:",
                "\"initial\", \"update\" or \"final\"",
            ),
            (
                "title = \"R\"\nas_of = \"14:00\"\n",
                "",
                "r.toml:2:9:",
                "datetime",
            ),
            (
                "title = \"R\"\nclassification = \"tlp:amber\"\n",
                "",
                "r.toml:2:18:",
                "`TLP:AMBER`",
            ),
            (
                "title = \"R\"\nclassification = \"TLP:ORANGE\"\n",
                "",
                "r.toml:2:18:",
                "not a TLP 2.0 label",
            ),
            (
                "title = \"R\"\n",
                "unchanged = \"yes\"\n",
                "r.toml:4:13:",
                "true or false",
            ),
            (
                "title = \"R\"\n",
                "actions = [{ text = \"x\", state = \"half\" }]\n",
                "r.toml:4:",
                "\"in_progress\"",
            ),
        ];
        for (header, theme, at, says) in cases {
            let e = report(header, theme).expect_err("invalid").one_line();
            assert!(
                e.starts_with(at) && e.contains(says),
                "{header}{theme}: {e}"
            );
        }
    }
}

/// The depth rule is part of validation: a sub-theme or point past
/// `MAX_DEPTH` that the parser reads fine is refused at itself.
#[test]
fn a_theme_or_point_too_deep_is_named_at_its_own_position() {
    let themes = |n: usize| {
        (1..=n).fold("title = \"T\"\n".to_string(), |mut s, i| {
            s.push_str(&format!(
                "[[{}]]\ntitle = \"t{i}\"\n",
                vec!["theme"; i].join(".")
            ));
            s
        })
    };
    assert!(parse(&themes(MAX_DEPTH)).is_ok(), "16 levels of sub-themes");
    // The 17th theme's title, on line 2 * 17 + 1, column 9.
    assert_eq!(
        error(&themes(MAX_DEPTH + 1)),
        "r.toml:35:9: a sub-theme nested more than 16 levels deep; flatten the structure"
    );
    let points = |n: usize| {
        let mut p = String::from("\"leaf\"");
        for _ in 1..n {
            p = format!("{{ text = \"x\", points = [{p}] }}");
        }
        format!("title = \"T\"\n[[theme]]\ntitle = \"A\"\npoints = [{p}]\n")
    };
    assert!(parse(&points(MAX_DEPTH)).is_ok(), "16 levels of points");
    // The 17th point: `points = [` then 16 times `{ text = "x", points = [`.
    let at = "points = [".len() + 16 * "{ text = \"x\", points = [".len() + 1;
    assert_eq!(
        error(&points(MAX_DEPTH + 1)),
        format!("r.toml:4:{at}: a point nested more than 16 levels deep; flatten the structure")
    );
    // Inline themes count the same way.
    let inline = "title = \"T\"\ntheme = [{ title = \"A\", theme = [{ title = \"B\" }] }]\n";
    assert_eq!(parse(inline).expect("valid").themes[0].themes[0].title, "B");
}

/// The `[[theme]]` headers the loader splits at come from the toml lexer:
/// never inside a string or comment, never after other text on the line.
#[test]
fn theme_headers_are_found_by_the_lexer() {
    let src = "title = '[[theme]]'\n# [[theme]]\n\u{feff}x = \"\"\"\n[[theme]]\n\"\"\"\n  [[theme]]\n[[ theme ]] # c\n[[theme.theme]]\n[[\"theme\"]]\n[ [theme]]\n";
    let at: Vec<usize> = theme_headers(src);
    let lines: Vec<usize> = at
        .iter()
        .map(|&i| crate::error::Location::of(src, i).line)
        .collect();
    assert_eq!(lines, [6, 7]);
    assert_eq!(&src[at[0]..at[0] + 9], "[[theme]]");
}

#[test]
fn a_status_none_of_the_known_words_is_shown_as_written_and_noted_where_it_is() {
    let src = "title = \"R\"\n\n[[theme]]\ntitle = \"A\"\nstatus = \"chnaged\"\n\n[[theme]]\ntitle = \"B\"\nstatus = \"Closed\"\n\n[[theme.theme]]\ntitle = \"B1\"\nstatus = \"escalated\"\n";
    let r = parse(src).expect("loads");
    assert_eq!(r.themes[0].status, Some(Status::Other("chnaged".into())));
    assert_eq!(r.themes[1].status, Some(Status::Closed));
    assert_eq!(
        r.notes.lines(),
        [
            "r.toml:5:10: status \"chnaged\" is none of new, changed, unchanged, closed, done; it is shown as written",
            "r.toml:13:10: status \"escalated\" is none of new, changed, unchanged, closed, done; it is shown as written",
        ]
    );
    // Notes are about the text, not the report: a report read from other
    // text (converted, then read back) is the same report.
    let mut other = r.clone();
    other.notes = Notes::default();
    assert_eq!(other, r);
    assert!(parse(V_KNOWN).expect("loads").notes.lines().is_empty());
    // Many are counted, not each placed in the file.
    let many = (0..25).fold(String::from("title = \"R\"\n"), |s, i| {
        s + &format!("[[theme]]\ntitle = \"T{i}\"\nstatus = \"s{i}\"\n")
    });
    let r = parse(&many).expect("loads");
    assert_eq!(r.notes.lines().len(), Notes::SHOWN);
    assert_eq!(r.notes.more(), 25 - Notes::SHOWN);
    assert!(r.notes.lines()[19].starts_with("r.toml:61:10: status \"s19\""));
}

const V_KNOWN: &str = "title = \"R\"\n[[theme]]\ntitle = \"A\"\nstatus = \"new\"\n";
