//! The department roll-up: for each responsible unit, the items it owns,
//! the points at stake and the points lost. An item several units share
//! appears under each of them, marked shared, with its full points: the
//! units answer for it together.

use crate::check::ir::{Item, ItemKind, Program};
use crate::eval::{ItemOutcome, Outcome};
use rust_decimal::Decimal;

pub struct UnitRollup<'p> {
    pub unit: &'p str,
    pub items: Vec<UnitItem<'p>>,
    /// Σ of the maxima of the unit's base items.
    pub at_stake: Decimal,
    /// Σ of the points its items lost.
    pub lost: Decimal,
}

pub struct UnitItem<'p> {
    pub item: &'p Item,
    pub shared: bool,
    pub at_stake: Decimal,
    pub lost: Decimal,
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
            };
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
    use super::ranks;
    use rust_decimal::Decimal;

    #[test]
    fn ties_share_a_rank_and_the_next_rank_is_skipped() {
        let t = |id: &str, n: i64| (id.to_string(), Decimal::from(n));
        let r = ranks(&[t("a", 90), t("b", 95), t("c", 90), t("d", 80)]);
        let got: Vec<(&str, usize)> = r.iter().map(|(id, _, k)| (id.as_str(), *k)).collect();
        assert_eq!(got, [("b", 1), ("a", 2), ("c", 2), ("d", 4)]);
    }
}
