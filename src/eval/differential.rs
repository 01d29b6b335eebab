//! The fast paths held to the general way.

use super::fault::EvalError;
use super::outcome::{Line, LineKind, Outcome};
use super::score::{Paths, evaluate_by};
use crate::data::Entity;
use crate::eval::evaluate_with;
use crate::ir::{Block, Node, Program, Shape, Value};
use crate::synth::random;
use rust_decimal::Decimal;

/// `program` with every clause scored the general way.
fn unshaped(program: &Program) -> Program {
    fn block(b: &mut Block) {
        for node in &mut b.nodes {
            match node {
                Node::Clause(c) => c.shape = Shape::General,
                Node::Block(inner) => block(inner),
            }
        }
    }
    let mut general = program.clone();
    general.items.iter_mut().for_each(|i| block(&mut i.body));
    general
}

/// An outcome in words, every number as written (its scale too), each
/// line by its kind and the clause or guard it points at.
fn seen(o: &std::result::Result<Outcome, EvalError>) -> String {
    let Ok(o) = o else {
        return format!("{o:?}");
    };
    let line = |l: &Line| {
        let at = match &l.kind {
            LineKind::Clause(c) | LineKind::ClauseCap(c, _) => format!("{:?}", c.span),
            LineKind::Exempt(g) | LineKind::Veto(g) | LineKind::Waived(g) => g.reason.clone(),
            LineKind::Extra(e) => format!("{:?}", e.clause.span),
            other => format!("{other:?}"),
        };
        format!("{} {}", l.amount, at)
    };
    let items = o.items.iter().map(|i| {
        let lines: Vec<String> = i.lines.iter().map(line).collect();
        format!(
            "{} {:?} {} {} {} {} {} {lines:?}",
            i.score, i.max, i.deduction, i.bonus, i.extra, i.extra_outside, i.vetoed
        )
    });
    let totals = (
        o.base,
        o.deductions,
        o.bonus_raw,
        o.bonus,
        o.extra_outside,
        o.total,
    );
    format!(
        "{} {totals:?} {} {} {:?}",
        o.id,
        o.vetoed,
        o.result,
        items.collect::<Vec<_>>()
    )
}

#[test]
fn clauses_of_a_common_shape_score_as_the_general_way_scores_them() {
    let program = crate::compile(include_str!("../../specs/liucheng-2024.kh"))
        .program
        .expect("the 2024 spec checks");
    let shaped = |p: &Program| {
        let mut n = 0;
        for item in &p.items {
            n += count_shaped(&item.body);
        }
        n
    };
    assert!(
        shaped(&program) > 100,
        "most clauses of the table have a shape"
    );
    let general = unshaped(&program);
    assert_eq!(shaped(&general), 0);
    let entities: Vec<Entity> = crate::synth::entities(&program, 7, 200).collect();
    // Each entity as generated, and with one input missing or of the
    // wrong kind in turn, so that every shape also falls back.
    let odd = [Value::Missing, Value::Bool(true), Value::Num(Decimal::ONE)];
    for (n, e) in entities.iter().enumerate() {
        let mut variants = vec![e.clone()];
        for slot in (n % 7..e.values.len()).step_by(7) {
            let mut v = e.clone();
            if let Some(value) = v.values.get_mut(slot) {
                *value = odd[(n + slot) % odd.len()].clone();
            }
            variants.push(v);
        }
        for v in &variants {
            for explain in [false, true] {
                let ours = seen(&evaluate_with(&program, v, explain));
                let theirs = seen(&evaluate_with(&general, v, explain));
                assert_eq!(ours, theirs);
            }
        }
    }
}

fn count_shaped(b: &Block) -> usize {
    (b.nodes.iter())
        .map(|node| match node {
            Node::Clause(c) => usize::from(c.shape != Shape::General),
            Node::Block(inner) => count_shaped(inner),
        })
        .sum()
}

/// The outcome of `entity` by the fast paths and by the general way only.
fn both(program: &Program, entity: &Entity, explain: bool) -> (String, String) {
    let by = |paths| {
        let mut o = Outcome::default();
        let r = evaluate_by(program, entity, explain, paths, &mut o);
        seen(&r.map(|()| o))
    };
    (by(Paths::Fast), by(Paths::GeneralOnly))
}

proptest::proptest! {
    #![proptest_config(crate::synth::random::config(256))]

    /// Every fast path scores as the general way does, on random specs
    /// (each checked from its text) and random entities: every item's
    /// score, maximum, deduction, bonus and lines, every total, the
    /// result, or the same error.
    #[test]
    fn every_fast_path_scores_as_the_general_way((text, data) in random::case()) {
        let compiled = crate::compile(&text);
        let errors: Vec<_> = compiled.diagnostics.iter().filter(|d| d.is_error()).collect();
        proptest::prop_assert!(errors.is_empty(), "{errors:#?}\n{text}");
        let program = compiled.program.expect("a spec without errors has a program");
        for (i, d) in data.iter().enumerate() {
            let entity = random::entity(&program, i, d);
            for explain in [false, true] {
                let (fast, general) = both(&program, &entity, explain);
                proptest::prop_assert_eq!(fast, general, "{}\n{:?}", text, entity);
            }
        }
    }
}

/// The generated specs check, take every shape and many general forms, and
/// most generated entities score (the rest fault, the same way by both).
#[test]
fn the_generated_cases_reach_every_fast_path() {
    use proptest::strategy::{Strategy, ValueTree};
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut shapes, mut scored, mut faults) = ([0usize; 4], 0, 0);
    for _ in 0..300 {
        let (text, data) = random::case().new_tree(&mut runner).unwrap().current();
        let program = crate::compile(&text).program.expect(&text);
        for item in &program.items {
            count_shapes(&item.body, &mut shapes);
        }
        for (i, d) in data.iter().enumerate() {
            match evaluate_with(&program, &random::entity(&program, i, d), false) {
                Ok(_) => scored += 1,
                Err(_) => faults += 1,
            }
        }
    }
    eprintln!(
        "shapes (if, compare, per unit, general) {shapes:?}; scored {scored}, faults {faults}"
    );
    assert!(shapes.iter().all(|&n| n > 100), "{shapes:?}");
    assert!(
        scored > 2 * faults && faults > 0,
        "{scored} scored, {faults} faults"
    );
}

fn count_shapes(b: &Block, counts: &mut [usize; 4]) {
    for node in &b.nodes {
        match node {
            Node::Clause(c) => {
                let i = match c.shape {
                    Shape::FixedIf { .. } => 0,
                    Shape::FixedCompare { .. } => 1,
                    Shape::PerUnit { .. } => 2,
                    Shape::General => 3,
                };
                counts[i] += 1;
            }
            Node::Block(inner) => count_shapes(inner, counts),
        }
    }
}

/// The records of every `each`, `count` and `sum` of the 2024 table score
/// by the fast paths as by the general way: each entity as generated, and
/// with a field of one record, then of every record, missing, of another
/// kind, or large enough to overflow, so that every fast reading of a
/// record also falls back (the same faults, named in the same record).
#[test]
fn list_records_score_by_the_fast_paths_as_by_the_general_way() {
    let program = crate::compile(include_str!("../../specs/liucheng-2024.kh"))
        .program
        .expect("the 2024 spec checks");
    let big = Decimal::MAX;
    let odd = [
        Value::Missing,
        Value::Bool(true),
        Value::Bool(false),
        Value::Num(Decimal::ONE),
        Value::Num(big),
        Value::Num(Decimal::ZERO),
        Value::Enum(99),
        Value::Text("集体".into()),
    ];
    let entities: Vec<Entity> = crate::synth::entities(&program, 11, 120).collect();
    let (mut lists, mut faults) = (0, 0);
    for (n, e) in entities.iter().enumerate() {
        let mut variants = vec![e.clone()];
        for (slot, value) in e.values.iter().enumerate() {
            let Value::List(records) = value else {
                continue;
            };
            lists += usize::from(!records.is_empty());
            // A field of one record, then of every record, made odd.
            for (k, odd_value) in odd.iter().enumerate() {
                let width = records.first().map_or(0, |r| r.len());
                if width == 0 {
                    continue;
                }
                let field = (n + k) % width;
                for every in [false, true] {
                    let mut v = e.clone();
                    let mut rs: Vec<_> = records.to_vec();
                    let at = (n * 7 + k) % rs.len();
                    for (i, r) in rs.iter_mut().enumerate() {
                        if (every || i == at)
                            && let Some(f) = r.get_mut(field)
                        {
                            *f = odd_value.clone();
                        }
                    }
                    if let Some(list) = v.values.get_mut(slot) {
                        *list = Value::List(rs.into());
                    }
                    variants.push(v);
                }
            }
        }
        for v in &variants {
            for explain in [false, true] {
                let (fast, general) = both(&program, v, explain);
                faults += usize::from(fast.starts_with("Err"));
                assert_eq!(fast, general);
            }
        }
    }
    assert!(
        lists > 100 && faults > 100,
        "{lists} lists, {faults} faults"
    );
}

/// The values of an `each` summed as one integer (`records::FixedSum`)
/// give what adding them one by one gives, scale and sign of zero
/// included, and a list with a value below zero or a sum past what a
/// decimal holds exactly falls back to the general way: the same score,
/// lines, or the same fault.
#[test]
fn sums_of_list_values_score_by_the_fast_paths_as_by_the_general_way() {
    let text = r#"
table "demo" {
  language en
  total 30
  pass "pass"
  fail "fail"
}
input xs: list { v: number "value", ok: bool "ok" } "records"
section A "A" {
  indicator 1 "One" {
    item 1.1 "Values" score 10 {
      deduct each e in xs where e.ok: e.v "each value"
    }
    item 1.2 "Picked" score 10 {
      deduct each e in xs: if e.ok then 0.25 else 0.5, at most 9 "each record"
    }
    item 1.3 "Counted" score 10 {
      deduct 1 if count(e in xs where e.ok) > 2 "more than two"
    }
  }
}
"#;
    let program = crate::compile(text).program.expect("the spec checks");
    let d = |s: &str| Value::Num(s.parse::<Decimal>().unwrap());
    let values = [
        "0",
        "0.00",
        "-0",
        "1",
        "1.5",
        "0.25",
        "2.000",
        "-1",
        "0.0000001",
        "79228162514264337593543950335",
        "7.9228162514264337593543950335",
    ];
    let mut rng = crate::synth::Rng::new(7);
    let mut cases = 0;
    for n in 0..600 {
        let len = n % 7;
        let records: Vec<crate::ir::Record> = (0..len)
            .map(|_| {
                let v = d(values[rng.below(values.len() as u64) as usize]);
                let ok = Value::Bool(rng.below(4) != 0);
                vec![v, ok].into_boxed_slice()
            })
            .collect();
        let entity = Entity {
            id: format!("u{n}"),
            values: vec![Value::List(records.into())],
        };
        for explain in [false, true] {
            let (fast, general) = both(&program, &entity, explain);
            assert_eq!(fast, general, "{:?}", entity.values);
            cases += 1;
        }
    }
    assert_eq!(cases, 1200);
}

/// A block's sum that comes back to zero at a scale (1.50 − 1.5 = 0.00)
/// and then meets a clause of a common shape that moves nothing becomes
/// the `0` that adding 0 makes (the clause's test inlined in its block
/// gives what the general way's addition gives), and the item's score is
/// written at that scale.
#[test]
fn a_zero_sum_then_a_clause_that_moves_nothing_scores_as_the_general_way() {
    let text = r#"
table "demo" {
  language en
  total 2
  pass "pass"
  fail "fail"
}
section A "A" {
  indicator 1 "One" {
    item 1.1 "Plan" score 2 from 0 {
      input a: bool "a"
      input b: bool "b"
      input c: bool "c"
      add 1.50 if a "a"
      deduct 1.5 if b "b"
      add 1 if c "c"
    }
  }
}
"#;
    let program = crate::compile(text).program.expect("the spec checks");
    let entity = Entity {
        id: "u".into(),
        values: vec![Value::Bool(true), Value::Bool(true), Value::Bool(false)],
    };
    for explain in [false, true] {
        let (fast, general) = both(&program, &entity, explain);
        assert_eq!(fast, general);
    }
    let outcome = evaluate_with(&program, &entity, false).expect("it scores");
    let score = outcome.items.first().map(|i| i.score.to_string());
    assert_eq!(score.as_deref(), Some("0"));
}
