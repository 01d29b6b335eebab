//! Checking expressions: name resolution, types and units, lowering to IR.

use super::Checker;
use super::messages;
use super::types::{T, U, type_name};
use crate::diagnostic::{Text, suggest};
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
    pub(super) fn read(&mut self, slot: usize) {
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
            self.report(messages::not_a_condition(&written, found, &example, e.span));
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
                self.report(messages::not_a_number(what, found, e.span));
                (ir, None)
            }
        }
    }

    pub(super) fn number(&mut self, v: Decimal, unit: Option<&ast::Name>) -> (Expr, T) {
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
        let known: Vec<&str> = self.units.keys().map(String::as_str).collect();
        let near = suggest(&n.text, known.iter().copied());
        self.report(messages::unknown_unit(&n.text, n.span, near, known));
        None
    }

    fn name(&mut self, n: &ast::Name, cx: &mut Cx) -> (Expr, T) {
        if cx.bindings.iter().any(|(b, _)| *b == n.text) {
            self.report(messages::whole_record(&n.text, n.span));
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
                if let Some(index) = self.standards.iter().position(|s| s.name == n.text) {
                    return self.standard_ref(index, cx);
                }
                if let Some(v) = crate::numerals::value(&n.text) {
                    self.report(messages::chinese_numeral(&n.text, n.span, &v.to_string()));
                    return (Expr::Const(Value::Missing), T::Error);
                }
                let mut candidates: Vec<&str> = self.by_name.keys().map(String::as_str).collect();
                candidates.extend(cx.bindings.iter().map(|(b, _)| b.as_str()));
                candidates.extend(self.standards.iter().map(|s| s.name.as_str()));
                candidates.sort_unstable();
                let near = suggest(&n.text, candidates);
                if let Some(s) = near {
                    self.suggested.insert(s.to_string());
                }
                self.report(messages::unknown_name(&n.text, n.span, near));
                (Expr::Const(Value::Missing), T::Error)
            }
        }
    }

    fn field(&mut self, base: &ast::Expr, field: &ast::Name, cx: &mut Cx) -> (Expr, T) {
        let ExprKind::Name(var) = &base.kind else {
            self.report(messages::fields_of_non_variable(base.span));
            return (Expr::Const(Value::Missing), T::Error);
        };
        let Some(depth) = cx.bindings.iter().rposition(|(b, _)| *b == var.text) else {
            let (_, t) = self.name(var, cx);
            if t != T::Error {
                self.report(messages::not_a_record(&var.text, var.span));
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
                let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                let near = suggest(&field.text, names.iter().copied());
                self.report(messages::unknown_field(
                    &list,
                    &field.text,
                    field.span,
                    near,
                    &names,
                ));
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
        self.report(messages::needs(what, expected, found, span));
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
