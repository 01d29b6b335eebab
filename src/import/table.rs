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
    /// A level of the table: a heading's or, the last one, the items'.
    /// Which is which is told by the order of the header's level columns
    /// (`Layout`), not by the word: a table of two levels may head its
    /// sections 考核内容 and its items 考核项目, one of four its items
    /// 三级指标.
    Level,
    /// 序号: the items' ids, where their own cells are not numbered.
    Number,
    Points,
    Rule,
    Evidence,
    Units,
}

pub(super) fn column(header: &str) -> Option<Column> {
    let h: String = header.split_whitespace().collect();
    Some(match h.as_str() {
        "一级指标" | "二级指标" | "三级指标" | "四级指标" | "考核事项" | "考核内容"
        | "考核项目" | "考核指标" | "评价指标" | "评价内容" | "评价项目" | "考核要点" | "指标"
        | "项目" | "指标名称" | "项目名称" | "工作任务" | "重点任务" => {
            Column::Level
        }
        "序号" | "编号" => Column::Number,
        "分值" | "分数" | "标准分" | "权重分" => Column::Points,
        "评分标准" | "考核标准" | "评分细则" | "计分办法" | "评分办法" | "评分方法" => {
            Column::Rule
        }
        "材料要求" | "佐证材料" | "考核材料" | "考核依据" | "考核方式" => {
            Column::Evidence
        }
        "责任单位" | "牵头单位" | "责任部门" => Column::Units,
        _ => return None,
    })
}

/// The columns of a header, by what they hold: the headings' levels from
/// the first, the items', and the others'.
#[derive(Clone, Debug, Default)]
struct Layout {
    headings: Vec<usize>,
    item: usize,
    number: Option<usize>,
    points: usize,
    rule: Option<usize>,
    evidence: Option<usize>,
    units: Option<usize>,
}

/// The most levels of headings a spec has (一级 to 四级指标).
pub(super) const MAX_HEADINGS: usize = 4;

impl Layout {
    /// The layout of a header's columns; `None` without a level or a
    /// points column. Level columns beyond the spec's five levels are the
    /// first ones, left out (their cells are not placed).
    fn of(columns: &[Option<Column>]) -> Option<Layout> {
        let at = |want: Column| columns.iter().position(|c| *c == Some(want));
        let mut levels: Vec<usize> = (0..columns.len())
            .filter(|&i| columns.get(i) == Some(&Some(Column::Level)))
            .collect();
        let item = levels.pop()?;
        let extra = levels.len().saturating_sub(MAX_HEADINGS);
        Some(Layout {
            headings: levels.split_off(extra),
            item,
            number: at(Column::Number),
            points: at(Column::Points)?,
            rule: at(Column::Rule),
            evidence: at(Column::Evidence),
            units: at(Column::Units),
        })
    }
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
    /// Its points stated after its name (党建工作（20分）).
    pub points: Option<String>,
}

/// A heading with what it holds (headings of the next level, or items),
/// or an item.
#[derive(Clone, Debug)]
pub(super) enum Node {
    Heading(Heading, Vec<Node>),
    Item(Item),
}

#[derive(Clone, Debug, Default)]
pub(super) struct Table {
    pub title: String,
    pub year: Option<u32>,
    /// How many levels of headings the header has (0 to `MAX_HEADINGS`).
    pub depth: usize,
    /// The headings of the first level (or the items, in a table of one).
    pub nodes: Vec<Node>,
    /// What could not be placed: where, and its text.
    pub unplaced: Vec<(Place, String)>,
    /// The paragraphs after the table (notes), kept in the draft as comments.
    pub notes: Vec<String>,
    /// The ids the importer gave headings and items their cells did not
    /// number, in order.
    pub numbered: Vec<String>,
    /// The points of the table's total row (合计), where it has one.
    pub total: Option<String>,
}

/// Why a text is no table.
#[derive(Debug, PartialEq)]
pub(super) enum NotATable {
    Empty,
    NoHeader,
}

/// An id as tables number their rows, at the start of a cell: 一、,
/// (一), 1.1 (any depth), 1. or 1、, (1), ①, or a number and a space; in
/// full-width forms too. Its last group is the rest of the cell.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^\s*(?:([一二三四五六七八九十百]+)\s*[、.．]",
        r"|([（(]\s*[一二三四五六七八九十百0-9０-９]+\s*[）)])\s*[、.．]?",
        r"|([0-9０-９]+(?:\s*[.．]\s*[0-9０-９]+)+)\s*[、.．]?",
        r"|([0-9０-９]+)\s*[、.．]",
        r"|([①-⑳])\s*[、.．]?",
        r"|([0-9０-９]{1,3})\s+",
        r")\s*(.*)$"
    ))
    .unwrap_or_else(|_| unreachable!())
});
static CAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"加分(?:项)?(?:上限|最高)(?:为)?(\d+(?:\.\d+)?)分")
        .unwrap_or_else(|_| unreachable!())
});
/// A heading's points in brackets after its name (（20分）).
static POINTS_IN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[）)]\s*$").unwrap_or_else(|_| unreachable!())
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

/// A cell's id, as a spec writes it (`（一）` as `(一)`, `１.２` as `1.2`,
/// without a closing 、 or point), and the rest of the cell; `None` when
/// the cell does not begin with one.
fn split_label(text: &str) -> Option<(String, &str)> {
    let caps = LABEL.captures(text)?;
    let id = (1..=6).find_map(|i| caps.get(i))?.as_str();
    let rest = caps.get(7).map_or("", |m| m.as_str());
    Some((label_of(id), rest))
}

/// An id written the spec's way: no spaces, ASCII digits, points and
/// brackets, no closing 、 or point.
fn label_of(id: &str) -> String {
    let ascii: String = (id.chars())
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFF10 + 0x30).unwrap_or(c),
            '．' => '.',
            '（' => '(',
            '）' => ')',
            _ => c,
        })
        .collect();
    ascii.trim_end_matches(['、', '.']).to_string()
}

/// A heading's cell: its id (if it numbers itself) and name, and a bonus
/// ceiling in a further paragraph.
fn heading(cell: &Cell) -> (Option<String>, Heading) {
    let first = cell.paragraphs.first().map_or("", String::as_str);
    let (label, name) = match split_label(first) {
        Some((label, name)) => (Some(label), name),
        None => (None, first),
    };
    // A cell of its id alone (`一、`) names the heading in its next paragraph.
    let name = match name.trim() {
        "" => cell.paragraphs.get(1).map_or("", String::as_str),
        _ => name,
    };
    let bonus_cap = CAP
        .captures(&cell.text())
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string());
    let name = tidy_name(&CAP_IN_NAME.replace_all(name, ""));
    let points = (POINTS_IN_NAME.captures(&name))
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string());
    let heading = Heading {
        label: label.clone().unwrap_or_default(),
        name: tidy_name(&POINTS_IN_NAME.replace(&name, "")),
        bonus_cap,
        points,
    };
    (label, heading)
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
    matches!(column(text), Some(Column::Level | Column::Number))
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
    let layout = Layout::of(&columns).ok_or(NotATable::NoHeader)?;
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
        depth: layout.headings.len(),
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
            place(&mut table, &layout, row);
        }
    }
    for c in &grid.loose {
        if !c.is_empty() {
            table.unplaced.push((c.at.clone(), c.text()));
        }
    }
    Ok(table)
}

/// Place one row of cells: a new or repeated heading at each level, then
/// a new item or a further row of the last.
fn place(table: &mut Table, layout: &Layout, row: &[Cell]) {
    if row.iter().all(Cell::is_empty) {
        return;
    }
    let at = row.first().map_or(Place::Line(0), |c| c.at.clone());
    if says_total(layout, row) {
        table.total = row.get(layout.points).map(|c| c.joined());
        return;
    }
    let reported = table.unplaced.len();
    for (level, &col) in layout.headings.iter().enumerate() {
        let Some(cell) = row.get(col).filter(|c| !c.is_empty()) else {
            continue;
        };
        match children(&mut table.nodes, level) {
            Some(list) => open(list, heading(cell), &mut table.numbered),
            None => table.unplaced.push((cell.at.clone(), cell.text())),
        }
    }
    let cell = |i: Option<usize>| i.and_then(|i| row.get(i));
    if let Some(parsed) = heading_row(layout, row) {
        let level = layout.headings.len();
        match children(&mut table.nodes, level) {
            Some(list) if !list.iter().any(|n| matches!(n, Node::Item(_))) => {
                open(list, parsed, &mut table.numbered);
                table.depth = table.depth.max(level + 1);
            }
            _ => table.unplaced.push((at, row_text(row))),
        }
        return;
    }
    let rule = cell(layout.rule).map(Cell::text).unwrap_or_default();
    let Some(points) = row.get(layout.points).and_then(|c| points(c, &rule)) else {
        // The whole row once, rather than its heading cells again.
        table.unplaced.truncate(reported);
        table.unplaced.push((at, row_text(row)));
        return;
    };
    let new_row = Row {
        points,
        rule,
        evidence: cell(layout.evidence).map(Cell::text).unwrap_or_default(),
        units: cell(layout.units).map(units).unwrap_or_default(),
    };
    let number = cell(layout.number).map(Cell::joined);
    let item_cell = row.get(layout.item).filter(|c| !c.is_empty());
    if let Err(rule) = place_item(table, new_row, item_cell, number.as_deref()) {
        table.unplaced.push((at, rule));
    }
}

/// An item's row placed under the last heading of the deepest level: a
/// new item, or, its cell empty (merged), a further row of the item
/// above. Its rule back when there is no such heading or item.
fn place_item(
    table: &mut Table,
    row: Row,
    cell: Option<&Cell>,
    number: Option<&str>,
) -> Result<(), String> {
    let Some(list) = children(&mut table.nodes, table.depth) else {
        return Err(row.rule);
    };
    match (cell, list.last_mut()) {
        (Some(cell), _) => {
            let (id, title) = item_id(cell, number, list, &mut table.numbered);
            list.push(Node::Item(Item {
                id,
                title,
                rows: vec![row],
            }));
        }
        (None, Some(Node::Item(item))) => item.rows.push(row),
        (None, _) => return Err(row.rule),
    }
    Ok(())
}

/// A row's cells that say something, for a warning.
fn row_text(row: &[Cell]) -> String {
    let text: Vec<String> = (row.iter().map(Cell::text))
        .filter(|t| !t.is_empty())
        .collect();
    text.join(" | ")
}

/// A heading written as a row of the items' column (一 | 党建工作（20分）
/// | 20 | ), as tables of one level column group their items: the row
/// has no scoring standard, and either no points or an id in Chinese
/// numerals (its own, or its 序号's). Its points are its name's, else the
/// points cell's.
fn heading_row(layout: &Layout, row: &[Cell]) -> Option<(Option<String>, Heading)> {
    let rule = row.get(layout.rule?)?;
    let item = row.get(layout.item).filter(|c| !c.is_empty())?;
    let number = (layout.number.and_then(|i| row.get(i)))
        .map(Cell::joined)
        .map(|n| label_of(&n))
        .filter(|n| !n.is_empty());
    let mut cell = item.clone();
    // A 序号 beside an unnumbered name is the heading's id.
    let numbered = item.paragraphs.first().and_then(|p| split_label(p));
    if let (Some(n), None, Some(first)) = (&number, numbered, cell.paragraphs.first_mut()) {
        *first = format!("{n}、{first}");
    }
    let (label, mut heading) = heading(&cell);
    let chinese = label
        .as_deref()
        .is_some_and(|l| l.chars().all(|c| "一二三四五六七八九十百".contains(c)));
    let points = row.get(layout.points).map(Cell::joined).unwrap_or_default();
    if !rule.is_empty() || !(points.is_empty() || chinese) {
        return None;
    }
    if heading.points.is_none() && NUMBER.is_match(&points) {
        heading.points = Some(points.trim_end_matches('分').to_string());
    }
    Some((label, heading))
}

/// The list a heading of `level` (0, the first) or an item of a table of
/// `level` headings goes in: the children of the last heading of the level
/// above; `None` when there is none yet.
fn children(nodes: &mut Vec<Node>, level: usize) -> Option<&mut Vec<Node>> {
    let mut list = nodes;
    for _ in 0..level {
        match list.last_mut() {
            Some(Node::Heading(_, children)) => list = children,
            _ => return None,
        }
    }
    Some(list)
}

/// A heading's cell placed in `list`: the last heading again when it has
/// its id (or, unnumbered, its name), as at the top of a page; else a new
/// heading, numbered in turn when its cell is not.
fn open(list: &mut Vec<Node>, parsed: (Option<String>, Heading), numbered: &mut Vec<String>) {
    let (label, mut heading) = parsed;
    if let Some(Node::Heading(last, _)) = list.last_mut() {
        let same = match &label {
            Some(label) => *label == last.label,
            None => heading.name == last.name,
        };
        if same {
            if last.bonus_cap.is_none() {
                last.bonus_cap = heading.bonus_cap;
            }
            return;
        }
    }
    if label.is_none() {
        heading.label = next_id(list);
        numbered.push(format!("{} {}", heading.label, heading.name));
    }
    list.push(Node::Heading(heading, Vec::new()));
}

/// An item's id and title: the id its cell begins with, else its 序号,
/// else the next in turn.
fn item_id(
    cell: &Cell,
    number: Option<&str>,
    list: &[Node],
    numbered: &mut Vec<String>,
) -> (String, String) {
    let text = cell.paragraphs.join("");
    let own = split_label(&text);
    let number = number.map(label_of).filter(|n| !n.is_empty());
    let (id, title) = match (number, own) {
        (Some(n), Some((own, rest))) if n == own => (n, rest),
        (Some(n), _) => (n, text.as_str()),
        (None, Some((own, rest))) => (own, rest),
        (None, None) => {
            let id = next_id(list);
            numbered.push(format!("{id} {}", tidy_name(&text)));
            (id, text.as_str())
        }
    };
    (id, tidy_name(title))
}

/// The next number among a list's ids (`1`, `2`…), past any taken.
fn next_id(list: &[Node]) -> String {
    let taken = |id: &str| {
        list.iter().any(|n| match n {
            Node::Heading(h, _) => h.label == id,
            Node::Item(i) => i.id == id,
        })
    };
    (list.len() + 1..)
        .map(|n| n.to_string())
        .find(|id| !taken(id))
        .unwrap_or_default()
}

/// Whether a row is the table's total (合计): its points are the sum of
/// the items', not an item's.
fn says_total(layout: &Layout, row: &[Cell]) -> bool {
    let words = ["合计", "总计", "总分", "合计分", "分值合计"];
    (layout
        .headings
        .iter()
        .chain([&layout.item])
        .chain(&layout.number))
    .filter_map(|&i| row.get(i))
    .any(|c| {
        let text: String = c.joined().split_whitespace().collect();
        words.contains(&text.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every way a table numbers its rows gives the id a spec writes; a
    /// name that only begins with a number (a year) is no id.
    #[test]
    fn ids_are_read_in_every_form_tables_number_rows() {
        let cases = [
            ("一、组织领导", Some(("一", "组织领导"))),
            ("十二．宣传", Some(("十二", "宣传"))),
            ("（一）疾病预防控制", Some(("(一)", "疾病预防控制"))),
            ("(三) 冷链", Some(("(三)", "冷链"))),
            ("1.履行责任", Some(("1", "履行责任"))),
            ("1、会议", Some(("1", "会议"))),
            ("１．２ 全角", Some(("1.2", "全角"))),
            ("2.3.1深入推进", Some(("2.3.1", "深入推进"))),
            ("（2）接种率", Some(("(2)", "接种率"))),
            ("③冷链", Some(("③", "冷链"))),
            ("12 专项整治", Some(("12", "专项整治"))),
            ("2024年重点任务", None),
            ("党建工作", None),
        ];
        for (text, want) in cases {
            let got = split_label(text);
            let got = got.as_ref().map(|(id, rest)| (id.as_str(), *rest));
            assert_eq!(got, want, "{text}");
        }
    }

    /// A heading's points after its name are its points, not its name's.
    #[test]
    fn a_heading_s_points_are_taken_from_its_name() {
        let cell = Cell::of_text("一、党建工作（20分）", Place::Line(1));
        let (label, h) = heading(&cell);
        assert_eq!(label.as_deref(), Some("一"));
        assert_eq!(
            (h.name.as_str(), h.points.as_deref()),
            ("党建工作", Some("20"))
        );
        let plain = heading(&Cell::of_text("组织领导", Place::Line(2)));
        assert_eq!((plain.0, plain.1.points), (None, None));
    }
}
