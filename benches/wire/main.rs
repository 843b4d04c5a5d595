//! The wire harness: the real release binary in a pseudo-terminal, measuring
//! what a reader on a slow link pays, beside `less` on the plain text of the
//! same report where less can do the same:
//!
//! * browsing (`browse`): the first frame and everyday actions, bytes
//!   against the erase-aware floor and the old changed-cells floor, idle
//!   CPU, and (`--throttle`) the same over slow links;
//! * presenting (`present`): entering the presentation, and Space through
//!   every slide and point of the seed report, per move;
//! * sessions (`sessions`): start, search, live reload and quit on reports
//!   of 6 KB to 52 MB, with and without remembered state: first frame and
//!   reload times, the search keystroke distribution, peak memory;
//! * a wall screen (`wall`): a report whose ages change by themselves, idle
//!   presenting and browsing, per hour.
//!
//! Run: `cargo bench --bench wire [-- OPTIONS]` (`--help` lists them). Without
//! the `--bench` flag that `cargo bench` passes (as under
//! `cargo test --benches`) it is a quick smoke test: one run of everything
//! on the seed report at 80x24, one-second idle windows.
//!
//! Everything is printed as markdown on stdout, the environment first, one
//! line per measurement; progress goes to stderr. Method: BENCHMARKS.md.

#[path = "../support/floor.rs"]
mod floor;
#[path = "../support/generate.rs"]
mod generate;

mod browse;
mod harness;
mod present;
mod sessions;
mod wall;

use std::path::Path;
use std::time::{Duration, Instant};

use briefing_testkit::measure::{self, Harness};
use clap::{Parser, ValueEnum};

use harness::{MANIFEST_DIR, REPORTS, Workdir};

/// A part of the bench.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Section {
    /// First frame and everyday actions against both floors, idle, throttled links.
    Browse,
    /// Entering the presentation and the walk-through of the seed report.
    Present,
    /// Start, search, reload and quit by report size: times, keystrokes, memory.
    Sessions,
    /// The idle cost of a wall screen whose ages change by themselves.
    Wall,
}

/// The wire bench: briefing's bytes, times and memory in a pseudo-terminal.
#[derive(Debug, Parser)]
#[command(name = "wire")]
struct Opts {
    #[command(flatten)]
    harness: Harness,

    /// Runs of each browsing configuration and walk-through (medians reported)
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..))]
    runs: u16,

    /// Runs of each scripted session, with and without state
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..))]
    session_runs: u16,

    /// Idle windows (browsing configurations, wall screen), seconds; 0 skips them
    #[arg(long, value_name = "S", default_value_t = 10)]
    idle_secs: u64,

    /// Wait after start-up before an idle window opens, ms
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    idle_settle_ms: u64,

    /// Also browse over throttled links of these rates, bytes/s (e.g. 2400,56000)
    #[arg(long, value_name = "A,B,…", value_delimiter = ',')]
    throttle: Vec<u64>,

    /// Runs per configuration and rate over throttled links
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    throttle_runs: u16,

    /// Quiescence window that ends an action, ms
    #[arg(long, value_name = "MS", default_value_t = 50)]
    quiet_ms: u64,

    /// Reports: browsing uses seed and 10MB of these, presenting the seed, sessions all
    #[arg(long, value_delimiter = ',', value_parser = clap::builder::PossibleValuesParser::new(REPORTS),
          default_values_t = REPORTS.map(String::from))]
    reports: Vec<String>,

    /// Terminal sizes for browsing and presenting
    #[arg(long, value_name = "WxH", value_delimiter = ',', value_parser = parse_size,
          default_values = ["80x24", "120x40"])]
    sizes: Vec<(u16, u16)>,

    /// Only these parts
    #[arg(long, value_enum, value_delimiter = ',',
          default_values_t = [Section::Browse, Section::Present, Section::Sessions, Section::Wall])]
    sections: Vec<Section>,

    /// Print every measured action's bytes, escaped, on stderr (also WIRE_DUMP=1)
    #[arg(long)]
    dump: bool,
}

fn parse_size(s: &str) -> Result<(u16, u16), String> {
    let (w, h) = s.split_once('x').ok_or("WxH, e.g. 80x24")?;
    let n = |v: &str| {
        v.parse::<u16>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or("a positive number")
    };
    Ok((n(w)?, n(h)?))
}

impl Opts {
    /// Without `--bench`: one quick run of everything on the seed report.
    fn smoke(mut self) -> Opts {
        if self.harness.smoke() {
            self.runs = 1;
            self.session_runs = 1;
            self.idle_secs = self.idle_secs.min(1);
            self.idle_settle_ms = self.idle_settle_ms.min(200);
            self.throttle.clear();
            self.reports = vec!["seed".into()];
            self.sizes = vec![(80, 24)];
        }
        self
    }

    fn has(&self, s: Section) -> bool {
        self.sections.contains(&s)
    }
}

fn main() {
    let o = Opts::parse().smoke();
    let started = Instant::now();
    if o.dump || std::env::var_os("WIRE_DUMP").is_some() {
        harness::DUMP.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    let quiet = Duration::from_millis(o.quiet_ms);
    let settle = Duration::from_millis(o.idle_settle_ms);
    let (runs, session_runs) = (usize::from(o.runs), usize::from(o.session_runs));

    println!("# briefing on the wire\n");
    measure::print_environment(Path::new(MANIFEST_DIR));
    println!(
        "Terminal: pseudo-terminal, TERM=xterm-256color, LANG=C.UTF-8; the {} binary. Runs: {runs} \
         per browsing configuration and walk-through, {session_runs} per session; quiescence \
         window {} ms; idle windows {} s.{}\n",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        o.quiet_ms,
        o.idle_secs,
        if o.harness.smoke() {
            " SMOKE TEST (no --bench): one run, seed report only."
        } else {
            ""
        }
    );

    let work = Workdir::new();
    // Only the reports some selected part reads (generating 52 MB takes a while).
    let needed = |tag: &str| {
        o.reports.iter().any(|r| r == tag)
            && (o.has(Section::Sessions)
                || (o.has(Section::Browse) && ["seed", "10MB"].contains(&tag))
                || (o.has(Section::Present) && tag == "seed"))
    };
    let reports: Vec<harness::Report> = REPORTS
        .iter()
        .filter(|t| needed(t))
        .map(|t| work.report(t))
        .collect();
    let find = |tag: &str| reports.iter().find(|r| r.tag == tag);

    if o.has(Section::Browse) {
        println!("## Browsing\n");
        let browsed: Vec<&harness::Report> =
            ["seed", "10MB"].iter().filter_map(|t| find(t)).collect();
        let cfgs = browse::configs(&work, &browsed, &o.sizes, quiet);
        for cfg in &cfgs {
            browse::run_config(&work, cfg, runs, quiet);
        }
        if o.idle_secs > 0 {
            browse::idle(&work, &cfgs, o.idle_secs, settle, quiet);
        }
        for &rate in &o.throttle {
            browse::throttled(&work, &cfgs, rate, usize::from(o.throttle_runs), quiet);
        }
    }
    if o.has(Section::Present)
        && let Some(seed) = find("seed")
    {
        println!("## Presenting\n");
        present::walkthrough(&work, seed, &o.sizes, runs, quiet);
    }
    if o.has(Section::Sessions) {
        println!("## Sessions by report size\n");
        let all: Vec<&harness::Report> = reports.iter().collect();
        sessions::sessions(&work, &all, session_runs, quiet);
    }
    if o.has(Section::Wall) && o.idle_secs > 0 {
        println!("## Wall screen\n");
        wall::wall(&work, o.idle_secs, settle, quiet);
    }
    println!(
        "Done in {}; load average {} at the end.",
        measure::took(started),
        measure::loadavg()
    );
}
