//! `cargo bench --bench kaohe`: checking specs and scoring entities, in
//! memory and end to end from JSON and CSV.
//! docs/performance.md records the figures and how they were taken.

// A benchmark stops loudly on bad setup: unwrap and expect are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kaohe::api::Entity;
use kaohe::api::{Options, Outcome, Spec};
use std::hint::black_box;
use std::time::Duration;

const SPEC_2024: &str = include_str!("../specs/liucheng-2024.kh");
const SEED: u64 = 2024;

fn spec_2024() -> Spec {
    Spec::check(SPEC_2024).expect("the 2024 spec checks")
}

fn entities(spec: &Spec, n: u64) -> Vec<Entity> {
    kaohe::testkit::entities(spec, SEED, n).collect()
}

/// Parse + check: the 2024 table, and generated specs of growing size.
fn check(c: &mut Criterion) {
    let mut g = c.benchmark_group("check");
    g.throughput(Throughput::Elements(71));
    g.bench_function("liucheng-2024", |b| {
        b.iter(|| kaohe::api::compile(black_box(SPEC_2024)))
    });
    for items in [1_000usize, 10_000] {
        let text = kaohe::testkit::spec(items);
        g.throughput(Throughput::Elements(items as u64));
        g.bench_with_input(BenchmarkId::new("generated", items), &text, |b, text| {
            b.iter(|| kaohe::api::compile(black_box(text)))
        });
    }
    g.finish();
}

/// Scoring the 2024 table from in-memory entities, one core: each into a
/// new outcome (`Spec::evaluate`), and into one outcome kept from the
/// entity before (`Spec::evaluate_into`, no allocation per entity).
fn eval_memory(c: &mut Criterion) {
    let spec = spec_2024();
    let batch = entities(&spec, 1_000);
    let mut g = c.benchmark_group("eval-memory");
    g.throughput(Throughput::Elements(batch.len() as u64));
    for explain in [false, true] {
        let options = Options { explain };
        let name = if explain { "explain-on" } else { "explain-off" };
        g.bench_function(name, |b| {
            b.iter(|| {
                for e in &batch {
                    let _ = black_box(spec.evaluate(e, options));
                }
            })
        });
        g.bench_function(format!("{name}-into"), |b| {
            let mut outcome = Outcome::default();
            b.iter(|| {
                for e in &batch {
                    let _ = black_box(spec.evaluate_into(e, options, &mut outcome));
                }
            })
        });
    }
    g.finish();
}

/// Scoring already-read entities of a dataset named by `KAOHE_DENSE`
/// (issue 19's dense years of the 2024 table, kept outside the
/// repository; skipped when unset): read once, then scored one by one into
/// one outcome kept, explanations off and on.
fn eval_dense(c: &mut Criterion) {
    let Some(path) = std::env::var_os("KAOHE_DENSE") else {
        return;
    };
    let spec = spec_2024();
    let batch: Vec<Entity> = spec.open(path.as_ref()).unwrap().flatten().collect();
    let mut g = c.benchmark_group("eval-dense");
    g.throughput(Throughput::Elements(batch.len() as u64));
    for explain in [false, true] {
        let options = Options { explain };
        let name = if explain { "explain-on" } else { "explain-off" };
        g.bench_function(name, |b| {
            let mut outcome = Outcome::default();
            b.iter(|| {
                for e in &batch {
                    let _ = black_box(spec.evaluate_into(e, options, &mut outcome));
                }
            })
        });
    }
    g.finish();
}

/// End to end from JSON text: reading, then scoring, one core.
fn eval_json(c: &mut Criterion) {
    let spec = spec_2024();
    let batch = entities(&spec, 1_000);
    let json: Vec<serde_json::Value> = batch
        .iter()
        .map(|e| kaohe::testkit::to_json(&spec, e))
        .collect();
    let text = serde_json::Value::Array(json).to_string();
    let mut g = c.benchmark_group("eval-json");
    g.throughput(Throughput::Elements(batch.len() as u64));
    for explain in [false, true] {
        let name = if explain { "explain-on" } else { "explain-off" };
        g.bench_function(name, |b| {
            b.iter(|| {
                let (read, _) = spec.read_json(black_box(&text), "bench.json");
                for e in &read {
                    let _ = black_box(spec.evaluate(e, Options { explain }));
                }
            })
        });
    }
    g.finish();
}

/// End to end from CSV: the same 1,000 entities as a CSV dataset (a file
/// of scalar inputs and a file per list input), read row by row, then
/// scored into one outcome kept, one core.
fn eval_csv(c: &mut Criterion) {
    let spec = spec_2024();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("kaohe-bench-csv");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("units.csv");
    let batch = entities(&spec, 1_000);
    kaohe::testkit::write_csv(&spec, batch.into_iter(), &path, 1_000).unwrap();
    let mut g = c.benchmark_group("eval-csv");
    g.throughput(Throughput::Elements(1_000));
    for explain in [false, true] {
        let name = if explain { "explain-on" } else { "explain-off" };
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut outcome = Outcome::default();
                for e in spec.open(black_box(&path)).unwrap().flatten() {
                    let _ = black_box(spec.evaluate_into(&e, Options { explain }, &mut outcome));
                }
            })
        });
    }
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

/// A CSV dataset of 20,000 entities read and scored on one core (into one
/// outcome kept), and as
/// `kaohe eval` reads one: this thread reads while all cores score, 1,024
/// entities at a time.
fn eval_csv_stream(c: &mut Criterion) {
    let spec = spec_2024();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("kaohe-bench-csv-stream");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("units.csv");
    let batch = kaohe::testkit::entities(&spec, 2024, 20_000);
    kaohe::testkit::write_csv(&spec, batch, &path, 10_000).unwrap();
    let open = || spec.open(black_box(&path)).unwrap().flatten();
    let off = Options { explain: false };
    let mut g = c.benchmark_group("eval-csv-stream");
    g.throughput(Throughput::Elements(20_000));
    g.bench_function("one-core", |b| {
        b.iter(|| {
            let mut outcome = Outcome::default();
            let mut scored = open().map(|e| spec.evaluate_into(&e, off, &mut outcome));
            scored.by_ref().filter(Result::is_ok).count()
        })
    });
    let cores = rayon::current_num_threads();
    g.bench_function(format!("{cores}-cores"), |b| {
        b.iter(|| {
            let mut n = 0;
            let _ = spec.evaluate_parallel(open(), off, 1024, |s| {
                n += usize::from(s.outcome.is_ok());
                Ok::<(), ()>(())
            });
            n
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 19's dense years (`KAOHE_DENSE`, as for `eval-dense`) as a CSV
/// dataset, written as `kaohe template --fill` lays it out, read and
/// scored as `kaohe eval` does (`evaluate_parallel`: the calling thread
/// splits the rows, the pool reads them into values and scores), on the
/// global pool (`RAYON_NUM_THREADS=1` for one thread).
fn eval_csv_dense(c: &mut Criterion) {
    let Some(dense) = std::env::var_os("KAOHE_DENSE") else {
        return;
    };
    let spec = spec_2024();
    let units: Vec<Entity> = spec.open(dense.as_ref()).unwrap().flatten().collect();
    let n = units.len() as u64;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("kaohe-bench-csv-dense");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("dense.csv");
    kaohe::testkit::write_csv(&spec, units.into_iter(), &path, 1_000).unwrap();
    let off = Options { explain: false };
    let mut g = c.benchmark_group("eval-csv-dense");
    g.throughput(Throughput::Elements(n));
    // On the global pool: `evaluate_parallel` waits for the pool's
    // results on the calling thread, which must not be one of the pool's
    // own (inside `ThreadPool::install` with one thread it would wait for
    // itself). One thread: RAYON_NUM_THREADS=1.
    let cores = rayon::current_num_threads();
    g.bench_function(format!("{cores}-threads"), |b| {
        b.iter(|| {
            let mut ok = 0;
            let read = spec.open(black_box(&path)).unwrap();
            let _ = spec.evaluate_parallel(read.flatten(), off, 1024, |s| {
                ok += usize::from(s.outcome.is_ok());
                Ok::<(), ()>(())
            });
            ok
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Batches in memory and a stream scored on one core, and on all cores.
fn eval_parallel(c: &mut Criterion) {
    let spec = spec_2024();
    let batch = entities(&spec, 20_000);
    let options = Options { explain: false };
    let cores = rayon::current_num_threads();
    let mut g = c.benchmark_group("eval-batch");
    g.throughput(Throughput::Elements(batch.len() as u64));
    // Batches of 1,024, each side holding a batch's outcomes until it is
    // done, as `evaluate_batch` returns them.
    let ok = |outcomes: Vec<Result<Outcome, _>>| outcomes.iter().filter(|o| o.is_ok()).count();
    g.bench_function("one-core", |b| {
        b.iter(|| {
            let batches = batch.chunks(1024);
            let one = |b: &[Entity]| b.iter().map(|e| spec.evaluate(e, options)).collect();
            batches.map(|b| ok(one(b))).sum::<usize>()
        })
    });
    g.bench_function(format!("{cores}-cores"), |b| {
        b.iter(|| {
            let batches = batch.chunks(1024);
            batches
                .map(|b| ok(spec.evaluate_batch(b, options)))
                .sum::<usize>()
        })
    });
    g.finish();
    let mut g = c.benchmark_group("eval-stream");
    g.throughput(Throughput::Elements(batch.len() as u64));
    g.bench_function("one-core", |b| {
        b.iter(|| {
            spec.evaluate_all(batch.iter().cloned(), options)
                .filter(|s| s.outcome.is_ok())
                .count()
        })
    });
    g.bench_function(format!("{cores}-cores"), |b| {
        b.iter(|| {
            let mut n = 0;
            let _ = spec.evaluate_parallel(batch.iter().cloned(), options, 1024, |s| {
                n += usize::from(s.outcome.is_ok());
                Ok::<(), ()>(())
            });
            n
        })
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
}

criterion_group! {
    name = benches;
    config = config();
    targets = check, eval_memory, eval_dense, eval_json, eval_csv, eval_csv_stream, eval_csv_dense, eval_parallel
}
criterion_main!(benches);
