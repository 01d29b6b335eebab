//! The command line's jobs over HTTP, giving what it gives for the same
//! inputs: the official table as `kaohe render --format html`, the data
//! template as `kaohe template`, and an uploaded data file scored by a
//! spec of the workspace, as the JSON report of `kaohe eval --format json`
//! with every data problem (by file, sheet, row and column), or as the
//! report file `kaohe eval --format F -o FILE` writes, byte for byte.

use super::State;
use super::language::lang_of;
use super::reply::{self, Refused, blocking};
use super::workspace::{self, body_refused};
use crate::data::Entity;
use crate::diagnostic::{Diagnostic, Lang, render as diag_render};
use crate::eval::{self, Outcome};
use crate::ir::Program;
use crate::report;
use crate::report::stream::{Format, Stream};
use crate::source::Source;
use crate::template::{files, json as template_json};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection, QueryRejection};
use axum::extract::{Query, State as With};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A spec's text, for render and template.
#[derive(Deserialize)]
pub(crate) struct SpecText {
    text: String,
    path: Option<String>,
    #[serde(default)]
    by_unit: bool,
}

/// The program of a spec's text, or K0939 with its diagnostics (as
/// `kaohe check --format json` prints them).
pub(super) fn program(text: &str, name: &str) -> Result<Program, Refused> {
    let compiled = crate::service::Analysis::new(text).into_compiled();
    match compiled.program {
        Some(p) => Ok(p),
        None => {
            let source = Source::new(name.to_string(), text.to_string());
            let lang = spec_lang(text);
            let errors = compiled.diagnostics.iter().filter(|d| d.is_error()).count();
            let listed: Vec<Value> = (compiled.diagnostics.iter())
                .map(|d| diag_render::to_json(&d.clone().in_file(name), Some(&source), lang))
                .collect();
            Err(reply::spec_errors(name, errors).with("diagnostics", json!(listed)))
        }
    }
}

/// The language of a spec's keywords, as the CLI's default.
fn spec_lang(text: &str) -> Lang {
    match crate::parse::keywords::detect(text) {
        Some(crate::parse::keywords::KeywordSet::En) => Lang::En,
        _ => Lang::Zh,
    }
}

fn bytes_of(content_type: &'static str, file: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{file}\"");
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

/// POST /api/render `{"text", "path"?, "by_unit"?}`: the official table,
/// the HTML `kaohe render --format html` prints.
pub(crate) async fn render(
    body: Result<Json<SpecText>, JsonRejection>,
) -> Result<Response, Refused> {
    let Json(ask) = body.map_err(|e| body_refused(&e))?;
    blocking(move || {
        let name = ask.path.clone().unwrap_or_else(|| "spec.kh".to_string());
        let p = program(&ask.text, &name)?;
        let table = if ask.by_unit {
            crate::render::by_unit(&p)
        } else {
            crate::render::official(&p)
        };
        let html = crate::render::html(&table);
        Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
    })
    .await
}

#[derive(Deserialize)]
pub(crate) struct TemplateQuery {
    format: Option<String>,
}

/// POST /api/template?format=json|csv|xlsx `{"text", "path"?}`: the data
/// template `kaohe template` writes (a CSV template only when it is one
/// file: K0940 otherwise).
pub(crate) async fn template(
    q: Result<Query<TemplateQuery>, QueryRejection>,
    body: Result<Json<SpecText>, JsonRejection>,
) -> Result<Response, Refused> {
    let Query(q) = q.map_err(|e| reply::bad_request(&e.body_text()))?;
    let Json(ask) = body.map_err(|e| body_refused(&e))?;
    blocking(move || {
        let name = ask.path.clone().unwrap_or_else(|| "spec.kh".to_string());
        let p = program(&ask.text, &name)?;
        match q.format.as_deref().unwrap_or("json") {
            "json" => {
                let text = format!("{:#}\n", template_json::template(&p));
                Ok(bytes_of(
                    "application/json",
                    "template.json",
                    text.into_bytes(),
                ))
            }
            "csv" => {
                let mut made = files::csv_files(&p, "template", &[]);
                match (made.len(), made.pop()) {
                    (1, Some((_, text))) => Ok(bytes_of(
                        "text/csv; charset=utf-8",
                        "template.csv",
                        text.into_bytes(),
                    )),
                    (n, _) => Err(reply::template_files(n)),
                }
            }
            "xlsx" => match files::xlsx(&p, &[]) {
                Ok(b) => Ok(bytes_of(XLSX, "template.xlsx", b)),
                Err(e) => Err(workbook(&e)),
            },
            other => Err(reply::bad_request(&format!(
                "format `{other}`: the template is json, csv or xlsx"
            ))),
        }
    })
    .await
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn workbook(e: &rust_xlsxwriter::XlsxError) -> Refused {
    let e = e.to_string();
    Refused::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        Diagnostic::new(
            crate::diagnostic::Code::WorkbookLimit,
            crate::t!("cannot build the workbook: {e}", "无法生成工作簿：{e}"),
        ),
    )
}

#[derive(Deserialize)]
pub(crate) struct EvalQuery {
    /// The spec, a file of the workspace.
    spec: String,
    /// The uploaded file's name; its extension says how it is read.
    name: String,
    format: Option<String>,
    lang: Option<String>,
    /// The chart asked for (`/api/chart`).
    pub(super) kind: Option<String>,
}

/// An uploaded data file, in a folder of its own that goes when it does.
pub(super) struct Upload {
    dir: PathBuf,
    pub(super) path: PathBuf,
}

impl Drop for Upload {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

static UPLOADS: AtomicU64 = AtomicU64::new(0);

pub(super) fn upload(name: &str, bytes: &[u8]) -> Result<Upload, Refused> {
    let plain = !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\\', '\0']);
    if !plain {
        return Err(reply::bad_request(
            "`name` is the uploaded file's name, such as `data.xlsx`, without a folder",
        ));
    }
    let n = UPLOADS.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("kaohe-serve-{}-{n}", std::process::id()));
    let up = Upload {
        path: dir.join(name),
        dir,
    };
    std::fs::create_dir_all(&up.dir).map_err(|e| reply::io(name, &e))?;
    std::fs::write(&up.path, bytes).map_err(|e| reply::io(name, &e))?;
    Ok(up)
}

/// The data scored: the entities with their outcomes, and every problem.
pub(super) struct Scored<'p> {
    pub(super) scored: Vec<(Entity, Outcome<'p>)>,
    problems: Vec<(Diagnostic, bool)>,
    valid: bool,
}

/// Score every entity of the uploaded file, as `kaohe eval` does.
pub(super) fn score<'p>(program: &'p Program, spec: &str, path: &Path) -> Scored<'p> {
    let mut out = Scored {
        scored: Vec::new(),
        problems: Vec::new(),
        valid: true,
    };
    let entities = match crate::data::open_strict(program, path, false) {
        Ok(it) => it,
        Err(d) => {
            out.valid = false;
            out.problems.push((d, false));
            return out;
        }
    };
    for read in entities {
        match read {
            Ok(entity) => match eval::evaluate_with(program, &entity, true) {
                Ok(o) => out.scored.push((entity, o)),
                Err(e) => {
                    out.valid = false;
                    out.problems
                        .push((e.to_diagnostic(&entity.id).in_file(spec), true));
                }
            },
            Err(d) => {
                out.valid &= !d.is_error();
                out.problems.push((d, false));
            }
        }
    }
    out
}

/// The report `kaohe eval --format F -o FILE` writes.
fn report_bytes(
    program: &Program,
    scored: &[(Entity, Outcome)],
    format: &str,
) -> Result<Vec<u8>, Refused> {
    let mut w: Vec<u8> = Vec::new();
    let stream = |f: Format, w: &mut Vec<u8>| -> std::io::Result<()> {
        let mut s = Stream::new(program, f, false);
        s.begin(w)?;
        for (e, o) in scored {
            s.entity(w, e, o, None)?;
        }
        s.end(w)
    };
    let written = match format {
        "json" => stream(Format::Json, &mut w),
        "jsonl" => stream(Format::Jsonl, &mut w),
        "csv" => stream(Format::Csv, &mut w),
        "table" => stream(Format::Table, &mut w),
        "html" => {
            let refs: Vec<(&Entity, Outcome)> =
                scored.iter().map(|(e, o)| (e, o.clone())).collect();
            w = report::html::report(program, &refs).into_bytes();
            Ok(())
        }
        "xlsx" => {
            let refs: Vec<(&Entity, Outcome)> =
                scored.iter().map(|(e, o)| (e, o.clone())).collect();
            w = report::xlsx::report(program, &refs).map_err(|e| workbook(&e))?;
            Ok(())
        }
        other => {
            return Err(reply::bad_request(&format!(
                "format `{other}`: a report is json, jsonl, csv, table, html or xlsx"
            )));
        }
    };
    written.map_err(|e| reply::io("report", &e))?;
    Ok(w)
}

/// The problems as `kaohe check --format json` prints diagnostics, the
/// upload's folder replaced by nothing so that the file is named as the
/// user named it.
fn problems_json(s: &Scored, spec: &Source, up: &Upload, name: &str, lang: Lang) -> Vec<Value> {
    let tmp = up.path.display().to_string();
    s.problems
        .iter()
        .map(|(d, of_spec)| {
            let mut v = diag_render::to_json(d, of_spec.then_some(spec), lang);
            rename(&mut v, &tmp, name);
            v
        })
        .collect()
}

fn rename(v: &mut Value, from: &str, to: &str) {
    match v {
        Value::String(s) if s.contains(from) => *s = s.replace(from, to),
        Value::Array(a) => a.iter_mut().for_each(|x| rename(x, from, to)),
        Value::Object(m) => m.values_mut().for_each(|x| rename(x, from, to)),
        _ => {}
    }
}

/// The spec of the workspace a scoring reads.
fn spec_of(state: &State, rel: &str) -> Result<(Source, Program), Refused> {
    let text = saved_text(state, rel)?;
    let p = program(&text, rel)?;
    Ok((Source::new(rel.to_string(), text), p))
}

pub(super) fn upload_body(body: Result<Bytes, BytesRejection>) -> Result<Bytes, Refused> {
    body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            reply::too_large()
        } else {
            reply::bad_request(&e.body_text())
        }
    })
}

/// POST /api/eval?spec=P&name=N with the data file as the body: `{"ok",
/// "items": [{"id", "title"}], "report": (kaohe eval --format json),
/// "diagnostics"}`.
pub(crate) async fn eval(
    With(state): With<Arc<State>>,
    q: Result<Query<EvalQuery>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, Refused> {
    let Query(q) = q.map_err(|e| reply::bad_request(&e.body_text()))?;
    let body = upload_body(body)?;
    blocking(move || {
        scored_upload(&state, &q, &body, |source, p, lang, up, s| {
            let bytes = report_bytes(p, &s.scored, "json")?;
            let report: Value =
                serde_json::from_slice(&bytes).map_err(|e| reply::bad_request(&e.to_string()))?;
            let titles: Vec<Value> = (p.items.iter())
                .map(|i| json!({"id": i.id, "title": i.title}))
                .collect();
            Ok(Json(json!({
                "ok": s.valid,
                "items": titles,
                "report": report,
                "diagnostics": problems_json(&s, source, up, &q.name, lang),
            })))
        })
    })
    .await
}

/// POST /api/report?spec=P&name=N&format=F with the data file as the
/// body: the report file, the bytes `kaohe eval --format F -o FILE`
/// writes, only when every entity is valid (as `-o` keeps its file only
/// then); else K0939's sibling, the data's problems, 422.
pub(crate) async fn report(
    With(state): With<Arc<State>>,
    q: Result<Query<EvalQuery>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Refused> {
    let Query(q) = q.map_err(|e| reply::bad_request(&e.body_text()))?;
    let body = upload_body(body)?;
    blocking(move || {
        scored_upload(&state, &q, &body, |source, p, lang, up, s| {
            if !s.valid {
                let listed = problems_json(&s, source, up, &q.name, lang);
                let errors = s.problems.iter().filter(|(d, _)| d.is_error()).count();
                return Err(reply::data_errors(&q.name, errors).with("diagnostics", json!(listed)));
            }
            let format = q.format.clone().unwrap_or_else(|| "json".to_string());
            let bytes = report_bytes(p, &s.scored, &format)?;
            let (kind, file) = match format.as_str() {
                "xlsx" => (XLSX, "report.xlsx"),
                "html" => ("text/html; charset=utf-8", "report.html"),
                "csv" => ("text/csv; charset=utf-8", "report.csv"),
                "jsonl" => ("application/jsonl", "report.jsonl"),
                "table" => ("text/plain; charset=utf-8", "report.txt"),
                _ => ("application/json", "report.json"),
            };
            Ok(bytes_of(kind, file, bytes))
        })
    })
    .await
}

/// The saved spec `q.spec` and the uploaded data scored by it, handed to
/// `then` with the spec's text, the language of the answer and the
/// upload (its temporary folder lives as long as the call).
fn scored_upload<T>(
    state: &State,
    q: &EvalQuery,
    body: &[u8],
    then: impl FnOnce(&Source, &Program, Lang, &Upload, Scored<'_>) -> Result<T, Refused>,
) -> Result<T, Refused> {
    let (source, p) = spec_of(state, &q.spec)?;
    let lang = lang_of(q.lang.as_deref()).unwrap_or(p.header.lang);
    let up = upload(&q.name, body)?;
    let s = score(&p, &q.spec, &up.path);
    then(&source, &p, lang, &up, s)
}

/// The text of a saved spec of the workspace.
pub(super) fn saved_text(state: &State, rel: &str) -> Result<String, Refused> {
    let real = workspace::resolve(&state.root, rel)?;
    let bytes = std::fs::read(&real).map_err(|_| reply::no_file(rel))?;
    String::from_utf8(bytes).map_err(|_| reply::not_utf8(rel))
}

/// The problems of a scoring, as `kaohe check --format json` prints
/// diagnostics, the upload's folder replaced by the name the user gave.
pub(super) fn renamed_problems(s: &Scored, up: &Upload, name: &str, lang: Lang) -> Vec<Value> {
    let tmp = up.path.display().to_string();
    (s.problems.iter())
        .map(|(d, _)| {
            let mut v = diag_render::to_json(d, None, lang);
            rename(&mut v, &tmp, name);
            v
        })
        .collect()
}

/// The saved spec `q.spec` and the uploaded data scored by it, handed to
/// `then` with the language of the answer and every outcome, only when
/// every entity is valid (as a report file is made only then): else 422,
/// K0939, with the data's problems.
pub(super) fn scored_valid<T>(
    state: &State,
    q: &EvalQuery,
    body: &[u8],
    then: impl FnOnce(&Program, Lang, &[&Outcome]) -> Result<T, Refused>,
) -> Result<T, Refused> {
    scored_upload(state, q, body, |source, p, lang, up, s| {
        if !s.valid {
            let listed = problems_json(&s, source, up, &q.name, lang);
            let errors = s.problems.iter().filter(|(d, _)| d.is_error()).count();
            return Err(reply::data_errors(&q.name, errors).with("diagnostics", json!(listed)));
        }
        let outcomes: Vec<&Outcome> = s.scored.iter().map(|(_, o)| o).collect();
        then(p, lang, &outcomes)
    })
}
