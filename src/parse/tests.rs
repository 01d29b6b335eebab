//! Parser tests: trees compared with spans blanked, so that a test says
//! what was parsed, not where.

use super::parse;

/// The debug form of the tree of `text`, spans blanked.
fn tree(text: &str) -> String {
    let (spec, diags) = parse(text);
    assert!(diags.is_empty(), "{diags:#?}");
    blank_spans(&format!("{:#?}", spec.expect("parsed")))
}

/// The debug form of the body of the one item in `text`, spans blanked.
fn body(text: &str) -> String {
    let (spec, diags) = parse(text);
    assert!(diags.is_empty(), "{diags:#?}");
    let spec = spec.expect("parsed");
    blank_spans(&format!(
        "{:#?}",
        spec.sections[0].headings[0].items[0].body
    ))
}

fn blank_spans(shown: &str) -> String {
    let mut out = String::new();
    let mut rest = shown;
    while let Some(i) = rest.find("Span {") {
        out.push_str(&rest[..i]);
        out.push('_');
        let after = &rest[i..];
        let close = after.find('}').map_or(after.len(), |c| c + 1);
        rest = &after[close..];
    }
    out.push_str(rest);
    out
}

fn item(body: &str) -> String {
    format!("section 1 \"s\" {{ indicator 1 \"i\" {{ item 1.1 \"x\" score 3 {{ {body} }} }} }}")
}

#[test]
fn arithmetic_binds_tighter_than_comparison_and_comparison_than_and() {
    let t = tree(&item("deduct 1 if a + b * 2 > c and not d"));
    let and = t.find("And").unwrap();
    let gt = t.find("Gt").unwrap();
    let add = t.find("Add").unwrap();
    let mul = t.find("Mul").unwrap();
    assert!(and < gt && gt < add && add < mul, "{t}");
}

#[test]
fn a_per_clause_keeps_its_rounding_step_gap_and_cap() {
    insta::assert_snapshot!(body(&item(
        "deduct 0.5 per continuous 1μg/m³ of pm25 above target, at most 3 \"超标\""
    )));
}

#[test]
fn an_each_clause_keeps_its_filter_key_and_group_cap() {
    insta::assert_snapshot!(body(&item(
        "add each r in readings where r.index <= r.last * 90%, once per r.month at highest: 0.25, at most 0.5 per quarter(r.month)"
    )));
}

#[test]
fn bands_keep_their_bounds_in_order() {
    insta::assert_snapshot!(body(&item(
        "deduct bands q { < 90% => 4  >= 90% and < 100% => linear 4 to 0  >= 100% => 0 }"
    )));
}

#[test]
fn keywords_are_not_names_but_names_may_start_with_them() {
    let t = tree(&item(
        "input item_count: count \"x\" deduct 1 per item_count",
    ));
    assert!(t.contains("\"item_count\""), "{t}");
    let (_, diags) = parse(&item("input item: count \"x\""));
    assert_eq!(diags.len(), 1);
}

#[test]
fn every_broken_item_is_reported() {
    let text = "section 1 \"s\" {\n indicator 1 \"i\" {\n  item 1.1 \"a\" score 1 {\n    deduct 1 if\n  }\n  item 1.2 \"b\" score 1 {\n    deduct 1 unless ok\n  }\n  item 1.3 \"c\" score 1 {\n    deduct per x\n  }\n }\n}\n";
    let (spec, diags) = parse(text);
    assert!(spec.is_none());
    let lines: Vec<usize> = diags
        .iter()
        .filter_map(|d| d.primary_span())
        .map(|s| text[..s.start].matches('\n').count() + 1)
        .collect();
    assert_eq!(lines, [5, 10], "{diags:#?}");
}

/// The body of a one-item spec in Chinese, with a table header of `year`.
fn zh_body(year: Option<u32>, clause: &str) -> String {
    let header = year.map_or(String::new(), |y| format!("考核表 \"t\" {{ 年度 {y} }}\n"));
    body(&format!(
        "{header}一级指标 1 \"s\" {{ 二级指标 1 \"i\" {{ 考核事项 1.1 \"x\" 分值 3 {{ {clause} }} }} }}"
    ))
}

#[test]
fn dates_as_officers_write_them_are_the_same_day() {
    let iso = zh_body(Some(2024), "扣 1 若 d > 2024-05-31");
    for written in [
        "2024年5月31日",
        "2024年05月31日",
        "2024/5/31",
        "5月31日",
        "２０２４－０５－３１",
        "２０２４年５月３１日",
    ] {
        assert_eq!(
            zh_body(Some(2024), &format!("扣 1 若 d > {written}")),
            iso,
            "{written}"
        );
    }
    // 5月31日 takes the table's year.
    assert_ne!(zh_body(Some(2025), "扣 1 若 d > 5月31日"), iso);
    // `2024 / 5` with spaces stays a division.
    assert!(zh_body(Some(2024), "扣 1 若 d > 2024 / 5 / 31").contains("Div"));
}

#[test]
fn a_date_without_a_year_needs_the_tables_and_a_wrong_day_is_named() {
    let text = "一级指标 1 \"s\" { 二级指标 1 \"i\" { 考核事项 1.1 \"x\" 分值 3 { 扣 1 若 d > 5月31日 } } }";
    let (_, diags) = parse(text);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, crate::diagnostic::Code::DateWithoutYear);
    let text = "考核表 \"t\" { 年度 2024 }\n一级指标 1 \"s\" { 二级指标 1 \"i\" { 考核事项 1.1 \"x\" 分值 3 { 扣 1 若 d > 2月30日 } } }";
    let (_, diags) = parse(text);
    assert_eq!(diags[0].code, crate::diagnostic::Code::BadDate);
}

#[test]
fn a_points_amount_may_be_written_with_fen() {
    assert_eq!(
        zh_body(None, "扣0.5分 每 m 低于 2, 最高 1分\n扣 1分 除非 ok"),
        zh_body(None, "扣0.5 每 m 低于 2, 最高 1\n扣 1 除非 ok")
    );
}

#[test]
fn a_thousands_separator_is_refused_where_it_could_be_misread() {
    use crate::diagnostic::Code;
    let codes = |clause: &str| -> Vec<Code> {
        let text = format!(
            "一级指标 1 \"s\" {{ 二级指标 1 \"i\" {{ 考核事项 1.1 \"x\" 分值 3 {{ {clause} }} }} }}"
        );
        parse(&text).1.into_iter().map(|d| d.code).collect()
    };
    assert_eq!(codes("扣 1 若 a < 2,000"), [Code::ThousandsSeparator]);
    assert_eq!(codes("扣 1 若 a < max(1,000)"), [Code::ThousandsSeparator]);
    assert_eq!(codes("扣 1 若 a < max(1，000)"), [Code::ThousandsSeparator]);
    // Two arguments as written in every spec: with a space, or not a number.
    assert!(codes("扣 1 若 a < max(1, 000)").is_empty());
    assert!(codes("扣 1 若 a < max(x1,100)").is_empty());
    assert!(codes("扣 1 若 a < max(1,10)").is_empty());
}

#[test]
fn points_in_the_header_and_an_items_score_may_be_written_with_fen() {
    let spec = |fen: &str| {
        let text = format!(
            "考核表 \"t\" {{ 年度 2024 总分 5{fen} 加分项 最高 1{fen} }}\n一级指标 1 \"s\" {{ 二级指标 1 \"i\" {{\n考核事项 1.1 \"x\" 分值 3{fen} {{ 扣 1 除非 ok }}\n考核事项 1.2 \"y\" 分值 2{fen} 起评 0{fen} {{ 加 1 若 ok }}\n}} }}"
        );
        let (spec, diags) = parse(&text);
        assert!(diags.is_empty(), "{fen}: {diags:#?}");
        blank_spans(&format!("{:#?}", spec.expect("parsed")))
    };
    assert_eq!(spec("分"), spec(""));
    assert_eq!(spec(" 分"), spec(""));
    // 分值 and 分项 are keywords, not 分 and a word.
    let (_, diags) =
        parse("一级指标 1 \"s\" { 二级指标 1 \"i\" { 考核事项 1.1 \"x\" 分值 3分值 { } } }");
    assert!(!diags.is_empty());
}
