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

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::t;
use std::borrow::Cow;

/// Whether a character is one of the full-width ASCII forms (U+FF01–U+FF5E).
fn is_full_width(c: char) -> bool {
    ('\u{FF01}'..='\u{FF5E}').contains(&c)
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

/// A K0111 error for a name or unit written with full-width letters or
/// digits, which would be another name than the half-width one.
pub fn in_name(word: &str, at: Span) -> Option<Diagnostic> {
    let (offset, c) = word
        .char_indices()
        .find(|&(_, c)| is_full_width(c) && c.is_alphanumeric())?;
    let half = to_ascii(word);
    let half_c = half_width(c).unwrap_or(c);
    let start = at.start + offset;
    Some(
        Diagnostic::new(
            Code::FullWidth,
            t!(
                "the name `{word}` has the full-width character `{c}` in it",
                "名称“{word}”中有全角字符“{c}”"
            ),
        )
        .at(
            Span::new(start, start + c.len_utf8()),
            t!(
                "full-width `{c}`: write the half-width `{half_c}`",
                "全角“{c}”：应写半角“{half_c}”"
            ),
        )
        .with_help(t!(
            "names are written with half-width letters and digits: write `{half}` (switch the input method to half-width, or to English)",
            "名称中的字母和数字应为半角：写作“{half}”（把输入法切换到半角或英文）"
        ))
        .with_fix(at, half.into_owned()),
    )
}

/// What is wrong with a character outside texts and comments, and the
/// replacement that repairs it, for the characters the grammar refuses.
fn refused(c: char, prev: Option<char>, next: Option<char>) -> Option<Refusal> {
    let digit =
        |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    Some(match c {
        // Accepted by the grammar as their ASCII meaning.
        '，' | '：' | '（' | '）' | '．' | '－' | '％' | '０'..='９' => return None,
        '。' if digit(prev) && digit(next) => return None,
        '；' | '。' => Refusal::Delete,
        '【' | '】' | '〔' | '〕' | '「' | '」' | '『' | '』' | '《' | '》' => {
            Refusal::Quote
        }
        _ if is_full_width(c) => Refusal::Half(half_width(c).unwrap_or(c)),
        _ => return None,
    })
}

enum Refusal {
    /// Write this half-width character instead.
    Half(char),
    /// A mark with no meaning in a spec: delete it.
    Delete,
    /// A bracket used as quotes: write a quote.
    Quote,
}

/// Every full-width character outside texts and comments that the grammar
/// refuses (K0111), and every text closed by a quote of another kind than
/// the one it opens with (K0113). Run when a spec fails to parse.
pub fn scan(text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        scan_line(line, offset, &mut out);
        offset += line.len();
    }
    out
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
                        out.push(mismatch(offset + i, c, offset + j, d, close));
                    }
                    return;
                }
                prev = Some(close);
                continue;
            }
            _ => {}
        }
        let next = chars.peek().map(|&(_, n)| n);
        if let Some(r) = refused(c, prev, next) {
            out.push(refusal(offset + i, c, r));
        }
        prev = Some(c);
    }
}

fn refusal(at: usize, c: char, r: Refusal) -> Diagnostic {
    let span = Span::new(at, at + c.len_utf8());
    let d = Diagnostic::new(
        Code::FullWidth,
        t!(
            "the full-width character `{c}` cannot be read here",
            "此处不能使用全角字符“{c}”"
        ),
    );
    match r {
        Refusal::Half(h) => d
            .at(
                span,
                t!(
                    "full-width `{c}`: write the half-width `{h}`",
                    "全角“{c}”：应写半角“{h}”"
                ),
            )
            .with_help(t!(
                "outside texts, kaohe reads only the half-width `{h}`: replace `{c}` with it (switch the input method to half-width, or to English)",
                "在文本以外，kaohe 只认半角“{h}”：请把“{c}”换成“{h}”（把输入法切换到半角或英文）"
            ))
            .with_fix(span, h.to_string()),
        Refusal::Delete => d
            .at(
                span,
                t!(
                    "full-width `{c}`: there is no half-width form to write; delete it",
                    "全角“{c}”：规则中没有对应的半角符号，应删去"
                ),
            )
            .with_help(t!(
                "a spec has no sentence marks: a clause ends at the end of its line, and a decimal point is written `.` (`。` is read as one only between two digits)",
                "规则中不用句读符号：子句写到行尾即结束；小数点写作“.”（“。”只在两个数字之间才当作小数点）"
            ))
            .with_fix(span, ""),
        Refusal::Quote => d
            .at(
                span,
                t!(
                    "full-width `{c}`: a text is quoted with the half-width `\"`",
                    "全角“{c}”：文本应放在半角引号“\"”之间"
                ),
            )
            .with_help(t!(
                "write a text between quotes, \"…\" or “…”; brackets such as `{c}` may stand inside a text",
                "文本写在引号之间，如 \"…\" 或 “…”；“{c}”这类括号可以写在文本之内"
            ))
            .with_fix(span, "\""),
    }
}

fn mismatch(open_at: usize, open: char, close_at: usize, found: char, close: char) -> Diagnostic {
    let close_span = Span::new(close_at, close_at + found.len_utf8());
    let (kind_en, kind_zh) = if found == '"' {
        ("half-width", "半角")
    } else {
        ("full-width", "全角")
    };
    Diagnostic::new(
        Code::MismatchedQuote,
        t!(
            "this text opens with `{open}` but closes with the {kind_en} `{found}`",
            "此处文本以 {open} 开始，却以{kind_zh}的 {found} 结束"
        ),
    )
    .at(
        close_span,
        t!(
            "{kind_en} `{found}`: write `{close}` to close a text opened with `{open}`",
            "{kind_zh} {found}：以 {open} 开始的文本应以 {close} 结束"
        ),
    )
    .with_label(
        Span::new(open_at, open_at + open.len_utf8()),
        t!("the text opens here", "文本从此处开始"),
    )
    .with_help(t!(
        "close a text with the quote that matches its opening one: \"…\", “…” or ‘…’",
        "文本的前后引号须成对：\"…\" 或 “…” 或 ‘…’"
    ))
    .with_fix(close_span, close.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_forms_read_as_ascii() {
        assert_eq!(to_ascii("０．５"), "0.5");
        assert_eq!(to_ascii("１。２５"), "1.25");
        assert_eq!(to_ascii("２０２４－０５－３１"), "2024-05-31");
        assert_eq!(to_ascii("９０％"), "90%");
        assert!(matches!(to_ascii("μg/m³"), Cow::Borrowed(_)));
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
