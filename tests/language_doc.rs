//! Every example in docs/language.md checks, and where a `data` and an
//! `expect` block follow it, scores as the document says.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{differences, eval_json, read, rendered, root};

/// The fenced blocks of the document, as (info string, body).
fn blocks(doc: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        if let Some(info) = line.strip_prefix("```") {
            let body: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.starts_with("```"))
                .collect();
            out.push((info.trim().to_string(), body.join("\n") + "\n"));
        }
    }
    out
}

/// An example that starts with `item` is checked inside a scaffold, and
/// one of declarations alone gets an item so that it is a whole spec.
fn complete(example: &str) -> String {
    if example.trim_start().starts_with("item") {
        format!("section 1 \"s\" {{\n  indicator 1 \"i\" {{\n{example}  }}\n}}\n")
    } else if !example.contains("item ") {
        format!(
            "{example}section 1 \"s\" {{ indicator 1 \"i\" {{ item 1.1 \"x\" score 1 {{ deduct 1 if false }} }} }}\n"
        )
    } else {
        example.to_string()
    }
}

#[test]
fn every_example_checks_and_scores_as_documented() {
    let doc = read(&root().join("docs/language.md"));
    let blocks = blocks(&doc);
    let mut examples = 0;
    let mut scored = 0;
    for (i, (info, body)) in blocks.iter().enumerate() {
        if info != "kaohe" {
            continue;
        }
        examples += 1;
        let spec = complete(body);
        let compiled = kaohe::api::compile(&spec);
        let errors: Vec<_> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        assert!(
            errors.is_empty(),
            "example {examples} does not check:\n{}",
            rendered("example", &spec, &errors)
        );
        if let (Some((d, data)), Some((x, expect))) = (blocks.get(i + 1), blocks.get(i + 2))
            && d == "data"
            && x == "expect"
        {
            let report = eval_json("example", &spec, data);
            let data: serde_json::Value = serde_json::from_str(data).unwrap();
            let id = data["id"].as_str().unwrap_or("A").to_string();
            let items: serde_json::Value = serde_json::from_str(expect).unwrap();
            let want = serde_json::json!({ id: { "items": items } });
            let diffs = differences(&report, &want);
            assert!(
                diffs.is_empty(),
                "example {examples}:\n{}",
                diffs.join("\n")
            );
            scored += 1;
        }
    }
    assert!(examples >= 10, "only {examples} examples found");
    assert!(scored >= 6, "only {scored} examples were scored");
}
