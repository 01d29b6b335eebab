//! The XLSX report written one unit at a time (report::xlsx::Writer,
//! docs/performance.md "Round 9: the XLSX report"): the workbook from
//! files (two passes, each unit's rank and place found by its total) is
//! the one made whole from a pipe; its cells read back as before; and the
//! limits it meets are refused with a code, saying what to do, before
//! anything is written (K0955 to K0957).

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{kaohe, kaohe_env, root, stderr};
use std::path::{Path, PathBuf};

fn tempdir(name: &str) -> PathBuf {
    common::tempdir("xlsx", name)
}

const R2: &str = "tests/patterns/R2-top-n/spec.kh";

/// Every sheet read back (calamine): its name, then a line per row, the
/// cells' values and kinds (a number is `n:`, a text `s:`).
fn read_back(path: &Path) -> String {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let mut text = String::new();
    for name in book.sheet_names().to_vec() {
        text.push_str(&format!("== {name}\n"));
        let range = book.worksheet_range(&name).unwrap();
        for row in range.rows() {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) => format!("n:{f}"),
                    Data::Int(i) => format!("n:{i}"),
                    Data::String(s) => format!("s:{s}"),
                    other => format!("?:{other}"),
                })
                .collect();
            text.push_str(&cells.join(" | "));
            text.push('\n');
        }
    }
    text
}

#[test]
fn the_workbook_from_files_is_the_one_made_whole_from_a_pipe() {
    let dir = tempdir("pipe");
    let text = common::r2_units(300);
    let spec = root().join(R2).display().to_string();
    let (a, b) = (dir.join("a.xlsx"), dir.join("b.xlsx"));
    let (a_arg, b_arg) = (a.display().to_string(), b.display().to_string());
    common::eval_file_and_pipe(
        &dir,
        &spec,
        text,
        &["--format", "xlsx", "-o", &a_arg],
        &["--format", "xlsx", "-o", &b_arg],
    );
    let (a, b) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert!(a == b, "the workbooks differ");
    // The summary's ranks and results by rank, as the JSON report gives them.
    let back = read_back(&dir.join("a.xlsx"));
    let summary: Vec<&str> = back.lines().skip(2).take(300).collect();
    let json = kaohe(&[
        "eval",
        &spec,
        &dir.join("units.json").display().to_string(),
        "--format",
        "json",
        "--rank",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    for (row, e) in summary.iter().zip(json["entities"].as_array().unwrap()) {
        let cells: Vec<&str> = row.split(" | ").collect();
        assert_eq!(
            cells[0],
            format!("s:{}", e["id"].as_str().unwrap()),
            "{row}"
        );
        assert_eq!(cells[4], format!("n:{}", e["rank"]), "{row}");
    }
}

/// The workbook of the mixed example, every sheet's cells read back: the
/// same as the workbook made whole before the report was streamed gave
/// (checked when the snapshot was made).
#[test]
fn the_mixed_example_reads_back_as_before() {
    let dir = tempdir("mixed");
    let x = dir.join("r.xlsx");
    let o = kaohe(&[
        "eval",
        "specs/liucheng-2024.kh",
        "examples/liucheng-2024/mixed.json",
        "--format",
        "xlsx",
        "-o",
        &x.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("mixed-read-back", read_back(&x));
}

/// `n` units of tests/cli/small.kh as CSV.
fn small_units(dir: &Path, n: usize) -> PathBuf {
    let mut csv = String::from("id,meetings,report_made,water_rate,awards,incident\n");
    for i in 0..n {
        csv.push_str(&format!("县{i},2,true,100,0,false\n"));
    }
    let path = dir.join("units.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

/// The diagnostic of a run in both languages, its file names made stable.
fn both(args: &[&str], env: &[(&str, &str)], dir: &Path) -> String {
    let mut text = String::new();
    for lang in ["en", "zh"] {
        let mut a = vec!["--lang", lang];
        a.extend_from_slice(args);
        let o = kaohe_env(&a, env);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        text.push_str(&stderr(&o).replace(&dir.display().to_string(), "DIR"));
    }
    text
}

#[test]
fn more_units_than_a_workbook_holds_are_refused_with_k0955_and_no_file() {
    let dir = tempdir("many");
    let data = small_units(&dir, 10_000);
    let x = dir.join("r.xlsx");
    std::fs::write(&x, "before").unwrap();
    let (d, o) = (data.display().to_string(), x.display().to_string());
    let args = [
        "eval",
        "tests/cli/small.kh",
        &d,
        "--format",
        "xlsx",
        "-o",
        &o,
    ];
    let text = both(&args, &[], &dir);
    assert!(text.contains("K0955"), "{text}");
    assert!(
        text.contains("--format csv") && text.contains("jsonl"),
        "{text}"
    );
    insta::assert_snapshot!("K0955-too-many-units", text);
    // The file is left as it was; csv takes as many units.
    assert_eq!(std::fs::read_to_string(&x).unwrap(), "before");
    let csv = kaohe(&["eval", "tests/cli/small.kh", &d, "--format", "csv"]);
    assert_eq!(csv.status.code(), Some(0), "{}", stderr(&csv));
}

#[test]
fn temporary_files_that_cannot_be_made_are_k0957_and_no_file() {
    let dir = tempdir("tmp");
    let x = dir.join("r.xlsx");
    let o = x.display().to_string();
    let missing = dir.join("no-such-folder").display().to_string();
    let args = [
        "eval",
        "tests/cli/small.kh",
        "tests/cli/small.json",
        "--format",
        "xlsx",
        "-o",
        &o,
    ];
    let text = both(&args, &[("TMPDIR", &missing)], &dir);
    assert!(text.contains("K0957") && text.contains("TMPDIR"), "{text}");
    insta::assert_snapshot!("K0957-temporary-files", text);
    assert!(!x.exists());
}

#[cfg(unix)]
#[test]
fn too_few_open_files_allowed_is_k0956_and_no_file() {
    let dir = tempdir("nofile");
    let data = small_units(&dir, 100);
    let x = dir.join("r.xlsx");
    // A hard limit of 64 open files, which kaohe cannot raise: the 101
    // sheets need more.
    let script = format!(
        "ulimit -n 64 && exec \"$0\" --lang \"$1\" eval tests/cli/small.kh {} --format xlsx -o {}",
        data.display(),
        x.display()
    );
    let mut text = String::new();
    for lang in ["en", "zh"] {
        let o = std::process::Command::new("sh")
            .args(["-c", &script, env!("CARGO_BIN_EXE_kaohe"), lang])
            .current_dir(root())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        text.push_str(&stderr(&o).replace(&dir.display().to_string(), "DIR"));
    }
    assert!(
        text.contains("K0956") && text.contains("ulimit -n"),
        "{text}"
    );
    insta::assert_snapshot!("K0956-open-files", text);
    assert!(!x.exists());
}
