//! The phrases beyond the first twelve (docs/import.md): gaps to a target
//! in steps or in a band, rates against a target, periods, deadlines,
//! changes on last year, quantities, amounts by level, items scored in
//! parts. Each is exact about its words; anything else stays a
//! placeholder.

use super::{Kind, Reader, Rules, quoted, re};
use regex::Regex;
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::LazyLock;

pub(super) const P_BAND: &str = "band with a linear stretch (低于A%扣x分，A%-B%按比例扣分)";
pub(super) const P_TARGET: &str = "rate against a target (达T%以上，未完成扣x分)";
pub(super) const P_STEP: &str = "per step of a gap (每少S%扣x分, 每低于1个百分点)";
pub(super) const P_PERIODS: &str = "per period shortfall (每2个月…，少一次扣x分)";
pub(super) const P_QUARTER_FLAGS: &str = "per quarter condition (每季度未…，一次扣x分)";
pub(super) const P_DEADLINE: &str = "days after a document (…印发后N天内，未…扣x分)";
pub(super) const P_BY_DATE: &str = "deadline (YYYY年M月底前完成加x分)";
pub(super) const P_TREND: &str = "change on last year (同比每下降S…加x分, 较上一年度增加扣x分)";
pub(super) const P_QUANTITY: &str = "per quantity (每淘汰1蒸吨/每新增1吨…加x分)";
pub(super) const P_LEVELS: &str = "amount by level (国家级…加a分，市级…加b分)";
pub(super) const P_EQUAL: &str = "points lost elsewhere (按…扣分分值等量扣分)";
pub(super) const P_PROGRESS: &str = "progress bands (达到T%的得P分，低于T%的按与T%的完成比例计分)";
pub(super) const P_ANY: &str = "any at all (存在…项目的，扣x分)";
pub(super) const P_PARTS: &str = "parts with their own points (按完成率得分，满分为P分)";

const X: &str = r"(\d+(?:\.\d+)?)";

/// The last clause of a text (after its last comma), without 的.
fn last_clause(s: &str) -> &str {
    s.rsplit(['，', ','])
        .next()
        .unwrap_or(s)
        .trim()
        .trim_end_matches('的')
}

/// A percentage as a kaohe literal (`90%`).
fn pct(s: &str) -> String {
    format!("{s}%")
}

fn dec(s: &str) -> Option<Decimal> {
    Decimal::from_str(s).ok()
}

impl Reader<'_> {
    /// The fragment `core` (its note in brackets removed; `f` is the whole
    /// fragment, kept as the reason) as one of these shapes.
    pub(super) fn shape(
        &mut self,
        core: &str,
        f: &str,
        rules: &mut Rules,
    ) -> Option<(&'static str, bool)> {
        let reason = quoted(f);
        let deducts = self.kind == Kind::Base || self.kind == Kind::Deduction;
        // 低于90%扣4分，90%与100%之间按比例扣分(，等于或高于100%的不扣分)
        static BAND: LazyLock<Regex> = LazyLock::new(|| {
            re(&format!(
                r"^(.*?)(?:低于|小于|未达到|不足)\s*{X}\s*[%％]\s*(?:的)?[，,]?\s*扣\s*{X}\s*分[，,]\s*{X}\s*[%％]?\s*(?:与|和|-|－|—|~|～|至|到)\s*{X}\s*[%％]\s*(?:之间)?(?:的)?按比例扣分(?:[，,]\s*(?:等于或高于|高于或等于|不低于|达到)\s*{X}\s*[%％](?:及以上)?(?:的)?不扣分)?$"
            ))
        });
        if let Some(c) = BAND.captures(core)
            && self.kind == Kind::Base
        {
            let (a, x, a2, b) = (
                c.get(2)?.as_str(),
                c.get(3)?.as_str(),
                c.get(4)?.as_str(),
                c.get(5)?.as_str(),
            );
            let same_b = c.get(6).is_none_or(|m| dec(m.as_str()) == dec(b));
            if dec(a) != dec(a2) || !same_b || dec(a)? >= dec(b)? {
                return None;
            }
            let what = last_clause(c.get(1)?.as_str());
            let name = self.name(f, "rate");
            rules
                .inputs
                .push(format!("数据 {name}: 比率 {}", quoted(what)));
            rules.clauses.push(format!(
                "扣 分档 {name} {{\n< {a} => {x}\n>= {a} 且 < {b} => 线性 {x} 至 0\n>= {b} => 0\n}} {reason}",
                a = pct(a),
                b = pct(b),
            ));
            return Some((P_BAND, false));
        }
        // 考核比例达20%以上，未完成扣0.5分 / 未完成…总数70%的整治任务扣1分
        static TARGET_A: LazyLock<Regex> = LazyLock::new(|| {
            re(&format!(
                r"^(.*?)(?:达|达到)\s*{X}\s*[%％]\s*(以上|及以上)?[，,]\s*未(?:完成|达到)?(?:的)?[，,]?\s*扣\s*{X}\s*分$"
            ))
        });
        static TARGET_B: LazyLock<Regex> = LazyLock::new(|| {
            re(&format!(
                r"^未(?:完成|达到)([^，,]*?){X}\s*[%％]\s*(以上)?([^，,%％]*?)(?:的)?\s*扣\s*{X}\s*分$"
            ))
        });
        let target = TARGET_A
            .captures(core)
            .map(|c| {
                (
                    last_clause(c.get(1).map_or("", |m| m.as_str())).to_string(),
                    c.get(2).map_or("", |m| m.as_str()).to_string(),
                    c.get(3).is_some(),
                    c.get(4).map_or("", |m| m.as_str()).to_string(),
                )
            })
            .or_else(|| {
                TARGET_B.captures(core).map(|c| {
                    let before = c.get(1).map_or("", |m| m.as_str()).trim_end_matches('的');
                    let after = c.get(4).map_or("", |m| m.as_str()).trim_start_matches('的');
                    (
                        format!("{before}{after}完成比例"),
                        c.get(2).map_or("", |m| m.as_str()).to_string(),
                        c.get(3).is_some(),
                        c.get(5).map_or("", |m| m.as_str()).to_string(),
                    )
                })
            });
        if let Some((what, t, above, x)) = target
            && deducts
            && !what.is_empty()
        {
            let name = self.name(f, "rate");
            // 100%以上: the share may pass 100%, so a number in %.
            if above && dec(&t)? >= Decimal::ONE_HUNDRED {
                rules.inputs.push(format!(
                    "数据 {name}: 数值 % {}",
                    quoted(&format!("{what}（可超过100%）"))
                ));
            } else {
                rules
                    .inputs
                    .push(format!("数据 {name}: 比率 {}", quoted(&what)));
            }
            rules
                .clauses
                .push(format!("扣 {x} 若 {name} < {} {reason}", pct(&t)));
            return Some((P_TARGET, false));
        }
        // …率每降低5%扣1分 / 比例未达到100%的，按差值扣分，每少1%扣0.02分
        static STEP: LazyLock<Regex> = LazyLock::new(|| {
            re(&format!(
                r"^(.*?)每(?:少|低于|降低|下降|减少)\s*{X}\s*(%|％|个百分点)[，,]?\s*扣\s*{X}\s*分$"
            ))
        });
        if let Some(c) = STEP.captures(core)
            && deducts
        {
            let before = c.get(1)?.as_str().trim_end_matches(['，', ',', '的']);
            let (step, x) = (c.get(2)?.as_str(), c.get(4)?.as_str());
            if before.contains('μ') || before.contains("目标值") || before.contains("高于") {
                return None;
            }
            static GOAL: LazyLock<Regex> =
                LazyLock::new(|| re(&format!(r"(?:低于|未达到|未达|不足)\s*{X}\s*[%％]")));
            let goals: Vec<_> = GOAL.captures_iter(before).collect();
            let (subject, goal) = match goals.as_slice() {
                [] => {
                    let s = before
                        .split(['，', ','])
                        .rev()
                        .find(|s| s.contains('率') || s.contains("比例"))
                        .unwrap_or_else(|| last_clause(before));
                    (s.to_string(), "100".to_string())
                }
                [g] => {
                    let at = g.get(0)?.start();
                    let s = before.get(..at)?;
                    (last_clause(s).to_string(), g.get(1)?.as_str().to_string())
                }
                _ => return None,
            };
            let subject = subject
                .trim_start_matches("未完成")
                .trim_start_matches("未达到")
                .trim()
                .to_string();
            if subject.is_empty() {
                return None;
            }
            let continuous = dec(step)? <= Decimal::ONE || before.contains("按差值");
            let how = if continuous { "连续" } else { "按整" };
            let parts: Vec<&str> = subject.split('、').collect();
            for part in &parts {
                let what = if part.contains('率') || part.contains("比例") {
                    (*part).to_string()
                } else {
                    format!("{part}完成率")
                };
                let name = self.name(f, "rate");
                rules
                    .inputs
                    .push(format!("数据 {name}: 比率 {}", quoted(&what)));
                rules.clauses.push(format!(
                    "扣 {x} 每 {how} {step}pp 计 {name} 低于 {} {reason}",
                    pct(&goal)
                ));
            }
            return Some((P_STEP, parts.len() == 1));
        }
        // 每季度未组织…的，一次扣0.5分
        static QUARTER_FLAGS: LazyLock<Regex> = LazyLock::new(|| {
            re(&format!(
                r"^每季度(?:未|没有)([^，,]+?)(?:的)?[，,]\s*(?:每次|一次)?扣\s*{X}\s*分$"
            ))
        });
        if let Some(c) = QUARTER_FLAGS.captures(core)
            && deducts
        {
            let (what, x) = (c.get(1)?.as_str(), c.get(2)?.as_str());
            for q in ["一", "二", "三", "四"] {
                let name = self.name(f, "done");
                rules.inputs.push(format!(
                    "数据 {name}: 是否 {}",
                    quoted(&format!("第{q}季度是否{what}"))
                ));
                rules.clauses.push(format!("扣 {x} 除非 {name} {reason}"));
            }
            return Some((P_QUARTER_FLAGS, false));
        }
        // 每季度开展…超过1次的，每多开展1次加0.1分
        static QUARTERS_ABOVE: LazyLock<Regex> = LazyLock::new(|| {
            re(&format!(
                r"^每季度([^，,]*?)超过\s*(\d+)\s*次(?:的)?[，,]\s*每多(?:开展)?\s*(?:一|1)\s*次[^，,]*?加\s*{X}\s*分$"
            ))
        });
        if let Some(c) = QUARTERS_ABOVE.captures(core)
            && self.kind == Kind::Bonus
        {
            let (what, n, x) = (c.get(1)?.as_str(), c.get(2)?.as_str(), c.get(3)?.as_str());
            for q in ["一", "二", "三", "四"] {
                let name = self.name(f, "count");
                rules.inputs.push(format!(
                    "数据 {name}: 计数 次 {}",
                    quoted(&format!("第{q}季度{what}的次数"))
                ));
                rules
                    .clauses
                    .push(format!("加 {x} 每 {name} 高于 {n} {reason}"));
            }
            return Some((P_PERIODS, false));
        }
        // 每2个月…开展…，少一次扣0.4分
        static PERIODS: LazyLock<Regex> = LazyLock::new(|| {
            re(&format!(
                r"^每(?:2|两|二)个月([^，,]*?)[，,]\s*(?:每)?少\s*(?:一|1)\s*次[^，,]*?扣\s*{X}\s*分$"
            ))
        });
        if let Some(c) = PERIODS.captures(core)
            && deducts
        {
            let (what, x) = (c.get(1)?.as_str(), c.get(2)?.as_str());
            for months in ["1–2月", "3–4月", "5–6月", "7–8月", "9–10月", "11–12月"]
            {
                let name = self.name(f, "count");
                rules.inputs.push(format!(
                    "数据 {name}: 计数 次 {}",
                    quoted(&format!("{months}{what}的次数"))
                ));
                rules
                    .clauses
                    .push(format!("扣 {x} 每 {name} 低于 1 {reason}"));
            }
            return Some((P_PERIODS, false));
        }
        // 未在《…》印发后45天内印发…扣1分 / 在…印发后45天内，未制定…的，扣2分
        static AFTER_A: LazyLock<Regex> = LazyLock::new(|| {
            re(&format!(
                r"^未在(.+?)印发后\s*(\d+)\s*天内(.+?)(?:的)?[，,]?\s*扣\s*{X}\s*分$"
            ))
        });
        static AFTER_B: LazyLock<Regex> = LazyLock::new(|| {
            re(&format!(
                r"^在(.+?)印发后\s*(\d+)\s*天内[，,]\s*未(.+?)(?:的)?[，,]?\s*扣\s*{X}\s*分$"
            ))
        });
        if let Some(c) = AFTER_A.captures(core).or_else(|| AFTER_B.captures(core))
            && deducts
        {
            let (doc, days, what, x) = (
                c.get(1)?.as_str(),
                c.get(2)?.as_str(),
                c.get(3)?.as_str(),
                c.get(4)?.as_str(),
            );
            let issued = self.name(doc, "issued");
            let done = self.name(what, "done");
            let date = self.name(what, "date");
            rules.inputs.push(format!(
                "数据 {issued}: 日期 {}",
                quoted(&format!("{doc}印发日期"))
            ));
            rules.inputs.push(format!(
                "数据 {done}: 是否 {}",
                quoted(&format!("是否{what}"))
            ));
            rules.inputs.push(format!(
                "数据 {date}: 日期 可缺 {}",
                quoted(&format!("{what}的日期（未完成则不填）"))
            ));
            rules.clauses.push(format!(
                "扣 {x} 除非 {done} 且 {date} <= {issued} + {days}days {reason}"
            ));
            return Some((P_DEADLINE, false));
        }
        // 制定…计划，2024年5月底前完成加0.2分
        static BY_DATE: LazyLock<Regex> = LazyLock::new(|| {
            re(&format!(
                r"^(.+?)[，,]\s*(\d{{4}})\s*年\s*(\d{{1,2}})\s*月(底|末|\d{{1,2}}日)前完成(?:的)?\s*加\s*{X}\s*分$"
            ))
        });
        if let Some(c) = BY_DATE.captures(core)
            && self.kind == Kind::Bonus
        {
            let what = c.get(1)?.as_str();
            let year: u32 = c.get(2)?.as_str().parse().ok()?;
            let month: u32 = c.get(3)?.as_str().parse().ok()?;
            let day_word = c.get(4)?.as_str();
            let x = c.get(5)?.as_str();
            let last = match month {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if year.is_multiple_of(4)
                    && (!year.is_multiple_of(100) || year.is_multiple_of(400)) =>
                {
                    29
                }
                2 => 28,
                _ => return None,
            };
            let day: u32 = match day_word {
                "底" | "末" => last,
                d => d.trim_end_matches('日').parse().ok()?,
            };
            if day == 0 || day > last {
                return None;
            }
            let done = self.name(what, "done");
            let date = self.name(what, "date");
            rules.inputs.push(format!(
                "数据 {done}: 是否 {}",
                quoted(&format!("是否已{what}"))
            ));
            rules.inputs.push(format!(
                "数据 {date}: 日期 可缺 {}",
                quoted(&format!("{what}的完成日期（未完成则不填）"))
            ));
            rules.clauses.push(format!(
                "加 {x} 若 {done} 且 {date} <= {year}-{month:02}-{day:02} {reason}"
            ));
            return Some((P_BY_DATE, false));
        }
        // …同比每下降0.1dB加0.1分
        static TREND_DOWN: LazyLock<Regex> = LazyLock::new(|| {
            re(&format!(
                r"^(.*?)同比每(?:下降|降低|减少|低)\s*{X}\s*(dB|μg/m3|μg/m³|ug/m3)\s*加\s*{X}\s*分$"
            ))
        });
        if let Some(c) = TREND_DOWN.captures(core)
            && self.kind == Kind::Bonus
        {
            let what = last_clause(c.get(1)?.as_str());
            let step = c.get(2)?.as_str();
            let unit = match c.get(3)?.as_str() {
                "dB" => "dB",
                _ => "μg/m³",
            };
            let x = c.get(4)?.as_str();
            let now = self.name(f, "this_year");
            let before = self.name(f, "last_year");
            rules.inputs.push(format!(
                "数据 {now}: 数值 {unit} {}",
                quoted(&format!("本年度{what}"))
            ));
            rules.inputs.push(format!(
                "数据 {before}: 数值 {unit} {}",
                quoted(&format!("上年度{what}"))
            ));
            rules.clauses.push(format!(
                "加 {x} 每 连续 {step}{unit} 计 {now} 低于 {before} {reason}"
            ));
            return Some((P_TREND, true));
        }
        // …贮存量较上一年度增加，扣1分
        static TREND_UP: LazyLock<Regex> = LazyLock::new(|| {
            re(&format!(
                r"^(.*?)较上一?年度?(?:增加|上升|升高)[，,]?\s*扣\s*{X}\s*分$"
            ))
        });
        if let Some(c) = TREND_UP.captures(core)
            && deducts
        {
            let what = last_clause(c.get(1)?.as_str()).trim_start_matches("辖区内");
            let x = c.get(2)?.as_str();
            if what.is_empty() {
                return None;
            }
            let now = self.name(f, "this_year");
            let before = self.name(f, "last_year");
            rules.inputs.push(format!(
                "数据 {now}: 数值 {}",
                quoted(&format!("{what}（本年度）"))
            ));
            rules.inputs.push(format!(
                "数据 {before}: 数值 {}",
                quoted(&format!("{what}（上一年度）"))
            ));
            rules
                .clauses
                .push(format!("扣 {x} 若 {now} > {before} {reason}"));
            return Some((P_TREND, false));
        }
        // 每淘汰1蒸吨燃煤锅炉加0.2分 / 每新增1吨VOCs减排量加0.1分
        static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
            re(&format!(
                r"^(.*?)每(淘汰|新增|减少|削减|完成)\s*{X}\s*(蒸吨|吨)([^，,]+?)\s*加\s*{X}\s*分$"
            ))
        });
        if let Some(c) = QUANTITY.captures(core)
            && self.kind == Kind::Bonus
        {
            let verb = c.get(2)?.as_str();
            let step = c.get(3)?.as_str();
            let unit = if c.get(4)?.as_str() == "蒸吨" {
                "t/h"
            } else {
                "t"
            };
            let what = c.get(5)?.as_str();
            let x = c.get(6)?.as_str();
            let name = self.name(f, "amount");
            rules.inputs.push(format!(
                "数据 {name}: 数值 {unit} {}",
                quoted(&format!("{verb}{what}的总量（{}）", c.get(4)?.as_str()))
            ));
            rules
                .clauses
                .push(format!("加 {x} 每 连续 {step}{unit} 计 {name} {reason}"));
            return Some((P_QUANTITY, true));
        }
        // …按照平台扣分分值等量扣分
        if core.ends_with("等量扣分") && deducts {
            let what = core.split(['，', ',']).next().unwrap_or(core);
            let name = self.name(f, "points");
            rules.inputs.push(format!(
                "数据 {name}: 数值 {}",
                quoted(&format!("{what}：被扣分值合计"))
            ));
            rules.clauses.push(format!("扣 {name} {reason}"));
            return Some((P_EQUAL, false));
        }
        None
    }

    /// 存在违规…项目的，扣2分: a count of them, the amount taken once if
    /// there is any.
    pub(super) fn any(&mut self, cond: &str, f: &str, amount: &str, rules: &mut Rules) -> bool {
        static ANY: LazyLock<Regex> =
            LazyLock::new(|| re(r"^(?:辖区内|辖区)?存在([^，,]+?)(项目|企业|问题|地块|单位)$"));
        let Some(c) = ANY.captures(cond) else {
            return false;
        };
        let (Some(what), Some(noun)) = (c.get(1), c.get(2)) else {
            return false;
        };
        let unit = match noun.as_str() {
            "企业" | "单位" => "家",
            "地块" => "块",
            _ => "个",
        };
        let name = self.name(f, "count");
        rules.inputs.push(format!(
            "数据 {name}: 计数 {unit} {}",
            quoted(&format!("{}{}数", what.as_str(), noun.as_str()))
        ));
        rules
            .clauses
            .push(format!("扣 {amount} 若 {name} > 0 {}", quoted(f)));
        true
    }

    /// 国家级…加1.5分，自治区级…加1分，市级…加0.5分 (a bonus): a list of
    /// records, each with its level.
    pub(super) fn levels(&mut self, sentence: &[String], rules: &mut Rules) -> bool {
        static LEVEL: LazyLock<Regex> = LazyLock::new(|| {
            re(&format!(
                r"(国家级|省部级|自治区级|省级|市厅级|市级|县级)(?:主要)?([^，,]*?)加\s*{X}\s*分$"
            ))
        });
        if self.kind != Kind::Bonus || sentence.len() < 2 {
            return false;
        }
        let mut rows: Vec<(String, String, String)> = Vec::new();
        for f in sentence {
            let last = f.rsplit(['，', ',']).next().unwrap_or(f);
            let Some(c) = LEVEL.captures(last) else {
                return false;
            };
            let (Some(l), Some(n), Some(x)) = (c.get(1), c.get(2), c.get(3)) else {
                return false;
            };
            if rows.iter().any(|r| r.0 == l.as_str()) {
                return false;
            }
            rows.push((l.as_str().into(), n.as_str().into(), x.as_str().into()));
        }
        let noun = rows.first().map(|r| r.1.clone()).unwrap_or_default();
        if noun.is_empty() || rows.iter().any(|r| r.1 != noun) {
            return false;
        }
        let whole = sentence.join("，");
        let name = self.name(&whole, "records");
        let levels: Vec<String> = rows.iter().map(|r| quoted(&r.0)).collect();
        rules.inputs.push(format!(
            "数据 {name}: 列表 {{\nmatter: 文本 \"事项\",\nlevel: 枚举 {{ {} }} \"级别\"\n}} {}",
            levels.join(", "),
            quoted(&format!("{noun}（每项一条记录）"))
        ));
        let arms: Vec<String> = rows
            .iter()
            .map(|(l, _, x)| format!("{} => {x}", quoted(l)))
            .collect();
        rules.clauses.push(format!(
            "加 逐个 r 属于 {name}: 按 r.level {{\n{}\n}} {}",
            arms.join("\n"),
            quoted(&whole)
        ));
        rules.patterns.push(P_LEVELS);
        true
    }

    /// 达到…80%的得2分；低于80%的，按与80%的完成比例计分 (the item's whole
    /// text): earned from 0 along the progress, none at or below 0.
    pub(super) fn progress(&mut self, text: &str, rules: &mut Rules) -> bool {
        static PROGRESS: LazyLock<Regex> = LazyLock::new(|| {
            re(&format!(
                r"^(.*?)达到(.*?){X}\s*[%％]的得\s*{X}\s*分[；;，,。]\s*低于\s*{X}\s*[%％]的[，,]\s*按与\s*{X}\s*[%％]的完成比例计分(?:[；;，,。]\s*[^；;。]*(?:≤|<=|小于等于)\s*0的[，,]?\s*该项不得分)?[。；;]?$"
            ))
        });
        let Some(c) = PROGRESS.captures(text.trim()) else {
            return false;
        };
        let (Some(subject), Some(t), Some(p), Some(t2), Some(t3)) =
            (c.get(1), c.get(3), c.get(4), c.get(5), c.get(6))
        else {
            return false;
        };
        let (t, p) = (t.as_str(), p.as_str());
        if self.kind != Kind::Base
            || self.points.and_then(dec) != dec(p)
            || dec(t) != dec(t2.as_str())
            || dec(t) != dec(t3.as_str())
        {
            return false;
        }
        let subject = subject.as_str().trim_end_matches(['，', ',']);
        let name = self.name(text, "progress");
        rules.inputs.push(format!(
            "数据 {name}: 数值 % {}",
            quoted(&format!("{subject}（占目标任务的比例，可为负）"))
        ));
        rules.clauses.push(format!(
            "加 分档 {name} {{\n<= 0% => 0\n> 0% 且 < {t}% => 线性 0 至 {p}\n>= {t}% => {p}\n}} {}",
            quoted(text.trim().trim_end_matches('。'))
        ));
        rules.from_zero = true;
        rules.patterns.push(P_PROGRESS);
        true
    }

    /// An item whose sentences give their own points (按完成率得分，满分为2分):
    /// a part for each such sentence, earned by its rate from 0, and one
    /// part of the points left for the other sentences.
    pub(super) fn parts(&mut self, text: &str) -> Option<Rules> {
        static OWN: LazyLock<Regex> =
            LazyLock::new(|| re(&format!(r"(?:满分为|满分|上限为|上限)\s*{X}\s*分")));
        if self.kind != Kind::Base {
            return None;
        }
        let total = self.points.and_then(dec)?;
        let sentences = super::sentences(text);
        let mut own: Vec<(usize, Decimal, &str)> = Vec::new();
        for (i, s) in sentences.iter().enumerate() {
            if super::PROPORTIONAL_RE.is_match(s)
                && let Some(c) = OWN.captures(s)
            {
                own.push((i, dec(c.get(1)?.as_str())?, c.get(1)?.as_str()));
            }
        }
        if own.is_empty() {
            return None;
        }
        let scored: Decimal = own.iter().map(|o| o.1).sum();
        let rest: Vec<&String> = (sentences.iter().enumerate())
            .filter(|(i, _)| !own.iter().any(|o| o.0 == *i))
            .map(|(_, s)| s)
            .collect();
        let left = total - scored;
        if left < Decimal::ZERO || (left == Decimal::ZERO && !rest.is_empty()) {
            return None;
        }
        let mut rules = Rules::default();
        for (i, _, p) in &own {
            let s = sentences.get(*i)?;
            let name = self.name(s, "rate");
            // What is done: the words before 按完成率, else the sentence before.
            let what = match s.split('按').next().unwrap_or("").trim() {
                "" => i
                    .checked_sub(1)
                    .and_then(|j| sentences.get(j))
                    .map_or("", |p| p.split(['，', ',']).next().unwrap_or(p)),
                w => w,
            };
            rules.inputs.push(format!(
                "数据 {name}: 比率 {}",
                quoted(&format!("{what}（完成率）"))
            ));
            rules.clauses.push(format!(
                "分项 分值 {p} 起评 0 {{\n加 {p} * {name} {}\n}}",
                quoted(s)
            ));
            rules.patterns.push(P_PARTS);
        }
        if left > Decimal::ZERO {
            let mut inner = Rules::default();
            let text: Vec<&str> = rest.iter().map(|s| s.as_str()).collect();
            let points = left.normalize().to_string();
            let mut sub = Reader {
                id: self.id,
                kind: Kind::Base,
                points: Some(&points),
                used: &mut *self.used,
            };
            sub.read_into(&text.join("。"), &mut inner);
            if inner.clauses.is_empty() {
                return None;
            }
            rules.inputs.append(&mut inner.inputs);
            rules.pending.append(&mut inner.pending);
            rules.patterns.append(&mut inner.patterns);
            rules.clauses.push(format!(
                "分项 分值 {points} {{\n{}\n}}",
                inner.clauses.join("\n")
            ));
        }
        Some(rules)
    }
}
