//! The functions of the language: `min`, `max`, `abs`, `quarter`,
//! `month`, `date_add_days`, `given`, `days_between`.

use super::fault::{Result, fault};
use super::score::Scorer;
use crate::diagnostic::Code;
use crate::exact;
use crate::ir::{Expr, Func, Value};
use crate::t;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

impl<'p, 'e, const EXPLAIN: bool, const FAST: bool> Scorer<'p, 'e, EXPLAIN, FAST> {
    pub(super) fn call(&mut self, f: Func, args: &[Expr]) -> Result<Value> {
        let arg = |i: usize| match args.get(i) {
            Some(a) => Ok(a),
            None => fault(Code::Arity, t!("missing argument", "缺少参数")),
        };
        Ok(match f {
            Func::Min | Func::Max => Value::Num(self.min_max(f, args)?),
            Func::Abs => Value::Num(self.num(arg(0)?)?.abs()),
            Func::Quarter => Value::Num(self.quarter(arg(0)?)?),
            Func::Month => Value::Num(Decimal::from(crate::date::to_ymd(self.date(arg(0)?)?).1)),
            Func::DateAddDays => Value::Date(self.date_add_days(arg(0)?, arg(1)?)?),
            Func::Given => Value::Bool(self.given(args)?),
            Func::DaysBetween => {
                let (from, to) = (self.date(arg(0)?)?, self.date(arg(1)?)?);
                Value::Num(Decimal::from(i64::from(to) - i64::from(from)))
            }
        })
    }

    /// `min(…)` or `max(…)`; 0 with no arguments.
    fn min_max(&mut self, f: Func, args: &[Expr]) -> Result<Decimal> {
        let mut best: Option<Decimal> = None;
        for a in args {
            let v = self.num(a)?;
            best = Some(match best {
                None => v,
                Some(b) if f == Func::Min => exact::min(b, v),
                Some(b) => exact::max(b, v),
            });
        }
        Ok(best.unwrap_or(Decimal::ZERO))
    }

    /// The quarter (1 to 4) of a month number or of a date's month.
    fn quarter(&mut self, arg: &Expr) -> Result<Decimal> {
        let month = match self.eval(arg)? {
            Value::Date(d) => Decimal::from(crate::date::to_ymd(d).1),
            Value::Num(m) => m,
            other => {
                return fault(
                    Code::Internal,
                    t!(
                        "expected a month or a date, found {other:?}",
                        "应为月份或日期，实际为 {other:?}"
                    ),
                );
            }
        };
        // A whole month from 1 to 12, told without comparing decimals.
        let whole = month.scale() == 0 || month.fract().is_zero();
        let Some(m @ 1..=12) = month.to_u32().filter(|_| whole) else {
            return fault(
                Code::BadMonth,
                t!(
                    "{} is not a month (1 to 12)",
                    "{} 不是月份（应为 1 至 12）",
                    month.normalize()
                ),
            );
        };
        Ok(Decimal::from((m - 1) / 3 + 1))
    }

    /// A date moved by a whole number of days, within the calendar.
    fn date_add_days(&mut self, date: &Expr, days: &Expr) -> Result<i32> {
        let d = self.date(date)?;
        let n = self.num(days)?;
        let moved = n
            .to_i32()
            .and_then(|n| d.checked_add(n))
            .filter(|d| (1..=9999).contains(&crate::date::to_ymd(*d).0));
        match moved {
            Some(m) if n.fract().is_zero() => Ok(m),
            _ => fault(
                Code::Overflow,
                t!(
                    "moving a date by {} days leaves the calendar",
                    "日期移动 {} 天后超出了日历范围",
                    n.normalize()
                ),
            ),
        }
    }

    /// `given(input)`: whether the input has a value.
    fn given(&self, args: &[Expr]) -> Result<bool> {
        match args.first() {
            Some(Expr::Input(slot)) => Ok(!matches!(
                self.values.get(*slot),
                Some(Value::Missing | Value::Absent(_)) | None
            )),
            _ => fault(
                Code::Arity,
                t!(
                    "given() asks about an input",
                    "given() 的参数应为一个数据项"
                ),
            ),
        }
    }
}
