//! Generated specs and data for kaohe's own benches, examples, fuzz targets
//! and doctests: not part of the API (hidden from its documentation), and
//! free to change with any release.
//!
//! Everything here goes through [`Spec`], so that the crate's internals stay
//! private: the generators themselves live in the crate (`synth`).

use crate::api::{Code, Entity, Options, Spec};
use std::io::Write;

/// A spec of `items` items over the commonest clause forms.
pub fn spec(items: usize) -> String {
    crate::synth::spec(items)
}

/// The entity `index` of the stream `seed` generates for `spec`.
pub fn entity(spec: &Spec, seed: u64, index: u64) -> Entity {
    crate::synth::entity(spec.program(), seed, index)
}

/// `count` generated entities for `spec`, made as they are read.
pub fn entities(spec: &Spec, seed: u64, count: u64) -> impl Iterator<Item = Entity> + '_ {
    crate::synth::entities(spec.program(), seed, count)
}

/// An entity as a JSON data file writes it.
pub fn to_json(spec: &Spec, entity: &Entity) -> serde_json::Value {
    crate::synth::to_json(spec.program(), entity)
}

/// Entities written as a CSV dataset (list inputs in a folder beside
/// `path`), `chunk` at a time.
pub fn write_csv(
    spec: &Spec,
    entities: impl Iterator<Item = Entity>,
    path: &std::path::Path,
    chunk: usize,
) -> std::io::Result<()> {
    crate::synth::write_csv(spec.program(), entities, path, chunk)
}

/// The HTML report of `entities` (`kaohe eval --format html`), written into
/// `out` one entity at a time after the roll-up at its head: what the
/// report's memory grows with.
pub fn html_report(spec: &Spec, entities: &[Entity], out: &mut impl Write) -> std::io::Result<()> {
    use crate::report::{html, rollup::Kept};
    let program = spec.program();
    let mut kept = Kept::default();
    for e in entities {
        if let Ok(o) = spec.evaluate(e, Options { explain: false }) {
            kept.push(&o.id, o.total, &o.result, o.vetoed);
        }
    }
    let mut s = String::new();
    html::head(&mut s, program, &kept);
    out.write_all(s.as_bytes())?;
    for e in entities {
        if let Ok(o) = spec.evaluate(e, Options::default()) {
            s.clear();
            html::entity(&mut s, program, e, &o, None);
            out.write_all(s.as_bytes())?;
        }
    }
    Ok(())
}

/// What a spec means, layout aside: its checked program without spans
/// (printed), or, when it does not check, the codes of what is wrong with
/// it, in order (messages may quote the spec as it was laid out).
pub fn meaning(text: &str) -> (Option<String>, Vec<Code>) {
    let compiled = crate::compile(text);
    let codes = compiled.diagnostics.iter().map(|d| d.code).collect();
    (
        compiled
            .program
            .map(|p| format!("{:#?}", p.without_spans())),
        codes,
    )
}
