//! K04 and K06 diagnostics of the checker: the table's checks, and points
//! that overflow.

use super::*;

/// `Code::CapExceedsScore`: a cap beyond the item's score.
pub(in crate::check) fn cap_exceeds_score(
    cap: Decimal,
    id: &str,
    max: Decimal,
    at: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::CapExceedsScore,
        t!(
            "a cap of {cap} is more than item {}'s whole score of {max}",
            "上限 {cap} 分超过了考核事项 {} 的分值 {max} 分",
            id
        ),
    )
    .at(at, t!("larger than the item", "超过本项分值"))
    .with_help(t!(
        "a clause cannot take more than the item has; lower the cap to at most {max}",
        "一个子句扣减的分数不能超过本项分值，请把上限降到 {max} 分以内"
    ))
}

/// `Code::PartsDoNotAddUp`: scored parts that do not add up to their item.
pub(in crate::check) fn parts_do_not_add_up(
    id: &str,
    sum: Decimal,
    max: Decimal,
    listed: &str,
    shares: &[(Decimal, Span)],
    at: Span,
) -> Diagnostic {
    let mut d = Diagnostic::new(
        Code::PartsDoNotAddUp,
        t!(
            "the parts of item {} add up to {sum}, but the item is worth {max}",
            "考核事项 {} 各分项合计 {sum} 分，而本项分值为 {max} 分",
            id
        ),
    )
    .at(at, t!("worth {max}", "分值 {max} 分"))
    .with_note(t!(
        "the parts: {listed} = {sum}",
        "各分项：{listed} = {sum}"
    ))
    .with_help(t!(
        "make the parts' scores add up to the item's, as the table splits it",
        "请按考核表的分解，使各分项分值之和等于本项分值"
    ));
    for &(m, span) in shares {
        d = d.with_label(span, t!("a part worth {m}", "分项 {m} 分"));
    }
    d
}

/// `Code::BandGap`: values no band covers.
pub(in crate::check) fn band_gap(what: Text, at: Span) -> Diagnostic {
    Diagnostic::new(Code::BandGap, t!("no band covers {}", "没有分档覆盖{}", what))
                .at(at, t!("the gap is next to this band", "空缺紧挨着这个分档"))
                .with_help(t!("make each band start exactly where the one before it ends, with one of the two including that value", "请让每个分档恰好从上一个分档结束处开始，并由其中一个分档包含该界限值"))
}

/// `Code::BandOverlap`: two bands that share values.
pub(in crate::check) fn bands_overlap(what: Text, first: Span, second: Span) -> Diagnostic {
    Diagnostic::new(
        Code::BandOverlap,
        t!("two bands overlap: {}", "两个分档相互重叠：{}", what),
    )
    .at(second, t!("this band", "此分档"))
    .with_label(first, t!("overlaps this one", "与这个分档重叠"))
    .with_help(t!(
        "a value at a shared bound belongs to one band: use < in one and >= in the other",
        "共用界限上的值只能属于一个分档：一个用 <，另一个用 >="
    ))
}

/// `Code::BandOverlap`: bounds that make no band (two lower bounds, …).
pub(in crate::check) fn not_a_band(at: Span) -> Diagnostic {
    let order_help = t!(
        "write the lower bound first, then the upper: `>= 90% and < 100%`",
        "请先写下限，再写上限：`>= 90% 且 < 100%`"
    );
    Diagnostic::new(
        Code::BandOverlap,
        t!(
            "a band's bounds must be a lower bound (>, >=), an upper bound (<, <=), both, or `=`",
            "分档的界限只能是下限（>、>=）、上限（<、<=）、上下限兼有，或 `=`"
        ),
    )
    .at(
        at,
        t!("these bounds do not make a band", "这些界限构不成一个分档"),
    )
    .with_help(order_help)
}

/// `Code::WrongDirection`: a scored part in a deduction or bonus item.
pub(in crate::check) fn scored_part_outside_base(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::WrongDirection,
        t!(
            "a part with a score belongs in a base item",
            "带分值的分项只能用在基本项中"
        ),
    )
    .at(at, t!("a share of a base score", "基本分的一部分"))
    .with_help(t!(
        "in a deduction or bonus item, cap a group with `at most N` instead",
        "在扣分项或加分项中，请改用 `最高 N` 限定一组子句"
    ))
}

/// `Code::WrongDirection`: adding in a deduction item, deducting in a bonus item.
pub(in crate::check) fn wrong_direction(what: Text, id: &str, at: Span) -> Diagnostic {
    Diagnostic::new(Code::WrongDirection, t!("this clause {} ({})", "此子句{}（考核事项 {}）", what, id))
                    .at(at, t!("wrong direction", "加扣方向不对"))
                    .with_help(t!("deduction items only deduct and bonus items only add; a row with both is written as two parts: `part deduction {{…}}` and `part bonus {{…}}`", "扣分项只能扣分，加分项只能加分；一行中既有扣分又有加分的，请写成两个分项：`分项 扣分项 {{…}}` 和 `分项 加分项 {{…}}`"))
}

/// `Code::TotalMismatch`: base items that do not add up to the declared total.
pub(in crate::check) fn total_mismatch(
    base_total: Decimal,
    declared: Decimal,
    base_items: usize,
    at: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::TotalMismatch,
        t!(
            "the base items add up to {}, but the table's total is {declared}",
            "基本项合计 {} 分，而考核表总分为 {declared} 分",
            base_total
        ),
    )
    .at(at, t!("declared {declared}", "写明的总分 {declared}"))
    .with_note(t!(
        "the spec's base items ({}) are worth {} together",
        "规则文件中的基本项（共 {} 项）合计 {} 分",
        base_items,
        base_total
    ))
    .with_help(t!(
        "check each item's `score` against the table, or correct the `total`",
        "请对照考核表核对各项“分值”，或更正“总分”"
    ))
}

/// `Code::MissingKind`: an item with no score and no kind.
pub(in crate::check) fn missing_kind(id: &str, at: Span) -> Diagnostic {
    Diagnostic::new(Code::MissingKind, t!("item {} does not say what it is worth", "考核事项 {} 没有写明分值或类别", id))
                            .at(at, t!("no score or kind", "缺少分值或类别"))
                            .with_help(t!("after the title write `score N` for a base item, or `deduction`, `bonus` or `veto`; a row with both deductions and bonuses has only parts, each `part deduction \"…\" {{ … }}` or `part bonus \"…\" {{ … }}`", "请在标题后写明：基本项写 `分值 N`，或写“扣分项”“加分项”“否决”；既有扣分又有加分的一行只由分项组成，每个分项写作 `分项 扣分项 \"…\" {{ … }}` 或 `分项 加分项 \"…\" {{ … }}`"))
}

/// `Code::MisplacedVeto`: a veto clause in an item that is no veto item.
pub(in crate::check) fn veto_outside_veto_item(id: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::MisplacedVeto,
        t!(
            "item {} has a veto clause but is not a veto item",
            "考核事项 {} 不是否决项，却有否决子句",
            id
        ),
    )
    .at(at, t!("veto here", "否决写在此处"))
    .with_help(t!(
        "give the veto its own item, with `veto` after its title",
        "请把否决单列为一个考核事项，在标题后写“否决”"
    ))
}

/// `Code::MisplacedVeto`: a veto item without a veto clause.
pub(in crate::check) fn veto_item_never_vetoes(id: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::MisplacedVeto,
        t!(
            "veto item {} has no `veto if …` clause",
            "否决项 {} 没有 `否决 若 …` 子句",
            id
        ),
    )
    .at(at, t!("never vetoes", "永远不会否决"))
    .with_help(t!(
        "write `veto if CONDITION \"reason\"`",
        "请写作 `否决 若 条件 \"理由\"`"
    ))
}

/// `Code::MisplacedVeto`: a veto item that also scores.
pub(in crate::check) fn veto_item_scores(id: &str, first: Span, head: Span) -> Diagnostic {
    Diagnostic::new(
        Code::MisplacedVeto,
        t!("veto item {} also scores points", "否决项 {} 还计了分", id),
    )
    .at(first, t!("a veto item only vetoes", "否决项只作否决"))
    .with_label(head, t!("a veto item", "否决项"))
    .with_help(t!(
        "put the scoring clauses in an item of their own",
        "请把计分子句放到单独的考核事项中"
    ))
}

/// `Code::EmptyItem`: a base item without scoring clauses.
pub(in crate::check) fn empty_item(id: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::EmptyItem,
        t!(
            "item {} has no scoring clauses (deduct, add), so every unit scores it in full",
            "考核事项 {} 没有计分子句（扣、加），所有被考核单位都将得满分",
            id
        ),
    )
    .at(at, t!("no clauses", "没有子句"))
    .with_help(t!(
        "add the deductions the table states, such as `deduct 1 unless done`",
        "请按考核表补上扣分规则，如 `扣 1 除非 done`"
    ))
}

/// `Code::UnboundedLinear`: a linear band open at one end.
pub(in crate::check) fn unbounded_linear(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnboundedLinear,
        t!(
            "a linear band needs both a lower and an upper bound",
            "线性分档须同时有下限和上限"
        ),
    )
    .at(at, t!("open at one end", "一端没有界限"))
    .with_help(t!(
        "write both bounds, such as `>= 90% and < 100% => linear 4 to 0`",
        "请写出两端的界限，如 `>= 90% 且 < 100% => 线性 4 至 0`"
    ))
}

/// `Code::MixedCap`: an `at most` over clauses that add and deduct.
pub(in crate::check) fn mixed_cap(at: Span, deduct: Span, add: Span) -> Diagnostic {
    Diagnostic::new(
        Code::MixedCap,
        t!(
            "this cap closes a group that both adds and deducts",
            "这个上限限定的一组子句既加分又扣分"
        ),
    )
    .at(at, t!("cap of a mixed group", "加扣混合的一组的上限"))
    .with_label(deduct, t!("deducts", "扣分"))
    .with_label(add, t!("adds", "加分"))
    .with_help(t!(
        "to net additions against deductions within bounds, make it a part with `score N from 0`",
        "如需加扣相抵并限定在一定范围内，请改写为带 `分值 N 起评 0` 的分项"
    ))
}

/// `Code::BadStart`: a score starting neither at 0 nor full.
pub(in crate::check) fn bad_start(max: Decimal, s: Decimal, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::BadStart,
        t!(
            "a score of {max} can start at 0 or at {max}, not at {s}",
            "分值 {max} 只能从 0 或 {max} 起评，不能从 {s} 起评"
        ),
    )
    .at(at, t!("unsupported start", "不支持的起评分"))
    .with_help(t!(
        "write `from 0` for a score earned up from zero, or nothing for one that starts full",
        "从零起累计得分的写 `起评 0`，满分起扣的不写"
    ))
}

/// `Code::BadStart`: `from 0` on an item made of scored parts.
pub(in crate::check) fn from_zero_with_scored_parts(id: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::BadStart,
        t!(
            "item {} has scored parts, so it starts from them, not from 0",
            "考核事项 {} 由带分值的分项组成，按各分项起评，不能从 0 起评",
            id
        ),
    )
    .at(at, t!("remove `from 0` here", "请删去此处的“起评 0”"))
    .with_help(t!(
        "put `from 0` on the parts that earn up from zero",
        "请把“起评 0”写在从零起累计得分的分项上"
    ))
}

/// `Code::MissingHeader`: a spec without its table header.
pub(in crate::check) fn missing_header() -> Diagnostic {
    Diagnostic::new(Code::MissingHeader, t!("the spec has no table header", "规则文件没有考核表表头"))
                    .with_help(t!("start the spec with `table \"title\" {{ year 2024  total 200  pass \"合格\"  fail \"不合格\" }}`", "请在规则文件开头写明 `考核表 \"标题\" {{ 年度 2024  总分 200  合格等次 \"合格\"  不合格等次 \"不合格\" }}`"))
}

/// `Code::NoItems`: a spec without items.
pub(in crate::check) fn no_items() -> Diagnostic {
    Diagnostic::new(Code::NoItems, t!("the spec has no items, so it scores nothing", "规则文件中没有考核事项，无法计分"))
                    .with_help(t!("write the table's sections, indicators and items: `section 一 \"…\" {{ indicator 1 \"…\" {{ item 1.1 \"…\" score 3 {{ … }} }} }}`", "请写出考核表的一级指标、二级指标和考核事项：`一级指标 一 \"…\" {{ 二级指标 1 \"…\" {{ 考核事项 1.1 \"…\" 分值 3 {{ … }} }} }}`"))
}

/// `Code::NegativeLiteralAmount`: an amount that is always negative.
pub(in crate::check) fn negative_amount(w: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::NegativeLiteralAmount,
        t!(
            "the amount `{w}` is negative, so no unit could be scored",
            "分数“{w}”是负数，所有被考核单位都将无法计分"
        ),
    )
    .at(at, t!("negative", "负数"))
    .with_note(t!(
        "the keyword gives the direction: `deduct 1` takes a point off, `add 1` gives one",
        "加扣方向由关键字表示：`扣 1` 扣一分，`加 1` 加一分"
    ))
    .with_help(t!(
        "write the amount without its minus sign",
        "请去掉负号，把分数写成正数"
    ))
}

/// `Code::NoBonusCeiling`: bonuses that no ceiling caps.
pub(in crate::check) fn no_bonus_ceiling(
    n: usize,
    ids: &str,
    zh_ids: &str,
    at: Span,
) -> Diagnostic {
    Diagnostic::new(
                Code::NoBonusCeiling,
                t!(
                    "{n} {} bonus points ({ids}) and no ceiling caps them",
                    "有 {n} 个{}加分（{zh_ids}），却没有加分上限",
                    if n == 1 {
                        t!("item gives", "考核事项")
                    } else {
                        t!("items give", "考核事项")
                    }
                ),
            )
            .at(at, t!("bonus without a ceiling", "加分没有上限"))
            .with_note(t!(
                "without a ceiling, bonuses are added to the total in full",
                "没有上限时，加分全额计入总分"
            ))
            .with_help(t!(
                "write the table's ceiling: `bonus at most 10` in the header for all bonuses, or in the section or indicator whose bonuses it caps; if the table really sets none, this warning can be left",
                "请写明考核表规定的上限：在表头写 `加分项 最高 10` 限定全部加分，或写在它所限定的一级指标、二级指标中；如考核表确实没有上限，可不理会此警告"
            ))
}

/// `Code::ClauseNeverMoves`: a clause in a scored block that can never move
/// its score (an `add` where the score starts full, a `deduct` where it
/// starts at 0).
pub(in crate::check) fn clause_never_moves(
    id: &str,
    full: bool,
    max: Decimal,
    at: Span,
) -> Diagnostic {
    let what = if full {
        t!("starts at its maximum of {max}", "从满分 {max} 分起评")
    } else {
        t!("starts at 0", "从 0 分起评")
    };
    let help = if full {
        t!(
            "if the item earns its points upward, write `score {max} from 0`; if this is a bonus, put it in a bonus item or a `part bonus {{…}}`",
            "如本项是从零起累计得分，请写 `分值 {max} 起评 0`；如这是加分，请放到加分项或 `分项 加分项 {{…}}` 中"
        )
    } else {
        t!(
            "if the item starts full, remove `from 0`; if this is a deduction from the total, put it in a deduction item or a `part deduction {{…}}`",
            "如本项应从满分起评，请删去“起评 0”；如这是从总分中扣分，请放到扣分项或 `分项 扣分项 {{…}}` 中"
        )
    };
    Diagnostic::new(
            Code::ClauseNeverMoves,
            t!(
                "this clause can never move item {id}'s score: the score {} and nothing in it moves the other way",
                "此子句永远不会改变考核事项 {id} 的得分：该得分{}，且没有反方向的子句",
                what
            ),
        )
        .at(at, t!("never moves the score", "永远不起作用"))
        .with_help(help)
}

/// `Code::CapNeverBites`: a cap beyond what its part is worth.
pub(in crate::check) fn cap_beyond_part(
    cap: Decimal,
    name: &str,
    id: &str,
    share: Decimal,
    at: Span,
) -> Diagnostic {
    Diagnostic::new(
                    Code::CapNeverBites,
                    t!(
                        "a cap of {cap} is more than part \"{name}\" of item {} is worth ({share}), so it never bites",
                        "上限 {cap} 分超过了分项“{name}”（考核事项 {}）的分值 {share} 分，永远不会起作用",
                        id
                    ),
                )
                .at(at, t!("beyond the part's {share}", "超过分项的 {share} 分"))
                .with_help(t!(
                    "check the cap against the table: a part cannot lose more than it is worth ({share}); lower the cap, or move the clause to the part the cap belongs to",
                    "请对照考核表核对上限：分项最多只能扣完其 {share} 分；请调低上限，或把子句移到该上限所属的分项"
                ))
}

/// `Code::CapNeverBites`: a cap at or above the one amount a clause moves.
pub(in crate::check) fn cap_above_fixed_amount(
    n: Decimal,
    v: Decimal,
    id: &str,
    at: Span,
) -> Diagnostic {
    Diagnostic::new(
                            Code::CapNeverBites,
                            t!(
                                "the clause moves {n} at most once, so its cap of {v} never bites (item {})",
                                "此子句最多只计一次 {n} 分，上限 {v} 分永远不会起作用（考核事项 {}）",
                                id
                            ),
                        )
                        .at(at, t!("never reached", "永远达不到"))
                        .with_help(t!(
                            "if the table counts each occurrence, write `per`: `deduct {n} per x, at most {v}`; otherwise remove the cap",
                            "如考核表是按次计分，请写“每”：`扣 {n} 每 x, 最高 {v}`；否则请删去上限"
                        ))
}

/// `Code::BandUnreachable`: a band outside the values its quantity takes.
pub(in crate::check) fn band_unreachable(range: Text, at: Span) -> Diagnostic {
    Diagnostic::new(
                    Code::BandUnreachable,
                    t!(
                        "no value can fall in this band: the banded quantity runs {}",
                        "没有任何取值会落在此分档：被分档的量只能在{}",
                        range
                    ),
                )
                .at(at, t!("never reached", "永远达不到"))
                .with_help(t!(
                    "check the bound against the table (a rate is at most 100%, a count at least 0); correct it or remove the band",
                    "请对照考核表核对界限（比率最多 100%，计数最少为 0），更正或删去此分档"
                ))
}

/// `Code::SumOverflow`: points that add up beyond exact decimals, at the
/// item where the sum overflows.
pub(in crate::check) fn too_many_points(label: &ast::Name, what: Text) -> Diagnostic {
    let id = &label.text;
    Diagnostic::new(
        Code::SumOverflow,
        t!(
            "{} add up beyond what exact decimals hold (about 7.9 × 10^28) at item {id}",
            "{}在考核事项 {id} 处累计超出精确小数所能表示的范围（约 7.9 × 10^28）",
            what
        ),
    )
    .at(label.span, t!("the sum overflows here", "合计在此处溢出"))
    .with_help(t!(
        "check the item's score: an assessment table's points are far smaller",
        "请检查该项分值：考核表的分值远小于此"
    ))
}
