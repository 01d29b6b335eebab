//! Reporting every syntax error, not only the first.
//!
//! pest stops at the first error. To find the others, the file is cut into
//! item blocks (an item runs from its `item` keyword to its closing brace, or
//! to the next line that opens an item, indicator or section when its brace
//! is missing); each block is parsed on its own, and the skeleton that
//! remains when the items are blanked out is parsed as a spec. Every error
//! found that way is reported, each once.

use super::{KaoheParser, Rule};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use pest::Parser as _;
use pest::error::{Error, ErrorVariant, InputLocation};

pub fn all_errors(text: &str, first: Error<Rule>) -> Vec<Diagnostic> {
    let unclosed = unclosed_texts(text);
    let mut diags = vec![to_diagnostic(text, &first, 0)];
    let blocks = item_blocks(text);
    for &(start, end) in &blocks {
        let Some(block) = text.get(start..end) else {
            continue;
        };
        if let Err(e) = KaoheParser::parse(Rule::item_only, block) {
            diags.push(to_diagnostic(text, &e, start));
        }
    }
    let skeleton = blank(text, &blocks);
    if let Err(e) = KaoheParser::parse(Rule::spec, &skeleton) {
        diags.push(to_diagnostic(text, &e, 0));
    }
    // An open quote also breaks the line after it; say only what caused it.
    let caused = |d: &Diagnostic| {
        let line = d.primary_span().map_or(0, |s| line_of(text, s.start));
        unclosed.iter().any(|u| {
            u.primary_span().is_some_and(|s| {
                (line_of(text, s.start)..=line_of(text, s.start) + 1).contains(&line)
            })
        })
    };
    diags.retain(|d| !caused(d));
    diags.extend(unclosed);
    diags.sort_by_key(|d| d.primary_span().map(|s| s.start));
    diags.dedup_by_key(|d| d.primary_span().map(|s| line_of(text, s.start)));
    diags
}

/// A quote opened and not closed on its line.
fn unclosed_texts(text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let mut open: Option<usize> = None;
        let mut chars = line.char_indices();
        while let Some((i, c)) = chars.next() {
            match (open, c) {
                (None, '/') if line.get(i..).is_some_and(|r| r.starts_with("//")) => break,
                (None, '"') => open = Some(i),
                (Some(_), '\\') => {
                    chars.next();
                }
                (Some(_), '"') => open = None,
                _ => {}
            }
        }
        if let Some(i) = open {
            let at = offset + i;
            out.push(
                Diagnostic::new(
                    Code::Syntax,
                    "this text is not closed: its closing `\"` is missing",
                )
                .at(Span::new(at, at + 1), "the text opens here")
                .with_help(
                    "a text ends on the line it starts on; write a line break inside a text as \\n",
                ),
            );
        }
        offset += line.len();
    }
    out
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(0, |t| t.matches('\n').count())
}

/// Byte ranges of the item blocks.
fn item_blocks(text: &str) -> Vec<(usize, usize)> {
    let starts = line_starts(text, &["item"]);
    let stops = line_starts(text, &["item", "indicator", "section", "table", "enum"]);
    let mut blocks = Vec::new();
    for &start in &starts {
        let next_stop = stops
            .iter()
            .copied()
            .find(|&s| s > start)
            .unwrap_or(text.len());
        let end = closing_brace(text, start)
            .filter(|&e| e <= next_stop)
            .unwrap_or(next_stop);
        blocks.push((start, end));
    }
    blocks
}

/// Offsets of lines whose first word is one of `words`.
fn line_starts(text: &str, words: &[&str]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let first = trimmed
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("");
        if words.contains(&first) {
            out.push(offset + indent);
        }
        offset += line.len();
    }
    out
}

/// The offset just past the brace that closes the first `{` after `start`,
/// skipping strings and comments.
fn closing_brace(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    if c == b'\\' {
                        i += 1;
                    } else if c == b'"' || c == b'\n' {
                        break;
                    }
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            }
            b'{' => depth += 1,
            b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The text with the given ranges replaced by spaces, newlines kept, so that
/// byte offsets stay the same.
fn blank(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut out = text.as_bytes().to_vec();
    for &(s, e) in ranges {
        for b in out.iter_mut().take(e).skip(s) {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A pest error as a diagnostic, its offsets shifted by `base`.
pub(super) fn to_diagnostic(text: &str, err: &Error<Rule>, base: usize) -> Diagnostic {
    let pos = base
        + match err.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((s, _)) => s,
        };
    let found = found_at(text, pos);
    let (message, help) = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut words: Vec<String> = positives.iter().map(|r| describe(*r)).collect();
            words.sort_unstable();
            words.dedup();
            let help = if found_at(text, pos) == "}" {
                Some(
                    "this `}` has nothing to close: a `}` above it may close its block too early"
                        .to_string(),
                )
            } else if words.iter().any(|w| w == "`}`") {
                Some("a closing `}` may be missing above this line".to_string())
            } else {
                None
            };
            (format!("expected {}", list(&words)), help)
        }
        ErrorVariant::CustomError { message } => (message.clone(), None),
    };
    let end = pos + found.len().min(text.len().saturating_sub(pos));
    let label = if found.is_empty() {
        "found the end of the file".to_string()
    } else {
        format!("found `{found}`")
    };
    let mut d = Diagnostic::new(Code::Syntax, message).at(Span::new(pos, end.max(pos)), label);
    if let Some(h) = help {
        d = d.with_help(h);
    }
    d
}

/// The word at `pos`, for "found `…`".
fn found_at(text: &str, pos: usize) -> String {
    let rest = text.get(pos..).unwrap_or("");
    let word: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(24)
        .collect();
    if word.is_empty() && !rest.is_empty() {
        rest.chars().take(1).collect()
    } else {
        word
    }
}

fn list(words: &[String]) -> String {
    match words {
        [] => "something else".to_string(),
        [one] => one.clone(),
        _ if words.len() > 8 => format!("{}, …", words.get(..8).unwrap_or(words).join(", ")),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// A grammar rule in words a spec author knows.
fn describe(rule: Rule) -> String {
    use Rule::*;
    let words = match rule {
        EOI => "the end of the file",
        ident => "a name",
        label => "an id such as 6.2",
        string | string_body => "a quoted text",
        number | integer | quantity | signed_quantity => "a number",
        unit => "a unit",
        date => "a date (YYYY-MM-DD)",
        expr | postfix_expr | op_not | op_neg | boolean | call | if_expr | match_expr
        | bands_expr => "a value",
        punct_open => "`{`",
        punct_close => "`}`",
        punct_colon => "`:`",
        punct_comma => "`,`",
        punct_arrow => "`=>`",
        punct_lparen => "`(`",
        punct_rparen => "`)`",
        punct_dot => "`.`",
        item => "`item`",
        indicator => "`indicator`",
        section => "`section`",
        table_decl => "`table`",
        enum_decl => "`enum`",
        input_decl => "`input`",
        meta | rule_meta | evidence_meta | authority_meta | responsible => {
            "an item detail (rule, evidence, responsible, authority)"
        }
        item_kind | score_kind => "the item's score or kind (score N, deduction, bonus, veto)",
        part => "`part`",
        clause | deduct_clause | add_clause | veto_clause | exempt_clause => {
            "a clause (deduct, add, veto, exempt)"
        }
        amount | per_amount | each_amount => "an amount",
        cap | at_most => "`at most`",
        condition => "`if` or `unless`",
        type_expr | scalar_type | list_type => {
            "a type (bool, count, number, rate, date, text, enum, list)"
        }
        field_decl => "a field",
        input_opt => "`optional` or `default`",
        band => "a band such as `< 90% => 4`",
        bound | cmp_op => "a comparison (<, <=, >, >=, =)",
        match_arm => "a match arm such as `\"A\" => 1`",
        op_or | op_and | op_le | op_ge | op_ne | op_lt | op_gt | op_eq | op_add | op_sub
        | op_mul | op_div => "an operator",
        _ => {
            let name = format!("{rule:?}");
            return match name
                .strip_prefix("kw_")
                .or_else(|| name.strip_prefix("ty_"))
            {
                Some(word) => format!("`{}`", word.replace('_', " ")),
                None => name.replace('_', " "),
            };
        }
    };
    words.to_string()
}
