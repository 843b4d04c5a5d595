//! Keeping versions (src/history): the bytes a version takes on disk, the
//! time to record one (new, and already kept), and the start-up cost of a
//! history of 100 versions against the start-up it adds to (preparing the
//! report, `Doc::from_source`).
//!
//! Run: `cargo bench --bench history` (about a minute on 2 cores). The
//! history lives in a temporary directory under $TMPDIR, so records pay for
//! real fsyncs of that file system. BENCHMARKS.md has the numbers.

#[path = "support/generate.rs"]
mod generate;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use briefing::doc::Doc;
use briefing::history::{Format, History};
use criterion::{BatchSize, Criterion, SamplingMode, criterion_group, criterion_main};

const SEED: &str = include_str!("../report.toml");
const HOOGWATER: &str = include_str!("../examples/hoogwater.toml");

/// A fresh history in a temporary directory (removed when dropped).
fn fresh() -> (tempfile::TempDir, History) {
    let dir = tempfile::tempdir().expect("temp dir");
    let report = dir.path().join("report.toml");
    std::fs::write(&report, "").expect("report");
    let h = History::open_in(&dir.path().join("state"), &report).expect("open");
    (dir, h)
}

/// A distinct version of `source`: one comment line appended.
fn variant(source: &str, i: u64) -> String {
    format!("{source}\n# variant {i}\n")
}

/// Prints the bytes one version takes on disk (its file), for each report.
fn bench_bytes(_c: &mut Criterion) {
    let big = generate::report(generate::BIG_THEMES, generate::BIG_SEED);
    eprintln!("bytes on disk per version (gzip level 3):");
    for (name, source) in [
        ("seed", SEED),
        ("hoogwater", HOOGWATER),
        ("generated_10MB", &big),
    ] {
        let (_dir, h) = fresh();
        let r = h.record(source, Format::Toml, 0).expect("record");
        let on_disk = std::fs::metadata(&r.version().path).expect("stat").len();
        eprintln!(
            "  {name}: {} bytes of text -> {on_disk} bytes ({:.1}%)",
            source.len(),
            on_disk as f64 * 100.0 / source.len() as f64
        );
    }
}

/// `History::record` of a new version (hash, directory read, compress,
/// atomic write with two fsyncs, drop the oldest once 100 are kept), and of
/// a version already kept (hash and directory read only: what every start
/// with an unchanged report costs).
fn bench_record(c: &mut Criterion) {
    let mut g = c.benchmark_group("history_record");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for (name, source) in [("seed", SEED), ("hoogwater", HOOGWATER)] {
        let (_dir, h) = fresh();
        let mut i = 0;
        g.bench_function(format!("{name}_new"), |b| {
            b.iter_batched(
                || {
                    i += 1;
                    variant(source, i)
                },
                |text| h.record(&text, Format::Toml, 0).expect("record"),
                BatchSize::SmallInput,
            )
        });
        h.record(source, Format::Toml, 0).expect("record");
        g.bench_function(format!("{name}_known"), |b| {
            b.iter(|| {
                h.record(black_box(source), Format::Toml, 0)
                    .expect("record")
            })
        });
    }
    let big = generate::report(generate::BIG_THEMES, generate::BIG_SEED);
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(6))
        .warm_up_time(Duration::from_millis(100));
    let (_dir, h) = fresh();
    let mut i = 0;
    g.bench_function("generated_10MB_new", |b| {
        b.iter_batched(
            || {
                i += 1;
                variant(&big, i)
            },
            |text| h.record(&text, Format::Toml, 0).expect("record"),
            BatchSize::LargeInput,
        )
    });
    h.record(&big, Format::Toml, 0).expect("record");
    g.bench_function("generated_10MB_known", |b| {
        b.iter(|| h.record(black_box(&big), Format::Toml, 0).expect("record"))
    });
    g.finish();
}

/// Start-up: `History::open` + `list` with 100 versions kept, against
/// `Doc::from_source` of the seed and of the 10 MB report (the baseline:
/// the start-up it adds to).
fn bench_startup(c: &mut Criterion) {
    let mut g = c.benchmark_group("history_startup");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let (dir, h) = fresh();
    for i in 0..100 {
        h.record(&variant(SEED, i), Format::Toml, i as i64)
            .expect("record");
    }
    let report = dir.path().join("report.toml");
    let state = dir.path().join("state");
    g.bench_function("open_and_list_100_versions", |b| {
        b.iter(|| {
            let h = History::open_in(black_box(&state), &report).expect("open");
            assert_eq!(h.list().expect("list").len(), 100);
        })
    });
    // The floor under a list: the kernel reading 100 names (no decoding).
    g.bench_function("readdir_100_names_floor", |b| {
        b.iter(|| {
            let mut n = 0;
            for e in std::fs::read_dir(h.dir()).expect("read dir") {
                n += e.expect("entry").file_name().len();
            }
            n
        })
    });
    let (_empty_dir, empty) = fresh();
    g.bench_function("list_0_versions", |b| {
        b.iter(|| empty.list().expect("list"))
    });
    g.bench_function("baseline_doc_from_source_seed", |b| {
        b.iter_batched(
            || SEED.to_owned(),
            |s| Doc::from_source(s, Path::new("bench.toml")).expect("valid"),
            BatchSize::SmallInput,
        )
    });
    let big = generate::report(generate::BIG_THEMES, generate::BIG_SEED);
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_millis(100));
    g.bench_function("baseline_doc_from_source_10MB", |b| {
        b.iter_batched(
            || big.clone(),
            |s| Doc::from_source(s, Path::new("bench.toml")).expect("valid"),
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group! {
    name = benches;
    // No plots: they cost more time than the whole run is allowed.
    config = Criterion::default().without_plots();
    targets = bench_bytes, bench_record, bench_startup
}
criterion_main!(benches);
