//! `kaohe fmt` over every spec of the repo: idempotent, meaning-preserving,
//! and zh → en → zh byte-identical; and the CLI's `--check`.

// Tests may fail loudly: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{read, root};
use kaohe::fmt::format;
use kaohe::parse::keywords::KeywordSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every .kh file under a folder.
fn specs_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            specs_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "kh") {
            out.push(path);
        }
    }
}

/// Every spec that checks: the repo's .kh files and the examples of the
/// language reference.
fn every_spec() -> Vec<(String, String)> {
    let mut paths = Vec::new();
    for dir in ["specs", "tests/patterns", "tests/cli", "examples"] {
        specs_under(&root().join(dir), &mut paths);
    }
    let mut specs: Vec<(String, String)> = paths
        .iter()
        .map(|p| (p.display().to_string(), read(p)))
        .collect();
    let doc = read(&root().join("docs/language.md"));
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "```kaohe" {
            let body: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.starts_with("```"))
                .collect();
            specs.push((
                format!("docs/language.md example {}", specs.len()),
                body.join("\n") + "\n",
            ));
        }
    }
    specs.retain(|(_, text)| kaohe::compile(text).program.is_some());
    assert!(specs.len() > 40, "only {} specs found", specs.len());
    specs
}

/// The checked program of a spec, printed with its spans cleared.
fn meaning(text: &str) -> String {
    let program = kaohe::compile(text).program.expect("checks");
    format!("{:#?}", program.without_spans())
}

fn without_reasons(shown: &str) -> String {
    shown
        .lines()
        .filter(|l| !l.trim_start().starts_with("reason: "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn formatting_is_idempotent_and_keeps_the_meaning() {
    for (name, text) in every_spec() {
        let once = format(&text, None).unwrap_or_else(|d| panic!("{name}: {d:#?}"));
        assert_eq!(format(&once, None).unwrap(), once, "{name}: not idempotent");
        assert_eq!(meaning(&once), meaning(&text), "{name}: meaning changed");
    }
}

#[test]
fn zh_en_zh_round_trip_is_byte_identical() {
    for (name, text) in every_spec() {
        let zh = format(&text, Some(KeywordSet::Zh)).unwrap();
        let en = format(&zh, Some(KeywordSet::En)).unwrap();
        assert_eq!(format(&en, Some(KeywordSet::Zh)).unwrap(), zh, "{name}");
        assert_eq!(format(&text, Some(KeywordSet::En)).unwrap(), en, "{name}");
        // A clause without a reason string is explained by its own source
        // text, which is in the keywords it is written in: all else is equal.
        assert_eq!(
            without_reasons(&meaning(&zh)),
            without_reasons(&meaning(&text)),
            "{name}: meaning changed in Chinese"
        );
    }
}

fn kaohe(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kaohe"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

#[test]
fn the_repo_specs_are_formatted_and_the_2024_table_is_in_chinese() {
    let mut specs = Vec::new();
    specs_under(&root().join("specs"), &mut specs);
    let mut args = vec!["fmt", "--check"];
    let names: Vec<String> = specs.iter().map(|p| p.display().to_string()).collect();
    args.extend(names.iter().map(String::as_str));
    let out = kaohe(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let table = read(&root().join("specs/liucheng-2024.kh"));
    assert!(table.contains("\n一级指标 一 \"推动绿色低碳发展\" {"));
    assert!(
        kaohe(&[
            "fmt",
            "--check",
            "--keywords",
            "zh",
            "specs/liucheng-2024.kh"
        ])
        .status
        .success()
    );
}

#[test]
fn check_prints_a_diff_and_exits_1_and_fmt_rewrites_the_file() {
    let dir = std::env::temp_dir().join(format!("kaohe-fmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("messy.kh");
    let messy = "table \"t\" { year 2024\n total 0 }  // 表头\n";
    std::fs::write(&path, messy).unwrap();
    let p = path.to_str().unwrap();
    let out = kaohe(&["fmt", "--check", p]);
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&out.stdout);
    let expected = format!(
        "--- {p}\n+++ {p} (formatted)\n@@ -1,2 +1,4 @@\n-table \"t\" {{ year 2024\n- total 0 }}  // 表头\n+table \"t\" {{\n+  year 2024\n+  total 0\n+}}  // 表头\n"
    );
    assert_eq!(diff, expected);
    assert_eq!(read(&path), messy, "--check changed the file");

    assert!(kaohe(&["fmt", "--keywords", "zh", p]).status.success());
    assert_eq!(
        read(&path),
        "考核表 \"t\" {\n  年度 2024\n  总分 0\n}  // 表头\n"
    );
    assert!(kaohe(&["fmt", "--check", p]).status.success());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_spec_with_syntax_errors_is_left_alone_and_exits_1() {
    let out = kaohe(&[
        "fmt",
        "--check",
        "tests/diagnostics/K0110-mixed-keywords.kh",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("K0110"));
}

/// The comments of a spec, in order (a `//` outside a string, to the end of
/// its line).
fn comments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in line.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '/' if !in_string && line[i..].starts_with("//") => {
                    out.push(line[i..].trim_end().to_string());
                    break;
                }
                _ => {}
            }
        }
    }
    out
}

#[test]
fn every_comment_is_kept_in_order() {
    let mut total = 0;
    for (name, text) in every_spec() {
        let expected = comments(&text);
        total += expected.len();
        for set in [KeywordSet::En, KeywordSet::Zh] {
            assert_eq!(
                comments(&format(&text, Some(set)).unwrap()),
                expected,
                "{name}"
            );
        }
    }
    assert!(total >= 250, "only {total} comments");
}
