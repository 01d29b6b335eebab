//! Check: AST → resolved IR, with every problem reported as a diagnostic.
//!
//! The checker resolves names (inputs to slots, enumeration values to
//! indices), checks types and units, lowers items to blocks of clauses, and
//! runs the table checks (duplicate ids, caps, parts, bands, the base total).
//! It reports everything it finds; it returns a program only when it found no
//! error.
//!
//! - `expr`: expressions: names, fields, literals and their units
//! - `operators`: comparisons and arithmetic, with units
//! - `matches`: `match` on an enumeration or a text
//! - `calls`: functions, `given` and the aggregates
//! - `bands`: band bounds and their coverage
//! - `zero`: what conditions prove about divisors
//! - `types`: the checker's types and units
//! - `items`: items and parts lowered to blocks
//! - `clauses`: clauses, their amounts and caps
//! - `judged`: an assessor's judgement, bounded and lowered to its clause
//! - `standards`: standards by the unit's class, typed and checked for coverage
//! - `grades`: grade-to-score tables held within their item's points
//! - `table_checks`: the checks about an item and the table as a whole
//! - `messages`: the checker's diagnostics, one function each

mod bands;
mod calls;
mod clauses;
mod expr;
mod extra;
mod grades;
mod items;
mod judged;
mod keys;
mod levels;
mod matches;
mod messages;
mod operators;
mod pending;
mod refs;
mod results;
mod standards;
mod table_checks;
mod types;
mod units;
mod zero;

use crate::diagnostic::{Diagnostic, Text, has_errors, suggest};
use crate::ir::{self, EnumInfo, Input, Lang, Program, Ty, Unit, Value};
use crate::parse::ast;
use crate::source::Span;
use crate::t;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};

pub use expr::quoted_text;
pub(crate) use pending::writes_the_rule;

/// Check a parsed spec. `text` is its source, for explanations that quote it.
pub fn check(spec: &ast::Spec, text: &str) -> (Option<Program>, Vec<Diagnostic>) {
    let mut c = Checker::new(text);
    let program = c.program(spec);
    let diags = c.diags;
    if has_errors(&diags) {
        (None, diags)
    } else {
        (Some(program), diags)
    }
}

pub(crate) struct Checker {
    text: String,
    inputs: Vec<Input>,
    by_name: HashMap<String, usize>,
    enums: Vec<EnumInfo>,
    enum_by_name: HashMap<String, usize>,
    /// Units that inputs declare, with what they mean.
    units: BTreeMap<String, Unit>,
    used: Vec<bool>,
    diags: Vec<Diagnostic>,
    /// Inputs whose type could not be read; their uses stay quiet.
    untyped: HashSet<usize>,
    /// Set while reading a type that turned out unknown.
    type_broken: bool,
    /// Names a "did you mean" pointed at: not also reported as unused.
    suggested: HashSet<String>,
    /// An item's kind is missing, so the base total cannot be checked.
    kind_missing: bool,
    /// Values the conditions around the expression being lowered prove
    /// not to be 0 (`zero`).
    nonzero: Vec<ir::Expr>,
    /// The scored parts around the clause being checked: (share, name).
    part_max: Vec<(Decimal, Option<String>)>,
    /// Standards by the unit's class, in the order declared (`standards`).
    standards: Vec<standards::Declared>,
    /// Rules not yet written, in the order met (`pending`).
    pending: Vec<ir::Pending>,
}

impl Checker {
    fn new(text: &str) -> Checker {
        Checker {
            text: text.to_string(),
            inputs: Vec::new(),
            by_name: HashMap::new(),
            enums: Vec::new(),
            enum_by_name: HashMap::new(),
            units: BTreeMap::new(),
            used: Vec::new(),
            diags: Vec::new(),
            untyped: HashSet::new(),
            type_broken: false,
            suggested: HashSet::new(),
            kind_missing: false,
            nonzero: Vec::new(),
            part_max: Vec::new(),
            standards: Vec::new(),
            pending: Vec::new(),
        }
    }

    /// The spec's text at `span` on one line, as a message or an
    /// explanation quotes it.
    fn written(&self, span: Span) -> String {
        let text = self.text.get(span.start..span.end).unwrap_or("");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn report(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn program(&mut self, spec: &ast::Spec) -> Program {
        let header = spec.header.as_ref();
        for e in header
            .map_or(&[][..], |h| &h.enums)
            .iter()
            .chain(&spec.enums)
        {
            self.enum_decl(e);
        }
        for decl in all_inputs(spec) {
            self.input_decl(decl);
        }
        self.used = vec![false; self.inputs.len()];
        self.standards(spec);
        let structure = self.structure(spec);
        let standards = self.standards_done();
        let mut header = self.header(spec);
        if let Some(h) = &spec.header {
            let texts = (header.pass.clone(), header.fail.clone());
            header.results = self.named_results(
                h,
                &structure.items,
                structure.base_total,
                (&texts.0, &texts.1),
            );
        }
        self.table_checks(spec, &structure);
        self.unit_checks(spec);
        let extras = || structure.items.iter().flat_map(|i| &i.extra);
        let has_extra = extras().next().is_some();
        let has_extra_outside = extras().any(|e| e.ceiling == ir::ExtraCeiling::Outside);
        Program {
            has_extra,
            has_extra_outside,
            header,
            inputs: std::mem::take(&mut self.inputs),
            enums: std::mem::take(&mut self.enums),
            headings: structure.headings,
            items: structure.items,
            base_total: structure.base_total,
            standards,
            pending: std::mem::take(&mut self.pending),
        }
    }

    fn header(&mut self, spec: &ast::Spec) -> ir::Header {
        let Some(h) = &spec.header else {
            self.report(messages::missing_header());
            return ir::Header {
                title: String::new(),
                year: None,
                lang: Lang::En,
                pass: "pass".into(),
                fail: "fail".into(),
                grades: None,
                bonus_cap: None,
                attribution: ir::Attribution::default(),
                has_result: false,
                results: Vec::new(),
            };
        };
        let lang = match h.language.as_ref().map(|n| n.text.as_str()) {
            None | Some("en") => Lang::En,
            Some("zh") => Lang::Zh,
            Some(other) => {
                let span = h.language.as_ref().map(|n| n.span).unwrap_or_default();
                self.report(messages::unknown_language(other, span));
                Lang::En
            }
        };
        let (pass, fail) = match lang {
            Lang::Zh => ("合格", "不合格"),
            Lang::En => ("pass", "fail"),
        };
        let grades = h.grades.as_ref().map(|bands| {
            let mut cx = expr::Cx::default();
            let (bands, t) = self.lower_bands(
                &points_bare(bands),
                &types::U::Known(Unit::Plain),
                bands::Domain::ALL,
                &mut cx,
            );
            if !matches!(t, types::T::Text | types::T::Error) {
                let span = h
                    .grades
                    .as_ref()
                    .and_then(|g| g.first())
                    .map(|b| b.span)
                    .unwrap_or_default();
                self.report(messages::grade_not_text(span));
            }
            bands
        });
        ir::Header {
            title: h.title.value.clone(),
            year: h.year.map(|(y, _)| y),
            lang,
            pass: h
                .pass
                .as_ref()
                .map_or(pass.to_string(), |t| t.value.clone()),
            fail: h
                .fail
                .as_ref()
                .map_or(fail.to_string(), |t| t.value.clone()),
            grades,
            bonus_cap: h.bonus_cap.map(|(c, _)| c),
            attribution: h.attribution.map(|(a, _)| a).unwrap_or_default(),
            has_result: h.pass.is_some() || h.fail.is_some() || h.grades.is_some(),
            results: Vec::new(),
        }
    }

    fn enum_decl(&mut self, e: &ast::EnumDecl) {
        if self.enum_by_name.contains_key(&e.name.text) {
            self.report(messages::duplicate_enum(&e.name.text, e.name.span));
            return;
        }
        let variants = self.variants(&e.variants);
        self.enum_by_name
            .insert(e.name.text.clone(), self.enums.len());
        self.enums.push(EnumInfo {
            name: e.name.text.clone(),
            variants,
        });
    }

    fn variants(&mut self, texts: &[ast::Text]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            if let Some(first) = texts.iter().take(i).find(|f| f.value == t.value) {
                self.report(messages::variant_listed_twice(&t.value, t.span, first.span));
            } else {
                out.push(t.value.clone());
            }
        }
        out
    }

    fn input_decl(&mut self, decl: &ast::InputDecl) {
        if let Some(&first) = self.by_name.get(&decl.name.text) {
            let first_span = self.inputs.get(first).map(|i| i.span).unwrap_or_default();
            self.report(messages::duplicate_input(
                &decl.name.text,
                decl.name.span,
                first_span,
            ));
            return;
        }
        self.type_broken = false;
        let ty = match &decl.ty {
            ast::TypeExpr::Scalar(s) => self.scalar_type(s),
            ast::TypeExpr::List(fields, _) => {
                let mut out: Vec<ir::Field> = Vec::new();
                for f in fields {
                    if out.iter().any(|o| o.name == f.name.text) {
                        self.report(messages::duplicate_field(&f.name.text, f.name.span));
                        continue;
                    }
                    let ty = self.scalar_type(&f.ty);
                    let any_year = self.any_year(f, &ty);
                    out.push(ir::Field {
                        name: f.name.text.clone(),
                        any_year,
                        ty,
                        description: f
                            .description
                            .as_ref()
                            .map_or(String::new(), |d| d.value.clone()),
                    });
                }
                Ty::List(out)
            }
        };
        let default = decl
            .default
            .as_ref()
            .and_then(|d| self.default_value(d, &ty));
        let absence = self.absence(decl, &ty);
        if self.type_broken {
            self.untyped.insert(self.inputs.len());
        }
        self.by_name
            .insert(decl.name.text.clone(), self.inputs.len());
        self.inputs.push(Input {
            name: decl.name.text.clone(),
            ty,
            description: decl
                .description
                .as_ref()
                .map_or(String::new(), |d| d.value.clone()),
            optional: decl.optional,
            default,
            absence,
            span: decl.name.span,
            judged: None,
            short_name: decl.short_name.as_ref().map(|t| t.value.clone()),
        });
    }

    /// An input's rules for absent facts, each word once; refused on a list
    /// (never absent as a whole) and beside a default.
    fn absence(&mut self, decl: &ast::InputDecl, ty: &Ty) -> Vec<(ir::Absent, ir::AbsentRule)> {
        let Some(first) = decl.absence.first() else {
            return Vec::new();
        };
        let list = matches!(ty, Ty::List(_));
        if list || decl.default.is_some() {
            self.report(messages::absence_on_list(&decl.name.text, list, first.span));
            return Vec::new();
        }
        let mut out: Vec<(ir::Absent, ir::AbsentRule, Span)> = Vec::new();
        for rule in &decl.absence {
            let word = match rule.word {
                ast::AbsenceWord::NotApplicable => ir::Absent::NotApplicable,
                ast::AbsenceWord::NotClaimed => ir::Absent::NotClaimed,
            };
            let outcome = match rule.outcome {
                ast::AbsenceOutcome::FullMarks => ir::AbsentRule::FullMarks,
                ast::AbsenceOutcome::NoPoints => ir::AbsentRule::NoPoints,
            };
            if let Some((_, _, at)) = out.iter().find(|(w, _, _)| *w == word) {
                let at = *at;
                self.report(messages::absence_twice(&decl.name.text, rule.span, at));
                continue;
            }
            out.push((word, outcome, rule.span));
        }
        out.into_iter().map(|(w, r, _)| (w, r)).collect()
    }

    fn scalar_type(&mut self, s: &ast::ScalarType) -> Ty {
        match s {
            ast::ScalarType::Bool(_) => Ty::Bool,
            ast::ScalarType::Count(unit, _) => {
                if let Some(u) = unit {
                    self.units.entry(u.text.clone()).or_insert(Unit::Plain);
                }
                Ty::Count(unit.as_ref().map(|u| u.text.clone()))
            }
            ast::ScalarType::Number(unit, _) => match unit {
                None => Ty::Number(Unit::Plain),
                Some(u) => match expr::literal_unit(Some(&u.text)) {
                    Some((types::U::Known(known), _)) => Ty::Number(known),
                    _ => {
                        let unit = Unit::Named(u.text.as_str().into());
                        self.units.entry(u.text.clone()).or_insert(unit.clone());
                        Ty::Number(unit)
                    }
                },
            },
            ast::ScalarType::Rate(_) => Ty::Rate,
            ast::ScalarType::Date(_) => Ty::Date,
            ast::ScalarType::Text(_) => Ty::Text,
            ast::ScalarType::Month(_) => Ty::Month,
            ast::ScalarType::Quarter(_) => Ty::Quarter,
            ast::ScalarType::ItemRef(_) => Ty::ItemRef,
            ast::ScalarType::Enum(variants, _) => {
                let variants = self.variants(variants);
                self.enums.push(EnumInfo {
                    name: format!("enum {{{}}}", expr::quoted(&variants)),
                    variants,
                });
                Ty::Enum(self.enums.len() - 1)
            }
            ast::ScalarType::Named(n) => match self.enum_by_name.get(&n.text) {
                Some(&e) => Ty::Enum(e),
                None => {
                    let names: Vec<&str> = ["bool", "count", "number", "rate", "date", "text"]
                        .into_iter()
                        .chain(self.enum_by_name.keys().map(String::as_str))
                        .collect();
                    self.type_broken = true;
                    let near = synonym(&n.text).or_else(|| suggest(&n.text, names));
                    self.report(messages::unknown_type(&n.text, n.span, near));
                    Ty::Text
                }
            },
        }
    }

    /// A default must be a literal of the input's type.
    fn default_value(&mut self, e: &ast::Expr, ty: &Ty) -> Option<Value> {
        use ast::ExprKind as K;
        let bad = |c: &mut Checker, what: Text| {
            c.report(messages::bad_default(what, e.span));
            None
        };
        match (ty, &e.kind) {
            (Ty::Bool, K::Bool(b)) => Some(Value::Bool(*b)),
            (Ty::Count(_), K::Unary(ast::UnOp::Neg, _)) => {
                self.report(messages::negative_count_default(e.span));
                None
            }
            (Ty::Count(_), K::Number(v, None)) if v.fract().is_zero() => Some(Value::Num(*v)),
            (Ty::Count(_), _) => bad(self, t!("a whole number such as 0", "整数，如 0")),
            (Ty::Number(_), K::Number(v, _)) => Some(Value::Num(*v)),
            (Ty::Number(_), K::Unary(ast::UnOp::Neg, inner)) => match &inner.kind {
                K::Number(v, _) => Some(Value::Num(-*v)),
                _ => bad(self, t!("a number", "数值")),
            },
            (Ty::Rate, K::Number(v, Some(u))) if u.text == "%" && *v <= Decimal::ONE_HUNDRED => {
                Some(Value::Num(*v / Decimal::ONE_HUNDRED))
            }
            (Ty::Rate, _) => bad(
                self,
                t!(
                    "a percentage from 0% to 100%, such as 100%",
                    "0% 至 100% 之间的百分比，如 100%"
                ),
            ),
            (Ty::Date, K::Date(d)) => Some(Value::Date(*d)),
            (Ty::Text, K::Str(s)) => Some(Value::Text(s.as_str().into())),
            (Ty::Enum(en), K::Str(s)) => match self
                .enums
                .get(*en)
                .and_then(|info| info.variants.iter().position(|v| v == s))
            {
                Some(i) => Some(Value::Enum(i as u32)),
                None => bad(
                    self,
                    t!("one of the enumeration's values", "该枚举的取值之一"),
                ),
            },
            (Ty::List(_), _) => bad(
                self,
                t!(
                    "left out: a list defaults to no records",
                    "省略不写：列表缺省即为没有记录"
                ),
            ),
            _ => bad(
                self,
                t!(
                    "a literal of the input's type",
                    "与数据项类型相符的直接取值"
                ),
            ),
        }
    }
}

/// The kaohe type for a type name from elsewhere.
fn synonym(name: &str) -> Option<&'static str> {
    Some(match name {
        "int" | "integer" | "整数" | "次数" => "count",
        "boolean" | "是否" => "bool",
        "percent" | "percentage" | "比率" | "百分比" => "rate",
        "string" | "文本" => "text",
        "decimal" | "float" | "数值" => "number",
        "日期" => "date",
        _ => return None,
    })
}

/// Every input declaration in the spec, in the order written.
fn all_inputs(spec: &ast::Spec) -> Vec<&ast::InputDecl> {
    fn entries<'a>(body: &'a [ast::Entry], out: &mut Vec<&'a ast::InputDecl>) {
        for e in body {
            if let ast::Entry::Part(p) = e {
                out.extend(&p.inputs);
                entries(&p.body, out);
            }
        }
    }
    let mut out: Vec<&ast::InputDecl> = Vec::new();
    if let Some(h) = &spec.header {
        out.extend(&h.inputs);
    }
    out.extend(&spec.inputs);
    // Headings' inputs before their items', as the levels are written.
    for it in &spec.items {
        out.extend(&it.inputs);
        entries(&it.body, &mut out);
    }
    for h in spec.headings() {
        out.extend(&h.inputs);
        for it in &h.items {
            out.extend(&it.inputs);
            entries(&it.body, &mut out);
        }
    }
    out
}

/// A grade's bands with `分` after a bound's number taken as what it is
/// there: the total's points (`>= 90分 => "优秀"`, as the table's prose
/// writes it, and as `total` and a result's steps accept it). In other
/// bands `分` is refused (K0306): what they compare is an input.
fn points_bare(bands: &[ast::Band]) -> Vec<ast::Band> {
    let bare = |b: &Option<ast::Bound>| {
        b.clone().map(|mut b| {
            if b.unit.as_ref().is_some_and(|u| u.text == "分") {
                b.unit = None;
            }
            b
        })
    };
    (bands.iter())
        .map(|b| ast::Band {
            lower: bare(&b.lower),
            upper: bare(&b.upper),
            ..b.clone()
        })
        .collect()
}
