//! The ids of one JSON file's entities as the first reading notes them, to
//! tell the ids given twice: a 64-bit keyed digest of each id (8 bytes a
//! unit, kept in chunks, so never copied as they grow) and a 16-bit mark
//! of each entity cut, in the file's order (2 bytes). The digests given
//! more than once are found by sorting the chunks and merging them. Only
//! then, and only for those, the entities marked like them are read again
//! and their ids compared by text: two ids whose digests collide are told
//! apart, and no id given twice is missed (equal ids, equal digests). A
//! file in which no digest repeats is read once, as before.

use super::check::Check;
use super::direct::Index;
use super::prescan::{Whole, read};
use super::split::{Cut, Split};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::hash::BuildHasher;
use std::io::BufRead;

/// How many values a chunk holds (512 KB of digests).
const CHUNK: usize = 1 << 16;

/// Values in chunks of at most [`CHUNK`], each grown by doubling up to
/// that: pushed without copying all before them as they grow, and no room
/// to spare but the last chunk's.
struct Chunks<T>(Vec<Vec<T>>);

impl<T> Default for Chunks<T> {
    fn default() -> Self {
        Chunks(Vec::new())
    }
}

impl<T> Chunks<T> {
    fn push(&mut self, value: T) {
        match self.0.last_mut() {
            Some(chunk) if chunk.len() < CHUNK => chunk.push(value),
            _ => self.0.push(vec![value]),
        }
    }

    fn iter(&self) -> impl Iterator<Item = &T> {
        self.0.iter().flatten()
    }
}

/// What the first reading notes of the ids.
#[derive(Default)]
pub(super) struct Ids {
    /// The digest of each id given.
    digests: Chunks<u64>,
    /// Each entity cut, in order, read or not: its id's [`mark`] (0 for
    /// none).
    marks: Chunks<u16>,
}

/// The mark of an id's digest: its top 16 bits.
fn mark(digest: u64) -> u16 {
    u16::try_from(digest >> 48).unwrap_or_default()
}

impl Ids {
    /// The next entity cut: the digest of its id, when it has one.
    pub(super) fn push(&mut self, digest: Option<u64>) {
        self.marks.push(digest.map_or(0, mark));
        if let Some(digest) = digest {
            self.digests.push(digest);
        }
    }

    /// The digests given more than once, each with how many times: each
    /// chunk sorted, then all merged in order.
    pub(super) fn repeated(&mut self) -> HashMap<u64, usize> {
        let chunks = &mut self.digests.0;
        for chunk in chunks.iter_mut() {
            chunk.sort_unstable();
        }
        let mut heads: BinaryHeap<Reverse<(u64, usize, usize)>> = (chunks.iter().enumerate())
            .filter_map(|(k, chunk)| Some(Reverse((*chunk.first()?, k, 0))))
            .collect();
        let mut repeated = HashMap::new();
        let mut last = None;
        while let Some(Reverse((digest, k, i))) = heads.pop() {
            if last == Some(digest) {
                *repeated.entry(digest).or_insert(1) += 1;
            }
            last = Some(digest);
            if let Some(&next) = chunks.get(k).and_then(|c| c.get(i + 1)) {
                heads.push(Reverse((next, k, i + 1)));
            }
        }
        repeated
    }

    /// The ids given more than once, each with the number of the first
    /// entity that gives it: the entities marked as one of the `repeated`
    /// digests are read again (`split`, the file from its start; those
    /// marked otherwise are passed over uncut or unread) and their ids
    /// compared by text. The digests are dropped first. A file that no
    /// longer holds what the first reading found is told as changed.
    pub(super) fn twice<R: BufRead>(
        mut self,
        repeated: &HashMap<u64, usize>,
        keys: &impl BuildHasher,
        mut split: Split<R>,
        index: Option<&Index>,
    ) -> Result<HashMap<String, usize>, Whole> {
        self.digests = Chunks::default();
        let wanted: HashSet<u16> = repeated.keys().map(|&d| mark(d)).collect();
        let marked = |m: &u16| wanted.contains(m);
        let upto = self.marks.iter().filter(|m| marked(m)).count();
        let (mut check, mut buf) = (Check::default(), Vec::new());
        let mut ids: Vec<(usize, String)> = Vec::new();
        let mut found: HashMap<u64, usize> = HashMap::new();
        let mut seen = 0;
        for m in self.marks.iter() {
            if seen == upto {
                break;
            }
            let next = split.next(&mut buf).map_err(changed)?;
            let number = next.ok_or(Whole::Changed)?;
            if !marked(m) {
                continue;
            }
            seen += 1;
            let (_, id, _) = read(&mut check, &buf, split.depth(), index);
            let Some(id) = id else { continue };
            let digest = keys.hash_one(&id);
            if repeated.contains_key(&digest) {
                *found.entry(digest).or_default() += 1;
                ids.push((number, id));
            }
        }
        if found != *repeated {
            return Err(Whole::Changed);
        }
        Ok(firsts(ids))
    }
}

/// The second reading's fault as the first reading's: the file changed.
fn changed(cut: Cut) -> Whole {
    match cut {
        Cut::Io(e) => Whole::Io(e),
        Cut::Invalid => Whole::Changed,
    }
}

/// Of `ids` (entity numbers and ids, in the file's order), each id given
/// more than once, with the first number that gives it.
fn firsts(ids: Vec<(usize, String)>) -> HashMap<String, usize> {
    let mut by_id: HashMap<String, (usize, usize)> = HashMap::new();
    for (number, id) in ids {
        by_id.entry(id).or_insert((number, 0)).1 += 1;
    }
    (by_id.into_iter())
        .filter(|(_, (_, n))| *n > 1)
        .map(|(id, (first, _))| (id, first))
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::super::Layout;
    use super::super::prescan::{Ways, Whole, prescan};
    use std::cell::Cell;
    use std::collections::HashMap;
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

    /// A digest of few values (the sum of the bytes, modulo 5, in the top
    /// bits): ids collide by the ten thousand.
    #[derive(Default)]
    struct Few(u64);

    impl Hasher for Few {
        fn finish(&self) -> u64 {
            (self.0 % 5) << 60
        }
        fn write(&mut self, bytes: &[u8]) {
            for &b in bytes {
                self.0 = self.0.wrapping_add(u64::from(b));
            }
        }
    }

    /// One digest for every id.
    #[derive(Default)]
    struct Same;

    impl Hasher for Same {
        fn finish(&self) -> u64 {
            7
        }
        fn write(&mut self, _: &[u8]) {}
    }

    const N: usize = 150_000;

    /// `N` entities over three chunks of digests, some ids given twice far
    /// apart, next to each other across a chunk's end, and three times;
    /// with the ids given twice and the first entity (1-based) of each.
    fn entities() -> (Vec<String>, HashMap<String, usize>) {
        let mut ids: Vec<String> = (0..N).map(|i| format!("u{i:04}")).collect();
        for (first, again) in [(3, N - 2), (65_535, 65_536), (100, 5_000), (100, 140_000)] {
            ids[again] = ids[first].clone();
        }
        // A number and a text of the same digits are one id, as before.
        ids[7] = "12".into();
        let mut texts: Vec<String> = ids
            .iter()
            .map(|id| format!("{{\"id\": \"{id}\"}}"))
            .collect();
        texts[9] = "{\"id\": 12}".into();
        let want = [("u0003", 4), ("u65535", 65_536), ("u0100", 101), ("12", 8)];
        let want = want.iter().map(|&(id, n)| (id.to_string(), n)).collect();
        (texts, want)
    }

    fn twice(keys: &impl BuildHasher, layout: Layout, text: &[u8]) -> HashMap<String, usize> {
        let open = || -> std::io::Result<&[u8]> { Ok(text) };
        let found = |ways| prescan(keys, layout, &open, None, ways).unwrap();
        let batched = found(Ways::Batched);
        assert_eq!(found(Ways::InPlace).twice, batched.twice);
        batched.twice
    }

    /// Every id given twice is found, with its first entity, in a large
    /// document and in JSON lines; the same where digests collide by the
    /// ten thousand or all are one (the ids then told apart by their
    /// texts alone).
    #[test]
    fn ids_given_twice_far_apart_are_found_whatever_their_digests() {
        let (texts, want) = entities();
        let array = format!("[{}]", texts.join(",\n"));
        let lines = texts.join("\n");
        for (layout, text) in [(Layout::Document, &array), (Layout::Lines, &lines)] {
            let text = text.as_bytes();
            assert_eq!(twice(&RandomState::new(), layout, text), want);
            let few = BuildHasherDefault::<Few>::default();
            assert_eq!(twice(&few, layout, text), want);
            assert_eq!(
                twice(&BuildHasherDefault::<Same>::default(), layout, text),
                want
            );
        }
        // No id given twice, however the digests collide.
        let one: Vec<String> = (0..1_000).map(|i| format!("{{\"id\": {i}}}")).collect();
        let one = one.join("\n");
        let same = BuildHasherDefault::<Same>::default();
        assert!(twice(&same, Layout::Lines, one.as_bytes()).is_empty());
    }

    /// A file changed between the first reading and its reading again for
    /// the ids given twice is told as changed, not read by halves.
    #[test]
    fn a_file_changed_before_its_ids_are_read_again_is_told() {
        let first = "{\"id\": \"a\"}\n{\"id\": \"b\"}\n{\"id\": \"a\"}\n";
        for again in [
            "{\"id\": \"a\"}\n{\"id\": \"b\"}\n{\"id\": \"c\"}\n",
            "{\"id\": \"a\"}\n{\"id\": \"b\"}\n",
            "{\"id\": \"a\"}\n",
        ] {
            let calls = Cell::new(0);
            let open = || -> std::io::Result<&[u8]> {
                calls.set(calls.get() + 1);
                Ok(if calls.get() == 1 { first } else { again }.as_bytes())
            };
            let found = prescan(
                &RandomState::new(),
                Layout::Lines,
                &open,
                None,
                Ways::Batched,
            );
            assert!(matches!(found, Err(Whole::Changed)), "{again:?}");
            assert_eq!(calls.get(), 2);
        }
    }
}
