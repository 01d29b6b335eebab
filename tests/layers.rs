//! The output stages import only earlier ones (docs/architecture.md):
//! `output` is a leaf; `render` and `template` make documents from a spec
//! alone; `report` prints the outcomes of scoring; `diff` may use all of
//! them; only `cli` (and `main.rs`) import `cli`, and `spectest` returns
//! its results for `cli` to print. Read from the source text, so that a
//! `use` added against the order fails here, naming the file.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The `.rs` files of a folder of `src/` (or one file), recursively.
fn files(at: &Path) -> Vec<PathBuf> {
    if at.is_file() {
        return vec![at.to_path_buf()];
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(at).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The top-level modules a file names through `crate::` (in paths and in
/// `use crate::{a, b::c}` groups), comments left out.
fn imports(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let group = group.split('}').next().unwrap_or("");
                for name in group.split(',') {
                    found.insert(head(name.trim()));
                }
            } else {
                found.insert(head(rest));
            }
        }
    }
    found.remove("");
    found
}

fn head(path: &str) -> String {
    path.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// Every `crate::` module the files of `module` name that `forbidden` lists.
fn offences(module: &str, forbidden: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for file in files(&src().join(module)) {
        let text = std::fs::read_to_string(&file).unwrap();
        for name in imports(&text) {
            if forbidden.contains(&name.as_str()) {
                let file = file.strip_prefix(src()).unwrap().display().to_string();
                out.push(format!("src/{file} imports crate::{name}"));
            }
        }
    }
    out
}

#[test]
fn the_reading_of_imports_sees_paths_and_groups() {
    let text = "use crate::report::{fmt2, table};\nuse crate::{eval, ir::Program};\n// crate::cli\nlet x = crate::output::file::write(p);";
    let found: Vec<String> = imports(text).into_iter().collect();
    assert_eq!(found, ["eval", "ir", "output", "report"]);
}

#[test]
fn each_output_stage_imports_only_earlier_ones() {
    let later = [
        "cli", "spectest", "diff", "report", "render", "template", "api",
    ];
    let cases: [(&str, &[&str]); 7] = [
        (
            "output",
            &["parse", "check", "eval", "data", "fmt", "synth"],
        ),
        ("output", &later),
        (
            "render",
            &[
                "eval", "data", "cli", "spectest", "diff", "report", "template", "api",
            ],
        ),
        (
            "template",
            &["cli", "spectest", "diff", "report", "render", "api"],
        ),
        (
            "report",
            &["cli", "spectest", "diff", "render", "template", "api"],
        ),
        ("diff", &["cli", "spectest", "template", "api"]),
        ("spectest.rs", &["cli", "api"]),
    ];
    let mut found = Vec::new();
    for (module, forbidden) in cases {
        found.extend(offences(module, forbidden));
    }
    assert!(
        found.is_empty(),
        "imports against the order of stages:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_the_command_line_imports_it() {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(src()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name != "cli" && name != "main.rs" && name != "lib.rs" {
            found.extend(offences(&name, &["cli"]));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The text of a file without its unit tests (a `#[cfg(test)] mod … {`
/// block runs to the end of the file in this codebase), which may use any
/// stage to build their cases.
fn without_tests(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let end = (0..lines.len())
        .find(|&i| {
            lines[i].starts_with("#[cfg(test)]")
                && lines.get(i + 1).is_some_and(|l| l.ends_with('{'))
        })
        .unwrap_or(lines.len());
    lines[..end].join("\n")
}

/// The stages in pipeline order (docs/architecture.md): each may import
/// only the ones before it. The leaves first, then parse → check → data →
/// eval, the products made from them, and the front ends.
const ORDER: &[&str] = &[
    "source",
    "escape",
    "diagnostic",
    "date",
    "exact",
    "shown",
    "numerals",
    "pool",
    "ir",
    "parse",
    "fmt",
    "import",
    "check",
    "data",
    "eval",
    "output",
    "render",
    "template",
    "report",
    "diff",
    "spectest",
    "service",
    "serve",
    "lsp",
    "cli",
];

#[test]
fn every_stage_imports_only_earlier_ones() {
    let mut found = Vec::new();
    for (i, stage) in ORDER.iter().enumerate() {
        let later = &ORDER[i + 1..];
        let dir = src().join(stage);
        let at = if dir.is_dir() {
            dir
        } else {
            src().join(format!("{stage}.rs"))
        };
        for file in files(&at) {
            let name = file.file_name().unwrap().to_string_lossy();
            if name == "tests.rs" || name == "differential.rs" {
                continue;
            }
            let text = without_tests(&std::fs::read_to_string(&file).unwrap());
            for import in imports(&text) {
                if later.contains(&import.as_str()) || import == "api" {
                    let file = file.strip_prefix(src()).unwrap().display();
                    found.push(format!("src/{file} ({stage}) imports crate::{import}"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "imports against the order of stages:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_order_names_every_module_of_the_crate_but_the_api_and_test_helpers() {
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(src()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        let module = name.trim_end_matches(".rs");
        let helpers = ["lib", "main", "api", "synth", "testkit", "properties"];
        if !ORDER.contains(&module) && !helpers.contains(&module) {
            missing.push(name);
        }
    }
    assert!(missing.is_empty(), "place these in ORDER: {missing:?}");
}
