//! `match` on an enumeration or a text.

use super::Checker;
use super::expr::Cx;
use super::messages;
use super::types::T;
use crate::diagnostic::suggest;
use crate::ir::{EnumInfo, Expr, Value};
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
        let (values, t) = self.arm_values(arms, span, cx);
        let default = arms.iter().position(|a| a.pattern.is_none());
        let fallback = default.and_then(|i| values.get(i).cloned());
        match st {
            T::Enum(e) => match self.enum_arms(e, arms, &values, fallback, span) {
                Some(table) => (Expr::Match(Box::new(scrutinee), table), t),
                None => (Expr::Const(Value::Missing), T::Error),
            },
            T::Text => {
                let Some(fallback) = fallback else {
                    self.report(messages::text_match_without_else(span));
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

    /// The arms' values, and the type they agree on.
    fn arm_values(&mut self, arms: &[ast::MatchArm], span: Span, cx: &mut Cx) -> (Vec<Expr>, T) {
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
        (values, t)
    }

    /// A match on enumeration `e`: one value per variant, each from its arm
    /// or else the `else` arm; `None` for an enumeration not known.
    fn enum_arms(
        &mut self,
        e: usize,
        arms: &[ast::MatchArm],
        values: &[Expr],
        fallback: Option<Expr>,
        span: Span,
    ) -> Option<Vec<Expr>> {
        let info = self.enums.get(e).cloned()?;
        let table = self.arm_table(&info, arms, values);
        let missing: Vec<String> = info
            .variants
            .iter()
            .zip(&table)
            .filter(|(_, v)| v.is_none())
            .map(|(n, _)| n.clone())
            .collect();
        if fallback.is_none() && !missing.is_empty() {
            self.report(messages::match_not_exhaustive(&missing, span));
        }
        let arms = table
            .into_iter()
            .map(|v| {
                v.or_else(|| fallback.clone())
                    .unwrap_or(Expr::Const(Value::Missing))
            })
            .collect();
        Some(arms)
    }

    /// The value each variant's arm gives, reporting arms for values the
    /// enumeration lacks and values given two arms.
    pub(super) fn arm_table(
        &mut self,
        info: &EnumInfo,
        arms: &[ast::MatchArm],
        values: &[Expr],
    ) -> Vec<Option<Expr>> {
        let mut table: Vec<Option<Expr>> = vec![None; info.variants.len()];
        for (arm, value) in arms.iter().zip(values) {
            let Some(p) = &arm.pattern else { continue };
            match info.variants.iter().position(|v| *v == p.value) {
                Some(i) if table.get(i).is_some_and(Option::is_some) => {
                    self.report(messages::two_arms(&p.value, p.span))
                }
                Some(i) => {
                    if let Some(slot) = table.get_mut(i) {
                        *slot = Some(value.clone());
                    }
                }
                None => {
                    let near = suggest(&p.value, info.variants.iter().map(String::as_str));
                    self.report(messages::not_an_enum_value(
                        &p.value, &info.name, p.span, near,
                    ));
                }
            }
        }
        table
    }
}
