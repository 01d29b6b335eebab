//! The parse stage's diagnostics, one function each, in the order of their
//! codes (`Code`), so that the parser reads as parsing and the texts can be
//! reviewed in one place.

use crate::diagnostic::{Code, Diagnostic};
use crate::parse::keywords;
use crate::source::Span;
use crate::t;

/// `Code::Syntax`: a parse tree of a shape the builders do not know (a bug).
pub(super) fn internal(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::Syntax,
        t!(
            "the parser met a shape it does not know (this is a bug in kaohe)",
            "语法分析遇到了无法识别的结构（这是 kaohe 自身的缺陷）"
        ),
    )
    .at(at, t!("here", "此处"))
    .with_help(t!(
        "please report this spec to the kaohe maintainers",
        "请将此规则文件报送 kaohe 维护人员"
    ))
}

/// `Code::BadNumber`: a number with more decimal places than a Decimal holds.
pub(super) fn too_many_decimals(written: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::BadNumber,
        t!(
            "the number {} has too many decimal places to be held exactly",
            "数值 {} 的小数位数过多，无法精确保存",
            written
        ),
    )
    .at(at, t!("too many decimal places", "小数位数过多"))
    .with_help(t!(
        "kaohe keeps 28 significant digits; round the number to fewer decimal places",
        "kaohe 最多保留 28 位有效数字，请减少小数位数"
    ))
}

/// `Code::BadNumber`: a number beyond the largest a Decimal holds.
pub(super) fn number_too_large(written: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::BadNumber,
        t!(
            "the number {} is too large to be held exactly",
            "数值 {} 过大，无法精确保存",
            written
        ),
    )
    .at(at, t!("too large", "数值过大"))
    .with_help(t!(
        "kaohe holds numbers up to 79228162514264337593543950335; write a smaller number",
        "kaohe 可保存的最大数值为 79228162514264337593543950335，请改用较小的数"
    ))
}

/// `Code::BadNumber`: a header's year that is no year.
pub(super) fn not_a_year(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::BadNumber,
        t!("the year is not a year", "年度不是有效的年份"),
    )
    .at(at, t!("expected a year such as 2024", "应为年份，如 2024"))
}

/// `Code::BadDate`: a date that is not on the calendar (`2024-02-30`).
pub(super) fn not_a_calendar_date(
    text: &str,
    problem: crate::diagnostic::Text,
    at: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::BadDate,
        t!(
            "{text} is not a calendar date: {}",
            "{text} 不是有效的日期：{}",
            problem
        ),
    )
    .at(at, t!("no such day", "日历上没有这一天"))
}

/// `Code::DuplicateEntry`: a header or meta entry given twice.
pub(super) fn duplicate(what: &str, second: Span, first: Span) -> Diagnostic {
    let zh = keywords::chinese(what).unwrap_or(what);
    Diagnostic::new(
        Code::DuplicateEntry,
        t!("`{what}` is given twice", "“{zh}”写了两次"),
    )
    .at(second, t!("given again here", "此处重复"))
    .with_label(first, t!("first given here", "首次出现在此处"))
    .with_help(t!("keep one `{what}`", "只保留一处“{zh}”"))
}

/// `Code::DateWithoutYear`: `5月31日` in a table that declares no year.
pub(super) fn date_without_year(written: &str, m: u32, d: u32, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DateWithoutYear,
        t!(
            "the date {written} has no year, and the table declares none",
            "日期“{written}”没有写年份，考核表也没有写年度"
        ),
    )
    .at(at, t!("which year?", "哪一年？"))
    .with_help(t!(
        "write the year: 2024-{m:02}-{d:02}, 2024年{m}月{d}日 or 2024/{m}/{d}; or declare the table's year in its header (year 2024), which a date written {m}月{d}日 then takes",
        "请写出年份：2024-{m:02}-{d:02}、2024年{m}月{d}日 或 2024/{m}/{d}；或在考核表表头写明年度（年度 2024），此后写作 {m}月{d}日 的日期即取该年度"
    ))
}

/// `Code::ThousandsSeparator`: `max(1,000)`, one number or two arguments?
pub(super) fn thousands_separator(first: &str, group: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::ThousandsSeparator,
        t!(
            "`{first},{group}` may be one number with a thousands separator or two arguments",
            "“{first},{group}”既可能是带千位分隔符的一个数，也可能是两个参数"
        ),
    )
    .at(at, t!("a thousands separator, or between two arguments?", "千位分隔符，还是两个参数之间的逗号？"))
    .with_help(t!(
        "kaohe reads no thousands separators: write `{first}{group}` for one number, or `{first}, {group}` (with a space) for two arguments",
        "kaohe 不识别千位分隔符：一个数写作“{first}{group}”；两个参数写作“{first}, {group}”（逗号后加空格）"
    ))
}
