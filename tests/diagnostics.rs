//! Every diagnostic code is triggered by a case in tests/diagnostics/, and
//! the rendered diagnostics of each case are a snapshot.
//!
//! A case is `KXXXX-what-it-shows.kh`: a spec whose diagnostics must include
//! code KXXXX. When `KXXXX-….data.json` stands beside it, the spec must check
//! and the case is the data's (and evaluation's) diagnostics instead;
//! likewise with `KXXXX-….data.csv` (list files in `KXXXX-….data/`) or
//! `KXXXX-….data.xlsx`, read as `kaohe eval` reads them.
//! Snapshots live in tests/diagnostics/snapshots, one in English
//! (`KXXXX-….snap`) and one in Chinese (`KXXXX-….zh.snap`) per case; after
//! a deliberate change of wording, run
//! `INSTA_UPDATE=always cargo test --test diagnostics` and review the diff.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{read, rendered_in, root};
use kaohe::api::{Code, Diagnostic, Lang, Options, Source, Spec, render_text};
use std::collections::BTreeSet;
use std::path::Path;

/// Codes that the CLI tests trigger (they need files that cannot be read).
const TRIGGERED_BY_CLI_TESTS: &[Code] = &[
    Code::Io,
    Code::NotUtf8,
    // tests/render.rs and tests/spectest.rs: command-line and test-file errors.
    Code::OutputRequired,
    Code::TestsMissing,
    Code::TestsInvalid,
    Code::TestsUnknownItem,
    Code::DataFormat,
    Code::TooLarge,
    // tests/reliability.rs: output files and standard output, and options.
    Code::ReadOnlyOutput,
    Code::StdoutFailed,
    Code::OptionConflict,
    // A unit test of cli::sink: a limit the workbook writer refuses (kaohe's
    // writers keep reports within Excel's limits, so no input reaches it).
    Code::WorkbookLimit,
    // tests/xlsx_report.rs: the XLSX report's limits, met as units arrive
    // (K0955), open files (K0956), temporary files (K0957).
    Code::WorkbookTooManyUnits,
    Code::WorkbookOpenFiles,
    Code::WorkbookTempFiles,
    // tests/serve.rs: the workbench's answers over HTTP (and a unit test
    // of serve::reply for K0941, a panic in a request, which no input
    // reaches).
    Code::ServeOutside,
    Code::ServeNotFound,
    Code::ServeConflict,
    Code::ServeTooLarge,
    Code::ServeForbidden,
    Code::ServeUnauthorized,
    Code::ServeBadRequest,
    Code::ServeFileKind,
    Code::ServeBind,
    Code::ServeSpecErrors,
    Code::ServeTemplateFiles,
    Code::ServeBug,
    Code::ServeResultGone,
    Code::ServeListFiles,
    Code::ServeCaseOutside,
    // tests/serve.rs: the text being edited, scored (serve::drafts).
    Code::ServeDraftGone,
    Code::ServeDraftOtherSpec,
    // tests/lsp.rs: the language server's answers over stdio (and a unit
    // test of lsp for K0952, a panic in a handler, which no input reaches).
    Code::LspBadRequest,
    Code::LspNotOpen,
    Code::LspBug,
    Code::LspTestFails,
    Code::LspCannotFormat,
    // tests/import.rs: `kaohe import` reads tables, not specs.
    Code::ImportEmpty,
    Code::ImportNoTable,
    Code::ImportUnplaced,
    Code::ImportDraftExists,
    Code::ImportFormat,
    // tests/import.rs: Word documents and workbooks (snapshots
    // tests/snapshots/import__import-*.snap).
    Code::ImportEncrypted,
    Code::ImportOldFormat,
    Code::ImportTooLarge,
    Code::ImportUnpacksTooLarge,
    Code::ImportDamaged,
    // tests/import.rs: workbooks too large to be a table.
    Code::ImportSheetTooLarge,
    // tests/import.rs: a total row that is not the items' sum.
    Code::ImportTotalDiffers,
];

/// Guards against bugs of kaohe's own that no spec can reach, because the
/// checker rules the situation out before evaluation.
const UNREACHABLE_GUARDS: &[Code] = &[
    // The checker proves that bands cover every value their quantity can take.
    Code::NoBand,
    // Values of a kind the checker has ruled out by type.
    Code::Internal,
    // Every clause and guard lists the inputs it reads, and the scorer skips
    // one reading an absent fact before evaluating it; the data readers give
    // an absent fact only to an input with a rule for it (eval::score's unit
    // test builds such an entity by hand).
    Code::AbsentRead,
];

fn diagnostics_of(spec_path: &Path, lang: Lang) -> (String, Vec<Diagnostic>) {
    let spec = read(spec_path);
    let name = spec_path.file_name().unwrap().to_string_lossy().to_string();
    let compiled = kaohe::api::compile(&spec);
    let csv_path = spec_path.with_extension("data.csv");
    if csv_path.exists() {
        return csv_diagnostics(&name, compiled.spec, &csv_path, lang);
    }
    let xlsx_path = spec_path.with_extension("data.xlsx");
    if xlsx_path.exists() {
        return csv_diagnostics(&name, compiled.spec, &xlsx_path, lang);
    }
    let data_path = spec_path.with_extension("data.json");
    if !data_path.exists() {
        return (
            rendered_in(&name, &spec, &compiled.diagnostics, lang),
            compiled.diagnostics,
        );
    }
    let checked = compiled
        .spec
        .unwrap_or_else(|| panic!("{name}: the spec of a data case must check"));
    let (entities, mut diags) = checked.read_json(&read(&data_path), "data.json");
    for e in &entities {
        if let Err(err) = checked.evaluate(e, Options::default()) {
            diags.push(err.to_diagnostic(&e.id));
        }
    }
    let source = Source::new(name, spec);
    // Data diagnostics carry no spans; evaluation errors point into the spec.
    let text = diags
        .iter()
        .map(|d| render_text(d, d.primary_span().map(|_| &source), lang))
        .collect();
    (text, diags)
}

/// A CSV case: `KXXXX-….data.csv`, with list files in `KXXXX-….data/`;
/// or a workbook case: `KXXXX-….data.xlsx`.
fn csv_diagnostics(
    name: &str,
    spec: Option<Spec>,
    csv_path: &Path,
    lang: Lang,
) -> (String, Vec<Diagnostic>) {
    let spec = spec.unwrap_or_else(|| panic!("{name}: the spec of a data case must check"));
    // A relative path, so that snapshots do not depend on the checkout.
    let rel = Path::new("tests/diagnostics").join(csv_path.file_name().unwrap());
    let diags: Vec<Diagnostic> = match spec.open(&rel) {
        Ok(entities) => entities.filter_map(Result::err).collect(),
        Err(d) => vec![d],
    };
    let text = diags.iter().map(|d| render_text(d, None, lang)).collect();
    (text, diags)
}

/// Whether a text has a Chinese character in it.
fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The Chinese of a diagnostic's every text is Chinese (the type system
/// already makes every call site give one).
fn every_text_has_chinese(stem: &str, d: &Diagnostic) {
    let texts = std::iter::once(&d.message)
        .chain(d.labels.iter().map(|l| &l.message))
        .chain(&d.notes)
        .chain(&d.help);
    for t in texts {
        assert!(
            has_chinese(&t.zh),
            "{stem}: {} has no Chinese: {t:?}",
            d.code
        );
    }
}

#[test]
fn each_case_reports_its_code_and_matches_its_snapshot() {
    let dir = root().join("tests/diagnostics");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "kh"))
        .collect();
    cases.sort();
    let mut covered = BTreeSet::new();
    for case in &cases {
        let stem = case.file_stem().unwrap().to_string_lossy().to_string();
        let code = stem.split('-').next().unwrap_or_default().to_string();
        let (text, diags) = diagnostics_of(case, Lang::En);
        assert!(
            diags.iter().any(|d| d.code.as_str() == code),
            "{stem}: expected {code}, got:\n{text}"
        );
        covered.insert(code);
        for d in &diags {
            every_text_has_chinese(&stem, d);
        }
        insta::with_settings!({ snapshot_path => dir.join("snapshots"), prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(stem.clone(), text);
        });
        // The same diagnostics in Chinese: same codes, every text translated.
        let (zh, _) = diagnostics_of(case, Lang::Zh);
        insta::with_settings!({ snapshot_path => dir.join("snapshots"), prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(format!("{stem}.zh"), zh);
        });
    }
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !TRIGGERED_BY_CLI_TESTS.contains(c) && !UNREACHABLE_GUARDS.contains(c))
        .map(|c| c.as_str())
        .filter(|c| !covered.contains(*c))
        .collect();
    assert!(
        missing.is_empty(),
        "no case in tests/diagnostics triggers {missing:?}"
    );
}

/// Where a `Code::…` may be written, by the stage of the file (told by
/// its folder or name): the hundreds digits a stage raises.
fn digits_of_stage(path: &Path) -> (&'static str, &'static [&'static str]) {
    let parts: Vec<String> = path
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    let has = |name: &str| parts.iter().any(|p| p == name);
    if has("parse") {
        ("parse", &["01"])
    } else if has("check") {
        ("check", &["02", "03", "04"])
    } else if has("data") || has("api") {
        // The API builds entities from Rust values: data codes.
        ("data", &["05"])
    } else if has("eval") {
        ("eval", &["06"])
    } else if has("import") {
        // src/import and the command src/cli/import.rs (issue 18).
        ("import", &["08"])
    } else {
        // The authoring tools (test, render, diff), the command line and
        // the reports: K07, and files and invocation (K09).
        ("tools", &["07"])
    }
}

/// Codes raised by a stage other than the one their digit names, with why.
const RAISED_ELSEWHERE: &[(&str, &str)] = &[
    // Guards of bugs of kaohe's own, which the checker rules out.
    ("eval", "Arity"),
    ("data", "Internal"),
    // The scorer refuses a spec with rules not yet written (K0491): the
    // checker warns about each placeholder (K0490) but lets the spec
    // check, and every way of scoring goes through eval::score.
    ("eval", "PendingNotScored"),
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The hundreds digit of a code says the stage that raises it
/// (docs/diagnostics.md): every `Code::…` written in src/ stands in a file
/// of its stage, except files and invocation (K09, raised wherever a file is
/// read or written) and the few listed in RAISED_ELSEWHERE.
#[test]
fn every_code_is_raised_by_the_stage_its_number_names() {
    let src = common::root().join("src");
    let table = read(&src.join("diagnostic/codes.rs"));
    let code_of = |variant: &str| -> Option<String> {
        let at = table.find(&format!("    {variant} = \""))?;
        let rest = &table[at..];
        let start = rest.find('"')? + 1;
        Some(rest[start..start + 5].to_string())
    };
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        // The code table itself, and tests, which name codes of any stage.
        let stem = rel.file_stem().unwrap_or_default();
        if rel.starts_with("diagnostic") || stem == "tests" || stem == "properties" {
            continue;
        }
        let (stage, digits) = digits_of_stage(rel);
        // Code as written, not comments (doc examples name any code).
        let text: String = read(&file)
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for (at, _) in text.match_indices("Code::") {
            let variant: String = text[at + 6..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let Some(code) = code_of(&variant) else {
                continue;
            };
            let digit = &code[1..3];
            if digit == "09"
                || digits.contains(&digit)
                || RAISED_ELSEWHERE.contains(&(stage, variant.as_str()))
            {
                continue;
            }
            wrong.push(format!(
                "{} ({stage}): Code::{variant} is {code}",
                rel.display()
            ));
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "codes raised outside the stage their number names:\n{}",
        wrong.join("\n")
    );
}
