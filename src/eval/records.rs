//! The records of a list read without the tree walk: a filter, a value or
//! a key of an `each` (or a `count`) over one record, and the values of
//! the records that count summed as integers of one scale.
//!
//! Each reader here is a fast path in front of the general way, as
//! `truth` and `num` are: it reads the common forms (a field, a constant,
//! an input, a comparison, `and`/`or`/`not`, `if`, a `match` on an
//! enumeration, arithmetic) straight from the record passed to it — no
//! record bound, no `Result` — and answers `None` for anything it does not
//! decide: another form, a value missing, absent or of another kind, an
//! operation that would fault. The caller then scores the whole list the
//! general way from its first record, which gives its own value or fault,
//! so a fast path never decides what the general way would not
//! (`eval::differential` holds the two together).

use super::arith::{add, div, mul, narrow, sub, ten};
use super::expr::holds;
use super::score::Scorer;
use crate::exact::{self, POWERS};
use crate::ir::{BinOp, Expr, Func, Record, Value};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::cmp::Ordering;

/// An operand read in place: a value where it lies, or a number computed.
#[derive(Clone, Copy)]
pub(super) enum Operand<'x> {
    Value(&'x Value),
    Num(Decimal),
}

impl Operand<'_> {
    /// The number it is, if a number.
    fn num(self) -> Option<Decimal> {
        match self {
            Operand::Value(Value::Num(n)) => Some(*n),
            Operand::Num(n) => Some(n),
            Operand::Value(_) => None,
        }
    }
}

impl<'p, 'e, const EXPLAIN: bool, const FAST: bool> Scorer<'p, 'e, EXPLAIN, FAST> {
    /// A constant, an input, a field of `r` (the record bound at depth
    /// `at`) or of a record bound outside it, or a number computed from
    /// them by arithmetic, `quarter`/`month` of a field; `None` for other
    /// forms and for a value missing or absent.
    pub(super) fn operand<'x>(&self, e: &'x Expr, r: &'x Record, at: usize) -> Option<Operand<'x>>
    where
        'e: 'x,
    {
        let v = match e {
            Expr::Const(v) => v,
            Expr::Input(slot) => self.values.get(*slot)?,
            Expr::Field(depth, index) if *depth == at => r.get(*index)?,
            Expr::Field(depth, index) => {
                let outer: &'e Record = self.locals.get(*depth)?;
                outer.get(*index)?
            }
            Expr::Arith(op, a, b) => {
                let (x, y) = (self.number(a, r, at)?, self.number(b, r, at)?);
                let z = match op {
                    BinOp::Add => add(x, y),
                    BinOp::Sub => sub(x, y),
                    BinOp::Mul => mul(x, y),
                    _ => div(x, y),
                };
                return z.ok().map(Operand::Num);
            }
            Expr::Neg(a) => return Some(Operand::Num(-self.number(a, r, at)?)),
            Expr::Call(Func::Quarter, args) => {
                let [arg] = &args[..] else { return None };
                let month = match self.operand(arg, r, at)? {
                    Operand::Value(Value::Date(d)) => Decimal::from(crate::date::to_ymd(*d).1),
                    Operand::Value(Value::Num(m)) => *m,
                    Operand::Num(m) => m,
                    Operand::Value(_) => return None,
                };
                // As `call::quarter`: a whole month from 1 to 12.
                let whole = month.scale() == 0 || month.fract().is_zero();
                let m @ 1..=12 = month.to_u32().filter(|_| whole)? else {
                    return None;
                };
                return Some(Operand::Num(Decimal::from((m - 1) / 3 + 1)));
            }
            _ => return None,
        };
        (!matches!(v, Value::Missing | Value::Absent(_))).then_some(Operand::Value(v))
    }

    /// A number read by [`Self::operand`], or picked by `if` or `match`.
    pub(super) fn number(&self, e: &Expr, r: &Record, at: usize) -> Option<Decimal> {
        match e {
            Expr::If(c, a, b) => {
                if self.test(c, r, at)? {
                    self.number(a, r, at)
                } else {
                    self.number(b, r, at)
                }
            }
            Expr::Match(s, arms) => match self.operand(s, r, at)? {
                Operand::Value(Value::Enum(i)) => self.number(arms.get(*i as usize)?, r, at),
                _ => None,
            },
            _ => self.operand(e, r, at)?.num(),
        }
    }

    /// A condition over record `r` (bound at depth `at`).
    pub(super) fn test(&self, e: &Expr, r: &Record, at: usize) -> Option<bool> {
        match e {
            Expr::Not(a) => Some(!self.test(a, r, at)?),
            Expr::And(a, b) => Some(self.test(a, r, at)? && self.test(b, r, at)?),
            Expr::Or(a, b) => Some(self.test(a, r, at)? || self.test(b, r, at)?),
            Expr::If(c, a, b) => {
                if self.test(c, r, at)? {
                    self.test(a, r, at)
                } else {
                    self.test(b, r, at)
                }
            }
            Expr::Compare(op, a, b) => {
                let (x, y) = (self.operand(a, r, at)?, self.operand(b, r, at)?);
                let ord = match (x, y) {
                    (Operand::Value(Value::Num(x)), Operand::Value(Value::Num(y))) => {
                        exact::cmp(*x, *y)
                    }
                    (Operand::Value(Value::Date(x)), Operand::Value(Value::Date(y))) => x.cmp(y),
                    (Operand::Value(x), Operand::Value(y)) => {
                        // As `expr::compare`: other values only equal or not.
                        return match op {
                            BinOp::Eq => Some(x == y),
                            BinOp::Ne => Some(x != y),
                            _ => None,
                        };
                    }
                    (x, y) => exact::cmp(x.num()?, y.num()?),
                };
                Some(holds(*op, ord))
            }
            _ => match self.operand(e, r, at)? {
                Operand::Value(Value::Bool(b)) => Some(*b),
                _ => None,
            },
        }
    }
}

/// An `each`'s (or `count`'s) filter, its form told once per list rather
/// than once per record: one or two simple conditions (joined by `and` or
/// `or`), or any other condition read by [`Scorer::test`].
pub(super) enum Filter<'x> {
    All,
    One(Simple),
    /// `.1 and .2` (`.0` true) or `.1 or .2`.
    Both(bool, Simple, Simple),
    Other(&'x Expr),
}

/// A condition over the fields of the record alone.
#[derive(Clone, Copy)]
pub(super) enum Simple {
    /// Field `.0` is `.1`.
    Field(usize, bool),
    /// Fields `.1` and `.2` compared by `.0`.
    Fields(BinOp, usize, usize),
    /// Field `.1` compared by `.0` with field `.2` times `.3`
    /// (`r.index <= r.last_year * 90%`).
    Scaled(BinOp, usize, usize, Decimal),
    /// [`Simple::Scaled`] with a constant whose mantissa is below 2³¹
    /// (`.3`, at scale `.4`, the constant itself `.5`), told once per
    /// list: its product with any mantissa fits an `i128` unchecked.
    ScaledSmall(BinOp, usize, usize, i128, u32, Decimal),
}

impl Simple {
    fn of(e: &Expr, at: usize) -> Option<Self> {
        let field = |e: &Expr| match e {
            Expr::Field(d, i) if *d == at => Some(*i),
            _ => None,
        };
        Some(match e {
            Expr::Not(a) => Simple::Field(field(a)?, false),
            Expr::Compare(op, a, b) => match &**b {
                Expr::Arith(BinOp::Mul, y, c) => match &**c {
                    Expr::Const(Value::Num(c)) if c.mantissa().unsigned_abs() < 1 << 31 => {
                        Simple::ScaledSmall(*op, field(a)?, field(y)?, c.mantissa(), c.scale(), *c)
                    }
                    Expr::Const(Value::Num(c)) => Simple::Scaled(*op, field(a)?, field(y)?, *c),
                    _ => return None,
                },
                _ => Simple::Fields(*op, field(a)?, field(b)?),
            },
            _ => Simple::Field(field(e)?, true),
        })
    }

    #[inline(always)]
    fn test(self, r: &Record) -> Option<bool> {
        match self {
            Simple::Field(i, want) => match r.get(i)? {
                Value::Bool(b) => Some(*b == want),
                _ => None,
            },
            Simple::Fields(op, i, j) => {
                let ord = match (r.get(i)?, r.get(j)?) {
                    (Value::Num(x), Value::Num(y)) => exact::cmp(*x, *y),
                    (Value::Date(x), Value::Date(y)) => x.cmp(y),
                    _ => return None,
                };
                Some(holds(op, ord))
            }
            // As the general way: the field, then the product (through
            // the same checked multiplication), then the comparison.
            Simple::Scaled(op, i, j, c) => match (r.get(i)?, r.get(j)?) {
                (Value::Num(x), Value::Num(y)) => Some(holds(op, cmp_scaled(*x, *y, c)?)),
                _ => None,
            },
            Simple::ScaledSmall(op, i, j, m, scale, c) => match (r.get(i)?, r.get(j)?) {
                (Value::Num(x), Value::Num(y)) => {
                    let ord = match cmp_small(*x, *y, m, scale) {
                        Some(ord) => ord,
                        None => cmp_scaled(*x, *y, c)?,
                    };
                    Some(holds(op, ord))
                }
                _ => None,
            },
        }
    }
}

/// `x` compared with `y × c`, as `exact::cmp(x, mul(y, c)?)` orders them.
/// When the product is exact — its mantissa below 2⁹⁶ and its scale at
/// most 28, so that `Decimal::checked_mul` neither rounds nor overflows
/// and gives that very number — it is made from the two mantissas
/// multiplied in an `i128` (the same value, so the same ordering),
/// without rust_decimal's general multiplication; otherwise that
/// multiplication decides, `None` (the general way) where it fails.
#[inline(always)]
fn cmp_scaled(x: Decimal, y: Decimal, c: Decimal) -> Option<std::cmp::Ordering> {
    let scale = y.scale() + c.scale();
    let exact = (y.mantissa().checked_mul(c.mantissa()))
        .filter(|p| scale <= 28 && p.unsigned_abs() < 1u128 << 96)
        .and_then(|p| Decimal::try_from_i128_with_scale(p, scale).ok());
    let product = match exact {
        Some(p) => p,
        None => multiplied(y, c)?,
    };
    Some(exact::cmp(x, product))
}

/// `x` compared with `y × c`, `c` given as its mantissa `m` (below 2³¹,
/// so that the product of the mantissas cannot overflow an `i128`) and
/// `scale`, where the product is exact (below 2⁹⁶, at most 28 decimals,
/// as in [`cmp_scaled`]) and its scale and `x`'s differ by at most 9: the
/// two mantissas compared at one scale, without making the product a
/// decimal. `None` otherwise, for [`cmp_scaled`].
#[inline(always)]
fn cmp_small(x: Decimal, y: Decimal, m: i128, scale: u32) -> Option<std::cmp::Ordering> {
    let (p, scale) = (y.mantissa() * m, y.scale() + scale);
    if scale > 28 || p.unsigned_abs() >= 1 << 96 {
        return None;
    }
    let (xm, xs) = (x.mantissa(), x.scale());
    Some(if xs <= scale {
        (xm * *POWERS.get((scale - xs) as usize)?).cmp(&p)
    } else {
        xm.cmp(&(p * *POWERS.get((xs - scale) as usize)?))
    })
}

/// `y × c` by rust_decimal, out of line: a product past 96 bits or 28
/// decimals is rare, and its code would keep the readers from being inlined.
#[cold]
#[inline(never)]
fn multiplied(y: Decimal, c: Decimal) -> Option<Decimal> {
    mul(y, c).ok()
}

impl<'x> Filter<'x> {
    pub(super) fn of(e: Option<&'x Expr>, at: usize) -> Self {
        let Some(e) = e else { return Filter::All };
        let two = |a: &Expr, b: &Expr| Some((Simple::of(a, at)?, Simple::of(b, at)?));
        let both = match e {
            Expr::And(a, b) => two(a, b).map(|(a, b)| Filter::Both(true, a, b)),
            Expr::Or(a, b) => two(a, b).map(|(a, b)| Filter::Both(false, a, b)),
            _ => None,
        };
        both.or_else(|| Simple::of(e, at).map(Filter::One))
            .unwrap_or(Filter::Other(e))
    }

    /// Whether record `r` counts; `None` where the general way must decide.
    #[inline(always)]
    pub(super) fn test<const EXPLAIN: bool, const FAST: bool>(
        &self,
        s: &Scorer<'_, '_, EXPLAIN, FAST>,
        r: &Record,
        at: usize,
    ) -> Option<bool> {
        match self {
            Filter::All => Some(true),
            Filter::One(a) => a.test(r),
            Filter::Both(true, a, b) => Some(a.test(r)? && b.test(r)?),
            Filter::Both(false, a, b) => Some(a.test(r)? || b.test(r)?),
            Filter::Other(e) => s.test(e, r, at),
        }
    }
}

/// A filter of two comparisons of number field `i` with number field `j`
/// (times a constant or not), joined by `and` or `or`: `r.index <
/// r.last_year and r.index <= r.last_year * 90%`, the water readings'.
/// Compiled once per list ([`Ratio`]): the two fields read once a record
/// and compared as integers, with no `Decimal` unpacked twice and no
/// comparison's operator or filter's form read per record.
#[derive(Clone, Copy)]
pub(super) struct Pair {
    and: bool,
    ratios: [Ratio; 2],
    i: usize,
    j: usize,
}

impl Pair {
    /// The pair a filter is, if it is one.
    pub(super) fn of(e: Option<&Expr>, at: usize) -> Option<Pair> {
        let (and, a, b) = match e? {
            Expr::And(a, b) => (true, a, b),
            Expr::Or(a, b) => (false, a, b),
            _ => return None,
        };
        let (p, i, j) = Ratio::of(Simple::of(a, at)?)?;
        let (q, k, l) = Ratio::of(Simple::of(b, at)?)?;
        ((i, j) == (k, l)).then_some(Pair {
            and,
            ratios: [p, q],
            i,
            j,
        })
    }

    /// Whether record `r` counts: its two fields numbers with mantissas
    /// within 32 bits, read once; the second comparison only where the
    /// first does not decide, as the general way reads them. `None` for
    /// other values, or where a comparison does not decide
    /// ([`Filter::test`] then reads the record).
    #[inline(always)]
    pub(super) fn test(&self, r: &Record) -> Option<bool> {
        let (Value::Num(x), Value::Num(y)) = (r.get(self.i)?, r.get(self.j)?) else {
            return None;
        };
        let (x, y) = (narrow(*x)?, narrow(*y)?);
        let [p, q] = self.ratios;
        let first = p.holds(x, y)?;
        if first != self.and {
            return Some(first);
        }
        q.holds(x, y)
    }
}

/// A comparison of number field `x` with number field `y` times a
/// constant (`r.index <= r.last_year * 90%`; the constant 1 at scale 0
/// for `x < y`), told once per list: the orderings it holds for (bit 0
/// less, 1 equal, 2 greater), the constant's mantissa (below 2³¹) and
/// scale.
#[derive(Clone, Copy)]
struct Ratio {
    accept: u8,
    m: i64,
    scale: u32,
}

impl Ratio {
    /// The ratio of [`Simple::Fields`] or [`Simple::ScaledSmall`], and
    /// its two fields.
    fn of(s: Simple) -> Option<(Ratio, usize, usize)> {
        let (op, i, j, m, scale) = match s {
            Simple::Fields(op, i, j) => (op, i, j, 1, 0),
            Simple::ScaledSmall(op, i, j, m, scale, _) => (op, i, j, i64::try_from(m).ok()?, scale),
            _ => return None,
        };
        let orders = [Ordering::Less, Ordering::Equal, Ordering::Greater];
        let accept =
            (orders.iter().enumerate()).fold(0u8, |a, (k, o)| a | u8::from(holds(op, *o)) << k);
        Some((Ratio { accept, m, scale }, i, j))
    }

    /// Whether `x` and `y` (mantissas within 32 bits, at their scales)
    /// hold: `x` against `y × m` at scale `ys + scale`, which is below
    /// 2⁶³ and so exact, as `Decimal`'s product within 96 bits and 28
    /// decimals is; the two brought to the larger scale in an `i128`.
    /// `None` for a product past 28 decimals or scales more than 9 apart.
    #[inline(always)]
    fn holds(self, (x, xs): (i64, u32), (y, ys): (i64, u32)) -> Option<bool> {
        let (p, ps) = (y * self.m, ys + self.scale);
        if ps > 28 {
            return None;
        }
        let (x, p) = if xs <= ps {
            (i128::from(x) * i128::from(ten(ps - xs)?), i128::from(p))
        } else {
            (i128::from(x), i128::from(p) * i128::from(ten(xs - ps)?))
        };
        let bit = match x.cmp(&p) {
            Ordering::Less => 1,
            Ordering::Equal => 2,
            Ordering::Greater => 4,
        };
        Some(self.accept & bit != 0)
    }
}

/// The quarter of a month written as a whole number from 1 to 12 without
/// a decimal point, from 0, as `operand` reads `quarter(m)` less one;
/// `None` for any other value (a date, 3.0, 13), which `operand` reads.
#[inline(always)]
pub(super) fn quarter(v: &Value) -> Option<i64> {
    match v {
        Value::Num(m) => match narrow(*m) {
            Some((m @ 1..=12, 0)) => Some((m - 1) / 3),
            _ => None,
        },
        _ => None,
    }
}

/// The records that count of an `each` worth one constant each and capped
/// per `quarter(r.month)` (the water readings), counted per quarter in the
/// order the quarters first come: a quarter's sum is then the constant
/// times its count, with no key made a decimal and no sum kept a record.
#[derive(Default)]
pub(super) struct Quarters {
    counts: [u64; 4],
    order: [usize; 4],
    met: usize,
}

impl Quarters {
    /// The records of `records` that `counts` tells count, by the quarter
    /// of their field `month`; `None` where `counts` does not decide or a
    /// month is not a whole number from 1 to 12 ([`Groups`] then reads the
    /// list).
    #[inline(always)]
    pub(super) fn read(
        records: &[Record],
        month: usize,
        counts: impl Fn(&Record) -> Option<bool>,
    ) -> Option<Quarters> {
        let mut quarters = Quarters::default();
        for r in records {
            if counts(r)? {
                quarters.push(quarter(r.get(month)?)?)?;
            }
        }
        Some(quarters)
    }

    #[inline(always)]
    fn push(&mut self, q: i64) -> Option<()> {
        let q = usize::try_from(q).ok()?;
        let n = self.counts.get_mut(q)?;
        if *n == 0 {
            *self.order.get_mut(self.met)? = q;
            self.met += 1;
        }
        *n += 1;
        Some(())
    }

    /// What [`Groups::total`] gives for the same records each worth `c`
    /// above zero: a quarter's sum is `c` added its count of times from
    /// zero, which [`FixedSum`] makes `c`'s mantissa times the count at
    /// `c`'s scale (`None` past 96 bits, as there); each held within
    /// `cap` and added in the order the quarters came. `None` for a `c`
    /// not above zero.
    pub(super) fn total(&self, c: Decimal, cap: Decimal) -> Option<Decimal> {
        if c.is_zero() || c.is_sign_negative() {
            return None;
        }
        let (m, scale) = (c.mantissa(), c.scale());
        let order = self.order.get(..self.met)?;
        order.iter().try_fold(Decimal::ZERO, |s, &q| {
            let n = i128::from(*self.counts.get(q)?);
            let sum = Decimal::try_from_i128_with_scale(m.checked_mul(n)?, scale).ok()?;
            add(s, exact::min(sum, cap)).ok()
        })
    }
}

/// A once-per or group key of an `each`, its form told once per list: a
/// field of the record, the quarter of a month field (`quarter(r.month)`,
/// the water readings' groups), or any other key read by
/// [`Scorer::operand`].
#[derive(Clone, Copy)]
pub(super) enum Key<'x> {
    Field(usize),
    /// `quarter(r.month)`: the month's field, and the call.
    Quarter(usize, &'x Expr),
    Other(&'x Expr),
}

impl<'x> Key<'x> {
    pub(super) fn of(e: &'x Expr, at: usize) -> Self {
        match e {
            Expr::Field(d, i) if *d == at => Key::Field(*i),
            Expr::Call(Func::Quarter, args) => match &args[..] {
                [Expr::Field(d, i)] if *d == at => Key::Quarter(*i, e),
                _ => Key::Other(e),
            },
            _ => Key::Other(e),
        }
    }

    /// The key of record `r` (bound at depth `at`), as
    /// [`Scorer::operand`] reads it; `None` where the general way must
    /// decide.
    #[inline(always)]
    pub(super) fn read<'r, const EXPLAIN: bool, const FAST: bool>(
        self,
        s: &Scorer<'_, 'r, EXPLAIN, FAST>,
        r: &'x Record,
        at: usize,
    ) -> Option<Operand<'x>>
    where
        'r: 'x,
    {
        match self {
            Key::Field(i) => match r.get(i)? {
                Value::Missing | Value::Absent(_) => None,
                v => Some(Operand::Value(v)),
            },
            Key::Quarter(i, e) => match quarter(r.get(i)?) {
                Some(q) => Some(Operand::Num(Decimal::from(q + 1))),
                None => s.operand(e, r, at),
            },
            Key::Other(e) => s.operand(e, r, at),
        }
    }
}

/// An `each`'s value, its form told once per list: a constant, a constant
/// picked by a yes/no field or an enumeration field, or any other number
/// read by [`Scorer::number`].
pub(super) enum Pick<'x> {
    Const(Decimal),
    /// `if r.field then .1 else .2`.
    IfField(usize, Decimal, Decimal),
    /// `match r.field { … }`, every arm a number.
    MatchField(usize, &'x [Expr]),
    Other(&'x Expr),
}

impl<'x> Pick<'x> {
    pub(super) fn of(e: &'x Expr, at: usize) -> Self {
        let num = |e: &Expr| match e {
            Expr::Const(Value::Num(n)) => Some(*n),
            _ => None,
        };
        match e {
            Expr::Const(Value::Num(n)) => Pick::Const(*n),
            Expr::If(c, a, b) => match (&**c, num(a), num(b)) {
                (Expr::Field(d, i), Some(a), Some(b)) if *d == at => Pick::IfField(*i, a, b),
                _ => Pick::Other(e),
            },
            Expr::Match(f, arms) => match &**f {
                Expr::Field(d, i) if *d == at && arms.iter().all(|a| num(a).is_some()) => {
                    Pick::MatchField(*i, arms)
                }
                _ => Pick::Other(e),
            },
            _ => Pick::Other(e),
        }
    }

    /// The value of record `r`; `None` where the general way must decide.
    #[inline(always)]
    pub(super) fn read<const EXPLAIN: bool, const FAST: bool>(
        &self,
        s: &Scorer<'_, '_, EXPLAIN, FAST>,
        r: &Record,
        at: usize,
    ) -> Option<Decimal> {
        match self {
            Pick::Const(n) => Some(*n),
            Pick::IfField(i, a, b) => match r.get(*i)? {
                Value::Bool(true) => Some(*a),
                Value::Bool(false) => Some(*b),
                _ => None,
            },
            Pick::MatchField(i, arms) => match (r.get(*i)?, arms) {
                (Value::Enum(k), _) => match arms.get(*k as usize)? {
                    Expr::Const(Value::Num(n)) => Some(*n),
                    _ => None,
                },
                _ => None,
            },
            Pick::Other(e) => s.number(e, r, at),
        }
    }
}

/// An `each`'s value that is one of two constants above zero, picked by a
/// yes/no field (`if p.notified then 3 else 1`), or one constant above
/// zero (`.field` none, `.yes` and `.no` alike): the records that count
/// are counted by the constant they take, and the sum made at the end.
pub(super) struct Constants {
    field: Option<usize>,
    yes: Decimal,
    no: Decimal,
}

impl Constants {
    pub(super) fn of(p: &Pick) -> Option<Self> {
        let above_zero = |d: &Decimal| !d.is_zero() && d.is_sign_positive();
        let (field, yes, no) = match p {
            Pick::Const(c) => (None, *c, *c),
            Pick::IfField(i, a, b) => (Some(*i), *a, *b),
            _ => return None,
        };
        (above_zero(&yes) && above_zero(&no)).then_some(Constants { field, yes, no })
    }

    /// Whether record `r` takes the first constant; `None` for a field
    /// not yes or no (the general way decides).
    #[inline(always)]
    pub(super) fn first(&self, r: &Record) -> Option<bool> {
        let Some(i) = self.field else {
            return Some(true);
        };
        match r.get(i)? {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The sum of `yes` records of the first constant and `no` of the
    /// second, as [`FixedSum`] makes it of the values one by one: the
    /// values all above zero, it is their exact sum at the largest scale
    /// met, whatever their order; each constant's share is its mantissa
    /// times its count at its scale. `None` where [`FixedSum`] declines.
    pub(super) fn total(&self, yes: u64, no: u64) -> Option<Decimal> {
        let mut sum = FixedSum::default();
        sum.push_times(self.yes, yes)?;
        sum.push_times(self.no, no)?;
        sum.finish()
    }
}

/// The records of an `each` of [`Constants`] counted in a loop of its own,
/// for the two forms of the 2024 table: no filter and two constants picked
/// by a yes/no field (`each p: if p.notified then 3 else 1`), or one
/// constant and a filter comparing two fields (`each r where r.submitted >
/// r.due: 0.1`), the comparison's orderings told once per list (bit 0
/// less, 1 equal, 2 greater). Each record is read as [`Filter::test`] and
/// [`Constants::first`] read it; `None` for any other value (the caller
/// then reads the list as before).
#[derive(Clone, Copy)]
pub(super) enum Tally {
    Flags(usize),
    Fields { accept: u8, i: usize, j: usize },
}

impl Tally {
    pub(super) fn of(filter: &Filter, constants: &Constants) -> Option<Tally> {
        Some(match (filter, constants.field) {
            (Filter::All, Some(i)) => Tally::Flags(i),
            (Filter::One(Simple::Fields(op, i, j)), None) => {
                let orders = [Ordering::Less, Ordering::Equal, Ordering::Greater];
                let accept = (orders.iter().enumerate())
                    .fold(0u8, |a, (k, o)| a | u8::from(holds(*op, *o)) << k);
                Tally::Fields {
                    accept,
                    i: *i,
                    j: *j,
                }
            }
            _ => return None,
        })
    }

    /// The records taking the first constant and the second.
    pub(super) fn count(self, records: &[Record]) -> Option<(u64, u64)> {
        match self {
            Tally::Flags(i) => {
                let mut yes = 0u64;
                for r in records {
                    match r.get(i)? {
                        Value::Bool(b) => yes += u64::from(*b),
                        _ => return None,
                    }
                }
                Some((yes, records.len() as u64 - yes))
            }
            Tally::Fields { accept, i, j } => {
                let mut yes = 0u64;
                for r in records {
                    let ord = match (r.get(i)?, r.get(j)?) {
                        (Value::Date(x), Value::Date(y)) => x.cmp(y),
                        (Value::Num(x), Value::Num(y)) => exact::cmp(*x, *y),
                        _ => return None,
                    };
                    let bit = match ord {
                        Ordering::Less => 1,
                        Ordering::Equal => 2,
                        Ordering::Greater => 4,
                    };
                    yes += u64::from(accept & bit != 0);
                }
                Some((yes, 0))
            }
        }
    }
}

/// A sum of decimals none below zero, kept as one integer at the largest
/// scale met so far and made a decimal at the end: the same decimal, scale
/// included, as adding them one by one with `arith::add` from zero (which
/// passes a zero over, and gives the last zero when nothing else came).
/// `None` (the caller then adds them the general way) for a value below
/// zero, or a sum a decimal cannot hold exactly.
#[derive(Clone, Copy, Default)]
pub(super) struct FixedSum {
    mantissa: i128,
    scale: u32,
    /// The sum so far while it is zero: the last zero added, or none.
    zero: Option<Decimal>,
    nonzero: bool,
}

impl FixedSum {
    #[inline(always)]
    pub(super) fn push(&mut self, v: Decimal) -> Option<()> {
        if v.is_zero() {
            if !self.nonzero {
                self.zero = Some(v);
            }
            return Some(());
        }
        if v.is_sign_negative() {
            return None;
        }
        self.push_parts(v.mantissa(), v.scale())
    }

    /// `v` (above zero) pushed `n` times: its mantissa times `n` at its
    /// scale, the same integer the `n` additions make.
    pub(super) fn push_times(&mut self, v: Decimal, n: u64) -> Option<()> {
        if n == 0 {
            return Some(());
        }
        if v.is_zero() || v.is_sign_negative() {
            return None;
        }
        self.push_parts(v.mantissa().checked_mul(i128::from(n))?, v.scale())
    }

    /// A mantissa above zero at scale `s`.
    #[inline(always)]
    fn push_parts(&mut self, m: i128, s: u32) -> Option<()> {
        if !self.nonzero {
            (self.mantissa, self.scale, self.nonzero) = (m, s, true);
        } else if s == self.scale {
            self.mantissa = self.mantissa.checked_add(m)?;
        } else if s < self.scale {
            self.mantissa = self
                .mantissa
                .checked_add(m.checked_mul(power(self.scale - s)?)?)?;
        } else {
            self.mantissa = (self.mantissa.checked_mul(power(s - self.scale)?)?).checked_add(m)?;
            self.scale = s;
        }
        Some(())
    }

    /// The sum, when a decimal holds it exactly (every partial sum was no
    /// larger, so no addition along the way rounded).
    pub(super) fn finish(&self) -> Option<Decimal> {
        if !self.nonzero {
            return Some(self.zero.unwrap_or(Decimal::ZERO));
        }
        Decimal::try_from_i128_with_scale(self.mantissa, self.scale).ok()
    }
}

/// Up to this many keys met (the rows kept, or the groups), a key is
/// compared with them one by one; beyond, through a hash index made then
/// of the keys met so far, so that a long list of many keys costs n, not
/// n². With a fast hash (foldhash: a few multiplications a key, against
/// SipHash's rounds) the index pays already at a few keys: 8 distinct keys
/// are 28 comparisons one by one. A long list of few keys (the water
/// readings' four quarters) never makes one: its index, hashed for every
/// row and allocated for every scoring, cost more than the comparisons.
pub(super) const FEW: usize = 8;

/// The groups of an `each` with a cap per group, summed as their records
/// come: up to [`FEW`] keys, in the order they first come, each with its
/// values as one [`FixedSum`]. The same total, scale included, as
/// `each::capped_groups` makes of the rows listed first: each group's sum
/// is the decimal adding its values one by one gives (a group starts at
/// its first value, which is `0 + v`), and the groups' sums, each held
/// within the cap, are added in the same order by the same `add`.
pub(super) struct Groups<'x> {
    groups: [Group<'x>; FEW],
    len: usize,
    /// The group the last value went to, tried first: the records of a
    /// group often come together (the months of a quarter).
    last: usize,
}

/// A group's key, its key as a whole number when it is one written
/// without decimals (the mantissa: two such keys are equal exactly when
/// their mantissas are, −0 and 0 alike), and its sum.
#[derive(Clone, Copy)]
struct Group<'x> {
    key: Operand<'x>,
    whole: Option<i128>,
    sum: FixedSum,
}

impl Default for Groups<'_> {
    fn default() -> Self {
        let none = Group {
            key: Operand::Num(Decimal::ZERO),
            whole: None,
            sum: FixedSum::default(),
        };
        Groups {
            groups: [none; FEW],
            len: 0,
            last: 0,
        }
    }
}

impl<'x> Groups<'x> {
    /// Value `v` into the group of key `k`; `None` past [`FEW`] groups or
    /// where [`FixedSum`] declines.
    #[inline(always)]
    pub(super) fn push(&mut self, k: Operand<'x>, v: Decimal) -> Option<()> {
        let whole = k.num().filter(|n| n.scale() == 0).map(|n| n.mantissa());
        let is = |g: &Group| match (g.whole, whole) {
            (Some(a), Some(b)) => a == b,
            _ => same(g.key, k),
        };
        let at = match self
            .groups
            .get(self.last)
            .filter(|g| self.last < self.len && is(g))
        {
            Some(_) => self.last,
            None => self.find(is, k, whole)?,
        };
        self.last = at;
        self.groups.get_mut(at)?.sum.push(v)
    }

    /// The group `is` tells, or a new one after the last; `None` past
    /// [`FEW`] groups.
    #[inline(always)]
    fn find(
        &mut self,
        is: impl Fn(&Group) -> bool,
        key: Operand<'x>,
        whole: Option<i128>,
    ) -> Option<usize> {
        let met = self.groups.get(..self.len)?;
        if let Some(at) = met.iter().position(is) {
            return Some(at);
        }
        let g = self.groups.get_mut(self.len)?;
        (g.key, g.whole) = (key, whole);
        self.len += 1;
        Some(self.len - 1)
    }

    /// The sum of the groups' sums, each held within `cap`.
    pub(super) fn total(&self, cap: Decimal) -> Option<Decimal> {
        let met = self.groups.get(..self.len)?;
        met.iter().try_fold(Decimal::ZERO, |s, g| {
            add(s, exact::min(g.sum.finish()?, cap)).ok()
        })
    }
}

/// Whether two keys are equal as `each`'s keys are (`each::same`): two
/// numbers by `exact::cmp`, anything else by `==`.
#[inline(always)]
fn same(a: Operand, b: Operand) -> bool {
    match (a, b) {
        (Operand::Value(x), Operand::Value(y))
            if !matches!((x, y), (Value::Num(_), Value::Num(_))) =>
        {
            x == y
        }
        _ => match (a.num(), b.num()) {
            (Some(x), Some(y)) => exact::cmp(x, y).is_eq(),
            _ => false,
        },
    }
}

fn power(d: u32) -> Option<i128> {
    10i128.checked_pow(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// A field compared with a field times a constant orders the two as
    /// the product made by `arith::mul` does, for every pair of a set of
    /// decimals of all widths, scales and signs, zeros among them; and
    /// declines where that multiplication overflows.
    #[test]
    fn a_scaled_comparison_orders_as_the_product_made() {
        let texts = "0 0.00 -0 1 -1 3 3.0 0.5 -0.5 0.9 90 0.90 2.25 0.1 0.05 100 6.87 6.1837 \
            18446744073709551616 79228162514264337593543950335 -79228162514264337593543950335 \
            39614081257132168796771975168 0.0000000000000000000000000001 \
            7.9228162514264337593543950335 0.3333333333333333333333333333 12345678901234.5678";
        let ds: Vec<Decimal> = (texts.split_whitespace())
            .map(|t| Decimal::from_str(t).unwrap())
            .collect();
        let (mut fast, mut all, mut small) = (0, 0, 0);
        for &x in &ds {
            for &y in &ds {
                for &c in &ds {
                    all += 1;
                    let theirs = mul(y, c).ok().map(|p| exact::cmp(x, p));
                    assert_eq!(cmp_scaled(x, y, c), theirs, "{x} {y} {c}");
                    // The constant told small once: where it decides, as
                    // the product made.
                    if c.mantissa().unsigned_abs() < 1 << 31
                        && let Some(ord) = cmp_small(x, y, c.mantissa(), c.scale())
                    {
                        small += 1;
                        assert_eq!(Some(ord), theirs, "{x} {y} {c}");
                    }
                    let scale = y.scale() + c.scale();
                    fast += usize::from(
                        scale <= 28
                            && (y.mantissa().checked_mul(c.mantissa()))
                                .is_some_and(|p| p.unsigned_abs() < 1u128 << 96),
                    );
                }
            }
        }
        assert!(fast > all / 2, "{fast} of {all}");
        assert!(small > all / 3, "{small} of {all}");
    }

    /// A pair of comparisons of two number fields, compiled once
    /// ([`Pair`]), tells every record it decides as the two [`Simple`]s
    /// read one by one tell it (`and` and `or`, every operator, a
    /// constant or none): for every pair of a set of decimals of all
    /// widths, scales and signs, zeros among them.
    /// Every comparison a filter may make.
    const COMPARISONS: [BinOp; 6] = [
        BinOp::Lt,
        BinOp::Le,
        BinOp::Gt,
        BinOp::Ge,
        BinOp::Eq,
        BinOp::Ne,
    ];

    #[test]
    fn a_pair_of_comparisons_tells_as_its_two_conditions() {
        let texts = "0 0.00 -0 1 -1 3 3.0 0.5 -0.5 0.9 90 0.90 2.25 6.87 6.1837 6.183 \
            5.568 6.96 4294967295 4294967296 -4294967295 0.0000000001 1.0000000000 \
            79228162514264337593543950335 0.0000000000000000000000000001 12.3456789";
        let ds: Vec<Decimal> = (texts.split_whitespace())
            .map(|t| Decimal::from_str(t).unwrap())
            .collect();
        let ops = COMPARISONS;
        let constants = ["0.9", "0.90", "90", "-0.5", "0.0000000000000000001", "1"];
        let simple = |op: BinOp, c: Option<Decimal>| match c {
            Some(c) => Simple::ScaledSmall(op, 0, 1, c.mantissa(), c.scale(), c),
            None => Simple::Fields(op, 0, 1),
        };
        let (mut decided, mut all) = (0, 0);
        for (k, (&op, c)) in ops.iter().zip(constants.iter().cycle()).enumerate() {
            let c = Decimal::from_str(c).unwrap();
            // The first plain, the second scaled, and the other way round.
            let (a, b) = (simple(op, None), simple(ops[(k + 1) % 6], Some(c)));
            for (a, b) in [(a, b), (b, a)] {
                for and in [true, false] {
                    let (Some((p, i, j)), Some((q, ..))) = (Ratio::of(a), Ratio::of(b)) else {
                        panic!("both are ratios");
                    };
                    let pair = Pair {
                        and,
                        ratios: [p, q],
                        i,
                        j,
                    };
                    for &x in &ds {
                        for &y in &ds {
                            all += 1;
                            let r: Record = vec![Value::Num(x), Value::Num(y)].into();
                            let theirs = both(and, a, b, &r);
                            if let Some(ours) = pair.test(&r) {
                                decided += 1;
                                assert_eq!(Some(ours), theirs, "{x} {y} {and} {op:?} {c}");
                            }
                        }
                    }
                }
            }
        }
        assert!(decided > all / 2, "{decided} of {all}");
    }

    /// `a and b` or `a or b` read one by one, as [`Filter::Both`] reads it.
    fn both(and: bool, a: Simple, b: Simple, r: &Record) -> Option<bool> {
        if and {
            Some(a.test(r)? && b.test(r)?)
        } else {
            Some(a.test(r)? || b.test(r)?)
        }
    }

    /// Records counted per quarter ([`Quarters`]) total what [`Groups`]
    /// totals for the same records each worth the same constant: the very
    /// decimal, scale included, for constants of several scales and
    /// sizes (those past 96 bits declined by both), caps of several.
    #[test]
    fn records_counted_per_quarter_total_as_the_groups_summed() {
        let (mut decided, mut cases) = (0, 0);
        let cs = [
            "0.25",
            "0.5",
            "1",
            "0.10",
            "3.000",
            "79228162514264337593543950335",
            "0.0001",
        ];
        let caps = ["0.5", "1", "0.50", "100", "0.3"];
        for seed in 0..400u64 {
            let mut rng = crate::synth::Rng::new(seed);
            let n = rng.below(40) as usize;
            let months: Vec<i64> = (0..n).map(|_| 1 + rng.below(12) as i64).collect();
            let c = Decimal::from_str(cs[(seed % 7) as usize]).unwrap();
            let cap = Decimal::from_str(caps[(seed / 7 % 5) as usize]).unwrap();
            let mut quarters = Quarters::default();
            let mut groups = Groups::default();
            for m in &months {
                quarters.push((m - 1) / 3).unwrap();
                let key = Operand::Num(Decimal::from((m - 1) / 3 + 1));
                groups.push(key, c).unwrap_or_default();
            }
            cases += 1;
            decided += agree(quarters.total(c, cap), groups.total(cap), seed);
        }
        assert!(decided > cases / 2, "{decided} of {cases}");
    }

    /// Asserts the two totals are the very same decimal, scale included;
    /// 1 when they were worked out, 0 when both declined.
    fn agree(ours: Option<Decimal>, theirs: Option<Decimal>, seed: u64) -> usize {
        assert_eq!(
            ours.map(|d| d.serialize()),
            theirs.map(|d| d.serialize()),
            "{seed}"
        );
        usize::from(ours.is_some())
    }

    /// Records counted by the constant they take ([`Constants`]) total
    /// what [`FixedSum`] makes of the constants pushed one by one, in the
    /// records' order: the very decimal, scale included, for pairs of
    /// constants of several scales and sizes (sums past 96 bits declined
    /// by both).
    #[test]
    fn constants_counted_total_as_the_values_summed_one_by_one() {
        let cs = [
            "0.25",
            "0.5",
            "1",
            "3",
            "0.10",
            "3.000",
            "79228162514264337593543950335",
        ];
        let (mut decided, mut cases) = (0, 0);
        for seed in 0..300u64 {
            let mut rng = crate::synth::Rng::new(seed);
            let d = |k: u64| Decimal::from_str(cs[k as usize]).unwrap();
            let (yes, no) = (d(rng.below(7)), d(rng.below(7)));
            let field = (seed % 3 != 0).then_some(0);
            let constants = Constants::of(&match field {
                Some(i) => Pick::IfField(i, yes, no),
                None => Pick::Const(yes),
            })
            .unwrap();
            let n = rng.below(30);
            let (mut fixed, mut counts) = (FixedSum::default(), (0, 0));
            let mut pushed = Some(());
            for _ in 0..n {
                let r: Record = vec![Value::Bool(rng.below(2) == 0)].into();
                let first = constants.first(&r).unwrap();
                let v = if first || field.is_none() { yes } else { no };
                pushed = pushed.and_then(|()| fixed.push(v));
                if first {
                    counts.0 += 1;
                } else {
                    counts.1 += 1;
                }
            }
            cases += 1;
            let theirs = pushed.and_then(|()| fixed.finish());
            decided += agree(constants.total(counts.0, counts.1), theirs, seed);
        }
        assert!(decided > cases / 2, "{decided} of {cases}");
        // Zero or below zero is not counted: FixedSum keeps the last zero.
        assert!(Constants::of(&Pick::Const(Decimal::ZERO)).is_none());
        assert!(Constants::of(&Pick::IfField(0, Decimal::ONE, -Decimal::ONE)).is_none());
    }

    /// A tally counts the records as the filter and the constants read
    /// them one by one (`Filter::test`, then `Constants::first` for the
    /// records that count), and declines where either declines: records
    /// of yes/no fields, dates and numbers compared by every operator, with
    /// values of other kinds and missing fields among them.
    #[test]
    fn a_tally_counts_as_the_filter_and_the_constants_read_records() {
        let values = [
            Value::Bool(true),
            Value::Bool(false),
            Value::Date(19_000),
            Value::Date(19_001),
            Value::Num(Decimal::from_str("1.50").unwrap()),
            Value::Num(Decimal::from_str("1.5").unwrap()),
            Value::Num(Decimal::from_str("-2").unwrap()),
            Value::Missing,
        ];
        let ops = COMPARISONS;
        let (one, two) = (Decimal::ONE, Decimal::TWO);
        let (mut counted, mut cases) = (0, 0);
        for seed in 0..600u64 {
            let mut rng = crate::synth::Rng::new(seed);
            let (filter, pick) = if seed % 2 == 0 {
                (Filter::All, Pick::IfField(0, two, one))
            } else {
                let op = ops[rng.below(6) as usize];
                (Filter::One(Simple::Fields(op, 0, 1)), Pick::Const(one))
            };
            let constants = Constants::of(&pick).unwrap();
            let tally = Tally::of(&filter, &constants).expect("a form of the tally");
            // Mostly of one kind, so that most lists are counted.
            let kinds: &[usize] = match seed % 6 {
                0 | 2 => &[0, 1],
                1 | 3 => &[2, 3],
                4 => &[4, 5, 6],
                _ => &[0, 2, 4, 7],
            };
            let n = rng.below(12) as usize;
            let records: Vec<Record> = (0..n)
                .map(|_| {
                    let width = if rng.below(40) == 0 { 1 } else { 2 };
                    let mut field =
                        || values[kinds[rng.below(kinds.len() as u64) as usize]].clone();
                    (0..width).map(|_| field()).collect::<Vec<_>>().into()
                })
                .collect();
            let one_by_one = records.iter().try_fold((0u64, 0u64), |(y, n), r| {
                let counts = match &filter {
                    Filter::All => true,
                    Filter::One(s) => s.test(r)?,
                    _ => unreachable!(),
                };
                Some(match (counts, constants.first(r)?) {
                    (false, _) => (y, n),
                    (true, true) => (y + 1, n),
                    (true, false) => (y, n + 1),
                })
            });
            assert_eq!(tally.count(&records), one_by_one, "{seed}: {records:?}");
            counted += usize::from(one_by_one.is_some());
            cases += 1;
        }
        assert!(
            counted > cases / 2 && counted < cases,
            "{counted} of {cases}"
        );
    }

    /// The sum of every sequence of up to four decimals out of a set of
    /// zeros, scales and sizes is, bit for bit, what `arith::add` gives
    /// one by one from zero, or `None` where it would not be exact.
    #[test]
    fn a_fixed_sum_is_the_sum_added_one_by_one() {
        let texts = "0 0.00 -0 -0.0 1 3 3.0 0.5 2.25 0.1 0.05 100 \
            18446744073709551616 79228162514264337593543950335 39614081257132168796771975168 \
            0.0000000000000000000000000001 7.9228162514264337593543950335 -0.5";
        let ds: Vec<Decimal> = (texts.split_whitespace())
            .map(|t| Decimal::from_str(t).unwrap())
            .collect();
        let mut cases: Vec<Vec<Decimal>> = vec![Vec::new()];
        for _ in 0..4 {
            let longer: Vec<Vec<Decimal>> = (cases.iter())
                .flat_map(|c| {
                    ds.iter().map(move |d| {
                        let mut c = c.clone();
                        c.push(*d);
                        c
                    })
                })
                .collect();
            cases.extend(longer);
            cases.retain(|c| c.len() < 4 || c.iter().filter(|d| d.scale() > 20).count() < 2);
        }
        let mut exact = 0;
        for c in cases {
            let one_by_one = c.iter().try_fold(Decimal::ZERO, |s, d| add(s, *d).ok());
            let mut fixed = FixedSum::default();
            let ours = c
                .iter()
                .try_for_each(|d| fixed.push(*d))
                .and_then(|()| fixed.finish());
            if let Some(ours) = ours {
                exact += 1;
                let theirs = one_by_one.expect("an exact sum does not overflow");
                assert_eq!(ours.serialize(), theirs.serialize(), "{c:?}");
            } else {
                // Declined: a value below zero, or a sum past 96 bits.
                let big = c.iter().any(|d| d.scale() > 0 || d.mantissa() > 1 << 90);
                assert!(c.iter().any(|d| crate::exact::negative(*d)) || big, "{c:?}");
            }
        }
        assert!(exact > 10_000, "{exact}");
    }
}
