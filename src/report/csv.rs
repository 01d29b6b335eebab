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

use super::number::Two;
use super::rollup::lost;
use super::veto_text;
use crate::escape::csv_cell;
use crate::eval::Outcome;
use crate::ir::{Heading, ItemKind, Program};

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
/// entity (section, indicator, item, title, responsible units) are made,
/// and written as CSV, once; each row is then put together from bytes,
/// its numbers printed without `format!` (`number::Two`), instead of
/// going through `csv::Writer` cell by cell (a dense unit's 71 rows cost
/// 0.29 M instructions that way; docs/performance.md, "Round 10: the
/// reports"). Every text cell is still quoted by the csv crate, as before.
pub struct Rows {
    /// Per item: its headings' cells (one per heading column), its id
    /// and title, as CSV, each after a comma.
    before: Vec<Vec<u8>>,
    /// Per item: its units' cell, as CSV, after a comma.
    units: Vec<Vec<u8>>,
    /// Per item: whether it is a veto item, whose score cell says 未触发 or
    /// 否决（已触发） instead of a number.
    veto: Vec<bool>,
    /// A veto item's score cell, not fired and fired, as CSV.
    veto_cells: [Vec<u8>; 2],
    /// Whether the header has named results, whose columns end each row.
    results: bool,
    /// Whether the table has extra awards: a column then shows them.
    pub extra: bool,
}

/// Cells as CSV, each after a comma, quoted as `csv::Writer` quotes them
/// in a row of many cells. The record is ended with one more, empty, cell
/// which is then cut off with its line's end: a quoted cell's closing
/// quote is written only when the next cell or the line's end comes, and
/// an empty cell alone on a line would be written `""`.
fn encoded<'s>(cells: impl IntoIterator<Item = &'s str>) -> Vec<u8> {
    let mut c = csv::WriterBuilder::new()
        .buffer_capacity(256)
        .from_writer(Vec::new());
    let mut any = false;
    for cell in cells {
        // Writing into memory does not fail.
        let _ = c.write_field(cell);
        any = true;
    }
    let _ = c.write_field("");
    let _ = c.write_record(None::<&[u8]>);
    let _ = c.flush();
    let mut out = Vec::new();
    if any {
        let written = c.get_ref();
        // What was written ends with the empty cell's comma and "\n".
        out.push(b',');
        out.extend_from_slice(
            written
                .get(..written.len().saturating_sub(2))
                .unwrap_or_default(),
        );
    }
    out
}

impl Rows {
    pub fn new(program: &Program) -> Rows {
        let heading = |h: &Heading| format!("{} {}", h.label, h.title);
        let columns = heading_columns(program);
        let lang = program.header.lang;
        let mut before = Vec::with_capacity(program.items.len());
        let mut units = Vec::with_capacity(program.items.len());
        for item in &program.items {
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
                cell(super::shown_title(item, lang).into_owned()),
            ]);
            before.push(encoded(row.iter().map(String::as_str)));
            units.push(encoded([cell(item.units_text(lang)).as_str()]));
        }
        let veto = (program.items.iter())
            .map(|i| i.kind == ItemKind::Veto)
            .collect();
        Rows {
            before,
            units,
            veto,
            veto_cells: [false, true].map(|fired| encoded([veto_text(fired, lang)])),
            results: !program.header.results.is_empty(),
            extra: program.has_extra,
        }
    }

    /// Write the rows of one entity's outcome onto the end of `out`.
    /// `place`: its place among all units, when known (for `top`).
    pub fn write(
        &self,
        out: &mut Vec<u8>,
        program: &Program,
        o: &Outcome,
        rank: Option<usize>,
        place: Option<super::derived::TopPlace>,
    ) {
        let results: Vec<u8> = if self.results {
            let shown = super::derived::shown(program, o, place);
            let cells: Vec<String> = (shown.iter())
                .map(|r| csv_cell(&r.value).into_owned())
                .collect();
            encoded(cells.iter().map(String::as_str))
        } else {
            Vec::new()
        };
        // The entity's cell, and its rank, the same on each of its rows.
        let id = encoded([csv_cell(&o.id).as_ref()]);
        let mut entity = id.get(1..).unwrap_or_default().to_vec();
        if let Some(r) = rank {
            entity.push(b',');
            entity.extend_from_slice(r.to_string().as_bytes());
        }
        let number = |out: &mut Vec<u8>, d| {
            out.push(b',');
            out.extend_from_slice(Two::new(d).as_str().as_bytes());
        };
        // Room for the rows at once: their fixed cells, and some 64 bytes
        // of each for the entity, its numbers and its results.
        let fixed: usize = (self.before.iter().zip(&self.units))
            .map(|(b, u)| b.len() + u.len())
            .sum();
        let each = entity.len() + results.len() + 64;
        out.reserve(fixed + each * self.before.len());
        let items = self.before.iter().zip(&self.units).zip(&self.veto);
        for (((before, units), &veto), io) in items.zip(&o.items) {
            out.extend_from_slice(&entity);
            out.extend_from_slice(before);
            match io.max {
                Some(max) => number(out, max),
                None => out.push(b','),
            }
            if veto {
                let [quiet, fired] = &self.veto_cells;
                out.extend_from_slice(if io.vetoed { fired } else { quiet });
                out.push(b',');
            } else {
                number(out, io.score);
                number(out, lost(io));
            }
            out.extend_from_slice(units);
            if self.extra {
                number(out, io.extra);
            }
            out.extend_from_slice(&results);
            out.push(b'\n');
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::super::{fmt2, rollup::lost, veto_text};
    use super::{Rows, heading_columns};
    use crate::escape::csv_cell;
    use crate::eval::Outcome;
    use crate::ir::{Heading, ItemKind, Program};

    /// The rows as they were written before they were put together from
    /// bytes: through `csv::Writer`, cell by cell.
    fn by_cells(program: &Program, o: &Outcome, rank: Option<usize>) -> Vec<u8> {
        let heading = |h: &Heading| format!("{} {}", h.label, h.title);
        let lang = program.header.lang;
        let mut c = csv::Writer::from_writer(Vec::new());
        let results: Vec<String> = (super::super::derived::shown(program, o, None).into_iter())
            .map(|r| csv_cell(&r.value).into_owned())
            .collect();
        for (item, io) in program.items.iter().zip(&o.items) {
            let path = program.path_of(item);
            c.write_field(csv_cell(&o.id).as_bytes()).unwrap();
            if let Some(r) = rank {
                c.write_field(r.to_string()).unwrap();
            }
            for level in 0..heading_columns(program) {
                let h = path.get(level).and_then(|&h| program.headings.get(h));
                c.write_field(csv_cell(&h.map_or(String::new(), heading)).as_bytes())
                    .unwrap();
            }
            c.write_field(csv_cell(&item.id).as_bytes()).unwrap();
            let title = super::super::shown_title(item, lang);
            c.write_field(csv_cell(&title).as_bytes()).unwrap();
            c.write_field(io.max.map_or(String::new(), fmt2)).unwrap();
            if item.kind == ItemKind::Veto {
                c.write_field(veto_text(io.vetoed, lang)).unwrap();
                c.write_field("").unwrap();
            } else {
                c.write_field(fmt2(io.score)).unwrap();
                c.write_field(fmt2(lost(io))).unwrap();
            }
            c.write_field(csv_cell(&item.units_text(lang)).as_bytes())
                .unwrap();
            if program.has_extra {
                c.write_field(fmt2(io.extra)).unwrap();
            }
            for r in &results {
                c.write_field(r).unwrap();
            }
            c.write_record(None::<&[u8]>).unwrap();
        }
        c.into_inner().unwrap()
    }

    /// Rows put together from bytes are the rows `csv::Writer` wrote cell
    /// by cell, on every table of specs/ with generated units, ranked and
    /// not, and with ids that must be quoted or neutralised.
    #[test]
    fn rows_from_bytes_are_the_rows_written_cell_by_cell() {
        let specs = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/specs")).unwrap();
        let mut compared = 0;
        for path in specs.map(|e| e.unwrap().path()) {
            if path.extension().is_none_or(|e| e != "kh") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let compiled = crate::service::Analysis::new(&text).into_compiled();
            let program = &compiled.program.unwrap();
            let rows = Rows::new(program);
            let ids = [
                "a",
                "=1+1",
                "逗号,和\"引号\"",
                "line\nbreak",
                "",
                "-2",
                " space ",
            ];
            for (n, e) in crate::synth::entities(program, 7, 40).enumerate() {
                let Ok(mut o) = crate::eval::evaluate_with(program, &e, false) else {
                    continue;
                };
                o.id = ids[n % ids.len()].to_string();
                let rank = (n % 2 == 0).then_some(n + 1);
                let mut made = Vec::new();
                rows.write(&mut made, program, &o, rank, None);
                let expected = by_cells(program, &o, rank);
                assert_eq!(
                    String::from_utf8(made).unwrap(),
                    String::from_utf8(expected).unwrap(),
                    "{}",
                    path.display()
                );
                compared += 1;
            }
        }
        assert!(compared > 100, "{compared}");
    }
}
