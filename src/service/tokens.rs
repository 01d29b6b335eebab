//! Semantic tokens: what each word of a spec is, for highlighting.
//!
//! Read from the parse, not from a lexer of its own: the grammar's pairs
//! give keywords, type words, units, numbers, texts, operators and ids, and
//! the service's index says what each name is (an input, a field, an
//! enumeration, a value, a standard…). Comments make no pair (the grammar
//! reads them as white space), so they are what stands between two pairs
//! after `//`. When the text does not parse, the text is read word by word
//! with the grammar's own rules (a keyword rule, `string`, `quantity`,
//! `date`, `label` after `item`), so that a spec being typed is still
//! coloured.

use super::Analysis;
use super::index::{Occurrence, Symbol};
use crate::parse::keywords::{self, KeywordSet};
use crate::parse::{KaoheParser, Rule};
use crate::source::Span;
use pest::Parser as _;
use pest::iterators::Pair;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A keyword of either set (`deduct`, `扣`, `at most`, `最高`).
    Keyword,
    /// A type word (`count`, `计数`) or a named enumeration's name.
    Type,
    /// A unit after a number or a type (`次`, `%`, `μg/m³`), and `分`
    /// after points.
    Unit,
    /// An input's name, where declared and where read.
    Input,
    /// A field of a list input's records (`f.sensed`, and its declaration).
    Field,
    /// A variable bound by `each x in …` or `count(x in …)`.
    Variable,
    /// A function called (`count`, `sum`, `min`…).
    Function,
    /// A value of an enumeration (`"城区"` in `enum`, in `x = "城区"`, in a
    /// match arm), and the language after `language`.
    EnumValue,
    /// The id of a section, indicator or item (`一、`, `(一)`, `1.1`).
    Id,
    /// A number or a date.
    Number,
    /// A text in quotes.
    String,
    /// A `//` comment, to the end of its line.
    Comment,
    /// An operator (`>=`, `=>`, `+`, `×`).
    Operator,
    /// A standard by class (`standard target_rate by …`).
    Standard,
    /// A named result of the header (`result "等次" …`).
    Result,
}

impl TokenKind {
    /// Every kind, in a fixed order: a protocol's legend.
    pub const ALL: [TokenKind; 15] = [
        TokenKind::Keyword,
        TokenKind::Type,
        TokenKind::Unit,
        TokenKind::Input,
        TokenKind::Field,
        TokenKind::Variable,
        TokenKind::Function,
        TokenKind::EnumValue,
        TokenKind::Id,
        TokenKind::Number,
        TokenKind::String,
        TokenKind::Comment,
        TokenKind::Operator,
        TokenKind::Standard,
        TokenKind::Result,
    ];

    /// The kind's name as serialised (`enum_value`).
    pub fn name(self) -> &'static str {
        match self {
            TokenKind::Keyword => "keyword",
            TokenKind::Type => "type",
            TokenKind::Unit => "unit",
            TokenKind::Input => "input",
            TokenKind::Field => "field",
            TokenKind::Variable => "variable",
            TokenKind::Function => "function",
            TokenKind::EnumValue => "enum_value",
            TokenKind::Id => "id",
            TokenKind::Number => "number",
            TokenKind::String => "string",
            TokenKind::Comment => "comment",
            TokenKind::Operator => "operator",
            TokenKind::Standard => "standard",
            TokenKind::Result => "result",
        }
    }

    /// The nearest of the Language Server Protocol's predefined semantic
    /// token types, which every client's theme colours.
    pub fn lsp_type(self) -> &'static str {
        match self {
            TokenKind::Keyword => "keyword",
            TokenKind::Type => "type",
            TokenKind::Unit => "type",
            TokenKind::Input => "variable",
            TokenKind::Field => "property",
            TokenKind::Variable => "parameter",
            TokenKind::Function => "function",
            TokenKind::EnumValue => "enumMember",
            TokenKind::Id => "namespace",
            TokenKind::Number => "number",
            TokenKind::String => "string",
            TokenKind::Comment => "comment",
            TokenKind::Operator => "operator",
            TokenKind::Standard => "variable",
            TokenKind::Result => "enumMember",
        }
    }
}

/// A token: a stretch of one line of the text and what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Token {
    /// Byte offsets into the text; never spans a line break.
    pub span: Span,
    pub kind: TokenKind,
    /// Where a name is declared (an input, enumeration, value, field,
    /// standard, id or result), rather than used.
    pub declaration: bool,
}

impl Analysis {
    /// Every token of the text, in text order, none overlapping another:
    /// from the parse when the text parses (names told apart by the index),
    /// else from the grammar's rules word by word. White space, braces and
    /// commas make none.
    pub fn tokens(&self) -> Vec<Token> {
        let text = self.text.as_str();
        // Too deep or too long a text would overflow pest's stack: the
        // parse refused it (K0105–K0107, read here, not raised), and so
        // does this (the scan below does not nest).
        let refused = self
            .diagnostics
            .iter()
            .any(|d| matches!(d.code.as_str(), "K0105" | "K0106" | "K0107"));
        let root = if refused {
            None
        } else {
            KaoheParser::parse(Rule::spec, text)
                .ok()
                .and_then(|mut pairs| pairs.next())
        };
        if let Some(root) = root {
            let mut walk = Walk::new(self);
            walk.pair(root, None);
            walk.gap(text.len());
            return walk.out;
        }
        scan(text)
    }
}

/// The occurrences of the index by start, to name each ident.
struct Walk<'a> {
    a: &'a Analysis,
    by_start: BTreeMap<usize, Occurrence>,
    out: Vec<Token>,
    /// The end of the last pair read: comments lie between it and the next.
    pos: usize,
}

impl<'a> Walk<'a> {
    fn new(a: &'a Analysis) -> Walk<'a> {
        let by_start = a
            .index
            .occurrences
            .iter()
            .map(|o| (o.span.start, *o))
            .collect();
        Walk {
            a,
            by_start,
            out: Vec::new(),
            pos: 0,
        }
    }

    fn pair(&mut self, pair: Pair<Rule>, parent: Option<Rule>) {
        let rule = pair.as_rule();
        let span = Span::new(pair.as_span().start(), pair.as_span().end());
        if let Some((kind, declaration)) = self.classify(&pair, parent) {
            self.gap(span.start);
            self.push(span, kind, declaration);
            self.pos = self.pos.max(span.end);
            return;
        }
        let mut inner = pair.into_inner().peekable();
        if inner.peek().is_none() {
            // Punctuation, SOI, EOI: no token, but no comment either.
            self.gap(span.start);
            self.pos = self.pos.max(span.end);
            return;
        }
        for child in inner {
            self.pair(child, Some(rule));
        }
    }

    fn push(&mut self, span: Span, kind: TokenKind, declaration: bool) {
        if span.end > span.start {
            self.out.push(Token {
                span,
                kind,
                declaration,
            });
        }
    }

    /// The comments between the last pair and `to`: only white space and
    /// comments stand there.
    fn gap(&mut self, to: usize) {
        let from = self.pos;
        if to <= from {
            return;
        }
        let Some(between) = self.a.text.get(from..to) else {
            return;
        };
        let mut rest = 0;
        while let Some(at) = between.get(rest..).and_then(|s| s.find("//")) {
            let start = rest + at;
            let end = between
                .get(start..)
                .and_then(|s| s.find('\n'))
                .map_or(between.len(), |n| start + n);
            let end = trim_cr(between, start, end);
            self.push(
                Span::new(from + start, from + end),
                TokenKind::Comment,
                false,
            );
            rest = end.max(start + 2);
        }
        self.pos = to;
    }

    /// What a pair is, when it is a token; `None` to read its children.
    fn classify(&self, pair: &Pair<Rule>, parent: Option<Rule>) -> Option<(TokenKind, bool)> {
        let rule = pair.as_rule();
        if is_type_word(rule) {
            return Some((TokenKind::Type, false));
        }
        if keywords::is_word(rule) {
            return Some((TokenKind::Keyword, false));
        }
        let span = Span::new(pair.as_span().start(), pair.as_span().end());
        let kind = match rule {
            Rule::label => (
                TokenKind::Id,
                self.occurrence(span).is_some_and(|o| o.declaration),
            ),
            Rule::number | Rule::integer | Rule::date => (TokenKind::Number, false),
            Rule::unit | Rule::punct_fen => (TokenKind::Unit, false),
            Rule::punct_arrow
            | Rule::op_neg
            | Rule::op_le
            | Rule::op_ge
            | Rule::op_ne
            | Rule::op_lt
            | Rule::op_gt
            | Rule::op_eq
            | Rule::op_add
            | Rule::op_sub
            | Rule::op_mul
            | Rule::op_div => (TokenKind::Operator, false),
            Rule::ident => self.ident(pair, span, parent),
            Rule::string => self.string(span, parent),
            _ => return None,
        };
        Some(kind)
    }

    /// The occurrence of the index written inside `span`, if any.
    fn occurrence(&self, span: Span) -> Option<&Occurrence> {
        self.by_start
            .range(span.start..span.end.max(span.start + 1))
            .map(|(_, o)| o)
            .find(|o| o.span.end <= span.end)
    }

    fn ident(&self, pair: &Pair<Rule>, span: Span, parent: Option<Rule>) -> (TokenKind, bool) {
        use Rule::{
            binding, call, each_amount, enum_decl, field_access, field_decl, input_decl,
            judged_decl, language_decl, scalar_type, standard_decl,
        };
        if let Some(o) = self.occurrence(span) {
            let kind = match o.symbol {
                Symbol::Input(_) => TokenKind::Input,
                Symbol::Enum(_) => TokenKind::Type,
                Symbol::Variant(..) => TokenKind::EnumValue,
                Symbol::Item(_) | Symbol::Heading(_) => TokenKind::Id,
                Symbol::Field(..) => TokenKind::Field,
                Symbol::Standard(_) => TokenKind::Standard,
                Symbol::Result(_) => TokenKind::Result,
            };
            return (kind, o.declaration);
        }
        let kind = match parent {
            Some(call) => TokenKind::Function,
            Some(scalar_type) => TokenKind::Type,
            Some(language_decl) => TokenKind::EnumValue,
            Some(binding | each_amount) => TokenKind::Variable,
            Some(field_access | field_decl) => TokenKind::Field,
            Some(input_decl | judged_decl) => TokenKind::Input,
            Some(standard_decl) => TokenKind::Standard,
            Some(enum_decl) => TokenKind::Type,
            _ if self.a.index.input(pair.as_str()).is_some() => TokenKind::Input,
            _ if self.a.index.standard(pair.as_str()).is_some() => TokenKind::Standard,
            _ => TokenKind::Variable,
        };
        let declaration = matches!(
            parent,
            Some(input_decl | field_decl | enum_decl | standard_decl | binding | each_amount)
        );
        (kind, declaration)
    }

    fn string(&self, span: Span, parent: Option<Rule>) -> (TokenKind, bool) {
        use Rule::{enum_body, match_arm, result_decl};
        if let Some(o) = self.occurrence(span) {
            match o.symbol {
                Symbol::Variant(..) => return (TokenKind::EnumValue, o.declaration),
                Symbol::Result(_) => return (TokenKind::Result, o.declaration),
                _ => {}
            }
        }
        match parent {
            Some(result_decl) => (TokenKind::Result, true),
            Some(enum_body) => (TokenKind::EnumValue, true),
            Some(match_arm) => (TokenKind::EnumValue, false),
            _ => (TokenKind::String, false),
        }
    }
}

/// Whether a rule is a type word (`count`, `计数`, `item ref`).
fn is_type_word(rule: Rule) -> bool {
    use Rule::*;
    matches!(
        rule,
        ty_bool
            | ty_count
            | ty_number
            | ty_rate
            | ty_date
            | ty_text
            | ty_enum
            | ty_list
            | ty_month
            | ty_quarter
            | ty_item_ref
    )
}

/// A line's end before its `\r`, if it has one.
fn trim_cr(s: &str, start: usize, end: usize) -> usize {
    if end > start && s.as_bytes().get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    }
}

/// Whether a character continues a name (the grammar's `ident_char`).
fn name_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// The length of the match of `rule` at the start of `s`, if it matches.
fn matched(rule: Rule, s: &str) -> Option<usize> {
    let mut pairs = KaoheParser::parse(rule, s).ok()?;
    let end = pairs.next()?.as_span().end();
    (end > 0).then_some(end)
}

/// The keyword and type rules, each with the first characters of its two
/// spellings, read once from the keyword table.
static WORDS: std::sync::LazyLock<Vec<(Rule, [char; 2])>> = std::sync::LazyLock::new(|| {
    Rule::all_rules()
        .iter()
        .filter(|&&r| keywords::is_word(r))
        .filter_map(|&r| {
            let first = |set| keywords::spelling(r, set)?.chars().next();
            Some((r, [first(KeywordSet::En)?, first(KeywordSet::Zh)?]))
        })
        .collect()
});

/// The tokens of a text that does not parse, read word by word with the
/// grammar's rules: comments, texts, numbers and dates (with their units),
/// keywords (type words only after `:`), ids after `section`, `indicator`
/// and `item`, operators, and the names of inputs, enumerations and
/// standards that a line declares (`input x:`), where declared and used.
fn scan(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut push = |start: usize, end: usize, kind| {
        if end > start {
            out.push(Token {
                span: Span::new(start, end),
                kind,
                declaration: false,
            });
        }
    };
    // Names read, and what the lines that declare them (`input x:`) say
    // each is: coloured once the text is read.
    let mut names: Vec<(Span, bool)> = Vec::new();
    let mut declared: HashMap<&str, TokenKind> = HashMap::new();
    let mut i = 0;
    // The character before `i`, and the last one that was not white space.
    let mut prev: Option<char> = None;
    let mut last_code: Option<char> = None;
    // The keyword just read, for the id after `item`.
    let mut after: Option<Rule> = None;
    while let Some(rest) = text.get(i..) {
        let Some(c) = rest.chars().next() else {
            break;
        };
        let word_start = !prev.is_some_and(name_char);
        let mut len = c.len_utf8();
        let mut next_after = None;
        if rest.starts_with("//") {
            len = rest.find('\n').unwrap_or(rest.len());
            len = trim_cr(rest, 0, len);
            push(i, i + len, TokenKind::Comment);
        } else if matches!(c, '"' | '“' | '‘') {
            // A text left open runs to the end of its line.
            len = matched(Rule::string, rest).unwrap_or_else(|| {
                let end = rest.find('\n').unwrap_or(rest.len());
                trim_cr(rest, 0, end)
            });
            push(i, i + len, TokenKind::String);
        } else if word_start
            && matches!(
                after,
                Some(
                    Rule::kw_section
                        | Rule::kw_indicator
                        | Rule::kw_level3
                        | Rule::kw_level4
                        | Rule::kw_item
                )
            )
            && let Some(n) = matched(Rule::label, rest)
        {
            len = n;
            push(i, i + len, TokenKind::Id);
        } else if c.is_ascii_digit() || ('０'..='９').contains(&c) {
            // A name is read whole, so a digit here begins a number (also
            // right after a keyword: `扣0.5`).
            if let Some(n) = matched(Rule::date, rest) {
                len = n;
                push(i, i + len, TokenKind::Number);
            } else if let Ok(mut q) = KaoheParser::parse(Rule::quantity, rest) {
                let parts = q.next().map(|q| q.into_inner());
                for p in parts.into_iter().flatten() {
                    let kind = if p.as_rule() == Rule::unit {
                        TokenKind::Unit
                    } else {
                        TokenKind::Number
                    };
                    let (s, e) = (p.as_span().start(), p.as_span().end());
                    push(i + s, i + e, kind);
                    len = len.max(e);
                }
            }
        } else if word_start && name_char(c) {
            let keyword = WORDS
                .iter()
                .filter(|(_, first)| first.contains(&c))
                .filter(|(r, _)| !is_type_word(*r) || matches!(last_code, Some(':' | '：')))
                .filter_map(|&(r, _)| Some((matched(r, rest)?, r)))
                .max_by_key(|&(n, r)| (n, is_type_word(r)));
            if let Some((n, r)) = keyword {
                len = n;
                next_after = Some(r);
                let kind = if is_type_word(r) {
                    TokenKind::Type
                } else {
                    TokenKind::Keyword
                };
                push(i, i + len, kind);
            } else {
                // A name: read it whole, so that no keyword is found inside.
                len = rest.find(|ch: char| !name_char(ch)).unwrap_or(rest.len());
                let name = rest.get(..len).unwrap_or_default();
                let declares = match after {
                    Some(Rule::kw_input) => Some(TokenKind::Input),
                    Some(Rule::kw_enum) => Some(TokenKind::Type),
                    Some(Rule::kw_standard) => Some(TokenKind::Standard),
                    _ => None,
                };
                match declares {
                    Some(kind) => {
                        declared.entry(name).or_insert(kind);
                        names.push((Span::new(i, i + len), true));
                    }
                    None => names.push((Span::new(i, i + len), false)),
                }
            }
        } else if let Some(n) = operator(rest) {
            len = n;
            push(i, i + len, TokenKind::Operator);
        }
        let read = text.get(i..i + len).unwrap_or_default();
        prev = read.chars().next_back();
        if let Some(code) = read.chars().rev().find(|ch| !ch.is_whitespace()) {
            last_code = Some(code);
            after = next_after;
        }
        i += len.max(1);
    }
    for (span, declaration) in names {
        let name = text.get(span.start..span.end).unwrap_or_default();
        if let Some(&kind) = declared.get(name) {
            out.push(Token {
                span,
                kind,
                declaration,
            });
        }
    }
    out.sort_by_key(|t| t.span.start);
    out
}

/// The length of the operator at the start of `s`, if one is there.
fn operator(s: &str) -> Option<usize> {
    const OPERATORS: [&str; 18] = [
        "=>", ">=", "<=", "!=", "≥", "≤", "≠", "<", ">", "=", "+", "-", "－", "*", "×", "/", "÷",
        "+",
    ];
    OPERATORS
        .iter()
        .find(|op| s.starts_with(*op))
        .map(|op| op.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens as (text, kind) pairs.
    fn words(a: &Analysis) -> Vec<(&str, TokenKind)> {
        a.tokens()
            .into_iter()
            .map(|t| (&a.text()[t.span.start..t.span.end], t.kind))
            .collect()
    }

    fn kind_of(words: &[(&str, TokenKind)], word: &str) -> Vec<TokenKind> {
        words
            .iter()
            .filter(|(w, _)| *w == word)
            .map(|&(_, k)| k)
            .collect()
    }

    fn sorted_apart(tokens: &[Token], text: &str) {
        for pair in tokens.windows(2) {
            assert!(pair[0].span.end <= pair[1].span.start, "{pair:?}");
        }
        for t in tokens {
            let s = &text[t.span.start..t.span.end];
            assert!(!s.is_empty() && !s.contains('\n'), "{t:?} {s:?}");
        }
    }

    const ZH: &str = "考核表 \"测试\" {\n  年度 2024\n  等次 { >= 90 => \"优秀\" }\n}\n枚举 镇类 { \"城区\", \"乡镇\" }\n数据 类别: 镇类 \"类别\"\n数据 会议次数: 计数 次 \"会议\" // 全年\n标准 目标 按 类别 { \"城区\" => 98%, 否则 => 95% }\n一级指标 一、 \"党建\" {\n  二级指标 (一) \"组织\" {\n    考核事项 1. \"会议\" 分值 3分 {\n      扣 0.5 每 会议次数 低于 4 次, 最高 2\n      扣 1 若 类别 = \"乡镇\"\n    }\n  }\n}\n";

    #[test]
    fn a_chinese_spec_is_told_apart_word_by_word() {
        let a = Analysis::new(ZH);
        assert!(a.ast.is_some(), "{:?}", a.diagnostics());
        let w = words(&a);
        sorted_apart(&a.tokens(), ZH);
        assert_eq!(kind_of(&w, "考核表"), [TokenKind::Keyword]);
        assert_eq!(kind_of(&w, "2024"), [TokenKind::Number]);
        assert_eq!(kind_of(&w, "\"优秀\""), [TokenKind::String]);
        assert_eq!(kind_of(&w, "镇类"), [TokenKind::Type, TokenKind::Type]);
        assert_eq!(
            kind_of(&w, "\"乡镇\""),
            [TokenKind::EnumValue, TokenKind::EnumValue]
        );
        assert_eq!(
            kind_of(&w, "会议次数"),
            [TokenKind::Input, TokenKind::Input]
        );
        assert_eq!(kind_of(&w, "计数"), [TokenKind::Type]);
        assert_eq!(kind_of(&w, "次"), [TokenKind::Unit, TokenKind::Unit]);
        assert_eq!(kind_of(&w, "// 全年"), [TokenKind::Comment]);
        assert_eq!(kind_of(&w, "目标"), [TokenKind::Standard]);
        assert_eq!(kind_of(&w, "按"), [TokenKind::Keyword]);
        assert_eq!(kind_of(&w, "%"), [TokenKind::Unit, TokenKind::Unit]);
        assert_eq!(kind_of(&w, "一、"), [TokenKind::Id]);
        assert_eq!(kind_of(&w, "(一)"), [TokenKind::Id]);
        assert_eq!(kind_of(&w, "1."), [TokenKind::Id]);
        assert_eq!(kind_of(&w, "分"), [TokenKind::Unit]);
        assert_eq!(kind_of(&w, "最高"), [TokenKind::Keyword]);
        assert_eq!(kind_of(&w, "=>"), [TokenKind::Operator; 3]);
        assert_eq!(kind_of(&w, "="), [TokenKind::Operator]);
        // Declarations are marked as such.
        let decl: Vec<&str> = a
            .tokens()
            .iter()
            .filter(|t| t.declaration)
            .map(|t| &ZH[t.span.start..t.span.end])
            .collect();
        for name in ["镇类", "会议次数", "类别", "目标", "1."] {
            assert!(decl.contains(&name), "{name}: {decl:?}");
        }
        assert!(
            !decl.contains(&"\"乡镇\"") || decl.iter().filter(|d| **d == "\"乡镇\"").count() == 1
        );
    }

    #[test]
    fn offsets_and_utf16_columns_are_exact_on_a_chinese_line() {
        let a = Analysis::new(ZH);
        let line = "      扣 0.5 每 会议次数 低于 4 次, 最高 2";
        let start = ZH.find(line).unwrap();
        let on_line: Vec<(u32, u32, &str, TokenKind)> = a
            .tokens()
            .into_iter()
            .filter(|t| t.span.start >= start && t.span.end <= start + line.len())
            .map(|t| {
                let r = a.range(t.span);
                assert_eq!(r.start.line, r.end.line);
                (
                    r.start.character,
                    r.end.character,
                    &ZH[t.span.start..t.span.end],
                    t.kind,
                )
            })
            .collect();
        // Counted by hand: six spaces, 扣 at 6, 0.5 at 8–11, 每 at 12, …
        assert_eq!(
            on_line,
            [
                (6, 7, "扣", TokenKind::Keyword),
                (8, 11, "0.5", TokenKind::Number),
                (12, 13, "每", TokenKind::Keyword),
                (14, 18, "会议次数", TokenKind::Input),
                (19, 21, "低于", TokenKind::Keyword),
                (22, 23, "4", TokenKind::Number),
                (24, 25, "次", TokenKind::Unit),
                (27, 29, "最高", TokenKind::Keyword),
                (30, 31, "2", TokenKind::Number),
            ]
        );
        // The byte offsets: 扣 is three bytes.
        let t = a
            .tokens()
            .into_iter()
            .find(|t| t.span.start == start + 6)
            .unwrap();
        assert_eq!(t.span, Span::new(start + 6, start + 9));
    }

    const EN: &str = "table \"Test\" {\n  year 2024\n  language zh\n}\nenum town_class { \"urban\", \"rural\" }\ninput class: town_class \"class\"\ninput fires: list { sensed: bool \"sensed\", day: date \"day\" } \"fires\"\ninput pm25: number μg/m³ \"PM2.5\"\nsection 1 \"Env\" {\n  indicator 1.1 \"Air\" {\n    item 1.1.1 \"PM\" score 4 {\n      deduct 0.5 per whole 1μg/m³ of pm25 above 35μg/m³, at most 2\n      deduct each f in fires where not f.sensed: 0.5\n      add 1 if count(f in fires) >= 3 and class = \"urban\" \"note\"\n    }\n  }\n}\n";

    #[test]
    fn an_english_spec_is_told_apart_word_by_word() {
        let a = Analysis::new(EN);
        assert!(a.ast.is_some(), "{:?}", a.diagnostics());
        let w = words(&a);
        sorted_apart(&a.tokens(), EN);
        assert_eq!(kind_of(&w, "at most"), [TokenKind::Keyword]);
        assert_eq!(kind_of(&w, "list"), [TokenKind::Type]);
        assert_eq!(kind_of(&w, "bool"), [TokenKind::Type]);
        assert_eq!(
            kind_of(&w, "town_class"),
            [TokenKind::Type, TokenKind::Type]
        );
        assert_eq!(kind_of(&w, "μg/m³"), [TokenKind::Unit; 3]);
        assert_eq!(kind_of(&w, "sensed"), [TokenKind::Field, TokenKind::Field]);
        assert_eq!(kind_of(&w, "f"), [TokenKind::Variable; 3]);
        assert_eq!(kind_of(&w, "count"), [TokenKind::Function]);
        assert_eq!(kind_of(&w, "fires"), [TokenKind::Input; 3]);
        assert_eq!(kind_of(&w, "\"urban\""), [TokenKind::EnumValue; 2]);
        assert_eq!(kind_of(&w, "\"note\""), [TokenKind::String]);
        assert_eq!(kind_of(&w, "zh"), [TokenKind::EnumValue]);
        assert_eq!(kind_of(&w, "1.1.1"), [TokenKind::Id]);
        assert_eq!(kind_of(&w, ">="), [TokenKind::Operator]);
        assert_eq!(kind_of(&w, "whole"), [TokenKind::Keyword]);
    }

    #[test]
    fn a_spec_with_errors_in_checking_is_read_from_its_parse() {
        // An unknown input: the parse stands, the name is no input.
        let text = "input a: count \"a\"\nsection 1 \"S\" {\n  indicator 1.1 \"I\" {\n    item 1.1.1 \"x\" score 1 {\n      deduct 1 if b > 0\n    }\n  }\n}\n";
        let a = Analysis::new(text);
        assert!(!a.diagnostics().is_empty());
        let w = words(&a);
        assert_eq!(kind_of(&w, "b"), [TokenKind::Variable]);
        assert_eq!(kind_of(&w, "a"), [TokenKind::Input]);
    }

    #[test]
    fn a_spec_that_does_not_parse_is_read_with_the_grammars_rules() {
        let text = "数据 会议次数: 计数 次 \"会议\"\n一级指标 一、 \"党建\" {\n  考核事项 1. \"会议\" 分值 3 {\n    扣 0.5 每 会议次数 低于 4 次 最高 {\n    扣 1 若 “未完成” // 注\n    加班次数 >= 2024年5月31日\n";
        let a = Analysis::new(text);
        assert!(a.ast.is_none());
        let w = words(&a);
        sorted_apart(&a.tokens(), text);
        assert_eq!(kind_of(&w, "数据"), [TokenKind::Keyword]);
        assert_eq!(kind_of(&w, "计数"), [TokenKind::Type]);
        assert_eq!(kind_of(&w, "一、"), [TokenKind::Id]);
        assert_eq!(kind_of(&w, "1."), [TokenKind::Id]);
        assert_eq!(kind_of(&w, "次"), [TokenKind::Unit]);
        assert_eq!(kind_of(&w, "最高"), [TokenKind::Keyword]);
        assert_eq!(kind_of(&w, "“未完成”"), [TokenKind::String]);
        assert_eq!(kind_of(&w, "// 注"), [TokenKind::Comment]);
        assert_eq!(kind_of(&w, "2024年5月31日"), [TokenKind::Number]);
        assert_eq!(kind_of(&w, ">="), [TokenKind::Operator]);
        // A number right after a keyword, as the grammar reads `扣0.5`;
        // none inside a name (`x2`).
        let short = Analysis::new("扣0.5 若 x2 {");
        assert_eq!(
            words(&short),
            [
                ("扣", TokenKind::Keyword),
                ("0.5", TokenKind::Number),
                ("若", TokenKind::Keyword)
            ]
        );
        // A name that begins with a keyword's characters is no keyword.
        assert_eq!(kind_of(&w, "加"), []);
        assert_eq!(kind_of(&w, "加班次数"), []);
        // An input declared on its line is one where it is used too.
        assert_eq!(kind_of(&w, "会议次数"), [TokenKind::Input; 2]);
        // An English text broken the same way.
        let a = Analysis::new(
            "input at_most_x: count \"x\"\nitem 1.1 \"x\" score 2 {\n  deduct 1 unless report \"open\n  add 0.5 if at most\n",
        );
        let w = words(&a);
        assert_eq!(kind_of(&w, "input"), [TokenKind::Keyword]);
        assert_eq!(kind_of(&w, "count"), [TokenKind::Type]);
        assert_eq!(kind_of(&w, "at_most_x"), [TokenKind::Input]);
        assert_eq!(kind_of(&w, "1.1"), [TokenKind::Id]);
        assert_eq!(kind_of(&w, "\"open"), [TokenKind::String]);
        assert_eq!(kind_of(&w, "at most"), [TokenKind::Keyword]);
        assert_eq!(kind_of(&w, "report"), []);
    }

    #[test]
    fn a_text_over_the_parsers_limits_is_scanned_not_parsed() {
        // 100,000 nested brackets would overflow pest's stack.
        let text = format!("数据 x: 计数 \"x\"\n{}x", "(".repeat(100_000));
        let a = Analysis::new(text);
        let w = words(&a);
        assert_eq!(w.first(), Some(&("数据", TokenKind::Keyword)));
        assert_eq!(w.last(), Some(&("x", TokenKind::Input)));
    }

    #[test]
    fn the_2024_spec_is_covered() {
        let text = include_str!("../../specs/liucheng-2024.kh");
        let a = Analysis::new(text);
        let tokens = a.tokens();
        sorted_apart(&tokens, text);
        assert!(tokens.len() > 3000, "{}", tokens.len());
        // Every comment of the spec is a token.
        let comments = tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Comment)
            .count();
        let lines = text
            .lines()
            .filter(|l| l.trim_start().starts_with("//"))
            .count();
        assert!(comments >= lines, "{comments} < {lines}");
        // No name is left unnamed in a spec that checks.
        let unnamed: Vec<&str> = tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Variable)
            .map(|t| &text[t.span.start..t.span.end])
            .filter(|w| !a.index.bound.iter().any(|b| b == w))
            .collect();
        assert!(unnamed.is_empty(), "{unnamed:?}");
    }
}
