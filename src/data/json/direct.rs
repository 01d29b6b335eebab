//! One entity's text read straight into its [`Entity`], no
//! `serde_json::Value` tree between: serde_json's parser drives visitors
//! made from the program's input table (each key looked up once, each
//! value handed to the same readers the tree's reading uses: `scalar`,
//! `Reader::field`, …; numbers as their text, exact decimals as written).
//!
//! It reads only what is plainly right: an object of known keys, each
//! given once, with values of the kinds expected and no problem to tell.
//! Anything else — an unknown key, a key given twice, a list that is no
//! list, a value that is no scalar, or any diagnostic at all, warnings
//! too — gives `None`, and the entity is read again the tree's way, which
//! tells every problem exactly as it always has. So the messages cannot
//! differ; only the plain entities, nearly all of them, go faster.

use crate::data::entity::Reader;
use crate::data::scalar::Cell;
use crate::ir::{Field, Input, Program, Ty, Value};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::HashMap;
use std::fmt;

/// The key under which serde_json (arbitrary_precision) hands a number's
/// digits on.
const NUMBER: &str = "$serde_json::private::Number";

/// The inputs by name, made once per file and shared by the threads that
/// read entities at once.
pub(super) struct Index {
    slots: HashMap<String, usize>,
}

impl Index {
    pub(super) fn new(program: &Program) -> Index {
        let slots = (program.inputs.iter().enumerate())
            .map(|(slot, input)| (input.name.clone(), slot))
            .collect();
        Index { slots }
    }

    /// Entity `text` read straight into its id and values, when it is
    /// plainly right (see the module's notes); `None` otherwise, and
    /// `reader` may then hold diagnostics to be thrown away.
    pub(super) fn read(&self, reader: &mut Reader, text: &[u8]) -> Option<(String, Vec<Value>)> {
        self.try_read(reader, text).ok().flatten()
    }

    /// [`Index::read`], with serde_json's error when it stops (a
    /// fallback, or the text's own fault).
    fn try_read(
        &self,
        reader: &mut Reader,
        text: &[u8],
    ) -> serde_json::Result<Option<(String, Vec<Value>)>> {
        let program = reader.program;
        // Per slot, the value given in the entity, if any.
        let mut given: Vec<Option<Value>> = vec![None; program.inputs.len()];
        let mut id = None;
        let mut de = serde_json::Deserializer::from_slice(text);
        let seed = Object {
            slots: &self.slots,
            given: &mut given,
            id: &mut id,
            reader,
        };
        seed.deserialize(&mut de)?;
        de.end()?;
        let Some(id) = id else { return Ok(None) };
        let mut values = Vec::with_capacity(program.inputs.len());
        for (input, given) in program.inputs.iter().zip(given.iter_mut()) {
            values.push(match given.take() {
                Some(v) => v,
                None => reader.missing(input),
            });
        }
        Ok(reader.diags.is_empty().then_some((id, values)))
    }
}

/// Why the direct reading stops: the entity is read the tree's way.
#[derive(Debug)]
struct Fallback;

impl fmt::Display for Fallback {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("read the tree's way")
    }
}

impl std::error::Error for Fallback {}

fn fallback<E: de::Error>() -> E {
    E::custom(Fallback)
}

/// The entity's object.
struct Object<'s, 'r, 'a> {
    slots: &'s HashMap<String, usize>,
    given: &'s mut [Option<Value>],
    id: &'s mut Option<String>,
    reader: &'r mut Reader<'a>,
}

impl<'de> DeserializeSeed<'de> for Object<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

/// What a key of the entity's object names.
enum Key {
    Id,
    Slot(usize),
}

struct KeySeed<'s>(&'s HashMap<String, usize>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        if v == "id" {
            return Ok(Key::Id);
        }
        // An unknown key (or a number's private key: no entity object).
        self.0.get(v).map(|&s| Key::Slot(s)).ok_or_else(fallback)
    }
}

impl<'de> Visitor<'de> for Object<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an entity object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Object {
            slots,
            given,
            id,
            reader,
        } = self;
        let program = reader.program;
        while let Some(key) = map.next_key_seed(KeySeed(slots))? {
            match key {
                Key::Id => {
                    if id.is_some() {
                        return Err(fallback());
                    }
                    *id = Some(map.next_value_seed(IdSeed)?);
                }
                Key::Slot(slot) => {
                    let (Some(input), Some(place)) =
                        (program.inputs.get(slot), given.get_mut(slot))
                    else {
                        return Err(fallback());
                    };
                    if place.is_some() {
                        return Err(fallback());
                    }
                    let value = match &input.ty {
                        Ty::List(fields) => map.next_value_seed(List {
                            fields,
                            reader: &mut *reader,
                        })?,
                        _ => map.next_value_seed(OneValue(Scalar {
                            input,
                            reader: &mut *reader,
                        }))?,
                    };
                    // null: as if not given (read as missing at the end).
                    *place = value;
                }
            }
        }
        Ok(())
    }
}

/// The id: a text not blank, or a number as written.
struct IdSeed;

impl<'de> DeserializeSeed<'de> for IdSeed {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for IdSeed {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an id")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        if v.trim().is_empty() {
            return Err(fallback());
        }
        Ok(v.to_string())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        if v.trim().is_empty() {
            return Err(fallback());
        }
        Ok(v)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<String, A::Error> {
        number(map)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        float(v)
    }
}

/// A number's digits, as serde_json (arbitrary_precision) hands them on:
/// a map of one private key; any other map is no number.
fn number<'de, A: MapAccess<'de>>(mut map: A) -> Result<String, A::Error> {
    if map.next_key_seed(NumberKey)? != Some(true) {
        return Err(fallback());
    }
    let digits: String = map.next_value()?;
    if map.next_key::<de::IgnoredAny>()?.is_some() {
        return Err(fallback());
    }
    Ok(digits)
}

/// Whether a key is serde_json's private key of a number.
struct NumberKey;

impl<'de> DeserializeSeed<'de> for NumberKey {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for NumberKey {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        Ok(v == NUMBER)
    }
}

/// An integer's digits as serde_json's `Number` writes them (what the
/// tree's reading hands on when serde_json gives an integer, not digits),
/// on the stack.
#[derive(Default)]
struct Digits {
    buf: [u8; 24],
}

impl Digits {
    fn of(&mut self, v: impl fmt::Display) -> &str {
        use std::io::Write;
        let mut at: &mut [u8] = &mut self.buf;
        let room = at.len();
        // 20 digits and a sign at most: it always fits.
        let _ = write!(at, "{v}");
        let used = room - at.len();
        std::str::from_utf8(self.buf.get(..used).unwrap_or_default()).unwrap_or_default()
    }
}

/// A float's digits as serde_json's `Number` writes them; a float it
/// cannot hold (none that JSON text gives) is read the tree's way.
fn float<E: de::Error>(v: f64) -> Result<String, E> {
    serde_json::Number::from_f64(v)
        .map(|n| n.to_string())
        .ok_or_else(fallback)
}

/// A scalar input's value; `None` for null.
struct Scalar<'s, 'r, 'a> {
    input: &'s Input,
    reader: &'r mut Reader<'a>,
}

impl ToValue for Scalar<'_, '_, '_> {
    fn cell(self, cell: Cell) -> Option<Value> {
        let value = self.reader.input_cell(self.input, cell);
        Some(self.reader.within_judgement(self.input, value))
    }
}

/// What a JSON scalar becomes: an input's value (`Scalar`) or a record
/// field's (`FieldValue`), read by the one visitor `OneValue`.
trait ToValue {
    fn cell(self, cell: Cell) -> Option<Value>;
}

/// A JSON scalar read as a cell and handed to `T`; `None` for null.
struct OneValue<T>(T);

impl<T: ToValue> OneValue<T> {
    fn cell(self, cell: Cell) -> Option<Value> {
        self.0.cell(cell)
    }
}

impl<'de, T: ToValue> DeserializeSeed<'de> for OneValue<T> {
    type Value = Option<Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: ToValue> Visitor<'de> for OneValue<T> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<Value>, E> {
        Ok(self.cell(Cell::Bool(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<Value>, E> {
        Ok(self.cell(Cell::Text(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<Value>, E> {
        let mut buf = Digits::default();
        Ok(self.cell(Cell::Number(buf.of(v))))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<Value>, E> {
        let mut buf = Digits::default();
        Ok(self.cell(Cell::Number(buf.of(v))))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<Value>, E> {
        let digits = float(v)?;
        Ok(self.cell(Cell::Number(&digits)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<Value>, E> {
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Value>, A::Error> {
        let digits = number(map)?;
        Ok(self.cell(Cell::Number(&digits)))
    }
}

/// A list input's records; `None` for null.
struct List<'s, 'r, 'a> {
    fields: &'s [Field],
    reader: &'r mut Reader<'a>,
}

impl<'de> DeserializeSeed<'de> for List<'_, '_, '_> {
    type Value = Option<Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for List<'_, '_, '_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<Value>, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Value>, A::Error> {
        let mut records = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        let mut row: Vec<Option<Value>> = Vec::with_capacity(self.fields.len());
        while let Some(()) = seq.next_element_seed(Row {
            fields: self.fields,
            row: &mut row,
            reader: &mut *self.reader,
        })? {
            let mut record = Vec::with_capacity(self.fields.len());
            for (i, f) in self.fields.iter().enumerate() {
                let cell = row.get_mut(i).and_then(Option::take);
                record.push(match cell {
                    Some(v) => v,
                    // Told by `field` (missing), so read the tree's way.
                    None => self.reader.field(String::new, f, None),
                });
            }
            records.push(record.into_boxed_slice());
        }
        Ok(Some(Value::List(records.into())))
    }
}

/// One record of a list, its fields' values into `row` by field.
struct Row<'s, 'r, 'a> {
    fields: &'s [Field],
    row: &'s mut Vec<Option<Value>>,
    reader: &'r mut Reader<'a>,
}

impl<'de> DeserializeSeed<'de> for Row<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Row<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Row {
            fields,
            row,
            reader,
        } = self;
        row.clear();
        row.resize(fields.len(), None);
        while let Some(i) = map.next_key_seed(FieldKey(fields))? {
            let (Some(f), Some(place)) = (fields.get(i), row.get_mut(i)) else {
                return Err(fallback());
            };
            if place.is_some() {
                return Err(fallback());
            }
            *place = map.next_value_seed(OneValue(FieldValue {
                field: f,
                reader: &mut *reader,
            }))?;
        }
        Ok(())
    }
}

/// A record's key: its field's position.
struct FieldKey<'s>(&'s [Field]);

impl<'de> DeserializeSeed<'de> for FieldKey<'_> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for FieldKey<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field's name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        self.0.iter().position(|f| f.name == v).ok_or_else(fallback)
    }
}

/// A record's field; `None` for null (read as missing: told, so read the
/// tree's way).
struct FieldValue<'s, 'r, 'a> {
    field: &'s Field,
    reader: &'r mut Reader<'a>,
}

impl ToValue for FieldValue<'_, '_, '_> {
    fn cell(self, cell: Cell) -> Option<Value> {
        Some(self.reader.field(String::new, self.field, Some(cell)))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::Index;
    use crate::data::entity::{NoPlaces, Reader};
    use crate::ir::Program;
    use std::collections::HashSet;

    fn program() -> Program {
        crate::compile(include_str!("../../../specs/liucheng-2024.kh"))
            .program
            .unwrap()
    }

    /// What `both` read: directly, by the tree, and the tree's diagnostics.
    type Both = (
        Option<(String, Vec<crate::ir::Value>)>,
        Option<crate::data::Entity>,
        usize,
    );

    /// The direct reading of `text`, and the tree's.
    fn both(program: &Program, index: &Index, text: &str) -> Both {
        let reported = HashSet::new();
        let mut reader = Reader {
            program,
            diags: Vec::new(),
            file: "t.json",
            entity: "#1".into(),
            places: &NoPlaces,
            reported: &reported,
        };
        let direct = index.read(&mut reader, text.as_bytes());
        if direct.is_none() {
            reader.diags.clear();
            let why = index.try_read(&mut reader, text.as_bytes()).err();
            let first = reader
                .diags
                .first()
                .map(|d| d.message.get(crate::diagnostic::Lang::En).to_string());
            panic!("not read directly: {why:?} {first:?}");
        }
        let mut reader = Reader {
            program,
            diags: Vec::new(),
            file: "t.json",
            entity: "#1".into(),
            places: &NoPlaces,
            reported: &reported,
        };
        let json: serde_json::Value = serde_json::from_str(text).unwrap();
        let tree = reader.entity(&json);
        (direct, tree, reader.diags.len())
    }

    #[test]
    fn plain_entities_read_directly_as_the_tree_reads_them() {
        let program = &program();
        let index = Index::new(program);
        for e in crate::synth::entities(program, 7, 300) {
            let text = crate::synth::to_json(program, &e).to_string();
            let (direct, tree, diags) = both(program, &index, &text);
            let tree = tree.unwrap();
            assert_eq!(diags, 0, "{text}");
            let (id, values) = direct.unwrap_or_else(|| panic!("not read directly: {text}"));
            assert_eq!(id, tree.id);
            assert_eq!(values, tree.values);
        }
    }

    /// What is not plainly right is left to the tree's reading, which
    /// tells it.
    #[test]
    fn anything_not_plain_is_left_to_the_tree() {
        let program = &program();
        let index = Index::new(program);
        let e = crate::synth::entities(program, 7, 1).next().unwrap();
        let good = crate::synth::to_json(program, &e).to_string();
        let spoilt = [
            good.replacen("\"pm25\"", "\"pm25x\"", 1),
            good.replacen("{\"id\"", "{\"pm25\": 1, \"id\"", 1),
            good.replacen("\"pm25\":", "\"pm25\": \"abc\", \"x\":", 1),
            good.replacen("\"pm25\":", "\"pm25\": [1], \"x\":", 1),
            good.replacen("\"id\":", "\"id\": \" \", \"x\":", 1),
            format!("[{good}]"),
            format!("{good},"),
        ];
        let reported = HashSet::new();
        for text in &spoilt {
            let mut reader = Reader {
                program,
                diags: Vec::new(),
                file: "t.json",
                entity: "#1".into(),
                places: &NoPlaces,
                reported: &reported,
            };
            assert!(index.read(&mut reader, text.as_bytes()).is_none(), "{text}");
        }
    }
}
