//! `kaohe import`: the published 2024 table read into a draft whose
//! structure is exact and which checks with warnings only; the draft as a
//! golden file (KAOHE_BLESS=1 rewrites it); and each of the importer's
//! errors (K0801–K0805).

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
#[path = "import/office.rs"]
mod office;

use common::{kaohe, read, root, stderr, stdout};

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kaohe-import-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_2024_table_becomes_the_golden_draft_which_checks() {
    let dir = root().join("tests/import/liucheng-2024");
    let out = kaohe(&["import", dir.join("table.txt").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let draft = stdout(&out);
    let summary = stderr(&out);
    // The summary in the draft's language (Chinese keywords by default),
    // or in the one --lang asks for.
    assert!(
        summary.starts_with("找到：一级指标 4 个，二级指标 16 个，考核事项 71 项；基本分 200，加分上限 10，否决项 1 项\n规则："),
        "{summary}"
    );
    let en = kaohe(&[
        "--lang",
        "en",
        "import",
        dir.join("table.txt").to_str().unwrap(),
    ]);
    assert!(
        stderr(&en).starts_with("found: 4 sections, 16 indicators, 71 items; base points 200, bonus ceiling 10, 1 veto item(s)\nrules: every sentence recognised in "),
        "{}",
        stderr(&en)
    );
    let golden = dir.join("draft.kh");
    // The file name in the draft's first line is as given: make it stable.
    let draft = draft.replace(dir.join("table.txt").to_str().unwrap(), "table.txt");
    if std::env::var_os("KAOHE_BLESS").is_some() {
        std::fs::write(&golden, &draft).unwrap();
    }
    assert_eq!(
        draft,
        read(&golden),
        "the draft changed: KAOHE_BLESS=1 cargo test --test import, then review"
    );
    let checked = kaohe(&["check", golden.to_str().unwrap()]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    assert!(stderr(&checked).contains("K0490"));
    // Scoring the draft is refused while placeholders remain.
    let data = temp("data").join("d.json");
    std::fs::write(&data, "{\"id\": \"x\"}").unwrap();
    let eval = kaohe(&["eval", golden.to_str().unwrap(), data.to_str().unwrap()]);
    assert!(!eval.status.success());
}

#[test]
fn the_draft_in_english_keywords_checks_too() {
    let dir = root().join("tests/import/liucheng-2024");
    let out = kaohe(&[
        "import",
        dir.join("table.txt").to_str().unwrap(),
        "--keywords",
        "en",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let draft = stdout(&out);
    assert!(draft.contains("rule pending \""), "{draft}");
    let path = temp("en").join("draft.kh");
    std::fs::write(&path, &draft).unwrap();
    let checked = kaohe(&["check", path.to_str().unwrap()]);
    assert!(checked.status.success(), "{}", stderr(&checked));
}

#[test]
fn an_existing_draft_is_not_replaced_without_force() {
    let dir = temp("exists");
    let table = root().join("tests/import/liucheng-2024/table.txt");
    let draft = dir.join("draft.kh");
    std::fs::write(&draft, "keep me").unwrap();
    let out = kaohe(&[
        "import",
        table.to_str().unwrap(),
        "-o",
        draft.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("K0804"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&draft).unwrap(), "keep me");
    let out = kaohe(&[
        "import",
        table.to_str().unwrap(),
        "-o",
        draft.to_str().unwrap(),
        "--force",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(&draft)
            .unwrap()
            .contains("考核事项 16.13")
    );
}

#[test]
fn malformed_inputs_are_coded_errors() {
    let dir = temp("bad");
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "\n\n").unwrap();
    let out = kaohe(&["import", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("K0801"), "{}", stderr(&out));
    let prose = dir.join("prose.txt");
    std::fs::write(&prose, "这是一封信，不是考核表。\n\t第一段\n").unwrap();
    let out = kaohe(&["import", prose.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("K0802"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let pdf = dir.join("table.pdf");
    std::fs::write(&pdf, "%PDF-1.7").unwrap();
    let out = kaohe(&["import", pdf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("K0805"), "{}", stderr(&out));
}

#[test]
fn a_row_that_cannot_be_placed_is_a_warning_with_its_line() {
    let dir = temp("unplaced");
    let table = dir.join("t.txt");
    std::fs::write(
        &table,
        "某县2024年考核表\n\t一级指标\n\t二级指标\n\t考核事项\n\t分值\n\t评分标准\n\t材料要求\n\t责任单位\n\t一、工作\n\t1.制度\n\t1.1建立制度。\n\t2\n\t未建立制度扣2分。\n\t文件。\n\t县政府办\n\t\n\t\n\t说明文字\n\t若干\n\t无\n\t无\n\t无\n",
    )
    .unwrap();
    let out = kaohe(&["import", table.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("K0803"), "{}", stderr(&out));
    assert!(stdout(&out).contains("扣 2 除非"), "{}", stdout(&out));
}

/// The 2024 table as the office would send it: a workbook (title merged
/// across, two header rows, merged cells, points as numbers, units on
/// lines of a cell) and a Word document (the title a paragraph, merged
/// cells, a cell's lines as paragraphs). Each gives the golden draft, so
/// the structure is exact: 4 sections, 16 indicators, 71 items, 200
/// points, the ceiling of 10, the veto.
#[test]
fn the_2024_table_as_xlsx_and_docx_gives_the_same_draft() {
    let dir = root().join("tests/import/liucheng-2024");
    let rows = office::rows_of_text(&read(&dir.join("table.txt")));
    let golden = read(&dir.join("draft.kh"));
    let tmp = temp("seed");
    for (name, bytes) in [
        ("table.xlsx", office::xlsx(&rows, true)),
        ("table.docx", office::docx(&rows)),
    ] {
        let path = tmp.join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = kaohe(&["import", path.to_str().unwrap()]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(
            stderr(&out).starts_with("找到：一级指标 4 个，二级指标 16 个，考核事项 71 项；基本分 200，加分上限 10，否决项 1 项\n"),
            "{name}: {}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains("K0803"), "{name}: {}", stderr(&out));
        let draft = stdout(&out).replace(path.to_str().unwrap(), "table.txt");
        if draft != golden {
            let diff = similar::TextDiff::from_lines(&golden, &draft)
                .unified_diff()
                .to_string();
            panic!("{name}: the draft differs from the text's:\n{diff}");
        }
    }
}

/// Small tables of other shapes (earned points, levels of two, three and
/// four grades, deductions per unit, bands; other columns and header
/// words), each in tests/import/SHAPE/table.txt with its golden draft
/// (KAOHE_BLESS=1 rewrites them); the same table as a workbook and as a
/// Word document gives the same draft, and the notes under the table
/// become comments at its head.
#[test]
fn tables_of_other_shapes_in_text_xlsx_and_docx_give_their_golden_drafts() {
    let tmp = temp("shapes");
    for shape in ["earned-points", "levels", "per-unit", "bands"] {
        let dir = root().join("tests/import").join(shape);
        let table = dir.join("table.txt");
        let out = kaohe(&["import", table.to_str().unwrap()]);
        assert!(out.status.success(), "{shape}: {}", stderr(&out));
        assert!(!stderr(&out).contains("K0803"), "{shape}: {}", stderr(&out));
        let draft = stdout(&out).replace(table.to_str().unwrap(), "table.txt");
        let golden = dir.join("draft.kh");
        if std::env::var_os("KAOHE_BLESS").is_some() {
            std::fs::write(&golden, &draft).unwrap();
        }
        assert_eq!(
            draft,
            read(&golden),
            "{shape}: the draft changed: KAOHE_BLESS=1 cargo test --test import, then review"
        );
        let checked = kaohe(&["check", golden.to_str().unwrap()]);
        assert!(checked.status.success(), "{shape}: {}", stderr(&checked));
        let mut rows = office::rows_of_text(&read(&table));
        rows.notes = vec![
            "注：1.考核数据以统计部门公布为准。".to_string(),
            "2.加分项另计。".to_string(),
        ];
        for (name, bytes) in [
            (format!("{shape}.xlsx"), office::xlsx(&rows, shape == "levels")),
            (format!("{shape}.docx"), office::docx(&rows)),
        ] {
            let path = tmp.join(&name);
            std::fs::write(&path, bytes).unwrap();
            let out = kaohe(&["import", path.to_str().unwrap()]);
            assert!(out.status.success(), "{name}: {}", stderr(&out));
            let got = stdout(&out).replace(path.to_str().unwrap(), "table.txt");
            assert!(
                got.contains("// 表后说明：注：1.考核数据以统计部门公布为准。\n// 表后说明：2.加分项另计。\n"),
                "{name}: {got}"
            );
            let got: String = got
                .lines()
                .filter(|l| !l.starts_with("// 表后说明："))
                .map(|l| format!("{l}\n"))
                .collect();
            assert_eq!(got, draft, "{name}");
        }
    }
}
