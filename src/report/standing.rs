//! What a ranking needs of every unit, and no more: every total, sorted
//! highest first (16 bytes a unit), and the totals of the units whose veto
//! fired. A unit's competition rank (1, 2, 2, 4) is one more than the
//! number of totals above its own, and its place for the results by rank
//! (`top 3 => "先进单位"`) one more than the number of units not vetoed
//! above it, both found by binary search from the unit's own total: nothing
//! is kept by position, so `kaohe eval --rank` and the HTML report hold 16
//! bytes a unit between their two passes, not 40 (its rank and place).
//!
//! The same answers as [`super::rollup::ranks_in_order`] and
//! [`super::derived::top_places`], which sort positions (tested below).

use super::derived::TopPlace;
use rust_decimal::Decimal;

/// Every unit's total, sorted, and the vetoed units' totals.
#[derive(Default)]
pub struct Standing {
    /// Every total, highest first.
    all: Vec<Decimal>,
    /// The totals of the units whose veto fired, highest first.
    vetoed: Vec<Decimal>,
}

/// Totals gathered one unit at a time, then sorted into a [`Standing`].
#[derive(Default)]
pub struct Gather {
    all: Vec<Decimal>,
    vetoed: Vec<Decimal>,
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
        let (mut all, mut vetoed) = (self.all, self.vetoed);
        all.sort_unstable_by(|a, b| b.cmp(a));
        vetoed.sort_unstable_by(|a, b| b.cmp(a));
        all.shrink_to_fit();
        vetoed.shrink_to_fit();
        Standing { all, vetoed }
    }
}

/// How many of `totals` (highest first) are above `total`.
fn above(totals: &[Decimal], total: Decimal) -> usize {
    totals.partition_point(|t| *t > total)
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
        self.all.len()
    }

    /// The competition rank of a unit of this total among all units.
    pub fn rank(&self, total: Decimal) -> usize {
        above(&self.all, total) + 1
    }

    /// A unit's place for the results by rank: its rank among the units
    /// not vetoed (none if its own veto fired), and how many those are.
    pub fn place(&self, total: Decimal, vetoed: bool) -> TopPlace {
        let of = self.all.len().saturating_sub(self.vetoed.len());
        let rank = (!vetoed).then(|| {
            let eligible_above = above(&self.all, total).saturating_sub(above(&self.vetoed, total));
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
    }
}
