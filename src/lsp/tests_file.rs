//! The test file beside an open spec (`NAME.tests.json`, `kaohe test`):
//! its cases are run against the spec as the editor holds it, and every
//! case whose expectations no longer hold becomes a diagnostic on the test
//! file, at the case's name, saying what it expected and what it got.

use crate::diagnostic::{Code, Diagnostic, Lang};
use crate::ir::Program;
use crate::source::Span;
use crate::spectest;
use crate::t;
use std::path::Path;

/// A test file's problems, by byte span of its text.
pub struct TestsFile {
    pub text: String,
    pub problems: Vec<(Span, Diagnostic)>,
}

/// Run the test file of `spec`, when there is one; `program` is the spec
/// as checked (none while it has errors: then nothing is said of the tests,
/// as `kaohe test` says nothing until the spec checks).
pub fn check(spec: &Path, program: Option<&Program>) -> Option<TestsFile> {
    let path = spectest::tests_path(spec);
    let text = std::fs::read_to_string(&path).ok()?;
    let mut problems = Vec::new();
    let Some(program) = program else {
        return Some(TestsFile { text, problems });
    };
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().to_string());
    let dir = path.parent().unwrap_or(Path::new("."));
    let cases = match spectest::read_cases(&text, &name, dir) {
        Ok(cases) => cases,
        Err(d) => {
            let at = json_error_at(&text);
            problems.push((at, *d));
            return Some(TestsFile { text, problems });
        }
    };
    let mut from = 0;
    let mut places = Vec::new();
    for case in &cases {
        let span = place_of(&text, &case.name, from);
        from = span.end;
        places.push(span);
    }
    for d in spectest::unknown_items(program, &cases, &name) {
        let at = cases
            .iter()
            .zip(&places)
            .find(|(c, _)| d.message.en.contains(&format!("“{}”", c.name)))
            .map_or(Span::default(), |(_, s)| *s);
        problems.push((at, d));
    }
    if !problems.is_empty() {
        return Some(TestsFile { text, problems });
    }
    for (case, at) in cases.iter().zip(places) {
        let verdict = spectest::run(program, case);
        if verdict.failures.is_empty() {
            continue;
        }
        let case_name = &case.name;
        let mut d = Diagnostic::new(
            Code::LspTestFails,
            t!(
                "case “{case_name}” no longer scores as it expects",
                "用例“{case_name}”的得分与预期不再相符"
            ),
        )
        .with_help(t!(
            "if the spec is right, run `kaohe test --bless` to write what it scores now as the expectation; otherwise correct the spec",
            "如果规则文件是对的，运行 `kaohe test --bless` 把现在的得分写为预期；否则请更正规则文件"
        ));
        for failure in verdict.failures {
            d = d.with_note(failure);
        }
        problems.push((at, d));
    }
    Some(TestsFile { text, problems })
}

/// Where a case's name is written (its JSON string), from `from` on.
fn place_of(text: &str, name: &str, from: usize) -> Span {
    let quoted = serde_json::to_string(name).unwrap_or_default();
    text.get(from..)
        .and_then(|rest| rest.find(&quoted))
        .map_or(Span::new(from, from), |at| {
            Span::new(from + at, from + at + quoted.len())
        })
}

/// The start of the line where the JSON of a test file stops being valid.
fn json_error_at(text: &str) -> Span {
    let Err(e) = serde_json::from_str::<serde_json::Value>(text) else {
        return Span::default();
    };
    let start = text
        .split_inclusive('\n')
        .take(e.line().saturating_sub(1))
        .map(str::len)
        .sum();
    Span::new(start, start)
}

/// A test file's diagnostic as the editor shows it: the message, then the
/// notes (expected against actual) and the help.
pub fn message(d: &Diagnostic, lang: Lang) -> String {
    let mut out = d.message.get(lang).to_string();
    for note in &d.notes {
        out.push('\n');
        out.push_str(note.get(lang));
    }
    if let Some(help) = &d.help {
        out.push('\n');
        out.push_str(&help_line(help.get(lang), lang));
    }
    out
}

/// A help text as the CLI prints it.
pub fn help_line(help: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("help: {help}"),
        Lang::Zh => format!("建议：{help}"),
    }
}
