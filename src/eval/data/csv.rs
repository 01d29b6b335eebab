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

use super::table::{
    Absent, Bounds, Cells, Entities, ListSource, Reread, Row, Rows, Table, Walk, Walked,
};
use super::{blank, trim};
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
    let again = walker(path, &same(&name));
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
    let check = walker(path, &place);
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

/// A CSV file's rows after its header for the walk, each read into the
/// same record; `None` when its header cannot be read (the reading proper
/// reports it).
fn walker<'a>(path: &Path, place: &Text) -> Option<Walked<'a>> {
    let mut reader = reader(path, place, true).ok()?;
    reader.headers().ok()?;
    Some(Box::new(Walker {
        reader,
        record: csv::ByteRecord::new(),
        readable: Some(false),
    }))
}

struct Walker {
    reader: csv::Reader<File>,
    record: csv::ByteRecord,
    /// Whether the row moved to can be read; `None` until asked.
    readable: Option<bool>,
}

impl Walk for Walker {
    fn advance(&mut self) -> bool {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(true) => {
                self.readable = None;
                true
            }
            Ok(false) => false,
            Err(_) => {
                self.readable = Some(false);
                true
            }
        }
    }

    fn id(&self, column: Option<usize>) -> Option<&str> {
        let cell = std::str::from_utf8(self.record.get(column?)?).ok()?;
        let id = trim(cell);
        (!blank(cell) && !id.starts_with('#')).then_some(id)
    }

    fn readable(&mut self) -> bool {
        *(self.readable).get_or_insert_with(|| utf8(&self.record))
    }
}

/// How long a row must be for simdutf8 to check it with SIMD; it checks a
/// shorter one byte by byte, as `std::str::from_utf8` does.
const SIMD_CHUNK: usize = 64;

/// `f` of the bytes as text, when they are UTF-8. Checked with SIMD
/// (simdutf8; the same answer as `std::str::from_utf8`), a row shorter than
/// a SIMD chunk (a list row) copied first into a chunk of zeros, which are
/// ASCII and end no character: the chunk is UTF-8 exactly when the row is.
/// The standard check goes byte by byte through the mixed Chinese and ASCII
/// rows of a table, and every row is checked twice (the walk and the
/// reading): it was 7% of reading a dataset.
fn with_text<R>(bytes: &[u8], f: impl FnOnce(&str) -> R) -> Option<R> {
    if bytes.len() >= SIMD_CHUNK {
        return simdutf8::basic::from_utf8(bytes).ok().map(f);
    }
    let mut chunk = [0u8; SIMD_CHUNK];
    chunk.get_mut(..bytes.len())?.copy_from_slice(bytes);
    let padded = simdutf8::basic::from_utf8(&chunk).ok()?;
    padded.get(..bytes.len()).map(f)
}

/// Whether every cell of a record is UTF-8, as [`cells`] finds it, without
/// keeping the text or the bounds.
fn utf8(record: &csv::ByteRecord) -> bool {
    let whole = |text: &str| {
        let mut end = 0;
        record.iter().all(|cell| {
            end += cell.len();
            text.is_char_boundary(end)
        })
    };
    with_text(record.as_slice(), whole).unwrap_or(false)
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
    with_text(record.as_slice(), |text| cells_of(record, text))?
}

/// The cells of `record`, whose bytes are `text`.
fn cells_of(record: &csv::ByteRecord, text: &str) -> Option<Cells> {
    let n = record.len() + 1;
    let mut ends = record.iter().scan(0, |end, cell| {
        *end += cell.len();
        Some(*end)
    });
    let mut bounds = Bounds::with_capacity(n);
    // The kind of bounds chosen once for the row, not asked per cell.
    let whole = match &mut bounds {
        Bounds::Heap(v) => {
            v.push(0);
            ends.all(|end| {
                v.push(end);
                text.is_char_boundary(end)
            })
        }
        Bounds::InPlace { len, ends: slots } => {
            *len = n;
            (slots.iter_mut().skip(1).zip(ends)).all(|(slot, end)| {
                *slot = end;
                text.is_char_boundary(end)
            })
        }
    };
    whole.then(|| Cells::Text {
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
    use super::{SIMD_CHUNK, cells, same, table, walker, with_text};
    use crate::eval::data::table::{Bounds, Cells, Whose, whose};
    use proptest::prelude::*;

    fn record(cells: &[&[u8]]) -> csv::ByteRecord {
        csv::ByteRecord::from(cells.to_vec())
    }

    #[test]
    fn the_walk_finds_each_row_readable_and_its_id_as_the_reading_does() {
        let path = std::env::temp_dir().join(format!("kaohe-walk-{}.csv", std::process::id()));
        let bytes: &[u8] = b"id,a,b\n#unit,x,y\n\xE7\x94\xB2,1,\xFF\n\n,,\n \xE4\xB9\x99 ,22,\"q,\"\"r\"\n\xE4\xB8,\x99\n";
        std::fs::write(&path, bytes).unwrap();
        let place = same("walk.csv");
        let rows: Vec<_> = table(&path, place.clone()).unwrap().rows.collect();
        let mut walk = walker(&path, &place).unwrap();
        let (mut walked, mut ids) = (Vec::new(), Vec::new());
        while walk.advance() {
            ids.push(walk.id(Some(0)).map(str::to_string));
            walked.push(walk.readable());
        }
        std::fs::remove_file(&path).unwrap();
        let read: Vec<bool> = rows.iter().map(Result::is_ok).collect();
        assert_eq!(walked, read);
        assert_eq!(read, [true, false, true, true, false]);
        // The row of 甲 cannot be read, yet its id cell names 甲.
        let named = [None, Some("甲"), None, Some("乙"), None].map(|i| i.map(str::to_string));
        assert_eq!(ids, named);
        for (row, id) in rows.iter().zip(&ids) {
            let Ok(row) = row else { continue };
            let of = match whose(&row.cells, Some(0)) {
                Whose::Of(id) => Some(id.to_string()),
                Whose::Skipped | Whose::NoOne => None,
            };
            assert_eq!(&of, id);
        }
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
        assert_eq!(
            (text.as_str(), bounds.as_slice()),
            ("是a", &[0, 3, 3, 4][..])
        );
    }

    #[test]
    fn bounds_in_place_or_on_the_heap_are_the_cells_ends() {
        for n in [0, 1, 6, 7, 8, 30] {
            let texts: Vec<String> = (0..n).map(|i| "是".repeat(i % 3)).collect();
            let record = record(&texts.iter().map(|t| t.as_bytes()).collect::<Vec<_>>());
            let mut ends = vec![0];
            texts
                .iter()
                .for_each(|t| ends.push(ends.last().unwrap() + t.len()));
            let Some(Cells::Text { text, bounds }) = cells(&record) else {
                panic!("a UTF-8 record is read");
            };
            let in_place = matches!(bounds, Bounds::InPlace { .. });
            assert_eq!((text, bounds.as_slice()), (texts.concat(), &ends[..]));
            assert_eq!(in_place, n < 8, "{n} cells");
        }
    }

    /// `with_text`'s answer is `std::str::from_utf8`'s, for every length
    /// around the SIMD chunk and for a character cut at any place.
    fn agrees(bytes: &[u8]) {
        let std = std::str::from_utf8(bytes).ok().map(str::to_string);
        assert_eq!(with_text(bytes, str::to_string), std, "{bytes:?}");
    }

    #[test]
    fn rows_of_every_length_are_utf8_exactly_when_std_says_so() {
        for n in 0..=2 * SIMD_CHUNK + 1 {
            let ascii = vec![b'a'; n];
            agrees(&ascii);
            for cut in 1..3 {
                // 是 (three bytes) at the end, whole and cut short.
                let mut row = ascii.clone();
                row.extend_from_slice(&"是".as_bytes()[..cut]);
                agrees(&row);
                row.extend_from_slice(&"是".as_bytes()[cut..]);
                agrees(&row);
            }
            agrees(&[&ascii[..], b"\xFF"].concat());
            agrees(&[&ascii[..], b"\xC0\x80"].concat());
        }
    }

    proptest! {
        #[test]
        fn any_bytes_are_utf8_exactly_when_std_says_so(
            parts in prop::collection::vec(
                prop_oneof![
                    "[a-z0-9,是否单位𝄞]{0,12}".prop_map(String::into_bytes),
                    prop::collection::vec(any::<u8>(), 0..4),
                ],
                0..12,
            )
        ) {
            agrees(&parts.concat());
        }
    }
}
