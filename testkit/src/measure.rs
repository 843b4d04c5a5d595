//! What the benchmark programs share: the options every bench takes,
//! statistics over runs, CPU, wake-up and memory readings of a process, the
//! environment block printed once, and markdown tables with one line per
//! measurement, so runs before and after a change compare line by line.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::proc;

// ---------------------------------------------------------------------------
// options

/// The options cargo itself passes to a bench program (flatten into a bench's clap struct).
#[derive(clap::Args, Debug, Clone)]
pub struct Harness {
    /// Passed by `cargo bench`; without it (as under `cargo test --benches`)
    /// the bench runs a quick smoke test instead of measuring.
    #[arg(long)]
    pub bench: bool,
    /// Benchmark filters cargo passes on (ignored: each bench runs as a whole).
    #[arg(hide = true)]
    pub filters: Vec<String>,
}

impl Harness {
    /// Whether this is a smoke test (no `--bench`): one quick run, small inputs.
    pub fn smoke(&self) -> bool {
        !self.bench
    }
}

// ---------------------------------------------------------------------------
// statistics

/// Median, spread and 90th percentile of a set of values.
#[derive(Clone, Copy, Debug)]
pub struct Stats {
    /// Number of values.
    pub n: usize,
    /// The median (mean of the middle two for an even count).
    pub median: f64,
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
    /// The 90th percentile (nearest rank).
    pub p90: f64,
}

impl Stats {
    /// The statistics of `values` (all NaN when empty).
    pub fn of(values: &[f64]) -> Stats {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        Stats {
            n: v.len(),
            median: median_sorted(&v),
            min: v.first().copied().unwrap_or(f64::NAN),
            max: v.last().copied().unwrap_or(f64::NAN),
            p90: percentile_sorted(&v, 90.0),
        }
    }
}

fn median_sorted(v: &[f64]) -> f64 {
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

// Nearest rank: the smallest value with at least p% of the values at or
// below it, so a p90 of ten values is the ninth, never an interpolation.
fn percentile_sorted(v: &[f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

/// The median of `values` (NaN when empty).
pub fn median(values: &[f64]) -> f64 {
    Stats::of(values).median
}

/// The `p`th percentile of `values` by nearest rank (NaN when empty).
pub fn percentile(values: &[f64], p: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    percentile_sorted(&v, p)
}

/// A duration in milliseconds.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

// ---------------------------------------------------------------------------
// CPU and wake-ups

/// CPU time of a process so far, by two clocks.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cpu {
    /// Exact: the sum of /proc/PID/task/*/schedstat run times, ns.
    pub sched_ns: u64,
    /// utime + stime from /proc/PID/stat, at clock-tick resolution, in ns.
    pub tick_ns: u64,
    /// Voluntary context switches over all threads (one per wake-up when idle).
    pub wakeups: u64,
}

impl Cpu {
    /// Reads `pid`'s CPU time and wake-ups now (None once it is gone).
    pub fn read(pid: u32) -> Option<Cpu> {
        let ticks = proc::cpu_ticks(pid)?;
        Some(Cpu {
            sched_ns: proc::cpu_ns(pid)?,
            tick_ns: ticks * 1_000_000_000 / proc::clock_ticks_per_second(),
            wakeups: proc::context_switches(pid).map_or(0, |c| c.0),
        })
    }

    /// What was used between `earlier` and this reading.
    pub fn since(self, earlier: Cpu) -> Cpu {
        Cpu {
            sched_ns: self.sched_ns.saturating_sub(earlier.sched_ns),
            tick_ns: self.tick_ns.saturating_sub(earlier.tick_ns),
            wakeups: self.wakeups.saturating_sub(earlier.wakeups),
        }
    }
}

// ---------------------------------------------------------------------------
// memory

/// Samples a process's memory (VmRSS and VmHWM) on a thread while a script
/// drives it, attributing each sample to the phase the script is in, so a
/// table can say where the peak happens.
pub struct MemWatch {
    shared: Arc<Mutex<MemInner>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

struct MemInner {
    phase: &'static str,
    /// (phase, largest VmRSS sampled in it, KiB), in the order phases began.
    peaks: Vec<(&'static str, u64)>,
    /// The last VmHWM read (it only grows while the process lives).
    hwm: u64,
    samples: usize,
}

/// What a [`MemWatch`] saw.
#[derive(Clone, Debug, Default)]
pub struct MemReport {
    /// (phase, largest VmRSS sampled in it, KiB), in the order phases began.
    pub peaks: Vec<(&'static str, u64)>,
    /// The last VmHWM read before the process's memory went away, KiB:
    /// the peak over its whole life, its exit included (up to the last sample).
    pub hwm_at_exit: u64,
    /// How many samples were taken.
    pub samples: usize,
}

impl MemReport {
    /// The phase with the largest sampled VmRSS, and that VmRSS in KiB.
    pub fn peak_phase(&self) -> Option<(&'static str, u64)> {
        // The first phase that reaches the maximum: where the peak happened.
        let max = self.peaks.iter().map(|p| p.1).max()?;
        self.peaks.iter().find(|p| p.1 == max).copied()
    }
}

impl MemWatch {
    /// Starts sampling `pid`, running `program`, every `every` in phase `phase`.
    pub fn start(pid: u32, program: &str, every: Duration, phase: &'static str) -> MemWatch {
        // /proc/PID/comm: the program's file name, cut to 15 bytes.
        let comm: String = Path::new(program)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
            .chars()
            .take(15)
            .collect();
        let shared = Arc::new(Mutex::new(MemInner {
            phase,
            peaks: vec![(phase, 0)],
            hwm: 0,
            samples: 0,
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (shared, stop) = (Arc::clone(&shared), Arc::clone(&stop));
            std::thread::Builder::new()
                .name(format!("mem-watch-{pid}"))
                .spawn(move || {
                    let mut seen = false;
                    while !stop.load(Ordering::Relaxed) {
                        // Only the program itself counts: not the forked
                        // child before its exec (a copy of the bench, with
                        // the bench's memory), nor whatever reuses the pid
                        // (a thread id counts too) once it is gone.
                        let now = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok();
                        if now.as_deref().map(str::trim_end) != Some(comm.as_str()) {
                            if seen || now.is_none() {
                                break;
                            }
                            std::thread::sleep(Duration::from_micros(200));
                            continue;
                        }
                        seen = true;
                        // Both lines from one read of the file: a consistent pair.
                        let status = std::fs::read_to_string(format!("/proc/{pid}/status"));
                        let (rss, hwm) = match &status {
                            Ok(s) => (kib_line(s, "VmRSS"), kib_line(s, "VmHWM")),
                            Err(_) => (None, None),
                        };
                        let (Some(rss), Some(hwm)) = (rss, hwm) else {
                            // Gone, or a zombie whose memory is released:
                            // nothing more to read (and the pid may be reused).
                            break;
                        };
                        {
                            let mut m = shared.lock().unwrap_or_else(|e| e.into_inner());
                            m.hwm = m.hwm.max(hwm);
                            m.samples += 1;
                            let phase = m.phase;
                            if let Some(p) = m.peaks.iter_mut().rev().find(|p| p.0 == phase) {
                                p.1 = p.1.max(rss);
                            }
                        }
                        std::thread::sleep(every);
                    }
                })
                .expect("spawn memory watcher")
        };
        MemWatch {
            shared,
            stop,
            thread: Some(thread),
        }
    }

    /// Enters phase `name`: later samples count towards it.
    pub fn phase(&self, name: &'static str) {
        let mut m = self.shared.lock().unwrap_or_else(|e| e.into_inner());
        m.phase = name;
        if !m.peaks.iter().any(|p| p.0 == name) {
            m.peaks.push((name, 0));
        }
    }

    /// Stops sampling (call after the process has exited, to include its
    /// exit) and returns what was seen.
    pub fn finish(mut self) -> MemReport {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let m = self.shared.lock().unwrap_or_else(|e| e.into_inner());
        MemReport {
            peaks: m.peaks.iter().copied().filter(|p| p.1 > 0).collect(),
            hwm_at_exit: m.hwm,
            samples: m.samples,
        }
    }
}

impl Drop for MemWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn kib_line(status: &str, key: &str) -> Option<u64> {
    let line = status
        .lines()
        .find(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// KiB as MB (10^6 bytes), one decimal.
pub fn mb(kib: f64) -> String {
    if kib.is_finite() && kib > 0.0 {
        format!("{:.1}", kib * 1024.0 / 1e6)
    } else {
        "–".into()
    }
}

// ---------------------------------------------------------------------------
// time

/// Waits, when a wall-clock second boundary is less than `margin` away,
/// until `after` past it; returns whether it waited. A program that redraws
/// a clock on whole seconds then draws it before the caller acts, not in
/// the middle of what the caller measures.
pub fn clear_of_second(margin: Duration, after: Duration) -> bool {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let to_next = Duration::from_secs(1) - Duration::from_nanos(now.subsec_nanos().into());
    if to_next >= margin && now.subsec_nanos() >= after.as_nanos() as u32 {
        return false;
    }
    let wait = if now.subsec_nanos() < after.as_nanos() as u32 {
        after - Duration::from_nanos(now.subsec_nanos().into())
    } else {
        to_next + after
    };
    std::thread::sleep(wait);
    true
}

// ---------------------------------------------------------------------------
// the environment

/// The 1-, 5- and 15-minute load averages: other work on a shared machine
/// skews times (never bytes).
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn first_line(program: &str, args: &[&str], dir: Option<&Path>) -> String {
    let mut c = Command::new(program);
    c.args(args);
    if let Some(d) = dir {
        c.current_dir(d);
    }
    c.output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .map(str::to_string)
        })
        .unwrap_or_else(|| "unknown".into())
}

/// The facts that make two runs comparable: (what, value) pairs for the
/// machine, kernel, OS, rustc, less, the source's commit and the load.
pub fn environment(source_dir: &Path) -> Vec<(&'static str, String)> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .unwrap_or("unknown")
        .trim()
        .to_string();
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_kib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| kib_line(&s, "MemTotal"))
        .unwrap_or(0);
    let read = |p: &str| {
        std::fs::read_to_string(p)
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let unix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    vec![
        (
            "machine",
            format!(
                "{cpu}, {cpus} CPUs, {:.1} GiB",
                mem_kib as f64 / 1024.0 / 1024.0
            ),
        ),
        (
            "kernel",
            format!(
                "{} {} {}",
                read("/proc/sys/kernel/ostype"),
                read("/proc/sys/kernel/osrelease"),
                std::env::consts::ARCH
            ),
        ),
        ("os", os),
        ("rustc", first_line("rustc", &["--version"], None)),
        ("less", first_line("less", &["--version"], None)),
        (
            "source",
            first_line(
                "git",
                &["describe", "--always", "--dirty", "--abbrev=10"],
                Some(source_dir),
            ),
        ),
        ("started", format!("{} (UTC)", utc(unix))),
        ("load average", loadavg()),
    ]
}

/// Prints [`environment`] as a markdown table.
pub fn print_environment(source_dir: &Path) {
    let mut t = Table::new(&["", ""]).text_columns(2);
    for (k, v) in environment(source_dir) {
        t.row([k.to_string(), v]);
    }
    t.print();
}

/// `unix` seconds as `YYYY-MM-DD HH:MM:SS` in UTC.
pub fn utc(unix: u64) -> String {
    let (y, m, d) = civil(unix / 86_400);
    let s = unix % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// `unix` seconds as a TOML/RFC 3339 date-time in UTC (`2026-05-01T10:07:00Z`).
pub fn rfc3339(unix: u64) -> String {
    utc(unix).replacen(' ', "T", 1) + "Z"
}

// Days since 1970-01-01 to a proleptic Gregorian (year, month, day):
// Howard Hinnant's civil_from_days, so no date crate is needed.
fn civil(days: u64) -> (i64, u32, u32) {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

// ---------------------------------------------------------------------------
// tables

/// A markdown table: the leading text columns left-aligned, the numbers
/// right-aligned, cells unpadded so that a changed number changes only its
/// own line.
pub struct Table {
    head: Vec<String>,
    text: usize,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headings.
    pub fn new(head: &[&str]) -> Table {
        Table {
            head: head.iter().map(|h| h.to_string()).collect(),
            text: 1,
            rows: Vec::new(),
        }
    }

    /// Left-aligns the first `n` columns (default 1): they hold words.
    pub fn text_columns(mut self, n: usize) -> Table {
        self.text = n;
        self
    }

    /// Appends a row (missing cells print as `–`).
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// Whether no row was added.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as markdown, ending in a blank line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let line = |cells: &[String]| format!("| {} |", cells.join(" | "));
        let _ = writeln!(out, "{}", line(&self.head));
        let sep: Vec<String> = (0..self.head.len())
            .map(|i| if i < self.text { "---" } else { "---:" }.to_string())
            .collect();
        let _ = writeln!(out, "|{}|", sep.join("|"));
        for r in &self.rows {
            let mut cells = r.clone();
            cells.resize(self.head.len(), "–".into());
            let _ = writeln!(out, "{}", line(&cells));
        }
        out.push('\n');
        out
    }

    /// Prints [`Table::render`] on stdout.
    pub fn print(&self) {
        print!("{}", self.render());
    }
}

/// A number with `decimals` decimals, or `–` when it is not finite.
pub fn num(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let s = format!("{v:.decimals$}");
    // A tiny negative value (a lag measured on two threads) is no "-0.0".
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => s,
    }
}

/// `a / b` with two decimals, or `–` when it is undefined.
pub fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 && a.is_finite() && b.is_finite() {
        format!("{:.2}", a / b)
    } else {
        "–".into()
    }
}

/// Elapsed wall time of a bench, for its closing line.
pub fn took(since: Instant) -> String {
    format!("{:.0} s", since.elapsed().as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics() {
        let s = Stats::of(&[5.0, 1.0, 4.0, 2.0, 3.0, 10.0, 9.0, 8.0, 7.0, 6.0]);
        assert_eq!(
            (s.n, s.median, s.min, s.max, s.p90),
            (10, 5.5, 1.0, 10.0, 9.0)
        );
        assert_eq!(percentile(&[3.0], 90.0), 3.0);
        assert!(median(&[]).is_nan());
        assert_eq!((num(-0.01, 1), num(-0.5, 1)), ("0.0".into(), "-0.5".into()));
    }

    #[test]
    fn dates() {
        assert_eq!(utc(0), "1970-01-01 00:00:00");
        assert_eq!(rfc3339(1_709_251_199), "2024-02-29T23:59:59Z");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00");
    }

    #[test]
    fn tables_fill_missing_cells() {
        let mut t = Table::new(&["a", "b", "c"]);
        t.row(["x", "1"]);
        assert_eq!(
            t.render(),
            "| a | b | c |\n|---|---:|---:|\n| x | 1 | – |\n\n"
        );
    }
}
