//! Values as people write them, for explanations and error messages.

use crate::ir::{Input, Lang, Program, Ty, Unit, Value};
use rust_decimal::Decimal;

/// The inputs at `slots` as (name, value as written).
pub fn facts(slots: &[usize], program: &Program, values: &[Value]) -> Vec<(String, String)> {
    slots
        .iter()
        .filter_map(|&s| {
            let input = program.inputs.get(s)?;
            Some((input.name.clone(), value(input, values.get(s)?, program)))
        })
        .collect()
}

/// A standard by class as a line shows it: its name, and the value
/// applied with the unit's class (`98%（城区）`); `None` when the class is
/// not given (the line then shows the class's own fact).
pub fn standard(
    s: &crate::ir::Standard,
    program: &Program,
    values: &[Value],
) -> Option<(String, String)> {
    let Value::Enum(class) = values.get(s.class)? else {
        return None;
    };
    let applied = number(*s.values.get(*class as usize)?, &s.ty);
    let input = program.inputs.get(s.class)?;
    let named = value(input, &Value::Enum(*class), program);
    let shown = match program.header.lang {
        Lang::Zh => format!("{applied}（{named}）"),
        Lang::En => format!("{applied} ({named})"),
    };
    Some((s.name.clone(), shown))
}

/// A value as its clerk would write it: 87.5%, 30.5 μg/m³, 是.
pub fn value(input: &Input, value: &Value, program: &Program) -> String {
    let zh = program.header.lang == Lang::Zh;
    match value {
        Value::Missing => (if zh { "未填写" } else { "not given" }).into(),
        Value::Absent(a) => a.word(program.header.lang).into(),
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
