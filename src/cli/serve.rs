//! `kaohe serve`: the web workbench on a workspace folder (`crate::serve`,
//! docs/serve.md). Prints the address to open, then answers until stopped.

use super::{Output, Status, io};
use crate::serve::{self, Config};
use crate::t;
use clap::Args as ClapArgs;
use std::net::IpAddr;
use std::path::PathBuf;

#[derive(ClapArgs)]
pub(crate) struct Args {
    /// The workspace: the folder of the specs, test files and data (default: the current folder).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// The port to listen at (0: any free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The address to listen at; any other than loopback needs a token.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// The token every request must carry (made and printed when the host
    /// is not loopback and none is given).
    #[arg(long)]
    token: Option<String>,
    /// Open the workbench in the default browser.
    #[arg(long)]
    open: bool,
}

pub(crate) fn run(out: &Output, args: Args) -> Status {
    let config = Config {
        root: args.dir,
        host: args.host,
        port: args.port,
        token: args.token,
    };
    let server = match serve::bind(config) {
        Ok(s) => s,
        Err(d) => {
            out.diagnostics(&[d], None);
            return Status::Usage;
        }
    };
    let url = server.url();
    let root = server.root().display().to_string();
    let line = t!(
        "kaohe workbench: open {url} in a browser (workspace {root}; Ctrl+C stops it)",
        "kaohe 工作台：请在浏览器中打开 {url}（工作区 {root}；按 Ctrl+C 停止）"
    );
    // The first line is the address alone, for programs that start the workbench.
    let _ = io::print(&format!("{url}\n{}\n", line.get(out.lang())));
    if server.token().is_some() {
        let note = t!(
            "the token is part of the address: give it only to those who may change the workspace",
            "令牌是地址的一部分：只交给可以修改工作区的人"
        );
        let _ = io::print(&format!("{}\n", note.get(out.lang())));
    }
    let _ = std::io::Write::flush(&mut io::Stdout);
    if args.open {
        open_browser(&url);
    }
    match server.run() {
        Ok(()) => Status::Ok,
        Err(d) => {
            out.diagnostics(&[d], None);
            Status::Usage
        }
    }
}

/// Ask the desktop to open the address; a failure leaves the printed one.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
