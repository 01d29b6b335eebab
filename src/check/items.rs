//! Items, parts and clauses, and the checks that are about the table as a
//! whole: ids, caps, parts adding up, clause directions, the base total.

use super::Checker;
use super::expr::Cx;
use super::levels::deducts;
use super::messages;
use super::units;
use crate::ir::{self, Block, Guard, Heading, ItemKind, Limit, Node, Role, Sign};
use crate::parse::ast::{self, Entry};
use crate::source::Span;
use crate::t;
use rust_decimal::Decimal;

/// The sections, indicators and items of a program, and the base total.
pub struct Structure {
    pub sections: Vec<Heading>,
    pub indicators: Vec<Heading>,
    pub items: Vec<ir::Item>,
    pub base_total: Decimal,
}

/// What clauses need to know about the item they are in.
pub(super) struct ItemCx {
    pub(super) kind: ItemKind,
    pub(super) id: String,
    /// The item's kind is missing (reported), so checks of its score are skipped.
    pub(super) broken: bool,
}

#[derive(Default)]
pub(super) struct Guards {
    pub(super) exempt: Vec<Guard>,
    pub(super) vetoes: Vec<Guard>,
    /// The item's extra awards (`extra`, check::extra).
    pub(super) extra: Vec<ir::Extra>,
}

impl Checker {
    pub(super) fn structure(&mut self, spec: &ast::Spec) -> Structure {
        let mut out = Structure {
            sections: vec![],
            indicators: vec![],
            items: vec![],
            base_total: Decimal::ZERO,
        };
        let keys = super::keys::keys(spec);
        let key = |list: &[String], at: usize| list.get(at).cloned().unwrap_or_default();
        for s in &spec.sections {
            let section = out.sections.len();
            let mut h = heading(&s.label, &s.title, 0, s.bonus_cap);
            h.key = key(&keys.sections, section);
            out.sections.push(h);
            let mut indicators: Vec<(&str, Decimal)> = vec![];
            for ind in &s.indicators {
                let indicator = out.indicators.len();
                let mut h = heading(&ind.label, &ind.title, section, ind.bonus_cap);
                h.key = key(&keys.indicators, indicator);
                out.indicators.push(h);
                let mut items: Vec<(&str, Decimal)> = vec![];
                for it in &ind.items {
                    let item = self.item(it, indicator, key(&keys.items, out.items.len()));
                    if let ItemKind::Base(max) = item.kind {
                        items.push((&it.label.text, max));
                        match out.base_total.checked_add(max) {
                            Some(t) => out.base_total = t,
                            None => self.report(messages::too_many_points(
                                &it.label,
                                t!("the base scores", "基础分"),
                            )),
                        }
                    }
                    out.items.push(item);
                }
                let (points, sum) =
                    self.heading_points(false, &ind.label, ind.points.as_ref(), &items);
                let deducts = (out.items.iter()).any(|i| i.indicator == indicator && deducts(i));
                let cap =
                    self.deduction_cap(false, &ind.label, ind.deduction_cap, points, sum, deducts);
                if let Some(h) = out.indicators.get_mut(indicator) {
                    h.points = points;
                    h.deduction_cap = cap;
                    h.children_points = sum;
                    indicators.push((&ind.label.text, h.worth()));
                }
            }
            let (points, sum) = self.heading_points(true, &s.label, s.points.as_ref(), &indicators);
            let deducts = (out.items.iter()).any(|i| {
                deducts(i)
                    && out
                        .indicators
                        .get(i.indicator)
                        .is_some_and(|h| h.parent == section)
            });
            let cap = self.deduction_cap(true, &s.label, s.deduction_cap, points, sum, deducts);
            if let Some(h) = out.sections.get_mut(section) {
                h.points = points;
                h.deduction_cap = cap;
                h.children_points = sum;
            }
        }
        out
    }

    fn item(&mut self, it: &ast::Item, indicator: usize, id: String) -> ir::Item {
        let errors_before = self.errors();
        let (kind, role, limit) = self.item_kind(it);
        let broken = it.kind.is_none() && kind != ItemKind::Mixed;
        self.kind_missing |= broken;
        let cx = ItemCx {
            kind,
            id: id.clone(),
            broken,
        };
        let mut guards = Guards::default();
        let mut nodes = self.entries(&it.body, role, &cx, &mut guards);
        nodes.extend(self.judged_block(&it.body, limit, &cx.id));
        let waivers = self.waivers(&it.body, &nodes, &cx);
        self.item_checks(it, &cx, &nodes, &guards);
        let mut rule = it.meta.rule.as_ref().map(|t| t.value.clone());
        if rule.as_deref() == Some("") {
            rule = None;
        }
        let body = Block {
            name: None,
            role,
            limit,
            nodes,
            waivers,
        };
        // A lint on an item with errors would only repeat them.
        if !broken && self.errors() == errors_before {
            self.never_moves(&body, &cx.id);
        }
        ir::Item {
            id,
            label: it.label.text.clone(),
            title: it.title.value.clone(),
            indicator,
            kind,
            rule,
            evidence: it.meta.evidence.as_ref().map(|t| t.value.clone()),
            authority: it.meta.authority.as_ref().map(|t| t.value.clone()),
            responsible: units::responsible(&it.meta),
            lead: it.meta.lead.as_ref().map(|(t, _)| t.value.clone()),
            absent: self.absent_slots(&body, &guards),
            extra: guards.extra,
            exempt: guards.exempt,
            vetoes: guards.vetoes,
            body,
            span: it.label.span.to(it.title.span),
        }
    }

    /// The inputs an item reads (its clauses' and guards' facts) that
    /// declare rules for absent facts, each once.
    fn absent_slots(&self, body: &Block, guards: &Guards) -> Vec<usize> {
        fn walk(b: &Block, out: &mut Vec<usize>) {
            for node in &b.nodes {
                match node {
                    ir::Node::Clause(c) => out.extend(&c.facts),
                    ir::Node::Block(child) => walk(child, out),
                }
            }
            for w in &b.waivers {
                out.extend(&w.facts);
            }
        }
        let mut slots = Vec::new();
        walk(body, &mut slots);
        for g in guards.exempt.iter().chain(&guards.vetoes) {
            slots.extend(&g.facts);
        }
        for e in &guards.extra {
            slots.extend(&e.clause.facts);
        }
        slots.sort_unstable();
        slots.dedup();
        slots.retain(|&s| self.inputs.get(s).is_some_and(|i| !i.absence.is_empty()));
        slots
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
                    self.report(messages::missing_kind(
                        &it.label.text,
                        it.label.span.to(it.title.span),
                    ));
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
                self.report(messages::bad_start(max, s, span));
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
                            self.report(messages::veto_outside_veto_item(&cx.id, c.keyword));
                        }
                        guards.vetoes.push(self.guard(cond, c));
                    }
                    ast::ClauseKind::Exempt(cond) => guards.exempt.push(self.guard(cond, c)),
                    ast::ClauseKind::Extra(s, ceiling) => {
                        let extra = self.extra(c, s, *ceiling, cx);
                        guards.extra.push(extra)
                    }
                },
                // Lowered by its block (`waivers`), once its clauses are known.
                Entry::Waiver(_) => {}
                // Lowered by its block (`judged_block`), which knows its points.
                Entry::Judged(_) => {}
                // A rule not yet written: warned about, kept for the refusal to score.
                Entry::Pending(p) => self.pending_rule(p, &cx.id, &cx.kind, role),
            }
        }
        nodes
    }

    fn guard(&mut self, cond: &ast::Condition, c: &ast::Clause) -> Guard {
        let mut ecx = Cx::default();
        let condition = self.negated_condition(cond, &mut ecx);
        Guard {
            condition,
            reason: self.reason(c),
            facts: ecx.facts,
        }
    }

    pub(super) fn reason(&self, c: &ast::Clause) -> String {
        match &c.reason {
            Some(r) => r.value.clone(),
            None => self.written(c.span),
        }
    }

    fn part(&mut self, p: &ast::Part, role: Role, cx: &ItemCx, guards: &mut Guards) -> Block {
        let (role, mut limit) = match &p.kind {
            Some(ast::ItemKind::Score { max, start, span }) => {
                if role != Role::Base {
                    self.report(messages::scored_part_outside_base(*span));
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
            && let Some(cap) = self.constant(e, t!("a part's cap", "分项的上限"))
        {
            let _ = self.cap_within_item(cap, e.span, cx);
            limit = Limit::AtMost(cap);
        }
        let scored = matches!(limit, Limit::Score { .. });
        if let Limit::Score { max, .. } = limit {
            self.part_max
                .push((max, p.name.as_ref().map(|n| n.value.clone())));
        }
        self.extra_in_part(&p.body, cx);
        let mut nodes = self.entries(&p.body, role, cx, guards);
        let owner = match &p.name {
            Some(n) => format!("{} {}", cx.id, n.value),
            None => cx.id.clone(),
        };
        nodes.extend(self.judged_block(&p.body, limit, &owner));
        let waivers = self.waivers(&p.body, &nodes, cx);
        if scored {
            self.part_max.pop();
        }
        if let Limit::AtMost(_) = limit
            && let (Some(deduct), Some(add)) =
                (first_of(&nodes, Sign::Deduct), first_of(&nodes, Sign::Add))
        {
            self.report(messages::mixed_cap(
                p.at_most.as_ref().map_or(p.span, |e| e.span),
                deduct,
                add,
            ));
        }
        Block {
            name: p.name.as_ref().map(|n| n.value.clone()),
            role,
            limit,
            nodes,
            waivers,
        }
    }

    /// Reports a cap beyond its item's score (K0401) or its part's share
    /// (K0418); true when it reported one.
    pub(super) fn cap_within_item(&mut self, cap: Decimal, span: Span, cx: &ItemCx) -> bool {
        if cx.broken {
            return false;
        }
        if let Some((share, name)) = self.part_max.last().cloned()
            && cap > share
            && !matches!(cx.kind, ItemKind::Base(max) if cap > max)
        {
            let name = name.unwrap_or_default();
            self.report(messages::cap_beyond_part(cap, &name, &cx.id, share, span));
            return true;
        }
        if let ItemKind::Base(max) = cx.kind
            && cap > max
        {
            self.report(messages::cap_exceeds_score(cap, &cx.id, max, span));
            return true;
        }
        false
    }
}

fn heading(
    label: &ast::Name,
    title: &ast::Text,
    parent: usize,
    cap: Option<(Decimal, Span)>,
) -> Heading {
    Heading {
        key: label.text.clone(),
        label: label.text.clone(),
        title: title.value.clone(),
        parent,
        bonus_cap: cap.map(|(c, _)| c),
        deduction_cap: None,
        points: None,
        children_points: Decimal::ZERO,
    }
}

/// The span of the first clause (looking into blocks) with the given sign.
pub(super) fn first_of(nodes: &[Node], sign: Sign) -> Option<Span> {
    nodes.iter().find_map(|n| match n {
        Node::Clause(c) if c.sign == sign => Some(c.span),
        Node::Clause(_) => None,
        Node::Block(b) => first_of(&b.nodes, sign),
    })
}
