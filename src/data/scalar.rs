//! A cell as a value of its input's type: every form docs/data.md lists,
//! whichever format the cell comes from ([`Cell`]). [`plain`] reads the
//! forms nearly every cell takes; [`any_scalar`] reads them all.

use super::decimal::{hundredth, normalise_digits, parse_decimal, plain_decimal, too_precise};
use super::describe::{describe_ty, show};
use super::period::{plain_date, plain_whole};
use super::trim::trim;
use crate::diagnostic::{Code, Text, suggest};
use crate::exact::{self, negative};
use crate::ir::{Absent, EnumInfo, Ty, Unit, Value};
use crate::t;
use rust_decimal::Decimal;
use serde_json::Value as Json;
use std::borrow::Cow;
use std::sync::Arc;

/// A cell that cannot be read: its code, the message and help. Boxed, so
/// that the results of reading a cell stay as small as a value.
pub(super) type Bad = Box<(Code, Text, Option<Text>)>;

/// Whether a rate read from `cell` as `v` (a fraction: 0.00875 for
/// 0.875%) was written as a bare number from 0 to 1 (above 0), which may
/// be a fraction meant as a percentage (0.875 for 87.5%): a number cell,
/// or a text without a percent sign. A sheet's percentage cell says what it
/// means, and so does "0.875%".
pub(super) fn fraction(cell: Cell, v: Decimal) -> bool {
    let bare = match cell {
        Cell::Number(_) => true,
        Cell::Text(s) => !s.contains(['%', '％']),
        _ => false,
    };
    bare && v.is_sign_positive() && !v.is_zero() && v <= Decimal::new(1, 2)
}

/// A value as a format holds it, for [`scalar`] to read: a CSV cell is
/// text as typed (borrowed from the record read, never copied); a sheet
/// holds numbers and booleans as well; a JSON document may hold anything.
#[derive(Clone, Copy, Debug)]
pub enum Cell<'a> {
    /// A CSV cell, a text cell of a sheet, a JSON string.
    Text(&'a str),
    /// A number cell or a JSON number, in its decimal digits.
    Number(&'a str),
    /// A number cell that the sheet shows as a percentage (its number
    /// format has a `%`): the number it holds, 0.875 for "87.5%".
    Percent(&'a str),
    /// A cell the sheet formats as a date whose number is no date (negative,
    /// past the year 9999, infinite or not a number): the number as held.
    BadDate(&'a str),
    Bool(bool),
    /// A JSON array or object, where a value is wanted.
    Other(&'a Json),
}

impl<'a> From<&'a Json> for Cell<'a> {
    fn from(v: &'a Json) -> Cell<'a> {
        match v {
            Json::String(s) => Cell::Text(s),
            Json::Number(n) => Cell::Number(n.as_str()),
            Json::Bool(b) => Cell::Bool(*b),
            other => Cell::Other(other),
        }
    }
}

/// The words of absence a clerk may write in a cell instead of a value,
/// and what each says (docs/data.md): 不适用, 无此项, n/a and "not
/// applicable"; 未申报 and "not claimed". English words in any case.
pub const ABSENT_WORDS: &[(&str, Absent)] = &[
    ("不适用", Absent::NotApplicable),
    ("无此项", Absent::NotApplicable),
    ("n/a", Absent::NotApplicable),
    ("not applicable", Absent::NotApplicable),
    ("未申报", Absent::NotClaimed),
    ("not claimed", Absent::NotClaimed),
];

/// The word of absence a text cell holds, if it holds one.
pub fn absent_word(cell: Cell) -> Option<Absent> {
    let Cell::Text(s) = cell else { return None };
    let s = s.trim_matches(|c: char| c.is_whitespace());
    ABSENT_WORDS
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(s))
        .map(|(_, a)| *a)
}

/// A cell as a value of type `ty`.
#[inline]
pub fn scalar(ty: &Ty, cell: Cell, enums: &[EnumInfo]) -> Result<Value, Bad> {
    match (ty, cell) {
        (_, Cell::Text(s)) if let Some(v) = plain(ty, s) => Ok(v),
        // One of the enumeration's words, found as `variant` finds it.
        (Ty::Enum(e), Cell::Text(s))
            if let Some(i) = (enums.get(*e)).and_then(|info| word_of(info, s)) =>
        {
            Ok(Value::Enum(i))
        }
        _ => any_scalar(ty, cell, enums),
    }
}

/// The value of a text cell in the forms nearly every cell of a table
/// takes (是/否, true/false, plain digits): what [`any_scalar`] reads in
/// it, told without its general readers. `None` for any other cell, and
/// for one that [`any_scalar`] would refuse.
#[inline]
pub(super) fn plain(ty: &Ty, s: &str) -> Option<Value> {
    match ty {
        Ty::Bool => plain_bool(s),
        Ty::Count(_) => plain_decimal(s).filter(|n| n.scale() == 0).map(Value::Num),
        Ty::Number(Unit::Percent | Unit::Points) => {
            plain_decimal(s).map(|n| Value::Num(hundredth(n)))
        }
        Ty::Number(_) => plain_decimal(s).map(Value::Num),
        Ty::Rate => plain_decimal(s)
            .filter(|n| exact::cmp(*n, Decimal::ONE_HUNDRED).is_le())
            .map(|n| Value::Num(hundredth(n))),
        // As `text` reads a text cell: as written, untrimmed.
        Ty::Text => Some(Value::Text(Arc::from(s))),
        Ty::Date => plain_date(s).map(Value::Date),
        Ty::Month => {
            (plain_whole(s).filter(|n| (1..=12).contains(n))).map(|n| Value::Num(n.into()))
        }
        Ty::Quarter => {
            (plain_whole(s).filter(|n| (1..=4).contains(n))).map(|n| Value::Num(n.into()))
        }
        _ => None,
    }
}

/// 是/否 or true/false as they are written, as [`plain`] reads a yes or no.
#[inline]
pub(super) fn plain_bool(s: &str) -> Option<Value> {
    match s {
        "是" | "true" => Some(Value::Bool(true)),
        "否" | "false" => Some(Value::Bool(false)),
        _ => None,
    }
}

/// A cell as a value of type `ty`, in any form docs/data.md lists.
fn any_scalar(ty: &Ty, cell: Cell, enums: &[EnumInfo]) -> Result<Value, Bad> {
    if let Cell::BadDate(n) = cell {
        return Err(no_date(n));
    }
    let wrong = || expected(ty, cell, enums, Code::DatumType, None);
    match ty {
        Ty::Bool => truth(ty, cell, enums),
        Ty::Count(_) => count(ty, cell, enums),
        Ty::Number(Unit::Percent | Unit::Points) => {
            Ok(Value::Num(hundredth(percent(cell).ok_or_else(wrong)??)))
        }
        Ty::Number(_) => Ok(Value::Num(number(cell).ok_or_else(wrong)??)),
        Ty::Rate => rate(cell, wrong),
        Ty::Date => date(cell),
        Ty::Text => text(cell).ok_or_else(wrong),
        Ty::Enum(e) => variant(cell, enums.get(*e), wrong),
        Ty::List(_) => Err(wrong()),
        Ty::Month => super::period::month(cell).map(Value::Num),
        Ty::Quarter => super::period::quarter(cell).map(Value::Num),
        // Checked against the table's ids by the reader, which has them.
        Ty::ItemRef => text(cell).ok_or_else(wrong),
    }
}

/// "expected …, found …": `cell` is no value of type `ty`.
fn expected(ty: &Ty, cell: Cell, enums: &[EnumInfo], code: Code, help: Option<Text>) -> Bad {
    let found = show(cell);
    Box::new((
        code,
        t!(
            "expected {}, found {found}",
            "应为{}，实际为 {found}",
            describe_ty(ty, enums)
        ),
        help,
    ))
}

/// A cell the sheet formats as a date, holding the number `n`, no date.
fn no_date(n: &str) -> Bad {
    Box::new((
        Code::DatumDate,
        t!(
            "the cell is formatted as a date but holds the number {n}, which is no date",
            "该单元格设为日期格式，但其中的数 {n} 不是日期"
        ),
        Some(t!(
            "type the date again, such as 2024-05-31, or clear the cell's date format",
            "请重新填写日期，如 2024-05-31，或清除该单元格的日期格式"
        )),
    ))
}

/// A sheet's TRUE or FALSE, or a text that [`boolean`] reads.
fn truth(ty: &Ty, cell: Cell, enums: &[EnumInfo]) -> Result<Value, Bad> {
    let bad = || {
        let help = t!(
            "write yes or no (是/否, true/false, and a tick √ or a cross × are read as well)",
            "请填“是”或“否”（也可填 √ 或 ×、yes 或 no、true 或 false）"
        );
        expected(ty, cell, enums, Code::DatumType, Some(help))
    };
    match cell {
        Cell::Bool(b) => Ok(Value::Bool(b)),
        Cell::Text(s) => boolean(trim(s)).map(Value::Bool).ok_or_else(bad),
        _ => Err(bad()),
    }
}

/// A whole number of 0 or more.
fn count(ty: &Ty, cell: Cell, enums: &[EnumInfo]) -> Result<Value, Bad> {
    let wrong = || expected(ty, cell, enums, Code::DatumType, None);
    let n = number(cell).ok_or_else(wrong)??;
    // A scale of 0 is a whole number without the cost of `fract`.
    let whole = n.scale() == 0 || n.fract().is_zero();
    if negative(n) || !whole {
        let help = t!(
            "a count is a whole number: 0, 1, 2, …",
            "计数应为整数：0、1、2……"
        );
        return Err(expected(ty, cell, enums, Code::DatumNegative, Some(help)));
    }
    Ok(Value::Num(n))
}

/// A rate from 0% to 100%, written in percent, as the fraction it is.
fn rate(cell: Cell, wrong: impl FnOnce() -> Bad) -> Result<Value, Bad> {
    let n = percent(cell).ok_or_else(wrong)??;
    if negative(n) || n > Decimal::ONE_HUNDRED {
        let found = show(cell);
        return Err(Box::new((
            Code::DatumRate,
            t!(
                "expected a rate from 0% to 100%, found {found}",
                "应为 0% 至 100% 之间的比率，实际为 {found}"
            ),
            Some(t!(
                "rates are written in percent: 87.5 or \"87.5%\"",
                "比率按百分数填写：87.5 或 \"87.5%\""
            )),
        )));
    }
    Ok(Value::Num(hundredth(n)))
}

/// A text: a text or number cell as written, a percentage as shown.
fn text(cell: Cell) -> Option<Value> {
    match cell {
        Cell::Text(s) | Cell::Number(s) => Some(Value::Text(Arc::from(s))),
        Cell::Percent(_) => Some(Value::Text(Arc::from(show(cell)))),
        _ => None,
    }
}

/// One of an enumeration's words (`info`), with a suggestion for a word
/// that is not one.
fn variant(cell: Cell, info: Option<&EnumInfo>, wrong: impl FnOnce() -> Bad) -> Result<Value, Bad> {
    let variants = info.map_or(&[][..], |i| &i.variants[..]);
    let Cell::Text(s) = cell else {
        return Err(wrong());
    };
    if let Some(i) = info.and_then(|info| word_of(info, s)) {
        return Ok(Value::Enum(i));
    }
    let found = show(cell);
    let help = suggest(s, variants.iter().map(String::as_str))
        .map(|x| t!("did you mean \"{x}\"?", "是否应为“{x}”？"));
    Err(Box::new((
        Code::DatumVariant,
        t!(
            "expected one of {}, found {found}",
            "应为{}之一，实际为 {found}",
            crate::check::quoted_text(variants)
        ),
        help,
    )))
}

/// The index of the enumeration's word that `s` is, white space around it
/// aside.
#[inline]
pub(super) fn word_of(info: &EnumInfo, s: &str) -> Option<u32> {
    let s = trim(s);
    let i = info.variants.iter().position(|x| x == s)?;
    u32::try_from(i).ok()
}

/// 是/否, yes/no, y/n or true/false, in any case, or the tick and cross
/// a paper form is marked with (√ ✓ ✔, × ✗ ✘: 打√ is yes). 是/否 and ASCII
/// texts (nearly every cell) are compared as they are, without a lowercase
/// copy; `to_lowercase` decides the rest, as it always has.
fn boolean(s: &str) -> Option<bool> {
    match s {
        "是" | "√" | "✓" | "✔" => return Some(true),
        "否" | "×" | "✗" | "✘" => return Some(false),
        _ => {}
    }
    let lower = if s.is_ascii() {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.to_lowercase())
    };
    let any = |words: [&str; 3]| words.iter().any(|w| lower.eq_ignore_ascii_case(w));
    if any(["yes", "y", "true"]) {
        Some(true)
    } else if any(["no", "n", "false"]) {
        Some(false)
    } else {
        None
    }
}

fn date(cell: Cell) -> Result<Value, Bad> {
    let found = || show(cell);
    match cell {
        Cell::Text(s) => crate::date::parse_written(&normalise_digits(trim(s)))
            .map(Value::Date)
            .ok_or_else(|| {
                let found = found();
                Box::new((
                    Code::DatumDate,
                    t!(
                        "expected a date such as \"2024-05-31\", found {found}: {}",
                        "应为日期（如 \"2024-05-31\"），实际为 {found}：{}",
                        crate::date::problem(&normalise_digits(s.trim()))
                    ),
                    None,
                ))
            }),
        _ => {
            let found = found();
            Err(Box::new((
                Code::DatumDate,
                t!(
                    "expected a date such as \"2024-05-31\", found {found}",
                    "应为日期（如 \"2024-05-31\"），实际为 {found}"
                ),
                None,
            )))
        }
    }
}

/// A number of percent: 87.5, "87.5" or "87.5%".
fn percent(cell: Cell) -> Option<Result<Decimal, Bad>> {
    match cell {
        Cell::Text(s) => {
            let s = normalise_digits(trim(s));
            let body = s.strip_suffix(['%', '％']).unwrap_or(&s);
            Some(parse_decimal(trim(body), cell))
        }
        Cell::Percent(n) => Some(parse_decimal(n, cell).and_then(|d| {
            d.checked_mul(Decimal::ONE_HUNDRED)
                .ok_or_else(|| too_precise(cell))
        })),
        _ => number(cell),
    }
}

/// A number, or a text holding one, as an exact decimal.
fn number(cell: Cell) -> Option<Result<Decimal, Bad>> {
    match cell {
        Cell::Number(n) | Cell::Percent(n) => Some(parse_decimal(n, cell)),
        Cell::Text(s) => Some(parse_decimal(&normalise_digits(trim(s)), cell)),
        _ => None,
    }
}

#[cfg(test)]
mod plain_cells {
    use super::{Cell, any_scalar, plain, scalar};
    use crate::ir::{EnumInfo, Ty, Unit};
    use proptest::prelude::*;

    #[test]
    fn plain_cells_read_as_the_general_readers_read_them() {
        let types = types();
        let texts = [
            "是",
            "否",
            "√",
            "×",
            "true",
            "false",
            "TRUE",
            "yes",
            " 是",
            "0",
            "3",
            "03",
            "3.0",
            "3.5",
            "87.5",
            "100",
            "100.0",
            "100.01",
            "101",
            "0.001",
            "1234567.891",
            "-1",
            " 3",
            "3%",
            "１",
            "",
            "1e2",
            "2024-05-31",
            "2024-02-29",
            "2023-02-29",
            "2024-13-01",
            "0000-01-01",
            "9999-12-31",
            "2024-5-31",
            "2024/05/31",
            "12",
            "13",
            "00",
            "4",
            "5",
            "优",
            " 优",
            "优 ",
        ];
        let enums = [EnumInfo {
            name: "grade".into(),
            variants: vec!["优".into(), "良".into()],
        }];
        let mut read = 0;
        for ty in &types {
            for text in texts {
                let Some(fast) = plain(ty, text) else {
                    continue;
                };
                let general = any_scalar(ty, Cell::Text(text), &enums);
                assert_eq!(
                    Ok(&fast),
                    general.as_ref().map_err(|b| &b.1.en),
                    "{ty:?} {text:?}"
                );
                // The same scale too: the same digits are kept.
                assert_eq!(
                    format!("{:?}", Some(fast)),
                    format!("{:?}", general.ok()),
                    "{ty:?} {text:?}"
                );
                read += 1;
            }
        }
        assert!(read > 60, "{read} read the plain way");
    }

    /// What `scalar` gives `cell`, its fast paths taken, against the
    /// general readers alone: the same value (scale included), or the same
    /// code, message and help.
    fn agrees(ty: &Ty, text: &str, enums: &[EnumInfo]) {
        let cell = Cell::Text(text);
        let fast = scalar(ty, cell, enums);
        let general = any_scalar(ty, cell, enums);
        assert_eq!(
            format!("{fast:?}"),
            format!("{general:?}"),
            "{ty:?} {text:?}"
        );
    }

    fn types() -> Vec<Ty> {
        vec![
            Ty::Bool,
            Ty::Count(None),
            Ty::Number(Unit::Plain),
            Ty::Number(Unit::Percent),
            Ty::Number(Unit::Points),
            Ty::Number(Unit::Days),
            Ty::Rate,
            Ty::Text,
            Ty::Date,
            Ty::Month,
            Ty::Quarter,
            Ty::Enum(0),
        ]
    }

    fn enums() -> Vec<EnumInfo> {
        vec![EnumInfo {
            name: "level".into(),
            variants: vec!["市厅级".into(), "自治区级".into(), "A".into(), "a b".into()],
        }]
    }

    proptest! {
        /// Short texts of the characters dates, months, numbers and words
        /// are made of (digits in both widths, signs, points, separators,
        /// white space, 年月日, the enumeration's words' characters).
        #[test]
        fn every_short_text_reads_as_the_general_way_reads_it(
            text in "[0-9０-９\\-/.:年月日号Q第季度 \u{3000}A-Ca-c市厅级自治区是否%]{0,12}"
        ) {
            let enums = enums();
            for ty in &types() {
                agrees(ty, &text, &enums);
            }
        }

        /// Dates in the template's form, valid or not, and numbers of one
        /// or two digits.
        #[test]
        fn dates_and_small_numbers_read_as_the_general_way_reads_them(
            y in 0u32..10_000, m in 0u32..100, d in 0u32..100, short in 0u32..100
        ) {
            let enums = enums();
            for text in [format!("{y:04}-{m:02}-{d:02}"), format!("{short}"), format!("{short:02}")] {
                for ty in &types() {
                    agrees(ty, &text, &enums);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! Every cell form docs/data.md lists, as a CSV cell (text) and, where
    //! a spreadsheet would hold it so, as a number.
    use super::scalar;
    use crate::ir::{EnumInfo, Ty, Unit, Value};
    use rust_decimal::Decimal;
    use serde_json::{Value as Json, json};

    fn read(ty: Ty, cell: Json) -> Result<Value, String> {
        let enums = [EnumInfo {
            name: "grade".into(),
            variants: vec!["优".into(), "良".into()],
        }];
        scalar(&ty, (&cell).into(), &enums)
            .map_err(|bad| format!("{}: {}", bad.0.as_str(), bad.1.en))
    }

    fn num(s: &str) -> Value {
        Value::Num(s.parse::<Decimal>().unwrap())
    }

    #[test]
    fn rates_in_percent_with_or_without_the_sign_and_in_full_width() {
        for cell in [
            json!("87.5%"),
            json!("87.5"),
            json!(87.5),
            json!("８７．５％"),
            json!("87。5%"),
            json!(" 87.5 % "),
        ] {
            assert_eq!(read(Ty::Rate, cell.clone()), Ok(num("0.875")), "{cell}");
        }
        assert!(
            read(Ty::Rate, json!("120%"))
                .unwrap_err()
                .starts_with("K0507")
        );
        assert!(read(Ty::Number(Unit::Percent), json!("20%")) == Ok(num("0.2")));
    }

    #[test]
    fn counts_are_whole_numbers_in_either_width() {
        assert_eq!(read(Ty::Count(None), json!("３")), Ok(num("3")));
        assert_eq!(read(Ty::Count(None), json!(3)), Ok(num("3")));
        assert!(
            read(Ty::Count(None), json!("三次"))
                .unwrap_err()
                .starts_with("K0505")
        );
        assert!(
            read(Ty::Count(None), json!("2.5"))
                .unwrap_err()
                .starts_with("K0506")
        );
    }

    #[test]
    fn booleans_in_chinese_and_english_in_any_case() {
        for (cell, b) in [
            ("是", true),
            ("否", false),
            ("yes", true),
            ("No", false),
            ("TRUE", true),
            ("false", false),
            ("Y", true),
            ("n", false),
            ("√", true),
            ("✔", true),
            ("×", false),
            ("✗", false),
        ] {
            assert_eq!(read(Ty::Bool, json!(cell)), Ok(Value::Bool(b)), "{cell}");
        }
        assert_eq!(read(Ty::Bool, json!(true)), Ok(Value::Bool(true)));
        assert!(
            read(Ty::Bool, json!("有"))
                .unwrap_err()
                .starts_with("K0505")
        );
    }

    #[test]
    fn dates_with_dashes_or_slashes_and_short_months() {
        let may20 = Value::Date(crate::date::from_ymd(2024, 5, 20).unwrap());
        for cell in ["2024-05-20", "2024/5/20", "2024-5-20", "２０２４/５/２０"] {
            assert_eq!(read(Ty::Date, json!(cell)), Ok(may20.clone()), "{cell}");
        }
        assert!(
            read(Ty::Date, json!("2024-13-01"))
                .unwrap_err()
                .starts_with("K0508")
        );
    }

    #[test]
    fn numbers_in_digits_or_scientific_notation() {
        assert_eq!(
            read(Ty::Number(Unit::Plain), json!("-2.50")),
            Ok(num("-2.50"))
        );
        assert_eq!(
            read(Ty::Number(Unit::Plain), json!("1.5e2")),
            Ok(num("150"))
        );
        assert_eq!(read(Ty::Number(Unit::Plain), json!("2E-1")), Ok(num("0.2")));
        assert!(
            read(Ty::Number(Unit::Plain), json!("1e"))
                .unwrap_err()
                .starts_with("K0505")
        );
    }

    #[test]
    fn numbers_beyond_exact_decimals_are_refused_not_rounded() {
        for text in [
            "100.0000000000000000000000000001",
            "0.00000000000000000000000000001",
            "99999999999999999999999999999",
        ] {
            for ty in [Ty::Rate, Ty::Number(Unit::Plain), Ty::Count(None)] {
                let err = read(ty.clone(), json!(text)).unwrap_err();
                assert!(
                    err.starts_with("K0505") && err.contains("does not round"),
                    "{ty:?} {text}: {err}"
                );
            }
            // A JSON number as well as a text.
            let number: Json = serde_json::from_str(text).unwrap();
            assert!(
                read(Ty::Number(Unit::Plain), number)
                    .unwrap_err()
                    .starts_with("K0505")
            );
        }
        // Zeros after the last digit change nothing, and are dropped.
        assert_eq!(
            read(Ty::Rate, json!("87.500000000000000000000000000000")),
            Ok(num("0.875"))
        );
    }

    #[test]
    fn a_percentage_cell_holds_the_fraction_it_shows() {
        let enums = [];
        let read = |ty: Ty, n: &str| scalar(&ty, super::Cell::Percent(n), &enums).map_err(|b| b.0);
        assert_eq!(read(Ty::Rate, "0.875"), Ok(num("0.875")));
        assert_eq!(read(Ty::Rate, "1"), Ok(num("1")));
        assert_eq!(read(Ty::Rate, "0.005"), Ok(num("0.005")));
        assert_eq!(read(Ty::Rate, "0.07"), Ok(num("0.07")));
        assert_eq!(read(Ty::Number(Unit::Percent), "-0.125"), Ok(num("-0.125")));
        assert_eq!(read(Ty::Rate, "1.2").unwrap_err().as_str(), "K0507");
        // A plain number in a percent cell is the number it holds.
        assert_eq!(read(Ty::Number(Unit::Plain), "0.5"), Ok(num("0.5")));
        assert_eq!(super::show(super::Cell::Percent("0.875")), "87.5%");
    }

    #[test]
    fn a_bare_rate_from_0_to_1_is_told_apart_from_one_written_with_its_sign() {
        use super::{Cell, fraction};
        let v = |s: &str| s.parse::<Decimal>().unwrap() / Decimal::ONE_HUNDRED;
        assert!(fraction(Cell::Text("0.875"), v("0.875")));
        assert!(fraction(Cell::Number("1"), v("1")));
        assert!(fraction(Cell::Text("0.01"), v("0.01")));
        assert!(!fraction(Cell::Text("0.875%"), v("0.875")));
        assert!(!fraction(Cell::Text("0.875％"), v("0.875")));
        assert!(!fraction(Cell::Percent("0.00875"), v("0.875")));
        assert!(!fraction(Cell::Text("0"), v("0")));
        assert!(!fraction(Cell::Text("1.5"), v("1.5")));
        assert!(!fraction(Cell::Number("87.5"), v("87.5")));
    }

    #[test]
    fn enumerations_by_their_words() {
        assert_eq!(read(Ty::Enum(0), json!(" 良 ")), Ok(Value::Enum(1)));
        assert!(
            read(Ty::Enum(0), json!("差"))
                .unwrap_err()
                .starts_with("K0509")
        );
    }
}
