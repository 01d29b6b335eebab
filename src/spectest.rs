//! `kaohe test`: test cases kept in a sidecar file beside a spec.
//!
//! `liucheng-2024.kh` is tested by `liucheng-2024.tests.json`:
//!
//! ```json
//! { "cases": [
//!   { "name": "混合年份",
//!     "data": "../examples/liucheng-2024/mixed.json",
//!     "entity": "柳城县",
//!     "expect": { "total": "156.50", "result": "合格", "items": { "1.1": "1.50" } } }
//! ] }
//! ```
//!
//! `data` is a data file's path (relative to the test file) or the data
//! itself, inline; `entity` picks one entity when the data has several.
//! `expect` may give `total`, `base`, `deductions`, `bonus`, `bonus_raw`,
//! `result`, `vetoed`, `items` and `results` (the header's named results by
//! name; one not given because a veto fired is expected as `"vetoed"`, its
//! fixed key, or `"否决"`, in a spec of either language); what it does not
//! give is not compared.
//! Scores compare as numbers: "1.5" and "1.50" are equal.
//!
//! `kaohe test --bless` writes what each case actually scores as its
//! expectation (every total and every item: [`actual`]), keeping the rest of
//! the file as it is ([`blessed`]).

use crate::data::Entity;
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::eval::{self, Outcome};
use crate::ir::Program;
use crate::report::{fmt2, table};
use crate::t;
use rust_decimal::Decimal;
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

/// The test file of a spec: `NAME.kh` → `NAME.tests.json`.
pub fn tests_path(spec: &Path) -> PathBuf {
    spec.with_extension("tests.json")
}

/// One case as read from the test file.
#[derive(Debug)]
pub struct Case {
    pub name: String,
    /// The data's JSON text and the name to report it under.
    pub data: (String, String),
    pub entity: Option<String>,
    pub expect: Json,
}

/// What a case came to.
#[derive(Debug)]
pub struct Verdict {
    pub name: String,
    /// Empty when the case passed; otherwise one block of text per difference.
    pub failures: Vec<Text>,
}

/// Read the cases of a test file; `dir` is where relative data paths start.
pub fn read_cases(text: &str, file: &str, dir: &Path) -> Result<Vec<Case>, Box<Diagnostic>> {
    let json: Json = serde_json::from_str(text).map_err(|e| {
        invalid(
            file,
            t!(
                "{file} is not valid JSON: {e}",
                "{file} 不是有效的 JSON：{e}"
            ),
        )
    })?;
    let cases = json.get("cases").and_then(Json::as_array).ok_or_else(|| {
        invalid(
            file,
            t!(
                "{file} has no \"cases\" list",
                "{file} 中没有 \"cases\" 列表"
            ),
        )
    })?;
    (cases.iter().enumerate())
        .map(|(i, c)| read_case(i, c, file, dir))
        .collect()
}

/// A test file that is not as it should be (K0703).
fn invalid(file: &str, what: Text) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::new(Code::TestsInvalid, what)
            .in_file(file)
            .with_help(t!("write `{{\"cases\": [{{\"name\": \"…\", \"data\": \"data.json\", \"expect\": {{\"total\": \"…\", \"items\": {{\"1.1\": \"…\"}}}}}}]}}`", "请写作 `{{\"cases\": [{{\"name\": \"…\", \"data\": \"data.json\", \"expect\": {{\"total\": \"…\", \"items\": {{\"1.1\": \"…\"}}}}}}]}}`")),
    )
}

/// The `i`th case of a test file.
fn read_case(i: usize, c: &Json, file: &str, dir: &Path) -> Result<Case, Box<Diagnostic>> {
    let name = c
        .get("name")
        .and_then(Json::as_str)
        .map_or_else(|| format!("case {}", i + 1), str::to_string);
    let data = case_data(c, &name, file, dir)?;
    let expect = c
        .get("expect")
        .cloned()
        .filter(Json::is_object)
        .ok_or_else(|| {
            invalid(
                file,
                t!(
                    "case “{name}” has no \"expect\" object",
                    "用例“{name}”没有 \"expect\" 对象"
                ),
            )
        })?;
    let entity = c.get("entity").and_then(Json::as_str).map(str::to_string);
    Ok(Case {
        name,
        data,
        entity,
        expect,
    })
}

/// A case's data: its JSON text and the name to report it under.
fn case_data(
    c: &Json,
    name: &str,
    file: &str,
    dir: &Path,
) -> Result<(String, String), Box<Diagnostic>> {
    match c.get("data") {
        Some(Json::String(p)) => {
            let path = dir.join(p);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| unreadable(name, file, &path, dir, &e))?;
            Ok((text, p.clone()))
        }
        Some(inline @ (Json::Object(_) | Json::Array(_))) => {
            Ok((inline.to_string(), format!("{file} (case “{name}”)")))
        }
        _ => Err(invalid(
            file,
            t!(
                "case “{name}” has no \"data\": give a data file's path or the data itself",
                "用例“{name}”没有 \"data\"：请给出数据文件路径或数据本身"
            ),
        )),
    }
}

/// A case's data file that cannot be read: a file error (K0901), saying
/// where the path was looked for when the file is not there.
fn unreadable(
    name: &str,
    file: &str,
    path: &Path,
    dir: &Path,
    e: &std::io::Error,
) -> Box<Diagnostic> {
    let shown = path.display();
    let d = if e.kind() == std::io::ErrorKind::NotFound {
        let folder = if dir.as_os_str().is_empty() {
            ".".to_string()
        } else {
            dir.display().to_string()
        };
        Diagnostic::new(
            Code::Io,
            t!(
                "case “{name}”: its data file {shown} does not exist",
                "用例“{name}”：其数据文件 {shown} 不存在"
            ),
        )
        .with_help(t!(
            "a case's \"data\" path is read from the test file's folder ({folder}): correct the path in {file}, or give the data inline",
            "用例的 \"data\" 路径从测试文件所在的文件夹（{folder}）算起：请在 {file} 中更正路径，或直接写入数据"
        ))
    } else {
        Diagnostic::new(
            Code::Io,
            t!(
                "case “{name}”: cannot read its data file {shown}: {e}",
                "用例“{name}”：无法读取其数据文件 {shown}：{e}"
            ),
        )
    };
    Box::new(d.in_file(file))
}

/// Expectations of items the spec does not have.
pub fn unknown_items(program: &Program, cases: &[Case], file: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for c in cases {
        let Some(items) = c.expect.get("items").and_then(Json::as_object) else {
            continue;
        };
        for id in items.keys() {
            if !program.items.iter().any(|i| &i.id == id) {
                let ids: Vec<&str> = program.items.iter().map(|i| i.id.as_str()).collect();
                let mut d = Diagnostic::new(
                    Code::TestsUnknownItem,
                    t!(
                        "case “{}” expects a score of item {id}, which the spec does not have",
                        "用例“{}”预期考核事项 {id} 的得分，而规则文件中没有这个考核事项",
                        c.name
                    ),
                )
                .in_file(file);
                if let Some(s) = crate::diagnostic::suggest(id, ids.iter().copied()) {
                    d = d.with_help(t!("did you mean {s}?", "是否应为 {s}？"));
                }
                found.push(d);
            }
        }
    }
    found
}

/// Run one case: score its entity and compare every expectation.
pub fn run(program: &Program, case: &Case) -> Verdict {
    let fail = |msg: Text| Verdict {
        name: case.name.clone(),
        failures: vec![msg],
    };
    match scored(program, case) {
        Ok((entity, o)) => Verdict {
            name: case.name.clone(),
            failures: compare(program, &entity, &o, &case.expect),
        },
        Err(msg) => fail(msg),
    }
}

/// What a case actually scores, as an expectation: every total, the
/// result, and every item's score, each at two decimals.
pub fn actual(program: &Program, case: &Case) -> Result<Json, Text> {
    let (_, o) = scored(program, case)?;
    let items: serde_json::Map<String, Json> = program
        .items
        .iter()
        .zip(&o.items)
        .map(|(item, io)| (item.id.clone(), Json::String(fmt2(io.score))))
        .collect();
    let mut actual = serde_json::json!({
        "total": fmt2(o.total),
        "base": fmt2(o.base),
        "deductions": fmt2(o.deductions),
        "bonus_raw": fmt2(o.bonus_raw),
        "bonus": fmt2(o.bonus),
        "vetoed": o.vetoed,
        "result": o.result,
        "items": items,
    });
    // The named results a single unit's case can tell (not those by rank).
    let results: serde_json::Map<String, Json> = (program.header.results.iter())
        .zip(crate::report::derived::shown(program, &o, None))
        .filter(|(r, _)| !matches!(r.rule, crate::ir::ResultRule::Top { .. }))
        // A vetoed result by its fixed key, so the file reads alike in either language.
        .map(|(_, s)| {
            let value = if s.vetoed {
                crate::report::derived::VETOED.to_string()
            } else {
                s.value
            };
            (s.name.to_string(), Json::String(value))
        })
        .collect();
    if !results.is_empty()
        && let Some(fields) = actual.as_object_mut()
    {
        fields.insert("results".to_string(), Json::Object(results));
    }
    Ok(actual)
}

/// The test file's text with each case's `expect` replaced by its new
/// expectation where there is one (`None` keeps the case as it was);
/// everything else in the file is kept, in its order.
pub fn blessed(text: &str, expectations: &[Option<Json>]) -> Option<String> {
    let mut json: Json = serde_json::from_str(text).ok()?;
    let cases = json.get_mut("cases")?.as_array_mut()?;
    for (case, new) in cases.iter_mut().zip(expectations) {
        if let (Some(fields), Some(new)) = (case.as_object_mut(), new) {
            fields.insert("expect".to_string(), new.clone());
        }
    }
    let mut out = serde_json::to_string_pretty(&json).ok()?;
    out.push('\n');
    Some(out)
}

/// The entity a case names, scored.
fn scored<'p>(program: &'p Program, case: &Case) -> Result<(Entity, Outcome<'p>), Text> {
    let (entities, diags) = crate::data::from_json(program, &case.data.0, &case.data.1);
    if let Some(d) = diags.iter().find(|d| d.is_error()) {
        return Err(t!(
            "the data has errors: {} {}",
            "数据有错误：{} {}",
            d.code.as_str(),
            d.message
        ));
    }
    let entity = match (&case.entity, entities.as_slice()) {
        (Some(id), _) => entities.iter().find(|e| &e.id == id),
        (None, [only]) => Some(only),
        (None, _) => {
            return Err(t!(
                "the data has {} entities: name the one to test with \"entity\"",
                "数据中有 {} 个被考核单位：请用 \"entity\" 指明要测试的一个",
                entities.len()
            ));
        }
    };
    let Some(entity) = entity else {
        return Err(t!(
            "the data has no entity {}",
            "数据中没有被考核单位 {}",
            case.entity.clone().unwrap_or_default()
        ));
    };
    match eval::evaluate(program, entity) {
        Ok(o) => Ok((entity.clone(), o)),
        Err(e) => Err(t!(
            "scoring fails: {}",
            "计分出错：{}",
            e.to_diagnostic(&entity.id).message
        )),
    }
}

fn compare(program: &Program, entity: &Entity, o: &Outcome, expect: &Json) -> Vec<Text> {
    let mut failures = Vec::new();
    if let Some(items) = expect.get("items").and_then(Json::as_object) {
        for (item, io) in program.items.iter().zip(&o.items) {
            let Some(want) = items.get(&item.id) else {
                continue;
            };
            if !same(want, io.score) {
                failures.push(t!(
                    "item {} {}: expected {}, got {}\n{}",
                    "考核事项 {} {}：预期 {}，实得 {}\n{}",
                    item.id,
                    item.title,
                    shown(want),
                    fmt2(io.score),
                    table::lines(program, entity, io, "      ")
                ));
            }
        }
    }
    compare_totals(o, expect, &mut failures);
    compare_results(program, o, expect, &mut failures);
    failures
}

/// The named results derived from the total (`"results": {"等次": "良好"}`)
/// against what a case expects. A case is one unit, so a result by rank
/// (`top`) is not known here: it reads 见排名.
fn compare_results(program: &Program, o: &Outcome, expect: &Json, failures: &mut Vec<Text>) {
    let Some(want) = expect.get("results").and_then(Json::as_object) else {
        return;
    };
    let shown = crate::report::derived::shown(program, o, None);
    for (name, w) in want {
        let w = w.as_str().unwrap_or_default();
        match shown.iter().find(|r| r.name == name) {
            None => failures.push(t!(
                "result \"{}\": the header names no such result",
                "结果“{}”：表头没有这一结果",
                name
            )),
            // A vetoed result is expected by its key ("vetoed") or as 否决,
            // in a spec of either language.
            Some(r) if r.vetoed && crate::report::derived::names_vetoed(w) => {}
            Some(r) if r.value != w => failures.push(t!(
                "result \"{}\": expected {}, got {} ({})",
                "结果“{}”：预期 {}，实得 {}（{}）",
                name,
                w,
                r.value,
                r.why
            )),
            Some(_) => {}
        }
    }
}

/// The totals, the result and the veto against what a case expects.
fn compare_totals(o: &Outcome, expect: &Json, failures: &mut Vec<Text>) {
    let totals = [
        ("base", o.base),
        ("deductions", o.deductions),
        ("bonus_raw", o.bonus_raw),
        ("bonus", o.bonus),
        ("total", o.total),
    ];
    for (key, got) in totals {
        if let Some(want) = expect.get(key)
            && !same(want, got)
        {
            failures.push(t!(
                "{key}: expected {}, got {}",
                "{key}：预期 {}，实得 {}",
                shown(want),
                fmt2(got)
            ));
        }
    }
    if let Some(want) = expect.get("result").and_then(Json::as_str)
        && want != o.result
    {
        failures.push(t!(
            "result: expected {want}, got {}",
            "result：预期 {want}，实得 {}",
            o.result
        ));
    }
    if let Some(want) = expect.get("vetoed").and_then(Json::as_bool)
        && want != o.vetoed
    {
        failures.push(t!(
            "vetoed: expected {want}, got {}",
            "vetoed：预期 {want}，实得 {}",
            o.vetoed
        ));
    }
}

/// Whether an expected score (a string or a number) equals a computed one at two decimals.
fn same(want: &Json, got: Decimal) -> bool {
    let text = match want {
        Json::String(s) => s.clone(),
        Json::Number(n) => n.to_string(),
        _ => return false,
    };
    text.trim()
        .parse::<Decimal>()
        .is_ok_and(|w| fmt2(w) == fmt2(got))
}

fn shown(want: &Json) -> String {
    match want {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// What `kaohe test --bless` comes to, for the command to print and write.
#[derive(Debug)]
pub struct Blessing {
    /// The cases that could not be scored, each with why: they keep their
    /// expectation.
    pub unscorable: Vec<(String, Text)>,
    /// How many cases have their actual scores as expectation.
    pub written: usize,
    /// The test file's new text, when it differs from the old.
    pub new_text: Option<String>,
}

/// `kaohe test --bless`: score every case and write what each actually
/// scores as its expectation into the test file's text (`text`, which
/// [`read_cases`] has read). A case that cannot be scored keeps its
/// expectation. None when `text` is not a test file (not reached after
/// `read_cases`).
pub fn bless(program: &Program, cases: &[Case], text: &str) -> Option<Blessing> {
    let mut expectations = Vec::new();
    let mut unscorable = Vec::new();
    for case in cases {
        match actual(program, case) {
            Ok(e) => expectations.push(Some(e)),
            Err(why) => {
                unscorable.push((case.name.clone(), why));
                expectations.push(None);
            }
        }
    }
    let written = expectations.iter().filter(|e| e.is_some()).count();
    let new_text = blessed(text, &expectations)?;
    Some(Blessing {
        unscorable,
        written,
        new_text: (new_text != text).then_some(new_text),
    })
}
