//! GET /api/keywords: every keyword and type word of the language, in both
//! sets, from the language service's keyword table (service::keyword_table,
//! which the VS Code grammar is generated from too), so that the page's
//! highlighting never keeps a list of its own.

use crate::service::{KeywordEntry, keyword_table};
use axum::Json;
use serde_json::{Value, json};

/// `{"keywords": [{"en", "zh", "kind": "keyword"|"type"|"literal", "label",
/// "meaning_en", "meaning_zh"}]}` (`label`: a label follows the word),
/// longest spelling first (as a tokenizer tries them). Contextual words
/// (`by` after `standard NAME`) are left out: elsewhere they are names.
pub(crate) async fn list() -> Json<Value> {
    let mut words: Vec<KeywordEntry> = keyword_table()
        .into_iter()
        .filter(|k| k.kind != "contextual")
        .collect();
    let longest = |k: &KeywordEntry| k.en.chars().count().max(k.zh.chars().count());
    words.sort_by_key(|k| std::cmp::Reverse(longest(k)));
    let list: Vec<Value> = words
        .into_iter()
        .map(|k| {
            let kind = match k.rule.as_str() {
                "kw_true" | "kw_false" => "literal",
                _ => k.kind,
            };
            // The words a label follows (`item 1.1`, `事项 1.1`).
            let label = matches!(k.rule.as_str(), "kw_section" | "kw_indicator" | "kw_item");
            json!({"en": k.en, "zh": k.zh, "kind": kind, "label": label,
                   "meaning_en": k.meaning_en, "meaning_zh": k.meaning_zh})
        })
        .collect();
    Json(json!({ "keywords": list }))
}
