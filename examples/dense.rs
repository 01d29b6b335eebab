//! The dense bench data of issue 19 (2,000 years of the 2024 table, every
//! input filled, lists of 50–300 records) cycled to any number of units
//! with new ids, in each input format `kaohe eval` reads, for measuring
//! memory and time at 100,000 and 1,000,000 units (docs/performance.md,
//! "Round 8"):
//!
//! ```sh
//! cargo build --release --example dense
//! target/release/examples/dense DENSE.json 100000 u100k.json    # one JSON array
//! target/release/examples/dense DENSE.json 100000 u100k.jsonl   # JSON lines
//! target/release/examples/dense DENSE.json 100000 u100k.csv     # a CSV dataset: u100k.csv and u100k/<list>.csv
//! target/release/examples/dense DENSE.json 100000 -             # JSON lines on standard output
//! ```
//!
//! Unit `i` is the dense unit `i mod 2000`, its id followed by `-c` and
//! `i div 2000` from the second round on (the first 2,000 keep their ids),
//! so every id is new and every unit scores as its original does. JSON is
//! written compactly from each unit's own text, numbers as they were
//! written (serde_json's `arbitrary_precision`), a unit's text made once and
//! only its id changed; the CSV dataset is laid out as `kaohe template
//! --fill` lays it out (`testkit::write_csv`), 1,024 units at a time. The
//! output is written one unit at a time: memory does not grow with N.
//!
//! Every format `kaohe eval` reads is read twice (JSON and JSON lines: a
//! first reading checks the whole file before anything is reported; a CSV
//! dataset: its list files are walked beside the unit file first), so the
//! measured runs need real files, not a pipe: from a pipe, JSON is held in
//! memory whole.

// A measuring tool stops loudly on bad setup: unwrap and expect are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use kaohe::api::Spec;
use std::io::Write;
use std::path::Path;

const SPEC_2024: &str = include_str!("../specs/liucheng-2024.kh");

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dense), Some(n), Some(out)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!("usage: dense DENSE.json N OUT(.json|.jsonl|.csv|-)");
        std::process::exit(2);
    };
    let n: u64 = n.parse().expect("N is a number of units");
    let text = std::fs::read_to_string(dense).expect("the dense data reads");
    if out.ends_with(".csv") {
        csv(&text, n, Path::new(out));
        return;
    }
    let lines = out == "-" || out.ends_with(".jsonl");
    let sink: Box<dyn Write> = if out == "-" {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(std::fs::File::create(out).expect("the output file is created"))
    };
    let mut w = std::io::BufWriter::with_capacity(1 << 20, sink);
    let units = tails(&text);
    if !lines {
        w.write_all(b"[\n").unwrap();
    }
    for i in 0..n {
        let (id, tail) = &units[(i % units.len() as u64) as usize];
        if !lines && i > 0 {
            w.write_all(b",\n").unwrap();
        }
        let id = serde_json::to_string(&new_id(id, i, units.len())).unwrap();
        w.write_all(b"{\"id\":").unwrap();
        w.write_all(id.as_bytes()).unwrap();
        w.write_all(tail.as_bytes()).unwrap();
        if lines {
            w.write_all(b"\n").unwrap();
        }
    }
    if !lines {
        w.write_all(b"\n]\n").unwrap();
    }
    w.flush().unwrap();
}

/// The id of unit `i`, cycled from a unit of id `id` among `base` units.
fn new_id(id: &str, i: u64, base: usize) -> String {
    match i / base as u64 {
        0 => id.to_string(),
        round => format!("{id}-c{round}"),
    }
}

/// Each unit of the dense array as its id and the rest of its text after
/// the id (`,"key":…}` or `}`), written once.
fn tails(text: &str) -> Vec<(String, String)> {
    let units: Vec<serde_json::Value> = serde_json::from_str(text).expect("a JSON array of units");
    units
        .into_iter()
        .map(|unit| {
            let serde_json::Value::Object(mut map) = unit else {
                panic!("a unit is a JSON object");
            };
            let id = match map.shift_remove("id") {
                Some(serde_json::Value::String(s)) => s,
                other => panic!("a unit's id is a text, not {other:?}"),
            };
            let rest = serde_json::to_string(&map).unwrap();
            let tail = match rest.strip_prefix('{') {
                Some("}") => "}".to_string(),
                Some(r) => format!(",{r}"),
                None => unreachable!("an object is written from its brace"),
            };
            (id, tail)
        })
        .collect()
}

/// The units as a CSV dataset: read once as kaohe reads JSON, then cycled.
fn csv(text: &str, n: u64, path: &Path) {
    let spec = Spec::check(SPEC_2024).expect("the 2024 spec checks");
    let (base, problems) = spec.read_json(text, "dense.json");
    assert!(problems.is_empty(), "the dense data reads: {problems:?}");
    let count = base.len();
    let units = (0..n).map(|i| {
        let mut e = base[(i % count as u64) as usize].clone();
        e.id = new_id(&e.id, i, count);
        e
    });
    kaohe::testkit::write_csv(&spec, units, path, 1024).unwrap();
}
