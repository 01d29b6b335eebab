//! The white space around a cell: [`trim`] and [`blank`], as `str::trim`
//! answers, told at a glance for nearly every cell.

/// `s.trim()`, without the search when `s` plainly starts and ends with a
/// character that is not white space, as nearly every cell does: told by
/// a byte, a printable ASCII character or one from U+4000 up (CJK; no
/// white space lies above U+3000), whose lead byte is 0xE4 or more.
pub(super) fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let ascii = |c: &u8| *c > b' ' && *c < 0x80;
    let lead = |back: usize| (b.len().checked_sub(back)).and_then(|i| b.get(i));
    let starts = b.first().is_some_and(|c| ascii(c) || *c >= 0xE4);
    let ends = b.last().is_some_and(ascii)
        || lead(3).is_some_and(|c| (0xE4..0xF0).contains(c))
        || lead(4).is_some_and(|c| *c >= 0xF0);
    if starts && ends { s } else { s.trim() }
}

/// Whether `s` is empty or white space, without a search when its first
/// character plainly is not white space (as for [`trim`]).
pub(super) fn blank(s: &str) -> bool {
    match s.as_bytes().first() {
        None => true,
        Some(c) if (*c > b' ' && *c < 0x80) || *c >= 0xE4 => false,
        Some(_) => s.trim().is_empty(),
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
        ] {
            assert_eq!(super::blank(s), s.trim().is_empty(), "{s:?}");
        }
    }

    #[test]
    fn trim_is_str_trim() {
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
        ] {
            assert_eq!(super::trim(s), s.trim(), "{s:?}");
        }
    }
}
