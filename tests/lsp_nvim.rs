//! End to end with a real editor: headless Neovim's built-in LSP client
//! starts the built `kaohe lsp`, opens the 2024 spec with a misspelt input
//! on a line with Chinese text, waits for the diagnostics, asks a hover, and
//! writes both to a file this test reads. Neovim turns the protocol's
//! columns into byte columns, so the column checked is the byte column of
//! the name: the UTF-16 ↔ byte mapping is exact on both sides.
//!
//! Skips (loudly) only where nvim is absent and neither CI nor
//! KAOHE_BROWSER_TESTS is set (.ci/run installs Debian's neovim). The Lua
//! uses only what Neovim 0.7 (Debian bookworm) has: vim.lsp.start_client and
//! vim.lsp.buf_attach_client, as docs/editors.md does.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{finish, read, root};
use std::process::{Command, Stdio};

const SCRIPT: &str = r#"
local function run()
  local spec = os.getenv("KAOHE_SPEC")
  vim.cmd("edit " .. vim.fn.fnameescape(spec))
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({
    name = "kaohe",
    cmd = { os.getenv("KAOHE_BIN"), "lsp" },
    root_dir = vim.fn.fnamemodify(spec, ":h"),
  })
  vim.lsp.buf_attach_client(buf, id)
  vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  local lines = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ""
    local message = d.message:gsub("\n", " | ")
    table.insert(lines, string.format("diagnostic %d:%d %s %s", d.lnum, d.col, code, message))
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = tonumber(os.getenv("KAOHE_LINE")), character = tonumber(os.getenv("KAOHE_CHAR")) },
  }
  local answers = vim.lsp.buf_request_sync(buf, "textDocument/hover", params, 10000)
  for _, r in pairs(answers or {}) do
    if r.result and r.result.contents then
      local value = r.result.contents.value:gsub("\n", " | ")
      table.insert(lines, "hover " .. value)
    end
  end
  return lines
end
local ok, lines = pcall(run)
if not ok then lines = { "error " .. tostring(lines) } end
vim.fn.writefile(lines, os.getenv("KAOHE_OUT"))
vim.cmd("qall!")
"#;

fn nvim() -> Option<String> {
    let found = Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    found.then(|| "nvim".to_string())
}

#[test]
fn neovim_shows_the_diagnostics_and_a_hover() {
    let Some(nvim) = nvim() else {
        let required =
            std::env::var_os("CI").is_some() || std::env::var_os("KAOHE_BROWSER_TESTS").is_some();
        assert!(
            !required,
            "nvim is not installed, and CI or KAOHE_BROWSER_TESTS asks for the editor test \
             (apt-get install neovim)"
        );
        eprintln!(
            "\n\n*** SKIPPED neovim_shows_the_diagnostics_and_a_hover: nvim is not installed \
             (apt-get install neovim) ***\n\n"
        );
        return;
    };
    let dir = common::tempdir("lsp_nvim", "lsp-nvim");
    let text = read(&root().join("specs/liucheng-2024.kh"));
    let at = text.find("扣 0.5 每 leader_meetings").unwrap() + "扣 0.5 每 ".len();
    let broken = format!(
        "{}leader_meetingz{}",
        &text[..at],
        &text[at + "leader_meetings".len()..]
    );
    let spec = dir.join("考核表.kh");
    std::fs::write(&spec, &broken).unwrap();
    let script = dir.join("run.lua");
    std::fs::write(&script, SCRIPT).unwrap();
    let out = dir.join("out.txt");
    let _ = std::fs::remove_file(&out);
    // The name's line, its byte column (what Neovim shows), and its UTF-16
    // column (what the protocol carries); the hover asks on the declaration
    // of leader_meetings, on a line with Chinese text too.
    let line = broken[..at].matches('\n').count();
    let start = broken[..at].rfind('\n').unwrap() + 1;
    let byte_col = at - start;
    assert!(byte_col > broken[start..at].encode_utf16().count());
    let decl = broken.find("数据 leader_meetings").unwrap() + "数据 ".len();
    let dline = broken[..decl].matches('\n').count();
    let dstart = broken[..decl].rfind('\n').map_or(0, |i| i + 1);
    let dchar = broken[dstart..decl].encode_utf16().count() + 2;

    let mut child = Command::new(nvim)
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("KAOHE_BIN", env!("CARGO_BIN_EXE_kaohe"))
        .env("KAOHE_SPEC", &spec)
        .env("KAOHE_OUT", &out)
        .env("KAOHE_LINE", dline.to_string())
        .env("KAOHE_CHAR", dchar.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    finish(&mut child, 90, "nvim");
    let got = std::fs::read_to_string(&out).expect("nvim wrote its findings");
    let _ = std::fs::remove_dir_all(&dir);
    let lines: Vec<&str> = got.lines().collect();
    assert!(!got.starts_with("error"), "{got}");
    let diagnostic = lines
        .iter()
        .find(|l| l.starts_with("diagnostic "))
        .unwrap_or_else(|| panic!("no diagnostic: {got}"));
    assert!(
        diagnostic.starts_with(&format!("diagnostic {line}:{byte_col} K0201 ")),
        "{diagnostic} (expected line {line}, byte column {byte_col})"
    );
    assert!(diagnostic.contains("leader_meetingz"), "{diagnostic}");
    assert!(
        diagnostic.contains("建议："),
        "the help, in Chinese: {diagnostic}"
    );
    let hover = lines
        .iter()
        .find(|l| l.starts_with("hover "))
        .unwrap_or_else(|| panic!("no hover: {got}"));
    assert!(hover.contains("leader_meetings"), "{hover}");
}

/// The Neovim setup of docs/editors.md, as written there (the command
/// pointed at the built binary): a `.kh` file gets the filetype and the
/// diagnostics.
#[test]
fn the_neovim_setup_of_docs_editors_md_works() {
    let Some(nvim) = nvim() else {
        let required =
            std::env::var_os("CI").is_some() || std::env::var_os("KAOHE_BROWSER_TESTS").is_some();
        assert!(!required, "nvim is not installed (apt-get install neovim)");
        eprintln!(
            "\n\n*** SKIPPED the_neovim_setup_of_docs_editors_md_works: nvim is not installed ***\n\n"
        );
        return;
    };
    let doc = read(&root().join("docs/editors.md"));
    let start = doc.find("```lua\n").expect("a Lua block") + "```lua\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let bin = env!("CARGO_BIN_EXE_kaohe");
    let init = doc[start..end].replace(
        "cmd = { \"kaohe\", \"lsp\" }",
        &format!("cmd = {{ {bin:?}, \"lsp\" }}"),
    );
    assert_ne!(init, doc[start..end], "the snippet starts `kaohe lsp`");
    let dir = common::tempdir("lsp_nvim", "lsp-nvim-doc");
    std::fs::write(dir.join("init.lua"), init).unwrap();
    let out = dir.join("out.txt");
    let dump = format!(
        "vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)\n\
         local out = {{ 'ft=' .. vim.bo.filetype }}\n\
         for _, d in ipairs(vim.diagnostic.get(0)) do table.insert(out, (d.message:gsub('\\n', ' | '))) end\n\
         vim.fn.writefile(out, {:?})\n\
         vim.cmd('qall!')\n",
        out.display().to_string()
    );
    std::fs::write(dir.join("dump.lua"), dump).unwrap();
    let spec = dir.join("t.kh");
    let text = read(&root().join("specs/liucheng-2024.kh")).replacen(
        "扣 0.5 每 leader_meetings",
        "扣 0.5 每 leader_meetingz",
        1,
    );
    std::fs::write(&spec, text).unwrap();
    let mut child = Command::new(nvim)
        .arg("--headless")
        .arg("-u")
        .arg(dir.join("init.lua"))
        .arg("-c")
        .arg(format!("luafile {}", dir.join("dump.lua").display()))
        .arg(&spec)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    finish(&mut child, 90, "nvim");
    let got = std::fs::read_to_string(&out).expect("nvim wrote its findings");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(got.starts_with("ft=kaohe\n"), "{got}");
    assert!(
        got.contains("leader_meetingz") && got.contains("建议："),
        "{got}"
    );
}
