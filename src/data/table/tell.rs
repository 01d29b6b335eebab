//! What the reading of a dataset met, told in the file's order once each
//! entity is read (`batch`): every problem in its turn, an entity kept
//! unless it met an error, its id was given before or a problem with the
//! whole file came before it.

use super::batch::Done;
use crate::diagnostic::{Code, Diagnostic};

/// The telling of a dataset's steps, in the file's order, on the calling
/// thread.
pub struct Teller {
    pub(super) file: String,
    /// `kaohe eval --strict`: what is read on a guess is an error.
    pub(super) strict: bool,
    /// A problem with the whole file was told: no entity after it is kept.
    pub(super) broken: bool,
}

impl Teller {
    /// A step told: each of its problems, then its entity (what was made
    /// of it) when it is kept, each given to `out` in turn.
    pub fn tell<E>(&mut self, done: Done<E>, out: &mut impl FnMut(Result<E, Diagnostic>)) {
        match done {
            Done::Problem(d) => self.told(d, out),
            Done::Read {
                before,
                entity,
                diags,
                twice,
            } => {
                for d in before.into_iter().chain(diags) {
                    self.told(d, out);
                }
                if let Some(d) = twice {
                    self.told(d, out);
                    return;
                }
                if let Some(entity) = entity
                    && !self.broken
                {
                    out(Ok(entity));
                }
            }
        }
    }

    /// A problem told, in the file's order: it is handed on, and one with
    /// the whole file leaves out every entity after it.
    fn told<E>(&mut self, d: Diagnostic, out: &mut impl FnMut(Result<E, Diagnostic>)) {
        let d = if self.strict {
            super::super::strict(d)
        } else {
            d
        };
        if d.is_error() {
            self.broken |= matches!(
                d.code,
                Code::SheetMissing
                    | Code::ColumnMissing
                    | Code::TableUnreadable
                    | Code::DuplicateColumn
                    | Code::NamesRowDeleted
                    | Code::MergedAcross
                    | Code::FormulaUnsaved
            ) || (d.code != Code::RateFraction && super::super::guessed(&d));
        }
        out(Err(d.in_file(&self.file)));
    }
}
