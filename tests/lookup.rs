//! Issue 15, items 3 and 4a at the command line: a standard by the unit's
//! class named by its description, with its class, in the lines of every
//! report, written with its rows in the generated 评分标准, and kept through
//! fmt in both keyword sets; a grade-to-score table's 评分标准.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{kaohe, root, stdout};

fn pattern(case: &str, file: &str) -> String {
    root()
        .join("tests/patterns")
        .join(case)
        .join(file)
        .to_string_lossy()
        .into_owned()
}

const C1: &str = "C1-class-dependent-standard";

#[test]
fn a_line_names_the_standard_applied_and_the_class_it_was_taken_for() {
    let (spec, data) = (pattern(C1, "spec.kh"), pattern(C1, "data.json"));
    let table = stdout(&kaohe(&["eval", &spec, &data]));
    assert!(
        table.contains(
            "-4.00  覆盖率未达到本类别目标  (生活垃圾分类覆盖率 = 96%, 街道（乡镇）类别 = 城区, 分类覆盖率目标 = 98%（城区）)"
        ),
        "{table}"
    );
    // 乡镇 has no row of its own in target_rate: the else row, 95%.
    assert!(
        table.contains(
            "(生活垃圾分类覆盖率 = 93.5%, 街道（乡镇）类别 = 乡镇, 分类覆盖率目标 = 95%（乡镇）)"
        ),
        "{table}"
    );
    assert!(
        table.contains("每万人应设投放站点数 = 3（城区）"),
        "{table}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&kaohe(&["eval", "--format", "json", &spec, &data]))).unwrap();
    let below = json["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "城区_below")
        .unwrap();
    let facts = &below["items"][0]["lines"][0]["facts"];
    assert_eq!(facts[2]["input"], "target_rate", "{facts}");
    assert_eq!(facts[2]["name"], "分类覆盖率目标", "{facts}");
    assert_eq!(facts[2]["value"], "98%（城区）", "{facts}");
    let html = stdout(&kaohe(&["eval", "--format", "html", &spec, &data]));
    assert!(html.contains("分类覆盖率目标 = 98%（城区）"), "{html}");
}

#[test]
fn the_generated_rule_writes_the_standard_with_its_rows() {
    let render = stdout(&kaohe(&["render", &pattern(C1, "spec.kh")]));
    assert!(
        render.contains(
            "生活垃圾分类覆盖率低于分类覆盖率目标（按街道（乡镇）类别：城区98%，其他95%）的，扣4分"
        ),
        "{render}"
    );
    assert!(
        render.contains("每万人应设投放站点数（按街道（乡镇）类别：城区3，近郊2.5，乡镇2）"),
        "{render}"
    );
    let grades = stdout(&kaohe(&[
        "render",
        &pattern("C2-grade-to-score", "spec.kh"),
    ]));
    assert!(
        grades.contains("按年度工作考评等次得分：优秀10分，良好8分，一般5分，差不得分"),
        "{grades}"
    );
}

#[test]
fn the_template_lists_the_classes() {
    let template: serde_json::Value =
        serde_json::from_str(&stdout(&kaohe(&["template", &pattern(C1, "spec.kh")]))).unwrap();
    let class = &template["inputs"][0];
    assert_eq!(class["name"], "town_class");
    assert_eq!(class["values"], serde_json::json!(["城区", "近郊", "乡镇"]));
}

#[test]
fn a_standard_round_trips_through_fmt_in_both_keyword_sets() {
    let dir = common::tempdir("lookup", "lookup-fmt");
    let file = dir.join("c1.kh");
    let original = std::fs::read_to_string(pattern(C1, "spec.kh")).unwrap();
    std::fs::write(&file, &original).unwrap();
    let f = file.to_string_lossy().into_owned();
    assert!(kaohe(&["fmt", "--keywords", "en", &f]).status.success());
    let en = std::fs::read_to_string(&file).unwrap();
    assert!(
        en.contains("\nstandard target_rate by town_class \"分类覆盖率目标\" {\n  \"城区\" => 98%\n  else   => 95%\n}\n"),
        "{en}"
    );
    assert!(kaohe(&["check", &f]).status.success());
    assert!(kaohe(&["fmt", "--keywords", "zh", &f]).status.success());
    let zh = std::fs::read_to_string(&file).unwrap();
    assert_eq!(zh, original);
    std::fs::remove_dir_all(&dir).unwrap();
}
