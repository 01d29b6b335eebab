//! Positions in a text as editors count them: byte offsets, and lines and
//! columns from 0, the column in UTF-16 code units (what the Language Server
//! Protocol and JavaScript count). A Chinese character is one unit, a
//! character outside the Basic Multilingual Plane (𠀀, an emoji) two.

use crate::source::Span;
use serde::{Deserialize, Serialize};

/// A place in the text: its byte offset, its line (from 0) and its column
/// (from 0, in UTF-16 code units).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    pub offset: usize,
    pub line: u32,
    pub character: u32,
}

impl Position {
    /// The line and column, without the offset: what an editor sends back.
    pub fn line_col(&self) -> LineCol {
        LineCol {
            line: self.line,
            character: self.character,
        }
    }
}

/// A stretch of the text, from `start` up to (not including) `end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

impl Range {
    /// The byte span of the range.
    pub fn span(&self) -> Span {
        Span::new(self.start.offset, self.end.offset)
    }
}

/// A line and a UTF-16 column, both from 0, as an editor sends them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LineCol {
    pub line: u32,
    pub character: u32,
}

/// Where each line of a text begins, to turn offsets into positions and back.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the start of each line; the first is 0.
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// How many lines the text has (a text ending in a newline has an empty
    /// last line).
    pub fn lines(&self) -> usize {
        self.starts.len()
    }

    /// The byte offset where line `line` begins.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        self.starts.get(line as usize).copied()
    }

    /// The position of a byte offset; an offset past the end, or inside a
    /// character, is taken back to the nearest character start before it.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(self.len);
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let character = text
            .get(start..offset)
            .map_or(0, |s| s.chars().map(char::len_utf16).sum::<usize>());
        Position {
            offset,
            line: line as u32,
            character: character as u32,
        }
    }

    /// The range of a byte span.
    pub fn range(&self, text: &str, span: Span) -> Range {
        Range {
            start: self.position(text, span.start),
            end: self.position(text, span.end.max(span.start)),
        }
    }

    /// The byte offset of a line and UTF-16 column; a column past the end of
    /// its line is the line's end, a line past the end is the text's end, a
    /// column inside a character outside the BMP is that character's start.
    pub fn offset(&self, text: &str, at: LineCol) -> usize {
        let Some(start) = self.line_start(at.line) else {
            return self.len;
        };
        let end = self
            .line_start(at.line + 1)
            .map_or(self.len, |next| next - 1);
        let line = text.get(start..end).unwrap_or("");
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut units = 0;
        for (i, c) in line.char_indices() {
            units += c.len_utf16();
            if units > at.character as usize {
                return start + i;
            }
        }
        start + line.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        // 扣 is one UTF-16 unit (3 bytes); 𠀀 two (4 bytes).
        let text = "ab\n扣 x\n𠀀y\n";
        let ix = LineIndex::new(text);
        let at = |o| {
            let p = ix.position(text, o);
            (p.line, p.character)
        };
        assert_eq!(at(0), (0, 0));
        assert_eq!(at(3), (1, 0));
        assert_eq!(at(6), (1, 1));
        assert_eq!(at(7), (1, 2));
        assert_eq!(at(9), (2, 0));
        assert_eq!(at(13), (2, 2), "after 𠀀: two units");
        assert_eq!(at(14), (2, 3));
        assert_eq!(at(11), (2, 0), "inside 𠀀: its start");
        assert_eq!(at(99), (3, 0), "past the end: the end");
        for o in [0, 3, 6, 7, 9, 13, 14, 15] {
            let p = ix.position(text, o);
            let lc = LineCol {
                line: p.line,
                character: p.character,
            };
            assert_eq!(ix.offset(text, lc), o);
        }
        let past = LineCol {
            line: 1,
            character: 99,
        };
        assert_eq!(ix.offset(text, past), 8);
        let gone = LineCol {
            line: 9,
            character: 0,
        };
        assert_eq!(ix.offset(text, gone), text.len());
    }
}
