//! The syntax tree: what the author wrote, with a span on every node that a
//! diagnostic may point at. Nothing here is resolved; see `ir` for that.

use crate::source::Span;
use rust_decimal::Decimal;

/// A name as written, with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

/// A string literal's value, with its span (quotes included).
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Spec {
    pub header: Option<TableHeader>,
    pub enums: Vec<EnumDecl>,
    pub inputs: Vec<InputDecl>,
    /// `standard NAME by CLASS { … }` (标准 … 按 …), in the order written.
    pub standards: Vec<StandardDecl>,
    /// The headings of the first level (sections, 一级指标), each with its
    /// children; empty in a table of one level.
    pub sections: Vec<Heading>,
    /// Items directly under the table (a table of one level).
    pub items: Vec<Item>,
}

impl Spec {
    /// Every heading at any depth, in the order written (a heading before
    /// its children).
    pub fn headings(&self) -> Vec<&Heading> {
        fn walk<'a>(h: &'a Heading, out: &mut Vec<&'a Heading>) {
            out.push(h);
            for c in &h.headings {
                walk(c, out);
            }
        }
        let mut out = Vec::new();
        for h in &self.sections {
            walk(h, &mut out);
        }
        out
    }

    /// Every item, in the order written, with the heading it stands in.
    pub fn items(&self) -> Vec<(Option<&Heading>, &Item)> {
        let mut out: Vec<(Option<&Heading>, &Item)> =
            self.items.iter().map(|i| (None, i)).collect();
        for h in self.headings() {
            out.extend(h.items.iter().map(|i| (Some(h), i)));
        }
        out
    }
}

/// A standard that differs by the assessed unit's class: `standard
/// target_rate by town_class "目标达标率" { "城区" => 98%, else => 95% }`.
/// Its rows are match arms (`else` a row without a pattern).
#[derive(Clone, Debug, PartialEq)]
pub struct StandardDecl {
    pub name: Name,
    /// The enumeration input that gives each unit's class.
    pub class: Name,
    pub description: Option<Text>,
    pub rows: Vec<MatchArm>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TableHeader {
    pub title: Text,
    pub span: Span,
    pub year: Option<(u32, Span)>,
    pub language: Option<Name>,
    pub total: Option<(Decimal, Span)>,
    pub pass: Option<Text>,
    pub fail: Option<Text>,
    pub grades: Option<Vec<Band>>,
    pub bonus_cap: Option<(Decimal, Span)>,
    pub inputs: Vec<InputDecl>,
    pub enums: Vec<EnumDecl>,
    /// `attribution lead|shared`: how the roll-up splits an item's lost
    /// points among its lead and supporting units.
    pub attribution: Option<(crate::ir::Attribution, Span)>,
    /// Named results derived from the total (`result "等次" grade …`).
    pub results: Vec<ResultDecl>,
}

/// `result "NAME" RULE`: a named result computed from each unit's total.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultDecl {
    pub name: Text,
    pub rule: ResultRule,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ResultRule {
    /// `"优秀" >= 90, "良好" >= 80, else "不合格"`: the steps as
    /// written (text, mark, the step's span), and the `else` text.
    Grade {
        steps: Vec<(Text, Decimal, Span)>,
        otherwise: Option<Text>,
    },
    /// `pass mark 60`.
    PassMark(Decimal, Span),
    /// `payout 60 => 0% to 95 => 100%`: each end a mark and a value with
    /// its unit (`%` or none).
    Payout { low: PayoutEnd, high: PayoutEnd },
    /// `top 3 => "先进单位"` or `top 10% => "先进单位"`.
    Top {
        n: Decimal,
        unit: Option<Name>,
        span: Span,
        label: Text,
    },
}

/// One end of a payout: at `mark` points, `value` (with its unit).
#[derive(Clone, Debug, PartialEq)]
pub struct PayoutEnd {
    pub mark: Decimal,
    pub value: Decimal,
    pub unit: Option<Name>,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    pub rule: Option<Text>,
    pub evidence: Option<Text>,
    pub authority: Option<Text>,
    pub responsible: Vec<Text>,
    /// `lead "…"` (牵头单位) and its span.
    pub lead: Option<(Text, Span)>,
    /// `supporting "…", "…"` (配合单位) and its span.
    pub supporting: Option<(Vec<Text>, Span)>,
}

/// A section's or indicator's own points (`score 40`, 分值 40), with what
/// its children add up to when the table gives the heading more (`children
/// sum 38`, 下级合计 38).
#[derive(Clone, Debug, PartialEq)]
pub struct HeadingPoints {
    pub points: Decimal,
    pub children: Option<(Decimal, Span)>,
    pub span: Span,
}

/// A heading of any level: a section (一级指标, level 1), an indicator
/// (二级指标, 2), a third- or fourth-level heading (三级指标, 四级指标).
/// It holds either headings of the next level or items (K0486).
#[derive(Clone, Debug, PartialEq)]
pub struct Heading {
    /// 1 for a section, 2 an indicator, 3 and 4 the levels below.
    pub level: u8,
    pub label: Name,
    pub title: Text,
    /// `score 40` after the title (levels).
    pub points: Option<HeadingPoints>,
    pub meta: Meta,
    pub bonus_cap: Option<(Decimal, Span)>,
    /// `deduction at most 10` (扣分项 最高 10): what its deduction items
    /// and parts take together.
    pub deduction_cap: Option<(Decimal, Span)>,
    pub inputs: Vec<InputDecl>,
    /// Its headings of the next level.
    pub headings: Vec<Heading>,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub label: Name,
    pub title: Text,
    pub kind: Option<ItemKind>,
    pub meta: Meta,
    pub inputs: Vec<InputDecl>,
    pub body: Vec<Entry>,
    pub span: Span,
}

/// What an item or part is scored as, from its header.
#[derive(Clone, Debug, PartialEq)]
pub enum ItemKind {
    /// `score 3` or `score 4 from 0`.
    Score {
        max: Decimal,
        start: Option<Decimal>,
        span: Span,
    },
    Deduction(Span),
    Bonus(Span),
    Veto(Span),
}

/// A line in an item's or a part's body.
// Built once per spec line; boxing would only add noise to every match.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    Part(Part),
    Clause(Clause),
    /// `judged NAME "how" default N`: the assessor's score (parse::judged).
    Judged(Judged),
    /// `waived if COND "reason"`: the block's deductions are given back
    /// when the condition holds (parse::clauses::waiver).
    Waiver(Waiver),
    /// `rule pending "…"` (待写规则): a rule not yet written (issue 18).
    Pending(Pending),
}

/// A rule not yet written (`rule pending "每少一次扣0.5分"`, 待写规则 “…”),
/// as `kaohe import` leaves a sentence it could not read: the checker warns
/// (K0490) and scoring refuses the spec (K0491).
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// The table's sentence the rule is to be written from.
    pub sentence: Text,
    pub span: Span,
}

/// A waiver of the deductions of an item or part (免予扣分 若 …): when its
/// condition holds, what the block's clauses deducted is given back.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiver {
    pub condition: Condition,
    pub reason: Option<Text>,
    pub span: Span,
    /// Where the keyword `waived` stands.
    pub keyword: Span,
}

/// Whether an extra award counts toward the bonus ceiling (计入加分上限) or
/// is outside it (不计入加分上限).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtraCeiling {
    Within,
    Outside,
}

/// An assessor's judgement: the score of its item or part is a number the
/// assessor gives, read from the data as the input `name` (declared by it:
/// the parser adds an `InputDecl` of type number beside it).
#[derive(Clone, Debug, PartialEq)]
pub struct Judged {
    pub name: Name,
    /// How the score is judged, as the table says (按实际情况评分).
    pub how: Option<Text>,
    /// The score taken when none is given, and where it is written.
    pub default: Option<(Decimal, Span)>,
    /// The whole line.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    pub kind: Option<ItemKind>,
    pub name: Option<Text>,
    /// `at most N` on a group of clauses.
    pub at_most: Option<Expr>,
    pub inputs: Vec<InputDecl>,
    pub body: Vec<Entry>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    pub kind: ClauseKind,
    pub span: Span,
    /// The keyword's span: where "deduct", "add", "veto" or "exempt" stands.
    pub keyword: Span,
    pub reason: Option<Text>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ClauseKind {
    Deduct(Scoring),
    Add(Scoring),
    Veto(Condition),
    Exempt(Condition),
    /// `extra …, within bonus ceiling`: an award beyond the item's points.
    Extra(Scoring, ExtraCeiling),
}

/// The body of a `deduct` or `add` clause.
#[derive(Clone, Debug, PartialEq)]
pub struct Scoring {
    pub amount: Amount,
    pub caps: Vec<Cap>,
    pub condition: Option<Condition>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// `unless` rather than `if`.
    pub negated: bool,
    pub expr: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cap {
    pub limit: Expr,
    /// `at most 0.5 per quarter(r.month)`: the cap applies per group.
    pub per: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Amount {
    /// `deduct 1`
    Fixed(Expr),
    /// `deduct 0.5 per continuous 1μg/m³ of pm25 above target`
    Per(PerAmount),
    /// `deduct each f in fires where …: …`
    Each(EachAmount),
}

#[derive(Clone, Debug, PartialEq)]
pub struct PerAmount {
    pub rate: Expr,
    pub rounding: Option<(Rounding, Span)>,
    pub step: Option<Expr>,
    pub quantity: Expr,
    pub gap: Option<(GapDir, Expr)>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    Whole,
    Continuous,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GapDir {
    Above,
    Below,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EachAmount {
    pub var: Name,
    pub list: Expr,
    pub filter: Option<Expr>,
    pub once_per: Option<Expr>,
    pub value: Expr,
}

// ---------------------------------------------------------------- inputs

#[derive(Clone, Debug, PartialEq)]
pub struct EnumDecl {
    pub name: Name,
    pub variants: Vec<Text>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct InputDecl {
    pub name: Name,
    pub ty: TypeExpr,
    pub description: Option<Text>,
    pub optional: bool,
    pub default: Option<Expr>,
    /// What a cell's word of absence means (`optional: not applicable =>
    /// full marks`), in the order written.
    pub absence: Vec<AbsenceRule>,
    /// `short name "…"` (简称): what explanation lines call the input.
    pub short_name: Option<Text>,
    pub span: Span,
}

impl InputDecl {
    /// An input as its name and type declare it, with nothing more said.
    pub fn new(name: Name, ty: TypeExpr, span: Span) -> InputDecl {
        InputDecl {
            name,
            ty,
            description: None,
            optional: false,
            default: None,
            absence: Vec::new(),
            short_name: None,
            span,
        }
    }
}

/// One rule for an absent fact: the word a cell may hold, and its effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AbsenceRule {
    pub word: AbsenceWord,
    pub outcome: AbsenceOutcome,
    pub span: Span,
}

/// The words of absence a clerk writes in a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AbsenceWord {
    /// 不适用 / 无此项 / n/a.
    NotApplicable,
    /// 未申报 / not claimed.
    NotClaimed,
}

/// What an absent fact does to the rules that read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AbsenceOutcome {
    /// The items reading it score their full marks (and take and add nothing).
    FullMarks,
    /// The clauses reading it move no points.
    NoPoints,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeExpr {
    Scalar(ScalarType),
    List(Vec<FieldDecl>, Span),
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldDecl {
    pub name: Name,
    pub ty: ScalarType,
    pub description: Option<Text>,
    /// `any year` (不限年度): a date field whose dates may lie outside the
    /// table's year.
    pub any_year: Option<Span>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ScalarType {
    Bool(Span),
    Count(Option<Name>, Span),
    Number(Option<Name>, Span),
    Rate(Span),
    Date(Span),
    Text(Span),
    Enum(Vec<Text>, Span),
    /// A month, 1–12 (`month`, 月份).
    Month(Span),
    /// A quarter, 1–4 (`quarter`, 季度).
    Quarter(Span),
    /// The id of a section, indicator or item of the table (`item ref`, 指标编号).
    ItemRef(Span),
    Named(Name),
}

// ---------------------------------------------------------------- expressions

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Number(Decimal, Option<Name>),
    Date(i32),
    Str(String),
    Bool(bool),
    Name(Name),
    Field(Box<Expr>, Name),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Match(Box<Expr>, Vec<MatchArm>),
    Bands(Box<Expr>, Vec<Band>),
    Call(Name, Vec<Expr>),
    /// `count(f in fires where f.photographed)`, `sum(p in projects: p.t)`
    Aggregate(Name, Box<Binding>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    pub var: Name,
    pub list: Expr,
    pub filter: Option<Expr>,
    pub value: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MatchArm {
    /// `None` for `else`.
    pub pattern: Option<Text>,
    pub value: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub lower: Option<Bound>,
    pub upper: Option<Bound>,
    pub value: BandValue,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Bound {
    pub op: BinOp,
    pub value: Decimal,
    pub unit: Option<Name>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum BandValue {
    Value(Expr),
    Linear(Expr, Expr),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Not,
    Neg,
}

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

    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
        )
    }
}
