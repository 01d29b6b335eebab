//! The JSON report: every number a decimal string with two decimals.

use super::explain::{facts, reason};
use super::fmt2;
use crate::check::ir::Program;
use crate::eval::{Entity, ItemOutcome, Outcome};
use serde_json::{Value, json};

/// `{"entities": [...]}` for the scored entities.
pub fn report(program: &Program, scored: &[(&Entity, Outcome)]) -> Value {
    json!({ "entities": scored.iter().map(|(e, o)| entity(program, e, o)).collect::<Vec<_>>() })
}

/// One entity's report, with its department roll-up.
pub fn entity(program: &Program, e: &Entity, o: &Outcome) -> Value {
    json!({
        "id": o.id,
        "total": fmt2(o.total),
        "vetoed": o.vetoed,
        "result": o.result,
        "base": fmt2(o.base),
        "deductions": fmt2(o.deductions),
        "bonus": fmt2(o.bonus),
        "bonus_raw": fmt2(o.bonus_raw),
        "items": program.items.iter().zip(&o.items).map(|(item, io)| item_json(program, e, &item.id, io)).collect::<Vec<_>>(),
        "units": super::rollup::rollup(program, o).iter().map(|u| json!({
            "unit": u.unit,
            "at_stake": fmt2(u.at_stake),
            "lost": fmt2(u.lost),
            "items": u.items.iter().map(|i| json!({
                "id": i.item.id,
                "shared": i.shared,
                "at_stake": fmt2(i.at_stake),
                "lost": fmt2(i.lost),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

fn item_json(program: &Program, e: &Entity, id: &str, io: &ItemOutcome) -> Value {
    let lang = program.header.lang;
    json!({
        "id": id,
        "score": fmt2(io.score),
        "max": io.max.map(fmt2),
        "lines": io.lines.iter().map(|l| json!({
            "amount": fmt2(l.amount),
            "reason": reason(&l.kind, lang),
            "facts": facts(&l.kind, program, e).into_iter().map(|(k, v)| json!({"input": k, "value": v})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
