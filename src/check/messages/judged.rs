//! K0430–K0432: an assessor's judgement (`judged`, 酌情评分).

use super::*;

/// `Code::JudgedUnscored`: a judgement in an item or part without points.
pub(in crate::check) fn judged_unscored(name: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::JudgedUnscored,
        t!(
            "the assessor's score `{}` has no points to be bounded by: its item or part has no `score`",
            "评审给分 `{}` 没有可依据的分值：所在考核事项或分项没有写分值",
            name
        ),
    )
    .at(at, t!("judged here", "酌情评分写在此处"))
    .with_help(t!(
        "give the item a score (`item 3.2 \"…\" score 4 {{ judged {} \"按实际情况评分\" }}`) or put the judgement in a part with one (`part \"…\" score 2 {{ … }}`); the assessor then gives from 0 to those points",
        "请给考核事项写上分值（`考核事项 3.2 “…” 分值 4 {{ 酌情评分 {} “按实际情况评分” }}`），或把酌情评分放进有分值的分项（`分项 “…” 分值 2 {{ … }}`）；评审在 0 至该分值之间给分",
        name
    ))
}

/// `Code::JudgedNotAlone`: a judged item or part with other scoring beside it.
pub(in crate::check) fn judged_not_alone(name: &str, at: Span, other: Span) -> Diagnostic {
    Diagnostic::new(
        Code::JudgedNotAlone,
        t!(
            "the assessor gives this score (`{}`), so nothing else may score here",
            "此处由评审给分（`{}`），不能再有其他计分规则",
            name
        ),
    )
    .at(at, t!("the assessor's score", "评审给分"))
    .at(other, t!("also scores here", "此处也在计分"))
    .with_help(t!(
        "put the judgement in a part of its own (`part \"专家评审\" score 2 {{ judged {} }}`) beside the parts scored by rules, so that the parts add up to the item's score",
        "请把酌情评分单独放进一个分项（`分项 “专家评审” 分值 2 {{ 酌情评分 {} }}`），与按规则计分的分项并列，各分项分值之和等于本项分值",
        name
    ))
}

/// `Code::JudgedDefault`: a default score outside 0 to the points.
pub(in crate::check) fn judged_default(
    name: &str,
    default: Decimal,
    max: Decimal,
    at: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::JudgedDefault,
        t!(
            "the default score {default} of `{}` is outside 0 to {max}, the points it is judged within",
            "`{}` 的缺省分 {default} 不在 0 至 {max} 分之间",
            name
        ),
    )
    .at(at, t!("outside 0 to {max}", "不在 0 至 {max} 分之间"))
    .with_help(t!(
        "write a default from 0 to {max}, such as `default {max}` for full marks when no score is given",
        "请写 0 至 {max} 之间的缺省分，如未给分时按满分计写作 `缺省为 {max}`"
    ))
}
