//! `kaohe serve`: the web workbench (docs/serve.md). An HTTP server on
//! loopback by default (axum on tokio) that serves the page embedded in the
//! binary (`assets`) and an API over the workspace folder: its files, read
//! and saved with a version and a history so that nothing typed is lost
//! (`workspace`), the language service (`language`) and the jobs of the
//! command line, check, render, template and eval, answering with the same
//! JSON and the same bytes (`jobs`). Every request passes `guard` (the
//! token, the Host, the header state-changing calls need, the
//! Content-Security-Policy); every refusal is a coded JSON answer
//! (`reply`), never a panic.

// `bind`, `run` and the token return the one `Diagnostic` the CLI prints,
// once, as the data and parse stages do.
#![allow(clippy::result_large_err)]

mod assets;
mod drafts;
mod guard;
mod jobs;
mod kept;
mod keywords;
mod language;
mod lru;
mod reply;
mod results;
mod workspace;

use crate::diagnostic::{Code, Diagnostic};
use crate::t;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The largest request body: a spec is at most 4 MiB (K0107), a data
/// upload at most this.
pub(crate) const UPLOAD_LIMIT: usize = 32 * 1024 * 1024;

/// What `kaohe serve` was asked for.
pub(crate) struct Config {
    pub root: PathBuf,
    pub host: IpAddr,
    pub port: u16,
    pub token: Option<String>,
}

/// What every request reads.
pub(crate) struct State {
    /// The workspace, canonical: every path served is inside it.
    root: PathBuf,
    /// Required on every request when set (always, off loopback).
    token: Option<String>,
    /// The port listened on, for the Host check.
    port: u16,
    loopback: bool,
    /// Saves and restores one at a time, so that a version read is the
    /// version replaced.
    saving: Mutex<()>,
    /// Uploads scored, kept for a unit's page and the files made from
    /// them (`kept`): bounded in count, entities and time.
    kept: kept::Store,
    /// The texts being edited, sent to be scored (`drafts`).
    drafts: drafts::Store,
}

/// A server bound to its address, not yet answering.
pub(crate) struct Server {
    listener: std::net::TcpListener,
    state: Arc<State>,
}

/// Bind the address and check the workspace; a token is made when the
/// host is not loopback and none was given.
pub(crate) fn bind(config: Config) -> Result<Server, Diagnostic> {
    let shown = config.root.display().to_string();
    let root = std::fs::canonicalize(&config.root)
        .ok()
        .filter(|r| r.is_dir())
        .ok_or_else(|| reply::no_workspace(&shown))?;
    let loopback = config.host.is_loopback();
    let token = match config.token {
        Some(t) if !t.is_empty() => Some(t),
        _ if loopback => None,
        _ => Some(guard::new_token()?),
    };
    let addr = SocketAddr::new(config.host, config.port);
    let listener = std::net::TcpListener::bind(addr).map_err(|e| reply::cannot_bind(&addr, &e))?;
    let port = listener
        .local_addr()
        .map_err(|e| reply::cannot_bind(&addr, &e))?
        .port();
    let state = State {
        root,
        token,
        port,
        loopback,
        saving: Mutex::new(()),
        kept: kept::Store::default(),
        drafts: drafts::Store::default(),
    };
    Ok(Server {
        listener,
        state: Arc::new(state),
    })
}

impl Server {
    /// The address to open in a browser (with the token when there is one).
    pub(crate) fn url(&self) -> String {
        let host = match self.listener.local_addr() {
            Ok(SocketAddr::V6(a)) => format!("[{}]", a.ip()),
            Ok(a) => a.ip().to_string(),
            Err(_) => "127.0.0.1".to_string(),
        };
        let base = format!("http://{host}:{}/", self.state.port);
        match &self.state.token {
            Some(t) => format!("{base}?token={t}"),
            None => base,
        }
    }

    pub(crate) fn root(&self) -> &Path {
        &self.state.root
    }

    pub(crate) fn token(&self) -> Option<&str> {
        self.state.token.as_deref()
    }

    /// Answer requests until the process ends.
    pub(crate) fn run(self) -> Result<(), Diagnostic> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_io()
            .build()
            .map_err(|e| io_failed(&e))?;
        runtime.block_on(async move {
            self.listener
                .set_nonblocking(true)
                .map_err(|e| io_failed(&e))?;
            let listener =
                tokio::net::TcpListener::from_std(self.listener).map_err(|e| io_failed(&e))?;
            axum::serve(listener, router(self.state))
                .await
                .map_err(|e| io_failed(&e))
        })
    }
}

fn io_failed(e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Code::Io,
        t!("the workbench stopped: {e}", "工作台已停止：{e}"),
    )
    .with_help(t!(
        "start it again with `kaohe serve`",
        "请用 `kaohe serve` 重新启动"
    ))
}

/// Every route, behind the guard.
fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/{name}", get(assets::asset))
        .route("/api/files", get(workspace::list))
        .route("/api/file", get(workspace::read).put(workspace::save))
        .route("/api/history", get(workspace::history))
        .route("/api/history/text", get(workspace::history_text))
        .route("/api/history/restore", post(workspace::restore))
        .route("/api/check", post(language::check))
        .route("/api/hover", post(language::hover))
        .route("/api/complete", post(language::complete))
        .route("/api/format", post(language::format))
        .route("/api/rename", post(language::rename))
        .route("/api/fixes", post(language::fixes))
        // The editor's highlighting: the keyword table of the grammar.
        .route("/api/keywords", get(keywords::list))
        .route("/api/render", post(jobs::render))
        .route("/api/template", post(jobs::template))
        // The text being edited, compiled and kept to be scored (drafts.rs).
        .route("/api/draft", post(drafts::draft))
        .route("/api/eval", post(jobs::eval))
        .route("/api/report", post(jobs::report))
        // One unit of an upload kept by /api/eval (kept.rs).
        .route("/api/unit", get(jobs::unit))
        // The results, charts, tests and comparison (results.rs).
        .route("/api/results", post(results::results))
        .route("/api/chart", post(results::chart))
        .route("/api/tests", post(results::tests))
        .route("/api/diff", post(results::diff))
        .fallback(reply::not_found)
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::guard,
        ))
        .with_state(state)
}
