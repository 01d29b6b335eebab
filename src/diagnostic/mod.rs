//! The one diagnostic type every stage reports with, and its codes.
//!
//! A diagnostic is data: a code, a severity, a message, labelled spans, notes
//! and help. Rendering lives apart (`render`), so that the terminal, JSON and
//! an editor all read the same thing.
//!
//! Message style: the message is one line a policy officer can act on. It
//! says what is wrong in the spec's own terms ("item 6.2", "input pm25"), in
//! lower case, without a trailing full stop. A label says what is at its
//! span. Help says what to write instead, when a fix is known. Notes carry
//! facts the reader needs, such as what a number was compared against.
//!
//! Every text is given in English and in Chinese ([`Text`], made with
//! [`t!`](crate::t)); the renderer picks one. The Chinese says the same in
//! the register of an assessment office, with the spec's names in “…”.

mod codes;
mod encoding;
pub mod miette;
pub mod render;
mod text;

pub use codes::Code;
pub use encoding::{decode_chinese, not_utf8};
pub use text::{Lang, Part, Text};

use crate::source::Span;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A span with what the reader should see there.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: Text,
    pub primary: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: Text,
    /// The file the spans are in, as the user named it; `None` for a
    /// diagnostic about data or about the invocation.
    pub file: Option<String>,
    pub labels: Vec<Label>,
    pub notes: Vec<Text>,
    pub help: Option<Text>,
    /// Edits that would repair the text, for an editor's quick fix: each
    /// replaces the text of its span. Empty when no mechanical fix is known.
    pub fixes: Vec<Fix>,
}

/// One edit of a spec: replace the text at `span` with `replacement`
/// (empty to delete it).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fix {
    pub span: Span,
    pub replacement: String,
}

impl Diagnostic {
    /// A diagnostic with the severity its code carries.
    pub fn new(code: Code, message: Text) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message,
            file: None,
            labels: Vec::new(),
            notes: Vec::new(),
            help: None,
            fixes: Vec::new(),
        }
    }

    /// Point at the place the problem is, saying what is there.
    pub fn at(mut self, span: Span, label: Text) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: label,
            primary: true,
        });
        self
    }

    /// Point at a second place that explains the first.
    pub fn with_label(mut self, span: Span, label: Text) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: label,
            primary: false,
        });
        self
    }

    pub fn with_note(mut self, note: Text) -> Diagnostic {
        self.notes.push(note);
        self
    }

    pub fn with_help(mut self, help: Text) -> Diagnostic {
        self.help = Some(help);
        self
    }

    /// Offer an edit that repairs the text: replace `span` with `replacement`.
    pub fn with_fix(mut self, span: Span, replacement: impl Into<String>) -> Diagnostic {
        self.fixes.push(Fix {
            span,
            replacement: replacement.into(),
        });
        self
    }

    pub fn in_file(mut self, file: &str) -> Diagnostic {
        self.file = Some(file.to_string());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The primary span, if the diagnostic has one.
    pub fn primary_span(&self) -> Option<Span> {
        self.labels.iter().find(|l| l.primary).map(|l| l.span)
    }
}

/// Whether any diagnostic in the list is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// The name closest to `wrong` in edit distance, for "did you mean"; none
/// when every candidate differs in as many characters as `wrong` has (so
/// "D" never suggests "A").
pub fn suggest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = wrong.chars().count();
    let limit = (len / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(wrong, c), c))
        .filter(|(d, _)| *d <= limit && *d < len)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    // One row of the Levenshtein table at a time: `above` is the previous.
    let mut above: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut row = Vec::with_capacity(b.len() + 1);
        row.push(i + 1);
        for ((cb, diagonal), up) in b.iter().zip(&above).zip(above.iter().skip(1)) {
            let left = row.last().copied().unwrap_or(i + 1);
            row.push(
                (diagonal + usize::from(ca != *cb))
                    .min(left + 1)
                    .min(up + 1),
            );
        }
        above = row;
    }
    above.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_name_within_reach() {
        assert_eq!(
            suggest("meetngs", ["meetings", "reports"]),
            Some("meetings")
        );
        assert_eq!(suggest("xyz", ["meetings", "reports"]), None);
        assert_eq!(suggest("D", ["A", "B", "C"]), None);
        assert_eq!(suggest("甲", ["A", "B"]), None);
    }
}
