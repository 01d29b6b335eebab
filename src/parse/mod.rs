//! Parse: source text → AST with spans.
//!
//! pest does the recognising (grammar/kaohe.pest); this module has one
//! function per grammar rule that turns its pairs into AST nodes. Keyword
//! pairs are skipped by `parts`, so each function sees only the pieces that
//! carry meaning. pest stops at the first syntax error, so `parse` then
//! recovers (see `recover`) to report an error for every block that fails.
//!
//! - `headings`: the table header, sections, indicators, items and parts
//! - `inputs`: enumerations, inputs and their types
//! - `clauses`: deduct, add, veto and exempt, their amounts and caps
//! - `expr`: expressions, bands and calls
//! - `judged`: the assessor's judgement in an item or part
//! - `standards`: a standard by the unit's class (`standard … by …`)
//! - `literals`: names, ids, units, texts, numbers and dates
//! - `messages`: the stage's diagnostics, one function each

// A syntax error is built once per broken block, so the size of `Err` does
// not matter, and one `Diagnostic` type for every stage matters more.
#![allow(clippy::result_large_err)]

pub mod ast;
mod clauses;
mod expr;
pub mod fast;
pub(crate) mod fullwidth;
mod headings;
mod inputs;
mod judged;
pub mod keywords;
mod limits;
mod literals;
mod messages;
mod recover;
mod results;
mod standards;

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use ast::*;
use pest::Parser as _;
use pest::iterators::Pair;
use pest_derive::Parser;
use std::sync::LazyLock;

#[derive(Parser)]
#[grammar = "../grammar/kaohe.pest"]
pub struct KaoheParser;

type Result<T> = std::result::Result<T, Diagnostic>;

/// Parse a whole spec. Returns the tree when the text parsed, and every
/// syntax error found either way.
pub fn parse(text: &str) -> (Option<Spec>, Vec<Diagnostic>) {
    if let Some(d) = limits::check(text) {
        return (None, vec![d]);
    }
    // The hand-written reader, for text that parses; pest for the rest
    // (every syntax error and recovery stays pest's).
    if let Some(spec) = fast::parse(text) {
        return (Some(spec), Vec::new());
    }
    parse_pest(text)
}

/// `parse` by the pest path alone (limits checked): what the fast path
/// (`fast`) must equal, for its tests.
#[cfg(test)]
pub fn parse_with_pest(text: &str) -> (Option<Spec>, Vec<Diagnostic>) {
    if let Some(d) = limits::check(text) {
        return (None, vec![d]);
    }
    parse_pest(text)
}

fn parse_pest(text: &str) -> (Option<Spec>, Vec<Diagnostic>) {
    let root = match KaoheParser::parse(Rule::spec, text) {
        Ok(mut pairs) => pairs.next(),
        Err(first) => return (None, recover::all_errors(text, first)),
    };
    if let Some(mixed) = root.clone().and_then(keywords::mixed) {
        return (None, vec![mixed]);
    }
    let mut spec = Spec::default();
    let mut diags = Vec::new();
    TABLE_YEAR.set(root.clone().and_then(literals::header_year));
    for pair in root.into_iter().flat_map(Pair::into_inner) {
        if let Err(d) = headings::top_decl(pair, &mut spec) {
            diags.push(d);
        }
    }
    TABLE_YEAR.set(None);
    if diags.is_empty() {
        (Some(spec), diags)
    } else {
        (None, diags)
    }
}

// ---------------------------------------------------------------- helpers

thread_local! {
    /// The year in the header of the spec being built, for a date written
    /// without one (`5月31日`).
    pub(super) static TABLE_YEAR: std::cell::Cell<Option<u32>> = const { std::cell::Cell::new(None) };
}

static IS_KEYWORD: LazyLock<Vec<bool>> = LazyLock::new(|| {
    keywords::rule_table(|name| name.starts_with("kw_") || name.starts_with("punct_"))
});

fn is_keyword(rule: Rule) -> bool {
    IS_KEYWORD.get(rule as usize).copied().unwrap_or(false)
}

/// The meaningful children of a pair: everything but keywords and braces.
pub(super) fn parts(pair: Pair<Rule>) -> impl Iterator<Item = Pair<Rule>> {
    pair.into_inner().filter(|p| !is_keyword(p.as_rule()))
}

/// Whether a pair has a keyword child of the given rule.
pub(super) fn has_keyword(pair: &Pair<Rule>, rule: Rule) -> bool {
    pair.clone().into_inner().any(|p| p.as_rule() == rule)
}

/// The span of a pair, without the white space an optional ending leaves.
pub(super) fn span(pair: &Pair<Rule>) -> Span {
    let start = pair.as_span().start();
    Span::new(start, start + pair.as_str().trim_end().len())
}

/// The next child, which the grammar guarantees; an internal error if not.
pub(super) fn take<'a>(
    it: &mut impl Iterator<Item = Pair<'a, Rule>>,
    at: Span,
) -> Result<Pair<'a, Rule>> {
    it.next().ok_or_else(|| messages::internal(at))
}

pub(super) fn set_once<T>(
    slot: &mut Option<(T, Span)>,
    value: T,
    what: &str,
    at: Span,
) -> Result<()> {
    if let Some((_, first)) = slot {
        return Err(messages::duplicate(what, at, *first));
    }
    *slot = Some((value, at));
    Ok(())
}

#[cfg(test)]
mod fast_tests;
#[cfg(test)]
mod tests;
