//! Whether a list's rows come grouped by entity in the entities' order,
//! told by walking the tables once before they are read.

use super::seen::Seen;
use super::whose::{Whose, whose};
use super::{Name, Rows, Walked};
use rayon::prelude::*;
use std::iter::Peekable;

/// Whether each list's rows come grouped by entity in the order of the
/// entity table (a list read beside it then needs no index): walking the
/// entity ids, each list is read on past the rows of each id, and is in
/// order when nothing is left. Rows without an id, empty rows and rows
/// that cannot be read are passed over here; the reading proper reports
/// them.
///
/// The entity table is walked first for its ids; then each list is walked
/// against them, one pool task a list. The lists are independent given the
/// ids, and walking them was a tenth of the work, done before the first
/// unit is read while the pool waited: on two cores it now takes half as
/// long. Each answer is the one walking all the tables together gave.
pub(super) fn in_order(
    main: Walked<'_>,
    main_id: Option<usize>,
    lists: Vec<Option<(Walked<'_>, Option<usize>)>>,
    seen: &mut Seen,
) -> Vec<bool> {
    let ids = Ids::walk(main, main_id, seen);
    (lists.into_par_iter())
        .map(|list| list.is_some_and(|(rows, column)| in_step(rows, column, &ids)))
        .collect()
}

/// The entities' ids in the order of their rows, one after another in one
/// buffer (a million ids take some 10 bytes each and their ends).
#[derive(Default)]
struct Ids {
    text: String,
    ends: Vec<usize>,
}

impl Ids {
    /// The ids of the entity table's rows that can be read and have one,
    /// each noted in `seen` as met on the walk.
    fn walk(mut main: Walked<'_>, main_id: Option<usize>, seen: &mut Seen) -> Ids {
        let mut ids = Ids::default();
        while main.advance() {
            if !main.readable() {
                continue;
            }
            let Some(id) = main.id(main_id) else {
                continue;
            };
            seen.walk(id);
            ids.text.push_str(id);
            ids.ends.push(ids.text.len());
        }
        seen.walked();
        ids
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        (starts.zip(&self.ends)).map(|(start, &end)| self.text.get(start..end).unwrap_or_default())
    }
}

/// Whether a list's rows come in the order of `ids`: read on past the rows
/// of each in turn, nothing is left.
fn in_step(rows: Walked<'_>, column: Option<usize>, ids: &Ids) -> bool {
    let mut list = Ahead {
        rows,
        column,
        held: false,
    };
    for id in ids.iter() {
        list.pass(Some(&Name::new(id)));
    }
    list.pass(None);
    !list.held
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
    fn pass(&mut self, id: Option<&Name>) {
        loop {
            if !self.held && !self.rows.advance() {
                return;
            }
            let named = id.is_some_and(|id| self.rows.names(self.column, id));
            let other =
                !named && (self.rows.id(self.column)).is_some_and(|o| Some(o) != id.map(|i| i.id));
            self.held = other && self.rows.readable();
            if self.held {
                return;
            }
        }
    }
}

/// Read on past the rows of `id` (and the rows that belong to no one).
pub(super) fn pass(rows: &mut Peekable<Rows>, column: Option<usize>, id: Option<&str>) {
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
