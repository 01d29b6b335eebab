//! The `kaohe` command line. Exit codes: 0 when all is well, 1 when a spec
//! or data file has errors, 2 when the command is misused or a file cannot
//! be read or written.

use crate::check::ir::{ItemKind, Program};
use crate::diagnostic::{Code, Diagnostic, has_errors, render};
use crate::eval::{self, Entity, Outcome};
use crate::report;
use crate::source::Source;
use clap::{Parser, Subcommand, ValueEnum};
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
    Eval {
        spec: PathBuf,
        data: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: ReportFormat,
    },
    /// Print the data template of a spec: every input a clerk fills in.
    Template { spec: PathBuf },
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum DiagFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Table,
    Json,
}

/// What a command ends with.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Status {
    Ok = 0,
    Invalid = 1,
    Usage = 2,
}

pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()));
        eprintln!("{}", panic_message(at.as_deref()));
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
    };
    let status = match cli.command {
        Command::Check { specs, format } => {
            out.format = format;
            specs
                .iter()
                .map(|s| check(&mut out, s))
                .max()
                .unwrap_or(Status::Ok)
        }
        Command::Eval { spec, data, format } => eval(&mut out, &spec, &data, format),
        Command::Template { spec } => template(&mut out, &spec),
    };
    ExitCode::from(status as u8)
}

/// What a panic prints instead of a backtrace: a bug of kaohe's, never of
/// the user's; where it happened, and where to report it. The process then
/// exits with 101, which is none of the documented codes.
fn panic_message(at: Option<&str>) -> String {
    format!(
        "kaohe stopped because of a bug of its own{}, not because of your files.\n\
         Its output, if any, is incomplete: do not use it. Please report this, with the \
         command you ran and the spec and data files, to the kaohe maintainers.",
        at.map(|a| format!(" (at {a})")).unwrap_or_default()
    )
}

struct Output {
    color: bool,
    format: DiagFormat,
}

impl Output {
    fn diagnostics(&self, diags: &[Diagnostic], source: Option<&Source>) {
        let stdout = std::io::stdout();
        let stderr = std::io::stderr();
        for d in diags {
            // Writing can only fail when the reader has gone away; there is no one left to tell.
            let _ = match self.format {
                DiagFormat::Json => writeln!(stdout.lock(), "{}", render::to_json(d, source)),
                DiagFormat::Text => {
                    write!(stderr.lock(), "{}", render::to_text(d, source, self.color))
                }
            };
        }
    }

    /// Read a file as text, reporting why it cannot be.
    fn read(&self, path: &Path) -> Result<Source, Status> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| {
            let d = Diagnostic::new(Code::Io, format!("cannot read {name}: {e}")).in_file(&name);
            self.diagnostics(&[d], None);
            Status::Usage
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let d = Diagnostic::new(
                Code::NotUtf8,
                format!("{name} is not UTF-8 text (at byte {at})"),
            )
            .in_file(&name)
            .with_help("save the file as UTF-8 (in most editors: Save As… → Encoding: UTF-8)");
            self.diagnostics(&[d], None);
            Status::Invalid
        })?;
        Ok(Source::new(name, text))
    }

    /// Read and compile a spec, printing its diagnostics.
    fn program(&self, path: &Path) -> Result<(Source, Program), Status> {
        let source = self.read(path)?;
        let compiled = crate::compile(&source.text);
        let diags: Vec<Diagnostic> = compiled
            .diagnostics
            .into_iter()
            .map(|d| d.in_file(&source.name))
            .collect();
        self.diagnostics(&diags, Some(&source));
        match compiled.program {
            Some(p) => Ok((source, p)),
            None => {
                let n = diags.iter().filter(|d| d.is_error()).count();
                if self.format == DiagFormat::Text {
                    eprintln!(
                        "{}: {n} error{}",
                        source.name,
                        if n == 1 { "" } else { "s" }
                    );
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
        println!("{}: {}", source.name, summary(&program));
    }
    Status::Ok
}

/// "71 items (65 base, 3 deduction, 12 bonus, 1 mixed, 1 veto), base total 200, bonus ceiling 10".
fn summary(p: &Program) -> String {
    let count = |f: fn(&ItemKind) -> bool| p.items.iter().filter(|i| f(&i.kind)).count();
    let kinds = [
        (count(|k| matches!(k, ItemKind::Base(_))), "base"),
        (count(|k| *k == ItemKind::Deduction), "deduction"),
        (count(|k| *k == ItemKind::Bonus), "bonus"),
        (count(|k| *k == ItemKind::Mixed), "deduction and bonus"),
        (count(|k| *k == ItemKind::Veto), "veto"),
    ];
    let parts: Vec<String> = kinds
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, w)| format!("{n} {w}"))
        .collect();
    let caps: Vec<String> = p
        .header
        .bonus_cap
        .iter()
        .chain(p.sections.iter().filter_map(|s| s.bonus_cap.as_ref()))
        .chain(p.indicators.iter().filter_map(|s| s.bonus_cap.as_ref()))
        .map(|c| c.normalize().to_string())
        .collect();
    let mut s = format!(
        "ok, {} items ({}), base total {}",
        p.items.len(),
        parts.join(", "),
        p.base_total.normalize()
    );
    if !caps.is_empty() {
        s.push_str(&format!(", bonus ceiling {}", caps.join(", ")));
    }
    s
}

fn eval(out: &mut Output, spec: &Path, data: &Path, format: ReportFormat) -> Status {
    let (source, program) = match out.program(spec) {
        Ok(found) => found,
        Err(status) => return status,
    };
    let data_source = match out.read(data) {
        Ok(s) => s,
        Err(status) => return status,
    };
    let (entities, diags) = eval::data::from_json(&program, &data_source.text, &data_source.name);
    out.diagnostics(&diags, None);
    let mut status = if has_errors(&diags) {
        Status::Invalid
    } else {
        Status::Ok
    };
    let mut scored: Vec<(&Entity, Outcome)> = Vec::new();
    for entity in &entities {
        match eval::evaluate(&program, entity) {
            Ok(o) => scored.push((entity, o)),
            Err(e) => {
                out.diagnostics(
                    &[e.to_diagnostic(&entity.id).in_file(&source.name)],
                    Some(&source),
                );
                status = Status::Invalid;
            }
        }
    }
    let text = match format {
        ReportFormat::Table => report::table::report(&program, &scored),
        ReportFormat::Json => format!("{:#}\n", report::json::report(&program, &scored)),
    };
    print!("{text}");
    status
}

fn template(out: &mut Output, spec: &Path) -> Status {
    match out.program(spec) {
        Ok((_, program)) => {
            println!("{:#}", report::template::template(&program));
            Status::Ok
        }
        Err(status) => status,
    }
}

#[cfg(test)]
mod tests {
    use super::panic_message;

    #[test]
    fn a_panic_asks_for_a_report_in_three_lines() {
        let m = panic_message(Some("src/eval/interp.rs:42"));
        assert!(
            m.starts_with("kaohe stopped because of a bug of its own (at src/eval/interp.rs:42)")
        );
        assert!(m.contains("Please report this"));
        assert!(m.lines().count() <= 3, "{m}");
        assert!(!panic_message(None).contains("(at"));
    }
}
