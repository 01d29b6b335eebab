//! `kaohe test`: run the test cases kept beside each spec
//! (SPEC.tests.json), or with `--bless` write what each case scores as its
//! expectation. `crate::spectest` reads and runs the cases and returns
//! what they came to; this module prints it and writes the test file.

use super::{Output, Status, io};
use crate::diagnostic::{Code, Diagnostic, Lang, Text};
use crate::escape;
use crate::ir::Program;
use crate::output::file;
use crate::spectest::{self, Blessing, Case, Verdict};
use crate::t;
use clap::Args as ClapArgs;
use std::path::{Path, PathBuf};

#[derive(ClapArgs)]
pub(crate) struct Args {
    #[arg(required = true)]
    specs: Vec<PathBuf>,
    /// Write what each case actually scores as its expectation (the test file is rewritten atomically; the change is shown as a diff).
    #[arg(long)]
    bless: bool,
}

pub(crate) fn run(out: &Output, args: Args) -> Status {
    let (mut passed, mut failed) = (0, 0);
    let mut status = Status::Ok;
    for spec in &args.specs {
        let (counts, s) = test_spec(out, spec, args.bless);
        passed += counts.0;
        failed += counts.1;
        status = status.max(s);
    }
    let line = if args.bless {
        t!(
            "{passed} written, {failed} could not be scored",
            "已写入 {passed} 个，无法计分 {failed} 个"
        )
    } else {
        t!(
            "{passed} passed, {failed} failed",
            "通过 {passed} 个，失败 {failed} 个"
        )
    };
    let _ = io::print(&format!("{}\n", line.get(out.lang())));
    if failed > 0 {
        status = status.max(Status::Invalid);
    }
    status
}

/// Run one spec's cases, printing each; returns (passed, failed). With
/// `bless`, writes each case's actual scores as its expectation instead,
/// and returns (written, could not be scored).
fn test_spec(out: &Output, spec: &Path, bless: bool) -> ((usize, usize), Status) {
    let program = match out.program(spec) {
        Ok((_, p)) => p,
        Err(status) => return ((0, 0), status),
    };
    let path = spectest::tests_path(spec);
    let (text, cases) = match read(out, spec, &path) {
        Ok(read) => read,
        Err(status) => return ((0, 0), status),
    };
    if bless {
        return self::bless(out, &program, &cases, &path, &text);
    }
    let name = path.display().to_string();
    let unknown = spectest::unknown_items(&program, &cases, &name);
    if !unknown.is_empty() {
        out.diagnostics(&unknown, None);
        return ((0, 0), Status::Invalid);
    }
    (run_cases(out, spec, &program, &cases), Status::Ok)
}

/// The test file of a spec: its text and its cases.
fn read(out: &Output, spec: &Path, path: &Path) -> Result<(String, Vec<Case>), Status> {
    let name = path.display().to_string();
    if !path.exists() {
        let spec = spec.display();
        let d = Diagnostic::new(Code::TestsMissing, t!("{spec} has no test file {name}", "{spec} 没有测试文件 {name}"))
            .in_file(&name)
            .with_help(t!("write the cases in that file: {{\"cases\": [{{\"name\": \"…\", \"data\": \"data.json\", \"expect\": {{\"total\": \"…\"}}}}]}}", "请在该文件中写测试用例：{{\"cases\": [{{\"name\": \"…\", \"data\": \"data.json\", \"expect\": {{\"total\": \"…\"}}}}]}}"));
        out.diagnostics(&[d], None);
        return Err(Status::Invalid);
    }
    let text = out.read(path)?.text;
    let dir = path.parent().unwrap_or(Path::new("."));
    match spectest::read_cases(&text, &name, dir) {
        Ok(cases) => Ok((text, cases)),
        Err(d) => {
            out.diagnostics(&[*d], None);
            Err(Status::Invalid)
        }
    }
}

/// Run the cases, printing each verdict; (passed, failed).
fn run_cases(out: &Output, spec: &Path, program: &Program, cases: &[Case]) -> (usize, usize) {
    let (n, plural) = (cases.len(), if cases.len() == 1 { "" } else { "s" });
    let line = t!("{}: {n} case{plural}", "{}：{n} 个用例", spec.display());
    let _ = io::print(&format!("{}\n", line.get(out.lang())));
    let mut counts = (0, 0);
    for case in cases {
        let v = spectest::run(program, case);
        if v.failures.is_empty() {
            counts.0 += 1;
        } else {
            counts.1 += 1;
        }
        let _ = io::print(&verdict(&v, out.lang()));
    }
    counts
}

/// A case's verdict as printed: "ok" or "FAIL" and its name, then each
/// difference, indented.
fn verdict(v: &Verdict, lang: Lang) -> String {
    let name = escape::terminal(&v.name);
    if v.failures.is_empty() {
        return format!("  {}  {name}\n", t!("ok  ", "通过").get(lang));
    }
    let mut shown = format!("  {}  {name}\n", t!("FAIL", "失败").get(lang));
    for f in &v.failures {
        for (i, line) in f.get(lang).lines().enumerate() {
            let indent = if i == 0 { "        " } else { "  " };
            let line = escape::terminal(line);
            shown.push_str(&format!("{indent}{line}\n"));
        }
    }
    shown
}

/// `kaohe test --bless`: print the cases that cannot be scored and the
/// test file's change as a unified diff, and write the file atomically (a
/// temporary file beside it renamed into place). Returns (written, could
/// not be scored).
fn bless(
    out: &Output,
    program: &Program,
    cases: &[Case],
    path: &Path,
    text: &str,
) -> ((usize, usize), Status) {
    let lang = out.lang();
    let name = path.display().to_string();
    let Some(blessing) = spectest::bless(program, cases, text) else {
        // read_cases has parsed the same text: not reached.
        return ((0, cases.len()), Status::Invalid);
    };
    let Blessing {
        unscorable,
        written,
        new_text,
    } = blessing;
    print_unscorable(&unscorable, lang);
    let counts = (written, unscorable.len());
    let status = match unscorable.is_empty() {
        true => Status::Ok,
        false => Status::Invalid,
    };
    let Some(new_text) = new_text else {
        let line = t!(
            "{name}: the expectations are already what the cases score; nothing to write",
            "{name}：预期与实际结果一致，无需改写"
        );
        let _ = io::print(&format!("{}\n", line.get(lang)));
        return (counts, status);
    };
    if write_blessed(out, path, text, &new_text).is_err() {
        return ((0, cases.len()), Status::Invalid);
    }
    let line = t!(
        "{name}: wrote the actual results of {written} case(s) as their expectations",
        "{name}：已把 {written} 个用例的实际结果写为预期"
    );
    let _ = io::print(&format!("{}\n", line.get(lang)));
    (counts, status)
}

/// The cases that cannot be scored, each with why.
fn print_unscorable(unscorable: &[(String, Text)], lang: Lang) {
    for (case, why) in unscorable {
        let fail = t!("FAIL", "失败");
        let (fail, why) = (fail.get(lang), why.get(lang));
        let _ = io::print(&format!("  {fail}  {case}\n        {why}\n"));
    }
}

/// Show the test file's change and write it; a failure is reported.
fn write_blessed(out: &Output, path: &Path, text: &str, new_text: &str) -> Result<(), ()> {
    let (lang, name) = (out.lang(), path.display().to_string());
    let diff = similar::TextDiff::from_lines(text, new_text);
    let after = t!("{name} (blessed)", "{name}（已改写）");
    let shown = diff
        .unified_diff()
        .context_radius(2)
        .header(&name, after.get(lang))
        .to_string();
    let _ = io::print(&escape::terminal(&shown));
    if let Err(e) = file::write_atomically(path, new_text.as_bytes()) {
        let d = Diagnostic::new(
            Code::Io,
            t!("cannot write {name}: {e}", "无法写入 {name}：{e}"),
        )
        .with_help(t!(
            "the test file is left as it was; check that its folder can be written to",
            "测试文件保持原样；请检查其所在文件夹是否可写"
        ));
        out.diagnostics(&[d], None);
        return Err(());
    }
    Ok(())
}
