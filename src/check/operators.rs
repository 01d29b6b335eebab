//! Operators: comparisons, arithmetic with units, and branches that must agree.

use super::Checker;
use super::expr::{Cx, is_zero_literal, lower};
use super::messages;
use super::types::{Clash, T, U, product, quotient, type_name, unify, unify_ratio};
use crate::diagnostic::{Text, suggest};
use crate::ir::{Expr, Func, Unit, Value};
use crate::parse::ast::{self, BinOp, ExprKind};
use crate::source::Span;
use crate::t;

impl Checker {
    pub(super) fn compare(
        &mut self,
        op: BinOp,
        l: &ast::Expr,
        r: &ast::Expr,
        cx: &mut Cx,
    ) -> (Expr, T) {
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
                } else {
                    self.count_units((l, &a), (r, &b), cx, true);
                }
            }
            (T::Date, T::Date) => {}
            (T::Bool, T::Bool) | (T::Text, T::Text) if equality => {}
            (T::Enum(e), T::Text) if equality => b = self.variant(*e, r, b, l),
            (T::Text, T::Enum(e)) if equality => a = self.variant(*e, l, a, r),
            (T::Enum(x), T::Enum(y)) if equality && x == y => {}
            _ => {
                let (ln, rn) = (type_name(&at, &self.enums), type_name(&bt, &self.enums));
                self.report(messages::cannot_compare(
                    ln,
                    rn,
                    op.symbol(),
                    l.span,
                    r.span,
                ));
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
                let near = suggest(s, info.variants.iter().map(String::as_str));
                let d =
                    messages::not_a_variant(s, &whose, &info.variants, text.span, other.span, near);
                self.report(d);
                ir
            }
        }
    }

    fn clash(&mut self, c: Clash, x: &U, y: &U, ls: Span, rs: Span, verb: Text) {
        self.report(messages::units_clash(c, x, y, ls, rs, verb));
    }

    pub(super) fn arith(
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
            self.report(messages::divides_by_zero(r.span));
        } else if op == BinOp::Div && !matches!(bt, T::Error) {
            self.divisor(&b, r, cx);
        }
        if matches!(op, BinOp::Add | BinOp::Sub)
            && matches!((&at, &bt), (T::Num { .. }, T::Num { .. }))
        {
            self.count_units((l, &a), (r, &b), cx, false);
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
            ) => self.number_arith(op, (x, *xi), (y, *yi), l, r),
            _ => {
                let (ln, rn) = (type_name(&at, &self.enums), type_name(&bt, &self.enums));
                self.report(messages::not_numbers(op.symbol(), ln, rn, span));
                T::Error
            }
        };
        (bin(a, b), t)
    }

    /// The type of arithmetic on two numbers, from their units.
    fn number_arith(
        &mut self,
        op: BinOp,
        (x, xi): (&U, bool),
        (y, yi): (&U, bool),
        l: &ast::Expr,
        r: &ast::Expr,
    ) -> T {
        let unit = match op {
            BinOp::Add | BinOp::Sub => {
                let zero = is_zero_literal(l) || is_zero_literal(r);
                sum_unit(op, x, y, zero)
            }
            BinOp::Mul => product(x, y),
            _ => quotient(x, y),
        };
        match unit {
            Ok(unit) => T::Num {
                unit,
                integral: xi && yi && op != BinOp::Div,
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
                self.report(messages::alternatives_differ(an, bn, asp, bsp));
                T::Error
            }
        }
    }
}

/// The unit of a sum or difference: rates differ by percentage points, and
/// points move a rate; otherwise both sides have one unit.
fn sum_unit(op: BinOp, x: &U, y: &U, zero: bool) -> Result<U, Clash> {
    match (x, y, op) {
        (U::Known(Unit::Percent), U::Known(Unit::Percent), BinOp::Sub) => {
            Ok(U::Known(Unit::Points))
        }
        (U::Known(Unit::Percent), U::Known(Unit::Points), _) => Ok(x.clone()),
        (U::Known(Unit::Points), U::Known(Unit::Percent), BinOp::Add) => Ok(y.clone()),
        _ => unify(x, y, zero),
    }
}
