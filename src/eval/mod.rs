//! Eval: IR × data → scores, with a line of explanation for every point
//! moved.
//!
//! The entities it scores come from the data stage (`crate::data`), which
//! reads them from JSON, CSV and XLSX files; eval reads no file.
//!
//! - `interp`: scoring one entity
//! - `outcome`: what scoring produces; its lines point into the IR, so the
//!   words of an explanation are built only when a report prints them

mod interp;
pub mod outcome;
mod parallel;
pub mod show;

pub use interp::{EvalError, evaluate, evaluate_into, evaluate_with};
pub use outcome::{ItemOutcome, Line, LineKind, Outcome};
pub(crate) use parallel::pipeline;
