//! `match` on an enumeration or a text.

use super::Checker;
use super::expr::{Cx, quoted_text};
use super::types::T;
use crate::diagnostic::{Code, Diagnostic, suggest};
use crate::ir::{Expr, Value};
use crate::parse::ast::{self};
use crate::source::Span;
use crate::t;

impl Checker {
    pub(super) fn match_expr(
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
}
