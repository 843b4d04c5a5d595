//! Scripted sessions on reports of growing size: start, search, live
//! reload, quit; each run with `--no-state` and with a returning reader's
//! remembered state. They give the first frame and reload times, the
//! search keystroke distribution, and peak memory (VmHWM before the final
//! `q`, VmHWM at exit, and VmRSS sampled through the session to show where
//! the peak happens); `less` opens and searches the plain text of the same
//! report beside them.

use std::path::Path;
use std::time::{Duration, Instant};

use briefing_testkit::measure::{self, MemReport, MemWatch, Stats, Table, mb, ms, num, ratio};
use briefing_testkit::{Pty, proc};

use crate::harness::{
    BIN, DEADLINE, KEY_DEADLINE, Report, State, Workdir, at_first_frame, at_start, first_frame,
    less_ready, measure, measure_first, spawn_briefing, spawn_less, step,
};

/// The terminal of every session.
const SIZE: (u16, u16) = (80, 24);
/// How often memory is sampled.
const SAMPLE: Duration = Duration::from_millis(2);
/// The common letter typed first, then deleted: the widest search there is.
const LETTER: u8 = b'e';
/// The word typed letter by letter, then deleted letter by letter.
pub const WORD: &str = "veiligheidsregio";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Start,
    Search,
    Reload,
    Quit,
}

impl Kind {
    const ALL: [Kind; 4] = [Kind::Start, Kind::Search, Kind::Reload, Kind::Quit];

    fn name(self) -> &'static str {
        match self {
            Kind::Start => "start",
            Kind::Search => "start + search",
            Kind::Reload => "start + live reload",
            Kind::Quit => "start + quit (state saving)",
        }
    }
}

/// One keystroke of the search: (key, ms from the key to the last byte, bytes).
#[derive(Clone)]
struct Key {
    key: String,
    ms: f64,
    /// To the first byte: the frame with the match, its count maybe to follow.
    first_ms: f64,
    bytes: f64,
}

#[derive(Default)]
struct Session {
    first_ms: f64,
    first_bytes: f64,
    /// Spawn → the full list ready (the status line shows `1/N`); for a
    /// large report later than the first frame, which shows the first themes.
    full_ms: f64,
    /// Write → the changed title on screen.
    reload_ms: Option<f64>,
    /// `q` → exit.
    quit_ms: Option<f64>,
    /// VmHWM just before the final `q`, KiB.
    hwm_before_q: u64,
    /// VmRSS once the full list is ready, and once a reload has settled, KiB.
    rss_ready: u64,
    rss_reloaded: Option<u64>,
    mem: MemReport,
    keys: Vec<Key>,
}

fn run(
    report: &Report,
    kind: Kind,
    state: State<'_>,
    n: usize,
    quiet: Duration,
) -> Option<Session> {
    let mut s = spawn_briefing(&report.path, SIZE, &[], state, None);
    let watch = MemWatch::start(s.pid(), BIN, SAMPLE, "start");
    let first = first_frame(&s, quiet, at_first_frame)?;
    let full = first_frame(&s, quiet, at_start(&report.position()))?;
    let mut out = Session {
        first_ms: first.ms,
        first_bytes: first.bytes,
        full_ms: full.ms,
        rss_ready: proc::status_kib(s.pid(), "VmRSS").unwrap_or(0),
        ..Session::default()
    };
    match kind {
        Kind::Start => {}
        Kind::Search => {
            watch.phase("search");
            step(&mut s, b"/", quiet);
            let mut key = |s: &mut Pty, k: &[u8], name: String| {
                let (m, first_ms) = measure_first(s, k, quiet);
                out.keys.push(Key {
                    key: name,
                    ms: m.ms,
                    first_ms,
                    bytes: m.bytes,
                });
            };
            key(&mut s, &[LETTER], format!("{}", LETTER as char));
            key(&mut s, b"\x7f", "Backspace".into());
            for c in WORD.chars() {
                key(&mut s, c.to_string().as_bytes(), c.to_string());
            }
            for _ in WORD.chars() {
                key(&mut s, b"\x7f", "Backspace".into());
            }
            step(&mut s, b"\x1b", quiet);
        }
        Kind::Reload => {
            watch.phase("reload");
            let title = format!("Herzien {n}");
            let text = report.with_first_title(&title);
            let t0 = Instant::now();
            // In place, as `cat > report.toml` or a simple editor writes.
            std::fs::write(&report.path, &text).expect("rewrite the report");
            let shown = s.try_wait_for(DEADLINE, |sc| sc.contents().contains(&title));
            out.reload_ms = shown.then(|| ms(t0.elapsed()));
            s.settle(quiet, DEADLINE);
            out.rss_reloaded = proc::status_kib(s.pid(), "VmRSS");
        }
        Kind::Quit => {
            // Something to remember: the next theme, on screen long enough
            // (a second) to count as seen.
            watch.phase("next theme, seen");
            step(&mut s, b"j", quiet);
            std::thread::sleep(Duration::from_millis(1200));
        }
    }
    out.hwm_before_q = proc::peak_rss_kib(s.pid()).unwrap_or(0);
    watch.phase("quit");
    let t0 = Instant::now();
    let quit = s.try_quit(b"q", DEADLINE);
    out.quit_ms = quit.then(|| ms(t0.elapsed()));
    out.mem = watch.finish();
    drop(s);
    report.restore();
    Some(out)
}

/// less on the plain text: first paint, VmHWM, and `/word<Enter>`.
struct Less {
    first_ms: f64,
    hwm: u64,
    search_ms: f64,
}

fn run_less(text: &Path, quiet: Duration) -> Option<Less> {
    let mut s = spawn_less(text, SIZE, None);
    let first = first_frame(&s, quiet, less_ready)?;
    let m = measure(&mut s, format!("/{WORD}\r").as_bytes(), quiet);
    let hwm = proc::peak_rss_kib(s.pid()).unwrap_or(0);
    s.try_quit(b"q", KEY_DEADLINE);
    Some(Less {
        first_ms: first.ms,
        hwm,
        search_ms: m.ms,
    })
}

struct Results<'a> {
    report: &'a Report,
    /// (kind, with state?, runs).
    sessions: Vec<(Kind, bool, Vec<Session>)>,
    less: Vec<Less>,
    plain_bytes: u64,
}

impl Results<'_> {
    fn get(&self, kind: Kind, with_state: bool) -> &[Session] {
        self.sessions
            .iter()
            .find(|s| s.0 == kind && s.1 == with_state)
            .map_or(&[], |s| &s.2)
    }
}

/// Runs every session on every report, then prints the tables.
pub fn sessions(work: &Workdir, reports: &[&Report], runs: usize, quiet: Duration) {
    let mut all = Vec::new();
    for &report in reports {
        eprintln!(
            "{}: sessions ({runs} runs each, with and without state)...",
            report.tag
        );
        // A returning reader: opened once, the first theme seen, quit.
        let primed = work.fresh_state(&format!("sessions-{}", report.tag));
        {
            let mut s = spawn_briefing(&report.path, SIZE, &[], State::At(&primed), None);
            let _ = s.try_wait_for(DEADLINE, at_start(&report.position()));
            std::thread::sleep(Duration::from_millis(1200));
            s.try_quit(b"q", DEADLINE);
        }
        let mut sessions = Vec::new();
        for kind in Kind::ALL {
            for with_state in [false, true] {
                let done: Vec<Session> = (0..runs)
                    .filter_map(|n| {
                        let copy;
                        let state = if with_state {
                            copy = work.copy_state(&primed, "session");
                            State::At(&copy)
                        } else {
                            State::Off
                        };
                        run(report, kind, state, n, quiet)
                    })
                    .collect();
                sessions.push((kind, with_state, done));
            }
        }
        let plain = work.plain(report, SIZE.0);
        let less = (0..runs).filter_map(|_| run_less(&plain, quiet)).collect();
        all.push(Results {
            report,
            sessions,
            less,
            plain_bytes: std::fs::metadata(&plain).map_or(0, |m| m.len()),
        });
    }
    print_times(&all, runs);
    print_memory(&all, runs);
    print_search(&all, runs);
}

fn stats_row(t: &mut Table, report: &str, what: &str, v: &[f64]) {
    let s = Stats::of(v);
    t.row([
        report.to_string(),
        what.to_string(),
        num(s.median, 1),
        num(s.min, 1),
        num(s.max, 1),
        s.n.to_string(),
    ]);
}

fn print_times(all: &[Results], runs: usize) {
    println!(
        "### Start-up and reload by report size, {}x{} ({runs} runs, medians)\n",
        SIZE.0, SIZE.1
    );
    println!(
        "First frame: spawn to the last byte of the first burst (the status line shows `1/`, then quiet; \
         for a large report the first themes, while the rest is read). Full list: spawn to the last byte \
         of the frame whose status line shows `1/N`. \
         Reload: the report rewritten in place with the first theme's title changed, to the new title on screen. \
         less opens `briefing --plain` of the same report.\n"
    );
    let mut t = Table::new(&[
        "report",
        "measurement",
        "median ms",
        "min ms",
        "max ms",
        "runs",
    ])
    .text_columns(2);
    for r in all {
        let tag = format!("{} ({} bytes)", r.report.tag, r.report.bytes());
        for (with_state, how) in [(true, "remembered state"), (false, "--no-state")] {
            // Every session starts the same way: all their first frames count.
            let firsts: Vec<f64> = Kind::ALL
                .iter()
                .flat_map(|&k| r.get(k, with_state).iter().map(|s| s.first_ms))
                .collect();
            stats_row(&mut t, &tag, &format!("first frame, {how}"), &firsts);
            let fulls: Vec<f64> = Kind::ALL
                .iter()
                .flat_map(|&k| r.get(k, with_state).iter().map(|s| s.full_ms))
                .collect();
            stats_row(&mut t, &tag, &format!("full list ready, {how}"), &fulls);
        }
        for (with_state, how) in [(true, "remembered state"), (false, "--no-state")] {
            let v: Vec<f64> = r
                .get(Kind::Reload, with_state)
                .iter()
                .filter_map(|s| s.reload_ms)
                .collect();
            stats_row(&mut t, &tag, &format!("reload, {how}"), &v);
        }
        for (with_state, how) in [(true, "remembered state"), (false, "--no-state")] {
            let v: Vec<f64> = r
                .get(Kind::Quit, with_state)
                .iter()
                .filter_map(|s| s.quit_ms)
                .collect();
            stats_row(&mut t, &tag, &format!("quit (q → exit), {how}"), &v);
        }
        let v: Vec<f64> = r.less.iter().map(|l| l.first_ms).collect();
        stats_row(&mut t, &tag, "less: first paint of the plain text", &v);
    }
    t.print();
    let mut t = Table::new(&[
        "report",
        "first frame bytes, remembered state",
        "first frame bytes, --no-state",
    ]);
    for r in all {
        let b = |with_state| {
            let v: Vec<f64> = r
                .get(Kind::Start, with_state)
                .iter()
                .map(|s| s.first_bytes)
                .collect();
            num(measure::median(&v), 0)
        };
        t.row([r.report.tag.to_string(), b(true), b(false)]);
    }
    t.print();
}

fn print_memory(all: &[Results], runs: usize) {
    println!("### Peak memory by session ({runs} runs, medians)\n");
    println!(
        "VmHWM (the peak over the process's life) read just before the final `q`, and the last VmHWM \
         read before the process's memory went away (its quit included); ×file: as a ratio to the \
         report's file size. Where: the phase whose sampled VmRSS (every {} ms) was highest.\n",
        SAMPLE.as_millis()
    );
    let mut t = Table::new(&[
        "report",
        "state",
        "session",
        "VmHWM before q MB",
        "×file",
        "VmHWM at exit MB",
        "×file",
        "where (sampled VmRSS MB)",
    ])
    .text_columns(3);
    for r in all {
        let file = r.report.bytes() as f64;
        for with_state in [false, true] {
            for kind in Kind::ALL {
                let done = r.get(kind, with_state);
                let before: Vec<f64> = done.iter().map(|s| s.hwm_before_q as f64).collect();
                let exit: Vec<f64> = done.iter().map(|s| s.mem.hwm_at_exit as f64).collect();
                let (before, exit) = (measure::median(&before), measure::median(&exit));
                // The phase of the first run; its VmRSS median over runs.
                let place = done.first().and_then(|s| s.mem.peak_phase()).map_or(
                    "–".into(),
                    |(phase, _)| {
                        let v: Vec<f64> = done
                            .iter()
                            .filter_map(|s| s.mem.peaks.iter().find(|p| p.0 == phase))
                            .map(|p| p.1 as f64)
                            .collect();
                        format!("{phase} ({})", mb(measure::median(&v)))
                    },
                );
                t.row([
                    r.report.tag.to_string(),
                    state_name(with_state).to_string(),
                    kind.name().to_string(),
                    mb(before),
                    ratio(before * 1024.0, file),
                    mb(exit),
                    ratio(exit * 1024.0, file),
                    place,
                ]);
            }
        }
        let hwm: Vec<f64> = r.less.iter().map(|l| l.hwm as f64).collect();
        let hwm = measure::median(&hwm);
        t.row([
            r.report.tag.to_string(),
            "–".into(),
            format!("less: open + search ({} bytes of text)", r.plain_bytes),
            mb(hwm),
            ratio(hwm * 1024.0, file),
            "–".into(),
            "–".into(),
            "–".into(),
        ]);
    }
    t.print();
    println!(
        "\nMemory after a reload: VmRSS once the full list is ready, and once the reload has settled \
         (the old version freed).\n"
    );
    let mut t = Table::new(&[
        "report",
        "state",
        "VmRSS ready MB",
        "VmRSS after reload MB",
        "after / ready",
    ])
    .text_columns(2);
    for r in all {
        for with_state in [false, true] {
            let done = r.get(Kind::Reload, with_state);
            let ready: Vec<f64> = done.iter().map(|s| s.rss_ready as f64).collect();
            let after: Vec<f64> = done
                .iter()
                .filter_map(|s| s.rss_reloaded)
                .map(|k| k as f64)
                .collect();
            if after.is_empty() {
                continue;
            }
            let (ready, after) = (measure::median(&ready), measure::median(&after));
            t.row([
                r.report.tag.to_string(),
                state_name(with_state).to_string(),
                mb(ready),
                mb(after),
                format!("{:.2}x", after / ready.max(1.0)),
            ]);
        }
    }
    t.print();
}

fn print_search(all: &[Results], runs: usize) {
    println!(
        "### Search keystrokes, {}x{} ({runs} runs of each state)\n",
        SIZE.0, SIZE.1
    );
    println!(
        "`/`, then `{}` and Backspace, then \"{WORD}\" typed letter by letter and deleted letter by letter; \
         per keystroke: from the key to the last byte of its output (quiet for the quiescence window), \
         its count included; from the key to its first byte (its first frame: the match, the count \
         shown as incomplete on a large report); and its bytes. less has no incremental search: \
         its line is `/{WORD}` Enter.\n",
        LETTER as char
    );
    let mut t = Table::new(&[
        "report",
        "keystrokes",
        "n",
        "median ms",
        "p90 ms",
        "max ms",
        "first frame median / p90 / max ms",
        "median bytes",
        "p90 bytes",
        "max bytes",
    ])
    .text_columns(2);
    let w = WORD.len();
    let groups = [
        (format!("the letter {}", LETTER as char), 0..1),
        ("typing the word".to_string(), 2..2 + w),
        ("deleting the word".to_string(), 2 + w..2 + 2 * w),
        ("all keystrokes".to_string(), 0..usize::MAX),
    ];
    for r in all {
        for (name, range) in &groups {
            let sel: Vec<&Key> = [false, true]
                .iter()
                .flat_map(|&st| r.get(Kind::Search, st).iter())
                .flat_map(|s| {
                    let end = range.end.min(s.keys.len());
                    s.keys.get(range.start.min(end)..end).unwrap_or_default()
                })
                .collect();
            let msv: Vec<f64> = sel.iter().map(|k| k.ms).collect();
            let firsts: Vec<f64> = sel.iter().map(|k| k.first_ms).collect();
            let by: Vec<f64> = sel.iter().map(|k| k.bytes).collect();
            let (a, b, f) = (Stats::of(&msv), Stats::of(&by), Stats::of(&firsts));
            t.row([
                r.report.tag.to_string(),
                name.clone(),
                a.n.to_string(),
                num(a.median, 1),
                num(a.p90, 1),
                num(a.max, 1),
                format!(
                    "{} / {} / {}",
                    num(f.median, 1),
                    num(f.p90, 1),
                    num(f.max, 1)
                ),
                num(b.median, 0),
                num(b.p90, 0),
                num(b.max, 0),
            ]);
        }
        let v: Vec<f64> = r.less.iter().map(|l| l.search_ms).collect();
        let s = Stats::of(&v);
        t.row([
            r.report.tag.to_string(),
            format!("less: /{WORD} Enter"),
            s.n.to_string(),
            num(s.median, 1),
            num(s.p90, 1),
            num(s.max, 1),
            "–".into(),
            "–".into(),
            "–".into(),
            "–".into(),
        ]);
    }
    t.print();
    // Per keystroke on the largest report.
    let Some(r) = all.iter().max_by_key(|r| r.report.bytes()) else {
        return;
    };
    println!(
        "Per keystroke, {} (medians over all its runs):\n",
        r.report.tag
    );
    let mut t = Table::new(&[
        "#",
        "key",
        "query after it",
        "median ms",
        "max ms",
        "first frame median / max ms",
        "median bytes",
    ])
    .text_columns(3);
    let done: Vec<&Session> = [false, true]
        .iter()
        .flat_map(|&st| r.get(Kind::Search, st).iter())
        .collect();
    let Some(first) = done.first() else { return };
    let mut query = String::new();
    for (i, k) in first.keys.iter().enumerate() {
        if k.key == "Backspace" {
            query.pop();
        } else {
            query.push_str(&k.key);
        }
        let msv: Vec<f64> = done
            .iter()
            .filter_map(|s| s.keys.get(i))
            .map(|k| k.ms)
            .collect();
        let firsts: Vec<f64> = done
            .iter()
            .filter_map(|s| s.keys.get(i))
            .map(|k| k.first_ms)
            .collect();
        let by: Vec<f64> = done
            .iter()
            .filter_map(|s| s.keys.get(i))
            .map(|k| k.bytes)
            .collect();
        let (s, f) = (Stats::of(&msv), Stats::of(&firsts));
        t.row([
            (i + 1).to_string(),
            k.key.clone(),
            format!("\"{query}\""),
            num(s.median, 1),
            num(s.max, 1),
            format!("{} / {}", num(f.median, 1), num(f.max, 1)),
            num(measure::median(&by), 0),
        ]);
    }
    t.print();
}

// How a session's state is named in the tables.
fn state_name(with_state: bool) -> &'static str {
    if with_state {
        "remembered"
    } else {
        "--no-state"
    }
}
