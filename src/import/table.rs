//! Reading the plain text of a table copied from Word into its structure:
//! the title, the header row, then rows of cells by the header's columns,
//! placed as sections, indicators and items.
//!
//! The text is as Word gives it when a table is copied: every cell begins
//! on a line of its own with a tab, a cell's further paragraphs follow on
//! lines without one (blank lines between them), and a merged cell is
//! empty in the rows under its first. A section or indicator repeated at
//! the top of a page is the same heading again, not a new one.

use regex::Regex;
use std::sync::LazyLock;

/// A cell: its paragraphs, and the line it begins on (1-based).
#[derive(Clone, Debug, Default)]
pub(super) struct Cell {
    pub paragraphs: Vec<String>,
    pub line: usize,
}

impl Cell {
    /// The paragraphs joined by a line break, as the table shows them.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n")
    }

    /// The paragraphs run together, for a cell written one character a
    /// line (扣 / 分 / 项).
    pub fn joined(&self) -> String {
        self.paragraphs.concat().split_whitespace().collect()
    }

    fn is_empty(&self) -> bool {
        self.paragraphs.iter().all(|p| p.trim().is_empty())
    }
}

/// What a column holds, told by its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Section,
    Indicator,
    Item,
    Points,
    Rule,
    Evidence,
    Units,
}

fn column(header: &str) -> Option<Column> {
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
    /// What could not be placed: (line, text).
    pub unplaced: Vec<(usize, String)>,
}

/// Why a text is no table.
#[derive(Debug, PartialEq)]
pub(super) enum NotATable {
    Empty,
    NoHeader,
}

/// The cells of the text, in order, and the lines before the first cell.
fn cells(text: &str) -> (Vec<String>, Vec<Cell>) {
    let mut before = Vec::new();
    let mut cells: Vec<Cell> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches(['\r', ' ', '\u{3000}']);
        if let Some(first) = line.strip_prefix('\t') {
            let mut cell = Cell {
                paragraphs: Vec::new(),
                line: i + 1,
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
    (before, cells)
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
    let name = tidy_name(caps.get(2)?.as_str());
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

/// Read a copied table.
pub(super) fn read(text: &str) -> Result<Table, NotATable> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(NotATable::Empty);
    }
    let (before, cells) = cells(text);
    // The header row: the first run of cells that name known columns.
    let start = cells
        .iter()
        .position(|c| {
            column(&c.joined()) == Some(Column::Section)
                || column(&c.joined()) == Some(Column::Item)
        })
        .ok_or(NotATable::NoHeader)?;
    let columns: Vec<Column> = cells
        .get(start..)
        .unwrap_or_default()
        .iter()
        .map_while(|c| column(&c.joined()))
        .collect();
    if !columns.contains(&Column::Item) || !columns.contains(&Column::Points) {
        return Err(NotATable::NoHeader);
    }
    let title = before
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
        ..Table::default()
    };
    for c in cells.get(..start).unwrap_or_default() {
        if !c.is_empty() {
            table.unplaced.push((c.line, c.text()));
        }
    }
    let body = cells.get(start + columns.len()..).unwrap_or_default();
    let mut rows = body.chunks_exact(columns.len());
    for row in rows.by_ref() {
        place(&mut table, &columns, row);
    }
    for c in rows.remainder() {
        if !c.is_empty() {
            table.unplaced.push((c.line, c.text()));
        }
    }
    Ok(table)
}

/// Place one row of cells: a new or repeated section and indicator, then
/// a new item or a further row of the last.
fn place(table: &mut Table, columns: &[Column], row: &[Cell]) {
    let get = |want: Column| {
        columns
            .iter()
            .position(|c| *c == want)
            .and_then(|i| row.get(i))
    };
    let line = row.first().map_or(0, |c| c.line);
    if row.iter().all(Cell::is_empty) {
        return;
    }
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
            None => table.unplaced.push((cell.line, cell.text())),
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
            _ => table.unplaced.push((cell.line, cell.text())),
        }
    }
    let rule = get(Column::Rule).map(Cell::text).unwrap_or_default();
    let Some(points) = get(Column::Points).and_then(|c| points(c, &rule)) else {
        let text: Vec<String> = row
            .iter()
            .map(Cell::text)
            .filter(|t| !t.is_empty())
            .collect();
        table.unplaced.push((line, text.join(" | ")));
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
        table.unplaced.push((line, new_row.rule));
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
                None => table.unplaced.push((cell.line, cell.text())),
            }
        }
        // An empty item cell: a further row of the item above (merged).
        None => match indicator.items.last_mut() {
            Some(item) => item.rows.push(new_row),
            None => table.unplaced.push((line, new_row.rule)),
        },
    }
}
