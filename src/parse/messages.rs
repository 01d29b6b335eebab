//! The parse stage's diagnostics, one function each, in the order of their
//! codes (`Code`), so that the parser reads as parsing and the texts can be
//! reviewed in one place.

use super::fullwidth::Refusal;
use super::keywords::{self, KeywordSet};
use super::limits::{MAX_DEPTH, MAX_STRETCH};
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::source::Span;
use crate::t;

/// `Code::Syntax`: a parse tree of a shape the builders do not know (a bug).
pub(super) fn internal(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::Syntax,
        t!(
            "the parser met a shape it does not know (this is a bug in kaohe)",
            "语法分析遇到了无法识别的结构（这是 kaohe 自身的缺陷）"
        ),
    )
    .at(at, t!("here", "此处"))
    .with_help(t!(
        "please report this spec to the kaohe maintainers",
        "请将此规则文件报送 kaohe 维护人员"
    ))
}

/// `Code::Syntax`: a text whose closing quote is missing.
pub(super) fn unclosed_text(open: Span) -> Diagnostic {
    Diagnostic::new(
        Code::Syntax,
        t!(
            "this text is not closed: its closing `\"` is missing",
            "此处文本没有结束：缺少结尾的引号“\"”"
        ),
    )
    .at(open, t!("the text opens here", "文本从此处开始"))
    .with_help(t!(
        "a text ends on the line it starts on; write a line break inside a text as \\n",
        "文本须在同一行内结束；文本中需要换行时写作 \\n"
    ))
}

/// `Code::Syntax`: what pest expected at a place, and what it found.
pub(super) fn syntax(message: Text, found: &str, at: Span, help: Option<Text>) -> Diagnostic {
    let label = if found.is_empty() {
        t!("found the end of the file", "却已到文件末尾")
    } else {
        t!("found `{found}`", "实际为“{found}”")
    };
    let mut d = Diagnostic::new(Code::Syntax, message).at(at, label);
    if let Some(h) = help {
        d = d.with_help(h);
    }
    d
}

/// `Code::Syntax`: `written` (`<>`, `=<`) is how a spreadsheet's formula
/// writes the comparison kaohe writes `meant`.
pub(super) fn spreadsheet_operator(written: &str, meant: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::Syntax,
        t!(
            "`{written}` is not a comparison in kaohe: write `{meant}`",
            "“{written}”在 kaohe 中不是比较符号：应写“{meant}”"
        ),
    )
    .at(at, t!("write `{meant}`", "应写“{meant}”"))
    .with_help(t!(
        "kaohe writes not equal as `!=` or `≠` (a spreadsheet's formula writes `<>`), and at most, at least as `<=`, `>=` (or `≤`, `≥`)",
        "kaohe 中“不等于”写作“!=”或“≠”（电子表格公式中写作“<>”），“不大于”“不小于”写作“<=”“>=”（或“≤”“≥”）"
    ))
    .with_fix(at, meant)
}

/// `Code::Invisible`: a character that shows nothing, outside texts and
/// comments (pasted in from a web page or a chat).
pub(super) fn invisible(at: usize, c: char) -> Diagnostic {
    let (span, code) = char_named(at, c);
    let (en, zh) = match c {
        '\u{200b}' => ("zero-width space", "零宽空格"),
        '\u{200c}' => ("zero-width non-joiner", "零宽非连接符"),
        '\u{200d}' => ("zero-width joiner", "零宽连接符"),
        '\u{200e}' | '\u{200f}' => ("direction mark", "文字方向标记"),
        '\u{2060}' => ("word joiner", "零宽连字符"),
        '\u{feff}' => ("byte order mark", "字节顺序标记 BOM"),
        _ => ("soft hyphen", "软连字符"),
    };
    Diagnostic::new(
        Code::Invisible,
        t!(
            "an invisible character, {code} ({en}), stands here",
            "此处有一个看不见的字符：{code}（{zh}）"
        ),
    )
    .at(span, t!("invisible {code}: delete it", "看不见的 {code}：应删去"))
    .with_help(t!(
        "it shows nothing but is read, most likely pasted in with text copied from a web page or a chat; delete it (put the cursor just after it and press Backspace once, or use the editor's fix)",
        "这种字符显示不出来，却会被读入，多半是从网页或聊天软件复制文字时带进来的；请删去（把光标放在它后面按一次退格键，或使用编辑器的快速修复）"
    ))
    .with_fix(span, "")
}

/// Where `c` stands from `at`, and its code point as Unicode names it
/// (`U+00A0`).
fn char_named(at: usize, c: char) -> (Span, String) {
    (
        Span::new(at, at + c.len_utf8()),
        format!("U+{:04X}", c as u32),
    )
}

/// `Code::OtherSpace`: a character outside texts that looks like a space
/// and is not one kaohe reads as such (pasted in from Word or a web page).
pub(super) fn other_space(at: usize, c: char) -> Diagnostic {
    let (span, code) = char_named(at, c);
    let (en, zh) = match c {
        '\u{a0}' => ("no-break space", "不间断空格"),
        '\u{202f}' => ("narrow no-break space", "窄不间断空格"),
        _ => ("typographic space", "排版用空格"),
    };
    Diagnostic::new(
        Code::OtherSpace,
        t!(
            "a {en} ({code}) stands here: it looks like a space but is not one",
            "此处是一个{zh}（{code}）：看起来像空格，其实不是"
        ),
    )
    .at(span, t!("{code}: write an ordinary space", "{code}：应换成普通空格"))
    .with_help(t!(
        "text copied from Word or a web page often brings it; outside texts kaohe reads only the ordinary space, the tab and the full-width space as space between words: type an ordinary space instead (or use the editor's fix)",
        "从 Word 或网页复制文字时常带进这种空格；在文本以外，kaohe 只把普通空格、Tab 和全角空格当作词与词之间的空白：请删去它，重新输入一个普通空格（或使用编辑器的快速修复）"
    ))
    .with_fix(span, " ")
}

/// `Code::NeedlessColon`: a colon after `word`, which takes none (`总分：100`,
/// as a table in Word writes it); `fix` replaces the colon.
pub(super) fn needless_colon(word: &str, colon: Span, fix: &str) -> Diagnostic {
    let (en, zh) = if word.is_empty() {
        (
            String::from("no colon is written here"),
            String::from("此处不写冒号"),
        )
    } else {
        (
            format!("no colon is written after `{word}`"),
            format!("“{word}”后面不写冒号"),
        )
    };
    Diagnostic::new(Code::NeedlessColon, t!("{en}", "{zh}"))
        .at(colon, t!("delete this colon", "应删去这个冒号"))
        .with_help(t!(
            "a keyword is followed by a space and what it takes, without a colon: `total 100`, `score 5` (`总分 100`, `分值 5`); delete the colon (or use the editor's fix)",
            "规则中的关键字后面空一格直接写内容，不加冒号，如“总分 100”“分值 5”；请删去冒号（或使用编辑器的快速修复）"
        ))
        .with_fix(colon, fix)
}

/// `Code::GluedKeyword`: `keyword` written against what stands `before`
/// it, at `at`, and read into the word before it (`villages_signed低于`).
pub(super) fn glued_keyword(before: &str, keyword: &str, at: usize) -> Diagnostic {
    let span = Span::new(at, at + keyword.len());
    Diagnostic::new(
        Code::GluedKeyword,
        t!(
            "the keyword `{keyword}` is written against `{before}` and read into the word before it",
            "关键字“{keyword}”紧贴在“{before}”后面，被读进了前面的词"
        ),
    )
    .at(span, t!("write a space before `{keyword}`", "在“{keyword}”前空一格"))
    .with_help(t!(
        "names and units may hold Chinese characters, so a keyword written against the word before it is read as part of that word; put a space before the keyword (or use the editor's fix)",
        "名称和单位里可以有汉字，所以紧贴在词后面的关键字会被读进这个词里；请在关键字前加一个空格（或使用编辑器的快速修复）"
    ))
    .with_fix(Span::new(at, at), " ")
}

/// `Code::BadNumber`: a number with more decimal places than a Decimal holds.
pub(super) fn too_many_decimals(written: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::BadNumber,
        t!(
            "the number {} has too many decimal places to be held exactly",
            "数值 {} 的小数位数过多，无法精确保存",
            written
        ),
    )
    .at(at, t!("too many decimal places", "小数位数过多"))
    .with_help(t!(
        "kaohe keeps 28 significant digits; round the number to fewer decimal places",
        "kaohe 最多保留 28 位有效数字，请减少小数位数"
    ))
}

/// `Code::BadNumber`: a number beyond the largest a Decimal holds.
pub(super) fn number_too_large(written: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::BadNumber,
        t!(
            "the number {} is too large to be held exactly",
            "数值 {} 过大，无法精确保存",
            written
        ),
    )
    .at(at, t!("too large", "数值过大"))
    .with_help(t!(
        "kaohe holds numbers up to 79228162514264337593543950335; write a smaller number",
        "kaohe 可保存的最大数值为 79228162514264337593543950335，请改用较小的数"
    ))
}

/// `Code::BadNumber`: a header's year that is no year.
pub(super) fn not_a_year(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::BadNumber,
        t!("the year is not a year", "年度不是有效的年份"),
    )
    .at(at, t!("expected a year such as 2024", "应为年份，如 2024"))
}

/// `Code::BadDate`: a date that is not on the calendar (`2024-02-30`).
pub(super) fn not_a_calendar_date(
    text: &str,
    problem: crate::diagnostic::Text,
    at: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::BadDate,
        t!(
            "{text} is not a calendar date: {}",
            "{text} 不是有效的日期：{}",
            problem
        ),
    )
    .at(at, t!("no such day", "日历上没有这一天"))
}

/// `Code::DuplicateEntry`: a header or meta entry given twice.
pub(super) fn duplicate(what: &str, second: Span, first: Span) -> Diagnostic {
    let zh = keywords::chinese(what).unwrap_or(what);
    Diagnostic::new(
        Code::DuplicateEntry,
        t!("`{what}` is given twice", "“{zh}”写了两次"),
    )
    .at(second, t!("given again here", "此处重复"))
    .with_label(first, t!("first given here", "首次出现在此处"))
    .with_help(t!("keep one `{what}`", "只保留一处“{zh}”"))
}

/// `Code::TooDeep`: brackets nested beyond `MAX_DEPTH`.
pub(super) fn too_deep(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TooDeep,
        t!(
            "brackets and braces are nested more than {MAX_DEPTH} deep here",
            "此处括号嵌套超过 {MAX_DEPTH} 层"
        ),
    )
    .at(at, t!("too deep", "嵌套过深"))
    .with_help(t!(
        "write the rule as several clauses or parts instead of nesting it",
        "请把这条规则拆成几个子句或分项来写，不要层层嵌套"
    ))
}

/// `Code::TooLong`: an expression longer than `MAX_STRETCH` tokens.
pub(super) fn too_long(at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TooLong,
        t!(
            "an expression has more than {MAX_STRETCH} words and operators",
            "一个表达式中的词和运算符超过 {MAX_STRETCH} 个"
        ),
    )
    .at(at, t!("this expression starts here", "该表达式从此处开始"))
    .with_help(t!(
        "split the rule into several clauses, each with its own description",
        "请把这条规则拆成几个子句，各写各的说明"
    ))
}

/// `Code::TooLarge`: a spec longer than kaohe reads.
pub(super) fn too_large(len: usize, max: usize) -> Diagnostic {
    Diagnostic::new(
        Code::TooLarge,
        t!(
            "the spec is {} bytes long, more than the {} kaohe reads",
            "规则文件长 {} 字节，超过 kaohe 可读取的 {} 字节",
            len,
            max
        ),
    )
    .with_help(t!(
        "split the table into several specs, one per assessed level or year",
        "请将考核表拆成几个规则文件，每个考核层级或年度一个"
    ))
}

/// `Code::MixedKeywords`: a keyword of the other set than the spec began in.
pub(super) fn mixed_keywords(
    word: &str,
    instead: &str,
    begins: &str,
    set: KeywordSet,
    at: Span,
    first_at: Span,
) -> Diagnostic {
    let convert = match set {
        KeywordSet::En => KeywordSet::Zh,
        KeywordSet::Zh => KeywordSet::En,
    };
    let its = KeywordSet::of(word);
    let flag = convert.flag();
    let convert_zh = convert.name().zh;
    Diagnostic::new(
        Code::MixedKeywords,
        t!(
            "`{word}` is {} {} keyword, but this spec is written with {} keywords",
            "“{word}”是{}{}关键字，而本规则文件使用的是{}关键字",
            its.article(),
            its.name(),
            set.name()
        ),
    )
    .at(at, t!("write `{instead}` here", "此处应写“{instead}”"))
    .with_label(
        first_at,
        t!(
            "the spec begins with the {} keyword `{begins}`",
            "规则文件开头用的是{}关键字“{begins}”",
            set.name()
        ),
    )
    .with_help(t!(
        "use one keyword set in a file: write `{instead}` instead of `{word}`, or convert the whole file with `kaohe fmt --keywords {flag}`",
        "同一文件只能使用一套关键字：把“{word}”改为“{instead}”，或用 `kaohe fmt --keywords {flag}` 把整个文件统一转换为{convert_zh}关键字"
    ))
}

/// `Code::FullWidth`: a name or unit with a full-width letter or digit.
pub(super) fn full_width_in_name(
    word: &str,
    c: char,
    half_c: char,
    half: &str,
    char_span: Span,
    at: Span,
) -> Diagnostic {
    Diagnostic::new(
            Code::FullWidth,
            t!(
                "the name `{word}` has the full-width character `{c}` in it",
                "名称“{word}”中有全角字符“{c}”"
            ),
        )
        .at(
            char_span,
            t!(
                "full-width `{c}`: write the half-width `{half_c}`",
                "全角“{c}”：应写半角“{half_c}”"
            ),
        )
        .with_help(t!(
            "names are written with half-width letters and digits: write `{half}` (switch the input method to half-width, or to English)",
            "名称中的字母和数字应为半角：写作“{half}”（把输入法切换到半角或英文）"
        ))
        .with_fix(at, half.to_string())
}

/// `Code::FullWidth`: a full-width character refused outside texts.
pub(super) fn full_width_refused(at: usize, c: char, r: Refusal) -> Diagnostic {
    let span = Span::new(at, at + c.len_utf8());
    let d = Diagnostic::new(
        Code::FullWidth,
        t!(
            "the full-width character `{c}` cannot be read here",
            "此处不能使用全角字符“{c}”"
        ),
    );
    match r {
        Refusal::Half(h) => d
            .at(
                span,
                t!(
                    "full-width `{c}`: write the half-width `{h}`",
                    "全角“{c}”：应写半角“{h}”"
                ),
            )
            .with_help(t!(
                "outside texts, kaohe reads only the half-width `{h}`: replace `{c}` with it (switch the input method to half-width, or to English)",
                "在文本以外，kaohe 只认半角“{h}”：请把“{c}”换成“{h}”（把输入法切换到半角或英文）"
            ))
            .with_fix(span, h.to_string()),
        Refusal::Delete => d
            .at(
                span,
                t!(
                    "full-width `{c}`: there is no half-width form to write; delete it",
                    "全角“{c}”：规则中没有对应的半角符号，应删去"
                ),
            )
            .with_help(t!(
                "a spec has no sentence marks: a clause ends at the end of its line, and a decimal point is written `.` (`。` is read as one only between two digits)",
                "规则中不用句读符号：子句写到行尾即结束；小数点写作“.”（“。”只在两个数字之间才当作小数点）"
            ))
            .with_fix(span, ""),
        Refusal::Compare(h, eq) => d
            .at(
                span,
                t!(
                    "`{c}`: a comparison is written with the half-width `{h}`",
                    "“{c}”：比较应写半角“{h}”"
                ),
            )
            .with_help(t!(
                "with its Chinese punctuation on, an input method types `《` for the `<` key and `》` for `>`: replace `{c}` with `{h}` (or switch the input method to English punctuation)",
                "输入法在中文标点状态下，按“<”键打出的是“《”，按“>”键打出的是“》”：请把“{c}”换成“{h}”（或把输入法切换到英文标点）"
            ))
            .with_fix(
                Span::new(at, span.end + eq.map_or(0, char::len_utf8)),
                format!("{h}{}", if eq.is_some() { "=" } else { "" }),
            ),
        Refusal::Quote => d
            .at(
                span,
                t!(
                    "full-width `{c}`: a text is quoted with the half-width `\"`",
                    "全角“{c}”：文本应放在半角引号“\"”之间"
                ),
            )
            .with_help(t!(
                "write a text between quotes, \"…\" or “…”; brackets such as `{c}` may stand inside a text",
                "文本写在引号之间，如 \"…\" 或 “…”；“{c}”这类括号可以写在文本之内"
            ))
            .with_fix(span, "\""),
    }
}

/// `Code::MismatchedQuote`: a text closed with another quote than its opening one's.
pub(super) fn mismatched_quote(
    open_at: usize,
    open: char,
    close_at: usize,
    found: char,
    close: char,
) -> Diagnostic {
    let close_span = Span::new(close_at, close_at + found.len_utf8());
    let (kind_en, kind_zh) = if found == '"' {
        ("half-width", "半角")
    } else {
        ("full-width", "全角")
    };
    Diagnostic::new(
        Code::MismatchedQuote,
        t!(
            "this text opens with `{open}` but closes with the {kind_en} `{found}`",
            "此处文本以 {open} 开始，却以{kind_zh}的 {found} 结束"
        ),
    )
    .at(
        close_span,
        t!(
            "{kind_en} `{found}`: write `{close}` to close a text opened with `{open}`",
            "{kind_zh} {found}：以 {open} 开始的文本应以 {close} 结束"
        ),
    )
    .with_label(
        Span::new(open_at, open_at + open.len_utf8()),
        t!("the text opens here", "文本从此处开始"),
    )
    .with_help(t!(
        "close a text with the quote that matches its opening one: \"…\", “…” or ‘…’",
        "文本的前后引号须成对：\"…\" 或 “…” 或 ‘…’"
    ))
    .with_fix(close_span, close.to_string())
}

/// `Code::MisspeltKeyword`: a word near several keywords expected there.
pub(super) fn misspelt_one_of(word: &str, meant: Text, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::MisspeltKeyword,
        t!(
            "`{word}` is not a keyword here: did you mean {}?",
            "“{word}”不是此处可用的关键字：是否应为{}？",
            meant
        ),
    )
    .at(at, t!("did you mean {}?", "是否应为{}？", meant))
    .with_help(t!(
        "write the keyword meant; docs/language.md lists every keyword in English and Chinese",
        "请改为所指的关键字；全部中英文关键字见 docs/language.md"
    ))
}

/// `Code::MisspeltKeyword`: a word near one keyword expected there.
pub(super) fn misspelt_keyword(word: &str, meant: String, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::MisspeltKeyword,
        t!(
            "`{word}` is not a keyword here: did you mean `{meant}`?",
            "“{word}”不是此处可用的关键字：是否应为“{meant}”？"
        ),
    )
    .at(at, t!("did you mean `{meant}`?", "是否应为“{meant}”？"))
    .with_help(t!(
        "write `{meant}`; docs/language.md lists every keyword in English and Chinese",
        "请写作“{meant}”；全部中英文关键字见 docs/language.md"
    ))
    .with_fix(at, meant)
}

/// `Code::DateWithoutYear`: `5月31日` in a table that declares no year.
pub(super) fn date_without_year(written: &str, m: u32, d: u32, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DateWithoutYear,
        t!(
            "the date {written} has no year, and the table declares none",
            "日期“{written}”没有写年份，考核表也没有写年度"
        ),
    )
    .at(at, t!("which year?", "哪一年？"))
    .with_help(t!(
        "write the year: 2024-{m:02}-{d:02}, 2024年{m}月{d}日 or 2024/{m}/{d}; or declare the table's year in its header (year 2024), which a date written {m}月{d}日 then takes",
        "请写出年份：2024-{m:02}-{d:02}、2024年{m}月{d}日 或 2024/{m}/{d}；或在考核表表头写明年度（年度 2024），此后写作 {m}月{d}日 的日期即取该年度"
    ))
}

/// `Code::ThousandsSeparator`: `max(1,000)`, one number or two arguments?
pub(super) fn thousands_separator(first: &str, group: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::ThousandsSeparator,
        t!(
            "`{first},{group}` may be one number with a thousands separator or two arguments",
            "“{first},{group}”既可能是带千位分隔符的一个数，也可能是两个参数"
        ),
    )
    .at(at, t!("a thousands separator, or between two arguments?", "千位分隔符，还是两个参数之间的逗号？"))
    .with_help(t!(
        "kaohe reads no thousands separators: write `{first}{group}` for one number, or `{first}, {group}` (with a space) for two arguments",
        "kaohe 不识别千位分隔符：一个数写作“{first}{group}”；两个参数写作“{first}, {group}”（逗号后加空格）"
    ))
}

/// `Code::ThousandsSeparator`: a number written with a thousands separator.
pub(super) fn thousands_in_number(first: &str, group: &str, joined: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Code::ThousandsSeparator,
        t!(
            "`{first},{group}`: kaohe does not read thousands separators",
            "“{first},{group}”：kaohe 不识别千位分隔符"
        ),
    )
    .at(at, t!("a thousands separator", "千位分隔符"))
    .with_help(t!(
        "write the number without separators: `{joined}`",
        "数字中不写分隔符：写作“{joined}”"
    ))
    .with_fix(at, "")
}
