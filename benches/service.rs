//! `cargo bench --bench service`: the language service on the 2024 spec —
//! one edit re-analysed (what an editor waits for after a keystroke), and
//! the answers asked most often after it (diagnostics, hover, completion).
//! docs/performance.md records the figures and how they were taken.

// A benchmark stops loudly on bad setup: unwrap and expect are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use criterion::{Criterion, criterion_group, criterion_main};
use kaohe::api::service::{Analysis, Change};
use std::hint::black_box;
use std::time::Duration;

const SPEC_2024: &str = include_str!("../specs/liucheng-2024.kh");

/// Replace `0.5` in item 1.1's first clause by `1`, as an editor sends it:
/// by line and UTF-16 column, on a line with Chinese text.
fn one_edit(a: &Analysis) -> Change {
    let at = SPEC_2024.find("扣 0.5 每 leader_meetings").unwrap() + "扣 ".len();
    let (from, to) = (a.position(at), a.position(at + 3));
    Change {
        range: Some((from.line_col(), to.line_col())),
        text: "1".into(),
    }
}

fn service(c: &mut Criterion) {
    let mut g = c.benchmark_group("service");
    g.bench_function("open-2024", |b| {
        b.iter(|| Analysis::new(black_box(SPEC_2024)))
    });
    let open = Analysis::new(SPEC_2024);
    let edit = [one_edit(&open)];
    g.bench_function("edit-reanalyse-2024", |b| {
        b.iter(|| black_box(open.change(black_box(&edit))))
    });
    g.bench_function("edit-reanalyse-diagnostics-2024", |b| {
        b.iter(|| black_box(open.change(black_box(&edit)).diagnostics()))
    });
    let at = SPEC_2024.find("计 pm25 ").unwrap() + 5;
    g.bench_function("hover-input-2024", |b| b.iter(|| open.hover(black_box(at))));
    g.bench_function("completion-2024", |b| {
        b.iter(|| open.completions(black_box(at)))
    });
    g.bench_function("format-2024", |b| b.iter(|| open.format()));
    g.bench_function("tokens-2024", |b| b.iter(|| open.tokens()));
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = service
}
criterion_main!(benches);
