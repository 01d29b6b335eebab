//! `kaohe fmt`: rewrite specs in the canonical layout, or with `--check`
//! show how they differ from it.

use super::{Keywords, Output, Status, io};
use crate::diagnostic::Diagnostic;
use crate::parse::keywords::KeywordSet;
use clap::Args as ClapArgs;
use std::path::{Path, PathBuf};

#[derive(ClapArgs)]
pub(crate) struct Args {
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Change no file; print a diff and exit 1 when a file is not formatted.
    #[arg(long)]
    check: bool,
    /// Write the keywords in this set (default: the set each file uses).
    #[arg(long, value_enum)]
    keywords: Option<Keywords>,
}

pub(crate) fn run(out: &Output, args: Args) -> Status {
    let set = args.keywords.map(|k| match k {
        Keywords::Zh => KeywordSet::Zh,
        Keywords::En => KeywordSet::En,
    });
    (args.files.iter())
        .map(|f| fmt(out, f, args.check, set))
        .max()
        .unwrap_or(Status::Ok)
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
    out.emit(Some(path), formatted.as_bytes())
}
