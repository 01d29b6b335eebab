//! `kaohe render`: the official table of the 2024 spec as Markdown, HTML and
//! Excel, and grouped by responsible unit.

// Tests may fail loudly: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use calamine::{Reader, Xlsx};
use common::{kaohe, read, root};
use kaohe::api::{Spec, html, markdown};

fn spec() -> Spec {
    Spec::check(&read(&root().join("specs/liucheng-2024.kh"))).expect("the 2024 spec checks")
}

fn tempdir(tag: &str) -> std::path::PathBuf {
    common::tempdir("render", tag)
}

#[test]
fn markdown_of_the_2024_table() {
    let md = markdown(&spec().official_table());
    insta::with_settings!({ snapshot_path => root().join("tests/snapshots"), prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("liucheng-2024.md", md);
    });
}

#[test]
fn html_has_71_scored_rows_with_merged_section_and_indicator_cells() {
    let spec = spec();
    let html = html(&spec.official_table());
    assert_eq!(html.matches("<tr class=\"item").count(), 71);
    // Four sections and sixteen indicators, each one merged cell.
    assert_eq!(html.matches("<td class=\"group\"").count(), 4 + 16);
    let rowspans: Vec<usize> = html
        .match_indices("<td class=\"group\" rowspan=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        })
        .collect();
    // The section cells' rowspans add up to every item.
    let sections: usize = spec
        .program()
        .headings
        .iter()
        .filter(|h| h.level == 1)
        .map(|s| {
            let label = "<td class=\"group\" rowspan=\"";
            let at = html.find(&format!("{} {}", s.label, s.title)).unwrap();
            let cell = &html[..at];
            let start = cell.rfind(label).unwrap() + label.len();
            cell[start..start + cell[start..].find('"').unwrap()]
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(sections, 71);
    assert!(rowspans.iter().all(|&n| n > 1));
    assert!(html.contains("<td class=\"score\">否决项</td>"));
}

#[test]
fn html_shows_the_original_wording_and_marks_differing_numbers() {
    let mut table = spec().official_table();
    let page = html(&table);
    assert_eq!(page.matches("<div class=\"original\">原文：").count(), 71);
    // Item 1.1 agrees in every number with its original wording.
    let row_11 = row_of(&page, "1.1");
    assert!(row_11.starts_with("<tr class=\"item\""), "{row_11}");
    // A rule edited to say 3 where the formal rule says 2 is marked.
    let row = table.rows.iter_mut().find(|r| r.id == "1.2").unwrap();
    row.original = Some(row.original.clone().unwrap().replace("扣1分", "扣3分"));
    let page = html(&table);
    let row_12 = row_of(&page, "1.2");
    assert!(row_12.starts_with("<tr class=\"item differs\""), "{row_12}");
    assert!(
        row_12.contains("数字不一致：原文有 3，生成的评分标准没有；生成的评分标准另有 1"),
        "{row_12}"
    );
}

fn row_of<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html.find(&format!("data-id=\"{id}\"")).unwrap();
    let start = html[..at].rfind("<tr").unwrap();
    let end = at + html[at..].find("</tr>").unwrap();
    &html[start..end]
}

#[test]
fn xlsx_reads_back_with_merged_cells() {
    let dir = tempdir("xlsx");
    let file = dir.join("table.xlsx");
    let o = kaohe(&[
        "render",
        "specs/liucheng-2024.kh",
        "--format",
        "xlsx",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut book: Xlsx<_> = calamine::open_workbook(&file).unwrap();
    let merged = book.merge_cells_by_sheet_name("任务分解表").unwrap();
    // The title row, 4 sections, 16 indicators less those of a single item, the notes.
    let column_merges = |c: u32| {
        merged
            .iter()
            .filter(|d| d.start.1 == c && d.end.1 == c)
            .count()
    };
    assert_eq!(column_merges(0), 4);
    assert!(column_merges(1) >= 10);
    let range = book.worksheet_range("任务分解表").unwrap();
    let cell = |r: u32, c: u32| {
        range
            .get_value((r, c))
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    assert_eq!(cell(1, 0), "一级指标");
    assert_eq!(cell(1, 6), "责任单位");
    assert!(cell(2, 2).starts_with("1.1 "));
    assert_eq!(cell(2, 3), "3");
    assert!(cell(2, 4).contains("每少1次扣0.5分"));
    let items = (2..range.height() as u32)
        .filter(|&r| {
            cell(r, 2)
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        })
        .count();
    assert_eq!(items, 71);
    // Written atomically: no temporary file is left beside it.
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(left.len(), 1);
}

#[test]
fn xlsx_without_an_output_file_is_refused_with_k0701() {
    let o = kaohe(&["render", "specs/liucheng-2024.kh", "--format", "xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("K0920"));
    assert!(o.stdout.is_empty());
}

#[test]
fn an_unwritable_output_leaves_no_file_and_exits_2() {
    let o = kaohe(&[
        "render",
        "specs/liucheng-2024.kh",
        "-o",
        "/nonexistent-dir/table.md",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("K0901"));
}

#[test]
fn by_unit_lists_every_responsible_unit_with_its_points() {
    let spec = spec();
    let table = spec.table_by_unit();
    let md = markdown(&table);
    let units = spec.units();
    assert_eq!(units.len(), 20, "{units:?}");
    for unit in &units {
        assert!(md.contains(&format!("| {unit}（")), "{unit} missing");
    }
    // Every item appears once per unit responsible for it.
    let expected: usize = spec
        .program()
        .items
        .iter()
        .map(|i| i.responsible.len())
        .sum();
    assert_eq!(table.rows.len(), expected);
    assert!(md.contains("| 县委办（1项，基本分3分） |"), "{md}");
    let o = kaohe(&[
        "render",
        "specs/liucheng-2024.kh",
        "--by-unit",
        "--format",
        "html",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let html = String::from_utf8_lossy(&o.stdout);
    for unit in &units {
        assert!(html.contains(&format!("\">{unit}（")), "{unit} has no cell");
    }
}

/// An item's lead unit is marked in the 责任单位 column (县住建局（牵头）),
/// in the table and grouped by unit.
#[test]
fn the_lead_unit_is_marked_in_the_units_column() {
    let spec = "tests/patterns/U1-lead-supporting-shared/spec.kh";
    let o = kaohe(&["render", spec]);
    let md = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        md.contains("| 县住建局（牵头）、县生态环境局、县水利局 |"),
        "{md}"
    );
    assert!(md.contains("| 县住建局、县财政局 |"), "{md}");
    let o = kaohe(&["render", "--by-unit", spec]);
    let md = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(md.contains("| 县住建局（牵头）、县水利局 |"), "{md}");
}
