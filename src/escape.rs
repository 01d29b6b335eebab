//! Text from specs and data made safe for where kaohe writes it
//! (docs/security.md):
//!
//! - [`csv_cell`]: a CSV text cell that a spreadsheet would take for a
//!   formula (`=`, `+`, `-`, `@`, TAB, CR first) is prefixed with `'`, as
//!   OWASP recommends; numeric columns are written by kaohe and untouched.
//! - [`terminal`]: control characters (C0 but line feed and tab, DEL, C1)
//!   and bidirectional overrides are written visibly (`\u{1b}`), so that
//!   no escape sequence from a spec or data file reaches a terminal raw;
//!   [`terminal_same_len`] does it byte for byte, for source text whose
//!   spans must keep their offsets.
//! - [`html`], [`markdown`]: markup characters escaped, and unsafe
//!   characters written visibly as for a terminal (the page may be printed
//!   on one).

use std::borrow::Cow;

/// Whether a character is one a terminal could act on: C0 controls but
/// line feed and tab, DEL, C1 controls, and the bidirectional embeddings,
/// overrides and isolates (which reorder what is shown, "Trojan Source").
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A character that shows nothing, as web pages and chat apps leave in
/// pasted text: the zero-width space, non-joiner and joiner, the
/// left-to-right and right-to-left marks, the word joiner, the byte order
/// mark (a zero-width no-break space inside a text) and the soft hyphen.
/// Data cells drop them around a value as white space (`data::trim`); a
/// spec refuses them outside texts and comments (K0116).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
    )
}

/// `s` with every unsafe character written as `\u{…}`.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` with every unsafe character replaced by as many bytes as it takes:
/// `?` for one, `??` for two, `�` for three, so that byte offsets into the
/// text stay right. A carriage return before a line feed is kept.
pub fn terminal_same_len(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            out.push(c);
        } else if is_unsafe(c) {
            match c.len_utf8() {
                1 => out.push('?'),
                2 => out.push_str("??"),
                _ => out.push('\u{fffd}'),
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A CSV text cell, neutralised against formula injection.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// Text in HTML content or a quoted attribute.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_html(&mut out, c);
    }
    out
}

/// One character of text in HTML content or a quoted attribute.
fn push_html(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        c => out.push(c),
    }
}

/// Text in a Markdown table cell or line: HTML escaped, and the characters
/// that would end a cell, open a link or code, or start a line's markup
/// escaped with a backslash; a line break is `<br>`.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("<br>"),
            '\r' => {}
            '|' | '[' | ']' | '`' | '\\' | '*' | '_' => {
                out.push('\\');
                out.push(c);
            }
            // Quotes need no escape in a Markdown line.
            '"' | '\'' => out.push(c),
            c => push_html(&mut out, c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_other_text_kept() {
        for s in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_cell(s), format!("'{s}"));
        }
        for s in ["甲县", "1.5", "", "a=b", "'=x"] {
            assert_eq!(csv_cell(s), s);
        }
    }

    #[test]
    fn escape_sequences_are_shown_not_sent() {
        assert_eq!(terminal("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(terminal("x\u{202e}y\u{9b}"), "x\\u{202e}y\\u{9b}");
        assert_eq!(terminal("line\n\ttab 中文"), "line\n\ttab 中文");
        let s = "a\u{1b}b\u{9b}c\u{202e}d\r\ne\rf";
        let t = terminal_same_len(s);
        assert_eq!(t.len(), s.len());
        assert_eq!(t, "a?b??c\u{fffd}d\r\ne?f");
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(html("a\u{1b}b"), "a\\u{1b}b");
        assert_eq!(html("<script>\"'&"), "&lt;script&gt;&quot;&#39;&amp;");
        assert_eq!(
            markdown("<img src=x onerror=alert(1)>|[a](javascript:x)\n"),
            "&lt;img src=x onerror=alert(1)&gt;\\|\\[a\\](javascript:x)<br>"
        );
    }
}
