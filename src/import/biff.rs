//! A look at an .xls workbook's records before calamine opens it.
//!
//! calamine reads an Excel 97–2003 workbook whole when it opens it: for
//! each worksheet it makes room for the rows × columns its DIMENSIONS
//! record claims, then a grid spanning the cells present. A crafted file
//! that claims 4,294,967,280 rows, or holds two cells at A1 and IV65536,
//! would have it allocate terabytes (an abort, not an error) or half a
//! gigabyte. So the worksheets' extents are read here first, from the
//! records themselves ([MS-XLS] 2.1.4: a 2-byte type, a 2-byte length,
//! the data), and a sheet larger than an assessment table is refused
//! (K0811) before calamine sees the file.

use std::collections::HashMap;
use std::io::{Cursor, Read};

/// One worksheet's extent: what its DIMENSIONS record claims and where
/// its cells lie.
#[derive(Default)]
pub(super) struct Extent {
    /// The sheet's name, from its BOUNDSHEET record.
    pub name: String,
    /// Rows × columns as calamine will reserve them from DIMENSIONS.
    pub claimed: u64,
    /// The first and last row and column of the cells present.
    pub rows: Option<(u32, u32)>,
    pub cols: Option<(u32, u32)>,
}

impl Extent {
    /// Rows and columns of the grid spanning the cells present.
    pub fn spanned(&self) -> (u64, u64) {
        let n = |r: Option<(u32, u32)>| r.map_or(0, |(a, b)| u64::from(b - a) + 1);
        (n(self.rows), n(self.cols))
    }

    /// The cell farthest from A1.
    pub fn far(&self) -> Option<(u32, u32)> {
        Some((self.rows?.1, self.cols?.1))
    }

    fn cell(&mut self, row: u32, col: u32) {
        let widen = |r: &mut Option<(u32, u32)>, v: u32| {
            *r = Some(r.map_or((v, v), |(a, b)| (a.min(v), b.max(v))));
        };
        widen(&mut self.rows, row);
        widen(&mut self.cols, col);
    }
}

/// The extents of the workbook's sheets, in the order of their records;
/// `None` when the file is no compound file with a workbook stream that
/// can be read (calamine then says what is wrong with it).
pub(super) fn extents(bytes: &[u8]) -> Option<Vec<Extent>> {
    let mut book = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| book.is_stream(n))?;
    let mut stream = Vec::new();
    book.open_stream(name).ok()?.read_to_end(&mut stream).ok()?;
    Some(scan(&stream))
}

/// The records of a workbook stream read one after another: a BOF at an
/// offset a BOUNDSHEET named starts that sheet; the cell records and
/// DIMENSIONS after it are its own.
fn scan(stream: &[u8]) -> Vec<Extent> {
    let mut names: HashMap<u32, String> = HashMap::new();
    let mut sheets: Vec<Extent> = Vec::new();
    let mut at = 0usize;
    while let Some(&[t0, t1, l0, l1]) = stream.get(at..at + 4) {
        let typ = u16::from_le_bytes([t0, t1]);
        let len = usize::from(u16::from_le_bytes([l0, l1]));
        let Some(data) = stream.get(at + 4..at + 4 + len) else {
            break;
        };
        let offset = u32::try_from(at).unwrap_or(u32::MAX);
        match typ {
            // BOUNDSHEET: where the sheet's BOF is, and its name.
            0x0085 => {
                if let (Some(pos), Some(name)) = (u32_at(data, 0), sheet_name(data)) {
                    names.insert(pos, name);
                }
            }
            // BOF: a sheet named by a BOUNDSHEET begins here.
            0x0809 => {
                if let Some(name) = names.remove(&offset) {
                    sheets.push(Extent {
                        name,
                        ..Extent::default()
                    });
                }
            }
            0x0200 => {
                if let Some(sheet) = sheets.last_mut() {
                    sheet.claimed = sheet.claimed.max(claimed(data));
                }
            }
            // Cells of one column: BLANK, NUMBER, LABEL, BOOLERR, RK,
            // LABELSST, RSTRING, FORMULA.
            0x0201 | 0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x00D6 | 0x0006 => {
                if let (Some(sheet), Some(row), Some(col)) =
                    (sheets.last_mut(), u16_at(data, 0), u16_at(data, 2))
                {
                    sheet.cell(row, col);
                }
            }
            // MULRK, MULBLANK: a row, the first column, …, the last column.
            0x00BD | 0x00BE => {
                let last = len.checked_sub(2).and_then(|l| u16_at(data, l));
                if let (Some(sheet), Some(row), Some(first), Some(last)) =
                    (sheets.last_mut(), u16_at(data, 0), u16_at(data, 2), last)
                {
                    sheet.cell(row, first);
                    sheet.cell(row, last.max(first));
                }
            }
            _ => {}
        }
        at += 4 + len;
    }
    sheets
}

/// Rows × columns as calamine reserves them for a DIMENSIONS record
/// (its `parse_dimensions`, with the same wrapping arithmetic).
fn claimed(r: &[u8]) -> u64 {
    let (rf, rl, cf, cl) = match r.len() {
        10 => (u16_at(r, 0), u16_at(r, 2), u16_at(r, 4), u16_at(r, 6)),
        14 | 16 => (u32_at(r, 0), u32_at(r, 4), u16_at(r, 8), u16_at(r, 10)),
        _ => return 0,
    };
    let (Some(rf), Some(rl), Some(cf), Some(cl)) = (rf, rl, cf, cl) else {
        return 0;
    };
    let cf = if 0xFF < cf || cl < cf { 0 } else { cf };
    if rl < 1 || cl < 1 {
        return 1;
    }
    let rows = (rl - 1).wrapping_sub(rf).wrapping_add(1);
    let cols = (cl - 1).wrapping_sub(cf).wrapping_add(1);
    u64::from(rows).saturating_mul(u64::from(cols))
}

/// A BOUNDSHEET's name: a short string of 8-bit or UTF-16 characters.
fn sheet_name(data: &[u8]) -> Option<String> {
    let count = usize::from(*data.get(6)?);
    let wide = data.get(7)? & 1 == 1;
    let text = data.get(8..)?;
    if wide {
        let units: Vec<u16> = (text.chunks_exact(2).take(count))
            .filter_map(|c| Some(u16::from_le_bytes(c.try_into().ok()?)))
            .collect();
        Some(String::from_utf16_lossy(&units))
    } else {
        Some(text.iter().take(count).map(|&b| char::from(b)).collect())
    }
}

fn u16_at(data: &[u8], at: usize) -> Option<u32> {
    let b = data.get(at..at + 2)?;
    Some(u32::from(u16::from_le_bytes(b.try_into().ok()?)))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    let b = data.get(at..at + 4)?;
    Some(u32::from_le_bytes(b.try_into().ok()?))
}
