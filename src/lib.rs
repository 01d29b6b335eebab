//! kaohe: a declarative language for the scoring tables by which governments
//! assess counties, townships and departments.
//!
//! The pipeline, one module per stage (docs/architecture.md):
//! `parse` (text → AST) → `check` (AST → resolved IR + diagnostics) →
//! `eval` (IR × data → scores with explanations) → `report` (outcomes → text,
//! JSON). `diagnostic` is the one error type every stage reports with.

#![forbid(unsafe_code)]

pub mod date;
pub mod diagnostic;
pub mod parse;
pub mod source;
