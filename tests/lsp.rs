//! `kaohe lsp` driven as an editor drives it: the built binary as a child
//! process, JSON-RPC framed on its standard input and output. Initialize,
//! open, change (incremental and full), diagnostics, hover, completion,
//! definition, references, symbols, formatting, rename, code actions and
//! inlay hints, on the 2024 spec (Chinese) and a small English spec; columns
//! checked in UTF-16 on lines with Chinese text, and once in UTF-8 when the
//! client offers it. Then the test file beside a spec, malformed messages,
//! and the shutdown.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{read, root};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// A small English spec (tests/common/demo-en.kh), shared with the
/// other tests of the editor's side.
const ENGLISH: &str = include_str!("common/demo-en.kh");

/// An editor's side of the connection.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next: i64,
    /// Notifications (and requests) of the server's, in order.
    seen: Vec<Value>,
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kaohe"))
            .arg("lsp")
            .current_dir(root())
            .env_remove("LC_ALL")
            .env_remove("LANG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                r.read_exact(&mut body).unwrap();
                let v: Value = serde_json::from_slice(&body).unwrap();
                assert_eq!(v["jsonrpc"], "2.0", "{v}");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Client {
            child,
            stdin,
            rx,
            next: 0,
            seen: Vec::new(),
        }
    }

    fn raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, v: &Value) {
        self.raw(&frame(&v.to_string()));
    }

    fn recv(&mut self) -> Value {
        let v = self
            .rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the server answers within 30 s");
        if v.get("method").is_some() && v.get("id").is_some() {
            // A request of the server's (registerCapability): accept it.
            self.send(&json!({"jsonrpc": "2.0", "id": v["id"], "result": null}));
        }
        v
    }

    /// Send a request and wait for its response (the whole message).
    fn ask(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let v = self.recv();
            if v.get("method").is_none() && v["id"] == json!(id) {
                return v;
            }
            self.seen.push(v);
        }
    }

    /// A request's result; fails on an error.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let v = self.ask(method, params);
        assert!(v.get("error").is_none(), "{method}: {v}");
        v["result"].clone()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next notification `method` for which `pick` holds (seen ones first).
    fn wait(&mut self, method: &str, pick: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self
            .seen
            .iter()
            .position(|v| v["method"] == method && pick(&v["params"]))
        {
            return self.seen.remove(i)["params"].clone();
        }
        loop {
            let v = self.recv();
            if v["method"] == method && pick(&v["params"]) {
                return v["params"].clone();
            }
            self.seen.push(v);
        }
    }

    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let p = self.wait("textDocument/publishDiagnostics", |p| p["uri"] == uri);
        p["diagnostics"].as_array().unwrap().clone()
    }

    fn initialize(&mut self, capabilities: Value) -> Value {
        let r = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        self.notify("initialized", json!({}));
        r
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "kaohe", "version": 1, "text": text}}),
        );
    }

    /// shutdown, exit, and the exit code.
    fn stop(mut self) -> i32 {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        drop(self.stdin.take());
        self.child.wait().unwrap().code().unwrap()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri_of(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn pos(line: usize, character: usize) -> Value {
    json!({"line": line, "character": character})
}

fn at(uri: &str, line: usize, character: usize) -> Value {
    json!({"textDocument": {"uri": uri}, "position": pos(line, character)})
}

/// Line (from 0), UTF-16 column and UTF-8 column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let utf16 = text[start..offset].encode_utf16().count();
    (line, utf16, offset - start)
}

/// Apply LSP text edits (not overlapping) made against `text`, UTF-16 columns.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let ch = p["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= ch || c == '\n' {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, &t);
    }
    out
}

fn spec_2024_path() -> PathBuf {
    root().join("specs/liucheng-2024.kh")
}

#[test]
fn the_2024_spec_in_chinese_over_utf16() {
    let text = read(&spec_2024_path());
    // Another folder than specs/, so that no test file is found.
    let uri = "file:///nowhere/liucheng-2024.kh";
    let mut c = Client::start();
    let init = c.initialize(json!({}));
    let caps = &init["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental");
    assert_eq!(caps["renameProvider"]["prepareProvider"], true);
    assert_eq!(init["serverInfo"]["name"], "kaohe");
    c.open(uri, &text);
    assert_eq!(c.diagnostics(uri), Vec::<Value>::new());

    // An incremental change on a line with Chinese text: leader_meetings
    // misspelt. The diagnostic's columns are UTF-16 units.
    let at_name = text.find("扣 0.5 每 leader_meetings").unwrap() + "扣 0.5 每 ".len();
    let (line, u16col, u8col) = line_col(&text, at_name);
    assert!(u8col > u16col, "a line with Chinese text before the name");
    let end = u16col + "leader_meetings".len();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": pos(line, u16col), "end": pos(line, end)},
                                   "text": "leader_meetingz"}]}),
    );
    let ds = c.diagnostics(uri);
    assert_eq!(ds.len(), 1, "{ds:?}");
    let d = &ds[0];
    assert_eq!(d["code"], "K0201");
    assert_eq!(d["source"], "kaohe");
    assert_eq!(d["severity"], 1);
    assert_eq!(d["range"]["start"], pos(line, u16col));
    assert_eq!(d["range"]["end"], pos(line, end));
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("leader_meetingz"), "{message}");
    assert!(
        message.contains("建议："),
        "the help, in Chinese: {message}"
    );

    // An unknown name carries no fix: no code action.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": ds}}),
    );
    assert_eq!(actions, json!([]));

    // A full-width `＜` on a line with Chinese text (a full change): its
    // fix, by UTF-16 columns, gives the text back.
    let wide = text.replacen(
        "eco_performance_share < 20%",
        "eco_performance_share ＜ 20%",
        1,
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": wide}]}),
    );
    let ds = c.diagnostics(uri);
    assert!(!ds.is_empty());
    let (wline, wcol, wbyte) = line_col(&wide, wide.find('＜').unwrap());
    assert!(wbyte > wcol);
    assert_eq!(ds[0]["range"]["start"], pos(wline, wcol), "{:?}", ds[0]);
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": ds[0]["range"], "context": {"diagnostics": ds}}),
    );
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    let edits = action["edit"]["changes"][uri].as_array().unwrap();
    assert_eq!(apply(&wide, edits), text);

    // A full change back to the text as it was: no diagnostics.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": text}]}),
    );
    assert_eq!(c.diagnostics(uri), Vec::<Value>::new());

    // Hover on the input, past the Chinese text of its line.
    let hover = c.request("textDocument/hover", at(uri, line, u16col + 2));
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("leader_meetings")
    );
    assert_eq!(hover["range"]["start"], pos(line, u16col));

    // Definition: the declaring line; references: every use, with it.
    let decl = text.find("数据 leader_meetings").unwrap() + "数据 ".len();
    let (dline, dcol, _) = line_col(&text, decl);
    let def = c.request("textDocument/definition", at(uri, line, u16col + 2));
    assert_eq!(def["uri"], uri);
    assert_eq!(def["range"]["start"], pos(dline, dcol));
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": pos(line, u16col + 2),
               "context": {"includeDeclaration": true}}),
    );
    let refs = refs.as_array().unwrap();
    assert!(refs.len() >= 2, "{refs:?}");
    assert!(
        refs.iter()
            .any(|r| r["range"]["start"] == pos(line, u16col))
    );
    assert!(refs.iter().any(|r| r["range"]["start"] == pos(dline, dcol)));

    // Completion after `每 ` offers the inputs, replacing the word typed.
    let comp = c.request("textDocument/completion", at(uri, line, u16col + 3));
    let items = comp["items"].as_array().unwrap();
    let meetings = items
        .iter()
        .find(|i| i["label"] == "leader_meetings")
        .expect("the input is offered");
    assert_eq!(meetings["kind"], 6, "a variable");
    assert_eq!(meetings["textEdit"]["range"]["start"], pos(line, u16col));

    // The outline: sections → indicators → items, Chinese labels.
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let first = &symbols[0];
    assert_eq!(first["kind"], 3, "a section: namespace");
    assert!(first["name"].as_str().unwrap().starts_with('一'), "{first}");
    let indicator = &first["children"][0];
    assert_eq!(indicator["kind"], 5);
    let item = &indicator["children"][0];
    assert_eq!(item["kind"], 8);
    assert!(item["name"].as_str().unwrap().starts_with("1.1"), "{item}");

    // Formatting a formatted spec: no edits.
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(edits, json!([]));

    // Inlay hints: what each section and indicator sums to, in Chinese.
    let hints = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": {"start": pos(0, 0), "end": pos(100000, 0)}}),
    );
    let hints = hints.as_array().unwrap();
    assert!(hints.len() > 16, "{}", hints.len());
    assert!(
        hints[0]["label"].as_str().unwrap().starts_with("合计 "),
        "{}",
        hints[0]
    );

    // Semantic tokens, relative and in UTF-16 units: on the line of
    // `扣 0.5 每 leader_meetings`, 扣 and 每 are keywords one unit long and
    // the input's name a variable of 15.
    let legend: Vec<String> = caps["semanticTokensProvider"]["legend"]["tokenTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    let data = c.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri}}),
    );
    let data: Vec<u64> = data["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    let (mut tl, mut tc) = (0, 0);
    let mut decoded = Vec::new();
    for t in data.chunks(5) {
        if t[0] > 0 {
            tc = 0;
        }
        tl += t[0] as usize;
        tc += t[1] as usize;
        decoded.push((tl, tc, t[2] as usize, legend[t[3] as usize].clone()));
    }
    let kw = text.find("扣 0.5 每 leader_meetings").unwrap();
    let (kl, kc, _) = line_col(&text, kw);
    assert_eq!(kl, line);
    for expected in [
        (line, kc, 1, "keyword"),
        (line, kc + 6, 1, "keyword"),
        (line, u16col, 15, "variable"),
    ] {
        assert!(
            decoded
                .iter()
                .any(|d| (d.0, d.1, d.2, d.3.as_str()) == expected),
            "{expected:?} in {:?}",
            decoded.iter().filter(|d| d.0 == line).collect::<Vec<_>>()
        );
    }

    // Rename an input: every use, Chinese lines included.
    let prep = c.request("textDocument/prepareRename", at(uri, line, u16col + 2));
    assert_eq!(prep["start"], pos(line, u16col));
    let renamed = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri}, "position": pos(line, u16col + 2), "newName": "会议次数"}),
    );
    let edits = renamed["changes"][uri].as_array().unwrap();
    assert_eq!(edits.len(), refs.len());
    let after = apply(&text, edits);
    assert!(after.contains("扣 0.5 每 会议次数"));
    assert!(!after.contains("leader_meetings"));
    // A refused rename says why, in the spec's language.
    let refused = c.ask(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri}, "position": pos(line, u16col + 2), "newName": "扣"}),
    );
    let message = refused["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("K0954"), "{message}");
    assert_eq!(refused["error"]["code"], -32803);
    assert_eq!(c.stop(), 0);
}

#[test]
fn an_english_spec_and_utf8_columns() {
    let uri = "file:///nowhere/demo.kh";
    let mut c = Client::start();
    let init = c.initialize(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    // A Chinese title before a misspelt name: the column counts bytes.
    let text = ENGLISH.replace(
        "deduct 1 unless report \"no report filed\"",
        "deduct 1 unless reprt \"未报送报告\"",
    );
    let text = text.replace("\"Meetings and report\"", "\"会议与报告\"");
    c.open(uri, &text);
    let ds = c.diagnostics(uri);
    let d = ds
        .iter()
        .find(|d| d["code"] == "K0201")
        .expect("the misspelt name");
    let (line, _, u8col) = line_col(&text, text.find("reprt").unwrap());
    assert_eq!(d["range"]["start"], pos(line, u8col));
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("help: "), "English help: {message}");
    // A hover on a line with Chinese text, by UTF-8 column: the item's
    // title line (`item 1.1 "会议与报告"`), at `1.1`.
    let item_at = text.find("item 1.1").unwrap() + "item ".len();
    let (iline, _, icol) = line_col(&text, item_at);
    let hover = c.request("textDocument/hover", at(uri, iline, icol + 1));
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("会议与报告"),
        "{hover}"
    );
    // An incremental change by UTF-8 columns, after the Chinese title on
    // its line (`"未报送报告"` follows the name).
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": pos(line, u8col), "end": pos(line, u8col + 5)},
                                   "text": "report"}]}),
    );
    let ds = c.diagnostics(uri);
    assert!(ds.iter().all(|d| d["code"] != "K0201"), "{ds:?}");
    // Completion at a line start in an item: English keywords.
    let fresh_line = text[..text.find("      deduct 0.5 per").unwrap()]
        .matches('\n')
        .count();
    let comp = c.request("textDocument/completion", at(uri, fresh_line, 6));
    let labels: Vec<&str> = comp["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"deduct"), "{labels:?}");
    assert_eq!(c.stop(), 0);
}

/// A client that takes snippets gets them in the snippet syntax, inserted
/// as they are (the service indents them); one that does not gets the same
/// text with every field at its default.
#[test]
fn snippets_for_clients_that_take_them_and_plain_text_for_others() {
    let uri = "file:///nowhere/demo.kh";
    let line = ENGLISH[..ENGLISH.find("    item 1.2").unwrap()]
        .matches('\n')
        .count();
    let item_snippet = |caps: Value| -> Value {
        let mut c = Client::start();
        c.initialize(caps);
        c.open(uri, ENGLISH);
        let comp = c.request("textDocument/completion", at(uri, line, 4));
        assert_eq!(c.stop(), 0);
        comp["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["label"] == "item …")
            .cloned()
            .unwrap_or_else(|| panic!("no item snippet: {comp}"))
    };
    let with = item_snippet(
        json!({"textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}}),
    );
    assert_eq!(with["kind"], 15, "CompletionItemKind.Snippet");
    assert_eq!(with["insertTextFormat"], 2, "InsertTextFormat.Snippet");
    assert_eq!(with["insertTextMode"], 1, "InsertTextMode.asIs");
    let text = with["textEdit"]["newText"].as_str().unwrap();
    assert!(
        text.starts_with("item ${1:1.1} \"${2:item title}\" score ${3:2} {\n      rule \""),
        "{text}"
    );
    assert!(text.contains(" per $6 below ${10:2}"), "{text}");
    let without = item_snippet(json!({}));
    assert_eq!(without["insertTextFormat"], 1, "InsertTextFormat.PlainText");
    let plain = without["textEdit"]["newText"].as_str().unwrap();
    assert!(!plain.contains('$'), "{plain}");
    assert!(
        plain.starts_with("item 1.1 \"item title\" score 2 {\n      rule \""),
        "{plain}"
    );
    assert!(
        plain.contains("deduct 0.5 per meetings below 2 "),
        "{plain}"
    );
}

#[test]
fn formatting_and_fixes_of_an_english_spec() {
    let uri = "file:///nowhere/messy.kh";
    let mut c = Client::start();
    c.initialize(json!({}));
    let messy = ENGLISH.replace("  total 6", "total    6");
    c.open(uri, &messy);
    assert_eq!(c.diagnostics(uri), Vec::<Value>::new());
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(apply(&messy, edits.as_array().unwrap()), ENGLISH);
    // A full-width comparison: its fix, as a code action.
    let broken = ENGLISH.replace(
        "award = \"city\" and meetings < 1",
        "award = \"city\" and meetings ＜ 1",
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": broken}]}),
    );
    let ds = c.diagnostics(uri);
    assert!(!ds.is_empty());
    let d = &ds[0];
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": []}}),
    );
    let edits = actions[0]["edit"]["changes"][uri].as_array().unwrap();
    assert_eq!(apply(&broken, edits), ENGLISH);
    // Formatting a spec that does not parse: refused, saying why.
    let refused = c.ask(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let message = refused["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("K0954: the spec does not parse"),
        "{message}"
    );
    assert_eq!(c.stop(), 0);
}

#[test]
fn secondary_labels_are_related_information() {
    let uri = "file:///nowhere/twice.kh";
    let mut c = Client::start();
    c.initialize(json!({}));
    let text = ENGLISH.replace("item 1.2 \"Awards\"", "item 1.1 \"Awards\"");
    c.open(uri, &text);
    let ds = c.diagnostics(uri);
    let d = ds
        .iter()
        .find(|d| d["code"] == "K0202")
        .expect("an id given twice");
    let related = d["relatedInformation"]
        .as_array()
        .expect("the first id, related");
    assert_eq!(related[0]["location"]["uri"], uri);
    let (first, _, _) = line_col(&text, text.find("item 1.1").unwrap());
    assert_eq!(related[0]["location"]["range"]["start"]["line"], first);
    assert_eq!(c.stop(), 0);
}

#[test]
fn the_test_file_beside_a_spec_shows_expectations_that_no_longer_hold() {
    let path = spec_2024_path();
    let uri = uri_of(&path);
    let tests_uri = uri_of(&root().join("specs/liucheng-2024.tests.json"));
    let text = read(&path);
    let mut c = Client::start();
    c.initialize(json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}));
    // The watcher is registered for test and data files.
    let reg = c.wait("client/registerCapability", |_| true);
    assert_eq!(
        reg["registrations"][0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    c.open(&uri, &text);
    assert_eq!(c.diagnostics(&uri), Vec::<Value>::new());
    assert_eq!(
        c.diagnostics(&tests_uri),
        Vec::<Value>::new(),
        "every case holds"
    );

    // Item 1.1 deducts 1 per meeting missing instead of 0.5; saved.
    let changed = text.replacen("扣 0.5 每 leader_meetings", "扣 1 每 leader_meetings", 1);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": changed}]}),
    );
    assert_eq!(c.diagnostics(&uri), Vec::<Value>::new());
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let ds = c.diagnostics(&tests_uri);
    assert!(!ds.is_empty(), "a case no longer holds");
    let d = &ds[0];
    assert_eq!(d["code"], "K0953");
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("预期"),
        "expected against actual: {message}"
    );
    assert!(message.contains("1.1"), "the item: {message}");
    assert!(
        message.contains("kaohe test --bless"),
        "what to do: {message}"
    );
    // At the case's name in the test file.
    let tests_text = read(&root().join("specs/liucheng-2024.tests.json"));
    let line = d["range"]["start"]["line"].as_u64().unwrap() as usize;
    assert!(tests_text.lines().nth(line).unwrap().contains("\"name\""));

    // A watched file changes: the tests run again (on the spec as edited).
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": tests_uri, "type": 2}]}),
    );
    assert!(!c.diagnostics(&tests_uri).is_empty());
    // Back as it was: the test file is clean again.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": text}]}),
    );
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(c.diagnostics(&tests_uri), Vec::<Value>::new());
    // Closing the spec clears both.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(c.diagnostics(&uri), Vec::<Value>::new());
    assert_eq!(c.diagnostics(&tests_uri), Vec::<Value>::new());
    assert_eq!(c.stop(), 0);
}

#[test]
fn malformed_messages_are_answered_and_the_server_goes_on() {
    let mut c = Client::start();
    // Before initialize: refused, not ignored.
    let early = c.ask("textDocument/hover", at("file:///x.kh", 0, 0));
    assert_eq!(early["error"]["code"], -32002);
    c.initialize(json!({}));
    // Not JSON: a parse error with a null id.
    c.raw(&frame("{this is not json"));
    let v = c.recv();
    assert_eq!(v["id"], Value::Null);
    assert_eq!(v["error"]["code"], -32700);
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("K0950") && message.contains("编辑器"),
        "{message}"
    );
    // A request whose parameters are wrong: invalid params.
    let bad = c.ask("textDocument/hover", json!({"textDocument": 3}));
    assert_eq!(bad["error"]["code"], -32602);
    assert!(bad["error"]["message"].as_str().unwrap().contains("K0950"));
    // A document never opened.
    let unknown = c.ask("textDocument/hover", at("file:///never.kh", 0, 0));
    assert!(
        unknown["error"]["message"]
            .as_str()
            .unwrap()
            .contains("K0951")
    );
    // A method the server does not know.
    let nope = c.ask("kaohe/nothing", json!({}));
    assert_eq!(nope["error"]["code"], -32601);
    // A position past the end of the text: an answer, not a crash.
    c.open("file:///nowhere/e.kh", ENGLISH);
    c.diagnostics("file:///nowhere/e.kh");
    let far = c.request("textDocument/hover", at("file:///nowhere/e.kh", 9999, 9999));
    assert_eq!(far, Value::Null);
    assert_eq!(c.stop(), 0);
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let mut c = Client::start();
    c.initialize(json!({}));
    c.notify("exit", Value::Null);
    assert_eq!(c.child.wait().unwrap().code(), Some(1));
    // And a closed input ends it the same way.
    let mut c = Client::start();
    c.initialize(json!({}));
    drop(c.stdin.take());
    assert_eq!(c.child.wait().unwrap().code(), Some(1));
}

#[test]
fn initialization_options_choose_the_language_of_the_answers() {
    let uri = "file:///nowhere/zh.kh";
    let mut c = Client::start();
    c.request(
        "initialize",
        json!({"capabilities": {}, "initializationOptions": {"lang": "zh"}, "locale": "en-US"}),
    );
    c.notify("initialized", json!({}));
    c.open(uri, &ENGLISH.replace("unless report", "unless reprt"));
    let ds = c.diagnostics(uri);
    let message = ds[0]["message"].as_str().unwrap();
    assert!(
        message.contains("建议："),
        "Chinese for an English spec: {message}"
    );
    // The server's own messages in that language too.
    let unknown = c.ask("textDocument/hover", at("file:///never.kh", 0, 0));
    let message = unknown["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("未在 kaohe lsp 中打开") && !message.contains("not open"),
        "{message}"
    );
    assert_eq!(c.stop(), 0);
}

/// A placeholder whose sentence kaohe reads (issue 18): the code action
/// "write this rule from its sentence" replaces it with the rule and its
/// input, columns in UTF-16 on a Chinese line.
#[test]
fn a_placeholder_is_written_from_its_sentence_by_a_code_action() {
    let text = "考核表 \"t\" {\n  年度 2024\n  语言 zh\n  总分 2\n  合格等次 \"合格\"\n  不合格等次 \"不合格\"\n}\n\n一级指标 一 \"a\" {\n  二级指标 1 \"b\" {\n    考核事项 1.1 \"c\" 分值 2 {\n      待写规则 \"未与司法部门联动扣0.5分\"\n    }\n  }\n}\n";
    let uri = "file:///nowhere/pending.kh";
    let mut c = Client::start();
    c.initialize(json!({}));
    c.open(uri, text);
    let ds = c.diagnostics(uri);
    let d = ds
        .iter()
        .find(|d| d["code"] == "K0490")
        .expect("the placeholder");
    let (line, col, _) = line_col(text, text.find("待写规则").unwrap());
    assert_eq!(d["range"]["start"], pos(line, col));
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let action = &actions[0];
    assert_eq!(action["title"], "按原句写出规则", "{actions}");
    assert_eq!(action["kind"], "quickfix");
    let edits = action["edit"]["changes"][uri].as_array().unwrap();
    let fixed = apply(text, edits);
    assert!(fixed.contains("数据 "), "{fixed}");
    assert!(fixed.contains("扣 0.5 除非 "), "{fixed}");
    assert!(!fixed.contains("待写规则"), "{fixed}");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    assert_eq!(c.diagnostics(uri), Vec::<Value>::new());
    assert_eq!(c.stop(), 0);
}

/// The outline of a table of five levels: every level a symbol, a heading's
/// detail its declared points and its limit on what it loses, in the
/// spec's language.
#[test]
fn the_outline_of_five_levels_shows_points_and_limits() {
    let path = root().join("tests/patterns/L7-five-levels/spec.kh");
    let text = read(&path);
    let uri = uri_of(&path);
    let mut c = Client::start();
    c.initialize(json!({}));
    c.open(&uri, &text);
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let level3 = &symbols[0]["children"][0]["children"][0];
    assert!(
        level3["name"].as_str().unwrap().starts_with("1 免疫规划"),
        "{level3}"
    );
    assert_eq!(level3["detail"], "8 · 最多扣3分", "{level3}");
    let level4 = &level3["children"][0];
    assert!(
        level4["name"].as_str().unwrap().starts_with("(1) 接种率"),
        "{level4}"
    );
    assert_eq!(level4["detail"], "5", "{level4}");
    assert_eq!(c.stop(), 0);
}
