//! Every table in specs/: it checks clean (no error, no warning), its test
//! cases (SPEC.tests.json, worked out by hand) pass under `kaohe test` and
//! give every item a score, it renders, and each of its data examples
//! (examples/NAME/*.json) scores as its golden (examples/NAME/DATA.expected.json:
//! totals, result, every item, and for the newer tables the roll-up by
//! responsible unit); a CSV or XLSX made with `kaohe template --fill` beside
//! a JSON example scores exactly as the JSON does.
//!
//! A new table needs no change here: put NAME.kh and NAME.tests.json in
//! specs/ and its data in examples/NAME/. `KAOHE_BLESS=1 cargo test --test
//! specs` writes a missing or changed golden from what the data scores;
//! read it against the hand working (examples/NAME/README.md) before
//! committing it.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{differences, eval_json, kaohe, read, root, stdout};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// The tables in specs/, by name (the file name without `.kh`).
fn tables() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("specs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "kh"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 4, "only {names:?} in specs/");
    names
}

fn spec_path(name: &str) -> PathBuf {
    root().join("specs").join(format!("{name}.kh"))
}

/// The data examples of a table: examples/NAME/*.json but the goldens.
fn examples(name: &str) -> Vec<PathBuf> {
    let dir = root().join("examples").join(name);
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && !p.to_string_lossy().ends_with(".expected.json")
        })
        .collect();
    found.sort();
    assert!(!found.is_empty(), "{name}: no data in {}", dir.display());
    found
}

#[test]
fn every_table_checks_clean() {
    for name in tables() {
        let text = read(&spec_path(&name));
        let compiled = kaohe::api::compile(&text);
        assert!(
            compiled.diagnostics.is_empty(),
            "{name}:\n{}",
            common::rendered(&name, &text, &compiled.diagnostics)
        );
        assert!(compiled.spec.is_some(), "{name}");
    }
}

#[test]
fn every_table_has_hand_worked_cases_that_pass_and_cover_every_item() {
    for name in tables() {
        let spec = format!("specs/{name}.kh");
        let o = kaohe(&["test", &spec, "--lang", "en"]);
        assert_eq!(o.status.code(), Some(0), "{name}:\n{}", stdout(&o));
        assert!(stdout(&o).contains(", 0 failed"), "{}", stdout(&o));

        let program_items = {
            let compiled = kaohe::api::compile(&read(&spec_path(&name)));
            compiled.spec.unwrap().program().items.len()
        };
        let tests: Value =
            serde_json::from_str(&read(&root().join(format!("specs/{name}.tests.json")))).unwrap();
        let cases = tests["cases"].as_array().unwrap();
        assert!(cases.len() >= 2, "{name}: only {} cases", cases.len());
        for case in cases {
            let expect = &case["expect"];
            assert_eq!(
                expect["items"].as_object().map(Map::len),
                Some(program_items),
                "{name}: case {} does not give every item",
                case["name"]
            );
            for key in ["total", "vetoed"] {
                assert!(
                    expect.get(key).is_some(),
                    "{name}: case {} has no {key}",
                    case["name"]
                );
            }
        }
    }
}

#[test]
fn every_table_renders() {
    for name in tables() {
        let spec = format!("specs/{name}.kh");
        let o = kaohe(&["render", &spec]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", common::stderr(&o));
        assert!(stdout(&o).contains("| 评分标准 |"), "{name}");
    }
}

#[test]
fn every_new_table_keeps_its_hand_working_and_what_it_is_written_around() {
    for name in tables() {
        if name == "liucheng-2024" {
            // Its working is examples/liucheng-2024/mixed.md, in another form.
            continue;
        }
        let readme = read(&root().join("examples").join(&name).join("README.md"));
        assert!(readme.contains("## 手工核算"), "{name}: no hand working");
        assert!(
            readme.contains("written around a missing construct"),
            "{name}: no list of what the spec writes around"
        );
    }
}

/// What a golden holds of a report, per entity: totals, result, every
/// item's score and, where the table names units, the roll-up.
fn summary(report: &Value) -> Value {
    let mut out = Map::new();
    for e in report["entities"].as_array().unwrap() {
        let mut s = Map::new();
        for key in [
            "total",
            "base",
            "deductions",
            "bonus_raw",
            "bonus",
            "vetoed",
            "result",
        ] {
            s.insert(key.into(), e[key].clone());
        }
        let items: Map<String, Value> = e["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["id"].as_str().unwrap().to_string(), i["score"].clone()))
            .collect();
        s.insert("items".into(), items.into());
        if let Some(units) = e.get("units") {
            s.insert("units".into(), units.clone());
        }
        out.insert(e["id"].as_str().unwrap().to_string(), s.into());
    }
    out.into()
}

#[test]
fn every_example_scores_as_its_golden() {
    let bless = std::env::var_os("KAOHE_BLESS").is_some();
    let mut failures = Vec::new();
    for name in tables() {
        let spec = read(&spec_path(&name));
        for data in examples(&name) {
            let shown = data.strip_prefix(root()).unwrap().display().to_string();
            let report = eval_json(&shown, &spec, &read(&data));
            let golden = data.with_extension("expected.json");
            if bless && !golden.exists() {
                let text = serde_json::to_string_pretty(&summary(&report)).unwrap() + "\n";
                std::fs::write(&golden, text).unwrap();
                continue;
            }
            let expect: Value = serde_json::from_str(&read(&golden)).unwrap_or_else(|e| {
                panic!(
                    "{}: {e} (KAOHE_BLESS=1 writes it from the scores)",
                    golden.display()
                )
            });
            let diffs = differences(&report, &expect);
            if !diffs.is_empty() && bless {
                let text = serde_json::to_string_pretty(&summary(&report)).unwrap() + "\n";
                std::fs::write(&golden, text).unwrap();
                continue;
            }
            failures.extend(diffs.into_iter().map(|d| format!("{shown}: {d}")));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n(KAOHE_BLESS=1 rewrites the goldens; read them against the hand working)",
        failures.join("\n")
    );
}

/// The JSON report of a data file as `kaohe eval` writes it.
fn eval_report(spec: &str, data: &Path) -> String {
    let o = kaohe(&["eval", spec, data.to_str().unwrap(), "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}: {}",
        data.display(),
        common::stderr(&o)
    );
    stdout(&o)
}

#[test]
fn a_template_filled_with_an_example_scores_as_the_example() {
    let mut compared = 0;
    for name in tables() {
        let spec = format!("specs/{name}.kh");
        for json in examples(&name) {
            let want = eval_report(&spec, &json);
            for ext in ["csv", "xlsx"] {
                let other = json.with_extension(ext);
                if other.exists() {
                    assert_eq!(
                        eval_report(&spec, &other),
                        want,
                        "{} scores otherwise than {}",
                        other.display(),
                        json.display()
                    );
                    compared += 1;
                }
            }
        }
    }
    assert!(compared >= 4, "only {compared} CSV/XLSX examples compared");
}

/// The words in backticks of a cell of a Markdown table row.
fn quoted(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// docs/tables.md says, for each construct of issue 15, which tables in
/// specs/ use it: every spec named in a row's last cell must exist and
/// contain one of the words in backticks of its third cell, so that the
/// page goes stale loudly when a table stops using what it is said to.
#[test]
fn the_table_of_constructs_names_specs_that_use_them() {
    let page = read(&root().join("docs/tables.md"));
    let names = tables();
    let mut rows = 0;
    let mut named = 0;
    for line in page.lines() {
        let cells: Vec<&str> = line.split(" | ").collect();
        let is_row = line.starts_with("| ")
            && cells
                .first()
                .is_some_and(|c| c.trim_start_matches("| ").parse::<u32>().is_ok());
        if !is_row {
            continue;
        }
        assert_eq!(
            cells.len(),
            4,
            "docs/tables.md: a row of four cells: {line}"
        );
        rows += 1;
        let words = quoted(cells[2]);
        assert!(!words.is_empty(), "docs/tables.md: no keyword in {line}");
        for spec in quoted(cells[3]) {
            if !names.contains(&spec) {
                continue; // a path or a keyword in the text, not a spec
            }
            named += 1;
            let text = read(&spec_path(&spec));
            assert!(
                words.iter().any(|w| text.contains(w.as_str())),
                "docs/tables.md says specs/{spec}.kh uses {words:?}, which it does not contain: {line}"
            );
        }
    }
    let numbers: std::collections::BTreeSet<u32> = page
        .lines()
        .filter_map(|l| l.strip_prefix("| ")?.split(" | ").next()?.parse().ok())
        .collect();
    assert_eq!(
        numbers,
        (1..=12).collect(),
        "docs/tables.md: every one of the twelve constructs has a row"
    );
    assert!(
        rows >= 12 && named >= 30,
        "{rows} rows, {named} specs named"
    );
    // Every table in specs/ is named somewhere on the page.
    for name in &names {
        assert!(
            page.contains(&format!("`{name}`")),
            "docs/tables.md never names {name}"
        );
    }
}
