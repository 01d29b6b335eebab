//! CSV datasets: `mixed.csv` holds one row per entity; a list input
//! `fire_points` is read from `mixed/fire_points.csv`, each row carrying
//! the entity's id. Every cell is text; [`super::scalar`] reads it.

use super::table::{Absent, Entities, Row, Rows, Table};
use crate::check::ir::{Program, Ty};
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::t;
use serde_json::Value as Json;
use std::path::Path;

/// The entities of a CSV dataset, streamed row by row.
pub fn open<'a>(program: &'a Program, path: &Path) -> Result<Entities<'a>, Diagnostic> {
    let name = path.display().to_string();
    let main = table(path, same(&name))?;
    let dir = path.with_extension("");
    let lists = program
        .inputs
        .iter()
        .filter(|i| matches!(i.ty, Ty::List(_)))
        .map(|i| {
            let file = dir.join(format!("{}.csv", i.name));
            let place = same(&file.display().to_string());
            let t = if file.exists() {
                table(&file, place).map_err(|d| Absent {
                    input: i.name.clone(),
                    place: d.message,
                })
            } else {
                Err(Absent {
                    input: i.name.clone(),
                    place,
                })
            };
            (i.name.clone(), t)
        })
        .collect();
    Ok(Entities::new(program, &name, main, lists))
}

/// A file name, the same in both languages.
fn same(name: &str) -> Text {
    t!("{name}", "{name}")
}

fn unreadable(place: &Text, e: &csv::Error) -> Diagnostic {
    let why = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => t!("it is not UTF-8 text", "不是 UTF-8 编码的文本"),
        _ => {
            let e = e.to_string();
            t!("{e}", "{e}")
        }
    };
    Diagnostic::new(
        Code::TableUnreadable,
        t!(
            "{} cannot be read as CSV: {}",
            "{} 无法按 CSV 读取：{}",
            place,
            why
        ),
    )
    .with_help(t!(
        "save the sheet as \"CSV UTF-8 (comma delimited)\"",
        "请将表格另存为“CSV UTF-8（逗号分隔）”"
    ))
}

fn table<'a>(path: &Path, place: Text) -> Result<Table<'a>, Diagnostic> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| {
            Diagnostic::new(
                Code::Io,
                t!("cannot read {}: {e}", "无法读取 {}：{e}", place),
            )
            .in_file(&place.en)
        })?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| unreadable(&place, &e))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    let at = place.clone();
    let rows: Rows<'a> = Box::new(reader.into_records().map(move |r| {
        let record = r.map_err(|e| unreadable(&at, &e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        Ok::<Row, Diagnostic>((line, record.iter().map(cell).collect()))
    }));
    Ok(Table {
        place,
        header,
        rows,
    })
}

fn cell(text: &str) -> Json {
    if text.trim().is_empty() {
        Json::Null
    } else {
        Json::String(text.to_string())
    }
}
