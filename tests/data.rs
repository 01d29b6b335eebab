//! Datasets in CSV and XLSX, templates, and the csv/xlsx/html reports.

// Tests may fail loudly: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{kaohe, root, stderr, stdout};
use serde_json::Value;
use std::path::{Path, PathBuf};

const SPEC: &str = "specs/liucheng-2024.kh";
const SHEET: &str = "tests/data/sheet.kh";

fn tempdir(name: &str) -> PathBuf {
    common::tempdir("data", name)
}

fn json_report(data: &str) -> Value {
    let o = kaohe(&["eval", SPEC, data, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{data}: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn mixed_xlsx_and_csv_score_exactly_like_mixed_json() {
    let expected = json_report("examples/liucheng-2024/mixed.json");
    assert_eq!(expected["entities"][0]["total"], "156.50");
    for data in [
        "examples/liucheng-2024/mixed.xlsx",
        "examples/liucheng-2024/mixed.csv",
    ] {
        assert_eq!(json_report(data), expected, "{data}");
    }
}

/// A way of saving a CSV file's text again.
type Resave<'a> = dyn Fn(&str) -> String + 'a;

/// The CSV dataset as spreadsheets and editors also save it — CRLF or CR
/// line ends, a byte-order mark, every cell quoted, blank lines between
/// rows, and all at once — scores exactly as it does plain: rows of every
/// kind go through the record reader's plain path or csv_core.
#[test]
fn a_csv_dataset_saved_in_any_usual_way_scores_as_it_does_plain() {
    let expected = json_report("examples/liucheng-2024/mixed.csv");
    let quoted = |text: &str| {
        let mut out = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Always)
            .from_writer(Vec::new());
        let mut rows = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        for row in rows.records() {
            out.write_record(&row.unwrap()).unwrap();
        }
        String::from_utf8(out.into_inner().unwrap()).unwrap()
    };
    let ways: [(&str, &Resave<'_>); 6] = [
        ("crlf", &|t| t.replace('\n', "\r\n")),
        ("cr", &|t| t.replace('\n', "\r")),
        ("bom", &|t| format!("\u{feff}{t}")),
        ("quoted", &quoted),
        ("blank-lines", &|t| t.replace('\n', "\n\n")),
        ("all", &|t| {
            format!("\u{feff}{}", quoted(t).replace('\n', "\n\r\n"))
        }),
    ];
    let ours = root().join("examples/liucheng-2024");
    for (name, way) in ways {
        let dir = tempdir(&format!("saved-{name}"));
        std::fs::create_dir_all(dir.join("mixed")).unwrap();
        let mut files = vec![PathBuf::from("mixed.csv")];
        for f in std::fs::read_dir(ours.join("mixed")).unwrap() {
            files.push(Path::new("mixed").join(f.unwrap().file_name()));
        }
        for f in &files {
            let text = std::fs::read_to_string(ours.join(f)).unwrap();
            std::fs::write(dir.join(f), way(&text)).unwrap();
        }
        let data = dir.join("mixed.csv");
        assert_eq!(json_report(data.to_str().unwrap()), expected, "{name}");
    }
}

#[test]
fn the_checked_in_csv_files_are_the_filled_template() {
    let dir = tempdir("fill");
    let out = dir.join("mixed.csv");
    let o = kaohe(&[
        "template",
        SPEC,
        "--format",
        "csv",
        "--fill",
        "examples/liucheng-2024/mixed.json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ours = root().join("examples/liucheng-2024");
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    assert_eq!(read(&out), read(&ours.join("mixed.csv")));
    for f in std::fs::read_dir(dir.join("mixed")).unwrap() {
        let f = f.unwrap().path();
        let name = f.file_name().unwrap();
        assert_eq!(read(&f), read(&ours.join("mixed").join(name)), "{name:?}");
    }
}

/// Three copies of the mixed example, 乙 without fire points, with every
/// list file's rows grouped by entity in the entities' order (read on beside
/// the entity file) or interleaved across the entities and out of their
/// order (indexed, then read again): each entity gets its own rows, as from
/// the same data in JSON.
#[test]
fn list_rows_in_any_order_reach_their_own_entity() {
    for grouped in [true, false] {
        three_entities_with_lists(grouped);
    }
}

fn three_entities_with_lists(grouped: bool) {
    let ours = root().join("examples/liucheng-2024");
    let dir = tempdir(if grouped { "grouped" } else { "shuffled" });
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    let ids = ["丙", "甲", "乙"];
    let relabel = |line: &str, id: &str| line.replacen("柳城县,", &format!("{id},"), 1);
    let main = read(&ours.join("mixed.csv"));
    let lines: Vec<&str> = main.lines().collect();
    let mut out = format!("{}\n{}\n", lines[0], lines[1]);
    for id in ["甲", "乙", "丙"] {
        out += &relabel(lines[2], id);
        out.push('\n');
    }
    std::fs::write(dir.join("three.csv"), out).unwrap();
    std::fs::create_dir_all(dir.join("three")).unwrap();
    for f in std::fs::read_dir(ours.join("mixed")).unwrap() {
        let f = f.unwrap().path();
        let name = f.file_name().unwrap().to_str().unwrap().to_string();
        let text = read(&f);
        let lines: Vec<&str> = text.lines().collect();
        let mut out = format!("{}\n{}\n", lines[0], lines[1]);
        let mut rows: Vec<(&str, &str)> = Vec::new();
        for row in &lines[2..] {
            for id in ids {
                if !(id == "乙" && name == "fire_points.csv") {
                    rows.push((id, row));
                }
            }
        }
        if grouped {
            let order = |id: &str| ["甲", "乙", "丙"].iter().position(|x| *x == id);
            rows.sort_by_key(|(id, _)| order(id));
        }
        for (id, row) in rows {
            out += &relabel(row, id);
            out.push('\n');
        }
        std::fs::write(dir.join("three").join(&name), out).unwrap();
    }
    let mixed: Value = serde_json::from_str(&read(&ours.join("mixed.json"))).unwrap();
    let json: Vec<Value> = ["甲", "乙", "丙"]
        .iter()
        .map(|id| {
            let mut e = mixed.clone();
            e["id"] = Value::from(*id);
            if *id == "乙" {
                e["fire_points"] = Value::Array(Vec::new());
            }
            e
        })
        .collect();
    std::fs::write(dir.join("three.json"), Value::Array(json).to_string()).unwrap();
    let from_csv = json_report(dir.join("three.csv").to_str().unwrap());
    assert_eq!(
        from_csv,
        json_report(dir.join("three.json").to_str().unwrap()),
        "grouped: {grouped}"
    );
    let totals: Vec<&Value> = (0..3).map(|i| &from_csv["entities"][i]["total"]).collect();
    assert_eq!(totals[0], "156.50");
    assert_eq!(totals[2], "156.50");
    assert_ne!(totals[1], "156.50", "乙 has no fire points");
}

/// An id given twice in a CSV file is found (by its digest, whatever the
/// file's length) and named with both rows; the second row is not scored.
#[test]
fn an_id_given_twice_in_csv_names_both_rows() {
    let ours = root().join("examples/liucheng-2024");
    let dir = tempdir("twice");
    let main = std::fs::read_to_string(ours.join("mixed.csv")).unwrap();
    let row = main.lines().nth(2).unwrap();
    std::fs::write(dir.join("twice.csv"), format!("{main}{row}\n")).unwrap();
    std::fs::create_dir_all(dir.join("twice")).unwrap();
    for f in std::fs::read_dir(ours.join("mixed")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, dir.join("twice").join(f.file_name().unwrap())).unwrap();
    }
    let data = dir.join("twice.csv");
    let o = kaohe(&["eval", SPEC, data.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("row 4: the id \"柳城县\" was given before, in row 3"),
        "{}",
        stderr(&o)
    );
}

/// The template as written, with rows typed the way people type them.
#[test]
fn a_csv_template_filled_in_by_hand_evaluates_without_edits() {
    let dir = tempdir("hand");
    let main = dir.join("t.csv");
    let o = kaohe(&[
        "template",
        SHEET,
        "--format",
        "csv",
        "-o",
        main.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let append = |p: &Path, rows: &str| {
        let mut text = std::fs::read_to_string(p).unwrap();
        text.push_str(rows);
        std::fs::write(p, text).unwrap();
    };
    append(&main, "甲县,１,87.5%,2024/5/20\n乙县,2,９５,2024-03-01\n");
    append(
        &dir.join("t/events.csv"),
        "甲县,化工厂泄漏,是\n甲县,小事件,否\n乙县,河道污染,yes\n",
    );
    let o = kaohe(&["eval", SHEET, main.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    // 甲县: one meeting short (−0.5), rate below 90% (−1), late plan (−1), one serious event (−0.5).
    assert_eq!(v["entities"][0]["id"], "甲县");
    assert_eq!(v["entities"][0]["total"], "3.00");
    // 乙县: one serious event (−0.5).
    assert_eq!(v["entities"][1]["total"], "5.50");
}

/// A spec without lists has one CSV file: no empty folder beside it.
#[test]
fn a_csv_template_of_a_spec_without_lists_makes_no_folder() {
    let dir = tempdir("nolists");
    let main = dir.join("t.csv");
    let spec = "tests/patterns/D1-fixed-deduction/spec.kh";
    let o = kaohe(&[
        "template",
        spec,
        "--format",
        "csv",
        "-o",
        main.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(main.is_file());
    assert!(!dir.join("t").exists(), "an empty list folder was made");
}

#[test]
fn an_xlsx_template_has_a_sheet_per_list_and_validation() {
    use calamine::{Reader, Xlsx, open_workbook};
    let dir = tempdir("xlsx-template");
    let path = dir.join("t.xlsx");
    let o = kaohe(&[
        "template",
        SHEET,
        "--format",
        "xlsx",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), ["数据", "events"]);
    let range = book.worksheet_range("数据").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header, ["id", "meetings", "water_rate", "plan_date"]);
    // The drop-downs and limits are in the sheet's XML.
    let zip = std::fs::read(&path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert!(xml.contains("type=\"whole\""), "{xml}");
    assert!(xml.contains("type=\"decimal\""), "{xml}");
    let mut xml2 = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("xl/worksheets/sheet2.xml").unwrap(),
        &mut xml2,
    )
    .unwrap();
    assert!(
        xml2.contains("type=\"list\"") && xml2.contains("是,否"),
        "{xml2}"
    );
}

/// A text in a count column, a rate of 120%, a date of 2024-13-01 and a
/// missing sheet: one report listing all four, exit 1, no output file.
#[test]
fn a_bad_spreadsheet_gets_every_problem_at_once_and_no_output() {
    use rust_xlsxwriter::Workbook;
    let dir = tempdir("bad");
    let path = dir.join("bad.xlsx");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("数据").unwrap();
    for (c, h) in ["id", "meetings", "water_rate", "plan_date"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "甲县").unwrap();
    ws.write_string(1, 1, "三次").unwrap();
    ws.write_string(1, 2, "120%").unwrap();
    ws.write_string(1, 3, "2024-13-01").unwrap();
    book.save(&path).unwrap();
    let out = dir.join("report.html");
    let o = kaohe(&[
        "eval",
        SHEET,
        path.to_str().unwrap(),
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for want in [
        "K0505",
        "row 2, column B (meetings)",
        "\"三次\"",
        "K0507",
        "row 2, column C (water_rate)",
        "\"120%\"",
        "K0508",
        "row 2, column D (plan_date)",
        "2024-13-01",
        "K0520",
        "sheet events",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        [std::ffi::OsString::from("bad.xlsx")],
        "no report, no temporary file"
    );
}

#[test]
fn an_unknown_data_extension_is_k0910() {
    let o = kaohe(&["eval", SHEET, "tests/data/sheet.kh"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("K0910"), "{}", stderr(&o));
}

/// examples/liucheng-2024/clean.json as the clean year of another county,
/// 鹿寨县: a unit is scored once in a run, so two files with one id would
/// have the second refused (K0510).
fn clean_elsewhere(test: &str) -> String {
    let path = tempdir(test).join("clean.json");
    let text = std::fs::read_to_string(root().join("examples/liucheng-2024/clean.json")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["id"] = Value::from("鹿寨县");
    std::fs::write(&path, v.to_string()).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn csv_report_has_a_row_per_entity_and_item_and_ranks() {
    let clean = clean_elsewhere("csv-rank");
    let o = kaohe(&[
        "eval",
        SPEC,
        "examples/liucheng-2024/mixed.json",
        &clean,
        "--format",
        "csv",
        "--rank",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "entity,rank,section,indicator,item,title,max,score,lost,responsible"
    );
    assert_eq!(text.lines().count(), 1 + 2 * 71);
    let first = text.lines().nth(1).unwrap();
    assert!(
        first.starts_with("柳城县,2,一 推动绿色低碳发展,"),
        "{first}"
    );
    assert!(first.contains(",3.00,1.50,1.50,"), "{first}");
}

#[test]
fn rank_orders_the_entities_by_total() {
    let clean = clean_elsewhere("rank-order");
    let o = kaohe(&[
        "eval",
        SPEC,
        "examples/liucheng-2024/mixed.json",
        &clean,
        "--rank",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let ranking: Vec<(&str, u64)> = v["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["total"].as_str().unwrap(), r["rank"].as_u64().unwrap()))
        .collect();
    assert_eq!(ranking, [("200.00", 1), ("156.50", 2)]);
    assert_eq!(v["entities"][0]["rank"], 2);
}

#[test]
fn the_rollup_lists_a_shared_item_under_each_unit() {
    let v = json_report("examples/liucheng-2024/mixed.json");
    let units = v["entities"][0]["units"].as_array().unwrap();
    for unit in ["县委办", "县政府办", "县人大办", "县委宣传部"] {
        let u = units
            .iter()
            .find(|u| u["unit"] == unit)
            .unwrap_or_else(|| panic!("{unit}"));
        let item = u["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == "1.1")
            .unwrap();
        assert_eq!(item["shared"], true);
        assert_eq!(item["lost"], "1.50");
        assert_eq!(item["at_stake"], "3.00");
    }
}

#[test]
fn the_html_report_is_one_file_with_charts_and_no_network() {
    let clean = clean_elsewhere("html-clean");
    let dir = tempdir("html");
    let out = dir.join("r.html");
    let o = kaohe(&[
        "eval",
        SPEC,
        "examples/liucheng-2024/mixed.json",
        &clean,
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(
        html.matches("<svg").count() >= 3,
        "a distribution chart and a chart per entity"
    );
    assert!(html.contains("排名") && html.contains("责任单位") && html.contains("失分项目"));
    let without_ns = html.replace("http://www.w3.org/2000/svg", "");
    assert!(
        !without_ns.contains("http:")
            && !without_ns.contains("https:")
            && !without_ns.contains("<script")
    );
}

#[test]
fn the_xlsx_report_has_summary_unit_and_entity_sheets() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = tempdir("xlsx-report");
    let out = dir.join("r.xlsx");
    let o = kaohe(&[
        "eval",
        SPEC,
        "examples/liucheng-2024/mixed.json",
        "--format",
        "xlsx",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(book.sheet_names(), ["汇总", "责任单位", "柳城县"]);
    let summary = book.worksheet_range("汇总").unwrap();
    let row: Vec<Data> = summary.rows().nth(1).unwrap().to_vec();
    assert_eq!(row[0], Data::String("柳城县".into()));
    assert!(row.contains(&Data::Float(156.5)), "{row:?}");
    assert!(row.contains(&Data::String("合格".into())), "{row:?}");
}

#[test]
fn xlsx_needs_an_output_file() {
    let o = kaohe(&[
        "eval",
        SPEC,
        "examples/liucheng-2024/mixed.json",
        "--format",
        "xlsx",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn jsonl_has_a_line_per_entity_and_the_table_ranks() {
    let clean = clean_elsewhere("jsonl-both");
    let both = ["examples/liucheng-2024/mixed.json", clean.as_str()];
    let o = kaohe(&["eval", SPEC, both[0], both[1], "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let totals: Vec<String> = stdout(&o)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["total"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(totals, ["156.50", "200.00"]);
    let o = kaohe(&["eval", SPEC, both[0], both[1], "--rank"]);
    let text = stdout(&o);
    let ranking = &text[text.find("排名\n").expect("a ranking")..];
    assert!(
        ranking.contains("1  鹿寨县  200.00  合格\n")
            && ranking.contains("2  柳城县  156.50  合格\n"),
        "{ranking}"
    );
    assert!(text.contains("责任单位失分"), "the table has the roll-up");
}

/// The XLSX template formats a rate's cells as percentages (so that 87.5%,
/// 87.5 and 0.875 typed there all mean 87.5%, as Excel and WPS take them),
/// limits them to 0–100% as the cell holds them (0–1), and a filled
/// template holds each rate as the fraction it shows, made from its digits:
/// read back, every score is the JSON data's.
#[test]
fn the_xlsx_template_holds_rates_as_percent_cells_and_reads_back_exactly() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = tempdir("xlsx-percent");
    let path = dir.join("filled.xlsx");
    let o = kaohe(&[
        "template",
        SPEC,
        "--format",
        "xlsx",
        "--fill",
        "examples/liucheng-2024/mixed.json",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        json_report(path.to_str().unwrap()),
        json_report("examples/liucheng-2024/mixed.json")
    );
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let range = book.worksheet_range("数据").unwrap();
    let styles = book.worksheet_style("数据").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    // 94.35% in mixed.json: held as the float nearest 0.9435 (what typing
    // 94.35% gives), not 94.35 / 100 worked out in floats (0.9434999…).
    let column = header.iter().position(|h| h == "good_air_rate").unwrap();
    // Row 3 of the sheet (index 2) is the first entity's.
    let value = range.get_value((2, column as u32)).unwrap();
    assert_eq!(value, &Data::Float(0.9435), "{value:?}");
    let format = styles
        .get((2, column as u32))
        .unwrap()
        .number_format
        .clone()
        .unwrap();
    assert!(format.format_code.contains('%'), "{format:?}");
    // The limits of a rate are those of the fraction a percent cell holds.
    let zip = std::fs::read(&path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert!(
        xml.contains("<formula1>0</formula1><formula2>1</formula2>"),
        "{xml}"
    );
}

/// kaohe's CSV writers put `'` before a text beginning `=`, `+`, `-` or `@`
/// (docs/security.md); its CSV reader drops it again, so a filled template
/// reads back with the ids and scores it was filled with.
#[test]
fn a_filled_csv_template_with_formula_like_ids_reads_back_as_filled() {
    let dir = tempdir("formula-ids");
    let data = std::fs::read_to_string(root().join("tests/cli/small.json"))
        .unwrap()
        .replace("\"甲县\"", "\"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\"")
        .replace("\"乙县\"", "\"-乙县\"");
    let json = dir.join("ids.json");
    std::fs::write(&json, data).unwrap();
    let csv = dir.join("ids.csv");
    let (json, csv) = (json.to_str().unwrap(), csv.to_str().unwrap());
    let o = kaohe(&[
        "template",
        "tests/cli/small.kh",
        "--format",
        "csv",
        "--fill",
        json,
        "-o",
        csv,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written = std::fs::read_to_string(csv).unwrap();
    assert!(written.contains("'=HYPERLINK"), "{written}");
    assert!(written.contains("'-乙县"), "{written}");
    let report = |data: &str| {
        let o = kaohe(&["eval", "tests/cli/small.kh", data, "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{data}: {}", stderr(&o));
        serde_json::from_str::<Value>(&stdout(&o)).unwrap()
    };
    let (from_json, from_csv) = (report(json), report(csv));
    assert_eq!(from_csv, from_json);
    assert_eq!(from_csv["entities"][1]["id"], "-乙县");
}

/// Words of absence (不适用, 无此项, 未申报) round-trip through the CSV and
/// XLSX templates filled from JSON, score there as in JSON, and the
/// templates' notes say which words each input accepts.
#[test]
fn words_of_absence_read_alike_in_json_csv_and_xlsx_and_the_templates_show_them() {
    let spec = "tests/patterns/A1-absent-facts/spec.kh";
    let json = "tests/patterns/A1-absent-facts/data.json";
    let report = |data: &str| -> Value {
        let o = kaohe(&["eval", spec, data, "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{data}: {}", stderr(&o));
        serde_json::from_str(&stdout(&o)).unwrap()
    };
    let expected = report(json);
    assert_eq!(expected["entities"][1]["total"], "5.00");
    let dir = tempdir("absent");
    for format in ["csv", "xlsx"] {
        let path = dir.join(format!("filled.{format}"));
        let p = path.to_str().unwrap();
        let o = kaohe(&[
            "template", spec, "--format", format, "--fill", json, "-o", p,
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(report(p), expected, "{format}");
    }
    let csv = std::fs::read_to_string(dir.join("filled.csv")).unwrap();
    assert!(csv.contains("或填 不适用 / 无此项 / n/a"), "{csv}");
    assert!(csv.contains("或填 未申报"), "{csv}");
    assert!(csv.contains(",不适用,"), "{csv}");
    let o = kaohe(&["template", spec]);
    let template: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        template["inputs"][0]["absent"],
        serde_json::json!(["不适用", "无此项", "n/a"])
    );
}

/// A CSV dataset given as a FIFO (a pipe with a name) is read twice by
/// design: K0523 says it is a pipe and to save the data to a file first,
/// instead of the system's "Illegal seek" with advice about CSV encodings.
#[cfg(unix)]
#[test]
fn a_csv_dataset_from_a_pipe_says_to_save_it_to_a_file() {
    let dir = tempdir("fifo");
    let fifo = dir.join("units.csv");
    common::mkfifo(&fifo);
    let text = std::fs::read(root().join("examples/township-safety-2024/townships.csv")).unwrap();
    let writer = fifo.clone();
    // Detached: the write ends when kaohe stops reading (a broken pipe).
    std::thread::spawn(move || {
        use std::io::Write as _;
        if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(writer) {
            let _ = f.write_all(&text);
        }
    });
    let o = kaohe(&[
        "eval",
        "specs/township-safety-2024.kh",
        fifo.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("K0523") && err.contains("它是管道"), "{err}");
    assert!(err.contains("请先把数据保存为文件"), "{err}");
    assert!(stdout(&o).is_empty());
}
