//! Items, parts and clauses, and the checks that are about the table as a
//! whole: ids, caps, parts adding up, clause directions, the base total.

use super::Checker;
use super::expr::Cx;
use super::types::{Clash, T, U, type_name, unify, unit_name};
use crate::diagnostic::Text;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{
    self, Amount, Block, Expr, Gap, Guard, Heading, ItemKind, Limit, Node, Role, Sign, Unit, Value,
};
use crate::parse::ast::{self, Entry};
use crate::source::Span;
use crate::t;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The sections, indicators and items of a program, and the base total.
pub struct Structure {
    pub sections: Vec<Heading>,
    pub indicators: Vec<Heading>,
    pub items: Vec<ir::Item>,
    pub base_total: Decimal,
}

/// What clauses need to know about the item they are in.
struct ItemCx {
    kind: ItemKind,
    id: String,
    /// The item's kind is missing (reported), so checks of its score are skipped.
    broken: bool,
}

#[derive(Default)]
struct Guards {
    exempt: Vec<Guard>,
    vetoes: Vec<Guard>,
}

/// K0420: points that add up beyond exact decimals, at the item where the
/// sum overflows.
fn too_many_points(label: &ast::Name, what: crate::diagnostic::Text) -> Diagnostic {
    let id = &label.text;
    Diagnostic::new(
        Code::SumOverflow,
        t!(
            "{} add up beyond what exact decimals hold (about 7.9 × 10^28) at item {id}",
            "{}在考核事项 {id} 处累计超出精确小数所能表示的范围（约 7.9 × 10^28）",
            what
        ),
    )
    .at(label.span, t!("the sum overflows here", "合计在此处溢出"))
    .with_help(t!(
        "check the item's score: an assessment table's points are far smaller",
        "请检查该项分值：考核表的分值远小于此"
    ))
}

impl Checker {
    pub(super) fn structure(&mut self, spec: &ast::Spec) -> Structure {
        let mut out = Structure {
            sections: vec![],
            indicators: vec![],
            items: vec![],
            base_total: Decimal::ZERO,
        };
        for s in &spec.sections {
            let section = out.sections.len();
            out.sections
                .push(heading(&s.label, &s.title, 0, s.bonus_cap));
            for ind in &s.indicators {
                let indicator = out.indicators.len();
                out.indicators
                    .push(heading(&ind.label, &ind.title, section, ind.bonus_cap));
                for it in &ind.items {
                    let item = self.item(it, indicator);
                    if let ItemKind::Base(max) = item.kind {
                        match out.base_total.checked_add(max) {
                            Some(t) => out.base_total = t,
                            None => self.report(too_many_points(
                                &it.label,
                                t!("the base scores", "基础分"),
                            )),
                        }
                    }
                    out.items.push(item);
                }
            }
        }
        out
    }

    fn item(&mut self, it: &ast::Item, indicator: usize) -> ir::Item {
        let errors_before = self.errors();
        let (kind, role, limit) = self.item_kind(it);
        let broken = it.kind.is_none() && kind != ItemKind::Mixed;
        self.kind_missing |= broken;
        let cx = ItemCx {
            kind,
            id: it.label.text.clone(),
            broken,
        };
        let mut guards = Guards::default();
        let nodes = self.entries(&it.body, role, &cx, &mut guards);
        self.item_checks(it, &cx, &nodes, &guards);
        let mut rule = it.meta.rule.as_ref().map(|t| t.value.clone());
        if rule.as_deref() == Some("") {
            rule = None;
        }
        let body = Block {
            name: None,
            role,
            limit,
            nodes,
        };
        // A lint on an item with errors would only repeat them.
        if !broken && self.errors() == errors_before {
            self.never_moves(&body, &cx.id);
        }
        ir::Item {
            id: it.label.text.clone(),
            title: it.title.value.clone(),
            indicator,
            kind,
            rule,
            evidence: it.meta.evidence.as_ref().map(|t| t.value.clone()),
            authority: it.meta.authority.as_ref().map(|t| t.value.clone()),
            responsible: it
                .meta
                .responsible
                .iter()
                .map(|t| t.value.clone())
                .collect(),
            exempt: guards.exempt,
            vetoes: guards.vetoes,
            body,
            span: it.label.span.to(it.title.span),
        }
    }

    fn item_kind(&mut self, it: &ast::Item) -> (ItemKind, Role, Limit) {
        match &it.kind {
            Some(ast::ItemKind::Score { max, start, span }) => {
                let start = self.start(*max, *start, *span);
                (
                    ItemKind::Base(*max),
                    Role::Base,
                    Limit::Score { max: *max, start },
                )
            }
            Some(ast::ItemKind::Deduction(_)) => {
                (ItemKind::Deduction, Role::Deduction, Limit::None)
            }
            Some(ast::ItemKind::Bonus(_)) => (ItemKind::Bonus, Role::Bonus, Limit::None),
            Some(ast::ItemKind::Veto(_)) => (ItemKind::Veto, Role::Base, Limit::None),
            None => {
                let kinded = |e: &Entry| matches!(e, Entry::Part(p) if matches!(p.kind, Some(ast::ItemKind::Deduction(_) | ast::ItemKind::Bonus(_))));
                if !it.body.is_empty() && it.body.iter().all(kinded) {
                    (ItemKind::Mixed, Role::Deduction, Limit::None)
                } else {
                    self.report(
                        Diagnostic::new(Code::MissingKind, t!("item {} does not say what it is worth", "考核事项 {} 没有写明分值或类别", it.label.text))
                            .at(it.label.span.to(it.title.span), t!("no score or kind", "缺少分值或类别"))
                            .with_help(t!("after the title write `score N` for a base item, or `deduction`, `bonus` or `veto`; a row with both deductions and bonuses has only parts, each `part deduction \"…\" {{ … }}` or `part bonus \"…\" {{ … }}`", "请在标题后写明：基本项写 `分值 N`，或写“扣分项”“加分项”“否决”；既有扣分又有加分的一行只由分项组成，每个分项写作 `分项 扣分项 \"…\" {{ … }}` 或 `分项 加分项 \"…\" {{ … }}`")),
                    );
                    (
                        ItemKind::Base(Decimal::ZERO),
                        Role::Base,
                        Limit::Score {
                            max: Decimal::ZERO,
                            start: Decimal::ZERO,
                        },
                    )
                }
            }
        }
    }

    /// Where a scored item or part starts: full, or 0 with `from 0`.
    fn start(&mut self, max: Decimal, start: Option<Decimal>, span: Span) -> Decimal {
        match start {
            None => max,
            Some(s) if s.is_zero() || s == max => s,
            Some(s) => {
                self.report(
                    Diagnostic::new(Code::BadStart, t!("a score of {max} can start at 0 or at {max}, not at {s}", "分值 {max} 只能从 0 或 {max} 起评，不能从 {s} 起评"))
                        .at(span, t!("unsupported start", "不支持的起评分"))
                        .with_help(t!("write `from 0` for a score earned up from zero, or nothing for one that starts full", "从零起累计得分的写 `起评 0`，满分起扣的不写")),
                );
                max
            }
        }
    }

    fn entries(
        &mut self,
        body: &[Entry],
        role: Role,
        cx: &ItemCx,
        guards: &mut Guards,
    ) -> Vec<Node> {
        let mut nodes = Vec::new();
        for entry in body {
            match entry {
                Entry::Part(p) => nodes.push(Node::Block(self.part(p, role, cx, guards))),
                Entry::Clause(c) => match &c.kind {
                    ast::ClauseKind::Deduct(s) => {
                        nodes.push(Node::Clause(self.clause(c, s, Sign::Deduct, role, cx)))
                    }
                    ast::ClauseKind::Add(s) => {
                        nodes.push(Node::Clause(self.clause(c, s, Sign::Add, role, cx)))
                    }
                    ast::ClauseKind::Veto(cond) => {
                        if cx.kind != ItemKind::Veto {
                            self.report(
                                Diagnostic::new(
                                    Code::MisplacedVeto,
                                    t!(
                                        "item {} has a veto clause but is not a veto item",
                                        "考核事项 {} 不是否决项，却有否决子句",
                                        cx.id
                                    ),
                                )
                                .at(c.keyword, t!("veto here", "否决写在此处"))
                                .with_help(t!(
                                    "give the veto its own item, with `veto` after its title",
                                    "请把否决单列为一个考核事项，在标题后写“否决”"
                                )),
                            );
                        }
                        guards.vetoes.push(self.guard(cond, c));
                    }
                    ast::ClauseKind::Exempt(cond) => guards.exempt.push(self.guard(cond, c)),
                },
            }
        }
        nodes
    }

    fn guard(&mut self, cond: &ast::Condition, c: &ast::Clause) -> Guard {
        let mut ecx = Cx::default();
        let e = self.condition(&cond.expr, &mut ecx);
        let condition = if cond.negated {
            Expr::Not(Box::new(e))
        } else {
            e
        };
        Guard {
            condition,
            reason: self.reason(c),
            facts: ecx.facts,
        }
    }

    fn reason(&self, c: &ast::Clause) -> String {
        match &c.reason {
            Some(r) => r.value.clone(),
            None => self.written(c.span),
        }
    }

    fn part(&mut self, p: &ast::Part, role: Role, cx: &ItemCx, guards: &mut Guards) -> Block {
        let (role, mut limit) = match &p.kind {
            Some(ast::ItemKind::Score { max, start, span }) => {
                if role != Role::Base {
                    self.report(
                        Diagnostic::new(
                            Code::WrongDirection,
                            t!(
                                "a part with a score belongs in a base item",
                                "带分值的分项只能用在基本项中"
                            ),
                        )
                        .at(*span, t!("a share of a base score", "基本分的一部分"))
                        .with_help(t!(
                            "in a deduction or bonus item, cap a group with `at most N` instead",
                            "在扣分项或加分项中，请改用 `最高 N` 限定一组子句"
                        )),
                    );
                }
                (
                    Role::Base,
                    Limit::Score {
                        max: *max,
                        start: self.start(*max, *start, *span),
                    },
                )
            }
            Some(ast::ItemKind::Deduction(_)) => (Role::Deduction, Limit::None),
            Some(ast::ItemKind::Bonus(_)) => (Role::Bonus, Limit::None),
            _ => (role, Limit::None),
        };
        if let Some(e) = &p.at_most
            && let Some(cap) = self.constant(e, t!("a part's cap", "分项的上限"))
        {
            let _ = self.cap_within_item(cap, e.span, cx);
            limit = Limit::AtMost(cap);
        }
        let scored = matches!(limit, Limit::Score { .. });
        if let Limit::Score { max, .. } = limit {
            self.part_max
                .push((max, p.name.as_ref().map(|n| n.value.clone())));
        }
        let nodes = self.entries(&p.body, role, cx, guards);
        if scored {
            self.part_max.pop();
        }
        if let Limit::AtMost(_) = limit
            && let (Some(deduct), Some(add)) =
                (first_of(&nodes, Sign::Deduct), first_of(&nodes, Sign::Add))
        {
            self.report(
                Diagnostic::new(Code::MixedCap, t!("this cap closes a group that both adds and deducts", "这个上限限定的一组子句既加分又扣分"))
                    .at(p.at_most.as_ref().map_or(p.span, |e| e.span), t!("cap of a mixed group", "加扣混合的一组的上限"))
                    .with_label(deduct, t!("deducts", "扣分"))
                    .with_label(add, t!("adds", "加分"))
                    .with_help(t!("to net additions against deductions within bounds, make it a part with `score N from 0`", "如需加扣相抵并限定在一定范围内，请改写为带 `分值 N 起评 0` 的分项")),
            );
        }
        Block {
            name: p.name.as_ref().map(|n| n.value.clone()),
            role,
            limit,
            nodes,
        }
    }

    /// Reports a cap beyond its item's score (K0401) or its part's share
    /// (K0418); true when it reported one.
    fn cap_within_item(&mut self, cap: Decimal, span: Span, cx: &ItemCx) -> bool {
        if cx.broken {
            return false;
        }
        if let Some((share, name)) = self.part_max.last().cloned()
            && cap > share
            && !matches!(cx.kind, ItemKind::Base(max) if cap > max)
        {
            let name = name.unwrap_or_default();
            self.report(
                Diagnostic::new(
                    Code::CapNeverBites,
                    t!(
                        "a cap of {cap} is more than part \"{name}\" of item {} is worth ({share}), so it never bites",
                        "上限 {cap} 分超过了分项“{name}”（考核事项 {}）的分值 {share} 分，永远不会起作用",
                        cx.id
                    ),
                )
                .at(span, t!("beyond the part's {share}", "超过分项的 {share} 分"))
                .with_help(t!(
                    "check the cap against the table: a part cannot lose more than it is worth ({share}); lower the cap, or move the clause to the part the cap belongs to",
                    "请对照考核表核对上限：分项最多只能扣完其 {share} 分；请调低上限，或把子句移到该上限所属的分项"
                )),
            );
            return true;
        }
        if let ItemKind::Base(max) = cx.kind
            && cap > max
        {
            self.report(
                Diagnostic::new(
                    Code::CapExceedsScore,
                    t!(
                        "a cap of {cap} is more than item {}'s whole score of {max}",
                        "上限 {cap} 分超过了考核事项 {} 的分值 {max} 分",
                        cx.id
                    ),
                )
                .at(span, t!("larger than the item", "超过本项分值"))
                .with_help(t!(
                    "a clause cannot take more than the item has; lower the cap to at most {max}",
                    "一个子句扣减的分数不能超过本项分值，请把上限降到 {max} 分以内"
                )),
            );
            return true;
        }
        false
    }

    /// A number written as a literal, such as a cap.
    fn constant(&mut self, e: &ast::Expr, what: Text) -> Option<Decimal> {
        match &e.kind {
            ast::ExprKind::Number(v, None) => Some(*v),
            _ => {
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        t!(
                            "{} must be a number of points written out, such as 3",
                            "{}须直接写出分数，如 3",
                            what
                        ),
                    )
                    .at(e.span, t!("not a plain number", "不是直接写出的数")),
                );
                None
            }
        }
    }

    fn clause(
        &mut self,
        c: &ast::Clause,
        s: &ast::Scoring,
        sign: Sign,
        role: Role,
        cx: &ItemCx,
    ) -> ir::Clause {
        let wrong = match (sign, role) {
            (Sign::Add, Role::Deduction) => {
                Some(t!("adds points in a deduction item", "在扣分项中加分"))
            }
            (Sign::Deduct, Role::Bonus) => {
                Some(t!("deducts points in a bonus item", "在加分项中扣分"))
            }
            _ => None,
        };
        if let Some(what) = wrong {
            self.report(
                Diagnostic::new(Code::WrongDirection, t!("this clause {} ({})", "此子句{}（考核事项 {}）", what, cx.id))
                    .at(c.keyword, t!("wrong direction", "加扣方向不对"))
                    .with_help(t!("deduction items only deduct and bonus items only add; a row with both is written as two parts: `part deduction {{…}}` and `part bonus {{…}}`", "扣分项只能扣分，加分项只能加分；一行中既有扣分又有加分的，请写成两个分项：`分项 扣分项 {{…}}` 和 `分项 加分项 {{…}}`")),
            );
        }
        let mut ecx = Cx::default();
        let condition = s.condition.as_ref().map(|cond| {
            let e = self.condition(&cond.expr, &mut ecx);
            if cond.negated {
                Expr::Not(Box::new(e))
            } else {
                e
            }
        });
        // The amount is worked out only when the condition holds.
        let guarded = self.nonzero.len();
        if let Some(c) = &condition {
            self.assume(c, true, &ecx);
        }
        let amount = match &s.amount {
            ast::Amount::Fixed(e) => Amount::Fixed(self.points(e, &mut ecx)),
            ast::Amount::Per(p) => self.per(p, &mut ecx),
            ast::Amount::Each(e) => self.each(e, &s.caps, &mut ecx),
        };
        self.nonzero.truncate(guarded);
        let mut cap = None;
        for k in &s.caps {
            if k.per.is_some() {
                if !matches!(s.amount, ast::Amount::Each(_)) {
                    self.report(
                        Diagnostic::new(
                            Code::TypeMismatch,
                            t!(
                                "`at most … per …` caps groups of records, so it needs `each`",
                                "`最高 … 每 …` 按组限定记录的扣分，须与“逐个”连用"
                            ),
                        )
                        .at(k.span, t!("no records to group", "没有可分组的记录"))
                        .with_help(t!(
                            "write `deduct each x in list: …, at most N per x.key`",
                            "请写作 `扣 逐个 x 属于 列表: …, 最高 N 每 x.键`"
                        )),
                    );
                }
                continue;
            }
            if cap.is_some() {
                self.report(
                    Diagnostic::new(
                        Code::DuplicateEntry,
                        t!("the clause has two overall caps", "此子句有两个总上限"),
                    )
                    .at(k.span, t!("second cap", "第二个上限"))
                    .with_help(t!(
                        "keep the one the table states",
                        "请只保留考核表规定的那一个"
                    )),
                );
            }
            cap = self.constant(&k.limit, t!("a cap", "上限"));
            if let Some(v) = cap {
                let reported = self.cap_within_item(v, k.limit.span, cx);
                if let Amount::Fixed(Expr::Const(Value::Num(n))) = &amount
                    && !reported
                    && v >= *n
                {
                    self.report(
                        Diagnostic::new(
                            Code::CapNeverBites,
                            t!(
                                "the clause moves {n} at most once, so its cap of {v} never bites (item {})",
                                "此子句最多只计一次 {n} 分，上限 {v} 分永远不会起作用（考核事项 {}）",
                                cx.id
                            ),
                        )
                        .at(k.limit.span, t!("never reached", "永远达不到"))
                        .with_help(t!(
                            "if the table counts each occurrence, write `per`: `deduct {n} per x, at most {v}`; otherwise remove the cap",
                            "如考核表是按次计分，请写“每”：`扣 {n} 每 x, 最高 {v}`；否则请删去上限"
                        )),
                    );
                }
            }
        }
        ir::Clause {
            sign,
            shape: ir::Shape::of(&amount, condition.as_ref()),
            amount,
            cap,
            condition,
            reason: self.reason(c),
            facts: ecx.facts,
            span: c.span,
        }
    }

    /// An amount of points.
    fn points(&mut self, e: &ast::Expr, ecx: &mut Cx) -> Expr {
        let (ir, unit) = self.number_expr(e, ecx, t!("an amount of points", "分数"));
        let signs = self.signs(&ir, ecx);
        if unit.is_some() && signs.neg && !signs.zero && !signs.pos {
            let w = self.written(e.span);
            self.report(
                Diagnostic::new(
                    Code::NegativeLiteralAmount,
                    t!(
                        "the amount `{w}` is negative, so no unit could be scored",
                        "分数“{w}”是负数，所有被考核单位都将无法计分"
                    ),
                )
                .at(e.span, t!("negative", "负数"))
                .with_note(t!(
                    "the keyword gives the direction: `deduct 1` takes a point off, `add 1` gives one",
                    "加扣方向由关键字表示：`扣 1` 扣一分，`加 1` 加一分"
                ))
                .with_help(t!(
                    "write the amount without its minus sign",
                    "请去掉负号，把分数写成正数"
                )),
            );
        }
        if let Some((u, _)) = unit
            && !matches!(u, U::Bare | U::Known(Unit::Plain))
        {
            self.report(
                    Diagnostic::new(Code::UnitMismatch, t!("an amount is in points, but this is in {}", "分数以“分”计，而此处以{}计", unit_name(&u)))
                        .at(e.span, t!("not points", "不是分数"))
                        .with_help(t!("to take points per unit of a quantity, write `deduct 0.5 per continuous 1μg/m³ of x above target`", "如需按某个量每若干单位扣分，请写作 `扣 0.5 每 连续 1μg/m³ 计 x 高于 target`")),
                );
        }
        ir
    }

    fn per(&mut self, p: &ast::PerAmount, ecx: &mut Cx) -> Amount {
        let rate = self.points(&p.rate, ecx);
        let (quantity, qu) =
            self.number_expr(&p.quantity, ecx, t!("what `per` counts", "“每”所计的量"));
        let mut gap = None;
        let mut unit = qu.clone();
        if let Some((dir, e)) = &p.gap {
            if let ast::ExprKind::Str(_) = e.kind {
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        t!(
                            "the threshold after `above` or `below` is a text, not a number",
                            "“高于”或“低于”之后的界限是文本，不是数值"
                        ),
                    )
                    .at(e.span, t!("read as the threshold", "被当作界限"))
                    .with_help(t!(
                        "write the number first, then the reason: `below 2 \"少一次扣0.5分\"`",
                        "请先写数值，再写理由：`低于 2 \"少一次扣0.5分\"`"
                    )),
                );
                return Amount::Fixed(Expr::Const(Value::Num(Decimal::ZERO)));
            }
            let (threshold, tu) = self.number_expr(e, ecx, t!("the threshold", "界限"));
            let dir = match dir {
                ast::GapDir::Above => Gap::Above,
                ast::GapDir::Below => Gap::Below,
            };
            gap = Some((dir, threshold));
            unit = match (qu, tu) {
                (Some((U::Known(Unit::Percent), qi)), Some((U::Known(Unit::Percent), ti))) => {
                    Some((U::Known(Unit::Points), qi && ti))
                }
                (Some((q, qi)), Some((t, ti))) => {
                    let zero = matches!(&e.kind, ast::ExprKind::Number(v, None) if v.is_zero());
                    match unify(&q, &t, zero) {
                        Ok(u) => Some((u, qi && ti)),
                        Err(c) => {
                            self.unit_clash(c, &q, &t, p.quantity.span, e.span);
                            None
                        }
                    }
                }
                _ => None,
            };
        }
        let Some((unit, integral)) = unit else {
            return Amount::Per {
                rate,
                step: Decimal::ONE,
                whole: true,
                quantity,
                gap,
            };
        };
        let step = match &p.step {
            Some(s) => {
                let (ir, st) = self.expr(s, ecx);
                if let T::Num { unit: su, .. } = &st
                    && let Err(c) = unify(&unit, su, false)
                {
                    self.step_clash(c, &unit, su, s.span);
                }
                match ir {
                    Expr::Const(Value::Num(v)) => v,
                    _ => Decimal::ONE,
                }
            }
            None => {
                if matches!(unit, U::Known(Unit::Percent | Unit::Points)) {
                    self.report(
                        Diagnostic::new(Code::BareRate, t!("a step of a percentage must be written with its unit", "按百分比计的步长须写明单位"))
                            .at(p.quantity.span, t!("counted in {}", "以{}计", unit_name(&unit)))
                            .with_help(t!("write the step before `of`, such as `per whole 5pp of rate below 100%`", "请在“计”之前写明步长，如 `每 按整 5pp 计 rate 低于 100%`")),
                    );
                }
                Decimal::ONE
            }
        };
        if step <= Decimal::ZERO {
            self.report(
                Diagnostic::new(
                    Code::DivideByZero,
                    t!("a step must be more than zero", "步长须大于零"),
                )
                .at(
                    p.step.as_ref().map_or(p.span, |s| s.span),
                    t!("not a step", "不是有效步长"),
                ),
            );
        }
        let whole = match p.rounding {
            Some((ast::Rounding::Whole, _)) => true,
            Some((ast::Rounding::Continuous, _)) => false,
            None => {
                if !(integral && step.fract().is_zero()) {
                    self.report(
                        Diagnostic::new(Code::RoundingUnstated, t!("this rule does not say how a part of a step counts", "此规则没有写明不足一个步长的部分如何计"))
                            .at(p.quantity.span, t!("{} is not a whole count", "{}不是整数计数", unit_name(&unit)))
                            .with_help(t!("write `per continuous …` when a gap of 1.5 counts 1.5 steps, or `per whole …` when it counts 1", "差 1.5 个步长按 1.5 计的写 `每 连续 …`，按 1 计的写 `每 按整 …`")),
                    );
                }
                true
            }
        };
        Amount::Per {
            rate,
            step,
            whole,
            quantity,
            gap,
        }
    }

    fn unit_clash(&mut self, c: Clash, q: &U, t: &U, qs: Span, ts: Span) {
        let code = match c {
            Clash::BareRate => Code::BareRate,
            Clash::RateVsPoints => Code::RateVsPoints,
            Clash::Mismatch => Code::UnitMismatch,
        };
        self.report(
            Diagnostic::new(
                code,
                t!(
                    "{} is measured against {}",
                    "{}与{}相比较",
                    unit_name(q),
                    unit_name(t)
                ),
            )
            .at(ts, unit_name(t))
            .with_label(qs, unit_name(q))
            .with_help(t!(
                "a threshold is in the same unit as what it limits; write percentages with %",
                "界限的单位应与所限定的量相同；百分比请带 %"
            )),
        );
    }

    fn step_clash(&mut self, c: Clash, gap: &U, step: &U, span: Span) {
        let (code, help) = match c {
            Clash::RateVsPoints => (
                Code::RateVsPoints,
                t!(
                    "the gap between two rates is in percentage points: write the step with pp, such as 5pp",
                    "两个比率之间的差距以百分点计：步长请带 pp，如 5pp"
                ),
            ),
            Clash::BareRate => (
                Code::BareRate,
                t!(
                    "write the step with its unit, such as 0.1pp",
                    "步长请带单位，如 0.1pp"
                ),
            ),
            Clash::Mismatch => (
                Code::UnitMismatch,
                t!(
                    "write the step in the unit of the quantity",
                    "步长请使用所计量的单位"
                ),
            ),
        };
        self.report(
            Diagnostic::new(
                code,
                t!(
                    "the step is in {}, but the gap is in {}",
                    "步长以{}计，而差距以{}计",
                    unit_name(step),
                    unit_name(gap)
                ),
            )
            .at(span, t!("this step", "此步长"))
            .with_help(help),
        );
    }

    fn each(&mut self, e: &ast::EachAmount, caps: &[ast::Cap], ecx: &mut Cx) -> Amount {
        let Some(list) = self.list_slot(&e.list, ecx) else {
            return Amount::Fixed(Expr::Const(Value::Num(Decimal::ZERO)));
        };
        ecx.bindings.push((e.var.text.clone(), list));
        let filter = e.filter.as_ref().map(|f| self.condition(f, ecx));
        // Only the records `where` lets through are valued.
        let guarded = self.nonzero.len();
        if let Some(f) = &filter {
            self.assume(f, true, ecx);
        }
        let once_per = e.once_per.as_ref().map(|k| self.key(k, ecx));
        let value = self.points(&e.value, ecx);
        self.nonzero.truncate(guarded);
        let mut group_caps = Vec::new();
        for cap in caps {
            let Some(per) = &cap.per else { continue };
            let key = self.key(per, ecx);
            if !group_caps.is_empty() {
                self.report(
                    Diagnostic::new(
                        Code::DuplicateEntry,
                        t!(
                            "a clause can cap one grouping of its records",
                            "一个子句只能按一种分组限定记录的扣分"
                        ),
                    )
                    .at(cap.span, t!("second `at most … per`", "第二个 `最高 … 每`"))
                    .with_help(t!(
                        "keep one `at most N per KEY`, and one overall `at most N`",
                        "请只保留一个 `最高 N 每 键` 和一个总的 `最高 N`"
                    )),
                );
            }
            if let Some(limit) = self.constant(&cap.limit, t!("a cap", "上限")) {
                group_caps.push((limit, key));
            }
        }
        ecx.bindings.pop();
        Amount::Each(Box::new(ir::Each {
            list,
            filter,
            once_per,
            value,
            group_caps,
        }))
    }

    /// A value records are grouped by.
    fn key(&mut self, e: &ast::Expr, ecx: &mut Cx) -> Expr {
        let (ir, t) = self.expr(e, ecx);
        if matches!(t, T::Record | T::List(_)) {
            let found = type_name(&t, &self.enums);
            self.report(
                Diagnostic::new(
                    Code::TypeMismatch,
                    t!(
                        "records are grouped by a single value, but this is {}",
                        "记录须按单个取值分组，而此处是{}",
                        found
                    ),
                )
                .at(e.span, t!("not a key", "不能作为分组依据")),
            );
        }
        ir
    }

    fn item_checks(&mut self, it: &ast::Item, cx: &ItemCx, nodes: &[Node], guards: &Guards) {
        let head = it.label.span.to(it.title.span);
        if cx.broken {
            return;
        }
        if cx.kind == ItemKind::Veto {
            if guards.vetoes.is_empty() {
                self.report(
                    Diagnostic::new(
                        Code::MisplacedVeto,
                        t!(
                            "veto item {} has no `veto if …` clause",
                            "否决项 {} 没有 `否决 若 …` 子句",
                            cx.id
                        ),
                    )
                    .at(head, t!("never vetoes", "永远不会否决"))
                    .with_help(t!(
                        "write `veto if CONDITION \"reason\"`",
                        "请写作 `否决 若 条件 \"理由\"`"
                    )),
                );
            }
            if let Some(first) = first_scoring(&it.body) {
                self.report(
                    Diagnostic::new(
                        Code::MisplacedVeto,
                        t!(
                            "veto item {} also scores points",
                            "否决项 {} 还计了分",
                            cx.id
                        ),
                    )
                    .at(first, t!("a veto item only vetoes", "否决项只作否决"))
                    .with_label(head, t!("a veto item", "否决项"))
                    .with_help(t!(
                        "put the scoring clauses in an item of their own",
                        "请把计分子句放到单独的考核事项中"
                    )),
                );
            }
            return;
        }
        if let ItemKind::Base(max) = cx.kind {
            self.parts_add_up(it, cx, max);
            let scored_parts = it.body.iter().any(|e| matches!(e, Entry::Part(p) if matches!(p.kind, Some(ast::ItemKind::Score { .. }))));
            if let Some(ast::ItemKind::Score {
                start: Some(s),
                span,
                ..
            }) = &it.kind
                && s.is_zero()
                && scored_parts
            {
                self.report(
                    Diagnostic::new(
                        Code::BadStart,
                        t!(
                            "item {} has scored parts, so it starts from them, not from 0",
                            "考核事项 {} 由带分值的分项组成，按各分项起评，不能从 0 起评",
                            cx.id
                        ),
                    )
                    .at(*span, t!("remove `from 0` here", "请删去此处的“起评 0”"))
                    .with_help(t!(
                        "put `from 0` on the parts that earn up from zero",
                        "请把“起评 0”写在从零起累计得分的分项上"
                    )),
                );
            }
            if nodes.is_empty() && guards.exempt.is_empty() && guards.vetoes.is_empty() {
                self.report(
                    Diagnostic::new(Code::EmptyItem, t!("item {} has no scoring clauses (deduct, add), so every unit scores it in full", "考核事项 {} 没有计分子句（扣、加），所有被考核单位都将得满分", cx.id))
                        .at(head, t!("no clauses", "没有子句"))
                        .with_help(t!("add the deductions the table states, such as `deduct 1 unless done`", "请按考核表补上扣分规则，如 `扣 1 除非 done`")),
                );
            }
        }
    }

    /// The shares of an item's scored parts must add up to its score.
    fn parts_add_up(&mut self, it: &ast::Item, cx: &ItemCx, max: Decimal) {
        let shares: Vec<(Decimal, Span)> = it
            .body
            .iter()
            .filter_map(|e| match e {
                Entry::Part(ast::Part {
                    kind: Some(ast::ItemKind::Score { max, span, .. }),
                    ..
                }) => Some((*max, *span)),
                _ => None,
            })
            .collect();
        let Some(sum) = shares
            .iter()
            .try_fold(Decimal::ZERO, |s, (m, _)| s.checked_add(*m))
        else {
            self.report(too_many_points(
                &it.label,
                t!("the parts' scores", "各分项分值"),
            ));
            return;
        };
        if shares.is_empty() || sum == max {
            return;
        }
        let listed = shares
            .iter()
            .map(|(m, _)| m.to_string())
            .collect::<Vec<_>>()
            .join(" + ");
        let at = match &it.kind {
            Some(ast::ItemKind::Score { span, .. }) => *span,
            _ => it.label.span,
        };
        let mut d = Diagnostic::new(
            Code::PartsDoNotAddUp,
            t!(
                "the parts of item {} add up to {sum}, but the item is worth {max}",
                "考核事项 {} 各分项合计 {sum} 分，而本项分值为 {max} 分",
                cx.id
            ),
        )
        .at(at, t!("worth {max}", "分值 {max} 分"))
        .with_note(t!(
            "the parts: {listed} = {sum}",
            "各分项：{listed} = {sum}"
        ))
        .with_help(t!(
            "make the parts' scores add up to the item's, as the table splits it",
            "请按考核表的分解，使各分项分值之和等于本项分值"
        ));
        for (m, span) in shares {
            d = d.with_label(span, t!("a part worth {m}", "分项 {m} 分"));
        }
        self.report(d);
    }

    pub(super) fn table_checks(&mut self, spec: &ast::Spec, s: &Structure) {
        let mut seen: HashMap<(&str, String), Span> = HashMap::new();
        let mut dup = |c: &mut Checker, what: &'static str, name: &ast::Name| {
            if let Some(first) = seen.get(&(what, name.text.clone())) {
                let what_zh = match what {
                    "section" => "一级指标",
                    "indicator" => "二级指标",
                    _ => "考核事项",
                };
                c.report(
                    Diagnostic::new(
                        Code::DuplicateId,
                        t!(
                            "two {}s have the id {}",
                            "有两个{}的编号都是 {}",
                            Text::new(what.to_string(), what_zh.to_string()),
                            name.text
                        ),
                    )
                    .at(name.span, t!("used again here", "此处重复使用"))
                    .with_label(*first, t!("first used here", "首次使用在此处"))
                    .with_help(t!(
                        "ids follow the table's numbering and are unique",
                        "编号应与考核表的序号一致，且不能重复"
                    )),
                );
            } else {
                seen.insert((what, name.text.clone()), name.span);
            }
        };
        for sec in &spec.sections {
            dup(self, "section", &sec.label);
            for ind in &sec.indicators {
                dup(self, "indicator", &ind.label);
                for it in &ind.items {
                    dup(self, "item", &it.label);
                }
            }
        }
        if s.items.is_empty() {
            self.report(
                Diagnostic::new(Code::NoItems, t!("the spec has no items, so it scores nothing", "规则文件中没有考核事项，无法计分"))
                    .with_help(t!("write the table's sections, indicators and items: `section 一 \"…\" {{ indicator 1 \"…\" {{ item 1.1 \"…\" score 3 {{ … }} }} }}`", "请写出考核表的一级指标、二级指标和考核事项：`一级指标 一 \"…\" {{ 二级指标 1 \"…\" {{ 考核事项 1.1 \"…\" 分值 3 {{ … }} }} }}`")),
            );
        }
        if let Some((declared, span)) = spec.header.as_ref().and_then(|h| h.total)
            && declared != s.base_total
            && !self.kind_missing
        {
            self.report(
                Diagnostic::new(
                    Code::TotalMismatch,
                    t!(
                        "the base items add up to {}, but the table's total is {declared}",
                        "基本项合计 {} 分，而考核表总分为 {declared} 分",
                        s.base_total
                    ),
                )
                .at(span, t!("declared {declared}", "写明的总分 {declared}"))
                .with_note(t!(
                    "the spec's base items ({}) are worth {} together",
                    "规则文件中的基本项（共 {} 项）合计 {} 分",
                    s.items
                        .iter()
                        .filter(|i| matches!(i.kind, ItemKind::Base(_)))
                        .count(),
                    s.base_total
                ))
                .with_help(t!(
                    "check each item's `score` against the table, or correct the `total`",
                    "请对照考核表核对各项“分值”，或更正“总分”"
                )),
            );
        }
        if self.errors() == 0 {
            self.bonus_ceiling(spec, s);
        }
        let unused: Vec<usize> = self
            .used
            .iter()
            .enumerate()
            .filter(|(_, u)| !**u)
            .map(|(i, _)| i)
            .filter(|&i| {
                self.inputs
                    .get(i)
                    .is_none_or(|input| !self.suggested.contains(&input.name))
            })
            .collect();
        for slot in unused {
            let Some(input) = self.inputs.get(slot) else {
                continue;
            };
            let d = Diagnostic::new(
                Code::UnusedInput,
                t!(
                    "input `{}` is declared but no rule uses it",
                    "数据项“{}”已声明，但没有任何规则用到它",
                    input.name
                ),
            )
            .at(input.span, t!("never used", "从未使用"))
            .with_help(t!(
                "use it in a clause, or remove it so that data clerks are not asked for it",
                "请在子句中用到它，或将其删去，免得填报人员白白填报"
            ));
            self.report(d);
        }
    }
}

impl Checker {
    fn errors(&self) -> usize {
        self.diags.iter().filter(|d| d.is_error()).count()
    }

    /// K0416: bonus items with no ceiling over them (header, section or
    /// indicator), reported once at the first.
    fn bonus_ceiling(&mut self, spec: &ast::Spec, s: &Structure) {
        if spec.header.as_ref().and_then(|h| h.bonus_cap).is_some() {
            return;
        }
        let uncapped: Vec<&ir::Item> = s
            .items
            .iter()
            .filter(|i| gives_bonus(&i.body, i.kind == ItemKind::Bonus))
            .filter(|i| {
                let ind = s.indicators.get(i.indicator);
                let sec = ind.and_then(|h| s.sections.get(h.parent));
                ind.is_none_or(|h| h.bonus_cap.is_none())
                    && sec.is_none_or(|h| h.bonus_cap.is_none())
            })
            .collect();
        let Some(first) = uncapped.first() else {
            return;
        };
        let ids = uncapped
            .iter()
            .map(|i| i.id.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let zh_ids = ids.replace(", ", "、");
        let n = uncapped.len();
        self.report(
            Diagnostic::new(
                Code::NoBonusCeiling,
                t!(
                    "{n} {} bonus points ({ids}) and no ceiling caps them",
                    "有 {n} 个{}加分（{zh_ids}），却没有加分上限",
                    if n == 1 {
                        t!("item gives", "考核事项")
                    } else {
                        t!("items give", "考核事项")
                    }
                ),
            )
            .at(first.span, t!("bonus without a ceiling", "加分没有上限"))
            .with_note(t!(
                "without a ceiling, bonuses are added to the total in full",
                "没有上限时，加分全额计入总分"
            ))
            .with_help(t!(
                "write the table's ceiling: `bonus at most 10` in the header for all bonuses, or in the section or indicator whose bonuses it caps; if the table really sets none, this warning can be left",
                "请写明考核表规定的上限：在表头写 `加分项 最高 10` 限定全部加分，或写在它所限定的一级指标、二级指标中；如考核表确实没有上限，可不理会此警告"
            )),
        );
    }

    /// K0417: in a scored block that starts full and that nothing deducts
    /// from, an `add` never moves the score; in one that starts at 0 and
    /// that nothing adds to, a `deduct` never does.
    fn never_moves(&mut self, b: &Block, id: &str) {
        if let (Role::Base, Limit::Score { max, start }) = (b.role, b.limit) {
            let mut moves = Moves::default();
            moves.collect(b);
            let (full, empty) = (start == max, start.is_zero());
            let dead = if full && !moves.deducts {
                moves.add_spans.clone()
            } else if empty && !moves.adds && !full {
                moves.deduct_spans.clone()
            } else {
                vec![]
            };
            for span in dead {
                let what = if full {
                    t!("starts at its maximum of {max}", "从满分 {max} 分起评")
                } else {
                    t!("starts at 0", "从 0 分起评")
                };
                let help = if full {
                    t!(
                        "if the item earns its points upward, write `score {max} from 0`; if this is a bonus, put it in a bonus item or a `part bonus {{…}}`",
                        "如本项是从零起累计得分，请写 `分值 {max} 起评 0`；如这是加分，请放到加分项或 `分项 加分项 {{…}}` 中"
                    )
                } else {
                    t!(
                        "if the item starts full, remove `from 0`; if this is a deduction from the total, put it in a deduction item or a `part deduction {{…}}`",
                        "如本项应从满分起评，请删去“起评 0”；如这是从总分中扣分，请放到扣分项或 `分项 扣分项 {{…}}` 中"
                    )
                };
                self.report(
                    Diagnostic::new(
                        Code::ClauseNeverMoves,
                        t!(
                            "this clause can never move item {id}'s score: the score {} and nothing in it moves the other way",
                            "此子句永远不会改变考核事项 {id} 的得分：该得分{}，且没有反方向的子句",
                            what
                        ),
                    )
                    .at(span, t!("never moves the score", "永远不起作用"))
                    .with_help(help),
                );
            }
        }
        for n in &b.nodes {
            if let Node::Block(child) = n {
                self.never_moves(child, id);
            }
        }
    }
}

/// What the clauses of a scored block can do to it (not looking into
/// nested scored blocks, whose own start counts as able to move it either
/// way, nor into blocks feeding another total).
#[derive(Default)]
struct Moves {
    adds: bool,
    deducts: bool,
    add_spans: Vec<Span>,
    deduct_spans: Vec<Span>,
}

impl Moves {
    fn collect(&mut self, b: &Block) {
        for n in &b.nodes {
            match n {
                Node::Clause(c) => match c.sign {
                    Sign::Add => {
                        self.adds = true;
                        self.add_spans.push(c.span);
                    }
                    Sign::Deduct => {
                        self.deducts = true;
                        self.deduct_spans.push(c.span);
                    }
                },
                Node::Block(child) if child.role != b.role => {}
                Node::Block(child) if matches!(child.limit, Limit::Score { .. }) => {
                    self.adds = true;
                    self.deducts = true;
                }
                Node::Block(child) => self.collect(child),
            }
        }
    }
}

/// Whether a block gives bonus points: a bonus item's, or a `part bonus`.
fn gives_bonus(b: &Block, bonus: bool) -> bool {
    let bonus = bonus || b.role == Role::Bonus;
    b.nodes.iter().any(|n| match n {
        Node::Clause(c) => bonus && c.sign == Sign::Add,
        Node::Block(child) => gives_bonus(child, bonus),
    })
}

fn heading(
    label: &ast::Name,
    title: &ast::Text,
    parent: usize,
    cap: Option<(Decimal, Span)>,
) -> Heading {
    Heading {
        label: label.text.clone(),
        title: title.value.clone(),
        parent,
        bonus_cap: cap.map(|(c, _)| c),
    }
}

/// The first deduct or add clause of a body, looking into parts.
fn first_scoring(body: &[Entry]) -> Option<Span> {
    body.iter().find_map(|e| match e {
        Entry::Clause(c)
            if matches!(c.kind, ast::ClauseKind::Deduct(_) | ast::ClauseKind::Add(_)) =>
        {
            Some(c.span)
        }
        Entry::Part(p) => first_scoring(&p.body),
        Entry::Clause(_) => None,
    })
}

/// The span of the first clause (looking into blocks) with the given sign.
fn first_of(nodes: &[Node], sign: Sign) -> Option<Span> {
    nodes.iter().find_map(|n| match n {
        Node::Clause(c) if c.sign == sign => Some(c.span),
        Node::Clause(_) => None,
        Node::Block(b) => first_of(&b.nodes, sign),
    })
}
