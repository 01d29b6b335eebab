//! `standard NAME by CLASS "description" { "城区" => 98%, else => 95% }`
//! (标准 NAME 按 CLASS …): a standard that differs by the assessed unit's
//! class. Its rows are read as match arms; the checker types them and
//! checks that they cover the class's values.

use super::expr::match_arm;
use super::literals::{name, string};
use super::{Pair, Result, Rule, parts, span, take};
use crate::parse::ast::*;

pub(super) fn standard_decl(pair: Pair<Rule>) -> Result<StandardDecl> {
    let sp = span(&pair);
    // `by` is a word of its own (ctx_by), not a keyword `parts` skips.
    let mut inner = parts(pair).filter(|p| p.as_rule() != Rule::ctx_by);
    let standard = name(take(&mut inner, sp)?)?;
    let class = name(take(&mut inner, sp)?)?;
    let mut description = None;
    let mut rows = Vec::new();
    for entry in inner {
        match entry.as_rule() {
            Rule::string => description = Some(string(entry)),
            Rule::match_arm => rows.push(match_arm(entry)?),
            _ => {}
        }
    }
    Ok(StandardDecl {
        name: standard,
        class,
        description,
        rows,
        span: sp,
    })
}
