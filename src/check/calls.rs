//! Calls: functions, `given(…)` and the aggregates count(…) and sum(…).

use super::Checker;
use super::expr::{Cx, is_zero_literal};
use super::types::T;
use crate::diagnostic::{Code, Diagnostic, Text, suggest};
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

    pub(super) fn aggregate(&mut self, f: &ast::Name, b: &ast::Binding, cx: &mut Cx) -> (Expr, T) {
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
