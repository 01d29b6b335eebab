//! What a ranking needs of every unit, and no more: every total, sorted
//! highest first, and the totals of the units whose veto fired. A unit's
//! competition rank (1, 2, 2, 4) is one more than the number of totals
//! above its own, and its place for the results by rank (`top 3 =>
//! "先进单位"`) one more than the number of units not vetoed above it, both
//! found by binary search from the unit's own total: nothing is kept by
//! position. A table's totals mostly repeat (a few thousand values in 0.01
//! steps, however many units), so each distinct total is kept once with
//! the number of totals above it: `kaohe eval --rank` and the HTML report
//! hold a few MB between their two passes, not 16 bytes a unit (that, where
//! the totals are more than 65,536 distinct values and hardly repeat).
//!
//! The same answers as [`super::rollup::ranks_in_order`] and
//! [`super::derived::top_places`], which sort positions (tested below).

use super::derived::TopPlace;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The most distinct totals counted one by one (some 3 MB of counts);
/// past that, every total is kept as it is (16 bytes a unit). A few in
/// the unit tests, so that they go past it.
#[cfg(not(test))]
const FEW: usize = 1 << 16;
#[cfg(test)]
const FEW: usize = 8;

/// Every unit's total, sorted, and the vetoed units' totals.
#[derive(Default)]
pub struct Standing {
    /// Every total, highest first.
    all: Sorted,
    /// The totals of the units whose veto fired, highest first.
    vetoed: Sorted,
}

/// Totals highest first: each distinct one once with how many totals are
/// above it, or, where they hardly repeat, every one.
#[derive(Default)]
struct Sorted {
    /// The distinct totals (or every total), highest first.
    totals: Vec<Decimal>,
    /// How many totals are above each of `totals`; empty when `totals`
    /// holds every total (its place is then that count).
    above: Vec<usize>,
    /// How many totals there are.
    count: usize,
}

impl Sorted {
    /// How many of the totals are above `total`.
    fn above(&self, total: Decimal) -> usize {
        let i = self.totals.partition_point(|t| *t > total);
        if self.above.is_empty() {
            return i;
        }
        self.above.get(i).copied().unwrap_or(self.count)
    }

    /// From distinct totals, highest first, each with how many units have
    /// it: kept so while that is smaller than every total.
    fn of_counts(counts: impl ExactSizeIterator<Item = (Decimal, usize)>, count: usize) -> Sorted {
        let distinct = counts.len();
        let mut totals = Vec::with_capacity(distinct);
        let mut above = Vec::with_capacity(distinct);
        let mut n = 0usize;
        for (t, k) in counts {
            totals.push(t);
            above.push(n);
            n = n.saturating_add(k);
        }
        Sorted {
            totals,
            above,
            count,
        }
    }

    /// From every total, sorted here: as distinct totals and counts if
    /// they repeat enough for that to be smaller.
    fn of_all(mut all: Vec<Decimal>) -> Sorted {
        all.sort_unstable_by(|a, b| b.cmp(a));
        let count = all.len();
        let mut distinct = 0usize;
        let mut last = None;
        for t in &all {
            if last != Some(t) {
                distinct += 1;
                last = Some(t);
            }
        }
        // A distinct total and its count take 24 bytes, a total 16.
        if distinct.saturating_mul(3) < count.saturating_mul(2) {
            let mut counts: Vec<(Decimal, usize)> = Vec::with_capacity(distinct);
            for t in all {
                match counts.last_mut() {
                    Some((last, k)) if *last == t => *k += 1,
                    _ => counts.push((t, 1)),
                }
            }
            return Sorted::of_counts(counts.into_iter(), count);
        }
        all.shrink_to_fit();
        Sorted {
            totals: all,
            above: Vec::new(),
            count,
        }
    }
}

/// Totals gathered one unit at a time, then sorted into a [`Standing`].
#[derive(Default)]
pub struct Gather {
    all: Tally,
    vetoed: Tally,
}

/// Totals counted as they come: how many units have each distinct total
/// while there are at most [`FEW`] distinct ones (a table's totals mostly
/// repeat: a few thousand values in 0.01 steps, however many units), so
/// that a first pass over a million units holds a few MB, not 16 bytes a
/// unit; past that, every total as it is.
enum Tally {
    Counts(BTreeMap<Decimal, usize>, usize),
    Each(Vec<Decimal>),
}

impl Default for Tally {
    fn default() -> Tally {
        Tally::Counts(BTreeMap::new(), 0)
    }
}

impl Tally {
    fn push(&mut self, total: Decimal) {
        match self {
            Tally::Counts(counts, n) => {
                if let Some(k) = counts.get_mut(&total) {
                    *k += 1;
                    *n += 1;
                } else if counts.len() < FEW {
                    counts.insert(total, 1);
                    *n += 1;
                } else {
                    let mut all = Vec::with_capacity(n.saturating_add(1));
                    for (t, k) in counts.iter() {
                        all.extend(std::iter::repeat_n(*t, *k));
                    }
                    all.push(total);
                    *self = Tally::Each(all);
                }
            }
            Tally::Each(all) => all.push(total),
        }
    }

    fn sorted(self) -> Sorted {
        match self {
            Tally::Counts(counts, n) => Sorted::of_counts(counts.into_iter().rev(), n),
            Tally::Each(all) => Sorted::of_all(all),
        }
    }
}

impl Gather {
    /// One unit's total, and whether its veto fired.
    pub fn push(&mut self, total: Decimal, vetoed: bool) {
        self.all.push(total);
        if vetoed {
            self.vetoed.push(total);
        }
    }

    /// The totals sorted, their spare room given back.
    pub fn sorted(self) -> Standing {
        Standing {
            all: self.all.sorted(),
            vetoed: self.vetoed.sorted(),
        }
    }
}

impl Standing {
    /// The standing of these totals, with whether each unit's veto fired.
    pub fn of(totals: impl IntoIterator<Item = (Decimal, bool)>) -> Standing {
        let mut g = Gather::default();
        for (total, vetoed) in totals {
            g.push(total, vetoed);
        }
        g.sorted()
    }

    /// How many units there are.
    pub fn len(&self) -> usize {
        self.all.count
    }

    /// The competition rank of a unit of this total among all units.
    pub fn rank(&self, total: Decimal) -> usize {
        self.all.above(total) + 1
    }

    /// A unit's place for the results by rank: its rank among the units
    /// not vetoed (none if its own veto fired), and how many those are.
    pub fn place(&self, total: Decimal, vetoed: bool) -> TopPlace {
        let of = self.all.count.saturating_sub(self.vetoed.count);
        let rank = (!vetoed).then(|| {
            let eligible_above = self
                .all
                .above(total)
                .saturating_sub(self.vetoed.above(total));
            eligible_above + 1
        });
        TopPlace { rank, of }
    }
}

#[cfg(test)]
mod tests {
    use super::Standing;
    use crate::report::derived::top_places;
    use crate::report::rollup::ranks_in_order;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    /// Ranks and places by total agree with the ones by position, on
    /// totals with many ties (written at different scales: 1.0 and 1.00)
    /// and vetoes anywhere.
    fn agrees(units: &[(i64, u32, bool)]) {
        let totals: Vec<Decimal> = units.iter().map(|&(n, s, _)| Decimal::new(n, s)).collect();
        let vetoed: Vec<bool> = units.iter().map(|u| u.2).collect();
        let standing = Standing::of(totals.iter().copied().zip(vetoed.iter().copied()));
        let ranks = ranks_in_order(&totals);
        let places = top_places(&totals, &vetoed);
        assert_eq!(standing.len(), totals.len());
        for (i, (&t, &v)) in totals.iter().zip(&vetoed).enumerate() {
            assert_eq!(standing.rank(t), ranks[i], "rank of unit {i} of {units:?}");
            assert_eq!(
                standing.place(t, v),
                places[i],
                "place of unit {i} of {units:?}"
            );
        }
    }

    #[test]
    fn ranks_and_places_by_total_are_those_by_position() {
        agrees(&[]);
        agrees(&[(5, 0, false)]);
        agrees(&[(5, 0, true)]);
        agrees(&[(10, 1, false), (100, 2, true), (1, 0, false), (2, 0, false)]);
        agrees(&[(3, 0, true), (3, 0, false), (3, 0, true), (2, 0, false)]);
    }

    proptest! {
        #[test]
        fn ranks_and_places_agree_on_any_totals(
            units in prop::collection::vec((-20i64..20, 0u32..3, prop::bool::weighted(0.2)), 0..60)
        ) {
            agrees(&units);
        }

        /// Totals that hardly repeat (kept each as it is, not counted) and
        /// totals of a few values (counted, past the few counted in these
        /// tests: every total kept, then sorted into distinct ones).
        #[test]
        fn ranks_and_places_agree_however_the_totals_are_kept(
            units in prop::collection::vec((-10_000i64..10_000, 0u32..3, prop::bool::weighted(0.3)), 0..80),
            few in prop::collection::vec((0i64..4, 0u32..2, prop::bool::weighted(0.3)), 0..80),
        ) {
            agrees(&units);
            let mut both = units.clone();
            both.extend(few.iter().cycle().take(few.len() * 5));
            agrees(&both);
        }
    }
}
