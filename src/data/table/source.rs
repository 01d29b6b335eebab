//! What a format (CSV, XLSX) hands the table reader: a table's place,
//! header and rows, each row's cells as the format read them, and the ways
//! back to a row (read again, walked).

use crate::data::{Cell, blank};
use crate::diagnostic::{Diagnostic, Text};

/// A row of a table.
#[derive(Clone)]
pub struct Row {
    /// Its number as a spreadsheet shows it (1 = the header).
    pub line: usize,
    /// Where it starts, for [`Reread::row_at`]: a byte offset in a CSV
    /// file, an index among a sheet's rows.
    pub at: u64,
    pub cells: Cells,
}

/// A row's cells as its format read them: a CSV row's texts (in one
/// buffer, read in place, never copied cell by cell) or a sheet's values.
#[derive(Clone)]
pub enum Cells {
    /// The cells' texts with a comma between each two, as a CSV row's
    /// bytes mostly lie (a comma within a cell stays); cell `i` is
    /// `text[bounds[i]..bounds[i + 1] - 1]`.
    Text {
        text: String,
        bounds: Bounds,
    },
    Sheet(Vec<Held>),
}

/// A sheet's cell as read, for [`Cell`] to borrow.
#[derive(Clone, Debug)]
pub enum Held {
    Empty,
    Text(String),
    Number(String),
    /// A number shown as a percentage: [`Cell::Percent`].
    Percent(String),
    Bool(bool),
    /// A date cell whose number is no date: [`Cell::BadDate`].
    BadDate(String),
}

impl Held {
    fn cell(&self) -> Option<Cell<'_>> {
        match self {
            Held::Empty => None,
            Held::Text(s) => Some(Cell::Text(s)),
            Held::Number(n) => Some(Cell::Number(n)),
            Held::Percent(n) => Some(Cell::Percent(n)),
            Held::Bool(b) => Some(Cell::Bool(*b)),
            Held::BadDate(n) => Some(Cell::BadDate(n)),
        }
    }
}

/// How many bounds a row keeps in place: a list row's (the 2024 table's
/// have 3 to 5 cells) is read without allocating them.
const IN_PLACE: usize = 8;

/// Where a CSV row's cells start, and one past the comma after the last:
/// in place for a row of up to seven cells, as list rows are, else on the
/// heap.
#[derive(Clone)]
pub enum Bounds {
    InPlace { len: usize, ends: [usize; IN_PLACE] },
    Heap(Vec<usize>),
}

impl Bounds {
    /// Room for `n` bounds, in place when they fit.
    pub fn with_capacity(n: usize) -> Bounds {
        if n <= IN_PLACE {
            Bounds::InPlace {
                len: 0,
                ends: [0; IN_PLACE],
            }
        } else {
            Bounds::Heap(Vec::with_capacity(n))
        }
    }

    pub fn as_slice(&self) -> &[usize] {
        match self {
            Bounds::InPlace { len, ends } => ends.get(..*len).unwrap_or_default(),
            Bounds::Heap(v) => v,
        }
    }
}

/// A CSV cell as kaohe wrote it, without the `'` that kaohe's CSV writers
/// put before a text beginning `=`, `+`, `-`, `@`, TAB or CR so that a
/// spreadsheet takes it as text (escape::csv_cell, docs/security.md):
/// a filled template reads back as it was filled.
pub(in crate::data) fn unformula(cell: &str) -> &str {
    match cell.as_bytes() {
        [b'\'', b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r', ..] => cell.get(1..).unwrap_or(cell),
        _ => cell,
    }
}

impl Cells {
    /// The cell in `column`; `None` when it is empty or past the row's end.
    pub fn get(&self, column: usize) -> Option<Cell<'_>> {
        match self {
            Cells::Text { text, bounds } => Line::new(text, bounds.as_slice()).get(column),
            Cells::Sheet(values) => values.get(column).and_then(Held::cell),
        }
    }

    pub(super) fn len(&self) -> usize {
        match self {
            Cells::Text { bounds, .. } => bounds.as_slice().len().saturating_sub(1),
            Cells::Sheet(values) => values.len(),
        }
    }
}

/// A row's cells as the reading of a table asks for them: a row read
/// ([`Cells`]) or a CSV row read where it lies ([`Line`]), so that whose a
/// row is and its record are read the same way from either.
pub trait RowCells {
    /// The cell in `column`; `None` when it is empty or past the row's end.
    fn cell(&self, column: usize) -> Option<Cell<'_>>;
    /// How many cells the row has.
    fn count(&self) -> usize;
}

impl RowCells for Cells {
    fn cell(&self, column: usize) -> Option<Cell<'_>> {
        self.get(column)
    }

    fn count(&self) -> usize {
        self.len()
    }
}

impl<T: RowCells + ?Sized> RowCells for &T {
    fn cell(&self, column: usize) -> Option<Cell<'_>> {
        (**self).cell(column)
    }

    fn count(&self) -> usize {
        (**self).count()
    }
}

/// A CSV row's cells read where they lie, in a text that may hold other
/// rows: cell `i` is `text[bounds[i]..bounds[i + 1] - 1]` (a comma, or a
/// row's end, after each). The pool reads an entity's kept list rows so,
/// without a text or bounds of their own per row ([`Cells::Text`]'s).
#[derive(Clone, Copy)]
pub struct Line<'t> {
    text: &'t str,
    bounds: &'t [usize],
}

impl<'t> Line<'t> {
    pub fn new(text: &'t str, bounds: &'t [usize]) -> Line<'t> {
        Line { text, bounds }
    }

    /// The cell in `column`; `None` when it is empty or past the row's end.
    #[inline]
    pub fn get(&self, column: usize) -> Option<Cell<'t>> {
        let &[start, next] = self.bounds.get(column..column + 2)? else {
            return None;
        };
        let cell = unformula(self.text.get(start..next.checked_sub(1)?)?);
        Some(Cell::Text(cell)).filter(|_| !blank(cell))
    }

    pub fn len(&self) -> usize {
        self.bounds.len().saturating_sub(1)
    }
}

impl RowCells for Line<'_> {
    fn cell(&self, column: usize) -> Option<Cell<'_>> {
        self.get(column)
    }

    fn count(&self) -> usize {
        self.len()
    }
}

/// A list table read a second time, one entity's rows at a time.
pub trait Reread {
    /// The row that the first reading found at `line`, starting at `at`.
    fn row_at(&mut self, line: usize, at: u64) -> Result<Row, Diagnostic>;
}

/// A table's rows read once more, where the format reads them cheaply
/// (CSV), for whose each is: every row is read into the same buffer and
/// looked at only for its id and whether it can be read, so that the walk
/// makes nothing per row. For a row that can be read, `id` is `Some`
/// exactly when [`whose`] answers [`Whose::Of`], with the same id.
pub trait Walk {
    /// Moves to the next row; `false` past the last.
    fn advance(&mut self) -> bool;
    /// The id in `column` of the row moved to, when its cell holds one
    /// (text, neither blank nor a '#' note), the rest of the row unread.
    fn id(&self, column: Option<usize>) -> Option<&str>;
    /// Whether the row moved to can be read, as the reading reads it.
    fn readable(&mut self) -> bool;
    /// Whether [`Walk::id`] would answer `id` (an id as [`whose`] reads
    /// it): asked of every row of a list, twice, where nearly every row
    /// names the entity before it, so a walk may answer without reading
    /// the cell as text. `true` only when it would.
    fn names(&self, column: Option<usize>, id: &Name) -> bool {
        self.id(column) == Some(id.id)
    }
    /// The row moved to, by its number as a message names it.
    fn line(&self) -> usize;
    /// Nothing kept yet, for [`Walk::keep`].
    fn kept(&self) -> Kept;
    /// The row moved to kept in `into` as it was found, its cells unread;
    /// `named`: [`Walk::names`] answered the entity's id for it.
    fn keep(&mut self, into: &mut Kept, named: bool);
    /// Moves on row by row, keeping each row that [`Walk::names`] `id`
    /// in `into` as [`Walk::keep`] keeps it (named), up to the first that
    /// does not, moved to and not kept: `true`; `false` past the last row.
    /// A unit's rows name it one after another: a walk may keep them in
    /// a loop of its own, without a call through `dyn Walk` a method a row.
    fn keep_named(&mut self, into: &mut Kept, column: Option<usize>, id: &Name) -> bool {
        while self.advance() {
            if !self.names(column, id) {
                return true;
            }
            self.keep(into, true);
        }
        false
    }
}

/// An id that a walk looks for in rows' id cells ([`Walk::names`]), with
/// what it needs to compare the cells' bytes with it worked out once an
/// id, not once a row.
pub struct Name<'i> {
    pub id: &'i str,
    /// Whether a cell whose bytes are the id's reads as the id: the id is
    /// not empty, holds no comma (which ends a cell of a plain CSV line)
    /// and does not begin with the `'` that [`unformula`] may take off.
    pub bare: bool,
}

impl<'i> Name<'i> {
    pub fn new(id: &'i str) -> Name<'i> {
        let bare = !id.is_empty() && !id.starts_with('\'') && !id.contains(',');
        Name { id, bare }
    }
}

/// An entity's rows of a list table as the calling thread found them on
/// its walk, not yet read: each row's bytes (its cells with a comma between
/// each two, as the format read them), one after another in one buffer, and
/// where its cells end. The task that reads the entity reads them where
/// they lie (`ListRows::read`, into [`Line`]s): the check that each is
/// UTF-8 and the question whose it is are then the pool's, where they were
/// the calling thread's (a third of its time, with `malloc`).
pub struct Kept {
    pub(super) bytes: Vec<u8>,
    pub(super) ends: Vec<usize>,
    pub(super) rows: Vec<KeptRow>,
    /// A row that could not be read at all (the file failed): the last.
    /// Boxed: a unit's every list holds a `Kept`, and a diagnostic is large.
    pub(super) failed: Option<Box<Diagnostic>>,
    /// Bytes as text, `None` when they are not UTF-8: the format's check.
    pub(super) text: fn(&[u8]) -> Option<&str>,
    /// The problem of a row that is not UTF-8, at the table's place and
    /// the row's number.
    pub(super) spoilt: fn(&Text, usize) -> Diagnostic,
    /// The room made at the first row kept ([`Kept::with_room`]).
    room: Room,
}

/// How many bytes, ends and rows [`Kept`] holds.
pub(super) type Room = (usize, usize, usize);

/// Where a kept row is: its number, and where its bytes and ends stop in
/// [`Kept`]'s (each starts where the one before stopped). Its start in the
/// file is not kept: a kept row is never read again.
pub(super) struct KeptRow {
    pub(super) line: usize,
    pub(super) bytes: usize,
    pub(super) ends: usize,
    /// A plain line: its ends are its commas, none kept.
    pub(super) plain: bool,
    /// The walk found its id cell naming the entity ([`Walk::names`]):
    /// it is the entity's, when it can be read, without asking `whose`.
    pub(super) named: bool,
}

impl Kept {
    /// Nothing kept, checked for UTF-8 by `text` and a row that is not
    /// told by `spoilt`.
    pub fn new(text: fn(&[u8]) -> Option<&str>, spoilt: fn(&Text, usize) -> Diagnostic) -> Kept {
        Kept {
            bytes: Vec::new(),
            ends: Vec::new(),
            rows: Vec::new(),
            failed: None,
            text,
            spoilt,
            room: (0, 0, 0),
        }
    }

    /// A row kept: its number, bytes and the ends of its cells (`None`
    /// for a plain line, whose cells each comma ends), and whether the walk
    /// found it naming the entity ([`KeptRow::named`]).
    #[inline]
    pub fn push(&mut self, line: usize, bytes: &[u8], ends: Option<&[usize]>, named: bool) {
        if self.rows.capacity() == 0 {
            self.make_room();
        }
        self.bytes.extend_from_slice(bytes);
        self.ends.extend_from_slice(ends.unwrap_or_default());
        self.rows.push(KeptRow {
            line,
            bytes: self.bytes.len(),
            ends: self.ends.len(),
            plain: ends.is_none(),
            named,
        });
    }

    /// Room for as many rows, bytes and ends as `like` kept, made at the
    /// first row kept (a unit without rows here makes none), so that a
    /// unit's rows are kept without growing the buffers again and again
    /// (which was most of what keeping cost the calling thread): the next
    /// unit's rows are often about as many.
    pub(super) fn with_room(mut self, room: Room) -> Kept {
        self.room = room;
        self
    }

    /// The room of [`Kept::with_room`] made, a quarter more: room made
    /// exactly was outgrown by every unit a little larger than the last,
    /// and a buffer grown is copied (a tenth of the calling thread's work).
    fn make_room(&mut self) {
        let (bytes, ends, rows) = self.room;
        let more = |n: usize| n + n / 4;
        self.bytes.reserve(more(bytes));
        self.ends.reserve(more(ends));
        self.rows.reserve(more(rows).max(1));
    }

    /// How many bytes, ends and rows were kept, to make room for as many.
    pub(super) fn room(&self) -> Room {
        (self.bytes.len(), self.ends.len(), self.rows.len())
    }

    /// The room to make for the next unit's rows: as much as these took,
    /// or as was made for these when none were kept. A list where many
    /// units have no rows made room for none after each of them, and the
    /// next unit's rows grew their buffers from nothing. (Keeping half the
    /// room of a large unit for the units after it grew the buffers less
    /// often still, but held 7 MB more at 20,000 dense units.)
    pub(super) fn room_after(&self, before: Room) -> Room {
        if self.rows.is_empty() {
            return before;
        }
        self.room()
    }

    /// The row that could not be read, the file's last.
    pub fn fail(&mut self, d: Diagnostic) {
        self.failed = Some(Box::new(d));
    }

    /// How many rows were kept.
    pub(super) fn len(&self) -> usize {
        self.rows.len() + usize::from(self.failed.is_some())
    }
}

/// A table's rows on the walk; sent to the pool, which walks the lists
/// for their order one task a list.
pub type Walked<'a> = Box<dyn Walk + Send + 'a>;

/// A list input's table and the way back to its rows.
pub struct ListSource<'a> {
    pub table: Table<'a>,
    pub again: Box<dyn Reread + 'a>,
    /// The rows once more, to learn beforehand whether they are in the
    /// entities' order.
    pub check: Option<Walked<'a>>,
    /// The rows once more, for a list in the entities' order whose rows
    /// are found on the calling thread and read on the pool ([`Kept`]):
    /// `None` where the format reads them on instead.
    pub keep: Option<Walked<'a>>,
}

/// The rows of one table, each either cells or a problem reading them.
pub type Rows<'a> = Box<dyn Iterator<Item = Result<Row, Diagnostic>> + 'a>;

/// A table before reading: where it is (for messages), its header and rows.
pub struct Table<'a> {
    /// "mixed.csv" or "mixed.xlsx, sheet 数据".
    pub place: Text,
    pub header: Vec<String>,
    pub rows: Rows<'a>,
    /// Warnings about how the table was found: rows above its header row
    /// skipped, an encoding other than UTF-8.
    pub notes: Vec<Diagnostic>,
}

/// Where a list input's rows would be, when they are not there.
pub struct Absent {
    pub input: String,
    /// "mixed/fire_points.csv" or "sheet fire_points of mixed.xlsx".
    pub place: Text,
}
