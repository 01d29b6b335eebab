//! Completion: what may be typed at the cursor, read from the few words
//! before it (so that it works while the text is broken too).

use super::keywords::{self, Keyword};
use super::scan;
use super::snippets;
use super::{Analysis, Range};
use crate::parse::Rule;
use crate::parse::keywords::KeywordSet;
use crate::source::Span;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CompletionKind {
    Keyword,
    Type,
    Input,
    Enum,
    EnumValue,
    Unit,
    Item,
    /// A standard by class (`standard NAME by CLASS`), which stands where
    /// an input may.
    Standard,
    /// A template of several words or lines (an item with its usual
    /// lines, a common clause): `insert_text` holds it with its defaults,
    /// `snippet` the same in the LSP snippet syntax.
    Snippet,
}

/// One candidate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    /// A description (an input's, a keyword's meaning), if any.
    pub detail: Option<String>,
    /// What to put in place of the word being typed.
    pub insert_text: String,
    /// The same as a snippet (`${1:default}` a field to fill in, `$1` its
    /// mirror, `$0` where the cursor ends), for a client that takes them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
}

/// The candidates at a cursor, and the word they would replace.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Completions {
    pub range: Range,
    pub items: Vec<Completion>,
}

/// A name declared, with a detail to show beside it.
type Named = (String, Option<String>);

/// What the words before the cursor allow.
#[derive(Debug, PartialEq)]
enum Context {
    /// The start of a line: a declaration, entry or clause that may stand
    /// in the block around it (the keyword that opened it; `None` at the
    /// top level).
    LineStart(Option<Rule>),
    /// After `per` or `of`: an input (a quantity).
    Quantity,
    /// After `input name:`: a type.
    Type,
    /// After `count` or `number`: a unit.
    Unit,
    /// After `item`: its id.
    ItemId,
    /// After `x =`: a value of x's enumeration, or any expression.
    Compared(String),
    /// Anywhere else in an expression.
    Expression,
    /// In a text or a comment: nothing.
    Quiet,
}

impl Analysis {
    /// The candidates at `offset`: keywords of the spec's language that fit
    /// there, inputs, enumerations and their values, units, item ids.
    pub fn completions(&self, offset: usize) -> Completions {
        let text = self.text();
        let offset = self.position(offset).offset;
        let before = text.get(..offset).unwrap_or("");
        let word = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || *c == '_' || *c == '.')
            .last()
            .map_or(offset, |(i, _)| i);
        let range = self.range(Span::new(word, offset));
        let context = self.context(before.get(..word).unwrap_or(""));
        let mut items = Vec::new();
        match context {
            Context::Quiet => {}
            Context::LineStart(block) => {
                let fits = entries_of(block);
                self.keywords(&mut items, |rule| fits.contains(&rule));
                let line = before.get(..word).unwrap_or("");
                let line = line
                    .get(line.rfind('\n').map_or(0, |i| i + 1)..)
                    .unwrap_or("");
                self.snippets(&mut items, block, line);
            }
            Context::Quantity => self.inputs(&mut items),
            Context::Type => {
                self.keywords(&mut items, keywords::is_type);
                for name in self.declared(Rule::kw_enum, |i| {
                    i.enums
                        .iter()
                        .map(|e| (e.name.text.clone(), None))
                        .collect()
                }) {
                    items.push(candidate(&name.0, CompletionKind::Enum, name.1));
                }
            }
            Context::Unit => {
                for u in &self.index.units {
                    items.push(candidate(u, CompletionKind::Unit, None));
                }
                for u in ["%", "天"] {
                    if !self.index.units.iter().any(|x| x == u) {
                        items.push(candidate(u, CompletionKind::Unit, None));
                    }
                }
            }
            Context::ItemId => {
                if let Some(id) = self.next_item_id(offset) {
                    items.push(candidate(&id, CompletionKind::Item, None));
                }
            }
            Context::Compared(name) => {
                self.values_of(&name, &mut items);
                self.inputs(&mut items);
            }
            Context::Expression => {
                self.inputs(&mut items);
                self.keywords(&mut items, keywords::in_expression);
            }
        }
        Completions { range, items }
    }

    fn context(&self, before: &str) -> Context {
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.get(line_start..).unwrap_or("");
        if hover_quiet(line) {
            return Context::Quiet;
        }
        let trimmed = line.trim_end();
        if trimmed.trim_start().is_empty() || trimmed.ends_with('{') || trimmed.ends_with('}') {
            return Context::LineStart(innermost_block(before));
        }
        let last = last_word(trimmed);
        let is = |rule: Rule| {
            keywords::all()
                .find(|k| k.rule == rule)
                .is_some_and(|k| last == k.en || last == k.zh)
        };
        if is(Rule::kw_per) || is(Rule::kw_of) {
            return Context::Quantity;
        }
        if is(Rule::ty_count) || is(Rule::ty_number) {
            return Context::Unit;
        }
        if is(Rule::kw_item) {
            return Context::ItemId;
        }
        let first = trimmed.split_whitespace().next().unwrap_or("");
        let declares_input =
            keywords::all().any(|k| k.rule == Rule::kw_input && (first == k.en || first == k.zh));
        if declares_input && (trimmed.ends_with(':') || trimmed.ends_with('：')) {
            return Context::Type;
        }
        for op in ["!=", "≠", "="] {
            if let Some(left) = trimmed.strip_suffix(op) {
                return Context::Compared(last_word(left.trim_end()).to_string());
            }
        }
        Context::Expression
    }

    /// Keywords that pass `fits`, in the spec's set (both when it has none
    /// yet), each spelling once.
    fn keywords(&self, items: &mut Vec<Completion>, fits: impl Fn(Rule) -> bool) {
        let sets: &[KeywordSet] = match self.keyword_set() {
            Some(KeywordSet::En) => &[KeywordSet::En],
            Some(KeywordSet::Zh) => &[KeywordSet::Zh],
            None => &[KeywordSet::Zh, KeywordSet::En],
        };
        let lang = self.lang();
        let all: Vec<Keyword> = keywords::all().filter(|k| fits(k.rule)).collect();
        for &set in sets {
            for k in &all {
                let word = k.spelling(set);
                if items.iter().any(|c| c.label == word) {
                    continue;
                }
                let kind = if keywords::is_type(k.rule) {
                    CompletionKind::Type
                } else {
                    CompletionKind::Keyword
                };
                let meaning = keywords::meaning(k.rule).get(lang).to_string();
                items.push(candidate(word, kind, Some(meaning)));
            }
        }
    }

    /// The snippets that may begin a line in `block`, in the spec's set
    /// (both when it has none yet), indented like `line` (the text before
    /// the word being typed on its line).
    fn snippets(&self, items: &mut Vec<Completion>, block: Option<Rule>, line: &str) {
        let sets: &[KeywordSet] = match self.keyword_set() {
            Some(KeywordSet::En) => &[KeywordSet::En],
            Some(KeywordSet::Zh) => &[KeywordSet::Zh],
            None => &[KeywordSet::Zh, KeywordSet::En],
        };
        let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
        for &set in sets {
            for s in snippets::at_line_start(block, set, &indent) {
                items.push(Completion {
                    label: s.label,
                    kind: CompletionKind::Snippet,
                    detail: Some(s.detail.get(self.lang()).to_string()),
                    insert_text: snippets::plain(&s.body),
                    snippet: Some(s.body),
                });
            }
        }
    }

    /// Every input, then every standard by class.
    fn inputs(&self, items: &mut Vec<Completion>) {
        let inputs = self.declared(Rule::kw_input, |ix| {
            ix.inputs
                .iter()
                .map(|i| {
                    let detail = i.decl.description.as_ref().map(|d| d.value.clone());
                    (i.decl.name.text.clone(), detail)
                })
                .collect()
        });
        for (name, detail) in inputs {
            items.push(candidate(&name, CompletionKind::Input, detail));
        }
        let standards = self.declared(Rule::kw_standard, |ix| {
            (ix.standards.iter())
                .map(|s| {
                    let detail = s.description.as_ref().map(|d| d.value.clone());
                    (s.name.text.clone(), detail)
                })
                .collect()
        });
        for (name, detail) in standards {
            items.push(candidate(&name, CompletionKind::Standard, detail));
        }
    }

    /// The names declared, with a detail: from the index, or when the text
    /// does not parse, read from the lines that begin with the keyword
    /// `rule` (`input name:`, `enum name {`).
    fn declared(&self, rule: Rule, from_index: fn(&super::Index) -> Vec<Named>) -> Vec<Named> {
        if self.ast.is_some() {
            return from_index(&self.index);
        }
        let words: Vec<&str> = keywords::all()
            .filter(|k| k.rule == rule)
            .flat_map(|k| [k.en, k.zh])
            .collect();
        let mut out: Vec<Named> = Vec::new();
        for line in self.text().lines() {
            let line = line.trim_start();
            let Some(rest) = words.iter().find_map(|w| line.strip_prefix(w)) else {
                continue;
            };
            if !rest.starts_with(char::is_whitespace) {
                continue;
            }
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && !out.iter().any(|(n, _)| *n == name) {
                out.push((name, None));
            }
        }
        out
    }

    /// The values of the enumeration of input `name`, quoted.
    fn values_of(&self, name: &str, items: &mut Vec<Completion>) {
        let Some(n) = self.index.input(name) else {
            return;
        };
        let enumeration = self.index.inputs.get(n).and_then(|i| i.enum_ty);
        let Some(e) = enumeration.and_then(|e| self.index.enums.get(e)) else {
            return;
        };
        for v in &e.variants {
            let mut c = candidate(
                &v.value,
                CompletionKind::EnumValue,
                Some(e.name.text.clone()),
            );
            c.insert_text = format!("\"{}\"", v.value);
            items.push(c);
        }
    }

    /// The id that follows the last item before `offset` in its indicator
    /// (`7.4` after `7.3`), or the indicator's first (`7.1`).
    fn next_item_id(&self, offset: usize) -> Option<String> {
        let spec = self.ast.as_ref()?;
        // The last heading holding items (of any level) before `offset`.
        let indicator = (spec.headings().into_iter())
            .filter(|h| h.headings.is_empty())
            .take_while(|i| i.label.span.start < offset)
            .last()?;
        let Some(last) = indicator
            .items
            .iter()
            .take_while(|i| i.label.span.start < offset)
            .last()
        else {
            return Some(format!("{}.1", indicator.label.text));
        };
        let id = &last.label.text;
        let (head, tail) = id.rsplit_once('.')?;
        let n: u32 = tail.parse().ok()?;
        Some(format!("{head}.{}", n.checked_add(1)?))
    }
}

fn candidate(label: &str, kind: CompletionKind, detail: Option<String>) -> Completion {
    Completion {
        label: label.to_string(),
        kind,
        detail,
        insert_text: label.to_string(),
        snippet: None,
    }
}

/// The last word of a text: its run of name characters at the end, or its
/// last character when that is no name character.
fn last_word(text: &str) -> &str {
    let start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
        .last()
        .map_or(text.len(), |(i, _)| i);
    match text.get(start..) {
        Some(w) if !w.is_empty() => w,
        _ => text
            .char_indices()
            .next_back()
            .and_then(|(i, _)| text.get(i..))
            .unwrap_or(""),
    }
}

/// Whether the end of a line is inside a text or a comment.
fn hover_quiet(line: &str) -> bool {
    super::scan::in_text_or_comment(line)
}

/// The keywords that may begin a line in a block opened by `block`.
fn entries_of(block: Option<Rule>) -> &'static [Rule] {
    use Rule::*;
    const META: [Rule; 6] = [
        kw_rule,
        kw_evidence,
        kw_responsible,
        kw_authority,
        kw_lead,
        kw_supporting,
    ];
    const CLAUSES: [Rule; 5] = [kw_deduct, kw_add, kw_veto, kw_exempt, kw_input];
    match block {
        None => &[kw_table, kw_enum, kw_input, kw_section, kw_item],
        Some(kw_table) => &[
            kw_year,
            kw_language,
            kw_total,
            kw_pass,
            kw_fail,
            kw_grades,
            kw_result,
            kw_bonus,
            kw_input,
            kw_enum,
        ],
        Some(kw_section) => &[
            META[0],
            META[1],
            META[2],
            META[3],
            kw_bonus,
            kw_input,
            kw_indicator,
            kw_item,
        ],
        Some(kw_indicator) => &[
            META[0], META[1], META[2], META[3], kw_bonus, kw_input, kw_level3, kw_item,
        ],
        Some(kw_level3) => &[
            META[0], META[1], META[2], META[3], kw_bonus, kw_input, kw_level4, kw_item,
        ],
        Some(kw_level4) => &[
            META[0], META[1], META[2], META[3], kw_bonus, kw_input, kw_item,
        ],
        Some(kw_item) => &[
            META[0], META[1], META[2], META[3], CLAUSES[0], CLAUSES[1], CLAUSES[2], CLAUSES[3],
            CLAUSES[4], kw_part,
        ],
        Some(kw_part) => &[
            CLAUSES[0], CLAUSES[1], CLAUSES[2], CLAUSES[3], CLAUSES[4], kw_part,
        ],
        // Inside a list type, an enumeration, bands or a match: no entry
        // keyword begins a line there.
        Some(_) => &[],
    }
}

/// The keyword that opened the innermost block still open at the end of
/// `before`: the first word of the line its `{` stands on, when that word
/// is a keyword (`考核事项 1.1 … {` → item); texts and comments skipped.
fn innermost_block(before: &str) -> Option<Rule> {
    let mut open: Vec<usize> = Vec::new();
    for (i, c) in scan::Code::new(before) {
        match c {
            '{' => open.push(i),
            '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    let at = *open.last()?;
    let line_start = before.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let line = before.get(line_start..at)?.trim_start();
    let word: String = line
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    // An entry's block opens on the line its keyword begins; any other
    // `{` (a list type, an enumeration, bands, a match) opens a block
    // where no entry begins a line.
    let rule = keywords::all().find(|k| k.en == word || k.zh == word);
    Some(match rule.map(|k| k.rule).unwrap_or(Rule::kw_enum) {
        r @ (Rule::kw_table
        | Rule::kw_section
        | Rule::kw_indicator
        | Rule::kw_level3
        | Rule::kw_level4
        | Rule::kw_item
        | Rule::kw_part) => r,
        _ => Rule::kw_enum,
    })
}
