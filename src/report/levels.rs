//! Per-level subtotals as reports print them: one row per section or
//! indicator that declares its points (`score 40` after its title), each
//! with what the entity earned under it (docs/language.md, Levels and
//! their points). Headings without points print nothing, so the reports of
//! tables that declare none are as they were.

use crate::eval::{Outcome, subtotals};
use crate::ir::{Lang, Program};
use rust_decimal::Decimal;

/// One heading's subtotal.
#[derive(Clone, Debug, PartialEq)]
pub struct HeadingRow<'p> {
    /// A section (一级指标) rather than an indicator (二级指标).
    pub section: bool,
    /// Its id as written, shown under its parent.
    pub label: &'p str,
    /// Its stable key (check::keys), for JSON.
    pub key: &'p str,
    pub title: &'p str,
    pub earned: Decimal,
    pub points: Decimal,
}

impl HeadingRow<'_> {
    /// The level's name, as reports print it.
    pub fn level(&self, lang: Lang) -> &'static str {
        match (self.section, lang) {
            (true, Lang::Zh) => "一级指标",
            (false, Lang::Zh) => "二级指标",
            (true, Lang::En) => "section",
            (false, Lang::En) => "indicator",
        }
    }

    /// The level's key in JSON.
    pub fn key(&self) -> &'static str {
        if self.section { "section" } else { "indicator" }
    }
}

/// The subtotals of the headings that declare their points, each section
/// followed by its indicators; empty when none declares them.
pub fn rows<'p>(program: &'p Program, o: &Outcome) -> Vec<HeadingRow<'p>> {
    let declared = |h: &crate::ir::Heading| h.points.is_some();
    if !program.sections.iter().any(declared) && !program.indicators.iter().any(declared) {
        return Vec::new();
    }
    let Some(sub) = subtotals(program, o) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (s, (h, t)) in program.sections.iter().zip(&sub.sections).enumerate() {
        if declared(h) {
            out.push(HeadingRow {
                section: true,
                label: &h.label,
                key: &h.key,
                title: &h.title,
                earned: t.earned,
                points: t.points,
            });
        }
        for (h, t) in program.indicators.iter().zip(&sub.indicators) {
            if h.parent == s && declared(h) {
                out.push(HeadingRow {
                    section: false,
                    label: &h.label,
                    key: &h.key,
                    title: &h.title,
                    earned: t.earned,
                    points: t.points,
                });
            }
        }
    }
    out
}
