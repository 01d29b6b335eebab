//! End to end with Emacs: the eglot setup of docs/editors.md, as written
//! there, loaded into a batch Emacs (Debian's emacs-nox with elpa-eglot,
//! installed by .ci/run) with `kaohe` on its PATH. Emacs opens the 2024
//! spec with a misspelt input on a line with Chinese text and a line out of
//! place; the test reads back, through Emacs's own state, the mode the file
//! got, the diagnostic flymake shows (line, character column, code, the
//! Chinese help), a hover, and the buffer after `eglot-format-buffer`.
//!
//! Batch Emacs has no command loop, so the driver runs the hooks a command
//! would (`post-command-hook`, where eglot-ensure connects) and activates
//! the installed packages as an interactive Emacs does at startup.
//!
//! Skips (loudly) only where emacs is absent and neither CI nor
//! KAOHE_BROWSER_TESTS is set.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{finish, read, root};
use std::process::{Command, Stdio};

/// What the test asks Emacs, after the setup of docs/editors.md is loaded.
const DRIVE: &str = r#"
(setq kaohe-test-out nil)
(defun kaohe-test-say (fmt &rest args)
  (push (replace-regexp-in-string "\n" " | " (apply #'format fmt args)) kaohe-test-out))
(condition-case err
    (progn
      (find-file (getenv "KAOHE_SPEC"))
      (kaohe-test-say "mode %s" major-mode)
      (run-hooks 'post-command-hook)
      (let ((n 0))
        (while (and (null (flymake-diagnostics)) (< n 600))
          (accept-process-output nil 0.1)
          (when (bound-and-true-p flymake-mode) (flymake-start))
          (setq n (1+ n))))
      (dolist (d (flymake-diagnostics))
        (let ((beg (flymake-diagnostic-beg d)))
          (kaohe-test-say "diagnostic %d:%d %s"
                          (1- (line-number-at-pos beg))
                          (save-excursion (goto-char beg) (- beg (line-beginning-position)))
                          (flymake-diagnostic-text d))))
      (goto-char (point-min))
      (re-search-forward "数据 +leader_meetings")
      (backward-char 3)
      (let ((h (jsonrpc-request (eglot-current-server) :textDocument/hover
                                (eglot--TextDocumentPositionParams))))
        (kaohe-test-say "hover %s" (plist-get (plist-get h :contents) :value)))
      (eglot-format-buffer)
      (write-region (point-min) (point-max) (getenv "KAOHE_FORMATTED")))
  (error (kaohe-test-say "error %S" err)))
(with-temp-file (getenv "KAOHE_OUT")
  (insert (mapconcat #'identity (nreverse kaohe-test-out) "\n")))
"#;

fn emacs() -> bool {
    Command::new("emacs")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn the_emacs_setup_of_docs_editors_md_shows_diagnostics_hover_and_formats() {
    if !emacs() {
        let required =
            std::env::var_os("CI").is_some() || std::env::var_os("KAOHE_BROWSER_TESTS").is_some();
        assert!(
            !required,
            "emacs is not installed, and CI or KAOHE_BROWSER_TESTS asks for the editor test \
             (apt-get install emacs-nox elpa-eglot)"
        );
        eprintln!(
            "\n\n*** SKIPPED the_emacs_setup_of_docs_editors_md_shows_diagnostics_hover_and_formats: \
             emacs is not installed (apt-get install emacs-nox elpa-eglot) ***\n\n"
        );
        return;
    }
    let doc = read(&root().join("docs/editors.md"));
    let start = doc.find("```elisp\n").expect("an elisp block") + "```elisp\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let setup = &doc[start..end];
    assert!(setup.contains("(\"kaohe\" \"lsp\")"), "{setup}");

    let dir = common::tempdir("lsp_emacs", "lsp-emacs");
    std::fs::write(dir.join("init.el"), setup).unwrap();
    std::fs::write(dir.join("drive.el"), DRIVE).unwrap();

    // The canonical text with a misspelt name (what formatting must give
    // back), and the same with one line out of place (what Emacs opens).
    let canonical = read(&root().join("specs/liucheng-2024.kh")).replacen(
        "扣 0.5 每 leader_meetings",
        "扣 0.5 每 leader_meetingz",
        1,
    );
    let misplaced = "\n      数据 leader_meetings";
    assert!(canonical.contains(misplaced));
    let opened = canonical.replacen(misplaced, "\n数据   leader_meetings", 1);
    let spec = dir.join("考核表.kh");
    std::fs::write(&spec, &opened).unwrap();

    let at = opened.find("leader_meetingz").unwrap();
    let line = opened[..at].matches('\n').count();
    let start = opened[..at].rfind('\n').unwrap() + 1;
    let column = opened[start..at].chars().count();

    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_kaohe"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = dir.join("out.txt");
    let formatted = dir.join("formatted.kh");
    let mut child = Command::new("emacs")
        .arg("--batch")
        .args(["--eval", "(package-activate-all)"])
        .arg("-l")
        .arg(dir.join("init.el"))
        .arg("-l")
        .arg(dir.join("drive.el"))
        .env("PATH", path)
        .env("KAOHE_SPEC", &spec)
        .env("KAOHE_OUT", &out)
        .env("KAOHE_FORMATTED", &formatted)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    finish(&mut child, 120, "emacs");
    let got = std::fs::read_to_string(&out).expect("emacs wrote its findings");
    let formatted = std::fs::read_to_string(&formatted).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    let lines: Vec<&str> = got.lines().collect();
    assert!(
        !got.contains("\nerror") && !got.starts_with("error"),
        "{got}"
    );
    assert_eq!(lines.first(), Some(&"mode kaohe-mode"), "{got}");
    let diagnostic = lines
        .iter()
        .find(|l| l.starts_with("diagnostic "))
        .unwrap_or_else(|| panic!("no diagnostic: {got}"));
    assert!(
        diagnostic.starts_with(&format!("diagnostic {line}:{column} ")),
        "{diagnostic} (expected line {line}, character column {column})"
    );
    assert!(diagnostic.contains("[K0201]"), "{diagnostic}");
    assert!(
        diagnostic.contains("leader_meetingz") && diagnostic.contains("建议："),
        "the message and its help, in Chinese: {diagnostic}"
    );
    let hover = lines
        .iter()
        .find(|l| l.starts_with("hover "))
        .unwrap_or_else(|| panic!("no hover: {got}"));
    assert!(
        hover.contains("leader_meetings") && hover.contains("计数 次"),
        "{hover}"
    );
    assert!(
        formatted == canonical,
        "eglot-format-buffer gives kaohe fmt's layout back"
    );
}
