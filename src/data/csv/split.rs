//! A CSV file's records, each with its position, as the csv crate reads
//! them (its default dialect, rows of any length), for less: a row that
//! lies on one line in the buffer, without a quote or a carriage return,
//! is split at its commas here; every other row goes through csv_core, the
//! parser the csv crate reads with. csv_core looks at every byte through
//! its automaton, and every file is read twice (the walk and the reading):
//! it was a quarter of reading a dataset. The tests below read every kind
//! of file both ways and compare the records and their positions.

use memchr::{memchr, memchr_iter, memchr2};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Seek, SeekFrom};

/// How much of a file is held at a time: a row that crosses the end of the
/// buffer goes through csv_core, so it is several entity rows long.
const BUFFER: usize = 64 * 1024;

/// Where a record starts, as the csv crate tells it: the byte, and the
/// line counted by the line feeds before it (the first line is 1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub line: u64,
    pub byte: u64,
}

/// Whether the end of the file, or an error, was met; then no more records
/// come until a seek, as with the csv crate.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Eof {
    No,
    Yes,
    Failed,
}

pub struct Split<R = File> {
    input: BufReader<R>,
    core: csv_core::Reader,
    /// The record read: its cells with a comma between each two (a comma
    /// within a cell stays; the cells are told by `ends`); empty for a
    /// plain line, which stays where it lies in the buffer (`held`).
    record: Vec<u8>,
    /// The length of the plain line read, left in the buffer, not copied:
    /// it and its line feed are consumed at the next read or seek. The
    /// walks look at a list row's id cell and keep its bytes once, and a
    /// copy of every row first was a tenth of what they cost.
    held: Option<usize>,
    /// Where each cell of `record` ends; found only when asked, for a
    /// `plain` record.
    ends: Vec<usize>,
    /// Whether the record was a line split at its commas here: its cells
    /// are told by them, and the walk, which asks for one cell, finds it
    /// without the others.
    plain: bool,
    /// Where the record read starts.
    start: Position,
    /// Where the next unread byte is.
    at: Position,
    /// The row of a spreadsheet the record read is on (the first is 1),
    /// as Excel or WPS shows the file: a blank line is a row, a cell over
    /// several lines is one row, and a CRLF ends one row, not two. The
    /// csv crate's position counts line feeds from where its reading of
    /// the record began, before the blank lines and the line feed of the
    /// CRLF it passes over: in a file saved by Excel on Windows, every
    /// record's line is the one before it.
    row: u64,
    /// The rows passed: records and blank lines.
    rows: u64,
    /// Whether the last byte passed ended a record with a carriage return,
    /// so that a line feed next is its CRLF's, not a blank line.
    cr: bool,
    /// The row of the record read next, when a seek moved there.
    row_after_seek: Option<u64>,
    /// Whether the next record is the first since the start or a seek:
    /// csv_core reads it, so that it takes off a byte order mark as the csv
    /// crate does, there only.
    fresh: bool,
    eof: Eof,
    /// csv_core's record, before it is written into `record`.
    cells: Vec<u8>,
    cell_ends: Vec<usize>,
    /// How many bytes at the start of what the buffer holds are known to
    /// hold no quote and no carriage return: found once for many lines
    /// (a dataset's lists have none), so that a line is searched for its
    /// line feed alone. At most what the buffer holds, so it is 0 when the
    /// buffer is filled again; 0 when not known.
    clear: usize,
}

impl<R: io::Read + Seek> Split<R> {
    pub fn new(input: R) -> Split<R> {
        Split::with_capacity(BUFFER, input)
    }

    pub fn with_capacity(capacity: usize, input: R) -> Split<R> {
        let start = Position { line: 1, byte: 0 };
        Split {
            input: BufReader::with_capacity(capacity, input),
            core: csv_core::Reader::new(),
            record: Vec::new(),
            held: None,
            ends: Vec::new(),
            plain: false,
            start,
            at: start,
            row: 0,
            rows: 0,
            cr: false,
            row_after_seek: None,
            fresh: true,
            eof: Eof::No,
            cells: vec![0; 1024],
            cell_ends: vec![0; 64],
            clear: 0,
        }
    }

    /// The record's bytes: its cells with a comma between each two.
    pub fn bytes(&self) -> &[u8] {
        match self.held {
            Some(n) => self.input.buffer().get(..n).unwrap_or_default(),
            None => &self.record,
        }
    }

    /// Where each cell of [`Split::bytes`] ends; the next starts one byte on.
    pub fn ends(&mut self) -> &[usize] {
        if self.plain {
            self.plain = false;
            let line = match self.held {
                Some(n) => self.input.buffer().get(..n).unwrap_or_default(),
                None => &self.record,
            };
            self.ends.extend(memchr_iter(b',', line));
            self.ends.push(line.len());
        }
        &self.ends
    }

    /// Whether the record is a line split at its commas here, its ends not
    /// asked yet: each comma in it ends a cell, and its last ends with it.
    pub fn plain(&self) -> bool {
        self.plain
    }

    /// The record's bytes and where each cell ends.
    pub fn parts(&mut self) -> (&[u8], &[usize]) {
        self.ends();
        (self.bytes(), &self.ends)
    }

    pub fn position(&self) -> Position {
        self.start
    }

    /// The row of a spreadsheet the record read is on: what a message
    /// about it says (`Split::row` above).
    pub fn row(&self) -> u64 {
        self.row
    }

    /// The cell in `column`, if the record has one.
    pub fn cell(&self, column: usize) -> Option<&[u8]> {
        let record = self.bytes();
        if self.plain {
            return record.split(|b| *b == b',').nth(column);
        }
        let end = *self.ends.get(column)?;
        let start = match column.checked_sub(1) {
            Some(before) => self.ends.get(before)? + 1,
            None => 0,
        };
        record.get(start..end)
    }

    /// Whether the cell in `column` is `value`, which holds no comma, as
    /// [`Split::cell`] would say: a plain line's first cell (a list's id,
    /// asked of every row on both walks) is compared in place, the line
    /// not split. The caller knows the value has no comma (it asks for one
    /// id over many rows); were there one, a plain line's first cell
    /// could end inside it.
    pub fn cell_is(&self, column: usize, value: &[u8]) -> bool {
        if !(self.plain && column == 0) {
            return self.cell(column) == Some(value);
        }
        let record = self.bytes();
        let head = record.get(..value.len()).unwrap_or_default();
        same(head, value) && matches!(record.get(value.len()), None | Some(b','))
    }

    /// Reads the next record; `false` past the last.
    pub fn read(&mut self) -> io::Result<bool> {
        self.release();
        if self.next_plain() {
            return Ok(true);
        }
        self.read_any()
    }

    /// The next record, of any kind, after the line ends before it. Not
    /// inlined into [`Split::read`]: the registers it needs cost a plain
    /// line's reading more than a tenth.
    #[inline(never)]
    fn read_any(&mut self) -> io::Result<bool> {
        self.record.clear();
        self.ends.clear();
        self.plain = false;
        self.start = self.at;
        if self.eof != Eof::No {
            return Ok(false);
        }
        let blank = if self.fresh {
            self.blank_lines_ahead()
        } else {
            self.pass_line_ends().map_err(|e| self.failed(e))?
        };
        self.row = (self.row_after_seek.take()).unwrap_or(self.rows + blank + 1);
        let read = self.read_record()?;
        if read {
            self.rows = self.row;
        }
        Ok(read)
    }

    /// Whether the next record was read as a plain line that starts where
    /// the last record ended (no line end before it) and ends within what
    /// the buffer holds known clear: as [`Split::read`] reads it, without
    /// the steps that pass line ends, fill the buffer and look for a quote
    /// (a list's rows are nearly all such lines, and the steps cost as
    /// much as finding the line's end).
    fn next_plain(&mut self) -> bool {
        if self.fresh || self.eof != Eof::No || self.row_after_seek.is_some() {
            return false;
        }
        let clear = self.input.buffer().get(..self.clear).unwrap_or_default();
        // A line feed first is a blank line; a carriage return is not in
        // what is clear.
        let Some(n) = line_feed(clear).filter(|n| *n > 0) else {
            return false;
        };
        self.record.clear();
        self.ends.clear();
        self.start = self.at;
        self.row = self.rows + 1;
        self.rows = self.row;
        self.held = Some(n);
        self.plain = true;
        self.cr = false;
        self.at.line += 1;
        self.at.byte += n as u64 + 1;
        true
    }

    /// The record after the line ends passed over.
    fn read_record(&mut self) -> io::Result<bool> {
        if !self.fresh {
            loop {
                match self.line() {
                    Ok(Line::Record) => return Ok(true),
                    Ok(Line::Blank) => continue,
                    Ok(Line::Other) => break,
                    Err(e) => return Err(self.failed(e)),
                }
            }
        }
        self.fresh = false;
        self.through_core()
    }

    /// Moves to `to`, as the csv crate's `seek` does: not at all when the
    /// next record starts there already. `row` is the row of the record
    /// there, as [`Split::row`] told it when the record was read before.
    pub fn seek(&mut self, to: Position, row: u64) -> io::Result<()> {
        self.release();
        if to.byte == self.at.byte {
            return Ok(());
        }
        self.clear = 0;
        self.input.seek(SeekFrom::Start(to.byte))?;
        self.core.reset();
        self.at = to;
        self.fresh = true;
        self.eof = Eof::No;
        self.row_after_seek = Some(row);
        Ok(())
    }

    /// The plain line read, left in the buffer, and its line feed
    /// consumed: what is held next is the next record's.
    fn release(&mut self) {
        if let Some(n) = self.held.take() {
            self.consume(n + 1);
        }
    }

    /// `n` bytes of the buffer passed, and as many fewer known clear.
    fn consume(&mut self, n: usize) {
        self.input.consume(n);
        self.clear = self.clear.saturating_sub(n);
    }

    /// Passes over the line ends before the next record, counting the
    /// blank lines among them (a line feed that ends a CRLF is none).
    fn pass_line_ends(&mut self) -> io::Result<u64> {
        let mut blank = 0;
        loop {
            let end = match self.input.fill_buf()?.first() {
                Some(b'\n') => {
                    blank += u64::from(!self.cr);
                    self.at.line += 1;
                    false
                }
                Some(b'\r') => {
                    blank += 1;
                    true
                }
                _ => return Ok(blank),
            };
            self.cr = end;
            self.consume(1);
            self.at.byte += 1;
        }
    }

    /// The blank lines at the start of what is held, left for csv_core to
    /// pass over: it reads the first record after the start or a seek, and
    /// takes off a byte order mark only there.
    fn blank_lines_ahead(&mut self) -> u64 {
        let Ok(held) = self.input.fill_buf() else {
            return 0;
        };
        let ends = held.iter().take_while(|b| matches!(b, b'\n' | b'\r'));
        let (mut blank, mut cr) = (0, self.cr);
        for &b in ends {
            blank += u64::from(b == b'\r' || !cr);
            cr = b == b'\r';
        }
        blank
    }

    fn failed(&mut self, e: io::Error) -> io::Error {
        self.eof = Eof::Failed;
        e
    }

    /// The next line, when it is a record that needs no csv_core: it ends
    /// in a line feed within the buffer and holds no quote (which may open
    /// a quoted cell) and no carriage return (which ends a record). A line
    /// feed alone is an empty line, passed over as csv_core passes it.
    /// The line feed is looked for only where the buffer is known clear of
    /// quotes and carriage returns (`clear`, found once for many lines):
    /// one search a line for any of the three cost some 75 instructions on
    /// a list's rows of 20 to 40 bytes, as much as the rest of the walk.
    /// The line read stays in the buffer (`held`).
    fn line(&mut self) -> io::Result<Line> {
        let buffer = self.input.fill_buf()?;
        if self.clear == 0 {
            self.clear = memchr2(b'"', b'\r', buffer).unwrap_or(buffer.len());
        }
        let Some(n) = line_feed(buffer.get(..self.clear).unwrap_or_default()) else {
            return Ok(Line::Other);
        };
        let kind = if n == 0 {
            self.consume(1);
            Line::Blank
        } else {
            self.held = Some(n);
            self.plain = true;
            self.cr = false;
            Line::Record
        };
        self.at.line += 1;
        self.at.byte += n as u64 + 1;
        Ok(kind)
    }

    /// The next record read by csv_core, as the csv crate reads it.
    fn through_core(&mut self) -> io::Result<bool> {
        use csv_core::ReadRecordResult as R;
        self.core.set_line(self.at.line);
        let (mut out, mut end) = (0, 0);
        // The last byte csv_core took: a carriage return ends the record
        // as a CR or the first half of a CRLF.
        let mut last = None;
        loop {
            let input = match self.input.fill_buf() {
                Ok(input) => input,
                Err(e) => return Err(self.failed(e)),
            };
            let cells = self.cells.get_mut(out..).unwrap_or_default();
            let ends = self.cell_ends.get_mut(end..).unwrap_or_default();
            let (result, nin, nout, nend) = self.core.read_record(input, cells, ends);
            if let Some(&byte) = nin.checked_sub(1).and_then(|i| input.get(i)) {
                last = Some(byte);
            }
            self.input.consume(nin);
            // Whatever the buffer holds next is not known clear.
            self.clear = 0;
            self.at.byte += nin as u64;
            self.at.line = self.core.line();
            out += nout;
            end += nend;
            match result {
                R::InputEmpty => {}
                R::OutputFull => self.cells.resize(2 * self.cells.len(), 0),
                R::OutputEndsFull => self.cell_ends.resize(2 * self.cell_ends.len(), 0),
                R::Record => {
                    self.cr = last == Some(b'\r');
                    self.join(end);
                    return Ok(true);
                }
                R::End => {
                    self.eof = Eof::Yes;
                    return Ok(false);
                }
            }
        }
    }

    /// csv_core's record of `n` cells (one after another) written into
    /// `record`, a comma between each two.
    fn join(&mut self, n: usize) {
        let mut start = 0;
        for &end in self.cell_ends.get(..n).unwrap_or_default() {
            if !self.ends.is_empty() {
                self.record.push(b',');
            }
            let cell = self.cells.get(start..end).unwrap_or_default();
            self.record.extend_from_slice(cell);
            self.ends.push(self.record.len());
            start = end;
        }
    }
}

/// A byte in each of a word's eight.
const ONES: u64 = 0x0101_0101_0101_0101;

/// How far [`line_feed`] looks a word at a time before `memchr` looks on.
const BY_WORDS: usize = 64;

/// Where the first line feed of `bytes` is. A list row is some 20 to 40
/// bytes: its first 64 are looked at eight at a time in a word, where a
/// call of `memchr` cost some 40 instructions more; a longer line (an
/// entity table's row) is left to `memchr` past them.
fn line_feed(bytes: &[u8]) -> Option<usize> {
    let head = bytes.get(..BY_WORDS).unwrap_or(bytes);
    let mut words = head.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let found = zero_bytes(u64::from_le_bytes(word.try_into().unwrap_or_default()));
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    let rest = bytes.get(at..).unwrap_or_default();
    memchr(b'\n', rest).map(|i| at + i)
}

/// Whether `a` and `b` are the same bytes, compared eight at a time in a
/// word: a list's id cell is compared with the unit's id (some ten bytes)
/// at every row, on both walks, where a call of `memcmp` cost more than
/// the comparison.
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    let word = |w: &[u8]| u64::from_le_bytes(w.try_into().unwrap_or_default());
    (&mut x).zip(&mut y).all(|(p, q)| word(p) == word(q))
        && (x.remainder().iter().zip(y.remainder())).all(|(p, q)| p == q)
}

/// The high bit of each byte of `word` that is a line feed, and no other
/// bit: XOR leaves such a byte zero, and each byte's low seven bits plus
/// 0x7F set its high bit exactly when they are not all zero, without a
/// carry into the next byte, so each byte is told alone.
#[inline]
fn zero_bytes(word: u64) -> u64 {
    let x = word ^ (ONES * u64::from(b'\n'));
    let low = ONES * 0x7F;
    !(((x & low) + low) | x) & (ONES * 0x80)
}

enum Line {
    /// A record, read.
    Record,
    /// An empty line, passed over.
    Blank,
    /// Anything else: for csv_core.
    Other,
}

#[cfg(test)]
mod tests {
    use super::{Position, Split, line_feed, same};
    use proptest::prelude::*;
    use std::io::Cursor;

    /// A record as both readers give it: its cells and where it starts.
    type Read = (Vec<Vec<u8>>, Position);

    fn csv_reader(bytes: &[u8], capacity: usize) -> csv::Reader<Cursor<Vec<u8>>> {
        csv::ReaderBuilder::new()
            .buffer_capacity(capacity)
            .flexible(true)
            .has_headers(false)
            .from_reader(Cursor::new(bytes.to_vec()))
    }

    fn csv_read(reader: &mut csv::Reader<Cursor<Vec<u8>>>, all: &mut Vec<Read>) -> bool {
        let mut record = csv::ByteRecord::new();
        let more = reader.read_byte_record(&mut record).unwrap();
        let p = record.position().unwrap();
        let at = Position {
            line: p.line(),
            byte: p.byte(),
        };
        all.push((record.iter().map(<[u8]>::to_vec).collect(), at));
        more
    }

    fn split_read(split: &mut Split<Cursor<Vec<u8>>>, all: &mut Vec<Read>) -> bool {
        let more = split.read().unwrap();
        let cell = |split: &Split<_>, i| split.cell(i).map(<[u8]>::to_vec);
        let asked: Vec<_> = (0..).map_while(|i| cell(split, i)).collect();
        let n = split.ends().len();
        let cells: Vec<_> = (0..=n).map_while(|i| cell(split, i)).collect();
        assert_eq!((&asked, n), (&cells, cells.len()));
        all.push((cells, split.position()));
        more
    }

    /// Every record read through, then (by a second reader, as a list is
    /// read again) two records from each of the places `seeks` picks.
    fn by_csv(bytes: &[u8], seeks: &[Position], capacity: usize) -> Vec<Read> {
        let (mut reader, mut all) = (csv_reader(bytes, capacity), Vec::new());
        while csv_read(&mut reader, &mut all) {}
        let mut again = csv_reader(bytes, capacity);
        for &to in seeks {
            let mut p = csv::Position::new();
            p.set_byte(to.byte).set_line(to.line);
            again.seek(p).unwrap();
            csv_read(&mut again, &mut all);
            csv_read(&mut again, &mut all);
        }
        all
    }

    fn by_split(bytes: &[u8], seeks: &[Position], capacity: usize) -> Vec<Read> {
        let split = || Split::with_capacity(capacity, Cursor::new(bytes.to_vec()));
        let (mut reader, mut all) = (split(), Vec::new());
        while split_read(&mut reader, &mut all) {}
        let mut again = split();
        // The csv crate reads the first row before its first seek.
        if !seeks.is_empty() {
            again.read().unwrap();
        }
        for &to in seeks {
            again.seek(to, 0).unwrap();
            split_read(&mut again, &mut all);
            split_read(&mut again, &mut all);
        }
        all
    }

    /// The row of every record, read through with a buffer of `capacity`.
    fn rows(bytes: &[u8], capacity: usize) -> Vec<u64> {
        let mut split = Split::with_capacity(capacity, Cursor::new(bytes.to_vec()));
        let mut rows = Vec::new();
        while split.read().unwrap() {
            rows.push(split.row());
        }
        rows
    }

    #[test]
    fn each_record_is_told_on_the_row_a_spreadsheet_shows_it() {
        let files: [(&[u8], &[u64]); 7] = [
            (b"id,x\n1,2\n3,4\n", &[1, 2, 3]),
            (b"id,x\r\n1,2\r\n3,4\r\n", &[1, 2, 3]),
            (b"id,x\r\n1,2\r\n3,4", &[1, 2, 3]),
            (b"id,x\r1,2\r3,4\r", &[1, 2, 3]),
            (b"id,x\n\n1,2\r\n\r\n3,4\n", &[1, 3, 5]),
            (b"id,x\r\n\"a\r\nb\",2\r\n3,4\r\n", &[1, 2, 3]),
            ("是,否\r\n甲,\"乙\r\n\"\r\n丙,丁\r\n".as_bytes(), &[1, 2, 3]),
        ];
        for (file, expected) in files {
            for capacity in [1, 2, 3, 5, 16, 64 * 1024] {
                let text = String::from_utf8_lossy(file);
                assert_eq!(
                    rows(file, capacity),
                    expected,
                    "{text:?}, buffer {capacity}"
                );
            }
        }
        // Blank lines before the first record are counted as far as the
        // buffer holds them (csv_core passes over them, so that it sees a
        // byte order mark where the csv crate does).
        assert_eq!(rows(b"\n\r\nid,x\n1,2\n", 16), [3, 4]);
        // A byte order mark is taken off when the first read holds it.
        assert_eq!(rows(b"\xEF\xBB\xBFid,x\r\n1,2\r\n", 16), [1, 2]);
    }

    #[test]
    fn a_record_moved_back_to_is_told_on_its_row_and_those_after_it_too() {
        let file = b"id,x\r\n\r\n1,2\r\n3,4\r\n5,6\r\n";
        let mut split = Split::with_capacity(4, Cursor::new(file.to_vec()));
        let mut read = Vec::new();
        while split.read().unwrap() {
            read.push((split.position(), split.row()));
        }
        assert_eq!(read.iter().map(|r| r.1).collect::<Vec<_>>(), [1, 3, 4, 5]);
        let rows: Vec<u64> = read.iter().map(|r| r.1).collect();
        for (i, &(at, row)) in read.iter().enumerate().rev() {
            split.seek(at, row).unwrap();
            let mut again = Vec::new();
            while split.read().unwrap() {
                again.push(split.row());
            }
            assert_eq!(again, rows[i..], "from record {i}");
        }
    }

    /// `cell_is` answers as comparing `cell` does, for a plain line's
    /// first cell (compared in place) and every other: a prefix of the
    /// cell, the cell and more, an empty cell.
    #[test]
    fn a_cell_is_a_value_exactly_when_it_reads_as_it() {
        let file = b"ab,c\nab\n,ab\n\"ab\",x\nab,c,d\n";
        let values: [&[u8]; 6] = [b"ab", b"a", b"abc", b"", b"c", b"x"];
        let mut split = Split::with_capacity(64, Cursor::new(file.to_vec()));
        let mut asked = 0;
        while split.read().unwrap() {
            for column in 0..3 {
                for value in values {
                    let read = split.cell(column) == Some(value);
                    assert_eq!(split.cell_is(column, value), read, "{column} {value:?}");
                    asked += usize::from(read);
                }
            }
        }
        assert_eq!(asked, 9);
    }

    fn agrees(bytes: &[u8], picks: &[usize]) {
        let mut starts = Vec::new();
        let mut reader = csv_reader(bytes, 8 * 1024);
        while csv_read(&mut reader, &mut starts) {}
        let seeks: Vec<Position> = (picks.iter()).map(|i| starts[i % starts.len()].1).collect();
        // With the same buffer: a byte order mark is taken off only when
        // the first read holds it whole.
        for capacity in [1, 2, 3, 5, 16, 64 * 1024] {
            let csv = by_csv(bytes, &seeks, capacity);
            let split = by_split(bytes, &seeks, capacity);
            let text = String::from_utf8_lossy(bytes);
            assert_eq!(split, csv, "{text:?}, buffer {capacity}");
        }
    }

    #[test]
    fn files_of_every_kind_read_as_the_csv_crate_reads_them() {
        let files: [&[u8]; 16] = [
            b"",
            b"\n",
            b"a",
            b"a,b\nc,d\n",
            b"a,b\r\nc,d\r\n",
            b"a,b\rc,d\r",
            b"\n\n a , b \n\n,\n,,x",
            b"\"a,b\",c\n\"d\"\"e\",f\n",
            b"\"multi\nline\",x\ny\n",
            b"a\"b,\"c\"d\n",
            b"\xEF\xBB\xBFid,x\n1,2\n",
            b"\xEF\xBB\xBF\"id\",x\n\xEF\xBB\xBF1,2\n",
            "是,否\n甲,\"乙\r\n\"\n".as_bytes(),
            b"\"unclosed,\nx\n",
            // Plain lines before and after a quote and a carriage return
            // further on: the lines before them are split here.
            b"a,b\nc,d\ne,\"f\ng\"\nh,i\rj,k\nl,m\nn,o\n",
            b"a,b\nc,d\n\r\ne,f\n\"x\"\n\ng,h\n",
        ];
        for file in files {
            agrees(file, &[]);
            agrees(file, &[1, 0, 2, 2, 1]);
        }
    }

    proptest! {
        /// The line feed found by words, then `memchr`, is the first.
        #[test]
        fn the_line_feed_found_is_the_first(
            bytes in prop::collection::vec(
                prop_oneof![
                    1 => Just(b'\n'), 4 => Just(b'\x0b'), 4 => Just(b'\x8a'), 4 => Just(b'\t'),
                    40 => any::<u8>(),
                ],
                0..150,
            ),
        ) {
            prop_assert_eq!(line_feed(&bytes), bytes.iter().position(|b| *b == b'\n'));
        }

        /// Bytes compared by words are the same exactly when they are.
        #[test]
        fn bytes_are_the_same_by_words_exactly_when_they_are(
            a in prop::collection::vec(prop_oneof![Just(b'a'), Just(b'b')], 0..20),
            b in prop::collection::vec(prop_oneof![Just(b'a'), Just(b'b')], 0..20),
        ) {
            prop_assert_eq!(same(&a, &b), a == b);
            prop_assert!(same(&a, &a));
        }

        #[test]
        fn any_bytes_read_as_the_csv_crate_reads_them(
            parts in prop::collection::vec(
                prop_oneof![
                    Just(&b","[..]), Just(&b"\""[..]), Just(&b"\n"[..]), Just(&b"\r"[..]),
                    Just(&b"\r\n"[..]), Just(&b"ab"[..]), Just("是".as_bytes()),
                    Just(&b"\xEF\xBB\xBF"[..]), Just(&b"\xFF"[..]), Just(&b" "[..]),
                ],
                0..40,
            ),
            seeks in prop::collection::vec(0usize..8, 0..4),
        ) {
            agrees(&parts.concat(), &seeks);
        }
    }
}
