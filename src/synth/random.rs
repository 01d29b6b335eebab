//! Random small specs, written as text, and random entities for them: the
//! proptest strategies of the differential test (`eval::differential`),
//! which holds every fast path of the scorer to the general way.
//!
//! A spec declares the same inputs at its top, one of every type (yes/no,
//! counts, numbers with units, a rate, an enumeration, a date, a text, a
//! list of records), some optional; its items are of every kind (`score N`,
//! `score N from 0`, deduction, bonus, veto, a row with a deduction part
//! and a bonus part) and their clauses take every form the scorer has a
//! fast path for (`ir::Shape`: `deduct 1 unless flag`, `deduct 1 if rate <
//! 90%`, `deduct 0.5 per meetings below 2`) mixed with forms it has none
//! for (`per` with a step or a condition, bands, `match`, `each` with `once
//! per … at highest` and caps per group, `count`, `sum`, dates, `given`,
//! texts, arithmetic), with clause caps, parts (scored, `from 0`, `at
//! most`), exemptions, extra awards (within and outside the bonus ceiling),
//! waivers of deductions, bonus ceilings per indicator and table, and grades.
//! Every spec generated checks without error. The data hits the edges:
//! 0, the very constants the clauses compare with (at other scales too),
//! counts beyond any table, missing optional inputs, empty and long lists.

use crate::data::Entity;
use crate::ir::{Program, Record, Value};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use rust_decimal::Decimal;
use std::fmt::Write;
use std::str::FromStr;
use std::sync::Arc;

/// The inputs every generated spec declares, in this order.
const INPUTS: &str = r#"enum kind { "A", "B", "C" }
input f: bool "flag"
input g: bool optional "optional flag"
input n: count "count"
input o: count optional "optional count"
input x: number % "percent"
input q: number μg/m³ "quantity"
input r: rate "rate"
input k: kind "kind"
input d: date optional "date"
input t: text "text"
input xs: list { key: text "key", lvl: kind "level", v: count "value", ok: bool "ok", mon: count "month" } "records"
"#;

/// The names of [`INPUTS`], in the order of [`Data`]'s values.
const NAMES: [&str; 11] = ["f", "g", "n", "o", "x", "q", "r", "k", "d", "t", "xs"];

/// One entity's values, in the order of [`NAMES`].
pub type Data = Vec<Value>;

/// A spec's text and a few entities for it.
pub fn case() -> impl Strategy<Value = (String, Vec<Data>)> {
    (spec(), vec(data(), 1..6))
}

/// `data` as an entity of `program` (a spec of [`spec`]), its inputs
/// found by name.
pub fn entity(program: &Program, id: usize, data: &Data) -> Entity {
    let values = (program.inputs.iter())
        .map(|input| {
            let at = NAMES.iter().position(|n| *n == input.name);
            at.and_then(|i| data.get(i))
                .cloned()
                .unwrap_or(Value::Missing)
        })
        .collect();
    Entity {
        id: format!("e{id}"),
        values,
    }
}

// ---------------------------------------------------------------- data

fn num(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap_or_default()
}

fn nums(texts: &'static [&'static str]) -> impl Strategy<Value = Value> {
    select(texts).prop_map(|t| Value::Num(num(t)))
}

fn optional(v: impl Strategy<Value = Value>) -> impl Strategy<Value = Value> {
    prop_oneof![8 => v, 1 => Just(Value::Missing)]
}

/// A count: small, the constants clauses compare with, or beyond any
/// table (where a `per` clause overflows).
fn count() -> impl Strategy<Value = Value> {
    prop_oneof![
        12 => (0u32..6).prop_map(|n| Value::Num(Decimal::from(n))),
        2 => (0u32..40).prop_map(|n| Value::Num(Decimal::from(n))),
        1 => nums(&["100000000000000000000", "79228162514264337593543950335"]),
    ]
}

/// A percentage held as a fraction: −50% to 150%, and the constants of
/// the clauses at other scales.
fn percent() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => (-50i64..=150).prop_map(|n| Value::Num(Decimal::new(n, 2))),
        2 => nums(&["0", "0.80", "0.8", "1", "1.000", "0.505", "-0.01", "0.00"]),
    ]
}

fn quantity() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => (0i64..=800).prop_map(|n| Value::Num(Decimal::new(n, 1))),
        2 => nums(&["35", "35.0", "34.9", "36", "0"]),
    ]
}

fn rate() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => (0i64..=1000).prop_map(|n| Value::Num(Decimal::new(n, 3))),
        2 => nums(&["0.9", "0.90", "0.95", "1", "1.00", "0", "0.899", "0.951"]),
    ]
}

fn day(m: u32, d: u32) -> i32 {
    crate::date::from_ymd(2024, m, d).unwrap_or(0)
}

fn date() -> impl Strategy<Value = Value> {
    let edge = day(5, 31);
    prop_oneof![
        (edge - 3..edge + 4).prop_map(Value::Date),
        (day(1, 1)..day(12, 31)).prop_map(Value::Date),
    ]
}

fn text() -> impl Strategy<Value = Value> {
    select(&["A", "B", "p", ""][..]).prop_map(|t| Value::Text(Arc::from(t)))
}

fn record() -> impl Strategy<Value = Record> {
    let key = select(&["p", "q", "r", "s"][..]).prop_map(|t| Value::Text(Arc::from(t)));
    let month = prop_oneof![
        20 => (1u32..=12).prop_map(|n| Value::Num(Decimal::from(n))),
        1 => nums(&["0", "13"]),
    ];
    (
        key,
        (0u32..3).prop_map(Value::Enum),
        // Whole, and with up to four decimals (the water readings' index
        // is written so), so that a value lies between 90% of its month
        // and its month, at scales that differ.
        prop_oneof![
            3 => (0u32..5).prop_map(|n| Value::Num(Decimal::from(n))),
            1 => (0i64..500, 0u32..=4).prop_map(|(n, s)| Value::Num(Decimal::new(n, s))),
        ],
        any::<bool>().prop_map(Value::Bool),
        month,
    )
        .prop_map(|(a, b, c, d, e)| vec![a, b, c, d, e].into_boxed_slice())
}

/// A list: empty, short, or longer than the scorer's one-by-one search.
fn records() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => vec(record(), 0..5),
        1 => vec(record(), 30..40),
    ]
    .prop_map(|rs| Value::List(rs.into()))
}

/// One entity's values, in the order of [`NAMES`].
pub fn data() -> impl Strategy<Value = Data> {
    (
        any::<bool>().prop_map(Value::Bool),
        optional(any::<bool>().prop_map(Value::Bool)),
        count(),
        optional(count()),
        percent(),
        quantity(),
        rate(),
        (0u32..3).prop_map(Value::Enum),
        optional(date()),
        text(),
        records(),
    )
        .prop_map(|(f, g, n, o, x, q, r, k, d, t, xs)| vec![f, g, n, o, x, q, r, k, d, t, xs])
}

// ---------------------------------------------------------------- specs

/// What an item is: its kind, and whether its clauses deduct or add.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// `score N` (from 0 when `from0`), with clauses or with scored parts.
    Score {
        max: &'static str,
        from0: bool,
    },
    Deduction,
    Bonus,
    Veto,
    /// No kind: a `part deduction` and a `part bonus … at most`.
    Mixed,
}

/// The number inputs, each with constants of its type for comparisons.
const NUMERIC: &[(&str, &[&str])] = &[
    ("n", &["0", "1", "2", "3"]),
    ("o", &["0", "2"]),
    ("x", &["0%", "80%", "100%", "50.5%"]),
    ("q", &["35μg/m³", "0μg/m³"]),
    ("r", &["90%", "95%", "100%", "0%"]),
];

const AMOUNTS: &[&str] = &["1", "0.5", "2", "1.5", "0.25", "1.0", "0.50", "3"];

/// A clause with the verb `verb`. Its cap, if any, is at most 1: no more
/// than the least score of an item or part (K0401).
fn clause(verb: &'static str) -> impl Strategy<Value = String> {
    let a = || select(AMOUNTS);
    let op = || select(&["<", "<=", ">", ">=", "=", "!="][..]);
    // (input, constants of its type) for the comparisons and gaps.
    let numeric = select(NUMERIC);
    let compare = (numeric.clone(), op(), any::<prop::sample::Index>())
        .prop_map(|((i, cs), op, c)| format!("{i} {op} {}", c.get(cs)));
    let flag = select(&["f", "not f", "g", "not g"][..]).prop_map(str::to_string);
    let cond = prop_oneof![
        3 => flag.clone(),
        3 => compare.clone(),
        1 => (flag.clone(), compare.clone()).prop_map(|(a, b)| format!("{a} and {b}")),
        1 => (compare.clone(), flag).prop_map(|(a, b)| format!("{a} or {b}")),
        1 => compare.clone().prop_map(|c| format!("not ({c})")),
        1 => select(&[
            "d <= 2024-05-31",
            "given(d) and d > 2024-05-31",
            "not given(d)",
            "given(d) and quarter(d) = 2",
            "given(d) and d + 30 days > 2024-06-30",
            "t = \"A\"",
            "k = \"B\"",
            "count(e in xs where e.ok) >= 2",
            "sum(e in xs where not e.ok: e.v) > 3",
            "n > o",
            "n / 2 > 1",
            "max(n, 2) = 2",
            "abs(x - 100%) < 10pp",
        ][..])
        .prop_map(str::to_string),
    ];
    let gap = prop_oneof![
        Just(String::new()),
        select(&[" below 2", " above 1", " below 0"][..]).prop_map(str::to_string),
    ];
    let per = prop_oneof![
        // Shapes: a constant rate per 1 of an input, or of its gap.
        (a(), select(&["n", "o"][..]), gap).prop_map(|(a, i, g)| format!("{a} per {i}{g}")),
        (
            a(),
            select(&["whole", "continuous"][..]),
            select(&[" above 35μg/m³", " below 35μg/m³", ""][..])
        )
            .prop_map(|(a, w, g)| format!("{a} per {w} 1μg/m³ of q{g}")),
        // No shape: a step other than 1 (a tenth or a hundredth too: a
        // division by a change of scale), a computed quantity.
        (
            a(),
            select(&["whole", "continuous"][..]),
            select(&["5pp", "1pp", "0.1pp"][..])
        )
            .prop_map(|(a, w, s)| format!("{a} per {w} {s} of r below 100%")),
        a().prop_map(|a| format!("{a} per whole 2 of n")),
        a().prop_map(|a| format!("{a} per n - 1 above 0")),
    ];
    let amount = prop_oneof![
        2 => a().prop_map(str::to_string),
        1 => (a(), a()).prop_map(|(a, b)| format!("(if f then {a} else {b})")),
        1 => a().prop_map(|a| format!("{a} * r")),
        1 => Just("max(0, 2 - n)".to_string()),
        1 => a().prop_map(|a| format!("min(n, 3) * {a}")),
        1 => Just("3 - n".to_string()),
        1 => (a(), a()).prop_map(|(a, b)| format!("match k {{ \"A\" => {a}, \"B\" => {b}, \"C\" => 0 }}")),
        1 => a().prop_map(|a| format!("match t {{ \"A\" => {a}, else => 0 }}")),
        1 => a().prop_map(|a| format!("bands r {{\n  < 90% => {a}\n  >= 90% and < 100% => linear {a} to 0\n  >= 100% => 0\n}}")),
        1 => a().prop_map(|a| format!("bands x {{\n  <= 0% => 0\n  > 0% and < 80% => linear 0 to {a}\n  >= 80% => {a}\n}}")),
        1 => a().prop_map(|a| format!("bands n {{\n  = 0 => 0\n  >= 1 and <= 2 => {a}\n  >= 3 => 2\n}}")),
    ];
    let each = prop_oneof![
        a().prop_map(|a| format!("each e in xs where e.ok: {a}")),
        Just("each e in xs: e.v * 0.5".to_string()),
        Just("each e in xs, once per e.key at highest: match e.lvl { \"A\" => 1, \"B\" => 0.5, \"C\" => 0.25 }".to_string()),
        a().prop_map(|a| format!("each e in xs where e.v > 1: {a}, at most 1 per quarter(e.mon)")),
        a().prop_map(|a| format!("each e in xs where e.v < e.mon and e.v <= e.mon * 50%: {a}, at most 1 per quarter(e.mon)")),
        a().prop_map(|a| format!("each e in xs where e.v < e.mon and e.v <= e.mon * 90%: {a}, at most 1 per quarter(e.mon)")),
        a().prop_map(|a| format!("each e in xs where e.v >= e.mon or e.v > e.mon * 0.25: {a}, at most 0.5 per quarter(e.mon)")),
        Just("each e in xs where not e.ok: e.v, at most 1.5 per e.key".to_string()),
        (a(), a()).prop_map(|(a, b)| format!("each e in xs: if e.ok then {a} else {b}")),
        (select(&["<", "<=", ">", ">=", "=", "!="][..]), a())
            .prop_map(|(op, a)| format!("each e in xs where e.v {op} e.mon: {a}")),
    ];
    let cap = prop_oneof![
        3 => Just(String::new()),
        1 => select(&[", at most 1", ", at most 0.5", ", at most 1.0"][..]).prop_map(str::to_string),
    ];
    let guarded = |s: BoxedStrategy<String>, c: BoxedStrategy<String>| {
        (s, prop::option::of((select(&["if", "unless"][..]), c))).prop_map(|(s, c)| match c {
            Some((k, c)) => format!("{s} {k} {c}"),
            None => s,
        })
    };
    let body = prop_oneof![
        // The shapes: a constant amount if or unless a flag or a comparison.
        3 => (a(), select(&["if", "unless"][..]), cond.clone()).prop_map(|(a, k, c)| format!("{a} {k} {c}")),
        3 => (per, cap.clone()).prop_map(|(p, c)| format!("{p}{c}")),
        2 => guarded(amount.boxed(), cond.clone().boxed()),
        1 => (each, cap).prop_map(|(e, c)| format!("{e}{c}")),
        1 => (a(), select(&["n", "o"][..]), cond).prop_map(|(a, i, c)| format!("{a} per {i} if {c}")),
    ];
    body.prop_map(move |b| format!("{verb} {b} \"r\""))
}

/// An item's kind; every score is at least 1 (`score 1`, `2`, `3.0`, …),
/// and a part's at least 0.5.
fn kind() -> impl Strategy<Value = Kind> {
    let max = select(&["2", "1", "3", "4", "2.5", "3.0"][..]);
    prop_oneof![
        4 => (max, any::<bool>()).prop_map(|(max, from0)| Kind::Score { max, from0 }),
        1 => Just(Kind::Deduction),
        1 => Just(Kind::Bonus),
        1 => Just(Kind::Veto),
        1 => Just(Kind::Mixed),
    ]
}

fn clauses(verb: &'static str, n: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    vec(clause(verb), n).prop_map(|cs| cs.join("\n"))
}

/// An extra award beyond a scored item's points (超额加分), within the
/// bonus ceiling or outside it, or none.
fn extra() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => select(&[
            "extra 0.5 per n above 2, at most 1, within bonus ceiling \"超额\"",
            "extra 0.25 per n, outside bonus ceiling \"超额\"",
            "extra 1 if f, within bonus ceiling",
            "extra 0.5 per o above 1, at most 2 if g, outside bonus ceiling",
        ][..])
        .prop_map(|e| format!("\n{e}")),
    ]
}

/// A waiver of an item's deductions (免予扣分), or none.
fn waiver() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => select(&["waived if f \"免扣\"", "waived if r >= 90%", "waived unless g"][..])
            .prop_map(str::to_string),
    ]
}

fn exempt() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => Just(String::new()),
        1 => select(&["not f", "t = \"B\"", "n > 20"][..]).prop_map(|c| format!("exempt if {c} \"免\"\n")),
    ]
}

/// An item's kind and body.
fn item() -> impl Strategy<Value = (Kind, String)> {
    kind().prop_flat_map(|kind| {
        let body = match kind {
            Kind::Score { max, from0 } => {
                let verb = if from0 { "add" } else { "deduct" };
                let scored = scored_parts(max);
                let grouped = (clauses(verb, 0..3), clauses(verb, 1..3))
                    .prop_map(move |(a, b)| format!("{a}\npart \"g\" at most 1 {{\n{b}\n}}"));
                let body = if from0 {
                    // An item with scored parts starts from them (K0412).
                    prop_oneof![3 => clauses(verb, 1..4), 1 => grouped].boxed()
                } else {
                    // Deductions alone may be waived (免予扣分).
                    let waived =
                        (clauses(verb, 1..4), waiver()).prop_map(|(c, w)| format!("{c}\n{w}"));
                    prop_oneof![3 => waived, 1 => grouped, 1 => scored].boxed()
                };
                (body, extra()).prop_map(|(b, e)| format!("{b}{e}")).boxed()
            }
            Kind::Deduction => clauses("deduct", 1..4).boxed(),
            Kind::Bonus => clauses("add", 1..4).boxed(),
            Kind::Veto => select(
                &[
                    "f",
                    "n > 3",
                    "given(d) and d > 2024-05-31",
                    "count(e in xs where e.ok) > 3",
                ][..],
            )
            .prop_map(|c| format!("veto if {c} \"否决\""))
            .boxed(),
            Kind::Mixed => (clauses("deduct", 1..3), clauses("add", 1..3))
                .prop_map(|(d, b)| {
                    format!(
                        "part deduction \"d\" {{\n{d}\n}}\npart bonus \"b\" at most 1 {{\n{b}\n}}"
                    )
                })
                .boxed(),
        };
        // An item without a kind has only parts: no exemption of its own.
        let exempt = if kind == Kind::Mixed {
            Just(String::new()).boxed()
        } else {
            exempt().boxed()
        };
        (Just(kind), exempt, body).prop_map(|(k, e, b)| (k, format!("{e}{b}")))
    })
}

/// Two parts whose scores add up to `max`, each starting full or at 0.
fn scored_parts(max: &'static str) -> BoxedStrategy<String> {
    let max = num(max);
    let half = (max / Decimal::TWO).round_dp(1);
    let rest = max - half;
    (
        any::<bool>(),
        any::<bool>(),
        clauses("deduct", 1..3),
        clauses("add", 1..3),
    )
        .prop_map(move |(z1, z2, d, a)| {
            let part = |name: &str, s: Decimal, from0: bool| {
                let (from, body) = if from0 { (" from 0", &a) } else { ("", &d) };
                format!("part \"{name}\" score {s}{from} {{\n{body}\n}}")
            };
            format!("{}\n{}", part("p1", half, z1), part("p2", rest, z2))
        })
        .boxed()
}

/// A spec: a header, the inputs, one or two sections of one or two
/// indicators of one to three items.
pub fn spec() -> impl Strategy<Value = String> {
    let indicator = (
        prop::option::of(select(&["1", "0.5"][..])),
        vec(item(), 1..4),
    );
    let section = vec(indicator, 1..3);
    (
        vec(section, 1..3),
        select(&["10", "2", "0.5"][..]),
        any::<bool>(),
    )
        .prop_map(|(sections, cap, grades)| render(&sections, cap, grades))
}

type Indicator = (Option<&'static str>, Vec<(Kind, String)>);

fn render(sections: &[Vec<Indicator>], cap: &str, grades: bool) -> String {
    let mut total = Decimal::ZERO;
    let mut body = String::new();
    for (s, indicators) in sections.iter().enumerate() {
        let _ = writeln!(body, "section S{s} \"s\" {{");
        for (i, (bonus_cap, items)) in indicators.iter().enumerate() {
            let _ = writeln!(body, "  indicator {s}{i} \"i\" {{");
            if let Some(c) = bonus_cap {
                let _ = writeln!(body, "    bonus at most {c}");
            }
            for (j, (kind, text)) in items.iter().enumerate() {
                let head = match kind {
                    Kind::Score { max, from0 } => {
                        total += num(max);
                        format!("score {max}{}", if *from0 { " from 0" } else { "" })
                    }
                    Kind::Deduction => "deduction".into(),
                    Kind::Bonus => "bonus".into(),
                    Kind::Veto => "veto".into(),
                    Kind::Mixed => String::new(),
                };
                let _ = writeln!(body, "    item {s}{i}.{j} \"x\" {head} {{\n{text}\n    }}");
            }
            body.push_str("  }\n");
        }
        body.push_str("}\n");
    }
    let grades = if grades {
        "  grades {\n    >= 2 => \"优秀\"\n    < 2 => \"合格\"\n  }\n"
    } else {
        ""
    };
    format!(
        "table \"t\" {{\n  language en\n  total {total}\n  pass \"pass\"\n  fail \"fail\"\n  bonus at most {cap}\n{grades}}}\n{INPUTS}{body}"
    )
}

/// How many cases a property test runs: `local` on a developer's machine,
/// 1,000 with `CI` set, `PROPTEST_CASES` over both; no failure files left
/// in the source tree.
pub(crate) fn config(local: u32) -> proptest::test_runner::Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(if std::env::var_os("CI").is_some() {
            1000
        } else {
            local
        });
    proptest::test_runner::Config {
        cases,
        failure_persistence: None,
        ..Default::default()
    }
}
