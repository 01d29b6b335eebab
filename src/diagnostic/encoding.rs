//! K0902, a text file that is not UTF-8, as every reader of a spec tells
//! it (`kaohe check`/`eval`/…, the workbench): where the first byte UTF-8
//! does not allow is, by line and column as an editor shows them, and the
//! encoding the file reads in when it is one a Chinese office saves in —
//! Notepad's and WPS's "ANSI" on Chinese Windows is GBK — so that the
//! message says what happened and how to save it again.

use super::{Code, Diagnostic};
use crate::t;

/// K0902 for the file `name`, whose `bytes` are not UTF-8.
pub fn not_utf8(name: &str, bytes: &[u8]) -> Diagnostic {
    let chinese = chinese_encoding(bytes);
    // In a file saved in GBK every character outside ASCII is wrong, the
    // first of them where the editor shows one (its bytes may pass for a
    // UTF-8 character or two before UTF-8 fails).
    let at = match chinese {
        Some(_) => bytes.iter().position(|b| !b.is_ascii()),
        None => std::str::from_utf8(bytes).err().map(|e| e.valid_up_to()),
    };
    let (line, column) = line_and_column(bytes, at.unwrap_or(bytes.len()));
    let d = Diagnostic::new(
        Code::NotUtf8,
        t!(
            "{name} is not UTF-8 text (line {line}, column {column})",
            "{name} 不是 UTF-8 编码的文本（第 {line} 行第 {column} 列）"
        ),
    )
    .in_file(name);
    match chinese {
        Some(encoding) => d
            .with_note(t!(
                "the file reads as {encoding}: it was saved in the encoding Notepad and WPS call ANSI on Chinese Windows",
                "该文件可按 {encoding} 读出：它是按中文 Windows 上记事本、WPS 所说的 ANSI 编码保存的"
            ))
            .with_help(t!(
                "save it again as UTF-8: in Notepad, File → Save As… → Encoding: UTF-8 (in other editors, Save As… → Encoding: UTF-8); its text stays as it is",
                "请把它另存为 UTF-8：记事本中“文件 → 另存为… → 编码：UTF-8”（其他编辑器中：另存为… → 编码：UTF-8）；文字内容不变"
            )),
        None => d.with_help(t!(
            "save the file as UTF-8 (in most editors: Save As… → Encoding: UTF-8)",
            "请将文件另存为 UTF-8 编码（多数编辑器中：另存为… → 编码：UTF-8）"
        )),
    }
}

/// The line and column (in characters, both from 1) of byte `at`, the
/// valid UTF-8 before it counted.
fn line_and_column(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = bytes.get(..at).unwrap_or(bytes);
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let column = 1 + String::from_utf8_lossy(before.get(line_start..).unwrap_or_default())
        .chars()
        .count();
    (line, column)
}

/// The name of the Chinese encoding `bytes` read in ([`decode_chinese`]).
fn chinese_encoding(bytes: &[u8]) -> Option<&'static str> {
    decode_chinese(bytes).map(|(_, name)| name)
}

/// `bytes` decoded from the encoding a Chinese office saves text in when
/// it is not UTF-8 — GBK (read as GB18030, which reads every GBK file) on
/// the mainland, Big5 in Taiwan and Hong Kong — with its name: when
/// chardetng takes them for one and every byte decodes. A CSV file is read
/// this way (`data::csv`); a spec only names it in K0902.
pub fn decode_chinese(bytes: &[u8]) -> Option<(String, &'static str)> {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (encoding, name) = if guess == encoding_rs::BIG5 {
        (guess, "Big5")
    } else if guess == encoding_rs::GBK || guess == encoding_rs::GB18030 {
        (encoding_rs::GB18030, "GBK (GB18030)")
    } else {
        return None;
    };
    let decoded = encoding.decode_without_bom_handling_and_without_replacement(bytes)?;
    Some((decoded.into_owned(), name))
}

#[cfg(test)]
mod tests {
    use super::not_utf8;

    #[test]
    fn a_gbk_file_is_told_by_line_and_column_and_its_encoding() {
        // 某 in GBK is C4 B3, a UTF-8 character (ĳ) before UTF-8 fails.
        let text = "// 某县考核表\ntable \"县级考核\" {\n  year 2024\n}\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let d = not_utf8("县.kh", &gbk);
        assert_eq!(d.message.en, "县.kh is not UTF-8 text (line 1, column 4)");
        assert!(
            d.notes
                .iter()
                .any(|n| n.en.contains("reads as GBK (GB18030)")),
            "{d:?}"
        );
        assert!(
            d.help.as_ref().is_some_and(|h| h.zh.contains("记事本")),
            "{d:?}"
        );
    }

    #[test]
    fn a_byte_after_valid_lines_is_placed_past_them() {
        let d = not_utf8("a.kh", b"table \"t\" {\n  year 2024\n  \xff\n}\n");
        assert_eq!(d.message.en, "a.kh is not UTF-8 text (line 3, column 3)");
        assert!(d.notes.is_empty(), "{d:?}");
    }
}
