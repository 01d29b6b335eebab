//! The ids read so far, as digests, to find one given twice.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::num::NonZeroU32;

/// The ids read so far, to find one given twice, each kept as a 128-bit
/// digest (two SipHash keys drawn at random), so that two different ids
/// are taken for one with a chance of about n²/2¹²⁹ — below 10⁻²⁶ for a
/// million. A CSV entity file is walked before it is read: its digests are
/// sorted once into `known`, and the row where each was read sits beside
/// it in `rows`, 20 bytes an entity in all, sized exactly. An id the walk
/// did not see (a sheet is not walked; a file may change) goes to `more`.
#[derive(Default)]
pub(super) struct Seen {
    keys: (RandomState, RandomState),
    known: Vec<u128>,
    rows: Vec<Option<NonZeroU32>>,
    more: HashMap<u128, usize>,
}

impl Seen {
    fn digest(&self, id: &str) -> u128 {
        (u128::from(self.keys.0.hash_one(id)) << 64) | u128::from(self.keys.1.hash_one(id))
    }

    /// An id met on the walk.
    pub(super) fn walk(&mut self, id: &str) {
        let digest = self.digest(id);
        self.known.push(digest);
    }

    /// After the walk: `known` sorted, to be searched, each digest once.
    pub(super) fn walked(&mut self) {
        self.known.sort_unstable();
        self.known.dedup();
        self.rows = vec![None; self.known.len()];
    }

    /// The row where `id` was first read, or `None` when `id` is new (and
    /// is now noted as read in `row`).
    pub(super) fn first(&mut self, id: &str, row: usize) -> Option<usize> {
        let digest = self.digest(id);
        let known = (self.known.binary_search(&digest).ok()).and_then(|i| self.rows.get_mut(i));
        if let Some(Some(first)) = known.as_deref() {
            return usize::try_from(first.get()).ok();
        }
        if let Some(&first) = self.more.get(&digest) {
            return Some(first);
        }
        let small = u32::try_from(row).ok().and_then(NonZeroU32::new);
        match (known, small) {
            (Some(slot), Some(row)) => *slot = Some(row),
            _ => {
                self.more.insert(digest, row);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::Seen;

    #[test]
    fn an_id_given_twice_is_found_whether_the_walk_met_it_or_not() {
        let mut seen = Seen::default();
        for id in ["a", "b", "a"] {
            seen.walk(id);
        }
        seen.walked();
        assert_eq!(seen.known.len(), 2);
        assert_eq!(seen.first("a", 3), None);
        assert_eq!(seen.first("b", 4), None);
        assert_eq!(seen.first("a", 5), Some(3));
        // Not met on the walk (a sheet, or a file changed since): kept aside.
        assert_eq!(seen.first("c", 6), None);
        assert_eq!(seen.first("c", 7), Some(6));
        assert_eq!(seen.first("b", 8), Some(4));
        assert_eq!(seen.more.len(), 1);
    }

    #[test]
    fn a_row_past_four_billion_is_kept_aside() {
        let mut seen = Seen::default();
        seen.walk("a");
        seen.walked();
        let far = usize::try_from(u64::from(u32::MAX) + 1).unwrap();
        assert_eq!(seen.first("a", far), None);
        assert_eq!(seen.first("a", 9), Some(far));
    }
}
