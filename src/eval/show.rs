//! Values as people write them, for explanations and error messages.

use crate::ir::{Input, Lang, Program, Ty, Unit, Value};
use rust_decimal::Decimal;
use std::borrow::Cow;

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

/// A standard by class as a line shows it: its name, what a reader calls
/// it ([`described`]), and the value applied with the unit's class
/// (`98%（城区）`); `None` when the class is not given (the line then shows
/// the class's own fact).
pub fn standard(
    s: &crate::ir::Standard,
    program: &Program,
    values: &[Value],
) -> Option<(String, String, String)> {
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
    let called = described(&s.description, &s.name).into_owned();
    Some((s.name.clone(), called, shown))
}

/// The inputs at `slots` as (input id, name as a reader reads it
/// ([`shown_name`]), value as written).
pub fn named_facts(
    slots: &[usize],
    program: &Program,
    values: &[Value],
) -> Vec<(String, String, String)> {
    slots
        .iter()
        .filter_map(|&s| {
            let input = program.inputs.get(s)?;
            let v = value(input, values.get(s)?, program);
            let name = shown_name(input, program).into_owned();
            Some((input.name.clone(), name, v))
        })
        .collect()
}

/// A description this long or shorter (in characters) reads in a line.
pub const SHORT_ENOUGH: usize = 36;

/// What explanation lines call an input (issue 15, item 11): a policy
/// officer reads the table's words, not an ASCII id. Its `short name`
/// when the spec gives one; else its description when at most
/// [`SHORT_ENOUGH`] characters; else the description without its
/// bracketed asides (`柳州市区PM2.5/PM10比例均值（如0.62）` reads
/// `柳州市区PM2.5/PM10比例均值`) when that is short enough; else its name
/// (a description is never cut mid-sentence: the part left could mean
/// something else). An assessor's score, whose description says how it
/// is judged (按实际情况评分), is named by what it is: the score of its
/// item (id and title) or part, `评审给分（1.1 特色学校创建）`,
/// `评审给分（1.2 总结质量）` (`assessor's score (1.2 总结质量)`).
pub fn shown_name<'a>(input: &'a Input, program: &Program) -> Cow<'a, str> {
    if let Some(short) = input.short_name.as_deref().filter(|s| !s.trim().is_empty()) {
        return Cow::Borrowed(short.trim());
    }
    if let Some(j) = &input.judged {
        // A judged part's owner already reads "1.2 总结质量"; an item's is its id.
        let whose = match program.items.iter().find(|i| i.id == j.item) {
            Some(item) => format!("{} {}", item.id, item.title),
            None => j.item.clone(),
        };
        return Cow::Owned(match program.header.lang {
            Lang::Zh => format!("评审给分（{whose}）"),
            Lang::En => format!("assessor's score ({whose})"),
        });
    }
    described(&input.description, &input.name)
}

/// A thing named in a line by its description when that reads in a line
/// (whole, or without its bracketed asides), else by its name: the rule
/// [`shown_name`] applies to inputs, and a standard by class follows too.
pub fn described<'a>(description: &'a str, name: &'a str) -> Cow<'a, str> {
    let d = description.trim();
    let fits = |s: &str| !s.is_empty() && s.chars().count() <= SHORT_ENOUGH;
    if fits(d) {
        return Cow::Borrowed(d);
    }
    let plain = without_asides(d);
    if fits(plain.trim()) {
        Cow::Owned(plain.trim().to_string())
    } else {
        Cow::Borrowed(name)
    }
}

/// A text without its bracketed parts: （…） and (…), nested or not.
fn without_asides(s: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
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
