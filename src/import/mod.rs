//! `kaohe import`: a published table (the text copied from Word) turned
//! into a draft spec that a person finishes (issue 18).
//!
//! - `file`: what a file is (text, .docx, .xlsx/.xls, or refused) and the
//!   limits on reading it
//! - `cells`: the table as rows of cells, merged cells resolved, read from
//!   copied text (here), a Word document (`docx`) or a spreadsheet (`xlsx`)
//! - `table`: the rows placed as sections, indicators and items
//! - `phrases`: the common scoring phrases written as kaohe rules; the rest
//!   left as placeholders (`rule pending`, 待写规则)
//!
//! The draft is written in the Chinese keyword set, then laid out by
//! `kaohe fmt` in the set asked for; it always parses, and checks with
//! warnings only (K0490 for each placeholder).

mod biff;
mod cells;
mod docx;
pub mod file;
mod phrases;
mod table;
mod xlsx;

#[cfg(test)]
mod tests;

use crate::diagnostic::{Code, Diagnostic, Text};
use crate::parse::keywords::KeywordSet;
use crate::t;
use phrases::{Kind, Reader, quoted};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use table::Points;

/// A draft spec and what the importer found.
#[derive(Debug)]
pub struct Draft {
    pub text: String,
    pub summary: Summary,
    /// Warnings: what could not be placed (K0803).
    pub warnings: Vec<Diagnostic>,
}

/// What the importer found, for its summary on standard error.
#[derive(Debug, Default)]
pub struct Summary {
    /// The headings found at each level, the first level's first; as
    /// many levels as the table's header has.
    pub headings: Vec<usize>,
    pub items: usize,
    /// The base items' points added up.
    pub base_total: Decimal,
    pub bonus_cap: Option<String>,
    pub vetoes: usize,
    /// Recognised fragments by pattern, in the order of `phrases::PATTERNS`.
    pub patterns: BTreeMap<usize, usize>,
    pub placeholders: usize,
    /// Items whose every scoring sentence was recognised.
    pub items_recognised: usize,
    /// The ids of the items with a placeholder, in order.
    pub pending_items: Vec<String>,
    pub unplaced: usize,
}

impl Summary {
    /// The summary as printed, a line each, in the reader's language
    /// (the patterns' names give the phrase they recognise in Chinese).
    pub fn lines(&self) -> Vec<Text> {
        let items = self.items;
        let total = self.base_total;
        let mut parts: Vec<Text> = (self.headings.iter().zip(LEVELS))
            .map(|(n, (en, zh))| t!("{n} {en}", "{zh} {n} 个"))
            .collect();
        parts.push(t!("{items} items", "考核事项 {items} 项"));
        let mut found = Text::join(
            &[
                t!("found: ", "找到："),
                Text::join(&parts, ", ", "，"),
                t!("; base points {total}", "；基本分 {total}"),
            ],
            "",
            "",
        );
        if let Some(cap) = &self.bonus_cap {
            found = Text::join(
                &[found, t!(", bonus ceiling {cap}", "，加分上限 {cap}")],
                "",
                "",
            );
        }
        let vetoes = self.vetoes;
        if vetoes > 0 {
            found = Text::join(
                &[found, t!(", {vetoes} veto item(s)", "，否决项 {vetoes} 项")],
                "",
                "",
            );
        }
        let (recognised, placeholders, unplaced) =
            (self.items_recognised, self.placeholders, self.unplaced);
        let mut out = vec![
            found,
            t!(
                "rules: every sentence recognised in {recognised} of {items} items; {placeholders} placeholder(s) (rule pending); {unplaced} cell(s) not placed",
                "规则：{items} 项中 {recognised} 项的每句评分标准都已识别；待写规则 {placeholders} 处；未能放入的单元格 {unplaced} 个"
            ),
        ];
        for (i, n) in &self.patterns {
            if let Some(name) = phrases::PATTERNS.get(*i) {
                let line = format!("  {n:>3} × {name}");
                out.push(Text::new(line.clone(), line));
            }
        }
        out
    }
}

/// The kind of file a table was read from, for what the messages advise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The text of a Word table copied into a text file.
    Text,
    /// A Word document (.docx).
    Word,
    /// A spreadsheet (.xlsx, .xls).
    Sheet,
}

/// Import the plain text of a table; `file` names it in messages and in
/// the draft's first comment.
// One diagnostic, as every reader of a file returns (api::Spec::open).
#[allow(clippy::result_large_err)]
pub fn from_text(text: &str, file: &str, set: KeywordSet) -> Result<Draft, Diagnostic> {
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(not_a_table(table::NotATable::Empty, file, Format::Text));
    }
    let grid = cells::from_text(text, table::starts_header, table::is_column);
    from_grid(&grid, file, Format::Text, set)
}

/// Why a file holds no table, and what to do, by its format.
fn not_a_table(why: table::NotATable, file: &str, format: Format) -> Diagnostic {
    match why {
        table::NotATable::Empty => Diagnostic::new(
            Code::ImportEmpty,
            t!("{file} holds no text", "{file} 中没有文字"),
        )
        .in_file(file)
        .with_help(match format {
            Format::Text => t!(
                "copy the whole table from the Word document (select it, Ctrl+C) into a text file and import that file",
                "请在 Word 中选中整张表格复制（Ctrl+C），粘贴到文本文件中，再导入该文件"
            ),
            Format::Word | Format::Sheet => t!(
                "open the file to see whether it is the published table; save it again from Word or Excel and import it once more",
                "请打开该文件，确认是否为发布的考核表；用 Word 或 Excel 重新保存后再导入"
            ),
        }),
        table::NotATable::NoHeader => Diagnostic::new(
            Code::ImportNoTable,
            t!(
                "{file} holds no assessment table: no header row was found with a points column (分值) and a column of items or headings (考核事项, 考核项目, 一级指标…)",
                "{file} 中没有考核表：没有找到含“分值”列和指标列（考核事项、考核项目、一级指标等）的表头行"
            ),
        )
        .in_file(file)
        .with_help(match format {
            Format::Text => t!(
                "import the table as copied from Word, its header row (such as 一级指标, 二级指标, 考核事项, 分值, 评分标准, 材料要求, 责任单位; or 序号, 考核项目, 分值, 评分标准) included, each cell on a line beginning with a tab",
                "请导入从 Word 复制的整张表格，包括表头行（如 一级指标、二级指标、考核事项、分值、评分标准、材料要求、责任单位，或 序号、考核项目、分值、评分标准），每个单元格以制表符开头另起一行"
            ),
            Format::Word => t!(
                "the table must be a Word table (Insert → Table, not text boxes or a picture) with a header row naming its columns (such as 一级指标, 二级指标, 考核事项, 分值, 评分标准, 材料要求, 责任单位)",
                "表格须是 Word 表格（插入 → 表格，而不是文本框或图片），并有写明各列名称的表头行（如 一级指标、二级指标、考核事项、分值、评分标准、材料要求、责任单位）"
            ),
            Format::Sheet => t!(
                "put the table on the first worksheet, or any worksheet, with a header row naming its columns (such as 一级指标, 二级指标, 考核事项, 分值, 评分标准, 材料要求, 责任单位)",
                "请确认某个工作表中有这张表格，并有写明各列名称的表头行（如 一级指标、二级指标、考核事项、分值、评分标准、材料要求、责任单位）"
            ),
        }),
    }
}

/// Import a table read as rows of cells (`cells::Grid`).
#[allow(clippy::result_large_err)]
fn from_grid(
    grid: &cells::Grid,
    file: &str,
    format: Format,
    set: KeywordSet,
) -> Result<Draft, Diagnostic> {
    let table = table::read(grid).map_err(|why| not_a_table(why, file, format))?;
    let mut summary = Summary::default();
    let mut warnings: Vec<Diagnostic> = table
        .unplaced
        .iter()
        .map(|(at, text)| {
            let short: String = text.chars().take(40).collect();
            Diagnostic::new(
                Code::ImportUnplaced,
                Text::join(
                    &[
                        at.prefix(file),
                        t!(
                            "could not place \"{short}\" in the draft",
                            "无法把“{short}”放入草稿"
                        ),
                    ],
                    "",
                    "",
                ),
            )
            .in_file(file)
            .with_help(t!(
                "look at this line of the table and add what it says to the draft by hand",
                "请查看表格的这一行，把其内容手工补入草稿"
            ))
        })
        .collect();
    summary.unplaced = table.unplaced.len();
    let body = write(&table, file, &mut summary);
    headings_differ(&table.nodes, 0, file, &mut warnings);
    warnings.extend(total_differs(&table, file, summary.base_total));
    let text = match crate::fmt::format(&body, Some(set)) {
        Ok(t) => t,
        // A draft kaohe cannot lay out is a bug of the importer's: the
        // draft is still returned as written, so nothing is lost.
        Err(_) => body,
    };
    Ok(Draft {
        text,
        summary,
        warnings,
    })
}

/// The levels of headings: their names in the summary, English and
/// Chinese (the Chinese the spec's keywords).
const LEVELS: [(&str, &str); table::MAX_HEADINGS] = [
    ("sections", "一级指标"),
    ("indicators", "二级指标"),
    ("level-3 headings", "三级指标"),
    ("level-4 headings", "四级指标"),
];

/// K0812: the table's total row (合计) says other points than its base
/// items add up to; the draft's total is their sum, which `kaohe check`
/// holds the items to.
fn total_differs(table: &table::Table, file: &str, sum: Decimal) -> Option<Diagnostic> {
    let written = table.total.as_deref()?;
    let total: Decimal = written.trim_end_matches('分').parse().ok()?;
    if total == sum {
        return None;
    }
    let sum = sum.normalize();
    Some(
        Diagnostic::new(
            Code::ImportTotalDiffers,
            t!(
                "{file}: the table's total row says {written} points, its base items' points add up to {sum}",
                "{file}：表中合计行为 {written} 分，各考核事项（基本项）的分值之和为 {sum} 分"
            ),
        )
        .in_file(file)
        .with_help(t!(
            "the draft's total is {sum}: check each item's points against the published table, and correct the item or the total (总分)",
            "草稿的总分按各项之和写为 {sum}：请对照原表核对各考核事项的分值，改正有误的分值或总分"
        )),
    )
}

/// What a heading's children add up to: its base items' points, and its
/// headings' (the points they state where those agree, else their own
/// children's), as `kaohe check` adds them (K0450).
fn children_sum(children: &[table::Node]) -> Decimal {
    (children.iter())
        .map(|node| match node {
            table::Node::Item(item) => match item.rows.as_slice() {
                [
                    table::Row {
                        points: Points::Score(p),
                        ..
                    },
                ] => p.parse().unwrap_or_default(),
                _ => Decimal::ZERO,
            },
            table::Node::Heading(h, c) => agreed_points(h, c).unwrap_or_else(|| children_sum(c)),
        })
        .sum()
}

/// A heading's stated points (（20分）) where its children add up to
/// them, as the draft writes them (`分值 20`); else none (K0812 says so).
fn agreed_points(heading: &table::Heading, children: &[table::Node]) -> Option<Decimal> {
    let stated: Decimal = heading.points.as_deref()?.parse().ok()?;
    (stated == children_sum(children)).then(|| stated.normalize())
}

/// K0812 for each heading whose stated points (（20分）) are not what its
/// children add up to, first level first.
fn headings_differ(nodes: &[table::Node], level: usize, file: &str, out: &mut Vec<Diagnostic>) {
    for node in nodes {
        let table::Node::Heading(h, children) = node else {
            continue;
        };
        let sum = children_sum(children).normalize();
        if let (Some(written), None) = (&h.points, agreed_points(h, children)) {
            let zh = LEVELS.get(level).map_or("一级指标", |l| l.1);
            let (label, name) = (&h.label, &h.name);
            out.push(
                Diagnostic::new(
                    Code::ImportTotalDiffers,
                    t!(
                        "{file}: the heading {zh} {label} \"{name}\" says {written} points, what it holds adds up to {sum}",
                        "{file}：{zh} {label}“{name}”注明 {written} 分，其下各项的分值之和为 {sum} 分"
                    ),
                )
                .in_file(file)
                .with_help(t!(
                    "the draft gives the heading no points: check its items' points against the table, then write `score {written}` after its name (or `score {written} children sum {sum}` when the table really gives it more)",
                    "草稿中这一级没有写分值：请对照原表核对其下各项的分值，再在名称后写 `分值 {written}`（原表确实多给的，写 `分值 {written} 下级合计 {sum}`）"
                )),
            );
        }
        headings_differ(children, level + 1, file, out);
    }
}

/// The draft's text in the Chinese keyword set.
fn write(table: &table::Table, file: &str, summary: &mut Summary) -> String {
    let mut used = HashSet::new();
    let mut items = String::new();
    summary.headings = vec![0; table.depth];
    write_nodes(&mut items, &table.nodes, 0, &mut used, summary);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// 草稿：由 kaohe import 从 {file} 生成。“评分标准”“材料要求”照录原文；"
    );
    let _ = writeln!(
        out,
        "// 识别出的规则须逐条核对，“待写规则”须改写为规则（kaohe check 逐条列出）。"
    );
    if !table.numbered.is_empty() {
        let _ = writeln!(
            out,
            "// 原表未编号，导入时按顺序编号的：{}。",
            table.numbered.join("；")
        );
    }
    for note in &table.notes {
        for line in note.lines() {
            let _ = writeln!(out, "// 表后说明：{line}");
        }
    }
    let _ = writeln!(out, "考核表 {} {{", quoted(&table.title));
    if let Some(y) = table.year {
        let _ = writeln!(out, "年度 {y}");
    }
    out.push_str("语言 zh\n");
    let _ = writeln!(out, "总分 {}", summary.base_total.normalize());
    out.push_str("合格等次 \"合格\"\n不合格等次 \"不合格\"\n}\n\n");
    out.push_str(&items);
    out
}

/// Headings of `level` (0, the first) with what they hold, or items.
fn write_nodes(
    out: &mut String,
    nodes: &[table::Node],
    level: usize,
    used: &mut HashSet<String>,
    summary: &mut Summary,
) {
    for node in nodes {
        match node {
            table::Node::Item(item) => write_item(out, item, used, summary),
            table::Node::Heading(heading, children) => {
                if let Some(n) = summary.headings.get_mut(level) {
                    *n += 1;
                }
                let keyword = LEVELS.get(level).map_or("一级指标", |l| l.1);
                let points = match agreed_points(heading, children) {
                    Some(p) => format!(" 分值 {p}"),
                    None => String::new(),
                };
                let _ = writeln!(
                    out,
                    "{keyword} {} {}{points} {{",
                    heading.label,
                    quoted(&heading.name)
                );
                if let Some(cap) = &heading.bonus_cap {
                    let _ = writeln!(out, "加分项 最高 {cap}");
                    summary.bonus_cap = Some(cap.clone());
                }
                write_nodes(out, children, level + 1, used, summary);
                out.push_str("}\n");
            }
        }
    }
}

fn kind_of(points: &Points) -> Kind {
    match points {
        Points::Score(_) => Kind::Base,
        Points::Deduction => Kind::Deduction,
        Points::Bonus => Kind::Bonus,
        Points::Veto => Kind::Veto,
    }
}

fn write_item(
    out: &mut String,
    item: &table::Item,
    used: &mut HashSet<String>,
    summary: &mut Summary,
) {
    summary.items += 1;
    let one = item.rows.len() == 1;
    let mut entries = String::new();
    let rule: Vec<&str> = item.rows.iter().map(|r| r.rule.as_str()).collect();
    let mut evidence: Vec<&str> = Vec::new();
    let mut units: Vec<&str> = Vec::new();
    for row in &item.rows {
        if !row.evidence.is_empty() && !evidence.contains(&row.evidence.as_str()) {
            evidence.push(&row.evidence);
        }
        for u in &row.units {
            if !units.contains(&u.as_str()) {
                units.push(u);
            }
        }
    }
    if !rule.iter().all(|r| r.is_empty()) {
        let _ = writeln!(entries, "评分标准 {}", quoted(&rule.join("\n")));
    }
    if !evidence.is_empty() {
        let _ = writeln!(entries, "材料要求 {}", quoted(&evidence.join("\n")));
    }
    if !units.is_empty() {
        let quoted_units: Vec<String> = units.iter().map(|u| quoted(u)).collect();
        let _ = writeln!(entries, "责任单位 {}", quoted_units.join(", "));
    }
    let mut all_recognised = true;
    let mut from_zero = false;
    for row in &item.rows {
        let points = match &row.points {
            Points::Score(p) => Some(p.as_str()),
            _ => None,
        };
        let rules = Reader {
            id: &item.id,
            kind: kind_of(&row.points),
            points,
            used,
        }
        .read(&row.rule);
        for p in &rules.patterns {
            if let Some(i) = phrases::PATTERNS.iter().position(|x| x == p) {
                *summary.patterns.entry(i).or_default() += 1;
            }
        }
        summary.placeholders += rules.pending.len();
        let scoring = rules.clauses.len() + rules.pending.len();
        if !rules.pending.is_empty() || scoring == 0 {
            all_recognised = false;
        }
        let mut block = String::new();
        for line in rules.inputs.iter().chain(&rules.clauses) {
            block.push_str(line);
            block.push('\n');
        }
        for p in &rules.pending {
            let _ = writeln!(block, "待写规则 {}", quoted(p));
        }
        if scoring == 0 {
            // No sentence with an amount: the whole text is left to a person.
            let _ = writeln!(block, "待写规则 {}", quoted(&row.rule));
            summary.placeholders += 1;
        }
        if one {
            from_zero = rules.from_zero;
            entries.push_str(&block);
        } else {
            let header = match &row.points {
                Points::Score(p) => format!("分项 分值 {p}"),
                Points::Deduction | Points::Veto => "分项 扣分项 \"扣分项\"".to_string(),
                Points::Bonus => "分项 加分项 \"加分项\"".to_string(),
            };
            let _ = writeln!(entries, "{header} {{\n{block}}}");
        }
    }
    if all_recognised {
        summary.items_recognised += 1;
    } else {
        summary.pending_items.push(item.id.clone());
    }
    let head = if one {
        match item.rows.first().map(|r| &r.points) {
            Some(Points::Score(p)) => {
                if let Ok(d) = p.parse::<Decimal>() {
                    summary.base_total += d;
                }
                if from_zero {
                    format!(" 分值 {p} 起评 0")
                } else {
                    format!(" 分值 {p}")
                }
            }
            Some(Points::Deduction) => " 扣分项".to_string(),
            Some(Points::Bonus) => " 加分项".to_string(),
            Some(Points::Veto) => {
                summary.vetoes += 1;
                " 否决".to_string()
            }
            None => String::new(),
        }
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "考核事项 {} {}{head} {{\n{entries}}}",
        item.id,
        quoted(&item.title)
    );
}

// ---------------------------------------------------------------- for placeholders
// The phrase recognition offered on a placeholder (`rule pending`): the
// checker's warning (K0490) says what the sentence becomes or resembles,
// and the language service offers the rules as a quick fix.

pub(crate) use phrases::{Kind as PhraseKind, hint as phrase_hint};

/// The rules `sentence` becomes, written in `set` at `indent`: the text
/// that replaces the placeholder (inputs first, then clauses, a line each,
/// the first line not indented), the first clause alone (for a message) and
/// the pattern's name; `None` when the sentence is not wholly recognised.
pub(crate) fn rules_for_sentence(
    sentence: &str,
    id: &str,
    kind: PhraseKind,
    taken: &mut HashSet<String>,
    set: KeywordSet,
    indent: &str,
) -> Option<(String, String, &'static str)> {
    let (inputs, clauses, pattern) = phrases::recognise(sentence, id, kind, taken)?;
    let body: Vec<&str> = inputs.iter().chain(&clauses).map(String::as_str).collect();
    let spec = format!(
        "一级指标 一 \"x\" {{\n二级指标 1 \"x\" {{\n考核事项 1 \"x\" 扣分项 {{\n{}\n}}\n}}\n}}\n",
        body.join("\n")
    );
    let laid = crate::fmt::format(&spec, Some(set)).ok()?;
    let lines: Vec<&str> = laid.lines().collect();
    let head = lines.iter().position(|l| {
        l.contains("\"x\" ") && (l.contains("考核事项") || l.trim_start().starts_with("item "))
    })?;
    let end = lines.len().checked_sub(3)?;
    let inner = lines.get(head + 1..end)?;
    let depth = inner
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()?;
    let mut out = String::new();
    for (n, line) in inner.iter().enumerate() {
        if n > 0 {
            out.push('\n');
            if !line.trim().is_empty() {
                out.push_str(indent);
            }
        }
        out.push_str(line.get(depth..).unwrap_or(line.trim_start()));
    }
    const CLAUSES: &[&str] = &[
        "扣 ", "加 ", "否决 ", "分项 ", "deduct ", "add ", "veto ", "part ",
    ];
    let first_clause = inner
        .iter()
        .map(|l| l.trim())
        .find(|l| CLAUSES.iter().any(|k| l.starts_with(k)))
        .unwrap_or_default()
        .to_string();
    Some((out, first_clause, pattern))
}
