//! Declarations: the table header, sections, indicators, items and parts,
//! with the meta entries they share.

use super::inputs::{enum_decl, input_decl};
use super::literals::{label, name, number, string};
use super::messages::{self, duplicate, internal};
use super::{Pair, Result, Rule, has_keyword, parts, set_once, span, take};
use super::{clauses::clause, expr::at_most, expr::band};
use crate::parse::ast::*;
use crate::parse::fullwidth;
use crate::source::Span;
use rust_decimal::Decimal;

pub(super) fn top_decl(pair: Pair<Rule>, spec: &mut Spec) -> Result<()> {
    match pair.as_rule() {
        Rule::table_decl => {
            let header = table_decl(pair)?;
            if let Some(old) = &spec.header {
                return Err(duplicate("table", header.span, old.span));
            }
            spec.header = Some(header);
        }
        Rule::enum_decl => spec.enums.push(enum_decl(pair)?),
        Rule::input_decl => spec.inputs.push(input_decl(pair)?),
        Rule::section => spec.sections.push(heading_of(pair, 1)?),
        Rule::item => spec.items.push(item(pair)?),
        Rule::standard_decl => spec.standards.push(super::standards::standard_decl(pair)?),
        _ => {}
    }
    Ok(())
}

fn table_decl(pair: Pair<Rule>) -> Result<TableHeader> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let title = string(take(&mut inner, sp)?);
    let (mut year, mut language, mut total, mut pass, mut fail, mut grades, mut bonus) =
        (None, None, None, None, None, None, None);
    let mut attribution = None;
    let mut inputs = Vec::new();
    let mut enums = Vec::new();
    let mut results = Vec::new();
    for entry in inner {
        let at = span(&entry);
        let rule = entry.as_rule();
        match rule {
            Rule::input_decl => inputs.push(input_decl(entry)?),
            Rule::enum_decl => enums.push(enum_decl(entry)?),
            Rule::result_decl => results.push(super::results::result_decl(entry)?),
            Rule::bonus_cap => set_once(&mut bonus, bonus_cap(entry)?, "bonus at most", at)?,
            Rule::attribution_decl => set_once(
                &mut attribution,
                attribution_rule(entry, at)?,
                "attribution",
                at,
            )?,
            Rule::grades_decl => set_once(
                &mut grades,
                parts(entry).map(band).collect::<Result<_>>()?,
                "grades",
                at,
            )?,
            _ => {
                let value = take(&mut parts(entry), at)?;
                match rule {
                    Rule::year_decl => {
                        let y = fullwidth::to_ascii(value.as_str())
                            .parse::<u32>()
                            .map_err(|_| messages::not_a_year(at))?;
                        set_once(&mut year, y, "year", at)?
                    }
                    Rule::language_decl => set_once(&mut language, name(value)?, "language", at)?,
                    Rule::total_decl => set_once(&mut total, number(&value)?, "total", at)?,
                    Rule::pass_decl => set_once(&mut pass, string(value), "pass", at)?,
                    Rule::fail_decl => set_once(&mut fail, string(value), "fail", at)?,
                    _ => return Err(internal(at)),
                }
            }
        }
    }
    Ok(TableHeader {
        title,
        span: sp,
        year,
        language: language.map(|(n, _)| n),
        total,
        pass: pass.map(|(t, _)| t),
        fail: fail.map(|(t, _)| t),
        grades: grades.map(|(g, _)| g),
        bonus_cap: bonus.map(|(b, _)| b),
        attribution,
        inputs,
        enums,
        results,
    })
}

/// `attribution lead` or `attribution shared`.
fn attribution_rule(pair: Pair<Rule>, at: Span) -> Result<crate::ir::Attribution> {
    let rule = take(&mut parts(pair), at)?;
    let word = take(&mut rule.into_inner(), at)?;
    match word.as_rule() {
        Rule::kw_lead => Ok(crate::ir::Attribution::Lead),
        Rule::kw_shared => Ok(crate::ir::Attribution::Shared),
        _ => Err(internal(at)),
    }
}

fn bonus_cap(pair: Pair<Rule>) -> Result<(Decimal, Span)> {
    let sp = span(&pair);
    let value = take(&mut parts(pair), sp)?;
    Ok((number(&value)?, sp))
}

/// The entries shared by sections, indicators and items.
#[derive(Default)]
struct MetaBuilder {
    rule: Option<(Text, Span)>,
    evidence: Option<(Text, Span)>,
    authority: Option<(Text, Span)>,
    responsible: Option<(Vec<Text>, Span)>,
    lead: Option<(Text, Span)>,
    supporting: Option<(Vec<Text>, Span)>,
}

impl MetaBuilder {
    fn add(&mut self, pair: Pair<Rule>) -> Result<()> {
        let entry = take(&mut pair.into_inner(), Span::default())?;
        let at = span(&entry);
        let rule = entry.as_rule();
        let mut values = parts(entry).map(string);
        match rule {
            Rule::rule_meta => set_once(&mut self.rule, take_text(&mut values, at)?, "rule", at),
            Rule::evidence_meta => set_once(
                &mut self.evidence,
                take_text(&mut values, at)?,
                "evidence",
                at,
            ),
            Rule::authority_meta => set_once(
                &mut self.authority,
                take_text(&mut values, at)?,
                "authority",
                at,
            ),
            Rule::responsible => {
                set_once(&mut self.responsible, values.collect(), "responsible", at)
            }
            Rule::lead_meta => set_once(&mut self.lead, take_text(&mut values, at)?, "lead", at),
            Rule::supporting_meta => {
                set_once(&mut self.supporting, values.collect(), "supporting", at)
            }
            _ => Err(internal(at)),
        }
    }

    fn build(self) -> Meta {
        Meta {
            rule: self.rule.map(|(t, _)| t),
            evidence: self.evidence.map(|(t, _)| t),
            authority: self.authority.map(|(t, _)| t),
            responsible: self.responsible.map(|(v, _)| v).unwrap_or_default(),
            lead: self.lead,
            supporting: self.supporting,
        }
    }
}

fn take_text(it: &mut impl Iterator<Item = Text>, at: Span) -> Result<Text> {
    it.next().ok_or_else(|| internal(at))
}

/// What headings of every level share, and their children.
struct HeadingParts<'a> {
    label: Name,
    title: Text,
    points: Option<HeadingPoints>,
    meta: Meta,
    bonus_cap: Option<(Decimal, Span)>,
    deduction_cap: Option<(Decimal, Span)>,
    inputs: Vec<InputDecl>,
    children: Vec<Pair<'a, Rule>>,
}

fn heading(pair: Pair<'_, Rule>) -> Result<HeadingParts<'_>> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let label = label(take(&mut inner, sp)?);
    let title = string(take(&mut inner, sp)?);
    let mut meta = MetaBuilder::default();
    let mut bonus = None;
    let mut deduction_cap = None;
    let mut inputs = Vec::new();
    let mut children = Vec::new();
    let mut points = None;
    for entry in inner {
        match entry.as_rule() {
            Rule::heading_points => points = Some(heading_points(entry)?),
            Rule::meta => meta.add(entry)?,
            Rule::bonus_cap => {
                let at = span(&entry);
                set_once(&mut bonus, bonus_cap(entry)?, "bonus at most", at)?;
            }
            Rule::deduction_cap => {
                let at = span(&entry);
                let (cap, _) = bonus_cap(entry)?;
                set_once(&mut deduction_cap, cap, "deduction at most", at)?;
            }
            Rule::input_decl => inputs.push(input_decl(entry)?),
            Rule::indicator | Rule::level3 | Rule::level4 | Rule::item => children.push(entry),
            _ => return Err(internal(span(&entry))),
        }
    }
    let bonus_cap = bonus.map(|(cap, _)| cap);
    Ok(HeadingParts {
        label,
        title,
        points,
        meta: meta.build(),
        bonus_cap,
        deduction_cap,
        inputs,
        children,
    })
}

/// A heading of `level` (1 a section … 4), with its children.
fn heading_of(pair: Pair<Rule>, level: u8) -> Result<Heading> {
    let h = heading(pair)?;
    let mut headings = Vec::new();
    let mut items = Vec::new();
    for child in h.children {
        if child.as_rule() == Rule::item {
            items.push(item(child)?);
        } else {
            headings.push(heading_of(child, level.saturating_add(1))?);
        }
    }
    Ok(Heading {
        level,
        label: h.label,
        title: h.title,
        points: h.points,
        meta: h.meta,
        bonus_cap: h.bonus_cap,
        deduction_cap: h.deduction_cap,
        inputs: h.inputs,
        headings,
        items,
    })
}

/// `score 40` or `score 40 children sum 38` after a heading's title.
fn heading_points(pair: Pair<Rule>) -> Result<HeadingPoints> {
    let sp = span(&pair);
    let mut nums = parts(pair);
    let points = number(&take(&mut nums, sp)?)?;
    let children = match nums.next() {
        Some(n) => Some((number(&n)?, span(&n))),
        None => None,
    };
    Ok(HeadingPoints {
        points,
        children,
        span: sp,
    })
}

fn item(pair: Pair<Rule>) -> Result<Item> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let label = label(take(&mut inner, sp)?);
    let title = string(take(&mut inner, sp)?);
    let mut meta = MetaBuilder::default();
    let mut it = Item {
        label,
        title,
        kind: None,
        meta: Meta::default(),
        inputs: vec![],
        body: vec![],
        span: sp,
    };
    for entry in inner {
        match entry.as_rule() {
            Rule::item_kind => it.kind = Some(item_kind(entry)?),
            Rule::meta => meta.add(entry)?,
            Rule::input_decl => it.inputs.push(input_decl(entry)?),
            Rule::part => it.body.push(Entry::Part(part(entry)?)),
            Rule::clause => it.body.push(Entry::Clause(clause(entry)?)),
            Rule::judged_decl => super::judged::judged(entry, &mut it.inputs, &mut it.body)?,
            Rule::waiver_decl => it.body.push(Entry::Waiver(super::clauses::waiver(entry)?)),
            Rule::pending_decl => it.body.push(Entry::Pending(pending(entry)?)),
            _ => return Err(internal(span(&entry))),
        }
    }
    it.meta = meta.build();
    Ok(it)
}

/// `rule pending "…"` (待写规则 “…”): a rule not yet written.
fn pending(pair: Pair<Rule>) -> Result<Pending> {
    let sp = span(&pair);
    let sentence = string(take(&mut parts(pair), sp)?);
    Ok(Pending { sentence, span: sp })
}

fn item_kind(pair: Pair<Rule>) -> Result<ItemKind> {
    let sp = span(&pair);
    let mut kws = pair.clone().into_inner();
    if let Some(score) = parts(pair).next() {
        return score_kind(score);
    }
    match kws.next().map(|p| p.as_rule()) {
        Some(Rule::kw_deduction) => Ok(ItemKind::Deduction(sp)),
        Some(Rule::kw_bonus) => Ok(ItemKind::Bonus(sp)),
        Some(Rule::kw_veto) => Ok(ItemKind::Veto(sp)),
        _ => Err(internal(sp)),
    }
}

fn score_kind(pair: Pair<Rule>) -> Result<ItemKind> {
    let sp = span(&pair);
    let mut nums = parts(pair);
    let max = number(&take(&mut nums, sp)?)?;
    let start = nums.next().map(|p| number(&p)).transpose()?;
    Ok(ItemKind::Score {
        max,
        start,
        span: sp,
    })
}

fn part(pair: Pair<Rule>) -> Result<Part> {
    let sp = span(&pair);
    let mut p = Part {
        kind: None,
        name: None,
        at_most: None,
        inputs: vec![],
        body: vec![],
        span: sp,
    };
    for entry in parts(pair) {
        match entry.as_rule() {
            Rule::part_kind => {
                let at = span(&entry);
                p.kind = Some(if has_keyword(&entry, Rule::kw_bonus) {
                    ItemKind::Bonus(at)
                } else {
                    ItemKind::Deduction(at)
                });
            }
            Rule::string => p.name = Some(string(entry)),
            Rule::part_limit => {
                let limit = take(&mut entry.into_inner(), sp)?;
                match limit.as_rule() {
                    Rule::score_kind => p.kind = Some(score_kind(limit)?),
                    _ => p.at_most = Some(at_most(limit)?),
                }
            }
            Rule::input_decl => p.inputs.push(input_decl(entry)?),
            Rule::part => p.body.push(Entry::Part(part(entry)?)),
            Rule::clause => p.body.push(Entry::Clause(clause(entry)?)),
            Rule::judged_decl => super::judged::judged(entry, &mut p.inputs, &mut p.body)?,
            Rule::waiver_decl => p.body.push(Entry::Waiver(super::clauses::waiver(entry)?)),
            Rule::pending_decl => p.body.push(Entry::Pending(pending(entry)?)),
            _ => return Err(internal(span(&entry))),
        }
    }
    Ok(p)
}
