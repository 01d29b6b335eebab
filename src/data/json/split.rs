//! The text of a JSON file cut into entities: the elements of a top-level
//! array, the one top-level value, or the non-blank lines of JSON lines.
//! It knows just enough JSON to find where a value ends (strings, escapes,
//! brackets); serde_json reads each value.

use super::Layout;
use std::io::{self, BufRead};

/// Why the text cannot be cut into entities.
pub(super) enum Cut {
    Io(io::Error),
    /// Not JSON as a document of entities is written.
    Invalid,
}

impl From<io::Error> for Cut {
    fn from(e: io::Error) -> Cut {
        Cut::Io(e)
    }
}

/// How deep serde_json reads (its recursion limit): a document nested
/// deeper is read whole, for serde_json's message.
const DEEPEST: usize = 127;

#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    /// Before the first byte (a byte-order mark is skipped there).
    Start,
    /// In a top-level array, before its first element.
    First,
    /// In a top-level array, after an element.
    After,
    /// After the top-level value or array.
    End,
}

/// Where the cutting of one value is: how deep in brackets, in a string
/// or not, after a backslash or not.
#[derive(Default)]
struct State {
    depth: usize,
    in_string: bool,
    escaped: bool,
}

/// Whether a byte matters inside brackets, outside strings: a string's
/// start or a bracket. Everything else (numbers, literals, colons, commas,
/// blanks) is passed over.
fn inside(b: u8) -> bool {
    matches!(b, b'"' | b'{' | b'[' | b'}' | b']')
}

/// Each byte 1 (`ONES * c`: each byte `c`), each byte's top bit, and the
/// bits below it.
const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;
const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// How far ahead a backslash is searched for at a time: far enough that
/// the search is rare, near enough that it is not repeated over a whole
/// buffer for each of its values.
const WINDOW: usize = 4096;

/// The top bit of each byte of `w` that is `c`, exactly (no borrow runs
/// from one byte into the next, so a byte after a match is not taken for
/// one).
fn equal(w: u64, c: u8) -> u64 {
    let t = w ^ (ONES * u64::from(c));
    !(((t & LOW) + LOW) | t) & HIGH
}

impl State {
    /// How many bytes of `chunk` belong to the value, and whether it ends
    /// there. Inside brackets, eight bytes at a time where no backslash is
    /// among them (`words`); elsewhere a byte or a run at a time (`step`).
    fn scan(&mut self, chunk: &[u8]) -> Result<(usize, bool), Cut> {
        self.scan_with(chunk, true)
    }

    /// As [`State::scan`]; `words` false takes every byte by `step` (the
    /// tests' way, which the words are held to).
    fn scan_with(&mut self, chunk: &[u8], words: bool) -> Result<(usize, bool), Cut> {
        let mut i = 0;
        // Where the next backslash is (or the end of the stretch searched,
        // [`WINDOW`] bytes), found by search (memchr): words are taken at
        // once only before it, where no quote is escaped.
        let mut slash = 0;
        while let Some(rest) = chunk.get(i..).filter(|r| !r.is_empty()) {
            if words && self.depth > 0 && !self.escaped {
                if slash <= i {
                    let window = rest.get(..WINDOW).unwrap_or(rest);
                    slash = i + memchr::memchr(b'\\', window).unwrap_or(window.len());
                }
                let plain = rest.get(..slash - i).unwrap_or_default();
                if plain.len() >= 8 {
                    match self.words(plain)? {
                        (used, false) => i += used,
                        (used, true) => return Ok((i + used, true)),
                    }
                    continue;
                }
            }
            match self.step(rest)? {
                (used, false) => i += used,
                (used, true) => return Ok((i + used, true)),
            }
        }
        Ok((chunk.len(), false))
    }

    /// `plain` (inside brackets, no backslash in it) taken eight bytes at
    /// a time, up to its last whole eight: the quotes say which bytes are
    /// in a string (a running parity: a byte is in one when an odd number
    /// of quotes, its own included, come before it in the word, or an
    /// even number in a word that began in one); the brackets outside
    /// strings then move the depth. How many bytes were taken, and
    /// whether the value ends with them.
    fn words(&mut self, plain: &[u8]) -> Result<(usize, bool), Cut> {
        let mut carry = if self.in_string { HIGH } else { 0 };
        let mut taken = 0;
        for eight in plain.chunks_exact(8) {
            let Ok(eight) = <[u8; 8]>::try_from(eight) else {
                break;
            };
            let w = u64::from_le_bytes(eight);
            let mut within = equal(w, b'"');
            within ^= within << 8;
            within ^= within << 16;
            within ^= within << 32;
            within ^= carry;
            carry = ((within as i64) >> 63) as u64 & HIGH;
            let outside = !((within >> 7) * 0xff);
            // `[ ] { }` and a few letters (`Y y _`, DEL) are the bytes that
            // are all ones but for 0x26: a word of none outside strings,
            // the most, is passed over by this one test.
            if equal(w | (ONES * 0x26), 0x7f) & outside != 0 {
                self.in_string = carry != 0;
                // `[` and `{`, `]` and `}` differ only in the bit 0x20.
                let folded = w | (ONES * 0x20);
                let opens = equal(folded, b'{') & outside;
                let closes = equal(folded, b'}') & outside;
                if let Some(end) = self.brackets(opens, closes)? {
                    self.in_string = false;
                    return Ok((taken + end, true));
                }
            }
            taken += 8;
        }
        self.in_string = carry != 0;
        Ok((taken, false))
    }

    /// The brackets of a word (`opens`, `closes`: a byte's top bit each)
    /// counted: at once when the depth cannot come to 0 nor pass
    /// [`DEEPEST`] among them, else one by one in their order. The depth
    /// cannot come to 0 when it is above the word's closes, whatever their
    /// order: in a dense unit a record's `}, {` at depth 3 is counted at
    /// once, only the element's own last `}` one by one.
    fn brackets(&mut self, opens: u64, closes: u64) -> Result<Option<usize>, Cut> {
        let deepest = self.depth + opens.count_ones() as usize;
        let shallowest = self.depth.checked_sub(closes.count_ones() as usize);
        if let Some(1..) = shallowest
            && deepest <= DEEPEST
        {
            self.depth = deepest - closes.count_ones() as usize;
            return Ok(None);
        }
        let mut marks = opens | closes;
        while marks != 0 {
            let bit = marks & marks.wrapping_neg();
            marks ^= bit;
            if opens & bit != 0 {
                self.depth += 1;
                if self.depth > DEEPEST {
                    return Err(Cut::Invalid);
                }
                continue;
            }
            self.depth -= 1;
            if self.depth == 0 {
                return Ok(Some(bit.trailing_zeros() as usize / 8 + 1));
            }
        }
        Ok(None)
    }

    /// The bytes at the start of `rest` taken by the first case that
    /// applies: in a string, to its next quote or backslash by search
    /// (memchr); inside brackets, to the next quote or bracket by one test
    /// a byte; else one byte. How many were taken, and whether the value
    /// ends with them.
    fn step(&mut self, rest: &[u8]) -> Result<(usize, bool), Cut> {
        if self.in_string {
            if self.escaped {
                self.escaped = false;
                return Ok((1, false));
            }
            let Some(p) = memchr::memchr2(b'"', b'\\', rest) else {
                return Ok((rest.len(), false));
            };
            if rest.get(p) == Some(&b'\\') {
                self.escaped = true;
            } else {
                self.in_string = false;
                return Ok((p + 1, self.depth == 0));
            }
            return Ok((p + 1, false));
        }
        let mut i = 0;
        if self.depth > 0 {
            // Past what does not matter inside brackets.
            let Some(p) = rest.iter().position(|&b| inside(b)) else {
                return Ok((rest.len(), false));
            };
            i = p;
        }
        let Some(&b) = rest.get(i) else {
            return Ok((rest.len(), false));
        };
        match b {
            b'"' => self.in_string = true,
            b'{' | b'[' => {
                self.depth += 1;
                if self.depth > DEEPEST {
                    return Err(Cut::Invalid);
                }
            }
            b'}' | b']' if self.depth > 0 => {
                self.depth -= 1;
                if self.depth == 0 {
                    return Ok((i + 1, true));
                }
            }
            b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r' if self.depth == 0 => {
                return Ok((i, true));
            }
            _ => {}
        }
        Ok((i + 1, false))
    }
}

/// The lengths of a document's entities as the first reading cut them,
/// so that the second reading takes each by its length instead of cutting
/// the text again: one LEB128 number each (3 bytes a dense unit of ~20 KB,
/// 3 MB at 1,000,000 units), read back in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Cuts {
    bytes: Vec<u8>,
    /// Where the next length is read from.
    next: usize,
}

impl Cuts {
    fn push(&mut self, mut n: usize) {
        while n >= 0x80 {
            self.bytes.push((n & 0x7f) as u8 | 0x80);
            n >>= 7;
        }
        self.bytes.push(n as u8);
    }

    /// The next length; `None` after the last.
    fn pop(&mut self) -> Option<usize> {
        let mut n = 0usize;
        let mut shift = 0u32;
        loop {
            let b = *self.bytes.get(self.next)?;
            self.next += 1;
            n |= usize::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                return Some(n);
            }
            shift += 7;
        }
    }
}

/// The text cut into entities, one at a time.
pub(super) struct Split<R> {
    reader: R,
    pub(super) layout: Layout,
    at: At,
    /// The lengths of the document's entities: noted as they are cut (the
    /// first reading), or taken from the first reading (the second).
    record: Option<Cuts>,
    replay: Option<Cuts>,
    /// Entities cut so far, or lines read in JSON lines.
    number: usize,
    /// Bytes read so far; `start` is where the last entity began.
    offset: usize,
    pub(super) start: usize,
}

impl<R: BufRead> Split<R> {
    pub(super) fn new(reader: R, layout: Layout) -> Split<R> {
        Split {
            reader,
            layout,
            at: At::Start,
            record: None,
            replay: None,
            number: 0,
            offset: 0,
            start: 0,
        }
    }

    /// A split that notes the lengths of the document's entities as it
    /// cuts them (taken by [`Split::cuts`]).
    pub(super) fn recording(reader: R, layout: Layout) -> Split<R> {
        let mut split = Split::new(reader, layout);
        split.record = Some(Cuts::default());
        split
    }

    /// A split that takes the document's entities by the lengths `cuts`
    /// noted by the first reading, instead of cutting the text again.
    pub(super) fn replaying(reader: R, layout: Layout, cuts: Cuts) -> Split<R> {
        let mut split = Split::new(reader, layout);
        split.replay = Some(cuts);
        split
    }

    /// The lengths noted so far.
    pub(super) fn cuts(&mut self) -> Cuts {
        self.record.take().unwrap_or_default()
    }

    fn bump(&mut self) {
        self.reader.consume(1);
        self.offset += 1;
    }

    fn skip_bom(&mut self) -> io::Result<()> {
        let buf = self.reader.fill_buf()?;
        if buf.starts_with(b"\xEF\xBB\xBF") {
            self.reader.consume(3);
            self.offset += 3;
        } else if buf.len() < 3 && buf.first() == Some(&0xEF) {
            // A mark split over two reads (a reader of tiny buffers).
            let mut head = [0u8; 3];
            let mut got = 0;
            while got < 3 {
                let n = self.reader.read(head.get_mut(got..).unwrap_or_default())?;
                if n == 0 {
                    break;
                }
                got += n;
            }
            self.offset += got;
            if head.get(..got) != Some(b"\xEF\xBB\xBF".as_slice()) {
                return Err(io::Error::other("not a byte-order mark"));
            }
        }
        Ok(())
    }

    fn skip_space(&mut self) -> io::Result<Option<u8>> {
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Ok(None);
            }
            let blank = buf
                .iter()
                .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                .count();
            let whole = blank == buf.len();
            let next = buf.get(blank).copied();
            self.reader.consume(blank);
            self.offset += blank;
            if !whole {
                return Ok(next);
            }
        }
    }

    /// How deep serde_json may still read where the last entity cut
    /// stands: one less in the document's array, which counts as one.
    pub(super) fn depth(&self) -> usize {
        let in_array = self.layout == Layout::Document && self.at == At::After;
        if in_array {
            super::check::DEPTH - 1
        } else {
            super::check::DEPTH
        }
    }

    /// The next entity's text into `buf`, and its number; `None` after the
    /// last.
    pub(super) fn next(&mut self, buf: &mut Vec<u8>) -> Result<Option<usize>, Cut> {
        let next = self.next_with(buf, &mut |_| None)?;
        Ok(next.map(|(number, _)| number))
    }

    /// The next entity and its number, as [`Split::next`]; an element of
    /// the document's array is first offered to `in_place` in the reader's
    /// buffer, which reads it there and gives its length (then it is not
    /// cut nor copied into `buf`: `true`), or `None` (then it is cut into
    /// `buf` as by `next`: `false`).
    pub(super) fn next_with(
        &mut self,
        buf: &mut Vec<u8>,
        in_place: &mut dyn FnMut(&[u8]) -> Option<usize>,
    ) -> Result<Option<(usize, bool)>, Cut> {
        buf.clear();
        if self.layout == Layout::Lines {
            return Ok(self.line(buf)?.map(|number| (number, false)));
        }
        if self.at == At::Start {
            self.skip_bom().map_err(|_| Cut::Invalid)?;
            match self.skip_space()? {
                Some(b'[') => {
                    self.bump();
                    self.at = At::First;
                }
                Some(_) => {
                    // One entity: the rest of the text.
                    self.at = At::End;
                    self.start = self.offset;
                    self.offset += self.reader.read_to_end(buf)?;
                    self.number = 1;
                    return Ok(Some((1, false)));
                }
                None => return Err(Cut::Invalid),
            }
        }
        match self.at {
            At::First => match self.skip_space()? {
                Some(b']') => {
                    self.bump();
                    self.end()?;
                    return Ok(None);
                }
                Some(_) => {}
                None => return Err(Cut::Invalid),
            },
            At::After => match self.skip_space()? {
                Some(b']') => {
                    self.bump();
                    self.end()?;
                    return Ok(None);
                }
                Some(b',') => {
                    self.bump();
                    match self.skip_space()? {
                        Some(b']') | None => return Err(Cut::Invalid),
                        Some(_) => {}
                    }
                }
                _ => return Err(Cut::Invalid),
            },
            At::End | At::Start => return Ok(None),
        }
        self.start = self.offset;
        let (len, placed) = match self.replay.as_mut().and_then(Cuts::pop) {
            Some(len) => {
                self.take(buf, len)?;
                (len, false)
            }
            None => self.place(buf, in_place)?,
        };
        if let Some(cuts) = self.record.as_mut() {
            cuts.push(len);
        }
        self.at = At::After;
        self.number += 1;
        Ok(Some((self.number, placed)))
    }

    /// One value of the array read in the reader's buffer by `in_place`
    /// (its length, `true`), else cut into `buf` (`false`).
    fn place(
        &mut self,
        buf: &mut Vec<u8>,
        in_place: &mut dyn FnMut(&[u8]) -> Option<usize>,
    ) -> Result<(usize, bool), Cut> {
        let chunk = self.reader.fill_buf()?;
        let read = in_place(chunk).filter(|&len| len > 0 && len <= chunk.len());
        if let Some(len) = read {
            self.reader.consume(len);
            self.offset += len;
            return Ok((len, true));
        }
        self.value(buf)?;
        Ok((buf.len(), false))
    }

    /// The next `len` bytes into `buf`: an entity the first reading cut
    /// (the text ending sooner is a file changed since).
    fn take(&mut self, buf: &mut Vec<u8>, len: usize) -> Result<(), Cut> {
        buf.reserve(len);
        let mut left = len;
        while left > 0 {
            let chunk = self.reader.fill_buf()?;
            if chunk.is_empty() {
                return Err(Cut::Invalid);
            }
            let used = left.min(chunk.len());
            buf.extend_from_slice(chunk.get(..used).unwrap_or_default());
            self.reader.consume(used);
            left -= used;
        }
        self.offset += len;
        Ok(())
    }

    /// After the closing bracket: nothing but blanks.
    fn end(&mut self) -> Result<(), Cut> {
        self.at = At::End;
        match self.skip_space()? {
            None => Ok(()),
            Some(_) => Err(Cut::Invalid),
        }
    }

    /// One value of the array into `buf`: a string, an object or array to
    /// its closing bracket, or anything else up to a delimiter.
    fn value(&mut self, buf: &mut Vec<u8>) -> Result<(), Cut> {
        let mut state = State::default();
        loop {
            let chunk = self.reader.fill_buf()?;
            if chunk.is_empty() {
                return Err(Cut::Invalid);
            }
            let (used, done) = state.scan(chunk)?;
            buf.extend_from_slice(chunk.get(..used).unwrap_or_default());
            self.reader.consume(used);
            self.offset += used;
            if done {
                // A delimiter where a value should be: `[1,,2]`.
                return if buf.is_empty() {
                    Err(Cut::Invalid)
                } else {
                    Ok(())
                };
            }
        }
    }

    /// The next non-blank line into `buf`, and its line number.
    fn line(&mut self, buf: &mut Vec<u8>) -> Result<Option<usize>, Cut> {
        loop {
            if self.at == At::Start {
                self.skip_bom()?;
                self.at = At::After;
            }
            self.start = self.offset;
            let n = self.until_newline(buf)?;
            if n == 0 {
                return Ok(None);
            }
            self.offset += n;
            self.number += 1;
            if buf
                .iter()
                .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            {
                buf.clear();
                continue;
            }
            return Ok(Some(self.number));
        }
    }

    /// The bytes up to the next newline (with it) or the text's end,
    /// appended to `buf`; how many. As `BufRead::read_until`, but the
    /// newline is found by `memchr` (vector instructions where the CPU has
    /// them): the standard library's search, a word at a time, took a
    /// quarter of the calling thread's instructions on JSON lines.
    fn until_newline(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
        let mut read = 0;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let (used, done) = match memchr::memchr(b'\n', chunk) {
                Some(at) => (at + 1, true),
                None => (chunk.len(), chunk.is_empty()),
            };
            buf.extend_from_slice(chunk.get(..used).unwrap_or_default());
            self.reader.consume(used);
            read += used;
            if done {
                return Ok(read);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::{Layout, Split, State};
    use proptest::prelude::*;
    use std::io::{BufRead, BufReader};

    /// Where the value `text` begins with ends, scanned through chunks of
    /// `size` bytes, eight at a time where it can (`words`) or byte by
    /// byte: its length, `None` if it does not end, `Err` at a fault.
    fn end(text: &[u8], size: usize, words: bool) -> Result<Option<usize>, ()> {
        let mut state = State::default();
        let mut at = 0;
        for chunk in text.chunks(size) {
            match state.scan_with(chunk, words) {
                Err(_) => return Err(()),
                Ok((used, true)) => return Ok(Some(at + used)),
                Ok((used, false)) => at += used,
            }
        }
        Ok(None)
    }

    /// Bytes that move the scan, and some that do not (a letter, a digit,
    /// a blank, a comma, a byte of a Chinese character).
    fn jsonish() -> impl Strategy<Value = Vec<u8>> {
        let bytes = b"{}[]\"\\\\a1 ,\xe4".to_vec();
        let body = prop::collection::vec(prop::sample::select(bytes), 0..160);
        (prop::sample::select(b"{[\"1".to_vec()), body).prop_map(|(first, mut body)| {
            body.insert(0, first);
            body
        })
    }

    /// An escaped quote, a backslash escaped, brackets and braces in
    /// strings, a value nested deeper than serde_json reads: at every
    /// place within a word of eight bytes (the padding before them), the
    /// words find the end the bytes find.
    #[test]
    fn values_end_where_they_end_byte_by_byte_whatever_their_place() {
        let deep = format!("[{}{}]", "[".repeat(130), "]".repeat(130));
        let texts = [
            r#"{"id": "q\"", "s": "}"}, {"#,
            r#"{"id": "b}", "s": "\\"} ]"#,
            r#"{"a": ["]", "{", {"x": "\"}]"}], "b": "\\\""} x"#,
            r#"["[", "\\\\", [[[]]], "]"]]"#,
            deep.as_str(),
            r#"{"unterminated": "\"}"#,
        ];
        for text in texts {
            for pad in 0..16 {
                let padded = format!("{{{}: {text}}}", " ".repeat(pad));
                for t in [text.as_bytes(), padded.as_bytes()] {
                    for size in [1, 3, 8, 9, 17, t.len()] {
                        let want = end(t, size, false);
                        assert_eq!(end(t, size, true), want, "{text}, {pad}, {size}");
                    }
                }
            }
        }
        assert_eq!(end(texts[0].as_bytes(), 64, true), Ok(Some(23)));
        assert_eq!(end(deep.as_bytes(), 64, true), Err(()));
        assert_eq!(end(texts[5].as_bytes(), 64, true), Ok(None));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// Taken eight bytes at a time, a value ends where it ends byte by
        /// byte (or runs on, or is too deep, alike), through any chunks.
        #[test]
        fn words_end_a_value_where_bytes_do(text in jsonish(), size in 1usize..40) {
            // As made, and without its backslashes (so that long runs of
            // words are taken at once).
            let mut plain = text.clone();
            plain.retain(|&b| b != b'\\');
            for text in [text, plain] {
                let want = end(&text, text.len().max(1), false);
                prop_assert_eq!(end(&text, size, false), want);
                prop_assert_eq!(end(&text, size, true), want);
            }
        }
    }

    /// The texts `Split` cuts out, read through a buffer of `size` bytes.
    fn cut(text: &str, layout: Layout, size: usize) -> Option<Vec<(usize, String)>> {
        let mut split = Split::new(BufReader::with_capacity(size, text.as_bytes()), layout);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        loop {
            match split.next(&mut buf) {
                Ok(Some(n)) => out.push((n, String::from_utf8(buf.clone()).unwrap())),
                Ok(None) => return Some(out),
                Err(_) => return None,
            }
        }
    }

    #[test]
    fn arrays_are_cut_into_their_elements_at_any_buffer_size() {
        let text = "\u{feff} [ {\"id\": \"a\\\"]\", \"l\": [1, {\"x\": \"}\"}]},\n\t\"s\" ,12.50 ,[],{} , true,null ]\r\n";
        let want = [
            "{\"id\": \"a\\\"]\", \"l\": [1, {\"x\": \"}\"}]}",
            "\"s\"",
            "12.50",
            "[]",
            "{}",
            "true",
            "null",
        ];
        for size in [1, 2, 3, 5, 64, 4096] {
            let got = cut(text, Layout::Document, size).unwrap();
            let texts: Vec<&str> = got.iter().map(|(_, t)| t.as_str()).collect();
            assert_eq!(texts, want, "buffer of {size}");
            assert_eq!(got.last().unwrap().0, 7);
        }
        assert_eq!(cut("[]", Layout::Document, 1), Some(vec![]));
        assert_eq!(
            cut(" {\"id\": 1} ", Layout::Document, 2),
            Some(vec![(1, "{\"id\": 1} ".into())])
        );
    }

    /// The texts cut by a split that notes their lengths, then taken by
    /// those lengths from `again` (the file read the second time).
    fn replayed(text: &str, again: &str, size: usize) -> (Vec<String>, Option<Vec<String>>) {
        let mut first = Split::recording(
            BufReader::with_capacity(size, text.as_bytes()),
            Layout::Document,
        );
        let mut buf = Vec::new();
        let mut cut = Vec::new();
        while let Ok(Some(_)) = first.next(&mut buf) {
            cut.push(String::from_utf8(buf.clone()).unwrap());
        }
        let cuts = first.cuts();
        let mut second = Split::replaying(
            BufReader::with_capacity(size, again.as_bytes()),
            Layout::Document,
            cuts,
        );
        let mut taken = Vec::new();
        loop {
            match second.next(&mut buf) {
                Ok(Some(_)) => taken.push(String::from_utf8_lossy(&buf).into_owned()),
                Ok(None) => return (cut, Some(taken)),
                Err(_) => return (cut, None),
            }
        }
    }

    #[test]
    fn the_second_reading_takes_the_entities_by_the_lengths_first_cut() {
        let long = format!("{{\"id\": \"{}\"}}", "x".repeat(70_000));
        let text = format!(
            " [ {{\"id\": \"a\\\"]\"}},\n\t\"s\" ,12.50 ,[],{{}} , {long}, true,null ]\r\n"
        );
        for size in [1, 2, 3, 5, 64, 4096] {
            let (cut, taken) = replayed(&text, &text, size);
            assert_eq!(cut.len(), 8, "buffer of {size}");
            assert_eq!(cut[5], long);
            assert_eq!(taken, Some(cut), "buffer of {size}");
        }
        // A file changed between the readings: shorter, longer, or its
        // elements moved, is never read past its end or cut wrongly
        // without a fault to tell.
        let (_, taken) = replayed("[1, 2, 3]", "[1, 2]", 4);
        assert_eq!(taken, Some(vec!["1".into(), "2".into()]));
        let (_, taken) = replayed("[1, 23]", "[1, 2", 4);
        assert_eq!(taken, None);
        let (_, taken) = replayed("[1, 2, 3]", "[1, 2, 3, 4]", 4);
        assert_eq!(
            taken,
            Some(vec!["1".into(), "2".into(), "3".into(), "4".into()])
        );
        let (_, taken) = replayed("[12, 3]", "[1, 23]", 4);
        assert_eq!(taken, None);
        // One value, not an array: the rest of the text, as cut.
        let (cut, taken) = replayed(" {\"id\": 1} ", " {\"id\": 1} ", 2);
        assert_eq!(taken, Some(cut));
    }

    #[test]
    fn what_is_not_an_array_of_values_is_not_cut() {
        for text in [
            "",
            "  ",
            "[",
            "[1,]",
            "[1 2]",
            "[1,,2]",
            "[,1]",
            "[1] x",
            "[{\"a\": 1]",
            "[\"x]",
            "\u{feff}",
        ] {
            for size in [1, 3, 64] {
                assert_eq!(cut(text, Layout::Document, size), None, "{text:?}");
            }
        }
        let deep = format!("[{}{}]", "[".repeat(200), "]".repeat(200));
        assert_eq!(cut(&deep, Layout::Document, 64), None);
    }

    #[test]
    fn lines_are_cut_with_their_numbers_blank_ones_skipped() {
        let text = "\u{feff}{\"id\": 1}\r\n\r\n  \n{\"id\": 2}\n{\"id\": 3}";
        for size in [1, 2, 64] {
            let got = cut(text, Layout::Lines, size).unwrap();
            let numbers: Vec<usize> = got.iter().map(|(n, _)| *n).collect();
            assert_eq!(numbers, [1, 4, 5], "buffer of {size}");
            assert_eq!(got[0].1, "{\"id\": 1}\r\n");
        }
    }

    /// The non-blank lines of `text` and their numbers, found byte by
    /// byte: what the cut finds by `memchr` must be.
    fn lines_byte_by_byte(text: &[u8]) -> Vec<(usize, Vec<u8>)> {
        let (mut out, mut line, mut number) = (Vec::new(), Vec::new(), 0);
        for (i, &b) in text.iter().enumerate() {
            line.push(b);
            if b == b'\n' || i + 1 == text.len() {
                number += 1;
                let blank = line.iter().all(|b| b" \t\r\n".contains(b));
                if !blank {
                    out.push((number, line.clone()));
                }
                line.clear();
            }
        }
        out
    }

    /// A reader that is interrupted at every other fill, as a read cut
    /// short by a signal is: the cut tries again.
    struct Interrupted<R> {
        inner: R,
        now: bool,
    }

    impl<R: std::io::Read> std::io::Read for Interrupted<R> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.inner.read(buf)
        }
    }

    impl<R: BufRead> BufRead for Interrupted<R> {
        fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
            self.now = !self.now;
            if self.now {
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            self.inner.fill_buf()
        }
        fn consume(&mut self, n: usize) {
            self.inner.consume(n);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// Lines end where a walk byte by byte ends them, whatever the
        /// buffer's size and wherever a newline falls in it (no byte-order
        /// mark: the cut skips one at the start).
        #[test]
        fn lines_end_where_bytes_do(
            text in proptest::collection::vec(
                prop_oneof![Just(b'\n'), Just(b'\r'), Just(b' '), Just(b'x'), any::<u8>()],
                0..300,
            ).prop_filter("no byte-order mark", |t| !t.starts_with(b"\xEF")),
            size in 1usize..40,
        ) {
            let want = lines_byte_by_byte(&text);
            let reader = Interrupted {
                inner: BufReader::with_capacity(size, text.as_slice()),
                // The first fill (the byte-order mark's) goes through.
                now: true,
            };
            let mut split = Split::new(reader, Layout::Lines);
            let (mut got, mut buf) = (Vec::new(), Vec::new());
            while let Ok(Some(n)) = split.next(&mut buf) {
                got.push((n, buf.clone()));
            }
            prop_assert_eq!(got, want);
        }
    }
}
