//! Calls: functions, `given(…)` and the aggregates count(…) and sum(…).

use super::Checker;
use super::expr::{Cx, is_zero_literal};
use super::messages;
use super::types::T;
use crate::diagnostic::suggest;
use crate::ir::{Expr, Func, Unit, Value};
use crate::parse::ast::{self};
use crate::source::Span;
use crate::t;

impl Checker {
    pub(super) fn call(
        &mut self,
        f: &ast::Name,
        args: &[ast::Expr],
        span: Span,
        cx: &mut Cx,
    ) -> (Expr, T) {
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
                self.report(messages::aggregate_needs_binding(&f.text, span));
                return (Expr::Const(Value::Missing), T::Error);
            }
            _ => {
                let known = [
                    "min", "max", "abs", "quarter", "month", "given", "count", "sum",
                ];
                self.report(messages::unknown_function(
                    &f.text,
                    f.span,
                    suggest(&f.text, known),
                    &known,
                ));
                return (Expr::Const(Value::Missing), T::Error);
            }
        };
        let ok = match arity {
            Some(n) => args.len() == n,
            None => !args.is_empty(),
        };
        if !ok {
            visit(self, cx);
            self.report(messages::wrong_arity(&f.text, arity, args.len(), span));
            return (Expr::Const(Value::Missing), T::Error);
        }
        self.call_args(func, f, args, cx)
    }

    /// A call of a known function with the right number of arguments.
    fn call_args(
        &mut self,
        func: Func,
        f: &ast::Name,
        args: &[ast::Expr],
        cx: &mut Cx,
    ) -> (Expr, T) {
        let mut irs = Vec::new();
        let mut t = T::Error;
        for (i, a) in args.iter().enumerate() {
            let (ir, at) = self.expr(a, cx);
            irs.push(ir);
            t = match func {
                Func::Min | Func::Max | Func::Abs => {
                    let first = args.first().map_or(a.span, |f| f.span);
                    self.number_arg(f, &t, at, (i, a), first)
                }
                _ => self.date_arg(func, f, at, a),
            };
        }
        (Expr::Call(func, irs), t)
    }

    /// The type of min, max or abs after argument `i`, `a` (of type `at`),
    /// the arguments before it being of type `so_far`, the first at `first`.
    fn number_arg(
        &mut self,
        f: &ast::Name,
        so_far: &T,
        at: T,
        (i, a): (usize, &ast::Expr),
        first: Span,
    ) -> T {
        match (&at, i) {
            (T::Num { .. } | T::Error, 0) => at,
            (T::Num { .. } | T::Error, _) => {
                self.join(so_far, &at, first, a.span, is_zero_literal(a))
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
        }
    }

    /// The type of quarter(…) or month(…) of argument `a`, of type `at`.
    fn date_arg(&mut self, func: Func, f: &ast::Name, at: T, a: &ast::Expr) -> T {
        match at {
            T::Date => T::num(Unit::Plain, true),
            T::Num { integral: true, .. } if func == Func::Quarter => T::num(Unit::Plain, true),
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
        }
    }

    /// `given(x)`: whether the optional input `x` has a value.
    fn given(&mut self, f: &ast::Name, args: &[ast::Expr], span: Span, cx: &mut Cx) -> (Expr, T) {
        let [arg] = args else {
            self.report(messages::given_arity(args.len(), span));
            return (Expr::Const(Value::Missing), T::Error);
        };
        let (ir, t) = self.expr(arg, cx);
        match ir {
            Expr::Input(slot) => {
                if self.inputs.get(slot).is_some_and(|i| !i.optional) {
                    self.report(messages::always_given(
                        self.inputs.get(slot).map_or("", |i| i.name.as_str()),
                        arg.span,
                    ));
                }
                (Expr::Call(Func::Given, vec![Expr::Input(slot)]), T::Bool)
            }
            _ => {
                if t != T::Error {
                    self.report(messages::given_needs_input(f.span.to(span)));
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

    pub(super) fn aggregate(&mut self, f: &ast::Name, b: &ast::Binding, cx: &mut Cx) -> (Expr, T) {
        let is_sum = match f.text.as_str() {
            "count" => false,
            "sum" => true,
            other => {
                self.report(messages::not_an_aggregate(other, f.span));
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
                self.report(messages::sum_without_value(f.span));
                (Expr::Const(Value::Missing), T::Error)
            }
            (Some(v), false) => {
                self.report(messages::count_with_value(v.span));
                (Expr::Const(Value::Missing), T::Error)
            }
        };
        cx.bindings.pop();
        result
    }
}
