//! GET /api/keywords: every keyword and type word of the language, in both
//! sets, from the grammar's one keyword table (parse::keywords), so that
//! the page's highlighting never keeps a list of its own.

use crate::parse::Rule;
use crate::parse::keywords::{self, KeywordSet};
use axum::Json;
use serde_json::{Value, json};

/// `{"keywords": [{"en", "zh", "kind": "keyword"|"type"|"literal", "label"}]}`
/// (`label`: a label follows the word),
/// longest spelling first (as a tokenizer tries them).
pub(crate) async fn list() -> Json<Value> {
    let mut words: Vec<(Rule, &str, &str)> = Rule::all_rules()
        .iter()
        .filter(|&&r| keywords::is_word(r))
        .filter_map(|&r| {
            let en = keywords::spelling(r, KeywordSet::En)?;
            let zh = keywords::spelling(r, KeywordSet::Zh)?;
            Some((r, en, zh))
        })
        .collect();
    words.sort_by_key(|(_, en, zh)| std::cmp::Reverse(en.chars().count().max(zh.chars().count())));
    let list: Vec<Value> = words
        .into_iter()
        .map(|(rule, en, zh)| {
            let kind = if format!("{rule:?}").starts_with("ty_") {
                "type"
            } else if matches!(rule, Rule::kw_true | Rule::kw_false) {
                "literal"
            } else {
                "keyword"
            };
            // The words a label follows (`item 1.1`, `事项 1.1`).
            let label = matches!(rule, Rule::kw_section | Rule::kw_indicator | Rule::kw_item);
            json!({"en": en, "zh": zh, "kind": kind, "label": label})
        })
        .collect();
    Json(json!({ "keywords": list }))
}
