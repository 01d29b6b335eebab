//! The editors' highlighting, generated from the grammar's keyword table so
//! that it cannot drift from it.
//!
//! `editors/vscode/syntaxes/kaohe.tmLanguage.json` (a TextMate grammar,
//! which VS Code, and many other editors, read) is written by `grammar()`
//! below: its keyword lists come from `service::keyword_table()`, the
//! keyword table at the end of grammar/kaohe.pest. The test fails when the
//! file differs from what `grammar()` writes; `KAOHE_BLESS=1 cargo test
//! --test editors` rewrites it. Edit the TextMate grammar here, not in the
//! JSON.

use kaohe::api::service::{KeywordEntry, keyword_table};
use serde_json::{Value, json};
use std::path::Path;

const GRAMMAR: &str = "editors/vscode/syntaxes/kaohe.tmLanguage.json";

/// White space between the words of a keyword of several words (`at most`,
/// also typed with an ideographic space), as the grammar reads it.
const SPACE: &str = "[ \\t\u{3000}]+";
/// Not a letter, digit or `_` before a word.
const WORD_START: &str = "(?<![\\p{L}\\p{N}_])";
/// An English keyword ends where no identifier character follows.
const EN_END: &str = "(?![\\p{L}\\p{N}_])";
/// A Chinese keyword ends where no Han character follows (`扣0.5`, not
/// `扣分项`), as the grammar's `zh_end`.
const ZH_END: &str = "(?!\\p{Han})";
/// A name (an input, enumeration, standard…): the grammar's `ident`.
const NAME: &str = "[\\p{L}_][\\p{L}\\p{N}_]*";
/// An id as tables write them (the grammar's `label`): 一、 (一) （一） 1.
/// (1) ① A.1 1-1 一.1.
const LABEL: &str = "[\\p{L}\\p{N}_.\\-．。－、()（）①-⑳]+";
const DIGIT: &str = "[0-9０-９]";

/// What a keyword is, for a theme: the TextMate scope of each group.
fn scope(k: &KeywordEntry) -> &'static str {
    match k.rule.as_str() {
        "kw_table" | "kw_enum" | "kw_input" | "kw_section" | "kw_indicator" | "kw_item"
        | "kw_part" | "kw_standard" | "kw_result" => "storage.type.kaohe",
        "kw_and" | "kw_or" | "kw_not" => "keyword.operator.word.kaohe",
        "kw_true" | "kw_false" => "constant.language.boolean.kaohe",
        "kw_deduct" | "kw_add" | "kw_exempt" | "kw_veto" | "kw_extra" | "kw_waived"
        | "kw_judged" | "kw_if" | "kw_unless" | "kw_then" | "kw_else" | "kw_match" | "kw_bands"
        | "kw_linear" | "kw_to" | "kw_per" | "kw_each" | "kw_in" | "kw_where" | "kw_at_most"
        | "kw_above" | "kw_below" | "kw_whole" | "kw_continuous" | "kw_of" | "kw_once"
        | "kw_at" | "kw_highest" => "keyword.control.kaohe",
        _ => "keyword.other.kaohe",
    }
}

/// A regex alternation of words, longest first (an alternation takes the
/// first that matches: `最高者` before `最高`), each escaped, with the
/// spaces of an English keyword read as the grammar reads them.
fn alternation<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut words: Vec<&str> = words.collect();
    words.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    words.dedup();
    words
        .iter()
        .map(|w| {
            w.split(' ')
                .map(|part| {
                    part.chars()
                        .map(|c| {
                            if c.is_alphanumeric() {
                                c.to_string()
                            } else {
                                format!("\\{c}")
                            }
                        })
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join(SPACE)
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// A regex that matches any of `entries` in either set, as a word.
fn words(entries: &[&KeywordEntry]) -> String {
    let en = alternation(entries.iter().map(|k| k.en));
    let zh = alternation(entries.iter().map(|k| k.zh));
    format!("{WORD_START}(?:(?:{en}){EN_END}|(?:{zh}){ZH_END})")
}

/// The whole TextMate grammar.
fn grammar() -> Value {
    let table = keyword_table();
    let reserved: Vec<&KeywordEntry> = table.iter().filter(|k| k.kind == "keyword").collect();
    let types: Vec<&KeywordEntry> = table.iter().filter(|k| k.kind == "type").collect();
    let find = |rule: &str| {
        table
            .iter()
            .find(|k| k.rule == rule)
            .unwrap_or_else(|| panic!("{rule} is no longer in the keyword table"))
    };
    let one = |rule: &str| words(&[find(rule)]);
    let headings = words(&[find("kw_section"), find("kw_indicator"), find("kw_item")]);

    // The keywords, group by group, in the order of `scope`'s groups.
    let mut groups: Vec<(&str, Vec<&KeywordEntry>)> = Vec::new();
    for k in &reserved {
        let s = scope(k);
        match groups.iter_mut().find(|(g, _)| *g == s) {
            Some((_, list)) => list.push(k),
            None => groups.push((s, vec![k])),
        }
    }
    groups.sort_by_key(|(s, _)| *s);
    let keyword_patterns: Vec<Value> = groups
        .iter()
        .map(|(s, list)| json!({ "name": s, "match": words(list) }))
        .collect();
    let all_keywords = words(&reserved);
    // A unit (the grammar's `unit`): % or a word that is no keyword.
    let unit = format!("[%％]|(?!{all_keywords})[\\p{{L}}μµ_][\\p{{L}}\\p{{N}}_/³²·μµ]*");

    json!({
        "$schema": "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
        "name": "kaohe",
        "scopeName": "source.kaohe",
        "fileTypes": ["kh"],
        "comment": "Generated from the keyword table of grammar/kaohe.pest by tests/editors.rs (KAOHE_BLESS=1 cargo test --test editors): edit it there.",
        "patterns": [
            { "include": "#comment" },
            { "include": "#string" },
            { "include": "#declaration" },
            { "include": "#heading" },
            { "include": "#type" },
            { "include": "#date" },
            { "include": "#quantity" },
            { "include": "#keyword" },
            { "include": "#call" },
            { "include": "#operator" },
            { "include": "#punctuation" }
        ],
        "repository": {
            "comment": {
                "name": "comment.line.double-slash.kaohe",
                "match": "//.*$"
            },
            "string": {
                "comment": "A text ends on its line, as the grammar reads it: a quote left open colours no more than its line.",
                "patterns": [
                    {
                        "name": "string.quoted.double.kaohe",
                        "begin": "\"",
                        "end": "\"|$",
                        "patterns": [
                            { "name": "constant.character.escape.kaohe", "match": "\\\\[\"\\\\n]" }
                        ]
                    },
                    { "name": "string.quoted.other.chinese.kaohe", "begin": "“", "end": "”|$" },
                    { "name": "string.quoted.single.chinese.kaohe", "begin": "‘", "end": "’|$" }
                ]
            },
            "declaration": {
                "comment": "The name an input, enumeration or standard declares.",
                "patterns": [
                    {
                        "match": format!("({})[ \\t\u{3000}]+({NAME})", one("kw_input")),
                        "captures": {
                            "1": { "name": "storage.type.kaohe" },
                            "2": { "name": "variable.other.definition.kaohe" }
                        }
                    },
                    {
                        "match": format!("({})[ \\t\u{3000}]+({NAME})", one("kw_enum")),
                        "captures": {
                            "1": { "name": "storage.type.kaohe" },
                            "2": { "name": "entity.name.type.kaohe" }
                        }
                    },
                    {
                        "match": format!(
                            "({})[ \\t\u{3000}]+({NAME})[ \\t\u{3000}]+({})[ \\t\u{3000}]+({NAME})",
                            one("kw_standard"),
                            one("ctx_by")
                        ),
                        "captures": {
                            "1": { "name": "storage.type.kaohe" },
                            "2": { "name": "variable.other.constant.definition.kaohe" },
                            "3": { "name": "keyword.other.kaohe" },
                            "4": { "name": "variable.other.kaohe" }
                        }
                    }
                ]
            },
            "heading": {
                "comment": "The id after section, indicator and item (一、 (一) 1. ①).",
                "match": format!("({headings})[ \\t\u{3000}]+({LABEL})"),
                "captures": {
                    "1": { "name": "storage.type.kaohe" },
                    "2": { "name": "entity.name.section.kaohe" }
                }
            },
            "type": {
                "comment": "Type words are not reserved: they are types only after a colon (`input x: count 次`, a list's fields).",
                "match": format!("([:：])[ \\t\u{3000}]*({})(?:[ \\t\u{3000}]*({unit}))?", words(&types)),
                "captures": {
                    "1": { "name": "punctuation.separator.colon.kaohe" },
                    "2": { "name": "support.type.kaohe" },
                    "3": { "name": "keyword.other.unit.kaohe" }
                }
            },
            "date": {
                "name": "constant.numeric.date.kaohe",
                "match": format!(
                    "{WORD_START}(?:{DIGIT}{{4}}(?:[-－]{DIGIT}{{2}}[-－]{DIGIT}{{2}}|年{DIGIT}{{1,2}}月{DIGIT}{{1,2}}日|/{DIGIT}{{1,2}}/{DIGIT}{{1,2}})|{DIGIT}{{1,2}}月{DIGIT}{{1,2}}日)"
                )
            },
            "quantity": {
                "comment": "A number, and the unit after it (% ％ 次 μg/m³ 分), which is never a keyword.",
                "match": format!(
                    "{WORD_START}({DIGIT}+(?:[.．。]{DIGIT}+)?)(?:[ \u{3000}]?({unit}))?"
                ),
                "captures": {
                    "1": { "name": "constant.numeric.kaohe" },
                    "2": { "name": "keyword.other.unit.kaohe" }
                }
            },
            "keyword": { "patterns": keyword_patterns },
            "call": {
                "match": format!("({NAME})(?=[ \\t]*[(（])"),
                "captures": { "1": { "name": "support.function.kaohe" } }
            },
            "operator": {
                "patterns": [
                    { "name": "keyword.operator.arrow.kaohe", "match": "=>" },
                    { "name": "keyword.operator.comparison.kaohe", "match": ">=|<=|!=|≥|≤|≠|<|>|=" },
                    { "name": "keyword.operator.arithmetic.kaohe", "match": "[-－+*×/÷]" }
                ]
            },
            "punctuation": {
                "patterns": [
                    { "name": "punctuation.section.braces.kaohe", "match": "[{}]" },
                    { "name": "punctuation.section.parens.kaohe", "match": "[()（）]" },
                    { "name": "punctuation.separator.comma.kaohe", "match": "[,，、]" },
                    { "name": "punctuation.separator.colon.kaohe", "match": "[:：]" },
                    { "name": "punctuation.accessor.kaohe", "match": "[.．]" }
                ]
            }
        }
    })
}

#[test]
fn the_vscode_grammar_is_generated_from_the_keyword_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(GRAMMAR);
    let want = serde_json::to_string_pretty(&grammar()).unwrap() + "\n";
    if std::env::var_os("KAOHE_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{GRAMMAR} does not match the grammar's keyword table: run `KAOHE_BLESS=1 cargo test --test editors` and commit the file"
    );
}

#[test]
fn every_keyword_of_both_sets_is_in_the_vscode_grammar() {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(GRAMMAR)).unwrap();
    for k in keyword_table() {
        for w in [k.en, k.zh] {
            let spelled = w.replace(' ', &SPACE.replace('\\', "\\\\"));
            assert!(text.contains(&spelled), "{} ({w}) is missing", k.rule);
        }
    }
}

#[test]
fn the_vscode_package_names_the_grammar_and_the_language() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode");
    let package: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("package.json")).unwrap()).unwrap();
    let language = &package["contributes"]["languages"][0];
    assert_eq!(language["id"], "kaohe");
    assert_eq!(language["extensions"], json!([".kh"]));
    let grammar = &package["contributes"]["grammars"][0];
    assert_eq!(grammar["scopeName"], "source.kaohe");
    assert!(root.join(grammar["path"].as_str().unwrap()).exists());
    // Both configuration files are JSON (a syntax error would disable them
    // silently in VS Code).
    for f in ["language-configuration.json", "tsconfig.json"] {
        let _: Value = serde_json::from_str(&std::fs::read_to_string(root.join(f)).unwrap())
            .unwrap_or_else(|e| panic!("{f}: {e}"));
    }
    // Versions are pinned, and a lock file made by npm is committed.
    for deps in ["dependencies", "devDependencies"] {
        for (name, version) in package[deps].as_object().unwrap() {
            let v = version.as_str().unwrap();
            assert!(
                v.chars().all(|c| c.is_ascii_digit() || c == '.'),
                "{name} {v} is not pinned"
            );
        }
    }
    assert!(root.join("package-lock.json").exists());
}
