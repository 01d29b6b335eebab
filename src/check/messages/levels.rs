//! K0450–K0452: a section's or indicator's own points against what its
//! children add up to (levels); K0484–K0485: a heading's deduction ceiling.

use super::*;

/// The level's name and the spec's keyword for it.
fn level_name(level: u8) -> Text {
    match level {
        1 => t!("section", "一级指标"),
        2 => t!("indicator", "二级指标"),
        3 => t!("third-level indicator", "三级指标"),
        _ => t!("fourth-level indicator", "四级指标"),
    }
}

/// `Code::HeadingPointsMismatch`: a heading's points are not its children's sum.
pub(in crate::check) fn heading_points_mismatch(
    level: u8,
    label: &str,
    points: Decimal,
    sum: Decimal,
    listed: &str,
    at: Span,
) -> Diagnostic {
    let (points, sum) = (points.normalize(), sum.normalize());
    let what = level_name(level);
    let d = Diagnostic::new(
        Code::HeadingPointsMismatch,
        t!(
            "{} {label} is worth {points} points, but its children add up to {sum}",
            "{} {label} 分值 {points} 分，而其下级合计 {sum} 分",
            what
        ),
    )
    .at(at, t!("declared {points}", "写明的分值 {points}"))
    .with_note(t!(
        "its children: {listed} = {sum}",
        "其下级：{listed} = {sum}"
    ));
    if sum > points {
        d.with_help(t!(
            "the children could earn more than the heading: check each child's points against the table and correct them or `score {points}`",
            "下级可得分超过本指标分值：请对照考核表核对各下级分值，更正下级分值或“分值 {points}”"
        ))
    } else {
        d.with_help(t!(
            "check each child's points against the table; if the table gives the heading {points} and its children really only {sum}, write `score {points} children sum {sum}`",
            "请对照考核表核对各下级分值；若考核表中本指标确为 {points} 分而下级合计只有 {sum} 分，请写 `分值 {points} 下级合计 {sum}`"
        ))
    }
}

/// `Code::ChildrenSumWrong`: a declared `children sum` that is not the sum.
pub(in crate::check) fn children_sum_wrong(
    level: u8,
    label: &str,
    declared: Decimal,
    sum: Decimal,
    points: Decimal,
    listed: &str,
    at: Span,
) -> Diagnostic {
    let (declared, sum, points) = (declared.normalize(), sum.normalize(), points.normalize());
    let d = Diagnostic::new(
        Code::ChildrenSumWrong,
        t!(
            "{} {label} says its children add up to {declared}, but they add up to {sum}",
            "{} {label} 写明下级合计 {declared} 分，而其下级实际合计 {sum} 分",
            level_name(level)
        ),
    )
    .at(at, t!("declared {declared}", "写明的下级合计 {declared}"))
    .with_note(t!(
        "its children: {listed} = {sum}",
        "其下级：{listed} = {sum}"
    ));
    if sum == points {
        d.with_help(t!(
            "its children add up to its points of {points}: remove `children sum {declared}`",
            "其下级合计等于本指标分值 {points} 分：请删去“下级合计 {declared}”"
        ))
    } else {
        d.with_help(t!(
            "check each child's points against the table, or write `children sum {sum}`",
            "请对照考核表核对各下级分值，或改写为“下级合计 {sum}”"
        ))
    }
}

/// `Code::ChildrenSumNotLess`: `children sum` not below the heading's points.
pub(in crate::check) fn children_sum_not_less(
    level: u8,
    label: &str,
    declared: Decimal,
    points: Decimal,
    at: Span,
) -> Diagnostic {
    let (declared, points) = (declared.normalize(), points.normalize());
    Diagnostic::new(
        Code::ChildrenSumNotLess,
        t!(
            "{} {label} is worth {points} points, and says its children add up to {declared}, which is not less",
            "{} {label} 分值 {points} 分，写明的下级合计 {declared} 分却不少于此",
            level_name(level)
        ),
    )
    .at(at, t!("not less than {points}", "不少于 {points}"))
    .with_help(t!(
        "`children sum` declares children worth less than the heading; when they add up to its points, remove it; kaohe does not cap a heading at fewer points than its children",
        "“下级合计”用于说明下级分值少于本指标分值；若下级合计等于本指标分值，请删去它；kaohe 不支持把指标得分限制在低于下级合计的分值"
    ))
}

/// `Code::HeadingDeductionCapAbovePoints`: `deduction at most N` above the
/// heading's own points.
pub(in crate::check) fn deduction_cap_above_points(
    level: u8,
    label: &str,
    cap: Decimal,
    points: Decimal,
    at: Span,
) -> Diagnostic {
    let (cap, points) = (cap.normalize(), points.normalize());
    Diagnostic::new(
        Code::HeadingDeductionCapAbovePoints,
        t!(
            "{} {label} is worth {points} points, but may lose up to {cap}",
            "{} {label} 分值 {points} 分，而写明最多扣 {cap} 分",
            level_name(level)
        ),
    )
    .at(at, t!("above its {points} points", "高于其分值 {points} 分"))
    .with_help(t!(
        "a heading cannot lose more than it is worth: write the ceiling the table gives, at most `deduction at most {points}` (扣完为止)",
        "指标扣分不能超过其分值：请按考核表写明扣分上限，最多为“扣分项 最高 {points}”（扣完为止）"
    ))
}

/// `Code::HeadingDeductionCapNeverBites`: `deduction at most N` on a
/// heading whose children can never lose that much.
pub(in crate::check) fn deduction_cap_never_bites(
    level: u8,
    label: &str,
    cap: Decimal,
    children: Decimal,
    at: Span,
) -> Diagnostic {
    let (cap, children) = (cap.normalize(), children.normalize());
    Diagnostic::new(
        Code::HeadingDeductionCapNeverBites,
        t!(
            "{} {label} may lose at most {cap} points, but its items carry {children} and no deduction item stands under it, so the ceiling never bites",
            "{} {label} 写明最多扣 {cap} 分，但其下考核事项合计 {children} 分且没有扣分项，这一上限不会起作用",
            level_name(level)
        ),
    )
    .at(at, t!("never holds anything back", "不会起作用"))
    .with_help(t!(
        "an item with points never loses more than its points: remove the line, write the ceiling the table gives (below {children}), or put it on the heading whose deduction items it caps",
        "有分值的考核事项本就扣完为止：请删去这一行，按考核表写明低于 {children} 分的上限，或写在其扣分项所在的指标上"
    ))
}

/// `Code::HeadingHoldsBoth`: a heading holds items beside headings of the
/// next level (levels of any depth).
pub(in crate::check) fn heading_holds_both(
    level: u8,
    label: &ast::Name,
    child: &ast::Name,
) -> Diagnostic {
    let (heading, first) = (&label.text, &child.text);
    Diagnostic::new(
        Code::HeadingHoldsBoth,
        t!(
            "{} {heading} holds items and also headings of the next level ({first}, …)",
            "{} {heading} 之下既有考核事项，又有下级指标（{first} 等）",
            level_name(level)
        ),
    )
    .at(label.span, t!("this heading", "本指标"))
    .with_label(child.span, t!("a heading under it", "其下的下级指标"))
    .with_help(t!(
        "a heading holds either items or headings: put these items in a heading of their own beside {first}, or move the headings out",
        "一个指标之下只能全是考核事项，或全是下级指标：请把这些考核事项放入与 {first} 并列的一个下级指标，或把下级指标移出"
    ))
}

/// `Code::HeadingHoldsBoth` at the top: items written directly under the
/// table (a table of one level) beside its sections.
pub(in crate::check) fn table_holds_both(at: &ast::Name, section: &ast::Name) -> Diagnostic {
    let (item, first) = (&at.text, &section.text);
    Diagnostic::new(
        Code::HeadingHoldsBoth,
        t!(
            "item {item} stands directly under the table, beside sections ({first}, …)",
            "考核事项 {item} 直接写在考核表之下，与一级指标（{first} 等）并列"
        ),
    )
    .at(at.span, t!("this item", "本考核事项"))
    .with_label(section.span, t!("a section", "一级指标"))
    .with_help(t!(
        "a table holds either items (a table of one level) or sections: put item {item} in a section, or write every item without sections",
        "考核表之下只能全是考核事项（一级结构），或全是一级指标：请把考核事项 {item} 放入一个一级指标，或全部不写一级指标"
    ))
}
