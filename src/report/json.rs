//! The JSON report: every number a decimal string with two decimals.
//!
//! An entity's report is a view of its outcome that serde writes straight
//! out (`serde_json::to_writer`), its keys in the order of the fields
//! below: no `serde_json::Value` tree is built per entity, whose maps (a
//! key allocated and hashed per field) were most of the time of writing
//! the explanation lines of a large dataset.

use super::explain::{facts_with_ids, reason_borrowed};
use super::number::Two;
use super::rollup::{UnitItem, UnitRole, UnitRollup, rollup};
use crate::data::Entity;
use crate::eval::{ItemOutcome, Line, Outcome};
use crate::ir::{Item, ItemKind, Program};
use serde::Serialize;
use serde_json::Value;

/// `{"entities": [...]}` for the scored entities.
pub fn report(program: &Program, scored: &[(&Entity, Outcome)]) -> Value {
    // Every unit is here, so results by rank (`top`) are known.
    let totals: Vec<_> = scored.iter().map(|(_, o)| o.total).collect();
    let vetoed: Vec<_> = scored.iter().map(|(_, o)| o.vetoed).collect();
    let places = super::derived::top_places(&totals, &vetoed);
    let entities: Vec<_> = (scored.iter().zip(places))
        .map(|((e, o), p)| entity(program, e, o, Some(p)))
        .collect();
    serde_json::json!({ "entities": entities })
}

/// One entity's report, with its department roll-up.
#[derive(Serialize)]
pub struct EntityJson<'a> {
    id: &'a str,
    total: Two,
    vetoed: bool,
    /// The pass/fail text or grade; absent in a table without one
    /// (`Header::has_result`), unless a veto fired (否决).
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<&'a str>,
    /// The named results derived from the total (`result …`), in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    results: Vec<ResultJson<'a>>,
    base: Two,
    deductions: Two,
    bonus: Two,
    bonus_raw: Two,
    /// The subtotals of the headings that declare their points (levels).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    headings: Vec<HeadingJson<'a>>,
    /// Σ of the extra awards outside the bonus ceiling, added to the total
    /// beside the bonus; for a table that declares any.
    #[serde(skip_serializing_if = "Option::is_none")]
    extra_outside_ceiling: Option<Two>,
    items: Vec<ItemJson<'a>>,
    units: Vec<UnitJson<'a>>,
    /// Its place by total, with `--rank`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<usize>,
}

/// A named result: its name, value and the line that explains it.
#[derive(Serialize)]
struct ResultJson<'a> {
    name: &'a str,
    value: String,
    reason: String,
}

#[derive(Serialize)]
struct HeadingJson<'a> {
    level: &'static str,
    id: &'a str,
    title: &'a str,
    earned: Two,
    points: Two,
}

#[derive(Serialize)]
struct ItemJson<'a> {
    id: &'a str,
    score: Two,
    max: Option<Two>,
    /// An assessor gives this item's score (or a part's): `judged`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    judged: bool,
    /// A veto item's state, `triggered` or `not_triggered`, for veto items
    /// only: their score is not a score (docs/language.md, 一票否决).
    #[serde(skip_serializing_if = "Option::is_none")]
    veto: Option<&'static str>,
    /// The extra award beyond the item's points (超额加分), for an item
    /// that has one: in all, and the part of it outside the bonus ceiling
    /// (the rest counts toward it).
    #[serde(skip_serializing_if = "Option::is_none")]
    extra: Option<Two>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra_outside_ceiling: Option<Two>,
    lines: Vec<LineJson<'a>>,
    /// What the lines as printed miss of the printed score (two decimals
    /// each, the score exact): shown once, so that `lines` plus
    /// `rounding` add up to the score less `max` (`table::rounding`).
    #[serde(skip_serializing_if = "Option::is_none")]
    rounding: Option<Two>,
}

#[derive(Serialize)]
struct LineJson<'a> {
    amount: Two,
    reason: std::borrow::Cow<'a, str>,
    facts: Vec<FactJson>,
}

#[derive(Serialize)]
struct FactJson {
    /// The input's id, for machines.
    input: String,
    /// What the text reports call it (its short name or description).
    name: String,
    value: String,
}

#[derive(Serialize)]
struct UnitJson<'a> {
    unit: &'a str,
    at_stake: Two,
    lost: Two,
    items: Vec<UnitItemJson<'a>>,
    /// The unit's veto items whose veto fired.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    vetoed: Vec<&'a str>,
}

#[derive(Serialize)]
struct UnitItemJson<'a> {
    id: &'a str,
    shared: bool,
    at_stake: Two,
    lost: Two,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    vetoed: bool,
    /// `lead` or `supporting` for an item with a lead unit; omitted for
    /// `responsible` units.
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'static str>,
}

/// One entity's report, with its department roll-up.
/// `place`: its place among all units, when known (for `top`).
pub fn entity<'a>(
    program: &'a Program,
    e: &Entity,
    o: &'a Outcome,
    place: Option<super::derived::TopPlace>,
) -> EntityJson<'a> {
    let items = (program.items.iter().zip(&o.items))
        .map(|(item, io)| item_json(program, e, item, io))
        .collect();
    EntityJson {
        id: &o.id,
        total: Two::new(o.total),
        vetoed: o.vetoed,
        result: (program.header.has_result || o.vetoed).then_some(o.result.as_str()),
        results: super::derived::shown(program, o, place)
            .into_iter()
            .map(|r| ResultJson {
                name: r.name,
                value: r.value,
                reason: r.why,
            })
            .collect(),
        base: Two::new(o.base),
        deductions: Two::new(o.deductions),
        bonus: Two::new(o.bonus),
        bonus_raw: Two::new(o.bonus_raw),
        headings: (super::levels::rows(program, o).into_iter())
            .map(|r| HeadingJson {
                level: r.key(),
                id: r.key,
                title: r.title,
                earned: Two::new(r.earned),
                points: Two::new(r.points),
            })
            .collect(),
        extra_outside_ceiling: program.has_extra_outside.then(|| Two::new(o.extra_outside)),
        items,
        units: rollup(program, o).iter().map(unit_json).collect(),
        rank: None,
    }
}

fn item_json<'a>(
    program: &Program,
    e: &Entity,
    item: &'a Item,
    io: &ItemOutcome<'a>,
) -> ItemJson<'a> {
    ItemJson {
        id: &item.id,
        judged: item.judged(),
        score: Two::new(io.score),
        max: io.max.map(Two::new),
        veto: (item.kind == ItemKind::Veto).then_some(if io.vetoed {
            "triggered"
        } else {
            "not_triggered"
        }),
        extra: (!item.extra.is_empty()).then(|| Two::new(io.extra)),
        extra_outside_ceiling: (!item.extra.is_empty()).then(|| Two::new(io.extra_outside)),
        lines: io.lines.iter().map(|l| line_json(program, e, l)).collect(),
        rounding: super::table::rounding(io).map(Two::new),
    }
}

fn line_json<'a>(program: &Program, e: &Entity, l: &Line<'a>) -> LineJson<'a> {
    let facts = facts_with_ids(&l.kind, program, e).into_iter();
    LineJson {
        amount: Two::new(l.amount),
        reason: reason_borrowed(l, program.header.lang),
        facts: facts
            .map(|(input, name, value)| FactJson { input, name, value })
            .collect(),
    }
}

fn unit_json<'p>(u: &UnitRollup<'p>) -> UnitJson<'p> {
    let item = |i: &UnitItem<'p>| UnitItemJson {
        id: &i.item.id,
        shared: i.shared,
        at_stake: Two::new(i.at_stake),
        lost: Two::new(i.lost),
        vetoed: i.vetoed,
        role: (i.role != UnitRole::Responsible).then(|| i.role.key()),
    };
    UnitJson {
        unit: u.unit,
        at_stake: Two::new(u.at_stake),
        lost: Two::new(u.lost),
        items: u.items.iter().map(item).collect(),
        vetoed: u.vetoed.clone(),
    }
}
