//! Presenting: entering the presentation from the browser, and the
//! walk-through of a report with Space from the first slide to the last
//! point of the last, per move against both floors.
//!
//! The footer's clock redraws on whole seconds; every measured key is sent
//! well clear of the next tick (`harness::clear_of_tick`), so a move's
//! bytes are the move's own.

use std::path::Path;
use std::time::Duration;

use briefing_testkit::Pty;
use briefing_testkit::measure::{self, Table, num, ratio};

use crate::harness::{
    DEADLINE, KEY_DEADLINE, Measure, Report, State, Workdir, at_start, clear_of_tick, first_frame,
    last_row, measure, spawn_briefing,
};

/// Where the footer says the presentation is: ("3/7", Some((1, 5))).
fn footer(s: &vt100::Screen) -> Option<(String, Option<(u32, u32)>)> {
    let row = last_row(s);
    let words: Vec<&str> = row.split_whitespace().collect();
    let pos = words.get(1).filter(|w| w.contains('/'))?.to_string();
    let points = words
        .get(3)
        .filter(|_| words.get(2).is_some_and(|w| !w.contains(['/', ':'])))
        .and_then(|w| w.split_once('/'))
        .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)));
    Some((pos, points))
}

/// The footer's position and points as a label ("thema 3/7 punt 1/5").
fn label(s: &vt100::Screen) -> String {
    let row = last_row(s);
    let words: Vec<&str> = row.split_whitespace().collect();
    let n = if footer(s).is_some_and(|f| f.1.is_some()) {
        4
    } else {
        2
    };
    words[..n.min(words.len())].join(" ")
}

fn presenting_at_start(entries: usize) -> impl Fn(&vt100::Screen) -> bool {
    move |s| footer(s).is_some_and(|f| f.0 == format!("1/{entries}"))
}

/// The last slide with all its points shown.
fn at_end(s: &vt100::Screen, entries: usize) -> bool {
    footer(s).is_some_and(|(pos, points)| {
        pos == format!("{entries}/{entries}") && points.is_none_or(|(a, b)| a == b)
    })
}

struct Run {
    enter: Measure,
    leave: Measure,
    first: Measure,
    /// (the footer after the move, the move).
    moves: Vec<(String, Measure)>,
}

fn run(report: &Report, size: (u16, u16), state: &Path, quiet: Duration) -> Option<Run> {
    // Entering and leaving from the browser.
    let mut b = spawn_briefing(&report.path, size, &[], State::At(state), None);
    first_frame(&b, quiet, at_start(&report.position()))?;
    clear_of_tick(&b, quiet);
    let enter = measure(&mut b, b"p", quiet);
    clear_of_tick(&b, quiet);
    let leave = measure(&mut b, b"\x1b", quiet);
    b.try_quit(b"q", KEY_DEADLINE);

    let mut s: Pty = spawn_briefing(&report.path, size, &["--present"], State::At(state), None);
    let first = first_frame(&s, quiet, presenting_at_start(report.entries))?;
    let mut moves = Vec::new();
    while !at_end(&s.screen(), report.entries) {
        if moves.len() > 1000 {
            eprintln!("presenting: no end after 1000 moves; stopped");
            return None;
        }
        clear_of_tick(&s, quiet);
        let m = measure(&mut s, b" ", quiet);
        if m.bytes == 0.0 {
            eprintln!(
                "presenting: Space changed nothing at {}",
                label(&s.screen())
            );
            return None;
        }
        moves.push((label(&s.screen()), m));
    }
    s.try_quit(b"q", KEY_DEADLINE);
    Some(Run {
        enter,
        leave,
        first,
        moves,
    })
}

/// Measures and prints the walk-through of `report` at each size.
pub fn walkthrough(
    work: &Workdir,
    report: &Report,
    sizes: &[(u16, u16)],
    runs: usize,
    quiet: Duration,
) {
    for &(cols, rows) in sizes {
        eprintln!(
            "{} {cols}x{rows}: {runs} presenting walk-throughs...",
            report.tag
        );
        // A returning presenter: the report opened once before.
        let primed = work.fresh_state(&format!("present-{}-{cols}x{rows}", report.tag));
        let mut p = spawn_briefing(&report.path, (cols, rows), &[], State::At(&primed), None);
        let _ = p.try_wait_for(DEADLINE, at_start(&report.position()));
        p.try_quit(b"q", KEY_DEADLINE);
        let all: Vec<Run> = (0..runs)
            .filter_map(|n| {
                let state = work.copy_state(&primed, &format!("present-run-{n}"));
                run(report, (cols, rows), &state, quiet)
            })
            .collect();
        print(report, (cols, rows), &all);
    }
}

fn print(report: &Report, (cols, rows): (u16, u16), all: &[Run]) {
    println!(
        "### {} {cols}x{rows}: presenting ({} runs, medians)\n",
        report.tag,
        all.len()
    );
    let Some(first_run) = all.first() else {
        println!("No successful run.\n");
        return;
    };
    let n = first_run.moves.len();
    if all.iter().any(|r| r.moves.len() != n) {
        println!(
            "(The runs took different numbers of moves; per-move medians over the runs that match the first.)\n"
        );
    }
    let per_move: Vec<(String, Measure)> = (0..n)
        .map(|i| {
            let ms: Vec<Measure> = all
                .iter()
                .filter(|r| r.moves.len() == n)
                .map(|r| r.moves[i].1)
                .collect();
            (first_run.moves[i].0.clone(), Measure::median(&ms))
        })
        .collect();
    let totals: Vec<Measure> = all
        .iter()
        .map(|r| {
            let mut t = Measure::default();
            for (_, m) in &r.moves {
                t.add(m);
            }
            t
        })
        .collect();
    let total = Measure::median(&totals);
    let bytes: Vec<f64> = per_move.iter().map(|m| m.1.bytes).collect();
    let stats = measure::Stats::of(&bytes);
    let mut t = Table::new(&[
        "measurement",
        "bytes",
        "floor",
        "bytes/floor",
        "cell floor",
        "ms",
    ]);
    let mut line = |name: String, m: &Measure| {
        t.row([
            name,
            num(m.bytes, 0),
            num(m.floor, 0),
            ratio(m.bytes, m.floor),
            num(m.cell_floor, 0),
            num(m.ms, 1),
        ]);
    };
    let med = |f: fn(&Run) -> Measure| Measure::median(&all.iter().map(f).collect::<Vec<_>>());
    line(
        "enter presentation (p from the browser)".into(),
        &med(|r| r.enter),
    );
    line("leave presentation (Esc)".into(), &med(|r| r.leave));
    line(
        "first frame (--present, from spawn)".into(),
        &med(|r| r.first),
    );
    line(format!("walk-through: all {n} moves (Space)"), &total);
    t.print();
    println!(
        "Per move: median {} bytes, p90 {}, largest {}.\n",
        num(stats.median, 0),
        num(stats.p90, 0),
        num(stats.max, 0)
    );
    let mut t = Table::new(&[
        "move",
        "footer after it",
        "bytes",
        "floor",
        "bytes/floor",
        "cell floor",
        "ms",
    ])
    .text_columns(2);
    for (i, (label, m)) in per_move.iter().enumerate() {
        t.row([
            (i + 1).to_string(),
            label.clone(),
            num(m.bytes, 0),
            num(m.floor, 0),
            ratio(m.bytes, m.floor),
            num(m.cell_floor, 0),
            num(m.ms, 1),
        ]);
    }
    t.print();
}
