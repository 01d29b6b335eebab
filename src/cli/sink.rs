//! Where a command's files go: a report to standard output or to a file
//! written whole or not at all (`output::file`), kept only if every entity
//! was valid; the files of a template; the diagnostic of a workbook that
//! cannot be built.

use super::{DiagFormat, Output, Status, io};
use crate::diagnostic::{Code, Diagnostic};
use crate::output::file;
use crate::t;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// What a report's writer holds before it writes: a dense unit's csv row
/// is some 15 KB, more than `BufWriter`'s 8 KB, so each went to the file
/// in a system call of its own (20,000 of them for 20,000 units); at
/// 256 KB they go a dozen or more at a time.
const BUFFER: usize = 256 * 1024;

/// Where a report goes: standard output, or a file written whole or not
/// at all (`output::file`).
pub(super) enum Sink {
    Stdout(BufWriter<io::Stdout>),
    File(PathBuf, BufWriter<file::Target>),
}

impl Sink {
    pub(super) fn open(out: &Output, path: Option<&Path>) -> Result<Sink, Status> {
        let Some(path) = path else {
            return Ok(Sink::Stdout(BufWriter::with_capacity(BUFFER, io::Stdout)));
        };
        match file::Target::open(path) {
            Ok(t) => Ok(Sink::File(
                path.to_path_buf(),
                BufWriter::with_capacity(BUFFER, t),
            )),
            Err(e) => {
                out.diagnostics(&[e.to_diagnostic(&path.display().to_string())], None);
                Err(Status::Usage)
            }
        }
    }

    pub(super) fn writer(&mut self) -> &mut dyn Write {
        match self {
            Sink::Stdout(w) => w,
            Sink::File(_, w) => w,
        }
    }

    /// The file being written, for a writer that must be `Send` (the XLSX
    /// report's, `report::xlsx::Writer::save`); none for standard output.
    pub(super) fn file(&mut self) -> Option<&mut BufWriter<file::Target>> {
        match self {
            Sink::Stdout(_) => None,
            Sink::File(_, w) => Some(w),
        }
    }

    /// Report a failure to write the report: to a file, as K0901; to
    /// standard output, once at the end of the command (io::finish).
    pub(super) fn write_error(&self, out: &Output, e: std::io::Error) {
        if let Sink::File(path, _) = self {
            let d = file::FileError::Io(e).to_diagnostic(&path.display().to_string());
            out.diagnostics(&[d], None);
        }
    }

    /// Keep the file if all went well, else leave it as it was. `status`
    /// is the data's; `written` how writing the report went (a failure is
    /// reported here).
    pub(super) fn close(
        self,
        out: &Output,
        status: Status,
        written: std::io::Result<()>,
    ) -> Status {
        let failed = written.is_err();
        if let Err(e) = written {
            self.write_error(out, e);
        }
        match self {
            Sink::Stdout(mut w) => {
                // A failure is reported when the command ends (io::finish).
                let _ = w.flush();
                status
            }
            Sink::File(path, w) => close_file(out, &path, w, status, failed),
        }
    }
}

/// Put a report's file in place if all went well (see [`Sink::close`]).
fn close_file(
    out: &Output,
    path: &Path,
    w: BufWriter<file::Target>,
    status: Status,
    failed: bool,
) -> Status {
    let name = path.display().to_string();
    let target = match w.into_inner() {
        Ok(t) => t,
        Err(e) => {
            let e = file::FileError::Io(e.into_error());
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
            let why = t!(
                "no report written to {name}: the data has errors (see above)",
                "未写入报告 {name}：数据有错误（见上文）"
            );
            io::say(&format!("{}\n", why.get(out.lang())));
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

/// Write files whole or not at all, stopping at the first that fails.
pub(super) fn write_files(out: &Output, files: &[(PathBuf, Vec<u8>)]) -> Status {
    for (path, bytes) in files {
        if let Err(e) = file::write(path, bytes) {
            out.diagnostics(&[e.to_diagnostic(&path.display().to_string())], None);
            return Status::Usage;
        }
    }
    Status::Ok
}

/// A workbook that cannot be built: an XLSX limit the report passes.
pub(super) fn workbook_error(e: &rust_xlsxwriter::XlsxError) -> Diagnostic {
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

#[cfg(test)]
mod tests {
    use super::workbook_error;
    use crate::diagnostic::{Code, Lang};

    /// kaohe's writers keep every report within Excel's limits
    /// (tests/reliability.rs), so no input reaches this from the command
    /// line; a limit the writer library refuses still becomes K0913.
    #[test]
    fn a_limit_the_workbook_writer_refuses_is_k0913_with_what_to_do() {
        let mut sheet = rust_xlsxwriter::Worksheet::new();
        let e = sheet.set_name("名".repeat(40)).err().unwrap();
        let d = workbook_error(&e);
        assert_eq!(d.code, Code::WorkbookLimit);
        let help = d.help.as_ref().unwrap();
        assert!(help.get(Lang::Zh).contains("csv"), "{help:?}");
        assert!(
            d.message
                .get(Lang::En)
                .contains("cannot build the workbook")
        );
    }
}
