//! The data stage: a spec's program and a data file → entities, each
//! input's value in its slot, from JSON, CSV and XLSX.
//!
//! Every problem in every entity is reported, each naming the entity, the
//! field path (and for spreadsheets the file or sheet, row and column) and
//! what was expected. An entity with an error is left out, so that no score
//! is printed for it.
//!
//! - `open`: a data file by its extension, and `--strict`
//! - `across`: a unit given in two files of one run
//! - `grouped`: problems of one cause told once, with how many more
//! - `json`: a JSON document of one entity or an array of them, or JSON
//!   lines
//! - `table`: rows of cells (CSV files, spreadsheet sheets) → entities,
//!   streamed one row at a time
//! - `csv`, `xlsx`: the cells of CSV files and XLSX workbooks
//! - `entity`: an entity's values read from JSON or a row's cells, each
//!   problem named with the entity, the field and where it lies
//! - `scalar`, `decimal`, `trim`: the accepted forms of a value
//! - `quick`: a list record's field read the quick way, held to the
//!   general reading
//! - `describe`: how a message quotes a cell and names what was expected
//!
//! Every format hands its cells to [`scalar`] as a [`Cell`] (a CSV cell's
//! text as it lies in the record read, a sheet's or a JSON document's
//! value), the one place where the accepted forms of a value are.
//!
//! The stage imports no later one (eval, report, cli): it reads the IR that
//! check produces and hands eval its [`Entity`] values.

// A file that cannot be opened is one Diagnostic, returned once per file:
// boxing it would buy nothing.
#![allow(clippy::result_large_err)]

mod across;
mod csv;
mod decimal;
mod describe;
mod entity;
mod grouped;
mod json;
mod open;
mod period;
mod quick;
mod refs;
mod scalar;
mod shortened;
mod table;
mod trim;
pub(crate) mod xlsx;

pub use across::Across;
pub use describe::describe_ty;
pub use entity::Entity;
pub(crate) use entity::{NoPlaces, Places, Reader};
pub use json::from_json;
pub use open::{Halved, JsonHalved, Opened, Told, guessed, open, open_halved, open_strict, strict};
pub use scalar::Cell;
pub use table::{Layout, Step};

use describe::describe;
use trim::{blank, trim};

#[cfg(test)]
mod tests {
    /// The data stage reads the IR that check produces and hands eval its
    /// entities: no file of it names a later stage or the API, so that it
    /// can be read, tested and used without them.
    #[test]
    fn the_data_stage_imports_no_later_stage() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/data");
        let mut paths = vec![root];
        let mut files = 0;
        while let Some(path) = paths.pop() {
            if path.is_dir() {
                let entries = std::fs::read_dir(&path).unwrap();
                paths.extend(entries.map(|e| e.unwrap().path()));
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for stage in ["eval", "report", "cli", "api"] {
                let later = format!("crate::{stage}");
                assert!(!text.contains(&later), "{} names {later}", path.display());
            }
            files += 1;
        }
        assert!(files > 20, "{files} files read");
    }
}
