//! Every diagnostic code, with its severity and a one-line title.
//!
//! Codes are stable: a code, once published, keeps its meaning. The hundreds
//! digit says the stage: K01 parse, K02 names, K03 types and units, K04 table
//! checks, K05 data, K06 evaluation, K07 authoring tools
//! (test, render, diff), K09 files and invocation.
//! docs/diagnostics.md lists them all; `tests/diagnostics/` triggers each one.

use super::Severity;
use serde::{Serialize, Serializer};

macro_rules! codes {
    ($($variant:ident = $code:literal, $sev:ident, $title:literal;)*) => {
        /// A stable diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed: `K0201`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// What the code is about, for the reference list.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }
        }
    };
}

codes! {
    Syntax = "K0101", Error, "the text does not follow the grammar";
    BadNumber = "K0102", Error, "a number is too large or too precise to be held exactly";
    BadDate = "K0103", Error, "a date literal is not a real calendar date";
    DuplicateEntry = "K0104", Error, "a header or item entry is given twice";
    TooDeep = "K0105", Error, "brackets and braces are nested too deep";
    TooLong = "K0106", Error, "an expression has too many words and operators";
    TooLarge = "K0107", Error, "a spec file is too large";
    MixedKeywords = "K0110", Error, "a spec mixes English and Chinese keywords";

    UnknownName = "K0201", Error, "a name is used that no input or variable declares";
    DuplicateId = "K0202", Error, "two sections, indicators or items have the same id";
    DuplicateInput = "K0203", Error, "two inputs or fields have the same name";
    UnusedInput = "K0204", Warning, "an input is declared but no rule uses it";
    UnknownFunction = "K0205", Error, "a function is called that kaohe does not have";
    UnknownField = "K0206", Error, "a record field is used that its list does not declare";
    UnknownType = "K0207", Error, "a type name is neither built in nor a declared enum";
    NotAVariant = "K0208", Error, "a text is compared with an enumeration it is not a value of";
    DuplicateVariant = "K0209", Error, "an enumeration value or match arm is given twice";

    TypeMismatch = "K0301", Error, "a value of one type is used where another is expected";
    UnitMismatch = "K0302", Error, "quantities of different units are added or compared";
    RateVsPoints = "K0303", Error, "a rate is compared with a difference of rates (percentage points)";
    BareRate = "K0304", Error, "a bare number stands where a percentage is meant";
    RoundingUnstated = "K0305", Error, "a per-unit rule on a continuous quantity does not say whole or continuous";
    UnknownUnit = "K0306", Error, "a unit is written that no input of the spec uses";
    NegativeCount = "K0307", Error, "a count is given a negative value";
    Arity = "K0308", Error, "a function is called with the wrong number of arguments";
    NonExhaustive = "K0309", Error, "a match does not cover every value of its enumeration";
    DivideByZero = "K0310", Error, "a division by a literal zero";

    CapExceedsScore = "K0401", Error, "a clause cap is larger than its item's score";
    PartsDoNotAddUp = "K0402", Error, "the maxima of an item's parts do not add up to its score";
    BandGap = "K0403", Error, "the bands leave values that no band covers";
    BandOverlap = "K0404", Error, "two bands cover the same value";
    WrongDirection = "K0405", Error, "a clause adds in a deduction item or deducts in a bonus item";
    TotalMismatch = "K0406", Error, "the base scores do not add up to the declared total";
    MissingKind = "K0407", Error, "an item says neither its score nor that it is a deduction, bonus or veto item";
    MisplacedVeto = "K0408", Error, "a veto clause stands outside a veto item, or a veto item scores points";
    EmptyItem = "K0409", Warning, "an item has no rule, so it always scores in full";
    UnboundedLinear = "K0410", Error, "a linear band has an open end";
    MixedCap = "K0411", Error, "a cap closes a group that both adds and deducts";
    BadStart = "K0412", Error, "a part starts at a score other than 0 or its maximum";
    MissingHeader = "K0413", Warning, "the spec has no table header";
    NoItems = "K0414", Error, "the spec has no items";

    DataSyntax = "K0501", Error, "the data file is not valid JSON";
    DataShape = "K0502", Error, "an entity is not an object with an id";
    MissingDatum = "K0503", Error, "an input the spec requires is missing from an entity";
    UnknownDatum = "K0504", Warning, "an entity gives a field the spec does not declare";
    DatumType = "K0505", Error, "a datum has the wrong type";
    DatumNegative = "K0506", Error, "a count is negative or not a whole number";
    DatumRate = "K0507", Error, "a rate is outside 0% to 100%";
    DatumDate = "K0508", Error, "a date is malformed or not a calendar date";
    DatumVariant = "K0509", Error, "a value is not one of its enumeration's values";
    DuplicateEntity = "K0510", Error, "two entities have the same id";
    SheetMissing = "K0520", Error, "a list input's sheet or CSV file is missing";
    ColumnMissing = "K0521", Error, "a column the spec requires is missing from a header row";
    ListRowOrphan = "K0522", Error, "rows of a list belong to an entity the dataset does not have";
    TableUnreadable = "K0523", Error, "a CSV file or spreadsheet cannot be read as a table";

    Overflow = "K0601", Error, "a computation overflows exact decimal arithmetic";
    DivisionByZero = "K0602", Error, "a computation divides by zero";
    MissingOptional = "K0603", Error, "an optional input without a value is used";
    NoBand = "K0604", Error, "a value falls in no band";
    NegativeAmount = "K0605", Error, "a clause's amount comes out negative";
    BadMonth = "K0606", Error, "a month number is not between 1 and 12";
    Internal = "K0699", Error, "a value of a kind the checker rules out (a bug in kaohe: please report it)";

    OutputRequired = "K0701", Error, "a binary output format needs an output file";
    TestsMissing = "K0702", Error, "a spec has no test file beside it";
    TestsInvalid = "K0703", Error, "a test file is not a list of test cases";
    TestsUnknownItem = "K0704", Error, "a test case expects a score of an item the spec does not have";

    Io = "K0901", Error, "a file cannot be read or written";
    NotUtf8 = "K0902", Error, "a file is not UTF-8 text";
    DataFormat = "K0910", Error, "a data file's kind is not known by its extension";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
