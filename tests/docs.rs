//! docs/diagnostics.md lists every diagnostic code with its severity and
//! title, as src/diagnostic/codes.rs defines them. Run with
//! KAOHE_BLESS=1 to rewrite the file after adding a code.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{read, root};
use kaohe::api::{Code, Severity};

fn expected() -> String {
    let mut s = String::from(
        "# Diagnostic codes\n\nEvery diagnostic kaohe prints has one of these codes. The hundreds digit\n\
         says the stage that raises it: K01 parse, K02 names, K03 types and\n\
         units, K04 table checks (K02 to K04 by the checker), K05 data, K06\n\
         evaluation, K07 authoring tools (test, render, diff), K08 import, K09\n\
         files and invocation (options, output files, the workbench, the language\n\
         server). Each code is triggered by a case in\n\
         `tests/diagnostics/` (K0901 and K0902 by `tests/cli.rs`, K0920 by\n\
         `tests/render.rs`, K0702 to K0704 by `tests/spectest.rs`, K0913 by a unit\n\
         test of the workbook writer, K0911, K0912\n\
         and K0921 by `tests/reliability.rs`, K0930 to K0946, the web workbench's\n\
         answers, by `tests/serve.rs`, K0950 to K0954, the language server's, by\n\
         `tests/lsp.rs`, K0955 to K0957, the XLSX report's limits, by\n\
         `tests/xlsx_report.rs`, K0801 to K0811, the importer's, by `tests/import.rs`),\n\
         whose rendering is kept as a snapshot\n\
         in `tests/diagnostics/snapshots/`, except K0604, K0640 and K0699: guards against\n\
         bugs of kaohe's own that the checker rules out before any data is read.\n\
         Codes renumbered once, when they were grouped by stage, are listed at the\n\
         end with their old numbers.\n\n\
         ## Language\n\n\
         Every diagnostic is written in Chinese and in English, with the same code in\n\
         both; `--lang zh` or `--lang en` (on every command) chooses. Without it,\n\
         kaohe writes in the language of the spec's keywords (`考核表` … or `table`\n\
         …), else in Chinese when LC_ALL, LC_MESSAGES or LANG (the first one set)\n\
         begins with `zh`, else in English. In Chinese the spec's names are quoted\n\
         “…”, positions in data files read 第X行第Y列, and the examples in help use\n\
         the Chinese keywords. With `--format json` each diagnostic carries its\n\
         texts in the chosen language and names it: `\"lang\": \"zh\"`.\n\n\
         | code | severity | what it means | 含义 |\n|---|---|---|---|\n",
    );
    for c in Code::ALL {
        let sev = match c.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        s.push_str(&format!(
            "| {} | {sev} | {} | {} |\n",
            c.as_str(),
            c.title(),
            c.title_zh()
        ));
    }
    s.push_str(
        "\n## Codes renumbered in 0.2 · 0.2 版重新编号的代码\n\n\
         In 0.2 the codes were grouped by the stage that raises them, once. These\n\
         codes carried the digit of another stage and were renumbered; each keeps\n\
         its meaning, and no old number is given to another meaning. A script or\n\
         a note that looks for an old code should look for the new one.\n\n\
         0.2 版按报出诊断的阶段统一整理了一次代码。下列代码原先带着其他阶段的编号，已重新编号；含义不变，旧编号也不会再用于其他含义。按旧代码查找的脚本或说明，请改为查找新代码。\n\n\
         | old 旧代码 | new 新代码 | what it means | 含义 |\n|---|---|---|---|\n",
    );
    for (old, c) in RENUMBERED {
        s.push_str(&format!(
            "| {old} | {} | {} | {} |\n",
            c.as_str(),
            c.title(),
            c.title_zh()
        ));
    }
    s.push_str(
        "\nThree checker errors that shared a code of another meaning got codes of\n\
         their own; the old code keeps its other meaning.\n\n\
         三个检查错误原先借用了含义不同的代码，现有了各自的代码；旧代码仍保留其原有含义。\n\n\
         | before 原代码 | now 现代码 | what it means | 含义 |\n|---|---|---|---|\n",
    );
    for (old, c) in SPLIT {
        s.push_str(&format!(
            "| {old} | {} | {} | {} |\n",
            c.as_str(),
            c.title(),
            c.title_zh()
        ));
    }
    s
}

/// Checker errors that borrowed a code of another meaning until the codes
/// were grouped by stage (issue 14), with the code they borrowed.
const SPLIT: &[(&str, Code)] = &[
    ("K0101", Code::UnknownLanguage),
    ("K0104", Code::TwoCaps),
    ("K0310", Code::StepNotPositive),
];

/// Every code renumbered when the codes were grouped by stage (issue 14),
/// with its number before: a checker error that carried an evaluation code,
/// and command-line errors that carried the authoring tools' code.
const RENUMBERED: &[(&str, Code)] = &[
    ("K0607", Code::SumOverflow),
    ("K0701", Code::OutputRequired),
    ("K0711", Code::OptionConflict),
    ("K0712", Code::WorkbookLimit),
];

#[test]
fn no_old_number_is_a_code_again() {
    for (old, _) in RENUMBERED {
        assert!(
            Code::ALL.iter().all(|c| c.as_str() != *old),
            "{old} was renumbered: it must not name another code"
        );
    }
}

#[test]
fn the_code_list_is_up_to_date() {
    let path = root().join("docs/diagnostics.md");
    let want = expected();
    if std::env::var_os("KAOHE_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    assert_eq!(
        read(&path),
        want,
        "docs/diagnostics.md is stale: run KAOHE_BLESS=1 cargo test --test docs"
    );
}
