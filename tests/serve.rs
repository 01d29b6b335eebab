//! `kaohe serve` against a real server: the binary started on a free port
//! of loopback (or of every address, for the token), asked over HTTP as a
//! browser asks. Paths that leave the workspace, calls without the token
//! or the header, stale saves and bad input are refused with a coded 4xx;
//! history is kept; check, render, template and eval answer what the CLI
//! answers for the same inputs, report files byte for byte.

// A test fails by panicking, so unwrap, expect and indexing are its tools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::root;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A workbench started on a workspace; stopped when dropped.
pub struct Workbench {
    child: Child,
    /// `127.0.0.1:PORT`
    pub addr: String,
    /// The token, when the workbench printed one in its address.
    pub token: Option<String>,
    pub dir: PathBuf,
}

impl Drop for Workbench {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A fresh workspace with the 2024 table and its data, and a server on it.
pub fn start(name: &str, extra: &[&str]) -> Workbench {
    let dir = common::tempdir("serve", &format!("serve-test-{name}"));
    let r = root();
    std::fs::copy(
        r.join("specs/liucheng-2024.kh"),
        dir.join("liucheng-2024.kh"),
    )
    .unwrap();
    for f in ["mixed.xlsx", "mixed.json", "clean.json"] {
        std::fs::copy(r.join("examples/liucheng-2024").join(f), dir.join(f)).unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_kaohe"))
        .arg("serve")
        .arg(&dir)
        .args(["--port", "0"])
        .args(extra)
        .env_remove("LC_ALL")
        .env_remove("LANG")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().strip_prefix("http://").unwrap().to_string();
    let (hostport, rest) = url.split_once('/').unwrap();
    let port = hostport.rsplit(':').next().unwrap();
    let token = rest.strip_prefix("?token=").map(str::to_string);
    Workbench {
        child,
        addr: format!("127.0.0.1:{port}"),
        token,
        dir,
    }
}

/// An answer: status, headers (lower-case names) and body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    /// The code of a refusal.
    pub fn code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap().to_string()
    }
}

impl Workbench {
    /// A request as the page sends it (with the header, and the token if any).
    pub fn call(&self, method: &str, path: &str, body: &[u8]) -> Answer {
        let mut headers = vec![("X-Kaohe".to_string(), "1".to_string())];
        if let Some(t) = &self.token {
            headers.push(("Authorization".into(), format!("Bearer {t}")));
        }
        self.raw(method, path, &headers, body)
    }

    pub fn json_call(&self, method: &str, path: &str, body: &Value) -> Answer {
        let mut headers = vec![
            ("X-Kaohe".to_string(), "1".to_string()),
            ("Content-Type".to_string(), "application/json".to_string()),
        ];
        if let Some(t) = &self.token {
            headers.push(("Authorization".into(), format!("Bearer {t}")));
        }
        self.raw(method, path, &headers, body.to_string().as_bytes())
    }

    /// A request with exactly these headers (and Host).
    pub fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Answer {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
            head.push_str(&format!("Host: {}\r\n", self.addr));
        }
        for (n, v) in headers {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes()).unwrap();
        // The server may answer before reading a body it refuses.
        let _ = s.write_all(body);
        let mut all = Vec::new();
        let _ = s.read_to_end(&mut all);
        parse(&all)
    }
}

fn parse(all: &[u8]) -> Answer {
    let end = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a whole answer");
    let head = String::from_utf8_lossy(&all[..end]).to_string();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = all[end + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v == "chunked")
    {
        body = unchunk(&body);
    }
    Answer {
        status,
        headers,
        body,
    }
}

fn unchunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let at = b.windows(2).position(|w| w == b"\r\n").unwrap();
        let n = usize::from_str_radix(std::str::from_utf8(&b[..at]).unwrap().trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&b[at + 2..at + 2 + n]);
        b = &b[at + 2 + n + 2..];
    }
}

/// Run the CLI in `dir`.
fn kaohe_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kaohe"))
        .args(args)
        .current_dir(dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .output()
        .unwrap()
}

fn spec_text() -> String {
    std::fs::read_to_string(root().join("specs/liucheng-2024.kh")).unwrap()
}

#[test]
fn paths_that_leave_the_workspace_are_refused() {
    let w = start("escape", &[]);
    for bad in [
        "../Cargo.toml",
        "%2Fetc%2Fpasswd",
        "a/../../x.kh",
        ".kaohe/history/x.kh",
        "..%2F..%2Fetc%2Fpasswd",
    ] {
        let a = w.call("GET", &format!("/api/file?path={bad}"), b"");
        assert_eq!(a.status, 403, "{bad}");
        assert_eq!(a.code(), "K0930", "{bad}");
        let a = w.json_call(
            "PUT",
            &format!("/api/file?path={bad}"),
            &json!({"text": "x", "base": null}),
        );
        assert_eq!(a.status, 403, "{bad}");
    }
    // A link inside the workspace that leads out.
    std::os::unix::fs::symlink("/etc", w.dir.join("etc")).unwrap();
    let a = w.call("GET", "/api/file?path=etc/passwd", b"");
    assert_eq!((a.status, a.code().as_str()), (403, "K0930"));
    let a = w.json_call(
        "PUT",
        "/api/file?path=etc/x.kh",
        &json!({"text": "x", "base": null}),
    );
    assert_eq!(a.status, 403);
    assert!(!Path::new("/etc/x.kh").exists());
    // The listing does not follow it either.
    let files = w.call("GET", "/api/files", b"").json();
    assert!(!files.to_string().contains("passwd"), "{files}");
    // A path in the address itself.
    let a = w.call("GET", "/assets/../../../etc/passwd", b"");
    assert!(a.status == 404 || a.status == 400, "{}", a.status);
    // A workbook is not edited as text.
    let a = w.call("GET", "/api/file?path=mixed.xlsx", b"");
    assert_eq!((a.status, a.code().as_str()), (415, "K0937"));
    std::fs::create_dir(w.dir.join("folder.kh")).unwrap();
    let a = w.call("GET", "/api/file?path=folder.kh", b"");
    assert_eq!((a.status, a.code().as_str()), (415, "K0937"));
    let a = w.call("GET", "/api/file?path=missing.kh", b"");
    assert_eq!((a.status, a.code().as_str()), (404, "K0931"));
}

/// A spec saved by Notepad as "ANSI" on Chinese Windows (GBK) is refused
/// as the CLI refuses it: K0902 by line and column, naming the encoding
/// and how to save it again, never shown as garbled text to be saved over.
#[test]
fn a_spec_saved_in_gbk_is_told_as_the_cli_tells_it() {
    let w = start("gbk", &[]);
    let (gbk, _, _) = encoding_rs::GBK.encode("// 某县考核表\ntable \"测试\" {}\n");
    std::fs::write(w.dir.join("gbk.kh"), &gbk).unwrap();
    let a = w.call("GET", "/api/file?path=gbk.kh&lang=en", b"");
    assert_eq!((a.status, a.code().as_str()), (422, "K0902"));
    let body = String::from_utf8_lossy(&a.body).to_string();
    assert!(
        body.contains("gbk.kh is not UTF-8 text (line 1, column 4)"),
        "{body}"
    );
    assert!(
        body.contains("GBK (GB18030)") && body.contains("Notepad"),
        "{body}"
    );
}

#[test]
fn a_host_other_than_loopback_needs_the_token() {
    let w = start("token", &["--host", "0.0.0.0"]);
    let token = w.token.clone().expect("a token printed in the address");
    assert_eq!(token.len(), 32);
    for path in ["/", "/api/files", "/assets/app.js"] {
        let a = w.raw("GET", path, &[], b"");
        assert_eq!(a.status, 401, "{path}");
        assert_eq!(a.code(), "K0935");
        assert!(
            a.json()["error_en"]["help"]
                .as_str()
                .unwrap()
                .contains("token")
        );
    }
    let wrong = [("Authorization".to_string(), "Bearer 0000".to_string())];
    assert_eq!(w.raw("GET", "/api/files", &wrong, b"").status, 401);
    assert_eq!(w.call("GET", "/api/files", b"").status, 200);
    // The address printed opens the page and leaves the token in a cookie.
    let a = w.raw("GET", &format!("/?token={token}"), &[], b"");
    assert_eq!(a.status, 200);
    let cookie = a.header("set-cookie").unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let with_cookie = [(
        "Cookie".to_string(),
        cookie.split(';').next().unwrap().to_string(),
    )];
    assert_eq!(w.raw("GET", "/api/files", &with_cookie, b"").status, 200);
}

#[test]
fn calls_that_change_anything_need_the_header_and_this_site() {
    let w = start("header", &[]);
    let body = json!({"text": "x"}).to_string();
    let a = w.raw("POST", "/api/check", &[], body.as_bytes());
    assert_eq!((a.status, a.code().as_str()), (403, "K0934"));
    let a = w.raw(
        "PUT",
        "/api/file?path=n.kh",
        &[],
        br#"{"text":"x","base":null}"#,
    );
    assert_eq!(a.status, 403);
    assert!(!w.dir.join("n.kh").exists());
    let evil = [
        ("X-Kaohe".to_string(), "1".to_string()),
        ("Origin".to_string(), "http://evil.example".to_string()),
    ];
    assert_eq!(
        w.raw("POST", "/api/check", &evil, body.as_bytes()).status,
        403
    );
    // DNS rebinding: another name for this machine.
    let rebound = [("Host".to_string(), "evil.example".to_string())];
    assert_eq!(w.raw("GET", "/api/files", &rebound, b"").status, 403);
    // Every answer carries the policy: no inline script, nothing from elsewhere.
    let page = w.raw("GET", "/", &[], b"");
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("script-src 'self';") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    let html = String::from_utf8_lossy(&page.body).to_string();
    assert!(!html.contains("<script>") && !html.contains("http://") && !html.contains("https://"));
}

#[test]
fn a_stale_save_is_refused_and_every_replaced_text_kept() {
    let w = start("save", &[]);
    let path = "/api/file?path=liucheng-2024.kh";
    let first = w.call("GET", path, b"").json();
    let original = first["text"].as_str().unwrap().to_string();
    let v1 = first["version"].as_str().unwrap().to_string();
    let second = format!("{original}\n// 第二版\n");
    let a = w.json_call("PUT", path, &json!({"text": second, "base": v1}));
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let v2 = a.json()["version"].as_str().unwrap().to_string();
    assert_ne!(v1, v2);
    assert_eq!(
        std::fs::read_to_string(w.dir.join("liucheng-2024.kh")).unwrap(),
        second
    );
    // Another tab, still on the first version: refused, both texts told.
    let third = format!("{original}\n// 另一个标签页\n");
    let a = w.json_call("PUT", path, &json!({"text": third, "base": v1}));
    assert_eq!((a.status, a.code().as_str()), (409, "K0932"));
    let c = a.json();
    assert_eq!(c["conflict"]["disk"]["text"], second.as_str());
    assert_eq!(c["conflict"]["disk"]["version"], v2.as_str());
    assert_eq!(
        std::fs::read_to_string(w.dir.join("liucheng-2024.kh")).unwrap(),
        second
    );
    // A new file over an existing one is a conflict too.
    let a = w.json_call("PUT", path, &json!({"text": "x", "base": null}));
    assert_eq!(a.status, 409);
    // The first version is in the history, and can be restored.
    let h = w
        .call("GET", "/api/history?path=liucheng-2024.kh", b"")
        .json();
    let versions = h["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 1, "{h}");
    let id = versions[0]["id"].as_str().unwrap();
    let kept = w
        .call(
            "GET",
            &format!("/api/history/text?path=liucheng-2024.kh&id={id}"),
            b"",
        )
        .json();
    assert_eq!(kept["text"], original.as_str());
    let a = w.json_call(
        "POST",
        "/api/history/restore",
        &json!({"path": "liucheng-2024.kh", "id": id, "base": v2}),
    );
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    assert_eq!(
        std::fs::read_to_string(w.dir.join("liucheng-2024.kh")).unwrap(),
        original
    );
    let h = w
        .call("GET", "/api/history?path=liucheng-2024.kh", b"")
        .json();
    assert_eq!(h["versions"].as_array().unwrap().len(), 2);
    // A version id cannot name a path.
    let a = w.call(
        "GET",
        "/api/history/text?path=liucheng-2024.kh&id=..%2F..%2Fmixed.json",
        b"",
    );
    assert_eq!((a.status, a.code().as_str()), (404, "K0931"));
    // A new file is created, in a folder of the workspace.
    let a = w.json_call(
        "PUT",
        "/api/file?path=new.kh",
        &json!({"text": "x", "base": null}),
    );
    assert_eq!(a.status, 200);
}

#[test]
fn check_answers_what_the_cli_prints() {
    let w = start("check", &[]);
    let broken = spec_text().replacen("数据 pm25:", "数据 pm26:", 1);
    std::fs::write(w.dir.join("broken.kh"), &broken).unwrap();
    let cli = kaohe_in(&w.dir, &["check", "--format", "json", "broken.kh"]);
    let cli: Vec<Value> = String::from_utf8_lossy(&cli.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!cli.is_empty());
    let a = w.json_call(
        "POST",
        "/api/check",
        &json!({"text": broken, "path": "broken.kh"}),
    );
    assert_eq!(a.status, 200);
    let got = a.json();
    assert_eq!(got["ok"], false);
    assert_eq!(got["diagnostics"].as_array().unwrap(), &cli);
    // The service's problems, with UTF-16 positions an editor marks.
    let p = &got["problems"][0];
    assert!(p["range"]["start"]["line"].is_u64(), "{p}");
    let a = w.json_call("POST", "/api/check", &json!({"text": spec_text()}));
    assert_eq!(a.json()["ok"], true);
    assert_eq!(a.json()["diagnostics"], json!([]));
}

#[test]
fn the_language_service_answers_at_a_position() {
    let w = start("lang", &[]);
    let text = spec_text();
    // Hover on the first item's id.
    let (line, col) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.find("事项 ")
                .map(|c| (i, l[..c].encode_utf16().count() + 3))
        })
        .unwrap();
    let a = w.json_call(
        "POST",
        "/api/hover",
        &json!({"text": text, "line": line, "character": col}),
    );
    assert_eq!(a.status, 200);
    assert!(a.json()["hover"]["markdown"].is_string(), "{}", a.json());
    let a = w.json_call(
        "POST",
        "/api/complete",
        &json!({"text": text, "line": line, "character": 0}),
    );
    assert!(a.json()["items"].as_array().is_some_and(|i| !i.is_empty()));
    let a = w.json_call("POST", "/api/format", &json!({"text": text}));
    assert_eq!(a.status, 200);
    let cli = kaohe_in(&w.dir, &["fmt", "--check", "liucheng-2024.kh"]);
    if cli.status.success() {
        assert_eq!(a.json()["text"], text.as_str());
    }
    let a = w.json_call(
        "POST",
        "/api/fixes",
        &json!({"text": text, "line": 0, "character": 0}),
    );
    assert!(a.json()["fixes"].is_array());
    // A position missing, malformed JSON, a wrong field: 400 with K0936.
    let a = w.json_call("POST", "/api/hover", &json!({"text": text}));
    assert_eq!((a.status, a.code().as_str()), (400, "K0936"));
    let a = w.raw(
        "POST",
        "/api/check",
        &[
            ("X-Kaohe".to_string(), "1".to_string()),
            ("Content-Type".to_string(), "application/json".to_string()),
        ],
        b"{not json",
    );
    assert_eq!((a.status, a.code().as_str()), (400, "K0936"));
    let a = w.json_call("POST", "/api/check", &json!({"txt": 1}));
    assert_eq!(a.status, 400);
    let a = w.json_call("POST", "/api/format", &json!({"text": "事项 {"}));
    assert_eq!((a.status, a.code().as_str()), (422, "K0939"));
}

#[test]
fn render_and_template_are_the_clis() {
    let w = start("render", &[]);
    let cli = kaohe_in(&w.dir, &["render", "liucheng-2024.kh", "--format", "html"]);
    assert!(cli.status.success());
    let a = w.json_call("POST", "/api/render", &json!({"text": spec_text()}));
    assert_eq!(a.status, 200);
    assert_eq!(a.body, cli.stdout);
    let cli = kaohe_in(
        &w.dir,
        &[
            "render",
            "liucheng-2024.kh",
            "--format",
            "html",
            "--by-unit",
        ],
    );
    let a = w.json_call(
        "POST",
        "/api/render",
        &json!({"text": spec_text(), "by_unit": true}),
    );
    assert_eq!(a.body, cli.stdout);
    // A spec with errors: 422 with its diagnostics.
    let a = w.json_call("POST", "/api/render", &json!({"text": "事项 {"}));
    assert_eq!((a.status, a.code().as_str()), (422, "K0939"));
    assert!(!a.json()["diagnostics"].as_array().unwrap().is_empty());

    let cli = kaohe_in(&w.dir, &["template", "liucheng-2024.kh"]);
    let a = w.json_call(
        "POST",
        "/api/template?format=json",
        &json!({"text": spec_text()}),
    );
    assert_eq!(a.body, cli.stdout);
    let out = w.dir.join("t.xlsx");
    let cli = kaohe_in(
        &w.dir,
        &[
            "template",
            "liucheng-2024.kh",
            "--format",
            "xlsx",
            "-o",
            "t.xlsx",
        ],
    );
    assert!(cli.status.success());
    let a = w.json_call(
        "POST",
        "/api/template?format=xlsx",
        &json!({"text": spec_text()}),
    );
    assert_eq!(a.status, 200);
    // Byte for byte: kaohe's workbooks carry a fixed creation time.
    assert!(
        a.body == std::fs::read(&out).unwrap(),
        "the template differs from the CLI's"
    );
    // The 2024 table has list inputs: its CSV template is several files.
    let a = w.json_call(
        "POST",
        "/api/template?format=csv",
        &json!({"text": spec_text()}),
    );
    assert_eq!((a.status, a.code().as_str()), (422, "K0940"));
    let a = w.json_call(
        "POST",
        "/api/template?format=pdf",
        &json!({"text": spec_text()}),
    );
    assert_eq!(a.status, 400);
}

#[test]
fn scores_and_report_files_are_the_clis_byte_for_byte() {
    let w = start("eval", &[]);
    let data = std::fs::read(w.dir.join("mixed.xlsx")).unwrap();
    let cli = kaohe_in(
        &w.dir,
        &["eval", "liucheng-2024.kh", "mixed.xlsx", "--format", "json"],
    );
    let a = w.call(
        "POST",
        "/api/eval?spec=liucheng-2024.kh&name=mixed.xlsx",
        &data,
    );
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let got = a.json();
    assert_eq!(got["ok"], cli.status.success());
    // The answer is what the ranking shows; each unit comes on its own,
    // as `kaohe eval --rank --format json` writes it.
    let ranked = kaohe_in(
        &w.dir,
        &[
            "eval",
            "liucheng-2024.kh",
            "mixed.xlsx",
            "--format",
            "json",
            "--rank",
        ],
    );
    let expected: Value = serde_json::from_slice(&ranked.stdout).unwrap();
    let expected = expected["entities"].as_array().unwrap();
    let ranking = got["ranking"].as_array().unwrap();
    assert_eq!(got["entities"], expected.len());
    assert_eq!(ranking.len(), expected.len());
    let result = got["result"].as_str().unwrap().to_string();
    for (i, (row, e)) in ranking.iter().zip(expected).enumerate() {
        assert_eq!(row["index"], i);
        for key in ["id", "total", "rank", "vetoed", "result"] {
            assert_eq!(row[key], e[key], "{key} of {}", e["id"]);
        }
        let named: Vec<Value> = (e["results"].as_array().into_iter().flatten())
            .map(|r| json!({"name": r["name"], "value": r["value"]}))
            .collect();
        assert_eq!(row["results"], json!(named), "{}", e["id"]);
        assert!(row.get("items").is_none(), "the ranking carries no items");
        let a = w.call("GET", &format!("/api/unit?result={result}&index={i}"), b"");
        assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
        assert_eq!(&a.json()["entity"], e, "unit {i}");
    }
    let liucheng = ranking
        .iter()
        .find(|e| e["id"] == "柳城县")
        .expect("柳城县 scored");
    assert_eq!(liucheng["total"].as_str(), Some("156.50"));
    // A result not kept (or never made), and a unit it does not have.
    let a = w.call("GET", "/api/unit?result=0000&index=0", b"");
    assert_eq!((a.status, a.code().as_str()), (410, "K0942"));
    let a = w.call(
        "GET",
        &format!("/api/unit?result={result}&index=99999"),
        b"",
    );
    assert_eq!((a.status, a.code().as_str()), (400, "K0936"));
    let a = w.call("POST", "/api/report?result=0000&format=xlsx", b"");
    assert_eq!((a.status, a.code().as_str()), (410, "K0942"));
    for (format, file) in [
        ("xlsx", "r.xlsx"),
        ("html", "r.html"),
        ("csv", "r.csv"),
        ("json", "r.json"),
    ] {
        let cli = kaohe_in(
            &w.dir,
            &[
                "eval",
                "liucheng-2024.kh",
                "mixed.xlsx",
                "--format",
                format,
                "-o",
                file,
            ],
        );
        assert!(
            cli.status.success(),
            "{}",
            String::from_utf8_lossy(&cli.stderr)
        );
        let a = w.call(
            "POST",
            &format!("/api/report?spec=liucheng-2024.kh&name=mixed.xlsx&format={format}"),
            &data,
        );
        assert_eq!(a.status, 200, "{format}");
        assert!(
            a.header("content-disposition")
                .unwrap()
                .starts_with("attachment")
        );
        assert!(
            a.body == std::fs::read(w.dir.join(file)).unwrap(),
            "{format} differs from the CLI's"
        );
        // The same file from the upload kept by /api/eval, without
        // sending the data again.
        let kept = w.call(
            "POST",
            &format!("/api/report?result={result}&format={format}"),
            b"",
        );
        assert_eq!(kept.status, 200, "{format}");
        assert!(
            kept.body == a.body,
            "{format} from the kept upload differs from the CLI's"
        );
    }
}

#[test]
fn bad_data_is_told_by_row_and_column_and_never_reported_as_a_file() {
    let w = start("bad", &[]);
    let mut data: Value =
        serde_json::from_slice(&std::fs::read(w.dir.join("mixed.json")).unwrap()).unwrap();
    // Break one datum of the first entity.
    let first = if data.is_array() {
        &mut data[0]
    } else {
        &mut data
    };
    let key = first
        .as_object()
        .unwrap()
        .keys()
        .find(|k| *k != "id")
        .unwrap()
        .clone();
    first[&key] = json!("不是数字也不是是否");
    let bytes = serde_json::to_vec(&data).unwrap();
    let a = w.call(
        "POST",
        "/api/eval?spec=liucheng-2024.kh&name=bad.json",
        &bytes,
    );
    assert_eq!(a.status, 200);
    let got = a.json();
    assert_eq!(got["ok"], false);
    let d = &got["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert!(
        !got.to_string().contains("kaohe-serve-"),
        "the upload's folder shows: {got}"
    );
    let a = w.call(
        "POST",
        "/api/report?spec=liucheng-2024.kh&name=bad.json&format=xlsx",
        &bytes,
    );
    assert_eq!((a.status, a.code().as_str()), (422, "K0939"));
    // A file kaohe cannot read by its name, and a name with a folder.
    let a = w.call(
        "POST",
        "/api/eval?spec=liucheng-2024.kh&name=data.pdf",
        b"%PDF",
    );
    assert_eq!(a.json()["diagnostics"][0]["code"], "K0910");
    let a = w.call(
        "POST",
        "/api/eval?spec=liucheng-2024.kh&name=..%2Fx.json",
        b"[]",
    );
    assert_eq!((a.status, a.code().as_str()), (400, "K0936"));
    let a = w.call("POST", "/api/eval?spec=..%2Fx.kh&name=x.json", b"[]");
    assert_eq!((a.status, a.code().as_str()), (403, "K0930"));
    // Over the upload limit: 413, K0933.
    let big = vec![b' '; 33 * 1024 * 1024];
    let a = w.call(
        "POST",
        "/api/eval?spec=liucheng-2024.kh&name=big.json",
        &big,
    );
    assert_eq!((a.status, a.code().as_str()), (413, "K0933"));
    // An unknown call.
    let a = w.call("GET", "/api/nothing", b"");
    assert_eq!((a.status, a.code().as_str()), (404, "K0931"));
}

#[test]
fn a_port_in_use_is_a_coded_error_not_a_crash() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = kaohe_in(&root(), &["serve", ".", "--port", &port]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("K0938") && err.contains("--port"), "{err}");
    let out = kaohe_in(&root(), &["serve", "no-such-folder"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("K0901"));
}

/// chromedriver, if installed.
fn chromedriver() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("chromedriver"))
        .chain([PathBuf::from("/usr/bin/chromedriver")])
        .find(|p| p.is_file())
}

/// The workbench in a real headless Chromium: open it, type a mistake and
/// see its diagnostic, fix it and see it go, upload the 2024 data and see
/// 柳城县's 156.50 with its explanation lines. Screenshots are written to
/// target/serve-screenshots/ to be looked at. Skips (loudly) only where
/// chromedriver is absent and neither CI nor KAOHE_BROWSER_TESTS is set.
#[test]
fn the_page_in_a_real_browser() {
    let Some(driver) = chromedriver() else {
        let required =
            std::env::var_os("CI").is_some() || std::env::var_os("KAOHE_BROWSER_TESTS").is_some();
        assert!(
            !required,
            "chromedriver is not installed, and CI or KAOHE_BROWSER_TESTS asks for the browser test \
             (apt-get install chromium chromium-driver fonts-noto-cjk)"
        );
        eprintln!(
            "\n\n*** SKIPPED the_page_in_a_real_browser: chromedriver is not installed \
             (apt-get install chromium chromium-driver fonts-noto-cjk) ***\n\n"
        );
        return;
    };
    let w = start("browser", &[]);
    // An old table saved by Notepad as "ANSI" (GBK) beside the spec; its
    // name sorts after the spec's, which the page opens first.
    let (gbk, _, _) = encoding_rs::GBK.encode("// 某县考核表\ntable \"测试\" {}\n");
    std::fs::write(w.dir.join("旧表（记事本）.kh"), &gbk).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cd = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let shots = root().join("target/serve-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let url = format!("http://{}/", w.addr);
    let data = w.dir.join("mixed.xlsx");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let result = rt.block_on(async move { drive(port, &url, &data, &shots).await });
    let _ = cd.kill();
    let _ = cd.wait();
    result.unwrap();
}

async fn drive(port: u16, url: &str, data: &Path, shots: &Path) -> Result<(), String> {
    use fantoccini::{ClientBuilder, Locator};
    use std::time::{Duration, Instant};
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({"args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                        "--disable-dev-shm-usage", "--window-size=1600,1000", "--lang=zh-CN"]}),
    );
    let started = Instant::now();
    let c = loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => break c,
            Err(e) if started.elapsed() > Duration::from_secs(20) => return Err(e.to_string()),
            Err(_) => std::thread::sleep(Duration::from_millis(200)),
        }
    };
    let e = |e: fantoccini::error::CmdError| e.to_string();
    // Wait until `js` (an expression) is true, or fail saying what was awaited.
    async fn until(c: &fantoccini::Client, js: &str, what: &str) -> Result<(), String> {
        let started = std::time::Instant::now();
        loop {
            let v = c
                .execute(&format!("return !!({js});"), vec![])
                .await
                .map_err(|e| e.to_string())?;
            if v == serde_json::Value::Bool(true) {
                return Ok(());
            }
            if started.elapsed() > std::time::Duration::from_secs(20) {
                return Err(format!("waited 20 s for {what}"));
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
    // Run a script in the page; its value.
    async fn js(c: &fantoccini::Client, code: &str) -> Result<serde_json::Value, String> {
        c.execute(code, vec![]).await.map_err(|e| e.to_string())
    }
    // Put the editor's cursor at `at` (a JavaScript expression of `doc`,
    // the editor's text) and type `keys` there, as a user types.
    async fn type_at(c: &fantoccini::Client, at: &str, keys: &str) -> Result<(), String> {
        js(
            c,
            &format!(
                "const v = KaoheEditor.view(); const doc = v.state.doc.toString(); \
                 v.focus(); v.dispatch({{selection: {{anchor: {at}}}}});"
            ),
        )
        .await?;
        let active = c.active_element().await.map_err(|e| e.to_string())?;
        active.send_keys(keys).await.map_err(|e| e.to_string())
    }
    // Two tabs on one file: a save in one reaches the other; edits in both
    // are merged, never lost. `a` is the tab open on the spec.
    async fn two_tabs(c: &fantoccini::Client, dir: &Path, shots: &Path) -> Result<(), String> {
        let e = |e: fantoccini::error::CmdError| e.to_string();
        let save = "\u{e009}s\u{e000}";
        let a = c.window().await.map_err(e)?;
        type_at(c, "0", save).await?;
        until(c, "!state.dirty", "tab A saved").await?;
        let url = c.current_url().await.map_err(e)?;
        let b = c.new_window(true).await.map_err(e)?.handle;
        c.switch_to_window(b.clone()).await.map_err(e)?;
        c.goto(url.as_str()).await.map_err(e)?;
        until(
            c,
            "typeof KaoheEditor !== 'undefined' && KaoheEditor.text().length > 1000",
            "tab B to open the spec",
        )
        .await?;
        // B saves; A, without edits, takes B's text.
        type_at(c, "doc.length", &format!("\n// 乙的修改{save}")).await?;
        until(
            c,
            "!state.dirty && KaoheEditor.text().includes('乙的修改')",
            "tab B saved",
        )
        .await?;
        c.switch_to_window(a.clone()).await.map_err(e)?;
        until(
            c,
            "KaoheEditor.text().includes('乙的修改') && !state.dirty",
            "tab A to take B's save",
        )
        .await?;
        // A edits; B edits and saves: A shows the conflict, and merges.
        type_at(c, "0", "// 甲的修改\n").await?;
        c.switch_to_window(b.clone()).await.map_err(e)?;
        type_at(c, "doc.length", &format!("\n// 乙的第二次修改{save}")).await?;
        until(c, "!state.dirty", "tab B's second save").await?;
        c.switch_to_window(a.clone()).await.map_err(e)?;
        until(c, "!document.getElementById('conflict').hidden && document.getElementById('conflict-disk').textContent.includes('乙的第二次修改')", "the conflict panel in tab A").await?;
        std::fs::write(
            shots.join("7-two-tabs.png"),
            c.screenshot().await.map_err(e)?,
        )
        .unwrap();
        c.find(fantoccini::Locator::Css("#merge"))
            .await
            .map_err(e)?
            .click()
            .await
            .map_err(e)?;
        until(c, "KaoheEditor.text().startsWith('// 甲的修改\\n') && KaoheEditor.text().includes('乙的第二次修改')", "both edits merged").await?;
        type_at(c, "0", save).await?;
        until(c, "!state.dirty", "tab A's merged save").await?;
        let disk = std::fs::read_to_string(dir.join("liucheng-2024.kh")).unwrap();
        if !(disk.starts_with("// 甲的修改\n")
            && disk.contains("乙的修改")
            && disk.contains("乙的第二次修改"))
        {
            return Err("the merged text was not saved whole".into());
        }
        // B, without edits, takes A's merged save.
        c.switch_to_window(b).await.map_err(e)?;
        until(
            c,
            "KaoheEditor.text().startsWith('// 甲的修改') && !state.dirty",
            "tab B to take A's save",
        )
        .await?;
        c.close_window().await.map_err(e)?;
        c.switch_to_window(a).await.map_err(e)?;
        Ok(())
    }
    let outcome = async {
        c.goto(url).await.map_err(e)?;
        until(&c, "typeof KaoheEditor !== 'undefined' && KaoheEditor.text().length > 1000", "the spec to open").await?;
        until(&c, "document.querySelector('#diagnostics li') && !document.querySelector('#diagnostics li.sev-error')", "the check of the spec").await?;
        until(&c, "document.getElementById('rendered').srcdoc.includes('评分标准')", "the official table").await?;
        // The editor takes the pane's height; the problems list ends at the
        // pane's foot, in sight, leaving no empty band below it.
        until(&c, "(() => { const at = (id) => document.getElementById(id).getBoundingClientRect(); \
                   const p = at('editor-pane'), d = at('diagnostics'); \
                   return d.bottom <= p.bottom + 1 && p.bottom - d.bottom < 24 && at('text').height > 300; })()", "the editor to fill its pane").await?;
        // Keywords (from GET /api/keywords), strings and numbers highlighted.
        let styled = "(w, pick) => [...document.querySelectorAll('.cm-line span')].some((s) => s.textContent === w && pick(getComputedStyle(s)))";
        until(&c, &format!("({styled})('考核表', (st) => Number(st.fontWeight) >= 700)"), "考核表 highlighted as a keyword").await?;
        until(&c, &format!("({styled})('数值', (st) => st.color === 'rgb(123, 31, 162)')"), "数值 highlighted as a type").await?;
        until(&c, &format!("({styled})('2024', (st) => st.color === 'rgb(179, 89, 0)')"), "2024 highlighted as a number").await?;
        std::fs::write(shots.join("1-editor.png"), c.screenshot().await.map_err(e)?).unwrap();
        // The GBK file is refused in the status line with what was found
        // (the note naming GBK) and what to do; the spec stays open.
        c.find(Locator::Css("#files li[data-path='旧表（记事本）.kh']")).await.map_err(e)?.click().await.map_err(e)?;
        until(&c, "(() => { const s = document.getElementById('status').textContent; \
                   return s.startsWith('K0902 ') && s.includes('第 1 行') && s.includes('GBK') && s.includes('UTF-8'); })() \
                   && state.path === 'liucheng-2024.kh' && KaoheEditor.text().length > 1000", "K0902 with its note in the status line").await?;
        // The long status line takes lines of the header; the title stays on
        // one line and the panes fit the window below it, without a page scroll.
        until(&c, "document.querySelector('header').offsetHeight > 40 && document.querySelector('header h1').offsetHeight < 30 \
                   && document.documentElement.scrollHeight <= window.innerHeight \
                   && document.querySelector('main').getBoundingClientRect().bottom <= window.innerHeight + 1", "the header to grow and the panes to fit below it").await?;
        std::fs::write(shots.join("1-not-utf8.png"), c.screenshot().await.map_err(e)?).unwrap();
        // The official table at the whole page's width, and back.
        c.find(Locator::Css("#wide-btn")).await.map_err(e)?.click().await.map_err(e)?;
        until(&c, "document.body.classList.contains('wide') && document.getElementById('editor-pane').offsetWidth === 0", "the full-width table").await?;
        std::fs::write(shots.join("1-table-wide.png"), c.screenshot().await.map_err(e)?).unwrap();
        c.find(Locator::Css("#wide-btn")).await.map_err(e)?.click().await.map_err(e)?;
        until(&c, "document.getElementById('editor-pane').offsetWidth > 0", "the split view").await?;
        // Type a mistake at the end (Chinese, as an input method sends it).
        type_at(&c, "doc.length", "\n事项 {").await?;
        until(&c, "KaoheEditor.text().endsWith('\\n事项 {}') || KaoheEditor.text().endsWith('\\n事项 {')", "the Chinese typed to be in the text").await?;
        until(&c, "[...document.querySelectorAll('#diagnostics li.sev-error .code')].some((e) => e.textContent === 'K0101')", "K0101 in the list").await?;
        until(&c, "document.querySelector('.cm-lint-marker-error') && document.querySelector('.cm-lintRange-error')", "the mark in the gutter and the text").await?;
        std::fs::write(shots.join("2-mistake.png"), c.screenshot().await.map_err(e)?).unwrap();
        // A click on the problem selects its place.
        c.find(Locator::Css("#diagnostics li.sev-error")).await.map_err(e)?.click().await.map_err(e)?;
        until(&c, "KaoheEditor.view().state.selection.main.from > KaoheEditor.text().length - 10", "the click to select the place").await?;
        // Fix it: the diagnostic and its marks go.
        js(&c, "const v = KaoheEditor.view(); const d = v.state.doc.toString(); v.dispatch({changes: {from: d.lastIndexOf('\\n事项'), to: d.length}});").await?;
        until(&c, "!document.querySelector('#diagnostics li.sev-error') && !document.querySelector('.cm-lint-marker-error')", "the diagnostic to go").await?;
        // Hover on an input's name shows its description.
        js(&c, "const v = KaoheEditor.view(); const at = v.state.doc.toString().indexOf('数据 pm25') + 4; \
                v.dispatch({selection: {anchor: at}, scrollIntoView: true});").await?;
        let point = "const v = KaoheEditor.view(); const at = v.state.doc.toString().indexOf('数据 pm25') + 4; const r = v.coordsAtPos(at);";
        until(&c, &format!("(() => {{ {point} return !!r; }})()"), "pm25 on screen").await?;
        std::thread::sleep(Duration::from_millis(300));
        // One move, then rest: the tooltip comes when the mouse stays.
        js(&c, &format!("{point} v.contentDOM.dispatchEvent(new MouseEvent('mousemove', \
                         {{clientX: r.left + 3, clientY: (r.top + r.bottom) / 2, bubbles: true}}));")).await?;
        until(&c, "[...document.querySelectorAll('.kaohe-hover')].some((h) => h.textContent.includes('本年度PM2.5年均值'))", "the hover of pm25 with its description").await?;
        // Formatted: the name in bold, no markdown signs left; and a spec's
        // text never becomes markup.
        until(&c, "[...document.querySelectorAll('.kaohe-hover')].some((h) => h.querySelector('strong') && h.querySelector('strong').textContent.includes('pm25') && !h.textContent.includes('**'))", "the hover formatted").await?;
        let safe = js(&c, "const n = KaoheEditor.markdownNodes('**数据项 x**: 数值\\n\\n<img src=x onerror=window.owned=1> `a<b>`');                            document.body.append(n); const ok = !n.querySelector('img') && !n.querySelector('b') && n.textContent.includes('<img src=x') && n.querySelector('code').textContent === 'a<b>';                            n.remove(); return ok && !window.owned;").await?;
        if safe != json!(true) {
            return Err("the hover's markdown let markup from a spec through".into());
        }
        std::fs::write(shots.join("4-hover.png"), c.screenshot().await.map_err(e)?).unwrap();
        // Completion offers the keywords of the file's set.
        type_at(&c, "doc.length", "\n数").await?;
        until(&c, "[...document.querySelectorAll('.cm-tooltip-autocomplete .cm-completionLabel')].some((e) => e.textContent === '数据')", "数据 offered").await?;
        std::fs::write(shots.join("5-completion.png"), c.screenshot().await.map_err(e)?).unwrap();
        c.active_element().await.map_err(e)?.send_keys("\u{e00c}\u{e003}\u{e003}").await.map_err(e)?;
        until(&c, "!KaoheEditor.text().endsWith('数')", "the word to go").await?;
        // A misspelt keyword; its quick fix (Ctrl+.) repairs it.
        type_at(&c, "doc.indexOf('年度 2024') + 1", "\u{e003}渡").await?;
        until(&c, "[...document.querySelectorAll('#diagnostics li.sev-error .code')].some((e) => e.textContent === 'K0113')", "K0113 for 年渡").await?;
        c.active_element().await.map_err(e)?.send_keys("\u{e009}.\u{e000}").await.map_err(e)?;
        until(&c, "document.querySelector('#fix-menu button') && !document.getElementById('fix-menu').hidden", "the quick fix menu").await?;
        std::fs::write(shots.join("6-quick-fix.png"), c.screenshot().await.map_err(e)?).unwrap();
        // The editor alone, for docs/serve-editor.png.
        let pane = c.find(Locator::Css("#editor-pane")).await.map_err(e)?;
        std::fs::write(shots.join("editor-pane.png"), pane.screenshot().await.map_err(e)?).unwrap();
        c.find(Locator::Css("#fix-menu button")).await.map_err(e)?.click().await.map_err(e)?;
        until(&c, "KaoheEditor.text().includes('年度 2024') && !document.querySelector('#diagnostics li.sev-error')", "the fix applied").await?;
        // Shift+Alt+F formats (as kaohe fmt).
        type_at(&c, "doc.indexOf('年度 2024') + 2", "   ").await?;
        until(&c, "KaoheEditor.text().includes('年度    2024')", "the spaces typed").await?;
        c.active_element().await.map_err(e)?.send_keys("\u{e008}\u{e00a}F\u{e000}").await.map_err(e)?;
        until(&c, "KaoheEditor.text().includes('\\n  年度 2024\\n')", "the text formatted").await?;
        // F2 renames a name everywhere: the page's dialog asks the new name;
        // Escape leaves the text as it was.
        let uses = js(&c, "return (KaoheEditor.text().match(/\\bpm25\\b/g) || []).length;").await?;
        let before = js(&c, "return KaoheEditor.text();").await?;
        type_at(&c, "doc.indexOf('数据 pm25') + 4", "\u{e032}").await?;
        until(&c, "document.getElementById('rename-dialog').open && document.getElementById('rename-input').value === 'pm25'", "the rename dialog").await?;
        std::fs::write(shots.join("6-rename.png"), c.screenshot().await.map_err(e)?).unwrap();
        c.active_element().await.map_err(e)?.send_keys("\u{e00c}").await.map_err(e)?;
        until(&c, "!document.getElementById('rename-dialog').open", "Escape to close the dialog").await?;
        if js(&c, "return KaoheEditor.text();").await? != before {
            return Err("Escape in the rename dialog changed the text".into());
        }
        type_at(&c, "doc.indexOf('数据 pm25') + 4", "\u{e032}").await?;
        until(&c, "document.getElementById('rename-dialog').open && document.activeElement === document.getElementById('rename-input')", "the rename dialog again").await?;
        c.active_element().await.map_err(e)?.send_keys("pm25_avg\u{e007}").await.map_err(e)?;
        until(&c, &format!("{uses} > 3 && (KaoheEditor.text().match(/\\bpm25_avg\\b/g) || []).length === {uses} && !/\\bpm25\\b/.test(KaoheEditor.text()) && !document.querySelector('#diagnostics li.sev-error')"), "pm25 renamed everywhere").await?;
        // Back to the text before the rename: the data names pm25, and the
        // text in the editor (saved or not) is what is scored.
        js(&c, &format!("const v = KaoheEditor.view(); v.dispatch({{changes: {{from: 0, to: v.state.doc.length, insert: {before}}}}}); return 1;")).await?;
        until(&c, "/\\bpm25\\b/.test(KaoheEditor.text()) && !document.querySelector('#diagnostics li.sev-error')", "the rename undone").await?;
        // Score the 2024 data.
        c.find(Locator::Css("[data-tab=score]")).await.map_err(e)?.click().await.map_err(e)?;
        let input = c.find(Locator::Css("#upload")).await.map_err(e)?;
        input.send_keys(&data.display().to_string()).await.map_err(e)?;
        until(&c, "document.getElementById('entity-name').textContent.includes('156.50')", "柳城县's score").await?;
        let name = c.find(Locator::Css("#entity-name")).await.map_err(e)?.text().await.map_err(e)?;
        if !name.contains("柳城县") {
            return Err(format!("the unit shown: {name}"));
        }
        let lines = c.find(Locator::Css("#entity-items")).await.map_err(e)?.text().await.map_err(e)?;
        if !lines.contains("每年研究工作两次") {
            return Err("the explanation lines are not shown".into());
        }
        std::fs::write(shots.join("3-scores.png"), c.screenshot().await.map_err(e)?).unwrap();
        // A CSV dataset of several files chosen at once: the units' file
        // and its list files, read as kaohe eval reads DATA/<list>.csv.
        let examples = root().join("examples/liucheng-2024");
        let mut several = vec![examples.join("mixed.csv").display().to_string()];
        for f in std::fs::read_dir(examples.join("mixed")).unwrap() {
            several.push(f.unwrap().path().display().to_string());
        }
        // The chooser's earlier file (mixed.xlsx) is cleared first: a
        // driver adds files to a chooser that takes several.
        js(&c, "document.getElementById('upload').value = ''; return 1;").await?;
        let input = c.find(Locator::Css("#upload")).await.map_err(e)?;
        input.send_keys(&several.join("\n")).await.map_err(e)?;
        until(&c, "document.getElementById('status').textContent.includes('talks.csv') && state.eval && state.eval.ranking.length === 1 \
                   && document.getElementById('entity-name').textContent.includes('柳城县') && document.getElementById('entity-name').textContent.includes('156.50') \
                   && document.getElementById('entity-items').textContent.includes('每年研究工作两次')", "柳城县 scored from the CSV files").await?;
        std::fs::write(shots.join("3-several-files.png"), c.screenshot().await.map_err(e)?).unwrap();
        // A workbook with one value merged across three inputs' cells is
        // not scored: K0526 names the range and says how to unmerge it.
        js(&c, "document.getElementById('upload').value = ''; return 1;").await?;
        let merged = root().join("tests/serve/合并单元格.xlsx");
        c.find(Locator::Css("#upload")).await.map_err(e)?.send_keys(&merged.display().to_string()).await.map_err(e)?;
        until(&c, "[...document.querySelectorAll('#data-problems li')].some((li) => li.textContent.includes('K0526') \
                   && li.textContent.includes('D3:F3') && li.textContent.includes('取消单元格合并')) \
                   && document.getElementById('downloads').hidden", "K0526 listed under the workbook").await?;
        std::fs::write(shots.join("3-merged-across.png"), c.screenshot().await.map_err(e)?).unwrap();
        js(&c, "document.getElementById('upload').value = ''; return 1;").await?;
        c.find(Locator::Css("#upload")).await.map_err(e)?.send_keys(&several.join("\n")).await.map_err(e)?;
        until(&c, "document.getElementById('status').textContent.includes('talks.csv') && state.eval && state.eval.ok \
                   && document.getElementById('entity-name').textContent.includes('156.50')", "柳城县 scored from the CSV files again").await?;
        // The text being edited is what is scored. An edit after scoring
        // marks the scores as of the text before; 重新计分 scores the same
        // files by the text now, shown as an unsaved draft with its version.
        until(&c, "!document.getElementById('scored-spec').hidden && document.getElementById('scored-stale').hidden", "the version scored shown").await?;
        let replace = |from: &str, to: &str| format!("const v = KaoheEditor.view(); const at = v.state.doc.toString().indexOf({from:?}); \
            if (at < 0) return 0; v.dispatch({{changes: {{from: at, to: at + {n}, insert: {to:?}}}}}); return 1;", n = from.chars().count());
        if js(&c, &replace("扣 0.5 每", "扣 1 每")).await? != json!(1) {
            return Err("no 扣 0.5 每 in the text".into());
        }
        until(&c, "!document.getElementById('scored-stale').hidden", "the scores marked as of the text before").await?;
        c.find(Locator::Css("#rescore")).await.map_err(e)?.click().await.map_err(e)?;
        until(&c, "state.eval && !state.eval.spec.saved && document.getElementById('scored-spec').classList.contains('draft') \
                   && document.getElementById('scored-spec').textContent.includes('未保存的草稿') && document.getElementById('scored-stale').hidden \
                   && document.getElementById('entity-name').textContent.includes('柳城县')", "the draft scored").await?;
        std::fs::write(shots.join("8-draft-scored.png"), c.screenshot().await.map_err(e)?).unwrap();
        // A mistake in the text: nothing is scored; its errors are listed
        // under the data, to be fixed first.
        js(&c, &replace("年度 2024", "年渡 2024")).await?;
        until(&c, "!document.getElementById('scored-stale').hidden", "the mistake typed").await?;
        c.find(Locator::Css("#rescore")).await.map_err(e)?.click().await.map_err(e)?;
        until(&c, "document.querySelector('#data-problems li.fix-first') && [...document.querySelectorAll('#data-problems .code')].some((e) => e.textContent === 'K0113')", "the draft's errors listed").await?;
        until(&c, "[...document.querySelectorAll('#diagnostics li.sev-error .code')].some((e) => e.textContent === 'K0113')", "K0113 in the editor's list too").await?;
        // A click on the draft's problem selects its place in the text.
        c.find(Locator::Css("#data-problems li.sev-error:not(.fix-first)")).await.map_err(e)?.click().await.map_err(e)?;
        until(&c, "KaoheEditor.view().state.selection.main.from === KaoheEditor.text().indexOf('年渡 2024')", "the click to select 年渡").await?;
        std::fs::write(shots.join("9-draft-errors.png"), c.screenshot().await.map_err(e)?).unwrap();
        js(&c, &replace("年渡 2024", "年度 2024")).await?;
        js(&c, &replace("扣 1 每", "扣 0.5 每")).await?;
        c.find(Locator::Css("#rescore")).await.map_err(e)?.click().await.map_err(e)?;
        until(&c, "!document.querySelector('#data-problems li.fix-first') && document.getElementById('scored-stale').hidden \
                   && document.getElementById('entity-name').textContent.includes('156.50')", "the text before scored again").await?;
        // The roll-up by responsible unit and the charts (results.js).
        c.find(Locator::Css("[data-tab=units]")).await.map_err(e)?.click().await.map_err(e)?;
        until(&c, "document.querySelector('#units-table tbody tr')", "the roll-up by responsible unit").await?;
        std::fs::write(shots.join("4-units.png"), c.screenshot().await.map_err(e)?).unwrap();
        c.find(Locator::Css("[data-tab=charts]")).await.map_err(e)?.click().await.map_err(e)?;
        until(&c, "['totals','sections','units'].every((k) => { const i = document.getElementById('chart-' + k); return i && i.complete && i.naturalWidth > 0; })", "the three charts").await?;
        std::fs::write(shots.join("5-charts.png"), c.screenshot().await.map_err(e)?).unwrap();
        c.find(Locator::Css("[data-tab=score]")).await.map_err(e)?.click().await.map_err(e)?;
        // The English switch.
        c.find(Locator::Css("#lang")).await.map_err(e)?.click().await.map_err(e)?;
        until(&c, "document.querySelector('[data-tab=score]').textContent === 'Scores'", "the English page").await?;
        two_tabs(&c, data.parent().unwrap(), shots).await?;
        // A draft kept while typing survives a reload of the page.
        type_at(&c, "doc.length", "\n// 草稿未保存").await?;
        until(&c, "(localStorage.getItem('kaohe.draft.' + state.path) || '').includes('草稿未保存')", "the draft kept").await?;
        js(&c, "setTimeout(() => location.reload(), 0); return 1;").await?;
        // Leaving a page with unsaved text asks first (beforeunload): yes.
        let started = Instant::now();
        loop {
            let _ = c.accept_alert().await;
            let back = c
                .execute("return typeof KaoheEditor !== 'undefined' && KaoheEditor.text().includes('草稿未保存') && state.dirty;", vec![])
                .await;
            if back.is_ok_and(|v| v == json!(true)) {
                break;
            }
            if started.elapsed() > Duration::from_secs(20) {
                return Err("waited 20 s for the draft after the reload".into());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Ok::<(), String>(())
    }
    .await;
    if outcome.is_err()
        && let Ok(png) = c.screenshot().await
    {
        std::fs::write(shots.join("failed.png"), png).unwrap();
    }
    let _ = c.close().await;
    outcome
}

/// Σ of decimal strings, exactly.
fn sum(values: impl Iterator<Item = String>) -> rust_decimal::Decimal {
    values
        .map(|v| v.parse::<rust_decimal::Decimal>().unwrap())
        .sum()
}

#[test]
fn the_roll_up_and_charts_are_the_reports_numbers() {
    let w = start("results", &[]);
    let data = std::fs::read(w.dir.join("mixed.xlsx")).unwrap();
    let q = "spec=liucheng-2024.kh&name=mixed.xlsx";
    let a = w.call("POST", &format!("/api/results?{q}"), &data);
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let got = a.json();
    // Each unit's sums are the sums of the JSON report's roll-up of each
    // entity (kaohe eval --format json), to the cent.
    let cli = kaohe_in(
        &w.dir,
        &["eval", "liucheng-2024.kh", "mixed.xlsx", "--format", "json"],
    );
    let report: Value = serde_json::from_slice(&cli.stdout).unwrap();
    let entities = report["entities"].as_array().unwrap();
    assert_eq!(got["entities"], entities.len());
    let units = got["units"].as_array().unwrap();
    assert!(units.len() > 5, "{got}");
    for u in units {
        let name = u["unit"].as_str().unwrap();
        let of = |key: &str| {
            sum(entities.iter().flat_map(|e| {
                e["units"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|x| x["unit"] == name)
                    .map(|x| x[key].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            }))
        };
        let lost: rust_decimal::Decimal = u["lost"].as_str().unwrap().parse().unwrap();
        let at_stake: rust_decimal::Decimal = u["at_stake"].as_str().unwrap().parse().unwrap();
        assert_eq!(lost, of("lost"), "{name}");
        assert_eq!(at_stake, of("at_stake"), "{name}");
    }
    // The charts: SVG with a title, the exact figures as labels.
    let charts = &got["charts"];
    for kind in ["totals", "sections", "units"] {
        let svg = charts[kind].as_str().unwrap();
        assert!(
            svg.starts_with("<svg") && svg.contains("<title") && svg.contains("<desc"),
            "{kind}"
        );
        let a = w.call("POST", &format!("/api/chart?{q}&kind={kind}"), &data);
        assert_eq!(a.status, 200, "{kind}");
        assert!(
            a.header("content-type")
                .unwrap()
                .starts_with("image/svg+xml")
        );
        assert_eq!(String::from_utf8(a.body).unwrap(), svg, "{kind}");
    }
    let worst = units
        .iter()
        .max_by_key(|u| {
            u["lost"]
                .as_str()
                .unwrap()
                .parse::<rust_decimal::Decimal>()
                .unwrap()
        })
        .unwrap();
    assert!(
        charts["units"]
            .as_str()
            .unwrap()
            .contains(&format!(">{}</text>", worst["lost"].as_str().unwrap())),
        "{worst}"
    );
    assert!(charts["totals"].as_str().unwrap().contains("总分分布"));
    let en = w.call(
        "POST",
        &format!("/api/chart?{q}&kind=totals&lang=en"),
        &data,
    );
    assert!(String::from_utf8_lossy(&en.body).contains("Distribution of totals"));
    // The same from the upload kept by /api/eval (as the page asks).
    let e = w.call("POST", &format!("/api/eval?{q}"), &data).json();
    let result = e["result"].as_str().unwrap();
    let kept = w.call("POST", &format!("/api/results?result={result}"), b"");
    assert_eq!(kept.status, 200);
    assert_eq!(kept.json(), got);
    let kept = w.call(
        "POST",
        &format!("/api/chart?result={result}&kind=units"),
        b"",
    );
    assert_eq!(String::from_utf8(kept.body).unwrap(), charts["units"]);
    // An unknown chart, and data with errors: coded refusals.
    let a = w.call("POST", &format!("/api/chart?{q}&kind=pie"), &data);
    assert_eq!((a.status, a.code().as_str()), (400, "K0936"));
    let a = w.call(
        "POST",
        "/api/results?spec=liucheng-2024.kh&name=bad.json",
        r#"[{"id": "x", "pm25": "很多"}]"#.as_bytes(),
    );
    assert_eq!((a.status, a.code().as_str()), (422, "K0939"));
    assert!(!a.json()["diagnostics"].as_array().unwrap().is_empty());
    // Kept, the bad upload is refused the same way.
    let e = w.call(
        "POST",
        "/api/eval?spec=liucheng-2024.kh&name=bad.json",
        r#"[{"id": "x", "pm25": "很多"}]"#.as_bytes(),
    );
    let result = e.json()["result"].as_str().unwrap().to_string();
    let a = w.call("POST", &format!("/api/results?result={result}"), b"");
    assert_eq!((a.status, a.code().as_str()), (422, "K0939"));
    assert!(!a.json()["diagnostics"].as_array().unwrap().is_empty());
}

#[test]
fn the_specs_tests_run_as_kaohe_test_runs_them() {
    let w = start("tests", &[]);
    let ask = json!({"path": "liucheng-2024.kh"});
    // No test file yet.
    let a = w.json_call("POST", "/api/tests", &ask);
    assert_eq!((a.status, a.code().as_str()), (404, "K0702"));
    // The repository's test file reads data beside the specs' folder,
    // outside this workspace: refused, not read.
    let text = std::fs::read_to_string(root().join("specs/liucheng-2024.tests.json")).unwrap();
    std::fs::write(w.dir.join("liucheng-2024.tests.json"), &text).unwrap();
    let a = w.json_call("POST", "/api/tests", &ask);
    assert_eq!((a.status, a.code().as_str()), (403, "K0945"));
    // With the data in the workspace: every case as kaohe test runs it.
    std::fs::copy(
        root().join("specs/liucheng-2024.edges.json"),
        w.dir.join("liucheng-2024.edges.json"),
    )
    .unwrap();
    let mut cases: Value =
        serde_json::from_str(&text.replace("../examples/liucheng-2024/", "")).unwrap();
    // One case made to fail: its expected total changed.
    cases["cases"][1]["expect"]["total"] = json!("1.00");
    std::fs::write(
        w.dir.join("liucheng-2024.tests.json"),
        serde_json::to_string_pretty(&cases).unwrap(),
    )
    .unwrap();
    let cli = kaohe_in(&w.dir, &["test", "liucheng-2024.kh"]);
    let printed = String::from_utf8_lossy(&cli.stdout).to_string();
    let a = w.json_call("POST", "/api/tests", &ask);
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let got = a.json();
    let n = cases["cases"].as_array().unwrap().len();
    assert_eq!(got["passed"], n - 1, "{got}");
    assert_eq!(got["failed"], 1);
    assert!(
        printed.contains(&format!("通过 {} 个，失败 1 个", n - 1)),
        "{printed}"
    );
    let failed = &got["cases"][1];
    assert_eq!(failed["ok"], false);
    assert_eq!(failed["expected"]["total"], "1.00");
    assert_eq!(failed["actual"]["total"], "156.50");
    let why = failed["failures"][0].as_str().unwrap();
    assert!(
        why.contains("156.50") && printed.contains(why.lines().next().unwrap()),
        "{why}"
    );
    // Malformed test file: its own code, 422.
    std::fs::write(w.dir.join("liucheng-2024.tests.json"), "{").unwrap();
    let a = w.json_call("POST", "/api/tests", &ask);
    assert_eq!((a.status, a.code().as_str()), (422, "K0703"));
    let a = w.json_call("POST", "/api/tests", &json!({"path": "../x.kh"}));
    assert_eq!((a.status, a.code().as_str()), (403, "K0930"));
}

#[test]
fn two_versions_compared_with_the_data_as_kaohe_diff() {
    let w = start("diff", &[]);
    let path = "/api/file?path=liucheng-2024.kh";
    let first = w.call("GET", path, b"").json();
    let original = first["text"].as_str().unwrap().to_string();
    // A new version: one deduction made heavier.
    let changed = original.replacen("扣 0.5 每", "扣 1 每", 1);
    assert_ne!(changed, original);
    let a = w.json_call(
        "PUT",
        path,
        &json!({"text": changed, "base": first["version"]}),
    );
    assert_eq!(a.status, 200);
    let h = w
        .call("GET", "/api/history?path=liucheng-2024.kh", b"")
        .json();
    let id = h["versions"][0]["id"].as_str().unwrap().to_string();
    std::fs::write(w.dir.join("old.kh"), &original).unwrap();
    let data = std::fs::read(w.dir.join("mixed.json")).unwrap();
    let cli = kaohe_in(
        &w.dir,
        &[
            "diff",
            "old.kh",
            "liucheng-2024.kh",
            "--data",
            "mixed.json",
            "--format",
            "json",
        ],
    );
    let expected: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert!(!expected["changes"].as_array().unwrap().is_empty());
    // The earlier version from the history, and the same as another file.
    for old in [
        format!("old=liucheng-2024.kh&old_id={id}"),
        "old=old.kh".to_string(),
    ] {
        let a = w.call(
            "POST",
            &format!("/api/diff?{old}&new=liucheng-2024.kh&name=mixed.json"),
            &data,
        );
        assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
        let got = a.json();
        assert_eq!(got["diff"], expected, "{old}");
    }
    // Without data: the changes only, as kaohe diff without --data.
    let cli = kaohe_in(
        &w.dir,
        &["diff", "old.kh", "liucheng-2024.kh", "--format", "json"],
    );
    let expected: Value = serde_json::from_slice(&cli.stdout).unwrap();
    let a = w.call("POST", "/api/diff?old=old.kh&new=liucheng-2024.kh", b"");
    assert_eq!(a.json()["diff"], expected);
    // A version that is not there, a path out.
    let a = w.call(
        "POST",
        "/api/diff?old=liucheng-2024.kh&old_id=nope&new=liucheng-2024.kh",
        b"",
    );
    assert_eq!((a.status, a.code().as_str()), (404, "K0931"));
    let a = w.call("POST", "/api/diff?old=..%2Fx.kh&new=liucheng-2024.kh", b"");
    assert_eq!((a.status, a.code().as_str()), (403, "K0930"));
}

/// The editor's highlighting reads the keyword table of the grammar from
/// the server (both sets, with the kind of each word), and the editor's
/// scripts and CodeMirror's licences are served from the binary.
#[test]
fn the_editor_gets_the_keywords_and_its_scripts_from_the_server() {
    let w = start("keywords", &[]);
    let a = w.call("GET", "/api/keywords", b"");
    assert_eq!(a.status, 200);
    let words = a.json()["keywords"].as_array().unwrap().clone();
    let find = |zh: &str| words.iter().find(|k| k["zh"] == zh).cloned().unwrap();
    assert_eq!(find("考核表")["en"], "table");
    assert_eq!(find("考核表")["kind"], "keyword");
    assert_eq!(find("数值")["kind"], "type");
    assert_eq!(find("是")["kind"], "literal");
    assert_eq!(find("考核事项")["label"], true);
    assert_eq!(find("年度")["label"], false);
    // Longest first, as a tokenizer tries them.
    let len = |k: &Value| {
        k["en"]
            .as_str()
            .unwrap()
            .len()
            .max(k["zh"].as_str().unwrap().chars().count())
    };
    assert!(words.windows(2).all(|p| len(&p[0]) >= len(&p[1])));
    for (name, kind, has) in [
        ("codemirror.js", "text/javascript", "EditorView"),
        ("editor.js", "text/javascript", "KaoheEditor"),
        ("codemirror-licenses.txt", "text/plain", "Marijn Haverbeke"),
    ] {
        let a = w.call("GET", &format!("/assets/{name}"), b"");
        assert_eq!(a.status, 200, "{name}");
        assert!(
            a.header("content-type").unwrap().starts_with(kind),
            "{name}"
        );
        assert!(String::from_utf8_lossy(&a.body).contains(has), "{name}");
    }
    // The page loads CodeMirror, then the editor, then the rest.
    let page = String::from_utf8(w.call("GET", "/", b"").body).unwrap();
    let at = |s: &str| page.find(s).unwrap();
    assert!(at("/assets/codemirror.js") < at("/assets/editor.js"));
    assert!(at("/assets/editor.js") < at("/assets/app.js"));
}

/// `s` percent-encoded for a query.
fn query_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An upload of several files: the query's `parts` and the body.
fn parts(files: &[(&str, Vec<u8>)]) -> (String, Vec<u8>) {
    let listed: Vec<Value> = (files.iter())
        .map(|(n, b)| json!({"name": n, "size": b.len()}))
        .collect();
    let body = files.iter().flat_map(|(_, b)| b.clone()).collect();
    (query_escape(&Value::from(listed).to_string()), body)
}

#[test]
fn a_csv_dataset_of_several_files_is_scored_as_kaohe_eval_scores_it() {
    let w = start("several", &[]);
    let examples = root().join("examples/liucheng-2024");
    let mut files: Vec<(String, Vec<u8>)> = vec![(
        "mixed.csv".into(),
        std::fs::read(examples.join("mixed.csv")).unwrap(),
    )];
    let mut lists: Vec<_> = std::fs::read_dir(examples.join("mixed"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    lists.sort();
    // The list files first: the order of the files does not matter.
    for l in lists.iter().rev() {
        let name = l.file_name().unwrap().to_string_lossy().to_string();
        files.insert(0, (name, std::fs::read(l).unwrap()));
    }
    let named: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let (q, body) = parts(&named);
    let a = w.call(
        "POST",
        &format!("/api/eval?spec=liucheng-2024.kh&name=mixed.csv&parts={q}"),
        &body,
    );
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let got = a.json();
    let mixed = examples.join("mixed.csv").display().to_string();
    let cli = kaohe_in(
        &w.dir,
        &[
            "eval",
            "liucheng-2024.kh",
            &mixed,
            "--format",
            "json",
            "--rank",
        ],
    );
    let expected: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(got["ok"], cli.status.success(), "{got}");
    let expected = expected["entities"].as_array().unwrap();
    let ranking = got["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), expected.len());
    for (row, e) in ranking.iter().zip(expected) {
        assert_eq!((&row["id"], &row["total"]), (&e["id"], &e["total"]));
    }
    let result = got["result"].as_str().unwrap();
    let a = w.call("GET", &format!("/api/unit?result={result}&index=0"), b"");
    assert_eq!(&a.json()["entity"], &expected[0]);
    // The report file, as the CLI writes it from the same files.
    let cli = kaohe_in(
        &w.dir,
        &[
            "eval",
            "liucheng-2024.kh",
            &mixed,
            "--format",
            "csv",
            "-o",
            "r.csv",
        ],
    );
    assert!(cli.status.success());
    let a = w.call(
        "POST",
        &format!("/api/report?result={result}&format=csv"),
        b"",
    );
    assert!(a.body == std::fs::read(w.dir.join("r.csv")).unwrap());

    // A list file with a bad cell: told by its own name, row and column.
    let mut broken = named.clone();
    let water = broken
        .iter_mut()
        .find(|(n, _)| *n == "water_readings.csv")
        .unwrap();
    let text = String::from_utf8(water.1.clone()).unwrap();
    water.1 = text.replacen(",4.2,", ",很多,", 1).into_bytes();
    let (q, body) = parts(&broken);
    let a = w.call(
        "POST",
        &format!("/api/eval?spec=liucheng-2024.kh&name=mixed.csv&parts={q}&lang=en"),
        &body,
    );
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let got = a.json();
    assert!(
        !got.to_string().contains("kaohe-serve-"),
        "the upload's folder shows: {got}"
    );
    let problems = got["diagnostics"].as_array().unwrap();
    assert!(
        problems.iter().any(|d| d["severity"] == "error"
            && d["message"]
                .as_str()
                .unwrap()
                .contains("water_readings.csv")
            && d["message"].as_str().unwrap().contains("row")),
        "{got}"
    );

    // List files without the file of the units, or with two: K0943.
    let (q, body) = parts(&named[..3]);
    let a = w.call(
        "POST",
        &format!("/api/eval?spec=liucheng-2024.kh&name=x&parts={q}"),
        &body,
    );
    assert_eq!((a.status, a.code().as_str()), (422, "K0943"));
    let mut two = named.clone();
    two.push(("other.csv", b"id\n".to_vec()));
    let (q, body) = parts(&two);
    let a = w.call(
        "POST",
        &format!("/api/eval?spec=liucheng-2024.kh&name=x&parts={q}"),
        &body,
    );
    assert_eq!((a.status, a.code().as_str()), (422, "K0943"));
    // Sizes that do not add up, a name twice or with a folder: K0936.
    let (q, mut body) = parts(&named);
    body.push(b'x');
    let a = w.call(
        "POST",
        &format!("/api/eval?spec=liucheng-2024.kh&name=x&parts={q}"),
        &body,
    );
    assert_eq!((a.status, a.code().as_str()), (400, "K0936"));
    for bad in [
        vec![("a.csv", b"id\n".to_vec()), ("A.csv", b"id\n".to_vec())],
        vec![("../a.csv", b"id\n".to_vec())],
    ] {
        let (q, body) = parts(&bad);
        let a = w.call(
            "POST",
            &format!("/api/eval?spec=liucheng-2024.kh&name=x&parts={q}"),
            &body,
        );
        assert_eq!((a.status, a.code().as_str()), (400, "K0936"));
    }
}

/// The text being edited, sent to `/api/draft`, is what `/api/eval` and
/// the files made from its result score: byte for byte what `kaohe eval`
/// writes from the same text, whatever is saved on disk before or after.
/// Two files uploaded at once that give one unit (the same file chosen
/// twice): the unit is scored once and ranked once, the second refused
/// with K0510 naming both files by the names they were uploaded with.
#[test]
fn a_unit_in_two_uploaded_files_is_scored_once() {
    let w = start("twice", &[]);
    let mixed = std::fs::read(root().join("examples/liucheng-2024/mixed.json")).unwrap();
    // mixed.json is one county.
    let units = 1;
    let (q, body) = parts(&[("a.json", mixed.clone()), ("b.json", mixed)]);
    let a = w.call(
        "POST",
        &format!("/api/eval?spec=liucheng-2024.kh&name=a.json&parts={q}&lang=en"),
        &body,
    );
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let got = a.json();
    assert_eq!(got["ok"], false, "{got}");
    assert_eq!(got["ranking"].as_array().unwrap().len(), units, "{got}");
    let twice: Vec<&str> = (got["diagnostics"].as_array().unwrap().iter())
        .filter(|d| d["code"] == "K0510")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(twice.len(), units, "{got}");
    assert!(twice[0].starts_with("b.json: the id"), "{}", twice[0]);
    assert!(
        twice[0].contains("was given before, in a.json"),
        "{}",
        twice[0]
    );
    assert!(
        !got.to_string().contains("kaohe-serve-"),
        "the upload's folder shows: {got}"
    );
}

#[test]
fn the_text_being_edited_is_scored_and_its_files_are_the_clis() {
    let w = start("draft", &[]);
    let path = "/api/file?path=liucheng-2024.kh";
    let first = w.call("GET", path, b"").json();
    let saved = first["text"].as_str().unwrap().to_string();
    // An edit not saved: one deduction made heavier.
    let edited = saved.replacen("扣 0.5 每", "扣 1 每", 1);
    assert_ne!(edited, saved);
    let a = w.json_call(
        "POST",
        "/api/draft",
        &json!({"path": "liucheng-2024.kh", "text": edited}),
    );
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let got = a.json();
    let draft = got["draft"].as_str().unwrap().to_string();
    let spec = &got["spec"];
    assert_eq!(spec["path"], "liucheng-2024.kh");
    assert_eq!(spec["saved"], false);
    assert_eq!(spec["saved_version"], first["version"]);
    assert_ne!(spec["version"], first["version"]);
    // The saved text sent as a draft is told as the saved version.
    let a = w.json_call(
        "POST",
        "/api/draft",
        &json!({"path": "liucheng-2024.kh", "text": saved}),
    );
    assert_eq!(a.json()["spec"]["saved"], true);
    assert_eq!(a.json()["spec"]["version"], first["version"]);

    // The CLI scores the same text, under the same file name, elsewhere.
    let cli_dir = w.dir.join("cli");
    std::fs::create_dir_all(&cli_dir).unwrap();
    std::fs::write(cli_dir.join("liucheng-2024.kh"), &edited).unwrap();
    std::fs::copy(w.dir.join("mixed.xlsx"), cli_dir.join("mixed.xlsx")).unwrap();
    let data = std::fs::read(w.dir.join("mixed.xlsx")).unwrap();
    let ranked = kaohe_in(
        &cli_dir,
        &[
            "eval",
            "liucheng-2024.kh",
            "mixed.xlsx",
            "--format",
            "json",
            "--rank",
        ],
    );
    let expected: Value = serde_json::from_slice(&ranked.stdout).unwrap();
    let expected = expected["entities"].as_array().unwrap();
    let a = w.call(
        "POST",
        &format!("/api/eval?spec=liucheng-2024.kh&draft={draft}&name=mixed.xlsx"),
        &data,
    );
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let got = a.json();
    assert_eq!(got["spec"]["version"], spec["version"]);
    assert_eq!(got["spec"]["saved"], false);
    let result = got["result"].as_str().unwrap().to_string();
    let ranking = got["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), expected.len());
    for (row, e) in ranking.iter().zip(expected) {
        assert_eq!((&row["id"], &row["total"]), (&e["id"], &e["total"]));
    }
    // The saved spec scores otherwise: the draft is what was scored.
    let by_saved = w.call(
        "POST",
        "/api/eval?spec=liucheng-2024.kh&name=mixed.xlsx",
        &data,
    );
    let by_saved = by_saved.json();
    assert_eq!(by_saved["spec"]["saved"], true);
    assert_ne!(by_saved["ranking"], got["ranking"]);
    // The same draft without `spec`, and as a unit's page.
    let a = w.call(
        "POST",
        &format!("/api/eval?draft={draft}&name=mixed.xlsx"),
        &data,
    );
    assert_eq!(a.json()["ranking"], got["ranking"]);
    let a = w.call("GET", &format!("/api/unit?result={result}&index=0"), b"");
    assert_eq!(&a.json()["entity"], &expected[0]);
    assert_eq!(a.json()["spec"]["version"], spec["version"]);

    let mut files = Vec::new();
    for format in ["xlsx", "html", "csv", "json"] {
        let file = format!("r.{format}");
        let cli = kaohe_in(
            &cli_dir,
            &[
                "eval",
                "liucheng-2024.kh",
                "mixed.xlsx",
                "--format",
                format,
                "-o",
                &file,
            ],
        );
        assert!(cli.status.success());
        let want = std::fs::read(cli_dir.join(&file)).unwrap();
        let kept = w.call(
            "POST",
            &format!("/api/report?result={result}&format={format}"),
            b"",
        );
        assert_eq!(kept.status, 200, "{format}");
        assert!(kept.body == want, "{format} of the kept draft's result");
        let sent = w.call(
            "POST",
            &format!("/api/report?draft={draft}&name=mixed.xlsx&format={format}"),
            &data,
        );
        assert!(sent.body == want, "{format} of the draft and the data sent");
        files.push((format, want));
    }
    // The roll-up and a chart of the kept result are the draft's too.
    let a = w.call("POST", &format!("/api/results?result={result}"), b"");
    assert_eq!(a.status, 200);
    let drafted = w.call(
        "POST",
        &format!("/api/results?draft={draft}&name=mixed.xlsx"),
        &data,
    );
    assert_eq!(a.json(), drafted.json());

    // The file saved meanwhile (another text): the kept result is still
    // the draft's, its files the same bytes.
    let other = saved.replacen("扣 0.5 每", "扣 2 每", 1);
    let put = w.json_call(
        "PUT",
        path,
        &json!({"text": other, "base": first["version"]}),
    );
    assert_eq!(put.status, 200);
    for (format, want) in &files {
        let kept = w.call(
            "POST",
            &format!("/api/report?result={result}&format={format}"),
            b"",
        );
        assert!(kept.body == *want, "{format} after a save");
    }
    let a = w.call("GET", &format!("/api/unit?result={result}&index=0"), b"");
    assert_eq!(a.json()["spec"]["version"], spec["version"]);
    // And a draft equal to the old saved text is now unsaved.
    let a = w.json_call(
        "POST",
        "/api/draft",
        &json!({"path": "liucheng-2024.kh", "text": saved}),
    );
    assert_eq!(a.json()["spec"]["saved"], false);

    // A text with errors is not kept: its diagnostics, coded, in the
    // language asked and in both.
    let broken = edited.replacen("年度", "年渡", 1);
    let a = w.json_call(
        "POST",
        "/api/draft",
        &json!({"path": "liucheng-2024.kh", "text": broken, "lang": "en"}),
    );
    assert_eq!((a.status, a.code().as_str()), (422, "K0939"));
    let got = a.json();
    let first_of = |key: &str| got[key][0].clone();
    assert!(
        first_of("diagnostics")["code"]
            .as_str()
            .unwrap()
            .starts_with('K')
    );
    assert_eq!(first_of("diagnostics"), first_of("diagnostics_en"));
    assert_eq!(
        first_of("diagnostics_zh")["code"],
        first_of("diagnostics_en")["code"]
    );
    assert_ne!(
        first_of("diagnostics_zh")["message"],
        first_of("diagnostics_en")["message"]
    );
    assert_eq!(first_of("diagnostics")["file"], "liucheng-2024.kh");
}

/// Hostile or stale requests about drafts are refused with a coded 4xx.
#[test]
fn drafts_refuse_what_is_not_a_spec_of_the_workspace() {
    let w = start("draft-refused", &[]);
    let text = spec_text();
    let data = std::fs::read(w.dir.join("mixed.json")).unwrap();
    // A path out, a spec not there, a file that is not a spec.
    for (path, status, code) in [
        ("../x.kh", 403, "K0930"),
        ("/etc/x.kh", 403, "K0930"),
        ("nope.kh", 404, "K0931"),
        ("mixed.json", 415, "K0937"),
    ] {
        let a = w.json_call("POST", "/api/draft", &json!({"path": path, "text": text}));
        assert_eq!((a.status, a.code().as_str()), (status, code), "{path}");
    }
    // A text larger than a spec may be (K0107 in its diagnostics), and a
    // body past the workbench's limit.
    let huge = format!("{text}\n{}", "# 注释\n".repeat(600_000));
    let a = w.json_call(
        "POST",
        "/api/draft",
        &json!({"path": "liucheng-2024.kh", "text": huge}),
    );
    assert_eq!((a.status, a.code().as_str()), (422, "K0939"));
    assert_eq!(a.json()["diagnostics"][0]["code"], "K0107");
    let huger = "x".repeat(33 * 1024 * 1024);
    let a = w.json_call(
        "POST",
        "/api/draft",
        &json!({"path": "liucheng-2024.kh", "text": huger}),
    );
    assert_eq!((a.status, a.code().as_str()), (413, "K0933"));
    // Not UTF-8, and a lone surrogate: not a text.
    let mut headers = vec![
        ("X-Kaohe".to_string(), "1".to_string()),
        ("Content-Type".to_string(), "application/json".to_string()),
    ];
    let mut bad = br#"{"path": "liucheng-2024.kh", "text": ""#.to_vec();
    bad.extend_from_slice(&[0xff, 0xfe, b'"', b'}']);
    let a = w.raw("POST", "/api/draft", &headers, &bad);
    assert_eq!((a.status, a.code().as_str()), (400, "K0936"));
    let lone = br#"{"path": "liucheng-2024.kh", "text": "\ud800"}"#;
    let a = w.raw("POST", "/api/draft", &headers, lone);
    assert_eq!((a.status, a.code().as_str()), (400, "K0936"));
    headers.pop();
    let a = w.raw("POST", "/api/draft", &headers, br#"{"path": "a.kh"}"#);
    assert!(a.status == 400 || a.status == 415, "{}", a.status);
    // A draft not kept (or never made), or a result not kept: gone.
    for call in ["eval", "report", "results", "chart"] {
        let a = w.call(
            "POST",
            &format!("/api/{call}?draft=0000&name=mixed.json&kind=totals"),
            &data,
        );
        assert_eq!((a.status, a.code().as_str()), (410, "K0944"), "{call}");
        let a = w.call("POST", &format!("/api/{call}?result=0000&kind=totals"), b"");
        if call != "eval" {
            assert_eq!((a.status, a.code().as_str()), (410, "K0942"), "{call}");
        }
    }
    let a = w.call("POST", "/api/diff?old=liucheng-2024.kh&draft=0000", b"");
    assert_eq!((a.status, a.code().as_str()), (410, "K0944"));
    // A draft of one spec asked to score another.
    std::fs::write(w.dir.join("other.kh"), &text).unwrap();
    let d = w.json_call(
        "POST",
        "/api/draft",
        &json!({"path": "liucheng-2024.kh", "text": text}),
    );
    let id = d.json()["draft"].as_str().unwrap().to_string();
    let a = w.call(
        "POST",
        &format!("/api/eval?spec=other.kh&draft={id}&name=mixed.json"),
        &data,
    );
    assert_eq!((a.status, a.code().as_str()), (400, "K0946"));
    let a = w.call(
        "POST",
        &format!("/api/diff?old=other.kh&new=other.kh&draft={id}"),
        b"",
    );
    assert_eq!((a.status, a.code().as_str()), (400, "K0946"));
}

/// The comparison of versions takes the data as `/api/eval` does, several
/// files at once (a CSV file of the units with its list files), and the
/// text being edited as the new version: each unit's totals before and
/// after are what `kaohe eval` gives under each text.
#[test]
fn versions_are_compared_with_a_dataset_of_several_files_and_the_draft() {
    let w = start("diff-parts", &[]);
    let examples = root().join("examples/liucheng-2024");
    let mut files: Vec<(String, Vec<u8>)> = vec![(
        "mixed.csv".into(),
        std::fs::read(examples.join("mixed.csv")).unwrap(),
    )];
    for e in std::fs::read_dir(examples.join("mixed")).unwrap() {
        let l = e.unwrap().path();
        let name = l.file_name().unwrap().to_string_lossy().to_string();
        files.push((name, std::fs::read(&l).unwrap()));
    }
    let named: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let (q, body) = parts(&named);
    let saved = std::fs::read_to_string(w.dir.join("liucheng-2024.kh")).unwrap();
    let edited = saved.replacen("扣 0.5 每", "扣 1 每", 1);
    std::fs::write(w.dir.join("old.kh"), &saved).unwrap();
    let d = w.json_call(
        "POST",
        "/api/draft",
        &json!({"path": "liucheng-2024.kh", "text": edited}),
    );
    let draft = d.json()["draft"].as_str().unwrap().to_string();
    // The CLI's totals of the same CSV dataset under each text.
    let totals = |spec: &str| -> Vec<(Value, Value)> {
        let mixed = examples.join("mixed.csv").display().to_string();
        let out = kaohe_in(&w.dir, &["eval", spec, &mixed, "--format", "json"]);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        (v["entities"].as_array().unwrap().iter())
            .map(|e| (e["id"].clone(), e["total"].clone()))
            .collect()
    };
    std::fs::write(w.dir.join("edited.kh"), &edited).unwrap();
    let before = totals("old.kh");
    let after = totals("edited.kh");
    assert_ne!(before, after);
    let a = w.call(
        "POST",
        &format!(
            "/api/diff?old=old.kh&new=liucheng-2024.kh&draft={draft}&name=mixed.csv&parts={q}"
        ),
        &body,
    );
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let got = a.json();
    assert_eq!(got["spec"]["saved"], false);
    let entities = got["diff"]["entities"].as_array().unwrap();
    assert_eq!(entities.len(), before.len());
    for (e, ((id, old), (_, new))) in entities.iter().zip(before.iter().zip(&after)) {
        assert_eq!(&e["id"], id);
        assert_eq!((&e["total"]["old"], &e["total"]["new"]), (old, new), "{id}");
    }
    assert!(
        !got.to_string().contains("kaohe-serve-"),
        "the upload's folder shows: {got}"
    );
    // The saved spec against itself with the same files: no change.
    let a = w.call(
        "POST",
        &format!("/api/diff?old=old.kh&new=liucheng-2024.kh&name=mixed.csv&parts={q}"),
        &body,
    );
    let got = a.json();
    for (e, (_, old)) in got["diff"]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&before)
    {
        assert_eq!((&e["total"]["old"], &e["total"]["new"]), (old, old));
    }
    // List files without the units' file: K0943, as /api/eval says.
    let (q, body) = parts(&named[1..3]);
    let a = w.call(
        "POST",
        &format!("/api/diff?old=old.kh&new=liucheng-2024.kh&name=x&parts={q}"),
        &body,
    );
    assert_eq!((a.status, a.code().as_str()), (422, "K0943"));
}

/// A workbook with rows hidden or filtered out, uploaded: the workbench
/// tells each sheet's K0517 as the CLI does, and scores every row.
#[test]
fn hidden_rows_of_an_uploaded_workbook_are_told_and_scored() {
    let w = start("hidden-rows", &[]);
    let cases = root().join("tests/real-input");
    std::fs::copy(cases.join("spec.kh"), w.dir.join("sheet.kh")).unwrap();
    let data = std::fs::read(cases.join("hidden-rows-xlsx/data.xlsx")).unwrap();
    let a = w.call("POST", "/api/eval?spec=sheet.kh&name=data.xlsx", &data);
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    let got = a.json();
    assert_eq!(got["ok"], true);
    // Every unit scored, the hidden 象州县 too, with its lost meeting.
    assert_eq!(got["entities"], 7);
    let ranked = got["ranking"].as_array().unwrap();
    let hidden = ranked.iter().find(|u| u["id"] == "象州县").unwrap();
    assert_eq!(hidden["total"], "5.50");
    let told: Vec<(&str, &str)> = (got["diagnostics"].as_array().unwrap().iter())
        .map(|d| (d["code"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        told,
        [
            (
                "K0517",
                "data.xlsx 的工作表“数据”：第 5–6、8 行被隐藏或被筛选掉了，但仍会读取：其中 3 个被考核单位与其他单位一样计分"
            ),
            (
                "K0517",
                "data.xlsx 的工作表“events”：第 3 行被隐藏或被筛选掉了，但仍会读取：其中 1 条记录与其他记录一样计入"
            ),
        ]
    );
}
