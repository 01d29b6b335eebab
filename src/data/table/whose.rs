//! Whose a row is, by its cell in the id column: an entity's, no one's, a
//! row of totals or a row passed over.

use super::{Cells, RowCells};
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

/// Whether an id cell's text marks a row of totals. Asked of every row
/// of every table, twice (the walk and the reading): an id that cannot be
/// one of the words is told without making the two texts below, which
/// were a quarter of reading a dense CSV dataset (docs/performance.md,
/// round 9). Lowercasing turns a character into one or more, never none,
/// so an id of more characters (whitespace aside) than the longest word,
/// or whose first character lowercases to no word's first, is none of them.
pub(in crate::data) fn total(id: &str) -> bool {
    // A first character that is printable ASCII is the first one kept
    // (no white space); other than t or s, in either case, it starts none
    // of the words: nearly every id (`0001-r000`, `A1`) is told by a byte.
    if let Some(b) = id.bytes().next()
        && b.is_ascii_graphic()
        && !matches!(b.to_ascii_lowercase(), b't' | b's')
    {
        return false;
    }
    let mut kept = id.chars().filter(|c| !c.is_whitespace());
    let first = kept.next().and_then(|c| c.to_lowercase().next());
    if !first.is_some_and(|c| TOTAL_FIRST.contains(&c)) || kept.nth(TOTAL_LONGEST - 1).is_some() {
        return false;
    }
    total_by_words(id)
}

/// The first characters of the words of [`total_by_words`].
const TOTAL_FIRST: [char; 7] = ['合', '总', '小', '總', 't', 's', '全'];

/// The most characters a word of [`total_by_words`] has ("total").
const TOTAL_LONGEST: usize = 5;

/// Whether an id cell's text, its whitespace taken out and lowercased, is
/// one of the words of a row of totals.
fn total_by_words(id: &str) -> bool {
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

pub(in crate::data) fn whose<C: RowCells + ?Sized>(cells: &C, column: Option<usize>) -> Whose<'_> {
    let empty = |c: Option<Cell>| match c {
        None => true,
        Some(Cell::Text(s)) => blank(s),
        Some(_) => false,
    };
    // The id cell trimmed once; a row with an id is not empty, so only a
    // row without one is looked at whole.
    match column.and_then(|c| cells.cell(c)) {
        Some(Cell::Text(s)) if !blank(s) => match trim(s) {
            id if id.starts_with('#') => Whose::Skipped,
            id if total(id) => Whose::Total,
            id => Whose::Of(id),
        },
        Some(Cell::Number(n) | Cell::Percent(n)) => Whose::Of(n),
        Some(Cell::Bool(_) | Cell::Other(_) | Cell::BadDate(_)) => Whose::NoOne,
        _ if (0..cells.count()).all(|i| empty(cells.cell(i))) => Whose::Skipped,
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

    /// `total` answers as the words alone do, for the words spelt in any
    /// case with whitespace anywhere, and for texts that start like them,
    /// are longer, or lowercase into more characters (İ, Σ).
    #[test]
    fn total_answers_as_the_words_do() {
        let words = [
            "合计",
            "总计",
            "小计",
            "合計",
            "總計",
            "total",
            "sum",
            "全市合计",
            "全县合计",
            "合计：",
        ];
        let mut texts: Vec<String> = Vec::new();
        for w in words {
            texts.push(w.to_string());
            texts.push(w.to_uppercase());
            texts.push(format!(" {w}\u{3000}"));
            texts.push(w.chars().map(|c| format!("{c} ")).collect());
            texts.push(format!("{w}x"));
            texts.push(format!("x{w}"));
            texts.push(w.chars().skip(1).collect());
        }
        for t in [
            "",
            " ",
            "İ",
            "Σ",
            "TOTAL ",
            "To Tal",
            "ſum",
            "S\u{130}M",
            "柳城县",
            "0001-r000",
            "t",
            "合",
        ] {
            texts.push(t.to_string());
        }
        // Every printable ASCII character in front of each word's tail,
        // and in front of nothing: the first byte alone decides most.
        for c in '!'..='~' {
            texts.push(c.to_string());
            for tail in ["otal", "OTAL", "um", "UM", "ota l", "0001-r000"] {
                texts.push(format!("{c}{tail}"));
            }
        }
        for t in &texts {
            assert_eq!(super::total(t), super::total_by_words(t), "{t:?}");
        }
        assert!(super::total(" T o t a l "));
        assert!(!super::total("totals"));
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
