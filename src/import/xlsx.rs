//! A spreadsheet (.xlsx, or .xls of Excel 97–2003) read as a `Grid`, by
//! calamine (already kaohe's reader of data workbooks, src/data): every
//! worksheet in order, the first with a header row chosen (`table`).
//!
//! - Merged cells: the first cell of a merged region keeps its value, the
//!   others are emptied (some programs repeat the value in each), as the
//!   grid wants them.
//! - Rows above the table holding one cell (a title merged across the
//!   columns) are the paragraphs before the table, the title first; rows
//!   after it holding one cell (备注…) are its notes.
//! - A cell's line breaks (Alt+Enter) cut it into paragraphs.
//! - A number is written as Excel shows it in its shortest form (3, 0.5):
//!   the points are read from that text, as from the copied table's.

use super::cells::{Cell, Grid, Place, paragraphs};
use super::file::{UNPACKED_CAP, damaged, reason, unpack};
use crate::diagnostic::Diagnostic;
use calamine::{Data, Dimensions, Range, Reader, Xls, Xlsx, open_workbook_from_rs};
use std::io::Cursor;

/// A value's text.
fn text_of(v: &Data) -> String {
    match v {
        Data::Empty | Data::Error(_) => String::new(),
        // The shortest text that reads back as the same number (3, 0.5).
        other => other.to_string(),
    }
}

/// One worksheet as a grid.
fn sheet(name: &str, range: &Range<Data>, merged: &[Dimensions]) -> Grid {
    let Some((r0, c0)) = range.start() else {
        return Grid::default();
    };
    let Some((r1, c1)) = range.end() else {
        return Grid::default();
    };
    let covered = |r: u32, c: u32| merged.iter().any(|m| m.contains(r, c) && (r, c) != m.start);
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for r in r0..=r1 {
        let row: Vec<Cell> = (0..=c1)
            .map(|c| {
                let at = Place::Sheet {
                    sheet: name.to_string(),
                    row: r,
                    col: c,
                };
                if c < c0 || covered(r, c) {
                    return Cell {
                        paragraphs: Vec::new(),
                        at,
                    };
                }
                let text = range.get_value((r, c)).map(text_of).unwrap_or_default();
                Cell {
                    paragraphs: paragraphs(&text),
                    at,
                }
            })
            .collect();
        rows.push(row);
    }
    let filled = |row: &Vec<Cell>| row.iter().filter(|c| !c.is_empty()).count();
    let mut grid = Grid::default();
    // The title and other lines above the table: rows of one cell.
    let first_table_row = rows.iter().position(|r| filled(r) >= 2);
    let last_table_row = rows.iter().rposition(|r| filled(r) >= 2);
    let (Some(first), Some(last)) = (first_table_row, last_table_row) else {
        // No row of two cells: no table (the table finds no header).
        grid.rows = rows;
        return grid;
    };
    let mut after = rows.split_off(last + 1);
    let body = rows.split_off(first);
    for row in rows.iter().flatten().filter(|c| !c.is_empty()) {
        grid.before.extend(row.paragraphs.iter().cloned());
    }
    grid.rows = body;
    for cell in after.iter_mut().flatten().filter(|c| !c.is_empty()) {
        grid.after.push((cell.at.clone(), cell.text()));
    }
    grid
}

/// The worksheets of a workbook as grids, the first with a header row
/// (else the first of any cells, for the message that finds no table).
// One diagnostic, as every reader of a file returns.
#[allow(clippy::result_large_err)]
pub(super) fn grid(bytes: &[u8], file: &str, xls: bool) -> Result<Grid, Diagnostic> {
    let fail = |e: &dyn std::fmt::Display| {
        let text = e.to_string();
        if text.contains("password") {
            super::file::encrypted(file)
        } else {
            damaged(file, false, &reason(&text))
        }
    };
    let mut sheets: Vec<(String, Range<Data>, Vec<Dimensions>)> = Vec::new();
    if xls {
        let mut book: Xls<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| fail(&e))?;
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).map_err(|e| fail(&e))?;
            let merged = book
                .merge_cells_by_sheet_name(&name)
                .map_err(|e| fail(&e))?;
            sheets.push((name, range, merged));
        }
    } else {
        // Unpacked once within the cap before calamine reads the parts it
        // wants, so that a zip bomb is refused (K0809) rather than unpacked.
        unpack(bytes, file, false, |_| true, UNPACKED_CAP)?;
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| fail(&e))?;
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).map_err(|e| fail(&e))?;
            let merged = book
                .merge_cells_by_sheet_name(&name)
                .map_err(|e| fail(&e))?;
            sheets.push((name, range, merged));
        }
    }
    let grids: Vec<Grid> = sheets
        .iter()
        .map(|(name, range, merged)| sheet(name, range, merged))
        .collect();
    let chosen = grids.iter().position(super::table::has_header).or_else(|| {
        grids
            .iter()
            .position(|g| !g.before.is_empty() || g.rows.iter().flatten().any(|c| !c.is_empty()))
    });
    Ok(chosen
        .and_then(|i| grids.into_iter().nth(i))
        .unwrap_or_default())
}
