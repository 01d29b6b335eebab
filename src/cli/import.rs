//! `kaohe import FILE [-o DRAFT.kh] [--keywords zh|en] [--force]`: a
//! published table (a .docx, an .xlsx/.xls, or the text copied from a
//! Word table) turned into a
//! draft spec (src/import, docs/import.md). The draft goes to standard
//! output, or to `-o`, written whole and never over an existing file
//! without `--force`; the summary goes to standard error.

use super::{Keywords, Output, Status, io};
use crate::diagnostic::{Code, Diagnostic};
use crate::import::file;
use crate::parse::keywords::KeywordSet;
use crate::t;
use clap::Args as ClapArgs;
use std::path::PathBuf;

#[derive(ClapArgs)]
pub(crate) struct Args {
    /// The table: a Word document (.docx), a spreadsheet (.xlsx, .xls), or
    /// the text of a Word table copied into a .txt file.
    file: PathBuf,
    /// Write the draft to this file (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The keyword set of the draft (default: zh).
    #[arg(long, value_enum)]
    keywords: Option<Keywords>,
    /// Replace the -o file if it exists.
    #[arg(long)]
    force: bool,
}

pub(crate) fn run(out: &Output, args: Args) -> Status {
    let name = args.file.display().to_string();
    let ext = (args.file.extension())
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if let Some(o) = &args.output
        && !args.force
        && o.exists()
    {
        let oname = o.display().to_string();
        let d = Diagnostic::new(
            Code::ImportDraftExists,
            t!(
                "{oname} exists already: kaohe import does not replace it",
                "{oname} 已存在：kaohe import 不会覆盖它"
            ),
        )
        .in_file(&oname)
        .with_help(t!(
            "name another file with -o, or add --force to replace it",
            "请用 -o 指定另一个文件，或加上 --force 覆盖它"
        ));
        out.diagnostics(&[d], None);
        return Status::Usage;
    }
    let set = match args.keywords {
        Some(Keywords::En) => KeywordSet::En,
        _ => KeywordSet::Zh,
    };
    // Without --lang, the messages follow the draft's keywords, as they
    // follow a spec's.
    out.spec_lang.set(Some(match set {
        KeywordSet::Zh => crate::diagnostic::Lang::Zh,
        KeywordSet::En => crate::diagnostic::Lang::En,
    }));
    // A file larger than any table is refused before it is read (K0808).
    if let Ok(meta) = std::fs::metadata(&args.file)
        && meta.len() > file::FILE_CAP
    {
        out.diagnostics(&[file::too_large(&name, meta.len())], None);
        return Status::Invalid;
    }
    let result = if file::kind(&ext) == file::Kind::Text {
        // The text of a copied table: read as every text file is (UTF-8).
        let source = match out.read(&args.file) {
            Ok(s) => s,
            Err(status) => return status,
        };
        crate::import::from_text(&source.text, &source.name, set)
    } else {
        let bytes = match std::fs::read(&args.file) {
            Ok(b) => b,
            Err(e) => {
                let d = Diagnostic::new(
                    Code::Io,
                    t!("cannot read {name}: {e}", "无法读取 {name}：{e}"),
                )
                .in_file(&name);
                out.diagnostics(&[d], None);
                return Status::Usage;
            }
        };
        file::import(&bytes, &name, &ext, set)
    };
    let draft = match result {
        Ok(d) => d,
        Err(d) => {
            out.diagnostics(&[d], None);
            return Status::Invalid;
        }
    };
    out.diagnostics(&draft.warnings, None);
    let status = out.emit(args.output.as_deref(), draft.text.as_bytes());
    if status == Status::Ok {
        let lang = out.lang();
        let mut lines: Vec<String> = draft
            .summary
            .lines()
            .iter()
            .map(|l| l.get(lang).to_string())
            .collect();
        if let Some(o) = &args.output {
            let o = o.display().to_string();
            let next = t!(
                "draft written: {o}; next: kaohe check {o}",
                "草稿已写入：{o}；下一步：kaohe check {o}"
            );
            lines.push(next.get(lang).to_string());
        }
        let summary = lines.join("\n") + "\n";
        io::say(&summary);
    }
    status
}
