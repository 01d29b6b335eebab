//! Entities read into values on all cores. The calling thread reads the
//! rows — splits them, finds each entity's rows in the list tables, tells
//! the problems met on the way, finds an id given twice — and queues each
//! entity's rows ([`Step`]), a CSV list's in the entities' order only
//! found and kept as they are, read into rows on the pool and their
//! problems told before the entity ([`Done::Read`]'s `before`); the pool reads them from their cells into
//! values ([`Layout::done`]), and what was queued is told or handed on in
//! the file's order (`tell`): every problem, an id given twice, an entity
//! kept or left out, as when each was read in its turn. Either a batch of
//! [`BATCH`] steps is read at once on the pool ([`super::Entities`]), or
//! each step goes to the pool with the chunk that scores it, read and
//! scored by one task ([`super::Halves`]), so that reading and scoring do
//! not take turns on the pool.

use super::lists::{ListRows, ListTable, Read};
use super::{Cells, RowCells, place_of};
use crate::data::quick::Quick;
use crate::data::{Cell, Entity, Places, Reader};
use crate::diagnostic::{Diagnostic, Text};
use crate::ir::{Field, Program, Record, Ty, Value};
use std::collections::HashSet;
use std::sync::Arc;

/// How many entities are read into values at once by [`super::Entities`]:
/// a batch of dense units' rows (some 200 list rows each) is a few
/// megabytes.
pub(super) const BATCH: usize = 128;

/// What the reading met, in the file's order.
pub enum Step {
    /// A problem, to tell in its turn.
    Problem(Diagnostic),
    /// An entity's rows, to read into its values.
    Unit(Unit),
}

/// An entity's row of the entities' table and its rows of every list
/// table (in the order of [`Layout::lists`]), read or kept as found.
pub struct Unit {
    pub(super) line: usize,
    pub(super) id: String,
    pub(super) cells: Cells,
    pub(super) lists: Vec<ListRows>,
    /// The problem that its id was given in a row before: the entity is
    /// read, its problems told, and left out.
    pub(super) twice: Option<Diagnostic>,
}

impl Unit {
    /// Its id, as its row gives it.
    pub(in crate::data) fn id(&self) -> &str {
        &self.id
    }

    /// `twice`: its id was given before, in a row before or in an earlier
    /// file of the run (`data::Across`): the entity is read, its problems
    /// told, and left out. The first such problem is the one told.
    pub(in crate::data) fn given_before(&mut self, twice: Diagnostic) {
        self.twice.get_or_insert(twice);
    }
}

/// What a [`Step`] came to: a problem, or an entity read (`E`, or what
/// was made of it) and the problems met reading it.
pub enum Done<E> {
    Problem(Diagnostic),
    Read {
        /// The problems of its list rows kept as found (a row not UTF-8,
        /// without an id), told before it as if met on the way to it: they
        /// are the rows', not the entity's, and do not leave it out.
        before: Vec<Diagnostic>,
        /// The entity, when it is to be kept: `None` when reading it met
        /// an error or its id was given before.
        entity: Option<E>,
        diags: Vec<Diagnostic>,
        twice: Option<Diagnostic>,
    },
}

impl<E> Done<E> {
    /// What `make` makes of the entity, if it is to be kept; the problems
    /// as they were.
    pub fn map<F>(self, make: impl FnOnce(E) -> F) -> Done<F> {
        match self {
            Done::Problem(d) => Done::Problem(d),
            Done::Read {
                before,
                entity,
                diags,
                twice,
            } => Done::Read {
                before,
                entity: entity.map(make),
                diags,
                twice,
            },
        }
    }
}

/// What reading an entity's values needs of the dataset, taken from
/// [`super::Entities`] without its readers once the header rows are read,
/// so that it can be shared by the pool.
pub struct Layout<'p> {
    pub(super) program: &'p Program,
    pub(super) file: String,
    pub(super) place: Text,
    /// The column of every input, by slot.
    pub(super) columns: Vec<Option<usize>>,
    pub(super) reported: HashSet<String>,
    pub(super) strict: bool,
    pub(super) lists: Vec<ListLayout>,
    /// Per input, by slot, how its text cell is read quickly.
    pub(super) quick: Vec<Quick>,
}

/// A list table's layout: its input, place and columns.
pub(super) struct ListLayout {
    input: String,
    slot: usize,
    place: Text,
    /// The column of the ids, to tell whose each kept row is.
    id_column: Option<usize>,
    /// Per field: its name and column.
    columns: Vec<(String, Option<usize>)>,
    /// The list of no records, shared by every entity without rows here.
    empty: Arc<[Record]>,
    /// Per field, how its text cells are read quickly.
    quick: Vec<Quick>,
}

impl ListLayout {
    pub(super) fn of(table: &ListTable<'_>, program: &Program) -> ListLayout {
        let fields = match program.inputs.get(table.slot).map(|i| &i.ty) {
            Some(Ty::List(fields)) => &fields[..],
            _ => &[],
        };
        let year = program.header.year;
        ListLayout {
            input: table.input.clone(),
            slot: table.slot,
            place: table.place.clone(),
            id_column: table.id_column,
            columns: table.columns.clone(),
            empty: table.empty.clone(),
            quick: fields.iter().map(|f| Quick::of(f, year)).collect(),
        }
    }

    /// An entity's records from its rows: per row, each field's cell.
    fn records(&self, reader: &mut Reader, fields: &[Field], rows: &Read) -> Value {
        if rows.len() == 0 {
            return Value::List(self.empty.clone());
        }
        match rows {
            Read::Rows(rows) => self.records_of(reader, fields, rows.iter().map(|r| &r.cells)),
            Read::InPlace(read) => self.records_of(reader, fields, read.lines()),
        }
    }

    /// The records of `rows`, the cells of each row in turn.
    fn records_of<C: RowCells>(
        &self,
        reader: &mut Reader,
        fields: &[Field],
        rows: impl Iterator<Item = C>,
    ) -> Value {
        let input = &self.input;
        let enums = &reader.program.enums;
        // Collected straight into the shared slice: one allocation, where
        // a vector turned into one afterwards is two and a copy (`rows`
        // is a slice's iterator mapped, its length known).
        let records: Arc<[Record]> = (rows.enumerate())
            .map(|(i, row)| {
                (fields.iter().zip(&self.columns).zip(&self.quick))
                    .map(|((f, (_, column)), quick)| {
                        let cell = column.and_then(|c| row.cell(c));
                        // A text cell in a plain form read without the
                        // general reading's steps; any other the general way.
                        if let Some(Cell::Text(s)) = cell
                            && let Some(value) = quick.read(s, enums)
                        {
                            return value;
                        }
                        reader.field(|| format!("{input}[{i}].{}", f.name), f, cell)
                    })
                    .collect()
            })
            .collect();
        Value::List(records)
    }
}

impl Layout<'_> {
    /// What a step comes to: an entity read from its rows, or the problem.
    pub fn done(&self, step: Step) -> Done<Entity> {
        match step {
            Step::Problem(d) => Done::Problem(d),
            Step::Unit(unit) => {
                let mut before = Vec::new();
                let lists = self.rows(&unit.lists, &mut before);
                let (entity, diags) = self.read(unit.id, unit.line, &unit.cells, &lists);
                let clean = !diags.iter().any(Diagnostic::is_error);
                let kept = clean && unit.twice.is_none();
                Done::Read {
                    before,
                    entity: Some(entity).filter(|_| kept),
                    diags,
                    twice: unit.twice,
                }
            }
        }
    }

    /// What a step weighs in memory, in values, as `cli::score`'s weight
    /// of the entity it will be: one for each input, and for a list one
    /// for each row and each field of each row. A problem weighs one.
    pub fn weight(&self, step: &Step) -> usize {
        let Step::Unit(unit) = step else {
            return 1;
        };
        (self.lists.iter().zip(&unit.lists))
            .map(|(list, rows)| rows.len().saturating_mul(list.columns.len() + 1))
            .fold(self.program.inputs.len(), usize::saturating_add)
    }

    /// An entity's rows of every list table read, those kept as found
    /// telling their problems in `met` in the order of the tables.
    fn rows<'k>(&self, lists: &'k [ListRows], met: &mut Vec<Diagnostic>) -> Vec<Read<'k>> {
        (self.lists.iter().zip(lists))
            .map(|(list, rows)| rows.read(&list.place, list.id_column, met))
            .collect()
    }

    /// The entity of row `line` read from its cells and its list rows, and
    /// the problems met reading it.
    fn read(
        &self,
        id: String,
        line: usize,
        cells: &Cells,
        lists: &[Read],
    ) -> (Entity, Vec<Diagnostic>) {
        let places = RowPlaces {
            layout: self,
            line,
            lists,
        };
        let mut reader = Reader {
            program: self.program,
            diags: Vec::new(),
            file: &self.file,
            // The unit's id moved, not copied: the reader names the
            // entity with it, then hands it to the entity.
            entity: id,
            places: &places,
            reported: &self.reported,
        };
        let values = self.values(&mut reader, cells, lists);
        let entity = Entity {
            id: std::mem::take(&mut reader.entity),
            values,
        };
        (entity, reader.diags)
    }

    /// Every input's value, by slot: a scalar's read from its cell of the
    /// entity's row, a list's from the entity's rows of its table.
    fn values(&self, reader: &mut Reader, cells: &Cells, lists: &[Read]) -> Vec<Value> {
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
                _ => match self.columns.get(slot).copied().flatten() {
                    Some(cell) if let Some(cell) = cells.get(cell) => {
                        let quick = self.quick.get(slot).unwrap_or(&Quick::General);
                        if let Cell::Text(s) = cell
                            && let Some(value) = quick.read(s, &self.program.enums)
                        {
                            return value;
                        }
                        let value = reader.input_cell(input, cell);
                        reader.within_judgement(input, value)
                    }
                    _ => reader.missing(input),
                },
            })
            .collect()
    }
}

/// Where the cells of one entity's row and of its list records are, for
/// messages: worked out from a field path only when one is needed.
struct RowPlaces<'l, 'p> {
    layout: &'l Layout<'p>,
    line: usize,
    /// Per list table, the rows of the entity's records.
    lists: &'l [Read<'l>],
}

impl Places for RowPlaces<'_, '_> {
    fn strict(&self) -> bool {
        self.layout.strict
    }

    fn place(&self, path: &str) -> Option<Text> {
        let e = self.layout;
        let Some((input, rest)) = path.split_once('[') else {
            let slot = e.program.inputs.iter().position(|i| i.name == path)?;
            let column = (*e.columns.get(slot)?)?;
            return Some(place_of(&e.place, self.line, column, path));
        };
        let (index, field) = rest.split_once("].")?;
        let (list, rows) = (e.lists.iter().zip(self.lists)).find(|(l, _)| l.input == input)?;
        let line = rows.line(index.parse::<usize>().ok()?)?;
        let column = list.columns.iter().find(|(f, _)| f == field)?.1?;
        Some(place_of(&list.place, line, column, field))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use crate::data::Entity;
    use crate::diagnostic::{Code, Diagnostic};

    /// What a reading handed on, comparable: each entity, or each
    /// problem's code, severity and message.
    fn handed(read: impl Iterator<Item = Result<Entity, Diagnostic>>) -> Vec<String> {
        read.map(|r| match r {
            Ok(e) => format!("{e:?}"),
            Err(d) => format!(
                "{:?} {:?} {:?} {:?}",
                d.code, d.severity, d.message, d.notes
            ),
        })
        .collect()
    }

    /// What a dataset read in halves hands on: each step read on its own
    /// (as the pool reads it, apart from the reading of the rows), then
    /// told in the order of the rows.
    fn halved(program: &crate::ir::Program, path: &std::path::Path) -> Vec<String> {
        let open = crate::data::csv::open(program, path, false).unwrap();
        let super::super::Halves {
            steps,
            layout,
            mut teller,
        } = open.halves();
        let done: Vec<_> = steps.map(|step| layout.done(step)).collect();
        let mut out = Vec::new();
        for d in done {
            teller.tell(d, &mut |r| out.push(r));
        }
        handed(out.into_iter())
    }

    /// A list in the entities' order is found on the calling thread and
    /// read on the pool, its rows kept as found: it hands on what the same
    /// list read on hands on, whatever the batches and in halves — a
    /// quoted cell over several lines with a comma in it, in the last row
    /// of a unit and the first of the next (the boundary found inside and
    /// after the quotes), a row not UTF-8, an empty row, a row without an
    /// id and a blank line among a unit's rows, CRLF line ends, and a row
    /// of the next unit that is not UTF-8 (taken with this unit's, as
    /// reading on takes it).
    #[test]
    fn a_list_found_on_the_walk_hands_on_what_a_list_read_on_does() {
        let program = crate::compile(include_str!("../../../specs/liucheng-2024.kh"))
            .program
            .unwrap();
        let entities: Vec<Entity> = crate::synth::entities(&program, 5, 60).collect();
        let dir = std::env::temp_dir().join(format!("kaohe-kept-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("units.csv");
        crate::synth::write_csv(&program, entities.iter().cloned(), &path, 1000).unwrap();
        let list = dir.join("units").join("fire_points.csv");
        let text = std::fs::read(&list).unwrap();
        let mut lines: Vec<Vec<u8>> = text.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
        let id = |line: &[u8]| line.split(|b| *b == b',').next().unwrap().to_vec();
        // The rows where a unit's rows end and the next's begin.
        let turns: Vec<usize> = (3..lines.len() - 1)
            .filter(|&i| !lines[i].is_empty() && id(&lines[i]) != id(&lines[i - 1]))
            .collect();
        assert!(turns.len() > 8, "{turns:?}");
        let quoted = |line: &mut Vec<u8>| {
            let comma = line.iter().position(|b| *b == b',').unwrap();
            line.splice(
                comma + 1..comma + 1,
                b"\"F\n,x\r\ny\"\"z\n\"".iter().copied(),
            );
        };
        quoted(&mut lines[turns[1] - 1]);
        quoted(&mut lines[turns[1]]);
        // Late in the file: no entity after a row not UTF-8 is kept.
        let n = turns.len();
        lines[turns[n - 2] + 1].extend_from_slice(b"\xff");
        lines[turns[n - 1]].extend_from_slice(b"\xff");
        let (at3, at5) = (turns[3] + 1, turns[5] + 1);
        lines.insert(at5, b",F9,\xe6\x98\xaf,\xe5\x90\xa6".to_vec());
        lines.insert(at3, Vec::new());
        lines.insert(at3, b",,,".to_vec());
        std::fs::write(&list, lines.join(&b'\n')).unwrap();
        let plots = dir.join("units").join("illegal_plots.csv");
        let text = std::fs::read_to_string(&plots).unwrap();
        std::fs::write(&plots, text.replace('\n', "\r\n")).unwrap();

        let kept = |batch: usize| {
            let open = crate::data::csv::open(&program, &path, false).unwrap();
            let found = open.reading.lists.iter();
            let kept = found.filter(|l| matches!(l.found, super::super::lists::Found::Kept { .. }));
            assert_eq!(kept.count(), open.reading.lists.len(), "every list kept");
            handed(open.batched(batch))
        };
        let unkept = crate::data::csv::open_unkept(&program, &path).unwrap();
        let read_on = handed(unkept.batched(1));
        for batch in [1, 7, super::BATCH] {
            assert_eq!(kept(batch), read_on, "batches of {batch}");
        }
        assert_eq!(halved(&program, &path), read_on, "in halves");
        std::fs::remove_dir_all(&dir).unwrap();
        let told = |what: &str| read_on.iter().filter(|h| h.contains(what)).count();
        assert!(told("TableUnreadable") >= 1, "{read_on:#?}");
        assert_eq!(told("no id"), 1);
        let kept = read_on.iter().filter(|h| h.starts_with("Entity")).count();
        assert!(kept > 20, "{kept}");
    }

    /// The lists' order is told by a walk of each list on the pool against
    /// the entities' ids: a list that is not the first with one row moved
    /// to the end of its file is found out of order and read indexed, and
    /// every other list in order, found on the walk and kept, a later one
    /// with quoted cells over several lines in the last row of a unit and
    /// the first of the next; the dataset hands on what it hands on read
    /// on, in any batches and in halves, the moved row's unit read whole.
    #[test]
    fn a_later_list_out_of_order_is_read_indexed_and_the_others_kept() {
        let program = crate::compile(include_str!("../../../specs/liucheng-2024.kh"))
            .program
            .unwrap();
        let entities: Vec<Entity> = crate::synth::entities(&program, 7, 60).collect();
        let dir = std::env::temp_dir().join(format!("kaohe-order-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("units.csv");
        crate::synth::write_csv(&program, entities.iter().cloned(), &path, 1000).unwrap();
        let lines_of = |name: &str| {
            let text = std::fs::read(dir.join("units").join(name)).unwrap();
            let lines: Vec<Vec<u8>> = text.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
            lines
        };
        let id = |line: &[u8]| line.split(|b| *b == b',').next().unwrap().to_vec();
        let turns = |lines: &[Vec<u8>]| -> Vec<usize> {
            (3..lines.len() - 1)
                .filter(|&i| !lines[i].is_empty() && id(&lines[i]) != id(&lines[i - 1]))
                .collect()
        };
        // illegal_plots: the first row of a unit's rows moved to the end.
        let mut plots = lines_of("illegal_plots.csv");
        let at = turns(&plots)[2];
        let moved = plots.remove(at);
        let last = plots.len() - 1;
        plots.insert(last, moved.clone());
        std::fs::write(dir.join("units/illegal_plots.csv"), plots.join(&b'\n')).unwrap();
        // water_readings: quoted cells over lines across a unit's end.
        let mut water = lines_of("water_readings.csv");
        let turn = turns(&water)[3];
        assert!(turns(&water).len() > 8);
        for i in [turn - 1, turn] {
            let comma = water[i].iter().position(|b| *b == b',').unwrap();
            let quoted = b"\"S\n,1\r\n2\"\"\n\"";
            water[i].splice(comma + 1..comma + 1, quoted.iter().copied());
        }
        std::fs::write(dir.join("units/water_readings.csv"), water.join(&b'\n')).unwrap();

        let open = crate::data::csv::open(&program, &path, false).unwrap();
        let found: Vec<(&str, bool)> = (open.reading.lists.iter())
            .map(|l| {
                let kept = matches!(l.found, super::super::lists::Found::Kept { .. });
                (l.input.as_str(), kept)
            })
            .collect();
        let out = found
            .iter()
            .position(|(input, _)| *input == "illegal_plots");
        assert!(out.is_some_and(|i| i > 0), "{found:?}");
        for (input, kept) in &found {
            assert_eq!(*kept, *input != "illegal_plots", "{input}: {found:?}");
        }
        let indexed = |l: &&super::super::lists::ListTable| {
            matches!(l.found, super::super::lists::Found::Indexed { .. })
        };
        assert_eq!(open.reading.lists.iter().filter(indexed).count(), 1);
        let read_on = handed(
            crate::data::csv::open_unkept(&program, &path)
                .unwrap()
                .batched(1),
        );
        for batch in [1, 7, super::BATCH] {
            let open = crate::data::csv::open(&program, &path, false).unwrap();
            assert_eq!(handed(open.batched(batch)), read_on, "batches of {batch}");
        }
        assert_eq!(halved(&program, &path), read_on, "in halves");
        std::fs::remove_dir_all(&dir).unwrap();
        let units = read_on.iter().filter(|h| h.starts_with("Entity"));
        let moved_id = String::from_utf8(id(&moved)).unwrap();
        assert!(units.clone().any(|u| u.contains(&moved_id)), "{moved_id}");
        assert!(units.count() >= 55, "{read_on:#?}");
    }

    /// A dataset read in batches of any size — one entity at a time, as it
    /// was read before, a few, the default, all at once — hands on the
    /// same entities and problems in the same order: a bad cell, an id
    /// given twice across batches, an empty row in a list, a row that
    /// is not UTF-8 (no entity after it is kept), a list row of an unknown
    /// unit (told at the end); and so does the same dataset read in halves,
    /// every row's steps read before any is told.
    #[test]
    fn a_dataset_read_in_batches_of_any_size_hands_on_the_same() {
        let program = crate::compile(include_str!("../../../specs/liucheng-2024.kh"))
            .program
            .unwrap();
        let entities: Vec<Entity> = crate::synth::entities(&program, 11, 400).collect();
        let dir = std::env::temp_dir().join(format!("kaohe-batch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("units.csv");
        crate::synth::write_csv(&program, entities.iter().cloned(), &path, 1000).unwrap();
        let mut lines: Vec<Vec<u8>> = (std::fs::read(&path).unwrap())
            .split(|b| *b == b'\n')
            .map(<[u8]>::to_vec)
            .collect();
        // The rows of entities 5, 130 and 390 (after the header and the
        // template's row of notes).
        let at = |n: usize| n + 2;
        let comma = lines[at(5)].iter().position(|b| *b == b',').unwrap();
        lines[at(5)].splice(comma + 1..comma + 1, b"abc".iter().copied());
        let id7 = entities[7].id.as_bytes();
        let id130 = entities[130].id.len();
        lines[at(130)].splice(..id130, id7.iter().copied());
        lines[at(390)].extend_from_slice(b"\xff");
        std::fs::write(&path, lines.join(&b'\n')).unwrap();
        let list = dir.join("units").join("fire_points.csv");
        let mut text = std::fs::read_to_string(&list).unwrap();
        text.push_str(",,\n不存在县,火点X,是,否\n");
        std::fs::write(&list, text).unwrap();

        let read = |batch: usize| {
            let open = crate::data::csv::open(&program, &path, false).unwrap();
            handed(open.batched(batch))
        };
        let one_by_one = read(1);
        for batch in [3, super::BATCH, 1000] {
            assert_eq!(read(batch), one_by_one, "batches of {batch}");
        }
        assert_eq!(halved(&program, &path), one_by_one, "in halves");
        std::fs::remove_dir_all(&dir).unwrap();
        let told = |code: Code| {
            one_by_one
                .iter()
                .any(|h| h.starts_with(&format!("{code:?} ")))
        };
        for code in [
            Code::DuplicateEntity,
            Code::TableUnreadable,
            Code::ListRowOrphan,
        ] {
            assert!(told(code), "{code:?}");
        }
        let kept = one_by_one
            .iter()
            .filter(|h| h.starts_with("Entity"))
            .count();
        // Not 5 (a bad cell), nor 130 (7's id again), nor 390 and after.
        assert_eq!(kept, 390 - 2);
    }
}
