//! `kaohe diff`: what changed between two years' specs, item by item, and
//! with data, what the changes do to each entity's points.
//!
//! Items are matched by id, then the rest by title (an item renumbered or
//! moved to another indicator). Rules are compared by their generated text,
//! so a rule counts as changed exactly when what it computes is worded
//! differently.

use super::fmt2;
use super::render::Score;
use super::rule_text::{item_text, num};
use crate::check::ir::{Item, Program};
use crate::eval::{Entity, Outcome};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::fmt::Write;

/// One change to one item.
#[derive(Debug, PartialEq)]
pub struct Change {
    /// The item's id in the new spec (the old one when it was removed).
    pub id: String,
    pub title: String,
    pub what: What,
    pub old: String,
    pub new: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    Added,
    Removed,
    Renamed,
    Moved,
    Score,
    Rule,
    Evidence,
    Responsible,
}

impl What {
    /// The word in a language: English, or Chinese.
    pub fn word_in(self, lang: crate::diagnostic::Lang) -> &'static str {
        if lang == crate::diagnostic::Lang::En {
            return self.word();
        }
        match self {
            What::Added => "新增",
            What::Removed => "删除",
            What::Renamed => "改名",
            What::Moved => "移动",
            What::Score => "分值",
            What::Rule => "规则",
            What::Evidence => "材料要求",
            What::Responsible => "责任单位",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            What::Added => "added",
            What::Removed => "removed",
            What::Renamed => "renamed",
            What::Moved => "moved",
            What::Score => "score",
            What::Rule => "rule",
            What::Evidence => "evidence",
            What::Responsible => "responsible",
        }
    }
}

/// Pairs (old index, new index) of the items both specs have: matched by
/// id, then what is left by title; then the old items without a match and
/// the new ones.
pub fn matches(old: &Program, new: &Program) -> Vec<(Option<usize>, Option<usize>)> {
    let mut taken = vec![false; new.items.len()];
    let mut pairs = Vec::new();
    let mut unmatched = Vec::new();
    for (i, item) in old.items.iter().enumerate() {
        match claim(&new.items, &mut taken, |n| n.id == item.id) {
            Some(j) => pairs.push((Some(i), Some(j))),
            None => unmatched.push((i, item)),
        }
    }
    for (i, item) in unmatched {
        pairs.push((
            Some(i),
            claim(&new.items, &mut taken, |n| n.title == item.title),
        ));
    }
    let left = taken.iter().enumerate().filter(|(_, t)| !**t);
    pairs.extend(left.map(|(j, _)| (None, Some(j))));
    pairs
}

/// The first item not yet taken that `fits`, now taken.
fn claim(items: &[Item], taken: &mut [bool], fits: impl Fn(&Item) -> bool) -> Option<usize> {
    let j = items
        .iter()
        .zip(taken.iter())
        .position(|(item, t)| !t && fits(item))?;
    if let Some(t) = taken.get_mut(j) {
        *t = true;
    }
    Some(j)
}

/// Every change between two specs.
pub fn changes(old: &Program, new: &Program) -> Vec<Change> {
    let mut out = Vec::new();
    for (i, j) in matches(old, new) {
        let pair = (
            i.and_then(|i| old.items.get(i)),
            j.and_then(|j| new.items.get(j)),
        );
        match pair {
            (Some(a), Some(b)) => item_changes(old, a, new, b, &mut out),
            (Some(it), None) => {
                out.push(change(
                    it,
                    What::Removed,
                    Score::of(it.kind).text(),
                    String::new(),
                ));
            }
            (None, Some(it)) => {
                out.push(change(
                    it,
                    What::Added,
                    String::new(),
                    Score::of(it.kind).text(),
                ));
            }
            (None, None) => {}
        }
    }
    out
}

fn change(item: &Item, what: What, old: String, new: String) -> Change {
    Change {
        id: item.id.clone(),
        title: item.title.clone(),
        what,
        old,
        new,
    }
}

fn place(p: &Program, item: &Item) -> String {
    p.indicators
        .get(item.indicator)
        .map(|i| format!("{} {}", i.label, i.title))
        .unwrap_or_default()
}

fn item_changes(op: &Program, o: &Item, np: &Program, n: &Item, out: &mut Vec<Change>) {
    if o.title != n.title {
        out.push(change(n, What::Renamed, o.title.clone(), n.title.clone()));
    }
    let (from, to) = (place(op, o), place(np, n));
    if o.id != n.id || from != to {
        out.push(change(
            n,
            What::Moved,
            format!("{} ({from})", o.id),
            format!("{} ({to})", n.id),
        ));
    }
    let fields = [
        (
            What::Score,
            Score::of(o.kind).text(),
            Score::of(n.kind).text(),
        ),
        (What::Rule, item_text(op, o), item_text(np, n)),
        (
            What::Evidence,
            o.evidence.clone().unwrap_or_default(),
            n.evidence.clone().unwrap_or_default(),
        ),
        (
            What::Responsible,
            o.responsible.join("、"),
            n.responsible.join("、"),
        ),
    ];
    for (what, a, b) in fields {
        if a != b {
            out.push(change(n, what, a, b));
        }
    }
}

/// One entity's points under both specs.
#[derive(Debug)]
pub struct EntityChange {
    pub id: String,
    pub total: (Option<Decimal>, Option<Decimal>),
    /// Items whose score differs: (id, old score, new score).
    pub items: Vec<(String, Option<Decimal>, Option<Decimal>)>,
}

/// Per-entity and per-item changes in points, for entities scored under both.
pub fn effects(
    old: &Program,
    new: &Program,
    before: &[(&Entity, Outcome)],
    after: &[(&Entity, Outcome)],
) -> Vec<EntityChange> {
    let pairs = matches(old, new);
    let mut ids: Vec<&str> = before.iter().map(|(e, _)| e.id.as_str()).collect();
    for (e, _) in after {
        if !ids.contains(&e.id.as_str()) {
            ids.push(&e.id);
        }
    }
    ids.into_iter()
        .map(|id| {
            let b = before.iter().find(|(e, _)| e.id == id).map(|(_, o)| o);
            let a = after.iter().find(|(e, _)| e.id == id).map(|(_, o)| o);
            let items = pairs
                .iter()
                .filter_map(|&(i, j)| {
                    let os = i.and_then(|i| b?.items.get(i)).map(|x| x.score);
                    let ns = j.and_then(|j| a?.items.get(j)).map(|x| x.score);
                    let named = j.and_then(|j| new.items.get(j));
                    let label = named.or(i.and_then(|i| old.items.get(i)))?.id.clone();
                    (os != ns).then_some((label, os, ns))
                })
                .collect();
            EntityChange {
                id: id.to_string(),
                total: (b.map(|o| o.total), a.map(|o| o.total)),
                items,
            }
        })
        .collect()
}

fn opt(d: Option<Decimal>) -> String {
    d.map_or_else(|| "—".to_string(), fmt2)
}

fn delta(a: Option<Decimal>, b: Option<Decimal>) -> String {
    let (a, b) = (a.unwrap_or_default(), b.unwrap_or_default());
    let Some(d) = b.checked_sub(a) else {
        return wide_delta(a, b);
    };
    if d > Decimal::ZERO {
        format!("+{}", fmt2(d))
    } else {
        fmt2(d)
    }
}

/// `b - a` when it passes exact decimals (totals near ±7.9 × 10^28): each
/// rounded to hundredths, as printing does, and subtracted as 128-bit
/// hundredths (numbers that large have no decimals to lose).
fn wide_delta(a: Decimal, b: Decimal) -> String {
    let hundredths = |x: Decimal| -> i128 {
        let r = x.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        r.mantissa() * 10_i128.pow(2_u32.saturating_sub(r.scale()))
    };
    let d = hundredths(b).saturating_sub(hundredths(a));
    let sign = if d > 0 { "+" } else { "-" };
    let m = d.unsigned_abs();
    format!("{sign}{}.{:02}", m / 100, m % 100)
}

/// The bonus ceilings: the table's, then each section's and indicator's.
fn caps(p: &Program) -> Vec<String> {
    p.header
        .bonus_cap
        .iter()
        .chain(p.sections.iter().filter_map(|s| s.bonus_cap.as_ref()))
        .chain(p.indicators.iter().filter_map(|s| s.bonus_cap.as_ref()))
        .map(|c| num(*c))
        .collect()
}

fn cap(p: &Program) -> String {
    let c = caps(p);
    if c.is_empty() {
        "none".to_string()
    } else {
        c.join(", ")
    }
}

/// The readable report.
pub fn text(
    old: &Program,
    new: &Program,
    changes: &[Change],
    effects: Option<&[EntityChange]>,
) -> String {
    text_in(old, new, changes, effects, crate::diagnostic::Lang::En)
}

/// [`text`] with its labels in `lang` (the command's `--lang`).
pub fn text_in(
    old: &Program,
    new: &Program,
    changes: &[Change],
    effects: Option<&[EntityChange]>,
    lang: crate::diagnostic::Lang,
) -> String {
    let zh = lang == crate::diagnostic::Lang::Zh;
    let l = |en: &'static str, cn: &'static str| if zh { cn } else { en };
    let mut out = String::new();
    for c in changes {
        let _ = match c.what {
            What::Added | What::Removed => writeln!(
                out,
                "{:<12} {} {}  ({})",
                c.what.word_in(lang),
                c.id,
                c.title,
                if c.what == What::Added {
                    &c.new
                } else {
                    &c.old
                }
            ),
            What::Rule | What::Evidence => writeln!(
                out,
                "{:<12} {} {}\n             {}: {}\n             {}: {}",
                c.what.word_in(lang),
                c.id,
                c.title,
                l("old", "原"),
                c.old,
                l("new", "新"),
                c.new
            ),
            _ => writeln!(
                out,
                "{:<12} {} {}: {} → {}",
                c.what.word_in(lang),
                c.id,
                c.title,
                c.old,
                c.new
            ),
        };
    }
    let _ = if zh {
        writeln!(out, "共 {} 处变化", changes.len())
    } else {
        writeln!(
            out,
            "{} change{}",
            changes.len(),
            if changes.len() == 1 { "" } else { "s" }
        )
    };
    let _ = writeln!(
        out,
        "{}: {} → {}\n{}: {} → {}",
        l("base total", "基础分合计"),
        num(old.base_total),
        num(new.base_total),
        l("bonus ceiling", "加分上限"),
        cap(old),
        cap(new)
    );
    for e in effects.unwrap_or_default() {
        let _ = writeln!(
            out,
            "\n{}: {} {} → {} ({})",
            e.id,
            l("total", "总分"),
            opt(e.total.0),
            opt(e.total.1),
            delta(e.total.0, e.total.1)
        );
        for (id, a, b) in &e.items {
            let _ = writeln!(
                out,
                "  {id:<8} {} → {} ({})",
                opt(*a),
                opt(*b),
                delta(*a, *b)
            );
        }
    }
    out
}

/// The JSON report.
pub fn json(
    old: &Program,
    new: &Program,
    changes: &[Change],
    effects: Option<&[EntityChange]>,
) -> Value {
    let num_or_null = |d: Option<Decimal>| d.map(fmt2);
    let mut v = json!({
        "changes": changes.iter().map(|c| json!({
            "id": c.id, "title": c.title, "change": c.what.word(), "old": c.old, "new": c.new,
        })).collect::<Vec<_>>(),
        "base_total": { "old": num(old.base_total), "new": num(new.base_total) },
        "bonus_ceiling": {
            "old": caps(old),
            "new": caps(new),
        },
    });
    if let (Some(effects), Some(fields)) = (effects, v.as_object_mut()) {
        let entities = effects
            .iter()
            .map(|e| json!({
                "id": e.id,
                "total": { "old": num_or_null(e.total.0), "new": num_or_null(e.total.1), "change": delta(e.total.0, e.total.1) },
                "items": e.items.iter().map(|(id, a, b)| json!({
                    "id": id, "old": num_or_null(*a), "new": num_or_null(*b), "change": delta(*a, *b),
                })).collect::<Vec<_>>(),
            }))
            .collect();
        fields.insert("entities".to_string(), entities);
    }
    v
}

#[cfg(test)]
mod overflow_tests {
    use super::delta;
    use rust_decimal::Decimal;

    #[test]
    fn a_change_beyond_exact_decimals_is_written_exactly() {
        let max = Decimal::MAX;
        assert_eq!(
            delta(Some(-max), Some(max)),
            "+158456325028528675187087900670.00"
        );
        assert_eq!(
            delta(Some(max), Some(-max)),
            "-158456325028528675187087900670.00"
        );
        assert_eq!(delta(Some(Decimal::ONE), Some(Decimal::TWO)), "+1.00");
    }
}
