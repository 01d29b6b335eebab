//! kaohe's diagnostics as [`miette::Diagnostic`]s, for Rust programs that
//! embed kaohe and report with miette. The CLI does not use this: it keeps
//! its one renderer (`render`, codespan-reporting).
//!
//! [`DiagnosticReport`] holds a [`Diagnostic`], the text its spans point into and the
//! language to speak; miette reads from it the code, the severity, the
//! message, a label per span, the help (with the notes before it) and the
//! source, so that any of miette's handlers renders it.

use super::{Diagnostic, Lang, Severity};
use crate::source::Source;
use std::fmt;

/// One kaohe diagnostic with its source, as a [`miette::Diagnostic`].
#[derive(Debug)]
pub struct DiagnosticReport {
    diagnostic: Diagnostic,
    source: miette::NamedSource<String>,
    lang: Lang,
}

impl DiagnosticReport {
    /// The diagnostic `diagnostic`, whose spans point into `source`, told
    /// in `lang`.
    pub fn new(diagnostic: Diagnostic, source: &Source, lang: Lang) -> DiagnosticReport {
        DiagnosticReport {
            diagnostic,
            source: miette::NamedSource::new(source.name.clone(), source.text.clone()),
            lang,
        }
    }

    /// Every diagnostic of a list, each with the same source and language.
    pub fn all(diagnostics: Vec<Diagnostic>, source: &Source, lang: Lang) -> Vec<DiagnosticReport> {
        diagnostics
            .into_iter()
            .map(|d| DiagnosticReport::new(d, source, lang))
            .collect()
    }

    /// The kaohe diagnostic itself.
    pub fn diagnostic(&self) -> &Diagnostic {
        &self.diagnostic
    }
}

impl fmt::Display for DiagnosticReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.diagnostic.message.get(self.lang))
    }
}

impl std::error::Error for DiagnosticReport {}

impl miette::Diagnostic for DiagnosticReport {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.diagnostic.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    /// The notes, then the help (miette has one help text; the notes are
    /// facts the reader needs, so they go first).
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let lang = self.lang;
        let mut lines: Vec<&str> = self.diagnostic.notes.iter().map(|n| n.get(lang)).collect();
        if let Some(help) = &self.diagnostic.help {
            lines.push(help.get(lang));
        }
        (!lines.is_empty()).then(|| Box::new(lines.join("\n")) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let len = self.source.inner().len();
        let lang = self.lang;
        let labels = self.diagnostic.labels.iter().map(move |l| {
            // A span past the end would make miette refuse the whole report.
            let start = l.span.start.min(len);
            let end = l.span.end.clamp(start, len);
            let text = Some(l.message.get(lang).to_string());
            if l.primary {
                miette::LabeledSpan::new_primary_with_span(text, start..end)
            } else {
                miette::LabeledSpan::new_with_span(text, start..end)
            }
        });
        Some(Box::new(labels))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::source::Span;
    use crate::t;

    fn render(report: &DiagnosticReport) -> String {
        let mut out = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .render_report(&mut out, report)
            .unwrap();
        out
    }

    #[test]
    fn the_rendered_report_holds_the_code_the_label_and_the_help() {
        let source = Source::new("demo.kh", "input 甲: count\ninput 乙: cuont\n");
        let d = Diagnostic::new(Code::Syntax, t!("unknown type `cuont`", "未知类型“cuont”"))
            .at(Span::new(27, 32), t!("not a type", "不是类型"))
            .with_label(Span::new(0, 5), t!("first input", "第一个数据项"))
            .with_note(t!("types are count, number…", "类型有计数、数值……"))
            .with_help(t!("write `count`", "改为“count”"));
        let zh = render(&DiagnosticReport::new(d.clone(), &source, Lang::Zh));
        for part in [
            "K0101",
            "未知类型“cuont”",
            "不是类型",
            "第一个数据项",
            "改为“count”",
        ] {
            assert!(zh.contains(part), "{part} not in\n{zh}");
        }
        assert!(zh.contains("demo.kh"), "{zh}");
        let en = render(&DiagnosticReport::new(d, &source, Lang::En));
        for part in [
            "K0101",
            "unknown type `cuont`",
            "not a type",
            "write `count`",
        ] {
            assert!(en.contains(part), "{part} not in\n{en}");
        }
    }

    #[test]
    fn a_span_past_the_end_is_clamped_not_refused() {
        let source = Source::new("x.kh", "abc");
        let d = Diagnostic::new(Code::Syntax, t!("m", "m")).at(Span::new(2, 99), t!("l", "l"));
        assert!(render(&DiagnosticReport::new(d, &source, Lang::En)).contains('l'));
    }
}
