//! The ranking of `--rank` at the end of the table and JSON reports, from
//! what was kept of each entity (id, total, result: [`Kept`]), written one
//! line or entry at a time. The results by rank (`top 3 => "先进单位"`)
//! are given here, where every unit's total is known.

use super::derived::{TopPlace, in_top};
use super::fmt2;
use super::rollup::{Kept, ranked};
use super::standing::Standing;
use crate::escape;
use crate::ir::{Lang, Program, ResultRule};
use std::io::{self, Write};

/// The labels of the results by rank a unit at `place` gets, with their
/// names: `(name, label)` for each `top` rule it is within.
pub fn top_labels(program: &Program, place: Option<TopPlace>) -> Vec<(&str, &str)> {
    let Some(place) = place else {
        return Vec::new();
    };
    (program.header.results.iter())
        .filter_map(|r| match &r.rule {
            ResultRule::Top { label, .. } => {
                in_top(&r.rule, place)?.then_some((r.name.as_str(), label.as_str()))
            }
            _ => None,
        })
        .collect()
}

/// The ranking in the table report, one line at a time.
/// `standing` holds the same totals as `kept`, sorted (the first pass's).
pub fn table(
    w: &mut (impl Write + ?Sized),
    program: &Program,
    kept: &Kept,
    standing: &Standing,
) -> io::Result<()> {
    let zh = program.header.lang == Lang::Zh;
    w.write_all(if zh { "排名\n" } else { "ranking\n" }.as_bytes())?;
    // Ranked by position, so that entities of one id in two files stay apart.
    for (i, r) in ranked(kept, |a, b| a.cmp(&b)) {
        let Some((id, t, result)) = kept.get(i) else {
            continue;
        };
        let place = kept.vetoed(i).map(|v| standing.place(t, v));
        let id = escape::terminal(id);
        write!(w, "  {r:>4}  {id}  {}", fmt2(t))?;
        if program.header.has_result || !result.is_empty() {
            write!(w, "  {}", escape::terminal(result))?;
        }
        for (_, label) in top_labels(program, place) {
            write!(w, "  {}", escape::terminal(label))?;
        }
        writeln!(w)?;
    }
    Ok(())
}

/// The ranking in the JSON report, by total then id, written one entry at
/// a time as `{:#}` writes the whole array; an entry names the results by
/// rank the unit gets (`"top": {"评先": "先进单位"}`).
/// `standing` holds the same totals as `kept`, sorted (the first pass's).
pub fn json(
    w: &mut (impl Write + ?Sized),
    program: &Program,
    kept: &Kept,
    standing: &Standing,
) -> io::Result<()> {
    if kept.len() == 0 {
        return w.write_all(b"[]");
    }
    let id = |i: usize| kept.get(i).map(|k| k.0);
    let ranked = ranked(kept, |a, b| id(a).cmp(&id(b)));
    let any_top = (program.header.results.iter()).any(|r| matches!(r.rule, ResultRule::Top { .. }));
    w.write_all(b"[")?;
    for (n, (i, r)) in ranked.into_iter().enumerate() {
        let Some((id, t, _)) = kept.get(i) else {
            continue;
        };
        let place = kept.vetoed(i).map(|v| standing.place(t, v));
        let mut entry = serde_json::json!({"id": id, "total": fmt2(t), "rank": r});
        if any_top && let Some(map) = entry.as_object_mut() {
            let top: serde_json::Map<String, serde_json::Value> = top_labels(program, place)
                .into_iter()
                .map(|(name, label)| (name.to_string(), label.into()))
                .collect();
            map.insert("top".into(), top.into());
        }
        w.write_all(if n == 0 { b"\n" } else { b",\n" })?;
        for (k, line) in format!("{entry:#}").lines().enumerate() {
            if k > 0 {
                w.write_all(b"\n")?;
            }
            write!(w, "  {line}")?;
        }
    }
    w.write_all(b"\n]")
}
