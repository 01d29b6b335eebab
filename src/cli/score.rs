//! Scoring the entities of data files as they stream in, for `eval` and
//! `template --fill`: entities are read `CHUNK` at a time on this thread
//! and scored on all cores while the next chunk is read (`eval::pipeline_made`);
//! the command and the diagnostics see every entity and problem in the
//! order of the data, as if they had been scored one by one. A table's
//! (CSV, XLSX) rows are split on this thread and read into values on the
//! pool by the task that scores them (`data::open_halved`), and a JSON
//! file's entities alike, cut on this thread and each text read into its
//! entity on the pool, so that the reading and the scoring overlap
//! instead of taking turns on the pool.

use super::{Output, Status};
use crate::data::{Across, Entity, Halved, JsonHalved, Layout, Opened, Step, Told};
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::{self, EvalError, Outcome};
use crate::ir::Program;
use crate::source::Source;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A spinner on stderr, shown only when stderr is a terminal and the run
/// has lasted more than a second.
struct Progress {
    started: Instant,
    bar: Option<ProgressBar>,
    count: u64,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            started: Instant::now(),
            bar: None,
            count: 0,
        }
    }

    fn tick(&mut self) {
        self.count += 1;
        if self.bar.is_none()
            && self.count.is_multiple_of(64)
            && self.started.elapsed() > Duration::from_secs(1)
            && std::io::stderr().is_terminal()
        {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) =
                ProgressStyle::with_template("{spinner} {pos} entities scored ({per_sec})")
            {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(self.count);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// How many entities are read before they are scored together on all
/// cores, at most; memory holds this many entities and outcomes at a time.
/// Heavy entities make shorter chunks ([`CHUNK`]).
const CHUNK_COUNT: usize = 1024;

/// A chunk: [`CHUNK_COUNT`] entities, or fewer once they hold [`weight`]
/// 65,536 values together (some 1.5 MB of entities and as much of their
/// outcomes). A dense unit of the 2024 table holds 1,200 values on
/// average (215–21,000), so its chunks are some 55 units; light units
/// stay at 1,024. Seven chunks are in memory at once (`eval::pipeline_made`,
/// six with the pool): at 1,024 dense units a chunk they were most of the
/// peak of an explained report (docs/performance.md, "Round 9: memory").
/// Small chunks, many in flight, keep the pool fed (`eval::parallel`).
const CHUNK: eval::Chunk = eval::Chunk {
    count: CHUNK_COUNT,
    budget: 1 << 16,
};

/// What an entity as read weighs in memory, in values: one for each of its
/// values, and for a list one for each record and each field of each
/// record. A problem weighs one.
fn weight(read: &Result<Entity, Diagnostic>) -> usize {
    let Ok(entity) = read else {
        return 1;
    };
    (entity.values.iter())
        .map(|v| match v {
            crate::ir::Value::List(records) => {
                let fields = records.first().map_or(0, |r| r.len());
                records.len().saturating_mul(fields.saturating_add(1))
            }
            _ => 0,
        })
        .fold(entity.values.len(), usize::saturating_add)
}

/// How a pass over the data goes besides scoring.
#[derive(Clone, Copy)]
pub(super) struct Pass {
    /// Whether the problems met are printed (the first pass of a ranking
    /// leaves them to the second).
    pub(super) print_problems: bool,
    /// Whether explanation lines are recorded.
    pub(super) explain: bool,
    /// `--strict`: what the data layer reads on a guess is an error.
    pub(super) strict: bool,
}

/// Score every entity of every data file, in order, calling `f` with each
/// valid one, as `pass` says; the status of the data so far, and whether
/// `f` failed (which stops the reading). Each entity is read and scored
/// on the pool ([`pooled`]) and handed to `f` on this thread.
pub(super) fn each<'p>(
    out: &Output,
    source: &Source,
    program: &'p Program,
    data: &[PathBuf],
    pass: Pass,
    mut f: impl FnMut(Entity, Outcome<'p>) -> std::io::Result<()>,
) -> (Status, std::io::Result<()>) {
    let scored = |entity, outcome| (entity, outcome);
    pooled(out, (source, program, data), pass, scored, |(e, o)| f(e, o))
}

/// A pass over the data under way: what it has met so far.
struct Run<'a> {
    out: &'a Output,
    source: &'a Source,
    pass: Pass,
    status: Status,
    progress: Progress,
}

impl<'a> Run<'a> {
    /// A run over the data, nothing read yet.
    fn new(out: &'a Output, source: &'a Source, pass: Pass) -> Self {
        Run {
            out,
            source,
            pass,
            status: Status::Ok,
            progress: Progress::new(),
        }
    }

    /// A problem met: it makes the data invalid if an error, and is
    /// printed if the pass prints problems (with the spec's text when it
    /// is about the spec).
    fn problem(&mut self, d: Diagnostic, spec: bool) {
        if d.is_error() {
            self.status = self.status.max(Status::Invalid);
        }
        if self.pass.print_problems {
            let source = if spec { Some(self.source) } else { None };
            self.out.diagnostics(&[d], source);
        }
    }

    /// Open a data file, a table left in halves
    /// ([`crate::data::open_halved`]); a file that cannot be read is a
    /// problem, and a misuse of the command if it cannot be read at all.
    fn open<'p>(&mut self, program: &'p Program, path: &Path) -> Option<Opened<'p>> {
        match crate::data::open_halved(program, path, self.pass.strict) {
            Ok(it) => Some(it),
            Err(d) => {
                let usage = matches!(d.code, Code::Io);
                self.problem(d, false);
                if usage {
                    self.status = Status::Usage;
                }
                None
            }
        }
    }
}

/// A table's halves, its steps checked against the ids of the run's
/// earlier files (`data::Across`): a unit one of them gave is read, its
/// problems told, and left out.
fn halves<'a: 'b, 'b>(
    table: Halved<'a>,
    across: &'b mut Across,
    file: &str,
) -> (impl Iterator<Item = Step> + 'b, Layout<'a>, Told) {
    let Halved {
        steps,
        layout,
        told,
    } = table;
    (across.steps(file, steps), layout, told)
}

// ------------------------------------------------ reports made on the pool

/// What the pool made of one entity read ([`each_made`]).
enum Made<B> {
    /// The problem with what was read.
    Problem(Diagnostic),
    /// The entity (by its id) could not be scored.
    Fault(String, EvalError),
    /// The entity's report.
    Done(B),
}

/// [`each`] with each entity's report made on the pool (`make`, on the
/// worker that scored it), the entity and its outcome dropped there too:
/// `f` is given each report in the order of the data, and every problem
/// is told in its place among them, as [`each`] tells it.
pub(super) fn each_made<'p, B: Send>(
    out: &Output,
    source: &Source,
    program: &'p Program,
    data: &[PathBuf],
    pass: Pass,
    make: impl Fn(&Entity, &Outcome<'p>) -> B + Sync,
    f: impl FnMut(B) -> std::io::Result<()>,
) -> (Status, std::io::Result<()>) {
    let made = |entity: Entity, outcome: Outcome<'p>| make(&entity, &outcome);
    pooled(out, (source, program, data), pass, made, f)
}

/// Every entity of every data file read, scored and made into `B` on the
/// pool (`make`, given the entity and its outcome), then handed to `f` on
/// this thread in the order of the data, every problem told in its place
/// among them: what [`each`] and [`each_made`] share.
fn pooled<'p, B: Send>(
    out: &Output,
    (source, program, data): (&Source, &'p Program, &[PathBuf]),
    pass: Pass,
    make: impl Fn(Entity, Outcome<'p>) -> B + Sync,
    mut f: impl FnMut(B) -> std::io::Result<()>,
) -> (Status, std::io::Result<()>) {
    let mut run = Run::new(out, source, pass);
    let made_of = |read: Result<Entity, Diagnostic>| match read {
        Err(d) => Made::Problem(d),
        Ok(entity) => match eval::evaluate_with(program, &entity, pass.explain) {
            Ok(o) => Made::Done(make(entity, o)),
            Err(e) => Made::Fault(entity.id, e),
        },
    };
    let mut across = Across::new(data.len());
    for path in data {
        let file = path.display().to_string();
        let made = match run.open(program, path) {
            None => continue,
            Some(Opened::Entities(entities)) => {
                let entities = across.file(&file, entities);
                eval::pipeline_made(entities, CHUNK, weight, made_of, |m| run.made(m, &mut f))
            }
            Some(Opened::Table(table)) => {
                run.table_made(*table, (&mut across, &file), &made_of, &mut f)
            }
            Some(Opened::Json(json)) => {
                run.json_made(*json, (&mut across, &file), &made_of, &mut f)
            }
        };
        if let Err(e) = made {
            return (run.status, Err(e));
        }
    }
    (run.status, Ok(()))
}

impl Run<'_> {
    /// A table's entities made on the pool: each entity's rows read into
    /// its values by the task that scores it and makes its report, so that
    /// reading and scoring do not take turns on the pool (as batches of
    /// rows read apart from the scoring did); what each came to is told on
    /// this thread in the order of the rows, and the problems, each cause
    /// once, after the last.
    fn table_made<B: Send>(
        &mut self,
        table: Halved<'_>,
        (across, file): (&mut Across, &str),
        made_of: &(impl Fn(Result<Entity, Diagnostic>) -> Made<B> + Sync),
        f: &mut impl FnMut(B) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let (steps, layout, mut told) = halves(table, across, file);
        let layout = &layout;
        eval::pipeline_made(
            steps,
            CHUNK,
            |step| layout.weight(step),
            |step| layout.done(step).map(|entity| made_of(Ok(entity))),
            |done| match told.tell(done) {
                Some(made) => self.made(made, f),
                None => Ok(()),
            },
        )?;
        for d in told.rest() {
            self.problem(d, false);
        }
        Ok(())
    }

    /// A JSON file's entities made on the pool: each entity's text read
    /// into it by the task that scores it and makes its report, so that
    /// reading and scoring do not take turns on the pool (as batches of
    /// texts read apart from the scoring did); what each came to is told
    /// on this thread in the order of the file, and the problems, each
    /// cause once, after the last, as `data::open` tells them.
    fn json_made<B: Send>(
        &mut self,
        json: JsonHalved<'_>,
        (across, file): (&mut Across, &str),
        made_of: &(impl Fn(Result<Entity, Diagnostic>) -> Made<B> + Sync),
        f: &mut impl FnMut(B) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let JsonHalved {
            pieces,
            reads,
            mut told,
        } = json;
        across.begin(file);
        let reads = &reads;
        // The id kept beside what was made, for the ids of earlier files.
        let made = |entity: Entity| (entity.id.clone(), made_of(Ok(entity)));
        eval::pipeline_made(
            pieces,
            CHUNK,
            |piece| reads.weight(piece),
            |piece| reads.done(piece).map(made),
            |done| match told.tell(done) {
                Some((id, made)) => match across.kept(&id) {
                    Some(d) => self.made(Made::Problem(d), f),
                    None => self.made(made, f),
                },
                None => Ok(()),
            },
        )?;
        for d in told.rest() {
            self.problem(d, false);
        }
        Ok(())
    }

    /// What the pool made of one entity read: a problem told, a fault
    /// told as the spec's, a report handed to `f`.
    fn made<B>(
        &mut self,
        made: Made<B>,
        f: &mut impl FnMut(B) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        match made {
            Made::Problem(d) => {
                self.problem(d, false);
                return Ok(());
            }
            Made::Fault(id, e) => {
                let d = e.to_diagnostic(&id).in_file(&self.source.name);
                self.problem(d, true);
            }
            Made::Done(report) => f(report)?,
        }
        self.progress.tick();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::{CHUNK, weight};
    use crate::data::Entity;
    use crate::ir::{Record, Value};
    use rust_decimal::Decimal;

    /// A unit with one list of `records` records of four fields.
    fn unit(records: usize) -> Entity {
        let record: Record = vec![Value::Num(Decimal::ONE); 4].into_boxed_slice();
        Entity {
            id: "u".to_string(),
            values: vec![Value::Bool(true), Value::List(vec![record; records].into())],
        }
    }

    /// A light unit weighs its values, a dense one its records' fields as
    /// well, so that chunks of dense units are short and chunks of light
    /// ones stay at 1,024.
    #[test]
    fn heavy_units_make_short_chunks() {
        assert_eq!(weight(&Ok(unit(0))), 2);
        assert_eq!(weight(&Ok(unit(100))), 2 + 100 * 5);
        let light = CHUNK.budget / weight(&Ok(unit(3)));
        assert!(light > CHUNK.count, "{light}");
        // A dense unit of the 2024 table: some 1,200 values.
        let dense = CHUNK.budget.div_ceil(weight(&Ok(unit(240))));
        assert!((40..=80).contains(&dense), "{dense}");
    }

    /// D1's units as JSON, with problems among them: a bad value (unit
    /// 5), another (6), a key given twice (9), an id given twice (12 and
    /// 140), a rate written as a fraction (50: a guess), an unknown key
    /// (200), and in JSON lines a line that is not JSON (80).
    fn d1_units(lines: bool) -> String {
        let mut units: Vec<String> = (0..300)
            .map(|i| {
                format!(
                    r#"{{"id": "u{i:03}", "signed": true, "inspected": {}, "work_plan": true, "assessment_share": {}, "summary_on_time": true}}"#,
                    i % 2 == 0,
                    20 + i % 7
                )
            })
            .collect();
        units[5] = units[5].replace(r#""signed": true"#, r#""signed": "x""#);
        units[6] = units[6].replace(r#""assessment_share": 26"#, r#""assessment_share": "abc""#);
        units[9] = units[9].replace(
            r#""work_plan": true"#,
            r#""work_plan": true, "work_plan": false"#,
        );
        units[140] = units[140].replace("u140", "u012");
        units[50] = units[50].replace(r#""assessment_share": 21"#, r#""assessment_share": 0.5"#);
        units[200] = units[200].replace(r#""id""#, r#""zz": 1, "id""#);
        if lines {
            units[80] = r#"{"id": "u080", "signed": tru"#.to_string();
            return units.join("\n");
        }
        format!("[{}]", units.join(",\n"))
    }

    /// What reading `path` comes to, each entity kept by its id and each
    /// problem by its code and words, read on the pool as `each` reads a
    /// JSON file (a text to a task, chunks of three, six in flight, done in
    /// any order) or as the stream of `data::open_strict`.
    fn told(
        program: &crate::ir::Program,
        path: &std::path::Path,
        strict: bool,
        pool: bool,
    ) -> Vec<String> {
        let problem =
            |d: crate::diagnostic::Diagnostic| format!("{}: {}", d.code.as_str(), d.message.en);
        if !pool {
            let read = crate::data::open_strict(program, path, strict).unwrap();
            return read.map(|r| r.map_or_else(problem, |e| e.id)).collect();
        }
        let Ok(crate::data::Opened::Json(json)) = crate::data::open_halved(program, path, strict)
        else {
            panic!("{path:?} not opened as JSON in halves");
        };
        let crate::data::JsonHalved {
            pieces,
            reads,
            mut told,
        } = *json;
        let mut out = Vec::new();
        let done: Result<(), ()> = crate::eval::pipeline_made(
            pieces,
            crate::eval::Chunk::count(3),
            |_| 1,
            |piece| reads.done(piece).map(|e| e.id),
            |done| {
                out.extend(told.tell(done));
                Ok(())
            },
        );
        assert_eq!(done, Ok(()));
        out.extend(told.rest().map(problem));
        out
    }

    /// A JSON file (array and lines) read on the pool, each text read in
    /// the task that goes on to score it: every entity kept and every
    /// problem come in the order the stream of `data::open` gives them,
    /// with and without `--strict` (under which, in an array, the guess
    /// refuses its unit and every one after it; in lines, its unit).
    #[test]
    fn json_read_on_the_pool_tells_all_in_the_order_of_the_file() {
        let program = crate::compile(include_str!(
            "../../tests/patterns/D1-fixed-deduction/spec.kh"
        ))
        .program
        .unwrap();
        let dir = std::env::temp_dir().join(format!("kaohe-score-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, lines) in [("d1.json", false), ("d1.jsonl", true)] {
            let path = dir.join(name);
            std::fs::write(&path, d1_units(lines)).unwrap();
            for strict in [false, true] {
                let streamed = told(&program, &path, strict, false);
                let kept = streamed.iter().filter(|t| t.starts_with('u')).count();
                // JSON lines are told as rows: under --strict the guess
                // (u050's rate as a fraction) refuses its own unit only,
                // as a CSV row with it is refused.
                let want = match (lines, strict) {
                    (false, true) => 46,
                    (false, false) => 295,
                    (true, false) => 294,
                    (true, true) => 293,
                };
                assert_eq!(kept, want, "{name}, strict {strict}: {streamed:?}");
                for _ in 0..4 {
                    assert_eq!(
                        told(&program, &path, strict, true),
                        streamed,
                        "{name}, strict {strict}"
                    );
                }
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
