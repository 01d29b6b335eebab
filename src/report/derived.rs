//! The named results derived from a unit's total (`result …` in the
//! header), as every report shows them: each with its value and the line
//! that explains it ("总分 86.50，≥ 80 → 良好").
//!
//! A result by rank (`top 3 => "先进单位"`) needs every unit's total: it
//! is computed where the ranking is ([`TopPlace`], from all the totals
//! kept); a report that writes one unit at a time without the ranking
//! says so in its line ("见排名").

use super::fmt2;
use crate::eval::{Derived, Outcome};
use crate::ir::{Lang, NamedResult, Program, ResultRule};
use rust_decimal::Decimal;

/// One named result of a unit as shown: its name, value and explanation.
#[derive(Clone, Debug, PartialEq)]
pub struct Shown<'p> {
    pub name: &'p str,
    /// The value as printed (empty for a unit outside a top N).
    pub value: String,
    pub why: String,
    /// Whether a veto fired, so the result is not given: `value` is the
    /// word of the spec's language (否决 / vetoed), [`VETOED`] its key.
    pub vetoed: bool,
}

/// The fixed key of a result not given because a veto fired, the same in
/// both languages: what `kaohe test --bless` writes, and what a case may
/// expect (as may [`VETOED_ZH`]) whatever the spec's language.
pub const VETOED: &str = "vetoed";
/// The Chinese word for a vetoed result, also accepted by `kaohe test`.
pub const VETOED_ZH: &str = "否决";

/// Whether an expected value names a vetoed result, in either language.
pub fn names_vetoed(expected: &str) -> bool {
    expected == VETOED || expected == VETOED_ZH
}

/// A unit's place among the units not vetoed, for results by rank: its
/// competition rank (1, 2, 2, 4), `None` when vetoed, and how many units
/// were ranked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TopPlace {
    pub rank: Option<usize>,
    pub of: usize,
}

/// Each unit's [`TopPlace`], by position, from every unit's total and
/// whether a veto fired: vetoed units are never ranked for a top N.
pub fn top_places(totals: &[Decimal], vetoed: &[bool]) -> Vec<TopPlace> {
    let eligible: Vec<usize> = (0..totals.len())
        .filter(|&i| !vetoed.get(i).copied().unwrap_or(false))
        .collect();
    let ts: Vec<Decimal> = eligible
        .iter()
        .filter_map(|&i| totals.get(i).copied())
        .collect();
    let ranks = super::rollup::ranks_in_order(&ts);
    let mut out = vec![
        TopPlace {
            rank: None,
            of: eligible.len()
        };
        totals.len()
    ];
    for (&i, &r) in eligible.iter().zip(&ranks) {
        if let Some(p) = out.get_mut(i) {
            p.rank = Some(r);
        }
    }
    out
}

/// How many places a top rule gives: `n`, or the share of the units
/// ranked, rounded down.
pub fn places(n: Decimal, percent: bool, of: usize) -> Decimal {
    if percent {
        (n * Decimal::from(of)).floor()
    } else {
        n
    }
}

/// Whether a unit at `place` is among the top a rule gives (ties at the
/// last place all in).
pub fn in_top(rule: &ResultRule, place: TopPlace) -> Option<bool> {
    let ResultRule::Top { n, percent, .. } = rule else {
        return None;
    };
    let limit = places(*n, *percent, place.of);
    Some(place.rank.is_some_and(|r| Decimal::from(r) <= limit))
}

/// The named results of a unit, shown; `place` when the ranking of all
/// units is known.
pub fn shown<'p>(program: &'p Program, o: &Outcome, place: Option<TopPlace>) -> Vec<Shown<'p>> {
    let zh = program.header.lang == Lang::Zh;
    (program.header.results.iter().zip(&o.derived))
        .map(|(r, d)| one(r, *d, o.total, place, zh))
        .collect()
}

fn one<'p>(
    r: &'p NamedResult,
    d: Derived,
    total: Decimal,
    place: Option<TopPlace>,
    zh: bool,
) -> Shown<'p> {
    let t = fmt2(total);
    let (value, why) = match (&r.rule, d) {
        (_, Derived::Vetoed) => {
            let v = if zh { VETOED_ZH } else { VETOED };
            let why = if zh {
                "否决项已触发，不评定此结果".to_string()
            } else {
                "a veto fired, so this result is not given".to_string()
            };
            (v.to_string(), why)
        }
        (ResultRule::Grade { steps, otherwise }, Derived::Grade(k)) => match steps.get(k) {
            Some((text, mark)) => (
                text.clone(),
                format!(
                    "{} {t}，≥ {} → {text}",
                    w(zh, "总分", "total"),
                    mark.normalize()
                ),
            ),
            None => {
                let lowest = steps.last().map_or(Decimal::ZERO, |s| s.1);
                (
                    otherwise.clone(),
                    format!(
                        "{} {t}，< {} → {otherwise}",
                        w(zh, "总分", "total"),
                        lowest.normalize()
                    ),
                )
            }
        },
        (ResultRule::PassMark { mark, pass, fail }, Derived::Pass(ok)) => {
            let (op, text) = if ok { ("≥", pass) } else { ("<", fail) };
            (
                text.clone(),
                format!(
                    "{} {t}，{op} {} {} → {text}",
                    w(zh, "总分", "total"),
                    w(zh, "合格线", "pass mark"),
                    mark.normalize()
                ),
            )
        }
        (
            ResultRule::Payout {
                low,
                low_value,
                high,
                high_value,
                percent,
            },
            Derived::Payout(v),
        ) => {
            let show = |x: Decimal| value_text(x, *percent);
            let value = show(v);
            let why = if total <= *low {
                format!(
                    "{} {t}，≤ {} → {value}{}",
                    w(zh, "总分", "total"),
                    low.normalize(),
                    w(zh, "（取下端）", " (the lower end)")
                )
            } else if total >= *high {
                format!(
                    "{} {t}，≥ {} → {value}{}",
                    w(zh, "总分", "total"),
                    high.normalize(),
                    w(zh, "（取上端）", " (the upper end)")
                )
            } else {
                let end = |x: Decimal| end_text(x, *percent);
                let (lo, hi) = (low.normalize(), high.normalize());
                let (lv, hv) = (end(*low_value), end(*high_value));
                if zh {
                    format!(
                        "总分 {t}，介于 {lo} 与 {hi} 之间，按比例：{lv} + ({t} − {lo}) ÷ ({hi} − {lo}) × ({hv} − {lv}) = {value}"
                    )
                } else {
                    format!(
                        "total {t}, between {lo} and {hi}, proportionally: {lv} + ({t} − {lo}) ÷ ({hi} − {lo}) × ({hv} − {lv}) = {value}"
                    )
                }
            };
            (value, why)
        }
        (ResultRule::Top { n, percent, label }, _) => top(*n, *percent, label, place, zh),
        // A value of another kind than its rule: not produced by eval.
        _ => (String::new(), String::new()),
    };
    Shown {
        name: &r.name,
        value,
        why,
        vetoed: matches!(d, Derived::Vetoed),
    }
}

fn top(
    n: Decimal,
    percent: bool,
    label: &str,
    place: Option<TopPlace>,
    zh: bool,
) -> (String, String) {
    let rule = if percent {
        let share = (n * Decimal::ONE_HUNDRED).normalize();
        match place {
            Some(p) => {
                let k = places(n, percent, p.of);
                if zh {
                    format!(
                        "前 {share}%（{} 个单位的 {share}% 向下取整为 {k} 名，并列者全部计入）",
                        p.of
                    )
                } else {
                    format!(
                        "the top {share}% ({share}% of {} units, rounded down: {k} places; ties all included)",
                        p.of
                    )
                }
            }
            None => w(zh, &format!("前 {share}%"), &format!("the top {share}%")),
        }
    } else if zh {
        format!("前 {} 名（并列者全部计入）", n.normalize())
    } else {
        format!("the top {} (ties all included)", n.normalize())
    };
    let Some(p) = place else {
        let why = if zh {
            format!("按全部单位的排名评定（{rule}），见排名")
        } else {
            format!("given by the ranking of all units ({rule}): see the ranking")
        };
        return (w(zh, "见排名", "see the ranking"), why);
    };
    let inside = in_top(
        &ResultRule::Top {
            n,
            percent,
            label: String::new(),
        },
        p,
    )
    .unwrap_or(false);
    let Some(r) = p.rank else {
        return (
            String::new(),
            w(zh, "否决项已触发，不参与排名", "a veto fired: not ranked"),
        );
    };
    let why = match (inside, zh) {
        (true, true) => format!(
            "排名第 {r}（共 {} 个未被否决的单位），在{rule}之内 → {label}",
            p.of
        ),
        (false, true) => format!("排名第 {r}（共 {} 个未被否决的单位），不在{rule}之内", p.of),
        (true, false) => format!(
            "ranked {r} of {} units not vetoed, within {rule} → {label}",
            p.of
        ),
        (false, false) => format!("ranked {r} of {} units not vetoed, not within {rule}", p.of),
    };
    (
        if inside {
            label.to_string()
        } else {
            String::new()
        },
        why,
    )
}

/// A payout's value as printed: a share as a percentage to the hundredth
/// (75.71%), a coefficient to the hundredth (0.86); exact until printed.
pub fn value_text(v: Decimal, percent: bool) -> String {
    if percent {
        format!("{}%", fmt2(v * Decimal::ONE_HUNDRED))
    } else {
        fmt2(v)
    }
}

/// A payout's end as the spec writes it: `0%`, `100%`, `0.8`.
fn end_text(v: Decimal, percent: bool) -> String {
    if percent {
        format!("{}%", (v * Decimal::ONE_HUNDRED).normalize())
    } else {
        v.normalize().to_string()
    }
}

fn w(zh: bool, a: &str, b: &str) -> String {
    if zh { a } else { b }.to_string()
}
