//! Charts of a scored dataset as SVG, drawn here in Rust for the
//! workbench (`kaohe serve`): the distribution of totals with the pass
//! mark and grade marks, the points lost by section and the points lost by
//! responsible unit. Every number written as a label is the exact decimal
//! (`fmt2`); the geometry is computed in decimals too and rounded to a
//! tenth of a pixel, so no float touches a figure. Every text from the
//! spec or the data is escaped; each chart has a `<title>` and a `<desc>`
//! that say in words what it shows, for screen readers.
//!
//! The sums come from the report's own functions: [`rollup::sections`]
//! and [`rollup::rollup`] per entity, added up over the entities
//! ([`unit_sums`]), never scored again.

use super::fmt2;
use super::rollup::{rollup, sections};
use crate::escape;
use crate::eval::Outcome;
use crate::ir::{Lang, Program, ResultRule};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt::Write;

/// The charts the workbench draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The distribution of totals.
    Totals,
    /// The points lost by section, over every entity.
    Sections,
    /// The points lost by responsible unit, over every entity.
    Units,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "totals" => Some(Kind::Totals),
            "sections" => Some(Kind::Sections),
            "units" => Some(Kind::Units),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Kind::Totals => "totals",
            Kind::Sections => "sections",
            Kind::Units => "units",
        }
    }

    pub const ALL: [Kind; 3] = [Kind::Totals, Kind::Sections, Kind::Units];
}

/// A chart of the outcomes, in the language given.
pub fn draw(kind: Kind, program: &Program, outcomes: &[&Outcome], lang: Lang) -> String {
    match kind {
        Kind::Totals => {
            let totals: Vec<Decimal> = outcomes.iter().map(|o| o.total).collect();
            distribution(program, &totals, lang)
        }
        Kind::Sections => lost_by_section(program, outcomes, lang),
        Kind::Units => lost_by_unit(program, outcomes, lang),
    }
}

/// One responsible unit's roll-up added up over the entities: the sums of
/// what [`rollup`] gives for each entity.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitSum {
    pub unit: String,
    /// Σ over the entities of the points at stake in its items.
    pub at_stake: Decimal,
    /// Σ over the entities of the points its items lost.
    pub lost: Decimal,
    /// How many entities lost points (or had a veto fire) in its items.
    pub entities_losing: usize,
    /// How many times a veto attributed to it fired.
    pub vetoes: usize,
}

/// Each responsible unit's roll-up over every entity, in the order the
/// table first names the units.
pub fn unit_sums(program: &Program, outcomes: &[&Outcome]) -> Vec<UnitSum> {
    let mut sums: Vec<UnitSum> = Vec::new();
    for o in outcomes {
        for u in rollup(program, o) {
            let at = match sums.iter().position(|s| s.unit == u.unit) {
                Some(at) => at,
                None => {
                    sums.push(UnitSum {
                        unit: u.unit.to_string(),
                        at_stake: Decimal::ZERO,
                        lost: Decimal::ZERO,
                        entities_losing: 0,
                        vetoes: 0,
                    });
                    sums.len() - 1
                }
            };
            if let Some(s) = sums.get_mut(at) {
                s.at_stake += u.at_stake;
                s.lost += u.lost;
                s.vetoes += u.vetoed.len();
                if !u.lost.is_zero() || !u.vetoed.is_empty() {
                    s.entities_losing += 1;
                }
            }
        }
    }
    sums
}

struct Words {
    totals: &'static str,
    sections: &'static str,
    units: &'static str,
    entities: &'static str,
    none: &'static str,
    lost: &'static str,
    bins: &'static str,
    nobody_lost: &'static str,
}

const ZH: Words = Words {
    totals: "总分分布",
    sections: "各部分失分",
    units: "各责任单位失分",
    entities: "个被考核单位",
    none: "没有可画的数据",
    lost: "失分",
    bins: "每档含下限、不含上限（最后一档含上限）",
    nobody_lost: "各项均未失分",
};

const EN: Words = Words {
    totals: "Distribution of totals",
    sections: "Points lost by section",
    units: "Points lost by responsible unit",
    entities: "assessed units",
    none: "nothing to draw",
    lost: "lost",
    bins: "each bin includes its lower bound, not its upper (the last includes both)",
    nobody_lost: "no item lost points",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

const FONT: &str = "font-family=\"'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif\"";

/// A coordinate: a decimal rounded to a tenth of a pixel, written plainly.
fn px(d: Decimal) -> String {
    d.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
        .to_string()
}

/// A mark or a bin's edge as written: the decimal without trailing zeros.
fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

fn open(s: &mut String, kind: Kind, width: u32, height: u32, title: &str, desc: &str) {
    let k = kind.key();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"kaohe-{k}-title kaohe-{k}-desc\" {FONT} font-size=\"13\">\n<title id=\"kaohe-{k}-title\">{}</title>\n<desc id=\"kaohe-{k}-desc\">{}</desc>\n<rect width=\"{width}\" height=\"{height}\" fill=\"#fff\"/>\n<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{}</text>\n",
        escape::html(title),
        escape::html(desc),
        escape::html(title),
    );
}

/// A step for about ten bins over `span`: 1, 2, 2.5 or 5 times a power of ten.
fn step_for(span: Decimal) -> Decimal {
    let mut unit = Decimal::new(1, 2);
    loop {
        for m in [
            Decimal::ONE,
            Decimal::TWO,
            Decimal::new(25, 1),
            Decimal::from(5),
        ] {
            let step = unit * m;
            if span / step <= Decimal::TEN {
                return step;
            }
        }
        match unit.checked_mul(Decimal::TEN) {
            Some(u) => unit = u,
            None => return span.max(Decimal::ONE),
        }
    }
}

/// The marks a total is read against: each pass mark and each grade's
/// mark of the named results, with what reaching it means.
fn marks(program: &Program) -> Vec<(Decimal, String)> {
    let mut out = Vec::new();
    for r in &program.header.results {
        match &r.rule {
            ResultRule::PassMark { mark, .. } => {
                out.push((*mark, format!("{} ≥ {}", r.name, plain(*mark))));
            }
            ResultRule::Grade { steps, .. } => {
                for (label, mark) in steps {
                    out.push((*mark, format!("{label} ≥ {}", plain(*mark))));
                }
            }
            _ => {}
        }
    }
    out
}

/// The distribution of totals: bins of a round width (1, 2, 2.5 or 5
/// times a power of ten) between the lowest and the highest total, the
/// count of each above its bar, and a dashed line at each pass or grade
/// mark that falls within.
pub fn distribution(program: &Program, totals: &[Decimal], lang: Lang) -> String {
    let w = words(lang);
    let (Some(lo), Some(hi)) = (totals.iter().min(), totals.iter().max()) else {
        let mut s = String::new();
        open(&mut s, Kind::Totals, 640, 80, w.totals, w.none);
        let _ = write!(s, "<text x=\"10\" y=\"55\">{}</text>\n</svg>\n", w.none);
        return s;
    };
    let span = (hi.ceil() - lo.floor()).max(Decimal::ONE);
    let step = step_for(span);
    let start = (lo / step).floor() * step;
    let count = ((*hi - start) / step)
        .ceil()
        .to_usize()
        .unwrap_or(1)
        .clamp(1, 40);
    let mut bins: Vec<(Decimal, Decimal, usize)> = (0..count)
        .map(|i| {
            let a = start + step * Decimal::from(i);
            (a, a + step, 0)
        })
        .collect();
    for t in totals {
        let i = ((*t - start) / step).floor().to_usize().unwrap_or(0);
        if let Some(b) = bins.get_mut(i.min(count - 1)) {
            b.2 += 1;
        }
    }
    let n_bins = bins.len();
    let most = bins.iter().map(|b| b.2).max().unwrap_or(1).max(1);
    let (left, top, plot_h, bar_w, gap) = (50u32, 60u32, 200u32, 56u32, 4u32);
    let n = u32::try_from(n_bins).unwrap_or(1);
    // Wide enough for the line under the title, however few the bins.
    let width = (left + n * (bar_w + gap) + 40).max(420);
    let height = top + plot_h + 50;
    let desc = {
        let counts: Vec<String> = bins
            .iter()
            .map(|(a, b, c)| format!("{}–{}: {c}", plain(*a), plain(*b)))
            .collect();
        match lang {
            Lang::Zh => format!(
                "共 {} {}，最低 {}，最高 {}；{}。{}",
                totals.len(),
                w.entities,
                fmt2(*lo),
                fmt2(*hi),
                counts.join("，"),
                w.bins
            ),
            Lang::En => format!(
                "{} {}, lowest {}, highest {}; {}. {}",
                totals.len(),
                w.entities,
                fmt2(*lo),
                fmt2(*hi),
                counts.join(", "),
                w.bins
            ),
        }
    };
    let mut s = String::new();
    open(&mut s, Kind::Totals, width, height, w.totals, &desc);
    let sub = match lang {
        Lang::Zh => format!(
            "共 {} {}，最低 {}，最高 {}",
            totals.len(),
            w.entities,
            fmt2(*lo),
            fmt2(*hi)
        ),
        Lang::En => format!(
            "{} {}, lowest {}, highest {}",
            totals.len(),
            w.entities,
            fmt2(*lo),
            fmt2(*hi)
        ),
    };
    let _ = writeln!(
        s,
        "<text x=\"10\" y=\"42\" fill=\"#555\">{}</text>",
        escape::html(&sub)
    );
    let base = Decimal::from(top + plot_h);
    let _ = writeln!(
        s,
        "<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#888\"/>",
        px(base),
        width - 30,
        px(base)
    );
    for (i, (a, b, c)) in bins.iter().enumerate() {
        let i = u32::try_from(i).unwrap_or(0);
        let x = Decimal::from(left + i * (bar_w + gap));
        let h = Decimal::from(plot_h) * Decimal::from(*c) / Decimal::from(most);
        let mid = x + Decimal::from(bar_w) / Decimal::TWO;
        let _ = writeln!(
            s,
            "<g><title>{}–{}: {c}</title><rect x=\"{}\" y=\"{}\" width=\"{bar_w}\" height=\"{}\" fill=\"#3465a4\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{c}</text><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}–{}</text></g>",
            plain(*a),
            plain(*b),
            px(x),
            px(base - h),
            px(h),
            px(mid),
            px(base - h - Decimal::from(4)),
            px(mid),
            px(base + Decimal::from(18)),
            plain(*a),
            plain(*b),
        );
    }
    let full = Decimal::from(n * (bar_w + gap));
    let end = start + step * Decimal::from(n);
    let mut row = 0u32;
    for (mark, label) in marks(program) {
        if mark < start || mark > end {
            continue;
        }
        let x = Decimal::from(left) + full * (mark - start) / (end - start);
        let y = top - 4 + row * 14;
        row = (row + 1) % 3;
        let _ = writeln!(
            s,
            "<g><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#c62828\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/><text x=\"{}\" y=\"{}\" fill=\"#c62828\" font-size=\"12\">{}</text></g>",
            px(x),
            top - 10,
            px(x),
            px(base),
            px(x + Decimal::from(4)),
            y + 8,
            escape::html(&label)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// About how wide a text is drawn at 13 px: a CJK character is a square,
/// a Latin one about half.
fn text_width(s: &str) -> u32 {
    s.chars().map(|c| if c.is_ascii() { 7 } else { 13 }).sum()
}

/// A label cut to at most `max` pixels wide, with "…" when cut.
fn cut(s: &str, max: u32) -> String {
    if text_width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 13;
    for c in s.chars() {
        w += if c.is_ascii() { 7 } else { 13 };
        if w > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Horizontal bars, one per row, the exact amount written after each.
fn bars(kind: Kind, title: &str, desc: &str, rows: &[(String, Decimal)], lang: Lang) -> String {
    let w = words(lang);
    let label_w = rows
        .iter()
        .map(|(l, _)| text_width(l))
        .max()
        .unwrap_or(0)
        .clamp(60, 300)
        + 10;
    let (top, row_h, plot_w) = (40u32, 26u32, 420u32);
    let n = u32::try_from(rows.len()).unwrap_or(0);
    let width = 10 + label_w + plot_w + 80;
    let height = top + n.max(1) * row_h + 12;
    let mut s = String::new();
    open(&mut s, kind, width, height, title, desc);
    if rows.is_empty() {
        let _ = write!(s, "<text x=\"10\" y=\"58\">{}</text>\n</svg>\n", w.none);
        return s;
    }
    let most = rows
        .iter()
        .map(|r| r.1)
        .max()
        .unwrap_or(Decimal::ZERO)
        .max(Decimal::ZERO);
    for (i, (label, amount)) in rows.iter().enumerate() {
        let i = u32::try_from(i).unwrap_or(0);
        let y = top + i * row_h;
        let len = if most.is_zero() {
            Decimal::ZERO
        } else {
            Decimal::from(plot_w) * amount.max(&Decimal::ZERO) / most
        };
        let x0 = 10 + label_w;
        let _ = writeln!(
            s,
            "<g><title>{}: {}</title><text x=\"10\" y=\"{}\">{}</text><rect x=\"{x0}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#c0504d\"/><text x=\"{}\" y=\"{}\">{}</text></g>",
            escape::html(label),
            fmt2(*amount),
            y + 17,
            escape::html(&cut(label, label_w - 10)),
            y + 4,
            px(len),
            row_h - 8,
            px(Decimal::from(x0) + len + Decimal::from(6)),
            y + 17,
            fmt2(*amount)
        );
    }
    s.push_str("</svg>\n");
    s
}

fn described(rows: &[(String, Decimal)], n: usize, lang: Lang) -> String {
    let w = words(lang);
    let sep = if lang == Lang::Zh { "，" } else { ", " };
    let listed: Vec<String> = rows
        .iter()
        .map(|(l, d)| format!("{l} {}", fmt2(*d)))
        .collect();
    let all_zero = rows.iter().all(|r| r.1.is_zero());
    let body = if all_zero {
        w.nobody_lost.to_string()
    } else {
        listed.join(sep)
    };
    match lang {
        Lang::Zh => format!("{n} {}的{}合计：{body}", w.entities, w.lost),
        Lang::En => format!("points {} over {n} {}: {body}", w.lost, w.entities),
    }
}

/// The points lost in each section (一级指标), added up over the
/// entities, in the table's order.
pub fn lost_by_section(program: &Program, outcomes: &[&Outcome], lang: Lang) -> String {
    let mut rows: Vec<(String, Decimal)> = (program.headings.iter())
        .filter(|h| h.parent.is_none())
        .map(|s| (format!("{} {}", s.label, s.title), Decimal::ZERO))
        .collect();
    for o in outcomes {
        for (row, (_, _, _, lost)) in rows.iter_mut().zip(sections(program, o)) {
            row.1 += lost;
        }
    }
    let title = words(lang).sections;
    let desc = described(&rows, outcomes.len(), lang);
    bars(Kind::Sections, title, &desc, &rows, lang)
}

/// The points lost by each responsible unit, added up over the
/// entities ([`unit_sums`]), most first (ties in the table's order).
pub fn lost_by_unit(program: &Program, outcomes: &[&Outcome], lang: Lang) -> String {
    let mut rows: Vec<(String, Decimal)> = unit_sums(program, outcomes)
        .into_iter()
        .map(|u| (u.unit, u.lost))
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    let title = words(lang).units;
    let desc = described(&rows, outcomes.len(), lang);
    bars(Kind::Units, title, &desc, &rows, lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::from_json;
    use crate::eval::evaluate;

    fn program(text: &str) -> Program {
        let c = crate::service::Analysis::new(text).into_compiled();
        c.program.unwrap_or_else(|| panic!("{:?}", c.diagnostics))
    }

    const SPEC: &str = r#"考核表 "图表 <测试>" {
  年度 2024
  总分 100
  结果 "是否达标" 合格线 60
}

一级指标 1 "党建 & 作风" {
  二级指标 1 "组织" {
    考核事项 1.1 "学习" 分值 40 {
      责任单位 "组织部"
      数据 a: 计数 次 "学习次数"
      扣 10 每 a 低于 4 "少一次扣10分"
    }
  }
}

一级指标 2 "经济" {
  二级指标 2 "发展" {
    考核事项 2.1 "项目" 分值 60 {
      责任单位 "发改局"、"组织部"
      数据 b: 是否 "是否完成"
      扣 60 除非 b "未完成扣60分"
    }
  }
}
"#;

    fn scored(p: &Program, data: &str) -> Vec<Outcome<'static>> {
        let p: &'static Program = Box::leak(Box::new(p.clone()));
        let (entities, diags) = from_json(p, data, "d.json");
        assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
        entities.iter().map(|e| evaluate(p, e).unwrap()).collect()
    }

    #[test]
    fn steps_are_round() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(step_for(d("100")), d("10"));
        assert_eq!(step_for(d("7")), d("1"));
        assert_eq!(step_for(d("23")), d("2.5"));
        assert_eq!(step_for(d("1")), d("0.1"));
    }

    #[test]
    fn the_three_charts_of_a_small_dataset() {
        let p = program(SPEC);
        let data = r#"[
          {"id": "甲县", "a": 4, "b": true},
          {"id": "乙县", "a": 2, "b": true},
          {"id": "丙<县>", "a": 1, "b": false},
          {"id": "丁县", "a": 0, "b": false}
        ]"#;
        let outcomes = scored(&p, data);
        let refs: Vec<&Outcome> = outcomes.iter().collect();
        let totals = draw(Kind::Totals, &p, &refs, Lang::Zh);
        insta::assert_snapshot!("chart_totals_zh", totals);
        let sections = draw(Kind::Sections, &p, &refs, Lang::Zh);
        insta::assert_snapshot!("chart_sections_zh", sections);
        let units = draw(Kind::Units, &p, &refs, Lang::Zh);
        insta::assert_snapshot!("chart_units_zh", units);
        let en = draw(Kind::Units, &p, &refs, Lang::En);
        insta::assert_snapshot!("chart_units_en", en);
        // Escaped: the spec's title and the data's ids never as markup.
        for svg in [&totals, &sections, &units] {
            assert!(
                !svg.contains("<县>") && !svg.contains("党建 & 作风"),
                "{svg}"
            );
        }
        // The sums are the roll-up's: 组织部 loses 1.1's points of each
        // entity (0 + 20 + 30 + 40) and, shared, 2.1's of 丙 and 丁 (60 + 60).
        let sums = unit_sums(&p, &refs);
        let org = sums.iter().find(|s| s.unit == "组织部").unwrap();
        assert_eq!(org.lost, Decimal::from(210));
        assert_eq!(org.entities_losing, 3);
        assert!(units.contains(">210.00<"), "{units}");
    }

    #[test]
    fn no_entity_draws_a_note_not_a_broken_chart() {
        let p = program(SPEC);
        let svg = draw(Kind::Totals, &p, &[], Lang::En);
        assert!(svg.contains("nothing to draw") && svg.ends_with("</svg>\n"));
        let svg = draw(Kind::Units, &p, &[], Lang::Zh);
        assert!(svg.contains("各项均未失分") && svg.ends_with("</svg>\n"));
    }

    #[test]
    fn one_total_or_equal_totals_make_one_bin() {
        let p = program(SPEC);
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let svg = distribution(&p, &[d("75.5"), d("75.5")], Lang::Zh);
        assert!(svg.contains(">2</text>"), "{svg}");
        let svg = distribution(&p, &[d("100")], Lang::Zh);
        assert!(svg.contains(">1</text>"), "{svg}");
    }
}
