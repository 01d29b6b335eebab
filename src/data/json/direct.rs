//! One entity's text read straight into its [`Entity`](crate::data::Entity)
//! by hand, no serde between: the bytes are walked once (the grammar of
//! `check`, whose `At` reads them), each key looked up once in the
//! program's input table, each value handed to the same readers the tree's
//! reading uses (`Reader::input_cell`, `Reader::field`, …) as a cell that
//! borrows the text: numbers as their text, exact decimals as written, no
//! string made for a number or a plain text.
//!
//! It reads only what is plainly right: an object of known keys, each
//! given once, with values of the kinds expected, no escape in a key, and
//! no problem to tell. Anything else — an unknown key, a key given twice, a
//! list that is no list, a value that is no scalar, a text that is not
//! JSON, or any diagnostic at all, warnings too — gives `None`, and the
//! entity is read again the tree's way, which tells every problem exactly
//! as it always has. So the messages cannot differ; only the plain
//! entities, nearly all of them, go faster.

use super::check::{At, Bad, plain_run};
use crate::data::entity::Reader;
use crate::data::scalar::Cell;
use crate::data::shortened::of_json;
use crate::ir::{Field, Program, Record, Ty, Value};
use std::collections::HashMap;

/// The inputs by name, made once per file and shared by the threads that
/// read entities at once. Hashed with foldhash (randomly seeded, as std's
/// SipHash is; already in the build), a few multiplications a key: an
/// entity's ~200 keys through SipHash were 0.05 M instructions a dense unit.
pub(super) struct Index {
    slots: HashMap<Vec<u8>, usize, foldhash::fast::RandomState>,
    /// Each slot's name, where `slots` gives the name that slot: a key
    /// compared with one name, not hashed (`slot_in_order`).
    names: Vec<Option<Box<[u8]>>>,
}

/// One thread's buffers for reading entities, reused from entity to
/// entity: the values given per slot, a decoded text, a record's fields by
/// field, a list's records.
#[derive(Default)]
pub(super) struct Scratch {
    given: Vec<Option<Value>>,
    text: Vec<u8>,
    row: Vec<Option<Value>>,
    records: Vec<Record>,
    /// The slot that followed each slot among the last entity's keys
    /// (`Index::slot_after`).
    order: Vec<usize>,
}

impl Index {
    pub(super) fn new(program: &Program) -> Index {
        let slots: HashMap<_, _, _> = (program.inputs.iter().enumerate())
            .map(|(slot, input)| (input.name.as_bytes().to_vec(), slot))
            .collect();
        let mut names = vec![None; program.inputs.len()];
        for (name, &slot) in &slots {
            if let Some(place) = names.get_mut(slot) {
                *place = Some(name.clone().into_boxed_slice());
            }
        }
        Index { slots, names }
    }

    /// The slot of the input `key` names, `after` being what the key
    /// before it in its object named (a slot, [`Index::id`], or
    /// [`Index::start`] for the first key): first compared with the name
    /// of the slot that followed `after` in the last object read (`order`,
    /// the caller's: dense entities give their keys in one order, a few
    /// left out), looked up by hash when it differs, and `order` told.
    pub(super) fn slot_after(
        &self,
        key: &[u8],
        after: usize,
        order: &mut Vec<usize>,
    ) -> Option<usize> {
        let guess = order
            .get(after)
            .and_then(|&slot| self.names.get(slot)?.as_ref().map(|n| (slot, n)));
        if let Some((slot, name)) = guess
            && **name == *key
        {
            return Some(slot);
        }
        let slot = self.slot(key)?;
        if order.len() <= after {
            order.resize(self.start() + 1, usize::MAX);
        }
        if let Some(place) = order.get_mut(after) {
            *place = slot;
        }
        Some(slot)
    }

    /// What the id key names for [`Index::slot_after`] (no input's slot).
    pub(super) fn id(&self) -> usize {
        self.names.len()
    }

    /// What comes before an object's first key for [`Index::slot_after`].
    pub(super) fn start(&self) -> usize {
        self.names.len() + 1
    }

    /// The slot of the input `key` names, if any.
    pub(super) fn slot(&self, key: &[u8]) -> Option<usize> {
        self.slots.get(key).copied()
    }

    /// How many inputs there are.
    pub(super) fn inputs(&self) -> usize {
        self.slots.len()
    }

    /// Entity `text` read straight into its id and values, when it is
    /// plainly right (see the module's notes); `None` otherwise, and
    /// `reader` may then hold diagnostics to be thrown away.
    pub(super) fn read(
        &self,
        reader: &mut Reader,
        text: &[u8],
        bufs: &mut Scratch,
    ) -> Option<(String, Vec<Value>)> {
        let program = reader.program;
        let s = simdutf8::basic::from_utf8(text).ok()?;
        let mut at = At {
            b: s.as_bytes(),
            i: 0,
        };
        let Scratch {
            given,
            text: scratch,
            row,
            records,
            order,
        } = bufs;
        let scratch = &mut *scratch;
        // Per slot, the value given in the entity, if any.
        given.clear();
        given.resize(program.inputs.len(), None);
        let mut id = None;
        at.blanks();
        at.eat(b'{').ok()?;
        at.blanks();
        if at.peek() == Some(b'}') {
            // No id.
            return None;
        }
        let mut after = self.start();
        loop {
            let key = member_key(&mut at, scratch)?;
            if key == b"id" {
                after = self.id();
                if id.is_some() {
                    return None;
                }
                id = Some(read_id(&mut at, s, scratch)?);
            } else {
                let slot = self.slot_after(key, after, order)?;
                after = slot;
                let (input, place) = (program.inputs.get(slot)?, given.get_mut(slot)?);
                if place.is_some() {
                    return None;
                }
                // null: as if not given (read as missing at the end).
                *place = match &input.ty {
                    Ty::List(fields) => list(&mut at, s, scratch, fields, row, records, reader)?,
                    _ => scalar(&mut at, s, scratch, |cell| {
                        let value = reader.input_cell(input, cell);
                        reader.within_judgement(input, value)
                    })?,
                };
            }
            if at.comma_or(b'}').ok()? {
                break;
            }
        }
        at.blanks();
        if at.i != at.b.len() {
            return None;
        }
        let id = id?;
        let mut values = Vec::with_capacity(program.inputs.len());
        for (input, given) in program.inputs.iter().zip(given.iter_mut()) {
            values.push(match given.take() {
                Some(v) => v,
                None => reader.missing(input),
            });
        }
        reader.diags.is_empty().then_some((id, values))
    }
}

/// A member's key and the colon after it, from its opening quote: the
/// key's text when it has no escape (`None` otherwise: read the tree's
/// way).
fn member_key<'t>(at: &mut At<'t>, scratch: &mut Vec<u8>) -> Option<&'t [u8]> {
    at.eat(b'"').ok()?;
    let (from, to) = string(at, scratch).ok()??;
    let key = at.b.get(from..to)?;
    at.blanks();
    at.eat(b':').ok()?;
    at.blanks();
    Some(key)
}

/// A string, past its opening quote, to past its closing one: where its
/// text lies when it has no escape (`Some`), else its text decoded into
/// `scratch` (`None`).
fn string(at: &mut At, scratch: &mut Vec<u8>) -> Result<Option<(usize, usize)>, Bad> {
    let start = at.i;
    let rest = at.b.get(start..).unwrap_or_default();
    let end = plain_run(rest);
    if let Some(p) = end
        && rest.get(p) == Some(&b'"')
    {
        at.i = start + p + 1;
        return Ok(Some((start, start + p)));
    }
    scratch.clear();
    at.string(Some(scratch))?;
    Ok(None)
}

/// A string's text, past its opening quote: a slice of `s`, or decoded
/// into `scratch`.
fn text<'t>(at: &mut At, s: &'t str, scratch: &'t mut Vec<u8>) -> Option<&'t str> {
    match string(at, scratch).ok()? {
        Some((from, to)) => s.get(from..to),
        None => std::str::from_utf8(scratch).ok(),
    }
}

/// The id: a text not blank, or a number as written; `None` for a long
/// code whose last digits are lost (told by the tree's reading, K0516).
fn read_id(at: &mut At, s: &str, scratch: &mut Vec<u8>) -> Option<String> {
    match at.peek()? {
        b'"' => {
            at.i += 1;
            let id = text(at, s, scratch)?;
            let kept = !id.trim().is_empty() && of_json(id, false).is_none();
            kept.then(|| id.to_string())
        }
        b'-' | b'0'..=b'9' => {
            let from = at.i;
            at.number().ok()?;
            let id = s.get(from..at.i)?;
            of_json(id, true).is_none().then(|| id.to_string())
        }
        _ => None,
    }
}

/// A JSON scalar read as a cell and handed to `f`; `Some(None)` for null,
/// `None` for anything else (a list, an object, not JSON).
fn scalar<T>(
    at: &mut At,
    s: &str,
    scratch: &mut Vec<u8>,
    f: impl FnOnce(Cell) -> T,
) -> Option<Option<T>> {
    let cell = match at.peek()? {
        b'"' => {
            at.i += 1;
            return Some(Some(f(Cell::Text(text(at, s, scratch)?))));
        }
        b'-' | b'0'..=b'9' => {
            let from = at.i;
            at.number().ok()?;
            return Some(Some(f(Cell::Number(s.get(from..at.i)?))));
        }
        b't' => {
            at.word(b"true").ok()?;
            Cell::Bool(true)
        }
        b'f' => {
            at.word(b"false").ok()?;
            Cell::Bool(false)
        }
        b'n' => {
            at.word(b"null").ok()?;
            return Some(None);
        }
        _ => return None,
    };
    Some(Some(f(cell)))
}

/// A list input's records (made in `records`, then moved to the list in
/// one allocation); `Some(None)` for null.
fn list(
    at: &mut At,
    s: &str,
    scratch: &mut Vec<u8>,
    fields: &[Field],
    row: &mut Vec<Option<Value>>,
    records: &mut Vec<Record>,
    reader: &mut Reader,
) -> Option<Option<Value>> {
    match at.peek()? {
        b'n' => {
            at.word(b"null").ok()?;
            return Some(None);
        }
        b'[' => at.i += 1,
        _ => return None,
    }
    at.blanks();
    records.clear();
    if at.peek() == Some(b']') {
        at.i += 1;
        return Some(Some(Value::List(records.drain(..).collect())));
    }
    loop {
        records.push(record(at, s, scratch, fields, row, reader)?);
        if at.comma_or(b']').ok()? {
            break;
        }
    }
    Some(Some(Value::List(records.drain(..).collect())))
}

/// One record of a list, its fields' values in the fields' order. While
/// its keys come in that order (as dense records give them) each value is
/// put straight in its place; from a key out of that order, or a null, on,
/// the values go by field into `row` (`by_row`).
fn record(
    at: &mut At,
    s: &str,
    scratch: &mut Vec<u8>,
    fields: &[Field],
    row: &mut Vec<Option<Value>>,
    reader: &mut Reader,
) -> Option<Record> {
    at.eat(b'{').ok()?;
    at.blanks();
    let mut values = Vec::with_capacity(fields.len());
    if at.peek() == Some(b'}') {
        at.i += 1;
        return Some(missing_after(values, fields, reader));
    }
    loop {
        let key = member_key(at, scratch)?;
        let next = fields
            .get(values.len())
            .filter(|f| f.name.as_bytes() == key);
        let value = match next {
            Some(f) => scalar(at, s, scratch, |cell| {
                reader.field(String::new, f, Some(cell))
            })?,
            None => None,
        };
        let Some(value) = value else {
            spill(&mut values, row, fields.len());
            if next.is_none() {
                member(at, s, scratch, key, fields, row, reader)?;
            }
            return by_row(at, s, scratch, fields, row, reader);
        };
        values.push(value);
        if at.comma_or(b'}').ok()? {
            return Some(missing_after(values, fields, reader));
        }
    }
}

/// `values`, a record's first fields, with the fields after them told
/// missing (by `field`, which tells it: then read the tree's way).
fn missing_after(mut values: Vec<Value>, fields: &[Field], reader: &mut Reader) -> Record {
    for f in fields.get(values.len()..).unwrap_or_default() {
        values.push(reader.field(String::new, f, None));
    }
    values.into_boxed_slice()
}

/// The values of a record's first fields moved to `row`, a place a field.
fn spill(values: &mut Vec<Value>, row: &mut Vec<Option<Value>>, fields: usize) {
    row.clear();
    row.extend(values.drain(..).map(Some));
    row.resize(fields, None);
}

/// The rest of a record, after a member, its values by field into `row`;
/// then the record in the fields' order, those not given told missing.
fn by_row(
    at: &mut At,
    s: &str,
    scratch: &mut Vec<u8>,
    fields: &[Field],
    row: &mut [Option<Value>],
    reader: &mut Reader,
) -> Option<Record> {
    while !at.comma_or(b'}').ok()? {
        let key = member_key(at, scratch)?;
        member(at, s, scratch, key, fields, row, reader)?;
    }
    let mut values = Vec::with_capacity(fields.len());
    for (i, f) in fields.iter().enumerate() {
        values.push(match row.get_mut(i).and_then(Option::take) {
            Some(v) => v,
            // Told by `field` (missing), so read the tree's way.
            None => reader.field(String::new, f, None),
        });
    }
    Some(values.into_boxed_slice())
}

/// A record's member of key `key`, its value into `row` at its field's
/// place; `None` for a key of no field or given twice.
fn member(
    at: &mut At,
    s: &str,
    scratch: &mut Vec<u8>,
    key: &[u8],
    fields: &[Field],
    row: &mut [Option<Value>],
    reader: &mut Reader,
) -> Option<()> {
    let i = fields.iter().position(|f| f.name.as_bytes() == key)?;
    let (f, place) = (fields.get(i)?, row.get_mut(i)?);
    if place.is_some() {
        return None;
    }
    *place = scalar(at, s, scratch, |cell| {
        reader.field(String::new, f, Some(cell))
    })?;
    Some(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::{Index, Scratch};
    use crate::data::entity::{NoPlaces, Reader};
    use crate::ir::Program;
    use std::collections::HashSet;

    /// A reader of the entity `#1` of `t.json`.
    fn reader_of<'a>(program: &'a Program, reported: &'a HashSet<String>) -> Reader<'a> {
        Reader {
            program,
            diags: Vec::new(),
            file: "t.json",
            entity: "#1".into(),
            places: &NoPlaces,
            reported,
        }
    }

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
        let mut reader = reader_of(program, &reported);
        let direct = index.read(&mut reader, text.as_bytes(), &mut Scratch::default());
        if direct.is_none() {
            let first = reader
                .diags
                .first()
                .map(|d| d.message.get(crate::diagnostic::Lang::En).to_string());
            panic!("not read directly: {first:?} {text}");
        }
        let mut reader = reader_of(program, &reported);
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
            // Not JSON: a control character, a lone surrogate, a bad
            // number, a trailing comma.
            good.replacen("\"id\":\"", "\"id\":\"\t", 1),
            good.replacen("\"id\":\"", "\"id\":\"\\uD800", 1),
            good.replacen("\"pm25\":", "\"pm25\":0", 1),
            good.replacen("}", ",}", 1),
            // A key with an escape (read the tree's way).
            good.replacen("\"pm25\"", "\"pm\\u00325\"", 1),
        ];
        let reported = HashSet::new();
        for text in &spoilt {
            let mut reader = reader_of(program, &reported);
            assert!(
                index
                    .read(&mut reader, text.as_bytes(), &mut Scratch::default())
                    .is_none(),
                "{text}"
            );
        }
    }

    /// How an object's keys are put in order (given how deep it is).
    type Order<'a> = &'a dyn Fn(&mut Vec<String>, usize);

    /// `v` written with each object's keys put in the order `order`
    /// gives (from the keys in their order, and how deep the object is).
    fn written(v: &serde_json::Value, depth: usize, order: Order) -> String {
        match v {
            serde_json::Value::Object(map) => {
                let mut keys: Vec<String> = map.keys().cloned().collect();
                order(&mut keys, depth);
                let members: Vec<String> = (keys.iter())
                    .map(|k| format!("{:?}: {}", k, written(&map[k], depth + 1, order)))
                    .collect();
                format!("{{{}}}", members.join(", "))
            }
            serde_json::Value::Array(items) => {
                let items: Vec<String> =
                    items.iter().map(|i| written(i, depth + 1, order)).collect();
                format!("[{}]", items.join(", "))
            }
            _ => v.to_string(),
        }
    }

    /// Entities read one after another with one scratch, their keys and
    /// their records' fields in another order than the entity before
    /// (reversed, rotated, some left out, a field given null or twice):
    /// what is read directly is what the tree reads, and most are.
    #[test]
    fn keys_in_another_order_than_the_last_entitys_read_as_the_tree_reads_them() {
        let program = &program();
        let index = Index::new(program);
        let reported = HashSet::new();
        let mut bufs = Scratch::default();
        let orders: [Order; 6] = [
            &|_, _| {},
            &|keys, _| keys.reverse(),
            &|keys, depth| keys.rotate_left(if depth == 0 { 7 } else { 1 }),
            &|keys, depth| keys.retain(|k| depth > 0 || !k.starts_with('p')),
            &|keys, depth| {
                if depth > 0 {
                    let last = keys.len() - 1;
                    keys.swap(0, last);
                }
            },
            &|keys, depth| {
                if depth > 0 {
                    keys.pop();
                }
            },
        ];
        let mut texts = Vec::new();
        for e in crate::synth::entities(program, 11, 4) {
            let json: serde_json::Value =
                serde_json::from_str(&crate::synth::to_json(program, &e).to_string()).unwrap();
            for order in orders {
                texts.push(written(&json, 0, order));
            }
        }
        // A record's first field given null before its value, and a key
        // of no field first.
        let good = texts[0].clone();
        let record = good.find("[{").unwrap() + 2;
        let colon = record + good[record..].find(": ").unwrap();
        let key = &good[record..colon];
        texts.push(format!(
            "{}{key}: null, {}",
            &good[..record],
            &good[record..]
        ));
        texts.push(format!("{}\"zz\": 1, {}", &good[..record], &good[record..]));
        let both_ways = texts.iter().chain(texts.iter().rev());
        let direct_read = as_the_tree_reads(program, &index, &reported, both_ways, &mut bufs);
        assert!(direct_read >= 24, "{direct_read}");
    }

    /// `text` with the value of key `key` written as `raw`.
    fn set(text: &str, key: &str, raw: &str) -> String {
        let at = text.find(&format!("\"{key}\":")).unwrap() + key.len() + 3;
        let end = at + text[at..].find([',', '}']).unwrap();
        format!("{}{raw}{}", &text[..at], &text[end..])
    }

    /// Numbers as written, texts with escapes, blanks anywhere: what is
    /// read directly is what the tree reads, with nothing to tell.
    #[test]
    fn numbers_as_written_and_escaped_texts_read_as_the_tree_reads_them() {
        let program = &program();
        let index = Index::new(program);
        let reported = HashSet::new();
        let e = crate::synth::entities(program, 7, 1).next().unwrap();
        let good = crate::synth::to_json(program, &e).to_string();
        let mut texts: Vec<String> = ["1E1", "-0", "1.50e1", "12.500", "0.0", "35", "-7", "1e400"]
            .iter()
            .map(|n| set(&good, "pm25", n))
            .collect();
        texts.push(set(&good, "id", r#""\u00e9\uD83D\uDE00\n\"\/x""#));
        texts.push(set(&good, "id", "12.50"));
        // Long codes whose last digits are lost: told by the tree (K0516).
        for id in [
            "4.50221199001011e17",
            "450221199001011000",
            r#""4.50221E+17""#,
        ] {
            texts.push(set(&good, "id", id));
        }
        texts.push(good.replace(',', " ,\t\r\n ").replace(':', " : "));
        let direct_read = as_the_tree_reads(
            program,
            &index,
            &reported,
            texts.iter(),
            &mut Scratch::default(),
        );
        assert!(direct_read >= 8, "{direct_read}");
    }

    /// Each text read directly (with `bufs` kept from one to the next) and
    /// by the tree: what is read directly is what the tree reads, with
    /// nothing to tell; what is not has something to tell. How many were
    /// read directly.
    fn as_the_tree_reads<'t>(
        program: &Program,
        index: &Index,
        reported: &HashSet<String>,
        texts: impl Iterator<Item = &'t String>,
        bufs: &mut Scratch,
    ) -> usize {
        let mut direct_read = 0;
        for text in texts {
            let mut reader = reader_of(program, reported);
            let direct = index.read(&mut reader, text.as_bytes(), bufs);
            let mut reader = reader_of(program, reported);
            let json: serde_json::Value = serde_json::from_str(text).unwrap();
            let tree = reader.entity(&json);
            match direct {
                Some((id, values)) => {
                    direct_read += 1;
                    assert!(reader.diags.is_empty(), "{text}");
                    let tree = tree.unwrap();
                    assert_eq!((id, values), (tree.id, tree.values), "{text}");
                }
                None => assert!(tree.is_none() || !reader.diags.is_empty(), "{text}"),
            }
        }
        direct_read
    }
}
