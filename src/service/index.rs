//! The names of a spec and every place each is written, read from the AST's
//! spans once per version of the text: declarations of inputs, enumerations
//! (and their values) and items, and their uses.

use crate::parse::ast::{self, Expr, ExprKind};
use crate::source::Span;
use std::collections::HashMap;

/// What a name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Symbol {
    /// An input, by its index in [`Index::inputs`].
    Input(usize),
    /// A named enumeration, by its index in [`Index::enums`].
    Enum(usize),
    /// A value of a named enumeration: (enumeration, value).
    Variant(usize, usize),
    /// An item, by its index in [`Index::items`].
    Item(usize),
    /// A field of the records of a list input: (input, field).
    Field(usize, usize),
    /// A standard by class, by its index in [`Index::standards`].
    Standard(usize),
    /// A heading's label (any level), by its index in
    /// `ast::Spec::headings` (the order written).
    Heading(usize),
    /// A named result of the header, by its index in the header's results.
    Result(usize),
}

/// One place a symbol is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub symbol: Symbol,
    /// The name as written; a value's span includes its quotes.
    pub span: Span,
    /// Where it is declared, rather than used.
    pub declaration: bool,
}

/// An input as declared.
#[derive(Debug)]
pub struct InputInfo {
    pub decl: ast::InputDecl,
    /// The named enumeration its type is, if it is one.
    pub enum_ty: Option<usize>,
}

/// An item with where it stands: its place in `ast::Spec::items` (the
/// items of every level, in the order of the checked program).
#[derive(Debug)]
pub struct ItemInfo {
    pub label: ast::Name,
    pub span: Span,
    pub item: usize,
}

/// Every name of a spec and where it is written.
#[derive(Debug, Default)]
pub struct Index {
    pub inputs: Vec<InputInfo>,
    pub enums: Vec<ast::EnumDecl>,
    pub items: Vec<ItemInfo>,
    /// Standards by class (`standard NAME by CLASS { … }`).
    pub standards: Vec<ast::StandardDecl>,
    /// Every occurrence, in text order.
    pub occurrences: Vec<Occurrence>,
    /// Names bound by `each x in …` and `count(x in …)`.
    pub bound: Vec<String>,
    /// Units declared on inputs and fields.
    pub units: Vec<String>,
    /// Input name → its first declaration.
    by_name: HashMap<String, usize>,
}

impl Index {
    pub fn new<'a>(spec: &'a ast::Spec) -> Index {
        let mut ix = Index::default();
        let header = spec.header.as_ref();
        for e in header
            .map_or(&[][..], |h| &h.enums)
            .iter()
            .chain(&spec.enums)
        {
            ix.enums.push(e.clone());
        }
        for (n, e) in ix.enums.clone().into_iter().enumerate() {
            ix.declare(Symbol::Enum(n), e.name.span);
            for (v, text) in e.variants.iter().enumerate() {
                ix.declare(Symbol::Variant(n, v), text.span);
            }
        }
        let mut inputs: Vec<&ast::InputDecl> = Vec::new();
        if let Some(h) = header {
            inputs.extend(&h.inputs);
        }
        inputs.extend(&spec.inputs);
        // Items in the order of `ast::Spec::items`; inputs in the order
        // check declares them (a heading's before its items').
        for (k, (_, item)) in spec.items().into_iter().enumerate() {
            ix.items.push(ItemInfo {
                label: item.label.clone(),
                span: item.span,
                item: k,
            });
        }
        let item_inputs = |items: &'a [ast::Item], inputs: &mut Vec<&'a ast::InputDecl>| {
            for item in items {
                inputs.extend(&item.inputs);
                part_inputs(&item.body, inputs);
            }
        };
        item_inputs(&spec.items, &mut inputs);
        for h in spec.headings() {
            inputs.extend(&h.inputs);
            item_inputs(&h.items, &mut inputs);
        }
        for decl in inputs {
            let next = ix.inputs.len();
            ix.by_name.entry(decl.name.text.clone()).or_insert(next);
            let enum_ty = ix.type_of(&decl.ty);
            ix.inputs.push(InputInfo {
                decl: decl.clone(),
                enum_ty,
            });
        }
        ix.standards(spec);
        for n in 0..ix.inputs.len() {
            let Some(info) = ix.inputs.get(n) else {
                continue;
            };
            let (decl, enum_ty) = (info.decl.clone(), info.enum_ty);
            ix.declare(Symbol::Input(n), decl.name.span);
            if let ast::TypeExpr::List(fields, _) = &decl.ty {
                for (f, field) in fields.iter().enumerate() {
                    ix.declare(Symbol::Field(n, f), field.name.span);
                }
            }
            ix.type_uses(&decl.ty);
            if let Some(d) = &decl.default {
                ix.expr(d, &mut Vec::new());
                if let Some(e) = enum_ty {
                    ix.variant_use(e, d);
                }
            }
        }
        for (n, (_, item)) in spec.items().into_iter().enumerate() {
            ix.declare(Symbol::Item(n), item.label.span);
            ix.entries(&item.body);
        }
        ix.headings_and_results(spec);
        ix.occurrences.sort_by_key(|o| (o.span.start, o.span.end));
        ix.units.sort();
        ix.units.dedup();
        ix.bound.sort();
        ix.bound.dedup();
        ix
    }

    /// The occurrence at a byte offset (touching its start or its end).
    pub fn at(&self, offset: usize) -> Option<&Occurrence> {
        self.occurrences
            .iter()
            .filter(|o| o.span.start <= offset && offset <= o.span.end)
            .min_by_key(|o| o.span.end - o.span.start)
    }

    /// Every occurrence of a symbol, in text order.
    pub fn of(&self, symbol: Symbol) -> impl Iterator<Item = &Occurrence> {
        self.occurrences.iter().filter(move |o| o.symbol == symbol)
    }

    /// Where a symbol is declared.
    pub fn declaration(&self, symbol: Symbol) -> Option<Span> {
        self.of(symbol).find(|o| o.declaration).map(|o| o.span)
    }

    /// The standard called `name`.
    pub fn standard(&self, name: &str) -> Option<usize> {
        self.standards.iter().position(|s| s.name.text == name)
    }

    /// Headings and named results: declared where written, never used.
    fn headings_and_results(&mut self, spec: &ast::Spec) {
        for (n, h) in spec.headings().into_iter().enumerate() {
            self.declare(Symbol::Heading(n), h.label.span);
        }
        let results = spec.header.as_ref().map_or(&[][..], |h| &h.results);
        for (n, r) in results.iter().enumerate() {
            self.declare(Symbol::Result(n), r.name.span);
        }
    }

    /// Standards by class: the name declared, the class input and the
    /// class's values in the rows used, the row values read.
    fn standards(&mut self, spec: &ast::Spec) {
        self.standards = spec.standards.clone();
        for (n, st) in spec.standards.iter().enumerate() {
            self.declare(Symbol::Standard(n), st.name.span);
            let class = self.input(&st.class.text);
            if let Some(i) = class {
                self.use_at(Symbol::Input(i), st.class.span);
            }
            let e = class
                .and_then(|i| self.inputs.get(i))
                .and_then(|i| i.enum_ty);
            for row in &st.rows {
                if let (Some(e), Some(p)) = (e, &row.pattern) {
                    self.variant_text(e, &p.value, p.span);
                }
                self.expr(&row.value, &mut Vec::new());
            }
        }
    }

    /// The input called `name`.
    pub fn input(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    fn declare(&mut self, symbol: Symbol, span: Span) {
        self.occurrences.push(Occurrence {
            symbol,
            span,
            declaration: true,
        });
    }

    fn use_at(&mut self, symbol: Symbol, span: Span) {
        self.occurrences.push(Occurrence {
            symbol,
            span,
            declaration: false,
        });
    }

    fn enum_named(&self, name: &str) -> Option<usize> {
        self.enums.iter().position(|e| e.name.text == name)
    }

    fn type_of(&self, ty: &ast::TypeExpr) -> Option<usize> {
        match ty {
            ast::TypeExpr::Scalar(ast::ScalarType::Named(n)) => self.enum_named(&n.text),
            _ => None,
        }
    }

    fn scalar_use(&mut self, ty: &ast::ScalarType) {
        match ty {
            ast::ScalarType::Named(n) => {
                if let Some(e) = self.enum_named(&n.text) {
                    self.use_at(Symbol::Enum(e), n.span);
                }
            }
            ast::ScalarType::Count(Some(u), _) | ast::ScalarType::Number(Some(u), _) => {
                self.units.push(u.text.clone());
            }
            _ => {}
        }
    }

    fn type_uses(&mut self, ty: &ast::TypeExpr) {
        match ty {
            ast::TypeExpr::Scalar(s) => self.scalar_use(s),
            ast::TypeExpr::List(fields, _) => {
                for f in fields {
                    self.scalar_use(&f.ty);
                }
            }
        }
    }

    fn entries(&mut self, body: &[ast::Entry]) {
        for entry in body {
            match entry {
                ast::Entry::Part(p) => {
                    if let Some(limit) = &p.at_most {
                        self.expr(limit, &mut Vec::new());
                    }
                    self.entries(&p.body);
                }
                ast::Entry::Clause(c) => self.clause(c),
                // Its input is declared beside it (parse::judged), and indexed so.
                ast::Entry::Judged(_) | ast::Entry::Pending(_) => {}
                ast::Entry::Waiver(w) => self.expr(&w.condition.expr, &mut Vec::new()),
            }
        }
    }

    fn clause(&mut self, c: &ast::Clause) {
        let mut scope: Vec<Binding> = Vec::new();
        match &c.kind {
            ast::ClauseKind::Deduct(s) | ast::ClauseKind::Add(s) | ast::ClauseKind::Extra(s, _) => {
                match &s.amount {
                    ast::Amount::Fixed(e) => self.expr(e, &mut scope),
                    ast::Amount::Per(p) => {
                        for e in [Some(&p.rate), p.step.as_ref(), Some(&p.quantity)]
                            .into_iter()
                            .flatten()
                        {
                            self.expr(e, &mut scope);
                        }
                        if let Some((_, e)) = &p.gap {
                            self.expr(e, &mut scope);
                        }
                    }
                    ast::Amount::Each(each) => {
                        self.expr(&each.list, &mut scope);
                        scope.push(self.binding(&each.var, &each.list));
                        for e in [
                            each.filter.as_ref(),
                            each.once_per.as_ref(),
                            Some(&each.value),
                        ]
                        .into_iter()
                        .flatten()
                        {
                            self.expr(e, &mut scope);
                        }
                    }
                }
                // The variable of `each` reaches the caps (`at most 1 per
                // quarter(f.month)`).
                for cap in &s.caps {
                    self.expr(&cap.limit, &mut scope);
                    if let Some(per) = &cap.per {
                        self.expr(per, &mut scope);
                    }
                }
                scope.clear();
                if let Some(cond) = &s.condition {
                    self.expr(&cond.expr, &mut scope);
                }
            }
            ast::ClauseKind::Veto(cond) | ast::ClauseKind::Exempt(cond) => {
                self.expr(&cond.expr, &mut scope);
            }
        }
    }

    /// A variable bound over the records of `list`, with the list input it
    /// ranges over when that is plain.
    fn binding(&mut self, var: &ast::Name, list: &Expr) -> Binding {
        self.bound.push(var.text.clone());
        let input = match &list.kind {
            ExprKind::Name(n) => self.input(&n.text),
            _ => None,
        };
        Binding {
            name: var.text.clone(),
            input,
        }
    }

    fn expr(&mut self, e: &Expr, scope: &mut Vec<Binding>) {
        match &e.kind {
            ExprKind::Name(n) => {
                if !scope.iter().any(|b| b.name == n.text) {
                    if let Some(i) = self.input(&n.text) {
                        self.use_at(Symbol::Input(i), n.span);
                    } else if let Some(s) = self.standard(&n.text) {
                        self.use_at(Symbol::Standard(s), n.span);
                    }
                }
            }
            ExprKind::Number(..) | ExprKind::Date(_) | ExprKind::Str(_) | ExprKind::Bool(_) => {}
            ExprKind::Field(base, field) => {
                self.expr(base, scope);
                if let Some(symbol) = self.field_of(base, field, scope) {
                    self.use_at(symbol, field.span);
                }
            }
            ExprKind::Unary(_, x) => self.expr(x, scope),
            ExprKind::Binary(op, l, r) => {
                self.expr(l, scope);
                self.expr(r, scope);
                if matches!(op, ast::BinOp::Eq | ast::BinOp::Ne) {
                    self.compared(l, r, scope);
                    self.compared(r, l, scope);
                }
            }
            ExprKind::If(c, t, f) => {
                for x in [c, t, f] {
                    self.expr(x, scope);
                }
            }
            ExprKind::Match(x, arms) => {
                self.expr(x, scope);
                let e = self.enum_of(x, scope);
                for arm in arms {
                    if let (Some(e), Some(p)) = (e, &arm.pattern) {
                        self.variant_text(e, &p.value, p.span);
                    }
                    self.expr(&arm.value, scope);
                }
            }
            ExprKind::Bands(x, bands) => {
                self.expr(x, scope);
                for b in bands {
                    match &b.value {
                        ast::BandValue::Value(v) => self.expr(v, scope),
                        ast::BandValue::Linear(a, z) => {
                            self.expr(a, scope);
                            self.expr(z, scope);
                        }
                    }
                }
            }
            ExprKind::Call(_, args) => {
                for a in args {
                    self.expr(a, scope);
                }
            }
            ExprKind::Aggregate(_, b) => {
                self.expr(&b.list, scope);
                let bound = self.binding(&b.var, &b.list);
                scope.push(bound);
                for x in [b.filter.as_ref(), b.value.as_ref()].into_iter().flatten() {
                    self.expr(x, scope);
                }
                scope.pop();
            }
        }
    }

    /// `r.field` where `r` ranges over the records of a list input.
    fn field_of(&self, base: &Expr, field: &ast::Name, scope: &[Binding]) -> Option<Symbol> {
        let ExprKind::Name(var) = &base.kind else {
            return None;
        };
        let binding = scope.iter().rev().find(|b| b.name == var.text)?;
        let input = binding.input?;
        let ast::TypeExpr::List(fields, _) = &self.inputs.get(input)?.decl.ty else {
            return None;
        };
        let f = fields.iter().position(|f| f.name.text == field.text)?;
        Some(Symbol::Field(input, f))
    }

    /// `x = "value"`: the text is a value of x's enumeration.
    fn compared(&mut self, x: &Expr, value: &Expr, scope: &[Binding]) {
        if let (Some(e), ExprKind::Str(_)) = (self.enum_of(x, scope), &value.kind) {
            self.variant_use(e, value);
        }
    }

    fn variant_use(&mut self, e: usize, value: &Expr) {
        if let ExprKind::Str(s) = &value.kind {
            self.variant_text(e, s, value.span);
        }
    }

    fn variant_text(&mut self, e: usize, text: &str, span: Span) {
        let found = self
            .enums
            .get(e)
            .and_then(|d| d.variants.iter().position(|v| v.value == text));
        if let Some(v) = found {
            self.use_at(Symbol::Variant(e, v), span);
        }
    }

    /// The named enumeration an expression's value is in, when it is an
    /// input or a record's field of that type.
    fn enum_of(&self, x: &Expr, scope: &[Binding]) -> Option<usize> {
        match &x.kind {
            ExprKind::Name(n) if !scope.iter().any(|b| b.name == n.text) => {
                self.inputs.get(self.input(&n.text)?)?.enum_ty
            }
            ExprKind::Field(base, field) => {
                let ExprKind::Name(var) = &base.kind else {
                    return None;
                };
                let binding = scope.iter().rev().find(|b| b.name == var.text)?;
                let decl = &self.inputs.get(binding.input?)?.decl;
                let ast::TypeExpr::List(fields, _) = &decl.ty else {
                    return None;
                };
                let f = fields.iter().find(|f| f.name.text == field.text)?;
                match &f.ty {
                    ast::ScalarType::Named(n) => self.enum_named(&n.text),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// A variable in scope: its name and the list input it ranges over.
struct Binding {
    name: String,
    input: Option<usize>,
}

fn part_inputs<'a>(body: &'a [ast::Entry], out: &mut Vec<&'a ast::InputDecl>) {
    for e in body {
        if let ast::Entry::Part(p) = e {
            out.extend(&p.inputs);
            part_inputs(&p.body, out);
        }
    }
}
