//! Decimal arithmetic for the scorer: checked operations that fault on
//! overflow and division by zero, and short cuts that give
//! rust_decimal's own result (scale and the sign of zero included).

use super::fault::{Result, fault};
use crate::diagnostic::Code;
use crate::exact::{POWERS, negative};
use crate::t;
use rust_decimal::Decimal;

/// `a + b`, or an overflow fault. Adding zero, by far the most common case
/// (a clause that does not apply moves nothing), returns the other operand
/// at once: exactly what `Decimal::checked_add` returns for it.
#[inline(always)]
pub(super) fn add(a: Decimal, b: Decimal) -> Result<Decimal> {
    if a.is_zero() {
        return Ok(b);
    }
    if b.is_zero() {
        return Ok(a);
    }
    add_nonzero(a, b)
}

#[inline(always)]
fn add_nonzero(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_add(b).map_or_else(
        || {
            fault(
                Code::Overflow,
                t!("{a} + {b} is too large", "{a} + {b} 的结果过大"),
            )
        },
        Ok,
    )
}

/// `0 − d`, as `Decimal::checked_sub` gives it: `d` itself when it is
/// zero (its scale and sign kept), else `d` with its sign flipped.
#[inline(always)]
pub(super) fn zero_minus(d: Decimal) -> Decimal {
    if d.is_zero() { d } else { -d }
}

/// `d.floor()`, which gives a whole number back as it is.
#[inline(always)]
pub(super) fn floor(d: Decimal) -> Decimal {
    if d.scale() == 0 { d } else { d.floor() }
}

/// `d.max(0)`: `d` unless it is below zero (so −0 stays −0, as there).
#[inline(always)]
pub(super) fn at_least_zero(d: Decimal) -> Decimal {
    if negative(d) { Decimal::ZERO } else { d }
}

/// What a part held within `[0, max]` from `start` gives its item once
/// its clauses moved `sum`: `score − max`, where the block takes `raw =
/// add(start, sum)` and `score = min(max(raw, 0), max)` in three `Decimal`
/// operations. Here the same number, scale and sign of zero included, from
/// the mantissas brought to one scale in an `i64`: below zero or at it,
/// `−max` (what `0 − max` gives); above `max`, a zero at `max`'s scale;
/// at `max`, a zero at the larger of the two scales; between, `raw − max`
/// at that scale. `None` for a `max` not above zero, a mantissa past 32
/// bits, scales more than 9 apart or a product past 64 bits: the
/// `Decimal` way then decides.
/// (The scorer narrows `start` and `max` once per spec, `ir::Bounds`, and
/// calls [`bounded_narrow`]; this is its form from three decimals.)
#[cfg(test)]
pub(super) fn bounded(start: Decimal, sum: Decimal, max: Decimal) -> Option<Decimal> {
    let (a, m) = crate::ir::Bounds::of(&crate::ir::Limit::Score { max, start }).narrow?;
    bounded_narrow(a, m, sum, max)
}

/// [`bounded`] with `start` and `max` narrowed already (`ir::Bounds`,
/// once per spec), `max` above zero.
#[inline(always)]
pub(super) fn bounded_narrow(
    a: (i64, u32),
    m: (i64, u32),
    sum: Decimal,
    max: Decimal,
) -> Option<Decimal> {
    Some(match held(a, m, sum)? {
        Held::Floor => -max,
        Held::Above => Decimal::from_parts(0, 0, 0, false, m.1),
        Held::At(s) => Decimal::from_parts(0, 0, 0, false, s),
        Held::Within { raw, max, scale } => {
            let d = (max - raw) as u64;
            Decimal::from_parts(d as u32, (d >> 32) as u32, 0, true, scale)
        }
    })
}

/// What `add(max, d)` gives for the `d` that [`bounded_narrow`] gives: a
/// part's score itself, for an item whose points are the part's `max`
/// (written the same way). Within the bounds the score `raw` at the larger
/// scale (rust_decimal's sum keeps the larger scale and adds exactly); at
/// or above `max`, `max` itself (`add` returns it for a zero); at or below
/// zero `max + (−max)` by the `Decimal` way, as `add` does it.
#[inline(always)]
pub(super) fn part_score(
    a: (i64, u32),
    m: (i64, u32),
    sum: Decimal,
    max: Decimal,
) -> Option<Decimal> {
    Some(match held(a, m, sum)? {
        Held::Floor => max.checked_add(-max)?,
        Held::Above | Held::At(_) => max,
        Held::Within { raw, scale, .. } => {
            let r = raw as u64;
            Decimal::from_parts(r as u32, (r >> 32) as u32, 0, false, scale)
        }
    })
}

/// Where a part's `raw = start + sum` lies against its bounds `[0, max]`.
enum Held {
    /// At or below zero.
    Floor,
    /// Above `max`.
    Above,
    /// At `max`, the two brought to this scale.
    At(u32),
    /// Between: `raw` and `max` as mantissas at `scale`.
    Within { raw: i64, max: i64, scale: u32 },
}

/// Where `start + sum` lies, from the mantissas brought to one scale in
/// an `i64`; `None` for a mantissa past 32 bits, scales more than 9
/// apart or a product past 64 bits.
#[inline(always)]
fn held((a, sa): (i64, u32), (m, ms): (i64, u32), sum: Decimal) -> Option<Held> {
    let (b, sb) = narrow(sum)?;
    let (raw, rs) = if a == 0 {
        (b, sb)
    } else if b == 0 {
        (a, sa)
    } else {
        let s = sa.max(sb);
        (a * ten(s - sa)? + b * ten(s - sb)?, s)
    };
    if raw <= 0 {
        return Some(Held::Floor);
    }
    let s = rs.max(ms);
    let (r, m) = (raw.checked_mul(ten(s - rs)?)?, m * ten(s - ms)?);
    Some(match r.cmp(&m) {
        std::cmp::Ordering::Greater => Held::Above,
        std::cmp::Ordering::Equal => Held::At(s),
        std::cmp::Ordering::Less => Held::Within {
            raw: r,
            max: m,
            scale: s,
        },
    })
}

pub(super) use crate::ir::narrow;

/// 10^d for d up to 9.
#[inline(always)]
pub(super) fn ten(d: u32) -> Option<i64> {
    POWERS.get(d as usize).map(|&p| p as i64)
}

/// `g / step` for a step of one tenth, one hundredth, … (a mantissa of
/// 1 at scale k ≥ 1: `per 0.1pp`, `per 1pp`) as `Decimal::checked_div`
/// gives it, by a change of scale: its divisor of one leaves no remainder,
/// so its quotient is `g`'s mantissa at scale `s − k`, or, below scale 0,
/// that mantissa times 10^(k − s) at scale 0 (the sign `g`'s; `0` for a
/// zero `g`). `None` for another step, or a product past 96 bits (where
/// rust_decimal may fail): the division decides.
#[inline(always)]
pub(super) fn div_by_tenths(g: Decimal, step: Decimal) -> Option<Decimal> {
    let k = step.scale();
    if step.mantissa() != 1 || k == 0 {
        return None;
    }
    if g.is_zero() {
        return Some(Decimal::ZERO);
    }
    let s = g.scale();
    if s >= k {
        return Decimal::try_from_i128_with_scale(g.mantissa(), s - k).ok();
    }
    let m = g.mantissa() * *POWERS.get((k - s) as usize)?;
    Decimal::try_from_i128_with_scale(m, 0).ok()
}

/// Inlined: a gap's subtraction (`per done below planned`) is on the
/// path of most clauses of a table.
#[inline(always)]
pub(super) fn sub(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_sub(b).map_or_else(
        || {
            fault(
                Code::Overflow,
                t!("{a} − {b} is too large", "{a} − {b} 的结果过大"),
            )
        },
        Ok,
    )
}

#[inline(always)]
pub(super) fn mul(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_mul(b).map_or_else(
        || {
            fault(
                Code::Overflow,
                t!("{a} × {b} is too large", "{a} × {b} 的结果过大"),
            )
        },
        Ok,
    )
}

#[inline]
pub(super) fn div(a: Decimal, b: Decimal) -> Result<Decimal> {
    if b.is_zero() {
        return fault(
            Code::DivisionByZero,
            t!("{} is divided by zero", "{} 被零除", a.normalize()),
        );
    }
    a.checked_div(b).map_or_else(
        || {
            fault(
                Code::Overflow,
                t!("{a} ÷ {b} is too large", "{a} ÷ {b} 的结果过大"),
            )
        },
        Ok,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn decimals() -> Vec<Decimal> {
        let texts = "0 0.00 -0 -0.0 1 3 3.0 0.5 -0.5 2.25 -7 100 18446744073709551616 \
            79228162514264337593543950335 0.0000000000000000000000000001";
        texts
            .split_whitespace()
            .map(|t| Decimal::from_str(t).unwrap())
            .collect()
    }

    /// Each short-cut of the scorer gives rust_decimal's own result, bit
    /// for bit (scale and the sign of zero included).
    #[test]
    fn short_cuts_agree_with_rust_decimal() {
        for d in decimals() {
            let same = |a: Decimal, b: Decimal| assert_eq!(a.serialize(), b.serialize(), "{d}");
            same(zero_minus(d), Decimal::ZERO - d);
            same(at_least_zero(d), d.max(Decimal::ZERO));
            same(floor(d), d.floor());
            let bounds = crate::ir::Bounds::of(&crate::ir::Limit::Score { max: d, start: d });
            if bounds.full {
                same(Decimal::from_parts(0, 0, 0, false, d.scale()), d - d);
            }
            let positive = !d.is_zero() && d.is_sign_positive();
            assert_eq!(bounds.full, positive, "{d}");
            let narrowed = bounds.narrow.map(|(a, m)| (a, m, a == m));
            assert_eq!(
                narrowed.is_some(),
                positive && d.mantissa().abs() < 1 << 32,
                "{d}"
            );
            assert!(narrowed.is_none_or(|(_, (m, s), same)| same && m > 0 && s == d.scale()));
        }
    }

    /// The general way's bounds of a part: the block's three operations.
    fn bounds_by_decimals(start: Decimal, sum: Decimal, max: Decimal) -> Decimal {
        let raw = add(start, sum).unwrap();
        let score = crate::exact::min(if negative(raw) { Decimal::ZERO } else { raw }, max);
        score - max
    }

    /// Decimals of small mantissas of every sign and scale 0–3 and a few
    /// wide ones, drawn from a fixed seed, with the samples above.
    fn bound_operands() -> Vec<Decimal> {
        let mut rng = crate::synth::Rng::new(19);
        let mut out = decimals();
        out.extend((0..160).map(|i| {
            let m = i128::from(rng.below(if i % 8 == 0 { 1 << 40 } else { 64 }));
            let m = if rng.chance(40) { -m } else { m };
            Decimal::from_i128_with_scale(m, rng.below(if i % 16 == 0 { 29 } else { 4 }) as u32)
        }));
        out
    }

    /// `bounded` gives the block's bounds bit for bit (scale and the sign
    /// of zero included) wherever it answers, and answers for the common
    /// operands (scales a few digits apart, small mantissas).
    #[test]
    fn bounds_in_integers_agree_with_the_decimal_way() {
        over_bounds(|start, sum, max| {
            let Some(d) = bounded(start, sum, max) else {
                return false;
            };
            let want = bounds_by_decimals(start, sum, max);
            assert_eq!(
                d.serialize(),
                want.serialize(),
                "{start} {sum} {max}: {d} {want}"
            );
            true
        });
    }

    /// Calls `check` with every start, sum and maximum the bounds' tests
    /// try; `check` says whether the way under test answered, as it must
    /// for most of them.
    fn over_bounds(mut check: impl FnMut(Decimal, Decimal, Decimal) -> bool) {
        let all = bound_operands();
        let mut answered = 0;
        for &max in &all {
            for &start in &[Decimal::ZERO, max, Decimal::new(5, 1), Decimal::new(0, 2)] {
                for &sum in &all {
                    answered += usize::from(check(start, sum, max));
                }
            }
        }
        assert!(answered > all.len() * all.len(), "{answered}");
    }

    /// `part_score` gives what adding the part's maximum back to the
    /// block's bounds gives (`add(max, score − max)`), bit for bit,
    /// wherever it answers, and answers where `bounded` does.
    #[test]
    fn a_part_scored_whole_is_its_bounds_plus_its_points() {
        over_bounds(|start, sum, max| {
            let bounds = crate::ir::Bounds::of(&crate::ir::Limit::Score { max, start });
            let Some((a, m)) = bounds.narrow else {
                return false;
            };
            let score = part_score(a, m, sum, max);
            assert_eq!(score.is_some(), bounded(start, sum, max).is_some());
            let Some(score) = score else {
                return false;
            };
            let want = add(max, bounds_by_decimals(start, sum, max)).unwrap();
            assert_eq!(
                score.serialize(),
                want.serialize(),
                "{start} {sum} {max}: {score} {want}"
            );
            true
        });
    }

    /// An item's body is scored whole only where the item's points are
    /// its maximum written the same way (`2.0` is not `2`).
    #[test]
    fn a_body_is_whole_where_its_points_are_its_maximum() {
        use crate::ir::{Bounds, ItemKind, Limit};
        let d = |t: &str| Decimal::from_str(t).unwrap();
        let limit = Limit::Score {
            max: d("2"),
            start: d("2"),
        };
        assert!(Bounds::of_body(&limit, ItemKind::Base(d("2"))).whole);
        assert!(!Bounds::of_body(&limit, ItemKind::Base(d("2.0"))).whole);
        assert!(!Bounds::of_body(&limit, ItemKind::Deduction).whole);
        assert!(!Bounds::of(&limit).whole);
        assert!(!Bounds::of_body(&Limit::None, ItemKind::Base(d("2"))).whole);
    }

    /// `div_by_tenths` gives rust_decimal's own quotient, bit for bit
    /// (scale and sign included), for every step it answers, and answers
    /// for the steps of one tenth, hundredth, …
    #[test]
    fn division_by_a_tenth_is_rust_decimals_quotient() {
        let steps: Vec<Decimal> = (0..12).map(|k| Decimal::new(1, k)).collect();
        let mut all = bound_operands();
        all.extend(steps.iter().copied());
        let mut answered = 0;
        for &step in all.iter().chain(&steps) {
            for &g in &all {
                let Some(q) = div_by_tenths(g, step) else {
                    continue;
                };
                let want = g.checked_div(step).expect("the division answers");
                assert_eq!(q.serialize(), want.serialize(), "{g} / {step}: {q} {want}");
                answered += 1;
            }
        }
        assert!(answered > 10 * all.len(), "{answered}");
    }
}
