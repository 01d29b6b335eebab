//! Uploads scored and kept for a while (docs/serve.md, “Large uploads”):
//! `/api/eval` answers with what the ranking shows of each entity (id,
//! total, rank, result, named results, veto) and the id of a result kept
//! here: the spec's program as it was when the data was scored, the
//! entities read from the upload and their places. A unit's page asks
//! `/api/unit` for one entity, scored again with its explanation lines
//! (the same function, the same program: the same lines), and the roll-up,
//! the charts and the report files ask by the result's id instead of
//! sending the data again.
//!
//! Bounded: at most [`KEPT_RESULTS`] results and [`KEPT_ENTITIES`]
//! entities in all, each for [`KEPT_FOR`] after it was last asked for; the
//! least recently asked goes first. A result no longer kept is K0942: the
//! page asks the user to upload the data again.

use super::lru;
use super::reply::Refused;
use crate::data::Entity;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::{self, Outcome};
use crate::ir::Program;
use crate::report::derived::TopPlace;
use crate::t;
use axum::http::StatusCode;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// How long a result is kept after it was last asked for.
pub(super) const KEPT_FOR: Duration = Duration::from_secs(60 * 60);
/// How many results are kept at most.
pub(super) const KEPT_RESULTS: usize = 16;
/// How many entities all the results kept hold at most (the newest result
/// is kept whatever its size: an upload is at most 32 MiB).
pub(super) const KEPT_ENTITIES: usize = 200_000;

/// An upload scored: what is needed to score any of its entities again as
/// it was scored, and to refuse a report as the upload was refused.
pub(super) struct Kept {
    /// The spec's program when the data was scored.
    pub program: Program,
    /// The upload's name, for messages.
    pub name: String,
    /// The entities scored, in the upload's order.
    pub entities: Vec<Entity>,
    /// Each entity's competition rank by total, by position.
    pub ranks: Vec<usize>,
    /// Each entity's place for the results by rank (`top`), by position.
    pub places: Vec<TopPlace>,
    /// Whether every entity was valid (a report file is made only then).
    pub valid: bool,
    /// How many errors, and the problems as the eval answer listed them.
    pub errors: usize,
    pub problems: Vec<Value>,
    /// The version of the spec scored (`drafts::Scored`): the program
    /// above is that text's, whatever was saved or typed since.
    pub spec: super::drafts::Version,
}

impl Kept {
    /// Every entity scored again; `explain` records the explanation lines.
    pub(super) fn rescored(&self, explain: bool) -> Result<Vec<Outcome<'_>>, Refused> {
        (self.entities.iter())
            .map(|e| {
                eval::evaluate_with(&self.program, e, explain).map_err(|err| {
                    Refused::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        err.to_diagnostic(&e.id).in_file(&self.name),
                    )
                })
            })
            .collect()
    }

    /// Refused as a report of the upload is: K0939 with its problems.
    pub(super) fn valid_or_refused(&self) -> Result<(), Refused> {
        if self.valid {
            return Ok(());
        }
        Err(super::reply::data_errors(&self.name, self.errors)
            .with("diagnostics", Value::Array(self.problems.clone())))
    }
}

const BOUNDS: lru::Bounds = lru::Bounds {
    count: KEPT_RESULTS,
    size: KEPT_ENTITIES,
    time: KEPT_FOR,
};

/// The results kept, bounded in count and in entities.
#[derive(Default)]
pub(super) struct Store(lru::Store<Kept>);

impl Store {
    /// Keep `kept`; its id. The oldest results go to make room.
    pub(super) fn put(&self, kept: Kept) -> Result<String, Refused> {
        let size = kept.entities.len();
        self.0.put(kept, size, &BOUNDS)
    }

    /// The result `id`, now the most recently asked; K0942 when it is no
    /// longer kept.
    pub(super) fn get(&self, id: &str) -> Result<Arc<Kept>, Refused> {
        self.0.get(id, &BOUNDS).ok_or_else(gone)
    }

    /// How many results are kept (for tests).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.0.len(&BOUNDS)
    }
}

/// K0942: a result no longer kept (or never made).
pub(super) fn gone() -> Refused {
    let n = KEPT_RESULTS;
    let minutes = KEPT_FOR.as_secs() / 60;
    Refused::new(
        StatusCode::GONE,
        Diagnostic::new(
            Code::ServeResultGone,
            t!(
                "these scores are no longer kept by the workbench: it keeps the last {n} uploads, each for {minutes} minutes after it was last looked at",
                "工作台已不再保留这些计分结果：工作台只保留最近 {n} 次上传，每次在最后一次查看后保留 {minutes} 分钟"
            ),
        )
        .with_help(t!(
            "upload the data file(s) again under 计分 / Scores: they are scored anew",
            "请在“计分”中重新上传数据文件，将重新计分"
        )),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    fn kept(n: usize) -> Kept {
        let program = crate::service::Analysis::new(include_str!("../../specs/liucheng-2024.kh"))
            .into_compiled()
            .program
            .unwrap();
        Kept {
            program,
            name: "x.csv".into(),
            entities: (0..n)
                .map(|i| Entity {
                    id: i.to_string(),
                    values: Vec::new(),
                })
                .collect(),
            ranks: Vec::new(),
            places: Vec::new(),
            valid: true,
            errors: 0,
            problems: Vec::new(),
            spec: crate::serve::drafts::Version {
                path: "a.kh".into(),
                version: String::new(),
                saved: true,
                saved_version: None,
                at_ms: 0,
            },
        }
    }

    #[test]
    fn the_store_is_bounded_in_count_and_entities_and_keeps_what_is_asked() {
        let store = Store::default();
        let first = store.put(kept(1)).unwrap();
        let ids: Vec<String> = (1..KEPT_RESULTS)
            .map(|_| store.put(kept(1)).unwrap())
            .collect();
        assert_eq!(store.len(), KEPT_RESULTS);
        // Asking for the first makes the second the oldest.
        store.get(&first).unwrap();
        store.put(kept(1)).unwrap();
        assert_eq!(store.len(), KEPT_RESULTS);
        assert!(store.get(&first).is_ok());
        let refused = store.get(&ids[0]).err().unwrap();
        assert_eq!(
            (refused.status, refused.diagnostic.code),
            (StatusCode::GONE, Code::ServeResultGone)
        );
        // A large result pushes out as many as it needs.
        let big = store.put(kept(KEPT_ENTITIES - 3)).unwrap();
        assert!(store.len() <= 4, "{}", store.len());
        assert!(store.get(&big).is_ok());
        assert!(store.get("not-an-id").is_err());
    }
}
