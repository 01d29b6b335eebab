//! A data file's entities with the problems of one cause told once, and
//! how many more rows or entities have it.

use super::Entity;
use super::open::{guessed, strict};
use crate::diagnostic::{Code, Diagnostic};
use crate::t;

/// A data file's entities and problems with each cause told once: the
/// first problem of a cause is held, those after it only counted, and at
/// the end every problem held is given, in the order they were first met,
/// with a note of how many more there were. A cause is a code with a
/// message that differs only in numbers (rows) and quoted texts (entity
/// ids, values found): one column's or field's problem, whatever the row.
/// A duplicate id and the rows of an unknown entity name what differs, so
/// each is its own cause. Entities come on as they are read.
pub struct Grouped<I> {
    inner: I,
    /// Whether the file has rows (CSV, XLSX) rather than entities (JSON).
    rows: bool,
    /// Per cause, its place in `held` and how many more there were.
    causes: std::collections::HashMap<String, usize>,
    held: Vec<(Diagnostic, usize)>,
    /// After the last entity: the problems held, to give.
    out: Option<std::vec::IntoIter<Diagnostic>>,
    /// `--strict`: a guess is an error, and after one no entity comes (a
    /// JSON file's problems all come before its entities).
    pub(super) strict: bool,
    refused: bool,
}

impl<I> Grouped<I> {
    pub fn new(inner: I, rows: bool) -> Grouped<I> {
        Grouped {
            inner,
            rows,
            causes: std::collections::HashMap::new(),
            held: Vec::new(),
            out: None,
            strict: false,
            refused: false,
        }
    }

    fn hold(&mut self, d: Diagnostic) {
        let d = if self.strict { strict(d) } else { d };
        self.refused |= d.is_error() && guessed(&d) && !self.rows;
        let Some(key) = cause(&d) else {
            self.held.push((d, 0));
            return;
        };
        match self.causes.get(&key) {
            Some(&i) => {
                if let Some((_, more)) = self.held.get_mut(i) {
                    *more += 1;
                }
            }
            None => {
                self.causes.insert(key, self.held.len());
                self.held.push((d, 0));
            }
        }
    }
}

/// The cause of a problem, for [`Grouped`]: its code, file, message and
/// help with every run of digits and every quoted text blanked out (so
/// that rows told different help — `12个月` to drop its word, `x` to write
/// digits — are not told as one). `None` for a problem that names what
/// sets it apart (an id given twice, rows of an unknown entity).
fn cause(d: &Diagnostic) -> Option<String> {
    if matches!(d.code, Code::DuplicateEntity | Code::ListRowOrphan) {
        return None;
    }
    let mut key = format!("{}|{}|", d.code.as_str(), d.file.as_deref().unwrap_or(""));
    blank_out(&d.message.en, &mut key);
    if let Some(help) = &d.help {
        key.push('|');
        blank_out(&help.en, &mut key);
    }
    Some(key)
}

/// `text` onto `key`, every run of digits (a number, its point and
/// decimals with it) and every quoted text blanked out.
fn blank_out(text: &str, key: &mut String) {
    let (mut quoted, mut digits) = (false, false);
    for c in text.chars() {
        if c == '"' {
            quoted = !quoted;
            key.push('"');
            continue;
        }
        if quoted {
            continue;
        }
        if c.is_ascii_digit() || (digits && c == '.') {
            if !digits {
                key.push('#');
            }
            digits = true;
            continue;
        }
        digits = false;
        key.push(c);
    }
}

impl<I> Grouped<I> {
    /// An entity (or what was made of it) passed on, unless refused; a
    /// problem held, to be given at the end.
    pub(super) fn pass<T>(&mut self, read: Result<T, Diagnostic>) -> Option<T> {
        match read {
            Ok(e) if !self.refused => Some(e),
            Ok(_) => None,
            Err(d) => {
                self.hold(d);
                None
            }
        }
    }

    /// After the last entity: every problem held, with how many more
    /// there were of its cause.
    pub(super) fn rest(&mut self) -> impl Iterator<Item = Diagnostic> + use<I> {
        let rows = self.rows;
        (std::mem::take(&mut self.held).into_iter()).map(move |(d, more)| noted(d, more, rows))
    }
}

/// A problem held, with a note of how many more rows or entities had its
/// cause.
fn noted(d: Diagnostic, more: usize, rows: bool) -> Diagnostic {
    match (more, rows) {
        (0, _) => d,
        (n, true) => d.with_note(t!("and {n} more rows like this", "另有 {n} 行同样的问题")),
        (n, false) => d.with_note(t!(
            "and {n} more entities like this",
            "另有 {n} 个被考核单位有同样的问题"
        )),
    }
}

impl<I: Iterator<Item = Result<Entity, Diagnostic>>> Iterator for Grouped<I> {
    type Item = Result<Entity, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.out.is_none() {
            while let Some(read) = self.inner.next() {
                if let Some(e) = self.pass(read) {
                    return Some(Ok(e));
                }
            }
            let rest: Vec<Diagnostic> = self.rest().collect();
            self.out = Some(rest.into_iter());
        }
        self.out.as_mut()?.next().map(Err)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn problems_of_one_cause_differ_only_in_rows_ids_and_values() {
        use crate::diagnostic::{Code, Diagnostic};
        use crate::t;
        let d = |row: u32, id: &str, found: &str, column: &str| {
            Diagnostic::new(
                Code::DatumDate,
                t!(
                    "a.csv, row {row}, column {column}: entity \"{id}\": found \"{found}\" 1.5",
                    "甲"
                ),
            )
        };
        let one = super::cause(&d(2, "甲", "x", "D"));
        assert_eq!(one, super::cause(&d(31, "乙县", "2024年3月1日", "D")));
        assert_ne!(one, super::cause(&d(2, "甲", "x", "E")));
        let told = |help: &str| d(2, "甲", "x", "D").with_help(t!("{help}", "{help}"));
        assert_eq!(
            super::cause(&told("write the number alone, 12, without \"个月\"")),
            super::cause(&told("write the number alone, 3.5, without \"分\""))
        );
        assert_ne!(
            super::cause(&told("write the number alone, 12, without \"个月\"")),
            super::cause(&told("write numbers in digits, such as 2 or 27.5"))
        );
        let twice = Diagnostic::new(Code::DuplicateEntity, t!("row 2", "第 2 行"));
        assert_eq!(super::cause(&twice), None);
    }
}
