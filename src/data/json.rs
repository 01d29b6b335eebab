//! JSON data: a document of one entity or an array of them (`.json`), or
//! JSON lines (`.jsonl`, `.ndjson`: one entity a line), read one entity at
//! a time so that memory does not grow with the number of entities.
//!
//! A file is read twice. The first reading (`prescan`) holds one entity's
//! text at a time: it checks that the file is JSON (a document with a
//! syntax error anywhere yields that one error and no entity, as when the
//! document was read whole), finds the ids given twice (`ids`: a 64-bit
//! digest an id, those that repeat told apart by their texts read again; so
//! that two entities of one id can both be refused, whichever comes first)
//! and every key an object gives twice. The second reading
//! (`Stream`) reads each entity's text straight into its `Entity` by hand
//! (`direct`; numbers as their text: exact decimals as written), and any
//! entity not plainly right into a `serde_json::Value` first, which tells
//! its problems.
//!
//! `Split` cuts the text into entities: the elements of a top-level array,
//! the one top-level value, or the non-blank lines. It knows just enough
//! JSON to find where a value ends (strings, escapes, brackets); `check`
//! reads each value as serde_json would, and on any problem of a document
//! the whole file is read by serde_json as before, for its exact message.
//! On more than one core, the first reading of a document cuts its
//! elements on the calling thread, which only finds where each ends (a
//! scan of strings and brackets, eight bytes at a time), and sends them in
//! batches to be read on all cores (rayon) while it goes on cutting; while
//! the pool has enough to read, the calling thread reads the next element
//! itself where the reader's buffer holds it, as on one core. JSON lines
//! alike, cut at their newlines (memchr). On one core, `check` reads
//! each element of a document where the reader's buffer holds it, and the
//! element's end is where that reading stops: the text is walked once
//! (only an element running past the buffer is cut, then read).
//!
//! The second reading is in halves (`second`): the calling thread cuts
//! the text into entities (a document's by the lengths the first noted)
//! and any thread reads one entity's text into its `Entity`, with what the
//! first reading found across the file, so that the texts read alike in
//! any order. `cli::score` reads each in the task of the pool that scores
//! it (`halved`, through `data::open_halved`): reading, most of the work,
//! overlaps scoring on the pool instead of taking turns with it, and every
//! entity and problem is told in the order it always was. `Stream`, for
//! `data::open`, reads a batch at a time on all cores while it cuts the
//! next; its batches start at a few entities and double up to 128, so
//! that the pool starts at once.
//!
//! - `prescan`: the first reading (ids, keys given twice, valid JSON)
//! - `ids`: the ids given twice, told with little memory a unit
//! - `split`: the text cut into entities
//! - `second`: the second reading, an entity's text at a time
//! - `check`: one entity's text read by hand for its id and the keys given
//!   twice, and whether it is JSON as serde_json reads it
//! - `scan`: the same through serde's visitors, for the rare text that
//!   serde_json reads its own way

mod check;
mod direct;
mod ids;
mod prescan;
mod scan;
mod second;
mod split;

use super::Entity;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::Program;
use crate::t;
use prescan::{Ways, Whole, prescan, whole};
use second::Pieces;
pub use second::{Done, Halves, Piece, Reads, Stream};
use split::Split;
use std::collections::HashSet;
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
    match halves(program, file, Layout::Document, Box::new(move || Ok(bytes))) {
        Ok(halves) => {
            for read in Stream::new(halves) {
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

/// The entities of a JSON or JSON lines file, streamed ([`halved`]);
/// with `strict`, none read on a guess ([`Done::refusing_guesses`]).
pub fn open<'a>(
    program: &'a Program,
    path: &Path,
    layout: Layout,
    strict: bool,
) -> Result<Box<dyn Iterator<Item = Result<Entity, Diagnostic>> + 'a>, Diagnostic> {
    Ok(Box::new(
        Stream::new(halved(program, path, layout)?).strict(strict),
    ))
}

/// A JSON or JSON lines file read the first time, and its second reading
/// in halves: cut on the calling thread, each entity read on any thread
/// (`second`). A regular file is read twice from disk; anything else (a
/// pipe) is read into memory once.
pub fn halved<'a>(
    program: &'a Program,
    path: &Path,
    layout: Layout,
) -> Result<Halves<'a>, Diagnostic> {
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
        // A document's buffer is 4 MB, so that few of its entities run
        // past its end (each of those is cut, then read whole, `prescan`):
        // some 200 dense units of 20 KB a buffer, the largest ones (up to
        // 280 KB) the likeliest to run past it. JSON lines are cut at their
        // newlines, never read in the buffer: 64 KB.
        let size = match layout {
            Layout::Document => 4 << 20,
            Layout::Lines => 64 << 10,
        };
        let open: Open<'a, _> = Box::new(move || {
            std::fs::File::open(&path).map(|f| io::BufReader::with_capacity(size, f))
        });
        halves(program, &name, layout, open)
    } else {
        let bytes: Arc<[u8]> = std::fs::read(path).map_err(cannot)?.into();
        let open: Open<'a, _> = Box::new(move || Ok(io::Cursor::new(Arc::clone(&bytes))));
        halves(program, &name, layout, open)
    }
}

/// The first reading, then the second in halves (`second`).
fn halves<'a, R: BufRead + 'a>(
    program: &'a Program,
    file: &str,
    layout: Layout,
    open: Open<'a, R>,
) -> Result<Halves<'a>, Diagnostic> {
    let io_error = |e: io::Error| {
        Diagnostic::new(
            Code::Io,
            t!("cannot read {file}: {e}", "无法读取 {file}：{e}"),
        )
        .in_file(file)
    };
    let keys = std::collections::hash_map::RandomState::new();
    let index = direct::Index::new(program);
    let scan = prescan(&keys, layout, &*open, Some(&index), Ways::for_cores());
    let mut found = match scan {
        Ok(found) => found,
        Err(Whole::Io(e)) => return Err(io_error(e)),
        Err(Whole::Invalid) => return Err(whole(file, open().map_err(io_error)?)),
        Err(Whole::Changed) => return Err(changed(file)),
    };
    // The document's entities taken by the lengths the first reading cut,
    // not cut again.
    let cuts = std::mem::take(&mut found.cuts);
    let split = Split::replaying(open().map_err(io_error)?, layout, cuts);
    let pieces = Pieces {
        split,
        file: file.to_string(),
        ended: false,
    };
    let reads = Reads {
        program,
        file: file.to_string(),
        layout,
        found,
        index,
        reported: HashSet::new(),
    };
    Ok(Halves {
        pieces: Box::new(pieces),
        reads,
    })
}

/// The first reading, then a stream of the second.
#[cfg(test)]
fn stream<'a, R: BufRead + 'a>(
    program: &'a Program,
    file: &str,
    layout: Layout,
    open: Open<'a, R>,
) -> Result<Stream<'a>, Diagnostic> {
    halves(program, file, layout, open).map(Stream::new)
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

/// The largest spare text buffer kept: 64 KB, ten times a dense unit's
/// median, so that 128 spares stay under 8 MB however large the largest
/// entities of a file (a dense unit of 282 KB held every spare it came to
/// at that size: 25 MB → 42 MB from 5,000 to 20,000 units).
const SPARE_MAX: usize = 64 << 10;

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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::from_json;
    use crate::diagnostic::{Code, Lang};

    /// Entities are read a batch at a time on all cores: over several
    /// batches, with problems among them, every entity and problem comes
    /// in the order of the file, as when they were read one by one.
    #[test]
    fn entities_read_in_batches_come_in_the_order_of_the_file() {
        let program = crate::compile(include_str!("../../specs/liucheng-2024.kh"))
            .program
            .unwrap();
        let entities: Vec<_> = crate::synth::entities(&program, 11, 400).collect();
        let mut texts: Vec<String> = (entities.iter())
            .map(|e| crate::synth::to_json(&program, e).to_string())
            .collect();
        // An unknown key (read the tree's way, told, still scored), in
        // three batches; a key given twice (not scored); an id given twice,
        // in two batches (neither scored).
        let end = |t: &str, with: &str| format!("{}, {with}}}", t.strip_suffix('}').unwrap());
        for n in [5, 130, 390] {
            texts[n] = end(&texts[n], "\"zz_unknown\": 1");
        }
        texts[200] = end(&texts[200], &format!("\"id\": \"{}\"", entities[200].id));
        texts[300] = texts[300].replacen(&entities[300].id, &entities[7].id, 1);
        let text = format!("[{}]", texts.join(",\n"));
        let (read, diags) = from_json(&program, &text, "t.json");
        let want: Vec<&str> = (entities.iter().enumerate())
            .filter(|(n, _)| ![7, 200, 300].contains(n))
            .map(|(_, e)| e.id.as_str())
            .collect();
        let got: Vec<&str> = read.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(got, want);
        // Each problem names its entity; they come in the file's order.
        let spoilt = [5, 130, 200, 300, 390];
        let mut told = Vec::new();
        for d in &diags {
            let message = d.message.get(Lang::En);
            let n = if d.code == Code::DuplicateEntity {
                assert!(message.contains("entity #301"), "{message}");
                300
            } else {
                let of = |n: &usize| message.contains(&format!("\"{}\"", entities[*n].id));
                *spoilt
                    .iter()
                    .find(|n| of(n))
                    .unwrap_or_else(|| panic!("{message}"))
            };
            if n == 200 {
                assert_eq!(d.code, Code::DuplicateKey, "{message}");
            }
            told.push(n);
        }
        assert!(told.is_sorted(), "{told:?}");
        told.dedup();
        assert_eq!(told, spoilt);
        // Each entity read alone reads as in the document.
        for (n, e) in read.iter().enumerate().take(3) {
            let one = crate::synth::to_json(&program, e).to_string();
            let (alone, none) = from_json(&program, &one, "t.json");
            assert!(none.is_empty(), "{n}");
            assert_eq!(alone, std::slice::from_ref(e));
        }
    }

    /// A document cut short between the two readings, within an element
    /// just before, at and after the ends of the second reading's batches
    /// (which grow, so their ends fall at odd places; the next is cut
    /// while one is read): the entities before it come, in order, then
    /// the file told as changed, then nothing.
    #[test]
    fn a_document_cut_short_between_the_readings_is_told_after_the_entities_before() {
        use super::{Layout, stream};
        let program = crate::compile(include_str!("../../tests/patterns/R2-top-n/spec.kh"))
            .program
            .unwrap();
        let texts: Vec<String> = (0..300)
            .map(|i| {
                format!(
                    r#"{{"id": "u{i:04}", "missed": {}, "incident": false}}"#,
                    i % 5
                )
            })
            .collect();
        let whole = format!("[{}]", texts.join(",\n"));
        for k in [0, 3, 4, 5, 11, 12, 13, 59, 60, 124, 125, 251, 252, 253, 299] {
            // The text up to the middle of element `k`.
            let before: usize = texts[..k].iter().map(|t| t.len() + 2).sum();
            let short = whole[..1 + before + 10].to_string();
            let opened = std::cell::Cell::new(0);
            let open = Box::new(|| {
                opened.set(opened.get() + 1);
                let text = if opened.get() == 1 { &whole } else { &short };
                Ok(text.as_bytes())
            });
            let read: Vec<_> = stream(&program, "t.json", Layout::Document, open)
                .unwrap()
                .collect();
            let ids: Vec<&str> = read
                .iter()
                .map_while(|r| r.as_ref().ok())
                .map(|e| e.id.as_str())
                .collect();
            let want: Vec<String> = (0..k).map(|i| format!("u{i:04}")).collect();
            assert_eq!(ids, want, "cut short in element {k}");
            assert_eq!(read.len(), k + 1, "cut short in element {k}");
            let told = read[k].as_ref().unwrap_err().message.get(Lang::En);
            assert_eq!(told, "t.json changed while it was being read", "{k}");
        }
    }

    /// In a large document (the ids' digests over three chunks), ids
    /// given twice far apart, next to each other, and three times: none
    /// of their entities is scored, and each after the first is told, in
    /// the file's order, in the words it always was.
    #[test]
    fn ids_given_twice_far_apart_in_a_large_file_are_told_in_order() {
        let program = crate::compile(include_str!("../../tests/patterns/R2-top-n/spec.kh"))
            .program
            .unwrap();
        let n = 150_000;
        let id = |i: usize| format!("u{i:04}");
        let mut ids: Vec<String> = (0..n).map(id).collect();
        let again = [(3, n - 2), (69_999, 70_000), (100, 5_000), (100, 140_000)];
        for (first, then) in again {
            ids[then] = ids[first].clone();
        }
        let texts: Vec<String> = (ids.iter().enumerate())
            .map(|(i, id)| {
                format!(
                    r#"{{"id": "{id}", "missed": {}, "incident": false}}"#,
                    i % 7
                )
            })
            .collect();
        let text = format!("[{}]", texts.join(",\n"));
        let (read, diags) = from_json(&program, &text, "t.json");
        let told: Vec<String> = diags
            .iter()
            .map(|d| d.message.get(Lang::En).to_string())
            .collect();
        let like = |n: usize, id: &str, first: usize| {
            format!("entity #{n} has the id \"{id}\", like entity #{first}; neither is scored")
        };
        let want = [
            like(5_001, "u0100", 101),
            like(70_001, "u69999", 70_000),
            like(140_001, "u0100", 101),
            like(n - 1, "u0003", 4),
        ];
        assert_eq!(told, want);
        assert!(diags.iter().all(|d| d.code == Code::DuplicateEntity));
        let shared = [3, 100, 5_000, 69_999, 70_000, 140_000, n - 2];
        let want: Vec<String> = (0..n).filter(|i| !shared.contains(i)).map(id).collect();
        let got: Vec<&str> = read.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(got, want);
    }
}
