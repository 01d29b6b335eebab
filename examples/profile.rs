//! A small program to profile one path at a time, for instruction counts
//! that hold under any load (docs/performance.md):
//!
//! ```sh
//! cargo build --release --example profile
//! valgrind --tool=callgrind target/release/examples/profile off 300
//! callgrind_annotate --inclusive=yes callgrind.out.* | grep Spec::evaluate
//! ```
//!
//! Modes (N defaults to 2,000):
//! - `check N`: parse and check the 2024 spec N times;
//! - `checkgen N`: parse and check a generated spec of N items once;
//! - `off N` / `on N`: score N generated entities of the 2024 table three
//!   times, explanations off / on, each into a new outcome, then three
//!   times into one outcome kept (the count of `Spec::evaluate` ÷ 3N is
//!   the cost of one entity; of `Spec::evaluate_into` the same without
//!   allocating);
//! - `par N`: N entities in memory, scored in batches of 1,024 one by one
//!   and with `evaluate_batch`; then as a stream of clones through `evaluate_all` and
//!   `evaluate_parallel`; three times, with wall clock and CPU seconds of each;
//! - `csv N`: N generated entities as a CSV dataset in a temporary folder
//!   (the writing is not timed), read; read and scored on one core (into
//!   one outcome kept); read and scored through `evaluate_parallel`; three
//!   times;
//! - `read FILE`: read the CSV dataset FILE once (written by `write`), for
//!   callgrind (`profile::reading` inclusive ÷ the entities is one entity);
//! - `write N FILE`: write N generated entities as the CSV dataset FILE
//!   (and its folder of list files), for runs of the CLI over it;
//! - `writejson N FILE`: write N generated entities as one JSON array
//!   (FILE ending `.json`) or as JSON lines (`.jsonl`), one entity at a
//!   time, for runs of the CLI over it;
//! - `dense FILE R [K]`: read the dataset FILE once (its first K entities,
//!   all without K), then score them R times on one thread into one
//!   outcome kept, explanations off, then R times with them on; prints µs
//!   per entity of each (the count of `profile::scoring` ÷ R·K is one
//!   entity's instructions, explanations off; of `profile::explaining`
//!   on).

// A profiling tool stops loudly on bad setup: unwrap and expect are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[path = "../benches/common/mod.rs"]
mod common;

use common::cpu_seconds;
use kaohe::api::{Options, Outcome, Spec};
use std::hint::black_box;
use std::time::Instant;

// The kaohe binary's allocator (src/main.rs), so that the counts here
// speak for it: with glibc's, malloc and free were a quarter of reading a
// CSV dataset, with mimalloc some 6%.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SPEC_2024: &str = include_str!("../specs/liucheng-2024.kh");

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map_or("off", String::as_str);
    let n: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(2_000);
    match mode {
        "check" => {
            for _ in 0..n {
                black_box(kaohe::api::compile(SPEC_2024));
            }
        }
        "checkgen" => {
            let text = kaohe::testkit::spec(n as usize);
            black_box(kaohe::api::compile(&text));
        }
        "off" | "on" => score(n, mode == "on"),
        "par" => parallel(n),
        "csv" => csv(n),
        "read" => {
            let path = args.get(2).expect("read FILE");
            eprintln!("{} entities read", reading(&spec(), path.as_ref()));
        }
        "write" => {
            let (spec, path) = (spec(), args.get(3).expect("write N FILE"));
            let entities = kaohe::testkit::entities(&spec, 2024, n);
            kaohe::testkit::write_csv(&spec, entities, path.as_ref(), 10_000).unwrap();
        }
        "writejson" => {
            let (spec, path) = (spec(), args.get(3).expect("writejson N FILE"));
            write_json(&spec, n, path.as_ref());
        }
        "dense" => {
            let path = args.get(2).expect("dense FILE R [K]");
            let rounds = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(10);
            let keep = args
                .get(4)
                .and_then(|a| a.parse().ok())
                .unwrap_or(usize::MAX);
            dense(path.as_ref(), rounds, keep);
        }
        other => {
            eprintln!(
                "unknown mode {other}: check, checkgen, off, on, par, csv, read, write, writejson or dense"
            )
        }
    }
}

/// N generated entities written one at a time: an array, or JSON lines.
fn write_json(spec: &Spec, n: u64, path: &std::path::Path) {
    use std::io::Write;
    let lines = path.extension().is_some_and(|e| e == "jsonl");
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    if !lines {
        w.write_all(b"[\n").unwrap();
    }
    for (i, e) in kaohe::testkit::entities(spec, 2024, n).enumerate() {
        let doc = kaohe::testkit::to_json(spec, &e);
        if !lines && i > 0 {
            w.write_all(b",\n").unwrap();
        }
        serde_json::to_writer(&mut w, &doc).unwrap();
        if lines {
            w.write_all(b"\n").unwrap();
        }
    }
    if !lines {
        w.write_all(b"\n]\n").unwrap();
    }
    w.flush().unwrap();
}

fn spec() -> Spec {
    Spec::check(SPEC_2024).expect("the 2024 spec checks")
}

fn score(n: u64, explain: bool) {
    let spec = spec();
    let batch: Vec<_> = kaohe::testkit::entities(&spec, 2024, n).collect();
    let options = Options { explain };
    let start = Instant::now();
    for _ in 0..3 {
        for e in &batch {
            black_box(spec.evaluate(e, options)).unwrap();
        }
    }
    let afresh = 3.0 * n as f64 / start.elapsed().as_secs_f64();
    let (start, mut outcome) = (Instant::now(), Outcome::default());
    for _ in 0..3 {
        for e in &batch {
            black_box(spec.evaluate_into(e, options, &mut outcome)).unwrap();
        }
    }
    let into = 3.0 * n as f64 / start.elapsed().as_secs_f64();
    eprintln!("{afresh:.0} entities/s (wall), {into:.0}/s into one outcome kept");
}

fn parallel(n: u64) {
    let spec = spec();
    let batch: Vec<_> = kaohe::testkit::entities(&spec, 2024, n).collect();
    let options = Options { explain: false };
    for _ in 0..3 {
        // Batches of 1,024 in memory, their outcomes kept until the batch
        // is done: one core, then all cores.
        let one = timed(|| {
            let scored = batch.chunks(1024).map(|b| {
                let outcomes: Vec<_> = b.iter().map(|e| spec.evaluate(e, options)).collect();
                outcomes.iter().filter(|o| o.is_ok()).count()
            });
            scored.sum()
        });
        let all = timed(|| {
            let scored = batch.chunks(1024).map(|b| {
                let outcomes = spec.evaluate_batch(b, options);
                outcomes.iter().filter(|o| o.is_ok()).count()
            });
            scored.sum()
        });
        // A stream (entities cloned as they are read): one core, all cores.
        let stream_one = timed(|| {
            let stream = spec.evaluate_all(batch.iter().cloned(), options);
            stream.filter(|s| s.outcome.is_ok()).count()
        });
        let stream_all = timed(|| {
            let mut ok = 0;
            let _ = spec.evaluate_parallel(batch.iter().cloned(), options, 1024, |s| {
                ok += usize::from(s.outcome.is_ok());
                Ok::<(), ()>(())
            });
            ok
        });
        assert!(
            [all.0, stream_one.0, stream_all.0]
                .iter()
                .all(|ok| *ok == one.0)
        );
        eprintln!(
            "batch: {} | stream: {}",
            speed_up(n, one, all),
            speed_up(n, stream_one, stream_all)
        );
    }
}

/// What `f` returns, with its wall-clock and CPU seconds.
fn timed(f: impl FnOnce() -> usize) -> (usize, f64, f64) {
    let (start, cpu) = (Instant::now(), cpu_seconds());
    let r = f();
    (r, start.elapsed().as_secs_f64(), cpu_seconds() - cpu)
}

/// One core against all cores, in wall clock and in CPU seconds (on idle
/// cores the speed-up is at most cores × one-core CPU ÷ all-core CPU).
fn speed_up(n: u64, one: (usize, f64, f64), all: (usize, f64, f64)) -> String {
    format!(
        "one core {:.0}/s, {:.2} CPU s; all cores {:.0}/s, {:.2} CPU s; speed-up {:.2} (at most {:.2})",
        n as f64 / one.1,
        one.2,
        n as f64 / all.1,
        all.2,
        one.1 / all.1,
        rayon::current_num_threads() as f64 * one.2 / all.2
    )
}

/// Every entity of the dataset at `path`, read and dropped.
#[inline(never)]
fn reading(spec: &Spec, path: &std::path::Path) -> usize {
    spec.open(path).unwrap().flatten().count()
}

fn csv(n: u64) {
    let spec = spec();
    let dir = std::env::temp_dir().join(format!("kaohe-profile-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("units.csv");
    let entities = kaohe::testkit::entities(&spec, 2024, n);
    kaohe::testkit::write_csv(&spec, entities, &path, 10_000).unwrap();
    let open = || spec.open(&path).unwrap().flatten();
    let options = Options { explain: false };
    for _ in 0..3 {
        let read = timed(|| open().count());
        let one = timed(|| {
            let mut outcome = Outcome::default();
            let mut scored = open().map(|e| spec.evaluate_into(&e, options, &mut outcome));
            scored.by_ref().filter(Result::is_ok).count()
        });
        let all = timed(|| {
            let mut ok = 0;
            let _ = spec.evaluate_parallel(open(), options, 1024, |s| {
                ok += usize::from(s.outcome.is_ok());
                Ok::<(), ()>(())
            });
            ok
        });
        assert!(read.0 == n as usize && one.0 == all.0);
        eprintln!(
            "read only {:.0}/s, {:.2} CPU s | read and score: {}",
            n as f64 / read.1,
            read.2,
            speed_up(n, one, all)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A dataset read once, then scored `rounds` times, explanations off and
/// then on (`dense` mode).
fn dense(path: &std::path::Path, rounds: u32, keep: usize) {
    let spec = spec();
    let entities: Vec<_> = spec.open(path).unwrap().flatten().take(keep).collect();
    let n = entities.len() as f64 * f64::from(rounds);
    for explain in [false, true] {
        let start = Instant::now();
        let total = if explain {
            explaining(&spec, &entities, rounds)
        } else {
            scoring(&spec, &entities, rounds)
        };
        let us = start.elapsed().as_secs_f64() * 1e6 / n;
        let on = if explain { "on" } else { "off" };
        eprintln!(
            "{} entities × {rounds}, explanations {on}: {us:.2} µs per entity (wall); Σ totals {total}",
            entities.len()
        );
    }
}

/// Each entity scored `rounds` times into one outcome kept, explanations
/// off; the sum of their totals (so that nothing is optimised away).
#[inline(never)]
fn scoring(spec: &Spec, entities: &[kaohe::api::Entity], rounds: u32) -> rust_decimal::Decimal {
    scored(spec, entities, rounds, false)
}

/// The same with explanation lines.
#[inline(never)]
fn explaining(spec: &Spec, entities: &[kaohe::api::Entity], rounds: u32) -> rust_decimal::Decimal {
    scored(spec, entities, rounds, true)
}

fn scored(
    spec: &Spec,
    entities: &[kaohe::api::Entity],
    rounds: u32,
    explain: bool,
) -> rust_decimal::Decimal {
    let (mut outcome, mut total) = (Outcome::default(), rust_decimal::Decimal::ZERO);
    for _ in 0..rounds {
        for e in entities {
            spec.evaluate_into(e, Options { explain }, &mut outcome)
                .unwrap();
            total += black_box(&outcome).total;
        }
    }
    total
}
