//! The official task-decomposition table (任务分解表), rendered from a spec
//! as Markdown, HTML or an Excel workbook, either as the table itself or
//! grouped by responsible unit (部门任务分解).
//!
//! Both layouts are first built as one [`Table`]: leading columns whose
//! equal neighbouring cells are merged (sections and indicators; units),
//! then one cell per column. The 评分标准 column is always the text that
//! `rule_text` generates from the formal rule.

pub mod rule_text;

use crate::ir::{Item, ItemKind, Program};
use rule_text::number_differences;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

/// A table ready to be written in any format.
#[derive(Debug)]
pub struct Table {
    pub title: String,
    pub headers: Vec<&'static str>,
    /// How many leading columns merge equal neighbouring cells.
    pub grouped: usize,
    pub rows: Vec<Row>,
    /// Lines under the table: totals and ceilings.
    pub notes: Vec<String>,
}

#[derive(Debug)]
pub struct Row {
    /// One text per grouped column.
    pub groups: Vec<String>,
    pub id: String,
    pub title: String,
    pub score: Score,
    /// The generated 评分标准.
    pub rule: String,
    /// The 评分标准 as the original table words it, where the spec keeps it.
    pub original: Option<String>,
    pub evidence: String,
    pub units: String,
}

/// The 分值 column.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Score {
    Points(Decimal),
    Deduction,
    Bonus,
    Mixed,
    Veto,
}

impl Score {
    pub fn of(kind: ItemKind) -> Score {
        match kind {
            ItemKind::Base(max) => Score::Points(max),
            ItemKind::Deduction => Score::Deduction,
            ItemKind::Bonus => Score::Bonus,
            ItemKind::Mixed => Score::Mixed,
            ItemKind::Veto => Score::Veto,
        }
    }

    pub fn text(self) -> String {
        match self {
            Score::Points(d) => rule_text::num(d),
            Score::Deduction => "扣分项".into(),
            Score::Bonus => "加分项".into(),
            Score::Mixed => "扣分/加分项".into(),
            Score::Veto => "否决项".into(),
        }
    }
}

/// The columns of the headings' levels, as many as the table has.
const LEVEL_COLUMNS: [&str; 4] = ["一级指标", "二级指标", "三级指标", "四级指标"];

const COLUMNS: [&str; 5] = ["考核事项", "分值", "评分标准", "材料要求", "责任单位"];

const UNIT_COLUMNS: [&str; 7] = [
    "责任单位",
    "一级指标",
    "考核事项",
    "分值",
    "评分标准",
    "材料要求",
    "共同责任单位",
];

/// A row of the table; `id` is what its 序号 cell shows: the item's id as
/// written under its merged section and indicator cells, its key where its
/// indicator is not beside it (`--by-unit`).
fn row(program: &Program, item: &Item, id: &str, groups: Vec<String>, units: String) -> Row {
    Row {
        groups,
        id: id.to_string(),
        title: item.title.clone(),
        score: Score::of(item.kind),
        rule: rule_text::item_text(program, item),
        original: item.rule.clone(),
        evidence: item.evidence.clone().unwrap_or_default(),
        units,
    }
}

fn section_of(program: &Program, item: &Item) -> String {
    program
        .section_of(item)
        .and_then(|s| program.headings.get(s))
        .map(heading)
        .unwrap_or_default()
}

/// The cells of an item's headings, one per level of the table (empty
/// below a heading that holds items directly).
fn heading_cells(program: &Program, item: &Item) -> Vec<String> {
    let path = program.path_of(item);
    (0..usize::from(program.heading_levels()))
        .map(|level| {
            (path.get(level).and_then(|&h| program.headings.get(h)))
                .map(heading)
                .unwrap_or_default()
        })
        .collect()
}

fn heading(h: &crate::ir::Heading) -> String {
    let mut s = format!("{} {}", h.label, h.title);
    // Its points as the table gives them (levels), as official tables
    // write them in the heading's cell: 生态环境（40分）.
    if let Some(points) = h.points {
        if points == h.children_points {
            s.push_str(&format!("（{}分）", rule_text::num(points)));
        } else {
            s.push_str(&format!(
                "（{}分，下级合计{}分）",
                rule_text::num(points),
                rule_text::num(h.children_points)
            ));
        }
    }
    if let Some(cap) = h.bonus_cap {
        s.push_str(&format!("（加分上限{}分）", rule_text::num(cap)));
    }
    // Its ceiling on what it loses (扣分项 最高 N): 扣完为止 at its points.
    match (h.deduction_cap, h.points) {
        (Some(cap), Some(points)) if cap == points => s.push_str("（扣完为止）"),
        (Some(cap), _) => s.push_str(&format!("（最多扣{}分）", rule_text::num(cap))),
        (None, _) => {}
    }
    s
}

/// The official table: one row per item, under its headings (one column
/// per level the table has: 一级指标, 二级指标, 三级指标, 四级指标).
pub fn official(program: &Program) -> Table {
    let rows = program
        .items
        .iter()
        .map(|item| {
            row(
                program,
                item,
                &item.label,
                heading_cells(program, item),
                item.units_text(program.header.lang),
            )
        })
        .collect();
    let levels = usize::from(program.heading_levels());
    let mut headers: Vec<&'static str> = LEVEL_COLUMNS.iter().take(levels).copied().collect();
    headers.extend(COLUMNS);
    Table {
        title: program.header.title.clone(),
        headers,
        grouped: levels,
        rows,
        notes: totals(program),
    }
}

fn totals(program: &Program) -> Vec<String> {
    let mut notes = vec![format!(
        "基本分合计{}分",
        rule_text::num(program.base_total)
    )];
    if let Some(cap) = program.header.bonus_cap {
        notes.push(format!("加分项合计上限{}分", rule_text::num(cap)));
    }
    notes.extend(program.header.results.iter().map(rule_text::named_result));
    notes
}

/// The responsible units in the order the table first names them.
pub fn units(program: &Program) -> Vec<&str> {
    let mut seen: Vec<&str> = Vec::new();
    for u in program.items.iter().flat_map(|i| &i.responsible) {
        if !seen.contains(&u.as_str()) {
            seen.push(u);
        }
    }
    seen
}

/// The table grouped by responsible unit: each unit's items, with the base
/// points at stake and the number of bonus, deduction and veto items.
pub fn by_unit(program: &Program) -> Table {
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    for unit in units(program) {
        let items: Vec<&Item> = program
            .items
            .iter()
            .filter(|i| i.responsible.iter().any(|u| u == unit))
            .collect();
        let stake = at_stake(&items);
        notes.push(format!("{unit}：{stake}"));
        let label = format!("{unit}（{stake}）");
        for item in items {
            // The other units, the lead marked (牵头) when the item has one.
            let others: Vec<String> = (item.responsible.iter().enumerate())
                .filter(|(_, u)| *u != unit)
                .map(|(i, u)| {
                    if i == 0 && item.lead.is_some() {
                        format!("{u}（牵头）")
                    } else {
                        u.clone()
                    }
                })
                .collect();
            rows.push(row(
                program,
                item,
                &item.id,
                vec![label.clone(), section_of(program, item)],
                others.join("、"),
            ));
        }
    }
    Table {
        title: format!("{}（部门任务分解）", program.header.title),
        headers: UNIT_COLUMNS.to_vec(),
        grouped: 2,
        rows,
        notes,
    }
}

/// "5项，基本分8分，加分项1项".
fn at_stake(items: &[&Item]) -> String {
    let base: Decimal = items
        .iter()
        .filter_map(|i| match i.kind {
            ItemKind::Base(m) => Some(m),
            _ => None,
        })
        .sum();
    let mut s = format!("{}项，基本分{}分", items.len(), rule_text::num(base));
    let kinds = [
        (ItemKind::Bonus, "加分项"),
        (ItemKind::Deduction, "扣分项"),
        (ItemKind::Mixed, "扣分/加分项"),
        (ItemKind::Veto, "否决项"),
    ];
    for (kind, word) in kinds {
        let n = items.iter().filter(|i| i.kind == kind).count();
        if n > 0 {
            s.push_str(&format!("，{word}{n}项"));
        }
    }
    s
}

impl Row {
    fn item(&self) -> String {
        format!("{} {}", self.id, self.title)
    }

    /// The cells after the grouped columns, as plain text.
    fn cells(&self) -> [String; 5] {
        [
            self.item(),
            self.score.text(),
            self.rule.clone(),
            self.evidence.clone(),
            self.units.clone(),
        ]
    }
}

impl Table {
    /// How many rows from `r` on share grouped column `c` (and those before it).
    fn span(&self, r: usize, c: usize) -> usize {
        (r..self.rows.len())
            .take_while(|&i| self.key(i, c) == self.key(r, c))
            .count()
    }

    /// Whether row `r` starts a new run in grouped column `c`.
    fn starts(&self, r: usize, c: usize) -> bool {
        r == 0 || self.key(r - 1, c) != self.key(r, c)
    }

    /// Row `r`'s grouped columns up to and including `c`.
    fn key(&self, r: usize, c: usize) -> Option<&[String]> {
        self.rows.get(r)?.groups.get(..=c)
    }
}

// ---------------------------------------------------------------- markdown

/// A Markdown table; a merged cell is written once, on its first row.
pub fn markdown(t: &Table) -> String {
    let esc = |s: &str| crate::escape::markdown(s);
    let mut out = format!("# {}\n\n", esc(&t.title));
    out.push_str(&format!("| {} |\n", t.headers.join(" | ")));
    out.push_str(&format!("|{}\n", "---|".repeat(t.headers.len())));
    for (r, row) in t.rows.iter().enumerate() {
        let mut cells: Vec<String> = (row.groups.iter().enumerate().take(t.grouped))
            .map(|(c, group)| {
                if t.starts(r, c) {
                    esc(group)
                } else {
                    String::new()
                }
            })
            .collect();
        cells.extend(row.cells().iter().map(|s| esc(s)));
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.push('\n');
    for n in &t.notes {
        out.push_str(&format!("- {}\n", esc(n)));
    }
    out
}

// ---------------------------------------------------------------- html

const STYLE: &str = "body{font-family:sans-serif;margin:2em}\
table{border-collapse:collapse}th,td{border:1px solid #444;padding:4px 6px;vertical-align:top}\
th{background:#eee;white-space:nowrap}td.score{text-align:center;white-space:nowrap}\
td.group{min-width:6em}td.rule{min-width:16em}\
.original{color:#555;margin-top:.4em;border-top:1px dashed #aaa;padding-top:.3em}\
.differs{background:#fff3cd}.mismatch{color:#b00;font-weight:bold;margin-top:.3em}";

/// A whole HTML page: grouped columns merged with rowspan; where the spec
/// keeps the original wording of a rule, it is shown under the generated
/// text, and a row whose two texts disagree in their numbers is marked.
pub fn html(t: &Table) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{0}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{0}</h1>\n<table>\n<thead>\n<tr>",
        esc(&t.title)
    );
    for h in &t.headers {
        out.push_str(&format!("<th>{h}</th>"));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for (r, row) in t.rows.iter().enumerate() {
        out.push_str(&html_row(t, r, row));
    }
    out.push_str("</tbody>\n</table>\n<ul class=\"notes\">\n");
    for n in &t.notes {
        out.push_str(&format!("<li>{}</li>\n", esc(n)));
    }
    out.push_str("</ul>\n</body>\n</html>\n");
    out
}

fn html_row(t: &Table, r: usize, row: &Row) -> String {
    let (rule, differs) = html_rule(row);
    let class = if differs { "item differs" } else { "item" };
    let mut out = format!("<tr class=\"{class}\" data-id=\"{}\">", esc(&row.id));
    for (c, group) in row.groups.iter().enumerate().take(t.grouped) {
        if t.starts(r, c) {
            let span = t.span(r, c);
            let attr = if span > 1 {
                format!(" rowspan=\"{span}\"")
            } else {
                String::new()
            };
            out.push_str(&format!("<td class=\"group\"{attr}>{}</td>", esc(group)));
        }
    }
    out.push_str(&format!(
        "<td>{}</td><td class=\"score\">{}</td><td class=\"rule\">{rule}</td><td>{}</td><td>{}</td></tr>\n",
        esc(&row.item()),
        esc(&row.score.text()),
        esc(&row.evidence),
        esc(&row.units)
    ));
    out
}

/// The rule cell's HTML and whether the two wordings differ in numbers.
fn html_rule(row: &Row) -> (String, bool) {
    let mut out = format!("<div class=\"generated\">{}</div>", esc(&row.rule));
    let Some(original) = &row.original else {
        return (out, false);
    };
    out.push_str(&format!(
        "<div class=\"original\">原文：{}</div>",
        esc(original)
    ));
    // A quantity of the prose that the rule lacks may be a slip in
    // writing the rule; the rule may add what the prose leaves unsaid
    // (0 for 不得分, 100%, the year's dates), so that alone is not marked.
    let (only_original, only_generated) = number_differences(original, &row.rule);
    let differs = !only_original.is_empty();
    if differs {
        let list = |v: &[Decimal]| {
            let v: Vec<String> = v.iter().map(|d| rule_text::num(*d)).collect();
            v.join("、")
        };
        let mut note = format!(
            "数字不一致：原文有 {}，生成的评分标准没有",
            list(&only_original)
        );
        if !only_generated.is_empty() {
            note.push_str(&format!("；生成的评分标准另有 {}", list(&only_generated)));
        }
        out.push_str(&format!("<div class=\"mismatch\">{}</div>", esc(&note)));
    }
    (out, differs)
}

fn esc(s: &str) -> String {
    crate::escape::html(s).replace('\n', "<br>")
}

// ---------------------------------------------------------------- xlsx

/// A text cut to what an Excel cell holds, with a note.
fn cut(s: &str) -> std::borrow::Cow<'_, str> {
    crate::output::cell::cell_text(s)
}

/// An Excel workbook: a title row, the header row, one row per item, the
/// grouped columns merged over their runs, and the notes under the table.
pub fn xlsx(t: &Table) -> Result<Vec<u8>, XlsxError> {
    let mut book = crate::output::cell::workbook();
    let sheet = book.add_worksheet();
    sheet.set_name("任务分解表")?;
    let cell = Format::new()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    let centred = cell.clone().set_align(FormatAlign::Center);
    let head = centred.clone().set_bold();
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    let last_col = (t.headers.len() - 1) as u16;
    sheet.merge_range(0, 0, 0, last_col, &t.title, &title)?;
    for (c, h) in t.headers.iter().enumerate() {
        sheet.write_string_with_format(1, c as u16, *h, &head)?;
    }
    for (c, w) in [16, 18, 24, 8, 48, 30, 16].iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    let first = 2u32;
    for r in 0..t.rows.len() {
        xlsx_row(sheet, t, r, first + r as u32, (&cell, &centred))?;
    }
    for (at, n) in (first + t.rows.len() as u32..).zip(&t.notes) {
        sheet.merge_range(at, 0, at, last_col, n, &Format::new())?;
    }
    book.save_to_buffer()
}

/// Row `r` of the table at sheet row `at`: its grouped cells where their
/// runs start (merged over the run), then the item's cells.
fn xlsx_row(
    sheet: &mut Worksheet,
    t: &Table,
    r: usize,
    at: u32,
    (cell, centred): (&Format, &Format),
) -> Result<(), XlsxError> {
    let Some(row) = t.rows.get(r) else {
        return Ok(());
    };
    for (c, group) in row.groups.iter().enumerate().take(t.grouped) {
        if !t.starts(r, c) {
            continue;
        }
        let span = t.span(r, c) as u32;
        if span > 1 {
            sheet.merge_range(at, c as u16, at + span - 1, c as u16, group, centred)?;
        } else {
            sheet.write_string_with_format(at, c as u16, cut(group).as_ref(), centred)?;
        }
    }
    let col = t.grouped as u16;
    sheet.write_string_with_format(at, col, cut(&row.item()).as_ref(), cell)?;
    match row.score {
        Score::Points(d) => {
            let n = d.to_f64().unwrap_or(0.0);
            sheet.write_number_with_format(at, col + 1, n, centred)?
        }
        other => sheet.write_string_with_format(at, col + 1, other.text(), centred)?,
    };
    sheet.write_string_with_format(at, col + 2, cut(&row.rule).as_ref(), cell)?;
    sheet.write_string_with_format(at, col + 3, cut(&row.evidence).as_ref(), cell)?;
    sheet.write_string_with_format(at, col + 4, cut(&row.units).as_ref(), cell)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_named_by_kind() {
        assert_eq!(Score::Points(Decimal::new(25, 1)).text(), "2.5");
        assert_eq!(Score::Veto.text(), "否决项");
    }
}
