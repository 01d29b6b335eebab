//! A clause's points: read from its operands when it has a common shape
//! (`ir::Shape`), else the general way (`raw`); then its sign and cap.

use super::arith::{add, at_least_zero, div, div_by_tenths, floor, mul, sub};
use super::expr::holds;
use super::fault::{Result, fault};
use super::outcome::{Line, LineKind};
use super::score::Scorer;
use crate::diagnostic::Code;
use crate::exact::{self, negative};
use crate::ir::{Amount, Clause, Gap, Shape, Sign, Value, is_one};
use crate::t;
use rust_decimal::Decimal;

/// What a clause of a common shape (`ir::Shape`) moves, read from its
/// operands in registers: nothing, its points before sign and cap, or
/// "go the general way" (its input is not the plain value the shape
/// expects, or an operation would fault: the general way then gives the
/// same value or the same fault).
#[derive(Clone, Copy)]
enum Quick {
    Nothing,
    Raw(Decimal),
    General,
}

impl<'p, 'e, const EXPLAIN: bool, const FAST: bool> Scorer<'p, 'e, EXPLAIN, FAST> {
    /// A clause's points, signed and capped. Inlined into the block that
    /// scores it: a clause of a common shape that moves nothing (most of
    /// a table's) costs its test and no call; the rest is out of line.
    pub(super) fn clause(&mut self, c: &'p Clause, lines: &mut Vec<Line<'p>>) -> Result<Decimal> {
        match self.moves(c) {
            Quick::Nothing => Ok(Decimal::ZERO),
            Quick::Raw(raw) => self.settle(c, raw, lines),
            Quick::General => self.general(c, lines),
        }
    }

    /// A clause's points added to a block's running `sum`, as
    /// `add(sum, self.clause(c, lines)?)` gives them: a clause that moves
    /// nothing only turns a zero sum into `0` (what adding `0` gives).
    /// Inlined into the block, so that such a clause (most of a table's)
    /// costs its test and no call.
    #[inline(always)]
    pub(super) fn clause_into(
        &mut self,
        c: &'p Clause,
        sum: &mut Decimal,
        lines: &mut Vec<Line<'p>>,
    ) -> Result<()> {
        let d = match self.moves(c) {
            Quick::Nothing => {
                if sum.is_zero() {
                    *sum = Decimal::ZERO;
                }
                return Ok(());
            }
            Quick::Raw(raw) => self.settle(c, raw, lines)?,
            Quick::General => self.general(c, lines)?,
        };
        *sum = add(*sum, d)?;
        Ok(())
    }

    /// The clause becomes the one scored (for the span and facts of a
    /// fault), then its shape is read.
    #[inline(always)]
    fn moves(&mut self, c: &'p Clause) -> Quick {
        self.clause = Some(c);
        self.quick(&c.shape)
    }

    /// A clause of a common shape read from its operands (the same steps
    /// as `raw` takes for it); never a fault. `Shape::General` (and every
    /// shape when `FAST` is off) goes the general way.
    #[inline(always)]
    fn quick(&self, shape: &Shape) -> Quick {
        let shape = if FAST { shape } else { &Shape::General };
        let fired = |yes: bool, amount: Decimal| {
            if yes {
                Quick::Raw(amount)
            } else {
                Quick::Nothing
            }
        };
        match shape {
            Shape::FixedIf { amount, slot, when } => match self.values.get(*slot) {
                Some(Value::Bool(b)) => fired(b == when, *amount),
                _ => Quick::General,
            },
            Shape::FixedCompare {
                amount,
                slot,
                op,
                than,
            } => match self.values.get(*slot) {
                Some(Value::Num(x)) => fired(holds(*op, exact::cmp(*x, *than)), *amount),
                _ => Quick::General,
            },
            Shape::PerUnit {
                rate,
                slot,
                whole,
                gap,
            } => match self.values.get(*slot) {
                Some(Value::Num(q)) => match per_unit(*rate, *q, *whole, *gap) {
                    Some(raw) if raw.is_zero() => Quick::Nothing,
                    Some(raw) => Quick::Raw(raw),
                    None => Quick::General,
                },
                _ => Quick::General,
            },
            Shape::General => Quick::General,
        }
    }

    /// A clause the general way: its points from its expressions, then
    /// its sign and cap.
    #[inline(never)]
    fn general(&mut self, c: &'p Clause, lines: &mut Vec<Line<'p>>) -> Result<Decimal> {
        let raw = self.raw(c)?;
        self.settle(c, raw, lines)
    }

    /// A clause's points before its sign and cap made its points: a fault
    /// below zero, a line when they move (or an assessor judged), the cap.
    #[inline]
    fn settle(&self, c: &'p Clause, raw: Decimal, lines: &mut Vec<Line<'p>>) -> Result<Decimal> {
        if negative(raw) {
            return negative_amount(c.sign, raw);
        }
        let sign = |d: Decimal| if c.sign == Sign::Deduct { -d } else { d };
        if raw.is_zero() {
            // An assessor's full (or zero-from-zero) score still says it was judged.
            if EXPLAIN && matches!(c.amount, Amount::Judged { .. }) {
                self.note(lines, Decimal::ZERO, LineKind::Clause(c));
            }
            return Ok(Decimal::ZERO);
        }
        self.note(lines, sign(raw), LineKind::Clause(c));
        match c.cap {
            Some(cap) if exact::cmp(raw, cap).is_gt() => {
                if EXPLAIN {
                    self.note(lines, sign(cap - raw), LineKind::ClauseCap(c, cap));
                }
                Ok(sign(cap))
            }
            _ => Ok(sign(raw)),
        }
    }

    /// The points of a clause before its sign and cap, `0` when it does
    /// not apply.
    pub(super) fn raw(&mut self, c: &'p Clause) -> Result<Decimal> {
        if let Some(cond) = &c.condition
            && !self.truth(cond)?
        {
            return Ok(Decimal::ZERO);
        }
        Ok(match &c.amount {
            Amount::Fixed(e) => self.num(e)?,
            Amount::Per {
                rate,
                step,
                whole,
                quantity,
                gap,
            } => {
                let q = self.num(quantity)?;
                let gap = match gap {
                    Some((side, t)) => Some((*side, self.num(t)?)),
                    None => None,
                };
                let g = distance(q, gap)?;
                if g.is_zero() && !step.is_zero() {
                    // No steps: nothing moves, whatever the rate (read all
                    // the same, for the faults it may raise).
                    self.num(rate)?;
                    return Ok(Decimal::ZERO);
                }
                let steps = if is_one(*step) {
                    g
                } else if let Some(q) = div_by_tenths(g, *step).filter(|_| FAST) {
                    q
                } else {
                    div(g, *step)?
                };
                let steps = if *whole { floor(steps) } else { steps };
                mul(self.num(rate)?, steps)?
            }
            Amount::Each(each) => self.each(each)?,
            Amount::Judged { slot, max, start } => judged(self.values.get(*slot), *max, *start)?,
        })
    }
}

/// An assessor's score: how far it moves its block from where it starts
/// (down from full, or up from 0). The data refuses a score outside 0 to
/// the points (K0530), and so does the API's entity builder: a score
/// outside them here is a bug, refused rather than held silently within.
fn judged(value: Option<&Value>, max: Decimal, start: Decimal) -> Result<Decimal> {
    match value {
        Some(Value::Num(given)) if !negative(*given) && exact::cmp(*given, max).is_le() => {
            Ok(if start.is_zero() {
                *given
            } else {
                sub(max, *given)?
            })
        }
        Some(Value::Num(given)) => fault(
            Code::Internal,
            t!(
                "the assessor's score {} is outside 0 to {}, the points of this item",
                "评审给分 {} 不在 0 至本项分值 {} 分之间",
                given.to_string(),
                max.normalize().to_string()
            ),
        ),
        _ => fault(
            Code::MissingOptional,
            t!("the assessor's score was not given", "没有评审给分"),
        ),
    }
}

/// The fault of a clause whose amount came out below zero.
#[cold]
#[inline(never)]
fn negative_amount<T>(sign: Sign, raw: Decimal) -> Result<T> {
    let verb = if sign == Sign::Deduct {
        t!("deduct", "扣")
    } else {
        t!("add", "加")
    };
    fault(
        Code::NegativeAmount,
        t!(
            "the clause would {} {:.2} points; an amount cannot be negative",
            "此子句将{} {:.2} 分；分数不能为负",
            verb,
            raw.round_dp(2)
        ),
    )
}

/// `rate` per 1 of `q`, or of its distance above or below a constant: the
/// general way's steps for a step of 1 (nothing moves without a step).
/// `None` where an operation would fault (the general way then raises it).
#[inline(always)]
fn per_unit(
    rate: Decimal,
    q: Decimal,
    whole: bool,
    gap: Option<(Gap, Decimal)>,
) -> Option<Decimal> {
    let g = distance(q, gap).ok()?;
    if g.is_zero() {
        return Some(Decimal::ZERO);
    }
    let steps = if whole { floor(g) } else { g };
    rate.checked_mul(steps)
}

/// What a `per` clause counts steps of: `q` itself, or how far it lies
/// above or below a target (0 on the other side).
#[inline(always)]
fn distance(q: Decimal, gap: Option<(Gap, Decimal)>) -> Result<Decimal> {
    Ok(match gap {
        None => q,
        Some((Gap::Above, t)) => at_least_zero(sub(q, t)?),
        Some((Gap::Below, t)) => at_least_zero(sub(t, q)?),
    })
}
