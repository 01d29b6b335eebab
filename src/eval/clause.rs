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

/// A block's running sum of its own points, and whether a clause that
/// moved nothing came after the last addition: such a clause adds `0`,
/// which turns a zero sum of any scale or sign into `0` and leaves any
/// other alone. An addition after it gives the same either way (`add`
/// returns the other operand for a zero), so the zero is made `0` only
/// where the sum is read otherwise, at the block's end.
pub(super) struct Sum {
    pub(super) value: Decimal,
    pub(super) quiet: bool,
}

impl Sum {
    #[inline(always)]
    pub(super) fn new() -> Sum {
        Sum {
            value: Decimal::ZERO,
            quiet: false,
        }
    }

    /// `value + d`, as `add` gives it.
    #[inline(always)]
    pub(super) fn add(&mut self, d: Decimal) -> Result<()> {
        self.value = add(self.value, d)?;
        self.quiet = false;
        Ok(())
    }

    /// The sum as the clauses one by one make it.
    #[inline(always)]
    pub(super) fn end(self) -> Decimal {
        if self.quiet && self.value.is_zero() {
            Decimal::ZERO
        } else {
            self.value
        }
    }
}

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

    /// A clause's points added to a block's running sum, as `add(sum,
    /// self.clause(c, lines)?)` gives them. A clause that moves nothing
    /// would only turn a zero sum into `0` (what adding `0` gives); that
    /// is left to the block's end ([`Sum::end`]), since the next addition
    /// gives the same whatever the zero's scale. Inlined into the block,
    /// so that such a clause (most of a table's) costs its test and no
    /// call.
    #[inline(always)]
    pub(super) fn clause_into(
        &mut self,
        c: &'p Clause,
        sum: &mut Sum,
        lines: &mut Vec<Line<'p>>,
    ) -> Result<()> {
        let d = match self.moves(c) {
            Quick::Nothing => {
                sum.quiet = true;
                return Ok(());
            }
            Quick::Raw(raw) => self.settle(c, raw, lines)?,
            Quick::General => self.general(c, lines)?,
        };
        sum.add(d)
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
                // No gap and none of the quantity (most such clauses of a
                // table): told before the rest is read.
                Some(Value::Num(q)) if gap.is_none() && q.is_zero() => Quick::Nothing,
                Some(Value::Num(q)) => per_unit(*rate, *q, *whole, *gap),
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
    /// Without lines and a cap (most clauses) that is the amount signed, a
    /// zero as `0`, worked out where it is called; the rest out of line
    /// (called, it cost some 37 instructions a clause, 12 of them saving
    /// registers for the cap's path).
    #[inline(always)]
    fn settle(&self, c: &'p Clause, raw: Decimal, lines: &mut Vec<Line<'p>>) -> Result<Decimal> {
        if !EXPLAIN && c.cap.is_none() && !negative(raw) {
            return Ok(if raw.is_zero() {
                Decimal::ZERO
            } else if c.sign == Sign::Deduct {
                -raw
            } else {
                raw
            });
        }
        self.settle_fully(c, raw, lines)
    }

    /// [`Self::settle`] in full: lines, the cap and the fault.
    #[inline(never)]
    fn settle_fully(
        &self,
        c: &'p Clause,
        raw: Decimal,
        lines: &mut Vec<Line<'p>>,
    ) -> Result<Decimal> {
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
/// general way's steps for a step of 1 (nothing moves without a step,
/// told at once: most such clauses of a table). `General` where an
/// operation would fault (the general way then raises it).
#[inline(always)]
fn per_unit(rate: Decimal, q: Decimal, whole: bool, gap: Option<(Gap, Decimal)>) -> Quick {
    let Ok(g) = distance(q, gap) else {
        return Quick::General;
    };
    if g.is_zero() {
        return Quick::Nothing;
    }
    let steps = if whole { floor(g) } else { g };
    match rate.checked_mul(steps) {
        Some(raw) if raw.is_zero() => Quick::Nothing,
        Some(raw) => Quick::Raw(raw),
        None => Quick::General,
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// A block's `Sum` ends where adding each clause's points one by one
    /// ends, a clause that moves nothing adding `0`: over every sequence
    /// of four steps from zeros of several scales and signs, other
    /// numbers and clauses that move nothing (`None`), the very decimal
    /// (its scale and the sign of a zero included).
    #[test]
    fn a_sum_ends_as_adding_each_clause_ends() {
        let d = |t: &str| Some(Decimal::from_str(t).expect("a decimal"));
        let steps = [
            None,
            d("0"),
            d("0.00"),
            d("-0.0"),
            d("1.50"),
            d("-1.5"),
            d("2"),
        ];
        let mut checked = 0;
        for n in 0..steps.len().pow(4) {
            let (mut sum, mut by_one) = (Sum::new(), Decimal::ZERO);
            let mut k = n;
            for _ in 0..4 {
                let step = steps.get(k % steps.len()).copied().flatten();
                k /= steps.len();
                match step {
                    None => sum.quiet = true,
                    Some(x) => sum.add(x).expect("no overflow"),
                }
                by_one = add(by_one, step.unwrap_or(Decimal::ZERO)).expect("no overflow");
            }
            let end = sum.end();
            assert_eq!(end.serialize(), by_one.serialize(), "{n}: {end} {by_one}");
            checked += 1;
        }
        assert_eq!(checked, 2401);
    }
}
