//! A file to import, told by its name and its first bytes: the text of a
//! copied table, a Word document (.docx), a spreadsheet (.xlsx, .xls), or
//! a file kaohe import does not read, each refusal a coded error that says
//! what to do (docs/import.md, "Formats and limits").
//!
//! Limits: a file larger than `FILE_CAP` is not read (K0808); a .docx or
//! .xlsx, a zip archive, is not unpacked beyond `UNPACKED_CAP` (K0809: a
//! "zip bomb" of a few kilobytes can unpack to gigabytes).

use super::cells::Grid;
use super::{Draft, Format};
use crate::diagnostic::{Code, Diagnostic, Text};
use crate::parse::keywords::KeywordSet;
use crate::t;
use std::io::Read;

/// The largest file read: a published table is some hundred kilobytes, a
/// Word document with pictures some megabytes.
pub const FILE_CAP: u64 = 64 * 1024 * 1024;

/// The most bytes unpacked from a .docx or .xlsx, all its parts together.
pub const UNPACKED_CAP: u64 = 64 * 1024 * 1024;

/// The first bytes of an OLE compound file: an old .doc/.xls, or a .docx
/// or .xlsx encrypted with a password (Office stores those in one).
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The first bytes of a zip archive (.docx, .xlsx).
const ZIP: &[u8] = b"PK\x03\x04";

/// What a file is, by its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Docx,
    Xlsx,
    Xls,
    /// An old Word or WPS document (.doc, .wps): to be saved as .docx.
    OldWord,
    /// A WPS spreadsheet (.et): to be saved as .xlsx.
    OldSheet,
    /// A file kaohe import does not read (.pdf and the like).
    Other,
}

/// The kind of a file by its extension (lower case, without the dot).
pub fn kind(ext: &str) -> Kind {
    match ext {
        "docx" => Kind::Docx,
        "xlsx" | "xlsm" => Kind::Xlsx,
        "xls" => Kind::Xls,
        "doc" | "wps" | "rtf" => Kind::OldWord,
        "et" => Kind::OldSheet,
        "pdf" | "ofd" | "odt" | "ods" | "pptx" | "ppt" | "zip" | "rar" => Kind::Other,
        _ => Kind::Text,
    }
}

/// A file larger than `FILE_CAP`.
pub fn too_large(file: &str, size: u64) -> Diagnostic {
    let mb = size.div_ceil(1024 * 1024);
    let cap = FILE_CAP / 1024 / 1024;
    Diagnostic::new(
        Code::ImportTooLarge,
        t!(
            "{file} is {mb} MB: kaohe import reads files of up to {cap} MB",
            "{file} 大小为 {mb} MB：kaohe import 最多读取 {cap} MB 的文件"
        ),
    )
    .in_file(file)
    .with_help(t!(
        "an assessment table is far smaller: check that this is the right file; if the document holds large pictures, copy the table alone into a new document and import that",
        "考核表远没有这么大：请确认文件是否选对；如果文档中有大图片，请把表格单独复制到新文档中再导入"
    ))
}

pub(super) fn encrypted(file: &str) -> Diagnostic {
    Diagnostic::new(
        Code::ImportEncrypted,
        t!(
            "{file} is protected by a password, so its contents cannot be read",
            "{file} 设有密码保护，无法读取其内容"
        ),
    )
    .in_file(file)
    .with_help(t!(
        "open it in Word or Excel with its password, remove the password (File → Info → Protect → Encrypt with Password, clear it), save, and import it again",
        "请用密码在 Word 或 Excel 中打开，取消密码（文件 → 信息 → 保护文档/工作簿 → 用密码进行加密，清空密码），保存后再导入"
    ))
}

fn old_format(file: &str, sheet: bool) -> Diagnostic {
    Diagnostic::new(
        Code::ImportOldFormat,
        if sheet {
            t!(
                "{file} is an old or WPS spreadsheet, which kaohe import does not read",
                "{file} 是旧版或 WPS 格式的电子表格，kaohe import 不能读取"
            )
        } else {
            t!(
                "{file} is an old Word (Word 97–2003) or WPS document, which kaohe import does not read",
                "{file} 是旧版 Word（Word 97–2003）或 WPS 格式的文档，kaohe import 不能读取"
            )
        },
    )
    .in_file(file)
    .with_help(if sheet {
        t!(
            "open it in Excel or WPS and save it as an Excel workbook (File → Save As → Excel Workbook, .xlsx), then import the .xlsx",
            "请在 Excel 或 WPS 中打开，另存为 Excel 工作簿（文件 → 另存为 → Excel 工作簿，.xlsx），再导入该 .xlsx 文件"
        )
    } else {
        t!(
            "open it in Word or WPS and save it as a Word document (File → Save As → Word Document, .docx), then import the .docx",
            "请在 Word 或 WPS 中打开，另存为 Word 文档（文件 → 另存为 → Word 文档，.docx），再导入该 .docx 文件"
        )
    })
}

/// A .docx or .xlsx that cannot be read, with the reader's reason.
pub(super) fn damaged(file: &str, word: bool, why: &Text) -> Diagnostic {
    Diagnostic::new(
        Code::ImportDamaged,
        if word {
            t!(
                "{file} cannot be read as a Word document: {}",
                "{file} 无法作为 Word 文档读取：{}",
                why
            )
        } else {
            t!(
                "{file} cannot be read as a spreadsheet: {}",
                "{file} 无法作为电子表格读取：{}",
                why
            )
        },
    )
    .in_file(file)
    .with_help(if word {
        t!(
            "open it in Word and save it again as a Word document (.docx); if Word cannot open it either, ask for the file again",
            "请在 Word 中打开并重新另存为 Word 文档（.docx）；如果 Word 也打不开，请重新索取该文件"
        )
    } else {
        t!(
            "open it in Excel and save it again as an Excel workbook (.xlsx); if Excel cannot open it either, ask for the file again",
            "请在 Excel 中打开并重新另存为 Excel 工作簿（.xlsx）；如果 Excel 也打不开，请重新索取该文件"
        )
    })
}

fn unpacks_too_large(file: &str) -> Diagnostic {
    let cap = UNPACKED_CAP / 1024 / 1024;
    Diagnostic::new(
        Code::ImportUnpacksTooLarge,
        t!(
            "{file} unpacks to more than {cap} MB, more than any assessment table: it is not read",
            "{file} 解压后超过 {cap} MB，远大于任何考核表：不予读取"
        ),
    )
    .in_file(file)
    .with_help(t!(
        "check that this is the right file; copy the table alone into a new document or workbook and import that",
        "请确认文件是否选对；把表格单独复制到新的文档或工作簿中再导入"
    ))
}

fn not_read(file: &str, ext: &str) -> Diagnostic {
    Diagnostic::new(
        Code::ImportFormat,
        t!(
            "{file}: kaohe import does not read .{ext} files",
            "{file}：kaohe import 不能读取 .{ext} 文件"
        ),
    )
    .in_file(file)
    .with_help(t!(
        "import the table as a Word document (.docx), an Excel workbook (.xlsx) or the text of the table: open the document, select the whole table, copy it (Ctrl+C), paste it into a new text file saved as UTF-8, and import that file",
        "请以 Word 文档（.docx）、Excel 工作簿（.xlsx）或表格的文字导入：打开文档，选中整张表格复制（Ctrl+C），粘贴到新的文本文件中并以 UTF-8 编码保存，再导入该文件"
    ))
}

/// Whether an OLE compound file holds an encrypted Office package: its
/// directory names the stream "EncryptedPackage" (in UTF-16).
fn holds_encrypted_package(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
}

/// Refuse at once what is not read: an old format, a file of another
/// kind, or a .docx/.xlsx that is an OLE file (encrypted, or an old file
/// renamed); `None` when the file is to be read as its kind says.
#[allow(clippy::result_large_err)]
pub fn refuse(bytes: &[u8], file: &str, ext: &str) -> Option<Diagnostic> {
    let k = kind(ext);
    let ole = bytes.starts_with(OLE);
    match k {
        Kind::Other => Some(not_read(file, ext)),
        Kind::OldWord | Kind::OldSheet if ole && holds_encrypted_package(bytes) => {
            Some(encrypted(file))
        }
        Kind::OldWord => Some(old_format(file, false)),
        Kind::OldSheet => Some(old_format(file, true)),
        Kind::Docx | Kind::Xlsx if ole => Some(if holds_encrypted_package(bytes) {
            encrypted(file)
        } else {
            old_format(file, k == Kind::Xlsx)
        }),
        Kind::Docx | Kind::Xlsx if !bytes.is_empty() && !bytes.starts_with(ZIP) => {
            let why = t!(
                "it is not a zip archive, as .docx and .xlsx files are",
                "它不是 .docx、.xlsx 文件应有的 zip 压缩格式"
            );
            Some(damaged(file, k == Kind::Docx, &why))
        }
        _ => None,
    }
}

/// Why a reader could not read a .docx or .xlsx (or .xls), as users meet
/// it: the reason `damaged` gives in the reader's language, the reader's
/// own words (English) kept as a note.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Cause {
    /// The zip archive is damaged: cut short, or not one.
    Zip,
    /// A part's XML does not read (or is not UTF-8 text).
    Xml,
    /// A part the file must hold is missing (its name).
    Missing(String),
    /// A worksheet the workbook lists is missing (its name).
    MissingSheet(String),
    /// An Excel 97–2003 file whose inner structure is damaged.
    OldStructure,
    /// Anything else the reader refuses.
    Other,
}

impl Cause {
    /// The cause of a zip archive's error.
    pub fn of_zip(e: &zip::result::ZipError) -> Cause {
        match e {
            zip::result::ZipError::FileNotFound => Cause::Missing(String::new()),
            _ => Cause::Zip,
        }
    }

    /// The reason, in both languages.
    fn text(&self, word: bool) -> Text {
        match self {
            Cause::Zip => t!(
                "its zip archive is damaged (a .docx or .xlsx is one): it may have been cut short when it was copied, downloaded or sent",
                "其 zip 压缩结构已损坏（.docx、.xlsx 文件都是 zip 压缩包）：可能在复制、下载或传送时不完整"
            ),
            Cause::Xml => t!(
                "a part of it is not well-formed XML (the text inside a .docx or .xlsx): a program wrote it wrongly or it was changed by hand",
                "其中有部分内容不是格式正确的 XML（.docx、.xlsx 内部的文字）：可能由某个程序写错或被手工改动过"
            ),
            Cause::Missing(part) if part.is_empty() => {
                t!("a part it must hold is missing", "缺少必需的组成部分")
            }
            Cause::Missing(part) => t!(
                "a part it must hold is missing ({part})",
                "缺少必需的组成部分（{part}）"
            ),
            Cause::MissingSheet(name) => t!(
                "it lists a worksheet {name} that it does not hold",
                "其中列出了工作表“{name}”，但该工作表并不存在"
            ),
            Cause::OldStructure => t!(
                "its Excel 97–2003 structure is damaged, or it is not an Excel workbook",
                "其 Excel 97–2003 格式的内部结构已损坏，或它并不是 Excel 工作簿"
            ),
            Cause::Other if word => t!(
                "its contents are not laid out as a Word document's",
                "其内容不符合 Word 文档的格式"
            ),
            Cause::Other => t!(
                "its contents are not laid out as a workbook's",
                "其内容不符合 Excel 工作簿的格式"
            ),
        }
    }
}

/// A .docx or .xlsx that a reader could not read: the cause in the
/// reader's language, the reader's own words (in English) as a note.
pub(super) fn unreadable(
    file: &str,
    word: bool,
    cause: &Cause,
    raw: &dyn std::fmt::Display,
) -> Diagnostic {
    let raw = raw.to_string();
    damaged(file, word, &cause.text(word)).with_note(t!(
        "the reader's own words: {raw}",
        "读取程序给出的原文（英文）：{raw}"
    ))
}

/// The parts of a zip archive (a .docx or .xlsx) read whole, never more
/// than `UNPACKED_CAP` bytes in all; `wanted` chooses the parts by name.
#[allow(clippy::result_large_err)]
pub(super) fn unpack(
    bytes: &[u8],
    file: &str,
    word: bool,
    wanted: impl Fn(&str) -> bool,
    cap: u64,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let broken = |e: zip::result::ZipError| unreadable(file, word, &Cause::of_zip(&e), &e);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(broken)?;
    let mut left = cap;
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(broken)?;
        if part.is_dir() {
            continue;
        }
        let name = part.name().map_err(broken)?.to_string();
        if !wanted(&name) {
            continue;
        }
        let mut data = Vec::new();
        (&mut part)
            .take(left.saturating_add(1))
            .read_to_end(&mut data)
            .map_err(|e| unreadable(file, word, &Cause::Zip, &e))?;
        let n = u64::try_from(data.len()).unwrap_or(u64::MAX);
        if n > left {
            return Err(unpacks_too_large(file));
        }
        left -= n;
        out.push((name, data));
    }
    Ok(out)
}

/// Import a file's bytes by its kind (`refuse` first).
#[allow(clippy::result_large_err)]
pub fn import(bytes: &[u8], file: &str, ext: &str, set: KeywordSet) -> Result<Draft, Diagnostic> {
    if let Some(d) = refuse(bytes, file, ext) {
        return Err(d);
    }
    let k = kind(ext);
    if bytes.is_empty() {
        let format = match k {
            Kind::Docx => Format::Word,
            Kind::Xlsx | Kind::Xls => Format::Sheet,
            _ => Format::Text,
        };
        return Err(super::not_a_table(
            super::table::NotATable::Empty,
            file,
            format,
        ));
    }
    let (grid, format): (Grid, Format) = match k {
        Kind::Docx => (super::docx::grid(bytes, file)?, Format::Word),
        Kind::Xlsx | Kind::Xls => (
            super::xlsx::grid(bytes, file, k == Kind::Xls)?,
            Format::Sheet,
        ),
        _ => {
            let text = String::from_utf8_lossy(bytes);
            return super::from_text(&text, file, set);
        }
    };
    super::from_grid(&grid, file, format, set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, data) in parts {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn unpacking_stops_at_the_cap() {
        let bytes = zip_of(&[("a.xml", &[b'a'; 600]), ("b.xml", &[b'b'; 600])]);
        let all = unpack(&bytes, "f.xlsx", false, |_| true, 1200).unwrap();
        assert_eq!(all.len(), 2);
        let err = unpack(&bytes, "f.xlsx", false, |_| true, 1000).unwrap_err();
        assert_eq!(err.code, Code::ImportUnpacksTooLarge);
        let one = unpack(&bytes, "f.xlsx", false, |n| n == "b.xml", 1000).unwrap();
        assert_eq!(one.len(), 1);
    }

    #[test]
    fn an_ole_file_is_encrypted_or_old() {
        let mut enc = OLE.to_vec();
        enc.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(
            refuse(&enc, "f.docx", "docx").map(|d| d.code),
            Some(Code::ImportEncrypted)
        );
        assert_eq!(
            refuse(OLE, "f.xlsx", "xlsx").map(|d| d.code),
            Some(Code::ImportOldFormat)
        );
        assert_eq!(refuse(OLE, "f.xls", "xls").map(|d| d.code), None);
    }
}
