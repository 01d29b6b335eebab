//! The white space around a cell: [`trim`] and [`blank`], told at a
//! glance for nearly every cell. White space is what `str::trim` drops
//! and the characters that show nothing which web pages and chat apps
//! leave in pasted text (`escape::is_invisible`): a cell that shows `3` is 3.

/// White space, or a character that shows nothing.
fn space(c: char) -> bool {
    c.is_whitespace() || crate::escape::is_invisible(c)
}

/// `s` without the white space and invisible characters around it,
/// without the search when `s` plainly starts and ends with a character
/// that is neither, as nearly every cell does: told by a byte, a printable
/// ASCII character or one from U+4000 up (CJK; no white space lies above
/// U+3000) but the byte order mark, whose lead byte is 0xE4 or more.
pub(super) fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let ascii = |c: &u8| *c > b' ' && *c < 0x80;
    let lead = |back: usize| (b.len().checked_sub(back)).and_then(|i| b.get(i));
    let starts = b.first().is_some_and(|c| ascii(c) || *c >= 0xE4) && !s.starts_with('\u{feff}');
    let ends = (b.last().is_some_and(ascii)
        || lead(3).is_some_and(|c| (0xE4..0xF0).contains(c))
        || lead(4).is_some_and(|c| *c >= 0xF0))
        && !s.ends_with('\u{feff}');
    if starts && ends {
        s
    } else {
        s.trim_matches(space)
    }
}

/// Whether `s` is empty, white space or invisible, without a search when
/// its first character plainly is none of these (as for [`trim`]).
pub(super) fn blank(s: &str) -> bool {
    match s.as_bytes().first() {
        None => true,
        Some(c) if (*c > b' ' && *c < 0x80) || (*c >= 0xE4 && !s.starts_with('\u{feff}')) => false,
        Some(_) => s.chars().all(space),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn blank_is_trimmed_empty() {
        for s in [
            "",
            " ",
            "\u{3000}",
            " \u{a0}",
            "a",
            " a",
            "是",
            "\u{2028}",
            "\u{1F600}",
            "\u{200b}",
            "\u{feff}",
            "\u{feff}x",
            " \u{200b}\u{a0}",
            "\u{ad}",
        ] {
            assert_eq!(super::blank(s), s.chars().all(super::space), "{s:?}");
        }
    }

    #[test]
    fn trim_drops_white_space_and_invisible_characters() {
        assert_eq!(super::trim("\u{200b}鹿寨县 "), "鹿寨县");
        assert_eq!(super::trim("\u{feff}90"), "90");
        assert_eq!(super::trim("鹿\u{200b}寨县"), "鹿\u{200b}寨县");
        assert!(super::blank("\u{200b}\u{feff}"));
    }

    #[test]
    fn trim_is_str_trim_with_invisible_characters() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "87.5",
            "是",
            " 是",
            "是\u{3000}",
            "\u{3000}否",
            "\u{a0}1",
            "1\u{a0}",
            "é",
            "é ",
            "\u{1F600}",
            " \u{1F600}",
            "\u{2028}x",
            "x\u{85}",
            "\t",
            "\u{b}7",
            "柳城县",
            "a是",
            "3\u{200b}",
            "\u{200b}鹿寨县",
            "\u{feff}90",
            "90\u{feff}",
            "鹿\u{200b}寨县",
            "\u{2060}是\u{200d}",
            "\u{ad}12\u{ad}",
            "\u{200e}87.5%\u{200f}",
        ] {
            assert_eq!(super::trim(s), s.trim_matches(super::space), "{s:?}");
        }
    }
}
