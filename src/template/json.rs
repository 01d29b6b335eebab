//! The data template: every input with its type, unit, description and an
//! example value, and an example entity a clerk can copy.

use crate::ir::{Input, Program, Ty, Unit};
use serde_json::{Map, Value, json};

pub fn template(program: &Program) -> Value {
    let mut example = Map::new();
    example.insert(
        "id".into(),
        json!(if program.header.lang == crate::ir::Lang::Zh {
            "示例单位"
        } else {
            "example unit"
        }),
    );
    for input in &program.inputs {
        example.insert(input.name.clone(), example_value(&input.ty, program));
    }
    json!({
        "spec": program.header.title,
        "inputs": program.inputs.iter().map(|i| describe(i, program)).collect::<Vec<_>>(),
        "example": Value::Object(example),
    })
}

fn describe(input: &Input, program: &Program) -> Value {
    let mut v = json!({
        "name": input.name,
        "type": type_word(&input.ty),
        "description": input.description,
        "required": !input.optional && input.default.is_none(),
        "example": example_value(&input.ty, program),
    });
    if let Some(u) = unit(&input.ty) {
        set(&mut v, "unit", json!(u));
    }
    if let Ty::Enum(e) = &input.ty {
        set(&mut v, "values", json!(variants(program, *e)));
    }
    // An assessor's score: given from 0 to the points of its item (or part).
    if let Some(j) = &input.judged {
        set(
            &mut v,
            "judged",
            json!({"from": "0", "to": j.max.normalize().to_string(), "item": j.item}),
        );
    }
    if let Some(words) = input.absence_words() {
        set(
            &mut v,
            "absent",
            json!(words.split(" / ").collect::<Vec<_>>()),
        );
    }
    if let Ty::List(fields) = &input.ty {
        let fields: Vec<Value> = fields
            .iter()
            .map(|f| {
                let mut fv =
                    json!({"name": f.name, "type": type_word(&f.ty), "description": f.description});
                if let Some(u) = unit(&f.ty) {
                    set(&mut fv, "unit", json!(u));
                }
                if let Ty::Enum(e) = &f.ty {
                    set(&mut fv, "values", json!(variants(program, *e)));
                }
                fv
            })
            .collect();
        set(&mut v, "fields", json!(fields));
    }
    v
}

/// Set a key of a JSON object (a no-op on any other value).
fn set(v: &mut Value, key: &str, value: Value) {
    if let Some(o) = v.as_object_mut() {
        o.insert(key.to_string(), value);
    }
}

fn variants(program: &Program, e: usize) -> Vec<String> {
    program
        .enums
        .get(e)
        .map(|e| e.variants.clone())
        .unwrap_or_default()
}

fn type_word(ty: &Ty) -> &'static str {
    match ty {
        Ty::Bool => "bool",
        Ty::Count(_) => "count",
        Ty::Number(_) => "number",
        Ty::Rate => "rate",
        Ty::Date => "date",
        Ty::Text => "text",
        Ty::Enum(_) => "enum",
        Ty::List(_) => "list",
        Ty::Month => "month",
        Ty::Quarter => "quarter",
        Ty::ItemRef => "item ref",
    }
}

fn unit(ty: &Ty) -> Option<String> {
    match ty {
        Ty::Rate | Ty::Number(Unit::Percent) => Some("%".into()),
        Ty::Number(Unit::Points) => Some("pp".into()),
        Ty::Number(Unit::Days) => Some("days".into()),
        Ty::Number(Unit::Named(n)) => Some(n.to_string()),
        Ty::Count(Some(u)) => Some(u.clone()),
        _ => None,
    }
}

fn example_value(ty: &Ty, program: &Program) -> Value {
    match ty {
        Ty::Bool => json!(true),
        Ty::Count(_) => json!(1),
        Ty::Number(_) => json!(0),
        Ty::Rate => json!(100),
        Ty::Date => json!(format!("{}-01-31", program.header.year.unwrap_or(2024))),
        Ty::Text => json!("…"),
        Ty::Month => json!(1),
        Ty::Quarter => json!(1),
        Ty::ItemRef => json!(program.items.first().map_or("", |i| i.id.as_str())),
        Ty::Enum(e) => json!(
            program
                .enums
                .get(*e)
                .and_then(|e| e.variants.first())
                .cloned()
                .unwrap_or_default()
        ),
        Ty::List(fields) => {
            let record: Map<String, Value> = fields
                .iter()
                .map(|f| (f.name.clone(), example_value(&f.ty, program)))
                .collect();
            json!([record])
        }
    }
}
