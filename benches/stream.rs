//! `cargo bench --bench stream`: peak memory while streaming 1,000,000
//! generated entities through the 2024 table to CSV lines, explanations on.
//! Set KAOHE_STREAM_N for another count. Two sources: entities generated
//! in memory, and JSON lines (each entity written as JSON, then read back).
//! Peak resident memory is the kernel's high-water mark (VmHWM), reset
//! between the two runs.

use kaohe::api::{Options, Scored, Spec};
use kaohe::eval::Entity;
use std::io::Write;
use std::time::Instant;

const SPEC_2024: &str = include_str!("../specs/liucheng-2024.kh");

fn main() {
    let n: u64 = std::env::var("KAOHE_STREAM_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let spec = Spec::check(SPEC_2024).expect("the 2024 spec checks");
    let program = spec.program();
    run("generated in memory", &spec, n, || {
        kaohe::synth::entities(program, 2024, n)
    });
    run("JSON lines", &spec, n, || {
        kaohe::synth::entities(program, 2024, n).flat_map(|e| {
            let line = kaohe::synth::to_json(program, &e).to_string();
            spec.read_json(&line, "stream.jsonl").0
        })
    });
}

fn run<I: Iterator<Item = Entity> + Send>(name: &str, spec: &Spec, n: u64, source: impl Fn() -> I) {
    // Writing 5 resets the peak to the current size (Linux ≥ 4.0).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let start = Instant::now();
    let mut out = std::io::BufWriter::new(std::io::sink());
    let (mut scored, mut lines) = (0u64, 0usize);
    for Scored { entity, outcome } in spec.evaluate_parallel(source(), Options::default(), 1024) {
        if let Ok(o) = outcome {
            let n_lines: usize = o.items.iter().map(|i| i.lines.len()).sum();
            let _ = writeln!(
                out,
                "{},{},{},{}",
                entity.id,
                kaohe::report::fmt2(o.total),
                o.result,
                n_lines
            );
            scored += 1;
            lines += n_lines;
        }
    }
    let _ = out.flush();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "stream {name}: {n} entities ({scored} scored, {lines} explanation lines) in {secs:.2} s = {:.0}/s, peak resident memory {}",
        n as f64 / secs,
        peak().map_or("unknown".into(), |kb| format!(
            "{:.1} MB",
            kb as f64 / 1024.0
        ))
    );
}

/// VmHWM of this process, in kB.
fn peak() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
