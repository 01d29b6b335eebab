//! Answers that change the text: formatting, rename and quick fixes, each
//! as text edits.

use super::index::Symbol;
use super::{Analysis, Problem, QuickFix, Range};
use crate::diagnostic::{Diagnostic, Text};
use crate::parse::{KaoheParser, Rule};
use crate::source::Span;
use crate::t;
use pest::Parser as _;
use serde::Serialize;

/// Replace the text in `range` with `new_text`. The edits of one answer
/// never overlap, and each range is in the text as analysed (apply them
/// from the last to the first, or all at once as editors do).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TextEdit {
    pub range: Range,
    pub new_text: String,
}

/// Why a rename was refused, in the analysis's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub message: String,
}

impl Analysis {
    fn edit(&self, span: Span, new_text: impl Into<String>) -> TextEdit {
        TextEdit {
            range: self.range(span),
            new_text: new_text.into(),
        }
    }

    pub(super) fn refuse(&self, text: Text) -> Refusal {
        Refusal {
            message: text.get(self.lang()).to_string(),
        }
    }

    /// `kaohe fmt` as the edits that turn the text into its formatted form,
    /// one per run of changed lines (none when it is formatted already); or
    /// the syntax errors that keep it from being formatted.
    pub fn format(&self) -> Result<Vec<TextEdit>, Vec<Problem>> {
        let formatted = crate::fmt::format(self.text(), None)
            .map_err(|ds| ds.iter().map(|d| self.problem(d)).collect::<Vec<_>>())?;
        Ok(line_edits(self.text(), &formatted)
            .into_iter()
            .map(|(span, new)| self.edit(span, new))
            .collect())
    }

    /// The name at `offset` that may be renamed (an input, an enumeration
    /// or a standard by class), as written there.
    pub fn prepare_rename(&self, offset: usize) -> Option<Range> {
        match self.symbol_at(offset)? {
            (Symbol::Input(_) | Symbol::Enum(_) | Symbol::Standard(_), span) => {
                Some(self.range(span))
            }
            _ => None,
        }
    }

    /// Rename the input, enumeration or standard at `offset` to `new_name`, at its
    /// declaration and every use; refused, with a message saying why, when
    /// no input or enumeration is there, the new name is not a name kaohe
    /// reads, or another input, enumeration or variable already has it.
    pub fn rename(&self, offset: usize, new_name: &str) -> Result<Vec<TextEdit>, Refusal> {
        if self.ast.is_none() {
            return Err(self.refuse(t!(
                "the spec has syntax errors: correct them, then rename",
                "规则文件有语法错误：请先改正，再重命名"
            )));
        }
        let (symbol, old) = match self.symbol_at(offset) {
            Some((s @ (Symbol::Input(_) | Symbol::Enum(_) | Symbol::Standard(_)), span)) => {
                (s, span)
            }
            _ => {
                return Err(self.refuse(t!(
                    "only an input, an enumeration or a standard can be renamed: put the cursor on its name",
                    "只能重命名数据项、枚举或标准：请把光标放在其名称上"
                )));
            }
        };
        let old_name = self.text().get(old.start..old.end).unwrap_or("");
        if !is_name(new_name) {
            return Err(self.refuse(t!(
                "`{new_name}` is not a name: a name begins with a letter, a Chinese character or `_`, goes on with those or digits, and is not a keyword",
                "“{new_name}”不能作名称：名称以字母、汉字或“_”开头，其后为字母、汉字、数字或“_”，且不能是关键字"
            )));
        }
        if new_name == old_name {
            return Ok(Vec::new());
        }
        let ix = &self.index;
        let taken = ix.inputs.iter().any(|i| i.decl.name.text == new_name)
            || ix.enums.iter().any(|e| e.name.text == new_name)
            || ix.standards.iter().any(|s| s.name.text == new_name)
            || ix.bound.iter().any(|b| b == new_name);
        if taken {
            return Err(self.refuse(t!(
                "`{new_name}` is already a name in this spec: choose another",
                "本规则文件中已有名称“{new_name}”：请另选一个"
            )));
        }
        Ok(ix.of(symbol).map(|o| self.edit(o.span, new_name)).collect())
    }
}

/// Whether `name` reads as a whole name (an identifier, not a keyword).
fn is_name(name: &str) -> bool {
    KaoheParser::parse(Rule::ident, name)
        .ok()
        .and_then(|mut pairs| pairs.next())
        .is_some_and(|p| p.as_str() == name)
}

/// The fix a diagnostic carries, as edits with a title.
pub(super) fn quick_fix(a: &Analysis, d: &Diagnostic) -> Option<QuickFix> {
    let first = d.fixes.first()?;
    let old = a.text().get(first.span.start..first.span.end).unwrap_or("");
    let new = first.replacement.as_str();
    let title = match (d.fixes.len(), new.is_empty()) {
        // A placeholder's rules, recognised from its sentence (check::pending).
        _ if crate::check::writes_the_rule(d) => {
            t!("Write this rule from its sentence", "按原句写出规则")
        }
        // A space that is another one would read as replaced by itself.
        (1, false)
            if !old.is_empty() && old.chars().all(crate::parse::fullwidth::is_other_space) =>
        {
            t!("Replace with an ordinary space", "换成普通空格")
        }
        (1, _) if old == ":" || old == "：" => t!("Delete the colon", "删去冒号"),
        (1, false) if old.is_empty() && new == " " => t!("Insert a space", "插入一个空格"),
        (1, false) if old.is_empty() => t!("Insert `{new}`", "插入“{new}”"),
        (1, true) => t!("Delete `{old}`", "删除“{old}”"),
        (1, false) => t!("Replace `{old}` with `{new}`", "把“{old}”改为“{new}”"),
        _ => d
            .help
            .clone()
            .unwrap_or_else(|| t!("Apply the fix", "应用修改")),
    };
    Some(QuickFix {
        title: title.get(a.lang()).to_string(),
        code: d.code,
        edits: d
            .fixes
            .iter()
            .map(|f| a.edit(f.span, f.replacement.clone()))
            .collect(),
    })
}

/// The edits, by runs of whole lines, that turn `old` into `new`: the byte
/// span in `old` and the text to put there.
fn line_edits(old: &str, new: &str) -> Vec<(Span, String)> {
    use similar::{DiffOp, TextDiff};
    let diff = TextDiff::from_lines(old, new);
    let starts = |text: &str| -> Vec<usize> {
        let mut s = vec![0];
        s.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        if s.last() != Some(&text.len()) {
            s.push(text.len());
        }
        s
    };
    let (old_at, new_at) = (starts(old), starts(new));
    let at = |v: &[usize], line: usize, len: usize| v.get(line).copied().unwrap_or(len);
    let mut edits: Vec<(Span, String)> = Vec::new();
    for op in diff.ops() {
        let (o, n) = match *op {
            DiffOp::Equal { .. } => continue,
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => (old_index..old_index + old_len, new_index..new_index),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (old_index..old_index, new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                old_index..old_index + old_len,
                new_index..new_index + new_len,
            ),
        };
        let span = Span::new(
            at(&old_at, o.start, old.len()),
            at(&old_at, o.end, old.len()),
        );
        let text = new
            .get(at(&new_at, n.start, new.len())..at(&new_at, n.end, new.len()))
            .unwrap_or("")
            .to_string();
        // Adjacent runs (a deletion next to an insertion) make one edit.
        match edits.last_mut() {
            Some((last, t)) if last.end == span.start => {
                last.end = span.end;
                t.push_str(&text);
            }
            _ => edits.push((span, text)),
        }
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(old: &str, edits: &[(Span, String)]) -> String {
        let mut s = old.to_string();
        for (span, t) in edits.iter().rev() {
            s.replace_range(span.start..span.end, t);
        }
        s
    }

    #[test]
    fn line_edits_turn_the_old_text_into_the_new() {
        for (old, new) in [
            ("a\nb\nc\n", "a\nB\nc\n"),
            ("a\nb\nc", "a\nc"),
            ("a\n", "x\na\ny\n"),
            ("", "a\n"),
            ("a\nb", "a\nb\n"),
            ("扣\n𠀀\n", "扣\n 𠀀\n"),
        ] {
            let edits = line_edits(old, new);
            assert_eq!(apply(old, &edits), new, "{old:?} → {new:?}: {edits:?}");
        }
        assert!(line_edits("a\nb\n", "a\nb\n").is_empty());
    }

    #[test]
    fn names_are_identifiers_and_not_keywords() {
        assert!(is_name("pm25"));
        assert!(is_name("会议次数"));
        assert!(is_name("_x"));
        assert!(!is_name("1x"));
        assert!(!is_name("a b"));
        assert!(!is_name("deduct"));
        assert!(!is_name("扣"));
        assert!(!is_name(""));
    }
}
