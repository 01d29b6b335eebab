//! Literals: names, ids, units, texts, numbers, quantities and dates, as
//! the grammar's leaves are read into the AST.

use super::messages;
use super::{Pair, Result, Rule, TABLE_YEAR, fullwidth, span, take};
use crate::parse::ast::*;
use rust_decimal::Decimal;

/// The year the table header declares, read before the rest is built.
pub(super) fn header_year(root: Pair<Rule>) -> Option<u32> {
    let table = root
        .into_inner()
        .find(|p| p.as_rule() == Rule::table_decl)?;
    let year = table
        .into_inner()
        .find(|p| p.as_rule() == Rule::year_decl)?;
    let digits = year.into_inner().find(|p| p.as_rule() == Rule::integer)?;
    fullwidth::to_ascii(digits.as_str()).parse().ok()
}

/// A date as written (2024-05-31, 2024年5月31日, 2024/5/31 or 5月31日, with
/// full-width digits or not) as YYYY-MM-DD, the year of `5月31日` the
/// table's.
pub(super) fn iso_date(pair: &Pair<Rule>) -> Result<String> {
    let text = fullwidth::to_ascii(pair.as_str());
    let numbers: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .filter_map(|n| n.parse().ok())
        .collect();
    let (y, m, d) = match numbers.as_slice() {
        [y, m, d] => (*y, *m, *d),
        [m, d] => match TABLE_YEAR.get() {
            Some(y) => (y, *m, *d),
            None => {
                return Err(messages::date_without_year(
                    pair.as_str(),
                    *m,
                    *d,
                    span(pair),
                ));
            }
        },
        _ => return Err(messages::internal(span(pair))),
    };
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

/// A points amount written with 分 after it (`扣0.5分`) is the amount: a
/// literal with the unit 分 where points are meant.
pub(super) fn points(e: Expr) -> Expr {
    match e.kind {
        ExprKind::Number(v, Some(u)) if u.text == "分" => Expr {
            kind: ExprKind::Number(v, None),
            span: e.span,
        },
        kind => Expr { kind, span: e.span },
    }
}

/// A name as written; one with full-width letters or digits in it (another
/// name than the half-width one) is refused (K0111).
pub(super) fn name(pair: Pair<Rule>) -> Result<Name> {
    let sp = span(&pair);
    let text = pair.as_str();
    if !text.is_ascii()
        && let Some(d) = fullwidth::in_name(text, sp)
    {
        return Err(d);
    }
    Ok(Name {
        text: text.to_string(),
        span: sp,
    })
}

/// An id (`6.2`), full-width digits and points read as ASCII.
pub(super) fn label(pair: Pair<Rule>) -> Name {
    Name {
        text: fullwidth::label_ascii(pair.as_str()).into_owned(),
        span: span(&pair),
    }
}

/// A unit, a full-width `％` read as `%` (full-width letters refused).
pub(super) fn unit_name(pair: Pair<Rule>) -> Result<Name> {
    let sp = span(&pair);
    if let Some(d) = fullwidth::in_name(pair.as_str(), sp) {
        return Err(d);
    }
    Ok(label(pair))
}

pub(super) fn string(pair: Pair<Rule>) -> Text {
    let sp = span(&pair);
    let value = match pair.into_inner().next() {
        Some(body) if body.as_rule() == Rule::string_body => unescape(body.as_str()),
        // A text in Chinese quotes has no escapes.
        Some(body) => body.as_str().to_string(),
        None => String::new(),
    };
    Text { value, span: sp }
}

/// A text's value from its body as written: `\n`, `\"` and `\\` read.
/// Most texts have no escape, and are copied as they are.
pub(super) fn unescape(body: &str) -> String {
    if !body.contains('\\') {
        return body.to_string();
    }
    let mut value = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => value.push('\n'),
                Some(other) => value.push(other),
                None => {}
            }
        } else {
            value.push(c);
        }
    }
    value
}

pub(super) fn number(pair: &Pair<Rule>) -> Result<Decimal> {
    let sp = span(pair);
    let digits = fullwidth::to_ascii(pair.as_str());
    let whole_digits = digits.split('.').next().map_or(0, str::len);
    Decimal::from_str_exact(&digits).map_err(|_| {
        if whole_digits <= 28 {
            messages::too_many_decimals(pair.as_str(), sp)
        } else {
            messages::number_too_large(pair.as_str(), sp)
        }
    })
}

/// A quantity: a number with an optional unit right after it.
pub(super) fn quantity(pair: Pair<Rule>) -> Result<(Decimal, Option<Name>)> {
    let sp = span(&pair);
    let mut inner = pair.into_inner();
    let value = number(&take(&mut inner, sp)?)?;
    Ok((value, inner.next().map(unit_name).transpose()?))
}
