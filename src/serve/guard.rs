//! What every request passes before it is answered: the token (when the
//! workbench has one), the Host (a name that resolves to this machine
//! only, against DNS rebinding, when bound to loopback), the header
//! `X-Kaohe: 1` and no other site's Origin on every call that changes
//! anything (a page of another site cannot send a custom header without a
//! preflight, which the workbench never grants), and the headers of every
//! answer: a Content-Security-Policy allowing no inline script and nothing
//! from elsewhere, no sniffing, no referrer, no framing.

use super::State;
use super::reply::{self, Refused};
use crate::diagnostic::{Code, Diagnostic};
use crate::t;
use axum::extract::{Request, State as With};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The page's policy: its own scripts and styles only (the rendered table,
/// shown in a sandboxed frame without scripts, brings its style inline).
pub(crate) const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data: blob:; connect-src 'self'; frame-src 'self' blob:; base-uri 'none'; \
     form-action 'none'; frame-ancestors 'none'";

/// The cookie a page opened with `?token=` keeps the token in.
const COOKIE: &str = "kaohe_token";

pub(crate) async fn guard(With(state): With<Arc<State>>, request: Request, next: Next) -> Response {
    if let Err(refused) = allowed(&state, &request) {
        return secured(refused.into_response());
    }
    let from_query = state
        .token
        .as_deref()
        .filter(|t| query_token(request.uri().query()).is_some_and(|q| same(q, t)))
        .map(str::to_string);
    let mut response = next.run(request).await;
    if let Some(token) = from_query {
        let cookie = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    secured(response)
}

fn allowed(state: &State, request: &Request) -> Result<(), Refused> {
    let headers = request.headers();
    if let Some(token) = &state.token {
        let given = bearer(headers)
            .or_else(|| cookie(headers))
            .or_else(|| query_token(request.uri().query()));
        if !given.is_some_and(|g| same(g, token)) {
            return Err(reply::unauthorized());
        }
    }
    if state.loopback && !local_host(headers, state.port) {
        return Err(reply::forbidden(t!(
            "the request names this machine by another name than localhost or its address",
            "请求中对本机使用了 localhost 或本机地址以外的名字"
        )));
    }
    let changes = !matches!(*request.method(), Method::GET | Method::HEAD);
    if changes {
        let marked = headers.get("x-kaohe").is_some_and(|v| v.as_bytes() == b"1");
        if !marked {
            return Err(reply::forbidden(t!(
                "a call that changes or computes something came without the header `X-Kaohe: 1`",
                "修改或计算的请求未带请求头 `X-Kaohe: 1`"
            )));
        }
        if let Some(origin) = headers.get(header::ORIGIN) {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("");
            if origin.to_str().ok() != Some(format!("http://{host}").as_str()) {
                return Err(reply::forbidden(t!(
                    "the call came from a page of another site",
                    "该请求来自其他网站的页面"
                )));
            }
        }
    }
    Ok(())
}

/// Whether the Host header names this machine: localhost, 127.0.0.1 or
/// [::1], at the port listened on.
fn local_host(headers: &HeaderMap, port: u16) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let name = host
        .strip_suffix(&format!(":{port}"))
        .unwrap_or(host)
        .to_ascii_lowercase();
    matches!(name.as_str(), "localhost" | "127.0.0.1" | "[::1]")
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

fn cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| kv.trim().strip_prefix(COOKIE)?.strip_prefix('='))
}

fn query_token(query: Option<&str>) -> Option<&str> {
    query?.split('&').find_map(|kv| kv.strip_prefix("token="))
}

/// Compare in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The headers of every answer.
fn secured(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A token of 128 random bits, as 32 hexadecimal digits.
pub(crate) fn new_token() -> Result<String, Diagnostic> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| {
        let e = e.to_string();
        Diagnostic::new(
            Code::Io,
            t!(
                "no random token can be made for the workbench: {e}",
                "无法为工作台生成随机令牌：{e}"
            ),
        )
        .with_help(t!(
            "give a token of your own with --token",
            "请用 --token 自行指定令牌"
        ))
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole_and_are_read_from_three_places() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
        assert_eq!(query_token(Some("a=1&token=xyz")), Some("xyz"));
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("x=1; kaohe_token=t1"),
        );
        assert_eq!(cookie(&h), Some("t1"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer t2"));
        assert_eq!(bearer(&h), Some("t2"));
        assert_eq!(new_token().unwrap().len(), 32);
    }

    #[test]
    fn only_local_names_pass_on_loopback() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(local_host(&h, 8080));
        h.insert(header::HOST, HeaderValue::from_static("evil.example:8080"));
        assert!(!local_host(&h, 8080));
        h.insert(header::HOST, HeaderValue::from_static("localhost:8080"));
        assert!(local_host(&h, 8080));
    }
}
