//! The second reading in halves: the calling thread cuts the text into
//! entities ([`Pieces`]: it only finds where each ends, or takes the
//! lengths the first reading noted), and any thread reads one entity's
//! text into its `Entity` ([`Reads::done`]), by hand (`direct`) or, for a
//! text that is not plainly right, the tree's way. What the reading of one
//! text came to ([`Done`]: its problems, the entity if kept, whether the
//! reading stops there) depends on that text and on what the first reading
//! found across the file (ids given twice, keys given twice) only, so the
//! texts may be read in any order, on any thread, and told in the file's
//! order as if read one by one.
//!
//! `cli::score` reads each text in the task of the pool that scores it
//! (`data::open_halved`), so that reading and scoring overlap instead of
//! taking turns on the pool; [`Stream`], for the other callers, reads a
//! batch at a time on all cores while it cuts the next.

use super::prescan::Found;
use super::split::{Cut, Split};
use super::{Layout, changed, direct, line_not_json, not_utf8};
use crate::data::{Entity, NoPlaces, Reader};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::Program;
use crate::t;
use rayon::prelude::*;
use serde_json::Value as Json;
use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};
use std::io::BufRead;

/// What the calling thread cut: an entity's text, or the fault that ended
/// the cutting (told after every entity before it).
pub enum Piece {
    Text(Text),
    Fault(Diagnostic),
}

/// One entity's text as cut, with its number and where it began.
pub struct Text {
    number: usize,
    start: usize,
    bytes: Vec<u8>,
}

/// What reading one [`Piece`] came to, to be told in the file's order.
#[derive(Debug)]
pub struct Done<E> {
    /// The problems met, told before the entity.
    pub told: Vec<Diagnostic>,
    /// The entity (or what was made of it), when it is kept.
    pub kept: Option<E>,
    /// Nothing after this is told: a document changed since the first
    /// reading, or the cutting's fault.
    pub stop: bool,
}

impl<E> Done<E> {
    /// Under `kaohe eval --strict`, no entity of a piece whose problems
    /// include a guess (a rate written as a fraction): it would be scored
    /// on the guess --strict refuses. A CSV row is refused the same way.
    pub fn refusing_guesses(mut self, strict: bool) -> Done<E> {
        if strict && self.told.iter().any(crate::data::guessed) {
            self.kept = None;
        }
        self
    }

    /// What was made of the entity kept.
    pub fn map<F>(self, make: impl FnOnce(E) -> F) -> Done<F> {
        Done {
            told: self.told,
            kept: self.kept.map(make),
            stop: self.stop,
        }
    }

    fn stopped(d: Diagnostic) -> Done<E> {
        Done {
            told: vec![d],
            kept: None,
            stop: true,
        }
    }
}

/// The text cut into [`Piece`]s on the calling thread, in the file's
/// order; a fault of the cut is the last.
pub struct Pieces<R> {
    pub(super) split: Split<R>,
    pub(super) file: String,
    pub(super) ended: bool,
}

impl<R: BufRead> Iterator for Pieces<R> {
    type Item = Piece;

    fn next(&mut self) -> Option<Piece> {
        if self.ended {
            return None;
        }
        let mut bytes = Vec::new();
        match self.split.next(&mut bytes) {
            Ok(Some(number)) => Some(Piece::Text(Text {
                number,
                start: self.split.start,
                bytes,
            })),
            Ok(None) => {
                self.ended = true;
                None
            }
            Err(cut) => {
                self.ended = true;
                Some(Piece::Fault(cut_fault(&self.file, cut)))
            }
        }
    }
}

/// A fault of the cut, told after every entity before it.
fn cut_fault(file: &str, cut: Cut) -> Diagnostic {
    match cut {
        Cut::Io(e) => Diagnostic::new(
            Code::Io,
            t!("cannot read {file}: {e}", "无法读取 {file}：{e}"),
        )
        .in_file(file),
        Cut::Invalid => changed(file),
    }
}

/// What reads a text into its entity, shared by the threads of the pool:
/// what the first reading found across the file, and the inputs by name.
pub struct Reads<'a> {
    pub(super) program: &'a Program,
    pub(super) file: String,
    pub(super) layout: Layout,
    pub(super) found: Found,
    pub(super) index: direct::Index,
    /// Inputs told missing for the whole file: none, in JSON.
    pub(super) reported: HashSet<String>,
}

thread_local! {
    /// Each thread's buffers for reading entities by hand, reused from
    /// entity to entity.
    static SCRATCH: RefCell<direct::Scratch> = RefCell::default();
}

/// How many bytes of a dense unit's JSON make one value of its entity, about
/// (`Reads::weight`).
const BYTES_A_VALUE: usize = 12;

impl Reads<'_> {
    /// What a piece weighs in memory, in values, as `cli::score` weighs
    /// the entity it will be: its text's length by [`BYTES_A_VALUE`] (a
    /// dense unit's 16 KB some 1,300 values), one at least.
    pub fn weight(&self, piece: &Piece) -> usize {
        match piece {
            Piece::Text(text) => (text.bytes.len() / BYTES_A_VALUE).max(1),
            Piece::Fault(_) => 1,
        }
    }

    /// What `piece` comes to: its entity read from its text (by hand when
    /// it is plainly right, else the tree's way), its problems, and the
    /// entity left out when its id is given twice in the file.
    pub fn done(&self, piece: Piece) -> Done<Entity> {
        let text = match piece {
            Piece::Text(text) => text,
            Piece::Fault(d) => return Done::stopped(d),
        };
        let direct = SCRATCH.with(|bufs| match bufs.try_borrow_mut() {
            Ok(mut bufs) => self.direct(&text, &mut bufs),
            Err(_) => self.direct(&text, &mut direct::Scratch::default()),
        });
        let (entity, mut told) = match direct {
            Some(entity) => (entity, Vec::new()),
            None => match self.tree(&text) {
                Ok((Some(entity), told)) => (entity, told),
                Ok((None, told)) => return kept_none(told),
                Err(d) => return Done::stopped(d),
            },
        };
        let clean = !told.iter().any(Diagnostic::is_error);
        let shared = self.shared(text.number, &entity.id, &mut told);
        Done {
            told,
            kept: Some(entity).filter(|_| clean && !shared),
            stop: false,
        }
    }

    fn reader(&self, number: usize) -> Reader<'_> {
        Reader {
            program: self.program,
            diags: Vec::new(),
            file: &self.file,
            entity: format!("#{number}"),
            places: &NoPlaces,
            reported: &self.reported,
        }
    }

    /// `text` read by hand into its entity (`direct`); `None` when it is
    /// not plainly right or gives a key twice.
    fn direct(&self, text: &Text, bufs: &mut direct::Scratch) -> Option<Entity> {
        if self.found.keys_twice.contains_key(&text.number) {
            return None;
        }
        let mut reader = self.reader(text.number);
        let (id, values) = self.index.read(&mut reader, &text.bytes, bufs)?;
        Some(Entity { id, values })
    }

    /// `text` read the tree's way: its entity, if any, and the problems
    /// met; `Err` (the file told as changed) in a document, which the
    /// first reading found valid, when it is not UTF-8 or not JSON.
    fn tree(&self, text: &Text) -> Result<(Option<Entity>, Vec<Diagnostic>), Diagnostic> {
        let obj = match self.object(text) {
            Ok(obj) => obj,
            Err(Some(d)) => return Ok((None, vec![d])),
            Err(None) => return Err(changed(&self.file)),
        };
        Ok(self.read(text.number, &obj))
    }

    /// The JSON value of `text`; when it is not UTF-8 or not JSON, the
    /// problem in JSON lines (for that line), `None` in a document.
    fn object(&self, text: &Text) -> Result<Json, Option<Diagnostic>> {
        let lines = self.layout == Layout::Lines;
        let s = std::str::from_utf8(&text.bytes).map_err(|e| {
            let at = text.start.saturating_add(e.valid_up_to());
            lines.then(|| not_utf8(&self.file, at))
        })?;
        serde_json::from_str(s)
            .map_err(|e| lines.then(|| line_not_json(&self.file, text.number, &e)))
    }

    /// Entity `number` read from its object, and the problems met: those
    /// of its values, and every key it gives twice.
    fn read(&self, number: usize, obj: &Json) -> (Option<Entity>, Vec<Diagnostic>) {
        let mut reader = self.reader(number);
        let entity = reader.entity(obj);
        if entity.is_some() {
            for path in self.found.keys_twice.get(&number).into_iter().flatten() {
                reader.error(
                    Code::DuplicateKey,
                    path,
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
    /// neither is scored, since either may be the right one (told in
    /// `told` at each after the first).
    fn shared(&self, number: usize, id: &str, told: &mut Vec<Diagnostic>) -> bool {
        let Some(&first) = self.found.twice.get(id) else {
            return false;
        };
        if first != number {
            told.push(
                Diagnostic::new(
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
                .in_file(&self.file),
            );
        }
        true
    }
}

fn kept_none<E>(told: Vec<Diagnostic>) -> Done<E> {
    Done {
        told,
        kept: None,
        stop: false,
    }
}

/// A JSON file's second reading in halves: the pieces cut on the calling
/// thread, and what reads each into its entity on any thread.
pub struct Halves<'a> {
    pub pieces: Box<dyn Iterator<Item = Piece> + 'a>,
    pub reads: Reads<'a>,
}

// ------------------------------------------------------ the stream of it

/// The second reading one entity at a time, for the callers that take a
/// stream (`data::open`): a batch of texts read on all cores (rayon) while
/// this thread cuts the next, then handed on in their order.
pub struct Stream<'a> {
    pieces: Box<dyn Iterator<Item = Piece> + 'a>,
    reads: Reads<'a>,
    /// The pieces cut and not yet read.
    texts: Vec<Piece>,
    /// How many pieces the next batch cuts: a few at first, so that the
    /// pool starts at once, doubled up to [`BATCH`].
    size: usize,
    pending: VecDeque<Result<Entity, Diagnostic>>,
    /// Nothing more is read: the text was cut to its end, or a stop told.
    done: bool,
    /// `kaohe eval --strict` ([`Done::refusing_guesses`]).
    strict: bool,
}

/// How many entities are cut, then read at once on all cores and handed
/// on in their order: enough to keep the cores busy, few enough that
/// their texts stay small beside the entities they become.
const BATCH: usize = 128;

impl<'a> Stream<'a> {
    pub fn new(halves: Halves<'a>) -> Stream<'a> {
        Stream {
            pieces: halves.pieces,
            reads: halves.reads,
            texts: Vec::new(),
            size: super::prescan::FIRST_BATCH,
            pending: VecDeque::new(),
            done: false,
            strict: false,
        }
    }

    /// The stream under `kaohe eval --strict`: no entity read on a guess.
    pub fn strict(mut self, strict: bool) -> Stream<'a> {
        self.strict = strict;
        self
    }

    /// The pieces cut before read on all cores while this thread cuts
    /// the next batch, then handed on in their order up to a stop.
    fn batch(&mut self) {
        if self.texts.is_empty() {
            self.texts = cut(&mut self.pieces, &mut self.size);
        }
        if self.texts.is_empty() {
            self.done = true;
            return;
        }
        let (texts, reads) = (std::mem::take(&mut self.texts), &self.reads);
        let (mut read, mut next) = (Vec::new(), Vec::new());
        let (pieces, size, into) = (&mut self.pieces, &mut self.size, &mut read);
        rayon::in_place_scope(|scope| {
            scope.spawn(move |_| *into = texts.into_par_iter().map(|p| reads.done(p)).collect());
            next = cut(pieces, size);
        });
        self.texts = next;
        for done in read {
            let done = done.refusing_guesses(self.strict);
            self.pending.extend(done.told.into_iter().map(Err));
            self.pending.extend(done.kept.map(Ok));
            if done.stop {
                self.done = true;
                return;
            }
        }
    }
}

/// The next batch of pieces: `size` of them (fewer at the end), `size`
/// doubled for the next, up to [`BATCH`].
fn cut(pieces: &mut dyn Iterator<Item = Piece>, size: &mut usize) -> Vec<Piece> {
    let now = *size;
    *size = (now * 2).min(BATCH);
    pieces.take(now).collect()
}

impl Iterator for Stream<'_> {
    type Item = Result<Entity, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(next) = self.pending.pop_front() {
                return Some(next);
            }
            if self.done {
                return None;
            }
            self.batch();
        }
    }
}
