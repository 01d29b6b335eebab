//! The workbench's results beyond the ranking (docs/serve.md): the
//! roll-up by responsible unit over every entity and the charts of an
//! uploaded dataset (`report::chart`, SVG drawn here), the spec's tests
//! as `kaohe test` runs them (`spectest`), and two versions of a spec
//! compared with the effect on the uploaded data, as `kaohe diff --data
//! --format json` (`diff`). Each answer is built from the same functions
//! the command line uses; nothing is scored a second way.

use super::State;
use super::drafts;
use super::jobs::{self, EvalQuery};
use super::language::lang_of;
use super::reply::{self, Refused, blocking};
use super::workspace;
use crate::diagnostic::{Code, Diagnostic, Lang, render as diag_render};
use crate::eval::Outcome;
use crate::report::chart::{self, Kind};
use crate::report::fmt2;
use crate::spectest;
use crate::t;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection, QueryRejection};
use axum::extract::{Query, State as With};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;

/// POST /api/results?spec=P&name=N&lang=L with the data as the body:
/// `{"units": [the roll-up over every entity], "charts": {"totals",
/// "sections", "units": SVG text}}`; only when every entity is valid, as
/// a report file (else 422 K0939 with the data's problems).
pub(crate) async fn results(
    With(state): With<Arc<State>>,
    q: Result<Query<EvalQuery>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, Refused> {
    let Query(q) = q.map_err(|e| reply::bad_request(&e.body_text()))?;
    let body = jobs::upload_body(body)?;
    blocking(move || {
        jobs::scored_valid(&state, &q, &body, |p, lang, outcomes| {
            let units: Vec<Value> = chart::unit_sums(p, outcomes)
                .into_iter()
                .map(|u| {
                    json!({
                        "unit": u.unit,
                        "at_stake": fmt2(u.at_stake),
                        "lost": fmt2(u.lost),
                        "entities_losing": u.entities_losing,
                        "vetoes": u.vetoes,
                    })
                })
                .collect();
            let charts: serde_json::Map<String, Value> = Kind::ALL
                .iter()
                .map(|k| {
                    let svg = chart::draw(*k, p, outcomes, lang);
                    (k.key().to_string(), Value::String(svg))
                })
                .collect();
            Ok(Json(json!({
                "entities": outcomes.len(),
                "units": units,
                "charts": charts,
            })))
        })
    })
    .await
}

/// POST /api/chart?spec=P&name=N&kind=totals|sections|units&lang=L with
/// the data as the body: the chart, `image/svg+xml`.
pub(crate) async fn chart(
    With(state): With<Arc<State>>,
    q: Result<Query<EvalQuery>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Refused> {
    let Query(q) = q.map_err(|e| reply::bad_request(&e.body_text()))?;
    let asked = q.kind.clone().unwrap_or_default();
    let Some(kind) = Kind::parse(&asked) else {
        return Err(reply::bad_request(&format!(
            "kind `{asked}`: a chart is totals, sections or units"
        )));
    };
    let body = jobs::upload_body(body)?;
    blocking(move || {
        jobs::scored_valid(&state, &q, &body, |p, lang, outcomes| {
            let svg = chart::draw(kind, p, outcomes, lang);
            Ok((
                [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
                svg,
            )
                .into_response())
        })
    })
    .await
}

#[derive(Deserialize)]
pub(crate) struct TestsAsk {
    /// The spec, a file of the workspace; its tests are `NAME.tests.json`.
    path: String,
    /// The text being edited, scored instead of the saved spec.
    text: Option<String>,
    lang: Option<String>,
}

/// K0945: a test case's data file outside the workspace.
fn case_outside(case: &str, data: &str, file: &str) -> Refused {
    Refused::new(
        StatusCode::FORBIDDEN,
        Diagnostic::new(
            Code::ServeCaseOutside,
            t!(
                "case “{case}” of {file} reads its data from {data}, which is outside the workspace: the workbench reads only files inside the folder it was started in",
                "{file} 中的用例“{case}”从 {data} 读取数据，该文件在工作区之外：工作台只读取启动时所在文件夹内的文件"
            ),
        )
        .in_file(file)
        .with_help(t!(
            "copy the data into the workspace and name it from the test file's folder, or start `kaohe serve` on a folder that holds both; `kaohe test` on the command line reads it as it is",
            "请把数据复制到工作区内并按测试文件所在文件夹写路径，或在同时包含两者的文件夹上启动 `kaohe serve`；命令行的 `kaohe test` 可照常读取"
        )),
    )
}

/// The data file of every case that names one, each checked to be inside
/// the workspace (links followed).
fn cases_inside(root: &Path, text: &str, dir: &Path, file: &str) -> Result<(), Refused> {
    let Ok(json) = serde_json::from_str::<Value>(text) else {
        return Ok(()); // read_cases says what is wrong with it
    };
    let cases = json.get("cases").and_then(Value::as_array);
    for (i, c) in cases.into_iter().flatten().enumerate() {
        let Some(data) = c.get("data").and_then(Value::as_str) else {
            continue;
        };
        let name = c
            .get("name")
            .and_then(Value::as_str)
            .map_or_else(|| format!("case {}", i + 1), str::to_string);
        let inside = match std::fs::canonicalize(dir.join(data)) {
            Ok(real) => real.starts_with(root),
            // Not there: where the path leads, its `..` taken as written.
            Err(_) => lexical(&dir.join(data)).starts_with(root),
        };
        if !inside {
            return Err(case_outside(&name, data, file));
        }
    }
    Ok(())
}

/// The program of the spec asked: the text given, else the saved file.
fn spec_program(
    state: &State,
    path: &str,
    text: Option<String>,
) -> Result<crate::ir::Program, Refused> {
    let text = match text {
        // A text given still names a file of the workspace.
        Some(t) => workspace::resolve(&state.root, path).map(|_| t)?,
        None => jobs::saved_text(state, path)?,
    };
    jobs::program(&text, path)
}

/// POST /api/tests `{"path", "text"?, "lang"?}`: the spec's test cases
/// (`NAME.tests.json` beside it) run as `kaohe test` runs them: `{"file",
/// "passed", "failed", "cases": [{"name", "ok", "failures", "expected",
/// "actual"}]}`.
pub(crate) async fn tests(
    With(state): With<Arc<State>>,
    body: Result<Json<TestsAsk>, JsonRejection>,
) -> Result<Json<Value>, Refused> {
    let Json(ask) = body.map_err(|e| workspace::body_refused(&e))?;
    blocking(move || {
        let lang = lang_of(ask.lang.as_deref()).unwrap_or(Lang::Zh);
        let program = spec_program(&state, &ask.path, ask.text)?;
        let file = spectest::tests_path(Path::new(&ask.path))
            .display()
            .to_string();
        let real = workspace::resolve(&state.root, &file)?;
        let Ok(text) = std::fs::read_to_string(&real) else {
            let spec = &ask.path;
            return Err(Refused::new(
                StatusCode::NOT_FOUND,
                Diagnostic::new(
                    Code::TestsMissing,
                    t!("{spec} has no test file {file}", "{spec} 没有测试文件 {file}"),
                )
                .in_file(&file)
                .with_help(t!(
                    "write the cases in that file: {{\"cases\": [{{\"name\": \"…\", \"data\": \"data.json\", \"expect\": {{\"total\": \"…\"}}}}]}}",
                    "请在该文件中写测试用例：{{\"cases\": [{{\"name\": \"…\", \"data\": \"data.json\", \"expect\": {{\"total\": \"…\"}}}}]}}"
                )),
            ));
        };
        let dir = real.parent().unwrap_or(&state.root).to_path_buf();
        cases_inside(&state.root, &text, &dir, &file)?;
        let cases = spectest::read_cases(&text, &file, &dir)
            .map_err(|d| Refused::new(StatusCode::UNPROCESSABLE_ENTITY, *d))?;
        let unknown = spectest::unknown_items(&program, &cases, &file);
        if let Some(first) = unknown.first() {
            let listed: Vec<Value> = (unknown.iter())
                .map(|d| diag_render::to_json(d, None, lang))
                .collect();
            return Err(Refused::new(StatusCode::UNPROCESSABLE_ENTITY, first.clone())
                .with("diagnostics", json!(listed)));
        }
        let mut passed = 0;
        let answered: Vec<Value> = cases
            .iter()
            .map(|case| {
                let v = spectest::run(&program, case);
                let ok = v.failures.is_empty();
                passed += usize::from(ok);
                let actual = spectest::actual(&program, case);
                json!({
                    "name": v.name,
                    "ok": ok,
                    "failures": v.failures.iter().map(|f| f.get(lang)).collect::<Vec<_>>(),
                    "expected": case.expect,
                    "actual": actual.as_ref().ok(),
                })
            })
            .collect();
        Ok(Json(json!({
            "file": file,
            "passed": passed,
            "failed": cases.len() - passed,
            "cases": answered,
        })))
    })
    .await
}

#[derive(Deserialize)]
pub(crate) struct DiffQuery {
    /// The earlier spec: a file of the workspace …
    old: String,
    /// … or, with `old_id`, a version of it kept in its history.
    old_id: Option<String>,
    /// The spec compared with it (saved) …
    #[serde(default)]
    new: String,
    /// … or the text being edited, sent to `/api/draft` (`drafts`).
    draft: Option<String>,
    /// The uploaded data's name, when there is data (the body).
    name: Option<String>,
    /// Several files in one upload, as `/api/eval` takes them.
    parts: Option<String>,
    lang: Option<String>,
}

/// POST /api/diff?old=P&old_id=ID&new=Q&draft=D&name=N&parts=J with the
/// data (if any) as the body, one file or several as `/api/eval` takes
/// them: `{"diff": as kaohe diff OLD NEW --data N --format json,
/// "diagnostics": [the data's problems], "spec": the version of the new
/// spec compared}`.
pub(crate) async fn diff(
    With(state): With<Arc<State>>,
    q: Result<Query<DiffQuery>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, Refused> {
    let Query(q) = q.map_err(|e| reply::bad_request(&e.body_text()))?;
    let body = jobs::upload_body(body)?;
    blocking(move || {
        let old_text = match &q.old_id {
            Some(id) => workspace::kept_text(&state.root, &q.old, id)?,
            None => jobs::saved_text(&state, &q.old)?,
        };
        let old_name = match &q.old_id {
            Some(id) => format!("{} ({id})", q.old),
            None => q.old.clone(),
        };
        let old = jobs::program(&old_text, &old_name)?;
        let (new_name, new_text, version) = drafts::spec_text(&state, &q.new, q.draft.as_deref())?;
        let new = jobs::program(&new_text, &new_name)?;
        let changes = crate::diff::changes(&old, &new);
        let lang = lang_of(q.lang.as_deref()).unwrap_or(new.header.lang);
        let name = q.name.as_deref().unwrap_or_default();
        if body.is_empty() || (name.is_empty() && q.parts.is_none()) {
            return Ok(Json(json!({
                "diff": crate::diff::json(&old, &new, &changes, None),
                "diagnostics": [],
                "spec": version,
            })));
        }
        // As `kaohe diff --data`: the items whose inputs the data lacks
        // are left out of both (read from one JSON file; other data, or
        // several files, gives none).
        let text = match q.parts {
            None => std::str::from_utf8(&body).unwrap_or(""),
            Some(_) => "",
        };
        let scoring = crate::diff::Scoring::prepare(&old, &new, text);
        // Several files are placed by the new spec's list inputs, as
        // `/api/eval` places them.
        let up = jobs::upload_parts(&new, name, q.parts.as_deref(), &body)?;
        let before = jobs::score_with(&scoring.old, &q.old, &up.data, true);
        let after = jobs::score_with(&scoring.new, &new_name, &up.data, true);
        let effects = crate::diff::effects(&old, &new, &scoring, &valid(&before), &valid(&after));
        let mut problems = jobs::renamed_problems(&before, &up, lang);
        // A problem of the data is told once, not once per spec.
        for p in jobs::renamed_problems(&after, &up, lang) {
            if !problems.contains(&p) {
                problems.push(p);
            }
        }
        Ok(Json(json!({
            "diff": crate::diff::json(&old, &new, &changes, Some(&effects)),
            "diagnostics": problems,
            "spec": version,
        })))
    })
    .await
}

/// The entities scored, each with its outcome, as `diff::effects` takes them.
fn valid<'a, 'p>(s: &'a jobs::Scored<'p>) -> Vec<(&'a crate::data::Entity, Outcome<'p>)> {
    s.scored.iter().map(|(e, o)| (e, o.clone())).collect()
}

/// A path with its `.` and `..` parts resolved as written (no links).
fn lexical(path: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
