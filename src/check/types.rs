//! The checker's view of an expression's type, and the unit rules.

use crate::diagnostic::Text;
use crate::ir::{Ty, Unit};
use crate::t;

/// The type of an expression while checking.
#[derive(Clone, Debug, PartialEq)]
pub enum T {
    Bool,
    Num {
        unit: U,
        integral: bool,
    },
    Date,
    Text,
    Enum(usize),
    /// A record variable used without a field.
    Record,
    /// A list input, by slot.
    List(usize),
    /// The expression had an error, already reported.
    Error,
}

/// A number's unit while checking: a bare literal takes the unit of what it meets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum U {
    Bare,
    Known(Unit),
}

impl T {
    pub fn num(unit: Unit, integral: bool) -> T {
        T::Num {
            unit: U::Known(unit),
            integral,
        }
    }

    /// The type an input or field of type `ty` has in an expression.
    pub fn of(ty: &Ty, slot: usize) -> T {
        match ty {
            Ty::Bool => T::Bool,
            Ty::Count(_) | Ty::Month | Ty::Quarter => T::num(Unit::Plain, true),
            Ty::ItemRef => T::Text,
            Ty::Number(u) => T::num(u.clone(), false),
            Ty::Rate => T::num(Unit::Percent, false),
            Ty::Date => T::Date,
            Ty::Text => T::Text,
            Ty::Enum(e) => T::Enum(*e),
            Ty::List(_) => T::List(slot),
        }
    }
}

/// How a unit is named in messages.
pub fn unit_name(u: &U) -> Text {
    match u {
        U::Bare => t!("a bare number", "不带单位的数"),
        U::Known(Unit::Plain) => t!("a number without a unit", "无单位的数"),
        U::Known(Unit::Percent) => t!("a percentage (%)", "百分比（%）"),
        U::Known(Unit::Points) => t!("percentage points (pp)", "百分点（pp）"),
        U::Known(Unit::Days) => t!("days", "天数"),
        U::Known(Unit::Named(n)) => t!("{n}", "以“{n}”计的量"),
    }
}

/// How a type is named in messages.
pub fn type_name(t: &T, enums: &[crate::ir::EnumInfo]) -> Text {
    match t {
        T::Bool => t!("yes/no", "是否值"),
        T::Num { unit: U::Bare, .. } => t!("a number", "数值"),
        T::Num {
            unit: U::Known(Unit::Plain),
            integral: true,
        } => t!("a count", "计数"),
        T::Num {
            unit: U::Known(Unit::Plain),
            integral: false,
        } => t!("a ratio or plain number", "比值或无单位的数"),
        T::Num { unit, .. } => t!("a number in {}", "以{}计的数", unit_name(unit)),
        T::Date => t!("a date", "日期"),
        T::Text => t!("a text", "文本"),
        T::Enum(e) => {
            let name = enums.get(*e).map_or("?", |e| e.name.as_str());
            t!("a value of `{name}`", "枚举“{name}”的值")
        }
        T::Record => t!("a record", "记录"),
        T::List(_) => t!("a list", "列表"),
        T::Error => t!("an erroneous value", "有误的值"),
    }
}

/// Why two units do not go together.
#[derive(Debug, PartialEq, Eq)]
pub enum Clash {
    /// A bare number meets a percentage or percentage points.
    BareRate,
    /// A rate meets percentage points.
    RateVsPoints,
    Mismatch,
}

/// The common unit of two quantities added, subtracted or compared.
/// `bare_zero` is true when the bare side is the literal 0, which is 0 in any unit.
pub fn unify(a: &U, b: &U, bare_zero: bool) -> Result<U, Clash> {
    match (a, b) {
        (U::Bare, U::Bare) => Ok(U::Bare),
        (U::Bare, U::Known(u)) | (U::Known(u), U::Bare) => match u {
            Unit::Percent | Unit::Points if !bare_zero => Err(Clash::BareRate),
            _ => Ok(U::Known(u.clone())),
        },
        (U::Known(x), U::Known(y)) if x == y => Ok(a.clone()),
        (U::Known(Unit::Percent), U::Known(Unit::Points))
        | (U::Known(Unit::Points), U::Known(Unit::Percent)) => Err(Clash::RateVsPoints),
        _ => Err(Clash::Mismatch),
    }
}

/// Like `unify`, but a ratio (a number with decimals, such as `done / planned`)
/// also compares with a percentage, 0.9 being 90%.
pub fn unify_ratio(a: (&U, bool), b: (&U, bool), bare_zero: bool) -> Result<U, Clash> {
    let ratio = |u: &U, integral: bool| *u == U::Known(Unit::Plain) && !integral;
    match (a, b) {
        ((x, xi), (y, _)) if ratio(x, xi) && *y == U::Known(Unit::Percent) => Ok(y.clone()),
        ((x, _), (y, yi)) if ratio(y, yi) && *x == U::Known(Unit::Percent) => Ok(x.clone()),
        _ => unify(a.0, b.0, bare_zero),
    }
}

/// The unit of a product: percentages and plain numbers scale the other side.
pub fn product(a: &U, b: &U) -> Result<U, Clash> {
    let scales = |u: &U| {
        matches!(
            u,
            U::Bare | U::Known(Unit::Plain | Unit::Percent | Unit::Points)
        )
    };
    match (a, b) {
        _ if scales(a) && scales(b) => Ok(U::Known(Unit::Plain)).map(|u| {
            if *a == U::Bare && *b == U::Bare {
                U::Bare
            } else {
                u
            }
        }),
        _ if scales(a) => Ok(b.clone()),
        _ if scales(b) => Ok(a.clone()),
        _ => Err(Clash::Mismatch),
    }
}

/// The unit of a quotient: like units cancel, and dividing by a plain
/// number or a percentage keeps the unit.
pub fn quotient(a: &U, b: &U) -> Result<U, Clash> {
    let scales = |u: &U| {
        matches!(
            u,
            U::Bare | U::Known(Unit::Plain | Unit::Percent | Unit::Points)
        )
    };
    match (a, b) {
        (U::Bare, U::Bare) => Ok(U::Bare),
        (U::Known(x), U::Known(y)) if x == y => Ok(U::Known(Unit::Plain)),
        _ if scales(b) => Ok(if scales(a) {
            U::Known(Unit::Plain)
        } else {
            a.clone()
        }),
        _ => Err(Clash::Mismatch),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(u: Unit) -> U {
        U::Known(u)
    }

    #[test]
    fn units_follow_the_table_rules() {
        let ug = k(Unit::Named("μg/m³".into()));
        assert_eq!(unify(&ug, &U::Bare, false), Ok(ug.clone()));
        assert_eq!(unify(&ug, &k(Unit::Percent), false), Err(Clash::Mismatch));
        assert_eq!(
            unify(&k(Unit::Percent), &U::Bare, false),
            Err(Clash::BareRate)
        );
        assert_eq!(
            unify(&k(Unit::Percent), &U::Bare, true),
            Ok(k(Unit::Percent))
        );
        assert_eq!(
            unify(&k(Unit::Percent), &k(Unit::Points), false),
            Err(Clash::RateVsPoints)
        );
        assert_eq!(product(&U::Bare, &k(Unit::Percent)), Ok(k(Unit::Plain)));
        assert_eq!(product(&ug, &k(Unit::Percent)), Ok(ug.clone()));
        assert_eq!(quotient(&ug, &ug), Ok(k(Unit::Plain)));
        assert_eq!(
            quotient(&ug, &k(Unit::Named("dB".into()))),
            Err(Clash::Mismatch)
        );
    }
}
