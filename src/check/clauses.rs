//! Clauses: their amounts (fixed, `per`, `each`), caps and directions.

use super::Checker;
use super::expr::Cx;
use super::items::ItemCx;
use super::messages;
use super::types::{T, U, type_name, unify, unit_name};
use crate::diagnostic::Text;
use crate::ir::{self, Amount, Expr, Gap, Role, Sign, Unit, Value};
use crate::parse::ast::{self};
use crate::source::Span;
use crate::t;
use rust_decimal::Decimal;

impl Checker {
    /// A number written as a literal, such as a cap.
    pub(super) fn constant(&mut self, e: &ast::Expr, what: Text) -> Option<Decimal> {
        match &e.kind {
            ast::ExprKind::Number(v, None) => Some(*v),
            _ => {
                self.report(messages::not_a_written_number(what, e.span));
                None
            }
        }
    }

    pub(super) fn clause(
        &mut self,
        c: &ast::Clause,
        s: &ast::Scoring,
        sign: Sign,
        role: Role,
        cx: &ItemCx,
    ) -> ir::Clause {
        self.direction(c, sign, role, cx);
        let mut ecx = Cx::default();
        let condition = s
            .condition
            .as_ref()
            .map(|cond| self.negated_condition(cond, &mut ecx));
        // The amount is worked out only when the condition holds.
        let guarded = self.nonzero.len();
        if let Some(c) = &condition {
            self.assume(c, true, &ecx);
        }
        if let ast::Amount::Fixed(e) = &s.amount {
            self.grade_points_within(e, cx);
        }
        let amount = match &s.amount {
            ast::Amount::Fixed(e) => Amount::Fixed(self.points(e, &mut ecx)),
            ast::Amount::Per(p) => self.per(p, &mut ecx),
            ast::Amount::Each(e) => self.each(e, &s.caps, &mut ecx),
        };
        self.nonzero.truncate(guarded);
        let cap = self.overall_cap(s, &amount, cx);
        ir::Clause {
            sign,
            shape: ir::Shape::of(&amount, condition.as_ref()),
            amount,
            cap,
            condition,
            reason: self.reason(c),
            facts: ecx.facts,
            span: c.span,
        }
    }

    /// Reports a clause that adds in a deduction item or deducts in a bonus one.
    fn direction(&mut self, c: &ast::Clause, sign: Sign, role: Role, cx: &ItemCx) {
        let wrong = match (sign, role) {
            (Sign::Add, Role::Deduction) => {
                Some(t!("adds points in a deduction item", "在扣分项中加分"))
            }
            (Sign::Deduct, Role::Bonus) => {
                Some(t!("deducts points in a bonus item", "在加分项中扣分"))
            }
            _ => None,
        };
        if let Some(what) = wrong {
            self.report(messages::wrong_direction(what, &cx.id, c.keyword));
        }
    }

    /// A clause's condition, negated for `unless`.
    pub(super) fn negated_condition(&mut self, cond: &ast::Condition, ecx: &mut Cx) -> Expr {
        let e = self.condition(&cond.expr, ecx);
        if cond.negated {
            Expr::Not(Box::new(e))
        } else {
            e
        }
    }

    /// A clause's overall cap (`at most N`), checked against its item and
    /// amount; the group caps (`at most N per …`) are `each`'s.
    fn overall_cap(&mut self, s: &ast::Scoring, amount: &Amount, cx: &ItemCx) -> Option<Decimal> {
        let mut cap = None;
        for k in &s.caps {
            if k.per.is_some() {
                if !matches!(s.amount, ast::Amount::Each(_)) {
                    self.report(messages::group_cap_without_each(k.span));
                }
                continue;
            }
            if cap.is_some() {
                self.report(messages::two_overall_caps(k.span));
            }
            cap = self.constant(&k.limit, t!("a cap", "上限"));
            if let Some(v) = cap {
                let reported = self.cap_within_item(v, k.limit.span, cx);
                if let Amount::Fixed(Expr::Const(Value::Num(n))) = amount
                    && !reported
                    && v >= *n
                {
                    self.report(messages::cap_above_fixed_amount(
                        *n,
                        v,
                        &cx.id,
                        k.limit.span,
                    ));
                }
            }
        }
        cap
    }

    /// An amount of points.
    fn points(&mut self, e: &ast::Expr, ecx: &mut Cx) -> Expr {
        let (ir, unit) = self.number_expr(e, ecx, t!("an amount of points", "分数"));
        let signs = self.signs(&ir, ecx);
        if unit.is_some() && signs.neg && !signs.zero && !signs.pos {
            let w = self.written(e.span);
            self.report(messages::negative_amount(&w, e.span));
        }
        if let Some((u, _)) = unit
            && !matches!(u, U::Bare | U::Known(Unit::Plain))
        {
            self.report(messages::amount_not_in_points(unit_name(&u), e.span));
        }
        ir
    }

    fn per(&mut self, p: &ast::PerAmount, ecx: &mut Cx) -> Amount {
        let rate = self.points(&p.rate, ecx);
        let (quantity, qu) =
            self.number_expr(&p.quantity, ecx, t!("what `per` counts", "“每”所计的量"));
        let (gap, unit) = match &p.gap {
            None => (None, qu),
            Some((dir, e)) => {
                if let ast::ExprKind::Str(_) = e.kind {
                    self.report(messages::threshold_is_text(e.span));
                    return Amount::Fixed(Expr::Const(Value::Num(Decimal::ZERO)));
                }
                let (threshold, tu) = self.number_expr(e, ecx, t!("the threshold", "界限"));
                let dir = match dir {
                    ast::GapDir::Above => Gap::Above,
                    ast::GapDir::Below => Gap::Below,
                };
                let unit = self.gap_unit(qu, tu, e, p.quantity.span);
                (Some((dir, threshold)), unit)
            }
        };
        let Some((unit, integral)) = unit else {
            return Amount::Per {
                rate,
                step: Decimal::ONE,
                whole: true,
                quantity,
                gap,
            };
        };
        let step = self.step(p, &unit, ecx);
        let whole = self.whole(p, step, &unit, integral);
        Amount::Per {
            rate,
            step,
            whole,
            quantity,
            gap,
        }
    }

    /// The unit of the gap between a `per` quantity (in `qu`) and its
    /// threshold `e` (in `tu`), and whether it is whole.
    fn gap_unit(
        &mut self,
        qu: Option<(U, bool)>,
        tu: Option<(U, bool)>,
        e: &ast::Expr,
        quantity: Span,
    ) -> Option<(U, bool)> {
        match (qu, tu) {
            (Some((U::Known(Unit::Percent), qi)), Some((U::Known(Unit::Percent), ti))) => {
                Some((U::Known(Unit::Points), qi && ti))
            }
            (Some((q, qi)), Some((t, ti))) => {
                let zero = matches!(&e.kind, ast::ExprKind::Number(v, None) if v.is_zero());
                match unify(&q, &t, zero) {
                    Ok(u) => Some((u, qi && ti)),
                    Err(c) => {
                        self.report(messages::threshold_unit_clash(c, &q, &t, quantity, e.span));
                        None
                    }
                }
            }
            _ => None,
        }
    }

    /// A `per` amount's step (1 when not written), in the unit of its gap.
    fn step(&mut self, p: &ast::PerAmount, unit: &U, ecx: &mut Cx) -> Decimal {
        let step = match &p.step {
            Some(s) => {
                let (ir, st) = self.expr(s, ecx);
                if let T::Num { unit: su, .. } = &st
                    && let Err(c) = unify(unit, su, false)
                {
                    self.report(messages::step_unit_clash(c, unit, su, s.span));
                }
                match ir {
                    Expr::Const(Value::Num(v)) => v,
                    _ => Decimal::ONE,
                }
            }
            None => {
                if matches!(unit, U::Known(Unit::Percent | Unit::Points)) {
                    self.report(messages::step_without_unit(
                        unit_name(unit),
                        p.quantity.span,
                    ));
                }
                Decimal::ONE
            }
        };
        if step <= Decimal::ZERO {
            self.report(messages::step_not_positive(
                p.step.as_ref().map_or(p.span, |s| s.span),
            ));
        }
        step
    }

    /// Whether a `per` amount counts whole steps only; a gap that may be a
    /// part of a step must say (`whole` or `continuous`).
    fn whole(&mut self, p: &ast::PerAmount, step: Decimal, unit: &U, integral: bool) -> bool {
        match p.rounding {
            Some((ast::Rounding::Whole, _)) => true,
            Some((ast::Rounding::Continuous, _)) => false,
            None => {
                if !(integral && step.fract().is_zero()) {
                    self.report(messages::rounding_unstated(
                        unit_name(unit),
                        p.quantity.span,
                    ));
                }
                true
            }
        }
    }

    fn each(&mut self, e: &ast::EachAmount, caps: &[ast::Cap], ecx: &mut Cx) -> Amount {
        let Some(list) = self.list_slot(&e.list, ecx) else {
            return Amount::Fixed(Expr::Const(Value::Num(Decimal::ZERO)));
        };
        ecx.bindings.push((e.var.text.clone(), list));
        let filter = e.filter.as_ref().map(|f| self.condition(f, ecx));
        // Only the records `where` lets through are valued.
        let guarded = self.nonzero.len();
        if let Some(f) = &filter {
            self.assume(f, true, ecx);
        }
        let once_per = e.once_per.as_ref().map(|k| self.key(k, ecx));
        let value = self.points(&e.value, ecx);
        self.nonzero.truncate(guarded);
        let mut group_caps = Vec::new();
        for cap in caps {
            let Some(per) = &cap.per else { continue };
            let key = self.key(per, ecx);
            if !group_caps.is_empty() {
                self.report(messages::two_group_caps(cap.span));
            }
            if let Some(limit) = self.constant(&cap.limit, t!("a cap", "上限")) {
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
            self.report(messages::not_a_key(found, e.span));
        }
        ir
    }
}
