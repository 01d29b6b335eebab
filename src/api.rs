//! The library API: check a spec, build entities from Rust values, score
//! them one at a time or as a stream, and read the outcome — scores and
//! explanation lines — without going through text.
//!
//! ```
//! use kaohe::api::{Options, Spec};
//! use rust_decimal::Decimal;
//!
//! let spec = Spec::check(r#"
//! table "demo" {
//!   language en
//!   total 4
//!   pass "pass"
//!   fail "fail"
//! }
//! section A "Governance" {
//!   indicator 1 "Responsibility" {
//!     item 1.1 "Meetings and report" score 4 {
//!       input meetings: count "meetings held"
//!       input report: bool "report filed"
//!       deduct 0.5 per meetings below 2 "fewer than two meetings"
//!       deduct 1 unless report "no report filed"
//!     }
//!   }
//! }
//! "#).expect("the spec checks");
//!
//! // Resolve names to slots once; then fill slots for every entity.
//! let meetings = spec.slot("meetings").unwrap();
//! let report = spec.slot("report").unwrap();
//! let mut county = spec.entity("Liucheng");
//! county.set(meetings, 1).set(report, false);
//! let county = county.build().expect("every input is given");
//!
//! let outcome = spec.evaluate(&county, Options::default()).unwrap();
//! assert_eq!(outcome.total, Decimal::new(25, 1)); // 4 − 0.5 − 1
//! let lines = spec.explain(&county, &outcome);
//! assert_eq!(lines[0].item, "1.1");
//! assert_eq!(lines[0].amount, Decimal::new(-5, 1));
//! assert_eq!(lines[0].reason, "fewer than two meetings");
//! assert_eq!(lines[0].facts, vec![("meetings".to_string(), "1".to_string())]);
//! ```
//!
//! [`Spec::evaluate_into`] scores into an outcome kept from the entity
//! before, allocating nothing per entity. [`Spec::evaluate_batch`] scores a
//! batch held in memory on all cores. A
//! stream of any length is scored in bounded memory: [`Spec::evaluate_all`]
//! is an iterator in and out on this thread; [`Spec::evaluate_parallel`]
//! scores chunks of the stream on all cores while this thread reads the
//! next ones, and hands the results on in input order.

/// An assessed unit's data, an error that stopped its scoring, and its
/// scores (line by line when explained).
pub use crate::data::Entity;
/// Diagnostics: every problem kaohe reports, with its stable code, and the
/// language it is written in.
pub use crate::diagnostic::{Code, Diagnostic, Fix, Label, Lang, Severity, Text};
pub use crate::eval::{EvalError, ItemOutcome, Line, LineKind, Outcome};
/// The resolved program a checked spec holds ([`Spec::program`]): its
/// header, inputs, items and clauses, for tools that inspect a spec.
pub mod ir {
    pub use crate::ir::*;
}
/// The language service: what an editor or the workbench asks of a spec's
/// text at a position (diagnostics with fixes, hover, completion,
/// definition, references, outline, formatting, rename), with positions as
/// byte offsets and as line and UTF-16 column. `kaohe check` and `kaohe fmt`
/// answer from it too.
pub mod service {
    pub use crate::service::*;
}
/// The language server of `kaohe lsp` (docs/editors.md): a [`lsp::Server`]
/// answers the protocol's messages from the language service; [`lsp::serve`]
/// speaks it over a byte stream.
pub mod lsp {
    pub use crate::lsp::{Encoding, Server, serve};
}
/// A value of an input, and one record of a list input.
pub use crate::ir::{Record, Value};
/// The keywords a spec is written in: English (`table`, `deduct`) or
/// Chinese (`考核表`, `扣`).
pub use crate::parse::keywords::KeywordSet;
/// The official table (评分标准) of a spec, ready to be written
/// ([`Spec::official_table`], [`markdown`], [`html`]).
pub use crate::render::{Row, Score, Table};
/// A spec's text with its name, and a byte range in it, for rendering
/// diagnostics with their place.
pub use crate::source::{Source, Span};

use crate::diagnostic::render as diag_render;
use crate::eval;
use crate::ir::{Program, Ty};
use crate::report::explain;
use crate::t;
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::sync::Arc;

/// A spec after parsing and checking: the spec when there was no error,
/// and every diagnostic either way (warnings come with a spec too), in the
/// order they were found.
#[derive(Debug)]
pub struct Compiled {
    pub spec: Option<Spec>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse and check a spec's text, keeping every diagnostic: [`Spec::check`]
/// when only a spec that checks is of use.
///
/// ```
/// use kaohe::api::{Code, compile};
///
/// let compiled = compile("table \"t\" { total 1 pass \"p\" fail \"f\" ");
/// assert!(compiled.spec.is_none());
/// assert_eq!(compiled.diagnostics[0].code, Code::Syntax);
/// ```
pub fn compile(text: &str) -> Compiled {
    let compiled = crate::compile(text);
    Compiled {
        spec: compiled.program.map(|program| Spec {
            program,
            warnings: compiled.diagnostics.clone(),
        }),
        diagnostics: compiled.diagnostics,
    }
}

/// A spec laid out as `kaohe fmt` lays it out, its keywords turned to
/// `set` when one is given; the diagnostics when it does not parse.
pub fn format(text: &str, set: Option<KeywordSet>) -> Result<String, Vec<Diagnostic>> {
    crate::fmt::format(text, set)
}

/// Every keyword and type word of the grammar (grammar/kaohe.pest) as
/// spelled in `set`, each once: `table`, `deduct`, `count`, … or `考核表`,
/// `扣`, `计数`, …. A keyword of several words is one item (`at most`).
pub fn keywords(set: KeywordSet) -> impl Iterator<Item = &'static str> {
    use crate::parse::{Rule, keywords};
    let mut seen = std::collections::HashSet::new();
    Rule::all_rules()
        .iter()
        .filter(|&&rule| keywords::is_word(rule))
        // `by` (按 after `standard NAME`) is a word of one place only, and
        // its Chinese spelling is the keyword `match`'s.
        .filter(|&&rule| rule != Rule::ctx_by)
        .filter_map(move |&rule| keywords::spelling(rule, set))
        .filter(move |word| seen.insert(*word))
}

/// A diagnostic as plain text (no colour), with the lines of `source` it
/// points at, in `lang`: as `kaohe check` prints it.
pub fn render_text(diagnostic: &Diagnostic, source: Option<&Source>, lang: Lang) -> String {
    diag_render::to_text(diagnostic, source, false, lang)
}

/// A diagnostic as JSON, in `lang`: as `kaohe check --format json` prints it.
pub fn render_json(
    diagnostic: &Diagnostic,
    source: Option<&Source>,
    lang: Lang,
) -> serde_json::Value {
    diag_render::to_json(diagnostic, source, lang)
}

/// A table as Markdown, as `kaohe render` writes it.
pub fn markdown(table: &Table) -> String {
    crate::render::markdown(table)
}

/// A table as an HTML page, as `kaohe render --format html` writes it.
pub fn html(table: &Table) -> String {
    crate::render::html(table)
}

/// A checked spec, ready to score entities.
#[derive(Debug)]
pub struct Spec {
    program: Program,
    warnings: Vec<Diagnostic>,
}

/// How to score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Record a line for every point moved (on by default). Off, only the
    /// scores are computed; they are the same either way.
    pub explain: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options { explain: true }
    }
}

/// An input's position in an entity, found once by [`Spec::slot`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Slot(usize);

/// One entity of a batch with its outcome.
#[derive(Debug)]
pub struct Scored<'p> {
    pub entity: Entity,
    pub outcome: Result<Outcome<'p>, EvalError>,
}

/// One explanation line in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation<'p> {
    /// The item's id, such as "7.1".
    pub item: &'p str,
    /// Signed: negative for points taken off.
    pub amount: Decimal,
    /// Why, in the spec's language.
    pub reason: String,
    /// The inputs the line read, as (name, value as a clerk writes it).
    pub facts: Vec<(String, String)>,
}

impl Spec {
    /// Parse and check a spec. On success the spec keeps its warnings; on
    /// failure every diagnostic (errors and warnings) is returned.
    pub fn check(text: &str) -> Result<Spec, Vec<Diagnostic>> {
        let compiled = crate::compile(text);
        match compiled.program {
            Some(program) => Ok(Spec {
                program,
                warnings: compiled.diagnostics,
            }),
            None => Err(compiled.diagnostics),
        }
    }

    /// The resolved program, for reports and tools.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// The warnings found while checking.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The slot of the input called `name`.
    pub fn slot(&self, name: &str) -> Option<Slot> {
        self.program
            .inputs
            .iter()
            .position(|i| i.name == name)
            .map(Slot)
    }

    /// Start building the entity `id` from Rust values.
    pub fn entity(&self, id: impl Into<String>) -> EntityBuilder<'_> {
        EntityBuilder {
            program: &self.program,
            id: id.into(),
            values: vec![None; self.program.inputs.len()],
            problems: Vec::new(),
        }
    }

    /// Read entities from a JSON document (one object or an array of them):
    /// the valid entities and a diagnostic for every problem.
    pub fn read_json(&self, text: &str, file: &str) -> (Vec<Entity>, Vec<Diagnostic>) {
        crate::data::from_json(&self.program, text, file)
    }

    /// The entities of a data file, as `kaohe eval` reads it, by its
    /// extension: `.json`, `.jsonl`, `.csv` (list inputs in a folder of the
    /// same name) or `.xlsx`. JSON and CSV are read one entity at a time as
    /// the stream is. An item is an entity or a problem (a problem of one
    /// cause is told once, with how many more rows have it); the error is
    /// a file that cannot be opened or read as a table at all.
    // One diagnostic, as every reader of the data returns (eval::data).
    #[allow(clippy::result_large_err)]
    pub fn open(
        &self,
        path: &std::path::Path,
    ) -> Result<Box<dyn Iterator<Item = Result<Entity, Diagnostic>> + '_>, Diagnostic> {
        crate::data::open(&self.program, path)
    }

    /// The JSON report of scored entities, as `kaohe eval --format json`
    /// writes it.
    pub fn json_report(&self, scored: &[(&Entity, Outcome)]) -> serde_json::Value {
        crate::report::json::report(&self.program, scored)
    }

    /// The official table (评分标准) of the spec: one row per item, with
    /// its generated rule text, as `kaohe render` writes it.
    pub fn official_table(&self) -> Table {
        crate::render::official(&self.program)
    }

    /// The table grouped by responsible unit, as `kaohe render --by-unit`
    /// writes it: one group per unit, an item under each of its units.
    pub fn table_by_unit(&self) -> Table {
        crate::render::by_unit(&self.program)
    }

    /// The responsible units the spec names, in the order of
    /// [`Spec::table_by_unit`].
    pub fn units(&self) -> Vec<&str> {
        crate::render::units(&self.program)
    }

    /// Score one entity.
    pub fn evaluate(&self, entity: &Entity, options: Options) -> Result<Outcome<'_>, EvalError> {
        eval::evaluate_with(&self.program, entity, options.explain)
    }

    /// Score one entity into `outcome`, reusing what it holds from the
    /// entity scored into it before: scoring a stream one by one into the
    /// same outcome allocates nothing per entity once the first is scored.
    /// After an error, `outcome` holds nothing meaningful.
    ///
    /// ```
    /// use kaohe::api::{Options, Outcome, Spec};
    ///
    /// let spec = Spec::check(&kaohe::testkit::spec(20)).unwrap();
    /// let off = Options { explain: false };
    /// let mut outcome = Outcome::default();
    /// for entity in kaohe::testkit::entities(&spec, 1, 100) {
    ///     spec.evaluate_into(&entity, off, &mut outcome).unwrap();
    ///     assert_eq!(outcome, spec.evaluate(&entity, off).unwrap());
    /// }
    /// ```
    pub fn evaluate_into<'s>(
        &'s self,
        entity: &Entity,
        options: Options,
        outcome: &mut Outcome<'s>,
    ) -> Result<(), EvalError> {
        eval::evaluate_into(&self.program, entity, options.explain, outcome)
    }

    /// Score a batch held in memory on all cores: the outcomes in the order
    /// of the entities.
    ///
    /// ```
    /// use kaohe::api::{Options, Spec};
    ///
    /// let spec = Spec::check(&kaohe::testkit::spec(20)).unwrap();
    /// let batch: Vec<_> = kaohe::testkit::entities(&spec, 1, 100).collect();
    /// let outcomes = spec.evaluate_batch(&batch, Options { explain: false });
    /// assert_eq!(outcomes.len(), 100);
    /// assert_eq!(outcomes[7], spec.evaluate(&batch[7], Options { explain: false }));
    /// ```
    pub fn evaluate_batch(
        &self,
        entities: &[Entity],
        options: Options,
    ) -> Vec<Result<Outcome<'_>, EvalError>> {
        entities
            .par_iter()
            .map(|entity| self.evaluate(entity, options))
            .collect()
    }

    /// Score a stream of entities on this thread, one at a time as the
    /// result is read.
    pub fn evaluate_all<I>(&self, entities: I, options: Options) -> impl Iterator<Item = Scored<'_>>
    where
        I: IntoIterator<Item = Entity>,
    {
        entities.into_iter().map(move |entity| Scored {
            outcome: self.evaluate(&entity, options),
            entity,
        })
    }

    /// Score a stream of entities on all cores, handing each to `f` in input
    /// order. This thread reads the stream `chunk` entities at a time and
    /// calls `f`, while the chunks read before are scored on rayon's pool,
    /// so neither the stream nor `f` needs to be `Send`. Memory is bounded
    /// by the chunk (at most three are held), whatever the length of the
    /// stream. Stops at the first error `f` returns, and returns it.
    ///
    /// ```
    /// use kaohe::api::{Options, Spec};
    ///
    /// let spec = Spec::check(&kaohe::testkit::spec(20)).unwrap();
    /// // 10,000 generated entities, made as they are read.
    /// let stream = kaohe::testkit::entities(&spec, 1, 10_000);
    /// let off = Options { explain: false };
    /// let mut n = 0;
    /// spec.evaluate_parallel(stream, off, 1024, |scored| {
    ///     let outcome = scored.outcome.unwrap();
    ///     assert!(outcome.total <= spec.program().base_total);
    ///     n += 1;
    ///     Ok::<(), ()>(())
    /// })
    /// .unwrap();
    /// assert_eq!(n, 10_000);
    /// ```
    pub fn evaluate_parallel<'s, E>(
        &'s self,
        entities: impl IntoIterator<Item = Entity>,
        options: Options,
        chunk: usize,
        mut f: impl FnMut(Scored<'s>) -> Result<(), E>,
    ) -> Result<(), E> {
        eval::pipeline(
            entities.into_iter(),
            chunk,
            |entity| self.evaluate(entity, options),
            |entity, outcome| f(Scored { entity, outcome }),
        )
    }

    /// The lines of an outcome in words, item by item.
    pub fn explain<'p>(&'p self, entity: &Entity, outcome: &Outcome<'p>) -> Vec<Explanation<'p>> {
        let lang = self.program.header.lang;
        self.program
            .items
            .iter()
            .zip(&outcome.items)
            .flat_map(|(item, o)| {
                o.lines.iter().map(move |line| Explanation {
                    item: item.id.as_str(),
                    amount: line.amount,
                    reason: explain::reason_of(line, lang),
                    // Ids, for machines; the reports show names.
                    facts: explain::facts_with_ids(&line.kind, &self.program, entity)
                        .into_iter()
                        .map(|(id, _, value)| (id, value))
                        .collect(),
                })
            })
            .collect()
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<Decimal> for Value {
    fn from(n: Decimal) -> Value {
        Value::Num(n)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Num(Decimal::from(n))
    }
}

impl From<i32> for Value {
    fn from(n: i32) -> Value {
        Value::Num(Decimal::from(n))
    }
}

impl From<&str> for Value {
    fn from(t: &str) -> Value {
        Value::Text(Arc::from(t))
    }
}

/// Builds one entity from Rust values, slot by slot. Numbers are held as
/// kaohe holds them: a rate or a percentage as a fraction (87.5% is 0.875).
pub struct EntityBuilder<'s> {
    program: &'s Program,
    id: String,
    values: Vec<Option<Value>>,
    /// Problems found so far, with the slot they concern.
    problems: Vec<(usize, Diagnostic)>,
}

impl EntityBuilder<'_> {
    /// Give an input its value.
    pub fn set(&mut self, slot: Slot, value: impl Into<Value>) -> &mut Self {
        if let Some(v) = self.values.get_mut(slot.0) {
            *v = Some(value.into());
        }
        self
    }

    /// Give an enumeration input the value named `variant`.
    pub fn variant(&mut self, slot: Slot, variant: &str) -> &mut Self {
        let program = self.program;
        let variants = match program.inputs.get(slot.0).map(|i| &i.ty) {
            Some(Ty::Enum(e)) => program.enums.get(*e).map_or(&[][..], |e| &e.variants),
            _ => &[][..],
        };
        match variants.iter().position(|v| v == variant) {
            Some(i) => self.set(slot, Value::Enum(i as u32)),
            None => {
                self.problem(
                    slot.0,
                    Code::DatumVariant,
                    t!(
                        "expected one of {}, found \"{variant}\"",
                        "应为{}之一，实际为“{variant}”",
                        crate::check::quoted_text(variants)
                    ),
                );
                self
            }
        }
    }

    /// Give a date input the date written "YYYY-MM-DD".
    pub fn date(&mut self, slot: Slot, date: &str) -> &mut Self {
        match crate::date::parse(date) {
            Some(d) => self.set(slot, Value::Date(d)),
            None => {
                self.problem(
                    slot.0,
                    Code::DatumDate,
                    t!(
                        "expected a date such as \"2024-05-31\", found \"{date}\"",
                        "应为日期（如 \"2024-05-31\"），实际为“{date}”"
                    ),
                );
                self
            }
        }
    }

    /// Give a list input its records, each with one value per field in the
    /// order the spec declares them.
    pub fn records<R>(&mut self, slot: Slot, records: impl IntoIterator<Item = R>) -> &mut Self
    where
        R: IntoIterator<Item = Value>,
    {
        let rows: Vec<Record> = records
            .into_iter()
            .map(|r| r.into_iter().collect())
            .collect();
        self.set(slot, Value::List(rows.into()))
    }

    /// The entity, or a diagnostic for every input that is missing or has
    /// a value of the wrong kind. Inputs not given take their default, or
    /// no value when optional.
    pub fn build(&mut self) -> Result<Entity, Vec<Diagnostic>> {
        let program = self.program;
        let mut values = Vec::with_capacity(self.values.len());
        let given = std::mem::take(&mut self.values);
        for (slot, (input, given)) in program.inputs.iter().zip(given).enumerate() {
            let value = match given {
                Some(v) => v,
                None if input.default.is_some() => input.default.clone().unwrap_or(Value::Missing),
                None if input.optional => Value::Missing,
                None => {
                    let what = crate::data::describe_ty(&input.ty, &program.enums);
                    self.problem(
                        slot,
                        Code::MissingDatum,
                        t!("missing: {}", "缺少：{}", what),
                    );
                    Value::Missing
                }
            };
            if let Err((code, message)) = fits(program, &input.ty, &value, input.optional) {
                self.problem(slot, code, message);
            }
            // An assessor's score, within 0 and its item's points, as the
            // data readers hold it (K0530).
            if let (Some(j), Value::Num(n)) = (&input.judged, &value)
                && (*n < Decimal::ZERO || *n > j.max)
            {
                let max = j.max.normalize();
                self.problem(
                    slot,
                    Code::JudgedOutOfBounds,
                    t!(
                        "the assessor's score {} for item {} is outside 0 to {max}, the item's points",
                        "评审给分 {} 不在 0 至 {max} 分之间（考核事项 {} 的分值为 {max} 分）",
                        n.to_string(),
                        j.item.as_str()
                    ),
                );
            }
            values.push(value);
        }
        let problems = std::mem::take(&mut self.problems);
        if !problems.is_empty() {
            return Err(problems.into_iter().map(|(_, d)| d).collect());
        }
        Ok(Entity {
            id: self.id.clone(),
            values,
        })
    }

    fn name(&self, slot: Slot) -> &str {
        self.program.inputs.get(slot.0).map_or("?", |i| &i.name)
    }

    /// Report a problem with the input in `slot`, once per input.
    fn problem(&mut self, slot: usize, code: Code, message: Text) {
        if self.problems.iter().any(|(s, _)| *s == slot) {
            return;
        }
        let d = Diagnostic::new(
            code,
            t!(
                "entity \"{}\", field `{}`: {}",
                "被考核单位“{}”的数据项“{}”：{}",
                self.id,
                self.name(Slot(slot)),
                message
            ),
        );
        self.problems.push((slot, d));
    }
}

/// Whether `v` is a value of type `ty`; if not, the code and what was expected.
fn fits(program: &Program, ty: &Ty, v: &Value, optional: bool) -> Result<(), (Code, Text)> {
    let expected = || {
        (
            Code::DatumType,
            t!(
                "expected {}, found {}",
                "应为{}，实际为{}",
                crate::data::describe_ty(ty, &program.enums),
                kind(v)
            ),
        )
    };
    match (ty, v) {
        (_, Value::Missing) if optional => Ok(()),
        (_, Value::Missing) => Err((
            Code::MissingDatum,
            t!("missing: it has no value", "缺少：没有取值"),
        )),
        (Ty::Bool, Value::Bool(_)) | (Ty::Number(_), Value::Num(_)) => Ok(()),
        (Ty::Date, Value::Date(_)) | (Ty::Text, Value::Text(_)) => Ok(()),
        (Ty::Count(_), Value::Num(n)) if *n >= Decimal::ZERO && n.fract().is_zero() => Ok(()),
        (Ty::Count(_), Value::Num(n)) => Err((
            Code::DatumNegative,
            t!(
                "expected a whole number of 0 or more, found {n}",
                "应为不小于 0 的整数，实际为 {n}"
            ),
        )),
        (Ty::Month | Ty::Quarter, Value::Num(n)) => {
            let (top, code) = match ty {
                Ty::Month => (12, Code::DatumMonth),
                _ => (4, Code::DatumQuarter),
            };
            if n.fract().is_zero() && *n >= Decimal::ONE && *n <= Decimal::from(top) {
                Ok(())
            } else {
                Err((
                    code,
                    t!(
                        "expected 1 to {top}, found {n}",
                        "应为 1 至 {top}，实际为 {n}"
                    ),
                ))
            }
        }
        (Ty::ItemRef, Value::Text(s)) => {
            let p = program;
            let known = (p.headings.iter().map(|h| h.key.as_str()))
                .chain(p.items.iter().map(|i| i.id.as_str()))
                .any(|id| id == &**s);
            if known {
                Ok(())
            } else {
                Err((
                    Code::UnknownItemRef,
                    t!(
                        "\"{s}\" is the id of no section, indicator or item of the table",
                        "“{s}”不是考核表中任何一级指标、二级指标或考核事项的编号"
                    ),
                ))
            }
        }
        (Ty::Rate, Value::Num(n)) if *n >= Decimal::ZERO && *n <= Decimal::ONE => Ok(()),
        (Ty::Rate, Value::Num(n)) => Err((
            Code::DatumRate,
            t!(
                "expected a rate as a fraction from 0 to 1 (0.875 for 87.5%), found {n}",
                "比率应为 0 至 1 之间的小数（87.5% 写作 0.875），实际为 {n}"
            ),
        )),
        (Ty::Enum(e), Value::Enum(i)) => {
            let n = program.enums.get(*e).map_or(0, |e| e.variants.len());
            if (*i as usize) < n {
                Ok(())
            } else {
                Err((
                    Code::DatumVariant,
                    t!(
                        "no value number {i} in the enumeration",
                        "枚举中没有第 {i} 号取值"
                    ),
                ))
            }
        }
        (Ty::List(fields), Value::List(rows)) => {
            for (r, row) in rows.iter().enumerate() {
                if row.len() != fields.len() {
                    return Err((
                        Code::DatumType,
                        t!(
                            "record {} has {} values; the records have {} fields",
                            "第 {} 条记录有 {} 个值，而记录应有 {} 个字段",
                            r + 1,
                            row.len(),
                            fields.len()
                        ),
                    ));
                }
                for (f, v) in fields.iter().zip(row.iter()) {
                    fits(program, &f.ty, v, false).map_err(|(code, m)| {
                        let (r, name) = (r + 1, &f.name);
                        (
                            code,
                            t!(
                                "record {r}, field `{name}`: {}",
                                "第 {r} 条记录的字段“{name}”：{}",
                                m
                            ),
                        )
                    })?;
                }
            }
            Ok(())
        }
        _ => Err(expected()),
    }
}

fn kind(v: &Value) -> Text {
    match v {
        Value::Bool(_) => t!("true or false", "是否值"),
        Value::Num(_) => t!("a number", "数值"),
        Value::Date(_) => t!("a date", "日期"),
        Value::Text(_) => t!("a text", "文本"),
        Value::Enum(_) => t!("an enumeration value", "枚举值"),
        Value::List(_) => t!("a list", "列表"),
        Value::Missing => t!("no value", "无取值"),
        Value::Absent(_) => t!("a word of absence", "缺项词"),
    }
}

// ---------------------------------------------------------------- miette
// kaohe's diagnostics for programs that report with miette (the CLI keeps
// its own renderer).

/// One kaohe diagnostic with its source, as a [`miette::Diagnostic`].
pub use crate::diagnostic::miette::DiagnosticReport;

impl Spec {
    /// Parse and check a spec as [`Spec::check`] does, its diagnostics on
    /// failure as [`DiagnosticReport`]s that miette's handlers render:
    /// code, severity, message, a label per span, the notes and help, and
    /// the source under the name `name`, in the language of the spec's
    /// keywords (English when it has none).
    ///
    /// A program that embeds kaohe shows a spec's mistake with miette:
    /// 嵌入 kaohe 的程序用 miette 显示规则文件中的错误：
    ///
    /// ```
    /// use kaohe::api::Spec;
    /// use miette::{GraphicalReportHandler, GraphicalTheme};
    ///
    /// // An item whose clause names an input that is not declared.
    /// // 考核事项的扣分句用了一个未声明的数据项。
    /// let text = "考核表 \"示例\" { 总分 2 合格等次 \"合格\" 不合格等次 \"不合格\" }\n\
    ///             一级指标 一 \"治理\" {\n  二级指标 1 \"责任\" {\n    \
    ///             考核事项 1.1 \"会议\" 分值 2 {\n      数据 meetings: 计数 \"会议次数\"\n      \
    ///             扣 1 若 meetngs < 2 \"会议少于两次\"\n    }\n  }\n}\n";
    /// let reports = Spec::check_miette("示例.kh", text).unwrap_err();
    ///
    /// // Render each with miette's graphical handler (in a terminal, use
    /// // miette's default theme for colour).
    /// // 用 miette 的图形化处理器逐条输出（在终端中可用默认主题显示颜色）。
    /// let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor());
    /// let mut out = String::new();
    /// for report in &reports {
    ///     handler.render_report(&mut out, report).unwrap();
    /// }
    /// // The code, the message in the spec's language, the label at the
    /// // misspelt name and the help saying what to write.
    /// // 输出含错误代码、按规则文件语言写的说明、指向拼错名称的标注和修改建议。
    /// let code = reports[0].diagnostic().code.as_str();
    /// assert!(code.starts_with('K') && out.contains(code), "{out}");
    /// assert!(out.contains("meetngs"));
    /// assert!(out.contains("meetings"));
    /// assert!(out.contains("示例.kh"));
    /// ```
    pub fn check_miette(name: &str, text: &str) -> Result<Spec, Vec<DiagnosticReport>> {
        let lang = match crate::parse::keywords::detect(text) {
            Some(crate::parse::keywords::KeywordSet::Zh) => crate::diagnostic::Lang::Zh,
            _ => crate::diagnostic::Lang::En,
        };
        let source = crate::source::Source::new(name, text);
        Spec::check(text).map_err(|diags| DiagnosticReport::all(diags, &source, lang))
    }
}
