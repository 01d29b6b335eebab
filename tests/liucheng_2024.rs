//! The bundled 2024 table checks clean, and its examples score to the cent
//! as worked out by hand.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{differences, eval_json, read, root};

const SPEC: &str = "specs/liucheng-2024.kh";

#[test]
fn the_2024_spec_checks_clean_with_71_items_worth_200() {
    let text = read(&root().join(SPEC));
    let compiled = kaohe::compile(&text);
    assert!(
        compiled.diagnostics.is_empty(),
        "{}",
        common::rendered(SPEC, &text, &compiled.diagnostics)
    );
    let program = compiled.program.unwrap();
    assert_eq!(program.items.len(), 71);
    assert_eq!(program.base_total, rust_decimal::Decimal::from(200));
}

fn check_example(name: &str) {
    let dir = root().join("examples/liucheng-2024");
    let report = eval_json(
        name,
        &read(&root().join(SPEC)),
        &read(&dir.join(format!("{name}.json"))),
    );
    let expect: serde_json::Value =
        serde_json::from_str(&read(&dir.join(format!("{name}.expected.json")))).unwrap();
    let diffs = differences(&report, &expect);
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn a_clean_year_scores_200() {
    check_example("clean");
}

#[test]
fn the_mixed_year_matches_its_hand_worked_scores() {
    check_example("mixed");
}

#[test]
fn the_expectations_cover_every_item() {
    for name in ["clean", "mixed"] {
        let path = root().join(format!("examples/liucheng-2024/{name}.expected.json"));
        let expect: serde_json::Value = serde_json::from_str(&read(&path)).unwrap();
        let entity = expect.as_object().and_then(|o| o.values().next()).unwrap();
        assert_eq!(
            entity["items"].as_object().map(|i| i.len()),
            Some(71),
            "{name}"
        );
    }
}
