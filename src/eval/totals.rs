//! An entity's totals from its item outcomes: base, deductions, the bonus
//! under the ceilings of indicator, section and table, the veto and the
//! grade.

use super::outcome::{Derived, ItemOutcome, Outcome};
use crate::exact;
use crate::ir::{BandValue, Expr, Lang, Program, ResultRule, Value};
use rust_decimal::Decimal;

/// The outcome's totals and result from its items; `Err(i)` when adding
/// item `i`'s points overflows exact decimals.
/// `FAST`: whether the bonus ceilings may be skipped when there is no
/// bonus.
pub(super) fn totals<'p, const FAST: bool>(
    program: &'p Program,
    id: &str,
    outcome: &mut Outcome<'p>,
) -> std::result::Result<(), usize> {
    let mut base = Decimal::ZERO;
    let mut deductions = Decimal::ZERO;
    let mut bonus_raw = Decimal::ZERO;
    let mut extra_outside = Decimal::ZERO;
    let mut vetoed = false;
    let mut any_bonus = false;
    // Most items take nothing off and add nothing: those sums are only
    // added to (and an item's program entry only read) where they move.
    // A base item is one with a maximum.
    for (i, o) in outcome.items.iter().enumerate() {
        if o.max.is_some() {
            base = plus(base, o.score).ok_or(i)?;
        }
        if !o.deduction.is_zero() {
            deductions = plus(deductions, o.deduction).ok_or(i)?;
        }
        if !o.bonus.is_zero() {
            bonus_raw = plus(bonus_raw, o.bonus).ok_or(i)?;
            any_bonus = true;
        }
        if !o.extra_outside.is_zero() {
            extra_outside = plus(extra_outside, o.extra_outside).ok_or(i)?;
        }
        vetoed |= o.vetoed;
    }
    // With no bonus at all, every ceiling (a number, never below 0) holds
    // nothing back: the bonus is 0 without the sums per heading.
    let last = outcome.items.len().saturating_sub(1);
    // The reports sum points at stake and lost per unit and section: all
    // of them fit when the base total and the deductions do together.
    program.base_total.checked_add(deductions).ok_or(last)?;
    let bonus = if any_bonus || !FAST {
        capped_bonus(program, &outcome.items).ok_or(last)?
    } else {
        Decimal::ZERO
    };
    let total = base
        .checked_sub(deductions)
        .and_then(|t| t.checked_add(bonus))
        .and_then(|t| plus(t, extra_outside))
        .ok_or(last)?;
    let result = if !program.header.has_result {
        if vetoed {
            veto_word(program.header.lang)
        } else {
            ""
        }
    } else if vetoed {
        &program.header.fail
    } else {
        grade(program, total).unwrap_or(&program.header.pass)
    };
    outcome.derived.clear();
    for r in &program.header.results {
        let d = if vetoed {
            Derived::Vetoed
        } else {
            derive(&r.rule, total).ok_or(last)?
        };
        outcome.derived.push(d);
    }
    outcome.id.clear();
    outcome.id.push_str(id);
    outcome.result.clear();
    outcome.result.push_str(result);
    outcome.base = base;
    outcome.deductions = deductions;
    outcome.bonus_raw = bonus_raw;
    outcome.bonus = bonus;
    outcome.extra_outside = extra_outside;
    outcome.total = total;
    outcome.vetoed = vetoed;
    Ok(())
}

/// The bonus after the ceilings, applied from the innermost heading out.
fn capped_bonus(program: &Program, items: &[ItemOutcome]) -> Option<Decimal> {
    let mut sums = Sums::new();
    let by_heading = sums.zeros(program.headings.len());
    let mut bonus = Decimal::ZERO;
    for (item, o) in program.items.iter().zip(items) {
        if o.bonus.is_zero() {
            continue;
        }
        match item.heading.and_then(|h| by_heading.get_mut(h)) {
            Some(b) => *b = plus(*b, o.bonus)?,
            None => bonus = plus(bonus, o.bonus)?,
        }
    }
    // A heading comes before its children: from the last one back, each is
    // complete when reached, and hands its capped bonus to its parent.
    for (at, h) in program.headings.iter().enumerate().rev() {
        let Some(&b) = by_heading.get(at) else {
            continue;
        };
        let capped = h.bonus_cap.map_or(b, |c| exact::min(b, c));
        match h.parent.and_then(|p| by_heading.get_mut(p)) {
            Some(p) => *p = plus(*p, capped)?,
            None => bonus = plus(bonus, capped)?,
        }
    }
    Some(match program.header.bonus_cap {
        Some(c) => exact::min(bonus, c),
        None => bonus,
    })
}

/// Sums per heading, on the stack for a table of up to 64 headings (the
/// 2024 table has 16 indicators in 4 sections), so that the ceilings
/// allocate nothing.
struct Sums {
    stack: [Decimal; 64],
    heap: Vec<Decimal>,
}

impl Sums {
    fn new() -> Sums {
        Sums {
            stack: [Decimal::ZERO; 64],
            heap: Vec::new(),
        }
    }

    /// `n` zeros.
    fn zeros(&mut self, n: usize) -> &mut [Decimal] {
        match self.stack.get_mut(..n) {
            Some(sums) => sums,
            None => {
                self.heap = vec![Decimal::ZERO; n];
                &mut self.heap
            }
        }
    }
}

/// What a table without a result says of a unit whose veto fired.
fn veto_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "否决",
        Lang::En => "vetoed",
    }
}

/// A named result from the total (a veto aside); `None` on overflow.
fn derive(rule: &ResultRule, total: Decimal) -> Option<Derived> {
    Some(match rule {
        ResultRule::Grade { steps, .. } => Derived::Grade(
            steps
                .iter()
                .position(|(_, m)| total >= *m)
                .unwrap_or(steps.len()),
        ),
        ResultRule::PassMark { mark, .. } => Derived::Pass(total >= *mark),
        ResultRule::Payout {
            low,
            low_value,
            high,
            high_value,
            ..
        } => Derived::Payout(if total <= *low {
            *low_value
        } else if total >= *high {
            *high_value
        } else {
            // low_value + (high_value − low_value) × (total − low) / (high − low)
            let rise = high_value.checked_sub(*low_value)?;
            let part = rise
                .checked_mul(total.checked_sub(*low)?)?
                .checked_div(high.checked_sub(*low)?)?;
            low_value.checked_add(part)?.normalize()
        }),
        ResultRule::Top { .. } => Derived::ByRank,
    })
}

fn grade(program: &Program, total: Decimal) -> Option<&str> {
    let band = program
        .header
        .grades
        .as_ref()?
        .iter()
        .find(|b| b.contains(total))?;
    match &band.value {
        BandValue::Value(Expr::Const(Value::Text(t))) => Some(t),
        _ => None,
    }
}

/// `a + b` for the totals, `None` when it overflows exact decimals (items
/// of 5 × 10^28 points each add up beyond them); zero short-cut as in
/// [`add`].
#[inline(always)]
fn plus(a: Decimal, b: Decimal) -> Option<Decimal> {
    if a.is_zero() {
        Some(b)
    } else if b.is_zero() {
        Some(a)
    } else {
        a.checked_add(b)
    }
}

#[cfg(test)]
mod tests {
    use super::{Derived, ResultRule, derive};
    use rust_decimal::Decimal;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// A payout is exact, held to its ends, and never falls as the total
    /// rises (on a grid of totals from 0 to 100 in steps of 0.25).
    #[test]
    fn a_payout_is_exact_held_to_its_ends_and_monotone() {
        let rule = ResultRule::Payout {
            low: d("60"),
            low_value: d("0"),
            high: d("95"),
            high_value: d("1"),
            percent: true,
        };
        let at = |t: &str| match derive(&rule, d(t)) {
            Some(Derived::Payout(v)) => v,
            other => panic!("{other:?}"),
        };
        assert_eq!(at("0"), d("0"));
        assert_eq!(at("60"), d("0"));
        assert_eq!(at("77.5"), d("0.5"));
        assert_eq!(at("95"), d("1"));
        assert_eq!(at("120"), d("1"));
        // 26.5 / 35, to rust_decimal's 28 digits.
        assert_eq!(at("86.5"), d("26.5") / d("35"));
        let mut before = Decimal::MIN;
        for q in 0..=400 {
            let v = at(&(Decimal::from(q) / Decimal::from(4)).to_string());
            assert!(v >= before && v >= d("0") && v <= d("1"), "{q}: {v}");
            before = v;
        }
    }

    /// A grade is the first step whose mark the total reaches, and a
    /// higher total never gets a lower step.
    #[test]
    fn a_grade_is_the_first_mark_reached_and_monotone() {
        let rule = ResultRule::Grade {
            steps: vec![("优秀".into(), d("90")), ("良好".into(), d("80"))],
            otherwise: "合格".into(),
        };
        let at = |t: &str| match derive(&rule, d(t)) {
            Some(Derived::Grade(k)) => k,
            other => panic!("{other:?}"),
        };
        assert_eq!(at("90"), 0);
        assert_eq!(at("89.99"), 1);
        assert_eq!(at("80"), 1);
        assert_eq!(at("79.999"), 2);
        let mut before = usize::MAX;
        for q in 0..=1000 {
            let k = at(&(Decimal::from(q) / Decimal::from(10)).to_string());
            assert!(k <= before, "{q}");
            before = k;
        }
    }
}
