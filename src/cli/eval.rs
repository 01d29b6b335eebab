//! `kaohe eval`: score the entities of data files by a spec and report.
//!
//! Table, JSON, JSON-lines and CSV reports are written one entity at a
//! time as the data streams in (`report::stream`; entities are scored
//! 1,024 at a time on all cores, fewer when they are heavy, then reported
//! in data order: `score`), so
//! memory does not grow with the number of entities; `--rank` reads the
//! data twice (first the totals, then the report) to keep it so. The HTML
//! and XLSX reports are written in two passes too (XLSX into sheets kept
//! in temporary files, at most `report::xlsx::MOST_SHEETS`); of data from a
//! pipe, which can be read only once, they hold every outcome. With `-o FILE` a report is written by
//! `output::file` (whole or not at all) and put in place only if every
//! entity was valid (`sink`).

use super::score::Pass;
use super::sink::{Sink, workbook_error};
use super::{Output, Status};
use crate::data::Entity;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::Outcome;
use crate::ir::Program;
use crate::report::standing::{self, Standing};
use crate::report::stream::{self, Stream};
use crate::report::{self, rollup};
use crate::source::Source;
use crate::t;
use clap::{Args as ClapArgs, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(ClapArgs)]
pub(crate) struct Args {
    spec: PathBuf,
    #[arg(required = true)]
    data: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    format: ReportFormat,
    /// Write the report to FILE (only if every entity is valid) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Rank the entities by total (reads the data twice; memory stays flat
    /// but for each distinct total, counted once, and for the json and
    /// table reports' ranking each entity's id and result, some 20 bytes
    /// more).
    #[arg(long)]
    rank: bool,
    /// Take nothing on a guess: a rate written as a fraction (0.875), rows
    /// above the header, a 合计 row, another sheet or encoding are errors.
    #[arg(long)]
    strict: bool,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum ReportFormat {
    Table,
    Json,
    /// One JSON object per line and entity.
    Jsonl,
    Csv,
    Xlsx,
    Html,
}

/// What every way of writing a report reads: the spec and the data.
struct Job<'a> {
    source: &'a Source,
    program: &'a Program,
    data: &'a [PathBuf],
    output: Option<&'a Path>,
    strict: bool,
}

impl<'a> Job<'a> {
    /// Every entity of the job's data scored and given to `f`
    /// (`score::each`).
    fn each(
        &self,
        out: &Output,
        pass: Pass,
        f: impl FnMut(Entity, Outcome<'a>) -> std::io::Result<()>,
    ) -> (Status, std::io::Result<()>) {
        super::score::each(out, self.source, self.program, self.data, pass, f)
    }

    /// Every entity of the job's data scored and made into `make`'s
    /// report on the pool, each report given to `f` in the data's order
    /// (`score::each_made`).
    fn each_made<B: Send>(
        &self,
        out: &Output,
        pass: Pass,
        make: impl Fn(&Entity, &Outcome<'a>) -> B + Sync,
        f: impl FnMut(B) -> std::io::Result<()>,
    ) -> (Status, std::io::Result<()>) {
        super::score::each_made(out, self.source, self.program, self.data, pass, make, f)
    }

    /// A pass over the data that prints its problems (or not) and records
    /// explanation lines (or not).
    fn pass(&self, print_problems: bool, explain: bool) -> Pass {
        Pass {
            print_problems,
            explain,
            strict: self.strict,
        }
    }
}

pub(crate) fn run(out: &Output, args: Args) -> Status {
    let (source, program) = match out.program(&args.spec) {
        Ok(found) => found,
        Err(status) => return status,
    };
    if args.format == ReportFormat::Xlsx && args.output.is_none() {
        out.diagnostics(&[no_terminal()], None);
        return Status::Usage;
    }
    let job = Job {
        source: &source,
        program: &program,
        data: &args.data,
        output: args.output.as_deref(),
        strict: args.strict,
    };
    // Two passes need files that can be read twice: data from a pipe is
    // held whole instead.
    let twice = (args.data.iter()).all(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()));
    let format = match args.format {
        ReportFormat::Html if twice => return html(out, &job),
        ReportFormat::Xlsx if twice => return xlsx(out, &job),
        ReportFormat::Xlsx => return xlsx_held(out, &job),
        ReportFormat::Html => return whole_html(out, &job),
        ReportFormat::Table => stream::Format::Table,
        ReportFormat::Json => stream::Format::Json,
        ReportFormat::Jsonl => stream::Format::Jsonl,
        ReportFormat::Csv => stream::Format::Csv,
    };
    if args.rank && !twice_readable(&args.data) {
        out.diagnostics(&[rank_of_pipe()], None);
        return Status::Usage;
    }
    streamed(out, &job, format, args.rank)
}

/// Whether no data file is a pipe, whose second reading would wait for ever.
fn twice_readable(data: &[PathBuf]) -> bool {
    let piped = |p: &PathBuf| std::fs::metadata(p).is_ok_and(|m| !m.is_file());
    !data.iter().any(piped)
}

/// An xlsx report asked for without a file to write it to.
fn no_terminal() -> Diagnostic {
    Diagnostic::new(
        Code::OutputRequired,
        t!(
            "an xlsx report is a file: it cannot be printed to the terminal",
            "xlsx 报告是文件，无法输出到终端"
        ),
    )
    .with_help(t!(
        "name the file to write with -o, e.g. `-o report.xlsx`",
        "请用 -o 指定要写入的文件，如 `-o 考核结果.xlsx`"
    ))
}

/// `--rank` with data from a pipe.
fn rank_of_pipe() -> Diagnostic {
    Diagnostic::new(
        Code::OptionConflict,
        t!(
            "--rank reads the data twice (the totals first, then the report), and data from a pipe can be read only once",
            "--rank 要把数据读两遍（先算总分，再写报告），而来自管道的数据只能读一遍"
        ),
    )
    .with_help(t!(
        "save the data to a file and name that file, or leave out --rank",
        "请先把数据保存为文件再指定该文件，或去掉 --rank"
    ))
}

/// The first pass of `--rank`: every total, sorted, and the vetoed
/// units' (`report::standing`: each distinct total once), from which each
/// entity's rank and place for the results by rank (`top`, among the
/// units whose veto did not fire) are found by its total; and how many
/// bytes the ids take, for the ranking at the end of the json and table
/// reports. Problems are left to the second pass.
fn ranks(out: &Output, job: &Job) -> Result<(Standing, usize), Status> {
    let mut gather = standing::Gather::default();
    let mut ids = 0usize;
    let quiet = job.pass(false, false);
    let (_, read) = job.each(out, quiet, |_, o| {
        gather.push(o.total, o.vetoed);
        ids = ids.saturating_add(o.id.len());
        Ok(())
    });
    match read {
        Ok(()) => Ok((gather.sorted(), ids)),
        // Only `f` can fail, and this one does not.
        Err(_) => Err(Status::Usage),
    }
}

/// A report written one entity at a time (`report::stream`), ranked if
/// `rank`.
fn streamed(out: &Output, job: &Job, format: stream::Format, rank: bool) -> Status {
    let ranks = match rank.then(|| ranks(out, job)).transpose() {
        Ok(r) => r,
        Err(status) => return status,
    };
    let mut sink = match Sink::open(out, job.output) {
        Ok(s) => s,
        Err(status) => return status,
    };
    let mut report = Stream::new(job.program, format, false);
    if let Some((standing, ids)) = ranks {
        report = report.with_standing(standing);
        report.reserve(ids);
    }
    let w = sink.writer();
    let mut status = Status::Ok;
    let result = (|| -> std::io::Result<()> {
        report.begin(w)?;
        let pass = job.pass(true, report.explains());
        let (read, written) = match made(out, job, &report, pass, w) {
            Some(done) => done,
            None => job.each(out, pass, |e, o| report.entity(w, &e, &o)),
        };
        status = read;
        written?;
        report.end(w)
    })();
    sink.close(out, status, result)
}

/// The entities of a CSV or JSON-lines report (`Stream::maker`): each
/// one's text made on the pool, on the worker that scored it, and written
/// here in the data's order; `None` (nothing read) for the table and
/// JSON reports, written on the calling thread.
fn made(
    out: &Output,
    job: &Job,
    report: &Stream,
    pass: Pass,
    w: &mut dyn std::io::Write,
) -> Option<(Status, std::io::Result<()>)> {
    let maker = report.maker()?;
    let write = |made: std::io::Result<Vec<u8>>| w.write_all(&made?);
    Some(job.each_made(out, pass, |e, o| maker.make(e, o), write))
}

/// The HTML report in two passes, as `--rank` does: the first keeps what
/// the ranking at the top needs (id, total, result: rollup::Kept), the
/// second writes each entity's section as it is scored, so that memory
/// stays flat in the number of entities. Problems are printed once, by
/// the second pass.
fn html(out: &Output, job: &Job) -> Status {
    let mut kept = rollup::Kept::default();
    // Only `f` can fail, and this one does not.
    let (_, read) = job.each(out, job.pass(false, false), |_, o| {
        kept.push(&o.id, o.total, &o.result, o.vetoed);
        Ok(())
    });
    if read.is_err() {
        return Status::Usage;
    }
    let mut sink = match Sink::open(out, job.output) {
        Ok(s) => s,
        Err(status) => return status,
    };
    let w = sink.writer();
    let mut text = String::new();
    let mut status = Status::Ok;
    let result = (|| -> std::io::Result<()> {
        // The ranking at the head written as it is made, a few rows at a
        // time, not held whole.
        report::html::write_head(w, job.program, &kept)?;
        // Each entity's place by its total; what was kept by position is
        // no longer needed.
        let standing = kept.standing();
        drop(kept);
        let pass = job.pass(true, true);
        let (read, written) = job.each(out, pass, |e, o| {
            text.clear();
            let place = Some(standing.place(o.total, o.vetoed));
            report::html::entity(&mut text, job.program, &e, &o, place);
            w.write_all(text.as_bytes())
        });
        status = read;
        written?;
        text.clear();
        report::html::tail(&mut text);
        w.write_all(text.as_bytes())
    })();
    sink.close(out, status, result)
}

/// HTML of data from a pipe: every outcome is held, then the report is
/// written.
fn whole_html(out: &Output, job: &Job) -> Status {
    let mut scored: Vec<(Entity, Outcome)> = Vec::new();
    let (status, _) = job.each(out, job.pass(true, true), |e, o| {
        scored.push((e, o));
        Ok(())
    });
    // The outcomes moved beside the entities they borrow, not copied.
    let (entities, outcomes): (Vec<Entity>, Vec<Outcome>) = scored.into_iter().unzip();
    let refs: Vec<(&Entity, Outcome)> = entities.iter().zip(outcomes).collect();
    let bytes = report::html::report(job.program, &refs).into_bytes();
    let mut sink = match Sink::open(out, job.output) {
        Ok(s) => s,
        Err(status) => return status,
    };
    let written = sink.writer().write_all(&bytes);
    sink.close(out, status, written)
}

// The XLSX report, one unit at a time (report::xlsx::Writer).

/// The XLSX report in two passes, as the HTML report: the first counts
/// the units, refusing more than a workbook holds as they arrive (K0955),
/// and keeps their totals (report::standing, 16 bytes a unit) and the
/// number of roll-up rows; the second writes each unit's rows and sheet as
/// it is scored, into sheets whose rows go to temporary files
/// (constant-memory), so that memory does not grow with the units'
/// outcomes. The file is written whole or not at all (`sink`).
fn xlsx(out: &Output, job: &Job) -> Status {
    use report::xlsx::{Writer, fits, unit_rows, unit_sheets_for};
    let mut gather = standing::Gather::default();
    let (mut units, mut rows) = (0usize, 0u64);
    let (_, read) = job.each(out, job.pass(false, false), |_, o| {
        units += 1;
        rows = rows.saturating_add(unit_rows(job.program, &o));
        if !fits(job.program, units, rows) {
            return Err(std::io::Error::other("too many units"));
        }
        gather.push(o.total, o.vetoed);
        Ok(())
    });
    if read.is_err() {
        let most = units.saturating_sub(1);
        out.diagnostics(&[too_many_units(most)], None);
        return Status::Usage;
    }
    let sheets = 1 + unit_sheets_for(job.program, rows) + units;
    if let Some(d) = open_files(sheets) {
        out.diagnostics(&[d], None);
        return Status::Usage;
    }
    let mut sink = match Sink::open(out, job.output) {
        Ok(s) => s,
        Err(status) => return status,
    };
    let mut writer = match Writer::new(job.program, gather.sorted(), rows) {
        Ok(w) => w,
        Err(e) => {
            out.diagnostics(&[xlsx_error(&e)], None);
            return Status::Usage;
        }
    };
    let mut failed = None;
    let (status, written) = job.each(out, job.pass(true, true), |e, o| {
        writer.unit(&e, &o).map_err(|e| {
            failed = Some(e);
            std::io::Error::other("workbook")
        })
    });
    if let Some(e) = failed {
        // Nothing reaches the file: it is left as it was.
        out.diagnostics(&[xlsx_error(&e)], None);
        return status.max(Status::Usage);
    }
    let saved = match (written, status, sink.file()) {
        (Err(e), _, _) => Err(e),
        // Data with errors: no report (sink::close says so).
        (Ok(()), s, _) if s != Status::Ok => Ok(()),
        (Ok(()), _, Some(file)) => writer.save(file).map_err(|e| match e {
            rust_xlsxwriter::XlsxError::IoError(e) => e,
            e => std::io::Error::other(e.to_string()),
        }),
        (Ok(()), _, None) => Err(std::io::Error::other("no file")),
    };
    sink.close(out, status, saved)
}

/// The XLSX report of data from a pipe, which can be read only once:
/// every outcome held, as the HTML report does, but no more units than a
/// workbook holds (K0955, as they arrive).
fn xlsx_held(out: &Output, job: &Job) -> Status {
    use report::xlsx::{fits, unit_rows, unit_sheets_for};
    let mut scored: Vec<(Entity, Outcome)> = Vec::new();
    let mut rows = 0u64;
    let (status, read) = job.each(out, job.pass(true, true), |e, o| {
        rows = rows.saturating_add(unit_rows(job.program, &o));
        if !fits(job.program, scored.len() + 1, rows) {
            return Err(std::io::Error::other("too many units"));
        }
        scored.push((e, o));
        Ok(())
    });
    if read.is_err() {
        out.diagnostics(&[too_many_units(scored.len())], None);
        return Status::Usage;
    }
    if let Some(d) = open_files(1 + unit_sheets_for(job.program, rows) + scored.len()) {
        out.diagnostics(&[d], None);
        return Status::Usage;
    }
    let (entities, outcomes): (Vec<Entity>, Vec<Outcome>) = scored.into_iter().unzip();
    let refs: Vec<(&Entity, Outcome)> = entities.iter().zip(outcomes).collect();
    let bytes = match report::xlsx::report(job.program, &refs) {
        Ok(b) => b,
        Err(e) => {
            out.diagnostics(&[xlsx_error(&e)], None);
            return Status::Usage;
        }
    };
    let mut sink = match Sink::open(out, job.output) {
        Ok(s) => s,
        Err(status) => return status,
    };
    let written = sink.writer().write_all(&bytes);
    sink.close(out, status, written)
}

/// The message of a workbook that cannot be built: its temporary files
/// cannot be made (K0957), or a limit of the format (K0913).
fn xlsx_error(e: &rust_xlsxwriter::XlsxError) -> Diagnostic {
    let rust_xlsxwriter::XlsxError::TempFileError(dir, why) = e else {
        return workbook_error(e);
    };
    let dir = dir.display().to_string();
    let why = crate::output::file::io_reason(why);
    Diagnostic::new(
        Code::WorkbookTempFiles,
        t!(
            "the xlsx report's sheets are written to temporary files in {dir} first, and one cannot be made there: {}",
            "xlsx 报告的各工作表先写入 {dir} 中的临时文件，而那里无法创建临时文件：{}",
            why
        ),
    )
    .with_help(t!(
        "make room in {dir} or name a folder that can be written with the TMPDIR variable (TEMP on Windows), or write the report as csv or jsonl (--format csv)",
        "请在 {dir} 中腾出空间，或用环境变量 TMPDIR（Windows 上为 TEMP）指定一个可写入的文件夹；也可改用 csv 或 jsonl 格式输出（--format csv）"
    ))
}

/// More units than the XLSX report holds, met as they arrive: `most`
/// units fit beside the summary and the roll-up's sheets.
fn too_many_units(most: usize) -> Diagnostic {
    let sheets = report::xlsx::MOST_SHEETS;
    Diagnostic::new(
        Code::WorkbookTooManyUnits,
        t!(
            "the xlsx report gives each unit a sheet of its own, and a workbook holds at most {sheets} sheets (as many as LibreOffice opens), so at most {most} units beside the summary: the data has more",
            "xlsx 报告为每个单位单独生成一个工作表，而一个工作簿最多容纳 {sheets} 个工作表（LibreOffice 能打开的上限），除汇总表外最多 {most} 个单位：数据中的单位超过了这个数"
        ),
    )
    .with_help(t!(
        "write the report as csv or jsonl (--format csv, --format jsonl), which have no such limit, or score the data in parts of fewer units",
        "请改用 csv 或 jsonl 格式输出（--format csv 或 --format jsonl），这些格式没有此限制；或将数据分成单位较少的几部分分别评分"
    ))
}

/// Room for a temporary file per sheet, open until the workbook is
/// saved: the soft limit of open files raised as far as the system allows.
fn open_files(sheets: usize) -> Option<Diagnostic> {
    // The data files, the report and standard streams besides.
    let need = (sheets as u64).saturating_add(64);
    let limit = match rlimit::increase_nofile_limit(need) {
        Ok(l) => l,
        Err(_) => return None,
    };
    if limit >= need {
        return None;
    }
    Some(Diagnostic::new(
        Code::WorkbookOpenFiles,
        t!(
            "the xlsx report's {sheets} sheets are each a temporary file open until the workbook is saved, and the system lets kaohe open only {limit} files at once",
            "xlsx 报告的 {sheets} 个工作表在保存前各占一个打开的临时文件，而系统只允许 kaohe 同时打开 {limit} 个文件"
        ),
    )
    .with_help(t!(
        "raise the limit (e.g. `ulimit -n {need}` before kaohe, or ask the administrator), write the report as csv or jsonl (--format csv), or score the data in parts of fewer units",
        "请提高该上限（如在运行 kaohe 前执行 `ulimit -n {need}`，或请管理员调整），或改用 csv 或 jsonl 格式输出（--format csv），或将数据分成单位较少的几部分分别评分"
    )))
}
