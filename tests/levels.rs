//! Levels (issue 15, item 1) at the command line: numbering that restarts
//! in each section (path keys) and a heading's ceiling on what it loses,
//! as `kaohe render`, `kaohe test` and the reports show them. The scores
//! are golden cases in tests/patterns (L3, L4).

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{kaohe, read, root, stderr, stdout};

const L3: &str = "tests/patterns/L3-numbering-restarts/spec.kh";
const L4: &str = "tests/patterns/L4-heading-deduction-cap/spec.kh";

#[test]
fn render_prints_a_restarted_id_as_written_under_its_headings() {
    let o = kaohe(&["render", L3]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("| 二、 生态保护（8分） | (一) 自然保护地（8分） | 1. 保护地监管。 |"),
        "{out}"
    );
    assert!(!out.contains("二/(一)/1"), "{out}");
}

#[test]
fn kaohe_test_names_items_by_their_path_keys() {
    let dir = common::tempdir("levels", "levels");
    let spec = dir.join("restarts.kh");
    std::fs::write(&spec, read(&root().join(L3))).unwrap();
    let data = read(&root().join("tests/patterns/L3-numbering-restarts/data.json"));
    std::fs::write(dir.join("data.json"), data).unwrap();
    let case = |score: &str| {
        format!(
            r#"{{"cases": [{{"name": "mixed", "data": "data.json", "entity": "mixed",
              "expect": {{"total": "11.00", "items": {{"一/(一)/1": "0.00", "二/(一)/1": "{score}", "2.": "2.00"}}}}}}]}}"#
        )
    };
    std::fs::write(dir.join("restarts.tests.json"), case("3.00")).unwrap();
    let o = kaohe(&["test", spec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    std::fs::write(dir.join("restarts.tests.json"), case("4.00")).unwrap();
    let o = kaohe(&["test", spec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("二/(一)/1"), "{}", stdout(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_item_ref_names_a_repeated_id_by_its_path() {
    let dir = common::tempdir("levels", "levels-ref");
    let data = dir.join("data.json");
    std::fs::write(
        &data,
        r#"[{"id": "A", "notices": [{"subject": "(一)"}], "good_days_rate": "90%", "source_ok": true, "patrols": 4}]"#,
    )
    .unwrap();
    let o = kaohe(&["eval", L3, data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("K0545"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn render_states_a_heading_ceiling_and_eval_explains_it() {
    let o = kaohe(&["render", L4]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("| 一 安全生产（10分）（最多扣6分） | 1 日常监管（4分）（扣完为止） |"),
        "{out}"
    );
    let o = kaohe(&[
        "eval",
        "--lang",
        "en",
        L4,
        "tests/patterns/L4-heading-deduction-cap/data.json",
    ]);
    let out = stdout(&o);
    assert!(
        out.contains("+4.00  indicator 1 loses at most its 4 points"),
        "{out}"
    );
    assert!(
        out.contains("+1.00  section 一 loses at most 6 points"),
        "{out}"
    );
}

const L5: &str = "tests/patterns/L5-one-level/spec.kh";
const L7: &str = "tests/patterns/L7-five-levels/spec.kh";

#[test]
fn render_prints_one_column_per_level_the_table_has() {
    let o = kaohe(&["render", L7]);
    let out = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        out.contains("| 一级指标 | 二级指标 | 三级指标 | 四级指标 | 考核事项 | 分值 |"),
        "{out}"
    );
    assert!(
        out.contains("| 1 免疫规划（8分）（最多扣3分） | (1) 接种率（5分） |"),
        "{out}"
    );
    // The shorter branch leaves its fourth-level cell empty.
    assert!(
        out.contains("| 2 传染病报告（4分） |  | ① 法定传染病及时报告。 |"),
        "{out}"
    );
    let o = kaohe(&["render", L5]);
    let out = stdout(&o);
    assert!(out.contains("| 考核事项 | 分值 | 评分标准 |"), "{out}");
}

#[test]
fn reports_carry_every_level() {
    let data = "tests/patterns/L7-five-levels/data.json";
    let o = kaohe(&["eval", L7, data, "--format", "csv"]);
    let out = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    let header = out.lines().next().unwrap();
    assert!(
        header.starts_with("entity,section,indicator,level3,level4,item,title,"),
        "{header}"
    );
    assert!(
        out.contains(
            "capped,一 公共卫生,(一) 疾病预防控制,1 免疫规划,(2) 冷链管理,一/(一)/1/(2)/①,"
        ),
        "{out}"
    );
    let o = kaohe(&["eval", L7, data, "--format", "json"]);
    let out = stdout(&o);
    assert!(
        out.contains("\"level\":\"level4\"") || out.contains("\"level\": \"level4\""),
        "{out}"
    );
    let o = kaohe(&["eval", L7, data]);
    let out = stdout(&o);
    assert!(out.contains("      三级指标 1 免疫规划  5.00 / 8"), "{out}");
    assert!(out.contains("+2.00  三级指标 一/(一)/1 最多扣3分"), "{out}");
    // A table of three levels keeps its two heading columns.
    let o = kaohe(&[
        "eval",
        "tests/patterns/L4-heading-deduction-cap/spec.kh",
        "tests/patterns/L4-heading-deduction-cap/data.json",
        "--format",
        "csv",
    ]);
    let header = stdout(&o).lines().next().unwrap().to_string();
    assert!(
        header.starts_with("entity,section,indicator,item,title,"),
        "{header}"
    );
}

/// The XLSX report gives each unit's sheet the subtotals of the headings
/// that declare their points, every level, after its items.
#[test]
fn the_xlsx_report_carries_the_subtotals_of_every_level() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = common::tempdir("levels", "levels-xlsx");
    let file = dir.join("r.xlsx");
    let o = kaohe(&[
        "eval",
        "tests/patterns/L7-five-levels/spec.kh",
        "tests/patterns/L7-five-levels/data.json",
        "--format",
        "xlsx",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    let sheet = book.worksheet_range("capped").unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let row = |first: &str| {
        sheet
            .rows()
            .find(|r| r.first() == Some(&Data::String(first.into())))
            .unwrap_or_else(|| panic!("no row {first}"))
            .to_vec()
    };
    // 三级指标 1 免疫规划: 8 points, 5 earned (its limit gave back 4).
    let level3 = row("三级指标 1");
    assert_eq!(level3[1], Data::String("免疫规划".into()));
    assert_eq!(level3[2], Data::Float(8.0));
    assert_eq!(level3[3], Data::Float(5.0));
    let section = row("一级指标 一");
    assert_eq!(section[3], Data::Float(13.5));
    let level4 = row("四级指标 (1)");
    assert_eq!(level4[3], Data::Float(2.0));
}

/// A five-level table's data template, filled from its JSON data as CSV
/// and as XLSX, scores as the JSON does: the same CSV report, byte for byte.
#[test]
fn the_template_of_five_levels_round_trips() {
    let dir = common::tempdir("levels", "levels-template");
    let spec = "tests/patterns/L7-five-levels/spec.kh";
    let data = "tests/patterns/L7-five-levels/data.json";
    let report = |data: &str| {
        let o = kaohe(&["eval", spec, data, "--format", "csv"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let from_json = report(data);
    assert!(from_json.contains("level4"), "{from_json}");
    for format in ["csv", "xlsx"] {
        let filled = dir.join(format!("filled.{format}"));
        let o = kaohe(&[
            "template",
            spec,
            "--format",
            format,
            "--fill",
            data,
            "-o",
            filled.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(report(filled.to_str().unwrap()), from_json, "{format}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
