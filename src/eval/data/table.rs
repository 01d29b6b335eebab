//! Rows of cells → entities: the shape that CSV files and XLSX workbooks
//! share. One table holds one row per entity and a column per scalar input;
//! every list input has a table of its own whose rows carry the entity id.
//!
//! The entity table is read one row at a time, so that memory does not grow
//! with the number of entities. A list table is read twice: once through,
//! to find where each entity's rows are, then again one entity at a time
//! ([`Reread`]), so that what is held per list row is its place, not its
//! cells.

use super::{Cell, Entity, Places, Reader, blank, trim};
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::ir::{Field, Program, Record, Ty, Value};
use crate::t;
use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::BuildHasher;
use std::iter::Peekable;
use std::num::NonZeroU32;
use std::sync::Arc;

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
/// spreadsheet takes it as text (output::escape::csv_cell, docs/security.md):
/// a filled template reads back as it was filled.
pub(super) fn unformula(cell: &str) -> &str {
    match cell.as_bytes() {
        [b'\'', b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r', ..] => cell.get(1..).unwrap_or(cell),
        _ => cell,
    }
}

impl Cells {
    /// The cell in `column`; `None` when it is empty or past the row's end.
    pub fn get(&self, column: usize) -> Option<Cell<'_>> {
        match self {
            Cells::Text { text, bounds } => {
                let &[start, next] = bounds.as_slice().get(column..column + 2)? else {
                    return None;
                };
                let cell = unformula(text.get(start..next.checked_sub(1)?)?);
                Some(Cell::Text(cell)).filter(|_| !blank(cell))
            }
            Cells::Sheet(values) => values.get(column).and_then(Held::cell),
        }
    }

    fn len(&self) -> usize {
        match self {
            Cells::Text { bounds, .. } => bounds.as_slice().len().saturating_sub(1),
            Cells::Sheet(values) => values.len(),
        }
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
}

/// A table's rows on the walk.
pub type Walked<'a> = Box<dyn Walk + 'a>;

/// A list input's table and the way back to its rows.
pub struct ListSource<'a> {
    pub table: Table<'a>,
    pub again: Box<dyn Reread + 'a>,
    /// The rows once more, to learn beforehand whether they are in the
    /// entities' order.
    pub check: Option<Walked<'a>>,
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

/// The entities of a dataset, streamed: every problem comes as an `Err`,
/// warnings included, before the entity it concerns; an entity with an
/// error never comes as `Ok`.
pub struct Entities<'a> {
    program: &'a Program,
    file: String,
    place: Text,
    /// The column of every input, by slot.
    columns: Vec<Option<usize>>,
    id_column: Option<usize>,
    rows: Rows<'a>,
    /// Per list input, where each entity's records are.
    lists: Vec<ListTable<'a>>,
    reported: HashSet<String>,
    /// The row of every id read so far, by the id's digest.
    seen: Seen,
    pending: VecDeque<Result<Entity, Diagnostic>>,
    /// A problem with the whole file: no entity is scored.
    broken: bool,
    done: bool,
    /// `kaohe eval --strict`: what is read on a guess is an error.
    strict: bool,
}

/// A list input's table, indexed: per entity id, the line and start of
/// each of its rows, read again when the entity comes.
struct ListTable<'a> {
    input: String,
    slot: usize,
    place: Text,
    id_column: Option<usize>,
    /// Per field: its name and column.
    columns: Vec<(String, Option<usize>)>,
    found: Found<'a>,
    /// The list of no records, shared by every entity without rows here:
    /// an empty shared slice is still an allocation of its own.
    empty: Arc<[Record]>,
}

/// The ids read so far, to find one given twice, each kept as a 128-bit
/// digest (two SipHash keys drawn at random), so that two different ids
/// are taken for one with a chance of about n²/2¹²⁹ — below 10⁻²⁶ for a
/// million. A CSV entity file is walked before it is read: its digests are
/// sorted once into `known`, and the row where each was read sits beside
/// it in `rows`, 20 bytes an entity in all, sized exactly. An id the walk
/// did not see (a sheet is not walked; a file may change) goes to `more`.
#[derive(Default)]
struct Seen {
    keys: (RandomState, RandomState),
    known: Vec<u128>,
    rows: Vec<Option<NonZeroU32>>,
    more: HashMap<u128, usize>,
}

impl Seen {
    fn digest(&self, id: &str) -> u128 {
        (u128::from(self.keys.0.hash_one(id)) << 64) | u128::from(self.keys.1.hash_one(id))
    }

    /// An id met on the walk.
    fn walk(&mut self, id: &str) {
        let digest = self.digest(id);
        self.known.push(digest);
    }

    /// After the walk: `known` sorted, to be searched, each digest once.
    fn walked(&mut self) {
        self.known.sort_unstable();
        self.known.dedup();
        self.rows = vec![None; self.known.len()];
    }

    /// The row where `id` was first read, or `None` when `id` is new (and
    /// is now noted as read in `row`).
    fn first(&mut self, id: &str, row: usize) -> Option<usize> {
        let digest = self.digest(id);
        let known = (self.known.binary_search(&digest).ok()).and_then(|i| self.rows.get_mut(i));
        if let Some(Some(first)) = known.as_deref() {
            return usize::try_from(first.get()).ok();
        }
        if let Some(&first) = self.more.get(&digest) {
            return Some(first);
        }
        let small = u32::try_from(row).ok().and_then(NonZeroU32::new);
        match (known, small) {
            (Some(slot), Some(row)) => *slot = Some(row),
            _ => {
                self.more.insert(digest, row);
            }
        }
        None
    }
}

/// How a list table's rows are found when their entity comes.
enum Found<'a> {
    /// They come grouped by entity, in the entities' order: read on.
    InOrder(Peekable<Rows<'a>>),
    /// In any order: where each entity's rows start, read again by seeking.
    Indexed {
        by_id: HashMap<String, Vec<(usize, u64)>>,
        again: Box<dyn Reread + 'a>,
    },
}

/// Whether each list's rows come grouped by entity in the order of the
/// entity table (a list read beside it then needs no index): walking the
/// entity ids, each list is read on past the rows of each id, and is in
/// order when nothing is left. Rows without an id, empty rows and rows
/// that cannot be read are passed over here; the reading proper reports
/// them.
fn in_order(
    mut main: Walked<'_>,
    main_id: Option<usize>,
    lists: Vec<Option<(Walked<'_>, Option<usize>)>>,
    seen: &mut Seen,
) -> Vec<bool> {
    let mut lists: Vec<Option<Ahead>> = (lists.into_iter())
        .map(|l| {
            l.map(|(rows, column)| Ahead {
                rows,
                column,
                held: false,
            })
        })
        .collect();
    while main.advance() {
        if !main.readable() {
            continue;
        }
        let Some(id) = main.id(main_id) else {
            continue;
        };
        seen.walk(id);
        for list in lists.iter_mut().flatten() {
            list.pass(Some(id));
        }
    }
    seen.walked();
    let mut done = Vec::with_capacity(lists.len());
    for list in &mut lists {
        done.push(list.as_mut().is_some_and(|list| {
            list.pass(None);
            !list.held
        }));
    }
    done
}

/// A list's rows on the walk, with the row that [`Ahead::pass`] stopped
/// at held to be looked at again.
struct Ahead<'w> {
    rows: Walked<'w>,
    column: Option<usize>,
    /// Whether the row moved to is not passed yet.
    held: bool,
}

impl Ahead<'_> {
    /// Read on past the rows of `id` (and the rows that belong to no one),
    /// as [`pass`] does; the row stopped at is held. Whether a row can be
    /// read is asked only of a row of another id, the only one it decides.
    fn pass(&mut self, id: Option<&str>) {
        loop {
            if !self.held && !self.rows.advance() {
                return;
            }
            let other = (self.rows.id(self.column)).is_some_and(|other| Some(other) != id);
            self.held = other && self.rows.readable();
            if self.held {
                return;
            }
        }
    }
}

/// Read on past the rows of `id` (and the rows that belong to no one).
fn pass(rows: &mut Peekable<Rows>, column: Option<usize>, id: Option<&str>) {
    while let Some(next) = rows.peek() {
        let passed = match next {
            Err(_) => true,
            Ok(row) => match whose(&row.cells, column) {
                Whose::Skipped | Whose::NoOne | Whose::Total => true,
                Whose::Of(other) => Some(other) == id,
            },
        };
        if !passed {
            return;
        }
        rows.next();
    }
}

fn no_id(place: &Text, line: usize) -> Diagnostic {
    Diagnostic::new(
        Code::DataShape,
        t!(
            "{}, row {line}: no id; every row of a list names the assessed unit it belongs to",
            "{} 第 {line} 行：没有 id；列表的每一行都要写明所属的被考核单位",
            place
        ),
    )
}

/// Column letters as spreadsheets show them: 0 → A, 26 → AA.
pub fn column_name(mut index: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn place_of(table: &Text, row: usize, column: usize, name: &str) -> Text {
    let column = column_name(column);
    t!(
        "{}, row {row}, column {column} ({name})",
        "{} 第 {row} 行第 {column} 列（{name}）",
        table
    )
}

/// Whose a row is, by its cell in the id column.
pub(super) enum Whose<'r> {
    /// A row the template writes under the header for people (its id cell
    /// begins with '#'), or a row left empty: passed over.
    Skipped,
    /// A row without an id.
    NoOne,
    /// A row of totals under the data (its id cell says 合计, 总计, 小计 or
    /// total): passed over, with a warning in the entities' table.
    Total,
    Of(&'r str),
}

/// Whether an id cell's text marks a row of totals.
pub(super) fn total(id: &str) -> bool {
    let id: String = id.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(
        id.to_lowercase().as_str(),
        "合计"
            | "总计"
            | "小计"
            | "合計"
            | "總計"
            | "total"
            | "sum"
            | "全市合计"
            | "全县合计"
            | "合计："
    )
}

pub(super) fn whose(cells: &Cells, column: Option<usize>) -> Whose<'_> {
    let empty = |c: Option<Cell>| match c {
        None => true,
        Some(Cell::Text(s)) => blank(s),
        Some(_) => false,
    };
    // The id cell trimmed once; a row with an id is not empty, so only a
    // row without one is looked at whole.
    match column.and_then(|c| cells.get(c)) {
        Some(Cell::Text(s)) if !blank(s) => match trim(s) {
            id if id.starts_with('#') => Whose::Skipped,
            id if total(id) => Whose::Total,
            id => Whose::Of(id),
        },
        Some(Cell::Number(n) | Cell::Percent(n)) => Whose::Of(n),
        Some(Cell::Bool(_) | Cell::Other(_) | Cell::BadDate(_)) => Whose::NoOne,
        _ if (0..cells.len()).all(|i| empty(cells.get(i))) => Whose::Skipped,
        _ => Whose::NoOne,
    }
}

/// The text of a row's id cell, for a message.
fn whose_text(cells: &Cells, column: Option<usize>) -> String {
    match column.and_then(|c| cells.get(c)) {
        Some(Cell::Text(s)) => trim(s).to_string(),
        _ => String::new(),
    }
}

fn id_of(cell: Option<Cell<'_>>) -> Option<&str> {
    match cell? {
        Cell::Text(s) if !trim(s).is_empty() && !total(trim(s)) => Some(trim(s)),
        Cell::Number(n) | Cell::Percent(n) => Some(n),
        _ => None,
    }
}

impl<'a> Entities<'a> {
    /// `file` names the dataset in diagnostics; `lists` has a table, or
    /// where it was looked for, for every list input.
    pub fn new(
        program: &'a Program,
        file: &str,
        main: Table<'a>,
        again: Option<Walked<'a>>,
        mut lists: Vec<(String, Result<ListSource<'a>, Absent>)>,
        strict: bool,
    ) -> Entities<'a> {
        let mut me = Entities {
            program,
            file: file.to_string(),
            place: main.place.clone(),
            columns: Vec::new(),
            id_column: None,
            rows: main.rows,
            lists: Vec::new(),
            reported: HashSet::new(),
            seen: Seen::default(),
            pending: VecDeque::new(),
            broken: false,
            done: false,
            strict,
        };
        for d in main.notes {
            me.problem(d);
        }
        me.header(&main.header);
        let checks = (lists.iter_mut())
            .map(|(_, l)| {
                let source = l.as_mut().ok()?;
                let id = source.table.header.iter().position(|h| h.trim() == "id");
                Some((source.check.take()?, id))
            })
            .collect();
        let ordered = match again {
            Some(main) => in_order(main, me.id_column, checks, &mut me.seen),
            None => Vec::new(),
        };
        for (i, (input, list)) in lists.into_iter().enumerate() {
            match list {
                Ok(source) => {
                    let in_order = ordered.get(i).copied().unwrap_or(false);
                    me.list_table(&input, source, in_order);
                }
                Err(absent) => me.absent(absent),
            }
        }
        me
    }

    fn problem(&mut self, d: Diagnostic) {
        let d = if self.strict { super::strict(d) } else { d };
        if d.is_error() {
            self.broken |= matches!(
                d.code,
                Code::SheetMissing
                    | Code::ColumnMissing
                    | Code::TableUnreadable
                    | Code::DuplicateColumn
            ) || (d.code != Code::RateFraction && super::guessed(&d));
        }
        self.pending.push_back(Err(d.in_file(&self.file)));
    }

    /// A column the reading needs (`needed`) headed twice: which of them
    /// holds the data cannot be told, so the table is not read.
    fn twice(&mut self, place: &Text, header: &[String], needed: impl Fn(&str) -> bool) {
        for (i, h) in header.iter().enumerate() {
            let h = h.trim();
            if h.is_empty() || !needed(h) {
                continue;
            }
            let first = header.iter().position(|other| other.trim() == h);
            let Some(first) = first.filter(|f| *f < i) else {
                continue;
            };
            let (a, b) = (column_name(first), column_name(i));
            self.problem(
                Diagnostic::new(
                    Code::DuplicateColumn,
                    t!(
                        "{}: columns {a} and {b} are both headed `{h}`; kaohe cannot tell which one holds the data",
                        "{}：第 {a} 列和第 {b} 列的表头都是“{h}”；kaohe 无法判断哪一列是要读取的数据",
                        place
                    ),
                )
                .with_help(t!(
                    "delete the column that should not be read, or rename its header",
                    "请删除不应读取的那一列，或修改其表头"
                )),
            );
        }
    }

    /// A row of totals (合计) in the entities' table: passed over, told.
    fn total_row(&mut self, line: usize, cells: &Cells) {
        let id = whose_text(cells, self.id_column);
        self.problem(
            Diagnostic::new(
                Code::TotalRow,
                t!(
                    "{}, row {line}: \"{id}\" is read as a row of totals, not an assessed unit; it was skipped",
                    "{} 第 {line} 行：“{id}”被视为合计行而不是被考核单位，已跳过",
                    self.place
                ),
            )
            .with_help(t!(
                "nothing needs doing if that row sums the others; if a unit is really named so, rename it",
                "如果该行是其他行的合计，无需处理；如果确有被考核单位叫这个名字，请改名"
            )),
        );
    }

    fn header(&mut self, header: &[String]) {
        let program = self.program;
        let place = self.place.clone();
        self.twice(&place, header, |h| {
            h == "id" || program.inputs.iter().any(|i| i.name == h)
        });
        let find = |name: &str| header.iter().position(|h| h.trim() == name);
        self.id_column = find("id");
        if self.id_column.is_none() {
            self.problem(
                Diagnostic::new(
                    Code::ColumnMissing,
                    t!("{}: no column `id` in the header row", "{}：表头行中没有“id”列", self.place),
                )
                .with_help(t!("the first row names the columns; write `id` over the column of the assessed units' names", "第一行是列名；请在被考核单位名称所在列的表头写“id”")),
            );
        }
        for (i, h) in header.iter().enumerate() {
            let h = h.trim();
            if h != "id" && !h.is_empty() && !program.inputs.iter().any(|x| x.name == h) {
                let help =
                    crate::diagnostic::suggest(h, program.inputs.iter().map(|x| x.name.as_str()))
                        .map(|s| t!("did you mean `{s}`?", "是否应为“{s}”？"));
                let mut d = Diagnostic::new(
                    Code::UnknownDatum,
                    t!(
                        "{}, column {} (`{h}`): the spec has no input of this name; the column is ignored",
                        "{} 第 {} 列（“{h}”）：规则文件中没有这个名称的数据项，该列已忽略",
                        self.place,
                        column_name(i)
                    ),
                );
                if let Some(help) = help {
                    d = d.with_help(help);
                }
                self.problem(d);
            }
        }
        for input in &program.inputs {
            let col = find(&input.name);
            let list = matches!(input.ty, Ty::List(_));
            if col.is_none() && !list && !input.optional && input.default.is_none() {
                self.reported.insert(input.name.clone());
                self.problem(
                    Diagnostic::new(
                        Code::ColumnMissing,
                        t!(
                            "{}: no column `{}` ({}) in the header row",
                            "{}：表头行中没有“{}”列（{}）",
                            self.place,
                            input.name,
                            super::describe(input)
                        ),
                    )
                    .with_help(t!(
                        "add a column headed `{}`; `kaohe template` writes every column",
                        "请增加表头为“{}”的一列；`kaohe template` 会生成全部列",
                        input.name
                    )),
                );
            }
            self.columns.push(if list { None } else { col });
        }
    }

    fn absent(&mut self, absent: Absent) {
        let Some(input) = self.program.inputs.iter().find(|i| i.name == absent.input) else {
            return;
        };
        if input.optional || input.default.is_some() {
            return;
        }
        self.reported.insert(input.name.clone());
        self.problem(
            Diagnostic::new(
                Code::SheetMissing,
                t!(
                    "{} is missing: it holds the list `{}`, {}",
                    "缺少 {}：它存放列表“{}”（{}）",
                    absent.place,
                    input.name,
                    input.description
                ),
            )
            .with_help(t!("add it with a header row of `id` and the list's fields; `kaohe template` writes it, and it may hold no rows", "请补上该表，表头行为“id”和列表的各字段；`kaohe template` 可生成它，表中可以没有数据行")),
        );
    }

    fn list_table(&mut self, input: &str, source: ListSource<'a>, in_order: bool) {
        let ListSource { table, again, .. } = source;
        let name = table.place.clone();
        for d in table.notes {
            self.problem(d);
        }
        let program = self.program;
        let Some((slot, input)) =
            (program.inputs.iter().enumerate()).find(|(_, i)| i.name == input)
        else {
            return;
        };
        let input_name = input.name.clone();
        let Ty::List(fields) = &input.ty else { return };
        self.twice(&name, &table.header, |h| {
            h == "id" || fields.iter().any(|f| f.name == h)
        });
        let id_col = table.header.iter().position(|h| h.trim() == "id");
        if id_col.is_none() {
            self.problem(
                Diagnostic::new(Code::ColumnMissing, t!("{}: no column `id` in the header row", "{}：表头行中没有“id”列", name))
                    .with_help(t!("every row of a list names the assessed unit it belongs to in a column headed `id`", "列表的每一行都要在表头为“id”的列中写明所属的被考核单位")),
            );
        }
        let cols: Vec<(String, Option<usize>)> = fields
            .iter()
            .map(|f| {
                (
                    f.name.clone(),
                    table.header.iter().position(|h| h.trim() == f.name),
                )
            })
            .collect();
        for (f, c) in &cols {
            if c.is_none() {
                self.problem(
                    Diagnostic::new(
                        Code::ColumnMissing,
                        t!(
                            "{}: no column `{f}` in the header row",
                            "{}：表头行中没有“{f}”列",
                            name
                        ),
                    )
                    .with_help(t!(
                        "add a column headed `{f}`; `kaohe template` writes every column",
                        "请增加表头为“{f}”的一列；`kaohe template` 会生成全部列"
                    )),
                );
            }
        }
        let found = if in_order {
            Found::InOrder(table.rows.peekable())
        } else {
            Found::Indexed {
                by_id: self.index(table.rows, id_col, &name),
                again,
            }
        };
        self.lists.push(ListTable {
            input: input_name,
            slot,
            place: name,
            id_column: id_col,
            columns: cols,
            found,
            empty: Arc::new([]),
        });
    }

    /// Where each entity's rows start in a list table.
    fn index(
        &mut self,
        rows: Rows<'a>,
        id_col: Option<usize>,
        name: &Text,
    ) -> HashMap<String, Vec<(usize, u64)>> {
        let mut by_id: HashMap<String, Vec<(usize, u64)>> = HashMap::new();
        for row in rows {
            let row = match row {
                Ok(r) => r,
                Err(d) => {
                    self.problem(d);
                    continue;
                }
            };
            let id = match whose(&row.cells, id_col) {
                Whose::Skipped | Whose::Total => continue,
                Whose::NoOne => {
                    self.problem(no_id(name, row.line));
                    continue;
                }
                Whose::Of(id) => id,
            };
            match by_id.get_mut(id) {
                Some(rows) => rows.push((row.line, row.at)),
                None => {
                    by_id.insert(id.to_string(), vec![(row.line, row.at)]);
                }
            }
        }
        by_id
    }

    /// Read rows until one yields something.
    fn step(&mut self) {
        let Some(row) = self.rows.next() else {
            self.finish();
            return;
        };
        let Row { line: n, cells, .. } = match row {
            Ok(r) => r,
            Err(d) => {
                self.problem(d);
                return;
            }
        };
        let id = match whose(&cells, self.id_column) {
            Whose::Skipped => return,
            Whose::Total => {
                self.total_row(n, &cells);
                return;
            }
            Whose::NoOne => None,
            Whose::Of(id) => Some(id.to_string()),
        };
        let Some(id) = id else {
            if self.id_column.is_some() {
                self.problem(
                    Diagnostic::new(
                        Code::DataShape,
                        t!("{}, row {n}: no id", "{} 第 {n} 行：没有 id", self.place),
                    )
                    .with_help(t!(
                        "write the name of the assessed unit, such as 柳城县, in the `id` column",
                        "请在“id”列填写被考核单位名称，如 柳城县"
                    )),
                );
            }
            return;
        };
        // Per list table, the entity's rows.
        let mut lists = Vec::with_capacity(self.lists.len());
        let mut unread = Vec::new();
        let mut met = Vec::new();
        for list in &mut self.lists {
            match list.rows_of(&id, &mut met) {
                Ok(rows) => lists.push(rows),
                Err(d) => unread.push(d),
            }
        }
        for d in met {
            self.problem(d);
        }
        if !unread.is_empty() {
            for d in unread {
                self.problem(d);
            }
            return;
        }
        let places = RowPlaces {
            entities: self,
            line: n,
            lists: &lists,
        };
        let mut reader = Reader {
            program: self.program,
            diags: Vec::new(),
            file: &self.file,
            entity: id.clone(),
            places: &places,
            reported: &self.reported,
        };
        let values = self.values(&mut reader, &cells, &lists);
        let entity = Some(Entity {
            id: id.clone(),
            values,
        });
        let diags = std::mem::take(&mut reader.diags);
        let clean = !diags.iter().any(Diagnostic::is_error);
        for d in diags {
            self.problem(d);
        }
        if let Some(first) = self.seen.first(&id, n) {
            let d = Diagnostic::new(
                Code::DuplicateEntity,
                t!(
                    "{}, row {n}: the id \"{id}\" was given before, in row {first}",
                    "{} 第 {n} 行：id “{id}”已在第 {first} 行出现过",
                    self.place
                ),
            )
            .with_help(t!(
                "give each assessed unit one row with its own id",
                "每个被考核单位只填一行，并使用各自的 id"
            ));
            self.problem(d);
            return;
        }
        if let (Some(e), true, false) = (entity, clean, self.broken) {
            self.pending.push_back(Ok(e));
        }
    }

    /// Every input's value, by slot: a scalar's read from its cell of the
    /// entity's row, a list's from the entity's rows of its table.
    fn values(&self, reader: &mut Reader, cells: &Cells, lists: &[Vec<Row>]) -> Vec<Value> {
        let inputs = &self.program.inputs;
        (inputs.iter().enumerate())
            .map(|(slot, input)| match &input.ty {
                Ty::List(fields) => {
                    let table = (self.lists.iter().zip(lists)).find(|(l, _)| l.slot == slot);
                    match table {
                        Some((list, rows)) => list.records(reader, fields, rows),
                        None => reader.missing(input),
                    }
                }
                ty => match self.columns.get(slot).copied().flatten() {
                    Some(cell) if let Some(cell) = cells.get(cell) => {
                        reader.scalar(|| input.name.clone(), ty, cell)
                    }
                    _ => reader.missing(input),
                },
            })
            .collect()
    }

    /// After the last row: list rows whose entity never came.
    fn finish(&mut self) {
        self.done = true;
        let mut orphans: Vec<(Text, String, usize)> = Vec::new();
        let mut changes = Vec::new();
        for list in &mut self.lists {
            match &mut list.found {
                Found::Indexed { by_id, .. } => {
                    let left = by_id.iter();
                    orphans.extend(
                        left.map(|(id, rows)| (list.place.clone(), id.clone(), rows.len())),
                    );
                }
                // The walk found nothing after the last entity's rows; a
                // row there now was written while the file was being read.
                Found::InOrder(rows) => {
                    pass(rows, list.id_column, None);
                    if let Some(Ok(row)) = rows.peek() {
                        changes.push(changed(&list.place, row.line));
                    }
                }
            }
        }
        for d in changes {
            self.problem(d);
        }
        orphans.sort_by(|a, b| (&a.0.en, &a.1).cmp(&(&b.0.en, &b.1)));
        for (place, id, count) in orphans {
            self.problem(
                Diagnostic::new(
                    Code::ListRowOrphan,
                    t!(
                        "{}: {count} row(s) belong to \"{id}\", which is not in {}",
                        "{}：有 {count} 行属于“{id}”，而 {} 中没有这个被考核单位",
                        place,
                        self.place
                    ),
                )
                .with_help(t!(
                    "every id of a list must also have a row of its own; check the spelling",
                    "列表中出现的每个 id 都必须在主表中有自己的一行；请检查是否写错"
                )),
            );
        }
    }
}

impl ListTable<'_> {
    /// An entity's records from its rows: per row, each field's cell.
    fn records(&self, reader: &mut Reader, fields: &[Field], rows: &[Row]) -> Value {
        if rows.is_empty() {
            return Value::List(self.empty.clone());
        }
        let input = &self.input;
        // Collected straight into the shared slice: one allocation, where
        // a vector turned into one afterwards is two and a copy.
        let records: Arc<[Record]> = (rows.iter().enumerate())
            .map(|(i, row)| {
                (fields.iter().zip(&self.columns))
                    .map(|(f, (_, column))| {
                        let cell = column.and_then(|c| row.cells.get(c));
                        reader.field(|| format!("{input}[{i}].{}", f.name), f, cell)
                    })
                    .collect()
            })
            .collect();
        Value::List(records)
    }

    /// The rows of entity `id`; `met` learns of rows that belong to no one
    /// on the way (in a list read on). An error when a row cannot be read
    /// again or is not what it was.
    fn rows_of(&mut self, id: &str, met: &mut Vec<Diagnostic>) -> Result<Vec<Row>, Diagnostic> {
        let column = self.id_column;
        let owner = |row: &Row| id_of(column.and_then(|c| row.cells.get(c))) == Some(id);
        let mut out = Vec::new();
        match &mut self.found {
            Found::InOrder(rows) => {
                while let Some(next) = rows.peek() {
                    let take = match next {
                        Ok(row) => match whose(&row.cells, column) {
                            Whose::Skipped | Whose::Total => false,
                            Whose::Of(other) if other != id => break,
                            Whose::Of(_) => true,
                            Whose::NoOne => {
                                met.push(no_id(&self.place, row.line));
                                false
                            }
                        },
                        Err(_) => false,
                    };
                    match rows.next() {
                        Some(Ok(row)) if take => out.push(row),
                        Some(Err(d)) => met.push(d),
                        _ => {}
                    }
                }
            }
            Found::Indexed { by_id, again } => {
                for (line, at) in by_id.remove(id).unwrap_or_default() {
                    let row = again.row_at(line, at)?;
                    if !owner(&row) {
                        return Err(changed(&self.place, line));
                    }
                    out.push(row);
                }
            }
        }
        Ok(out)
    }
}

/// A row read again is not what it was the first time.
fn changed(place: &Text, line: usize) -> Diagnostic {
    Diagnostic::new(
        Code::TableUnreadable,
        t!(
            "{}, row {line} changed while it was being read",
            "{} 第 {line} 行在读取期间被改动",
            place
        ),
    )
    .with_help(t!(
        "let the file be saved in full, then run kaohe again",
        "请等文件完整保存后再运行 kaohe"
    ))
}

/// Where the cells of one entity's row and of its list records are, for
/// messages: worked out from a field path only when one is needed.
struct RowPlaces<'e, 'a> {
    entities: &'e Entities<'a>,
    line: usize,
    /// Per list table, the rows of the entity's records.
    lists: &'e [Vec<Row>],
}

impl Places for RowPlaces<'_, '_> {
    fn strict(&self) -> bool {
        self.entities.strict
    }

    fn place(&self, path: &str) -> Option<Text> {
        let e = self.entities;
        let Some((input, rest)) = path.split_once('[') else {
            let slot = e.program.inputs.iter().position(|i| i.name == path)?;
            let column = (*e.columns.get(slot)?)?;
            return Some(place_of(&e.place, self.line, column, path));
        };
        let (index, field) = rest.split_once("].")?;
        let (list, rows) = (e.lists.iter().zip(self.lists)).find(|(l, _)| l.input == input)?;
        let line = rows.get(index.parse::<usize>().ok()?)?.line;
        let column = list.columns.iter().find(|(f, _)| f == field)?.1?;
        Some(place_of(&list.place, line, column, field))
    }
}

impl Iterator for Entities<'_> {
    type Item = Result<Entity, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.pending.is_empty() && !self.done {
            self.step();
        }
        self.pending.pop_front()
    }
}

#[cfg(test)]
mod tests {
    use super::{Bounds, Cell, Cells, Held, Seen, Whose, blank, id_of, trim, whose};

    /// `whose` as it was first written, each question on its own.
    fn whose_by_parts(cells: &Cells, column: Option<usize>) -> Whose<'_> {
        let empty = |c: Option<Cell>| match c {
            None => true,
            Some(Cell::Text(s)) => blank(s),
            Some(_) => false,
        };
        let cell = column.and_then(|c| cells.get(c));
        let empty = empty(cell) && (0..cells.len()).all(|i| empty(cells.get(i)));
        if empty || matches!(cell, Some(Cell::Text(s)) if trim(s).starts_with('#')) {
            return Whose::Skipped;
        }
        if matches!(cell, Some(Cell::Text(s)) if super::total(trim(s))) {
            return Whose::Total;
        }
        id_of(cell).map_or(Whose::NoOne, Whose::Of)
    }

    fn answer(w: Whose) -> String {
        match w {
            Whose::Skipped => "skipped".into(),
            Whose::NoOne => "no one".into(),
            Whose::Total => "total".into(),
            Whose::Of(id) => format!("of {id:?}"),
        }
    }

    #[test]
    fn whose_answers_as_asking_each_question_does() {
        let texts = [
            "", " ", "#unit", " #x", "甲", " 乙 ", "1", "\u{3000}", " 合计 ",
        ];
        let mut rows = Vec::new();
        for a in texts {
            for b in texts {
                let text = format!("{a},{b}");
                let bounds = Bounds::InPlace {
                    len: 3,
                    ends: [0, a.len() + 1, text.len() + 1, 0, 0, 0, 0, 0],
                };
                rows.push(Cells::Text { text, bounds });
                let text = |s: &str| Held::Text(s.to_string());
                rows.push(Cells::Sheet(vec![text(a), text(b)]));
            }
        }
        let others = [
            Held::Empty,
            Held::Number("3".into()),
            Held::Bool(true),
            Held::Percent("0.5".into()),
            Held::BadDate("-1".into()),
        ];
        for v in others {
            rows.push(Cells::Sheet(vec![v.clone(), Held::Text("x".into())]));
            rows.push(Cells::Sheet(vec![v, Held::Empty]));
        }
        for cells in &rows {
            for column in [None, Some(0), Some(1), Some(2)] {
                let (fast, parts) = (whose(cells, column), whose_by_parts(cells, column));
                assert_eq!(answer(fast), answer(parts), "column {column:?}");
            }
        }
    }

    #[test]
    fn an_id_given_twice_is_found_whether_the_walk_met_it_or_not() {
        let mut seen = Seen::default();
        for id in ["a", "b", "a"] {
            seen.walk(id);
        }
        seen.walked();
        assert_eq!(seen.known.len(), 2);
        assert_eq!(seen.first("a", 3), None);
        assert_eq!(seen.first("b", 4), None);
        assert_eq!(seen.first("a", 5), Some(3));
        // Not met on the walk (a sheet, or a file changed since): kept aside.
        assert_eq!(seen.first("c", 6), None);
        assert_eq!(seen.first("c", 7), Some(6));
        assert_eq!(seen.first("b", 8), Some(4));
        assert_eq!(seen.more.len(), 1);
    }

    #[test]
    fn a_row_past_four_billion_is_kept_aside() {
        let mut seen = Seen::default();
        seen.walk("a");
        seen.walked();
        let far = usize::try_from(u64::from(u32::MAX) + 1).unwrap();
        assert_eq!(seen.first("a", far), None);
        assert_eq!(seen.first("a", 9), Some(far));
    }
}
