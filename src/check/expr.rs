//! Checking expressions: name resolution, types and units, lowering to IR.

use super::Checker;
use super::types::{Clash, T, U, product, quotient, type_name, unify, unify_ratio, unit_name};
use crate::diagnostic::{Code, Diagnostic, Text, suggest};
use crate::ir::{self, Expr, Func, Unit, Value};
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

    fn mismatch(&mut self, what: Text, expected: Text, found: &T, span: Span) {
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
                    self.clash(c, x, y, l.span, r.span, t!("compared", "相比较"));
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
                        t!(
                            "cannot compare {} with {} using `{}`",
                            "{}与{}不能用“{}”比较",
                            ln,
                            rn,
                            op.symbol()
                        ),
                    )
                    .at(r.span, rn)
                    .with_label(l.span, ln),
                );
            }
        }
        (Expr::Compare(lower(op), Box::new(a), Box::new(b)), T::Bool)
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
                    t!(
                        "\"{s}\" is not a value `{whose}` can have ({})",
                        "“{s}”不是“{whose}”的可选值（可选值为：{}）",
                        Text::list(&info.variants)
                    ),
                )
                .at(text.span, t!("not one of its values", "不在可选值之列"))
                .with_label(
                    other.span,
                    t!("one of {}", "取值为{}之一", quoted_text(&info.variants)),
                );
                d = match suggest(s, info.variants.iter().map(String::as_str)) {
                    Some(v) => d.with_help(t!("did you mean \"{v}\"?", "是否应为“{v}”？")),
                    None => d.with_help(t!(
                        "write one of {}",
                        "请写{}之一",
                        quoted_text(&info.variants)
                    )),
                };
                self.report(d);
                ir
            }
        }
    }

    fn clash(&mut self, c: Clash, x: &U, y: &U, ls: Span, rs: Span, verb: Text) {
        let (xn, yn) = (unit_name(x), unit_name(y));
        let d = match c {
            Clash::BareRate => Diagnostic::new(Code::BareRate, t!("a bare number is {} with {}", "不带单位的数与{1}{0}", verb, if matches!(x, U::Bare) { &yn } else { &xn }))
                .at(if matches!(x, U::Bare) { ls } else { rs }, t!("write its unit", "请写明单位"))
                .with_help(t!("write percentages with % (90%) and percentage points with pp (0.1pp)", "百分比请带 %（如 90%），百分点请带 pp（如 0.1pp）")),
            Clash::RateVsPoints => Diagnostic::new(Code::RateVsPoints, t!("a rate is {} with a difference of rates: {} and {}", "比率与比率之差{}：{}与{}", verb, xn, yn))
                .at(rs, yn)
                .with_label(ls, xn)
                .with_help(t!("a difference of two rates is in percentage points: write the step or bound with pp (0.1pp), or compare rates with rates", "两个比率之差以百分点计：步长或界限请带 pp（如 0.1pp），或者让比率与比率比较")),
            Clash::Mismatch => Diagnostic::new(Code::UnitMismatch, t!("{} and {} cannot be {}", "{}与{}不能{}", xn, yn, verb))
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
        let bin = |a, b| Expr::Arith(lower(op), Box::new(a), Box::new(b));
        if op == BinOp::Div && is_zero_literal(r) {
            self.report(
                Diagnostic::new(
                    Code::DivideByZero,
                    t!("this divides by zero", "此处除数为零"),
                )
                .at(r.span, t!("zero", "零")),
            );
        } else if op == BinOp::Div && !matches!(bt, T::Error) {
            self.divisor(&b, r, cx);
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
                                t!("added", "相加减")
                            } else {
                                t!("combined", "相乘除")
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
                        t!(
                            "`{}` needs numbers, but these are {} and {}",
                            "“{}”两边应为数值，而这里是{}和{}",
                            op.symbol(),
                            ln,
                            rn
                        ),
                    )
                    .at(span, t!("expected numbers", "此处应为数值")),
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
                    self.clash(
                        c,
                        x,
                        y,
                        asp,
                        bsp,
                        t!("given as alternatives", "作为二选一的结果"),
                    );
                    T::Error
                }
            },
            _ if a == b => a.clone(),
            _ => {
                let (an, bn) = (type_name(a, &self.enums), type_name(b, &self.enums));
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        t!(
                            "the alternatives are {} and {}; they must be the same kind",
                            "两个可选结果分别是{}和{}，二者应为同一类",
                            an,
                            bn
                        ),
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
                                t!("\"{}\" has two arms", "“{}”对应了两次", p.value),
                            )
                            .at(p.span, t!("given again", "重复")),
                        ),
                        Some(i) => {
                            if let Some(slot) = table.get_mut(i) {
                                *slot = Some(value.clone());
                            }
                        }
                        None => {
                            let mut d = Diagnostic::new(
                                Code::NotAVariant,
                                t!(
                                    "\"{}\" is not a value of `{}`",
                                    "“{}”不是枚举“{}”的取值",
                                    p.value,
                                    info.name
                                ),
                            )
                            .at(p.span, t!("not one of its values", "不在可选值之列"));
                            if let Some(v) =
                                suggest(&p.value, info.variants.iter().map(String::as_str))
                            {
                                d = d.with_help(t!("did you mean \"{v}\"?", "是否应为“{v}”？"));
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
                            t!(
                                "the match gives no value for {}",
                                "“按”未给出{}对应的结果",
                                quoted_text(&missing)
                            ),
                        )
                        .at(span, t!("not every value is covered", "未覆盖全部取值"))
                        .with_help(t!(
                            "add an arm for each, or an `else => …` arm",
                            "请为每个取值各写一条对应，或加一条 `否则 => …`"
                        )),
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
                            t!(
                                "a match on a text needs an `else => …` arm",
                                "对文本“按”取值时须有一条 `否则 => …`"
                            ),
                        )
                        .at(
                            span,
                            t!("texts not listed have no value", "未列出的文本没有结果"),
                        ),
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
                    t!("`match`", "“按”"),
                    t!("a value of an enumeration or a text", "枚举值或文本"),
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
                        t!(
                            "{}(…) takes a record variable and a list",
                            "{}(…) 的参数应为一个记录变量和一个列表",
                            f.text
                        ),
                    )
                    .at(span, t!("expected `x in list`", "此处应为 `x 属于 列表`"))
                    .with_help(t!(
                        "write `{}(x in list where …)`",
                        "请写作 `{}(x 属于 列表 其中 …)`",
                        f.text
                    )),
                );
                return (Expr::Const(Value::Missing), T::Error);
            }
            _ => {
                let known = [
                    "min", "max", "abs", "quarter", "month", "given", "count", "sum",
                ];
                let mut d = Diagnostic::new(
                    Code::UnknownFunction,
                    t!("kaohe has no function `{}`", "kaohe 没有函数“{}”", f.text),
                )
                .at(f.span, t!("unknown function", "未知函数"));
                d = match suggest(&f.text, known) {
                    Some(s) => d.with_help(t!("did you mean `{s}`?", "是否应为“{s}”？")),
                    None => d.with_note(t!(
                        "the functions are: {}",
                        "可用的函数有：{}",
                        Text::list(&known)
                    )),
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
            let wanted = arity.map_or(t!("at least one argument", "至少一个参数"), |n| {
                let s = if n == 1 { "" } else { "s" };
                t!("{n} argument{s}", " {n} 个参数")
            });
            self.report(
                Diagnostic::new(
                    Code::Arity,
                    t!(
                        "`{}` takes {}, but is given {}",
                        "“{}”需要{}，实际给了 {} 个",
                        f.text,
                        wanted,
                        args.len()
                    ),
                )
                .at(span, t!("wrong number of arguments", "参数个数不对")),
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
                        self.mismatch(
                            t!("`{}`", "函数“{}”", f.text),
                            t!("numbers", "数值"),
                            &at,
                            a.span,
                        );
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
                            t!("a date or a month number (a count)", "日期或月份数（计数）")
                        } else {
                            t!("a date", "日期")
                        };
                        self.mismatch(t!("`{}`", "函数“{}”", f.text), wanted, &other, a.span);
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
                    t!(
                        "`given` takes 1 argument, but is given {}",
                        "“given”需要 1 个参数，实际给了 {} 个",
                        args.len()
                    ),
                )
                .at(span, t!("wrong number of arguments", "参数个数不对")),
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
                            t!(
                                "`{}` is not optional, so it is always given",
                                "“{}”不是可缺数据项，总是有值",
                                self.inputs.get(slot).map_or("", |i| i.name.as_str())
                            ),
                        )
                        .at(arg.span, t!("always has a value", "总是有值"))
                        .with_help(t!(
                            "declare the input `optional` if the data may leave it out",
                            "如果数据中可能缺这一项，请把该数据项声明为“可缺”"
                        )),
                    );
                }
                (Expr::Call(Func::Given, vec![Expr::Input(slot)]), T::Bool)
            }
            _ => {
                if t != T::Error {
                    self.report(
                        Diagnostic::new(
                            Code::TypeMismatch,
                            t!("`given` asks about an input", "“given”的参数应为一个数据项"),
                        )
                        .at(
                            f.span.to(span),
                            t!("expected an input's name", "此处应为数据项名称"),
                        ),
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
                self.mismatch(
                    t!("`in`", "“属于”"),
                    t!("a list input", "列表型数据项"),
                    &other,
                    e.span,
                );
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
                    Diagnostic::new(Code::UnknownFunction, t!("`{other}` does not take `x in list`", "“{other}”不能接 `x 属于 列表`"))
                        .at(f.span, t!("not an aggregate", "不是汇总函数"))
                        .with_help(t!("the aggregates are count(x in list where …) and sum(x in list where …: value)", "汇总函数只有 count(x 属于 列表 其中 …) 和 sum(x 属于 列表 其中 …: 取值)")),
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
                let guarded = self.nonzero.len();
                if let Some(f) = &filter {
                    self.assume(f, true, cx);
                }
                let (value, unit) =
                    self.number_expr(v, cx, t!("what sum(…) adds up", "sum(…) 所加总的值"));
                self.nonzero.truncate(guarded);
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
                        t!(
                            "sum(…) needs the value to add up after a colon",
                            "sum(…) 须在冒号后写明要加总的值"
                        ),
                    )
                    .at(f.span, t!("nothing to add up", "没有要加总的值"))
                    .with_help(t!(
                        "write `sum(x in list where …: x.field)`",
                        "请写作 `sum(x 属于 列表 其中 …: x.字段名)`"
                    )),
                );
                (Expr::Const(Value::Missing), T::Error)
            }
            (Some(v), false) => {
                self.report(
                    Diagnostic::new(
                        Code::Arity,
                        t!(
                            "count(…) counts records and takes no value",
                            "count(…) 只统计记录条数，不接取值"
                        ),
                    )
                    .at(v.span, t!("not used", "用不上"))
                    .with_help(t!(
                        "remove `: …`, or use sum(…)",
                        "请删去 `: …`，或改用 sum(…)"
                    )),
                );
                (Expr::Const(Value::Missing), T::Error)
            }
        };
        cx.bindings.pop();
        result
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
fn lower(op: BinOp) -> ir::BinOp {
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
