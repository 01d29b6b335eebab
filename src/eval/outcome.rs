//! The result of scoring one entity.

use crate::ir::{Absent, AbsentRule, Clause, Extra, Guard};
use rust_decimal::Decimal;

/// One entity's scores. Borrows the program it was scored by, so that
/// explanation lines can point at clauses instead of carrying text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome<'p> {
    pub id: String,
    /// One per item of the program, in order.
    pub items: Vec<ItemOutcome<'p>>,
    /// Σ of the base items' scores.
    pub base: Decimal,
    /// Σ of the points deduction items and parts take (a positive number).
    pub deductions: Decimal,
    /// Σ of bonuses before the ceilings.
    pub bonus_raw: Decimal,
    /// Σ of bonuses after the ceilings.
    pub bonus: Decimal,
    /// Σ of the extra awards declared outside the bonus ceiling
    /// (`extra …, outside bonus ceiling`), added to the total as they are.
    pub extra_outside: Decimal,
    /// base − deductions + bonus + extra_outside.
    pub total: Decimal,
    pub vetoed: bool,
    /// The result text: the table's pass or fail text, or a grade; in a
    /// table without a result (`Header::has_result` false) empty, or
    /// 否决 / vetoed when a veto fired.
    pub result: String,
    /// One per named result of the header (`Header::results`), in order.
    pub derived: Vec<Derived>,
}

/// A named result's value for one entity (`ir::ResultRule`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Derived {
    /// The step of a grade the total reached (the steps' count for `else`).
    Grade(usize),
    /// Whether the total reached the pass mark.
    Pass(bool),
    /// A payout's value, exact (a share for a percentage: 0.5 is 50%).
    Payout(rust_decimal::Decimal),
    /// A veto fired: no grade, pass or payout, and never among the top.
    Vetoed,
    /// A result by rank (`top`): only the ranking of all units tells.
    ByRank,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItemOutcome<'p> {
    /// For a base item its score; for a deduction item minus what it takes;
    /// for a bonus item what it adds (before the ceiling); for a row with
    /// both, the net.
    pub score: Decimal,
    /// The most a base item can score; `None` for other kinds.
    pub max: Option<Decimal>,
    /// Points this item takes off the total through deduction parts (≥ 0).
    pub deduction: Decimal,
    /// Points this item adds to the bonus sum (≥ 0), its extra awards
    /// counted toward the bonus ceiling among them.
    pub bonus: Decimal,
    /// The item's extra awards beyond its points (≥ 0; `extra`, 超额加分),
    /// within the bonus ceiling and outside it together: its printed score
    /// is `score` + `extra`.
    pub extra: Decimal,
    /// The part of `extra` declared outside the bonus ceiling.
    pub extra_outside: Decimal,
    pub vetoed: bool,
    pub lines: Vec<Line<'p>>,
}

/// One move of points, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Line<'p> {
    /// Signed: negative for points taken off.
    pub amount: Decimal,
    pub kind: LineKind<'p>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LineKind<'p> {
    /// A clause applied.
    Clause(&'p Clause),
    /// A clause's own cap held it back.
    ClauseCap(&'p Clause, Decimal),
    /// A group's `at most` held its clauses back.
    GroupCap {
        name: Option<&'p str>,
        cap: Decimal,
    },
    /// A scored part or item was kept within [0, max].
    Bounds {
        name: Option<&'p str>,
        max: Decimal,
        floor: bool,
    },
    /// A part scored from 0 starts with nothing.
    StartsAtZero {
        name: Option<&'p str>,
        max: Decimal,
    },
    Exempt(&'p Guard),
    Veto(&'p Guard),
    /// An extra award beyond the item's points (超额加分), with its rule
    /// for the bonus ceiling; not part of the item's score, so the other
    /// lines of a base item still add up to its score minus its points.
    Extra(&'p Extra),
    /// A waiver (免予扣分) gave back what its block's clauses deducted.
    Waived(&'p Guard),
    /// A heading's ceiling on its deductions (`deduction at most`, 扣分项
    /// 最高; 扣完为止) gave back what went beyond it (eval::heading_caps).
    HeadingCap {
        heading: &'p crate::ir::Heading,
        cap: Decimal,
    },
    /// A fact given as absent (未申报, 不适用) applied its declared rule:
    /// with `FullMarks` the item scored in full, with `NoPoints` the clause
    /// (`clause`) or guard moved nothing. `slot` is the input.
    Absent {
        slot: usize,
        word: Absent,
        rule: AbsentRule,
        clause: Option<&'p Clause>,
    },
}
