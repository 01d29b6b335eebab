//! Checking expressions: name resolution, types and units, lowering to IR.

use super::Checker;
use super::ir::{self, Expr, Func, Unit, Value};
use super::types::{Clash, T, U, product, quotient, type_name, unify, unify_ratio, unit_name};
use crate::diagnostic::{Code, Diagnostic, suggest};
use crate::parse::ast::{self, BinOp, ExprKind, UnOp};
use crate::source::Span;
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
fn is_zero_literal(e: &ast::Expr) -> bool {
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
                let (a_ir, a_t) = self.expr(a, cx);
                let (b_ir, b_t) = self.expr(b, cx);
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
                    format!("a condition must be yes or no, but `{written}` is {found}"),
                )
                .at(e.span, "expected a condition")
                .with_help(format!("compare it with something, such as {example}")),
            );
        }
        ir
    }

    /// An expression that must be a number (of any unit); returns its unit.
    pub fn number_expr(
        &mut self,
        e: &ast::Expr,
        cx: &mut Cx,
        what: &str,
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
                        format!("{what} must be a number, but this is {found}"),
                    )
                    .at(e.span, "expected a number"),
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
            format!("no input of this spec is measured in `{}`", n.text),
        )
        .at(n.span, "unknown unit");
        let known: Vec<&str> = self.units.keys().map(String::as_str).collect();
        d = match suggest(&n.text, known.iter().copied()) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_note(format!(
                "units known here: %, pp, days{}{}",
                if known.is_empty() { "" } else { ", " },
                known.join(", ")
            )),
        };
        self.report(d);
        None
    }

    fn name(&mut self, n: &ast::Name, cx: &mut Cx) -> (Expr, T) {
        if cx.bindings.iter().any(|(b, _)| *b == n.text) {
            self.report(
                Diagnostic::new(
                    Code::TypeMismatch,
                    format!("`{}` is a whole record; use one of its fields", n.text),
                )
                .at(n.span, "a record")
                .with_help(format!("write `{}.field`", n.text)),
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
                let mut d =
                    Diagnostic::new(Code::UnknownName, format!("no input is named `{}`", n.text))
                        .at(n.span, "not declared");
                d = match suggest(&n.text, candidates) {
                    Some(s) => {
                        self.suggested.insert(s.to_string());
                        d.with_help(format!("did you mean `{s}`?"))
                    }
                    None => d.with_help(format!(
                        "declare it: `input {}: count \"…\"` (or the type it has)",
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
                Diagnostic::new(Code::TypeMismatch, "only a record variable has fields")
                    .at(base.span, "not a record variable"),
            );
            return (Expr::Const(Value::Missing), T::Error);
        };
        let Some(depth) = cx.bindings.iter().rposition(|(b, _)| *b == var.text) else {
            let (_, t) = self.name(var, cx);
            if t != T::Error {
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        format!("`{}` is not a record, so it has no fields", var.text),
                    )
                    .at(var.span, "not a record variable")
                    .with_help(
                        "fields are read from the variable of an `each` or of count(…)/sum(…)",
                    ),
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
                    format!("records of `{list}` have no field `{}`", field.text),
                )
                .at(field.span, "no such field");
                d = match suggest(&field.text, fields.iter().map(|f| f.name.as_str())) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_note(format!(
                        "its fields are: {}",
                        fields
                            .iter()
                            .map(|f| f.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
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
                    self.mismatch("`-`", "a number", &t, span);
                }
                (Expr::Neg(Box::new(ir)), t)
            }
        }
    }

    fn mismatch(&mut self, what: &str, expected: &str, found: &T, span: Span) {
        let found = type_name(found, &self.enums);
        self.report(
            Diagnostic::new(
                Code::TypeMismatch,
                format!("{what} needs {expected}, but this is {found}"),
            )
            .at(span, format!("expected {expected}")),
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
                let (a, b) = (self.condition(l, cx), self.condition(r, cx));
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

    fn compare(&mut self, op: BinOp, l: &ast::Expr, r: &ast::Expr, cx: &mut Cx) -> (Expr, T) {
        let (mut a, at) = self.expr(l, cx);
        let (mut b, bt) = self.expr(r, cx);
        let equality = matches!(op, BinOp::Eq | BinOp::Ne);
        match (&at, &bt) {
            (T::Error, _) | (_, T::Error) => {}
            (
                T::Num {
                    unit: x,
                    integral: xi,
                },
                T::Num {
                    unit: y,
                    integral: yi,
                },
            ) => {
                let zero = is_zero_literal(l) || is_zero_literal(r);
                if let Err(c) = unify_ratio((x, *xi), (y, *yi), zero) {
                    self.clash(c, x, y, l.span, r.span, "compared");
                }
            }
            (T::Date, T::Date) => {}
            (T::Bool, T::Bool) | (T::Text, T::Text) if equality => {}
            (T::Enum(e), T::Text) if equality => b = self.variant(*e, r, b, l),
            (T::Text, T::Enum(e)) if equality => a = self.variant(*e, l, a, r),
            (T::Enum(x), T::Enum(y)) if equality && x == y => {}
            _ => {
                let (ln, rn) = (type_name(&at, &self.enums), type_name(&bt, &self.enums));
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        format!("cannot compare {ln} with {rn} using `{}`", op.symbol()),
                    )
                    .at(r.span, rn)
                    .with_label(l.span, ln),
                );
            }
        }
        (Expr::Compare(op, Box::new(a), Box::new(b)), T::Bool)
    }

    /// A text literal compared with an enumeration (the value of `other`)
    /// becomes the value's index.
    fn variant(&mut self, e: usize, text: &ast::Expr, ir: Expr, other: &ast::Expr) -> Expr {
        let ExprKind::Str(s) = &text.kind else {
            return ir;
        };
        let Some(info) = self.enums.get(e) else {
            return ir;
        };
        match info.variants.iter().position(|v| v == s) {
            Some(i) => Expr::Const(Value::Enum(i as u32)),
            None => {
                let whose = self.written(other.span);
                let mut d = Diagnostic::new(
                    Code::NotAVariant,
                    format!(
                        "\"{s}\" is not a value `{whose}` can have ({})",
                        info.variants.join(", ")
                    ),
                )
                .at(text.span, "not one of its values")
                .with_label(other.span, format!("one of {}", quoted(&info.variants)));
                d = match suggest(s, info.variants.iter().map(String::as_str)) {
                    Some(v) => d.with_help(format!("did you mean \"{v}\"?")),
                    None => d.with_help(format!("write one of {}", quoted(&info.variants))),
                };
                self.report(d);
                ir
            }
        }
    }

    fn clash(&mut self, c: Clash, x: &U, y: &U, ls: Span, rs: Span, verb: &str) {
        let (xn, yn) = (unit_name(x), unit_name(y));
        let d = match c {
            Clash::BareRate => Diagnostic::new(Code::BareRate, format!("a bare number is {verb} with {}", if matches!(x, U::Bare) { &yn } else { &xn }))
                .at(if matches!(x, U::Bare) { ls } else { rs }, "write its unit")
                .with_help("write percentages with % (90%) and percentage points with pp (0.1pp)"),
            Clash::RateVsPoints => Diagnostic::new(Code::RateVsPoints, format!("a rate is {verb} with a difference of rates: {xn} and {yn}"))
                .at(rs, yn)
                .with_label(ls, xn)
                .with_help("a difference of two rates is in percentage points: write the step or bound with pp (0.1pp), or compare rates with rates"),
            Clash::Mismatch => Diagnostic::new(Code::UnitMismatch, format!("{xn} and {yn} cannot be {verb}"))
                .at(rs, yn)
                .with_label(ls, xn),
        };
        self.report(d);
    }

    fn arith(
        &mut self,
        op: BinOp,
        l: &ast::Expr,
        r: &ast::Expr,
        span: Span,
        cx: &mut Cx,
    ) -> (Expr, T) {
        let (a, at) = self.expr(l, cx);
        let (b, bt) = self.expr(r, cx);
        let bin = |a, b| Expr::Arith(op, Box::new(a), Box::new(b));
        if op == BinOp::Div && is_zero_literal(r) {
            self.report(
                Diagnostic::new(Code::DivideByZero, "this divides by zero").at(r.span, "zero"),
            );
        }
        let t = match (&at, &bt, op) {
            (T::Error, _, _) | (_, T::Error, _) => T::Error,
            (T::Date, T::Date, BinOp::Sub) => {
                return (
                    Expr::Call(Func::DaysBetween, vec![b, a]),
                    T::num(Unit::Days, true),
                );
            }
            (
                T::Date,
                T::Num {
                    unit: U::Known(Unit::Days),
                    ..
                },
                BinOp::Add | BinOp::Sub,
            ) => {
                let days = if op == BinOp::Sub {
                    Expr::Neg(Box::new(b))
                } else {
                    b
                };
                return (Expr::Call(Func::DateAddDays, vec![a, days]), T::Date);
            }
            (
                T::Num {
                    unit: x,
                    integral: xi,
                },
                T::Num {
                    unit: y,
                    integral: yi,
                },
                _,
            ) => {
                let unit = match op {
                    BinOp::Add | BinOp::Sub => {
                        let zero = is_zero_literal(l) || is_zero_literal(r);
                        match (x, y, op) {
                            (U::Known(Unit::Percent), U::Known(Unit::Percent), BinOp::Sub) => {
                                Ok(U::Known(Unit::Points))
                            }
                            (U::Known(Unit::Percent), U::Known(Unit::Points), _) => Ok(x.clone()),
                            (U::Known(Unit::Points), U::Known(Unit::Percent), BinOp::Add) => {
                                Ok(y.clone())
                            }
                            _ => unify(x, y, zero),
                        }
                    }
                    BinOp::Mul => product(x, y),
                    _ => quotient(x, y),
                };
                match unit {
                    Ok(unit) => T::Num {
                        unit,
                        integral: *xi && *yi && op != BinOp::Div,
                    },
                    Err(c) => {
                        self.clash(
                            c,
                            x,
                            y,
                            l.span,
                            r.span,
                            if matches!(op, BinOp::Add | BinOp::Sub) {
                                "added"
                            } else {
                                "combined"
                            },
                        );
                        T::Error
                    }
                }
            }
            _ => {
                let (ln, rn) = (type_name(&at, &self.enums), type_name(&bt, &self.enums));
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        format!(
                            "`{}` needs numbers, but these are {ln} and {rn}",
                            op.symbol()
                        ),
                    )
                    .at(span, "expected numbers"),
                );
                T::Error
            }
        };
        (bin(a, b), t)
    }

    /// The type of two branches that must agree.
    pub fn join(&mut self, a: &T, b: &T, asp: Span, bsp: Span, zero: bool) -> T {
        match (a, b) {
            (T::Error, t) | (t, T::Error) => t.clone(),
            (
                T::Num {
                    unit: x,
                    integral: xi,
                },
                T::Num {
                    unit: y,
                    integral: yi,
                },
            ) => match unify(x, y, zero) {
                Ok(unit) => T::Num {
                    unit,
                    integral: *xi && *yi,
                },
                Err(c) => {
                    self.clash(c, x, y, asp, bsp, "given as alternatives");
                    T::Error
                }
            },
            _ if a == b => a.clone(),
            _ => {
                let (an, bn) = (type_name(a, &self.enums), type_name(b, &self.enums));
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        format!("the alternatives are {an} and {bn}; they must be the same kind"),
                    )
                    .at(bsp, bn)
                    .with_label(asp, an),
                );
                T::Error
            }
        }
    }

    fn match_expr(
        &mut self,
        s: &ast::Expr,
        arms: &[ast::MatchArm],
        span: Span,
        cx: &mut Cx,
    ) -> (Expr, T) {
        let (scrutinee, st) = self.expr(s, cx);
        let mut t = T::Error;
        let mut values = Vec::new();
        for arm in arms {
            let (ir, at) = self.expr(&arm.value, cx);
            t = if t == T::Error {
                at
            } else {
                self.join(&t, &at, span, arm.value.span, false)
            };
            values.push(ir);
        }
        let default = arms.iter().position(|a| a.pattern.is_none());
        match st {
            T::Enum(e) => {
                let Some(info) = self.enums.get(e).cloned() else {
                    return (Expr::Const(Value::Missing), T::Error);
                };
                let mut table: Vec<Option<Expr>> = vec![None; info.variants.len()];
                for (arm, value) in arms.iter().zip(&values) {
                    let Some(p) = &arm.pattern else { continue };
                    match info.variants.iter().position(|v| *v == p.value) {
                        Some(i) if table.get(i).is_some_and(Option::is_some) => self.report(
                            Diagnostic::new(
                                Code::DuplicateVariant,
                                format!("\"{}\" has two arms", p.value),
                            )
                            .at(p.span, "given again"),
                        ),
                        Some(i) => {
                            if let Some(slot) = table.get_mut(i) {
                                *slot = Some(value.clone());
                            }
                        }
                        None => {
                            let mut d = Diagnostic::new(
                                Code::NotAVariant,
                                format!("\"{}\" is not a value of `{}`", p.value, info.name),
                            )
                            .at(p.span, "not one of its values");
                            if let Some(v) =
                                suggest(&p.value, info.variants.iter().map(String::as_str))
                            {
                                d = d.with_help(format!("did you mean \"{v}\"?"));
                            }
                            self.report(d);
                        }
                    }
                }
                let fallback = default.and_then(|i| values.get(i).cloned());
                let missing: Vec<String> = info
                    .variants
                    .iter()
                    .zip(&table)
                    .filter(|(_, v)| v.is_none())
                    .map(|(n, _)| n.clone())
                    .collect();
                if fallback.is_none() && !missing.is_empty() {
                    self.report(
                        Diagnostic::new(
                            Code::NonExhaustive,
                            format!("the match gives no value for {}", quoted(&missing)),
                        )
                        .at(span, "not every value is covered")
                        .with_help("add an arm for each, or an `else => …` arm"),
                    );
                }
                let arms = table
                    .into_iter()
                    .map(|v| {
                        v.or_else(|| fallback.clone())
                            .unwrap_or(Expr::Const(Value::Missing))
                    })
                    .collect();
                (Expr::Match(Box::new(scrutinee), arms), t)
            }
            T::Text => {
                let Some(fallback) = default.and_then(|i| values.get(i).cloned()) else {
                    self.report(
                        Diagnostic::new(
                            Code::NonExhaustive,
                            "a match on a text needs an `else => …` arm",
                        )
                        .at(span, "texts not listed have no value"),
                    );
                    return (Expr::Const(Value::Missing), T::Error);
                };
                let pairs = arms
                    .iter()
                    .zip(values)
                    .filter_map(|(a, v)| a.pattern.as_ref().map(|p| (p.value.as_str().into(), v)))
                    .collect();
                (
                    Expr::MatchText(Box::new(scrutinee), pairs, Box::new(fallback)),
                    t,
                )
            }
            T::Error => (Expr::Const(Value::Missing), T::Error),
            other => {
                self.mismatch(
                    "`match`",
                    "a value of an enumeration or a text",
                    &other,
                    s.span,
                );
                (Expr::Const(Value::Missing), T::Error)
            }
        }
    }

    fn call(&mut self, f: &ast::Name, args: &[ast::Expr], span: Span, cx: &mut Cx) -> (Expr, T) {
        // Arguments are read even when the call is wrong, so that the
        // inputs they name are not reported unused as well.
        let visit = |c: &mut Checker, cx: &mut Cx| {
            for a in args {
                c.expr(a, cx);
            }
        };
        let (func, arity) = match f.text.as_str() {
            "min" => (Func::Min, None),
            "max" => (Func::Max, None),
            "abs" => (Func::Abs, Some(1)),
            "quarter" => (Func::Quarter, Some(1)),
            "month" => (Func::Month, Some(1)),
            "given" => return self.given(f, args, span, cx),
            "count" | "sum" => {
                visit(self, cx);
                self.report(
                    Diagnostic::new(
                        Code::Arity,
                        format!("{}(…) takes a record variable and a list", f.text),
                    )
                    .at(span, "expected `x in list`")
                    .with_help(format!("write `{}(x in list where …)`", f.text)),
                );
                return (Expr::Const(Value::Missing), T::Error);
            }
            _ => {
                let known = [
                    "min", "max", "abs", "quarter", "month", "given", "count", "sum",
                ];
                let mut d = Diagnostic::new(
                    Code::UnknownFunction,
                    format!("kaohe has no function `{}`", f.text),
                )
                .at(f.span, "unknown function");
                d = match suggest(&f.text, known) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_note(format!("the functions are: {}", known.join(", "))),
                };
                self.report(d);
                return (Expr::Const(Value::Missing), T::Error);
            }
        };
        let ok = match arity {
            Some(n) => args.len() == n,
            None => !args.is_empty(),
        };
        if !ok {
            visit(self, cx);
            let wanted = arity.map_or("at least one argument".to_string(), |n| {
                format!("{n} argument{}", if n == 1 { "" } else { "s" })
            });
            self.report(
                Diagnostic::new(
                    Code::Arity,
                    format!("`{}` takes {wanted}, but is given {}", f.text, args.len()),
                )
                .at(span, "wrong number of arguments"),
            );
            return (Expr::Const(Value::Missing), T::Error);
        }
        let mut irs = Vec::new();
        let mut t = T::Error;
        for (i, a) in args.iter().enumerate() {
            let (ir, at) = self.expr(a, cx);
            irs.push(ir);
            t = match func {
                Func::Min | Func::Max | Func::Abs => match (&at, i) {
                    (T::Num { .. } | T::Error, 0) => at,
                    (T::Num { .. } | T::Error, _) => {
                        let first = args.first().map_or(a.span, |f| f.span);
                        self.join(&t, &at, first, a.span, is_zero_literal(a))
                    }
                    _ => {
                        self.mismatch(&format!("`{}`", f.text), "numbers", &at, a.span);
                        T::Error
                    }
                },
                _ => match at {
                    T::Date => T::num(Unit::Plain, true),
                    T::Num { integral: true, .. } if func == Func::Quarter => {
                        T::num(Unit::Plain, true)
                    }
                    T::Error => T::Error,
                    other => {
                        let wanted = if func == Func::Quarter {
                            "a date or a month number (a count)"
                        } else {
                            "a date"
                        };
                        self.mismatch(&format!("`{}`", f.text), wanted, &other, a.span);
                        T::Error
                    }
                },
            };
        }
        (Expr::Call(func, irs), t)
    }

    /// `given(x)`: whether the optional input `x` has a value.
    fn given(&mut self, f: &ast::Name, args: &[ast::Expr], span: Span, cx: &mut Cx) -> (Expr, T) {
        let [arg] = args else {
            self.report(
                Diagnostic::new(
                    Code::Arity,
                    format!("`given` takes 1 argument, but is given {}", args.len()),
                )
                .at(span, "wrong number of arguments"),
            );
            return (Expr::Const(Value::Missing), T::Error);
        };
        let (ir, t) = self.expr(arg, cx);
        match ir {
            Expr::Input(slot) => {
                if self.inputs.get(slot).is_some_and(|i| !i.optional) {
                    self.report(
                        Diagnostic::new(
                            Code::TypeMismatch,
                            format!(
                                "`{}` is not optional, so it is always given",
                                self.inputs.get(slot).map_or("", |i| i.name.as_str())
                            ),
                        )
                        .at(arg.span, "always has a value")
                        .with_help("declare the input `optional` if the data may leave it out"),
                    );
                }
                (Expr::Call(Func::Given, vec![Expr::Input(slot)]), T::Bool)
            }
            _ => {
                if t != T::Error {
                    self.report(
                        Diagnostic::new(Code::TypeMismatch, "`given` asks about an input")
                            .at(f.span.to(span), "expected an input's name"),
                    );
                }
                (Expr::Const(Value::Missing), T::Error)
            }
        }
    }

    /// The slot of a list input named by `e`, reported when it is not one.
    pub fn list_slot(&mut self, e: &ast::Expr, cx: &mut Cx) -> Option<usize> {
        let (_, t) = self.expr(e, cx);
        match t {
            T::List(slot) => Some(slot),
            T::Error => None,
            other => {
                self.mismatch("`in`", "a list input", &other, e.span);
                None
            }
        }
    }

    fn aggregate(&mut self, f: &ast::Name, b: &ast::Binding, cx: &mut Cx) -> (Expr, T) {
        let is_sum = match f.text.as_str() {
            "count" => false,
            "sum" => true,
            other => {
                self.report(
                    Diagnostic::new(Code::UnknownFunction, format!("`{other}` does not take `x in list`"))
                        .at(f.span, "not an aggregate")
                        .with_help("the aggregates are count(x in list where …) and sum(x in list where …: value)"),
                );
                return (Expr::Const(Value::Missing), T::Error);
            }
        };
        let Some(list) = self.list_slot(&b.list, cx) else {
            return (Expr::Const(Value::Missing), T::Error);
        };
        cx.bindings.push((b.var.text.clone(), list));
        let filter = b.filter.as_ref().map(|c| Box::new(self.condition(c, cx)));
        let result = match (&b.value, is_sum) {
            (Some(v), true) => {
                let (value, unit) = self.number_expr(v, cx, "what sum(…) adds up");
                let t = unit.map_or(T::Error, |(unit, integral)| T::Num { unit, integral });
                (
                    Expr::Sum {
                        list,
                        filter,
                        value: Box::new(value),
                    },
                    t,
                )
            }
            (None, false) => (Expr::Count { list, filter }, T::num(Unit::Plain, true)),
            (None, true) => {
                self.report(
                    Diagnostic::new(
                        Code::Arity,
                        "sum(…) needs the value to add up after a colon",
                    )
                    .at(f.span, "nothing to add up")
                    .with_help("write `sum(x in list where …: x.field)`"),
                );
                (Expr::Const(Value::Missing), T::Error)
            }
            (Some(v), false) => {
                self.report(
                    Diagnostic::new(Code::Arity, "count(…) counts records and takes no value")
                        .at(v.span, "not used")
                        .with_help("remove `: …`, or use sum(…)"),
                );
                (Expr::Const(Value::Missing), T::Error)
            }
        };
        cx.bindings.pop();
        result
    }
}

pub fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
