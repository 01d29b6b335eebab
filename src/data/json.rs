//! JSON data: a document of one entity or an array of them (`.json`), or
//! JSON lines (`.jsonl`, `.ndjson`: one entity a line), read one entity at
//! a time so that memory does not grow with the number of entities.
//!
//! A file is read twice. The first reading (`prescan`) holds one entity's
//! text at a time: it checks that the file is JSON (a document with a
//! syntax error anywhere yields that one error and no entity, as when the
//! document was read whole), notes each entity's id as a 128-bit keyed
//! digest (so that two entities of one id can both be refused, whichever
//! comes first) and every key an object gives twice. The second reading
//! (`Stream`) turns each entity's text into a `serde_json::Value` (numbers
//! kept as their text: exact decimals as written), then into an `Entity`.
//!
//! `Split` cuts the text into entities: the elements of a top-level array,
//! the one top-level value, or the non-blank lines. It knows just enough
//! JSON to find where a value ends (strings, escapes, brackets); serde_json
//! then reads each value, and on any problem of a document the whole file
//! is read by serde_json as before, for its exact message.

use super::{Entity, NoPlaces, Reader};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::Program;
use crate::t;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;
use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::BuildHasher;
use std::io::{self, BufRead};
use std::path::Path;
use std::sync::Arc;

/// How the entities are laid out in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One entity object, or an array of them.
    Document,
    /// One entity object a line; blank lines are skipped.
    Lines,
}

/// Something to read the file's bytes from, again for each reading.
type Open<'a, R> = Box<dyn Fn() -> io::Result<R> + 'a>;

/// The entities of a JSON document (one object or an array of them) that
/// are valid, and a diagnostic for every problem found.
pub fn from_json(program: &Program, text: &str, file: &str) -> (Vec<Entity>, Vec<Diagnostic>) {
    let bytes = text.as_bytes();
    let mut entities = Vec::new();
    let mut diags = Vec::new();
    match stream(program, file, Layout::Document, Box::new(move || Ok(bytes))) {
        Ok(it) => {
            for read in it {
                match read {
                    Ok(e) => entities.push(e),
                    Err(d) => diags.push(d),
                }
            }
        }
        Err(d) => diags.push(d),
    }
    (entities, diags)
}

/// The entities of a JSON or JSON lines file, streamed. A regular file is
/// read twice from disk; anything else (a pipe) is read into memory once.
pub fn open<'a>(
    program: &'a Program,
    path: &Path,
    layout: Layout,
) -> Result<Box<dyn Iterator<Item = Result<Entity, Diagnostic>> + 'a>, Diagnostic> {
    let name = path.display().to_string();
    let cannot = |e: io::Error| {
        Diagnostic::new(
            Code::Io,
            t!("cannot read {name}: {e}", "无法读取 {name}：{e}"),
        )
        .in_file(&name)
    };
    let regular = std::fs::metadata(path).map_err(cannot)?.is_file();
    if regular {
        // Opened once here, so that a file that cannot be read is reported
        // before anything else.
        std::fs::File::open(path).map_err(cannot)?;
        let path = path.to_path_buf();
        let open: Open<'a, _> = Box::new(move || {
            std::fs::File::open(&path).map(|f| io::BufReader::with_capacity(1 << 16, f))
        });
        Ok(Box::new(stream(program, &name, layout, open)?))
    } else {
        let bytes: Arc<[u8]> = std::fs::read(path).map_err(cannot)?.into();
        let open: Open<'a, _> = Box::new(move || Ok(io::Cursor::new(Arc::clone(&bytes))));
        Ok(Box::new(stream(program, &name, layout, open)?))
    }
}

/// The first reading, then a stream of the second.
fn stream<'a, R: BufRead + 'a>(
    program: &'a Program,
    file: &str,
    layout: Layout,
    open: Open<'a, R>,
) -> Result<Stream<'a, R>, Diagnostic> {
    let io_error = |e: io::Error| {
        Diagnostic::new(
            Code::Io,
            t!("cannot read {file}: {e}", "无法读取 {file}：{e}"),
        )
        .in_file(file)
    };
    let keys = (
        std::collections::hash_map::RandomState::new(),
        std::collections::hash_map::RandomState::new(),
    );
    let scan = prescan(&keys, layout, open().map_err(io_error)?);
    let found = match scan {
        Ok(found) => found,
        Err(Whole::Io(e)) => return Err(io_error(e)),
        Err(Whole::Invalid) => return Err(whole(file, open().map_err(io_error)?)),
    };
    let split = Split::new(open().map_err(io_error)?, layout);
    Ok(Stream {
        program,
        file: file.to_string(),
        keys,
        found,
        split,
        buf: Vec::new(),
        pending: VecDeque::new(),
        reported: HashSet::new(),
        done: false,
    })
}

/// What the first reading found.
#[derive(Default)]
struct Found {
    /// Per id digest given by more than one entity: the first one's number
    /// (1-based) and how many.
    twice: HashMap<u128, (usize, usize)>,
    /// Keys an object gives twice, by entity number: each one's path.
    keys_twice: HashMap<usize, Vec<String>>,
}

/// Why a document cannot be read entity by entity.
enum Whole {
    Io(io::Error),
    /// Not valid JSON (or not UTF-8): serde_json reads it whole for the
    /// message, as it did before entities were streamed.
    Invalid,
}

fn digest(keys: &(impl BuildHasher, impl BuildHasher), id: &str) -> u128 {
    (u128::from(keys.0.hash_one(id)) << 64) | u128::from(keys.1.hash_one(id))
}

/// The first reading: every entity's id and the keys given twice; for a
/// document, that it is valid JSON and UTF-8 throughout.
fn prescan<R: BufRead>(
    keys: &(impl BuildHasher, impl BuildHasher),
    layout: Layout,
    reader: R,
) -> Result<Found, Whole> {
    let mut split = Split::new(reader, layout);
    let mut buf = Vec::new();
    let mut ids: Vec<(u128, usize)> = Vec::new();
    let mut found = Found::default();
    let mut scan = Scan::default();
    loop {
        let number = match split.next(&mut buf) {
            Ok(Some(n)) => n,
            Ok(None) => break,
            Err(Cut::Io(e)) => return Err(Whole::Io(e)),
            Err(Cut::Invalid) => return Err(Whole::Invalid),
        };
        let read = std::str::from_utf8(&buf).is_ok() && scan.read(&buf).is_ok();
        if !read {
            match layout {
                // The second reading reports the line.
                Layout::Lines => continue,
                Layout::Document => return Err(Whole::Invalid),
            }
        }
        if let Some(id) = scan.id.take() {
            ids.push((digest(keys, &id), number));
        }
        if !scan.twice.is_empty() {
            found
                .keys_twice
                .insert(number, std::mem::take(&mut scan.twice));
        }
    }
    ids.sort_unstable();
    for pair in ids.windows(2) {
        if let [(a, first), (b, _)] = pair
            && a == b
        {
            found.twice.entry(*a).or_insert((*first, 1)).1 += 1;
        }
    }
    Ok(found)
}

/// A document that is not valid JSON: the message serde_json gives for the
/// whole text, as before entities were streamed (the file is read into
/// memory only here, for a file that fails anyway).
fn whole<R: BufRead>(file: &str, mut reader: R) -> Diagnostic {
    let mut bytes = Vec::new();
    if let Err(e) = reader.read_to_end(&mut bytes) {
        return Diagnostic::new(
            Code::Io,
            t!("cannot read {file}: {e}", "无法读取 {file}：{e}"),
        )
        .in_file(file);
    }
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(e) => return not_utf8(file, e.valid_up_to()),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let e = match serde_json::from_str::<Json>(text) {
        Err(e) => e.to_string(),
        // The cutting found a problem serde_json does not: a document
        // nested deeper than serde_json reads, say.
        Ok(_) => "unexpected text".to_string(),
    };
    not_json(file, &e)
}

fn not_json(file: &str, e: &str) -> Diagnostic {
    Diagnostic::new(
        Code::DataSyntax,
        t!(
            "{file} is not valid JSON: {e}",
            "{file} 不是有效的 JSON：{e}"
        ),
    )
    .with_help(t!(
        "a data file holds one entity object, or an array of them: [{{\"id\": \"…\", …}}]",
        "数据文件应包含一个被考核单位对象，或由它们组成的数组：[{{\"id\": \"…\", …}}]"
    ))
    .in_file(file)
}

fn not_utf8(file: &str, at: usize) -> Diagnostic {
    Diagnostic::new(
        Code::NotUtf8,
        t!(
            "{file} is not UTF-8 text (at byte {})",
            "{file} 不是 UTF-8 编码的文本（第 {} 字节处）",
            at
        ),
    )
    .with_help(t!(
        "save the file as UTF-8 (in most editors: Save As… → Encoding: UTF-8)",
        "请将文件另存为 UTF-8 编码（多数编辑器中：另存为… → 编码：UTF-8）"
    ))
    .in_file(file)
}

/// The second reading: one entity at a time.
pub struct Stream<'a, R> {
    program: &'a Program,
    file: String,
    keys: (
        std::collections::hash_map::RandomState,
        std::collections::hash_map::RandomState,
    ),
    found: Found,
    split: Split<R>,
    buf: Vec<u8>,
    pending: VecDeque<Result<Entity, Diagnostic>>,
    reported: HashSet<String>,
    done: bool,
}

impl<R: BufRead> Iterator for Stream<'_, R> {
    type Item = Result<Entity, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(next) = self.pending.pop_front() {
                return Some(next);
            }
            if self.done {
                return None;
            }
            match self.split.next(&mut self.buf) {
                Ok(Some(number)) => self.entity(number),
                Ok(None) => self.done = true,
                Err(cut) => {
                    self.done = true;
                    let d = match cut {
                        Cut::Io(e) => Diagnostic::new(
                            Code::Io,
                            t!("cannot read {}: {e}", "无法读取 {}：{e}", self.file),
                        )
                        .in_file(&self.file),
                        Cut::Invalid => changed(&self.file),
                    };
                    self.pending.push_back(Err(d));
                }
            }
        }
    }
}

/// The file read the second time is not what the first reading found.
fn changed(file: &str) -> Diagnostic {
    Diagnostic::new(
        Code::DataSyntax,
        t!(
            "{file} changed while it was being read",
            "{file} 在读取过程中被修改"
        ),
    )
    .with_help(t!(
        "run kaohe again once the file is saved",
        "请在文件保存完毕后重新运行 kaohe"
    ))
    .in_file(file)
}

impl<R: BufRead> Stream<'_, R> {
    /// The entity numbered `number` (its position, or its line in JSON
    /// lines), its text in `buf`.
    fn entity(&mut self, number: usize) {
        let lines = self.split.layout == Layout::Lines;
        let text = match std::str::from_utf8(&self.buf) {
            Ok(text) => text,
            Err(e) => {
                let d = if lines {
                    not_utf8(&self.file, self.split.start.saturating_add(e.valid_up_to()))
                } else {
                    self.done = true;
                    changed(&self.file)
                };
                self.pending.push_back(Err(d));
                return;
            }
        };
        let obj: Json = match serde_json::from_str(text) {
            Ok(obj) => obj,
            Err(e) => {
                let d = if lines {
                    line_not_json(&self.file, number, &e)
                } else {
                    self.done = true;
                    changed(&self.file)
                };
                self.pending.push_back(Err(d));
                return;
            }
        };
        let mut reader = Reader {
            program: self.program,
            diags: Vec::new(),
            file: &self.file,
            entity: format!("#{number}"),
            places: &NoPlaces,
            reported: &self.reported,
        };
        let entity = reader.entity(&obj);
        if entity.is_some() {
            for path in self.found.keys_twice.remove(&number).unwrap_or_default() {
                reader.error(
                    Code::DuplicateKey,
                    &path,
                    t!(
                        "given twice in one object; kaohe does not choose between the two values",
                        "在同一对象中出现了两次，kaohe 不在两个取值之间选择"
                    ),
                    Some(t!(
                        "keep one `{path}` in this object and delete the other",
                        "请在该对象中只保留一个“{path}”，删除另一个"
                    )),
                );
            }
        }
        let clean = !reader.diags.iter().any(Diagnostic::is_error);
        let diags = reader.diags;
        self.pending.extend(diags.into_iter().map(Err));
        let Some(entity) = entity else {
            return;
        };
        // Two entries with one id: neither is scored, since either may be
        // the right one.
        let twice = self.found.twice.get(&digest(&self.keys, &entity.id));
        if let Some(&(first, _)) = twice {
            if first != number {
                self.pending.push_back(Err(Diagnostic::new(
                    Code::DuplicateEntity,
                    t!(
                        "entity #{} has the id \"{}\", like entity #{}; neither is scored",
                        "被考核单位 #{} 的 id “{}”与被考核单位 #{} 相同，两者均不计分",
                        number,
                        entity.id,
                        first
                    ),
                )
                .with_help(t!(
                    "give each assessed unit one entry with its own id",
                    "每个被考核单位只填一条，并使用各自的 id"
                ))
                .in_file(&self.file)));
            }
            return;
        }
        if clean {
            self.pending.push_back(Ok(entity));
        }
    }
}

/// A line of a JSON lines file that is not JSON: serde_json's message,
/// its position given in the file's lines.
fn line_not_json(file: &str, line: usize, e: &serde_json::Error) -> Diagnostic {
    let message = e.to_string();
    let what = match message.rsplit_once(" at line ") {
        // Past the line's newline: the line ended too soon.
        Some((what, _)) if e.line() > 1 => format!("{what} at the end of the line"),
        Some((what, _)) => format!("{what} at column {}", e.column()),
        None => message,
    };
    Diagnostic::new(
        Code::DataSyntax,
        t!(
            "{file}, line {line}: not valid JSON: {what}",
            "{file} 第 {line} 行：不是有效的 JSON：{what}"
        ),
    )
    .with_help(t!(
        "a JSON lines file holds one entity object a line: {{\"id\": \"…\", …}}",
        "JSON lines 文件每行包含一个被考核单位对象：{{\"id\": \"…\", …}}"
    ))
    .in_file(file)
}

/// Why the text cannot be cut into entities.
enum Cut {
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

/// The text cut into entities, one at a time.
struct Split<R> {
    reader: R,
    layout: Layout,
    at: At,
    /// Entities cut so far, or lines read in JSON lines.
    number: usize,
    /// Bytes read so far; `start` is where the last entity began.
    offset: usize,
    start: usize,
}

impl<R: BufRead> Split<R> {
    fn new(reader: R, layout: Layout) -> Split<R> {
        Split {
            reader,
            layout,
            at: At::Start,
            number: 0,
            offset: 0,
            start: 0,
        }
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

    /// The next entity's text into `buf`, and its number; `None` after the
    /// last.
    fn next(&mut self, buf: &mut Vec<u8>) -> Result<Option<usize>, Cut> {
        buf.clear();
        if self.layout == Layout::Lines {
            return self.line(buf);
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
                    return Ok(Some(1));
                }
                None => return Err(Cut::Invalid),
            }
        }
        match self.at {
            At::First => match self.skip_space()? {
                Some(b']') => {
                    self.bump();
                    return self.end();
                }
                Some(_) => {}
                None => return Err(Cut::Invalid),
            },
            At::After => match self.skip_space()? {
                Some(b']') => {
                    self.bump();
                    return self.end();
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
        self.value(buf)?;
        self.at = At::After;
        self.number += 1;
        Ok(Some(self.number))
    }

    /// After the closing bracket: nothing but blanks.
    fn end(&mut self) -> Result<Option<usize>, Cut> {
        self.at = At::End;
        match self.skip_space()? {
            None => Ok(None),
            Some(_) => Err(Cut::Invalid),
        }
    }

    /// One value of the array into `buf`: a string, an object or array to
    /// its closing bracket, or anything else up to a delimiter.
    fn value(&mut self, buf: &mut Vec<u8>) -> Result<(), Cut> {
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        loop {
            let chunk = self.reader.fill_buf()?;
            if chunk.is_empty() {
                return Err(Cut::Invalid);
            }
            let mut used = 0;
            let mut done = false;
            for &b in chunk {
                if in_string {
                    used += 1;
                    if escaped {
                        escaped = false;
                    } else if b == b'\\' {
                        escaped = true;
                    } else if b == b'"' {
                        in_string = false;
                        if depth == 0 {
                            done = true;
                            break;
                        }
                    }
                    continue;
                }
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => {
                        depth += 1;
                        if depth > DEEPEST {
                            return Err(Cut::Invalid);
                        }
                    }
                    b'}' | b']' if depth > 0 => {
                        depth -= 1;
                        if depth == 0 {
                            used += 1;
                            done = true;
                            break;
                        }
                    }
                    b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r' if depth == 0 => {
                        done = true;
                        break;
                    }
                    _ => {}
                }
                used += 1;
            }
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
            let n = self.reader.read_until(b'\n', buf)?;
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
}

/// The first reading of one entity's text: its id, and every key an object
/// gives twice, by path. Keys are compared by digest.
#[derive(Default)]
struct Scan {
    id: Option<String>,
    twice: Vec<String>,
    /// The path down to the value being read.
    path: Vec<Step>,
    /// Per depth, the keys of the object open there (digest and where its
    /// text lies in `names`), reused from entity to entity.
    objects: Vec<Object>,
    keys: (
        std::collections::hash_map::RandomState,
        std::collections::hash_map::RandomState,
    ),
}

/// The keys of an object: each one's digest and where its text lies in
/// the names.
type Object = (Vec<(u128, usize, usize)>, String);

#[derive(Clone, Copy)]
enum Step {
    /// A key of the object at this depth: where its text lies in the
    /// object's names.
    Key(usize, usize),
    Index(usize),
}

impl Scan {
    fn read(&mut self, text: &[u8]) -> serde_json::Result<()> {
        self.id = None;
        self.twice.clear();
        self.path.clear();
        let mut de = serde_json::Deserializer::from_slice(text);
        Level(self).deserialize(&mut de)?;
        de.end()
    }

    /// The path to key `name` of the object at the current depth, as
    /// messages write paths: `pm25`, `fires[2].date`.
    fn path_to(&self, name: &str) -> String {
        let mut s = String::new();
        for (depth, step) in self.path.iter().enumerate() {
            match *step {
                Step::Key(from, to) => {
                    if depth > 0 {
                        s.push('.');
                    }
                    let names = self.objects.get(depth).map(|o| o.1.as_str());
                    s.push_str(names.and_then(|n| n.get(from..to)).unwrap_or("?"));
                }
                Step::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        if !s.is_empty() {
            s.push('.');
        }
        s.push_str(name);
        s
    }
}

/// The key under which serde_json (arbitrary_precision) hands a number's
/// digits on.
const NUMBER: &str = "$serde_json::private::Number";

/// A value at the current depth of the scan.
struct Level<'s>(&'s mut Scan);

impl<'de> DeserializeSeed<'de> for Level<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

/// A key, its text kept in the object's names.
struct Key<'s>(&'s mut String);

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for Key<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.0.push_str(v);
        Ok(())
    }
}

impl<'de> Visitor<'de> for Level<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let scan = self.0;
        let mut i = 0;
        loop {
            scan.path.push(Step::Index(i));
            let more = seq.next_element_seed(Level(scan))?.is_some();
            scan.path.pop();
            if !more {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let scan = self.0;
        let depth = scan.path.len();
        if scan.objects.len() <= depth {
            scan.objects.resize_with(depth + 1, Default::default);
        }
        // This depth's key list, taken out while the values are read.
        let mut object = scan
            .objects
            .get_mut(depth)
            .map(std::mem::take)
            .unwrap_or_default();
        object.0.clear();
        object.1.clear();
        loop {
            let from = object.1.len();
            if map.next_key_seed(Key(&mut object.1))?.is_none() {
                break;
            }
            let to = object.1.len();
            let name = object.1.get(from..to).unwrap_or_default();
            if name == NUMBER {
                // A number, as serde_json hands it on with its digits kept.
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let digest = digest(&scan.keys, name);
            if depth == 0 && name == "id" {
                let id: Json = map.next_value()?;
                scan.id = match id {
                    Json::String(s) if !s.trim().is_empty() => Some(s),
                    Json::Number(n) => Some(n.to_string()),
                    _ => None,
                };
            } else {
                // Put back for the value's reading, whose path names it.
                if let Some(slot) = scan.objects.get_mut(depth) {
                    std::mem::swap(slot, &mut object);
                }
                scan.path.push(Step::Key(from, to));
                let read = map.next_value_seed(Level(scan));
                scan.path.pop();
                if let Some(slot) = scan.objects.get_mut(depth) {
                    std::mem::swap(slot, &mut object);
                }
                read?;
            }
            object.0.push((digest, from, to));
        }
        // Keys given twice: sorted by digest, equal ones side by side.
        if object.0.len() > 1 {
            object.0.sort_unstable_by_key(|k| k.0);
            let mut names: Vec<String> = Vec::new();
            let mut reported: Vec<u128> = Vec::new();
            for pair in object.0.windows(2) {
                if let [(a, from, to), (b, _, _)] = pair
                    && a == b
                    && !reported.contains(a)
                {
                    reported.push(*a);
                    names.push(object.1.get(*from..*to).unwrap_or_default().to_string());
                }
            }
            if !names.is_empty() {
                if let Some(slot) = scan.objects.get_mut(depth) {
                    std::mem::swap(slot, &mut object);
                }
                let paths: Vec<String> = names.iter().map(|n| scan.path_to(n)).collect();
                scan.twice.extend(paths);
                if let Some(slot) = scan.objects.get_mut(depth) {
                    std::mem::swap(slot, &mut object);
                }
            }
        }
        if let Some(slot) = scan.objects.get_mut(depth) {
            *slot = object;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::{Layout, Scan, Split};
    use std::io::BufReader;

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

    #[test]
    fn keys_given_twice_are_found_with_their_paths() {
        let mut scan = Scan::default();
        let text = r#"{"id": "甲", "a": 1, "l": [{"x": 1}, {"x": 2, "y": {"z": 1, "z": 2}, "x": 3}], "a": 2.50, "id": 7}"#;
        scan.read(text.as_bytes()).unwrap();
        let mut twice = scan.twice.clone();
        twice.sort();
        assert_eq!(twice, ["a", "id", "l[1].x", "l[1].y.z"]);
        // The id read last, as serde_json's map keeps it.
        assert_eq!(scan.id.as_deref(), Some("7"));
        scan.read(br#"{"id": 12.0, "n": 1e400}"#).unwrap();
        assert!(scan.twice.is_empty());
        assert_eq!(scan.id.as_deref(), Some("12.0"));
        assert!(scan.read(br#"{"id": "x",}"#).is_err());
    }
}
