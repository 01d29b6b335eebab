//! Levels: a section's or indicator's own points (`score 40` after its
//! title) against what its children add up to (docs/language.md, Levels
//! and their points).

use super::Checker;
use super::messages;
use crate::ir::{self, Role};
use crate::parse::ast;
use crate::source::Span;
use rust_decimal::Decimal;

/// Whether an item takes points from the total: a deduction item, or an
/// item with a deduction part (a row of both).
pub(super) fn deducts(item: &ir::Item) -> bool {
    fn any(b: &ir::Block) -> bool {
        b.role == Role::Deduction
            || (b.nodes.iter()).any(|n| matches!(n, ir::Node::Block(c) if any(c)))
    }
    any(&item.body)
}

impl Checker {
    /// What a heading's children (id and points each) add up to, checked
    /// against the heading's points when it declares them: returns its
    /// points and the sum.
    pub(super) fn heading_points(
        &mut self,
        level: u8,
        label: &ast::Name,
        declared: Option<&ast::HeadingPoints>,
        children: &[(&str, Decimal)],
    ) -> (Option<Decimal>, Decimal) {
        let mut sum = Decimal::ZERO;
        for (_, points) in children {
            match sum.checked_add(*points) {
                Some(s) => sum = s,
                // Only points beyond exact decimals overflow, and those
                // are reported at the item (K0420) or as a mismatch of the
                // heading they are declared on.
                None => return (declared.map(|d| d.points), Decimal::MAX),
            }
        }
        let Some(declared) = declared else {
            return (None, sum);
        };
        // An item that says nothing of its points is reported already.
        if self.kind_missing {
            return (Some(declared.points), sum);
        }
        let listed = || {
            let parts: Vec<String> = children
                .iter()
                .map(|(id, p)| format!("{id}: {}", p.normalize()))
                .collect();
            if parts.is_empty() {
                "—".to_string()
            } else {
                parts.join(" + ")
            }
        };
        let points = declared.points;
        match declared.children {
            None if sum != points => self.report(messages::heading_points_mismatch(
                level,
                &label.text,
                points,
                sum,
                &listed(),
                declared.span,
            )),
            Some((said, at)) if said >= points => self.report(messages::children_sum_not_less(
                level,
                &label.text,
                said,
                points,
                at,
            )),
            Some((said, at)) if said != sum => self.report(messages::children_sum_wrong(
                level,
                &label.text,
                said,
                sum,
                points,
                &listed(),
                at,
            )),
            _ => {}
        }
        (Some(points), sum)
    }

    /// A heading's ceiling on what it loses (`deduction at most N`),
    /// checked against its points, and against what its children can lose
    /// (`children`: their points) when no deduction item stands under it.
    pub(super) fn deduction_cap(
        &mut self,
        level: u8,
        label: &ast::Name,
        cap: Option<(Decimal, Span)>,
        points: Option<Decimal>,
        children: Decimal,
        deducts: bool,
    ) -> Option<Decimal> {
        let (cap, at) = cap?;
        if let Some(points) = points
            && cap > points
        {
            self.report(messages::deduction_cap_above_points(
                level,
                &label.text,
                cap,
                points,
                at,
            ));
        } else if !deducts && cap >= children && !self.kind_missing {
            self.report(messages::deduction_cap_never_bites(
                level,
                &label.text,
                cap,
                children,
                at,
            ));
        }
        Some(cap)
    }
}
