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

use super::check::{At, Bad, stops};
use crate::data::entity::Reader;
use crate::data::scalar::Cell;
use crate::ir::{Field, Program, Record, Ty, Value};
use std::collections::HashMap;

/// The inputs by name, made once per file and shared by the threads that
/// read entities at once. Hashed with foldhash (randomly seeded, as std's
/// SipHash is; already in the build), a few multiplications a key: an
/// entity's ~200 keys through SipHash were 0.05 M instructions a dense unit.
pub(super) struct Index {
    slots: HashMap<Vec<u8>, usize, foldhash::fast::RandomState>,
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
}

impl Index {
    pub(super) fn new(program: &Program) -> Index {
        let slots = (program.inputs.iter().enumerate())
            .map(|(slot, input)| (input.name.as_bytes().to_vec(), slot))
            .collect();
        Index { slots }
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
        loop {
            at.eat(b'"').ok()?;
            let (from, to) = string(&mut at, scratch).ok()??;
            let key = at.b.get(from..to)?;
            at.blanks();
            at.eat(b':').ok()?;
            at.blanks();
            if key == b"id" {
                if id.is_some() {
                    return None;
                }
                id = Some(read_id(&mut at, s, scratch)?);
            } else {
                let &slot = self.slots.get(key)?;
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

/// A string, past its opening quote, to past its closing one: where its
/// text lies when it has no escape (`Some`), else its text decoded into
/// `scratch` (`None`).
fn string(at: &mut At, scratch: &mut Vec<u8>) -> Result<Option<(usize, usize)>, Bad> {
    let start = at.i;
    let rest = at.b.get(start..).unwrap_or_default();
    let end = rest.iter().position(|&c| stops(c));
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

/// The id: a text not blank, or a number as written.
fn read_id(at: &mut At, s: &str, scratch: &mut Vec<u8>) -> Option<String> {
    match at.peek()? {
        b'"' => {
            at.i += 1;
            let id = text(at, s, scratch)?;
            (!id.trim().is_empty()).then(|| id.to_string())
        }
        b'-' | b'0'..=b'9' => {
            let from = at.i;
            at.number().ok()?;
            s.get(from..at.i).map(str::to_string)
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
        record(at, s, scratch, fields, row, reader)?;
        let mut values = Vec::with_capacity(fields.len());
        for (i, f) in fields.iter().enumerate() {
            values.push(match row.get_mut(i).and_then(Option::take) {
                Some(v) => v,
                // Told by `field` (missing), so read the tree's way.
                None => reader.field(String::new, f, None),
            });
        }
        records.push(values.into_boxed_slice());
        if at.comma_or(b']').ok()? {
            break;
        }
    }
    Some(Some(Value::List(records.drain(..).collect())))
}

/// One record of a list, its fields' values into `row` by field.
fn record(
    at: &mut At,
    s: &str,
    scratch: &mut Vec<u8>,
    fields: &[Field],
    row: &mut Vec<Option<Value>>,
    reader: &mut Reader,
) -> Option<()> {
    at.eat(b'{').ok()?;
    at.blanks();
    row.clear();
    row.resize(fields.len(), None);
    if at.peek() == Some(b'}') {
        at.i += 1;
        return Some(());
    }
    loop {
        at.eat(b'"').ok()?;
        let (from, to) = string(at, scratch).ok()??;
        let key = at.b.get(from..to)?;
        let i = fields.iter().position(|f| f.name.as_bytes() == key)?;
        let (f, place) = (fields.get(i)?, row.get_mut(i)?);
        if place.is_some() {
            return None;
        }
        at.blanks();
        at.eat(b':').ok()?;
        at.blanks();
        *place = scalar(at, s, scratch, |cell| {
            reader.field(String::new, f, Some(cell))
        })?;
        if at.comma_or(b'}').ok()? {
            return Some(());
        }
    }
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
        texts.push(good.replace(',', " ,\t\r\n ").replace(':', " : "));
        let mut direct_read = 0;
        for text in &texts {
            let mut reader = reader_of(program, &reported);
            let direct = index.read(&mut reader, text.as_bytes(), &mut Scratch::default());
            let mut reader = reader_of(program, &reported);
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
        assert!(direct_read >= 8, "{direct_read}");
    }
}
