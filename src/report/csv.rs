//! The CSV report: one row per entity × item, ready for a pivot table.
//! Columns: entity, rank (with --rank), section, indicator, item, title,
//! max, score, lost, responsible (units joined by "、").

use super::fmt2;
use super::rollup::lost;
use crate::check::ir::Program;
use crate::eval::Outcome;

pub fn header(rank: bool) -> Vec<&'static str> {
    let mut h = vec!["entity"];
    if rank {
        h.push("rank");
    }
    h.extend([
        "section",
        "indicator",
        "item",
        "title",
        "max",
        "score",
        "lost",
        "responsible",
    ]);
    h
}

/// The rows of one entity.
pub fn rows(program: &Program, o: &Outcome, rank: Option<usize>) -> Vec<Vec<String>> {
    program
        .items
        .iter()
        .zip(&o.items)
        .map(|(item, io)| {
            let indicator = program.indicators.get(item.indicator);
            let section = indicator.and_then(|i| program.sections.get(i.parent));
            let mut row = vec![o.id.clone()];
            if let Some(r) = rank {
                row.push(r.to_string());
            }
            row.extend([
                section.map_or(String::new(), |s| format!("{} {}", s.label, s.title)),
                indicator.map_or(String::new(), |s| format!("{} {}", s.label, s.title)),
                item.id.clone(),
                item.title.clone(),
                io.max.map_or(String::new(), fmt2),
                fmt2(io.score),
                fmt2(lost(io)),
                item.responsible.join("、"),
            ]);
            row
        })
        .collect()
}
