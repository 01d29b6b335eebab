//! What the workbench keeps for a while under an id — the uploads scored
//! (`kept`), the texts being edited (`drafts`): bounded in count and in
//! size, each kept for a time after it was last used, the least recently
//! used going first to make room (the newest is kept whatever its size).

use super::reply::Refused;
use axum::http::StatusCode;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How much a store keeps: at most `count` values and `size` in all (in
/// the unit its caller measures), each for `time` after it was last used.
pub(super) struct Bounds {
    pub count: usize,
    pub size: usize,
    pub time: Duration,
}

struct Entry<T> {
    id: String,
    used: Instant,
    size: usize,
    value: Arc<T>,
}

/// The values kept, least recently used first.
pub(super) struct Store<T> {
    entries: Mutex<Vec<Entry<T>>>,
}

impl<T> Default for Store<T> {
    fn default() -> Self {
        Store {
            entries: Mutex::new(Vec::new()),
        }
    }
}

impl<T> Store<T> {
    fn entries(&self, bounds: &Bounds) -> MutexGuard<'_, Vec<Entry<T>>> {
        // Each change below is one push or remove: a list left by a panic
        // elsewhere while holding the lock is still whole.
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        entries.retain(|e| now.duration_since(e.used) < bounds.time);
        entries
    }

    /// Keep `value`, of `size`; its new id. The oldest go to make room.
    pub(super) fn put(&self, value: T, size: usize, bounds: &Bounds) -> Result<String, Refused> {
        let id = super::guard::new_token()
            .map_err(|d| Refused::new(StatusCode::INTERNAL_SERVER_ERROR, d))?;
        let mut entries = self.entries(bounds);
        while !entries.is_empty()
            && (entries.len() >= bounds.count
                || entries.iter().map(|e| e.size).sum::<usize>() + size > bounds.size)
        {
            entries.remove(0);
        }
        entries.push(Entry {
            id: id.clone(),
            used: Instant::now(),
            size,
            value: Arc::new(value),
        });
        Ok(id)
    }

    /// The value `id`, now the most recently used; `None` when it is no
    /// longer kept (or never was).
    pub(super) fn get(&self, id: &str, bounds: &Bounds) -> Option<Arc<T>> {
        let mut entries = self.entries(bounds);
        let at = entries.iter().position(|e| e.id == id)?;
        let mut entry = entries.remove(at);
        entry.used = Instant::now();
        let value = entry.value.clone();
        entries.push(entry);
        Some(value)
    }

    /// How many values are kept (for tests).
    #[cfg(test)]
    pub(super) fn len(&self, bounds: &Bounds) -> usize {
        self.entries(bounds).len()
    }
}
