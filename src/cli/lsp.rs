//! `kaohe lsp`: the language server for editors (`crate::lsp`,
//! docs/editors.md), on standard input and output. Exits 0 after the
//! editor's `shutdown` and `exit`, 1 when the editor went away without
//! them, 2 when standard input or output failed.

use super::{Output, Status, io};
use crate::diagnostic::{Code, Diagnostic, render as diag_render};
use crate::t;
use clap::Args as ClapArgs;

#[derive(ClapArgs)]
pub(crate) struct Args {
    /// Accepted for editors that pass it (VS Code's client does): the
    /// server always speaks on standard input and output.
    #[arg(long)]
    stdio: bool,
}

pub(crate) fn run(out: &Output, args: Args) -> Status {
    let _ = args.stdio;
    let stdin = std::io::stdin().lock();
    let stdout = std::io::stdout().lock();
    match crate::lsp::serve(stdin, stdout) {
        Ok(true) => Status::Ok,
        Ok(false) => Status::Invalid,
        Err(e) => {
            let d = Diagnostic::new(
                Code::Io,
                t!(
                    "kaohe lsp lost its connection to the editor: {e}",
                    "kaohe lsp 与编辑器的连接中断：{e}"
                ),
            )
            .with_help(t!(
                "restart the language server from the editor (or restart the editor)",
                "请在编辑器中重新启动语言服务器（或重新启动编辑器）"
            ));
            io::say(&diag_render::to_text(&d, None, false, out.lang()));
            Status::Usage
        }
    }
}
