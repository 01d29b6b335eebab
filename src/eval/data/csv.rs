//! CSV datasets: `mixed.csv` holds one row per entity; a list input
//! `fire_points` is read from `mixed/fire_points.csv`, each row carrying
//! the entity's id. Every cell is text, read by [`super::scalar`] where it
//! lies in the record read.
//!
//! Before the entities are read, every list file is walked beside the
//! entity file: a list whose rows come grouped by entity in the entities'
//! order is then read straight on beside it. A list in any other order is
//! read once through for where each entity's rows start, then a second
//! reader seeks to them as each entity comes.

use super::table::{Absent, Cells, Entities, ListSource, Reread, Row, Rows, Table};
use crate::check::ir::{Program, Ty};
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::t;
use std::fs::File;
use std::path::Path;

/// The entities of a CSV dataset, streamed row by row.
pub fn open<'a>(program: &'a Program, path: &Path) -> Result<Entities<'a>, Diagnostic> {
    let name = path.display().to_string();
    let main = table(path, same(&name))?;
    let dir = path.with_extension("");
    let lists = program
        .inputs
        .iter()
        .filter(|i| matches!(i.ty, Ty::List(_)))
        .map(|i| {
            let file = dir.join(format!("{}.csv", i.name));
            let place = same(&file.display().to_string());
            let t = if file.exists() {
                list(&file, place).map_err(|d| Absent {
                    input: i.name.clone(),
                    place: d.message,
                })
            } else {
                Err(Absent {
                    input: i.name.clone(),
                    place,
                })
            };
            (i.name.clone(), t)
        })
        .collect();
    // The entity file once more, to see whether the lists are in its order.
    let again = table(path, same(&name)).ok().map(|t| t.rows);
    Ok(Entities::new(program, &name, main, again, lists))
}

/// A file name, the same in both languages.
fn same(name: &str) -> Text {
    t!("{name}", "{name}")
}

fn unreadable(place: &Text, e: &csv::Error) -> Diagnostic {
    let why = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => t!("it is not UTF-8 text", "不是 UTF-8 编码的文本"),
        _ => {
            let e = e.to_string();
            t!("{e}", "{e}")
        }
    };
    Diagnostic::new(
        Code::TableUnreadable,
        t!(
            "{} cannot be read as CSV: {}",
            "{} 无法按 CSV 读取：{}",
            place,
            why
        ),
    )
    .with_help(t!(
        "save the sheet as \"CSV UTF-8 (comma delimited)\"",
        "请将表格另存为“CSV UTF-8（逗号分隔）”"
    ))
}

fn reader(path: &Path, place: &Text, headers: bool) -> Result<csv::Reader<File>, Diagnostic> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(headers)
        .from_path(path)
        .map_err(|e| {
            Diagnostic::new(
                Code::Io,
                t!("cannot read {}: {e}", "无法读取 {}：{e}", place),
            )
            .in_file(&place.en)
        })
}

/// A list file: its table, and a second reader to come back to its rows.
fn list<'a>(path: &Path, place: Text) -> Result<ListSource<'a>, Diagnostic> {
    let again = Box::new(Again {
        reader: reader(path, &place, false)?,
        place: place.clone(),
        record: csv::StringRecord::new(),
    });
    let check = table(path, place.clone()).ok().map(|t| t.rows);
    Ok(ListSource {
        table: table(path, place)?,
        again,
        check,
    })
}

struct Again {
    reader: csv::Reader<File>,
    place: Text,
    record: csv::StringRecord,
}

impl Reread for Again {
    fn row_at(&mut self, line: usize, at: u64) -> Result<Row, Diagnostic> {
        let mut start = csv::Position::new();
        start.set_byte(at).set_line(line as u64);
        // The reader does not move when it is there already.
        self.reader
            .seek(start)
            .map_err(|e| unreadable(&self.place, &e))?;
        match self.reader.read_record(&mut self.record) {
            Ok(true) => Ok(row(self.record.clone())),
            Ok(false) => Err(Diagnostic::new(
                Code::TableUnreadable,
                t!(
                    "{} ends before row {line}: it changed while it was being read",
                    "{} 在第 {line} 行之前就结束了：读取期间文件被改动",
                    self.place
                ),
            )),
            Err(e) => Err(unreadable(&self.place, &e)),
        }
    }
}

fn row(record: csv::StringRecord) -> Row {
    let start = record.position();
    Row {
        line: start.map_or(0, |p| p.line() as usize),
        at: start.map_or(0, csv::Position::byte),
        cells: Cells::Csv(record),
    }
}

fn table<'a>(path: &Path, place: Text) -> Result<Table<'a>, Diagnostic> {
    let mut reader = reader(path, &place, true)?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| unreadable(&place, &e))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    let at = place.clone();
    let rows: Rows<'a> = Box::new(
        reader
            .into_records()
            .map(move |r| Ok::<Row, Diagnostic>(row(r.map_err(|e| unreadable(&at, &e))?))),
    );
    Ok(Table {
        place,
        header,
        rows,
    })
}
