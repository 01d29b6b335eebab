//! The common scoring phrases of published tables, turned into kaohe
//! rules (docs/import.md lists them). A 评分标准 text is cut into
//! fragments, each ending with its amount (扣0.5分, 加1分, 不得分); a
//! fragment of a known shape becomes an input and a clause, its sentence
//! kept as the clause's reason; any other becomes a placeholder
//! (`待写规则`). Nothing is guessed: a fragment that matches no shape
//! exactly is left for a person.

mod hints;
mod shapes;

pub(crate) use hints::hint;

use regex::Regex;
use std::sync::LazyLock;

/// What an item is scored as, which decides which phrases fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
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
use shapes::{
    P_ANY, P_BAND, P_BY_DATE, P_DEADLINE, P_EQUAL, P_LEVELS, P_PARTS, P_PERIODS, P_PROGRESS,
    P_QUANTITY, P_QUARTER_FLAGS, P_STEP, P_TARGET, P_TREND,
};
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
    P_BAND,
    P_TARGET,
    P_STEP,
    P_PERIODS,
    P_QUARTER_FLAGS,
    P_DEADLINE,
    P_BY_DATE,
    P_TREND,
    P_QUANTITY,
    P_LEVELS,
    P_EQUAL,
    P_PROGRESS,
    P_ANY,
    P_PARTS,
];

fn re(s: &str) -> Regex {
    Regex::new(s).unwrap_or_else(|_| unreachable!())
}

const AMOUNT: &str = r"(扣|加|得)\s*(\d+(?:\.\d+)?)\s*分";
static AMOUNT_RE: LazyLock<Regex> = LazyLock::new(|| re(AMOUNT));
static CAP_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:(?:最高|最多)(?:扣|加)(?:除)?|(?:得扣分相抵后)?上限(?:为)?|扣完)\s*(\d+(?:\.\d+)?)\s*分(?:为止)?(?:[（(][^）)]*[）)])?$",
    )
});
static UNTIL_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:满分\d+(?:\.\d+)?分)?扣完(?:为止)?(?:[（(][^）)]*[）)])?$"));
static NUMBER_WORD: &str = r"(\d+|[一二两三四五六七八九十]+)";
static SHORTFALL_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^(.*?){NUMBER_WORD}\s*(次|个|项|家|篇|期)(.*?)[，,]\s*(?:[^，,]{{0,6}}?缺)?(?:每)?少\s*(?:一|1)\s*(?:次|个|项|家|篇|期)(?:项目)?[^，,]*?扣\s*(\d+(?:\.\d+)?)\s*分$"
    ))
});
static AT_LEAST_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^(.*?)(?:至少|不少于)\s*{NUMBER_WORD}\s*(次|个|项|家|篇|期)(.*?)[，,]\s*未[^，,]{{0,4}}?扣\s*(\d+(?:\.\d+)?)\s*分$"
    ))
});
static PER_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(.*?)(?:(?:每|一)(?:发现|有|出现|发生|实施|创建|洽谈|落地|漏报|迟报|超额完成|淘汰|新增)?\s*(?:一|1)?|(?:成功创建|创建|实施|淘汰|新增|超额完成|迟报|漏报)\s*(?:一|1)|1)\s*(个点次|点次|起|次|处|件|个|项|家|宗|天|例|座|人|条|所|块)([^，,；;。扣加]{0,30}?)[，,]?\s*(扣|加)\s*(\d+(?:\.\d+)?)\s*分$",
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
    let s = &["百分之百", "及以上部门", "级以上"]
        .iter()
        .fold(s.to_string(), |s, w| s.replace(w, ""));
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

/// The sentences of a 评分标准 text: cut at 。；; and line breaks, their
/// numbering (1. （2） ③) removed.
fn sentences(text: &str) -> Vec<String> {
    static ENUM: LazyLock<Regex> =
        LazyLock::new(|| re(r"^(?:\d+\s*[.．、]|[（(]\d+[)）]|[①-⑳])\s*"));
    text.split(['。', '；', ';', '\n'])
        .map(|s| ENUM.replace(s.trim(), "").trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Each sentence cut into fragments ending with an amount; a cap or
/// 扣完为止 goes with the fragment before it.
fn fragments(text: &str) -> Vec<Vec<String>> {
    let mut sentences = Vec::new();
    for sentence in self::sentences(text) {
        let mut out: Vec<String> = Vec::new();
        let mut pending = String::new();
        for piece in sentence.split(['，', ',']) {
            let piece = piece.trim();
            if piece.is_empty() {
                continue;
            }
            let amount = AMOUNT_RE.is_match(piece)
                || piece.contains("等量扣分")
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
        if self.progress(text, &mut rules) {
            return rules;
        }
        if let Some(parts) = self.parts(text) {
            return parts;
        }
        self.read_into(text, &mut rules);
        rules
    }

    /// The rules of a text, sentence by sentence, added to `rules`. A cap
    /// (最高扣x分) limits the sentence it ends: the one rule before it, or
    /// the rules since the sentence began (or since its last cap) as a
    /// part of their own.
    fn read_into(&mut self, text: &str, rules: &mut Rules) {
        let sentences = fragments(text);
        let count: usize = sentences.iter().map(Vec::len).sum();
        for sentence in sentences {
            if self.levels(&sentence, rules) {
                continue;
            }
            let mut since = (rules.clauses.len(), rules.pending.len());
            let mut per_last = false;
            for fragment in sentence {
                if UNTIL_RE.is_match(&fragment) {
                    rules.patterns.push(P_UNTIL);
                    continue;
                }
                if let Some(cap) = CAP_RE.captures(&fragment).and_then(|c| c.get(1)) {
                    let n = rules.clauses.len() - since.0;
                    let missed = rules.pending.len() > since.1;
                    if n == 1 && per_last && !missed {
                        if let Some(clause) = rules.clauses.last_mut() {
                            insert_cap(clause, cap.as_str());
                        }
                        rules.patterns.push(P_CAP);
                    } else if n >= 1 && !missed {
                        let block = rules.clauses.split_off(since.0).join("\n");
                        rules
                            .clauses
                            .push(format!("分项 最高 {} {{\n{block}\n}}", cap.as_str()));
                        rules.patterns.push(P_CAP);
                    } else {
                        rules.pending.push(fragment.clone());
                    }
                    since = (rules.clauses.len(), rules.pending.len());
                    per_last = false;
                    continue;
                }
                per_last = false;
                match self.fragment(&fragment, count, rules) {
                    Some((pattern, per)) => {
                        rules.patterns.push(pattern);
                        per_last = per;
                    }
                    None => {
                        // Words with no amount set the scene; no rule. But
                        // words that score (扣分, 计分) without a number
                        // are a rule not read.
                        static SCORING: LazyLock<Regex> =
                            LazyLock::new(|| re(r"扣分|加分|得分|计分|最高分"));
                        if AMOUNT_RE.is_match(&fragment)
                            || fragment.contains("不得分")
                            || fragment.contains("否决")
                            || fragment.contains("不合格")
                            || SCORING.is_match(&fragment)
                        {
                            rules.pending.push(fragment.clone());
                        }
                    }
                }
            }
        }
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
        let core = strip_note(f);
        if let Some(hit) = self.shape(core, f, rules) {
            return Some(hit);
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
            // A count of `what` (in a period, when one is given), and the
            // deduction for each one short of the number.
            let mut short_of = |me: &mut Self, period: &str| {
                let name = me.name(f, "count");
                rules.inputs.push(format!(
                    "数据 {name}: 计数 {unit} {}",
                    quoted(&format!("{period}{what}（{unit}数）"))
                ));
                rules
                    .clauses
                    .push(format!("扣 {amount} 每 {name} 低于 {need} {reason}"));
            };
            if before.contains("每季度") {
                for q in ["一", "二", "三", "四"] {
                    short_of(self, &format!("第{q}季度："));
                }
                return Some((P_QUARTERS, false));
            }
            if hedged(before.trim_start_matches("至少").trim_start_matches("每年"))
                && !before.starts_with("至少")
            {
                return None;
            }
            short_of(self, "");
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
        if let Some(c) = PER_RE.captures(core) {
            let before = c.get(1)?.as_str();
            let between = c.get(3)?.as_str();
            let sign = c.get(4)?.as_str();
            let amount = c.get(5)?.as_str();
            let unit = c.get(2)?.as_str().trim_start_matches('个');
            let unit = if unit.is_empty() { "个" } else { unit };
            let fits = match sign {
                "扣" => self.kind != Kind::Bonus,
                _ => self.kind == Kind::Bonus,
            };
            if fits && !hedged(before) && !hedged(between) {
                let name = self.name(f, "count");
                let what = format!(
                    "{}{}",
                    before.trim_end_matches(['，', ',', '的', '每']),
                    between.trim()
                );
                let what = if what.is_empty() {
                    AMOUNT_RE.replace(core, "").to_string()
                } else {
                    what
                };
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
        // 未形成每月有检查…的台账: a period in what is missed is part of it.
        let plain = if f.starts_with('未') {
            f.replacen("每月", "", 1).replacen("每季度", "", 1)
        } else {
            f.to_string()
        };
        if AMOUNT_RE.find_iter(f).count() > 1 || hedged(&plain) {
            return None;
        }
        let cond = AMOUNT_RE
            .replace(f, "")
            .replace("不得分", "")
            .trim_end_matches(['，', ',', '的', ' '])
            .to_string();
        // A count in the words (每…, 一次, 一家) is not a yes/no.
        static COUNTED: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"每(?:发现|有|出现|发生|实施|创建|新增|淘汰|超额|一|1|个|次|项|家|件|处|起|条)|[一1]\s*(?:次|个|家|项|件|处|起|条)",
            )
        });
        if cond.is_empty() || COUNTED.is_match(&cond) {
            return None;
        }
        // Several clauses: the last says what is missed, the others set
        // the scene (按要求完成…，推进…，未完成排查任务的).
        let cond = if cond.split('，').count() > 2 {
            let last = cond.rsplit('，').next().unwrap_or("").trim().to_string();
            if !["未", "存在", "辖区内存在", "无"]
                .iter()
                .any(|w| last.starts_with(w))
            {
                return None;
            }
            last
        } else {
            cond
        };
        match (sign.as_str(), self.kind) {
            ("扣", Kind::Base | Kind::Deduction) => {
                static UNMET: LazyLock<Regex> =
                    LazyLock::new(|| re(r"^(.*?)(?:未能|未|没有)(.+)$"));
                static LACKING: LazyLock<Regex> = LazyLock::new(|| re(r"^(.*?)无([^废论需法].*)$"));
                let unmet = UNMET
                    .captures(&cond)
                    .or_else(|| LACKING.captures(&cond))
                    .filter(|c| {
                        !c.get(1)
                            .is_some_and(|b| last_piece(b.as_str()).starts_with('对'))
                    });
                if self.any(&cond, f, &amount, rules) {
                    return Some((P_ANY, false));
                }
                if let Some(c) = unmet
                    && !cond.contains("或未")
                    && !c.get(2)?.as_str().contains('未')
                {
                    let lacking = !cond.contains('未') && !cond.contains("没有");
                    let positive = format!(
                        "{}{}{}",
                        c.get(1)?.as_str(),
                        if lacking { "有" } else { "" },
                        c.get(2)?.as_str()
                    );
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
                    let asked = if last_piece(&cond).starts_with('对') {
                        format!(
                            "是否存在{}的情况",
                            last_piece(&cond).trim_start_matches('对')
                        )
                    } else {
                        format!("是否{cond}")
                    };
                    rules
                        .inputs
                        .push(format!("数据 {name}: 是否 {}", quoted(&asked)));
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

/// The text after the last comma.
fn last_piece(s: &str) -> &str {
    s.rsplit(['，', ',']).next().unwrap_or(s).trim()
}

/// The rules one placeholder's sentence becomes, for the checker's
/// suggestion and the language service's quick fix: the input and clause
/// lines (Chinese keywords) and the pattern of the first rule; `None`
/// unless every part of the sentence was read and the rules need no change
/// to the item's head (`起评 0`). `taken` holds the names in use, and
/// gets the new ones.
pub(crate) fn recognise(
    sentence: &str,
    id: &str,
    kind: Kind,
    taken: &mut std::collections::HashSet<String>,
) -> Option<(Vec<String>, Vec<String>, &'static str)> {
    let rules = Reader {
        id,
        kind,
        points: None,
        used: taken,
    }
    .read(sentence);
    if !rules.pending.is_empty() || rules.clauses.is_empty() || rules.from_zero {
        return None;
    }
    let pattern = rules
        .patterns
        .iter()
        .find(|p| **p != P_CAP && **p != P_UNTIL)?;
    Some((rules.inputs, rules.clauses, pattern))
}

/// A fragment without a note in brackets at its end (（包含…）).
fn strip_note(f: &str) -> &str {
    let t = f.trim_end();
    if let Some(body) = t.strip_suffix('）').or_else(|| t.strip_suffix(')'))
        && let Some(open) = body.rfind(['（', '('])
    {
        return t.get(..open).unwrap_or(t).trim_end();
    }
    t
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

    /// Each shape beyond the first twelve, on a sentence of the 2024 table.
    #[test]
    fn the_further_shapes() {
        let base = |t: &str, p: &str| read(t, Kind::Base, Some(p));
        let bonus = |t: &str| read(t, Kind::Bonus, None);
        let cases: Vec<(Rules, &str)> = vec![
            (
                base("水质达标率低于90%扣4分，90%与100%之间按比例扣分。", "4"),
                "扣 分档 water_quality_1_1 {\n< 90% => 4\n>= 90% 且 < 100% => 线性 4 至 0\n>= 100% => 0\n}",
            ),
            (
                base(
                    "生态文明建设工作占党政实绩的考核比例达20%以上，未完成扣0.5分。",
                    "2",
                ),
                "扣 0.5 若 rate_1_1 < 20%",
            ),
            (
                base("正常运行率每降低5%扣1分，最高扣3分。", "3"),
                "扣 1 每 按整 5pp 计 rate_1_1 低于 100%, 最高 3",
            ),
            (
                base(
                    "系统上传检查记录比例未达到100%的，按差值扣分，每少1%扣0.02分。",
                    "2",
                ),
                "扣 0.02 每 连续 1pp 计 inspection_1_1 低于 100%",
            ),
            (
                base("未在《市计划》印发后45天内印发县计划扣1分。", "1"),
                "扣 1 除非 plan_1_1_2 且 plan_1_1_3 <= plan_1_1 + 45days",
            ),
            (
                bonus("制定替代计划，2024年5月底前完成加0.2分。"),
                "加 0.2 若 plan_1_1 且 plan_1_1_2 <= 2024-05-31",
            ),
            (
                bonus("每淘汰1蒸吨燃煤锅炉加0.2分。"),
                "加 0.2 每 连续 1t/h 计 amount_1_1",
            ),
            (
                base("辖区内存在违规新改扩建建设项目的，扣2分。", "2"),
                "扣 2 若 projects_1_1 > 0",
            ),
        ];
        for (rules, clause) in cases {
            assert!(rules.pending.is_empty(), "{rules:?}");
            assert!(
                rules.clauses.iter().any(|c| c.starts_with(clause)),
                "{clause}\n{rules:#?}"
            );
        }
        // Two awards before a cap: capped together, as a part.
        let r = bonus("成功创建1个国家级基地加1分，成功创建1个自治区级基地加0.5分，最高加1分。");
        assert!(
            r.clauses[0].starts_with("分项 最高 1 {\n加 1 每 "),
            "{r:#?}"
        );
        // Amounts by level: a list of records.
        let r = bonus("市级试点任务加0.5分，自治区级试点任务加1分，国家级试点任务加1.5分。");
        assert!(r.inputs[0].contains("列表"), "{r:#?}");
        assert!(r.clauses[0].contains("\"国家级\" => 1.5"), "{r:#?}");
        // A part earned by a rate, with its own points, and the rest.
        let r = base(
            "1.按完成率得分，满分为2分。\n2.迟报一次扣0.5分，满分2分扣完为止。",
            "4",
        );
        assert!(
            r.clauses[0].starts_with("分项 分值 2 起评 0 {\n加 2 * "),
            "{r:#?}"
        );
        assert!(
            r.clauses[1].starts_with("分项 分值 2 {\n扣 0.5 每 "),
            "{r:#?}"
        );
    }

    /// A count in a sentence is never read as a yes/no, and words that
    /// score without a number are left for a person, not dropped.
    #[test]
    fn counts_are_not_flags_and_scoring_words_are_kept() {
        let r = read("每实施一个治理项目，加分。", Kind::Bonus, None);
        assert!(r.clauses.is_empty() && r.pending.len() == 1, "{r:#?}");
        let r = read(
            "因平台办件被扣分的，按照平台扣分分值等量扣分；同一事项取最高分。",
            Kind::Base,
            Some("5"),
        );
        assert_eq!(r.clauses.len(), 1, "{r:#?}");
        assert_eq!(r.pending, vec!["同一事项取最高分".to_string()], "{r:#?}");
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
