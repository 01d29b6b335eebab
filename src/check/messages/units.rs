//! K02 and K04 diagnostics of the checker: an item's lead (牵头单位) and
//! supporting (配合单位) units.

use super::*;

/// `Code::UnitNamedTwice`: a unit named twice among an item's lead and
/// supporting units.
pub(in crate::check) fn unit_named_twice(unit: &str, at: Span, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnitNamedTwice,
        t!(
            "unit \"{unit}\" is named twice among the item's lead and supporting units",
            "单位“{unit}”在本项的牵头单位和配合单位中写了两次"
        ),
    )
    .at(at, t!("named again here", "此处再次写了"))
    .with_label(first, t!("first named here", "第一次写在此处"))
    .with_help(t!(
        "name each unit once: the lead unit once after `lead`, the others after `supporting`",
        "每个单位只写一次：牵头单位写在“牵头单位”之后，其余单位写在“配合单位”之后"
    ))
}

/// `Code::ResponsibleAndLead`: an item with both `responsible` and
/// `lead`/`supporting`.
pub(in crate::check) fn responsible_and_lead(id: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::ResponsibleAndLead,
        t!(
            "item {} names responsible units and also lead or supporting units",
            "考核事项 {} 既写了责任单位，又写了牵头单位或配合单位",
            id
        ),
    )
    .at(at, t!("lead or supporting units", "牵头单位或配合单位"))
    .with_help(t!(
        "write the units once: either `responsible \"…\"` (the units answer together, each for the whole item), or `lead \"…\"` with `supporting \"…\"` (the lost points are attributed by the table's `attribution` rule)",
        "单位只写一种：要么写“责任单位”（各单位共同对整项负责），要么写“牵头单位”和“配合单位”（失分按表头的“失分归属”规则分配）"
    ))
}

/// `Code::SupportingWithoutLead`: supporting units and no lead unit.
pub(in crate::check) fn supporting_without_lead(id: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::SupportingWithoutLead,
        t!(
            "item {} names supporting units but no lead unit",
            "考核事项 {} 写了配合单位，却没有写牵头单位",
            id
        ),
    )
    .at(at, t!("supporting units without a lead", "有配合单位而无牵头单位"))
    .with_help(t!(
        "add `lead \"…\"` naming the unit that leads the item, or write the units as `responsible \"…\"` if none leads",
        "请加一行“牵头单位 \"…\"”写明牵头的单位；如果没有牵头单位，请改写为“责任单位 \"…\"”"
    ))
}

/// `Code::LeadOutsideItem`: lead or supporting units on a section or
/// indicator, where nothing reads them.
pub(in crate::check) fn lead_outside_item(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::LeadOutsideItem,
        t!(
            "lead and supporting units are read only on items, not on a section or indicator",
            "牵头单位和配合单位只对考核事项有效，不能写在一级指标或二级指标上"
        ),
    )
    .at(at, t!("not on an item", "不在考核事项中"))
    .with_help(t!(
        "move this line into each item the units lead or support",
        "请把这一行移到这些单位牵头或配合的各个考核事项中"
    ))
}
