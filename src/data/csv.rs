//! CSV datasets: `mixed.csv` holds one row per entity; a list input
//! `fire_points` is read from `mixed/fire_points.csv`, each row carrying
//! the entity's id. Every cell is text, read by [`super::scalar`] where it
//! lies in the record read.
//!
//! Before the entities are read, the entity file is walked for its ids and
//! every list file against them, one pool task a list: a list whose rows
//! come grouped by entity in the entities' order is then walked again
//! beside it, each entity's records found and kept as they are
//! (`Walk::keep`), for the task that reads the entity on the pool to read
//! into rows. A list in any other order is read once through for where
//! each entity's rows start, then a second reader seeks to them as each
//! entity comes.
//!
//! A file that is not UTF-8 is read in the encoding chardetng finds for it
//! when that is GBK/GB18030 or Big5 (Excel's "CSV" on Chinese Windows),
//! decoded into memory whole, with a warning naming the encoding. The
//! header row is the first of the first ten rows with a cell `id`; rows
//! above it (a title) are skipped with a warning.

mod split;

use super::table::{
    Absent, Bounds, Cells, Entities, Kept, ListSource, Name, Reread, Row, Rows, Table, Walk, Walked,
};
use super::{blank, trim};
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::ir::{Program, Ty};
use crate::t;
use split::{Position, Split};
use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::Path;

/// The entities of a CSV dataset, streamed row by row.
pub fn open<'a>(
    program: &'a Program,
    path: &Path,
    strict: bool,
) -> Result<Entities<'a>, Diagnostic> {
    open_kept(program, path, strict, true)
}

/// The entities of a CSV dataset, its lists in the entities' order read on
/// beside it on the calling thread, as a sheet's are, where [`open`]'s are
/// found there and read on the pool: what the two hand on is compared.
#[cfg(test)]
pub(super) fn open_unkept<'a>(
    program: &'a Program,
    path: &Path,
) -> Result<Entities<'a>, Diagnostic> {
    open_kept(program, path, false, false)
}

/// [`open`], the lists' rows found and kept on a walk if `keep`.
fn open_kept<'a>(
    program: &'a Program,
    path: &Path,
    strict: bool,
    keep: bool,
) -> Result<Entities<'a>, Diagnostic> {
    let name = path.display().to_string();
    let mut sniffed = Sniffed::default();
    let mut main = table(path, same(&name), &mut sniffed)?;
    let dir = path.with_extension("");
    let mut lists = list_files(program, &dir);
    for (_, list) in lists.iter_mut().filter(|_| !keep) {
        if let Ok(source) = list {
            source.keep = None;
        }
    }
    encoding_once(&mut main, &mut lists, &dir);
    // The entity file once more, to see whether the lists are in its order.
    let again = walker(path, &same(&name), &mut sniffed);
    Ok(Entities::new(program, &name, main, again, lists, strict))
}

/// A list input's file, `dir/<input>.csv`, or where it was looked for.
type ListFile<'a> = (String, Result<ListSource<'a>, Absent>);

/// Every list input's file in `dir` (the entity file's name without
/// `.csv`), or where it was looked for.
fn list_files<'a>(program: &Program, dir: &Path) -> Vec<ListFile<'a>> {
    (program.inputs.iter())
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
        .collect()
}

/// List files read in the entity file's encoding are told with it, once.
fn encoding_once(main: &mut Table, lists: &mut [ListFile], dir: &Path) {
    let decoded = |notes: &[Diagnostic]| notes.iter().position(|d| d.code == Code::Encoding);
    let Some(at) = decoded(&main.notes) else {
        return;
    };
    let mut more = 0;
    for (_, list) in lists {
        if let Ok(source) = list
            && let Some(i) = decoded(&source.table.notes)
        {
            source.table.notes.remove(i);
            more += 1;
        }
    }
    if let (Some(d), true) = (main.notes.get_mut(at), more > 0) {
        *d = d.clone().with_note(t!(
            "and the {more} list file(s) in {} beside it, read the same way",
            "它旁边 {} 文件夹中的 {more} 个列表文件也按同样的编码读取",
            same(&dir.display().to_string())
        ));
    }
}

/// A CSV file's bytes: the file itself when it is UTF-8, else its text
/// decoded into UTF-8 in memory.
enum Input {
    File(File),
    Decoded(io::Cursor<Vec<u8>>),
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Input::File(f) => f.read(buf),
            Input::Decoded(c) => c.read(buf),
        }
    }
}

impl Seek for Input {
    fn seek(&mut self, to: io::SeekFrom) -> io::Result<u64> {
        match self {
            Input::File(f) => f.seek(to),
            Input::Decoded(c) => c.seek(to),
        }
    }
}

/// How much of a file is looked at to tell whether it is UTF-8.
const SNIFF: u64 = 16 << 20;

/// How many characters of two bytes or more, all UTF-8, settle that a
/// file is UTF-8 before [`SNIFF`] bytes are looked at. A GBK or Big5
/// character reads as a UTF-8 one by chance less than one time in six
/// (its first byte must fall in 0xC2–0xDF or 0xE0–0xEF and the next ones
/// in 0x80–0xBF), so sixteen in a row by chance is rarer than one in 10^12;
/// and a file that does go on in another encoding has those rows refused
/// as not UTF-8, never read wrong. A dense dataset's header or its first
/// rows hold that many: its files were read 16 MB each before the first
/// unit, the calling thread alone (docs/performance/round-18.md).
const SETTLED: usize = 16;

/// The largest file decoded from another encoding (it is held in memory).
const DECODED_AT_MOST: u64 = 1 << 30;

/// Whether a file's first [`SNIFF`] bytes were found UTF-8 by an earlier
/// opening of it: each file is opened two to four times (the reading, the
/// walk, a list's second reader), and looking at the first 16 MB each time
/// was half of what the calling thread read from the files.
#[derive(Default)]
struct Sniffed(Option<bool>);

/// A CSV file opened: its bytes as UTF-8, and the encoding they were
/// decoded from when that was not UTF-8. A file whose first 16 MB are
/// UTF-8 (a character cut at the end aside), or whose first [`SETTLED`]
/// characters beyond ASCII are, is read as it is; any other is
/// decoded whole when it reads as GBK or Big5 (`diagnostic::decode_chinese`),
/// else read as it is (its rows are then refused as not UTF-8).
fn input(
    path: &Path,
    place: &Text,
    sniffed: &mut Sniffed,
) -> Result<(Input, Option<&'static str>), Diagnostic> {
    let mut file = reader(path, place)?;
    let utf8 = match sniffed.0 {
        Some(utf8) => utf8,
        None => utf8_start(&mut file).map_err(|e| unreadable(place, &e))?,
    };
    sniffed.0 = Some(utf8);
    let size = file.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
    file.rewind().map_err(|e| unreadable(place, &e))?;
    if utf8 || size > DECODED_AT_MOST {
        return Ok((Input::File(file), None));
    }
    let mut head = Vec::new();
    file.read_to_end(&mut head)
        .map_err(|e| unreadable(place, &e))?;
    match crate::diagnostic::decode_chinese(&head) {
        Some((text, name)) => Ok((
            Input::Decoded(io::Cursor::new(text.into_bytes())),
            Some(name),
        )),
        None => {
            file.rewind().map_err(|e| unreadable(place, &e))?;
            Ok((Input::File(file), None))
        }
    }
}

/// Whether the first [`SNIFF`] bytes of a file are UTF-8 (a character cut
/// at the end of them aside), looked at 64 KB at a time, so that reading a
/// large file costs no more memory than before; settled sooner once
/// [`SETTLED`] characters beyond ASCII were UTF-8.
fn utf8_start(file: &mut File) -> io::Result<bool> {
    let mut chunk = vec![0u8; 64 * 1024];
    // The bytes of a character cut at the end of the chunk before.
    let mut carried = 0;
    let mut seen = 0u64;
    let mut wide = 0;
    while seen < SNIFF && wide < SETTLED {
        let read = file.read(chunk.get_mut(carried..).unwrap_or_default())?;
        if read == 0 {
            // A character cut at the end of the file is no UTF-8.
            return Ok(carried == 0);
        }
        seen += read as u64;
        let filled = chunk.get(..carried + read).unwrap_or_default();
        // simdutf8's `compat` answers as `std::str::from_utf8` does, the
        // place and kind of the first error included, with SIMD: every
        // file is opened three times (the reading, the walk, and a list's
        // second reader), and the standard check was 5% of reading a dense
        // dataset.
        let valid = match simdutf8::compat::from_utf8(filled) {
            Ok(_) => filled.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => return Ok(false),
        };
        // A character's first byte is 0xC0 or more in UTF-8.
        wide += (filled.get(..valid).unwrap_or_default().iter())
            .filter(|&&b| b >= 0xC0)
            .count();
        carried = filled.len() - valid;
        chunk.copy_within(valid..valid + carried, 0);
    }
    Ok(true)
}

/// The warning that a file was read in another encoding than UTF-8.
fn decoded(place: &Text, encoding: &str) -> Diagnostic {
    Diagnostic::new(
        Code::Encoding,
        t!(
            "{} is not UTF-8; it was read as {encoding}, the encoding Excel and WPS save \"CSV\" in on Chinese Windows",
            "{} 不是 UTF-8 编码；已按 {encoding} 读取（中文 Windows 上 Excel 和 WPS 保存“CSV”时使用的编码）",
            place
        ),
    )
    .with_help(t!(
        "nothing needs doing if the names and values read right; to be sure, save it as \"CSV UTF-8 (comma delimited)\"",
        "如果读出的名称和数值都正确，无需处理；如要确认无误，请另存为“CSV UTF-8（逗号分隔）”"
    ))
}

/// A file name, the same in both languages.
fn same(name: &str) -> Text {
    t!("{name}", "{name}")
}

fn unreadable(place: &Text, e: &io::Error) -> Diagnostic {
    if e.kind() == io::ErrorKind::NotSeekable {
        // A pipe or FIFO: it cannot be read again, as a dataset is.
        return Diagnostic::new(
            Code::TableUnreadable,
            t!(
                "{} cannot be read as CSV: it is a pipe, which can be read only once, and kaohe reads a CSV dataset twice (to find each entity's rows in its list files)",
                "{} 无法按 CSV 读取：它是管道，只能读一次，而 kaohe 读取 CSV 数据集需要读两遍（以在列表文件中找到每个单位的行）",
                place
            ),
        )
        .with_help(t!(
            "save the data to a file first and give kaohe the file's name",
            "请先把数据保存为文件，再把文件名交给 kaohe"
        ));
    }
    let e = e.to_string();
    cannot_read(place, t!("{e}", "{e}"))
}

/// Row `line` of a file is not UTF-8: the whole file when it is the
/// first, else most likely a row pasted from a file in another encoding
/// (the file's start settled it as UTF-8, see [`SETTLED`]).
fn not_utf8(place: &Text, line: usize) -> Diagnostic {
    Diagnostic::new(
        Code::TableUnreadable,
        t!(
            "{}, row {line} cannot be read as CSV: it is not UTF-8 text",
            "{} 第 {line} 行无法按 CSV 读取：不是 UTF-8 编码的文本",
            place
        ),
    )
    .with_help(t!(
        "save the sheet as \"CSV UTF-8 (comma delimited)\"; if the rows above it read right, this row was likely pasted from a file in another encoding: type it again",
        "请将表格另存为“CSV UTF-8（逗号分隔）”；如果它上面的行读出来都正确，这一行可能是从另一种编码的文件中粘贴来的，请重新输入"
    ))
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

fn reader(path: &Path, place: &Text) -> Result<File, Diagnostic> {
    File::open(path).map_err(|e| {
        Diagnostic::new(
            Code::Io,
            t!("cannot read {}: {e}", "无法读取 {}：{e}", place),
        )
        .in_file(&place.en)
    })
}

/// A file's header row: its cells, or the problem reading it. The header
/// row is the first of the first ten with a cell `id`, else the first; the
/// warning names the rows above it that hold something (a title).
fn header(
    split: &mut Split<Input>,
    place: &Text,
) -> Result<(Vec<String>, Option<Diagnostic>), Diagnostic> {
    let mut first: Option<Vec<String>> = None;
    let mut second: Option<(Position, u64)> = None;
    let mut above: Vec<(usize, String)> = Vec::new();
    for _ in 0..10 {
        if !split.read().map_err(|e| unreadable(place, &e))? {
            break;
        }
        let line = split.row() as usize;
        if first.is_some() && second.is_none() {
            second = Some((split.position(), split.row()));
        }
        let (bytes, ends) = split.parts();
        let n = ends.len();
        let cells = cells(bytes, ends).ok_or_else(|| not_utf8(place, line))?;
        let header: Vec<String> = (0..n)
            .map(|i| match cells.get(i) {
                Some(super::Cell::Text(h)) => h.trim_start_matches('\u{feff}').trim().to_string(),
                _ => String::new(),
            })
            .collect();
        if header.iter().any(|h| h == "id") {
            let title = super::xlsx::title_rows(place, line, &above);
            return Ok((header, title));
        }
        if let Some(text) = header.iter().find(|h| !h.is_empty()) {
            above.push((line, text.clone()));
        }
        first.get_or_insert(header);
    }
    // No row with `id`: the first row is the header, as it always was.
    if let Some((at, row)) = second {
        split.seek(at, row).map_err(|e| unreadable(place, &e))?;
    }
    Ok((first.unwrap_or_default(), None))
}

/// A list file: its table, and a second reader to come back to its rows.
fn list<'a>(path: &Path, place: Text) -> Result<ListSource<'a>, Diagnostic> {
    let mut sniffed = Sniffed::default();
    let again = Box::new(Again {
        file: Some(input(path, &place, &mut sniffed)?.0),
        split: None,
        headed: false,
        place: place.clone(),
    });
    let check = walker(path, &place, &mut sniffed);
    let keep = walker(path, &place, &mut sniffed);
    Ok(ListSource {
        table: table(path, place, &mut sniffed)?,
        again,
        check,
        keep,
    })
}

/// A list file read again, its reader made at the first row asked for: a
/// list read on beside the entities never asks.
struct Again {
    file: Option<Input>,
    split: Option<Split<Input>>,
    /// Whether the header row was read, as the csv crate reads it before
    /// its first seek.
    headed: bool,
    place: Text,
}

impl Again {
    fn split(&mut self) -> io::Result<&mut Split<Input>> {
        if let Some(file) = self.file.take() {
            self.split = Some(Split::new(file));
        }
        let split = (self.split.as_mut()).ok_or_else(|| io::Error::other("no file"))?;
        if !self.headed {
            // Every row asked for is past the header row, wherever it is.
            split.read()?;
            self.headed = true;
        }
        Ok(split)
    }
}

impl Reread for Again {
    fn row_at(&mut self, line: usize, at: u64) -> Result<Row, Diagnostic> {
        let start = Position {
            line: line as u64,
            byte: at,
        };
        let place = self.place.clone();
        let split = self.split().map_err(|e| unreadable(&place, &e))?;
        // The reader does not move when it is there already.
        split
            .seek(start, line as u64)
            .map_err(|e| unreadable(&place, &e))?;
        match split.read() {
            Ok(true) => row(split).ok_or_else(|| not_utf8(&place, line)),
            Ok(false) => Err(Diagnostic::new(
                Code::TableUnreadable,
                t!(
                    "{} ends before row {line}: it changed while it was being read",
                    "{} 在第 {line} 行之前就结束了：读取期间文件被改动",
                    place
                ),
            )),
            Err(e) => Err(unreadable(&place, &e)),
        }
    }
}

/// A CSV file's rows after its header for the walk, each read into the
/// same record; `None` when its header cannot be read (the reading proper
/// reports it).
fn walker<'a>(path: &Path, place: &Text, sniffed: &mut Sniffed) -> Option<Walked<'a>> {
    let mut split = Split::new(input(path, place, sniffed).ok()?.0);
    header(&mut split, place).ok()?;
    Some(Box::new(Walker {
        split,
        readable: Some(false),
        failed: None,
        place: place.clone(),
    }))
}

struct Walker {
    split: Split<Input>,
    /// Whether the row moved to can be read; `None` until asked.
    readable: Option<bool>,
    /// Why the row moved to could not be read at all (the file failed).
    failed: Option<io::Error>,
    place: Text,
}

impl Walk for Walker {
    fn advance(&mut self) -> bool {
        self.failed = None;
        match self.split.read() {
            Ok(true) => {
                self.readable = None;
                true
            }
            Ok(false) => false,
            Err(e) => {
                self.readable = Some(false);
                self.failed = Some(e);
                true
            }
        }
    }

    /// The id cell's bytes are the id's: it is read as that id, when the
    /// id is bare ([`Name::bare`]; the id is trimmed, not blank, no note
    /// and no total, as [`whose`](super::table) read it).
    fn names(&self, column: Option<usize>, id: &Name) -> bool {
        id.bare && column.is_some_and(|c| self.split.cell_is(c, id.id.as_bytes()))
    }

    fn line(&self) -> usize {
        self.split.row() as usize
    }

    fn kept(&self) -> Kept {
        Kept::new(utf8, not_utf8)
    }

    fn keep(&mut self, into: &mut Kept, named: bool) {
        if let Some(e) = &self.failed {
            into.fail(unreadable(&self.place, e));
            return;
        }
        let line = self.split.row() as usize;
        // A plain line's ends are its commas, found by the task that reads
        // it, not here.
        if self.split.plain() {
            into.push(line, self.split.bytes(), None, named);
            return;
        }
        let (bytes, ends) = self.split.parts();
        into.push(line, bytes, Some(ends), named);
    }

    fn id(&self, column: Option<usize>) -> Option<&str> {
        let cell = super::table::unformula(std::str::from_utf8(self.split.cell(column?)?).ok()?);
        let id = trim(cell);
        (!blank(cell) && !id.starts_with('#') && !super::table::total(id)).then_some(id)
    }

    fn readable(&mut self) -> bool {
        *(self.readable).get_or_insert_with(|| with_text(self.split.bytes(), |_| ()).is_some())
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

/// The bytes as text, when they are UTF-8 (simdutf8, which answers as
/// `std::str::from_utf8` does): a unit's kept rows of a list, checked at
/// once.
fn utf8(bytes: &[u8]) -> Option<&str> {
    simdutf8::basic::from_utf8(bytes).ok()
}

/// The record read as a row, or `None` when a cell of it is not UTF-8.
fn row(split: &mut Split<Input>) -> Option<Row> {
    let (start, line) = (split.position(), split.row() as usize);
    let (bytes, ends) = split.parts();
    Some(Row {
        line,
        at: start.byte,
        cells: cells(bytes, ends)?,
    })
}

/// A record's cells (`bytes`, a comma between each two, each ending at
/// its place in `ends`), or `None` when one of them is not UTF-8. The
/// bytes are checked whole, once: a comma lies on no character, so they
/// are UTF-8 exactly when every cell is.
fn cells(bytes: &[u8], ends: &[usize]) -> Option<Cells> {
    with_text(bytes, |text| Cells::Text {
        text: text.to_string(),
        bounds: bounds(ends),
    })
}

/// Where each cell starts, and one past the comma after the last.
fn bounds(ends: &[usize]) -> Bounds {
    let n = ends.len() + 1;
    let starts = std::iter::once(0).chain(ends.iter().map(|end| end + 1));
    let mut bounds = Bounds::with_capacity(n);
    match &mut bounds {
        Bounds::Heap(v) => v.extend(starts),
        Bounds::InPlace { len, ends: slots } => {
            *len = n;
            (slots.iter_mut().zip(starts)).for_each(|(slot, start)| *slot = start);
        }
    }
    bounds
}

/// The rows of a CSV file after its header.
struct Records {
    split: Split<Input>,
    place: Text,
}

impl Iterator for Records {
    type Item = Result<Row, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.split.read() {
            Ok(true) => {
                let line = self.split.row() as usize;
                Some(row(&mut self.split).ok_or_else(|| not_utf8(&self.place, line)))
            }
            Ok(false) => None,
            Err(e) => Some(Err(unreadable(&self.place, &e))),
        }
    }
}

fn table<'a>(path: &Path, place: Text, sniffed: &mut Sniffed) -> Result<Table<'a>, Diagnostic> {
    let (input, encoding) = input(path, &place, sniffed)?;
    let mut split = Split::new(input);
    let (header, title) = header(&mut split, &place)?;
    let notes = (encoding.map(|e| decoded(&place, e)).into_iter())
        .chain(title)
        .collect();
    let rows: Rows<'a> = Box::new(Records {
        split,
        place: place.clone(),
    });
    Ok(Table {
        place,
        header,
        rows,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::{SIMD_CHUNK, same, table, walker, with_text};
    use crate::data::Cell;
    use crate::data::table::{Bounds, Cells, Whose, whose};
    use proptest::prelude::*;

    /// A record's cells read from `cells`, as the reader hands them over.
    fn read(cells: &[&[u8]]) -> Option<Cells> {
        let bytes = cells.join(&b","[..]);
        let mut ends = Vec::new();
        cells.iter().fold(0, |start, cell| {
            ends.push(start + cell.len());
            start + cell.len() + 1
        });
        super::cells(&bytes, &ends)
    }

    #[test]
    fn the_walk_finds_each_row_readable_and_its_id_as_the_reading_does() {
        let path = std::env::temp_dir().join(format!("kaohe-walk-{}.csv", std::process::id()));
        let bytes: &[u8] = b"id,a,b\n#unit,x,y\n\xE7\x94\xB2,1,\xFF\n\n,,\n \xE4\xB9\x99 ,22,\"q,\"\"r\"\n\xE4\xB8,\x99\n";
        std::fs::write(&path, bytes).unwrap();
        let place = same("walk.csv");
        let rows: Vec<_> = (table(&path, place.clone(), &mut Default::default())
            .unwrap()
            .rows)
            .collect();
        let mut walk = walker(&path, &place, &mut Default::default()).unwrap();
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
                Whose::Skipped | Whose::NoOne | Whose::Total => None,
            };
            assert_eq!(&of, id);
        }
    }

    /// The walk's quick answer that a row names an id (its cell's bytes
    /// are the id's) is never one its reading of the cell would not give,
    /// and is given for a plain id.
    #[test]
    fn a_row_named_by_its_bytes_is_named_as_the_walk_reads_it() {
        let path = std::env::temp_dir().join(format!("kaohe-names-{}.csv", std::process::id()));
        let cells = [
            "甲",
            " 甲 ",
            "'=甲",
            "''=甲",
            "=甲",
            "#甲",
            "合计",
            "",
            "\"甲\"",
            "甲,乙",
            "\"甲,乙\"",
        ];
        let text: String = cells.iter().map(|c| format!("{c},1\n")).collect();
        std::fs::write(&path, format!("id,x\n{text}")).unwrap();
        // Ids as `whose` reads them: trimmed, no note, no total.
        // 甲,乙 is no bare id: a plain line's first cell ends at its comma.
        let ids = ["甲", "'=甲", "=甲", "''=甲", "甲,乙"];
        let mut walk = walker(&path, &same("names.csv"), &mut Default::default()).unwrap();
        let mut named = 0;
        while walk.advance() {
            for id in ids {
                if walk.names(Some(0), &super::Name::new(id)) {
                    assert_eq!(walk.id(Some(0)), Some(id));
                    named += 1;
                }
            }
        }
        std::fs::remove_file(&path).unwrap();
        // 甲 (three times: plain, quoted, and the first cell of 甲,乙), =甲.
        assert_eq!(named, 4);
    }

    #[test]
    fn a_file_starts_as_utf8_whatever_chunk_ends_inside_a_character() {
        let path = std::env::temp_dir().join(format!("kaohe-sniff-{}.csv", std::process::id()));
        let utf8 = |bytes: &[u8]| {
            std::fs::write(&path, bytes).unwrap();
            super::utf8_start(&mut std::fs::File::open(&path).unwrap()).unwrap()
        };
        for pad in 0..4 {
            // 是 (three bytes) across the end of the first 64 KB, and later.
            let mut text = "a".repeat(64 * 1024 - 1 - pad).into_bytes();
            text.extend("是甲,乙\n".repeat(30_000).as_bytes());
            assert!(utf8(&text), "{pad}");
        }
        assert!(utf8(b""));
        assert!(!utf8(
            "id,甲县\n"
                .as_bytes()
                .split_last()
                .unwrap()
                .1
                .iter()
                .copied()
                .chain("是".as_bytes()[..2].iter().copied())
                .collect::<Vec<u8>>()
                .as_slice()
        ));
        let (gbk, _, _) = encoding_rs::GBK.encode("id,meetings\n柳城县,3\n");
        assert!(!utf8(&gbk));
        std::fs::remove_file(&path).unwrap();
    }

    /// Sixteen characters beyond ASCII, all UTF-8, settle it: what follows
    /// is not looked at (rows in another encoding there are refused when
    /// read); fifteen do not, and a GBK character after them is seen.
    #[test]
    fn a_file_is_settled_as_utf8_by_its_first_sixteen_wide_characters() {
        let path = std::env::temp_dir().join(format!("kaohe-settled-{}.csv", std::process::id()));
        let (gbk, _, _) = encoding_rs::GBK.encode("柳城县,3\n");
        let utf8 = |wide: usize| {
            let mut text = format!("id,{}\n", "是".repeat(wide)).into_bytes();
            text.extend(b"a,1\n".repeat(20_000));
            text.extend(gbk.iter());
            std::fs::write(&path, &text).unwrap();
            super::utf8_start(&mut std::fs::File::open(&path).unwrap()).unwrap()
        };
        assert!(utf8(super::SETTLED));
        assert!(!utf8(super::SETTLED - 1));
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn every_cell_must_be_utf8_on_its_own() {
        // 是 cut in two by a comma: the record's bytes are UTF-8, its cells not.
        assert!(read(&[b"\xE6\x98", b"\xAF"]).is_none());
        assert!(read(&[b"ok", b"\xFF"]).is_none());
        let Some(cells) = read(&["是".as_bytes(), b"", b"a,b"]) else {
            panic!("a UTF-8 record is read");
        };
        let got: Vec<_> = (0..4)
            .map(|i| cells.get(i).map(|c| format!("{c:?}")))
            .collect();
        let text = |s: &str| Some(format!("{:?}", Cell::Text(s)));
        assert_eq!(got, [text("是"), None, text("a,b"), None]);
    }

    #[test]
    fn bounds_in_place_or_on_the_heap_are_the_cells_starts() {
        for n in [0, 1, 6, 7, 8, 30] {
            let texts: Vec<String> = (0..n).map(|i| "是".repeat(i % 3)).collect();
            let Some(Cells::Text { text, bounds }) =
                read(&texts.iter().map(|t| t.as_bytes()).collect::<Vec<_>>())
            else {
                panic!("a UTF-8 record is read");
            };
            let mut starts = vec![0];
            texts
                .iter()
                .for_each(|t| starts.push(starts.last().unwrap() + t.len() + 1));
            let in_place = matches!(bounds, Bounds::InPlace { .. });
            assert_eq!((text, bounds.as_slice()), (texts.join(","), &starts[..]));
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
