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

/// A date as people write it in a data cell: what [`parse`] reads, and the
/// same date written `2024年3月1日` (or `…1号`), `2024.3.1`, or with a
/// midnight time as spreadsheets export a date cell (`2024-03-01
/// 00:00:00`, `2024-03-01T00:00`). Every form puts the year first, so none
/// is ambiguous. Specs keep to [`parse`]'s forms.
pub fn parse_written(text: &str) -> Option<i32> {
    parse(text).or_else(|| parse(&canonical(text)?))
}

/// `text` in a written form of [`parse_written`] as `Y-M-D` (the parts as
/// written), for [`parse`] and [`problem`] to read.
fn canonical(text: &str) -> Option<String> {
    let text = text.trim();
    if let Some((date, time)) = text
        .rsplit_once([' ', 'T'])
        .filter(|(_, t)| t.contains(':'))
    {
        let midnight = ["00:00", "00:00:00", "0:00", "0:00:00", "00:00:00.000"];
        return midnight
            .contains(&time.trim())
            .then(|| canonical(date).unwrap_or_else(|| date.to_string()));
    }
    if let Some((year, rest)) = text.split_once('年') {
        let (month, day) = rest.split_once('月')?;
        let day = day.strip_suffix(['日', '号'])?;
        let [y, m, d] = [year, month, day].map(str::trim);
        return Some(format!("{y}-{m}-{d}"));
    }
    (text.contains('.') && !text.contains(['-', '/'])).then(|| text.replace('.', "-"))
}

/// The number that ASCII digits write, or `None` for anything else.
fn digits(part: &[u8]) -> Option<u32> {
    (part.iter()).try_fold(0, |n, c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// Why `text` is not a date, in words: "there is no month 13"; for a
/// date written year last, or a spreadsheet's day number, what to write.
pub fn problem(text: &str) -> crate::diagnostic::Text {
    let written = canonical(text);
    let text = written.as_deref().unwrap_or(text);
    let sep = if text.contains('/') { '/' } else { '-' };
    let parts: Vec<&str> = text.split(sep).collect();
    let numbers: Option<Vec<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
    if let Some(told) = year_last(&parts).or_else(|| day_number(text)) {
        return told;
    }
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

/// A date written month and day first, year last (`3/1/2024`): which
/// dates it may be, year first.
fn year_last(parts: &[&str]) -> Option<crate::diagnostic::Text> {
    let [a, b, y] = parts else { return None };
    let short = |p: &str| (1..=2).contains(&p.len());
    if !(short(a) && short(b) && y.len() == 4) {
        return None;
    }
    let (a, b, y): (u32, u32, i32) = (a.parse().ok()?, b.parse().ok()?, y.parse().ok()?);
    let mut dates: Vec<String> = [(a, b), (b, a)]
        .iter()
        .filter_map(|&(m, d)| from_ymd(y, m, d).map(format))
        .collect();
    dates.dedup();
    match dates.as_slice() {
        [one] => Some(t!("write the year first: {one}", "请把年份写在前面：{one}")),
        [one, other] => Some(t!(
            "write the year first, as YYYY-MM-DD: it may be {one} or {other}, which cannot be told from the text",
            "请把年份写在前面，写作“年-月-日”：原文可能是 {one}，也可能是 {other}，无法确定"
        )),
        _ => None,
    }
}

/// Five digits (`45352`): a date cell's day number, shown as a number when
/// the cell lost its date format on its way out of a spreadsheet.
fn day_number(text: &str) -> Option<crate::diagnostic::Text> {
    if text.len() != 5 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Excel's day 1 is 1900-01-01, counted as if 1900-02-29 existed: from
    // 1900-03-01 on, day n is 1899-12-30 plus n days.
    let date = format(from_ymd(1899, 12, 30)? + text.parse::<i32>().ok()?);
    Some(t!(
        "{text} looks like a spreadsheet's day number for {date}, the date format of its cell lost: write {date}, or format the column as a date before saving",
        "{text} 像是电子表格中 {date} 的日期序号（单元格丢失了日期格式）：请写作 {date}，或在保存前把该列设为日期格式"
    ))
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

#[cfg(test)]
mod written {
    use super::{parse, parse_written, problem};

    #[test]
    fn dates_written_year_first_in_other_forms_are_read() {
        let day = parse("2024-03-01");
        for text in [
            "2024年3月1日",
            "2024年03月01日",
            "2024 年 3 月 1 日",
            "2024年3月1号",
            "2024.3.1",
            "2024.03.01",
            "2024-03-01 00:00:00",
            "2024/3/1 0:00",
            "2024-03-01T00:00:00",
            "2024年3月1日 00:00",
        ] {
            assert_eq!(parse_written(text), day, "{text}");
        }
    }

    #[test]
    fn what_is_not_surely_one_date_is_refused() {
        for text in [
            "2024年3月",
            "2024年3月1",
            "2024.3",
            "2024-03-01 08:30:00",
            "3/1/2024",
            "45352",
            "20240301",
            "2024年2月30日",
            "2024.3-1",
        ] {
            assert_eq!(parse_written(text), None, "{text}");
        }
    }

    #[test]
    fn a_date_written_year_last_is_told_which_dates_it_may_be() {
        assert_eq!(
            problem("3/1/2024").en,
            "write the year first, as YYYY-MM-DD: it may be 2024-03-01 or 2024-01-03, which cannot be told from the text"
        );
        assert_eq!(problem("13/1/2024").en, "write the year first: 2024-01-13");
        assert_eq!(problem("3/3/2024").en, "write the year first: 2024-03-03");
    }

    #[test]
    fn a_spreadsheets_day_number_is_told_as_one() {
        assert_eq!(
            problem("45352").zh,
            "45352 像是电子表格中 2024-03-01 的日期序号（单元格丢失了日期格式）：请写作 2024-03-01，或在保存前把该列设为日期格式"
        );
    }

    #[test]
    fn a_written_form_that_is_no_date_is_told_why() {
        assert_eq!(problem("2024年2月30日").zh, "2024 年 2 月只有 29 天");
        assert_eq!(problem("2024.13.1").en, "there is no month 13");
    }
}
