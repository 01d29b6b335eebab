//! The fast path (`parse::fast`) against the pest path: for every text,
//! either the fast path gives up, or both give the same tree, spans
//! included; and whenever pest fails, the fast path gives up. Checked on
//! every spec of the repository (every `.kh` file, found anew each run, and
//! the examples of docs/language.md), on generated specs (the 10,000-item
//! generator and the property generators of `synth::random`) and on
//! mutations of all of these (tokens and lines deleted, inserted and
//! duplicated, keywords swapped into the other set, full-width characters,
//! odd white space and comments, texts cut short).

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use super::ast::Spec;
use super::keywords::{self, KeywordSet};
use super::{Rule, fast, limits, parse_with_pest};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// The fast path as `parse` runs it: only on text within the limits.
fn fast_of(text: &str) -> Option<Spec> {
    if limits::check(text).is_some() {
        return None;
    }
    fast::parse(text)
}

/// Whether the fast path took `text`; panics when it gave another tree than
/// pest's, or a tree where pest failed.
fn same(text: &str) -> bool {
    let fast = fast_of(text);
    let (pest, diags) = parse_with_pest(text);
    match (fast, pest) {
        (None, _) => false,
        (Some(f), Some(p)) => {
            assert!(diags.is_empty(), "{diags:?}");
            if f != p {
                let (f, p) = (format!("{f:#?}"), format!("{p:#?}"));
                let line = f
                    .lines()
                    .zip(p.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                let show = |s: &str| {
                    s.lines()
                        .skip(line.saturating_sub(8))
                        .take(16)
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                panic!(
                    "the trees differ at line {line} of their debug forms\nfast:\n{}\npest:\n{}\ntext:\n{text}",
                    show(&f),
                    show(&p)
                );
            }
            true
        }
        (Some(_), None) => panic!("the fast path read a text pest refuses ({diags:?}):\n{text}"),
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.kh` file under `dir`, build output and version control aside.
fn kh_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                kh_files(&path, out);
            }
        } else if name.ends_with(".kh") {
            out.push(path);
        }
    }
}

/// The examples of docs/language.md as whole specs (as tests/language_doc.rs
/// completes them), and the document's other blocks as they are.
fn doc_examples() -> Vec<String> {
    let doc = std::fs::read_to_string(root().join("docs/language.md")).unwrap();
    let mut out = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        if line.starts_with("```") {
            let body: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.starts_with("```"))
                .collect();
            let example = body.join("\n") + "\n";
            let whole = if example.trim_start().starts_with("item") {
                format!("section 1 \"s\" {{\n  indicator 1 \"i\" {{\n{example}  }}\n}}\n")
            } else if !example.contains("item ") {
                format!(
                    "{example}section 1 \"s\" {{ indicator 1 \"i\" {{ item 1.1 \"x\" score 1 {{ deduct 1 if false }} }} }}\n"
                )
            } else {
                example.clone()
            };
            out.push(example);
            out.push(whole);
        }
    }
    out
}

/// Every spec text of the repository: (where, text).
fn corpus() -> Vec<(String, String)> {
    let mut files = Vec::new();
    kh_files(&root(), &mut files);
    files.sort();
    let mut out: Vec<(String, String)> = files
        .iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(p).ok()?)))
        .collect();
    for (i, e) in doc_examples().into_iter().enumerate() {
        out.push((format!("docs/language.md block {i}"), e));
    }
    out
}

#[test]
fn every_spec_of_the_repository_parses_the_same_and_every_table_fast() {
    let corpus = corpus();
    assert!(corpus.len() > 50, "{}", corpus.len());
    let mut taken = 0;
    let mut valid = 0;
    for (name, text) in &corpus {
        let fast = same(text);
        taken += usize::from(fast);
        valid += usize::from(parse_with_pest(text).1.is_empty());
        // The real tables (specs/) all take the fast path: that is what
        // makes a check fast.
        if name.contains("/specs/") {
            assert!(fast, "{name} declined by the fast path");
        }
    }
    // Every text that parses takes the fast path, unless the builders
    // refuse it (a duplicate entry, two keyword sets, …).
    assert!(taken * 10 >= valid * 9, "{taken} of {valid}");
}

#[test]
fn generated_specs_parse_the_same() {
    for items in [1, 7, 100, 1000, 10_000] {
        let text = crate::synth::spec(items);
        assert!(same(&text), "{items} items declined");
    }
}

/// The keyword guard answers as the grammar's: a word is refused as a name
/// by both or by neither (every spelling, its beginnings, many endings).
#[test]
fn the_keyword_guard_is_the_grammars() {
    let mut checked = 0;
    for text in keywords::probes() {
        assert_eq!(
            fast::is_keyword_start(&text),
            keywords::refused_as_name(&text),
            "{text:?}"
        );
        checked += 1;
    }
    assert!(checked > 5_000, "{checked}");
}

// ---------------------------------------------------------------- mutations

/// Pieces to insert: keywords of both sets, marks, numbers, texts, names,
/// full-width characters, odd white space and comments.
fn pieces() -> Vec<String> {
    let mut out: Vec<String> = [
        "{",
        "}",
        "(",
        ")",
        "（",
        "）",
        ",",
        "，",
        "、",
        ":",
        "：",
        ".",
        "．",
        "=>",
        "=",
        ">=",
        "<",
        "≤",
        "-",
        "－",
        "+",
        "*",
        "/",
        "%",
        "％",
        "分",
        "1",
        "0.5",
        "１",
        "０．５",
        "2024",
        "2024-05-31",
        "5月31日",
        "2024年5月31日",
        "2024/5/31",
        "13月1日",
        "\"x\"",
        "“甲”",
        "‘乙’",
        "\"a\\\"b\"",
        "\"",
        "“",
        "x",
        "_a",
        "甲",
        "a.b",
        "f(x)",
        "max(1,000)",
        "max(1, 2)",
        "count(r in xs where r.ok)",
        " ",
        "\t",
        "\n",
        "\r\n",
        "\u{3000}",
        "\u{FEFF}",
        "// note\n",
        "//",
        "ｘ",
        "ａｂ",
        "；",
        "。",
        "【",
        "μg/m³",
        "个",
        "1 分",
        "score 3",
        "分值 3",
        "at most 2",
        "最高 2",
        "if x",
        "若 x",
        "else",
        "否则",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for &rule in Rule::all_rules() {
        if keywords::is_word(rule) {
            for set in [KeywordSet::En, KeywordSet::Zh] {
                if let Some(w) = keywords::spelling(rule, set) {
                    out.push(w.to_string());
                }
            }
        }
    }
    out
}

/// The English and Chinese spellings of every keyword and type word.
fn spellings() -> Vec<(String, String)> {
    Rule::all_rules()
        .iter()
        .filter(|&&r| keywords::is_word(r))
        .filter_map(|&r| {
            Some((
                keywords::spelling(r, KeywordSet::En)?.to_string(),
                keywords::spelling(r, KeywordSet::Zh)?.to_string(),
            ))
        })
        .collect()
}

/// The char boundary at or before `at`.
fn boundary(text: &str, at: usize) -> usize {
    let mut i = at.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One mutation of `text`, chosen by `kind`, at about `at`, with `piece`.
fn mutate(
    text: &str,
    kind: u8,
    at: usize,
    piece: &str,
    spellings: &[(String, String)],
    pick: usize,
) -> String {
    let i = boundary(text, at);
    let (head, tail) = text.split_at(i);
    // The word (run without white space) that begins at i.
    let word_end = tail.find(char::is_whitespace).unwrap_or(tail.len());
    let line_start = head.rfind('\n').map_or(0, |p| p + 1);
    let line_end = tail.find('\n').map_or(text.len(), |p| i + p + 1);
    match kind % 12 {
        0 => format!("{head}{piece}{tail}"),
        1 => format!("{head} {piece} {tail}"),
        2 => format!("{head}{}", &tail[word_end..]),
        3 => format!("{head}{} {tail}", &tail[..word_end]),
        4 => format!("{}{}", &text[..line_start], &text[line_end..]),
        5 => format!("{}{}", &text[..line_end], &text[line_start..]),
        6 => text[..i].to_string(),
        7 | 8 => {
            // A keyword swapped into the other set (one occurrence, or all).
            let (en, zh) = &spellings[pick % spellings.len()];
            let (from, to) = if kind.is_multiple_of(2) {
                (en, zh)
            } else {
                (zh, en)
            };
            match tail.find(from.as_str()) {
                Some(p) => format!("{head}{}{to}{}", &tail[..p], &tail[p + from.len()..]),
                None => text.replace(from.as_str(), to),
            }
        }
        9 => {
            // Full-width forms from here to the line's end.
            let rest: String = text[i..line_end.max(i)]
                .chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
                    ',' => '，',
                    ':' => '：',
                    '(' => '（',
                    ')' => '）',
                    '.' => '．',
                    '%' => '％',
                    ' ' => '\u{3000}',
                    '"' => '“',
                    c => c,
                })
                .collect();
            format!("{head}{rest}{}", &text[line_end.max(i)..])
        }
        10 => format!("{head}{piece}{}", &tail[word_end..]),
        _ => {
            // Odd white space and comments between tokens.
            let gap = ["\t", "\u{3000}", "\r\n", " // c\n", "\n\n", "\u{FEFF}"][pick % 6];
            text.replace(" {", &format!("{gap}{{"))
                .replacen(' ', gap, 1 + pick % 7)
        }
    }
}

/// The texts mutated: the repository's (the large tables cut to their
/// first items, so that many cases run) and a generated one.
fn bases() -> Vec<String> {
    let mut out: Vec<String> = corpus().into_iter().map(|(_, t)| t).collect();
    out.push(crate::synth::spec(5));
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_specs_parse_the_same_or_take_the_pest_path(
        base in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<u8>(), any::<prop::sample::Index>(), any::<prop::sample::Index>(), any::<usize>()), 1..4),
    ) {
        thread_local! {
            static BASES: Vec<String> = bases();
            static PIECES: Vec<String> = pieces();
            static SPELLINGS: Vec<(String, String)> = spellings();
        }
        let mut text = BASES.with(|b| base.get(b).clone());
        for (kind, at, piece, pick) in edits {
            let at = at.index(text.len().max(1));
            let p = PIECES.with(|p| piece.get(p).clone());
            text = SPELLINGS.with(|s| mutate(&text, kind, at, &p, s, pick));
        }
        same(&text);
    }

    #[test]
    fn generated_property_specs_parse_the_same(text in crate::synth::random::spec()) {
        prop_assert!(same(&text), "declined:\n{text}");
    }
}

/// The mutations reach both sides: many mutated texts still parse (and are
/// compared tree for tree), many do not (and the fast path must decline).
#[test]
fn mutations_give_texts_that_parse_and_texts_that_do_not() {
    let bases = bases();
    let pieces = pieces();
    let spellings = spellings();
    let mut rng = crate::synth::Rng::new(19);
    let (mut taken, mut refused, mut declined) = (0, 0, 0);
    for _ in 0..1500 {
        let mut text = bases[rng.below(bases.len() as u64) as usize].clone();
        for _ in 0..1 + rng.below(2) {
            let at = rng.below(text.len().max(1) as u64) as usize;
            let piece = &pieces[rng.below(pieces.len() as u64) as usize];
            let kind = rng.below(256) as u8;
            let pick = rng.below(1 << 20) as usize;
            text = mutate(&text, kind, at, piece, &spellings, pick);
        }
        if same(&text) {
            taken += 1;
        } else if parse_with_pest(&text).1.is_empty() {
            declined += 1;
        } else {
            refused += 1;
        }
    }
    eprintln!(
        "mutated: {taken} taken (same tree), {declined} declined though valid, {refused} refused by pest"
    );
    assert!(
        taken > 300 && refused > 300,
        "{taken} taken, {refused} refused"
    );
}
