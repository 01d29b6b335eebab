//! The table as rows of cells, between the readers of each format and the
//! placing of sections, indicators and items (`table`): every reader (the
//! text copied from Word here, `xlsx`, `docx`) gives a `Grid`, and one
//! `table::read` turns any grid into the draft's structure.
//!
//! A grid's merged cells are resolved as Word's copied text has them: a
//! cell merged down is written in its first row and empty in the rows
//! under it; a cell merged across is written in its first column and the
//! columns it covers after that are empty. A cell keeps its paragraphs
//! (the lines of its text) and where it stands in the file, for messages.

use crate::diagnostic::Text;
use crate::shown::column_letters;
use crate::t;

/// Where a cell stands in the file it was read from.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Place {
    /// A line of a text file (1-based).
    Line(usize),
    /// A cell of a worksheet: its name, row and column (0-based).
    Sheet { sheet: String, row: u32, col: u32 },
    /// A cell of a Word table: the table, its row and column (1-based).
    Word {
        table: usize,
        row: usize,
        col: usize,
    },
    /// A paragraph of a Word document outside its tables (1-based).
    Paragraph(usize),
}

impl Place {
    /// "FILE, line 7: " / "FILE 第 7 行：" and the like, before a message.
    pub fn prefix(&self, file: &str) -> Text {
        match self {
            Place::Line(line) => t!("{file}, line {line}: ", "{file} 第 {line} 行："),
            Place::Sheet { sheet, row, col } => {
                let cell = format!("{}{}", column_letters(*col as usize), u64::from(*row) + 1);
                t!(
                    "{file}, sheet {sheet}, cell {cell}: ",
                    "{file} 工作表“{sheet}”单元格 {cell}："
                )
            }
            Place::Word { table, row, col } => t!(
                "{file}, table {table}, row {row}, column {col}: ",
                "{file} 第 {table} 个表格第 {row} 行第 {col} 列："
            ),
            Place::Paragraph(n) => t!(
                "{file}, paragraph {n} outside the table: ",
                "{file} 表格外第 {n} 段："
            ),
        }
    }
}

/// A cell: its paragraphs, and where it begins.
#[derive(Clone, Debug)]
pub(super) struct Cell {
    pub paragraphs: Vec<String>,
    pub at: Place,
}

impl Cell {
    /// A cell of the given text, cut into paragraphs at its line breaks
    /// (blank lines dropped, each paragraph trimmed).
    pub fn of_text(text: &str, at: Place) -> Cell {
        Cell {
            paragraphs: paragraphs(text),
            at,
        }
    }

    /// The paragraphs joined by a line break, as the table shows them.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n")
    }

    /// The paragraphs run together, for a cell written one character a
    /// line (扣 / 分 / 项).
    pub fn joined(&self) -> String {
        self.paragraphs.concat().split_whitespace().collect()
    }

    pub fn is_empty(&self) -> bool {
        self.paragraphs.iter().all(|p| p.trim().is_empty())
    }
}

/// The lines of a text, trimmed, without blank ones.
pub(super) fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim_matches([' ', '\t', '\r', '\u{3000}']))
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// A table as read from a file, before its rows are placed.
#[derive(Clone, Debug, Default)]
pub(super) struct Grid {
    /// The paragraphs before the table, the title first.
    pub before: Vec<String>,
    /// The rows, merged cells resolved (above).
    pub rows: Vec<Vec<Cell>>,
    /// Cells that fit no row (in copied text: those after the last whole
    /// row), reported as not placed.
    pub loose: Vec<Cell>,
    /// The paragraphs after the table (notes), with where they stand.
    pub after: Vec<(Place, String)>,
}

/// The text of a Word table copied into a text file: every cell begins
/// on a line of its own with a tab, a cell's further paragraphs follow on
/// lines without one (blank lines between them), and a merged cell is
/// empty in the rows under its first. Rows are not marked: they are as
/// long as the header row (the first run of cells naming known columns,
/// from one that `starts` one), so the cells before the header are rows of
/// one cell each, and those after the last whole row are loose.
pub(super) fn from_text(
    text: &str,
    starts: impl Fn(&str) -> bool,
    is_column: impl Fn(&str) -> bool,
) -> Grid {
    let text = text.trim_start_matches('\u{feff}');
    let mut before = Vec::new();
    let mut cells: Vec<Cell> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches(['\r', ' ', '\u{3000}']);
        if let Some(first) = line.strip_prefix('\t') {
            let mut cell = Cell {
                paragraphs: Vec::new(),
                at: Place::Line(i + 1),
            };
            if !first.trim().is_empty() {
                cell.paragraphs.push(first.trim().to_string());
            }
            cells.push(cell);
        } else if let Some(cell) = cells.last_mut() {
            if !line.trim().is_empty() {
                cell.paragraphs.push(line.trim().to_string());
            }
        } else if !line.trim().is_empty() {
            before.push(line.trim().to_string());
        }
    }
    let start = cells.iter().position(|c| starts(&c.joined()));
    let width = start.map_or(0, |s| {
        cells
            .get(s..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| is_column(&c.joined()))
            .count()
    });
    let mut grid = Grid {
        before,
        ..Grid::default()
    };
    let (Some(start), true) = (start, width > 0) else {
        // No header: every cell a row of its own (the table finds none).
        grid.rows = cells.into_iter().map(|c| vec![c]).collect();
        return grid;
    };
    let mut rest = cells.split_off(start);
    grid.rows = cells.into_iter().map(|c| vec![c]).collect();
    let whole = rest.len() - rest.len() % width;
    grid.loose = rest.split_off(whole);
    let mut row = Vec::with_capacity(width);
    for cell in rest {
        row.push(cell);
        if row.len() == width {
            grid.rows.push(std::mem::take(&mut row));
        }
    }
    grid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copied_text_is_cut_into_rows_as_long_as_its_header() {
        let grid = from_text(
            "标题\n\t前言\n\t考核事项\n\t分值\n\t1.1 甲\n\t2\n\t1.2 乙\n多一段\n\n\t3\n\t余\n",
            |c| c == "考核事项",
            |c| c == "考核事项" || c == "分值",
        );
        assert_eq!(grid.before, ["标题"]);
        let rows: Vec<Vec<String>> = (grid.rows.iter())
            .map(|r| r.iter().map(Cell::text).collect())
            .collect();
        assert_eq!(
            rows,
            [
                vec!["前言"],
                vec!["考核事项", "分值"],
                vec!["1.1 甲", "2"],
                vec!["1.2 乙\n多一段", "3"]
            ]
        );
        assert_eq!(grid.loose.len(), 1);
        assert_eq!(grid.loose[0].at, Place::Line(11));
    }
}
