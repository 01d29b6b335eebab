//! A table's rows of cells (`cells::Grid`, from any reader) placed as its
//! structure: the title, the header row (or rows), then each row by the
//! header's columns as sections, indicators and items.
//!
//! A merged cell is empty in the rows under its first (`cells`). A section
//! or indicator repeated at the top of a page is the same heading again,
//! not a new one; a header row repeated at the top of a page is skipped.

use super::cells::{Cell, Grid, Place};
use regex::Regex;
use std::sync::LazyLock;

/// What a column holds, told by its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Column {
    Section,
    Indicator,
    Item,
    Points,
    Rule,
    Evidence,
    Units,
}

pub(super) fn column(header: &str) -> Option<Column> {
    let h: String = header.split_whitespace().collect();
    Some(match h.as_str() {
        "一级指标" => Column::Section,
        "二级指标" => Column::Indicator,
        "考核事项" | "三级指标" | "考核内容" | "考核项目" => Column::Item,
        "分值" | "分数" | "标准分" => Column::Points,
        "评分标准" | "考核标准" | "评分细则" | "计分办法" => Column::Rule,
        "材料要求" | "佐证材料" | "考核材料" | "考核依据" => Column::Evidence,
        "责任单位" | "牵头单位" | "责任部门" => Column::Units,
        _ => return None,
    })
}

/// How an item row is scored, from its points cell.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Points {
    /// Points as written (`3`, `0.5`).
    Score(String),
    Deduction,
    Bonus,
    /// A deduction row whose standard vetoes (考核不合格, 一票否决).
    Veto,
}

/// One row of an item (an item has two when its deductions and bonuses
/// are separate rows, as 16.2 of the 2024 table).
#[derive(Clone, Debug)]
pub(super) struct Row {
    pub points: Points,
    pub rule: String,
    pub evidence: String,
    pub units: Vec<String>,
}

#[derive(Clone, Debug)]
pub(super) struct Item {
    pub id: String,
    pub title: String,
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug)]
pub(super) struct Heading {
    pub label: String,
    pub name: String,
    /// A bonus ceiling stated in the heading's cell (（加分项上限10分）).
    pub bonus_cap: Option<String>,
}

#[derive(Clone, Debug)]
pub(super) struct Indicator {
    pub heading: Heading,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug)]
pub(super) struct Section {
    pub heading: Heading,
    pub indicators: Vec<Indicator>,
}

#[derive(Clone, Debug, Default)]
pub(super) struct Table {
    pub title: String,
    pub year: Option<u32>,
    pub sections: Vec<Section>,
    /// What could not be placed: where, and its text.
    pub unplaced: Vec<(Place, String)>,
    /// The paragraphs after the table (notes), kept in the draft as comments.
    pub notes: Vec<String>,
}

/// Why a text is no table.
#[derive(Debug, PartialEq)]
pub(super) enum NotATable {
    Empty,
    NoHeader,
}

static SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([一二三四五六七八九十]+)\s*[、.．]\s*(.+)$").unwrap_or_else(|_| unreachable!())
});
static INDICATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+)\s*[、.．]\s*(.+)$").unwrap_or_else(|_| unreachable!()));
static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d+\s*[.．]\s*\d+)\s*[、.．]?\s*(.+)$").unwrap_or_else(|_| unreachable!())
});
static CAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"加分(?:项)?(?:上限|最高)(?:为)?(\d+(?:\.\d+)?)分")
        .unwrap_or_else(|_| unreachable!())
});
/// A bonus ceiling written in brackets after a heading's name.
static CAP_IN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[（(][^（）()]*加分(?:项)?(?:上限|最高)[^（）()]*[）)]")
        .unwrap_or_else(|_| unreachable!())
});
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(20\d\d)\s*年").unwrap_or_else(|_| unreachable!()));
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d+(?:\.\d+)?(?:分)?$").unwrap_or_else(|_| unreachable!()));

/// A heading's cell: its id and name, and a bonus ceiling in a further
/// paragraph; `None` when the first paragraph is not `ID、NAME`.
fn heading(cell: &Cell, re: &Regex) -> Option<Heading> {
    let first = cell.paragraphs.first()?;
    let caps = re.captures(first)?;
    let label = caps.get(1)?.as_str().to_string();
    let name = tidy_name(&CAP_IN_NAME.replace_all(caps.get(2)?.as_str(), ""));
    let bonus_cap = CAP
        .captures(&cell.text())
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string());
    Some(Heading {
        label,
        name,
        bonus_cap,
    })
}

/// A name without its closing 。 (the table writes some with one).
fn tidy_name(name: &str) -> String {
    name.trim().trim_end_matches(['。', '.']).trim().to_string()
}

/// The units of a cell: split at 、，, and line breaks.
fn units(cell: &Cell) -> Vec<String> {
    cell.text()
        .split(['、', '，', ',', '；', ';', '\n'])
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string)
        .collect()
}

fn points(cell: &Cell, rule: &str) -> Option<Points> {
    let p = cell.joined();
    if NUMBER.is_match(&p) {
        return Some(Points::Score(p.trim_end_matches('分').to_string()));
    }
    if p.contains("扣分") || p.contains("否决") {
        let veto = ["一票否决", "考核不合格", "实行否决", "评为不合格"]
            .iter()
            .any(|w| rule.contains(w));
        return Some(if veto {
            Points::Veto
        } else {
            Points::Deduction
        });
    }
    if p.contains("加分") {
        return Some(Points::Bonus);
    }
    None
}

/// Whether a cell's text names a column the header row begins with.
pub(super) fn starts_header(text: &str) -> bool {
    matches!(column(text), Some(Column::Section | Column::Item))
}

/// Whether a cell's text names a known column.
pub(super) fn is_column(text: &str) -> bool {
    column(text).is_some()
}

/// Whether a grid has a header row (a row naming the column a header
/// begins with).
pub(super) fn has_header(grid: &Grid) -> bool {
    (grid.rows.iter()).any(|r| r.iter().any(|c| starts_header(&c.joined())))
}

/// A further row of the header, under its first: every cell empty, a
/// known column, or a short word (a group's name over several columns).
fn continues_header(row: &[Cell]) -> bool {
    row.iter().any(|c| is_column(&c.joined()))
        && row.iter().all(|c| {
            let j = c.joined();
            j.is_empty()
                || is_column(&j)
                || (j.chars().count() <= 6 && !j.chars().any(|c| c.is_ascii_digit()))
        })
}

/// A row that repeats the header (at the top of a page): its cells all
/// known columns, two at least.
fn repeats_header(row: &[Cell]) -> bool {
    let named = row.iter().filter(|c| is_column(&c.joined())).count();
    named >= 2 && row.iter().all(|c| c.is_empty() || is_column(&c.joined()))
}

/// Place the rows of a grid: find its header row (or rows: the column a
/// cell names is the lowest header row's that names one), then place each
/// row under it.
pub(super) fn read(grid: &Grid) -> Result<Table, NotATable> {
    let all_empty = grid.before.is_empty()
        && grid.after.is_empty()
        && grid.loose.iter().all(Cell::is_empty)
        && grid.rows.iter().flatten().all(Cell::is_empty);
    if all_empty {
        return Err(NotATable::Empty);
    }
    let start = (grid.rows.iter())
        .position(|r| r.iter().any(|c| starts_header(&c.joined())))
        .ok_or(NotATable::NoHeader)?;
    let mut end = start + 1;
    while grid.rows.get(end).is_some_and(|r| continues_header(r)) {
        end += 1;
    }
    let header = grid.rows.get(start..end).unwrap_or_default();
    let width = header.iter().map(Vec::len).max().unwrap_or(0);
    let columns: Vec<Option<Column>> = (0..width)
        .map(|i| {
            header
                .iter()
                .rev()
                .find_map(|r| r.get(i).and_then(|c| column(&c.joined())))
        })
        .collect();
    if !columns.contains(&Some(Column::Item)) || !columns.contains(&Some(Column::Points)) {
        return Err(NotATable::NoHeader);
    }
    let title = grid
        .before
        .iter()
        .find(|l| !l.is_empty())
        .cloned()
        .unwrap_or_default();
    let mut table = Table {
        year: YEAR
            .captures(&title)
            .and_then(|c| c.get(1))
            .and_then(|m| m.as_str().parse().ok()),
        title,
        notes: grid.after.iter().map(|(_, p)| p.clone()).collect(),
        ..Table::default()
    };
    for c in grid.rows.get(..start).unwrap_or_default().iter().flatten() {
        if !c.is_empty() {
            table.unplaced.push((c.at.clone(), c.text()));
        }
    }
    for row in grid.rows.get(end..).unwrap_or_default() {
        if !repeats_header(row) {
            place(&mut table, &columns, row);
        }
    }
    for c in &grid.loose {
        if !c.is_empty() {
            table.unplaced.push((c.at.clone(), c.text()));
        }
    }
    Ok(table)
}

/// Place one row of cells: a new or repeated section and indicator, then
/// a new item or a further row of the last.
fn place(table: &mut Table, columns: &[Option<Column>], row: &[Cell]) {
    let get = |want: Column| {
        columns
            .iter()
            .position(|c| *c == Some(want))
            .and_then(|i| row.get(i))
    };
    let at = row.first().map_or(Place::Line(0), |c| c.at.clone());
    if row.iter().all(Cell::is_empty) {
        return;
    }
    let reported = table.unplaced.len();
    if let Some(cell) = get(Column::Section).filter(|c| !c.is_empty()) {
        match heading(cell, &SECTION) {
            Some(h) => {
                let same = table
                    .sections
                    .last()
                    .is_some_and(|s| s.heading.label == h.label);
                if !same {
                    table.sections.push(Section {
                        heading: h,
                        indicators: Vec::new(),
                    });
                }
            }
            None => table.unplaced.push((cell.at.clone(), cell.text())),
        }
    }
    if let Some(cell) = get(Column::Indicator).filter(|c| !c.is_empty()) {
        match (heading(cell, &INDICATOR), table.sections.last_mut()) {
            (Some(h), Some(section)) => match section.indicators.last_mut() {
                Some(last) if last.heading.label == h.label => {
                    if last.heading.bonus_cap.is_none() {
                        last.heading.bonus_cap = h.bonus_cap;
                    }
                }
                _ => section.indicators.push(Indicator {
                    heading: h,
                    items: Vec::new(),
                }),
            },
            _ => table.unplaced.push((cell.at.clone(), cell.text())),
        }
    }
    let rule = get(Column::Rule).map(Cell::text).unwrap_or_default();
    let Some(points) = get(Column::Points).and_then(|c| points(c, &rule)) else {
        let text: Vec<String> = row
            .iter()
            .map(Cell::text)
            .filter(|t| !t.is_empty())
            .collect();
        // The whole row once, rather than its heading cells again.
        table.unplaced.truncate(reported);
        table.unplaced.push((at.clone(), text.join(" | ")));
        return;
    };
    let new_row = Row {
        points,
        rule,
        evidence: get(Column::Evidence).map(Cell::text).unwrap_or_default(),
        units: get(Column::Units).map(units).unwrap_or_default(),
    };
    let Some(indicator) = table
        .sections
        .last_mut()
        .and_then(|s| s.indicators.last_mut())
    else {
        table.unplaced.push((at.clone(), new_row.rule));
        return;
    };
    match get(Column::Item).filter(|c| !c.is_empty()) {
        Some(cell) => {
            let first = cell.paragraphs.join("");
            match ITEM.captures(&first) {
                Some(c) => {
                    let id: String = c
                        .get(1)
                        .map_or("", |m| m.as_str())
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .map(|c| if c == '．' { '.' } else { c })
                        .collect();
                    indicator.items.push(Item {
                        id,
                        title: tidy_name(c.get(2).map_or("", |m| m.as_str())),
                        rows: vec![new_row],
                    });
                }
                None => table.unplaced.push((cell.at.clone(), cell.text())),
            }
        }
        // An empty item cell: a further row of the item above (merged).
        None => match indicator.items.last_mut() {
            Some(item) => item.rows.push(new_row),
            None => table.unplaced.push((at.clone(), new_row.rule)),
        },
    }
}
