//! Numbers written in Chinese numerals (`二`, `十五`, `半`, `零点五`), as
//! the prose of a table writes them ("扣二分", "每次扣半分"). A rule needs
//! digits: where a number is expected and such a numeral stands, the
//! parser says so with the digits as the fix (K0101); where a name stands
//! that is one, the checker does (K0212) rather than asking to declare an
//! input named `二`.

use rust_decimal::Decimal;

/// The value of `s` read as a Chinese numeral, if it is one: a whole
/// number up to the ten thousands (`十五`, `一百零五`, `两千`), a decimal
/// with `点` (`零点五`, `一点二五`), or `半` (a half).
pub fn value(s: &str) -> Option<Decimal> {
    if s == "半" {
        return Some(Decimal::new(5, 1));
    }
    match s.split_once('点') {
        Some((whole, fraction)) => decimal(whole, fraction),
        None => whole(s).map(Decimal::from),
    }
}

/// `whole` 点 `fraction`: the fraction's digits one by one.
fn decimal(whole_part: &str, fraction: &str) -> Option<Decimal> {
    if fraction.is_empty() || fraction.chars().count() > 10 {
        return None;
    }
    let (mut mantissa, mut scale) = (0i64, 0u32);
    for c in fraction.chars() {
        mantissa = mantissa * 10 + digit(c)?;
        scale += 1;
    }
    let fraction = Decimal::new(mantissa, scale);
    Some(Decimal::from(whole(whole_part)?) + fraction)
}

/// A whole number: digits with their units 十, 百, 千 and 万 (`二十`, `十五`
/// for fifteen, `一百零五`), or digits alone (`二〇二四`).
fn whole(s: &str) -> Option<i64> {
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| digit(c).is_some()) {
        return s
            .chars()
            .try_fold(0i64, |n, c| n.checked_mul(10)?.checked_add(digit(c)?));
    }
    let (mut total, mut section, mut pending) = (0i64, 0i64, None::<i64>);
    // Units within a section come largest first (`一百零五`, not `十百`).
    let mut last = i64::MAX;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            pending = Some(d);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => {
                if total > 0 {
                    return None;
                }
                total = (section + pending.take().unwrap_or(0)).checked_mul(10_000)?;
                (section, last) = (0, i64::MAX);
                continue;
            }
            _ => return None,
        };
        if unit >= last {
            return None;
        }
        last = unit;
        // `十五` is fifteen: a 十 with no digit before it is one ten.
        section += pending.take().unwrap_or(1) * unit;
    }
    Some(total + section + pending.unwrap_or(0))
}

/// A Chinese digit's value (`两` is two, `〇` zero).
fn digit(c: char) -> Option<i64> {
    let at = "零一二三四五六七八九".chars().position(|d| d == c);
    (at.map(|i| i as i64)).or(match c {
        '〇' => Some(0),
        '两' => Some(2),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::value;
    use rust_decimal::Decimal;

    #[test]
    fn numerals_read_as_the_prose_writes_them() {
        let cases = [
            ("一", "1"),
            ("二", "2"),
            ("两", "2"),
            ("十", "10"),
            ("十五", "15"),
            ("二十", "20"),
            ("二十五", "25"),
            ("一百", "100"),
            ("一百零五", "105"),
            ("两千", "2000"),
            ("三万", "30000"),
            ("二〇二四", "2024"),
            ("半", "0.5"),
            ("零点五", "0.5"),
            ("一点二五", "1.25"),
            ("零", "0"),
        ];
        for (s, want) in cases {
            assert_eq!(value(s), Some(want.parse::<Decimal>().unwrap()), "{s}");
        }
    }

    #[test]
    fn names_that_are_no_numerals_are_left_alone() {
        for s in [
            "",
            "五角",
            "一般",
            "点",
            "一点",
            "半数",
            "合格",
            "十a",
            "meetings",
            "十十",
            "百十百",
        ] {
            assert_eq!(value(s), None, "{s}");
        }
    }
}
