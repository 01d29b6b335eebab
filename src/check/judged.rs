//! An assessor's judgement (`judged NAME "how"`, 酌情评分): its item or
//! part scores what the assessor gives, from 0 to its points. The parser
//! declared its input; here it is bounded, given its default, and lowered
//! to one clause that moves the block from where it starts to that score.

use super::Checker;
use super::messages;
use crate::ir::{Amount, Clause, Judgement, Limit, Node, Shape, Sign, Value};
use crate::parse::ast::{self, Entry};

impl Checker {
    /// The clause of the judgement in `body` (an item's or a part's, whose
    /// limit is `limit`; `owner` names it), when there is one.
    pub(super) fn judged_block(
        &mut self,
        body: &[Entry],
        limit: Limit,
        owner: &str,
    ) -> Option<Node> {
        let mut judged = body.iter().filter_map(|e| match e {
            Entry::Judged(j) => Some(j),
            _ => None,
        });
        let j = judged.next()?;
        let slot = self.by_name.get(&j.name.text).copied()?;
        // A name declared twice was reported; this judgement is not its slot.
        if self.inputs.get(slot).map(|i| i.span) != Some(j.name.span) {
            return None;
        }
        if let Some(u) = self.used.get_mut(slot) {
            *u = true;
        }
        let Limit::Score { max, start } = limit else {
            self.report(messages::judged_unscored(&j.name.text, j.span));
            return None;
        };
        let other = body.iter().find_map(|e| match e {
            Entry::Judged(o) if o.span != j.span => Some(o.span),
            Entry::Part(p) => Some(p.span),
            Entry::Clause(c) => match c.kind {
                ast::ClauseKind::Deduct(_) | ast::ClauseKind::Add(_) => Some(c.span),
                _ => None,
            },
            Entry::Waiver(w) => Some(w.span),
            Entry::Judged(_) | Entry::Pending(_) => None,
        });
        if let Some(other) = other {
            self.report(messages::judged_not_alone(&j.name.text, j.span, other));
            return None;
        }
        let mut default = None;
        if let Some((d, at)) = j.default {
            if d > max {
                self.report(messages::judged_default(&j.name.text, d, max, at));
            } else {
                default = Some(Value::Num(d));
            }
        }
        if let Some(input) = self.inputs.get_mut(slot) {
            input.judged = Some(Judgement {
                max,
                item: owner.to_string(),
            });
            if default.is_some() {
                input.default = default;
            }
        }
        // How it is judged, as the table says; the explanation line adds
        // the score given (report::explain).
        let reason = j.how.as_ref().map_or(String::new(), |h| h.value.clone());
        Some(Node::Clause(Clause {
            sign: if start.is_zero() {
                Sign::Add
            } else {
                Sign::Deduct
            },
            amount: Amount::Judged { slot, max, start },
            cap: None,
            condition: None,
            reason,
            facts: vec![slot],
            span: j.span,
            shape: Shape::General,
        }))
    }
}
