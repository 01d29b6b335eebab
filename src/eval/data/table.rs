//! Rows of cells → entities: the shape that CSV files and XLSX workbooks
//! share. One table holds one row per entity and a column per scalar input;
//! every list input has a table of its own whose rows carry the entity id.
//!
//! The entity table is read one row at a time, so that memory does not grow
//! with the number of entities; list tables are read whole, grouped by id.

use super::{Entity, Reader};
use crate::check::ir::{Program, Ty};
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::t;
use serde_json::{Map, Value as Json};
use std::collections::{HashMap, HashSet, VecDeque};

/// A row: its number as a spreadsheet shows it (1 = the header) and its cells.
pub type Row = (usize, Vec<Json>);

/// The rows of one table, each either cells or a problem reading them.
pub type Rows<'a> = Box<dyn Iterator<Item = Result<Row, Diagnostic>> + 'a>;

/// A table before reading: where it is (for messages), its header and rows.
pub struct Table<'a> {
    /// "mixed.csv" or "mixed.xlsx, sheet 数据".
    pub place: Text,
    pub header: Vec<String>,
    pub rows: Rows<'a>,
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
    /// Per list input, its table (held whole, its records grouped by entity id).
    lists: Vec<ListTable>,
    reported: HashSet<String>,
    seen: HashMap<String, usize>,
    pending: VecDeque<Result<Entity, Diagnostic>>,
    /// A problem with the whole file: no entity is scored.
    broken: bool,
    done: bool,
}

/// A list input's table, kept compact: per entity id, each record's row
/// number and cells in field order.
struct ListTable {
    input: String,
    place: Text,
    /// Per field: its name and column.
    columns: Vec<(String, Option<usize>)>,
    by_id: HashMap<String, Vec<(usize, Vec<Json>)>>,
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

/// A row the template writes under the header for people (its id cell
/// begins with '#'), or a row left empty.
fn skipped(cells: &[Json], id: Option<usize>) -> bool {
    let text = |c: &Json| match c {
        Json::String(s) => s.trim().to_string(),
        Json::Null => String::new(),
        other => other.to_string(),
    };
    cells.iter().all(|c| text(c).is_empty())
        || id
            .and_then(|i| cells.get(i))
            .is_some_and(|c| text(c).starts_with('#'))
}

fn id_of(cell: Option<&Json>) -> Option<String> {
    match cell? {
        Json::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Json::Number(n) => Some(n.to_string()),
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
        lists: Vec<(String, Result<Table<'a>, Absent>)>,
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
            seen: HashMap::new(),
            pending: VecDeque::new(),
            broken: false,
            done: false,
        };
        me.header(&main.header);
        for (input, list) in lists {
            match list {
                Ok(table) => me.list_table(&input, table),
                Err(absent) => me.absent(absent),
            }
        }
        me
    }

    fn problem(&mut self, d: Diagnostic) {
        if d.is_error() {
            self.broken |= matches!(
                d.code,
                Code::SheetMissing | Code::ColumnMissing | Code::TableUnreadable
            );
        }
        self.pending.push_back(Err(d.in_file(&self.file)));
    }

    fn header(&mut self, header: &[String]) {
        let program = self.program;
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

    fn list_table(&mut self, input: &str, table: Table<'a>) {
        let name = table.place.clone();
        let Some(input) = self.program.inputs.iter().find(|i| i.name == input) else {
            return;
        };
        let input_name = input.name.clone();
        let Ty::List(fields) = &input.ty else { return };
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
        let mut by_id: HashMap<String, Vec<(usize, Vec<Json>)>> = HashMap::new();
        for row in table.rows {
            let (n, cells) = match row {
                Ok(r) => r,
                Err(d) => {
                    self.problem(d);
                    continue;
                }
            };
            if skipped(&cells, id_col) {
                continue;
            }
            let Some(id) = id_of(id_col.and_then(|i| cells.get(i))) else {
                self.problem(Diagnostic::new(
                    Code::DataShape,
                    t!("{}, row {n}: no id; every row of a list names the assessed unit it belongs to", "{} 第 {n} 行：没有 id；列表的每一行都要写明所属的被考核单位", name),
                ));
                continue;
            };
            let record = cols
                .iter()
                .map(|(_, c)| c.and_then(|c| cells.get(c).cloned()).unwrap_or(Json::Null))
                .collect();
            by_id.entry(id).or_default().push((n, record));
        }
        self.lists.push(ListTable {
            input: input_name,
            place: name,
            columns: cols,
            by_id,
        });
    }

    /// Read rows until one yields something.
    fn step(&mut self) {
        let Some(row) = self.rows.next() else {
            self.finish();
            return;
        };
        let (n, cells) = match row {
            Ok(r) => r,
            Err(d) => {
                self.problem(d);
                return;
            }
        };
        if skipped(&cells, self.id_column) {
            return;
        }
        let Some(id) = id_of(self.id_column.and_then(|i| cells.get(i))) else {
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
        let mut map = Map::new();
        let mut places = HashMap::new();
        map.insert("id".into(), Json::String(id.clone()));
        for (input, col) in self.program.inputs.iter().zip(&self.columns) {
            if let Some(c) = col {
                places.insert(
                    input.name.clone(),
                    place_of(&self.place, n, *c, &input.name),
                );
                let cell = cells.get(*c).cloned().unwrap_or(Json::Null);
                if !cell.is_null() {
                    map.insert(input.name.clone(), cell);
                }
            }
        }
        for list in &mut self.lists {
            let rows = list.by_id.remove(&id).unwrap_or_default();
            let mut records = Vec::with_capacity(rows.len());
            for (i, (n, cells)) in rows.into_iter().enumerate() {
                let mut record = Map::new();
                for ((f, c), cell) in list.columns.iter().zip(cells) {
                    if let Some(c) = c {
                        places.insert(
                            format!("{}[{i}].{f}", list.input),
                            place_of(&list.place, n, *c, f),
                        );
                    }
                    if !cell.is_null() {
                        record.insert(f.clone(), cell);
                    }
                }
                records.push(Json::Object(record));
            }
            map.insert(list.input.clone(), Json::Array(records));
        }
        let mut reader = Reader {
            program: self.program,
            diags: Vec::new(),
            file: &self.file,
            entity: id.clone(),
            places: &places,
            reported: &self.reported,
        };
        let entity = reader.entity(&Json::Object(map));
        let diags = std::mem::take(&mut reader.diags);
        let clean = !diags.iter().any(Diagnostic::is_error);
        for d in diags {
            self.problem(d);
        }
        if let Some(first) = self.seen.get(&id) {
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
        self.seen.insert(id, n);
        if let (Some(e), true, false) = (entity, clean, self.broken) {
            self.pending.push_back(Ok(e));
        }
    }

    /// After the last row: list rows whose entity never came.
    fn finish(&mut self) {
        self.done = true;
        let mut orphans: Vec<(Text, String, usize)> = self
            .lists
            .iter()
            .flat_map(|l| {
                l.by_id
                    .iter()
                    .map(|(id, rows)| (l.place.clone(), id.clone(), rows.len()))
            })
            .collect();
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

impl Iterator for Entities<'_> {
    type Item = Result<Entity, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.pending.is_empty() && !self.done {
            self.step();
        }
        self.pending.pop_front()
    }
}
