//! `kaohe diff`: what changed between two years' specs, item by item, and
//! with data, what the changes do to each entity's points.
//!
//! Items are matched by id, then the rest by title (an item renumbered or
//! moved to another indicator). Rules are compared by their generated text,
//! so a rule counts as changed exactly when what it computes is worded
//! differently.
//!
//! The header's named results and the standards by class are compared
//! too, by name: a result's rule as `kaohe render` states it, a standard's
//! rows; with data, each unit's named results before and after.
//!
//! With last year's data, the new spec may ask for inputs the data does
//! not have yet ([`without_data`]). The items that read them are reported
//! as having no data yet, and both totals are taken over the items both
//! years can score ([`Scoring::prepare`]), so that a new item does not show
//! as a loss for every unit.

use crate::data::Entity;
use crate::diagnostic::{Lang, Text};
use crate::eval::Outcome;
use crate::ir::{Block, Item, ItemKind, Node, Program};
use crate::render::Score;
use crate::render::rule_text::{item_text, num};
use crate::report::derived::{self, TopPlace};
use crate::report::fmt2;
use crate::t;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::collections::BTreeSet;
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
    /// A section's or indicator's own points (levels): the change's id and
    /// title are the heading's.
    HeadingPoints,
    /// A heading's ceiling on what it loses (`deduction at most`, 扣分项
    /// 最高; 扣完为止) changed, was added or dropped.
    HeadingLimit,
    /// A named result of the header (`result …`) whose rule changed, was
    /// added or removed: the change's id is the result's name.
    Result,
    /// A standard by class (`standard … by …`) whose rows changed, was
    /// added or removed: the change's id is its name, its title its
    /// description.
    Standard,
}

impl What {
    /// The label of a change in a readable report.
    pub fn label(self) -> Text {
        match self {
            What::Added => t!("added", "新增"),
            What::Removed => t!("removed", "删除"),
            What::Renamed => t!("renamed", "更名"),
            What::Moved => t!("moved", "移动"),
            What::Score => t!("score", "分值"),
            What::Rule => t!("rule", "评分标准"),
            What::Evidence => t!("evidence", "材料要求"),
            What::Responsible => t!("responsible", "责任单位"),
            What::HeadingPoints => t!("heading score", "指标分值"),
            What::HeadingLimit => t!("heading deduction limit", "指标扣分上限"),
            What::Result => t!("result", "结果"),
            What::Standard => t!("standard", "标准"),
        }
    }

    /// The change's name in the JSON report (not translated: a key for tools).
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
            What::HeadingPoints => "heading_points",
            What::HeadingLimit => "heading_limit",
            What::Result => "result",
            What::Standard => "standard",
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
    // Level by level: sections, then indicators, then the levels below.
    for level in 1..=4 {
        let of = |p: &Program| -> Vec<crate::ir::Heading> {
            (p.headings.iter())
                .filter(|h| h.level == level)
                .cloned()
                .collect()
        };
        heading_changes(&of(old), &of(new), &mut out);
    }
    result_changes(old, new, &mut out);
    standard_changes(old, new, &mut out);
    out
}

/// The header's named results whose rule (as `kaohe render` states it)
/// changed, matched by name; one only in one spec shows "—" on the other side.
fn result_changes(old: &Program, new: &Program, out: &mut Vec<Change>) {
    let rule = |p: &Program, name: &str| {
        (p.header.results.iter())
            .find(|r| r.name == name)
            .map(crate::render::rule_text::named_result)
    };
    let names = (old.header.results.iter())
        .chain(&new.header.results)
        .map(|r| r.name.as_str());
    let mut seen: Vec<&str> = Vec::new();
    for name in names {
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        let (a, b) = (rule(old, name), rule(new, name));
        if a != b {
            let dash = || "—".to_string();
            out.push(Change {
                id: name.to_string(),
                title: String::new(),
                what: What::Result,
                old: a.unwrap_or_else(dash),
                new: b.unwrap_or_else(dash),
            });
        }
    }
}

/// The standards by class whose rows (or class, or unit) changed, matched
/// by name.
fn standard_changes(old: &Program, new: &Program, out: &mut Vec<Change>) {
    let rows = |p: &Program, name: &str| {
        (p.standards.iter()).find(|s| s.name == name).map(|s| {
            (
                s.description.clone(),
                crate::render::rule_text::standard_rows(p, s),
            )
        })
    };
    let names = (old.standards.iter())
        .chain(&new.standards)
        .map(|s| s.name.as_str());
    let mut seen: Vec<&str> = Vec::new();
    for name in names {
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        let (a, b) = (rows(old, name), rows(new, name));
        let text =
            |x: &Option<(String, String)>| x.as_ref().map_or("—".to_string(), |x| x.1.clone());
        if text(&a) != text(&b) {
            let title = b
                .as_ref()
                .or(a.as_ref())
                .map(|x| x.0.clone())
                .unwrap_or_default();
            out.push(Change {
                id: name.to_string(),
                title,
                what: What::Standard,
                old: text(&a),
                new: text(&b),
            });
        }
    }
}

/// Headings whose own points (`score 40` after the title) changed, matched
/// by id, then by title; a heading without points shows as "—" (levels).
fn heading_changes(old: &[crate::ir::Heading], new: &[crate::ir::Heading], out: &mut Vec<Change>) {
    let shown = |h: &crate::ir::Heading| h.points.map_or("—".to_string(), num);
    for n in new {
        let o = (old.iter().find(|o| o.key == n.key))
            .or_else(|| old.iter().find(|o| o.title == n.title));
        if let Some(o) = o
            && o.points != n.points
        {
            out.push(Change {
                id: n.key.clone(),
                title: n.title.clone(),
                what: What::HeadingPoints,
                old: shown(o),
                new: shown(n),
            });
        }
        let limit = |h: &crate::ir::Heading| h.deduction_cap.map_or("—".to_string(), num);
        if let Some(o) = o
            && o.deduction_cap != n.deduction_cap
        {
            out.push(Change {
                id: n.key.clone(),
                title: n.title.clone(),
                what: What::HeadingLimit,
                old: limit(o),
                new: limit(n),
            });
        }
    }
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
    (item.heading.and_then(|h| p.headings.get(h)))
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
            o.units_text(op.header.lang),
            n.units_text(np.header.lang),
        ),
    ];
    for (what, a, b) in fields {
        if a != b {
            out.push(change(n, what, a, b));
        }
    }
}

/// The inputs an item reads: its clauses' (extra awards' too) and its
/// conditions' (waivers' too) facts.
pub fn reads(item: &Item) -> BTreeSet<usize> {
    fn block(b: &Block, out: &mut BTreeSet<usize>) {
        for n in &b.nodes {
            match n {
                Node::Clause(c) => out.extend(&c.facts),
                Node::Block(child) => block(child, out),
            }
        }
        for w in &b.waivers {
            out.extend(&w.facts);
        }
    }
    let mut out = BTreeSet::new();
    block(&item.body, &mut out);
    for g in item.exempt.iter().chain(&item.vetoes) {
        out.extend(&g.facts);
    }
    for e in &item.extra {
        out.extend(&e.clause.facts);
    }
    out
}

/// The inputs of `new` that no entity of the JSON data gives a value
/// (by name; an input the data names, even as null, counts as given).
/// Data that is not JSON gives none: reading it reports the problem.
pub fn without_data(new: &Program, data: &str) -> BTreeSet<usize> {
    let Ok(json) = serde_json::from_str::<Value>(data) else {
        return BTreeSet::new();
    };
    let entities: Vec<&Value> = match &json {
        Value::Array(a) => a.iter().collect(),
        one => vec![one],
    };
    new.inputs
        .iter()
        .enumerate()
        .filter(|(_, input)| !entities.iter().any(|e| e.get(&input.name).is_some()))
        .map(|(slot, _)| slot)
        .collect()
}

/// The two programs a year-to-year comparison scores last year's data by.
pub struct Scoring {
    /// The old spec without the items matched to new items with no data.
    pub old: Program,
    /// The new spec without its items that read inputs the data lacks
    /// (those inputs made optional, so that their absence is no error).
    pub new: Program,
    /// The ids (in the new spec) of the items with no data yet.
    pub no_data: Vec<String>,
}

impl Scoring {
    pub fn prepare(old: &Program, new: &Program, data: &str) -> Scoring {
        let missing = without_data(new, data);
        let no_data: Vec<usize> = new
            .items
            .iter()
            .enumerate()
            .filter(|(_, item)| !reads(item).is_disjoint(&missing))
            .map(|(j, _)| j)
            .collect();
        let dropped_old: Vec<usize> = matches(old, new)
            .into_iter()
            .filter_map(|(i, j)| i.filter(|_| j.is_some_and(|j| no_data.contains(&j))))
            .collect();
        let mut scored_new = without_items(new, &no_data);
        for slot in &missing {
            if let Some(input) = scored_new.inputs.get_mut(*slot) {
                input.optional = true;
            }
        }
        // One year's data is scored under both versions (often last year's
        // data under next year's table): its records' dates are not held
        // to either table's year (K0544), only its effect is asked.
        any_year(&mut scored_new);
        let mut scored_old = without_items(old, &dropped_old);
        any_year(&mut scored_old);
        Scoring {
            old: scored_old,
            new: scored_new,
            no_data: no_data
                .iter()
                .filter_map(|&j| new.items.get(j))
                .map(|item| item.id.clone())
                .collect(),
        }
    }
}

/// Every date field of every list taken as `any year`.
fn any_year(p: &mut Program) {
    for input in &mut p.inputs {
        if let crate::ir::Ty::List(fields) = &mut input.ty {
            fields.iter_mut().for_each(|f| f.any_year = true);
        }
    }
}

/// A program without the items at these indices, its base total summed again.
fn without_items(p: &Program, drop: &[usize]) -> Program {
    let mut out = p.clone();
    out.items = p
        .items
        .iter()
        .enumerate()
        .filter(|(i, _)| !drop.contains(i))
        .map(|(_, item)| item.clone())
        .collect();
    out.base_total = out
        .items
        .iter()
        .filter_map(|i| match i.kind {
            ItemKind::Base(max) => Some(max),
            _ => None,
        })
        .sum();
    out
}

/// One entity's points under both specs.
#[derive(Debug)]
pub struct EntityChange {
    pub id: String,
    /// Over the items both years can score.
    pub total: (Option<Decimal>, Option<Decimal>),
    /// Items whose score differs: (id, old score, new score).
    pub items: Vec<(String, Option<Decimal>, Option<Decimal>)>,
    /// Items of the new spec with no data yet: (id, whether the old spec
    /// has the item: its rule now reads an input the data lacks).
    pub no_data: Vec<(String, bool)>,
    /// Named results whose value differs: (name, old value, new value; "—"
    /// where a spec has no such result).
    pub results: Vec<(String, String, String)>,
}

/// An item's score in an outcome, found by id in the program it was scored by.
fn score_of(p: &Program, o: Option<&Outcome>, id: &str) -> Option<Decimal> {
    let at = p.items.iter().position(|i| i.id == id)?;
    o?.items.get(at).map(|x| x.score)
}

/// Per-entity and per-item changes in points, for entities scored under
/// both: `before` scored by `scoring.old`, `after` by `scoring.new`.
pub fn effects(
    old: &Program,
    new: &Program,
    scoring: &Scoring,
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
    let (places_b, places_a) = (places(before), places(after));
    ids.into_iter()
        .map(|id| {
            let bi = before.iter().position(|(e, _)| e.id == id);
            let ai = after.iter().position(|(e, _)| e.id == id);
            let b = bi.and_then(|i| before.get(i)).map(|(_, o)| o);
            let a = ai.and_then(|i| after.get(i)).map(|(_, o)| o);
            let (items, no_data) = item_changes_of((old, new), scoring, &pairs, (b, a));
            fn shown<'p>(
                p: &'p Program,
                o: Option<&Outcome>,
                place: Option<TopPlace>,
            ) -> Vec<derived::Shown<'p>> {
                o.map(|o| derived::shown(p, o, place)).unwrap_or_default()
            }
            let results = result_values(
                &shown(&scoring.old, b, bi.and_then(|i| places_b.get(i).copied())),
                &shown(&scoring.new, a, ai.and_then(|i| places_a.get(i).copied())),
            );
            EntityChange {
                id: id.to_string(),
                total: (b.map(|o| o.total), a.map(|o| o.total)),
                items,
                no_data,
                results,
            }
        })
        .collect()
}

/// Each unit's place among all, by position, for results by rank.
fn places(scored: &[(&Entity, Outcome)]) -> Vec<TopPlace> {
    let totals: Vec<Decimal> = scored.iter().map(|(_, o)| o.total).collect();
    let vetoed: Vec<bool> = scored.iter().map(|(_, o)| o.vetoed).collect();
    derived::top_places(&totals, &vetoed)
}

/// The named results whose value differs between two units' shown results,
/// by name: (name, old value, new value), "—" for a result one side lacks
/// and for an empty value (a unit outside a top N).
fn result_values(
    before: &[derived::Shown],
    after: &[derived::Shown],
) -> Vec<(String, String, String)> {
    let value = |list: &[derived::Shown], name: &str| {
        (list.iter().find(|r| r.name == name)).map(|r| r.value.clone())
    };
    let shown = |v: Option<String>| {
        v.filter(|v| !v.is_empty())
            .unwrap_or_else(|| "—".to_string())
    };
    let mut out: Vec<(String, String, String)> = Vec::new();
    for r in before.iter().chain(after) {
        if out.iter().any(|(n, _, _)| n == r.name) {
            continue;
        }
        let (a, b) = (value(before, r.name), value(after, r.name));
        if a != b {
            out.push((r.name.to_string(), shown(a), shown(b)));
        }
    }
    out.retain(|(_, a, b)| a != b);
    out
}

/// An item whose score differs: (id, old score, new score).
type ItemChange = (String, Option<Decimal>, Option<Decimal>);

/// One entity's items whose score differs, and the items of the new spec
/// with no data yet (see [`EntityChange`]); `b` and `a` its outcomes
/// before and after.
fn item_changes_of(
    (old, new): (&Program, &Program),
    scoring: &Scoring,
    pairs: &[(Option<usize>, Option<usize>)],
    (b, a): (Option<&Outcome>, Option<&Outcome>),
) -> (Vec<ItemChange>, Vec<(String, bool)>) {
    let mut items = Vec::new();
    let mut no_data = Vec::new();
    for &(i, j) in pairs {
        let old_item = i.and_then(|i| old.items.get(i));
        let new_item = j.and_then(|j| new.items.get(j));
        if let Some(n) = new_item.filter(|n| scoring.no_data.contains(&n.id)) {
            no_data.push((n.id.clone(), old_item.is_some()));
            continue;
        }
        let os = old_item.and_then(|it| score_of(&scoring.old, b, &it.id));
        let ns = new_item.and_then(|n| score_of(&scoring.new, a, &n.id));
        let Some(label) = new_item.or(old_item).map(|it| it.id.clone()) else {
            continue;
        };
        if os != ns {
            items.push((label, os, ns));
        }
    }
    (items, no_data)
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

/// The headings level by level: the sections, then the indicators, …
fn by_level(p: &Program) -> impl Iterator<Item = &crate::ir::Heading> {
    (1..=4).flat_map(move |l| p.headings.iter().filter(move |h| h.level == l))
}

/// The bonus ceilings: the table's, then each section's and indicator's.
fn caps(p: &Program) -> Vec<String> {
    p.header
        .bonus_cap
        .iter()
        .chain(by_level(p).filter_map(|s| s.bonus_cap.as_ref()))
        .map(|c| num(*c))
        .collect()
}

fn cap(p: &Program, lang: Lang) -> String {
    let c = caps(p);
    if c.is_empty() {
        t!("none", "无").get(lang).to_string()
    } else {
        c.join(", ")
    }
}

/// An English plural ending; Chinese has none.
fn plural(n: usize) -> Text {
    if n == 1 { t!("", "") } else { t!("s", "") }
}

fn year(p: &Program) -> String {
    p.header
        .year
        .map_or_else(|| "—".to_string(), |y| y.to_string())
}

/// The change of a total: "—" when either side could not be scored.
fn total_delta(a: Option<Decimal>, b: Option<Decimal>) -> String {
    match (a, b) {
        (Some(_), Some(_)) => delta(a, b),
        _ => "—".to_string(),
    }
}

/// The readable report, in `lang`.
pub fn text(
    old: &Program,
    new: &Program,
    changes: &[Change],
    effects: Option<&[EntityChange]>,
    lang: Lang,
) -> String {
    let mut out = String::new();
    for c in changes {
        change_text(&mut out, c, lang);
    }
    let n = changes.len();
    let count = t!("{n} change{}", "共 {n} 处变化{}", plural(n));
    let _ = writeln!(out, "{}", count.get(lang));
    let (oy, ny) = (year(old), year(new));
    let (ob, nb) = (num(old.base_total), num(new.base_total));
    let (oc, nc) = (cap(old, lang), cap(new, lang));
    let totals = t!(
        "year: {oy} → {ny}\nbase total: {ob} → {nb}\nbonus ceiling: {oc} → {nc}",
        "年度：{oy} → {ny}\n基础分合计：{ob} → {nb}\n加分上限：{oc} → {nc}"
    );
    let _ = writeln!(out, "{}", totals.get(lang));
    for e in effects.unwrap_or_default() {
        effect_text(&mut out, e, lang);
    }
    out
}

/// One change, as a line (or three, for a rule or evidence).
fn change_text(out: &mut String, c: &Change, lang: Lang) {
    let (was, now) = (t!("old", "原"), t!("new", "新"));
    let (was, now) = (was.get(lang), now.get(lang));
    let label = c.what.label();
    let label = label.get(lang);
    let _ = match c.what {
        What::Added | What::Removed => writeln!(
            out,
            "{label:<12} {} {}  ({})",
            c.id,
            c.title,
            if c.what == What::Added {
                &c.new
            } else {
                &c.old
            }
        ),
        What::Rule | What::Evidence | What::Result | What::Standard => writeln!(
            out,
            "{label:<12} {}\n             {was}: {}\n             {now}: {}",
            format!("{} {}", c.id, c.title).trim_end(),
            c.old,
            c.new
        ),
        _ => writeln!(
            out,
            "{label:<12} {} {}: {} → {}",
            c.id, c.title, c.old, c.new
        ),
    };
}

/// One entity's change in points: its total, then each item that moved or
/// has no data yet.
fn effect_text(out: &mut String, e: &EntityChange, lang: Lang) {
    let (a, b, d) = (
        opt(e.total.0),
        opt(e.total.1),
        total_delta(e.total.0, e.total.1),
    );
    let line = t!(
        "{}: total {a} → {b} ({d})",
        "{}：总分 {a} → {b}（{d}）",
        e.id
    );
    let _ = write!(out, "\n{}", line.get(lang));
    let k = e.no_data.len();
    if k > 0 {
        let note = t!(
            ", over the items both years can score; {k} item{} with no data yet",
            "，仅计两年均可计分的考核事项；另有 {k} 个考核事项暂无数据{}",
            plural(k)
        );
        let _ = write!(out, "{}", note.get(lang));
    }
    let _ = writeln!(out);
    for (id, a, b) in &e.items {
        let _ = writeln!(
            out,
            "  {id:<8} {} → {} ({})",
            opt(*a),
            opt(*b),
            delta(*a, *b)
        );
    }
    for (name, a, b) in &e.results {
        let colon = if lang == Lang::Zh { "：" } else { ": " };
        let _ = writeln!(out, "  {name}{colon}{a} → {b}");
    }
    for (id, existed) in &e.no_data {
        let why = if *existed {
            t!(
                "no data yet (its rule now reads inputs the data does not have)",
                "暂无数据（其评分规则用到了数据中还没有的数据项）"
            )
        } else {
            t!("no data yet (a new item)", "暂无数据（新增考核事项）")
        };
        let _ = writeln!(out, "  {id:<8} {}", why.get(lang));
    }
}

/// The JSON report (keys and change names in English, for tools).
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
        "year": { "old": old.header.year, "new": new.header.year },
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
                "total": { "old": num_or_null(e.total.0), "new": num_or_null(e.total.1), "change": total_delta(e.total.0, e.total.1) },
                "items": e.items.iter().map(|(id, a, b)| json!({
                    "id": id, "old": num_or_null(*a), "new": num_or_null(*b), "change": delta(*a, *b),
                })).collect::<Vec<_>>(),
                "no_data_yet": e.no_data.iter().map(|(id, existed)| json!({
                    "id": id, "new_item": !existed,
                })).collect::<Vec<_>>(),
                "results": e.results.iter().map(|(name, a, b)| json!({
                    "name": name, "old": a, "new": b,
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
