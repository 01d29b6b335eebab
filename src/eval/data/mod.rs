//! Reading entities into slot vectors, from JSON, CSV and XLSX.
//!
//! Every problem in every entity is reported, each naming the entity, the
//! field path (and for spreadsheets the file or sheet, row and column) and
//! what was expected. An entity with an error is left out, so that no score
//! is printed for it.
//!
//! - `json`: a JSON document of one entity or an array of them
//! - `table`: rows of cells (CSV files, spreadsheet sheets) → entities,
//!   streamed one row at a time
//! - `csv`, `xlsx`: the cells of CSV files and XLSX workbooks
//!
//! Every format hands its cells to [`scalar`] as a [`Cell`] (a CSV cell's
//! text as it lies in the record read, a sheet's or a JSON document's
//! value), the one place where the accepted forms of a value are.

// A file that cannot be opened is one Diagnostic, returned once per file:
// boxing it would buy nothing.
#![allow(clippy::result_large_err)]

mod csv;
mod json;
mod table;
pub(crate) mod xlsx;

pub use json::from_json;

use crate::diagnostic::{Code, Diagnostic, Text, suggest};
use crate::exact::{self, negative};
use crate::ir::{EnumInfo, Field, Input, Program, Record, Ty, Unit, Value};
use crate::t;
use rust_decimal::Decimal;
use serde_json::Value as Json;
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

/// An assessed unit's data, by slot.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    pub id: String,
    /// One value per input of the program, by slot.
    pub values: Vec<Value>,
}

pub(crate) struct Reader<'a> {
    program: &'a Program,
    diags: Vec<Diagnostic>,
    file: &'a str,
    /// The entity's id once known, else its position.
    entity: String,
    /// Where a field path's value was read.
    places: &'a dyn Places,
    /// Inputs whose absence was reported once for the whole file (a
    /// missing column or sheet), not again for every entity.
    reported: &'a HashSet<String>,
}

/// Where a field path's value was read, for messages about it: "mixed.csv,
/// row 3, column E (pm25)". Worked out only when a problem is reported.
pub(crate) trait Places {
    fn place(&self, path: &str) -> Option<Text>;
    /// `kaohe eval --strict`: what is read on a guess is an error.
    fn strict(&self) -> bool {
        false
    }
}

/// A JSON document has no rows and columns to name.
pub(crate) struct NoPlaces;

impl Places for NoPlaces {
    fn place(&self, _: &str) -> Option<Text> {
        None
    }
}

impl Reader<'_> {
    fn error(&mut self, code: Code, path: &str, message: Text, help: Option<Text>) {
        let entity = &self.entity;
        let mut d = Diagnostic::new(
            code,
            match self.places.place(path) {
                Some(place) => t!(
                    "{}: entity \"{entity}\", `{path}`: {}",
                    "{}：被考核单位“{entity}”，“{path}”：{}",
                    place,
                    message
                ),
                None => t!(
                    "entity \"{entity}\", field `{path}`: {}",
                    "被考核单位“{entity}”的数据项“{path}”：{}",
                    message
                ),
            },
        )
        .in_file(self.file);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        if self.places.strict() {
            d = strict(d);
        }
        self.diags.push(d);
    }

    fn entity(&mut self, obj: &Json) -> Option<Entity> {
        let Json::Object(map) = obj else {
            let d = Diagnostic::new(
                Code::DataShape,
                t!(
                    "entity {} is not an object",
                    "被考核单位 {} 不是对象",
                    self.entity
                ),
            )
            .with_help(t!(
                "each entity is an object such as {{\"id\": \"柳城县\", …}}",
                "每个被考核单位应是一个对象，如 {{\"id\": \"柳城县\", …}}"
            ))
            .in_file(self.file);
            self.diags.push(d);
            return None;
        };
        let id = match map.get("id") {
            Some(Json::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(Json::Number(n)) => n.to_string(),
            _ => {
                let d = Diagnostic::new(Code::DataShape, t!("entity {} has no \"id\"", "被考核单位 {} 没有 \"id\"", self.entity))
                    .with_help(t!("give every entity an \"id\": the name of the assessed unit, such as \"柳城县\"", "请为每个被考核单位填写 \"id\"，即被考核单位的名称，如 \"柳城县\""))
                    .in_file(self.file);
                self.diags.push(d);
                return None;
            }
        };
        self.entity = id.clone();
        let inputs = &self.program.inputs;
        // Look for unknown keys only when some key is not an input's name
        // (one hash lookup per input instead of a scan per key).
        let known = inputs.iter().filter(|i| map.contains_key(&i.name)).count();
        let unknown = map
            .len()
            .saturating_sub(known + usize::from(map.contains_key("id")));
        for key in map.keys().filter(|k| unknown > 0 && *k != "id") {
            if !inputs.iter().any(|i| i.name == *key) {
                let help = suggest(key, inputs.iter().map(|i| i.name.as_str()))
                    .map(|s| t!("did you mean `{s}`?", "是否应为“{s}”？"));
                self.error(
                    Code::UnknownDatum,
                    key,
                    t!(
                        "the spec has no input of this name; it is ignored",
                        "规则文件中没有这个名称的数据项，已忽略"
                    ),
                    help,
                );
            }
        }
        let values = self.values(|_, input| map.get(&input.name));
        Some(Entity { id, values })
    }

    /// Every input's value, by slot, from what `raw` holds for it.
    fn values<'j>(&mut self, raw: impl Fn(usize, &Input) -> Option<&'j Json>) -> Vec<Value> {
        let inputs = &self.program.inputs;
        (inputs.iter().enumerate())
            .map(|(slot, input)| self.input(input, raw(slot, input)))
            .collect()
    }

    fn input(&mut self, input: &Input, raw: Option<&Json>) -> Value {
        match raw {
            None | Some(Json::Null) => self.missing(input),
            Some(v) => match &input.ty {
                Ty::List(fields) => self.list(&input.name, fields, v),
                ty => self.scalar(|| input.name.clone(), ty, v.into()),
            },
        }
    }

    /// An input given no value: its default, nothing when it may be left
    /// out (or its absence was reported for the whole file), else an error.
    fn missing(&mut self, input: &Input) -> Value {
        if let Some(d) = &input.default {
            d.clone()
        } else if input.optional || self.reported.contains(&input.name) {
            Value::Missing
        } else if let Ty::List(_) = input.ty {
            self.error(
                Code::MissingDatum,
                &input.name,
                t!(
                    "missing: {} (a list; write [] for none)",
                    "缺少：{}（列表；没有记录的写 []）",
                    describe(input)
                ),
                None,
            );
            Value::Missing
        } else {
            self.error(
                Code::MissingDatum,
                &input.name,
                t!("missing: {}", "缺少：{}", describe(input)),
                None,
            );
            Value::Missing
        }
    }

    fn list(&mut self, path: &str, fields: &[Field], v: &Json) -> Value {
        let Json::Array(rows) = v else {
            self.error(
                Code::DatumType,
                path,
                t!(
                    "expected a list of records, found {}",
                    "应为记录列表，实际为 {}",
                    show(v.into())
                ),
                None,
            );
            return Value::Missing;
        };
        let mut records: Vec<Record> = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let at = || format!("{path}[{i}]");
            let Json::Object(map) = row else {
                self.error(
                    Code::DatumType,
                    &at(),
                    t!(
                        "expected a record {{…}}, found {}",
                        "应为一条记录 {{…}}，实际为 {}",
                        show(row.into())
                    ),
                    None,
                );
                continue;
            };
            for key in map.keys() {
                if !fields.iter().any(|f| f.name == *key) {
                    let help = suggest(key, fields.iter().map(|f| f.name.as_str()))
                        .map(|s| t!("did you mean `{s}`?", "是否应为“{s}”？"));
                    self.error(
                        Code::UnknownDatum,
                        &format!("{}.{key}", at()),
                        t!(
                            "the records have no field of this name; it is ignored",
                            "记录中没有这个名称的字段，已忽略"
                        ),
                        help,
                    );
                }
            }
            let record: Record = fields
                .iter()
                .map(|f| {
                    let cell = map.get(&f.name).filter(|v| !v.is_null());
                    self.field(|| format!("{}.{}", at(), f.name), f, cell.map(Cell::from))
                })
                .collect();
            records.push(record);
        }
        Value::List(records.into())
    }

    /// A record's field read from `cell`; `path` names it, made only when
    /// there is a problem.
    fn field(&mut self, path: impl FnOnce() -> String, f: &Field, cell: Option<Cell>) -> Value {
        let Some(cell) = cell else {
            let expected = describe_ty(&f.ty, &self.program.enums);
            self.error(
                Code::MissingDatum,
                &path(),
                t!("missing: {}", "缺少：{}", expected),
                None,
            );
            return Value::Missing;
        };
        self.scalar(path, &f.ty, cell)
    }

    /// `cell` read as `ty`; `path` names it, made only when there is a problem.
    #[inline]
    fn scalar(&mut self, path: impl FnOnce() -> String, ty: &Ty, cell: Cell) -> Value {
        match scalar(ty, cell, &self.program.enums) {
            Ok(value) => {
                if let (Ty::Rate, Value::Num(v)) = (ty, &value)
                    && fraction(cell, *v)
                {
                    let written = (*v * Decimal::ONE_HUNDRED).normalize();
                    let percent = (written * Decimal::ONE_HUNDRED).normalize();
                    self.error(
                        Code::RateFraction,
                        &path(),
                        t!(
                            "{written} is read as {written}%, a rate below 1%; if {percent}% is meant, write {percent} or {percent}%",
                            "{written} 按 {written}% 读取（不足 1% 的比率）；如果要填的是 {percent}%，请填 {percent} 或 {percent}%"
                        ),
                        Some(t!(
                            "rates are written in percent (87.5 or 87.5%), not as fractions (0.875); write \"0.875%\" with its sign when a rate below 1% is meant; `kaohe eval --strict` refuses such a value",
                            "比率按百分数填写（87.5 或 87.5%），不要写成小数（0.875）；确实不足 1% 的比率请带百分号填写，如 \"0.875%\"；`kaohe eval --strict` 会拒绝这样的值"
                        )),
                    );
                }
                value
            }
            Err(bad) => {
                let (code, message, help) = *bad;
                self.error(code, &path(), message, help);
                Value::Missing
            }
        }
    }
}

/// A cell that cannot be read: its code, the message and help. Boxed, so
/// that the results of reading a cell stay as small as a value.
type Bad = Box<(Code, Text, Option<Text>)>;

/// Whether a rate read from `cell` as `v` (a fraction: 0.00875 for
/// 0.875%) was written as a bare number from 0 to 1 (above 0), which may
/// be a fraction meant as a percentage (0.875 for 87.5%): a number cell,
/// or a text without a percent sign. A sheet's percentage cell says what it
/// means, and so does "0.875%".
fn fraction(cell: Cell, v: Decimal) -> bool {
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

/// A cell as a value of type `ty`.
#[inline]
pub fn scalar(ty: &Ty, cell: Cell, enums: &[EnumInfo]) -> Result<Value, Bad> {
    match (ty, cell) {
        (_, Cell::Text(s)) if let Some(v) = plain(ty, s) => Ok(v),
        _ => any_scalar(ty, cell, enums),
    }
}

/// The value of a text cell in the forms nearly every cell of a table
/// takes (是/否, true/false, plain digits): what [`any_scalar`] reads in
/// it, told without its general readers. `None` for any other cell, and
/// for one that [`any_scalar`] would refuse.
#[inline]
fn plain(ty: &Ty, s: &str) -> Option<Value> {
    match ty {
        Ty::Bool => match s {
            "是" | "true" => Some(Value::Bool(true)),
            "否" | "false" => Some(Value::Bool(false)),
            _ => None,
        },
        Ty::Count(_) => plain_decimal(s).filter(|n| n.scale() == 0).map(Value::Num),
        Ty::Number(Unit::Percent | Unit::Points) => {
            plain_decimal(s).map(|n| Value::Num(hundredth(n)))
        }
        Ty::Number(_) => plain_decimal(s).map(Value::Num),
        Ty::Rate => plain_decimal(s)
            .filter(|n| exact::cmp(*n, Decimal::ONE_HUNDRED).is_le())
            .map(|n| Value::Num(hundredth(n))),
        _ => None,
    }
}

/// A cell as a value of type `ty`, in any form docs/data.md lists.
fn any_scalar(ty: &Ty, cell: Cell, enums: &[EnumInfo]) -> Result<Value, Bad> {
    if let Cell::BadDate(n) = cell {
        return Err(Box::new((
            Code::DatumDate,
            t!(
                "the cell is formatted as a date but holds the number {n}, which is no date",
                "该单元格设为日期格式，但其中的数 {n} 不是日期"
            ),
            Some(t!(
                "type the date again, such as 2024-05-31, or clear the cell's date format",
                "请重新填写日期，如 2024-05-31，或清除该单元格的日期格式"
            )),
        )));
    }
    let expected = || describe_ty(ty, enums);
    let wrong = || {
        let found = show(cell);
        Box::new((
            Code::DatumType,
            t!(
                "expected {}, found {found}",
                "应为{}，实际为 {found}",
                expected()
            ),
            None,
        ))
    };
    match ty {
        Ty::Bool => {
            let bad = || {
                let found = show(cell);
                Box::new((
                    Code::DatumType,
                    t!(
                        "expected {}, found {found}",
                        "应为{}，实际为 {found}",
                        expected()
                    ),
                    Some(t!(
                        "write true or false; \"是\"/\"否\" and \"yes\"/\"no\" are read as well",
                        "请填 true 或 false；\"是\"/\"否\" 和 \"yes\"/\"no\" 也可识别"
                    )),
                ))
            };
            match cell {
                Cell::Bool(b) => Ok(Value::Bool(b)),
                Cell::Text(s) => boolean(trim(s)).map(Value::Bool).ok_or_else(bad),
                _ => Err(bad()),
            }
        }
        Ty::Count(_) => {
            let n = number(cell).ok_or_else(wrong)??;
            // A scale of 0 is a whole number without the cost of `fract`.
            let whole = n.scale() == 0 || n.fract().is_zero();
            if negative(n) || !whole {
                let found = show(cell);
                return Err(Box::new((
                    Code::DatumNegative,
                    t!(
                        "expected {}, found {found}",
                        "应为{}，实际为 {found}",
                        expected()
                    ),
                    Some(t!(
                        "a count is a whole number: 0, 1, 2, …",
                        "计数应为整数：0、1、2……"
                    )),
                )));
            }
            Ok(Value::Num(n))
        }
        Ty::Number(Unit::Percent | Unit::Points) => {
            Ok(Value::Num(hundredth(percent(cell).ok_or_else(wrong)??)))
        }
        Ty::Number(_) => Ok(Value::Num(number(cell).ok_or_else(wrong)??)),
        Ty::Rate => {
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
        Ty::Date => date(cell),
        Ty::Text => match cell {
            Cell::Text(s) | Cell::Number(s) => Ok(Value::Text(Arc::from(s))),
            Cell::Percent(_) => Ok(Value::Text(Arc::from(show(cell)))),
            _ => Err(wrong()),
        },
        Ty::Enum(e) => {
            let info = enums.get(*e);
            let variants = info.map_or(&[][..], |i| &i.variants[..]);
            let Cell::Text(s) = cell else {
                return Err(wrong());
            };
            match variants.iter().position(|x| x == trim(s)) {
                Some(i) => Ok(Value::Enum(i as u32)),
                None => {
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
            }
        }
        Ty::List(_) => Err(wrong()),
    }
}

/// 是/否, yes/no, y/n or true/false, in any case. 是/否 and ASCII texts
/// (nearly every cell) are compared as they are, without a lowercase copy;
/// `to_lowercase` decides the rest, as it always has.
fn boolean(s: &str) -> Option<bool> {
    match s {
        "是" => return Some(true),
        "否" => return Some(false),
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
        Cell::Text(s) => crate::date::parse(&normalise_digits(trim(s)))
            .map(Value::Date)
            .ok_or_else(|| {
                let found = found();
                Box::new((
                    Code::DatumDate,
                    t!(
                        "expected a date such as \"2024-05-31\", found {found}: {}",
                        "应为日期（如 \"2024-05-31\"），实际为 {found}：{}",
                        crate::date::problem(s.trim())
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

/// Digits with at most one point inside, 19 characters or fewer (nearly every
/// number cell: `3`, `87.5`, `0.50`), read straight into their mantissa
/// and scale: what `Decimal::from_str_exact` makes of them (trailing zeros
/// kept), without its general parser. `None` for anything else.
fn plain_decimal(text: &str) -> Option<Decimal> {
    let bytes = text.as_bytes();
    // 19 digits fit a u64; with a point, 18 do.
    if bytes.len() > 19 {
        return None;
    }
    let (mut mantissa, mut scale, mut point) = (0u64, 0, false);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                scale += u32::from(point);
            }
            b'.' if !point && i > 0 && i + 1 < bytes.len() => point = true,
            _ => return None,
        }
    }
    let (lo, mid) = (mantissa as u32, (mantissa >> 32) as u32);
    (!bytes.is_empty()).then(|| Decimal::from_parts(lo, mid, 0, false, scale))
}

/// `n / 100`, exactly as rust_decimal divides it, without the division
/// where the quotient's digits and scale are known: for a mantissa under
/// 10¹² and a scale up to 6 (every percent people write), the mantissa
/// over 100 when that is whole, else the same mantissa two places further
/// right (checked against the division in the tests below).
fn hundredth(n: Decimal) -> Decimal {
    let (m, scale) = (n.mantissa(), n.scale());
    if n.is_zero() || scale > 6 || m.abs() >= 1_000_000_000_000 {
        n / Decimal::ONE_HUNDRED
    } else if m % 100 == 0 {
        Decimal::from_i128_with_scale(m / 100, scale)
    } else {
        Decimal::from_i128_with_scale(m, scale + 2)
    }
}

/// `text` as an exact decimal: in digits (zeros after the last digit
/// after the point beyond what can be held are dropped, as they change
/// nothing), else in scientific notation. A number that cannot be held
/// exactly (more than 28 places after the point, or too large) is refused,
/// never rounded: 100.0000000000000000000000000001 is not 100.
/// `from_str_exact` refuses every text with an exponent, so it is tried
/// first and the text searched for one only then.
fn parse_decimal(text: &str, cell: Cell) -> Result<Decimal, Bad> {
    if let Some(d) = plain_decimal(text) {
        return Ok(d);
    }
    let scientific = || text.bytes().any(|b| b == b'e' || b == b'E');
    let parsed = Decimal::from_str_exact(text).or_else(|e| {
        if scientific() {
            Decimal::from_scientific(text)
        } else if text.contains('.') && text.ends_with('0') {
            Decimal::from_str_exact(text.trim_end_matches('0').trim_end_matches('.'))
        } else {
            Err(e)
        }
    });
    parsed.map_err(|_| {
        let numeric = !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
        if numeric {
            too_precise(cell)
        } else {
            let found = show(cell);
            Box::new((
                Code::DatumType,
                t!(
                    "expected a number written in digits, found {found}",
                    "应为用数字填写的数值，实际为 {found}"
                ),
                Some(t!(
                    "write numbers in digits, such as 2 or 27.5",
                    "请用数字填写，如 2 或 27.5"
                )),
            ))
        }
    })
}

/// A number that exact decimals cannot hold.
fn too_precise(cell: Cell) -> Bad {
    let found = show(cell);
    Box::new((
        Code::DatumType,
        t!(
            "the number {found} is too large or too precise to be held exactly; kaohe does not round it",
            "数值 {found} 过大或小数位数过多，无法精确保存；kaohe 不会擅自舍入"
        ),
        Some(t!(
            "kaohe holds up to 28 significant digits and 28 places after the point; write the number as it is meant, rounded by you",
            "kaohe 最多保留 28 位有效数字、小数点后 28 位；请按实际含义自行取舍后填写"
        )),
    ))
}

/// Full-width digits and points, as typed with a Chinese input method. An
/// ASCII text (nearly every cell) is returned as it is, without a copy.
fn normalise_digits(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '－' => '-',
            _ => c,
        })
        .collect()
}

/// `s.trim()`, without the search when `s` plainly starts and ends with a
/// character that is not white space, as nearly every cell does: told by
/// a byte, a printable ASCII character or one from U+4000 up (CJK; no
/// white space lies above U+3000), whose lead byte is 0xE4 or more.
fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let ascii = |c: &u8| *c > b' ' && *c < 0x80;
    let lead = |back: usize| (b.len().checked_sub(back)).and_then(|i| b.get(i));
    let starts = b.first().is_some_and(|c| ascii(c) || *c >= 0xE4);
    let ends = b.last().is_some_and(ascii)
        || lead(3).is_some_and(|c| (0xE4..0xF0).contains(c))
        || lead(4).is_some_and(|c| *c >= 0xF0);
    if starts && ends { s } else { s.trim() }
}

/// Whether `s` is empty or white space, without a search when its first
/// character plainly is not white space (as for [`trim`]).
fn blank(s: &str) -> bool {
    match s.as_bytes().first() {
        None => true,
        Some(c) if (*c > b' ' && *c < 0x80) || *c >= 0xE4 => false,
        Some(_) => s.trim().is_empty(),
    }
}

/// A cell as a message quotes it: as JSON writes it, cut at 40 characters.
fn show(cell: Cell) -> String {
    let s = match cell {
        Cell::Text(s) => Json::from(s).to_string(),
        Cell::Number(n) | Cell::BadDate(n) => n.to_string(),
        Cell::Percent(n) => match Decimal::from_str_exact(n)
            .ok()
            .and_then(|d| d.checked_mul(Decimal::ONE_HUNDRED))
        {
            Some(p) => format!("{}%", p.normalize()),
            None => format!("{n} (%)"),
        },
        Cell::Bool(b) => b.to_string(),
        Cell::Other(v) => v.to_string(),
    };
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

fn describe(input: &Input) -> Text {
    let what = if input.description.is_empty() {
        input.name.clone()
    } else {
        input.description.clone()
    };
    t!("{what} ({})", "{what}（{}）", describe_ty_short(&input.ty))
}

fn describe_ty_short(ty: &Ty) -> Text {
    match ty {
        Ty::Bool => t!("true or false", "是或否"),
        Ty::Count(_) => t!("a whole number", "整数"),
        Ty::Number(_) => t!("a number", "数值"),
        Ty::Rate => t!("a rate in percent", "百分比"),
        Ty::Date => t!("a date", "日期"),
        Ty::Text => t!("a text", "文本"),
        Ty::Enum(_) => t!("one of the listed values", "所列取值之一"),
        Ty::List(_) => t!("a list", "列表"),
    }
}

/// What a value of the type looks like, for "expected …".
pub fn describe_ty(ty: &Ty, enums: &[EnumInfo]) -> Text {
    match ty {
        Ty::Bool => t!("true or false", "“是”或“否”（true 或 false）"),
        Ty::Count(_) => t!("a whole number of 0 or more", "不小于 0 的整数"),
        Ty::Number(u) => match u {
            Unit::Named(n) => t!("a number (in {n})", "数值（单位：{n}）"),
            Unit::Percent => t!("a number of percent, such as 87.5", "百分数，如 87.5"),
            Unit::Points => t!(
                "a number of percentage points, such as 1.5",
                "百分点数，如 1.5"
            ),
            _ => t!("a number", "数值"),
        },
        Ty::Rate => t!(
            "a rate from 0 to 100 (percent)",
            "0 至 100 之间的比率（百分数）"
        ),
        Ty::Date => t!("a date such as \"2024-05-31\"", "日期，如 \"2024-05-31\""),
        Ty::Text => t!("a text", "文本"),
        Ty::Enum(e) => {
            let values = enums.get(*e).map_or(Text::list::<&str>(&[]), |i| {
                crate::check::quoted_text(&i.variants)
            });
            t!("one of {}", "{}之一", values)
        }
        Ty::List(_) => t!("a list of records", "记录列表"),
    }
}

/// The entities of a data file, by its extension: `.json`, `.jsonl`,
/// `.csv` or `.xlsx`. JSON and CSV are streamed one entity at a time.
/// Problems of one cause (one code, one column or field, the same problem)
/// are told once, with how many more rows or entities have it ([`Grouped`]).
pub fn open<'a>(
    program: &'a Program,
    path: &std::path::Path,
) -> Result<Box<dyn Iterator<Item = Result<Entity, Diagnostic>> + 'a>, Diagnostic> {
    open_strict(program, path, false)
}

/// [`open`], and with `strict` (`kaohe eval --strict`) every value or row
/// read on a guess ([`guessed`]) is an error: an entity with such a value
/// is not scored, nor is any entity of a table found on a guess (rows above
/// its header, an encoding, another sheet) or of a JSON file with one.
pub fn open_strict<'a>(
    program: &'a Program,
    path: &std::path::Path,
    strict: bool,
) -> Result<Box<dyn Iterator<Item = Result<Entity, Diagnostic>> + 'a>, Diagnostic> {
    let rows = !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let mut grouped = Grouped::new(read(program, path, strict)?, rows);
    grouped.strict = strict;
    Ok(Box::new(grouped))
}

/// Whether a warning says that kaohe guessed how the data was meant (a
/// rate as a fraction, rows or sheets passed over, an encoding): an error
/// under `kaohe eval --strict`.
pub fn guessed(d: &Diagnostic) -> bool {
    matches!(
        d.code,
        Code::RateFraction | Code::TitleRows | Code::TotalRow | Code::SheetOrder | Code::Encoding
    )
}

/// `d`, an error if it is a guess ([`guessed`]): `kaohe eval --strict`.
pub fn strict(mut d: Diagnostic) -> Diagnostic {
    if guessed(&d) && !d.is_error() {
        d.severity = crate::diagnostic::Severity::Error;
        d = d.with_note(t!(
            "an error under --strict, which takes nothing on a guess",
            "在 --strict 下这是错误：不按猜测读取任何数据"
        ));
    }
    d
}

/// A data file's entities and problems with each cause told once: the
/// first problem of a cause is held, those after it only counted, and at
/// the end every problem held is given, in the order they were first met,
/// with a note of how many more there were. A cause is a code with a
/// message that differs only in numbers (rows) and quoted texts (entity
/// ids, values found): one column's or field's problem, whatever the row.
/// A duplicate id and the rows of an unknown entity name what differs, so
/// each is its own cause. Entities come on as they are read.
pub struct Grouped<I> {
    inner: I,
    /// Whether the file has rows (CSV, XLSX) rather than entities (JSON).
    rows: bool,
    /// Per cause, its place in `held` and how many more there were.
    causes: std::collections::HashMap<String, usize>,
    held: Vec<(Diagnostic, usize)>,
    /// After the last entity: the problems held, to give.
    out: Option<std::vec::IntoIter<(Diagnostic, usize)>>,
    /// `--strict`: a guess is an error, and after one no entity comes (a
    /// JSON file's problems all come before its entities).
    strict: bool,
    refused: bool,
}

impl<I> Grouped<I> {
    pub fn new(inner: I, rows: bool) -> Grouped<I> {
        Grouped {
            inner,
            rows,
            causes: std::collections::HashMap::new(),
            held: Vec::new(),
            out: None,
            strict: false,
            refused: false,
        }
    }

    fn hold(&mut self, d: Diagnostic) {
        let d = if self.strict { strict(d) } else { d };
        self.refused |= d.is_error() && guessed(&d) && !self.rows;
        let Some(key) = cause(&d) else {
            self.held.push((d, 0));
            return;
        };
        match self.causes.get(&key) {
            Some(&i) => {
                if let Some((_, more)) = self.held.get_mut(i) {
                    *more += 1;
                }
            }
            None => {
                self.causes.insert(key, self.held.len());
                self.held.push((d, 0));
            }
        }
    }
}

/// The cause of a problem, for [`Grouped`]: its code, file and message with
/// every run of digits and every quoted text blanked out. `None` for a
/// problem that names what sets it apart (an id given twice, rows of an
/// unknown entity).
fn cause(d: &Diagnostic) -> Option<String> {
    if matches!(d.code, Code::DuplicateEntity | Code::ListRowOrphan) {
        return None;
    }
    let mut key = format!("{}|{}|", d.code.as_str(), d.file.as_deref().unwrap_or(""));
    let (mut quoted, mut digits) = (false, false);
    for c in d.message.en.chars() {
        if c == '"' {
            quoted = !quoted;
            key.push('"');
            continue;
        }
        if quoted {
            continue;
        }
        // A number, its point and decimals with it.
        if c.is_ascii_digit() || (digits && c == '.') {
            if !digits {
                key.push('#');
            }
            digits = true;
            continue;
        }
        digits = false;
        key.push(c);
    }
    Some(key)
}

impl<I: Iterator<Item = Result<Entity, Diagnostic>>> Iterator for Grouped<I> {
    type Item = Result<Entity, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.out.is_none() {
            loop {
                match self.inner.next() {
                    Some(Ok(e)) if !self.refused => return Some(Ok(e)),
                    Some(Ok(_)) => {}
                    Some(Err(d)) => self.hold(d),
                    None => break,
                }
            }
            self.out = Some(std::mem::take(&mut self.held).into_iter());
        }
        let (d, more) = self.out.as_mut()?.next()?;
        Some(Err(match (more, self.rows) {
            (0, _) => d,
            (n, true) => d.with_note(t!("and {n} more rows like this", "另有 {n} 行同样的问题")),
            (n, false) => d.with_note(t!(
                "and {n} more entities like this",
                "另有 {n} 个被考核单位有同样的问题"
            )),
        }))
    }
}

/// The entities of a data file as its format reads them, each problem as
/// it is met.
fn read<'a>(
    program: &'a Program,
    path: &std::path::Path,
    strict: bool,
) -> Result<Box<dyn Iterator<Item = Result<Entity, Diagnostic>> + 'a>, Diagnostic> {
    let name = path.display().to_string();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" => Ok(Box::new(csv::open(program, path, strict)?)),
        "xlsx" | "xlsm" => Ok(Box::new(xlsx::open(program, path, strict)?)),
        "json" => json::open(program, path, json::Layout::Document),
        "jsonl" | "ndjson" => json::open(program, path, json::Layout::Lines),
        _ => Err(Diagnostic::new(
            Code::DataFormat,
            t!(
                "{name}: kaohe reads data from .json, .jsonl, .csv and .xlsx files, not from this one",
                "{name}：kaohe 只能从 .json、.jsonl、.csv 和 .xlsx 文件读取数据，不能读取此文件"
            ),
        )
        .with_help(t!(
            "save the data as .xlsx or .csv, or write it as JSON (.json, or one entity a line in .jsonl)",
            "请将数据另存为 .xlsx 或 .csv，或写成 JSON（.json，或每行一个被考核单位的 .jsonl）"
        ))
        .in_file(&name)),
    }
}

#[cfg(test)]
mod plain_decimals {
    use super::plain_decimal;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    /// `plain_decimal` reads what `from_str_exact` reads, digit for digit
    /// and with the same scale, or leaves the text to it.
    fn agrees(text: &str) {
        let exact = Decimal::from_str_exact(text).ok().map(|d| d.serialize());
        if let Some(d) = plain_decimal(text) {
            assert_eq!(Some(d.serialize()), exact, "{text:?}");
        }
    }

    #[test]
    fn plain_numbers_are_read_as_from_str_exact_reads_them() {
        let texts = [
            "0",
            "00",
            "7",
            "007",
            "0.0",
            "0.50",
            "87.5",
            "100",
            "100.000",
            "1.",
            ".5",
            "1..2",
            "-1",
            "+1",
            "1e3",
            "",
            ".",
            "999999999999999999",
            "9999999999999999999",
            "99999999.9999999999",
            "4294967296",
            "18446744073709551615",
            "1 2",
            "１",
        ];
        for t in texts {
            agrees(t);
        }
        // Every cell of a generated table is read here, none by the parser.
        for t in ["3", "87.5", "0.95", "12"] {
            assert!(plain_decimal(t).is_some(), "{t}");
        }
        assert!(plain_decimal("18446744073709551615").is_none());
        assert!(plain_decimal("9999999999999999999").is_some());
    }

    proptest! {
        #[test]
        fn any_digits_are_read_as_from_str_exact_reads_them(text in "[0-9]{0,20}([.][0-9]{0,20})?") {
            agrees(&text);
        }

        #[test]
        fn any_text_is_read_as_from_str_exact_reads_it(text in "[0-9.+-e ]{0,12}") {
            agrees(&text);
        }
    }
}

#[cfg(test)]
mod plain_cells {
    use super::{Cell, any_scalar, plain};
    use crate::ir::{EnumInfo, Ty, Unit};

    #[test]
    fn plain_cells_read_as_the_general_readers_read_them() {
        let types = [
            Ty::Bool,
            Ty::Count(None),
            Ty::Number(Unit::Plain),
            Ty::Number(Unit::Percent),
            Ty::Number(Unit::Points),
            Ty::Number(Unit::Days),
            Ty::Rate,
            Ty::Text,
            Ty::Date,
            Ty::Enum(0),
        ];
        let texts = [
            "是",
            "否",
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
            "优",
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
        assert!(read > 40, "{read} read the plain way");
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
    fn a_hundredth_is_what_the_division_gives() {
        let mut cases: Vec<Decimal> = Vec::new();
        for scale in 0..=8 {
            for m in (-3_000..=3_000).chain([999_999_999_999, 1_000_000_000_000, -123_400]) {
                cases.push(Decimal::new(m, scale));
                cases.push(Decimal::new(m * 1_000_003, scale));
            }
        }
        for n in cases {
            let (fast, slow) = (super::hundredth(n), n / Decimal::ONE_HUNDRED);
            assert_eq!(fast.serialize(), slow.serialize(), "{n}");
        }
    }

    #[test]
    fn blank_is_trimmed_empty() {
        for s in [
            "",
            " ",
            "\u{3000}",
            " \u{a0}",
            "a",
            " a",
            "是",
            "\u{2028}",
            "\u{1F600}",
        ] {
            assert_eq!(super::blank(s), s.trim().is_empty(), "{s:?}");
        }
    }

    #[test]
    fn trim_is_str_trim() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "87.5",
            "是",
            " 是",
            "是\u{3000}",
            "\u{3000}否",
            "\u{a0}1",
            "1\u{a0}",
            "é",
            "é ",
            "\u{1F600}",
            " \u{1F600}",
            "\u{2028}x",
            "x\u{85}",
            "\t",
            "\u{b}7",
            "柳城县",
            "a是",
        ] {
            assert_eq!(super::trim(s), s.trim(), "{s:?}");
        }
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
    fn problems_of_one_cause_differ_only_in_rows_ids_and_values() {
        use crate::diagnostic::{Code, Diagnostic};
        use crate::t;
        let d = |row: u32, id: &str, found: &str, column: &str| {
            Diagnostic::new(
                Code::DatumDate,
                t!(
                    "a.csv, row {row}, column {column}: entity \"{id}\": found \"{found}\" 1.5",
                    "甲"
                ),
            )
        };
        let one = super::cause(&d(2, "甲", "x", "D"));
        assert_eq!(one, super::cause(&d(31, "乙县", "2024年3月1日", "D")));
        assert_ne!(one, super::cause(&d(2, "甲", "x", "E")));
        let twice = Diagnostic::new(Code::DuplicateEntity, t!("row 2", "第 2 行"));
        assert_eq!(super::cause(&twice), None);
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
