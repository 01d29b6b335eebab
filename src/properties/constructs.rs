//! Laws of the constructs of issue 15, on generated data for the specs and
//! patterns that use them: heading subtotals, extra awards beyond an item's
//! points, waivers, the header's named results and standards by class.

use super::entity;
use crate::data::Entity;
use crate::eval::subtotals::subtotals;
use crate::eval::{Derived, Outcome, evaluate};
use crate::ir::{Block, ExtraCeiling, ItemKind, Node, Program, ResultRule, Ty, Unit, Value};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::sync::LazyLock;

fn program(text: &str, what: &str) -> Program {
    crate::compile(text)
        .program
        .unwrap_or_else(|| panic!("{what} checks"))
}

/// Headings with their own points; a named result; bonus ceilings.
static HOSPITAL: LazyLock<Program> = LazyLock::new(|| {
    program(
        include_str!("../../specs/county-hospital-2024.kh"),
        "county-hospital",
    )
});
static TOWNSHIP: LazyLock<Program> = LazyLock::new(|| {
    program(
        include_str!("../../specs/township-safety-2024.kh"),
        "township-safety",
    )
});
static LEVELS: LazyLock<Program> = LazyLock::new(|| {
    program(
        include_str!("../../tests/patterns/L1-points-per-level/spec.kh"),
        "L1",
    )
});
/// A heading's ceiling on what it loses, on indicators and a section.
static HEADING_CAPS: LazyLock<Program> = LazyLock::new(|| {
    program(
        include_str!("../../tests/patterns/L4-heading-deduction-cap/spec.kh"),
        "L4",
    )
});
/// A table of two levels (sections holding items) with ceilings.
static TWO_LEVELS: LazyLock<Program> = LazyLock::new(|| {
    program(
        include_str!("../../tests/patterns/L6-two-levels/spec.kh"),
        "L6",
    )
});
/// A table of five levels with ceilings at its third and fourth levels.
static FIVE_LEVELS: LazyLock<Program> = LazyLock::new(|| {
    program(
        include_str!("../../tests/patterns/L7-five-levels/spec.kh"),
        "L7",
    )
});
/// A real table of four levels (一级 → 二级 → 三级指标 → 考核事项) with
/// points on its first and third levels, an assessor's item and facts that
/// may not apply (specs/residency-surgery-2016.kh).
static FOUR_LEVELS: LazyLock<Program> = LazyLock::new(|| {
    program(
        include_str!("../../specs/residency-surgery-2016.kh"),
        "residency-surgery",
    )
});
/// A real table of two levels whose sections hold bonus ceilings over
/// extra awards within them (specs/health-supervision-2013.kh).
static SUPERVISION: LazyLock<Program> = LazyLock::new(|| {
    program(
        include_str!("../../specs/health-supervision-2013.kh"),
        "health-supervision",
    )
});
/// Extra awards within and outside the bonus ceiling.
static EXTRA: LazyLock<Program> = LazyLock::new(|| {
    program(
        include_str!("../../tests/patterns/B8-earned-with-extra-award/spec.kh"),
        "B8",
    )
});
/// Waivers of an item's and a part's deductions.
static WAIVER: LazyLock<Program> = LazyLock::new(|| {
    program(
        include_str!("../../tests/patterns/D15-periodic-with-waiver/spec.kh"),
        "D15",
    )
});
/// The same without its waivers.
static UNWAIVED: LazyLock<Program> = LazyLock::new(|| {
    let mut p = WAIVER.clone();
    fn clear(b: &mut Block) {
        b.waivers.clear();
        for n in &mut b.nodes {
            if let Node::Block(child) = n {
                clear(child);
            }
        }
    }
    for item in &mut p.items {
        clear(&mut item.body);
    }
    p
});
/// Grades, a pass mark and a payout.
static RESULTS: LazyLock<Program> = LazyLock::new(|| {
    program(
        include_str!("../../tests/patterns/R1-grades-and-payout/spec.kh"),
        "R1",
    )
});
const STANDARDS_TEXT: &str =
    include_str!("../../tests/patterns/C1-class-dependent-standard/spec.kh");
static STANDARDS: LazyLock<Program> = LazyLock::new(|| program(STANDARDS_TEXT, "C1"));
/// C1 with each rule's standard replaced by the row of one class, by class.
static STANDARDS_BY_CLASS: LazyLock<Vec<Program>> = LazyLock::new(|| {
    let p = &*STANDARDS;
    let class = p.standards.first().expect("C1 has standards").class;
    let n = match &p.inputs[class].ty {
        Ty::Enum(e) => p.enums[*e].variants.len(),
        other => panic!("the class is {other:?}"),
    };
    (0..n)
        .map(|k| {
            let rules: Vec<String> = STANDARDS_TEXT
                .lines()
                .map(|line| {
                    if !line.trim_start().starts_with('扣') {
                        return line.to_string();
                    }
                    let mut line = line.to_string();
                    // Longest name first: no name is a part of another.
                    let mut standards: Vec<_> = p.standards.iter().collect();
                    standards.sort_by_key(|s| std::cmp::Reverse(s.name.len()));
                    for s in standards {
                        line = line.replace(&s.name, &literal(s.values[k], &s.ty));
                    }
                    line
                })
                .collect();
            program(&rules.join("\n"), "C1 with literals")
        })
        .collect()
});

/// A number as a spec writes it in the unit of `ty`.
fn literal(v: Decimal, ty: &Ty) -> String {
    match ty {
        Ty::Rate | Ty::Number(Unit::Percent) => {
            format!("{}%", (v * Decimal::ONE_HUNDRED).normalize())
        }
        _ => v.normalize().to_string(),
    }
}

/// An entity for `p`, with each assessor's score within its points (the
/// data stage refuses one beyond them).
fn valid_entity(p: &'static Program) -> impl Strategy<Value = Entity> {
    let judged: Vec<(usize, Decimal)> = (p.inputs.iter().enumerate())
        .filter_map(|(s, i)| i.judged.as_ref().map(|j| (s, j.max)))
        .collect();
    (
        entity(p),
        proptest::collection::vec(0u32..=100, judged.len()),
    )
        .prop_map(move |(mut e, shares)| {
            for ((slot, max), share) in judged.iter().zip(shares) {
                let v = (*max * Decimal::from(share) / Decimal::ONE_HUNDRED).round_dp(2);
                e.values[*slot] = Value::Num(v);
            }
            e
        })
}

/// The outcome, or the case rejected when the generated data is not one a
/// clerk could give (an optional fact left out that a rule reads).
fn scored<'p>(p: &'p Program, e: &Entity) -> Result<Outcome<'p>, TestCaseError> {
    evaluate(p, e).map_err(|err| {
        TestCaseError::reject(format!(
            "does not score: {}",
            err.to_diagnostic(&e.id).message.en
        ))
    })
}

fn subtotals_hold(p: &Program, e: &Entity) -> Result<(), TestCaseError> {
    let o = scored(p, e)?;
    let s = subtotals(p, &o).expect("no overflow");
    for (k, h) in p.headings.iter().enumerate() {
        let items: Vec<_> = (p.items.iter().zip(&o.items))
            .filter(|(i, _)| i.heading == Some(k))
            .collect();
        let base: Decimal = (items.iter())
            .filter(|(_, io)| io.max.is_some())
            .map(|(_, io)| io.score)
            .sum();
        let taken: Decimal = items.iter().map(|(_, io)| io.deduction).sum();
        let bonus: Decimal = items.iter().map(|(_, io)| io.bonus).sum();
        let sub = s.headings[k];
        prop_assert_eq!(sub.points, h.worth(), "heading {}", &h.label);
        let children: Vec<usize> = (p.headings.iter().enumerate())
            .filter(|(_, c)| c.parent == Some(k))
            .map(|(c, _)| c)
            .collect();
        if children.is_empty() {
            let bonus = h.bonus_cap.map_or(bonus, |c| bonus.min(c));
            prop_assert_eq!(sub.earned, base - taken + bonus, "heading {}", &h.label);
        } else {
            // A heading of headings earns what they earn, its own bonus
            // ceiling aside. Summed in another order than the subtotal
            // (nets and bonuses apart), scores of 28 significant digits
            // may differ in the last digit: compared to 10^-20, as the
            // total is below.
            let near = |d: Decimal| d.round_dp(20);
            let of_children: Decimal = near(children.iter().map(|&c| s.headings[c].earned).sum());
            let earned = near(sub.earned);
            prop_assert!(
                earned <= of_children,
                "heading {} earned {} of its children's {}",
                &h.label,
                sub.earned,
                of_children
            );
            if h.bonus_cap.is_none() {
                prop_assert_eq!(earned, of_children, "heading {}", &h.label);
            }
        }
        // A heading of base items only earns within its points (an extra
        // award within the bonus ceiling counts in its heading's subtotal,
        // beyond the points: health-supervision's 六 earns 24.80 of 23).
        let only_base = (p.items.iter())
            .filter(|i| p.within(i.heading, k))
            .all(|i| matches!(i.kind, ItemKind::Base(_)) && i.extra.is_empty());
        if only_base {
            prop_assert!(
                sub.earned >= Decimal::ZERO && sub.earned <= sub.points,
                "heading {} earned {} of {}",
                &h.label,
                sub.earned,
                sub.points
            );
        }
    }
    // The sections add up to the total unless the table's ceiling bites
    // (awards outside the ceiling belong to no heading). Summed in another
    // order than the total, scores of 28 significant digits (a share of
    // 4 points: 3.7647…) may differ in the last digit: compared to 10^-20,
    // far below the hundredth that is printed.
    let near = |d: Decimal| d.round_dp(20);
    let sections: Decimal = (p.headings.iter().zip(&s.headings))
        .filter(|(h, _)| h.parent.is_none())
        .map(|(_, x)| x.earned)
        .sum();
    let sections = near(sections + o.extra_outside);
    prop_assert!(sections >= near(o.total), "{} vs {}", sections, o.total);
    if p.header.bonus_cap.is_none() {
        prop_assert_eq!(sections, near(o.total));
    }
    Ok(())
}

/// Extra awards stay within their caps, beside the item's score, and count
/// toward the bonus ceiling or outside it as declared.
fn extras_hold(p: &Program, e: &Entity) -> Result<(), TestCaseError> {
    let o = scored(p, e)?;
    let mut outside = Decimal::ZERO;
    for (item, io) in p.items.iter().zip(&o.items) {
        let cap: Option<Decimal> = item.extra.iter().map(|x| x.clause.cap).sum();
        prop_assert!(io.extra >= Decimal::ZERO);
        if let Some(cap) = cap {
            prop_assert!(
                io.extra <= cap,
                "item {}: {} above {}",
                &item.id,
                io.extra,
                cap
            );
        }
        if let ItemKind::Base(max) = item.kind {
            prop_assert!(
                io.score <= max,
                "item {}: the award stays beside the score",
                &item.id
            );
        }
        let declared_outside: Decimal = if item
            .extra
            .iter()
            .all(|x| x.ceiling == ExtraCeiling::Outside)
        {
            io.extra
        } else if item.extra.iter().all(|x| x.ceiling == ExtraCeiling::Within) {
            Decimal::ZERO
        } else {
            io.extra_outside
        };
        prop_assert_eq!(io.extra_outside, declared_outside, "item {}", &item.id);
        outside += io.extra_outside;
    }
    prop_assert_eq!(o.extra_outside, outside);
    // Within the ceiling: in the bonus, which stays under the ceiling.
    if let Some(cap) = p.header.bonus_cap {
        prop_assert!(o.bonus <= cap, "bonus {} above {}", o.bonus, cap);
    }
    prop_assert!(o.bonus <= o.bonus_raw);
    prop_assert_eq!(o.total, o.base - o.deductions + o.bonus + o.extra_outside);
    Ok(())
}

/// Whether the named results of `a` and `b` (a's total not above b's) are
/// ordered as their totals: a grade no better, a pass only if b passes, a
/// payout no larger and within its ends.
fn results_ordered(p: &Program, a: &Outcome, b: &Outcome) -> Result<(), TestCaseError> {
    for ((r, x), y) in p.header.results.iter().zip(&a.derived).zip(&b.derived) {
        match (&r.rule, x, y) {
            (_, Derived::Vetoed, _) | (_, _, Derived::Vetoed) => {}
            (ResultRule::Grade { .. }, Derived::Grade(i), Derived::Grade(j)) => {
                prop_assert!(
                    j <= i,
                    "{}: {} for {} but {} for {}",
                    &r.name,
                    i,
                    a.total,
                    j,
                    b.total
                );
            }
            (ResultRule::PassMark { mark, .. }, Derived::Pass(i), Derived::Pass(j)) => {
                prop_assert!(
                    !*i || *j,
                    "{}: {} passes, {} does not",
                    &r.name,
                    a.total,
                    b.total
                );
                prop_assert_eq!(*i, a.total >= *mark);
            }
            (
                ResultRule::Payout {
                    low_value,
                    high_value,
                    ..
                },
                Derived::Payout(i),
                Derived::Payout(j),
            ) => {
                let (lo, hi) = ((*low_value).min(*high_value), (*low_value).max(*high_value));
                prop_assert!(*i >= lo && *i <= hi && *j >= lo && *j <= hi);
                if low_value <= high_value {
                    prop_assert!(
                        i <= j,
                        "{}: {} for {} but {} for {}",
                        &r.name,
                        i,
                        a.total,
                        j,
                        b.total
                    );
                }
            }
            (ResultRule::Top { .. }, Derived::ByRank, Derived::ByRank) => {}
            other => prop_assert!(false, "{} derived as {:?}", &r.name, other),
        }
    }
    Ok(())
}

/// Every heading's ceiling on what it loses (at any level) bounds what the
/// items under it lose together: a base item its points less its score, a
/// deduction item or part what it takes.
fn deduction_limits_hold(p: &Program, e: &Entity) -> Result<(), TestCaseError> {
    let o = scored(p, e)?;
    for (k, h) in p.headings.iter().enumerate() {
        let Some(cap) = h.deduction_cap else {
            continue;
        };
        let lost: Decimal = (p.items.iter().zip(&o.items))
            .filter(|(i, _)| p.within(i.heading, k))
            .map(|(_, io)| io.max.map_or(Decimal::ZERO, |m| m - io.score) + io.deduction)
            .sum();
        prop_assert!(
            lost <= cap,
            "heading {} lost {} past its ceiling {}",
            &h.key,
            lost,
            cap
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(crate::synth::random::config(64))]

    #[test]
    fn a_heading_loses_at_most_its_ceiling_at_every_level(
        c in valid_entity(&HEADING_CAPS),
        two in valid_entity(&TWO_LEVELS),
        five in valid_entity(&FIVE_LEVELS),
    ) {
        deduction_limits_hold(&HEADING_CAPS, &c)?;
        deduction_limits_hold(&TWO_LEVELS, &two)?;
        deduction_limits_hold(&FIVE_LEVELS, &five)?;
        subtotals_hold(&HEADING_CAPS, &c)?;
        subtotals_hold(&TWO_LEVELS, &two)?;
        subtotals_hold(&FIVE_LEVELS, &five)?;
    }

    #[test]
    fn heading_subtotals_add_up_and_stay_within_their_points(
        h in valid_entity(&HOSPITAL),
        t in valid_entity(&TOWNSHIP),
        l in valid_entity(&LEVELS),
    ) {
        subtotals_hold(&HOSPITAL, &h)?;
        subtotals_hold(&TOWNSHIP, &t)?;
        subtotals_hold(&LEVELS, &l)?;
    }

    #[test]
    fn extra_awards_stay_within_their_caps_and_count_as_declared(e in valid_entity(&EXTRA)) {
        extras_hold(&EXTRA, &e)?;
    }

    #[test]
    fn the_real_tables_of_four_and_two_levels_keep_their_subtotals_and_awards(
        f in valid_entity(&FOUR_LEVELS),
        s in valid_entity(&SUPERVISION),
    ) {
        subtotals_hold(&FOUR_LEVELS, &f)?;
        subtotals_hold(&SUPERVISION, &s)?;
        extras_hold(&SUPERVISION, &s)?;
    }

    #[test]
    fn a_waiver_never_lowers_a_score(e in valid_entity(&WAIVER)) {
        let with = scored(&WAIVER, &e)?;
        let without = scored(&UNWAIVED, &e)?;
        for ((item, a), b) in WAIVER.items.iter().zip(&with.items).zip(&without.items) {
            prop_assert!(a.score >= b.score, "item {}: {} with its waiver, {} without", &item.id, a.score, b.score);
        }
        prop_assert!(with.total >= without.total);
    }

    #[test]
    fn named_results_are_ordered_as_the_totals(
        a in valid_entity(&RESULTS),
        b in valid_entity(&RESULTS),
        h1 in valid_entity(&HOSPITAL),
        h2 in valid_entity(&HOSPITAL),
        t1 in valid_entity(&TOWNSHIP),
        t2 in valid_entity(&TOWNSHIP),
    ) {
        for (p, x, y) in [(&*RESULTS, &a, &b), (&*HOSPITAL, &h1, &h2), (&*TOWNSHIP, &t1, &t2)] {
            let (x, y) = (scored(p, x)?, scored(p, y)?);
            let (lo, hi) = if x.total <= y.total { (&x, &y) } else { (&y, &x) };
            results_ordered(p, lo, hi)?;
            // A unit's results as its own total gives them, both ways.
            results_ordered(p, &x, &x)?;
        }
    }

    #[test]
    fn a_standard_by_class_gives_the_row_of_the_units_class(e in valid_entity(&STANDARDS)) {
        let p = &*STANDARDS;
        let class = p.standards[0].class;
        let Value::Enum(k) = e.values[class] else {
            return Err(TestCaseError::reject("no class"));
        };
        let literal = &STANDARDS_BY_CLASS[k as usize];
        let (a, b) = (scored(p, &e)?, scored(literal, &e)?);
        for ((item, x), y) in p.items.iter().zip(&a.items).zip(&b.items) {
            prop_assert_eq!(x.score, y.score, "item {}", &item.id);
        }
        prop_assert_eq!(a.total, b.total);
    }
}

/// The grid of totals the results are checked on reaches every step: a
/// generated pair lands on both sides of each mark often enough.
#[test]
fn the_results_spec_has_every_kind_of_rule() {
    let kinds: Vec<_> = RESULTS
        .header
        .results
        .iter()
        .map(|r| std::mem::discriminant(&r.rule))
        .collect();
    assert_eq!(kinds.len(), 3);
    assert!(HOSPITAL.headings.iter().any(|h| h.points.is_some()));
    assert!(
        EXTRA
            .items
            .iter()
            .any(|i| i.extra.iter().any(|x| x.ceiling == ExtraCeiling::Outside))
    );
    assert!(
        EXTRA
            .items
            .iter()
            .any(|i| i.extra.iter().any(|x| x.ceiling == ExtraCeiling::Within))
    );
    assert_ne!(*WAIVER, *UNWAIVED);
    assert_eq!(STANDARDS_BY_CLASS.len(), 3);
}
