//! The command line as a user meets it: output, exit codes, file errors.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{kaohe, kaohe_env, root, stderr, stdout};

#[test]
fn check_reports_items_and_base_total_and_exits_0() {
    let o = kaohe(&["check", "tests/cli/small.kh"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim(),
        "tests/cli/small.kh: ok, 4 items (2 base, 1 bonus, 1 veto), base total 5, bonus ceiling 1"
    );
}

#[test]
fn check_summarises_in_the_language_of_the_spec() {
    let o = kaohe(&["check", "specs/liucheng-2024.kh"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim(),
        "specs/liucheng-2024.kh：检查通过，共71个考核事项（基础项56个、扣分项2个、加分项11个、扣分加分项1个、否决项1个），基础分合计 200，加分上限 10"
    );
    let o = kaohe(&["check", "specs/liucheng-2024.kh", "--lang", "en"]);
    assert_eq!(
        stdout(&o).trim(),
        "specs/liucheng-2024.kh: ok, 71 items (56 base, 2 deduction, 11 bonus, 1 deduction and bonus, 1 veto), base total 200, bonus ceiling 10"
    );
}

/// The JSON and JSON-lines reports byte for byte: key order, the rank
/// last, two-space indentation (the report is written by serde from views
/// of the outcome, not from a `serde_json::Value`).
#[test]
fn eval_json_and_jsonl_reports_keep_their_layout() {
    for format in ["json", "jsonl"] {
        let args = ["eval", "tests/cli/small.kh", "tests/cli/small.json"];
        let o = kaohe(&[&args[..], &["--format", format, "--rank"]].concat());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        insta::assert_snapshot!(format!("eval-small-{format}-rank"), stdout(&o));
    }
}

#[test]
fn eval_json_scores_every_entity() {
    let o = kaohe(&[
        "eval",
        "tests/cli/small.kh",
        "tests/cli/small.json",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let a = &report["entities"][0];
    // 1.1: one meeting short → −0.5; 1.2: 95% is halfway → −1; bonus 1.5 capped at 1.
    assert_eq!(a["id"], "甲县");
    assert_eq!(a["base"], "3.50");
    assert_eq!(a["bonus_raw"], "1.50");
    assert_eq!(a["bonus"], "1.00");
    assert_eq!(a["total"], "4.50");
    assert_eq!(a["result"], "合格");
    assert_eq!(a["items"][0]["lines"][0]["reason"], "少一次扣0.5分");
    assert_eq!(a["items"][0]["lines"][0]["facts"][0]["value"], "1次");
    let b = &report["entities"][1];
    assert_eq!(b["total"], "4.00");
    assert_eq!(b["vetoed"], true);
    assert_eq!(b["result"], "不合格");
}

#[test]
fn eval_table_explains_the_points_lost() {
    let o = kaohe(&["eval", "tests/cli/small.kh", "tests/cli/small.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("甲县  总分 4.50  结果 合格"), "{text}");
    assert!(
        text.contains("-0.50  少一次扣0.5分  (党政主要领导研究生态环境保护工作次数 = 1次)"),
        "{text}"
    );
    assert!(text.contains("乙县  总分 4.00  结果 不合格"), "{text}");
}

#[test]
fn bad_data_is_reported_all_at_once_and_that_entity_is_not_scored() {
    let dir = tempdir("bad-data");
    let data = dir.join("bad.json");
    std::fs::write(
        &data,
        r#"[{"id": "甲县", "meetings": -1, "report_made": "也许", "water_rate": 120, "awards": 0, "incident": false, "extra": 1},
            {"id": "乙县", "meetings": 2, "report_made": true, "water_rate": 100, "awards": 0, "incident": false}]"#,
    )
    .unwrap();
    let o = kaohe(&[
        "eval",
        "tests/cli/small.kh",
        data.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for code in ["K0506", "K0505", "K0507", "K0504"] {
        assert!(err.contains(code), "{code} missing from:\n{err}");
    }
    assert!(err.contains("entity \"甲县\", field `meetings`"), "{err}");
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let ids: Vec<&str> = report["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["乙县"]);
}

/// A unit given in two data files of one run (the same file twice, or an
/// old file beside its correction) is scored once: the later one is
/// refused with K0510 naming both files, in every report and with
/// `--rank`, never ranked beside itself.
#[test]
fn a_unit_given_in_two_files_is_scored_once_and_the_second_refused() {
    let dir = tempdir("two-files");
    let (a, b) = (dir.join("a.json"), dir.join("b.json"));
    let unit = |id: &str, meetings: u32| {
        format!(
            r#"{{"id": "{id}", "meetings": {meetings}, "report_made": true, "water_rate": 100, "awards": 0, "incident": false}}"#
        )
    };
    std::fs::write(&a, format!("[{}, {}]", unit("甲县", 2), unit("乙县", 2))).unwrap();
    std::fs::write(&b, format!("[{}, {}]", unit("丙县", 2), unit("甲县", 0))).unwrap();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    for format in ["json", "csv", "jsonl", "table"] {
        for rank in [false, true] {
            let mut args = vec![
                "eval",
                "tests/cli/small.kh",
                a,
                b,
                "--lang",
                "en",
                "--format",
                format,
            ];
            args.extend(rank.then_some("--rank"));
            let o = kaohe(&args);
            assert_eq!(o.status.code(), Some(1), "{args:?}");
            let err = stderr(&o);
            let told = format!("{b}: the id \"甲县\" was given before, in {a}");
            assert_eq!(err.matches("K0510").count(), 1, "{args:?}: {err}");
            assert!(err.contains(&told), "{args:?}: {err}");
            let out = stdout(&o);
            assert_eq!(
                out.matches("甲县").count(),
                out.matches("乙县").count(),
                "{args:?}: {out}"
            );
            assert!(out.contains("丙县"), "{args:?}: {out}");
        }
    }
    // One file given twice: each of its units refused the second time.
    let o = kaohe(&["eval", "tests/cli/small.kh", a, a, "--format", "jsonl"]);
    assert_eq!(stderr(&o).matches("K0510").count(), 2);
    assert_eq!(stdout(&o).lines().count(), 2);
    // CSV files, read on the pool by the task that scores each unit, and a
    // JSON file after them: the same.
    let header = "id,meetings,report_made,water_rate,awards,incident\n";
    let (c, d) = (dir.join("c.csv"), dir.join("d.csv"));
    std::fs::write(
        &c,
        format!("{header}丁县,2,是,100,0,否\n乙县,2,是,100,0,否\n"),
    )
    .unwrap();
    std::fs::write(
        &d,
        format!("{header}戊县,2,是,100,0,否\n丁县,1,是,90,0,否\n"),
    )
    .unwrap();
    let (c, d) = (c.to_str().unwrap(), d.to_str().unwrap());
    for format in ["csv", "json"] {
        let o = kaohe(&[
            "eval",
            "tests/cli/small.kh",
            c,
            d,
            a,
            "--lang",
            "en",
            "--format",
            format,
        ]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&format!("{d}: the id \"丁县\" was given before, in {c}")),
            "{err}"
        );
        assert!(
            err.contains(&format!("{a}: the id \"乙县\" was given before, in {c}")),
            "{err}"
        );
        assert_eq!(err.matches("K0510").count(), 2, "{err}");
        let out = stdout(&o);
        for (id, n) in [("丁县", 1), ("乙县", 1), ("戊县", 1), ("甲县", 1)] {
            assert_eq!(
                out.matches(id).count(),
                n * if format == "csv" { 4 } else { 1 },
                "{id}: {out}"
            );
        }
    }
}

#[test]
fn a_spec_with_errors_exits_1_and_says_where() {
    let dir = tempdir("spec-errors");
    let spec = dir.join("typo.kh");
    let text = std::fs::read_to_string(root().join("tests/cli/small.kh"))
        .unwrap()
        .replace("per meetings below", "per meetngs below");
    std::fs::write(&spec, text).unwrap();
    let o = kaohe(&["check", spec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("error[K0201]: no input is named `meetngs`"),
        "{err}"
    );
    assert!(err.contains("typo.kh:15:"), "{err}");
    assert!(err.contains("did you mean `meetings`?"), "{err}");
}

#[test]
fn check_json_prints_one_diagnostic_per_line() {
    let dir = tempdir("check-json");
    let spec = dir.join("brace.kh");
    let text = std::fs::read_to_string(root().join("tests/cli/small.kh"))
        .unwrap()
        .replacen("    }\n    item 1.2", "    item 1.2", 1);
    std::fs::write(&spec, text).unwrap();
    let o = kaohe(&["check", "--format", "json", spec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!lines.is_empty());
    assert_eq!(lines[0]["code"], "K0101");
    assert_eq!(lines[0]["labels"][0]["line"], 17);
    assert!(
        lines[0]["help"]
            .as_str()
            .unwrap()
            .contains("closing `}` may be missing")
    );
}

#[test]
fn template_lists_every_input() {
    let o = kaohe(&["template", "tests/cli/small.kh"]);
    assert_eq!(o.status.code(), Some(0));
    let t: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let names: Vec<&str> = t["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "meetings",
            "report_made",
            "water_rate",
            "awards",
            "incident"
        ]
    );
    assert_eq!(t["inputs"][2]["unit"], "%");
    assert_eq!(t["example"]["water_rate"], 100);
}

#[test]
fn a_file_that_cannot_be_read_exits_2_with_k0901() {
    let o = kaohe(&["check", "no/such/file.kh"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("K0901"), "{}", stderr(&o));
}

#[test]
fn a_file_that_is_not_utf8_exits_1_with_k0902() {
    let dir = tempdir("not-utf8");
    let spec = dir.join("gbk.kh");
    // 测试, as Notepad saves it as "ANSI" on Chinese Windows (GBK).
    std::fs::write(&spec, b"table \"\xb2\xe2\xca\xd4\" {}\n").unwrap();
    let o = kaohe(&["check", spec.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("K0902"), "{err}");
    assert!(
        err.contains("is not UTF-8 text (line 1, column 8)"),
        "{err}"
    );
    assert!(
        err.contains("reads as GBK (GB18030)") && err.contains("Notepad"),
        "{err}"
    );
}

#[test]
fn misuse_exits_2() {
    assert_eq!(kaohe(&["check"]).status.code(), Some(2));
    assert_eq!(kaohe(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        kaohe(&[
            "eval",
            "tests/cli/small.kh",
            "tests/cli/small.json",
            "--format",
            "pdf"
        ])
        .status
        .code(),
        Some(2)
    );
}

/// A fresh folder of its own for the test `name`.
fn tempdir(name: &str) -> std::path::PathBuf {
    common::tempdir("cli", name)
}

#[test]
fn an_unknown_data_extension_exits_1_with_k0910() {
    let o = kaohe(&["eval", "tests/cli/small.kh", "tests/cli/small.kh"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("K0910"), "{}", stderr(&o));
}

// The language of diagnostics: tests/cli/misspelt-en.kh and misspelt-zh.kh
// are one spec (with the input `meetings` misspelt) in either keyword set.

#[test]
fn lang_zh_writes_diagnostics_in_chinese_with_the_same_code() {
    let o = kaohe(&["check", "--lang", "zh", "tests/cli/misspelt-en.kh"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("错误[K0201]: 没有名为“meetngs”的数据项"),
        "{err}"
    );
    assert!(err.contains("建议：是否应为“meetings”？"), "{err}");
    assert!(
        err.contains("tests/cli/misspelt-en.kh：共 1 处错误"),
        "{err}"
    );
    assert!(!err.contains("no input"), "{err}");
}

#[test]
fn lang_en_writes_diagnostics_in_english_whatever_the_spec() {
    let o = kaohe(&["check", "tests/cli/misspelt-zh.kh", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("error[K0201]: no input is named `meetngs`"),
        "{err}"
    );
    assert!(err.contains("help: did you mean `meetings`?"), "{err}");
}

#[test]
fn the_default_language_is_the_spec_keyword_set() {
    let zh = kaohe(&["check", "tests/cli/misspelt-zh.kh"]);
    assert!(stderr(&zh).contains("错误[K0201]: 没有名为“meetngs”的数据项"));
    // The spec's keywords come before the locale.
    let en = kaohe_env(
        &["check", "tests/cli/misspelt-en.kh"],
        &[("LANG", "zh_CN.UTF-8")],
    );
    assert!(stderr(&en).contains("error[K0201]: no input is named `meetngs`"));
    // The 2024 table is written in Chinese keywords, its data errors too.
    let data = kaohe(&["eval", "specs/liucheng-2024.kh", "tests/cli/small.json"]);
    assert_eq!(data.status.code(), Some(1));
    assert!(
        stderr(&data).contains("错误[K0503]: 被考核单位“甲县”"),
        "{}",
        stderr(&data)
    );
}

#[test]
fn without_a_spec_the_locale_chooses() {
    let zh = kaohe_env(&["check", "no/such/file.kh"], &[("LANG", "zh_CN.UTF-8")]);
    assert!(
        stderr(&zh).contains("错误[K0901]: 无法读取 no/such/file.kh"),
        "{}",
        stderr(&zh)
    );
    let en = kaohe_env(
        &["check", "no/such/file.kh"],
        &[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "en_US.UTF-8")],
    );
    assert!(stderr(&en).contains("error[K0901]: cannot read no/such/file.kh"));
    let none = kaohe(&["check", "no/such/file.kh"]);
    assert!(stderr(&none).contains("error[K0901]"));
}

#[test]
fn json_diagnostics_carry_the_chosen_language_and_name_it() {
    let o = kaohe(&[
        "check",
        "--format",
        "json",
        "--lang",
        "zh",
        "tests/cli/misspelt-en.kh",
    ]);
    let d: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(d["code"], "K0201");
    assert_eq!(d["lang"], "zh");
    assert_eq!(d["message"], "没有名为“meetngs”的数据项");
    assert_eq!(d["labels"][0]["message"], "未声明");
    assert_eq!(d["help"], "是否应为“meetings”？");
}

/// More entities than one chunk of the parallel scoring (1,024), some with
/// bad data: the report and the diagnostics keep the order of the data, and
/// only the valid entities are scored.
#[test]
fn eval_keeps_the_order_of_the_data_across_chunks() {
    let n = 2_600;
    let bad = |i: usize| i % 997 == 5;
    let units: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let meetings = if bad(i) {
                serde_json::json!("many")
            } else {
                serde_json::json!(i % 3)
            };
            serde_json::json!({
                "id": format!("u{i:04}"), "meetings": meetings, "report_made": i % 2 == 0,
                "water_rate": "95%", "awards": i % 4, "incident": i % 50 == 0
            })
        })
        .collect();
    let dir = common::tempdir("cli", "chunks");
    let data = dir.join("units.json");
    std::fs::write(&data, serde_json::Value::Array(units).to_string()).unwrap();
    let o = kaohe(&[
        "eval",
        "tests/cli/small.kh",
        data.to_str().unwrap(),
        "--format",
        "jsonl",
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let ids: Vec<String> = stdout(&o)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["id"].as_str().map(String::from))
        .collect();
    let valid: Vec<String> = (0..n)
        .filter(|i| !bad(*i))
        .map(|i| format!("u{i:04}"))
        .collect();
    assert_eq!(ids, valid);
    // One cause (`meetings` in words) is told once, at the first entity
    // with it, with how many more have it (data::Grouped).
    let err = stderr(&o);
    let bad: Vec<usize> = (0..n).filter(|i| bad(*i)).collect();
    assert!(err.contains(&format!("\"u{:04}\"", bad[0])), "{err}");
    let more = format!("and {} more entities like this", bad.len() - 1);
    assert!(err.contains(&more), "{err}");
    assert_eq!(err.matches("error[K0505]").count(), 1, "{err}");
}

#[test]
fn the_check_summary_of_one_item_says_item() {
    let spec = "tests/diagnostics/K0311-pm-ratio-read-when-pm10-may-be-0.kh";
    let o = kaohe(&["check", spec, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        format!("{spec}: ok, 1 item (1 base), base total 3\n")
    );
    let o = kaohe(&["check", spec, "--lang", "zh"]);
    assert_eq!(
        stdout(&o),
        format!("{spec}：检查通过，共1个考核事项（基础项1个），基础分合计 3\n")
    );
}

/// `--lang` chooses the words of reports and templates as well as of
/// diagnostics, over the spec's `language` entry (here `zh`).
#[test]
fn lang_chooses_the_words_of_reports_over_the_specs_language() {
    let eval = |lang: Option<&str>| {
        let mut args = vec![];
        if let Some(l) = lang {
            args.extend(["--lang", l]);
        }
        args.extend(["eval", "tests/cli/small.kh", "tests/cli/small.json"]);
        let o = kaohe(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let (default, en, zh) = (eval(None), eval(Some("en")), eval(Some("zh")));
    assert!(default.contains("总分") && default == zh, "{default}");
    assert!(en.contains(" total ") && !en.contains("总分"), "{en}");
    let o = kaohe(&["--lang", "en", "template", "tests/cli/small.kh"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let zh = kaohe(&["template", "tests/cli/small.kh"]);
    assert_ne!(stdout(&o), stdout(&zh));
}

#[test]
fn json_lines_and_a_json_file_with_a_byte_order_mark_are_read() {
    let dir = tempdir("bom");
    let mixed = std::fs::read_to_string(root().join("examples/liucheng-2024/mixed.json")).unwrap();
    let spec = "specs/liucheng-2024.kh";
    // In English throughout: the last run's message is checked in English,
    // and --lang chooses the report's words too.
    let base = kaohe(&[
        "--lang",
        "en",
        "eval",
        spec,
        "examples/liucheng-2024/mixed.json",
        "--format",
        "jsonl",
    ]);
    assert_eq!(base.status.code(), Some(0), "{}", stderr(&base));
    // A byte-order mark, as Windows Notepad saves UTF-8.
    let bom = dir.join("bom.json");
    std::fs::write(&bom, format!("\u{feff}{mixed}")).unwrap();
    let o = kaohe(&[
        "--lang",
        "en",
        "eval",
        spec,
        bom.to_str().unwrap(),
        "--format",
        "jsonl",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), stdout(&base));
    // JSON lines: the entity on one line, a blank line, a line that is not
    // JSON (an error for that line only: exit 1, the other scored).
    let one: serde_json::Value = serde_json::from_str(&mixed).unwrap();
    let lines = dir.join("units.jsonl");
    std::fs::write(&lines, format!("\u{feff}{one}\n\n{{\"id\": \"乙县\",\n")).unwrap();
    let o = kaohe(&[
        "eval",
        spec,
        lines.to_str().unwrap(),
        "--format",
        "jsonl",
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stdout(&o), stdout(&base));
    assert!(
        stderr(&o).contains("K0501") && stderr(&o).contains(
                "units.jsonl, line 3: not valid JSON: EOF while parsing a value at the end of the line"
            ),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A veto item has no points: every report shows it as 未触发 or
/// 否决（已触发）, never as full marks or a score, and the roll-up by
/// responsible unit attributes a fired veto to the item's units.
#[test]
fn veto_items_never_read_as_full_marks_and_are_attributed_to_their_units() {
    let args = [
        "eval",
        "tests/patterns/W2-veto/spec.kh",
        "tests/patterns/W2-veto/data.json",
    ];
    let o = kaohe(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    // not fired: counted apart from the items in full.
    let quiet = text.split("\n\n").next().unwrap();
    assert!(
        quiet.contains("其余各项满分 (1)\n  否决项未触发 (1)"),
        "{text}"
    );
    // fired: said as such, and attributed to its unit.
    assert!(
        text.contains("15.1 辖区内发生较大及以上等级突发环境事件。  否决（已触发）"),
        "{text}"
    );
    assert!(
        text.contains("柳城生态环境局  否决 15.1  失分 4.00 / 4.00  6.1 4.00"),
        "{text}"
    );

    let o = kaohe(&[&args[..], &["--format", "csv"]].concat());
    let csv = stdout(&o);
    let row = |id: &str| {
        csv.lines()
            .find(|l| l.starts_with(&format!("{id},")) && l.contains(",15.1,"))
            .unwrap()
            .to_string()
    };
    assert!(
        row("no_incident").ends_with(",,未触发,,柳城生态环境局"),
        "{csv}"
    );
    assert!(
        row("major_with_duty").ends_with(",,否决（已触发）,,柳城生态环境局"),
        "{csv}"
    );

    let o = kaohe(&[&args[..], &["--format", "json"]].concat());
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let (a, b) = (&report["entities"][0], &report["entities"][1]);
    assert_eq!(a["items"][1]["veto"], "not_triggered");
    assert_eq!(a["items"][0].get("veto"), None);
    assert_eq!(b["items"][1]["veto"], "triggered");
    assert_eq!(b["units"][0]["vetoed"][0], "15.1");
    assert_eq!(b["units"][0]["items"][1]["vetoed"], true);

    let o = kaohe(&[&args[..], &["--format", "html"]].concat());
    let html = stdout(&o);
    assert!(
        html.contains("<td class=\"n lost\">否决（已触发）</td>"),
        "{html}"
    );
    // The roll-up's items are losses under the 失分 column: no minus sign.
    assert!(
        html.contains("<td class=\"n lost\">4.00</td><td>6.1 <span class=lost>4.00</span>"),
        "{html}"
    );
    assert!(!html.contains("<span class=lost>-"), "{html}");
}

/// A workbook kaohe writes is the same bytes from one run to the next
/// (its creation time is fixed, not the moment of writing), so a report
/// downloaded from `kaohe serve` is the file `kaohe eval -o` writes and
/// workbooks can be compared or hashed. The runs are more than a second
/// apart: the time the library would record has seconds.
#[test]
fn workbooks_are_the_same_bytes_from_run_to_run() {
    let dir = tempdir("workbooks");
    let spec = root().join("specs/liucheng-2024.kh");
    let data = root().join("examples/liucheng-2024/mixed.json");
    let (spec, data) = (spec.to_str().unwrap(), data.to_str().unwrap());
    let jobs: [&[&str]; 3] = [
        &["eval", spec, data, "--format", "xlsx", "-o"],
        &["template", spec, "--format", "xlsx", "-o"],
        &["render", spec, "--format", "xlsx", "-o"],
    ];
    for (n, job) in jobs.iter().enumerate() {
        let mut written = Vec::new();
        for run in 0..2 {
            if run == 1 {
                std::thread::sleep(std::time::Duration::from_millis(1100));
            }
            let out = dir.join(format!("{n}-{run}.xlsx"));
            let mut args = job.to_vec();
            args.push(out.to_str().unwrap());
            let o = kaohe(&args);
            assert!(o.status.success(), "{}", stderr(&o));
            written.push(std::fs::read(&out).unwrap());
        }
        assert!(
            written[0] == written[1],
            "{} differs from run to run",
            job[0]
        );
    }
}

/// The HTML report of a spec that names no responsible unit has no
/// 责任单位 roll-up table (it printed an empty one); one that names units
/// still has it.
#[test]
fn the_html_report_has_no_unit_table_when_the_spec_names_no_units() {
    let dir = "tests/patterns/R3-no-pass-concept";
    let o = kaohe(&[
        "eval",
        &format!("{dir}/spec.kh"),
        &format!("{dir}/data.json"),
        "--format",
        "html",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = stdout(&o);
    assert!(html.contains("失分项目"), "{html}");
    assert!(!html.contains("<h3>责任单位</h3>"), "{html}");
    assert!(!html.contains("<th>责任单位</th>"), "{html}");

    let dir = "tests/patterns/W2-veto";
    let o = kaohe(&[
        "eval",
        &format!("{dir}/spec.kh"),
        &format!("{dir}/data.json"),
        "--format",
        "html",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("<h3>责任单位</h3>"));
}

/// The XLSX report of a spec that names no responsible unit has no
/// 责任单位 sheet (it wrote one with a header and no rows); one that names
/// units still has it.
#[test]
fn the_xlsx_report_has_no_unit_sheet_when_the_spec_names_no_units() {
    use calamine::{Reader, Xlsx, open_workbook};
    let out = common::tempdir("cli", "units");
    let sheets = |pattern: &str| {
        let dir = format!("tests/patterns/{pattern}");
        let file = out.join(format!("{pattern}.xlsx"));
        let o = kaohe(&[
            "eval",
            &format!("{dir}/spec.kh"),
            &format!("{dir}/data.json"),
            "--format",
            "xlsx",
            "-o",
            file.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let book: Xlsx<_> = open_workbook(&file).unwrap();
        book.sheet_names()
    };
    let r3 = sheets("R3-no-pass-concept");
    assert!(r3.iter().any(|s| s == "汇总"), "{r3:?}");
    assert!(!r3.iter().any(|s| s.starts_with("责任单位")), "{r3:?}");
    let w2 = sheets("W2-veto");
    assert!(w2.iter().any(|s| s == "责任单位"), "{w2:?}");
}
