//! K03 diagnostics of the checker: types and units.

use super::*;

/// `Code::TypeMismatch`: a header grade that is not a text.
pub(in crate::check) fn grade_not_text(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        t!(
            "a grade is a text, such as \"优秀\"",
            "等次应为文本，如 \"优秀\""
        ),
    )
    .at(at, t!("expected a quoted grade", "此处应为带引号的等次"))
}

/// `Code::TypeMismatch`: a default that is not a literal of its input's type.
pub(in crate::check) fn bad_default(what: Text, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        t!("the default must be {}", "缺省值应为{}", what),
    )
    .at(
        at,
        t!("not a default for this input", "不能作为此数据项的缺省值"),
    )
}

/// `Code::TypeMismatch`: a cap or share that is not a number written out.
pub(in crate::check) fn not_a_written_number(what: Text, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        t!(
            "{} must be a number of points written out, such as 3",
            "{}须直接写出分数，如 3",
            what
        ),
    )
    .at(at, t!("not a plain number", "不是直接写出的数"))
}

/// `Code::TypeMismatch`: `at most … per …` on a clause without `each`.
pub(in crate::check) fn group_cap_without_each(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        t!(
            "`at most … per …` caps groups of records, so it needs `each`",
            "`最高 … 每 …` 按组限定记录的扣分，须与“逐个”连用"
        ),
    )
    .at(at, t!("no records to group", "没有可分组的记录"))
    .with_help(t!(
        "write `deduct each x in list: …, at most N per x.key`",
        "请写作 `扣 逐个 x 属于 列表: …, 最高 N 每 x.键`"
    ))
}

/// `Code::TypeMismatch`: a text where `above`/`below` wants its threshold.
pub(in crate::check) fn threshold_is_text(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        t!(
            "the threshold after `above` or `below` is a text, not a number",
            "“高于”或“低于”之后的界限是文本，不是数值"
        ),
    )
    .at(at, t!("read as the threshold", "被当作界限"))
    .with_help(t!(
        "write the number first, then the reason: `below 2 \"少一次扣0.5分\"`",
        "请先写数值，再写理由：`低于 2 \"少一次扣0.5分\"`"
    ))
}

/// `Code::TypeMismatch`: records grouped by a record or a list.
pub(in crate::check) fn not_a_key(found: Text, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        t!(
            "records are grouped by a single value, but this is {}",
            "记录须按单个取值分组，而此处是{}",
            found
        ),
    )
    .at(at, t!("not a key", "不能作为分组依据"))
}

/// `Code::TypeMismatch`: a condition that is not yes or no.
pub(in crate::check) fn not_a_condition(
    written: &str,
    found: Text,
    example: &str,
    at: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        t!(
            "a condition must be yes or no, but `{written}` is {}",
            "条件的结果应为“是”或“否”，而“{written}”是{}",
            found
        ),
    )
    .at(at, t!("expected a condition", "此处应为条件"))
    .with_help(t!(
        "compare it with something, such as {example}",
        "请把它与某个值比较，如 {example}"
    ))
}

/// `Code::TypeMismatch`: something other than a number where one is needed.
pub(in crate::check) fn not_a_number(what: Text, found: Text, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        t!(
            "{} must be a number, but this is {}",
            "{}应为数值，而此处是{}",
            what,
            found
        ),
    )
    .at(at, t!("expected a number", "此处应为数值"))
}

/// `Code::TypeMismatch`: a record variable used as a value.
pub(in crate::check) fn whole_record(name: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        t!(
            "`{}` is a whole record; use one of its fields",
            "“{}”是一整条记录，请使用它的某个字段",
            name
        ),
    )
    .at(at, t!("a record", "记录"))
    .with_help(t!("write `{}.field`", "请写作 `{}.字段名`", name))
}

/// `Code::TypeMismatch`: a field read from something other than a name.
pub(in crate::check) fn fields_of_non_variable(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        t!("only a record variable has fields", "只有记录变量才有字段"),
    )
    .at(at, t!("not a record variable", "不是记录变量"))
}

/// `Code::TypeMismatch`: a field read from an input that is not a record.
pub(in crate::check) fn not_a_record(name: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        t!(
            "`{}` is not a record, so it has no fields",
            "“{}”不是记录，没有字段",
            name
        ),
    )
    .at(at, t!("not a record variable", "不是记录变量"))
    .with_help(t!(
        "fields are read from the variable of an `each` or of count(…)/sum(…)",
        "字段只能从“逐个”或 count(…)/sum(…) 的变量上读取"
    ))
}

/// `Code::TypeMismatch`: an operator or function given the wrong kind of value.
pub(in crate::check) fn needs(what: Text, expected: Text, found: Text, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        t!(
            "{} needs {}, but this is {}",
            "{}需要{}，而此处是{}",
            what,
            expected,
            found
        ),
    )
    .at(at, t!("expected {}", "此处应为{}", expected))
}

/// `Code::TypeMismatch`: a comparison of values that do not compare.
pub(in crate::check) fn cannot_compare(
    ln: Text,
    rn: Text,
    op: &str,
    l_at: Span,
    r_at: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        t!(
            "cannot compare {} with {} using `{}`",
            "{}与{}不能用“{}”比较",
            ln,
            rn,
            op
        ),
    )
    .at(r_at, rn)
    .with_label(l_at, ln)
}

/// `Code::TypeMismatch`: arithmetic on values that are not numbers.
pub(in crate::check) fn not_numbers(op: &str, ln: Text, rn: Text, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        t!(
            "`{}` needs numbers, but these are {} and {}",
            "“{}”两边应为数值，而这里是{}和{}",
            op,
            ln,
            rn
        ),
    )
    .at(at, t!("expected numbers", "此处应为数值"))
}

/// `Code::TypeMismatch`: branches of different kinds.
pub(in crate::check) fn alternatives_differ(
    an: Text,
    bn: Text,
    a_at: Span,
    b_at: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        t!(
            "the alternatives are {} and {}; they must be the same kind",
            "两个可选结果分别是{}和{}，二者应为同一类",
            an,
            bn
        ),
    )
    .at(b_at, bn)
    .with_label(a_at, an)
}

/// `Code::TypeMismatch`: `given` of an input that is not optional.
pub(in crate::check) fn always_given(name: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        t!(
            "`{}` is not optional, so it is always given",
            "“{}”不是可缺数据项，总是有值",
            name
        ),
    )
    .at(at, t!("always has a value", "总是有值"))
    .with_help(t!(
        "declare the input `optional` if the data may leave it out",
        "如果数据中可能缺这一项，请把该数据项声明为“可缺”"
    ))
}

/// `Code::TypeMismatch`: `given` of something other than an input.
pub(in crate::check) fn given_needs_input(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        t!("`given` asks about an input", "“given”的参数应为一个数据项"),
    )
    .at(at, t!("expected an input's name", "此处应为数据项名称"))
}

/// `Code::UnitMismatch`: an amount in another unit than points.
pub(in crate::check) fn amount_not_in_points(unit: Text, at: Span) -> Diagnostic {
    Diagnostic::new(Code::UnitMismatch, t!("an amount is in points, but this is in {}", "分数以“分”计，而此处以{}计", unit))
                        .at(at, t!("not points", "不是分数"))
                        .with_help(t!("to take points per unit of a quantity, write `deduct 0.5 per continuous 1μg/m³ of x above target`", "如需按某个量每若干单位扣分，请写作 `扣 0.5 每 连续 1μg/m³ 计 x 高于 target`"))
}

/// `Code::RateVsPoints`, `Code::BareRate` or `Code::UnitMismatch`: a step in
/// another unit than the gap it steps.
pub(in crate::check) fn step_unit_clash(c: Clash, gap: &U, step: &U, span: Span) -> Diagnostic {
    let (code, help) = match c {
        Clash::RateVsPoints => (
            Code::RateVsPoints,
            t!(
                "the gap between two rates is in percentage points: write the step with pp, such as 5pp",
                "两个比率之间的差距以百分点计：步长请带 pp，如 5pp"
            ),
        ),
        Clash::BareRate => (
            Code::BareRate,
            t!(
                "write the step with its unit, such as 0.1pp",
                "步长请带单位，如 0.1pp"
            ),
        ),
        Clash::Mismatch => (
            Code::UnitMismatch,
            t!(
                "write the step in the unit of the quantity",
                "步长请使用所计量的单位"
            ),
        ),
    };
    Diagnostic::new(
        code,
        t!(
            "the step is in {}, but the gap is in {}",
            "步长以{}计，而差距以{}计",
            unit_name(step),
            unit_name(gap)
        ),
    )
    .at(span, t!("this step", "此步长"))
    .with_help(help)
}

/// `Code::BareRate`: a step of a percentage written without its unit.
pub(in crate::check) fn step_without_unit(unit: Text, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::BareRate,
        t!(
            "a step of a percentage must be written with its unit",
            "按百分比计的步长须写明单位"
        ),
    )
    .at(at, t!("counted in {}", "以{}计", unit))
    .with_help(t!(
        "write the step before `of`, such as `per whole 5pp of rate below 100%`",
        "请在“计”之前写明步长，如 `每 按整 5pp 计 rate 低于 100%`"
    ))
}

/// `Code::BareRate`, `Code::RateVsPoints` or `Code::UnitMismatch`: a band
/// bound in another unit than the banded value.
pub(in crate::check) fn bound_unit_clash(c: Clash, at: Span) -> Diagnostic {
    let (code, msg, help) = match c {
        Clash::BareRate => (
            Code::BareRate,
            t!(
                "a band bound on a percentage is written without %",
                "按百分比分档的界限没有带 %"
            ),
            t!(
                "write it as a percentage, such as 90%",
                "请写成百分比，如 90%"
            ),
        ),
        Clash::RateVsPoints => (
            Code::RateVsPoints,
            t!(
                "a band bound mixes a rate with percentage points",
                "分档界限把比率与百分点混用"
            ),
            t!(
                "bounds must be in the banded value's own unit",
                "界限须使用被分档的值本身的单位"
            ),
        ),
        Clash::Mismatch => (
            Code::UnitMismatch,
            t!(
                "a band bound is in another unit than the banded value",
                "分档界限的单位与被分档的值不同"
            ),
            t!(
                "bounds must be in the banded value's own unit",
                "界限须使用被分档的值本身的单位"
            ),
        ),
    };
    Diagnostic::new(code, msg)
        .at(at, t!("this bound", "此界限"))
        .with_help(help)
}

/// `Code::BareRate`, `Code::RateVsPoints` or `Code::UnitMismatch`: two
/// operands whose units do not go together.
pub(in crate::check) fn units_clash(
    c: Clash,
    x: &U,
    y: &U,
    ls: Span,
    rs: Span,
    verb: Text,
) -> Diagnostic {
    let (xn, yn) = (unit_name(x), unit_name(y));
    match c {
        Clash::BareRate => Diagnostic::new(Code::BareRate, t!("a bare number is {} with {}", "不带单位的数与{1}{0}", verb, if matches!(x, U::Bare) { &yn } else { &xn }))
            .at(if matches!(x, U::Bare) { ls } else { rs }, t!("write its unit", "请写明单位"))
            .with_help(t!("write percentages with % (90%) and percentage points with pp (0.1pp)", "百分比请带 %（如 90%），百分点请带 pp（如 0.1pp）")),
        Clash::RateVsPoints => Diagnostic::new(Code::RateVsPoints, t!("a rate is {} with a difference of rates: {} and {}", "比率与比率之差{}：{}与{}", verb, xn, yn))
            .at(rs, yn)
            .with_label(ls, xn)
            .with_help(t!("a difference of two rates is in percentage points: write the step or bound with pp (0.1pp), or compare rates with rates", "两个比率之差以百分点计：步长或界限请带 pp（如 0.1pp），或者让比率与比率比较")),
        Clash::Mismatch => Diagnostic::new(Code::UnitMismatch, t!("{} and {} cannot be {}", "{}与{}不能{}", xn, yn, verb))
            .at(rs, yn)
            .with_label(ls, xn),
    }
}

/// `Code::BareRate`, `Code::RateVsPoints` or `Code::UnitMismatch`: a
/// `per … above/below` threshold in another unit than its quantity.
pub(in crate::check) fn threshold_unit_clash(
    c: Clash,
    q: &U,
    t: &U,
    qs: Span,
    ts: Span,
) -> Diagnostic {
    let code = match c {
        Clash::BareRate => Code::BareRate,
        Clash::RateVsPoints => Code::RateVsPoints,
        Clash::Mismatch => Code::UnitMismatch,
    };
    Diagnostic::new(
        code,
        t!(
            "{} is measured against {}",
            "{}与{}相比较",
            unit_name(q),
            unit_name(t)
        ),
    )
    .at(ts, unit_name(t))
    .with_label(qs, unit_name(q))
    .with_help(t!(
        "a threshold is in the same unit as what it limits; write percentages with %",
        "界限的单位应与所限定的量相同；百分比请带 %"
    ))
}

/// `Code::RoundingUnstated`: `per` over a quantity that is not whole, without `whole` or `continuous`.
pub(in crate::check) fn rounding_unstated(unit: Text, at: Span) -> Diagnostic {
    Diagnostic::new(Code::RoundingUnstated, t!("this rule does not say how a part of a step counts", "此规则没有写明不足一个步长的部分如何计"))
                            .at(at, t!("{} is not a whole count", "{}不是整数计数", unit))
                            .with_help(t!("write `per continuous …` when a gap of 1.5 counts 1.5 steps, or `per whole …` when it counts 1", "差 1.5 个步长按 1.5 计的写 `每 连续 …`，按 1 计的写 `每 按整 …`"))
}

/// `Code::UnknownUnit` for `分` after a number a rule compares with an
/// input (`below 2分`): the input is not in points, so the number is bare.
pub(in crate::check) fn points_as_unit(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownUnit,
        t!(
            "a number in a rule is written without `分`",
            "规则中的数值后面不写“分”"
        ),
    )
    .at(at, t!("delete `分`", "应删去“分”"))
    .with_help(t!(
        "what a rule compares or counts is an input, so its number is written alone: `below 2`, not `below 2分` (delete `分`, or use the editor's fix); `分` follows points only: the total, a heading's or an item's points, the points an item deducts or adds, a grade's or a result's bounds",
        "规则比较或计数的是数据项，数值只写本身：写“低于 2”，不写“低于 2分”（请删去“分”，或使用编辑器的快速修复）；“分”只写在分数后面：总分、各级指标和考核事项的分值、扣分或加分的分数、等次和结果的分数线"
    ))
    .with_fix(at, "")
}

/// `Code::UnknownUnit`: a unit no input of the spec is measured in.
pub(in crate::check) fn unknown_unit(
    unit: &str,
    at: Span,
    near: Option<&str>,
    known: Vec<&str>,
) -> Diagnostic {
    if unit == "分" {
        return points_as_unit(at);
    }
    let d = Diagnostic::new(
        Code::UnknownUnit,
        t!(
            "no input of this spec is measured in `{}`",
            "本规则文件中没有以“{}”为单位的数据项",
            unit
        ),
    )
    .at(at, t!("unknown unit", "未知单位"));
    match near {
        Some(s) => d.with_help(t!("did you mean `{s}`?", "是否应为“{s}”？")),
        None => {
            let all: Vec<&str> = ["%", "pp", "days"].into_iter().chain(known).collect();
            d.with_note(t!(
                "units known here: {}",
                "此处可用的单位：{}",
                Text::list(&all)
            ))
        }
    }
}

/// `Code::NegativeCount`: a count defaulting to a negative number.
pub(in crate::check) fn negative_count_default(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::NegativeCount,
        t!(
            "a count cannot default to a negative number",
            "计数的缺省值不能为负数"
        ),
    )
    .at(at, t!("negative", "负数"))
    .with_help(t!(
        "counts are whole numbers from 0 up",
        "计数是从 0 起的整数"
    ))
}

/// `Code::Arity`: count(…) or sum(…) without `x in list`.
pub(in crate::check) fn aggregate_needs_binding(func: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::Arity,
        t!(
            "{}(…) takes a record variable and a list",
            "{}(…) 的参数应为一个记录变量和一个列表",
            func
        ),
    )
    .at(at, t!("expected `x in list`", "此处应为 `x 属于 列表`"))
    .with_help(t!(
        "write `{}(x in list where …)`",
        "请写作 `{}(x 属于 列表 其中 …)`",
        func
    ))
}

/// `Code::Arity`: a function given the wrong number of arguments.
pub(in crate::check) fn wrong_arity(
    func: &str,
    arity: Option<usize>,
    given: usize,
    at: Span,
) -> Diagnostic {
    let wanted = arity.map_or(t!("at least one argument", "至少一个参数"), |n| {
        let s = if n == 1 { "" } else { "s" };
        t!("{n} argument{s}", " {n} 个参数")
    });
    Diagnostic::new(
        Code::Arity,
        t!(
            "`{}` takes {}, but is given {}",
            "“{}”需要{}，实际给了 {} 个",
            func,
            wanted,
            given
        ),
    )
    .at(at, t!("wrong number of arguments", "参数个数不对"))
}

/// `Code::Arity`: `given` with other than one argument.
pub(in crate::check) fn given_arity(given: usize, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::Arity,
        t!(
            "`given` takes 1 argument, but is given {}",
            "“given”需要 1 个参数，实际给了 {} 个",
            given
        ),
    )
    .at(at, t!("wrong number of arguments", "参数个数不对"))
}

/// `Code::Arity`: sum(…) without its value.
pub(in crate::check) fn sum_without_value(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::Arity,
        t!(
            "sum(…) needs the value to add up after a colon",
            "sum(…) 须在冒号后写明要加总的值"
        ),
    )
    .at(at, t!("nothing to add up", "没有要加总的值"))
    .with_help(t!(
        "write `sum(x in list where …: x.field)`",
        "请写作 `sum(x 属于 列表 其中 …: x.字段名)`"
    ))
}

/// `Code::Arity`: count(…) given a value.
pub(in crate::check) fn count_with_value(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::Arity,
        t!(
            "count(…) counts records and takes no value",
            "count(…) 只统计记录条数，不接取值"
        ),
    )
    .at(at, t!("not used", "用不上"))
    .with_help(t!(
        "remove `: …`, or use sum(…)",
        "请删去 `: …`，或改用 sum(…)"
    ))
}

/// `Code::NonExhaustive`: a `match` on an enumeration missing values.
pub(in crate::check) fn match_not_exhaustive(missing: &[String], at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::NonExhaustive,
        t!(
            "the match gives no value for {}",
            "“按”未给出{}对应的结果",
            quoted_text(missing)
        ),
    )
    .at(at, t!("not every value is covered", "未覆盖全部取值"))
    .with_help(t!(
        "add an arm for each, or an `else => …` arm",
        "请为每个取值各写一条对应，或加一条 `否则 => …`"
    ))
}

/// `Code::NonExhaustive`: a `match` on a text without `else`.
pub(in crate::check) fn text_match_without_else(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::NonExhaustive,
        t!(
            "a match on a text needs an `else => …` arm",
            "对文本“按”取值时须有一条 `否则 => …`"
        ),
    )
    .at(
        at,
        t!("texts not listed have no value", "未列出的文本没有结果"),
    )
}

/// `Code::StepNotPositive`: a step of 0 or less.
pub(in crate::check) fn step_not_positive(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::StepNotPositive,
        t!("a step must be more than zero", "步长须大于零"),
    )
    .at(at, t!("not a step", "不是有效步长"))
    .with_help(t!(
        "write the step the table states, e.g. `per whole 5pp of rate below 100%` for 每降低5个百分点",
        "请写考核表规定的步长，如“每降低5个百分点”写作 `每 按整 5pp …`"
    ))
}

/// `Code::DivideByZero`: a division by a literal 0.
pub(in crate::check) fn divides_by_zero(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DivideByZero,
        t!("this divides by zero", "此处除数为零"),
    )
    .at(at, t!("zero", "零"))
}

/// `Code::DivisorMayBeZero`: a divisor that may be 0 on valid data.
pub(in crate::check) fn divisor_may_be_zero(w: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
                Code::DivisorMayBeZero,
                t!(
                    "`{w}` may be 0 on valid data, and a unit for which it is 0 cannot be scored",
                    "“{w}”在有效数据中可能为 0，为 0 时该被考核单位无法计分"
                ),
            )
            .at(at, t!("may be 0", "可能为 0"))
            .with_note(t!(
                "dividing by 0 stops the unit's scoring with error K0602",
                "除以 0 会使该单位的计分因错误 K0602 而中止"
            ))
            .with_help(t!(
                "divide only where the table needs it and `{w}` is not 0: `if {w} > 0 and …`, or `if {w} > 0 then … else …`; or compare without dividing: `a < r * {w}` instead of `a / {w} < r`",
                "请只在考核表需要、且“{w}”不为 0 时相除：`若 {w} > 0 且 …`，或 `若 {w} > 0 则 … 否则 …`；也可改为不用除法的比较：用 `a < r * {w}` 代替 `a / {w} < r`"
            ))
}
