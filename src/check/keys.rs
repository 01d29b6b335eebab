//! The stable key of every heading and item: what data files, reports,
//! `kaohe test` expectations, `item ref` fields and `kaohe diff` name it by.
//!
//! Ids are unique within their parent (K0202), so a table may restart its
//! numbering in each section: `一、{ (一) { 1. } } 二、{ (一) { 1. } }`. An
//! id whose key (the id without a trailing 、 or point) is used once at its
//! level in the whole spec is its own key, as written (`1.1`, `(一)`), so
//! a table numbered on keeps every key it had. An id used more than once
//! at its level is keyed by its path: the keys of its section, indicator
//! and its own, joined by `/` (`二/(一)/1`), a character no id may hold.

use crate::parse::ast;
use crate::parse::fullwidth::label_key;
use std::collections::HashMap;

/// The separator of a path key.
pub const SEPARATOR: &str = "/";

/// The keys of a spec's headings and items, in the order written.
#[derive(Default)]
pub(super) struct Keys {
    pub(super) sections: Vec<String>,
    pub(super) indicators: Vec<String>,
    pub(super) items: Vec<String>,
}

pub(super) fn keys(spec: &ast::Spec) -> Keys {
    let mut indicator_uses: HashMap<&str, usize> = HashMap::new();
    let mut item_uses: HashMap<&str, usize> = HashMap::new();
    for s in &spec.sections {
        for ind in &s.indicators {
            *indicator_uses
                .entry(label_key(&ind.label.text))
                .or_default() += 1;
            for it in &ind.items {
                *item_uses.entry(label_key(&it.label.text)).or_default() += 1;
            }
        }
    }
    let shared = |uses: &HashMap<&str, usize>, label: &str| {
        uses.get(label_key(label)).is_some_and(|&n| n > 1)
    };
    let mut out = Keys::default();
    for s in &spec.sections {
        out.sections.push(s.label.text.clone());
        let section = label_key(&s.label.text);
        for ind in &s.indicators {
            let indicator = label_key(&ind.label.text);
            out.indicators
                .push(if shared(&indicator_uses, &ind.label.text) {
                    [section, indicator].join(SEPARATOR)
                } else {
                    ind.label.text.clone()
                });
            for it in &ind.items {
                out.items.push(if shared(&item_uses, &it.label.text) {
                    [section, indicator, label_key(&it.label.text)].join(SEPARATOR)
                } else {
                    it.label.text.clone()
                });
            }
        }
    }
    out
}
