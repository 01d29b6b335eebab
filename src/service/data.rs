//! A data file read against the spec: how many entities it holds and the
//! problems found, as the readers of `kaohe eval` tell them.

use super::{Analysis, Refusal};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::t;
use serde::Serialize;
use std::path::Path;

/// What reading a data file found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DataCheck {
    /// The entities read without a problem.
    pub entities: usize,
    pub problems: Vec<DataProblem>,
}

/// A problem of a data file. Its place (sheet, row, column or field) is in
/// its message: data diagnostics carry no span into the spec.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DataProblem {
    pub code: Code,
    pub severity: Severity,
    pub file: Option<String>,
    pub message: String,
    pub notes: Vec<String>,
    pub help: Option<String>,
}

impl Analysis {
    /// Read the data file at `path` (`.json`, `.jsonl`, `.csv`, `.xlsx`)
    /// against the spec, as `kaohe eval` reads it; refused while the spec
    /// has errors (there is no program to read it against).
    pub fn check_data(&self, path: &Path) -> Result<DataCheck, Refusal> {
        let Some(program) = self.program() else {
            return Err(self.refuse(t!(
                "the spec has errors: correct them, then check the data",
                "规则文件有错误：请先改正，再检查数据"
            )));
        };
        let mut check = DataCheck {
            entities: 0,
            problems: Vec::new(),
        };
        match crate::data::open(program, path) {
            Err(d) => check.problems.push(self.data_problem(&d)),
            Ok(read) => {
                for entity in read {
                    match entity {
                        Ok(_) => check.entities += 1,
                        Err(d) => check.problems.push(self.data_problem(&d)),
                    }
                }
            }
        }
        Ok(check)
    }

    fn data_problem(&self, d: &Diagnostic) -> DataProblem {
        let lang = self.lang();
        DataProblem {
            code: d.code,
            severity: d.severity,
            file: d.file.clone(),
            message: d.message.get(lang).to_string(),
            notes: d.notes.iter().map(|n| n.get(lang).to_string()).collect(),
            help: d.help.as_ref().map(|h| h.get(lang).to_string()),
        }
    }
}
