//! The department roll-up: for each responsible unit, the items it owns,
//! the points at stake and the points lost. An item several `responsible`
//! units share appears under each of them, marked shared, with its full
//! points: the units answer for it together.
//!
//! An item with a lead unit (牵头单位) and supporting units (配合单位) is
//! attributed by the header's `attribution` rule instead: `lead` gives the
//! lead unit all its points at stake and lost (the supporting units appear
//! with 0); `shared` splits them equally among the lead and supporting
//! units by [`split`], so the parts add up to the item's points exactly. A
//! fired veto goes to the lead under `lead`, to every unit under `shared`.

use crate::eval::{ItemOutcome, Outcome};
use crate::ir::{Attribution, Item, ItemKind, Program};
use rust_decimal::{Decimal, RoundingStrategy};

pub struct UnitRollup<'p> {
    pub unit: &'p str,
    pub items: Vec<UnitItem<'p>>,
    /// Σ of the maxima of the unit's base items.
    pub at_stake: Decimal,
    /// Σ of the points its items lost.
    pub lost: Decimal,
    /// The ids of its veto items whose veto fired: a veto is attributed
    /// to every unit responsible for the veto item.
    pub vetoed: Vec<&'p str>,
}

pub struct UnitItem<'p> {
    pub item: &'p Item,
    pub shared: bool,
    pub at_stake: Decimal,
    pub lost: Decimal,
    /// A veto item whose veto fired (attributed to this unit).
    pub vetoed: bool,
    /// How the unit answers for the item.
    pub role: UnitRole,
}

/// How a unit answers for an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitRole {
    /// One of its `responsible` units (责任单位).
    Responsible,
    /// Its lead unit (牵头单位).
    Lead,
    /// One of its supporting units (配合单位).
    Supporting,
}

impl UnitRole {
    /// The role as the JSON report and the XLSX sheet name it.
    pub fn key(self) -> &'static str {
        match self {
            UnitRole::Responsible => "responsible",
            UnitRole::Lead => "lead",
            UnitRole::Supporting => "supporting",
        }
    }
}

/// `points` split among units by `weights`, the first unit (the lead)
/// taking the remainder: each other unit gets its share rounded down to
/// the 0.01 point, or to the points' own decimals where they have more
/// (0.125 is split in thousandths), and the lead gets what is left, so the
/// parts add up to `points` exactly and no part is negative. With no
/// weight, or weights that add up to 0 or overflow, all goes to the lead.
pub fn split(points: Decimal, weights: &[Decimal]) -> Vec<Decimal> {
    let mut parts = vec![Decimal::ZERO; weights.len()];
    let Some(first) = parts.first_mut() else {
        return parts;
    };
    *first = points;
    let Some(total) = weights
        .iter()
        .try_fold(Decimal::ZERO, |a, w| a.checked_add((*w).max(Decimal::ZERO)))
        .filter(|t| *t > Decimal::ZERO)
    else {
        return parts;
    };
    let scale = points.scale().max(2);
    let mut given = Decimal::ZERO;
    let mut shares = Vec::with_capacity(weights.len());
    for w in weights.iter().skip(1) {
        let share = points
            .checked_mul((*w).max(Decimal::ZERO))
            .and_then(|p| p.checked_div(total))
            .map(|s| s.round_dp_with_strategy(scale, RoundingStrategy::ToZero));
        let Some(share) = share.filter(|s| *s >= Decimal::ZERO) else {
            return parts;
        };
        given += share;
        shares.push(share);
    }
    if given > points {
        return parts;
    }
    *first = points - given;
    for (slot, share) in parts.iter_mut().skip(1).zip(shares) {
        *slot = share;
    }
    parts
}

/// Each unit of an item with its role and its part of the points at stake
/// and lost, by the table's attribution rule.
fn attributed<'p>(
    program: &Program,
    item: &'p Item,
    io: &ItemOutcome,
) -> Vec<(&'p str, UnitItem<'p>)> {
    let n = item.responsible.len();
    let vetoed = item.kind == ItemKind::Veto && io.vetoed;
    let (stake, lost) = (at_stake(&item.kind, io), lost(io));
    if item.lead.is_none() {
        return (item.responsible.iter())
            .map(|unit| {
                let entry = UnitItem {
                    item,
                    shared: n > 1,
                    at_stake: stake,
                    lost,
                    vetoed,
                    role: UnitRole::Responsible,
                };
                (unit.as_str(), entry)
            })
            .collect();
    }
    let shared = program.header.attribution == Attribution::Shared;
    let weights: Vec<Decimal> = (0..n)
        .map(|i| {
            if shared || i == 0 {
                Decimal::ONE
            } else {
                Decimal::ZERO
            }
        })
        .collect();
    let stakes = split(stake, &weights);
    let losses = split(lost, &weights);
    (item.responsible.iter().enumerate())
        .map(|(i, unit)| {
            let entry = UnitItem {
                item,
                shared: shared && n > 1,
                at_stake: stakes.get(i).copied().unwrap_or_default(),
                lost: losses.get(i).copied().unwrap_or_default(),
                vetoed: vetoed && (shared || i == 0),
                role: if i == 0 {
                    UnitRole::Lead
                } else {
                    UnitRole::Supporting
                },
            };
            (unit.as_str(), entry)
        })
        .collect()
}

/// Points an item lost: what a base item fell short of its maximum, and
/// what deduction parts took off.
pub fn lost(io: &ItemOutcome) -> Decimal {
    io.max
        .map_or(Decimal::ZERO, |m| (m - io.score).max(Decimal::ZERO))
        + io.deduction
}

/// The points at stake in an item: a base item's maximum; 0 for items that
/// only deduct or add.
pub fn at_stake(kind: &ItemKind, io: &ItemOutcome) -> Decimal {
    match kind {
        ItemKind::Base(_) => io.max.unwrap_or(Decimal::ZERO),
        _ => Decimal::ZERO,
    }
}

/// The units in the order the table first names them.
pub fn rollup<'p>(program: &'p Program, outcome: &Outcome) -> Vec<UnitRollup<'p>> {
    let mut units: Vec<UnitRollup<'p>> = Vec::new();
    for (item, io) in program.items.iter().zip(&outcome.items) {
        for (unit, entry) in attributed(program, item, io) {
            if !units.iter().any(|u| u.unit == unit) {
                units.push(UnitRollup {
                    unit,
                    items: Vec::new(),
                    at_stake: Decimal::ZERO,
                    lost: Decimal::ZERO,
                    vetoed: Vec::new(),
                });
            }
            let Some(u) = units.iter_mut().find(|u| u.unit == unit) else {
                continue;
            };
            if entry.vetoed {
                u.vetoed.push(&item.id);
            }
            u.at_stake += entry.at_stake;
            u.lost += entry.lost;
            u.items.push(entry);
        }
    }
    units
}

/// Competition ranks by total, highest first: 1, 2, 2, 4.
#[cfg(test)]
pub fn ranks(totals: &[(String, Decimal)]) -> Vec<(String, Decimal, usize)> {
    let mut sorted: Vec<(String, Decimal)> = totals.to_vec();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut out: Vec<(String, Decimal, usize)> = Vec::with_capacity(sorted.len());
    for (i, (id, t)) in sorted.into_iter().enumerate() {
        let rank = match out.last() {
            Some((_, prev, r)) if *prev == t => *r,
            _ => i + 1,
        };
        out.push((id, t, rank));
    }
    out
}

/// What `--rank` keeps per entity, in the order the entities were scored:
/// the total, the id and the result (a few distinct texts, each kept once),
/// in a few dozen bytes, not the entity's outcome. The totals are kept as
/// [`Totals`]: each distinct one once and 2 bytes an entity while there are
/// at most 65,536 of them.
#[derive(Default)]
pub struct Kept {
    totals: Totals,
    /// The ids one after another; `ends[i]` is where the i-th one ends.
    ids: String,
    ends: Vec<usize>,
    results: Vec<String>,
    result_of: Vec<u32>,
    /// Whether a veto fired, for results by rank (`top`).
    vetoed: Vec<bool>,
}

/// The most distinct totals kept as [`Totals::Few`]: an entity's is then
/// a `u16`. A few in the unit tests, so that they go past it.
#[cfg(not(test))]
const FEW: usize = 1 << 16;
#[cfg(test)]
const FEW: usize = 8;

/// Every entity's total, by position. A table's totals mostly repeat (a
/// few thousand distinct values in 0.01 steps, however many units): while
/// there are at most [`FEW`] distinct ones, each is kept once and an
/// entity holds its index (2 bytes instead of 16); past that, every total
/// is kept as it is. Equal totals written at different scales (90.5,
/// 90.50) are kept as the first one met: every report prints a total
/// rounded to 0.01 (`fmt2`), which is the same for both.
enum Totals {
    Few {
        distinct: Vec<Decimal>,
        index: std::collections::BTreeMap<Decimal, u16>,
        of: Vec<u16>,
    },
    Each(Vec<Decimal>),
}

impl Default for Totals {
    fn default() -> Totals {
        Totals::Few {
            distinct: Vec::new(),
            index: std::collections::BTreeMap::new(),
            of: Vec::new(),
        }
    }
}

impl Totals {
    fn push(&mut self, total: Decimal) {
        let Totals::Few {
            distinct,
            index,
            of,
        } = self
        else {
            if let Totals::Each(all) = self {
                all.push(total);
            }
            return;
        };
        if let Some(&k) = index.get(&total) {
            return of.push(k);
        }
        if let Ok(k) = u16::try_from(distinct.len())
            && distinct.len() < FEW
        {
            index.insert(total, k);
            distinct.push(total);
            return of.push(k);
        }
        // More distinct totals than an index holds: each kept as it is.
        let mut all = Vec::with_capacity(of.capacity().max(of.len() + 1));
        all.extend(of.iter().filter_map(|&k| distinct.get(usize::from(k))));
        all.push(total);
        *self = Totals::Each(all);
    }

    fn len(&self) -> usize {
        match self {
            Totals::Few { of, .. } => of.len(),
            Totals::Each(all) => all.len(),
        }
    }

    fn reserve(&mut self, n: usize) {
        match self {
            Totals::Few { of, .. } => of.reserve_exact(n),
            Totals::Each(all) => all.reserve_exact(n),
        }
    }

    fn get(&self, i: usize) -> Option<Decimal> {
        match self {
            Totals::Few { distinct, of, .. } => distinct.get(usize::from(*of.get(i)?)).copied(),
            Totals::Each(all) => all.get(i).copied(),
        }
    }
}

impl Kept {
    pub fn push(&mut self, id: &str, total: Decimal, result: &str, vetoed: bool) {
        self.vetoed.push(vetoed);
        self.totals.push(total);
        self.ids.push_str(id);
        self.ends.push(self.ids.len());
        let r = match self.results.iter().position(|r| r == result) {
            Some(r) => r,
            None => {
                self.results.push(result.to_string());
                self.results.len() - 1
            }
        };
        self.result_of.push(u32::try_from(r).unwrap_or(u32::MAX));
    }

    pub fn len(&self) -> usize {
        self.totals.len()
    }

    /// Room for `n` entities whose ids take `ids` bytes in all, made once
    /// when a first pass has counted them, instead of grown by doubling.
    pub fn reserve(&mut self, n: usize, ids: usize) {
        self.totals.reserve(n);
        self.ids.reserve_exact(ids);
        self.ends.reserve_exact(n);
        self.result_of.reserve_exact(n);
        self.vetoed.reserve_exact(n);
    }

    /// Every entity's total, in order.
    fn all_totals(&self) -> impl Iterator<Item = Decimal> + '_ {
        (0..self.len()).filter_map(|i| self.totals.get(i))
    }

    /// Each entity's place for the results by rank (`top`), by position.
    pub fn top_places(&self) -> Vec<super::derived::TopPlace> {
        let totals: Vec<Decimal> = self.all_totals().collect();
        super::derived::top_places(&totals, &self.vetoed)
    }

    /// The totals sorted, for each entity's rank and place by its total
    /// (a few bytes an entity, where [`Kept::top_places`] takes 24).
    pub fn standing(&self) -> super::standing::Standing {
        let vetoed = self.vetoed.iter().copied();
        super::standing::Standing::of(self.all_totals().zip(vetoed))
    }

    /// Whether the i-th entity's veto fired.
    pub fn vetoed(&self, i: usize) -> Option<bool> {
        self.vetoed.get(i).copied()
    }

    /// The i-th entity's id, total and result.
    pub fn get(&self, i: usize) -> Option<(&str, Decimal, &str)> {
        let from = match i.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        let id = self.ids.get(from..*self.ends.get(i)?)?;
        let total = self.totals.get(i)?;
        let result = self
            .result_of
            .get(i)
            .and_then(|&r| self.results.get(usize::try_from(r).ok()?))
            .map_or("", String::as_str);
        Some((id, total, result))
    }
}

/// Competition ranks by total, highest first (1, 2, 2, 4), of the totals
/// in order: each one's rank, by position. Ties share a rank, so the order
/// among them does not change it.
pub fn ranks_in_order(totals: &[Decimal]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..totals.len()).collect();
    order.sort_by(|&a, &b| totals.get(b).cmp(&totals.get(a)));
    let mut rank = vec![0; totals.len()];
    let mut before: Option<(Decimal, usize)> = None;
    for (n, &i) in order.iter().enumerate() {
        let Some(&t) = totals.get(i) else { continue };
        let r = match before {
            Some((prev, r)) if prev == t => r,
            _ => n + 1,
        };
        before = Some((t, r));
        if let Some(slot) = rank.get_mut(i) {
            *slot = r;
        }
    }
    rank
}

/// The positions of `kept` ranked highest total first, ties in the order
/// `tie` gives, each with its competition rank: the order of
/// [`ranks`] without copying the ids, the ranks given as they are read
/// (8 bytes a unit held, the order).
pub fn ranked<'k>(
    kept: &'k Kept,
    tie: impl Fn(usize, usize) -> std::cmp::Ordering,
) -> impl Iterator<Item = (usize, usize)> + 'k {
    let total = |i: usize| kept.totals.get(i);
    let mut order: Vec<usize> = (0..kept.len()).collect();
    order.sort_by(|&a, &b| total(b).cmp(&total(a)).then_with(|| tie(a, b)));
    let mut before: Option<(Option<Decimal>, usize)> = None;
    order.into_iter().enumerate().map(move |(n, i)| {
        let r = match before {
            Some((prev, r)) if prev == total(i) => r,
            _ => n + 1,
        };
        before = Some((total(i), r));
        (i, r)
    })
}

/// Per section: `(label and title, points at stake, score, lost)`, where the
/// score is the base items' scores less what deductions took.
pub fn sections(program: &Program, o: &Outcome) -> Vec<(String, Decimal, Decimal, Decimal)> {
    let mut out: Vec<(String, Decimal, Decimal, Decimal)> = (program.headings.iter())
        .filter(|h| h.parent.is_none())
        .map(|s| {
            (
                format!("{} {}", s.label, s.title),
                Decimal::ZERO,
                Decimal::ZERO,
                Decimal::ZERO,
            )
        })
        .collect();
    for (item, io) in program.items.iter().zip(&o.items) {
        // The section's place among the sections.
        let Some(top) = program.section_of(item) else {
            continue;
        };
        let section = (program.headings.iter().take(top))
            .filter(|h| h.parent.is_none())
            .count();
        if let Some(row) = out.get_mut(section) {
            row.1 += at_stake(&item.kind, io);
            if matches!(item.kind, ItemKind::Base(_)) {
                row.2 += io.score;
            }
            row.2 -= io.deduction;
            row.3 += lost(io);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Kept, ranked, ranks, ranks_in_order, split};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    #[test]
    fn an_equal_split_rounds_down_and_gives_the_remainder_to_the_lead() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let one = [Decimal::ONE; 3];
        assert_eq!(split(d("1"), &one), [d("0.34"), d("0.33"), d("0.33")]);
        assert_eq!(split(d("2"), &one), [d("0.68"), d("0.66"), d("0.66")]);
        // The points' own finer decimals are kept: 0.125 in thousandths.
        assert_eq!(
            split(d("0.125"), &one),
            [d("0.043"), d("0.041"), d("0.041")]
        );
        // All to the lead: weight only on the first unit, or none at all.
        let lead = [Decimal::ONE, Decimal::ZERO];
        assert_eq!(split(d("2.5"), &lead), [d("2.5"), d("0")]);
        assert_eq!(split(d("2.5"), &[Decimal::ZERO; 2]), [d("2.5"), d("0")]);
        assert!(split(d("2.5"), &[]).is_empty());
    }

    proptest! {
        /// For random points and random shares, the parts add up to the
        /// points exactly, none is negative, and each supporting unit's part
        /// is its exact share rounded down to one hundredth (or the points'
        /// own finer step).
        #[test]
        fn attributed_points_add_up_to_the_points_lost(
            cents in 0i64..10_000_000,
            scale in 0u32..5,
            weights in proptest::collection::vec(0u32..1000, 1..8),
        ) {
            let points = Decimal::new(cents, scale);
            let weights: Vec<Decimal> = weights.into_iter().map(Decimal::from).collect();
            let parts = split(points, &weights);
            prop_assert_eq!(parts.len(), weights.len());
            prop_assert_eq!(parts.iter().copied().sum::<Decimal>(), points);
            prop_assert!(parts.iter().all(|p| *p >= Decimal::ZERO));
            let total: Decimal = weights.iter().copied().sum();
            if total > Decimal::ZERO {
                let step = Decimal::new(1, points.scale().max(2));
                for (part, w) in parts.iter().zip(&weights).skip(1) {
                    let exact = points * w / total;
                    prop_assert!(*part <= exact && exact - *part < step, "{part} for {exact}");
                }
            }
        }
    }

    #[test]
    fn ranks_kept_compactly_are_the_ranks_of_the_ids_and_totals() {
        let totals = [90, 95, 90, 80, 95, 100, 80, 90];
        let ids = ["c", "a", "b", "d", "a", "e", "f", "b"];
        let mut kept = Kept::default();
        for (i, (id, t)) in ids.iter().zip(totals).enumerate() {
            kept.push(
                id,
                Decimal::from(t),
                if i % 3 == 0 { "合格" } else { "不合格" },
                false,
            );
        }
        let listed: Vec<(String, Decimal)> = ids
            .iter()
            .zip(totals)
            .map(|(id, t)| (id.to_string(), Decimal::from(t)))
            .collect();
        // By id among ties, as the JSON report's ranking lists them.
        let old = ranks(&listed);
        let new = ranked(&kept, |a, b| {
            kept.get(a).map(|k| k.0).cmp(&kept.get(b).map(|k| k.0))
        });
        let new: Vec<(String, Decimal, usize)> = new
            .into_iter()
            .map(|(i, r)| {
                let (id, t, _) = kept.get(i).unwrap();
                (id.to_string(), t, r)
            })
            .collect();
        assert_eq!(new, old);
        // By position: each one's rank.
        let by_position: Vec<(String, Decimal)> = totals
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("{i:012}"), Decimal::from(*t)))
            .collect();
        let mut want = vec![0; totals.len()];
        for (i, _, r) in ranks(&by_position) {
            want[i.parse::<usize>().unwrap()] = r;
        }
        let totals: Vec<Decimal> = totals.iter().map(|t| Decimal::from(*t)).collect();
        assert_eq!(ranks_in_order(&totals), want);
        assert_eq!(kept.get(2), Some(("b", Decimal::from(90), "不合格")));
        assert_eq!(kept.get(3), Some(("d", Decimal::from(80), "合格")));
        assert_eq!(kept.get(8), None);
    }

    proptest! {
        /// Each entity's total as it was kept, however many distinct ones
        /// (past the few kept by index in these tests, every one as it is),
        /// and the standing made of them that of the totals themselves.
        #[test]
        fn kept_totals_are_the_totals_pushed(
            units in proptest::collection::vec((-50i64..50, 0u32..3, proptest::bool::weighted(0.2)), 0..60),
        ) {
            let mut kept = Kept::default();
            kept.reserve(units.len() / 2, 0);
            for (i, &(n, s, v)) in units.iter().enumerate() {
                kept.push(&format!("u{i}"), Decimal::new(n, s), "", v);
            }
            prop_assert_eq!(kept.len(), units.len());
            let totals: Vec<Decimal> = units.iter().map(|&(n, s, _)| Decimal::new(n, s)).collect();
            let vetoed: Vec<bool> = units.iter().map(|u| u.2).collect();
            let standing = kept.standing();
            for (i, &t) in totals.iter().enumerate() {
                let (id, total, _) = kept.get(i).unwrap();
                prop_assert_eq!(id, format!("u{i}"));
                prop_assert_eq!(total, t);
                prop_assert_eq!(standing.rank(t), ranks_in_order(&totals)[i]);
            }
            prop_assert_eq!(kept.top_places(), crate::report::derived::top_places(&totals, &vetoed));
        }
    }

    #[test]
    fn ties_share_a_rank_and_the_next_rank_is_skipped() {
        let t = |id: &str, n: i64| (id.to_string(), Decimal::from(n));
        let r = ranks(&[t("a", 90), t("b", 95), t("c", 90), t("d", 80)]);
        let got: Vec<(&str, usize)> = r.iter().map(|(id, _, k)| (id.as_str(), *k)).collect();
        assert_eq!(got, [("b", 1), ("a", 2), ("c", 2), ("d", 4)]);
    }
}
