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

/// A draft without the comments made of the notes under the table.
fn without_notes(draft: &str) -> String {
    (draft.lines())
        .filter(|l| !l.starts_with("// 表后说明："))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// `draft`, imported from `name`, is the golden draft, or the test fails
/// with their differences.
fn assert_same_draft(name: &str, golden: &str, draft: &str) {
    if draft != golden {
        let diff = similar::TextDiff::from_lines(golden, draft)
            .unified_diff()
            .to_string();
        panic!("{name}: the draft differs from the text's:\n{diff}");
    }
}

fn temp(name: &str) -> std::path::PathBuf {
    common::tempdir("import", name)
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
        assert_same_draft(name, &golden, &draft);
    }
}

/// Small tables of other shapes (earned points, levels of two, three and
/// four grades, deductions per unit, bands; other columns and header
/// words; two levels with unnumbered sections and a total row, a numbered
/// list of items under 序号, four levels of headings, sections written as
/// rows of the items' column), each in tests/import/SHAPE/table.txt with its golden draft
/// (KAOHE_BLESS=1 rewrites them); the same table as a workbook and as a
/// Word document gives the same draft, and the notes under the table
/// become comments at its head.
#[test]
fn tables_of_other_shapes_in_text_xlsx_and_docx_give_their_golden_drafts() {
    let tmp = temp("shapes");
    for shape in [
        "earned-points",
        "levels",
        "per-unit",
        "bands",
        "two-levels",
        "numbered-list",
        "four-levels",
        "inline-sections",
    ] {
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
            (
                format!("{shape}.xlsx"),
                office::xlsx(&rows, shape == "levels"),
            ),
            (format!("{shape}.docx"), office::docx(&rows)),
        ] {
            let path = tmp.join(&name);
            std::fs::write(&path, bytes).unwrap();
            let out = kaohe(&["import", path.to_str().unwrap()]);
            assert!(out.status.success(), "{name}: {}", stderr(&out));
            let got = stdout(&out).replace(path.to_str().unwrap(), "table.txt");
            assert!(
                got.contains(
                    "// 表后说明：注：1.考核数据以统计部门公布为准。\n// 表后说明：2.加分项另计。\n"
                ),
                "{name}: {got}"
            );
            let got = without_notes(&got);
            assert_eq!(got, draft, "{name}");
        }
    }
}

/// A table whose total row (合计), or a heading whose points (党建工作
/// （15分）), is not what the items under it add up to is a warning
/// (K0812) saying both; the draft's total is the sum, which `kaohe check`
/// holds the items to, the heading is given no points, and the total row
/// is no item. Where they agree (the golden two-levels draft) there is no
/// warning and the heading's points are written.
#[test]
fn totals_that_are_not_the_items_sum_are_warnings() {
    let golden = root().join("tests/import/two-levels/table.txt");
    let table = read(&golden);
    let wrong = table
        .replace("\t合计\n\t\n\t50\n", "\t合计\n\t\n\t55\n")
        .replace("经济发展（20分）", "经济发展（25分）");
    assert_ne!(wrong, table);
    let path = temp("total").join("table.txt");
    std::fs::write(&path, wrong).unwrap();
    let out = kaohe(&["--lang", "zh", "import", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let told = stderr(&out);
    assert!(
        told.contains("表中合计行为 55 分，各考核事项（基本项）的分值之和为 50 分")
            && told.contains("一级指标 2“经济发展”注明 25 分，其下各项的分值之和为 20 分")
            && told.matches("警告[K0812]").count() == 2,
        "{told}"
    );
    let draft = stdout(&out);
    assert!(
        draft.contains("总分 50\n")
            && draft.contains("一级指标 1 \"党建工作\" 分值 15 {")
            && draft.contains("一级指标 2 \"经济发展\" {"),
        "{draft}"
    );
    let same = kaohe(&["import", golden.to_str().unwrap()]);
    assert!(!stderr(&same).contains("K0812"), "{}", stderr(&same));
    assert!(stdout(&same).contains("一级指标 2 \"经济发展\" 分值 20 {"));
}

/// A file that cannot be imported is one coded error, in both languages,
/// with what to do (kept as snapshots: tests/snapshots/import__*.snap):
/// empty, no table, encrypted, an old Word or a renamed one, too large,
/// a zip bomb, damaged; and a cell of a workbook or document that cannot
/// be placed is a warning naming the cell.
#[test]
fn malformed_documents_and_workbooks_are_coded_errors() {
    let dir = temp("malformed");
    let ole: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let mut encrypted = ole.to_vec();
    encrypted.extend(vec![0u8; 504]);
    encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    encrypted.extend(vec![0u8; 512]);
    let mut old = ole.to_vec();
    old.extend(vec![0u8; 1024]);
    let para = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    let doc = |body: &str| {
        office::zip_of(&[(
            "word/document.xml",
            format!("<w:document xmlns:w=\"x\"><w:body>{body}</w:body></w:document>").as_bytes(),
        )])
    };
    let header = "<w:tr><w:tc><w:p><w:r><w:t>一级指标</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>二级指标</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>考核事项</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>分值</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>评分标准</w:t></w:r></w:p></w:tc></w:tr>";
    let row = |cells: &[&str]| {
        let cells: String = cells
            .iter()
            .map(|c| format!("<w:tc>{}</w:tc>", para(c)))
            .collect();
        format!("<w:tr>{cells}</w:tr>")
    };
    let unplaced = doc(&format!(
        "{}<w:tbl>{header}{}{}</w:tbl>",
        para("某县2025年考核表"),
        row(&[
            "一、工作",
            "1.制度",
            "1.1建立制度。",
            "2",
            "未建立制度扣2分。"
        ]),
        row(&["说明文字", "", "", "", ""]),
    ));
    let mut no_header = rust_xlsxwriter::Workbook::new();
    let sheet = no_header.add_worksheet();
    sheet.write_string(0, 0, "姓名").unwrap();
    sheet.write_string(0, 1, "电话").unwrap();
    sheet.write_string(1, 0, "张三").unwrap();
    let no_header = no_header.save_to_buffer().unwrap();
    // 70 MB of spaces: some 70 KB deflated, more than kaohe unpacks.
    let spaces = vec![b' '; 70 * 1024 * 1024];
    let bomb_docx = office::zip_of(&[("word/document.xml", &spaces)]);
    let bomb_xlsx = office::zip_of(&[("xl/worksheets/sheet1.xml", &spaces)]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.docx", vec![], "K0801"),
        ("empty.xlsx", vec![], "K0801"),
        (
            "no-table.docx",
            doc(&para("这是一封信，不是考核表。")),
            "K0802",
        ),
        ("no-header.xlsx", no_header, "K0802"),
        ("encrypted.docx", encrypted.clone(), "K0806"),
        ("encrypted.xlsx", encrypted, "K0806"),
        ("old.doc", old.clone(), "K0807"),
        ("renamed.docx", old.clone(), "K0807"),
        // A WPS spreadsheet, and an old one renamed .xlsx.
        ("old.et", old.clone(), "K0807"),
        ("renamed.xlsx", old, "K0807"),
        ("bomb.docx", bomb_docx, "K0809"),
        ("bomb.xlsx", bomb_xlsx, "K0809"),
        ("text.xlsx", b"id,score\n1,2\n".to_vec(), "K0810"),
        ("broken.docx", doc("<w:p></w:tbl>"), "K0810"),
        (
            "no-document.docx",
            office::zip_of(&[("[Content_Types].xml", b"<Types/>")]),
            "K0810",
        ),
        ("unplaced.docx", unplaced, "K0803"),
    ];
    let dir_name = dir.to_str().unwrap().to_string();
    for (name, bytes, code) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let mut both = String::new();
        for lang in ["en", "zh"] {
            let out = kaohe(&["--lang", lang, "import", path.to_str().unwrap()]);
            let err = stderr(&out);
            assert!(err.contains(code), "{name}: {err}");
            if code == "K0803" {
                assert!(out.status.success(), "{name}: {err}");
                let err = err
                    .split("\n")
                    .take_while(|l| !l.starts_with("found") && !l.starts_with("找到"))
                    .collect::<Vec<_>>()
                    .join("\n");
                both.push_str(&err.replace(&dir_name, "DIR"));
            } else {
                assert_eq!(out.status.code(), Some(1), "{name}: {err}");
                assert!(stdout(&out).is_empty(), "{name}");
                both.push_str(&err.replace(&dir_name, "DIR"));
            }
        }
        insta::assert_snapshot!(format!("import-{name}"), both);
    }
    // A file larger than any table is refused before it is read: made
    // sparse, so that the test writes nothing.
    let huge = dir.join("huge.docx");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(65 * 1024 * 1024).unwrap();
    let out = kaohe(&["--lang", "en", "import", huge.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out).replace(&dir_name, "DIR");
    assert!(err.contains("K0808"), "{err}");
    let zh = kaohe(&["--lang", "zh", "import", huge.to_str().unwrap()]);
    insta::assert_snapshot!(
        "import-huge.docx",
        err + &stderr(&zh).replace(&dir_name, "DIR")
    );
}

/// A workbook whose cells lie far apart (a stray cell at XFD1048576, the
/// last cell of a sheet, so that the used range is the whole sheet) is
/// read from the cells it holds, never its range (calamine would allocate
/// 17 billion cells): the table gives its draft, the stray cell a note.
/// Cells so far apart that even the rows and columns holding one make
/// more than 200,000 cells, or more than 200,000 cells, are refused with
/// K0811, which names the farthest cell (snapshots in both languages).
#[test]
fn a_workbook_with_cells_far_apart_is_read_by_its_cells_or_refused() {
    let dir = temp("far");
    let table = root().join("tests/import/per-unit/table.txt");
    let rows = office::rows_of_text(&read(&table));
    let golden = read(&root().join("tests/import/per-unit/draft.kh"));
    let stray = dir.join("stray.xlsx");
    std::fs::write(
        &stray,
        office::xlsx_with(&rows, false, &[(1_048_575, 16_383, "误填")]),
    )
    .unwrap();
    let out = kaohe(&["import", stray.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let got = stdout(&out).replace(stray.to_str().unwrap(), "table.txt");
    assert!(got.contains("// 表后说明：误填\n"), "{got}");
    let got = without_notes(&got);
    assert_eq!(got, golden);

    // 500 cells on a diagonal: 500 rows by 500 columns even when only the
    // rows and columns holding a cell are kept.
    let diagonal: Vec<(u32, u16, String)> = (1..=500u32)
        .map(|i| (i * 100, (i * 30) as u16, format!("格{i}")))
        .collect();
    let diagonal: Vec<(u32, u16, &str)> = diagonal
        .iter()
        .map(|(r, c, t)| (*r, *c, t.as_str()))
        .collect();
    let spread = dir.join("spread.xlsx");
    std::fs::write(&spread, office::xlsx_with(&rows, false, &diagonal)).unwrap();
    // More than 200,000 cells: 450 rows of 450.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for r in 0..450u32 {
        for c in 0..450u16 {
            sheet.write_number(r, c, 1.0).unwrap();
        }
    }
    let many = dir.join("many.xlsx");
    std::fs::write(&many, book.save_to_buffer().unwrap()).unwrap();
    let dir_name = dir.to_str().unwrap().to_string();
    for (name, path) in [("spread.xlsx", &spread), ("many.xlsx", &many)] {
        let mut both = String::new();
        for lang in ["en", "zh"] {
            let out = kaohe(&["--lang", lang, "import", path.to_str().unwrap()]);
            let err = stderr(&out);
            assert!(err.contains("K0811"), "{name}: {err}");
            assert_eq!(out.status.code(), Some(1), "{name}: {err}");
            assert!(stdout(&out).is_empty(), "{name}");
            both.push_str(&err.replace(&dir_name, "DIR"));
        }
        insta::assert_snapshot!(format!("import-{name}"), both);
    }
}

/// The old binary format: the 2024 table saved as an Excel 97–2003
/// workbook (tests/import/xls/table.xls, made by xlwt with
/// tests/import/xls/make_fixture.py: the title merged across, two header
/// rows, merged cells, points as numbers, a note under the table) gives
/// the golden draft byte for byte, the note as a comment.
#[test]
fn the_2024_table_as_xls_gives_the_same_draft() {
    let dir = root().join("tests/import");
    let golden = read(&dir.join("liucheng-2024/draft.kh"));
    let path = dir.join("xls/table.xls");
    let out = kaohe(&["import", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("找到：一级指标 4 个，二级指标 16 个，考核事项 71 项；基本分 200，加分上限 10，否决项 1 项\n"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("K0803"), "{}", stderr(&out));
    let draft = stdout(&out).replace(path.to_str().unwrap(), "table.txt");
    assert!(
        draft.contains("// 表后说明：注：考核数据以统计部门公布为准。\n"),
        "{draft}"
    );
    let draft = without_notes(&draft);
    assert_same_draft("table.xls", &golden, &draft);
}

/// An .xls is read whole by calamine when it opens it, making room for
/// what each sheet's records claim; a crafted one is refused (K0811)
/// before that: a DIMENSIONS record claiming 4,294,967,280 rows (before,
/// an abort asking for 44 TB), and a cell moved to IV65536 (a grid of
/// 16,777,216 cells). Both made from the fixture by changing bytes of its
/// first DIMENSIONS and RK records.
#[test]
fn a_crafted_xls_is_refused_before_it_is_opened() {
    let dir = temp("crafted-xls");
    let bytes = std::fs::read(root().join("tests/import/xls/table.xls")).unwrap();
    let find = |pat: &[u8]| bytes.windows(pat.len()).position(|w| w == pat).unwrap();
    let mut claims = bytes.clone();
    let dim = find(&[0x00, 0x02, 0x0E, 0x00]);
    claims[dim + 8..dim + 12].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    let mut far = bytes.clone();
    let rk = find(&[0x7E, 0x02, 0x0A, 0x00]);
    far[rk + 4..rk + 8].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0x00]);
    for (name, crafted, said) in [
        ("claims.xls", claims, "超过 200000 个单元格"),
        ("far.xls", far, "最远的在 IV65536"),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, crafted).unwrap();
        let out = kaohe(&["import", path.to_str().unwrap()]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(err.contains("K0811") && err.contains(said), "{name}: {err}");
        assert!(stdout(&out).is_empty(), "{name}");
    }
}

/// A workbook or document a reader cannot read says why in the reader's
/// language, the reader's own words (English) kept as a note: a zip
/// archive cut short, a worksheet whose XML does not read, a worksheet the
/// workbook lists but does not hold, an Excel 97–2003 file whose inside is
/// damaged (K0810; snapshots in both languages).
#[test]
fn a_reader_s_cause_is_given_in_the_reader_s_language() {
    let dir = temp("causes");
    let rows = office::rows_of_text(&read(&root().join("tests/import/per-unit/table.txt")));
    let xlsx = office::xlsx(&rows, false);
    let docx = office::docx(&rows);
    let bad_xml = office::rezip(&xlsx, |name, data| {
        Some(if name.starts_with("xl/worksheets/") {
            b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></row></sheetData></worksheet>".to_vec()
        } else {
            data
        })
    });
    let no_sheet = office::rezip(&xlsx, |name, data| {
        (!name.starts_with("xl/worksheets/")).then_some(data)
    });
    let mut xls = std::fs::read(root().join("tests/import/xls/table.xls")).unwrap();
    // The workbook stream's records overwritten past its first sector.
    for b in xls.iter_mut().skip(4096).take(8192) {
        *b = 0xFF;
    }
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("cut.xlsx", xlsx[..xlsx.len() / 2].to_vec()),
        ("cut.docx", docx[..docx.len() / 2].to_vec()),
        ("bad-xml.xlsx", bad_xml),
        ("no-sheet.xlsx", no_sheet),
        ("damaged.xls", xls),
    ];
    let dir_name = dir.to_str().unwrap().to_string();
    for (name, bytes) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let mut both = String::new();
        for lang in ["en", "zh"] {
            let out = kaohe(&["--lang", lang, "import", path.to_str().unwrap()]);
            let err = stderr(&out);
            assert!(err.contains("K0810"), "{name}: {err}");
            assert_eq!(out.status.code(), Some(1), "{name}: {err}");
            assert!(stdout(&out).is_empty(), "{name}");
            both.push_str(&err.replace(&dir_name, "DIR"));
        }
        insta::assert_snapshot!(format!("import-{name}"), both);
    }
}
