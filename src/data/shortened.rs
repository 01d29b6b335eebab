//! An id that Excel has shortened: a long number code (a unified social
//! credit code, an ID card number, a village's 12-digit code) typed into a
//! General cell is kept as a number, of which Excel keeps 15 digits. A
//! workbook then holds a number of 16 or more digits whose last ones are
//! zeros, and a CSV file saved from it holds the code as Excel shows it,
//! in scientific notation (`4.50221E+17`). Either way the unit can no
//! longer be told by its id, so its row is refused with K0516 rather than
//! scored under a code that is not its own.
//!
//! A JSON entity's id is held to the same rule ([`of_json`]): a JSON file
//! made from such a sheet, or by a program that kept the codes as numbers
//! (JavaScript keeps 15 to 17 digits of a number, as pandas does), has the
//! same lost digits, and a code written as a text in quotes has none.

use crate::data::Cell;
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::t;

/// How an id cell shows that Excel has shortened it.
#[derive(Debug, PartialEq)]
pub(super) enum Shortened {
    /// Text in scientific notation, as Excel shows a long number.
    Shown,
    /// A number cell of more than 15 digits before its point.
    Number,
    /// A JSON number in scientific notation (`4.50221199001011e17`), as a
    /// program writes a code it kept as a floating-point number.
    Exponent,
}

/// How the id cell `cell` was shortened by Excel; `None` when it was not.
pub(super) fn shortened(cell: Option<Cell>) -> Option<Shortened> {
    match cell? {
        Cell::Text(s) if shown_by_excel(s.trim()) => Some(Shortened::Shown),
        Cell::Number(n) if whole_digits(n) > 15 => Some(Shortened::Number),
        _ => None,
    }
}

/// How a JSON entity's id, `id` as written, was shortened: `number` when
/// it was written as a JSON number, not a text in quotes.
pub(super) fn of_json(id: &str, number: bool) -> Option<Shortened> {
    if !number {
        return shown_by_excel(id.trim()).then_some(Shortened::Shown);
    }
    if id.contains(['e', 'E']) {
        Some(Shortened::Exponent)
    } else {
        (whole_digits(id) > 15).then_some(Shortened::Number)
    }
}

/// The refusal of JSON entity `id`, whose id was shortened as `how` says.
pub(super) fn refused_entity(id: &str, how: Shortened) -> Diagnostic {
    let message = match how {
        Shortened::Shown => t!(
            "entity \"{id}\": the id is a long number code as Excel shows it, in scientific notation: its last digits are lost, so it cannot tell which unit this is; the entity was not scored",
            "被考核单位“{id}”：id 是 Excel 用科学计数法显示的长数字编码，后几位已经丢失，无法据此认出是哪个单位；该单位未计分"
        ),
        Shortened::Number => t!(
            "entity {id}: the id is a number of {} digits, and a long code kept as a number keeps only its first 15 to 17 digits (in Excel, JavaScript and most programs), so it may not be this unit's code; the entity was not scored",
            "被考核单位 {id}：id 是 {} 位的数字，而长编码作为数字保存时只保留前 15 至 17 位（Excel、JavaScript 和多数程序都是如此），它可能已不是该单位的编码；该单位未计分",
            whole_digits(id)
        ),
        Shortened::Exponent => t!(
            "entity {id}: the id is a number in scientific notation, as a program writes a code it kept as a floating-point number: its last digits are lost, so it cannot tell which unit this is; the entity was not scored",
            "被考核单位 {id}：id 是用科学计数法写的数字，这是程序把编码当作浮点数保存后写出的样子，后几位已经丢失，无法据此认出是哪个单位；该单位未计分"
        ),
    };
    Diagnostic::new(Code::IdShortened, message).with_help(t!(
        "write each id as a text in quotes, \"id\": \"450221199001011234\", taken from a column kept as text (in Excel: set the id column's cell format to Text and type the full codes again)",
        "请把每个 id 写成带引号的文本，如 \"id\": \"450221199001011234\"，并取自按文本保存的列（在 Excel 中：将 id 列的单元格格式设为“文本”，再重新填入完整编码）"
    ))
}

/// The refusal of row `n` of the table at `place`, whose id `id` Excel
/// shortened as `how` says.
pub(super) fn refused(place: &Text, n: usize, id: &str, how: Shortened) -> Diagnostic {
    let message = match how {
        Shortened::Shown => t!(
            "{}, row {n}: the id \"{id}\" is a long number code as Excel shows it, in scientific notation: its last digits are lost, so it cannot tell which unit the row is; the row was not scored",
            "{} 第 {n} 行：id “{id}”是 Excel 用科学计数法显示的长数字编码，后几位已经丢失，无法据此认出是哪个单位；该行未计分",
            place
        ),
        // A table's number cell is never written in scientific notation.
        Shortened::Number | Shortened::Exponent => t!(
            "{}, row {n}: the id {id} is a number of {} digits, and Excel keeps only 15 digits of a number: its last digits are lost, so it cannot tell which unit the row is; the row was not scored",
            "{} 第 {n} 行：id {id} 是 {} 位的数字，而 Excel 只保留数字的前 15 位，后几位已经丢失，无法据此认出是哪个单位；该行未计分",
            place,
            whole_digits(id)
        ),
    };
    Diagnostic::new(Code::IdShortened, message).with_help(t!(
        "in Excel select the id column, set its cell format to Text, and type the full codes again (or begin each with an apostrophe: '450221199001011234); then save the file again",
        "请在 Excel 中选中 id 列，将单元格格式设为“文本”，再重新填入完整编码（或在编码前加英文单引号，如 '450221199001011234），然后重新保存文件"
    ))
}

/// Whether an id is a long number code as Excel shows it (`4.50221E+17`):
/// one digit, maybe a point and digits, then `E+` and the exponent.
pub(super) fn shown_by_excel(id: &str) -> bool {
    let Some((mantissa, exponent)) = id.split_once(['E', 'e']) else {
        return false;
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let exponent = exponent.strip_prefix('+').unwrap_or("");
    whole.len() == 1 && digits(whole) && digits(fraction) && digits(exponent)
}

/// How many digits a number's text has before its point.
fn whole_digits(n: &str) -> usize {
    let n = n.strip_prefix('-').unwrap_or(n);
    n.split('.')
        .next()
        .unwrap_or("")
        .bytes()
        .filter(u8::is_ascii_digit)
        .count()
}

#[cfg(test)]
mod tests {
    use super::{Cell, Shortened, shortened, shown_by_excel};

    #[test]
    fn ids_as_excel_shows_long_codes_are_told_from_others() {
        for id in ["4.50221E+17", "9.1E+17", "1E+11", "4.50221e+17"] {
            assert!(shown_by_excel(id), "{id}");
        }
        for id in [
            "450221", "甲镇", "E+17", "4.5E17", "45.0E+17", "4.5E+", "4.5E+1x", "2024-E+1",
        ] {
            assert!(!shown_by_excel(id), "{id}");
        }
    }

    /// A JSON id: a number in scientific notation or of more than 15
    /// digits, or a text as Excel shows a long number; a code in quotes is
    /// kept whole.
    #[test]
    fn json_ids_are_shortened_as_numbers_or_as_excel_shows_them() {
        let json = |id, number| super::of_json(id, number);
        assert_eq!(json("4.50221199001011e17", true), Some(Shortened::Exponent));
        assert_eq!(json("1E+3", true), Some(Shortened::Exponent));
        assert_eq!(json("450221199001011000", true), Some(Shortened::Number));
        assert_eq!(json("450221199001011", true), None);
        assert_eq!(json("12.50", true), None);
        assert_eq!(json("4.50221E+17", false), Some(Shortened::Shown));
        assert_eq!(json("450221199001011234", false), None);
        assert_eq!(json("柳城县", false), None);
    }

    #[test]
    fn numbers_of_more_than_15_digits_are_shortened_and_texts_of_them_are_not() {
        let number = |n| shortened(Some(Cell::Number(n)));
        assert_eq!(number("450221199001011000"), Some(Shortened::Number));
        assert_eq!(number("1000000000000000"), Some(Shortened::Number));
        assert_eq!(number("-1000000000000000.5"), Some(Shortened::Number));
        assert_eq!(number("999999999999999"), None);
        assert_eq!(number("450221.199001011"), None);
        // A code typed as text keeps every digit.
        assert_eq!(shortened(Some(Cell::Text("450221199001011234"))), None);
        assert_eq!(
            shortened(Some(Cell::Text(" 4.50221E+17 "))),
            Some(Shortened::Shown)
        );
        assert_eq!(shortened(None), None);
    }
}
