//! The data template as files people fill in: CSV (a file for the scalar
//! inputs and a folder with one file per list input) and XLSX (a sheet for
//! the scalar inputs and one per list input, with drop-downs and limits).
//! Either may be filled with entities (`kaohe template --fill DATA`).

use super::sheets::{Cell, layout, main_sheet, note, rows, width, yes_no};
use crate::check::ir::{Program, Ty};
use crate::eval::Entity;
use rust_xlsxwriter::{DataValidation, DataValidationRule, Format, Workbook, XlsxError};
use std::path::Path;

/// The last row that data validation covers.
const LAST_ROW: u32 = 10_001;

fn note_id(program: &Program) -> &'static str {
    if program.header.lang == crate::check::ir::Lang::Zh {
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
                        .map(|c| super::escape::csv_cell(&note(c, program)).into_owned()),
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
                    Some(Cell::Text(s)) => super::escape::csv_cell(s).into_owned(),
                }));
            }
            let text = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
            (path, text)
        })
        .collect()
}

/// The XLSX workbook of the template.
pub fn xlsx(program: &Program, entities: &[Entity]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let grey = Format::new()
        .set_italic()
        .set_font_color(rust_xlsxwriter::Color::Gray);
    for sheet in layout(program) {
        let ws = book.add_worksheet();
        ws.set_name(sheet.list.unwrap_or(main_sheet(program)))?;
        ws.write_string_with_format(0, 0, "id", &bold)?;
        ws.write_string_with_format(1, 0, note_id(program), &grey)?;
        let mut id_width = width(note_id(program));
        for (i, c) in sheet.columns.iter().enumerate() {
            let col = (i + 1) as u16;
            let n = note(c, program);
            ws.write_string_with_format(0, col, c.name, &bold)?;
            ws.write_string_with_format(1, col, &n, &grey)?;
            ws.set_column_width(col, (width(c.name).max(width(&n)).clamp(8, 40) + 2) as f64)?;
            if let Some(v) = validation(c.ty, program)? {
                ws.add_data_validation(2, col, LAST_ROW, col, &v)?;
            }
        }
        for (r, row) in rows(&sheet, program, entities).iter().enumerate() {
            let r = (r + 2) as u32;
            for (c, cell) in row.iter().enumerate() {
                match cell {
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
        ws.set_column_width(0, (id_width.clamp(8, 40) + 2) as f64)?;
        ws.set_freeze_panes(2, 1)?;
    }
    book.save_to_buffer()
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
        Ty::Rate => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
            .set_error_message("a rate in percent, from 0 to 100")?,
        _ => return Ok(None),
    }))
}

/// Write a file whole or not at all, by the rules of [`super::file`]
/// (links followed, devices written through, permissions kept, read-only
/// files refused).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    super::file::write(path, bytes).map_err(|e| match e {
        super::file::FileError::Io(_, e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    })
}
