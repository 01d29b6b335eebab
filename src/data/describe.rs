//! How messages quote a cell found ([`show`]) and name what a value of a
//! type looks like ([`describe_ty`]).

use super::scalar::Cell;
use crate::diagnostic::Text;
use crate::ir::{EnumInfo, Input, Ty, Unit};
use crate::t;
use rust_decimal::Decimal;
use serde_json::Value as Json;

/// A cell as a message quotes it: as JSON writes it, cut at 40 characters.
pub(super) fn show(cell: Cell) -> String {
    let s = match cell {
        Cell::Text(s) => Json::from(s).to_string(),
        Cell::Number(n) | Cell::BadDate(n) => n.to_string(),
        Cell::Percent(n) => match Decimal::from_str_exact(n)
            .ok()
            .and_then(|d| d.checked_mul(Decimal::ONE_HUNDRED))
        {
            Some(p) => format!("{}%", p.normalize()),
            None => format!("{n} (%)"),
        },
        Cell::Bool(b) => b.to_string(),
        Cell::Other(v) => v.to_string(),
    };
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

pub(super) fn describe(input: &Input) -> Text {
    let what = if input.description.is_empty() {
        input.name.clone()
    } else {
        input.description.clone()
    };
    match input.absence_words() {
        None => t!("{what} ({})", "{what}（{}）", describe_ty_short(&input.ty)),
        Some(words) => t!(
            "{what} ({}, or {words})",
            "{what}（{}，或填写 {words}）",
            describe_ty_short(&input.ty)
        ),
    }
}

fn describe_ty_short(ty: &Ty) -> Text {
    match ty {
        Ty::Bool => t!("true or false", "是或否"),
        Ty::Count(_) => t!("a whole number", "整数"),
        Ty::Number(_) => t!("a number", "数值"),
        Ty::Rate => t!("a rate in percent", "百分比"),
        Ty::Date => t!("a date", "日期"),
        Ty::Text => t!("a text", "文本"),
        Ty::Enum(_) => t!("one of the listed values", "所列取值之一"),
        Ty::List(_) => t!("a list", "列表"),
        Ty::Month => t!("a month, 1 to 12", "月份（1 至 12）"),
        Ty::Quarter => t!("a quarter, 1 to 4", "季度（1 至 4）"),
        Ty::ItemRef => t!("an id of the table", "考核表中的编号"),
    }
}

/// What a value of the type looks like, for "expected …".
pub fn describe_ty(ty: &Ty, enums: &[EnumInfo]) -> Text {
    match ty {
        Ty::Bool => t!("true or false", "“是”或“否”（true 或 false）"),
        Ty::Count(_) => t!("a whole number of 0 or more", "不小于 0 的整数"),
        Ty::Number(u) => match u {
            Unit::Named(n) => t!("a number (in {n})", "数值（单位：{n}）"),
            Unit::Percent => t!("a number of percent, such as 87.5", "百分数，如 87.5"),
            Unit::Points => t!(
                "a number of percentage points, such as 1.5",
                "百分点数，如 1.5"
            ),
            _ => t!("a number", "数值"),
        },
        Ty::Rate => t!(
            "a rate from 0 to 100 (percent)",
            "0 至 100 之间的比率（百分数）"
        ),
        Ty::Date => t!("a date such as \"2024-05-31\"", "日期，如 \"2024-05-31\""),
        Ty::Text => t!("a text", "文本"),
        Ty::Enum(e) => {
            let values = enums.get(*e).map_or(Text::list::<&str>(&[]), |i| {
                crate::check::quoted_text(&i.variants)
            });
            t!("one of {}", "{}之一", values)
        }
        Ty::List(_) => t!("a list of records", "记录列表"),
        Ty::Month => t!("a month from 1 to 12", "1 至 12 之间的月份"),
        Ty::Quarter => t!("a quarter from 1 to 4", "1 至 4 之间的季度"),
        Ty::ItemRef => t!(
            "the id of a section, indicator or item of the table, such as \"1.1\"",
            "考核表中一级指标、二级指标或考核事项的编号，如 \"1.1\""
        ),
    }
}
