//! The command line's jobs over HTTP, giving what it gives for the same
//! inputs: the official table as `kaohe render --format html`, the data
//! template as `kaohe template`, and an uploaded data file scored by a
//! spec of the workspace, as the JSON report of `kaohe eval --format json`
//! with every data problem (by file, sheet, row and column), or as the
//! report file `kaohe eval --format F -o FILE` writes, byte for byte.

use super::State;
use super::drafts::{self, Version};
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
pub(super) fn spec_lang(text: &str) -> Lang {
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
    #[serde(default)]
    spec: String,
    /// The text being edited, sent to `/api/draft`: scored instead of the
    /// saved spec (`drafts`).
    draft: Option<String>,
    /// The uploaded file's name; its extension says how it is read.
    #[serde(default)]
    name: String,
    /// A result kept by `/api/eval` (`kept`): its data and program, instead
    /// of an upload in the body.
    pub(super) result: Option<String>,
    format: Option<String>,
    lang: Option<String>,
    /// The chart asked for (`/api/chart`).
    pub(super) kind: Option<String>,
    /// Several files in one upload (`upload_of`): a JSON array of
    /// `{"name", "size"}`, the body their bytes one after another.
    parts: Option<String>,
}

/// An uploaded data file, in a folder of its own that goes when it does;
/// or several (`upload_of`).
pub(super) struct Upload {
    dir: PathBuf,
    /// The first data file.
    pub(super) path: PathBuf,
    /// Every data file, scored one after another as `kaohe eval SPEC
    /// DATA…` scores them (list files are not data files: they are read
    /// beside theirs).
    pub(super) data: Vec<PathBuf>,
    /// Each file's place in the folder and the name the user gave it, for
    /// the problems: the user's names, never the folder's.
    shown: Vec<(String, String)>,
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
    let mut up = new_upload();
    up.path = up.dir.join(name);
    up.data = vec![up.path.clone()];
    up.shown = vec![(up.path.display().to_string(), name.to_string())];
    std::fs::create_dir_all(&up.dir).map_err(|e| reply::io(name, &e))?;
    std::fs::write(&up.path, bytes).map_err(|e| reply::io(name, &e))?;
    Ok(up)
}

/// A folder of its own for an upload, not yet made.
fn new_upload() -> Upload {
    let n = UPLOADS.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("kaohe-serve-{}-{n}", std::process::id()));
    Upload {
        path: dir.clone(),
        data: Vec::new(),
        shown: Vec::new(),
        dir,
    }
}

/// One file of an upload of several: its name and size.
#[derive(Deserialize)]
struct Part {
    name: String,
    size: usize,
}

/// The upload of `q`: one file named `name`, or several (`parts`), placed
/// as `kaohe eval` finds them: a CSV file whose name is a list input's
/// (`meetings.csv`) goes in the folder beside the one CSV file of the
/// entities (`DATA/meetings.csv` beside `DATA.csv`); every other file is a
/// data file, scored in the order given. List files without exactly one
/// CSV file of entities: K0943.
fn upload_of(program: &Program, q: &EvalQuery, body: &[u8]) -> Result<Upload, Refused> {
    upload_parts(program, &q.name, q.parts.as_deref(), body)
}

/// [`upload_of`] for any call: one file named `name`, or several.
pub(super) fn upload_parts(
    program: &Program,
    name: &str,
    parts: Option<&str>,
    body: &[u8],
) -> Result<Upload, Refused> {
    let Some(parts) = parts else {
        return upload(name, body);
    };
    let parts: Vec<Part> = serde_json::from_str(parts).map_err(|e| {
        reply::bad_request(&format!(
            "`parts` is a JSON list of {{\"name\", \"size\"}}, one for each file of the body: {e}"
        ))
    })?;
    let total = (parts.iter()).try_fold(0usize, |sum, p| sum.checked_add(p.size));
    if parts.is_empty() || total != Some(body.len()) {
        let total = total.map_or_else(|| "more".to_string(), |t| t.to_string());
        return Err(reply::bad_request(&format!(
            "the sizes in `parts` add up to {total} bytes, and the body has {}",
            body.len()
        )));
    }
    let mut seen = std::collections::HashSet::new();
    for p in &parts {
        let plain =
            !p.name.is_empty() && !p.name.starts_with('.') && !p.name.contains(['/', '\\', '\0']);
        if !plain || !seen.insert(p.name.to_lowercase()) {
            return Err(reply::bad_request(&format!(
                "`{}`: each file of an upload is named once, without a folder, such as `data.csv`",
                p.name
            )));
        }
    }
    let csv = |n: &str| n.to_lowercase().ends_with(".csv");
    let list_names: Vec<String> = (program.inputs.iter())
        .filter(|i| matches!(i.ty, crate::ir::Ty::List(_)))
        .map(|i| format!("{}.csv", i.name).to_lowercase())
        .collect();
    let is_list = |n: &str| list_names.contains(&n.to_lowercase());
    let lists: Vec<&str> = (parts.iter().map(|p| p.name.as_str()))
        .filter(|n| is_list(n))
        .collect();
    let tables: Vec<&str> = (parts.iter().map(|p| p.name.as_str()))
        .filter(|n| !is_list(n) && csv(n))
        .collect();
    let beside = match (lists.is_empty(), tables.as_slice()) {
        (true, _) => None,
        (false, [one]) => Path::new(one)
            .file_stem()
            .map(|s| s.to_string_lossy().to_string()),
        (false, _) => return Err(lists_without_table(&lists, &tables)),
    };
    let mut up = new_upload();
    let mut at = 0usize;
    for p in &parts {
        // The sizes add up to the body's length (above).
        let bytes = body.get(at..at.saturating_add(p.size)).unwrap_or_default();
        at = at.saturating_add(p.size);
        let place = match (&beside, is_list(&p.name)) {
            (Some(stem), true) => up.dir.join(stem).join(&p.name),
            _ => up.dir.join(&p.name),
        };
        if let Some(folder) = place.parent() {
            std::fs::create_dir_all(folder).map_err(|e| reply::io(&p.name, &e))?;
        }
        std::fs::write(&place, bytes).map_err(|e| reply::io(&p.name, &e))?;
        up.shown.push((place.display().to_string(), p.name.clone()));
        if !is_list(&p.name) || beside.is_none() {
            up.data.push(place);
        }
    }
    if let Some(stem) = &beside {
        let folder = up.dir.join(stem);
        up.shown.push((folder.display().to_string(), stem.clone()));
    }
    up.path = up.data.first().cloned().unwrap_or_else(|| up.dir.clone());
    Ok(up)
}

/// K0943: list files uploaded without exactly one CSV file of entities.
fn lists_without_table(lists: &[&str], tables: &[&str]) -> Refused {
    let lists = lists.join(", ");
    let n = tables.len();
    let tables = tables.join(", ");
    Refused::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        Diagnostic::new(
            crate::diagnostic::Code::ServeListFiles,
            crate::t!(
                "{lists}: a list file is read beside the CSV file of the assessed units, and this upload has {n} such file(s) ({tables})",
                "{lists}：列表文件要与被考核单位的 CSV 文件一起读取，而这次上传中有 {n} 个这样的文件（{tables}）"
            ),
        )
        .with_help(crate::t!(
            "upload the CSV file with one row per assessed unit (e.g. data.csv) together with its list files (named after the lists, e.g. meetings.csv), one dataset at a time; or upload the data as one .xlsx or .json file",
            "请把每行一个被考核单位的 CSV 文件（如 data.csv）与其列表文件（以列表命名，如 meetings.csv）一起上传，每次一套数据；或把数据作为一个 .xlsx 或 .json 文件上传"
        )),
    )
}

/// The data scored: the entities with their outcomes, and every problem.
pub(super) struct Scored<'p> {
    pub(super) scored: Vec<(Entity, Outcome<'p>)>,
    problems: Vec<(Diagnostic, bool)>,
    valid: bool,
}

/// Score every entity of every data file in turn, as `kaohe eval` does,
/// recording the explanation lines only when `explain`.
pub(super) fn score_with<'p>(
    program: &'p Program,
    spec: &str,
    paths: &[PathBuf],
    explain: bool,
) -> Scored<'p> {
    let mut out = Scored {
        scored: Vec::new(),
        problems: Vec::new(),
        valid: true,
    };
    let mut across = crate::data::Across::new(paths.len());
    for path in paths {
        score_file(&mut out, program, spec, path, explain, &mut across);
    }
    out
}

fn score_file<'p>(
    out: &mut Scored<'p>,
    program: &'p Program,
    spec: &str,
    path: &Path,
    explain: bool,
    across: &mut crate::data::Across,
) {
    let entities = match crate::data::open_strict(program, path, false) {
        Ok(it) => it,
        Err(d) => {
            out.valid = false;
            out.problems.push((d, false));
            return;
        }
    };
    for read in across.file(&path.display().to_string(), entities) {
        match read {
            Ok(entity) => match eval::evaluate_with(program, &entity, explain) {
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
}

/// The report `kaohe eval --format F -o FILE` writes.
fn report_bytes(
    program: &Program,
    scored: &[(&Entity, Outcome)],
    format: &str,
) -> Result<Vec<u8>, Refused> {
    let mut w: Vec<u8> = Vec::new();
    let stream = |f: Format, w: &mut Vec<u8>| -> std::io::Result<()> {
        let mut s = Stream::new(program, f, false);
        s.begin(w)?;
        for (e, o) in scored {
            s.entity(w, e, o)?;
        }
        s.end(w)
    };
    let written = match format {
        "json" => stream(Format::Json, &mut w),
        "jsonl" => stream(Format::Jsonl, &mut w),
        "csv" => stream(Format::Csv, &mut w),
        "table" => stream(Format::Table, &mut w),
        "html" => {
            w = report::html::report(program, scored).into_bytes();
            Ok(())
        }
        "xlsx" => {
            w = report::xlsx::report(program, scored).map_err(|e| workbook(&e))?;
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
fn problems_json(s: &Scored, spec: &Source, up: &Upload, lang: Lang) -> Vec<Value> {
    s.problems
        .iter()
        .map(|(d, of_spec)| {
            let mut v = diag_render::to_json(d, of_spec.then_some(spec), lang);
            up.rename(&mut v);
            v
        })
        .collect()
}

impl Upload {
    /// The names of the files uploaded, for messages.
    fn shown_names(&self) -> String {
        let names: Vec<&str> = (self.shown.iter())
            .filter(|(tmp, _)| !Path::new(tmp).is_dir())
            .map(|(_, n)| n.as_str())
            .collect();
        names.join(", ")
    }

    /// Every place of the upload's folder in `v` replaced by the name the
    /// user gave, the longest first (a list file's place holds its
    /// folder's); then the folder itself, so that none shows.
    fn rename(&self, v: &mut Value) {
        let mut shown = self.shown.clone();
        shown.sort_by_key(|(tmp, _)| std::cmp::Reverse(tmp.len()));
        for (tmp, name) in &shown {
            rename(v, tmp, name);
        }
        let mut folder = self.dir.display().to_string();
        folder.push(std::path::MAIN_SEPARATOR);
        rename(v, &folder, "");
    }
}

fn rename(v: &mut Value, from: &str, to: &str) {
    match v {
        Value::String(s) if s.contains(from) => *s = s.replace(from, to),
        Value::Array(a) => a.iter_mut().for_each(|x| rename(x, from, to)),
        Value::Object(m) => m.values_mut().for_each(|x| rename(x, from, to)),
        _ => {}
    }
}

/// The spec a scoring reads: the draft asked for, else the saved file;
/// its name, text, program and the label of the version scored.
fn spec_of(state: &State, q: &EvalQuery) -> Result<(Source, Program, Version), Refused> {
    let (name, text, scored) = drafts::spec_text(state, &q.spec, q.draft.as_deref())?;
    let p = program(&text, &name)?;
    Ok((Source::new(name, text), p, scored))
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

/// POST /api/eval?spec=P&name=N with the data file as the body: what the
/// ranking shows of each entity and the id of the result kept (`kept`),
/// whose units `/api/unit` answers one at a time: `{"ok", "result",
/// "entities", "items": [{"id", "title"}], "ranking": [{"index", "id",
/// "total", "rank", "vetoed", "result"?, "results": [{"name", "value"}]}],
/// "diagnostics"}`.
pub(crate) async fn eval(
    With(state): With<Arc<State>>,
    q: Result<Query<EvalQuery>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, Refused> {
    let Query(q) = q.map_err(|e| reply::bad_request(&e.body_text()))?;
    let body = upload_body(body)?;
    blocking(move || {
        let (source, p, spec) = spec_of(&state, &q)?;
        let lang = lang_of(q.lang.as_deref()).unwrap_or(p.header.lang);
        let up = upload_of(&p, &q, &body)?;
        // The ranking needs no explanation lines: a unit's page scores its
        // entity again with them (`/api/unit`).
        let s = score_with(&p, &source.name, &up.data, false);
        let problems = problems_json(&s, &source, &up, lang);
        let errors = s.problems.iter().filter(|(d, _)| d.is_error()).count();
        let Scored { scored, valid, .. } = s;
        let totals: Vec<_> = scored.iter().map(|(_, o)| o.total).collect();
        let vetoed: Vec<_> = scored.iter().map(|(_, o)| o.vetoed).collect();
        let ranks = report::rollup::ranks_in_order(&totals);
        let places = report::derived::top_places(&totals, &vetoed);
        let ranking: Vec<Value> = (scored.iter().enumerate())
            .map(|(i, (_, o))| ranking_row(&p, i, o, ranks.get(i), places.get(i)))
            .collect();
        let titles: Vec<Value> = (p.items.iter())
            .map(|i| json!({"id": i.id, "title": i.title}))
            .collect();
        let entities: Vec<Entity> = scored.into_iter().map(|(e, _)| e).collect();
        let n = entities.len();
        let id = state.kept.put(super::kept::Kept {
            program: p,
            name: up.shown_names(),
            entities,
            ranks,
            places,
            valid,
            errors,
            problems: problems.clone(),
            spec: spec.clone(),
        })?;
        Ok(Json(json!({
            "ok": valid,
            "result": id,
            "spec": spec,
            "entities": n,
            "items": titles,
            "ranking": ranking,
            "diagnostics": problems,
        })))
    })
    .await
}

/// What the ranking shows of one entity.
fn ranking_row(
    p: &Program,
    index: usize,
    o: &Outcome,
    rank: Option<&usize>,
    place: Option<&report::derived::TopPlace>,
) -> Value {
    let results: Vec<Value> = report::derived::shown(p, o, place.copied())
        .into_iter()
        .map(|r| json!({"name": r.name, "value": r.value}))
        .collect();
    let mut row = json!({
        "index": index,
        "id": o.id,
        "total": report::fmt2(o.total),
        "rank": rank,
        "vetoed": o.vetoed,
        "results": results,
    });
    if (p.header.has_result || o.vetoed)
        && let Some(map) = row.as_object_mut()
    {
        map.insert("result".into(), Value::String(o.result.clone()));
    }
    row
}

#[derive(Deserialize)]
pub(crate) struct UnitQuery {
    result: String,
    index: usize,
}

/// GET /api/unit?result=ID&index=I: the I-th entity of a result kept by
/// `/api/eval`, scored again with its explanation lines: `{"index",
/// "entity": as kaohe eval --rank --format json writes it}`.
pub(crate) async fn unit(
    With(state): With<Arc<State>>,
    q: Result<Query<UnitQuery>, QueryRejection>,
) -> Result<Json<Value>, Refused> {
    let Query(q) = q.map_err(|e| reply::bad_request(&e.body_text()))?;
    blocking(move || {
        let k = state.kept.get(&q.result)?;
        let Some(e) = k.entities.get(q.index) else {
            let n = k.entities.len();
            return Err(reply::bad_request(&format!(
                "`index` {}: these scores have {n} entities, from 0",
                q.index
            )));
        };
        let o = eval::evaluate_with(&k.program, e, true).map_err(|err| {
            Refused::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                err.to_diagnostic(&e.id).in_file(&k.name),
            )
        })?;
        let mut v = report::json::entity(&k.program, e, &o, k.places.get(q.index).copied());
        v.rank = k.ranks.get(q.index).copied();
        Ok(Json(json!({"index": q.index, "entity": v, "spec": k.spec})))
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
        let format = q.format.clone().unwrap_or_else(|| "json".to_string());
        if let Some(id) = q.result.as_deref() {
            let k = state.kept.get(id)?;
            k.valid_or_refused()?;
            let outcomes = k.rescored(true)?;
            let pairs: Vec<(&Entity, Outcome)> = k.entities.iter().zip(outcomes).collect();
            let bytes = report_bytes(&k.program, &pairs, &format)?;
            return Ok(report_file(&format, bytes));
        }
        scored_upload(&state, &q, &body, |source, p, lang, up, s| {
            if !s.valid {
                let listed = problems_json(&s, source, up, lang);
                let errors = s.problems.iter().filter(|(d, _)| d.is_error()).count();
                return Err(reply::data_errors(&up.shown_names(), errors)
                    .with("diagnostics", json!(listed)));
            }
            let pairs: Vec<(&Entity, Outcome)> =
                s.scored.iter().map(|(e, o)| (e, o.clone())).collect();
            let bytes = report_bytes(p, &pairs, &format)?;
            Ok(report_file(&format, bytes))
        })
    })
    .await
}

/// A report file as an attachment, by its format.
fn report_file(format: &str, bytes: Vec<u8>) -> Response {
    let (kind, file) = match format {
        "xlsx" => (XLSX, "report.xlsx"),
        "html" => ("text/html; charset=utf-8", "report.html"),
        "csv" => ("text/csv; charset=utf-8", "report.csv"),
        "jsonl" => ("application/jsonl", "report.jsonl"),
        "table" => ("text/plain; charset=utf-8", "report.txt"),
        _ => ("application/json", "report.json"),
    };
    bytes_of(kind, file, bytes)
}

/// The spec of `q` (its draft, else the saved file) and the uploaded
/// data scored by it, handed to
/// `then` with the spec's text, the language of the answer and the
/// upload (its temporary folder lives as long as the call).
fn scored_upload<T>(
    state: &State,
    q: &EvalQuery,
    body: &[u8],
    then: impl FnOnce(&Source, &Program, Lang, &Upload, Scored<'_>) -> Result<T, Refused>,
) -> Result<T, Refused> {
    let (source, p, _) = spec_of(state, q)?;
    let lang = lang_of(q.lang.as_deref()).unwrap_or(p.header.lang);
    let up = upload_of(&p, q, body)?;
    let s = score_with(&p, &source.name, &up.data, true);
    then(&source, &p, lang, &up, s)
}

/// The text of a saved spec of the workspace.
pub(super) fn saved_text(state: &State, rel: &str) -> Result<String, Refused> {
    let real = workspace::resolve(&state.root, rel)?;
    let bytes = std::fs::read(&real).map_err(|_| reply::no_file(rel))?;
    String::from_utf8(bytes).map_err(|e| reply::not_utf8(rel, e.as_bytes()))
}

/// The problems of a scoring, as `kaohe check --format json` prints
/// diagnostics, the upload's folder replaced by the name the user gave.
pub(super) fn renamed_problems(s: &Scored, up: &Upload, lang: Lang) -> Vec<Value> {
    (s.problems.iter())
        .map(|(d, _)| {
            let mut v = diag_render::to_json(d, None, lang);
            up.rename(&mut v);
            v
        })
        .collect()
}

/// The spec of `q` (its draft, else the saved file) and the uploaded
/// data scored by it, handed to
/// `then` with the language of the answer and every outcome, only when
/// every entity is valid (as a report file is made only then): else 422,
/// K0939, with the data's problems.
pub(super) fn scored_valid<T>(
    state: &State,
    q: &EvalQuery,
    body: &[u8],
    then: impl FnOnce(&Program, Lang, &[&Outcome]) -> Result<T, Refused>,
) -> Result<T, Refused> {
    if let Some(id) = q.result.as_deref() {
        let k = state.kept.get(id)?;
        k.valid_or_refused()?;
        let lang = lang_of(q.lang.as_deref()).unwrap_or(k.program.header.lang);
        let outcomes = k.rescored(false)?;
        let refs: Vec<&Outcome> = outcomes.iter().collect();
        return then(&k.program, lang, &refs);
    }
    scored_upload(state, q, body, |source, p, lang, up, s| {
        if !s.valid {
            let listed = problems_json(&s, source, up, lang);
            let errors = s.problems.iter().filter(|(d, _)| d.is_error()).count();
            return Err(
                reply::data_errors(&up.shown_names(), errors).with("diagnostics", json!(listed))
            );
        }
        let outcomes: Vec<&Outcome> = s.scored.iter().map(|(_, o)| o).collect();
        then(p, lang, &outcomes)
    })
}
