//! The text being edited, scored (docs/serve.md, “Scoring the text being
//! edited”). The page sends the editor's text with `POST /api/draft`; the
//! server compiles it through the language service, as `/api/check`
//! does, and refuses a text with errors (422, K0939, with its diagnostics
//! in both languages, so that nothing is scored from a spec the user has
//! not finished). A text that compiles is kept here under an id, and
//! `/api/eval`, `/api/report`, `/api/results`, `/api/chart` and
//! `/api/diff` take `draft=ID` in place of the saved spec. A result kept
//! by `/api/eval` keeps the program it was scored with and a label of the
//! version scored ([`Version`]): later saves or edits never change it.
//!
//! Bounded as the results kept are: at most [`KEPT_DRAFTS`] texts and
//! [`KEPT_BYTES`] bytes in all, each for [`KEPT_FOR`] after it was last
//! used; a draft no longer kept is K0944, and the page sends its text
//! again.

use super::State;
use super::lru;
use super::reply::{self, Refused, blocking};
use super::workspace;
use crate::diagnostic::{Code, Diagnostic, Lang, render as diag_render};
use crate::source::Source;
use crate::t;
use axum::Json;
use axum::extract::State as With;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long a draft is kept after it was last used.
pub(super) const KEPT_FOR: Duration = Duration::from_secs(60 * 60);
/// How many drafts are kept at most.
pub(super) const KEPT_DRAFTS: usize = 32;
/// How many bytes of text all the drafts kept hold at most (the newest is
/// kept whatever its size: a spec is at most 4 MiB, K0107).
pub(super) const KEPT_BYTES: usize = 32 * 1024 * 1024;

/// Which version of a spec was scored: shown with the result, kept with
/// it, and answered by `/api/draft` and `/api/eval` as `"spec"`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub(crate) struct Version {
    /// The spec's file in the workspace.
    pub path: String,
    /// The version of the text scored (the first 128 bits of its SHA-256,
    /// as a saved file's version).
    pub version: String,
    /// Whether the text scored was the file on disk when it was scored.
    pub saved: bool,
    /// The version of the file on disk then (null when it was not there).
    pub saved_version: Option<String>,
    /// When the text was scored (or sent, for a draft), in ms since 1970.
    pub at_ms: u64,
}

impl Version {
    /// The label of `text`, the spec `path`, against the disk now.
    pub(super) fn of(state: &State, path: &str, text: &str) -> Version {
        let version = workspace::version(text.as_bytes());
        let saved_version = workspace::resolve(&state.root, path)
            .ok()
            .and_then(|real| std::fs::read(real).ok())
            .map(|bytes| workspace::version(&bytes));
        Version {
            path: path.to_string(),
            saved: saved_version.as_deref() == Some(version.as_str()),
            version,
            saved_version,
            at_ms: now_ms(),
        }
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// A draft kept: the spec it is a draft of and its text.
pub(super) struct Draft {
    pub path: String,
    pub text: String,
}

const BOUNDS: lru::Bounds = lru::Bounds {
    count: KEPT_DRAFTS,
    size: KEPT_BYTES,
    time: KEPT_FOR,
};

/// The drafts kept, bounded in count and in bytes of text.
#[derive(Default)]
pub(super) struct Store(lru::Store<Draft>);

impl Store {
    /// Keep `draft`; its id. The oldest drafts go to make room.
    pub(super) fn put(&self, draft: Draft) -> Result<String, Refused> {
        let size = draft.text.len();
        self.0.put(draft, size, &BOUNDS)
    }

    /// The draft `id`, now the most recently used; K0944 when it is no
    /// longer kept.
    pub(super) fn get(&self, id: &str) -> Result<Arc<Draft>, Refused> {
        self.0.get(id, &BOUNDS).ok_or_else(gone)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.0.len(&BOUNDS)
    }
}

/// K0944: a draft no longer kept (or never made).
pub(super) fn gone() -> Refused {
    let n = KEPT_DRAFTS;
    let minutes = KEPT_FOR.as_secs() / 60;
    Refused::new(
        StatusCode::GONE,
        Diagnostic::new(
            Code::ServeDraftGone,
            t!(
                "the text sent to be scored is no longer kept by the workbench: it keeps the last {n} texts sent, each for {minutes} minutes after it was last used",
                "工作台已不再保留发来计分的文本：工作台只保留最近发来的 {n} 份文本，每份在最后一次使用后保留 {minutes} 分钟"
            ),
        )
        .with_help(t!(
            "score again under 计分 / Scores: the page sends the text being edited anew (a program calls POST /api/draft again)",
            "请在“计分”中重新计分：页面会重新发送正在编辑的文本（程序调用时请重新调用 POST /api/draft）"
        )),
    )
}

/// K0946: a draft of one spec given to score as another.
pub(super) fn other_spec(draft: &str, asked: &str) -> Refused {
    Refused::new(
        StatusCode::BAD_REQUEST,
        Diagnostic::new(
            Code::ServeDraftOtherSpec,
            t!(
                "the text sent is a draft of {draft}, and this request scores {asked}: nothing is scored, so that no score is given under the wrong spec",
                "发来的文本是 {draft} 的草稿，而此请求要按 {asked} 计分：为免按错误的规则文件计分，未进行计分"
            ),
        )
        .with_help(t!(
            "open {asked} in the editor and score again; a program sends `draft` from POST /api/draft of the same `path`, or leaves `spec` out",
            "请在编辑器中打开 {asked} 后重新计分；程序调用时，`draft` 应来自同一 `path` 的 POST /api/draft，或不写 `spec`"
        )),
    )
}

#[derive(Deserialize)]
pub(crate) struct DraftAsk {
    /// The spec the text is a draft of: a `.kh` file of the workspace.
    path: String,
    text: String,
    lang: Option<String>,
}

/// POST /api/draft `{"path", "text", "lang"?}`: the text compiled; kept
/// under an id when it has no errors: `{"draft": ID, "spec": Version}`.
/// Refused: 422 K0939 with `"diagnostics"` (in `lang`, else the spec's)
/// and `"diagnostics_en"`/`"diagnostics_zh"`; 403 K0930, 404 K0931,
/// 415 K0937 for a path that is not a spec of the workspace.
pub(crate) async fn draft(
    With(state): With<Arc<State>>,
    body: Result<Json<DraftAsk>, JsonRejection>,
) -> Result<Json<Value>, Refused> {
    let Json(ask) = body.map_err(|e| workspace::body_refused(&e))?;
    blocking(move || {
        spec_file(&state, &ask.path)?;
        let lang = super::language::lang_of(ask.lang.as_deref());
        compiles(&ask.text, &ask.path, lang)?;
        let scored = Version::of(&state, &ask.path, &ask.text);
        let id = state.drafts.put(Draft {
            path: ask.path,
            text: ask.text,
        })?;
        Ok(Json(json!({"draft": id, "spec": scored})))
    })
    .await
}

/// A spec of the workspace: inside it, named `.kh`, and there.
fn spec_file(state: &State, path: &str) -> Result<(), Refused> {
    let real = workspace::resolve(&state.root, path)?;
    if !path.to_lowercase().ends_with(".kh") {
        return Err(reply::file_kind(path));
    }
    if !real.is_file() {
        return Err(reply::no_file(path));
    }
    Ok(())
}

/// `text` compiles, or K0939 with its diagnostics in `lang` (else the
/// spec's language) and in both languages.
fn compiles(text: &str, name: &str, lang: Option<Lang>) -> Result<(), Refused> {
    let compiled = crate::service::Analysis::new(text).into_compiled();
    if compiled.program.is_some() {
        return Ok(());
    }
    let source = Source::new(name.to_string(), text.to_string());
    let lang = lang.unwrap_or_else(|| super::jobs::spec_lang(text));
    let listed = |lang: Lang| -> Value {
        let all: Vec<Value> = (compiled.diagnostics.iter())
            .map(|d| diag_render::to_json(&d.clone().in_file(name), Some(&source), lang))
            .collect();
        Value::Array(all)
    };
    let errors = compiled.diagnostics.iter().filter(|d| d.is_error()).count();
    Err(reply::spec_errors(name, errors)
        .with("diagnostics", listed(lang))
        .with("diagnostics_zh", listed(Lang::Zh))
        .with("diagnostics_en", listed(Lang::En)))
}

/// The spec a scoring request reads: the draft `draft` when given (of
/// `spec`, when that is given too: else K0946), else the saved file
/// `spec`; its name, text and the label of the version scored.
pub(super) fn spec_text(
    state: &State,
    spec: &str,
    draft: Option<&str>,
) -> Result<(String, String, Version), Refused> {
    match draft {
        Some(id) => {
            let d = state.drafts.get(id)?;
            if !spec.is_empty() && spec != d.path {
                return Err(other_spec(&d.path, spec));
            }
            let scored = Version::of(state, &d.path, &d.text);
            Ok((d.path.clone(), d.text.clone(), scored))
        }
        None => {
            let text = super::jobs::saved_text(state, spec)?;
            let scored = Version::of(state, spec, &text);
            Ok((spec.to_string(), text, scored))
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    fn draft(n: usize) -> Draft {
        Draft {
            path: "a.kh".into(),
            text: "x".repeat(n),
        }
    }

    #[test]
    fn the_store_is_bounded_in_count_and_bytes_and_keeps_what_is_used() {
        let store = Store::default();
        let first = store.put(draft(1)).unwrap();
        let ids: Vec<String> = (1..KEPT_DRAFTS)
            .map(|_| store.put(draft(1)).unwrap())
            .collect();
        assert_eq!(store.len(), KEPT_DRAFTS);
        // Using the first makes the second the oldest.
        store.get(&first).unwrap();
        store.put(draft(1)).unwrap();
        assert_eq!(store.len(), KEPT_DRAFTS);
        assert!(store.get(&first).is_ok());
        let refused = store.get(&ids[0]).err().unwrap();
        assert_eq!(
            (refused.status, refused.diagnostic.code),
            (StatusCode::GONE, Code::ServeDraftGone)
        );
        // A large draft pushes out as many as it needs.
        let big = store.put(draft(KEPT_BYTES - 3)).unwrap();
        assert!(store.len() <= 4, "{}", store.len());
        assert!(store.get(&big).is_ok());
        assert!(store.get("not-an-id").is_err());
    }
}
