//! Rules not yet written (`rule pending "…"`, 待写规则; issue 18): a
//! placeholder holding the table's sentence, as `kaohe import` leaves what
//! it could not read. The checker warns about each (K0490) and keeps them
//! in the program, which the scorer then refuses (K0491).

use super::Checker;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir;
use crate::parse::ast;
use crate::t;

impl Checker {
    pub(super) fn pending_rule(&mut self, p: &ast::Pending, item: &str) {
        self.pending.push(ir::Pending {
            item: item.to_string(),
            sentence: p.sentence.value.clone(),
            span: p.span,
        });
        self.report(rule_pending(item, &p.sentence.value, p.span));
    }
}

/// `Code::RulePending`: a placeholder, with its sentence and what to do.
fn rule_pending(item: &str, sentence: &str, at: crate::source::Span) -> Diagnostic {
    Diagnostic::new(
        Code::RulePending,
        t!(
            "item {}: rule not yet written: \"{}\"",
            "考核事项 {}：规则尚未编写：“{}”",
            item,
            sentence
        ),
    )
    .at(
        at,
        t!(
            "a placeholder: this spec cannot score until it is written",
            "待写规则：写好之前，本规则文件不能计分"
        ),
    )
    .with_help(t!(
        "write the rule from the sentence in kaohe (docs/language.md, such as `deduct 0.5 per meetings below 2`) and delete this line",
        "请按这句话用 kaohe 写出规则（见 docs/language.md，如 `扣 0.5 每 meetings 低于 2`），再删去这一行"
    ))
}
