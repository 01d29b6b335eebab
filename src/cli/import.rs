//! `kaohe import FILE [-o DRAFT.kh] [--keywords zh|en] [--force]`: a
//! published table (the text copied from a Word table) turned into a
//! draft spec (src/import, docs/import.md). The draft goes to standard
//! output, or to `-o`, written whole and never over an existing file
//! without `--force`; the summary goes to standard error.

use super::{Keywords, Output, Status, io};
use crate::diagnostic::{Code, Diagnostic};
use crate::parse::keywords::KeywordSet;
use crate::t;
use clap::Args as ClapArgs;
use std::path::PathBuf;

#[derive(ClapArgs)]
pub(crate) struct Args {
    /// The table: the text of a Word table copied into a .txt file.
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
    if ["docx", "doc", "xlsx", "xls", "pdf", "wps", "et"].contains(&ext.as_str()) {
        let d = Diagnostic::new(
            Code::ImportFormat,
            t!(
                "{name}: kaohe import does not read .{ext} files yet",
                "{name}：kaohe import 暂不能读取 .{ext} 文件"
            ),
        )
        .in_file(&name)
        .with_help(t!(
            "open the document, select the whole table, copy it (Ctrl+C), paste it into a new text file saved as UTF-8, and import that file",
            "请打开文档，选中整张表格复制（Ctrl+C），粘贴到新的文本文件中并以 UTF-8 编码保存，再导入该文件"
        ));
        out.diagnostics(&[d], None);
        return Status::Usage;
    }
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
    let source = match out.read(&args.file) {
        Ok(s) => s,
        Err(status) => return status,
    };
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
    let draft = match crate::import::from_text(&source.text, &source.name, set) {
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
