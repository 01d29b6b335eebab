//! The spreadsheet layout of a spec's data, shared by the CSV and XLSX
//! templates and by the datasets they are filled into: one table with a
//! column per scalar input, one table per list input; a header row of
//! input names, then a row for people (its first cell begins with '#') with
//! each column's unit and description.

use crate::data::Entity;
use crate::ir::{Judgement, Lang, Program, Ty, Unit, Value};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

pub struct Column<'p> {
    pub name: &'p str,
    pub ty: &'p Ty,
    pub description: &'p str,
    /// An assessor's score (`judged`): its bounds, for the row for people.
    pub judged: Option<&'p Judgement>,
    /// The words of absence the input's cells may hold (不适用 / 未申报).
    pub absent: Option<String>,
}

pub struct Sheet<'p> {
    /// For a list input, its name: the sheet's name, or the CSV file's stem.
    pub list: Option<&'p str>,
    pub columns: Vec<Column<'p>>,
}

pub fn layout(program: &Program) -> Vec<Sheet<'_>> {
    let scalars = Sheet {
        list: None,
        columns: program
            .inputs
            .iter()
            .filter(|i| !matches!(i.ty, Ty::List(_)))
            .map(|i| Column {
                name: &i.name,
                ty: &i.ty,
                description: &i.description,
                judged: i.judged.as_ref(),
                absent: i.absence_words(),
            })
            .collect(),
    };
    let lists = program.inputs.iter().filter_map(|i| match &i.ty {
        Ty::List(fields) => Some(Sheet {
            list: Some(&i.name),
            columns: fields
                .iter()
                .map(|f| Column {
                    name: &f.name,
                    ty: &f.ty,
                    description: &f.description,
                    judged: None,
                    absent: None,
                })
                .collect(),
        }),
        _ => None,
    });
    std::iter::once(scalars).chain(lists).collect()
}

/// The name of the scalars sheet.
pub fn main_sheet(program: &Program) -> &'static str {
    if program.header.lang == Lang::Zh {
        "数据"
    } else {
        "data"
    }
}

/// The text of the row for people under the header: unit and description.
pub fn note(col: &Column, program: &Program) -> String {
    let unit = match col.ty {
        Ty::Rate | Ty::Number(Unit::Percent) => "%".to_string(),
        Ty::Number(Unit::Points) => "pp".into(),
        Ty::Number(Unit::Days) => "days".into(),
        Ty::Number(Unit::Named(n)) => n.to_string(),
        Ty::Count(Some(u)) => u.clone(),
        Ty::Date => "YYYY-MM-DD".into(),
        Ty::Month => "1–12".into(),
        Ty::Quarter => "1–4".into(),
        Ty::Bool => yes_no(program).join("/"),
        _ => String::new(),
    };
    // An assessor's score says so, with its bounds: 评审给分 0–4分.
    let unit = match (col.judged, program.header.lang) {
        (Some(j), Lang::Zh) => format!("评审给分 0–{}分", j.max.normalize()),
        (Some(j), Lang::En) => format!("assessor's score 0–{} points", j.max.normalize()),
        (None, _) => unit,
    };
    let note = match (unit.is_empty(), col.description.is_empty()) {
        (true, _) => col.description.to_string(),
        (false, true) => unit,
        (false, false) => format!("{unit}｜{}", col.description),
    };
    match &col.absent {
        None => note,
        Some(words) if program.header.lang == Lang::Zh => format!("{note}｜或填 {words}"),
        Some(words) => format!("{note}｜or write {words}"),
    }
}

/// The words for true and false in the table's language.
pub fn yes_no(program: &Program) -> [&'static str; 2] {
    if program.header.lang == Lang::Zh {
        ["是", "否"]
    } else {
        ["yes", "no"]
    }
}

/// A filled cell: a number, or a text. `None` when the value is missing.
pub enum Cell {
    Number(f64, String),
    Text(String),
}

pub fn cell(ty: &Ty, value: &Value, program: &Program) -> Option<Cell> {
    let num = |d: Decimal| {
        let d = d.normalize();
        Cell::Number(d.to_f64().unwrap_or(0.0), d.to_string())
    };
    Some(match value {
        Value::Missing | Value::List(_) => return None,
        Value::Absent(a) => Cell::Text(a.word(program.header.lang).into()),
        Value::Bool(b) => {
            let [yes, no] = yes_no(program);
            Cell::Text(if *b { yes } else { no }.into())
        }
        Value::Num(n) => match ty {
            Ty::Rate | Ty::Number(Unit::Percent | Unit::Points) => num(*n * Decimal::ONE_HUNDRED),
            _ => num(*n),
        },
        Value::Date(d) => Cell::Text(crate::date::format(*d)),
        Value::Text(t) => Cell::Text(t.to_string()),
        Value::Enum(i) => match ty {
            Ty::Enum(e) => Cell::Text(
                program
                    .enums
                    .get(*e)
                    .and_then(|e| e.variants.get(*i as usize))
                    .cloned()
                    .unwrap_or_default(),
            ),
            _ => return None,
        },
    })
}

/// The rows of a sheet for the given entities: id first, then the columns.
pub fn rows(sheet: &Sheet, program: &Program, entities: &[Entity]) -> Vec<Vec<Option<Cell>>> {
    let slot = |name: &str| program.inputs.iter().position(|i| i.name == name);
    let mut out = Vec::new();
    for e in entities {
        let id = Some(Cell::Text(e.id.clone()));
        match sheet.list {
            None => {
                let mut row = vec![id];
                for c in &sheet.columns {
                    let value = slot(c.name).and_then(|s| e.values.get(s));
                    row.push(value.and_then(|v| cell(c.ty, v, program)));
                }
                out.push(row);
            }
            Some(list) => {
                let Some(Value::List(records)) = slot(list).and_then(|s| e.values.get(s)) else {
                    continue;
                };
                for record in records.iter() {
                    let mut row = vec![Some(Cell::Text(e.id.clone()))];
                    for (c, v) in sheet.columns.iter().zip(record.iter()) {
                        row.push(cell(c.ty, v, program));
                    }
                    out.push(row);
                }
            }
        }
    }
    out
}
