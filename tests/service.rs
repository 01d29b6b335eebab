//! The language service (src/service): every answer on the 2024 spec (in
//! Chinese), on a small English spec and on a spec with mistakes, with
//! positions checked on lines with Chinese text and astral characters.

// Tests may fail loudly: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{read, root};
use kaohe::api::Lang;
use kaohe::api::service::{
    Analysis, Change, CompletionKind, HoverInfo, LineCol, OutlineKind, OutlineNode, Position,
    Range, TextEdit,
};

fn spec_2024() -> String {
    read(&root().join("specs/liucheng-2024.kh"))
}

/// A small English spec (tests/common/demo-en.kh), shared with the
/// other tests of the editor's side.
const ENGLISH: &str = include_str!("common/demo-en.kh");

/// Mistakes that carry fixes (a full-width mark, a misspelt keyword) and
/// one that does not (an unknown name).
const BROKEN: &str = "table \"demo\" {\n  language en\n  total 2\n  pass \"pass\"\n  fail \"fail\"\n}\nsection A \"G\" {\n  indicator 1 \"R\" {\n    item 1.1 \"M\" score 2 {\n      input meetings: count \"meetings held\"\n      deduct 1 if meetings ＜ 2 \"few\"\n    }\n  }\n}\n";

const UNKNOWN: &str = "table \"demo\" {\n  language en\n  total 2\n  pass \"pass\"\n  fail \"fail\"\n}\nsection A \"G\" {\n  indicator 1 \"R\" {\n    item 1.1 \"M\" score 2 {\n      input meetings: count \"meetings held\"\n      deduct 1 if meetngs < 2 \"few\"\n    }\n  }\n}\n";

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap()
}

/// The byte offset of the `n`th (from 0) `needle` in `text`, plus `plus`.
fn nth(text: &str, needle: &str, n: usize, plus: usize) -> usize {
    text.match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("no {needle} #{n}"))
        .0
        + plus
}

fn lc(p: Position) -> (u32, u32) {
    (p.line, p.character)
}

fn short(r: &Range) -> String {
    format!(
        "{}:{}-{}:{}",
        r.start.line, r.start.character, r.end.line, r.end.character
    )
}

/// Apply edits made against `text` (they do not overlap).
fn apply(text: &str, edits: &[TextEdit]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| e.range.start.offset);
    let mut out = text.to_string();
    for e in edits.iter().rev() {
        out.replace_range(e.range.start.offset..e.range.end.offset, &e.new_text);
    }
    out
}

// ---------------------------------------------------------------- positions

#[test]
fn columns_on_a_chinese_line_are_utf16_units_counted_by_hand() {
    let text = spec_2024();
    let a = Analysis::new(text.clone());
    // `      扣 0.5 每 leader_meetings 低于 2 "…"`: six spaces, then 扣, a
    // space, 0.5, a space, 每, a space: 14 UTF-16 units, 18 bytes.
    let line_start = nth(&text, "      扣 0.5 每 leader_meetings", 0, 0);
    let at = line_start + 18;
    assert_eq!(&text[at..at + 15], "leader_meetings");
    let p = a.position(at);
    assert_eq!(p.character, 14);
    assert_eq!(p.line as usize, text[..at].matches('\n').count());
    assert_eq!(
        a.offset(LineCol {
            line: p.line,
            character: 14
        }),
        at
    );
    // The definition is `      数据 leader_meetings:` — 6 + 2 + 1 = 9 units.
    let def = a.definition(at).unwrap();
    assert_eq!(def.start.character, 9);
    assert_eq!(def.end.character, 24);
    assert_eq!(&text[def.start.offset..def.end.offset], "leader_meetings");
}

#[test]
fn columns_after_an_astral_character_count_two_units_for_it() {
    // 𠀀 (U+20000) is 4 bytes and 2 UTF-16 units; 甲 is 3 bytes and 1 unit.
    let text = ENGLISH.replace(
        "deduct 1 unless report \"no report filed\"",
        "deduct 1 unless report and 𠀀甲 > 0 and meetings > 0 \"no report filed\"\n      input 𠀀甲: count \"x\"",
    );
    let a = Analysis::new(text.clone());
    assert!(a.diagnostics().is_empty(), "{}", json(&a.diagnostics()));
    let line = "      deduct 1 unless report and 𠀀甲 > 0 and meetings > 0";
    let start = nth(&text, line, 0, 0);
    // `      deduct 1 unless report and ` is 33 units; 𠀀甲 3 more; ` > 0 and ` 9.
    let astral = start + 33;
    assert_eq!(lc(a.position(astral)).1, 33);
    let meetings = nth(&text, "meetings > 0", 0, 0);
    assert_eq!(meetings - start, 33 + 7 + 9, "bytes");
    assert_eq!(lc(a.position(meetings)).1, 33 + 3 + 9, "UTF-16 units");
    let refs = a.references(astral + 1, true);
    assert_eq!(refs.len(), 2);
    assert_eq!(
        short(&refs[0]),
        format!("{0}:33-{0}:36", refs[0].start.line)
    );
    assert_eq!(refs[1].start.character, 12);
    // Back from line and column, also from inside the astral character.
    let l = a.position(meetings).line;
    assert_eq!(
        a.offset(LineCol {
            line: l,
            character: 45
        }),
        meetings
    );
    assert_eq!(
        a.offset(LineCol {
            line: l,
            character: 34
        }),
        astral
    );
}

// ---------------------------------------------------------------- diagnostics

#[test]
fn the_2024_spec_has_no_diagnostics() {
    let a = Analysis::new(spec_2024());
    assert_eq!(a.lang(), Lang::Zh);
    assert!(a.program().is_some());
    insta::assert_snapshot!("diagnostics-2024", json(&a.diagnostics()));
}

#[test]
fn diagnostics_carry_positions_and_their_fixes_as_edits() {
    let a = Analysis::new(BROKEN);
    let problems = a.diagnostics();
    insta::assert_snapshot!("diagnostics-broken", json(&problems));
    let fix = problems[0]
        .fix
        .clone()
        .expect("a full-width mark has a fix");
    let fixed = apply(BROKEN, &fix.edits);
    assert!(Analysis::new(fixed).diagnostics().is_empty());
    // The same fix, asked for at the cursor.
    let at = BROKEN.find('＜').unwrap();
    let span = kaohe::api::Span::new(at, at);
    assert_eq!(a.quick_fixes(span), vec![fix]);
    assert!(a.quick_fixes(kaohe::api::Span::new(0, 1)).is_empty());
}

/// `text`'s problems, each as its code and its fix's title, are `want`;
/// the text with every fix applied.
fn every_fix_applied(text: &str, want: &[(&str, &str)]) -> String {
    let problems = Analysis::new(text).diagnostics();
    let seen: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| {
            (
                p.code.as_str(),
                p.fix.as_ref().map_or("", |f| f.title.as_str()),
            )
        })
        .collect();
    assert_eq!(seen, want);
    // All at once, from the last in the text, so that the offsets stay.
    let edits: Vec<TextEdit> = (problems.iter())
        .flat_map(|p| p.fix.as_ref().unwrap().edits.clone())
        .collect();
    apply(text, &edits)
}

/// A spec pasted from a Word table: a no-break space (U+00A0) before the
/// total, colons after two keywords and a full-width brace. Each is told
/// on its own, with a fix whose title says what it does (a space replaced
/// by a space would read as nothing); the fixes applied, the spec checks.
#[test]
fn pasted_spaces_and_colons_are_fixed_one_by_one() {
    let pasted = "考核表 \"示例\" {\n  年度 2024\n  总分\u{a0}3\n}\n一级指标 1 \"甲\" ｛\n  二级指标 1 \"乙\" {\n    考核事项 1.1 \"会议\" 分值：3 {\n      数据 meetings: 计数 次 \"会议次数\"\n      扣 0.5 每 meetings 低于 2 \"少一次扣0.5分\"\n    }\n  }\n}\n";
    let text = every_fix_applied(
        pasted,
        &[
            ("K0117", "换成普通空格"),
            ("K0111", "把“｛”改为“{”"),
            ("K0118", "删去冒号"),
        ],
    );
    assert!(text.contains("总分 3") && text.contains("分值 3"), "{text}");
    assert!(Analysis::new(text).diagnostics().is_empty());
}

/// Keywords typed against the word before them, as an input method types
/// Chinese: each is told with a space as its fix, and with the spaces the
/// spec checks.
#[test]
fn a_keyword_typed_against_a_name_gets_a_space() {
    let glued = read(&root().join("tests/diagnostics/K0119-keyword-written-against-a-name.kh"));
    let fixes = [("K0119", "插入一个空格"), ("K0119", "插入一个空格")];
    let text = every_fix_applied(&glued, &fixes);
    assert!(
        text.contains("meetings 低于") && text.contains("扣0.5分 每"),
        "{text}"
    );
    assert!(Analysis::new(text).diagnostics().is_empty());
}

/// Numbers written as a table's prose writes them: amounts in Chinese
/// numerals and a rule's threshold with 分. Each is told with its fix
/// (the digits; the deletion), and with the fixes the spec checks.
#[test]
fn numbers_written_as_the_prose_writes_them_are_fixed() {
    let prose = "考核表 \"示例\" {\n  年度 2024\n  总分 3\n  等次 {\n    >= 2分 => \"好\"\n    < 2 => \"差\"\n  }\n}\n一级指标 1 \"甲\" {\n  二级指标 1 \"乙\" {\n    考核事项 1.1 \"会议\" 分值 3 {\n      数据 meetings: 计数 次 \"会议次数\"\n      数据 signed: 是否 \"是否签订\"\n      扣 半 每 meetings 低于 2分 \"少一次扣半分\"\n      扣 二 除非 signed \"未签订扣二分\"\n    }\n  }\n}\n";
    let fixes = [
        ("K0212", "把“半”改为“0.5”"),
        ("K0306", "删除“分”"),
        ("K0212", "把“二”改为“2”"),
    ];
    let text = every_fix_applied(prose, &fixes);
    assert!(
        text.contains("低于 2 \"") && text.contains("扣 0.5 每") && text.contains("扣 2 除非"),
        "{text}"
    );
    assert!(Analysis::new(text).diagnostics().is_empty());
}

/// A header's number in Chinese numerals is a syntax error whose fix is
/// its digits; with it the spec checks.
#[test]
fn a_total_in_chinese_numerals_gets_its_digits() {
    let prose = "考核表 \"示例\" {\n  年度 2024\n  总分 一百\n}\n一级指标 1 \"甲\" {\n  二级指标 1 \"乙\" {\n    考核事项 1.1 \"会议\" 分值 100 {\n      数据 meetings: 计数 次 \"会议次数\"\n      扣 0.5 每 meetings 低于 2 \"少一次扣半分\"\n    }\n  }\n}\n";
    let text = every_fix_applied(prose, &[("K0101", "把“一百”改为“100”")]);
    assert!(text.contains("总分 100\n"), "{text}");
    assert!(Analysis::new(text).diagnostics().is_empty());
}

#[test]
fn a_diagnostic_without_a_fix_has_none_and_speaks_the_chosen_language() {
    let mut a = Analysis::new(UNKNOWN);
    assert_eq!(a.lang(), Lang::En);
    a.set_lang(Lang::Zh);
    insta::assert_snapshot!("diagnostics-unknown-zh", json(&a.diagnostics()));
}

// ---------------------------------------------------------------- hover

#[test]
fn hover_on_an_item_gives_points_units_and_the_generated_rule() {
    let text = spec_2024();
    let a = Analysis::new(text.clone());
    let h = a
        .hover(nth(&text, "考核事项 1.1 ", 0, "考核事项 ".len() + 1))
        .unwrap();
    let HoverInfo::Item {
        points,
        responsible,
        generated_rule,
        ..
    } = &h.info
    else {
        panic!("{h:?}")
    };
    assert_eq!(points.as_deref(), Some("3"));
    assert_eq!(responsible.len(), 4);
    assert!(generated_rule.as_deref().unwrap().contains("0.5分"));
    insta::assert_snapshot!("hover-item-1.1", json(&h));
}

#[test]
fn hover_on_an_item_of_a_restarted_numbering_gives_its_key_and_its_own_rule() {
    // Each section restarts at (一) 1.: the item is keyed by its path and
    // the rule shown is its own, not that of the first item numbered 1.
    let text = read(&root().join("tests/patterns/L3-numbering-restarts/spec.kh"));
    let a = Analysis::new(text.clone());
    let h = a
        .hover(nth(&text, "考核事项 1. \"保护地监管", 0, "考核事项 ".len()))
        .unwrap();
    let HoverInfo::Item {
        id, generated_rule, ..
    } = &h.info
    else {
        panic!("{h:?}")
    };
    assert_eq!(id, "二/(一)/1");
    assert!(generated_rule.as_deref().unwrap().contains("巡查"), "{h:?}");
}

#[test]
fn hover_on_an_input_gives_its_type_unit_description_and_uses() {
    let text = spec_2024();
    let a = Analysis::new(text.clone());
    // At a use of pm25, shared by 7.1 and 16.2.
    let h = a.hover(nth(&text, "计 pm25 ", 0, 5)).unwrap();
    insta::assert_snapshot!("hover-input-pm25", json(&h));
    let HoverInfo::Input { used_in, .. } = &h.info else {
        panic!()
    };
    assert!(used_in.len() >= 2, "{used_in:?}");
}

#[test]
fn hover_on_keywords_gives_their_meaning_in_both_languages() {
    let text = spec_2024();
    let a = Analysis::new(text.clone());
    let deduct = a.hover(nth(&text, "      扣 0.5 每", 0, 6)).unwrap();
    insta::assert_snapshot!("hover-keyword-deduct", json(&deduct));
    // 不合格等次 is one keyword, not 合格等次 inside it; 最高者 not 最高.
    let fail = a.hover(nth(&text, "不合格等次", 0, 3)).unwrap();
    assert!(matches!(&fail.info, HoverInfo::Keyword { en, .. } if en == "fail"));
    let highest = a.hover(nth(&text, "最高者", 0, 0)).unwrap();
    assert!(matches!(&highest.info, HoverInfo::Keyword { en, .. } if en == "highest"));
    // Not inside a text or a comment.
    assert!(a.hover(nth(&text, "少一次扣0.5分", 0, 3)).is_none());
    assert!(a.hover(nth(&text, "// 7.1（空气质量）", 0, 3)).is_none());
    let e = Analysis::new(ENGLISH);
    let at_most = e.hover(nth(ENGLISH, "unless", 0, 2)).unwrap();
    insta::assert_snapshot!("hover-keyword-unless-en", json(&at_most));
}

#[test]
fn hover_on_enumerations_and_their_values() {
    let text = spec_2024();
    let a = Analysis::new(text.clone());
    let e = a.hover(nth(&text, "award_level", 0, 1)).unwrap();
    let v = a.hover(nth(&text, "\"国家级\" => 1.5", 0, 2)).unwrap();
    insta::assert_snapshot!("hover-enum", json(&(e, v)));
}

// ---------------------------------------------------------------- definition, references

#[test]
fn definition_and_references_of_inputs_enums_values_and_items() {
    let text = spec_2024();
    let a = Analysis::new(text.clone());
    let mut out = String::new();
    let mut show = |what: &str, at: usize| {
        let def = a.definition(at).map(|r| short(&r));
        let refs: Vec<String> = a.references(at, false).iter().map(short).collect();
        out.push_str(&format!("{what}: definition {def:?}, uses {refs:?}\n"));
    };
    show(
        "input fire_points (at a use)",
        nth(&text, "fire_points", 2, 3),
    );
    show(
        "input pm25 (at its declaration)",
        nth(&text, "数据 pm25", 0, "数据 ".len()),
    );
    show(
        "enum issuer (at a field type)",
        nth(&text, "by: issuer", 0, 5),
    );
    show(
        "value 国家级 of award_level",
        nth(&text, "\"国家级\" => 1.2", 0, 0),
    );
    show(
        "value 国家级 of award_level (declaration)",
        nth(&text, "award_level { \"国家级\"", 0, 16),
    );
    show(
        "item 7.1",
        nth(&text, "考核事项 7.1 ", 0, "考核事项 ".len()),
    );
    insta::assert_snapshot!("definition-references-2024", out);
    // A bound variable is no input: `f` in `逐个 f 属于 fire_points`.
    assert!(
        a.definition(nth(&text, "逐个 f", 0, "逐个 ".len()))
            .is_none()
    );
    // The declaration comes first when asked for.
    let at = nth(&text, "fire_points", 2, 3);
    let with = a.references(at, true);
    assert_eq!(with.len(), a.references(at, false).len() + 1);
    assert_eq!(Some(with[0]), a.definition(at));
}

// ---------------------------------------------------------------- completion

#[test]
fn completion_fits_the_place() {
    let text = spec_2024();
    let a = Analysis::new(text.clone());
    let labels = |offset: usize| -> Vec<(String, CompletionKind)> {
        a.completions(offset)
            .items
            .into_iter()
            .map(|c| (c.label, c.kind))
            .collect()
    };
    // At the start of a clause line: the line keywords, in Chinese only.
    let start = nth(&text, "      扣 0.5 每 leader_meetings", 0, 6);
    let at_start = labels(start);
    assert!(at_start.contains(&("扣".into(), CompletionKind::Keyword)));
    assert!(at_start.contains(&("数据".into(), CompletionKind::Keyword)));
    assert!(!at_start.iter().any(|(l, _)| l == "deduct"));
    assert!(!at_start.iter().any(|(_, k)| *k == CompletionKind::Input));
    // …those that fit the block: in an item, clauses but no section.
    assert!(!at_start.iter().any(|(l, _)| l == "一级指标" || l == "总分"));
    // At the top level, declarations and sections; in an indicator, items;
    // in the header, its entries; in a list type or bands, none.
    let top = labels(nth(&text, "一级指标 一", 0, 0));
    assert!(top.iter().any(|(l, _)| l == "一级指标") && !top.iter().any(|(l, _)| l == "扣"));
    let indicator = labels(nth(&text, "    考核事项 1.1", 0, 4));
    assert!(indicator.iter().any(|(l, _)| l == "考核事项"));
    assert!(!indicator.iter().any(|(l, _)| l == "扣"));
    let header = labels(nth(&text, "  年度 2024", 0, 2));
    assert!(header.iter().any(|(l, _)| l == "总分") && !header.iter().any(|(l, _)| l == "扣"));
    assert!(labels(nth(&text, "  point: 文本", 0, 2)).is_empty());
    assert!(labels(nth(&text, "        <= 0%", 0, 8)).is_empty());
    // After 每: inputs only.
    let after_per = labels(nth(&text, "每 leader_meetings", 0, "每 ".len()));
    assert!(after_per.iter().all(|(_, k)| *k == CompletionKind::Input));
    assert!(after_per.contains(&("leader_meetings".into(), CompletionKind::Input)));
    // While a name is typed, the word typed is what is replaced.
    let mid = nth(&text, "每 leader_meetings", 0, "每 leader".len());
    let c = a.completions(mid);
    assert_eq!(c.range.end.offset - c.range.start.offset, "leader".len());
    // After a unit-taking type word: the units the spec uses.
    let units = labels(nth(&text, "计数 次", 0, "计数 ".len()));
    assert!(units.contains(&("次".into(), CompletionKind::Unit)));
    assert!(units.iter().all(|(_, k)| *k == CompletionKind::Unit));
    // In a text: nothing.
    assert!(labels(nth(&text, "少一次扣0.5分", 0, 3)).is_empty());
    // After 考核事项: the next id of the indicator.
    let next = labels(nth(&text, "考核事项 1.2", 0, "考核事项 ".len()));
    assert_eq!(next, vec![("1.2".into(), CompletionKind::Item)]);
    insta::assert_snapshot!(
        "completion-line-start-2024",
        json(&a.completions(start).items)
    );
}

#[test]
fn completion_in_an_english_spec() {
    let a = Analysis::new(ENGLISH);
    // After `award =`: the values of its enumeration, quoted, then inputs.
    let at = nth(ENGLISH, "award = \"national\"", 0, "award = ".len());
    let c = a.completions(at);
    insta::assert_snapshot!("completion-compared-en", json(&c));
    // After `input x:`: the type words and the enumerations.
    let text = ENGLISH.replace("input award: level", "input award: ");
    let b = Analysis::new(text.clone());
    let at = nth(&text, "input award: ", 0, "input award: ".len());
    let types: Vec<String> = b
        .completions(at)
        .items
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert!(
        types.contains(&"count".into()) && types.contains(&"level".into()),
        "{types:?}"
    );
    assert!(!types.contains(&"计数".into()));
    // In a spec that does not parse, inputs are still offered.
    let broken = ENGLISH.replace("deduct 1 unless report", "deduct 1 unless report )");
    let b = Analysis::new(broken.clone());
    assert!(!b.diagnostics().is_empty());
    let at = nth(&broken, "per meetings", 0, "per ".len());
    let inputs: Vec<String> = b
        .completions(at)
        .items
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert_eq!(inputs, ["meetings", "report", "award"]);
}

/// Every snippet, inserted as a client without snippets inserts it (its
/// fields at their defaults) where completion offers it, gives a spec that
/// checks without an error, in both keyword sets; its snippet form has the
/// same text once its fields are filled with their defaults.
#[test]
fn snippets_insert_text_that_checks() {
    let zh = "数据 meetings: 计数 次 \"会议次数\"\n数据 done: 是否 \"是否完成\"\n数据 cases: 计数 起 \"问题数\"\n\n\
               一级指标 九 \"甲\" {\n  二级指标 9 \"乙\" {\n    考核事项 9.9 \"丙\" 分值 3 {\n      扣 1 除非 done \"未完成扣1分\"\n      \n    }\n    \n  }\n  \n}\n\n";
    let en = "input meetings: count times \"meetings\"\ninput done: bool \"done\"\ninput cases: count cases \"cases\"\n\n\
               section Z \"A\" {\n  indicator 9 \"B\" {\n    item 9.9 \"C\" score 3 {\n      deduct 1 unless done \"not done\"\n      \n    }\n    \n  }\n  \n}\n\n";
    for base in [zh, en] {
        // The blank lines: in the item, the indicator, the section, and at
        // the top level.
        let places: Vec<usize> = base
            .match_indices("\n      \n")
            .map(|(i, _)| i + 7)
            .chain(base.match_indices("\n    \n").map(|(i, _)| i + 5))
            .chain(base.match_indices("\n  \n").map(|(i, _)| i + 3))
            .chain([base.len() - 1])
            .collect();
        let mut seen = 0;
        for at in places {
            let a = Analysis::new(base);
            for c in a.completions(at).items {
                if c.kind != CompletionKind::Snippet {
                    continue;
                }
                seen += 1;
                let snippet = c.snippet.as_deref().expect("a snippet form");
                assert!(snippet.contains("${1:"), "{snippet}");
                assert!(!c.insert_text.contains('$'), "{}", c.insert_text);
                // A snippet that declares an input takes the base's
                // declaration of it out.
                let mut text = base.to_string();
                for name in ["meetings", "cases"] {
                    if c.insert_text.contains(&format!(" {name}: ")) {
                        let line = text
                            .lines()
                            .find(|l| l.contains(&format!(" {name}: ")))
                            .unwrap()
                            .to_string();
                        text = text.replacen(&format!("{line}\n"), "", 1);
                    }
                }
                let at = at - (base.len() - text.len());
                text.insert_str(at, &c.insert_text);
                let errors: Vec<String> = Analysis::new(text.clone())
                    .diagnostics()
                    .iter()
                    .filter(|d| d.severity == kaohe::api::Severity::Error)
                    .map(|d| format!("{}: {}", d.code, d.message))
                    .collect();
                assert!(errors.is_empty(), "{} gives\n{text}\n{errors:?}", c.label);
            }
        }
        assert_eq!(seen, 7, "four clauses, an item, an indicator and a section");
    }
}

// ---------------------------------------------------------------- outline

fn outline_text(nodes: &[OutlineNode], depth: usize, out: &mut String) {
    for n in nodes {
        out.push_str(&format!(
            "{}{:?} {} {} points={} marker={} range={} label={}\n",
            "  ".repeat(depth),
            n.kind,
            n.label,
            n.title,
            n.points.as_deref().unwrap_or("-"),
            n.marker.as_deref().unwrap_or("-"),
            short(&n.range),
            short(&n.selection_range),
        ));
        outline_text(&n.children, depth + 1, out);
    }
}

#[test]
fn the_outline_has_sections_indicators_and_items_with_points() {
    let a = Analysis::new(spec_2024());
    let outline = a.outline();
    let mut out = String::new();
    outline_text(&outline, 0, &mut out);
    insta::assert_snapshot!("outline-2024", out);
    let items: usize = outline
        .iter()
        .flat_map(|s| &s.children)
        .map(|i| i.children.len())
        .sum();
    assert_eq!(items, 71);
    // The base items add up to the table's total of 200.
    let total: rust_decimal::Decimal = outline
        .iter()
        .map(|s| {
            s.points
                .as_deref()
                .unwrap_or("0")
                .parse::<rust_decimal::Decimal>()
                .unwrap()
        })
        .sum();
    assert_eq!(total, rust_decimal::Decimal::from(200));
    let e = Analysis::new(ENGLISH);
    let mut out = String::new();
    outline_text(&e.outline(), 0, &mut out);
    insta::assert_snapshot!("outline-en", out);
}

// ---------------------------------------------------------------- formatting

#[test]
fn formatting_is_kaohe_fmt_as_edits() {
    let messy = ENGLISH
        .replace("  total 6\n", "     total   6\n")
        .replace("deduct 1 unless report", "deduct  1  unless report")
        .replace("    item 1.2", "\n\n\n    item 1.2");
    let a = Analysis::new(messy.clone());
    let edits = a.format().unwrap();
    insta::assert_snapshot!("format-edits-en", json(&edits));
    let formatted = kaohe::api::format(&messy, None).unwrap();
    assert_eq!(apply(&messy, &edits), formatted);
    // The 2024 spec and the English one are formatted already.
    assert!(Analysis::new(spec_2024()).format().unwrap().is_empty());
    assert!(Analysis::new(ENGLISH).format().unwrap().is_empty());
    // A spec that does not parse is not formatted: its errors say why.
    let errors = Analysis::new(BROKEN.replace("score 2 {", "score 2 {{"))
        .format()
        .unwrap_err();
    assert!(!errors.is_empty());
}

// ---------------------------------------------------------------- rename

#[test]
fn rename_an_input_everywhere() {
    let text = spec_2024();
    let a = Analysis::new(text.clone());
    let at = nth(&text, "fire_points", 3, 1);
    assert_eq!(
        a.prepare_rename(at).map(|r| r.start.offset),
        Some(nth(&text, "fire_points", 3, 0))
    );
    let edits = a.rename(at, "火点").unwrap();
    let whole = text.matches("fire_points").count() - text.matches("_fire_points").count();
    assert_eq!(edits.len(), whole);
    let renamed = apply(&text, &edits);
    let b = Analysis::new(renamed.clone());
    assert!(b.diagnostics().is_empty(), "{}", json(&b.diagnostics()));
    assert!(!renamed.contains(" fire_points"));
    assert!(renamed.contains("captured_fire_points"));
    let lines: Vec<String> = edits.iter().take(3).map(|e| short(&e.range)).collect();
    insta::assert_snapshot!("rename-fire-points", lines.join("\n"));
}

#[test]
fn rename_an_enumeration_but_not_its_namesake_text() {
    let a = Analysis::new(ENGLISH);
    let edits = a.rename(nth(ENGLISH, "level {", 0, 0), "grade").unwrap();
    assert_eq!(edits.len(), 2);
    let renamed = apply(ENGLISH, &edits);
    assert!(renamed.contains("enum grade {") && renamed.contains("input award: grade"));
    assert!(renamed.contains("\"level of the award\""));
    assert!(Analysis::new(renamed).diagnostics().is_empty());
}

#[test]
fn rename_refuses_clashes_bad_names_and_other_places_with_a_message() {
    let a = Analysis::new(ENGLISH);
    let at = nth(ENGLISH, "meetings below", 0, 0);
    let refusals: Vec<String> = [
        (at, "report"),
        (at, "level"),
        (at, "2meetings"),
        (at, "deduct"),
        (at, "two words"),
        (nth(ENGLISH, "item 1.1", 0, 5), "x"),
    ]
    .into_iter()
    .map(|(at, name)| a.rename(at, name).unwrap_err().message)
    .collect();
    insta::assert_snapshot!("rename-refusals-en", refusals.join("\n"));
    let zh = Analysis::new(spec_2024());
    let at = nth(zh.text(), "leader_meetings", 0, 0);
    assert!(zh.rename(at, "扣").unwrap_err().message.contains("关键字"));
    assert!(
        zh.rename(at, "pm25")
            .unwrap_err()
            .message
            .contains("已有名称")
    );
    let broken = Analysis::new(BROKEN.replace("score 2 {", "score 2 {{"));
    assert!(broken.rename(0, "x").is_err());
}

// ---------------------------------------------------------------- changes

#[test]
fn a_change_by_line_and_column_is_the_same_as_the_text_changed() {
    let text = spec_2024();
    let a = Analysis::new(text.clone());
    // Replace `0.5` in `扣 0.5 每 leader_meetings` by `1`: on a Chinese line.
    let at = nth(&text, "扣 0.5 每 leader_meetings", 0, "扣 ".len());
    let (from, to) = (a.position(at), a.position(at + 3));
    let change = Change {
        range: Some((from.line_col(), to.line_col())),
        text: "1".into(),
    };
    let b = a.change(&[change]);
    let mut expected = text.clone();
    expected.replace_range(at..at + 3, "1");
    assert_eq!(b.text(), expected);
    assert!(b.diagnostics().is_empty());
    // An edit that breaks the spec, then the whole text back.
    let broken = b.change(&[Change {
        range: Some((
            LineCol {
                line: from.line,
                character: from.character,
            },
            LineCol {
                line: from.line,
                character: from.character,
            },
        )),
        text: "＜".into(),
    }]);
    assert!(!broken.diagnostics().is_empty());
    let whole = broken.change(&[Change {
        range: None,
        text: text.clone(),
    }]);
    assert_eq!(whole.text(), text);
    assert!(whole.diagnostics().is_empty());
}

#[test]
fn an_analysis_gives_what_compile_gives() {
    for text in [
        spec_2024(),
        ENGLISH.to_string(),
        BROKEN.to_string(),
        UNKNOWN.to_string(),
    ] {
        let compiled = kaohe::api::compile(&text);
        let a = Analysis::new(text.clone());
        assert_eq!(a.raw_diagnostics(), &compiled.diagnostics[..]);
        assert_eq!(a.program().is_some(), compiled.spec.is_some());
    }
}

// ---------------------------------------------------------------- data

#[test]
fn a_data_file_is_read_against_the_spec() {
    let a = Analysis::new(spec_2024());
    let dir = root().join("examples/liucheng-2024");
    for file in ["mixed.json", "mixed.csv", "mixed.xlsx", "clean.json"] {
        let check = a.check_data(&dir.join(file)).unwrap();
        assert!(check.entities > 0, "{file}: {check:?}");
        assert!(
            check
                .problems
                .iter()
                .all(|p| p.severity != kaohe::api::Severity::Error),
            "{file}: {check:?}"
        );
    }
    // A file with a problem: the problem, told in the spec's language.
    let bad = common::tempdir("service", "service").join("service.json");
    std::fs::write(&bad, r#"[{"id": "甲县", "pm25": "很多"}]"#).unwrap();
    let check = a.check_data(&bad).unwrap();
    std::fs::remove_file(&bad).unwrap();
    assert_eq!(check.entities, 0);
    assert!(!check.problems.is_empty());
    assert!(
        check.problems.iter().any(|p| p.message.contains("pm25")),
        "{check:?}"
    );
    assert!(!check.problems[0].message.is_ascii());
    // No file: one problem, not a panic. A spec with errors: refused.
    let none = a.check_data(&dir.join("no-such-file.json")).unwrap();
    assert_eq!((none.entities, none.problems.len()), (0, 1));
    assert!(
        Analysis::new(UNKNOWN)
            .check_data(&dir.join("clean.json"))
            .is_err()
    );
}

// ---------------------------------------------------------------- robustness

#[test]
fn a_spec_with_a_check_error_still_answers_and_a_broken_one_answers_what_it_can() {
    // UNKNOWN parses but does not check: names and the outline are known.
    let a = Analysis::new(UNKNOWN);
    assert!(a.program().is_none());
    let at = nth(UNKNOWN, "meetings:", 0, 1);
    let h = a.hover(at).unwrap();
    let HoverInfo::Input { uses, .. } = h.info else {
        panic!()
    };
    assert_eq!(uses, 0, "meetngs is no use of meetings");
    assert_eq!(a.outline().len(), 1);
    let item = a.hover(nth(UNKNOWN, "1.1", 0, 0)).unwrap();
    let HoverInfo::Item {
        generated_rule,
        points,
        ..
    } = item.info
    else {
        panic!()
    };
    assert_eq!((generated_rule, points.as_deref()), (None, Some("2")));
    // A text that does not parse: no names, no outline, keywords still.
    let broken = UNKNOWN.replace("score 2 {", "score 2 {{");
    let b = Analysis::new(broken.clone());
    assert!(b.hover(nth(&broken, "meetings:", 0, 1)).is_none());
    assert!(b.outline().is_empty());
    assert!(b.hover(nth(&broken, "deduct", 0, 1)).is_some());
}

#[test]
fn no_offset_makes_any_answer_panic() {
    let specs = [
        ENGLISH.to_string(),
        BROKEN.to_string(),
        UNKNOWN.to_string(),
        format!("{ENGLISH}\n// 𠀀 “引号 ‘{{ \"\\\"x"),
        "input 𠀀: count \"𠀀\"\nsection 一 \"x\" { indicator 1 \"y\" { item 1.1 \"z\" score 1 { deduct 1 if 𠀀 > 0 } } }".to_string(),
        String::new(),
    ];
    for text in &specs {
        let a = Analysis::new(text.clone());
        for offset in 0..=text.len() + 2 {
            let _ = a.hover(offset);
            let _ = a.completions(offset);
            let _ = a.definition(offset);
            let _ = a.references(offset, true);
            let _ = a.prepare_rename(offset);
            let _ = a.rename(offset, "新名");
            let _ = a.quick_fixes(kaohe::api::Span::new(offset, offset));
            let p = a.position(offset);
            assert!(
                a.offset(LineCol {
                    line: p.line,
                    character: p.character
                }) <= text.len()
            );
        }
        let _ = a.outline();
        let _ = a.format();
        let _ = a.diagnostics();
    }
    // The 2024 spec, every 7th byte.
    let text = spec_2024();
    let a = Analysis::new(text.clone());
    for offset in (0..text.len()).step_by(7) {
        let _ = a.hover(offset);
        let _ = a.completions(offset);
        let _ = a.references(offset, true);
    }
}

#[test]
fn record_fields_have_hover_definition_and_references() {
    let text = spec_2024();
    let a = Analysis::new(text.clone());
    // `f.sensed` in 7.4, where f ranges over fire_points.
    let at = nth(&text, "f.sensed", 0, 3);
    let h = a.hover(at).unwrap();
    insta::assert_snapshot!("hover-field-sensed", json(&h));
    let def = a.definition(at).unwrap();
    assert_eq!(&text[def.start.offset..def.end.offset], "sensed");
    assert_eq!(
        def.start.line, 34,
        "`  sensed: 是否` under fire_points, line 35 counted from 1"
    );
    assert_eq!(def.start.character, 2);
    let uses = a.references(at, false);
    assert_eq!(uses.len(), text.matches("f.sensed").count());
    // A field of another list with the same name is another symbol:
    // `r.month` of water_readings is not `p.month` elsewhere.
    for r in &uses {
        assert_eq!(&text[r.start.offset - 2..r.start.offset], "f.");
    }
}

// ---------------------------------------------------------------- issue 15's names

/// A standard by class, headings with points (one with `下级合计`) and a
/// named result, in Chinese; the section's title in full-width quotes.
const CLASSES: &str = r#"考核表 "某区街道乡镇考核" {
  年度 2024
  语言 zh
  总分 11
  合格等次 "合格"
  不合格等次 "不合格"
  结果 "等次" "优秀" >= 9, "良好" >= 8, 否则 "一般"
}

数据 town_class: 枚举 { "城区", "近郊", "乡镇" } "街道（乡镇）类别"

标准 target_rate 按 town_class "分类覆盖率目标" {
  "城区" => 98%
  否则   => 95%
}

一级指标 一 “生活垃圾分类” 分值 11 下级合计 10 {
  二级指标 1 "分类覆盖" 分值 10 {
    考核事项 1.1 "分类覆盖率达标" 分值 6 {
      数据 coverage: 比率 "生活垃圾分类覆盖率"
      扣 4 若 coverage < target_rate "覆盖率未达到本类别目标"
      扣 0.5 每 按整 1pp 计 coverage 低于 target_rate, 最高 2 "每低于目标1个百分点扣0.5分"
    }
    考核事项 1.2 "投放站点" 分值 4 {
      数据 stations: 数值 "每万人分类投放站点数"
      扣 4 若 stations < 3 "站点数未达到标准"
    }
  }
}
"#;

#[test]
fn a_standard_by_class_has_hover_definition_references_and_rename() {
    let a = Analysis::new(CLASSES);
    assert!(a.diagnostics().is_empty(), "{}", json(&a.diagnostics()));
    // Its use in `扣 4 若 coverage < target_rate`, on a line with Chinese
    // text: the column is in UTF-16 units (`      扣 4 若 coverage < ` is
    // 6 + 1 + 1 + 1 + 1 + 1 + 1 + 8 + 1 + 1 + 1 = 23 units; the UTF-8
    // column would be 27).
    let use_at = nth(CLASSES, "target_rate", 1, 2);
    let h = a.hover(use_at).unwrap();
    assert_eq!(lc(h.range.start), (20, 23));
    assert_eq!(lc(h.range.end), (20, 34));
    let HoverInfo::Standard {
        name,
        description,
        class,
        rows,
        unit,
        uses,
    } = &h.info
    else {
        panic!("{h:?}")
    };
    assert_eq!(name, "target_rate");
    assert_eq!(description.as_deref(), Some("分类覆盖率目标"));
    assert_eq!(class, "town_class");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].class.as_deref(), Some("城区"));
    assert_eq!(rows[0].value, "98%");
    assert_eq!(
        (rows[1].class.as_deref(), rows[1].value.as_str()),
        (None, "95%")
    );
    assert_eq!(unit.as_deref(), Some("%"));
    assert_eq!(*uses, 2);
    // The same answer on its declaration.
    let decl = a.hover(nth(CLASSES, "target_rate", 0, 0)).unwrap();
    assert_eq!(decl.info, h.info);
    insta::assert_snapshot!("hover-standard-zh", decl.markdown);
    // Definition: the declaration's line (11) and its UTF-16 columns.
    let d = a.definition(use_at).unwrap();
    assert_eq!((lc(d.start), lc(d.end)), ((11, 3), (11, 14)));
    let refs: Vec<String> = a.references(use_at, true).iter().map(short).collect();
    assert_eq!(refs, ["11:3-11:14", "20:23-20:34", "21:35-21:46"]);
    assert_eq!(a.references(use_at, false).len(), 2);
    // The class input is used in the standard's declaration.
    let class_refs = a.references(nth(CLASSES, "town_class", 0, 0), false);
    assert_eq!(
        class_refs.iter().map(short).collect::<Vec<_>>(),
        ["11:17-11:27"]
    );
    // Rename: the declaration and both uses; the result checks.
    assert_eq!(
        a.prepare_rename(use_at).map(|r| r.start.offset),
        Some(nth(CLASSES, "target_rate", 1, 0))
    );
    let edits = a.rename(use_at, "覆盖率目标").unwrap();
    assert_eq!(edits.len(), 3);
    let renamed = apply(CLASSES, &edits);
    assert!(!renamed.contains("target_rate"));
    let b = Analysis::new(renamed);
    assert!(b.diagnostics().is_empty(), "{}", json(&b.diagnostics()));
    // Another name's clash is refused.
    assert!(
        a.rename(use_at, "coverage")
            .unwrap_err()
            .message
            .contains("已有名称")
    );
    assert!(
        a.rename(nth(CLASSES, "coverage", 0, 0), "target_rate")
            .is_err()
    );
}

#[test]
fn completion_offers_standards_where_an_input_may_stand() {
    let a = Analysis::new(CLASSES);
    let at = nth(CLASSES, "target_rate \"", 0, 0);
    let c = a.completions(at);
    let standard = c.items.iter().find(|i| i.label == "target_rate").unwrap();
    assert_eq!(standard.kind, CompletionKind::Standard);
    assert_eq!(standard.detail.as_deref(), Some("分类覆盖率目标"));
    assert!(c.items.iter().any(|i| i.label == "coverage"));
    // While the text does not parse, from the declaring lines.
    let broken = CLASSES.replace("分值 4 {", "分值 4 {{");
    let b = Analysis::new(broken.clone());
    let c = b.completions(nth(&broken, "target_rate \"", 0, 0));
    assert!(
        c.items
            .iter()
            .any(|i| i.label == "target_rate" && i.kind == CompletionKind::Standard)
    );
}

#[test]
fn hover_on_a_heading_gives_its_points_and_what_its_children_add_up_to() {
    let a = Analysis::new(CLASSES);
    let section = a.hover(nth(CLASSES, "一 “", 0, 0)).unwrap();
    // `一级指标 ` is 5 units: the label `一` is at column 5 of line 16.
    assert_eq!(
        (lc(section.range.start), lc(section.range.end)),
        ((16, 5), (16, 6))
    );
    let indicator = a.hover(nth(CLASSES, "1 \"分类覆盖\"", 0, 0)).unwrap();
    insta::assert_snapshot!(
        "hover-headings-zh",
        format!(
            "{}\n\n{}\n\n---\n\n{}",
            json(&section.info),
            section.markdown,
            indicator.markdown
        )
    );
    let HoverInfo::Heading {
        points,
        children_declared,
        children_sum,
        ..
    } = &indicator.info
    else {
        panic!("{indicator:?}")
    };
    assert_eq!(
        (
            points.as_deref(),
            children_declared.as_deref(),
            children_sum.as_str()
        ),
        (Some("10"), None, "10")
    );
}

#[test]
fn hover_on_a_named_result_gives_its_rule_in_words() {
    let a = Analysis::new(CLASSES);
    let h = a.hover(nth(CLASSES, "\"等次\"", 0, 2)).unwrap();
    assert_eq!((lc(h.range.start), lc(h.range.end)), ((6, 5), (6, 9)));
    let HoverInfo::Result { name, rule } = &h.info else {
        panic!("{h:?}")
    };
    assert_eq!(name, "等次");
    assert_eq!(
        rule.as_deref(),
        Some("等次：总分9分及以上为优秀，8分及以上为良好，其余为一般")
    );
    insta::assert_snapshot!("hover-result-zh", h.markdown);
}

// ---------------------------------------------------------------- placeholders

/// A placeholder whose sentence the importer's phrases read (issue 18):
/// K0490 shows the rule and carries it as the fix "write this rule from
/// its sentence", in the spec's keyword set, with the inputs it needs.
const PLACEHOLDER_ZH: &str = "考核表 \"t\" {\n  年度 2024\n  语言 zh\n  总分 3\n  合格等次 \"合格\"\n  不合格等次 \"不合格\"\n}\n\n一级指标 一 \"a\" {\n  二级指标 1 \"b\" {\n    考核事项 1.1 \"c\" 分值 3 {\n      数据 meetings: 计数 次 \"会议次数\"\n      扣 0.5 每 meetings 低于 1 \"少一次扣0.5分\"\n      待写规则 \"每年研究工作两次，少一次扣0.5分\"\n    }\n  }\n}\n";

const PLACEHOLDER_EN: &str = "table \"t\" {\n  year 2024\n  language en\n  total 3\n  pass \"pass\"\n  fail \"fail\"\n}\n\nsection A \"a\" {\n  indicator 1 \"b\" {\n    item 1.1 \"c\" score 3 {\n      rule pending \"发现违规审批的，每发现一起扣0.25分，扣完为止\"\n    }\n  }\n}\n";

#[test]
fn a_placeholder_is_written_from_its_sentence_by_a_quick_fix() {
    for (text, title, clause) in [
        (
            PLACEHOLDER_ZH,
            "按原句写出规则",
            "扣 0.5 每 count_1_1 低于 2",
        ),
        (
            PLACEHOLDER_EN,
            "Write this rule from its sentence",
            "deduct 0.25 per count_1_1",
        ),
    ] {
        let text = &kaohe::api::format(text, None).unwrap();
        let a = Analysis::new(text.as_str());
        let problems = a.diagnostics();
        let pending: Vec<_> = problems
            .iter()
            .filter(|p| p.code.as_str() == "K0490")
            .collect();
        assert_eq!(pending.len(), 1, "{problems:#?}");
        assert!(
            pending[0].notes.iter().any(|n| n.contains(clause)),
            "the warning shows the rule: {:#?}",
            pending[0]
        );
        let fix = pending[0]
            .fix
            .clone()
            .expect("a recognised sentence has a fix");
        assert_eq!(fix.title, title);
        // Asked for at the cursor on the placeholder, the same fix.
        let at = pending[0].range.start.offset;
        assert_eq!(
            a.quick_fixes(kaohe::api::Span::new(at, at)),
            vec![fix.clone()]
        );
        let fixed = apply(text, &fix.edits);
        assert!(fixed.contains(clause), "{fixed}");
        let after = Analysis::new(fixed.clone());
        assert!(
            after.diagnostics().is_empty(),
            "{fixed}\n{:#?}",
            after.diagnostics()
        );
        assert!(after.program().is_some());
        // Laid out as kaohe fmt lays it out: the fix needs no formatting.
        assert_eq!(kaohe::api::format(&fixed, None).unwrap(), fixed);
    }
}

#[test]
fn a_placeholder_not_read_says_what_it_resembles_and_has_no_fix() {
    let text = PLACEHOLDER_ZH.replace(
        "每年研究工作两次，少一次扣0.5分",
        "PM2.5年均值每高于目标任务1μg/m3扣0.5分",
    );
    let a = Analysis::new(text);
    let p = a
        .diagnostics()
        .into_iter()
        .find(|p| p.code.as_str() == "K0490")
        .unwrap();
    assert!(p.fix.is_none(), "{p:#?}");
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("扣 0.5 每 连续 1μg/m³ 计")),
        "{p:#?}"
    );
}

#[test]
fn five_levels_in_the_outline_and_in_hover() {
    let text = read(&root().join("tests/patterns/L7-five-levels/spec.kh"));
    let a = Analysis::new(&text);
    let outline = a.outline();
    let section = &outline[0];
    assert_eq!(section.kind, OutlineKind::Section);
    assert_eq!(section.declared.as_deref(), Some("20"));
    let indicator = &section.children[0];
    assert_eq!(indicator.kind, OutlineKind::Indicator);
    let level3 = &indicator.children[0];
    assert_eq!(
        (level3.kind, level3.label.as_str(), level3.limit.as_deref()),
        (OutlineKind::Level3, "1", Some("3"))
    );
    let level4 = &level3.children[0];
    assert_eq!(level4.kind, OutlineKind::Level4);
    assert_eq!(level4.children[0].kind, OutlineKind::Item);
    // The shorter branch: 三级指标 2 holds its item directly.
    assert_eq!(indicator.children[1].children[0].kind, OutlineKind::Item);

    let h = a.hover(nth(&text, "1 \"免疫规划\"", 0, 0)).unwrap();
    let HoverInfo::Heading {
        level,
        points,
        children_sum,
        limit,
        ..
    } = &h.info
    else {
        panic!("{h:?}")
    };
    assert_eq!(
        (
            level.as_str(),
            points.as_deref(),
            children_sum.as_str(),
            limit.as_deref()
        ),
        ("三级指标", Some("8"), "8", Some("3"))
    );
    assert!(h.markdown.contains("最多扣分：3"), "{}", h.markdown);
    let item = a.hover(nth(&text, "① \"冷链温度记录。\"", 0, 0)).unwrap();
    let HoverInfo::Item { id, .. } = &item.info else {
        panic!("{item:?}")
    };
    assert_eq!(id, "一/(一)/1/(2)/①");
}
