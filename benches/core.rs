//! In-process benchmarks (criterion): loading and indexing (TOML and
//! Markdown), wrapping, one frame, one incremental search keystroke on a
//! 10 MB report, the HTML handout, and ten SSH viewers taking a new
//! version of a 10 MB report.
//!
//! Run: `cargo bench --bench core` (about 2 minutes on 2 cores). What each
//! group measures is written next to it; BENCHMARKS.md has the numbers.

#[path = "support/generate.rs"]
mod generate;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use briefing::action::Action;
use briefing::app::App;
use briefing::doc::Doc;
use briefing::report::{Format, Report};
use briefing::ui;
use briefing::view;
use criterion::{
    BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SEED: &str = include_str!("../report.toml");

fn load(src: &str) -> Doc {
    let report = Report::from_toml(src, Path::new("bench.toml")).expect("valid report");
    Doc::new(&report)
}

fn big_source() -> String {
    generate::report(generate::BIG_THEMES, generate::BIG_SEED)
}

/// The entry with the most text.
fn longest_entry(doc: &Doc) -> usize {
    (0..doc.entries.len())
        .max_by_key(|&i| doc.entry_blocks(i).map(|b| b.text.len()).sum::<usize>())
        .unwrap_or(0)
}

fn terminal(w: u16, h: u16) -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(w, h)).expect("test backend")
}

fn draw(term: &mut Terminal<TestBackend>, app: &App) {
    term.draw(|f| ui::render(app, f)).expect("draw");
}

/// `Report::from_toml` + `Doc::new` (parse, validate, sanitise, flatten, build
/// the search index), from a string already in memory (no file I/O); and the
/// parse alone for the 10 MB report.
fn bench_load(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    g.throughput(Throughput::Bytes(SEED.len() as u64));
    g.bench_function("seed_6KB", |b| b.iter(|| load(black_box(SEED))));
    let big = big_source();
    // One iteration per sample: 10 loads of a few hundred ms each.
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_millis(100));
    g.throughput(Throughput::Bytes(big.len() as u64));
    g.bench_function("generated_10MB", |b| b.iter(|| load(black_box(&big))));
    // The parse alone (`Report::from_toml`), to split the above into parsing
    // and preparing (`Doc::new` = the difference).
    g.bench_function("generated_10MB_parse_only", |b| {
        b.iter(|| Report::from_toml(black_box(&big), Path::new("bench.toml")).expect("valid"))
    });
    g.finish();
}

/// The same 10 MB report as Markdown (written by `briefing convert`):
/// `Report::from_markdown` + `Doc::new` against `Report::from_toml` +
/// `Doc::new`, and the parses alone. The goal: Markdown within 1.5x TOML.
fn bench_markdown(c: &mut Criterion) {
    let mut g = c.benchmark_group("load_markdown");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_millis(100));
    let big = big_source();
    let report = Report::from_toml(&big, Path::new("bench.toml")).expect("valid");
    let md = briefing::convert::to_string(&report, Format::Markdown).expect("writable");
    drop(report);
    println!(
        "load_markdown: the report is {} bytes as TOML, {} bytes as Markdown",
        big.len(),
        md.len()
    );
    g.throughput(Throughput::Bytes(big.len() as u64));
    g.bench_function("generated_10MB_toml", |b| b.iter(|| load(black_box(&big))));
    g.throughput(Throughput::Bytes(md.len() as u64));
    g.bench_function("generated_10MB_markdown", |b| {
        b.iter(|| {
            let r = Report::from_markdown(black_box(&md), Path::new("bench.md")).expect("valid");
            Doc::new(&r)
        })
    });
    g.bench_function("generated_10MB_markdown_parse_only", |b| {
        b.iter(|| Report::from_markdown(black_box(&md), Path::new("bench.md")).expect("valid"))
    });
    g.finish();
}

/// `html::render` of the seed report and of the 10 MB report (the `Doc`
/// prepared beforehand), with the handout's size printed once.
fn bench_html(c: &mut Criterion) {
    let mut g = c.benchmark_group("html");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let seed = load(SEED);
    let size = briefing::html::render(&seed, None, 0).len();
    println!(
        "html: the seed handout is {size} bytes ({} bytes of TOML)",
        SEED.len()
    );
    g.throughput(Throughput::Bytes(size as u64));
    g.bench_function("seed", |b| {
        b.iter(|| briefing::html::render(black_box(&seed), None, 0))
    });
    let big = load(&big_source());
    let size = briefing::html::render(&big, None, 0).len();
    println!("html: the 10 MB report's handout is {size} bytes");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_millis(100));
    g.throughput(Throughput::Bytes(size as u64));
    g.bench_function("generated_10MB", |b| {
        b.iter(|| briefing::html::render(black_box(&big), None, 0))
    });
    g.finish();
}

/// What the browser does between loading and its first frame on the 10 MB
/// report: `App::bare(doc, 80, 24)` (layout, list, areas) + the first
/// `Terminal::draw` into a fresh 80x24 `TestBackend`. The `Doc` is loaded in
/// the untimed setup of every iteration (`iter_batched`, one per batch).
fn bench_startup(c: &mut Criterion) {
    let mut g = c.benchmark_group("startup_10MB");
    // The setup (a 10 MB load) dominates the wall time: ~10 loads in all.
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(100))
        .measurement_time(Duration::from_secs(3));
    let big = big_source();
    g.bench_function("app_new_and_first_frame_80x24", |b| {
        b.iter_batched(
            || load(&big),
            |doc| {
                let app = App::bare(doc, 80, 24);
                let mut term = terminal(80, 24);
                draw(&mut term, &app);
                app
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

/// `view::layout` of the longest theme of the seed report (the text panel's
/// wrap, hyphenation included) at several panel widths.
fn bench_wrap(c: &mut Criterion) {
    let doc = load(SEED);
    let entry = longest_entry(&doc);
    let mut g = c.benchmark_group("wrap_longest_seed_theme");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1));
    for width in [20u16, 40, 80, 160] {
        g.bench_with_input(BenchmarkId::from_parameter(width), &width, |b, &w| {
            b.iter(|| view::layout(black_box(&doc), entry, w))
        });
    }
    g.finish();
}

/// One frame of the App into a `TestBackend`:
/// * `steady_80x24`: `Terminal::draw` of the first screen when the previous
///   frame was identical (render into the buffer + diff that finds nothing);
/// * `full_80x24`: a fresh terminal each time (render + diff against an empty
///   buffer + writing every cell to the test backend): the first frame's cost;
/// * `next_theme_80x24`: `update(Down)` with the list focused + draw,
///   alternating with `update(Up)` + draw (the figure is per pair).
fn bench_render(c: &mut Criterion) {
    let mut g = c.benchmark_group("render");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1));
    let app = App::bare(load(SEED), 80, 24);
    let mut term = terminal(80, 24);
    draw(&mut term, &app);
    g.bench_function("steady_80x24", |b| {
        b.iter(|| draw(&mut term, black_box(&app)))
    });
    g.bench_function("full_80x24", |b| {
        b.iter(|| {
            let mut t = terminal(80, 24);
            draw(&mut t, black_box(&app));
            t
        })
    });
    let mut app = App::bare(load(SEED), 80, 24);
    let mut term = terminal(80, 24);
    draw(&mut term, &app);
    g.bench_function("next_theme_pair_80x24", |b| {
        b.iter(|| {
            app.update(Action::Down);
            draw(&mut term, &app);
            app.update(Action::Up);
            draw(&mut term, &app);
        })
    });
    g.finish();
}

/// One incremental search keystroke on the 10 MB report at 80x24.
///
/// Setup (once): App on the generated report, `SearchStart`, then
/// "veiligheidsregi" typed one character at a time, and a frame drawn.
/// * `keystroke_o`: the timed part of each iteration is exactly
///   `update(SearchInput('o'))` (refining the matches to "veiligheidsregio",
///   jumping to the first match, relayout) + `Terminal::draw` into the 80x24
///   `TestBackend` (render with highlights of the visible matches + diff).
///   Each iteration then untimed restores the state with
///   `update(SearchBackspace)` + draw, so every timed keystroke starts from the
///   same state (App is not Clone). Uses `iter_custom`.
/// * `keystroke_pair`: `SearchInput('o')` + draw + `SearchBackspace` + draw,
///   both timed (the backspace re-searches the shorter query).
fn bench_search(c: &mut Criterion) {
    let mut g = c.benchmark_group("search_10MB");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_secs(3));
    let mut app = App::bare(load(&big_source()), 80, 24);
    let mut term = terminal(80, 24);
    app.update(Action::SearchStart);
    for ch in "veiligheidsregi".chars() {
        app.update(Action::SearchInput(ch));
    }
    draw(&mut term, &app);
    g.bench_function("keystroke_o", |b| {
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                app.update(Action::SearchInput('o'));
                draw(&mut term, &app);
                timed += start.elapsed();
                app.update(Action::SearchBackspace);
                draw(&mut term, &app);
            }
            timed
        })
    });
    g.bench_function("keystroke_pair", |b| {
        b.iter(|| {
            app.update(Action::SearchInput('o'));
            draw(&mut term, &app);
            app.update(Action::SearchBackspace);
            draw(&mut term, &app);
        })
    });
    g.finish();
}

/// Ten viewers (sessions of `--serve`) take a new version of a 10 MB
/// report: each comparing it with what they saw, as before, against one
/// comparison shared by all (`serve/publish.rs` makes it once per baseline;
/// here, the one every viewer holds before their first reload).
fn bench_viewers_reload(c: &mut Criterion) {
    use briefing::app::Event;
    use briefing::changes::Against;
    use std::sync::Arc;
    const VIEWERS: usize = 10;
    let mut g = c.benchmark_group("viewers_reload_10MB");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_secs(5));
    let src = big_source();
    let old = Arc::new(load(&src));
    let new = Arc::new(load(&src.replacen("title = \"", "title = \"Herzien ", 1)));
    let viewers = || -> Vec<App> {
        (0..VIEWERS)
            .map(|_| App::bare(old.clone(), 80, 24))
            .collect()
    };
    g.bench_function("each_compares", |b| {
        b.iter_batched(
            viewers,
            |mut vs| {
                for v in &mut vs {
                    v.handle(Event::Reloaded(new.clone(), None));
                }
                vs
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("compared_once", |b| {
        b.iter_batched(
            viewers,
            |mut vs| {
                let against = Against {
                    seen: None,
                    shown: old.clone(),
                    version: 0,
                };
                let c = against.compare(&new);
                for v in &mut vs {
                    v.handle(Event::Reloaded(new.clone(), Some(c.clone())));
                }
                vs
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group! {
    name = benches;
    // No plots: they cost more time than the whole run is allowed.
    config = Criterion::default().without_plots();
    targets = bench_load, bench_markdown, bench_html, bench_startup, bench_wrap, bench_render, bench_search, bench_viewers_reload
}
criterion_main!(benches);
