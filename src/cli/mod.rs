//! The `kaohe` command line: the clap definitions, the dispatch to one
//! module per subcommand, the exit codes and the options every subcommand
//! shares (`Output`). Exit codes: 0 when all is well, 1 when a spec or data
//! file has errors, 2 when the command is misused or a file cannot be read
//! or written. The subcommands choose and wire; what they print is framed
//! by the report layer (`report`, `render`, `template`, `diff`).

mod check;
mod diff;
mod eval;
mod fmt;
mod import;
pub(crate) mod io;
mod lsp;
mod render;
mod score;
mod serve;
mod sink;
mod template;
mod test;

use crate::diagnostic::{Code, Diagnostic, Lang, render as diag_render};
use crate::ir::Program;
use crate::parse::keywords::{self, KeywordSet};
use crate::service::Analysis;
use crate::source::Source;
use crate::t;
use clap::{Parser, Subcommand, ValueEnum};
use std::cell::Cell;
use std::io::{IsTerminal, Write};
use std::path::Path;
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
    Check(check::Args),
    /// Score the entities of a data file by a spec, explaining every point moved.
    ///
    /// Data files are read by extension: .json, .jsonl (one entity a
    /// line), .csv (list inputs from
    /// FILE/<input>.csv), .xlsx (list inputs from sheets named after them).
    Eval(eval::Args),
    /// Write the data template of a spec: every input a clerk fills in.
    Template(template::Args),
    /// Rewrite specs in the canonical layout (or, with --check, show how they differ from it).
    Fmt(fmt::Args),
    /// Run the test cases kept beside each spec (SPEC.tests.json).
    Test(test::Args),
    /// Show what changed between two specs, item by item; with data, the effect on each entity.
    Diff(diff::Args),
    /// Render the official task-decomposition table, its 评分标准 generated from the rules.
    Render(render::Args),
    /// Start the web workbench on a workspace folder: edit, check, render and score in a browser.
    Serve(serve::Args),
    /// Speak the Language Server Protocol on standard input and output, for editors (docs/editors.md).
    Lsp(lsp::Args),
    /// Turn a published table (the text copied from a Word table) into a draft spec.
    Import(import::Args),
}

#[derive(Clone, Copy, ValueEnum)]
enum Keywords {
    Zh,
    En,
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

/// What a command ends with.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Status {
    Ok = 0,
    Invalid = 1,
    Usage = 2,
}

pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        if crate::report::xlsx::guarded() {
            // A failed write of the workbook's temporary files: K0957.
            return;
        }
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
    let mut out = Output::new(&cli);
    io::set_lang(out.lang());
    let status = dispatch(&mut out, cli.command);
    let status = io::finish(status, |d| {
        // Standard output has failed: the message goes to standard error.
        io::say(&diag_render::to_text(d, None, out.color, out.lang()));
    });
    ExitCode::from(status as u8)
}

/// Run a subcommand.
fn dispatch(out: &mut Output, command: Command) -> Status {
    match command {
        Command::Check(args) => check::run(out, args),
        Command::Eval(args) => eval::run(out, args),
        Command::Template(args) => template::run(out, args),
        Command::Fmt(args) => fmt::run(out, args),
        Command::Test(args) => test::run(out, args),
        Command::Diff(args) => diff::run(out, args),
        Command::Render(args) => render::run(out, args),
        Command::Serve(args) => serve::run(out, args),
        Command::Lsp(args) => lsp::run(out, args),
        Command::Import(args) => import::run(out, args),
    }
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
    /// The options of the command line every subcommand shares.
    fn new(cli: &Cli) -> Output {
        let color = match cli.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        Output {
            color,
            format: DiagFormat::Text,
            lang: cli.lang.map(|l| match l {
                Keywords::Zh => Lang::Zh,
                Keywords::En => Lang::En,
            }),
            spec_lang: Cell::new(None),
            env_lang: Lang::from_env(),
        }
    }

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
                    let _ = io::print(&format!(
                        "{}\n",
                        diag_render::to_json(d, source, self.lang())
                    ));
                }
                DiagFormat::Text => {
                    io::say(&diag_render::to_text(d, source, self.color, self.lang()))
                }
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
            let d = crate::diagnostic::not_utf8(&name, e.as_bytes());
            self.diagnostics(&[d], None);
            Status::Invalid
        })?;
        Ok(Source::new(name, text))
    }

    /// Read and compile a spec, printing its diagnostics: the language
    /// service's analysis, so that `check` says what an editor says.
    pub(crate) fn program(&self, path: &Path) -> Result<(Source, Program), Status> {
        let source = self.read(path)?;
        self.spec_read(&source);
        let compiled = Analysis::new(source.text.as_str()).into_compiled();
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
