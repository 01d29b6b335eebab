//! Eval: IR × data → scores, with a line of explanation for every point
//! moved.
//!
//! - `data`: reading entities from JSON into slot vectors, with every
//!   problem reported at once
//! - `interp`: scoring one entity
//! - `outcome`: what scoring produces; its lines point into the IR, so the
//!   words of an explanation are built only when a report prints them

pub mod data;
mod interp;
pub mod outcome;
mod parallel;
pub mod show;

pub use data::Entity;
pub use interp::{EvalError, evaluate, evaluate_into, evaluate_with};
pub use outcome::{ItemOutcome, Line, LineKind, Outcome};
pub(crate) use parallel::pipeline;
