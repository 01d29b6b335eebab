//! Generated specs and data, for benchmarks and for tests that compare
//! evaluation paths on many entities.
//!
//! Everything is deterministic: the same seed gives the same entities. The
//! data is realistic rather than uniform: yes/no answers are mostly yes,
//! counts are small (a count named like `month` is a month), rates lie
//! between 80% and 100%, lists hold zero to three records — so that clauses
//! fire, caps bite and explanation lines are written as they would be for a
//! real county. Optional inputs are always given: whether a rule may read
//! one depends on other inputs (a plan's date only when it was issued),
//! which a generator that knows only the types cannot honour.

#[cfg(test)]
pub(crate) mod random;

use crate::data::Entity;
use crate::ir::{Program, Record, Ty, Unit, Value};
use rust_decimal::Decimal;
use serde_json::{Map, Value as Json};
use std::fmt::Write;
use std::sync::Arc;

/// A small, fast pseudo-random generator (SplitMix64), so that generated
/// data does not depend on a crate's stream staying the same.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Entity number `index` for the program: the same index and seed always
/// give the same entity.
pub fn entity(program: &Program, seed: u64, index: u64) -> Entity {
    let mut rng = Rng::new(seed ^ index.wrapping_mul(0xA24B_AED4_963E_E407));
    let values = program
        .inputs
        .iter()
        .map(|input| value(program, &input.name, &input.ty, &mut rng))
        .collect();
    Entity {
        id: format!("unit-{index:07}"),
        values,
    }
}

/// `count` entities, made one at a time as the iterator is read: a stream
/// of any length in constant memory.
pub fn entities(program: &Program, seed: u64, count: u64) -> impl Iterator<Item = Entity> + '_ {
    (0..count).map(move |i| entity(program, seed, i))
}

fn value(program: &Program, name: &str, ty: &Ty, rng: &mut Rng) -> Value {
    let hundredths = |rng: &mut Rng, lo: i64, hi: i64| {
        Decimal::new(lo + rng.below((hi - lo) as u64 + 1) as i64, 2)
    };
    match ty {
        Ty::Bool => Value::Bool(rng.chance(85)),
        Ty::Count(_) if name.contains("month") => Value::Num(Decimal::from(1 + rng.below(12))),
        Ty::Count(_) => {
            let small = [0, 0, 0, 1, 1, 2, 3, 5];
            let n = small.get(rng.below(8) as usize).copied().unwrap_or(0);
            Value::Num(Decimal::from(n))
        }
        // Held as fractions: −10% to 120%.
        Ty::Number(Unit::Percent | Unit::Points) => Value::Num(hundredths(rng, -10, 120)),
        Ty::Number(_) => Value::Num(Decimal::new(10 + rng.below(900) as i64, 1)),
        Ty::Rate => Value::Num(Decimal::new(800 + rng.below(201) as i64, 3)),
        Ty::Date => {
            Value::Date(crate::date::from_ymd(2024, 1, 1).unwrap_or(0) + rng.below(366) as i32)
        }
        Ty::Text => Value::Text(Arc::from(format!("T{}", rng.below(4)).as_str())),
        Ty::Month => Value::Num(Decimal::from(1 + rng.below(12))),
        Ty::Quarter => Value::Num(Decimal::from(1 + rng.below(4))),
        Ty::ItemRef => Value::Text(Arc::from(
            program.items.first().map_or("1", |i| i.id.as_str()),
        )),
        Ty::Enum(e) => {
            let n = program.enums.get(*e).map_or(1, |e| e.variants.len());
            Value::Enum(rng.below(n as u64) as u32)
        }
        Ty::List(fields) => {
            let n = rng.below(4) as usize;
            let records: Vec<Record> = (0..n)
                .map(|_| {
                    fields
                        .iter()
                        .map(|f| value(program, &f.name, &f.ty, rng))
                        .collect()
                })
                .collect();
            Value::List(records.into())
        }
    }
}

/// An entity as a clerk would write it in a data file: rates and percents
/// in percent, dates as "YYYY-MM-DD", enumeration values by name, inputs
/// without a value left out.
pub fn to_json(program: &Program, entity: &Entity) -> Json {
    let mut map = Map::new();
    map.insert("id".into(), Json::String(entity.id.clone()));
    for (input, v) in program.inputs.iter().zip(&entity.values) {
        if let Some(j) = json_value(program, &input.ty, v) {
            map.insert(input.name.clone(), j);
        }
    }
    Json::Object(map)
}

fn json_value(program: &Program, ty: &Ty, v: &Value) -> Option<Json> {
    Some(match v {
        Value::Missing => return None,
        Value::Absent(a) => Json::String(a.word(program.header.lang).into()),
        Value::Bool(b) => Json::Bool(*b),
        Value::Num(n) => {
            let n = match ty {
                Ty::Rate | Ty::Number(Unit::Percent | Unit::Points) => *n * Decimal::ONE_HUNDRED,
                _ => *n,
            };
            serde_json::from_str(&n.normalize().to_string()).ok()?
        }
        Value::Date(d) => Json::String(crate::date::format(*d)),
        Value::Text(t) => Json::String(t.to_string()),
        Value::Enum(i) => {
            let Ty::Enum(e) = ty else { return None };
            Json::String(program.enums.get(*e)?.variants.get(*i as usize)?.clone())
        }
        Value::List(rows) => {
            let Ty::List(fields) = ty else { return None };
            Json::Array(
                rows.iter()
                    .map(|r| {
                        let mut m = Map::new();
                        for (f, v) in fields.iter().zip(r.iter()) {
                            if let Some(j) = json_value(program, &f.ty, v) {
                                m.insert(f.name.clone(), j);
                            }
                        }
                        Json::Object(m)
                    })
                    .collect(),
            )
        }
    })
}

/// A spec of `items` items (10 to an indicator, 10 indicators to a
/// section), each with its own inputs and one of six clause shapes of the
/// 2024 table: per-unit deductions with a cap, yes/no deductions, bands,
/// linear bands, `each` over a list, and parts. It checks without error.
pub fn spec(items: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "table \"generated\" {{\n  language en\n  total {}\n  pass \"pass\"\n  fail \"fail\"\n}}\n",
        items * 4
    );
    for i in 0..items {
        if i % 100 == 0 {
            if i > 0 {
                s.push_str("  }\n}\n\n");
            }
            let _ = writeln!(s, "section S{} \"section {}\" {{", i / 100 + 1, i / 100 + 1);
        } else if i % 10 == 0 {
            s.push_str("  }\n");
        }
        if i % 10 == 0 {
            let _ = writeln!(
                s,
                "  indicator {} \"indicator {}\" {{",
                i / 10 + 1,
                i / 10 + 1
            );
        }
        let from = if i % 6 == 3 { " from 0" } else { "" };
        let _ = writeln!(
            s,
            "    item {}.{} \"item {i}\" score 4{from} {{",
            i / 10 + 1,
            i % 10 + 1
        );
        s.push_str(&item_body(i));
        s.push_str("    }\n");
    }
    if items > 0 {
        s.push_str("  }\n}\n");
    }
    s
}

fn item_body(i: usize) -> String {
    match i % 6 {
        0 => format!(
            "      input a{i}: count \"meetings held\"\n      input b{i}: bool \"report filed\"\n      deduct 0.5 per a{i} below 2 \"fewer than two meetings\"\n      deduct 1 unless b{i} \"no report\"\n"
        ),
        1 => format!(
            "      input a{i}: count \"incidents\"\n      deduct 0.5 per a{i}, at most 3 \"per incident\"\n"
        ),
        2 => format!(
            "      input r{i}: rate \"completion rate\"\n      deduct bands r{i} {{\n        >= 95% => 0\n        >= 90% and < 95% => 1\n        < 90% => 2\n      }} \"below target\"\n"
        ),
        3 => format!(
            "      input p{i}: number % \"progress\"\n      add bands p{i} {{\n        <= 0% => 0\n        > 0% and < 80% => linear 0 to 4\n        >= 80% => 4\n      }} \"progress\"\n"
        ),
        4 => format!(
            "      input l{i}: list {{ name: text \"case\", serious: bool \"serious\" }} \"cases\"\n      deduct each c in l{i} where c.serious or c.name = \"T1\": if c.serious then 1 else 0.5, at most 4 \"per case\"\n"
        ),
        _ => format!(
            "      input a{i}: count \"actions\"\n      input b{i}: bool \"plan issued\"\n      part \"actions\" score 2 {{\n        deduct 1 per a{i} below 1 \"no action\"\n      }}\n      part \"plan\" score 2 {{\n        deduct 2 unless b{i} \"no plan\"\n      }}\n"
        ),
    }
}

/// Write entities as a CSV dataset, as `kaohe template --format csv --fill`
/// lays it out: `path` holds the scalar inputs, and a folder beside it
/// named after its stem holds a file per list input. The entities are
/// written `chunk` at a time, so a stream of any length is written in
/// bounded memory.
pub fn write_csv(
    program: &Program,
    entities: impl Iterator<Item = Entity>,
    path: &std::path::Path,
    chunk: usize,
) -> std::io::Result<()> {
    use crate::template::files::csv_files;
    use std::io::Write as _;
    let stem = path
        .file_stem()
        .map_or_else(|| "data".into(), |s| s.to_string_lossy().into_owned());
    let dir = path.parent().unwrap_or_else(|| std::path::Path::new("."));
    // The header and note rows of every file, written once.
    let mut files = Vec::new();
    let mut headers = Vec::new();
    for (rel, head) in csv_files(program, &stem, &[]) {
        let file = dir.join(&rel);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut out = std::io::BufWriter::new(std::fs::File::create(file)?);
        out.write_all(head.as_bytes())?;
        files.push(out);
        headers.push(head);
    }
    let mut entities = entities.peekable();
    while entities.peek().is_some() {
        let batch: Vec<Entity> = entities.by_ref().take(chunk.max(1)).collect();
        let texts = csv_files(program, &stem, &batch);
        for ((out, head), (_, text)) in files.iter_mut().zip(&headers).zip(&texts) {
            out.write_all(text.strip_prefix(head.as_str()).unwrap_or(text).as_bytes())?;
        }
    }
    for mut out in files {
        out.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_specs_check_without_error() {
        for n in [1, 10, 250] {
            let text = spec(n);
            let compiled = crate::compile(&text);
            let errors: Vec<_> = compiled
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .collect();
            assert!(errors.is_empty(), "{n} items: {errors:#?}\n{text}");
            assert_eq!(compiled.program.map(|p| p.items.len()), Some(n));
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_entity() {
        let program = crate::compile(&spec(12)).program.unwrap();
        assert_eq!(entity(&program, 7, 3), entity(&program, 7, 3));
        assert_ne!(entity(&program, 7, 3).values, entity(&program, 7, 4).values);
    }
}
