//! CSV datasets: `mixed.csv` holds one row per entity; a list input
//! `fire_points` is read from `mixed/fire_points.csv`, each row carrying
//! the entity's id. Every cell is text; [`super::scalar`] reads it.

use super::table::{Absent, Entities, Row, Rows, Table};
use crate::check::ir::{Program, Ty};
use crate::diagnostic::{Code, Diagnostic};
use serde_json::Value as Json;
use std::path::Path;

/// The entities of a CSV dataset, streamed row by row.
pub fn open<'a>(program: &'a Program, path: &Path) -> Result<Entities<'a>, Diagnostic> {
    let name = path.display().to_string();
    let main = table(path, name.clone())?;
    let dir = path.with_extension("");
    let lists = program
        .inputs
        .iter()
        .filter(|i| matches!(i.ty, Ty::List(_)))
        .map(|i| {
            let file = dir.join(format!("{}.csv", i.name));
            let place = file.display().to_string();
            let t = if file.exists() {
                table(&file, place).map_err(|d| Absent {
                    input: i.name.clone(),
                    place: d.message.en,
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

fn unreadable(place: &str, e: &csv::Error) -> Diagnostic {
    let why = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "it is not UTF-8 text".to_string(),
        _ => e.to_string(),
    };
    Diagnostic::new(
        Code::TableUnreadable,
        format!("{place} cannot be read as CSV: {why}"),
    )
    .with_help("save the sheet as \"CSV UTF-8 (comma delimited)\"")
}

fn table<'a>(path: &Path, place: String) -> Result<Table<'a>, Diagnostic> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| {
            Diagnostic::new(Code::Io, format!("cannot read {place}: {e}")).in_file(&place)
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
