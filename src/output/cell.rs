//! What a spreadsheet cell holds: text cut to its limit, and the width
//! a column needs for a text.

use std::borrow::Cow;

/// The most characters an Excel cell holds.
pub const CELL_CHARS: usize = 32_767;

/// A text as a cell holds it: beyond [`CELL_CHARS`] characters it is cut,
/// with a note of how long it was (the JSON and CSV reports have it whole).
pub fn cell_text(s: &str) -> Cow<'_, str> {
    let n = s.chars().count();
    if n <= CELL_CHARS {
        return Cow::Borrowed(s);
    }
    let note = format!(" …[截断/truncated: {n} characters; see the csv or json report]");
    let keep = CELL_CHARS - note.chars().count();
    let mut out: String = s.chars().take(keep).collect();
    out.push_str(&note);
    Cow::Owned(out)
}

/// Display width: CJK characters take two columns.
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) < 0x1100 { 1 } else { 2 })
        .sum()
}
