//! `kaohe test`: the 2024 spec's cases pass; a wrong expectation fails with
//! a per-item diff and the explanation lines of the item.

// Tests may fail loudly: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{kaohe, root, stdout};
use std::path::Path;

/// A copy of the 2024 spec in a fresh directory, with `tests` beside it.
fn spec_with_tests(tag: &str, tests: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kaohe-test-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(root().join("specs/liucheng-2024.kh"), dir.join("t.kh")).unwrap();
    std::fs::write(dir.join("t.tests.json"), tests).unwrap();
    dir.join("t.kh")
}

fn mixed_data() -> String {
    root()
        .join("examples/liucheng-2024/mixed.json")
        .display()
        .to_string()
}

#[test]
fn the_2024_cases_cover_every_item_and_pass() {
    // In the language of the spec's keywords (Chinese), or as --lang says.
    for (lang, last) in [
        (None, "通过 7 个，失败 0 个\n"),
        (Some("en"), "7 passed, 0 failed\n"),
    ] {
        let mut args = vec!["test", "specs/liucheng-2024.kh"];
        args.extend(lang.iter().flat_map(|l| ["--lang", l]));
        let o = kaohe(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
        assert!(stdout(&o).ends_with(last), "{}", stdout(&o));
    }
    let tests: serde_json::Value = serde_json::from_str(&common::read(Path::new(
        &root().join("specs/liucheng-2024.tests.json"),
    )))
    .unwrap();
    for case in tests["cases"].as_array().unwrap() {
        assert_eq!(case["expect"]["items"].as_object().unwrap().len(), 71);
    }
}

#[test]
fn a_wrong_expectation_fails_with_the_items_diff_and_its_lines() {
    let tests = format!(
        r#"{{"cases": [{{"name": "错误的期望", "data": "{}", "expect": {{"total": "150", "items": {{"1.1": "2.00", "1.2": "2"}}}}}}]}}"#,
        mixed_data()
    );
    let spec = spec_with_tests("wrong", &tests);
    for (lang, name) in [
        ("en", "test-wrong-expectation"),
        ("zh", "test-wrong-expectation.zh"),
    ] {
        let o = kaohe(&["test", spec.to_str().unwrap(), "--lang", lang]);
        assert_eq!(o.status.code(), Some(1));
        let out = stdout(&o);
        insta::with_settings!({ snapshot_path => root().join("tests/snapshots"), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name, out.replace(spec.to_str().unwrap(), "t.kh"));
        });
    }
}

#[test]
fn inline_data_and_numbers_as_numbers() {
    let data = common::read(Path::new(&mixed_data()));
    let tests = format!(
        r#"{{"cases": [{{"name": "内联", "data": {data}, "expect": {{"total": 156.5, "result": "合格"}}}}]}}"#
    );
    let spec = spec_with_tests("inline", &tests);
    let o = kaohe(&["test", spec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn a_spec_without_tests_is_k0702() {
    let o = kaohe(&["test", "tests/cli/small.kh"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("K0702"));
}

#[test]
fn a_test_file_that_is_not_cases_is_k0703() {
    let spec = spec_with_tests("invalid", r#"{"case": []}"#);
    let o = kaohe(&["test", spec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("K0703"));
}

#[test]
fn an_expectation_of_an_unknown_item_is_k0704_with_a_suggestion() {
    let tests = format!(
        r#"{{"cases": [{{"name": "x", "data": "{}", "expect": {{"items": {{"1.10": "1"}}}}}}]}}"#,
        mixed_data()
    );
    let spec = spec_with_tests("unknown", &tests);
    // The spec is written with Chinese keywords, so English is asked for.
    let o = kaohe(&["test", "--lang", "en", spec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("K0704") && err.contains("did you mean"),
        "{err}"
    );
}
