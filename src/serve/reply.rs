//! The workbench's refusals: a status and a coded diagnostic, answered as
//! JSON in both languages (`{"error": {…zh}, "error_en": {…en}}`, each
//! object as `kaohe check --format json` prints a diagnostic), and every
//! diagnostic of the workbench, one function each, ordered by code.

use crate::diagnostic::{Code, Diagnostic, Lang, render};
use crate::t;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A request refused: its status, what went wrong and what to do, and
/// what else the answer carries (the disk's version of a conflict, the
/// diagnostics of a spec with errors).
#[derive(Debug)]
pub(crate) struct Refused {
    pub status: StatusCode,
    /// Boxed: a refusal is returned by value through every handler.
    pub diagnostic: Box<Diagnostic>,
    pub extra: Vec<(&'static str, Value)>,
}

impl Refused {
    pub fn new(status: StatusCode, diagnostic: Diagnostic) -> Refused {
        Refused {
            status,
            diagnostic: Box::new(diagnostic),
            extra: Vec::new(),
        }
    }

    pub fn with(mut self, key: &'static str, value: Value) -> Refused {
        self.extra.push((key, value));
        self
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let mut body = json!({
            "error": render::to_json(&self.diagnostic, None, Lang::Zh),
            "error_en": render::to_json(&self.diagnostic, None, Lang::En),
        });
        if let Some(map) = body.as_object_mut() {
            for (key, value) in self.extra {
                map.insert(key.to_string(), value);
            }
        }
        (self.status, Json(body)).into_response()
    }
}

/// An unknown address.
pub(crate) async fn not_found(uri: axum::http::Uri) -> Refused {
    let path = uri.path().to_string();
    Refused::new(
        StatusCode::NOT_FOUND,
        Diagnostic::new(
            Code::ServeNotFound,
            t!(
                "the workbench has no page or call at {path}",
                "工作台没有 {path} 这个页面或接口"
            ),
        )
        .with_help(t!(
            "open the workbench's first page, /, or see docs/serve.md for its calls",
            "请打开工作台首页 /，或查阅 docs/serve.md 中的接口说明"
        )),
    )
}

/// The workspace folder given to `kaohe serve` is not a folder.
pub(crate) fn no_workspace(shown: &str) -> Diagnostic {
    Diagnostic::new(
        Code::Io,
        t!(
            "{shown} is not a folder kaohe can open as the workspace",
            "{shown} 不是 kaohe 可以打开作为工作区的文件夹"
        ),
    )
    .with_help(t!(
        "name the folder that holds your specs and data, e.g. `kaohe serve examples/liucheng-2024`",
        "请指定存放规则文件和数据的文件夹，如 `kaohe serve examples/liucheng-2024`"
    ))
}

/// K0930: a path outside the workspace.
pub(crate) fn outside(path: &str) -> Refused {
    Refused::new(
        StatusCode::FORBIDDEN,
        Diagnostic::new(
            Code::ServeOutside,
            t!(
                "{path} is not a file of the workspace: the workbench opens and saves only files inside the folder it was started in",
                "{path} 不是工作区中的文件：工作台只打开和保存启动时所在文件夹内的文件"
            ),
        )
        .with_help(t!(
            "name the file by its place in the workspace, e.g. `specs/table.kh` (no `..`, no path from the root, no hidden folder, no link that leads out)",
            "请按文件在工作区中的位置指定，如 `specs/table.kh`（不能含 `..`、不能从根目录写起、不能是隐藏文件夹，也不能是指向工作区外的链接）"
        )),
    )
}

/// K0931: no such file.
pub(crate) fn no_file(path: &str) -> Refused {
    Refused::new(
        StatusCode::NOT_FOUND,
        Diagnostic::new(
            Code::ServeNotFound,
            t!(
                "{path} does not exist in the workspace",
                "工作区中没有 {path}"
            ),
        )
        .with_help(t!(
            "choose a file from the list of the workspace's files, or save a new one first",
            "请从工作区的文件列表中选择文件，或先保存一个新文件"
        )),
    )
}

/// K0931: no such saved version.
pub(crate) fn no_version(path: &str, id: &str) -> Refused {
    Refused::new(
        StatusCode::NOT_FOUND,
        Diagnostic::new(
            Code::ServeNotFound,
            t!(
                "{path} has no earlier version {id}",
                "{path} 没有编号为 {id} 的历史版本"
            ),
        )
        .with_help(t!(
            "choose a version from the file's history list",
            "请从该文件的历史版本列表中选择"
        )),
    )
}

/// K0932: the file changed on disk since the version the save was based on.
pub(crate) fn conflict(path: &str) -> Refused {
    Refused::new(
        StatusCode::CONFLICT,
        Diagnostic::new(
            Code::ServeConflict,
            t!(
                "{path} was changed on disk (in another tab or program) after you opened it: your text was not saved, so that neither is lost",
                "{path} 在您打开后已被修改（在另一个标签页或程序中）：为了两边的内容都不丢失，您的文本没有保存"
            ),
        )
        .with_help(t!(
            "compare your text with the file's text now, merge them, then save again",
            "请对比您的文本和文件当前的文本，合并后再保存"
        )),
    )
}

/// K0933: a body over the limit.
pub(crate) fn too_large() -> Refused {
    let mib = super::UPLOAD_LIMIT / (1024 * 1024);
    Refused::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        Diagnostic::new(
            Code::ServeTooLarge,
            t!(
                "the upload is larger than the workbench accepts ({mib} MiB)",
                "上传的内容超过了工作台接受的大小（{mib} MiB）"
            ),
        )
        .with_help(t!(
            "split the data into several files, or score it with `kaohe eval` on the command line",
            "请把数据拆成几个文件，或在命令行用 `kaohe eval` 计分"
        )),
    )
}

/// K0934: a state-changing call without the header, or from another site.
pub(crate) fn forbidden(why: crate::diagnostic::Text) -> Refused {
    Refused::new(
        StatusCode::FORBIDDEN,
        Diagnostic::new(Code::ServeForbidden, why).with_help(t!(
            "use the workbench's own page; a program calling the API sends the header `X-Kaohe: 1` and no other site's Origin",
            "请使用工作台自己的页面；调用接口的程序须带请求头 `X-Kaohe: 1`，且不能来自其他网站"
        )),
    )
}

/// K0935: no token, or the wrong one.
pub(crate) fn unauthorized() -> Refused {
    Refused::new(
        StatusCode::UNAUTHORIZED,
        Diagnostic::new(
            Code::ServeUnauthorized,
            t!(
                "this workbench asks for its token, and the request did not carry it",
                "此工作台需要访问令牌，而请求中没有带上正确的令牌"
            ),
        )
        .with_help(t!(
            "open the address `kaohe serve` printed, with its `?token=…`; a program sends `Authorization: Bearer <token>`",
            "请打开 `kaohe serve` 打印出的地址（含 `?token=…`）；程序调用时请带 `Authorization: Bearer <令牌>`"
        )),
    )
}

/// K0936: a request the workbench cannot read.
pub(crate) fn bad_request(why: &str) -> Refused {
    Refused::new(
        StatusCode::BAD_REQUEST,
        Diagnostic::new(
            Code::ServeBadRequest,
            t!(
                "the workbench cannot read the request: {why}",
                "工作台无法读取该请求：{why}"
            ),
        )
        .with_help(t!(
            "send the fields docs/serve.md lists for this call, as JSON",
            "请按 docs/serve.md 中该接口列出的字段，以 JSON 发送"
        )),
    )
}

/// K0937: a file of a kind not opened or saved here.
pub(crate) fn file_kind(path: &str) -> Refused {
    Refused::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Diagnostic::new(
            Code::ServeFileKind,
            t!(
                "{path} is not a file the workbench edits: it opens specs (.kh) and text data (.json, .jsonl, .csv)",
                "工作台不编辑 {path} 这种文件：它只打开规则文件（.kh）和文本数据（.json、.jsonl、.csv）"
            ),
        )
        .with_help(t!(
            "upload a workbook (.xlsx) to score it instead, or name a .kh file",
            "工作簿（.xlsx）请通过上传来计分，或请指定 .kh 文件"
        )),
    )
}

/// K0902 as the workbench answers it: a file that is not UTF-8 (`bytes`),
/// told as the CLI tells it.
pub(crate) fn not_utf8(path: &str, bytes: &[u8]) -> Refused {
    Refused::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        crate::diagnostic::not_utf8(path, bytes),
    )
}

/// K0901 as the workbench answers it: the system refused.
pub(crate) fn io(path: &str, e: &std::io::Error) -> Refused {
    Refused::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        crate::output::file::FileError::Io(std::io::Error::new(e.kind(), e.to_string()))
            .to_diagnostic(path),
    )
}

/// A file the atomic writer refused (read-only, a folder, the system).
pub(crate) fn write_failed(path: &str, e: &crate::output::file::FileError) -> Refused {
    let status = match e {
        crate::output::file::FileError::Io(_) => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::CONFLICT,
    };
    Refused::new(status, e.to_diagnostic(path))
}

/// K0938: the address cannot be listened at.
pub(crate) fn cannot_bind(addr: &std::net::SocketAddr, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Code::ServeBind,
        t!(
            "the workbench cannot listen at {addr}: {e}",
            "工作台无法在 {addr} 上监听：{e}"
        ),
    )
    .with_help(t!(
        "choose another port with --port (or --port 0 for any free one), or stop the program using this one",
        "请用 --port 换一个端口（--port 0 表示任选空闲端口），或关闭占用该端口的程序"
    ))
}

/// K0939: a job asked of a spec with errors; the diagnostics go with it.
pub(crate) fn spec_errors(name: &str, n: usize) -> Refused {
    Refused::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        Diagnostic::new(
            Code::ServeSpecErrors,
            t!(
                "{name} has {n} error(s): nothing is scored or rendered from a spec with errors",
                "{name} 有 {n} 处错误：有错误的规则文件不能计分或生成表格"
            ),
        )
        .with_help(t!(
            "correct the errors listed (the editor marks them), then try again",
            "请改正所列的错误（编辑器中已标出）后再试"
        )),
    )
}

/// K0940: a CSV template of several files, which one download cannot be.
pub(crate) fn template_files(n: usize) -> Refused {
    Refused::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        Diagnostic::new(
            Code::ServeTemplateFiles,
            t!(
                "this spec's CSV template is {n} files (the main table and a file per list input), which one download cannot hold",
                "此规则文件的 CSV 模板由 {n} 个文件组成（主表和每个列表输入各一个文件），无法作为一个文件下载"
            ),
        )
        .with_help(t!(
            "download the xlsx template (one workbook with a sheet per list), or run `kaohe template SPEC --format csv -o FILE`",
            "请下载 xlsx 模板（一个工作簿，每个列表一张工作表），或运行 `kaohe template 规则文件 --format csv -o 文件`"
        )),
    )
}

/// K0941: a request whose work panicked (a bug of kaohe's own); the
/// server goes on answering the others.
pub(crate) fn bug() -> Refused {
    Refused::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        Diagnostic::new(
            Code::ServeBug,
            t!(
                "the workbench stopped this request because of a bug of its own, not because of your files; nothing was written",
                "工作台因自身的缺陷停止了此请求，并非您的文件有误；没有写入任何内容"
            ),
        )
        .with_help(t!(
            "please report this to the kaohe maintainers with the spec and data you used; your other work in the workbench is unaffected",
            "请将所用的规则文件和数据报告给 kaohe 维护者；您在工作台中的其他工作不受影响"
        )),
    )
}

/// Run `f` on the blocking pool: a panic in it becomes K0941, never a
/// dropped connection.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Refused> + Send + 'static,
) -> Result<T, Refused> {
    match tokio::task::spawn_blocking(f).await {
        Ok(answer) => answer,
        Err(_) => Err(bug()),
    }
}

/// K0939 for data: a report asked of data with errors, which `kaohe eval
/// -o` would not write either; the problems go with it.
pub(crate) fn data_errors(name: &str, n: usize) -> Refused {
    Refused::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        Diagnostic::new(
            Code::ServeSpecErrors,
            t!(
                "{name} has {n} error(s): a report file is made only when every entity is valid, as `kaohe eval -o` does",
                "{name} 有 {n} 处错误：与 `kaohe eval -o` 一样，只有全部数据有效时才生成报告文件"
            ),
        )
        .with_help(t!(
            "correct the data where the problems listed say (file, sheet, row, column), then upload it again",
            "请按所列问题（文件、工作表、行、列）改正数据后重新上传"
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_a_request_is_k0941_and_the_server_goes_on() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_io()
            .build()
            .unwrap();
        let refused = rt.block_on(blocking::<()>(|| panic!("a bug"))).unwrap_err();
        assert_eq!(refused.diagnostic.code, Code::ServeBug);
        assert_eq!(refused.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(rt.block_on(blocking(|| Ok(1))).unwrap(), 1);
    }
}
