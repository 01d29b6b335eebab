//! `cargo bench --bench growth`: costs that must grow linearly with the
//! data, each at two sizes (the second four times the first), so that a
//! cost growing faster shows as a ratio well above 4:
//!
//! - a JSON array file read entity by entity (`data::open`): time and
//!   peak memory (VmHWM, reset before each run) for 2,000 and 8,000
//!   generated units of the 2024 table;
//! - the HTML report written entity by entity (`html::head`, `entity`,
//!   `tail`, as `kaohe eval --format html` does) for 500 and 2,000 units;
//! - `once per KEY at highest` on one unit with 10,000 and 40,000 records
//!   (tests/patterns/D12-highest-once), wall clock, the mean of five.
//!
//! Seconds are otherwise CPU seconds of this process (utime + stime),
//! which hold when other builds share the machine. KAOHE_GROWTH_SCALE multiplies the
//! sizes.

// A benchmark stops loudly on bad setup: unwrap and expect are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{cpu_seconds, peak};
use kaohe::api::{Options, Spec};
use std::io::Write;

const SPEC_2024: &str = include_str!("../specs/liucheng-2024.kh");
const SPEC_D12: &str = include_str!("../tests/patterns/D12-highest-once/spec.kh");

fn main() {
    let scale: u64 = std::env::var("KAOHE_GROWTH_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let spec = Spec::check(SPEC_2024).expect("the 2024 spec checks");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("kaohe-growth");
    std::fs::create_dir_all(&dir).unwrap();
    two("JSON array read, entities", 2_000 * scale, |n| {
        json(&spec, n, &dir)
    });
    two("HTML report, entities", 500 * scale, |n| html(&spec, n));
    let d12 = Spec::check(SPEC_D12).expect("the D12 spec checks");
    two("once per KEY at highest, records", 10_000 * scale, |n| {
        once_per(&d12, n)
    });
    let _ = std::fs::remove_dir_all(&dir);
}

/// `f` at `n` and at 4n: CPU seconds and the ratio.
fn two(name: &str, n: u64, mut f: impl FnMut(u64) -> (f64, Option<u64>)) {
    let (a, pa) = f(n);
    let (b, pb) = f(4 * n);
    let mem = |p: Option<u64>| p.map_or(String::new(), |k| format!(", peak {} MB", k / 1024));
    println!(
        "{name}: {n} in {a:.3} s{}; {} in {b:.3} s{} (×{:.1} for ×4)",
        mem(pa),
        4 * n,
        mem(pb),
        b / a.max(1e-9)
    );
}

/// Write `n` units as one JSON array, then read them one at a time.
fn json(spec: &Spec, n: u64, dir: &std::path::Path) -> (f64, Option<u64>) {
    let path = dir.join(format!("units-{n}.json"));
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    w.write_all(b"[").unwrap();
    for (i, e) in kaohe::testkit::entities(spec, 2024, n).enumerate() {
        if i > 0 {
            w.write_all(b",\n").unwrap();
        }
        serde_json::to_writer(&mut w, &kaohe::testkit::to_json(spec, &e)).unwrap();
    }
    w.write_all(b"]").unwrap();
    w.flush().unwrap();
    drop(w);
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let start = cpu_seconds();
    let read = spec.open(&path).unwrap().filter(Result::is_ok).count();
    assert_eq!(read as u64, n);
    let t = cpu_seconds() - start;
    let _ = std::fs::remove_file(&path);
    (t, peak())
}

/// The HTML report of `n` units, written into a sink one entity at a time.
fn html(spec: &Spec, n: u64) -> (f64, Option<u64>) {
    let entities: Vec<_> = kaohe::testkit::entities(spec, 7, n).collect();
    let start = cpu_seconds();
    kaohe::testkit::html_report(spec, &entities, &mut std::io::sink()).unwrap();
    (cpu_seconds() - start, None)
}

/// One unit with `n` talks over n/2 matters, scored.
fn once_per(spec: &Spec, n: u64) -> (f64, Option<u64>) {
    let issuers = [
        "生态环境部",
        "自治区人民政府",
        "自治区生态环境厅",
        "市人民政府",
        "市生态环境局",
    ];
    let talks: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({"matter": format!("事项{}", (i * 7919) % (n / 2)), "by": issuers[(i % 5) as usize]})
        })
        .collect();
    let text = serde_json::json!({"id": "甲县", "fire_points": [], "talks": talks}).to_string();
    let (entities, diags) = spec.read_json(&text, "talks.json");
    assert!(diags.is_empty());
    // Wall clock: one scoring is shorter than the CPU clock's tick.
    let start = std::time::Instant::now();
    for _ in 0..5 {
        spec.evaluate(&entities[0], Options::default()).unwrap();
    }
    (start.elapsed().as_secs_f64() / 5.0, None)
}
