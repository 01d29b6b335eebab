//! The data template as files people fill in: CSV (a file for the scalar
//! inputs and a folder with one file per list input) and XLSX (a sheet for
//! the scalar inputs and one per list input, with drop-downs and limits).
//! Either may be filled with entities (`kaohe template --fill DATA`).
//!
//! In the XLSX template a rate's cells are formatted as percentages, as
//! Excel and WPS format them: typing 87.5, 87.5% or 0.875 there all give
//! 87.5%, held as 0.875 with a percent format, which kaohe reads by its
//! format (`data::xlsx`).

use super::sheets::{Cell, Sheet, layout, main_sheet, note, rows, yes_no};
use crate::data::Entity;
use crate::ir::{Program, Ty};
use crate::output::cell::width;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{DataValidation, DataValidationRule, Format, Worksheet, XlsxError};

/// The last row that data validation covers.
const LAST_ROW: u32 = 10_001;

/// The number format of a rate's cells: 87.5%, 90.0%, 87.25%.
const PERCENT: &str = "0.0#%";

fn note_id(program: &Program) -> &'static str {
    if program.header.lang == crate::ir::Lang::Zh {
        "# 单位｜说明"
    } else {
        "# unit | description"
    }
}

/// The CSV files of the template: `(path relative to the main file's folder, text)`.
/// The main file is `stem.csv`; list inputs go to `stem/<input>.csv`.
pub fn csv_files(program: &Program, stem: &str, entities: &[Entity]) -> Vec<(String, String)> {
    layout(program)
        .iter()
        .map(|sheet| {
            let path = match sheet.list {
                None => format!("{stem}.csv"),
                Some(l) => format!("{stem}/{l}.csv"),
            };
            let mut w = csv::Writer::from_writer(Vec::new());
            let header: Vec<&str> = std::iter::once("id")
                .chain(sheet.columns.iter().map(|c| c.name))
                .collect();
            let notes: Vec<String> = std::iter::once(note_id(program).to_string())
                .chain(
                    (sheet.columns.iter())
                        .map(|c| crate::escape::csv_cell(&note(c, program)).into_owned()),
                )
                .collect();
            // Writing to memory cannot fail.
            let _ = w.write_record(&header);
            let _ = w.write_record(&notes);
            for row in rows(sheet, program, entities) {
                let _ = w.write_record(row.iter().map(|c| match c {
                    None => String::new(),
                    Some(Cell::Number(_, s)) => s.clone(),
                    // Text from the data, neutralised against formula injection.
                    Some(Cell::Text(s)) => crate::escape::csv_cell(s).into_owned(),
                }));
            }
            let text = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
            (path, text)
        })
        .collect()
}

/// The formats of the template's cells.
struct Formats {
    bold: Format,
    grey: Format,
    percent: Format,
}

/// The XLSX workbook of the template.
pub fn xlsx(program: &Program, entities: &[Entity]) -> Result<Vec<u8>, XlsxError> {
    let mut book = crate::output::cell::workbook();
    let formats = Formats {
        bold: Format::new().set_bold(),
        grey: Format::new()
            .set_italic()
            .set_font_color(rust_xlsxwriter::Color::Gray),
        percent: Format::new().set_num_format(PERCENT),
    };
    for sheet in layout(program) {
        let ws = book.add_worksheet();
        ws.set_name(sheet.list.unwrap_or(main_sheet(program)))?;
        let id_width = head(ws, &sheet, program, &formats)?;
        let id_width = data(ws, &sheet, program, entities, &formats.percent)?.max(id_width);
        ws.set_column_width(0, (id_width.clamp(8, 40) + 2) as f64)?;
        ws.set_freeze_panes(2, 1)?;
    }
    book.save_to_buffer()
}

/// A sheet's two header rows (names, then notes), its columns' widths,
/// validations and formats; the width the id column needs for them.
fn head(
    ws: &mut Worksheet,
    sheet: &Sheet,
    program: &Program,
    formats: &Formats,
) -> Result<usize, XlsxError> {
    ws.write_string_with_format(0, 0, "id", &formats.bold)?;
    ws.write_string_with_format(1, 0, note_id(program), &formats.grey)?;
    for (i, c) in sheet.columns.iter().enumerate() {
        let col = (i + 1) as u16;
        let n = note(c, program);
        ws.write_string_with_format(0, col, c.name, &formats.bold)?;
        ws.write_string_with_format(1, col, &n, &formats.grey)?;
        ws.set_column_width(col, (width(c.name).max(width(&n)).clamp(8, 40) + 2) as f64)?;
        if let Some(v) = validation(c.ty, program)? {
            ws.add_data_validation(2, col, LAST_ROW, col, &v)?;
        }
        if matches!(c.ty, Ty::Rate) {
            ws.set_column_format(col, &formats.percent)?;
        }
    }
    Ok(width(note_id(program)))
}

/// The rows of the entities a template is filled with; the width the id
/// column needs for them.
fn data(
    ws: &mut Worksheet,
    sheet: &Sheet,
    program: &Program,
    entities: &[Entity],
    percent: &Format,
) -> Result<usize, XlsxError> {
    // Column 0 is the id; column i + 1 is `sheet.columns[i]`.
    let rate = |c: usize| {
        c.checked_sub(1)
            .and_then(|i| sheet.columns.get(i))
            .is_some_and(|col| matches!(col.ty, Ty::Rate))
    };
    let mut id_width = 0;
    for (r, row) in rows(sheet, program, entities).iter().enumerate() {
        let r = (r + 2) as u32;
        for (c, cell) in row.iter().enumerate() {
            match cell {
                // The rate as the fraction a percent cell holds, made from
                // its decimal digits (87.5 → 0.875), not by dividing a float.
                Some(Cell::Number(whole, s)) if rate(c) => {
                    let f = fraction(s).unwrap_or(whole / 100.0);
                    ws.write_number_with_format(r, c as u16, f, percent)?;
                }
                Some(Cell::Number(f, _)) => {
                    ws.write_number(r, c as u16, *f)?;
                }
                Some(Cell::Text(s)) => {
                    if c == 0 {
                        id_width = id_width.max(width(s));
                    }
                    ws.write_string(r, c as u16, s)?;
                }
                None => {}
            }
        }
    }
    Ok(id_width)
}

/// A rate's percent (its decimal digits, "94.35") as the float a percent
/// cell holds for it: the float nearest 0.9435, whose shortest digits are
/// 0.9435 (what `data::xlsx` reads back).
fn fraction(percent: &str) -> Option<f64> {
    (percent.parse::<Decimal>().ok())
        .and_then(|d| d.checked_div(Decimal::ONE_HUNDRED))
        .and_then(|d| d.to_f64())
}

fn validation(ty: &Ty, program: &Program) -> Result<Option<DataValidation>, XlsxError> {
    Ok(Some(match ty {
        Ty::Bool => DataValidation::new().allow_list_strings(&yes_no(program))?,
        Ty::Enum(e) => {
            let variants = program
                .enums
                .get(*e)
                .map(|e| e.variants.clone())
                .unwrap_or_default();
            DataValidation::new().allow_list_strings(&variants)?
        }
        Ty::Count(_) => DataValidation::new()
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_error_message("a whole number of 0 or more")?,
        Ty::Month => DataValidation::new()
            .allow_whole_number(DataValidationRule::Between(1, 12))
            .set_error_message("a month from 1 to 12 (月份，1 至 12)")?,
        Ty::Quarter => DataValidation::new()
            .allow_whole_number(DataValidationRule::Between(1, 4))
            .set_error_message("a quarter from 1 to 4 (季度，1 至 4)")?,
        // A percent cell holds 87.5% as 0.875.
        Ty::Rate => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, 1.0))
            .set_error_message("a rate from 0% to 100% (比率，0% 至 100%)")?,
        _ => return Ok(None),
    }))
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    /// Every rate of up to three decimals, written into a percent cell and
    /// read back as kaohe reads a float cell (its shortest digits, times
    /// 100), is the rate written.
    #[test]
    fn every_rate_in_thousandths_of_a_percent_comes_back_exactly() {
        for m in 0..=100_000i64 {
            let rate = Decimal::new(m, 3);
            let f = super::fraction(&rate.to_string()).unwrap();
            let back: Decimal =
                Decimal::from_str_exact(&f.to_string()).unwrap() * Decimal::ONE_HUNDRED;
            assert_eq!(back.normalize(), rate.normalize(), "{rate}");
        }
    }
}
