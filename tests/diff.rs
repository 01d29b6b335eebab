//! `kaohe diff`: the 2024 spec against a copy with one score changed, one
//! item removed and one rule changed reports exactly those three, and with
//! data shows their effect.

// Tests may fail loudly: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{kaohe, read, root};

fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from} should occur once");
    text.replacen(from, to, 1)
}

/// The edited copy: 1.2 is worth 3 (was 2), 3.2 (worth 1) is gone, so the
/// total stays 200; 1.3 asks for two meetings instead of one. The edits are
/// made on the English-keyword form of the spec, whatever set it is kept in.
fn edited(tag: &str) -> std::path::PathBuf {
    let text = read(&root().join("specs/liucheng-2024.kh"));
    let spec =
        kaohe::api::format(&text, Some(kaohe::api::KeywordSet::En)).expect("the spec formats");
    let spec = replace_once(
        &spec,
        "\"在辖区内实施目标责任制考核\" score 2",
        "\"在辖区内实施目标责任制考核\" score 3",
    );
    let spec = replace_once(
        &spec,
        "eco_committee_meetings below 1",
        "eco_committee_meetings below 2",
    );
    let start = spec.find("    item 3.2 ").unwrap();
    let end = start + spec[start..].find("\n    }\n").unwrap() + "\n    }\n".len();
    let spec = format!("{}{}", &spec[..start], &spec[end..]);
    // One folder per test: tests run at once, and one writing the file
    // while another reads it would read half a spec.
    let dir = common::tempdir("diff", &format!("diff-{tag}"));
    let path = dir.join("edited.kh");
    std::fs::write(&path, spec).unwrap();
    path
}

#[test]
fn reports_exactly_the_three_changes() {
    let new = edited("three");
    let o = kaohe(&[
        "--lang",
        "en",
        "diff",
        "specs/liucheng-2024.kh",
        new.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let changes: Vec<(String, String)> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["change"].as_str().unwrap().into(),
                c["id"].as_str().unwrap().into(),
            )
        })
        .collect();
    let pairs = |v: &[(&str, &str)]| {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        changes,
        pairs(&[("score", "1.2"), ("rule", "1.3"), ("removed", "3.2")])
    );
    assert_eq!(v["changes"][0]["old"], "2");
    assert_eq!(v["changes"][0]["new"], "3");
    assert!(v["changes"][1]["new"].as_str().unwrap().contains("少于2的"));
    assert_eq!(v["base_total"]["old"], "200");
    assert_eq!(v["base_total"]["new"], "200");
}

#[test]
fn with_data_shows_the_effect_on_each_entity() {
    let new = edited("data");
    let o = kaohe(&[
        "--lang",
        "en",
        "diff",
        "specs/liucheng-2024.kh",
        new.to_str().unwrap(),
        "--data",
        "examples/liucheng-2024/mixed.json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8_lossy(&o.stdout).replace(new.to_str().unwrap(), "edited.kh");
    insta::with_settings!({ snapshot_path => root().join("tests/snapshots"), prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("diff-mixed", out);
    });
}

#[test]
fn a_spec_against_itself_has_no_changes() {
    // In the language of the spec's keywords (Chinese), or as --lang says.
    let o = kaohe(&["diff", "specs/liucheng-2024.kh", "specs/liucheng-2024.kh"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&o.stdout).starts_with(
            "共 0 处变化\n年度：2024 → 2024\n基础分合计：200 → 200\n加分上限：10 → 10\n"
        )
    );
    let o = kaohe(&[
        "diff",
        "specs/liucheng-2024.kh",
        "specs/liucheng-2024.kh",
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("0 changes\nyear: 2024 → 2024\n"));
}

/// Next year's spec: the year 2025, a new bonus item 16.14 and a new
/// clause in 7.2, both reading inputs last year's data does not have.
fn next_year() -> std::path::PathBuf {
    let spec = read(&root().join("specs/liucheng-2024.kh"));
    let spec = replace_once(&spec, "  年度 2024\n", "  年度 2025\n");
    let spec = replace_once(
        &spec,
        "    考核事项 16.2 \"持续提升大气环境质量\" {",
        "    考核事项 16.14 \"开展臭氧污染防治攻坚\" 加分项 {\n      责任单位 \"柳城生态环境局\"\n      数据 ozone_campaign: 是否 \"是否开展臭氧污染防治攻坚行动\"\n      加 0.5 若 ozone_campaign \"开展攻坚行动的，加0.5分\"\n    }\n\n    考核事项 16.2 \"持续提升大气环境质量\" {",
    );
    let spec = replace_once(
        &spec,
        "      数据 air_plan_issued: 是否",
        "      数据 air_plan_published: 是否 \"实施计划是否公开\"\n      扣 0.5 除非 air_plan_published \"未公开扣0.5分\"\n      数据 air_plan_issued: 是否",
    );
    let dir = common::tempdir("diff", "diff-next");
    let path = dir.join("2025.kh");
    std::fs::write(&path, spec).unwrap();
    path
}

#[test]
fn new_inputs_are_no_data_yet_not_a_loss_for_every_unit() {
    let new = next_year();
    let args = |extra: &[&'static str]| {
        let mut a = vec![
            "diff".to_string(),
            "specs/liucheng-2024.kh".to_string(),
            new.to_str().unwrap().to_string(),
            "--data".to_string(),
            "examples/liucheng-2024/mixed.json".to_string(),
        ];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    for (extra, name) in [
        (&[][..], "diff-next-year.zh"),
        (&["--lang", "en"][..], "diff-next-year"),
    ] {
        let a = args(extra);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let o = kaohe(&a);
        // Last year's data lacks the new inputs: not an error of the data.
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            o.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let out = String::from_utf8_lossy(&o.stdout).replace(new.to_str().unwrap(), "2025.kh");
        insta::with_settings!({ snapshot_path => root().join("tests/snapshots"), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name, out);
        });
    }
    let a = args(&["--format", "json"]);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let o = kaohe(&a);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["year"], serde_json::json!({"old": 2024, "new": 2025}));
    let e = &v["entities"][0];
    // Over the items both years can score, nothing else changed.
    assert_eq!(
        e["total"],
        serde_json::json!({"old": "156.50", "new": "156.50", "change": "0.00"})
    );
    assert_eq!(e["items"], serde_json::json!([]));
    assert_eq!(
        e["no_data_yet"],
        serde_json::json!([{"id": "7.2", "new_item": false}, {"id": "16.14", "new_item": true}])
    );
}

/// A change of an item's lead or supporting units is reported, under
/// 责任单位 with the lead marked.
#[test]
fn a_change_of_lead_unit_is_reported() {
    let text = read(&root().join("tests/patterns/U1-lead-supporting-shared/spec.kh"));
    let swapped = replace_once(
        &text,
        "lead \"县住建局\"\n      supporting \"县生态环境局\", \"县水利局\"",
        "lead \"县生态环境局\"\n      supporting \"县住建局\", \"县水利局\"",
    );
    let dir = common::tempdir("diff", "diff-lead");
    let path = dir.join("swapped.kh");
    std::fs::write(&path, swapped).unwrap();
    let o = kaohe(&[
        "diff",
        "tests/patterns/U1-lead-supporting-shared/spec.kh",
        path.to_str().unwrap(),
    ]);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        out.contains("县住建局（牵头）、县生态环境局、县水利局"),
        "{out}"
    );
    assert!(
        out.contains("县生态环境局（牵头）、县住建局、县水利局"),
        "{out}"
    );
}

/// A heading's own points (levels) that change are reported as such, with
/// the item under it whose points changed with it.
#[test]
fn a_heading_whose_points_change_is_reported() {
    let old = read(&root().join("tests/patterns/L1-points-per-level/spec.kh"));
    let new = replace_once(&old, "分值 12 {", "分值 13 {");
    let new = replace_once(&new, "\"组织领导\" 分值 5 {", "\"组织领导\" 分值 6 {");
    let new = replace_once(
        &new,
        "\"签订安全生产责任书。\" 分值 2 {",
        "\"签订安全生产责任书。\" 分值 3 {",
    );
    let new = replace_once(&new, "总分 19", "总分 20");
    let dir = common::tempdir("diff", "diff-levels");
    let path = dir.join("new.kh");
    std::fs::write(&path, new).unwrap();
    let o = kaohe(&[
        "--lang",
        "en",
        "diff",
        "tests/patterns/L1-points-per-level/spec.kh",
        path.to_str().unwrap(),
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains("score        1.2 签订安全生产责任书。: 2 → 3"),
        "{out}"
    );
    assert!(
        out.contains("heading score 一 安全生产责任落实: 12 → 13"),
        "{out}"
    );
    assert!(out.contains("heading score 1 组织领导: 5 → 6"), "{out}");
    assert!(out.contains("3 changes"), "{out}");
    let o = kaohe(&[
        "diff",
        "--format",
        "json",
        "tests/patterns/L1-points-per-level/spec.kh",
        path.to_str().unwrap(),
    ]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let text = json.to_string();
    assert!(text.contains("\"heading_points\""), "{text}");
}

/// A pattern's spec with edits, written to a folder of its own.
fn pattern_edited(pattern: &str, tag: &str, edits: &[(&str, &str)]) -> std::path::PathBuf {
    let mut text = read(&root().join("tests/patterns").join(pattern).join("spec.kh"));
    for (from, to) in edits {
        text = replace_once(&text, from, to);
    }
    let dir = common::tempdir("diff", &format!("diff-{tag}"));
    let path = dir.join("new.kh");
    std::fs::write(&path, text).unwrap();
    path
}

/// A named result whose rule changes (a grade's mark, a payout's end) is
/// reported with its rule before and after; with data, each unit whose
/// result changes shows it.
#[test]
fn a_named_result_whose_rule_changes_is_reported_with_its_effect() {
    let new = pattern_edited(
        "R1-grades-and-payout",
        "results",
        &[
            ("\"良好\" >= 80", "\"良好\" >= 88"),
            ("95 => 100%", "100 => 100%"),
        ],
    );
    let old = "tests/patterns/R1-grades-and-payout/spec.kh";
    let o = kaohe(&["--lang", "en", "diff", old, new.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains(
            "result       等次\n             old: 等次：总分90分及以上为优秀，80分及以上为良好"
        ),
        "{out}"
    );
    assert!(out.contains("88分及以上为良好"), "{out}");
    assert!(out.contains("result       绩效奖励比例\n"), "{out}");
    assert!(!out.contains("是否达标"), "unchanged: {out}");
    assert!(out.contains("2 changes"), "{out}");
    // With data: 86.50 was 良好 and is now 合格; its reward share falls.
    let o = kaohe(&[
        "--lang",
        "en",
        "diff",
        old,
        new.to_str().unwrap(),
        "--data",
        "tests/patterns/R1-grades-and-payout/data.json",
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}");
    let between = out.split("\nbetween:").nth(1).unwrap();
    let between = between.split("\n\n").next().unwrap();
    assert!(between.contains("等次: 良好 → 合格"), "{between}");
    assert!(
        between.contains("绩效奖励比例: 75.71% → 66.25%"),
        "{between}"
    );
    assert!(!between.contains("是否达标"), "{between}");
    // The vetoed unit's results are not given either way: no change.
    let vetoed = out.split("\nvetoed:").nth(1).unwrap();
    assert!(!vetoed.contains("等次"), "{vetoed}");
    let o = kaohe(&[
        "diff",
        "--format",
        "json",
        old,
        new.to_str().unwrap(),
        "--data",
        "tests/patterns/R1-grades-and-payout/data.json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let changes = json["changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["change"] == "result" && c["id"] == "等次")
    );
    let between = json["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "between")
        .unwrap();
    assert_eq!(
        between["results"][0],
        serde_json::json!({"name": "等次", "old": "良好", "new": "合格"})
    );
}

/// A standard by class whose row changes is reported with its rows before
/// and after (the items that read it show their rules changed too); with
/// data, the units of that class show the items whose scores move.
#[test]
fn a_standard_by_class_whose_row_changes_is_reported_with_its_effect() {
    let new = pattern_edited(
        "C1-class-dependent-standard",
        "standards",
        &[("\"城区\" => 98%", "\"城区\" => 96%")],
    );
    let old = "tests/patterns/C1-class-dependent-standard/spec.kh";
    let o = kaohe(&["--lang", "en", "diff", old, new.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains(
            "standard     target_rate 分类覆盖率目标\n             old: 按街道（乡镇）类别：城区98%，其他95%\n             new: 按街道（乡镇）类别：城区96%，其他95%"
        ),
        "{out}"
    );
    assert!(!out.contains("stations_standard"), "unchanged: {out}");
    let o = kaohe(&[
        "--lang",
        "en",
        "diff",
        old,
        new.to_str().unwrap(),
        "--data",
        "tests/patterns/C1-class-dependent-standard/data.json",
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}");
    // 城区 at 96%: below 98% before, at 96% now.
    let below = out.split("\n城区_below:").nth(1).unwrap();
    let below = below.split("\n\n").next().unwrap();
    assert!(below.contains("1.1"), "{below}");
    let o = kaohe(&["diff", "--format", "json", old, new.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        json["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["change"] == "standard" && c["id"] == "target_rate"),
        "{json}"
    );
}

#[test]
fn a_heading_limit_that_changes_is_reported_at_any_level() {
    let old = read(&root().join("tests/patterns/L7-five-levels/spec.kh"));
    let new = replace_once(&old, "      扣分项 最高 3\n", "      扣分项 最高 4\n");
    let new = replace_once(
        &new,
        "    三级指标 2 \"传染病报告\" 分值 4 {\n",
        "    三级指标 2 \"传染病报告\" 分值 4 {\n      扣分项 最高 4\n",
    );
    let dir = common::tempdir("diff", "diff-limits");
    let path = dir.join("new.kh");
    std::fs::write(&path, new).unwrap();
    let old_path = "tests/patterns/L7-five-levels/spec.kh";
    let o = kaohe(&["--lang", "en", "diff", old_path, path.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains("heading deduction limit 一/(一)/1 免疫规划: 3 → 4"),
        "{out}"
    );
    assert!(
        out.contains("heading deduction limit 2 传染病报告: — → 4"),
        "{out}"
    );
    let o = kaohe(&["diff", "--format", "json", old_path, path.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("\"heading_limit\""), "{text}");
    let o = kaohe(&["diff", old_path, path.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("指标扣分上限"), "{out}");
}
