//! What can go wrong while scoring: a fault inside the scorer, and the
//! error it becomes once the item and clause are known.

use crate::diagnostic::{Code, Diagnostic, Text};
use crate::source::Span;
use crate::t;

/// A problem met while scoring: an overflow, a division by zero, a missing
/// optional input. It names the item and points at the clause.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalError {
    pub code: Code,
    pub message: Text,
    pub item: String,
    pub span: Span,
    /// The inputs the failing clause reads, as (name, value as written).
    pub facts: Vec<(String, String)>,
}

impl EvalError {
    pub fn to_diagnostic(&self, entity: &str) -> Diagnostic {
        let mut d = Diagnostic::new(
            self.code,
            t!(
                "entity \"{entity}\", item {}: {}",
                "被考核单位“{entity}”，考核事项 {}：{}",
                self.item,
                self.message
            ),
        )
        .at(self.span, t!("while scoring this", "计算此处得分时出错"));
        if !self.facts.is_empty() {
            let facts: Vec<String> = self
                .facts
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect();
            d = d.with_note(t!(
                "the data this rule reads: {}",
                "此规则读取的数据：{}",
                Text::list(&facts)
            ));
        }
        let help = match self.code {
            Code::AbsentRead => Some(t!(
                "declare what the word does for every rule that reads this input (`optional: not applicable => full marks`), or write a value in the data",
                "请为读取该数据项的规则声明缺项词的含义（`可缺：不适用 => 满分`），或在数据中填写取值"
            )),
            Code::MissingOptional => Some(t!(
                "ask first whether it was given, such as `given(plan_date) and plan_date <= 2024-05-31`",
                "请先判断是否填报，如 `given(plan_date) 且 plan_date <= 2024-05-31`"
            )),
            Code::NegativeAmount => Some(t!(
                "to take points only for a shortfall, write `deduct 0.5 per done below planned`, which never goes below 0",
                "如只对差额扣分，请写作 `扣 0.5 每 done 低于 planned`，该写法不会小于 0"
            )),
            Code::BadMonth => Some(t!(
                "mend the month in the data (a whole number from 1 to 12), or the rule that computes it",
                "请在数据中改正月份（应为 1 至 12 的整数），或改正计算月份的规则"
            )),
            Code::DivisionByZero => Some(t!(
                "guard the division, such as `if planned > 0 then done / planned else 1`",
                "请先排除除数为零的情形，如 `若 planned > 0 则 done / planned 否则 1`"
            )),
            _ => None,
        };
        match help {
            Some(h) => d.with_help(h),
            None => d,
        }
    }
}

/// Boxed, so that the `Result`s of the hot path stay two words wide.
pub(super) type Result<T> = std::result::Result<T, Box<Fault>>;

/// An error before the item and span are known; `Scorer` adds them.
#[derive(Debug)]
pub(super) struct Fault {
    pub(super) code: Code,
    pub(super) message: Text,
    /// Whether the message already names the list record it arose in (the
    /// innermost one, when records are nested).
    pub(super) in_record: bool,
}

#[cold]
pub(super) fn fault<T>(code: Code, message: Text) -> Result<T> {
    Err(Box::new(Fault {
        code,
        message,
        in_record: false,
    }))
}

/// A fault that arose while reading record `index` (from 0) of the list
/// input `list`, naming it as the data stage names a list's record
/// (`readings[2]`) and by its place (the 3rd record), so that the clerk
/// can find the row to mend.
#[cold]
pub(super) fn in_record(mut f: Box<Fault>, list: &str, index: usize) -> Box<Fault> {
    if !f.in_record {
        f.message = t!(
            "record {} of `{list}` ({list}[{index}]): {}",
            "数据项“{list}”的第 {} 条记录（{list}[{index}]）：{}",
            index + 1,
            f.message
        );
        f.in_record = true;
    }
    f
}
