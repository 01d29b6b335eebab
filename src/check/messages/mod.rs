//! The checker's diagnostics, one function each, in the order of their codes
//! (`Code`) within each file, so that the checking logic reads as logic and
//! the texts can be reviewed in one place.
//!
//! - `names`: K01 and K02, entries and names
//! - `types`: K03, types and units
//! - `table`: K04 and K06, the table's checks

mod names;
mod table;
mod types;

pub(super) use names::*;
pub(super) use table::*;
pub(super) use types::*;

use super::expr::quoted_text;
use super::types::{Clash, U, unit_name};
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::parse::ast;
use crate::source::Span;
use crate::t;
use rust_decimal::Decimal;
