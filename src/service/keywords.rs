//! What each keyword means, in both languages, for hover and completion.
//! The spellings come from the grammar's keyword table (parse::keywords);
//! only the meanings are written here, one per keyword rule.

use crate::diagnostic::Text;
use crate::parse::Rule;
use crate::parse::keywords::{self, KeywordSet};
use crate::t;
use std::sync::LazyLock;

/// A keyword or type word: its rule and both spellings.
#[derive(Clone, Copy, Debug)]
pub struct Keyword {
    pub rule: Rule,
    pub en: &'static str,
    pub zh: &'static str,
}

impl Keyword {
    pub fn spelling(&self, set: KeywordSet) -> &'static str {
        match set {
            KeywordSet::En => self.en,
            KeywordSet::Zh => self.zh,
        }
    }
}

/// Every keyword and type word of the grammar, read once.
static ALL: LazyLock<Vec<Keyword>> = LazyLock::new(|| {
    Rule::all_rules()
        .iter()
        .filter(|&&r| keywords::is_word(r))
        .filter_map(|&rule| {
            Some(Keyword {
                rule,
                en: keywords::spelling(rule, KeywordSet::En)?,
                zh: keywords::spelling(rule, KeywordSet::Zh)?,
            })
        })
        .collect()
});

/// Every keyword and type word of the grammar.
pub fn all() -> impl Iterator<Item = Keyword> {
    ALL.iter().copied()
}

/// Whether a keyword may stand inside an expression or a clause.
pub fn in_expression(rule: Rule) -> bool {
    use Rule::*;
    matches!(
        rule,
        kw_if
            | kw_unless
            | kw_then
            | kw_else
            | kw_match
            | kw_bands
            | kw_linear
            | kw_to
            | kw_and
            | kw_or
            | kw_not
            | kw_true
            | kw_false
            | kw_per
            | kw_each
            | kw_in
            | kw_where
            | kw_at_most
            | kw_above
            | kw_below
            | kw_whole
            | kw_continuous
            | kw_of
            | kw_within_ceiling
            | kw_outside_ceiling
    )
}

/// Whether a word is a type word.
pub fn is_type(rule: Rule) -> bool {
    format!("{rule:?}").starts_with("ty_")
}

/// What a keyword means, in English and Chinese.
pub fn meaning(rule: Rule) -> Text {
    use Rule::*;
    match rule {
        ty_bool => t!("type: yes or no", "类型：是或否"),
        ty_count => t!(
            "type: a whole number of 0 or more, with an optional unit (`count 次`)",
            "类型：不小于 0 的整数，可带单位（`计数 次`）"
        ),
        ty_number => t!(
            "type: a decimal number, with an optional unit (`number μg/m³`, `number %`)",
            "类型：数值，可带单位（`数值 μg/m³`、`数值 %`）"
        ),
        ty_rate => t!(
            "type: a rate from 0 to 1 (87.5% is 0.875)",
            "类型：0 至 1 之间的比率（87.5% 即 0.875）"
        ),
        ty_date => t!(
            "type: a date such as 2024-05-31",
            "类型：日期，如 2024-05-31"
        ),
        ty_text => t!("type: a text", "类型：文本"),
        ty_enum => t!(
            "an enumeration: one of the listed values (`enum {{ \"A\", \"B\" }}`)",
            "枚举：取所列值之一（`枚举 {{ \"甲\", \"乙\" }}`）"
        ),
        ty_list => t!(
            "type: a list of records with the fields given (`list {{ name: text, … }}`)",
            "类型：记录的列表，字段如所列（`列表 {{ 名称: 文本, … }}`）"
        ),
        kw_table => t!(
            "the table header: its title, year, total and grades",
            "考核表表头：标题、年度、总分和等次"
        ),
        kw_year => t!("the year the table assesses", "考核年度"),
        kw_language => t!(
            "the language of reports: zh or en",
            "报告使用的语言：zh 或 en"
        ),
        kw_total => t!(
            "the table's base total: the sum of the items' points",
            "考核表基本分：各考核事项分值之和"
        ),
        kw_pass => t!("the grade given to a unit that passes", "合格时给出的等次"),
        kw_fail => t!(
            "the grade given to a unit that fails (a veto, or below the pass mark)",
            "不合格时给出的等次（被否决或未达合格线）"
        ),
        kw_grades => t!(
            "grades by total score, as bands (`>= 90 => \"优秀\"`)",
            "按总分划分等次，按分档写（`>= 90 => \"优秀\"`）"
        ),
        kw_result => t!(
            "a named result computed from each unit's total, shown in every report (`result \"等次\" \"优秀\" >= 90, else \"合格\"`, `pass mark 60`, `payout 60 => 0% to 95 => 100%`, `top 3 => \"先进单位\"`)",
            "由总分得出的具名结果，各报告都列出（`结果 \"等次\" \"优秀\" >= 90, 否则 \"合格\"`、`合格线 60`、`按比例 60 => 0% 至 95 => 100%`、`前 3 => \"先进单位\"`）"
        ),
        kw_pass_mark => t!(
            "the pass mark: a total at or above it passes (the header's pass text), below it fails",
            "合格线：总分达到即为合格（表头的合格等次），低于即不合格"
        ),
        kw_payout => t!(
            "a payout or coefficient proportional to the total between two marks, held to the ends: `payout 60 => 0% to 95 => 100%`",
            "在两个分数之间按总分比例计算的奖励比例或系数，两端之外取端值：`按比例 60 => 0% 至 95 => 100%`"
        ),
        kw_top => t!(
            "the top N (or N%) units by total get the named result; tied units are all included; a vetoed unit never: `top 3 => \"先进单位\"`",
            "总分排名前 N 名（或前 N%）的单位得此结果，并列者全部计入，被否决的单位不计入：`前 3 => \"先进单位\"`"
        ),
        kw_enum => t!(
            "declare an enumeration: a name for a list of values",
            "声明枚举：为一组取值命名"
        ),
        kw_input => t!(
            "declare an input: a fact the data gives for each assessed unit (`input name: type \"description\"`)",
            "声明数据项：每个被考核单位由数据提供的事实（`数据 名称: 类型 \"说明\"`）"
        ),
        kw_optional => t!(
            "the input may be left empty in the data",
            "该数据项在数据中可以空缺"
        ),
        kw_not_applicable => t!(
            "a cell's word 不适用 / 无此项 / n/a: the fact does not apply to this unit (`optional: not applicable => full marks`)",
            "数据中的“不适用”“无此项”：该情形不适用于本单位（`可缺：不适用 => 满分`）"
        ),
        kw_not_claimed => t!(
            "a cell's word 未申报: the unit did not claim it (`optional: not claimed => no points`)",
            "数据中的“未申报”：本单位未申报该项（`可缺：未申报 => 不计分`）"
        ),
        kw_full_marks => t!(
            "an absent fact gives every item that reads it its full marks (a deduction or bonus item: nothing taken, nothing added)",
            "缺项时，读取该数据项的考核事项按满分计（扣分项不扣分，加分项不加分）"
        ),
        kw_no_points => t!(
            "an absent fact makes every clause (and veto or exemption) that reads it move no points",
            "缺项时，读取该数据项的子句（及否决、免考核条件）不计分"
        ),
        kw_default => t!(
            "the value an input takes when the data leaves it empty",
            "数据空缺时该数据项的取值"
        ),
        kw_section => t!("a first-level indicator (section) of the table", "一级指标"),
        kw_indicator => t!(
            "a second-level indicator, within a section",
            "二级指标，属于一级指标之下"
        ),
        kw_level3 => t!(
            "a third-level indicator, within an indicator (tables of four or five levels)",
            "三级指标，属于二级指标之下（四级、五级的表）"
        ),
        kw_level4 => t!(
            "a fourth-level indicator, within a third-level one (tables of five levels)",
            "四级指标，属于三级指标之下（五级的表）"
        ),
        kw_item => t!(
            "an assessment item: its id, title, points and scoring clauses",
            "考核事项：编号、名称、分值和评分句"
        ),
        kw_score => t!(
            "the points an item, indicator or section is worth (`score 3`); a heading's children must add up to its points",
            "考核事项、二级指标或一级指标的分值（`分值 3`）；指标的下级分值之和须等于其分值"
        ),
        kw_from => t!(
            "the score an item starts from before points are added (`score 2 from 0`)",
            "加分前的起评分（`分值 2 起评 0`）"
        ),
        kw_deduction => t!(
            "an item or part that only takes points off the total",
            "只从总分中扣分的考核事项或分项"
        ),
        kw_bonus => t!(
            "an item or part that adds points beyond the base total (within the bonus cap)",
            "在基本分之外加分的考核事项或分项（不超过加分上限）"
        ),
        kw_veto => t!(
            "a veto: if its condition holds, the unit fails whatever its score",
            "否决：条件成立时，无论得分多少均判为不合格"
        ),
        kw_part => t!(
            "a part of an item, scored and capped on its own",
            "考核事项中的分项，单独计分、单独封顶"
        ),
        kw_children_sum => t!(
            "after a heading's points, what its children add up to when the table gives the heading more (`score 40 children sum 38`): the rest is not scored by the spec",
            "写在指标分值之后，说明下级合计分值少于本指标分值（`分值 40 下级合计 38`），其余分值不由本规则计分"
        ),
        ty_month => t!(
            "type: a month, 1 to 12 (the data may write 3, 3月 or 三月)",
            "类型：月份，1 至 12（数据可写 3、3月 或 三月）"
        ),
        ty_quarter => t!(
            "type: a quarter, 1 to 4 (the data may write 2, Q2 or 第二季度)",
            "类型：季度，1 至 4（数据可写 2、Q2 或 第二季度）"
        ),
        ty_item_ref => t!(
            "type: the id of a section, indicator or item of this table; the data is checked against the table's ids",
            "类型：本考核表中一级指标、二级指标或考核事项的编号；数据按考核表的编号核对"
        ),
        kw_any_year => t!(
            "after a list's date field: its dates may lie outside the table's year (else the data must keep within it)",
            "写在列表的日期字段后：其日期可以不在考核年度内（否则数据须在考核年度内）"
        ),
        kw_short_name => t!(
            "what explanation lines call the input, when its description is too long to read in a line",
            "扣分说明中对该数据项的称呼，用于说明过长、不便在一行中读的数据项"
        ),
        kw_judged => t!(
            "an assessor's judgement: the item's (or part's) score is the number the assessor gives, from 0 to its points, read from the data as the input named here",
            "酌情评分：本项（或分项）得分由评审给出，在 0 至本项分值之间，按此处命名的数据项从数据中读取"
        ),
        kw_rule => t!(
            "the scoring rule as the original table words it (评分标准)",
            "原表所写的评分标准"
        ),
        kw_evidence => t!(
            "the evidence the unit must supply (材料要求)",
            "被考核单位应提供的材料"
        ),
        kw_responsible => t!(
            "the units responsible for the item",
            "负责该考核事项的责任单位"
        ),
        kw_authority => t!(
            "the body whose figures or opinion decide the item",
            "以其数据或意见为准的认定单位"
        ),
        kw_deduct => t!(
            "take points off: `deduct 1 unless report`",
            "扣分：`扣 1 除非 report`"
        ),
        kw_add => t!("add points: `add 0.5 if award`", "加分：`加 0.5 若 award`"),
        kw_exempt => t!(
            "exempt the unit from the item when the condition holds",
            "条件成立时该单位免于考核此事项"
        ),
        kw_per => t!(
            "points for each step of a quantity (`deduct 0.5 per meetings below 2`), or a cap per group",
            "按数量逐档计分（`扣 0.5 每 meetings 低于 2`），或按组封顶"
        ),
        kw_whole => t!(
            "count only whole steps (`per whole 5 of …`)",
            "只按整档计算（`每 按整 5 计 …`）"
        ),
        kw_continuous => t!(
            "count steps in proportion, fractions included",
            "按比例连续计算，不足一档的按比例计"
        ),
        kw_of => t!(
            "the step of a `per` clause: `per 5 of x` is per 5 of x",
            "`每` 句的档距：`每 5 计 x` 即 x 每 5 为一档"
        ),
        kw_above => t!(
            "count the amount above a target (`per pm25 above 35`)",
            "按超出目标的部分计（`每 pm25 高于 35`）"
        ),
        kw_below => t!(
            "count the amount below a target (`per meetings below 2`)",
            "按低于目标的部分计（`每 meetings 低于 2`）"
        ),
        kw_each => t!(
            "a clause for each record of a list (`deduct each f in fires: 0.5`)",
            "对列表中的每条记录计分（`扣 逐个 f 属于 fires: 0.5`）"
        ),
        kw_in => t!("the list a variable ranges over", "变量所取自的列表"),
        kw_where => t!(
            "keep only the records for which the condition holds",
            "只取条件成立的记录"
        ),
        kw_once => t!(
            "count each group once (`, once per x at highest`)",
            "每组只计一次（`, 仅一次 每 x 取 最高者`）"
        ),
        kw_highest => t!("of a group, count the highest amount", "每组取金额最高者"),
        kw_at_most => t!(
            "a cap: no more than this many points (`, at most 2`)",
            "上限：最多计这么多分（`, 最高 2`）"
        ),
        kw_at => t!(
            "which record of a group counts (`at highest`)",
            "每组取哪一条（`取 最高者`）"
        ),
        kw_if => t!(
            "the clause applies when the condition holds; or `if … then … else …`",
            "条件成立时该句适用；或 `若 … 则 … 否则 …`"
        ),
        kw_unless => t!(
            "the clause applies when the condition does not hold",
            "条件不成立时该句适用"
        ),
        kw_then => t!(
            "the value when the condition of `if` holds",
            "`若` 条件成立时的取值"
        ),
        kw_else => t!("the value otherwise", "否则的取值"),
        kw_match => t!(
            "a value by the value of an enumeration (`match x {{ \"A\" => 1, else => 0 }}`)",
            "按枚举取值（`按 x {{ \"甲\" => 1, 否则 => 0 }}`）"
        ),
        kw_bands => t!(
            "a value by bands of a number (`bands x {{ < 60% => 0, >= 60% => 1 }}`)",
            "按数值分档取值（`分档 x {{ < 60% => 0, >= 60% => 1 }}`）"
        ),
        kw_linear => t!(
            "within a band, a value in proportion from one end to the other (`linear 0 to 2`)",
            "档内按比例取值（`线性 0 至 2`）"
        ),
        kw_to => t!("the upper end of `linear`", "`线性` 的终点"),
        kw_and => t!(
            "both conditions hold; or the second bound of a band",
            "两个条件都成立；或分档的第二个界限"
        ),
        kw_or => t!("either condition holds", "任一条件成立"),
        kw_not => t!("the condition does not hold", "条件不成立"),
        kw_true => t!("yes", "是（真）"),
        kw_false => t!("no", "否（假）"),
        // lead and supporting units (牵头单位 / 配合单位)
        kw_lead => t!(
            "the unit that leads the item (牵头单位); in the header after `attribution`, all lost points to it",
            "牵头负责该考核事项的单位；在表头“失分归属”之后：失分全部归牵头单位"
        ),
        kw_supporting => t!(
            "the units that support the lead unit in the item (配合单位)",
            "配合牵头单位完成该考核事项的单位"
        ),
        kw_attribution => t!(
            "how the roll-up by unit attributes an item's lost points: `attribution lead` or `attribution shared`",
            "按单位汇总时一项失分如何归属：`失分归属 牵头单位` 或 `失分归属 平均分担`"
        ),
        kw_shared => t!(
            "lost points split equally among the lead and supporting units, the remainder to the lead",
            "失分在牵头单位和配合单位之间平均分担，除不尽的尾数归牵头单位"
        ),
        // standards by the unit's class (标准 … 按 …)
        kw_standard => t!(
            "a standard that differs by the unit's class, read by rules like an input: `standard target_rate by town_class {{ \"城区\" => 98%, else => 95% }}`",
            "按单位类别取值的标准，规则中像数据项一样使用：`标准 target_rate 按 town_class {{ “城区” => 98%, 否则 => 95% }}`"
        ),
        ctx_by => t!(
            "the enumeration input whose value (the unit's class) picks a standard's row",
            "按哪个枚举型数据项（单位的类别）选取标准的取值"
        ),
        // extra awards (超额加分) and waivers of deductions (免予扣分)
        kw_extra => t!(
            "an extra award beyond the item's points (`extra 0.5 per parks above 3, at most 2, within bonus ceiling`); the item's score stays within its points, the award is shown beside it",
            "超出本项分值的超额加分（`超额加分 0.5 每 parks 高于 3, 最高 2, 计入加分上限`）；本项得分仍不超过分值，超额加分另列"
        ),
        kw_within_ceiling => t!(
            "the extra award counts toward the bonus ceilings of its indicator, section and table",
            "超额加分计入所在二级指标、一级指标和全表的加分上限"
        ),
        kw_outside_ceiling => t!(
            "the extra award is added to the total outside every bonus ceiling",
            "超额加分不计入加分上限，直接计入总分"
        ),
        kw_waived => t!(
            "a waiver: when its condition holds, what the item's (or part's) clauses deducted is given back (`waived if annual_rate >= 95%`)",
            "免予扣分：条件成立时，本项（或分项）各子句的扣分予以免除（`免予扣分 若 全年完成率 >= 95%`）"
        ),
        kw_pending => t!(
            "a rule not yet written, holding the table's sentence: `kaohe check` warns (K0490) and the spec cannot score until it is written (`rule pending \"少一次扣0.5分\"`)",
            "待写规则，只有原表的句子：`kaohe check` 会警告（K0490），写好规则之前本规则文件不能计分（`待写规则 “少一次扣0.5分”`）"
        ),
        _ => t!("a keyword of kaohe", "kaohe 关键字"),
    }
}

// ---------------------------------------------------------------- the keyword table for editors

/// A keyword or type word of the grammar as an editor's highlighting needs
/// it: both spellings, what kind of word it is and its meaning.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct KeywordEntry {
    /// The grammar's rule, such as `kw_deduct` or `ty_count`.
    pub rule: String,
    /// The English spelling; words of several parts are written with one
    /// space (`at most`), which the text may write with any spaces or tabs.
    pub en: &'static str,
    pub zh: &'static str,
    /// `keyword` (reserved: never a name), `type` (a type word, read as
    /// such only where a type is) or `contextual` (a word only in one
    /// place, such as `by` after `standard NAME`).
    pub kind: &'static str,
    pub meaning_en: String,
    pub meaning_zh: String,
}

/// Every keyword and type word of the grammar, in the grammar's order of
/// rules, from its keyword table: what the editors' highlighting is
/// generated from (the VS Code grammar's keyword lists are checked against
/// it by a test), and what the web workbench may send its editor.
pub fn keyword_table() -> Vec<KeywordEntry> {
    all()
        .map(|k| {
            let rule = format!("{:?}", k.rule);
            let kind = if rule.starts_with("ty_") {
                "type"
            } else if rule.starts_with("ctx_") {
                "contextual"
            } else {
                "keyword"
            };
            let meaning = meaning(k.rule);
            KeywordEntry {
                rule,
                en: k.en,
                zh: k.zh,
                kind,
                meaning_en: meaning.en.to_string(),
                meaning_zh: meaning.zh.to_string(),
            }
        })
        .collect()
}

/// [`keyword_table`] as a JSON array, for a front end in JavaScript.
pub fn keyword_table_json() -> String {
    serde_json::to_string(&keyword_table()).unwrap_or_else(|_| "[]".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyword_has_a_meaning_of_its_own() {
        let fallback = meaning(Rule::EOI);
        let words: Vec<Keyword> = all().collect();
        assert!(words.len() > 50, "{}", words.len());
        for k in words {
            let m = meaning(k.rule);
            assert_ne!(m, fallback, "{:?} has no meaning written", k.rule);
            assert!(!m.en.is_empty() && !m.zh.is_ascii(), "{:?}", k.rule);
        }
    }

    #[test]
    fn the_keyword_table_has_every_word_once_in_each_set() {
        let table = keyword_table();
        assert_eq!(table.len(), all().count());
        let json: serde_json::Value = serde_json::from_str(&keyword_table_json()).unwrap();
        assert_eq!(json.as_array().unwrap().len(), table.len());
        let deduct = table.iter().find(|k| k.rule == "kw_deduct").unwrap();
        assert_eq!(
            (deduct.en, deduct.zh, deduct.kind),
            ("deduct", "扣", "keyword")
        );
        let count = table.iter().find(|k| k.rule == "ty_count").unwrap();
        assert_eq!((count.en, count.zh, count.kind), ("count", "计数", "type"));
        let by = table.iter().find(|k| k.rule == "ctx_by").unwrap();
        assert_eq!(by.kind, "contextual");
        let at_most = table.iter().find(|k| k.rule == "kw_at_most").unwrap();
        assert_eq!(at_most.en, "at most");
    }
}
