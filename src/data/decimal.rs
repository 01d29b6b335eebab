//! Exact decimals from the digits people write: plain digits read
//! straight into their mantissa, else rust_decimal's parsers (scientific
//! notation too); full-width digits as typed with a Chinese input method;
//! a number of percent divided by 100 without the division. A number that
//! exact decimals cannot hold is refused, never rounded.

use super::describe::show;
use super::scalar::{Bad, Cell};
use crate::diagnostic::{Code, Text};
use crate::t;
use rust_decimal::Decimal;
use std::borrow::Cow;

/// Digits with at most one point inside, 19 characters or fewer (nearly every
/// number cell: `3`, `87.5`, `0.50`), read straight into their mantissa
/// and scale: what `Decimal::from_str_exact` makes of them (trailing zeros
/// kept), without its general parser. `None` for anything else.
pub(super) fn plain_decimal(text: &str) -> Option<Decimal> {
    let bytes = text.as_bytes();
    // 19 digits fit a u64; with a point, 18 do.
    if bytes.len() > 19 {
        return None;
    }
    let (mut mantissa, mut scale, mut point) = (0u64, 0, false);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                scale += u32::from(point);
            }
            b'.' if !point && i > 0 && i + 1 < bytes.len() => point = true,
            _ => return None,
        }
    }
    let (lo, mid) = (mantissa as u32, (mantissa >> 32) as u32);
    (!bytes.is_empty()).then(|| Decimal::from_parts(lo, mid, 0, false, scale))
}

/// `n / 100`, exactly as rust_decimal divides it, without the division
/// where the quotient's digits and scale are known: for a mantissa under
/// 10¹² and a scale up to 6 (every percent people write), the mantissa
/// over 100 when that is whole, else the same mantissa two places further
/// right (checked against the division in the tests below).
pub(super) fn hundredth(n: Decimal) -> Decimal {
    let (m, scale) = (n.mantissa(), n.scale());
    if n.is_zero() || scale > 6 || m.abs() >= 1_000_000_000_000 {
        n / Decimal::ONE_HUNDRED
    } else if m % 100 == 0 {
        Decimal::from_i128_with_scale(m / 100, scale)
    } else {
        Decimal::from_i128_with_scale(m, scale + 2)
    }
}

/// `text` as an exact decimal: in digits (zeros after the last digit
/// after the point beyond what can be held are dropped, as they change
/// nothing), else in scientific notation. A number that cannot be held
/// exactly (more than 28 places after the point, or too large) is refused,
/// never rounded: 100.0000000000000000000000000001 is not 100.
/// `from_str_exact` refuses every text with an exponent, so it is tried
/// first and the text searched for one only then.
pub(super) fn parse_decimal(text: &str, cell: Cell) -> Result<Decimal, Bad> {
    if let Some(d) = plain_decimal(text) {
        return Ok(d);
    }
    let scientific = || text.bytes().any(|b| b == b'e' || b == b'E');
    let parsed = Decimal::from_str_exact(text).or_else(|e| {
        if scientific() {
            Decimal::from_scientific(text)
        } else if text.contains('.') && text.ends_with('0') {
            Decimal::from_str_exact(text.trim_end_matches('0').trim_end_matches('.'))
        } else {
            Err(e)
        }
    });
    parsed.map_err(|_| {
        let numeric = !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
        if numeric {
            too_precise(cell)
        } else {
            let found = show(cell);
            Box::new((
                Code::DatumType,
                t!(
                    "expected a number written in digits, found {found}",
                    "应为用数字填写的数值，实际为 {found}"
                ),
                Some(digits_help(text)),
            ))
        }
    })
}

/// Whether a cell holds only a mark that tables put for "nothing": a
/// dash, a slash, 无, N/A.
fn stands_for_none(text: &str) -> bool {
    let text = text.trim();
    matches!(text, "无" | "/" | "／" | "\\")
        || text.eq_ignore_ascii_case("n/a")
        || (!text.is_empty() && text.chars().all(|c| matches!(c, '-' | '－' | '—' | '–')))
}

/// What to write instead of a number cell that is not one: the number
/// alone when it is followed by a word (`12个月`, `5 人`), the number
/// without its thousands separators (`1,234`), else digits in general.
fn digits_help(text: &str) -> Text {
    if stands_for_none(text) {
        let text = text.trim();
        return t!(
            "\"{text}\" may mean none or not applicable, and kaohe does not guess which: write 0 for none, or 不适用 (not applicable) where the item does not apply to the unit",
            "“{text}”在表格里可能表示“没有”，也可能表示“不适用”，kaohe 不猜：没有就填 0；本项对该单位不适用就填“不适用”"
        );
    }
    if let Some(plain) = without_separators(text) {
        return t!(
            "write {plain}, without the thousands separators",
            "请去掉千位分隔符，写作 {plain}"
        );
    }
    let number_end = text
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || (c == '.' && i > 0) || (c == '-' && i == 0)))
        .map_or(text.len(), |(i, _)| i);
    let (number, rest) = text.split_at(number_end);
    let rest = rest.trim();
    if number.bytes().any(|b| b.is_ascii_digit())
        && plain_decimal(number.trim_start_matches('-')).is_some()
        && !rest.is_empty()
        && !rest.bytes().any(|b| b.is_ascii_digit())
    {
        return t!(
            "write the number alone, {number}, without \"{rest}\"",
            "请只填数字 {number}，不要写“{rest}”"
        );
    }
    if let Some((number, rest)) = chinese_numeral(text) {
        return match rest.trim() {
            "" => t!("write it in digits: {number}", "请用数字写作 {number}"),
            rest => t!(
                "write the number alone in digits, {number}, without \"{rest}\"",
                "请只填数字 {number}，不要写“{rest}”"
            ),
        };
    }
    t!(
        "write numbers in digits, such as 2 or 27.5",
        "请用数字填写，如 2 或 27.5"
    )
}

/// A whole number written in Chinese numerals at the start of `text`
/// (`三`, `十二`, `两千零二十四`, `二〇二四`, up to 9,999) and what follows it
/// (`次`), when nothing after it is a digit or goes on with the number
/// (`万`, `点`, `多`): only ever named in a help, as
/// what to write — a cell is never read this way.
fn chinese_numeral(text: &str) -> Option<(u32, &str)> {
    let end = (text.char_indices())
        .find(|&(_, c)| numeral(c).is_none())
        .map_or(text.len(), |(i, _)| i);
    let (head, rest) = text.split_at(end);
    let chars: Vec<u32> = head.chars().filter_map(numeral).collect();
    // 万 and 亿 are larger units, 点 a point, 半 几 多 余 来 not a number.
    let more = rest.starts_with(['万', '亿', '点', '半', '几', '多', '余', '来']);
    if chars.is_empty()
        || more
        || rest
            .chars()
            .any(|c| c.is_ascii_digit() || numeral(c).is_some())
    {
        return None;
    }
    let number = if chars.len() > 1 && chars.iter().all(|&v| v < 10) {
        chars
            .iter()
            .try_fold(0u32, |n, &d| n.checked_mul(10)?.checked_add(d))
    } else {
        with_units(&chars)
    };
    number.map(|n| (n, rest))
}

/// The value of a Chinese digit or unit: 零〇 0, 一 1, 二两 2 … 九 9, 十 10,
/// 百 100, 千 1000.
fn numeral(c: char) -> Option<u32> {
    let at = "零一二三四五六七八九".chars().position(|d| d == c);
    at.map(|d| d as u32).or(match c {
        '〇' => Some(0),
        '两' => Some(2),
        '十' => Some(10),
        '百' => Some(100),
        '千' => Some(1000),
        _ => None,
    })
}

/// Digits each followed by a smaller unit than the one before (`两千零二十四`);
/// a leading `十` is ten (`十二`).
fn with_units(values: &[u32]) -> Option<u32> {
    let (mut total, mut digit, mut last_unit) = (0, None, u32::MAX);
    for &v in values {
        if v < 10 {
            if digit.is_some() {
                return None;
            }
            digit = (v > 0).then_some(v);
            continue;
        }
        let d = digit.take().or((total == 0 && v == 10).then_some(1))?;
        if v >= last_unit {
            return None;
        }
        total += d * v;
        last_unit = v;
    }
    Some(total + digit.unwrap_or(0))
}

/// `1,234` or `12,345,678.5` without its separators: digits in groups of
/// three after the first, a comma between each two.
fn without_separators(text: &str) -> Option<String> {
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => (w, Some(f)),
        Some(_) => return None,
        None => (text, None),
    };
    let mut groups = whole.split(',');
    let first = groups.next()?;
    let first_ok = (1..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_digit());
    let rest: Vec<&str> = groups.collect();
    let rest_ok = rest
        .iter()
        .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    if !first_ok || rest.is_empty() || !rest_ok {
        return None;
    }
    let digits = std::iter::once(first).chain(rest).collect::<String>();
    Some(match fraction {
        Some(f) => format!("{digits}.{f}"),
        None => digits,
    })
}

/// A number that exact decimals cannot hold.
pub(super) fn too_precise(cell: Cell) -> Bad {
    let found = show(cell);
    Box::new((
        Code::DatumType,
        t!(
            "the number {found} is too large or too precise to be held exactly; kaohe does not round it",
            "数值 {found} 过大或小数位数过多，无法精确保存；kaohe 不会擅自舍入"
        ),
        Some(t!(
            "kaohe holds up to 28 significant digits and 28 places after the point; write the number as it is meant, rounded by you",
            "kaohe 最多保留 28 位有效数字、小数点后 28 位；请按实际含义自行取舍后填写"
        )),
    ))
}

/// Full-width digits and points, as typed with a Chinese input method, and
/// a full stop between two digits (`31。6`), the point as that input method
/// types it — as the spec language reads `0。5` (`parse::fullwidth`). An
/// ASCII text (nearly every cell) is returned as it is, without a copy.
pub(super) fn normalise_digits(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    let half = |c: char| match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '．' => '.',
        '－' => '-',
        _ => c,
    };
    let chars: Vec<char> = s.chars().map(half).collect();
    let digit = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(char::is_ascii_digit)
    };
    (chars.iter().enumerate())
        .map(|(i, &c)| match c {
            '。' if digit(i.checked_sub(1)) && digit(Some(i + 1)) => '.',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod plain_decimals {
    use super::plain_decimal;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    /// `plain_decimal` reads what `from_str_exact` reads, digit for digit
    /// and with the same scale, or leaves the text to it.
    fn agrees(text: &str) {
        let exact = Decimal::from_str_exact(text).ok().map(|d| d.serialize());
        if let Some(d) = plain_decimal(text) {
            assert_eq!(Some(d.serialize()), exact, "{text:?}");
        }
    }

    #[test]
    fn plain_numbers_are_read_as_from_str_exact_reads_them() {
        let texts = [
            "0",
            "00",
            "7",
            "007",
            "0.0",
            "0.50",
            "87.5",
            "100",
            "100.000",
            "1.",
            ".5",
            "1..2",
            "-1",
            "+1",
            "1e3",
            "",
            ".",
            "999999999999999999",
            "9999999999999999999",
            "99999999.9999999999",
            "4294967296",
            "18446744073709551615",
            "1 2",
            "１",
        ];
        for t in texts {
            agrees(t);
        }
        // Every cell of a generated table is read here, none by the parser.
        for t in ["3", "87.5", "0.95", "12"] {
            assert!(plain_decimal(t).is_some(), "{t}");
        }
        assert!(plain_decimal("18446744073709551615").is_none());
        assert!(plain_decimal("9999999999999999999").is_some());
    }

    proptest! {
        #[test]
        fn any_digits_are_read_as_from_str_exact_reads_them(text in "[0-9]{0,20}([.][0-9]{0,20})?") {
            agrees(&text);
        }

        #[test]
        fn any_text_is_read_as_from_str_exact_reads_it(text in "[0-9.+-e ]{0,12}") {
            agrees(&text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalise_digits;
    use rust_decimal::Decimal;

    #[test]
    fn chinese_numerals_are_named_in_digits() {
        for (text, number, rest) in [
            ("三", 3, ""),
            ("两次", 2, "次"),
            ("十", 10, ""),
            ("十二", 12, ""),
            ("二十", 20, ""),
            ("一百零五", 105, ""),
            ("两千零二十四", 2024, ""),
            ("二〇二四年", 2024, "年"),
            ("零", 0, ""),
        ] {
            assert_eq!(super::chinese_numeral(text), Some((number, rest)), "{text}");
        }
        for not in [
            "",
            "次",
            "三3",
            "十十",
            "百十百",
            "二二十",
            "一千一万",
            "三点五",
            "十多次",
            "一半",
            "3次",
        ] {
            assert_eq!(super::chinese_numeral(not), None, "{not}");
        }
    }

    #[test]
    fn a_mark_for_nothing_is_told_to_be_0_or_not_applicable() {
        for none in ["—", "——", "-", " -- ", "－", "/", "／", "无", "N/A", "n/a"] {
            let help = super::digits_help(none).zh;
            assert!(
                help.contains("没有就填 0") && help.contains("不适用"),
                "{none}: {help}"
            );
        }
        for other in ["一", "-1", "无效", "1/2", "两次"] {
            assert!(
                !super::digits_help(other).zh.contains("没有就填 0"),
                "{other}"
            );
        }
    }

    #[test]
    fn a_full_stop_between_two_digits_is_a_point() {
        assert_eq!(normalise_digits("31。6"), "31.6");
        assert_eq!(normalise_digits("３１。６"), "31.6");
        assert_eq!(normalise_digits("-0。5"), "-0.5");
        for kept in ["3。", "。5", "是。", "。"] {
            assert_eq!(normalise_digits(kept), kept);
        }
    }

    #[test]
    fn a_hundredth_is_what_the_division_gives() {
        let mut cases: Vec<Decimal> = Vec::new();
        for scale in 0..=8 {
            for m in (-3_000..=3_000).chain([999_999_999_999, 1_000_000_000_000, -123_400]) {
                cases.push(Decimal::new(m, scale));
                cases.push(Decimal::new(m * 1_000_003, scale));
            }
        }
        for n in cases {
            let (fast, slow) = (super::hundredth(n), n / Decimal::ONE_HUNDRED);
            assert_eq!(fast.serialize(), slow.serialize(), "{n}");
        }
    }
}

#[cfg(test)]
mod help {
    use super::digits_help;

    fn help(text: &str) -> String {
        digits_help(text).en
    }

    #[test]
    fn a_number_with_a_word_after_it_is_told_to_drop_the_word() {
        assert_eq!(
            help("12个月"),
            "write the number alone, 12, without \"个月\""
        );
        assert_eq!(
            help("3.5 分"),
            "write the number alone, 3.5, without \"分\""
        );
        assert_eq!(help("-2天"), "write the number alone, -2, without \"天\"");
    }

    #[test]
    fn thousands_separators_are_told_to_be_dropped() {
        assert_eq!(
            help("1,250,000"),
            "write 1250000, without the thousands separators"
        );
        assert_eq!(
            help("12,345.5"),
            "write 12345.5, without the thousands separators"
        );
    }

    #[test]
    fn a_number_in_chinese_numerals_is_named_in_digits() {
        assert_eq!(
            help("两次"),
            "write the number alone in digits, 2, without \"次\""
        );
        assert_eq!(help("十二"), "write it in digits: 12");
    }

    #[test]
    fn anything_else_is_told_to_be_written_in_digits() {
        for text in [
            "三点五",
            "1,5",
            "1。2。3",
            "。5",
            "12,34",
            "2024年3月2日",
            "约10",
            "12.",
            ",123",
        ] {
            assert_eq!(
                help(text),
                "write numbers in digits, such as 2 or 27.5",
                "{text}"
            );
        }
    }
}
