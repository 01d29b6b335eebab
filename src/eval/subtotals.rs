//! Per-level subtotals: what an entity earned under each section and
//! indicator, against the heading's points (docs/language.md, Levels and
//! their points). Reports print them for the headings that declare their
//! points; they are worked out from the item outcomes when printed, so
//! scoring pays nothing for them.

use super::outcome::Outcome;
use crate::exact;
use crate::ir::Program;
use rust_decimal::Decimal;

/// What one heading earned, and what it is worth.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Subtotal {
    /// Its base items' scores, less what its deduction items and parts
    /// take, plus its bonuses within its own ceilings (and, for a section,
    /// its indicators' ceilings); the table's bonus ceiling is not applied
    /// here, so the sections add up to the total unless it bites.
    pub earned: Decimal,
    /// Its points: declared (`score 40`), else what its children add up to.
    pub points: Decimal,
}

/// The subtotals of every section and indicator, in the program's order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Subtotals {
    pub sections: Vec<Subtotal>,
    pub indicators: Vec<Subtotal>,
}

/// Every heading's subtotal; `None` when a sum overflows exact decimals
/// (which scoring would have refused first).
pub fn subtotals(program: &Program, outcome: &Outcome) -> Option<Subtotals> {
    let n = program.indicators.len();
    let mut net = vec![Decimal::ZERO; n];
    let mut bonus = vec![Decimal::ZERO; n];
    for (item, o) in program.items.iter().zip(&outcome.items) {
        let (Some(net), Some(bonus)) = (net.get_mut(item.indicator), bonus.get_mut(item.indicator))
        else {
            continue;
        };
        if o.max.is_some() {
            *net = net.checked_add(o.score)?;
        }
        *net = net.checked_sub(o.deduction)?;
        *bonus = bonus.checked_add(o.bonus)?;
    }
    let m = program.sections.len();
    let mut s_net = vec![Decimal::ZERO; m];
    let mut s_bonus = vec![Decimal::ZERO; m];
    let mut indicators = Vec::with_capacity(n);
    for ((h, net), bonus) in program.indicators.iter().zip(&net).zip(&bonus) {
        let capped = h.bonus_cap.map_or(*bonus, |c| exact::min(*bonus, c));
        indicators.push(Subtotal {
            earned: net.checked_add(capped)?,
            points: h.worth(),
        });
        if let (Some(sn), Some(sb)) = (s_net.get_mut(h.parent), s_bonus.get_mut(h.parent)) {
            *sn = sn.checked_add(*net)?;
            *sb = sb.checked_add(capped)?;
        }
    }
    let mut sections = Vec::with_capacity(m);
    for ((h, net), bonus) in program.sections.iter().zip(&s_net).zip(&s_bonus) {
        let capped = h.bonus_cap.map_or(*bonus, |c| exact::min(*bonus, c));
        sections.push(Subtotal {
            earned: net.checked_add(capped)?,
            points: h.worth(),
        });
    }
    Some(Subtotals {
        sections,
        indicators,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Entity;
    use crate::eval::evaluate;
    use crate::ir::Value;

    #[test]
    fn subtotals_add_base_deductions_and_capped_bonus_per_heading() {
        let program = crate::compile(
            r#"
input a: count
input b: count
section 1 "One" score 10 {
  indicator 1.1 "A" score 6 {
    item 1.1.1 "x" score 4 { deduct 1 per a }
    item 1.1.2 "y" score 2 { deduct 1 per a }
    item 1.1.3 "d" deduction { deduct 0.5 per b }
  }
  indicator 1.2 "B" score 4 children sum 3 {
    bonus at most 1
    item 1.2.1 "z" score 3 { deduct 1 per b }
    item 1.2.2 "w" bonus { add 1 per b }
  }
}
"#,
        )
        .program
        .expect("the spec checks");
        let values = vec![Value::Num(Decimal::ONE), Value::Num(Decimal::TWO)];
        let entity = Entity {
            id: "u".into(),
            values,
        };
        let o = evaluate(&program, &entity).unwrap();
        let s = subtotals(&program, &o).unwrap();
        let d = |x: &str| x.parse::<Decimal>().unwrap();
        // 1.1: 3 + 1 − 1 = 3 of 6; 1.2: 1 + min(2, 1) = 2 of 4.
        assert_eq!(
            s.indicators[0],
            Subtotal {
                earned: d("3"),
                points: d("6")
            }
        );
        assert_eq!(
            s.indicators[1],
            Subtotal {
                earned: d("2"),
                points: d("4")
            }
        );
        assert_eq!(
            s.sections[0],
            Subtotal {
                earned: d("5"),
                points: d("10")
            }
        );
        assert_eq!(s.sections[0].earned, o.total);
    }
}
