//! Positions between the language service and the protocol. The service
//! counts columns in UTF-16 units (the protocol's default); when the editor
//! offers UTF-8 (`general.positionEncodings`), a column is the bytes from
//! the start of the line instead.

use crate::service::{LineCol, LineIndex, Position, Range};
use lsp_types as lsp;

/// The column unit agreed with the editor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    pub fn kind(self) -> lsp::PositionEncodingKind {
        match self {
            Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        }
    }
}

/// A text and where its lines start, to map positions both ways.
pub struct Mapper<'a> {
    pub text: &'a str,
    pub lines: &'a LineIndex,
    pub encoding: Encoding,
}

impl Mapper<'_> {
    pub fn position(&self, p: Position) -> lsp::Position {
        match self.encoding {
            Encoding::Utf16 => lsp::Position::new(p.line, p.character),
            Encoding::Utf8 => {
                let start = self.lines.line_start(p.line).unwrap_or(0);
                let column = p.offset.saturating_sub(start);
                lsp::Position::new(p.line, u32::try_from(column).unwrap_or(u32::MAX))
            }
        }
    }

    pub fn range(&self, r: Range) -> lsp::Range {
        lsp::Range::new(self.position(r.start), self.position(r.end))
    }

    /// The byte offset of an editor's position; a column past the end of
    /// its line is the line's end, a line past the end the text's end.
    pub fn offset(&self, p: lsp::Position) -> usize {
        match self.encoding {
            Encoding::Utf16 => self.lines.offset(
                self.text,
                LineCol {
                    line: p.line,
                    character: p.character,
                },
            ),
            Encoding::Utf8 => {
                let Some(start) = self.lines.line_start(p.line) else {
                    return self.text.len();
                };
                let end = self
                    .lines
                    .line_start(p.line + 1)
                    .map_or(self.text.len(), |next| next - 1);
                let mut at = start.saturating_add(p.character as usize).min(end);
                while at > start && !self.text.is_char_boundary(at) {
                    at -= 1;
                }
                at
            }
        }
    }

    /// The position of a byte offset of this text.
    pub fn at(&self, offset: usize) -> lsp::Position {
        self.position(self.lines.position(self.text, offset))
    }
}

/// A text with `changes` applied in order, each range read in the text as
/// the changes before it left it; a change without a range replaces all.
pub fn apply(
    text: &str,
    changes: &[lsp::TextDocumentContentChangeEvent],
    encoding: Encoding,
) -> String {
    let mut text = text.to_string();
    for c in changes {
        match c.range {
            None => text.clone_from(&c.text),
            Some(r) => {
                let lines = LineIndex::new(&text);
                let m = Mapper {
                    text: &text,
                    lines: &lines,
                    encoding,
                };
                let start = m.offset(r.start);
                let end = m.offset(r.end).max(start);
                text.replace_range(start..end, &c.text);
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_on_a_chinese_line_in_both_encodings() {
        // 数据 is two UTF-16 units and six bytes.
        let text = "a\n数据 x: 数值\n";
        let lines = LineIndex::new(text);
        let x = text.find('x').unwrap_or(0);
        for (encoding, column) in [(Encoding::Utf16, 3), (Encoding::Utf8, 7)] {
            let m = Mapper {
                text,
                lines: &lines,
                encoding,
            };
            assert_eq!(m.at(x), lsp::Position::new(1, column));
            assert_eq!(m.offset(lsp::Position::new(1, column)), x);
        }
        // Inside a character (UTF-8): its start.
        let m = Mapper {
            text,
            lines: &lines,
            encoding: Encoding::Utf8,
        };
        assert_eq!(m.offset(lsp::Position::new(1, 4)), 5);
        let change = lsp::TextDocumentContentChangeEvent {
            range: Some(lsp::Range::new(
                lsp::Position::new(1, 7),
                lsp::Position::new(1, 8),
            )),
            range_length: None,
            text: "pm25".into(),
        };
        assert_eq!(
            apply(text, &[change], Encoding::Utf8),
            "a\n数据 pm25: 数值\n"
        );
    }
}
