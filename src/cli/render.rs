//! `kaohe render`: the official task-decomposition table of a spec, its
//! 评分标准 generated from the rules (`crate::render`).

use super::{Output, Status};
use crate::diagnostic::{Code, Diagnostic};
use crate::render as r;
use crate::t;
use clap::{Args as ClapArgs, ValueEnum};
use std::path::PathBuf;

#[derive(ClapArgs)]
pub(crate) struct Args {
    spec: PathBuf,
    #[arg(long, value_enum, default_value = "md")]
    format: RenderFormat,
    /// Write to this file (atomically) instead of standard output; needed for xlsx.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Group the table by responsible unit (部门任务分解).
    #[arg(long)]
    by_unit: bool,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum RenderFormat {
    Md,
    Html,
    Xlsx,
}

pub(crate) fn run(out: &Output, args: Args) -> Status {
    if args.format == RenderFormat::Xlsx && args.output.is_none() {
        out.diagnostics(&[no_terminal()], None);
        return Status::Usage;
    }
    let program = match out.program(&args.spec) {
        Ok((_, p)) => p,
        Err(status) => return status,
    };
    let table = if args.by_unit {
        r::by_unit(&program)
    } else {
        r::official(&program)
    };
    let bytes = match args.format {
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
    out.emit(args.output.as_deref(), &bytes)
}

/// A workbook asked for without a file to write it to.
fn no_terminal() -> Diagnostic {
    Diagnostic::new(
        Code::OutputRequired,
        t!(
            "an Excel workbook cannot be printed to the terminal",
            "Excel 工作簿无法输出到终端"
        ),
    )
    .with_help(t!(
        "name the file to write with -o, e.g. `-o 任务分解表.xlsx`",
        "请用 -o 指定要写入的文件，如 `-o 任务分解表.xlsx`"
    ))
}
