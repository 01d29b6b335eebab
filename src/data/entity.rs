//! An entity's values, by slot, read from a JSON object or from a row's
//! cells ([`Reader`]), every problem named with the entity, the field path
//! and, where the format has them, the file or sheet, row and column
//! ([`Places`]).

use super::describe::{describe, describe_ty, show};
use super::open::strict;
use super::scalar::{Cell, absent_word, fraction, scalar};
use crate::diagnostic::{Code, Diagnostic, Text, suggest};
use crate::ir::{Absent, Field, Input, Lang, Program, Record, Ty, Value};
use crate::t;
use rust_decimal::Decimal;
use serde_json::{Map, Value as Json};
use std::collections::HashSet;

/// An assessed unit's data, by slot.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    pub id: String,
    /// One value per input of the program, by slot.
    pub values: Vec<Value>,
}

pub(crate) struct Reader<'a> {
    pub(super) program: &'a Program,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) file: &'a str,
    /// The entity's id once known, else its position.
    pub(super) entity: String,
    /// Where a field path's value was read.
    pub(super) places: &'a dyn Places,
    /// Inputs whose absence was reported once for the whole file (a
    /// missing column or sheet), not again for every entity.
    pub(super) reported: &'a HashSet<String>,
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
    pub(super) fn error(&mut self, code: Code, path: &str, message: Text, help: Option<Text>) {
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

    pub(super) fn entity(&mut self, obj: &Json) -> Option<Entity> {
        let Json::Object(map) = obj else {
            self.not_object();
            return None;
        };
        let id = self.id(map)?;
        self.entity = id.clone();
        self.unknown_keys(map);
        let values = self.values(|_, input| map.get(&input.name));
        Some(Entity { id, values })
    }

    /// The entity is not an object.
    fn not_object(&mut self) {
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
    }

    /// The entity's id: a text or a number; `None` (told) without one.
    fn id(&mut self, map: &Map<String, Json>) -> Option<String> {
        match map.get("id") {
            Some(Json::String(s)) if !s.trim().is_empty() => self.whole(s, false),
            Some(Json::Number(n)) => self.whole(&n.to_string(), true),
            _ => {
                let d = Diagnostic::new(Code::DataShape, t!("entity {} has no \"id\"", "被考核单位 {} 没有 \"id\"", self.entity))
                    .with_help(t!("give every entity an \"id\": the name of the assessed unit, such as \"柳城县\"", "请为每个被考核单位填写 \"id\"，即被考核单位的名称，如 \"柳城县\""))
                    .in_file(self.file);
                self.diags.push(d);
                None
            }
        }
    }

    /// The id `id` as written, `None` (told, K0516) when it is a long code
    /// whose last digits are lost (`shortened::of_json`).
    fn whole(&mut self, id: &str, number: bool) -> Option<String> {
        let Some(how) = super::shortened::of_json(id, number) else {
            return Some(id.to_string());
        };
        let d = super::shortened::refused_entity(id, how).in_file(self.file);
        self.diags.push(d);
        None
    }

    /// Keys that name no input: ignored, and told.
    fn unknown_keys(&mut self, map: &Map<String, Json>) {
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
                _ => {
                    let value = self.input_cell(input, v.into());
                    self.within_judgement(input, value)
                }
            },
        }
    }

    /// An assessor's score (`judged`) kept within 0 and its item's points:
    /// one outside them is reported (K0530) and read as no value.
    #[inline]
    pub(super) fn within_judgement(&mut self, input: &Input, value: Value) -> Value {
        let (Some(j), Value::Num(given)) = (&input.judged, &value) else {
            return value;
        };
        if !crate::exact::negative(*given) && crate::exact::cmp(*given, j.max).is_le() {
            return value;
        }
        let max = j.max.normalize();
        self.error(
            Code::JudgedOutOfBounds,
            &input.name,
            t!(
                "the assessor's score {} for item {} is outside 0 to {max}, the item's points",
                "评审给分 {} 不在 0 至 {max} 分之间（考核事项 {} 的分值为 {max} 分）",
                given.to_string(),
                j.item.as_str()
            ),
            Some(t!(
                "give a score from 0 to {max}, the points of item {}",
                "请填写 0 至 {max} 之间的分数（考核事项 {} 的分值）",
                j.item.as_str()
            )),
        );
        Value::Missing
    }

    /// An input given no value: its default, nothing when it may be left
    /// out (or its absence was reported for the whole file), else an error.
    pub(super) fn missing(&mut self, input: &Input) -> Value {
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
            if let Some(record) = self.record(&|| format!("{path}[{i}]"), fields, row) {
                records.push(record);
            }
        }
        Value::List(records.into())
    }

    /// A list's record from `row`, at the path `at` makes; `None` (told)
    /// when it is no object.
    fn record(&mut self, at: &dyn Fn() -> String, fields: &[Field], row: &Json) -> Option<Record> {
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
            return None;
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
        Some(record)
    }

    /// A record's field read from `cell`; `path` names it, made only when
    /// there is a problem.
    #[inline]
    pub(super) fn field(
        &mut self,
        path: impl Fn() -> String,
        f: &Field,
        cell: Option<Cell>,
    ) -> Value {
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
        match f.ty {
            Ty::Date => {
                let value = self.scalar(&path, &f.ty, cell);
                self.in_year(path, f, value)
            }
            _ => self.scalar(path, &f.ty, cell),
        }
    }

    /// A scalar input's value from `cell`: a word of absence (未申报,
    /// 不适用) where the input declares a rule for it; else the cell read as
    /// its type, and a word of absence it cannot be read as is refused
    /// saying what to declare or write (K0541).
    pub(super) fn input_cell(&mut self, input: &Input, cell: Cell) -> Value {
        if !input.absence.is_empty()
            && let Some(word) = absent_word(cell)
        {
            if input.absence_rule(word).is_some() {
                return Value::Absent(word);
            }
            self.absence_undeclared(input, word, cell);
            return Value::Missing;
        }
        match scalar(&input.ty, cell, &self.program.enums) {
            Ok(value) => self.read(|| input.name.clone(), &input.ty, cell, value),
            Err(_) if let Some(word) = absent_word(cell) => {
                self.absence_undeclared(input, word, cell);
                Value::Missing
            }
            Err(bad) => {
                let (code, message, help) = *bad;
                self.error(code, &input.name, message, help);
                Value::Missing
            }
        }
    }

    /// K0541: a word of absence for an input without a rule for it.
    fn absence_undeclared(&mut self, input: &Input, word: Absent, cell: Cell) {
        let found = show(cell);
        // What the word usually means first: not applicable, full marks;
        // not claimed, nothing.
        let (en_does, en_else, zh_does, zh_else) = match word {
            Absent::NotApplicable => ("full marks", "no points", "满分", "不计分"),
            Absent::NotClaimed => ("no points", "full marks", "不计分", "满分"),
        };
        let (zh, en) = (word.word(Lang::Zh), word.word(Lang::En));
        let declared = |lang| {
            let words: Vec<&str> = input.absence.iter().map(|(w, _)| w.word(lang)).collect();
            words.join(", ")
        };
        let (list_en, list_zh) = (declared(Lang::En), declared(Lang::Zh));
        let help = if input.absence.is_empty() {
            t!(
                "write {} here, or, if the table allows it, declare in the spec what the word means: `input {}: … optional: {en} => {en_does}` (or `=> {en_else}`)",
                "请在此填写{}；如果考核表允许这种情形，请在规则文件中声明它的含义：`数据 {}：… 可缺：{zh} => {zh_does}`（或 `=> {zh_else}`）",
                describe_ty(&input.ty, &self.program.enums),
                input.name
            )
        } else {
            t!(
                "the only word of absence this input accepts is \"{list_en}\"; write that or {}, or declare in the spec what \"{en}\" does (`{en} => full marks` or `{en} => no points`)",
                "该数据项只接受缺项词“{list_zh}”；请填写它或{}，或在规则文件中声明“{zh}”的含义（`{zh} => 满分` 或 `{zh} => 不计分`）",
                describe_ty(&input.ty, &self.program.enums)
            )
        };
        self.error(
            Code::AbsenceUndeclared,
            &input.name,
            t!(
                "{found} says the fact is {en}, but input `{}` declares no rule for that",
                "{found} 表示该项{zh}，但数据项“{}”没有为此声明规则",
                input.name
            ),
            Some(help),
        );
    }

    /// `cell` read as `ty`; `path` names it, made only when there is a problem.
    #[inline]
    pub(super) fn scalar(&mut self, path: impl FnOnce() -> String, ty: &Ty, cell: Cell) -> Value {
        match scalar(ty, cell, &self.program.enums) {
            Ok(value) => self.read(path, ty, cell, value),
            Err(bad) => {
                let (code, message, help) = *bad;
                self.error(code, &path(), message, help);
                Value::Missing
            }
        }
    }

    /// A value read from `cell`, with the warning a rate written as a
    /// fraction earns.
    #[inline]
    fn read(&mut self, path: impl FnOnce() -> String, ty: &Ty, cell: Cell, value: Value) -> Value {
        if let Ty::ItemRef = ty {
            return self.item_ref(path, value);
        }
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
}
