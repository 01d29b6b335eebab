//! Output: the leaf every product writes through. It imports no stage.
//!
//! - `file`: the one writer of output files (`-o`, `fmt`, templates, test
//!   files), whole or not at all
//! - `escape`: text made safe for CSV, terminals, HTML and Markdown
//! - `cell`: what a spreadsheet cell holds, and a column's width

pub mod cell;
pub mod escape;
pub mod file;
