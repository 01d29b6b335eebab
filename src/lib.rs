//! kaohe: a declarative language for the scoring tables by which governments
//! assess counties, townships and departments.
//!
//! The pipeline, one module per stage (docs/architecture.md):
//! `parse` (text → AST) → `check` (AST → resolved IR + diagnostics) →
//! `eval` (IR × data → scores with explanations) → `report` (outcomes → text,
//! JSON). `diagnostic` is the one error type every stage reports with.
//!
//! To embed kaohe, start with [`api`]: [`api::Spec::check`] loads a spec,
//! [`api::Spec::entity`] builds an entity from Rust values, and
//! [`api::Spec::evaluate`] and [`api::Spec::evaluate_parallel`] score one
//! entity or a stream of them.

#![forbid(unsafe_code)]

pub mod api;
pub mod check;
pub mod cli;
pub mod date;
pub mod diagnostic;
pub mod eval;
pub(crate) mod exact;
pub mod fmt;
pub mod ir;
pub mod parse;
pub mod report;
pub mod service;
pub mod source;
pub mod spectest;
pub mod synth;

use diagnostic::Diagnostic;
use ir::Program;

/// A spec after parsing and checking: the program when there was no error,
/// and every diagnostic either way (warnings come with a program too).
#[derive(Debug)]
pub struct Compiled {
    pub program: Option<Program>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse and check a spec's text.
pub fn compile(text: &str) -> Compiled {
    let (ast, mut diagnostics) = parse::parse(text);
    let Some(ast) = ast else {
        return Compiled {
            program: None,
            diagnostics,
        };
    };
    let (program, mut found) = check::check(&ast, text);
    diagnostics.append(&mut found);
    Compiled {
        program,
        diagnostics,
    }
}
