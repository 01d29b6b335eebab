//! Per-level subtotals: what an entity earned under each heading, of
//! every level, against the heading's points (docs/language.md, Levels and
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

/// The subtotal of every heading, of every level, in the program's order
/// (`Program::headings`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Subtotals {
    pub headings: Vec<Subtotal>,
}

/// Every heading's subtotal; `None` when a sum overflows exact decimals
/// (which scoring would have refused first).
pub fn subtotals(program: &Program, outcome: &Outcome) -> Option<Subtotals> {
    let n = program.headings.len();
    let mut net = vec![Decimal::ZERO; n];
    let mut bonus = vec![Decimal::ZERO; n];
    for (item, o) in program.items.iter().zip(&outcome.items) {
        let Some(h) = item.heading else {
            continue;
        };
        let (Some(net), Some(bonus)) = (net.get_mut(h), bonus.get_mut(h)) else {
            continue;
        };
        if o.max.is_some() {
            *net = net.checked_add(o.score)?;
        }
        *net = net.checked_sub(o.deduction)?;
        *bonus = bonus.checked_add(o.bonus)?;
    }
    // A heading comes before its children, so from the last one back each
    // heading is complete when it is reached: its bonus is held under its
    // ceiling and handed with its net to its parent.
    let mut headings = vec![Subtotal::default(); n];
    for (at, h) in program.headings.iter().enumerate().rev() {
        let (Some(&own_net), Some(&own_bonus)) = (net.get(at), bonus.get(at)) else {
            continue;
        };
        let capped = h.bonus_cap.map_or(own_bonus, |c| exact::min(own_bonus, c));
        if let Some(s) = headings.get_mut(at) {
            *s = Subtotal {
                earned: own_net.checked_add(capped)?,
                points: h.worth(),
            };
        }
        if let Some(p) = h.parent
            && let (Some(pn), Some(pb)) = (net.get_mut(p), bonus.get_mut(p))
        {
            *pn = pn.checked_add(own_net)?;
            *pb = pb.checked_add(capped)?;
        }
    }
    Some(Subtotals { headings })
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
            s.headings[1],
            Subtotal {
                earned: d("3"),
                points: d("6")
            }
        );
        assert_eq!(
            s.headings[2],
            Subtotal {
                earned: d("2"),
                points: d("4")
            }
        );
        assert_eq!(
            s.headings[0],
            Subtotal {
                earned: d("5"),
                points: d("10")
            }
        );
        assert_eq!(s.headings[0].earned, o.total);
    }
}
