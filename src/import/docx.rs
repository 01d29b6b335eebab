//! A Word document (.docx) read as a `Grid`: the zip archive by the `zip`
//! crate (already in the build through calamine), its main part
//! (word/document.xml) by `quick-xml` (likewise), as a stream of events.
//!
//! - Every table's rows (`w:tbl`, `w:tr`, `w:tc`) in order, a table split
//!   by Word across pages read on as the same; a table inside a cell is
//!   read as the cell's paragraphs.
//! - Merged cells: a cell spanning columns (`w:gridSpan`) is followed by
//!   empty cells for the columns it covers; a cell continuing a merge down
//!   (`w:vMerge` without `restart`) is empty; cells skipped at the start of
//!   a row (`w:gridBefore`) are empty.
//! - A cell's paragraphs (`w:p`), and its line breaks (`w:br`), are its
//!   lines; text is read from `w:t` only (not deleted text, not field codes),
//!   and the fallback copy of a drawing (`mc:Fallback`) is skipped.
//! - The paragraphs before the first table: the title first; those after
//!   it: its notes.

use super::cells::{Cell, Grid, Place, paragraphs};
use super::file::{Cause, UNPACKED_CAP, damaged, unpack, unreadable};
use crate::diagnostic::Diagnostic;
use crate::t;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// The name of a WordprocessingML element without its `w:` prefix; None
/// for an element of another namespace.
fn word(name: &str) -> Option<&str> {
    match name.split_once(':') {
        Some(("w", local)) => Some(local),
        Some(_) => None,
        None => Some(name),
    }
}

/// An attribute's value (`w:val`) as a number.
fn val(e: &BytesStart<'_>) -> Option<String> {
    e.try_get_attribute("w:val")
        .ok()
        .flatten()
        .map(|a| a.value.to_string())
}

/// The main part's name, from the package's relationships (_rels/.rels);
/// word/document.xml as Word names it.
fn main_part(rels: Option<&[u8]>) -> String {
    let fallback = "word/document.xml".to_string();
    let Some(text) = rels.and_then(|r| std::str::from_utf8(r).ok()) else {
        return fallback;
    };
    let mut reader = Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(Event::Empty(e) | Event::Start(e)) if e.local_name().as_ref() == "Relationship" => {
                let attr = |n: &str| {
                    e.try_get_attribute(n)
                        .ok()
                        .flatten()
                        .map(|a| a.value.to_string())
                };
                if attr("Type").is_some_and(|t| t.ends_with("/officeDocument"))
                    && let Some(target) = attr("Target")
                {
                    return target.trim_start_matches('/').to_string();
                }
            }
            Ok(Event::Eof) | Err(_) => return fallback,
            _ => {}
        }
    }
}

/// The state of the reader inside a table's cell.
#[derive(Default)]
struct CellState {
    paragraphs: Vec<String>,
    span: usize,
    continues: bool,
}

/// Read a .docx's tables and paragraphs as a grid.
// One diagnostic, as every reader of a file returns.
#[allow(clippy::result_large_err)]
pub(super) fn grid(bytes: &[u8], file: &str) -> Result<Grid, Diagnostic> {
    let rels = unpack(bytes, file, true, |n| n == "_rels/.rels", UNPACKED_CAP)?;
    let main = main_part(rels.first().map(|(_, d)| d.as_slice()));
    let parts = unpack(bytes, file, true, |n| n == main, UNPACKED_CAP)?;
    let Some((_, xml)) = parts.into_iter().next() else {
        let why = t!(
            "it holds no document ({main} is missing)",
            "其中没有文档正文（缺少 {main}）"
        );
        return Err(damaged(file, true, &why));
    };
    let text = std::str::from_utf8(&xml).map_err(|e| unreadable(file, true, &Cause::Xml, &e))?;
    read(text).map_err(|e| unreadable(file, true, &Cause::Xml, &e))
}

/// Read WordprocessingML (word/document.xml) as a grid.
fn read(xml: &str) -> Result<Grid, quick_xml::Error> {
    let mut reader = Reader::from_str(xml);
    let mut grid = Grid::default();
    let mut tables = 0usize; // top-level tables begun
    let mut depth = 0usize; // tables open
    let mut row_no = 0usize; // rows of the current table
    let mut row: Vec<Cell> = Vec::new();
    let mut cell: Option<CellState> = None;
    let mut para = String::new();
    let mut in_para = 0usize;
    let mut in_text = false;
    let mut skip = 0usize; // inside mc:Fallback
    let mut body_paragraphs = 0usize;
    let place = |tables: usize, row_no: usize, col: usize| Place::Word {
        table: tables,
        row: row_no,
        col: col + 1,
    };
    loop {
        let event = reader.read_event()?;
        if skip > 0 {
            match event {
                Event::Start(_) => skip += 1,
                Event::End(_) => skip -= 1,
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.name();
                if name.as_ref() == "mc:Fallback" {
                    skip = 1;
                    continue;
                }
                match word(name.as_ref()) {
                    Some("tbl") => {
                        depth += 1;
                        if depth == 1 {
                            tables += 1;
                            row_no = 0;
                        }
                    }
                    Some("tr") if depth == 1 => {
                        row_no += 1;
                        row = Vec::new();
                    }
                    Some("tc") if depth == 1 => {
                        cell = Some(CellState {
                            span: 1,
                            ..CellState::default()
                        });
                    }
                    Some("p") => {
                        if in_para == 0 {
                            para.clear();
                        }
                        in_para += 1;
                    }
                    Some("t") => in_text = true,
                    Some(other) => attribute(other, &e, depth, &mut row, &mut cell, tables, row_no),
                    None => {}
                }
            }
            Event::Empty(e) => {
                let name = e.name();
                match word(name.as_ref()) {
                    Some("br" | "cr") if in_para > 0 => para.push('\n'),
                    Some("tab") if in_para > 0 => para.push(' '),
                    Some(other) => attribute(other, &e, depth, &mut row, &mut cell, tables, row_no),
                    None => {}
                }
            }
            Event::Text(t) if in_text => para.push_str(&t.xml10_content()),
            Event::CData(t) if in_text => para.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    para.push(c);
                } else {
                    para.push_str(match r.xml10_content().as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::End(e) => {
                let name = e.name();
                match word(name.as_ref()) {
                    Some("t") => in_text = false,
                    Some("p") if in_para > 0 => {
                        in_para -= 1;
                        if in_para > 0 {
                            continue;
                        }
                        let text = std::mem::take(&mut para);
                        match cell.as_mut() {
                            Some(c) if depth >= 1 => c.paragraphs.push(text),
                            _ => {
                                for line in paragraphs(&text) {
                                    body_paragraphs += 1;
                                    if tables == 0 {
                                        grid.before.push(line);
                                    } else {
                                        grid.after.push((Place::Paragraph(body_paragraphs), line));
                                    }
                                }
                            }
                        }
                    }
                    Some("tc") if depth == 1 => {
                        if let Some(c) = cell.take() {
                            let col = row.len();
                            let mut first =
                                Cell::of_text(&c.paragraphs.join("\n"), place(tables, row_no, col));
                            if c.continues {
                                first.paragraphs.clear();
                            }
                            row.push(first);
                            for k in 1..c.span {
                                row.push(Cell {
                                    paragraphs: Vec::new(),
                                    at: place(tables, row_no, col + k),
                                });
                            }
                        }
                    }
                    Some("tr") if depth == 1 => grid.rows.push(std::mem::take(&mut row)),
                    Some("tbl") => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    Ok(grid)
}

/// A property of a cell or row met as an element: `w:gridSpan`,
/// `w:vMerge`, `w:gridBefore`.
fn attribute(
    name: &str,
    e: &BytesStart<'_>,
    depth: usize,
    row: &mut Vec<Cell>,
    cell: &mut Option<CellState>,
    tables: usize,
    row_no: usize,
) {
    if depth != 1 {
        return;
    }
    let number = || val(e).and_then(|v| v.parse::<usize>().ok());
    match (name, cell.as_mut()) {
        ("gridSpan", Some(c)) => c.span = number().unwrap_or(1).clamp(1, 64),
        ("vMerge", Some(c)) => c.continues = val(e).is_none_or(|v| v == "continue"),
        ("gridBefore", None) => {
            for _ in 0..number().unwrap_or(0).min(64) {
                let col = row.len();
                row.push(Cell {
                    paragraphs: Vec::new(),
                    at: Place::Word {
                        table: tables,
                        row: row_no,
                        col: col + 1,
                    },
                });
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(g: &Grid) -> Vec<Vec<String>> {
        g.rows
            .iter()
            .map(|r| r.iter().map(Cell::text).collect())
            .collect()
    }

    #[test]
    fn merged_cells_are_empty_where_word_copies_them_empty() {
        let xml = r#"<w:document xmlns:w="x"><w:body>
<w:p><w:r><w:t>柳城县2024年考核表</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>考核</w:t></w:r><w:r><w:t xml:space="preserve">内容 &amp; 分</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>分值</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>一、甲</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1.1 乙</w:t><w:br/><w:t>续</w:t></w:r></w:p><w:p/><w:p><w:r><w:delText>删</w:delText><w:instrText>PAGE</w:instrText><w:t>二段</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:trPr><w:gridBefore w:val="0"/></w:trPr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>一、甲</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1.2 丙</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr>
</w:tbl>
<w:p><w:r><w:t>注：加分项最高10分。</w:t></w:r></w:p>
</w:body></w:document>"#;
        let g = read(xml).unwrap();
        assert_eq!(g.before, ["柳城县2024年考核表"]);
        assert_eq!(
            texts(&g),
            [
                vec!["考核内容 & 分", "", "分值"],
                vec!["一、甲", "1.1 乙\n续\n二段", "3"],
                vec!["", "1.2 丙", "2"],
            ]
        );
        assert_eq!(
            g.rows[2][1].at,
            Place::Word {
                table: 1,
                row: 3,
                col: 2
            }
        );
        assert_eq!(
            g.after,
            [(Place::Paragraph(2), "注：加分项最高10分。".to_string())]
        );
    }
}
