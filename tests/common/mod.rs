//! Helpers shared by the integration tests.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#![allow(dead_code)]

use kaohe::api::{Diagnostic, Lang, Options, Source, render_text};
use serde_json::Value;
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Diagnostics rendered as plain English text, for assertions and snapshots.
pub fn rendered(name: &str, text: &str, diags: &[Diagnostic]) -> String {
    rendered_in(name, text, diags, Lang::En)
}

/// Diagnostics rendered as plain text in a language.
pub fn rendered_in(name: &str, text: &str, diags: &[Diagnostic], lang: Lang) -> String {
    let source = Source::new(name, text);
    diags
        .iter()
        .map(|d| render_text(d, Some(&source), lang))
        .collect()
}

/// Compile a spec, evaluate the data, and return the JSON report; panics
/// with the rendered diagnostics on any error.
pub fn eval_json(name: &str, spec: &str, data: &str) -> Value {
    let compiled = kaohe::api::compile(spec);
    let errors: Vec<Diagnostic> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    let Some(spec_) = compiled.spec else {
        panic!("{name} does not check:\n{}", rendered(name, spec, &errors));
    };
    let (entities, diags) = spec_.read_json(data, name);
    let data_errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    assert!(
        data_errors.is_empty(),
        "{name}: data errors: {data_errors:#?}"
    );
    let scored: Vec<_> = entities
        .iter()
        .map(|e| match spec_.evaluate(e, Options::default()) {
            Ok(o) => (e, o),
            Err(err) => panic!(
                "{name}: {}",
                rendered(name, spec, &[err.to_diagnostic(&e.id)])
            ),
        })
        .collect();
    spec_.json_report(&scored)
}

/// Compare a JSON report with an expectation of the form
/// `{"ENTITY": {"total": "…", "items": {"1.1": "2.50"}, …}}`: every key
/// given is compared, keys not given are not. Returns the differences.
pub fn differences(report: &Value, expect: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    let Some(expect) = expect.as_object() else {
        return vec!["the expectation is not an object".into()];
    };
    let entities = report["entities"].as_array().cloned().unwrap_or_default();
    for (id, want) in expect {
        let Some(got) = entities.iter().find(|e| e["id"] == *id) else {
            diffs.push(format!("{id}: not in the report"));
            continue;
        };
        for (key, value) in want.as_object().into_iter().flatten() {
            if key == "extras" {
                // An item's extra award beyond its points (`extra`).
                for (item, extra) in value.as_object().into_iter().flatten() {
                    let found =
                        (got["items"].as_array().into_iter().flatten()).find(|i| i["id"] == *item);
                    match found {
                        Some(i) if i["extra"] == *extra => {}
                        _ => diffs.push(format!(
                            "{id} item {item}: expected an extra award of {extra}, got {}",
                            found.map_or(Value::Null, |i| i["extra"].clone())
                        )),
                    }
                }
            } else if key == "items" {
                for (item, score) in value.as_object().into_iter().flatten() {
                    let found = got["items"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .find(|i| i["id"] == *item);
                    match found {
                        None => diffs.push(format!("{id} item {item}: not in the report")),
                        Some(i) if i["score"] != *score => diffs.push(format!(
                            "{id} item {item}: expected {score}, got {} (lines: {})",
                            i["score"], i["lines"]
                        )),
                        Some(_) => {}
                    }
                }
            } else if got[key] != *value {
                diffs.push(format!("{id} {key}: expected {value}, got {}", got[key]));
            }
        }
    }
    diffs
}

/// Run the built `kaohe` in the repository's folder, with no locale set
/// (so that the language of diagnostics does not depend on the machine).
pub fn kaohe(args: &[&str]) -> std::process::Output {
    kaohe_env(args, &[])
}

/// Run the built `kaohe` with only these locale variables set.
pub fn kaohe_env(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_kaohe"));
    command.args(args).current_dir(root());
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        command.env_remove(var);
    }
    command
        .envs(env.iter().copied())
        .output()
        .expect("kaohe runs")
}

pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A new empty folder for the test `name` of `file` (the test file's
/// name), in the folder cargo gives integration tests under `target/`:
/// emptied when the test starts, so nothing a run before left is read as
/// this run's, and kept after it (to look at when a test fails), one
/// folder a test, not one a run.
pub fn tempdir(file: &str, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("kaohe-{file}-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `n` units of the R2 pattern (tests/patterns/R2-top-n: results by rank,
/// top 3 and top 20%), as one JSON array: seven totals, so ties
/// everywhere, and every tenth unit vetoed.
pub fn r2_units(n: usize) -> String {
    let units: Vec<Value> = (0..n)
        .map(|i| serde_json::json!({"id": format!("u{i:04}"), "missed": i % 7, "incident": i % 10 == 3}))
        .collect();
    serde_json::to_string(&units).unwrap()
}

/// `kaohe eval SPEC DATA ARGS…` of `text` given once as a file in `dir`
/// and once through a FIFO (data read only once, held whole), `file_args`
/// and `pipe_args` after the data; both must succeed.
pub fn eval_file_and_pipe(
    dir: &Path,
    spec: &str,
    text: String,
    file_args: &[&str],
    pipe_args: &[&str],
) -> (std::process::Output, std::process::Output) {
    let (file, fifo) = (dir.join("units.json"), dir.join("piped.json"));
    std::fs::write(&file, &text).unwrap();
    mkfifo(&fifo);
    let run = |data: &Path, args: &[&str]| {
        let data = data.display().to_string();
        let o = kaohe(&[&["eval", spec, &data], args].concat());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        o
    };
    let from_file = run(&file, file_args);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, text).unwrap())
    };
    let piped = run(&fifo, pipe_args);
    writer.join().unwrap();
    (from_file, piped)
}

/// A FIFO (a pipe with a name) made at `path` by mkfifo.
pub fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

/// Wait for an editor run by a test to finish, killing it (and failing)
/// after `secs` seconds.
pub fn finish(child: &mut std::process::Child, secs: u64, what: &str) {
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish in {secs} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}
