//! Referential types and counting units (issue 15, item 9): `any year`
//! on a date field only (K0370); counts of different units (次, 个) never
//! compared or added (K0371).

use super::expr::Cx;
use super::{Checker, messages};
use crate::ir::{Expr, Ty, Unit};
use crate::parse::ast;
use crate::source::Span;

impl Checker {
    /// Whether a list's field takes dates of any year; `any year` after a
    /// field that is no date is refused.
    pub(super) fn any_year(&mut self, f: &ast::FieldDecl, ty: &Ty) -> bool {
        let Some(at) = f.any_year else { return false };
        if *ty != Ty::Date {
            self.report(messages::any_year_not_date(&f.name.text, at));
            return false;
        }
        true
    }
}

impl Checker {
    /// K0371: two counts of different units (次 and 个) compared, added or
    /// subtracted. A count without a unit, a bare number and anything
    /// computed go with any count.
    pub(super) fn count_units(
        &mut self,
        (l, a): (&ast::Expr, &Expr),
        (r, b): (&ast::Expr, &Expr),
        cx: &Cx,
        compared: bool,
    ) {
        let (Some(x), Some(y)) = (self.counted(l, a, cx), self.counted(r, b, cx)) else {
            return;
        };
        if x != y {
            let at = Span::new(l.span.start, r.span.end);
            self.report(messages::count_units(&x, &y, at, compared));
        }
    }

    /// The unit an expression counts in: a count input's or field's
    /// (`count 次`), or a literal's written with a counting unit (`2次`).
    fn counted(&self, e: &ast::Expr, ir: &Expr, cx: &Cx) -> Option<String> {
        if let ast::ExprKind::Number(_, Some(unit)) = &e.kind {
            return (self.units.get(&unit.text) == Some(&Unit::Plain)).then(|| unit.text.clone());
        }
        let ty = match ir {
            Expr::Input(slot) => self.inputs.get(*slot).map(|i| &i.ty),
            Expr::Field(depth, index) => self.field_ty(*depth, *index, cx),
            _ => None,
        };
        match ty {
            Some(Ty::Count(Some(u))) => Some(u.clone()),
            _ => None,
        }
    }
}
