//! A list input's table: an entity's rows in it, read on beside the
//! entities' table or again from where an index says they start, and its
//! records read from them.

use super::order::pass;
use super::source::Room;
use super::whose::{Whose, id_of, whose};
use super::{Kept, Line, Name, Reread, Row, Rows, Walked};
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
        // The rows naming the entity kept in the walk's own loop; the row
        // after them (or one held from before) is looked at here.
        if !*held && !walk.keep_named(&mut kept, column, &name) {
            return kept;
        }
        let named = walk.names(column, &name);
        let other = !named && walk.id(column).is_some_and(|other| other != id);
        *held = other && walk.readable();
        if *held {
            return kept;
        }
        walk.keep(&mut kept, named);
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
    /// of no one's (empty, a note, a row of totals) passed over. Kept rows
    /// are read where they lie ([`InPlace`]).
    pub(super) fn read(
        &self,
        place: &Text,
        column: Option<usize>,
        met: &mut Vec<Diagnostic>,
    ) -> Read<'_> {
        match self {
            ListRows::Read(rows) => Read::Rows(rows),
            ListRows::Kept(kept) => Read::InPlace(in_place(kept, place, column, met)),
        }
    }
}

/// An entity's rows of a list table, read: rows read on or again, or its
/// kept rows read where they lie.
pub(super) enum Read<'k> {
    Rows(&'k [Row]),
    InPlace(InPlace<'k>),
}

/// Kept rows read where they lie: each row's text in the kept buffer and
/// its cells' bounds in one vector for all, so that a row costs no
/// allocation (a `String` and a `Row` a row were a third of the pool's
/// `malloc` calls on a dense CSV dataset).
pub(super) struct InPlace<'k> {
    /// Every row's bounds in its text, one row's after another's.
    bounds: Vec<usize>,
    rows: Vec<Placed<'k>>,
}

/// A kept row read: its number, its text and where its bounds lie in
/// [`InPlace::bounds`].
struct Placed<'k> {
    line: usize,
    text: &'k str,
    bounds: (usize, usize),
}

impl<'k> Read<'k> {
    /// How many rows.
    pub(super) fn len(&self) -> usize {
        match self {
            Read::Rows(rows) => rows.len(),
            Read::InPlace(read) => read.rows.len(),
        }
    }

    /// The number of row `i`, for a message.
    pub(super) fn line(&self, i: usize) -> Option<usize> {
        match self {
            Read::Rows(rows) => rows.get(i).map(|r| r.line),
            Read::InPlace(read) => read.rows.get(i).map(|r| r.line),
        }
    }
}

impl InPlace<'_> {
    /// Each row's cells, in order.
    pub(super) fn lines(&self) -> impl Iterator<Item = Line<'_>> {
        let bounds = &self.bounds;
        (self.rows.iter()).map(|r| {
            Line::new(
                r.text,
                bounds.get(r.bounds.0..r.bounds.1).unwrap_or_default(),
            )
        })
    }
}

/// `kept` read where it lies, as [`ListRows::read`] says. The rows' bytes
/// are checked as UTF-8 at once: when they are, a row is exactly when it
/// starts and ends on a character's boundary in them (a row cut inside a
/// character is not UTF-8 on its own); when not, row by row.
fn in_place<'k>(
    kept: &'k Kept,
    place: &Text,
    column: Option<usize>,
    met: &mut Vec<Diagnostic>,
) -> InPlace<'k> {
    let whole = (kept.text)(&kept.bytes);
    let mut read = InPlace {
        bounds: Vec::with_capacity(room(kept)),
        rows: Vec::with_capacity(kept.rows.len()),
    };
    let (mut bytes, mut ends) = (0, 0);
    for row in &kept.rows {
        let raw = kept.bytes.get(bytes..row.bytes).unwrap_or_default();
        let text = match whole {
            Some(whole) => whole.get(bytes..row.bytes),
            None => (kept.text)(raw),
        };
        let cut = kept.ends.get(ends..row.ends).unwrap_or_default();
        (bytes, ends) = (row.bytes, row.ends);
        let Some(text) = text else {
            met.push((kept.spoilt)(place, row.line));
            continue;
        };
        let first = read.bounds.len();
        bounds_of(&mut read.bounds, text, (!row.plain).then_some(cut));
        let line = Line::new(text, read.bounds.get(first..).unwrap_or_default());
        // A row the walk found naming the entity is the entity's.
        let whose = row.named
            || match whose(&line, column) {
                Whose::Of(_) => true,
                Whose::NoOne if column.is_some() => {
                    met.push(no_id(place, row.line));
                    false
                }
                Whose::Skipped | Whose::Total | Whose::NoOne => false,
            };
        if whose {
            let bounds = (first, read.bounds.len());
            read.rows.push(Placed {
                line: row.line,
                text,
                bounds,
            });
        } else {
            read.bounds.truncate(first);
        }
    }
    met.extend(kept.failed.as_deref().cloned());
    read
}

/// Room for the bounds of every kept row, as many as the first row's: one
/// more than its ends, or for a plain line two more than its commas. Made
/// at once: room grown from nothing at the first row, then for the rest,
/// was an allocation and two copies a list.
fn room(kept: &Kept) -> usize {
    let Some(first) = kept.rows.first() else {
        return 0;
    };
    let per_row = if first.plain {
        let bytes = kept.bytes.get(..first.bytes).unwrap_or_default();
        bytes.iter().filter(|b| **b == b',').count() + 2
    } else {
        first.ends + 1
    };
    kept.rows.len().saturating_mul(per_row)
}

/// Where a row's cells start in `text`, and one past the comma after the
/// last (its end), pushed on `into`: from `ends`, where each cell ends, or
/// for a plain line (`None`) from its commas, found by `memchr`.
fn bounds_of(into: &mut Vec<usize>, text: &str, ends: Option<&[usize]>) {
    into.push(0);
    match ends {
        Some(ends) => into.extend(ends.iter().map(|end| end + 1)),
        None => {
            commas(into, text.as_bytes());
            into.push(text.len() + 1);
        }
    }
}

/// A byte in each of a word's eight.
const ONES: u64 = 0x0101_0101_0101_0101;

/// One past each comma of `bytes`, pushed on `into`, found eight bytes at
/// a time in a word: a list row is some 20 to 40 bytes with a comma every
/// few, where `memchr` called once a comma cost more than reading the row
/// byte by byte (90 M instructions for 1,000 dense units).
fn commas(into: &mut Vec<usize>, bytes: &[u8]) {
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        word_commas(into, word.try_into().unwrap_or_default(), at);
        at += 8;
    }
    let rest = words.remainder();
    if rest.is_empty() {
        return;
    }
    // The last bytes: the row's last eight as a word, shifted past those
    // looked at already (zeros come in, which are no commas). Copying them
    // into a word of zeros was a call of `memcpy` a row.
    let last = (bytes.len().checked_sub(8)).and_then(|start| bytes.get(start..));
    match last.and_then(|w| <[u8; 8]>::try_from(w).ok()) {
        Some(last) => {
            let seen = 8 * (8 - rest.len()) as u32;
            let word = u64::from_le_bytes(last).checked_shr(seen).unwrap_or(0);
            word_commas(into, word.to_le_bytes(), at);
        }
        None => {
            let found = rest.iter().enumerate().filter(|(_, b)| **b == b',');
            into.extend(found.map(|(i, _)| at + i + 1));
        }
    }
}

/// One past each comma of `word`, which starts at `at`, pushed on `into`.
#[inline]
fn word_commas(into: &mut Vec<usize>, word: [u8; 8], at: usize) {
    let mut found = zero_bytes(u64::from_le_bytes(word) ^ (ONES * u64::from(b',')));
    while found != 0 {
        into.push(at + found.trailing_zeros() as usize / 8 + 1);
        found &= found - 1;
    }
}

/// The high bit of each byte of `x` that is zero, and no other bit. Each
/// byte's low seven bits plus 0x7F set its high bit exactly when they are
/// not all zero, and never carry into the next byte, so a byte is told
/// alone (the shorter `(x - ONES) & !x` also marks a 0x01 after a zero).
fn zero_bytes(x: u64) -> u64 {
    let low = ONES * 0x7F;
    !(((x & low) + low) | x) & (ONES * 0x80)
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::{ListRows, Read, commas};
    use crate::data::table::{Bounds, Cells, Kept, RowCells, Whose, whose};
    use crate::diagnostic::{Code, Diagnostic, Text};
    use proptest::prelude::*;

    fn utf8(bytes: &[u8]) -> Option<&str> {
        std::str::from_utf8(bytes).ok()
    }

    fn spoilt(place: &Text, _line: usize) -> Diagnostic {
        Diagnostic::new(Code::TableUnreadable, place.clone())
    }

    /// A row as the test gives it: its bytes, and where its cells end when
    /// it is not a plain line.
    type Given = (&'static [u8], Option<&'static [usize]>);

    /// Rows of every kind a kept list meets: plain, quoted with a comma
    /// inside a cell, a note, empty, totals, no id, two rows cut inside a
    /// character (each not UTF-8, the two together UTF-8), Chinese, a long
    /// row with commas across words and a `-` after a comma, a formula's
    /// mark.
    const ROWS: [Given; 12] = [
        (b"u1,a,b", None),
        (b"u1,x,y", Some(&[2, 6])),
        (b"#note,,", None),
        (b"", None),
        ("合计,1,2".as_bytes(), None),
        (b",a,b", None),
        (b"u1,\xe6", None),
        (b"\x98\xaf,c", None),
        ("u1,是,否".as_bytes(), None),
        (b"u1,aaaaaaa,bbbbbbbb,,c,-,,-,", None),
        (b"u1,'=x,  ", None),
        (b"u2,q\"r,s", Some(&[2, 6, 8])),
    ];

    /// The rows kept; `named`: as a walk finds them against the id `u1` in
    /// the first column, each whose id cell is `u1` found naming it.
    fn kept(rows: &[Given], named: bool) -> Kept {
        let mut kept = Kept::new(utf8, spoilt);
        for (i, (bytes, ends)) in rows.iter().enumerate() {
            kept.push(i + 2, bytes, *ends, named && bytes.starts_with(b"u1,"));
        }
        kept
    }

    /// The rows as they were read before they were read in place: each
    /// row's text copied and checked on its own, its cells' bounds its
    /// own, the plain line's commas found byte by byte.
    fn the_old_way(rows: &[Given], column: Option<usize>) -> (Vec<String>, Vec<String>) {
        let (mut out, mut met) = (Vec::new(), Vec::new());
        for (i, (bytes, ends)) in rows.iter().enumerate() {
            let Ok(text) = std::str::from_utf8(bytes) else {
                met.push("spoilt".to_string());
                continue;
            };
            let commas: Vec<usize> = (bytes.iter().enumerate())
                .filter(|(_, b)| **b == b',')
                .map(|(i, _)| i)
                .chain([bytes.len()])
                .collect();
            let ends = ends.map_or(commas, <[usize]>::to_vec);
            let bounds = std::iter::once(0).chain(ends.iter().map(|e| e + 1));
            let cells = Cells::Text {
                text: text.to_string(),
                bounds: Bounds::Heap(bounds.collect()),
            };
            match whose(&cells, column) {
                Whose::Of(_) => out.push(shown(i + 2, &cells)),
                Whose::NoOne if column.is_some() => met.push(format!("{} no id", i + 2)),
                _ => {}
            }
        }
        (out, met)
    }

    fn shown(line: usize, cells: &impl RowCells) -> String {
        let cells: Vec<_> = (0..cells.count()).map(|i| cells.cell(i)).collect();
        format!("{line} {cells:?}")
    }

    fn in_place(rows: &[Given], column: Option<usize>) -> (Vec<String>, Vec<String>) {
        let rows = ListRows::Kept(kept(rows, column == Some(0)));
        let place = Text::new("list.csv".into(), "list.csv".into());
        let mut met = Vec::new();
        let read = rows.read(&place, column, &mut met);
        let Read::InPlace(read) = read else {
            panic!("kept rows are read in place")
        };
        let lines: Vec<String> = (read.lines().zip(&read.rows))
            .map(|(line, row)| shown(row.line, &line))
            .collect();
        let met = met.iter().map(|d| {
            let m = &d.message.en;
            if m.contains("no id") {
                format!(
                    "{} no id",
                    m.split("row ").nth(1).unwrap().split(':').next().unwrap()
                )
            } else {
                "spoilt".to_string()
            }
        });
        (lines, met.collect())
    }

    /// Kept rows read where they lie read as each row copied and read on
    /// its own did: every kind of row, with and without a column of ids
    /// (with the first column, the rows of `u1` found naming it on the
    /// walk), the rows checked as UTF-8 at once (no row spoilt, or only the two
    /// cut inside a character) and row by row (a row not UTF-8 among them).
    #[test]
    fn kept_rows_read_in_place_read_as_each_row_copied() {
        let spoilt: Given = (b"u1,\xff", None);
        let mut rows = ROWS.to_vec();
        let whole = rows.clone();
        rows.insert(3, spoilt);
        let valid: Vec<Given> = ROWS
            .iter()
            .filter(|r| std::str::from_utf8(r.0).is_ok())
            .copied()
            .collect();
        for rows in [&whole, &rows, &valid] {
            for column in [Some(0), Some(1), None] {
                let (old, new) = (the_old_way(rows, column), in_place(rows, column));
                assert_eq!(new, old, "column {column:?}");
                assert_eq!(old.0.is_empty(), column.is_none(), "{old:?}");
            }
        }
        let (read, met) = in_place(&whole, Some(0));
        assert_eq!(met, ["7 no id", "spoilt", "spoilt"]);
        assert!(read.iter().any(|r| r.contains("\"x,y\"")), "{read:?}");
    }

    fn commas_byte_by_byte(bytes: &[u8]) -> Vec<usize> {
        let found = bytes.iter().enumerate().filter(|(_, b)| **b == b',');
        found.map(|(i, _)| i + 1).collect()
    }

    proptest! {
        /// Commas found a word at a time are the commas, whatever lies
        /// around them (bytes one off a comma, `-` and `+`, high bytes).
        #[test]
        fn commas_by_words_are_the_commas(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b','), Just(b'-'), Just(b'+'), Just(0xac_u8), Just(0x2c_u8 ^ 0x80), any::<u8>()],
                0..40,
            )
        ) {
            let mut found = Vec::new();
            commas(&mut found, &bytes);
            prop_assert_eq!(found, commas_byte_by_byte(&bytes));
        }
    }
}
