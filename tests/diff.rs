//! `kaohe diff`: the 2024 spec against a copy with one score changed, one
//! item removed and one rule changed reports exactly those three, and with
//! data shows their effect.

// Tests may fail loudly: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{kaohe, read, root};

fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from} should occur once");
    text.replacen(from, to, 1)
}

/// The edited copy: 1.2 is worth 3 (was 2), 3.2 (worth 1) is gone, so the
/// total stays 200; 1.3 asks for two meetings instead of one. The edits are
/// made on the English-keyword form of the spec, whatever set it is kept in.
fn edited() -> std::path::PathBuf {
    let text = read(&root().join("specs/liucheng-2024.kh"));
    let spec = kaohe::fmt::format(&text, Some(kaohe::parse::keywords::KeywordSet::En))
        .expect("the spec formats");
    let spec = replace_once(
        &spec,
        "\"在辖区内实施目标责任制考核\" score 2",
        "\"在辖区内实施目标责任制考核\" score 3",
    );
    let spec = replace_once(
        &spec,
        "eco_committee_meetings below 1",
        "eco_committee_meetings below 2",
    );
    let start = spec.find("    item 3.2 ").unwrap();
    let end = start + spec[start..].find("\n    }\n").unwrap() + "\n    }\n".len();
    let spec = format!("{}{}", &spec[..start], &spec[end..]);
    let dir = std::env::temp_dir().join(format!("kaohe-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("edited.kh");
    std::fs::write(&path, spec).unwrap();
    path
}

#[test]
fn reports_exactly_the_three_changes() {
    let new = edited();
    let o = kaohe(&[
        "--lang",
        "en",
        "diff",
        "specs/liucheng-2024.kh",
        new.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let changes: Vec<(String, String)> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["change"].as_str().unwrap().into(),
                c["id"].as_str().unwrap().into(),
            )
        })
        .collect();
    let pairs = |v: &[(&str, &str)]| {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        changes,
        pairs(&[("score", "1.2"), ("rule", "1.3"), ("removed", "3.2")])
    );
    assert_eq!(v["changes"][0]["old"], "2");
    assert_eq!(v["changes"][0]["new"], "3");
    assert!(v["changes"][1]["new"].as_str().unwrap().contains("少于2的"));
    assert_eq!(v["base_total"]["old"], "200");
    assert_eq!(v["base_total"]["new"], "200");
}

#[test]
fn with_data_shows_the_effect_on_each_entity() {
    let new = edited();
    let o = kaohe(&[
        "--lang",
        "en",
        "diff",
        "specs/liucheng-2024.kh",
        new.to_str().unwrap(),
        "--data",
        "examples/liucheng-2024/mixed.json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8_lossy(&o.stdout).replace(new.to_str().unwrap(), "edited.kh");
    insta::with_settings!({ snapshot_path => root().join("tests/snapshots"), prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("diff-mixed", out);
    });
}

#[test]
fn a_spec_against_itself_has_no_changes() {
    let o = kaohe(&[
        "--lang",
        "en",
        "diff",
        "specs/liucheng-2024.kh",
        "specs/liucheng-2024.kh",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("0 changes\n"));
}
