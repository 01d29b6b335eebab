//! The first reading of a JSON file: every entity's id (as a digest) and
//! the keys an object gives twice; for a document, that it is valid JSON
//! and UTF-8 throughout, else serde_json's message for the whole text.

use super::check::{Check, Verdict};
use super::direct::Index;
use super::scan::Scan;
use super::split::{Cut, Cuts, Split};
use super::{Layout, digest, not_json, not_utf8};
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
    /// Per id digest given by more than one entity: the first one's number
    /// (1-based) and how many.
    pub(super) twice: HashMap<u128, (usize, usize)>,
    /// Keys an object gives twice, by entity number: each one's path.
    pub(super) keys_twice: HashMap<usize, Vec<String>>,
    /// The lengths of a document's entities as cut here, for the second
    /// reading to take them by instead of cutting again.
    pub(super) cuts: Cuts,
}

/// Why a document cannot be read entity by entity.
pub(super) enum Whole {
    Io(io::Error),
    /// Not valid JSON (or not UTF-8): serde_json reads it whole for the
    /// message, as it did before entities were streamed.
    Invalid,
}

/// How many entities are cut, then checked at once on all cores.
const BATCH: usize = 128;

/// What the first reading found in one entity's text: whether it is JSON
/// (and UTF-8), its id, and the keys it gives twice.
type Checked = (bool, Option<String>, Vec<String>);

/// The first reading: every entity's id and the keys given twice; for a
/// document, that it is valid JSON and UTF-8 throughout. The texts are cut
/// here, [`BATCH`] at a time, and checked on all cores (rayon), then noted
/// in their order.
pub(super) fn prescan<R: BufRead>(
    keys: &(impl BuildHasher, impl BuildHasher),
    layout: Layout,
    reader: R,
    index: Option<&Index>,
) -> Result<Found, Whole> {
    let mut split = Split::recording(reader, layout);
    let mut texts: Vec<(usize, usize, Vec<u8>)> = Vec::new();
    let mut spare: Vec<Vec<u8>> = Vec::new();
    let mut ids: Vec<(u128, usize)> = Vec::new();
    let mut found = Found::default();
    let mut end = None;
    while end.is_none() {
        while texts.len() < BATCH {
            let mut buf = spare.pop().unwrap_or_default();
            match split.next(&mut buf) {
                Ok(Some(n)) => texts.push((n, split.depth(), buf)),
                Ok(None) => {
                    end = Some(Ok(()));
                    break;
                }
                Err(Cut::Io(e)) => {
                    end = Some(Err(Whole::Io(e)));
                    break;
                }
                Err(Cut::Invalid) => {
                    end = Some(Err(Whole::Invalid));
                    break;
                }
            }
        }
        let checked: Vec<Checked> = (texts.par_iter())
            .map_init(Check::default, |check, (_, depth, buf)| {
                match check.read_with(buf, *depth, index) {
                    Verdict::Valid => (true, check.id.take(), std::mem::take(&mut check.twice)),
                    Verdict::Invalid => (false, None, Vec::new()),
                    Verdict::Odd => odd(buf),
                }
            })
            .collect();
        for ((number, _, buf), (read, id, twice)) in texts.drain(..).zip(checked) {
            spare.push(buf);
            if !read {
                match layout {
                    // The second reading reports the line.
                    Layout::Lines => continue,
                    Layout::Document => return Err(Whole::Invalid),
                }
            }
            if let Some(id) = id {
                ids.push((digest(keys, &id), number));
            }
            if !twice.is_empty() {
                found.keys_twice.insert(number, twice);
            }
        }
    }
    if let Some(Err(e)) = end {
        return Err(e);
    }
    found.cuts = split.cuts();
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
