//! Calendar dates as day numbers (days since 1970-01-01), without a
//! calendar crate: kaohe needs only parsing, printing, day arithmetic and
//! the month and quarter of a date.

use crate::t;

/// Days since 1970-01-01 of a proleptic Gregorian date, if it exists.
/// Years are limited to 1..=9999 so that day numbers stay small.
pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<i32> {
    if !(1..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
    {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The (year, month, day) of a day number.
pub fn to_ymd(days: i32) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i32::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parse `2024-05-31`; also `2024/5/31` and `2024-5-31` as people type them.
/// The parts are read as bytes, each a number as it is checked for digits.
pub fn parse(text: &str) -> Option<i32> {
    let b = text.as_bytes();
    let sep = if b.contains(&b'/') { b'/' } else { b'-' };
    let mut parts = b.split(|c| *c == sep);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || y.len() != 4
        || !(1..=2).contains(&m.len())
        || !(1..=2).contains(&d.len())
    {
        return None;
    }
    let year = i32::try_from(digits(y)?).ok()?;
    from_ymd(year, digits(m)?, digits(d)?)
}

/// The number that ASCII digits write, or `None` for anything else.
fn digits(part: &[u8]) -> Option<u32> {
    (part.iter()).try_fold(0, |n, c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// Why `text` is not a date, in words: "there is no month 13".
pub fn problem(text: &str) -> crate::diagnostic::Text {
    let sep = if text.contains('/') { '/' } else { '-' };
    let parts: Vec<&str> = text.split(sep).collect();
    let numbers: Option<Vec<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
    match (parts.len(), numbers.as_deref()) {
        (3, Some(&[y, m, d])) => match (y, m, d) {
            (_, 0 | 13.., _) => t!("there is no month {m}", "没有 {m} 月"),
            (0 | 10000.., _, _) => t!(
                "the year {y} is outside 1 to 9999",
                "年份 {y} 不在 1 至 9999 之间"
            ),
            (y, m, _) => {
                let last = days_in_month(y as i32, m);
                if d == 0 {
                    t!("there is no day 0", "没有 0 日")
                } else {
                    t!("{y}-{m:02} has {last} days", "{y} 年 {m} 月只有 {last} 天")
                }
            }
        },
        _ => t!(
            "write a date as YYYY-MM-DD, such as 2024-05-31",
            "日期应写作“年-月-日”（YYYY-MM-DD），如 2024-05-31"
        ),
    }
}

/// `2024-05-31`.
pub fn format(days: i32) -> String {
    let (y, m, d) = to_ymd(days);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `parse` as it was written first, with `str` splits and parses.
    fn parse_by_str(text: &str) -> Option<i32> {
        let sep = if text.contains('/') { '/' } else { '-' };
        let mut parts = text.split(sep);
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some()
            || y.len() != 4
            || m.is_empty()
            || m.len() > 2
            || d.is_empty()
            || d.len() > 2
        {
            return None;
        }
        if ![y, m, d]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    #[test]
    fn parse_answers_as_str_parsing_does() {
        let mut texts = vec![
            String::new(),
            "2024".into(),
            "2024-".into(),
            "2024--1".into(),
            "2024/05-20".into(),
            "2024-05/20".into(),
            "+024-01-01".into(),
            "2024-+1-01".into(),
            "2024-1-1-".into(),
            "２０２４-01-01".into(),
            "2024-0１-01".into(),
            "0000-01-01".into(),
            "2024 -1-1".into(),
        ];
        for y in ["0001", "1900", "2000", "2023", "2024", "9999"] {
            for m in ["0", "1", "01", "2", "02", "12", "13", "001", "a"] {
                for d in ["0", "1", "01", "28", "29", "30", "31", "32", "", "x1"] {
                    for sep in ['-', '/'] {
                        texts.push(format!("{y}{sep}{m}{sep}{d}"));
                    }
                }
            }
        }
        for text in &texts {
            assert_eq!(parse(text), parse_by_str(text), "{text:?}");
        }
    }

    #[test]
    fn round_trips_and_rejects_impossible_dates() {
        for text in [
            "1970-01-01",
            "2024-02-29",
            "2024-12-31",
            "0001-01-01",
            "9999-12-31",
        ] {
            assert_eq!(format(parse(text).unwrap()), text);
        }
        assert_eq!(parse("1970-01-02"), Some(1));
        assert_eq!(parse("2024/5/20"), parse("2024-05-20"));
        assert_eq!(problem("2024-13-01").en, "there is no month 13");
        assert_eq!(problem("2023-02-29").en, "2023-02 has 28 days");
        assert_eq!(problem("2023-02-29").zh, "2023 年 2 月只有 28 天");
        assert_eq!(
            problem("2024年5月").en,
            "write a date as YYYY-MM-DD, such as 2024-05-31"
        );
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "24-01-01",
            "2024-1",
            "2024-01-01-01",
            "２０２４-01-01",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
