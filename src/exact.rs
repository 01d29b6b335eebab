//! Decimal comparisons without rust_decimal's general path, for the IR's
//! bands, scoring and reading data (a leaf: it imports no stage).
//!
//! Scoring compares decimals at every step (a part held within its
//! maximum, a cap, a condition), nearly always two numbers of the same
//! scale or of scales a few digits apart. `Decimal::cmp` tests zeros and
//! signs, then rescales 32 bits at a time; here two operands of the same
//! scale compare by their signed mantissas, and two whose scales differ by
//! at most 9 compare after one exact multiplication in `i128`. Anything
//! else goes to `Decimal::cmp`. An ordering has one right answer, so the
//! results are those of rust_decimal (the tests compare every pair of
//! several hundred decimals of all widths and scales); `min` and `max`
//! keep its choice of operand on a tie, which can differ in scale (2.0 and
//! 2). Sums and products stay with rust_decimal, whose own short paths for
//! 32-bit mantissas were faster than an `i128` one.

use rust_decimal::Decimal;
use std::cmp::Ordering;

/// 10⁰ … 10⁹: a mantissa (below 2⁹⁶) times any of them fits in an `i128`.
pub const POWERS: [i128; 10] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
];

/// `a.cmp(&b)`.
#[inline(always)]
pub fn cmp(a: Decimal, b: Decimal) -> Ordering {
    let (sa, sb) = (a.scale(), b.scale());
    if sa == sb {
        return a.mantissa().cmp(&b.mantissa());
    }
    let power = |d: u32| POWERS.get(d as usize).copied();
    if sa < sb {
        if let Some(p) = power(sb - sa) {
            return (a.mantissa() * p).cmp(&b.mantissa());
        }
    } else if let Some(p) = power(sa - sb) {
        return a.mantissa().cmp(&(b.mantissa() * p));
    }
    a.cmp(&b)
}

/// `d < 0`, without a comparison of decimals: −0 is not below 0.
#[inline(always)]
pub fn negative(d: Decimal) -> bool {
    d.is_sign_negative() && !d.is_zero()
}

/// `a.min(b)`: `b` only if it is smaller.
#[inline(always)]
pub fn min(a: Decimal, b: Decimal) -> Decimal {
    if cmp(a, b) == Ordering::Greater { b } else { a }
}

/// `a.max(b)`: `b` only if it is larger.
#[inline(always)]
pub fn max(a: Decimal, b: Decimal) -> Decimal {
    if cmp(a, b) == Ordering::Less { b } else { a }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// Numbers of every scale 0–28, both signs, zeros of several scales,
    /// and the extremes of the type.
    fn samples() -> Vec<Decimal> {
        let texts = "0 0.0 0.00000 -0 1 2 2.0 2.00 -2 -2.000 0.5 0.50 -0.5 0.1 0.01 0.001 \
            0.0001 0.333 99.99 100 1e-9 1e-10 1e-19 1e-28 3.1415926535897932384626433832 \
            -3.14159 79228162514264337593543950335 -79228162514264337593543950335 \
            7922816251426433759354395033.5 0.0000000000000000000000000001 \
            123456789.123456789 -123456789.123456789 4294967296 4294967295.5";
        let mut out: Vec<Decimal> = texts
            .split_whitespace()
            .map(|t| {
                Decimal::from_str(t)
                    .or_else(|_| Decimal::from_scientific(t))
                    .unwrap()
            })
            .collect();
        let zero = Decimal::new(0, 7);
        out.push(zero);
        out.push(-zero);
        out
    }

    /// Decimals of every mantissa width (0 to 96 bits), scale and sign,
    /// drawn from a fixed seed.
    fn random(count: usize) -> Vec<Decimal> {
        let mut rng = crate::synth::Rng::new(6);
        (0..count)
            .map(|_| {
                let bits = rng.below(97) as u32;
                let wide = u128::from(rng.next_u64()) << 64 | u128::from(rng.next_u64());
                let m = if bits == 0 { 0 } else { wide >> (128 - bits) };
                let m = i128::try_from(m).unwrap();
                let m = if rng.chance(50) { -m } else { m };
                Decimal::from_i128_with_scale(m, rng.below(29) as u32)
            })
            .collect()
    }

    #[test]
    fn agrees_with_rust_decimal() {
        let mut s = samples();
        s.extend(random(400));
        for &a in &s {
            for &b in &s {
                assert_eq!(cmp(a, b), a.cmp(&b), "{a} vs {b}");
                let (m, n) = (min(a, b), a.min(b));
                assert_eq!(m.serialize(), n.serialize(), "min {a} {b}");
                let (m, n) = (max(a, b), a.max(b));
                assert_eq!(m.serialize(), n.serialize(), "max {a} {b}");
            }
        }
    }

    #[test]
    fn negative_is_below_zero() {
        let mut s = samples();
        s.extend(random(400));
        for d in s {
            assert_eq!(negative(d), d < Decimal::ZERO, "{d}");
        }
    }
}
