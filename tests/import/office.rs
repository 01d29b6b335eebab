//! Word documents and workbooks built from the text of a copied table, as
//! the office would have them: the same rows, the section, indicator and
//! item cells merged down over the rows they span, the cells' lines as
//! paragraphs (Word) or line breaks (Excel), the points as numbers (Excel).

use std::io::Write;

/// A table as rows of cells (each cell's lines joined by "\n").
pub struct Rows {
    pub title: String,
    pub header: Vec<String>,
    pub body: Vec<Vec<String>>,
    /// Lines after the table.
    pub notes: Vec<String>,
}

const HEADERS: &[&str] = &[
    "一级指标",
    "二级指标",
    "考核事项",
    "三级指标",
    "考核内容",
    "考核项目",
    "考核指标",
    "序号",
    "分值",
    "分数",
    "评分标准",
    "考核标准",
    "材料要求",
    "佐证材料",
    "考核方式",
    "责任单位",
    "牵头单位",
];

/// The copied text (a cell a line beginning with a tab, further lines of
/// the cell after it) as rows, as long as its header.
pub fn rows_of_text(text: &str) -> Rows {
    let mut before = Vec::new();
    let mut cells: Vec<Vec<String>> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches([' ', '\r', '\u{3000}']);
        if let Some(first) = line.strip_prefix('\t') {
            cells.push(if first.trim().is_empty() {
                vec![]
            } else {
                vec![first.trim().to_string()]
            });
        } else if let Some(c) = cells.last_mut() {
            if !line.trim().is_empty() {
                c.push(line.trim().to_string());
            }
        } else if !line.trim().is_empty() {
            before.push(line.trim().to_string());
        }
    }
    let cells: Vec<String> = cells.into_iter().map(|c| c.join("\n")).collect();
    let width = cells
        .iter()
        .take_while(|c| HEADERS.contains(&c.as_str()))
        .count();
    assert!(width > 0, "no header");
    let header = cells[..width].to_vec();
    let body = cells[width..].chunks(width).map(|c| c.to_vec()).collect();
    Rows {
        title: before.first().cloned().unwrap_or_default(),
        header,
        body,
        notes: Vec::new(),
    }
}

/// The vertical merges of the body: (column, first row, last row) for a
/// cell of the first three columns followed by empty ones under it.
pub fn merges(rows: &Rows) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    for col in 0..3.min(rows.header.len()) {
        let mut r = 0;
        while r < rows.body.len() {
            if rows.body[r][col].is_empty() {
                r += 1;
                continue;
            }
            let mut end = r;
            while end + 1 < rows.body.len() && rows.body[end + 1][col].is_empty() {
                end += 1;
            }
            if end > r {
                out.push((col, r, end));
            }
            r = end + 1;
        }
    }
    out
}

/// A workbook of the table: the title merged across the columns in the
/// first row, two header rows when `two_header_rows` (考核内容 over the
/// first three columns, the others merged down), merged cells, points as
/// numbers, the notes in rows after it.
pub fn xlsx(rows: &Rows, two_header_rows: bool) -> Vec<u8> {
    xlsx_with(rows, two_header_rows, &[])
}

/// The same workbook with more cells written where `extra` says (row,
/// column, text): stray cells far from the table.
pub fn xlsx_with(rows: &Rows, two_header_rows: bool, extra: &[(u32, u16, &str)]) -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("任务分解表").unwrap();
    let wrap = Format::new().set_text_wrap();
    let last_col = (rows.header.len() - 1) as u16;
    sheet
        .merge_range(0, 0, 0, last_col, &rows.title, &wrap)
        .unwrap();
    let mut top = 1u32;
    if two_header_rows {
        sheet.merge_range(1, 0, 1, 2, "考核内容", &wrap).unwrap();
        for (c, h) in rows.header.iter().enumerate() {
            if c < 3 {
                sheet.write_string(2, c as u16, h).unwrap();
            } else {
                sheet
                    .merge_range(1, c as u16, 2, c as u16, h, &wrap)
                    .unwrap();
            }
        }
        top = 3;
    } else {
        for (c, h) in rows.header.iter().enumerate() {
            sheet.write_string(1, c as u16, h).unwrap();
        }
        top += 1;
    }
    let merged = merges(rows);
    for (r, row) in rows.body.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            let (rr, cc) = (top + r as u32, c as u16);
            if let Some((_, first, last)) = merged.iter().find(|(mc, f, _)| *mc == c && *f == r) {
                sheet
                    .merge_range(rr, cc, top + *last as u32, cc, text, &wrap)
                    .unwrap();
                let _ = first;
            } else if merged
                .iter()
                .any(|(mc, f, l)| *mc == c && r > *f && r <= *l)
            {
                // Under a merged cell: written by merge_range.
            } else if rows.header[c] == "分值" && text.parse::<f64>().is_ok() {
                sheet
                    .write_number(rr, cc, text.parse::<f64>().unwrap())
                    .unwrap();
            } else if !text.is_empty() {
                sheet.write_string(rr, cc, text).unwrap();
            }
        }
    }
    let after = top + rows.body.len() as u32;
    for (i, note) in rows.notes.iter().enumerate() {
        sheet
            .merge_range(after + i as u32, 0, after + i as u32, last_col, note, &wrap)
            .unwrap();
    }
    for (r, c, text) in extra {
        sheet.write_string(*r, *c, *text).unwrap();
    }
    book.save_to_buffer().unwrap()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A paragraph as Word writes one: properties, a run with its own.
fn paragraph(text: &str) -> String {
    if text.is_empty() {
        return "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr></w:p>".to_string();
    }
    format!(
        "<w:p><w:pPr><w:spacing w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:proofErr w:type=\"spellStart\"/><w:r><w:rPr><w:rFonts w:hint=\"eastAsia\" w:ascii=\"仿宋\"/><w:sz w:val=\"21\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r><w:proofErr w:type=\"spellEnd\"/></w:p>",
        escape(text)
    )
}

/// A Word document of the table: the title in a paragraph before it, the
/// header row marked to repeat on each page, merged cells (w:vMerge), a
/// cell's lines as paragraphs, the notes in paragraphs after it.
pub fn docx(rows: &Rows) -> Vec<u8> {
    let merged = merges(rows);
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"><w:body>",
    );
    x.push_str(&paragraph(&rows.title));
    x.push_str(
        "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders/></w:tblPr><w:tblGrid>",
    );
    for _ in &rows.header {
        x.push_str("<w:gridCol w:w=\"1200\"/>");
    }
    x.push_str("</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>");
    for h in &rows.header {
        x.push_str(&format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"1200\" w:type=\"dxa\"/></w:tcPr>{}</w:tc>",
            paragraph(h)
        ));
    }
    x.push_str("</w:tr>");
    for (r, row) in rows.body.iter().enumerate() {
        x.push_str("<w:tr>");
        for (c, text) in row.iter().enumerate() {
            let starts = merged.iter().any(|(mc, f, _)| *mc == c && *f == r);
            let continues = merged
                .iter()
                .any(|(mc, f, l)| *mc == c && r > *f && r <= *l);
            let props = if starts {
                "<w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>"
            } else if continues {
                "<w:tcPr><w:vMerge/></w:tcPr>"
            } else {
                "<w:tcPr><w:tcW w:w=\"1200\" w:type=\"dxa\"/></w:tcPr>"
            };
            x.push_str("<w:tc>");
            x.push_str(props);
            if text.is_empty() {
                x.push_str(&paragraph(""));
            }
            for line in text.lines() {
                x.push_str(&paragraph(line));
            }
            x.push_str("</w:tc>");
        }
        x.push_str("</w:tr>");
    }
    x.push_str("</w:tbl>");
    for n in &rows.notes {
        x.push_str(&paragraph(n));
    }
    x.push_str("<w:sectPr><w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/></w:sectPr></w:body></w:document>");
    zip_of(&[
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".as_bytes(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".as_bytes(),
        ),
        ("word/document.xml", x.as_bytes()),
    ])
}

/// A zip archive of the given parts, deflated.
pub fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The parts of a zip archive, each as `change` gives it back (`None`
/// leaves the part out), zipped again: a workbook or document spoilt
/// in one part.
pub fn rezip(bytes: &[u8], change: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>) -> Vec<u8> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut data = Vec::new();
        part.read_to_end(&mut data).unwrap();
        if let Some(data) = change(&name, data) {
            parts.push((name, data));
        }
    }
    let parts: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    zip_of(&parts)
}
