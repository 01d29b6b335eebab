//! Standards by the unit's class: `standard target_rate by town_class {
//! "城区" => 98%, else => 95% }` (标准 … 按 …). Each row is a number written
//! out; all rows in one unit (K0351); the class an enumeration input
//! (K0350) whose every value has a row or falls under `else` (K0352); a
//! row for a value the class lacks is K0208 with the nearest value, a value
//! given twice K0209. Rules read a standard by its name as they read an
//! input (`Expr::Standard`), which also reads the class (a fact of the line).

use super::Checker;
use super::expr::Cx;
use super::messages;
use super::types::{T, U, type_name, unify, unit_name};
use crate::diagnostic::suggest;
use crate::ir::{self, Expr, Ty, Unit, Value};
use crate::parse::ast::{self, ExprKind, UnOp};
use rust_decimal::Decimal;

/// What the checker keeps of a standard while checking the rules.
pub(super) struct Declared {
    pub name: String,
    /// The checked standard; `None` when it had an error (already
    /// reported), so that its uses stay quiet.
    pub checked: Option<(ir::Standard, T)>,
    pub span: crate::source::Span,
    pub used: bool,
}

impl Checker {
    /// Every standard of the spec, after the inputs are declared.
    pub(super) fn standards(&mut self, spec: &ast::Spec) {
        for d in &spec.standards {
            self.standard_decl(d);
        }
    }

    fn standard_decl(&mut self, d: &ast::StandardDecl) {
        // The class is read wherever the standard is: not unused, even
        // when the standard has an error to mend first.
        if let Some(&class) = self.by_name.get(&d.class.text)
            && let Some(u) = self.used.get_mut(class)
        {
            *u = true;
        }
        let name = d.name.text.as_str();
        if let Some(&slot) = self.by_name.get(name) {
            let first = self.inputs.get(slot).map(|i| i.span).unwrap_or_default();
            self.report(messages::standard_name_taken(
                name,
                true,
                d.name.span,
                first,
            ));
            return;
        }
        if let Some(first) = self.standards.iter().find(|s| s.name == name) {
            let first = first.span;
            self.report(messages::standard_name_taken(
                name,
                false,
                d.name.span,
                first,
            ));
            return;
        }
        let checked = self.standard_body(d);
        self.standards.push(Declared {
            name: name.to_string(),
            checked,
            span: d.name.span,
            used: false,
        });
    }

    fn standard_body(&mut self, d: &ast::StandardDecl) -> Option<(ir::Standard, T)> {
        let standard = d.name.text.as_str();
        let Some(&class) = self.by_name.get(&d.class.text) else {
            let near = suggest(&d.class.text, self.by_name.keys().map(String::as_str));
            self.report(messages::unknown_name(&d.class.text, d.class.span, near));
            return None;
        };
        let ty = self.inputs.get(class).map(|i| i.ty.clone())?;
        let Ty::Enum(e) = ty else {
            if !self.untyped.contains(&class) {
                let found = type_name(&T::of(&ty, class), &self.enums);
                self.report(messages::standard_class_not_enum(
                    standard,
                    &d.class.text,
                    found,
                    d.class.span,
                ));
            }
            return None;
        };
        let (values, t) = self.standard_values(d)?;
        let mut info = self.enums.get(e).cloned()?;
        if info.name.starts_with("enum {") {
            // An enumeration declared with its input is named by the input.
            info.name = d.class.text.clone();
        }
        let arms: Vec<Expr> = values.iter().map(|v| Expr::Const(Value::Num(*v))).collect();
        let errors = self.errors();
        let table = self.arm_table(&info, &d.rows, &arms);
        let elses: Vec<&ast::MatchArm> = d.rows.iter().filter(|r| r.pattern.is_none()).collect();
        if let Some(again) = elses.get(1) {
            self.report(messages::two_arms("else", again.span));
        }
        let fallback = (d.rows.iter().zip(&values))
            .find(|(r, _)| r.pattern.is_none())
            .map(|(_, v)| *v);
        let missing: Vec<String> = (info.variants.iter().zip(&table))
            .filter(|(_, v)| v.is_none())
            .map(|(n, _)| n.clone())
            .collect();
        if fallback.is_none() && !missing.is_empty() {
            let span = d.rows.last().map_or(d.span, |r| r.span);
            self.report(messages::standard_not_covered(
                standard,
                &d.class.text,
                &missing,
                span,
            ));
        }
        if self.errors() > errors {
            return None;
        }
        let by_value: Vec<Decimal> = (table.iter())
            .map(|v| match v {
                Some(Expr::Const(Value::Num(n))) => Some(*n),
                _ => fallback,
            })
            .collect::<Option<_>>()?;
        let rows = (d.rows.iter().zip(&values))
            .map(|(r, v)| (r.pattern.as_ref().map(|p| p.value.clone()), *v))
            .collect();
        let shown = match &t {
            T::Num {
                unit: U::Known(u), ..
            } => Ty::Number(u.clone()),
            _ => Ty::Number(Unit::Plain),
        };
        let standard = ir::Standard {
            name: standard.to_string(),
            description: d
                .description
                .as_ref()
                .map_or(String::new(), |t| t.value.clone()),
            class,
            ty: shown,
            values: by_value,
            rows,
            span: d.name.span,
        };
        Some((standard, t))
    }

    /// The rows' values, normalised (98% is 0.98), and the type they share.
    fn standard_values(&mut self, d: &ast::StandardDecl) -> Option<(Vec<Decimal>, T)> {
        let standard = d.name.text.as_str();
        let mut values = Vec::new();
        let mut unit: Option<(U, crate::source::Span)> = None;
        let mut integral = true;
        let mut ok = true;
        for row in &d.rows {
            let (v, u, negative) = match &row.value.kind {
                ExprKind::Number(v, u) => (*v, u.as_ref(), false),
                ExprKind::Unary(UnOp::Neg, inner) => match &inner.kind {
                    ExprKind::Number(v, u) => (*v, u.as_ref(), true),
                    _ => (Decimal::ZERO, None, false),
                },
                _ => {
                    self.report(messages::standard_not_a_number(standard, row.value.span));
                    ok = false;
                    continue;
                }
            };
            let (
                Expr::Const(Value::Num(n)),
                T::Num {
                    unit: u,
                    integral: i,
                },
            ) = self.number(v, u)
            else {
                ok = false;
                continue;
            };
            let n = if negative { -n } else { n };
            integral &= i;
            unit = match unit {
                None => Some((u, row.value.span)),
                Some((first, at)) => match unify(&first, &u, n.is_zero()) {
                    Ok(joined) => Some((joined, at)),
                    Err(_) => {
                        self.report(messages::standard_units(
                            standard,
                            unit_name(&first),
                            unit_name(&u),
                            row.value.span,
                            at,
                        ));
                        ok = false;
                        Some((first, at))
                    }
                },
            };
            values.push(n);
        }
        let (unit, _) = unit?;
        ok.then_some((values, T::Num { unit, integral }))
    }

    /// A rule's reading of a standard by its name: the standard for the
    /// unit's class; the class is one of the facts it read.
    pub(super) fn standard_ref(&mut self, index: usize, cx: &mut Cx) -> (Expr, T) {
        let Some(declared) = self.standards.get_mut(index) else {
            return (Expr::Const(Value::Missing), T::Error);
        };
        declared.used = true;
        let Some((standard, t)) = &declared.checked else {
            return (Expr::Const(Value::Missing), T::Error);
        };
        let (class, t) = (standard.class, t.clone());
        if let Some(u) = self.used.get_mut(class) {
            *u = true;
        }
        cx.read(class);
        let at = self.program_standards_index(index);
        (Expr::Standard(at), t)
    }

    /// The standard's index in the program: among the standards that
    /// checked, in the order declared.
    fn program_standards_index(&self, index: usize) -> usize {
        (self.standards.iter().take(index))
            .filter(|s| s.checked.is_some())
            .count()
    }

    /// The checked standards for the program, and a warning for each that
    /// no rule reads.
    pub(super) fn standards_done(&mut self) -> Vec<ir::Standard> {
        let declared = std::mem::take(&mut self.standards);
        for d in declared.iter().filter(|d| !d.used) {
            self.report(messages::unused_standard(&d.name, d.span));
        }
        declared
            .into_iter()
            .filter_map(|d| d.checked.map(|(s, _)| s))
            .collect()
    }
}
