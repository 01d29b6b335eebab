//! K0290–K0291, K0350–K0352: standards by the unit's class (`standard …
//! by …`, 标准 … 按 …); K0470: a grade-to-score table beyond its points.

use super::*;

/// `Code::StandardNameTaken`: a standard named as an input or another standard.
pub(in crate::check) fn standard_name_taken(
    name: &str,
    input: bool,
    at: Span,
    first: Span,
) -> Diagnostic {
    let what = if input {
        t!("an input", "数据项")
    } else {
        t!("another standard", "另一个标准")
    };
    Diagnostic::new(
        Code::StandardNameTaken,
        t!(
            "the standard `{}` has the name of {}",
            "标准“{}”与{}同名",
            name,
            what
        ),
    )
    .at(at, t!("named again here", "此处重名"))
    .with_label(first, t!("first named here", "首次命名在此处"))
    .with_help(t!(
        "a rule reads a standard by its name, as it reads an input: give the standard a name of its own (`standard {}_standard by …`)",
        "规则按名称读取标准，与读取数据项相同：请给标准另起一个名称（`标准 {}_标准 按 …`）",
        name
    ))
}

/// `Code::UnusedStandard`: a standard no rule reads.
pub(in crate::check) fn unused_standard(name: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnusedStandard,
        t!(
            "standard `{}` is declared but no rule uses it",
            "标准“{}”已声明，但没有任何规则用到它",
            name
        ),
    )
    .at(at, t!("never used", "从未使用"))
    .with_help(t!(
        "compare with it in a clause (`deduct 1 if rate < {}`), or remove it",
        "请在子句中用它比较（`扣 1 若 rate < {}`），或删去它",
        name
    ))
}

/// `Code::StandardClassNotEnum`: a standard by an input that is no enumeration.
pub(in crate::check) fn standard_class_not_enum(
    standard: &str,
    class: &str,
    found: Text,
    at: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::StandardClassNotEnum,
        t!(
            "the standard `{}` is by `{}`, which is {}, not an enumeration",
            "标准“{}”按“{}”取值，但它是{}，不是枚举",
            standard,
            class,
            found
        ),
    )
    .at(at, t!("not an enumeration", "不是枚举"))
    .with_help(t!(
        "a standard is by the unit's class: declare the class as an enumeration input, one value per unit (`input {}: enum {{ \"城区\", \"乡镇\" }} \"单位类别\"`); for a standard by size, give the size classes as its values",
        "标准按单位的类别取值：请把类别声明为枚举型数据项，每个单位一个取值（`数据 {}: 枚举 {{ “城区”, “乡镇” }} “单位类别”`）；按规模定标准的，把规模档次写成枚举的取值",
        class
    ))
}

/// `Code::StandardValue`: a row whose value is not a written number.
pub(in crate::check) fn standard_not_a_number(standard: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::StandardValue,
        t!(
            "a value of the standard `{}` is not a number written out",
            "标准“{}”的取值不是直接写出的数",
            standard
        ),
    )
    .at(at, t!("not a number", "不是数"))
    .with_help(t!(
        "write each class's standard as the table gives it, a number with its unit: `\"城区\" => 98%`, `\"乡镇\" => 3个`",
        "请照原表写出每类的标准值，数字带单位：`“城区” => 98%`、`“乡镇” => 3个`"
    ))
}

/// `Code::StandardValue`: two rows of one standard in different units.
pub(in crate::check) fn standard_units(
    standard: &str,
    first: Text,
    other: Text,
    at: Span,
    first_at: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::StandardValue,
        t!(
            "the standard `{}` mixes units: {} and {}",
            "标准“{}”的取值单位不一致：{}与{}",
            standard,
            first,
            other
        ),
    )
    .at(at, t!("in another unit", "单位不同"))
    .with_label(first_at, t!("the first row's unit", "第一行的单位"))
    .with_help(t!(
        "every class's value of one standard is compared with the same fact, so write them all in one unit (each percentage with its `%`)",
        "同一标准的各类取值与同一项数据比较，请用同一单位写出（百分比都带 `%`）"
    ))
}

/// `Code::StandardNotCovered`: class values without a row and no `else`.
pub(in crate::check) fn standard_not_covered(
    standard: &str,
    class: &str,
    missing: &[String],
    at: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::StandardNotCovered,
        t!(
            "the standard `{}` gives no value where `{}` is {}",
            "标准“{}”没有给出“{}”为{}时的标准值",
            standard,
            class,
            quoted_text(missing)
        ),
    )
    .at(at, t!("not every class is covered", "未覆盖全部类别"))
    .with_help(t!(
        "add a row for each (`\"{}\" => …`), or an `else => …` row for the classes the table does not name",
        "请为每个类别各写一行（`“{}” => …`），或加一行 `否则 => …` 给原表未单列的类别",
        missing.first().map_or("", String::as_str)
    ))
}

/// `Code::GradeAbovePoints`: a grade worth more than its item or part.
pub(in crate::check) fn grade_above_points(
    grade: Text,
    points: Decimal,
    whose: Text,
    max: Decimal,
    at: Span,
) -> Diagnostic {
    let points = points.normalize();
    let max = max.normalize();
    Diagnostic::new(
        Code::GradeAbovePoints,
        t!(
            "the grade {} gives {} points, more than {} has ({} points)",
            "等次{}对应{}分，超过了{}的分值{}分",
            grade,
            points,
            whose,
            max
        ),
    )
    .at(at, t!("more than the points", "超过分值"))
    .with_help(t!(
        "a grade's points are the item's score for that grade, at most its {} points: correct the figure from the table, or the item's `score`",
        "等次对应的分数即该等次的得分，最多为本项分值{}分：请按原表改正该分数，或改正本项的分值",
        max
    ))
}
