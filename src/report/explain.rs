//! The words of an explanation line: its reason and the facts it used.
//! Built only when a report prints them.

use crate::data::Entity;
use crate::eval::show;
use crate::eval::{Line, LineKind};
use crate::ir::{Absent, AbsentRule, Amount, Clause, Lang, Program};
use rust_decimal::Decimal;

/// The reason of a line, in the spec's language; an assessor's score says
/// the score given (from the line's amount) and how it was judged:
/// "评审给分 2.5（按实际情况评分）".
pub fn reason_of(line: &Line, lang: Lang) -> String {
    match &line.kind {
        LineKind::Clause(c) => match c.amount {
            Amount::Judged { max, start, .. } => {
                let given = if start.is_zero() {
                    line.amount
                } else {
                    max + line.amount
                };
                judged(lang == Lang::Zh, given, &c.reason)
            }
            _ => reason(&line.kind, lang),
        },
        kind => reason(kind, lang),
    }
}

/// [`reason_of`], borrowed where it is the spec's own text (a clause's or
/// guard's reason): the JSON report writes it without a copy.
pub fn reason_borrowed<'p>(line: &Line<'p>, lang: Lang) -> std::borrow::Cow<'p, str> {
    use std::borrow::Cow;
    match line.kind {
        LineKind::Clause(c) if !matches!(c.amount, Amount::Judged { .. }) => {
            Cow::Borrowed(c.reason.as_str())
        }
        LineKind::Exempt(g) | LineKind::Veto(g) => Cow::Borrowed(g.reason.as_str()),
        _ => Cow::Owned(reason_of(line, lang)),
    }
}

fn judged(zh: bool, given: Decimal, how: &str) -> String {
    let given = given.normalize();
    match (zh, how.is_empty()) {
        (true, true) => format!("评审给分 {given}（酌情评分）"),
        (true, false) => format!("评审给分 {given}（{how}）"),
        (false, true) => format!("the assessor's score {given} (judged)"),
        (false, false) => format!("the assessor's score {given} ({how})"),
    }
}

/// The reason of a line's kind, in the spec's language.
pub fn reason(kind: &LineKind, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match kind {
        LineKind::Clause(c) => c.reason.clone(),
        LineKind::Exempt(g) | LineKind::Veto(g) => g.reason.clone(),
        LineKind::ClauseCap(c, cap) => match (zh, c.sign) {
            (true, crate::ir::Sign::Deduct) => format!("最高扣{}分", cap.normalize()),
            (true, _) => format!("最高加{}分", cap.normalize()),
            (false, _) => format!("capped at {} points", cap.normalize()),
        },
        LineKind::GroupCap { name, cap } => group_cap(zh, *name, *cap),
        LineKind::Bounds { name, max, floor } => bounds(zh, *name, *max, *floor),
        LineKind::StartsAtZero { name, max } => starts_at_zero(zh, *name, *max),
        LineKind::Absent {
            word, rule, clause, ..
        } => absent(lang, *word, *rule, *clause),
        LineKind::Extra(e) => extra(zh, e),
        LineKind::Waived(g) => waived(zh, g),
        LineKind::HeadingCap { heading, cap } => heading_cap(zh, heading, *cap),
    }
}

/// "二级指标 (一) 最多扣10分" ("二级指标 (一) 扣完为止（最多扣10分）" when
/// the ceiling is the heading's points).
fn heading_cap(zh: bool, h: &crate::ir::Heading, cap: Decimal) -> String {
    let cap = cap.normalize();
    let used_up = h.points.is_some_and(|p| p == cap);
    let level = crate::report::levels::level_word(h.level, zh);
    match (zh, used_up) {
        (true, true) => format!("{level} {} 扣完为止（最多扣{cap}分）", h.key),
        (true, false) => format!("{level} {} 最多扣{cap}分", h.key),
        (false, true) => format!("{level} {} loses at most its {cap} points", h.key),
        (false, false) => format!("{level} {} loses at most {cap} points", h.key),
    }
}

/// "超额加分（计入加分上限）：每多1个加0.5分，最高加2分".
fn extra(zh: bool, e: &crate::ir::Extra) -> String {
    use crate::ir::ExtraCeiling::{Outside, Within};
    let rule = match (zh, e.ceiling) {
        (true, Within) => "超额加分（计入加分上限）",
        (true, Outside) => "超额加分（不计入加分上限）",
        (false, Within) => "extra award (counts toward the bonus ceiling)",
        (false, Outside) => "extra award (outside the bonus ceiling)",
    };
    match (zh, e.clause.reason.is_empty()) {
        (_, true) => rule.to_string(),
        (true, false) => format!("{rule}：{}", e.clause.reason),
        (false, false) => format!("{rule}: {}", e.clause.reason),
    }
}

/// "以上扣分免予扣除：全年完成目标的，不扣分".
fn waived(zh: bool, g: &crate::ir::Guard) -> String {
    match (zh, g.reason.is_empty()) {
        (true, true) => "以上扣分免予扣除".to_string(),
        (true, false) => format!("以上扣分免予扣除：{}", g.reason),
        (false, true) => "the deductions above are waived".to_string(),
        (false, false) => format!("the deductions above are waived: {}", g.reason),
    }
}

/// "不适用，按满分计", "未申报，不计分：…".
fn absent(lang: Lang, word: Absent, rule: AbsentRule, clause: Option<&Clause>) -> String {
    let said = word.word(lang);
    let zh = lang == Lang::Zh;
    let what = match (zh, rule) {
        (true, AbsentRule::FullMarks) => format!("{said}，按满分计"),
        (true, AbsentRule::NoPoints) => format!("{said}，不计分"),
        (false, AbsentRule::FullMarks) => format!("{said}: full marks"),
        (false, AbsentRule::NoPoints) => format!("{said}: no points"),
    };
    match clause {
        Some(c) if !c.reason.is_empty() => {
            if zh {
                format!("{what}（{}）", c.reason)
            } else {
                format!("{what} ({})", c.reason)
            }
        }
        _ => what,
    }
}

/// A group's, part's or item's name, else the words for it.
fn named(zh: bool, name: Option<&str>, zh_default: &str, en_default: &str) -> String {
    name.map_or_else(
        || {
            if zh {
                zh_default.to_string()
            } else {
                en_default.to_string()
            }
        },
        str::to_string,
    )
}

fn group_cap(zh: bool, name: Option<&str>, cap: Decimal) -> String {
    if zh {
        format!(
            "{}合计不超过{}分",
            named(zh, name, "本组", ""),
            cap.normalize()
        )
    } else {
        format!(
            "{} capped at {} points",
            named(zh, name, "", "the group"),
            cap.normalize()
        )
    }
}

fn bounds(zh: bool, name: Option<&str>, max: Decimal, floor: bool) -> String {
    match (zh, floor) {
        (true, true) => format!("扣完为止：{}最低0分", named(zh, name, "本项", "")),
        (true, false) => format!("{}最高{}分", named(zh, name, "本项", ""), max.normalize()),
        (false, true) => format!("{} cannot go below 0", named(zh, name, "", "the item")),
        (false, false) => format!(
            "{} cannot exceed {}",
            named(zh, name, "", "the item"),
            max.normalize()
        ),
    }
}

fn starts_at_zero(zh: bool, name: Option<&str>, max: Decimal) -> String {
    if zh {
        format!(
            "{}从0分起计（满分{}分）",
            named(zh, name, "本项", ""),
            max.normalize()
        )
    } else {
        format!(
            "{} is earned up from 0 (of {})",
            named(zh, name, "", "the item"),
            max.normalize()
        )
    }
}

/// The inputs a line read, as (name as a reader reads it, value as
/// written): the input's short name or description, not its id
/// (`eval::show::shown_name`), then the standards by class it applied,
/// each with the class it was taken for (`target_rate = 98%（城区）`).
pub fn facts(kind: &LineKind, program: &Program, entity: &Entity) -> Vec<(String, String)> {
    facts_with_ids(kind, program, entity)
        .into_iter()
        .map(|(_, name, value)| (name, value))
        .collect()
}

/// The inputs a line read, as (input id, name as shown, value as
/// written): the JSON report and the API keep the id for machines.
pub fn facts_with_ids(
    kind: &LineKind,
    program: &Program,
    entity: &Entity,
) -> Vec<(String, String, String)> {
    let slots: &[usize] = match kind {
        LineKind::Clause(c) => &c.facts,
        LineKind::Exempt(g) | LineKind::Veto(g) | LineKind::Waived(g) => &g.facts,
        LineKind::Extra(e) => &e.clause.facts,
        LineKind::Absent { slot, .. } => std::slice::from_ref(slot),
        _ => &[],
    };
    let mut out = show::named_facts(slots, program, &entity.values);
    let mut standards = Vec::new();
    match kind {
        LineKind::Clause(c) => standards = c.standards(),
        LineKind::Exempt(g) | LineKind::Veto(g) | LineKind::Waived(g) => {
            g.condition.standards_into(&mut standards)
        }
        _ => {}
    }
    out.extend(
        (standards.iter())
            .filter_map(|&i| show::standard(program.standards.get(i)?, program, &entity.values)),
    );
    out
}
