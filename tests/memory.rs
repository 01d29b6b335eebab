//! The reports whose memory was made flat in the number of units give the
//! same bytes as before: the HTML report from files (two passes, its
//! ranking written as it is made, each unit's place found by its total)
//! against the same report from a pipe (every outcome held, the report
//! made in memory), on enough units that the ranking is written in many
//! pieces, with ties and vetoes (docs/performance.md, "Round 8"); heavy
//! units scored in short chunks as one by one ("Round 9: memory").

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{kaohe, root, stderr};
use std::path::PathBuf;

fn tempdir(name: &str) -> PathBuf {
    common::tempdir("memory", name)
}

const R2: &str = "tests/patterns/R2-top-n/spec.kh";

#[test]
fn the_html_report_from_files_is_the_one_made_whole_from_a_pipe() {
    let dir = tempdir("html");
    let text = common::r2_units(2_000);
    let spec = root().join(R2).display().to_string();
    let html = ["--format", "html"];
    let (from_file, piped) = common::eval_file_and_pipe(&dir, &spec, text, &html, &html);
    let (a, b) = (&from_file.stdout, &piped.stdout);
    // The ranking alone is well over the 64 KB written at a time.
    let ranking = String::from_utf8_lossy(a);
    let ranking = ranking.split("<h2>").nth(1).unwrap_or_default();
    assert!(ranking.len() > 3 << 16, "{} bytes", ranking.len());
    assert!(ranking.contains("先进单位") && ranking.contains("标兵单位"));
    assert!(a == b, "the two HTML reports differ");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--rank` from a file, by the JSON report's ranking: each unit's
/// competition rank among all and its results by rank among the units not
/// vetoed, at 2,000 units, as worked out here from the totals.
#[test]
fn ranks_and_results_by_rank_hold_at_two_thousand_units() {
    let dir = tempdir("rank");
    let file = dir.join("units.json");
    std::fs::write(&file, common::r2_units(2_000)).unwrap();
    let spec = root().join(R2).display().to_string();
    let o = kaohe(&[
        "eval",
        &spec,
        &file.display().to_string(),
        "--format",
        "json",
        "--rank",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let total = |i: i64| 10 - i % 7;
    let vetoed = |i: i64| i % 10 == 3;
    let eligible = (0..2_000).filter(|&i| !vetoed(i)).count() as i64;
    let ranking = v["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), 2_000);
    for entry in ranking {
        let i: i64 = entry["id"].as_str().unwrap()[1..].parse().unwrap();
        let above = (0..2_000).filter(|&j| total(j) > total(i)).count() as i64;
        assert_eq!(entry["rank"], above + 1, "{entry}");
        assert_eq!(entry["total"], format!("{}.00", total(i)), "{entry}");
        let place = (0..2_000)
            .filter(|&j| !vetoed(j) && total(j) > total(i))
            .count() as i64
            + 1;
        let top = &entry["top"];
        let first = !vetoed(i) && place <= 3;
        let model = !vetoed(i) && place <= eligible / 5;
        assert_eq!(top.get("评先").is_some(), first, "{entry}");
        assert_eq!(top.get("标兵").is_some(), model, "{entry}");
    }
    // Each unit's own entry carries the same rank.
    for e in v["entities"].as_array().unwrap() {
        let i: i64 = e["id"].as_str().unwrap()[1..].parse().unwrap();
        let above = (0..2_000).filter(|&j| total(j) > total(i)).count() as i64;
        assert_eq!(e["rank"], above + 1, "{e}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `kaohe eval` cuts the units it scores together by what they hold as
/// well as by their count (heavy units make short chunks, so that memory
/// stays low: docs/performance.md, "Round 9: memory"); the report is the
/// one made unit by unit. 300 generated units of the 2024 table, every
/// third with its lists' records repeated 300 times (tens of thousands of
/// values, so that chunks hold some tens of units): one file of JSON
/// lines against the same units as 300 files of one unit each (each
/// file is scored on its own), jsonl and csv reports.
#[test]
fn heavy_units_are_reported_as_when_scored_one_by_one() {
    use kaohe::api::Spec;
    let dir = tempdir("heavy");
    let spec_path = root().join("specs/liucheng-2024.kh");
    let spec = Spec::check(&std::fs::read_to_string(&spec_path).unwrap()).unwrap();
    let mut lines = String::new();
    let mut files = Vec::new();
    for (i, e) in kaohe::testkit::entities(&spec, 19, 300).enumerate() {
        let mut unit = kaohe::testkit::to_json(&spec, &e);
        if i % 3 == 0 {
            for value in unit.as_object_mut().unwrap().values_mut() {
                if let Some(records) = value.as_array_mut() {
                    *records = records
                        .iter()
                        .cycle()
                        .take(records.len() * 300)
                        .cloned()
                        .collect();
                }
            }
        }
        let line = unit.to_string();
        let file = dir.join(format!("u{i:03}.json"));
        std::fs::write(&file, &line).unwrap();
        files.push(file.display().to_string());
        lines.push_str(&line);
        lines.push('\n');
    }
    let all = dir.join("all.jsonl");
    std::fs::write(&all, &lines).unwrap();
    let spec_arg = spec_path.display().to_string();
    for format in ["jsonl", "csv"] {
        let together = kaohe(&[
            "eval",
            &spec_arg,
            &all.display().to_string(),
            "--format",
            format,
        ]);
        let mut args = vec!["eval", spec_arg.as_str()];
        args.extend(files.iter().map(String::as_str));
        args.extend(["--format", format]);
        let alone = kaohe(&args);
        assert_eq!(
            together.status.code(),
            alone.status.code(),
            "{}",
            stderr(&together)
        );
        assert_eq!(stderr(&together), stderr(&alone));
        assert!(together.stdout.len() > 300 * 100, "{format}");
        assert!(
            together.stdout == alone.stdout,
            "{format}: the reports differ"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The peak resident memory of `kaohe ARGS…` in KB: its high-water mark
/// (`VmHWM` in /proc/PID/status) read after each piece of its report, up
/// to its last (the kernel's figure after it exits would count the test
/// process it was forked from).
#[cfg(target_os = "linux")]
fn peak_kb(args: &[&str]) -> i64 {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_kaohe"))
        .args(args)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let hwm = || -> Option<i64> {
        let text = std::fs::read_to_string(&status).ok()?;
        let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    let mut out = child.stdout.take().unwrap();
    let mut buf = vec![0u8; 1 << 16];
    let mut peak = 0;
    loop {
        let read = out.read(&mut buf).unwrap();
        peak = peak.max(hwm().unwrap_or(0));
        if read == 0 {
            break;
        }
    }
    assert!(child.wait().unwrap().success());
    peak
}

/// What `--rank` keeps a unit, by the peak memory of light units (the R2
/// pattern: 7 distinct totals, every tenth unit vetoed) at 50,000 and
/// 350,000 units, less what the unranked csv report grows by over the
/// same units (the reader's own). The ranks come from each distinct total
/// counted once (a few KB), not from every total kept (16 bytes a unit,
/// grown by doubling): csv `--rank` measured 47–48 bytes a unit before,
/// 12–25 now (the rest is the allocator's between the two passes), held
/// under 32; the json report also keeps each unit's id, its total (an index
/// of 2 bytes into the distinct ones, not 16) and result for the ranking
/// at its end: 74–83 bytes a unit before, 41–53 now, held under 64
/// (docs/performance.md, "Round 10: memory at 1,000,000 units").
#[cfg(target_os = "linux")]
#[test]
fn what_rank_keeps_a_unit_is_bounded() {
    let dir = tempdir("rank-bytes");
    let (n, m) = (50_000usize, 350_000usize);
    let write = |count: usize| {
        let mut text = String::with_capacity(count * 48);
        for i in 0..count {
            text.push_str(&format!(
                "{{\"id\":\"u{i:04}\",\"missed\":{},\"incident\":{}}}\n",
                i % 7,
                i % 10 == 3
            ));
        }
        let file = dir.join(format!("u{count}.jsonl"));
        std::fs::write(&file, text).unwrap();
        file.display().to_string()
    };
    let (small, large) = (write(n), write(m));
    let spec = root().join(R2).display().to_string();
    let growth = |format: &[&str]| {
        // The least of two runs each, so that a stray page does not count.
        let peak = |data: &str| {
            let args = [&["eval", spec.as_str(), data, "--format"], format].concat();
            peak_kb(&args).min(peak_kb(&args))
        };
        peak(&large) - peak(&small)
    };
    let reader = growth(&["csv"]);
    let per_unit = |kb: i64| (kb - reader) as f64 * 1024.0 / (m - n) as f64;
    let csv = per_unit(growth(&["csv", "--rank"]));
    let json = per_unit(growth(&["json", "--rank"]));
    assert!(csv <= 32.0, "csv --rank keeps {csv:.1} bytes a unit");
    assert!(json <= 64.0, "json --rank keeps {json:.1} bytes a unit");
    let _ = std::fs::remove_dir_all(&dir);
}
