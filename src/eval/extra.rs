//! Extra awards beyond an item's points (超额加分) and waivers of a
//! block's deductions (免予扣分).

use super::arith::add;
use super::fault::Result;
use super::outcome::{ItemOutcome, Line, LineKind};
use super::score::Scorer;
use crate::ir::{Block, ExtraCeiling, Item};
use rust_decimal::Decimal;

impl<'p, 'e, const EXPLAIN: bool, const FAST: bool> Scorer<'p, 'e, EXPLAIN, FAST> {
    /// The item's extra awards, after its score: each adds to `extra`, and
    /// to `bonus` (under the ceilings) or `extra_outside` (beside them) by
    /// its declared rule, with one line saying which.
    pub(super) fn extras(&mut self, item: &'p Item, out: &mut ItemOutcome<'p>) -> Result<()> {
        for e in &item.extra {
            if self.absence && self.clause_absent(&e.clause, &mut out.lines) {
                continue;
            }
            // The clause's own lines (its amount, its cap) are summed up by
            // the one line of the award.
            let mut own = Vec::new();
            let d = self.clause(&e.clause, &mut own)?;
            if d.is_zero() {
                continue;
            }
            self.note(&mut out.lines, d, LineKind::Extra(e));
            out.extra = add(out.extra, d)?;
            match e.ceiling {
                ExtraCeiling::Within => out.bonus = add(out.bonus, d)?,
                ExtraCeiling::Outside => out.extra_outside = add(out.extra_outside, d)?,
            }
        }
        Ok(())
    }

    /// A block's sum (`sum` < 0: it deducted) after its waivers: 0, with a
    /// line giving the deductions back, when one of them holds; else `sum`.
    pub(super) fn waive(
        &mut self,
        b: &'p Block,
        sum: Decimal,
        lines: &mut Vec<Line<'p>>,
    ) -> Result<Decimal> {
        // A fault in a waiver names the item, not the last clause scored.
        self.clause = None;
        for g in &b.waivers {
            if self.absence && self.guard_absent(g, lines) {
                continue;
            }
            if self.truth(&g.condition)? {
                self.note(lines, -sum, LineKind::Waived(g));
                return Ok(Decimal::ZERO);
            }
        }
        Ok(sum)
    }
}
