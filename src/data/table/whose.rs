//! Whose a row is, by its cell in the id column: an entity's, no one's, a
//! row of totals or a row passed over.

use super::Cells;
use crate::data::{Cell, blank, trim};

/// Whose a row is, by its cell in the id column.
pub(in crate::data) enum Whose<'r> {
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
pub(in crate::data) fn total(id: &str) -> bool {
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

pub(in crate::data) fn whose(cells: &Cells, column: Option<usize>) -> Whose<'_> {
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
pub(super) fn whose_text(cells: &Cells, column: Option<usize>) -> String {
    match column.and_then(|c| cells.get(c)) {
        Some(Cell::Text(s)) => trim(s).to_string(),
        _ => String::new(),
    }
}

pub(super) fn id_of(cell: Option<Cell<'_>>) -> Option<&str> {
    match cell? {
        Cell::Text(s) if !trim(s).is_empty() && !total(trim(s)) => Some(trim(s)),
        Cell::Number(n) | Cell::Percent(n) => Some(n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{Cell, Cells, Whose, blank, id_of, trim, whose};
    use crate::data::table::{Bounds, Held};

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
}
