//! The language service over HTTP: a spec's text (and a position, as a
//! line and a UTF-16 column from 0, as JavaScript counts) in, the
//! service's answers out (docs/service.md); `check` answers with the
//! diagnostics as `kaohe check --format json` prints them, and with the
//! service's problems (positions an editor marks).

use super::reply::{self, Refused, blocking};
use super::workspace::body_refused;
use crate::diagnostic::{Lang, render};
use crate::service::{Analysis, LineCol};
use crate::source::{Source, Span};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use serde::Deserialize;
use serde_json::{Value, json};

/// What the language calls take.
#[derive(Deserialize)]
pub(crate) struct Ask {
    text: String,
    /// The file's name, for the diagnostics (default `spec.kh`).
    path: Option<String>,
    /// `zh` or `en`; by default the spec's keyword set.
    lang: Option<String>,
    line: Option<u32>,
    character: Option<u32>,
    new_name: Option<String>,
}

impl Ask {
    fn analysis(&self) -> Analysis {
        let mut a = Analysis::new(self.text.as_str());
        if let Some(lang) = lang_of(self.lang.as_deref()) {
            a.set_lang(lang);
        }
        a
    }

    fn name(&self) -> String {
        self.path.clone().unwrap_or_else(|| "spec.kh".to_string())
    }

    fn offset(&self, a: &Analysis) -> Result<usize, Refused> {
        match (self.line, self.character) {
            (Some(line), Some(character)) => Ok(a.offset(LineCol { line, character })),
            _ => Err(reply::bad_request(
                "this call needs the position: `line` and `character` (from 0)",
            )),
        }
    }
}

pub(crate) fn lang_of(code: Option<&str>) -> Option<Lang> {
    match code {
        Some("zh") => Some(Lang::Zh),
        Some("en") => Some(Lang::En),
        _ => None,
    }
}

/// Answer a language call on the blocking pool.
async fn answer(
    body: Result<Json<Ask>, JsonRejection>,
    f: impl FnOnce(Ask) -> Result<Value, Refused> + Send + 'static,
) -> Result<Json<Value>, Refused> {
    let Json(ask) = body.map_err(|e| body_refused(&e))?;
    blocking(move || f(ask)).await.map(Json)
}

/// POST /api/check: `{"ok", "diagnostics": [as kaohe check --format json], "problems": [service]}`.
pub(crate) async fn check(body: Result<Json<Ask>, JsonRejection>) -> Result<Json<Value>, Refused> {
    answer(body, |ask| Ok(checked(&ask))).await
}

/// The check of a text: the CLI's JSON and the service's problems.
fn checked(ask: &Ask) -> Value {
    let a = ask.analysis();
    let lang = a.lang();
    let source = Source::new(ask.name(), ask.text.clone());
    let diagnostics: Vec<Value> = (a.raw_diagnostics().iter())
        .map(|d| render::to_json(&d.clone().in_file(&source.name), Some(&source), lang))
        .collect();
    let ok = !a.raw_diagnostics().iter().any(|d| d.is_error());
    json!({
        "ok": ok,
        "lang": lang.code(),
        "diagnostics": diagnostics,
        "problems": a.diagnostics(),
    })
}

/// POST /api/hover: `{"hover": …}` or `{"hover": null}`.
pub(crate) async fn hover(body: Result<Json<Ask>, JsonRejection>) -> Result<Json<Value>, Refused> {
    answer(body, |ask| {
        let a = ask.analysis();
        let at = ask.offset(&a)?;
        Ok(json!({ "hover": a.hover(at) }))
    })
    .await
}

/// POST /api/complete: `{"range", "items"}`.
pub(crate) async fn complete(
    body: Result<Json<Ask>, JsonRejection>,
) -> Result<Json<Value>, Refused> {
    answer(body, |ask| {
        let a = ask.analysis();
        let at = ask.offset(&a)?;
        Ok(json!(a.completions(at)))
    })
    .await
}

/// POST /api/format: `{"text", "edits"}`, or the syntax errors that keep
/// the text from being formatted (`{"problems"}`, 422).
pub(crate) async fn format(body: Result<Json<Ask>, JsonRejection>) -> Result<Json<Value>, Refused> {
    answer(body, |ask| {
        let a = ask.analysis();
        match (a.format(), crate::fmt::format(&ask.text, None)) {
            (Ok(edits), Ok(text)) => Ok(json!({"text": text, "edits": edits})),
            (Err(problems), _) => {
                let n = problems.len();
                Err(reply::spec_errors(&ask.name(), n).with("problems", json!(problems)))
            }
            (_, Err(ds)) => Err(reply::spec_errors(&ask.name(), ds.len())),
        }
    })
    .await
}

/// POST /api/rename (with `new_name`): `{"edits"}`, or `{"refused"}`.
pub(crate) async fn rename(body: Result<Json<Ask>, JsonRejection>) -> Result<Json<Value>, Refused> {
    answer(body, |ask| {
        let a = ask.analysis();
        let at = ask.offset(&a)?;
        let Some(new_name) = ask.new_name.as_deref() else {
            return Err(reply::bad_request("a rename needs `new_name`"));
        };
        Ok(match a.rename(at, new_name) {
            Ok(edits) => json!({ "edits": edits }),
            Err(refusal) => json!({ "refused": refusal }),
        })
    })
    .await
}

/// POST /api/fixes: `{"fixes"}` of the diagnostics at the position.
pub(crate) async fn fixes(body: Result<Json<Ask>, JsonRejection>) -> Result<Json<Value>, Refused> {
    answer(body, |ask| {
        let a = ask.analysis();
        let at = ask.offset(&a)?;
        Ok(json!({ "fixes": a.quick_fixes(Span::new(at, at)) }))
    })
    .await
}
