//! Check: AST → resolved IR, with every problem reported as a diagnostic.
//!
//! The checker resolves names (inputs to slots, enumeration values to
//! indices), checks types and units, lowers items to blocks of clauses, and
//! runs the table checks (duplicate ids, caps, parts, bands, the base total).
//! It reports everything it finds; it returns a program only when it found no
//! error.
//!
//! - `expr`: expressions, types and units
//! - `bands`: band bounds and their coverage
//! - `items`: items, parts, clauses and the table checks
//! - `ir`: the resolved program handed to `eval`

mod bands;
mod expr;
pub mod ir;
mod items;
mod types;

use crate::diagnostic::{Code, Diagnostic, has_errors, suggest};
use crate::parse::ast;
use crate::source::Span;
use ir::{EnumInfo, Input, Lang, Program, Ty, Unit, Value};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};

pub use bands::show_value;
pub use expr::quoted;

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
        let structure = self.structure(spec);
        let header = self.header(spec);
        self.table_checks(spec, &structure);
        Program {
            header,
            inputs: std::mem::take(&mut self.inputs),
            enums: std::mem::take(&mut self.enums),
            sections: structure.sections,
            indicators: structure.indicators,
            items: structure.items,
            base_total: structure.base_total,
        }
    }

    fn header(&mut self, spec: &ast::Spec) -> ir::Header {
        let Some(h) = &spec.header else {
            self.report(
                Diagnostic::new(Code::MissingHeader, "the spec has no table header")
                    .with_help("start the spec with `table \"title\" { year 2024  total 200  pass \"合格\"  fail \"不合格\" }`"),
            );
            return ir::Header {
                title: String::new(),
                year: None,
                lang: Lang::En,
                pass: "pass".into(),
                fail: "fail".into(),
                grades: None,
                bonus_cap: None,
            };
        };
        let lang = match h.language.as_ref().map(|n| n.text.as_str()) {
            None | Some("en") => Lang::En,
            Some("zh") => Lang::Zh,
            Some(other) => {
                let span = h.language.as_ref().map(|n| n.span).unwrap_or_default();
                self.report(
                    Diagnostic::new(
                        Code::Syntax,
                        format!("`{other}` is not a language kaohe explains in"),
                    )
                    .at(span, "expected zh or en"),
                );
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
                bands,
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
                self.report(
                    Diagnostic::new(Code::TypeMismatch, "a grade is a text, such as \"优秀\"")
                        .at(span, "expected a quoted grade"),
                );
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
        }
    }

    fn enum_decl(&mut self, e: &ast::EnumDecl) {
        if self.enum_by_name.contains_key(&e.name.text) {
            self.report(
                Diagnostic::new(
                    Code::DuplicateInput,
                    format!("two enumerations are named `{}`", e.name.text),
                )
                .at(e.name.span, "named again here"),
            );
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
                self.report(
                    Diagnostic::new(
                        Code::DuplicateVariant,
                        format!("\"{}\" is listed twice", t.value),
                    )
                    .at(t.span, "listed again")
                    .with_label(first.span, "first listed here")
                    .with_help("list each value once"),
                );
            } else {
                out.push(t.value.clone());
            }
        }
        out
    }

    fn input_decl(&mut self, decl: &ast::InputDecl) {
        if let Some(&first) = self.by_name.get(&decl.name.text) {
            let first_span = self.inputs.get(first).map(|i| i.span).unwrap_or_default();
            self.report(
                Diagnostic::new(Code::DuplicateInput, format!("two inputs are named `{}`", decl.name.text))
                    .at(decl.name.span, "declared again here")
                    .with_label(first_span, "first declared here")
                    .with_help("inputs are shared by the whole spec: declare it once, where it is first needed, and use it in both places"),
            );
            return;
        }
        self.type_broken = false;
        let ty = match &decl.ty {
            ast::TypeExpr::Scalar(s) => self.scalar_type(s),
            ast::TypeExpr::List(fields, _) => {
                let mut out: Vec<ir::Field> = Vec::new();
                for f in fields {
                    if out.iter().any(|o| o.name == f.name.text) {
                        self.report(
                            Diagnostic::new(
                                Code::DuplicateInput,
                                format!("two fields are named `{}`", f.name.text),
                            )
                            .at(f.name.span, "named again here"),
                        );
                        continue;
                    }
                    let ty = self.scalar_type(&f.ty);
                    out.push(ir::Field {
                        name: f.name.text.clone(),
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
            span: decl.name.span,
        });
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
                    let mut d =
                        Diagnostic::new(Code::UnknownType, format!("`{}` is not a type", n.text))
                            .at(n.span, "unknown type");
                    let names: Vec<&str> = ["bool", "count", "number", "rate", "date", "text"]
                        .into_iter()
                        .chain(self.enum_by_name.keys().map(String::as_str))
                        .collect();
                    self.type_broken = true;
                    d = match synonym(&n.text).or_else(|| suggest(&n.text, names)) {
                        Some(s) => d.with_help(format!("did you mean `{s}`?")),
                        None => d.with_help("the types are bool, count, number UNIT, rate, date, text, enum { … } and the enumerations the spec declares"),
                    };
                    self.report(d);
                    Ty::Text
                }
            },
        }
    }

    /// A default must be a literal of the input's type.
    fn default_value(&mut self, e: &ast::Expr, ty: &Ty) -> Option<Value> {
        use ast::ExprKind as K;
        let bad = |c: &mut Checker, what: &str| {
            c.report(
                Diagnostic::new(Code::TypeMismatch, format!("the default must be {what}"))
                    .at(e.span, "not a default for this input"),
            );
            None
        };
        match (ty, &e.kind) {
            (Ty::Bool, K::Bool(b)) => Some(Value::Bool(*b)),
            (Ty::Count(_), K::Unary(ast::UnOp::Neg, _)) => {
                self.report(
                    Diagnostic::new(
                        Code::NegativeCount,
                        "a count cannot default to a negative number",
                    )
                    .at(e.span, "negative")
                    .with_help("counts are whole numbers from 0 up"),
                );
                None
            }
            (Ty::Count(_), K::Number(v, None)) if v.fract().is_zero() => Some(Value::Num(*v)),
            (Ty::Count(_), _) => bad(self, "a whole number such as 0"),
            (Ty::Number(_), K::Number(v, _)) => Some(Value::Num(*v)),
            (Ty::Number(_), K::Unary(ast::UnOp::Neg, inner)) => match &inner.kind {
                K::Number(v, _) => Some(Value::Num(-*v)),
                _ => bad(self, "a number"),
            },
            (Ty::Rate, K::Number(v, Some(u))) if u.text == "%" && *v <= Decimal::ONE_HUNDRED => {
                Some(Value::Num(*v / Decimal::ONE_HUNDRED))
            }
            (Ty::Rate, _) => bad(self, "a percentage from 0% to 100%, such as 100%"),
            (Ty::Date, K::Date(d)) => Some(Value::Date(*d)),
            (Ty::Text, K::Str(s)) => Some(Value::Text(s.as_str().into())),
            (Ty::Enum(en), K::Str(s)) => match self
                .enums
                .get(*en)
                .and_then(|info| info.variants.iter().position(|v| v == s))
            {
                Some(i) => Some(Value::Enum(i as u32)),
                None => bad(self, "one of the enumeration's values"),
            },
            (Ty::List(_), _) => bad(self, "left out: a list defaults to no records"),
            _ => bad(self, "a literal of the input's type"),
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
    for s in &spec.sections {
        out.extend(&s.inputs);
        for ind in &s.indicators {
            out.extend(&ind.inputs);
            for it in &ind.items {
                out.extend(&it.inputs);
                entries(&it.body, &mut out);
            }
        }
    }
    out
}
