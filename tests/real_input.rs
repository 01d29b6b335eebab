//! Data as offices produce it: each folder of tests/real-input/ is a case,
//! a dataset saved the way people save them (Excel's GBK "CSV", a title
//! above the header, a 合计 row, percent-formatted cells, rates typed as
//! fractions, …) with its expected outcome — the scores, or the one
//! precise diagnostic — kept as a snapshot `expected.snap` in the folder.
//!
//! A case folder holds `data.csv` (with its list files in `data/`),
//! `data.xlsx` or `data.json`; `spec.kh` when it is not the shared
//! `tests/real-input/spec.kh`; `args` when `kaohe eval` takes more
//! arguments (`--strict`); and a README saying what it shows. The outcome
//! is the exit code, what `kaohe eval --lang en` prints on stderr, and each
//! entity's total and item scores. After a deliberate change, run
//! `INSTA_UPDATE=always cargo test --test real_input` and read the diff.
//!
//! The .xlsx files were written by `make_the_xlsx_cases` below (ignored:
//! run it with `--ignored` to write them again).

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{kaohe, root, stderr, stdout};
use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;
use std::path::Path;

const CASES: &str = "tests/real-input";

/// The data file of a case folder.
fn data_file(case: &Path) -> String {
    let found = ["data.csv", "data.xlsx", "data.json", "data.jsonl"]
        .iter()
        .map(|f| case.join(f))
        .find(|p| p.exists())
        .unwrap_or_else(|| {
            panic!(
                "{}: no data.csv, data.xlsx, data.json or data.jsonl",
                case.display()
            )
        });
    found
        .strip_prefix(root())
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// `kaohe eval` of a case with a report `format`, in English.
fn eval(case: &Path, format: &str) -> std::process::Output {
    let spec = if case.join("spec.kh").exists() {
        case.join("spec.kh")
    } else {
        root().join(CASES).join("spec.kh")
    };
    let spec = spec
        .strip_prefix(root())
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let data = data_file(case);
    let extra = std::fs::read_to_string(case.join("args")).unwrap_or_default();
    let mut args = vec!["eval", &spec, &data, "--format", format, "--lang", "en"];
    args.extend(extra.split_whitespace());
    kaohe(&args)
}

/// What a case comes to: exit code, diagnostics, and the scores.
fn outcome(case: &Path) -> String {
    let o = eval(case, "json");
    let mut text = format!("exit {}\n", o.status.code().unwrap_or(-1));
    text.push_str("--- stderr ---\n");
    text.push_str(&stderr(&o));
    text.push_str("--- scores ---\n");
    let out = stdout(&o);
    if !out.trim().is_empty() {
        let report: Value = serde_json::from_str(&out).unwrap();
        for e in report["entities"].as_array().unwrap() {
            let items: Vec<String> = (e["items"].as_array().unwrap().iter())
                .map(|i| {
                    format!(
                        "{} {}",
                        i["id"].as_str().unwrap(),
                        i["score"].as_str().unwrap()
                    )
                })
                .collect();
            text.push_str(&format!(
                "{}: total {} ({})\n",
                e["id"].as_str().unwrap(),
                e["total"].as_str().unwrap(),
                items.join(", ")
            ));
        }
    }
    text
}

/// Every case folder, in order.
fn cases() -> Vec<std::path::PathBuf> {
    let mut cases: Vec<_> = std::fs::read_dir(root().join(CASES))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "{} cases", cases.len());
    cases
}

#[test]
fn every_real_input_case_comes_out_as_expected() {
    for case in &cases() {
        assert!(
            case.join("README").exists(),
            "{}: say what the case shows in a README",
            case.display()
        );
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        insta::with_settings!({ snapshot_path => case.clone(), prepend_module_to_snapshot => false, omit_expression => true, description => name.clone() }, {
            insta::assert_snapshot!("expected", outcome(case));
        });
    }
}

/// The csv and jsonl reports are made on the pool, a table's rows read
/// into values by the task that scores them (`cli::score`), where the
/// json report reads them in batches of its own: every case tells the
/// same problems in the same order, with the same exit code, either way.
#[test]
fn every_case_tells_the_same_whatever_the_report() {
    for case in &cases() {
        let told = |format: &str| {
            let o = eval(case, format);
            (o.status.code(), stderr(&o))
        };
        let json = told("json");
        for format in ["csv", "jsonl"] {
            assert_eq!(told(format), json, "{} --format {format}", case.display());
        }
    }
}

/// The workbooks of the XLSX cases, as Excel and WPS save such sheets: a
/// rate column formatted as a percentage (what "87.5%" typed into a cell
/// holds: 0.875 with a format of `0.0%`), dates as date cells.
#[test]
#[ignore = "writes the .xlsx files of tests/real-input; run with --ignored to write them again"]
fn make_the_xlsx_cases() {
    let dir = root().join(CASES);
    let percent = Format::new().set_num_format("0.0%");
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let header = |ws: &mut rust_xlsxwriter::Worksheet, cells: &[&str], row: u32| {
        for (c, h) in cells.iter().enumerate() {
            ws.write_string(row, c as u16, *h).unwrap();
        }
    };
    // Serial numbers of dates, as a sheet holds them: 2024-03-01 and 2024-04-02.
    let (march1, april2) = (45_352.0, 45_384.0);

    // Rates typed as 87.5% (and pasted as 0.875 into a percent cell).
    let mut book = Workbook::new();
    let ws = book.add_worksheet().set_name("数据").unwrap();
    header(ws, &["id", "meetings", "water_rate", "plan_date"], 0);
    let rows = [
        ("柳城县", 3.0, 0.875, march1),
        ("鹿寨县", 1.0, 0.92, april2),
        ("融安县", 2.0, 1.0, march1),
        ("象州县", 2.0, 0.005, march1),
    ];
    for (r, (id, meetings, rate, date)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, *id).unwrap();
        ws.write_number(r, 1, *meetings).unwrap();
        ws.write_number_with_format(r, 2, *rate, &percent).unwrap();
        ws.write_number_with_format(r, 3, *date, &day).unwrap();
    }
    let ws = book.add_worksheet().set_name("events").unwrap();
    header(ws, &["id", "name", "serious"], 0);
    header(ws, &["鹿寨县", "化工厂泄漏", "是"], 1);
    book.save(dir.join("percent-cells-xlsx/data.xlsx")).unwrap();

    // A sheet of instructions first, the list's sheet next, the data last.
    let mut book = Workbook::new();
    let ws = book.add_worksheet().set_name("填表说明").unwrap();
    ws.write_string(0, 0, "请在“数据”表中每个县填一行；比率按百分数填写。")
        .unwrap();
    let ws = book.add_worksheet().set_name("events").unwrap();
    header(ws, &["id", "name", "serious"], 0);
    let ws = book.add_worksheet().set_name("数据").unwrap();
    ws.write_string(0, 0, "2024年度各县生态环境考核数据")
        .unwrap();
    header(ws, &["id", "meetings", "water_rate", "plan_date"], 1);
    header(ws, &["柳城县", "3", "87.5", "2024-03-01"], 2);
    header(ws, &["合计", "3", "", ""], 3);
    book.save(dir.join("sheets-reordered-xlsx/data.xlsx"))
        .unwrap();

    // Last year's sheet kept, hidden, before this year's: this year's is read.
    let mut book = Workbook::new();
    let ws = book.add_worksheet().set_name("2023年").unwrap();
    header(ws, &["id", "meetings", "water_rate", "plan_date"], 0);
    header(ws, &["柳城县", "0", "50", "2023-06-30"], 1);
    ws.set_hidden(true);
    let ws = book.add_worksheet().set_name("2024年").unwrap();
    header(ws, &["id", "meetings", "water_rate", "plan_date"], 0);
    header(ws, &["柳城县", "3", "87.5", "2024-03-01"], 1);
    // The sheet open when saved: Excel hides no sheet that is open.
    ws.set_active(true);
    let ws = book.add_worksheet().set_name("events").unwrap();
    header(ws, &["id", "name", "serious"], 0);
    book.save(dir.join("last-years-sheet-hidden-xlsx/data.xlsx"))
        .unwrap();

    // A chart sheet after the data and the list, and a sheet whose XML is
    // broken: passed over once the units' sheet is found.
    let mut book = Workbook::new();
    let ws = book.add_worksheet().set_name("数据").unwrap();
    header(ws, &["id", "meetings", "water_rate", "plan_date"], 0);
    header(ws, &["柳城县", "3", "87.5", "2024-03-01"], 1);
    let ws = book.add_worksheet().set_name("events").unwrap();
    header(ws, &["id", "name", "serious"], 0);
    let mut chart = rust_xlsxwriter::Chart::new(rust_xlsxwriter::ChartType::Column);
    chart.add_series().set_values(("数据", 1, 1, 1, 1));
    let mut sheet = rust_xlsxwriter::Worksheet::new_chartsheet();
    sheet
        .set_name("图表")
        .unwrap()
        .insert_chart(0, 0, &chart)
        .unwrap();
    book.push_worksheet(sheet);
    book.add_worksheet().set_name("旧表").unwrap();
    let path = dir.join("sheets-after-the-data-xlsx/data.xlsx");
    book.save(&path).unwrap();
    rewrite_part(&path, "xl/worksheets/sheet3.xml", |x| {
        x.replace("<sheetData", "<sheetData><row r=")
    });

    // Date cells holding numbers that are no date.
    let mut book = Workbook::new();
    let ws = book.add_worksheet().set_name("数据").unwrap();
    header(ws, &["id", "meetings", "water_rate", "plan_date"], 0);
    for (r, (id, date)) in [("柳城县", march1), ("鹿寨县", -1.0), ("融安县", 1e300)]
        .iter()
        .enumerate()
    {
        let r = r as u32 + 1;
        ws.write_string(r, 0, *id).unwrap();
        ws.write_number(r, 1, 3.0).unwrap();
        ws.write_number_with_format(r, 2, 0.95, &percent).unwrap();
        ws.write_number_with_format(r, 3, *date, &day).unwrap();
    }
    let ws = book.add_worksheet().set_name("events").unwrap();
    header(ws, &["id", "name", "serious"], 0);
    book.save(dir.join("bad-date-cells-xlsx/data.xlsx"))
        .unwrap();

    // Formulas whose results are floats a hair off what the sheet shows:
    // =0.7+0.2 is 0.8999999999999999 and shows 90.0%; 3 × 2/3 meetings
    // 1.9999999999999998, shown 2.
    let mut book = Workbook::new();
    let ws = book.add_worksheet().set_name("数据").unwrap();
    header(
        ws,
        &["id", "meetings", "water_rate", "plan_date", "达标", "监测"],
        0,
    );
    let rows = [
        (
            "柳城县",
            "=3*(2/3)",
            1.999_999_999_999_999_8,
            "=0.7+0.2",
            0.7 + 0.2,
        ),
        ("鹿寨县", "=1+1", 2.0, "=E3/F3", 0.875),
    ];
    for (r, (id, meetings, held, rate, result)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, *id).unwrap();
        let formula = rust_xlsxwriter::Formula::new(*meetings).set_result(held.to_string());
        ws.write_formula(r, 1, formula).unwrap();
        let formula = rust_xlsxwriter::Formula::new(*rate).set_result(result.to_string());
        ws.write_formula_with_format(r, 2, formula, &percent)
            .unwrap();
        ws.write_number_with_format(r, 3, march1, &day).unwrap();
        ws.write_number(r, 4, 35.0).unwrap();
        ws.write_number(r, 5, 40.0).unwrap();
    }
    let ws = book.add_worksheet().set_name("events").unwrap();
    header(ws, &["id", "name", "serious"], 0);
    book.save(dir.join("formula-results-xlsx/data.xlsx"))
        .unwrap();
    // As Excel saves it: calculated, without the mark to calculate again.
    rewrite_part(
        &dir.join("formula-results-xlsx/data.xlsx"),
        "xl/workbook.xml",
        |x| x.replace(" fullCalcOnLoad=\"1\"", ""),
    );

    // Formulas a program wrote and nothing calculated: each holds 0 under
    // the workbook's mark to calculate when opened (what xlsxwriter and
    // openpyxl leave); read as saved, 柳城县 would have 0 meetings.
    let uncalculated = |path: &Path| {
        let mut book = Workbook::new();
        let ws = book.add_worksheet().set_name("数据").unwrap();
        header(
            ws,
            &["id", "meetings", "water_rate", "plan_date", "备注"],
            0,
        );
        for (r, (id, meetings)) in [("柳城县", "=1+2"), ("鹿寨县", "=SUM(1,1)")]
            .iter()
            .enumerate()
        {
            let r = r as u32 + 1;
            ws.write_string(r, 0, *id).unwrap();
            ws.write_formula(r, 1, *meetings).unwrap();
            // A column the spec does not read: its formulas are not counted.
            ws.write_formula(r, 4, "=B2*2").unwrap();
            ws.write_number_with_format(r, 2, 0.95, &percent).unwrap();
            ws.write_number_with_format(r, 3, march1, &day).unwrap();
        }
        let ws = book.add_worksheet().set_name("events").unwrap();
        header(ws, &["id", "name", "serious"], 0);
        book.save(path).unwrap();
    };
    uncalculated(&dir.join("formula-never-calculated-xlsx/data.xlsx"));
    // The same with no result saved at all and no mark.
    let path = dir.join("formula-without-result-xlsx/data.xlsx");
    uncalculated(&path);
    rewrite_part(&path, "xl/workbook.xml", |x| {
        x.replace(" fullCalcOnLoad=\"1\"", "")
    });
    rewrite_part(&path, "xl/worksheets/sheet1.xml", |x| {
        x.replace("</f><v>0</v>", "</f>")
    });

    // Units not assessed this year hidden (隐藏) on the entities' sheet,
    // and the list's sheet filtered (筛选) to look at one county: the rows
    // are still in the file, marked hidden, and still scored.
    let mut book = Workbook::new();
    let ws = book.add_worksheet().set_name("数据").unwrap();
    header(ws, &["id", "meetings", "water_rate", "plan_date"], 0);
    let units = [
        "柳城县",
        "鹿寨县",
        "融安县",
        "象州县",
        "武宣县",
        "金秀县",
        "忻城县",
    ];
    for (r, id) in units.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, *id).unwrap();
        ws.write_number(r, 1, if *id == "象州县" { 1.0 } else { 3.0 })
            .unwrap();
        ws.write_number_with_format(r, 2, 0.95, &percent).unwrap();
        ws.write_number_with_format(r, 3, march1, &day).unwrap();
    }
    // Rows 5, 6 and 8 of the sheet: 象州县, 武宣县 and 忻城县.
    for row in [4, 5, 7] {
        ws.set_row_hidden(row).unwrap();
    }
    let ws = book.add_worksheet().set_name("events").unwrap();
    header(ws, &["id", "name", "serious"], 0);
    header(ws, &["柳城县", "河道污染", "否"], 1);
    header(ws, &["鹿寨县", "化工厂泄漏", "是"], 2);
    header(ws, &["柳城县", "垃圾焚烧", "否"], 3);
    // The filter hides the rows it leaves out, as Excel does: row 3.
    ws.autofilter(0, 0, 3, 2).unwrap();
    let only = rust_xlsxwriter::FilterCondition::new().add_list_filter("柳城县");
    ws.filter_column(0, &only).unwrap();
    book.save(dir.join("hidden-rows-xlsx/data.xlsx")).unwrap();
    // The same under --strict.
    book.save(dir.join("hidden-rows-xlsx-strict/data.xlsx"))
        .unwrap();
}

/// The workbook at `path` with its part `name` rewritten by `change`,
/// every other part as it was (`change` must change something).
fn rewrite_part(path: &Path, name: &str, change: impl Fn(String) -> String) {
    use std::io::{Read, Write};
    let mut old = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut new = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..old.len() {
        let mut part = old.by_index(i).unwrap();
        let part_name = part.name().unwrap().to_string();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes).unwrap();
        if part_name == name {
            let text = String::from_utf8(bytes).unwrap();
            let changed = change(text.clone());
            assert_ne!(changed, text, "{name} of {} did not change", path.display());
            bytes = changed.into_bytes();
        }
        new.start_file(part_name, zip::write::SimpleFileOptions::default())
            .unwrap();
        new.write_all(&bytes).unwrap();
    }
    std::fs::write(path, new.finish().unwrap().into_inner()).unwrap();
}
