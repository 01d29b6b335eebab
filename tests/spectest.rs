//! `kaohe test`: the 2024 spec's cases pass; a wrong expectation fails with
//! a per-item diff and the explanation lines of the item.

// Tests may fail loudly: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{kaohe, root, stdout};
use std::path::Path;

/// A copy of the 2024 spec in a fresh directory, with `tests` beside it.
fn spec_with_tests(tag: &str, tests: &str) -> std::path::PathBuf {
    let dir = common::tempdir("spectest", &format!("test-{tag}"));
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

#[test]
fn a_missing_data_file_is_a_file_error_naming_where_it_was_looked_for() {
    let tests =
        r#"{"cases": [{"name": "缺文件", "data": "no-such-data.json", "expect": {"total": "1"}}]}"#;
    let spec = spec_with_tests("missing-data", tests);
    for (lang, words) in [("en", "its data file"), ("zh", "其数据文件")] {
        let o = kaohe(&["test", "--lang", lang, spec.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        let err = String::from_utf8_lossy(&o.stderr);
        // A file error (K0901), not "the test file is not a list of cases" (K0703).
        assert!(err.contains("K0901") && !err.contains("K0703"), "{err}");
        assert!(
            err.contains(words) && err.contains("no-such-data.json"),
            "{err}"
        );
    }
}

#[test]
fn bless_writes_the_actual_results_and_shows_the_change() {
    let tests = format!(
        r#"{{"note": "kept", "cases": [{{"name": "混合年份", "data": "{}", "entity": "柳城县", "expect": {{"total": "150", "items": {{"1.1": "2.00", "99.9": "1"}}}}}}]}}"#,
        mixed_data()
    );
    // Laid out as serde_json writes it, so that the diff shows only the change.
    let tests =
        serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&tests).unwrap())
            .unwrap()
            + "\n";
    let spec = spec_with_tests("bless", &tests);
    let file = spec.with_extension("tests.json");
    let o = kaohe(&["test", "--bless", "--lang", "en", spec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let out = stdout(&o);
    // The change, as a diff: the wrong total and the unknown item go.
    assert!(out.contains("-        \"total\": \"150\""), "{out}");
    assert!(out.contains("+        \"total\": \"156.50\""), "{out}");
    assert!(out.contains("-          \"99.9\": \"1\""), "{out}");
    assert!(out.ends_with("1 written, 0 could not be scored\n"), "{out}");
    let written: serde_json::Value = serde_json::from_str(&common::read(&file)).unwrap();
    assert_eq!(written["note"], "kept");
    let expect = &written["cases"][0]["expect"];
    assert_eq!(expect["total"], "156.50");
    assert_eq!(expect["bonus"], "10.00");
    assert_eq!(expect["result"], "合格");
    assert_eq!(expect["items"].as_object().unwrap().len(), 71);
    assert_eq!(expect["items"]["1.1"], "1.50");
    // No temporary file left beside it.
    let dir = file.parent().unwrap();
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp-")), "{names:?}");
    // The blessed file passes, and blessing again changes nothing.
    let o = kaohe(&["test", spec.to_str().unwrap(), "--lang", "zh"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).ends_with("通过 1 个，失败 0 个\n"));
    let before = common::read(&file);
    let o = kaohe(&["test", "--bless", spec.to_str().unwrap(), "--lang", "zh"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("预期与实际结果一致，无需改写"),
        "{}",
        stdout(&o)
    );
    assert_eq!(common::read(&file), before);
}

#[test]
fn bless_keeps_a_case_that_cannot_be_scored_and_exits_1() {
    let tests = format!(
        r#"{{"cases": [{{"name": "ok", "data": "{}", "expect": {{"total": "1"}}}}, {{"name": "没有这个单位", "data": "{}", "entity": "无此县", "expect": {{"total": "1"}}}}]}}"#,
        mixed_data(),
        mixed_data()
    );
    let spec = spec_with_tests("bless-unscorable", &tests);
    let file = spec.with_extension("tests.json");
    let o = kaohe(&["test", "--bless", "--lang", "en", spec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("FAIL  没有这个单位"), "{}", stdout(&o));
    assert!(stdout(&o).ends_with("1 written, 1 could not be scored\n"));
    let written: serde_json::Value = serde_json::from_str(&common::read(&file)).unwrap();
    assert_eq!(written["cases"][0]["expect"]["total"], "156.50");
    assert_eq!(
        written["cases"][1]["expect"],
        serde_json::json!({"total": "1"})
    );
}

/// A copy of a pattern's spec (Chinese keywords) with `tests` beside it.
fn pattern_with_tests(pattern: &str, tag: &str, tests: &str) -> std::path::PathBuf {
    let dir = common::tempdir("spectest", &format!("test-{tag}"));
    let from = root().join("tests/patterns").join(pattern);
    std::fs::copy(from.join("spec.kh"), dir.join("t.kh")).unwrap();
    std::fs::copy(from.join("data.json"), dir.join("data.json")).unwrap();
    std::fs::write(dir.join("t.tests.json"), tests).unwrap();
    dir.join("t.kh")
}

#[test]
fn a_vetoed_named_result_is_expected_by_its_fixed_key_in_either_language() {
    // R1's spec is written in Chinese: its vetoed unit shows 否决. A case may
    // expect it as "vetoed" (the fixed key) or as "否决", whatever the
    // spec's language; a grade is still compared word for word.
    for (tag, word) in [("veto-key", "vetoed"), ("veto-zh", "否决")] {
        let tests = format!(
            r#"{{"cases": [{{"name": "否决", "data": "data.json", "entity": "vetoed", "expect": {{"vetoed": true, "results": {{"等次": "{word}", "是否达标": "{word}", "绩效奖励比例": "{word}"}}}}}}]}}"#
        );
        let spec = pattern_with_tests("R1-grades-and-payout", tag, &tests);
        for lang in ["en", "zh"] {
            let o = kaohe(&["test", "--lang", lang, spec.to_str().unwrap()]);
            assert_eq!(o.status.code(), Some(0), "{word}: {}", stdout(&o));
        }
    }
    // A unit not vetoed is not matched by the key.
    let tests = r#"{"cases": [{"name": "x", "data": "data.json", "entity": "exactly_90", "expect": {"results": {"等次": "vetoed"}}}]}"#;
    let spec = pattern_with_tests("R1-grades-and-payout", "veto-not", tests);
    let o = kaohe(&["test", "--lang", "en", spec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("expected vetoed, got 优秀"),
        "{}",
        stdout(&o)
    );
    // --bless writes the fixed key, so the file reads the same in either language.
    let tests = r#"{"cases": [{"name": "否决", "data": "data.json", "entity": "vetoed", "expect": {"total": "0"}}]}"#;
    let spec = pattern_with_tests("R1-grades-and-payout", "veto-bless", tests);
    let o = kaohe(&["test", "--bless", spec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let written: serde_json::Value =
        serde_json::from_str(&common::read(&spec.with_extension("tests.json"))).unwrap();
    let results = &written["cases"][0]["expect"]["results"];
    assert_eq!(results["等次"], "vetoed", "{written}");
    assert_eq!(results["绩效奖励比例"], "vetoed", "{written}");
    let o = kaohe(&["test", spec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}
