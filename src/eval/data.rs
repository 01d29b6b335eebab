//! Reading entities from JSON into slot vectors.
//!
//! Every problem in every entity is reported, each naming the entity, the
//! field path and what was expected. An entity with an error is left out, so
//! that no score is printed for it.

use crate::check::ir::{EnumInfo, Field, Input, Program, Record, Ty, Unit, Value};
use crate::diagnostic::{Code, Diagnostic, suggest};
use rust_decimal::Decimal;
use serde_json::Value as Json;
use std::str::FromStr;
use std::sync::Arc;

/// An assessed unit's data, by slot.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    pub id: String,
    /// One value per input of the program, by slot.
    pub values: Vec<Value>,
}

/// The entities of a JSON document (one object or an array of them) that
/// are valid, and a diagnostic for every problem found.
pub fn from_json(program: &Program, text: &str, file: &str) -> (Vec<Entity>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let doc: Json = match serde_json::from_str(text) {
        Ok(doc) => doc,
        Err(e) => {
            let d = Diagnostic::new(Code::DataSyntax, format!("{file} is not valid JSON: {e}"))
                .with_help("a data file holds one entity object, or an array of them: [{\"id\": \"…\", …}]")
                .in_file(file);
            return (Vec::new(), vec![d]);
        }
    };
    let objects = match doc {
        Json::Array(items) => items,
        other => vec![other],
    };
    let mut entities: Vec<(usize, Entity)> = Vec::new();
    for (index, obj) in objects.iter().enumerate() {
        let mut reader = Reader {
            program,
            diags: Vec::new(),
            file,
            entity: format!("#{}", index + 1),
        };
        if let Some(entity) = reader.entity(obj)
            && !reader.diags.iter().any(Diagnostic::is_error)
        {
            entities.push((index, entity));
        }
        diags.append(&mut reader.diags);
    }
    // Two entries with one id: neither is scored, since either may be the right one.
    let mut kept = Vec::with_capacity(entities.len());
    for (index, entity) in &entities {
        match entities.iter().find(|(_, other)| other.id == entity.id) {
            Some((first, _)) if first != index => diags.push(
                Diagnostic::new(
                    Code::DuplicateEntity,
                    format!(
                        "entity #{} has the id \"{}\", like entity #{}; neither is scored",
                        index + 1,
                        entity.id,
                        first + 1
                    ),
                )
                .with_help("give each assessed unit one entry with its own id")
                .in_file(file),
            ),
            _ if entities.iter().filter(|(_, o)| o.id == entity.id).count() > 1 => {}
            _ => kept.push(entity.clone()),
        }
    }
    let entities = kept;
    (entities, diags)
}

struct Reader<'a> {
    program: &'a Program,
    diags: Vec<Diagnostic>,
    file: &'a str,
    /// The entity's id once known, else its position.
    entity: String,
}

impl Reader<'_> {
    fn error(&mut self, code: Code, path: &str, message: String, help: Option<String>) {
        let mut d = Diagnostic::new(
            code,
            format!("entity \"{}\", field `{path}`: {message}", self.entity),
        )
        .in_file(self.file);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.diags.push(d);
    }

    fn entity(&mut self, obj: &Json) -> Option<Entity> {
        let Json::Object(map) = obj else {
            let d = Diagnostic::new(
                Code::DataShape,
                format!("entity {} is not an object", self.entity),
            )
            .with_help("each entity is an object such as {\"id\": \"柳城县\", …}")
            .in_file(self.file);
            self.diags.push(d);
            return None;
        };
        let id = match map.get("id") {
            Some(Json::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(Json::Number(n)) => n.to_string(),
            _ => {
                let d = Diagnostic::new(Code::DataShape, format!("entity {} has no \"id\"", self.entity))
                    .with_help("give every entity an \"id\": the name of the assessed unit, such as \"柳城县\"")
                    .in_file(self.file);
                self.diags.push(d);
                return None;
            }
        };
        self.entity = id.clone();
        let inputs = &self.program.inputs;
        for key in map.keys().filter(|k| *k != "id") {
            if !inputs.iter().any(|i| i.name == *key) {
                let help = suggest(key, inputs.iter().map(|i| i.name.as_str()))
                    .map(|s| format!("did you mean `{s}`?"));
                self.error(
                    Code::UnknownDatum,
                    key,
                    "the spec has no input of this name; it is ignored".into(),
                    help,
                );
            }
        }
        let values = inputs
            .iter()
            .map(|input| self.input(input, map.get(&input.name)))
            .collect();
        Some(Entity { id, values })
    }

    fn input(&mut self, input: &Input, raw: Option<&Json>) -> Value {
        match raw {
            None | Some(Json::Null) => {
                if let Some(d) = &input.default {
                    d.clone()
                } else if input.optional {
                    Value::Missing
                } else if let Ty::List(_) = input.ty {
                    self.error(
                        Code::MissingDatum,
                        &input.name,
                        format!("missing: {} (a list; write [] for none)", describe(input)),
                        None,
                    );
                    Value::Missing
                } else {
                    self.error(
                        Code::MissingDatum,
                        &input.name,
                        format!("missing: {}", describe(input)),
                        None,
                    );
                    Value::Missing
                }
            }
            Some(v) => match &input.ty {
                Ty::List(fields) => self.list(&input.name, fields, v),
                ty => self.scalar(&input.name, ty, v),
            },
        }
    }

    fn list(&mut self, path: &str, fields: &[Field], v: &Json) -> Value {
        let Json::Array(rows) = v else {
            self.error(
                Code::DatumType,
                path,
                format!("expected a list of records, found {}", show(v)),
                None,
            );
            return Value::Missing;
        };
        let mut records: Vec<Record> = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let at = format!("{path}[{i}]");
            let Json::Object(map) = row else {
                self.error(
                    Code::DatumType,
                    &at,
                    format!("expected a record {{…}}, found {}", show(row)),
                    None,
                );
                continue;
            };
            for key in map.keys() {
                if !fields.iter().any(|f| f.name == *key) {
                    let help = suggest(key, fields.iter().map(|f| f.name.as_str()))
                        .map(|s| format!("did you mean `{s}`?"));
                    self.error(
                        Code::UnknownDatum,
                        &format!("{at}.{key}"),
                        "the records have no field of this name; it is ignored".into(),
                        help,
                    );
                }
            }
            let record: Record = fields
                .iter()
                .map(|f| {
                    let fp = format!("{at}.{}", f.name);
                    match map.get(&f.name) {
                        None | Some(Json::Null) => {
                            self.error(
                                Code::MissingDatum,
                                &fp,
                                format!("missing: {}", describe_ty(&f.ty, &self.program.enums)),
                                None,
                            );
                            Value::Missing
                        }
                        Some(v) => self.scalar(&fp, &f.ty, v),
                    }
                })
                .collect();
            records.push(record);
        }
        Value::List(records.into())
    }

    fn scalar(&mut self, path: &str, ty: &Ty, v: &Json) -> Value {
        match scalar(ty, v, &self.program.enums) {
            Ok(value) => value,
            Err((code, message, help)) => {
                self.error(code, path, message, help);
                Value::Missing
            }
        }
    }
}

type Bad = (Code, String, Option<String>);

/// A JSON value as a value of type `ty`.
pub fn scalar(ty: &Ty, v: &Json, enums: &[EnumInfo]) -> Result<Value, Bad> {
    let expected = || describe_ty(ty, enums);
    let wrong = || {
        (
            Code::DatumType,
            format!("expected {}, found {}", expected(), show(v)),
            None,
        )
    };
    match ty {
        Ty::Bool => {
            let bad = || {
                (
                    Code::DatumType,
                    format!("expected {}, found {}", expected(), show(v)),
                    Some(
                        "write true or false; \"是\"/\"否\" and \"yes\"/\"no\" are read as well"
                            .into(),
                    ),
                )
            };
            match v {
                Json::Bool(b) => Ok(Value::Bool(*b)),
                Json::String(s) => match s.trim() {
                    "是" | "yes" | "true" => Ok(Value::Bool(true)),
                    "否" | "no" | "false" => Ok(Value::Bool(false)),
                    _ => Err(bad()),
                },
                _ => Err(bad()),
            }
        }
        Ty::Count(_) => {
            let n = number(v).ok_or_else(wrong)??;
            if n < Decimal::ZERO || !n.fract().is_zero() {
                return Err((
                    Code::DatumNegative,
                    format!("expected {}, found {}", expected(), show(v)),
                    Some("a count is a whole number: 0, 1, 2, …".into()),
                ));
            }
            Ok(Value::Num(n))
        }
        Ty::Number(Unit::Percent | Unit::Points) => Ok(Value::Num(
            percent(v).ok_or_else(wrong)?? / Decimal::ONE_HUNDRED,
        )),
        Ty::Number(_) => Ok(Value::Num(number(v).ok_or_else(wrong)??)),
        Ty::Rate => {
            let n = percent(v).ok_or_else(wrong)??;
            if n < Decimal::ZERO || n > Decimal::ONE_HUNDRED {
                return Err((
                    Code::DatumRate,
                    format!("expected a rate from 0% to 100%, found {}", show(v)),
                    Some("rates are written in percent: 87.5 or \"87.5%\"".into()),
                ));
            }
            Ok(Value::Num(n / Decimal::ONE_HUNDRED))
        }
        Ty::Date => match v {
            Json::String(s) => crate::date::parse(s.trim())
                .map(Value::Date)
                .ok_or_else(|| {
                    (
                        Code::DatumDate,
                        format!(
                            "expected a date such as \"2024-05-31\", found {}: {}",
                            show(v),
                            crate::date::problem(s.trim())
                        ),
                        None,
                    )
                }),
            _ => Err((
                Code::DatumDate,
                format!("expected a date such as \"2024-05-31\", found {}", show(v)),
                None,
            )),
        },
        Ty::Text => match v {
            Json::String(s) => Ok(Value::Text(Arc::from(s.as_str()))),
            Json::Number(n) => Ok(Value::Text(Arc::from(n.to_string().as_str()))),
            _ => Err(wrong()),
        },
        Ty::Enum(e) => {
            let info = enums.get(*e);
            let variants = info.map_or(&[][..], |i| &i.variants[..]);
            let Json::String(s) = v else {
                return Err(wrong());
            };
            match variants.iter().position(|x| x == s.trim()) {
                Some(i) => Ok(Value::Enum(i as u32)),
                None => {
                    let help = suggest(s, variants.iter().map(String::as_str))
                        .map(|x| format!("did you mean \"{x}\"?"));
                    Err((
                        Code::DatumVariant,
                        format!(
                            "expected one of {}, found {}",
                            crate::check::quoted(variants),
                            show(v)
                        ),
                        help,
                    ))
                }
            }
        }
        Ty::List(_) => Err(wrong()),
    }
}

/// A number of percent: 87.5, "87.5" or "87.5%".
fn percent(v: &Json) -> Option<Result<Decimal, Bad>> {
    match v {
        Json::String(s) => {
            let s = normalise_digits(s.trim());
            let body = s.strip_suffix(['%', '％']).unwrap_or(&s);
            Some(parse_decimal(body.trim(), v))
        }
        _ => number(v),
    }
}

/// A JSON number, or a string holding one, as an exact decimal.
fn number(v: &Json) -> Option<Result<Decimal, Bad>> {
    match v {
        Json::Number(n) => Some(parse_decimal(&n.to_string(), v)),
        Json::String(s) => Some(parse_decimal(&normalise_digits(s.trim()), v)),
        _ => None,
    }
}

fn parse_decimal(text: &str, v: &Json) -> Result<Decimal, Bad> {
    let numeric = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    let parsed = if text.contains(['e', 'E']) {
        Decimal::from_scientific(text)
    } else {
        Decimal::from_str_exact(text)
    };
    parsed.or_else(|_| Decimal::from_str(text)).map_err(|_| {
        if numeric {
            (
                Code::DatumType,
                format!(
                    "the number {} is too large or too precise to be held exactly",
                    show(v)
                ),
                Some("kaohe holds up to 28 significant digits".into()),
            )
        } else {
            (
                Code::DatumType,
                format!("expected a number written in digits, found {}", show(v)),
                Some("write numbers in digits, such as 2 or 27.5".into()),
            )
        }
    })
}

/// Full-width digits and points, as typed with a Chinese input method.
fn normalise_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '－' => '-',
            _ => c,
        })
        .collect()
}

fn show(v: &Json) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

fn describe(input: &Input) -> String {
    let what = if input.description.is_empty() {
        input.name.clone()
    } else {
        input.description.clone()
    };
    format!("{what} ({})", describe_ty_short(&input.ty))
}

fn describe_ty_short(ty: &Ty) -> &'static str {
    match ty {
        Ty::Bool => "true or false",
        Ty::Count(_) => "a whole number",
        Ty::Number(_) => "a number",
        Ty::Rate => "a rate in percent",
        Ty::Date => "a date",
        Ty::Text => "a text",
        Ty::Enum(_) => "one of the listed values",
        Ty::List(_) => "a list",
    }
}

/// What a value of the type looks like, for "expected …".
pub fn describe_ty(ty: &Ty, enums: &[EnumInfo]) -> String {
    match ty {
        Ty::Bool => "true or false".into(),
        Ty::Count(_) => "a whole number of 0 or more".into(),
        Ty::Number(u) => match u {
            Unit::Named(n) => format!("a number (in {n})"),
            Unit::Percent => "a number of percent, such as 87.5".into(),
            Unit::Points => "a number of percentage points, such as 1.5".into(),
            _ => "a number".into(),
        },
        Ty::Rate => "a rate from 0 to 100 (percent)".into(),
        Ty::Date => "a date such as \"2024-05-31\"".into(),
        Ty::Text => "a text".into(),
        Ty::Enum(e) => format!(
            "one of {}",
            enums
                .get(*e)
                .map_or(String::new(), |i| crate::check::quoted(&i.variants))
        ),
        Ty::List(_) => "a list of records".into(),
    }
}
