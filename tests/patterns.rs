//! One golden case per rule pattern of the 2024 table
//! (../shared/design/rule-patterns.md): tests/patterns/<ID>-<slug>/ holds a
//! small spec, data probing the pattern's edges, and the scores worked out
//! by hand.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{differences, eval_json, read, root};

#[test]
fn every_pattern_scores_as_worked_out_by_hand() {
    let dir = root().join("tests/patterns");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let report = eval_json(
            &name,
            &read(&case.join("spec.kh")),
            &read(&case.join("data.json")),
        );
        let expect: serde_json::Value =
            serde_json::from_str(&read(&case.join("expect.json"))).unwrap();
        failures.extend(
            differences(&report, &expect)
                .into_iter()
                .map(|d| format!("{name}: {d}")),
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_pattern_of_the_design_has_a_case() {
    let ids = [
        "S1", "S2", "S3", "S4", "S5", "S6", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9",
        "D10", "D11", "D12", "D13", "D14", "E1", "E2", "E3", "E4", "E5", "E6", "B1", "B2", "B3",
        "B4", "B5", "B6", "B7", "B8", "D15", "W1", "W2", "W3", "W4", "W5",
    ];
    let names: Vec<String> = std::fs::read_dir(root().join("tests/patterns"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    let missing: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| !names.iter().any(|n| n.starts_with(&format!("{id}-"))))
        .collect();
    assert!(missing.is_empty(), "patterns without a case: {missing:?}");
}
