//! The handout in a real browser: headless Chromium prints `briefing
//! --html` to an A4 PDF, and `pdftotext -layout` reads it back: the
//! classification must be at the top and the bottom of every page and
//! every theme's title somewhere; a screenshot must show dark text on a
//! light page.
//!
//! Chromium and poppler-utils are Debian packages that `.ci/run` installs.
//! Without them these tests say so and pass, except in CI (`CI` set),
//! where a missing browser is a failure: a vacuous pass there would hide
//! a broken handout.

#[path = "common/mod.rs"]
mod common;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use briefing_testkit::Scratch;
use briefing_testkit::run::{Run, text};

/// Printing takes Chromium a second or two; its first start longer.
const BROWSER_DEADLINE: Duration = Duration::from_secs(120);

/// The program called `name` on PATH, or why the test cannot run.
fn tool(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// The browser and (when `pdf`) pdftotext, or `None` after saying why
/// (failing in CI).
fn tools(test: &str, pdf: bool) -> Option<(PathBuf, PathBuf)> {
    let browser = tool(&["chromium", "chromium-browser", "google-chrome"]);
    let pdftotext = if pdf {
        tool(&["pdftotext"])
    } else {
        Some(PathBuf::new())
    };
    match (browser, pdftotext) {
        (Some(b), Some(p)) => Some((b, p)),
        (b, p) => {
            let missing = [
                ("chromium", b.is_none()),
                ("pdftotext (poppler-utils)", p.is_none()),
            ]
            .iter()
            .filter(|(_, m)| *m)
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(" and ");
            let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
            assert!(
                !ci,
                "{test}: {missing} not found, and CI is set: install them (apt-get install -y chromium poppler-utils, as .ci/run does)"
            );
            // Straight to standard error: the test harness would swallow
            // eprintln! output of a passing test.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED {test}: {missing} not found; apt-get install -y chromium poppler-utils to run it"
            );
            None
        }
    }
}

/// Headless Chromium with a fresh profile, nothing fetched from anywhere.
fn chromium(browser: &Path, scratch: &Scratch, args: &[String]) {
    let profile = scratch.path("profile");
    let out = Run::new(&browser.to_string_lossy())
        .cwd(scratch.dir())
        .env("HOME", scratch.dir())
        .args(&[
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output_within(BROWSER_DEADLINE);
    assert!(
        out.status.success(),
        "chromium failed: {}",
        text(&out.stderr)
    );
}

/// Titles of the long report's themes.
fn titles() -> Vec<String> {
    (1..=24)
        .map(|i| format!("Thema {i} over de kades"))
        .collect()
}

/// A report long enough for several A4 pages.
fn long_report() -> String {
    let mut s = String::from(
        "title = \"Hoogwater, lange versie\"\nlanguage = \"nl\"\nclassification = \"TLP:AMBER\"\nnumber = 7\nphase = \"update\"\n",
    );
    let sentence = "De kades langs de Roer zijn verzadigd en worden dag en nacht bewaakt door het waterschap. ";
    for (i, title) in titles().iter().enumerate() {
        let depth = if i % 4 == 3 { 1 } else { 0 };
        s.push_str(&format!(
            "\n[[{}]]\ntitle = \"{title}\"\n",
            vec!["theme"; depth + 1].join(".")
        ));
        s.push_str(&format!(
            "status = \"changed\"\nowner = \"GHOR\"\nbody = \"\"\"\n{}\n\n{}\"\"\"\n",
            sentence.repeat(4),
            sentence.repeat(2)
        ));
        s.push_str("points = [\"Een punt\", { text = \"Een punt met subpunten\", points = [\"een\", \"twee\"] }]\n");
        s.push_str("decisions = [\"GRIP 3 blijft van kracht.\"]\nactions = [{ text = \"Zandzakken\", owner = \"Brandweer\", state = \"done\" }]\n");
    }
    s
}

fn handout(scratch: &Scratch) -> PathBuf {
    scratch.write("report.toml", long_report());
    let out = Run::new(common::bin())
        .cwd(scratch.dir())
        .env("XDG_STATE_HOME", scratch.state())
        .args(&["--html", "report.toml"])
        .output();
    assert!(out.status.success(), "{}", text(&out.stderr));
    scratch.write("handout.html", &out.stdout)
}

#[test]
fn every_printed_page_carries_the_classification_and_every_theme_is_printed() {
    let Some((browser, pdftotext)) = tools("every_printed_page_carries_the_classification", true)
    else {
        return;
    };
    let s = Scratch::new("handout-pdf");
    let page = handout(&s);
    chromium(
        &browser,
        &s,
        &[
            format!("--print-to-pdf={}", s.path("out.pdf").display()),
            "--no-pdf-header-footer".into(),
            format!("file://{}", page.display()),
        ],
    );
    let out = Run::new(&pdftotext.to_string_lossy())
        .cwd(s.dir())
        .args(&["-layout", "out.pdf", "out.txt"])
        .output();
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        text(&out.stderr)
    );
    let pdf = s.read("out.txt");
    let pages: Vec<Vec<&str>> = pdf
        .split('\u{c}')
        .map(|p| {
            p.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|p| !p.is_empty())
        .collect();
    assert!(
        pages.len() >= 3,
        "the report should fill several pages, got {}:\n{pdf}",
        pages.len()
    );
    for (n, lines) in pages.iter().enumerate() {
        assert!(
            lines[0].starts_with("TLP:AMBER · Hoogwater, lange versie"),
            "page {}: the classification is not at the top: {:?}",
            n + 1,
            &lines[..lines.len().min(3)]
        );
        // At the bottom: the classification, then the page number.
        let bottom = &lines[lines.len().saturating_sub(2)..];
        assert!(
            bottom.contains(&"TLP:AMBER"),
            "page {}: the classification is not at the bottom: {bottom:?}",
            n + 1
        );
        assert!(
            bottom.iter().any(|l| *l == (n + 1).to_string()),
            "page {}: no page number: {bottom:?}",
            n + 1
        );
    }
    for title in titles() {
        assert!(
            pdf.contains(&title),
            "«{title}» is not in the printed handout"
        );
    }
    assert!(
        pdf.contains("sitrep 7 (update)"),
        "the version header is printed"
    );
}

#[test]
fn a_screenshot_of_the_handout_shows_text() {
    let Some((browser, _)) = tools("a_screenshot_of_the_handout_shows_text", false) else {
        return;
    };
    let s = Scratch::new("handout-png");
    let page = handout(&s);
    chromium(
        &browser,
        &s,
        &[
            format!("--screenshot={}", s.path("shot.png").display()),
            "--window-size=1024,1400".into(),
            format!("file://{}", page.display()),
        ],
    );
    let file = std::fs::File::open(s.path("shot.png")).expect("a screenshot");
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut pixels).expect("a frame");
    let channels = info.color_type.samples();
    assert!(channels >= 3, "a colour image, not {:?}", info.color_type);
    let luma: Vec<u32> = pixels[..info.buffer_size()]
        .chunks(channels)
        .map(|p| (299 * u32::from(p[0]) + 587 * u32::from(p[1]) + 114 * u32::from(p[2])) / 1000)
        .collect();
    let dark = luma.iter().filter(|&&l| l < 80).count();
    let light = luma.iter().filter(|&&l| l > 200).count();
    let total = luma.len();
    assert_eq!((info.width, info.height), (1024, 1400));
    assert!(
        dark * 200 > total,
        "hardly any dark pixels: {dark} of {total}: a blank page?"
    );
    assert!(
        light * 2 > total,
        "mostly dark: {light} light of {total}: not a page of text?"
    );
}

#[test]
fn since_names_the_older_version_and_marks_against_it() {
    let s = Scratch::new("handout-since");
    let hoogwater = std::fs::read_to_string("examples/hoogwater.toml").expect("the example");
    s.write(
        "old.toml",
        hoogwater.replace(
            "title          = \"Hoogwater Maas en Roer\"",
            "title = \"Hoogwater Maas en Roer\"\nnumber = 13",
        ),
    );
    s.write("new.md", "+++\nnumber = 14\nlanguage = \"en\"\n+++\n# Hoogwater Maas en Roer\n\n## Beeld\n\n- The river has peaked.\n\n## Aftermath\n");
    let out = Run::new(common::bin())
        .cwd(s.dir())
        .env("XDG_STATE_HOME", s.state())
        .args(&["--html", "--since", "old.toml", "new.md"])
        .output();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let html = text(&out.stdout);
    assert!(
        html.contains("Changes are marked relative to old.toml (sitrep 13): ● new theme, ◆ changed theme, ✱ new or changed paragraph, point, decision or action."),
        "{html}"
    );
    assert!(html.contains("Aftermath <span class=\"mark\">● new</span>"));
    assert!(html.contains("Themes removed: Beeld / Verwachting komende 24 uur; Bevolkingszorg; Communicatie; Verkeer en infrastructuur"));
}

#[test]
fn a_handout_that_cannot_be_written_or_compared_is_an_error() {
    let s = Scratch::with_report("handout-errors", Path::new("examples/hoogwater.toml"));
    let out = Run::new(common::bin())
        .cwd(s.dir())
        .args(&["--html", "report.toml"])
        .stdout_to(Path::new("/dev/full"))
        .output();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot write the output"),
        "{}",
        text(&out.stderr)
    );
    let out = Run::new(common::bin())
        .cwd(s.dir())
        .args(&["--html", "--since", "missing.toml", "report.toml"])
        .output();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "briefing: missing.toml: cannot read the report: no such file; check the path\n"
    );
    assert!(out.stdout.is_empty());
}
