//! The readable report: per entity its totals, then every item with the
//! lines that moved it.

use super::derived::{TopPlace, shown};
use super::explain::{facts, reason_of};
use super::rollup::UnitRole;
use super::{fmt2, veto_state};
use crate::data::Entity;
use crate::eval::{ItemOutcome, Outcome};
use crate::ir::{ItemKind, Lang, Program};
use std::fmt::Write;

struct Words {
    total: &'static str,
    base: &'static str,
    deductions: &'static str,
    bonus: &'static str,
    raw: &'static str,
    result: &'static str,
    full: &'static str,
    units: &'static str,
    shared: &'static str,
    lost: &'static str,
    vetoes_quiet: &'static str,
    veto: &'static str,
}

const ZH: Words = Words {
    total: "总分",
    base: "基础分",
    deductions: "扣分项",
    bonus: "加分",
    raw: "加分合计",
    result: "结果",
    full: "其余各项满分",
    units: "责任单位失分",
    shared: "共同负责",
    lost: "失分",
    vetoes_quiet: "否决项未触发",
    veto: "否决",
};
const EN: Words = Words {
    total: "total",
    base: "base",
    deductions: "deductions",
    bonus: "bonus",
    raw: "bonus before ceiling",
    result: "result",
    full: "all other items in full",
    units: "points lost by responsible unit",
    shared: "shared",
    lost: "lost",
    vetoes_quiet: "veto items not triggered",
    veto: "vetoed",
};

/// One entity's report, onto the end of `out`; `place` its place among all
/// units when the ranking is known (for results by rank, `top`).
pub fn entity(
    out: &mut String,
    program: &Program,
    e: &Entity,
    o: &Outcome,
    place: Option<TopPlace>,
) {
    let w = if program.header.lang == Lang::Zh {
        &ZH
    } else {
        &EN
    };
    if program.header.has_result {
        let _ = writeln!(
            out,
            "{}  {} {}  {} {}",
            o.id,
            w.total,
            fmt2(o.total),
            w.result,
            o.result
        );
    } else if o.vetoed {
        // A table without a result still says that a veto fired.
        let _ = writeln!(out, "{}  {} {}  {}", o.id, w.total, fmt2(o.total), o.result);
    } else {
        let _ = writeln!(out, "{}  {} {}", o.id, w.total, fmt2(o.total));
    }
    let _ = writeln!(
        out,
        "  {} {}  {} {}  {} {} ({} {})",
        w.base,
        fmt2(o.base),
        w.deductions,
        // Deductions are taken off: "-1.50", but never "-0.00".
        fmt2(-o.deductions),
        w.bonus,
        fmt2(o.bonus),
        w.raw,
        fmt2(o.bonus_raw)
    );
    for r in shown(program, o, place) {
        let value = if r.value.is_empty() { "—" } else { &r.value };
        let _ = writeln!(out, "  {} {value}  ({})", r.name, r.why);
    }
    subtotals(out, program, o);
    if program.has_extra_outside {
        let words = if program.header.lang == Lang::Zh {
            "超额加分（不计入加分上限）"
        } else {
            "extra awards outside the bonus ceiling"
        };
        let _ = writeln!(out, "  {words} {}", fmt2(o.extra_outside));
    }
    let (untouched, quiet) = items(out, program, e, o);
    let _ = writeln!(out, "  {} ({untouched})", w.full);
    if quiet > 0 {
        let _ = writeln!(out, "  {} ({quiet})", w.vetoes_quiet);
    }
    units(out, program, o, w);
    out.push('\n');
}

/// The subtotal of each heading that declares its points, indicators
/// indented under their section: "一级指标 一 生态环境  36.00 / 40".
fn subtotals(out: &mut String, program: &Program, o: &Outcome) {
    let lang = program.header.lang;
    for row in super::levels::rows(program, o) {
        let indent = "  ".repeat(usize::from(row.depth));
        let _ = writeln!(
            out,
            "{indent}{} {} {}  {} / {}",
            row.level(lang),
            row.label,
            row.title,
            fmt2(row.earned),
            row.points.normalize()
        );
    }
}

/// The items that moved, each with its explanation lines; how many base
/// items kept full points, and how many veto items did not fire (a veto
/// item has no points, so it is never counted as full marks).
fn items(out: &mut String, program: &Program, e: &Entity, o: &Outcome) -> (usize, usize) {
    let mut untouched = 0;
    let mut quiet = 0;
    for (item, io) in program.items.iter().zip(&o.items) {
        if let Some(state) = veto_state(item, io, program.header.lang) {
            if io.vetoed {
                let _ = writeln!(out, "  {} {}  {state}", item.id, item.title);
                out.push_str(&lines(program, e, io, "      "));
            } else {
                quiet += 1;
            }
            continue;
        }
        if io.lines.is_empty()
            && !matches!(
                item.kind,
                ItemKind::Deduction | ItemKind::Bonus | ItemKind::Mixed
            )
        {
            untouched += 1;
            continue;
        }
        if io.lines.is_empty() {
            continue;
        }
        let mut score = match io.max {
            Some(m) => format!("{} / {}", fmt2(io.score), m.normalize()),
            None => fmt2(io.score),
        };
        if let Some(extra) = super::extra_note(io, program.header.lang) {
            score = format!("{score}  {extra}");
        }
        let title = super::shown_title(item, program.header.lang);
        let _ = writeln!(out, "  {} {title}  {score}", item.id);
        out.push_str(&lines(program, e, io, "      "));
    }
    (untouched, quiet)
}

/// The explanation lines of an item, one per line, each with its facts.
pub fn lines(program: &Program, e: &Entity, io: &ItemOutcome, indent: &str) -> String {
    let mut out = String::new();
    for line in &io.lines {
        let facts = facts(&line.kind, program, e);
        let shown = if facts.is_empty() {
            String::new()
        } else {
            format!(
                "  ({})",
                facts
                    .iter()
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let _ = writeln!(
            out,
            "{indent}{:>7}  {}{shown}",
            signed(line.amount),
            reason_of(line, program.header.lang)
        );
    }
    if let Some(r) = rounding(io) {
        let why = super::rounding_words(program.header.lang);
        let _ = writeln!(out, "{indent}{:>7}  {why}", signed(r));
    }
    out
}

/// Scoring is exact and the lines print two decimals, so the lines as
/// printed may miss the printed score by a cent or more (two lines of
/// −0.005 print −0.01 each, the item 3.99 of 4). The difference, shown
/// once as a line of its own, so that the printed lines add up exactly to
/// the printed score less the item's points; `None` when they already do.
/// For items with points only (deduction and bonus items print no lines
/// that a ceiling reshapes here).
pub fn rounding(io: &ItemOutcome) -> Option<rust_decimal::Decimal> {
    let max = io.max?;
    let cents = |d: rust_decimal::Decimal| {
        d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    };
    // An extra award is beyond the points: its line is not part of them.
    let printed = io
        .lines
        .iter()
        .filter(|l| !matches!(l.kind, crate::eval::LineKind::Extra(_)))
        .try_fold(rust_decimal::Decimal::ZERO, |sum, l| {
            sum.checked_add(cents(l.amount))
        })?;
    let target = cents(io.score).checked_sub(cents(max))?;
    let diff = target.checked_sub(printed)?;
    (!diff.is_zero() && !io.lines.is_empty()).then_some(diff)
}

/// 牵头 or 配合 for a lead or supporting unit of an item.
fn role_word(role: UnitRole, lang: Lang) -> Option<&'static str> {
    match (role, lang) {
        (UnitRole::Responsible, _) => None,
        (UnitRole::Lead, Lang::Zh) => Some("牵头"),
        (UnitRole::Supporting, Lang::Zh) => Some("配合"),
        (UnitRole::Lead, Lang::En) => Some("lead"),
        (UnitRole::Supporting, Lang::En) => Some("supporting"),
    }
}

fn signed(d: rust_decimal::Decimal) -> String {
    let s = fmt2(d);
    if d > rust_decimal::Decimal::ZERO && s != "0.00" {
        format!("+{s}")
    } else {
        s
    }
}

/// The units that lost points, with the items that lost them.
fn units(out: &mut String, program: &Program, o: &Outcome, w: &Words) {
    let lost: Vec<_> = super::rollup::rollup(program, o)
        .into_iter()
        .filter(|u| !u.lost.is_zero() || !u.vetoed.is_empty())
        .collect();
    if lost.is_empty() {
        return;
    }
    let _ = writeln!(out, "  {}", w.units);
    for u in lost {
        let items: Vec<String> = u
            .items
            .iter()
            .filter(|i| !i.lost.is_zero())
            .map(|i| {
                let id = &i.item.id;
                // Under the 失分 heading a loss is a positive amount.
                if let Some(role) = role_word(i.role, program.header.lang) {
                    format!("{id} {} ({role})", fmt2(i.lost))
                } else if i.shared {
                    format!("{id} {} ({})", fmt2(i.lost), w.shared)
                } else {
                    format!("{id} {}", fmt2(i.lost))
                }
            })
            .collect();
        // A veto fired for the unit is said first, before its points.
        let vetoes = if u.vetoed.is_empty() {
            String::new()
        } else {
            format!("{} {}  ", w.veto, u.vetoed.join(", "))
        };
        // "失分 7.00 / 13.00": points lost of those at stake, no minus sign.
        let lost = fmt2(u.lost);
        let line = format!(
            "    {}  {vetoes}{} {lost} / {}  {}",
            u.unit,
            w.lost,
            fmt2(u.at_stake),
            items.join(", ")
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
}
