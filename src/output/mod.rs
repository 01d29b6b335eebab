//! Output: what every product writes its files through. It imports no
//! stage (the diagnostics it reports with aside); texts are made safe
//! by `crate::escape`, a leaf.
//!
//! - `file`: the one writer of output files (`-o`, `fmt`, templates, test
//!   files), whole or not at all
//! - `cell`: what a spreadsheet cell holds, a column's width, and the
//!   workbook every XLSX output starts from (a fixed creation time)

pub mod cell;
pub mod file;
