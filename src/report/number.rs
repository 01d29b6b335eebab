//! Scores as the reports print them, made without `format!`: two
//! decimals, half away from zero, never "-0.00" (`fmt2`). A dense unit's
//! reports print some 350 numbers; formatting each through `Decimal`'s
//! `Display` and a new `String` was a tenth of the JSON-lines report's
//! instructions (docs/performance.md, "Round 10: the reports").

use rust_decimal::{Decimal, RoundingStrategy};

/// The longest text [`Two`] holds: a sign, 29 digits of a `Decimal`'s
/// 96-bit mantissa, two more from the rescale, and the point.
const ROOM: usize = 40;

/// A score's text, two decimals, on the stack.
pub struct Two {
    bytes: [u8; ROOM],
    start: usize,
}

impl Two {
    /// `d` rounded to two decimals, half away from zero; zero (and a
    /// negative number that rounds to it) is "0.00".
    pub fn new(d: Decimal) -> Two {
        let r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        let mut bytes = [b'0'; ROOM];
        // After rounding the scale is 0, 1 or 2: the mantissa in
        // hundredths fits an u128 (96 bits times 100).
        let shift = 2u32.saturating_sub(r.scale());
        let mut n = r.mantissa().unsigned_abs() * 10u128.pow(shift);
        let negative = r.mantissa() < 0 && n != 0;
        let mut at = ROOM;
        let mut put = |b: u8| {
            at = at.saturating_sub(1);
            if let Some(slot) = bytes.get_mut(at) {
                *slot = b;
            }
        };
        // Every score of a report fits 64 bits, whose division is a
        // tenth of the cost of 128 bits'.
        let mut small = u64::try_from(n).ok();
        let mut digits = 0;
        while small.map_or(n > 0, |s| s > 0) || digits < 3 {
            if digits == 2 {
                put(b'.');
            }
            let digit = match &mut small {
                Some(s) => {
                    let d = *s % 10;
                    *s /= 10;
                    d as u8
                }
                None => {
                    let d = (n % 10) as u8;
                    n /= 10;
                    if let Ok(s) = u64::try_from(n) {
                        small = Some(s);
                    }
                    d
                }
            };
            put(b'0' + digit);
            digits += 1;
        }
        if negative {
            put(b'-');
        }
        Two { bytes, start: at }
    }

    pub fn as_str(&self) -> &str {
        let bytes = self.bytes.get(self.start..).unwrap_or_default();
        // Only ASCII digits, '.' and '-' are written.
        std::str::from_utf8(bytes).unwrap_or_default()
    }
}

impl serde::Serialize for Two {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::Two;
    use proptest::prelude::*;
    use rust_decimal::{Decimal, RoundingStrategy};

    /// The way `fmt2` printed before: `Decimal`'s `Display`.
    fn by_display(d: Decimal) -> String {
        let r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        if r.is_zero() {
            "0.00".to_string()
        } else {
            format!("{r:.2}")
        }
    }

    #[test]
    fn prints_as_display_did_at_the_edges() {
        for s in [
            "0",
            "-0",
            "0.004",
            "-0.004",
            "-0.005",
            "0.005",
            "2.125",
            "-0.125",
            "-0.001",
            "200",
            "1",
            "-1",
            "0.1",
            "-0.1",
            "12345.678",
            "99.995",
            "-99.995",
            "0.01",
            "-0.01",
        ] {
            let d: Decimal = s.parse().unwrap();
            assert_eq!(Two::new(d).as_str(), by_display(d), "{s}");
        }
        for d in [
            Decimal::MAX,
            Decimal::MIN,
            Decimal::new(-5, 28),
            Decimal::new(5, 3),
        ] {
            assert_eq!(Two::new(d).as_str(), by_display(d), "{d}");
        }
    }

    proptest! {
        #[test]
        fn prints_as_display_did(lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(),
                                 negative in any::<bool>(), scale in 0u32..=28) {
            let d = Decimal::from_parts(lo, mid, hi, negative, scale);
            let two = Two::new(d);
            prop_assert_eq!(two.as_str(), by_display(d));
        }

        #[test]
        fn prints_small_numbers_as_display_did(m in -100_000_000i64..100_000_000, scale in 0u32..=6) {
            let d = Decimal::new(m, scale);
            let two = Two::new(d);
            prop_assert_eq!(two.as_str(), by_display(d));
        }
    }
}
