//! The live harness: what a crisis room waits for. The real release binary
//! runs in 80x24 pseudo-terminals (`tests/common`), and this measures
//!
//! 1. **reload latency**: the browser shows a theme of a scratch copy of
//!    `report.toml`; a new version is written (a) in place (`std::fs::write`:
//!    same inode, truncate + write) or (b) saved by rename (a temporary file
//!    in the same directory, no fsync, renamed over the report). Time from
//!    just before the write until the screen shows the new text.
//! 2. **follower lag**: a presenter (`--present --share room.pos`) and a
//!    follower (`--follow room.pos`) in two ptys. A key is sent to the
//!    presenter; the time until the presenter's own screen shows the new
//!    position, and until the follower's screen does. Two cases:
//!    * Space advances a slide (theme 1 → 2; the follower browses, so it
//!      shows the theme change); Backspace goes back, unmeasured;
//!    * Space reveals a point (theme 3, point 0 → 1; the follower presents
//!      too, `--present --follow`, so it shows the revealed point); Left hides
//!      it again, unmeasured.
//!
//!    Lag = follower − presenter, per run.
//! 3. **idle CPU while presenting**: a presenter (`--present --share`) and a
//!    follower sit idle for `--idle-secs`: CPU time as utime+stime from
//!    `/proc/<pid>/stat` (clock ticks, converted with `sysconf(_SC_CLK_TCK)`)
//!    and as the sum of `/proc/<pid>/task/*/schedstat` run time (ns, finer),
//!    plus every byte written to the terminal in the window (the presenter's
//!    clock updates once a second).
//!
//! Run: `cargo bench --bench live [-- OPTIONS]` (about half a minute):
//!   --runs N        measured runs per case, median/min/max reported (default 15)
//!   --idle-secs N   idle window for the CPU measurement (default 10; 0: skip)
//!
//! Every scenario runs in its own scratch directory (the cwd, with its own
//! `XDG_STATE_HOME`), removed afterwards. Timing: an `Instant` just before
//! the write (or key), and one when the harness's condvar wait sees the
//! predicate hold; the wait re-checks on every chunk of output, so the end
//! time is the arrival of the chunk that completed the expected text. Waits
//! for the follower run in a thread that owns the follower's pty, so the
//! follower's time is taken when its output arrives, not after the wait for
//! the presenter has returned. Between runs a pause (and quiescence) lets the
//! program's 30 ms settle window and any trailing file events pass, so runs
//! do not overlap. Results go to stdout as markdown; progress to stderr.
//!
//! Timeouts are generous (30 s per wait); a timeout panics with the screen,
//! the raw output tail and the program's status (see `tests/common`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use briefing_testkit::{Pty, bin, proc};

/// Terminal size for every program.
const COLS: u16 = 80;
const ROWS: u16 = 24;
/// Deadline for every wait (a slow, shared machine is not a failure).
const TIMEOUT: Duration = Duration::from_secs(30);
/// Pause between runs: longer than the program's 30 ms settle window plus
/// inotify delivery, so a run's trailing events cannot leak into the next.
const BETWEEN: Duration = Duration::from_millis(150);
/// The report's seven themes; the body of "Consequenties" is replaced.
const THEMES: usize = 7;
const CONSEQUENTIES_BODY: &str = "Het rapport zal waar mogelijk bijdragen aan de verdere professionalisering van veiligheidsregio’s\nbij acute, maar zeker ook bij meer chronische crises.";

// ---------------------------------------------------------------------------
// options

struct Opts {
    runs: usize,
    idle_secs: u64,
}

fn usage() -> &'static str {
    "usage: cargo bench --bench live [-- --runs N] [--idle-secs N]\n\
     \x20 --runs N        measured runs per case (default 15)\n\
     \x20 --idle-secs N   idle window for the CPU measurement (default 10; 0 skips it)"
}

fn parse_args() -> Opts {
    let mut opts = Opts {
        runs: 15,
        idle_secs: 10,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |what: &str| -> u64 {
            let v = inline.clone().or_else(|| args.next()).unwrap_or_else(|| {
                eprintln!("{what} needs a value\n{}", usage());
                std::process::exit(2)
            });
            v.parse().unwrap_or_else(|_| {
                eprintln!("{what}: not a number: {v:?}\n{}", usage());
                std::process::exit(2)
            })
        };
        match name.as_str() {
            // Cargo passes --bench to every bench target.
            "--bench" => {}
            "--runs" => {
                opts.runs = usize::try_from(value("--runs")).unwrap_or(usize::MAX);
                if opts.runs == 0 {
                    eprintln!("--runs must be at least 1");
                    std::process::exit(2);
                }
            }
            "--idle-secs" => opts.idle_secs = value("--idle-secs"),
            "-h" | "--help" => {
                println!("{}", usage());
                std::process::exit(0);
            }
            other => eprintln!("live bench: ignoring argument {other:?}"),
        }
    }
    opts
}

// ---------------------------------------------------------------------------
// scratch directories

/// A scratch directory: the program's cwd and the report's home, with its
/// own `XDG_STATE_HOME` in `state/`. Removed on drop.
struct Fixture {
    dir: PathBuf,
    state: PathBuf,
}

impl Fixture {
    fn new(name: &str) -> Fixture {
        let dir =
            std::env::temp_dir().join(format!("briefing-livebench-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("state")).expect("create scratch dir");
        let dir = dir.canonicalize().expect("canonical scratch dir");
        let text =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("report.toml"))
                .expect("read report.toml");
        assert!(
            text.contains(CONSEQUENTIES_BODY),
            "report.toml no longer has the Consequenties body this bench edits"
        );
        std::fs::write(dir.join("report.toml"), text).expect("copy report.toml");
        Fixture {
            state: dir.join("state"),
            dir,
        }
    }

    fn report(&self) -> PathBuf {
        self.dir.join("report.toml")
    }

    fn spawn(&self, args: &[&str]) -> Pty {
        let state = self.state.to_str().expect("utf-8 scratch path");
        Pty::spawn_with(
            bin!(),
            args,
            COLS,
            ROWS,
            &[("XDG_STATE_HOME", state)],
            Some(&self.dir),
        )
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

// ---------------------------------------------------------------------------
// reading the screen

fn row(s: &vt100::Screen, r: u16) -> String {
    let (_, cols) = s.size();
    let text = s
        .rows(0, cols.get())
        .nth(usize::from(r))
        .unwrap_or_default();
    briefing_testkit::bytes::trim_blanks(&text).to_string()
}

/// The last row: status line in the browser, footer when presenting.
fn status(s: &vt100::Screen) -> String {
    let (rows, _) = s.size();
    row(s, rows.get() - 1)
}

/// The browser's status line ends with the position "i/n".
fn browser_at(s: &vt100::Screen, i: usize) -> bool {
    status(s).ends_with(&format!(" {i}/{THEMES}"))
}

/// The presentation footer starts with `left` ("thema 3/7  punt 1/5"),
/// followed by the clocks (or nothing else).
fn footer_is(s: &vt100::Screen, left: &str) -> bool {
    let f = status(s);
    f.strip_prefix(left)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with("  "))
}

/// The follower (browsing) is attached and at theme `i`.
fn following_at(s: &vt100::Screen, i: usize) -> bool {
    let st = status(s);
    st.contains("volgen ●") && st.ends_with(&format!(" {i}/{THEMES}"))
}

fn wait(p: &Pty, what: &str, pred: impl Fn(&vt100::Screen) -> bool) {
    p.wait_for(what, TIMEOUT, pred);
}

/// Waits until the output has been quiet for `quiet`.
fn settle(p: &Pty, quiet: Duration) {
    p.settle(quiet, TIMEOUT);
}

// ---------------------------------------------------------------------------
// statistics

#[derive(Default)]
struct Samples {
    ms: Vec<f64>,
}

impl Samples {
    fn push(&mut self, d: Duration) {
        self.ms.push(d.as_secs_f64() * 1000.0);
    }

    fn push_ms(&mut self, ms: f64) {
        self.ms.push(ms);
    }

    fn sorted(&self) -> Vec<f64> {
        let mut v = self.ms.clone();
        v.sort_by(f64::total_cmp);
        v
    }

    fn median(&self) -> f64 {
        let v = self.sorted();
        match v.len() {
            0 => f64::NAN,
            n if n % 2 == 1 => v[n / 2],
            n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
        }
    }

    fn min(&self) -> f64 {
        self.sorted().first().copied().unwrap_or(f64::NAN)
    }

    fn max(&self) -> f64 {
        self.sorted().last().copied().unwrap_or(f64::NAN)
    }
}

// ---------------------------------------------------------------------------
// 1. reload latency

#[derive(Clone, Copy)]
enum Save {
    InPlace,
    Rename,
}

impl Save {
    fn name(self) -> &'static str {
        match self {
            Save::InPlace => "in place",
            Save::Rename => "rename",
        }
    }

    fn write(self, path: &Path, text: &str, n: usize) {
        match self {
            Save::InPlace => std::fs::write(path, text)
                .unwrap_or_else(|e| panic!("write {}: {e}", path.display())),
            Save::Rename => {
                let tmp = path.with_file_name(format!(".report.toml.livebench-{n}.tmp"));
                std::fs::write(&tmp, text)
                    .unwrap_or_else(|e| panic!("write {}: {e}", tmp.display()));
                std::fs::rename(&tmp, path)
                    .unwrap_or_else(|e| panic!("rename over {}: {e}", path.display()));
            }
        }
    }
}

fn reload(save: Save, runs: usize) -> Samples {
    let fx = Fixture::new(match save {
        Save::InPlace => "inplace",
        Save::Rename => "rename",
    });
    let original = std::fs::read_to_string(fx.report()).expect("read scratch report");
    let mut p = fx.spawn(&["report.toml"]);
    wait(&p, "first frame (status ends with 1/7)", |s| {
        browser_at(s, 1)
    });

    // Select "Consequenties" (theme 6) with j.
    for k in 2..=6 {
        p.key("j");
        wait(&p, &format!("theme {k}/7"), |s| browser_at(s, k));
    }
    wait(&p, "Consequenties shown", |s| {
        browser_at(s, 6) && s.contents().contains("Consequenties")
    });
    settle(&p, BETWEEN);

    let mut samples = Samples::default();
    for i in 0..runs {
        // Short enough for one row of the 52-column text panel, and new each run.
        let token = format!("Meting {} nummer {i}: nieuwe tekst.", save.name());
        let text = original.replacen(CONSEQUENTIES_BODY, &token, 1);
        let t0 = Instant::now();
        save.write(&fx.report(), &text, i);
        wait(&p, &format!("reloaded text {token:?}"), |s| {
            s.contents().contains(&token)
        });
        samples.push(t0.elapsed());
        // Let trailing events (close-write, the settle window) pass.
        settle(&p, BETWEEN);
    }
    p.key("q");
    let _ = p.wait_exit(TIMEOUT);
    samples
}

// ---------------------------------------------------------------------------
// 2. follower lag

type Pred = Box<dyn Fn(&vt100::Screen) -> bool + Send>;

/// A follower's pty owned by a thread that waits for one predicate at a
/// time and reports when it held, so its time is taken as its output
/// arrives, while the main thread waits for the presenter.
struct Watched {
    jobs: Option<mpsc::Sender<(String, Pred)>>,
    done: mpsc::Receiver<Instant>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watched {
    fn new(pty: Pty) -> Watched {
        let (jobs, rx) = mpsc::channel::<(String, Pred)>();
        let (tx, done) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("follower-waiter".into())
            .spawn(move || {
                let mut pty = pty;
                for (what, pred) in rx {
                    pty.wait_for(&what, TIMEOUT, pred);
                    if tx.send(Instant::now()).is_err() {
                        break;
                    }
                }
                pty.key("q");
                let _ = pty.wait_exit(TIMEOUT);
            })
            .expect("spawn follower waiter");
        Watched {
            jobs: Some(jobs),
            done,
            thread: Some(thread),
        }
    }

    /// Starts waiting for `pred` on the follower.
    fn expect(&self, what: &str, pred: impl Fn(&vt100::Screen) -> bool + Send + 'static) {
        self.jobs
            .as_ref()
            .expect("follower waiter running")
            .send((what.to_string(), Box::new(pred)))
            .expect("follower waiter died (see its report above)");
    }

    /// When the awaited predicate held.
    fn reached(&self) -> Instant {
        self.done
            .recv()
            .expect("follower waiter died: timed out (see its report above)")
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        self.jobs = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Lag {
    presenter: Samples,
    follower: Samples,
    lag: Samples,
}

/// One measured key: sent to the presenter at t0; the presenter's and the
/// follower's predicates; records all three numbers.
fn measure_key(
    presenter: &mut Pty,
    follower: &Watched,
    key: &str,
    what: &str,
    on_presenter: impl Fn(&vt100::Screen) -> bool,
    on_follower: impl Fn(&vt100::Screen) -> bool + Send + 'static,
    out: Option<&mut Lag>,
) {
    follower.expect(&format!("follower: {what}"), on_follower);
    let t0 = Instant::now();
    presenter.key(key);
    wait(presenter, &format!("presenter: {what}"), on_presenter);
    let tp = Instant::now();
    let tf = follower.reached();
    if let Some(out) = out {
        out.presenter.push(tp - t0);
        out.follower.push(tf.saturating_duration_since(t0));
        out.lag.push_ms(
            (tf.saturating_duration_since(t0).as_secs_f64() - (tp - t0).as_secs_f64()) * 1000.0,
        );
    }
}

fn new_lag() -> Lag {
    Lag {
        presenter: Samples::default(),
        follower: Samples::default(),
        lag: Samples::default(),
    }
}

/// Space advances theme 1 → 2 on the presenter; a browsing follower shows it.
fn follow_advance(runs: usize) -> Lag {
    let fx = Fixture::new("advance");
    let mut presenter = fx.spawn(&["--present", "--share", "room.pos", "report.toml"]);
    wait(&presenter, "presenter slide 1", |s| {
        footer_is(s, "thema 1/7")
    });
    let follower = fx.spawn(&["--follow", "room.pos", "report.toml"]);
    wait(&follower, "follower attached at 1/7", |s| {
        following_at(s, 1)
    });
    let follower = Watched::new(follower);

    let mut out = new_lag();
    for _ in 0..runs {
        std::thread::sleep(BETWEEN);
        measure_key(
            &mut presenter,
            &follower,
            "Space",
            "theme 2/7",
            |s| footer_is(s, "thema 2/7"),
            |s| following_at(s, 2),
            Some(&mut out),
        );
        std::thread::sleep(BETWEEN);
        measure_key(
            &mut presenter,
            &follower,
            "Backspace",
            "back at theme 1/7",
            |s| footer_is(s, "thema 1/7"),
            |s| following_at(s, 1),
            None,
        );
    }
    drop(follower);
    presenter.key("q");
    let _ = presenter.wait_exit(TIMEOUT);
    out
}

/// Space reveals point 1 of theme 3 on the presenter; a presenting follower shows it.
fn follow_reveal(runs: usize) -> Lag {
    let fx = Fixture::new("reveal");
    let mut presenter = fx.spawn(&["--present", "--share", "room.pos", "report.toml"]);
    wait(&presenter, "presenter slide 1", |s| {
        footer_is(s, "thema 1/7")
    });
    presenter.key("3");
    wait(&presenter, "typed 3", |s| status(s).contains("→ 3"));
    presenter.key("Enter");
    wait(&presenter, "presenter slide 3", |s| {
        footer_is(s, "thema 3/7  punt 0/5")
    });
    let follower = fx.spawn(&["--present", "--follow", "room.pos", "report.toml"]);
    wait(&follower, "presenting follower at slide 3", |s| {
        footer_is(s, "thema 3/7  punt 0/5")
    });
    let follower = Watched::new(follower);

    let mut out = new_lag();
    for _ in 0..runs {
        std::thread::sleep(BETWEEN);
        measure_key(
            &mut presenter,
            &follower,
            "Space",
            "point 1/5 revealed",
            |s| footer_is(s, "thema 3/7  punt 1/5"),
            |s| footer_is(s, "thema 3/7  punt 1/5") && s.contents().contains("• Sinds het begin"),
            Some(&mut out),
        );
        std::thread::sleep(BETWEEN);
        measure_key(
            &mut presenter,
            &follower,
            "Left",
            "point 1 hidden again",
            |s| footer_is(s, "thema 3/7  punt 0/5"),
            |s| footer_is(s, "thema 3/7  punt 0/5") && !s.contents().contains("• Sinds het begin"),
            None,
        );
    }
    drop(follower);
    presenter.key("q");
    let _ = presenter.wait_exit(TIMEOUT);
    out
}

// ---------------------------------------------------------------------------
// 3. idle CPU

fn clk_tck() -> f64 {
    proc::clock_ticks_per_second() as f64
}

fn cpu_ticks(pid: u32) -> Option<u64> {
    proc::cpu_ticks(pid)
}

fn cpu_ns(pid: u32) -> Option<u64> {
    proc::cpu_ns(pid)
}

struct Idle {
    who: &'static str,
    secs: f64,
    tick_ms: Option<f64>,
    sched_ms: Option<f64>,
    bytes: usize,
    chunks: u64,
    /// The first bytes written in the window, escaped (what a tick sends).
    sample: String,
}

fn idle(secs: u64) -> Vec<Idle> {
    let fx = Fixture::new("idle");
    let mut presenter = fx.spawn(&["--present", "--share", "room.pos", "report.toml"]);
    wait(&presenter, "presenter slide 1 with clock", |s| {
        footer_is(s, "thema 1/7") && status(s).len() > "thema 1/7".len()
    });
    let mut follower = fx.spawn(&["--follow", "room.pos", "report.toml"]);
    wait(&follower, "follower attached at 1/7", |s| {
        following_at(s, 1)
    });
    // Past start-up: the first frames are out.
    settle(&follower, Duration::from_millis(500));

    let procs: [(&'static str, &Pty); 2] = [
        ("presenter (--present --share)", &presenter),
        ("follower (--follow)", &follower),
    ];
    let tck = clk_tck();
    let before: Vec<_> = procs
        .iter()
        .map(|(_, p)| (cpu_ticks(p.pid()), cpu_ns(p.pid()), p.mark(), p.chunks()))
        .collect();
    let t0 = Instant::now();
    std::thread::sleep(Duration::from_secs(secs));
    let window = t0.elapsed().as_secs_f64();
    let mut out = Vec::new();
    for ((who, p), (ticks0, ns0, mark, chunks0)) in procs.iter().zip(before) {
        let ticks1 = cpu_ticks(p.pid());
        let ns1 = cpu_ns(p.pid());
        out.push(Idle {
            who,
            secs: window,
            tick_ms: ticks0
                .zip(ticks1)
                .map(|(a, b)| b.saturating_sub(a) as f64 * 1000.0 / tck),
            sched_ms: ns0.zip(ns1).map(|(a, b)| b.saturating_sub(a) as f64 / 1e6),
            bytes: p.since(mark).len(),
            chunks: p.chunks() - chunks0,
            sample: {
                let b = p.since(mark);
                let shown = briefing_testkit::escape(&b[..b.len().min(120)]);
                if b.len() > 120 {
                    format!("{shown}…")
                } else {
                    shown
                }
            },
        });
    }
    follower.key("q");
    let _ = follower.wait_exit(TIMEOUT);
    presenter.key("q");
    let _ = presenter.wait_exit(TIMEOUT);
    out
}

// ---------------------------------------------------------------------------
// report

fn ms(v: f64) -> String {
    if v.is_nan() {
        "n/a".into()
    } else {
        format!("{v:.1}")
    }
}

fn table_row(out: &mut String, name: &str, s: &Samples) {
    let _ = writeln!(
        out,
        "| {name} | {} | {} | {} | {} |",
        s.ms.len(),
        ms(s.median()),
        ms(s.min()),
        ms(s.max())
    );
}

fn main() {
    let opts = parse_args();
    let started = Instant::now();
    eprintln!(
        "live bench: {} runs per case, idle window {} s, binary {}",
        opts.runs,
        opts.idle_secs,
        bin!()
    );

    eprintln!("reload: written in place ...");
    let in_place = reload(Save::InPlace, opts.runs);
    eprintln!("reload: saved by rename ...");
    let rename = reload(Save::Rename, opts.runs);
    eprintln!("follow: Space advances a slide ...");
    let advance = follow_advance(opts.runs);
    eprintln!("follow: Space reveals a point ...");
    let reveal = follow_reveal(opts.runs);
    let idle = if opts.idle_secs > 0 {
        eprintln!("idle: {} s ...", opts.idle_secs);
        idle(opts.idle_secs)
    } else {
        Vec::new()
    };

    let mut out = String::new();
    let _ = writeln!(
        out,
        "## briefing live ({COLS}x{ROWS} pty, {} runs per case, release binary)\n",
        opts.runs
    );
    let _ = writeln!(out, "| measurement | runs | median ms | min ms | max ms |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    table_row(&mut out, "reload, written in place", &in_place);
    table_row(&mut out, "reload, saved by rename", &rename);
    table_row(
        &mut out,
        "Space → next slide: presenter shows it",
        &advance.presenter,
    );
    table_row(
        &mut out,
        "Space → next slide: follower shows it",
        &advance.follower,
    );
    table_row(
        &mut out,
        "Space → next slide: lag (follower − presenter)",
        &advance.lag,
    );
    table_row(
        &mut out,
        "Space → reveal point: presenter shows it",
        &reveal.presenter,
    );
    table_row(
        &mut out,
        "Space → reveal point: presenting follower shows it",
        &reveal.follower,
    );
    table_row(
        &mut out,
        "Space → reveal point: lag (follower − presenter)",
        &reveal.lag,
    );

    if !idle.is_empty() {
        let _ = writeln!(
            out,
            "\n### idle while presenting (CLK_TCK = {})\n",
            clk_tck()
        );
        let _ = writeln!(
            out,
            "| process | window s | CPU ms (utime+stime) | CPU ms (schedstat) | bytes | writes | bytes/write (≈ per clock tick) | bytes/s |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|");
        for i in &idle {
            let per_write = if i.chunks > 0 {
                format!("{:.1}", i.bytes as f64 / i.chunks as f64)
            } else {
                "–".into()
            };
            let _ = writeln!(
                out,
                "| {} | {:.1} | {} | {} | {} | {} | {per_write} | {:.1} |",
                i.who,
                i.secs,
                i.tick_ms.map_or("n/a".into(), |v| format!("{v:.0}")),
                i.sched_ms.map_or("n/a".into(), |v| format!("{v:.2}")),
                i.bytes,
                i.chunks,
                i.bytes as f64 / i.secs,
            );
        }
    }
    for i in idle.iter().filter(|i| i.bytes > 0) {
        let _ = writeln!(out, "\n{} wrote: `{}`", i.who, i.sample);
    }
    print!("{out}");
    eprintln!(
        "live bench: done in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
