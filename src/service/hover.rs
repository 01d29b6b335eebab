//! Hover: what the name or keyword under the cursor is.

use super::index::Symbol;
use super::keywords;
use super::{Analysis, Range};
use crate::diagnostic::{Lang, Text};
use crate::parse::ast;
use crate::source::Span;
use crate::t;
use serde::Serialize;

/// What is at the cursor, as data and as Markdown in the analysis's language.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hover {
    /// The word the answer is about.
    pub range: Range,
    pub info: HoverInfo,
    pub markdown: String,
}

/// What a hover is about.
/// A row of a standard by class, as written.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StandardRow {
    /// The class's value; `None` for `else` (否则).
    pub class: Option<String>,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HoverInfo {
    Item {
        id: String,
        title: String,
        /// How it is scored as the spec writes it: `分值 3`, `扣分项`…
        scored: String,
        /// Its points when it is a scored item.
        points: Option<String>,
        responsible: Vec<String>,
        /// Its lead unit (牵头单位), when it names one.
        lead: Option<String>,
        /// Its supporting units (配合单位).
        supporting: Vec<String>,
        /// The 评分标准 as written in the spec.
        rule: Option<String>,
        /// The 评分标准 generated from the formal rule (when the spec checks).
        generated_rule: Option<String>,
    },
    Input {
        name: String,
        /// The type as written, such as `计数 次`.
        ty: String,
        unit: Option<String>,
        description: Option<String>,
        optional: bool,
        /// The ids of the items that read it, in text order.
        used_in: Vec<String>,
        uses: usize,
    },
    Enum {
        name: String,
        values: Vec<String>,
        uses: usize,
    },
    Field {
        /// The list input whose records have the field.
        list: String,
        name: String,
        /// The type as written.
        ty: String,
        description: Option<String>,
        uses: usize,
    },
    EnumValue {
        enumeration: String,
        value: String,
        uses: usize,
    },
    /// A standard by class (`standard NAME by CLASS { … }`).
    Standard {
        name: String,
        description: Option<String>,
        /// The enumeration input that gives each unit's class.
        class: String,
        /// Its rows as written: the class's value (`None` for `else`) and
        /// the standard's value.
        rows: Vec<StandardRow>,
        /// The unit of its values (`%`, `pp`, a named unit), once checked.
        unit: Option<String>,
        uses: usize,
    },
    /// A section's or indicator's heading: its declared points and what its
    /// children add up to.
    Heading {
        id: String,
        title: String,
        /// Its level's name (`section`, `indicator`, a third- or
        /// fourth-level indicator).
        level: String,
        /// Its points as declared (`score 40`, 分值 40).
        points: Option<String>,
        /// `children sum 38` (下级合计 38), when declared.
        children_declared: Option<String>,
        /// What its children's points add up to: an indicator's scored
        /// items; a section's indicators (their declared points, or else
        /// their scored items).
        children_sum: String,
        /// Its ceiling on what it loses (`deduction at most 6`, 扣分项 最高
        /// 6), when declared.
        #[serde(skip_serializing_if = "Option::is_none")]
        limit: Option<String>,
        /// Its ceiling on its bonuses (`bonus at most 2`), when declared.
        #[serde(skip_serializing_if = "Option::is_none")]
        bonus_limit: Option<String>,
    },
    /// A named result of the header (`result "等次" …`).
    Result {
        name: String,
        /// Its rule in words, as the 说明 under the table states it (once
        /// checked).
        rule: Option<String>,
    },
    Keyword {
        en: String,
        zh: String,
        meaning_en: String,
        meaning_zh: String,
    },
}

impl Analysis {
    /// What the input, enumeration, value, item, field, standard, heading,
    /// named result or keyword at `offset` is.
    pub fn hover(&self, offset: usize) -> Option<Hover> {
        let (info, span) = match self.symbol_at(offset) {
            Some((symbol, span)) => (self.symbol_info(symbol)?, span),
            None => self.keyword_at(offset)?,
        };
        let markdown = markdown(&info, self.lang());
        Some(Hover {
            range: self.range(span),
            info,
            markdown,
        })
    }

    fn symbol_info(&self, symbol: Symbol) -> Option<HoverInfo> {
        let ix = &self.index;
        let uses = ix.of(symbol).filter(|o| !o.declaration).count();
        Some(match symbol {
            Symbol::Input(n) => {
                let decl = &ix.inputs.get(n)?.decl;
                let (ty_span, unit) = type_span(&decl.ty);
                let mut used_in: Vec<String> = Vec::new();
                for o in ix.of(symbol).filter(|o| !o.declaration) {
                    let item = ix.items.iter().find(|i| contains(i.span, o.span));
                    if let Some(id) = item.map(|i| i.label.text.clone())
                        && !used_in.contains(&id)
                    {
                        used_in.push(id);
                    }
                }
                HoverInfo::Input {
                    name: decl.name.text.clone(),
                    ty: self.written(ty_span),
                    unit,
                    description: decl.description.as_ref().map(|d| d.value.clone()),
                    optional: decl.optional,
                    used_in,
                    uses,
                }
            }
            Symbol::Enum(n) => {
                let e = ix.enums.get(n)?;
                HoverInfo::Enum {
                    name: e.name.text.clone(),
                    values: e.variants.iter().map(|v| v.value.clone()).collect(),
                    uses,
                }
            }
            Symbol::Variant(n, v) => {
                let e = ix.enums.get(n)?;
                HoverInfo::EnumValue {
                    enumeration: e.name.text.clone(),
                    value: e.variants.get(v)?.value.clone(),
                    uses,
                }
            }
            Symbol::Item(n) => self.item_info(n)?,
            Symbol::Standard(n) => self.standard_info(n, uses)?,
            Symbol::Heading(n) => self.heading_info(n)?,
            Symbol::Result(n) => {
                let decl = self.ast.as_ref()?.header.as_ref()?.results.get(n)?;
                let rule = self.program().and_then(|p| {
                    let r = p
                        .header
                        .results
                        .iter()
                        .find(|r| r.name == decl.name.value)?;
                    Some(crate::render::rule_text::named_result(r))
                });
                HoverInfo::Result {
                    name: decl.name.value.clone(),
                    rule,
                }
            }
            Symbol::Field(n, f) => {
                let decl = &ix.inputs.get(n)?.decl;
                let ast::TypeExpr::List(fields, _) = &decl.ty else {
                    return None;
                };
                let field = fields.get(f)?;
                let (ty_span, _) = scalar_span(&field.ty);
                HoverInfo::Field {
                    list: decl.name.text.clone(),
                    name: field.name.text.clone(),
                    ty: self.written(ty_span),
                    description: field.description.as_ref().map(|d| d.value.clone()),
                    uses,
                }
            }
        })
    }

    fn item_info(&self, n: usize) -> Option<HoverInfo> {
        let at = self.index.items.get(n)?;
        let items = self.ast.as_ref()?.items();
        let (_, item) = items.get(at.item)?;
        let (scored, points) = match &item.kind {
            Some(ast::ItemKind::Score { max, span, .. }) => {
                (self.written(*span), Some(max.normalize().to_string()))
            }
            Some(
                ast::ItemKind::Deduction(span)
                | ast::ItemKind::Bonus(span)
                | ast::ItemKind::Veto(span),
            ) => (self.written(*span), None),
            None => (String::new(), None),
        };
        // The checked item, found by where it is written (ids repeat
        // across indicators); its key is what data and reports call it.
        let checked = self.program().and_then(|p| {
            let it = (p.items.iter()).find(|i| i.span == item.label.span.to(item.title.span))?;
            Some((crate::render::rule_text::item_text(p, it), it.id.clone()))
        });
        let (generated_rule, id) = match checked {
            Some((rule, key)) => (Some(rule), key),
            None => (None, item.label.text.clone()),
        };
        Some(HoverInfo::Item {
            id,
            title: item.title.value.clone(),
            scored,
            points,
            responsible: item
                .meta
                .responsible
                .iter()
                .map(|r| r.value.clone())
                .collect(),
            lead: item.meta.lead.as_ref().map(|(t, _)| t.value.clone()),
            supporting: (item.meta.supporting.iter())
                .flat_map(|(v, _)| v)
                .map(|t| t.value.clone())
                .collect(),
            rule: item.meta.rule.as_ref().map(|r| r.value.clone()),
            generated_rule,
        })
    }

    fn standard_info(&self, n: usize, uses: usize) -> Option<HoverInfo> {
        let st = self.index.standards.get(n)?;
        let rows = (st.rows.iter())
            .map(|row| StandardRow {
                class: row.pattern.as_ref().map(|p| p.value.clone()),
                value: self.written(row.value.span),
            })
            .collect();
        let unit = self.program().and_then(|p| {
            let ir = p.standards.iter().find(|s| s.name == st.name.text)?;
            unit_of(&ir.ty, self.lang())
        });
        Some(HoverInfo::Standard {
            name: st.name.text.clone(),
            description: st.description.as_ref().map(|d| d.value.clone()),
            class: st.class.text.clone(),
            rows,
            unit,
            uses,
        })
    }

    /// A heading's points as declared and what its children add up to.
    fn heading_info(&self, n: usize) -> Option<HoverInfo> {
        let headings = self.ast.as_ref()?.headings();
        let h = *headings.get(n)?;
        // What a heading's children add up to: its base items' points, or
        // its headings' (declared, else their children's).
        fn worth(h: &ast::Heading) -> rust_decimal::Decimal {
            h.points.as_ref().map_or_else(|| children(h), |p| p.points)
        }
        fn children(h: &ast::Heading) -> rust_decimal::Decimal {
            let items = (h.items.iter()).filter_map(|it| match &it.kind {
                Some(ast::ItemKind::Score { max, .. }) => Some(*max),
                _ => None,
            });
            items.chain(h.headings.iter().map(worth)).sum()
        }
        let level = match h.level {
            1 => t!("section", "一级指标"),
            2 => t!("indicator", "二级指标"),
            3 => t!("third-level indicator", "三级指标"),
            _ => t!("fourth-level indicator", "四级指标"),
        };
        let points = &h.points;
        Some(HoverInfo::Heading {
            id: h.label.text.clone(),
            title: h.title.value.clone(),
            level: level.get(self.lang()).to_string(),
            points: points.as_ref().map(|p| p.points.normalize().to_string()),
            children_declared: (points.as_ref())
                .and_then(|p| p.children.as_ref())
                .map(|(d, _)| d.normalize().to_string()),
            children_sum: children(h).normalize().to_string(),
            limit: h.deduction_cap.map(|(c, _)| c.normalize().to_string()),
            bonus_limit: h.bonus_cap.map(|(c, _)| c.normalize().to_string()),
        })
    }

    /// The text at `span` on one line.
    fn written(&self, span: Span) -> String {
        let text = self.text().get(span.start..span.end).unwrap_or("");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The keyword at `offset`, outside texts and comments: the longest
    /// spelling of either set that stands whole around it.
    fn keyword_at(&self, offset: usize) -> Option<(HoverInfo, Span)> {
        let text = self.text();
        let line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
        if super::scan::in_text_or_comment(text.get(line_start..offset)?) {
            return None;
        }
        let mut best: Option<(keywords::Keyword, Span)> = None;
        for kw in keywords::all() {
            for word in [kw.en, kw.zh] {
                let Some(span) = word_around(text, offset, word) else {
                    continue;
                };
                if best.is_none_or(|(_, b)| span.end - span.start > b.end - b.start) {
                    best = Some((kw, span));
                }
            }
        }
        let (kw, span) = best?;
        let meaning = keywords::meaning(kw.rule);
        Some((
            HoverInfo::Keyword {
                en: kw.en.to_string(),
                zh: kw.zh.to_string(),
                meaning_en: meaning.en,
                meaning_zh: meaning.zh,
            },
            span,
        ))
    }
}

/// The unit a standard's values are in, if any.
fn unit_of(ty: &crate::ir::Ty, lang: Lang) -> Option<String> {
    use crate::ir::{Ty, Unit};
    match ty {
        Ty::Rate | Ty::Number(Unit::Percent) => Some("%".into()),
        Ty::Number(Unit::Points) => Some("pp".into()),
        Ty::Number(Unit::Days) => Some(t!("days", "天").get(lang).to_string()),
        Ty::Number(Unit::Named(u)) => Some(u.to_string()),
        Ty::Count(u) => u.clone(),
        _ => None,
    }
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// The span of a type as written, and its unit.
fn type_span(ty: &ast::TypeExpr) -> (Span, Option<String>) {
    match ty {
        ast::TypeExpr::List(_, span) => (*span, None),
        ast::TypeExpr::Scalar(s) => scalar_span(s),
    }
}

/// The span of a scalar type as written, and its unit.
fn scalar_span(s: &ast::ScalarType) -> (Span, Option<String>) {
    use ast::ScalarType as S;
    match s {
        S::Count(unit, span) | S::Number(unit, span) => {
            let end = unit.as_ref().map_or(span.end, |u| u.span.end.max(span.end));
            (
                Span::new(span.start, end),
                unit.as_ref().map(|u| u.text.clone()),
            )
        }
        S::Bool(span) | S::Rate(span) | S::Date(span) | S::Text(span) | S::Enum(_, span) => {
            (*span, None)
        }
        S::Month(span) | S::Quarter(span) | S::ItemRef(span) => (*span, None),
        S::Named(n) => (n.span, None),
    }
}

/// The span of `word` where it stands whole in `text` and covers `offset`
/// (touching it at either end counts): not part of a longer name.
fn word_around(text: &str, offset: usize, word: &str) -> Option<Span> {
    let from = offset.saturating_sub(word.len());
    (from..=offset).find_map(|start| {
        let rest = text.get(start..)?;
        if !rest.starts_with(word) {
            return None;
        }
        let end = start + word.len();
        let before = text.get(..start)?.chars().next_back();
        let after = text.get(end..)?.chars().next();
        let part_of_name = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let english = word.is_ascii();
        // A Chinese keyword may be followed directly by a digit or a Latin
        // name (`扣0.5`), but not by another Chinese character.
        let whole = if english {
            !part_of_name(before) && !part_of_name(after)
        } else {
            !after.is_some_and(is_han) && !before.is_some_and(is_han)
        };
        whole.then_some(Span::new(start, end))
    })
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

fn markdown(info: &HoverInfo, lang: Lang) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut line = |label: Text, value: &str| {
        if !value.is_empty() {
            out.push(format!("{}{}", label.get(lang), value));
        }
    };
    match info {
        HoverInfo::Item {
            id,
            title,
            scored,
            responsible,
            lead,
            supporting,
            rule,
            generated_rule,
            ..
        } => {
            line(t!("**item ", "**考核事项 "), &format!("{id}** {title}"));
            line(t!("scored: ", "计分："), scored);
            line(
                t!("responsible: ", "责任单位："),
                Text::list(responsible).get(lang),
            );
            line(t!("lead: ", "牵头单位："), lead.as_deref().unwrap_or(""));
            line(
                t!("supporting: ", "配合单位："),
                Text::list(supporting).get(lang),
            );
            if let Some(g) = generated_rule {
                line(t!("rule (generated): ", "评分标准（据规则生成）："), g);
            }
            if let Some(r) = rule {
                line(t!("rule (as written): ", "评分标准（原文）："), r);
            }
        }
        HoverInfo::Input {
            name,
            ty,
            description,
            optional,
            used_in,
            ..
        } => {
            line(t!("**input ", "**数据项 "), &format!("{name}**: {ty}"));
            if let Some(d) = description {
                line(t!("", ""), d);
            }
            if *optional {
                line(t!("", ""), t!("optional", "可缺").get(lang));
            }
            let items = Text::list(used_in);
            let used = if used_in.is_empty() {
                t!("not used by any item", "未被任何考核事项使用")
            } else {
                t!("used in items {}", "用于考核事项 {}", items)
            };
            line(t!("", ""), used.get(lang));
        }
        HoverInfo::Enum { name, values, .. } => {
            line(t!("**enumeration ", "**枚举 "), &format!("{name}**"));
            line(t!("values: ", "取值："), Text::list(values).get(lang));
        }
        HoverInfo::Field {
            list,
            name,
            ty,
            description,
            ..
        } => {
            line(t!("**field ", "**字段 "), &format!("{name}**: {ty}"));
            line(t!("of the records of list ", "所属列表："), list);
            if let Some(d) = description {
                line(t!("", ""), d);
            }
        }
        HoverInfo::EnumValue {
            enumeration, value, ..
        } => {
            line(
                t!("value of enumeration ", "枚举取值："),
                &format!("{enumeration}: \"{value}\""),
            );
        }
        HoverInfo::Standard {
            name,
            description,
            class,
            rows,
            unit,
            ..
        } => {
            line(t!("**standard ", "**标准 "), &format!("{name}**"));
            if let Some(d) = description {
                line(t!("", ""), d);
            }
            line(t!("by the class in input ", "按类别数据项："), class);
            let rows: Vec<String> = (rows.iter())
                .map(|r| {
                    let class = r.class.clone().unwrap_or_else(|| {
                        t!("(other classes)", "（其他类别）").get(lang).to_string()
                    });
                    format!("{class} => {}", r.value)
                })
                .collect();
            line(
                t!("rows: ", "各类别标准："),
                &rows.join(if lang == Lang::Zh { "；" } else { "; " }),
            );
            line(t!("unit: ", "单位："), unit.as_deref().unwrap_or(""));
        }
        HoverInfo::Heading {
            id,
            title,
            level,
            points,
            children_declared,
            children_sum,
            limit,
            bonus_limit,
        } => {
            line(t!("", ""), &format!("**{level} {id}** {title}"));
            line(t!("points: ", "分值："), points.as_deref().unwrap_or(""));
            line(
                t!("its children add up to: ", "下级分值相加："),
                children_sum,
            );
            line(
                t!("children sum (declared): ", "下级合计（声明）："),
                children_declared.as_deref().unwrap_or(""),
            );
            // 扣完为止 where the limit is the heading's own points.
            if let Some(limit) = limit {
                let used_up = points.as_deref() == Some(limit.as_str());
                let text = if used_up {
                    t!("{limit} (until nothing is left)", "{limit}（扣完为止）")
                } else {
                    t!("{limit}", "{limit}")
                };
                line(t!("loses at most: ", "最多扣分："), text.get(lang));
            }
            line(
                t!("bonuses at most: ", "加分上限："),
                bonus_limit.as_deref().unwrap_or(""),
            );
        }
        HoverInfo::Result { name, rule } => {
            line(t!("**result ", "**结果 "), &format!("\"{name}\"**"));
            // The rule's words begin with the result's name (等次：…).
            line(t!("", ""), rule.as_deref().unwrap_or(""));
        }
        HoverInfo::Keyword {
            en,
            zh,
            meaning_en,
            meaning_zh,
        } => {
            line(t!("keyword ", "关键字 "), &format!("`{en}` / `{zh}`"));
            line(t!("", ""), meaning_en);
            line(t!("", ""), meaning_zh);
        }
    }
    out.join("\n\n")
}
