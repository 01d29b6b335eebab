//! The diagnostics of rules for absent facts (`optional: not applicable =>
//! full marks`): K0250 and K0330.

use super::*;

/// `Code::AbsenceTwice`: one word of absence given two rules.
pub(in crate::check) fn absence_twice(name: &str, at: Span, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::AbsenceTwice,
        t!(
            "input `{}` says twice what one word of absence does",
            "数据项“{}”对同一种缺项情形写了两条规则",
            name
        ),
    )
    .at(at, t!("given again here", "此处再次写出"))
    .with_label(first, t!("first given here", "第一次写在这里"))
    .with_help(t!(
        "keep one rule per word: `not applicable => full marks` or `not claimed => no points`",
        "每种情形只写一条规则，例如 `不适用 => 满分` 或 `未申报 => 不计分`"
    ))
}

/// `Code::AbsenceOnList`: a rule for absence on a list or with a default.
pub(in crate::check) fn absence_on_list(name: &str, list: bool, at: Span) -> Diagnostic {
    let (why, help) = if list {
        (
            t!("a list", "列表型数据项"),
            t!(
                "a list is never absent as a whole: an empty list means none; give the rule to a field's own input instead, or remove it",
                "列表不会整体缺项：没有记录就是空列表；请把缺项规则写在单独的数据项上，或删去它"
            ),
        )
    } else {
        (
            t!("an input with a default", "写了缺省值的数据项"),
            t!(
                "an empty cell already takes the default: remove either `default` or the rules for absence",
                "空单元格已按缺省值计：请删去“缺省为”或缺项规则中的一个"
            ),
        )
    };
    Diagnostic::new(
        Code::AbsenceOnList,
        t!(
            "input `{}` is {} and cannot have rules for absence",
            "数据项“{}”是{}，不能写缺项规则",
            name,
            why
        ),
    )
    .at(at, t!("rules for absence here", "缺项规则在此"))
    .with_help(help)
}
