//! `cargo bench --bench stream`: peak memory while streaming 1,000,000
//! generated entities through the 2024 table to CSV lines, explanations on.
//! Set KAOHE_STREAM_N for another count. Two sources: entities generated
//! in memory, and JSON lines (each entity written as JSON, then read back;
//! KAOHE_STREAM_JSON_N of them, a tenth of the count unless set).
//! A third source is a CSV dataset on disk (KAOHE_STREAM_CSV_N entities, a
//! tenth of the count unless set), read row by row and scored in chunks on
//! all cores: CSV in, CSV lines out.
//! Peak resident memory is the kernel's high-water mark (VmHWM), reset
//! between the runs.
//!
//! With KAOHE_STREAM_DENSE=dense.json (issue 19's 2,000 dense years, not in
//! the repository) it streams those instead, and only those: cycled with
//! new ids to KAOHE_STREAM_DENSE_N units (100,000 unless set), from memory
//! and as JSON lines read back one unit at a time, to CSV lines with
//! explanations on (docs/performance.md, "Round 8").
//!
//! It first prints single-core throughput measured in CPU time of this
//! process (utime + stime), which, unlike criterion's wall-clock figures,
//! holds when other builds share the machine.

// A benchmark stops loudly on bad setup: unwrap and expect are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{cpu_seconds, peak};
use kaohe::api::Entity;
use kaohe::api::{Options, Scored, Spec};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

const SPEC_2024: &str = include_str!("../specs/liucheng-2024.kh");

fn main() {
    let n: u64 = std::env::var("KAOHE_STREAM_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let spec = Spec::check(SPEC_2024).expect("the 2024 spec checks");
    if let Ok(path) = std::env::var("KAOHE_STREAM_DENSE") {
        dense(&spec, Path::new(&path));
        return;
    }
    let json_n: u64 = std::env::var("KAOHE_STREAM_JSON_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(n / 10);
    // The streams first: memory freed later is not always returned to the
    // system, and the peak could not be reset below it.
    run("generated in memory", &spec, n, || {
        kaohe::testkit::entities(&spec, 2024, n)
    });
    run("JSON lines", &spec, json_n, || {
        kaohe::testkit::entities(&spec, 2024, json_n).flat_map(|e| {
            let line = kaohe::testkit::to_json(&spec, &e).to_string();
            spec.read_json(&line, "stream.jsonl").0
        })
    });
    let csv_n: u64 = std::env::var("KAOHE_STREAM_CSV_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(n / 10);
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("kaohe-stream-csv");
    let path = write_csv(&spec, csv_n, &dir.join("units.csv"));
    run_csv(&spec, csv_n, &path);
    cpu_check();
    cpu_throughput(&spec, &dir);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The dense units of `path` cycled with new ids (unit `i` is unit
/// `i mod 2000`, its id followed by `-c` and the round from the second
/// round on), from memory and as JSON lines read back one at a time.
fn dense(spec: &Spec, path: &Path) {
    let n: u64 = std::env::var("KAOHE_STREAM_DENSE_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let text = std::fs::read_to_string(path).expect("the dense data reads");
    let (base, problems) = spec.read_json(&text, "dense.json");
    assert!(problems.is_empty(), "the dense data reads: {problems:?}");
    drop(text);
    let base = &base;
    let cycled = move || {
        (0..n).map(move |i| {
            let count = base.len() as u64;
            let mut e = base[(i % count) as usize].clone();
            if i >= count {
                e.id = format!("{}-c{}", e.id, i / count);
            }
            e
        })
    };
    run("dense units cycled in memory", spec, n, cycled);
    // Each unit read from its JSON text as it comes, as JSON lines are.
    let texts: Vec<String> = (base.iter())
        .map(|e| kaohe::testkit::to_json(spec, e).to_string())
        .collect();
    let texts = &texts;
    run("dense units as JSON lines", spec, n, move || {
        (0..n).flat_map(move |i| {
            let count = texts.len() as u64;
            let (mut read, _) = spec.read_json(&texts[(i % count) as usize], "dense.jsonl");
            if i >= count {
                for e in &mut read {
                    e.id = format!("{}-c{}", e.id, i / count);
                }
            }
            read
        })
    });
}

/// `n` generated entities as a CSV dataset at `path`.
fn write_csv(spec: &Spec, n: u64, path: &Path) -> PathBuf {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let entities = kaohe::testkit::entities(spec, 2024, n);
    kaohe::testkit::write_csv(spec, entities, path, 1_000).unwrap();
    path.to_path_buf()
}

/// The CSV dataset read row by row, `chunk` entities at a time scored on
/// all cores (the reader itself stays on this thread), written as CSV
/// lines; explanations on.
fn run_csv(spec: &Spec, n: u64, path: &Path) {
    run("CSV", spec, n, || spec.open(path).unwrap().flatten());
}

/// One entity's CSV line: id, total, result and its number of lines.
fn write_line(out: &mut impl Write, entity: &Entity, o: &kaohe::api::Outcome) -> usize {
    let n_lines: usize = o.items.iter().map(|i| i.lines.len()).sum();
    let _ = writeln!(
        out,
        "{},{},{},{}",
        entity.id,
        o.total.round_dp(2),
        o.result,
        n_lines
    );
    n_lines
}

fn report(name: &str, n: u64, scored: u64, lines: usize, secs: f64) {
    println!(
        "stream {name}: {n} entities ({scored} scored, {lines} explanation lines) in {secs:.2} s = {:.0}/s, peak resident memory {}",
        n as f64 / secs,
        peak().map_or("unknown".into(), |kb| format!(
            "{:.1} MB",
            kb as f64 / 1024.0
        ))
    );
}

/// Parse + check in CPU time: the 2024 table and generated specs.
fn cpu_check() {
    let per_run = median_rate(100, || {
        for _ in 0..100 {
            let _ = std::hint::black_box(kaohe::api::compile(SPEC_2024));
        }
    });
    println!("check, CPU time: liucheng-2024 {:.2} ms", 1000.0 / per_run);
    for items in [1_000, 10_000] {
        let text = kaohe::testkit::spec(items);
        let per_run = median_rate(1, || {
            let _ = std::hint::black_box(kaohe::api::compile(&text));
        });
        println!(
            "check, CPU time: {items} generated items {:.3} s",
            1.0 / per_run
        );
    }
}

fn run<I: Iterator<Item = Entity>>(name: &str, spec: &Spec, n: u64, source: impl Fn() -> I) {
    // Writing 5 resets the peak to the current size (Linux ≥ 4.0).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let start = Instant::now();
    let mut out = std::io::BufWriter::new(std::io::sink());
    let (mut scored, mut lines) = (0u64, 0usize);
    let _ = spec.evaluate_parallel(source(), Options::default(), 1024, |s| {
        if let Scored {
            entity,
            outcome: Ok(o),
        } = s
        {
            lines += write_line(&mut out, &entity, &o);
            scored += 1;
        }
        Ok::<(), ()>(())
    });
    let _ = out.flush();
    report(name, n, scored, lines, start.elapsed().as_secs_f64());
}

/// Entities per CPU-second on one thread, in memory, from JSON and from
/// CSV, with explanations off and on: the median of five runs of 20,000
/// entities.
fn cpu_throughput(spec: &Spec, dir: &Path) {
    let batch: Vec<Entity> = kaohe::testkit::entities(spec, 2024, 20_000).collect();
    let json = serde_json::Value::Array(
        batch
            .iter()
            .map(|e| kaohe::testkit::to_json(spec, e))
            .collect(),
    )
    .to_string();
    let csv = write_csv(spec, 20_000, &dir.join("cpu.csv"));
    for explain in [false, true] {
        let options = Options { explain };
        let memory = median_rate(batch.len(), || {
            for e in &batch {
                let _ = std::hint::black_box(spec.evaluate(e, options));
            }
        });
        let from_json = median_rate(batch.len(), || {
            let (read, _) = spec.read_json(&json, "bench.json");
            for e in &read {
                let _ = std::hint::black_box(spec.evaluate(e, options));
            }
        });
        let from_csv = median_rate(batch.len(), || {
            for e in spec.open(&csv).unwrap().flatten() {
                let _ = std::hint::black_box(spec.evaluate(&e, options));
            }
        });
        println!(
            "one core, CPU time, explanations {}: in memory {memory:.0}/s, from JSON {from_json:.0}/s, from CSV {from_csv:.0}/s",
            if explain { "on" } else { "off" }
        );
    }
}

fn median_rate(n: usize, mut f: impl FnMut()) -> f64 {
    let mut rates: Vec<f64> = (0..5)
        .map(|_| {
            let start = cpu_seconds();
            f();
            n as f64 / (cpu_seconds() - start).max(1e-9)
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    rates[2]
}
