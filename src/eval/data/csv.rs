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
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => not_utf8(place),
        _ => {
            let e = e.to_string();
            cannot_read(place, t!("{e}", "{e}"))
        }
    }
}

fn not_utf8(place: &Text) -> Diagnostic {
    cannot_read(place, t!("it is not UTF-8 text", "不是 UTF-8 编码的文本"))
}

fn cannot_read(place: &Text, why: Text) -> Diagnostic {
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
        record: csv::ByteRecord::new(),
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
    record: csv::ByteRecord,
}

impl Reread for Again {
    fn row_at(&mut self, line: usize, at: u64) -> Result<Row, Diagnostic> {
        let mut start = csv::Position::new();
        start.set_byte(at).set_line(line as u64);
        // The reader does not move when it is there already.
        self.reader
            .seek(start)
            .map_err(|e| unreadable(&self.place, &e))?;
        match self.reader.read_byte_record(&mut self.record) {
            Ok(true) => row(&self.record).ok_or_else(|| not_utf8(&self.place)),
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

/// A record read as a row, or `None` when a cell of it is not UTF-8.
fn row(record: &csv::ByteRecord) -> Option<Row> {
    let start = record.position();
    Some(Row {
        line: start.map_or(0, |p| p.line() as usize),
        at: start.map_or(0, csv::Position::byte),
        cells: cells(record)?,
    })
}

/// A record's cells, or `None` when one of them is not UTF-8. The record
/// is checked whole, once, and then every cell for starting and ending on
/// a character's boundary: the answer of checking each cell, for less.
fn cells(record: &csv::ByteRecord) -> Option<Cells> {
    let text = std::str::from_utf8(record.as_slice()).ok()?;
    let mut bounds = Vec::with_capacity(record.len() + 1);
    let mut end = 0;
    bounds.push(end);
    for cell in record {
        end += cell.len();
        if !text.is_char_boundary(end) {
            return None;
        }
        bounds.push(end);
    }
    Some(Cells::Text {
        text: text.to_string(),
        bounds,
    })
}

/// The rows of a CSV file after its header, each read into one record.
struct Records {
    reader: csv::Reader<File>,
    record: csv::ByteRecord,
    place: Text,
}

impl Iterator for Records {
    type Item = Result<Row, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(true) => Some(row(&self.record).ok_or_else(|| not_utf8(&self.place))),
            Ok(false) => None,
            Err(e) => Some(Err(unreadable(&self.place, &e))),
        }
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
    let rows: Rows<'a> = Box::new(Records {
        reader,
        record: csv::ByteRecord::new(),
        place: place.clone(),
    });
    Ok(Table {
        place,
        header,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::cells;
    use crate::eval::data::table::Cells;

    fn record(cells: &[&[u8]]) -> csv::ByteRecord {
        csv::ByteRecord::from(cells.to_vec())
    }

    #[test]
    fn every_cell_must_be_utf8_on_its_own() {
        // 是 cut in two by a comma: the record's bytes are UTF-8, its cells not.
        assert!(cells(&record(&[b"\xE6\x98", b"\xAF"])).is_none());
        assert!(cells(&record(&[b"ok", b"\xFF"])).is_none());
        let Some(Cells::Text { text, bounds }) = cells(&record(&["是".as_bytes(), b"", b"a"]))
        else {
            panic!("a UTF-8 record is read");
        };
        assert_eq!((text.as_str(), bounds), ("是a", vec![0, 3, 3, 4]));
    }
}
