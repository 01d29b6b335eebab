//! What a sentence the phrases cannot read looks like: the shape of rule
//! it resembles and how that shape is written, for the placeholder's
//! warning (K0490). A hint names a construct; it writes nothing.

use crate::diagnostic::Text;
use crate::t;
use regex::Regex;
use std::sync::LazyLock;

use super::re;

/// The shape `sentence` resembles, with an example in both keyword sets.
pub(crate) fn hint(sentence: &str) -> Option<Text> {
    let has = |words: &[&str]| words.iter().any(|w| sentence.contains(w));
    static STEP: LazyLock<Regex> =
        LazyLock::new(|| re(r"每(?:高于|低于|少|降低|下降|超过|增加)[^，,；;。]*?\d"));
    static PER: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?:每|一)(?:发现|有|出现|发生)?\s*(?:一|1)?\s*(?:起|次|处|件|个|项|家|宗|天|例|座|人|条)",
        )
    });
    static BELOW: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?:低于|未达到|未达|不足|达不到)\s*\d+(?:\.\d+)?\s*[%％]"));
    let bonus = sentence.contains('加') && !sentence.contains('扣');
    if let Some(cap) = lone_cap(sentence) {
        return Some(cap);
    }
    if has(&["取最高分", "从高", "不重复"]) {
        return Some(t!(
            "it looks like amounts of which only the highest counts once: write a list input and `each x in LIST, once per x.matter at highest: match x.level {{ … }}` (docs/language.md)",
            "这句像“同一事项只取最高分一次”：请声明一个列表数据，写作 `逐个 x 属于 列表, 仅一次 每 x.matter 取 最高者: 按 x.level {{ … }}`（见 docs/language.md）"
        ));
    }
    if has(&["排名"]) {
        return Some(t!(
            "it looks like points by rank: declare the rank (and the number ranked) as counts and compare them, as in `deduct 1 if rank > ranked - 10`",
            "这句像按排名计分：请把名次（和参加排名的数目）声明为计数数据并比较，如 `扣 1 若 rank > ranked - 10`"
        ));
    }
    if has(&["按比例扣分", "之间按比例"]) {
        return Some(t!(
            "it looks like a band with a linear stretch: write `deduct bands rate {{ < 90% => 4  >= 90% and < 100% => linear 4 to 0  >= 100% => 0 }}`",
            "这句像分档并在区间内按直线计分：请写作 `扣 分档 rate {{ < 90% => 4  >= 90% 且 < 100% => 线性 4 至 0  >= 100% => 0 }}`"
        ));
    }
    if STEP.is_match(sentence) {
        return Some(t!(
            "it looks like a deduction per step of a gap to a target: write `deduct 0.5 per continuous 1μg/m³ of value above target, at most 3` (`whole` for whole steps only)",
            "这句像按与目标的差距逐档扣分：请写作 `扣 0.5 每 连续 1μg/m³ 计 value 高于 target, 最高 3`（只按整档计的用 `按整`）"
        ));
    }
    if has(&["同比", "较上年", "较上一年", "去年同期"]) {
        return Some(t!(
            "it looks like a comparison with last year: declare this year's and last year's values and compare them, as in `deduct 1 if stored > stored_last_year`",
            "这句像与上年比较：请分别声明本年度和上年度的数值并比较，如 `扣 1 若 stored > stored_last_year`"
        ));
    }
    if has(&["每季度", "每月", "每半年"]) {
        return Some(t!(
            "it looks like a rule for each period: declare an input per period (q1 … q4) and write the rule for each, as in `deduct 0.5 per q1 below 1`",
            "这句像逐期计分：请每期声明一个数据（q1 … q4），逐期写规则，如 `扣 0.5 每 q1 低于 1`"
        ));
    }
    if has(&["少一次", "少1次", "缺少", "少一个", "少一项"]) {
        return Some(t!(
            "it looks like a shortfall against a required number: write `deduct 0.5 per meetings below 2`",
            "这句像未达到规定次数、少一次扣一次分：请写作 `扣 0.5 每 meetings 低于 2`"
        ));
    }
    if has(&["一票否决", "考核不合格"]) {
        return Some(t!(
            "it looks like a veto: write `veto if incident` in a veto item",
            "这句像一票否决：请在否决项中写作 `否决 若 incident`"
        ));
    }
    if PER.is_match(sentence) {
        return Some(if bonus {
            t!(
                "it looks like an award per occurrence: write `add 0.5 per projects` (`, at most 2` for a ceiling)",
                "这句像按次（个）加分：请写作 `加 0.5 每 projects`（有上限的加 `, 最高 2`）"
            )
        } else {
            t!(
                "it looks like a per-occurrence deduction: write `deduct 0.5 per cases` (`, at most 3` for a ceiling)",
                "这句像按次（个、起）扣分：请写作 `扣 0.5 每 cases`（有上限的加 `, 最高 3`）"
            )
        });
    }
    if BELOW.is_match(sentence) {
        return Some(t!(
            "it looks like a rate against a threshold: write `deduct 1 if rate < 90%`",
            "这句像比率低于标准扣分：请写作 `扣 1 若 rate < 90%`"
        ));
    }
    if sentence.contains('未') && sentence.contains('扣') {
        return Some(t!(
            "it looks like a fixed deduction for something not done: write `deduct 1 unless done`",
            "这句像未完成某项工作扣固定分：请写作 `扣 1 除非 done`"
        ));
    }
    if bonus {
        return Some(t!(
            "it looks like a fixed award: write `add 1 if achieved`",
            "这句像达到条件加固定分：请写作 `加 1 若 achieved`"
        ));
    }
    if sentence.contains("得") && sentence.contains('分') {
        return Some(t!(
            "it looks like points earned from 0: give the item `score N from 0` and write what earns them, as in `add 0.5 per projects`",
            "这句像从0分起按得分累计：请给考核事项写 `分值 N 起评 0`，再写得分规则，如 `加 0.5 每 projects`"
        ));
    }
    None
}

/// A cap standing alone, split from the sentence it ends (最高扣3分,
/// 扣完为止, 加分上限2分 in a row or sentence of their own): what it caps
/// and how that is written.
fn lone_cap(sentence: &str) -> Option<Text> {
    static CAP: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"^\s*(?:(?:最高|最多|累计最高|累计最多)(?:扣|加|得)?\s*(\d+(?:\.\d+)?)\s*分|(?:扣分|加分)?上限(?:为)?\s*(\d+(?:\.\d+)?)\s*分|扣完(?:\s*(\d+(?:\.\d+)?)\s*分)?为止|扣完即止)[。；;，,.]?\s*$",
        )
    });
    let caps = CAP.captures(sentence)?;
    let amount = (1..=3)
        .find_map(|i| caps.get(i))
        .map(|m| m.as_str().to_string());
    Some(match amount {
        None => t!(
            "it is a cap on its own (扣完为止): it limits the sentence before it, and a base item never scores below 0 in kaohe, so nothing needs writing: delete this line",
            "这是单独成句的上限（扣完为止）：它限制的是前一句；kaohe 中基本分考核事项的得分本就不会低于 0，无需另写规则：删去这一行即可"
        ),
        Some(x) => t!(
            "it is a cap on its own: it limits the sentence before it. Put it on that sentence's rule, as in `deduct 0.5 per cases, at most {x}`, or, when that sentence has several rules, put them in `part at most {x} {{ … }}`; then delete this line",
            "这是单独成句的上限：它限制的是前一句。请把它写在前一句的规则上，如 `扣 0.5 每 cases, 最高 {x}`；前一句有几条规则的，把它们写进 `分项 最高 {x} {{ … }}`；然后删去这一行"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Lang;

    #[test]
    fn a_lone_cap_says_it_caps_the_sentence_before_it() {
        for s in [
            "最高扣3分",
            "最高扣3分。",
            "最多扣2.5分；",
            "扣分上限为3分",
            "扣完3分为止",
        ] {
            let h = hint(s).unwrap_or_else(|| panic!("{s}"));
            assert!(
                h.get(Lang::En).contains("limits the sentence before it"),
                "{s}"
            );
            assert!(h.get(Lang::Zh).contains("最高 "), "{s}");
        }
        let h = hint("扣完为止。").unwrap();
        assert!(h.get(Lang::Zh).contains("无需另写规则"));
        // A cap inside a sentence is no lone cap.
        let h = hint("每发现一次扣0.5分，最高扣3分").unwrap();
        assert!(!h.get(Lang::En).contains("on its own"));
    }
}
