//! Turning diagnostics into text for people and JSON for tools.
//!
//! Both read the same `Diagnostic`; neither adds information of its own.
//! Both write the language they are given: every text of a diagnostic is
//! in both, and its code is the same in either.

use super::{Diagnostic, Lang, Severity};
use crate::escape::{terminal, terminal_same_len};
use crate::source::Source;
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor};
use serde_json::json;

/// Render for a terminal: the message, the source lines with labels, notes
/// and help, in `lang`. `source` is the file the spans point into.
pub fn to_text(diag: &Diagnostic, source: Option<&Source>, color: bool, lang: Lang) -> String {
    let (name, text) = match source {
        Some(s) => (s.name.as_str(), s.text.as_str()),
        None => (diag.file.as_deref().unwrap_or(""), ""),
    };
    // No escape sequence from a spec or data file reaches the terminal:
    // the source byte for byte (spans keep their offsets), texts visibly.
    let file = SimpleFile::new(terminal(name), terminal_same_len(text));
    let cs_diag = to_codespan(diag, source.is_some(), lang);
    let config = term::Config::default();
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    match term::emit_to_write_style(&mut buffer, &config, &file, &cs_diag) {
        Ok(()) => in_lang(&String::from_utf8_lossy(buffer.as_slice()), lang),
        // A span outside the file would be a bug of ours; still say what we know.
        Err(_) => format!(
            "{}[{}]: {}\n",
            severity_word(diag.severity, lang),
            diag.code,
            terminal(diag.message.get(lang))
        ),
    }
}

/// codespan-reporting writes the severity in English (`error[K0201]`); in
/// Chinese the header's first word is replaced by its Chinese.
fn in_lang(rendered: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return rendered.to_string();
    }
    [Severity::Error, Severity::Warning]
        .iter()
        .find_map(|&s| {
            let en = format!("{}[", severity_word(s, Lang::En));
            let at = rendered.find(&en)?;
            // The header is the first line: the word is before any newline.
            (!rendered.get(..at)?.contains('\n'))
                .then(|| rendered.replacen(&en, &format!("{}[", severity_word(s, lang)), 1))
        })
        .unwrap_or_else(|| rendered.to_string())
}

fn severity_word(s: Severity, lang: Lang) -> &'static str {
    match (s, lang) {
        (Severity::Error, Lang::En) => "error",
        (Severity::Warning, Lang::En) => "warning",
        (Severity::Error, Lang::Zh) => "错误",
        (Severity::Warning, Lang::Zh) => "警告",
    }
}

fn to_codespan(diag: &Diagnostic, with_spans: bool, lang: Lang) -> cs::Diagnostic<()> {
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
                cs::Label::new(style, (), l.span.start..l.span.end)
                    .with_message(terminal(l.message.get(lang)))
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut notes: Vec<String> = diag
        .notes
        .iter()
        .map(|n| terminal(n.get(lang)).into_owned())
        .collect();
    if let Some(help) = &diag.help {
        notes.push(match lang {
            Lang::En => format!("help: {}", terminal(&help.en)),
            Lang::Zh => format!("建议：{}", terminal(&help.zh)),
        });
    }
    cs::Diagnostic::new(severity)
        .with_code(diag.code.as_str())
        .with_message(terminal(diag.message.get(lang)))
        .with_labels(labels)
        .with_notes(notes)
}

/// One JSON object per diagnostic, with line and column (1-based, in
/// characters) beside each span's byte offsets. Its texts are in `lang`,
/// which the object names (`"lang": "zh"`).
pub fn to_json(diag: &Diagnostic, source: Option<&Source>, lang: Lang) -> serde_json::Value {
    let labels: Vec<_> = diag
        .labels
        .iter()
        .map(|l| {
            let (line, column) = source.map_or((0, 0), |s| s.line_col(l.span.start));
            let (end_line, end_column) = source.map_or((0, 0), |s| s.line_col(l.span.end));
            json!({
                "message": l.message.get(lang),
                "primary": l.primary,
                "start": l.span.start, "end": l.span.end,
                "line": line, "column": column,
                "end_line": end_line, "end_column": end_column,
            })
        })
        .collect();
    let fixes: Vec<_> = diag
        .fixes
        .iter()
        .map(|f| {
            let (line, column) = source.map_or((0, 0), |s| s.line_col(f.span.start));
            let (end_line, end_column) = source.map_or((0, 0), |s| s.line_col(f.span.end));
            json!({
                "start": f.span.start, "end": f.span.end,
                "line": line, "column": column,
                "end_line": end_line, "end_column": end_column,
                "replacement": f.replacement,
            })
        })
        .collect();
    json!({
        "code": diag.code,
        "severity": diag.severity,
        "lang": lang.code(),
        "message": diag.message.get(lang),
        "file": diag.file.clone().or_else(|| source.map(|s| s.name.clone())),
        "labels": labels,
        "notes": diag.notes.iter().map(|n| n.get(lang)).collect::<Vec<_>>(),
        "help": diag.help.as_ref().map(|h| h.get(lang)),
        "fixes": fixes,
    })
}
