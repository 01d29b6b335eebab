//! The XLSX report: a summary sheet (entities × sections, totals, results,
//! ranks), one sheet per entity with its items and explanation lines, and a
//! sheet by responsible unit.

use super::explain::{facts, reason_of};
use super::rollup::{lost, ranks, rollup, sections};
use super::{veto_state, veto_text};
use crate::data::Entity;
use crate::eval::{Line, Outcome};
use crate::ir::{Lang, Program};
use crate::output::cell::{cell_text, width};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::collections::{HashMap, HashSet};

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

/// Write a text cell, cut to what a cell holds.
fn text(ws: &mut Worksheet, r: u32, c: u16, s: &str) -> Result<(), XlsxError> {
    ws.write_string(r, c, cell_text(s).as_ref())?;
    Ok(())
}

/// A text in the report's language: Chinese or English.
fn t(zh: bool, chinese: &'static str, english: &'static str) -> &'static str {
    if zh { chinese } else { english }
}

pub fn report(program: &Program, scored: &[(&Entity, Outcome)]) -> Result<Vec<u8>, XlsxError> {
    let mut book = crate::output::cell::workbook();
    let mut used: HashSet<String> = HashSet::new();
    let rank = ranks_by_position(scored);
    if scored.len() >= SHEET_ROWS as usize {
        let n = scored.len();
        return Err(XlsxError::ParameterError(format!(
            "{n} entities do not fit the summary sheet (at most {} rows) / {n} 个单位超出汇总表的行数上限（{} 行）",
            SHEET_ROWS - 1,
            SHEET_ROWS - 1
        )));
    }
    summary_sheet(&mut book, &mut used, program, scored, &rank)?;
    unit_sheets(&mut book, &mut used, program, scored)?;
    for (e, o) in scored {
        entity_sheet(&mut book, &mut used, program, e, o)?;
    }
    book.save_to_buffer()
}

/// Each entity's rank, by its position: entities of one id in two data
/// files keep their own ranks.
fn ranks_by_position(scored: &[(&Entity, Outcome)]) -> HashMap<usize, usize> {
    let by_position: Vec<(String, Decimal)> = (scored.iter().enumerate())
        .map(|(i, (_, o))| (format!("{i:012}"), o.total))
        .collect();
    ranks(&by_position)
        .into_iter()
        .filter_map(|(i, _, r)| Some((i.parse::<usize>().ok()?, r)))
        .collect()
}

/// The summary: one row per entity, its section scores, total, result and rank.
fn summary_sheet(
    book: &mut Workbook,
    used: &mut HashSet<String>,
    program: &Program,
    scored: &[(&Entity, Outcome)],
    rank: &HashMap<usize, usize>,
) -> Result<(), XlsxError> {
    let zh = program.header.lang == Lang::Zh;
    let summary_name = sheet_name(t(zh, "汇总", "summary"), used);
    let ws = book.add_worksheet();
    ws.set_name(&summary_name)?;
    let mut cols: Vec<String> = vec![t(zh, "单位", "entity").into()];
    cols.extend(
        (program.headings.iter())
            .filter(|h| h.parent.is_none())
            .map(|s| format!("{} {}", s.label, s.title)),
    );
    // A table without a result (no pass, fail or grades) has no result
    // column; the named results (`result …`) follow the rank, one each.
    let has_result = program.header.has_result;
    cols.push(t(zh, "总分", "total").to_string());
    if has_result {
        cols.push(t(zh, "结果", "result").to_string());
    }
    cols.push(t(zh, "名次", "rank").to_string());
    cols.extend(program.header.results.iter().map(|r| r.name.clone()));
    header(ws, &cols.iter().map(String::as_str).collect::<Vec<_>>())?;
    // Every unit is here, so the results by rank (`top`) are known.
    let totals: Vec<Decimal> = scored.iter().map(|(_, o)| o.total).collect();
    let vetoed: Vec<bool> = scored.iter().map(|(_, o)| o.vetoed).collect();
    let places = super::derived::top_places(&totals, &vetoed);
    for (r, (_, o)) in scored.iter().enumerate() {
        let position = r;
        let r = (r + 1) as u32;
        text(ws, r, 0, &o.id)?;
        let secs = sections(program, o);
        for (i, (_, _, score, _)) in secs.iter().enumerate() {
            ws.write_number(r, (i + 1) as u16, f(*score))?;
        }
        let mut c = (secs.len() + 1) as u16;
        ws.write_number(r, c, f(o.total))?;
        if has_result {
            c += 1;
            text(ws, r, c, &o.result)?;
        }
        ws.write_number(r, c + 1, rank.get(&position).copied().unwrap_or(0) as f64)?;
        let shown = super::derived::shown(program, o, places.get(position).copied());
        for (k, v) in shown.iter().enumerate() {
            text(ws, r, c + 2 + k as u16, &v.value)?;
        }
    }
    Ok(())
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
    let ws = book.add_worksheet();
    ws.set_name(sheet_name(t(zh, "责任单位", "units"), used))?;
    header(ws, &unit_cols)?;
    ws.set_column_width(3, 40)?;
    Ok(book.worksheets().len() - 1)
}

/// By responsible unit: as many sheets as the rows need (责任单位,
/// 责任单位~2, …), each with its header; none when the spec names no
/// responsible unit (as the HTML report prints no such table).
fn unit_sheets(
    book: &mut Workbook,
    used: &mut HashSet<String>,
    program: &Program,
    scored: &[(&Entity, Outcome)],
) -> Result<(), XlsxError> {
    if program.items.iter().all(|i| i.responsible.is_empty()) {
        return Ok(());
    }
    let zh = program.header.lang == Lang::Zh;
    let mut sheet = units_sheet(book, used, zh)?;
    let mut r = 1u32;
    for (_, o) in scored {
        for u in rollup(program, o) {
            for i in &u.items {
                if r >= SHEET_ROWS {
                    sheet = units_sheet(book, used, zh)?;
                    r = 1;
                }
                let ws = book.worksheet_from_index(sheet)?;
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
                r += 1;
            }
        }
    }
    Ok(())
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
    let ws = book.add_worksheet();
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
