//! The data template of a spec: every input a clerk fills in, empty or
//! filled with entities.
//!
//! - `json`: the template as JSON, with an example entity
//! - `sheets`: the layout shared by the CSV files and the workbook (one
//!   main sheet, one sheet per list input)
//! - `files`: the template as CSV files and as an XLSX workbook

pub mod files;
pub mod json;
pub mod sheets;
