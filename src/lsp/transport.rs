//! The protocol's framing over a byte stream: `Content-Length: N`, a blank
//! line, then N bytes of JSON. lsp-server's own reader gives up on the
//! first malformed message (and its serde of ids cannot read numbers with
//! serde_json's `arbitrary_precision`, which kaohe turns on for exact
//! decimals), so messages are read here, as JSON values first, and a
//! malformed one is answered with a JSON-RPC error instead of ending the
//! server.

use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::Value;
use std::io::{self, BufRead, Read, Write};

/// The largest message read (a spec of several megabytes is far below it).
const MAX_MESSAGE: usize = 64 * 1024 * 1024;

/// What the next frame of the stream holds.
#[derive(Debug)]
pub enum Incoming {
    Message(Message),
    /// A response to a request of the server's (registerCapability): not
    /// waited for.
    Response,
    /// A frame that is not a JSON-RPC message: answered with this error.
    Malformed {
        id: Value,
        code: i32,
        message: String,
    },
    /// The stream has ended.
    Eof,
}

pub const PARSE_ERROR: i32 = -32700;
pub const INVALID_REQUEST: i32 = -32600;

/// Read the next frame.
pub fn read(r: &mut impl BufRead) -> io::Result<Incoming> {
    let mut length: Option<usize> = None;
    let mut bad_header = None;
    let mut seen = false;
    loop {
        let mut line = Vec::new();
        if r.read_until(b'\n', &mut line)? == 0 {
            return Ok(Incoming::Eof);
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if seen {
                break;
            }
            continue;
        }
        seen = true;
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = Some(line.to_string()),
                }
            }
        } else {
            bad_header = Some(line.to_string());
        }
    }
    let Some(length) = length else {
        let what = bad_header.unwrap_or_else(|| "no Content-Length header".into());
        return Ok(malformed(
            Value::Null,
            PARSE_ERROR,
            format!("a message without a readable Content-Length header ({what})"),
        ));
    };
    if length > MAX_MESSAGE {
        io::copy(&mut r.take(length as u64), &mut io::sink())?;
        return Ok(malformed(
            Value::Null,
            PARSE_ERROR,
            format!("a message of {length} bytes, more than the {MAX_MESSAGE} read"),
        ));
    }
    let mut body = vec![0; length];
    r.read_exact(&mut body)?;
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return Ok(malformed(
                Value::Null,
                PARSE_ERROR,
                format!("a message that is not JSON ({e})"),
            ));
        }
    };
    Ok(classify(value))
}

fn malformed(id: Value, code: i32, message: String) -> Incoming {
    Incoming::Malformed { id, code, message }
}

/// A JSON value as a request, notification or response.
fn classify(mut value: Value) -> Incoming {
    let Some(object) = value.as_object_mut() else {
        return malformed(
            Value::Null,
            INVALID_REQUEST,
            "a message that is not a JSON object".into(),
        );
    };
    let params = object.remove("params").unwrap_or(Value::Null);
    let id = object.remove("id");
    let method = object
        .get("method")
        .and_then(Value::as_str)
        .map(String::from);
    match (method, id) {
        (Some(method), None) => {
            Incoming::Message(Message::Notification(Notification { method, params }))
        }
        (Some(method), Some(id)) => match request_id(&id) {
            Some(id) => Incoming::Message(Message::Request(Request { id, method, params })),
            None => malformed(
                id,
                INVALID_REQUEST,
                "a request whose id is neither a whole number nor a string".into(),
            ),
        },
        (None, Some(id)) if object.contains_key("result") || object.contains_key("error") => {
            let _ = id;
            Incoming::Response
        }
        (None, id) => malformed(
            id.unwrap_or(Value::Null),
            INVALID_REQUEST,
            "a message without a method".into(),
        ),
    }
}

fn request_id(id: &Value) -> Option<RequestId> {
    match id {
        Value::Number(n) => n
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .map(RequestId::from),
        Value::String(s) => Some(RequestId::from(s.clone())),
        _ => None,
    }
}

/// Write a message, framed.
pub fn write(w: &mut impl Write, message: &Message) -> io::Result<()> {
    message.write(w)
}

/// Write the error answering a malformed frame (its id may be null, which
/// lsp-server's `Response` cannot hold).
pub fn write_error(w: &mut impl Write, id: &Value, code: i32, message: &str) -> io::Result<()> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code, "message": message },
    })
    .to_string();
    write!(w, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    w.flush()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    #[test]
    fn reads_requests_notifications_and_survives_malformed_frames() {
        let mut bytes = frame(r#"{"jsonrpc":"2.0","id":7,"method":"shutdown"}"#);
        bytes.extend(frame("{not json"));
        bytes.extend(frame(r#"{"jsonrpc":"2.0","id":[1],"method":"x"}"#));
        bytes.extend(b"Content-Type: x\r\n\r\n");
        bytes.extend(frame(r#"{"jsonrpc":"2.0","method":"exit"}"#));
        let mut r = io::Cursor::new(bytes);
        match read(&mut r).unwrap() {
            Incoming::Message(Message::Request(q)) => {
                assert_eq!(q.id, RequestId::from(7));
                assert_eq!(q.method, "shutdown");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            read(&mut r).unwrap(),
            Incoming::Malformed {
                code: PARSE_ERROR,
                ..
            }
        ));
        assert!(matches!(
            read(&mut r).unwrap(),
            Incoming::Malformed {
                code: INVALID_REQUEST,
                ..
            }
        ));
        assert!(matches!(
            read(&mut r).unwrap(),
            Incoming::Malformed {
                code: PARSE_ERROR,
                ..
            }
        ));
        assert!(matches!(
            read(&mut r).unwrap(),
            Incoming::Message(Message::Notification(_))
        ));
        assert!(matches!(read(&mut r).unwrap(), Incoming::Eof));
    }
}
