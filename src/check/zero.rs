//! Divisions that may divide by zero on valid data (K0311).
//!
//! While an expression is lowered, the checker keeps what the conditions
//! around it prove about values that are not 0: the right of `a and b` is
//! worked out only when `a` holds, the right of `a or b` only when `a`
//! does not, `then` only when its condition holds and `else` only when it
//! does not, a clause's amount only when its condition holds, and `each`'s
//! value only for the records its `where` lets through. A divisor that may
//! be 0 (a count, a rate, a number, a record's field, or an expression of
//! them that is not provably non-zero; a standard by class is 0 only
//! when one of its rows is) and is not proved non-zero by what
//! guards it gets a warning: on data with that value the unit cannot be
//! scored (K0602).

use super::Checker;
use super::expr::Cx;
use super::messages;
use crate::ir::BinOp;
use crate::ir::{Expr, Func, Ty, Value};
use crate::parse::ast;

/// The signs a value may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signs {
    pub neg: bool,
    pub zero: bool,
    pub pos: bool,
}

const ANY: Signs = Signs {
    neg: true,
    zero: true,
    pos: true,
};
const POSITIVE: Signs = Signs {
    neg: false,
    zero: false,
    pos: true,
};
const NON_NEG: Signs = Signs {
    neg: false,
    zero: true,
    pos: true,
};

impl Signs {
    fn of(n: rust_decimal::Decimal) -> Signs {
        Signs {
            neg: n.is_sign_negative() && !n.is_zero(),
            zero: n.is_zero(),
            pos: n.is_sign_positive() && !n.is_zero(),
        }
    }
    fn union(self, o: Signs) -> Signs {
        Signs {
            neg: self.neg || o.neg,
            zero: self.zero || o.zero,
            pos: self.pos || o.pos,
        }
    }
    fn negate(self) -> Signs {
        Signs {
            neg: self.pos,
            zero: self.zero,
            pos: self.neg,
        }
    }
    fn add(self, o: Signs) -> Signs {
        Signs {
            neg: self.neg || o.neg,
            pos: self.pos || o.pos,
            zero: (self.zero && o.zero) || (self.neg && o.pos) || (self.pos && o.neg),
        }
    }
    fn mul(self, o: Signs) -> Signs {
        Signs {
            neg: (self.neg && o.pos) || (self.pos && o.neg),
            pos: (self.pos && o.pos) || (self.neg && o.neg),
            zero: self.zero || o.zero,
        }
    }
    /// Never negative (`>= 0` holds).
    fn non_neg(self) -> bool {
        !self.neg
    }
    /// Never positive (`<= 0` holds).
    fn non_pos(self) -> bool {
        !self.pos
    }
}

impl Checker {
    /// Lowering `e` under what the guards around it already prove, the
    /// facts a condition known to be `truth` adds; the caller truncates
    /// `self.nonzero` back to its length before when leaving the guard.
    pub(super) fn assume(&mut self, condition: &Expr, truth: bool, cx: &Cx) {
        let mut found = Vec::new();
        self.facts(condition, truth, cx, &mut found);
        self.nonzero.extend(found);
    }

    fn facts(&self, e: &Expr, truth: bool, cx: &Cx, out: &mut Vec<Expr>) {
        match (e, truth) {
            (Expr::And(a, b), true) | (Expr::Or(a, b), false) => {
                self.facts(a, truth, cx, out);
                self.facts(b, truth, cx, out);
            }
            (Expr::Not(a), _) => self.facts(a, !truth, cx, out),
            (Expr::Compare(op, l, r), _) => {
                let op = if truth { *op } else { negated(*op) };
                self.compared(op, l, r, cx, out);
            }
            _ => {}
        }
    }

    /// What `l op r`, known to hold, proves non-zero.
    fn compared(&self, op: BinOp, l: &Expr, r: &Expr, cx: &Cx, out: &mut Vec<Expr>) {
        let (ls, rs) = (self.signs(l, cx), self.signs(r, cx));
        let (l_nz, r_nz) = match op {
            BinOp::Ne => (!rs.neg && !rs.pos, !ls.neg && !ls.pos),
            BinOp::Eq => (!rs.zero, !ls.zero),
            // l > r ≥ 0, or 0 ≥ l > r.
            BinOp::Gt => (rs.non_neg(), ls.non_pos()),
            BinOp::Ge => (rs.non_neg() && !rs.zero, ls.non_pos() && !ls.zero),
            BinOp::Lt => (rs.non_pos(), ls.non_neg()),
            BinOp::Le => (rs.non_pos() && !rs.zero, ls.non_neg() && !ls.zero),
            _ => (false, false),
        };
        if l_nz {
            out.push(l.clone());
        }
        if r_nz {
            out.push(r.clone());
        }
    }

    /// The signs `e` may have, given its type and the guards around it.
    pub(super) fn signs(&self, e: &Expr, cx: &Cx) -> Signs {
        let s = self.signs_of(e, cx);
        if s.zero && self.nonzero.iter().any(|n| n == e) {
            Signs { zero: false, ..s }
        } else {
            s
        }
    }

    fn signs_of(&self, e: &Expr, cx: &Cx) -> Signs {
        let of_ty = |ty: Option<&Ty>| match ty {
            Some(Ty::Count(_) | Ty::Rate) => NON_NEG,
            // Never 0: 1–12, 1–4.
            Some(Ty::Month | Ty::Quarter) => POSITIVE,
            _ => ANY,
        };
        match e {
            Expr::Const(Value::Num(n)) => Signs::of(*n),
            Expr::Input(slot) => of_ty(self.inputs.get(*slot).map(|i| &i.ty)),
            Expr::Field(depth, index) => of_ty(self.field_ty(*depth, *index, cx)),
            Expr::Neg(a) => self.signs(a, cx).negate(),
            Expr::Arith(op, a, b) => self.arith_signs(*op, a, b, cx),
            Expr::If(_, a, b) => self.signs(a, cx).union(self.signs(b, cx)),
            Expr::Call(Func::Abs, args) => match args.first() {
                Some(a) => {
                    let s = self.signs(a, cx);
                    Signs {
                        neg: false,
                        zero: s.zero,
                        pos: s.neg || s.pos,
                    }
                }
                None => ANY,
            },
            Expr::Call(f @ (Func::Max | Func::Min), args) => self.extreme_signs(*f, args, cx),
            Expr::Count { .. } => NON_NEG,
            Expr::Standard(at) => self.standard_signs(*at),
            _ => ANY,
        }
    }

    /// The signs a standard by class may have: those of its values, one
    /// per value of the class (a row, or `else`), since every unit takes
    /// one of them.
    fn standard_signs(&self, at: usize) -> Signs {
        let checked = (self.standards.iter()).filter_map(|d| d.checked.as_ref());
        match checked.map(|(s, _)| s).nth(at) {
            Some(s) if !s.values.is_empty() => (s.values.iter()).map(|v| Signs::of(*v)).fold(
                Signs {
                    neg: false,
                    zero: false,
                    pos: false,
                },
                Signs::union,
            ),
            _ => ANY,
        }
    }

    /// The type of field `index` of the records bound at `depth`.
    pub(super) fn field_ty(&self, depth: usize, index: usize, cx: &Cx) -> Option<&Ty> {
        let list = cx.bindings.get(depth).map(|(_, list)| *list);
        list.and_then(|l| self.inputs.get(l))
            .and_then(|i| match &i.ty {
                Ty::List(fields) => fields.get(index).map(|f| &f.ty),
                _ => None,
            })
    }

    /// The signs of `a op b`.
    fn arith_signs(&self, op: BinOp, a: &Expr, b: &Expr, cx: &Cx) -> Signs {
        let (x, y) = (self.signs(a, cx), self.signs(b, cx));
        match op {
            BinOp::Add => x.add(y),
            BinOp::Sub => x.add(y.negate()),
            BinOp::Mul => x.mul(y),
            // a / b is 0 only when a is.
            BinOp::Div => Signs {
                zero: x.zero,
                ..x.mul(Signs { zero: false, ..y })
            },
            _ => ANY,
        }
    }

    /// The signs of max(…) or min(…) of `args`.
    fn extreme_signs(&self, f: Func, args: &[Expr], cx: &Cx) -> Signs {
        let all: Vec<Signs> = args.iter().map(|a| self.signs(a, cx)).collect();
        let some = |p: fn(&Signs) -> bool| all.iter().any(p);
        let every = |p: fn(&Signs) -> bool| !all.is_empty() && all.iter().all(p);
        if f == Func::Max {
            // The largest is 0 only when one is 0 and none is above 0.
            Signs {
                pos: some(|s| s.pos),
                neg: every(|s| s.neg),
                zero: some(|s| s.zero) && every(|s| s.neg || s.zero),
            }
        } else {
            Signs {
                neg: some(|s| s.neg),
                pos: every(|s| s.pos),
                zero: some(|s| s.zero) && every(|s| s.pos || s.zero),
            }
        }
    }

    /// Warns when the divisor `d` (written at `written`) may be 0.
    pub(super) fn divisor(&mut self, d: &Expr, written: &ast::Expr, cx: &Cx) {
        if matches!(d, Expr::Const(_)) || !self.signs(d, cx).zero {
            return;
        }
        let w = self.written(written.span);
        self.report(messages::divisor_may_be_zero(&w, written.span));
    }
}

fn negated(op: BinOp) -> BinOp {
    match op {
        BinOp::Gt => BinOp::Le,
        BinOp::Ge => BinOp::Lt,
        BinOp::Lt => BinOp::Ge,
        BinOp::Le => BinOp::Gt,
        BinOp::Eq => BinOp::Ne,
        BinOp::Ne => BinOp::Eq,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;

    /// Whether a one-clause spec (`clause` in an item worth 3, with inputs
    /// `a`, `b` numbers, `n` a count, `r` a rate and a list `xs`) warns K0311.
    fn warns(clause: &str) -> bool {
        let spec = format!(
            "table \"t\" {{ total 3 }}\n\
             section 1 \"s\" {{ indicator 1 \"i\" {{ item 1.1 \"x\" score 3 {{\n\
             input a: number \"a\"\n input b: number \"b\"\n input n: count \"n\"\n input r: rate \"r\"\n\
             input xs: list {{ v: number \"v\", w: count \"w\" }} \"xs\"\n\
             {clause} \"why\"\n}} }} }}\n"
        );
        let compiled = crate::compile(&spec);
        let codes: Vec<Code> = compiled.diagnostics.iter().map(|d| d.code).collect();
        assert!(
            compiled.program.is_some(),
            "{clause}: {:?}",
            compiled.diagnostics
        );
        codes.contains(&Code::DivisorMayBeZero)
    }

    #[test]
    fn a_divisor_that_may_be_zero_warns() {
        for clause in [
            "deduct 1 if a / b < 1",
            "deduct 1 if a / n < 1",
            "deduct 1 if a / r < 1",
            "deduct 1 if a / (n - 1) < 1",
            "deduct 1 if a / abs(b) < 1",
            "deduct 1 if a > b and a / a < 1",
            "deduct 1 if b > 0 or a / b < 1",
            "deduct 1 if n >= 0 and a / n < 1",
            "deduct 1 if b > a and a / b < 1",
            "deduct 1 if a / max(n, 0) < 1",
            "deduct each x in xs: 1 / x.v",
            "deduct 1 if a / b < 1 and b > 0",
            "deduct (if b > 0 then 1 else a / b)",
        ] {
            assert!(warns(clause), "{clause}");
        }
    }

    #[test]
    fn a_guarded_or_non_zero_divisor_does_not_warn() {
        for clause in [
            "deduct 1 if a / 2 < 1",
            "deduct 1 if a / 90% < 1",
            "deduct 1 if a / (n + 1) < 1",
            "deduct 1 if b > 0 and a / b < 1",
            "deduct 1 if b < 0 and a / b < 1",
            "deduct 1 if b != 0 and a / b < 1",
            "deduct 1 if 0 < b and a / b < 1",
            "deduct 1 if n > 0 and a / n < 1",
            "deduct 1 if n >= 1 and a / n < 1",
            "deduct 1 if b > n and a / b < 1",
            "deduct 1 if b > r and a / b < 1",
            "deduct 1 if b = 0 or a / b < 1",
            "deduct 1 if not (b = 0) and a / b < 1",
            "deduct 1 if a > 0 and (b > 0 and a / b < 1)",
            "deduct a / b if b > 0",
            "deduct 1 if a / max(n, 1) < 1",
            "deduct 1 if a / abs(n + 1) < 1",
            "deduct (if b > 0 then a / b else 1)",
            "deduct (if b = 0 then 1 else a / b)",
            "deduct each x in xs where x.v > 0: 1 / x.v",
            "deduct each x in xs where x.w > 0: 1 / x.w",
            "deduct 1 if sum(x in xs where x.v > 0: 1 / x.v) > 1",
            "deduct 1 if a * b > 0 and a / (a * b) < 1",
        ] {
            assert!(!warns(clause), "{clause}");
        }
    }

    /// Whether a clause dividing by a standard by class (rows `rows`)
    /// warns K0311.
    fn warns_with_standard(rows: &str, clause: &str) -> bool {
        let spec = format!(
            "table \"t\" {{ total 3 }}\n\
             input k: enum {{ \"a\", \"b\", \"c\" }} \"k\"\n\
             standard s by k \"s\" {{ {rows} }}\n\
             section 1 \"s\" {{ indicator 1 \"i\" {{ item 1.1 \"x\" score 3 {{\n\
             input a: number \"a\"\n\
             {clause} \"why\"\n}} }} }}\n"
        );
        let compiled = crate::compile(&spec);
        assert!(
            compiled.program.is_some(),
            "{rows}: {:?}",
            compiled.diagnostics
        );
        (compiled.diagnostics.iter()).any(|d| d.code == Code::DivisorMayBeZero)
    }

    #[test]
    fn a_standard_by_class_warns_only_when_a_row_may_be_zero() {
        // Every row non-zero (with and without `else`): never 0.
        for rows in [
            "\"a\" => 3\n \"b\" => 2.5\n \"c\" => 2",
            "\"a\" => 3\n else => 2",
            "\"a\" => -1\n else => 2",
        ] {
            assert!(
                !warns_with_standard(rows, "deduct 1 if a / s < 1"),
                "{rows}"
            );
            // Its signs carry on through arithmetic: s * 2 is not 0 either.
            assert!(
                !warns_with_standard(rows, "deduct 1 if a / (s * 2) < 1"),
                "{rows}"
            );
        }
        // A row of 0, or one under `else`: a unit of that class divides by 0.
        for rows in [
            "\"a\" => 3\n \"b\" => 0\n \"c\" => 2",
            "\"a\" => 3\n else => 0",
        ] {
            assert!(warns_with_standard(rows, "deduct 1 if a / s < 1"), "{rows}");
        }
        // Rows of both signs may add to 0.
        assert!(warns_with_standard(
            "\"a\" => -1\n else => 1",
            "deduct 1 if a / (s + 1) < 1"
        ));
    }
}
