//! What every part of the wire bench does: the reports, spawning the browser
//! and `less` in a pseudo-terminal, and measuring the first frame and an
//! action against both floors.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use briefing_testkit::measure::{self, ms};
use briefing_testkit::{Pty, Spawn};

use crate::{floor, generate};

pub const BIN: &str = env!("CARGO_BIN_EXE_briefing");
pub const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// Generous deadline for anything that must happen.
pub const DEADLINE: Duration = Duration::from_secs(30);
/// How long a key may take to show any effect.
pub const KEY_DEADLINE: Duration = Duration::from_secs(10);

/// The reports the bench can use, by tag.
pub const REPORTS: [&str; 4] = ["seed", "1MB", "10MB", "52MB"];

/// Themes of each generated report: about 525 bytes each.
fn themes_of(tag: &str) -> Option<usize> {
    match tag {
        "1MB" => Some(2_000),
        "10MB" => Some(generate::BIG_THEMES),
        "52MB" => Some(100_000),
        _ => None,
    }
}

/// A report the bench reads, in the bench's private directory.
pub struct Report {
    /// "seed", "1MB", "10MB" or "52MB".
    pub tag: &'static str,
    /// The private copy the browser opens.
    pub path: PathBuf,
    /// Its text, to restore it after a session rewrote it.
    pub text: String,
    /// Entries in the list (the N of the status line's `1/N`).
    pub entries: usize,
    /// The first theme's title, as written in the file.
    pub first_title: String,
}

impl Report {
    /// Size of the file in bytes.
    pub fn bytes(&self) -> u64 {
        self.text.len() as u64
    }

    /// The status line's position once the first frame is drawn.
    pub fn position(&self) -> String {
        format!("1/{}", self.entries)
    }

    /// The text with the first theme's title replaced by `title` (one
    /// changed theme, visible on the first screen).
    pub fn with_first_title(&self, title: &str) -> String {
        let from = format!("title = \"{}\"", self.first_title);
        let at = self.text.find("[[theme]]").expect("a theme");
        let rel = self.text[at..]
            .find(&from)
            .expect("the first theme's title");
        let mut out = String::with_capacity(self.text.len() + title.len());
        out.push_str(&self.text[..at + rel]);
        out.push_str(&format!("title = \"{title}\""));
        out.push_str(&self.text[at + rel + from.len()..]);
        out
    }

    /// Puts the original text back if a session changed the file.
    pub fn restore(&self) {
        let same = std::fs::metadata(&self.path).is_ok_and(|m| m.len() == self.bytes())
            && std::fs::read_to_string(&self.path).is_ok_and(|t| t == self.text);
        if !same {
            std::fs::write(&self.path, &self.text).expect("restore the report");
        }
    }
}

/// The bench's private directory (`$TMPDIR/briefing-bench-PID`): report
/// copies, state homes, plain text for less; quiet, since the browser
/// watches its report's directory, and private, so that two benches
/// running at once do not share state. Removed on drop.
pub struct Workdir {
    pub root: PathBuf,
}

impl Workdir {
    pub fn new() -> Workdir {
        let root = std::env::temp_dir().join(format!("briefing-bench-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("reports")).expect("create the bench directory");
        Workdir { root }
    }

    /// Copies (generating when needed) the report `tag` into the directory.
    pub fn report(&self, tag: &'static str) -> Report {
        let (source, entries) = match themes_of(tag) {
            Some(n) => {
                eprintln!("preparing the {tag} report ({n} themes)...");
                (generate::write_temp(n, generate::BIG_SEED), n)
            }
            None => (
                Path::new(MANIFEST_DIR).join("report.toml"),
                briefing_testkit::THEMES.len(),
            ),
        };
        let text = std::fs::read_to_string(&source).expect("read the report");
        let path = self.root.join("reports").join(format!("{tag}.toml"));
        std::fs::write(&path, &text).expect("copy the report");
        let first_title = {
            let at = text.find("[[theme]]").expect("a theme");
            let t = &text[at..];
            let start = t.find("title = \"").expect("a title") + "title = \"".len();
            let end = t[start..].find('"').expect("a closing quote");
            t[start..start + end].to_string()
        };
        Report {
            tag,
            path,
            text,
            entries,
            first_title,
        }
    }

    /// `briefing --plain --width <cols>` of the report, for less.
    pub fn plain(&self, report: &Report, cols: u16) -> PathBuf {
        let out = self.root.join(format!("{}-{cols}.txt", report.tag));
        if out.exists() {
            return out;
        }
        let o = Command::new(BIN)
            .args(["--plain", "--no-state", "--width", &cols.to_string()])
            .arg(&report.path)
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

    /// A fresh, empty state home (`XDG_STATE_HOME`) called `name`.
    pub fn fresh_state(&self, name: &str) -> PathBuf {
        let dir = self.root.join("state").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a state home");
        dir
    }

    /// A copy of state home `from` as `name` (a returning reader's state,
    /// the same before every session that may change it).
    pub fn copy_state(&self, from: &Path, name: &str) -> PathBuf {
        let to = self.fresh_state(name);
        copy_dir(from, &to);
        to
    }
}

impl Drop for Workdir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for e in std::fs::read_dir(from)
        .expect("read a state home")
        .flatten()
    {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            std::fs::create_dir_all(&target).expect("copy a state directory");
            // The browser refuses a state directory others may read.
            let _ = std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o700));
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy a state file");
        }
    }
}

/// Where a browser keeps what the reader saw.
#[derive(Clone, Copy)]
pub enum State<'a> {
    /// `--no-state`.
    Off,
    /// `XDG_STATE_HOME` here.
    At(&'a Path),
}

/// Starts the browser on `report` at `cols`x`rows` with `args`.
pub fn spawn_briefing(
    report: &Path,
    (cols, rows): (u16, u16),
    args: &[&str],
    state: State<'_>,
    rate: Option<u64>,
) -> Pty {
    let mut s = Spawn::new(BIN)
        .args(args)
        .arg(report.to_string_lossy())
        .size(cols, rows)
        .rate(rate)
        .cwd(report.parent().expect("a directory"));
    match state {
        State::Off => s = s.arg("--no-state"),
        State::At(home) => s = s.env("XDG_STATE_HOME", home.to_string_lossy()),
    }
    s.start()
}

/// Starts `less` on a text file.
pub fn spawn_less(text: &Path, (cols, rows): (u16, u16), rate: Option<u64>) -> Pty {
    Spawn::new("less")
        .arg(text.to_string_lossy())
        .size(cols, rows)
        .env("LESSHISTFILE", "-")
        .rate(rate)
        .cwd(text.parent().expect("a directory"))
        .start()
}

pub fn last_row(s: &vt100::Screen) -> String {
    briefing_testkit::screen::status(s)
}

/// The browser's first frame is complete: the status line ends in `1/N`.
pub fn at_start(position: &str) -> impl Fn(&vt100::Screen) -> bool + '_ {
    move |s| last_row(s).ends_with(position)
}

/// The browser's first frame is drawn: the status line shows a position
/// `1/…`, of the whole report or (a large one) of its first themes.
pub fn at_first_frame(s: &vt100::Screen) -> bool {
    last_row(s).contains(" 1/")
}

/// less has drawn its prompt.
pub fn less_ready(s: &vt100::Screen) -> bool {
    !last_row(s).is_empty()
}

/// One measured action (or a first frame), in f64 so medians fit it too.
#[derive(Clone, Copy, Default)]
pub struct Measure {
    /// Bytes actually received.
    pub bytes: f64,
    /// The erase-aware floor.
    pub floor: f64,
    /// The changed-cells floor (blanks painted as spaces, no erase).
    pub cell_floor: f64,
    /// From the key (first frame: from spawn) to the last byte, ms.
    pub ms: f64,
    /// Actual bytes: text, blanks, erase, moves, SGR, other.
    pub actual: [f64; 6],
    /// The erase-aware floor's bytes, same split.
    pub fparts: [f64; 6],
}

pub fn parts(p: floor::Parts) -> [f64; 6] {
    [p.text, p.blank, p.erase, p.moves, p.sgr, p.other].map(|v| v as f64)
}

impl Measure {
    pub fn of(bytes: &[u8], before: &vt100::Screen, after: &vt100::Screen, ms: f64) -> Measure {
        // In a debug build (the smoke test under `cargo test --benches`),
        // prove the floor on every real screen: its own encoding must work.
        let f = if cfg!(debug_assertions) {
            floor::verified_floor(before, after)
                .unwrap_or_else(|e| panic!("the floor is not an encoding of this change: {e}"))
        } else {
            floor::best_floor(before, after)
        };
        Measure {
            bytes: bytes.len() as f64,
            floor: f.total() as f64,
            cell_floor: floor::floor(before, after) as f64,
            ms,
            actual: parts(floor::classify(bytes)),
            fparts: parts(f),
        }
    }

    pub fn add(&mut self, o: &Measure) {
        self.bytes += o.bytes;
        self.floor += o.floor;
        self.cell_floor += o.cell_floor;
        self.ms += o.ms;
        for i in 0..6 {
            self.actual[i] += o.actual[i];
            self.fparts[i] += o.fparts[i];
        }
    }

    /// Field-wise medians.
    pub fn median(all: &[Measure]) -> Measure {
        let m =
            |f: &dyn Fn(&Measure) -> f64| measure::median(&all.iter().map(f).collect::<Vec<_>>());
        Measure {
            bytes: m(&|x| x.bytes),
            floor: m(&|x| x.floor),
            cell_floor: m(&|x| x.cell_floor),
            ms: m(&|x| x.ms),
            actual: std::array::from_fn(|i| m(&|x| x.actual[i])),
            fparts: std::array::from_fn(|i| m(&|x| x.fparts[i])),
        }
    }
}

/// Whether to print every action's bytes on stderr (`--dump` or WIRE_DUMP=1).
pub static DUMP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn dump(what: &str, bytes: &[u8]) {
    if DUMP.load(std::sync::atomic::Ordering::Relaxed) {
        eprintln!(
            "--- {what}: {} bytes\n{}",
            bytes.len(),
            bytes.escape_ascii()
        );
    }
}

/// Waits for the first complete frame: `ready`, then quiet; the time is that
/// of the last byte, from spawn.
pub fn first_frame(
    s: &Pty,
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

/// Sends `keys` and measures the action: everything until `quiet` passes
/// without output, against both floors.
pub fn measure(s: &mut Pty, keys: &[u8], quiet: Duration) -> Measure {
    measure_first(s, keys, quiet).0
}

/// Like [`measure`], also giving the time from the key to the first byte,
/// ms: a frame is written at once, so this is when the action's first frame
/// came (a search's match, before its count completes).
pub fn measure_first(s: &mut Pty, keys: &[u8], quiet: Duration) -> (Measure, f64) {
    let before = s.screen();
    let mark = s.mark();
    let (b, t0) = s.act(keys, quiet, KEY_DEADLINE);
    let after = s.screen();
    let bytes = s.since(mark);
    dump(&format!("{:?}", String::from_utf8_lossy(keys)), &bytes);
    let m = Measure::of(
        &bytes,
        &before,
        &after,
        b.last.map_or(0.0, |l| ms(l.duration_since(t0))),
    );
    (m, b.first.map_or(0.0, |f| ms(f.duration_since(t0))))
}

/// Sends `keys` and waits for the result, unmeasured.
pub fn step(s: &mut Pty, keys: &[u8], quiet: Duration) {
    let _ = s.act(keys, quiet, KEY_DEADLINE);
}

/// A presenting browser redraws its clock on whole seconds: before a
/// measured key, wait until the next tick is further away than the key's
/// result takes (and let a tick that just came finish).
pub fn clear_of_tick(s: &Pty, quiet: Duration) {
    if measure::clear_of_second(quiet * 3, Duration::from_millis(30)) {
        s.settle(quiet, DEADLINE);
    }
}
