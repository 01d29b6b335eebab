//! The diagnostics of referential types and counting units (issue 15,
//! item 9): K0370, K0371.

use super::*;

/// `Code::AnyYearNotDate`: `any year` after a field of another type.
pub(in crate::check) fn any_year_not_date(field: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::AnyYearNotDate,
        t!(
            "field `{}` is not a date, so `any year` says nothing about it",
            "字段“{}”不是日期，“不限年度”对它不起作用",
            field
        ),
    )
    .at(
        at,
        t!("only a date field takes this", "只有日期字段可以这样写"),
    )
    .with_help(t!(
        "remove `any year`, or make the field a date: `{}: date any year`",
        "请删去“不限年度”，或把该字段写成日期：`{}: 日期 不限年度`",
        field
    ))
}

/// `Code::CountUnitMismatch`: counts of 次 and 个 added or compared.
pub(in crate::check) fn count_units(
    left: &str,
    right: &str,
    at: Span,
    compared: bool,
) -> Diagnostic {
    let (what_en, what_zh) = if compared {
        ("compared", "比较")
    } else {
        ("added or subtracted", "相加减")
    };
    Diagnostic::new(
        Code::CountUnitMismatch,
        t!(
            "a count of {left} and a count of {right} are {what_en}: they count different things",
            "以“{left}”计的数与以“{right}”计的数{what_zh}：二者计的不是同一种事物"
        ),
    )
    .at(at, t!("{left} against {right}", "“{left}”与“{right}”"))
    .with_help(t!(
        "compare counts of the same thing; if both count the same thing, give them the same unit in their inputs (`count {left}`), or write the number bare (`2`)",
        "请比较同一种事物的计数；如果二者计的确是同一种事物，请在数据项中写成相同的单位（`计数 {left}`），或直接写不带单位的数（`2`）"
    ))
}
