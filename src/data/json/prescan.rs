//! The first reading of a JSON file: the ids given twice (`ids`) and the
//! keys an object gives twice; for a document, that it is valid JSON and
//! UTF-8 throughout, else serde_json's message for the whole text.

use super::check::{Check, DEPTH, Verdict};
use super::direct::Index;
use super::ids::Ids;
use super::scan::Scan;
use super::split::{Cut, Cuts, Split};
use super::{Layout, not_json, not_utf8};
use crate::diagnostic::{Code, Diagnostic};
use crate::t;
use rayon::prelude::*;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::io::{self, BufRead};

/// What the first reading found.
#[derive(Default)]
pub(super) struct Found {
    /// Each id given by more than one entity: the first one's number
    /// (1-based).
    pub(super) twice: HashMap<String, usize>,
    /// Keys an object gives twice, by entity number: each one's path.
    pub(super) keys_twice: HashMap<usize, Vec<String>>,
    /// The lengths of a document's entities as cut here, for the second
    /// reading to take them by instead of cutting again.
    pub(super) cuts: Cuts,
}

/// Why a document cannot be read entity by entity.
#[derive(Debug)]
pub(super) enum Whole {
    Io(io::Error),
    /// Not valid JSON (or not UTF-8): serde_json reads it whole for the
    /// message, as it did before entities were streamed.
    Invalid,
    /// Read again for the ids given twice, the file is not what it was.
    Changed,
}

/// How many lines are cut, then checked at once on all cores.
const BATCH: usize = 128;

/// What the first reading found in one entity's text: whether it is JSON
/// (and UTF-8), its id, and the keys it gives twice.
pub(super) type Checked = (bool, Option<String>, Vec<String>);

/// The first reading: every entity's id and the keys given twice; for a
/// document, that it is valid JSON and UTF-8 throughout.
/// `open` gives the file from its start; it is read again, for the ids
/// given twice, only when a digest of the ids repeats (`ids`).
pub(super) fn prescan<R: BufRead>(
    keys: &impl BuildHasher,
    layout: Layout,
    open: &dyn Fn() -> io::Result<R>,
    index: Option<&Index>,
) -> Result<Found, Whole> {
    let mut split = Split::recording(open().map_err(Whole::Io)?, layout);
    let mut first = First {
        keys,
        layout,
        ids: Ids::default(),
        found: Found::default(),
    };
    match layout {
        Layout::Lines => lines(&mut split, &mut first, index)?,
        Layout::Document => document(&mut split, &mut first, index)?,
    }
    let First {
        mut ids, mut found, ..
    } = first;
    found.cuts = split.cuts();
    let repeated = ids.repeated();
    if !repeated.is_empty() {
        let again = open().map_err(Whole::Io)?;
        let split = Split::replaying(again, layout, found.cuts.clone());
        found.twice = ids.twice(&repeated, keys, split, index)?;
    }
    Ok(found)
}

/// What the first reading has found so far.
struct First<'k, K> {
    keys: &'k K,
    layout: Layout,
    ids: Ids,
    found: Found,
}

impl<K: BuildHasher> First<'_, K> {
    /// What entity `number`'s text was found to be, noted; a document
    /// that is not JSON ends the reading.
    fn note(&mut self, number: usize, (read, id, twice): Checked) -> Result<(), Whole> {
        if !read {
            self.ids.push(None);
            return match self.layout {
                // The second reading reports the line.
                Layout::Lines => Ok(()),
                Layout::Document => Err(Whole::Invalid),
            };
        }
        self.ids.push(id.map(|id| self.keys.hash_one(id)));
        if !twice.is_empty() {
            self.found.keys_twice.insert(number, twice);
        }
        Ok(())
    }
}

/// The cut's fault as the first reading tells it.
fn fault(cut: Cut) -> Whole {
    match cut {
        Cut::Io(e) => Whole::Io(e),
        Cut::Invalid => Whole::Invalid,
    }
}

/// A document's entities, each read where the reader's buffer holds it
/// (`Check::element`), in the one walk over its bytes that finds where it
/// ends: the text is not cut by a pass of its own. An element that runs
/// past the buffer, or is not plainly right, is cut and read whole as
/// before (`Check::read_with`). This runs on the calling thread.
fn document<R: BufRead, K: BuildHasher>(
    split: &mut Split<R>,
    first: &mut First<'_, K>,
    index: Option<&Index>,
) -> Result<(), Whole> {
    let mut check = Check::default();
    let mut buf = Vec::new();
    loop {
        let mut placed = None;
        let next = split.next_with(&mut buf, &mut |chunk| {
            let (verdict, len) = check.element(chunk, DEPTH - 1, index)?;
            placed = Some(outcome(&mut check, verdict, chunk.get(..len)?));
            Some(len)
        });
        let Some((number, _)) = next.map_err(fault)? else {
            return Ok(());
        };
        let checked = match placed {
            Some(checked) => checked,
            None => read(&mut check, &buf, split.depth(), index),
        };
        first.note(number, checked)?;
    }
}

/// JSON lines: cut at their newlines (memchr), [`BATCH`] at a time, and
/// read on all cores (rayon), then noted in their order.
fn lines<R: BufRead, K: BuildHasher>(
    split: &mut Split<R>,
    first: &mut First<'_, K>,
    index: Option<&Index>,
) -> Result<(), Whole> {
    let mut texts: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut spare: Vec<Vec<u8>> = Vec::new();
    let mut end = None;
    while end.is_none() {
        while texts.len() < BATCH {
            let mut buf = spare.pop().unwrap_or_default();
            match split.next(&mut buf) {
                Ok(Some(n)) => texts.push((n, buf)),
                Ok(None) => {
                    end = Some(Ok(()));
                    break;
                }
                Err(e) => {
                    end = Some(Err(fault(e)));
                    break;
                }
            }
        }
        let checked: Vec<Checked> = (texts.par_iter())
            .map_init(Check::default, |check, (_, buf)| {
                read(check, buf, DEPTH, index)
            })
            .collect();
        for ((number, buf), checked) in texts.drain(..).zip(checked) {
            spare.push(buf);
            first.note(number, checked)?;
        }
    }
    end.unwrap_or(Ok(()))
}

/// One entity's text read whole: `depth` is how deep serde_json may still
/// go where it stands.
pub(super) fn read(check: &mut Check, text: &[u8], depth: usize, index: Option<&Index>) -> Checked {
    let verdict = check.read_with(text, depth, index);
    outcome(check, verdict, text)
}

/// What was found in `text`, read to `verdict`.
fn outcome(check: &mut Check, verdict: Verdict, text: &[u8]) -> Checked {
    match verdict {
        Verdict::Valid => (true, check.id.take(), std::mem::take(&mut check.twice)),
        Verdict::Invalid => (false, None, Vec::new()),
        Verdict::Odd => odd(text),
    }
}

/// A text with serde_json's private key for numbers in it, which
/// serde_json reads its own way: its verdict, and the id and keys given
/// twice as serde's visitors find them (`Scan`).
fn odd(text: &[u8]) -> Checked {
    let json = serde_json::from_slice::<Json>(text).is_ok();
    let mut scan = Scan::default();
    let read = json && scan.read(text).is_ok();
    (read, scan.id.take(), std::mem::take(&mut scan.twice))
}

/// A document that is not valid JSON: the message serde_json gives for the
/// whole text, as before entities were streamed (the file is read into
/// memory only here, for a file that fails anyway).
pub(super) fn whole<R: BufRead>(file: &str, mut reader: R) -> Diagnostic {
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::super::Layout;
    use super::{Found, prescan};
    use std::collections::hash_map::RandomState;
    use std::io::BufReader;

    /// What the first reading finds in document `text` through a buffer
    /// of `size` bytes.
    fn found(text: &[u8], size: usize) -> Found {
        let open = || Ok(BufReader::with_capacity(size, text));
        prescan(&RandomState::new(), Layout::Document, &open, None).unwrap()
    }

    /// Elements read in place in the reader's buffer, and those cut first
    /// where they run past its end (every one, through buffers of a few
    /// bytes), give the same ids given twice, keys given twice and
    /// lengths.
    #[test]
    fn elements_read_in_place_or_cut_first_are_found_alike() {
        let text = r#" [{"id": "a", "x": [1, {"y": 2, "y": 3}]}, {"id": 12.50, "n": -0.5e3},
 {"id": "a", "s": "t\"]}\\"} ,"s",7, true, null, [], {}, {"id": "b", "k": 1, "k": 2}, {"id": 12.50}]  "#;
        let whole = found(text.as_bytes(), text.len());
        let twice = [("a".to_string(), 1), ("12.50".to_string(), 2)];
        assert_eq!(whole.twice, twice.into_iter().collect());
        let keys = [(1, vec!["x[1].y".to_string()]), (10, vec!["k".to_string()])];
        assert_eq!(whole.keys_twice, keys.into_iter().collect());
        for size in [1, 2, 3, 5, 7, 16, 64] {
            let f = found(text.as_bytes(), size);
            assert_eq!(f.twice, whole.twice, "a buffer of {size}");
            assert_eq!(f.keys_twice, whole.keys_twice, "a buffer of {size}");
            assert_eq!(f.cuts, whole.cuts, "a buffer of {size}");
        }
    }
}
