//! The checks about an item and the table as a whole: veto items, parts
//! adding up, ids, the base total, unused inputs, bonus ceilings and
//! clauses that never move a score.

use super::Checker;
use super::items::{Guards, ItemCx, Structure};
use super::messages;
use crate::ir::{self, Block, ItemKind, Limit, Node, Role, Sign};
use crate::parse::ast::{self, Entry};
use crate::source::Span;
use crate::t;
use rust_decimal::Decimal;
use std::collections::HashMap;

impl Checker {
    pub(super) fn item_checks(
        &mut self,
        it: &ast::Item,
        cx: &ItemCx,
        nodes: &[Node],
        guards: &Guards,
    ) {
        let head = it.label.span.to(it.title.span);
        if cx.broken {
            return;
        }
        // A rule not yet written is warned about on its own (K0490).
        let pending = it.body.iter().any(|e| matches!(e, Entry::Pending(_)));
        if cx.kind == ItemKind::Veto {
            if guards.vetoes.is_empty() && !pending {
                self.report(messages::veto_item_never_vetoes(&cx.id, head));
            }
            if let Some(first) = first_scoring(&it.body) {
                self.report(messages::veto_item_scores(&cx.id, first, head));
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
                self.report(messages::from_zero_with_scored_parts(&cx.id, *span));
            }
            if nodes.is_empty() && guards.exempt.is_empty() && guards.vetoes.is_empty() && !pending
            {
                self.report(messages::empty_item(&cx.id, head));
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
        let Some(sum) = shares
            .iter()
            .try_fold(Decimal::ZERO, |s, (m, _)| s.checked_add(*m))
        else {
            self.report(messages::too_many_points(
                &it.label,
                t!("the parts' scores", "各分项分值"),
            ));
            return;
        };
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
        self.report(messages::parts_do_not_add_up(
            &cx.id, sum, max, &listed, &shares, at,
        ));
    }

    pub(super) fn table_checks<'a>(&mut self, spec: &'a ast::Spec, s: &Structure) {
        // Ids are told apart by their key (一、 and 一 are one key), within
        // their parent: a table may restart its numbering in each section
        // (check::keys gives such ids a path as their key).
        let mut seen: HashMap<(usize, &str, String), &ast::Name> = HashMap::new();
        let mut dup = |c: &mut Checker, parent: usize, what: &'static str, name: &'a ast::Name| {
            let key = crate::parse::fullwidth::label_key(&name.text).to_string();
            match seen.get(&(parent, what, key.clone())) {
                Some(first) if first.text == name.text => c.report(messages::duplicate_id(
                    what, &name.text, name.span, first.span,
                )),
                Some(first) => c.report(messages::label_key_clash(
                    what,
                    &name.text,
                    &first.text,
                    &key,
                    name.span,
                    first.span,
                )),
                None => {
                    seen.insert((parent, what, key), name);
                }
            }
        };
        // Parents are numbered 0 for the table, then 1 + the heading's
        // index in table order.
        for it in &spec.items {
            dup(self, 0, "item", &it.label);
        }
        let mut next = 0;
        let mut stack: Vec<(usize, &'a ast::Heading)> =
            spec.sections.iter().rev().map(|h| (0, h)).collect();
        while let Some((parent, h)) = stack.pop() {
            next += 1;
            let what = match h.level {
                1 => "section",
                2 => "indicator",
                3 => "third-level indicator",
                _ => "fourth-level indicator",
            };
            dup(self, parent, what, &h.label);
            for it in &h.items {
                dup(self, next, "item", &it.label);
            }
            stack.extend(h.headings.iter().rev().map(|c| (next, c)));
        }
        if s.items.is_empty() {
            self.report(messages::no_items());
        }
        // What the sections are worth: the base total, unless a heading
        // declares more points than its children carry (`children sum`).
        // (Items directly under the table, in a table of one level, are
        // worth their own points.)
        let top_items = (s.items.iter()).filter_map(|i| match i.kind {
            ItemKind::Base(max) if i.heading.is_none() => Some(max),
            _ => None,
        });
        let worth = (s.headings.iter().filter(|h| h.parent.is_none()))
            .map(|h| h.worth())
            .chain(top_items)
            .try_fold(Decimal::ZERO, |sum, p| sum.checked_add(p))
            .unwrap_or(s.base_total);
        if let Some((declared, span)) = spec.header.as_ref().and_then(|h| h.total)
            && declared != worth
            && !self.kind_missing
        {
            let base_items = s
                .items
                .iter()
                .filter(|i| matches!(i.kind, ItemKind::Base(_)))
                .count();
            self.report(messages::total_mismatch(worth, declared, base_items, span));
        }
        if self.errors() == 0 {
            self.bonus_ceiling(spec, s);
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
            let d = messages::unused_input(&input.name, input.span);
            self.report(d);
        }
    }
}

impl Checker {
    pub(super) fn errors(&self) -> usize {
        self.diags.iter().filter(|d| d.is_error()).count()
    }

    /// K0416: bonus items with no ceiling over them (header, section or
    /// indicator), reported once at the first.
    fn bonus_ceiling(&mut self, spec: &ast::Spec, s: &Structure) {
        if spec.header.as_ref().and_then(|h| h.bonus_cap).is_some() {
            return;
        }
        let uncapped: Vec<&ir::Item> = s
            .items
            .iter()
            .filter(|i| gives_bonus(&i.body, i.kind == ItemKind::Bonus))
            .filter(|i| {
                let mut at = i.heading;
                while let Some(h) = at.and_then(|a| s.headings.get(a)) {
                    if h.bonus_cap.is_some() {
                        return false;
                    }
                    at = h.parent;
                }
                true
            })
            .collect();
        let Some(first) = uncapped.first() else {
            return;
        };
        let ids = uncapped
            .iter()
            .map(|i| i.id.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let zh_ids = ids.replace(", ", "、");
        let n = uncapped.len();
        self.report(messages::no_bonus_ceiling(n, &ids, &zh_ids, first.span));
    }

    /// K0417: in a scored block that starts full and that nothing deducts
    /// from, an `add` never moves the score; in one that starts at 0 and
    /// that nothing adds to, a `deduct` never does.
    pub(super) fn never_moves(&mut self, b: &Block, id: &str) {
        if let (Role::Base, Limit::Score { max, start }) = (b.role, b.limit) {
            let mut moves = Moves::default();
            moves.collect(b);
            let (full, empty) = (start == max, start.is_zero());
            let dead = if full && !moves.deducts {
                moves.add_spans.clone()
            } else if empty && !moves.adds && !full {
                moves.deduct_spans.clone()
            } else {
                vec![]
            };
            for span in dead {
                self.report(messages::clause_never_moves(id, full, max, span));
            }
        }
        for n in &b.nodes {
            if let Node::Block(child) = n {
                self.never_moves(child, id);
            }
        }
    }
}

/// What the clauses of a scored block can do to it (not looking into
/// nested scored blocks, whose own start counts as able to move it either
/// way, nor into blocks feeding another total).
#[derive(Default)]
struct Moves {
    adds: bool,
    deducts: bool,
    add_spans: Vec<Span>,
    deduct_spans: Vec<Span>,
}

impl Moves {
    fn collect(&mut self, b: &Block) {
        for n in &b.nodes {
            match n {
                Node::Clause(c) => match c.sign {
                    Sign::Add => {
                        self.adds = true;
                        self.add_spans.push(c.span);
                    }
                    Sign::Deduct => {
                        self.deducts = true;
                        self.deduct_spans.push(c.span);
                    }
                },
                Node::Block(child) if child.role != b.role => {}
                Node::Block(child) if matches!(child.limit, Limit::Score { .. }) => {
                    self.adds = true;
                    self.deducts = true;
                }
                Node::Block(child) => self.collect(child),
            }
        }
    }
}

/// Whether a block gives bonus points: a bonus item's, or a `part bonus`.
fn gives_bonus(b: &Block, bonus: bool) -> bool {
    let bonus = bonus || b.role == Role::Bonus;
    b.nodes.iter().any(|n| match n {
        Node::Clause(c) => bonus && c.sign == Sign::Add,
        Node::Block(child) => gives_bonus(child, bonus),
    })
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
        Entry::Clause(_) | Entry::Waiver(_) | Entry::Pending(_) => None,
        Entry::Judged(j) => Some(j.span),
    })
}
