//! Decimal arithmetic for the scorer: checked operations that fault on
//! overflow and division by zero, and short cuts that give
//! rust_decimal's own result (scale and the sign of zero included).

use super::fault::{Result, fault};
use crate::diagnostic::Code;
use crate::exact::negative;
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

/// Whether a part starting at `start` starts at its maximum `max > 0`,
/// written the same way (as a part without `from` does): then `max − max`
/// is a positive zero at the scale of `max`, which is what
/// `Decimal::checked_sub` gives for two equal positive operands.
#[inline(always)]
pub(super) fn is_full(start: Decimal, max: Decimal) -> bool {
    start.serialize() == max.serialize() && !max.is_zero() && max.is_sign_positive()
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
            if is_full(d, d) {
                same(Decimal::from_parts(0, 0, 0, false, d.scale()), d - d);
            }
        }
    }
}
