//! The bundled 2024 table checks clean, and its examples score to the cent
//! as worked out by hand.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{differences, eval_json, read, root};

const SPEC: &str = "specs/liucheng-2024.kh";

#[test]
fn the_2024_spec_checks_clean_with_71_items_worth_200() {
    let text = read(&root().join(SPEC));
    let compiled = kaohe::api::compile(&text);
    assert!(
        compiled.diagnostics.is_empty(),
        "{}",
        common::rendered(SPEC, &text, &compiled.diagnostics)
    );
    let spec = compiled.spec.unwrap();
    let program = spec.program();
    assert_eq!(program.items.len(), 71);
    assert_eq!(program.base_total, rust_decimal::Decimal::from(200));
}

fn check_example(name: &str) {
    let dir = root().join("examples/liucheng-2024");
    let report = eval_json(
        name,
        &read(&root().join(SPEC)),
        &read(&dir.join(format!("{name}.json"))),
    );
    let expect: serde_json::Value =
        serde_json::from_str(&read(&dir.join(format!("{name}.expected.json")))).unwrap();
    let diffs = differences(&report, &expect);
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn a_clean_year_scores_200() {
    check_example("clean");
}

#[test]
fn the_mixed_year_matches_its_hand_worked_scores() {
    check_example("mixed");
}

#[test]
fn the_expectations_cover_every_item() {
    for name in ["clean", "mixed"] {
        let path = root().join(format!("examples/liucheng-2024/{name}.expected.json"));
        let expect: serde_json::Value = serde_json::from_str(&read(&path)).unwrap();
        let entity = expect.as_object().and_then(|o| o.values().next()).unwrap();
        assert_eq!(
            entity["items"].as_object().map(|i| i.len()),
            Some(71),
            "{name}"
        );
    }
}

// ---------------------------------------------------------------- an independent reading of 7.1 and 16.1
//
// The two rows as design/interpretation.md reads them, written again in
// plain Rust, and held to the spec on a grid of values around their edges
// (a PM10 of 0, a PM10 at and above its target, a ratio exactly at the
// city's mean; water indices of 0 in both years, a fall of exactly 10%).

use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// 7.1: PM2.5 0.5 per μg/m³ above target, at most 3; PM10 only when above
/// its target: with the PM2.5/PM10 ratio below the city's mean 0.5 per
/// μg/m³ above, at most 3, otherwise 0.5; good-air days 0.05 per 0.1
/// percentage point below target, at most 2.
fn reference_7_1(
    pm25: Decimal,
    t25: Decimal,
    pm10: Decimal,
    t10: Decimal,
    ratio: Decimal,
) -> Decimal {
    let half = d("0.5");
    let pm25_part = ((pm25 - t25).max(Decimal::ZERO) * half).min(d("3"));
    let pm10_part = if pm10 > t10 {
        // Above a target of 0 or more, so PM10 is not 0 here.
        if pm25 / pm10 < ratio {
            ((pm10 - t10) * half).min(d("3"))
        } else {
            half
        }
    } else {
        Decimal::ZERO
    };
    d("8") - pm25_part - pm10_part
}

/// 16.1: per month, 0.25 when the index is lower than last year's by 10%
/// or more (lower: 0 is not lower than 0); at most 0.5 a quarter, 2 a year.
fn reference_16_1(readings: &[(u32, Decimal, Decimal)]) -> Decimal {
    let mut quarters = [Decimal::ZERO; 4];
    for &(month, index, last) in readings {
        if index < last && (last - index) >= last * d("0.1") {
            let q = ((month - 1) / 3) as usize;
            quarters[q] = (quarters[q] + d("0.25")).min(d("0.5"));
        }
    }
    quarters.iter().sum::<Decimal>().min(d("2"))
}

fn clean_entity() -> serde_json::Value {
    let path = root().join("examples/liucheng-2024/clean.json");
    serde_json::from_str(&read(&path)).unwrap()
}

fn item_score(report: &serde_json::Value, entity: usize, item: &str) -> Decimal {
    let items = report["entities"][entity]["items"].as_array().unwrap();
    let found = items.iter().find(|i| i["id"] == item).unwrap();
    d(found["score"].as_str().unwrap())
}

#[test]
fn row_7_1_agrees_with_an_independent_reading_at_its_edges() {
    let base = clean_entity();
    let mut entities = Vec::new();
    let mut expected = Vec::new();
    for pm10 in ["0", "1", "49.5", "50", "50.5", "55", "58", "120"] {
        for t10 in ["0", "50"] {
            for pm25 in ["0", "29", "31.5", "40"] {
                for ratio in ["0", "0.5", "0.62"] {
                    let mut e = base.clone();
                    e["id"] = format!("e{}", entities.len()).into();
                    e["pm10"] = d(pm10)
                        .to_string()
                        .parse::<serde_json::Number>()
                        .unwrap()
                        .into();
                    e["pm10_target"] = t10.parse::<serde_json::Number>().unwrap().into();
                    e["pm25"] = pm25.parse::<serde_json::Number>().unwrap().into();
                    e["city_pm_ratio"] = ratio.parse::<serde_json::Number>().unwrap().into();
                    let want = reference_7_1(d(pm25), d("30"), d(pm10), d(t10), d(ratio));
                    expected.push((pm10, t10, pm25, ratio, want.round_dp(2)));
                    entities.push(e);
                }
            }
        }
    }
    let data = serde_json::Value::Array(entities).to_string();
    let report = eval_json("7.1 edges", &read(&root().join(SPEC)), &data);
    let mut wrong = Vec::new();
    for (i, (pm10, t10, pm25, ratio, want)) in expected.iter().enumerate() {
        let got = item_score(&report, i, "7.1");
        if got != *want {
            wrong.push(format!(
                "pm10 {pm10} (target {t10}), pm25 {pm25}, ratio {ratio}: spec {got}, reading {want}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn row_16_1_agrees_with_an_independent_reading_at_its_edges() {
    let base = clean_entity();
    // (index, last year) pairs put in every month of the year.
    let pairs = [
        ("0", "0"),
        ("0", "0.1"),
        ("0.9", "1"),
        ("0.91", "1"),
        ("1", "1"),
        ("4.5", "5"),
        ("4.6", "5"),
        ("5", "4"),
    ];
    let mut entities = Vec::new();
    let mut expected = Vec::new();
    let mut years: Vec<Vec<(u32, &str, &str)>> = pairs
        .iter()
        .map(|&(i, l)| (1..=12).map(|m| (m, i, l)).collect())
        .collect();
    // A year mixing them, one pair per month.
    years.push(
        (1..=12)
            .map(|m| {
                let (i, l) = pairs[(m as usize * 5) % pairs.len()];
                (m, i, l)
            })
            .collect(),
    );
    for year in &years {
        let mut e = base.clone();
        e["id"] = format!("e{}", entities.len()).into();
        e["water_readings"] = year
            .iter()
            .map(|&(m, i, l)| {
                serde_json::json!({
                    "station": "凤山糖厂",
                    "month": m,
                    "index": i.parse::<serde_json::Number>().unwrap(),
                    "last_year": l.parse::<serde_json::Number>().unwrap(),
                })
            })
            .collect();
        let readings: Vec<(u32, Decimal, Decimal)> =
            year.iter().map(|&(m, i, l)| (m, d(i), d(l))).collect();
        expected.push(reference_16_1(&readings));
        entities.push(e);
    }
    let data = serde_json::Value::Array(entities).to_string();
    let report = eval_json("16.1 edges", &read(&root().join(SPEC)), &data);
    for (i, want) in expected.iter().enumerate() {
        assert_eq!(item_score(&report, i, "16.1"), *want, "year {:?}", years[i]);
    }
    // Both years 0 every month: no fall, no bonus.
    assert_eq!(expected[0], Decimal::ZERO);
}
