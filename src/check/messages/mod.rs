//! The checker's diagnostics, one function each, in the order of their codes
//! (`Code`) within each file, so that the checking logic reads as logic and
//! the texts can be reviewed in one place.
//!
//! - `names`: K01 and K02, entries and names
//! - `types`: K03, types and units
//! - `table`: K04 and K06, the table's checks
//! - `judged`: K0430–K0432, the assessor's judgement
//! - `units`: K02 and K04, an item's lead and supporting units
//! - `levels`: K0450–K0452, a heading's points against its children
//! - `absence`: K0250 and K0330, rules for absent facts
//! - `extra`: K0460–K0463, extra awards and waivers of deductions
//! - `results`: K0211, K0360–K0361, K0480–K0483, results derived from the total
//! - `standards`: K0290–K0291 and K0350–K0352, standards by the unit's class
//! - `refs`: K0370 and K0371, referential types and counting units

mod absence;
mod extra;
mod judged;
mod levels;
mod names;
mod refs;
mod results;
mod standards;
mod table;
mod types;
mod units;

pub(super) use absence::*;
pub(super) use extra::*;
pub(super) use judged::*;
pub(super) use levels::*;
pub(super) use names::*;
pub(super) use refs::*;
pub(super) use results::*;
pub(super) use standards::*;
pub(super) use table::*;
pub(super) use types::*;
pub(super) use units::*;

use super::expr::quoted_text;
use super::types::{Clash, U, unit_name};
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::parse::ast;
use crate::source::Span;
use crate::t;
use rust_decimal::Decimal;

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;

    /// Every message function of the parse and check stages opens with a
    /// doc line naming the codes it reports, and reports one of them.
    #[test]
    fn each_message_names_its_code() {
        let files = [
            include_str!("names.rs"),
            include_str!("types.rs"),
            include_str!("table.rs"),
            include_str!("units.rs"),
            include_str!("levels.rs"),
            include_str!("standards.rs"),
            include_str!("../../parse/messages.rs"),
        ];
        let known: Vec<String> = Code::ALL.iter().map(|c| format!("{c:?}")).collect();
        let mut count = 0;
        for file in files {
            let fns = file.lines().filter(|l| l.starts_with("pub(")).count();
            let messages: Vec<&str> = file.split("\n/// `Code::").skip(1).collect();
            assert_eq!(messages.len(), fns, "a function without its code");
            for f in messages {
                let head = f.lines().next().unwrap();
                let doc: String = f
                    .lines()
                    .take_while(|l| !l.starts_with("pub("))
                    .collect::<Vec<_>>()
                    .join(" ");
                let named: Vec<&str> = format!("`Code::{doc}")
                    .split("`Code::")
                    .skip(1)
                    .filter_map(|s| s.split('`').next())
                    .map(|n| known.iter().find(|k| *k == n).map(String::as_str))
                    .collect::<Option<_>>()
                    .unwrap_or_else(|| panic!("an unknown code in: {head}"));
                assert!(
                    named.iter().any(|n| [",", "\n", ")", " "]
                        .iter()
                        .any(|end| f.contains(&format!("Code::{n}{end}")))),
                    "reports none of the codes it names: {head}"
                );
                count += 1;
            }
        }
        assert!(count > 90, "{count} message functions");
    }
}
