//! A list record's field read the quick way ([`Quick`]): what the general
//! reading (`Reader::field`: [`scalar`](super::scalar::scalar), the checks
//! after it, a date's year) makes of a text cell in the forms nearly every
//! cell takes, worked out once a field instead of once a cell. It answers
//! only where that reading yields a value and tells nothing; any other
//! cell goes the general way, which tells its problem as it always has.

use super::period::plain_date;
use super::scalar::{plain, plain_bool, word_of};
use crate::ir::{EnumInfo, Field, Input, Ty, Value};
use std::sync::Arc;

/// How a field's text cell is read quickly, decided once a field.
#[derive(Clone, Debug)]
pub(crate) enum Quick {
    /// A text, as written: as [`plain`] reads it, without its match on
    /// the type (a text and a yes or no are most of a list's cells).
    Text,
    /// 是/否 or true/false, as [`plain`] reads a yes or no.
    Bool,
    /// As [`plain`] reads it: a count, a number, a month or a quarter,
    /// where nothing is checked after the reading.
    Plain(Ty),
    /// One of the enumeration's words (white space around it aside).
    Word(usize),
    /// A date written `YYYY-MM-DD`, whose day number lies in `from..=to`
    /// (the table's year; any day for a field of `any year`).
    Date { from: i32, to: i32 },
    /// Only the general way: a rate (one written as a fraction is warned
    /// of), an item ref (checked against the table's ids), a list.
    General,
}

impl Quick {
    /// The quick way for a list's `field`, in a table assessing `year`.
    pub(crate) fn of(field: &Field, year: Option<u32>) -> Quick {
        Quick::by_type(&field.ty, || Quick::date(field.any_year, year))
    }

    /// The quick way for a scalar input's cell: as its type, a date in any
    /// year (an input's date is not held to the table's), but for an input
    /// that reads words of absence or is an assessor's score (held within
    /// its item's points), which go the general way.
    pub(crate) fn of_input(input: &Input) -> Quick {
        if !input.absence.is_empty() || input.judged.is_some() {
            return Quick::General;
        }
        Quick::by_type(&input.ty, || Quick::date(true, None))
    }

    /// The quick way for a value of type `ty`, a date's made by `date`.
    fn by_type(ty: &Ty, date: impl FnOnce() -> Quick) -> Quick {
        match ty {
            Ty::Date => date(),
            Ty::Enum(e) => Quick::Word(*e),
            Ty::Rate | Ty::ItemRef | Ty::List(_) => Quick::General,
            Ty::Text => Quick::Text,
            Ty::Bool => Quick::Bool,
            ty => Quick::Plain(ty.clone()),
        }
    }

    /// A date field's day numbers: the year's, unless the field says `any
    /// year` or the table has none (or one no date can lie in).
    fn date(any_year: bool, year: Option<u32>) -> Quick {
        let year = year
            .and_then(|y| i32::try_from(y).ok())
            .filter(|_| !any_year);
        let Some(year) = year else {
            return Quick::Date {
                from: i32::MIN,
                to: i32::MAX,
            };
        };
        let day = |m, d| crate::date::from_ymd(year, m, d);
        match (day(1, 1), day(12, 31)) {
            (Some(from), Some(to)) => Quick::Date { from, to },
            _ => Quick::General,
        }
    }

    /// The value of text cell `s` (as [`scalar`](super::scalar::scalar)
    /// is given it: a formula's mark taken off, not blank), when the
    /// general reading would read it so and tell nothing; else `None`.
    #[inline]
    pub(crate) fn read(&self, s: &str, enums: &[EnumInfo]) -> Option<Value> {
        match self {
            Quick::Text => Some(Value::Text(Arc::from(s))),
            Quick::Bool => plain_bool(s),
            Quick::Plain(ty) => plain(ty, s),
            Quick::Word(e) => word_of(enums.get(*e)?, s).map(Value::Enum),
            Quick::Date { from, to } => plain_date(s)
                .filter(|d| (*from..=*to).contains(d))
                .map(Value::Date),
            Quick::General => None,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::Quick;
    use crate::data::entity::{NoPlaces, Reader};
    use crate::data::scalar::Cell;
    use crate::ir::{Field, Input, Program, Ty, Unit};
    use proptest::prelude::*;
    use std::collections::HashSet;

    /// A program of the 2024 table (its year 2024, its enumerations).
    fn program() -> Program {
        crate::compile(include_str!("../../specs/liucheng-2024.kh"))
            .program
            .unwrap()
    }

    /// A field of every type a record may hold, a date both ways.
    fn fields() -> Vec<Field> {
        let tys = [
            Ty::Bool,
            Ty::Count(None),
            Ty::Count(Some("次".into())),
            Ty::Number(Unit::Plain),
            Ty::Number(Unit::Percent),
            Ty::Number(Unit::Points),
            Ty::Rate,
            Ty::Date,
            Ty::Text,
            Ty::Enum(0),
            Ty::Enum(1),
            Ty::Month,
            Ty::Quarter,
            Ty::ItemRef,
        ];
        let field = |ty: Ty, any_year| Field {
            name: "f".into(),
            ty,
            description: String::new(),
            any_year,
        };
        let mut fields: Vec<Field> = tys.into_iter().map(|t| field(t, false)).collect();
        fields.push(field(Ty::Date, true));
        fields
    }

    /// What the general reading makes of `s` for `field`: its value and
    /// the problems it told.
    fn general(program: &Program, field: &Field, s: &str) -> (crate::ir::Value, usize) {
        read_by(program, |r| {
            r.field(String::new, field, Some(Cell::Text(s)))
        })
    }

    /// What `read` makes with a reader of one entity's cells: the value
    /// and how many problems it told.
    fn read_by(
        program: &Program,
        read: impl FnOnce(&mut Reader<'_>) -> crate::ir::Value,
    ) -> (crate::ir::Value, usize) {
        let reported = HashSet::new();
        let mut reader = Reader {
            program,
            diags: Vec::new(),
            file: "t.csv",
            entity: "u".into(),
            places: &NoPlaces,
            reported: &reported,
        };
        let value = read(&mut reader);
        (value, reader.diags.len())
    }

    /// What the general reading makes of `s` for scalar input `input`, as
    /// the entities' table reads it: its value and the problems it told.
    fn general_input(program: &Program, input: &Input, s: &str) -> (crate::ir::Value, usize) {
        read_by(program, |r| {
            let value = r.input_cell(input, Cell::Text(s));
            r.within_judgement(input, value)
        })
    }

    /// Where the quick way answers, the general way reads the same value
    /// and tells nothing: for a list's field of every type, and for every
    /// scalar input of the 2024 table.
    fn agrees(program: &Program, s: &str) -> Result<usize, TestCaseError> {
        let mut answered = 0;
        let scalars = program
            .inputs
            .iter()
            .filter(|i| !matches!(i.ty, Ty::List(_)));
        for input in scalars {
            if let Some(v) = Quick::of_input(input).read(s, &program.enums) {
                let (value, told) = general_input(program, input, s);
                prop_assert_eq!(&v, &value, "{} {:?}", input.name, s);
                prop_assert_eq!(told, 0, "{} {:?}", input.name, s);
                answered += 1;
            }
        }
        for field in fields() {
            let quick = Quick::of(&field, program.header.year);
            if let Some(v) = quick.read(s, &program.enums) {
                let (value, told) = general(program, &field, s);
                prop_assert_eq!(&v, &value, "{:?} {:?}", field.ty, s);
                prop_assert_eq!(told, 0, "{:?} {:?}", field.ty, s);
                answered += 1;
            }
        }
        Ok(answered)
    }

    /// Cells of every kind: plain and odd numbers, dates in and out of the
    /// year and none, words of the enumerations, yes and no, months,
    /// quarters, texts, white space around them.
    const CELLS: &[&str] = &[
        "0",
        "3",
        "87.5",
        "0.50",
        "100",
        "101",
        "-1",
        "1e3",
        "0.875",
        "12",
        "13",
        "4",
        "5",
        "2024-05-31",
        "2024-01-01",
        "2024-12-31",
        "2023-12-31",
        "2025-01-01",
        "2024-02-30",
        "2024-13-01",
        "0000-01-01",
        "2024/5/31",
        "是",
        "否",
        "true",
        "false",
        "yes",
        " 是",
        "A1",
        "柳城县",
        " 国家级",
        "国家级",
        "自治区级",
        "市厅级",
        " x ",
        "3月",
        "Q2",
    ];

    #[test]
    fn the_quick_way_reads_as_the_general_way() {
        let program = program();
        let mut answered = 0;
        for s in CELLS {
            answered += agrees(&program, s).unwrap();
        }
        // Not vacuous: the quick way answers for most of these.
        assert!(answered > 40, "{answered}");
        let level = program
            .enums
            .iter()
            .position(|e| e.variants.len() > 1)
            .unwrap();
        let word = Quick::Word(level).read(&program.enums[level].variants[0], &program.enums);
        assert!(word.is_some());
    }

    proptest! {
        /// Any text built of digits, signs, points, dashes, words and white
        /// space reads the same both ways where the quick way answers.
        #[test]
        fn the_quick_way_agrees_on_any_text(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("2024"), Just("-"), Just("0"), Just("1"), Just("9"), Just("."),
                    Just("是"), Just("国家级"), Just(" "), Just("12"), Just("31"), Just("%"),
                    Just("2023"), Just("e"), Just("true"),
                ],
                1..6,
            )
        ) {
            let program = program();
            agrees(&program, &parts.concat())?;
        }
    }
}
