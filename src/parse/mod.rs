//! Parse: source text → AST with spans.
//!
//! pest does the recognising (grammar/kaohe.pest); this module has one
//! function per grammar rule that turns its pairs into AST nodes. Keyword
//! pairs are skipped by `parts`, so each function sees only the pieces that
//! carry meaning. pest stops at the first syntax error, so `parse` then
//! recovers (see `recover`) to report an error for every block that fails.

// A syntax error is built once per broken block, so the size of `Err` does
// not matter, and one `Diagnostic` type for every stage matters more.
#![allow(clippy::result_large_err)]

pub mod ast;
pub(crate) mod fullwidth;
pub mod keywords;
mod limits;
mod recover;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::t;
use ast::*;
use pest::Parser as _;
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest_derive::Parser;
use rust_decimal::Decimal;
use std::sync::LazyLock;

#[derive(Parser)]
#[grammar = "../grammar/kaohe.pest"]
pub struct KaoheParser;

type Result<T> = std::result::Result<T, Diagnostic>;

/// Parse a whole spec. Returns the tree when the text parsed, and every
/// syntax error found either way.
pub fn parse(text: &str) -> (Option<Spec>, Vec<Diagnostic>) {
    if let Some(d) = limits::check(text) {
        return (None, vec![d]);
    }
    let root = match KaoheParser::parse(Rule::spec, text) {
        Ok(mut pairs) => pairs.next(),
        Err(first) => return (None, recover::all_errors(text, first)),
    };
    if let Some(mixed) = root.clone().and_then(keywords::mixed) {
        return (None, vec![mixed]);
    }
    let mut spec = Spec::default();
    let mut diags = Vec::new();
    TABLE_YEAR.set(root.clone().and_then(header_year));
    for pair in root.into_iter().flat_map(Pair::into_inner) {
        if let Err(d) = top_decl(pair, &mut spec) {
            diags.push(d);
        }
    }
    TABLE_YEAR.set(None);
    if diags.is_empty() {
        (Some(spec), diags)
    } else {
        (None, diags)
    }
}

// ---------------------------------------------------------------- helpers

thread_local! {
    /// The year in the header of the spec being built, for a date written
    /// without one (`5月31日`).
    static TABLE_YEAR: std::cell::Cell<Option<u32>> = const { std::cell::Cell::new(None) };
}

/// The year the table header declares, read before the rest is built.
fn header_year(root: Pair<Rule>) -> Option<u32> {
    let table = root
        .into_inner()
        .find(|p| p.as_rule() == Rule::table_decl)?;
    let year = table
        .into_inner()
        .find(|p| p.as_rule() == Rule::year_decl)?;
    let digits = year.into_inner().find(|p| p.as_rule() == Rule::integer)?;
    fullwidth::to_ascii(digits.as_str()).parse().ok()
}

/// A date as written (2024-05-31, 2024年5月31日, 2024/5/31 or 5月31日, with
/// full-width digits or not) as YYYY-MM-DD, the year of `5月31日` the
/// table's.
fn iso_date(pair: &Pair<Rule>) -> Result<String> {
    let text = fullwidth::to_ascii(pair.as_str());
    let numbers: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .filter_map(|n| n.parse().ok())
        .collect();
    let (y, m, d) = match numbers.as_slice() {
        [y, m, d] => (*y, *m, *d),
        [m, d] => match TABLE_YEAR.get() {
            Some(y) => (y, *m, *d),
            None => {
                let written = pair.as_str();
                return Err(Diagnostic::new(
                    Code::DateWithoutYear,
                    t!(
                        "the date {written} has no year, and the table declares none",
                        "日期“{written}”没有写年份，考核表也没有写年度"
                    ),
                )
                .at(span(pair), t!("which year?", "哪一年？"))
                .with_help(t!(
                    "write the year: 2024-{m:02}-{d:02}, 2024年{m}月{d}日 or 2024/{m}/{d}; or declare the table's year in its header (year 2024), which a date written {m}月{d}日 then takes",
                    "请写出年份：2024-{m:02}-{d:02}、2024年{m}月{d}日 或 2024/{m}/{d}；或在考核表表头写明年度（年度 2024），此后写作 {m}月{d}日 的日期即取该年度"
                )));
            }
        },
        _ => return Err(internal(span(pair))),
    };
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

/// A points amount written with 分 after it (`扣0.5分`) is the amount: a
/// literal with the unit 分 where points are meant.
fn points(e: Expr) -> Expr {
    match e.kind {
        ExprKind::Number(v, Some(u)) if u.text == "分" => Expr {
            kind: ExprKind::Number(v, None),
            span: e.span,
        },
        kind => Expr { kind, span: e.span },
    }
}

static IS_KEYWORD: LazyLock<Vec<bool>> = LazyLock::new(|| {
    keywords::rule_table(|name| name.starts_with("kw_") || name.starts_with("punct_"))
});

fn is_keyword(rule: Rule) -> bool {
    IS_KEYWORD.get(rule as usize).copied().unwrap_or(false)
}

/// The meaningful children of a pair: everything but keywords and braces.
fn parts(pair: Pair<Rule>) -> impl Iterator<Item = Pair<Rule>> {
    pair.into_inner().filter(|p| !is_keyword(p.as_rule()))
}

/// Whether a pair has a keyword child of the given rule.
fn has_keyword(pair: &Pair<Rule>, rule: Rule) -> bool {
    pair.clone().into_inner().any(|p| p.as_rule() == rule)
}

/// The span of a pair, without the white space an optional ending leaves.
fn span(pair: &Pair<Rule>) -> Span {
    let start = pair.as_span().start();
    Span::new(start, start + pair.as_str().trim_end().len())
}

/// The next child, which the grammar guarantees; an internal error if not.
fn take<'a>(it: &mut impl Iterator<Item = Pair<'a, Rule>>, at: Span) -> Result<Pair<'a, Rule>> {
    it.next().ok_or_else(|| internal(at))
}

fn internal(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::Syntax,
        t!(
            "the parser met a shape it does not know (this is a bug in kaohe)",
            "语法分析遇到了无法识别的结构（这是 kaohe 自身的缺陷）"
        ),
    )
    .at(at, t!("here", "此处"))
    .with_help(t!(
        "please report this spec to the kaohe maintainers",
        "请将此规则文件报送 kaohe 维护人员"
    ))
}

fn duplicate(what: &str, second: Span, first: Span) -> Diagnostic {
    let zh = keywords::chinese(what).unwrap_or(what);
    Diagnostic::new(
        Code::DuplicateEntry,
        t!("`{what}` is given twice", "“{zh}”写了两次"),
    )
    .at(second, t!("given again here", "此处重复"))
    .with_label(first, t!("first given here", "首次出现在此处"))
    .with_help(t!("keep one `{what}`", "只保留一处“{zh}”"))
}

fn set_once<T>(slot: &mut Option<(T, Span)>, value: T, what: &str, at: Span) -> Result<()> {
    if let Some((_, first)) = slot {
        return Err(duplicate(what, at, *first));
    }
    *slot = Some((value, at));
    Ok(())
}

/// A name as written; one with full-width letters or digits in it (another
/// name than the half-width one) is refused (K0111).
fn name(pair: Pair<Rule>) -> Result<Name> {
    let sp = span(&pair);
    let text = pair.as_str();
    if !text.is_ascii()
        && let Some(d) = fullwidth::in_name(text, sp)
    {
        return Err(d);
    }
    Ok(Name {
        text: text.to_string(),
        span: sp,
    })
}

/// An id (`6.2`), full-width digits and points read as ASCII.
fn label(pair: Pair<Rule>) -> Name {
    Name {
        text: fullwidth::to_ascii(pair.as_str()).into_owned(),
        span: span(&pair),
    }
}

/// A unit, a full-width `％` read as `%` (full-width letters refused).
fn unit_name(pair: Pair<Rule>) -> Result<Name> {
    let sp = span(&pair);
    if let Some(d) = fullwidth::in_name(pair.as_str(), sp) {
        return Err(d);
    }
    Ok(label(pair))
}

fn string(pair: Pair<Rule>) -> Text {
    let sp = span(&pair);
    let value = match pair.into_inner().next() {
        Some(body) if body.as_rule() == Rule::string_body => unescape(body.as_str()),
        // A text in Chinese quotes has no escapes.
        Some(body) => body.as_str().to_string(),
        None => String::new(),
    };
    Text { value, span: sp }
}

/// A text's value from its body as written: `\n`, `\"` and `\\` read.
/// Most texts have no escape, and are copied as they are.
fn unescape(body: &str) -> String {
    if !body.contains('\\') {
        return body.to_string();
    }
    let mut value = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => value.push('\n'),
                Some(other) => value.push(other),
                None => {}
            }
        } else {
            value.push(c);
        }
    }
    value
}

fn number(pair: &Pair<Rule>) -> Result<Decimal> {
    let sp = span(pair);
    let digits = fullwidth::to_ascii(pair.as_str());
    let whole_digits = digits.split('.').next().map_or(0, str::len);
    Decimal::from_str_exact(&digits).map_err(|_| {
        if whole_digits <= 28 {
            return Diagnostic::new(
                Code::BadNumber,
                t!(
                    "the number {} has too many decimal places to be held exactly",
                    "数值 {} 的小数位数过多，无法精确保存",
                    pair.as_str()
                ),
            )
            .at(sp, t!("too many decimal places", "小数位数过多"))
            .with_help(t!(
                "kaohe keeps 28 significant digits; round the number to fewer decimal places",
                "kaohe 最多保留 28 位有效数字，请减少小数位数"
            ));
        }
        Diagnostic::new(
            Code::BadNumber,
            t!(
                "the number {} is too large to be held exactly",
                "数值 {} 过大，无法精确保存",
                pair.as_str()
            ),
        )
        .at(sp, t!("too large", "数值过大"))
        .with_help(t!(
            "kaohe holds numbers up to 79228162514264337593543950335; write a smaller number",
            "kaohe 可保存的最大数值为 79228162514264337593543950335，请改用较小的数"
        ))
    })
}

/// A quantity: a number with an optional unit right after it.
fn quantity(pair: Pair<Rule>) -> Result<(Decimal, Option<Name>)> {
    let sp = span(&pair);
    let mut inner = pair.into_inner();
    let value = number(&take(&mut inner, sp)?)?;
    Ok((value, inner.next().map(unit_name).transpose()?))
}

// ---------------------------------------------------------------- declarations

fn top_decl(pair: Pair<Rule>, spec: &mut Spec) -> Result<()> {
    match pair.as_rule() {
        Rule::table_decl => {
            let header = table_decl(pair)?;
            if let Some(old) = &spec.header {
                return Err(duplicate("table", header.span, old.span));
            }
            spec.header = Some(header);
        }
        Rule::enum_decl => spec.enums.push(enum_decl(pair)?),
        Rule::input_decl => spec.inputs.push(input_decl(pair)?),
        Rule::section => spec.sections.push(section(pair)?),
        _ => {}
    }
    Ok(())
}

fn table_decl(pair: Pair<Rule>) -> Result<TableHeader> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let title = string(take(&mut inner, sp)?);
    let (mut year, mut language, mut total, mut pass, mut fail, mut grades, mut bonus) =
        (None, None, None, None, None, None, None);
    let mut inputs = Vec::new();
    let mut enums = Vec::new();
    for entry in inner {
        let at = span(&entry);
        let rule = entry.as_rule();
        match rule {
            Rule::input_decl => inputs.push(input_decl(entry)?),
            Rule::enum_decl => enums.push(enum_decl(entry)?),
            Rule::bonus_cap => set_once(&mut bonus, bonus_cap(entry)?, "bonus at most", at)?,
            Rule::grades_decl => set_once(
                &mut grades,
                parts(entry).map(band).collect::<Result<_>>()?,
                "grades",
                at,
            )?,
            _ => {
                let value = take(&mut parts(entry), at)?;
                match rule {
                    Rule::year_decl => {
                        let y =
                            fullwidth::to_ascii(value.as_str())
                                .parse::<u32>()
                                .map_err(|_| {
                                    Diagnostic::new(
                                        Code::BadNumber,
                                        t!("the year is not a year", "年度不是有效的年份"),
                                    )
                                    .at(at, t!("expected a year such as 2024", "应为年份，如 2024"))
                                })?;
                        set_once(&mut year, y, "year", at)?
                    }
                    Rule::language_decl => set_once(&mut language, name(value)?, "language", at)?,
                    Rule::total_decl => set_once(&mut total, number(&value)?, "total", at)?,
                    Rule::pass_decl => set_once(&mut pass, string(value), "pass", at)?,
                    Rule::fail_decl => set_once(&mut fail, string(value), "fail", at)?,
                    _ => return Err(internal(at)),
                }
            }
        }
    }
    Ok(TableHeader {
        title,
        span: sp,
        year,
        language: language.map(|(n, _)| n),
        total,
        pass: pass.map(|(t, _)| t),
        fail: fail.map(|(t, _)| t),
        grades: grades.map(|(g, _)| g),
        bonus_cap: bonus.map(|(b, _)| b),
        inputs,
        enums,
    })
}

fn bonus_cap(pair: Pair<Rule>) -> Result<(Decimal, Span)> {
    let sp = span(&pair);
    let value = take(&mut parts(pair), sp)?;
    Ok((number(&value)?, sp))
}

/// The entries shared by sections, indicators and items.
#[derive(Default)]
struct MetaBuilder {
    rule: Option<(Text, Span)>,
    evidence: Option<(Text, Span)>,
    authority: Option<(Text, Span)>,
    responsible: Option<(Vec<Text>, Span)>,
}

impl MetaBuilder {
    fn add(&mut self, pair: Pair<Rule>) -> Result<()> {
        let entry = take(&mut pair.into_inner(), Span::default())?;
        let at = span(&entry);
        let rule = entry.as_rule();
        let mut values = parts(entry).map(string);
        match rule {
            Rule::rule_meta => set_once(&mut self.rule, take_text(&mut values, at)?, "rule", at),
            Rule::evidence_meta => set_once(
                &mut self.evidence,
                take_text(&mut values, at)?,
                "evidence",
                at,
            ),
            Rule::authority_meta => set_once(
                &mut self.authority,
                take_text(&mut values, at)?,
                "authority",
                at,
            ),
            Rule::responsible => {
                set_once(&mut self.responsible, values.collect(), "responsible", at)
            }
            _ => Err(internal(at)),
        }
    }

    fn build(self) -> Meta {
        Meta {
            rule: self.rule.map(|(t, _)| t),
            evidence: self.evidence.map(|(t, _)| t),
            authority: self.authority.map(|(t, _)| t),
            responsible: self.responsible.map(|(v, _)| v).unwrap_or_default(),
        }
    }
}

fn take_text(it: &mut impl Iterator<Item = Text>, at: Span) -> Result<Text> {
    it.next().ok_or_else(|| internal(at))
}

/// What sections and indicators share, and their children of rule `child`.
struct Heading<'a> {
    label: Name,
    title: Text,
    meta: Meta,
    bonus_cap: Option<(Decimal, Span)>,
    inputs: Vec<InputDecl>,
    children: Vec<Pair<'a, Rule>>,
}

fn heading(pair: Pair<'_, Rule>, child: Rule) -> Result<Heading<'_>> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let label = label(take(&mut inner, sp)?);
    let title = string(take(&mut inner, sp)?);
    let mut meta = MetaBuilder::default();
    let mut bonus = None;
    let mut inputs = Vec::new();
    let mut children = Vec::new();
    for entry in inner {
        match entry.as_rule() {
            Rule::meta => meta.add(entry)?,
            Rule::bonus_cap => {
                let at = span(&entry);
                set_once(&mut bonus, bonus_cap(entry)?, "bonus at most", at)?;
            }
            Rule::input_decl => inputs.push(input_decl(entry)?),
            r if r == child => children.push(entry),
            _ => return Err(internal(span(&entry))),
        }
    }
    let bonus_cap = bonus.map(|(cap, _)| cap);
    Ok(Heading {
        label,
        title,
        meta: meta.build(),
        bonus_cap,
        inputs,
        children,
    })
}

fn section(pair: Pair<Rule>) -> Result<Section> {
    let h = heading(pair, Rule::indicator)?;
    let indicators = h
        .children
        .into_iter()
        .map(indicator)
        .collect::<Result<_>>()?;
    Ok(Section {
        label: h.label,
        title: h.title,
        meta: h.meta,
        bonus_cap: h.bonus_cap,
        inputs: h.inputs,
        indicators,
    })
}

fn indicator(pair: Pair<Rule>) -> Result<Indicator> {
    let h = heading(pair, Rule::item)?;
    let items = h.children.into_iter().map(item).collect::<Result<_>>()?;
    Ok(Indicator {
        label: h.label,
        title: h.title,
        meta: h.meta,
        bonus_cap: h.bonus_cap,
        inputs: h.inputs,
        items,
    })
}

fn item(pair: Pair<Rule>) -> Result<Item> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let label = label(take(&mut inner, sp)?);
    let title = string(take(&mut inner, sp)?);
    let mut meta = MetaBuilder::default();
    let mut it = Item {
        label,
        title,
        kind: None,
        meta: Meta::default(),
        inputs: vec![],
        body: vec![],
        span: sp,
    };
    for entry in inner {
        match entry.as_rule() {
            Rule::item_kind => it.kind = Some(item_kind(entry)?),
            Rule::meta => meta.add(entry)?,
            Rule::input_decl => it.inputs.push(input_decl(entry)?),
            Rule::part => it.body.push(Entry::Part(part(entry)?)),
            Rule::clause => it.body.push(Entry::Clause(clause(entry)?)),
            _ => return Err(internal(span(&entry))),
        }
    }
    it.meta = meta.build();
    Ok(it)
}

fn item_kind(pair: Pair<Rule>) -> Result<ItemKind> {
    let sp = span(&pair);
    let mut kws = pair.clone().into_inner();
    if let Some(score) = parts(pair).next() {
        return score_kind(score);
    }
    match kws.next().map(|p| p.as_rule()) {
        Some(Rule::kw_deduction) => Ok(ItemKind::Deduction(sp)),
        Some(Rule::kw_bonus) => Ok(ItemKind::Bonus(sp)),
        Some(Rule::kw_veto) => Ok(ItemKind::Veto(sp)),
        _ => Err(internal(sp)),
    }
}

fn score_kind(pair: Pair<Rule>) -> Result<ItemKind> {
    let sp = span(&pair);
    let mut nums = parts(pair);
    let max = number(&take(&mut nums, sp)?)?;
    let start = nums.next().map(|p| number(&p)).transpose()?;
    Ok(ItemKind::Score {
        max,
        start,
        span: sp,
    })
}

fn part(pair: Pair<Rule>) -> Result<Part> {
    let sp = span(&pair);
    let mut p = Part {
        kind: None,
        name: None,
        at_most: None,
        inputs: vec![],
        body: vec![],
        span: sp,
    };
    for entry in parts(pair) {
        match entry.as_rule() {
            Rule::part_kind => {
                let at = span(&entry);
                p.kind = Some(if has_keyword(&entry, Rule::kw_bonus) {
                    ItemKind::Bonus(at)
                } else {
                    ItemKind::Deduction(at)
                });
            }
            Rule::string => p.name = Some(string(entry)),
            Rule::part_limit => {
                let limit = take(&mut entry.into_inner(), sp)?;
                match limit.as_rule() {
                    Rule::score_kind => p.kind = Some(score_kind(limit)?),
                    _ => p.at_most = Some(at_most(limit)?),
                }
            }
            Rule::input_decl => p.inputs.push(input_decl(entry)?),
            Rule::part => p.body.push(Entry::Part(part(entry)?)),
            Rule::clause => p.body.push(Entry::Clause(clause(entry)?)),
            _ => return Err(internal(span(&entry))),
        }
    }
    Ok(p)
}

fn at_most(pair: Pair<Rule>) -> Result<Expr> {
    let sp = span(&pair);
    expr(take(&mut parts(pair), sp)?)
}

// ---------------------------------------------------------------- inputs

fn enum_decl(pair: Pair<Rule>) -> Result<EnumDecl> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let name = name(take(&mut inner, sp)?)?;
    let variants = parts(take(&mut inner, sp)?).map(string).collect();
    Ok(EnumDecl { name, variants })
}

fn input_decl(pair: Pair<Rule>) -> Result<InputDecl> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let name = name(take(&mut inner, sp)?)?;
    let ty = type_expr(take(&mut inner, sp)?)?;
    let mut decl = InputDecl {
        name,
        ty,
        description: None,
        optional: false,
        default: None,
        span: sp,
    };
    for entry in inner {
        match entry.as_rule() {
            Rule::string => decl.description = Some(string(entry)),
            Rule::input_opt => {
                if has_keyword(&entry, Rule::kw_optional) {
                    decl.optional = true;
                } else {
                    let at = span(&entry);
                    decl.default = Some(expr(take(&mut parts(entry), at)?)?);
                }
            }
            _ => return Err(internal(span(&entry))),
        }
    }
    Ok(decl)
}

fn type_expr(pair: Pair<Rule>) -> Result<TypeExpr> {
    let sp = span(&pair);
    let inner = take(&mut pair.into_inner(), sp)?;
    match inner.as_rule() {
        Rule::list_type => {
            let at = span(&inner);
            let fields = parts(inner)
                .filter(|p| p.as_rule() == Rule::field_decl)
                .map(field_decl)
                .collect::<Result<_>>()?;
            Ok(TypeExpr::List(fields, at))
        }
        _ => Ok(TypeExpr::Scalar(scalar_type(inner)?)),
    }
}

fn field_decl(pair: Pair<Rule>) -> Result<FieldDecl> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let name = name(take(&mut inner, sp)?)?;
    let ty = scalar_type(take(&mut inner, sp)?)?;
    Ok(FieldDecl {
        name,
        ty,
        description: inner.next().map(string),
    })
}

fn scalar_type(pair: Pair<Rule>) -> Result<ScalarType> {
    let sp = span(&pair);
    let mut inner = pair.into_inner();
    let word = take(&mut inner, sp)?;
    let unit = || {
        inner
            .clone()
            .next()
            .filter(|p| p.as_rule() == Rule::unit)
            .map(unit_name)
            .transpose()
    };
    Ok(match word.as_rule() {
        Rule::ty_bool => ScalarType::Bool(sp),
        Rule::ty_count => ScalarType::Count(unit()?, sp),
        Rule::ty_number => ScalarType::Number(unit()?, sp),
        Rule::ty_rate => ScalarType::Rate(sp),
        Rule::ty_date => ScalarType::Date(sp),
        Rule::ty_text => ScalarType::Text(sp),
        Rule::ty_enum => {
            let body = take(&mut inner, sp)?;
            ScalarType::Enum(parts(body).map(string).collect(), sp)
        }
        Rule::ident => ScalarType::Named(name(word)?),
        _ => return Err(internal(sp)),
    })
}

// ---------------------------------------------------------------- clauses

fn clause(pair: Pair<Rule>) -> Result<Clause> {
    let inner = take(&mut pair.into_inner(), Span::default())?;
    let sp = span(&inner);
    let rule = inner.as_rule();
    let keyword = inner.clone().into_inner().next().map_or(sp, |k| span(&k));
    let mut reason = None;
    let mut amount_pair = None;
    let mut caps = Vec::new();
    let mut cond = None;
    for p in parts(inner) {
        match p.as_rule() {
            Rule::amount => amount_pair = Some(p),
            Rule::cap => caps.push(cap(p)?),
            Rule::condition => cond = Some(condition(p)?),
            Rule::string => reason = Some(string(p)),
            _ => return Err(internal(span(&p))),
        }
    }
    let scoring = |amount_pair: Option<Pair<Rule>>, caps, condition| -> Result<Scoring> {
        Ok(Scoring {
            amount: amount(amount_pair.ok_or_else(|| internal(sp))?)?,
            caps,
            condition,
        })
    };
    let kind = match rule {
        Rule::deduct_clause => ClauseKind::Deduct(scoring(amount_pair, caps, cond)?),
        Rule::add_clause => ClauseKind::Add(scoring(amount_pair, caps, cond)?),
        Rule::veto_clause => ClauseKind::Veto(cond.ok_or_else(|| internal(sp))?),
        Rule::exempt_clause => ClauseKind::Exempt(cond.ok_or_else(|| internal(sp))?),
        _ => return Err(internal(sp)),
    };
    Ok(Clause {
        kind,
        span: sp,
        keyword,
        reason,
    })
}

fn condition(pair: Pair<Rule>) -> Result<Condition> {
    let sp = span(&pair);
    let negated = has_keyword(&pair, Rule::kw_unless);
    Ok(Condition {
        negated,
        expr: expr(take(&mut parts(pair), sp)?)?,
    })
}

fn cap(pair: Pair<Rule>) -> Result<Cap> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let limit = points(at_most(take(&mut inner, sp)?)?);
    let per = inner.next().map(expr).transpose()?;
    Ok(Cap {
        limit,
        per,
        span: sp,
    })
}

fn amount(pair: Pair<Rule>) -> Result<Amount> {
    let sp = span(&pair);
    let mut inner = pair.into_inner();
    let first = take(&mut inner, sp)?;
    match (first.as_rule(), inner.next()) {
        (Rule::each_amount, _) => each_amount(first).map(Amount::Each),
        (_, Some(per)) => per_amount(first, per).map(Amount::Per),
        (_, None) => expr(first).map(|e| Amount::Fixed(points(e))),
    }
}

/// A `per` amount from its rate and what follows the rate; its span runs
/// from the rate's first token.
fn per_amount(rate: Pair<Rule>, pair: Pair<Rule>) -> Result<PerAmount> {
    let sp = Span::new(span(&rate).start, span(&pair).end);
    let mut out = PerAmount {
        rate: points(expr(rate)?),
        rounding: None,
        step: None,
        quantity: placeholder(sp),
        gap: None,
        span: sp,
    };
    for p in parts(pair) {
        match p.as_rule() {
            Rule::rounding => {
                let r = if has_keyword(&p, Rule::kw_whole) {
                    Rounding::Whole
                } else {
                    Rounding::Continuous
                };
                out.rounding = Some((r, span(&p)));
            }
            Rule::quantity => {
                let at = span(&p);
                let (value, unit) = quantity(p)?;
                out.step = Some(Expr {
                    kind: ExprKind::Number(value, unit),
                    span: at,
                });
            }
            Rule::expr => out.quantity = expr(p)?,
            Rule::gap => {
                let dir = if has_keyword(&p, Rule::kw_above) {
                    GapDir::Above
                } else {
                    GapDir::Below
                };
                let at = span(&p);
                out.gap = Some((dir, expr(take(&mut parts(p), at)?)?));
            }
            _ => return Err(internal(span(&p))),
        }
    }
    Ok(out)
}

fn placeholder(sp: Span) -> Expr {
    Expr {
        kind: ExprKind::Bool(false),
        span: sp,
    }
}

fn each_amount(pair: Pair<Rule>) -> Result<EachAmount> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let var = name(take(&mut inner, sp)?)?;
    let list = expr(take(&mut inner, sp)?)?;
    let mut out = EachAmount {
        var,
        list,
        filter: None,
        once_per: None,
        value: placeholder(sp),
    };
    for p in inner {
        match p.as_rule() {
            Rule::where_filter => out.filter = Some(at_most(p)?),
            Rule::once_per => out.once_per = Some(at_most(p)?),
            Rule::expr => out.value = expr(p)?,
            _ => return Err(internal(span(&p))),
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- expressions

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::op_or, Assoc::Left))
        .op(Op::infix(Rule::op_and, Assoc::Left))
        .op(Op::prefix(Rule::op_not))
        .op(Op::infix(Rule::op_eq, Assoc::Left)
            | Op::infix(Rule::op_ne, Assoc::Left)
            | Op::infix(Rule::op_lt, Assoc::Left)
            | Op::infix(Rule::op_le, Assoc::Left)
            | Op::infix(Rule::op_gt, Assoc::Left)
            | Op::infix(Rule::op_ge, Assoc::Left))
        .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
        .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
        .op(Op::prefix(Rule::op_neg))
});

fn binop(rule: Rule) -> Option<BinOp> {
    Some(match rule {
        Rule::op_or => BinOp::Or,
        Rule::op_and => BinOp::And,
        Rule::op_eq => BinOp::Eq,
        Rule::op_ne => BinOp::Ne,
        Rule::op_lt => BinOp::Lt,
        Rule::op_le => BinOp::Le,
        Rule::op_gt => BinOp::Gt,
        Rule::op_ge => BinOp::Ge,
        Rule::op_add => BinOp::Add,
        Rule::op_sub => BinOp::Sub,
        Rule::op_mul => BinOp::Mul,
        Rule::op_div => BinOp::Div,
        _ => return None,
    })
}

pub(crate) fn expr(pair: Pair<Rule>) -> Result<Expr> {
    PRATT
        .map_primary(postfix_expr)
        .map_prefix(|op, rhs| {
            let rhs = rhs?;
            let un = if op.as_rule() == Rule::op_not {
                UnOp::Not
            } else {
                UnOp::Neg
            };
            let sp = span(&op).to(rhs.span);
            Ok(Expr {
                kind: ExprKind::Unary(un, Box::new(rhs)),
                span: sp,
            })
        })
        .map_infix(|lhs, op, rhs| {
            let (lhs, rhs) = (lhs?, rhs?);
            let bin = binop(op.as_rule()).ok_or_else(|| internal(span(&op)))?;
            let sp = lhs.span.to(rhs.span);
            Ok(Expr {
                kind: ExprKind::Binary(bin, Box::new(lhs), Box::new(rhs)),
                span: sp,
            })
        })
        .parse(pair.into_inner())
}

fn postfix_expr(pair: Pair<Rule>) -> Result<Expr> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let mut e = primary(take(&mut inner, sp)?)?;
    for access in inner {
        let field = name(take(&mut parts(access), sp)?)?;
        let at = e.span.to(field.span);
        e = Expr {
            kind: ExprKind::Field(Box::new(e), field),
            span: at,
        };
    }
    Ok(e)
}

fn primary(pair: Pair<Rule>) -> Result<Expr> {
    let sp = span(&pair);
    let kind = match pair.as_rule() {
        Rule::expr => return expr(pair),
        Rule::quantity => {
            let (value, unit) = quantity(pair)?;
            ExprKind::Number(value, unit)
        }
        Rule::date => {
            let iso = iso_date(&pair)?;
            ExprKind::Date(crate::date::parse(&iso).ok_or_else(|| {
                let text = pair.as_str();
                Diagnostic::new(
                    Code::BadDate,
                    t!(
                        "{text} is not a calendar date: {}",
                        "{text} 不是有效的日期：{}",
                        crate::date::problem(&iso)
                    ),
                )
                .at(sp, t!("no such day", "日历上没有这一天"))
            })?)
        }
        Rule::string => ExprKind::Str(string(pair).value),
        Rule::boolean => ExprKind::Bool(has_keyword(&pair, Rule::kw_true)),
        Rule::ident => ExprKind::Name(name(pair)?),
        Rule::if_expr => {
            let mut e = parts(pair).map(expr);
            let c = take_expr(&mut e, sp)?;
            let t = take_expr(&mut e, sp)?;
            let f = take_expr(&mut e, sp)?;
            ExprKind::If(Box::new(c), Box::new(t), Box::new(f))
        }
        Rule::match_expr => {
            let mut inner = parts(pair);
            let scrutinee = expr(take(&mut inner, sp)?)?;
            let arms = inner.map(match_arm).collect::<Result<_>>()?;
            ExprKind::Match(Box::new(scrutinee), arms)
        }
        Rule::bands_expr => {
            let mut inner = parts(pair);
            let scrutinee = expr(take(&mut inner, sp)?)?;
            let bands = inner.map(band).collect::<Result<_>>()?;
            ExprKind::Bands(Box::new(scrutinee), bands)
        }
        Rule::call => call(pair)?,
        _ => return Err(internal(sp)),
    };
    Ok(Expr { kind, span: sp })
}

fn take_expr(it: &mut impl Iterator<Item = Result<Expr>>, at: Span) -> Result<Expr> {
    it.next().unwrap_or_else(|| Err(internal(at)))
}

fn match_arm(pair: Pair<Rule>) -> Result<MatchArm> {
    let sp = span(&pair);
    let mut inner = parts(pair);
    let first = take(&mut inner, sp)?;
    let (pattern, value) = match first.as_rule() {
        Rule::string => (Some(string(first)), expr(take(&mut inner, sp)?)?),
        _ => (None, expr(first)?),
    };
    Ok(MatchArm {
        pattern,
        value,
        span: sp,
    })
}

fn band(pair: Pair<Rule>) -> Result<Band> {
    let sp = span(&pair);
    let mut b = Band {
        lower: None,
        upper: None,
        value: BandValue::Value(placeholder(sp)),
        span: sp,
    };
    for p in parts(pair) {
        match p.as_rule() {
            Rule::bound => {
                let bd = bound(p)?;
                if b.lower.is_none() {
                    b.lower = Some(bd);
                } else {
                    b.upper = Some(bd);
                }
            }
            Rule::band_value => {
                let v = take(&mut p.into_inner(), sp)?;
                b.value = match v.as_rule() {
                    Rule::linear => {
                        let mut e = parts(v).map(postfix_expr);
                        BandValue::Linear(take_expr(&mut e, sp)?, take_expr(&mut e, sp)?)
                    }
                    _ => BandValue::Value(postfix_expr(v)?),
                };
            }
            _ => return Err(internal(span(&p))),
        }
    }
    Ok(b)
}

fn bound(pair: Pair<Rule>) -> Result<Bound> {
    let sp = span(&pair);
    let mut inner = pair.into_inner();
    let op_pair = take(&mut take(&mut inner, sp)?.into_inner(), sp)?;
    let op = binop(op_pair.as_rule()).ok_or_else(|| internal(sp))?;
    let signed = take(&mut inner, sp)?;
    let negative = signed
        .clone()
        .into_inner()
        .any(|p| p.as_rule() == Rule::op_neg);
    let q = signed
        .into_inner()
        .find(|p| p.as_rule() == Rule::quantity)
        .ok_or_else(|| internal(sp))?;
    let (value, unit) = quantity(q)?;
    Ok(Bound {
        op,
        value: if negative { -value } else { value },
        unit,
        span: sp,
    })
}

fn call(pair: Pair<Rule>) -> Result<ExprKind> {
    let sp = span(&pair);
    let mut inner = parts(pair).peekable();
    let func = name(take(&mut inner, sp)?)?;
    match inner.next_if(|p| p.as_rule() == Rule::binding) {
        Some(b) => {
            let mut bi = parts(b);
            let var = name(take(&mut bi, sp)?)?;
            let list = expr(take(&mut bi, sp)?)?;
            let mut binding = Binding {
                var,
                list,
                filter: None,
                value: None,
            };
            for p in bi {
                match p.as_rule() {
                    Rule::where_filter => binding.filter = Some(at_most(p)?),
                    _ => binding.value = Some(expr(p)?),
                }
            }
            Ok(ExprKind::Aggregate(func, Box::new(binding)))
        }
        None => {
            let args: Vec<Pair<Rule>> = inner.collect();
            for pair in args.windows(2) {
                if let [a, b] = pair
                    && let Some(d) = thousands_in_arguments(a, b)
                {
                    return Err(d);
                }
            }
            Ok(ExprKind::Call(
                func,
                args.into_iter().map(expr).collect::<Result<_>>()?,
            ))
        }
    }
}

/// `max(1,000)`: two arguments, or a thousand with a separator? kaohe reads
/// no thousands separators, and refuses the doubt (K0115).
fn thousands_in_arguments(a: &Pair<Rule>, b: &Pair<Rule>) -> Option<Diagnostic> {
    let digits = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    };
    let group = b.as_str();
    let glued = a.as_span().end() + ",".len() == b.as_span().start()
        || a.as_span().end() + "，".len() == b.as_span().start();
    let number = |s: &str| {
        s.chars()
            .all(|c| digits(&c.to_string()) || c == '.' || c == '．')
    };
    if !(glued && group.chars().count() == 3 && digits(group) && number(a.as_str())) {
        return None;
    }
    let (first, comma) = (a.as_str(), a.as_span().end());
    let at = Span::new(comma, b.as_span().start());
    Some(
        Diagnostic::new(
            Code::ThousandsSeparator,
            t!(
                "`{first},{group}` may be one number with a thousands separator or two arguments",
                "“{first},{group}”既可能是带千位分隔符的一个数，也可能是两个参数"
            ),
        )
        .at(at, t!("a thousands separator, or between two arguments?", "千位分隔符，还是两个参数之间的逗号？"))
        .with_help(t!(
            "kaohe reads no thousands separators: write `{first}{group}` for one number, or `{first}, {group}` (with a space) for two arguments",
            "kaohe 不识别千位分隔符：一个数写作“{first}{group}”；两个参数写作“{first}, {group}”（逗号后加空格）"
        )),
    )
}

#[cfg(test)]
mod tests;
