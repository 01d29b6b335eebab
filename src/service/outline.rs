//! The outline of a spec: sections → indicators → items, with points.

use super::{Analysis, Range, scan};
use crate::parse::ast;
use crate::source::Span;
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutlineKind {
    Section,
    Indicator,
    /// A third-level heading (三级指标).
    Level3,
    /// A fourth-level heading (四级指标).
    Level4,
    Item,
}

/// One entry of the outline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutlineNode {
    pub kind: OutlineKind,
    /// The label as written: `一`, `1`, `1.1`.
    pub label: String,
    pub title: String,
    /// The points: an item's score, or the sum of the scored items under a
    /// section or indicator; none for an item that only deducts or adds.
    pub points: Option<String>,
    /// How a deduction, bonus or veto item is marked, as the spec writes it.
    pub marker: Option<String>,
    /// A heading's own points as declared (`score 8`, 分值 8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared: Option<String>,
    /// A heading's ceiling on what it loses (`deduction at most 3`, 扣分项
    /// 最高 3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
    /// The whole entry, from its keyword to its closing brace.
    pub range: Range,
    /// Its label, to select when the entry is chosen.
    pub selection_range: Range,
    pub children: Vec<OutlineNode>,
}

impl Analysis {
    /// Headings of every level → items, in text order (empty when the spec
    /// does not parse).
    pub fn outline(&self) -> Vec<OutlineNode> {
        let Some(spec) = &self.ast else {
            return Vec::new();
        };
        let items = spec.items.iter().map(|it| self.item_node(it));
        items
            .chain(spec.sections.iter().map(|s| self.heading_node(s)))
            .collect()
    }

    fn heading_node(&self, h: &ast::Heading) -> OutlineNode {
        let items = h.items.iter().map(|it| self.item_node(it));
        let children: Vec<OutlineNode> = items
            .chain(h.headings.iter().map(|c| self.heading_node(c)))
            .collect();
        let kind = match h.level {
            1 => OutlineKind::Section,
            2 => OutlineKind::Indicator,
            3 => OutlineKind::Level3,
            _ => OutlineKind::Level4,
        };
        let mut node = self.heading(kind, &h.label, &h.title, children);
        node.declared = (h.points.as_ref()).map(|p| p.points.normalize().to_string());
        node.limit = h.deduction_cap.map(|(c, _)| c.normalize().to_string());
        node
    }

    fn heading(
        &self,
        kind: OutlineKind,
        label: &ast::Name,
        title: &ast::Text,
        children: Vec<OutlineNode>,
    ) -> OutlineNode {
        let points = children
            .iter()
            .filter_map(|c| c.points.as_deref()?.parse::<Decimal>().ok())
            .try_fold(Decimal::ZERO, |sum, p| sum.checked_add(p));
        let start = keyword_start(self.text(), label.span.start);
        let end = block_end(self.text(), title.span.end).unwrap_or(title.span.end);
        OutlineNode {
            kind,
            label: label.text.clone(),
            title: title.value.clone(),
            points: points.map(|p| p.normalize().to_string()),
            marker: None,
            declared: None,
            limit: None,
            range: self.range(Span::new(start, end)),
            selection_range: self.range(label.span),
            children,
        }
    }

    fn item_node(&self, item: &ast::Item) -> OutlineNode {
        let (points, marker) = match &item.kind {
            Some(ast::ItemKind::Score { max, .. }) => (Some(max.normalize().to_string()), None),
            Some(
                ast::ItemKind::Deduction(span)
                | ast::ItemKind::Bonus(span)
                | ast::ItemKind::Veto(span),
            ) => (
                None,
                self.text().get(span.start..span.end).map(str::to_string),
            ),
            None => (None, None),
        };
        let start = keyword_start(self.text(), item.label.span.start).min(item.span.start);
        OutlineNode {
            kind: OutlineKind::Item,
            label: item.label.text.clone(),
            title: item.title.value.clone(),
            points,
            marker,
            declared: None,
            limit: None,
            range: self.range(Span::new(start, item.span.end)),
            selection_range: self.range(item.label.span),
            children: Vec::new(),
        }
    }
}

/// Where the keyword before a label begins: back over white space, then
/// over the word.
fn keyword_start(text: &str, label: usize) -> usize {
    let before = text.get(..label).unwrap_or("");
    let trimmed = before.trim_end();
    trimmed
        .char_indices()
        .rev()
        .take_while(|(_, c)| !c.is_whitespace())
        .last()
        .map_or(trimmed.len(), |(i, _)| i)
}

/// The offset just after the brace that closes the first block opening at
/// or after `from`, skipping texts and comments.
fn block_end(text: &str, from: usize) -> Option<usize> {
    let rest = text.get(from..)?;
    let mut depth = 0usize;
    for (i, c) in scan::Code::new(rest) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(from + i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_ends_at_its_own_brace() {
        let text = "section A \"t{\" { // }\n  item { \"}\" } }\n";
        let end = block_end(text, 10).unwrap();
        assert_eq!(&text[..end], "section A \"t{\" { // }\n  item { \"}\" } }");
        assert_eq!(keyword_start(text, 8), 0);
    }
}
