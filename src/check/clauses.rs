//! Clauses: their amounts (fixed, `per`, `each`), caps and directions.

use super::Checker;
use super::expr::Cx;
use super::items::ItemCx;
use super::types::{Clash, T, U, type_name, unify, unit_name};
use crate::diagnostic::Text;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{self, Amount, Expr, Gap, Role, Sign, Unit, Value};
use crate::parse::ast::{self};
use crate::source::Span;
use crate::t;
use rust_decimal::Decimal;

impl Checker {
    /// A number written as a literal, such as a cap.
    pub(super) fn constant(&mut self, e: &ast::Expr, what: Text) -> Option<Decimal> {
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

    pub(super) fn clause(
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
}
