//! The common scoring phrases of published tables, turned into kaohe
//! rules (docs/import.md lists them). A 评分标准 text is cut into
//! fragments, each ending with its amount (扣0.5分, 加1分, 不得分); a
//! fragment of a known shape becomes an input and a clause, its sentence
//! kept as the clause's reason; any other becomes a placeholder
//! (`待写规则`). Nothing is guessed: a fragment that matches no shape
//! exactly is left for a person.

use regex::Regex;
use std::sync::LazyLock;

/// What an item is scored as, which decides which phrases fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A base item or part of these points (as written).
    Base,
    Deduction,
    Bonus,
    Veto,
}

/// The rules recognised in a text, in the Chinese keyword set.
#[derive(Clone, Debug, Default)]
pub(super) struct Rules {
    /// `数据 …` lines.
    pub inputs: Vec<String>,
    /// Clause lines.
    pub clauses: Vec<String>,
    /// Sentences no phrase fits.
    pub pending: Vec<String>,
    /// The pattern of each recognised fragment (for the summary).
    pub patterns: Vec<&'static str>,
    /// The item is earned upward from 0 (`起评 0`): a proportional score.
    pub from_zero: bool,
}

/// The names of the patterns, as the summary and docs/import.md call them.
const P_UNMET: &str = "unmet condition (未…扣x分, 不得分)";
const P_THRESHOLD: &str = "threshold (低于x%扣y分)";
const P_PER: &str = "per occurrence (每发现一起/一次/一处扣x分)";
const P_SHORTFALL: &str = "shortfall against a number (至少N次，少一次扣x分)";
const P_QUARTERS: &str = "per quarter shortfall (每季度至少一次，少一次扣x分)";
const P_PROPORTIONAL: &str = "proportional (按完成比例得分)";
const P_AWARD: &str = "fixed award (…加x分)";
const P_PER_AWARD: &str = "per occurrence award (每…加x分)";
const P_VETO: &str = "veto (一票否决, 考核不合格)";
const P_CAP: &str = "cap (最高扣x分, 最多扣x分, 上限x分)";
const P_UNTIL: &str = "until nothing is left (扣完为止)";
const P_AT_LEAST: &str = "at least a number (至少N次，未开展扣x分)";
pub(super) const PATTERNS: &[&str] = &[
    P_UNMET,
    P_THRESHOLD,
    P_PER,
    P_SHORTFALL,
    P_QUARTERS,
    P_PROPORTIONAL,
    P_AWARD,
    P_PER_AWARD,
    P_VETO,
    P_CAP,
    P_UNTIL,
    P_AT_LEAST,
];

fn re(s: &str) -> Regex {
    Regex::new(s).unwrap_or_else(|_| unreachable!())
}

const AMOUNT: &str = r"(扣|加|得)\s*(\d+(?:\.\d+)?)\s*分";
static AMOUNT_RE: LazyLock<Regex> = LazyLock::new(|| re(AMOUNT));
static CAP_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:(?:最高|最多)(?:扣|加)(?:除)?|(?:得扣分相抵后)?上限(?:为)?|扣完)\s*(\d+(?:\.\d+)?)\s*分(?:为止)?$",
    )
});
static UNTIL_RE: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:满分\d+(?:\.\d+)?分)?扣完(?:为止)?$"));
static NUMBER_WORD: &str = r"(\d+|[一二两三四五六七八九十]+)";
static SHORTFALL_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^(.*?){NUMBER_WORD}\s*(次|个|项|家|篇|期)(.*?)[，,]\s*(?:每)?少\s*(?:一|1)\s*(?:次|个|项|家|篇|期)(?:项目)?[^，,]*?扣\s*(\d+(?:\.\d+)?)\s*分$"
    ))
});
static AT_LEAST_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^(.*?)(?:至少|不少于)\s*{NUMBER_WORD}\s*(次|个|项|家|篇|期)(.*?)[，,]\s*未[^，,]{{0,4}}?扣\s*(\d+(?:\.\d+)?)\s*分$"
    ))
});
static PER_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(.*?)(?:每|一)(?:发现|有|出现|发生|实施|创建|洽谈|落地|漏报|迟报)?\s*(?:一|1)?\s*(起|次|处|件|个|项|家|宗|天|例|座|人)([^，,；;。扣加]{0,6}?)[，,]?\s*(扣|加)\s*(\d+(?:\.\d+)?)\s*分$",
    )
});
static THRESHOLD_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(.*?)(?:低于|小于|未达到|未达|不足|达不到)\s*(\d+(?:\.\d+)?)\s*[%％](?:的)?[，,]?\s*扣\s*(\d+(?:\.\d+)?)\s*分$",
    )
});
static PROPORTIONAL_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"按(?:任务)?完成(?:比例|率|百分率)(?:按百分比)?(?:得分|计分)"));

/// Whether a text holds words that make a phrase more than it seems: a
/// gap to a target, a share, a unit of measure, a rank, a period.
fn hedged(s: &str) -> bool {
    [
        "低于",
        "高于",
        "少",
        "超过",
        "%",
        "％",
        "百分",
        "μ",
        "比例",
        "排名",
        "每季度",
        "每月",
        "同比",
        "较上",
        "最高",
        "最多",
        "按比例",
        "按差值",
        "按完成",
        "按与",
        "之间",
        "及以上",
        "取最高",
        "不重复",
        "均值",
    ]
    .iter()
    .any(|w| s.contains(w))
}

/// A text for a kaohe string: `"` and `\` escaped, line breaks as `\n`.
pub(super) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

fn number(word: &str) -> Option<u32> {
    if let Ok(n) = word.parse() {
        return Some(n);
    }
    let digit = |c: char| {
        "零一二三四五六七八九"
            .find(c)
            .map(|i| (i / 3) as u32)
            .or(if c == '两' { Some(2) } else { None })
    };
    let chars: Vec<char> = word.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        ['十', b] => Some(10 + digit(*b)?),
        [a, '十'] => Some(digit(*a)? * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        [a] => digit(*a),
        _ => None,
    }
}

/// Cut a 评分标准 text into sentences (at 。；; and line breaks), and each
/// sentence into fragments ending with an amount; a cap or 扣完为止 goes
/// with the fragment before it.
fn fragments(text: &str) -> Vec<Vec<String>> {
    static ENUM: LazyLock<Regex> =
        LazyLock::new(|| re(r"^(?:\d+\s*[.．、]|[（(]\d+[)）]|[①-⑳])\s*"));
    let mut sentences = Vec::new();
    for sentence in text.split(['。', '；', ';', '\n']) {
        let sentence = ENUM.replace(sentence.trim(), "").trim().to_string();
        if sentence.is_empty() {
            continue;
        }
        let mut out: Vec<String> = Vec::new();
        let mut pending = String::new();
        for piece in sentence.split(['，', ',']) {
            let piece = piece.trim();
            if piece.is_empty() {
                continue;
            }
            let amount = AMOUNT_RE.is_match(piece)
                || piece.contains("不得分")
                || piece.contains("考核不合格")
                || piece.contains("一票否决");
            let cap = CAP_RE.is_match(piece) || UNTIL_RE.is_match(piece);
            if cap && pending.is_empty() {
                out.push(piece.to_string());
                continue;
            }
            if !pending.is_empty() {
                pending.push('，');
            }
            pending.push_str(piece);
            if amount {
                out.push(std::mem::take(&mut pending));
            }
        }
        if !pending.is_empty() {
            match out.last_mut() {
                // A condition after its amount (扣1分，…的除外): kept with it.
                Some(last) => {
                    last.push('，');
                    last.push_str(&pending);
                }
                None => out.push(pending),
            }
        }
        sentences.push(out);
    }
    sentences
}

/// A name for an input of `item` from a word of its sentence.
fn stem(sentence: &str, fallback: &str) -> String {
    const WORDS: &[(&str, &str)] = &[
        ("会议", "meetings"),
        ("培训", "trainings"),
        ("演练", "drills"),
        ("宣传", "publicity"),
        ("台账", "ledger"),
        ("方案", "plan"),
        ("计划", "plan"),
        ("报告", "report"),
        ("总结", "summary"),
        ("清单", "list"),
        ("制度", "rules"),
        ("机制", "mechanism"),
        ("经费", "funds"),
        ("资金", "funds"),
        ("通报", "notices"),
        ("约谈", "talks"),
        ("信访", "petitions"),
        ("整改", "rectification"),
        ("整治", "remediation"),
        ("排查", "inspection"),
        ("检查", "inspection"),
        ("监测", "monitoring"),
        ("审核", "review"),
        ("审查", "review"),
        ("许可", "permits"),
        ("项目", "projects"),
        ("企业", "firms"),
        ("地块", "plots"),
        ("火点", "fire_points"),
        ("问题", "issues"),
        ("材料", "materials"),
        ("责任书", "letters"),
        ("创建", "creation"),
        ("活动", "activities"),
        ("水质", "water_quality"),
        ("污水", "sewage"),
        ("废物", "waste"),
        ("排污口", "outfalls"),
        ("监控", "monitoring"),
        ("联网", "network"),
        ("奖励", "awards"),
        ("批示", "approvals"),
        ("试点", "pilots"),
    ];
    WORDS
        .iter()
        .filter_map(|(w, n)| sentence.find(w).map(|at| (at, *n)))
        .min_by_key(|(at, _)| *at)
        .map_or(fallback, |(_, n)| n)
        .to_string()
}

/// Reading an item's text into rules; names are made unique within the
/// draft by the item's id and a letter.
pub(super) struct Reader<'a> {
    pub id: &'a str,
    pub kind: Kind,
    /// The points of a base item or part, as written.
    pub points: Option<&'a str>,
    pub used: &'a mut std::collections::HashSet<String>,
}

impl Reader<'_> {
    fn name(&mut self, sentence: &str, fallback: &str) -> String {
        let base = format!(
            "{}_{}",
            stem(sentence, fallback),
            self.id.replace(['.', '-'], "_")
        );
        let base: String = base
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let mut name = base.clone();
        let mut n = 1;
        while self.used.contains(&name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        self.used.insert(name.clone());
        name
    }

    /// The rules of a 评分标准 text.
    pub fn read(&mut self, text: &str) -> Rules {
        let mut rules = Rules::default();
        let sentences = fragments(text);
        let count: usize = sentences.iter().map(Vec::len).sum();
        for sentence in sentences {
            let mut last_per: Option<usize> = None;
            for fragment in sentence {
                if UNTIL_RE.is_match(&fragment) {
                    rules.patterns.push(P_UNTIL);
                    continue;
                }
                if let Some(cap) = CAP_RE.captures(&fragment).and_then(|c| c.get(1)) {
                    match last_per.and_then(|i| rules.clauses.get_mut(i)) {
                        Some(clause) => {
                            insert_cap(clause, cap.as_str());
                            rules.patterns.push(P_CAP);
                        }
                        None => rules.pending.push(fragment.clone()),
                    }
                    continue;
                }
                last_per = None;
                match self.fragment(&fragment, count, &mut rules) {
                    Some((pattern, per)) => {
                        rules.patterns.push(pattern);
                        if per {
                            last_per = Some(rules.clauses.len() - 1);
                        }
                    }
                    None => {
                        // Words with no amount set the scene; no rule.
                        if AMOUNT_RE.is_match(&fragment)
                            || fragment.contains("不得分")
                            || fragment.contains("否决")
                            || fragment.contains("不合格")
                        {
                            rules.pending.push(fragment.clone());
                        }
                    }
                }
            }
        }
        rules
    }

    /// One fragment: its pattern and whether it counts occurrences (so
    /// that a cap after it applies to it), or `None`.
    fn fragment(
        &mut self,
        f: &str,
        fragments: usize,
        rules: &mut Rules,
    ) -> Option<(&'static str, bool)> {
        let reason = quoted(f);
        // Veto.
        if self.kind == Kind::Veto {
            if !(f.contains("考核不合格") || f.contains("一票否决")) {
                return None;
            }
            let cond = f
                .split(['，', ','])
                .next()
                .unwrap_or(f)
                .trim_end_matches('的');
            let name = self.name(f, "vetoed");
            rules.inputs.push(format!(
                "数据 {name}: 是否 {}",
                quoted(&format!("是否{cond}"))
            ));
            rules.clauses.push(format!("否决 若 {name} {reason}"));
            return Some((P_VETO, false));
        }
        // Proportional: the whole item earned by a rate.
        if PROPORTIONAL_RE.is_match(f) && self.kind == Kind::Base && fragments == 1 {
            let points = self.points?;
            let name = self.name(f, "rate");
            let what = f.split(['，', ',']).next().unwrap_or(f);
            rules.inputs.push(format!(
                "数据 {name}: 比率 {}",
                quoted(&format!("{what}（完成比例）"))
            ));
            rules.clauses.push(format!("加 {points} * {name} {reason}"));
            rules.from_zero = true;
            return Some((P_PROPORTIONAL, false));
        }
        // Shortfall against a number, per quarter or in the year.
        if let Some(c) = SHORTFALL_RE.captures(f) {
            let need = number(c.get(2)?.as_str())?;
            let unit = c.get(3)?.as_str();
            let amount = c.get(5)?.as_str();
            if self.kind != Kind::Base || hedged(c.get(4)?.as_str()) {
                return None;
            }
            let before = c.get(1)?.as_str();
            let what = f.split(['，', ',']).next().unwrap_or(f);
            if before.contains("每季度") {
                for q in ["一", "二", "三", "四"] {
                    let name = self.name(f, "count");
                    rules.inputs.push(format!(
                        "数据 {name}: 计数 {unit} {}",
                        quoted(&format!("第{q}季度：{what}（{unit}数）"))
                    ));
                    rules
                        .clauses
                        .push(format!("扣 {amount} 每 {name} 低于 {need} {reason}"));
                }
                return Some((P_QUARTERS, false));
            }
            if hedged(before.trim_start_matches("至少").trim_start_matches("每年"))
                && !before.starts_with("至少")
            {
                return None;
            }
            let name = self.name(f, "count");
            rules.inputs.push(format!(
                "数据 {name}: 计数 {unit} {}",
                quoted(&format!("{what}（{unit}数）"))
            ));
            rules
                .clauses
                .push(format!("扣 {amount} 每 {name} 低于 {need} {reason}"));
            return Some((P_SHORTFALL, false));
        }
        // At least a number, else a fixed deduction.
        if let Some(c) = AT_LEAST_RE.captures(f)
            && self.kind == Kind::Base
            && !hedged(c.get(1)?.as_str())
            && !hedged(c.get(4)?.as_str())
        {
            let need = number(c.get(2)?.as_str())?;
            let unit = c.get(3)?.as_str();
            let amount = c.get(5)?.as_str();
            let what = f.split(['，', ',']).next().unwrap_or(f);
            let name = self.name(f, "count");
            rules.inputs.push(format!(
                "数据 {name}: 计数 {unit} {}",
                quoted(&format!("{what}（{unit}数）"))
            ));
            rules
                .clauses
                .push(format!("扣 {amount} 若 {name} < {need} {reason}"));
            return Some((P_AT_LEAST, false));
        }
        // Per occurrence.
        if let Some(c) = PER_RE.captures(f) {
            let before = c.get(1)?.as_str();
            let between = c.get(3)?.as_str();
            let sign = c.get(4)?.as_str();
            let amount = c.get(5)?.as_str();
            let unit = c.get(2)?.as_str();
            let fits = match sign {
                "扣" => self.kind != Kind::Bonus,
                _ => self.kind == Kind::Bonus,
            };
            if fits && !hedged(before) && !hedged(between) {
                let name = self.name(f, "count");
                let what = before.trim_end_matches(['，', ',', '的']);
                rules.inputs.push(format!(
                    "数据 {name}: 计数 {unit} {}",
                    quoted(&format!("{what}（{unit}数）"))
                ));
                rules
                    .clauses
                    .push(format!("{sign} {amount} 每 {name} {reason}"));
                let pattern = if sign == "扣" { P_PER } else { P_PER_AWARD };
                return Some((pattern, true));
            }
            return None;
        }
        // A rate below a threshold.
        if let Some(c) = THRESHOLD_RE.captures(f) {
            if self.kind != Kind::Base {
                return None;
            }
            let what = c.get(1)?.as_str().trim_end_matches(['，', ',']);
            let limit = c.get(2)?.as_str();
            let amount = c.get(3)?.as_str();
            if hedged(what) {
                return None;
            }
            let name = self.name(f, "rate");
            rules
                .inputs
                .push(format!("数据 {name}: 比率 {}", quoted(what)));
            rules
                .clauses
                .push(format!("扣 {amount} 若 {name} < {limit}% {reason}"));
            return Some((P_THRESHOLD, false));
        }
        // A fixed deduction for an unmet condition, or a fixed award.
        let (sign, amount) = match AMOUNT_RE.captures(f) {
            Some(c) => (
                c.get(1)?.as_str().to_string(),
                c.get(2)?.as_str().to_string(),
            ),
            None if f.ends_with("不得分") && self.kind == Kind::Base => {
                ("扣".to_string(), self.points?.to_string())
            }
            None => return None,
        };
        if AMOUNT_RE.find_iter(f).count() > 1 || hedged(f) {
            return None;
        }
        let cond = AMOUNT_RE
            .replace(f, "")
            .replace("不得分", "")
            .trim_end_matches(['，', ',', '的', ' '])
            .to_string();
        if cond.is_empty() || cond.contains("，") && cond.split('，').count() > 2 {
            return None;
        }
        match (sign.as_str(), self.kind) {
            ("扣", Kind::Base | Kind::Deduction) => {
                static UNMET: LazyLock<Regex> =
                    LazyLock::new(|| re(r"^(.*?)(?:未能|未|没有)(.+)$"));
                if let Some(c) = UNMET.captures(&cond)
                    && !cond.contains("或未")
                    && !c.get(2)?.as_str().contains('未')
                {
                    let positive = format!("{}{}", c.get(1)?.as_str(), c.get(2)?.as_str());
                    let name = self.name(f, "done");
                    rules.inputs.push(format!(
                        "数据 {name}: 是否 {}",
                        quoted(&format!("是否{positive}"))
                    ));
                    rules
                        .clauses
                        .push(format!("扣 {amount} 除非 {name} {reason}"));
                } else {
                    let name = self.name(f, "happened");
                    rules.inputs.push(format!(
                        "数据 {name}: 是否 {}",
                        quoted(&format!("是否{cond}"))
                    ));
                    rules
                        .clauses
                        .push(format!("扣 {amount} 若 {name} {reason}"));
                }
                Some((P_UNMET, false))
            }
            ("加", Kind::Bonus) => {
                let name = self.name(f, "achieved");
                rules.inputs.push(format!(
                    "数据 {name}: 是否 {}",
                    quoted(&format!("是否{cond}"))
                ));
                rules
                    .clauses
                    .push(format!("加 {amount} 若 {name} {reason}"));
                Some((P_AWARD, false))
            }
            _ => None,
        }
    }
}

/// `扣 0.5 每 n "…"` → `扣 0.5 每 n, 最高 3 "…"`.
fn insert_cap(clause: &mut String, cap: &str) {
    match clause.find(" \"") {
        Some(at) => clause.insert_str(at, &format!(", 最高 {cap}")),
        None => clause.push_str(&format!(", 最高 {cap}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn read(text: &str, kind: Kind, points: Option<&str>) -> Rules {
        let mut used = HashSet::new();
        Reader {
            id: "1.1",
            kind,
            points,
            used: &mut used,
        }
        .read(text)
    }

    #[test]
    fn the_phrases_of_item_1_1_become_three_rules() {
        let r = read(
            "每年党政主要领导在常委会或常务会上研究工作两次，少一次扣0.5分；县政府未向县人大做生态环境保护年度工作报告扣1分；未在主流媒体刊发认识体会扣1分；扣完为止。",
            Kind::Base,
            Some("3"),
        );
        assert!(r.pending.is_empty(), "{r:?}");
        assert_eq!(r.clauses.len(), 3, "{r:?}");
        assert!(
            r.clauses[0].starts_with("扣 0.5 每 count_1_1 低于 2 "),
            "{r:?}"
        );
        assert!(r.clauses[1].starts_with("扣 1 除非 report_1_1 "), "{r:?}");
    }

    #[test]
    fn per_occurrence_with_its_cap() {
        let r = read(
            "未完成排放超标的规模以上入河排污口整改任务的，一个扣0.5分，最多扣3分。",
            Kind::Base,
            Some("4"),
        );
        assert_eq!(r.clauses.len(), 1, "{r:?}");
        assert!(
            r.clauses[0].starts_with("扣 0.5 每 outfalls_1_1, 最高 3 "),
            "{r:?}"
        );
    }

    #[test]
    fn what_fits_no_phrase_is_left_pending() {
        let r = read(
            "PM2.5年均值未达到市级下达目标，每高于目标任务1μg/m3扣0.5分，最高扣3分。",
            Kind::Base,
            Some("8"),
        );
        assert!(r.clauses.is_empty(), "{r:?}");
        assert_eq!(r.pending.len(), 2, "{r:?}");
    }

    #[test]
    fn chinese_numbers() {
        assert_eq!(number("两"), Some(2));
        assert_eq!(number("十"), Some(10));
        assert_eq!(number("十二"), Some(12));
        assert_eq!(number("三十"), Some(30));
        assert_eq!(number("10"), Some(10));
    }
}
