//! Texts in both languages kaohe speaks, and the choice between them.
//!
//! Every message, label, note and help of a diagnostic is a [`Text`]: its
//! English and its Chinese, written side by side where the diagnostic is
//! made, with the [`t!`](crate::t) macro. There is no conversion from a
//! plain string, so a message without its Chinese does not compile.

use serde::Serialize;
use std::fmt::Display;

/// A language kaohe writes in: Chinese or English.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// The language's code as `--lang` and JSON write it: `zh` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The language a locale setting names: Chinese for `zh…`, else English.
    pub fn of_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The language of the environment: the first of LC_ALL, LC_MESSAGES
    /// and LANG that is set and not empty (as POSIX orders them), else
    /// English.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .map_or(Lang::En, |v| Lang::of_locale(&v))
    }
}

/// One text in English and in Chinese.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    /// A text from its two versions; call sites use [`t!`](crate::t).
    pub fn new(en: String, zh: String) -> Text {
        Text { en, zh }
    }

    /// The text in one language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// Words listed: `a, b, c` in English, `a、b、c` in Chinese.
    pub fn list<S: AsRef<str>>(words: &[S]) -> Text {
        let words: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
        Text::new(words.join(", "), words.join("、"))
    }

    /// Texts joined by a separator in each language (`, ` and `、`).
    pub fn join(parts: &[Text], en_sep: &str, zh_sep: &str) -> Text {
        let side = |lang: Lang, sep: &str| {
            parts
                .iter()
                .map(|p| p.get(lang))
                .collect::<Vec<_>>()
                .join(sep)
        };
        Text::new(side(Lang::En, en_sep), side(Lang::Zh, zh_sep))
    }
}

/// What a `t!` argument shows in each language: a [`Text`] its own
/// version, anything else that displays the same in both.
pub trait Part {
    fn part(&self, lang: Lang) -> &dyn Display;
}

impl<T: Display> Part for T {
    fn part(&self, _: Lang) -> &dyn Display {
        self
    }
}

impl Part for Text {
    fn part(&self, lang: Lang) -> &dyn Display {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

impl Part for &Text {
    fn part(&self, lang: Lang) -> &dyn Display {
        (*self).part(lang)
    }
}

/// A [`Text`] from an English and a Chinese format string and the arguments
/// both use: `t!("no input is named `{}`", "没有名为“{}”的数据项", name)`.
/// An argument that is a `Text` shows its own language in each.
#[doc(hidden)] // the crate's own macro: not part of the API
#[macro_export]
macro_rules! t {
    ($en:literal, $zh:literal $(,)?) => {
        $crate::diagnostic::Text::new(::std::format!($en), ::std::format!($zh))
    };
    ($en:literal, $zh:literal, $($arg:expr),+ $(,)?) => {
        $crate::diagnostic::Text::new(
            ::std::format!($en, $($crate::diagnostic::Part::part(&$arg, $crate::diagnostic::Lang::En)),+),
            ::std::format!($zh, $($crate::diagnostic::Part::part(&$arg, $crate::diagnostic::Lang::Zh)),+),
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_argument_shows_its_own_language() {
        let what = t!("a count", "计数");
        let name = "pm25";
        let t = t!("`{name}` is {}", "“{name}”是{}", what);
        assert_eq!(t.get(Lang::En), "`pm25` is a count");
        assert_eq!(t.get(Lang::Zh), "“pm25”是计数");
    }

    #[test]
    fn locales_beginning_with_zh_are_chinese() {
        assert_eq!(Lang::of_locale("zh_CN.UTF-8"), Lang::Zh);
        assert_eq!(Lang::of_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::of_locale("C"), Lang::En);
    }
}
