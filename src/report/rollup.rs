//! The department roll-up: for each responsible unit, the items it owns,
//! the points at stake and the points lost. An item several units share
//! appears under each of them, marked shared, with its full points: the
//! units answer for it together.

use crate::eval::{ItemOutcome, Outcome};
use crate::ir::{Item, ItemKind, Program};
use rust_decimal::Decimal;

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
    /// A veto item whose veto fired.
    pub vetoed: bool,
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
        for unit in &item.responsible {
            if !units.iter().any(|u| u.unit == unit.as_str()) {
                units.push(UnitRollup {
                    unit,
                    items: Vec::new(),
                    at_stake: Decimal::ZERO,
                    lost: Decimal::ZERO,
                    vetoed: Vec::new(),
                });
            }
            let Some(u) = units.iter_mut().find(|u| u.unit == unit.as_str()) else {
                continue;
            };
            let entry = UnitItem {
                item,
                shared: item.responsible.len() > 1,
                at_stake: at_stake(&item.kind, io),
                lost: lost(io),
                vetoed: item.kind == ItemKind::Veto && io.vetoed,
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
/// in a few dozen bytes, not the entity's outcome.
#[derive(Default)]
pub struct Kept {
    totals: Vec<Decimal>,
    /// The ids one after another; `ends[i]` is where the i-th one ends.
    ids: String,
    ends: Vec<usize>,
    results: Vec<String>,
    result_of: Vec<u32>,
}

impl Kept {
    pub fn push(&mut self, id: &str, total: Decimal, result: &str) {
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

    /// The i-th entity's id, total and result.
    pub fn get(&self, i: usize) -> Option<(&str, Decimal, &str)> {
        let from = match i.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        let id = self.ids.get(from..*self.ends.get(i)?)?;
        let total = *self.totals.get(i)?;
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
/// [`ranks`] without copying the ids.
pub fn ranked(
    kept: &Kept,
    tie: impl Fn(usize, usize) -> std::cmp::Ordering,
) -> Vec<(usize, usize)> {
    let total = |i: usize| kept.totals.get(i).copied();
    let mut order: Vec<usize> = (0..kept.len()).collect();
    order.sort_by(|&a, &b| total(b).cmp(&total(a)).then_with(|| tie(a, b)));
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(order.len());
    let mut before: Option<(Option<Decimal>, usize)> = None;
    for (n, i) in order.into_iter().enumerate() {
        let r = match before {
            Some((prev, r)) if prev == total(i) => r,
            _ => n + 1,
        };
        before = Some((total(i), r));
        out.push((i, r));
    }
    out
}

/// Per section: `(label and title, points at stake, score, lost)`, where the
/// score is the base items' scores less what deductions took.
pub fn sections(program: &Program, o: &Outcome) -> Vec<(String, Decimal, Decimal, Decimal)> {
    let mut out: Vec<(String, Decimal, Decimal, Decimal)> = program
        .sections
        .iter()
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
        let Some(section) = program.indicators.get(item.indicator).map(|i| i.parent) else {
            continue;
        };
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
    use super::{Kept, ranked, ranks, ranks_in_order};
    use rust_decimal::Decimal;

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

    #[test]
    fn ties_share_a_rank_and_the_next_rank_is_skipped() {
        let t = |id: &str, n: i64| (id.to_string(), Decimal::from(n));
        let r = ranks(&[t("a", 90), t("b", 95), t("c", 90), t("d", 80)]);
        let got: Vec<(&str, usize)> = r.iter().map(|(id, _, k)| (id.as_str(), *k)).collect();
        assert_eq!(got, [("b", 1), ("a", 2), ("c", 2), ("d", 4)]);
    }
}
