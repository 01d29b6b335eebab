//! `kaohe lsp`: the Language Server Protocol over a byte stream (stdio),
//! a thin mapping of the language service (`crate::service`) to
//! lsp-types. It keeps one `Analysis` per open document and answers every
//! question from it; it analyses nothing itself.
//!
//! Messages are read one at a time and answered in order ([`serve`]), on
//! one thread: every answer is a lookup in an analysis built once per edit.
//! A malformed message is answered with a JSON-RPC error; a request whose
//! handler panics (a bug) with error K0952; the server goes on.

mod convert;
mod tests_file;
mod tokens;
mod transport;

pub use convert::Encoding;

use crate::diagnostic::{Code, Diagnostic, Lang, Severity, Text};
use crate::service::{
    Analysis, CompletionKind, OutlineKind, OutlineNode, Problem, Range as SRange,
    TextEdit as STextEdit,
};
use crate::source::Span;
use crate::t;
use convert::Mapper;
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::io::{self, BufRead, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Serve the protocol on `input` and `output` until the editor sends
/// `exit` or closes the stream. `Ok(true)` when the editor asked to shut
/// down first (exit code 0), `Ok(false)` otherwise (exit code 1, as the
/// protocol asks).
pub fn serve(mut input: impl BufRead, mut output: impl Write) -> io::Result<bool> {
    let mut server = Server::new();
    loop {
        match transport::read(&mut input)? {
            transport::Incoming::Eof => return Ok(false),
            transport::Incoming::Response => {}
            transport::Incoming::Malformed { id, code, message } => {
                let text = server.say(&bad_message(&message));
                transport::write_error(&mut output, &id, code, &text)?;
            }
            transport::Incoming::Message(message) => {
                for out in server.handle(message) {
                    transport::write(&mut output, &out)?;
                }
                if let Some(clean) = server.exited() {
                    return Ok(clean);
                }
            }
        }
    }
}

fn bad_message(what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::LspBadRequest,
        t!(
            "kaohe lsp cannot read a message from the editor: {what}",
            "kaohe lsp 无法读取编辑器发来的消息：{what}"
        ),
    )
    .with_help(t!(
        "this is a fault of the editor or its plugin, not of your spec: update the plugin, or report it with the editor's LSP log",
        "这是编辑器或其插件的问题，并非您的规则文件有误：请更新插件，或附上编辑器的 LSP 日志报告此问题"
    ))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    Uninitialized,
    Running,
    ShuttingDown,
    /// `exit` received; true when after `shutdown`.
    Exited(bool),
}

struct Doc {
    analysis: Analysis,
    version: i32,
    /// The file, for a `file:` document (to find its test file).
    path: Option<PathBuf>,
}

/// The server's state: the open documents and what was agreed with the
/// editor. Feed it messages with [`Server::handle`]; it returns the
/// messages to send back.
pub struct Server {
    docs: HashMap<String, Doc>,
    encoding: Encoding,
    /// The language of the server's own messages: `initializationOptions.lang`,
    /// else the editor's locale; both languages while neither is known.
    lang: Option<Lang>,
    /// The language the editor asked answers in, over the spec's.
    forced_lang: Option<Lang>,
    watch_dynamically: bool,
    /// Whether the client takes completions in the snippet syntax
    /// (`completionItem.snippetSupport`); without it a snippet is sent as
    /// plain text with its defaults.
    snippets: bool,
    state: State,
    next_id: i32,
    /// Test files diagnostics were published for, by URI.
    tests_published: BTreeSet<String>,
}

impl Default for Server {
    fn default() -> Self {
        Server::new()
    }
}

/// A request's failure: the JSON-RPC error code and the diagnostic saying why.
struct Failure {
    code: i32,
    diagnostic: Box<Diagnostic>,
}

type Answer = Result<Value, Failure>;

impl Server {
    pub fn new() -> Server {
        Server {
            docs: HashMap::new(),
            encoding: Encoding::Utf16,
            lang: None,
            forced_lang: None,
            watch_dynamically: false,
            snippets: false,
            state: State::Uninitialized,
            next_id: 0,
            tests_published: BTreeSet::new(),
        }
    }

    /// The column unit agreed at `initialize`.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Whether `exit` has come, and if so whether after `shutdown`.
    pub fn exited(&self) -> Option<bool> {
        match self.state {
            State::Exited(clean) => Some(clean),
            _ => None,
        }
    }

    /// A diagnostic of the server's own, as one line of text.
    fn say(&self, d: &Diagnostic) -> String {
        let one = |lang: Lang| {
            let mut s = format!("{}: {}", d.code, d.message.get(lang));
            if let Some(h) = &d.help {
                s.push('\n');
                s.push_str(&tests_file::help_line(h.get(lang), lang));
            }
            s
        };
        match self.lang {
            Some(lang) => one(lang),
            None => format!("{}\n{}", one(Lang::Zh), one(Lang::En)),
        }
    }

    /// Answer one message from the editor.
    pub fn handle(&mut self, message: Message) -> Vec<Message> {
        match message {
            Message::Request(req) => {
                let id = req.id.clone();
                let method = req.method.clone();
                let answer = catch_unwind(AssertUnwindSafe(|| self.request(req)));
                let (result, mut out) = match answer {
                    Ok((result, out)) => (result, out),
                    Err(_) => (Err(bug(&method)), Vec::new()),
                };
                let response = match result {
                    Ok(value) => Response::new_ok(id, value),
                    Err(f) => Response::new_err(id, f.code, self.say(&f.diagnostic)),
                };
                out.insert(0, Message::Response(response));
                out
            }
            Message::Notification(n) => {
                let method = n.method.clone();
                match catch_unwind(AssertUnwindSafe(|| self.notification(n))) {
                    Ok(Ok(out)) => out,
                    Ok(Err(f)) => vec![self.show_message(&f.diagnostic)],
                    Err(_) => vec![self.show_message(&bug(&method).diagnostic)],
                }
            }
            Message::Response(_) => Vec::new(),
        }
    }

    fn show_message(&self, d: &Diagnostic) -> Message {
        notification::<lsp::notification::ShowMessage>(lsp::ShowMessageParams {
            typ: lsp::MessageType::ERROR,
            message: self.say(d),
        })
    }

    fn request(&mut self, req: Request) -> (Answer, Vec<Message>) {
        use lsp::request::*;
        let method = req.method.as_str();
        match self.state {
            State::Uninitialized if method != Initialize::METHOD => {
                return (
                    Err(failure(
                        ErrorCode::ServerNotInitialized as i32,
                        Code::LspBadRequest,
                        t!(
                            "the editor sent {method} before initialize",
                            "编辑器在 initialize 之前发送了 {method}"
                        ),
                    )),
                    Vec::new(),
                );
            }
            State::ShuttingDown | State::Exited(_) => {
                return (
                    Err(failure(
                        ErrorCode::InvalidRequest as i32,
                        Code::LspBadRequest,
                        t!(
                            "the editor sent {method} after shutdown",
                            "编辑器在 shutdown 之后发送了 {method}"
                        ),
                    )),
                    Vec::new(),
                );
            }
            _ => {}
        }
        let answer = match method {
            Initialize::METHOD => self.initialize(&req.params),
            Shutdown::METHOD => {
                self.state = State::ShuttingDown;
                Ok(Value::Null)
            }
            HoverRequest::METHOD => self.on::<HoverRequest>(req, Server::hover),
            Completion::METHOD => self.on::<Completion>(req, Server::completion),
            GotoDefinition::METHOD => self.on::<GotoDefinition>(req, Server::definition),
            References::METHOD => self.on::<References>(req, Server::references),
            DocumentSymbolRequest::METHOD => self.on::<DocumentSymbolRequest>(req, Server::symbols),
            Formatting::METHOD => self.on::<Formatting>(req, Server::formatting),
            PrepareRenameRequest::METHOD => {
                self.on::<PrepareRenameRequest>(req, Server::prepare_rename)
            }
            Rename::METHOD => self.on::<Rename>(req, Server::rename),
            CodeActionRequest::METHOD => match parse::<ActionParams>(&req.method, req.params) {
                Ok(p) => self.code_actions(p),
                Err(f) => Err(f),
            },
            InlayHintRequest::METHOD => self.on::<InlayHintRequest>(req, Server::inlay_hints),
            // A handler that fails as a bug would: for the unit test of K0952.
            #[cfg(test)]
            "kaohe/test-panic" => panic!("a bug, for the test"),
            SemanticTokensFullRequest::METHOD => {
                self.on::<SemanticTokensFullRequest>(req, Server::semantic_tokens)
            }
            _ => Err(failure(
                ErrorCode::MethodNotFound as i32,
                Code::LspBadRequest,
                t!(
                    "kaohe lsp does not answer {method}",
                    "kaohe lsp 不回答 {method}"
                ),
            )),
        };
        (answer, Vec::new())
    }

    /// Parse a request's parameters and answer them with `f`.
    fn on<R>(&mut self, req: Request, f: fn(&Server, R::Params) -> Answer) -> Answer
    where
        R: lsp::request::Request,
        R::Params: DeserializeOwned,
    {
        let params = parse::<R::Params>(&req.method, req.params)?;
        f(self, params)
    }

    fn notification(&mut self, n: Notification) -> Result<Vec<Message>, Failure> {
        use lsp::notification::*;
        let method = n.method.as_str();
        if method == Exit::METHOD {
            self.state = State::Exited(self.state == State::ShuttingDown);
            return Ok(Vec::new());
        }
        if self.state != State::Running {
            return Ok(Vec::new());
        }
        match method {
            Initialized::METHOD => Ok(self.register_watcher()),
            DidOpenTextDocument::METHOD => {
                let p: lsp::DidOpenTextDocumentParams = parse(method, n.params)?;
                let key = p.text_document.uri.as_str().to_string();
                let doc = Doc {
                    analysis: self.analyse(p.text_document.text),
                    version: p.text_document.version,
                    path: file_path(&key),
                };
                self.docs.insert(key.clone(), doc);
                let mut out = self.publish(&key);
                out.extend(self.publish_tests(&key));
                Ok(out)
            }
            DidChangeTextDocument::METHOD => {
                let p: lsp::DidChangeTextDocumentParams = parse(method, n.params)?;
                let key = p.text_document.uri.as_str().to_string();
                let text = {
                    let doc = self.doc(&key)?;
                    convert::apply(doc.analysis.text(), &p.content_changes, self.encoding)
                };
                let analysis = self.analyse(text);
                if let Some(doc) = self.docs.get_mut(&key) {
                    doc.analysis = analysis;
                    doc.version = p.text_document.version;
                }
                Ok(self.publish(&key))
            }
            DidSaveTextDocument::METHOD => {
                let p: lsp::DidSaveTextDocumentParams = parse(method, n.params)?;
                let key = p.text_document.uri.as_str().to_string();
                self.doc(&key)?;
                let mut out = self.publish(&key);
                out.extend(self.publish_tests(&key));
                Ok(out)
            }
            DidCloseTextDocument::METHOD => {
                let p: lsp::DidCloseTextDocumentParams = parse(method, n.params)?;
                let key = p.text_document.uri.as_str().to_string();
                let mut out = Vec::new();
                if let Some(doc) = self.docs.remove(&key) {
                    out.push(publish_diagnostics(&key, Vec::new(), None));
                    if let Some(path) = doc.path {
                        let tests = file_uri(&crate::spectest::tests_path(&path));
                        if self.tests_published.remove(&tests) {
                            out.push(publish_diagnostics(&tests, Vec::new(), None));
                        }
                    }
                }
                Ok(out)
            }
            DidChangeWatchedFiles::METHOD => {
                // A test file, or a data file a test reads, changed: run the
                // tests of every open spec again.
                let keys: Vec<String> = self.docs.keys().cloned().collect();
                Ok(keys.iter().flat_map(|k| self.publish_tests(k)).collect())
            }
            _ => Ok(Vec::new()),
        }
    }

    fn initialize(&mut self, params: &Value) -> Answer {
        let capabilities = params.get("capabilities");
        let offered: Vec<&str> = capabilities
            .and_then(|c| c.pointer("/general/positionEncodings"))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if offered.contains(&"utf-8") {
            self.encoding = Encoding::Utf8;
        }
        self.watch_dynamically = capabilities
            .and_then(|c| c.pointer("/workspace/didChangeWatchedFiles/dynamicRegistration"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        self.snippets = capabilities
            .and_then(|c| c.pointer("/textDocument/completion/completionItem/snippetSupport"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let lang_of = |s: &str| {
            if s.starts_with("zh") {
                Some(Lang::Zh)
            } else if s.starts_with("en") {
                Some(Lang::En)
            } else {
                None
            }
        };
        self.forced_lang = params
            .pointer("/initializationOptions/lang")
            .and_then(Value::as_str)
            .and_then(lang_of);
        let locale = params
            .get("locale")
            .and_then(Value::as_str)
            .map(|l| lang_of(&l.to_ascii_lowercase()).unwrap_or(Lang::En));
        self.lang = self.forced_lang.or(locale);
        self.state = State::Running;
        let capabilities = lsp::ServerCapabilities {
            position_encoding: Some(self.encoding.kind()),
            text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
                lsp::TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                    save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                    ..Default::default()
                },
            )),
            hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
            completion_provider: Some(lsp::CompletionOptions {
                trigger_characters: Some(vec![".".into(), " ".into()]),
                ..Default::default()
            }),
            definition_provider: Some(lsp::OneOf::Left(true)),
            references_provider: Some(lsp::OneOf::Left(true)),
            document_symbol_provider: Some(lsp::OneOf::Left(true)),
            document_formatting_provider: Some(lsp::OneOf::Left(true)),
            rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
                prepare_provider: Some(true),
                work_done_progress_options: Default::default(),
            })),
            code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
                lsp::CodeActionOptions {
                    code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                    ..Default::default()
                },
            )),
            inlay_hint_provider: Some(lsp::OneOf::Left(true)),
            semantic_tokens_provider: Some(
                lsp::SemanticTokensServerCapabilities::SemanticTokensOptions(
                    lsp::SemanticTokensOptions {
                        legend: tokens::legend(),
                        full: Some(lsp::SemanticTokensFullOptions::Bool(true)),
                        range: None,
                        work_done_progress_options: Default::default(),
                    },
                ),
            ),
            ..Default::default()
        };
        let result = lsp::InitializeResult {
            capabilities,
            server_info: Some(lsp::ServerInfo {
                name: "kaohe".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        };
        Ok(to_value(result))
    }

    fn register_watcher(&mut self) -> Vec<Message> {
        if !self.watch_dynamically {
            return Vec::new();
        }
        self.next_id += 1;
        let watchers = ["**/*.tests.json", "**/*.{json,jsonl,csv,xlsx}"]
            .iter()
            .map(|g| lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String((*g).into()),
                kind: None,
            })
            .collect();
        let options = lsp::DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = lsp::RegistrationParams {
            registrations: vec![lsp::Registration {
                id: "kaohe-tests-files".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: Some(to_value(options)),
            }],
        };
        vec![Message::Request(Request::new(
            RequestId::from(self.next_id),
            "client/registerCapability".into(),
            params,
        ))]
    }

    fn analyse(&self, text: String) -> Analysis {
        let mut a = Analysis::new(text);
        if let Some(lang) = self.forced_lang {
            a.set_lang(lang);
        }
        a
    }

    fn doc(&self, key: &str) -> Result<&Doc, Failure> {
        self.docs.get(key).ok_or_else(|| {
            failure(
                ErrorCode::InvalidParams as i32,
                Code::LspNotOpen,
                t!(
                    "{key} is not open in kaohe lsp",
                    "{key} 未在 kaohe lsp 中打开"
                ),
            )
            .help(t!(
                "open the spec (a .kh file) in the editor first; if it is open, reopen it",
                "请先在编辑器中打开该规则文件（.kh 文件）；如已打开，请重新打开"
            ))
        })
    }

    fn mapper<'a>(&self, a: &'a Analysis) -> Mapper<'a> {
        Mapper {
            text: a.text(),
            lines: a.lines(),
            encoding: self.encoding,
        }
    }

    /// The document at a text position, and the byte offset of it.
    fn at(&self, p: &lsp::TextDocumentPositionParams) -> Result<(&Doc, usize), Failure> {
        let doc = self.doc(p.text_document.uri.as_str())?;
        let offset = self.mapper(&doc.analysis).offset(p.position);
        Ok((doc, offset))
    }

    fn publish(&self, key: &str) -> Vec<Message> {
        let Some(doc) = self.docs.get(key) else {
            return Vec::new();
        };
        let a = &doc.analysis;
        let uri = lsp::Uri::from_str(key).ok();
        let m = self.mapper(a);
        let diagnostics = a
            .diagnostics()
            .iter()
            .map(|p| problem(&m, uri.as_ref(), p, a.lang()))
            .collect();
        vec![publish_diagnostics(key, diagnostics, Some(doc.version))]
    }

    fn publish_tests(&mut self, key: &str) -> Vec<Message> {
        let Some(doc) = self.docs.get(key) else {
            return Vec::new();
        };
        let Some(path) = &doc.path else {
            return Vec::new();
        };
        let uri = file_uri(&crate::spectest::tests_path(path));
        let Some(found) = tests_file::check(path, doc.analysis.program()) else {
            if self.tests_published.remove(&uri) {
                return vec![publish_diagnostics(&uri, Vec::new(), None)];
            }
            return Vec::new();
        };
        let lang = doc.analysis.lang();
        let lines = crate::service::LineIndex::new(&found.text);
        let m = Mapper {
            text: &found.text,
            lines: &lines,
            encoding: self.encoding,
        };
        let diagnostics = found
            .problems
            .iter()
            .map(|(span, d)| lsp::Diagnostic {
                range: lsp::Range::new(m.at(span.start), m.at(span.end)),
                severity: Some(severity(d.severity)),
                code: Some(lsp::NumberOrString::String(d.code.to_string())),
                source: Some("kaohe".into()),
                message: tests_file::message(d, lang),
                ..Default::default()
            })
            .collect();
        self.tests_published.insert(uri.clone());
        vec![publish_diagnostics(&uri, diagnostics, None)]
    }

    fn hover(&self, p: lsp::HoverParams) -> Answer {
        let (doc, offset) = self.at(&p.text_document_position_params)?;
        let m = self.mapper(&doc.analysis);
        Ok(to_value(doc.analysis.hover(offset).map(|h| lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: h.markdown,
            }),
            range: Some(m.range(h.range)),
        })))
    }

    fn completion(&self, p: lsp::CompletionParams) -> Answer {
        let (doc, offset) = self.at(&p.text_document_position)?;
        let m = self.mapper(&doc.analysis);
        let found = doc.analysis.completions(offset);
        let range = m.range(found.range);
        let items = found
            .items
            .into_iter()
            .map(|c| {
                let snippet = c.kind == CompletionKind::Snippet;
                let (new_text, format) = match c.snippet {
                    Some(s) if self.snippets => (s, lsp::InsertTextFormat::SNIPPET),
                    _ => (c.insert_text, lsp::InsertTextFormat::PLAIN_TEXT),
                };
                lsp::CompletionItem {
                    label: c.label,
                    kind: Some(completion_kind(c.kind)),
                    detail: c.detail,
                    text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
                        range,
                        new_text,
                    })),
                    insert_text_format: Some(format),
                    // The service indents a snippet's lines like the line
                    // it begins on.
                    insert_text_mode: snippet.then_some(lsp::InsertTextMode::AS_IS),
                    ..Default::default()
                }
            })
            .collect();
        Ok(to_value(lsp::CompletionResponse::List(
            lsp::CompletionList {
                is_incomplete: false,
                items,
            },
        )))
    }

    fn definition(&self, p: lsp::GotoDefinitionParams) -> Answer {
        let (doc, offset) = self.at(&p.text_document_position_params)?;
        let m = self.mapper(&doc.analysis);
        let uri = p.text_document_position_params.text_document.uri;
        Ok(to_value(doc.analysis.definition(offset).map(|r| {
            lsp::GotoDefinitionResponse::Scalar(lsp::Location::new(uri, m.range(r)))
        })))
    }

    fn references(&self, p: lsp::ReferenceParams) -> Answer {
        let (doc, offset) = self.at(&p.text_document_position)?;
        let m = self.mapper(&doc.analysis);
        let uri = p.text_document_position.text_document.uri;
        let found: Vec<lsp::Location> = doc
            .analysis
            .references(offset, p.context.include_declaration)
            .into_iter()
            .map(|r| lsp::Location::new(uri.clone(), m.range(r)))
            .collect();
        Ok(to_value(found))
    }

    fn symbols(&self, p: lsp::DocumentSymbolParams) -> Answer {
        let doc = self.doc(p.text_document.uri.as_str())?;
        let m = self.mapper(&doc.analysis);
        let symbols: Vec<lsp::DocumentSymbol> = doc
            .analysis
            .outline()
            .iter()
            .map(|n| symbol(&m, n, doc.analysis.lang()))
            .collect();
        Ok(to_value(lsp::DocumentSymbolResponse::Nested(symbols)))
    }

    fn formatting(&self, p: lsp::DocumentFormattingParams) -> Answer {
        let doc = self.doc(p.text_document.uri.as_str())?;
        let m = self.mapper(&doc.analysis);
        match doc.analysis.format() {
            Ok(edits) => Ok(to_value(text_edits(&m, &edits))),
            Err(problems) => {
                let lang = doc.analysis.lang();
                let first = problems
                    .first()
                    .map(|p| {
                        format!(
                            "{}:{}: {}",
                            p.range.start.line + 1,
                            p.range.start.character + 1,
                            p.message
                        )
                    })
                    .unwrap_or_default();
                Err(failure(
                    ErrorCode::RequestFailed as i32,
                    Code::LspCannotFormat,
                    t!(
                        "the spec does not parse, so it cannot be formatted ({first})",
                        "规则文件无法解析，因此无法格式化（{first}）"
                    ),
                )
                .help(t!(
                    "correct the errors the editor marks, then format again",
                    "请先更正编辑器标出的错误，再格式化"
                ))
                .lang(lang))
            }
        }
    }

    fn prepare_rename(&self, p: lsp::TextDocumentPositionParams) -> Answer {
        let (doc, offset) = self.at(&p)?;
        let m = self.mapper(&doc.analysis);
        Ok(to_value(
            doc.analysis
                .prepare_rename(offset)
                .map(|r| lsp::PrepareRenameResponse::Range(m.range(r))),
        ))
    }

    // lsp-types keys a WorkspaceEdit's changes by Uri, whose parsed parts
    // are cached in a Cell: never changed through the key here.
    #[allow(clippy::mutable_key_type)]
    fn rename(&self, p: lsp::RenameParams) -> Answer {
        let (doc, offset) = self.at(&p.text_document_position)?;
        let m = self.mapper(&doc.analysis);
        match doc.analysis.rename(offset, &p.new_name) {
            Ok(edits) => {
                let uri = p.text_document_position.text_document.uri;
                let changes = HashMap::from([(uri, text_edits(&m, &edits))]);
                Ok(to_value(lsp::WorkspaceEdit {
                    changes: Some(changes),
                    ..Default::default()
                }))
            }
            Err(refusal) => {
                let why = refusal.message;
                Err(failure(
                    ErrorCode::RequestFailed as i32,
                    Code::LspCannotFormat,
                    t!("{why}", "{why}"),
                )
                .lang(doc.analysis.lang()))
            }
        }
    }

    #[allow(clippy::mutable_key_type)] // as in rename
    fn code_actions(&self, p: ActionParams) -> Answer {
        let doc = self.doc(p.text_document.uri.as_str())?;
        let m = self.mapper(&doc.analysis);
        let span = Span::new(m.offset(p.range.start), m.offset(p.range.end));
        let uri = p.text_document.uri;
        let actions: Vec<lsp::CodeActionOrCommand> = doc
            .analysis
            .quick_fixes(span)
            .into_iter()
            .map(|fix| {
                let changes = HashMap::from([(uri.clone(), text_edits(&m, &fix.edits))]);
                lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title: fix.title,
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    edit: Some(lsp::WorkspaceEdit {
                        changes: Some(changes),
                        ..Default::default()
                    }),
                    is_preferred: Some(true),
                    ..Default::default()
                })
            })
            .collect();
        Ok(to_value(actions))
    }

    /// After the label line of each section and indicator, what its scored
    /// items add up to.
    /// The document's tokens (`Analysis::tokens`), for highlighting.
    fn semantic_tokens(&self, p: lsp::SemanticTokensParams) -> Answer {
        let doc = self.doc(p.text_document.uri.as_str())?;
        let data = tokens::encode(&doc.analysis, &self.mapper(&doc.analysis));
        Ok(to_value(lsp::SemanticTokensResult::Tokens(
            lsp::SemanticTokens {
                result_id: None,
                data,
            },
        )))
    }

    fn inlay_hints(&self, p: lsp::InlayHintParams) -> Answer {
        let doc = self.doc(p.text_document.uri.as_str())?;
        let a = &doc.analysis;
        let m = self.mapper(a);
        let lang = a.lang();
        let mut hints = Vec::new();
        let outline = a.outline();
        let mut stack: Vec<&OutlineNode> = outline.iter().rev().collect();
        while let Some(node) = stack.pop() {
            stack.extend(node.children.iter().rev());
            if node.kind == OutlineKind::Item {
                continue;
            }
            let Some(points) = &node.points else {
                continue;
            };
            let line = node.selection_range.end.line;
            if line < p.range.start.line || line > p.range.end.line {
                continue;
            }
            let end = a
                .lines()
                .line_start(line + 1)
                .map_or(a.text().len(), |next| next - 1);
            let end = if a.text().get(..end).is_some_and(|t| t.ends_with('\r')) {
                end - 1
            } else {
                end
            };
            let label = match lang {
                Lang::Zh => format!("合计 {points} 分"),
                Lang::En => format!("sums to {points}"),
            };
            hints.push(lsp::InlayHint {
                position: m.at(end),
                label: lsp::InlayHintLabel::String(label),
                kind: None,
                text_edits: None,
                tooltip: None,
                padding_left: Some(true),
                padding_right: None,
                data: None,
            });
        }
        Ok(to_value(hints))
    }
}

/// The parameters of codeAction this server reads (the diagnostics the
/// editor sends back are not needed: the analysis has them).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActionParams {
    text_document: lsp::TextDocumentIdentifier,
    range: lsp::Range,
}

fn parse<P: DeserializeOwned>(method: &str, params: Value) -> Result<P, Failure> {
    serde_json::from_value(params).map_err(|e| {
        let e = e.to_string();
        Failure {
            code: ErrorCode::InvalidParams as i32,
            diagnostic: Box::new(bad_message(&format!("{method}: {e}"))),
        }
    })
}

fn failure(code: i32, c: Code, message: Text) -> Failure {
    Failure {
        code,
        diagnostic: Box::new(Diagnostic::new(c, message)),
    }
}

impl Failure {
    fn help(mut self, help: Text) -> Failure {
        self.diagnostic.help = Some(help);
        self
    }

    /// Keep only `lang`'s text (for messages already in the spec's language).
    fn lang(mut self, lang: Lang) -> Failure {
        let pick = |t: &Text| {
            let s = t.get(lang).to_string();
            Text {
                en: s.clone(),
                zh: s,
            }
        };
        self.diagnostic.message = pick(&self.diagnostic.message);
        if let Some(h) = &self.diagnostic.help {
            self.diagnostic.help = Some(pick(h));
        }
        self
    }
}

fn bug(method: &str) -> Failure {
    failure(
        ErrorCode::InternalError as i32,
        Code::LspBug,
        t!(
            "kaohe lsp could not answer {method} because of a bug of its own, not of your spec",
            "kaohe lsp 因自身的缺陷未能回答 {method}，并非您的规则文件有误"
        ),
    )
    .help(t!(
        "please report it to the kaohe maintainers with the spec and what you did; the server goes on",
        "请将规则文件和所做的操作报告给 kaohe 维护者；语言服务器仍在运行"
    ))
}

fn to_value(v: impl serde::Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn notification<N: lsp::notification::Notification>(params: N::Params) -> Message {
    Message::Notification(Notification::new(N::METHOD.into(), params))
}

fn publish_diagnostics(
    uri: &str,
    diagnostics: Vec<lsp::Diagnostic>,
    version: Option<i32>,
) -> Message {
    // The URI as the editor wrote it (lsp_types::Uri would normalise it).
    Message::Notification(Notification {
        method: "textDocument/publishDiagnostics".into(),
        params: serde_json::json!({
            "uri": uri,
            "diagnostics": to_value(diagnostics),
            "version": version,
        }),
    })
}

fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
    }
}

/// A problem of the spec as the protocol's diagnostic: the message with
/// its notes and help, the code, and the secondary labels as related
/// information.
fn problem(m: &Mapper, uri: Option<&lsp::Uri>, p: &Problem, lang: Lang) -> lsp::Diagnostic {
    let mut message = p.message.clone();
    for note in &p.notes {
        message.push('\n');
        message.push_str(note);
    }
    if let Some(help) = &p.help {
        message.push('\n');
        message.push_str(&tests_file::help_line(help, lang));
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = uri
        .map(|uri| {
            p.labels
                .iter()
                .filter(|l| !l.primary)
                .map(|l| lsp::DiagnosticRelatedInformation {
                    location: lsp::Location::new(uri.clone(), m.range(l.range)),
                    message: l.message.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    lsp::Diagnostic {
        range: m.range(p.range),
        severity: Some(severity(p.severity)),
        code: Some(lsp::NumberOrString::String(p.code.to_string())),
        source: Some("kaohe".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}

fn completion_kind(k: CompletionKind) -> lsp::CompletionItemKind {
    match k {
        CompletionKind::Keyword => lsp::CompletionItemKind::KEYWORD,
        CompletionKind::Type => lsp::CompletionItemKind::CLASS,
        CompletionKind::Input => lsp::CompletionItemKind::VARIABLE,
        CompletionKind::Enum => lsp::CompletionItemKind::ENUM,
        CompletionKind::EnumValue => lsp::CompletionItemKind::ENUM_MEMBER,
        CompletionKind::Unit => lsp::CompletionItemKind::UNIT,
        CompletionKind::Item => lsp::CompletionItemKind::REFERENCE,
        CompletionKind::Standard => lsp::CompletionItemKind::CONSTANT,
        CompletionKind::Snippet => lsp::CompletionItemKind::SNIPPET,
    }
}

fn text_edits(m: &Mapper, edits: &[STextEdit]) -> Vec<lsp::TextEdit> {
    edits
        .iter()
        .map(|e| lsp::TextEdit::new(m.range(e.range), e.new_text.clone()))
        .collect()
}

#[allow(deprecated)] // DocumentSymbol's `deprecated` field must be written.
fn symbol(m: &Mapper, n: &OutlineNode, lang: Lang) -> lsp::DocumentSymbol {
    let kind = match n.kind {
        OutlineKind::Section => lsp::SymbolKind::NAMESPACE,
        OutlineKind::Indicator | OutlineKind::Level3 | OutlineKind::Level4 => {
            lsp::SymbolKind::CLASS
        }
        OutlineKind::Item => lsp::SymbolKind::FIELD,
    };
    // A heading shows its points as declared (else what its items sum to)
    // and its limit on what it loses.
    let points = n.declared.as_ref().or(n.points.as_ref());
    let mut detail = match (points, &n.marker) {
        (Some(p), Some(mk)) => Some(format!("{p} {mk}")),
        (Some(p), None) => Some(p.clone()),
        (None, Some(mk)) => Some(mk.clone()),
        (None, None) => None,
    };
    if let Some(limit) = &n.limit {
        let said = match lang {
            Lang::Zh => format!("最多扣{limit}分"),
            Lang::En => format!("loses at most {limit}"),
        };
        detail = Some(match detail {
            Some(d) => format!("{d} · {said}"),
            None => said,
        });
    }
    let range: SRange = n.range;
    lsp::DocumentSymbol {
        name: format!("{} {}", n.label, n.title),
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: m.range(range),
        selection_range: m.range(n.selection_range),
        children: Some(n.children.iter().map(|c| symbol(m, c, lang)).collect()),
    }
}

/// The path of a `file:` URI (percent-decoded).
fn file_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = rest
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    let path = String::from_utf8(out).ok()?;
    // file:///C:/x on Windows.
    let path = match path.as_bytes() {
        [b'/', _, b':', ..] if cfg!(windows) => path.get(1..).unwrap_or("").to_string(),
        _ => path,
    };
    Some(PathBuf::from(path))
}

/// The `file:` URI of a path, percent-encoded as editors write them.
fn file_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else if b == b':' && cfg!(windows) {
            out.push(':');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_handler_is_answered_with_k0952_and_the_server_goes_on() {
        let mut s = Server::new();
        let ask = |s: &mut Server, id: i32, method: &str| {
            let out = s.handle(Message::Request(Request::new(
                RequestId::from(id),
                method.into(),
                serde_json::json!({"capabilities": {}}),
            )));
            match out.into_iter().next() {
                Some(Message::Response(r)) => r,
                other => panic!("{other:?}"),
            }
        };
        assert!(ask(&mut s, 1, "initialize").response_result.is_ok());
        let r = ask(&mut s, 2, "kaohe/test-panic");
        let e = r.response_result.unwrap_err();
        assert_eq!(e.code, ErrorCode::InternalError as i32);
        assert!(e.message.starts_with("K0952: "), "{}", e.message);
        assert!(
            e.message.contains("缺陷") && e.message.contains("bug"),
            "{}",
            e.message
        );
        assert!(ask(&mut s, 3, "shutdown").response_result.is_ok());
        assert_eq!(s.exited(), None);
    }

    #[test]
    fn file_uris_round_trip_with_chinese_names() {
        let p = Path::new("/tmp/考核 表/a.kh");
        let uri = file_uri(p);
        assert!(uri.starts_with("file:///tmp/%E8%80%83"), "{uri}");
        assert_eq!(file_path(&uri).as_deref(), Some(p));
        assert_eq!(file_path("untitled:1"), None);
    }
}
