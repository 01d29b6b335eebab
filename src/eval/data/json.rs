//! A JSON document of one entity or an array of them.

use super::{Entity, NoPlaces, Reader};
use crate::check::ir::Program;
use crate::diagnostic::{Code, Diagnostic};
use crate::t;
use serde_json::Value as Json;
use std::collections::HashSet;

/// The entities of a JSON document (one object or an array of them) that
/// are valid, and a diagnostic for every problem found.
pub fn from_json(program: &Program, text: &str, file: &str) -> (Vec<Entity>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let no_reported = HashSet::new();
    let doc: Json = match serde_json::from_str(text) {
        Ok(doc) => doc,
        Err(e) => {
            let d = Diagnostic::new(
                Code::DataSyntax,
                t!(
                    "{file} is not valid JSON: {e}",
                    "{file} 不是有效的 JSON：{e}"
                ),
            )
            .with_help(t!(
                "a data file holds one entity object, or an array of them: [{{\"id\": \"…\", …}}]",
                "数据文件应包含一个被考核单位对象，或由它们组成的数组：[{{\"id\": \"…\", …}}]"
            ))
            .in_file(file);
            return (Vec::new(), vec![d]);
        }
    };
    let objects = match doc {
        Json::Array(items) => items,
        other => vec![other],
    };
    let mut entities: Vec<(usize, Entity)> = Vec::new();
    for (index, obj) in objects.iter().enumerate() {
        let mut reader = Reader {
            program,
            diags: Vec::new(),
            file,
            entity: format!("#{}", index + 1),
            places: &NoPlaces,
            reported: &no_reported,
        };
        if let Some(entity) = reader.entity(obj)
            && !reader.diags.iter().any(Diagnostic::is_error)
        {
            entities.push((index, entity));
        }
        diags.append(&mut reader.diags);
    }
    // Two entries with one id: neither is scored, since either may be the
    // right one. Ids are counted first, so that this stays linear.
    let mut first: std::collections::HashMap<String, (usize, usize)> =
        std::collections::HashMap::new();
    for (index, entity) in &entities {
        first.entry(entity.id.clone()).or_insert((*index, 0)).1 += 1;
    }
    for (index, entity) in &entities {
        if let Some(&(first_index, _)) = first
            .get(entity.id.as_str())
            .filter(|(f, n)| *n > 1 && f != index)
        {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateEntity,
                    t!(
                        "entity #{} has the id \"{}\", like entity #{}; neither is scored",
                        "被考核单位 #{} 的 id “{}”与被考核单位 #{} 相同，两者均不计分",
                        index + 1,
                        entity.id,
                        first_index + 1
                    ),
                )
                .with_help(t!(
                    "give each assessed unit one entry with its own id",
                    "每个被考核单位只填一条，并使用各自的 id"
                ))
                .in_file(file),
            );
        }
    }
    let kept = entities
        .into_iter()
        .filter(|(_, e)| first.get(e.id.as_str()).is_some_and(|(_, n)| *n == 1))
        .map(|(_, e)| e)
        .collect();
    (kept, diags)
}
