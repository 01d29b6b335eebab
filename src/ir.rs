//! The resolved IR: what `check` hands to `eval`.
//!
//! Every name is resolved: inputs are slots (indices into an entity's value
//! vector), record fields are indices into a record, enumeration values are
//! indices into their enum. Literals carry their normalised value (`90%` is
//! 0.9). Evaluating an entity never looks a name up.

use crate::source::Span;
use rust_decimal::Decimal;
use std::sync::Arc;

/// A checked spec.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub header: Header,
    pub inputs: Vec<Input>,
    pub enums: Vec<EnumInfo>,
    /// The headings of every level, in table order (a heading before its
    /// children): sections (level 1), indicators (2), the third and fourth
    /// levels; `Heading::parent` makes the tree.
    pub headings: Vec<Heading>,
    pub items: Vec<Item>,
    /// Σ of the base items' maximum scores.
    pub base_total: Decimal,
    /// Standards by the unit's class (`standard … by …`), read by
    /// `Expr::Standard(index)`.
    pub standards: Vec<Standard>,
    /// Whether any item has an extra award (`extra`): the reports that
    /// have columns add one for it. Set once by check.
    pub has_extra: bool,
    /// Whether any extra award is declared outside the bonus ceiling: the
    /// totals then show their sum beside the bonus. Set once by check.
    pub has_extra_outside: bool,
    /// Rules not yet written (`rule pending "…"`, 待写规则), in the order
    /// of the spec: a program with any is never scored (K0491).
    pub pending: Vec<Pending>,
}

impl Program {
    /// The headings from `at` up to its section: `at`, its parent, …
    pub fn ancestors(&self, at: Option<usize>) -> Ancestors<'_> {
        Ancestors { program: self, at }
    }

    /// The section (level 1) an item stands in, if any.
    pub fn section_of(&self, item: &Item) -> Option<usize> {
        self.ancestors(item.heading).last()
    }

    /// The headings an item stands in, from its section down.
    pub fn path_of(&self, item: &Item) -> Vec<usize> {
        let mut path: Vec<usize> = self.ancestors(item.heading).collect();
        path.reverse();
        path
    }

    /// The number of heading levels the table has (0 to 4): items are one
    /// level below.
    pub fn heading_levels(&self) -> u8 {
        self.headings.iter().map(|h| h.level).max().unwrap_or(0)
    }

    /// Whether heading `at` is `h` or stands in it.
    pub fn within(&self, at: Option<usize>, h: usize) -> bool {
        self.ancestors(at).any(|a| a == h)
    }
}

/// The chain of headings above one (`Program::ancestors`).
pub struct Ancestors<'p> {
    program: &'p Program,
    at: Option<usize>,
}

impl Iterator for Ancestors<'_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        let at = self.at?;
        self.at = self.program.headings.get(at).and_then(|h| h.parent);
        Some(at)
    }
}

/// A rule not yet written: the item it stands in and the table's sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    pub item: String,
    pub sentence: String,
    pub span: Span,
}

/// A standard that differs by the assessed unit's class (`standard
/// target_rate by town_class { "城区" => 98%, else => 95% }`): each unit
/// takes the value of its class, given by the enumeration input `class`.
#[derive(Clone, Debug, PartialEq)]
pub struct Standard {
    pub name: String,
    pub description: String,
    /// The slot of the enumeration input that gives the unit's class.
    pub class: usize,
    /// The type its values are shown in (a number in their unit).
    pub ty: Ty,
    /// The value for each of the class's values, by index.
    pub values: Vec<Decimal>,
    /// The rows as written, for the 评分标准 and hover: the class's value
    /// (`None` for `else`) and the standard's value.
    pub rows: Vec<(Option<String>, Decimal)>,
    pub span: Span,
}

/// The language of the header's `language` entry, which reports explain
/// in; the same type as the language of diagnostics.
pub use crate::diagnostic::Lang;

/// An operator of the IR. The checker lowers the AST's operator to it
/// (check::expr), so that the IR and what reads it need nothing of parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinOp {
    /// The operator as a spec writes it in English keywords.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "=",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    pub title: String,
    pub year: Option<u32>,
    pub lang: Lang,
    pub pass: String,
    pub fail: String,
    pub grades: Option<Vec<Band>>,
    /// The ceiling on all bonuses together (`bonus at most` in the header).
    pub bonus_cap: Option<Decimal>,
    /// How lost points are attributed among an item's lead and supporting
    /// units (`attribution` in the header; all to the lead if not said).
    pub attribution: Attribution,
    /// Whether the table has a result of pass or fail: the header declares
    /// `pass`, `fail` or `grades`. A table without one prints no result
    /// column or line (a fired veto still says 否决).
    pub has_result: bool,
    /// The named results derived from each unit's total (`result …`).
    pub results: Vec<NamedResult>,
}

/// A named result derived from a unit's total (`result "等次" grade …`).
#[derive(Clone, Debug, PartialEq)]
pub struct NamedResult {
    pub name: String,
    pub rule: ResultRule,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ResultRule {
    /// Steps by mark, highest first (the checker holds the order), then
    /// the text below the lowest mark.
    Grade {
        steps: Vec<(String, Decimal)>,
        otherwise: String,
    },
    /// At or above the mark: `pass`, else `fail` (the header's texts).
    PassMark {
        mark: Decimal,
        pass: String,
        fail: String,
    },
    /// `low_value` at `low` points or below, `high_value` at `high` or
    /// above, proportional between; `percent`: the values are shares
    /// (0.5 is 50%).
    Payout {
        low: Decimal,
        low_value: Decimal,
        high: Decimal,
        high_value: Decimal,
        percent: bool,
    },
    /// The top `n` units by total (`percent`: `n` is a share of the units,
    /// 0.1 for 10%, rounded down), ties all included, get `label`.
    Top {
        n: Decimal,
        percent: bool,
        label: String,
    },
}

/// The rule by which the roll-up by unit attributes an item's lost points
/// among its lead (牵头单位) and supporting (配合单位) units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Attribution {
    /// `attribution lead` (失分归属 牵头单位): all to the lead unit.
    #[default]
    Lead,
    /// `attribution shared` (失分归属 平均分担): split equally among the lead
    /// and supporting units, to the 0.01 point (or the points' own finer
    /// decimals), the remainder to the lead, so the parts add up exactly.
    Shared,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Heading {
    /// Its id as written (`(一)`), for display under its parent.
    pub label: String,
    /// Its stable key, by which data, reports and diff name it: the id as
    /// written, or its path (`二/(一)`) when another heading of its level
    /// has an id of the same key (check::keys).
    pub key: String,
    pub title: String,
    /// 1 for a section (一级指标), 2 an indicator (二级指标), 3 and 4 the
    /// levels below (三级指标, 四级指标).
    pub level: u8,
    /// The heading it stands in (an index into `Program::headings`); none
    /// for a section.
    pub parent: Option<usize>,
    /// The ceiling on the bonuses of the items under this heading.
    pub bonus_cap: Option<Decimal>,
    /// The ceiling on what the deduction items and parts under this heading
    /// take together (`deduction at most 10`, 扣分项 最高 10; at its own
    /// points, 扣完为止); the scorer gives back what goes beyond it, from
    /// the first item past the ceiling on, with a line
    /// (`LineKind::HeadingCap`).
    pub deduction_cap: Option<Decimal>,
    /// Its own points as the table gives them (`score 40` after its
    /// title), when it declares them; reports then print its subtotal.
    pub points: Option<Decimal>,
    /// What its children add up to: its base items' points, or its
    /// headings' points (declared, else their children's). Equal to `points` unless `children sum` declared less.
    pub children_points: Decimal,
}

impl Heading {
    /// The points the heading is worth: its own, else its children's.
    pub fn worth(&self) -> Decimal {
        self.points.unwrap_or(self.children_points)
    }
}

/// A declared input; its index in `Program::inputs` is its slot.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    pub name: String,
    pub ty: Ty,
    pub description: String,
    pub optional: bool,
    pub default: Option<Value>,
    /// What each word of absence a cell may hold does (`optional: not
    /// applicable => full marks`); empty when the input declares none, and
    /// then such a word is refused by the data readers.
    pub absence: Vec<(Absent, AbsentRule)>,
    pub span: Span,
    /// Set when the input is an assessor's score (`judged`): the bounds
    /// the data must keep.
    pub judged: Option<Judgement>,
    /// What explanation lines call the input (`short name "…"`, 简称),
    /// when given; see `Input::shown_name`.
    pub short_name: Option<String>,
}

/// What an assessor's score is bounded by: from 0 to `max`, the points of
/// the item (or part) `item` names.
#[derive(Clone, Debug, PartialEq)]
pub struct Judgement {
    pub max: Decimal,
    /// The item's id, and the part's name after it when in a part.
    pub item: String,
}

impl Input {
    /// The rule declared for a word of absence, if any.
    pub fn absence_rule(&self, word: Absent) -> Option<AbsentRule> {
        self.absence
            .iter()
            .find(|(w, _)| *w == word)
            .map(|(_, r)| *r)
    }

    /// The words of absence its cells may hold, as templates and messages
    /// show them ("不适用 / 无此项 / n/a / 未申报"); `None` without rules.
    pub fn absence_words(&self) -> Option<String> {
        let words: Vec<&str> = (self.absence.iter())
            .flat_map(|(w, _)| match w {
                Absent::NotApplicable => ["不适用", "无此项", "n/a"].as_slice(),
                Absent::NotClaimed => ["未申报"].as_slice(),
            })
            .copied()
            .collect();
        (!words.is_empty()).then(|| words.join(" / "))
    }
}

/// A fact a cell says is absent, by its word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Absent {
    /// 不适用 / 无此项 / n/a.
    NotApplicable,
    /// 未申报 / not claimed.
    NotClaimed,
}

impl Absent {
    /// The word a clerk writes for it, in the spec's language.
    pub fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Absent::NotApplicable, Lang::Zh) => "不适用",
            (Absent::NotApplicable, Lang::En) => "not applicable",
            (Absent::NotClaimed, Lang::Zh) => "未申报",
            (Absent::NotClaimed, Lang::En) => "not claimed",
        }
    }
}

/// What an absent fact does to the rules that read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AbsentRule {
    /// Every item that reads it scores its full marks (a deduction or
    /// bonus item: nothing taken, nothing added), as an exemption does.
    FullMarks,
    /// Every clause (and veto or exemption) that reads it moves nothing.
    NoPoints,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumInfo {
    pub name: String,
    pub variants: Vec<String>,
}

/// The type of an input or record field.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    Bool,
    Count(Option<String>),
    Number(Unit),
    Rate,
    Date,
    Text,
    Enum(usize),
    List(Vec<Field>),
    /// A month, 1–12, held as a number (`month`, 月份).
    Month,
    /// A quarter, 1–4, held as a number (`quarter`, 季度).
    Quarter,
    /// The id of a section, indicator or item of this table, held as text
    /// (`item ref`, 指标编号).
    ItemRef,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: String,
    pub ty: Ty,
    pub description: String,
    /// A date field whose dates may lie outside the table's year (`any
    /// year`, 不限年度); else the data readers refuse them (K0544).
    pub any_year: bool,
}

/// The unit of a number.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    /// A plain number, a count, or points.
    Plain,
    /// A percentage, held as a fraction: 90% is 0.9.
    Percent,
    /// A percentage point, held as a fraction: 0.1pp is 0.001.
    Points,
    Days,
    Named(Arc<str>),
}

/// A runtime value. Lists live only in inputs, so expressions yield scalars.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bool(bool),
    Num(Decimal),
    Date(i32),
    Text(Arc<str>),
    Enum(u32),
    List(Arc<[Record]>),
    /// An optional input without a value.
    Missing,
    /// A fact the cell says is absent (未申报, 不适用), for an input that
    /// declares what that word does.
    Absent(Absent),
}

pub type Record = Box<[Value]>;

// ---------------------------------------------------------------- items

#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// Its stable key, by which data, reports, `kaohe test` and diff name
    /// it: the id as written, or its path (`二/(一)/1`) when another item
    /// has an id of the same key (check::keys).
    pub id: String,
    /// Its id as written (`1.`), for display under its indicator.
    pub label: String,
    pub title: String,
    /// The heading it stands in (an index into `Program::headings`); none
    /// in a table of one level.
    pub heading: Option<usize>,
    pub kind: ItemKind,
    pub rule: Option<String>,
    pub evidence: Option<String>,
    pub authority: Option<String>,
    /// Every unit answering for the item: the `responsible` units, or the
    /// lead unit followed by the supporting units.
    pub responsible: Vec<String>,
    /// The lead unit (牵头单位), when the item names one; it is then
    /// `responsible[0]`, and the supporting units (配合单位) follow it.
    pub lead: Option<String>,
    pub exempt: Vec<Guard>,
    pub vetoes: Vec<Guard>,
    pub body: Block,
    pub span: Span,
    /// The slots of the inputs it reads that declare rules for absent
    /// facts (`optional: not applicable => full marks`): the scorer looks
    /// for an absent fact only in an item where this is not empty.
    pub absent: Vec<usize>,
    /// Extra awards beyond the item's points (`extra …`, 超额加分), each
    /// with its rule for the bonus ceiling; only in an item with points.
    pub extra: Vec<Extra>,
}

/// An extra award inside an item beyond its points (建成3个以上的，每多1个加
/// 0.5分，最高加2分): an `add` clause whose points go above the item's score.
#[derive(Clone, Debug, PartialEq)]
pub struct Extra {
    pub clause: Clause,
    pub ceiling: ExtraCeiling,
}

/// Whether an extra award counts toward the bonus ceilings of its
/// indicator, section and table (计入加分上限) or is added to the total
/// outside them (不计入加分上限).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtraCeiling {
    Within,
    Outside,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// A base item with its maximum score.
    Base(Decimal),
    Deduction,
    Bonus,
    /// Deduction and bonus parts in one row (16.2).
    Mixed,
    Veto,
}

/// Which total a block's points feed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Base,
    Deduction,
    Bonus,
}

/// A condition with what to say when it holds (`exempt if`, `veto if`).
#[derive(Clone, Debug, PartialEq)]
pub struct Guard {
    pub condition: Expr,
    pub reason: String,
    pub facts: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub name: Option<String>,
    pub role: Role,
    pub limit: Limit,
    pub nodes: Vec<Node>,
    /// `waived if …` (免予扣分): when one holds, what the block's clauses
    /// deducted is given back (全年完成目标的，不扣分); a block with a waiver
    /// only deducts.
    pub waivers: Vec<Guard>,
    /// Its limit's bounds read out for the scorer (derived from `limit`:
    /// see [`Bounds::of`]).
    pub bounds: Bounds,
}

/// What the scorer works out at the end of a scored part that is fixed
/// by the spec, read out of `Limit::Score` when the block is built, so
/// that it is not worked out again for every entity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bounds {
    /// The part starts at its maximum, above zero and written the same
    /// way (as a part without `from` does): with nothing moved its score
    /// less its maximum is a zero at the maximum's scale.
    pub full: bool,
    /// Its start and its maximum as mantissas within 32 bits with their
    /// scales ([`narrow`]), the maximum above zero; `None` otherwise.
    pub narrow: Option<((i64, u32), (i64, u32))>,
    /// The block is the body of a base item whose points are its maximum,
    /// written the same way ([`Bounds::of_body`]): the item's score is the
    /// part's.
    pub whole: bool,
}

impl Bounds {
    /// The bounds of a block with this limit (nothing for another limit).
    pub fn of(limit: &Limit) -> Bounds {
        let Limit::Score { max, start } = *limit else {
            return Bounds::default();
        };
        let above_zero = !max.is_zero() && max.is_sign_positive();
        Bounds {
            full: start.serialize() == max.serialize() && above_zero,
            narrow: match (narrow(start), narrow(max)) {
                (Some(a), Some(m)) if above_zero => Some((a, m)),
                _ => None,
            },
            whole: false,
        }
    }

    /// The bounds of an item's body with this limit, for an item of this
    /// kind.
    pub fn of_body(limit: &Limit, kind: ItemKind) -> Bounds {
        let whole = match (*limit, kind) {
            (Limit::Score { max, .. }, ItemKind::Base(points)) => {
                points.serialize() == max.serialize()
            }
            _ => false,
        };
        Bounds {
            whole,
            ..Bounds::of(limit)
        }
    }
}

/// A decimal's mantissa, signed, when it fits 32 bits (so that it times
/// 10⁹, and the sum of two such, fit an `i64`), and its scale.
#[inline(always)]
pub fn narrow(d: Decimal) -> Option<(i64, u32)> {
    // The flags, then the low, middle and high words, little-endian: one
    // `u128`, read by shifts (byte by byte it cost the scorer some 2,000
    // instructions a unit).
    let words = u128::from_le_bytes(d.serialize());
    if words >> 64 != 0 {
        return None;
    }
    let m = i64::from((words >> 32) as u32);
    Some((if d.is_sign_negative() { -m } else { m }, d.scale()))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// A share of points, held within [0, max], starting at `start`.
    Score {
        max: Decimal,
        start: Decimal,
    },
    /// The clauses inside together move at most this many points.
    AtMost(Decimal),
    None,
}

/// A clause is far larger than a block (its expressions are inline, and
/// `Expr` has a tag byte of its own), but a block's nodes are walked in
/// order from one vector: boxing each clause would add an allocation and
/// a pointer to follow per clause, on the scorer's hottest path.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Node {
    Clause(Clause),
    Block(Block),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    Deduct,
    Add,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    pub sign: Sign,
    pub amount: Amount,
    pub cap: Option<Decimal>,
    pub condition: Option<Expr>,
    pub reason: String,
    /// The inputs the clause reads, shown as the facts of its line.
    pub facts: Vec<usize>,
    pub span: Span,
    /// Its amount and condition again, read out for the scorer when they
    /// take one of the commonest forms (derived from the two: see
    /// [`Shape::of`]).
    pub shape: Shape,
}

/// The forms most clauses of a table take (of the 2024 table's 230, 60
/// are `deduct 0.5 per meetings`, 51 `deduct 1 unless report_filed`, 18
/// `deduct 0.5 per meetings below 2`, 12 `deduct 1 if rate < 90%`), with their operands read out of the
/// expressions at check time: the scorer computes such a clause's points
/// without walking its amount. It goes the general way whenever the input
/// does not hold the plain value expected (a missing optional input), so
/// that every fault is raised as before.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shape {
    /// A constant amount when the yes/no input in `slot` is `when`: an
    /// amount with `if flag` (`when` true) or `unless flag` (false).
    FixedIf {
        amount: Decimal,
        slot: usize,
        when: bool,
    },
    /// A constant amount when the number in `slot` compares so with a
    /// constant: an amount with `if rate < 90%`.
    FixedCompare {
        amount: Decimal,
        slot: usize,
        op: BinOp,
        than: Decimal,
    },
    /// A constant rate per 1 of the number in `slot`, or of its distance
    /// above or below a constant, with no condition.
    PerUnit {
        rate: Decimal,
        slot: usize,
        whole: bool,
        gap: Option<(Gap, Decimal)>,
    },
    /// Any other clause.
    General,
}

impl Shape {
    /// The shape of a clause with this amount and condition.
    pub fn of(amount: &Amount, condition: Option<&Expr>) -> Shape {
        let number = |e: &Expr| match e {
            Expr::Const(Value::Num(n)) => Some(*n),
            _ => None,
        };
        let fixed_if = |amount: &Expr, condition: &Expr| {
            let amount = number(amount)?;
            let (slot, when) = match condition {
                Expr::Input(slot) => (*slot, true),
                Expr::Not(a) => match **a {
                    Expr::Input(slot) => (slot, false),
                    _ => return None,
                },
                Expr::Compare(op, a, b) => {
                    let (Expr::Input(slot), Some(than)) = (&**a, number(b)) else {
                        return None;
                    };
                    let (op, slot) = (*op, *slot);
                    return Some(Shape::FixedCompare {
                        amount,
                        slot,
                        op,
                        than,
                    });
                }
                _ => return None,
            };
            Some(Shape::FixedIf { amount, slot, when })
        };
        let per_unit = |rate: &Expr, step: Decimal, whole, quantity: &Expr, gap: &Option<_>| {
            let (Expr::Input(slot), true) = (quantity, is_one(step)) else {
                return None;
            };
            let gap = match gap {
                None => None,
                Some((g, t)) => Some((*g, number(t)?)),
            };
            let rate = number(rate)?;
            Some(Shape::PerUnit {
                rate,
                slot: *slot,
                whole,
                gap,
            })
        };
        let shape = match (amount, condition) {
            (Amount::Fixed(e), Some(c)) => fixed_if(e, c),
            (
                Amount::Per {
                    rate,
                    step,
                    whole,
                    quantity,
                    gap,
                },
                None,
            ) => per_unit(rate, *step, *whole, quantity, gap),
            _ => None,
        };
        shape.unwrap_or(Shape::General)
    }
}

/// Whether `d` is 1 written without decimals: dividing a non-zero number
/// by it gives that number back, digit for digit and with its scale (the
/// remainder-free path of `Decimal::checked_div`), so the division is skipped.
#[inline(always)]
pub fn is_one(d: Decimal) -> bool {
    d.scale() == 0 && !d.is_sign_negative() && d.mantissa() == 1
}

#[derive(Clone, Debug, PartialEq)]
pub enum Amount {
    Fixed(Expr),
    Per {
        rate: Expr,
        step: Decimal,
        whole: bool,
        quantity: Expr,
        gap: Option<(Gap, Expr)>,
    },
    Each(Box<Each>),
    /// An assessor's score (`judged`) in the input `slot`, from 0 to `max`,
    /// in a block that starts at `start` (its max or 0): the clause moves
    /// the block from its start to the score given.
    Judged {
        slot: usize,
        max: Decimal,
        start: Decimal,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gap {
    Above,
    Below,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Each {
    /// The list input's slot.
    pub list: usize,
    pub filter: Option<Expr>,
    pub once_per: Option<Expr>,
    pub value: Expr,
    /// `at most N per KEY`: caps per group of records.
    pub group_caps: Vec<(Decimal, Expr)>,
}

// ---------------------------------------------------------------- expressions

/// With a tag byte of its own (`repr(u8)`): the compiler would otherwise
/// hide the tag in a niche of a field, and every `match` of the scorer
/// (one per expression read) would decode it first.
#[derive(Clone, Debug, PartialEq)]
#[repr(u8)]
pub enum Expr {
    Const(Value),
    Input(usize),
    /// Field `.1` of the record bound at binding depth `.0` (0 is the
    /// outermost `each` or aggregate).
    Field(usize, usize),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Arith(BinOp, Box<Expr>, Box<Expr>),
    Compare(BinOp, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// One arm per enumeration value, by index.
    Match(Box<Expr>, Vec<Expr>),
    /// Arms by text, for matching on a text value; the last is the default.
    MatchText(Box<Expr>, Vec<(Arc<str>, Expr)>, Box<Expr>),
    Bands(Box<Expr>, Vec<Band>),
    Call(Func, Vec<Expr>),
    Count {
        list: usize,
        filter: Option<Box<Expr>>,
    },
    Sum {
        list: usize,
        filter: Option<Box<Expr>>,
        value: Box<Expr>,
    },
    /// The value of `Program::standards[.0]` for the unit's class.
    Standard(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Min,
    Max,
    Abs,
    Quarter,
    Month,
    DateAddDays,
    DaysBetween,
    /// Whether an optional input has a value.
    Given,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub lower: Option<(Decimal, bool)>,
    pub upper: Option<(Decimal, bool)>,
    pub value: BandValue,
}

#[derive(Clone, Debug, PartialEq)]
pub enum BandValue {
    Value(Expr),
    Linear(Expr, Expr),
}

impl Band {
    /// Whether `x` falls in the band; the bool says whether an end is
    /// included. One comparison per end (scoring tests bands per entity).
    pub fn contains(&self, x: Decimal) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        let within = |end: Option<(Decimal, bool)>, outside| match end {
            Some((e, incl)) => match crate::exact::cmp(x, e) {
                Equal => incl,
                o => o != outside,
            },
            None => true,
        };
        within(self.lower, Less) && within(self.upper, Greater)
    }
}

impl Item {
    /// Whether an assessor gives the item's score, or a part's of it.
    pub fn judged(&self) -> bool {
        self.body.judged()
    }
}

impl Block {
    /// Whether an assessor's score is among the block's clauses, at any depth.
    pub fn judged(&self) -> bool {
        self.nodes.iter().any(|n| match n {
            Node::Clause(c) => matches!(c.amount, Amount::Judged { .. }),
            Node::Block(b) => b.judged(),
        })
    }
}

impl Program {
    /// The program with every span cleared. Two specs that mean the same
    /// compare equal this way whatever their layout, which is how `kaohe
    /// fmt` is held to keeping a spec's meaning (tests and the fmt fuzz
    /// target).
    pub fn without_spans(&self) -> Program {
        let mut program = self.clone();
        for input in &mut program.inputs {
            input.span = Span::default();
        }
        for standard in &mut program.standards {
            standard.span = Span::default();
        }
        for pending in &mut program.pending {
            pending.span = Span::default();
        }
        for item in &mut program.items {
            item.span = Span::default();
            item.body.clear_spans();
            for extra in &mut item.extra {
                extra.clause.span = Span::default();
            }
        }
        program
    }
}

impl Block {
    fn clear_spans(&mut self) {
        for node in &mut self.nodes {
            match node {
                Node::Clause(clause) => clause.span = Span::default(),
                Node::Block(block) => block.clear_spans(),
            }
        }
    }
}

impl Item {
    /// The item's units as a table prints them in one 责任单位 column,
    /// joined by 、, the lead unit marked: 县生态环境局（牵头）、县住建局.
    pub fn units_text(&self, lang: Lang) -> String {
        let mark = match lang {
            Lang::Zh => "（牵头）",
            Lang::En => " (lead)",
        };
        let mut out = String::new();
        for (i, unit) in self.responsible.iter().enumerate() {
            if i > 0 {
                out.push('、');
            }
            out.push_str(unit);
            if i == 0 && self.lead.is_some() {
                out.push_str(mark);
            }
        }
        out
    }
}

// ---------------------------------------------------------------- standards by class

impl Expr {
    /// The standards (`Expr::Standard`) the expression reads, each once,
    /// in the order met, added to `out`: the facts a line shows beside
    /// its inputs.
    pub fn standards_into(&self, out: &mut Vec<usize>) {
        let mut walk = |e: &Expr| e.standards_into(out);
        match self {
            Expr::Standard(i) => {
                if !out.contains(i) {
                    out.push(*i);
                }
            }
            Expr::Const(_) | Expr::Input(_) | Expr::Field(..) => {}
            Expr::Not(a) | Expr::Neg(a) => walk(a),
            Expr::Arith(_, a, b) | Expr::Compare(_, a, b) | Expr::And(a, b) | Expr::Or(a, b) => {
                walk(a);
                walk(b);
            }
            Expr::If(c, a, b) => {
                walk(c);
                walk(a);
                walk(b);
            }
            Expr::Match(s, arms) => {
                walk(s);
                arms.iter().for_each(walk);
            }
            Expr::MatchText(s, arms, default) => {
                walk(s);
                arms.iter().for_each(|(_, e)| walk(e));
                walk(default);
            }
            Expr::Bands(s, bands) => {
                walk(s);
                for b in bands {
                    match &b.value {
                        BandValue::Value(v) => walk(v),
                        BandValue::Linear(x, y) => {
                            walk(x);
                            walk(y);
                        }
                    }
                }
            }
            Expr::Call(_, args) => args.iter().for_each(walk),
            Expr::Count { filter, .. } => filter.iter().for_each(|f| walk(f)),
            Expr::Sum { filter, value, .. } => {
                filter.iter().for_each(|f| walk(f));
                walk(value);
            }
        }
    }
}

impl Clause {
    /// The standards the clause reads (its condition, then its amount).
    pub fn standards(&self) -> Vec<usize> {
        let mut out = Vec::new();
        if let Some(c) = &self.condition {
            c.standards_into(&mut out);
        }
        match &self.amount {
            Amount::Fixed(e) => e.standards_into(&mut out),
            Amount::Per {
                rate,
                quantity,
                gap,
                ..
            } => {
                rate.standards_into(&mut out);
                quantity.standards_into(&mut out);
                if let Some((_, g)) = gap {
                    g.standards_into(&mut out);
                }
            }
            Amount::Each(each) => {
                for e in each
                    .filter
                    .iter()
                    .chain(&each.once_per)
                    .chain([&each.value])
                {
                    e.standards_into(&mut out);
                }
                for (_, k) in &each.group_caps {
                    k.standards_into(&mut out);
                }
            }
            Amount::Judged { .. } => {}
        }
        out
    }
}
