//! The HTML report: one self-contained file (styles and charts inline, no
//! network). Per entity: the score by section as an SVG bar chart, the items
//! that lost points with their explanation lines, and the department
//! roll-up. For several entities, first a ranking and a distribution chart.

use super::explain::{facts, reason_of};
use super::rollup::{Kept, lost, ranked, rollup, sections};
use super::{fmt2, veto_text};
use crate::data::Entity;
use crate::eval::{Line, Outcome};
use crate::ir::{ItemKind, Lang, Program};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::fmt::Write;

fn esc(s: &str) -> String {
    crate::escape::html(s)
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

struct Words {
    ranking: &'static str,
    distribution: &'static str,
    rank: &'static str,
    entity: &'static str,
    total: &'static str,
    result: &'static str,
    by_section: &'static str,
    lost_items: &'static str,
    units: &'static str,
    unit: &'static str,
    at_stake: &'static str,
    lost: &'static str,
    items: &'static str,
    shared: &'static str,
    none_lost: &'static str,
}

const ZH: Words = Words {
    ranking: "排名",
    distribution: "总分分布",
    rank: "名次",
    entity: "单位",
    total: "总分",
    result: "结果",
    by_section: "各部分得分",
    lost_items: "失分项目",
    units: "责任单位",
    unit: "责任单位",
    at_stake: "分值",
    lost: "失分",
    items: "项目",
    shared: "共同负责",
    none_lost: "各项均未失分",
};
const EN: Words = Words {
    ranking: "Ranking",
    distribution: "Distribution of totals",
    rank: "rank",
    entity: "entity",
    total: "total",
    result: "result",
    by_section: "Score by section",
    lost_items: "Items that lost points",
    units: "By responsible unit",
    unit: "unit",
    at_stake: "at stake",
    lost: "lost",
    items: "items",
    shared: "shared",
    none_lost: "no item lost points",
};

const STYLE: &str = "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;color:#222;max-width:1100px}\
h1{font-size:1.5em}h2{border-bottom:2px solid #3465a4;padding-bottom:.2em;margin-top:2em}\
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}\
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#eef}.lost{color:#a40000}\
.line{color:#555;font-size:.9em;padding-left:1.5em}.shared{color:#777;font-size:.85em}";

/// The whole report of the entities scored, in memory.
pub fn report(program: &Program, scored: &[(&Entity, Outcome)]) -> String {
    let mut kept = Kept::default();
    for (_, o) in scored {
        kept.push(&o.id, o.total, &o.result, o.vetoed);
    }
    let mut s = String::new();
    head(&mut s, program, &kept);
    let places = kept.top_places();
    for ((e, o), p) in scored.iter().zip(places) {
        entity(&mut s, program, e, o, Some(p));
    }
    tail(&mut s);
    s
}

fn words(program: &Program) -> &'static Words {
    if program.header.lang == Lang::Zh {
        &ZH
    } else {
        &EN
    }
}

/// The report up to the first entity: the title and, for several
/// entities, the ranking and the distribution of totals, from what
/// `kept` holds of each entity (id, total, result) in order. The
/// entities' sections follow, each written by [`entity`] as it comes,
/// then [`tail`]: no outcome need be held.
pub fn head(s: &mut String, program: &Program, kept: &Kept) {
    let w = words(program);
    head_start(s, program);
    if kept.len() > 1 {
        // Writing into a String cannot fail.
        let _ = ranking(s, program, kept, w, &mut |_| Ok(()));
    }
}

/// The report's start: its title.
fn head_start(s: &mut String, program: &Program) {
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>\n<h1>{}</h1>\n",
        if program.header.lang == Lang::Zh {
            "zh"
        } else {
            "en"
        },
        esc(&program.header.title),
        esc(&program.header.title)
    );
}

/// [`head`] written to `out` as it is made, some 64 KB at a time, so that
/// a ranking of a million units is never held whole (the report of
/// `kaohe eval --format html` from files).
pub fn write_head(
    out: &mut (impl std::io::Write + ?Sized),
    program: &Program,
    kept: &Kept,
) -> std::io::Result<()> {
    let mut s = String::new();
    let mut spill = |s: &mut String| -> std::io::Result<()> {
        if s.len() >= 1 << 16 {
            out.write_all(s.as_bytes())?;
            s.clear();
        }
        Ok(())
    };
    let w = words(program);
    head_start(&mut s, program);
    if kept.len() > 1 {
        ranking(&mut s, program, kept, w, &mut spill)?;
    }
    out.write_all(s.as_bytes())
}

/// The end of the report.
pub fn tail(s: &mut String) {
    s.push_str("</body></html>\n");
}

/// The ranking and the distribution of totals; `spill` is given the text
/// after each row, to write it out and clear it.
fn ranking(
    s: &mut String,
    program: &Program,
    kept: &Kept,
    w: &Words,
    spill: &mut dyn FnMut(&mut String) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let has_result = program.header.has_result;
    let tops: Vec<&str> = (program.header.results.iter())
        .filter(|r| matches!(r.rule, crate::ir::ResultRule::Top { .. }))
        .map(|r| r.name.as_str())
        .collect();
    let _ = write!(
        s,
        "<h2>{}</h2>\n<table><tr><th>{}</th><th>{}</th><th>{}</th>",
        w.ranking, w.rank, w.entity, w.total
    );
    if has_result {
        let _ = write!(s, "<th>{}</th>", w.result);
    }
    for name in &tops {
        let _ = write!(s, "<th>{}</th>", esc(name));
    }
    s.push_str("</tr>\n");
    let standing = kept.standing();
    // Ranked by position: entities of one id in two data files keep their
    // own totals and results.
    let id = |i: usize| kept.get(i).map(|k| k.0);
    for (i, rank) in ranked(kept, |a, b| id(a).cmp(&id(b))) {
        let Some((id, total, result)) = kept.get(i) else {
            continue;
        };
        let _ = write!(
            s,
            "<tr><td class=n>{rank}</td><td>{}</td><td class=n>{}</td>",
            esc(id),
            fmt2(total),
        );
        if has_result {
            let _ = write!(s, "<td>{}</td>", esc(result));
        }
        let place = kept.vetoed(i).map(|v| standing.place(total, v));
        let labels = super::ranking::top_labels(program, place);
        for name in &tops {
            let label = labels.iter().find(|(n, _)| n == name).map_or("", |l| l.1);
            let _ = write!(s, "<td>{}</td>", esc(label));
        }
        s.push_str("</tr>\n");
        spill(s)?;
    }
    s.push_str("</table>\n");
    let _ = writeln!(s, "<h2>{}</h2>", w.distribution);
    let totals = (0..kept.len()).filter_map(|i| kept.get(i).map(|k| f(k.1)));
    s.push_str(&histogram(totals));
    Ok(())
}

/// Ten bins between the lowest and the highest total (read twice, not
/// held).
fn histogram(values: impl Iterator<Item = f64> + Clone) -> String {
    let lo = values.clone().fold(f64::INFINITY, f64::min).floor();
    let hi = values
        .clone()
        .fold(f64::NEG_INFINITY, f64::max)
        .ceil()
        .max(lo + 1.0);
    let bins = 10usize;
    let step = (hi - lo) / bins as f64;
    let mut counts = vec![0usize; bins];
    for v in values {
        let i = (((v - lo) / step) as usize).min(bins - 1);
        if let Some(c) = counts.get_mut(i) {
            *c += 1;
        }
    }
    let most = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let (width, height, bar) = (640.0, 220.0, 56.0);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{}\" role=\"img\">",
        height + 40.0
    );
    for (i, c) in counts.iter().enumerate() {
        let h = (*c as f64 / most) * height;
        let x = 20.0 + i as f64 * (bar + 4.0);
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{h}\" fill=\"#3465a4\"/><text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\">{c}</text><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{:.0}–{:.0}</text>",
            height - h + 10.0,
            x + bar / 2.0,
            height - h + 6.0,
            x + bar / 2.0,
            height + 28.0,
            lo + step * i as f64,
            lo + step * (i + 1) as f64
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// Horizontal bars per section: the score over the points at stake.
fn section_chart(rows: &[(String, Decimal, Decimal, Decimal)]) -> String {
    let label_w = 260.0;
    let bar_w = 520.0;
    let row_h = 28.0;
    let most = rows.iter().map(|r| f(r.1)).fold(1.0, f64::max);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" role=\"img\">",
        label_w + bar_w + 120.0,
        rows.len() as f64 * row_h + 10.0
    );
    for (i, (name, max, score, _)) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 5.0;
        let full = f(*max) / most * bar_w;
        let got = (f(*score).max(0.0) / most * bar_w).min(full.max(0.0));
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\" font-size=\"13\">{}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{full}\" height=\"{}\" fill=\"#f2d4d4\"/><rect x=\"{label_w}\" y=\"{y}\" width=\"{got}\" height=\"{}\" fill=\"#4e9a06\"/><text x=\"{}\" y=\"{}\" font-size=\"13\">{} / {}</text>",
            y + 16.0,
            esc(name),
            row_h - 8.0,
            row_h - 8.0,
            label_w + full.max(got) + 6.0,
            y + 16.0,
            fmt2(*score),
            max.normalize()
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// One entity's section: its score by section, the items that lost
/// points with their lines, and the roll-up by responsible unit.
/// `place`: its place among all units, when known (for results by rank).
pub fn entity(
    s: &mut String,
    program: &Program,
    e: &Entity,
    o: &Outcome,
    place: Option<super::derived::TopPlace>,
) {
    let w = words(program);
    let _ = write!(s, "<h2>{}　{} {}", esc(&o.id), w.total, fmt2(o.total));
    if program.header.has_result {
        let _ = write!(s, "　{} {}", w.result, esc(&o.result));
    } else if o.vetoed {
        // A table without a result still says that a veto fired.
        let _ = write!(s, "　{}", esc(&o.result));
    }
    let _ = writeln!(s, "</h2>");
    let shown = super::derived::shown(program, o, place);
    if !shown.is_empty() {
        s.push_str("<table>\n");
        for r in shown {
            let _ = writeln!(
                s,
                "<tr><th>{}</th><td>{}</td><td class=line>{}</td></tr>",
                esc(r.name),
                esc(if r.value.is_empty() { "—" } else { &r.value }),
                esc(&r.why)
            );
        }
        s.push_str("</table>\n");
    }
    let _ = writeln!(s, "<h3>{}</h3>", w.by_section);
    s.push_str(&section_chart(&sections(program, o)));
    subtotals(s, program, o);
    lost_items(s, program, e, o);
    units(s, program, o);
}

/// The subtotal of each heading that declares its points (levels): a
/// table of level, id and title, earned / points; nothing when none does.
fn subtotals(s: &mut String, program: &Program, o: &Outcome) {
    let rows = super::levels::rows(program, o);
    if rows.is_empty() {
        return;
    }
    let lang = program.header.lang;
    s.push_str("<table class=\"subtotals\">\n");
    for r in rows {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{} {}</td><td>{} / {}</td></tr>",
            r.level(lang),
            esc(r.label),
            esc(r.title),
            fmt2(r.earned),
            r.points.normalize()
        );
    }
    s.push_str("</table>\n");
}

/// The items that lost points, each with its explanation lines.
fn lost_items(s: &mut String, program: &Program, e: &Entity, o: &Outcome) {
    let w = words(program);
    let _ = writeln!(s, "<h3>{}</h3>", w.lost_items);
    let mut any = false;
    s.push_str("<table>\n");
    for (item, io) in program.items.iter().zip(&o.items) {
        if item.kind == ItemKind::Veto {
            if io.vetoed {
                any = true;
                let _ = writeln!(
                    s,
                    "<tr><td>{}</td><td>{}</td><td class=\"n lost\">{}</td><td>{}</td></tr>",
                    esc(&item.id),
                    esc(&item.title),
                    veto_text(true, program.header.lang),
                    esc(&item.units_text(program.header.lang))
                );
                for line in &io.lines {
                    explanation(s, line, program, e);
                }
            }
            continue;
        }
        let l = lost(io);
        let extra = super::extra_note(io, program.header.lang);
        if l.is_zero() && extra.is_none() && !io.lines.iter().any(|x| x.amount < Decimal::ZERO) {
            continue;
        }
        any = true;
        let mut title = super::shown_title(item, program.header.lang).into_owned();
        if let Some(extra) = extra {
            title = format!("{title}　{extra}");
        }
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td class=\"n lost\">-{}</td><td>{}</td></tr>",
            esc(&item.id),
            esc(&title),
            fmt2(l),
            esc(&item.responsible.join("、"))
        );
        for line in &io.lines {
            explanation(s, line, program, e);
        }
        // The lines as printed add up to the printed score: the rounding,
        // if any, is a line of its own.
        if let Some(line) = super::rounding_line(io, program.header.lang) {
            let _ = writeln!(
                s,
                "<tr><td></td><td class=line colspan=3>{}</td></tr>",
                esc(&line)
            );
        }
    }
    s.push_str("</table>\n");
    if !any {
        let _ = writeln!(s, "<p>{}</p>", w.none_lost);
    }
}

/// One explanation line: the amount, the reason and its facts.
fn explanation(s: &mut String, line: &Line, program: &Program, e: &Entity) {
    let facts: Vec<String> = facts(&line.kind, program, e)
        .into_iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect();
    let _ = writeln!(
        s,
        "<tr><td></td><td class=line colspan=3>{} {}{}</td></tr>",
        fmt2(line.amount),
        esc(&reason_of(line, program.header.lang)),
        if facts.is_empty() {
            String::new()
        } else {
            format!("（{}）", esc(&facts.join(", ")))
        }
    );
}

/// Points at stake and lost per responsible unit, with their items.
fn units(s: &mut String, program: &Program, o: &Outcome) {
    let units = rollup(program, o);
    // A spec that names no responsible unit has no roll-up: no empty table.
    if units.is_empty() {
        return;
    }
    let w = words(program);
    let _ = write!(
        s,
        "<h3>{}</h3>\n<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
        w.units, w.unit, w.at_stake, w.lost, w.items
    );
    for u in units {
        let items: Vec<String> = u
            .items
            .iter()
            .map(|i| {
                let id = esc(&i.item.id);
                let l = if i.lost.is_zero() {
                    String::new()
                } else {
                    // Losses, as in the 失分 column: no minus sign.
                    format!(" <span class=lost>{}</span>", fmt2(i.lost))
                };
                let sh = if i.shared {
                    format!(" <span class=shared>({})</span>", w.shared)
                } else {
                    String::new()
                };
                let v = if i.vetoed {
                    format!(
                        " <span class=lost>{}</span>",
                        veto_text(true, program.header.lang)
                    )
                } else {
                    String::new()
                };
                format!("{id}{l}{v}{sh}")
            })
            .collect();
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td class=n>{}</td><td class=\"n lost\">{}</td><td>{}</td></tr>",
            esc(u.unit),
            fmt2(u.at_stake),
            fmt2(u.lost),
            items.join("，")
        );
    }
    s.push_str("</table>\n");
}
