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
    /// One entity's CSV or JSON-lines report at a time, its room kept.
    bytes: Vec<u8>,
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
            bytes: Vec::new(),
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
            Format::Json => self.json(w, e, o, rank)?,
            Format::Jsonl | Format::Csv => {
                self.bytes.clear();
                let maker = Maker::of(
                    self.program,
                    self.format,
                    &self.rows,
                    self.standing.as_ref(),
                );
                maker.make_into(&mut self.bytes, e, o)?;
                w.write_all(&self.bytes)?;
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

// ------------------------------------------- reports made on the workers

/// What makes one entity's CSV rows or JSON line, on any thread: the CSV
/// and JSON-lines reports keep nothing from one entity to the next (their
/// ranks come from the first pass's totals), so each entity's text can be
/// made on the worker that scored it and written in order by the calling
/// thread (`cli::score::each_made`).
pub struct Maker<'s> {
    program: &'s Program,
    format: Format,
    rows: &'s csv::Rows,
    standing: Option<&'s Standing>,
}

impl<'s> Maker<'s> {
    fn of(
        program: &'s Program,
        format: Format,
        rows: &'s csv::Rows,
        standing: Option<&'s Standing>,
    ) -> Maker<'s> {
        Maker {
            program,
            format,
            rows,
            standing,
        }
    }

    /// One entity's report as bytes, as [`Stream::entity`] writes it.
    pub fn make(&self, e: &Entity, o: &Outcome) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        self.make_into(&mut out, e, o)?;
        Ok(out)
    }

    /// One entity's report onto the end of `out`.
    fn make_into(&self, out: &mut Vec<u8>, e: &Entity, o: &Outcome) -> io::Result<()> {
        let rank = self.standing.map(|s| s.rank(o.total));
        let place = self.standing.map(|s| s.place(o.total, o.vetoed));
        match self.format {
            Format::Csv => self.rows.write(out, self.program, o, rank, place),
            Format::Jsonl => {
                let mut v = json::entity(self.program, e, o, place);
                v.rank = rank;
                serde_json::to_writer(&mut *out, &v)?;
                out.push(b'\n');
            }
            // Not made apart from the stream: the JSON document's commas
            // and the ranking of the table and JSON reports.
            Format::Json | Format::Table => {}
        }
        Ok(())
    }
}

impl<'p> Stream<'p> {
    /// For the CSV and JSON-lines reports, what makes each entity's text
    /// on any thread ([`Maker`]); none for the table and JSON reports,
    /// written on the calling thread ([`Stream::entity`]).
    pub fn maker(&self) -> Option<Maker<'_>> {
        matches!(self.format, Format::Csv | Format::Jsonl).then(|| {
            Maker::of(
                self.program,
                self.format,
                &self.rows,
                self.standing.as_ref(),
            )
        })
    }
}
