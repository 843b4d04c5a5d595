//! The wire harness: the real release binary in a pseudo-terminal, measuring
//! what a reader on a slow link pays: time to the first frame, bytes per
//! action against the changed-cells floor, peak memory, idle CPU, and the
//! same for `less` on the plain-text rendering of the same report.
//!
//! Run: `cargo bench --bench wire [-- OPTIONS]` (about 1–2 minutes; without
//! the `--bench` flag that `cargo bench` passes, e.g. under
//! `cargo test --benches`, it is a 1-run smoke test of the seed at 80x24):
//!   --runs N             runs per configuration, medians reported (default 5)
//!   --idle-secs N        idle window for the CPU measurement (default 10; 0: skip)
//!   --idle-settle-ms N   wait after the last first frame before the idle
//!                        window opens (default 1000)
//!   --throttle A,B,...   also run over throttled links of A, B... bytes/s
//!                        (e.g. 2400,56000) and report time-to-result per action
//!   --throttle-runs N    runs per configuration and rate (default 1)
//!   --quiet-ms N         quiescence window that ends an action (default 50)
//!   --only seed|big      only one of the two reports
//!   --sizes 80x24,120x40 terminal sizes (default both)
//!
//! Configurations: {seed report.toml, generated 10 MB report} x {80x24,
//! 120x40}, TERM=xterm-256color, LANG=C.UTF-8. Everything is printed as
//! markdown tables on stdout; progress goes to stderr.
//!
//! Method (see BENCHMARKS.md for the discussion):
//! * first frame: from just before spawn to the arrival of the last byte of
//!   the first burst, i.e. once the status line shows the position `1/N`
//!   (less: once its prompt line is drawn), the output has been quiet for the
//!   quiescence window, and the window itself is not counted. Bytes: every
//!   byte up to then (mode setup included).
//! * an action: mark, send the keys, wait for output, then for quiescence;
//!   bytes = everything after the mark; latency = send to last byte.
//! * floor: `support/floor.rs` on the vt100 screens before and after.
//! * peak RSS: VmHWM just before `q`. Idle CPU: all processes of all
//!   configurations sit idle together for --idle-secs, once; CPU is the
//!   growth of the sum of /proc/<pid>/task/*/schedstat run time (ns; the
//!   tick-based utime+stime is printed beside it).

#[path = "support/floor.rs"]
mod floor;
#[path = "support/generate.rs"]
mod generate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use briefing::action::Action;
use briefing::app::App;
use briefing::doc::Doc;
use briefing::report::Report;
use briefing_testkit::{Pty as Session, Spawn, proc};

const BIN: &str = env!("CARGO_BIN_EXE_briefing");
const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// Generous deadline for anything that must happen.
const DEADLINE: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------
// options

struct Opts {
    runs: usize,
    idle_secs: u64,
    idle_settle: Duration,
    throttle: Vec<u64>,
    throttle_runs: usize,
    quiet: Duration,
    only: Option<String>,
    sizes: Vec<(u16, u16)>,
}

fn parse_opts() -> Opts {
    let mut o = Opts {
        runs: 5,
        idle_secs: 10,
        idle_settle: Duration::from_millis(1000),
        throttle: Vec::new(),
        throttle_runs: 1,
        quiet: Duration::from_millis(50),
        only: None,
        sizes: vec![(80, 24), (120, 40)],
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Without `--bench` (what `cargo bench` passes), e.g. under
    // `cargo test --benches`: a smoke test, one quick run of the seed report.
    if !args.iter().any(|a| a == "--bench") {
        o.runs = 1;
        o.idle_secs = 0;
        o.only = Some("seed".into());
        o.sizes = vec![(80, 24)];
    }
    let mut i = 0;
    let value = |i: usize| -> &str {
        args.get(i + 1)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("{} needs a value", args[i]))
    };
    while i < args.len() {
        let a = args[i].as_str();
        // `cargo bench` passes --bench; filters and unknown flags are ignored.
        match a {
            "--runs" => o.runs = value(i).parse().expect("--runs N"),
            "--idle-secs" => o.idle_secs = value(i).parse().expect("--idle-secs N"),
            "--idle-settle-ms" => {
                o.idle_settle = Duration::from_millis(value(i).parse().expect("--idle-settle-ms N"))
            }
            "--throttle" => {
                o.throttle = value(i)
                    .split(',')
                    .map(|s| s.trim().parse().expect("--throttle A,B"))
                    .collect()
            }
            "--throttle-runs" => o.throttle_runs = value(i).parse().expect("--throttle-runs N"),
            "--quiet-ms" => {
                o.quiet = Duration::from_millis(value(i).parse().expect("--quiet-ms N"))
            }
            "--only" => o.only = Some(value(i).to_string()),
            "--sizes" => {
                o.sizes = value(i)
                    .split(',')
                    .map(|s| {
                        let (w, h) = s.split_once('x').expect("--sizes WxH");
                        (w.parse().expect("width"), h.parse().expect("height"))
                    })
                    .collect()
            }
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    o.runs = o.runs.max(1);
    o.throttle_runs = o.throttle_runs.max(1);
    o
}

// ---------------------------------------------------------------------------
// configurations

struct Cfg {
    /// "seed" or "10MB".
    report: &'static str,
    path: PathBuf,
    file_bytes: u64,
    entries: usize,
    cols: u16,
    rows: u16,
    /// `briefing --plain --width <cols>` of the report, for less.
    plain: PathBuf,
    /// Entry to scroll in: the first from the 3rd on that can scroll at
    /// least a page (so a line then a full page both move), else the one
    /// that scrolls most from the 3rd on; its index is also the number of
    /// `j` that reach it from entry 0.
    scroll_entry: usize,
    /// Its largest scroll offset (0: no theme can scroll at this size).
    scroll_max: usize,
}

impl Cfg {
    fn name(&self) -> String {
        format!("{} {}x{}", self.report, self.cols, self.rows)
    }
}

fn plain_file(report: &Path, tag: &str, cols: u16) -> PathBuf {
    let dir = std::env::temp_dir().join("briefing-bench").join("plain");
    std::fs::create_dir_all(&dir).expect("create plain-text directory");
    let out = dir.join(format!("{tag}-{cols}.txt"));
    let o = Command::new(BIN)
        .args(["--plain", "--width", &cols.to_string()])
        .arg(report)
        .env("LANG", "C.UTF-8")
        .output()
        .expect("run briefing --plain");
    assert!(
        o.status.success(),
        "briefing --plain failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::write(&out, &o.stdout).expect("write plain text");
    out
}

/// Which entry to scroll in at this size, decided with the library itself.
fn scroll_entry(doc: Doc, cols: u16, rows: u16) -> (usize, usize) {
    let mut app = App::bare(doc, cols, rows);
    let n = app.doc().entries.len();
    let mut best = (2.min(n - 1), 0);
    for i in 0..n.min(200) {
        if i > 0 {
            app.update(Action::Down);
        }
        let max = app.max_scroll();
        if i >= 2 && max >= app.page() {
            return (i, max);
        }
        if i >= 2 && max > best.1 {
            best = (i, max);
        }
    }
    best
}

fn configs(o: &Opts) -> Vec<Cfg> {
    let mut out = Vec::new();
    // A copy of the seed report in a quiet directory: the browser watches its
    // report's directory, and the repository is busy while people work in it.
    let seed = generate::report_dir().join("seed-report.toml");
    std::fs::copy(Path::new(MANIFEST_DIR).join("report.toml"), &seed).expect("copy report.toml");
    let mut reports: Vec<(&'static str, PathBuf)> = Vec::new();
    if o.only.as_deref() != Some("big") {
        reports.push(("seed", seed));
    }
    if o.only.as_deref() != Some("seed") {
        eprintln!("generating the 10 MB report...");
        reports.push((
            "10MB",
            generate::write_temp(generate::BIG_THEMES, generate::BIG_SEED),
        ));
    }
    for (tag, path) in reports {
        let src = std::fs::read_to_string(&path).expect("read report");
        let report = Report::from_toml(&src, &path).expect("valid report");
        for &(cols, rows) in &o.sizes {
            let doc = Doc::new(&report);
            let entries = doc.entries.len();
            let (scroll_entry, scroll_max) = scroll_entry(doc, cols, rows);
            out.push(Cfg {
                report: tag,
                file_bytes: src.len() as u64,
                path: path.clone(),
                entries,
                cols,
                rows,
                plain: plain_file(&path, tag, cols),
                scroll_entry,
                scroll_max,
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------
// one run

/// One measured action (or the first frame); f64 so medians fit in it too.
#[derive(Clone, Copy, Default)]
struct Measure {
    /// Bytes actually received.
    bytes: f64,
    /// Changed-cells floor (with bridging of short gaps).
    floor: f64,
    /// The same floor when every gap is jumped over (no bridging).
    floor_nb: f64,
    /// From the key (first frame: from spawn) to the last byte, ms.
    ms: f64,
    /// Actual bytes: text, blanks, moves, SGR, other.
    actual: [f64; 5],
    /// Floor bytes, same split.
    fparts: [f64; 5],
}

fn parts(p: floor::Parts) -> [f64; 5] {
    [p.text, p.blank, p.moves, p.sgr, p.other].map(|v| v as f64)
}

impl Measure {
    fn of(bytes: &[u8], before: &vt100::Screen, after: &vt100::Screen, ms: f64) -> Measure {
        let f = floor::floor_parts(before, after, true);
        Measure {
            bytes: bytes.len() as f64,
            floor: f.total() as f64,
            floor_nb: floor::floor_parts(before, after, false).total() as f64,
            ms,
            actual: parts(floor::classify(bytes)),
            fparts: parts(f),
        }
    }

    fn add(&mut self, o: &Measure) {
        self.bytes += o.bytes;
        self.floor += o.floor;
        self.floor_nb += o.floor_nb;
        self.ms += o.ms;
        for i in 0..5 {
            self.actual[i] += o.actual[i];
            self.fparts[i] += o.fparts[i];
        }
    }

    /// Field-wise medians.
    fn median(ms: &[Measure]) -> Measure {
        let m = |f: &dyn Fn(&Measure) -> f64| median(ms.iter().map(f).collect());
        Measure {
            bytes: m(&|x| x.bytes),
            floor: m(&|x| x.floor),
            floor_nb: m(&|x| x.floor_nb),
            ms: m(&|x| x.ms),
            actual: std::array::from_fn(|i| m(&|x| x.actual[i])),
            fparts: std::array::from_fn(|i| m(&|x| x.fparts[i])),
        }
    }
}

/// One run: the first frame, then the actions, in order.
#[derive(Default)]
struct RunResult {
    actions: Vec<(String, Measure)>,
    rss_kib: u64,
    /// The word searched for.
    word: String,
}

const FIRST: &str = "first frame (from spawn)";

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Where the browser keeps what the reader saw (XDG_STATE_HOME), so the
/// benchmark neither reads nor writes the user's own state.
fn state_home() -> PathBuf {
    std::env::temp_dir().join("briefing-bench").join("state")
}

fn forget_state() {
    let _ = std::fs::remove_dir_all(state_home());
    std::fs::create_dir_all(state_home()).expect("create the state directory");
}

fn spawn_briefing(cfg: &Cfg, rate: Option<u64>) -> Session {
    let path = cfg.path.to_string_lossy().into_owned();
    let state = state_home().to_string_lossy().into_owned();
    Spawn::new(BIN)
        .arg(&path)
        .size(cfg.cols, cfg.rows)
        .env("XDG_STATE_HOME", &state)
        .rate(rate)
        .cwd(MANIFEST_DIR)
        .start()
}

const COLD: &str = "first open, no saved state: first frame (1 run)";

/// Opens the report once with no saved state (the very first open) and
/// quits, which saves the state every later run starts with (a returning
/// reader); returns that first frame.
fn first_open(cfg: &Cfg, rate: Option<u64>, quiet: Duration) -> Option<Measure> {
    forget_state();
    let mut s = spawn_briefing(cfg, rate);
    let position = format!("1/{}", cfg.entries);
    let m = first_frame(&s, quiet, |sc| last_row(sc).ends_with(&position));
    s.try_quit(b"q", Duration::from_secs(10));
    m
}

fn spawn_less(cfg: &Cfg, rate: Option<u64>) -> Session {
    let path = cfg.plain.to_string_lossy().into_owned();
    Spawn::new("less")
        .arg(&path)
        .size(cfg.cols, cfg.rows)
        .env("LESSHISTFILE", "-")
        .rate(rate)
        .cwd(MANIFEST_DIR)
        .start()
}

fn last_row(s: &vt100::Screen) -> String {
    let (rows, cols) = s.size();
    s.rows(0, cols.get())
        .nth(usize::from(rows.get()) - 1)
        .unwrap_or_default()
        .trim_end()
        .to_string()
}

fn dump(what: &str, bytes: &[u8]) {
    if std::env::var_os("WIRE_DUMP").is_some() {
        // Debugging aid: the bytes of every action, escaped, on stderr.
        eprintln!(
            "--- {what}: {} bytes\n{}",
            bytes.len(),
            bytes.escape_ascii()
        );
    }
}

/// Waits for the first complete frame: `ready`, then quiet; the time is that
/// of the last byte, from spawn.
fn first_frame(
    s: &Session,
    quiet: Duration,
    ready: impl Fn(&vt100::Screen) -> bool,
) -> Option<Measure> {
    if !s.try_wait_for(DEADLINE, ready) {
        return None;
    }
    let b = s.burst(0, quiet, DEADLINE, DEADLINE);
    let last = b.last?;
    let screen = s.screen();
    let bytes = s.since(0);
    dump("first frame", &bytes);
    Some(Measure::of(
        &bytes,
        &floor::blank_like(&screen),
        &screen,
        ms(last.duration_since(s.spawned_at())),
    ))
}

/// Sends `keys` and measures the action against the changed-cells floor.
fn measure(s: &mut Session, keys: &[u8], quiet: Duration) -> Measure {
    let before = s.screen();
    let mark = s.mark();
    let (b, t0) = s.act(keys, quiet, Duration::from_secs(10));
    let after = s.screen();
    let bytes = s.since(mark);
    dump(&format!("{:?}", String::from_utf8_lossy(keys)), &bytes);
    Measure::of(
        &bytes,
        &before,
        &after,
        b.last.map_or(0.0, |l| ms(l.duration_since(t0))),
    )
}

/// Sends `keys` and waits for the result, unmeasured.
fn step(s: &mut Session, keys: &[u8], quiet: Duration) {
    let _ = s.act(keys, quiet, Duration::from_secs(10));
}

/// The longest ASCII word (5+ letters) in the text panel, to search for.
fn word_on_screen(screen: &vt100::Screen) -> String {
    let (_, cols) = screen.size();
    let rows: Vec<String> = screen.rows(0, cols.get()).collect();
    // The text panel starts two columns after the divider (│ or |) of row 2.
    let divider = rows
        .get(2)
        .and_then(|r| r.chars().position(|c| c == '│' || c == '|'))
        .map_or(0, |p| p + 2);
    let mut best = String::new();
    // Every row but the header and the status line.
    for r in &rows[1..rows.len().saturating_sub(1)] {
        let text: String = r.chars().skip(divider).collect();
        for w in text.split(|c: char| !c.is_ascii_alphabetic()) {
            if w.len() >= 5 && w.len() > best.len() {
                best = w.to_ascii_lowercase();
            }
        }
    }
    if best.is_empty() {
        "veiligheidsregio".into()
    } else {
        best
    }
}

fn run_briefing(cfg: &Cfg, rate: Option<u64>, quiet: Duration) -> Option<RunResult> {
    let mut s = spawn_briefing(cfg, rate);
    let position = format!("1/{}", cfg.entries);
    let first = first_frame(&s, quiet, |sc| last_row(sc).ends_with(&position))?;
    let mut r = RunResult::default();
    let push = |r: &mut RunResult, name: &str, m: Measure| r.actions.push((name.to_string(), m));
    push(&mut r, FIRST, first);
    // Theme list focused (the default): next theme.
    let m = measure(&mut s, b"j", quiet);
    push(&mut r, "next theme (j, list focused)", m);
    for _ in 1..cfg.scroll_entry {
        step(&mut s, b"j", quiet);
    }
    step(&mut s, b"l", quiet);
    if cfg.scroll_max > 0 {
        let m = measure(&mut s, b"j", quiet);
        push(&mut r, "scroll a line (j, text focused)", m);
        let m = measure(&mut s, b" ", quiet);
        push(&mut r, "page down (Space)", m);
    }
    // Search for a word on screen: `/`, the word, Enter.
    let word = word_on_screen(&s.screen());
    let mut seq = measure(&mut s, b"/", quiet);
    let mut last_char = Measure::default();
    let mut slowest = seq;
    for c in word.bytes() {
        last_char = measure(&mut s, &[c], quiet);
        seq.add(&last_char);
        if last_char.ms > slowest.ms {
            slowest = last_char;
        }
    }
    let enter = measure(&mut s, b"\r", quiet);
    seq.add(&enter);
    push(&mut r, "search: / + word + Enter (sum)", seq);
    r.word = word;
    push(&mut r, "search: last typed char", last_char);
    push(&mut r, "search: slowest keystroke (by latency)", slowest);
    push(&mut r, "search: Enter", enter);
    let m = measure(&mut s, b"?", quiet);
    push(&mut r, "open help (?)", m);
    let m = measure(&mut s, b"\x1b", quiet);
    push(&mut r, "close help (Esc)", m);
    r.rss_kib = proc::peak_rss_kib(s.pid()).unwrap_or(0);
    s.try_quit(b"q", Duration::from_secs(5));
    Some(r)
}

fn less_ready(sc: &vt100::Screen) -> bool {
    !last_row(sc).is_empty()
}

fn run_less(cfg: &Cfg, rate: Option<u64>, quiet: Duration) -> Option<RunResult> {
    let mut s = spawn_less(cfg, rate);
    let first = first_frame(&s, quiet, less_ready)?;
    let mut r = RunResult::default();
    r.actions.push((FIRST.into(), first));
    let m = measure(&mut s, b"j", quiet);
    r.actions.push(("scroll a line (j)".into(), m));
    let m = measure(&mut s, b" ", quiet);
    r.actions.push(("page down (Space)".into(), m));
    r.rss_kib = proc::peak_rss_kib(s.pid()).unwrap_or(0);
    s.try_quit(b"q", Duration::from_secs(5));
    Some(r)
}

// ---------------------------------------------------------------------------
// medians and tables

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Medians over runs.
struct Summary {
    runs: usize,
    /// In first-run order.
    actions: Vec<(String, Measure)>,
    rss_kib: f64,
    /// The word searched for (first run).
    word: String,
}

impl Summary {
    fn get(&self, prefix: &str) -> Option<&Measure> {
        self.actions
            .iter()
            .find(|a| a.0.starts_with(prefix))
            .map(|a| &a.1)
    }
}

fn summarize(results: &[RunResult]) -> Option<Summary> {
    let first = results.first()?;
    let actions = first
        .actions
        .iter()
        .map(|(name, _)| {
            let all: Vec<Measure> = results
                .iter()
                .filter_map(|r| r.actions.iter().find(|(n, _)| n == name).map(|(_, m)| *m))
                .collect();
            (name.clone(), Measure::median(&all))
        })
        .collect();
    Some(Summary {
        runs: results.len(),
        actions,
        rss_kib: median(results.iter().map(|r| r.rss_kib as f64).collect()),
        word: first.word.clone(),
    })
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 && a.is_finite() {
        format!("{:.2}", a / b)
    } else {
        "–".into()
    }
}

struct Idle {
    /// (schedstat ns, tick-based ns).
    briefing: Option<(u64, u64)>,
    less: Option<(u64, u64)>,
    /// Bytes each wrote while idle.
    bytes: (usize, usize),
}

/// All configurations' browsers and lesses idle together for `secs`.
fn idle_phase(cfgs: &[Cfg], secs: u64, settle: Duration, quiet: Duration) -> Vec<Idle> {
    let mut sessions: Vec<(Session, Session)> = Vec::new();
    for cfg in cfgs {
        let b = spawn_briefing(cfg, None);
        let position = format!("1/{}", cfg.entries);
        let _ = first_frame(&b, quiet, |sc| last_row(sc).ends_with(&position));
        let l = spawn_less(cfg, None);
        let _ = first_frame(&l, quiet, less_ready);
        sessions.push((b, l));
    }
    // Let start-up work (threads, watchers) finish before the window opens.
    std::thread::sleep(settle);
    let marks: Vec<_> = sessions.iter().map(|(b, l)| (b.mark(), l.mark())).collect();
    let start: Vec<_> = sessions
        .iter()
        .map(|(b, l)| (cpu_ns(b.pid()), cpu_ns(l.pid())))
        .collect();
    eprintln!(
        "idle for {secs} s ({} processes together)...",
        2 * sessions.len()
    );
    std::thread::sleep(Duration::from_secs(secs));
    let mut out = Vec::new();
    for (((b, l), (b0, l0)), (mb, ml)) in sessions.iter().zip(start).zip(marks) {
        let d = |a: Option<(u64, u64)>, z: Option<(u64, u64)>| match (a, z) {
            (Some((t0, s0)), Some((t1, s1))) => {
                Some((s1.saturating_sub(s0), t1.saturating_sub(t0)))
            }
            _ => None,
        };
        out.push(Idle {
            briefing: d(b0, cpu_ns(b.pid())),
            less: d(l0, cpu_ns(l.pid())),
            bytes: (b.mark() - mb, l.mark() - ml),
        });
    }
    for (mut b, mut l) in sessions {
        b.try_quit(b"q", Duration::from_secs(5));
        l.try_quit(b"q", Duration::from_secs(5));
    }
    out
}

/// CPU time so far: (schedstat ns, clock-tick ns).
fn cpu_ns(pid: u32) -> Option<(u64, u64)> {
    let ticks = proc::cpu_ticks(pid)? * 1_000_000_000 / proc::clock_ticks_per_second();
    Some((ticks, proc::cpu_ns(pid)?))
}

fn fmt_idle(v: Option<(u64, u64)>) -> String {
    match v {
        Some((sched, ticks)) => format!(
            "{:.2} ms (ticks: {} ms)",
            sched as f64 / 1e6,
            ticks / 1_000_000
        ),
        None => "–".into(),
    }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let n = std::thread::available_parallelism().map_or(0, |n| n.get());
    let less = Command::new("less")
        .arg("--version")
        .output()
        .ok()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_string()
        })
        .unwrap_or_default();
    format!("{cpu}, {n} CPUs; {less}")
}

/// The 1-, 5- and 15-minute load averages: other work on the machine skews
/// the timings (not the bytes).
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn print_config(cfg: &Cfg, b: &Summary, l: Option<&Summary>, idle: Option<&Idle>, idle_secs: u64) {
    println!(
        "## {} ({} themes, {} bytes; scrolling in entry {}, {} lines past a page; {} runs)\n",
        cfg.name(),
        cfg.entries,
        cfg.file_bytes,
        cfg.scroll_entry + 1,
        cfg.scroll_max,
        b.runs
    );
    if cfg.scroll_max == 0 {
        println!("(No theme is longer than a page at this size: no scroll measurements.)\n");
    }
    println!(
        "Search word: \"{}\" (the longest word in the text panel).\n",
        b.word
    );
    println!("| action | bytes | floor | actual/floor | floor without bridging | latency ms |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, m) in &b.actions {
        println!(
            "| {name} | {:.0} | {:.0} | {} | {:.0} | {:.1} |",
            m.bytes,
            m.floor,
            ratio(m.bytes, m.floor),
            m.floor_nb,
            m.ms
        );
    }
    println!();
    println!("Where the bytes go, actual (floor): text / blanks / cursor moves / SGR / other:\n");
    println!("| action | text | blanks | moves | SGR | other |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, m) in &b.actions {
        let cells: Vec<String> = (0..5)
            .map(|i| format!("{:.0} ({:.0})", m.actual[i], m.fparts[i]))
            .collect();
        println!("| {name} | {} |", cells.join(" | "));
    }
    println!();
    println!(
        "Peak RSS (VmHWM before q): {:.1} MB ({:.2}x the report file). Idle CPU over {idle_secs} s: {}, {} bytes written.\n",
        b.rss_kib / 1024.0,
        b.rss_kib * 1024.0 / cfg.file_bytes as f64,
        fmt_idle(idle.and_then(|x| x.briefing)),
        idle.map_or(0, |x| x.bytes.0)
    );
    let Some(l) = l else { return };
    println!(
        "less on `briefing --plain --width {}` ({} bytes of text), same terminal:\n",
        cfg.cols,
        std::fs::metadata(&cfg.plain).map_or(0, |m| m.len())
    );
    println!("| | briefing | less | briefing/less |");
    println!("|---|---:|---:|---:|");
    if let (Some(x), Some(y)) = (b.get(FIRST), l.get(FIRST)) {
        println!(
            "| first paint ms | {:.1} | {:.1} | {} |",
            x.ms,
            y.ms,
            ratio(x.ms, y.ms)
        );
        println!(
            "| first paint bytes | {:.0} | {:.0} | {} |",
            x.bytes,
            y.bytes,
            ratio(x.bytes, y.bytes)
        );
    }
    for (label, key) in [("line scroll", "scroll a line"), ("page down", "page down")] {
        if let (Some(x), Some(y)) = (b.get(key), l.get(key)) {
            println!(
                "| {label} bytes | {:.0} | {:.0} | {} |",
                x.bytes,
                y.bytes,
                ratio(x.bytes, y.bytes)
            );
            println!(
                "| {label} floor (cells) | {:.0} | {:.0} | |",
                x.floor, y.floor
            );
        }
    }
    println!(
        "| peak RSS MB | {:.1} | {:.1} | {} |",
        b.rss_kib / 1024.0,
        l.rss_kib / 1024.0,
        ratio(b.rss_kib, l.rss_kib)
    );
    println!(
        "| idle CPU, {idle_secs} s | {} | {} | |",
        fmt_idle(idle.and_then(|x| x.briefing)),
        fmt_idle(idle.and_then(|x| x.less))
    );
    println!();
}

fn main() {
    let o = parse_opts();
    let load_before = loadavg();
    let cfgs = configs(&o);
    let mut briefing: BTreeMap<usize, Summary> = BTreeMap::new();
    let mut less: BTreeMap<usize, Summary> = BTreeMap::new();
    for (i, cfg) in cfgs.iter().enumerate() {
        eprintln!("{}: {} runs of briefing and less...", cfg.name(), o.runs);
        let cold = first_open(cfg, None, o.quiet);
        let b: Vec<RunResult> = (0..o.runs)
            .filter_map(|_| run_briefing(cfg, None, o.quiet))
            .collect();
        let l: Vec<RunResult> = (0..o.runs)
            .filter_map(|_| run_less(cfg, None, o.quiet))
            .collect();
        if let Some(mut s) = summarize(&b) {
            if let Some(m) = cold {
                s.actions.insert(1, (COLD.to_string(), m));
            }
            briefing.insert(i, s);
        }
        if let Some(s) = summarize(&l) {
            less.insert(i, s);
        }
    }
    let idle = if o.idle_secs > 0 {
        idle_phase(&cfgs, o.idle_secs, o.idle_settle, o.quiet)
    } else {
        Vec::new()
    };

    println!("# briefing on the wire\n");
    println!(
        "Machine: {}; load average {load_before} before, {} after. Medians of {} runs; \
         quiescence window {} ms.\n",
        machine(),
        loadavg(),
        o.runs,
        o.quiet.as_millis()
    );
    for (i, cfg) in cfgs.iter().enumerate() {
        match briefing.get(&i) {
            Some(b) => print_config(cfg, b, less.get(&i), idle.get(i), o.idle_secs),
            None => println!("## {}: no successful run\n", cfg.name()),
        }
    }

    for &rate in &o.throttle {
        println!(
            "## Throttled link: {rate} bytes/s ({} run(s), medians)\n",
            o.throttle_runs
        );
        println!(
            "Time from the key (first frame: from spawn) until the relay has delivered the last byte of the result, ms (bytes).\n"
        );
        let mut header = String::from("| action |");
        let mut sep = String::from("|---|");
        for cfg in &cfgs {
            header += &format!(" {} |", cfg.name());
            sep += "---:|";
        }
        println!("{header}\n{sep}");
        let mut rows: Vec<(String, Vec<String>)> = Vec::new();
        let add =
            |rows: &mut Vec<(String, Vec<String>)>, name: String, col: usize, cell: String| {
                let row = match rows.iter().position(|r| r.0 == name) {
                    Some(p) => p,
                    None => {
                        rows.push((name, vec!["–".into(); cfgs.len()]));
                        rows.len() - 1
                    }
                };
                rows[row].1[col] = cell;
            };
        for (c, cfg) in cfgs.iter().enumerate() {
            eprintln!("{} at {rate} B/s...", cfg.name());
            // A returning reader, as in the unthrottled runs.
            let _ = first_open(cfg, None, o.quiet);
            let b: Vec<RunResult> = (0..o.throttle_runs)
                .filter_map(|_| run_briefing(cfg, Some(rate), o.quiet))
                .collect();
            let l: Vec<RunResult> = (0..o.throttle_runs)
                .filter_map(|_| run_less(cfg, Some(rate), o.quiet))
                .collect();
            for (who, s) in [("briefing", summarize(&b)), ("less", summarize(&l))] {
                let Some(s) = s else { continue };
                for (name, m) in &s.actions {
                    add(
                        &mut rows,
                        format!("{who}: {name}"),
                        c,
                        format!("{:.0} ({:.0})", m.ms, m.bytes),
                    );
                }
            }
        }
        for (name, cells) in rows {
            println!("| {name} | {} |", cells.join(" | "));
        }
        println!();
    }
}
