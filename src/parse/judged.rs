//! `judged NAME "how" default N` (酌情评分): the assessor's judgement in an
//! item or a part. It declares its input beside it (a number, the score
//! given), so that data, templates and the language service see an input
//! like any other; the checker bounds it by the points of its item or part.

use super::literals::{name, number, string};
use super::{Pair, Result, Rule, parts, span, take};
use crate::parse::ast::*;

pub(super) fn judged(
    pair: Pair<Rule>,
    inputs: &mut Vec<InputDecl>,
    body: &mut Vec<Entry>,
) -> Result<()> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let name = name(take(&mut inner, sp)?)?;
    let mut how = None;
    let mut default = None;
    for entry in inner {
        match entry.as_rule() {
            Rule::string => how = Some(string(entry)),
            Rule::number => default = Some((number(&entry)?, span(&entry))),
            _ => {}
        }
    }
    inputs.push(InputDecl {
        name: name.clone(),
        ty: TypeExpr::Scalar(ScalarType::Number(None, name.span)),
        description: how.clone(),
        optional: false,
        default: None,
        absence: Vec::new(),
        short_name: None,
        span: sp,
    });
    body.push(Entry::Judged(Judged {
        name,
        how,
        default,
        span: sp,
    }));
    Ok(())
}
