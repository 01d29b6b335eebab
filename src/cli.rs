//! The `kaohe` command line. Exit codes: 0 when all is well, 1 when a spec
//! or data file has errors, 2 when the command is misused or a file cannot
//! be read or written.

pub(crate) mod io;
mod run;

use crate::diagnostic::{Code, Diagnostic, Lang, Text, render};
use crate::eval::{self, Entity, Outcome};
use crate::ir::{ItemKind, Program};
use crate::parse::keywords::{self, KeywordSet};
use crate::source::Source;
use crate::t;
use clap::{Parser, Subcommand, ValueEnum};
use std::cell::Cell;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "kaohe",
    version,
    about = "Check assessment tables written as specs, and score assessed units by them"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour diagnostics.
    #[arg(long, global = true, value_enum, default_value = "auto")]
    color: Color,
    /// The language of diagnostics (default: the keyword set of the spec,
    /// else LC_ALL / LC_MESSAGES / LANG: zh… is Chinese, else English).
    #[arg(long, global = true, value_enum)]
    lang: Option<Keywords>,
}

#[derive(Subcommand)]
enum Command {
    /// Check specs and report every problem found.
    Check {
        #[arg(required = true)]
        specs: Vec<PathBuf>,
        /// text for people, json for tools (one diagnostic per line).
        #[arg(long, value_enum, default_value = "text")]
        format: DiagFormat,
    },
    /// Score the entities of a data file by a spec, explaining every point moved.
    ///
    /// Data files are read by extension: .json, .jsonl (one entity a
    /// line), .csv (list inputs from
    /// FILE/<input>.csv), .xlsx (list inputs from sheets named after them).
    Eval {
        spec: PathBuf,
        #[arg(required = true)]
        data: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: ReportFormat,
        /// Write the report to FILE (only if every entity is valid) instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Rank the entities by total (reads the data twice; memory stays flat
        /// but for 16 bytes an entity, and for the json and table reports'
        /// ranking its id and result, some 50 bytes more).
        #[arg(long)]
        rank: bool,
        /// Take nothing on a guess: a rate written as a fraction (0.875), rows
        /// above the header, a 合计 row, another sheet or encoding are errors.
        #[arg(long)]
        strict: bool,
    },
    /// Write the data template of a spec: every input a clerk fills in.
    Template {
        spec: PathBuf,
        #[arg(long, value_enum, default_value = "json")]
        format: TemplateFormat,
        /// Write to FILE instead of stdout (required for xlsx; for csv,
        /// list inputs go to FILE-without-.csv/<input>.csv).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Fill the template with the entities of a data file.
        #[arg(long, value_name = "DATA")]
        fill: Option<PathBuf>,
    },
    /// Rewrite specs in the canonical layout (or, with --check, show how they differ from it).
    Fmt {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Change no file; print a diff and exit 1 when a file is not formatted.
        #[arg(long)]
        check: bool,
        /// Write the keywords in this set (default: the set each file uses).
        #[arg(long, value_enum)]
        keywords: Option<Keywords>,
    },
    /// Run the test cases kept beside each spec (SPEC.tests.json).
    Test {
        #[arg(required = true)]
        specs: Vec<PathBuf>,
        /// Write what each case actually scores as its expectation (the test file is rewritten atomically; the change is shown as a diff).
        #[arg(long)]
        bless: bool,
    },
    /// Show what changed between two specs, item by item; with data, the effect on each entity.
    Diff {
        old: PathBuf,
        new: PathBuf,
        /// Score this data under both specs and show the change in points.
        #[arg(long)]
        data: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: DiagFormat,
    },
    /// Render the official task-decomposition table, its 评分标准 generated from the rules.
    Render {
        spec: PathBuf,
        #[arg(long, value_enum, default_value = "md")]
        format: RenderFormat,
        /// Write to this file (atomically) instead of standard output; needed for xlsx.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Group the table by responsible unit (部门任务分解).
        #[arg(long)]
        by_unit: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Keywords {
    Zh,
    En,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum RenderFormat {
    Md,
    Html,
    Xlsx,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
pub(crate) enum TemplateFormat {
    Json,
    Csv,
    Xlsx,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
pub(crate) enum DiagFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
pub(crate) enum ReportFormat {
    Table,
    Json,
    /// One JSON object per line and entity.
    Jsonl,
    Csv,
    Xlsx,
    Html,
}

/// What a command ends with.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Status {
    Ok = 0,
    Invalid = 1,
    Usage = 2,
}

pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()));
        // A failed write to stderr must not turn the panic into an abort.
        io::say(&format!("{}\n", panic_message(at.as_deref(), io::lang())));
        if std::env::var_os("KAOHE_BACKTRACE").is_some() {
            io::say(&format!("{}\n", std::backtrace::Backtrace::force_capture()));
        }
    }));
    let cli = Cli::parse();
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let mut out = Output {
        color,
        format: DiagFormat::Text,
        lang: cli.lang.map(|l| match l {
            Keywords::Zh => Lang::Zh,
            Keywords::En => Lang::En,
        }),
        spec_lang: Cell::new(None),
        env_lang: Lang::from_env(),
    };
    io::set_lang(out.lang());
    let status = match cli.command {
        Command::Check { specs, format } => {
            out.format = format;
            specs
                .iter()
                .map(|s| check(&mut out, s))
                .max()
                .unwrap_or(Status::Ok)
        }
        Command::Eval {
            spec,
            data,
            format,
            output,
            rank,
            strict,
        } => run::eval(
            &mut out,
            &spec,
            &data,
            format,
            output.as_deref(),
            rank,
            strict,
        ),
        Command::Template {
            spec,
            format,
            output,
            fill,
        } => run::template(&mut out, &spec, format, output.as_deref(), fill.as_deref()),
        Command::Fmt {
            files,
            check,
            keywords,
        } => {
            let set = keywords.map(|k| match k {
                Keywords::Zh => KeywordSet::Zh,
                Keywords::En => KeywordSet::En,
            });
            files
                .iter()
                .map(|f| fmt(&out, f, check, set))
                .max()
                .unwrap_or(Status::Ok)
        }
        Command::Test { specs, bless } => test(&out, &specs, bless),
        Command::Diff {
            old,
            new,
            data,
            format,
        } => diff(&out, &old, &new, data.as_deref(), format),
        Command::Render {
            spec,
            format,
            output,
            by_unit,
        } => render(&out, &spec, format, output.as_deref(), by_unit),
    };
    let status = io::finish(status, |d| {
        // Standard output has failed: the message goes to standard error.
        io::say(&render::to_text(d, None, out.color, out.lang()));
    });
    ExitCode::from(status as u8)
}

/// What a panic prints instead of a backtrace: a bug of kaohe's, never of
/// the user's; where it happened, and where to report it. The process then
/// exits with 101, which is none of the documented codes.
fn panic_message(at: Option<&str>, lang: Lang) -> String {
    let at_en = at.map(|a| format!(" (at {a})")).unwrap_or_default();
    let at_zh = at.map(|a| format!("（位置 {a}）")).unwrap_or_default();
    t!(
        "kaohe stopped because of a bug of its own{at_en}, not because of your files.\n\
         Its output, if any, is incomplete: do not use it. Please report this, with the \
         command you ran and the spec and data files, to the kaohe maintainers.",
        "kaohe 因自身的缺陷而停止{at_zh}，并非您的文件有误。\n\
         已产生的输出不完整，请勿使用。请将所运行的命令及规则文件、数据文件报告给 kaohe 维护者。"
    )
    .get(lang)
    .to_string()
}

pub(crate) struct Output {
    color: bool,
    pub(crate) format: DiagFormat,
    /// The language `--lang` asks for.
    lang: Option<Lang>,
    /// The language of the keywords of the spec read last.
    spec_lang: Cell<Option<Lang>>,
    /// The language of LC_ALL, LC_MESSAGES or LANG.
    env_lang: Lang,
}

impl Output {
    /// The language diagnostics are written in: `--lang`, else the keyword
    /// set of the spec read last, else the environment's.
    pub(crate) fn lang(&self) -> Lang {
        self.lang.or(self.spec_lang.get()).unwrap_or(self.env_lang)
    }

    /// Remember the keyword set of a spec's text, for the default language.
    fn spec_read(&self, source: &Source) {
        if let Some(set) = keywords::detect(&source.text) {
            self.spec_lang.set(Some(match set {
                KeywordSet::Zh => Lang::Zh,
                KeywordSet::En => Lang::En,
            }));
        }
        io::set_lang(self.lang());
    }

    pub(crate) fn diagnostics(&self, diags: &[Diagnostic], source: Option<&Source>) {
        for d in diags {
            // A failure of standard output is reported once, when the command ends (io::finish).
            match self.format {
                DiagFormat::Json => {
                    let _ = io::print(&format!("{}\n", render::to_json(d, source, self.lang())));
                }
                DiagFormat::Text => io::say(&render::to_text(d, source, self.color, self.lang())),
            }
        }
    }

    /// Read a file as text, reporting why it cannot be.
    fn read(&self, path: &Path) -> Result<Source, Status> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| {
            let d = Diagnostic::new(
                Code::Io,
                t!("cannot read {name}: {e}", "无法读取 {name}：{e}"),
            )
            .in_file(&name);
            self.diagnostics(&[d], None);
            Status::Usage
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let d = Diagnostic::new(
                Code::NotUtf8,
                t!(
                    "{name} is not UTF-8 text (at byte {at})",
                    "{name} 不是 UTF-8 编码的文本（第 {at} 字节处）"
                ),
            )
            .in_file(&name)
            .with_help(t!(
                "save the file as UTF-8 (in most editors: Save As… → Encoding: UTF-8)",
                "请将文件另存为 UTF-8 编码（多数编辑器中：另存为… → 编码：UTF-8）"
            ));
            self.diagnostics(&[d], None);
            Status::Invalid
        })?;
        Ok(Source::new(name, text))
    }

    /// Read and compile a spec, printing its diagnostics.
    pub(crate) fn program(&self, path: &Path) -> Result<(Source, Program), Status> {
        let source = self.read(path)?;
        self.spec_read(&source);
        let compiled = crate::compile(&source.text);
        let diags: Vec<Diagnostic> = compiled
            .diagnostics
            .into_iter()
            .map(|d| d.in_file(&source.name))
            .collect();
        self.diagnostics(&diags, Some(&source));
        match compiled.program {
            Some(mut p) => {
                // `--lang` chooses the language of reports and templates too,
                // over the spec's `language` entry.
                if let Some(lang) = self.lang {
                    p.header.lang = lang;
                }
                Ok((source, p))
            }
            None => {
                let n = diags.iter().filter(|d| d.is_error()).count();
                if self.format == DiagFormat::Text {
                    io::say(&match self.lang() {
                        Lang::En => format!(
                            "{}: {n} error{}\n",
                            source.name,
                            if n == 1 { "" } else { "s" }
                        ),
                        Lang::Zh => format!("{}：共 {n} 处错误\n", source.name),
                    });
                }
                Err(Status::Invalid)
            }
        }
    }
}

fn check(out: &mut Output, path: &Path) -> Status {
    let (source, program) = match out.program(path) {
        Ok(found) => found,
        Err(status) => return status,
    };
    if out.format == DiagFormat::Text {
        let _ = io::print(&format!(
            "{}{}\n",
            source.name,
            summary(&program).get(out.lang())
        ));
    }
    Status::Ok
}

/// ": ok, 71 items (65 base, 3 deduction, 12 bonus, 1 deduction and bonus,
/// 1 veto), base total 200, bonus ceiling 10", to follow the spec's name.
fn summary(p: &Program) -> Text {
    let count = |f: fn(&ItemKind) -> bool| p.items.iter().filter(|i| f(&i.kind)).count();
    let kinds = [
        (
            count(|k| matches!(k, ItemKind::Base(_))),
            t!("base", "基础项"),
        ),
        (
            count(|k| *k == ItemKind::Deduction),
            t!("deduction", "扣分项"),
        ),
        (count(|k| *k == ItemKind::Bonus), t!("bonus", "加分项")),
        (
            count(|k| *k == ItemKind::Mixed),
            t!("deduction and bonus", "扣分加分项"),
        ),
        (count(|k| *k == ItemKind::Veto), t!("veto", "否决项")),
    ];
    let parts: Vec<Text> = kinds
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, w)| t!("{n} {}", "{}{n}个", w))
        .collect();
    let caps: Vec<String> = p
        .header
        .bonus_cap
        .iter()
        .chain(p.sections.iter().filter_map(|s| s.bonus_cap.as_ref()))
        .chain(p.indicators.iter().filter_map(|s| s.bonus_cap.as_ref()))
        .map(|c| c.normalize().to_string())
        .collect();
    let plural = if p.items.len() == 1 {
        t!("", "")
    } else {
        t!("s", "")
    };
    let s = t!(
        ": ok, {} item{} ({}), base total {}",
        "：检查通过，共{}个考核事项{}（{}），基础分合计 {}",
        p.items.len(),
        plural,
        Text::join(&parts, ", ", "、"),
        p.base_total.normalize()
    );
    if caps.is_empty() {
        return s;
    }
    let caps = Text::list(&caps);
    t!("{}, bonus ceiling {}", "{}，加分上限 {}", s, caps)
}
/// Format one spec in place, or with `check` print how it differs from its
/// formatted text.
fn fmt(out: &Output, path: &Path, check: bool, set: Option<KeywordSet>) -> Status {
    let source = match out.read(path) {
        Ok(s) => s,
        Err(status) => return status,
    };
    out.spec_read(&source);
    let formatted = match crate::fmt::format(&source.text, set) {
        Ok(f) => f,
        Err(diags) => {
            let diags: Vec<Diagnostic> =
                diags.into_iter().map(|d| d.in_file(&source.name)).collect();
            out.diagnostics(&diags, Some(&source));
            return Status::Invalid;
        }
    };
    if formatted == source.text {
        return Status::Ok;
    }
    if check {
        let diff = similar::TextDiff::from_lines(&source.text, &formatted);
        let shown = diff
            .unified_diff()
            .context_radius(2)
            .header(&source.name, &format!("{} (formatted)", source.name))
            .to_string();
        let _ = io::print(&shown);
        return Status::Invalid;
    }
    // Written whole or not at all, keeping the file's permissions.
    if let Err(e) = crate::output::file::write(path, formatted.as_bytes()) {
        out.diagnostics(&[e.to_diagnostic(&source.name)], None);
        return Status::Usage;
    }
    Status::Ok
}

fn render(
    out: &Output,
    spec: &Path,
    format: RenderFormat,
    output: Option<&Path>,
    by_unit: bool,
) -> Status {
    use crate::render as r;
    if format == RenderFormat::Xlsx && output.is_none() {
        let d = Diagnostic::new(
            Code::OutputRequired,
            t!(
                "an Excel workbook cannot be printed to the terminal",
                "Excel 工作簿无法输出到终端"
            ),
        )
        .with_help(t!(
            "name the file to write with -o, e.g. `-o 任务分解表.xlsx`",
            "请用 -o 指定要写入的文件，如 `-o 任务分解表.xlsx`"
        ));
        out.diagnostics(&[d], None);
        return Status::Usage;
    }
    let program = match out.program(spec) {
        Ok((_, p)) => p,
        Err(status) => return status,
    };
    let table = if by_unit {
        r::by_unit(&program)
    } else {
        r::official(&program)
    };
    let bytes = match format {
        RenderFormat::Md => r::markdown(&table).into_bytes(),
        RenderFormat::Html => r::html(&table).into_bytes(),
        RenderFormat::Xlsx => match r::xlsx(&table) {
            Ok(b) => b,
            Err(e) => {
                let d = Diagnostic::new(
                    Code::Io,
                    t!("cannot build the workbook: {e}", "无法生成工作簿：{e}"),
                );
                out.diagnostics(&[d], None);
                return Status::Usage;
            }
        },
    };
    out.emit(output, &bytes)
}

impl Output {
    /// Write a command's output to a file, atomically, or to standard output.
    fn emit(&self, output: Option<&Path>, bytes: &[u8]) -> Status {
        let Some(path) = output else {
            // A failure is reported when the command ends (io::finish).
            let _ = io::Stdout.write_all(bytes);
            return Status::Ok;
        };
        match crate::output::file::write(path, bytes) {
            Ok(()) => Status::Ok,
            Err(e) => {
                self.diagnostics(&[e.to_diagnostic(&path.display().to_string())], None);
                Status::Usage
            }
        }
    }
}

fn test(out: &Output, specs: &[PathBuf], bless: bool) -> Status {
    let (mut passed, mut failed) = (0, 0);
    let mut status = Status::Ok;
    for spec in specs {
        let (counts, s) = test_spec(out, spec, bless);
        passed += counts.0;
        failed += counts.1;
        status = status.max(s);
    }
    let line = if bless {
        t!(
            "{passed} written, {failed} could not be scored",
            "已写入 {passed} 个，无法计分 {failed} 个"
        )
    } else {
        t!(
            "{passed} passed, {failed} failed",
            "通过 {passed} 个，失败 {failed} 个"
        )
    };
    let _ = io::print(&format!("{}\n", line.get(out.lang())));
    if failed > 0 {
        status = status.max(Status::Invalid);
    }
    status
}

/// Run one spec's cases, printing each; returns (passed, failed). With
/// `bless`, writes each case's actual scores as its expectation instead
/// (`spectest::bless`), and returns (written, could not be scored).
fn test_spec(out: &Output, spec: &Path, bless: bool) -> ((usize, usize), Status) {
    use crate::spectest;
    let program = match out.program(spec) {
        Ok((_, p)) => p,
        Err(status) => return ((0, 0), status),
    };
    let path = spectest::tests_path(spec);
    let name = path.display().to_string();
    if !path.exists() {
        let spec = spec.display();
        let d = Diagnostic::new(Code::TestsMissing, t!("{spec} has no test file {name}", "{spec} 没有测试文件 {name}"))
            .in_file(&name)
            .with_help(t!("write the cases in that file: {{\"cases\": [{{\"name\": \"…\", \"data\": \"data.json\", \"expect\": {{\"total\": \"…\"}}}}]}}", "请在该文件中写测试用例：{{\"cases\": [{{\"name\": \"…\", \"data\": \"data.json\", \"expect\": {{\"total\": \"…\"}}}}]}}"));
        out.diagnostics(&[d], None);
        return ((0, 0), Status::Invalid);
    }
    let text = match out.read(&path) {
        Ok(s) => s.text,
        Err(status) => return ((0, 0), status),
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let cases = match spectest::read_cases(&text, &name, dir) {
        Ok(c) => c,
        Err(d) => {
            out.diagnostics(&[*d], None);
            return ((0, 0), Status::Invalid);
        }
    };
    if bless {
        return spectest::bless(out, &program, &cases, &path, &text);
    }
    let unknown = spectest::unknown_items(&program, &cases, &name);
    if !unknown.is_empty() {
        out.diagnostics(&unknown, None);
        return ((0, 0), Status::Invalid);
    }
    let (n, plural) = (cases.len(), if cases.len() == 1 { "" } else { "s" });
    let line = t!("{}: {n} case{plural}", "{}：{n} 个用例", spec.display());
    let _ = io::print(&format!("{}\n", line.get(out.lang())));
    let lang = out.lang();
    let mut counts = (0, 0);
    for case in &cases {
        let v = spectest::run(&program, case);
        if v.failures.is_empty() {
            counts.0 += 1;
            let name = crate::output::escape::terminal(&v.name);
            let _ = io::print(&format!("  {}  {name}\n", t!("ok  ", "通过").get(lang)));
        } else {
            counts.1 += 1;
            let name = crate::output::escape::terminal(&v.name);
            let _ = io::print(&format!("  {}  {name}\n", t!("FAIL", "失败").get(lang)));
            for f in &v.failures {
                for (i, line) in f.get(lang).lines().enumerate() {
                    let indent = if i == 0 { "        " } else { "  " };
                    let line = crate::output::escape::terminal(line);
                    let _ = io::print(&format!("{indent}{line}\n"));
                }
            }
        }
    }
    (counts, Status::Ok)
}

fn diff(out: &Output, old: &Path, new: &Path, data: Option<&Path>, format: DiagFormat) -> Status {
    use crate::diff as d;
    let (old_p, new_p) = match (out.program(old), out.program(new)) {
        (Ok((_, a)), Ok((_, b))) => (a, b),
        (Err(s), _) | (_, Err(s)) => return s,
    };
    let changes = d::changes(&old_p, &new_p);
    let mut status = Status::Ok;
    let source = match data.map(|path| out.read(path)).transpose() {
        Ok(s) => s,
        Err(s) => return s,
    };
    // With last year's data, the items whose inputs it lacks are left out
    // of both totals and reported as having no data yet (report::diff).
    let scoring = source
        .as_ref()
        .map(|s| d::Scoring::prepare(&old_p, &new_p, &s.text));
    let scored = match (&source, &scoring) {
        (Some(source), Some(scoring)) => {
            let before = score_all(out, &scoring.old, source, old, &mut status);
            let after = score_all(out, &scoring.new, source, new, &mut status);
            Some((before, after))
        }
        _ => None,
    };
    let effects = match (&scored, &scoring) {
        (Some((before, after)), Some(scoring)) => {
            let b: Vec<(&Entity, Outcome)> = before
                .0
                .iter()
                .zip(before.1.iter().cloned())
                .filter_map(|(e, o)| Some((e, o?)))
                .collect();
            let a: Vec<(&Entity, Outcome)> = after
                .0
                .iter()
                .zip(after.1.iter().cloned())
                .filter_map(|(e, o)| Some((e, o?)))
                .collect();
            Some(d::effects(&old_p, &new_p, scoring, &b, &a))
        }
        _ => None,
    };
    let text = match format {
        DiagFormat::Text => {
            let text = d::text(&old_p, &new_p, &changes, effects.as_deref(), out.lang());
            crate::output::escape::terminal(&text).into_owned()
        }
        DiagFormat::Json => format!(
            "{:#}\n",
            d::json(&old_p, &new_p, &changes, effects.as_deref())
        ),
    };
    let _ = io::print(&text);
    status
}

/// The entities of a data file and each one's outcome under a program.
fn score_all<'p>(
    out: &Output,
    program: &'p Program,
    data: &Source,
    spec: &Path,
    status: &mut Status,
) -> (Vec<Entity>, Vec<Option<Outcome<'p>>>) {
    let (entities, diags) = eval::data::from_json(program, &data.text, &data.name);
    let errors: Vec<Diagnostic> = diags.into_iter().filter(|d| d.is_error()).collect();
    out.diagnostics(&errors, None);
    if !errors.is_empty() {
        *status = (*status).max(Status::Invalid);
    }
    let outcomes = entities
        .iter()
        .map(|e| match eval::evaluate(program, e) {
            Ok(o) => Some(o),
            Err(err) => {
                let name = spec.display().to_string();
                out.diagnostics(&[err.to_diagnostic(&e.id).in_file(&name)], None);
                *status = (*status).max(Status::Invalid);
                None
            }
        })
        .collect();
    (entities, outcomes)
}

#[cfg(test)]
mod tests {
    use super::panic_message;
    use crate::diagnostic::Lang;

    #[test]
    fn a_panic_asks_for_a_report_in_three_lines() {
        let m = panic_message(Some("src/eval/interp.rs:42"), Lang::En);
        assert!(
            m.starts_with("kaohe stopped because of a bug of its own (at src/eval/interp.rs:42)")
        );
        assert!(m.contains("Please report this"));
        assert!(m.lines().count() <= 3, "{m}");
        assert!(!panic_message(None, Lang::En).contains("(at"));
        let zh = panic_message(Some("src/eval/interp.rs:42"), Lang::Zh);
        assert!(zh.starts_with("kaohe 因自身的缺陷而停止"), "{zh}");
        assert!(zh.lines().count() <= 3, "{zh}");
    }
}
