//! Eval: IR × data → scores, with a line of explanation for every point
//! moved.
//!
//! The entities it scores come from the data stage (`crate::data`), which
//! reads them from JSON, CSV and XLSX files; eval reads no file.
//!
//! - `score`: scoring one entity (its items, blocks and caps), with
//!   `clause`, `expr`, `call`, `each`, `arith` and `totals` for the steps
//!   and `fault` for what can go wrong
//! - `outcome`: what scoring produces; its lines point into the IR, so the
//!   words of an explanation are built only when a report prints them

mod arith;
mod call;
mod clause;
#[cfg(test)]
mod differential;
mod each;
mod expr;
mod extra;
mod fault;
mod heading_caps;
pub mod outcome;
mod parallel;
mod records;
mod score;
pub mod show;
pub mod subtotals;
mod totals;

pub use fault::EvalError;
pub use outcome::{Derived, ItemOutcome, Line, LineKind, Outcome};
pub(crate) use parallel::Chunk;
pub(crate) use parallel::pipeline;
pub(crate) use parallel::pipeline_made;
pub use score::{evaluate, evaluate_into, evaluate_with};
pub use subtotals::subtotals;
