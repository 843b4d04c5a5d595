//! Browsing: the first frame and each everyday action, bytes against both
//! floors, beside `less` on the plain text of the same report; idle CPU of
//! every configuration; and the same actions over throttled links.

use std::path::PathBuf;
use std::time::Duration;

use briefing::action::Action;
use briefing::app::App;
use briefing::doc::Doc;
use briefing::report::Report as Source;
use briefing_testkit::measure::{Cpu, Table, num, ratio};
use briefing_testkit::{Pty, proc};

use crate::harness::{
    KEY_DEADLINE, Measure, Report, State, Workdir, at_start, first_frame, less_ready, measure,
    spawn_briefing, spawn_less, step,
};

/// One report at one terminal size.
pub struct Cfg<'a> {
    pub report: &'a Report,
    pub cols: u16,
    pub rows: u16,
    /// `briefing --plain --width <cols>` of the report, for less.
    pub plain: PathBuf,
    /// A returning reader's state: the report opened once and quit.
    primed: PathBuf,
    /// Entry to scroll in: the first from the 3rd on that can scroll at
    /// least a page (so a line then a full page both move), else the one
    /// that scrolls most from the 3rd on; its index is also the number of
    /// `j` that reach it from entry 0.
    scroll_entry: usize,
    /// Its largest scroll offset (0: no theme can scroll at this size).
    scroll_max: usize,
    /// The very first open (no saved state), measured once.
    cold: Option<Measure>,
}

impl Cfg<'_> {
    pub fn name(&self) -> String {
        format!("{} {}x{}", self.report.tag, self.cols, self.rows)
    }

    fn size(&self) -> (u16, u16) {
        (self.cols, self.rows)
    }
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

/// The configurations: each report at each size, with a returning reader's
/// state primed by a first open (whose first frame is kept).
pub fn configs<'a>(
    work: &Workdir,
    reports: &[&'a Report],
    sizes: &[(u16, u16)],
    quiet: Duration,
) -> Vec<Cfg<'a>> {
    let mut out = Vec::new();
    for report in reports {
        let source = Source::from_toml(&report.text, &report.path).expect("a valid report");
        for &(cols, rows) in sizes {
            let (scroll_entry, scroll_max) = scroll_entry(Doc::new(&source), cols, rows);
            let primed = work.fresh_state(&format!("browse-{}-{cols}x{rows}", report.tag));
            let mut s = spawn_briefing(&report.path, (cols, rows), &[], State::At(&primed), None);
            let cold = first_frame(&s, quiet, at_start(&report.position()));
            s.try_quit(b"q", Duration::from_secs(10));
            out.push(Cfg {
                report,
                cols,
                rows,
                plain: work.plain(report, cols),
                primed,
                scroll_entry,
                scroll_max,
                cold,
            });
        }
    }
    out
}

/// One run: the first frame, then the actions, in order.
#[derive(Default)]
struct Run {
    actions: Vec<(String, Measure)>,
    rss_kib: u64,
    word: String,
}

const FIRST: &str = "first frame (from spawn)";
const COLD: &str = "first open, no saved state: first frame (1 run)";

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

fn run_briefing(
    work: &Workdir,
    cfg: &Cfg,
    rate: Option<u64>,
    quiet: Duration,
    n: usize,
) -> Option<Run> {
    let state = work.copy_state(&cfg.primed, &format!("browse-run-{n}"));
    let mut s = spawn_briefing(&cfg.report.path, cfg.size(), &[], State::At(&state), rate);
    let first = first_frame(&s, quiet, at_start(&cfg.report.position()))?;
    let mut r = Run::default();
    let push = |r: &mut Run, name: &str, m: Measure| r.actions.push((name.to_string(), m));
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
    // The first letter is the widest search (and, on a large report, the
    // slowest); the slowest by latency differs from run to run, and its
    // field-wise median would mix keys.
    let mut first_char = None;
    for c in word.bytes() {
        last_char = measure(&mut s, &[c], quiet);
        seq.add(&last_char);
        first_char.get_or_insert(last_char);
    }
    let enter = measure(&mut s, b"\r", quiet);
    seq.add(&enter);
    push(&mut r, "search: / + word + Enter (sum)", seq);
    r.word = word;
    push(&mut r, "search: last typed char", last_char);
    push(
        &mut r,
        "search: first typed char",
        first_char.unwrap_or_default(),
    );
    push(&mut r, "search: Enter", enter);
    let m = measure(&mut s, b"?", quiet);
    push(&mut r, "open help (?)", m);
    let m = measure(&mut s, b"\x1b", quiet);
    push(&mut r, "close help (Esc)", m);
    r.rss_kib = proc::peak_rss_kib(s.pid()).unwrap_or(0);
    s.try_quit(b"q", Duration::from_secs(5));
    Some(r)
}

fn run_less(cfg: &Cfg, rate: Option<u64>, quiet: Duration) -> Option<Run> {
    let mut s = spawn_less(&cfg.plain, cfg.size(), rate);
    let first = first_frame(&s, quiet, less_ready)?;
    let mut r = Run::default();
    r.actions.push((FIRST.into(), first));
    let m = measure(&mut s, b"j", quiet);
    r.actions.push(("scroll a line (j)".into(), m));
    let m = measure(&mut s, b" ", quiet);
    r.actions.push(("page down (Space)".into(), m));
    r.rss_kib = proc::peak_rss_kib(s.pid()).unwrap_or(0);
    s.try_quit(b"q", Duration::from_secs(5));
    Some(r)
}

/// Medians over runs.
pub struct Summary {
    runs: usize,
    /// In first-run order.
    actions: Vec<(String, Measure)>,
    rss_kib: f64,
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

fn summarize(results: &[Run]) -> Option<Summary> {
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
    let rss: Vec<f64> = results.iter().map(|r| r.rss_kib as f64).collect();
    Some(Summary {
        runs: results.len(),
        actions,
        rss_kib: briefing_testkit::measure::median(&rss),
        word: first.word.clone(),
    })
}

/// Measures and prints one configuration.
pub fn run_config(work: &Workdir, cfg: &Cfg, runs: usize, quiet: Duration) {
    eprintln!("{}: {runs} runs of briefing and less...", cfg.name());
    let b: Vec<Run> = (0..runs)
        .filter_map(|n| run_briefing(work, cfg, None, quiet, n))
        .collect();
    let l: Vec<Run> = (0..runs)
        .filter_map(|_| run_less(cfg, None, quiet))
        .collect();
    match summarize(&b) {
        Some(mut s) => {
            if let Some(m) = cfg.cold {
                s.actions.insert(1, (COLD.to_string(), m));
            }
            print_config(cfg, &s, summarize(&l).as_ref());
        }
        None => println!("### {}: browsing: no successful run\n", cfg.name()),
    }
}

fn print_config(cfg: &Cfg, b: &Summary, l: Option<&Summary>) {
    println!(
        "### {}: browsing ({} themes, {} bytes; scrolling in entry {}, {} lines past a page; {} runs)\n",
        cfg.name(),
        cfg.report.entries,
        cfg.report.bytes(),
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
    let mut t = Table::new(&[
        "action",
        "bytes",
        "floor",
        "bytes/floor",
        "cell floor",
        "bytes/cell floor",
        "ms",
    ]);
    for (name, m) in &b.actions {
        t.row([
            name.clone(),
            num(m.bytes, 0),
            num(m.floor, 0),
            ratio(m.bytes, m.floor),
            num(m.cell_floor, 0),
            ratio(m.bytes, m.cell_floor),
            num(m.ms, 1),
        ]);
    }
    t.print();
    println!("Where the bytes go, actual (erase-aware floor):\n");
    let mut t = Table::new(&["action", "text", "blanks", "erase", "moves", "SGR", "other"]);
    for (name, m) in &b.actions {
        let mut row = vec![name.clone()];
        row.extend((0..6).map(|i| format!("{:.0} ({:.0})", m.actual[i], m.fparts[i])));
        t.row(row);
    }
    t.print();
    let Some(l) = l else { return };
    println!(
        "less on `briefing --plain --width {}` ({} bytes of text), same terminal:\n",
        cfg.cols,
        std::fs::metadata(&cfg.plain).map_or(0, |m| m.len())
    );
    let mut t = Table::new(&["", "briefing", "less", "briefing/less"]);
    if let (Some(x), Some(y)) = (b.get(FIRST), l.get(FIRST)) {
        t.row([
            "first paint ms".into(),
            num(x.ms, 1),
            num(y.ms, 1),
            ratio(x.ms, y.ms),
        ]);
        t.row([
            "first paint bytes".into(),
            num(x.bytes, 0),
            num(y.bytes, 0),
            ratio(x.bytes, y.bytes),
        ]);
    }
    for (label, key) in [("line scroll", "scroll a line"), ("page down", "page down")] {
        if let (Some(x), Some(y)) = (b.get(key), l.get(key)) {
            t.row([
                format!("{label} bytes"),
                num(x.bytes, 0),
                num(y.bytes, 0),
                ratio(x.bytes, y.bytes),
            ]);
            t.row([
                format!("{label} floor"),
                num(x.floor, 0),
                num(y.floor, 0),
                String::new(),
            ]);
        }
    }
    t.row([
        "peak RSS MB (VmHWM before q)".into(),
        briefing_testkit::measure::mb(b.rss_kib),
        briefing_testkit::measure::mb(l.rss_kib),
        ratio(b.rss_kib, l.rss_kib),
    ]);
    t.print();
}

/// The browsers and lesses of every configuration sit idle together for
/// `secs` after `settle`; prints what each used.
pub fn idle(work: &Workdir, cfgs: &[Cfg], secs: u64, settle: Duration, quiet: Duration) {
    let mut sessions: Vec<(Pty, Pty)> = Vec::new();
    for (i, cfg) in cfgs.iter().enumerate() {
        let state = work.copy_state(&cfg.primed, &format!("idle-{i}"));
        let b = spawn_briefing(&cfg.report.path, cfg.size(), &[], State::At(&state), None);
        let _ = first_frame(&b, quiet, at_start(&cfg.report.position()));
        let l = spawn_less(&cfg.plain, cfg.size(), None);
        let _ = first_frame(&l, quiet, less_ready);
        sessions.push((b, l));
    }
    // Let start-up work (threads, watchers, the first save) finish first.
    std::thread::sleep(settle);
    eprintln!(
        "idle for {secs} s ({} processes together)...",
        2 * sessions.len()
    );
    let start: Vec<_> = sessions
        .iter()
        .map(|(b, l)| (b.mark(), l.mark(), Cpu::read(b.pid()), Cpu::read(l.pid())))
        .collect();
    std::thread::sleep(Duration::from_secs(secs));
    println!("### Idle: every configuration's browser and less together, {secs} s\n");
    let mut t = Table::new(&[
        "configuration",
        "briefing CPU ms",
        "briefing CPU ms (ticks)",
        "briefing wake-ups",
        "briefing bytes",
        "less CPU ms",
        "less bytes",
    ]);
    for (((b, l), (mb, ml, cb, cl)), cfg) in sessions.iter().zip(start).zip(cfgs) {
        let used =
            |p: &Pty, c0: Option<Cpu>| Cpu::read(p.pid()).zip(c0).map(|(c1, c0)| c1.since(c0));
        let bc = used(b, cb);
        let lc = used(l, cl);
        let ms = |c: Option<Cpu>, f: fn(Cpu) -> u64| {
            c.map_or("–".into(), |c| num(f(c) as f64 / 1e6, 2))
        };
        t.row([
            cfg.name(),
            ms(bc, |c| c.sched_ns),
            ms(bc, |c| c.tick_ns),
            bc.map_or("–".into(), |c| c.wakeups.to_string()),
            (b.mark() - mb).to_string(),
            ms(lc, |c| c.sched_ns),
            (l.mark() - ml).to_string(),
        ]);
    }
    t.print();
    for (mut b, mut l) in sessions {
        b.try_quit(b"q", KEY_DEADLINE);
        l.try_quit(b"q", KEY_DEADLINE);
    }
}

/// Every action of every configuration over a link of `rate` bytes/s.
pub fn throttled(work: &Workdir, cfgs: &[Cfg], rate: u64, runs: usize, quiet: Duration) {
    // A longer quiet window: on a loaded machine the relay thread can be
    // descheduled for longer than 50 ms mid-frame, which would end an
    // action early. The time reported is still that of the last byte.
    let quiet = quiet.max(Duration::from_millis(200));
    println!("### Throttled link: {rate} bytes/s ({runs} run(s), medians)\n");
    println!(
        "Time from the key (first frame: from spawn) until the relay has delivered the last byte of the result, ms (bytes); quiescence window {} ms.\n",
        quiet.as_millis()
    );
    let mut head = vec!["action".to_string()];
    head.extend(cfgs.iter().map(Cfg::name));
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    for (c, cfg) in cfgs.iter().enumerate() {
        eprintln!("{} at {rate} B/s...", cfg.name());
        let b: Vec<Run> = (0..runs)
            .filter_map(|n| run_briefing(work, cfg, Some(rate), quiet, n))
            .collect();
        let l: Vec<Run> = (0..runs)
            .filter_map(|_| run_less(cfg, Some(rate), quiet))
            .collect();
        for (who, s) in [("briefing", summarize(&b)), ("less", summarize(&l))] {
            let Some(s) = s else { continue };
            for (name, m) in &s.actions {
                let name = format!("{who}: {name}");
                let row = match rows.iter().position(|r| r.0 == name) {
                    Some(p) => p,
                    None => {
                        rows.push((name, vec!["–".into(); cfgs.len()]));
                        rows.len() - 1
                    }
                };
                rows[row].1[c] = format!("{:.0} ({:.0})", m.ms, m.bytes);
            }
        }
    }
    let mut t = Table::new(&head);
    for (name, cells) in rows {
        let mut row = vec![name];
        row.extend(cells);
        t.row(row);
    }
    t.print();
}
