//! Every diagnostic code, with its severity and a one-line title.
//!
//! Codes are stable: a code, once published, keeps its meaning. The hundreds
//! digit says the stage that raises it: K01 parse, K02 names, K03 types and
//! units, K04 table checks (K02 to K04 by the checker), K05 data, K06
//! evaluation, K07 authoring tools (test, render, diff), K09 files and
//! invocation (options, output files). Within a stage, related codes share a
//! decade (K051x data warnings, K052x tables, K092x options). The codes were
//! regrouped by stage once (issue 14); docs/diagnostics.md lists them all,
//! with the old number of each code renumbered then, and `tests/diagnostics/`
//! triggers each one.

use super::{Lang, Severity};
use serde::{Serialize, Serializer};

macro_rules! codes {
    ($($variant:ident = $code:literal, $sev:ident, $title:literal, $title_zh:literal;)*) => {
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

            /// What the code is about, in Chinese.
            pub fn title_zh(self) -> &'static str {
                match self { $(Code::$variant => $title_zh,)* }
            }

            /// What the code is about, in a language.
            pub fn title_in(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::En => self.title(),
                    Lang::Zh => self.title_zh(),
                }
            }
        }
    };
}

codes! {
    Syntax = "K0101", Error, "the text does not follow the grammar", "文本不符合语法";
    BadNumber = "K0102", Error, "a number is too large or too precise to be held exactly", "数值过大或小数位数过多，无法精确保存";
    BadDate = "K0103", Error, "a date literal is not a real calendar date", "日期不是日历上真实存在的日期";
    DuplicateEntry = "K0104", Error, "a header or item entry is given twice", "表头或考核事项的某一栏写了两次";
    TooDeep = "K0105", Error, "brackets and braces are nested too deep", "括号嵌套过深";
    TooLong = "K0106", Error, "an expression has too many words and operators", "表达式中的词和运算符过多";
    TooLarge = "K0107", Error, "a spec file is too large", "规则文件过大";
    MixedKeywords = "K0110", Error, "a spec mixes English and Chinese keywords", "规则文件混用了英文和中文关键字";
    FullWidth = "K0111", Error, "a full-width character stands where only its half-width form is read", "此处只认半角字符，却写了全角字符";
    MismatchedQuote = "K0112", Error, "a text opens with one kind of quote and closes with another", "文本的前后引号不成对";
    MisspeltKeyword = "K0113", Error, "a word stands where a keyword is expected, and is close to one", "应写关键字之处写了一个与关键字相近的词";
    DateWithoutYear = "K0114", Error, "a date is written without a year in a table that has none", "日期没有写年份，考核表也没有写年度";
    ThousandsSeparator = "K0115", Error, "a number is written with a thousands separator", "数字中写了千位分隔符";
    Invisible = "K0116", Error, "a character that shows nothing stands outside a text", "文本以外有看不见的字符";
    OtherSpace = "K0117", Error, "a character that looks like a space but is another one stands outside a text", "文本以外有一个看似空格、实为其他字符的空白";
    NeedlessColon = "K0118", Error, "a colon stands after a word that takes none", "不该写冒号的地方写了冒号";
    GluedKeyword = "K0119", Error, "a keyword is written against the word before it and read into it", "关键字紧贴在前一个词后面，被读进了这个词";

    UnknownName = "K0201", Error, "a name is used that no input or variable declares", "使用了未声明的数据项或变量名称";
    DuplicateId = "K0202", Error, "two sections, two indicators of one section or two items of one indicator have the same id", "两个一级指标、同一一级指标下的两个二级指标或同一二级指标下的两个考核事项编号相同";
    DuplicateInput = "K0203", Error, "two inputs or fields have the same name", "两个数据项或字段同名";
    UnusedInput = "K0204", Warning, "an input is declared but no rule uses it", "数据项已声明，但没有任何规则用到它";
    UnknownFunction = "K0205", Error, "a function is called that kaohe does not have", "调用了 kaohe 没有的函数";
    UnknownField = "K0206", Error, "a record field is used that its list does not declare", "使用了列表中未声明的记录字段";
    UnknownType = "K0207", Error, "a type name is neither built in nor a declared enum", "类型名称既不是内置类型，也不是已声明的枚举";
    NotAVariant = "K0208", Error, "a text is compared with an enumeration it is not a value of", "与枚举比较的文本不是该枚举的取值";
    DuplicateVariant = "K0209", Error, "an enumeration value or match arm is given twice", "枚举取值或“按”的对应关系写了两次";
    // results derived from the total (结果)
    ChineseNumeral = "K0212", Error, "a number is written in Chinese numerals (二, 十五, 半) where a rule needs digits", "规则中需要数字之处写了中文数字（二、十五、半）";
    ResultNamedTwice = "K0211", Error, "two results of the header have the same name", "表头的两个结果同名";
    UnknownLanguage = "K0210", Error, "the header's language is neither zh nor en", "表头的说明语言既不是 zh 也不是 en";
    // lead and supporting units (牵头单位 / 配合单位)
    UnitNamedTwice = "K0260", Error, "a unit is named twice among an item's lead and supporting units", "同一单位在考核事项的牵头单位和配合单位中写了两次";
    // standards by the unit's class (`standard … by …`, 标准 … 按 …)
    StandardNameTaken = "K0290", Error, "a standard has the name of an input or of another standard", "标准与某个数据项或另一个标准同名";
    UnusedStandard = "K0291", Warning, "a standard is declared but no rule uses it", "标准已声明，但没有任何规则用到它";
    // levels: ids as tables write them
    LabelKeyClash = "K0270", Error, "two ids of one level under one parent differ only by a trailing 、 or point", "同一上级下同一层级的两个编号只差末尾的“、”或“.”";
    AbsenceTwice = "K0250", Error, "an input gives a rule for one word of absence twice", "数据项对同一种缺项情形写了两条规则";

    TypeMismatch = "K0301", Error, "a value of one type is used where another is expected", "在需要某种类型的地方用了另一种类型的值";
    UnitMismatch = "K0302", Error, "quantities of different units are added or compared", "不同单位的量相加或相比较";
    RateVsPoints = "K0303", Error, "a rate is compared with a difference of rates (percentage points)", "比率与比率之差（百分点）相比较";
    BareRate = "K0304", Error, "a bare number stands where a percentage is meant", "应写百分比的地方写了不带单位的数";
    RoundingUnstated = "K0305", Error, "a per-unit rule on a continuous quantity does not say whole or continuous", "对连续量按每若干单位计分，却没有写明“按整”或“连续”";
    UnknownUnit = "K0306", Error, "a unit is written that no input of the spec uses", "使用了本规则文件中没有数据项使用的单位";
    NegativeCount = "K0307", Error, "a count is given a negative value", "计数被赋予负值";
    Arity = "K0308", Error, "a function is called with the wrong number of arguments", "函数的参数个数不对";
    NonExhaustive = "K0309", Error, "a match does not cover every value of its enumeration", "“按”没有覆盖枚举的全部取值";
    DivideByZero = "K0310", Error, "a division by a literal zero", "除以直接写出的零";
    DivisorMayBeZero = "K0311", Warning, "a divisor may be 0 on valid data and no condition around it rules 0 out", "除数在有效数据中可能为 0，且其外的条件没有排除 0";
    StepNotPositive = "K0312", Error, "a step of `per` is 0 or less", "“每”的步长为 0 或负数";
    // results derived from the total (结果)
    PayoutUnit = "K0360", Error, "the two ends of a payout are not both percentages or both plain numbers", "按比例结果的两端不同为百分比或不同为纯数";
    TopCount = "K0361", Error, "a top N is not a whole number of at least 1, nor a share from 0% to 100%", "前 N 名的 N 不是不小于 1 的整数，也不是 0% 至 100% 的比例";
    // standards by the unit's class (`standard … by …`, 标准 … 按 …)
    StandardClassNotEnum = "K0350", Error, "a standard is by an input that is not an enumeration", "标准所按的数据项不是枚举";
    StandardValue = "K0351", Error, "a standard's values are not numbers written out in one unit", "标准的取值不是同一单位下直接写出的数";
    StandardNotCovered = "K0352", Error, "a standard gives no value for some values of its class", "标准没有给出所按类别某些取值的标准值";
    AbsenceOnList = "K0330", Error, "a list input or one with a default declares a rule for an absent fact", "列表型数据项或写了缺省值的数据项声明了缺项规则";
    // referential checks on data (issue 15, item 9)
    AnyYearNotDate = "K0370", Error, "`any year` is written after a field that is not a date", "“不限年度”写在了非日期字段之后";
    CountUnitMismatch = "K0371", Error, "counts of different units are added or compared (次 with 个)", "不同单位的计数相加或相比较（如“次”与“个”）";

    CapExceedsScore = "K0401", Error, "a clause cap is larger than its item's score", "子句的上限超过了所在考核事项的分值";
    PartsDoNotAddUp = "K0402", Error, "the maxima of an item's parts do not add up to its score", "考核事项各分项的分值之和不等于本项分值";
    BandGap = "K0403", Error, "the bands leave values that no band covers", "分档之间有空缺，有的值不属于任何分档";
    BandOverlap = "K0404", Error, "two bands cover the same value", "两个分档包含同一个值";
    WrongDirection = "K0405", Error, "a clause adds in a deduction item or deducts in a bonus item", "扣分项中有加分子句，或加分项中有扣分子句";
    TotalMismatch = "K0406", Error, "the base scores do not add up to the declared total", "基本项分值之和不等于写明的总分";
    MissingKind = "K0407", Error, "an item says neither its score nor that it is a deduction, bonus or veto item", "考核事项既没有写分值，也没有写明是扣分项、加分项或否决项";
    MisplacedVeto = "K0408", Error, "a veto clause stands outside a veto item, or a veto item scores points", "否决子句不在否决项中，或否决项计了分";
    EmptyItem = "K0409", Warning, "an item has no rule, so it always scores in full", "考核事项没有规则，总是得满分";
    UnboundedLinear = "K0410", Error, "a linear band has an open end", "线性分档有一端没有界限";
    MixedCap = "K0411", Error, "a cap closes a group that both adds and deducts", "上限限定的一组子句既加分又扣分";
    BadStart = "K0412", Error, "a part starts at a score other than 0 or its maximum", "分项的起评分既不是 0 也不是其分值";
    MissingHeader = "K0413", Warning, "the spec has no table header", "规则文件没有考核表表头";
    NoItems = "K0414", Error, "the spec has no items", "规则文件没有考核事项";
    NegativeLiteralAmount = "K0415", Error, "a clause's amount is a negative number", "子句的分数写成了负数";
    NoBonusCeiling = "K0416", Warning, "a table has bonus items and no bonus ceiling over them", "考核表有加分项，却没有加分上限";
    ClauseNeverMoves = "K0417", Warning, "a clause can never move its item's score", "子句永远不会改变所在考核事项的得分";
    CapNeverBites = "K0418", Warning, "a cap is beyond what its clause or part can reach", "上限超出了子句或分项所能达到的分数";
    BandUnreachable = "K0419", Warning, "a band lies outside the values its quantity can take", "分档超出了被分档的量所能取的值";
    SumOverflow = "K0420", Error, "points add up beyond exact decimal arithmetic", "分值合计超出精确小数运算的范围";
    TwoCaps = "K0421", Error, "a clause has two caps of one kind", "一个子句有两个同类上限";
    JudgedUnscored = "K0430", Error, "an assessor's judgement stands in an item or part without a score", "酌情评分写在了没有分值的考核事项或分项中";
    JudgedNotAlone = "K0431", Error, "an item or part judged by the assessor also has clauses, parts or another judgement", "酌情评分的考核事项或分项中还有其他子句、分项或酌情评分";
    JudgedDefault = "K0432", Error, "the default of an assessor's score is outside 0 to the points", "酌情评分的缺省分不在 0 至本项分值之间";
    // results derived from the total (结果)
    GradeOrder = "K0480", Error, "a grade's marks are not in order from the highest down, or two are equal", "评定等次的分数线没有从高到低排列，或有两条相同";
    MarkBeyondTotal = "K0481", Error, "a result's mark is above the highest total a unit can reach", "结果的分数线高于被考核单位所能得到的最高总分";
    GradeWithoutElse = "K0482", Error, "a grade says nothing for totals below its lowest mark", "评定等次没有写明低于最低分数线时的等次";
    PayoutMarks = "K0483", Error, "a payout's first mark is not below its second", "按比例结果的起点分数不低于终点分数";
    // rules not yet written (`rule pending "…"`, 待写规则; issue 18)
    RulePending = "K0490", Warning, "an item's rule is not yet written: a placeholder holds its sentence", "考核事项的规则尚未编写：待写规则中只有原表的句子";
    PendingNotScored = "K0491", Error, "a spec with rules not yet written cannot be scored", "规则文件中还有待写规则，不能计分";
    // grade-to-score tables (`add match grade { "A" => 10, … }`)
    GradeAbovePoints = "K0470", Warning, "a grade gives more points than its item or part has", "某一等次对应的分数超过了所在考核事项或分项的分值";
    // lead and supporting units (牵头单位 / 配合单位)
    ResponsibleAndLead = "K0440", Error, "an item names both responsible units and lead or supporting units", "考核事项既写了责任单位，又写了牵头单位或配合单位";
    SupportingWithoutLead = "K0441", Error, "an item names supporting units but no lead unit", "考核事项写了配合单位，却没有写牵头单位";
    LeadOutsideItem = "K0442", Error, "lead or supporting units are given on a section or indicator", "在一级指标或二级指标上写了牵头单位或配合单位";
    // extra awards (超额加分) and waivers of deductions (免予扣分)
    ExtraOutsideScoredItem = "K0460", Error, "an extra award stands in an item without points", "超额加分写在了没有分值的考核事项中";
    ExtraInPart = "K0461", Error, "an extra award stands inside a part", "超额加分写在了分项中";
    WaiverWithoutDeductions = "K0462", Error, "a waiver stands in an item or part that deducts nothing", "免予扣分写在了没有扣分子句的考核事项或分项中";
    WaiverWithAdds = "K0463", Error, "a waiver stands in an item or part that also adds points", "免予扣分所在的考核事项或分项中还有加分子句";
    // levels and their points
    HeadingPointsMismatch = "K0450", Error, "a section's or indicator's points differ from what its children add up to", "一级指标或二级指标的分值不等于其下级分值之和";
    ChildrenSumWrong = "K0451", Error, "a heading's `children sum` is not what its children add up to", "指标写明的“下级合计”不等于其下级分值之和";
    ChildrenSumNotLess = "K0452", Error, "a heading's `children sum` is not less than its points", "指标写明的“下级合计”不小于其分值";
    // a heading's ceiling on its deductions (扣分项 最高, 扣完为止)
    HeadingDeductionCapAbovePoints = "K0484", Error, "a heading's ceiling on what it loses is above its points", "指标的扣分上限高于其分值";
    HeadingDeductionCapNeverBites = "K0485", Warning, "a heading's ceiling on what it loses can never bite", "指标写明的扣分上限不会起作用";
    // levels of any depth (1–5)
    HeadingHoldsBoth = "K0486", Error, "a heading holds both items and headings of the next level", "指标之下既有考核事项又有下级指标";

    DataSyntax = "K0501", Error, "the data file is not valid JSON", "数据文件不是有效的 JSON";
    DataShape = "K0502", Error, "an entity is not an object with an id", "被考核单位不是带 id 的对象";
    MissingDatum = "K0503", Error, "an input the spec requires is missing from an entity", "被考核单位缺少规则文件要求的数据项";
    UnknownDatum = "K0504", Warning, "an entity gives a field the spec does not declare", "被考核单位填了规则文件未声明的数据项";
    DatumType = "K0505", Error, "a datum has the wrong type", "数据的类型不对";
    DatumNegative = "K0506", Error, "a count is negative or not a whole number", "计数为负数或不是整数";
    DatumRate = "K0507", Error, "a rate is outside 0% to 100%", "比率不在 0% 至 100% 之间";
    DatumDate = "K0508", Error, "a date is malformed or not a calendar date", "日期格式不对或不是真实存在的日期";
    DatumVariant = "K0509", Error, "a value is not one of its enumeration's values", "取值不是所属枚举的取值之一";
    DuplicateEntity = "K0510", Error, "two entities have the same id", "两个被考核单位的 id 相同";
    RateFraction = "K0511", Warning, "a rate is written as a fraction from 0 to 1 without a percent sign", "比率写成了 0 至 1 之间的小数，且没有百分号";
    TitleRows = "K0512", Warning, "rows above the header row were skipped", "表头行上方的行已跳过";
    TotalRow = "K0513", Warning, "a total row (合计) under the data was skipped", "数据下方的合计行已跳过";
    SheetOrder = "K0514", Warning, "the entities' sheet is not the first sheet of the workbook", "被考核单位所在的工作表不是工作簿的第一个工作表";
    Encoding = "K0515", Warning, "a CSV file was read in an encoding other than UTF-8", "CSV 文件按 UTF-8 以外的编码读取";
    IdShortened = "K0516", Error, "an id is a long number code whose last digits Excel has lost", "id 是 Excel 丢失了末几位的长数字编码";
    HiddenRows = "K0517", Warning, "rows hidden or filtered out of a sheet are read and scored all the same", "工作表中被隐藏或被筛选掉的行仍会读取并计分";
    SheetsOfUnits = "K0518", Error, "two visible sheets of a workbook both hold units (an `id` column, named after no list)", "工作簿中有两个未隐藏的工作表都是被考核单位表（有“id”列，且不以列表命名）";
    SheetMissing = "K0520", Error, "a list input's sheet or CSV file is missing", "缺少列表型数据项的工作表或 CSV 文件";
    ColumnMissing = "K0521", Error, "a column the spec requires is missing from a header row", "表头行缺少规则文件要求的列";
    ListRowOrphan = "K0522", Error, "rows of a list belong to an entity the dataset does not have", "列表中的行属于数据集中没有的被考核单位";
    TableUnreadable = "K0523", Error, "a CSV file or spreadsheet cannot be read as a table", "CSV 文件或电子表格无法按表格读取";
    DuplicateColumn = "K0524", Error, "a header row names one column twice", "表头行中同一列名出现了两次";
    NamesRowDeleted = "K0525", Error, "a table's first row is the template's row of units and descriptions: its row of column names was deleted", "表格第一行是模板的“单位｜说明”行：列名行已被删除";
    MergedAcross = "K0526", Error, "cells of a sheet are merged across the columns of several inputs", "工作表中有单元格跨越几项数据的列合并";
    FormulaUnsaved = "K0527", Error, "a formula cell of a workbook holds no result that can be trusted (the workbook was written by a program and never calculated)", "工作簿中的公式单元格没有可信的计算结果（文件由程序生成，从未计算过）";
    JudgedOutOfBounds = "K0530", Error, "an assessor's score is below 0 or above the points of its item", "评审给分小于 0 或超过本项分值";
    DuplicateKey = "K0540", Error, "a JSON object of the data gives one key twice (an entity's input, a record's field)", "数据中的 JSON 对象把同一个键写了两次（被考核单位的数据项或记录的字段）";
    AbsenceUndeclared = "K0541", Error, "a cell says a fact is absent (未申报, 不适用) for an input that declares no rule for that word", "数据写了缺项词（未申报、不适用），而该数据项没有声明这种情形的规则";
    // referential checks on data (issue 15, item 9)
    DatumMonth = "K0542", Error, "a month is not a whole number from 1 to 12", "月份不是 1 至 12 之间的整数";
    DatumQuarter = "K0543", Error, "a quarter is not a whole number from 1 to 4", "季度不是 1 至 4 之间的整数";
    DateOutsideYear = "K0544", Error, "a date of a list's record lies outside the table's year", "列表记录中的日期不在考核年度内";
    UnknownItemRef = "K0545", Error, "a value names no section, indicator or item of the table", "取值不是考核表中任何一级指标、二级指标或考核事项的编号";

    Overflow = "K0601", Error, "a computation overflows exact decimal arithmetic", "计算结果超出精确小数运算的范围";
    DivisionByZero = "K0602", Error, "a computation divides by zero", "计算中除数为零";
    MissingOptional = "K0603", Error, "an optional input without a value is used", "用到了没有取值的可缺数据项";
    NoBand = "K0604", Error, "a value falls in no band", "取值不属于任何分档";
    NegativeAmount = "K0605", Error, "a clause's amount comes out negative", "子句计算出的分数为负";
    BadMonth = "K0606", Error, "a month number is not between 1 and 12", "月份不在 1 至 12 之间";
    AbsentRead = "K0640", Error, "a fact given as absent (未申报, 不适用) is read where its rule does not reach", "写为缺项（未申报、不适用）的数据在其缺项规则管不到的地方被用到";
    Internal = "K0699", Error, "a value of a kind the checker rules out (a bug in kaohe: please report it)", "出现了检查阶段已排除的取值（kaohe 自身的缺陷，请报告）";

    TestsMissing = "K0702", Error, "a spec has no test file beside it", "规则文件旁没有测试文件";
    TestsInvalid = "K0703", Error, "a test file is not a list of test cases", "测试文件不是测试用例列表";
    TestsUnknownItem = "K0704", Error, "a test case expects a score of an item the spec does not have", "测试用例预期了规则文件中没有的考核事项的得分";

    // kaohe import (src/import, issue 18): reading a published table into a draft spec
    ImportEmpty = "K0801", Error, "the file to import holds no text", "要导入的文件中没有文字";
    ImportNoTable = "K0802", Error, "no assessment table was found in the file: no header row naming its columns", "文件中没有找到考核表：没有写明各列名称的表头行";
    ImportUnplaced = "K0803", Warning, "a cell or line of the imported table could not be placed in the draft", "导入的表格中有单元格或行无法放入草稿";
    ImportDraftExists = "K0804", Error, "the draft file exists already", "草稿文件已存在";
    ImportFormat = "K0805", Error, "the file's kind is not one kaohe import reads", "kaohe import 不能读取这种类型的文件";
    // kaohe import of Word documents and spreadsheets (src/import/file.rs, docx.rs, xlsx.rs)
    ImportEncrypted = "K0806", Error, "the file to import is protected by a password", "要导入的文件设有密码保护";
    ImportOldFormat = "K0807", Error, "the file is an old Word or Excel (or WPS) file: kaohe import reads .docx and .xlsx", "文件是旧版 Word、Excel（或 WPS）格式：kaohe import 读取 .docx 和 .xlsx";
    ImportTooLarge = "K0808", Error, "the file to import is larger than kaohe import reads", "要导入的文件超过了 kaohe import 可读取的大小";
    ImportUnpacksTooLarge = "K0809", Error, "the document unpacks to more than kaohe import reads", "文档解压后超过了 kaohe import 可读取的大小";
    ImportDamaged = "K0810", Error, "the file cannot be read as the Word document or spreadsheet its name says", "文件无法按其扩展名所示读取为 Word 文档或电子表格";
    // kaohe import: limits and reader causes of workbooks (src/import/xlsx.rs, file.rs)
    ImportSheetTooLarge = "K0811", Error, "a worksheet's cells are too many or spread too far apart to be an assessment table", "工作表的单元格过多或分布过散，不可能是考核表";
    // kaohe import: tables of any shape (src/import/table.rs)
    ImportTotalDiffers = "K0812", Warning, "the table's total row (合计) does not match its items' points added up", "表中合计行的分值与各考核事项分值之和不符";

    Io = "K0901", Error, "a file cannot be read or written", "文件无法读取或写入";
    NotUtf8 = "K0902", Error, "a file is not UTF-8 text", "文件不是 UTF-8 文本";
    DataFormat = "K0910", Error, "a data file's kind is not known by its extension", "无法从扩展名判断数据文件的类型";
    ReadOnlyOutput = "K0911", Error, "an output file is read-only", "输出文件是只读的";
    StdoutFailed = "K0912", Error, "standard output cannot be written (closed, or the disk is full)", "无法写入标准输出（已关闭或磁盘已满）";
    WorkbookLimit = "K0913", Error, "a report passes a limit of the XLSX format", "报告超出了 XLSX 格式的限制";
    // The XLSX report written unit by unit (report::xlsx::Writer).
    WorkbookTooManyUnits = "K0955", Error, "more units than an XLSX report holds (a sheet each)", "单位数超出 XLSX 报告能容纳的数量（每个单位一个工作表）";
    WorkbookOpenFiles = "K0956", Error, "the system lets kaohe open too few files at once for the XLSX report's sheets", "系统允许 kaohe 同时打开的文件数不足以写出 XLSX 报告的各工作表";
    WorkbookTempFiles = "K0957", Error, "the XLSX report's temporary files cannot be made", "无法创建 XLSX 报告的临时文件";

    OutputRequired = "K0920", Error, "a binary output format needs an output file", "二进制输出格式需要指定输出文件";
    OptionConflict = "K0921", Error, "options of a command that do not go together", "命令的选项不能同时使用";

    // kaohe serve (src/serve): the answers of the workbench's HTTP API.
    ServeOutside = "K0930", Error, "a path asked of the workbench is outside its workspace", "向工作台请求的路径在工作区之外";
    ServeNotFound = "K0931", Error, "a file or version asked of the workbench does not exist", "向工作台请求的文件或版本不存在";
    ServeConflict = "K0932", Error, "a file changed on disk since it was opened in the workbench", "文件在工作台中打开后已在磁盘上被修改";
    ServeTooLarge = "K0933", Error, "an upload to the workbench is larger than its limit", "上传到工作台的文件超过了大小限制";
    ServeForbidden = "K0934", Error, "a request that changes files came without the workbench's header", "修改文件的请求未带工作台的请求头";
    ServeUnauthorized = "K0935", Error, "a request to the workbench came without its token", "向工作台的请求未带访问令牌";
    ServeBadRequest = "K0936", Error, "a request to the workbench is malformed", "向工作台的请求格式不正确";
    ServeFileKind = "K0937", Error, "a file of a kind the workbench does not open or save", "工作台不打开或保存这种类型的文件";
    ServeBind = "K0938", Error, "the workbench cannot listen at the address asked for", "工作台无法在所请求的地址上监听";
    ServeSpecErrors = "K0939", Error, "the workbench was asked to score, render or report from a spec or data that has errors", "要求工作台计分、生成表格或报告的规则文件或数据有错误";
    ServeTemplateFiles = "K0940", Error, "a CSV template of several files asked of the workbench", "向工作台请求的 CSV 模板由多个文件组成";
    ServeBug = "K0941", Error, "the workbench stopped answering a request because of a bug of its own (please report it)", "工作台因自身的缺陷未能完成请求（请报告）";
    ServeResultGone = "K0942", Error, "scores asked of the workbench that it no longer keeps", "向工作台请求的计分结果已不再保留";
    ServeListFiles = "K0943", Error, "list files uploaded to the workbench without exactly one CSV file of the assessed units", "上传到工作台的列表文件没有恰好一个被考核单位的 CSV 文件";
    // The text being edited, scored (serve::drafts): K0944 and K0946.
    ServeDraftGone = "K0944", Error, "a text sent to the workbench to be scored that it no longer keeps", "发给工作台计分的文本已不再保留";
    ServeCaseOutside = "K0945", Error, "a test case run in the workbench reads its data from outside the workspace", "在工作台中运行的测试用例从工作区之外读取数据";
    ServeDraftOtherSpec = "K0946", Error, "a draft of one spec sent to the workbench to score as another", "发给工作台的某一规则文件的草稿被要求按另一规则文件计分";

    // kaohe lsp (src/lsp): the language server's answers to an editor.
    LspBadRequest = "K0950", Error, "a message from the editor to the language server is malformed", "编辑器发给语言服务器的消息格式不正确";
    LspNotOpen = "K0951", Error, "the editor asked about a document it has not opened in the language server", "编辑器询问了未在语言服务器中打开的文档";
    LspBug = "K0952", Error, "the language server stopped answering a request because of a bug of its own (please report it)", "语言服务器因自身的缺陷未能完成请求（请报告）";
    LspTestFails = "K0953", Error, "a test case beside the spec no longer scores as it expects", "规则文件旁的测试用例的得分与预期不再相符";
    LspCannotFormat = "K0954", Error, "the editor asked to format or rename in a spec that does not parse, or a rename that cannot be made", "编辑器要求格式化或重命名，但规则文件无法解析或无法这样重命名";
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
