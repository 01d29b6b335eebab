//! docs/diagnostics.md lists every diagnostic code with its severity and
//! title, as src/diagnostic/codes.rs defines them. Run with
//! KAOHE_BLESS=1 to rewrite the file after adding a code.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{read, root};
use kaohe::diagnostic::{Code, Severity};

fn expected() -> String {
    let mut s = String::from(
        "# Diagnostic codes\n\nEvery diagnostic kaohe prints has one of these codes. The hundreds digit\n\
         says the stage: K01 parse, K02 names, K03 types and units, K04 table\n\
         checks, K05 data, K06 evaluation, K07 authoring tools (test, render,\n\
         diff), K09 files. Each code is triggered by a case in `tests/diagnostics/`\n\
         (K0901 and K0902 by `tests/cli.rs`, K0701 by `tests/render.rs`, K0702 to\n\
         K0704 by `tests/spectest.rs`), whose rendering is kept as a snapshot in\n\
         `tests/diagnostics/snapshots/`, except K0604 and K0699: guards against\n\
         bugs of kaohe's own that the checker rules out before any data is read.\n\n\
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
    s
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
