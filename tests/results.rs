//! Results derived from the total (`result …` in the header) and tables
//! without a pass concept, in every report `kaohe eval` writes: the text
//! table, JSON, JSON lines, CSV (with and without `--rank`), XLSX, HTML,
//! and the 说明 of `kaohe render`. The scores themselves are the golden
//! cases tests/patterns/R1-*, R2-*, R3-*.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{kaohe, stderr, stdout};
use serde_json::Value;
use std::path::PathBuf;

const R1: &str = "tests/patterns/R1-grades-and-payout/spec.kh";
const R1_DATA: &str = "tests/patterns/R1-grades-and-payout/data.json";
const R2: &str = "tests/patterns/R2-top-n/spec.kh";
const R2_DATA: &str = "tests/patterns/R2-top-n/data.json";
const R3: &str = "tests/patterns/R3-no-pass-concept/spec.kh";
const R3_DATA: &str = "tests/patterns/R3-no-pass-concept/data.json";

fn tempdir(name: &str) -> PathBuf {
    common::tempdir("results", name)
}

fn run(args: &[&str]) -> String {
    let o = kaohe(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

/// The rows of the first sheet of a workbook, as text.
fn summary(path: &std::path::Path) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let first = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&first).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn the_table_report_names_each_result_with_its_line() {
    let out = run(&["eval", R1, R1_DATA]);
    assert!(out.contains("between  总分 86.50\n"), "{out}");
    assert!(
        out.contains("  等次 良好  (总分 86.50，≥ 80 → 良好)"),
        "{out}"
    );
    assert!(
        out.contains("  是否达标 不合格  (总分 59.50，< 合格线 60 → 不合格)"),
        "{out}"
    );
    assert!(out.contains("  绩效奖励比例 75.71%  (总分 86.50，介于 60 与 95 之间，按比例：0% + (86.50 − 60) ÷ (95 − 60) × (100% − 0%) = 75.71%)"), "{out}");
    assert!(
        out.contains("  绩效奖励比例 100.00%  (总分 97.00，≥ 95 → 100.00%（取上端）)"),
        "{out}"
    );
    assert!(out.contains("vetoed  总分 100.00  否决\n  基础分"), "{out}");
    assert!(
        out.contains("  等次 否决  (否决项已触发，不评定此结果)"),
        "{out}"
    );
}

#[test]
fn a_result_by_rank_is_given_with_rank_and_pointed_to_without() {
    // One unit at a time, without the ranking: it says where to look.
    let out = run(&["eval", R2, R2_DATA]);
    assert!(
        out.contains("  评先 见排名  (按全部单位的排名评定（前 3 名（并列者全部计入）），见排名)"),
        "{out}"
    );
    // With --rank the first pass ranks every unit.
    let out = run(&["eval", R2, R2_DATA, "--rank"]);
    assert!(out.contains("third_b  总分 7.00  结果 合格\n"), "{out}");
    assert!(out.contains("  评先 先进单位  (排名第 3（共 6 个未被否决的单位），在前 3 名（并列者全部计入）之内 → 先进单位)"), "{out}");
    assert!(out.contains("  标兵 —  (排名第 3（共 6 个未被否决的单位），不在前 20%（6 个单位的 20% 向下取整为 1 名，并列者全部计入）之内)"), "{out}");
    assert!(
        out.contains("  评先 否决  (否决项已触发，不评定此结果)"),
        "{out}"
    );
    // The ranking at the end: every unit by total, the labels after it.
    let ranking = out.split("排名\n").last().unwrap();
    assert!(
        ranking.contains("     1  vetoed_full  10.00  不合格\n"),
        "{ranking}"
    );
    assert!(
        ranking.contains("     2  first  9.00  合格  先进单位  标兵单位\n"),
        "{ranking}"
    );
    assert!(
        ranking.contains("     4  third_a  7.00  合格  先进单位\n"),
        "{ranking}"
    );
    assert!(
        ranking.contains("     4  third_b  7.00  合格  先进单位\n"),
        "{ranking}"
    );
    assert!(ranking.contains("     6  fifth  6.00  合格\n"), "{ranking}");
}

#[test]
fn the_json_reports_carry_results_and_the_ranking_its_top() {
    let v: Value =
        serde_json::from_str(&run(&["eval", R2, R2_DATA, "--format", "json", "--rank"])).unwrap();
    let third_b = &v["entities"][3];
    assert_eq!(third_b["id"], "third_b");
    assert_eq!(third_b["results"][0]["name"], "评先");
    assert_eq!(third_b["results"][0]["value"], "先进单位");
    assert_eq!(third_b["results"][1]["value"], "");
    let first = v["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "first")
        .unwrap();
    assert_eq!(first["top"]["评先"], "先进单位");
    assert_eq!(first["top"]["标兵"], "标兵单位");
    let fifth = v["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "fifth")
        .unwrap();
    assert_eq!(fifth["top"], serde_json::json!({}));
    // JSON lines: one unit a line, with its results.
    let lines = run(&["eval", R1, R1_DATA, "--format", "jsonl"]);
    let between: Value = serde_json::from_str(lines.lines().nth(1).unwrap()).unwrap();
    assert_eq!(between["results"][2]["value"], "75.71%");
    assert_eq!(between.get("result"), None);
}

#[test]
fn the_csv_report_has_a_column_per_result() {
    let out = run(&["eval", R1, R1_DATA, "--format", "csv"]);
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        "entity,section,indicator,item,title,max,score,lost,responsible,等次,是否达标,绩效奖励比例"
    );
    assert!(out.contains("\nbetween,一 工作目标,1 重点任务,1.1,重点任务完成情况,100.00,86.50,13.50,,良好,合格,75.71%\n"), "{out}");
    let out = run(&["eval", R2, R2_DATA, "--format", "csv", "--rank"]);
    assert!(
        out.contains(
            "\nthird_a,4,一 综合工作,1 重点工作,1.1,重点工作完成情况,10.00,7.00,3.00,,先进单位,\n"
        ),
        "{out}"
    );
}

#[test]
fn the_xlsx_summary_has_a_column_per_result_and_none_for_no_pass_concept() {
    let dir = tempdir("xlsx");
    let path = dir.join("r2.xlsx");
    run(&[
        "eval",
        R2,
        R2_DATA,
        "--format",
        "xlsx",
        "-o",
        path.to_str().unwrap(),
    ]);
    let rows = summary(&path);
    assert_eq!(
        rows[0],
        [
            "单位",
            "一 综合工作",
            "总分",
            "结果",
            "名次",
            "评先",
            "标兵"
        ]
    );
    let third_a = rows.iter().find(|r| r[0] == "third_a").unwrap();
    assert_eq!(third_a[3..], ["合格", "4", "先进单位", ""]);
    let path = dir.join("r3.xlsx");
    run(&[
        "eval",
        R3,
        R3_DATA,
        "--format",
        "xlsx",
        "-o",
        path.to_str().unwrap(),
    ]);
    let rows = summary(&path);
    assert_eq!(rows[0], ["单位", "一 市容环境", "总分", "名次"]);
}

#[test]
fn the_html_report_lists_results_and_the_top_in_its_ranking() {
    let out = run(&["eval", R2, R2_DATA, "--format", "html"]);
    assert!(
        out.contains("<th>结果</th><th>评先</th><th>标兵</th></tr>"),
        "{out}"
    );
    assert!(out.contains("<td>first</td><td class=n>9.00</td><td>合格</td><td>先进单位</td><td>标兵单位</td></tr>"), "{out}");
    assert!(out.contains("<tr><th>评先</th><td>先进单位</td><td class=line>排名第 1（共 6 个未被否决的单位），在前 3 名（并列者全部计入）之内 → 先进单位</td></tr>"), "{out}");
    let out = run(&["eval", R1, R1_DATA, "--format", "html"]);
    assert!(
        out.contains("<tr><th>绩效奖励比例</th><td>75.71%</td>"),
        "{out}"
    );
}

#[test]
fn a_table_without_a_pass_concept_prints_no_result_anywhere() {
    let out = run(&["eval", R3, R3_DATA, "--rank"]);
    assert!(!out.contains("结果"), "{out}");
    assert!(!out.contains("合格"), "{out}");
    assert!(out.contains("lost_some  总分 8.50\n"), "{out}");
    // A fired veto still says so.
    assert!(out.contains("vetoed  总分 9.50  否决\n"), "{out}");
    assert!(out.contains("     2  vetoed  9.50  否决\n"), "{out}");
    assert!(out.contains("     3  lost_some  8.50\n"), "{out}");
    let v: Value = serde_json::from_str(&run(&["eval", R3, R3_DATA, "--format", "json"])).unwrap();
    assert_eq!(v["entities"][0].get("result"), None);
    assert_eq!(v["entities"][2]["result"], "否决");
    let html = run(&["eval", R3, R3_DATA, "--format", "html"]);
    assert!(!html.contains("结果") && !html.contains("合格"), "{html}");
    let csv = run(&["eval", R3, R3_DATA, "--format", "csv"]);
    assert!(!csv.contains("合格"), "{csv}");
}

#[test]
fn render_states_the_results_under_the_table() {
    let out = run(&["render", R1, "--format", "md"]);
    assert!(
        out.contains(
            "- 等次：总分90分及以上为优秀，80分及以上为良好，60分及以上为合格，其余为不合格\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("- 是否达标：总分60分及以上为合格，低于60分为不合格\n"),
        "{out}"
    );
    assert!(
        out.contains("- 绩效奖励比例：总分60分及以下为0%，95分及以上为100%，其间按总分比例计算\n"),
        "{out}"
    );
    let out = run(&["render", R2, "--format", "md"]);
    assert!(
        out.contains(
            "- 评先：总分排名前3名的单位为先进单位（并列者均计入，被一票否决的单位不参与）\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("- 标兵：总分排名前20%（按未被一票否决的单位数计，向下取整）的单位为标兵单位"),
        "{out}"
    );
}

#[test]
fn fmt_round_trips_results_in_both_keyword_sets() {
    for spec in [R1, R2] {
        let text = std::fs::read_to_string(common::root().join(spec)).unwrap();
        let zh = kaohe::api::format(&text, Some(kaohe::api::KeywordSet::Zh)).unwrap();
        let en = kaohe::api::format(&zh, Some(kaohe::api::KeywordSet::En)).unwrap();
        assert_eq!(
            kaohe::api::format(&en, Some(kaohe::api::KeywordSet::Zh)).unwrap(),
            zh
        );
        assert!(
            zh.contains("结果 \"等次\" \"优秀\" >= 90") || zh.contains("结果 \"评先\" 前 3 =>"),
            "{zh}"
        );
        assert!(en.contains("result \""), "{en}");
    }
}

#[test]
fn the_rounding_line_is_in_the_json_html_and_xlsx_reports_too() {
    // Two deductions of 0.005 print -0.01 each, the item prints 3.99 of 4:
    // the lines as printed need +0.01 to add up, shown once.
    let (spec, data) = ("tests/judged/rounding.kh", "tests/judged/rounding.json");
    let v: Value = serde_json::from_str(&run(&["eval", spec, data, "--format", "json"])).unwrap();
    let item = &v["entities"][0]["items"][0];
    assert_eq!(item["score"], "3.99");
    assert_eq!(item["rounding"], "0.01");
    let lines: Vec<&str> = item["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["amount"].as_str().unwrap())
        .collect();
    assert_eq!(lines, ["-0.01", "-0.01"]);
    let html = run(&["eval", spec, data, "--format", "html"]);
    assert_eq!(
        html.matches("+0.01 四舍五入：各行按两位小数显示，得分按精确值计算")
            .count(),
        1,
        "{html}"
    );
    let dir = tempdir("rounding");
    let path = dir.join("r.xlsx");
    run(&[
        "eval",
        spec,
        data,
        "--format",
        "xlsx",
        "-o",
        path.to_str().unwrap(),
    ]);
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let names = book.sheet_names();
    let sheet = names
        .iter()
        .find(|n| {
            !n.contains("汇总")
                && !n.contains("责任单位")
                && !n.contains("summary")
                && !n.contains("units")
        })
        .unwrap()
        .clone();
    let cells: Vec<String> = book
        .worksheet_range(&sheet)
        .unwrap()
        .rows()
        .map(|r| r.get(5).map(|c| c.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(
        cells
            .iter()
            .filter(|c| c.starts_with("+0.01 四舍五入"))
            .count(),
        1,
        "{cells:?}"
    );
    // No entity of a spec without rounding gets the key.
    let v: Value = serde_json::from_str(&run(&["eval", R1, R1_DATA, "--format", "json"])).unwrap();
    assert_eq!(v["entities"][0]["items"][0].get("rounding"), None);
}

#[test]
fn kaohe_test_compares_named_results_and_says_why_one_differs() {
    let dir = tempdir("spectest");
    let spec = dir.join("r1.kh");
    std::fs::copy(common::root().join(R1), &spec).unwrap();
    std::fs::copy(common::root().join(R1_DATA), dir.join("data.json")).unwrap();
    let cases = serde_json::json!({"cases": [
        {"name": "良好", "data": "data.json", "entity": "between",
         "expect": {"total": "86.50", "results": {"等次": "良好", "绩效奖励比例": "75.71%"}}},
        {"name": "写错的等次", "data": "data.json", "entity": "below_60",
         "expect": {"results": {"等次": "合格"}}}
    ]});
    std::fs::write(dir.join("r1.tests.json"), cases.to_string()).unwrap();
    let o = kaohe(&["test", spec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o) + &stderr(&o);
    assert!(
        out.contains("结果“等次”：预期 合格，实得 不合格（总分 59.50，< 60 → 不合格）"),
        "{out}"
    );
    assert!(!out.contains("绩效奖励比例”：预期"), "{out}");
    // --bless writes what each case scores, the named results with it.
    let o = kaohe(&["test", "--bless", spec.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let blessed: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("r1.tests.json")).unwrap()).unwrap();
    assert_eq!(
        blessed["cases"][1]["expect"]["results"],
        serde_json::json!({"等次": "不合格", "是否达标": "不合格", "绩效奖励比例": "0.00%"})
    );
}

/// A grade's bounds may be written with 分, as the table's prose writes
/// them (`>= 90分 => "优秀"`), as the total and a result's steps may: the
/// county hospitals' spec so written (its grades are its first bands)
/// checks and grades every hospital as the spec without 分 does.
#[test]
fn a_grade_bound_written_with_fen_grades_as_the_bare_number() {
    const SPEC: &str = "specs/county-hospital-2024.kh";
    const DATA: &str = "examples/county-hospital-2024/hospitals.json";
    let bare = std::fs::read_to_string(common::root().join(SPEC)).unwrap();
    let with = bare
        .replacen(">= 90         =>", ">= 90分 =>", 1)
        .replacen(">= 75 且 < 90 =>", ">= 75分 且 < 90分 =>", 1)
        .replacen("< 60          =>", "< 60分 =>", 1);
    let fen = |s: &str| s.matches("分 =>").count();
    assert_eq!(fen(&with), fen(&bare) + 3, "the spec's grades changed");
    let spec = tempdir("grade-fen").join("spec.kh");
    std::fs::write(&spec, &with).unwrap();
    let spec = spec.to_str().unwrap();
    assert!(run(&["check", spec]).contains("检查通过"));
    let report = |s: &str| run(&["eval", s, DATA, "--format", "json"]);
    assert_eq!(report(spec), report(SPEC));
}
