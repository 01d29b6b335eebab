//! Explanation lines name facts as a policy officer reads them (issue 15,
//! item 11): an input's `short name` (简称) when given, else its
//! description when short enough, else the description without its
//! bracketed asides, else its id; the JSON report keeps the id beside the
//! name, for machines.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{kaohe, stdout};

const SPEC: &str = "tests/explain/names.kh";
const DATA: &str = "tests/explain/names.json";

#[test]
fn the_table_report_names_facts_by_short_name_or_description() {
    let o = kaohe(&["eval", SPEC, DATA]);
    let out = stdout(&o);
    // The short name, not the long description nor the id.
    assert!(
        out.contains("(全年研究生态环境保护工作的次数 = 1次)"),
        "{out}"
    );
    // The description without its aside.
    assert!(out.contains("(柳州市区PM2.5/PM10比例均值 = 0.5)"), "{out}");
    // A short description as it is.
    assert!(out.contains("(计划是否完成 = 否)"), "{out}");
    // A description too long even without asides: the id.
    assert!(out.contains("(filings = 1件)"), "{out}");
    assert!(!out.contains("leader_meetings"), "{out}");
}

#[test]
fn html_and_xlsx_name_facts_alike_and_json_keeps_the_id() {
    let o = kaohe(&["eval", SPEC, DATA, "--format", "html"]);
    assert!(stdout(&o).contains("全年研究生态环境保护工作的次数 = 1次"));
    let o = kaohe(&["eval", SPEC, DATA, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let facts = &report["entities"][0]["items"][0]["lines"][0]["facts"][0];
    assert_eq!(facts["input"], "leader_meetings");
    assert_eq!(facts["name"], "全年研究生态环境保护工作的次数");
    assert_eq!(facts["value"], "1次");
}

#[test]
fn the_short_name_round_trips_through_fmt_in_both_keyword_sets() {
    let zh = std::fs::read_to_string(common::root().join(SPEC)).unwrap();
    let en = kaohe::api::format(&zh, Some(kaohe::api::KeywordSet::En)).unwrap();
    assert!(
        en.contains("short name \"全年研究生态环境保护工作的次数\""),
        "{en}"
    );
    let back = kaohe::api::format(&en, Some(kaohe::api::KeywordSet::Zh)).unwrap();
    assert_eq!(back, kaohe::api::format(&zh, None).unwrap());
}
