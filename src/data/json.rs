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
//!
//! - `prescan`: the first reading (ids, keys given twice, valid JSON)
//! - `split`: the text cut into entities
//! - `scan`: one entity's text read for its id and the keys given twice

mod direct;
mod prescan;
mod scan;
mod split;

use super::{Entity, NoPlaces, Reader};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::Program;
use crate::t;
use prescan::{Found, Whole, prescan, whole};
use serde_json::Value as Json;
use split::{Cut, Split};
use std::collections::{HashSet, VecDeque};
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
        direct: direct::Index::new(program),
        buf: Vec::new(),
        pending: VecDeque::new(),
        reported: HashSet::new(),
        done: false,
    })
}

fn digest(keys: &(impl BuildHasher, impl BuildHasher), id: &str) -> u128 {
    (u128::from(keys.0.hash_one(id)) << 64) | u128::from(keys.1.hash_one(id))
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
    /// The inputs by name, for reading an entity's text straight into it.
    direct: direct::Index,
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
        if let Some(entity) = self.direct(number) {
            if !self.shared(number, &entity.id) {
                self.pending.push_back(Ok(entity));
            }
            return;
        }
        let Some(obj) = self.object(number) else {
            return;
        };
        let (entity, diags) = self.read(number, &obj);
        let clean = !diags.iter().any(Diagnostic::is_error);
        self.pending.extend(diags.into_iter().map(Err));
        let Some(entity) = entity else {
            return;
        };
        if self.shared(number, &entity.id) {
            return;
        }
        if clean {
            self.pending.push_back(Ok(entity));
        }
    }

    /// Entity `number` read straight from its text, when it is plainly
    /// right: no problem to tell (`direct`); else `None`, and it is read
    /// the tree's way, which tells every problem as before.
    fn direct(&mut self, number: usize) -> Option<Entity> {
        if self.found.keys_twice.contains_key(&number) {
            return None;
        }
        let mut reader = Reader {
            program: self.program,
            diags: Vec::new(),
            file: &self.file,
            entity: format!("#{number}"),
            places: &NoPlaces,
            reported: &self.reported,
        };
        let (id, values) = self.direct.read(&mut reader, &self.buf)?;
        Some(Entity { id, values })
    }

    /// The JSON value of entity `number`'s text; `None` when it is not
    /// UTF-8 or not JSON (told: in JSON lines, for that line; in a
    /// document, which the first reading found valid, as a file changed).
    fn object(&mut self, number: usize) -> Option<Json> {
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
                return None;
            }
        };
        match serde_json::from_str(text) {
            Ok(obj) => Some(obj),
            Err(e) => {
                let d = if lines {
                    line_not_json(&self.file, number, &e)
                } else {
                    self.done = true;
                    changed(&self.file)
                };
                self.pending.push_back(Err(d));
                None
            }
        }
    }

    /// Entity `number` read from its object, and the problems met: those
    /// of its values, and every key it gives twice.
    fn read(&mut self, number: usize, obj: &Json) -> (Option<Entity>, Vec<Diagnostic>) {
        let mut reader = Reader {
            program: self.program,
            diags: Vec::new(),
            file: &self.file,
            entity: format!("#{number}"),
            places: &NoPlaces,
            reported: &self.reported,
        };
        let entity = reader.entity(obj);
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
        (entity, reader.diags)
    }

    /// Whether entity `number`'s `id` is given by another entity too:
    /// neither is scored, since either may be the right one (told at each
    /// after the first).
    fn shared(&mut self, number: usize, id: &str) -> bool {
        let twice = self.found.twice.get(&digest(&self.keys, id));
        let Some(&(first, _)) = twice else {
            return false;
        };
        if first != number {
            self.pending.push_back(Err(Diagnostic::new(
                Code::DuplicateEntity,
                t!(
                    "entity #{} has the id \"{}\", like entity #{}; neither is scored",
                    "被考核单位 #{} 的 id “{}”与被考核单位 #{} 相同，两者均不计分",
                    number,
                    id,
                    first
                ),
            )
            .with_help(t!(
                "give each assessed unit one entry with its own id",
                "每个被考核单位只填一条，并使用各自的 id"
            ))
            .in_file(&self.file)));
        }
        true
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
