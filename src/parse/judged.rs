//! `judged NAME "how" default N` (酌情评分): the assessor's judgement in an
//! item or a part. It declares its input beside it (a number, the score
//! given), so that data, templates and the language service see an input
//! like any other; the checker bounds it by the points of its item or part.

use super::literals::{name, number, string};
use super::{Pair, Result, Rule, parts, span, take};
use crate::parse::ast::*;
use crate::source::Span;

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
    declare(name, how, default, sp, inputs, body);
    Ok(())
}

/// The judgement in `body`, and the input it declares in `inputs`: a
/// number named as the judgement, described by its `how`.
pub(super) fn declare(
    name: Name,
    how: Option<Text>,
    default: Option<(rust_decimal::Decimal, Span)>,
    sp: Span,
    inputs: &mut Vec<InputDecl>,
    body: &mut Vec<Entry>,
) {
    let mut input = InputDecl::new(
        name.clone(),
        TypeExpr::Scalar(ScalarType::Number(None, name.span)),
        sp,
    );
    input.description = how.clone();
    inputs.push(input);
    body.push(Entry::Judged(Judged {
        name,
        how,
        default,
        span: sp,
    }));
}
