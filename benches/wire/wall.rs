//! The idle cost of a wall screen: a report whose themes were updated a few
//! minutes ago (their ages in the list change by themselves), left alone
//! presenting and browsing; CPU, wake-ups and bytes written, per hour.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use briefing_testkit::Pty;
use briefing_testkit::measure::{Cpu, Table, num};

use crate::generate;
use crate::harness::{DEADLINE, KEY_DEADLINE, State, Workdir, last_row, spawn_briefing};

/// Themes of the wall report: all in the list at 80x24 (an age off screen
/// costs nothing, and a window that saw only those would lie), one's age
/// changing every three seconds.
const THEMES: usize = 20;

/// Measures and prints a presenting and a browsing wall screen idle for `secs`.
pub fn wall(work: &Workdir, secs: u64, settle: Duration, quiet: Duration) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let path = work.root.join("reports").join("wall.toml");
    std::fs::write(&path, generate::wall(THEMES, now, generate::BIG_SEED))
        .expect("write the wall report");
    let position = format!("1/{THEMES}");
    let ready = |s: &vt100::Screen| last_row(s).contains(&position);
    let start = |args: &[&str], name: &str| -> Pty {
        let state = work.fresh_state(name);
        let p = spawn_briefing(&path, (80, 24), args, State::At(&state), None);
        assert!(
            p.try_wait_for(DEADLINE, ready),
            "the wall screen did not start: {}",
            p.failure_report("wall")
        );
        p
    };
    let screens = [
        (
            "presenting (--present)",
            start(&["--present"], "wall-present"),
        ),
        ("browsing", start(&[], "wall-browse")),
    ];
    for (_, p) in &screens {
        p.settle(quiet, DEADLINE);
    }
    std::thread::sleep(settle);
    eprintln!("wall screens idle for {secs} s...");
    let before: Vec<_> = screens
        .iter()
        .map(|(_, p)| (Cpu::read(p.pid()), p.mark(), p.chunks()))
        .collect();
    let t0 = std::time::Instant::now();
    std::thread::sleep(Duration::from_secs(secs));
    let window = t0.elapsed().as_secs_f64();
    println!(
        "### Idle wall screen, 80x24: {THEMES} themes updated 3–4 minutes ago, {secs} s window\n"
    );
    println!(
        "The ages in the list change by themselves (one theme's every {} s); presenting, the clock \
         ticks every second. Per hour: the window's figures times 3600 / {secs}.\n",
        60 / THEMES
    );
    let mut t = Table::new(&[
        "screen",
        "CPU ms",
        "wake-ups",
        "bytes",
        "writes",
        "CPU ms per hour",
        "wake-ups per hour",
        "bytes per hour",
    ]);
    let hour = 3600.0 / window;
    for ((name, p), (c0, mark, chunks)) in screens.iter().zip(before) {
        let cpu = Cpu::read(p.pid()).zip(c0).map(|(c1, c0)| c1.since(c0));
        let bytes = (p.mark() - mark) as f64;
        let writes = (p.chunks() - chunks) as f64;
        let cpu_ms = cpu.map_or(f64::NAN, |c| c.sched_ns as f64 / 1e6);
        let wakeups = cpu.map_or(f64::NAN, |c| c.wakeups as f64);
        t.row([
            name.to_string(),
            num(cpu_ms, 2),
            num(wakeups, 0),
            num(bytes, 0),
            num(writes, 0),
            num(cpu_ms * hour, 0),
            num(wakeups * hour, 0),
            num(bytes * hour, 0),
        ]);
    }
    t.print();
    for (_, mut p) in screens {
        p.try_quit(b"q", KEY_DEADLINE);
    }
}
