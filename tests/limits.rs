//! Hostile and careless input at the command line: every limit ends in a
//! coded diagnostic and the documented exit code, never a crash, a hang or
//! a score.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// A spec of one item reading `n: count`, `x: number`, `d: date` and
/// `xs: list`, with `clause` as its rule.
fn spec(clause: &str) -> String {
    format!(
        r#"table "表" {{
  year 2024
  language zh
  total 5
  pass "合格"
  fail "不合格"
}}
section 一 "节" {{
  indicator 1 "指标" {{
    item 1.1 "事项" score 5 {{
      input n: count "次数"
      input x: number "数值"
      input d: date "日期"
      input xs: list {{ v: count "值" }} "清单"
      {clause}
    }}
  }}
}}
"#
    )
}

const DATA: &str = r#"{"id": "县", "n": 1, "x": 2, "d": "2024-05-31", "xs": [{"v": 1}]}"#;

fn file(name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, bytes).expect("the test file is written");
    path
}

fn kaohe(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kaohe"))
        .args(args)
        .arg("--color=never")
        .output()
        .expect("kaohe runs")
}

/// Run `kaohe check` on the spec text and assert the code and exit code.
fn check_fails(name: &str, text: impl AsRef<[u8]>, code: &str) {
    let path = file(&format!("{name}.kh"), text);
    let o = kaohe(&["check", path.to_str().unwrap()]);
    assert_reported(name, &o, code, 1);
}

/// Run `kaohe eval` on the spec and data and assert the code and exit code.
fn eval_fails(name: &str, spec_text: &str, data: impl AsRef<[u8]>, code: &str) {
    let s = file(&format!("{name}.kh"), spec_text);
    let d = file(&format!("{name}.json"), data);
    let o = kaohe(&["eval", s.to_str().unwrap(), d.to_str().unwrap()]);
    assert_reported(name, &o, code, 1);
}

fn assert_reported(name: &str, o: &Output, code: &str, exit: i32) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("[{code}]")),
        "{name}: expected {code}, got:\n{}",
        err.chars().take(2000).collect::<String>()
    );
    assert!(!err.contains("panicked"), "{name}: {err}");
    assert_eq!(o.status.code(), Some(exit), "{name}");
}

fn eval_ok(name: &str, spec_text: &str, data: &str) -> String {
    let s = file(&format!("{name}.kh"), spec_text);
    let d = file(&format!("{name}.json"), data);
    let o = kaohe(&["eval", s.to_str().unwrap(), d.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{name}: {err}");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

// ---------------------------------------------------------------- nesting

#[test]
fn ten_thousand_nested_brackets_are_refused() {
    let e = format!("{}n{}", "(".repeat(10_000), ")".repeat(10_000));
    check_fails(
        "deep-brackets",
        spec(&format!("deduct 1 if {e} > 1")),
        "K0105",
    );
}

#[test]
fn ten_thousand_nested_parts_are_refused() {
    let parts = format!(
        "{}deduct 1 if n > 1{}",
        "part {\n".repeat(10_000),
        "\n}".repeat(10_000)
    );
    check_fails("deep-parts", spec(&parts), "K0105");
}

#[test]
fn ten_thousand_nested_ifs_are_refused() {
    // On one line, and one `if` per line: newlines do not reset the count.
    let chain = "if n > 1 then 1 else ".repeat(10_000) + "0";
    check_fails("deep-ifs", spec(&format!("deduct {chain}")), "K0106");
    let lines = "if n > 1 then 1 else\n".repeat(10_000) + "0";
    check_fails("deep-if-lines", spec(&format!("deduct {lines}")), "K0106");
}

#[test]
fn an_operator_chain_of_ten_thousand_terms_is_refused() {
    let sum = vec!["n"; 10_000].join(" + ");
    check_fails("long-sum", spec(&format!("deduct 1 if {sum} > 1")), "K0106");
    // Found by the parse fuzz target: 1,645 terms overflowed the checker's
    // stack under AddressSanitizer.
    let sum = vec!["n"; 1_645].join(" + ");
    check_fails(
        "fuzzed-sum",
        spec(&format!("deduct 1 if {sum} > 1")),
        "K0106",
    );
}

#[test]
fn chains_inside_brackets_inside_chains_are_refused() {
    // 60 brackets deep, 1,900 terms at each level: 114,000 levels of
    // expression, which overflowed the stack before brackets counted.
    let mut e = "n".to_string();
    for _ in 0..60 {
        e = format!("({e} + {})", vec!["n"; 1_900].join(" + "));
    }
    check_fails(
        "nested-chains",
        spec(&format!("deduct 1 if {e} > 1")),
        "K0106",
    );
}

// ---------------------------------------------------------------- size

#[test]
fn a_spec_over_four_mebibytes_is_refused() {
    let text = spec("deduct 1 if n > 1") + &"// 注释\n".repeat(500_000);
    check_fails("huge", text, "K0107");
}

#[test]
fn a_line_of_a_million_characters_checks() {
    let text = spec(&format!(
        "deduct 1 if n > 1 \"{}\"",
        "很长的说明".repeat(200_000)
    ));
    let path = file("long-line.kh", text);
    let o = kaohe(&["check", path.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

// ---------------------------------------------------------------- numbers

#[test]
fn a_number_beyond_exact_decimals_in_a_spec_is_k0102() {
    check_fails(
        "big-number",
        spec("deduct 1 if x > 792281625142643375935439503360"),
        "K0102",
    );
    check_fails(
        "precise-number",
        spec("deduct 1 if x > 0.12345678901234567890123456789"),
        "K0102",
    );
}

#[test]
fn a_number_beyond_exact_decimals_in_data_is_a_data_error() {
    let s = spec("deduct 1 if x > 1");
    eval_fails(
        "big-datum",
        &s,
        DATA.replace("\"x\": 2", "\"x\": 1e40"),
        "K0505",
    );
}

#[test]
fn an_overflow_while_scoring_is_k0601_at_its_clause() {
    let s = spec("deduct 1 if x * x * x > 1");
    eval_fails(
        "overflow",
        &s,
        DATA.replace("\"x\": 2", "\"x\": 10000000000000000000"),
        "K0601",
    );
}

#[test]
fn a_division_by_zero_is_caught_by_the_checker_or_names_item_and_input() {
    check_fails("div-literal-zero", spec("deduct 1 if x / 0 > 1"), "K0310");
    let s = file("div-zero.kh", spec("deduct 1 if n / x > 1"));
    let d = file("div-zero.json", DATA.replace("\"x\": 2", "\"x\": 0"));
    let o = kaohe(&["eval", s.to_str().unwrap(), d.to_str().unwrap()]);
    assert_reported("div-zero", &o, "K0602", 1);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("item 1.1") && err.contains("x = 0"), "{err}");
}

// ---------------------------------------------------------------- lists and dates

#[test]
fn an_empty_list_scores_without_error() {
    let s = spec(
        "deduct each r in xs, once per r.v at highest: r.v, at most 5\n      deduct 1 if sum(r in xs: r.v) > 1 or count(r in xs) > 3",
    );
    let out = eval_ok("empty-list", &s, &DATA.replace("[{\"v\": 1}]", "[]"));
    assert!(out.contains("5.00"), "{out}");
}

#[test]
fn dates_out_of_range_are_refused() {
    check_fails("spec-date", spec("deduct 1 if d > 0000-01-01"), "K0103");
    let s = spec("deduct 1 if d > 2024-01-01");
    eval_fails(
        "data-date",
        &s,
        DATA.replace("2024-05-31", "99999-05-31"),
        "K0508",
    );
    eval_fails(
        "moved-date",
        &spec("deduct 1 if d + 9000000 days > 2024-01-01"),
        DATA,
        "K0601",
    );
}

// ---------------------------------------------------------------- encodings

#[test]
fn non_utf8_specs_and_data_are_k0902() {
    check_fails("latin1", b"table \"\xe9t\xe9\" {}", "K0902");
    eval_fails(
        "latin1-data",
        &spec("deduct 1 if n > 1"),
        b"{\"id\": \"\xff\"}",
        "K0902",
    );
}

#[test]
fn deeply_nested_json_is_k0501() {
    let json = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    eval_fails("deep-json", &spec("deduct 1 if n > 1"), json, "K0501");
}
