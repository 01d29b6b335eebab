//! Snippets: an item, a section or an indicator with its usual lines, and
//! the common clauses, offered by completion at the start of a line where
//! they may stand. Written in the spec's keyword set (spelled from the
//! grammar's keyword table), indented like the line they begin on, in the
//! LSP snippet syntax (`${1:default}` a field, `$1` its mirror, `$0` where
//! the cursor ends); `plain` gives the text with every field at its
//! default, what a client that takes no snippets inserts.

use super::keywords::Keyword;
use crate::diagnostic::Text;
use crate::parse::Rule;
use crate::parse::keywords::KeywordSet;
use crate::t;

/// One snippet: what completion shows and what it inserts.
pub(super) struct Snippet {
    pub label: String,
    pub detail: Text,
    /// In the LSP snippet syntax, its lines after the first indented by
    /// `indent`.
    pub body: String,
}

/// The snippets that may begin a line in a block opened by `block` (`None`
/// at the top level), in keyword set `set`, for a line indented by
/// `indent`.
pub(super) fn at_line_start(block: Option<Rule>, set: KeywordSet, indent: &str) -> Vec<Snippet> {
    let w = |rule: Rule| -> &'static str {
        super::keywords::all()
            .find(|k| k.rule == rule)
            .map_or("", |k: Keyword| k.spelling(set))
    };
    let zh = set == KeywordSet::Zh;
    let pick = |en: &'static str, zh_text: &'static str| if zh { zh_text } else { en };
    let mut out = Vec::new();
    match block {
        None => out.push(Snippet {
            label: format!("{} …", w(Rule::kw_section)),
            detail: t!(
                "a section with an indicator and an item",
                "一级指标，含一个二级指标和一个考核事项"
            ),
            body: format!(
                "{section} ${{1:一}} \"${{2:{title}}}\" {{\n  {indicator} ${{3:1}} \"${{4:{ititle}}}\" {{\n    {item}\n  }}\n}}",
                section = w(Rule::kw_section),
                title = pick("section title", "一级指标名称"),
                indicator = w(Rule::kw_indicator),
                ititle = pick("indicator title", "二级指标名称"),
                item = item_body(&w, pick, 5, "    "),
            ),
        }),
        Some(Rule::kw_section) => out.push(Snippet {
            label: format!("{} …", w(Rule::kw_indicator)),
            detail: t!("an indicator with an item", "二级指标，含一个考核事项"),
            body: format!(
                "{indicator} ${{1:1}} \"${{2:{title}}}\" {{\n  {item}\n}}",
                indicator = w(Rule::kw_indicator),
                title = pick("indicator title", "二级指标名称"),
                item = item_body(&w, pick, 3, "  "),
            ),
        }),
        Some(Rule::kw_indicator) => out.push(Snippet {
            label: format!("{} …", w(Rule::kw_item)),
            detail: t!(
                "an item: points, scoring text, units, an input and a deduction",
                "考核事项：分值、评分标准、责任单位、一个数据项和一条扣分规则"
            ),
            body: item_body(&w, pick, 1, ""),
        }),
        Some(Rule::kw_item | Rule::kw_part) => {
            let deduct = w(Rule::kw_deduct);
            out.push(Snippet {
                label: format!("{deduct} … {} …", w(Rule::kw_per)),
                detail: t!(
                    "a deduction for each occurrence (每发现一次扣x分)",
                    "每发生一次扣分（每发现一次扣x分）"
                ),
                body: format!(
                    "{deduct} ${{1:0.5}} {per} ${{2:cases}} \"${{3:{text}}}\"$0",
                    per = w(Rule::kw_per),
                    text = pick("0.5 points for each case", "每发现一起扣0.5分"),
                ),
            });
            out.push(Snippet {
                label: format!("{deduct} … {} … {} …", w(Rule::kw_per), w(Rule::kw_below)),
                detail: t!(
                    "a deduction for each one short of a required number (少一次扣x分)",
                    "比要求的数量少一个扣一次（少一次扣x分）"
                ),
                body: format!(
                    "{deduct} ${{1:0.5}} {per} ${{2:meetings}} {below} ${{3:2}} \"${{4:{text}}}\"$0",
                    per = w(Rule::kw_per),
                    below = w(Rule::kw_below),
                    text = pick("0.5 points for each one short", "少一次扣0.5分"),
                ),
            });
            out.push(Snippet {
                label: format!("{deduct} … {} …", w(Rule::kw_unless)),
                detail: t!(
                    "a fixed deduction when a condition is not met (未…扣x分)",
                    "未做到时扣固定分（未…扣x分）"
                ),
                body: format!(
                    "{deduct} ${{1:1}} {unless} ${{2:done}} \"${{3:{text}}}\"$0",
                    unless = w(Rule::kw_unless),
                    text = pick("1 point if not done", "未完成扣1分"),
                ),
            });
            out.push(Snippet {
                label: format!("{} …: {} …", w(Rule::kw_input), w(Rule::ty_count)),
                detail: t!(
                    "an input: a count with its unit and description",
                    "数据项：计数、单位和说明"
                ),
                body: format!(
                    "{input} ${{1:cases}}: {count} ${{2:{unit}}} \"${{3:{text}}}\"$0",
                    input = w(Rule::kw_input),
                    count = w(Rule::ty_count),
                    unit = pick("times", "次"),
                    text = pick("what is counted", "数据说明"),
                ),
            });
        }
        _ => {}
    }
    for s in &mut out {
        s.body = indented(&s.body, indent);
    }
    out
}

/// An item with its usual lines, its fields numbered from `first`, its
/// lines after the first indented by `inner` more than the item's.
fn item_body(
    w: &impl Fn(Rule) -> &'static str,
    pick: impl Fn(&'static str, &'static str) -> &'static str,
    first: u32,
    inner: &str,
) -> String {
    let n = |k: u32| first + k;
    let lines = [
        format!(
            "{item} ${{{}:1.1}} \"${{{}:{}}}\" {score} ${{{}:2}} {{",
            n(0),
            n(1),
            pick("item title", "考核事项名称"),
            n(2),
            item = w(Rule::kw_item),
            score = w(Rule::kw_score),
        ),
        format!(
            "  {} \"${{{}:{}}}\"",
            w(Rule::kw_rule),
            n(3),
            pick("the scoring text as the table gives it", "评分标准原文")
        ),
        format!(
            "  {} \"${{{}:{}}}\"",
            w(Rule::kw_responsible),
            n(4),
            pick("responsible unit", "责任单位")
        ),
        format!(
            "  {} ${{{}:meetings}}: {} ${{{}:{}}} \"${{{}:{}}}\"",
            w(Rule::kw_input),
            n(5),
            w(Rule::ty_count),
            n(6),
            pick("times", "次"),
            n(7),
            pick("what is counted", "数据说明")
        ),
        format!(
            "  {} ${{{}:0.5}} {} ${} {} ${{{}:2}} \"${{{}:{}}}\"$0",
            w(Rule::kw_deduct),
            n(8),
            w(Rule::kw_per),
            n(5),
            w(Rule::kw_below),
            n(9),
            n(10),
            pick("0.5 points for each one short", "少一次扣0.5分")
        ),
        "}".to_string(),
    ];
    lines.join(&format!("\n{inner}"))
}

/// `body` with every line after the first indented by `indent`.
fn indented(body: &str, indent: &str) -> String {
    body.replace('\n', &format!("\n{indent}"))
}

/// A snippet's text with every field at its default and the cursor marks
/// removed: what a client without snippets inserts.
pub(super) fn plain(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len());
    let mut rest = snippet;
    while let Some(at) = rest.find('$') {
        out.push_str(rest.get(..at).unwrap_or(""));
        let after = rest.get(at + 1..).unwrap_or("");
        if let Some(field) = after.strip_prefix('{') {
            // `${N:default}`: the default (defaults here hold no braces).
            let end = field.find('}').unwrap_or(field.len());
            let inside = field.get(..end).unwrap_or("");
            let default = inside.split_once(':').map_or("", |(_, d)| d);
            out.push_str(default);
            rest = field.get(end + 1..).unwrap_or("");
        } else {
            // `$N`: a mirror of field N, or `$0`: its default again, or
            // nothing.
            let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let number = after.get(..digits).unwrap_or("");
            if number != "0" {
                out.push_str(&default_of(snippet, number));
            }
            rest = after.get(digits..).unwrap_or("");
        }
    }
    out.push_str(rest);
    out
}

/// The default of field `number` in `snippet`.
fn default_of(snippet: &str, number: &str) -> String {
    let open = format!("${{{number}:");
    snippet
        .find(&open)
        .and_then(|at| {
            let from = snippet.get(at + open.len()..)?;
            Some(from.get(..from.find('}')?)?.to_string())
        })
        .unwrap_or_default()
}
