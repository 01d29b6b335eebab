//! The header rows of a dataset's tables: which column holds which input
//! or field, a column headed twice, a column or table missing, an unknown
//! column; and the list tables set up: walked for their order, those not
//! in the entities' order indexed by entity.

use super::lists::{Found, ListTable, no_id};
use super::order::in_order;
use super::whose::{Whose, whose};
use super::{Absent, ListSource, Reading, Rows, Walked};
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::ir::{Field, Ty};
use crate::shown::column_letters as column_name;
use crate::t;
use std::collections::HashMap;
use std::sync::Arc;

impl<'a> Reading<'a> {
    /// A column the reading needs (`needed`) headed twice: which of them
    /// holds the data cannot be told, so the table is not read.
    fn twice(&mut self, place: &Text, header: &[String], needed: impl Fn(&str) -> bool) {
        for (i, h) in header.iter().enumerate() {
            let h = h.trim();
            if h.is_empty() || !needed(h) {
                continue;
            }
            let first = header.iter().position(|other| other.trim() == h);
            let Some(first) = first.filter(|f| *f < i) else {
                continue;
            };
            let (a, b) = (column_name(first), column_name(i));
            self.problem(
                Diagnostic::new(
                    Code::DuplicateColumn,
                    t!(
                        "{}: columns {a} and {b} are both headed `{h}`; kaohe cannot tell which one holds the data",
                        "{}：第 {a} 列和第 {b} 列的表头都是“{h}”；kaohe 无法判断哪一列是要读取的数据",
                        place
                    ),
                )
                .with_help(t!(
                    "delete the column that should not be read, or rename its header",
                    "请删除不应读取的那一列，或修改其表头"
                )),
            );
        }
    }

    /// The entities' table's header row: which column holds the id and
    /// each input; a column headed twice, unknown or missing is told.
    pub(super) fn header(&mut self, header: &[String]) {
        let program = self.program;
        let place = self.place.clone();
        let scalars = program
            .inputs
            .iter()
            .filter(|i| !matches!(i.ty, Ty::List(_)));
        let names: Vec<&str> = std::iter::once("id")
            .chain(scalars.map(|i| i.name.as_str()))
            .collect();
        if self.names_nothing(&place, header, &names) {
            // Nothing can be read: no input is told missing on its own.
            self.columns = vec![None; program.inputs.len()];
            self.reported = program.inputs.iter().map(|i| i.name.clone()).collect();
            return;
        }
        self.twice(&place, header, |h| {
            h == "id" || program.inputs.iter().any(|i| i.name == h)
        });
        self.id_column = header.iter().position(|h| h.trim() == "id");
        if self.id_column.is_none() {
            self.problem(
                Diagnostic::new(
                    Code::ColumnMissing,
                    t!("{}: no column `id` in the header row", "{}：表头行中没有“id”列", self.place),
                )
                .with_help(t!("the first row names the columns; write `id` over the column of the assessed units' names", "第一行是列名；请在被考核单位名称所在列的表头写“id”")),
            );
        }
        self.unknown_columns(header);
        self.input_columns(header);
    }

    /// A first row that names none of the columns the reading knows
    /// (`names`: `id` and the inputs' or the list's fields' names) is no
    /// row of names: one problem says so, in place of one for every column
    /// and every name. It is the template's row of units and descriptions
    /// (`# 单位｜说明`) when the row of names above it was deleted — a clerk
    /// taking the names for something not to be filled in (K0525) —, or
    /// any other row (K0521). True when it was told.
    fn names_nothing(&mut self, place: &Text, header: &[String], names: &[&str]) -> bool {
        if header.iter().any(|h| names.contains(&h.trim())) {
            return false;
        }
        let Some(first) = header.iter().map(|h| h.trim()).find(|h| !h.is_empty()) else {
            return false;
        };
        if let Some(d) = separated(place, first, names) {
            self.problem(d);
            return true;
        }
        let first: String = first.chars().take(40).collect();
        let (en, zh) = shown_names(names);
        // The template's notes row begins `# 单位｜说明` (`# unit | description`).
        let notes = first.starts_with('#') && first.contains(['｜', '|']);
        let d = if notes {
            Diagnostic::new(
                Code::NamesRowDeleted,
                t!(
                    "{}: the first row is the template's row of units and descriptions (it begins \"{first}\"), not the row of column names: the row of names above it in the template ({en}) was deleted",
                    "{}：第一行是模板中的“单位｜说明”行（开头为“{first}”），不是列名行：模板中在它上方的列名行（{zh}）已被删除",
                    place
                ),
            )
            .with_help(t!(
                "put the row of column names back above it, as the first row: copy it from a new template (`kaohe template SPEC --format xlsx`, or `--format csv`); kaohe finds each column by its name, and the descriptions stay in the row below",
                "请把列名行放回它的上方，作为第一行：可从新生成的模板中复制（`kaohe template 规则文件 --format xlsx` 或 `--format csv`）；kaohe 按列名找到每一列，中文说明留在下一行即可"
            ))
        } else {
            Diagnostic::new(
                Code::ColumnMissing,
                t!(
                    "{}: no row names the columns: none of the first ten rows has a cell `id`, and the first row (beginning \"{first}\") names none of the columns kaohe reads",
                    "{}：找不到列名行：前十行中没有一行含“id”单元格，第一行（开头为“{first}”）也没有写 kaohe 要读取的任何列名",
                    place
                ),
            )
            .with_help(t!(
                "the first row names the columns ({en}): `id` over the assessed units' names, each input's name over its column; `kaohe template` writes that row",
                "第一行应是列名行（{zh}）：被考核单位名称所在列写“id”，各数据项所在列写其名称；`kaohe template` 会生成这一行"
            ))
        };
        self.problem(d);
        true
    }

    /// Columns headed with no input's name: ignored, and told.
    fn unknown_columns(&mut self, header: &[String]) {
        let program = self.program;
        for (i, h) in header.iter().enumerate() {
            let h = h.trim();
            if h != "id" && !h.is_empty() && !program.inputs.iter().any(|x| x.name == h) {
                let help =
                    crate::diagnostic::suggest(h, program.inputs.iter().map(|x| x.name.as_str()))
                        .map(|s| t!("did you mean `{s}`?", "是否应为“{s}”？"));
                let mut d = Diagnostic::new(
                    Code::UnknownDatum,
                    t!(
                        "{}, column {} (`{h}`): the spec has no input of this name; the column is ignored",
                        "{} 第 {} 列（“{h}”）：规则文件中没有这个名称的数据项，该列已忽略",
                        self.place,
                        column_name(i)
                    ),
                );
                if let Some(help) = help {
                    d = d.with_help(help);
                }
                self.problem(d);
            }
        }
    }

    /// The column of every input, by slot; a scalar input that must be
    /// given and has no column is told once for the whole table.
    fn input_columns(&mut self, header: &[String]) {
        let program = self.program;
        let find = |name: &str| header.iter().position(|h| h.trim() == name);
        for input in &program.inputs {
            let col = find(&input.name);
            let list = matches!(input.ty, Ty::List(_));
            if col.is_none() && !list && !input.optional && input.default.is_none() {
                self.reported.insert(input.name.clone());
                self.problem(
                    Diagnostic::new(
                        Code::ColumnMissing,
                        t!(
                            "{}: no column `{}` ({}) in the header row",
                            "{}：表头行中没有“{}”列（{}）",
                            self.place,
                            input.name,
                            crate::data::describe(input)
                        ),
                    )
                    .with_help(t!(
                        "add a column headed `{}`; `kaohe template` writes every column",
                        "请增加表头为“{}”的一列；`kaohe template` 会生成全部列",
                        input.name
                    )),
                );
            }
            self.columns.push(if list { None } else { col });
        }
    }

    fn absent(&mut self, absent: Absent) {
        let Some(input) = self.program.inputs.iter().find(|i| i.name == absent.input) else {
            return;
        };
        if input.optional || input.default.is_some() {
            return;
        }
        self.reported.insert(input.name.clone());
        self.problem(
            Diagnostic::new(
                Code::SheetMissing,
                t!(
                    "{} is missing: it holds the list `{}`, {}",
                    "缺少 {}：它存放列表“{}”（{}）",
                    absent.place,
                    input.name,
                    input.description
                ),
            )
            .with_help(t!("add it with a header row of `id` and the list's fields; `kaohe template` writes it, and it may hold no rows", "请补上该表，表头行为“id”和列表的各字段；`kaohe template` 可生成它，表中可以没有数据行")),
        );
    }

    /// Every list input's table, or where it was looked for; `again` (the
    /// entities' table once more) walked first, to tell which lists come
    /// in the entities' order.
    pub(super) fn list_tables(
        &mut self,
        again: Option<Walked<'a>>,
        mut lists: Vec<(String, Result<ListSource<'a>, Absent>)>,
    ) {
        let checks = (lists.iter_mut())
            .map(|(_, l)| {
                let source = l.as_mut().ok()?;
                let id = source.table.header.iter().position(|h| h.trim() == "id");
                Some((source.check.take()?, id))
            })
            .collect();
        let ordered = match again {
            Some(main) => in_order(main, self.id_column, checks, &mut self.seen),
            None => Vec::new(),
        };
        for (i, (input, list)) in lists.into_iter().enumerate() {
            match list {
                Ok(source) => {
                    let in_order = ordered.get(i).copied().unwrap_or(false);
                    self.list_table(&input, source, in_order);
                }
                Err(absent) => self.absent(absent),
            }
        }
    }

    fn list_table(&mut self, input: &str, source: ListSource<'a>, in_order: bool) {
        let ListSource {
            table, again, keep, ..
        } = source;
        let name = table.place.clone();
        for d in table.notes {
            self.problem(d);
        }
        let program = self.program;
        let Some((slot, input)) =
            (program.inputs.iter().enumerate()).find(|(_, i)| i.name == input)
        else {
            return;
        };
        let input_name = input.name.clone();
        let Ty::List(fields) = &input.ty else { return };
        let (id_col, cols) = self.list_columns(&name, &table.header, fields);
        let found = if in_order && let Some(walk) = keep {
            Found::Kept {
                walk,
                held: false,
                room: (0, 0, 0),
            }
        } else if in_order {
            Found::InOrder(table.rows.peekable())
        } else {
            Found::Indexed {
                by_id: self.index(table.rows, id_col, &name),
                again,
            }
        };
        self.lists.push(ListTable {
            input: input_name,
            slot,
            place: name,
            id_column: id_col,
            columns: cols,
            found,
            empty: Arc::new([]),
        });
    }

    /// A list table's header row: the id's column and each field's, with a
    /// column headed twice or missing told.
    fn list_columns(
        &mut self,
        name: &Text,
        header: &[String],
        fields: &[Field],
    ) -> (Option<usize>, Vec<(String, Option<usize>)>) {
        let names: Vec<&str> = std::iter::once("id")
            .chain(fields.iter().map(|f| f.name.as_str()))
            .collect();
        if self.names_nothing(name, header, &names) {
            return (
                None,
                fields.iter().map(|f| (f.name.clone(), None)).collect(),
            );
        }
        self.twice(name, header, |h| {
            h == "id" || fields.iter().any(|f| f.name == h)
        });
        let id_col = header.iter().position(|h| h.trim() == "id");
        if id_col.is_none() {
            self.problem(
                Diagnostic::new(Code::ColumnMissing, t!("{}: no column `id` in the header row", "{}：表头行中没有“id”列", name))
                    .with_help(t!("every row of a list names the assessed unit it belongs to in a column headed `id`", "列表的每一行都要在表头为“id”的列中写明所属的被考核单位")),
            );
        }
        let cols: Vec<(String, Option<usize>)> = fields
            .iter()
            .map(|f| {
                (
                    f.name.clone(),
                    header.iter().position(|h| h.trim() == f.name),
                )
            })
            .collect();
        for (f, c) in &cols {
            if c.is_none() {
                self.problem(
                    Diagnostic::new(
                        Code::ColumnMissing,
                        t!(
                            "{}: no column `{f}` in the header row",
                            "{}：表头行中没有“{f}”列",
                            name
                        ),
                    )
                    .with_help(t!(
                        "add a column headed `{f}`; `kaohe template` writes every column",
                        "请增加表头为“{f}”的一列；`kaohe template` 会生成全部列"
                    )),
                );
            }
        }
        (id_col, cols)
    }

    /// Where each entity's rows start in a list table.
    fn index(
        &mut self,
        rows: Rows<'a>,
        id_col: Option<usize>,
        name: &Text,
    ) -> HashMap<String, Vec<(usize, u64)>> {
        let mut by_id: HashMap<String, Vec<(usize, u64)>> = HashMap::new();
        for row in rows {
            let row = match row {
                Ok(r) => r,
                Err(d) => {
                    self.problem(d);
                    continue;
                }
            };
            let id = match whose(&row.cells, id_col) {
                Whose::Skipped | Whose::Total => continue,
                // Without a column of ids the missing column has been
                // told, not each row.
                Whose::NoOne if id_col.is_none() => continue,
                Whose::NoOne => {
                    self.problem(no_id(name, row.line));
                    continue;
                }
                Whose::Of(id) => id,
            };
            match by_id.get_mut(id) {
                Some(rows) => rows.push((row.line, row.at)),
                None => {
                    by_id.insert(id.to_string(), vec![(row.line, row.at)]);
                }
            }
        }
        by_id
    }
}

/// The first names of a row of column names, for a message: `id, a, b, c, …`
/// in English and `id、a、b、c……` in Chinese.
fn shown_names(names: &[&str]) -> (String, String) {
    const SHOWN: usize = 4;
    let first = names.get(..SHOWN).unwrap_or(names);
    let more = names.len() > SHOWN;
    let en = first.join(", ") + if more { ", …" } else { "" };
    let zh = first.join("、") + if more { "……" } else { "" };
    (en, zh)
}

/// A first cell that holds the row of names separated by something other
/// than commas — a tab when a sheet was copied into Notepad and saved as
/// .csv, a semicolon as some European settings save CSV, a full-width
/// comma or semicolon typed with a Chinese input method — is told as that
/// (K0521), naming the separator, where "no row names the columns" would
/// send the clerk looking for names that are there.
fn separated(place: &Text, first: &str, names: &[&str]) -> Option<Diagnostic> {
    const SEPARATORS: [(char, &str, &str); 4] = [
        ('\t', "tabs", "制表符（Tab）"),
        (';', "semicolons", "分号"),
        ('，', "full-width commas", "中文逗号"),
        ('；', "full-width semicolons", "中文分号"),
    ];
    let (sep, en, zh) = SEPARATORS.into_iter().find(|&(sep, _, _)| {
        first.split(sep).count() > 1 && first.split(sep).any(|n| names.contains(&n.trim()))
    })?;
    let shown: Vec<&str> = first.split(sep).map(str::trim).take(3).collect();
    let (shown_en, shown_zh) = (shown.join(", "), shown.join("、"));
    let d = Diagnostic::new(
        Code::ColumnMissing,
        t!(
            "{}: the names in the first row ({shown_en}, …) are separated by {en}, not commas, so the row reads as one cell",
            "{}：第一行的列名（{shown_zh}……）之间用的是{zh}，不是英文逗号，整行被读成了一个单元格",
            place
        ),
    );
    Some(d.with_help(t!(
        "save the sheet from Excel or WPS as \"CSV UTF-8 (Comma delimited)\"; text copied into Notepad goes back into a sheet first (Data → Text to Columns splits it by this separator)",
        "请在 Excel 或 WPS 中把表格另存为“CSV UTF-8（逗号分隔）”；若是复制进记事本的文字，先粘贴回表格（数据 → 分列 可按此分隔符分成各列），再另存"
    )))
}

#[cfg(test)]
mod tests {
    use super::separated;
    use crate::diagnostic::Text;

    fn told(first: &str) -> Option<String> {
        let place = Text::new("data.csv".into(), "data.csv".into());
        separated(&place, first, &["id", "meetings", "water_rate"]).map(|d| d.message.en)
    }

    #[test]
    fn names_between_other_separators_are_told_by_their_separator() {
        for (first, by) in [
            ("id\tmeetings\twater_rate", "tabs"),
            ("id;meetings", "semicolons"),
            ("id，meetings，water_rate", "full-width commas"),
            ("单位；meetings", "full-width semicolons"),
        ] {
            let told = told(first).unwrap_or_default();
            assert!(
                told.contains(&format!("separated by {by}")),
                "{first}: {told}"
            );
        }
    }

    #[test]
    fn a_row_that_names_nothing_between_them_is_not() {
        for first in ["2024年度考核数据；市生态环境局", "id", "名称\t数值", ""] {
            assert_eq!(told(first), None, "{first}");
        }
    }
}
