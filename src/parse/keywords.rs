//! The two keyword sets. The spellings are read from the keyword table of
//! grammar/kaohe.pest itself (each `kw_`/`ty_` rule spells its English word,
//! then `|`, then its Chinese word; `ctx_` rules, words only in one place,
//! alike), so there is one table only.

use super::Rule;
use crate::diagnostic::{Diagnostic, Text};
use crate::t;
use pest::iterators::Pair;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The keyword set a spec is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeywordSet {
    En,
    Zh,
}

impl KeywordSet {
    /// The set a keyword as written belongs to.
    pub fn of(word: &str) -> KeywordSet {
        // `at most` may be typed with an ideographic space between its words.
        if word.chars().all(|c| c.is_ascii() || c == '\u{3000}') {
            KeywordSet::En
        } else {
            KeywordSet::Zh
        }
    }

    pub(super) fn name(self) -> Text {
        match self {
            KeywordSet::En => t!("English", "英文"),
            KeywordSet::Zh => t!("Chinese", "中文"),
        }
    }

    /// The article before the set's name (English only).
    pub(super) fn article(self) -> Text {
        match self {
            KeywordSet::En => t!("an", ""),
            KeywordSet::Zh => t!("a", ""),
        }
    }

    pub(super) fn flag(self) -> &'static str {
        match self {
            KeywordSet::En => "en",
            KeywordSet::Zh => "zh",
        }
    }
}

const GRAMMAR: &str = include_str!("../../grammar/kaohe.pest");

/// Rule name → (English, Chinese), from the grammar's keyword table.
static SPELLINGS: LazyLock<HashMap<String, (String, String)>> = LazyLock::new(|| {
    GRAMMAR
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            if !(line.starts_with("kw_") || line.starts_with("ty_") || line.starts_with("ctx_")) {
                return None;
            }
            let (name, body) = line.split_once('=')?;
            let (en, zh) = body.split_once("!ident_char |")?;
            let words = |s: &str| -> Vec<String> {
                s.split('"')
                    .skip(1)
                    .step_by(2)
                    .filter(|w| !w.is_empty() && w.chars().all(char::is_alphanumeric))
                    .map(str::to_string)
                    .collect()
            };
            let zh = words(zh).into_iter().next()?;
            Some((name.trim().to_string(), (words(en).join(" "), zh)))
        })
        .collect()
});

/// A table, by rule index, of whether each rule's name passes `test`: a rule
/// is known by name only through its `Debug` form, too slow to build for
/// every pair of a spec.
pub(super) fn rule_table(test: fn(&str) -> bool) -> Vec<bool> {
    let rules = Rule::all_rules();
    let len = rules.iter().map(|&r| r as usize + 1).max().unwrap_or(0);
    let mut table = vec![false; len];
    for &r in rules {
        if let Some(slot) = table.get_mut(r as usize) {
            *slot = test(&format!("{r:?}"));
        }
    }
    table
}

/// Keywords (`kw_`), type words (`ty_`) and words read as such only in one
/// place (`ctx_`: `by` after `standard NAME`), none of the last two reserved.
static WORDS: LazyLock<Vec<bool>> = LazyLock::new(|| {
    rule_table(|name| {
        name.starts_with("kw_") || name.starts_with("ty_") || name.starts_with("ctx_")
    })
});

/// Whether a rule is a keyword or a type word (spelled in both sets).
pub fn is_word(rule: Rule) -> bool {
    WORDS.get(rule as usize).copied().unwrap_or(false)
}

/// How a keyword or type word is spelled in a set.
pub fn spelling(rule: Rule, set: KeywordSet) -> Option<&'static str> {
    let (en, zh) = SPELLINGS.get(&format!("{rule:?}"))?;
    Some(match set {
        KeywordSet::En => en,
        KeywordSet::Zh => zh,
    })
}

/// The keywords nearest to a word that stands where one of `expected` (the
/// keyword rules that may begin there) was expected, spelled in `set`: for
/// "did you mean". The word is measured against both spellings of each
/// (Levenshtein distance over characters, strsim), within a third of its
/// length for an English word and half of it for a Chinese one (a Chinese
/// character carries a syllable), at least 1 and fewer than the word has;
/// ties go to the keywords that share the longer beginning, and those left
/// tied are all given (`底于`: `低于` or `高于`). Empty when none is near.
pub fn nearest(word: &str, expected: &[Rule], set: KeywordSet) -> Vec<&'static str> {
    // A keyword as spelled is no misspelling, whatever stands around it.
    if SPELLINGS.values().any(|(en, zh)| en == word || zh == word) {
        return Vec::new();
    }
    let len = word.chars().count();
    let reach = if word.is_ascii() { len / 3 } else { len / 2 }.max(1);
    let prefix = |a: &str, b: &str| a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let scored: Vec<((usize, usize), &'static str)> = expected
        .iter()
        .filter_map(|&rule| {
            let (en, zh) = SPELLINGS.get(&format!("{rule:?}"))?;
            let best = [en.as_str(), zh.as_str()]
                .into_iter()
                .map(|w| (strsim::levenshtein(word, w), usize::MAX - prefix(word, w)))
                .min()?;
            Some((best, spelling(rule, set)?))
        })
        .filter(|&((d, _), _)| d > 0 && d <= reach && d < len)
        .collect();
    let Some(best) = scored.iter().map(|&(score, _)| score).min() else {
        return Vec::new();
    };
    let mut out: Vec<&'static str> = scored
        .into_iter()
        .filter(|&(score, _)| score == best)
        .map(|(_, w)| w)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Every keyword's Chinese spelling (`kw_` rules: not type words, which
/// may end a name's words), such as `低于`.
pub(super) fn chinese_keywords() -> impl Iterator<Item = &'static str> {
    SPELLINGS
        .iter()
        .filter(|(rule, _)| rule.starts_with("kw_"))
        .map(|(_, (_, zh))| zh.as_str())
}

/// The Chinese spelling of an English keyword, such as `rule` → `评分标准`.
pub fn chinese(english: &str) -> Option<&'static str> {
    SPELLINGS
        .values()
        .find(|(en, _)| en == english)
        .map(|(_, zh)| zh.as_str())
}

/// The set of the first keyword of a parsed spec (English when it has none).
pub fn set_of(root: Pair<Rule>) -> KeywordSet {
    root.into_inner()
        .flatten()
        .find(|p| is_word(p.as_rule()))
        .map_or(KeywordSet::En, |p| KeywordSet::of(p.as_str()))
}

/// The set of a spec's text, read without parsing it, so that it is known
/// even when the spec does not parse: the set of the first line (comments
/// and blank lines aside) that begins with a keyword of either set. `None`
/// when no line does.
pub fn detect(text: &str) -> Option<KeywordSet> {
    text.lines()
        .map(str::trim_start)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .find_map(line_set)
}

/// The set of the keyword a line begins with, if it begins with one.
fn line_set(line: &str) -> Option<KeywordSet> {
    let word: String = line
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    SPELLINGS.values().find_map(|(en, zh)| {
        let english = en.split(' ').next().is_some_and(|w| w == word);
        if english {
            Some(KeywordSet::En)
        } else if line.starts_with(zh.as_str()) {
            Some(KeywordSet::Zh)
        } else {
            None
        }
    })
}

/// A K0110 error at the first keyword that is not of the set the spec began in.
pub fn mixed(root: Pair<Rule>) -> Option<Diagnostic> {
    let mut words = root.into_inner().flatten().filter(|p| is_word(p.as_rule()));
    let first = words.next()?;
    let set = KeywordSet::of(first.as_str());
    let other = words.find(|p| KeywordSet::of(p.as_str()) != set)?;
    let instead = spelling(other.as_rule(), set).unwrap_or("?");
    Some(super::messages::mixed_keywords(
        other.as_str(),
        instead,
        first.as_str(),
        set,
        other.as_span().into(),
        first.as_span().into(),
    ))
}

/// Whether the grammar refuses `text` as a name (`ident` matches nothing).
#[cfg(test)]
pub(super) fn refused_as_name(text: &str) -> bool {
    use pest::Parser as _;
    super::KaoheParser::parse(Rule::ident, text)
        .ok()
        .and_then(|mut pairs| pairs.next())
        .is_none()
}

/// Texts that probe the keyword guard: every spelling of both sets and
/// each of its beginnings (a prefix of a keyword is a name unless it is
/// one itself: `a`, `at`, `扣分`), each followed by many endings.
#[cfg(test)]
pub(super) fn probes() -> Vec<String> {
    let mut words: Vec<String> = SPELLINGS
        .values()
        .flat_map(|(en, zh)| [en.clone(), zh.clone()])
        .collect();
    let prefixes: Vec<String> = words
        .iter()
        .flat_map(|w| {
            w.char_indices()
                .skip(1)
                .filter_map(|(i, _)| w.get(..i).map(str::to_string))
        })
        .collect();
    words.extend(prefixes);
    let endings = [
        "",
        " ",
        "x",
        "_",
        "0",
        "3",
        "甲",
        "分",
        "．",
        "\t",
        "\u{3000}",
        " most",
        "  most",
        " mark",
        " x",
        "\u{3000}most",
        " pending",
        " applicable",
        " claimed",
        " points",
        " bonus ceiling",
        " year",
        " sum",
        " name",
    ];
    (words.iter())
        .flat_map(|w| endings.iter().map(move |e| format!("{w}{e}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyword_has_both_spellings() {
        for &rule in Rule::all_rules() {
            if is_word(rule) {
                let en = spelling(rule, KeywordSet::En).unwrap_or_default();
                let zh = spelling(rule, KeywordSet::Zh).unwrap_or_default();
                assert!(en.is_ascii() && !en.is_empty(), "{rule:?}");
                assert!(!zh.is_ascii(), "{rule:?}");
            }
        }
        assert_eq!(spelling(Rule::kw_at_most, KeywordSet::En), Some("at most"));
        assert_eq!(spelling(Rule::kw_at_most, KeywordSet::Zh), Some("最高"));
        assert_eq!(spelling(Rule::kw_deduct, KeywordSet::Zh), Some("扣"));
    }

    /// The keyword guard of the grammar groups keywords by first character;
    /// a keyword left out of its group would be read as a name.
    #[test]
    fn every_keyword_is_refused_as_a_name_and_as_a_unit() {
        use super::super::KaoheParser;
        use pest::Parser as _;
        let whole = |rule, text: &str| {
            KaoheParser::parse(rule, text)
                .ok()
                .and_then(|mut pairs| pairs.next())
                .is_some_and(|p| p.as_str() == text)
        };
        for &rule in Rule::all_rules() {
            if !format!("{rule:?}").starts_with("kw_") {
                continue;
            }
            for (set, longer) in [(KeywordSet::En, "x"), (KeywordSet::Zh, "甲")] {
                let word = spelling(rule, set).unwrap_or_default();
                assert!(!whole(Rule::ident, word), "{word} read as a name");
                assert!(!whole(Rule::unit, word), "{word} read as a unit");
                if !word.contains(' ') {
                    let name = format!("{word}{longer}");
                    assert!(whole(Rule::ident, &name), "{name} not read as a name");
                }
            }
        }
    }

    /// The keyword guard compares spellings in order and tests the word's
    /// end once: a spelling that begins with another comes first, and a
    /// keyword of several words tests its own end, so that the word found
    /// is refused exactly when one keyword spells it.
    #[test]
    fn the_keyword_guard_reads_the_word_found_whole() {
        use super::super::KaoheParser;
        use pest::Parser as _;
        let name = |text: &str| {
            KaoheParser::parse(Rule::ident, text)
                .ok()
                .and_then(|mut pairs| pairs.next())
                .map(|p| p.as_str().to_string())
        };
        // `at` of `at mostly` and `not` of `not applicablex` stay keywords.
        for text in [
            "at mostly",
            "not applicablex",
            "pass marks",
            "rule pendings",
            "at  most",
        ] {
            assert_eq!(name(text), None, "{text}");
        }
        // A word that only begins with a keyword is a name.
        for (text, word) in [
            ("income x", "income"),
            ("inputs", "inputs"),
            ("deductions", "deductions"),
            ("total_x", "total_x"),
            ("tops", "tops"),
            ("full marks", "full"),
            ("加分项甲", "加分项甲"),
            ("扣分项目 ", "扣分项目"),
            ("最高者们", "最高者们"),
            ("计入加分上限额", "计入加分上限额"),
            ("否则的话", "否则的话"),
        ] {
            assert_eq!(name(text).as_deref(), Some(word), "{text}");
        }
        // A Chinese keyword followed by a digit or a Latin letter is one.
        for text in ["扣0.5", "加分项x", "最高者 ", "否决1"] {
            assert_eq!(name(text), None, "{text}");
        }
    }

    /// The guard refuses a name exactly where one of the keyword rules
    /// (`kw_…`, with its own end test) matches, as it did when it called
    /// them: every spelling of the table, followed by every ending that
    /// could change the answer, is refused as a name by both or by neither.
    /// (`full marks` in English was never in the guard: `full` stays a name.)
    #[test]
    fn the_keyword_guard_refuses_what_the_keyword_rules_match() {
        use super::super::KaoheParser;
        use pest::Parser as _;
        let kw_rules: Vec<Rule> = Rule::all_rules()
            .iter()
            .copied()
            .filter(|r| format!("{r:?}").starts_with("kw_"))
            .collect();
        let by_rules = |text: &str| {
            kw_rules.iter().any(|&r| {
                (r != Rule::kw_full_marks || text.starts_with('满'))
                    && KaoheParser::parse(r, text).is_ok()
            })
        };
        let mut checked = 0;
        for text in probes() {
            assert_eq!(refused_as_name(&text), by_rules(&text), "{text:?}");
            checked += 1;
        }
        assert!(checked > 5_000, "{checked}");
    }

    #[test]
    fn a_misspelt_keyword_finds_the_one_meant() {
        let clause = [
            Rule::kw_if,
            Rule::kw_unless,
            Rule::kw_deduct,
            Rule::kw_responsible,
        ];
        let zh = |w| nearest(w, &clause, KeywordSet::Zh);
        assert_eq!(zh("除了"), ["除非"]);
        assert_eq!(zh("若是"), ["若"]);
        assert_eq!(zh("责任部门"), ["责任单位"]);
        assert_eq!(zh("unles"), ["除非"]);
        assert!(zh("甲乙").is_empty());
        assert!(zh("除非").is_empty());
        let en = |w| nearest(w, &clause, KeywordSet::En);
        assert_eq!(en("deduc"), ["deduct"]);
        assert_eq!(en("iff"), ["if"]);
        assert!(en("x").is_empty());
        assert!(nearest("if", &[Rule::kw_of], KeywordSet::En).is_empty());
        let gap = [Rule::kw_above, Rule::kw_below];
        assert_eq!(nearest("底于", &gap, KeywordSet::Zh), ["低于", "高于"]);
    }

    #[test]
    fn the_set_of_a_text_is_its_first_keyword_at_a_line_start() {
        assert_eq!(detect("// 注释\n考核表 \"甲\" {"), Some(KeywordSet::Zh));
        assert_eq!(detect("\n  input a: count \"x\"\n"), Some(KeywordSet::En));
        assert_eq!(detect("数据 pm25: 数值"), Some(KeywordSet::Zh));
        assert_eq!(detect("{ broken"), None);
        assert_eq!(detect("inputs"), None);
    }
}
