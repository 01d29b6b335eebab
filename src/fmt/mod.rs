//! `kaohe fmt`: the canonical layout of a spec, in either keyword set.
//!
//! The formatter works on pest's parse tree (not the AST), so that every
//! token is kept and keywords are known by rule. Layout: two spaces per
//! brace level; one declaration, entry or clause per line; bands, match arms
//! and list fields one per line, each ending with a comma; enum values on
//! one line. Comments are read from the gaps between tokens: a comment on a
//! line of its own stays on its own line before what follows it, a comment
//! after code stays at the end of that line. One blank line is kept where the
//! source had one or more. Keywords are written in the chosen set.

use crate::diagnostic::Diagnostic;
use crate::parse::fullwidth;
use crate::parse::keywords::{self, KeywordSet};
use crate::parse::{KaoheParser, Rule};
use pest::Parser as _;
use pest::iterators::Pair;

/// The formatted text of a spec, with keywords in `set` (by default the
/// spec's own), or the syntax errors that keep it from being formatted.
pub fn format(text: &str, set: Option<KeywordSet>) -> Result<String, Vec<Diagnostic>> {
    let (_, diags) = crate::parse::parse(text);
    if !diags.is_empty() {
        return Err(diags);
    }
    let root = match KaoheParser::parse(Rule::spec, text) {
        Ok(mut pairs) => pairs.next(),
        Err(_) => None,
    };
    let Some(root) = root else {
        return Err(diags);
    };
    let set = set.unwrap_or_else(|| keywords::set_of(root.clone()));
    let mut w = Writer::new(text, set);
    for child in root.into_inner() {
        if child.as_rule() != Rule::EOI {
            w.walk(child, Rule::spec, true);
        }
    }
    w.gap(text.len(), Rule::spec);
    w.flush();
    let mut out = w.out;
    while out.ends_with("\n\n") {
        out.pop();
    }
    Ok(out)
}

/// Rules that start on a line of their own.
const STATEMENTS: &[Rule] = &[
    Rule::table_decl,
    Rule::enum_decl,
    Rule::input_decl,
    Rule::section,
    Rule::indicator,
    Rule::level3,
    Rule::level4,
    Rule::item,
    Rule::part,
    Rule::meta,
    Rule::bonus_cap,
    Rule::deduction_cap,
    Rule::attribution_decl,
    Rule::year_decl,
    Rule::language_decl,
    Rule::total_decl,
    Rule::pass_decl,
    Rule::fail_decl,
    Rule::grades_decl,
    Rule::clause,
    Rule::field_decl,
    Rule::match_arm,
    Rule::band,
    // An assessor's judgement (`judged`, 酌情评分).
    Rule::judged_decl,
    // A waiver of deductions (`waived if`, 免予扣分).
    Rule::waiver_decl,
    // A named result derived from the total (`result`, 结果).
    Rule::result_decl,
    // A standard by the unit's class (`standard … by …`, 标准 … 按 …).
    Rule::standard_decl,
    // A rule not yet written (`rule pending`, 待写规则).
    Rule::pending_decl,
];

/// Rules whose braces hold one entry per line (a list type only when it
/// has more than one field).
const BLOCKS: &[Rule] = &[
    Rule::table_decl,
    Rule::section,
    Rule::indicator,
    Rule::level3,
    Rule::level4,
    Rule::item,
    Rule::part,
    Rule::grades_decl,
    Rule::match_expr,
    Rule::bands_expr,
    Rule::standard_decl,
];

/// Rules whose lines are aligned at their `=>`.
const ARMS: &[Rule] = &[
    Rule::grades_decl,
    Rule::match_expr,
    Rule::bands_expr,
    Rule::standard_decl,
];

fn multi_line(pair: &Pair<Rule>) -> bool {
    let rule = pair.as_rule();
    BLOCKS.contains(&rule)
        || rule == Rule::list_type
            && pair
                .clone()
                .into_inner()
                .filter(|p| p.as_rule() == Rule::field_decl)
                .count()
                > 1
}

/// The columns a line takes on screen (CJK characters take two).
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| if c >= '\u{2E80}' { 2 } else { 1 })
        .sum()
}

/// Pad the lines of `block` at `indent` so that their first `=>` lines up.
fn align(block: &str, indent: usize) -> String {
    let prefix = "  ".repeat(indent);
    let arm = |l: &str| -> Option<usize> {
        let rest = l.strip_prefix(&prefix)?;
        if rest.starts_with(' ') || rest.starts_with("//") {
            return None;
        }
        l.find(" => ")
    };
    let column = block
        .lines()
        .filter_map(|l| arm(l).map(|i| width(&l[..i])))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for l in block.lines() {
        match arm(l) {
            Some(i) => {
                out.push_str(&l[..i]);
                out.push_str(&" ".repeat(column - width(&l[..i])));
                out.push_str(&l[i..]);
            }
            None => out.push_str(l),
        }
        out.push('\n');
    }
    out
}

/// Rules whose optional commas the formatter writes itself.
const OWN_COMMAS: &[Rule] = &[
    Rule::band,
    Rule::match_expr,
    Rule::list_type,
    Rule::enum_body,
    Rule::standard_decl,
];

/// In these rules, a comma separates the items of this rule.
fn separated(rule: Rule) -> Option<Rule> {
    match rule {
        Rule::enum_body => Some(Rule::string),
        Rule::list_type => Some(Rule::field_decl),
        _ => None,
    }
}

struct Writer<'a> {
    src: &'a str,
    set: KeywordSet,
    out: String,
    line: String,
    indent: usize,
    /// How far the source has been read.
    pos: usize,
    /// The end of the last token or comment written.
    last_end: usize,
    /// Whether the next token follows the previous one without a space.
    glue: bool,
    /// Where in `out` each open block of arms began.
    marks: Vec<usize>,
}

impl<'a> Writer<'a> {
    fn new(src: &'a str, set: KeywordSet) -> Writer<'a> {
        Writer {
            src,
            set,
            out: String::new(),
            line: String::new(),
            indent: 0,
            pos: 0,
            last_end: 0,
            glue: false,
            marks: Vec::new(),
        }
    }

    fn token(&mut self, text: &str, space_before: bool) {
        if !self.line.is_empty() && space_before && !self.glue {
            self.line.push(' ');
        }
        self.line.push_str(text);
        self.glue = false;
    }

    fn flush(&mut self) {
        if !self.line.is_empty() {
            self.out.push_str(&"  ".repeat(self.indent));
            self.out.push_str(&self.line);
            self.out.push('\n');
            self.line.clear();
        }
        self.glue = false;
    }

    /// Start a new line, with a blank line before it if the source had one.
    fn new_line(&mut self, at: usize) {
        self.flush();
        let between = &self.src[self.last_end.min(at)..at];
        if !self.out.is_empty() && !self.out.ends_with("\n\n") && between.matches('\n').count() >= 2
        {
            self.out.push('\n');
        }
    }

    /// Read the source up to `to`: whitespace, comments and the literal
    /// punctuation that the grammar does not name.
    fn gap(&mut self, to: usize, ctx: Rule) {
        let mut i = self.pos;
        while i < to {
            let rest = &self.src[i..to];
            let c = rest.chars().next().unwrap_or(' ');
            if c.is_whitespace() || c == '\u{FEFF}' {
                i += c.len_utf8();
            } else if rest.starts_with("//") {
                let len = rest.find('\n').unwrap_or(rest.len());
                self.comment(i, rest[..len].trim_end());
                i += len;
                self.last_end = i;
            } else {
                let lit = if rest.starts_with("=>") {
                    "=>"
                } else {
                    &rest[..c.len_utf8()]
                };
                self.literal(lit, ctx);
                i += lit.len();
                self.last_end = i;
            }
        }
        self.pos = self.pos.max(to);
    }

    fn comment(&mut self, at: usize, text: &str) {
        let own_line = self.src[self.last_end.min(at)..at].contains('\n') || self.last_end == 0;
        if own_line {
            self.new_line(at);
            self.line.push_str(text);
            self.flush();
        } else if self.line.is_empty() && self.out.ends_with('\n') {
            self.out.pop();
            self.out.push_str("  ");
            self.out.push_str(text);
            self.out.push('\n');
        } else {
            self.line.push_str("  ");
            self.line.push_str(text);
            self.flush();
        }
    }

    fn literal(&mut self, lit: &str, ctx: Rule) {
        match lit {
            "," if OWN_COMMAS.contains(&ctx) => {}
            "," | ":" | ")" => self.token(lit, false),
            "." => {
                self.token(lit, false);
                self.glue = true;
            }
            "(" => {
                self.token(lit, ctx != Rule::call);
                self.glue = true;
            }
            _ => self.token(lit, true),
        }
    }

    /// Write a pair; `lines` says whether its parent puts its entries on
    /// lines of their own.
    fn walk(&mut self, pair: Pair<Rule>, parent: Rule, lines: bool) {
        let rule = pair.as_rule();
        let (start, end) = (pair.as_span().start(), pair.as_span().end());
        self.gap(start, parent);
        if STATEMENTS.contains(&rule) && lines {
            self.new_line(start);
        }
        if self.leaf(&pair, parent, lines) {
            self.pos = end;
            self.last_end = end;
            return;
        }
        let own_lines = multi_line(&pair);
        let mut items = 0;
        for child in pair.into_inner() {
            if separated(rule) == Some(child.as_rule()) {
                if items > 0 {
                    self.token(",", false);
                }
                items += 1;
            }
            self.walk(child, rule, own_lines);
        }
        self.gap(end, rule);
    }

    /// Write a token pair; false when the pair has parts to walk instead.
    fn leaf(&mut self, pair: &Pair<Rule>, parent: Rule, lines: bool) -> bool {
        let rule = pair.as_rule();
        match rule {
            Rule::punct_open => {
                self.token("{", true);
                if lines {
                    self.flush();
                    self.indent += 1;
                    self.marks.push(self.out.len());
                }
            }
            Rule::punct_close => {
                if lines {
                    self.flush();
                    let mark = self.marks.pop().unwrap_or(self.out.len());
                    if ARMS.contains(&parent) {
                        let aligned = align(&self.out[mark..], self.indent);
                        self.out.truncate(mark);
                        self.out.push_str(&aligned);
                    }
                    self.indent = self.indent.saturating_sub(1);
                }
                self.token("}", true);
            }
            // 分 after points, next to its number.
            Rule::punct_fen => self.token("分", false),
            Rule::punct_comma
            | Rule::punct_colon
            | Rule::punct_dot
            | Rule::punct_lparen
            | Rule::punct_rparen
            | Rule::punct_arrow => self.literal(&fullwidth::to_ascii(pair.as_str()), parent),
            Rule::op_neg => {
                self.token("-", true);
                self.glue = true;
            }
            Rule::quantity => self.token(&quantity(pair), true),
            Rule::string => self.token(&string(pair), true),
            _ if keywords::is_word(rule) => {
                let word = keywords::spelling(rule, self.set).unwrap_or(pair.as_str());
                self.token(word, true);
            }
            // Ids, numbers, dates and operators as typed with full-width
            // characters are written in ASCII; names are kept as written.
            Rule::ident => self.token(pair.as_str(), true),
            // An id keeps its 、 (一、), which elsewhere is a comma.
            Rule::label => self.token(&fullwidth::label_ascii(pair.as_str()), true),
            _ if pair.clone().into_inner().next().is_none() => {
                self.token(&fullwidth::to_ascii(pair.as_str()), true)
            }
            _ => return false,
        }
        true
    }
}

/// A quantity with its unit attached: `2次`, `100%`, `1μg/m³`, `5pp`
/// (full-width digits, point and `％` written in ASCII).
fn quantity(pair: &Pair<Rule>) -> String {
    pair.clone()
        .into_inner()
        .map(|p| fullwidth::to_ascii(p.as_str()).into_owned())
        .collect()
}

/// A text in ASCII quotes: one in Chinese quotes (“…” or ‘…’, which have no
/// escapes) is written "…", with `"` and `\` in it escaped.
fn string(pair: &Pair<Rule>) -> String {
    match pair.clone().into_inner().next() {
        Some(body) if body.as_rule() != Rule::string_body => {
            let mut out = String::with_capacity(body.as_str().len() + 2);
            out.push('"');
            for c in body.as_str().chars() {
                if c == '"' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
            out
        }
        _ => pair.as_str().to_string(),
    }
}

#[cfg(test)]
mod tests;
