//! The workspace's files: listed, read with their version (a hash of the
//! content), saved only over the version the text was based on (else 409
//! with the disk's text, so neither is lost), written whole by the one
//! atomic writer (`output::file`), and each replaced text kept first in
//! `.kaohe/history/<file>/<id>`, to be listed and restored. Every path is
//! read relative to the workspace and must stay in it: no `..`, no path
//! from the root, no hidden part, and, canonicalised, inside the
//! workspace (so no link leads out).

use super::State;
use super::reply::{self, Refused};
use crate::output::file;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Query, State as With};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// The folder (in the workspace) where replaced versions are kept.
const HISTORY: &str = ".kaohe/history";

/// How many files a listing shows at most, and how deep it looks.
const MAX_FILES: usize = 5_000;
const MAX_DEPTH: usize = 8;

/// A file's version: the first 128 bits of its SHA-256, in hex.
pub(crate) fn version(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What a file is to the workbench, by its name.
fn kind(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    if lower.ends_with(".kh") {
        Some("spec")
    } else if lower.ends_with(".tests.json") {
        Some("tests")
    } else if [".json", ".jsonl", ".csv", ".xlsx"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        Some("data")
    } else {
        None
    }
}

/// Whether the workbench opens and saves a file of this name as text.
fn editable(name: &str) -> bool {
    let lower = name.to_lowercase();
    [".kh", ".json", ".jsonl", ".csv"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// The place of `rel` in the workspace, refused unless it stays inside.
/// The file itself need not exist; its folder must.
pub(crate) fn resolve(root: &Path, rel: &str) -> Result<PathBuf, Refused> {
    let path = Path::new(rel);
    let plain = !rel.is_empty()
        && !rel.contains('\\')
        && !rel.contains('\0')
        && path.components().all(|c| match c {
            Component::Normal(part) => !part.to_string_lossy().starts_with('.'),
            _ => false,
        });
    if !plain {
        return Err(reply::outside(rel));
    }
    let joined = root.join(path);
    // A link is followed to where it leads, which must be inside too.
    let real = match std::fs::canonicalize(&joined) {
        Ok(real) => real,
        Err(_) => {
            let (Some(parent), Some(name)) = (joined.parent(), joined.file_name()) else {
                return Err(reply::outside(rel));
            };
            if std::fs::symlink_metadata(&joined).is_ok() {
                // A link that leads nowhere.
                return Err(reply::outside(rel));
            }
            match std::fs::canonicalize(parent) {
                Ok(p) => p.join(name),
                Err(_) => return Err(reply::no_file(rel)),
            }
        }
    };
    if real.starts_with(root) {
        Ok(real)
    } else {
        Err(reply::outside(rel))
    }
}

#[derive(Deserialize)]
pub(crate) struct At {
    path: String,
}

/// GET /api/files: the workspace's specs, test files and data.
pub(crate) async fn list(With(state): With<Arc<State>>) -> Json<Value> {
    let mut found = Vec::new();
    walk(&state.root, &state.root, 0, &mut found);
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let files: Vec<Value> = found
        .into_iter()
        .map(|(path, kind, size)| json!({"path": path, "kind": kind, "size": size}))
        .collect();
    Json(json!({ "files": files }))
}

fn walk(root: &Path, dir: &Path, depth: usize, found: &mut Vec<(String, &'static str, u64)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if found.len() >= MAX_FILES {
            return;
        }
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        // Links are listed only when they stay inside.
        let Ok(real) = std::fs::canonicalize(&path) else {
            continue;
        };
        if !real.starts_with(root) {
            continue;
        }
        let Ok(meta) = std::fs::metadata(&real) else {
            continue;
        };
        if meta.is_dir() {
            if depth < MAX_DEPTH && name != "target" {
                walk(root, &path, depth + 1, found);
            }
        } else if let (Some(kind), Ok(rel)) = (kind(&name), path.strip_prefix(root)) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            found.push((rel, kind, meta.len()));
        }
    }
}

/// GET /api/file?path=P: the text and its version.
pub(crate) async fn read(
    With(state): With<Arc<State>>,
    at: Result<Query<At>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, Refused> {
    let Query(at) = at.map_err(|e| reply::bad_request(&e.body_text()))?;
    let (_, text) = read_text(&state.root, &at.path)?;
    let Some(text) = text else {
        return Err(reply::no_file(&at.path));
    };
    Ok(Json(json!({
        "path": at.path,
        "kind": kind(&at.path),
        "version": version(text.as_bytes()),
        "text": text,
    })))
}

/// The file at `rel` as text, `None` when it does not exist yet.
fn read_text(root: &Path, rel: &str) -> Result<(PathBuf, Option<String>), Refused> {
    let real = resolve(root, rel)?;
    if !editable(rel) || real.is_dir() {
        return Err(reply::file_kind(rel));
    }
    match std::fs::read(&real) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok((real, Some(text))),
            Err(e) => Err(reply::not_utf8(rel, e.as_bytes())),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((real, None)),
        Err(e) => Err(reply::io(rel, &e)),
    }
}

#[derive(Deserialize)]
pub(crate) struct Save {
    text: String,
    /// The version the text was based on; `null` for a new file.
    base: Option<String>,
}

/// PUT /api/file?path=P with `{"text", "base"}`: saved if the file on
/// disk is still `base`; the text it replaces goes to the history first.
pub(crate) async fn save(
    With(state): With<Arc<State>>,
    at: Result<Query<At>, axum::extract::rejection::QueryRejection>,
    body: Result<Json<Save>, JsonRejection>,
) -> Result<Json<Value>, Refused> {
    let Query(at) = at.map_err(|e| reply::bad_request(&e.body_text()))?;
    let Json(save) = body.map_err(|e| body_refused(&e))?;
    let saved = replace(&state, &at.path, &save.text, save.base.as_deref())?;
    Ok(Json(json!({ "path": at.path, "version": saved })))
}

/// A JSON body the workbench cannot take: too large, or not the fields asked.
pub(crate) fn body_refused(e: &JsonRejection) -> Refused {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        reply::too_large()
    } else {
        reply::bad_request(&e.body_text())
    }
}

/// Write `text` to `rel` if the disk still holds `base`, keeping what it
/// replaces in the history; the new version.
fn replace(state: &State, rel: &str, text: &str, base: Option<&str>) -> Result<String, Refused> {
    // One save at a time: the version compared is the version replaced.
    let _one = state.saving.lock().unwrap_or_else(|p| p.into_inner());
    let (real, disk) = read_text(&state.root, rel)?;
    let disk_version = disk.as_deref().map(|d| version(d.as_bytes()));
    if disk_version.as_deref() != base {
        let disk_json = match &disk {
            Some(d) => json!({"text": d, "version": disk_version}),
            None => Value::Null,
        };
        return Err(reply::conflict(rel)
            .with("conflict", json!({"disk": disk_json, "yours": {"version": version(text.as_bytes()), "base": base}})));
    }
    let new = version(text.as_bytes());
    if disk_version.as_deref() == Some(new.as_str()) {
        return Ok(new);
    }
    if let Some(old) = &disk {
        keep(&state.root, rel, old)?;
    }
    file::write(&real, text.as_bytes()).map_err(|e| reply::write_failed(rel, &e))?;
    Ok(new)
}

/// Keep a text about to be replaced in the history folder.
fn keep(root: &Path, rel: &str, text: &str) -> Result<(), Refused> {
    let dir = root.join(HISTORY).join(rel);
    std::fs::create_dir_all(&dir).map_err(|e| reply::io(rel, &e))?;
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let v = version(text.as_bytes());
    let short = v.get(..8).unwrap_or(&v);
    let ext = Path::new(rel)
        .extension()
        .map(|e| e.to_string_lossy().to_string())
        .unwrap_or_default();
    let path = dir.join(format!("{ms:013}-{short}.{ext}"));
    file::write(&path, text.as_bytes()).map_err(|e| reply::write_failed(rel, &e))
}

/// GET /api/history?path=P: the kept versions, newest first.
pub(crate) async fn history(
    With(state): With<Arc<State>>,
    at: Result<Query<At>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, Refused> {
    let Query(at) = at.map_err(|e| reply::bad_request(&e.body_text()))?;
    resolve(&state.root, &at.path)?;
    let dir = state.root.join(HISTORY).join(&at.path);
    let mut versions: Vec<(String, u64)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().to_string();
                    let size = e.metadata().ok()?.len();
                    (!name.starts_with('.')).then_some((name, size))
                })
                .collect()
        })
        .unwrap_or_default();
    versions.sort_by(|a, b| b.0.cmp(&a.0));
    let list: Vec<Value> = versions
        .into_iter()
        .map(|(id, size)| {
            let ms: u64 = id
                .split('-')
                .next()
                .and_then(|m| m.parse().ok())
                .unwrap_or(0);
            json!({"id": id, "saved_ms": ms, "size": size})
        })
        .collect();
    Ok(Json(json!({"path": at.path, "versions": list})))
}

#[derive(Deserialize)]
pub(crate) struct Kept {
    path: String,
    id: String,
}

/// The text of a kept version, its id checked to be a plain name.
pub(crate) fn kept_text(root: &Path, rel: &str, id: &str) -> Result<String, Refused> {
    resolve(root, rel)?;
    let plain = !id.is_empty()
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    if !plain {
        return Err(reply::no_version(rel, id));
    }
    let path = root.join(HISTORY).join(rel).join(id);
    match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|e| reply::not_utf8(rel, e.as_bytes())),
        Err(_) => Err(reply::no_version(rel, id)),
    }
}

/// GET /api/history/text?path=P&id=ID: a kept version's text.
pub(crate) async fn history_text(
    With(state): With<Arc<State>>,
    at: Result<Query<Kept>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, Refused> {
    let Query(at) = at.map_err(|e| reply::bad_request(&e.body_text()))?;
    let text = kept_text(&state.root, &at.path, &at.id)?;
    Ok(Json(
        json!({"path": at.path, "id": at.id, "version": version(text.as_bytes()), "text": text}),
    ))
}

#[derive(Deserialize)]
pub(crate) struct Restore {
    path: String,
    id: String,
    base: Option<String>,
}

/// POST /api/history/restore with `{"path", "id", "base"}`: the kept
/// version saved as the file (the text it replaces kept in turn).
pub(crate) async fn restore(
    With(state): With<Arc<State>>,
    body: Result<Json<Restore>, JsonRejection>,
) -> Result<Json<Value>, Refused> {
    let Json(r) = body.map_err(|e| body_refused(&e))?;
    let text = kept_text(&state.root, &r.path, &r.id)?;
    let saved = replace(&state, &r.path, &text, r.base.as_deref())?;
    Ok(Json(
        json!({"path": r.path, "version": saved, "text": text}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_workspace_are_refused() {
        let dir = std::env::temp_dir().join(format!("kaohe-ws-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("a")).unwrap();
        let root = std::fs::canonicalize(&dir).unwrap();
        for bad in [
            "../x.kh",
            "/etc/passwd",
            "a/../../x.kh",
            ".kaohe/history/x",
            "",
            "a\\..\\x.kh",
            "./a.kh",
        ] {
            let r = resolve(&root, bad);
            assert!(r.is_err(), "{bad}");
        }
        assert_eq!(resolve(&root, "a/new.kh").unwrap(), root.join("a/new.kh"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc", root.join("out")).unwrap();
            assert!(resolve(&root, "out/passwd").is_err());
            std::os::unix::fs::symlink("/nowhere/x.kh", root.join("dangling.kh")).unwrap();
            assert!(resolve(&root, "dangling.kh").is_err());
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
