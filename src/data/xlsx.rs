//! XLSX datasets in the layout `kaohe template --format xlsx` writes: the
//! first sheet holds one row per entity, and every list input has a sheet
//! named after it whose rows carry the entity's id.
//!
//! Cells are kept for [`super::scalar`] as [`Held`] values: numbers in the
//! shortest decimal form that reads back as the same float (so 87.5 stays
//! 87.5), a number whose cell format shows it as a percentage marked so
//! (0.875 shown as 87.5% is 87.5%), text as text, TRUE/FALSE as booleans,
//! and date cells as "YYYY-MM-DD" (a date cell whose number is no date is
//! kept as such, to be refused).
//!
//! The entities' sheet is the first visible sheet not named after a list
//! input whose header row has an `id` column (a warning when another sheet
//! comes before it; an error when a second visible one has `id`, last
//! year's sheet beside this year's); the header row is the first of a
//! sheet's first ten rows with a cell `id` (a warning names the rows above
//! it, such as a title).
//! Rows the entities' sheet or a list's sheet hides (hidden or filtered
//! out) are read like the others and told (`hidden`).

mod hidden;

use super::table::{Absent, Cells, Entities, Held, ListSource, Reread, Row, Table};
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::ir::{Program, Ty};
use crate::shown::column_letters;
use crate::t;
use calamine::{Data, Dimensions, Range, Reader, SheetVisible, StyleRange, Xlsx, open_workbook};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The entities of a workbook. The sheets are read whole (that is how the
/// format is stored), then scored one row at a time.
pub fn open<'a>(
    program: &'a Program,
    path: &Path,
    strict: bool,
) -> Result<Entities<'a>, Diagnostic> {
    let name = path.display().to_string();
    let mut book = Book::open(path, &name, program)?;
    let sheets = book.xlsx.sheet_names();
    let Some(first) = sheets.first().cloned() else {
        return Err(Diagnostic::new(
            Code::TableUnreadable,
            t!("{name} has no sheets", "{name} 中没有工作表"),
        )
        .in_file(&name));
    };
    let hidden = book.hidden_sheets();
    let (main_name, main) = main_sheet(&mut book, program, &sheets, &first, &hidden)?;
    let mut main = book.with_hidden(&main_name, main, false).table();
    if main_name != first {
        let put_away = hidden.contains(&first);
        main.notes
            .push(sheet_order(&name, &main_name, &first, put_away));
    }
    let lists = list_sheets(&mut book, program, &sheets);
    Ok(Entities::new(program, &name, main, None, lists, strict))
}

/// A workbook open for its sheets to be read.
struct Book {
    xlsx: Xlsx<BufReader<File>>,
    name: String,
    epoch1904: bool,
    /// The workbook asks to be calculated anew when opened: a program wrote
    /// it, and its formulas' results are placeholders (`formulas_unsaved`).
    recalculate: bool,
    /// The columns the spec reads: `id`, its inputs and its lists' fields.
    read: HashSet<String>,
    path: PathBuf,
    /// Each sheet's part in the archive, by name, for its hidden rows.
    parts: HashMap<String, String>,
}

impl Book {
    /// The workbook at `path`, named `name` in messages, read for `program`.
    fn open(path: &Path, name: &str, program: &Program) -> Result<Book, Diagnostic> {
        let xlsx: Xlsx<_> = open_workbook(path).map_err(|e| {
            Diagnostic::new(
                Code::TableUnreadable,
                t!(
                    "{name} cannot be read as an XLSX workbook: {e}",
                    "{name} 无法按 XLSX 工作簿读取：{e}"
                ),
            )
            .with_help(t!(
                "save the workbook as \"Excel Workbook (*.xlsx)\"",
                "请将工作簿另存为“Excel 工作簿 (*.xlsx)”"
            ))
            .in_file(name)
        })?;
        let epoch1904 = xlsx.has_1904_epoch();
        Ok(Book {
            xlsx,
            name: name.to_string(),
            epoch1904,
            recalculate: calculated_on_load(path),
            read: columns_read(program),
            path: path.to_path_buf(),
            parts: hidden::sheet_parts(path),
        })
    }

    /// The names of the sheets hidden in Excel (hidden or very hidden).
    fn hidden_sheets(&self) -> HashSet<String> {
        (self.xlsx.sheets_metadata().iter())
            .filter(|s| s.visible != SheetVisible::Visible)
            .map(|s| s.name.clone())
            .collect()
    }

    /// `read`, sheet `sheet` of the workbook (a `list`'s or the
    /// entities'), with a warning for the rows under its header row that it
    /// hides and that are read all the same.
    fn with_hidden(&self, sheet: &str, mut read: Sheet, list: bool) -> Sheet {
        let hidden = (self.parts.get(sheet))
            .map(|part| hidden::hidden_rows(&self.path, part))
            .unwrap_or_default();
        if let Some(d) = hidden::warning(&read, &hidden, list) {
            read.notes.push(d);
        }
        read
    }

    /// A sheet read whole, with its cells' formats.
    fn sheet(&mut self, sheet: &str) -> Result<Sheet, Diagnostic> {
        let place = sheet_place(&self.name, sheet);
        let range = self.xlsx.worksheet_range(sheet).map_err(|e| {
            Diagnostic::new(
                Code::TableUnreadable,
                t!("{} cannot be read: {e}", "{} 无法读取：{e}", place),
            )
        })?;
        // Without its styles a sheet still reads, as numbers without formats.
        let styles = (self.xlsx.worksheet_style(sheet)).unwrap_or_else(|_| StyleRange::empty());
        let mut read = sheet_of(place, &range, &styles, self.epoch1904);
        // A merged range leaves all its cells but the first empty, so only
        // a sheet with an empty cell under a named column can have one that
        // matters: only such a sheet's XML is read again for its merges,
        // which costs about a fifth more than reading the sheet once.
        // Without them it reads as its cells hold it.
        let gaps = has_gaps(&read);
        // An empty cell may be a formula never calculated; where the workbook
        // is to be calculated when opened, every formula's result is suspect.
        // Either way the formulas are read: the sheet's XML read once more.
        if gaps || self.recalculate {
            let formulas = (self.xlsx.worksheet_formula(sheet)).unwrap_or_default();
            let suspect = Suspect {
                recalculate: self.recalculate,
                read: &self.read,
            };
            if let Some(d) = formulas_unsaved(&read, &range, &formulas, suspect) {
                read.notes.push(d);
            }
        }
        if gaps {
            let merged = (self.xlsx.merge_cells_by_sheet_name(sheet)).unwrap_or_default();
            if let Some(d) = merged_cells(&mut read, &merged) {
                read.notes.push(d);
            }
        }
        Ok(read)
    }
}

/// The entities' sheet and its name: the first visible sheet that is no
/// list's and whose header row has an `id` column (a hidden one only when
/// no visible one has), else the first that is no list's, else the first.
/// A second visible sheet with `id` is K0518: which one holds the units
/// to score cannot be told (last year's sheet left beside this year's), and
/// reading the first would score the wrong one without a word. A hidden
/// sheet is one the office put away, so it is passed over.
fn main_sheet(
    book: &mut Book,
    program: &Program,
    sheets: &[String],
    first: &str,
    hidden: &HashSet<String>,
) -> Result<(String, Sheet), Diagnostic> {
    let is_list = |sheet: &str| {
        (program.inputs.iter()).any(|i| i.name == sheet && matches!(i.ty, Ty::List(_)))
    };
    let mut main: Option<(String, Sheet)> = None;
    let (mut put_away, mut plain) = (None, None);
    for sheet in sheets.iter().filter(|s| !is_list(s)) {
        let read = match book.sheet(sheet) {
            Ok(read) => read,
            // A sheet after the units' one that cannot be read (a chart)
            // is none of theirs; before it, it stops the reading as ever.
            Err(_) if main.is_some() => continue,
            Err(e) => return Err(e),
        };
        let found = Some((sheet.clone(), read));
        let units = found
            .as_ref()
            .is_some_and(|(_, r)| r.header.iter().any(|h| h == "id"));
        match (units, hidden.contains(sheet), &main) {
            (true, false, Some((one, _))) => return Err(two_sheets(&book.name, one, sheet)),
            (true, false, None) => main = found,
            (true, true, _) => put_away = put_away.or(found),
            (false, _, _) => plain = plain.or(found),
        }
    }
    match main.or(put_away).or(plain) {
        Some(found) => Ok(found),
        None => Ok((first.to_string(), book.sheet(first)?)),
    }
}

/// Two visible sheets of a workbook hold units: `one`, and `other` after it.
fn two_sheets(name: &str, one: &str, other: &str) -> Diagnostic {
    Diagnostic::new(
        Code::SheetsOfUnits,
        t!(
            "{name}: sheets {one} and {other} both hold units (each has an `id` column and is named after no list input), so which units to score cannot be told; neither was read",
            "{name}：工作表“{one}”和“{other}”都是被考核单位表（都有“id”列，且都不以列表型数据项命名），无法确定要评分的是哪一个；均未读取"
        ),
    )
    .with_help(t!(
        "keep one sheet of units in the workbook: delete the other, hide it (right-click its tab, then Hide), or move it to a workbook of its own",
        "工作簿中只保留一个被考核单位表：删除另一个，或将其隐藏（右键单击工作表标签 →“隐藏”），或移到另一个工作簿"
    ))
    .in_file(name)
}

/// The entities were read from `main`, a sheet after the first (which is
/// `hidden` in Excel or not).
fn sheet_order(name: &str, main_name: &str, first: &str, hidden: bool) -> Diagnostic {
    let first = if hidden {
        t!("{first} (hidden)", "“{first}”（已隐藏）")
    } else {
        t!("{first}", "“{first}”")
    };
    Diagnostic::new(
        Code::SheetOrder,
        t!(
            "{name}: the entities were read from sheet {main_name}, the first visible sheet that holds no list and has an `id` column; sheet {} comes before it",
            "{name}：被考核单位从工作表“{main_name}”读取（第一个未隐藏、不是列表、且有“id”列的工作表）；工作表{}排在它前面",
            first
        ),
    )
    .with_help(t!(
        "nothing needs doing if that is the right sheet; to be sure, move it to the front (drag its tab to the left)",
        "如果读取的工作表正确，无需处理；如要确认无误，请把它移到最前面（把工作表标签拖到最左边）"
    ))
}

/// Every list input's sheet (the one named after it), or where it was
/// looked for.
fn list_sheets<'a>(
    book: &mut Book,
    program: &Program,
    sheets: &[String],
) -> Vec<(String, Result<ListSource<'a>, Absent>)> {
    let mut lists = Vec::new();
    for input in program
        .inputs
        .iter()
        .filter(|i| matches!(i.ty, Ty::List(_)))
    {
        let t = if sheets.contains(&input.name) {
            book.sheet(&input.name)
                .map(|read| book.with_hidden(&input.name, read, true).list())
                .map_err(|d| Absent {
                    input: input.name.clone(),
                    place: d.message,
                })
        } else {
            Err(Absent {
                input: input.name.clone(),
                place: sheet_place(&book.name, &input.name),
            })
        };
        lists.push((input.name.clone(), t));
    }
    lists
}

/// "mixed.xlsx, sheet 数据".
fn sheet_place(name: &str, sheet: &str) -> Text {
    t!("{name}, sheet {sheet}", "{name} 的工作表“{sheet}”")
}

/// A sheet read: where it is, its header and the rows under it.
struct Sheet {
    place: Text,
    header: Vec<String>,
    rows: Vec<Row>,
    /// Rows above the header row that were skipped, such as a title.
    notes: Vec<Diagnostic>,
}

impl Sheet {
    fn table<'a>(self) -> Table<'a> {
        Table {
            place: self.place,
            header: self.header,
            rows: Box::new(self.rows.into_iter().map(Ok)),
            notes: self.notes,
        }
    }

    /// A list sheet: its rows are in memory already (a workbook is read
    /// whole), so the second reading takes them from there.
    fn list<'a>(self) -> ListSource<'a> {
        let rows = Rc::new(self.rows);
        let first = Rc::clone(&rows);
        let table = Table {
            place: self.place,
            header: self.header,
            rows: Box::new((0..first.len()).filter_map(move |i| first.get(i).cloned().map(Ok))),
            notes: self.notes,
        };
        ListSource {
            table,
            again: Box::new(Kept(rows)),
            check: None,
            keep: None,
        }
    }
}

struct Kept(Rc<Vec<Row>>);

impl Reread for Kept {
    fn row_at(&mut self, line: usize, at: u64) -> Result<Row, Diagnostic> {
        let row = usize::try_from(at).ok().and_then(|i| self.0.get(i));
        row.cloned().ok_or_else(|| {
            Diagnostic::new(
                Code::Internal,
                t!(
                    "row {line} of a sheet read is gone",
                    "已读取的工作表中第 {line} 行不见了"
                ),
            )
        })
    }
}

/// The cells of a sheet's used range, each row from column A (the columns
/// left of the range empty), numbers shown as percentages marked so.
fn held_rows(range: &Range<Data>, styles: &StyleRange, epoch1904: bool) -> Vec<Vec<Held>> {
    let top = range.start().map_or(0, |(r, _)| r as usize);
    let left = range.start().map_or(0, |(_, c)| c as usize);
    (range.rows().zip(top..))
        .map(|(r, y)| {
            let mut cells = vec![Held::Empty; left];
            cells.extend((r.iter().zip(left..)).map(|(data, x)| {
                let percent = matches!(data, Data::Float(_) | Data::Int(_))
                    && (u32::try_from(y).ok().zip(u32::try_from(x).ok()))
                        .and_then(|at| styles.get(at))
                        .and_then(|s| s.number_format.as_ref())
                        .is_some_and(|f| is_percent(&f.format_code));
                cell(data, percent, epoch1904)
            }));
            cells
        })
        .collect()
}

/// A cell's text as a header or a title row is read.
fn held_text(c: &Held) -> String {
    match c {
        Held::Text(s) => s.trim().to_string(),
        Held::Number(n) | Held::Percent(n) | Held::BadDate(n) => n.clone(),
        Held::Bool(b) => b.to_string(),
        Held::Empty => String::new(),
    }
}

/// A sheet read from its used range and cell formats: the header row
/// found, the rows above it told, the rows under it numbered as the
/// spreadsheet shows them.
fn sheet_of(place: Text, range: &Range<Data>, styles: &StyleRange, epoch1904: bool) -> Sheet {
    // Row numbers as the spreadsheet shows them, wherever the used range starts.
    let top = range.start().map_or(0, |(r, _)| r as usize);
    let mut rows = held_rows(range, styles, epoch1904);
    // The header row: the first of the first ten with a cell `id`, else the first.
    let at = (rows.iter().take(10))
        .position(|r| r.iter().any(|c| held_text(c) == "id"))
        .unwrap_or(0);
    let mut notes = Vec::new();
    let above: Vec<(usize, String)> = (rows.iter().take(at).zip(top + 1..))
        .filter_map(|(r, line)| {
            let first = r.iter().map(held_text).find(|t| !t.is_empty())?;
            Some((line, first))
        })
        .collect();
    if let Some(d) = title_rows(&place, top + at + 1, &above) {
        notes.push(d);
    }
    let mut rows = rows.drain(..).skip(at);
    let header = rows
        .next()
        .map(|cells| cells.iter().map(held_text).collect())
        .unwrap_or_default();
    // The row after the header row is its line + 1.
    let rows = (rows.zip(0..))
        .map(|(cells, n)| Row {
            line: top + at + n + 2,
            at: n as u64,
            cells: Cells::Sheet(cells),
        })
        .collect();
    Sheet {
        place,
        header,
        rows,
        notes,
    }
}

/// Merged cells under the header row, read as the sheet shows them. A
/// range merged down one column (a unit's id over its rows of a list, one
/// answer over several units) shows its value in each of its rows, where
/// the workbook holds it in the first only: each of its cells reads as the
/// first. A range merged across columns shows one value under several
/// columns, which says what none of them holds alone: the first such range
/// is refused (K0526), naming how many more there are.
fn merged_cells(sheet: &mut Sheet, merged: &[Dimensions]) -> Option<Diagnostic> {
    let first_row = sheet.rows.first().map(|r| r.line)?;
    let named = |col: u32| (sheet.header.get(col as usize)).is_some_and(|h| !h.is_empty());
    let mut across = Vec::new();
    for m in merged {
        if (m.start.0 as usize) + 1 < first_row {
            continue;
        }
        if m.start.1 != m.end.1 {
            if (m.start.1..=m.end.1).filter(|&c| named(c)).count() > 1 {
                across.push(m);
            }
            continue;
        }
        fill_down(&mut sheet.rows, m, first_row);
    }
    let first = across.first()?;
    let range = format!(
        "{}{}:{}{}",
        column_letters(first.start.1 as usize),
        first.start.0 + 1,
        column_letters(first.end.1 as usize),
        first.end.0 + 1
    );
    let more = across.len() - 1;
    let mut d = Diagnostic::new(
        Code::MergedAcross,
        t!(
            "{}: cells {range} are merged across columns; each column is an input of its own and needs its own cell",
            "{}：单元格 {range} 跨列合并了；每一列是一项单独的数据，需要各填一格",
            sheet.place
        ),
    )
    .with_help(t!(
        "unmerge the cells (Home → Merge & Center → Unmerge Cells) and fill in each column",
        "请取消合并（开始 → 合并后居中 → 取消单元格合并），再逐列填写"
    ));
    if more > 0 {
        d = d.with_note(t!(
            "and {more} more merged across columns",
            "另有 {more} 处跨列合并的单元格"
        ));
    }
    Some(d)
}

/// Formula cells under the header row whose results cannot be trusted: a
/// formula with no result saved (a program wrote the workbook and nothing
/// calculated it), or, where the workbook asks to be calculated when opened
/// (`recalculate`), any formula: programs that write workbooks store 0 or
/// nothing as each formula's result and leave the sums to Excel. Read as
/// saved, such a cell would be a blank or a 0 the sheet never showed: the
/// first is refused (K0527), naming how many more there are. Only the
/// columns the spec reads count: the others are ignored whatever they hold.
fn formulas_unsaved(
    sheet: &Sheet,
    range: &Range<Data>,
    formulas: &Range<String>,
    Suspect { recalculate, read }: Suspect,
) -> Option<Diagnostic> {
    let first_row = sheet.rows.first().map(|r| r.line)?;
    let (top, left) = formulas.start()?;
    let named = |col: usize| (sheet.header.get(col)).is_some_and(|h| read.contains(h));
    let unsaved = |at: (u32, u32)| matches!(range.get_value(at), None | Some(Data::Empty));
    let suspect: Vec<(u32, u32, &String)> = (formulas.used_cells())
        .map(|(r, c, f)| (top + r as u32, left + c as u32, f))
        .filter(|&(r, c, f)| !f.is_empty() && r as usize + 1 >= first_row && named(c as usize))
        .filter(|&(r, c, _)| recalculate || unsaved((r, c)))
        .collect();
    let &(r, c, formula) = suspect.first()?;
    let cell = format!("{}{}", column_letters(c as usize), r + 1);
    let why = if unsaved((r, c)) {
        t!("holds no result", "没有保存计算结果")
    } else {
        t!(
            "holds a result the workbook itself marks to be calculated again",
            "保存的结果未经计算（工作簿注明打开时须重新计算）"
        )
    };
    let mut d = Diagnostic::new(
        Code::FormulaUnsaved,
        t!(
            "{}: cell {cell} is the formula ={formula} and {}: the workbook was written by a program and never calculated",
            "{}：单元格 {cell} 是公式“={formula}”，{}：这个工作簿由程序生成，从未计算过",
            sheet.place,
            why
        ),
    )
    .with_help(t!(
        "open the workbook in Excel or WPS and save it once (that calculates every formula), or replace the formulas by their values (copy, then Paste Special → Values)",
        "请用 Excel 或 WPS 打开这个工作簿并保存一次（保存时会计算所有公式），或把公式换成数值（复制后“选择性粘贴 → 数值”）"
    ));
    let more = suspect.len() - 1;
    if more > 0 {
        d = d.with_note(t!(
            "and {more} more such formula cells",
            "另有 {more} 个这样的公式单元格"
        ));
    }
    Some(d)
}

/// Which formula cells [`formulas_unsaved`] suspects: with `recalculate`
/// every one, else those without a result; in the columns `read` only.
#[derive(Clone, Copy)]
struct Suspect<'a> {
    recalculate: bool,
    read: &'a HashSet<String>,
}

/// The columns a workbook's sheets may hold for `program`: `id`, each
/// input's and each list field's name.
fn columns_read(program: &Program) -> HashSet<String> {
    let fields = (program.inputs.iter()).flat_map(|i| match &i.ty {
        Ty::List(fields) => fields.iter().map(|f| f.name.clone()).collect(),
        _ => Vec::new(),
    });
    let inputs = program.inputs.iter().map(|i| i.name.clone());
    (std::iter::once(String::from("id"))
        .chain(inputs)
        .chain(fields))
    .collect()
}

/// Whether the workbook at `path` asks to be calculated anew when opened
/// (`<calcPr fullCalcOnLoad="1">` in `xl/workbook.xml`), as the programs
/// that write workbooks mark them; Excel and WPS drop the mark on saving.
/// A workbook that cannot be read so is taken as not asking: calamine has
/// read it already and tells what is wrong with it.
fn calculated_on_load(path: &Path) -> bool {
    let read = || -> Option<bool> {
        let mut zip = zip::ZipArchive::new(BufReader::new(File::open(path).ok()?)).ok()?;
        let part = zip.by_name("xl/workbook.xml").ok()?;
        // The workbook part is a few kilobytes; a larger one is read no further.
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut std::io::Read::take(part, 1 << 20), &mut xml).ok()?;
        Some(asks_to_calculate(&xml))
    };
    read().unwrap_or(false)
}

/// Whether a workbook part's `calcPr` element says `fullCalcOnLoad`.
fn asks_to_calculate(xml: &str) -> bool {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "calcPr" => {
                return e.attributes().flatten().any(|a| {
                    a.key.local_name().as_ref() == "fullCalcOnLoad"
                        && matches!(&*a.value.to_string(), "1" | "true")
                });
            }
            Ok(Event::Eof) | Err(_) => return false,
            _ => {}
        }
    }
}

/// The first cell of `m`, a range merged down one column, copied into the
/// others: `rows` are a sheet's rows under its header, the first of them
/// row `first_row` (1-based, as a spreadsheet numbers them).
fn fill_down(rows: &mut [Row], m: &Dimensions, first_row: usize) {
    let (col, top, bottom) = (
        m.start.1 as usize,
        m.start.0 as usize + 1,
        m.end.0 as usize + 1,
    );
    let at = |line: usize| line.checked_sub(first_row);
    let Some(value) = at(top).and_then(|i| rows.get(i)).and_then(|r| held(r, col)) else {
        return;
    };
    let (Some(from), Some(to)) = (at(top + 1), at(bottom)) else {
        return;
    };
    for row in rows.iter_mut().take(to + 1).skip(from) {
        if let Cells::Sheet(cells) = &mut row.cells {
            if cells.len() <= col {
                cells.resize(col + 1, Held::Empty);
            }
            if let Some(cell) = cells.get_mut(col) {
                *cell = value.clone();
            }
        }
    }
}

/// Whether a row under the header row has an empty cell, or none at all,
/// under a column the header row names.
fn has_gaps(sheet: &Sheet) -> bool {
    let named: Vec<usize> = (sheet.header.iter().enumerate())
        .filter_map(|(i, h)| (!h.is_empty()).then_some(i))
        .collect();
    sheet
        .rows
        .iter()
        .any(|r| named.iter().any(|&col| held(r, col).is_none()))
}

/// Cell `col` of a sheet's row, if it holds something.
fn held(row: &Row, col: usize) -> Option<Held> {
    match &row.cells {
        Cells::Sheet(cells) => cells
            .get(col)
            .filter(|c| !matches!(c, Held::Empty))
            .cloned(),
        Cells::Text { .. } => None,
    }
}

/// The warning for rows above a table's header row that hold something
/// (`above`: each row's number and first text), such as a title; `None`
/// when there are none. The header row is row `line`.
pub(super) fn title_rows(
    place: &Text,
    line: usize,
    above: &[(usize, String)],
) -> Option<Diagnostic> {
    let (first, what) = above.first()?;
    let last = above.last().map_or(*first, |(l, _)| *l);
    let what: String = what.chars().take(40).collect();
    let rows = if last == *first {
        t!("row {first}", "第 {first} 行")
    } else {
        t!("rows {first} to {last}", "第 {first} 至 {last} 行")
    };
    Some(
        Diagnostic::new(
            Code::TitleRows,
            t!(
                "{}: the header row (the one with `id`) is row {line}; what is above it ({}, beginning \"{what}\") was skipped",
                "{}：表头行（有“id”的一行）是第 {line} 行；其上方的内容（{}，开头为“{what}”）已跳过",
                place,
                rows
            ),
        )
        .with_help(t!(
            "nothing needs doing if that is a title; to be sure, delete the rows above the header row",
            "如果那是标题，无需处理；如要确认无误，请删除表头行上方的行"
        )),
    )
}

/// Whether a number format shows its number as a percentage: a `%` in its
/// first section (the one for positive numbers), outside quoted text, an
/// escaped character and brackets.
fn is_percent(code: &str) -> bool {
    let (mut quoted, mut bracket, mut escaped) = (false, false, false);
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' => escaped = true,
            '[' => bracket = true,
            ']' => bracket = false,
            _ if bracket => {}
            ';' => return false,
            '%' => return true,
            _ => {}
        }
    }
    false
}

/// A sheet's cell as kept; `percent` when its format shows a percentage.
fn cell(data: &Data, percent: bool, epoch1904: bool) -> Held {
    match data {
        Data::Empty => Held::Empty,
        Data::String(s) if s.trim().is_empty() => Held::Empty,
        Data::String(s) => Held::Text(s.clone()),
        Data::Int(i) if percent => Held::Percent(i.to_string()),
        Data::Int(i) => Held::Number(i.to_string()),
        Data::Float(f) => match crate::shown::number(*f) {
            Some(n) if percent => Held::Percent(n),
            Some(n) => Held::Number(n),
            None => Held::Text(f.to_string()),
        },
        Data::Bool(b) => Held::Bool(*b),
        Data::DateTime(d) => match date(d.as_f64(), epoch1904) {
            Some(days) => Held::Text(crate::date::format(days)),
            None => Held::BadDate(float_text(d.as_f64())),
        },
        Data::DateTimeIso(s) => Held::Text(s.chars().take(10).collect()),
        Data::DurationIso(s) => Held::Text(s.clone()),
        Data::Error(e) => Held::Text(format!("#{e:?}")),
    }
}

/// The days since 1970-01-01 of a date cell's serial number, or `None` when
/// it is no date: negative, infinite, not a number, 0 (shown 1900-01-00),
/// 60 (1900-02-29, which Excel counts though it never was) or past
/// 9999-12-31. In the 1900 system serial 1 is 1900-01-01; in the 1904
/// system serial 0 is 1904-01-01.
fn date(serial: f64, epoch1904: bool) -> Option<i32> {
    if !serial.is_finite() {
        return None;
    }
    let day = serial.floor();
    let days = if epoch1904 {
        (0.0..=2_957_003.0).contains(&day).then_some(day - 24_107.0)
    } else if (1.0..60.0).contains(&day) {
        // Before the day Excel invents, its serials are one day behind.
        Some(day - 25_568.0)
    } else {
        (61.0..=2_958_465.0)
            .contains(&day)
            .then_some(day - 25_569.0)
    }?;
    // Whole and within the range above: the conversion is exact.
    Some(days as i32)
}

/// A number for a message: in digits, or in scientific notation when it
/// is very large (1e300).
fn float_text(f: f64) -> String {
    if f.is_finite() && f.abs() < 1e15 {
        f.to_string()
    } else {
        format!("{f:e}")
    }
}

#[cfg(test)]
mod tests {
    use super::{asks_to_calculate, date, is_percent};

    #[test]
    fn the_mark_to_calculate_on_opening_is_read_from_calc_pr() {
        assert!(asks_to_calculate(
            r#"<workbook><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>"#
        ));
        assert!(asks_to_calculate(
            r#"<x:workbook><x:calcPr fullCalcOnLoad="true"></x:calcPr></x:workbook>"#
        ));
        // As Excel and WPS save a workbook.
        assert!(!asks_to_calculate(
            r#"<workbook><calcPr calcId="191029"/></workbook>"#
        ));
        assert!(!asks_to_calculate(r#"<calcPr fullCalcOnLoad="0"/>"#));
        assert!(!asks_to_calculate("<workbook/>"));
        assert!(!asks_to_calculate("<workbook><calcPr"));
    }

    #[test]
    fn percentage_formats_are_told_from_others() {
        for code in ["0%", "0.00%", "0.0%;[Red]-0.0%", "#,##0.00%", "0%_);(0%)"] {
            assert!(is_percent(code), "{code}");
        }
        for code in [
            "General",
            "0.00",
            "\"%\"0",
            "0\\%",
            "[$%-409]0",
            "0;0%",
            "yyyy-mm-dd",
        ] {
            assert!(!is_percent(code), "{code}");
        }
    }

    #[test]
    fn date_serials_outside_the_calendar_are_no_dates() {
        let ymd = |y, m, d| crate::date::from_ymd(y, m, d);
        assert_eq!(date(1.0, false), ymd(1900, 1, 1));
        assert_eq!(date(59.0, false), ymd(1900, 2, 28));
        assert_eq!(date(61.0, false), ymd(1900, 3, 1));
        assert_eq!(date(45_443.0, false), ymd(2024, 5, 31));
        assert_eq!(date(45_443.75, false), ymd(2024, 5, 31));
        assert_eq!(date(2_958_465.0, false), ymd(9999, 12, 31));
        assert_eq!(date(0.0, true), ymd(1904, 1, 1));
        for bad in [
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            1e300,
            -1.0,
            0.0,
            60.0,
            2_958_466.0,
        ] {
            assert_eq!(date(bad, false), None, "{bad}");
        }
    }
}
