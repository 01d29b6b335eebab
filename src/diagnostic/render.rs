//! Turning diagnostics into text for people and JSON for tools.
//!
//! Both read the same `Diagnostic`; neither adds information of its own.

use super::{Diagnostic, Severity};
use crate::source::Source;
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor};
use serde_json::json;

/// Render for a terminal: the message, the source lines with labels, notes
/// and help. `source` is the file the spans point into.
pub fn to_text(diag: &Diagnostic, source: Option<&Source>, color: bool) -> String {
    let (name, text) = match source {
        Some(s) => (s.name.as_str(), s.text.as_str()),
        None => (diag.file.as_deref().unwrap_or(""), ""),
    };
    let file = SimpleFile::new(name, text);
    let cs_diag = to_codespan(diag, source.is_some());
    let config = term::Config::default();
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    match term::emit_to_write_style(&mut buffer, &config, &file, &cs_diag) {
        Ok(()) => String::from_utf8_lossy(buffer.as_slice()).into_owned(),
        // A span outside the file would be a bug of ours; still say what we know.
        Err(_) => format!(
            "{}[{}]: {}\n",
            severity_word(diag.severity),
            diag.code,
            diag.message
        ),
    }
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn to_codespan(diag: &Diagnostic, with_spans: bool) -> cs::Diagnostic<()> {
    let severity = match diag.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let labels = if with_spans {
        diag.labels
            .iter()
            .map(|l| {
                let style = if l.primary {
                    cs::LabelStyle::Primary
                } else {
                    cs::LabelStyle::Secondary
                };
                cs::Label::new(style, (), l.span.start..l.span.end).with_message(l.message.clone())
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut notes = diag.notes.clone();
    if let Some(help) = &diag.help {
        notes.push(format!("help: {help}"));
    }
    cs::Diagnostic::new(severity)
        .with_code(diag.code.as_str())
        .with_message(diag.message.clone())
        .with_labels(labels)
        .with_notes(notes)
}

/// One JSON object per diagnostic, with line and column (1-based, in
/// characters) beside each span's byte offsets.
pub fn to_json(diag: &Diagnostic, source: Option<&Source>) -> serde_json::Value {
    let labels: Vec<_> = diag
        .labels
        .iter()
        .map(|l| {
            let (line, column) = source.map_or((0, 0), |s| s.line_col(l.span.start));
            let (end_line, end_column) = source.map_or((0, 0), |s| s.line_col(l.span.end));
            json!({
                "message": l.message,
                "primary": l.primary,
                "start": l.span.start, "end": l.span.end,
                "line": line, "column": column,
                "end_line": end_line, "end_column": end_column,
            })
        })
        .collect();
    json!({
        "code": diag.code,
        "severity": diag.severity,
        "message": diag.message,
        "file": diag.file.clone().or_else(|| source.map(|s| s.name.clone())),
        "labels": labels,
        "notes": diag.notes,
        "help": diag.help,
    })
}
