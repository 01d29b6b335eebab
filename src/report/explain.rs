//! The words of an explanation line: its reason and the facts it used.
//! Built only when a report prints them.

use crate::check::ir::{Input, Lang, Program, Ty, Unit, Value};
use crate::eval::{Entity, LineKind};
use rust_decimal::Decimal;

/// The reason of a line, in the spec's language.
pub fn reason(kind: &LineKind, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let named = |name: Option<&str>, zh_default: &str, en_default: &str| -> String {
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
    };
    match kind {
        LineKind::Clause(c) => c.reason.clone(),
        LineKind::Exempt(g) | LineKind::Veto(g) => g.reason.clone(),
        LineKind::ClauseCap(c, cap) => match (zh, c.sign) {
            (true, crate::check::ir::Sign::Deduct) => format!("最高扣{}分", cap.normalize()),
            (true, _) => format!("最高加{}分", cap.normalize()),
            (false, _) => format!("capped at {} points", cap.normalize()),
        },
        LineKind::GroupCap { name, cap } => {
            if zh {
                format!(
                    "{}合计不超过{}分",
                    named(*name, "本组", ""),
                    cap.normalize()
                )
            } else {
                format!(
                    "{} capped at {} points",
                    named(*name, "", "the group"),
                    cap.normalize()
                )
            }
        }
        LineKind::Bounds { name, max, floor } => match (zh, floor) {
            (true, true) => format!("扣完为止：{}最低0分", named(*name, "本项", "")),
            (true, false) => format!("{}最高{}分", named(*name, "本项", ""), max.normalize()),
            (false, true) => format!("{} cannot go below 0", named(*name, "", "the item")),
            (false, false) => format!(
                "{} cannot exceed {}",
                named(*name, "", "the item"),
                max.normalize()
            ),
        },
        LineKind::StartsAtZero { name, max } => {
            if zh {
                format!(
                    "{}从0分起计（满分{}分）",
                    named(*name, "本项", ""),
                    max.normalize()
                )
            } else {
                format!(
                    "{} is earned up from 0 (of {})",
                    named(*name, "", "the item"),
                    max.normalize()
                )
            }
        }
    }
}

/// The inputs a line read, as (name, value as written).
pub fn facts(kind: &LineKind, program: &Program, entity: &Entity) -> Vec<(String, String)> {
    let slots: &[usize] = match kind {
        LineKind::Clause(c) => &c.facts,
        LineKind::Exempt(g) | LineKind::Veto(g) => &g.facts,
        _ => &[],
    };
    slots
        .iter()
        .filter_map(|&s| {
            let input = program.inputs.get(s)?;
            let value = entity.values.get(s)?;
            Some((input.name.clone(), show(input, value, program)))
        })
        .collect()
}

/// A value as its clerk would write it: 87.5%, 30.5 μg/m³, 是.
pub fn show(input: &Input, value: &Value, program: &Program) -> String {
    let zh = program.header.lang == Lang::Zh;
    match value {
        Value::Missing => (if zh { "未填写" } else { "not given" }).into(),
        Value::Bool(b) => match (zh, b) {
            (true, true) => "是".into(),
            (true, false) => "否".into(),
            (false, true) => "yes".into(),
            (false, false) => "no".into(),
        },
        Value::Num(n) => number(*n, &input.ty),
        Value::Date(d) => crate::date::format(*d),
        Value::Text(t) => t.to_string(),
        Value::Enum(i) => match &input.ty {
            Ty::Enum(e) => program
                .enums
                .get(*e)
                .and_then(|e| e.variants.get(*i as usize))
                .cloned()
                .unwrap_or_default(),
            _ => i.to_string(),
        },
        Value::List(l) => {
            if zh {
                format!("{}条记录", l.len())
            } else {
                format!("{} records", l.len())
            }
        }
    }
}

fn number(n: Decimal, ty: &Ty) -> String {
    match ty {
        Ty::Rate | Ty::Number(Unit::Percent) => {
            format!("{}%", (n * Decimal::ONE_HUNDRED).normalize())
        }
        Ty::Number(Unit::Points) => format!("{}pp", (n * Decimal::ONE_HUNDRED).normalize()),
        Ty::Number(Unit::Named(u)) => format!("{} {u}", n.normalize()),
        Ty::Count(Some(u)) => format!("{}{u}", n.normalize()),
        _ => n.normalize().to_string(),
    }
}
