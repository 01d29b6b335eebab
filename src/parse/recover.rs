//! Reporting every syntax error, not only the first.
//!
//! pest stops at the first error. To find the others, the file is cut into
//! item blocks (an item runs from its `item` keyword to its closing brace, or
//! to the next line that opens an item, indicator or section when its brace
//! is missing); each block is parsed on its own, and the skeleton that
//! remains when the items are blanked out is parsed as a spec. Every error
//! found that way is reported, each once.

use super::keywords::{self, KeywordSet};
use super::messages;
use super::{KaoheParser, Rule};
use crate::diagnostic::{Diagnostic, Text};
use crate::source::Span;
use crate::t;
use pest::Parser as _;
use pest::error::{Error, ErrorVariant, InputLocation};

pub fn all_errors(text: &str, first: Error<Rule>) -> Vec<Diagnostic> {
    let marks = super::fullwidth::scan(text);
    let Some(repaired) = super::fullwidth::repaired(text, &marks) else {
        return errors_with(text, first, marks);
    };
    // The rest is read as if each full-width mark were already what its
    // fix writes: a `｛` refused would otherwise leave its block open, and
    // an error far below it would be only its consequence.
    let fixed = |d: &Diagnostic| d.code == crate::diagnostic::Code::FullWidth;
    let mut diags = match KaoheParser::parse(Rule::spec, &repaired) {
        Ok(_) => Vec::new(),
        Err(e) => errors_with(&repaired, e, super::fullwidth::scan(&repaired)),
    };
    diags.extend(marks.into_iter().filter(fixed));
    diags.sort_by_key(|d| d.primary_span().map(|s| s.start));
    diags
}

/// Every syntax error of `text`, `first` among them, with `marks` (what
/// `fullwidth::scan` found in it), each line's error once.
fn errors_with(text: &str, first: Error<Rule>, marks: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let unclosed = unclosed_texts(text);
    let mut diags = vec![to_diagnostic(text, &first, (text, Rule::spec, 0))];
    let blocks = item_blocks(text);
    for &(start, end) in &blocks {
        let Some(block) = text.get(start..end) else {
            continue;
        };
        diags.extend(line_by_line(text, block, start, Rule::item_only));
    }
    let skeleton = blank(text, &blocks);
    diags.extend(line_by_line(text, &skeleton, 0, Rule::spec));
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
    // A full-width character the grammar refuses, or a mismatched quote, is
    // named as such; what pest says about its line is its consequence.
    let lines: Vec<usize> = marks
        .iter()
        .filter_map(|d| d.primary_span().map(|s| line_of(text, s.start)))
        .collect();
    diags.retain(|d| {
        let line = d.primary_span().map_or(0, |s| line_of(text, s.start));
        !lines.contains(&line) && !lines.contains(&line.saturating_sub(1))
    });
    diags.sort_by_key(|d| d.primary_span().map(|s| s.start));
    diags.dedup_by_key(|d| d.primary_span().map(|s| line_of(text, s.start)));
    diags.extend(marks);
    diags.sort_by_key(|d| d.primary_span().map(|s| s.start));
    diags
}

/// The most errors looked for in one block.
const MAX_PER_BLOCK: usize = 16;

/// Every error of a block (at `base` in `text`), one per broken line: after
/// an error, its line is blanked and the block parsed again, so that a
/// broken clause does not hide the next one. A line that opens or closes a
/// brace is not blanked (the block's shape would change, and every error
/// after it would be noise), nor is an error at the block's end (a brace
/// missing above) followed further.
fn line_by_line(text: &str, block: &str, base: usize, rule: Rule) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut block = block.to_string();
    let mut last = None;
    while out.len() < MAX_PER_BLOCK {
        let Err(e) = KaoheParser::parse(rule, &block) else {
            break;
        };
        let pos = match e.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((s, _)) => s,
        };
        if last.is_some_and(|l| pos <= l) {
            break;
        }
        last = Some(pos);
        out.push(to_diagnostic(text, &e, (&block, rule, base)));
        let start = block
            .get(..pos)
            .and_then(|b| b.rfind('\n'))
            .map_or(0, |i| i + 1);
        let end = block
            .get(pos..)
            .and_then(|b| b.find('\n'))
            .map_or(block.len(), |i| pos + i);
        let line = block.get(start..end).unwrap_or("");
        if block.get(end..).is_none_or(|r| r.trim().is_empty()) || line.contains(['{', '}']) {
            break;
        }
        block = blank(&block, &[(start, end)]);
    }
    out
}

/// A quote opened and not closed on its line.
fn unclosed_texts(text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        // Where a text opened, and the quote that closes it.
        let mut open: Option<(usize, char)> = None;
        let mut chars = line.char_indices();
        while let Some((i, c)) = chars.next() {
            match (open, c) {
                (None, '/') if line.get(i..).is_some_and(|r| r.starts_with("//")) => break,
                (None, '"') => open = Some((i, '"')),
                (None, '“') => open = Some((i, '”')),
                (None, '‘') => open = Some((i, '’')),
                (Some((_, '"')), '\\') => {
                    chars.next();
                }
                (Some((_, close)), c) if c == close => open = None,
                // Closed by a quote of another kind: K0112 says so.
                (Some(_), '"' | '”' | '’') => {
                    open = None;
                    break;
                }
                _ => {}
            }
        }
        if let Some((i, _)) = open {
            let at = offset + i;
            out.push(messages::unclosed_text(Span::new(at, at + 1)));
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
    // In either keyword set: `item` or `考核事项`, and so on.
    let words = |rules: &[Rule]| -> Vec<&'static str> {
        rules
            .iter()
            .flat_map(|&r| [KeywordSet::En, KeywordSet::Zh].map(|set| keywords::spelling(r, set)))
            .flatten()
            .collect()
    };
    let starts = line_starts(text, &words(&[Rule::kw_item]));
    let stops = line_starts(
        text,
        &words(&[
            Rule::kw_item,
            Rule::kw_indicator,
            Rule::kw_level3,
            Rule::kw_level4,
            Rule::kw_section,
            Rule::kw_table,
            Rule::kw_enum,
        ]),
    );
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
            // A text in Chinese quotes: “ (E2 80 9C) to ” (E2 80 9D), or
            // ‘ (E2 80 98) to ’ (E2 80 99), on one line.
            0xE2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0x9C | 0x98)) =>
            {
                let close = bytes.get(i + 2).map_or(0x9D, |&q| q + 1);
                i += 3;
                while let Some(&c) = bytes.get(i) {
                    if c == b'\n'
                        || (c == 0xE2
                            && bytes.get(i + 1) == Some(&0x80)
                            && bytes.get(i + 2) == Some(&close))
                    {
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

/// What was parsed to find an error: the text (all of `text` or a block of
/// it, blanked where errors were found before), its rule and its offset.
type Parsed<'a> = (&'a str, Rule, usize);

/// A pest error as a diagnostic, found by parsing `parsed`, its offsets
/// shifted by the block's.
pub(super) fn to_diagnostic(text: &str, err: &Error<Rule>, parsed: Parsed) -> Diagnostic {
    let base = parsed.2;
    let pos = base
        + match err.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((s, _)) => s,
        };
    // Where pest stopped before the blanks that indent a line, the error is
    // at the word after them.
    let rest = text.get(pos..).unwrap_or("");
    let blanks: usize = (rest.chars())
        .take_while(|c| *c == ' ' || *c == '\t')
        .map(char::len_utf8)
        .sum();
    let pos = match rest.get(blanks..).and_then(|r| r.chars().next()) {
        Some(c) if c != '\n' && c != '\r' => pos + blanks,
        _ => pos,
    };
    let found = found_at(text, pos);
    if let Some(d) = thousands(text, pos).or_else(|| spreadsheet_operator(text, pos)) {
        return d;
    }
    if let ErrorVariant::ParsingError { positives, .. } = &err.variant
        && let Some(d) = (misspelt(text, pos, positives))
            .or_else(|| colon(text, pos, positives))
            .or_else(|| glued(text, pos, parsed))
    {
        return d;
    }
    // A Chinese numeral where a number is expected: its digits are the fix.
    let numeral = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } if positives.contains(&Rule::number) => {
            crate::numerals::value(&found).map(|v| v.to_string())
        }
        _ => None,
    };
    let (message, help) = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            // 分 after points is optional, never what is missing.
            let named = positives.iter().filter(|r| **r != Rule::punct_fen);
            let mut words: Vec<Text> = named.map(|r| describe(*r)).collect();
            words.sort_unstable_by(|a, b| a.en.cmp(&b.en));
            words.dedup();
            let help = if let Some(v) = &numeral {
                Some(t!(
                    "`{found}` is a number written in Chinese numerals: write {v}",
                    "“{found}”是中文数字：请写作 {v}"
                ))
            } else if found_at(text, pos) == "}" {
                Some(t!(
                    "this `}}` has nothing to close: a `}}` above it may close its block too early",
                    "这个“}}”没有可结束的块：上方可能有一个“}}”过早结束了它所在的块"
                ))
            } else if words.iter().any(|w| w.en == "`}`") && starts_line(text, pos) {
                Some(t!(
                    "a closing `}}` may be missing above this line",
                    "本行上方可能缺少一个结尾的“}}”"
                ))
            } else {
                None
            };
            (t!("expected {}", "此处应为{}", list(&words)), help)
        }
        ErrorVariant::CustomError { message } => (t!("{}", "{}", message), None),
    };
    let end = pos + found.len().min(text.len().saturating_sub(pos));
    let at = Span::new(pos, end.max(pos));
    let d = messages::syntax(message, &found, at, help);
    match numeral {
        Some(v) => d.with_fix(at, v),
        None => d,
    }
}

/// A K0118 error when a colon stands at `pos` where the grammar takes
/// none (`总分：100`); its fix deletes it, leaving one space between the
/// words on either side.
fn colon(text: &str, pos: usize, positives: &[Rule]) -> Option<Diagnostic> {
    let rest = text.get(pos..)?;
    let c = rest.chars().next().filter(|c| matches!(c, ':' | '：'))?;
    if positives.contains(&Rule::punct_colon) {
        return None;
    }
    let before = text.get(..pos)?;
    // The word's last 24 characters at most, to name it in the message.
    let word = word_before(before);
    let word = (word.char_indices().rev().nth(23)).map_or(word, |(i, _)| &word[i..]);
    let spaced = |c: Option<char>| c.is_none_or(char::is_whitespace);
    let next = rest.get(c.len_utf8()..).and_then(|r| r.chars().next());
    let fix = if spaced(before.chars().next_back()) || spaced(next) {
        ""
    } else {
        " "
    };
    let span = Span::new(pos, pos + c.len_utf8());
    Some(messages::needless_colon(word, span, fix))
}

/// A K0119 error when the word before `pos` ends with a Chinese keyword
/// written against it (`villages_signed低于`, `0.5分每`): names and units
/// may hold Chinese characters, so the keyword was read into the word. Said
/// only when a space before the keyword lets the spec be read past `pos`.
fn glued(text: &str, pos: usize, (block, rule, base): Parsed) -> Option<Diagnostic> {
    let before = text.get(..pos)?.trim_end_matches([' ', '\t', '\u{3000}']);
    let word = word_before(before);
    let mut keywords: Vec<&str> = keywords::chinese_keywords()
        .filter(|k| word.len() > k.len() && word.ends_with(k))
        .collect();
    keywords.sort_by_key(|k| std::cmp::Reverse(k.len()));
    // Parsed again as it was, with the space: the error must move on.
    let keyword = keywords.into_iter().find(|k| {
        let at = (before.len() - k.len()).saturating_sub(base);
        let (Some(head), Some(tail)) = (block.get(..at), block.get(at..)) else {
            return false;
        };
        match KaoheParser::parse(rule, &format!("{head} {tail}")) {
            Ok(_) => true,
            Err(e) => error_at(&e) > pos.saturating_sub(base) + 1,
        }
    })?;
    let at = before.len() - keyword.len();
    let prefix = word.get(..word.len() - keyword.len()).unwrap_or(word);
    Some(messages::glued_keyword(prefix, keyword, at))
}

/// Whether `pos` is the first word of its line: where a `}` was expected
/// and a new line goes on with something else, the block above it may have
/// been left open; in the middle of a line, that guess is beside the point.
fn starts_line(text: &str, pos: usize) -> bool {
    let head = text.get(..pos).unwrap_or("");
    let line = head.rsplit_once('\n').map_or(head, |(_, line)| line);
    line.chars()
        .all(|c| c == ' ' || c == '\t' || c == '\u{3000}')
}

/// The word `head` ends with: its characters back to the last space.
fn word_before(head: &str) -> &str {
    let len: usize = (head.chars().rev())
        .take_while(|c| !c.is_whitespace())
        .map(char::len_utf8)
        .sum();
    &head[head.len() - len..]
}

/// Where a pest error stands.
fn error_at(e: &Error<Rule>) -> usize {
    match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    }
}

/// A K0113 error when the word at `pos` is close to a keyword that may
/// begin one of the things expected there.
fn misspelt(text: &str, pos: usize, positives: &[Rule]) -> Option<Diagnostic> {
    let word_at = |start: usize| -> Option<(&str, Span)> {
        let rest = text.get(start..)?;
        let len: usize = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .map(char::len_utf8)
            .sum();
        let word = rest.get(..len).filter(|w| !w.is_empty())?;
        Some((word, Span::new(start, start + len)))
    };
    let expected: Vec<Rule> = positives
        .iter()
        .flat_map(|&r| {
            if keywords::is_word(r) {
                std::slice::from_ref(&r).to_vec()
            } else {
                starters(r).to_vec()
            }
        })
        .collect();
    let here = word_at(pos).and_then(|(word, at)| {
        let set = keywords::detect(text).unwrap_or(KeywordSet::of(word));
        let near = keywords::nearest(word, &expected, set);
        (!near.is_empty()).then_some((word, at, near))
    });
    // A misspelt word after a number is read as its unit (`扣 1 除了 x`),
    // and one after a name may end an expression: the error is then at the
    // next word, and the misspelling is the word before it.
    let before = || {
        let head = text.get(..pos)?.trim_end();
        let len: usize = head
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .map(char::len_utf8)
            .sum();
        let (word, at) = word_at(head.len() - len)?;
        let set = keywords::detect(text).unwrap_or(KeywordSet::of(word));
        let near = keywords::nearest(word, AFTER_A_VALUE, set);
        (!near.is_empty()).then_some((word, at, near))
    };
    let (word, at, nearest) = here.or_else(before)?;
    let meant = match nearest.as_slice() {
        [one] => one.to_string(),
        _ => {
            let quoted: Vec<Text> = nearest.iter().map(|w| t!("`{w}`", "“{w}”")).collect();
            let meant = list(&quoted);
            let d = messages::misspelt_one_of(word, meant, at);
            return Some(d);
        }
    };
    Some(messages::misspelt_keyword(word, meant, at))
}

/// A K0115 error when the text stops at the three digits after `N,`: a
/// number written with a thousands separator (`低于 2,000`), which kaohe
/// does not read (in a call, `max(1,000)` would be two arguments).
fn thousands(text: &str, pos: usize) -> Option<Diagnostic> {
    // The error is at the comma (after a condition) or after it (where a
    // `, at most` was tried).
    let rest = text.get(pos..)?;
    let pos = match rest.chars().next() {
        Some(c @ (',' | '，')) => pos + c.len_utf8(),
        _ => pos,
    };
    let head = text.get(..pos)?;
    let comma = head.strip_suffix(',').or_else(|| head.strip_suffix('，'))?;
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let before: String = comma
        .chars()
        .rev()
        .take_while(|&c| digit(c) || c == ',')
        .collect();
    let first: String = before.chars().rev().collect();
    let group: String = text.get(pos..)?.chars().take_while(|&c| digit(c)).collect();
    if first.is_empty() || group.chars().count() != 3 {
        return None;
    }
    let at = Span::new(comma.len(), pos);
    let joined = format!("{}{group}", first.replace(',', ""));
    Some(messages::thousands_in_number(&first, &group, &joined, at))
}

/// A K0101 error with its fix when the text stops inside `<>` or `=<`,
/// comparisons as a spreadsheet writes them (Excel's "not equal" and a
/// "less or equal" typed the other way round).
fn spreadsheet_operator(text: &str, pos: usize) -> Option<Diagnostic> {
    let at = Span::new(pos.checked_sub(1)?, pos + 1);
    let meant = match text.get(at.start..at.end)? {
        "<>" => "!=",
        "=<" => "<=",
        _ => return None,
    };
    Some(messages::spreadsheet_operator(
        text.get(at.start..at.end)?,
        meant,
        at,
    ))
}

/// The keywords that may follow a value in a clause.
const AFTER_A_VALUE: &[Rule] = &[
    Rule::kw_if,
    Rule::kw_unless,
    Rule::kw_per,
    Rule::kw_above,
    Rule::kw_below,
    Rule::kw_at_most,
    Rule::kw_and,
    Rule::kw_or,
    Rule::kw_then,
    Rule::kw_else,
    Rule::kw_to,
    Rule::kw_of,
];

/// The keywords that may begin a rule pest expected (for a misspelling).
fn starters(rule: Rule) -> &'static [Rule] {
    use Rule::*;
    match rule {
        item => &[kw_item],
        indicator => &[kw_indicator],
        level3 => &[kw_level3],
        level4 => &[kw_level4],
        section => &[kw_section],
        table_decl => &[kw_table],
        enum_decl => &[kw_enum],
        input_decl => &[kw_input],
        part => &[kw_part],
        meta | rule_meta | evidence_meta | authority_meta | responsible => {
            &[kw_rule, kw_evidence, kw_responsible, kw_authority]
        }
        lead_meta => &[kw_lead],
        supporting_meta => &[kw_supporting],
        attribution_decl | attribution_rule => &[kw_attribution],
        clause | deduct_clause | add_clause | veto_clause | exempt_clause => {
            &[kw_deduct, kw_add, kw_veto, kw_exempt]
        }
        item_kind | score_kind => &[kw_score, kw_deduction, kw_bonus, kw_veto],
        part_kind => &[kw_deduction, kw_bonus],
        condition => &[kw_if, kw_unless],
        gap => &[kw_above, kw_below],
        per_amount => &[kw_per],
        rounding => &[kw_whole, kw_continuous],
        cap | at_most => &[kw_at_most],
        input_opt => &[kw_optional, kw_default],
        bonus_cap => &[kw_bonus],
        deduction_cap => &[kw_deduction],
        year_decl => &[kw_year],
        language_decl => &[kw_language],
        total_decl => &[kw_total],
        pass_decl => &[kw_pass],
        fail_decl => &[kw_fail],
        grades_decl => &[kw_grades],
        result_decl => &[kw_result],
        grade_else => &[kw_else],
        pass_mark_rule => &[kw_pass_mark],
        payout_rule => &[kw_payout, kw_to],
        top_rule => &[kw_top],
        where_filter => &[kw_where],
        op_and => &[kw_and],
        op_or => &[kw_or],
        kw_then => &[kw_then],
        kw_else => &[kw_else],
        kw_to => &[kw_to],
        kw_of => &[kw_of],
        kw_in => &[kw_in],
        kw_from => &[kw_from],
        _ => &[],
    }
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

fn list(words: &[Text]) -> Text {
    match words {
        [] => t!("something else", "其他内容"),
        [one] => one.clone(),
        _ if words.len() > 8 => {
            let first = Text::join(words.get(..8).unwrap_or(words), ", ", "、");
            t!("{}, …", "{}等", first)
        }
        [init @ .., last] => {
            let init = Text::join(init, ", ", "、");
            t!("{} or {}", "{}或{}", init, last)
        }
    }
}

/// A grammar rule in words a spec author knows.
fn describe(rule: Rule) -> Text {
    use Rule::*;
    match rule {
        EOI => t!("the end of the file", "文件末尾"),
        ident => t!("a name", "名称"),
        label => t!("an id such as 6.2", "编号（如 6.2）"),
        string | string_body | cn_string_body | cn_single_body => {
            t!("a quoted text", "带引号的文本")
        }
        number | integer | quantity | signed_quantity => t!("a number", "数值"),
        unit => t!("a unit", "单位"),
        date => t!("a date (YYYY-MM-DD)", "日期（YYYY-MM-DD）"),
        expr | postfix_expr | op_not | op_neg | boolean | call | if_expr | match_expr
        | bands_expr => t!("a value", "取值"),
        punct_open => t!("`{{`", "“{{”"),
        punct_close => t!("`}}`", "“}}”"),
        punct_colon => t!("`:`", "“:”"),
        punct_comma => t!("`,`", "“,”"),
        punct_arrow => t!("`=>`", "“=>”"),
        punct_lparen => t!("`(`", "“(”"),
        punct_rparen => t!("`)`", "“)”"),
        punct_dot => t!("`.`", "“.”"),
        item => t!("`item`", "“考核事项”"),
        indicator => t!("`indicator`", "“二级指标”"),
        section => t!("`section`", "“一级指标”"),
        table_decl => t!("`table`", "“考核表”"),
        enum_decl => t!("`enum`", "“枚举”"),
        input_decl => t!("`input`", "“数据”"),
        meta | rule_meta | evidence_meta | authority_meta | responsible => t!(
            "an item detail (rule, evidence, responsible, authority)",
            "考核事项的说明（评分标准、材料要求、责任单位、认定单位）"
        ),
        item_kind | score_kind => t!(
            "the item's score or kind (score N, deduction, bonus, veto)",
            "考核事项的分值或类别（分值 N、扣分项、加分项、否决）"
        ),
        part => t!("`part`", "“分项”"),
        // A rule not yet written (issue 18).
        pending_decl | kw_pending => t!("`rule pending`", "“待写规则”"),
        clause | deduct_clause | add_clause | veto_clause | exempt_clause | extra_clause => t!(
            "a clause (deduct, add, extra, veto, exempt)",
            "评分子句（扣、加、超额加分、否决、免考核）"
        ),
        ceiling_rule => t!(
            "`within bonus ceiling` or `outside bonus ceiling`",
            "“计入加分上限”或“不计入加分上限”"
        ),
        amount | per_amount | each_amount => t!("an amount", "分数"),
        cap | at_most => t!("`at most`", "“最高”"),
        condition => t!("`if` or `unless`", "“若”或“除非”"),
        type_expr | scalar_type | list_type => t!(
            "a type (bool, count, number, rate, date, text, enum, list)",
            "类型（是否、计数、数值、比率、日期、文本、枚举、列表）"
        ),
        field_decl => t!("a field", "字段"),
        input_opt => t!("`optional` or `default`", "“可缺”或“缺省为”"),
        band => t!("a band such as `< 90% => 4`", "分档（如 `< 90% => 4`）"),
        bound | cmp_op => t!("a comparison (<, <=, >, >=, =)", "比较（<、<=、>、>=、=）"),
        match_arm => t!(
            "a match arm such as `\"A\" => 1`",
            "对应关系（如 `\"A\" => 1`）"
        ),
        op_or | op_and | op_le | op_ge | op_ne | op_lt | op_gt | op_eq | op_add | op_sub
        | op_mul | op_div => t!("an operator", "运算符"),
        _ => keyword_words(rule),
    }
}

/// A keyword or type word as written in each set; any other rule by its name.
fn keyword_words(rule: Rule) -> Text {
    let name = format!("{rule:?}");
    match name
        .strip_prefix("kw_")
        .or_else(|| name.strip_prefix("ty_"))
        .or_else(|| name.strip_prefix("ctx_"))
    {
        Some(word) => {
            let zh = super::keywords::spelling(rule, super::keywords::KeywordSet::Zh);
            Text::new(
                format!("`{}`", word.replace('_', " ")),
                format!("“{}”", zh.unwrap_or(word)),
            )
        }
        None => {
            let words = name.replace('_', " ");
            t!("{}", "{}", words)
        }
    }
}
