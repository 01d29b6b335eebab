//! Checking expressions: name resolution, types and units, lowering to IR.

use super::Checker;
use super::types::{T, U, type_name};
use crate::diagnostic::{Code, Diagnostic, Text, suggest};
use crate::ir::{self, Expr, Unit, Value};
use crate::parse::ast::{self, BinOp, ExprKind, UnOp};
use crate::source::Span;
use crate::t;
use rust_decimal::Decimal;

/// What an expression sees: the records bound around it, and the inputs it
/// reads (the facts of its clause).
#[derive(Default)]
pub struct Cx {
    /// Bound record variables, outermost first: (name, list slot).
    pub bindings: Vec<(String, usize)>,
    pub facts: Vec<usize>,
}

impl Cx {
    fn read(&mut self, slot: usize) {
        if !self.facts.contains(&slot) {
            self.facts.push(slot);
        }
    }
}

/// A literal number's unit from its suffix, and its value normalised.
pub fn literal_unit(unit: Option<&str>) -> Option<(U, Decimal)> {
    Some(match unit {
        None => (U::Bare, Decimal::ONE),
        Some("%") => (U::Known(Unit::Percent), Decimal::new(1, 2)),
        Some("pp" | "百分点") => (U::Known(Unit::Points), Decimal::new(1, 2)),
        Some("days" | "day" | "天" | "日") => (U::Known(Unit::Days), Decimal::ONE),
        Some(_) => return None,
    })
}

/// A literal 0, in whatever unit: 0 is 0 in every unit.
pub(super) fn is_zero_literal(e: &ast::Expr) -> bool {
    matches!(&e.kind, ExprKind::Number(v, _) if v.is_zero())
}

impl Checker {
    /// The IR and type of an expression; errors are reported and give `T::Error`.
    pub fn expr(&mut self, e: &ast::Expr, cx: &mut Cx) -> (Expr, T) {
        match &e.kind {
            ExprKind::Number(v, unit) => self.number(*v, unit.as_ref()),
            ExprKind::Date(d) => (Expr::Const(Value::Date(*d)), T::Date),
            ExprKind::Str(s) => (Expr::Const(Value::Text(s.as_str().into())), T::Text),
            ExprKind::Bool(b) => (Expr::Const(Value::Bool(*b)), T::Bool),
            ExprKind::Name(n) => self.name(n, cx),
            ExprKind::Field(base, field) => self.field(base, field, cx),
            ExprKind::Unary(op, inner) => self.unary(*op, inner, e.span, cx),
            ExprKind::Binary(op, l, r) => self.binary(*op, l, r, e.span, cx),
            ExprKind::If(c, a, b) => {
                let c = self.condition(c, cx);
                let guarded = self.nonzero.len();
                self.assume(&c, true, cx);
                let (a_ir, a_t) = self.expr(a, cx);
                self.nonzero.truncate(guarded);
                self.assume(&c, false, cx);
                let (b_ir, b_t) = self.expr(b, cx);
                self.nonzero.truncate(guarded);
                let t = self.join(
                    &a_t,
                    &b_t,
                    a.span,
                    b.span,
                    is_zero_literal(a) || is_zero_literal(b),
                );
                (Expr::If(Box::new(c), Box::new(a_ir), Box::new(b_ir)), t)
            }
            ExprKind::Match(s, arms) => self.match_expr(s, arms, e.span, cx),
            ExprKind::Bands(s, bands) => self.bands(s, bands, cx),
            ExprKind::Call(f, args) => self.call(f, args, e.span, cx),
            ExprKind::Aggregate(f, b) => self.aggregate(f, b, cx),
        }
    }

    /// An expression that must be yes/no.
    pub fn condition(&mut self, e: &ast::Expr, cx: &mut Cx) -> Expr {
        let (ir, t) = self.expr(e, cx);
        if !matches!(t, T::Bool | T::Error) {
            let found = type_name(&t, &self.enums);
            let written = self.written(e.span);
            let example = match t {
                T::Num { .. } => format!("`{written} > 0`"),
                T::Enum(_) | T::Text => format!("`{written} = \"…\"`"),
                _ => "`x > 0`".to_string(),
            };
            self.report(
                Diagnostic::new(
                    Code::TypeMismatch,
                    t!(
                        "a condition must be yes or no, but `{written}` is {}",
                        "条件的结果应为“是”或“否”，而“{written}”是{}",
                        found
                    ),
                )
                .at(e.span, t!("expected a condition", "此处应为条件"))
                .with_help(t!(
                    "compare it with something, such as {example}",
                    "请把它与某个值比较，如 {example}"
                )),
            );
        }
        ir
    }

    /// An expression that must be a number (of any unit); returns its unit.
    pub fn number_expr(
        &mut self,
        e: &ast::Expr,
        cx: &mut Cx,
        what: Text,
    ) -> (Expr, Option<(U, bool)>) {
        let (ir, t) = self.expr(e, cx);
        match t {
            T::Num { unit, integral } => (ir, Some((unit, integral))),
            T::Error => (ir, None),
            other => {
                let found = type_name(&other, &self.enums);
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        t!(
                            "{} must be a number, but this is {}",
                            "{}应为数值，而此处是{}",
                            what,
                            found
                        ),
                    )
                    .at(e.span, t!("expected a number", "此处应为数值")),
                );
                (ir, None)
            }
        }
    }

    fn number(&mut self, v: Decimal, unit: Option<&ast::Name>) -> (Expr, T) {
        let Some((u, scale)) = self.unit(unit) else {
            return (Expr::Const(Value::Num(v)), T::Error);
        };
        let value = v * scale;
        let integral = value.fract().is_zero();
        (Expr::Const(Value::Num(value)), T::Num { unit: u, integral })
    }

    /// The unit a literal is written in and the factor that normalises it;
    /// `None`, reported, when no input of the spec uses the unit.
    pub fn unit(&mut self, unit: Option<&ast::Name>) -> Option<(U, Decimal)> {
        if let Some(found) = literal_unit(unit.map(|n| n.text.as_str())) {
            return Some(found);
        }
        let n = unit?;
        if let Some(u) = self.units.get(&n.text) {
            return Some((U::Known(u.clone()), Decimal::ONE));
        }
        let mut d = Diagnostic::new(
            Code::UnknownUnit,
            t!(
                "no input of this spec is measured in `{}`",
                "本规则文件中没有以“{}”为单位的数据项",
                n.text
            ),
        )
        .at(n.span, t!("unknown unit", "未知单位"));
        let known: Vec<&str> = self.units.keys().map(String::as_str).collect();
        d = match suggest(&n.text, known.iter().copied()) {
            Some(s) => d.with_help(t!("did you mean `{s}`?", "是否应为“{s}”？")),
            None => {
                let all: Vec<&str> = ["%", "pp", "days"].into_iter().chain(known).collect();
                d.with_note(t!(
                    "units known here: {}",
                    "此处可用的单位：{}",
                    Text::list(&all)
                ))
            }
        };
        self.report(d);
        None
    }

    fn name(&mut self, n: &ast::Name, cx: &mut Cx) -> (Expr, T) {
        if cx.bindings.iter().any(|(b, _)| *b == n.text) {
            self.report(
                Diagnostic::new(
                    Code::TypeMismatch,
                    t!(
                        "`{}` is a whole record; use one of its fields",
                        "“{}”是一整条记录，请使用它的某个字段",
                        n.text
                    ),
                )
                .at(n.span, t!("a record", "记录"))
                .with_help(t!("write `{}.field`", "请写作 `{}.字段名`", n.text)),
            );
            return (Expr::Const(Value::Missing), T::Record);
        }
        match self.by_name.get(&n.text) {
            Some(&slot) => {
                if let Some(u) = self.used.get_mut(slot) {
                    *u = true;
                }
                cx.read(slot);
                let t = self
                    .inputs
                    .get(slot)
                    .map_or(T::Error, |i| T::of(&i.ty, slot));
                (Expr::Input(slot), t)
            }
            None => {
                let mut candidates: Vec<&str> = self.by_name.keys().map(String::as_str).collect();
                candidates.extend(cx.bindings.iter().map(|(b, _)| b.as_str()));
                candidates.sort_unstable();
                let mut d = Diagnostic::new(
                    Code::UnknownName,
                    t!("no input is named `{}`", "没有名为“{}”的数据项", n.text),
                )
                .at(n.span, t!("not declared", "未声明"));
                d = match suggest(&n.text, candidates) {
                    Some(s) => {
                        self.suggested.insert(s.to_string());
                        d.with_help(t!("did you mean `{s}`?", "是否应为“{s}”？"))
                    }
                    None => d.with_help(t!(
                        "declare it: `input {}: count \"…\"` (or the type it has)",
                        "请先声明：`数据 {}: 计数 \"…\"`（类型按实际填写）",
                        n.text
                    )),
                };
                self.report(d);
                (Expr::Const(Value::Missing), T::Error)
            }
        }
    }

    fn field(&mut self, base: &ast::Expr, field: &ast::Name, cx: &mut Cx) -> (Expr, T) {
        let ExprKind::Name(var) = &base.kind else {
            self.report(
                Diagnostic::new(
                    Code::TypeMismatch,
                    t!("only a record variable has fields", "只有记录变量才有字段"),
                )
                .at(base.span, t!("not a record variable", "不是记录变量")),
            );
            return (Expr::Const(Value::Missing), T::Error);
        };
        let Some(depth) = cx.bindings.iter().rposition(|(b, _)| *b == var.text) else {
            let (_, t) = self.name(var, cx);
            if t != T::Error {
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        t!(
                            "`{}` is not a record, so it has no fields",
                            "“{}”不是记录，没有字段",
                            var.text
                        ),
                    )
                    .at(var.span, t!("not a record variable", "不是记录变量"))
                    .with_help(t!(
                        "fields are read from the variable of an `each` or of count(…)/sum(…)",
                        "字段只能从“逐个”或 count(…)/sum(…) 的变量上读取"
                    )),
                );
            }
            return (Expr::Const(Value::Missing), T::Error);
        };
        let Some(&(_, slot)) = cx.bindings.get(depth) else {
            return (Expr::Const(Value::Missing), T::Error);
        };
        let fields = match self.inputs.get(slot).map(|i| &i.ty) {
            Some(ir::Ty::List(fields)) => fields.clone(),
            _ => return (Expr::Const(Value::Missing), T::Error),
        };
        match fields.iter().position(|f| f.name == field.text) {
            Some(index) => {
                let t = fields.get(index).map_or(T::Error, |f| T::of(&f.ty, slot));
                (Expr::Field(depth, index), t)
            }
            None => {
                let list = self
                    .inputs
                    .get(slot)
                    .map_or("", |i| i.name.as_str())
                    .to_string();
                let mut d = Diagnostic::new(
                    Code::UnknownField,
                    t!(
                        "records of `{list}` have no field `{}`",
                        "“{list}”的记录没有字段“{}”",
                        field.text
                    ),
                )
                .at(field.span, t!("no such field", "没有这个字段"));
                d = match suggest(&field.text, fields.iter().map(|f| f.name.as_str())) {
                    Some(s) => d.with_help(t!("did you mean `{s}`?", "是否应为“{s}”？")),
                    None => {
                        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                        d.with_note(t!(
                            "its fields are: {}",
                            "它的字段有：{}",
                            Text::list(&names)
                        ))
                    }
                };
                self.report(d);
                (Expr::Const(Value::Missing), T::Error)
            }
        }
    }

    fn unary(&mut self, op: UnOp, inner: &ast::Expr, span: Span, cx: &mut Cx) -> (Expr, T) {
        match op {
            UnOp::Not => (Expr::Not(Box::new(self.condition(inner, cx))), T::Bool),
            UnOp::Neg => {
                let (ir, t) = self.expr(inner, cx);
                if !matches!(t, T::Num { .. } | T::Error) {
                    self.mismatch(t!("`-`", "负号“-”"), t!("a number", "数值"), &t, span);
                }
                (Expr::Neg(Box::new(ir)), t)
            }
        }
    }

    pub(super) fn mismatch(&mut self, what: Text, expected: Text, found: &T, span: Span) {
        let found = type_name(found, &self.enums);
        self.report(
            Diagnostic::new(
                Code::TypeMismatch,
                t!(
                    "{} needs {}, but this is {}",
                    "{}需要{}，而此处是{}",
                    what,
                    expected,
                    found
                ),
            )
            .at(span, t!("expected {}", "此处应为{}", expected)),
        );
    }

    fn binary(
        &mut self,
        op: BinOp,
        l: &ast::Expr,
        r: &ast::Expr,
        span: Span,
        cx: &mut Cx,
    ) -> (Expr, T) {
        match op {
            BinOp::And | BinOp::Or => {
                // The right is worked out only when the left is true
                // (and) or false (or): what the left says guards it.
                let a = self.condition(l, cx);
                let guarded = self.nonzero.len();
                self.assume(&a, op == BinOp::And, cx);
                let b = self.condition(r, cx);
                self.nonzero.truncate(guarded);
                let ir = if op == BinOp::And {
                    Expr::And(Box::new(a), Box::new(b))
                } else {
                    Expr::Or(Box::new(a), Box::new(b))
                };
                (ir, T::Bool)
            }
            _ if op.is_comparison() => self.compare(op, l, r, cx),
            _ => self.arith(op, l, r, span, cx),
        }
    }
}

/// Texts of the spec, quoted and separated by commas.
pub fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Texts of the spec, quoted: `"A", "B"` in English, `“A”、“B”` in Chinese.
pub fn quoted_text(values: &[String]) -> Text {
    let en: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
    let zh: Vec<String> = values.iter().map(|v| format!("“{v}”")).collect();
    Text::new(en.join(", "), zh.join("、"))
}

/// The IR's operator for the AST's.
pub(super) fn lower(op: BinOp) -> ir::BinOp {
    match op {
        BinOp::Or => ir::BinOp::Or,
        BinOp::And => ir::BinOp::And,
        BinOp::Eq => ir::BinOp::Eq,
        BinOp::Ne => ir::BinOp::Ne,
        BinOp::Lt => ir::BinOp::Lt,
        BinOp::Le => ir::BinOp::Le,
        BinOp::Gt => ir::BinOp::Gt,
        BinOp::Ge => ir::BinOp::Ge,
        BinOp::Add => ir::BinOp::Add,
        BinOp::Sub => ir::BinOp::Sub,
        BinOp::Mul => ir::BinOp::Mul,
        BinOp::Div => ir::BinOp::Div,
    }
}
