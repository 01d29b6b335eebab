//! `kaohe fmt` over every spec of the repo: idempotent, meaning-preserving,
//! and zh → en → zh byte-identical; and the CLI's `--check`.

// Tests may fail loudly: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{read, root};
use kaohe::api::{KeywordSet, format};
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
    specs.retain(|(_, text)| kaohe::api::compile(text).spec.is_some());
    assert!(specs.len() > 40, "only {} specs found", specs.len());
    specs
}

/// The checked program of a spec, printed with its spans cleared.
fn meaning(text: &str) -> String {
    let spec = kaohe::api::compile(text).spec.expect("checks");
    format!("{:#?}", spec.program().without_spans())
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
    let dir = common::tempdir("fmt", "fmt");
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

/// A spec as typed with a Chinese input method left in full-width mode:
/// outside texts and comments, `, : ( ) . - %` and the digits of numbers,
/// ids and dates become ，：（）．－％ and ０-９ (digits inside names stay, as
/// a name is typed in English), every `, ` between list entries of a
/// `responsible` line becomes 、, the indent becomes ideographic spaces, and
/// texts without quotes or backslashes in them are quoted “…”.
fn full_width(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for line in text.split_inclusive('\n') {
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        out.push_str(&"\u{3000}".repeat(indent / 2));
        out.push_str(&" ".repeat(indent % 2));
        let mut chars = body.char_indices().peekable();
        let mut in_name = false;
        while let Some((i, c)) = chars.next() {
            if c == '/' && body[i..].starts_with("//") {
                out.push_str(&body[i..]);
                break;
            }
            if c == '“' {
                // Already in Chinese quotes: kept as it is.
                let len = body[i..].find('”').unwrap() + '”'.len_utf8();
                out.push_str(&body[i..i + len]);
                for _ in 0..body[i..i + len].chars().count() - 1 {
                    chars.next();
                }
                in_name = false;
                continue;
            }
            if c == '"' {
                let rest = &body[i + 1..];
                let end = rest.find(['"', '\\']).unwrap();
                let inner = &rest[..end];
                if rest[end..].starts_with('"') && !inner.contains(['“', '”']) {
                    out.push('“');
                    out.push_str(inner);
                    out.push('”');
                } else {
                    // Keep an escaped text as it is: read up to its close.
                    let mut j = 0;
                    let bytes = rest.as_bytes();
                    while bytes[j] != b'"' {
                        j += if bytes[j] == b'\\' { 2 } else { 1 };
                    }
                    out.push('"');
                    out.push_str(&rest[..=j]);
                    let skip = rest[..=j].chars().count();
                    for _ in 0..skip {
                        chars.next();
                    }
                    in_name = false;
                    continue;
                }
                for _ in 0..=inner.chars().count() {
                    chars.next();
                }
                in_name = false;
                continue;
            }
            let mapped = match c {
                '0'..='9' if !in_name => char::from_u32(c as u32 + 0xFEE0),
                ',' if body.trim_start().starts_with("责任单位") => Some('、'),
                ',' | ':' | '(' | ')' | '%' => char::from_u32(c as u32 + 0xFEE0),
                '.' if !in_name => Some('．'),
                '-' if !body[i..].starts_with("->") => Some('－'),
                _ => None,
            };
            out.push(mapped.unwrap_or(c));
            in_name = c.is_ascii_alphabetic() || c == '_' || (in_name && c.is_ascii_digit());
        }
    }
    out
}

#[test]
fn a_spec_typed_in_full_width_checks_the_same_and_formats_to_ascii() {
    let mut changed = 0;
    for (name, text) in every_spec() {
        let typed = full_width(&text);
        if typed == text {
            continue;
        }
        changed += 1;
        let compiled = kaohe::api::compile(&typed);
        assert!(
            compiled.spec.is_some(),
            "{name} typed in full width does not check: {:#?}\n{typed}",
            compiled.diagnostics
        );
        // A clause without a reason is explained by its text as written.
        assert_eq!(
            without_reasons(&meaning(&typed)),
            without_reasons(&meaning(&text)),
            "{name}"
        );
        for set in [None, Some(KeywordSet::En), Some(KeywordSet::Zh)] {
            assert_eq!(
                format(&typed, set).unwrap(),
                format(&text, set).unwrap(),
                "{name}"
            );
        }
    }
    assert!(changed > 40, "only {changed} specs changed");
    // The 2024 table itself, all 71 items.
    let table = read(&root().join("specs/liucheng-2024.kh"));
    let typed = full_width(&table);
    assert!(typed.contains('（') && typed.contains('“') && typed.contains('０'));
    assert_eq!(format(&typed, None).unwrap(), table);
}

/// The full-width example of docs/language.md ("As typed") checks, and
/// formats to ASCII punctuation and digits outside its texts.
#[test]
fn the_full_width_example_of_the_language_reference_checks() {
    let doc = read(&root().join("docs/language.md"));
    let section = &doc[doc.find("## As typed").unwrap()..];
    let start = section.find("\n```\n").unwrap() + 5;
    let example = &section[start..start + section[start..].find("```").unwrap()];
    assert!(example.contains('：') && example.contains('“'));
    let compiled = kaohe::api::compile(example);
    assert!(compiled.spec.is_some(), "{:#?}", compiled.diagnostics);
    let formatted = format(example, None).unwrap();
    assert!(
        formatted.contains("数据 meetings: 计数 次 \"会议次数\""),
        "{formatted}"
    );
    assert!(
        formatted.contains("扣 0.5 每 meetings 低于 2"),
        "{formatted}"
    );
    assert!(
        formatted.contains("扣 1 若 due > 5月31日 \"逾期扣1分\""),
        "{formatted}"
    );
    assert!(
        formatted.contains("责任单位 \"办公室\", \"党办\""),
        "{formatted}"
    );
}

/// 分 after points in the header and an item's score is kept, next to
/// its number, and the text means what it means without it.
#[test]
fn points_written_with_fen_keep_it_next_to_the_number() {
    let text = "考核表 \"t\" {\n  年度 2024\n  总分 3 分\n  加分项 最高 1分\n}\n\n一级指标 1 \"s\" {\n  二级指标 1 \"i\" {\n    考核事项 1.1 \"x\" 分值 3分 {\n      数据 ok: 是否 \"是否完成\"\n      扣 1 除非 ok \"未完成扣1分\"\n    }\n  }\n}\n";
    let formatted = kaohe::api::format(text, None).unwrap();
    assert!(formatted.contains("  总分 3分\n"), "{formatted}");
    assert!(formatted.contains("  加分项 最高 1分\n"), "{formatted}");
    assert!(
        formatted.contains("考核事项 1.1 \"x\" 分值 3分 {"),
        "{formatted}"
    );
    assert_eq!(kaohe::api::format(&formatted, None).unwrap(), formatted);
    let without = formatted.replace("3分", "3").replace("1分\n", "1\n");
    let (a, b) = (
        kaohe::api::compile(&formatted),
        kaohe::api::compile(&without),
    );
    assert!(
        a.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        a.diagnostics
    );
    assert_eq!(
        a.spec.map(|s| s.program().base_total),
        b.spec.map(|s| s.program().base_total)
    );
}

/// A heading's points (levels) in both keyword sets, with the declared
/// difference, `分` after the points and full-width digits as typed.
#[test]
fn heading_points_convert_between_the_keyword_sets() {
    let zh = "一级指标 一 “安全” 分值 ７ 分 {\n  二级指标 1 \"组织\" 分值 7分 下级合计 6分 {\n    考核事项 1.1 \"会议\" 分值 6 {\n      扣 6 若 否\n    }\n  }\n}\n";
    let en = format(zh, Some(KeywordSet::En)).unwrap();
    assert!(en.contains("section 一 \"安全\" score 7分 {"), "{en}");
    assert!(
        en.contains("indicator 1 \"组织\" score 7分 children sum 6分 {"),
        "{en}"
    );
    let back = format(&en, Some(KeywordSet::Zh)).unwrap();
    assert!(
        back.contains("二级指标 1 \"组织\" 分值 7分 下级合计 6分 {"),
        "{back}"
    );
    assert_eq!(format(&back, Some(KeywordSet::En)).unwrap(), en);
}
