//! kaohe: a declarative language for the scoring tables by which governments
//! assess counties, townships and departments.
//!
//! The pipeline, one module per stage (docs/architecture.md):
//! `parse` (text → AST) → `check` (AST → resolved IR + diagnostics) →
//! `data` (files → entities) → `eval` (IR × entities → scores with
//! explanations) → `report` (outcomes → text, JSON, CSV, XLSX, HTML). Beside
//! `report`, `render` (the official table and its 评分标准) and `template`
//! (the data template) make documents from a spec alone, `diff` compares two
//! specs and their outcomes, and `output` is the leaf they all write through.
//! `diagnostic` is the one error type every stage reports with.
//!
//! Only [`api`] is public (the stages are crate-private, so the API can be
//! kept stable while they change). To embed kaohe, start there:
//! [`api::Spec::check`] loads a spec, [`api::Spec::entity`] builds an entity
//! from Rust values, and [`api::Spec::evaluate`] and
//! [`api::Spec::evaluate_parallel`] score one entity or a stream of them.

#![forbid(unsafe_code)]

// Only `api` is public: the rest is crate-private, so that the API can be
// kept stable while the stages change.
pub mod api;
pub(crate) mod check;
pub(crate) mod cli;
pub(crate) mod data;
pub(crate) mod date;
pub(crate) mod diagnostic;
pub(crate) mod diff;
pub(crate) mod escape;
pub(crate) mod eval;
pub(crate) mod exact;
pub(crate) mod fmt;
pub(crate) mod import;
pub(crate) mod ir;
pub(crate) mod lsp;
pub(crate) mod numerals;
pub(crate) mod output;
pub(crate) mod parse;
pub(crate) mod pool;
#[cfg(test)]
mod properties;
pub(crate) mod render;
pub(crate) mod report;
pub(crate) mod serve;
pub(crate) mod service;
pub(crate) mod shown;
pub(crate) mod source;
pub(crate) mod spectest;
pub(crate) mod synth;
pub(crate) mod template;
#[doc(hidden)]
pub mod testkit;

/// The `kaohe` command line (src/main.rs): not part of the API.
#[doc(hidden)]
pub fn run_cli() -> std::process::ExitCode {
    cli::main()
}

use diagnostic::Diagnostic;
use ir::Program;

/// A spec after parsing and checking: the program when there was no error,
/// and every diagnostic either way (warnings come with a program too).
#[derive(Debug)]
pub(crate) struct Compiled {
    pub program: Option<Program>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse and check a spec's text ([`api::compile`] for the library API).
pub(crate) fn compile(text: &str) -> Compiled {
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
