//! Reliability: kaohe's outputs under faults and hostile input (issue 13).
//!
//! - every subcommand with standard output full, closed, or read by no one,
//!   and with standard error unwritable: a coded error and exit 2, a quiet
//!   stop, never a panic nor a silent exit 0;
//! - `-o` onto a link, a FIFO, a device, a read-only and a 0600 file;
//! - Decimal extremes in constants and inputs: a coded error, never a panic;
//! - injection payloads in every text position of every output format.
//!
//! docs/security.md states the guarantees these tests hold kaohe to.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::root;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tempdir(name: &str) -> PathBuf {
    common::tempdir("rel", name)
}

fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kaohe"));
    c.args(args).current_dir(root());
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        c.env_remove(var);
    }
    c
}

fn run(args: &[&str]) -> Output {
    command(args).output().unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every subcommand that prints on standard output, each with a run that
/// prints something.
fn printing_commands(dir: &Path) -> Vec<Vec<String>> {
    let spec = root().join("tests/cli/small.kh");
    let data = root().join("tests/cli/small.json");
    // A spec with a test file beside it, and one that is not formatted.
    std::fs::copy(&spec, dir.join("t.kh")).unwrap();
    std::fs::copy(&data, dir.join("small.json")).unwrap();
    std::fs::write(
        dir.join("t.tests.json"),
        r#"{"cases": [{"name": "甲县", "data": "small.json", "expect": {}}]}"#,
    )
    .unwrap();
    let text = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(dir.join("ugly.kh"), text.replace("  item", "        item")).unwrap();
    std::fs::write(
        dir.join("new.kh"),
        text.replace("score 3", "score 3 ")
            .replace("0.5 per meetings", "1 per meetings"),
    )
    .unwrap();
    let s = |p: &Path| p.display().to_string();
    let (spec, data) = (s(&spec), s(&data));
    let mut commands = vec![
        vec!["check".into(), spec.clone()],
        vec![
            "check".into(),
            "--format".into(),
            "json".into(),
            s(&root().join("tests/cli/misspelt-en.kh")),
        ],
        vec!["template".into(), spec.clone()],
        vec!["fmt".into(), "--check".into(), s(&dir.join("ugly.kh"))],
        vec!["test".into(), s(&dir.join("t.kh"))],
        vec!["diff".into(), spec.clone(), s(&dir.join("new.kh"))],
        vec![
            "diff".into(),
            spec.clone(),
            s(&dir.join("new.kh")),
            "--data".into(),
            data.clone(),
        ],
        vec!["render".into(), spec.clone()],
        vec![
            "render".into(),
            spec.clone(),
            "--format".into(),
            "html".into(),
        ],
    ];
    for format in ["table", "json", "jsonl", "csv", "html"] {
        commands.push(vec![
            "eval".into(),
            spec.clone(),
            data.clone(),
            "--format".into(),
            format.into(),
        ]);
        commands.push(vec![
            "eval".into(),
            spec.clone(),
            data.clone(),
            "--rank".into(),
            "--format".into(),
            format.into(),
        ]);
    }
    commands
}

fn args(c: &[String]) -> Vec<&str> {
    c.iter().map(String::as_str).collect()
}

fn no_crash(o: &Output, what: &str) {
    let e = err(o);
    assert!(
        !e.contains("panicked") && !e.contains("bug of its own"),
        "{what}: {e}"
    );
    assert!(
        o.status.code().is_some(),
        "{what}: killed by a signal: {:?}",
        o.status
    );
    assert_ne!(o.status.code(), Some(101), "{what}: {e}");
}

#[test]
fn a_full_disk_on_stdout_is_k0912_and_exit_2_for_every_subcommand() {
    let dir = tempdir("full");
    for c in printing_commands(&dir) {
        let o = command(&args(&c))
            .stdout(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .unwrap(),
            )
            .output()
            .unwrap();
        no_crash(&o, &c.join(" "));
        assert_eq!(o.status.code(), Some(2), "{c:?}: {}", err(&o));
        assert!(err(&o).contains("K0912"), "{c:?}: {}", err(&o));
        assert!(err(&o).contains("disk is full"), "{c:?}: {}", err(&o));
    }
}

#[test]
fn a_closed_stdout_is_k0912_and_exit_2_for_every_subcommand() {
    let dir = tempdir("closed");
    for c in printing_commands(&dir) {
        let line = "exec \"$0\" \"$@\" >&-";
        let o = Command::new("sh")
            .arg("-c")
            .arg(line)
            .arg(env!("CARGO_BIN_EXE_kaohe"))
            .args(&c)
            .current_dir(root())
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .output()
            .unwrap();
        no_crash(&o, &c.join(" "));
        assert_eq!(o.status.code(), Some(2), "{c:?}: {}", err(&o));
        assert!(err(&o).contains("K0912"), "{c:?}: {}", err(&o));
    }
}

#[test]
fn a_reader_gone_away_stops_quietly_with_the_status_of_the_data() {
    let dir = tempdir("pipe");
    for c in printing_commands(&dir) {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let o = command(&args(&c)).stdout(writer).output().unwrap();
        no_crash(&o, &c.join(" "));
        assert!(!err(&o).contains("K0912"), "{c:?}: {}", err(&o));
        // The same status as when the output is read.
        let read = run(&args(&c));
        assert_eq!(o.status.code(), read.status.code(), "{c:?}: {}", err(&o));
    }
}

#[test]
fn an_unwritable_stderr_never_aborts() {
    let dir = tempdir("stderr");
    let bad = dir.join("bad.kh");
    std::fs::write(&bad, "table \"x\" { total 1 }\nsection 1 \"a\" { oops }").unwrap();
    let bad = bad.display().to_string();
    for c in [
        vec!["check", bad.as_str()],
        vec!["eval", bad.as_str(), "tests/cli/small.json"],
        vec!["render", bad.as_str()],
    ] {
        let o = command(&c)
            .stderr(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .unwrap(),
            )
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{c:?}");
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let o = command(&c).stderr(writer).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{c:?}");
    }
    // And both at once, on a run that succeeds.
    let o = command(&["eval", "tests/cli/small.kh", "tests/cli/small.json"])
        .stdout(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .stderr(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

/// `kaohe eval small --format csv -o PATH`, and the same for every writer of files.
fn writers(path: &str) -> Vec<Vec<String>> {
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let (spec, data) = ("tests/cli/small.kh", "tests/cli/small.json");
    vec![
        v(&["eval", spec, data, "--format", "csv", "-o", path]),
        v(&["eval", spec, data, "--format", "html", "-o", path]),
        v(&["eval", spec, data, "--format", "xlsx", "-o", path]),
        v(&["template", spec, "-o", path]),
        v(&["template", spec, "--format", "xlsx", "-o", path]),
        v(&["render", spec, "-o", path]),
        v(&["render", spec, "--format", "xlsx", "-o", path]),
    ]
}

#[test]
fn o_follows_a_link_and_keeps_it() {
    let dir = tempdir("link");
    for (i, c) in writers(&dir.join("link").display().to_string())
        .iter()
        .enumerate()
    {
        let real = dir.join(format!("real{i}"));
        let link = dir.join("link");
        let _ = std::fs::remove_file(&link);
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let o = run(&args(c));
        assert_eq!(o.status.code(), Some(0), "{c:?}: {}", err(&o));
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "{c:?}"
        );
        assert_ne!(std::fs::read(&real).unwrap(), b"old", "{c:?}");
    }
}

#[test]
fn o_keeps_a_0600_file_0600_and_refuses_a_read_only_one() {
    let dir = tempdir("perm");
    let path = dir.join("out");
    for c in writers(&path.display().to_string()) {
        let _ = std::fs::remove_file(&path);
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let o = run(&args(&c));
        assert_eq!(o.status.code(), Some(0), "{c:?}: {}", err(&o));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{c:?}");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
        let o = run(&args(&c));
        assert_eq!(o.status.code(), Some(2), "{c:?}");
        assert!(err(&o).contains("K0911"), "{c:?}: {}", err(&o));
        assert_eq!(std::fs::read(&path).unwrap(), b"old", "{c:?}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    // The same for `kaohe fmt` on a read-only spec.
    let spec = dir.join("ugly.kh");
    let text = std::fs::read_to_string(root().join("tests/cli/small.kh")).unwrap();
    std::fs::write(&spec, text.replace("  item", "        item")).unwrap();
    std::fs::set_permissions(&spec, std::fs::Permissions::from_mode(0o444)).unwrap();
    let o = run(&["fmt", spec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("K0911"), "{}", err(&o));
    std::fs::set_permissions(&spec, std::fs::Permissions::from_mode(0o640)).unwrap();
    let o = run(&["fmt", spec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(
        std::fs::metadata(&spec).unwrap().permissions().mode() & 0o777,
        0o640
    );
}

#[test]
fn o_writes_through_a_fifo_and_dev_null() {
    let dir = tempdir("fifo");
    let fifo = dir.join("fifo");
    common::mkfifo(&fifo);
    for c in writers(&fifo.display().to_string()) {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        let o = run(&args(&c));
        assert_eq!(o.status.code(), Some(0), "{c:?}: {}", err(&o));
        let got = reader.join().unwrap();
        assert!(!got.is_empty(), "{c:?}");
        use std::os::unix::fs::FileTypeExt;
        assert!(
            std::fs::metadata(&fifo).unwrap().file_type().is_fifo(),
            "{c:?}"
        );
    }
    for c in writers("/dev/null") {
        let o = run(&args(&c));
        assert_eq!(o.status.code(), Some(0), "{c:?}: {}", err(&o));
    }
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    // A full disk: a coded error, exit 2, and never "the data has errors".
    for c in writers("/dev/full") {
        let o = run(&args(&c));
        assert_eq!(o.status.code(), Some(2), "{c:?}");
        assert!(
            err(&o).contains("K0901") && err(&o).contains("disk is full"),
            "{c:?}: {}",
            err(&o)
        );
        assert!(!err(&o).contains("data has errors"), "{c:?}: {}", err(&o));
    }
}

#[test]
fn o_leaves_no_temporary_file_after_a_failure() {
    let dir = tempdir("tmp");
    let path = dir.join("report.csv");
    // Data with errors: no report, nothing left beside it.
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"[{"id": "x", "meetings": -1, "report_made": true, "water_rate": 1, "awards": 0, "incident": false}]"#).unwrap();
    let o = run(&[
        "eval",
        "tests/cli/small.kh",
        bad.to_str().unwrap(),
        "--format",
        "csv",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("bad.json")]);
}

#[test]
fn the_data_error_line_speaks_the_language_asked_for() {
    let dir = tempdir("lang");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"[{"id": "x", "meetings": -1, "report_made": true, "water_rate": 1, "awards": 0, "incident": false}]"#).unwrap();
    let path = dir.join("r.csv");
    let o = run(&[
        "--lang",
        "zh",
        "eval",
        "tests/cli/small.kh",
        bad.to_str().unwrap(),
        "--format",
        "csv",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(err(&o).contains("未写入报告"), "{}", err(&o));
    let o = run(&[
        "--lang",
        "en",
        "eval",
        "tests/cli/small.kh",
        bad.to_str().unwrap(),
        "--format",
        "csv",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(err(&o).contains("no report written"), "{}", err(&o));
    let _ = out(&o);
}

const MAX: &str = "79228162514264337593543950335";

/// Specs with the largest exact decimal (and its negative, and the
/// smallest step) in every constant position, each with data at the
/// extremes.
fn extreme_specs() -> Vec<(String, String)> {
    let spec = |score: &str, amount: &str, step: &str, cap: &str, threshold: &str, total: &str| {
        format!(
            r#"table "t" {{
  total {total}
  bonus at most {cap}
}}
section 1 "s" {{
  indicator 1 "i" {{
    item 1.1 "a" score {score} {{
      input x: count 次 "x"
      input r: rate "r"
      input q: number "q"
      deduct {amount} per x "x"
      deduct {amount} if r < {threshold}% "r"
      deduct bands q {{
        < {threshold} => {amount}
        >= {threshold} => 0
      }} "q"
    }}
    item 1.2 "d" deduction {{
      input y: count "y"
      deduct {amount} per y "y"
      deduct {amount} if q > {step} "q"
    }}
    item 1.3 "b" bonus {{
      input z: count "z"
      add {amount} per z "z"
    }}
  }}
}}
"#
        )
    };
    let mut out = Vec::new();
    for (score, amount, step, cap, threshold) in [
        (MAX, MAX, "1", MAX, "50"),
        (MAX, "1", "0.0000000000000000000000000001", MAX, "100"),
        ("5", MAX, "1", "1", "0.0000000000000000000000000001"),
        ("5", "0.0000000000000000000000000001", MAX, "0", MAX),
        ("39614081257132168796771975168", MAX, "1", MAX, "1"),
    ] {
        let total = if score == "5" {
            "5".to_string()
        } else {
            score.to_string()
        };
        out.push((
            format!("{score}/{amount}/{step}/{cap}/{threshold}"),
            spec(score, amount, step, cap, threshold, &total),
        ));
    }
    out
}

fn extreme_data() -> String {
    let mut v = Vec::new();
    for (i, n) in [
        MAX,
        "0",
        "1",
        "79228162514264337593543950334",
        "0.0000000000000000000000000001",
        "-79228162514264337593543950335",
    ]
    .iter()
    .enumerate()
    {
        v.push(format!(
            r#"{{"id": "e{i}", "x": {n}, "r": "{n}%", "q": {n}, "y": {n}, "z": {n}}}"#
        ));
    }
    // One entity valid on every spec, so that the reports have a row.
    v.push(r#"{"id": "ok", "x": 1, "r": "50%", "q": 1, "y": 1, "z": 1}"#.to_string());
    format!("[{}]", v.join(",\n"))
}

#[test]
fn decimal_extremes_in_constants_and_inputs_never_panic() {
    let dir = tempdir("extremes");
    let data = dir.join("d.json");
    std::fs::write(&data, extreme_data()).unwrap();
    let d = data.to_str().unwrap();
    let specs = extreme_specs();
    for (i, (what, text)) in specs.iter().enumerate() {
        let p = dir.join(format!("s{i}.kh"));
        std::fs::write(&p, text).unwrap();
        let s = p.to_str().unwrap();
        let other = dir.join(format!("s{}.kh", (i + 1) % specs.len()));
        std::fs::write(&other, &specs[(i + 1) % specs.len()].1).unwrap();
        let o_path = dir.join("out");
        let o = o_path.to_str().unwrap();
        let mut runs: Vec<Vec<&str>> = vec![
            vec!["check", s],
            vec!["render", s],
            vec!["render", s, "--by-unit"],
            vec!["render", s, "--format", "html"],
            vec!["render", s, "--format", "xlsx", "-o", o],
            vec!["template", s, "--format", "xlsx", "-o", o],
            vec!["diff", s, other.to_str().unwrap()],
            vec!["diff", s, other.to_str().unwrap(), "--data", d],
            vec![
                "diff",
                s,
                other.to_str().unwrap(),
                "--data",
                d,
                "--format",
                "json",
            ],
        ];
        for f in ["table", "json", "jsonl", "csv", "html"] {
            runs.push(vec!["eval", s, d, "--format", f]);
            runs.push(vec!["eval", s, d, "--rank", "--format", f]);
        }
        runs.push(vec!["eval", s, d, "--format", "xlsx", "-o", o]);
        for r in runs {
            let got = run(&r);
            no_crash(&got, &format!("{what}: {}", r.join(" ")));
            assert!(matches!(got.status.code(), Some(0..=2)), "{what}: {r:?}");
        }
    }
}

/// A payload for every text position: a formula, a terminal escape that
/// clears the screen and sets the title, a bidi override, HTML and a
/// Markdown table break.
const FORMULA: &str = "=HYPERLINK(\\\"http://x\\\",\\\"y\\\")";
const ESCAPE: &str = "\\u001b]0;pwned\\u0007\\u001b[2J";
const BIDI: &str = "\\u202e";
const MARKUP: &str = "<img src=x onerror=alert(1)>|[l](javascript:alert(1))";

/// A spec whose every text (title, section, indicator, item titles,
/// responsible units, clause texts, enum values, pass/fail) carries the
/// payloads, and data whose ids and texts do.
fn hostile(dir: &Path) -> (PathBuf, PathBuf) {
    // In a spec the characters themselves (its strings have no escapes).
    let p = |s: &str| format!("=HYPERLINK(1)\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}{MARKUP}{s}");
    let spec = format!(
        r#"table "{t}" {{
  total 5
  pass "{pass}"
  fail "{fail}"
}}
section 1 "{s}" {{
  indicator 1 "{i}" {{
    item 1.1 "{a}" score 5 {{
      responsible "{u}"
      input n: count "{d}"
      deduct 1 per n "{c}"
    }}
  }}
}}
"#,
        t = p("t"),
        pass = p("pass"),
        fail = p("fail"),
        s = p("s"),
        i = p("i"),
        a = p("a"),
        u = p("u"),
        d = p("d"),
        c = p("c")
    );
    let spec_path = dir.join("hostile.kh");
    std::fs::write(&spec_path, spec).unwrap();
    let p = |s: &str| format!("{FORMULA}{ESCAPE}{BIDI}{MARKUP}{s}");
    let data = format!(
        r#"[{{"id": "{}", "n": 1}}, {{"id": "-1", "n": 0}}, {{"id": "+1", "n": 0}}, {{"id": "@x", "n": 0}}, {{"id": "\tx", "n": 0}}, {{"id": "\rx", "n": 0}}]"#,
        p("id")
    );
    let data_path = dir.join("hostile.json");
    std::fs::write(&data_path, data).unwrap();
    (spec_path, data_path)
}

/// The texts kaohe wrote, as the reader of each format sees them.
fn check_no_raw_escape(what: &str, text: &str) {
    assert!(!text.contains('\u{1b}'), "{what}: raw ESC in {text}");
    assert!(!text.contains('\u{7}'), "{what}: raw BEL");
    assert!(!text.contains('\u{202e}'), "{what}: raw bidi override");
}

#[test]
fn injection_payloads_are_neutralised_in_every_output() {
    let dir = tempdir("inject");
    let (spec, data) = hostile(&dir);
    let (s, d) = (spec.to_str().unwrap(), data.to_str().unwrap());
    let check = run(&["check", s]);
    assert_eq!(check.status.code(), Some(0), "{}", err(&check));
    // Text for people: table, diff, test lines, diagnostics.
    for args in [
        vec!["eval", s, d],
        vec!["eval", s, d, "--rank"],
        vec!["diff", s, "tests/cli/small.kh"],
        vec!["diff", s, s, "--data", d],
    ] {
        let o = run(&args);
        check_no_raw_escape(&args.join(" "), &out(&o));
        check_no_raw_escape(&args.join(" "), &err(&o));
    }
    // A diagnostic quoting hostile data and spec lines.
    let bad = dir.join("bad.json");
    std::fs::write(&bad, format!(r#"[{{"id": "{ESCAPE}", "n": "{ESCAPE}"}}]"#)).unwrap();
    let o = run(&["eval", s, bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    check_no_raw_escape("diagnostic", &err(&o));
    assert!(err(&o).contains("\\u{1b}"), "{}", err(&o));
    let broken = dir.join("broken.kh");
    std::fs::write(
        &broken,
        "table \"\u{1b}[2J\" { total 1 }\nsection 1 \"\u{202e}x\" { oops }\n",
    )
    .unwrap();
    let o = run(&["check", broken.to_str().unwrap()]);
    check_no_raw_escape("diagnostic with source", &err(&o));
    // CSV: every text cell that starts a formula is neutralised; numbers stay numbers.
    let csv_path = dir.join("r.csv");
    let o = run(&[
        "eval",
        s,
        d,
        "--format",
        "csv",
        "--rank",
        "-o",
        csv_path.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let mut rows = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let mut seen = 0;
    for row in rows.records() {
        let row = row.unwrap();
        for (i, cell) in row.iter().enumerate() {
            let numeric = matches!(i, 1 | 6 | 7 | 8);
            if numeric {
                assert!(cell.parse::<f64>().is_ok() || cell.is_empty(), "{cell}");
            } else {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "cell {i} is live: {cell:?}"
                );
            }
        }
        seen += 1;
    }
    assert_eq!(seen, 6);
    assert!(text.contains("'-1") && text.contains("'@x") && text.contains("'=HYPERLINK"));
    // Filled CSV template: the ids and the notes.
    let tpl = dir.join("tpl.csv");
    let o = run(&[
        "template",
        s,
        "--format",
        "csv",
        "--fill",
        d,
        "-o",
        tpl.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = std::fs::read_to_string(&tpl).unwrap();
    for line in text.lines() {
        assert!(!line.starts_with(['=', '+', '-', '@', '\t']), "{line:?}");
    }
    // HTML (report and render) and Markdown: no live markup.
    for args in [
        vec!["eval", s, d, "--format", "html"],
        vec!["render", s, "--format", "html"],
        vec!["render", s, "--format", "md"],
        vec!["render", s, "--by-unit", "--format", "md"],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", err(&o));
        let t = out(&o);
        assert!(!t.contains("<img"), "{args:?}: {t}");
        check_no_raw_escape(&args.join(" "), &t);
        if args.contains(&"md") {
            assert!(
                !t.replace("\\]", "").contains("](javascript"),
                "{args:?}: {t}"
            );
            // Every table row keeps its 7 cells: no pipe from a text ends one.
            for line in t.lines().filter(|l| l.starts_with('|')) {
                let cells = line.replace("\\|", "").matches('|').count();
                assert_eq!(cells, 8, "{line}");
            }
        }
    }
}

fn xlsx_sheets(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let names = book.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let range = book.worksheet_range(&n).unwrap();
            let rows = range
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect();
            (n, rows)
        })
        .collect()
}

/// One id in two data files: the unit is scored once, by the first file,
/// and the second refused (K0510), in the HTML and XLSX reports as in the
/// others — never ranked beside itself (issue 13 item 5 had each kept with
/// its own result and rank, by position; a ranking that holds one unit
/// twice puts every unit below it a place too low, and the roll-up sums it
/// twice).
#[test]
fn one_id_in_two_data_files_is_scored_once_by_the_first() {
    let dir = tempdir("dup");
    // 甲县 passes in one file and is vetoed in the other.
    let a = dir.join("a.json");
    let b = dir.join("b.json");
    std::fs::write(&a, r#"[{"id": "甲县", "meetings": 2, "report_made": true, "water_rate": 100, "awards": 0, "incident": false}]"#).unwrap();
    std::fs::write(&b, r#"[{"id": "甲县", "meetings": 0, "report_made": false, "water_rate": 0, "awards": 0, "incident": true}, {"id": "乙县", "meetings": 0, "report_made": false, "water_rate": 0, "awards": 0, "incident": true}]"#).unwrap();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let o = run(&["eval", "tests/cli/small.kh", a, b, "--format", "html"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("K0510"), "{}", err(&o));
    let html = out(&o);
    let ranking: Vec<&str> = html
        .lines()
        .filter(|l| l.starts_with("<tr><td class=n>"))
        .collect();
    assert_eq!(ranking.len(), 2, "{html}");
    assert!(
        ranking[0].contains("<td class=n>1</td><td>甲县</td><td class=n>5.00</td><td>合格</td>"),
        "{}",
        ranking[0]
    );
    assert!(
        ranking[1].contains("<td class=n>2</td><td>乙县</td>") && ranking[1].contains("不合格"),
        "{}",
        ranking[1]
    );
    let x = dir.join("r.xlsx");
    let o = run(&[
        "eval",
        "tests/cli/small.kh",
        a,
        b,
        "--format",
        "xlsx",
        "-o",
        x.to_str().unwrap(),
    ]);
    // A report file is kept only when all the data was valid.
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("K0510"), "{}", err(&o));
    assert!(!x.exists());
}

#[test]
fn xlsx_reports_beyond_excel_limits_are_built_or_refused_with_a_code() {
    let dir = tempdir("xlsx");
    let long = "长".repeat(40_000);
    let mut entities = vec![
        format!(
            r#"{{"id": "'quoted'", "meetings": 2, "report_made": true, "water_rate": 100, "awards": 0, "incident": false}}"#
        ),
        format!(
            r#"{{"id": "{long}", "meetings": 2, "report_made": true, "water_rate": 100, "awards": 0, "incident": false}}"#
        ),
    ];
    for i in 0..120 {
        entities.push(format!(
            r#"{{"id": "{}{i}", "meetings": 2, "report_made": true, "water_rate": 100, "awards": 0, "incident": false}}"#,
            "同一个前缀同一个前缀同一个前缀同一个前缀同一个前缀同一个前缀"
        ));
    }
    let data = dir.join("d.json");
    std::fs::write(&data, format!("[{}]", entities.join(",\n"))).unwrap();
    let x = dir.join("r.xlsx");
    let o = run(&[
        "eval",
        "tests/cli/small.kh",
        data.to_str().unwrap(),
        "--format",
        "xlsx",
        "-o",
        x.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let sheets = xlsx_sheets(&x);
    let names: std::collections::HashSet<String> =
        sheets.iter().map(|(n, _)| n.to_lowercase()).collect();
    assert_eq!(names.len(), sheets.len());
    for (n, _) in &sheets {
        assert!(
            n.chars().count() <= 31 && !n.starts_with('\'') && !n.ends_with('\''),
            "{n}"
        );
    }
    // The long id is cut with a note, in the summary.
    let cut = &sheets[0].1[2][0];
    assert_eq!(cut.chars().count(), 32_767);
    assert!(cut.contains("truncated: 40000 characters"));
}

#[test]
fn no_negative_zero_in_the_table_report() {
    let o = run(&["eval", "tests/cli/small.kh", "tests/cli/small.json"]);
    assert!(!out(&o).contains("-0.00"), "{}", out(&o));
}

#[test]
fn a_roll_up_beyond_a_sheets_rows_continues_on_another_sheet() {
    // 120 responsible units × 8,800 entities = 1,056,000 roll-up rows.
    let dir = tempdir("rows");
    let units: Vec<String> = (0..120).map(|i| format!("\"单位{i}\"")).collect();
    let spec = dir.join("many.kh");
    std::fs::write(
        &spec,
        format!(
            "table \"t\" {{ total 1 }}\nsection 1 \"s\" {{\n  indicator 1 \"i\" {{\n    item 1.1 \"a\" score 1 {{\n      responsible {}\n      input n: count \"n\"\n      deduct 1 per n \"n\"\n    }}\n  }}\n}}\n",
            units.join(", ")
        ),
    )
    .unwrap();
    let data = dir.join("many.csv");
    let mut csv = String::from("id,n\n");
    for i in 0..8_800 {
        csv.push_str(&format!("e{i},0\n"));
    }
    std::fs::write(&data, csv).unwrap();
    let x = dir.join("r.xlsx");
    let o = run(&[
        "eval",
        spec.to_str().unwrap(),
        data.to_str().unwrap(),
        "--format",
        "xlsx",
        "-o",
        x.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    use calamine::{Reader, Xlsx, open_workbook};
    let book: Xlsx<_> = open_workbook(&x).unwrap();
    let names = book.sheet_names().to_vec();
    assert_eq!(names[..3], ["summary", "units", "units~2"]);
}

#[test]
fn diff_labels_follow_lang() {
    let dir = tempdir("difflang");
    let text = std::fs::read_to_string(root().join("tests/cli/small.kh")).unwrap();
    let new = dir.join("new.kh");
    std::fs::write(&new, text.replace("0.5 per meetings", "1 per meetings")).unwrap();
    let n = new.to_str().unwrap();
    let zh = run(&[
        "--lang",
        "zh",
        "diff",
        "tests/cli/small.kh",
        n,
        "--data",
        "tests/cli/small.json",
    ]);
    assert!(
        out(&zh).contains("基础分合计") && out(&zh).contains("总分"),
        "{}",
        out(&zh)
    );
    let en = run(&["--lang", "en", "diff", "tests/cli/small.kh", n]);
    assert!(out(&en).contains("base total"), "{}", out(&en));
}

/// `--rank` reads the data twice; from a pipe, the second reading would
/// wait for ever (it did): refused at once, K0921, exit 2. The HTML report,
/// which also reads twice from files, holds data from a pipe whole.
#[test]
fn rank_refuses_data_from_a_pipe_instead_of_waiting_for_ever() {
    let dir = tempdir("rank-fifo");
    let fifo = dir.join("data.json");
    common::mkfifo(&fifo);
    let spec = root().join("tests/cli/small.kh");
    let (spec, data) = (spec.display().to_string(), fifo.display().to_string());
    let o = run(&["eval", &spec, &data, "--rank", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        err(&o).contains("K0921") && err(&o).contains("read only once"),
        "{}",
        err(&o)
    );
    // The HTML report from the same pipe: read once, held whole.
    let json = std::fs::read(root().join("tests/cli/small.json")).unwrap();
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, json).unwrap())
    };
    let o = run(&["eval", &spec, &data, "--format", "html"]);
    writer.join().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("甲县"));
}
