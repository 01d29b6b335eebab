//! Scoring one entity: walking the IR over its slot values.

use super::data::Entity;
use super::outcome::{ItemOutcome, Line, LineKind, Outcome};
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::exact::{self, negative};
use crate::ir::BinOp;
use crate::ir::{
    Amount, Band, BandValue, Block, Clause, Each, Expr, Func, Gap, Item, ItemKind, Limit, Node,
    Program, Record, Role, Shape, Sign, Value, is_one,
};
use crate::source::Span;
use crate::t;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::borrow::Cow;

/// A problem met while scoring: an overflow, a division by zero, a missing
/// optional input. It names the item and points at the clause.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalError {
    pub code: Code,
    pub message: Text,
    pub item: String,
    pub span: Span,
    /// The inputs the failing clause reads, as (name, value as written).
    pub facts: Vec<(String, String)>,
}

impl EvalError {
    pub fn to_diagnostic(&self, entity: &str) -> Diagnostic {
        let mut d = Diagnostic::new(
            self.code,
            t!(
                "entity \"{entity}\", item {}: {}",
                "被考核单位“{entity}”，考核事项 {}：{}",
                self.item,
                self.message
            ),
        )
        .at(self.span, t!("while scoring this", "计算此处得分时出错"));
        if !self.facts.is_empty() {
            let facts: Vec<String> = self
                .facts
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect();
            d = d.with_note(t!(
                "the data this rule reads: {}",
                "此规则读取的数据：{}",
                Text::list(&facts)
            ));
        }
        let help = match self.code {
            Code::MissingOptional => Some(t!(
                "ask first whether it was given, such as `given(plan_date) and plan_date <= 2024-05-31`",
                "请先判断是否填报，如 `given(plan_date) 且 plan_date <= 2024-05-31`"
            )),
            Code::NegativeAmount => Some(t!(
                "to take points only for a shortfall, write `deduct 0.5 per done below planned`, which never goes below 0",
                "如只对差额扣分，请写作 `扣 0.5 每 done 低于 planned`，该写法不会小于 0"
            )),
            Code::DivisionByZero => Some(t!(
                "guard the division, such as `if planned > 0 then done / planned else 1`",
                "请先排除除数为零的情形，如 `若 planned > 0 则 done / planned 否则 1`"
            )),
            _ => None,
        };
        match help {
            Some(h) => d.with_help(h),
            None => d,
        }
    }
}

/// Boxed, so that the `Result`s of the hot path stay two words wide.
type Result<T> = std::result::Result<T, Box<Fault>>;

/// An error before the item and span are known; `Scorer` adds them.
#[derive(Debug)]
struct Fault {
    code: Code,
    message: Text,
}

#[cold]
fn fault<T>(code: Code, message: Text) -> Result<T> {
    Err(Box::new(Fault { code, message }))
}

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
    if explain {
        score::<true>(program, entity, outcome)
    } else {
        score::<false>(program, entity, outcome)
    }
}

/// Score one entity, with or without lines: the scorer is compiled once
/// for each, so that scoring without lines carries no code for them.
fn score<'p, const EXPLAIN: bool>(
    program: &'p Program,
    entity: &Entity,
    outcome: &mut Outcome<'p>,
) -> std::result::Result<(), EvalError> {
    let mut s = Scorer::<EXPLAIN> {
        program,
        values: &entity.values,
        locals: Vec::new(),
        clause: None,
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
    totals(program, &entity.id, outcome).map_err(|item| {
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

/// The outcome's totals and result from its items; `Err(i)` when adding
/// item `i`'s points overflows exact decimals.
fn totals<'p>(
    program: &'p Program,
    id: &str,
    outcome: &mut Outcome<'p>,
) -> std::result::Result<(), usize> {
    let mut base = Decimal::ZERO;
    let mut deductions = Decimal::ZERO;
    let mut bonus_raw = Decimal::ZERO;
    let mut vetoed = false;
    let mut any_bonus = false;
    // Most items take nothing off and add nothing: those sums are only
    // added to (and an item's program entry only read) where they move.
    // A base item is one with a maximum.
    for (i, o) in outcome.items.iter().enumerate() {
        if o.max.is_some() {
            base = plus(base, o.score).ok_or(i)?;
        }
        if !o.deduction.is_zero() {
            deductions = plus(deductions, o.deduction).ok_or(i)?;
        }
        if !o.bonus.is_zero() {
            bonus_raw = plus(bonus_raw, o.bonus).ok_or(i)?;
            any_bonus = true;
        }
        vetoed |= o.vetoed;
    }
    // With no bonus at all, every ceiling (a number, never below 0) holds
    // nothing back: the bonus is 0 without the sums per heading.
    let last = outcome.items.len().saturating_sub(1);
    // The reports sum points at stake and lost per unit and section: all
    // of them fit when the base total and the deductions do together.
    program.base_total.checked_add(deductions).ok_or(last)?;
    let bonus = if any_bonus {
        capped_bonus(program, &outcome.items).ok_or(last)?
    } else {
        Decimal::ZERO
    };
    let total = base
        .checked_sub(deductions)
        .and_then(|t| t.checked_add(bonus))
        .ok_or(last)?;
    let result = if vetoed {
        &program.header.fail
    } else {
        grade(program, total).unwrap_or(&program.header.pass)
    };
    outcome.id.clear();
    outcome.id.push_str(id);
    outcome.result.clear();
    outcome.result.push_str(result);
    outcome.base = base;
    outcome.deductions = deductions;
    outcome.bonus_raw = bonus_raw;
    outcome.bonus = bonus;
    outcome.total = total;
    outcome.vetoed = vetoed;
    Ok(())
}

/// The bonus after the ceilings, applied from the innermost heading out.
fn capped_bonus(program: &Program, items: &[ItemOutcome]) -> Option<Decimal> {
    let (mut indicators, mut sections) = (Sums::new(), Sums::new());
    let by_indicator = indicators.zeros(program.indicators.len());
    for (item, o) in program.items.iter().zip(items) {
        if !o.bonus.is_zero()
            && let Some(b) = by_indicator.get_mut(item.indicator)
        {
            *b = plus(*b, o.bonus)?;
        }
    }
    let by_section = sections.zeros(program.sections.len());
    for (ind, &b) in program.indicators.iter().zip(by_indicator.iter()) {
        if let Some(s) = by_section.get_mut(ind.parent) {
            *s = plus(*s, ind.bonus_cap.map_or(b, |c| exact::min(b, c)))?;
        }
    }
    let mut bonus = Decimal::ZERO;
    for (s, &b) in program.sections.iter().zip(by_section.iter()) {
        bonus = plus(bonus, s.bonus_cap.map_or(b, |c| exact::min(b, c)))?;
    }
    Some(match program.header.bonus_cap {
        Some(c) => exact::min(bonus, c),
        None => bonus,
    })
}

/// Sums per heading, on the stack for a table of up to 32 headings of a
/// level (the 2024 table has 16 indicators in 4 sections), so that the
/// ceilings allocate nothing.
struct Sums {
    stack: [Decimal; 32],
    heap: Vec<Decimal>,
}

impl Sums {
    fn new() -> Sums {
        Sums {
            stack: [Decimal::ZERO; 32],
            heap: Vec::new(),
        }
    }

    /// `n` zeros.
    fn zeros(&mut self, n: usize) -> &mut [Decimal] {
        match self.stack.get_mut(..n) {
            Some(sums) => sums,
            None => {
                self.heap = vec![Decimal::ZERO; n];
                &mut self.heap
            }
        }
    }
}

fn grade(program: &Program, total: Decimal) -> Option<&str> {
    let band = program
        .header
        .grades
        .as_ref()?
        .iter()
        .find(|b| b.contains(total))?;
    match &band.value {
        BandValue::Value(Expr::Const(Value::Text(t))) => Some(t),
        _ => None,
    }
}

/// A record that counts in an `each`: its once-per key, its group key and its value.
type Row<'x> = (Option<Cow<'x, Value>>, Option<Cow<'x, Value>>, Decimal);

/// `EXPLAIN`: whether to record explanation lines.
struct Scorer<'p, 'e, const EXPLAIN: bool> {
    program: &'p Program,
    values: &'e [Value],
    /// Records bound by the `each` or aggregates being evaluated, outermost first.
    locals: Vec<&'e Record>,
    /// The clause being scored, for errors (its span and the inputs it
    /// reads); `None` before the item's first clause. One pointer stored
    /// per clause.
    clause: Option<&'p Clause>,
}

/// Points routed to the totals other than the block's own.
#[derive(Default)]
struct Buckets {
    deduction: Decimal,
    bonus: Decimal,
    base: Decimal,
}

impl Buckets {
    #[inline(always)]
    fn add(&mut self, role: Role, d: Decimal) -> Result<()> {
        let slot = match role {
            Role::Base => &mut self.base,
            Role::Deduction => &mut self.deduction,
            Role::Bonus => &mut self.bonus,
        };
        *slot = add(*slot, d)?;
        Ok(())
    }
}

/// `a + b`, or an overflow fault. Adding zero, by far the most common case
/// (a clause that does not apply moves nothing), returns the other operand
/// at once: exactly what `Decimal::checked_add` returns for it.
#[inline(always)]
fn add(a: Decimal, b: Decimal) -> Result<Decimal> {
    if a.is_zero() {
        return Ok(b);
    }
    if b.is_zero() {
        return Ok(a);
    }
    add_nonzero(a, b)
}

#[inline(always)]
fn add_nonzero(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_add(b).map_or_else(
        || {
            fault(
                Code::Overflow,
                t!("{a} + {b} is too large", "{a} + {b} 的结果过大"),
            )
        },
        Ok,
    )
}

/// `a + b` for the totals, `None` when it overflows exact decimals (items
/// of 5 × 10^28 points each add up beyond them); zero short-cut as in
/// [`add`].
#[inline(always)]
fn plus(a: Decimal, b: Decimal) -> Option<Decimal> {
    if a.is_zero() {
        Some(b)
    } else if b.is_zero() {
        Some(a)
    } else {
        a.checked_add(b)
    }
}

impl<'p, 'e, const EXPLAIN: bool> Scorer<'p, 'e, EXPLAIN> {
    /// Record a line, when explaining. Where working out a line costs
    /// something (a comparison, a subtraction, which may panic and so is
    /// not dropped by the compiler), the caller tests `EXPLAIN` first.
    #[inline]
    fn note(&self, lines: &mut Vec<Line<'p>>, amount: Decimal, kind: LineKind<'p>) {
        if EXPLAIN {
            lines.push(Line { amount, kind });
        }
    }

    /// Score an item into `out` (its lines cleared first, their room kept).
    fn item(&mut self, item: &'p Item, out: &mut ItemOutcome<'p>) -> Result<()> {
        let max = match item.kind {
            ItemKind::Base(m) => Some(m),
            _ => None,
        };
        out.lines.clear();
        let mut vetoed = false;
        for g in &item.vetoes {
            if self.truth(&g.condition)? {
                vetoed = true;
                self.note(&mut out.lines, Decimal::ZERO, LineKind::Veto(g));
            }
        }
        out.max = max;
        out.vetoed = vetoed;
        for g in &item.exempt {
            if self.truth(&g.condition)? {
                self.note(&mut out.lines, Decimal::ZERO, LineKind::Exempt(g));
                out.score = max.unwrap_or(Decimal::ZERO);
                out.deduction = Decimal::ZERO;
                out.bonus = Decimal::ZERO;
                return Ok(());
            }
        }
        let mut buckets = Buckets::default();
        let delta = self.block(&item.body, &mut buckets, &mut out.lines)?;
        buckets.add(item.body.role, delta)?;
        out.score = match item.kind {
            ItemKind::Base(m) => add(m, buckets.base)?,
            _ => add(buckets.deduction, buckets.bonus)?,
        };
        out.deduction = zero_minus(buckets.deduction);
        out.bonus = buckets.bonus;
        Ok(())
    }

    /// The points a block moves for its own role; points of nested blocks
    /// with another role go to `buckets`. A scored block returns its score
    /// minus its maximum.
    fn block(
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
        let mut sum = Decimal::ZERO;
        for node in &b.nodes {
            match node {
                Node::Clause(c) => sum = add(sum, self.clause(c, lines)?)?,
                Node::Block(child) => {
                    let d = self.block(child, buckets, lines)?;
                    if child.role == b.role {
                        sum = add(sum, d)?
                    } else {
                        buckets.add(child.role, d)?
                    }
                }
            }
        }
        match b.limit {
            Limit::Score { max, start } => {
                if sum.is_zero() && is_full(start, max) {
                    // Full marks, nothing moved: raw = start = score = max.
                    return Ok(Decimal::from_parts(0, 0, 0, false, max.scale()));
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

    fn clause(&mut self, c: &'p Clause, lines: &mut Vec<Line<'p>>) -> Result<Decimal> {
        self.clause = Some(c);
        // A clause of a common shape is read from its operands (the same
        // steps as `raw` takes for it), unless its input is not the plain
        // value the shape expects.
        let raw = match c.shape {
            Shape::FixedIf { amount, slot, when } => match self.values.get(slot) {
                Some(Value::Bool(b)) if *b == when => amount,
                Some(Value::Bool(_)) => return Ok(Decimal::ZERO),
                _ => self.raw(c)?,
            },
            Shape::FixedCompare {
                amount,
                slot,
                op,
                than,
            } => match self.values.get(slot) {
                Some(Value::Num(x)) if holds(op, exact::cmp(*x, than)) => amount,
                Some(Value::Num(_)) => return Ok(Decimal::ZERO),
                _ => self.raw(c)?,
            },
            Shape::PerUnit {
                rate,
                slot,
                whole,
                gap,
            } => match self.values.get(slot) {
                Some(Value::Num(q)) => per_unit(rate, *q, whole, gap)?,
                _ => self.raw(c)?,
            },
            Shape::General => self.raw(c)?,
        };
        if negative(raw) {
            return negative_amount(c.sign, raw);
        }
        let sign = |d: Decimal| if c.sign == Sign::Deduct { -d } else { d };
        if raw.is_zero() {
            return Ok(Decimal::ZERO);
        }
        self.note(lines, sign(raw), LineKind::Clause(c));
        match c.cap {
            Some(cap) if exact::cmp(raw, cap).is_gt() => {
                if EXPLAIN {
                    self.note(lines, sign(cap - raw), LineKind::ClauseCap(c, cap));
                }
                Ok(sign(cap))
            }
            _ => Ok(sign(raw)),
        }
    }

    /// The points of a clause before its sign and cap, `0` when it does
    /// not apply.
    fn raw(&mut self, c: &'p Clause) -> Result<Decimal> {
        if let Some(cond) = &c.condition
            && !self.truth(cond)?
        {
            return Ok(Decimal::ZERO);
        }
        Ok(match &c.amount {
            Amount::Fixed(e) => self.num(e)?,
            Amount::Per {
                rate,
                step,
                whole,
                quantity,
                gap,
            } => {
                let q = self.num(quantity)?;
                let gap = match gap {
                    Some((side, t)) => Some((*side, self.num(t)?)),
                    None => None,
                };
                let g = distance(q, gap)?;
                if g.is_zero() && !step.is_zero() {
                    // No steps: nothing moves, whatever the rate (read all
                    // the same, for the faults it may raise).
                    self.num(rate)?;
                    return Ok(Decimal::ZERO);
                }
                let steps = if is_one(*step) { g } else { div(g, *step)? };
                let steps = if *whole { floor(steps) } else { steps };
                mul(self.num(rate)?, steps)?
            }
            Amount::Each(each) => self.each(each)?,
        })
    }

    /// Out of line: `each` is rare, and inlined it would widen every
    /// clause's stack frame.
    #[inline(never)]
    fn each(&mut self, e: &'p Each) -> Result<Decimal> {
        if e.once_per.is_none() && e.group_caps.is_empty() {
            return self.each_sum(e);
        }
        let records = self.list(e.list)?;
        // (once-per key, group key, value) of every record that counts.
        let mut rows: Vec<Row> = Vec::new();
        for r in records.iter() {
            self.locals.push(r);
            let row = self.each_row(e);
            self.locals.pop();
            if let Some(row) = row? {
                rows.push(row);
            }
        }
        if e.once_per.is_some() {
            rows = highest_per_key(rows);
        }
        match e.group_caps.first() {
            None => rows.iter().try_fold(Decimal::ZERO, |s, r| add(s, r.2)),
            Some((cap, _)) => capped_groups(rows, *cap),
        }
    }

    /// An `each` without keys: the sum of the values of the records that
    /// count, with no list of rows. Every record is read before an overflow
    /// of the sum is reported, as when the rows are listed first.
    fn each_sum(&mut self, e: &'p Each) -> Result<Decimal> {
        let records = self.list(e.list)?;
        let mut sum = Ok(Decimal::ZERO);
        for r in records.iter() {
            self.locals.push(r);
            let value = self.each_value(e);
            self.locals.pop();
            if let (Some(v), Ok(s)) = (value?, &sum) {
                sum = add(*s, v);
            }
        }
        sum
    }

    /// The value of the record bound last, when it counts.
    fn each_value(&mut self, e: &'p Each) -> Result<Option<Decimal>> {
        if let Some(f) = &e.filter
            && !self.truth(f)?
        {
            return Ok(None);
        }
        self.num(&e.value).map(Some)
    }

    fn each_row<'x>(&mut self, e: &'p Each) -> Result<Option<Row<'x>>>
    where
        'p: 'x,
        'e: 'x,
    {
        if let Some(f) = &e.filter
            && !self.truth(f)?
        {
            return Ok(None);
        }
        // Keys before the value, for which fault comes first.
        let key = e.once_per.as_ref().map(|k| self.key(k)).transpose()?;
        let group = (e.group_caps.first())
            .map(|(_, k)| self.key(k))
            .transpose()?;
        Ok(Some((key, group, self.num(&e.value)?)))
    }

    /// A once-per or group key: a constant, input or field borrowed where
    /// it lies (a text key is then neither counted nor copied), anything
    /// else computed.
    fn key<'x>(&mut self, k: &'p Expr) -> Result<Cow<'x, Value>>
    where
        'p: 'x,
        'e: 'x,
    {
        match self.plain(k) {
            Some(v) => Ok(Cow::Borrowed(v)),
            None => self.eval(k).map(Cow::Owned),
        }
    }

    fn list(&self, slot: usize) -> Result<&'e [Record]> {
        match self.values.get(slot) {
            Some(Value::List(l)) => Ok(l),
            _ => fault(
                Code::MissingOptional,
                t!(
                    "the list input `{}` has no value",
                    "列表型数据项“{}”没有取值",
                    self.input_name(slot)
                ),
            ),
        }
    }

    fn input_name(&self, slot: usize) -> &str {
        self.program
            .inputs
            .get(slot)
            .map_or("?", |i| i.name.as_str())
    }

    /// A number held as such by a constant, an input or a record field:
    /// read without building a `Value`, and never a fault.
    #[inline(always)]
    fn plain_num(&self, e: &Expr) -> Option<Decimal> {
        match self.plain(e)? {
            Value::Num(n) => Some(*n),
            _ => None,
        }
    }

    /// The value of a constant, an input or a record field, borrowed from
    /// where it lies (the expression or the entity), not from the scorer;
    /// `None` for other expressions and for a value that is missing.
    #[inline(always)]
    fn plain<'x>(&self, e: &'x Expr) -> Option<&'x Value>
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
        .filter(|v| !matches!(v, Value::Missing))
    }

    /// A condition. A yes/no read in place, or its negation (most
    /// conditions of a table), is inlined into the caller; the rest is
    /// [`Self::truth_computed`].
    #[inline(always)]
    fn truth(&mut self, e: &Expr) -> Result<bool> {
        let read = match e {
            Expr::Not(a) => self.plain(a).map(|v| (v, true)),
            _ => self.plain(e).map(|v| (v, false)),
        };
        if let Some((Value::Bool(b), negated)) = read {
            return Ok(*b != negated);
        }
        self.truth_computed(e)
    }

    #[inline(never)]
    fn truth_computed(&mut self, e: &Expr) -> Result<bool> {
        // The common cases without building a `Value`; each does what
        // `eval` does for the same expression.
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
    fn num(&mut self, e: &Expr) -> Result<Decimal> {
        match self.plain_num(e) {
            Some(n) => Ok(n),
            None => self.num_computed(e),
        }
    }

    #[inline(never)]
    fn num_computed(&mut self, e: &Expr) -> Result<Decimal> {
        // The forms that yield a number without building a `Value`; each
        // does what `eval` does for the same expression (same order, same
        // faults), reading its number-valued parts with `num`.
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

    fn date(&mut self, e: &Expr) -> Result<i32> {
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

    fn eval(&mut self, e: &Expr) -> Result<Value> {
        Ok(match e {
            Expr::Const(v) => v.clone(),
            Expr::Input(slot) => match self.values.get(*slot) {
                Some(Value::Missing) | None => {
                    return fault(
                        Code::MissingOptional,
                        t!(
                            "the optional input `{}` has no value, but the rule needs it here",
                            "可缺数据项“{}”没有取值，而此处规则需要用到它",
                            self.input_name(*slot)
                        ),
                    );
                }
                Some(v) => v.clone(),
            },
            Expr::Field(depth, index) => {
                match self.locals.get(*depth).and_then(|r| r.get(*index)) {
                    Some(Value::Missing) | None => {
                        return fault(
                            Code::Internal,
                            t!(
                                "a record field has no value, but the data reader requires every field",
                                "记录的某个字段没有取值，而读取数据时要求每个字段都有值"
                            ),
                        );
                    }
                    Some(v) => v.clone(),
                }
            }
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
                let v = self.eval(s)?;
                let arm = arms
                    .iter()
                    .find(|(t, _)| matches!(&v, Value::Text(x) if x == t))
                    .map_or(&**default, |(_, e)| e);
                self.eval(arm)?
            }
            Expr::Bands(s, bands) => {
                let x = self.num(s)?;
                Value::Num(self.band(x, bands)?)
            }
            Expr::Call(f, args) => self.call(*f, args)?,
            Expr::Count { list, filter } => {
                let records = self.list(*list)?;
                let mut n = 0u64;
                for r in records.iter() {
                    self.locals.push(r);
                    let keep = filter.as_ref().map_or(Ok(true), |f| self.truth(f));
                    self.locals.pop();
                    n += u64::from(keep?);
                }
                Value::Num(Decimal::from(n))
            }
            Expr::Sum {
                list,
                filter,
                value,
            } => {
                let records = self.list(*list)?;
                let mut total = Decimal::ZERO;
                for r in records.iter() {
                    self.locals.push(r);
                    let v = self.summand(filter.as_deref(), value);
                    self.locals.pop();
                    total = add(total, v?)?;
                }
                Value::Num(total)
            }
        })
    }

    /// The arm of a `match` on an enumeration value that `s` selects; an
    /// input or constant is read in place.
    fn arm<'x>(&mut self, s: &Expr, arms: &'x [Expr]) -> Result<&'x Expr> {
        let i = match self.plain(s) {
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
    fn arith(&mut self, op: BinOp, a: &Expr, b: &Expr) -> Result<Decimal> {
        let (x, y) = (self.num(a)?, self.num(b)?);
        match op {
            BinOp::Add => add(x, y),
            BinOp::Sub => sub(x, y),
            BinOp::Mul => mul(x, y),
            _ => div(x, y),
        }
    }

    fn summand(&mut self, filter: Option<&Expr>, value: &Expr) -> Result<Decimal> {
        if let Some(f) = filter
            && !self.truth(f)?
        {
            return Ok(Decimal::ZERO);
        }
        self.num(value)
    }

    fn band(&mut self, x: Decimal, bands: &[Band]) -> Result<Decimal> {
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

    fn call(&mut self, f: Func, args: &[Expr]) -> Result<Value> {
        let arg = |i: usize| match args.get(i) {
            Some(a) => Ok(a),
            None => fault(Code::Arity, t!("missing argument", "缺少参数")),
        };
        Ok(match f {
            Func::Min | Func::Max => {
                let mut best: Option<Decimal> = None;
                for a in args {
                    let v = self.num(a)?;
                    best = Some(match best {
                        None => v,
                        Some(b) if f == Func::Min => exact::min(b, v),
                        Some(b) => exact::max(b, v),
                    });
                }
                Value::Num(best.unwrap_or(Decimal::ZERO))
            }
            Func::Abs => Value::Num(self.num(arg(0)?)?.abs()),
            Func::Quarter => {
                let month = match self.eval(arg(0)?)? {
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
                Value::Num(Decimal::from((m - 1) / 3 + 1))
            }
            Func::Month => Value::Num(Decimal::from(crate::date::to_ymd(self.date(arg(0)?)?).1)),
            Func::DateAddDays => {
                let d = self.date(arg(0)?)?;
                let n = self.num(arg(1)?)?;
                let moved = n
                    .to_i32()
                    .and_then(|n| d.checked_add(n))
                    .filter(|d| (1..=9999).contains(&crate::date::to_ymd(*d).0));
                match moved {
                    Some(m) if n.fract().is_zero() => Value::Date(m),
                    _ => {
                        return fault(
                            Code::Overflow,
                            t!(
                                "moving a date by {} days leaves the calendar",
                                "日期移动 {} 天后超出了日历范围",
                                n.normalize()
                            ),
                        );
                    }
                }
            }
            Func::Given => match args.first() {
                Some(Expr::Input(slot)) => Value::Bool(!matches!(
                    self.values.get(*slot),
                    Some(Value::Missing) | None
                )),
                _ => {
                    return fault(
                        Code::Arity,
                        t!(
                            "given() asks about an input",
                            "given() 的参数应为一个数据项"
                        ),
                    );
                }
            },
            Func::DaysBetween => {
                let (from, to) = (self.date(arg(0)?)?, self.date(arg(1)?)?);
                Value::Num(Decimal::from(i64::from(to) - i64::from(from)))
            }
        })
    }
}

/// Whether `e` can only yield a number, seen from its form alone (`eval`
/// gives these forms `Value::Num` or a fault): then a comparison with it
/// compares two numbers, and both sides can be read by `num`.
fn computes_number(e: &Expr) -> bool {
    match e {
        Expr::Const(v) => matches!(v, Value::Num(_)),
        Expr::Neg(_)
        | Expr::Arith(..)
        | Expr::Bands(..)
        | Expr::Count { .. }
        | Expr::Sum { .. } => true,
        Expr::Call(f, _) => matches!(
            f,
            Func::Min | Func::Max | Func::Abs | Func::Quarter | Func::Month | Func::DaysBetween
        ),
        _ => false,
    }
}

/// The fault of a clause whose amount came out below zero.
#[cold]
#[inline(never)]
fn negative_amount<T>(sign: Sign, raw: Decimal) -> Result<T> {
    let verb = if sign == Sign::Deduct {
        t!("deduct", "扣")
    } else {
        t!("add", "加")
    };
    fault(
        Code::NegativeAmount,
        t!(
            "the clause would {} {:.2} points; an amount cannot be negative",
            "此子句将{} {:.2} 分；分数不能为负",
            verb,
            raw.round_dp(2)
        ),
    )
}

/// For records with the same key, keep the one with the highest value.
/// `rate` per 1 of `q`, or of its distance above or below a constant: the
/// general way's steps for a step of 1 (nothing moves without a step).
#[inline(always)]
fn per_unit(
    rate: Decimal,
    q: Decimal,
    whole: bool,
    gap: Option<(Gap, Decimal)>,
) -> Result<Decimal> {
    let g = distance(q, gap)?;
    if g.is_zero() {
        return Ok(Decimal::ZERO);
    }
    let steps = if whole { floor(g) } else { g };
    mul(rate, steps)
}

/// What a `per` clause counts steps of: `q` itself, or how far it lies
/// above or below a target (0 on the other side).
#[inline(always)]
fn distance(q: Decimal, gap: Option<(Gap, Decimal)>) -> Result<Decimal> {
    Ok(match gap {
        None => q,
        Some((Gap::Above, t)) => at_least_zero(sub(q, t)?),
        Some((Gap::Below, t)) => at_least_zero(sub(t, q)?),
    })
}

/// Up to this many rows (or groups), keys are compared one by one; beyond,
/// through a hash index, so that a long list costs n, not n².
const FEW: usize = 32;

/// For each once-per key, the first of its rows with the highest value,
/// in the order the keys first come (`once per p.project at highest`).
fn highest_per_key(mut rows: Vec<Row<'_>>) -> Vec<Row<'_>> {
    // In place: the first `kept` rows are the best so far of their keys,
    // in the order the keys first came.
    let mut kept = 0;
    let mut index = (rows.len() > FEW).then(KeyIndex::default);
    for i in 0..rows.len() {
        let (done, rest) = rows.split_at_mut(i);
        let (Some(row), Some(done)) = (rest.first_mut(), done.get_mut(..kept)) else {
            break;
        };
        let found = match &index {
            Some(index) => index.find(&row.0, |k| done.get(k).map(|r| &r.0)),
            None => done.iter().position(|r| r.0 == row.0),
        };
        match found.and_then(|k| done.get_mut(k)) {
            Some(best) if exact::cmp(row.2, best.2).is_gt() => std::mem::swap(best, row),
            Some(_) => {}
            None => {
                if let Some(index) = &mut index {
                    index.insert(&row.0, kept);
                }
                rows.swap(kept, i);
                kept += 1;
            }
        }
    }
    rows.truncate(kept);
    rows
}

/// The sum of each group's values, each held within `cap`, the groups in
/// the order their keys first come.
fn capped_groups(rows: Vec<Row<'_>>, cap: Decimal) -> Result<Decimal> {
    let mut groups: Vec<(Option<Cow<Value>>, Decimal)> = Vec::new();
    let mut index = (rows.len() > FEW).then(KeyIndex::default);
    for (_, g, v) in rows {
        let found = match &index {
            Some(index) => index.find(&g, |k| groups.get(k).map(|r| &r.0)),
            None => groups.iter().position(|(k, _)| *k == g),
        };
        match found.and_then(|k| groups.get_mut(k)) {
            Some(slot) => slot.1 = add(slot.1, v)?,
            None => {
                if let Some(index) = &mut index {
                    index.insert(&g, groups.len());
                }
                groups.push((g, v));
            }
        }
    }
    groups
        .iter()
        .try_fold(Decimal::ZERO, |s, (_, v)| add(s, exact::min(*v, cap)))
}

/// Where the keys met so far are, by a hash of each that agrees with
/// `Value`'s equality (numbers equal at any scale hash alike); keys of one
/// hash are chained, and compared with `==`, so the hash only narrows.
#[derive(Default)]
struct KeyIndex {
    state: std::hash::RandomState,
    heads: std::collections::HashMap<u64, usize>,
    /// Per position, the next position of the same hash.
    next: Vec<Option<usize>>,
}

impl KeyIndex {
    fn hash(&self, key: &Option<Cow<Value>>) -> u64 {
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut h = self.state.build_hasher();
        match key.as_deref() {
            None => 0u8.hash(&mut h),
            Some(Value::Bool(b)) => (1u8, b).hash(&mut h),
            // rust_decimal hashes 1 and 1.0 alike, as they are equal.
            Some(Value::Num(d)) => (2u8, d).hash(&mut h),
            Some(Value::Date(d)) => (3u8, d).hash(&mut h),
            Some(Value::Text(t)) => (4u8, &**t).hash(&mut h),
            Some(Value::Enum(e)) => (5u8, e).hash(&mut h),
            // Not a key the checker lets through: equality decides.
            Some(Value::List(_)) => 6u8.hash(&mut h),
            Some(Value::Missing) => 7u8.hash(&mut h),
        }
        h.finish()
    }

    /// The position of a key equal to `key`, `at` giving the key at a
    /// position.
    fn find<'k, 'x: 'k>(
        &self,
        key: &Option<Cow<'x, Value>>,
        at: impl Fn(usize) -> Option<&'k Option<Cow<'x, Value>>>,
    ) -> Option<usize> {
        let mut next = self.heads.get(&self.hash(key)).copied();
        while let Some(k) = next {
            if at(k).is_some_and(|other| other == key) {
                return Some(k);
            }
            next = self.next.get(k).copied().flatten();
        }
        None
    }

    /// `key` is now at `position`, the next position in order.
    fn insert(&mut self, key: &Option<Cow<Value>>, position: usize) {
        let hash = self.hash(key);
        let before = self.heads.insert(hash, position);
        if self.next.len() <= position {
            self.next.resize(position + 1, None);
        }
        if let Some(slot) = self.next.get_mut(position) {
            *slot = before;
        }
    }
}

/// `0 − d`, as `Decimal::checked_sub` gives it: `d` itself when it is
/// zero (its scale and sign kept), else `d` with its sign flipped.
#[inline(always)]
fn zero_minus(d: Decimal) -> Decimal {
    if d.is_zero() { d } else { -d }
}

/// Whether a part starting at `start` starts at its maximum `max > 0`,
/// written the same way (as a part without `from` does): then `max − max`
/// is a positive zero at the scale of `max`, which is what
/// `Decimal::checked_sub` gives for two equal positive operands.
#[inline(always)]
fn is_full(start: Decimal, max: Decimal) -> bool {
    start.serialize() == max.serialize() && !max.is_zero() && max.is_sign_positive()
}

/// `d.floor()`, which gives a whole number back as it is.
#[inline(always)]
fn floor(d: Decimal) -> Decimal {
    if d.scale() == 0 { d } else { d.floor() }
}

/// `d.max(0)`: `d` unless it is below zero (so −0 stays −0, as there).
#[inline(always)]
fn at_least_zero(d: Decimal) -> Decimal {
    if negative(d) { Decimal::ZERO } else { d }
}

/// Inlined: a gap's subtraction (`per done below planned`) is on the
/// path of most clauses of a table.
#[inline(always)]
fn sub(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_sub(b).map_or_else(
        || {
            fault(
                Code::Overflow,
                t!("{a} − {b} is too large", "{a} − {b} 的结果过大"),
            )
        },
        Ok,
    )
}

#[inline(always)]
fn mul(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_mul(b).map_or_else(
        || {
            fault(
                Code::Overflow,
                t!("{a} × {b} is too large", "{a} × {b} 的结果过大"),
            )
        },
        Ok,
    )
}

#[inline]
fn div(a: Decimal, b: Decimal) -> Result<Decimal> {
    if b.is_zero() {
        return fault(
            Code::DivisionByZero,
            t!("{} is divided by zero", "{} 被零除", a.normalize()),
        );
    }
    a.checked_div(b).map_or_else(
        || {
            fault(
                Code::Overflow,
                t!("{a} ÷ {b} is too large", "{a} ÷ {b} 的结果过大"),
            )
        },
        Ok,
    )
}

#[inline(always)]
fn compare(op: BinOp, x: &Value, y: &Value) -> Result<bool> {
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
fn holds(op: BinOp, ord: std::cmp::Ordering) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn decimals() -> Vec<Decimal> {
        let texts = "0 0.00 -0 -0.0 1 3 3.0 0.5 -0.5 2.25 -7 100 18446744073709551616 \
            79228162514264337593543950335 0.0000000000000000000000000001";
        texts
            .split_whitespace()
            .map(|t| Decimal::from_str(t).unwrap())
            .collect()
    }

    /// Each short-cut of the scorer gives rust_decimal's own result, bit
    /// for bit (scale and the sign of zero included).
    #[test]
    fn short_cuts_agree_with_rust_decimal() {
        for d in decimals() {
            let same = |a: Decimal, b: Decimal| assert_eq!(a.serialize(), b.serialize(), "{d}");
            same(zero_minus(d), Decimal::ZERO - d);
            same(at_least_zero(d), d.max(Decimal::ZERO));
            same(floor(d), d.floor());
            if is_full(d, d) {
                same(Decimal::from_parts(0, 0, 0, false, d.scale()), d - d);
            }
        }
    }

    /// The obvious way to keep the highest row of each key: a second list of
    /// the best row of each key, searched one by one.
    fn by_list(rows: Vec<Row<'_>>) -> Vec<Row<'_>> {
        let mut out: Vec<Row> = Vec::new();
        for row in rows {
            match out.iter_mut().find(|r| r.0 == row.0) {
                Some(best) if exact::cmp(row.2, best.2).is_gt() => *best = row,
                Some(_) => {}
                None => out.push(row),
            }
        }
        out
    }

    #[test]
    fn the_highest_row_per_key_is_kept_in_place_as_a_second_list_would_keep_it() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        let values = ["1", "3", "3.0", "0.5"];
        // Every sequence of up to five rows over three keys, one of them
        // no key at all, with values that tie and differ.
        let keys = [None, Some(Value::Enum(0)), Some(Value::Text("甲".into()))];
        let mut cases = vec![Vec::new()];
        for _ in 0..5 {
            let longer: Vec<Vec<Row>> = (cases.iter().rev().take(200))
                .flat_map(|c| {
                    let pairs = keys.iter().flat_map(|k| values.iter().map(move |v| (k, v)));
                    pairs.map(move |(k, v)| {
                        let mut c = c.clone();
                        let group = Some(Value::Num(d(v)));
                        c.push((k.clone().map(Cow::Owned), group.map(Cow::Owned), d(v)));
                        c
                    })
                })
                .collect();
            cases.extend(longer);
        }
        for rows in cases {
            let (ours, theirs) = (highest_per_key(rows.clone()), by_list(rows.clone()));
            assert_eq!(ours, theirs, "{rows:?}");
            // The same scales too: the very rows are kept.
            let scales = |r: &[Row]| r.iter().map(|r| r.2.scale()).collect::<Vec<_>>();
            assert_eq!(scales(&ours), scales(&theirs), "{rows:?}");
        }
    }

    #[test]
    fn long_lists_keep_and_group_the_rows_the_one_by_one_way_does() {
        // The one-by-one ways, as they were before the hash index (by_list
        // and this).
        fn groups(rows: Vec<Row<'_>>, cap: Decimal) -> Decimal {
            let mut groups: Vec<(Option<Cow<Value>>, Decimal)> = Vec::new();
            for (_, g, v) in rows {
                match groups.iter_mut().find(|(k, _)| *k == g) {
                    Some(slot) => slot.1 += v,
                    None => groups.push((g, v)),
                }
            }
            groups.iter().map(|(_, v)| (*v).min(cap)).sum()
        }
        let d = |s: &str| Decimal::from_str(s).unwrap();
        // Keys that are equal written differently (1, 1.0, 1.00), texts,
        // enums, dates, booleans and none.
        let key = |n: u64| -> Option<Value> {
            match n % 9 {
                0 => None,
                1 => Some(Value::Num(d(
                    ["1", "1.0", "1.00", "2"][(n / 9 % 4) as usize]
                ))),
                2 | 3 => Some(Value::Text(format!("项目{}", n / 9 % 40).into())),
                4 => Some(Value::Enum((n / 9 % 5) as u32)),
                5 => Some(Value::Date((n / 9 % 30) as i32)),
                6 => Some(Value::Bool(n.is_multiple_of(2))),
                _ => Some(Value::Num(Decimal::from(n / 9 % 100))),
            }
        };
        let values = ["1", "3", "3.0", "0.5", "2.50", "0"];
        for seed in 0..40u64 {
            let mut rng = crate::synth::Rng::new(seed);
            let n = [0, 1, 33, 100, 700][(seed % 5) as usize] + rng.below(50) as usize;
            let rows: Vec<Row> = (0..n)
                .map(|_| {
                    let (k, g) = (key(rng.below(400)), key(rng.below(400)));
                    let v = d(values[rng.below(values.len() as u64) as usize]);
                    (k.map(Cow::Owned), g.map(Cow::Owned), v)
                })
                .collect();
            let (ours, theirs) = (highest_per_key(rows.clone()), by_list(rows.clone()));
            assert_eq!(ours, theirs, "seed {seed}");
            let scales = |r: &[Row]| {
                r.iter()
                    .map(|r| (r.2.scale(), format!("{:?}", r.0)))
                    .collect::<Vec<_>>()
            };
            assert_eq!(scales(&ours), scales(&theirs), "seed {seed}");
            let cap = d("2.5");
            let sum = capped_groups(rows.clone(), cap).unwrap();
            assert_eq!(sum, groups(rows, cap), "seed {seed}");
        }
    }

    /// `program` with every clause scored the general way.
    fn unshaped(program: &Program) -> Program {
        fn block(b: &mut Block) {
            for node in &mut b.nodes {
                match node {
                    Node::Clause(c) => c.shape = Shape::General,
                    Node::Block(inner) => block(inner),
                }
            }
        }
        let mut general = program.clone();
        general.items.iter_mut().for_each(|i| block(&mut i.body));
        general
    }

    /// An outcome in words, every number as written (its scale too), each
    /// line by its kind and the clause or guard it points at.
    fn seen(o: &std::result::Result<Outcome, EvalError>) -> String {
        let Ok(o) = o else {
            return format!("{o:?}");
        };
        let line = |l: &Line| {
            let at = match &l.kind {
                LineKind::Clause(c) | LineKind::ClauseCap(c, _) => format!("{:?}", c.span),
                LineKind::Exempt(g) | LineKind::Veto(g) => g.reason.clone(),
                other => format!("{other:?}"),
            };
            format!("{} {}", l.amount, at)
        };
        let items = o.items.iter().map(|i| {
            let lines: Vec<String> = i.lines.iter().map(line).collect();
            format!(
                "{} {:?} {} {} {} {lines:?}",
                i.score, i.max, i.deduction, i.bonus, i.vetoed
            )
        });
        let totals = (o.base, o.deductions, o.bonus_raw, o.bonus, o.total);
        format!(
            "{} {totals:?} {} {} {:?}",
            o.id,
            o.vetoed,
            o.result,
            items.collect::<Vec<_>>()
        )
    }

    #[test]
    fn clauses_of_a_common_shape_score_as_the_general_way_scores_them() {
        let program = crate::compile(include_str!("../../specs/liucheng-2024.kh"))
            .program
            .expect("the 2024 spec checks");
        let shaped = |p: &Program| {
            let mut n = 0;
            for item in &p.items {
                n += count_shaped(&item.body);
            }
            n
        };
        assert!(
            shaped(&program) > 100,
            "most clauses of the table have a shape"
        );
        let general = unshaped(&program);
        assert_eq!(shaped(&general), 0);
        let entities: Vec<Entity> = crate::synth::entities(&program, 7, 200).collect();
        // Each entity as generated, and with one input missing or of the
        // wrong kind in turn, so that every shape also falls back.
        let odd = [Value::Missing, Value::Bool(true), Value::Num(Decimal::ONE)];
        for (n, e) in entities.iter().enumerate() {
            let mut variants = vec![e.clone()];
            for slot in (n % 7..e.values.len()).step_by(7) {
                let mut v = e.clone();
                if let Some(value) = v.values.get_mut(slot) {
                    *value = odd[(n + slot) % odd.len()].clone();
                }
                variants.push(v);
            }
            for v in &variants {
                for explain in [false, true] {
                    let ours = seen(&evaluate_with(&program, v, explain));
                    let theirs = seen(&evaluate_with(&general, v, explain));
                    assert_eq!(ours, theirs);
                }
            }
        }
    }

    fn count_shaped(b: &Block) -> usize {
        (b.nodes.iter())
            .map(|node| match node {
                Node::Clause(c) => usize::from(c.shape != Shape::General),
                Node::Block(inner) => count_shaped(inner),
            })
            .sum()
    }

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
}
