//! K0211, K0360–K0361, K0480–K0483: results derived from the total
//! (`result`, 结果).

use super::*;
use rust_decimal::Decimal;

/// `Code::ResultNamedTwice`: two results with one name.
pub(in crate::check) fn result_named_twice(name: &str, at: Span, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::ResultNamedTwice,
        t!(
            "the header has two results named \"{}\"",
            "表头有两个名为“{}”的结果",
            name
        ),
    )
    .at(at, t!("named again here", "此处再次使用该名称"))
    .with_label(first, t!("first named here", "首次使用该名称"))
    .with_help(t!(
        "reports list each result under its name: give this one another name (`result \"{} (2)\" …`), or remove one of the two",
        "各报告按名称列出结果：请给此结果另起名称（`结果 “{}（二）” …`），或删去其中一个",
        name
    ))
}

/// `Code::PayoutUnit`: a payout's ends in different units, or in a unit
/// other than %.
pub(in crate::check) fn payout_unit(name: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::PayoutUnit,
        t!(
            "the payout \"{}\" must give both ends as percentages (`0%`, `100%`) or both as plain numbers (a coefficient: `0.8`, `1.2`)",
            "按比例结果“{}”的两端须同为百分比（`0%`、`100%`），或同为纯数（系数：`0.8`、`1.2`）",
            name
        ),
    )
    .at(at, t!("this end", "此端"))
    .with_help(t!(
        "write, for example, `payout 60 => 0% to 95 => 100%` or `payout 60 => 0.8 to 95 => 1.2`",
        "例如写成 `按比例 60 => 0% 至 95 => 100%` 或 `按比例 60 => 0.8 至 95 => 1.2`"
    ))
}

/// `Code::TopCount`: `top N` with N not a whole number ≥ 1, or a share
/// beyond 0%–100%, or in another unit.
pub(in crate::check) fn top_count(name: &str, written: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TopCount,
        t!(
            "the result \"{}\" goes to the top `{}`, which is neither a number of units (1, 2, 3, …) nor a share of them (from 0% to 100%)",
            "结果“{}”给予排名前 `{}` 的单位，这既不是单位个数（1、2、3……），也不是单位的比例（0% 至 100%）",
            name,
            written
        ),
    )
    .at(at, t!("how many units", "单位个数"))
    .with_help(t!(
        "write a whole number of units (`top 3 => \"先进单位\"`) or a percentage of them (`top 10% => \"先进单位\"`)",
        "请写单位个数（`前 3 => “先进单位”`）或单位的百分比（`前 10% => “先进单位”`）"
    ))
}

/// `Code::GradeOrder`: a grade's marks out of order or equal.
pub(in crate::check) fn grade_order(
    text: &str,
    mark: Decimal,
    before: &str,
    before_mark: Decimal,
    at: Span,
    first: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::GradeOrder,
        t!(
            "\"{}\" (>= {mark}) comes after \"{}\" (>= {before_mark}), but its mark is not lower: a total of {before_mark} or more would already be \"{}\"",
            "“{}”（≥ {mark}）写在“{}”（≥ {before_mark}）之后，分数线却不更低：总分达到 {before_mark} 已评为“{}”",
            text,
            before,
            before
        ),
    )
    .at(at, t!("not below the step before", "不低于前一档"))
    .with_label(first, t!("the step before", "前一档"))
    .with_help(t!(
        "list the grades from the highest mark down, each mark lower than the one before (`result \"等次\" \"优秀\" >= 90, \"良好\" >= 80, \"合格\" >= 60, else \"不合格\"`)",
        "请从最高分数线往下写，每档分数线低于前一档（`结果 “等次” “优秀” >= 90, “良好” >= 80, “合格” >= 60, 否则 “不合格”`）"
    ))
}

/// `Code::MarkBeyondTotal`: a mark no unit can reach.
pub(in crate::check) fn mark_beyond_total(
    name: &str,
    mark: Decimal,
    highest: Decimal,
    at: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::MarkBeyondTotal,
        t!(
            "the result \"{}\" has a mark of {mark}, but no unit can total more than {highest}",
            "结果“{}”的分数线为 {mark} 分，但被考核单位的总分最高只有 {highest} 分",
            name
        ),
    )
    .at(at, t!("beyond the highest total", "高于最高总分"))
    .with_note(t!(
        "the highest total is the base items' points plus the header's bonus ceiling (`bonus at most`), if any",
        "最高总分为基本项分值之和，加上表头的加分上限（如有）"
    ))
    .with_help(t!(
        "write a mark of at most {highest}, as the published table gives it",
        "请按发布的考核表把分数线改为不超过 {highest} 分"
    ))
}

/// `Code::GradeWithoutElse`: no grade below the lowest mark.
pub(in crate::check) fn grade_without_else(name: &str, lowest: Decimal, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::GradeWithoutElse,
        t!(
            "the grade \"{}\" says nothing for a total below {lowest}",
            "评定“{}”没有写明总分低于 {lowest} 分时的等次",
            name
        ),
    )
    .at(at, t!("the lowest mark", "最低分数线"))
    .with_help(t!(
        "end the grade with the text for the rest: `, else \"不合格\"`",
        "请在末尾写上其余情形的等次：`, 否则 “不合格”`"
    ))
}

/// `Code::PayoutMarks`: a payout whose first mark is not below the second.
pub(in crate::check) fn payout_marks(
    name: &str,
    low: Decimal,
    high: Decimal,
    at: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::PayoutMarks,
        t!(
            "the payout \"{}\" runs from {low} points to {high} points: the first mark must be below the second",
            "按比例结果“{}”从 {low} 分到 {high} 分：起点分数须低于终点分数",
            name
        ),
    )
    .at(at, t!("from these marks", "此处的分数"))
    .with_help(t!(
        "write the lower mark first: `payout 60 => 0% to 95 => 100%` (a payout that falls as the total rises is written with the values swapped: `payout 60 => 100% to 95 => 0%`)",
        "请先写较低的分数：`按比例 60 => 0% 至 95 => 100%`（总分越高比例越低时，交换两端的值：`按比例 60 => 100% 至 95 => 0%`）"
    ))
}
