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

/// A new workbook, as every workbook kaohe writes starts: its creation
/// time fixed (2000-01-01, the properties' "created" and "modified"), so
/// that the same inputs give the same bytes — a report downloaded from
/// `kaohe serve` is the file `kaohe eval -o` writes, and a workbook can be
/// compared or hashed from one run to the next. (The library would record
/// the moment of writing, which tells a reader nothing the file's own
/// date does not.)
pub fn workbook() -> rust_xlsxwriter::Workbook {
    let mut book = rust_xlsxwriter::Workbook::new();
    if let Ok(fixed) = rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1) {
        book.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&fixed));
    }
    book
}
