//! A spreadsheet (.xlsx, or .xls of Excel 97–2003) read as a `Grid`, by
//! calamine (already kaohe's reader of data workbooks, src/data): every
//! worksheet in order, the first with a header row chosen (`table`).
//!
//! - Only the cells that hold something are read (calamine's cell reader,
//!   one cell at a time), at most `CELL_CAP` of them a sheet, so that a
//!   crafted workbook whose cells lie far apart (A1 and XFD1048576) never
//!   has its whole used range allocated. The grid is the rows and columns
//!   of that range when it has at most `CELL_CAP` cells, as Excel shows the
//!   sheet; else the rows and the columns that hold a cell, in order (a
//!   stray cell far from the table then reads as a note or an unnamed
//!   column); else the sheet is refused (K0811).
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
use super::file::{Cause, UNPACKED_CAP, unpack, unreadable};
use crate::diagnostic::{Code, Diagnostic};
use crate::shown::column_letters;
use crate::t;
use calamine::{Data, Dimensions, Reader, Xls, XlsError, Xlsx, XlsxError, open_workbook_from_rs};
use std::collections::{BTreeSet, HashMap};
use std::io::Cursor;

/// The most cells of one worksheet read, and the most cells of the grid
/// made of it: an assessment table has some thousands (the 2024 table,
/// 300 rows by 7 columns, about 2,000).
pub(super) const CELL_CAP: usize = 200_000;

/// A value's text.
fn text_of(v: &Data) -> String {
    match v {
        Data::Empty | Data::Error(_) => String::new(),
        // As the sheet shows it: a formula's =0.1+0.2 is 0.3, not 0.30000000000000004.
        Data::Float(f) => crate::shown::number(*f).unwrap_or_else(|| f.to_string()),
        other => other.to_string(),
    }
}

/// The cells of a worksheet that hold something (every cell but an empty
/// one), by (row, column), with their text.
type Present = Vec<((u32, u32), String)>;

/// A cell's name as Excel writes it (B7).
fn cell_name((row, col): (u32, u32)) -> String {
    format!("{}{}", column_letters(col as usize), u64::from(row) + 1)
}

/// A worksheet too large to be a table (K0811): more cells than
/// `CELL_CAP`, or cells spread so far apart that even the rows and columns
/// that hold one make a larger grid. `far` is the cell farthest from A1.
fn spread(file: &str, sheet: &str, far: Option<(u32, u32)>, rows: u64, cols: u64) -> Diagnostic {
    let cap = CELL_CAP;
    let d = match far {
        Some(far) => {
            let cell = cell_name(far);
            Diagnostic::new(
                Code::ImportSheetTooLarge,
                t!(
                    "{file}: the cells of worksheet {sheet} are spread over {rows} rows and {cols} columns, the farthest at {cell}: far more than an assessment table (kaohe import reads at most {cap} cells of a worksheet)",
                    "{file}：工作表“{sheet}”的单元格分布在 {rows} 行、{cols} 列中，最远的在 {cell}：远大于任何考核表（kaohe import 每张工作表最多读取 {cap} 个单元格）"
                ),
            )
        }
        None => Diagnostic::new(
            Code::ImportSheetTooLarge,
            t!(
                "{file}: worksheet {sheet} holds more than {cap} cells, far more than an assessment table",
                "{file}：工作表“{sheet}”中有超过 {cap} 个单元格，远大于任何考核表"
            ),
        ),
    };
    d.in_file(file).with_help(t!(
        "delete what lies outside the table (select the rows below it and the columns right of it, right-click → Delete), or copy the table alone into a new workbook, save it and import that",
        "请删除表格以外的内容（选中表格下方的行和右侧的列，右键 → 删除），或把表格单独复制到新的工作簿中保存后再导入"
    ))
}

/// The cells of an .xlsx worksheet that hold something, read one at a
/// time (never the sheet's whole range); `None` past `CELL_CAP`.
fn present_xlsx<RS: std::io::Read + std::io::Seek>(
    book: &mut Xlsx<RS>,
    name: &str,
) -> Result<Option<Present>, XlsxError> {
    let mut reader = match book.worksheet_cells_reader(name) {
        Ok(r) => r,
        // A chart sheet: no cells.
        Err(XlsxError::NotAWorksheet(_)) => return Ok(Some(Vec::new())),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    while let Some(cell) = reader.next_cell()? {
        // As calamine's own range: every cell but an empty one (an error
        // or an empty text still stands where it is).
        let value: Data = cell.get_value().clone().into();
        if value == Data::Empty {
            continue;
        }
        let text = text_of(&value);
        if out.len() >= CELL_CAP {
            return Ok(None);
        }
        out.push((cell.get_position(), text));
    }
    Ok(Some(out))
}

/// Which cells of the grid lie inside a merged region without being its
/// first: the regions, clipped to the grid's rows and columns, summed on a
/// grid of counts (a corner each, then running sums), so that the time is
/// the grid's and the regions' count, never their area.
fn covered(rows: &[u32], cols: &[u32], merged: &[Dimensions]) -> Vec<bool> {
    let (h, w) = (rows.len(), cols.len());
    let mut sum = vec![0i64; (h + 1) * (w + 1)];
    let mut starts: HashMap<(usize, usize), i64> = HashMap::new();
    for m in merged {
        let r0 = rows.partition_point(|&r| r < m.start.0);
        let r1 = rows.partition_point(|&r| r <= m.end.0);
        let c0 = cols.partition_point(|&c| c < m.start.1);
        let c1 = cols.partition_point(|&c| c <= m.end.1);
        if r0 >= r1 || c0 >= c1 {
            continue;
        }
        for (r, c, d) in [(r0, c0, 1), (r0, c1, -1), (r1, c0, -1), (r1, c1, 1)] {
            if let Some(s) = sum.get_mut(r * (w + 1) + c) {
                *s += d;
            }
        }
        let first = (
            rows.binary_search(&m.start.0).ok(),
            cols.binary_search(&m.start.1).ok(),
        );
        if let (Some(r), Some(c)) = first {
            *starts.entry((r, c)).or_default() += 1;
        }
    }
    // Running sums along the rows, then down the columns.
    for r in 0..=h {
        for c in 1..=w {
            let left = sum.get(r * (w + 1) + c - 1).copied().unwrap_or(0);
            if let Some(s) = sum.get_mut(r * (w + 1) + c) {
                *s += left;
            }
        }
    }
    for r in 1..=h {
        for c in 0..=w {
            let up = sum.get((r - 1) * (w + 1) + c).copied().unwrap_or(0);
            if let Some(s) = sum.get_mut(r * (w + 1) + c) {
                *s += up;
            }
        }
    }
    let mut out = Vec::with_capacity(h * w);
    for r in 0..h {
        for c in 0..w {
            let inside = sum.get(r * (w + 1) + c).copied().unwrap_or(0);
            let first = starts.get(&(r, c)).copied().unwrap_or(0);
            out.push(inside - first > 0);
        }
    }
    out
}

/// One worksheet as a grid (its cells as `present_xlsx` gives them).
#[allow(clippy::result_large_err)]
fn sheet(
    file: &str,
    name: &str,
    cells: Present,
    merged: &[Dimensions],
) -> Result<Grid, Diagnostic> {
    let Some(r0) = cells.iter().map(|(p, _)| p.0).min() else {
        return Ok(Grid::default());
    };
    let r1 = cells.iter().map(|(p, _)| p.0).max().unwrap_or(r0);
    let c1 = cells.iter().map(|(p, _)| p.1).max().unwrap_or(0);
    let height = u64::from(r1 - r0) + 1;
    let width = u64::from(c1) + 1;
    let cap = u64::try_from(CELL_CAP).unwrap_or(u64::MAX);
    let (row_at, col_at): (Vec<u32>, Vec<u32>) = if height.saturating_mul(width) <= cap {
        // The used range as Excel shows it.
        ((r0..=r1).collect(), (0..=c1).collect())
    } else {
        // Cells far apart: the rows and the columns that hold one.
        let rows: BTreeSet<u32> = cells.iter().map(|(p, _)| p.0).collect();
        let cols: BTreeSet<u32> = cells.iter().map(|(p, _)| p.1).collect();
        let (h, w) = (rows.len() as u64, cols.len() as u64);
        if h.saturating_mul(w) > cap {
            let far = cells
                .iter()
                .map(|(p, _)| *p)
                .max_by_key(|p| u64::from(p.0) + u64::from(p.1));
            return Err(spread(file, name, far, height, width));
        }
        (rows.into_iter().collect(), cols.into_iter().collect())
    };
    let mut text: HashMap<(u32, u32), String> = cells.into_iter().collect();
    let covered = covered(&row_at, &col_at, merged);
    let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(row_at.len());
    let mut i = 0usize;
    for &r in &row_at {
        let mut row = Vec::with_capacity(col_at.len());
        for &c in &col_at {
            let at = Place::Sheet {
                sheet: name.to_string(),
                row: r,
                col: c,
            };
            let hidden = covered.get(i).copied().unwrap_or(false);
            i += 1;
            let value = text.remove(&(r, c)).unwrap_or_default();
            row.push(Cell {
                paragraphs: if hidden {
                    Vec::new()
                } else {
                    paragraphs(&value)
                },
                at,
            });
        }
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
        return Ok(grid);
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
    Ok(grid)
}

/// Why calamine could not read an .xlsx; `None` for a password.
fn xlsx_cause(e: &XlsxError) -> Option<Cause> {
    Some(match e {
        XlsxError::Password => return None,
        XlsxError::Zip(z) => Cause::of_zip(z),
        XlsxError::Io(_) => Cause::Zip,
        XlsxError::Xml(_)
        | XlsxError::XmlAttr(_)
        | XlsxError::XmlEof(_)
        | XlsxError::UnexpectedNode(_)
        | XlsxError::Unexpected(_) => Cause::Xml,
        XlsxError::FileNotFound(part) => Cause::Missing(part.clone()),
        XlsxError::RelationshipNotFound => Cause::Missing(String::new()),
        XlsxError::WorksheetNotFound(name) => Cause::MissingSheet(name.clone()),
        _ if e.to_string().contains("password") => return None,
        _ => Cause::Other,
    })
}

/// Why calamine could not read an .xls; `None` for a password.
fn xls_cause(e: &XlsError) -> Option<Cause> {
    Some(match e {
        XlsError::Password => return None,
        XlsError::WorksheetNotFound(name) => Cause::MissingSheet(name.clone()),
        XlsError::Io(_) | XlsError::Cfb(_) | XlsError::Len { .. } | XlsError::EoStream(_) => {
            Cause::OldStructure
        }
        _ if e.to_string().contains("password") => return None,
        _ => Cause::OldStructure,
    })
}

/// The worksheets of a workbook as grids, the first with a header row
/// (else the first of any cells, for the message that finds no table).
// One diagnostic, as every reader of a file returns.
#[allow(clippy::result_large_err)]
pub(super) fn grid(bytes: &[u8], file: &str, xls: bool) -> Result<Grid, Diagnostic> {
    let fail_xls = |e: XlsError| match xls_cause(&e) {
        None => super::file::encrypted(file),
        Some(cause) => unreadable(file, false, &cause, &e),
    };
    let fail = |e: XlsxError| match xlsx_cause(&e) {
        None => super::file::encrypted(file),
        Some(cause) => unreadable(file, false, &cause, &e),
    };
    let mut sheets: Vec<(String, Present, Vec<Dimensions>)> = Vec::new();
    if xls {
        // Excel 97–2003 keeps at most 65,536 rows by 256 columns, and
        // calamine reads such a workbook whole when it opens it, making
        // room for what each sheet's records claim: those are read first.
        let cap = CELL_CAP as u64;
        for sheet in super::biff::extents(bytes).unwrap_or_default() {
            let (rows, cols) = sheet.spanned();
            if sheet.claimed > cap {
                return Err(spread(file, &sheet.name, None, 0, 0));
            }
            if rows.saturating_mul(cols) > cap {
                return Err(spread(file, &sheet.name, sheet.far(), rows, cols));
            }
        }
        let mut book: Xls<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(fail_xls)?;
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).map_err(fail_xls)?;
            let merged = book.merge_cells_by_sheet_name(&name).map_err(fail_xls)?;
            let (r0, c0) = range.start().unwrap_or_default();
            let cells: Present = range
                .used_cells()
                .map(|(r, c, v)| {
                    let r = u32::try_from(r).unwrap_or(u32::MAX);
                    let c = u32::try_from(c).unwrap_or(u32::MAX);
                    ((r0.saturating_add(r), c0.saturating_add(c)), text_of(v))
                })
                .collect();
            if cells.len() > CELL_CAP {
                return Err(spread(file, &name, None, 0, 0));
            }
            sheets.push((name, cells, merged));
        }
    } else {
        // Unpacked once within the cap before calamine reads the parts it
        // wants, so that a zip bomb is refused (K0809) rather than unpacked.
        unpack(bytes, file, false, |_| true, UNPACKED_CAP)?;
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(fail)?;
        for name in book.sheet_names() {
            let Some(cells) = present_xlsx(&mut book, &name).map_err(fail)? else {
                return Err(spread(file, &name, None, 0, 0));
            };
            let merged = book.merge_cells_by_sheet_name(&name).map_err(fail)?;
            sheets.push((name, cells, merged));
        }
    }
    let mut grids: Vec<Grid> = Vec::with_capacity(sheets.len());
    for (name, cells, merged) in sheets {
        grids.push(sheet(file, &name, cells, &merged)?);
    }
    let chosen = grids.iter().position(super::table::has_header).or_else(|| {
        grids
            .iter()
            .position(|g| !g.before.is_empty() || g.rows.iter().flatten().any(|c| !c.is_empty()))
    });
    Ok(chosen
        .and_then(|i| grids.into_iter().nth(i))
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::text_of;
    use calamine::Data;

    #[test]
    fn a_formulas_points_are_read_as_the_sheet_shows_them() {
        assert_eq!(text_of(&Data::Float(0.1 + 0.2)), "0.3");
        assert_eq!(text_of(&Data::Float(10.0)), "10");
        assert_eq!(text_of(&Data::Int(3)), "3");
        assert_eq!(text_of(&Data::String("扣0.5分".into())), "扣0.5分");
    }
}
