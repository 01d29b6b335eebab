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
use crate::pool::wait;
use crate::t;
use rayon::prelude::*;
use serde_json::Value as Json;
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;
use std::io::{self, BufRead};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// What the first reading found.
#[derive(Debug, Default)]
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

/// How many entities a batch for the pool holds at most (after the first
/// few), and how many bytes of text cut: 512 KB, some 32 dense units or 1
/// ms of reading on two cores, so that the pool is fed in small steps
/// while the calling thread goes on cutting; light units (50 bytes) go
/// 1,024 a batch, so that a batch's cost (a task, a channel) stays small
/// beside its reading.
const BATCH: usize = 1024;
const BATCH_BYTES: usize = 512 << 10;

/// The first batch: so few that the pool starts reading at once, where a
/// first batch of 128 kept it idle while the calling thread cut 128
/// dense units (some 25.6 M instructions; 4 take some 0.8 M).
pub(super) const FIRST_BATCH: usize = 4;

/// The sizes of the batches in turn: [`FIRST_BATCH`], doubled each time up
/// to [`BATCH`], then [`BATCH`] each.
fn batch_sizes() -> impl Iterator<Item = usize> {
    let growing = std::iter::successors(Some(FIRST_BATCH), |&n| Some(n * 2));
    growing
        .take_while(|&n| n < BATCH)
        .chain(std::iter::repeat(BATCH))
}

/// How a document's elements are read the first time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ways {
    /// Each read where the reader's buffer holds it, on the calling
    /// thread (`document`): the one pass over its bytes, the cheapest on
    /// one core.
    InPlace,
    /// Cut on the calling thread, read on all cores (`batched`): on more
    /// than one core the reading, most of the work, runs beside the cut.
    Batched,
    /// As `Batched`, every other element of a document read in place by
    /// the calling thread: the tests' way to hold the elements the calling
    /// thread reads among those the pool reads to the other ways.
    #[cfg(test)]
    Mixed,
}

impl Ways {
    /// In place on one core (the pool would only take turns with the
    /// calling thread), batched on more.
    pub(super) fn for_cores() -> Ways {
        match std::thread::available_parallelism() {
            Ok(n) if n.get() > 1 => Ways::Batched,
            _ => Ways::InPlace,
        }
    }
}

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
    ways: Ways,
) -> Result<Found, Whole> {
    let mut split = Split::recording(open().map_err(Whole::Io)?, layout);
    let mut first = First {
        keys,
        layout,
        ids: Ids::default(),
        found: Found::default(),
    };
    match (layout, ways) {
        (Layout::Document, Ways::InPlace) => document(&mut split, &mut first, index)?,
        _ => batched(&mut split, &mut first, index, ways)?,
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
/// before (`Check::read_with`). This runs on the calling thread: the way
/// for one core ([`Ways::InPlace`]).
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

/// One entity's text as cut: its number, how deep serde_json may still
/// go where it stands, and its bytes.
type Text = (usize, usize, Vec<u8>);

/// An entity as the calling thread leaves it in a batch: its text cut for
/// the pool to read, or read already where the reader's buffer held it,
/// by its number.
enum Left {
    Cut(Text),
    Read(usize, Checked),
}

/// Batches with the pool at once, at most: the calling thread goes on
/// cutting while the pool reads, and waits only when this many are out
/// (memory: 8 × [`BATCH_BYTES`] of text, 4 MB).
const IN_FLIGHT: usize = 8;

/// How many bytes of text cut and not yet read by the pool are enough to
/// keep it busy (two batches, some 2 ms of reading on two cores): while as
/// many wait, the calling thread reads the next element of a document itself,
/// where the reader's buffer holds it, instead of cutting it. Reading in
/// place costs the calling thread about 1.6 times what cutting does (a
/// dense unit: some 31 µs against 19) and saves the pool the reading and
/// the calling thread the scan and the copy, so the pool is fed and the
/// calling thread does what it has time for: on two cores, a share that
/// follows how fast each goes, whatever else runs on the machine.
const AHEAD: usize = 2 * BATCH_BYTES;

/// The entities cut on the calling thread, in batches ([`BATCH`] or
/// [`BATCH_BYTES`], the first ones fewer, `batch_sizes`) read on all cores (rayon) while the
/// calling thread goes on cutting ([`IN_FLIGHT`] batches at most), then
/// noted in their order: JSON lines (cut at their newlines, memchr), and
/// a document's elements on more than one core (cut by `Split`'s scan of
/// strings and brackets, so that the calling thread only finds where each
/// ends and the pool does the reading; read by the calling thread itself
/// while the pool has [`AHEAD`] texts to read). Whatever is found is noted
/// in the file's order, a problem of the cut after every entity before
/// it, as when they were read one by one.
fn batched<R: BufRead, K: BuildHasher>(
    split: &mut Split<R>,
    first: &mut First<'_, K>,
    index: Option<&Index>,
    ways: Ways,
) -> Result<(), Whole> {
    let queued = AtomicUsize::new(0);
    let mut cutter = Cutter {
        check: Check::default(),
        spare: Vec::new(),
        index,
        ways,
        queued: &queued,
    };
    let mut sizes = batch_sizes();
    rayon::in_place_scope(|scope| {
        let mut pending = VecDeque::with_capacity(IN_FLIGHT + 1);
        loop {
            let mut texts = Vec::new();
            let end = cutter.cut(split, &mut texts, sizes.next().unwrap_or(BATCH));
            let (send, receive) = mpsc::sync_channel(1);
            let queued = &queued;
            scope.spawn(move |_| {
                let checked = check_all(&texts, index, queued);
                // The receiver is gone only when the reading stopped.
                let _ = send.send((texts, checked));
            });
            pending.push_back(receive);
            // The batches read, noted oldest first: those done so far, or
            // every one once the cutting ended, or the oldest when too
            // many are out.
            while let Some(oldest) = pending.front() {
                let must = end.is_some() || pending.len() > IN_FLIGHT;
                let done = match oldest.try_recv() {
                    Ok(done) => Some(done),
                    Err(mpsc::TryRecvError::Empty) if !must => break,
                    Err(_) => wait(oldest),
                };
                pending.pop_front();
                // A batch that panicked: the scope carries the panic on.
                let (texts, checked) = done.ok_or(Whole::Invalid)?;
                cutter.note(first, texts, checked)?;
            }
            if let Some(end) = end {
                return end;
            }
        }
    })
}

/// What the calling thread cuts batches with: its own reading for the
/// elements it reads in place, the spare text buffers, and how many bytes
/// of text cut wait for the pool.
struct Cutter<'i> {
    check: Check,
    spare: Vec<Vec<u8>>,
    index: Option<&'i Index>,
    ways: Ways,
    queued: &'i AtomicUsize,
}

impl Cutter<'_> {
    /// The next `size` entities cut, or read in place ([`AHEAD`]), into
    /// `texts`, fewer once [`BATCH_BYTES`] are cut; how the cutting ended,
    /// if it did (the text's end, or a fault).
    fn cut<R: BufRead>(
        &mut self,
        split: &mut Split<R>,
        texts: &mut Vec<Left>,
        size: usize,
    ) -> Option<Result<(), Whole>> {
        let mut cut = 0;
        let end = loop {
            if texts.len() >= size || cut >= BATCH_BYTES {
                break None;
            }
            let mut buf = self.spare.pop().unwrap_or_default();
            let next = if self.reads_next(texts.len()) {
                self.in_place(split, &mut buf)
            } else {
                split.next(&mut buf).map(|n| n.map(|n| (n, None)))
            };
            match next {
                Ok(Some((n, Some(read)))) => {
                    self.spare.push(buf);
                    texts.push(Left::Read(n, read));
                }
                Ok(Some((n, None))) => {
                    cut += buf.len();
                    texts.push(Left::Cut((n, split.depth(), buf)));
                }
                Ok(None) => break Some(Ok(())),
                Err(e) => break Some(Err(fault(e))),
            }
        };
        self.queued.fetch_add(cut, Ordering::Relaxed);
        end
    }

    /// Whether the calling thread reads the next element itself, the
    /// `in_batch`th of its batch: while the pool has [`AHEAD`] bytes to
    /// read, but for a batch's first, which is cut so that every batch
    /// gives the pool work (the tests' way: every other element).
    fn reads_next(&self, in_batch: usize) -> bool {
        match self.ways {
            #[cfg(test)]
            Ways::Mixed => in_batch % 2 == 1,
            _ => in_batch > 0 && self.queued.load(Ordering::Relaxed) >= AHEAD,
        }
    }

    /// The next entity read where the reader's buffer holds it (what was
    /// found in it), else cut into `buf` (`None`), as `document` reads.
    fn in_place<R: BufRead>(
        &mut self,
        split: &mut Split<R>,
        buf: &mut Vec<u8>,
    ) -> Result<Option<(usize, Option<Checked>)>, Cut> {
        let (check, index) = (&mut self.check, self.index);
        let mut placed = None;
        let next = split.next_with(buf, &mut |chunk| {
            let (verdict, len) = check.element(chunk, DEPTH - 1, index)?;
            placed = Some(outcome(check, verdict, chunk.get(..len)?));
            Some(len)
        })?;
        Ok(next.map(|(number, in_place)| (number, placed.filter(|_| in_place))))
    }

    /// A batch read: what was found in each entity noted in its order,
    /// the cut texts' buffers kept for the next.
    fn note<K: BuildHasher>(
        &mut self,
        first: &mut First<'_, K>,
        texts: Vec<Left>,
        checked: Vec<Checked>,
    ) -> Result<(), Whole> {
        let mut checked = checked.into_iter();
        for left in texts {
            let (number, found) = match left {
                Left::Read(number, read) => (number, read),
                Left::Cut((number, _, buf)) => {
                    // A buffer that held an unusually large entity is
                    // dropped, so that the spares do not grow to the
                    // largest entities read.
                    if buf.capacity() <= super::SPARE_MAX {
                        self.spare.push(buf);
                    }
                    // One for each text cut (`check_all`).
                    (number, checked.next().unwrap_or_default())
                }
            };
            first.note(number, found)?;
        }
        Ok(())
    }
}

/// The texts cut in `texts` read on all cores, in their order, each one's
/// bytes taken off the count of those waiting for the pool.
fn check_all(texts: &[Left], index: Option<&Index>, queued: &AtomicUsize) -> Vec<Checked> {
    let cut = texts.par_iter().filter_map(|left| match left {
        Left::Cut(text) => Some(text),
        Left::Read(..) => None,
    });
    cut.map_init(Check::default, |check, (_, depth, buf)| {
        let found = read(check, buf, *depth, index);
        queued.fetch_sub(buf.len(), Ordering::Relaxed);
        found
    })
    .collect()
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
    use super::{Found, Ways, Whole, batch_sizes, prescan};
    use std::collections::hash_map::RandomState;
    use std::io::BufReader;

    /// What the first reading finds in `text` through a buffer of `size`
    /// bytes, read `ways`.
    fn first(text: &[u8], layout: Layout, size: usize, ways: Ways) -> Result<Found, Whole> {
        let open = || Ok(BufReader::with_capacity(size, text));
        prescan(&RandomState::new(), layout, &open, None, ways)
    }

    fn found(text: &[u8], size: usize, ways: Ways) -> Found {
        first(text, Layout::Document, size, ways).unwrap()
    }

    /// Elements read in place in the reader's buffer, those cut first
    /// where they run past its end (every one, through buffers of a few
    /// bytes), and those cut then read a batch at a time on all cores,
    /// give the same ids given twice, keys given twice and lengths.
    #[test]
    fn elements_read_in_place_or_cut_first_are_found_alike() {
        let text = r#" [{"id": "a", "x": [1, {"y": 2, "y": 3}]}, {"id": 12.50, "n": -0.5e3},
 {"id": "a", "s": "t\"]}\\"} ,"s",7, true, null, [], {}, {"id": "b", "k": 1, "k": 2}, {"id": 12.50}]  "#;
        let whole = found(text.as_bytes(), text.len(), Ways::InPlace);
        let twice = [("a".to_string(), 1), ("12.50".to_string(), 2)];
        assert_eq!(whole.twice, twice.into_iter().collect());
        let keys = [(1, vec!["x[1].y".to_string()]), (10, vec!["k".to_string()])];
        assert_eq!(whole.keys_twice, keys.into_iter().collect());
        for ways in [Ways::InPlace, Ways::Batched, Ways::Mixed] {
            for size in [1, 2, 3, 5, 7, 16, 64, text.len()] {
                let f = found(text.as_bytes(), size, ways);
                assert_eq!(f.twice, whole.twice, "{ways:?}, a buffer of {size}");
                assert_eq!(f.keys_twice, whole.keys_twice, "{ways:?}, {size}");
                assert_eq!(f.cuts, whole.cuts, "{ways:?}, a buffer of {size}");
            }
        }
    }

    /// Elements found over several batches, where the calling thread only
    /// finds each one's end: a quote escaped, or a brace or bracket inside
    /// a string, at the end of an element and of a batch; an element cut
    /// short at the end of the file; something not JSON between elements
    /// or after the array. Found alike in place, one by one, and cut then
    /// read in batches: the same ids and keys given twice and lengths, or
    /// the same fault.
    #[test]
    fn elements_found_by_their_ends_in_batches_are_found_alike() {
        let tricky = [
            r#"{"id": "q\"", "s": "}"}"#,
            r#"{"id": "b}", "s": "\\"}"#,
            r#"{"id": "c]", "l": ["]", "{", {"x": "\"}]"}]}"#,
            r#"{"id": "d", "k": "\"{", "k": 1}"#,
        ];
        let mut texts: Vec<String> = (0..300).map(|i| format!(r#"{{"id": "u{i}"}}"#)).collect();
        // The last element of each batch and the first of the next (the
        // batches grow, so their ends fall at odd places), and the last.
        let ends = batch_sizes().scan(0, |end, size| {
            *end += size;
            Some(*end)
        });
        let ends: Vec<usize> = ends.take_while(|&end| end < 300).collect();
        assert_eq!(ends, [4, 12, 28, 60, 124, 252]);
        let mut places: Vec<usize> = ends.iter().flat_map(|&end| [end - 1, end]).collect();
        places.push(299);
        for (n, &at) in places.iter().enumerate() {
            texts[at] = tricky[n % tricky.len()].to_string();
        }
        texts[200] = r#"{"id": "q\""}"#.to_string();
        let array = format!("[{}]", texts.join(",\n"));
        let alike = |text: &str| {
            let bytes = text.as_bytes();
            let whole = first(bytes, Layout::Document, bytes.len(), Ways::InPlace);
            for ways in [Ways::InPlace, Ways::Batched, Ways::Mixed] {
                for size in [1, 7, 64, 4096, bytes.len()] {
                    let f = first(bytes, Layout::Document, size, ways);
                    match (&f, &whole) {
                        (Ok(f), Ok(whole)) => {
                            assert_eq!(f.twice, whole.twice, "{ways:?}, {size}");
                            assert_eq!(f.keys_twice, whole.keys_twice, "{ways:?}, {size}");
                            assert_eq!(f.cuts, whole.cuts, "{ways:?}, {size}");
                        }
                        (Err(Whole::Invalid), Err(Whole::Invalid)) => {}
                        _ => panic!("{ways:?}, a buffer of {size}: {f:?}"),
                    }
                }
            }
            whole
        };
        let found = alike(&array).unwrap();
        // Each tricky id is given again, first at its first place
        // (numbered from 1); the keys given twice at every place of the
        // fourth.
        let ids = [r#"q""#, r#"b}"#, r#"c]"#, "d"];
        let twice = ids
            .map(|id| id.to_string())
            .into_iter()
            .zip(places.iter().map(|at| at + 1));
        assert_eq!(found.twice, twice.collect(), "{places:?}");
        let keys: Vec<usize> = places.iter().skip(3).step_by(4).map(|at| at + 1).collect();
        let mut found_keys: Vec<usize> = found.keys_twice.keys().copied().collect();
        found_keys.sort_unstable();
        assert_eq!(found_keys, keys, "{:?}", found.keys_twice);
        assert!(found.keys_twice.values().all(|k| k == &["k"]));
        // The last element cut short: without its closing brace, and
        // within a string.
        let cut_short = array.strip_suffix("}]").unwrap().to_string();
        // `with` in place of the separator after the first `k` elements.
        let between = |k: usize, with: &str| {
            let parts: Vec<&str> = array.split(",\n").collect();
            let (before, after) = parts.split_at(k);
            format!("{}{with}{}", before.join(",\n"), after.join(",\n"))
        };
        let spoilt = [
            array.strip_suffix(']').unwrap().to_string(),
            format!("{cut_short}]"),
            format!("{}]", cut_short.strip_suffix("\"").unwrap()),
            array.replacen(",\n", " x,\n", 200),
            array.replacen(",\n", ",,\n", 250),
            array.replacen(",\n", "\n", 130),
            // Right after the first batch, and one past the second.
            between(ends[0], " x,\n"),
            between(ends[1] + 1, ",,\n"),
            between(ends[4], "\n"),
            format!("{array} x"),
            format!("{array}]"),
        ];
        for text in spoilt {
            assert!(matches!(alike(&text), Err(Whole::Invalid)));
        }
    }
}
