//! A spreadsheet's number and column letters as people see them (a leaf:
//! it imports no stage).
//!
//! An XLSX or XLS cell holds a binary float; Excel and WPS show and keep
//! 15 significant digits of it. Data cells (`data::xlsx`) and the cells of
//! a table being imported (`import::xlsx`) are both read through
//! [`number`], so a formula's result is what the sheet shows.

/// A spreadsheet's number cell as people see it in Excel or WPS: rounded to 15
/// significant digits, all that a spreadsheet shows or keeps of a number
/// typed into a cell. What was typed comes back as typed (`0.875`); a
/// formula's result is read as shown, not as the float's last binary
/// digits (`=0.7+0.2` holds 0.8999999999999999 and shows 0.9, or 90.0%).
/// `None` for infinity and NaN.
pub fn number(f: f64) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    // `d.dddddddddddddde±x`: the 15 digits, correctly rounded.
    let shown = format!("{:.14e}", f.abs());
    let (mantissa, exponent) = shown.split_once('e')?;
    let exponent: i64 = exponent.parse().ok()?;
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    if digits.is_empty() {
        return Some("0".to_string());
    }
    // The count of digits before the point.
    let whole = exponent + 1;
    let text = match usize::try_from(whole) {
        Ok(0) | Err(_) => format!("0.{}{digits}", "0".repeat(whole.unsigned_abs() as usize)),
        Ok(whole) if whole >= digits.len() => {
            format!("{digits}{}", "0".repeat(whole - digits.len()))
        }
        Ok(whole) => {
            let (before, after) = digits.split_at(whole);
            format!("{before}.{after}")
        }
    };
    Some(if f < 0.0 { format!("-{text}") } else { text })
}

/// A column's letters as a spreadsheet names it (0 → A, 25 → Z, 26 → AA):
/// data cells' places (`data`) and an imported table's (`import`).
pub fn column_letters(col: usize) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        out.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{column_letters, number};
    use proptest::prelude::*;

    #[test]
    fn columns_are_lettered_as_a_spreadsheet_does() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn numbers_are_read_as_a_spreadsheet_shows_them() {
        let cases = [
            (0.875, "0.875"),
            (0.7 + 0.2, "0.9"),
            (0.1 + 0.2, "0.3"),
            (1.9999999999999998, "2"),
            (-0.0, "0"),
            (-12.5, "-12.5"),
            (1e20, "100000000000000000000"),
            (123_456_789_012_345_680.0, "123456789012346000"),
            (1.5e-7, "0.00000015"),
            (45_352.0, "45352"),
            (0.123_456_789_012_345_6, "0.123456789012346"),
        ];
        for (f, shown) in cases {
            assert_eq!(number(f).as_deref(), Some(shown), "{f:?}");
        }
        assert_eq!(number(f64::NAN), None);
        assert_eq!(number(f64::INFINITY), None);
    }

    proptest! {
        /// A number of up to 15 significant digits typed into a cell comes
        /// back as typed.
        #[test]
        fn typed_numbers_come_back_as_typed(
            digits in 1u64..1_000_000_000_000_000,
            places in 0u32..20,
            negative: bool,
        ) {
            let typed = rust_decimal::Decimal::from_i128_with_scale(i128::from(digits), places)
                .normalize();
            let typed = if negative { -typed } else { typed };
            let f: f64 = typed.to_string().parse().unwrap();
            let back: rust_decimal::Decimal = number(f).unwrap().parse().unwrap();
            prop_assert_eq!(back, typed);
        }
    }
}
