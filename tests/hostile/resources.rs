//! Hostile, round two, findings 8, 9 and 20–22: work and memory that a
//! long query, a resize storm, a combining-mark bomb or a huge window can
//! make the program spend, and how follow problems are worded.

use std::time::Duration;

use briefing_testkit::browser::quit;
use briefing_testkit::{DEFAULT_TIMEOUT, Pty, Scratch, bin, proc, screen, seed};
const LONG: Duration = Duration::from_secs(60);

fn start(s: &Scratch, args: &[&str], cols: u16, rows: u16) -> Pty {
    s.spawn(bin!()).args(args).size(cols, rows).start()
}

/// Finding 8: `--search` with a 100,000-character query searches once, not
/// once per character (which took 42 s before the first frame). The
/// deadline is a hundred times what one search takes in a debug build.
#[test]
fn a_long_start_up_query_is_searched_once() {
    let s = Scratch::new("long-query");
    let report = seed::report().to_string_lossy().into_owned();
    let query = "x".repeat(100_000);
    let mut p = start(&s, &["--no-watch", "--search", &query, &report], 80, 24);
    p.wait_for("first frame", DEFAULT_TIMEOUT, |sc| {
        screen::status(sc).contains("geen treffers")
    });
    quit(&mut p);
}

/// Finding 9: a storm of resizes while a large theme is shown is laid out
/// for the last size only: it costs about one layout, not one per resize.
#[test]
fn a_resize_storm_is_laid_out_once_for_the_last_size() {
    let s = Scratch::new("resize-storm");
    s.write("report.toml", super::signals::busy_report(2 << 20));
    let mut p = start(&s, &["--no-watch", "report.toml"], 80, 24);
    p.wait_for("started", LONG, |sc| screen::status(sc).ends_with("1/2"));
    let pid = p.pid();
    // One layout of the large theme: select it.
    let t0 = proc::cpu_ticks(pid).expect("cpu");
    p.key("j");
    p.wait_for("the large theme", LONG, |sc| {
        screen::status(sc).ends_with("2/2")
    });
    p.settle_default();
    let one = proc::cpu_ticks(pid).expect("cpu") - t0;
    // Thirty resizes, each of which changes the text's width, a few ms
    // apart: they arrive one by one while the first is being laid out.
    let t1 = proc::cpu_ticks(pid).expect("cpu");
    for i in 0..30u16 {
        p.resize(80 + i % 2 * 7, 24);
        std::thread::sleep(Duration::from_millis(5));
    }
    p.resize(100, 30);
    p.wait_for("drawn at 100x30", LONG, |sc| {
        screen::status(sc).ends_with("2/2") && screen::row(sc, 0).starts_with("Busy")
    });
    p.settle(Duration::from_millis(500), LONG);
    let storm = proc::cpu_ticks(pid).expect("cpu") - t1;
    assert!(
        storm <= 6 * one.max(1),
        "31 resizes cost {storm} ticks of CPU; one layout costs {one}"
    );
    quit(&mut p);
}

/// Finding 20: what is drawn per cell is capped: a title of 10,000
/// combining marks costs no more than a short title on the wire.
#[test]
fn a_combining_mark_bomb_is_capped_per_cell() {
    let s = Scratch::new("marks");
    let bomb = format!("A{}", "\u{0301}".repeat(10_000));
    s.write(
        "report.toml",
        format!("title = \"R\"\nlanguage = \"en\"\n[[theme]]\ntitle = \"{bomb}\"\nbody = \"text\"\n[[theme]]\ntitle = \"Two\"\n"),
    );
    let mut p = start(&s, &["--no-watch", "report.toml"], 80, 24);
    p.wait_settled("started", |sc| screen::status(sc).ends_with("1/2"));
    let first = p.raw().len();
    assert!(first < 4_000, "the first frame took {first} bytes");
    let mark = p.mark();
    p.key("j");
    p.wait_settled("second theme", |sc| screen::status(sc).ends_with("2/2"));
    p.key("k");
    p.wait_settled("first theme again", |sc| {
        screen::status(sc).ends_with("1/2")
    });
    let moved = p.since(mark).len();
    assert!(moved < 2_000, "two moves took {moved} bytes");
    quit(&mut p);
}

/// Finding 21: a very large window is drawn in a capped area (1000x500),
/// the rest left blank, so memory stays bounded.
#[test]
fn a_huge_window_is_drawn_in_a_capped_area() {
    let s = Scratch::new("huge-window");
    let report = seed::report().to_string_lossy().into_owned();
    let mut p = start(&s, &["--no-watch", &report], 1100, 600);
    p.wait_for("first frame", LONG, |sc| {
        screen::region(sc, 499, 0, 1000).ends_with("1/7")
    });
    let sc = p.screen();
    for row in [0u16, 10, 499] {
        assert_eq!(
            screen::region(&sc, row, 1000, 100),
            "",
            "drawn beyond column 1000 on row {row}"
        );
    }
    assert_eq!(screen::row(&sc, 599), "", "drawn beyond row 500");
    let hwm = proc::peak_rss_kib(p.pid()).expect("VmHWM");
    assert!(hwm < 200 * 1024, "{hwm} KiB for a 1100x600 window");
    quit(&mut p);
}

/// Finding 22: follow problems have their own words (a position file is
/// not a report), and are not cut at 40 columns on a wide screen.
#[test]
fn follow_problems_are_worded_for_position_files_and_shown_whole() {
    let s = Scratch::new("follow-words");
    let report = seed::report().to_string_lossy().into_owned();
    let mut p = start(
        &s,
        &["--no-watch", "--follow", "/dev/null", &report],
        160,
        24,
    );
    p.wait_settled("the problem shown", |sc| {
        sc.contents().contains("/dev/null")
    });
    let all = p.screen().contents();
    assert!(
        !all.contains("report file"),
        "report wording for a position file: {all}"
    );
    assert!(all.contains("not a position file"), "{all}");
    assert!(
        !screen::status(&p.screen()).contains('…'),
        "cut although there is room: {}",
        screen::status(&p.screen())
    );
    quit(&mut p);
}
