//! The reports written one entity at a time as the data streams in (table,
//! JSON, JSON lines, CSV), so that memory does not grow with the number of
//! entities: what comes before the first entity, each entity as it is
//! scored, and what comes after the last (with `--rank`, the ranking, for
//! which only each entity's id, total and result are kept).

use super::derived::TopPlace;
use super::rollup::Kept;
use super::standing::Standing;
use super::{csv, json, ranking, table};
use crate::data::Entity;
use crate::escape;
use crate::eval::Outcome;
use crate::ir::Program;
use std::io::{self, Write};

/// The formats a report can be streamed in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    /// One JSON object per line and entity.
    Jsonl,
    Csv,
}

/// A report being written: the framing of its format and what it keeps
/// for the ranking at its end.
pub struct Stream<'p> {
    program: &'p Program,
    format: Format,
    ranked: bool,
    rows: csv::Rows,
    kept: Kept,
    first: bool,
    /// One entity's table report at a time, its room kept.
    text: String,
    /// With `--rank`, every total from a first pass: each entity's rank
    /// and place for results by rank (`top`) by its own total.
    standing: Option<Standing>,
}

impl<'p> Stream<'p> {
    /// A report in `format`; `ranked` when entities come with their rank.
    pub fn new(program: &'p Program, format: Format, ranked: bool) -> Stream<'p> {
        Stream {
            program,
            format,
            ranked,
            rows: csv::Rows::new(program),
            kept: Kept::default(),
            first: true,
            text: String::new(),
            standing: None,
        }
    }

    /// Every total from a first pass, for the ranks and the results by
    /// rank: the report is then ranked.
    pub fn with_standing(mut self, standing: Standing) -> Stream<'p> {
        self.standing = Some(standing);
        self.ranked = true;
        self
    }

    /// An entity's place for results by rank, when the report is ranked.
    fn place(&self, o: &Outcome) -> Option<TopPlace> {
        Some(self.standing.as_ref()?.place(o.total, o.vetoed))
    }

    /// An entity's rank, when the report is ranked.
    fn rank(&self, o: &Outcome) -> Option<usize> {
        Some(self.standing.as_ref()?.rank(o.total))
    }

    /// How many entities the first pass met (none when not ranked): room
    /// for what the ranking at the end keeps of each, made once.
    pub fn reserve(&mut self, ids: usize) {
        if let Some(n) = self.standing.as_ref().map(Standing::len)
            && matches!(self.format, Format::Json | Format::Table)
        {
            self.kept.reserve(n, ids);
        }
    }

    /// Whether the report prints explanation lines (the CSV report has
    /// none: none need be recorded).
    pub fn explains(&self) -> bool {
        self.format != Format::Csv
    }

    /// What comes before the first entity.
    pub fn begin(&self, w: &mut (impl Write + ?Sized)) -> io::Result<()> {
        match self.format {
            Format::Csv => w.write_all(&csv::header_line(self.program, self.ranked)?),
            Format::Json => w.write_all(b"{\n\"entities\": [\n"),
            Format::Table | Format::Jsonl => Ok(()),
        }
    }

    /// One entity's report, with its rank when the report is ranked.
    pub fn entity(
        &mut self,
        w: &mut (impl Write + ?Sized),
        e: &Entity,
        o: &Outcome,
    ) -> io::Result<()> {
        let rank = self.rank(o);
        match self.format {
            Format::Table => self.table(w, e, o)?,
            Format::Json | Format::Jsonl => self.json(w, e, o, rank)?,
            Format::Csv => {
                let mut c = ::csv::Writer::from_writer(&mut *w);
                self.rows
                    .write(&mut c, self.program, o, rank, self.place(o))?;
                c.flush()?;
            }
        }
        self.first = false;
        if self.ranked && matches!(self.format, Format::Json | Format::Table) {
            self.kept.push(&o.id, o.total, &o.result, o.vetoed);
        }
        Ok(())
    }

    fn table(&mut self, w: &mut (impl Write + ?Sized), e: &Entity, o: &Outcome) -> io::Result<()> {
        self.text.clear();
        let place = self.place(o);
        table::entity(&mut self.text, self.program, e, o, place);
        // No escape sequence from the spec or data reaches a terminal.
        w.write_all(escape::terminal(&self.text).as_bytes())
    }

    fn json(
        &self,
        w: &mut (impl Write + ?Sized),
        e: &Entity,
        o: &Outcome,
        rank: Option<usize>,
    ) -> io::Result<()> {
        let mut v = json::entity(self.program, e, o, self.place(o));
        v.rank = rank;
        if self.format == Format::Jsonl {
            serde_json::to_writer(&mut *w, &v)?;
            return w.write_all(b"\n");
        }
        if !self.first {
            w.write_all(b",\n")?;
        }
        serde_json::to_writer_pretty(&mut *w, &v)?;
        Ok(())
    }

    /// What comes after the last entity: the JSON document's end, and the
    /// ranking of a ranked table or JSON report.
    pub fn end(&self, w: &mut (impl Write + ?Sized)) -> io::Result<()> {
        // The first pass's totals, sorted, else the same made from `kept`.
        let made;
        let standing = match &self.standing {
            Some(s) => s,
            None => {
                made = self.kept.standing();
                &made
            }
        };
        match self.format {
            Format::Json => {
                write!(w, "\n]")?;
                if self.ranked {
                    write!(w, ",\n\"ranking\": ")?;
                    ranking::json(w, self.program, &self.kept, standing)?;
                }
                writeln!(w, "\n}}")
            }
            Format::Table if self.ranked => ranking::table(w, self.program, &self.kept, standing),
            _ => Ok(()),
        }
    }
}
