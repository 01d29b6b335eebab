//! Report: the outcomes of scoring → text, JSON, CSV, XLSX and HTML for
//! people and tools. (Documents made from a spec alone are in `render` and
//! `template`; the comparison of two specs is `diff`.)
//!
//! - `derived`: the named results derived from the total, with their lines
//! - `explain`: the words of an explanation line and its facts
//! - `table`: the readable report (`--format table`)
//! - `json`: the JSON report (`--format json`)
//! - `levels`: the subtotals of the headings that declare their points
//! - `number`: scores printed with two decimals, without `format!`
//! - `csv`: one row per entity × item (`--format csv`)
//! - `html`, `xlsx`: reports people open (`--format html|xlsx`)
//! - `rollup`: points at stake and lost per responsible unit, and ranks
//! - `ranking`: the ranking at the end of a ranked table or JSON report
//! - `standing`: every total sorted, for a unit's rank and place by its
//!   total (what `--rank` and the HTML report keep between their passes)
//! - `stream`: the table, JSON, JSON-lines and CSV reports written one
//!   entity at a time, with what comes before and after

pub mod chart;
pub mod csv;
pub mod derived;
pub mod explain;
pub mod html;
pub mod json;
pub mod levels;
pub mod number;
pub mod ranking;
pub mod rollup;
pub mod standing;
pub mod stream;
pub mod table;
pub mod xlsx;

use crate::eval::ItemOutcome;
use crate::ir::{Item, ItemKind, Lang};
use rust_decimal::Decimal;

/// An item's title as reports list it: marked when an assessor gives its
/// score (or a part's), so that a reader sees the score was judged, not
/// computed: "特色创建〔评审给分〕".
pub fn shown_title(item: &crate::ir::Item, lang: crate::ir::Lang) -> std::borrow::Cow<'_, str> {
    if !item.judged() {
        return std::borrow::Cow::Borrowed(&item.title);
    }
    match lang {
        crate::ir::Lang::Zh => format!("{}〔评审给分〕", item.title).into(),
        crate::ir::Lang::En => format!("{} [assessor's score]", item.title).into(),
    }
}

/// What a veto item shows where other items show a score: 否决（已触发）
/// when its veto fired, 未触发 when it did not. A veto item has no points,
/// so it never reads as "full marks" or as a score of 0 (docs/language.md,
/// 一票否决). `None` for items of every other kind.
pub fn veto_state(item: &Item, io: &ItemOutcome, lang: Lang) -> Option<&'static str> {
    (item.kind == ItemKind::Veto).then(|| veto_text(io.vetoed, lang))
}

/// A veto item's state in words: 否决（已触发） or 未触发.
pub fn veto_text(vetoed: bool, lang: Lang) -> &'static str {
    match (vetoed, lang) {
        (true, Lang::Zh) => "否决（已触发）",
        (false, Lang::Zh) => "未触发",
        (true, Lang::En) => "vetoed (triggered)",
        (false, Lang::En) => "not triggered",
    }
}

/// An item's extra award beyond its points, as reports print it beside
/// the score: "超额加分 +1.50（计入加分上限）"; `None` when it earned none.
pub fn extra_note(io: &ItemOutcome, lang: Lang) -> Option<String> {
    if io.extra.is_zero() {
        return None;
    }
    let within = io.extra - io.extra_outside;
    let zh = lang == Lang::Zh;
    let mut rules = Vec::new();
    let both = !within.is_zero() && !io.extra_outside.is_zero();
    for (amount, zh_word, en_word) in [
        (within, "计入加分上限", "counts toward the bonus ceiling"),
        (
            io.extra_outside,
            "不计入加分上限",
            "outside the bonus ceiling",
        ),
    ] {
        if amount.is_zero() {
            continue;
        }
        let word = if zh { zh_word } else { en_word };
        rules.push(if both {
            format!("{word} {}", fmt2(amount))
        } else {
            word.to_string()
        });
    }
    Some(if zh {
        format!("超额加分 +{}（{}）", fmt2(io.extra), rules.join("，"))
    } else {
        format!("extra award +{} ({})", fmt2(io.extra), rules.join("; "))
    })
}

/// The rounding line of an item (`table::rounding`) as every report
/// prints it, amount first: "+0.01 四舍五入：…"; `None` when the printed
/// lines already add up to the printed score.
pub fn rounding_line(io: &ItemOutcome, lang: Lang) -> Option<String> {
    let r = table::rounding(io)?;
    let sign = if r > Decimal::ZERO { "+" } else { "" };
    Some(format!("{sign}{} {}", fmt2(r), rounding_words(lang)))
}

/// What the rounding line says.
pub fn rounding_words(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "四舍五入：各行按两位小数显示，得分按精确值计算",
        Lang::En => "rounding: each line is shown to 2 decimals, the score is computed exactly",
    }
}

/// A score as printed: two decimals, half away from zero, never "-0.00".
/// (`number::Two`, without `format!`.)
pub fn fmt2(d: Decimal) -> String {
    number::Two::new(d).as_str().to_string()
}

#[cfg(test)]
mod tests {
    use super::fmt2;
    use rust_decimal::Decimal;

    #[test]
    fn rounds_half_up_at_output_only() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(fmt2(d("2.125")), "2.13");
        assert_eq!(fmt2(d("-0.125")), "-0.13");
        assert_eq!(fmt2(d("-0.001")), "0.00");
        assert_eq!(fmt2(d("200")), "200.00");
    }
}
