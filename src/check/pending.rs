//! Rules not yet written (`rule pending "…"`, 待写规则; issue 18): a
//! placeholder holding the table's sentence, as `kaohe import` leaves what
//! it could not read. The checker warns about each (K0490) and keeps them
//! in the program, which the scorer then refuses (K0491).
//!
//! The warning runs the importer's phrase recognition on the sentence:
//! when it reads the whole sentence, the warning shows the rule and carries
//! it as a fix (the rule and the inputs it needs, in the spec's keyword
//! set, in place of the placeholder), which editors offer as "write this
//! rule from its sentence"; else, when the sentence resembles a shape of
//! rule, it says which and how that shape is written.

use super::Checker;
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::import::PhraseKind;
use crate::ir::{self, ItemKind, Role};
use crate::parse::ast;
use crate::parse::keywords::KeywordSet;
use crate::t;
use std::collections::HashSet;

impl Checker {
    pub(super) fn pending_rule(
        &mut self,
        p: &ast::Pending,
        item: &str,
        kind: &ItemKind,
        role: Role,
    ) {
        self.pending.push(ir::Pending {
            item: item.to_string(),
            sentence: p.sentence.value.clone(),
            span: p.span,
        });
        let mut d = rule_pending(item, &p.sentence.value, p.span);
        let kind = match (kind, role) {
            (ItemKind::Veto, _) => PhraseKind::Veto,
            (_, Role::Deduction) | (ItemKind::Deduction, _) => PhraseKind::Deduction,
            (_, Role::Bonus) | (ItemKind::Bonus, _) => PhraseKind::Bonus,
            _ => PhraseKind::Base,
        };
        // Every word of the text that could be a name is taken, so that
        // the new inputs' names are new.
        let mut taken: HashSet<String> = self
            .text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        let set = crate::parse::keywords::detect(&self.text).unwrap_or(KeywordSet::Zh);
        let indent = self.indent_at(p.span.start);
        let sentence = &p.sentence.value;
        match crate::import::rules_for_sentence(sentence, item, kind, &mut taken, set, &indent) {
            Some((text, first, pattern)) => {
                // The rule without its reason; the pattern's phrase alone in Chinese.
                let first = first.split(" \"").next().unwrap_or(&first).to_string();
                let phrase = pattern
                    .rsplit_once('(')
                    .map_or(pattern, |(_, p)| p.trim_end_matches(')'));
                d = d
                    .with_note(Text::new(
                        format!("kaohe reads this sentence as {pattern}: `{first}`; the quick fix \"write this rule from its sentence\" writes it with its inputs (check the inputs' names and descriptions)"),
                        format!("kaohe 把这句话识别为“{phrase}”：`{first}`；快速修复“按原句写出规则”会连同所需数据一并写出（请核对数据的名称和说明）"),
                    ))
                    .with_fix(p.span, text);
            }
            None => {
                if let Some(hint) = crate::import::phrase_hint(sentence) {
                    d = d.with_note(hint);
                }
            }
        }
        self.report(d);
    }

    /// The spaces before the text on the line where `at` is.
    fn indent_at(&self, at: usize) -> String {
        let start = self
            .text
            .get(..at)
            .and_then(|s| s.rfind('\n'))
            .map_or(0, |n| n + 1);
        self.text
            .get(start..at)
            .unwrap_or("")
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect()
    }
}

/// Whether `d` is a placeholder's warning, whose fix writes its rule (for
/// the language service's title of it).
pub(crate) fn writes_the_rule(d: &Diagnostic) -> bool {
    d.code == Code::RulePending
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
