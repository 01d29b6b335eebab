//! Properties of scoring that must hold for every dataset, checked on
//! generated data for the 2024 table, and the promise that checking never
//! panics, checked on generated specs.
//!
//! Cases per property: 1,000 when `CI` is set, 64 otherwise; `PROPTEST_CASES`
//! overrides both.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::data::Entity;
use crate::diagnostic::Code;
use crate::eval::{Outcome, evaluate};
use crate::ir::{EnumInfo, Input, ItemKind, Program, Record, Ty, Unit, Value};
use crate::parse::keywords::KeywordSet;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use rust_decimal::Decimal;
use std::sync::{Arc, LazyLock};

/// The 2024 table.
const SPEC_2024: &str = include_str!("../specs/liucheng-2024.kh");

static PROGRAM: LazyLock<Program> = LazyLock::new(|| {
    crate::compile(SPEC_2024)
        .program
        .expect("specs/liucheng-2024.kh checks")
});

fn slot(p: &Program, name: &str) -> usize {
    p.inputs
        .iter()
        .position(|i| i.name == name)
        .unwrap_or_else(|| panic!("the 2024 table has no input {name}"))
}

// ---------------------------------------------------------------- data

fn day(y: i32, m: u32, d: u32) -> i32 {
    crate::date::from_ymd(y, m, d).expect("a real date")
}

/// A realistic value of a type: counts up to 20 (a month field 1–12),
/// rates 0–100% in tenths, percentages −50% to 150%, plain numbers 0–200,
/// dates 2023–2025.
fn value(ty: &Ty, enums: &[EnumInfo]) -> BoxedStrategy<Value> {
    let num = |lo: i64, hi: i64, scale: u32| {
        (lo..=hi)
            .prop_map(move |n| Value::Num(Decimal::new(n, scale)))
            .boxed()
    };
    match ty {
        Ty::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Ty::Count(_) => num(0, 20, 0),
        Ty::Number(Unit::Percent | Unit::Points) => num(-500, 1500, 3),
        // A measured quantity (μg/m³, t) is never exactly 0: PM10 divides.
        Ty::Number(Unit::Named(_)) => num(1, 2000, 1),
        Ty::Number(_) => num(0, 2000, 1),
        Ty::Rate => num(0, 1000, 3),
        Ty::Date => (day(2023, 1, 1)..=day(2025, 12, 31))
            .prop_map(Value::Date)
            .boxed(),
        Ty::Month => num(1, 12, 0),
        Ty::Quarter => num(1, 4, 0),
        Ty::ItemRef => "1\\.[1-3]"
            .prop_map(|s| Value::Text(Arc::from(s.as_str())))
            .boxed(),
        Ty::Text => "[a-c]{0,3}"
            .prop_map(|s| Value::Text(Arc::from(s.as_str())))
            .boxed(),
        Ty::Enum(e) => {
            let n = enums.get(*e).map_or(1, |i| i.variants.len().max(1)) as u32;
            (0..n).prop_map(Value::Enum).boxed()
        }
        Ty::List(fields) => {
            let record: Vec<BoxedStrategy<Value>> = fields
                .iter()
                .map(|f| match f.name.as_str() {
                    "month" => num(1, 12, 0),
                    _ => value(&f.ty, enums),
                })
                .collect();
            proptest::collection::vec(record, 0..5)
                .prop_map(|rs| {
                    let rs: Vec<Record> = rs.into_iter().map(Vec::into_boxed_slice).collect();
                    Value::List(Arc::from(rs))
                })
                .boxed()
        }
    }
}

fn input_value(input: &Input, enums: &[EnumInfo]) -> BoxedStrategy<Value> {
    let v = value(&input.ty, enums);
    if input.optional && input.default.is_none() {
        prop_oneof![1 => Just(Value::Missing), 3 => v].boxed()
    } else {
        v
    }
}

fn entity(p: &Program) -> impl Strategy<Value = Entity> + use<> {
    let slots: Vec<BoxedStrategy<Value>> =
        p.inputs.iter().map(|i| input_value(i, &p.enums)).collect();
    let pairs = issued_pairs(p);
    slots.prop_map(move |mut values| {
        for &(date, issued) in &pairs {
            if values.get(date) == Some(&Value::Missing) {
                values[issued] = Value::Bool(false);
            }
        }
        Entity {
            id: "县".into(),
            values,
        }
    })
}

/// Consistent data: a plan's optional date (`X_date`) is left empty only
/// when the plan was not issued or done (`X_issued`, `X_done` false), as the
/// template says ("未印发则不填"). Pairs of (date slot, issued slot).
fn issued_pairs(p: &Program) -> Vec<(usize, usize)> {
    let slot = |n: &str| p.inputs.iter().position(|i| i.name == n);
    p.inputs
        .iter()
        .enumerate()
        .filter(|(_, i)| i.optional && i.ty == Ty::Date)
        .filter_map(|(d, i)| {
            let flag = slot(&i.name.replace("_date", "_issued"))
                .or_else(|| slot(&i.name.replace("_date", "_done")))?;
            Some((d, flag))
        })
        .collect()
}

fn score(e: &Entity) -> Outcome<'static> {
    evaluate(&PROGRAM, e).unwrap_or_else(|err| {
        panic!(
            "a valid dataset does not score: {}",
            err.to_diagnostic(&e.id).message.en
        )
    })
}

/// The entity with one numeric input moved by `step` (a rate stays ≤ 100%).
fn bumped(e: &Entity, slot: usize, step: Decimal) -> Entity {
    let mut e = e.clone();
    if let Some(Value::Num(n)) = e.values.get_mut(slot) {
        *n += step;
        if PROGRAM.inputs[slot].ty == Ty::Rate {
            *n = (*n).min(Decimal::ONE);
        }
    }
    e
}

/// Every item's score in `after` is at least (`up`) or at most its score in `before`.
fn moved_one_way(before: &Outcome, after: &Outcome, up: bool) -> Result<(), TestCaseError> {
    let ordered = |a: Decimal, b: Decimal| if up { a <= b } else { a >= b };
    for (i, (a, b)) in before.items.iter().zip(&after.items).enumerate() {
        prop_assert!(
            ordered(a.score, b.score),
            "item {} went from {} to {}",
            PROGRAM.items[i].id,
            a.score,
            b.score
        );
    }
    prop_assert!(
        ordered(before.total, after.total),
        "total went from {} to {}",
        before.total,
        after.total
    );
    Ok(())
}

/// The most bonus an outcome may count: per indicator what its items add,
/// held under its ceiling; per section the sum, held under its ceiling; the
/// table's sum held under the header's.
fn bonus_ceiling(p: &Program, o: &Outcome) -> Decimal {
    // Per heading (any level) what its items and headings add, each held
    // under its ceiling and handed to its parent; the table's sum held
    // under the header's.
    let mut by_heading = vec![Decimal::ZERO; p.headings.len()];
    let mut sum = Decimal::ZERO;
    for (item, io) in p.items.iter().zip(&o.items) {
        match item.heading {
            Some(h) => by_heading[h] += io.bonus,
            None => sum += io.bonus,
        }
    }
    for (k, h) in p.headings.iter().enumerate().rev() {
        let raw = by_heading[k];
        let capped = h.bonus_cap.map_or(raw, |c| raw.min(c));
        match h.parent {
            Some(parent) => by_heading[parent] += capped,
            None => sum += capped,
        }
    }
    p.header.bonus_cap.map_or(sum, |c| sum.min(c))
}

/// Inputs that count failings: notices received, problems overdue.
fn failings() -> Vec<usize> {
    let found: Vec<usize> = PROGRAM
        .inputs
        .iter()
        .enumerate()
        .filter(|(_, i)| matches!(i.ty, Ty::Count(_)))
        .filter(|(_, i)| i.name.contains("notices") || i.name.contains("overdue"))
        .map(|(s, _)| s)
        .collect();
    assert!(found.len() >= 10, "notice and overdue inputs: {found:?}");
    found
}

/// Completion and compliance rates: a higher one is never worse.
const RATES: &[&str] = &[
    "clean_production_rate",
    "permit_report_rate",
    "drinking_water_rate",
    "vocs_issue_fix_rate",
    "hw_filing_rate",
    "rural_env_rate",
    "rural_sewage_rate",
    "hazard_fix_rate",
];

/// Meetings held: one more is one fewer missed.
const MEETINGS: &[&str] = &["leader_meetings", "eco_committee_meetings"];

proptest! {
    #![proptest_config(crate::synth::random::config(64))]

    #[test]
    fn base_items_stay_within_their_maximum(e in entity(&PROGRAM)) {
        let o = score(&e);
        for (item, io) in PROGRAM.items.iter().zip(&o.items) {
            if let ItemKind::Base(max) = item.kind {
                prop_assert!(io.score >= Decimal::ZERO && io.score <= max,
                    "item {} scored {} of {}", item.id, io.score, max);
                let moved: Decimal = io.lines.iter().map(|l| l.amount).sum();
                prop_assert_eq!(moved, io.score - max, "the lines of item {} do not add up", &item.id);
            }
        }
    }

    #[test]
    fn totals_add_up_and_bonuses_stay_under_the_ceiling(e in entity(&PROGRAM)) {
        let o = score(&e);
        let base: Decimal = PROGRAM.items.iter().zip(&o.items)
            .filter(|(i, _)| matches!(i.kind, ItemKind::Base(_)))
            .map(|(_, io)| io.score)
            .sum();
        prop_assert_eq!(o.base, base);
        prop_assert!(o.base <= PROGRAM.base_total);
        prop_assert_eq!(o.total, o.base - o.deductions + o.bonus);
        prop_assert!(o.deductions >= Decimal::ZERO);
        prop_assert!(o.bonus >= Decimal::ZERO && o.bonus <= o.bonus_raw);
        let ceiling = bonus_ceiling(&PROGRAM, &o);
        prop_assert!(o.bonus <= ceiling, "bonus {} over the ceiling {}", o.bonus, ceiling);
        // The 2024 table caps every bonus-giving indicator, at 10 in all.
        let declared: Decimal = (PROGRAM.headings.iter())
            .filter(|h| h.level == 2)
            .filter_map(|i| i.bonus_cap)
            .sum();
        prop_assert!(o.bonus <= declared, "bonus {} over the declared ceilings {}", o.bonus, declared);
    }

    #[test]
    fn scoring_is_deterministic(e in entity(&PROGRAM)) {
        prop_assert_eq!(score(&e), score(&e));
    }

    #[test]
    fn a_veto_always_fails(e in entity(&PROGRAM)) {
        let o = score(&e);
        prop_assert_eq!(o.vetoed, o.items.iter().any(|i| i.vetoed));
        prop_assert_eq!(o.vetoed, o.result == PROGRAM.header.fail);
        let mut e = e;
        e.values[slot(&PROGRAM, "liable_major_incident")] = Value::Bool(true);
        let o = score(&e);
        prop_assert!(o.vetoed);
        prop_assert_eq!(&o.result, &PROGRAM.header.fail);
    }

    #[test]
    fn one_more_notice_or_overdue_problem_never_raises_a_score(
        e in entity(&PROGRAM), pick in any::<prop::sample::Index>()
    ) {
        let slots = failings();
        let s = slots[pick.index(slots.len())];
        moved_one_way(&score(&e), &score(&bumped(&e, s, Decimal::ONE)), false)?;
    }

    #[test]
    fn one_more_meeting_never_lowers_a_score(
        e in entity(&PROGRAM), pick in any::<prop::sample::Index>()
    ) {
        let s = slot(&PROGRAM, MEETINGS[pick.index(MEETINGS.len())]);
        moved_one_way(&score(&e), &score(&bumped(&e, s, Decimal::ONE)), true)?;
    }

    #[test]
    fn one_more_point_of_completion_rate_never_lowers_a_score(
        e in entity(&PROGRAM), pick in any::<prop::sample::Index>()
    ) {
        let s = slot(&PROGRAM, RATES[pick.index(RATES.len())]);
        moved_one_way(&score(&e), &score(&bumped(&e, s, Decimal::new(1, 2))), true)?;
    }
}

// ---------------------------------------------------------------- specs

const NAMES: &[&str] = &["a", "b", "n", "r", "d", "xs", "k", "q"];
const UNITS: &[&str] = &["", "%", "pp", "天", "次", "μg/m³", "days"];

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..30).prop_map(|n| n.to_string()),
        (0u32..1000).prop_map(|n| format!("{}.{}", n / 10, n % 10)),
        Just("0".to_string()),
        Just("79228162514264337593543950336".to_string()),
        Just("0.00000000000000000000000000001".to_string()),
    ]
}

fn quantity() -> impl Strategy<Value = String> {
    (number(), prop::sample::select(UNITS)).prop_map(|(n, u)| format!("{n}{u}"))
}

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(str::to_string)
}

fn expr() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        name(),
        quantity(),
        Just("true".to_string()),
        Just("2024-05-31".to_string()),
        Just("\"A\"".to_string()),
        (name(), name()).prop_map(|(a, b)| format!("{a}.{b}")),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        let op = prop::sample::select(
            &[
                "+", "-", "*", "/", "<", "<=", ">", ">=", "=", "!=", "and", "or",
            ][..],
        );
        prop_oneof![
            (inner.clone(), op, inner.clone()).prop_map(|(a, o, b)| format!("{a} {o} {b}")),
            inner.clone().prop_map(|a| format!("({a})")),
            inner.clone().prop_map(|a| format!("not {a}")),
            inner.clone().prop_map(|a| format!("-{a}")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| format!("if {c} then {a} else {b}")),
            (
                prop::sample::select(
                    &["max", "min", "abs", "given", "month", "quarter", "nope"][..]
                ),
                proptest::collection::vec(inner.clone(), 0..3)
            )
                .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
            (
                prop::sample::select(&["count", "sum", "max"][..]),
                name(),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(f, x, l, v)| format!("{f}({x} in {l} where {v}: {v})")),
            (inner.clone(), bands()).prop_map(|(e, b)| format!("bands {e} {{ {b} }}")),
            (inner.clone(), inner.clone())
                .prop_map(|(e, a)| format!("match {e} {{ \"A\" => {a}, else => 0 }}")),
        ]
    })
}

fn bands() -> impl Strategy<Value = String> {
    let band = (
        prop::sample::select(&["<", "<=", ">", ">=", "="][..]),
        quantity(),
        prop::option::of((prop::sample::select(&["<", "<="][..]), quantity())),
        prop_oneof![
            number(),
            (number(), number()).prop_map(|(a, b)| format!("linear {a} to {b}"))
        ],
    )
        .prop_map(|(op, q, upper, v)| match upper {
            Some((op2, q2)) => format!("{op} {q} and {op2} {q2} => {v}"),
            None => format!("{op} {q} => {v}"),
        });
    proptest::collection::vec(band, 1..4).prop_map(|bs| bs.join("\n"))
}

fn input() -> impl Strategy<Value = String> {
    let ty = prop_oneof![
        Just("bool".to_string()),
        prop::sample::select(UNITS).prop_map(|u| format!("count {u}")),
        prop::sample::select(UNITS).prop_map(|u| format!("number {u}")),
        Just("rate".to_string()),
        Just("date".to_string()),
        Just("text".to_string()),
        Just("enum { \"A\", \"B\" }".to_string()),
        Just("list { a: bool, n: count, d: date }".to_string()),
        Just("Kind".to_string()),
    ];
    let opt = prop::sample::select(&["", " optional", " default 0", " optional default true"][..]);
    (name(), ty, opt).prop_map(|(n, t, o)| format!("input {n}: {t}{o} \"输入\""))
}

fn clause() -> impl Strategy<Value = String> {
    let verb = prop::sample::select(&["deduct", "add"][..]);
    let cond = prop::option::of((prop::sample::select(&["if", "unless"][..]), expr()))
        .prop_map(|c| c.map(|(k, e)| format!(" {k} {e}")).unwrap_or_default());
    let cap = prop::option::of(number())
        .prop_map(|c| c.map(|n| format!(", at most {n}")).unwrap_or_default());
    let amount = prop_oneof![
        expr(),
        (
            number(),
            prop::sample::select(&["", "whole ", "continuous "][..]),
            prop::option::of(quantity()),
            expr(),
            prop::option::of((prop::sample::select(&["above", "below"][..]), expr()))
        )
            .prop_map(|(a, r, q, e, g)| {
                let q = q.map(|q| format!("{q} of ")).unwrap_or_default();
                let g = g.map(|(k, x)| format!(" {k} {x}")).unwrap_or_default();
                format!("{a} per {r}{q}{e}{g}")
            }),
        (name(), expr(), expr()).prop_map(|(x, l, v)| format!("each {x} in {l} where {v}: {v}")),
    ];
    prop_oneof![
        4 => (verb, amount, cap, cond).prop_map(|(v, a, c, k)| format!("{v} {a}{c}{k} \"说明\"")),
        1 => expr().prop_map(|e| format!("veto if {e} \"否决\"")),
        1 => expr().prop_map(|e| format!("exempt if {e} \"免予考核\"")),
    ]
}

fn item() -> impl Strategy<Value = String> {
    let kind = prop_oneof![
        number().prop_map(|n| format!("score {n}")),
        number().prop_map(|n| format!("score {n} from 0")),
        Just("deduction".to_string()),
        Just("bonus".to_string()),
        Just("veto".to_string()),
        Just(String::new()),
    ];
    let entry = prop_oneof![
        3 => input(),
        4 => clause(),
        1 => (
            prop::sample::select(&["", "deduction ", "bonus "][..]),
            prop::option::of(number()),
            proptest::collection::vec(clause(), 0..3)
        )
            .prop_map(|(k, lim, cs)| {
                let lim = lim.map(|n| format!(" at most {n}")).unwrap_or_default();
                format!("part {k}\"部分\"{lim} {{\n{}\n}}", cs.join("\n"))
            }),
    ];
    (0u32..4, kind, proptest::collection::vec(entry, 0..6))
        .prop_map(|(n, k, es)| format!("item 1.{n} \"事项\" {k} {{\n{}\n}}", es.join("\n")))
}

fn spec() -> impl Strategy<Value = String> {
    let header = (number(), prop::option::of(number()), prop::sample::select(&["zh", "en"][..]))
        .prop_map(|(t, cap, lang)| {
            let cap = cap.map(|c| format!("bonus at most {c}\n")).unwrap_or_default();
            format!("table \"表\" {{\nyear 2024\nlanguage {lang}\ntotal {t}\npass \"合格\"\nfail \"不合格\"\n{cap}}}\n")
        });
    (
        header,
        prop::bool::ANY,
        proptest::collection::vec(input(), 0..3),
        proptest::collection::vec(item(), 1..4),
    )
        .prop_map(|(h, with_enum, inputs, items)| {
            let e = if with_enum {
                "enum Kind { \"A\", \"B\", \"C\" }\n"
            } else {
                ""
            };
            format!(
                "{h}{e}{}\nsection 一 \"节\" {{\nindicator 1 \"指标\" {{\n{}\n}}\n}}\n",
                inputs.join("\n"),
                items.join("\n")
            )
        })
}

/// Every keyword of the grammar, from its keyword table (grammar/kaohe.pest,
/// read by parse::keywords) in English, then the other tokens.
static TOKENS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut tokens: Vec<&str> = crate::api::keywords(KeywordSet::En).collect();
    tokens.extend(OTHER_TOKENS);
    tokens
});

/// The tokens of the grammar that are not keywords, and a few that are not
/// tokens.
const OTHER_TOKENS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    ",",
    ":",
    ".",
    "=>",
    "<",
    "<=",
    ">",
    ">=",
    "=",
    "!=",
    "+",
    "-",
    "*",
    "/",
    "%",
    "\"s\"",
    "\"A\"",
    "x",
    "n",
    "1",
    "1.5",
    "0",
    "2024-02-30",
    "1.1",
    "一",
    "zh",
    "μg/m³",
    "\n",
    // Typed with a Chinese input method, accepted or not.
    "，",
    "、",
    "：",
    "（",
    "）",
    "．",
    "－",
    "％",
    "１．５",
    "“s”",
    "‘s’",
    "“s\"",
    "\"s”",
    "；",
    "。",
    "【",
    "】",
    "＝",
    "｛",
    "ｘ",
    "\u{3000}",
    "2024年5月31日",
    "2024/5/31",
    "5月31日",
    "0.5分",
    // Misspelt keywords.
    "除了",
    "若是",
    "责任部门",
    "考核项目",
    "unles",
    "deduc",
    "responsble",
];

/// The full-width form an input method types for an ASCII character the
/// grammar also reads in full width, outside texts and names.
fn full_width_of(c: char) -> Option<char> {
    match c {
        ',' | ':' | '(' | ')' | '%' | '0'..='9' | '.' | '-' => char::from_u32(c as u32 + 0xFEE0),
        ' ' => Some('\u{3000}'),
        _ => None,
    }
}

/// A spec with full-width characters sprinkled where `mask` says, as an
/// input method left in full-width mode types them: outside texts and
/// comments, not in names (whose digits are typed in English), and texts
/// without quotes or backslashes quoted “…” where the mask says.
fn sprinkle(text: &str, mask: &[bool]) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut flips = mask.iter().copied().cycle();
    let mut in_name = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let flip = flips.next().unwrap_or(false);
        if c == '/' && text[i..].starts_with("//") {
            let end = text[i..].find('\n').map_or(text.len(), |e| i + e);
            out.push_str(&text[i..end]);
            while chars.peek().is_some_and(|&(j, _)| j < end) {
                chars.next();
            }
            in_name = false;
            continue;
        }
        if c == '"' {
            let rest = &text[i + 1..];
            let mut j = 0;
            let bytes = rest.as_bytes();
            while j < bytes.len() && bytes[j] != b'"' && bytes[j] != b'\n' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            let body = &rest[..j.min(rest.len())];
            let closed = rest.as_bytes().get(j) == Some(&b'"');
            if flip && closed && !body.contains(['\\', '“', '”']) {
                out.push('“');
                out.push_str(body);
                out.push('”');
            } else {
                out.push('"');
                out.push_str(&rest[..(j + usize::from(closed)).min(rest.len())]);
            }
            let end = i + 1 + (j + usize::from(closed)).min(rest.len());
            while chars.peek().is_some_and(|&(k, _)| k < end) {
                chars.next();
            }
            in_name = false;
            continue;
        }
        let typed = match full_width_of(c) {
            // `-` in `=>`-free text only; a digit or point inside a name stays.
            Some(f) if flip && !(in_name && (c.is_ascii_digit() || c == '.')) => f,
            _ => c,
        };
        out.push(typed);
        in_name = c.is_ascii_alphabetic() || c == '_' || (in_name && c.is_ascii_digit());
    }
    out
}

/// A keyword spelled with one character changed, from the grammar's keyword
/// table (parse::keywords), in both sets: `deduct` → `dexuct`, `责任单位` →
/// `责任甲位`. Only keywords of three characters or more in English and two
/// or more in Chinese, which a misspelling cannot turn into another word.
fn misspellings() -> Vec<(String, String)> {
    use crate::parse::Rule;
    use crate::parse::keywords::{is_word, spelling};
    let mut out = Vec::new();
    for &rule in Rule::all_rules() {
        if !is_word(rule) || !format!("{rule:?}").starts_with("kw_") {
            continue;
        }
        for set in [KeywordSet::En, KeywordSet::Zh] {
            let Some(word) = spelling(rule, set) else {
                continue;
            };
            let chars: Vec<char> = word.chars().collect();
            let long = if word.is_ascii() {
                chars.len() >= 4
            } else {
                chars.len() >= 3
            };
            if !long || word.contains(' ') {
                continue;
            }
            let mut wrong = chars.clone();
            let at = chars.len() / 2;
            wrong[at] = if word.is_ascii() { 'x' } else { '甲' };
            out.push((word.to_string(), wrong.into_iter().collect()));
        }
    }
    out
}

/// The 2024 table in Chinese, lines that begin with a keyword of two or more
/// characters and hold no brace (so that one misspelt is one broken line).
static TABLE_LINES: LazyLock<(String, Vec<(usize, String)>)> = LazyLock::new(|| {
    let text = SPEC_2024.to_string();
    let words = misspellings();
    let lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.contains(['{', '}']))
        .filter_map(|(n, l)| {
            let first = l.trim_start().split(' ').next()?;
            words
                .iter()
                .any(|(w, _)| w == first)
                .then(|| (n, first.to_string()))
        })
        .collect();
    (text, lines)
});

/// What a spec means, layout aside: its checked program without spans,
/// or, when it does not check, what is wrong with it (the codes, in order:
/// messages may quote the spec as it was laid out).
fn meaning(text: &str) -> (Option<Program>, Vec<Code>) {
    let compiled = crate::compile(text);
    let problems = compiled.diagnostics.iter().map(|d| d.code).collect();
    (compiled.program.map(|p| p.without_spans()), problems)
}

proptest! {
    #![proptest_config(crate::synth::random::config(64))]

    #[test]
    fn checking_a_generated_spec_never_panics(text in spec()) {
        let compiled = crate::compile(&text);
        if let Some(program) = &compiled.program {
            // A spec that checks also scores generated data without panicking.
            let mut runner = proptest::test_runner::TestRunner::deterministic();
            let e = entity(program).new_tree(&mut runner).expect("a dataset").current();
            let _ = evaluate(program, &e);
        }
    }

    #[test]
    fn formatting_a_generated_spec_is_idempotent_and_keeps_its_meaning(text in spec()) {
        use crate::fmt::format;
        // Numbers beyond exact decimals stop the parser; the rest of the
        // spec is what the formatter is for.
        let text = text
            .replace("79228162514264337593543950336", "7")
            .replace("0.00000000000000000000000000001", "0.1");
        let once = format(&text, None).map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
        prop_assert_eq!(format(&once, None).ok(), Some(once.clone()), "not idempotent");
        prop_assert_eq!(meaning(&once), meaning(&text), "meaning changed");
        let zh = format(&text, Some(KeywordSet::Zh)).map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
        let en = format(&zh, Some(KeywordSet::En)).map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
        prop_assert_eq!(format(&en, Some(KeywordSet::Zh)).ok(), Some(zh), "zh → en → zh differs");
    }

    #[test]
    fn a_spec_typed_in_full_width_means_the_same(
        text in spec(),
        mask in proptest::collection::vec(prop::bool::ANY, 1..64)
    ) {
        let text = text
            .replace("79228162514264337593543950336", "7")
            .replace("0.00000000000000000000000000001", "0.1");
        let typed = sprinkle(&text, &mask);
        let (program, codes) = meaning(&text);
        let (typed_program, typed_codes) = meaning(&typed);
        // A clause without a reason is explained by its text as written.
        let shown = |p: Option<Program>| p.map(|p| format!("{p:#?}")
            .lines()
            .filter(|l| !l.trim_start().starts_with("reason: "))
            .collect::<Vec<_>>()
            .join("\n"));
        prop_assert_eq!(
            shown(typed_program),
            shown(program),
            "{}\n{:#?}",
            typed,
            crate::compile(&typed).diagnostics.iter().map(|d| (&d.message.en, d.primary_span().map(|s| &typed[s.start..s.end]))).collect::<Vec<_>>()
        );
        if crate::fmt::format(&text, None).is_ok() {
            prop_assert_eq!(typed_codes, codes, "{}", typed);
            prop_assert_eq!(crate::fmt::format(&typed, None).ok(), crate::fmt::format(&text, None).ok());
        }
    }

    #[test]
    fn every_misspelt_keyword_is_named_at_the_word(
        picks in proptest::collection::btree_set(0usize..1000, 1..4)
    ) {
        let (text, lines) = &*TABLE_LINES;
        let words = misspellings();
        let mut broken: Vec<String> = text.lines().map(str::to_string).collect();
        let mut expected = Vec::new();
        for pick in &picks {
            let (n, word) = &lines[pick % lines.len()];
            if expected.iter().any(|(m, _, _)| m == n) {
                continue;
            }
            let wrong = &words.iter().find(|(w, _)| w == word).unwrap().1;
            broken[*n] = broken[*n].replacen(word.as_str(), wrong, 1);
            expected.push((*n, wrong.clone(), word.clone()));
        }
        let broken = broken.join("\n") + "\n";
        let diags = crate::compile(&broken).diagnostics;
        for (n, wrong, word) in &expected {
            let at = diags.iter().find(|d| d.primary_span().is_some_and(|s| {
                broken[..s.start].matches('\n').count() == *n && &broken[s.start..s.end] == wrong
            }));
            let d = at.ok_or_else(|| TestCaseError::fail(format!("line {}: {wrong} not named: {diags:#?}", n + 1)))?;
            prop_assert_eq!(d.code, Code::MisspeltKeyword);
            prop_assert!(d.message.zh.contains(word.as_str()), "{:?}", d.message);
        }
        prop_assert_eq!(diags.len(), expected.len(), "{:#?}", diags);
    }

    #[test]
    fn checking_token_soup_never_panics(
        tokens in proptest::collection::vec(prop::sample::select(TOKENS.as_slice()), 0..200)
    ) {
        let _ = crate::compile(&tokens.join(" "));
    }
}

mod constructs;
