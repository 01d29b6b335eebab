//! `kaohe eval` and `kaohe template`: data in, reports and templates out.
//!
//! Table, JSON, JSON-lines and CSV reports are written one entity at a
//! time as the data streams in (entities are scored 1,024 at a time on all
//! cores, then reported in data order), so memory does not grow with the
//! number of entities; `--rank` reads the data twice (first the totals, then the
//! report) to keep it so. XLSX and HTML reports hold every outcome.
//! With `-o FILE` a report is written by `report::file` (whole or not at
//! all) and put in place only if every entity was valid.

use super::{DiagFormat, Output, ReportFormat, Status, TemplateFormat, io};
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::{self, Entity, Outcome};
use crate::ir::Program;
use crate::output::{escape, file};
use crate::report::{self, fmt2, rollup};
use crate::source::Source;
use crate::t;
use crate::template::{self as templates, files as template_files};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rust_decimal::Decimal;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Where a report goes: standard output, or a file written whole or not
/// at all (`report::file`).
enum Sink {
    Stdout(BufWriter<io::Stdout>),
    File(PathBuf, BufWriter<file::Target>),
}

impl Sink {
    fn open(out: &Output, path: Option<&Path>) -> Result<Sink, Status> {
        let Some(path) = path else {
            return Ok(Sink::Stdout(BufWriter::new(io::Stdout)));
        };
        match file::Target::open(path) {
            Ok(t) => Ok(Sink::File(path.to_path_buf(), BufWriter::new(t))),
            Err(e) => {
                out.diagnostics(&[e.to_diagnostic(&path.display().to_string())], None);
                Err(Status::Usage)
            }
        }
    }

    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Sink::Stdout(w) => w,
            Sink::File(_, w) => w,
        }
    }

    /// Keep the file if all went well, else leave it as it was. `status`
    /// is the data's; `failed` whether writing the report failed (already
    /// reported).
    fn close(self, out: &Output, status: Status, failed: bool) -> Status {
        match self {
            Sink::Stdout(mut w) => {
                // A failure is reported when the command ends (io::finish).
                let _ = w.flush();
                status
            }
            Sink::File(path, w) => {
                let name = path.display().to_string();
                let target = match w.into_inner() {
                    Ok(t) => t,
                    Err(e) => {
                        let e = file::FileError::Io(path.clone(), e.into_error());
                        out.diagnostics(&[e.to_diagnostic(&name)], None);
                        return Status::Usage;
                    }
                };
                if failed {
                    target.discard();
                    return status.max(Status::Usage);
                }
                if status != Status::Ok {
                    target.discard();
                    if out.format == DiagFormat::Text {
                        io::say(&format!(
                            "{}\n",
                            t!(
                                "no report written to {name}: the data has errors (see above)",
                                "未写入报告 {name}：数据有错误（见上文）"
                            )
                            .get(out.lang())
                        ));
                    }
                    return status;
                }
                match target.commit() {
                    Ok(()) => status,
                    Err(e) => {
                        out.diagnostics(&[e.to_diagnostic(&name)], None);
                        Status::Usage
                    }
                }
            }
        }
    }
}

/// Report a failure to write the report: to a file, as K0901; to
/// standard output, once at the end of the command (io::finish).
fn write_error(out: &Output, sink: &Sink, e: std::io::Error) {
    if let Sink::File(path, _) = sink {
        let d = file::FileError::Io(path.clone(), e).to_diagnostic(&path.display().to_string());
        out.diagnostics(&[d], None);
    }
}

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
/// cores; memory holds this many entities and outcomes at a time.
const CHUNK: usize = 1024;

/// How a pass over the data goes besides scoring.
#[derive(Clone, Copy)]
struct Pass {
    /// Whether the problems met are printed (the first pass of a ranking
    /// leaves them to the second).
    print_problems: bool,
    /// Whether explanation lines are recorded.
    explain: bool,
    /// `--strict`: what the data layer reads on a guess is an error.
    strict: bool,
}

/// Score every entity of every data file, in order, calling `f` with each
/// valid one, as `pass` says; the status of the data so far, and whether
/// `f` failed (which stops the reading). Entities are read `CHUNK` at a time on this
/// thread and scored on all cores while the next chunk is read
/// (`eval::pipeline`); `f` and the diagnostics see every entity and problem
/// in the order of the data, as if they had been scored one by one.
fn each<'p>(
    out: &Output,
    source: &Source,
    program: &'p Program,
    data: &[PathBuf],
    pass: Pass,
    mut f: impl FnMut(Entity, Outcome<'p>) -> std::io::Result<()>,
) -> (Status, std::io::Result<()>) {
    let mut status = Status::Ok;
    let mut progress = Progress::new();
    let problem = |d: Diagnostic, spec: bool, status: &mut Status| {
        if d.is_error() {
            *status = (*status).max(Status::Invalid);
        }
        if pass.print_problems {
            out.diagnostics(&[d], if spec { Some(source) } else { None });
        }
    };
    for path in data {
        let entities = match eval::data::open_strict(program, path, pass.strict) {
            Ok(it) => it,
            Err(d) => {
                let usage = matches!(d.code, Code::Io);
                problem(d, false, &mut status);
                if usage {
                    status = Status::Usage;
                }
                continue;
            }
        };
        let scored: std::io::Result<()> = eval::pipeline(
            entities,
            CHUNK,
            |read| {
                let entity = read.as_ref().ok()?;
                Some(eval::evaluate_with(program, entity, pass.explain))
            },
            |read, outcome| {
                let entity = match read {
                    Ok(e) => e,
                    Err(d) => {
                        problem(d, false, &mut status);
                        return Ok(());
                    }
                };
                match outcome {
                    Some(Ok(o)) => f(entity, o)?,
                    Some(Err(e)) => problem(
                        e.to_diagnostic(&entity.id).in_file(&source.name),
                        true,
                        &mut status,
                    ),
                    None => {}
                }
                progress.tick();
                Ok(())
            },
        );
        if let Err(e) = scored {
            return (status, Err(e));
        }
    }
    (status, Ok(()))
}

pub(crate) fn eval(
    out: &mut Output,
    spec: &Path,
    data: &[PathBuf],
    format: ReportFormat,
    output: Option<&Path>,
    rank: bool,
    strict: bool,
) -> Status {
    let (source, program) = match out.program(spec) {
        Ok(found) => found,
        Err(status) => return status,
    };
    if format == ReportFormat::Xlsx && output.is_none() {
        let d = Diagnostic::new(
            Code::OutputRequired,
            t!(
                "an xlsx report is a file: it cannot be printed to the terminal",
                "xlsx 报告是文件，无法输出到终端"
            ),
        )
        .with_help(t!(
            "name the file to write with -o, e.g. `-o report.xlsx`",
            "请用 -o 指定要写入的文件，如 `-o 考核结果.xlsx`"
        ));
        out.diagnostics(&[d], None);
        return Status::Usage;
    }
    // Two passes need files that can be read twice: data from a pipe is
    // held whole instead.
    let twice = data
        .iter()
        .all(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()));
    if format == ReportFormat::Html && twice {
        return html(out, &source, &program, data, output, strict);
    }
    if matches!(format, ReportFormat::Xlsx | ReportFormat::Html) {
        return whole(out, &source, &program, data, format, output, strict);
    }
    let piped = |p: &PathBuf| std::fs::metadata(p).is_ok_and(|m| !m.is_file());
    if rank && data.iter().any(piped) {
        // A second reading of a pipe would wait for ever.
        let d = Diagnostic::new(
            Code::OptionConflict,
            t!(
                "--rank reads the data twice (the totals first, then the report), and data from a pipe can be read only once",
                "--rank 要把数据读两遍（先算总分，再写报告），而来自管道的数据只能读一遍"
            ),
        )
        .with_help(t!(
            "save the data to a file and name that file, or leave out --rank",
            "请先把数据保存为文件再指定该文件，或去掉 --rank"
        ));
        out.diagnostics(&[d], None);
        return Status::Usage;
    }
    // First pass: the totals, for the ranks, by position (ids may repeat
    // across data files): 16 bytes an entity, then the rank of each.
    let ranks: Option<Vec<usize>> = if rank {
        let mut totals: Vec<Decimal> = Vec::new();
        let quiet = Pass {
            print_problems: false,
            explain: false,
            strict,
        };
        let (_, read) = each(out, &source, &program, data, quiet, |_, o| {
            totals.push(o.total);
            Ok(())
        });
        match read {
            Ok(()) => Some(rollup::ranks_in_order(&totals)),
            // Only `f` can fail, and this one does not.
            Err(_) => return Status::Usage,
        }
    } else {
        None
    };
    let mut sink = match Sink::open(out, output) {
        Ok(s) => s,
        Err(status) => return status,
    };
    let rank_of = |index: usize| ranks.as_ref().and_then(|r| r.get(index).copied());
    // The ranking at the end of the JSON and table reports: what it needs
    // of each entity (id, total, result), not the outcomes.
    let mut kept = rollup::Kept::default();
    let keep = ranks.is_some() && matches!(format, ReportFormat::Json | ReportFormat::Table);
    let csv_rows = report::csv::Rows::new(&program);
    let mut first = true;
    let mut index = 0usize;
    // One entity's table report at a time, its room kept.
    let mut text = String::new();
    let w = sink.writer();
    let mut status = Status::Ok;
    let result = (|| -> std::io::Result<()> {
        if format == ReportFormat::Csv {
            w.write_all(&csv_lines(&[report::csv::header(ranks.is_some())])?)?;
        }
        if format == ReportFormat::Json {
            write!(w, "{{\n\"entities\": [\n")?;
        }
        // The CSV report has no explanation lines: none are recorded.
        let explain = format != ReportFormat::Csv;
        let pass = Pass {
            print_problems: true,
            explain,
            strict,
        };
        let (read, written) = each(out, &source, &program, data, pass, |e, o| {
            let rank = rank_of(index);
            index += 1;
            match format {
                ReportFormat::Table => {
                    text.clear();
                    report::table::entity(&mut text, &program, &e, &o);
                    // No escape sequence from the spec or data reaches a terminal.
                    w.write_all(escape::terminal(&text).as_bytes())?
                }
                ReportFormat::Json | ReportFormat::Jsonl => {
                    let mut v = report::json::entity(&program, &e, &o);
                    v.rank = rank;
                    if format == ReportFormat::Json {
                        if !first {
                            w.write_all(b",\n")?;
                        }
                        serde_json::to_writer_pretty(&mut *w, &v)?;
                    } else {
                        serde_json::to_writer(&mut *w, &v)?;
                        w.write_all(b"\n")?;
                    }
                }
                _ => {
                    let mut c = csv::Writer::from_writer(&mut *w);
                    csv_rows.write(&mut c, &o, rank)?;
                    c.flush()?;
                }
            }
            first = false;
            if keep {
                kept.push(&o.id, o.total, &o.result);
            }
            Ok(())
        });
        status = read;
        written?;
        if format == ReportFormat::Json {
            write!(w, "\n]")?;
            if ranks.is_some() {
                write!(w, ",\n\"ranking\": ")?;
                ranking_json(w, &kept)?;
            }
            writeln!(w, "\n}}")?;
        }
        if format == ReportFormat::Table && ranks.is_some() {
            ranking_table(w, &program, &kept)?;
        }
        Ok(())
    })();
    let failed = result.is_err();
    if let Err(e) = result {
        write_error(out, &sink, e);
    }
    sink.close(out, status, failed)
}

fn csv_lines<R: AsRef<[u8]>>(
    rows: &[impl IntoIterator<Item = R> + Clone],
) -> std::io::Result<Vec<u8>> {
    let mut c = csv::Writer::from_writer(Vec::new());
    for row in rows {
        c.write_record(row.clone())?;
    }
    c.into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))
}

/// The ranking of `--rank` in the table report, one line at a time.
fn ranking_table(
    w: &mut (impl Write + ?Sized),
    program: &Program,
    kept: &rollup::Kept,
) -> std::io::Result<()> {
    let zh = program.header.lang == crate::ir::Lang::Zh;
    w.write_all(if zh { "排名\n" } else { "ranking\n" }.as_bytes())?;
    // Ranked by position, so that entities of one id in two files stay apart.
    for (i, r) in rollup::ranked(kept, |a, b| a.cmp(&b)) {
        let Some((id, t, result)) = kept.get(i) else {
            continue;
        };
        let (id, result) = (escape::terminal(id), escape::terminal(result));
        writeln!(w, "  {r:>4}  {id}  {}  {result}", fmt2(t))?;
    }
    Ok(())
}

/// The ranking of `--rank` in the JSON report, by total then id, written
/// one entry at a time as `{:#}` writes the whole array.
fn ranking_json(w: &mut (impl Write + ?Sized), kept: &rollup::Kept) -> std::io::Result<()> {
    let id = |i: usize| kept.get(i).map(|k| k.0);
    let ranked = rollup::ranked(kept, |a, b| id(a).cmp(&id(b)));
    if ranked.is_empty() {
        return w.write_all(b"[]");
    }
    w.write_all(b"[")?;
    for (n, (i, r)) in ranked.into_iter().enumerate() {
        let Some((id, t, _)) = kept.get(i) else {
            continue;
        };
        let entry = serde_json::json!({"id": id, "total": fmt2(t), "rank": r});
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

/// The HTML report in two passes, as `--rank` does: the first keeps what
/// the ranking at the top needs (id, total, result: rollup::Kept), the
/// second writes each entity's section as it is scored, so that memory
/// stays flat in the number of entities. Problems are printed once, by
/// the second pass.
fn html(
    out: &Output,
    source: &Source,
    program: &Program,
    data: &[PathBuf],
    output: Option<&Path>,
    strict: bool,
) -> Status {
    let mut kept = rollup::Kept::default();
    let quiet = Pass {
        print_problems: false,
        explain: false,
        strict,
    };
    // Only `f` can fail, and this one does not.
    let (_, read) = each(out, source, program, data, quiet, |_, o| {
        kept.push(&o.id, o.total, &o.result);
        Ok(())
    });
    if read.is_err() {
        return Status::Usage;
    }
    let mut sink = match Sink::open(out, output) {
        Ok(s) => s,
        Err(status) => return status,
    };
    let w = sink.writer();
    let mut text = String::new();
    let mut status = Status::Ok;
    let result = (|| -> std::io::Result<()> {
        report::html::head(&mut text, program, &kept);
        w.write_all(text.as_bytes())?;
        let pass = Pass {
            print_problems: true,
            explain: true,
            strict,
        };
        let (read, written) = each(out, source, program, data, pass, |e, o| {
            text.clear();
            report::html::entity(&mut text, program, &e, &o);
            w.write_all(text.as_bytes())
        });
        status = read;
        written?;
        text.clear();
        report::html::tail(&mut text);
        w.write_all(text.as_bytes())
    })();
    let failed = result.is_err();
    if let Err(e) = result {
        write_error(out, &sink, e);
    }
    sink.close(out, status, failed)
}

/// XLSX, and HTML of data from a pipe: every outcome is held, then the
/// report is written.
fn whole(
    out: &Output,
    source: &Source,
    program: &Program,
    data: &[PathBuf],
    format: ReportFormat,
    output: Option<&Path>,
    strict: bool,
) -> Status {
    let mut scored: Vec<(Entity, Outcome)> = Vec::new();
    let pass = Pass {
        print_problems: true,
        explain: true,
        strict,
    };
    let (status, _) = each(out, source, program, data, pass, |e, o| {
        scored.push((e, o));
        Ok(())
    });
    // The outcomes moved beside the entities they borrow, not copied.
    let (entities, outcomes): (Vec<Entity>, Vec<Outcome>) = scored.into_iter().unzip();
    let refs: Vec<(&Entity, Outcome)> = entities.iter().zip(outcomes).collect();
    let bytes = match format {
        ReportFormat::Xlsx => match report::xlsx::report(program, &refs) {
            Ok(b) => b,
            Err(e) => {
                out.diagnostics(&[workbook_error(&e)], None);
                return Status::Usage;
            }
        },
        _ => report::html::report(program, &refs).into_bytes(),
    };
    let mut sink = match Sink::open(out, output) {
        Ok(s) => s,
        Err(status) => return status,
    };
    let written = sink.writer().write_all(&bytes);
    let failed = written.is_err();
    if let Err(e) = written {
        write_error(out, &sink, e);
    }
    sink.close(out, status, failed)
}

pub(crate) fn template(
    out: &mut Output,
    spec: &Path,
    format: TemplateFormat,
    output: Option<&Path>,
    fill: Option<&Path>,
) -> Status {
    let (source, program) = match out.program(spec) {
        Ok(found) => found,
        Err(status) => return status,
    };
    let mut entities = Vec::new();
    if let Some(data) = fill {
        let (status, _) = each(
            out,
            &source,
            &program,
            &[data.to_path_buf()],
            Pass {
                print_problems: true,
                explain: false,
                strict: false,
            },
            |e, _| {
                entities.push(e);
                Ok(())
            },
        );
        if status != Status::Ok {
            io::say(&format!(
                "{}\n",
                t!(
                    "no template written: the data to fill it with has errors (see above)",
                    "未写入模板：用于填充的数据有错误（见上文）"
                )
                .get(out.lang())
            ));
            return status;
        }
    }
    match (format, output) {
        (TemplateFormat::Json, _) if fill.is_some() => {
            let d = Diagnostic::new(
                Code::OptionConflict,
                t!(
                    "--fill writes csv or xlsx templates; the data is JSON already",
                    "--fill 只生成 csv 或 xlsx 模板；该数据本身已是 JSON"
                ),
            )
            .with_help(t!(
                "add --format csv or --format xlsx",
                "请加上 --format csv 或 --format xlsx"
            ));
            out.diagnostics(&[d], None);
            Status::Usage
        }
        (TemplateFormat::Json, None) => {
            let _ = io::print(&format!("{:#}\n", templates::json::template(&program)));
            Status::Ok
        }
        (TemplateFormat::Json, Some(path)) => {
            let text = format!("{:#}\n", templates::json::template(&program));
            write_files(out, &[(path.to_path_buf(), text.into_bytes())])
        }
        (_, None) => {
            let d = Diagnostic::new(
                Code::OutputRequired,
                t!(
                    "a csv or xlsx template is a set of files: it cannot be printed to the terminal",
                    "csv 或 xlsx 模板是文件，无法输出到终端"
                ),
            )
            .with_help(t!(
                "name the file to write with -o, e.g. `-o template.xlsx`",
                "请用 -o 指定要写入的文件，如 `-o 数据模板.xlsx`"
            ));
            out.diagnostics(&[d], None);
            Status::Usage
        }
        (TemplateFormat::Csv, Some(path)) => {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            let dir = path.parent().unwrap_or(Path::new(""));
            // The list files go in a folder kaohe names after the file: make it.
            if let Err(e) = std::fs::create_dir_all(dir.join(&stem)) {
                let folder = dir.join(&stem);
                let d = file::FileError::Io(folder.clone(), e)
                    .to_diagnostic(&folder.display().to_string());
                out.diagnostics(&[d], None);
                return Status::Usage;
            }
            let files: Vec<(PathBuf, Vec<u8>)> =
                template_files::csv_files(&program, &stem, &entities)
                    .into_iter()
                    .map(|(p, text)| (dir.join(p), text.into_bytes()))
                    .collect();
            write_files(out, &files)
        }
        (TemplateFormat::Xlsx, Some(path)) => match template_files::xlsx(&program, &entities) {
            Ok(bytes) => write_files(out, &[(path.to_path_buf(), bytes)]),
            Err(e) => {
                out.diagnostics(&[workbook_error(&e)], None);
                Status::Usage
            }
        },
    }
}

fn write_files(out: &Output, files: &[(PathBuf, Vec<u8>)]) -> Status {
    for (path, bytes) in files {
        if let Err(e) = file::write(path, bytes) {
            out.diagnostics(&[e.to_diagnostic(&path.display().to_string())], None);
            return Status::Usage;
        }
    }
    Status::Ok
}

/// A workbook that cannot be built: an XLSX limit the report passes.
fn workbook_error(e: &rust_xlsxwriter::XlsxError) -> Diagnostic {
    let e = e.to_string();
    Diagnostic::new(
        Code::WorkbookLimit,
        t!("cannot build the workbook: {e}", "无法生成工作簿：{e}"),
    )
    .with_help(t!(
        "write the report as csv or json instead (--format csv), which have no such limit",
        "请改用 csv 或 json 格式输出（--format csv），这些格式没有此限制"
    ))
}
