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
        spec.sections[0].indicators[0].items[0].body
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
