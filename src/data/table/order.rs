//! Whether a list's rows come grouped by entity in the entities' order,
//! told by walking the tables once before they are read.

use super::seen::Seen;
use super::whose::{Whose, whose};
use super::{Rows, Walked};
use std::iter::Peekable;

/// Whether each list's rows come grouped by entity in the order of the
/// entity table (a list read beside it then needs no index): walking the
/// entity ids, each list is read on past the rows of each id, and is in
/// order when nothing is left. Rows without an id, empty rows and rows
/// that cannot be read are passed over here; the reading proper reports
/// them.
pub(super) fn in_order(
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
            let named = id.is_some_and(|id| self.rows.names(self.column, id));
            let other = !named && (self.rows.id(self.column)).is_some_and(|o| Some(o) != id);
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
