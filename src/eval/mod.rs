//! Eval: IR × data → scores, with a line of explanation for every point
//! moved.
//!
//! - `data`: reading entities from JSON into slot vectors, with every
//!   problem reported at once
//! - `score`: scoring one entity
//! - `outcome`: what scoring produces; its lines point into the IR, so the
//!   words of an explanation are built only when a report prints them

pub mod data;
pub mod outcome;
mod parallel;
mod score;
pub mod show;

pub use data::Entity;
pub use outcome::{ItemOutcome, Line, LineKind, Outcome};
pub(crate) use parallel::pipeline;
pub use score::{EvalError, evaluate, evaluate_into, evaluate_with};
