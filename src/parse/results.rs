//! Named results derived from the total, in the table header:
//! `result "等次" "优秀" >= 90, …, else "不合格"`, `pass mark 60`,
//! `payout 60 => 0% to 95 => 100%`, `top 3 => "先进单位"`.

use super::literals::{number, quantity, string};
use super::messages::internal;
use super::{Pair, Result, Rule, parts, span, take};
use crate::parse::ast::{PayoutEnd, ResultDecl, ResultRule};

pub(super) fn result_decl(pair: Pair<Rule>) -> Result<ResultDecl> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let name = string(take(&mut inner, sp)?);
    let rule = take(&mut inner, sp)?;
    let at = span(&rule);
    let rule = match rule.as_rule() {
        Rule::grade_rule => grade_rule(rule)?,
        Rule::pass_mark_rule => {
            let n = take(&mut parts(rule), at)?;
            ResultRule::PassMark(number(&n)?, span(&n))
        }
        Rule::payout_rule => {
            let mut ends = parts(rule);
            let low = payout_end(take(&mut ends, at)?)?;
            let high = payout_end(take(&mut ends, at)?)?;
            ResultRule::Payout { low, high }
        }
        Rule::top_rule => {
            let mut p = parts(rule);
            let q = take(&mut p, at)?;
            let qs = span(&q);
            let (n, unit) = quantity(q)?;
            ResultRule::Top {
                n,
                unit,
                span: qs,
                label: string(take(&mut p, at)?),
            }
        }
        _ => return Err(internal(at)),
    };
    Ok(ResultDecl {
        name,
        rule,
        span: sp,
    })
}

fn grade_rule(pair: Pair<Rule>) -> Result<ResultRule> {
    let mut steps = Vec::new();
    let mut otherwise = None;
    for p in parts(pair) {
        let at = span(&p);
        match p.as_rule() {
            Rule::grade_step => {
                let mut s = parts(p).filter(|x| x.as_rule() != Rule::op_ge);
                let text = string(take(&mut s, at)?);
                let mark = number(&take(&mut s, at)?)?;
                steps.push((text, mark, at));
            }
            Rule::grade_else => otherwise = Some(string(take(&mut parts(p), at)?)),
            _ => return Err(internal(at)),
        }
    }
    Ok(ResultRule::Grade { steps, otherwise })
}

fn payout_end(pair: Pair<Rule>) -> Result<PayoutEnd> {
    let sp = span(&pair);
    let mut p = parts(pair);
    let mark = number(&take(&mut p, sp)?)?;
    let (value, unit) = quantity(take(&mut p, sp)?)?;
    Ok(PayoutEnd {
        mark,
        value,
        unit,
        span: sp,
    })
}
