//! Formatter tests on small specs; tests/fmt.rs runs every spec of the repo.

use super::format;
use crate::parse::keywords::KeywordSet;

fn fmt(text: &str) -> String {
    format(text, None).unwrap_or_else(|d| panic!("{d:#?}"))
}

const MESSY: &str = r#"// 头注释
table "t" {year 2024
   total 3 }


section 1 "s" { indicator 1 "i" {
item 1.1 "x" score 3 {   // 行尾注释
  input n: count 次 "次数"
      input level: enum {"国家级","省部级",} optional
  // 本行注释
  deduct 0.5 per n below 2 , at  most 1
  add match level { "国家级" => 2 "省部级" => 1, else => 0 } if n>=1
}}}
"#;

const CANONICAL: &str = r#"// 头注释
table "t" {
  year 2024
  total 3
}

section 1 "s" {
  indicator 1 "i" {
    item 1.1 "x" score 3 {  // 行尾注释
      input n: count 次 "次数"
      input level: enum { "国家级", "省部级" } optional
      // 本行注释
      deduct 0.5 per n below 2, at most 1
      add match level {
        "国家级" => 2
        "省部级" => 1
        else     => 0
      } if n >= 1
    }
  }
}
"#;

#[test]
fn lays_out_one_entry_per_line_and_keeps_comments() {
    assert_eq!(fmt(MESSY), CANONICAL);
    assert_eq!(fmt(CANONICAL), CANONICAL);
}

#[test]
fn converts_keywords_both_ways() {
    let zh = format(CANONICAL, Some(KeywordSet::Zh)).expect("formats");
    assert!(
        zh.contains("考核事项 1.1 \"x\" 分值 3 {  // 行尾注释"),
        "{zh}"
    );
    assert!(
        zh.contains("数据 level: 枚举 { \"国家级\", \"省部级\" } 可缺"),
        "{zh}"
    );
    assert!(zh.contains("扣 0.5 每 n 低于 2, 最高 1"), "{zh}");
    assert!(zh.contains("} 若 n >= 1"), "{zh}");
    assert!(zh.contains("否则     => 0\n"), "{zh}");
    assert_eq!(format(&zh, None).expect("formats"), zh);
    assert_eq!(
        format(&zh, Some(KeywordSet::En)).expect("formats"),
        CANONICAL
    );
}

#[test]
fn chinese_keywords_need_no_space_before_a_digit_or_latin_name() {
    let tight = CANONICAL.replace(
        "deduct 0.5 per n below 2, at most 1",
        "扣0.5 每n 低于2, 最高1",
    );
    let tight = format(&tight.replace("add match", "加 按"), Some(KeywordSet::Zh));
    // English keywords remain in the rest of the file, so this one is mixed.
    assert!(tight.is_err());
    let zh = format(CANONICAL, Some(KeywordSet::Zh)).expect("formats");
    let tight = zh.replace("扣 0.5 每 n 低于 2, 最高 1", "扣0.5 每n 低于2, 最高1");
    assert_eq!(format(&tight, None).expect("formats"), zh);
}

#[test]
fn a_chinese_word_that_begins_with_a_keyword_is_a_name() {
    // `加班次数` begins with 加 (add) and `否决项目` with 否决 (veto): both are names.
    let zh = format(CANONICAL, Some(KeywordSet::Zh))
        .expect("formats")
        .replace(" n", " 加班次数")
        .replace("level", "否决项目");
    let (spec, diags) = crate::parse::parse(&zh);
    assert!(diags.is_empty(), "{diags:#?}");
    let spec = spec.expect("parsed");
    let names: Vec<_> = spec.sections[0].headings[0].items[0]
        .inputs
        .iter()
        .map(|i| i.name.text.clone())
        .collect();
    assert_eq!(names, ["加班次数", "否决项目"]);
}

#[test]
fn a_mixed_file_is_not_formatted() {
    let mixed = CANONICAL.replace("deduct 0.5", "扣 0.5");
    let diags = format(&mixed, None).expect_err("mixed");
    assert_eq!(diags[0].code.as_str(), "K0110");
    assert!(
        diags[0].message.en.contains("`扣` is a Chinese keyword"),
        "{}",
        diags[0].message.en
    );
}
