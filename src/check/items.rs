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

/// The headings (every level, in table order) and items of a program, and
/// the base total.
pub struct Structure {
    pub headings: Vec<Heading>,
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
            headings: vec![],
            items: vec![],
            base_total: Decimal::ZERO,
        };
        let keys = super::keys::keys(spec);
        // Items directly under the table (a table of one level) come first
        // in the order of keys::keys.
        let mut item_keys = keys.items.into_iter();
        let mut heading_keys = keys.headings.into_iter();
        if let (Some(it), Some(s)) = (spec.items.first(), spec.sections.first()) {
            self.report(super::messages::table_holds_both(&it.label, &s.label));
        }
        for it in &spec.items {
            let key = item_keys.next().unwrap_or_default();
            self.push_item(it, None, key, &mut out);
        }
        for s in &spec.sections {
            self.heading_tree(s, None, &mut heading_keys, &mut item_keys, &mut out);
        }
        out
    }

    /// A heading of any level and, below it, its items or headings; its
    /// points and deduction ceiling checked against its children. Returns
    /// its index.
    fn heading_tree(
        &mut self,
        h: &ast::Heading,
        parent: Option<usize>,
        heading_keys: &mut impl Iterator<Item = String>,
        item_keys: &mut impl Iterator<Item = String>,
        out: &mut Structure,
    ) -> usize {
        let at = out.headings.len();
        // The heading's items, its own and its descendants', are pushed
        // from here on, in table order: `out.items[first_item..]` below.
        let first_item = out.items.len();
        let mut ir_h = heading(h, parent);
        ir_h.key = heading_keys.next().unwrap_or_default();
        out.headings.push(ir_h);
        if !h.items.is_empty()
            && let Some(first) = h.headings.first()
        {
            self.report(super::messages::heading_holds_both(
                h.level,
                &h.label,
                &first.label,
            ));
        }
        let mut children: Vec<(&str, Decimal)> = vec![];
        for it in &h.items {
            let key = item_keys.next().unwrap_or_default();
            if let ItemKind::Base(max) = self.push_item(it, Some(at), key, out) {
                children.push((&it.label.text, max));
            }
        }
        for c in &h.headings {
            let child = self.heading_tree(c, Some(at), heading_keys, item_keys, out);
            if let Some(ch) = out.headings.get(child) {
                children.push((&c.label.text, ch.worth()));
            }
        }
        let (points, sum) = self.heading_points(h.level, &h.label, h.points.as_ref(), &children);
        let deducts = (out.items.get(first_item..).unwrap_or_default())
            .iter()
            .any(deducts);
        let cap = self.deduction_cap(h.level, &h.label, h.deduction_cap, points, sum, deducts);
        if let Some(ir_h) = out.headings.get_mut(at) {
            ir_h.points = points;
            ir_h.deduction_cap = cap;
            ir_h.children_points = sum;
        }
        at
    }

    /// An item checked and added, with the base total; its kind.
    fn push_item(
        &mut self,
        it: &ast::Item,
        heading: Option<usize>,
        key: String,
        out: &mut Structure,
    ) -> ItemKind {
        let item = self.item(it, heading, key);
        let kind = item.kind;
        if let ItemKind::Base(max) = item.kind {
            match out.base_total.checked_add(max) {
                Some(t) => out.base_total = t,
                None => self.report(messages::too_many_points(
                    &it.label,
                    t!("the base scores", "基础分"),
                )),
            }
        }
        out.items.push(item);
        kind
    }

    fn item(&mut self, it: &ast::Item, heading: Option<usize>, id: String) -> ir::Item {
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
            bounds: ir::Bounds::of_body(&limit, kind),
        };
        // A lint on an item with errors would only repeat them.
        if !broken && self.errors() == errors_before {
            self.never_moves(&body, &cx.id);
        }
        ir::Item {
            id,
            label: it.label.text.clone(),
            title: it.title.value.clone(),
            heading,
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
            bounds: ir::Bounds::of(&limit),
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

fn heading(h: &ast::Heading, parent: Option<usize>) -> Heading {
    Heading {
        key: h.label.text.clone(),
        label: h.label.text.clone(),
        title: h.title.value.clone(),
        level: h.level,
        parent,
        bonus_cap: h.bonus_cap.map(|(c, _)| c),
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
