//! Rows hidden or filtered out of a sheet kaohe reads. Hiding a row (隐藏)
//! and filtering a sheet (筛选, an AutoFilter) both leave the rows in the
//! file, marked `<row … hidden="1">` in the sheet's XML, and kaohe reads
//! and scores every row, as Excel's own "Save as CSV" keeps them too. A
//! user who filtered a sheet to the units assessed this year believes the
//! sheet shows what is scored: the rows are read all the same (no score
//! changes) and told once a sheet (K0517).
//!
//! calamine does not say which rows are hidden, so the sheet's part is
//! read again for its `<row>` tags alone, streamed (a dense sheet's XML is
//! tens of megabytes) up to `</sheetData>`. Anything that cannot be read so
//! gives no warning: calamine has read the cells already and tells what is
//! wrong with the file.

use super::Sheet;
use crate::data::table::{Whose, whose};
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::t;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// A workbook's sheets' parts in its archive, by sheet name: the sheet's
/// `r:id` in `xl/workbook.xml`, its target in `xl/_rels/workbook.xml.rels`.
/// Empty when either cannot be read.
pub(super) fn sheet_parts(path: &Path) -> HashMap<String, String> {
    let read = || -> Option<HashMap<String, String>> {
        let mut zip = zip::ZipArchive::new(BufReader::new(File::open(path).ok()?)).ok()?;
        let workbook = small_part(&mut zip, "xl/workbook.xml")?;
        let rels = small_part(&mut zip, "xl/_rels/workbook.xml.rels")?;
        Some(parts_of(&workbook, &rels))
    };
    read().unwrap_or_default()
}

/// A part of a few kilobytes as text; one past 16 MB is not read.
fn small_part(zip: &mut zip::ZipArchive<BufReader<File>>, name: &str) -> Option<String> {
    let part = zip.by_name(name).ok()?;
    let mut xml = String::new();
    part.take(16 << 20).read_to_string(&mut xml).ok()?;
    Some(xml)
}

/// The sheets' parts, by name, from the workbook part and its
/// relationships.
fn parts_of(workbook: &str, rels: &str) -> HashMap<String, String> {
    let targets: HashMap<String, String> = (elements(rels, "Relationship").into_iter())
        .filter_map(|mut a| Some((a.remove("Id")?, a.remove("Target")?)))
        .collect();
    (elements(workbook, "sheet").into_iter())
        .filter_map(|mut a| {
            let target = targets.get(&a.remove("id")?)?;
            Some((a.remove("name")?, part_path(target)))
        })
        .collect()
}

/// A relationship's target as a path in the archive: relative to `xl/`,
/// or from the archive's root when it starts with `/`.
fn part_path(target: &str) -> String {
    match target.strip_prefix('/') {
        Some(root) => root.to_string(),
        None => format!("xl/{target}"),
    }
}

/// The attributes of every element named `name` (by local name, the
/// attributes too: `r:id` is `id`), up to the first fault of the XML.
fn elements(xml: &str, name: &str) -> Vec<HashMap<String, String>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut found = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == name => {
                found.push(attributes(&e));
            }
            Ok(Event::Eof) | Err(_) => return found,
            _ => {}
        }
    }
}

/// An element's attributes by local name, unescaped (a sheet named `R&D`
/// is written `R&amp;D`); those that cannot be read are left out.
fn attributes(e: &BytesStart) -> HashMap<String, String> {
    (e.attributes().flatten())
        .filter_map(|a| {
            let key = a.key.local_name().as_ref().to_string();
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()?;
            Some((key, value.into_owned()))
        })
        .collect()
}

/// The numbers (1-based, as the sheet shows them) of the rows hidden in
/// the sheet part `part` of the workbook at `path`; none when it cannot be
/// read.
pub(super) fn hidden_rows(path: &Path, part: &str) -> Vec<usize> {
    let read = || -> Option<Vec<usize>> {
        let mut zip = zip::ZipArchive::new(BufReader::new(File::open(path).ok()?)).ok()?;
        let entry = zip.by_name(part).ok()?;
        rows_hidden(BufReader::new(entry))
    };
    read().unwrap_or_default()
}

/// The hidden rows of a sheet's XML, read from its `<row>` tags up to
/// `</sheetData>`, sorted; `None` when the XML is faulty or ends before.
/// quick-xml reads the XML up to `<sheetData>` (which gives the prefix its
/// tags are written with, if any); inside it only the `<row>` tags are
/// looked for, by search ([`one_row`] reads them): reading every cell as
/// events took 0.84 s for the 98 MB of a dense workbook's sheets, the
/// search 0.15 s, nearly all of it inflating the archive.
fn rows_hidden(xml: impl BufRead) -> Option<Vec<usize>> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let prefix = loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) if e.local_name().as_ref() == "sheetData" => {
                let name = e.name().as_ref().to_string();
                break name.strip_suffix("sheetData")?.to_string();
            }
            Event::Empty(e) if e.local_name().as_ref() == "sheetData" => return Some(Vec::new()),
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    };
    let mut hidden = row_tags(reader.into_inner(), &prefix)?;
    hidden.sort_unstable();
    hidden.dedup();
    Some(hidden)
}

/// The hidden rows among the `<row>` tags of a sheet's XML from just
/// after `<sheetData>` (its tags' `prefix`, `x:` or none), read a chunk at
/// a time up to `</sheetData>`; `None` when a tag is faulty or the XML
/// ends before. XML writes `<` in text and attribute values escaped, so a
/// `<row` found is a tag (a sheet holds no comments or CDATA sections).
fn row_tags(mut xml: impl Read, prefix: &str) -> Option<Vec<usize>> {
    let open = format!("<{prefix}row");
    let close = format!("</{prefix}sheetData>");
    let (rows, ends) = (
        memchr::memmem::Finder::new(open.as_bytes()),
        memchr::memmem::Finder::new(close.as_bytes()),
    );
    let (mut hidden, mut last) = (Vec::new(), 0);
    let mut pending: Vec<u8> = Vec::new();
    let mut chunk = vec![0; 1 << 16];
    loop {
        let read = xml.read(&mut chunk).ok()?;
        pending.extend_from_slice(chunk.get(..read)?);
        let end = ends.find(&pending);
        let upto = end.unwrap_or(pending.len());
        // Where an unfinished tag, or what may be the start of one, begins.
        let mut keep = upto.saturating_sub(close.len().max(open.len()));
        let mut from = 0;
        while let Some(at) = rows.find(pending.get(from..upto)?).map(|i| i + from) {
            let tag = pending.get(at..upto)?;
            let Some(gt) = memchr::memchr(b'>', tag) else {
                keep = at;
                break;
            };
            let after = tag.get(open.len()).copied();
            if matches!(after, Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/')) {
                let (row, hides) = one_row(tag.get(..=gt)?, last)?;
                if hides {
                    hidden.push(row);
                }
                last = row;
            }
            from = at + gt + 1;
            keep = keep.max(from);
        }
        if end.is_some() {
            return Some(hidden);
        }
        if read == 0 {
            return None;
        }
        pending.drain(..keep.min(pending.len()));
    }
}

/// A `<row …>` tag's number and whether it hides the row, read by
/// quick-xml: [`row_tag`]. A tag that says nothing of hiding or height
/// (most: `<row r="12" spans="1:9">`) is only asked its number, which
/// halves the cost of the search (300 dense units: 454 million
/// instructions more than before it, 200 million of them quick-xml's).
fn one_row(tag: &[u8], last: usize) -> Option<(usize, bool)> {
    let says = |word: &[u8]| memchr::memmem::find(tag, word).is_some();
    if !says(b"hidden")
        && !says(b"ht")
        && let Some(row) = plain_number(tag)
    {
        return Some((row, false));
    }
    match quick_xml::Reader::from_reader(tag).read_event().ok()? {
        Event::Start(e) | Event::Empty(e) => row_tag(&e, last),
        _ => None,
    }
}

/// The number of a row tag written ` r="12"`, as Excel and every
/// program write it; `None` for any other way, left to quick-xml.
fn plain_number(tag: &[u8]) -> Option<usize> {
    let at = memchr::memmem::find(tag, b" r=\"")? + 4;
    let digits = tag.get(at..)?;
    let end = memchr::memchr(b'"', digits)?;
    std::str::from_utf8(digits.get(..end)?).ok()?.parse().ok()
}

/// A `<row>` tag's number and whether it hides the row: `hidden="1"`, or
/// a height of 0 (`ht="0"`), which hides it as well. A row without `r`
/// follows the one before (`last`); `None` for a faulty tag.
fn row_tag(e: &BytesStart, last: usize) -> Option<(usize, bool)> {
    let (mut row, mut hides) = (last.checked_add(1)?, false);
    for a in e.attributes() {
        let a = a.ok()?;
        let value = &*a.value;
        match a.key.local_name().as_ref() {
            "r" => row = value.trim().parse().ok()?,
            "hidden" => hides |= matches!(value.trim(), "1" | "true"),
            "ht" => hides |= value.trim().parse::<f64>().is_ok_and(|h| h == 0.0),
            _ => {}
        }
    }
    Some((row, hides))
}

/// The warning for the rows of `sheet` under its header row that are
/// `hidden` and hold a unit (or, in a `list` sheet, a record); `None` when
/// none do. Hidden rows above the header, empty ones and the template's
/// notes row are read as if shown, so they are not told.
pub(super) fn warning(sheet: &Sheet, hidden: &[usize], list: bool) -> Option<Diagnostic> {
    let column = sheet.header.iter().position(|h| h == "id");
    let rows: Vec<usize> = (sheet.rows.iter())
        .filter(|r| hidden.binary_search(&r.line).is_ok())
        .filter(|r| matches!(whose(&r.cells, column), Whose::Of(_)))
        .map(|r| r.line)
        .collect();
    let what = match (list, rows.len()) {
        (_, 0) => return None,
        (false, 1) => t!(
            "the 1 unit there is scored like the others",
            "其中 1 个被考核单位与其他单位一样计分"
        ),
        (false, n) => t!(
            "the {n} units there are scored like the others",
            "其中 {n} 个被考核单位与其他单位一样计分"
        ),
        (true, 1) => t!(
            "the 1 record there is counted like the others",
            "其中 1 条记录与其他记录一样计入"
        ),
        (true, n) => t!(
            "the {n} records there are counted like the others",
            "其中 {n} 条记录与其他记录一样计入"
        ),
    };
    Some(
        Diagnostic::new(
            Code::HiddenRows,
            t!(
                "{}: {} hidden or filtered out, but still read: {}",
                "{}：{}被隐藏或被筛选掉了，但仍会读取：{}",
                sheet.place,
                rows_text(&rows),
                what
            ),
        )
        .with_help(t!(
            "the file holds hidden rows (a CSV saved from it would too): delete the rows that must not be scored; to see them, clear the filter (Data → Clear) or select the rows around them and Unhide",
            "隐藏的行仍在文件中（另存为 CSV 也会保留）：不应计分的行请删除；要看到这些行，请清除筛选（数据 → 清除），或选中其上下的行后右键“取消隐藏”"
        )),
    )
}

/// At most this many runs of rows are named; the rest are counted.
const RUNS_NAMED: usize = 4;

/// Rows by number, sorted, as a message names them: "row 5", "rows 5–9
/// and 12", "rows 2, 4–6, 9, 11–12 and 7 more" (第 5–9、12 行).
fn rows_text(rows: &[usize]) -> Text {
    let runs = runs(rows);
    let named: Vec<String> = (runs.iter().take(RUNS_NAMED))
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect();
    let more: usize = (runs.iter().skip(RUNS_NAMED))
        .map(|&(a, b)| b - a + 1)
        .sum();
    let zh = format!("第 {} 行", named.join("、"));
    let (last, before) = match named.split_last() {
        Some((last, before)) => (last.clone(), before.join(", ")),
        None => (String::new(), String::new()),
    };
    let one = rows.len() == 1;
    match (more, before.is_empty()) {
        (0, true) if one => Text::new(format!("row {last} is"), zh),
        (0, true) => Text::new(format!("rows {last} are"), zh),
        (0, false) => Text::new(format!("rows {before} and {last} are"), zh),
        (n, _) => Text::new(
            format!("rows {} and {n} more are", named.join(", ")),
            format!("{zh}及另外 {n} 行"),
        ),
    }
}

/// Sorted numbers as runs of consecutive ones, each its first and last.
fn runs(rows: &[usize]) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &r in rows {
        match runs.last_mut() {
            Some((_, end)) if end.checked_add(1) == Some(r) => *end = r,
            _ => runs.push((r, r)),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::{Sheet, hidden_rows, parts_of, rows_hidden, rows_text, warning};
    use crate::data::table::{Cells, Held, Row};
    use crate::diagnostic::Lang;
    use crate::t;

    fn rows(xml: &str) -> Option<Vec<usize>> {
        rows_hidden(xml.as_bytes())
    }

    #[test]
    fn hidden_rows_are_read_from_the_row_tags() {
        let xml = r#"<worksheet><sheetData>
            <row r="1"><c r="A1"><v>1</v></c></row>
            <row r="3" hidden="1" spans="1:4"><c r="A3"><v>2</v></c></row>
            <row r="4" ht="0" customHeight="1"/>
            <row hidden="true"/>
            <row r="9" ht="15" hidden="0"/>
            </sheetData><autoFilter ref="A1:D9"/></worksheet>"#;
        assert_eq!(rows(xml), Some(vec![3, 4, 5]));
    }

    #[test]
    fn rows_are_found_across_the_chunks_of_a_large_sheet() {
        // 20,000 rows with cells (a few megabytes: many 64 KB chunks), every
        // 7th hidden, tags with a prefix; a `<rowBreaks>` after the data is
        // not read.
        let mut xml = String::from(r#"<x:worksheet xmlns:x="s"><x:sheetData>"#);
        for r in 1..=20_000 {
            let hidden = if r % 7 == 0 { r#" hidden="1""# } else { "" };
            xml.push_str(&format!(
                r#"<x:row r="{r}" spans="1:3"{hidden}><x:c r="A{r}" t="s"><x:v>{r}</x:v></x:c><x:c r="B{r}"><x:v>1.5</x:v></x:c></x:row>"#
            ));
        }
        xml.push_str(
            r#"</x:sheetData><x:rowBreaks><x:row hidden="1"/></x:rowBreaks></x:worksheet>"#,
        );
        let want: Vec<usize> = (1..=20_000).filter(|r| r % 7 == 0).collect();
        assert_eq!(rows(&xml), Some(want));
        // Cut short, it is faulty: no rows.
        assert_eq!(rows(xml.get(..xml.len() / 2).unwrap()), None);
    }

    #[test]
    fn a_plain_row_tag_is_asked_its_number_alone() {
        use super::{one_row, plain_number};
        assert_eq!(plain_number(br#"<row r="12" spans="1:9">"#), Some(12));
        assert_eq!(plain_number(br#"<row spans="1:9" r='12'>"#), None);
        assert_eq!(plain_number(br#"<row r="1x">"#), None);
        assert_eq!(
            one_row(br#"<row r="12" spans="1:9">"#, 3),
            Some((12, false))
        );
        assert_eq!(one_row(br#"<row r='12' hidden='1'>"#, 3), Some((12, true)));
        assert_eq!(
            one_row(br#"<row r="12" ht="0" customHeight="1">"#, 3),
            Some((12, true))
        );
        assert_eq!(one_row(br#"<row spans="1:9">"#, 3), Some((4, false)));
        assert_eq!(one_row(br#"<row r="1x">"#, 3), None);
    }

    #[test]
    fn a_sheet_hiding_nothing_has_no_hidden_rows() {
        let xml = r#"<x:worksheet xmlns:x="s"><x:sheetData><x:row r="1"/><x:row r="2" ht="20"/></x:sheetData></x:worksheet>"#;
        assert_eq!(rows(xml), Some(vec![]));
        assert_eq!(rows("<worksheet><sheetData/></worksheet>"), Some(vec![]));
    }

    #[test]
    fn the_reading_stops_at_the_end_of_the_sheet_data() {
        // What follows `</sheetData>` is not read: broken XML there is no fault.
        let xml = r#"<worksheet><sheetData><row r="2" hidden="1"/></sheetData><row r="7" hidden="1"/><<<"#;
        assert_eq!(rows(xml), Some(vec![2]));
    }

    #[test]
    fn faulty_xml_gives_no_hidden_rows() {
        for xml in [
            r#"<worksheet><sheetPr></col><sheetData><row r="2" hidden="1"/></sheetData>"#,
            r#"<worksheet><sheetData><row r="2" hidden="1></sheetData>"#,
            r#"<worksheet><sheetData><row r="2" hidden="1" hidden="1"/></sheetData>"#,
            r#"<worksheet><sheetData><row r="x" hidden="1"/></sheetData>"#,
            r#"<worksheet><sheetData><row r="2" hidden="1"/>"#,
            r#"<worksheet><sheetData><row r="2" hidden=1/></sheetData>"#,
            "",
        ] {
            assert_eq!(rows(xml), None, "{xml}");
        }
    }

    #[test]
    fn a_missing_part_or_file_gives_no_hidden_rows() {
        let book = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/liucheng-2024/mixed.xlsx");
        assert_eq!(
            hidden_rows(&book, "xl/worksheets/sheet99.xml"),
            Vec::<usize>::new()
        );
        assert_eq!(
            hidden_rows(&book.join("nothing"), "xl/worksheets/sheet1.xml"),
            Vec::<usize>::new()
        );
        assert!(!super::sheet_parts(&book).is_empty());
        assert!(super::sheet_parts(&book.join("nothing")).is_empty());
    }

    #[test]
    fn sheets_are_found_through_the_workbook_relationships() {
        let workbook = r#"<workbook xmlns:r="rel"><sheets>
            <sheet name="数据" sheetId="1" r:id="rId2"/>
            <sheet name="R&amp;D" sheetId="2" r:id="rId1"/>
            <sheet name="lost" sheetId="3" r:id="rId9"/></sheets></workbook>"#;
        let rels = r#"<Relationships>
            <Relationship Id="rId1" Type="ws" Target="worksheets/sheet2.xml"/>
            <Relationship Id="rId2" Type="ws" Target="/xl/worksheets/sheet1.xml"/></Relationships>"#;
        let parts = parts_of(workbook, rels);
        assert_eq!(
            parts.get("数据").map(String::as_str),
            Some("xl/worksheets/sheet1.xml")
        );
        assert_eq!(
            parts.get("R&D").map(String::as_str),
            Some("xl/worksheets/sheet2.xml")
        );
        assert_eq!(parts.len(), 2);
    }

    #[test]
    fn rows_are_named_in_runs_then_counted() {
        let text = |rows: &[usize]| {
            let t = rows_text(rows);
            (t.get(Lang::En).to_string(), t.get(Lang::Zh).to_string())
        };
        assert_eq!(text(&[5]), ("row 5 is".into(), "第 5 行".into()));
        assert_eq!(
            text(&[5, 6, 7]),
            ("rows 5–7 are".into(), "第 5–7 行".into())
        );
        assert_eq!(
            text(&[5, 6, 7, 8, 9, 12]),
            ("rows 5–9 and 12 are".into(), "第 5–9、12 行".into())
        );
        assert_eq!(
            text(&[2, 4, 5, 6, 9, 11, 12, 14, 15, 20, 30, 31, 32]),
            (
                "rows 2, 4–6, 9, 11–12 and 6 more are".into(),
                "第 2、4–6、9、11–12 行及另外 6 行".into()
            )
        );
    }

    fn sheet(ids: &[&str]) -> Sheet {
        let row = |(n, id): (usize, &&str)| Row {
            line: n + 2,
            at: n as u64,
            cells: Cells::Sheet(vec![
                Held::Text((*id).to_string()),
                Held::Number("3".into()),
            ]),
        };
        Sheet {
            place: t!("d.xlsx, sheet 数据", "d.xlsx 的工作表“数据”"),
            header: vec!["id".into(), "meetings".into()],
            rows: ids.iter().enumerate().map(row).collect(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn only_hidden_rows_that_hold_a_unit_are_told() {
        // Rows 2–6: the notes row, two units, a blank row, a unit.
        let s = sheet(&["# 单位｜说明", "甲镇", "乙镇", "", "丙镇"]);
        let message = |hidden: &[usize], list| {
            warning(&s, hidden, list).map(|d| d.message.get(Lang::En).to_string())
        };
        assert_eq!(message(&[], false), None);
        // Hidden above the header, the notes row, a blank row, past the data.
        assert_eq!(message(&[1, 2, 5, 40], false), None);
        assert_eq!(
            message(&[1, 2, 3, 4, 5, 6], false).as_deref(),
            Some(
                "d.xlsx, sheet 数据: rows 3–4 and 6 are hidden or filtered out, but still read: the 3 units there are scored like the others"
            )
        );
        assert_eq!(
            message(&[4], true).as_deref(),
            Some(
                "d.xlsx, sheet 数据: row 4 is hidden or filtered out, but still read: the 1 record there is counted like the others"
            )
        );
        let d = warning(&s, &[3, 4], false);
        assert_eq!(
            d.map(|d| d.message.get(Lang::Zh).to_string()).as_deref(),
            Some(
                "d.xlsx 的工作表“数据”：第 3–4 行被隐藏或被筛选掉了，但仍会读取：其中 2 个被考核单位与其他单位一样计分"
            )
        );
    }
}
