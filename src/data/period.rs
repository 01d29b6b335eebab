//! Months (1–12) and quarters (1–4) as clerks write them (`3`, `3月`,
//! `三月`, `Q2`, `第二季度`), for fields of type `month` and `quarter`
//! (issue 15, item 9): anything else, or a number out of range, is refused
//! with K0542 / K0543 naming what was found and what is allowed.

use super::decimal::normalise_digits;
use super::describe::show;
use super::scalar::{Bad, Cell};
use super::trim::trim;
use crate::diagnostic::Code;
use crate::t;
use rust_decimal::Decimal;

/// Chinese numerals from 1 to 12, as months and quarters are written.
const NUMERALS: [&str; 12] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
];

/// The number one or two ASCII digits write (`3`, `03`, `12`), the form
/// nearly every month and quarter cell takes: what [`month`] and
/// [`quarter`] read in it, told without their copy of the text. `None`
/// for any other text, which goes the general way.
pub(super) fn plain_whole(s: &str) -> Option<u32> {
    match *s.as_bytes() {
        [a] if a.is_ascii_digit() => Some(u32::from(a - b'0')),
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
            Some(u32::from(a - b'0') * 10 + u32::from(b - b'0'))
        }
        _ => None,
    }
}

/// The day number of a date written `YYYY-MM-DD` in ASCII digits, the form
/// nearly every date cell takes (and the one kaohe's templates ask for):
/// what [`crate::date::parse_written`] reads in it, without its search for
/// a separator and its split. `None` for any other text, and for a date
/// that is none (`2024-02-30`), which the general way reads and explains.
pub(super) fn plain_date(s: &str) -> Option<i32> {
    let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = s.as_bytes() else {
        return None;
    };
    let mut n = [0u32; 8];
    for (slot, c) in n.iter_mut().zip([y0, y1, y2, y3, m0, m1, d0, d1]) {
        *slot = u32::from(c.checked_sub(b'0').filter(|d| *d < 10)?);
    }
    let [a, b, c, d, m0, m1, d0, d1] = n;
    let year = i32::try_from(a * 1000 + b * 100 + c * 10 + d).ok()?;
    crate::date::from_ymd(year, m0 * 10 + m1, d0 * 10 + d1)
}

/// A month from 1 to 12.
pub(super) fn month(cell: Cell) -> Result<Decimal, Bad> {
    let n = text_of(cell).and_then(|s| {
        let s = s
            .strip_suffix("月份")
            .or_else(|| s.strip_suffix('月'))
            .unwrap_or(&s);
        whole(s)
    });
    match n {
        Some(n @ 1..=12) => Ok(Decimal::from(n)),
        _ => {
            let found = show(cell);
            Err(Box::new((
                Code::DatumMonth,
                t!(
                    "expected a month from 1 to 12, found {found}",
                    "应为 1 至 12 之间的月份，实际为 {found}"
                ),
                Some(t!(
                    "write the month's number: 1 for January … 12 for December (\"3\" or \"3月\")",
                    "请填写月份的数字：1 表示一月……12 表示十二月（如 \"3\" 或 \"3月\"）"
                )),
            )))
        }
    }
}

/// A quarter from 1 to 4.
pub(super) fn quarter(cell: Cell) -> Result<Decimal, Bad> {
    let n = text_of(cell).and_then(|s| {
        let s = s.strip_prefix('第').unwrap_or(&s);
        let s = s
            .strip_prefix(['Q', 'q'])
            .or_else(|| s.strip_suffix("季度"))
            .unwrap_or(s);
        whole(s)
    });
    match n {
        Some(n @ 1..=4) => Ok(Decimal::from(n)),
        _ => {
            let found = show(cell);
            Err(Box::new((
                Code::DatumQuarter,
                t!(
                    "expected a quarter from 1 to 4, found {found}",
                    "应为 1 至 4 之间的季度，实际为 {found}"
                ),
                Some(t!(
                    "write the quarter's number: 1 to 4 (\"2\", \"Q2\" or \"第二季度\")",
                    "请填写季度的数字：1 至 4（如 \"2\"、\"Q2\" 或 \"第二季度\"）"
                )),
            )))
        }
    }
}

/// The text of a cell, digits in ASCII and spaces trimmed; a number cell
/// as its digits.
fn text_of(cell: Cell) -> Option<String> {
    match cell {
        Cell::Text(s) | Cell::Number(s) => Some(normalise_digits(trim(s)).into_owned()),
        _ => None,
    }
}

/// A whole number written in digits (`3`, `03`, `3.0`) or as a Chinese
/// numeral up to 十二.
fn whole(s: &str) -> Option<u32> {
    if let Some(i) = NUMERALS.iter().position(|w| *w == s) {
        return u32::try_from(i + 1).ok();
    }
    // Digits, with zeros after a point at most (a number cell 3.0): never
    // a sign or an exponent.
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || int.len() > 4 || !digits(int) || !frac.bytes().all(|b| b == b'0') {
        return None;
    }
    int.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Option<Decimal> {
        month(Cell::Text(s)).ok()
    }

    fn q(s: &str) -> Option<Decimal> {
        quarter(Cell::Text(s)).ok()
    }

    #[test]
    fn months_as_written() {
        for (s, n) in [
            ("3", 3),
            ("03", 3),
            ("3月", 3),
            ("十二月", 12),
            ("１２", 12),
            ("3.0", 3),
            (" 7 ", 7),
        ] {
            assert_eq!(m(s), Some(Decimal::from(n)), "{s}");
        }
        assert_eq!(month(Cell::Number("11")).ok(), Some(Decimal::from(11)));
        for s in ["0", "13", "-1", "2.5", "March", "", "1e1", "十三月"] {
            let bad = month(Cell::Text(s)).err().unwrap();
            assert_eq!(bad.0, Code::DatumMonth, "{s}");
        }
        // 三 alone is a month too: a Chinese numeral.
        assert_eq!(m("三"), Some(Decimal::from(3)));
    }

    #[test]
    fn quarters_as_written() {
        for (s, n) in [
            ("2", 2),
            ("Q2", 2),
            ("q4", 4),
            ("第二季度", 2),
            ("3季度", 3),
            ("第1季度", 1),
        ] {
            assert_eq!(q(s), Some(Decimal::from(n)), "{s}");
        }
        for s in ["0", "5", "Q5", "第五季度", "1.5", "上半年"] {
            assert_eq!(
                quarter(Cell::Text(s)).err().unwrap().0,
                Code::DatumQuarter,
                "{s}"
            );
        }
    }
}
