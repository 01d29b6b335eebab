//! K01 and K02 diagnostics of the checker: entries and names.

use super::*;

/// `Code::UnknownLanguage`: a header `language` that is neither zh nor en.
pub(in crate::check) fn unknown_language(other: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownLanguage,
        t!(
            "`{other}` is not a language kaohe explains in",
            "kaohe 不能用“{other}”作说明语言"
        ),
    )
    .at(at, t!("expected zh or en", "应为 zh 或 en"))
    .with_help(t!(
        "write `language zh` for explanations in Chinese or `language en` for English",
        "中文说明请写 `语言 zh`，英文说明请写 `语言 en`"
    ))
}

/// `Code::TwoCaps`: a clause with two overall caps.
pub(in crate::check) fn two_overall_caps(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TwoCaps,
        t!("the clause has two overall caps", "此子句有两个总上限"),
    )
    .at(at, t!("second cap", "第二个上限"))
    .with_help(t!(
        "keep the one the table states",
        "请只保留考核表规定的那一个"
    ))
}

/// `Code::TwoCaps`: a clause with two `at most … per`.
pub(in crate::check) fn two_group_caps(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TwoCaps,
        t!(
            "a clause can cap one grouping of its records",
            "一个子句只能按一种分组限定记录的扣分"
        ),
    )
    .at(at, t!("second `at most … per`", "第二个 `最高 … 每`"))
    .with_help(t!(
        "keep one `at most N per KEY`, and one overall `at most N`",
        "请只保留一个 `最高 N 每 键` 和一个总的 `最高 N`"
    ))
}

/// `Code::UnknownName`: a name no input (nor record variable) has.
pub(in crate::check) fn unknown_name(name: &str, at: Span, near: Option<&str>) -> Diagnostic {
    let d = Diagnostic::new(
        Code::UnknownName,
        t!("no input is named `{}`", "没有名为“{}”的数据项", name),
    )
    .at(at, t!("not declared", "未声明"));
    match near {
        Some(s) => d.with_help(t!("did you mean `{s}`?", "是否应为“{s}”？")),
        None => d.with_help(t!(
            "declare it: `input {}: count \"…\"` (or the type it has)",
            "请先声明：`数据 {}: 计数 \"…\"`（类型按实际填写）",
            name
        )),
    }
}

/// `Code::ChineseNumeral`: `name`, at `at`, is a Chinese numeral worth `value`.
pub(in crate::check) fn chinese_numeral(name: &str, at: Span, value: &str) -> Diagnostic {
    Diagnostic::new(
        Code::ChineseNumeral,
        t!(
            "`{name}` is a number written in Chinese numerals: a rule needs digits",
            "“{name}”是中文数字：规则中的数值要用阿拉伯数字书写"
        ),
    )
    .at(at, t!("write {value}", "应写作 {value}"))
    .with_help(t!(
        "write `{value}` (the table's prose may keep its Chinese numerals in the rule's quoted note)",
        "请写作“{value}”（表格原文中的中文数字可以留在规则后引号内的说明里）"
    ))
    .with_fix(at, value)
}

/// `Code::LabelKeyClash`: two ids of one level with one key (levels).
pub(in crate::check) fn label_key_clash(
    what: &str,
    id: &str,
    first_id: &str,
    key: &str,
    again: Span,
    first: Span,
) -> Diagnostic {
    let what_zh = match what {
        "section" => "一级指标",
        "indicator" => "二级指标",
        "third-level indicator" => "三级指标",
        "fourth-level indicator" => "四级指标",
        _ => "考核事项",
    };
    Diagnostic::new(
        Code::LabelKeyClash,
        t!(
            "two {}s have the ids {} and {}, which differ only by a trailing 、 or point (both read as {})",
            "两个{}的编号 {} 和 {} 只差末尾的“、”或“.”（都读作 {}）",
            Text::new(what.to_string(), what_zh.to_string()),
            first_id,
            id,
            key
        ),
    )
    .at(again, t!("the same key as the first", "与前一个编号相同"))
    .with_label(first, t!("first used here", "首次使用在此处"))
    .with_help(t!(
        "an id's key is the id without a trailing 、 or point; give one of them the number the table gives it",
        "编号去掉末尾的“、”或“.”即为其键；请按考核表更正其中一个编号"
    ))
}

/// `Code::DuplicateId`: two sections, indicators or items of one id.
pub(in crate::check) fn duplicate_id(what: &str, id: &str, again: Span, first: Span) -> Diagnostic {
    let what_zh = match what {
        "section" => "一级指标",
        "indicator" => "二级指标",
        "third-level indicator" => "三级指标",
        "fourth-level indicator" => "四级指标",
        _ => "考核事项",
    };
    Diagnostic::new(
        Code::DuplicateId,
        t!(
            "two {}s have the id {}",
            "有两个{}的编号都是 {}",
            Text::new(what.to_string(), what_zh.to_string()),
            id
        ),
    )
    .at(again, t!("used again here", "此处重复使用"))
    .with_label(first, t!("first used here", "首次使用在此处"))
    .with_help(t!(
        "ids follow the table's numbering and are unique within their parent: the items of one indicator, the indicators of one section, the sections",
        "编号应与考核表的序号一致，同一二级指标下的考核事项、同一一级指标下的二级指标、各一级指标的编号均不能重复"
    ))
}

/// `Code::DuplicateInput`: two enumerations of one name.
pub(in crate::check) fn duplicate_enum(name: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateInput,
        t!(
            "two enumerations are named `{}`",
            "有两个枚举都叫“{}”",
            name
        ),
    )
    .at(at, t!("named again here", "此处重名"))
}

/// `Code::DuplicateInput`: two inputs of one name.
pub(in crate::check) fn duplicate_input(name: &str, again: Span, first: Span) -> Diagnostic {
    Diagnostic::new(Code::DuplicateInput, t!("two inputs are named `{}`", "有两个数据项都叫“{}”", name))
                    .at(again, t!("declared again here", "此处重复声明"))
                    .with_label(first, t!("first declared here", "首次声明在此处"))
                    .with_help(t!("inputs are shared by the whole spec: declare it once, where it is first needed, and use it in both places", "数据项在整个规则文件中通用：只需在首次用到的地方声明一次，两处都可使用"))
}

/// `Code::DuplicateInput`: two fields of one list of one name.
pub(in crate::check) fn duplicate_field(name: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateInput,
        t!("two fields are named `{}`", "有两个字段都叫“{}”", name),
    )
    .at(at, t!("named again here", "此处重名"))
}

/// `Code::UnusedInput`: an input no rule reads.
pub(in crate::check) fn unused_input(name: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnusedInput,
        t!(
            "input `{}` is declared but no rule uses it",
            "数据项“{}”已声明，但没有任何规则用到它",
            name
        ),
    )
    .at(at, t!("never used", "从未使用"))
    .with_help(t!(
        "use it in a clause, or remove it so that data clerks are not asked for it",
        "请在子句中用到它，或将其删去，免得填报人员白白填报"
    ))
}

/// `Code::UnknownFunction`: `x in list` given to a function that is no aggregate.
pub(in crate::check) fn not_an_aggregate(other: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownFunction,
        t!(
            "`{other}` does not take `x in list`",
            "“{other}”不能接 `x 属于 列表`"
        ),
    )
    .at(at, t!("not an aggregate", "不是汇总函数"))
    .with_help(t!(
        "the aggregates are count(x in list where …) and sum(x in list where …: value)",
        "汇总函数只有 count(x 属于 列表 其中 …) 和 sum(x 属于 列表 其中 …: 取值)"
    ))
}

/// `Code::UnknownFunction`: a function kaohe does not have.
pub(in crate::check) fn unknown_function(
    name: &str,
    at: Span,
    near: Option<&str>,
    known: &[&str],
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::UnknownFunction,
        t!("kaohe has no function `{}`", "kaohe 没有函数“{}”", name),
    )
    .at(at, t!("unknown function", "未知函数"));
    match near {
        Some(s) => d.with_help(t!("did you mean `{s}`?", "是否应为“{s}”？")),
        None => d.with_note(t!(
            "the functions are: {}",
            "可用的函数有：{}",
            Text::list(known)
        )),
    }
}

/// `Code::UnknownField`: a field the records of a list do not have.
pub(in crate::check) fn unknown_field(
    list: &str,
    field: &str,
    at: Span,
    near: Option<&str>,
    names: &[&str],
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::UnknownField,
        t!(
            "records of `{list}` have no field `{}`",
            "“{list}”的记录没有字段“{}”",
            field
        ),
    )
    .at(at, t!("no such field", "没有这个字段"));
    match near {
        Some(s) => d.with_help(t!("did you mean `{s}`?", "是否应为“{s}”？")),
        None => d.with_note(t!(
            "its fields are: {}",
            "它的字段有：{}",
            Text::list(names)
        )),
    }
}

/// `Code::UnknownType`: a type name that is no type nor enumeration.
pub(in crate::check) fn unknown_type(name: &str, at: Span, near: Option<&str>) -> Diagnostic {
    let d = Diagnostic::new(
        Code::UnknownType,
        t!("`{}` is not a type", "“{}”不是类型", name),
    )
    .at(at, t!("unknown type", "未知类型"));
    match near {
        Some(s) => d.with_help(t!("did you mean `{s}`?", "是否应为“{s}”？")),
        None => d.with_help(t!("the types are bool, count, number UNIT, rate, date, text, enum {{ … }} and the enumerations the spec declares", "类型有：是否、计数、数值 单位、比率、日期、文本、枚举 {{ … }}，以及本规则文件声明的枚举")),
    }
}

/// `Code::NotAVariant`: a `match` arm for a value the enumeration lacks.
pub(in crate::check) fn not_an_enum_value(
    value: &str,
    enum_name: &str,
    at: Span,
    near: Option<&str>,
) -> Diagnostic {
    let mut d = Diagnostic::new(
        Code::NotAVariant,
        t!(
            "\"{}\" is not a value of `{}`",
            "“{}”不是枚举“{}”的取值",
            value,
            enum_name
        ),
    )
    .at(at, t!("not one of its values", "不在可选值之列"));
    if let Some(v) = near {
        d = d.with_help(t!("did you mean \"{v}\"?", "是否应为“{v}”？"));
    }
    d
}

/// `Code::NotAVariant`: a text compared with an enumeration that lacks it.
pub(in crate::check) fn not_a_variant(
    s: &str,
    whose: &str,
    variants: &[String],
    at: Span,
    other: Span,
    near: Option<&str>,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::NotAVariant,
        t!(
            "\"{s}\" is not a value `{whose}` can have ({})",
            "“{s}”不是“{whose}”的可选值（可选值为：{}）",
            Text::list(variants)
        ),
    )
    .at(at, t!("not one of its values", "不在可选值之列"))
    .with_label(
        other,
        t!("one of {}", "取值为{}之一", quoted_text(variants)),
    );
    match near {
        Some(v) => d.with_help(t!("did you mean \"{v}\"?", "是否应为“{v}”？")),
        None => d.with_help(t!("write one of {}", "请写{}之一", quoted_text(variants))),
    }
}

/// `Code::DuplicateVariant`: an enumeration value listed twice.
pub(in crate::check) fn variant_listed_twice(value: &str, again: Span, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateVariant,
        t!("\"{}\" is listed twice", "“{}”列了两次", value),
    )
    .at(again, t!("listed again", "重复列出"))
    .with_label(first, t!("first listed here", "首次列出在此处"))
    .with_help(t!("list each value once", "每个取值只列一次"))
}

/// `Code::DuplicateVariant`: a value with two arms of a `match`.
pub(in crate::check) fn two_arms(value: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateVariant,
        t!("\"{}\" has two arms", "“{}”对应了两次", value),
    )
    .at(at, t!("given again", "重复"))
}
