//! The CSV report: one row per entity × item, ready for a pivot table.
//! Columns: entity, rank (with --rank), section, indicator (level3 and
//! level4 in a table of four or five levels), item, title,
//! max, score, lost, responsible (units joined by "、"), and extra (the
//! award beyond the item's points) in a table with extra awards; a veto item's
//! score cell says 未触发 or 否决（已触发） and its lost cell is empty. Text cells that
//! a spreadsheet would read as a formula are prefixed with `'`
//! (`escape::csv_cell`); the numeric columns are kaohe's own numbers.
//! The header's named results (`result …`) follow as one column each, the
//! unit's value repeated on each of its rows.

use super::rollup::lost;
use super::{fmt2, veto_text};
use crate::escape::csv_cell;
use crate::eval::Outcome;
use crate::ir::{Heading, ItemKind, Lang, Program};
use std::io::Write;

pub fn header(program: &Program, rank: bool) -> Vec<String> {
    let extra = program.has_extra;
    let mut h: Vec<String> = (header_fixed(rank, extra, heading_columns(program)).into_iter())
        .map(String::from)
        .collect();
    h.extend((program.header.results.iter()).map(|r| csv_cell(&r.name).into_owned()));
    h
}

/// With `extra` (a table with extra awards) a column `extra` after
/// `responsible`: the award beyond the item's points.
fn header_fixed(rank: bool, extra: bool, levels: usize) -> Vec<&'static str> {
    let mut h = vec!["entity"];
    if rank {
        h.push("rank");
    }
    h.extend(
        ["section", "indicator", "level3", "level4"]
            .into_iter()
            .take(levels),
    );
    h.extend(["item", "title", "max", "score", "lost", "responsible"]);
    if extra {
        h.push("extra");
    }
    h
}

/// The columns of headings: section and indicator always (as tables of
/// three levels have them), level3 and level4 in a table that has them.
fn heading_columns(program: &Program) -> usize {
    usize::from(program.heading_levels()).max(2)
}

/// The header row, as a line of CSV.
pub fn header_line(program: &Program, rank: bool) -> std::io::Result<Vec<u8>> {
    let mut c = csv::Writer::from_writer(Vec::new());
    c.write_record(header(program, rank))?;
    c.into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))
}

/// The CSV report of one program: the cells that are the same for every
/// entity (section, indicator, item, title, responsible units) are made once.
pub struct Rows {
    /// Per item: its headings' cells (one per heading column), its id,
    /// title and units.
    fixed: Vec<Vec<String>>,
    /// Per item: whether it is a veto item, whose score cell says 未触发 or
    /// 否决（已触发） instead of a number.
    veto: Vec<bool>,
    lang: Lang,
    /// Whether the header has named results, whose columns end each row.
    results: bool,
    /// Whether the table has extra awards: a column then shows them.
    pub extra: bool,
}

impl Rows {
    pub fn new(program: &Program) -> Rows {
        let heading = |h: &Heading| format!("{} {}", h.label, h.title);
        let columns = heading_columns(program);
        let fixed = (program.items.iter())
            .map(|item| {
                // Texts from the spec, neutralised against formula
                // injection once (docs/security.md).
                let cell = |s: String| csv_cell(&s).into_owned();
                let path = program.path_of(item);
                let mut row: Vec<String> = (0..columns)
                    .map(|level| {
                        let h = path.get(level).and_then(|&h| program.headings.get(h));
                        cell(h.map_or(String::new(), heading))
                    })
                    .collect();
                row.extend([
                    cell(item.id.clone()),
                    cell(super::shown_title(item, program.header.lang).into_owned()),
                    cell(item.units_text(program.header.lang)),
                ]);
                row
            })
            .collect();
        let veto = (program.items.iter())
            .map(|i| i.kind == ItemKind::Veto)
            .collect();
        Rows {
            fixed,
            veto,
            lang: program.header.lang,
            results: !program.header.results.is_empty(),
            extra: program.has_extra,
        }
    }

    /// Write the rows of one entity's outcome.
    /// `place`: its place among all units, when known (for `top`).
    pub fn write<W: Write>(
        &self,
        out: &mut csv::Writer<W>,
        program: &Program,
        o: &Outcome,
        rank: Option<usize>,
        place: Option<super::derived::TopPlace>,
    ) -> csv::Result<()> {
        let rank = rank.map(|r| r.to_string());
        let results: Vec<String> = if self.results {
            (super::derived::shown(program, o, place).into_iter())
                .map(|r| csv_cell(&r.value).into_owned())
                .collect()
        } else {
            Vec::new()
        };
        let entity = csv_cell(&o.id);
        let kinds = self.veto.iter();
        for ((fixed, io), &veto) in self.fixed.iter().zip(&o.items).zip(kinds) {
            out.write_field(entity.as_bytes())?;
            if let Some(r) = &rank {
                out.write_field(r)?;
            }
            let (cells, units) = fixed.split_at(fixed.len().saturating_sub(1));
            for cell in cells {
                out.write_field(cell)?;
            }
            out.write_field(io.max.map_or(String::new(), fmt2))?;
            if veto {
                out.write_field(veto_text(io.vetoed, self.lang))?;
                out.write_field("")?;
            } else {
                out.write_field(fmt2(io.score))?;
                out.write_field(fmt2(lost(io)))?;
            }
            for cell in units {
                out.write_field(cell)?;
            }
            if self.extra {
                out.write_field(fmt2(io.extra))?;
            }
            for r in &results {
                out.write_field(r)?;
            }
            out.write_record(None::<&[u8]>)?;
        }
        Ok(())
    }
}
