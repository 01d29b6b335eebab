//! The library API: the batch, streaming and JSON paths give the scores of
//! the one-at-a-time path; the entity builder reports bad values.

// Tests may fail loudly: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use kaohe::api::{Code, Entity, Options, Outcome, Spec, Value};
use kaohe::testkit;
use rust_decimal::Decimal;

fn spec_2024() -> Spec {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/specs/liucheng-2024.kh"
    ))
    .expect("the 2024 spec is readable");
    Spec::check(&text).expect("the 2024 spec checks")
}

/// What must agree between paths: every score and the result.
fn scores(o: &Outcome) -> (Vec<Decimal>, Decimal, Decimal, Decimal, String) {
    (
        o.items.iter().map(|i| i.score).collect(),
        o.total,
        o.deductions,
        o.bonus,
        o.result.clone(),
    )
}

type Scores = Result<(Vec<Decimal>, Decimal, Decimal, Decimal, String), String>;

fn one_at_a_time(spec: &Spec, entities: &[Entity]) -> Vec<(String, Scores)> {
    entities
        .iter()
        .map(|e| {
            let o = spec.evaluate(e, Options::default());
            (
                e.id.clone(),
                o.map(|o| scores(&o)).map_err(|e| e.message.en),
            )
        })
        .collect()
}

/// The scores of a stream scored on all cores, as they were handed on.
fn parallel(
    spec: &Spec,
    entities: Vec<Entity>,
    options: Options,
    chunk: usize,
) -> Vec<(String, Scores)> {
    let mut out = Vec::new();
    let done = spec.evaluate_parallel(entities, options, chunk, |s| {
        let scores = s.outcome.map(|o| scores(&o)).map_err(|e| e.message.en);
        out.push((s.entity.id, scores));
        Ok::<(), ()>(())
    });
    assert_eq!(done, Ok(()));
    out
}

#[test]
fn streaming_parallel_and_json_paths_give_the_one_at_a_time_scores() {
    let spec = spec_2024();
    let entities: Vec<Entity> = testkit::entities(&spec, 6, 600).collect();
    let expected = one_at_a_time(&spec, &entities);
    let scored = expected.iter().filter(|(_, s)| s.is_ok()).count();
    assert!(
        scored > 500,
        "only {scored} of 600 generated entities score"
    );

    let off = Options { explain: false };
    let streamed: Vec<(String, Scores)> = spec
        .evaluate_all(entities.clone(), off)
        .map(|s| {
            (
                s.entity.id,
                s.outcome.map(|o| scores(&o)).map_err(|e| e.message.en),
            )
        })
        .collect();
    assert_eq!(streamed, expected, "one core, explanations off");

    for chunk in [1, 7, 1024] {
        let parallel = parallel(&spec, entities.clone(), off, chunk);
        assert_eq!(parallel, expected, "all cores, chunks of {chunk}");
    }

    let batch: Vec<(String, Scores)> = entities
        .iter()
        .zip(spec.evaluate_batch(&entities, off))
        .map(|(e, o)| {
            (
                e.id.clone(),
                o.map(|o| scores(&o)).map_err(|e| e.message.en),
            )
        })
        .collect();
    assert_eq!(batch, expected, "a batch on all cores");

    let json: Vec<serde_json::Value> = entities
        .iter()
        .map(|e| testkit::to_json(&spec, e))
        .collect();
    let text = serde_json::Value::Array(json).to_string();
    let (read, diags) = spec.read_json(&text, "generated.json");
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(read, entities, "the JSON round trip keeps every value");
    assert_eq!(one_at_a_time(&spec, &read), expected, "from JSON");
}

/// The explanation lines of every entity, as (item, amount, reason).
fn lines(spec: &Spec, entities: &[Entity]) -> Vec<Vec<(String, Decimal, String)>> {
    entities
        .iter()
        .map(|e| match spec.evaluate(e, Options::default()) {
            Ok(o) => spec
                .explain(e, &o)
                .into_iter()
                .map(|l| (l.item.to_string(), l.amount, l.reason))
                .collect(),
            Err(_) => Vec::new(),
        })
        .collect()
}

#[test]
fn csv_streamed_row_by_row_gives_the_in_memory_scores_and_lines() {
    let spec = spec_2024();
    let entities: Vec<Entity> = testkit::entities(&spec, 11, 300).collect();
    let expected = one_at_a_time(&spec, &entities);
    let dir = common::tempdir("api", "api-csv");
    let path = dir.join("units.csv");
    // Chunks of 64: the header is written once, the rows of every chunk after it.
    testkit::write_csv(&spec, entities.iter().cloned(), &path, 64).unwrap();

    // The streaming path: rows read one at a time, scored as they come.
    let stream = spec.open(&path).unwrap().filter_map(|r| match r {
        Ok(e) => Some(e),
        Err(d) => {
            assert!(!d.is_error(), "{d:#?}");
            None
        }
    });
    let mut read = Vec::new();
    let streamed: Vec<(String, Scores)> = spec
        .evaluate_all(stream, Options::default())
        .map(|s| {
            let scores = s.outcome.map(|o| scores(&o)).map_err(|e| e.message.en);
            read.push(s.entity.clone());
            (s.entity.id, scores)
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(streamed, expected, "CSV streamed, one core");
    assert_eq!(read, entities, "the CSV round trip keeps every value");
    assert_eq!(lines(&spec, &read), lines(&spec, &entities), "lines");

    let parallel = parallel(&spec, read, Options::default(), 50);
    assert_eq!(parallel, expected, "CSV entities, all cores");
}

#[test]
fn explanations_off_records_no_lines_and_the_same_scores() {
    let spec = spec_2024();
    for e in testkit::entities(&spec, 9, 50) {
        let (Ok(on), Ok(off)) = (
            spec.evaluate(&e, Options::default()),
            spec.evaluate(&e, Options { explain: false }),
        ) else {
            continue;
        };
        assert_eq!(scores(&on), scores(&off));
        assert!(off.items.iter().all(|i| i.lines.is_empty()));
        // The lines of a base item add up to its score minus its maximum.
        for i in &on.items {
            if let Some(max) = i.max
                && !i.lines.is_empty()
            {
                let sum: Decimal = i.lines.iter().map(|l| l.amount).sum();
                assert_eq!(i.score - max, sum);
            }
        }
    }
}

#[test]
fn scoring_into_a_kept_outcome_gives_what_scoring_afresh_gives() {
    let spec = spec_2024();
    let mut entities: Vec<Entity> = testkit::entities(&spec, 11, 40).collect();
    // Some that fail part way (an input missing), between ones that score.
    for e in entities.iter_mut().step_by(5) {
        for v in e.values.iter_mut().skip(3).step_by(17) {
            *v = Value::Missing;
        }
    }
    let mut kept = Outcome::default();
    let mut failed = 0;
    for (n, e) in entities.iter().enumerate() {
        // Explanations on and off in turn: lines left from before must go.
        let options = Options {
            explain: n % 3 != 1,
        };
        let afresh = spec.evaluate(e, options);
        let into = spec.evaluate_into(e, options, &mut kept);
        match afresh {
            Ok(o) => {
                assert_eq!(into, Ok(()));
                assert_eq!(kept, o, "entity {n}");
            }
            Err(err) => {
                assert_eq!(into, Err(err), "entity {n}");
                failed += 1;
            }
        }
    }
    assert!((1..entities.len()).contains(&failed), "{failed} failed");
}

#[test]
fn the_builder_gives_the_entity_the_json_reader_gives() {
    let spec = spec_2024();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/liucheng-2024");
    let text = std::fs::read_to_string(format!("{dir}/mixed.json")).unwrap();
    let (read, _) = spec.read_json(&text, "mixed.json");
    let from_json = &read[0];
    let mut b = spec.entity(from_json.id.clone());
    for (input, v) in spec.program().inputs.iter().zip(&from_json.values) {
        if *v != Value::Missing {
            b.set(spec.slot(&input.name).unwrap(), v.clone());
        }
    }
    let built = b.build().expect("the values are valid");
    assert_eq!(&built, from_json);
    let o = spec.evaluate(&built, Options::default()).unwrap();
    // 156.50 as the reports print it: two decimals, half away from zero.
    let printed = o
        .total
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    assert_eq!(format!("{printed:.2}"), "156.50");
    let lines = spec.explain(&built, &o);
    let sum: Decimal = lines.iter().map(|l| l.amount).sum();
    assert!(!lines.is_empty() && sum < Decimal::ZERO);
}

#[test]
fn the_builder_reports_missing_and_wrong_values() {
    let spec = spec_2024();
    let rate = spec.slot("clean_production_rate").unwrap();
    let count = spec.slot("leader_meetings").unwrap();
    let flag = spec.slot("report_to_congress").unwrap();
    let date = spec.slot("water_plan_date").unwrap();
    let mut b = spec.entity("柳城县");
    b.set(rate, Decimal::new(875, 1)) // 87.5 given as percent, not as 0.875
        .set(count, Decimal::new(15, 1))
        .set(flag, "是")
        .date(date, "2024-02-30");
    let diags = b.build().expect_err("bad values");
    let has = |code: Code, words: &str| {
        diags
            .iter()
            .any(|d| d.code == code && d.message.en.contains(words))
    };
    assert!(
        has(
            Code::DatumRate,
            "`clean_production_rate`: expected a rate as a fraction"
        ),
        "{diags:#?}"
    );
    assert!(has(Code::DatumNegative, "`leader_meetings`"), "{diags:#?}");
    assert!(
        has(
            Code::DatumType,
            "`report_to_congress`: expected true or false, found a text"
        ),
        "{diags:#?}"
    );
    assert!(has(Code::DatumDate, "`water_plan_date`"), "{diags:#?}");
    assert!(has(Code::MissingDatum, "`pm25`: missing"), "{diags:#?}");
    assert!(spec.slot("pm2.5").is_none());
}

/// The entities a data file streams, failing on any error.
fn streamed(spec: &Spec, path: &std::path::Path) -> Vec<Entity> {
    spec.open(path)
        .unwrap()
        .map(|r| match r {
            Ok(e) => e,
            Err(d) => panic!("{}: {d:#?}", path.display()),
        })
        .collect()
}

#[test]
fn json_arrays_and_json_lines_streamed_give_the_in_memory_entities_and_scores() {
    let spec = spec_2024();
    let entities: Vec<Entity> = testkit::entities(&spec, 13, 120).collect();
    let expected = one_at_a_time(&spec, &entities);
    let docs: Vec<serde_json::Value> = entities
        .iter()
        .map(|e| testkit::to_json(&spec, e))
        .collect();
    let dir = common::tempdir("api", "api-json");
    let pretty = serde_json::to_string_pretty(&docs).unwrap();
    let compact = serde_json::to_string(&docs).unwrap();
    let lines: String = docs.iter().map(|d| format!("{d}\n")).collect();
    let files = [
        ("pretty.json", pretty.clone()),
        ("compact.json", compact.clone()),
        // A byte-order mark, CRLF and blank space around the array.
        (
            "bom.json",
            format!("\u{feff}\r\n  {}\r\n\r\n", pretty.replace('\n', "\r\n")),
        ),
        ("units.jsonl", lines.clone()),
        // Blank lines, CRLF, a mark and no newline at the end.
        (
            "bom.jsonl",
            format!("\u{feff}\r\n{}", lines.replace('\n', "\r\n\r\n").trim_end()),
        ),
    ];
    // What reading the text whole gives (the in-memory path).
    let (whole, diags) = spec.read_json(&compact, "units.json");
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(whole, entities, "the JSON round trip keeps every value");
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let read = streamed(&spec, &path);
        assert_eq!(read, entities, "{name}");
        assert_eq!(one_at_a_time(&spec, &read), expected, "{name}");
    }
    // One entity, not in an array.
    let path = dir.join("one.json");
    std::fs::write(&path, format!("\u{feff}{}", docs[0])).unwrap();
    assert_eq!(streamed(&spec, &path), entities[..1]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn json_with_keys_given_twice_is_refused_naming_the_key() {
    let spec = spec_2024();
    let entity = testkit::entity(&spec, 5, 0);
    let doc = testkit::to_json(&spec, &entity);
    let text = doc.to_string();
    // The first key given again at the end of the entity.
    let (key, value) = doc.as_object().unwrap().iter().nth(1).unwrap();
    let twice = format!("[{},\n{}]", text, {
        let mut t = text.replacen(&entity.id, "乙县", 1);
        t.truncate(t.len() - 1);
        format!("{t}, \"{key}\": {value}}}")
    });
    let (read, diags) = spec.read_json(&twice, "twice.json");
    assert_eq!(read.len(), 1, "the entity without a key given twice scores");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, Code::DuplicateKey);
    assert!(
        diags[0].message.en.contains(&format!("`{key}`")),
        "{:?}",
        diags[0].message
    );
    assert!(
        diags[0].message.en.contains("乙县"),
        "{:?}",
        diags[0].message
    );
}

/// The keyword lists come from the grammar's keyword table: every keyword
/// in both spellings, each once, as many in one set as in the other.
#[test]
fn keywords_are_the_grammars_in_both_sets() {
    use kaohe::api::{KeywordSet, keywords};
    let en: Vec<&str> = keywords(KeywordSet::En).collect();
    let zh: Vec<&str> = keywords(KeywordSet::Zh).collect();
    for word in ["table", "deduct", "at most", "unless", "count", "rate"] {
        assert!(en.contains(&word), "{word} missing: {en:?}");
    }
    for word in ["考核表", "扣", "除非", "考核事项"] {
        assert!(zh.contains(&word), "{word} missing: {zh:?}");
    }
    assert_eq!(en.len(), zh.len(), "{en:?}\n{zh:?}");
    let unique: std::collections::HashSet<&&str> = en.iter().collect();
    assert_eq!(unique.len(), en.len());
}
