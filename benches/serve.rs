//! The serving harness (issue "Join from any laptop", section "Measured"):
//! the real release binary presents in a pseudo-terminal and serves itself
//! over SSH (`--present --serve 127.0.0.1:0 --authorized-keys K --log F`,
//! a scratch `XDG_STATE_HOME`); N viewers join with real OpenSSH clients,
//! each in a pty of its own parsed by `vt100` and owned by a thread of its
//! own (`testkit::bench_serve`). They join in batches of at most 8, each
//! batch waiting for every first frame, because the server lets at most 16
//! connections per address sign in at once. For each N (one fresh server
//! each) it measures
//!
//! 1. **memory per viewer**: the server's VmRSS (`/proc/PID/status`) with
//!    every viewer's first frame shown and the system settled, minus VmRSS
//!    before anyone joined, over N; again after the moves (frames drawn);
//! 2. **presenter key → last viewer's frame**: `K Enter` jumps between the
//!    seven themes; the key's write is timestamped, and each viewer's
//!    thread takes the time its screen's footer shows "thema K/7". Per move
//!    the maximum over viewers; median and p90 over the moves. Moves start
//!    300 ms into a wall-clock second: the presentation clock of the
//!    presenter and of every viewer ticks on the second, so a move and its
//!    quiet period normally fall between ticks;
//! 3. **bytes per viewer per move**: what each viewer's pty received from
//!    its mark before the key until 100 ms of quiet, for moves that ended
//!    within their second (no tick in them); compared with a local follower
//!    of the same size doing the same moves (`--present --follow POS` after
//!    a `--present --share POS` presenter: the screen a viewer gets);
//! 4. **idle CPU**: with the most viewers, nobody pressing anything, the
//!    server's utime+stime (`/proc/PID/stat`) and schedstat run time over
//!    the window, and its voluntary context switches summed over its threads
//!    (wake-ups), also with 0 viewers, and the same for a server that does
//!    not present (`--serve` alone, viewers browse: no clock, so what is
//!    left is keepalives, every 15 s per connection);
//! 5. **a viewer that never reads**: 10 viewers, moves with all reading,
//!    then with one viewer's `ssh` stopped (SIGSTOP); the others' latency
//!    in both phases, and what the stopped one receives when it goes on.
//!
//! Run (release binary; about 5 minutes for 1,10,50,100):
//! `cargo bench --bench serve -- [--viewers 1,10,50,100] [--moves 20]
//! [--idle-secs 20] [--size 80x24] [--stuck-viewers 10] [--stuck-size WxH]
//! [--only viewers,follower,browsing,stuck] [--quick]`. Without the `--bench` flag that `cargo bench` passes (for
//! example under `cargo test --benches`) or with `--quick`: a smoke run
//! (1 and 3 viewers, 4 moves, 3 s idle). Results go to stdout as markdown;
//! progress and failures to stderr. A viewer that does not connect, a move
//! a viewer never shows, a dead viewer thread: counted and reported in the
//! tables, never hidden; the limit of open files is raised to the hard
//! limit first (inherited by the server). `SERVE_DUMP=1` prints the first
//! viewer's screen after each case's moves.
//!
//! What the timing includes: the machine has 2 cores shared by the server,
//! N `ssh` clients decrypting, and the harness's reader threads parsing
//! every frame; a viewer's time is when its thread is scheduled after the
//! chunk that completed the footer arrived, as a terminal would show it.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use briefing_testkit::bench_serve::{self, Crowd, Remote, Seen};
use briefing_testkit::ssh::{self, Banner, Client, Login};
use briefing_testkit::{Pty, Scratch, Spawn, bin, proc, seed};
use clap::Parser;

/// The presenter's terminal (as in `tests/serve`).
const PRESENTER: (u16, u16) = (100, 30);
/// Viewers joining at once, at most (the server allows 16 signing in per address).
const BATCH: usize = 8;
/// A viewer's first frame, at most this long after its `ssh` starts.
const FIRST_FRAME: Duration = Duration::from_secs(30);
/// A move shown by every viewer within this, or it counts as missed.
const STEP_TIMEOUT: Duration = Duration::from_secs(10);
/// No output for this long: a move's frame is complete.
const QUIET: Duration = Duration::from_millis(100);
/// Moves start this far into a wall-clock second (ticks are on the second).
const PHASE: Duration = Duration::from_millis(300);
/// The themes of the bundled report.
const THEMES: usize = 7;

#[derive(Parser, Debug)]
#[command(
    name = "serve",
    about = "briefing --serve: memory, latency, bytes and idle CPU with N real ssh viewers"
)]
struct Opts {
    /// Viewer counts, one fresh server each [default: 1,10,50,100; quick: 1,3]
    #[arg(long, value_delimiter = ',')]
    viewers: Option<Vec<usize>>,
    /// A smoke run: 1 and 3 viewers, 4 moves, 3 s idle (also without --bench)
    #[arg(long)]
    quick: bool,
    /// Presenter moves per measurement [default: 20; quick: 4]
    #[arg(long)]
    moves: Option<usize>,
    /// Idle window in seconds [default: 20; quick: 3; 0 skips it]
    #[arg(long)]
    idle_secs: Option<u64>,
    /// Every viewer's terminal, COLSxROWS
    #[arg(long, value_parser = parse_size, default_value = "80x24")]
    size: (u16, u16),
    /// Viewers in the never-reading case [default: 10; quick: 3; 0 skips it]
    #[arg(long)]
    stuck_viewers: Option<usize>,
    /// The stopped viewer's terminal [default: --size]
    #[arg(long, value_parser = parse_size)]
    stuck_size: Option<(u16, u16)>,
    /// Pause before reading memory, ms
    #[arg(long, default_value_t = 2000)]
    settle_ms: u64,
    /// Only these cases [default: all]
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Option<Vec<Case>>,
    /// Passed by `cargo bench`: a full run (else a smoke run).
    #[arg(long, hide = true)]
    bench: bool,
    /// Filters `cargo bench` may pass on: ignored.
    #[arg(hide = true)]
    filters: Vec<String>,
}

/// The cases, each on servers of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Case {
    /// Memory, latency and bytes for each --viewers; idle at the most.
    Viewers,
    /// The same moves seen by a local follower.
    Follower,
    /// Idle with viewers browsing (not presenting).
    Browsing,
    /// One viewer that never reads.
    Stuck,
}

fn parse_size(s: &str) -> Result<(u16, u16), String> {
    let (w, h) = s
        .split_once('x')
        .ok_or_else(|| format!("{s:?}: not COLSxROWS"))?;
    let n = |v: &str| {
        v.parse::<u16>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("{s:?}: not COLSxROWS"))
    };
    Ok((n(w)?, n(h)?))
}

/// The options, resolved.
struct Plan {
    viewers: Vec<usize>,
    moves: usize,
    idle: Duration,
    size: (u16, u16),
    stuck_viewers: usize,
    stuck_size: (u16, u16),
    settle: Duration,
    cases: Vec<Case>,
}

impl Plan {
    fn from(opts: Opts) -> Plan {
        let quick = opts.quick || !opts.bench;
        let pick = |given: Option<usize>, full: usize, smoke: usize| {
            given.unwrap_or(if quick { smoke } else { full })
        };
        Plan {
            viewers: opts.viewers.unwrap_or_else(|| {
                if quick {
                    vec![1, 3]
                } else {
                    vec![1, 10, 50, 100]
                }
            }),
            moves: pick(opts.moves, 20, 4).max(1),
            idle: Duration::from_secs(opts.idle_secs.unwrap_or(if quick { 3 } else { 20 })),
            size: opts.size,
            stuck_viewers: pick(opts.stuck_viewers, 10, 3),
            stuck_size: opts.stuck_size.unwrap_or(opts.size),
            settle: Duration::from_millis(if quick { 500 } else { opts.settle_ms }),
            cases: opts.only.unwrap_or_else(|| {
                vec![Case::Viewers, Case::Follower, Case::Browsing, Case::Stuck]
            }),
        }
    }

    fn runs(&self, case: Case) -> bool {
        self.cases.contains(&case)
    }

    fn most(&self) -> usize {
        self.viewers.iter().copied().max().unwrap_or(0)
    }
}

// ---------------------------------------------------------------------------
// the server and its viewers

/// One key for every viewer (all are authorized).
struct Keys {
    _scratch: Scratch,
    key: PathBuf,
    authorized: PathBuf,
}

impl Keys {
    fn new() -> Keys {
        let scratch = Scratch::new("servebench-keys");
        let key = ssh::keygen(scratch.dir(), "viewer", "bench@viewer");
        let authorized = scratch.write("keys.pub", ssh::public(&key));
        Keys {
            _scratch: scratch,
            key,
            authorized,
        }
    }
}

/// A presenter serving, in a pty, in a scratch directory of its own.
struct Server {
    scratch: Scratch,
    pty: Pty,
    banner: Banner,
    present: bool,
}

impl Server {
    fn start(keys: &Keys, present: bool, max: usize) -> Server {
        let scratch = Scratch::with_report("servebench", &seed::report());
        let mut args: Vec<String> = Vec::new();
        if present {
            args.push("--present".into());
        }
        let log = scratch.path("serve.log");
        args.extend([
            "--serve".into(),
            "127.0.0.1:0".into(),
            "--authorized-keys".into(),
            keys.authorized.display().to_string(),
            "--max-viewers".into(),
            max.max(100).to_string(),
            "--log".into(),
            log.display().to_string(),
            scratch.report().display().to_string(),
        ]);
        let pty = Spawn::new(bin!())
            .args(&args)
            .size(PRESENTER.0, PRESENTER.1)
            .env("XDG_STATE_HOME", scratch.state().display().to_string())
            .cwd(scratch.dir())
            .start();
        let banner = ssh::banner_of(&pty);
        pty.wait_text(if present { "thema 1/7" } else { "Inleiding" });
        Server {
            scratch,
            pty,
            banner,
            present,
        }
    }

    fn pid(&self) -> u32 {
        self.pty.pid()
    }

    fn rss_kib(&self) -> Option<u64> {
        proc::status_kib(self.pid(), "VmRSS")
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.scratch.path("serve.log")).unwrap_or_default()
    }

    /// What a viewer's first frame shows.
    fn first_frame(&self) -> &'static str {
        if self.present {
            "thema 1/7"
        } else {
            "Inleiding"
        }
    }

    fn client(&self, keys: &Keys) -> Client {
        Client::new(
            self.scratch.dir(),
            self.banner.port,
            Login::Key(keys.key.clone()),
        )
    }
}

/// How joining went.
struct Joined {
    /// Why each viewer that did not join did not.
    failures: Vec<String>,
    took: Duration,
}

/// `n` viewers of `size` join `server` into `crowd`: one alone first (it
/// may write `known_hosts`), then batches of at most [`BATCH`], each batch
/// waiting for every first frame.
fn join(server: &Server, keys: &Keys, n: usize, size: (u16, u16), crowd: &mut Crowd) -> Joined {
    let client = server.client(keys);
    let first = server.first_frame();
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut tried = 0;
    while tried < n {
        let batch = if tried == 0 { 1 } else { BATCH.min(n - tried) };
        let members: Vec<Remote> = (crowd.len() + failures.len()..)
            .take(batch)
            .map(|i| {
                let c = client.clone();
                Remote::start(&format!("viewer-{i}"), move || c.spawn(size.0, size.1))
            })
            .collect();
        let answers: Vec<_> = members
            .iter()
            .map(|m| m.ask(move |p| first_frame_of(p, first)))
            .collect();
        for (m, a) in members.into_iter().zip(answers) {
            match a.recv() {
                Ok(Ok(())) => crowd.members.push(m),
                Ok(Err(why)) => failures.push(why),
                Err(_) => failures.push("the viewer's thread died".into()),
            }
        }
        tried += batch;
        eprint!("\r  joined {} of {n}", tried - failures.len());
    }
    eprintln!(" in {:.1} s", started.elapsed().as_secs_f64());
    for f in &failures {
        eprintln!("  a viewer did not join: {f}");
    }
    Joined {
        failures,
        took: started.elapsed(),
    }
}

// Waits for a viewer's first frame; why not, in a line.
fn first_frame_of(p: &mut Pty, text: &str) -> Result<(), String> {
    if p.try_wait_for(FIRST_FRAME, |s| s.contents().contains(text)) {
        return Ok(());
    }
    let last = p
        .rows()
        .into_iter()
        .rfind(|r| !r.trim().is_empty())
        .unwrap_or_default();
    let status = p
        .exit_status()
        .map_or("still running".into(), |s| s.to_string());
    Err(format!(
        "no first frame in {FIRST_FRAME:?} ({status}): «{last}»"
    ))
}

// The bottom row of a screen.
fn footer(s: &vt100::Screen) -> String {
    let (rows, cols) = s.size();
    let y = rows.get() - 1;
    s.contents_between(y, 0, y, cols.get())
}

// ---------------------------------------------------------------------------
// moves

/// One presenter move as the viewers saw it.
struct Step {
    /// Per viewer: key → its screen showing the theme (`None`: not in time).
    latency: Vec<Option<Duration>>,
    /// Per viewer: bytes from the key until quiet.
    bytes: Vec<Option<usize>>,
    /// The move and its quiet period ended within their wall-clock second.
    clean: bool,
}

impl Step {
    /// The last viewer's time; `None` if any viewer missed it.
    fn last(&self) -> Option<Duration> {
        self.latency
            .iter()
            .copied()
            .collect::<Option<Vec<_>>>()?
            .into_iter()
            .max()
    }

    fn missed(&self) -> usize {
        self.latency.iter().filter(|l| l.is_none()).count()
    }
}

// Sleeps until PHASE into the next wall-clock second (or this one).
fn align() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let into = Duration::from_nanos(now.subsec_nanos().into());
    let wait = if into < PHASE {
        PHASE - into
    } else {
        Duration::from_secs(1) - into + PHASE
    };
    std::thread::sleep(wait);
}

fn wall_second() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The theme of move `i` (from theme 1: 2, 3, …, 7, 1, 2, …).
fn theme_of(i: usize) -> usize {
    (i + 1) % THEMES + 1
}

/// Presenter moves `from..from + count` (`K Enter`), each timed on every
/// viewer.
fn moves(presenter: &mut Pty, crowd: &Crowd, from: usize, count: usize) -> Vec<Step> {
    let steps: Vec<Step> = (from..from + count)
        .map(|i| {
            let theme = theme_of(i);
            align();
            let second = wall_second();
            let expect = format!("thema {theme}/{THEMES}");
            let armed = crowd.arm(STEP_TIMEOUT, move |s| footer(s).contains(&expect));
            let t0 = Instant::now();
            presenter.send(format!("{theme}\r").as_bytes());
            let seen = armed.collect();
            let settled = crowd.all(|p| {
                p.settle(QUIET, Duration::from_secs(10));
                p.mark()
            });
            let clean = wall_second() == second;
            let latency = seen
                .iter()
                .map(|s| s.and_then(|s: Seen| s.at).map(|at| at - t0))
                .collect();
            let bytes = seen
                .iter()
                .zip(&settled)
                .map(|(s, end)| Some(end.as_ref()?.saturating_sub(s.as_ref()?.mark)))
                .collect();
            // The presenter's own terminal: drained before the next move.
            presenter.settle(QUIET, Duration::from_secs(10));
            Step {
                latency,
                bytes,
                clean,
            }
        })
        .collect();
    // Each move's bytes (the first viewer's), to read by eye.
    let each: Vec<String> = steps
        .iter()
        .map(|s| {
            let b = s.bytes.first().copied().flatten();
            let b = b.map_or("–".into(), |b| b.to_string());
            if s.clean { b } else { format!("({b})") }
        })
        .collect();
    eprintln!("  bytes per move: {}", each.join(" "));
    if std::env::var_os("SERVE_DUMP").is_some()
        && let Some(first) = crowd.members.first()
    {
        let _ = first.run(|p| eprintln!("{}", p.screen_text()));
    }
    steps
}

// ---------------------------------------------------------------------------
// idle

struct Idle {
    what: String,
    viewers: usize,
    secs: f64,
    /// utime+stime, ms (clock ticks).
    cpu_ms: Option<f64>,
    /// schedstat run time, ms.
    sched_ms: Option<f64>,
    voluntary: Option<u64>,
    involuntary: Option<u64>,
    /// Bytes all viewers received in the window.
    bytes: usize,
}

fn idle(what: &str, pid: u32, crowd: &Crowd, window: Duration) -> Idle {
    let marks = crowd.all(|p| p.mark());
    let ticks0 = proc::cpu_ticks(pid);
    let ns0 = proc::cpu_ns(pid);
    let cs0 = bench_serve::context_switches(pid);
    let t0 = Instant::now();
    std::thread::sleep(window);
    let ticks1 = proc::cpu_ticks(pid);
    let ns1 = proc::cpu_ns(pid);
    let cs1 = bench_serve::context_switches(pid);
    let secs = t0.elapsed().as_secs_f64();
    let ends = crowd.all(|p| p.mark());
    let bytes = marks
        .iter()
        .zip(&ends)
        .filter_map(|(a, b)| Some(b.as_ref()?.saturating_sub(*a.as_ref()?)))
        .sum();
    let hz = proc::clock_ticks_per_second() as f64;
    let diff = |a: Option<u64>, b: Option<u64>| b?.checked_sub(a?);
    Idle {
        what: what.into(),
        viewers: crowd.len(),
        secs,
        cpu_ms: diff(ticks0, ticks1).map(|t| t as f64 * 1000.0 / hz),
        sched_ms: diff(ns0, ns1).map(|ns| ns as f64 / 1e6),
        voluntary: diff(cs0.map(|c| c.0), cs1.map(|c| c.0)),
        involuntary: diff(cs0.map(|c| c.1), cs1.map(|c| c.1)),
        bytes,
    }
}

// ---------------------------------------------------------------------------
// the scenarios

/// One server with N viewers.
struct Run {
    n: usize,
    joined: usize,
    failures: Vec<String>,
    join_secs: f64,
    rss0: Option<u64>,
    /// With the first viewer joined.
    rss1: Option<u64>,
    rss_n: Option<u64>,
    rss_after: Option<u64>,
    server_threads: usize,
    server_fds: usize,
    steps: Vec<Step>,
    idle: Vec<Idle>,
}

impl Run {
    /// What the first viewer cost, KiB.
    fn first_kib(&self) -> Option<f64> {
        Some(self.rss1? as f64 - self.rss0? as f64)
    }

    /// What each viewer after the first cost, KiB.
    fn further_kib(&self) -> Option<f64> {
        let further = self.joined.checked_sub(1).filter(|n| *n > 0)?;
        Some((self.rss_n? as f64 - self.rss1? as f64) / further as f64)
    }

    fn per_viewer_kib(&self, after: bool) -> Option<f64> {
        let rss = if after { self.rss_after } else { self.rss_n }?;
        let rss0 = self.rss0?;
        (self.joined > 0).then(|| (rss as f64 - rss0 as f64) / self.joined as f64)
    }
}

fn run(keys: &Keys, plan: &Plan, n: usize, present: bool) -> Run {
    let mode = if present { "presenting" } else { "browsing" };
    eprintln!("{n} viewers ({mode}) ...");
    let mut server = Server::start(keys, present, n);
    std::thread::sleep(plan.settle);
    let rss0 = server.rss_kib();
    let measure_idle = !plan.idle.is_zero() && (n == plan.most() || !present);
    let mut idles = Vec::new();
    if measure_idle {
        eprintln!("  idle, 0 viewers, {} s ...", plan.idle.as_secs());
        idles.push(idle(mode, server.pid(), &Crowd::default(), plan.idle));
    }
    let mut crowd = Crowd::default();
    let mut joined = join(&server, keys, n.min(1), plan.size, &mut crowd);
    std::thread::sleep(plan.settle);
    let rss1 = server.rss_kib();
    if n > 1 {
        let more = join(&server, keys, n - 1, plan.size, &mut crowd);
        joined.failures.extend(more.failures);
        joined.took += more.took;
        std::thread::sleep(plan.settle);
    }
    let rss_n = server.rss_kib();
    let server_threads = bench_serve::threads(server.pid());
    let server_fds = bench_serve::open_fds(server.pid());
    let steps = if present {
        eprintln!("  {} moves ...", plan.moves);
        let steps = moves(&mut server.pty, &crowd, 0, plan.moves);
        std::thread::sleep(plan.settle);
        steps
    } else {
        Vec::new()
    };
    let rss_after = server.rss_kib();
    if measure_idle {
        eprintln!(
            "  idle, {} viewers, {} s ...",
            crowd.len(),
            plan.idle.as_secs()
        );
        idles.push(idle(mode, server.pid(), &crowd, plan.idle));
    }
    eprintln!(
        "  bench process: {} open files, {} threads",
        bench_serve::open_fds(std::process::id()),
        bench_serve::threads(std::process::id())
    );
    Run {
        n,
        joined: crowd.len(),
        failures: joined.failures,
        join_secs: joined.took.as_secs_f64(),
        rss0,
        rss1,
        rss_n,
        rss_after,
        server_threads,
        server_fds,
        steps,
        idle: idles,
    }
}

/// The same moves seen by a local follower of the viewers' size.
fn local_follower(plan: &Plan) -> Vec<Step> {
    eprintln!("local follower ...");
    let scratch = Scratch::with_report("servebench-follow", &seed::report());
    let pos = scratch.path("room.pos").display().to_string();
    let report = scratch.report().display().to_string();
    let state = scratch.state().display().to_string();
    let dir = scratch.dir().to_owned();
    let mut presenter = Spawn::new(bin!())
        .args(&["--present", "--share", &pos, &report])
        .size(PRESENTER.0, PRESENTER.1)
        .env("XDG_STATE_HOME", &state)
        .cwd(&dir)
        .start();
    presenter.wait_text("thema 1/7");
    let size = plan.size;
    let follower = Remote::start("follower", move || {
        Spawn::new(bin!())
            .args(&["--present", "--follow", &pos, &report])
            .size(size.0, size.1)
            .env("XDG_STATE_HOME", &state)
            .cwd(&dir)
            .start()
    });
    let shown = follower.run(|p| first_frame_of(p, "thema 1/7"));
    if !matches!(shown, Some(Ok(()))) {
        eprintln!("  the local follower did not start: {shown:?}");
        return Vec::new();
    }
    let crowd = Crowd {
        members: vec![follower],
    };
    moves(&mut presenter, &crowd, 0, plan.moves)
}

/// A viewer that never reads among others.
struct Stuck {
    others: usize,
    reading: Vec<Step>,
    stopped: Vec<Step>,
    /// What the server's RSS grew by when the viewer to stop joined, KiB.
    stuck_kib: Option<f64>,
    /// Bytes the viewer to stop received for the moves while it read.
    read_bytes: Option<usize>,
    /// Bytes it received from SIGSTOP until quiet after SIGCONT.
    stuck_bytes: Option<usize>,
    /// Whether it then showed the last theme.
    caught_up: bool,
    dropped: bool,
}

fn stuck(keys: &Keys, plan: &Plan) -> Option<Stuck> {
    let n = plan.stuck_viewers;
    if n < 2 {
        return None;
    }
    eprintln!("{n} viewers, one of them stopped ...");
    let mut server = Server::start(keys, true, n);
    let mut others = Crowd::default();
    join(&server, keys, n - 1, plan.size, &mut others);
    std::thread::sleep(plan.settle);
    let before = server.rss_kib();
    let mut one = Crowd::default();
    join(&server, keys, 1, plan.stuck_size, &mut one);
    let Some(stopped) = one.members.pop() else {
        eprintln!("  the viewer to stop did not join");
        return None;
    };
    std::thread::sleep(plan.settle);
    let stuck_kib = before
        .zip(server.rss_kib())
        .map(|(b, a)| a as f64 - b as f64);
    let start = stopped.run(|p| p.mark());
    eprintln!("  {} moves, all reading ...", plan.moves);
    let reading = moves(&mut server.pty, &others, 0, plan.moves);
    let mark = stopped.run(|p| {
        p.settle(QUIET, Duration::from_secs(10));
        p.signal("STOP");
        p.mark()
    });
    eprintln!("  {} moves, one stopped ...", plan.moves);
    let steps = moves(&mut server.pty, &others, plan.moves, plan.moves);
    // The theme the presenter is on now.
    let last = theme_of(2 * plan.moves - 1);
    let after = stopped.run(move |p| {
        p.signal("CONT");
        let expect = format!("thema {last}/{THEMES}");
        let caught_up = p.try_wait_for(STEP_TIMEOUT, |s| footer(s).contains(&expect));
        p.settle(QUIET, Duration::from_secs(10));
        (p.mark(), caught_up)
    });
    let dropped = server.log().contains("stopped reading");
    Some(Stuck {
        others: others.len(),
        reading,
        stopped: steps,
        stuck_kib,
        read_bytes: start.zip(mark).map(|(a, b)| b.saturating_sub(a)),
        stuck_bytes: mark.zip(after).map(|(m, (end, _))| end.saturating_sub(m)),
        caught_up: after.is_some_and(|a| a.1),
        dropped,
    })
}

// ---------------------------------------------------------------------------
// statistics and tables

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

fn median(v: &[f64]) -> Option<f64> {
    let v = sorted(v.to_vec());
    match v.len() {
        0 => None,
        n if n % 2 == 1 => Some(v[n / 2]),
        n => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}

// Nearest-rank percentile.
fn percentile(v: &[f64], p: f64) -> Option<f64> {
    let v = sorted(v.to_vec());
    if v.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    Some(v[rank.clamp(1, v.len()) - 1])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn show(v: Option<f64>, digits: usize) -> String {
    v.map_or("–".into(), |v| format!("{v:.digits$}"))
}

fn mib(kib: Option<u64>) -> String {
    show(kib.map(|k| k as f64 / 1024.0), 1)
}

/// Latency figures of some moves: (moves measured, missed, median of the
/// last viewer, p90 of it, max of it, median over moves of the median viewer).
struct Latency {
    moves: usize,
    missed: usize,
    last_median: Option<f64>,
    last_p90: Option<f64>,
    last_max: Option<f64>,
    typical: Option<f64>,
}

fn latency(steps: &[Step]) -> Latency {
    let last: Vec<f64> = steps.iter().filter_map(Step::last).map(ms).collect();
    let typical: Vec<f64> = steps
        .iter()
        .filter_map(|s| {
            let each: Vec<f64> = s.latency.iter().flatten().copied().map(ms).collect();
            median(&each)
        })
        .collect();
    Latency {
        moves: steps.len(),
        missed: steps.iter().map(Step::missed).sum(),
        last_median: median(&last),
        last_p90: percentile(&last, 90.0),
        last_max: last.iter().copied().reduce(f64::max),
        typical: median(&typical),
    }
}

/// Bytes per viewer per move, over the clean moves: (median, min, max, clean moves).
fn bytes(steps: &[Step]) -> (Option<f64>, Option<f64>, Option<f64>, usize) {
    let clean: Vec<&Step> = steps.iter().filter(|s| s.clean).collect();
    let all: Vec<f64> = clean
        .iter()
        .flat_map(|s| s.bytes.iter().flatten().map(|b| *b as f64))
        .collect();
    (
        median(&all),
        all.iter().copied().reduce(f64::min),
        all.iter().copied().reduce(f64::max),
        clean.len(),
    )
}

fn latency_row(out: &mut String, what: &str, viewers: usize, steps: &[Step]) {
    let l = latency(steps);
    let _ = writeln!(
        out,
        "| {what} | {viewers} | {} | {} | {} | {} | {} | {} |",
        l.moves,
        show(l.last_median, 1),
        show(l.last_p90, 1),
        show(l.last_max, 1),
        show(l.typical, 1),
        l.missed,
    );
}

fn header(plan: &Plan, load: &str, files: (u64, u64)) -> String {
    let mut out = String::new();
    let ssh = std::process::Command::new("ssh")
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stderr).trim().to_string())
        .unwrap_or_else(|_| "?".into());
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let _ = writeln!(out, "## briefing --serve ({ssh})\n");
    let _ = writeln!(
        out,
        "load average at the start: {load} · {cpus} CPUs · binary {} · presenter {}x{}, viewers {}x{} · {} moves per case · open files limit {}/{}\n",
        bin!(),
        PRESENTER.0,
        PRESENTER.1,
        plan.size.0,
        plan.size.1,
        plan.moves,
        files.0,
        files.1,
    );
    out
}

fn memory_table(out: &mut String, runs: &[Run], size: (u16, u16)) {
    let _ = writeln!(
        out,
        "### 1. Server memory per viewer (VmRSS; goal ≤ 1 MB per viewer)\n"
    );
    let _ = writeln!(
        out,
        "| viewers | joined | join s | RSS 0 viewers MiB | RSS joined MiB | per viewer KiB | first viewer KiB | each further KiB | RSS after moves MiB | per viewer after moves KiB | server threads | server fds | met? |"
    );
    let _ = writeln!(
        out,
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    for r in runs {
        // The goal is the cost of one more viewer.
        let marginal = r.further_kib().or(r.per_viewer_kib(false));
        let _ = writeln!(
            out,
            "| {} | {} | {:.1} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.n,
            r.joined,
            r.join_secs,
            mib(r.rss0),
            mib(r.rss_n),
            show(r.per_viewer_kib(false), 0),
            show(r.first_kib(), 0),
            show(r.further_kib(), 0),
            mib(r.rss_after),
            show(r.per_viewer_kib(true), 0),
            r.server_threads,
            r.server_fds,
            marginal.map_or("–", |w| if w <= 1024.0 { "yes" } else { "no" }),
        );
    }
    let _ = writeln!(
        out,
        "\nPer viewer: (RSS joined − RSS 0 viewers) / viewers. The first viewer also pays one-time costs (the runtime's threads' first allocations); each further one only its own (RSS joined − RSS with one, over the rest); the goal is judged on that."
    );
    let cells = usize::from(size.0) * usize::from(size.1);
    let cell = size_of::<ratatui::buffer::Cell>();
    let mirror = size_of::<Option<ratatui::buffer::Cell>>();
    let screens = cells * (3 * cell + mirror);
    let _ = writeln!(
        out,
        "\nA viewer's screen state at {}x{}: {cells} cells × (3 × {cell} B: ratatui's two Buffers and the last frame's copy, + {mirror} B: the wire backend's mirror) = {:.0} KiB; the rest is its layout, its SSH connection and task.\n",
        size.0,
        size.1,
        screens as f64 / 1024.0,
    );
}

fn latency_table(out: &mut String, runs: &[Run], follower: &[Step]) {
    let _ = writeln!(
        out,
        "### 2. Presenter key → last viewer's frame, ms (goal ≤ 50 ms at 100 viewers)\n"
    );
    let _ = writeln!(
        out,
        "| case | viewers | moves | last viewer median | p90 | max | median viewer (median) | missed |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|");
    for r in runs.iter().filter(|r| !r.steps.is_empty()) {
        latency_row(out, "ssh viewers", r.joined, &r.steps);
    }
    if !follower.is_empty() {
        latency_row(out, "local follower (position file)", 1, follower);
    }
    let _ = writeln!(out);
}

fn bytes_table(out: &mut String, runs: &[Run], follower: &[Step]) {
    let _ = writeln!(
        out,
        "### 3. Bytes per viewer per move (goal: the same as a local follower of that size)\n"
    );
    let _ = writeln!(
        out,
        "| case | viewers | clean moves | median | min | max | × local follower |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|");
    let reference = bytes(follower).0;
    for r in runs.iter().filter(|r| !r.steps.is_empty()) {
        let (med, min, max, clean) = bytes(&r.steps);
        let ratio = med.zip(reference).map(|(m, f)| m / f);
        let _ = writeln!(
            out,
            "| ssh viewers | {} | {clean} | {} | {} | {} | {} |",
            r.joined,
            show(med, 0),
            show(min, 0),
            show(max, 0),
            show(ratio, 2),
        );
    }
    if !follower.is_empty() {
        let (med, min, max, clean) = bytes(follower);
        let _ = writeln!(
            out,
            "| local follower | 1 | {clean} | {} | {} | {} | 1.00 |",
            show(med, 0),
            show(min, 0),
            show(max, 0),
        );
    }
    let _ = writeln!(
        out,
        "\nA clean move ended (100 ms quiet included) within its wall-clock second, so no clock tick is in its bytes.\n"
    );
}

fn idle_table(out: &mut String, idles: &[&Idle]) {
    if idles.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "### 4. Idle server, nobody pressing anything (goal: no wake-ups beyond keepalives)\n"
    );
    let _ = writeln!(
        out,
        "| server | viewers | window s | CPU ms (utime+stime) | CPU ms (schedstat) | voluntary switches | per s | involuntary | keepalives expected (1 per 15 s each) | bytes to viewers |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for i in idles {
        let _ = writeln!(
            out,
            "| {} | {} | {:.1} | {} | {} | {} | {} | {} | {:.0} | {} |",
            i.what,
            i.viewers,
            i.secs,
            show(i.cpu_ms, 0),
            show(i.sched_ms, 1),
            i.voluntary.map_or("–".into(), |v| v.to_string()),
            show(i.voluntary.map(|v| v as f64 / i.secs), 1),
            i.involuntary.map_or("–".into(), |v| v.to_string()),
            i.viewers as f64 * i.secs / 15.0,
            i.bytes,
        );
    }
    let _ = writeln!(
        out,
        "\nSwitches are summed over the server's threads (/proc/PID/task/*/status). Presenting, every viewer's clock ticks once a second.\n"
    );
}

fn stuck_table(out: &mut String, s: &Stuck, plan: &Plan) {
    let _ = writeln!(
        out,
        "### 5. One viewer that never reads ({}x{}, ssh stopped) among {} reading viewers\n",
        plan.stuck_size.0, plan.stuck_size.1, s.others
    );
    let _ = writeln!(
        out,
        "| case | viewers | moves | last viewer median | p90 | max | median viewer (median) | missed |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|");
    latency_row(out, "all reading", s.others, &s.reading);
    latency_row(out, "one stopped", s.others, &s.stopped);
    let count = |b: Option<usize>| b.map_or("–".into(), |b| b.to_string());
    // What a reading viewer got for the same moves (comparable at the same size).
    let reader: Option<usize> = s
        .stopped
        .iter()
        .map(|step| step.bytes.first().copied().flatten())
        .sum();
    let verdict = match (s.stuck_bytes, reader) {
        _ if plan.stuck_size != plan.size => String::new(),
        (Some(got), Some(all)) if got * 10 < all * 9 => {
            format!(" (a reading viewer: {all}; frames were skipped)")
        }
        (Some(_), Some(all)) => format!(
            " (a reading viewer: {all}; every frame went out: nothing backed up far enough to skip one)"
        ),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "\nThe viewer to stop: its joining grew the server by {} KiB; it received {} bytes for the {} moves while it read, and after SIGCONT {} bytes for the {} moves while it was stopped{verdict}; it {}; {}.\n",
        show(s.stuck_kib, 0),
        count(s.read_bytes),
        s.reading.len(),
        count(s.stuck_bytes),
        s.stopped.len(),
        if s.caught_up {
            "then showed the presenter's theme"
        } else {
            "then did NOT show the presenter's theme"
        },
        if s.dropped {
            "the server dropped it (stopped reading)"
        } else {
            "the server did not drop it"
        },
    );
}

fn main() {
    let plan = Plan::from(Opts::parse());
    let load = bench_serve::loadavg();
    let files = bench_serve::raise_open_files();
    let started = Instant::now();
    eprintln!("serve bench: load average {load}; binary {}", bin!());
    let keys = Keys::new();
    let mut runs: Vec<Run> = if plan.runs(Case::Viewers) {
        plan.viewers
            .iter()
            .map(|&n| run(&keys, &plan, n, true))
            .collect()
    } else {
        Vec::new()
    };
    let follower = if plan.runs(Case::Follower) {
        local_follower(&plan)
    } else {
        Vec::new()
    };
    let browsing = (plan.runs(Case::Browsing) && !plan.idle.is_zero() && plan.most() > 0)
        .then(|| run(&keys, &plan, plan.most(), false));
    let stuck = plan
        .runs(Case::Stuck)
        .then(|| stuck(&keys, &plan))
        .flatten();

    let mut out = header(&plan, &load, files);
    runs.sort_by_key(|r| r.n);
    if !runs.is_empty() {
        memory_table(&mut out, &runs, plan.size);
    }
    if let Some(b) = &browsing {
        let _ = writeln!(
            out,
            "Not presenting (viewers browse), {} viewers: {} KiB per viewer ({} → {} MiB).\n",
            b.joined,
            show(b.per_viewer_kib(false), 0),
            mib(b.rss0),
            mib(b.rss_n),
        );
    }
    if runs.iter().any(|r| !r.steps.is_empty()) || !follower.is_empty() {
        latency_table(&mut out, &runs, &follower);
        bytes_table(&mut out, &runs, &follower);
    }
    let idles: Vec<&Idle> = runs
        .iter()
        .chain(browsing.as_ref())
        .flat_map(|r| r.idle.iter())
        .collect();
    idle_table(&mut out, &idles);
    if let Some(s) = &stuck {
        stuck_table(&mut out, s, &plan);
    }
    let failures: Vec<&String> = runs
        .iter()
        .chain(browsing.as_ref())
        .flat_map(|r| r.failures.iter())
        .collect();
    if !failures.is_empty() {
        let _ = writeln!(out, "### Viewers that did not join ({})\n", failures.len());
        for f in failures {
            let _ = writeln!(out, "- {f}");
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(
        out,
        "load average at the end: {} · {:.0} s in all",
        bench_serve::loadavg(),
        started.elapsed().as_secs_f64()
    );
    print!("{out}");
}
