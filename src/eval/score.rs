//! Scoring one entity: its items one by one, each a tree of blocks (a
//! score held within its bounds, an `at most` cap, a plain group) over
//! clauses; then the totals.

use super::arith::{add, bounded_narrow, part_score, zero_minus};
use super::clause::Sum;
use super::fault::{EvalError, Result};
use super::outcome::{ItemOutcome, Line, LineKind, Outcome};
use super::totals::totals;
use crate::data::Entity;
use crate::diagnostic::Code;
use crate::exact::{self, negative};
use crate::ir::{
    Absent, AbsentRule, Block, Clause, Guard, Item, ItemKind, Limit, Node, Program, Record, Role,
    Value,
};
use crate::source::Span;
use crate::t;
use rust_decimal::Decimal;

/// Score one entity by the program, with a line for every point moved.
pub fn evaluate<'p>(
    program: &'p Program,
    entity: &Entity,
) -> std::result::Result<Outcome<'p>, EvalError> {
    evaluate_with(program, entity, true)
}

/// Score one entity; with `explain` false no lines are recorded (the scores
/// are the same), which saves their allocation when only scores are wanted.
pub fn evaluate_with<'p>(
    program: &'p Program,
    entity: &Entity,
    explain: bool,
) -> std::result::Result<Outcome<'p>, EvalError> {
    let mut outcome = Outcome::default();
    evaluate_into(program, entity, explain, &mut outcome)?;
    Ok(outcome)
}

/// Score one entity into `outcome`, reusing what it holds from the entity
/// scored into it before (its items, their lines, its texts): scoring a
/// stream into one outcome allocates nothing per entity once the first
/// has been scored. After an error `outcome` holds nothing meaningful.
pub fn evaluate_into<'p>(
    program: &'p Program,
    entity: &Entity,
    explain: bool,
    outcome: &mut Outcome<'p>,
) -> std::result::Result<(), EvalError> {
    evaluate_by(program, entity, explain, Paths::Fast, outcome)
}

/// The refusal to score a spec with rules not yet written (`rule pending`,
/// 待写规则): never a silent 0 or full marks for them. The checker has
/// warned about each (K0490); this names them all.
#[cold]
fn pending_refused(program: &Program, first: &crate::ir::Pending) -> EvalError {
    let items: Vec<String> = program.pending.iter().map(|p| p.item.clone()).collect();
    EvalError {
        code: Code::PendingNotScored,
        message: t!(
            "the spec has {} rule(s) not yet written (`rule pending`), in item(s) {}: write them in kaohe and delete the placeholders before scoring (`kaohe check` lists each with its sentence)",
            "规则文件中有 {} 条待写规则，在考核事项 {}：请先用 kaohe 写出这些规则并删去待写规则，再计分（`kaohe check` 会逐条列出原句）",
            items.len(),
            crate::diagnostic::Text::list(&items)
        ),
        item: first.item.clone(),
        span: first.span,
        facts: Vec::new(),
    }
}

/// Which ways the scorer may take. Every fast path (a clause of a common
/// shape read from its operands, a yes/no or number read in place, a sum
/// over a list without rows, a part left full, a table with no bonus) does
/// what the general way does; `GeneralOnly` turns them all off, so that a
/// test can hold the two to the same outcome (`eval::differential`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Paths {
    Fast,
    #[allow(dead_code)] // taken only by the differential test
    GeneralOnly,
}

/// [`evaluate_into`] by the given ways. The choice is made once per
/// entity: the scorer is compiled once for each, so the fast one carries
/// no test for it.
pub(crate) fn evaluate_by<'p>(
    program: &'p Program,
    entity: &Entity,
    explain: bool,
    paths: Paths,
    outcome: &mut Outcome<'p>,
) -> std::result::Result<(), EvalError> {
    if let Some(first) = program.pending.first() {
        return Err(pending_refused(program, first));
    }
    match (explain, paths) {
        (true, Paths::Fast) => score::<true, true>(program, entity, outcome),
        (false, Paths::Fast) => score::<false, true>(program, entity, outcome),
        (true, Paths::GeneralOnly) => score::<true, false>(program, entity, outcome),
        (false, Paths::GeneralOnly) => score::<false, false>(program, entity, outcome),
    }
}

/// Score one entity, with or without lines: the scorer is compiled once
/// for each, so that scoring without lines carries no code for them.
/// `FAST`: whether the fast paths may be taken.
fn score<'p, const EXPLAIN: bool, const FAST: bool>(
    program: &'p Program,
    entity: &Entity,
    outcome: &mut Outcome<'p>,
) -> std::result::Result<(), EvalError> {
    let mut s = Scorer::<EXPLAIN, FAST> {
        program,
        values: &entity.values,
        locals: Vec::new(),
        clause: None,
        absence: false,
    };
    let items = &mut outcome.items;
    items.truncate(program.items.len());
    items.resize_with(program.items.len(), ItemOutcome::default);
    for (item, slot) in program.items.iter().zip(items.iter_mut()) {
        s.clause = None;
        s.item(item, slot).map_err(|f| EvalError {
            code: f.code,
            message: f.message,
            item: item.id.clone(),
            span: s.clause.map_or(item.span, |c| c.span),
            facts: super::show::facts(s.clause.map_or(&[], |c| &c.facts), program, &entity.values),
        })?;
    }
    // A heading's ceiling on its deductions; overflow is not reachable
    // (it only lowers what items took) and is told as the totals' is.
    let held = super::heading_caps::hold(program, &mut outcome.items, EXPLAIN);
    let totals = match held {
        Some(()) => totals::<FAST>(program, &entity.id, outcome),
        None => Err(program.items.len().saturating_sub(1)),
    };
    totals.map_err(|item| {
        let it = program.items.get(item);
        EvalError {
            code: Code::Overflow,
            message: t!(
                "the entity's total points pass what exact decimals hold (about 7.9 × 10^28)",
                "该单位的分值合计超出精确小数所能表示的范围（约 7.9 × 10^28）"
            ),
            item: it.map_or(String::new(), |i| i.id.clone()),
            span: it.map_or(Span::default(), |i| i.span),
            facts: Vec::new(),
        }
    })
}

/// `EXPLAIN`: whether to record explanation lines; `FAST`: whether the
/// fast paths may be taken (see [`Paths`]).
pub(super) struct Scorer<'p, 'e, const EXPLAIN: bool, const FAST: bool> {
    pub(super) program: &'p Program,
    pub(super) values: &'e [Value],
    /// Records bound by the `each` or aggregates being evaluated, outermost first.
    pub(super) locals: Vec<&'e Record>,
    /// The clause being scored, for errors (its span and the inputs it
    /// reads); `None` before the item's first clause. One pointer stored
    /// per clause.
    pub(super) clause: Option<&'p Clause>,
    /// Whether the item being scored reads an input with rules for absent
    /// facts (`Item::absent` not empty): only then are clauses looked at
    /// for an absent fact.
    pub(super) absence: bool,
}

/// Points routed to the totals other than the block's own.
#[derive(Default)]
pub(super) struct Buckets {
    deduction: Decimal,
    bonus: Decimal,
    base: Decimal,
}

impl Buckets {
    #[inline(always)]
    pub(super) fn add(&mut self, role: Role, d: Decimal) -> Result<()> {
        let slot = match role {
            Role::Base => &mut self.base,
            Role::Deduction => &mut self.deduction,
            Role::Bonus => &mut self.bonus,
        };
        *slot = add(*slot, d)?;
        Ok(())
    }
}

impl<'p, 'e, const EXPLAIN: bool, const FAST: bool> Scorer<'p, 'e, EXPLAIN, FAST> {
    /// Record a line, when explaining. Where working out a line costs
    /// something (a comparison, a subtraction, which may panic and so is
    /// not dropped by the compiler), the caller tests `EXPLAIN` first.
    #[inline]
    pub(super) fn note(&self, lines: &mut Vec<Line<'p>>, amount: Decimal, kind: LineKind<'p>) {
        if EXPLAIN {
            lines.push(Line { amount, kind });
        }
    }

    /// Score an item into `out` (its lines cleared first, their room kept).
    pub(super) fn item(&mut self, item: &'p Item, out: &mut ItemOutcome<'p>) -> Result<()> {
        let max = match item.kind {
            ItemKind::Base(m) => Some(m),
            _ => None,
        };
        out.lines.clear();
        out.extra = Decimal::ZERO;
        out.extra_outside = Decimal::ZERO;
        self.absence = !item.absent.is_empty();
        if self.absence
            && let Some((slot, word)) = self.absent_in(&item.absent, AbsentRule::FullMarks)
        {
            // Not applicable: the item is left whole, as an exemption leaves it.
            let rule = AbsentRule::FullMarks;
            let kind = LineKind::Absent {
                slot,
                word,
                rule,
                clause: None,
            };
            self.note(&mut out.lines, Decimal::ZERO, kind);
            out.max = max;
            out.vetoed = false;
            out.score = max.unwrap_or(Decimal::ZERO);
            out.deduction = Decimal::ZERO;
            out.bonus = Decimal::ZERO;
            return Ok(());
        }
        let mut vetoed = false;
        for g in &item.vetoes {
            if self.absence && self.guard_absent(g, &mut out.lines) {
                continue;
            }
            if self.truth(&g.condition)? {
                vetoed = true;
                self.note(&mut out.lines, Decimal::ZERO, LineKind::Veto(g));
            }
        }
        out.max = max;
        out.vetoed = vetoed;
        for g in &item.exempt {
            if self.absence && self.guard_absent(g, &mut out.lines) {
                continue;
            }
            if self.truth(&g.condition)? {
                self.note(&mut out.lines, Decimal::ZERO, LineKind::Exempt(g));
                out.score = max.unwrap_or(Decimal::ZERO);
                out.deduction = Decimal::ZERO;
                out.bonus = Decimal::ZERO;
                return Ok(());
            }
        }
        let mut buckets = Buckets::default();
        let body = &item.body;
        let sum = self.sum_of(body, &mut buckets, &mut out.lines)?;
        out.score = match self.whole_part(item, sum, &buckets) {
            Some(score) => score,
            None => {
                let delta = self.ends(body, sum, &mut out.lines)?;
                buckets.add(body.role, delta)?;
                match item.kind {
                    ItemKind::Base(m) => add(m, buckets.base)?,
                    _ => add(buckets.deduction, buckets.bonus)?,
                }
            }
        };
        out.deduction = zero_minus(buckets.deduction);
        out.bonus = buckets.bonus;
        if !item.extra.is_empty() {
            self.extras(item, out)?;
        }
        Ok(())
    }

    /// The score of a base item whose body is one part of the item's points
    /// (most items), straight from what its nodes moved: what `add(points,
    /// score − max)` gives after the body's bounds (`ends`), without
    /// working out `score − max` and adding the points back (some 40
    /// instructions an item that moved points). Without lines only; `None`
    /// where it does not answer (then the block's end and that addition
    /// decide).
    #[inline(always)]
    fn whole_part(&self, item: &Item, sum: Decimal, buckets: &Buckets) -> Option<Decimal> {
        let body = &item.body;
        // The points are the part's maximum, written the same way: told
        // once per spec (`Bounds::whole`; compared here it cost some 25
        // instructions an item).
        let (true, Limit::Score { max, .. }) = (body.bounds.whole, body.limit) else {
            return None;
        };
        if !FAST || EXPLAIN || body.role != Role::Base || !buckets.base.is_zero() {
            return None;
        }
        if sum.is_zero() && body.bounds.full {
            return Some(max);
        }
        let (a, m) = body.bounds.narrow?;
        part_score(a, m, sum, max)
    }

    /// The first of `slots` holding a word of absence whose declared rule
    /// is `want`.
    fn absent_in(&self, slots: &[usize], want: AbsentRule) -> Option<(usize, Absent)> {
        slots.iter().find_map(|&s| match self.values.get(s) {
            Some(Value::Absent(word)) => {
                let input = self.program.inputs.get(s)?;
                (input.absence_rule(*word) == Some(want)).then_some((s, *word))
            }
            _ => None,
        })
    }

    /// Whether a clause reads a fact given as absent whose rule is `no
    /// points` (a line then says so, and the clause moves nothing).
    pub(super) fn clause_absent(&self, c: &'p Clause, lines: &mut Vec<Line<'p>>) -> bool {
        self.no_points(&c.facts, Some(c), lines)
    }

    /// Whether a veto or exemption reads a fact given as absent whose rule
    /// is `no points`: it then does nothing.
    pub(super) fn guard_absent(&self, g: &'p Guard, lines: &mut Vec<Line<'p>>) -> bool {
        self.no_points(&g.facts, None, lines)
    }

    /// Whether `facts` hold one given as absent whose rule is `no points`,
    /// noting a line that says so for the clause (or guard) reading it.
    fn no_points(
        &self,
        facts: &[usize],
        clause: Option<&'p Clause>,
        lines: &mut Vec<Line<'p>>,
    ) -> bool {
        let rule = AbsentRule::NoPoints;
        let Some((slot, word)) = self.absent_in(facts, rule) else {
            return false;
        };
        let kind = LineKind::Absent {
            slot,
            word,
            rule,
            clause,
        };
        self.note(lines, Decimal::ZERO, kind);
        true
    }

    /// The points a block moves for its own role; points of nested blocks
    /// with another role go to `buckets`. A scored block returns its score
    /// minus its maximum.
    pub(super) fn block(
        &mut self,
        b: &'p Block,
        buckets: &mut Buckets,
        lines: &mut Vec<Line<'p>>,
    ) -> Result<Decimal> {
        let sum = self.sum_of(b, buckets, lines)?;
        self.ends(b, sum, lines)
    }

    /// What a block's clauses and nested blocks of its role moved, its
    /// waivers applied: the sum its limit then holds.
    #[inline(always)]
    fn sum_of(
        &mut self,
        b: &'p Block,
        buckets: &mut Buckets,
        lines: &mut Vec<Line<'p>>,
    ) -> Result<Decimal> {
        let name = b.name.as_deref();
        if let Limit::Score { max, start } = b.limit
            && EXPLAIN
            && start.is_zero()
            && !max.is_zero()
        {
            self.note(lines, -max, LineKind::StartsAtZero { name, max });
        }
        let mut running = Sum::new();
        for node in &b.nodes {
            match node {
                Node::Clause(c) if self.absence && self.clause_absent(c, lines) => {}
                Node::Clause(c) => self.clause_into(c, &mut running, lines)?,
                Node::Block(child) => {
                    let d = self.block(child, buckets, lines)?;
                    if child.role == b.role {
                        running.add(d)?
                    } else {
                        buckets.add(child.role, d)?
                    }
                }
            }
        }
        let mut sum = running.end();
        if !b.waivers.is_empty() && negative(sum) {
            sum = self.waive(b, sum, lines)?;
        }
        Ok(sum)
    }

    /// A block's points from what its nodes moved (`sum`), held by its
    /// limit.
    #[inline(always)]
    fn ends(&mut self, b: &'p Block, sum: Decimal, lines: &mut Vec<Line<'p>>) -> Result<Decimal> {
        let name = b.name.as_deref();
        match b.limit {
            Limit::Score { max, start } => {
                if FAST && sum.is_zero() && b.bounds.full {
                    // Full marks, nothing moved: raw = start = score = max.
                    return Ok(Decimal::from_parts(0, 0, 0, false, max.scale()));
                }
                // Without lines, the bounds in integers (the same decimal).
                if FAST
                    && !EXPLAIN
                    && let Some((a, m)) = b.bounds.narrow
                    && let Some(d) = bounded_narrow(a, m, sum, max)
                {
                    return Ok(d);
                }
                let raw = add(start, sum)?;
                // raw.max(0).min(max), with the sign tested without a call.
                let score = exact::min(if negative(raw) { Decimal::ZERO } else { raw }, max);
                if EXPLAIN && exact::cmp(score, raw).is_ne() {
                    self.note(
                        lines,
                        score - raw,
                        LineKind::Bounds {
                            name,
                            max,
                            floor: negative(raw),
                        },
                    );
                }
                Ok(score - max)
            }
            Limit::AtMost(cap) => {
                let held = exact::min(exact::max(sum, -cap), cap);
                if EXPLAIN && exact::cmp(held, sum).is_ne() {
                    self.note(lines, held - sum, LineKind::GroupCap { name, cap });
                }
                Ok(held)
            }
            Limit::None => Ok(sum),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::evaluate;

    #[test]
    fn a_fault_in_a_guard_names_no_facts_of_an_earlier_item() {
        let text = r#"
table "demo" {
  language en
  total 4
  pass "pass"
  fail "fail"
}
section A "A" {
  indicator 1 "One" {
    item 1.1 "Meetings" score 2 {
      input meetings: count "meetings held"
      deduct 1 per meetings "one point a meeting"
    }
    item 1.2 "Plan" score 2 {
      input plan: date optional "plan issued"
      exempt if plan <= 2024-05-31 "issued in time"
      deduct 1 if true "not exempt"
    }
  }
}
"#;
        let program = crate::compile(text).program.expect("the spec checks");
        let values = vec![Value::Num(Decimal::ONE), Value::Missing];
        let entity = Entity {
            id: "u".into(),
            values,
        };
        let err = evaluate(&program, &entity).expect_err("the guard reads a missing input");
        assert_eq!(
            (err.code, err.item.as_str()),
            (Code::MissingOptional, "1.2")
        );
        assert_eq!(err.span, program.items[1].span);
        assert!(err.facts.is_empty(), "{:?}", err.facts);
    }

    /// An absent fact that reaches an expression (which the data readers
    /// never hand to an input without a rule for it) is a fault, not a
    /// guess.
    #[test]
    fn an_absent_fact_read_by_a_rule_is_a_fault() {
        let text = r#"
table "demo" {
  language en
  total 2
  pass "pass"
  fail "fail"
}
section A "A" {
  indicator 1 "One" {
    item 1.1 "Meetings" score 2 {
      input meetings: count "meetings held"
      deduct 1 per meetings "one point a meeting"
    }
  }
}
"#;
        let program = crate::compile(text).program.expect("the spec checks");
        for values in [
            vec![Value::Absent(crate::ir::Absent::NotApplicable)],
            vec![Value::Absent(crate::ir::Absent::NotClaimed)],
        ] {
            let entity = Entity {
                id: "u".into(),
                values,
            };
            let err = evaluate(&program, &entity).expect_err("the rule reads an absent fact");
            assert_eq!(err.code, Code::AbsentRead);
        }
    }
}
