//! The language service: everything an editor or the web workbench asks
//! about a spec at a cursor, answered from one analysis of its text.
//!
//! An [`Analysis`] is built once per version of the text (parse, check, and
//! an index of every name's declaration and uses, read from the AST's
//! spans); each question is then a lookup. Positions come back as byte
//! offsets and as lines and UTF-16 columns from 0 ([`Position`]), as the
//! Language Server Protocol counts them; a cursor goes in as a byte offset
//! ([`Analysis::offset`] turns an editor's line and column into one).
//!
//! The answers are plain data (serde `Serialize`), free of any protocol:
//! `kaohe lsp` maps them to the protocol's types, `kaohe serve` sends them
//! as JSON. Texts are in the analysis's language ([`Analysis::lang`]: the
//! spec's keyword set unless set otherwise).
//!
//! ```
//! use kaohe::api::service::Analysis;
//!
//! let a = Analysis::new("input pm25: number \"PM2.5\"\ninput x: count \"x\"\n");
//! let at = a.text().find("pm25").unwrap();
//! let hover = a.hover(at).unwrap();
//! assert!(hover.markdown.contains("PM2.5"));
//! assert_eq!(a.definition(at).unwrap().start.line, 0);
//! ```

mod completion;
mod data;
mod edit;
mod hover;
mod index;
mod keywords;
mod outline;
mod position;
mod scan;
mod snippets;
mod tokens;

pub use completion::{Completion, CompletionKind, Completions};
pub use data::{DataCheck, DataProblem};
pub use edit::{Refusal, TextEdit};
pub use hover::{Hover, HoverInfo};
pub use keywords::{KeywordEntry, keyword_table, keyword_table_json};
pub use outline::{OutlineKind, OutlineNode};
pub use position::{LineCol, LineIndex, Position, Range};
pub use tokens::{Token, TokenKind};

use crate::diagnostic::{Code, Diagnostic, Lang, Severity};
use crate::ir::Program;
use crate::parse::ast;
use crate::parse::keywords::KeywordSet;
use crate::source::Span;
pub(crate) use index::Index;
use index::Symbol;
use serde::{Deserialize, Serialize};

/// A spec's text, analysed: ask it questions by byte offset.
#[derive(Debug)]
pub struct Analysis {
    text: String,
    lines: LineIndex,
    lang: Lang,
    set: Option<KeywordSet>,
    ast: Option<ast::Spec>,
    program: Option<Program>,
    diagnostics: Vec<Diagnostic>,
    index: Index,
}

/// A diagnostic with its places as positions, in one language.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    /// The stable code, such as `K0201`.
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// The primary label's range (the start of the text when the
    /// diagnostic has no place).
    pub range: Range,
    /// Every label, the primary one first.
    pub labels: Vec<LabelAt>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    /// The repair the diagnostic carries, if any.
    pub fix: Option<QuickFix>,
}

/// A label of a diagnostic, at its range.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabelAt {
    pub range: Range,
    pub message: String,
    pub primary: bool,
}

/// A repair of the text a diagnostic offers: edits to apply together.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuickFix {
    /// What the fix does, for a menu.
    pub title: String,
    /// The code of the diagnostic it repairs.
    pub code: Code,
    pub edits: Vec<TextEdit>,
}

/// One change of the text as an editor sends it: `text` replaces `range`
/// (lines and UTF-16 columns), or the whole text when there is no range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub range: Option<(LineCol, LineCol)>,
    pub text: String,
}

impl Analysis {
    /// Analyse a spec's text.
    pub fn new(text: impl Into<String>) -> Analysis {
        let text = text.into();
        let lines = LineIndex::new(&text);
        let set = crate::parse::keywords::detect(&text);
        let (ast, mut diagnostics) = crate::parse::parse(&text);
        let mut program = None;
        if let Some(spec) = &ast {
            let (p, mut found) = crate::check::check(spec, &text);
            diagnostics.append(&mut found);
            program = p;
        }
        let index = ast.as_ref().map(Index::new).unwrap_or_default();
        let lang = match set {
            Some(KeywordSet::Zh) => Lang::Zh,
            Some(KeywordSet::En) => Lang::En,
            None => program.as_ref().map_or(Lang::Zh, |p| p.header.lang),
        };
        Analysis {
            text,
            lines,
            lang,
            set,
            ast,
            program,
            diagnostics,
            index,
        }
    }

    /// The text after `changes`, applied in order (each range is read in
    /// the text as the changes before it left it), analysed anew in the
    /// same language.
    pub fn change(&self, changes: &[Change]) -> Analysis {
        let mut text = self.text.clone();
        for c in changes {
            match c.range {
                None => text.clone_from(&c.text),
                Some((from, to)) => {
                    let lines = LineIndex::new(&text);
                    let start = lines.offset(&text, from);
                    let end = lines.offset(&text, to).max(start);
                    text.replace_range(start..end, &c.text);
                }
            }
        }
        let mut next = Analysis::new(text);
        next.lang = self.lang;
        next
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The language the answers' texts are in.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Answer in another language.
    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
    }

    /// The checked program, when the spec has no error.
    pub fn program(&self) -> Option<&Program> {
        self.program.as_ref()
    }

    /// The diagnostics as the stages made them (byte spans, both languages),
    /// for the CLI's renderers.
    pub fn raw_diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The program and the diagnostics, as [`crate::compile`] gives them,
    /// for a front end done asking questions (the CLI's `check`).
    pub(crate) fn into_compiled(self) -> crate::Compiled {
        crate::Compiled {
            program: self.program,
            diagnostics: self.diagnostics,
        }
    }

    /// The lines of the text.
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// The position of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        self.lines.position(&self.text, offset)
    }

    /// The range of a byte span.
    pub fn range(&self, span: Span) -> Range {
        self.lines.range(&self.text, span)
    }

    /// The byte offset of an editor's line and UTF-16 column.
    pub fn offset(&self, at: LineCol) -> usize {
        self.lines.offset(&self.text, at)
    }

    /// Every diagnostic of the spec, at its positions, with its fix.
    pub fn diagnostics(&self) -> Vec<Problem> {
        self.diagnostics.iter().map(|d| self.problem(d)).collect()
    }

    /// The diagnostic `d`, with its spans (into this text) as positions.
    pub fn problem(&self, d: &Diagnostic) -> Problem {
        let lang = self.lang;
        let mut labels: Vec<LabelAt> = d
            .labels
            .iter()
            .map(|l| LabelAt {
                range: self.range(l.span),
                message: l.message.get(lang).to_string(),
                primary: l.primary,
            })
            .collect();
        labels.sort_by_key(|l| !l.primary);
        let range = d
            .primary_span()
            .map_or_else(|| self.range(Span::default()), |s| self.range(s));
        Problem {
            code: d.code,
            severity: d.severity,
            message: d.message.get(lang).to_string(),
            range,
            labels,
            notes: d.notes.iter().map(|n| n.get(lang).to_string()).collect(),
            help: d.help.as_ref().map(|h| h.get(lang).to_string()),
            fix: edit::quick_fix(self, d),
        }
    }

    /// The fixes of the diagnostics whose primary range meets `span`, for
    /// an editor's code actions at a selection or cursor.
    pub fn quick_fixes(&self, span: Span) -> Vec<QuickFix> {
        self.diagnostics
            .iter()
            .filter(|d| {
                d.primary_span()
                    .is_some_and(|s| s.start <= span.end && span.start <= s.end)
            })
            .filter_map(|d| edit::quick_fix(self, d))
            .collect()
    }

    /// Where the input, enumeration, value, item, field or standard at
    /// `offset` is declared.
    pub fn definition(&self, offset: usize) -> Option<Range> {
        let symbol = self.index.at(offset)?.symbol;
        self.index.declaration(symbol).map(|s| self.range(s))
    }

    /// Every place the name at `offset` is written, in text order; its
    /// declaration too when `with_declaration`.
    pub fn references(&self, offset: usize, with_declaration: bool) -> Vec<Range> {
        let Some(at) = self.index.at(offset) else {
            return Vec::new();
        };
        self.index
            .of(at.symbol)
            .filter(|o| with_declaration || !o.declaration)
            .map(|o| self.range(o.span))
            .collect()
    }

    /// The keyword set of the spec, when its text shows one.
    fn keyword_set(&self) -> Option<KeywordSet> {
        self.set
    }

    fn symbol_at(&self, offset: usize) -> Option<(Symbol, Span)> {
        self.index.at(offset).map(|o| (o.symbol, o.span))
    }
}

#[cfg(test)]
mod tests {
    use super::Analysis;

    #[test]
    fn into_compiled_gives_what_compile_gives() {
        let text = include_str!("../../specs/liucheng-2024.kh");
        for text in [text, "table \"x\"\n  total oops\n"] {
            let compiled = crate::compile(text);
            let from_service = Analysis::new(text.to_string()).into_compiled();
            assert_eq!(from_service.diagnostics, compiled.diagnostics);
            assert_eq!(from_service.program, compiled.program);
        }
    }
}
