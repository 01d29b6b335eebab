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

/// The keys of a spec's headings and items, in the order written (the
/// order of `ast::Spec::headings` and `ast::Spec::items`).
#[derive(Default)]
pub(super) struct Keys {
    pub(super) headings: Vec<String>,
    pub(super) items: Vec<String>,
}

pub(super) fn keys(spec: &ast::Spec) -> Keys {
    // Uses of each id's key at each heading level (index level - 1), and
    // among items.
    let mut heading_uses: [HashMap<&str, usize>; 4] = Default::default();
    let mut item_uses: HashMap<&str, usize> = HashMap::new();
    for h in spec.headings() {
        if let Some(uses) = heading_uses.get_mut(usize::from(h.level).saturating_sub(1)) {
            *uses.entry(label_key(&h.label.text)).or_default() += 1;
        }
    }
    for (_, it) in spec.items() {
        *item_uses.entry(label_key(&it.label.text)).or_default() += 1;
    }
    let shared = |uses: Option<&HashMap<&str, usize>>, label: &str| {
        uses.and_then(|u| u.get(label_key(label)))
            .is_some_and(|&n| n > 1)
    };
    let keyed = |path: &[&str], own: &str, shared: bool| {
        if shared && !path.is_empty() {
            let mut all = path.to_vec();
            all.push(label_key(own));
            all.join(SEPARATOR)
        } else {
            own.to_string()
        }
    };
    let mut out = Keys::default();
    let mut item_keys: Vec<String> = (spec.items.iter())
        .map(|it| keyed(&[], &it.label.text, false))
        .collect();
    // Headings in the order written; their items after them, by heading.
    fn walk<'a>(
        h: &'a ast::Heading,
        path: &mut Vec<&'a str>,
        visit: &mut dyn FnMut(&'a ast::Heading, &[&'a str]),
    ) {
        visit(h, path);
        path.push(label_key(&h.label.text));
        for c in &h.headings {
            walk(c, path, visit);
        }
        path.pop();
    }
    let mut by_heading: Vec<Vec<String>> = Vec::new();
    for s in &spec.sections {
        walk(s, &mut Vec::new(), &mut |h, path| {
            let uses = heading_uses.get(usize::from(h.level).saturating_sub(1));
            out.headings
                .push(keyed(path, &h.label.text, shared(uses, &h.label.text)));
            let mut here = path.to_vec();
            here.push(label_key(&h.label.text));
            by_heading.push(
                (h.items.iter())
                    .map(|it| {
                        keyed(
                            &here,
                            &it.label.text,
                            shared(Some(&item_uses), &it.label.text),
                        )
                    })
                    .collect(),
            );
        });
    }
    item_keys.extend(by_heading.into_iter().flatten());
    out.items = item_keys;
    out
}
