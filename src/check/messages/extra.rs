//! K0460–K0463: extra awards beyond an item's points (超额加分) and
//! waivers of deductions (免予扣分).

use super::*;

/// `Code::ExtraOutsideScoredItem`: `extra` in an item without points.
pub(in crate::check) fn extra_outside_scored_item(id: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::ExtraOutsideScoredItem,
        t!(
            "item {} has no points, so it has no extra award beyond them",
            "考核事项 {} 没有分值，无所谓超出分值的超额加分",
            id
        ),
    )
    .at(at, t!("extra award here", "超额加分写在这里"))
    .with_help(t!(
        "an extra award goes above an item's points (`score N` or `score N from 0`); in a bonus item write `add …` instead",
        "超额加分是在考核事项分值之外加的分，只能写在有分值（“分值 N”或“分值 N 起评 0”）的考核事项中；加分项中请改用“加 …”"
    ))
}

/// `Code::ExtraInPart`: `extra` inside a part.
pub(in crate::check) fn extra_in_part(id: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::ExtraInPart,
        t!(
            "an extra award of item {} stands inside a part",
            "考核事项 {} 的超额加分写在了分项中",
            id
        ),
    )
    .at(at, t!("inside a part", "在分项中"))
    .with_help(t!(
        "an extra award belongs to the whole item: move the line out of the part, directly into the item",
        "超额加分属于整个考核事项：请把这一行移出分项，直接写在考核事项中"
    ))
}

/// `Code::WaiverWithoutDeductions`: `waived` where nothing is deducted.
pub(in crate::check) fn waiver_without_deductions(id: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::WaiverWithoutDeductions,
        t!(
            "the waiver in item {} has no deductions to waive",
            "考核事项 {} 中的免予扣分没有可以免除的扣分",
            id
        ),
    )
    .at(at, t!("nothing here deducts", "此处没有扣分子句"))
    .with_help(t!(
        "write the waiver in the item or part whose `deduct` clauses it waives, after them",
        "请把免予扣分写在它所免除的“扣”子句所在的考核事项或分项中，放在这些子句之后"
    ))
}

/// `Code::WaiverWithAdds`: `waived` in a block that also adds.
pub(in crate::check) fn waiver_with_adds(id: &str, at: Span, add: Span) -> Diagnostic {
    Diagnostic::new(
        Code::WaiverWithAdds,
        t!(
            "the waiver in item {} stands beside clauses that add points",
            "考核事项 {} 中的免予扣分与加分子句写在一起",
            id
        ),
    )
    .at(at, t!("this waiver", "此免予扣分"))
    .with_label(add, t!("adds points", "加分子句"))
    .with_help(t!(
        "a waiver gives back deductions only: put the deductions it waives and the waiver in a part of their own (`part \"…\" score N {{ … }}`), beside the clauses that earn",
        "免予扣分只免除扣分：请把被免除的扣分子句和免予扣分一起写进单独的分项（“分项 “…” 分值 N {{ … }}”），与得分子句分开"
    ))
}
