//! The first reading of one entity's text, by hand: whether it is JSON as
//! serde_json reads it into a value, its id, and every key an object gives
//! twice, with its path. One pass over the bytes, no serde visitors, no
//! strings made but the keys' (a stack reused from entity to entity) and
//! the id's; UTF-8 checked once over the whole text (simdutf8).
//!
//! It accepts exactly what `serde_json::from_str::<Value>` accepts (this
//! crate's features: arbitrary precision, so any number as written):
//! blanks `' ' \t \n \r`; `true`, `false`, `null`; numbers `-?(0|[1-9]\d*)
//! (\.\d+)?([eE][+-]?\d+)?`; strings without a control character (below
//! U+0020), their escapes `\" \\ \/ \b \f \n \r \t \uXXXX`, a `\u` surrogate
//! only as a leading one followed by `\u` and a trailing one; objects and
//! arrays without trailing commas, nested less deep than serde_json's
//! limit of 128 (the document's array counting as one). A property test
//! holds it to serde_json's verdict on mutated documents.
//!
//! One thing is serde_json's own: an object whose first key is its
//! private key for numbers (`$serde_json::private::Number`) is read by it
//! as a number. A text with that key anywhere is told as `Odd`, and the
//! caller asks serde_json.

use super::direct::Index;

/// What the reading of one text found.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    Valid,
    Invalid,
    /// serde_json's private number key met: ask serde_json.
    Odd,
}

/// The key under which serde_json (arbitrary_precision) hands a number's
/// digits on.
const NUMBER: &[u8] = b"$serde_json::private::Number";

/// Up to how many keys an object's are compared each with those before
/// it; beyond, they are sorted by text.
const SMALL: usize = 12;

/// How deep serde_json reads: a value nested this deep is refused.
pub(super) const DEPTH: usize = 128;

#[derive(Clone, Copy)]
enum Step {
    Key(Key),
    Index(usize),
}

/// Where a key's text lies: in the text read, between its quotes (a key
/// without an escape, nearly all: not copied), or decoded in `names`.
#[derive(Clone, Copy)]
enum Key {
    Text(usize, usize),
    Decoded(usize, usize),
}

impl Key {
    /// The key's text, `b` being the text read and `names` the decoded
    /// keys.
    fn of<'a>(self, b: &'a [u8], names: &'a [u8]) -> &'a [u8] {
        let (whole, from, to) = match self {
            Key::Text(from, to) => (b, from, to),
            Key::Decoded(from, to) => (names, from, to),
        };
        whole.get(from..to).unwrap_or_default()
    }
}

/// The first reading of entity texts; its buffers are reused.
#[derive(Default)]
pub(super) struct Check {
    /// The root object's id: a text not blank, or a number as written
    /// (the last one given, as serde_json's map keeps it).
    pub(super) id: Option<String>,
    /// The paths of the keys an object gives twice: each object's in the
    /// order they first appear, told as the object closes.
    pub(super) twice: Vec<String>,
    /// The decoded keys with an escape of the objects open, one after
    /// another.
    names: Vec<u8>,
    /// Where each key of the objects open lies.
    keys: Vec<Key>,
    /// The path down to the value being read.
    path: Vec<Step>,
    /// Many keys' digests and places, sorted (reused).
    digests: Vec<(u64, usize)>,
    /// The root object's keys met, a bit per input (and one for the id).
    known: Vec<u64>,
    /// The slot that followed each slot among the last root object's keys
    /// (`Index::slot_after`).
    order: Vec<usize>,
    odd: bool,
}

/// The bytes where a string's plain run stops: its closing quote, a
/// backslash, a control character. (Indexed by constants below 256 while
/// compiling: nothing here runs on user input.)
#[allow(clippy::indexing_slicing)]
static STOPS: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = true;
        c += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// Whether a string's plain run stops at byte `c` (one look-up, not three
/// comparisons).
pub(super) fn stops(c: u8) -> bool {
    STOPS.get(usize::from(c)) == Some(&true)
}

/// A byte repeated in each of a word's eight.
const fn each(c: u8) -> u64 {
    0x0101_0101_0101_0101 * c as u64
}

/// The high bit of each byte of `w` below `n` (`n` ≤ 128). A borrow can
/// mark a byte above a marked one too, never one below: the lowest mark is
/// exact, and only the lowest is used.
const fn below(w: u64, n: u8) -> u64 {
    w.wrapping_sub(each(n)) & !w & each(0x80)
}

/// Where in `w`'s eight bytes (the first lowest) a string's plain run
/// stops, if it does: a quote, a backslash or a control character, all
/// three looked for at once.
fn stop_in(w: u64) -> Option<usize> {
    let marks = below(w ^ each(b'"'), 1) | below(w ^ each(b'\\'), 1) | below(w, 0x20);
    (marks != 0).then(|| marks.trailing_zeros() as usize / 8)
}

/// Where a string's plain run in `rest` stops (see [`stops`]): eight bytes
/// a step where there are eight (dense units' strings are mostly 3–10
/// bytes, so a search for the quote that sets up wide registers first
/// would cost more than it saves), then byte by byte.
pub(super) fn plain_run(rest: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(&word) = rest.get(i..).and_then(|r| r.first_chunk::<8>()) {
        if let Some(p) = stop_in(u64::from_le_bytes(word)) {
            return Some(i + p);
        }
        i += 8;
    }
    let tail = rest.get(i..).unwrap_or_default();
    tail.iter().position(|&c| stops(c)).map(|p| i + p)
}

/// A key's digest, to find the keys given twice among many (FNV-1a):
/// equal digests are then compared by text.
fn digest(key: &[u8]) -> u64 {
    key.iter().fold(0xcbf2_9ce4_8422_2325, |h, &c| {
        (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Not JSON as serde_json reads it.
pub(super) struct Bad;

pub(super) type Res = Result<(), Bad>;

/// The text and where the reading is (also the second reading's, `direct`).
pub(super) struct At<'t> {
    pub(super) b: &'t [u8],
    pub(super) i: usize,
}

impl At<'_> {
    pub(super) fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    pub(super) fn blanks(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    /// After a member or an element: a comma and the blanks after it
    /// (`false`: another comes), or the bracket `end` that closes them
    /// (`true`), the blanks before either passed over; anything else is
    /// `Bad`.
    pub(super) fn comma_or(&mut self, end: u8) -> Result<bool, Bad> {
        self.blanks();
        match self.peek() {
            Some(b',') => {
                self.i += 1;
                self.blanks();
                Ok(false)
            }
            Some(b) if b == end => {
                self.i += 1;
                Ok(true)
            }
            _ => Err(Bad),
        }
    }

    pub(super) fn eat(&mut self, want: u8) -> Res {
        if self.peek() == Some(want) {
            self.i += 1;
            Ok(())
        } else {
            Err(Bad)
        }
    }

    pub(super) fn word(&mut self, word: &[u8]) -> Res {
        let end = self.i + word.len();
        if self.b.get(self.i..end) == Some(word) {
            self.i = end;
            Ok(())
        } else {
            Err(Bad)
        }
    }

    pub(super) fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
    }

    /// At least one digit, then any.
    pub(super) fn some_digits(&mut self) -> Res {
        match self.peek() {
            Some(b'0'..=b'9') => {
                self.digits();
                Ok(())
            }
            _ => Err(Bad),
        }
    }

    pub(super) fn number(&mut self) -> Res {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.i += 1;
                // One leading zero only.
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(Bad);
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(Bad),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            self.some_digits()?;
        }
        Ok(())
    }

    /// Four hexadecimal digits.
    pub(super) fn hex(&mut self) -> Result<u32, Bad> {
        let mut n = 0;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(Bad),
            };
            self.i += 1;
            n = n * 16 + u32::from(d);
        }
        Ok(n)
    }

    /// A string, past its opening quote, to past its closing one: to the
    /// closing quote in one step when it has no escape (nearly every
    /// string), else by `string`.
    pub(super) fn skip_string(&mut self) -> Res {
        self.plain_string()
            .map_or_else(|| self.string(None), |_| Ok(()))
    }

    /// A string without an escape, past its opening quote, to past its
    /// closing one: where its text lies. `None`, and nothing read, for any
    /// other.
    pub(super) fn plain_string(&mut self) -> Option<(usize, usize)> {
        let from = self.i;
        let rest = self.b.get(from..)?;
        let p = plain_run(rest).filter(|&p| rest.get(p) == Some(&b'"'))?;
        self.i = from + p + 1;
        Some((from, from + p))
    }

    /// A string, past its opening quote, to past its closing one; its
    /// decoded text onto `out` when given.
    pub(super) fn string(&mut self, mut out: Option<&mut Vec<u8>>) -> Res {
        loop {
            let rest = self.b.get(self.i..).unwrap_or_default();
            let Some(p) = plain_run(rest) else {
                return Err(Bad);
            };
            if let Some(out) = out.as_deref_mut() {
                out.extend_from_slice(rest.get(..p).unwrap_or_default());
            }
            self.i += p;
            match self.peek() {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.i += 1;
                    self.escape(out.as_deref_mut())?;
                }
                // A control character.
                _ => return Err(Bad),
            }
        }
    }

    /// An escape, past its backslash.
    pub(super) fn escape(&mut self, out: Option<&mut Vec<u8>>) -> Res {
        let c = self.peek().ok_or(Bad)?;
        self.i += 1;
        let plain = match c {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let ch = self.unicode()?;
                if let Some(out) = out {
                    let mut buf = [0; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                return Ok(());
            }
            _ => return Err(Bad),
        };
        if let Some(out) = out {
            out.push(plain);
        }
        Ok(())
    }

    /// A `\u` escape, past the `u`: a character, or a leading surrogate
    /// followed by `\u` and a trailing one (serde_json refuses any other
    /// surrogate when it reads a string).
    pub(super) fn unicode(&mut self) -> Result<char, Bad> {
        let n = self.hex()?;
        if (0xDC00..=0xDFFF).contains(&n) {
            return Err(Bad);
        }
        if !(0xD800..=0xDBFF).contains(&n) {
            return char::from_u32(n).ok_or(Bad);
        }
        self.eat(b'\\')?;
        self.eat(b'u')?;
        let n2 = self.hex()?;
        if !(0xDC00..=0xDFFF).contains(&n2) {
            return Err(Bad);
        }
        char::from_u32((((n - 0xD800) << 10) | (n2 - 0xDC00)) + 0x1_0000).ok_or(Bad)
    }
}

impl Check {
    /// Read `text` without the inputs' index (the tests' way).
    #[cfg(test)]
    pub(super) fn read(&mut self, text: &[u8], depth: usize) -> Verdict {
        self.read_with(text, depth, None)
    }

    /// Read `text`: `depth` is how deep serde_json may still go where it
    /// stands ([`DEPTH`] for a text read alone, one less for an element
    /// of the document's array). The root object's keys, when all name an
    /// input (`index`) each once, are found given once by a bit per
    /// input, not by sorting their digests.
    pub(super) fn read_with(
        &mut self,
        text: &[u8],
        depth: usize,
        index: Option<&Index>,
    ) -> Verdict {
        self.reset();
        if simdutf8::basic::from_utf8(text).is_err() {
            return Verdict::Invalid;
        }
        let mut at = At { b: text, i: 0 };
        at.blanks();
        let read = match at.peek() {
            Some(b'{') => self.object(&mut at, depth, true, index),
            _ => self.value(&mut at, depth, true),
        };
        if read.is_err() {
            return Verdict::Invalid;
        }
        at.blanks();
        if at.i != text.len() {
            return Verdict::Invalid;
        }
        if self.odd {
            Verdict::Odd
        } else {
            Verdict::Valid
        }
    }

    fn reset(&mut self) {
        self.id = None;
        self.twice.clear();
        self.names.clear();
        self.keys.clear();
        self.path.clear();
        self.odd = false;
    }

    /// Read the element of the document's array that `chunk` (the reader's
    /// buffer) begins with, in place, so that the text is not cut into
    /// entities by a pass of its own: its verdict and length, when it ends
    /// inside `chunk` with a byte after it (a number could go on past the
    /// end). `None` when it does not, or is not JSON: the caller then cuts
    /// it and reads it whole (`read_with`), which tells the two apart. An
    /// element read here is the text the cutting would give (an object or
    /// array to its closing bracket, a string to its closing quote, a
    /// number or word to its last byte), so both give one verdict.
    pub(super) fn element(
        &mut self,
        chunk: &[u8],
        depth: usize,
        index: Option<&Index>,
    ) -> Option<(Verdict, usize)> {
        self.reset();
        let mut at = At { b: chunk, i: 0 };
        let read = match at.peek() {
            Some(b'{') => self.object(&mut at, depth, true, index),
            _ => self.value(&mut at, depth, true),
        };
        if read.is_err() || at.i >= chunk.len() {
            return None;
        }
        let text = chunk.get(..at.i)?;
        let verdict = if simdutf8::basic::from_utf8(text).is_err() {
            Verdict::Invalid
        } else if self.odd {
            Verdict::Odd
        } else {
            Verdict::Valid
        };
        Some((verdict, at.i))
    }

    fn value(&mut self, at: &mut At, depth: usize, root: bool) -> Res {
        match at.peek() {
            Some(b'{') => self.object(at, depth, root, None),
            Some(b'[') => self.array(at, depth),
            Some(b'"') => {
                at.i += 1;
                at.skip_string()
            }
            Some(b'-' | b'0'..=b'9') => at.number(),
            Some(b't') => at.word(b"true"),
            Some(b'f') => at.word(b"false"),
            Some(b'n') => at.word(b"null"),
            _ => Err(Bad),
        }
    }

    fn array(&mut self, at: &mut At, depth: usize) -> Res {
        let depth = depth.saturating_sub(1);
        if depth == 0 {
            return Err(Bad);
        }
        at.i += 1;
        at.blanks();
        if at.peek() == Some(b']') {
            at.i += 1;
            return Ok(());
        }
        let mut n = 0;
        loop {
            self.path.push(Step::Index(n));
            self.value(at, depth, false)?;
            self.path.pop();
            n += 1;
            if at.comma_or(b']')? {
                return Ok(());
            }
        }
    }

    fn object(&mut self, at: &mut At, depth: usize, root: bool, index: Option<&Index>) -> Res {
        let depth = depth.saturating_sub(1);
        if depth == 0 {
            return Err(Bad);
        }
        at.i += 1;
        at.blanks();
        if at.peek() == Some(b'}') {
            at.i += 1;
            return Ok(());
        }
        let (keys, names) = (self.keys.len(), self.names.len());
        loop {
            at.eat(b'"')?;
            let key = self.key(at)?;
            at.blanks();
            at.eat(b':')?;
            at.blanks();
            let text = key.of(at.b, &self.names);
            if text == NUMBER {
                self.odd = true;
            }
            if root && text == b"id" {
                self.id(at, depth)?;
            } else {
                self.path.push(Step::Key(key));
                self.value(at, depth, false)?;
                self.path.pop();
            }
            self.keys.push(key);
            if at.comma_or(b'}')? {
                break;
            }
        }
        if !index.is_some_and(|index| self.each_once(keys, index, at.b)) {
            self.note_twice(keys, at.b);
        }
        self.keys.truncate(keys);
        self.names.truncate(names);
        Ok(())
    }

    /// A key, past its opening quote: where it lies in the text when it
    /// has no escape, else decoded onto `names`.
    fn key(&mut self, at: &mut At) -> Result<Key, Bad> {
        if let Some((from, to)) = at.plain_string() {
            return Ok(Key::Text(from, to));
        }
        let from = self.names.len();
        at.string(Some(&mut self.names))?;
        Ok(Key::Decoded(from, self.names.len()))
    }

    /// The root object's id: a text not blank (decoded), or a number as
    /// written; anything else is no id.
    fn id(&mut self, at: &mut At, depth: usize) -> Res {
        let start = at.i;
        match at.peek() {
            Some(b'"') => {
                at.i += 1;
                let mut text = Vec::new();
                at.string(Some(&mut text))?;
                let text = String::from_utf8(text).map_err(|_| Bad)?;
                self.id = (!text.trim().is_empty()).then_some(text);
            }
            Some(b'-' | b'0'..=b'9') => {
                at.number()?;
                let digits = at.b.get(start..at.i).unwrap_or_default();
                self.id = Some(String::from_utf8_lossy(digits).into_owned());
            }
            _ => {
                // Keys given twice inside an id that is no id are not
                // looked for (the id is told).
                let told = self.twice.len();
                self.value(at, depth, false)?;
                self.twice.truncate(told);
                self.id = None;
            }
        }
        Ok(())
    }

    /// Whether the keys from `first` on (the root object's) all name an
    /// input or the id, each once: a bit per input, no key compared with
    /// another. `false` says nothing (an unknown key, or one given twice:
    /// `note_twice` then finds which).
    fn each_once(&mut self, first: usize, index: &Index, b: &[u8]) -> bool {
        let keys = self.keys.get(first..).unwrap_or_default();
        if keys.len() <= SMALL {
            return false;
        }
        let id = index.inputs();
        self.known.clear();
        self.known.resize(id / 64 + 1, 0);
        let mut after = index.start();
        for key in keys {
            let name = key.of(b, &self.names);
            let slot = if name == b"id" {
                Some(id)
            } else {
                index.slot_after(name, after, &mut self.order)
            };
            after = slot.map_or(after, |slot| if slot == id { index.id() } else { slot });
            let Some(slot) = slot else {
                return false;
            };
            let (word, bit) = (slot / 64, 1u64 << (slot % 64));
            let Some(w) = self.known.get_mut(word) else {
                return false;
            };
            if *w & bit != 0 {
                return false;
            }
            *w |= bit;
        }
        true
    }

    /// The keys from `first` on (one object's) that it gives twice, noted
    /// with their paths in the order they first appear.
    fn note_twice(&mut self, first: usize, b: &[u8]) {
        let keys = self.keys.get(first..).unwrap_or_default();
        if keys.len() <= 1 {
            return;
        }
        let names = &self.names;
        let text = |k: &Key| k.of(b, names);
        // The first place of each key given twice.
        let mut firsts: Vec<usize> = Vec::new();
        if keys.len() <= SMALL {
            for (i, key) in keys.iter().enumerate() {
                let name = text(key);
                let before = keys.get(..i).unwrap_or_default();
                let first = before.iter().position(|k| text(k) == name);
                if let Some(first) = first
                    && !firsts.contains(&first)
                {
                    firsts.push(first);
                }
            }
        } else {
            // Many keys (an entity's): their digests sorted beside their
            // places; the keys of equal digests, in the order of their
            // places, compared by text.
            let order = &mut self.digests;
            order.clear();
            order.extend(keys.iter().enumerate().map(|(i, k)| (digest(text(k)), i)));
            order.sort_unstable();
            for run in order.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
                for (j, &(_, i)) in run.iter().enumerate() {
                    let name = keys.get(i).map(text).unwrap_or_default();
                    let before = run.get(..j).unwrap_or_default();
                    let first = (before.iter())
                        .map(|&(_, f)| f)
                        .find(|&f| keys.get(f).map(text) == Some(name));
                    if let Some(first) = first
                        && !firsts.contains(&first)
                    {
                        firsts.push(first);
                    }
                }
            }
        }
        if firsts.is_empty() {
            return;
        }
        firsts.sort_unstable();
        let paths: Vec<String> = (firsts.iter())
            .filter_map(|&i| keys.get(i))
            .map(|k| self.path_to(text(k), b))
            .collect();
        self.twice.extend(paths);
    }

    /// The path to key `name` of the object at the current depth, as
    /// messages write paths: `pm25`, `fires[2].date`.
    fn path_to(&self, name: &[u8], b: &[u8]) -> String {
        let mut s = String::new();
        for (depth, step) in self.path.iter().enumerate() {
            match *step {
                Step::Key(key) => {
                    if depth > 0 {
                        s.push('.');
                    }
                    let key = key.of(b, &self.names);
                    s.push_str(&String::from_utf8_lossy(key));
                }
                Step::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        if !s.is_empty() {
            s.push('.');
        }
        s.push_str(&String::from_utf8_lossy(name));
        s
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::{Check, DEPTH, Verdict};
    use proptest::prelude::*;

    /// serde_json's verdict on a text read alone.
    fn serde_reads(text: &[u8]) -> bool {
        std::str::from_utf8(text)
            .is_ok_and(|t| serde_json::from_str::<serde_json::Value>(t).is_ok())
    }

    fn agree(text: &[u8]) {
        let mut check = Check::default();
        let verdict = check.read(text, DEPTH);
        assert_ne!(verdict, Verdict::Odd);
        assert_eq!(
            verdict == Verdict::Valid,
            serde_reads(text),
            "{:?}",
            String::from_utf8_lossy(text)
        );
    }

    #[test]
    fn what_serde_json_reads_and_refuses_is_read_and_refused() {
        let texts: &[&[u8]] = &[
            b"{}",
            b" [ ] ",
            b"0",
            b"-0",
            b"-",
            b"01",
            b"1.",
            b"1.5e",
            b"1.5e+",
            b"1.5E-7",
            b"-1.25e400",
            b"+1",
            b".5",
            b"1x",
            b"truex",
            b"tru",
            b"nul",
            b"null",
            b"false",
            b"\"a\\u00e9\\uD83D\\uDE00\\/\\b\\f\\n\\r\\t\\\"\\\\\"",
            b"\"\\uD83D\"",
            b"\"\\uD83Dx\"",
            b"\"\\uD83D\\n\"",
            b"\"\\uDE00\"",
            b"\"\\uD83D\\uD83D\"",
            b"\"\\u12\"",
            b"\"\\u12G4\"",
            b"\"\\x\"",
            b"\"a\tb\"",
            b"\"a\x7fb\"",
            b"\"a\x1fb\"",
            "\"中文\"".as_bytes(),
            b"\"\xff\"",
            b"\"\xe4\xb8\"",
            b"[1,]",
            b"[1 2]",
            b"[,]",
            b"{\"a\":1,}",
            b"{\"a\" 1}",
            b"{a:1}",
            b"{\"a\":1 \"b\":2}",
            b"{\"a\":1}}",
            b"[1]]",
            b"",
            b"   ",
            b"\"abc",
            b"{\"a\":",
            b"[\"\\",
            b"\t\r\n{\"a\" : [ 1 , {\"b\" : null } ] }\r\n",
            b"\x0c{}",
            b"{}\x00",
        ];
        for t in texts {
            agree(t);
        }
        for n in [126, 127, 128, 129] {
            agree(format!("{}{}", "[".repeat(n), "]".repeat(n)).as_bytes());
            agree(format!("{}1{}", "{\"a\":[".repeat(n / 2), "]}".repeat(n / 2)).as_bytes());
        }
    }

    #[test]
    fn the_id_and_keys_given_twice_are_found_as_scan_finds_them() {
        let mut check = Check::default();
        let mut scan = super::super::scan::Scan::default();
        let texts = [
            r#"{"id": "甲", "a": 1, "l": [{"x": 1}, {"x": 2, "y": {"z": 1, "z": 2}, "x": 3}], "a": 2.50, "id": 7}"#
                .to_string(),
            r#"{"id": 12.0, "n": 1e400}"#.into(),
            r#"{"id": "  "}"#.into(),
            r#"{"id": "a\u00e9\"b", "\u0061": 1, "a": 2}"#.into(),
            r#"{"id": null, "x": {"id": "no"}}"#.into(),
            r#"{"id": "x", "id": [1]}"#.into(),
            r#"{"id": {"a": 1, "a": 2}, "b": {"a": 1, "a": 2}}"#.into(),
            r#"[{"id": "x"}]"#.into(),
            format!(
                "{{{}}}",
                (0..20)
                    .map(|i| format!(
                        "\"k{}\": {i}",
                        [9, 1, 5, 1, 9].get(i).copied().unwrap_or(i + 10)
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ];
        for text in &texts {
            assert_eq!(check.read(text.as_bytes(), DEPTH), Verdict::Valid, "{text}");
            scan.read(text.as_bytes()).unwrap();
            assert_eq!(check.id, scan.id, "{text}");
            assert_eq!(check.twice, scan.twice, "{text}");
        }
        let odd = r#"{"a": {"$serde_json::private::Number": "1"}}"#;
        assert_eq!(check.read(odd.as_bytes(), DEPTH), Verdict::Odd);
    }

    /// The root object's keys told apart by a bit per input find the same
    /// keys given twice as their digests sorted do: none, a known key, an
    /// unknown one, the id, inside a list's record.
    #[test]
    fn keys_given_twice_are_found_alike_by_input_and_by_digest() {
        let program = crate::compile(include_str!("../../../specs/liucheng-2024.kh"))
            .program
            .unwrap();
        let index = super::Index::new(&program);
        let e = crate::synth::entities(&program, 3, 1).next().unwrap();
        let good = crate::synth::to_json(&program, &e).to_string();
        let end = |with: &str| format!("{}, {with}}}", good.strip_suffix('}').unwrap());
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&good).unwrap();
        let mut members: Vec<_> = map.into_iter().collect();
        members.reverse();
        let reversed = serde_json::Value::Object(members.iter().cloned().collect()).to_string();
        members.rotate_left(5);
        members.retain(|(k, _)| !k.starts_with('p'));
        let rotated = serde_json::Value::Object(members.into_iter().collect()).to_string();
        let texts = [
            good.clone(),
            end("\"pm25\": 1"),
            end("\"zz\": 1, \"zz\": 2"),
            end("\"zz\": 1"),
            end("\"id\": \"x\""),
            end("\"pm25\": 1, \"zz\": 1, \"zz\": 2, \"id\": 3"),
            end("\"l\": [{\"a\": 1, \"a\": 2}]"),
            // The keys in another order than the entity's before.
            reversed.clone(),
            format!("{}, \"pm25\": 1}}", reversed.strip_suffix('}').unwrap()),
            rotated,
            good.clone(),
        ];
        let (mut by_input, mut by_digest) = (Check::default(), Check::default());
        let mut found = 0;
        for text in &texts {
            let text = text.as_bytes();
            assert_eq!(
                by_input.read_with(text, DEPTH, Some(&index)),
                Verdict::Valid
            );
            assert_eq!(by_digest.read(text, DEPTH), Verdict::Valid);
            assert_eq!(by_input.id, by_digest.id);
            assert_eq!(by_input.twice, by_digest.twice);
            found += by_input.twice.len();
        }
        assert_eq!(found, 8);
    }

    /// The byte-by-byte search `plain_run` stands for.
    fn byte_by_byte(rest: &[u8]) -> Option<usize> {
        rest.iter().position(|&c| super::stops(c))
    }

    /// Each byte that stops a run (and some that do not), at each place of
    /// runs of 0 to 24 bytes of ASCII or CJK: eight bytes at a time finds
    /// the first where byte by byte does, across a word's edge too.
    #[test]
    fn a_runs_end_is_found_eight_bytes_at_a_time_where_byte_by_byte_finds_it() {
        let fills: [&[u8]; 2] = [b"abcdefgh", "中文字".as_bytes()];
        let probes = [
            b'"', b'\\', 0x00, 0x1f, b'\n', 0x20, 0x7f, 0x80, 0xff, b'!', b']',
        ];
        let mut found = 0;
        for fill in fills {
            for len in 0..=24 {
                let run: Vec<u8> = fill.iter().copied().cycle().take(len).collect();
                assert_eq!(super::plain_run(&run), byte_by_byte(&run));
                for at in 0..len {
                    for probe in probes {
                        let mut r = run.clone();
                        r[at] = probe;
                        assert_eq!(super::plain_run(&r), byte_by_byte(&r), "{r:?}");
                        found += usize::from(super::plain_run(&r) == Some(at));
                    }
                }
            }
        }
        assert!(found > 1000, "{found}");
    }

    /// Strings with escapes, control characters, CJK and bad UTF-8 at and
    /// around an eight-byte word's edge get serde_json's verdict.
    #[test]
    fn strings_spoilt_at_a_words_edge_get_serde_jsons_verdict() {
        let spoils: [&[u8]; 9] = [
            b"\\n",
            b"\\u00e9",
            b"\\x",
            b"\t",
            b"\x1f",
            b"\xff",
            b"\xe4\xb8",
            "中".as_bytes(),
            b"\"",
        ];
        for pad in 0..=17 {
            for spoil in spoils {
                let mut text = b"{\"k\": \"".to_vec();
                text.extend(std::iter::repeat_n(b'a', pad));
                text.extend_from_slice(spoil);
                text.extend_from_slice(b"bcdefghij\"}");
                agree(&text);
                agree(&text[..text.len() - 2]);
                // In a document, read in place through buffers of a few
                // bytes too.
                let doc = [b"[".as_slice(), &text, b"]"].concat();
                assert_eq!(prescan_reads(&doc), serde_reads_document(&doc));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Any bytes: eight at a time, the first stop is where byte by byte
        /// finds it.
        #[test]
        fn a_runs_end_is_found_as_byte_by_byte_finds_it(
            run in prop::collection::vec(prop::sample::select(
                b"ab\"\\\x00\x1f \x7f\x80\xe4\xb8\xad\xff".to_vec()), 0..40),
            plain in 0usize..40,
        ) {
            let mut run = run;
            // Mostly plain bytes, so that stops come late too.
            for c in run.iter_mut().take(plain) {
                if super::stops(*c) {
                    *c = b'x';
                }
            }
            prop_assert_eq!(super::plain_run(&run), byte_by_byte(&run));
        }
    }

    /// A document of a few entities, spoilt by a few bytes put in, taken
    /// out or changed.
    fn spoilt() -> impl Strategy<Value = Vec<u8>> {
        let base = r#"[{"id": "a\u00e9", "n": -12.50e+3, "l": [{"x": true, "y": null}, {"x": false, "s": "t\"\\\/\uD83D\uDE00"}], "e": [], "o": {}},
 {"id": 7, "n": 0.5, "m": "中文\n"}]"#
            .as_bytes()
            .to_vec();
        let len = base.len();
        let bytes = prop::sample::select(
            b"{}[]\",:\\ \t\n-+.0123456789eEtrufalsn/bu\x01\x7f\xc3\xa9\xffDd8E".to_vec(),
        );
        let edit = (0..len, 0usize..3, bytes);
        prop::collection::vec(edit, 1..4).prop_map(move |edits| {
            let mut text = base.clone();
            for (at, how, b) in edits {
                let at = at.min(text.len().saturating_sub(1));
                match how {
                    0 => text.insert(at, b),
                    1 if !text.is_empty() => {
                        text.remove(at);
                    }
                    _ => {
                        if let Some(c) = text.get_mut(at) {
                            *c = b;
                        }
                    }
                }
            }
            text
        })
    }

    /// The first reading of a whole document, cut and checked: its
    /// elements read in place in one buffer, or through buffers of a few
    /// bytes (those running past a buffer's end cut, then read whole), and
    /// cut one by one then read a batch at a time on all cores, with one
    /// verdict.
    fn prescan_reads(text: &[u8]) -> bool {
        use super::super::prescan::{Ways, prescan};
        let keys = std::collections::hash_map::RandomState::new();
        let read = |size: usize, ways: Ways| {
            let open = || Ok(std::io::BufReader::with_capacity(size, text));
            prescan(&keys, super::super::Layout::Document, &open, None, ways).is_ok()
        };
        let whole = read(text.len().max(1), Ways::InPlace);
        for size in [1, 7, 64] {
            assert_eq!(read(size, Ways::InPlace), whole, "a buffer of {size}");
        }
        for size in [1, 7, 64, text.len().max(1)] {
            let batched = read(size, Ways::Batched);
            assert_eq!(read(size, Ways::Mixed), whole, "mixed, a buffer of {size}");
            assert_eq!(batched, whole, "batched, a buffer of {size}");
        }
        whole
    }

    /// serde_json's verdict on a whole document (after a byte-order mark).
    fn serde_reads_document(text: &[u8]) -> bool {
        let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
        serde_reads(text)
    }

    #[test]
    fn documents_nested_as_deep_as_serde_json_reads_are_read() {
        for n in 124..=130 {
            for text in [
                format!("[{}{}]", "[".repeat(n), "]".repeat(n)),
                format!("{}{}", "[".repeat(n), "]".repeat(n)),
                format!(
                    "[{{\"id\": \"a\", \"x\": {}1{}}}]",
                    "[".repeat(n),
                    "]".repeat(n)
                ),
            ] {
                let text = text.as_bytes();
                assert_eq!(prescan_reads(text), serde_reads_document(text), "{n}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Cut into entities and each checked, a spoilt document is
        /// refused exactly when serde_json refuses it whole.
        #[test]
        fn spoilt_documents_are_refused_exactly_when_serde_json_refuses_them(text in spoilt()) {
            prop_assert_eq!(prescan_reads(&text), serde_reads_document(&text));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// Read alone, each spoilt text is refused exactly when serde_json
        /// refuses it.
        #[test]
        fn spoilt_texts_are_refused_exactly_when_serde_json_refuses_them(text in spoilt()) {
            let mut check = Check::default();
            let verdict = check.read(&text, DEPTH);
            prop_assert_eq!(verdict == Verdict::Valid, serde_reads(&text));
        }
    }
}
