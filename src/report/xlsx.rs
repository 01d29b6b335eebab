//! The XLSX report: a summary sheet (entities × sections, totals, results,
//! ranks), one sheet per entity with its items and explanation lines, and a
//! sheet by responsible unit.

use super::explain::{facts, reason_of};
use super::rollup::{lost, rollup, sections};
use super::standing::Standing;
use super::{veto_state, veto_text};
use crate::data::Entity;
use crate::eval::{Line, Outcome};
use crate::ir::{Lang, Program};
use crate::output::cell::{cell_text, width};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::collections::HashSet;

fn f(d: Decimal) -> f64 {
    d.round_dp(2).to_f64().unwrap_or(0.0)
}

fn header(ws: &mut Worksheet, cols: &[&str]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (i, c) in cols.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *c, &bold)?;
        ws.set_column_width(i as u16, (width(c).max(8) + 2) as f64)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A sheet name Excel accepts: at most 31 characters, none of []:*?/\,
/// no apostrophe first or last, and unique in the workbook (ignoring
/// case): a repeated name gets `~2`, `~3`… with its text shortened to
/// make room, however many share their first characters.
fn sheet_name(id: &str, used: &mut HashSet<String>) -> String {
    let clean: String = id
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    let clean = clean.trim_matches('\'').to_string();
    let base = if clean.is_empty() {
        "entity".to_string()
    } else {
        clean
    };
    let mut name = base.clone();
    let mut n = 2usize;
    while !used.insert(name.to_lowercase()) {
        let suffix = format!("~{n}");
        let room = 31usize.saturating_sub(suffix.chars().count());
        let head: String = base.chars().take(room).collect();
        name = format!("{}{suffix}", head.trim_end_matches('\''));
        n += 1;
    }
    name
}

/// The most rows of a sheet, the header's included.
pub const SHEET_ROWS: u32 = 1_048_576;

/// A new sheet whose rows go to a temporary file of its own as they are
/// written ("low memory" mode of the writer's constant-memory feature):
/// what is held is the row being written, not the sheet. Its texts go to
/// the workbook's table of shared strings, each distinct text once, as in
/// a sheet held whole; inline strings ("constant memory" proper) made the
/// file 2.3 times as large for the same memory (docs/performance.md).
fn new_sheet(book: &mut Workbook) -> Result<&mut Worksheet, XlsxError> {
    book.add_worksheet_with_low_memory()
}

/// Write a text cell, cut to what a cell holds.
fn text(ws: &mut Worksheet, r: u32, c: u16, s: &str) -> Result<(), XlsxError> {
    ws.write_string(r, c, cell_text(s).as_ref())?;
    Ok(())
}

/// A text in the report's language: Chinese or English.
fn t(zh: bool, chinese: &'static str, english: &'static str) -> &'static str {
    if zh { chinese } else { english }
}

/// The most sheets a workbook of kaohe's holds, the summary and the
/// roll-up included: LibreOffice Calc opens at most 10,000 sheets (Excel
/// and WPS as many as memory allows, but a tab per unit beyond that is not
/// a report anyone reads). A unit is a sheet, so more units than fit are
/// refused as they arrive (K0955), before anything is written.
pub const MOST_SHEETS: usize = 10_000;

/// How many roll-up sheets (by responsible unit) `rows` rows take: at
/// least one when the spec names a responsible unit, none otherwise.
pub fn unit_sheets_for(program: &Program, rows: u64) -> usize {
    if program.items.iter().all(|i| i.responsible.is_empty()) {
        return 0;
    }
    let per = u64::from(SHEET_ROWS - 1);
    usize::try_from(rows.div_ceil(per).max(1)).unwrap_or(usize::MAX)
}

/// How many roll-up rows one unit's outcome makes (what the first pass
/// counts, so that every roll-up sheet is made before the units' own).
pub fn unit_rows(program: &Program, o: &Outcome) -> u64 {
    if program.items.iter().all(|i| i.responsible.is_empty()) {
        return 0;
    }
    rollup(program, o)
        .iter()
        .map(|u| u.items.len() as u64)
        .sum()
}

/// Whether `units` units and `rows` roll-up rows fit a workbook.
pub fn fits(program: &Program, units: usize, rows: u64) -> bool {
    (1 + unit_sheets_for(program, rows)).saturating_add(units) <= MOST_SHEETS
}

/// The whole report at once, from outcomes held (the workbench's
/// download): the same bytes as [`Writer`] gives unit by unit.
pub fn report(program: &Program, scored: &[(&Entity, Outcome)]) -> Result<Vec<u8>, XlsxError> {
    let standing = Standing::of(scored.iter().map(|(_, o)| (o.total, o.vetoed)));
    let rows = scored.iter().map(|(_, o)| unit_rows(program, o)).sum();
    if !fits(program, scored.len(), rows) {
        let n = scored.len();
        return Err(XlsxError::ParameterError(format!(
            "{n} units need a sheet each, more than a workbook holds (at most {}) / {n} 个单位各占一个工作表，超出工作簿能容纳的上限（{} 个）",
            MOST_SHEETS - 1,
            MOST_SHEETS - 1
        )));
    }
    let mut w = Writer::new(program, standing, rows)?;
    for (e, o) in scored {
        w.unit(e, o)?;
    }
    let mut bytes = Vec::new();
    w.save(&mut bytes)?;
    Ok(bytes)
}

/// The XLSX report written one unit at a time, in constant-memory sheets:
/// each sheet's rows go to a temporary file of its own as they are
/// written, so that what is held is one unit's rows, the names of the
/// sheets, and the totals from a first pass (the ranks and the results by
/// rank); the workbook is put together from those files when saved. The
/// sheets: the summary, the roll-up by responsible unit (as many as its
/// rows need, all made first, from the first pass's count of rows), then
/// one per unit.
pub struct Writer<'p> {
    program: &'p Program,
    book: Workbook,
    used: HashSet<String>,
    standing: Standing,
    /// The summary's next row.
    summary_row: u32,
    /// The roll-up sheets (indices in the workbook), the one being
    /// written, and its next row.
    unit_sheets: Vec<usize>,
    unit_sheet: usize,
    unit_row: u32,
}

impl<'p> Writer<'p> {
    /// A workbook with its summary and roll-up sheets, for units whose
    /// totals are `standing` and whose roll-up takes `unit_rows` rows.
    pub fn new(
        program: &'p Program,
        standing: Standing,
        unit_rows: u64,
    ) -> Result<Writer<'p>, XlsxError> {
        let mut w = Writer {
            program,
            book: crate::output::cell::workbook(),
            used: HashSet::new(),
            standing,
            summary_row: 1,
            unit_sheets: Vec::new(),
            unit_sheet: 0,
            unit_row: 1,
        };
        w.summary_sheet()?;
        let zh = program.header.lang == Lang::Zh;
        for _ in 0..unit_sheets_for(program, unit_rows) {
            let i = units_sheet(&mut w.book, &mut w.used, zh)?;
            w.unit_sheets.push(i);
        }
        Ok(w)
    }

    /// One unit: its row of the summary, its rows of the roll-up, its sheet.
    pub fn unit(&mut self, e: &Entity, o: &Outcome) -> Result<(), XlsxError> {
        guard(|| {
            self.summary_row(o)?;
            self.unit_rows(o)?;
            entity_sheet(&mut self.book, &mut self.used, self.program, e, o)
        })
    }

    /// The workbook, put together from its sheets' files, to `w`.
    pub fn save(mut self, w: impl std::io::Write + Send) -> Result<(), XlsxError> {
        guard(|| self.book.save_to_writer(w))
    }
}

thread_local! {
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether this thread is in a call to rust_xlsxwriter that [`guard`]
/// turns a panic of into an error: the CLI's panic hook then keeps quiet,
/// since the panic is no bug of kaohe's.
pub fn guarded() -> bool {
    GUARDED.get()
}

/// `f`, with a panic in it made an error of the temporary files.
/// rust_xlsxwriter writes a constant-memory sheet's rows to a temporary
/// file and panics when that write fails (`expect`), as on a full disk:
/// the report then fails with K0957, and the `-o` file, written only at
/// the end, is left as it was.
fn guard<T>(f: impl FnOnce() -> Result<T, XlsxError>) -> Result<T, XlsxError> {
    GUARDED.set(true);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.set(false);
    result.unwrap_or_else(|_| {
        Err(XlsxError::TempFileError(
            std::env::temp_dir(),
            std::io::Error::other("writing to them failed (is the disk full?)"),
        ))
    })
}

/// A new sheet of the rows by responsible unit, with its header; its index.
fn units_sheet(
    book: &mut Workbook,
    used: &mut HashSet<String>,
    zh: bool,
) -> Result<usize, XlsxError> {
    let unit_cols = [
        t(zh, "单位", "entity"),
        t(zh, "责任单位", "unit"),
        t(zh, "项目", "item"),
        t(zh, "名称", "title"),
        t(zh, "共同负责", "shared"),
        t(zh, "分值", "at stake"),
        t(zh, "失分", "lost"),
    ];
    let ws = new_sheet(book)?;
    ws.set_name(sheet_name(t(zh, "责任单位", "units"), used))?;
    header(ws, &unit_cols)?;
    ws.set_column_width(3, 40)?;
    Ok(book.worksheets().len() - 1)
}

impl Writer<'_> {
    /// The summary: one row per entity, its section scores, total, result
    /// and rank; here its header.
    fn summary_sheet(&mut self) -> Result<(), XlsxError> {
        let program = self.program;
        let zh = program.header.lang == Lang::Zh;
        let summary_name = sheet_name(t(zh, "汇总", "summary"), &mut self.used);
        let ws = new_sheet(&mut self.book)?;
        ws.set_name(&summary_name)?;
        let mut cols: Vec<String> = vec![t(zh, "单位", "entity").into()];
        cols.extend(
            (program.headings.iter())
                .filter(|h| h.parent.is_none())
                .map(|s| format!("{} {}", s.label, s.title)),
        );
        // A table without a result (no pass, fail or grades) has no result
        // column; the named results (`result …`) follow the rank, one each.
        cols.push(t(zh, "总分", "total").to_string());
        if program.header.has_result {
            cols.push(t(zh, "结果", "result").to_string());
        }
        cols.push(t(zh, "名次", "rank").to_string());
        cols.extend(program.header.results.iter().map(|r| r.name.clone()));
        header(ws, &cols.iter().map(String::as_str).collect::<Vec<_>>())
    }

    /// A unit's row of the summary: its rank and its place for the
    /// results by rank (`top`) by its total, among every unit's (the first
    /// pass's): units of one id in two data files keep their own.
    fn summary_row(&mut self, o: &Outcome) -> Result<(), XlsxError> {
        let program = self.program;
        let r = self.summary_row;
        let rank = self.standing.rank(o.total);
        let place = self.standing.place(o.total, o.vetoed);
        let ws = self.book.worksheet_from_index(0)?;
        text(ws, r, 0, &o.id)?;
        let secs = sections(program, o);
        for (i, (_, _, score, _)) in secs.iter().enumerate() {
            ws.write_number(r, (i + 1) as u16, f(*score))?;
        }
        let mut c = (secs.len() + 1) as u16;
        ws.write_number(r, c, f(o.total))?;
        if program.header.has_result {
            c += 1;
            text(ws, r, c, &o.result)?;
        }
        ws.write_number(r, c + 1, rank as f64)?;
        let shown = super::derived::shown(program, o, Some(place));
        for (k, v) in shown.iter().enumerate() {
            text(ws, r, c + 2 + k as u16, &v.value)?;
        }
        self.summary_row += 1;
        Ok(())
    }

    /// A unit's rows by responsible unit, on the roll-up sheet being
    /// written, then the next when it is full (责任单位, 责任单位~2, …);
    /// none when the spec names no responsible unit (as the HTML report
    /// prints no such table).
    fn unit_rows(&mut self, o: &Outcome) -> Result<(), XlsxError> {
        if self.unit_sheets.is_empty() {
            return Ok(());
        }
        let program = self.program;
        let zh = program.header.lang == Lang::Zh;
        for u in rollup(program, o) {
            for i in &u.items {
                if self.unit_row >= SHEET_ROWS {
                    self.unit_sheet += 1;
                    self.unit_row = 1;
                }
                let Some(&sheet) = self.unit_sheets.get(self.unit_sheet) else {
                    // The first pass counted fewer rows than these.
                    return Err(XlsxError::ParameterError(
                        "the roll-up has more rows than counted / 责任单位表的行数多于预计".into(),
                    ));
                };
                let r = self.unit_row;
                let ws = self.book.worksheet_from_index(sheet)?;
                let item = i.item;
                text(ws, r, 0, &o.id)?;
                text(ws, r, 1, u.unit)?;
                text(ws, r, 2, &item.id)?;
                text(ws, r, 3, &item.title)?;
                ws.write_string(r, 4, if i.shared { t(zh, "是", "yes") } else { "" })?;
                ws.write_number(r, 5, f(i.at_stake))?;
                if i.vetoed {
                    text(ws, r, 6, veto_text(true, program.header.lang))?;
                } else {
                    ws.write_number(r, 6, f(i.lost))?;
                }
                self.unit_row += 1;
            }
        }
        Ok(())
    }
}

/// One entity's sheet: every item with its scores, and under it each
/// explanation line.
fn entity_sheet(
    book: &mut Workbook,
    used: &mut HashSet<String>,
    program: &Program,
    e: &Entity,
    o: &Outcome,
) -> Result<(), XlsxError> {
    let zh = program.header.lang == Lang::Zh;
    let ws = new_sheet(book)?;
    ws.set_name(sheet_name(&o.id, used))?;
    let cols = [
        ("项目", "item"),
        ("名称", "title"),
        ("满分", "max"),
        ("得分", "score"),
        ("失分", "lost"),
        ("说明", "explanation"),
    ];
    header(ws, &cols.map(|(a, b)| t(zh, a, b)))?;
    if program.has_extra {
        // The award beyond an item's points (超额加分), apart from its score.
        text(ws, 0, 6, t(zh, "超额加分", "extra award"))?;
    }
    ws.set_column_width(1, 40)?;
    ws.set_column_width(5, 80)?;
    let mut r = 1u32;
    for (item, io) in program.items.iter().zip(&o.items) {
        text(ws, r, 0, &item.id)?;
        text(ws, r, 1, &super::shown_title(item, program.header.lang))?;
        if let Some(m) = io.max {
            ws.write_number(r, 2, f(m))?;
        }
        if let Some(state) = veto_state(item, io, program.header.lang) {
            text(ws, r, 3, state)?;
        } else {
            ws.write_number(r, 3, f(io.score))?;
            ws.write_number(r, 4, f(lost(io)))?;
        }
        if !item.extra.is_empty() {
            ws.write_number(r, 6, f(io.extra))?;
        }
        r += 1;
        for line in &io.lines {
            text(ws, r, 5, &explanation(line, program, e))?;
            r += 1;
        }
        // The lines as printed add up to the printed score: the rounding,
        // if any, is a line of its own.
        if let Some(line) = super::rounding_line(io, program.header.lang) {
            text(ws, r, 5, &line)?;
            r += 1;
        }
    }
    // After a blank row, the subtotals of the headings that declare their
    // points, as the table report prints them: the level and its id, the
    // title, the points and what the unit earned under it.
    let rows = super::levels::rows(program, o);
    if !rows.is_empty() {
        r += 1;
        for row in rows {
            let level = row.level(program.header.lang);
            text(ws, r, 0, &format!("{level} {}", row.label))?;
            text(ws, r, 1, row.title)?;
            ws.write_number(r, 2, f(row.points))?;
            ws.write_number(r, 3, f(row.earned))?;
            r += 1;
        }
    }
    Ok(())
}

/// An explanation line as its cell shows it: the amount, the reason and
/// the facts it rests on.
fn explanation(line: &Line, program: &Program, e: &Entity) -> String {
    let facts: Vec<String> = facts(&line.kind, program, e)
        .into_iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect();
    format!(
        "{} {}{}",
        super::fmt2(line.amount),
        reason_of(line, program.header.lang),
        if facts.is_empty() {
            String::new()
        } else {
            format!(" ({})", facts.join(", "))
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program(text: &str) -> Program {
        let c = crate::service::Analysis::new(text).into_compiled();
        c.program.unwrap_or_else(|| panic!("{:?}", c.diagnostics))
    }

    const ITEM: &str =
        "item 1.1 \"a\" score 1 {\n      input n: count \"n\"\n      deduct 1 per n \"n\"\n    }";

    fn spec(responsible: &str) -> Program {
        let item = ITEM.replace("{\n", &format!("{{\n      {responsible}\n"));
        program(&format!(
            "table \"t\" {{ total 1 }}\nsection 1 \"s\" {{\n  indicator 1 \"i\" {{\n    {item}\n  }}\n}}\n"
        ))
    }

    #[test]
    fn a_panic_of_the_writer_is_an_error_of_the_temporary_files() {
        let failed = super::guard(|| -> Result<(), super::XlsxError> {
            assert!(super::guarded());
            panic!("Couldn't write to xml file")
        });
        assert!(matches!(failed, Err(super::XlsxError::TempFileError(..))));
        assert!(!super::guarded());
        assert!(matches!(super::guard(|| Ok(1)), Ok(1)));
    }

    #[test]
    fn a_workbook_holds_as_many_units_as_sheets_beside_the_summary_and_the_roll_up() {
        let plain = spec("");
        assert_eq!(unit_sheets_for(&plain, 0), 0);
        assert!(fits(&plain, MOST_SHEETS - 1, 0));
        assert!(!fits(&plain, MOST_SHEETS, 0));
        let owned = spec("responsible \"甲局\"");
        let per = u64::from(SHEET_ROWS - 1);
        assert_eq!(unit_sheets_for(&owned, 0), 1);
        assert_eq!(unit_sheets_for(&owned, per), 1);
        assert_eq!(unit_sheets_for(&owned, per + 1), 2);
        assert!(fits(&owned, MOST_SHEETS - 2, per));
        assert!(!fits(&owned, MOST_SHEETS - 1, per));
        assert!(!fits(&owned, MOST_SHEETS - 2, per + 1));
    }
}
