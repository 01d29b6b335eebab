//! Grade-to-score tables (按等次计分): an item or part scored by a grade
//! the data gives is `score N from 0 { add match grade { "A" => 10, "B" =>
//! 8, … } }`, a `match` covering every grade (K0309). A grade that gives
//! more points than its item or part has is warned of (K0470): a figure
//! beyond them is a slip that the item's bounds would otherwise hide. A
//! warning, not an error: a `match` amount may also be a rate or a
//! deduction meant to reach the item's floor (扣完为止).

use super::Checker;
use super::items::ItemCx;
use super::messages;
use crate::ir::ItemKind;
use crate::parse::ast::{self, ExprKind};
use crate::t;

impl Checker {
    /// Reports each arm of a clause's `match` amount that gives more points
    /// than the part (or item) the clause is in.
    pub(super) fn grade_points_within(&mut self, e: &ast::Expr, cx: &ItemCx) {
        let ExprKind::Match(_, arms) = &e.kind else {
            return;
        };
        if cx.broken {
            return;
        }
        let (max, part) = match self.part_max.last() {
            Some((share, name)) => (*share, Some(name.clone().unwrap_or_default())),
            None => match cx.kind {
                ItemKind::Base(max) => (max, None),
                _ => return,
            },
        };
        for arm in arms {
            let ExprKind::Number(points, None) = &arm.value.kind else {
                continue;
            };
            if *points <= max {
                continue;
            }
            let grade = match &arm.pattern {
                Some(p) => t!("\"{}\"", "“{}”", p.value.as_str()),
                None => t!("`else`", "“否则”"),
            };
            let whose = match &part {
                Some(name) => t!(
                    "part \"{}\" of item {}",
                    "分项“{}”（考核事项 {}）",
                    name.as_str(),
                    cx.id.as_str()
                ),
                None => t!("item {}", "考核事项 {}", cx.id.as_str()),
            };
            let d = messages::grade_above_points(grade, *points, whose, max, arm.value.span);
            self.report(d);
        }
    }
}
