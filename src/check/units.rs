//! An item's lead (牵头单位) and supporting (配合单位) units: checked here,
//! and lowered to `ir::Item::responsible` (the lead first) and
//! `ir::Item::lead`. The roll-up (`report::rollup`) attributes lost points
//! among them by the header's `attribution` rule.

use super::{Checker, messages};
use crate::parse::ast;

/// Every unit answering for an item: its `responsible` units, or its lead
/// unit followed by its supporting units.
pub(super) fn responsible(meta: &ast::Meta) -> Vec<String> {
    if meta.lead.is_none() {
        return meta.responsible.iter().map(|t| t.value.clone()).collect();
    }
    let lead = meta.lead.iter().map(|(t, _)| t);
    let supporting = meta.supporting.iter().flat_map(|(v, _)| v);
    lead.chain(supporting).map(|t| t.value.clone()).collect()
}

impl Checker {
    /// K0260, K0440–K0442 over every section, indicator and item.
    pub(super) fn unit_checks(&mut self, spec: &ast::Spec) {
        for h in spec.headings() {
            self.not_on_heading(&h.meta);
        }
        for (_, it) in spec.items() {
            self.item_units(it);
        }
    }

    fn not_on_heading(&mut self, meta: &ast::Meta) {
        let lead = meta.lead.as_ref().map(|(_, at)| *at);
        let supporting = meta.supporting.as_ref().map(|(_, at)| *at);
        for at in lead.into_iter().chain(supporting) {
            self.report(messages::lead_outside_item(at));
        }
    }

    fn item_units(&mut self, it: &ast::Item) {
        let meta = &it.meta;
        let id = &it.label.text;
        let given = meta
            .lead
            .as_ref()
            .map(|(_, at)| *at)
            .or(meta.supporting.as_ref().map(|(_, at)| *at));
        let Some(at) = given else { return };
        if !meta.responsible.is_empty() {
            self.report(messages::responsible_and_lead(id, at));
        }
        if meta.lead.is_none() {
            self.report(messages::supporting_without_lead(id, at));
        }
        let lead = meta.lead.iter().map(|(t, _)| t);
        let named: Vec<&ast::Text> = lead
            .chain(meta.supporting.iter().flat_map(|(v, _)| v))
            .collect();
        for (i, unit) in named.iter().enumerate() {
            let earlier = named.iter().take(i).find(|u| u.value == unit.value);
            if let Some(first) = earlier {
                self.report(messages::unit_named_twice(
                    &unit.value,
                    unit.span,
                    first.span,
                ));
            }
        }
    }
}
