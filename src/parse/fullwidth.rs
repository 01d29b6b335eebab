//! Full-width characters, as a Chinese input method types them.
//!
//! The grammar accepts the full-width forms of the punctuation a spec uses
//! (，：（）．－ and 、 between list entries), full-width digits, the
//! ideographic space, `％` and texts quoted “…” or ‘…’, each as its ASCII
//! meaning; `to_ascii` gives a token's ASCII form (for numbers, dates, ids
//! and units, and for `kaohe fmt`). Every other full-width character outside
//! a text or comment is refused with K0111, naming it and the half-width
//! character to write, with a fix; a text that opens with one kind of quote
//! and closes with another is refused with K0113.

use super::messages;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use std::borrow::Cow;

/// Whether a character is one of the full-width ASCII forms (U+FF01–U+FF5E).
fn is_full_width(c: char) -> bool {
    ('\u{FF01}'..='\u{FF5E}').contains(&c)
}

/// Whether a character looks like a space but is another one (a no-break
/// space, as Word and web pages write before a number; an en, em or thin
/// space): refused outside texts (K0117), where only the ordinary space,
/// the tab and the ideographic space (U+3000) separate words.
pub fn is_other_space(c: char) -> bool {
    matches!(
        c,
        '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}'
    )
}

/// The ASCII character a full-width one stands for, if any.
pub fn half_width(c: char) -> Option<char> {
    match c {
        _ if is_full_width(c) => char::from_u32(c as u32 - 0xFEE0),
        '。' => Some('.'),
        '、' => Some(','),
        '\u{3000}' => Some(' '),
        _ => None,
    }
}

/// A token's text with every full-width character replaced by its ASCII
/// form; borrowed as it is when it has none (the common case).
pub fn to_ascii(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || !text.chars().any(|c| half_width(c).is_some()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| half_width(c).unwrap_or(c)).collect())
}

/// An id (label) as written, its full-width digits, letters, points and
/// brackets in ASCII; 、 is kept (一、 is an id as tables write it, where
/// elsewhere it is a comma).
pub fn label_ascii(text: &str) -> Cow<'_, str> {
    let convert = |c: char| if c == '、' { None } else { half_width(c) };
    if text.is_ascii() || !text.chars().any(|c| convert(c).is_some()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| convert(c).unwrap_or(c)).collect())
}

/// An id's key, by which ids of one level are told apart: the id without
/// a trailing 、 or point (一、 and 一 are one key, 1. and 1 another), its
/// brackets kept ((一) is not 一).
pub fn label_key(label: &str) -> &str {
    label.trim_end_matches(['、', '.'])
}

/// A K0111 error for a name or unit written with full-width letters or
/// digits, which would be another name than the half-width one.
pub fn in_name(word: &str, at: Span) -> Option<Diagnostic> {
    let (offset, c) = word
        .char_indices()
        .find(|&(_, c)| is_full_width(c) && c.is_alphanumeric())?;
    let half = to_ascii(word);
    let half_c = half_width(c).unwrap_or(c);
    let start = at.start + offset;
    Some(messages::full_width_in_name(
        word,
        c,
        half_c,
        &half,
        Span::new(start, start + c.len_utf8()),
        at,
    ))
}

/// What is wrong with a character outside texts and comments, and the
/// replacement that repairs it, for the characters the grammar refuses;
/// `after` is the next character that is not a space.
fn refused(
    c: char,
    prev: Option<char>,
    next: Option<char>,
    after: Option<char>,
) -> Option<Refusal> {
    let digit =
        |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    // Before a number or `=`, `《` and `》` are `<` and `>` as a Chinese input
    // method types them with its punctuation on, not a title's brackets.
    let compared = digit(after) || matches!(after, Some('=' | '＝' | '-' | '－'));
    Some(match c {
        // Accepted by the grammar as their ASCII meaning.
        '，' | '：' | '（' | '）' | '．' | '－' | '％' | '０'..='９' => return None,
        '。' if digit(prev) && digit(next) => return None,
        '；' | '。' => Refusal::Delete,
        '《' if compared => Refusal::Compare('<', next.filter(|&n| n == '=')),
        '》' if compared => Refusal::Compare('>', next.filter(|&n| n == '=')),
        '【' | '】' | '〔' | '〕' | '「' | '」' | '『' | '』' | '《' | '》' => {
            Refusal::Quote
        }
        _ if is_full_width(c) => Refusal::Half(half_width(c).unwrap_or(c)),
        _ => return None,
    })
}

pub(super) enum Refusal {
    /// Write this half-width character instead.
    Half(char),
    /// A mark with no meaning in a spec: delete it.
    Delete,
    /// A bracket used as quotes: write a quote.
    Quote,
    /// `《` or `》` typed for `<` or `>`: write that, with the `=` right
    /// after it when there is one (`《=` is `<=`).
    Compare(char, Option<char>),
}

/// Every full-width character outside texts and comments that the grammar
/// refuses (K0111), every character there that shows nothing (K0116), and
/// every text closed by a quote of another kind than the one it opens with
/// (K0112). Run when a spec fails to parse.
pub fn scan(text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // A byte order mark opening the file is how Notepad saves UTF-8: read past.
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut offset = text.len() - body.len();
    for line in body.split_inclusive('\n') {
        scan_line(line, offset, &mut out);
        offset += line.len();
    }
    out
}

/// `text` with each full-width character of `marks` (K0111) replaced as
/// its fix writes it, padded with spaces to its length so that every
/// offset stays; `None` when there is none to replace.
pub fn repaired(text: &str, marks: &[Diagnostic]) -> Option<String> {
    let mut out = text.to_string();
    let mut any = false;
    for d in marks.iter().filter(|d| d.code == Code::FullWidth) {
        for fix in &d.fixes {
            let width = fix.span.end.saturating_sub(fix.span.start);
            if fix.replacement.len() > width || out.get(fix.span.start..fix.span.end).is_none() {
                continue;
            }
            let padded = format!("{:width$}", fix.replacement);
            out.replace_range(fix.span.start..fix.span.end, &padded);
            any = true;
        }
    }
    any.then_some(out)
}

fn scan_line(line: &str, offset: usize, out: &mut Vec<Diagnostic>) {
    let mut chars = line.char_indices().peekable();
    let mut prev: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        match c {
            '/' if line.get(i..).is_some_and(|r| r.starts_with("//")) => return,
            '"' | '“' | '‘' => {
                let close = match c {
                    '"' => '"',
                    '“' => '”',
                    _ => '’',
                };
                // Read to the closing quote; a quote of another kind that
                // ends the line's text is a mismatch.
                let mut closed = false;
                let mut last_other: Option<(usize, char)> = None;
                while let Some((j, d)) = chars.next() {
                    if c == '"' && d == '\\' {
                        chars.next();
                        continue;
                    }
                    if d == close {
                        closed = true;
                        break;
                    }
                    if matches!(d, '"' | '”' | '’') && d != close {
                        last_other = Some((j, d));
                    }
                }
                if !closed {
                    if let Some((j, d)) = last_other {
                        out.push(messages::mismatched_quote(
                            offset + i,
                            c,
                            offset + j,
                            d,
                            close,
                        ));
                    }
                    return;
                }
                prev = Some(close);
                continue;
            }
            _ => {}
        }
        let next = chars.peek().map(|&(_, n)| n);
        if crate::escape::is_invisible(c) {
            out.push(messages::invisible(offset + i, c));
            continue;
        }
        if is_other_space(c) {
            out.push(messages::other_space(offset + i, c));
            continue;
        }
        let rest = line.get(i + c.len_utf8()..).unwrap_or_default();
        let after = rest
            .trim_start_matches([' ', '\t', '\u{3000}'])
            .chars()
            .next();
        if let Some(r) = refused(c, prev, next, after) {
            out.push(messages::full_width_refused(offset + i, c, r));
        }
        prev = Some(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repair_keeps_every_offset_and_touches_only_refused_marks() {
        let text = "扣 1 若 a ＝ 2；\n一级指标 1 \"甲\" ｛ // ｛\n  x\u{200b}y【z】\n";
        let marks = scan(text);
        let fixed = repaired(text, &marks).unwrap();
        assert_eq!(fixed.len(), text.len());
        assert_eq!(
            fixed,
            "扣 1 若 a =   2   \n一级指标 1 \"甲\" {   // ｛\n  x\u{200b}y\"  z\"  \n"
        );
        // Nothing refused, nothing to repair: an invisible character is
        // left to its own message (a space in its place would split a word).
        assert!(repaired("总分 1\u{200b}00", &scan("总分 1\u{200b}00")).is_none());
    }

    /// `《` and `》` before a number or `=` are `<` and `>` as an input
    /// method types them (`《=` is repaired whole to `<=`); around a title
    /// they are brackets, to be quoted.
    #[test]
    fn angle_quotes_before_a_number_are_comparisons() {
        let fixed = |text: &str| {
            let marks = scan(text);
            (
                repaired(text, &marks).unwrap(),
                marks[0].labels[0].message.en.clone(),
            )
        };
        let (text, said) = fixed("扣 1 若 a 《 90%");
        assert_eq!(
            (text.as_str(), said.contains("comparison")),
            ("扣 1 若 a <   90%", true)
        );
        assert_eq!(fixed("扣 1 若 a 》=2").0, "扣 1 若 a >=  2");
        assert_eq!(fixed("扣 1 若 a》-1").0, "扣 1 若 a>  -1");
        let (text, said) = fixed("依据 《通知》");
        assert_eq!(
            (text.as_str(), said.contains("quoted")),
            ("依据 \"  通知\"  ", true)
        );
    }

    #[test]
    fn other_spaces_are_refused_with_an_ordinary_space_as_their_fix() {
        for c in ['\u{a0}', '\u{2002}', '\u{2009}', '\u{202f}'] {
            let text = format!("总分{c}100 \"a{c}b\" // c{c}d");
            let found: Vec<(Code, usize, String)> = scan(&text)
                .into_iter()
                .map(|d| {
                    (
                        d.code,
                        d.fixes[0].span.start,
                        d.fixes[0].replacement.clone(),
                    )
                })
                .collect();
            assert_eq!(found, [(Code::OtherSpace, 6, " ".to_string())], "{c:?}");
        }
        assert!(scan("总分\u{3000}100").is_empty());
    }

    #[test]
    fn full_width_forms_read_as_ascii() {
        assert_eq!(to_ascii("０．５"), "0.5");
        assert_eq!(to_ascii("１。２５"), "1.25");
        assert_eq!(to_ascii("２０２４－０５－３１"), "2024-05-31");
        assert_eq!(to_ascii("９０％"), "90%");
        assert!(matches!(to_ascii("μg/m³"), Cow::Borrowed(_)));
    }

    #[test]
    fn invisible_characters_are_refused_but_a_leading_byte_order_mark() {
        let found = |t: &str| -> Vec<(Code, usize)> {
            scan(t)
                .into_iter()
                .map(|d| (d.code, d.fixes[0].span.start))
                .collect()
        };
        assert_eq!(found("\u{feff}扣 1"), []);
        assert_eq!(found("扣\u{200b} 1 // a\u{200b}b"), [(Code::Invisible, 3)]);
        assert_eq!(
            found("x \u{feff}\u{ad}"),
            [(Code::Invisible, 2), (Code::Invisible, 5)]
        );
        assert_eq!(found("\"a\u{200b}\" “b\u{2060}”"), []);
    }

    #[test]
    fn refused_characters_are_named_with_their_fix() {
        let codes = |t: &str| -> Vec<(Code, String)> {
            scan(t)
                .into_iter()
                .map(|d| (d.code, d.fixes[0].replacement.clone()))
                .collect()
        };
        assert_eq!(
            codes("扣 1 若 a ＝ 1；"),
            [
                (Code::FullWidth, "=".into()),
                (Code::FullWidth, String::new())
            ]
        );
        assert_eq!(
            codes("扣 1 若 【a】"),
            [
                (Code::FullWidth, "\"".into()),
                (Code::FullWidth, "\"".into())
            ]
        );
        assert!(codes("扣 0。5 若 a，b：（c）－１ \"＝；\" // ＝").is_empty());
        assert_eq!(
            codes("评分标准 “甲\""),
            [(Code::MismatchedQuote, "”".into())]
        );
        assert_eq!(
            codes("评分标准 \"甲”"),
            [(Code::MismatchedQuote, "\"".into())]
        );
        assert!(codes("评分标准 \"他说“好”\"").is_empty());
    }

    #[test]
    fn a_fix_is_in_the_json_rendering() {
        use crate::diagnostic::{Lang, render};
        use crate::source::Source;
        let text = "扣 1 若 a ＝ 1\n";
        let d = scan(text).remove(0);
        let source = Source::new("a.kh".to_string(), text.to_string());
        let json = render::to_json(&d, Some(&source), Lang::Zh);
        assert_eq!(json["code"], "K0111");
        assert_eq!(json["fixes"][0]["replacement"], "=");
        assert_eq!(json["fixes"][0]["line"], 1);
        assert_eq!(json["fixes"][0]["column"], 9);
        assert_eq!(json["fixes"][0]["end_column"], 10);
    }
}
