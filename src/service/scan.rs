//! Reading a spec's text without parsing it, for the answers given while
//! the text does not parse: which characters are code, with quoted texts
//! (`"…"`, `“…”`, `‘…’`) and `//` comments passed over.

use std::iter::Peekable;
use std::str::CharIndices;

/// The characters of a text that are code, with their byte offsets.
pub(super) struct Code<'a> {
    chars: Peekable<CharIndices<'a>>,
    /// The character that ends the text or comment we are in, if any.
    close: Option<char>,
}

impl<'a> Code<'a> {
    pub(super) fn new(text: &'a str) -> Code<'a> {
        Code {
            chars: text.char_indices().peekable(),
            close: None,
        }
    }

    /// Whether the characters read so far end inside a text or a comment.
    pub(super) fn inside(&self) -> bool {
        self.close.is_some()
    }

    /// Reads one character that is not code; `\` escapes in `"…"`.
    fn skip(&mut self, close: char, c: char) {
        match c {
            '\\' if close == '"' => {
                self.chars.next();
            }
            c if c == close => self.close = None,
            _ => {}
        }
    }
}

impl Iterator for Code<'_> {
    type Item = (usize, char);

    fn next(&mut self) -> Option<(usize, char)> {
        while let Some((i, c)) = self.chars.next() {
            if let Some(close) = self.close {
                self.skip(close, c);
                continue;
            }
            self.close = match c {
                '"' => Some('"'),
                '“' => Some('”'),
                '‘' => Some('’'),
                '/' if self.chars.peek().map(|p| p.1) == Some('/') => Some('\n'),
                _ => return Some((i, c)),
            };
        }
        None
    }
}

/// Whether the end of `line` is inside a quoted text or a comment.
pub(super) fn in_text_or_comment(line: &str) -> bool {
    let mut code = Code::new(line);
    code.by_ref().for_each(drop);
    code.inside()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_and_comments_are_not_code() {
        let text = "a \"b\\\"{\" “c{” ‘d’ e // f {\ng";
        let code: String = Code::new(text).map(|(_, c)| c).collect();
        assert_eq!(code, "a    e g");
        assert!(in_text_or_comment("x \"abc"));
        assert!(in_text_or_comment("x // c"));
        assert!(in_text_or_comment("x “abc"));
        assert!(!in_text_or_comment("x \"abc\" y"));
        assert_eq!(Code::new("“{”{").next(), Some((7, '{')));
    }
}
