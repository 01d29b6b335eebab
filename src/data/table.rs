//! Rows of cells → entities: the shape that CSV files and XLSX workbooks
//! share. One table holds one row per entity and a column per scalar input;
//! every list input has a table of its own whose rows carry the entity id.
//!
//! The entity table is read one row at a time, so that memory does not grow
//! with the number of entities. A list table is read twice: once through,
//! to find where each entity's rows are, then again one entity at a time
//! ([`Reread`]), so that what is held per list row is its place, not its
//! cells.

//!
//! - `source`: what a format hands over: a table's header and rows, each
//!   row's cells, and the ways back to a row
//! - `header`: the header rows read: which column holds which input or
//!   field, what is missing, every list table indexed
//! - `order`: the walk that tells whether a list's rows come in the
//!   entities' order (the entities' ids first, then each list on the pool)
//! - `lists`: an entity's rows of each list table (read, or kept as found
//!   on a walk for the pool to read), and its records
//! - `whose`: whose a row is, by its id cell
//! - `seen`: the ids read so far, to find one given twice
//! - `batch`: the entities' rows read into values on all cores
//! - `tell`: what was read told and handed on in the file's order
//!
//! This file reads the entities' table row by row ([`Reading`]) into
//! steps, which [`Entities`] reads into values a batch at a time and
//! tells, or [`Halves`] hands to a caller that reads each step on the pool
//! with the rest of its work; and it says where a value lies for a message.

mod batch;
mod header;
mod lists;
mod order;
mod seen;
mod source;
mod tell;
mod whose;

pub use batch::{Done, Layout, Step};
pub(super) use source::unformula;
pub use source::{
    Absent, Bounds, Cells, Held, Kept, Line, ListSource, Name, Reread, Row, RowCells, Rows, Table,
    Walk, Walked,
};
pub use tell::Teller;
pub(super) use whose::{Whose, total, whose};

use super::Entity;
use super::quick::Quick;
use super::shortened::{refused, shortened, shown_by_excel};
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::ir::Program;
use crate::t;
use batch::{BATCH, ListLayout, Unit};
use lists::{ListRows, ListTable};
use rayon::prelude::*;
use seen::Seen;
use std::collections::{HashSet, VecDeque};
use whose::whose_text;

/// The entities of a dataset, streamed: every problem comes as an `Err`,
/// warnings included, before the entity it concerns; an entity with an
/// error never comes as `Ok`.
pub struct Entities<'a> {
    reading: Reading<'a>,
    layout: Layout<'a>,
    teller: Teller,
    pending: VecDeque<Result<Entity, Diagnostic>>,
    /// How many steps a batch reads: [`BATCH`] but in tests.
    batch: usize,
}

/// A dataset's entities in two halves, for a caller that reads each
/// step's values on the pool with the rest of its work on the entity (the
/// scoring and the report: `cli::score`): `steps` are read on the calling
/// thread, `layout` reads each into its entity on the pool
/// ([`Layout::done`]), and `teller` tells what each came to on the calling
/// thread, in the order of `steps`, as [`Entities`] does.
pub struct Halves<'a> {
    pub steps: Reading<'a>,
    pub layout: Layout<'a>,
    pub teller: Teller,
}

/// The rows of a dataset read into steps: the entities' table row by row,
/// with each entity's rows of the list tables and the problems met.
pub struct Reading<'a> {
    program: &'a Program,
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
    /// What the rows read so far met, not yet handed on: problems and
    /// entities' rows.
    steps: VecDeque<Step>,
    done: bool,
}

fn place_of(table: &Text, row: usize, column: usize, name: &str) -> Text {
    let column = crate::shown::column_letters(column);
    t!(
        "{}, row {row}, column {column} ({name})",
        "{} 第 {row} 行第 {column} 列（{name}）",
        table
    )
}

impl<'a> Entities<'a> {
    /// `file` names the dataset in diagnostics; `lists` has a table, or
    /// where it was looked for, for every list input.
    pub fn new(
        program: &'a Program,
        file: &str,
        main: Table<'a>,
        again: Option<Walked<'a>>,
        lists: Vec<(String, Result<ListSource<'a>, Absent>)>,
        strict: bool,
    ) -> Entities<'a> {
        let mut reading = Reading {
            program,
            place: main.place.clone(),
            columns: Vec::new(),
            id_column: None,
            rows: main.rows,
            lists: Vec::new(),
            reported: HashSet::new(),
            seen: Seen::default(),
            steps: VecDeque::new(),
            done: false,
        };
        for d in main.notes {
            reading.problem(d);
        }
        reading.header(&main.header);
        reading.list_tables(again, lists);
        Entities {
            layout: reading.layout(file, strict),
            teller: Teller {
                file: file.to_string(),
                strict,
                broken: false,
            },
            reading,
            pending: VecDeque::new(),
            batch: BATCH,
        }
    }

    /// The entities read `batch` steps at a time, for tests of the order.
    #[cfg(test)]
    pub(in crate::data) fn batched(mut self, batch: usize) -> Self {
        self.batch = batch.max(1);
        self
    }

    /// The reading in halves, nothing read yet past the header rows.
    pub fn halves(self) -> Halves<'a> {
        Halves {
            steps: self.reading,
            layout: self.layout,
            teller: self.teller,
        }
    }

    /// The next steps read, up to a batch, the entities read into values
    /// at once on all cores, and every step told or handed on in the
    /// file's order.
    fn batch(&mut self) {
        let steps: Vec<Step> = self.reading.by_ref().take(self.batch).collect();
        let layout = &self.layout;
        let done: Vec<Done<Entity>> = if steps.iter().any(|s| matches!(s, Step::Unit(_))) {
            steps.into_par_iter().map(|s| layout.done(s)).collect()
        } else {
            steps.into_iter().map(|s| layout.done(s)).collect()
        };
        let pending = &mut self.pending;
        for d in done {
            self.teller.tell(d, &mut |r| pending.push_back(r));
        }
    }
}

impl<'a> Reading<'a> {
    /// A problem met reading the rows, told in its turn among the
    /// entities read before and after it.
    fn problem(&mut self, d: Diagnostic) {
        self.steps.push_back(Step::Problem(d));
    }

    /// What reading an entity's values needs, once the header rows are
    /// read, to be shared by the pool.
    fn layout(&self, file: &str, strict: bool) -> Layout<'a> {
        Layout {
            program: self.program,
            file: file.to_string(),
            place: self.place.clone(),
            columns: self.columns.clone(),
            reported: self.reported.clone(),
            strict,
            lists: (self.lists.iter())
                .map(|l| ListLayout::of(l, self.program))
                .collect(),
            quick: (self.program.inputs.iter()).map(Quick::of_input).collect(),
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

    /// Read a row: the entity's rows queued, or the problems met.
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
        let Some(id) = self.id(n, &cells) else {
            return;
        };
        let Some(lists) = self.lists_of(&id) else {
            return;
        };
        let twice = self.given_before(n, &id);
        if let Some(how) = shortened(self.id_column.and_then(|c| cells.get(c))) {
            let d = twice.unwrap_or_else(|| refused(&self.place, n, &id, how));
            self.problem(d);
            return;
        }
        self.steps.push_back(Step::Unit(Unit {
            line: n,
            id,
            cells,
            lists,
            twice,
        }));
    }

    /// The id of the entities' row `n`; `None` for a row passed over (told
    /// when it is a row of totals, or has no id).
    fn id(&mut self, n: usize, cells: &Cells) -> Option<String> {
        match whose(cells, self.id_column) {
            Whose::Skipped => None,
            Whose::Total => {
                self.total_row(n, cells);
                None
            }
            Whose::Of(id) => Some(id.to_string()),
            Whose::NoOne => {
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
                None
            }
        }
    }

    /// Per list table, the rows of entity `id`, with the problems met on
    /// the way told (a list's kept rows tell theirs when read on the pool);
    /// `None` when a row cannot be read again.
    fn lists_of(&mut self, id: &str) -> Option<Vec<ListRows>> {
        let mut lists = Vec::with_capacity(self.lists.len());
        let mut unread = Vec::new();
        let mut met = Vec::new();
        for list in &mut self.lists {
            match list.rows_of(id, &mut met) {
                Ok(rows) => lists.push(rows),
                Err(d) => {
                    unread.push(d);
                    lists.push(ListRows::Read(Vec::new()));
                }
            }
        }
        if !unread.is_empty() {
            // The entity is not read: its kept rows' problems are told here.
            for (list, rows) in self.lists.iter().zip(&lists) {
                rows.read(&list.place, list.id_column, &mut met);
            }
            for d in met {
                self.problem(d);
            }
            for d in unread {
                self.problem(d);
            }
            return None;
        }
        for d in met {
            self.problem(d);
        }
        Some(lists)
    }

    /// The problem that `id`, read in row `n`, was given in a row before;
    /// `None` when it is new. It is told after the entity's own problems.
    fn given_before(&mut self, n: usize, id: &str) -> Option<Diagnostic> {
        let first = self.seen.first(id, n)?;
        let d = Diagnostic::new(
            Code::DuplicateEntity,
            t!(
                "{}, row {n}: the id \"{id}\" was given before, in row {first}",
                "{} 第 {n} 行：id “{id}”已在第 {first} 行出现过",
                self.place
            ),
        )
        .with_help(if shown_by_excel(id) {
            t!(
                "\"{id}\" is a long number code as Excel shows it, in scientific notation: its last digits are lost, so several units now share one id. In Excel set the id column's format to Text, type the full codes again, then save as CSV",
                "“{id}”是 Excel 用科学计数法显示的长数字编码，后几位已经丢失，几个单位因此成了同一个 id：请在 Excel 中把 id 列的格式设为“文本”，重新填入完整编码，再另存为 CSV"
            )
        } else {
            t!(
                "give each assessed unit one row with its own id",
                "每个被考核单位只填一行，并使用各自的 id"
            )
        });
        Some(d)
    }

    /// After the last row: list rows whose entity never came.
    fn finish(&mut self) {
        self.done = true;
        let mut orphans: Vec<(Text, String, usize)> = Vec::new();
        let mut changes = Vec::new();
        for list in &mut self.lists {
            list.left_over(&mut orphans, &mut changes);
        }
        for d in changes {
            self.problem(d);
        }
        // Without the entities' ids every list row would be an orphan: the
        // missing column has been told.
        if self.id_column.is_none() {
            orphans.clear();
        }
        orphans.sort_by(|a, b| (&a.0.en, &a.1).cmp(&(&b.0.en, &b.1)));
        for (place, id, count) in orphans {
            self.orphans(&place, &id, count);
        }
    }

    /// `count` rows of the list table at `place` belong to `id`, which is
    /// not in the entities' table.
    fn orphans(&mut self, place: &Text, id: &str, count: usize) {
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

impl Iterator for Reading<'_> {
    type Item = Step;

    fn next(&mut self) -> Option<Step> {
        loop {
            if let Some(step) = self.steps.pop_front() {
                return Some(step);
            }
            if self.done {
                return None;
            }
            self.step();
        }
    }
}

impl Iterator for Entities<'_> {
    type Item = Result<Entity, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.pending.is_empty() && !(self.reading.done && self.reading.steps.is_empty()) {
            self.batch();
        }
        self.pending.pop_front()
    }
}
