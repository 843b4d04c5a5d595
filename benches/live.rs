//! The live harness: what a crisis room waits for, and what a browser left
//! alone costs. The real release binary runs in 80x24 pseudo-terminals, each
//! scenario in its own scratch directory (the cwd, with its own
//! `XDG_STATE_HOME`), and this measures
//!
//! 1. **reload latency**: the browser shows a theme of a copy of
//!    `report.toml`; a new version is written in place (`std::fs::write`:
//!    same inode, truncate + write) or saved by rename (a temporary file in
//!    the same directory renamed over the report). Time from just before the
//!    write until the screen shows the new text.
//! 2. **follower lag**: a presenter (`--present --share room.pos`) and a
//!    follower (`--follow room.pos`). A key is sent to the presenter; the
//!    time until the presenter's own screen shows the new position, and
//!    until the follower's does: Space advancing a slide (the follower
//!    browses) and Space revealing a point (the follower presents too).
//!    Lag = follower − presenter, per run.
//! 3. **the presenter's per-key cost**, alone, with and without `--share`:
//!    Space to the next slide and Backspace back, from the key to the last
//!    byte of its output (quiet for the quiescence window), its bytes, and
//!    the CPU the presenter used meanwhile.
//! 4. **idle while presenting**: a presenter and a follower sit idle for
//!    `--idle-secs`: CPU time, wake-ups, and every byte written (the
//!    presenter's clock ticks once a second).
//! 5. **an idle browser in a busy directory**: while the browser sits idle,
//!    another process reads the report `--busy-files` times and rewrites as
//!    many other existing files in its directory, and, separately, creates
//!    and deletes as many new files there, spread over `--busy-secs`; the
//!    browser's CPU (schedstat) and wake-ups over that window, beside the same
//!    window with nothing happening.
//!
//! Run: `cargo bench --bench live [-- OPTIONS]` (`--help` lists them). Without
//! the `--bench` flag that `cargo bench` passes (as under
//! `cargo test --benches`) it is a quick smoke test: one run of each, short
//! windows. Results go to stdout as markdown, the environment first;
//! progress to stderr.
//!
//! Timing: an `Instant` just before the write (or key), and one when the
//! harness's condvar wait sees the predicate hold, i.e. at the arrival of the
//! chunk that completed the expected text. Waits for the follower run in a
//! thread that owns the follower's pty, so its time is taken when its output
//! arrives. Between runs a pause (and quiescence) lets the program's 30 ms
//! settle window and trailing file events pass.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use briefing_testkit::measure::{self, Cpu, Harness, Stats, Table, ms, num};
use briefing_testkit::{Pty, Scratch, Spawn, bin};
use clap::Parser;

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

/// The live bench: reload, following, the presenter's keys, idle costs.
#[derive(Debug, Parser)]
#[command(name = "live")]
struct Opts {
    #[command(flatten)]
    harness: Harness,

    /// Measured runs per case (median, min and max reported)
    #[arg(long, value_name = "N", default_value_t = 15, value_parser = clap::value_parser!(u16).range(1..))]
    runs: u16,

    /// Idle window while presenting, seconds; 0 skips it
    #[arg(long, value_name = "S", default_value_t = 10)]
    idle_secs: u64,

    /// Reads of the report, rewrites of other files, and new files, in the busy directory
    #[arg(long, value_name = "N", default_value_t = 2000)]
    busy_files: usize,

    /// Over how long the busy directory's activity is spread, seconds; 0 skips it
    #[arg(long, value_name = "S", default_value_t = 3)]
    busy_secs: u64,

    /// Quiescence window that ends a key's output, ms
    #[arg(long, value_name = "MS", default_value_t = 50)]
    quiet_ms: u64,
}

impl Opts {
    /// Without `--bench`: one quick run of each, short windows.
    fn smoke(mut self) -> Opts {
        if self.harness.smoke() {
            self.runs = 1;
            self.idle_secs = self.idle_secs.min(1);
            self.busy_files = self.busy_files.min(100);
            self.busy_secs = self.busy_secs.min(1);
        }
        self
    }
}

// ---------------------------------------------------------------------------
// scratch directories

/// A scratch directory holding a copy of `report.toml` (checked to still
/// have the text this bench edits).
fn scratch(name: &str) -> Scratch {
    let fx = Scratch::with_report(name, &briefing_testkit::seed::report());
    assert!(
        fx.read("report.toml").contains(CONSEQUENTIES_BODY),
        "report.toml no longer has the Consequenties body this bench edits"
    );
    fx
}

fn spawn(fx: &Scratch, args: &[&str]) -> Pty {
    Spawn::new(bin!())
        .args(args)
        .size(COLS, ROWS)
        .env("XDG_STATE_HOME", fx.state().to_string_lossy())
        .cwd(fx.dir())
        .start()
}

// ---------------------------------------------------------------------------
// reading the screen

fn status(s: &vt100::Screen) -> String {
    briefing_testkit::screen::status(s)
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

fn quit(mut p: Pty) {
    p.key("q");
    let _ = p.wait_exit(TIMEOUT);
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

fn reload(save: Save, runs: usize) -> Vec<f64> {
    let fx = scratch("live-reload");
    let original = fx.read("report.toml");
    let mut p = spawn(&fx, &["report.toml"]);
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
    p.settle(BETWEEN, TIMEOUT);
    let mut samples = Vec::new();
    for i in 0..runs {
        // Short enough for one row of the 52-column text panel, and new each run.
        let token = format!("Meting {} nummer {i}: nieuwe tekst.", save.name());
        let text = original.replacen(CONSEQUENTIES_BODY, &token, 1);
        let t0 = Instant::now();
        save.write(&fx.report(), &text, i);
        wait(&p, &format!("reloaded text {token:?}"), |s| {
            s.contents().contains(&token)
        });
        samples.push(ms(t0.elapsed()));
        // Let trailing events (close-write, the settle window) pass.
        p.settle(BETWEEN, TIMEOUT);
    }
    quit(p);
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
                for (what, pred) in rx {
                    pty.wait_for(&what, TIMEOUT, pred);
                    if tx.send(Instant::now()).is_err() {
                        break;
                    }
                }
                quit(pty);
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

#[derive(Default)]
struct Lag {
    presenter: Vec<f64>,
    follower: Vec<f64>,
    lag: Vec<f64>,
}

/// One key sent to the presenter; the presenter's and the follower's
/// predicates; records all three numbers when `out` is given.
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
    let tp = t0.elapsed();
    let tf = follower.reached().saturating_duration_since(t0);
    if let Some(out) = out {
        out.presenter.push(ms(tp));
        out.follower.push(ms(tf));
        out.lag.push(ms(tf) - ms(tp));
    }
}

/// Space advances theme 1 → 2 on the presenter; a browsing follower shows it.
fn follow_advance(runs: usize) -> Lag {
    let fx = scratch("live-advance");
    let mut presenter = spawn(&fx, &["--present", "--share", "room.pos", "report.toml"]);
    wait(&presenter, "presenter slide 1", |s| {
        footer_is(s, "thema 1/7")
    });
    let follower = spawn(&fx, &["--follow", "room.pos", "report.toml"]);
    wait(&follower, "follower attached at 1/7", |s| {
        following_at(s, 1)
    });
    let follower = Watched::new(follower);
    let mut out = Lag::default();
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
    quit(presenter);
    out
}

/// Space reveals point 1 of theme 3 on the presenter; a presenting follower shows it.
fn follow_reveal(runs: usize) -> Lag {
    let fx = scratch("live-reveal");
    let mut presenter = spawn(&fx, &["--present", "--share", "room.pos", "report.toml"]);
    wait(&presenter, "presenter slide 1", |s| {
        footer_is(s, "thema 1/7")
    });
    presenter.key("3");
    wait(&presenter, "typed 3", |s| status(s).contains("→ 3"));
    presenter.key("Enter");
    wait(&presenter, "presenter slide 3", |s| {
        footer_is(s, "thema 3/7  punt 0/5")
    });
    let follower = spawn(&fx, &["--present", "--follow", "room.pos", "report.toml"]);
    wait(&follower, "presenting follower at slide 3", |s| {
        footer_is(s, "thema 3/7  punt 0/5")
    });
    let follower = Watched::new(follower);
    let mut out = Lag::default();
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
    quit(presenter);
    out
}

// ---------------------------------------------------------------------------
// 3. the presenter's per-key cost

/// (key → last byte ms, bytes, CPU µs) per measured key.
#[derive(Default)]
struct KeyCost {
    ms: Vec<f64>,
    bytes: Vec<f64>,
    cpu_us: Vec<f64>,
}

/// A presenter alone, with `--share` or without: Space to slide 2 and
/// Backspace back, each measured, clear of the clock's tick.
fn presenter_keys(share: bool, runs: usize, quiet: Duration) -> (KeyCost, KeyCost) {
    let fx = scratch(if share { "live-share" } else { "live-alone" });
    let mut args = vec!["--present"];
    if share {
        args.extend(["--share", "room.pos"]);
    }
    args.push("report.toml");
    let mut p = spawn(&fx, &args);
    wait(&p, "presenter slide 1", |s| footer_is(s, "thema 1/7"));
    p.settle(BETWEEN, TIMEOUT);
    let (mut next, mut back) = (KeyCost::default(), KeyCost::default());
    let key = |p: &mut Pty, keys: &[u8], footer: &str, out: &mut KeyCost| {
        if measure::clear_of_second(quiet * 3, Duration::from_millis(30)) {
            p.settle(quiet, TIMEOUT);
        }
        let c0 = Cpu::read(p.pid());
        let mark = p.mark();
        let (b, t0) = p.act(keys, quiet, TIMEOUT);
        let c1 = Cpu::read(p.pid());
        assert!(
            footer_is(&p.screen(), footer),
            "{}",
            p.failure_report(&format!("expected the footer {footer:?}"))
        );
        out.ms
            .push(b.last.map_or(f64::NAN, |l| ms(l.duration_since(t0))));
        out.bytes.push((p.mark() - mark) as f64);
        out.cpu_us.push(
            c1.zip(c0)
                .map_or(f64::NAN, |(c1, c0)| c1.since(c0).sched_ns as f64 / 1e3),
        );
    };
    for _ in 0..runs {
        key(&mut p, b" ", "thema 2/7", &mut next);
        key(&mut p, b"\x7f", "thema 1/7", &mut back);
    }
    quit(p);
    (next, back)
}

// ---------------------------------------------------------------------------
// 4. idle while presenting

struct Idle {
    who: String,
    secs: f64,
    cpu: Option<Cpu>,
    bytes: usize,
    writes: u64,
    /// The first bytes written in the window, escaped (what a tick sends).
    sample: String,
}

/// CPU, wake-ups and output of each of `procs` over `window` (the closure
/// runs during it; the window lasts at least `min`).
fn observe(procs: &[(&str, &Pty)], min: Duration, during: impl FnOnce()) -> Vec<Idle> {
    let before: Vec<_> = procs
        .iter()
        .map(|(_, p)| (Cpu::read(p.pid()), p.mark(), p.chunks()))
        .collect();
    let t0 = Instant::now();
    during();
    let rest = min.saturating_sub(t0.elapsed());
    std::thread::sleep(rest);
    let secs = t0.elapsed().as_secs_f64();
    procs
        .iter()
        .zip(before)
        .map(|((who, p), (c0, mark, chunks))| {
            let b = p.since(mark);
            let shown = briefing_testkit::escape(&b[..b.len().min(120)]);
            Idle {
                who: who.to_string(),
                secs,
                cpu: Cpu::read(p.pid()).zip(c0).map(|(c1, c0)| c1.since(c0)),
                bytes: b.len(),
                writes: p.chunks() - chunks,
                sample: if b.len() > 120 {
                    format!("{shown}…")
                } else {
                    shown
                },
            }
        })
        .collect()
}

fn idle_presenting(secs: u64) -> Vec<Idle> {
    let fx = scratch("live-idle");
    let presenter = spawn(&fx, &["--present", "--share", "room.pos", "report.toml"]);
    wait(&presenter, "presenter slide 1 with clock", |s| {
        footer_is(s, "thema 1/7") && status(s).len() > "thema 1/7".len()
    });
    let follower = spawn(&fx, &["--follow", "room.pos", "report.toml"]);
    wait(&follower, "follower attached at 1/7", |s| {
        following_at(s, 1)
    });
    // Past start-up: the first frames are out.
    follower.settle(Duration::from_millis(500), TIMEOUT);
    let out = observe(
        &[
            ("presenter (--present --share)", &presenter),
            ("follower (--follow)", &follower),
        ],
        Duration::from_secs(secs),
        || {},
    );
    quit(follower);
    quit(presenter);
    out
}

// ---------------------------------------------------------------------------
// 5. an idle browser in a busy directory

/// Runs `op(i)` for i in 0..n, spread evenly over `over`.
fn paced(n: usize, over: Duration, mut op: impl FnMut(usize)) {
    let t0 = Instant::now();
    for i in 0..n {
        let due = t0 + over.mul_f64(i as f64 / n.max(1) as f64);
        let now = Instant::now();
        if due > now {
            std::thread::sleep(due - now);
        }
        op(i);
    }
}

fn busy_directory(files: usize, secs: u64) -> Vec<Idle> {
    let fx = scratch("live-busy");
    let others: Vec<PathBuf> = (0..files)
        .map(|i| fx.write(&format!("other-{i}.txt"), format!("file {i}\n")))
        .collect();
    let p = spawn(&fx, &["report.toml"]);
    wait(&p, "first frame", |s| browser_at(s, 1));
    // Past start-up and the first save of what was seen (after a second).
    std::thread::sleep(Duration::from_millis(1500));
    p.settle(BETWEEN, TIMEOUT);
    let over = Duration::from_secs(secs);
    // The window: the activity, then a tail for events still being handled.
    let window = over + Duration::from_millis(500);
    let report = fx.report();
    let mut out = Vec::new();
    out.extend(observe(
        &[("nothing happens (baseline)", &p)],
        window,
        || {},
    ));
    out.extend(observe(
        &[(
            format!("{files} reads of the report + {files} rewrites of other files").as_str(),
            &p,
        )],
        window,
        || {
            paced(files, over, |i| {
                let _ = std::fs::read(&report).expect("read the report");
                std::fs::write(&others[i], format!("file {i}, again\n")).expect("rewrite");
            })
        },
    ));
    out.extend(observe(
        &[(
            format!("{files} new files created and deleted").as_str(),
            &p,
        )],
        window,
        || {
            paced(files, over, |i| {
                let f = fx.write(&format!("new-{i}.txt"), "new\n");
                std::fs::remove_file(f).expect("delete a new file");
            })
        },
    ));
    quit(p);
    out
}

// ---------------------------------------------------------------------------
// report

fn stats_row(t: &mut Table, name: &str, v: &[f64]) {
    let s = Stats::of(v);
    t.row([
        name.to_string(),
        s.n.to_string(),
        num(s.median, 1),
        num(s.min, 1),
        num(s.max, 1),
    ]);
}

fn idle_table(rows: &[Idle]) -> Table {
    let mut t = Table::new(&[
        "process / activity",
        "window s",
        "CPU ms (schedstat)",
        "CPU ms (ticks)",
        "wake-ups",
        "bytes",
        "writes",
    ]);
    for i in rows {
        let cpu = |f: fn(Cpu) -> u64| i.cpu.map_or("–".into(), |c| num(f(c) as f64 / 1e6, 2));
        t.row([
            i.who.clone(),
            num(i.secs, 1),
            cpu(|c| c.sched_ns),
            cpu(|c| c.tick_ns),
            i.cpu.map_or("–".into(), |c| c.wakeups.to_string()),
            i.bytes.to_string(),
            i.writes.to_string(),
        ]);
    }
    t
}

fn main() {
    let o = Opts::parse().smoke();
    let started = Instant::now();
    let runs = usize::from(o.runs);
    let quiet = Duration::from_millis(o.quiet_ms);

    println!("# briefing live\n");
    measure::print_environment(Path::new(env!("CARGO_MANIFEST_DIR")));
    println!(
        "{COLS}x{ROWS} pseudo-terminals, the binary cargo built for this run ({}); {runs} runs per case; quiescence window {} ms.{}\n",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        o.quiet_ms,
        if o.harness.smoke() {
            " SMOKE TEST (no --bench): one run, short windows."
        } else {
            ""
        }
    );

    eprintln!("reload: written in place ...");
    let in_place = reload(Save::InPlace, runs);
    eprintln!("reload: saved by rename ...");
    let rename = reload(Save::Rename, runs);
    eprintln!("follow: Space advances a slide ...");
    let advance = follow_advance(runs);
    eprintln!("follow: Space reveals a point ...");
    let reveal = follow_reveal(runs);
    println!("## Reload and following ({runs} runs per case)\n");
    let mut t = Table::new(&["measurement", "runs", "median ms", "min ms", "max ms"]);
    stats_row(
        &mut t,
        "reload, written in place (write → new text on screen)",
        &in_place,
    );
    stats_row(&mut t, "reload, saved by rename", &rename);
    stats_row(
        &mut t,
        "Space → next slide: presenter shows it",
        &advance.presenter,
    );
    stats_row(
        &mut t,
        "Space → next slide: follower shows it",
        &advance.follower,
    );
    stats_row(
        &mut t,
        "follower lag (follower − presenter), next slide",
        &advance.lag,
    );
    stats_row(
        &mut t,
        "Space → reveal point: presenter shows it",
        &reveal.presenter,
    );
    stats_row(
        &mut t,
        "Space → reveal point: presenting follower shows it",
        &reveal.follower,
    );
    stats_row(
        &mut t,
        "follower lag (follower − presenter), reveal a point",
        &reveal.lag,
    );
    t.print();

    eprintln!("presenter keys, alone and sharing ...");
    println!("## The presenter's keys, alone, with and without --share ({runs} runs)\n");
    println!(
        "From the key to the last byte of its output (quiet for {} ms), the bytes, and the CPU \
         the presenter used from the key to the end of the quiet window; medians.\n",
        o.quiet_ms
    );
    let mut t = Table::new(&[
        "key",
        "--share",
        "runs",
        "median ms",
        "max ms",
        "median bytes",
        "median CPU µs",
    ])
    .text_columns(2);
    for share in [false, true] {
        let (next, back) = presenter_keys(share, runs, quiet);
        for (name, k) in [
            ("Space (next slide)", &next),
            ("Backspace (previous slide)", &back),
        ] {
            let s = Stats::of(&k.ms);
            t.row([
                name.to_string(),
                if share { "yes" } else { "no" }.to_string(),
                s.n.to_string(),
                num(s.median, 2),
                num(s.max, 2),
                num(measure::median(&k.bytes), 0),
                num(measure::median(&k.cpu_us), 0),
            ]);
        }
    }
    t.print();

    if o.idle_secs > 0 {
        eprintln!("idle while presenting: {} s ...", o.idle_secs);
        let idle = idle_presenting(o.idle_secs);
        println!("## Idle while presenting, {} s\n", o.idle_secs);
        idle_table(&idle).print();
        for i in idle.iter().filter(|i| i.bytes > 0) {
            println!("{} wrote: `{}`\n", i.who, i.sample);
        }
    }
    if o.busy_secs > 0 && o.busy_files > 0 {
        eprintln!("an idle browser in a busy directory ...");
        let busy = busy_directory(o.busy_files, o.busy_secs);
        println!(
            "## An idle browser in a busy directory ({} operations each, over {} s, plus 0.5 s)\n",
            o.busy_files, o.busy_secs
        );
        idle_table(&busy).print();
    }
    println!(
        "Done in {}; load average {} at the end.",
        measure::took(started),
        measure::loadavg()
    );
}
