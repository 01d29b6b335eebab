//! XLSX datasets in the layout `kaohe template --format xlsx` writes: the
//! first sheet holds one row per entity, and every list input has a sheet
//! named after it whose rows carry the entity's id.
//!
//! Cells become JSON values for [`super::scalar`]: numbers as numbers (in
//! the shortest decimal form that reads back as the same float, so 87.5
//! stays 87.5), text as text, TRUE/FALSE as booleans, and date cells as
//! "YYYY-MM-DD".

use super::table::{Absent, Cells, Entities, ListSource, Reread, Row, Table};
use crate::check::ir::{Program, Ty};
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::t;
use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use serde_json::Value as Json;
use std::path::Path;
use std::rc::Rc;
use std::str::FromStr;

/// The entities of a workbook. The sheets are read whole (that is how the
/// format is stored), then scored one row at a time.
pub fn open<'a>(program: &'a Program, path: &Path) -> Result<Entities<'a>, Diagnostic> {
    let name = path.display().to_string();
    let mut book: Xlsx<_> = open_workbook(path).map_err(|e| {
        Diagnostic::new(
            Code::TableUnreadable,
            t!(
                "{name} cannot be read as an XLSX workbook: {e}",
                "{name} 无法按 XLSX 工作簿读取：{e}"
            ),
        )
        .with_help(t!(
            "save the workbook as \"Excel Workbook (*.xlsx)\"",
            "请将工作簿另存为“Excel 工作簿 (*.xlsx)”"
        ))
        .in_file(&name)
    })?;
    let sheets = book.sheet_names();
    let Some(first) = sheets.first().cloned() else {
        return Err(Diagnostic::new(
            Code::TableUnreadable,
            t!("{name} has no sheets", "{name} 中没有工作表"),
        )
        .in_file(&name));
    };
    let mut read = |sheet: &str| -> Result<Sheet, Diagnostic> {
        let place = sheet_place(&name, sheet);
        let range = book.worksheet_range(sheet).map_err(|e| {
            Diagnostic::new(
                Code::TableUnreadable,
                t!("{} cannot be read: {e}", "{} 无法读取：{e}", place),
            )
        })?;
        Ok(sheet_of(place, &range))
    };
    let main = read(&first)?.table();
    let mut lists = Vec::new();
    for input in program
        .inputs
        .iter()
        .filter(|i| matches!(i.ty, Ty::List(_)))
    {
        let t = if sheets.contains(&input.name) {
            read(&input.name).map(Sheet::list).map_err(|d| Absent {
                input: input.name.clone(),
                place: d.message,
            })
        } else {
            Err(Absent {
                input: input.name.clone(),
                place: sheet_place(&name, &input.name),
            })
        };
        lists.push((input.name.clone(), t));
    }
    Ok(Entities::new(program, &name, main, None, lists))
}

/// "mixed.xlsx, sheet 数据".
fn sheet_place(name: &str, sheet: &str) -> Text {
    t!("{name}, sheet {sheet}", "{name} 的工作表“{sheet}”")
}

/// A sheet read: where it is, its header and the rows under it.
struct Sheet {
    place: Text,
    header: Vec<String>,
    rows: Vec<Row>,
}

impl Sheet {
    fn table<'a>(self) -> Table<'a> {
        Table {
            place: self.place,
            header: self.header,
            rows: Box::new(self.rows.into_iter().map(Ok)),
        }
    }

    /// A list sheet: its rows are in memory already (a workbook is read
    /// whole), so the second reading takes them from there.
    fn list<'a>(self) -> ListSource<'a> {
        let rows = Rc::new(self.rows);
        let first = Rc::clone(&rows);
        let table = Table {
            place: self.place,
            header: self.header,
            rows: Box::new((0..first.len()).filter_map(move |i| first.get(i).cloned().map(Ok))),
        };
        ListSource {
            table,
            again: Box::new(Held(rows)),
            check: None,
        }
    }
}

struct Held(Rc<Vec<Row>>);

impl Reread for Held {
    fn row_at(&mut self, line: usize, at: u64) -> Result<Row, Diagnostic> {
        let row = usize::try_from(at).ok().and_then(|i| self.0.get(i));
        row.cloned().ok_or_else(|| {
            Diagnostic::new(
                Code::Internal,
                t!(
                    "row {line} of a sheet read is gone",
                    "已读取的工作表中第 {line} 行不见了"
                ),
            )
        })
    }
}

fn sheet_of(place: Text, range: &Range<Data>) -> Sheet {
    // Row numbers as the spreadsheet shows them, wherever the used range starts.
    let top = range.start().map_or(0, |(r, _)| r as usize);
    let left = range.start().map_or(0, |(_, c)| c as usize);
    let mut rows = range.rows().map(|r| {
        let mut cells = vec![Json::Null; left];
        cells.extend(r.iter().map(cell));
        cells
    });
    let header = rows
        .next()
        .map(|cells| {
            cells
                .iter()
                .map(|c| match c {
                    Json::String(s) => s.trim().to_string(),
                    Json::Null => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    // Line 1 of the range is its header.
    let rows = (rows.zip(0..))
        .map(|(cells, at)| Row {
            line: top + at + 2,
            at: at as u64,
            cells: Cells::Sheet(cells),
        })
        .collect();
    Sheet {
        place,
        header,
        rows,
    }
}

fn cell(data: &Data) -> Json {
    match data {
        Data::Empty => Json::Null,
        Data::String(s) if s.trim().is_empty() => Json::Null,
        Data::String(s) => Json::String(s.clone()),
        Data::Int(i) => Json::from(*i),
        Data::Float(f) => number(*f),
        Data::Bool(b) => Json::Bool(*b),
        Data::DateTime(d) => {
            // Serial day 25569 is 1970-01-01.
            let days = d.as_f64().floor() as i64 - 25_569;
            Json::String(crate::date::format(days as i32))
        }
        Data::DateTimeIso(s) => Json::String(s.chars().take(10).collect()),
        Data::DurationIso(s) => Json::String(s.clone()),
        Data::Error(e) => Json::String(format!("#{e:?}")),
    }
}

/// A float cell as the decimal people typed: Rust prints the shortest form
/// that reads back as the same float.
fn number(f: f64) -> Json {
    let text = f.to_string();
    serde_json::Number::from_str(&text).map_or(Json::String(text), Json::Number)
}
