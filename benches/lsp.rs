//! `cargo bench --bench lsp`: `kaohe lsp` after one edit of the 2024 spec —
//! the didChange notification as an editor sends it (an incremental change
//! by line and UTF-16 column, on a line with Chinese text), through the
//! server's handler, until the publishDiagnostics it answers with is framed
//! and written. The target: under 50 ms.

// A benchmark stops loudly on bad setup: unwrap and expect are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use criterion::{Criterion, criterion_group, criterion_main};
use kaohe::api::lsp::Server;
use kaohe::api::service::Analysis;
use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::json;
use std::hint::black_box;
use std::time::Duration;

const SPEC_2024: &str = include_str!("../specs/liucheng-2024.kh");
const URI: &str = "file:///bench/liucheng-2024.kh";

fn lsp(c: &mut Criterion) {
    let mut server = Server::new();
    let init = Request::new(
        RequestId::from(1),
        "initialize".into(),
        json!({"capabilities": {}}),
    );
    server.handle(Message::Request(init));
    server.handle(Message::Notification(Notification::new(
        "initialized".into(),
        json!({}),
    )));
    server.handle(Message::Notification(Notification::new(
        "textDocument/didOpen".into(),
        json!({"textDocument": {"uri": URI, "languageId": "kaohe", "version": 1, "text": SPEC_2024}}),
    )));
    // Item 1.1's `扣 0.5 每 leader_meetings`: 0.5 written anew.
    let a = Analysis::new(SPEC_2024);
    let at = SPEC_2024.find("扣 0.5 每 leader_meetings").unwrap() + "扣 ".len();
    let (from, to) = (a.position(at), a.position(at + 3));
    let mut version = 1;
    let mut g = c.benchmark_group("lsp");
    g.bench_function("edit-to-published-diagnostics-2024", |b| {
        b.iter(|| {
            version += 1;
            let change = Notification::new(
                "textDocument/didChange".into(),
                json!({
                    "textDocument": {"uri": URI, "version": version},
                    "contentChanges": [{
                        "range": {"start": {"line": from.line, "character": from.character},
                                  "end": {"line": to.line, "character": to.character}},
                        "text": "0.5"}]
                }),
            );
            let out = server.handle(Message::Notification(change));
            let mut wire = Vec::new();
            for m in &out {
                m.write(&mut wire).unwrap();
            }
            assert!(out.len() == 1, "one publishDiagnostics");
            black_box(wire)
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = lsp
}
criterion_main!(benches);
