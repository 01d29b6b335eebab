//! Items, parts and clauses, and the checks that are about the table as a
//! whole: ids, caps, parts adding up, clause directions, the base total.

use super::Checker;
use super::expr::Cx;
use super::ir::{
    self, Amount, Block, Expr, Gap, Guard, Heading, ItemKind, Limit, Node, Role, Sign, Unit, Value,
};
use super::types::{Clash, T, U, type_name, unify, unit_name};
use crate::diagnostic::{Code, Diagnostic};
use crate::parse::ast::{self, Entry};
use crate::source::Span;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The sections, indicators and items of a program, and the base total.
pub struct Structure {
    pub sections: Vec<Heading>,
    pub indicators: Vec<Heading>,
    pub items: Vec<ir::Item>,
    pub base_total: Decimal,
}

/// What clauses need to know about the item they are in.
struct ItemCx {
    kind: ItemKind,
    id: String,
    /// The item's kind is missing (reported), so checks of its score are skipped.
    broken: bool,
}

#[derive(Default)]
struct Guards {
    exempt: Vec<Guard>,
    vetoes: Vec<Guard>,
}

impl Checker {
    pub(super) fn structure(&mut self, spec: &ast::Spec) -> Structure {
        let mut out = Structure {
            sections: vec![],
            indicators: vec![],
            items: vec![],
            base_total: Decimal::ZERO,
        };
        for s in &spec.sections {
            let section = out.sections.len();
            out.sections
                .push(heading(&s.label, &s.title, 0, s.bonus_cap));
            for ind in &s.indicators {
                let indicator = out.indicators.len();
                out.indicators
                    .push(heading(&ind.label, &ind.title, section, ind.bonus_cap));
                for it in &ind.items {
                    let item = self.item(it, indicator);
                    if let ItemKind::Base(max) = item.kind {
                        out.base_total += max;
                    }
                    out.items.push(item);
                }
            }
        }
        out
    }

    fn item(&mut self, it: &ast::Item, indicator: usize) -> ir::Item {
        let (kind, role, limit) = self.item_kind(it);
        let broken = it.kind.is_none() && kind != ItemKind::Mixed;
        self.kind_missing |= broken;
        let cx = ItemCx {
            kind,
            id: it.label.text.clone(),
            broken,
        };
        let mut guards = Guards::default();
        let nodes = self.entries(&it.body, role, &cx, &mut guards);
        self.item_checks(it, &cx, &nodes, &guards);
        let mut rule = it.meta.rule.as_ref().map(|t| t.value.clone());
        if rule.as_deref() == Some("") {
            rule = None;
        }
        ir::Item {
            id: it.label.text.clone(),
            title: it.title.value.clone(),
            indicator,
            kind,
            rule,
            evidence: it.meta.evidence.as_ref().map(|t| t.value.clone()),
            authority: it.meta.authority.as_ref().map(|t| t.value.clone()),
            responsible: it
                .meta
                .responsible
                .iter()
                .map(|t| t.value.clone())
                .collect(),
            exempt: guards.exempt,
            vetoes: guards.vetoes,
            body: Block {
                name: None,
                role,
                limit,
                nodes,
            },
            span: it.label.span.to(it.title.span),
        }
    }

    fn item_kind(&mut self, it: &ast::Item) -> (ItemKind, Role, Limit) {
        match &it.kind {
            Some(ast::ItemKind::Score { max, start, span }) => {
                let start = self.start(*max, *start, *span);
                (
                    ItemKind::Base(*max),
                    Role::Base,
                    Limit::Score { max: *max, start },
                )
            }
            Some(ast::ItemKind::Deduction(_)) => {
                (ItemKind::Deduction, Role::Deduction, Limit::None)
            }
            Some(ast::ItemKind::Bonus(_)) => (ItemKind::Bonus, Role::Bonus, Limit::None),
            Some(ast::ItemKind::Veto(_)) => (ItemKind::Veto, Role::Base, Limit::None),
            None => {
                let kinded = |e: &Entry| matches!(e, Entry::Part(p) if matches!(p.kind, Some(ast::ItemKind::Deduction(_) | ast::ItemKind::Bonus(_))));
                if !it.body.is_empty() && it.body.iter().all(kinded) {
                    (ItemKind::Mixed, Role::Deduction, Limit::None)
                } else {
                    self.report(
                        Diagnostic::new(Code::MissingKind, format!("item {} does not say what it is worth", it.label.text))
                            .at(it.label.span.to(it.title.span), "no score or kind")
                            .with_help("after the title write `score N` for a base item, or `deduction`, `bonus` or `veto`; a row with both deductions and bonuses has only parts, each `part deduction \"…\" { … }` or `part bonus \"…\" { … }`"),
                    );
                    (
                        ItemKind::Base(Decimal::ZERO),
                        Role::Base,
                        Limit::Score {
                            max: Decimal::ZERO,
                            start: Decimal::ZERO,
                        },
                    )
                }
            }
        }
    }

    /// Where a scored item or part starts: full, or 0 with `from 0`.
    fn start(&mut self, max: Decimal, start: Option<Decimal>, span: Span) -> Decimal {
        match start {
            None => max,
            Some(s) if s.is_zero() || s == max => s,
            Some(s) => {
                self.report(
                    Diagnostic::new(Code::BadStart, format!("a score of {max} can start at 0 or at {max}, not at {s}"))
                        .at(span, "unsupported start")
                        .with_help("write `from 0` for a score earned up from zero, or nothing for one that starts full"),
                );
                max
            }
        }
    }

    fn entries(
        &mut self,
        body: &[Entry],
        role: Role,
        cx: &ItemCx,
        guards: &mut Guards,
    ) -> Vec<Node> {
        let mut nodes = Vec::new();
        for entry in body {
            match entry {
                Entry::Part(p) => nodes.push(Node::Block(self.part(p, role, cx, guards))),
                Entry::Clause(c) => match &c.kind {
                    ast::ClauseKind::Deduct(s) => {
                        nodes.push(Node::Clause(self.clause(c, s, Sign::Deduct, role, cx)))
                    }
                    ast::ClauseKind::Add(s) => {
                        nodes.push(Node::Clause(self.clause(c, s, Sign::Add, role, cx)))
                    }
                    ast::ClauseKind::Veto(cond) => {
                        if cx.kind != ItemKind::Veto {
                            self.report(
                                Diagnostic::new(
                                    Code::MisplacedVeto,
                                    format!(
                                        "item {} has a veto clause but is not a veto item",
                                        cx.id
                                    ),
                                )
                                .at(c.keyword, "veto here")
                                .with_help(
                                    "give the veto its own item, with `veto` after its title",
                                ),
                            );
                        }
                        guards.vetoes.push(self.guard(cond, c));
                    }
                    ast::ClauseKind::Exempt(cond) => guards.exempt.push(self.guard(cond, c)),
                },
            }
        }
        nodes
    }

    fn guard(&mut self, cond: &ast::Condition, c: &ast::Clause) -> Guard {
        let mut ecx = Cx::default();
        let e = self.condition(&cond.expr, &mut ecx);
        let condition = if cond.negated {
            Expr::Not(Box::new(e))
        } else {
            e
        };
        Guard {
            condition,
            reason: self.reason(c),
            facts: ecx.facts,
        }
    }

    fn reason(&self, c: &ast::Clause) -> String {
        match &c.reason {
            Some(r) => r.value.clone(),
            None => self.written(c.span),
        }
    }

    fn part(&mut self, p: &ast::Part, role: Role, cx: &ItemCx, guards: &mut Guards) -> Block {
        let (role, mut limit) = match &p.kind {
            Some(ast::ItemKind::Score { max, start, span }) => {
                if role != Role::Base {
                    self.report(
                        Diagnostic::new(
                            Code::WrongDirection,
                            "a part with a score belongs in a base item",
                        )
                        .at(*span, "a share of a base score")
                        .with_help(
                            "in a deduction or bonus item, cap a group with `at most N` instead",
                        ),
                    );
                }
                (
                    Role::Base,
                    Limit::Score {
                        max: *max,
                        start: self.start(*max, *start, *span),
                    },
                )
            }
            Some(ast::ItemKind::Deduction(_)) => (Role::Deduction, Limit::None),
            Some(ast::ItemKind::Bonus(_)) => (Role::Bonus, Limit::None),
            _ => (role, Limit::None),
        };
        if let Some(e) = &p.at_most
            && let Some(cap) = self.constant(e, "a part's cap")
        {
            self.cap_within_item(cap, e.span, cx);
            limit = Limit::AtMost(cap);
        }
        let nodes = self.entries(&p.body, role, cx, guards);
        if let Limit::AtMost(_) = limit
            && let (Some(deduct), Some(add)) =
                (first_of(&nodes, Sign::Deduct), first_of(&nodes, Sign::Add))
        {
            self.report(
                Diagnostic::new(Code::MixedCap, "this cap closes a group that both adds and deducts")
                    .at(p.at_most.as_ref().map_or(p.span, |e| e.span), "cap of a mixed group")
                    .with_label(deduct, "deducts")
                    .with_label(add, "adds")
                    .with_help("to net additions against deductions within bounds, make it a part with `score N from 0`"),
            );
        }
        Block {
            name: p.name.as_ref().map(|n| n.value.clone()),
            role,
            limit,
            nodes,
        }
    }

    fn cap_within_item(&mut self, cap: Decimal, span: Span, cx: &ItemCx) {
        if cx.broken {
            return;
        }
        if let ItemKind::Base(max) = cx.kind
            && cap > max
        {
            self.report(
                Diagnostic::new(
                    Code::CapExceedsScore,
                    format!(
                        "a cap of {cap} is more than item {}'s whole score of {max}",
                        cx.id
                    ),
                )
                .at(span, "larger than the item")
                .with_help(format!(
                    "a clause cannot take more than the item has; lower the cap to at most {max}"
                )),
            );
        }
    }

    /// A number written as a literal, such as a cap.
    fn constant(&mut self, e: &ast::Expr, what: &str) -> Option<Decimal> {
        match &e.kind {
            ast::ExprKind::Number(v, None) => Some(*v),
            _ => {
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        format!("{what} must be a number of points written out, such as 3"),
                    )
                    .at(e.span, "not a plain number"),
                );
                None
            }
        }
    }

    fn clause(
        &mut self,
        c: &ast::Clause,
        s: &ast::Scoring,
        sign: Sign,
        role: Role,
        cx: &ItemCx,
    ) -> ir::Clause {
        let wrong = match (sign, role) {
            (Sign::Add, Role::Deduction) => Some("adds points in a deduction item"),
            (Sign::Deduct, Role::Bonus) => Some("deducts points in a bonus item"),
            _ => None,
        };
        if let Some(what) = wrong {
            self.report(
                Diagnostic::new(Code::WrongDirection, format!("this clause {what} ({})", cx.id))
                    .at(c.keyword, "wrong direction")
                    .with_help("deduction items only deduct and bonus items only add; a row with both is written as two parts: `part deduction {…}` and `part bonus {…}`"),
            );
        }
        let mut ecx = Cx::default();
        let condition = s.condition.as_ref().map(|cond| {
            let e = self.condition(&cond.expr, &mut ecx);
            if cond.negated {
                Expr::Not(Box::new(e))
            } else {
                e
            }
        });
        let amount = match &s.amount {
            ast::Amount::Fixed(e) => Amount::Fixed(self.points(e, &mut ecx)),
            ast::Amount::Per(p) => self.per(p, &mut ecx),
            ast::Amount::Each(e) => self.each(e, &s.caps, &mut ecx),
        };
        let mut cap = None;
        for k in &s.caps {
            if k.per.is_some() {
                if !matches!(s.amount, ast::Amount::Each(_)) {
                    self.report(
                        Diagnostic::new(
                            Code::TypeMismatch,
                            "`at most … per …` caps groups of records, so it needs `each`",
                        )
                        .at(k.span, "no records to group")
                        .with_help("write `deduct each x in list: …, at most N per x.key`"),
                    );
                }
                continue;
            }
            if cap.is_some() {
                self.report(
                    Diagnostic::new(Code::DuplicateEntry, "the clause has two overall caps")
                        .at(k.span, "second cap")
                        .with_help("keep the one the table states"),
                );
            }
            cap = self.constant(&k.limit, "a cap");
            if let Some(v) = cap {
                self.cap_within_item(v, k.limit.span, cx);
            }
        }
        ir::Clause {
            sign,
            amount,
            cap,
            condition,
            reason: self.reason(c),
            facts: ecx.facts,
            span: c.span,
        }
    }

    /// An amount of points.
    fn points(&mut self, e: &ast::Expr, ecx: &mut Cx) -> Expr {
        let (ir, unit) = self.number_expr(e, ecx, "an amount of points");
        if let Some((u, _)) = unit
            && !matches!(u, U::Bare | U::Known(Unit::Plain))
        {
            self.report(
                    Diagnostic::new(Code::UnitMismatch, format!("an amount is in points, but this is in {}", unit_name(&u)))
                        .at(e.span, "not points")
                        .with_help("to take points per unit of a quantity, write `deduct 0.5 per continuous 1μg/m³ of x above target`"),
                );
        }
        ir
    }

    fn per(&mut self, p: &ast::PerAmount, ecx: &mut Cx) -> Amount {
        let rate = self.points(&p.rate, ecx);
        let (quantity, qu) = self.number_expr(&p.quantity, ecx, "what `per` counts");
        let mut gap = None;
        let mut unit = qu.clone();
        if let Some((dir, e)) = &p.gap {
            if let ast::ExprKind::Str(_) = e.kind {
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        "the threshold after `above` or `below` is a text, not a number",
                    )
                    .at(e.span, "read as the threshold")
                    .with_help(
                        "write the number first, then the reason: `below 2 \"少一次扣0.5分\"`",
                    ),
                );
                return Amount::Fixed(Expr::Const(Value::Num(Decimal::ZERO)));
            }
            let (threshold, tu) = self.number_expr(e, ecx, "the threshold");
            let dir = match dir {
                ast::GapDir::Above => Gap::Above,
                ast::GapDir::Below => Gap::Below,
            };
            gap = Some((dir, threshold));
            unit = match (qu, tu) {
                (Some((U::Known(Unit::Percent), qi)), Some((U::Known(Unit::Percent), ti))) => {
                    Some((U::Known(Unit::Points), qi && ti))
                }
                (Some((q, qi)), Some((t, ti))) => {
                    let zero = matches!(&e.kind, ast::ExprKind::Number(v, None) if v.is_zero());
                    match unify(&q, &t, zero) {
                        Ok(u) => Some((u, qi && ti)),
                        Err(c) => {
                            self.unit_clash(c, &q, &t, p.quantity.span, e.span);
                            None
                        }
                    }
                }
                _ => None,
            };
        }
        let Some((unit, integral)) = unit else {
            return Amount::Per {
                rate,
                step: Decimal::ONE,
                whole: true,
                quantity,
                gap,
            };
        };
        let step = match &p.step {
            Some(s) => {
                let (ir, st) = self.expr(s, ecx);
                if let T::Num { unit: su, .. } = &st
                    && let Err(c) = unify(&unit, su, false)
                {
                    self.step_clash(c, &unit, su, s.span);
                }
                match ir {
                    Expr::Const(Value::Num(v)) => v,
                    _ => Decimal::ONE,
                }
            }
            None => {
                if matches!(unit, U::Known(Unit::Percent | Unit::Points)) {
                    self.report(
                        Diagnostic::new(Code::BareRate, "a step of a percentage must be written with its unit")
                            .at(p.quantity.span, format!("counted in {}", unit_name(&unit)))
                            .with_help("write the step before `of`, such as `per whole 5pp of rate below 100%`"),
                    );
                }
                Decimal::ONE
            }
        };
        if step <= Decimal::ZERO {
            self.report(
                Diagnostic::new(Code::DivideByZero, "a step must be more than zero")
                    .at(p.step.as_ref().map_or(p.span, |s| s.span), "not a step"),
            );
        }
        let whole = match p.rounding {
            Some((ast::Rounding::Whole, _)) => true,
            Some((ast::Rounding::Continuous, _)) => false,
            None => {
                if !(integral && step.fract().is_zero()) {
                    self.report(
                        Diagnostic::new(Code::RoundingUnstated, "this rule does not say how a part of a step counts")
                            .at(p.quantity.span, format!("{} is not a whole count", unit_name(&unit)))
                            .with_help("write `per continuous …` when a gap of 1.5 counts 1.5 steps, or `per whole …` when it counts 1"),
                    );
                }
                true
            }
        };
        Amount::Per {
            rate,
            step,
            whole,
            quantity,
            gap,
        }
    }

    fn unit_clash(&mut self, c: Clash, q: &U, t: &U, qs: Span, ts: Span) {
        let code = match c {
            Clash::BareRate => Code::BareRate,
            Clash::RateVsPoints => Code::RateVsPoints,
            Clash::Mismatch => Code::UnitMismatch,
        };
        self.report(
            Diagnostic::new(
                code,
                format!("{} is measured against {}", unit_name(q), unit_name(t)),
            )
            .at(ts, unit_name(t))
            .with_label(qs, unit_name(q))
            .with_help(
                "a threshold is in the same unit as what it limits; write percentages with %",
            ),
        );
    }

    fn step_clash(&mut self, c: Clash, gap: &U, step: &U, span: Span) {
        let (code, help) = match c {
            Clash::RateVsPoints => (
                Code::RateVsPoints,
                "the gap between two rates is in percentage points: write the step with pp, such as 5pp",
            ),
            Clash::BareRate => (
                Code::BareRate,
                "write the step with its unit, such as 0.1pp",
            ),
            Clash::Mismatch => (
                Code::UnitMismatch,
                "write the step in the unit of the quantity",
            ),
        };
        self.report(
            Diagnostic::new(
                code,
                format!(
                    "the step is in {}, but the gap is in {}",
                    unit_name(step),
                    unit_name(gap)
                ),
            )
            .at(span, "this step")
            .with_help(help),
        );
    }

    fn each(&mut self, e: &ast::EachAmount, caps: &[ast::Cap], ecx: &mut Cx) -> Amount {
        let Some(list) = self.list_slot(&e.list, ecx) else {
            return Amount::Fixed(Expr::Const(Value::Num(Decimal::ZERO)));
        };
        ecx.bindings.push((e.var.text.clone(), list));
        let filter = e.filter.as_ref().map(|f| self.condition(f, ecx));
        let once_per = e.once_per.as_ref().map(|k| self.key(k, ecx));
        let value = self.points(&e.value, ecx);
        let mut group_caps = Vec::new();
        for cap in caps {
            let Some(per) = &cap.per else { continue };
            let key = self.key(per, ecx);
            if !group_caps.is_empty() {
                self.report(
                    Diagnostic::new(
                        Code::DuplicateEntry,
                        "a clause can cap one grouping of its records",
                    )
                    .at(cap.span, "second `at most … per`")
                    .with_help("keep one `at most N per KEY`, and one overall `at most N`"),
                );
            }
            if let Some(limit) = self.constant(&cap.limit, "a cap") {
                group_caps.push((limit, key));
            }
        }
        ecx.bindings.pop();
        Amount::Each(Box::new(ir::Each {
            list,
            filter,
            once_per,
            value,
            group_caps,
        }))
    }

    /// A value records are grouped by.
    fn key(&mut self, e: &ast::Expr, ecx: &mut Cx) -> Expr {
        let (ir, t) = self.expr(e, ecx);
        if matches!(t, T::Record | T::List(_)) {
            let found = type_name(&t, &self.enums);
            self.report(
                Diagnostic::new(
                    Code::TypeMismatch,
                    format!("records are grouped by a single value, but this is {found}"),
                )
                .at(e.span, "not a key"),
            );
        }
        ir
    }

    fn item_checks(&mut self, it: &ast::Item, cx: &ItemCx, nodes: &[Node], guards: &Guards) {
        let head = it.label.span.to(it.title.span);
        if cx.broken {
            return;
        }
        if cx.kind == ItemKind::Veto {
            if guards.vetoes.is_empty() {
                self.report(
                    Diagnostic::new(
                        Code::MisplacedVeto,
                        format!("veto item {} has no `veto if …` clause", cx.id),
                    )
                    .at(head, "never vetoes")
                    .with_help("write `veto if CONDITION \"reason\"`"),
                );
            }
            if let Some(first) = first_scoring(&it.body) {
                self.report(
                    Diagnostic::new(
                        Code::MisplacedVeto,
                        format!("veto item {} also scores points", cx.id),
                    )
                    .at(first, "a veto item only vetoes")
                    .with_label(head, "a veto item")
                    .with_help("put the scoring clauses in an item of their own"),
                );
            }
            return;
        }
        if let ItemKind::Base(max) = cx.kind {
            self.parts_add_up(it, cx, max);
            let scored_parts = it.body.iter().any(|e| matches!(e, Entry::Part(p) if matches!(p.kind, Some(ast::ItemKind::Score { .. }))));
            if let Some(ast::ItemKind::Score {
                start: Some(s),
                span,
                ..
            }) = &it.kind
                && s.is_zero()
                && scored_parts
            {
                self.report(
                    Diagnostic::new(
                        Code::BadStart,
                        format!(
                            "item {} has scored parts, so it starts from them, not from 0",
                            cx.id
                        ),
                    )
                    .at(*span, "remove `from 0` here")
                    .with_help("put `from 0` on the parts that earn up from zero"),
                );
            }
            if nodes.is_empty() && guards.exempt.is_empty() && guards.vetoes.is_empty() {
                self.report(
                    Diagnostic::new(Code::EmptyItem, format!("item {} has no scoring clauses (deduct, add), so every unit scores it in full", cx.id))
                        .at(head, "no clauses")
                        .with_help("add the deductions the table states, such as `deduct 1 unless done`"),
                );
            }
        }
    }

    /// The shares of an item's scored parts must add up to its score.
    fn parts_add_up(&mut self, it: &ast::Item, cx: &ItemCx, max: Decimal) {
        let shares: Vec<(Decimal, Span)> = it
            .body
            .iter()
            .filter_map(|e| match e {
                Entry::Part(ast::Part {
                    kind: Some(ast::ItemKind::Score { max, span, .. }),
                    ..
                }) => Some((*max, *span)),
                _ => None,
            })
            .collect();
        let sum: Decimal = shares.iter().map(|(m, _)| m).sum();
        if shares.is_empty() || sum == max {
            return;
        }
        let listed = shares
            .iter()
            .map(|(m, _)| m.to_string())
            .collect::<Vec<_>>()
            .join(" + ");
        let at = match &it.kind {
            Some(ast::ItemKind::Score { span, .. }) => *span,
            _ => it.label.span,
        };
        let mut d = Diagnostic::new(
            Code::PartsDoNotAddUp,
            format!(
                "the parts of item {} add up to {sum}, but the item is worth {max}",
                cx.id
            ),
        )
        .at(at, format!("worth {max}"))
        .with_note(format!("the parts: {listed} = {sum}"))
        .with_help("make the parts' scores add up to the item's, as the table splits it");
        for (m, span) in shares {
            d = d.with_label(span, format!("a part worth {m}"));
        }
        self.report(d);
    }

    pub(super) fn table_checks(&mut self, spec: &ast::Spec, s: &Structure) {
        let mut seen: HashMap<(&str, String), Span> = HashMap::new();
        let mut dup = |c: &mut Checker, what: &'static str, name: &ast::Name| {
            if let Some(first) = seen.get(&(what, name.text.clone())) {
                c.report(
                    Diagnostic::new(
                        Code::DuplicateId,
                        format!("two {what}s have the id {}", name.text),
                    )
                    .at(name.span, "used again here")
                    .with_label(*first, "first used here")
                    .with_help("ids follow the table's numbering and are unique"),
                );
            } else {
                seen.insert((what, name.text.clone()), name.span);
            }
        };
        for sec in &spec.sections {
            dup(self, "section", &sec.label);
            for ind in &sec.indicators {
                dup(self, "indicator", &ind.label);
                for it in &ind.items {
                    dup(self, "item", &it.label);
                }
            }
        }
        if s.items.is_empty() {
            self.report(
                Diagnostic::new(Code::NoItems, "the spec has no items, so it scores nothing")
                    .with_help("write the table's sections, indicators and items: `section 一 \"…\" { indicator 1 \"…\" { item 1.1 \"…\" score 3 { … } } }`"),
            );
        }
        if let Some((declared, span)) = spec.header.as_ref().and_then(|h| h.total)
            && declared != s.base_total
            && !self.kind_missing
        {
            self.report(
                Diagnostic::new(
                    Code::TotalMismatch,
                    format!(
                        "the base items add up to {}, but the table's total is {declared}",
                        s.base_total
                    ),
                )
                .at(span, format!("declared {declared}"))
                .with_note(format!(
                    "the spec's base items ({}) are worth {} together",
                    s.items
                        .iter()
                        .filter(|i| matches!(i.kind, ItemKind::Base(_)))
                        .count(),
                    s.base_total
                ))
                .with_help("check each item's `score` against the table, or correct the `total`"),
            );
        }
        let unused: Vec<usize> = self
            .used
            .iter()
            .enumerate()
            .filter(|(_, u)| !**u)
            .map(|(i, _)| i)
            .filter(|&i| {
                self.inputs
                    .get(i)
                    .is_none_or(|input| !self.suggested.contains(&input.name))
            })
            .collect();
        for slot in unused {
            let Some(input) = self.inputs.get(slot) else {
                continue;
            };
            let d = Diagnostic::new(
                Code::UnusedInput,
                format!("input `{}` is declared but no rule uses it", input.name),
            )
            .at(input.span, "never used")
            .with_help("use it in a clause, or remove it so that data clerks are not asked for it");
            self.report(d);
        }
    }
}

fn heading(
    label: &ast::Name,
    title: &ast::Text,
    parent: usize,
    cap: Option<(Decimal, Span)>,
) -> Heading {
    Heading {
        label: label.text.clone(),
        title: title.value.clone(),
        parent,
        bonus_cap: cap.map(|(c, _)| c),
    }
}

/// The first deduct or add clause of a body, looking into parts.
fn first_scoring(body: &[Entry]) -> Option<Span> {
    body.iter().find_map(|e| match e {
        Entry::Clause(c)
            if matches!(c.kind, ast::ClauseKind::Deduct(_) | ast::ClauseKind::Add(_)) =>
        {
            Some(c.span)
        }
        Entry::Part(p) => first_scoring(&p.body),
        Entry::Clause(_) => None,
    })
}

/// The span of the first clause (looking into blocks) with the given sign.
fn first_of(nodes: &[Node], sign: Sign) -> Option<Span> {
    nodes.iter().find_map(|n| match n {
        Node::Clause(c) if c.sign == sign => Some(c.span),
        Node::Clause(_) => None,
        Node::Block(b) => first_of(&b.nodes, sign),
    })
}
