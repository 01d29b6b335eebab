//! What a record's field names must exist (issue 15, item 9): an `item
//! ref` field names a section, indicator or item of the table (K0545, with
//! the nearest id); a date of a list's record lies in the table's `year`
//! unless the field says `any year` (K0544). Months and quarters are read
//! in range by `period`.

use super::entity::Reader;
use crate::diagnostic::{Code, Text, suggest};
use crate::ir::{Field, Value};
use crate::t;

/// At most this many ids are listed in a message; beyond, the nearest.
const LISTED: usize = 12;

impl Reader<'_> {
    /// An `item ref` value: one of the table's ids (spaces around it
    /// dropped), else told and read as no value.
    pub(super) fn item_ref(&mut self, path: impl FnOnce() -> String, value: Value) -> Value {
        let Value::Text(given) = &value else {
            return value;
        };
        let p = self.program;
        let ids = || {
            (p.headings.iter().map(|h| h.key.as_str())).chain(p.items.iter().map(|i| i.id.as_str()))
        };
        let trimmed = given.trim();
        if ids().any(|id| id == trimmed) {
            return if trimmed.len() == given.len() {
                value
            } else {
                Value::Text(trimmed.into())
            };
        }
        let count = ids().count();
        let listed: Vec<&str> = ids().take(LISTED).collect();
        let listed = Text::new(listed.join(", "), listed.join("、"));
        let help = match suggest(trimmed, ids()) {
            Some(near) if count > LISTED => t!(
                "did you mean \"{near}\"? The table has {count} sections, indicators and items; `kaohe render` lists their ids",
                "是否应为“{near}”？考核表共有 {count} 个一级指标、二级指标和考核事项，其编号可用 `kaohe render` 查看"
            ),
            Some(near) => t!(
                "did you mean \"{near}\"? The table's ids are {}",
                "是否应为“{near}”？考核表的编号为 {}",
                listed
            ),
            None if count > LISTED => t!(
                "write the id of a section, indicator or item as the table numbers it (such as \"{}\"); `kaohe render` lists all {count}",
                "请填写考核表中一级指标、二级指标或考核事项的编号（如 \"{}\"）；全部 {count} 个编号可用 `kaohe render` 查看",
                p.items.first().map_or("1.1", |i| i.id.as_str())
            ),
            None => t!(
                "write one of the table's ids: {}",
                "请填写考核表的编号之一：{}",
                listed
            ),
        };
        self.error(
            Code::UnknownItemRef,
            &path(),
            t!(
                "\"{trimmed}\" is the id of no section, indicator or item of the table",
                "“{trimmed}”不是考核表中任何一级指标、二级指标或考核事项的编号"
            ),
            Some(help),
        );
        Value::Missing
    }

    /// A record's date within the table's year, unless the field says
    /// `any year` or the table has no year.
    pub(super) fn in_year(
        &mut self,
        path: impl FnOnce() -> String,
        f: &Field,
        value: Value,
    ) -> Value {
        let (Value::Date(d), Some(year)) = (&value, self.program.header.year) else {
            return value;
        };
        let (y, _, _) = crate::date::to_ymd(*d);
        if f.any_year || i64::from(y) == i64::from(year) {
            return value;
        }
        let date = crate::date::format(*d);
        self.error(
            Code::DateOutsideYear,
            &path(),
            t!(
                "{date} lies outside {year}, the year the table assesses",
                "{date} 不在考核年度 {year} 年内"
            ),
            Some(t!(
                "correct the date (a record of {year} is dated {year}-01-01 to {year}-12-31); if this field's dates may lie in other years, write `any year` after its type in the spec: `{}: date any year`",
                "请更正日期（{year} 年的记录日期应在 {year}-01-01 至 {year}-12-31 之间）；如果该字段的日期可以在其他年份，请在规则文件中该字段的类型后写“不限年度”：`{}: 日期 不限年度`",
                f.name.as_str()
            )),
        );
        Value::Missing
    }
}
