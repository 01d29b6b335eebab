//! A heading's ceiling on what it loses (`deduction at most 10`, 扣分项
//! 最高 10; at the heading's points, 扣完为止): its items lose at most the
//! ceiling together — a base item its points less its score, a deduction
//! item or part what it takes. Counted in the table's order, the first
//! item that goes past the ceiling is given back what goes beyond, and
//! every one after it all it lost, each with a line
//! (`LineKind::HeadingCap`) — so an item's lines still add up to its score,
//! and the totals, subtotals and roll-up by unit see the deductions held.
//! The deepest level is held first (indicators, then their sections).

use super::outcome::{ItemOutcome, Line, LineKind};
use crate::exact;
use crate::ir::{Heading, Program};
use rust_decimal::Decimal;

/// Hold every heading's deductions within its ceiling; `explain`: add the
/// lines. `None` on overflow (not reachable: only sums of what items took).
pub(super) fn hold<'p>(
    program: &'p Program,
    items: &mut [ItemOutcome<'p>],
    explain: bool,
) -> Option<()> {
    // Most tables have no ceiling on deductions: one look at the headings
    // for it, before a pass per level.
    if program.headings.iter().all(|h| h.deduction_cap.is_none()) {
        return Some(());
    }
    // The deepest level first (indicators before their sections), each
    // level in table order.
    for level in (1..=program.heading_levels()).rev() {
        for (at, h) in program.headings.iter().enumerate() {
            if h.level != level {
                continue;
            }
            if let Some(cap) = h.deduction_cap {
                let under = |i: usize| {
                    (program.items.get(i)).is_some_and(|it| program.within(it.heading, at))
                };
                hold_one(items, cap, h, under, explain)?;
            }
        }
    }
    Some(())
}

fn hold_one<'p>(
    items: &mut [ItemOutcome<'p>],
    cap: Decimal,
    heading: &'p Heading,
    under: impl Fn(usize) -> bool,
    explain: bool,
) -> Option<()> {
    let mut taken = Decimal::ZERO;
    for (i, o) in items.iter_mut().enumerate() {
        // What the item lost: a base item its points less its score, a
        // deduction item or part what it took.
        let lost = match o.max {
            Some(max) => max.checked_sub(o.score)?.checked_add(o.deduction)?,
            None => o.deduction,
        };
        if lost.is_zero() || !under(i) {
            continue;
        }
        let room = exact::max(cap.checked_sub(taken)?, Decimal::ZERO);
        let back = exact::max(lost.checked_sub(room)?, Decimal::ZERO);
        taken = taken.checked_add(lost)?;
        if back.is_zero() {
            continue;
        }
        // What deduction parts took is given back first, then a base
        // item's own points (its score is apart from its deductions); a
        // row without points nets its deduction into its score.
        let from_deduction = exact::min(back, o.deduction);
        o.deduction = o.deduction.checked_sub(from_deduction)?;
        o.score = match o.max {
            Some(_) => o.score.checked_add(back.checked_sub(from_deduction)?)?,
            None => o.score.checked_add(back)?,
        };
        if explain {
            o.lines.push(Line {
                amount: back,
                kind: LineKind::HeadingCap { heading, cap },
            });
        }
    }
    Some(())
}
