//! `kaohe template`: the data template of a spec (`crate::template`), as
//! JSON, CSV files or an XLSX workbook, empty or filled with the entities
//! of a data file.

use super::score::{Pass, each};
use super::sink::{workbook_error, write_files};
use super::{Output, Status, io};
use crate::data::Entity;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::Program;
use crate::output::file;
use crate::t;
use crate::template::{files, json};
use clap::{Args as ClapArgs, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(ClapArgs)]
pub(crate) struct Args {
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
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum TemplateFormat {
    Json,
    Csv,
    Xlsx,
}

pub(crate) fn run(out: &Output, args: Args) -> Status {
    let (source, program) = match out.program(&args.spec) {
        Ok(found) => found,
        Err(status) => return status,
    };
    let mut entities = Vec::new();
    if let Some(data) = &args.fill {
        let pass = Pass {
            print_problems: true,
            explain: false,
            strict: false,
        };
        let data = [data.clone()];
        let (status, _) = each(out, &source, &program, &data, pass, |e, _| {
            entities.push(e);
            Ok(())
        });
        if status != Status::Ok {
            let why = t!(
                "no template written: the data to fill it with has errors (see above)",
                "未写入模板：用于填充的数据有错误（见上文）"
            );
            io::say(&format!("{}\n", why.get(out.lang())));
            return status;
        }
    }
    write(out, &args, &program, &entities)
}

/// Write the template in the format asked for.
fn write(out: &Output, args: &Args, program: &Program, entities: &[Entity]) -> Status {
    match (args.format, args.output.as_deref()) {
        (TemplateFormat::Json, _) if args.fill.is_some() => {
            out.diagnostics(&[fill_json()], None);
            Status::Usage
        }
        (TemplateFormat::Json, None) => {
            let _ = io::print(&format!("{:#}\n", json::template(program)));
            Status::Ok
        }
        (TemplateFormat::Json, Some(path)) => {
            let text = format!("{:#}\n", json::template(program));
            write_files(out, &[(path.to_path_buf(), text.into_bytes())])
        }
        (_, None) => {
            out.diagnostics(&[no_terminal()], None);
            Status::Usage
        }
        (TemplateFormat::Csv, Some(path)) => csv(out, path, program, entities),
        (TemplateFormat::Xlsx, Some(path)) => match files::xlsx(program, entities) {
            Ok(bytes) => write_files(out, &[(path.to_path_buf(), bytes)]),
            Err(e) => {
                out.diagnostics(&[workbook_error(&e)], None);
                Status::Usage
            }
        },
    }
}

/// The template as CSV files: the main file, and the list files in a
/// folder named after it.
fn csv(out: &Output, path: &Path, program: &Program, entities: &[Entity]) -> Status {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let dir = path.parent().unwrap_or(Path::new(""));
    let made: Vec<(PathBuf, Vec<u8>)> = files::csv_files(program, &stem, entities)
        .into_iter()
        .map(|(p, text)| (dir.join(p), text.into_bytes()))
        .collect();
    // The list files go in a folder kaohe names after the file: make it,
    // only when the spec has lists to put there.
    let folder = dir.join(&stem);
    if made.iter().any(|(p, _)| p.starts_with(&folder))
        && let Err(e) = std::fs::create_dir_all(&folder)
    {
        let d = file::FileError::Io(e).to_diagnostic(&folder.display().to_string());
        out.diagnostics(&[d], None);
        return Status::Usage;
    }
    write_files(out, &made)
}

/// `--fill` with a JSON template.
fn fill_json() -> Diagnostic {
    Diagnostic::new(
        Code::OptionConflict,
        t!(
            "--fill writes csv or xlsx templates; the data is JSON already",
            "--fill 只生成 csv 或 xlsx 模板；该数据本身已是 JSON"
        ),
    )
    .with_help(t!(
        "add --format csv or --format xlsx",
        "请加上 --format csv 或 --format xlsx"
    ))
}

/// A csv or xlsx template asked for without a file to write it to.
fn no_terminal() -> Diagnostic {
    Diagnostic::new(
        Code::OutputRequired,
        t!(
            "a csv or xlsx template is a set of files: it cannot be printed to the terminal",
            "csv 或 xlsx 模板是文件，无法输出到终端"
        ),
    )
    .with_help(t!(
        "name the file to write with -o, e.g. `-o template.xlsx`",
        "请用 -o 指定要写入的文件，如 `-o 数据模板.xlsx`"
    ))
}
