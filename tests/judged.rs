//! Issue 15, items 5 and 12 at the command line: an assessor's judgement
//! flagged in the explanation lines, the reports and the template; and the
//! printed lines of an item adding up exactly to its printed score.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{kaohe, root, stdout};

fn path(name: &str) -> String {
    root()
        .join("tests/judged")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn an_assessors_score_is_flagged_in_lines_reports_and_templates() {
    let (spec, data) = (path("judged.kh"), path("judged.json"));
    let table = stdout(&kaohe(&["eval", &spec, &data]));
    assert!(
        table.contains("1.1 特色学校创建〔评审给分〕  4.00 / 4"),
        "{table}"
    );
    // Full marks given still says the score was judged. The fact is named
    // in the reader's words (the score of which item or part), not by the
    // input's id (特色创建得分, 总结质量得分).
    assert!(
        table.contains("0.00  评审给分 4（按实际情况评分）  (评审给分（1.1 特色学校创建） = 4)"),
        "{table}"
    );
    assert!(
        table.contains("(评审给分（1.2 总结质量） = 3.25)"),
        "{table}"
    );
    assert!(!table.contains("得分 = "), "{table}");
    assert!(
        table.contains("-0.75  评审给分 3.25（专家评审酌情扣分）"),
        "{table}"
    );
    assert!(
        table.contains("+1.50  评审给分 1.5（视成效评分）"),
        "{table}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&kaohe(&["eval", "--format", "json", &spec, &data]))).unwrap();
    let items = &json["entities"][0]["items"];
    assert_eq!(items[0]["judged"], true);
    let csv = stdout(&kaohe(&["eval", "--format", "csv", &spec, &data]));
    assert!(
        csv.contains("1.2,年度工作总结〔评审给分〕,6.00,5.25"),
        "{csv}"
    );
    let template: serde_json::Value =
        serde_json::from_str(&stdout(&kaohe(&["template", &spec]))).unwrap();
    let quality = template["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "总结质量得分")
        .unwrap();
    assert_eq!(
        quality["judged"],
        serde_json::json!({"from": "0", "to": "4", "item": "1.2 总结质量"})
    );
    assert_eq!(quality["required"], false, "it has a default");
    let render = stdout(&kaohe(&["render", &spec]));
    assert!(
        render.contains("由评审组按实际情况评分，最高4分。"),
        "{render}"
    );
    assert!(!render.contains("最高4分，扣完为止"), "{render}");
    assert!(
        render.contains("总结质量（4分）：由专家评审酌情扣分，最多扣4分"),
        "{render}"
    );
    assert!(
        render.contains("由评审组视成效评分，得0至2分。"),
        "{render}"
    );
}

#[test]
fn judged_round_trips_through_fmt_in_both_keyword_sets() {
    let dir = common::tempdir("judged", "judged-fmt");
    let file = dir.join("judged.kh");
    let original = std::fs::read_to_string(path("judged.kh")).unwrap();
    std::fs::write(&file, &original).unwrap();
    let f = file.to_string_lossy().into_owned();
    assert!(kaohe(&["fmt", "--keywords", "en", &f]).status.success());
    let en = std::fs::read_to_string(&file).unwrap();
    assert!(
        en.contains("\n        judged 总结质量得分 \"专家评审酌情扣分\" default 4\n"),
        "{en}"
    );
    assert!(kaohe(&["check", &f]).status.success());
    assert!(kaohe(&["fmt", "--keywords", "zh", &f]).status.success());
    let zh = std::fs::read_to_string(&file).unwrap();
    assert!(
        zh.contains("\n        酌情评分 总结质量得分 \"专家评审酌情扣分\" 缺省为 4\n"),
        "{zh}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn printed_lines_add_up_to_the_printed_score_with_rounding_shown_once() {
    // Two deductions of 0.005 print -0.01 each; the item is 3.995 → 3.99.
    let table = stdout(&kaohe(&[
        "eval",
        &path("rounding.kh"),
        &path("rounding.json"),
    ]));
    assert!(table.contains("1.1 两次各扣0.005  3.99 / 4"), "{table}");
    assert_eq!(table.matches("-0.01  ").count(), 2, "{table}");
    assert!(
        table.contains("+0.01  四舍五入：各行按两位小数显示，得分按精确值计算"),
        "{table}"
    );
}
