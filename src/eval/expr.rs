//! Expressions: the general tree walk (`eval`, which builds a `Value`)
//! and, in front of it, the readers that take a yes/no or a number in
//! place (`truth`, `num`), each doing what `eval` does for the same
//! expression.

use super::arith::{add, div, mul, sub};
use super::fault::{Result, fault};
use super::score::Scorer;
use crate::diagnostic::Code;
use crate::exact;
use crate::ir::{Band, BandValue, BinOp, Expr, Func, Record, Value};
use crate::t;
use rust_decimal::Decimal;

impl<'p, 'e, const EXPLAIN: bool, const FAST: bool> Scorer<'p, 'e, EXPLAIN, FAST> {
    pub(super) fn input_name(&self, slot: usize) -> &str {
        self.program
            .inputs
            .get(slot)
            .map_or("?", |i| i.name.as_str())
    }

    /// A number held as such by a constant, an input or a record field:
    /// read without building a `Value`, and never a fault.
    #[inline(always)]
    pub(super) fn plain_num(&self, e: &Expr) -> Option<Decimal> {
        match self.plain(e)? {
            Value::Num(n) => Some(*n),
            _ => None,
        }
    }

    /// The value of a constant, an input or a record field, borrowed from
    /// where it lies (the expression or the entity), not from the scorer;
    /// `None` for other expressions and for a value that is missing.
    #[inline(always)]
    pub(super) fn plain<'x>(&self, e: &'x Expr) -> Option<&'x Value>
    where
        'e: 'x,
    {
        let locals: &[&'e Record] = &self.locals;
        match e {
            Expr::Const(v) => Some(v),
            Expr::Input(slot) => self.values.get(*slot),
            Expr::Field(depth, index) => locals.get(*depth).and_then(|r| r.get(*index)),
            _ => None,
        }
        .filter(|v| !matches!(v, Value::Missing | Value::Absent(_)))
    }

    /// A condition. A yes/no read in place, or its negation (most
    /// conditions of a table), is inlined into the caller; the rest is
    /// [`Self::truth_computed`].
    #[inline(always)]
    pub(super) fn truth(&mut self, e: &Expr) -> Result<bool> {
        let read = match e {
            _ if !FAST => None,
            Expr::Not(a) => self.plain(a).map(|v| (v, true)),
            _ => self.plain(e).map(|v| (v, false)),
        };
        if let Some((Value::Bool(b), negated)) = read {
            return Ok(*b != negated);
        }
        self.truth_computed(e)
    }

    #[inline(never)]
    pub(super) fn truth_computed(&mut self, e: &Expr) -> Result<bool> {
        // The common cases without building a `Value`; each does what
        // `eval` does for the same expression.
        if FAST {
            match e {
                Expr::Input(_) | Expr::Field(..) | Expr::Const(_) => {
                    if let Some(Value::Bool(b)) = self.plain(e) {
                        return Ok(*b);
                    }
                }
                Expr::Not(a) => return Ok(!self.truth(a)?),
                Expr::And(a, b) => return Ok(self.truth(a)? && self.truth(b)?),
                Expr::Or(a, b) => return Ok(self.truth(a)? || self.truth(b)?),
                Expr::Compare(op, a, b) => {
                    if let (Some(x), Some(y)) = (self.plain(a), self.plain(b)) {
                        return compare(*op, x, y);
                    }
                    if computes_number(a) || computes_number(b) {
                        // Both sides are numbers (the checker saw to it).
                        let x = self.num(a)?;
                        return Ok(holds(*op, exact::cmp(x, self.num(b)?)));
                    }
                }
                _ => {}
            }
        }
        match self.eval(e)? {
            Value::Bool(b) => Ok(b),
            other => fault(
                Code::Internal,
                t!(
                    "expected yes or no, found {other:?}",
                    "应为是或否，实际为 {other:?}"
                ),
            ),
        }
    }

    /// A number. One read in place (most numbers of a table) is inlined
    /// into the caller; the rest is [`Self::num_computed`].
    #[inline(always)]
    pub(super) fn num(&mut self, e: &Expr) -> Result<Decimal> {
        match self.plain_num(e).filter(|_| FAST) {
            Some(n) => Ok(n),
            None => self.num_computed(e),
        }
    }

    #[inline(never)]
    pub(super) fn num_computed(&mut self, e: &Expr) -> Result<Decimal> {
        // The forms that yield a number without building a `Value`; each
        // does what `eval` does for the same expression (same order, same
        // faults), reading its number-valued parts with `num`.
        if FAST {
            match e {
                Expr::Arith(op, a, b) => return self.arith(*op, a, b),
                Expr::Neg(a) => return Ok(-self.num(a)?),
                Expr::Bands(s, bands) => {
                    let x = self.num(s)?;
                    return self.band(x, bands);
                }
                Expr::If(c, a, b) => {
                    return if self.truth(c)? {
                        self.num(a)
                    } else {
                        self.num(b)
                    };
                }
                Expr::Match(s, arms) => {
                    let arm = self.arm(s, arms)?;
                    return self.num(arm);
                }
                _ => {}
            }
        }
        match self.eval(e)? {
            Value::Num(n) => Ok(n),
            other => fault(
                Code::Internal,
                t!(
                    "expected a number, found {other:?}",
                    "应为数值，实际为 {other:?}"
                ),
            ),
        }
    }

    pub(super) fn date(&mut self, e: &Expr) -> Result<i32> {
        match self.eval(e)? {
            Value::Date(d) => Ok(d),
            other => fault(
                Code::Internal,
                t!(
                    "expected a date, found {other:?}",
                    "应为日期，实际为 {other:?}"
                ),
            ),
        }
    }

    pub(super) fn eval(&mut self, e: &Expr) -> Result<Value> {
        Ok(match e {
            Expr::Const(v) => v.clone(),
            Expr::Input(slot) => self.input(*slot)?,
            Expr::Field(depth, index) => self.field(*depth, *index)?,
            Expr::Not(a) => Value::Bool(!self.truth(a)?),
            Expr::Neg(a) => Value::Num(-self.num(a)?),
            Expr::And(a, b) => Value::Bool(self.truth(a)? && self.truth(b)?),
            Expr::Or(a, b) => Value::Bool(self.truth(a)? || self.truth(b)?),
            Expr::Arith(op, a, b) => Value::Num(self.arith(*op, a, b)?),
            Expr::Compare(op, a, b) => {
                let (x, y) = (self.eval(a)?, self.eval(b)?);
                Value::Bool(compare(*op, &x, &y)?)
            }
            Expr::If(c, a, b) => {
                if self.truth(c)? {
                    self.eval(a)?
                } else {
                    self.eval(b)?
                }
            }
            Expr::Match(s, arms) => {
                let arm = self.arm(s, arms)?;
                self.eval(arm)?
            }
            Expr::MatchText(s, arms, default) => {
                let arm = self.text_arm(s, arms, default)?;
                self.eval(arm)?
            }
            Expr::Bands(s, bands) => {
                let x = self.num(s)?;
                Value::Num(self.band(x, bands)?)
            }
            Expr::Call(f, args) => self.call(*f, args)?,
            Expr::Count { list, filter } => Value::Num(self.count(*list, filter.as_deref())?),
            Expr::Sum {
                list,
                filter,
                value,
            } => Value::Num(self.sum(*list, filter.as_deref(), value)?),
            Expr::Standard(i) => Value::Num(self.standard(*i)?),
        })
    }

    /// The standard `index` for the unit's class: the value of the row of
    /// the class its enumeration input gives (a fault when it has none).
    pub(super) fn standard(&self, index: usize) -> Result<Decimal> {
        let Some(s) = self.program.standards.get(index) else {
            return fault(
                Code::Internal,
                t!("a standard the program lacks", "程序中没有这个标准"),
            );
        };
        match self.input(s.class)? {
            Value::Enum(v) => match s.values.get(v as usize) {
                Some(n) => Ok(*n),
                None => fault(
                    Code::Internal,
                    t!("a class outside its enumeration", "类别不在其枚举之内"),
                ),
            },
            other => fault(
                Code::Internal,
                t!(
                    "expected a class (an enumeration value), found {other:?}",
                    "应为类别（枚举值），实际为 {other:?}"
                ),
            ),
        }
    }

    /// An input's value; a fault when it has none.
    fn input(&self, slot: usize) -> Result<Value> {
        match self.values.get(slot) {
            Some(Value::Missing) | None => fault(
                Code::MissingOptional,
                t!(
                    "the optional input `{}` has no value, but the rule needs it here",
                    "可缺数据项“{}”没有取值，而此处规则需要用到它",
                    self.input_name(slot)
                ),
            ),
            Some(Value::Absent(word)) => fault(
                Code::AbsentRead,
                t!(
                    "input `{}` is given as \"{}\", but its rule for that word does not reach this rule",
                    "数据项“{}”填的是“{}”，而其缺项规则管不到此处规则",
                    self.input_name(slot),
                    word.word(self.program.header.lang)
                ),
            ),
            Some(v) => Ok(v.clone()),
        }
    }

    /// A field of a record bound by an `each` or aggregate.
    fn field(&self, depth: usize, index: usize) -> Result<Value> {
        match self.locals.get(depth).and_then(|r| r.get(index)) {
            Some(Value::Missing) | None => fault(
                Code::Internal,
                t!(
                    "a record field has no value, but the data reader requires every field",
                    "记录的某个字段没有取值，而读取数据时要求每个字段都有值"
                ),
            ),
            Some(v) => Ok(v.clone()),
        }
    }

    /// The arm of a `match` on a text that `s` selects, else `default`.
    fn text_arm<'x>(
        &mut self,
        s: &Expr,
        arms: &'x [(std::sync::Arc<str>, Expr)],
        default: &'x Expr,
    ) -> Result<&'x Expr> {
        let v = self.eval(s)?;
        Ok(arms
            .iter()
            .find(|(t, _)| matches!(&v, Value::Text(x) if x == t))
            .map_or(default, |(_, e)| e))
    }

    /// The arm of a `match` on an enumeration value that `s` selects; an
    /// input or constant is read in place.
    pub(super) fn arm<'x>(&mut self, s: &Expr, arms: &'x [Expr]) -> Result<&'x Expr> {
        let i = match self.plain(s).filter(|_| FAST) {
            Some(Value::Enum(i)) => *i,
            _ => match self.eval(s)? {
                Value::Enum(i) => i,
                other => {
                    return fault(
                        Code::Internal,
                        t!(
                            "expected an enumeration value, found {other:?}",
                            "应为枚举值，实际为 {other:?}"
                        ),
                    );
                }
            },
        };
        match arms.get(i as usize) {
            Some(arm) => Ok(arm),
            None => fault(
                Code::Internal,
                t!("a value outside its enumeration", "取值不在其枚举之内"),
            ),
        }
    }

    #[inline(always)]
    pub(super) fn arith(&mut self, op: BinOp, a: &Expr, b: &Expr) -> Result<Decimal> {
        let (x, y) = (self.num(a)?, self.num(b)?);
        match op {
            BinOp::Add => add(x, y),
            BinOp::Sub => sub(x, y),
            BinOp::Mul => mul(x, y),
            _ => div(x, y),
        }
    }

    pub(super) fn band(&mut self, x: Decimal, bands: &[Band]) -> Result<Decimal> {
        let Some(band) = bands.iter().find(|b| b.contains(x)) else {
            return fault(
                Code::NoBand,
                t!(
                    "no band covers the value {}",
                    "没有分档覆盖 {} 这个值",
                    x.normalize()
                ),
            );
        };
        match &band.value {
            BandValue::Value(v) => self.num(v),
            BandValue::Linear(a, b) => {
                let (a, b) = (self.num(a)?, self.num(b)?);
                let (Some((lo, _)), Some((hi, _))) = (band.lower, band.upper) else {
                    return Ok(a);
                };
                // a + (b − a) × (x − lo) / (hi − lo)
                let t = div(sub(x, lo)?, sub(hi, lo)?)?;
                add(a, mul(sub(b, a)?, t)?)
            }
        }
    }
}

/// Whether `e` can only yield a number, seen from its form alone (`eval`
/// gives these forms `Value::Num` or a fault): then a comparison with it
/// compares two numbers, and both sides can be read by `num`.
pub(super) fn computes_number(e: &Expr) -> bool {
    match e {
        Expr::Const(v) => matches!(v, Value::Num(_)),
        Expr::Neg(_)
        | Expr::Arith(..)
        | Expr::Bands(..)
        | Expr::Count { .. }
        | Expr::Sum { .. }
        | Expr::Standard(_) => true,
        Expr::Call(f, _) => matches!(
            f,
            Func::Min | Func::Max | Func::Abs | Func::Quarter | Func::Month | Func::DaysBetween
        ),
        _ => false,
    }
}

#[inline(always)]
pub(super) fn compare(op: BinOp, x: &Value, y: &Value) -> Result<bool> {
    use std::cmp::Ordering;
    let ord: Ordering = match (x, y) {
        (Value::Num(a), Value::Num(b)) => exact::cmp(*a, *b),
        (Value::Date(a), Value::Date(b)) => a.cmp(b),
        _ => {
            let eq = x == y;
            return match op {
                BinOp::Eq => Ok(eq),
                BinOp::Ne => Ok(!eq),
                _ => fault(
                    Code::Internal,
                    t!("these values cannot be ordered", "这些值无法比较大小"),
                ),
            };
        }
    };
    Ok(holds(op, ord))
}

/// Whether the comparison `op` holds for operands ordered `ord`.
#[inline]
pub(super) fn holds(op: BinOp, ord: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering;
    match op {
        BinOp::Eq => ord == Ordering::Equal,
        BinOp::Ne => ord != Ordering::Equal,
        BinOp::Lt => ord == Ordering::Less,
        BinOp::Le => ord != Ordering::Greater,
        BinOp::Gt => ord == Ordering::Greater,
        _ => ord != Ordering::Less,
    }
}
