//! Limits checked before pest runs, so that no spec can overflow the stack.
//!
//! pest, the AST builder, the checker and the evaluator all recurse on
//! nesting, so a spec of 10,000 nested brackets (or one expression of
//! 100,000 operators) would abort kaohe with a stack overflow. This scan is
//! one pass over the bytes, independent of the keywords: it measures bracket
//! nesting and the number of tokens in one stretch of text between two
//! strings, brackets included, which bounds how deep an expression can
//! nest: an `if … else if …` chain, an operator chain, and such chains
//! inside brackets inside chains (a bracket does not start a new stretch,
//! or 60 brackets of 2,000 terms each would nest 120,000 deep).

use super::messages;
use crate::diagnostic::Diagnostic;
use crate::source::Span;

/// The size of the largest spec kaohe reads (the 2024 table is 100 kB).
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// The deepest nesting of brackets and braces (the 2024 table needs 6).
pub const MAX_DEPTH: usize = 64;
/// The most tokens between two strings (the longest such stretch in the
/// repo's specs has 146; a clause of the 2024 table about 40). Every
/// nested expression kaohe builds from one stretch is at most this deep
/// (plus the brackets), which the checker and evaluator recurse through,
/// also on threads with a 2 MiB stack.
pub const MAX_STRETCH: usize = 1000;

/// The first limit the text exceeds, as a diagnostic.
pub fn check(text: &str) -> Option<Diagnostic> {
    if text.len() > MAX_BYTES {
        return Some(messages::too_large(text.len(), MAX_BYTES));
    }
    Scan::default().run(text).err()
}

#[derive(Default)]
struct Scan {
    /// Open brackets, innermost last: where each opened.
    open: Vec<usize>,
    /// Tokens since the last string or bracket, and where the first of them is.
    stretch: usize,
    stretch_start: usize,
}

impl Scan {
    fn run(mut self, text: &str) -> Result<(), Diagnostic> {
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut in_word = false;
        while let Some(&b) = bytes.get(i) {
            let word_byte = b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
            match b {
                b'"' => {
                    i = skip_string(bytes, i);
                    self.release();
                    in_word = false;
                    continue;
                }
                // A text in Chinese quotes, “…” (E2 80 9C … E2 80 9D) or ‘…’
                // (E2 80 98 … E2 80 99), ends a stretch as one in "…" does.
                0xE2 if bytes.get(i + 1) == Some(&0x80)
                    && matches!(bytes.get(i + 2), Some(0x9C | 0x98)) =>
                {
                    i = skip_cn_string(bytes, i);
                    self.release();
                    in_word = false;
                    continue;
                }
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    i = bytes
                        .get(i..)
                        .and_then(|rest| rest.iter().position(|&c| c == b'\n'))
                        .map_or(bytes.len(), |p| i + p);
                    in_word = false;
                    continue;
                }
                b'(' | b'{' | b'[' => self.open(text, i)?,
                b')' | b'}' | b']' => {
                    self.open.pop();
                }
                // The full-width brackets the grammar reads as `(` and `)`:
                // （ is EF BC 88 and ） is EF BC 89. Each is a token of its own.
                0xEF if bytes.get(i + 1) == Some(&0xBC)
                    && matches!(bytes.get(i + 2), Some(0x88 | 0x89)) =>
                {
                    if bytes.get(i + 2) == Some(&0x88) {
                        self.open(text, i)?;
                    } else {
                        self.open.pop();
                    }
                    in_word = false;
                    i += 3;
                    continue;
                }
                _ if b.is_ascii_whitespace() => {}
                _ if word_byte && in_word => {}
                _ => self.token(text, i)?,
            }
            in_word = word_byte;
            i += 1;
        }
        Ok(())
    }

    /// A bracket opens at `i`: `Err` with K0105 when too many are open.
    fn open(&mut self, text: &str, i: usize) -> Result<(), Diagnostic> {
        self.open.push(i);
        if self.open.len() > MAX_DEPTH {
            return Err(too_deep(text, i));
        }
        Ok(())
    }

    /// A token starts at `i`: `Err` with K0106 when its stretch is too long.
    fn token(&mut self, text: &str, i: usize) -> Result<(), Diagnostic> {
        if self.stretch == 0 {
            self.stretch_start = i;
        }
        self.stretch += 1;
        if self.stretch > MAX_STRETCH {
            return Err(too_long(text, self.stretch_start));
        }
        Ok(())
    }

    fn release(&mut self) {
        self.stretch = 0;
    }
}

/// The index just past the string that opens at `start` (or the end): the
/// next quote or backslash found by one search (memchr), not byte by byte.
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(rest) = bytes.get(i..) {
        let Some(p) = memchr::memchr2(b'"', b'\\', rest) else {
            break;
        };
        if rest.get(p) == Some(&b'\\') {
            i += p + 2;
        } else {
            return i + p + 1;
        }
    }
    bytes.len()
}

/// The index just past the text in Chinese quotes that opens at `start`:
/// past its closing quote (” for “, ’ for ‘), or at the end of its line,
/// where the grammar ends an unclosed text too. Searched (memchr) for the
/// line's end and the quotes' first byte, not byte by byte.
fn skip_cn_string(bytes: &[u8], start: usize) -> usize {
    let close = if bytes.get(start + 2) == Some(&0x9C) {
        0x9D
    } else {
        0x99
    };
    let mut i = start + 3;
    while let Some(rest) = bytes.get(i..) {
        let Some(p) = memchr::memchr2(b'\n', 0xE2, rest) else {
            break;
        };
        let at = i + p;
        if bytes.get(at) == Some(&b'\n') {
            return at;
        }
        if bytes.get(at + 1) == Some(&0x80) && bytes.get(at + 2) == Some(&close) {
            return at + 3;
        }
        i = at + 1;
    }
    bytes.len()
}

/// The span of the character at `at`.
fn char_at(text: &str, at: usize) -> Span {
    let len = text
        .get(at..)
        .and_then(|r| r.chars().next())
        .map_or(0, char::len_utf8);
    Span::new(at, at + len)
}

fn too_deep(text: &str, at: usize) -> Diagnostic {
    messages::too_deep(char_at(text, at))
}

fn too_long(text: &str, start: usize) -> Diagnostic {
    messages::too_long(char_at(text, start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    /// The searches (memchr) end a text where reading byte by byte did.
    #[test]
    fn texts_end_where_a_byte_by_byte_reading_ends_them() {
        fn by_byte(bytes: &[u8], start: usize) -> usize {
            let mut i = start + 1;
            while let Some(&b) = bytes.get(i) {
                match b {
                    b'\\' => i += 2,
                    b'"' => return i + 1,
                    _ => i += 1,
                }
            }
            bytes.len()
        }
        fn cn_by_byte(bytes: &[u8], start: usize) -> usize {
            let close = if bytes.get(start + 2) == Some(&0x9C) {
                0x9D
            } else {
                0x99
            };
            let mut i = start + 3;
            while let Some(&b) = bytes.get(i) {
                match b {
                    b'\n' => return i,
                    0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&close) => {
                        return i + 3;
                    }
                    _ => i += 1,
                }
            }
            bytes.len()
        }
        let pieces = ["a", "\\", "\"", "\n", "“", "”", "‘", "’", "—", "扣", " "];
        let mut texts = Vec::new();
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in pieces {
                        texts.push(format!("{a}{b}{c}{d}"));
                    }
                }
            }
        }
        for body in &texts {
            for open in ["\"", "“", "‘"] {
                let text = format!("{open}{body}");
                let bytes = text.as_bytes();
                if open == "\"" {
                    assert_eq!(skip_string(bytes, 0), by_byte(bytes, 0), "{text:?}");
                } else {
                    assert_eq!(skip_cn_string(bytes, 0), cn_by_byte(bytes, 0), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn the_2024_table_is_within_every_limit() {
        let text = include_str!("../../specs/liucheng-2024.kh");
        assert!(check(text).is_none());
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let text = format!("\"{}\" // {}\n", "(".repeat(100), "{".repeat(100));
        assert!(check(&text).is_none());
    }

    #[test]
    fn texts_in_chinese_quotes_end_a_stretch_and_hide_their_brackets() {
        // A spec typed with a Chinese input method quotes every text “…”:
        // 600 clauses of a few tokens each are 600 stretches, not one of 3,000.
        let clauses = vec!["扣 1 若 x > 2 “（说明（1）”"; 600].join("\n");
        assert!(check(&clauses).is_none());
        let single = vec!["扣 1 若 x > 2 ‘说明’"; 600].join("\n");
        assert!(check(&single).is_none());
        // An unclosed text ends at its line; the next line counts again.
        let open = format!("“说明\n{}", vec!["if x then 1 else"; 2000].join(" "));
        assert_eq!(check(&open).map(|d| d.code), Some(Code::TooLong));
    }

    #[test]
    fn deep_brackets_long_expressions_and_large_files_are_refused() {
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert_eq!(check(&deep).map(|d| d.code), Some(Code::TooDeep));
        let deep = format!("{}1{}", "（".repeat(10_000), "）".repeat(10_000));
        assert_eq!(check(&deep).map(|d| d.code), Some(Code::TooDeep));
        let deep = format!("x {}1{}", "（（ ".repeat(5_000), "）".repeat(10_000));
        assert_eq!(check(&deep).map(|d| d.code), Some(Code::TooDeep));
        let long = vec!["if x then 1 else"; 2000].join(" ");
        assert_eq!(check(&long).map(|d| d.code), Some(Code::TooLong));
        // Brackets do not start a new stretch: 60 bracketed chains of 30
        // terms nest as deep as one chain of 1,800.
        let mut nested = "1".to_string();
        for _ in 0..60 {
            nested = format!("({nested} {})", "+ 1 ".repeat(30));
        }
        assert_eq!(check(&nested).map(|d| d.code), Some(Code::TooLong));
        let large = " ".repeat(MAX_BYTES + 1);
        assert_eq!(check(&large).map(|d| d.code), Some(Code::TooLarge));
    }
}
