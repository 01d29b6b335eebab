//! A list input's table: an entity's rows in it, read on beside the
//! entities' table or again from where an index says they start, and its
//! records read from them.

use super::order::pass;
use super::source::Room;
use super::whose::{Whose, id_of, whose};
use super::{Kept, Name, Reread, Row, Rows, Walked};
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::ir::Record;
use crate::t;
use std::collections::HashMap;
use std::iter::Peekable;
use std::sync::Arc;

/// A list input's table, indexed: per entity id, the line and start of
/// each of its rows, read again when the entity comes.
pub(super) struct ListTable<'a> {
    pub(super) input: String,
    pub(super) slot: usize,
    pub(super) place: Text,
    pub(super) id_column: Option<usize>,
    /// Per field: its name and column.
    pub(super) columns: Vec<(String, Option<usize>)>,
    pub(super) found: Found<'a>,
    /// The list of no records, shared by every entity without rows here:
    /// an empty shared slice is still an allocation of its own.
    pub(super) empty: Arc<[Record]>,
}

/// How a list table's rows are found when their entity comes.
pub(super) enum Found<'a> {
    /// They come grouped by entity, in the entities' order: read on.
    InOrder(Peekable<Rows<'a>>),
    /// Grouped in the entities' order and found on a walk: each entity's
    /// rows kept as found, read by the task that reads the entity. `held`:
    /// the row moved to is the next entity's, not passed yet; `room`: how
    /// much the last entities' rows took, room made for as much
    /// ([`Kept::room_after`]).
    Kept {
        walk: Walked<'a>,
        held: bool,
        room: Room,
    },
    /// In any order: where each entity's rows start, read again by seeking.
    Indexed {
        by_id: HashMap<String, Vec<(usize, u64)>>,
        again: Box<dyn Reread + 'a>,
    },
}

pub(super) fn no_id(place: &Text, line: usize) -> Diagnostic {
    Diagnostic::new(
        Code::DataShape,
        t!(
            "{}, row {line}: no id; every row of a list names the assessed unit it belongs to",
            "{} 第 {line} 行：没有 id；列表的每一行都要写明所属的被考核单位",
            place
        ),
    )
}

impl ListTable<'_> {
    /// The rows of entity `id`; `met` learns of rows that belong to no one
    /// on the way (in a list read on). An error when a row cannot be read
    /// again or is not what it was.
    pub(super) fn rows_of(
        &mut self,
        id: &str,
        met: &mut Vec<Diagnostic>,
    ) -> Result<ListRows, Diagnostic> {
        let column = self.id_column;
        let owner = |row: &Row| id_of(column.and_then(|c| row.cells.get(c))) == Some(id);
        let mut out = Vec::new();
        match &mut self.found {
            Found::Kept { walk, held, room } => {
                let kept = kept(walk, held, column, id, *room);
                *room = kept.room_after(*room);
                return Ok(ListRows::Kept(kept));
            }
            Found::InOrder(rows) => {
                while let Some(next) = rows.peek() {
                    let take = match next {
                        Ok(row) => match whose(&row.cells, column) {
                            Whose::Skipped | Whose::Total => false,
                            Whose::Of(other) if other != id => break,
                            Whose::Of(_) => true,
                            // Without a column of ids the missing column
                            // has been told, not each row.
                            Whose::NoOne if column.is_none() => false,
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
        Ok(ListRows::Read(out))
    }

    /// After the last row of the entities' table: per entity id, how many
    /// rows of this table are left (`orphans`), and a row left after the
    /// last entity's rows in a table read on, written while the file was
    /// being read (`changes`).
    pub(super) fn left_over(
        &mut self,
        orphans: &mut Vec<(Text, String, usize)>,
        changes: &mut Vec<Diagnostic>,
    ) {
        match &mut self.found {
            Found::Indexed { by_id, .. } => {
                let left = by_id.iter();
                orphans.extend(left.map(|(id, rows)| (self.place.clone(), id.clone(), rows.len())));
            }
            Found::Kept { walk, held, .. } => {
                kept(walk, held, self.id_column, "", (0, 0, 0));
                if *held {
                    changes.push(changed(&self.place, walk.line()));
                }
            }
            // The walk found nothing after the last entity's rows; a
            // row there now was written while the file was being read.
            Found::InOrder(rows) => {
                pass(rows, self.id_column, None);
                if let Some(Ok(row)) = rows.peek() {
                    changes.push(changed(&self.place, row.line));
                }
            }
        }
    }
}

/// The rows of entity `id` (of no entity's when empty) found on the walk
/// and kept, as [`ListTable::rows_of`] reads them on: every row up to the
/// first that can be read and names another entity, which is held. Whether
/// a row can be read is asked only of such a row, the only one it decides;
/// the task that reads the kept rows tells each one's problem.
fn kept(walk: &mut Walked, held: &mut bool, column: Option<usize>, id: &str, room: Room) -> Kept {
    let mut kept = walk.kept().with_room(room);
    let name = Name::new(id);
    loop {
        if !*held && !walk.advance() {
            return kept;
        }
        let other = !walk.names(column, &name) && walk.id(column).is_some_and(|other| other != id);
        *held = other && walk.readable();
        if *held {
            return kept;
        }
        walk.keep(&mut kept);
    }
}

/// An entity's rows of a list table: read, or kept as found for the task
/// that reads the entity.
pub enum ListRows {
    Read(Vec<Row>),
    Kept(Kept),
}

impl ListRows {
    /// How many rows, problems among them.
    pub(super) fn len(&self) -> usize {
        match self {
            ListRows::Read(rows) => rows.len(),
            ListRows::Kept(kept) => kept.len(),
        }
    }

    /// The rows read, each kept row's problem in `met` in its turn, as a
    /// list read on tells it: a row not UTF-8, a row without an id; a row
    /// of no one's (empty, a note, a row of totals) passed over.
    pub(super) fn read(
        self,
        place: &Text,
        column: Option<usize>,
        met: &mut Vec<Diagnostic>,
    ) -> Vec<Row> {
        let kept = match self {
            ListRows::Read(rows) => return rows,
            ListRows::Kept(kept) => kept,
        };
        let mut out = Vec::with_capacity(kept.rows.len());
        let (mut bytes, mut ends) = (0, 0);
        let mut commas = Vec::new();
        for row in &kept.rows {
            let text = kept.bytes.get(bytes..row.bytes).unwrap_or_default();
            let mut cut = kept.ends.get(ends..row.ends).unwrap_or_default();
            (bytes, ends) = (row.bytes, row.ends);
            if row.plain {
                commas.clear();
                let found = text.iter().enumerate().filter(|(_, b)| **b == b',');
                commas.extend(found.map(|(i, _)| i));
                commas.push(text.len());
                cut = &commas;
            }
            let Some(cells) = (kept.cells)(text, cut) else {
                met.push((kept.spoilt)(place));
                continue;
            };
            match whose(&cells, column) {
                Whose::Of(_) => out.push(Row {
                    line: row.line,
                    at: row.at,
                    cells,
                }),
                Whose::NoOne if column.is_some() => met.push(no_id(place, row.line)),
                Whose::Skipped | Whose::Total | Whose::NoOne => {}
            }
        }
        met.extend(kept.failed.map(|d| *d));
        out
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
