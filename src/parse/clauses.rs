//! Clauses: deduct, add, veto and exempt, with their amounts, caps and
//! conditions.

use super::expr::{at_most, expr, placeholder};
use super::literals::{name, points, quantity, string};
use super::messages::internal;
use super::{Pair, Result, Rule, has_keyword, parts, span, take};
use crate::parse::ast::*;
use crate::source::Span;

pub(super) fn clause(pair: Pair<Rule>) -> Result<Clause> {
    let inner = take(&mut pair.into_inner(), Span::default())?;
    let sp = span(&inner);
    let rule = inner.as_rule();
    let keyword = inner.clone().into_inner().next().map_or(sp, |k| span(&k));
    let mut reason = None;
    let mut amount_pair = None;
    let mut caps = Vec::new();
    let mut cond = None;
    let mut ceiling = ExtraCeiling::Within;
    for p in parts(inner) {
        match p.as_rule() {
            Rule::ceiling_rule if has_keyword(&p, Rule::kw_outside_ceiling) => {
                ceiling = ExtraCeiling::Outside
            }
            Rule::ceiling_rule => ceiling = ExtraCeiling::Within,
            Rule::amount => amount_pair = Some(p),
            Rule::cap => caps.push(cap(p)?),
            Rule::condition => cond = Some(condition(p)?),
            Rule::string => reason = Some(string(p)),
            _ => return Err(internal(span(&p))),
        }
    }
    let scoring = |amount_pair: Option<Pair<Rule>>, caps, condition| -> Result<Scoring> {
        Ok(Scoring {
            amount: amount(amount_pair.ok_or_else(|| internal(sp))?)?,
            caps,
            condition,
        })
    };
    let kind = match rule {
        Rule::deduct_clause => ClauseKind::Deduct(scoring(amount_pair, caps, cond)?),
        Rule::add_clause => ClauseKind::Add(scoring(amount_pair, caps, cond)?),
        Rule::veto_clause => ClauseKind::Veto(cond.ok_or_else(|| internal(sp))?),
        Rule::exempt_clause => ClauseKind::Exempt(cond.ok_or_else(|| internal(sp))?),
        Rule::extra_clause => ClauseKind::Extra(scoring(amount_pair, caps, cond)?, ceiling),
        _ => return Err(internal(sp)),
    };
    Ok(Clause {
        kind,
        span: sp,
        keyword,
        reason,
    })
}

/// `waived if COND "reason"` (免予扣分 若 …): a waiver of its block's
/// deductions.
pub(super) fn waiver(pair: Pair<Rule>) -> Result<Waiver> {
    let sp = span(&pair);
    let keyword = pair.clone().into_inner().next().map_or(sp, |k| span(&k));
    let mut condition_pair = None;
    let mut reason = None;
    for p in parts(pair) {
        match p.as_rule() {
            Rule::condition => condition_pair = Some(condition(p)?),
            Rule::string => reason = Some(string(p)),
            _ => return Err(internal(span(&p))),
        }
    }
    Ok(Waiver {
        condition: condition_pair.ok_or_else(|| internal(sp))?,
        reason,
        span: sp,
        keyword,
    })
}

fn condition(pair: Pair<Rule>) -> Result<Condition> {
    let sp = span(&pair);
    let negated = has_keyword(&pair, Rule::kw_unless);
    Ok(Condition {
        negated,
        expr: expr(take(&mut parts(pair), sp)?)?,
    })
}

fn cap(pair: Pair<Rule>) -> Result<Cap> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let limit = points(at_most(take(&mut inner, sp)?)?);
    let per = inner.next().map(expr).transpose()?;
    Ok(Cap {
        limit,
        per,
        span: sp,
    })
}

fn amount(pair: Pair<Rule>) -> Result<Amount> {
    let sp = span(&pair);
    let mut inner = pair.into_inner();
    let first = take(&mut inner, sp)?;
    match (first.as_rule(), inner.next()) {
        (Rule::each_amount, _) => each_amount(first).map(Amount::Each),
        (_, Some(per)) => per_amount(first, per).map(Amount::Per),
        (_, None) => expr(first).map(|e| Amount::Fixed(points(e))),
    }
}

/// A `per` amount from its rate and what follows the rate; its span runs
/// from the rate's first token.
fn per_amount(rate: Pair<Rule>, pair: Pair<Rule>) -> Result<PerAmount> {
    let sp = Span::new(span(&rate).start, span(&pair).end);
    let mut out = PerAmount {
        rate: points(expr(rate)?),
        rounding: None,
        step: None,
        quantity: placeholder(sp),
        gap: None,
        span: sp,
    };
    for p in parts(pair) {
        match p.as_rule() {
            Rule::rounding => {
                let r = if has_keyword(&p, Rule::kw_whole) {
                    Rounding::Whole
                } else {
                    Rounding::Continuous
                };
                out.rounding = Some((r, span(&p)));
            }
            Rule::quantity => {
                let at = span(&p);
                let (value, unit) = quantity(p)?;
                out.step = Some(Expr {
                    kind: ExprKind::Number(value, unit),
                    span: at,
                });
            }
            Rule::expr => out.quantity = expr(p)?,
            Rule::gap => {
                let dir = if has_keyword(&p, Rule::kw_above) {
                    GapDir::Above
                } else {
                    GapDir::Below
                };
                let at = span(&p);
                out.gap = Some((dir, expr(take(&mut parts(p), at)?)?));
            }
            _ => return Err(internal(span(&p))),
        }
    }
    Ok(out)
}

fn each_amount(pair: Pair<Rule>) -> Result<EachAmount> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let var = name(take(&mut inner, sp)?)?;
    let list = expr(take(&mut inner, sp)?)?;
    let mut out = EachAmount {
        var,
        list,
        filter: None,
        once_per: None,
        value: placeholder(sp),
    };
    for p in inner {
        match p.as_rule() {
            Rule::where_filter => out.filter = Some(at_most(p)?),
            Rule::once_per => out.once_per = Some(at_most(p)?),
            Rule::expr => out.value = expr(p)?,
            _ => return Err(internal(span(&p))),
        }
    }
    Ok(out)
}
