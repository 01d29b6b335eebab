//! Extra awards beyond an item's points (`extra …, within bonus ceiling`,
//! 超额加分 … 计入加分上限) and waivers of an item's or part's deductions
//! (`waived if …`, 免予扣分 若 …): lowered to `ir::Extra` and to the
//! block's `waivers`, with their checks (K0460–K0463).

use super::Checker;
use super::expr::Cx;
use super::items::{ItemCx, first_of};
use super::messages;
use crate::ir::{self, Guard, ItemKind, Node, Role, Sign};
use crate::parse::ast::{self, Entry};

impl Checker {
    /// An extra award: an `add` clause of the item whose points go above
    /// its score. Its cap bounds the award alone, so it is not held to the
    /// item's points.
    pub(super) fn extra(
        &mut self,
        c: &ast::Clause,
        s: &ast::Scoring,
        ceiling: ast::ExtraCeiling,
        cx: &ItemCx,
    ) -> ir::Extra {
        if !cx.broken && !matches!(cx.kind, ItemKind::Base(_)) {
            self.report(messages::extra_outside_scored_item(&cx.id, c.keyword));
        }
        let award = ItemCx {
            kind: ItemKind::Bonus,
            id: cx.id.clone(),
            broken: cx.broken,
        };
        let clause = self.clause(c, s, Sign::Add, Role::Bonus, &award);
        ir::Extra {
            clause,
            ceiling: match ceiling {
                ast::ExtraCeiling::Within => ir::ExtraCeiling::Within,
                ast::ExtraCeiling::Outside => ir::ExtraCeiling::Outside,
            },
        }
    }

    /// Reports every extra award written directly in a part (K0461).
    pub(super) fn extra_in_part(&mut self, body: &[Entry], cx: &ItemCx) {
        for entry in body {
            if let Entry::Clause(c) = entry
                && matches!(c.kind, ast::ClauseKind::Extra(..))
            {
                self.report(messages::extra_in_part(&cx.id, c.keyword));
            }
        }
    }

    /// The waivers of a block (`waived if …`), checked against the
    /// block's clauses: it must deduct (K0462) and not add (K0463).
    pub(super) fn waivers(&mut self, body: &[Entry], nodes: &[Node], cx: &ItemCx) -> Vec<Guard> {
        let mut out = Vec::new();
        for entry in body {
            let Entry::Waiver(w) = entry else { continue };
            if first_of(nodes, Sign::Deduct).is_none() {
                self.report(messages::waiver_without_deductions(&cx.id, w.keyword));
            } else if let Some(add) = first_of(nodes, Sign::Add) {
                self.report(messages::waiver_with_adds(&cx.id, w.keyword, add));
            }
            let mut ecx = Cx::default();
            let condition = self.negated_condition(&w.condition, &mut ecx);
            out.push(Guard {
                condition,
                reason: match &w.reason {
                    Some(r) => r.value.clone(),
                    None => self.written(w.span),
                },
                facts: ecx.facts,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    // A test fails by panicking.
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    /// Whether the program of an item with the clause `extra` (none when
    /// empty) has extra awards, and outside the ceiling.
    fn flags(extra: &str) -> (bool, bool) {
        let spec = format!(
            "table \"t\" {{ total 4\n bonus at most 1 }}\n\
             section 1 \"s\" {{ indicator 1 \"i\" {{ item 1.1 \"x\" score 4 from 0 {{\n\
             input n: count \"n\"\n\
             add 1 per n, at most 4 \"earned\"\n\
             {extra}\n}} }} }}\n"
        );
        let compiled = crate::compile(&spec);
        let p = compiled.program.expect("checks");
        (p.has_extra, p.has_extra_outside)
    }

    #[test]
    fn the_program_says_once_whether_it_has_extra_awards_and_where_they_count() {
        assert_eq!(flags(""), (false, false));
        assert_eq!(
            flags("extra 0.5 per n above 4, at most 1, within bonus ceiling \"x\""),
            (true, false)
        );
        assert_eq!(
            flags("extra 0.5 per n above 4, at most 1, outside bonus ceiling \"x\""),
            (true, true)
        );
    }
}
