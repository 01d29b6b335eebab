//! The page, embedded in the binary: nothing is read from disk or from
//! the internet to show it. All script is in `app.js` (the policy allows
//! no inline script); every text from a spec or data is put in the page
//! as text (`textContent`), never as markup.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

const INDEX: &[u8] = include_bytes!("page/index.html");
const APP_JS: &[u8] = include_bytes!("page/app.js");
const APP_CSS: &[u8] = include_bytes!("page/app.css");
// The editor: CodeMirror 6, bundled by page/vendor/build.sh from pinned npm
// packages (their licences in page/vendor/LICENSES.txt, served too), and
// the page's script that sets it up (highlighting, diagnostics, hover,
// completion, format, rename, quick fixes, other tabs' saves).
const CODEMIRROR_JS: &[u8] = include_bytes!("page/vendor/codemirror.js");
const CODEMIRROR_LICENSES: &[u8] = include_bytes!("page/vendor/LICENSES.txt");
const EDITOR_JS: &[u8] = include_bytes!("page/editor.js");
// The results, charts, tests and comparison (results.js).
const RESULTS_JS: &[u8] = include_bytes!("page/results.js");
const RESULTS_CSS: &[u8] = include_bytes!("page/results.css");

pub(crate) async fn index() -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], INDEX).into_response()
}

pub(crate) async fn asset(Path(name): Path<String>) -> Response {
    match name.as_str() {
        "app.js" => (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
            APP_JS,
        )
            .into_response(),
        "codemirror.js" => (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
            CODEMIRROR_JS,
        )
            .into_response(),
        "codemirror-licenses.txt" => (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            CODEMIRROR_LICENSES,
        )
            .into_response(),
        "editor.js" => (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
            EDITOR_JS,
        )
            .into_response(),
        "app.css" => ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], APP_CSS).into_response(),
        "results.js" => (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
            RESULTS_JS,
        )
            .into_response(),
        "results.css" => (
            [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
            RESULTS_CSS,
        )
            .into_response(),
        _ => super::reply::not_found(axum::http::Uri::from_static("/assets/"))
            .await
            .into_response(),
    }
}
