//! Input declarations: enumerations, inputs, list fields and their types.

use super::expr::expr;
use super::literals::{name, string, unit_name};
use super::messages::internal;
use super::{Pair, Result, Rule, has_keyword, parts, span, take};
use crate::parse::ast::*;

pub(super) fn enum_decl(pair: Pair<Rule>) -> Result<EnumDecl> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let name = name(take(&mut inner, sp)?)?;
    let variants = parts(take(&mut inner, sp)?).map(string).collect();
    Ok(EnumDecl { name, variants })
}

pub(super) fn input_decl(pair: Pair<Rule>) -> Result<InputDecl> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let name = name(take(&mut inner, sp)?)?;
    let ty = type_expr(take(&mut inner, sp)?)?;
    let mut decl = InputDecl::new(name, ty, sp);
    for entry in inner {
        match entry.as_rule() {
            Rule::string => decl.description = Some(string(entry)),
            Rule::input_opt => {
                let first = parts(entry.clone()).next();
                if let Some(short) = first.clone().filter(|p| p.as_rule() == Rule::short_name) {
                    decl.short_name = parts(short)
                        .find(|p| p.as_rule() == Rule::string)
                        .map(string);
                } else if let Some(rules) = first.filter(|p| p.as_rule() == Rule::absence) {
                    // Not `optional`: an empty cell stays an error, so that a
                    // forgotten cell never passes for 不适用.
                    decl.absence.extend(absence(rules));
                } else if has_keyword(&entry, Rule::kw_optional) {
                    decl.optional = true;
                } else {
                    let at = span(&entry);
                    decl.default = Some(expr(take(&mut parts(entry), at)?)?);
                }
            }
            _ => return Err(internal(span(&entry))),
        }
    }
    Ok(decl)
}

/// The rules of `optional: not applicable => full marks, …`.
fn absence(pair: Pair<Rule>) -> Vec<AbsenceRule> {
    parts(pair)
        .filter(|p| p.as_rule() == Rule::absence_rule)
        .map(|rule| {
            let at = span(&rule);
            let mut word = AbsenceWord::NotApplicable;
            let mut outcome = AbsenceOutcome::FullMarks;
            for p in parts(rule) {
                match p.as_rule() {
                    Rule::absence_word if has_keyword(&p, Rule::kw_not_claimed) => {
                        word = AbsenceWord::NotClaimed
                    }
                    Rule::absence_outcome if has_keyword(&p, Rule::kw_no_points) => {
                        outcome = AbsenceOutcome::NoPoints
                    }
                    _ => {}
                }
            }
            AbsenceRule {
                word,
                outcome,
                span: at,
            }
        })
        .collect()
}

fn type_expr(pair: Pair<Rule>) -> Result<TypeExpr> {
    let sp = span(&pair);
    let inner = take(&mut pair.into_inner(), sp)?;
    match inner.as_rule() {
        Rule::list_type => {
            let at = span(&inner);
            let fields = parts(inner)
                .filter(|p| p.as_rule() == Rule::field_decl)
                .map(field_decl)
                .collect::<Result<_>>()?;
            Ok(TypeExpr::List(fields, at))
        }
        _ => Ok(TypeExpr::Scalar(scalar_type(inner)?)),
    }
}

fn field_decl(pair: Pair<Rule>) -> Result<FieldDecl> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let name = name(take(&mut inner, sp)?)?;
    let ty = scalar_type(take(&mut inner, sp)?)?;
    let mut field = FieldDecl {
        name,
        ty,
        description: None,
        any_year: None,
    };
    for p in inner {
        match p.as_rule() {
            Rule::any_year => field.any_year = Some(span(&p)),
            _ => field.description = Some(string(p)),
        }
    }
    Ok(field)
}

fn scalar_type(pair: Pair<Rule>) -> Result<ScalarType> {
    let sp = span(&pair);
    let mut inner = pair.into_inner();
    let word = take(&mut inner, sp)?;
    let unit = || {
        inner
            .clone()
            .next()
            .filter(|p| p.as_rule() == Rule::unit)
            .map(unit_name)
            .transpose()
    };
    Ok(match word.as_rule() {
        Rule::ty_bool => ScalarType::Bool(sp),
        Rule::ty_count => ScalarType::Count(unit()?, sp),
        Rule::ty_number => ScalarType::Number(unit()?, sp),
        Rule::ty_rate => ScalarType::Rate(sp),
        Rule::ty_date => ScalarType::Date(sp),
        Rule::ty_text => ScalarType::Text(sp),
        Rule::ty_enum => {
            let body = take(&mut inner, sp)?;
            ScalarType::Enum(parts(body).map(string).collect(), sp)
        }
        Rule::ref_type => match take(&mut word.into_inner(), sp)?.as_rule() {
            Rule::ty_month => ScalarType::Month(sp),
            Rule::ty_quarter => ScalarType::Quarter(sp),
            _ => ScalarType::ItemRef(sp),
        },
        Rule::ident => ScalarType::Named(name(word)?),
        _ => return Err(internal(sp)),
    })
}
