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
    /// 1 for a section (一级指标), 2 an indicator (二级指标), 3 and 4 the
    /// levels below.
    pub depth: u8,
    /// Its id as written, shown under its parent.
    pub label: &'p str,
    /// Its stable key (check::keys), for JSON.
    pub key: &'p str,
    pub title: &'p str,
    pub earned: Decimal,
    pub points: Decimal,
}

/// A level's name as reports and explanation lines print it.
pub fn level_word(level: u8, zh: bool) -> &'static str {
    match (level, zh) {
        (1, true) => "一级指标",
        (2, true) => "二级指标",
        (3, true) => "三级指标",
        (_, true) => "四级指标",
        (1, false) => "section",
        (2, false) => "indicator",
        (3, false) => "level-3 indicator",
        (_, false) => "level-4 indicator",
    }
}

impl HeadingRow<'_> {
    /// The level's name, as reports print it.
    pub fn level(&self, lang: Lang) -> &'static str {
        level_word(self.depth, lang == Lang::Zh)
    }

    /// The level's key in JSON.
    pub fn key(&self) -> &'static str {
        match self.depth {
            1 => "section",
            2 => "indicator",
            3 => "level3",
            _ => "level4",
        }
    }
}

/// The subtotals of the headings that declare their points, in table order
/// (each heading followed by those under it); empty when none declares
/// them.
pub fn rows<'p>(program: &'p Program, o: &Outcome) -> Vec<HeadingRow<'p>> {
    if !program.headings.iter().any(|h| h.points.is_some()) {
        return Vec::new();
    }
    let Some(sub) = subtotals(program, o) else {
        return Vec::new();
    };
    (program.headings.iter().zip(&sub.headings))
        .filter(|(h, _)| h.points.is_some())
        .map(|(h, t)| HeadingRow {
            depth: h.level,
            label: &h.label,
            key: &h.key,
            title: &h.title,
            earned: t.earned,
            points: t.points,
        })
        .collect()
}
