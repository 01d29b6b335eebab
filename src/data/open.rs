//! A data file's entities, by its extension (`.json`, `.jsonl`, `.csv`,
//! `.xlsx`), with the problems of one cause told once ([`Grouped`]), and
//! what `kaohe eval --strict` makes of a guess.

use super::grouped::Grouped;
use super::table::{Done, Halves, Layout, Reading, Teller};
use super::{Entity, csv, json, xlsx};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::Program;
use crate::t;

/// The entities of a data file, by its extension: `.json`, `.jsonl`,
/// `.csv` or `.xlsx`. JSON and CSV are streamed one entity at a time.
/// Problems of one cause (one code, one column or field, the same problem)
/// are told once, with how many more rows or entities have it ([`Grouped`]).
pub fn open<'a>(
    program: &'a Program,
    path: &std::path::Path,
) -> Result<Box<dyn Iterator<Item = Result<Entity, Diagnostic>> + 'a>, Diagnostic> {
    open_strict(program, path, false)
}

/// [`open`], and with `strict` (`kaohe eval --strict`) every value or row
/// read on a guess ([`guessed`]) is an error: an entity with such a value
/// is not scored, nor is any entity of a table found on a guess (rows above
/// its header, an encoding, another sheet) or of a JSON file with one.
pub fn open_strict<'a>(
    program: &'a Program,
    path: &std::path::Path,
    strict: bool,
) -> Result<Box<dyn Iterator<Item = Result<Entity, Diagnostic>> + 'a>, Diagnostic> {
    let rows = !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let mut grouped = Grouped::new(read(program, path, strict)?, rows);
    grouped.strict = strict;
    Ok(Box::new(grouped))
}

/// A data file opened to be read and scored on the pool ([`open_halved`]).
pub enum Opened<'a> {
    /// A JSON file's entities (read on the pool as they are pulled).
    Entities(Box<dyn Iterator<Item = Result<Entity, Diagnostic>> + 'a>),
    /// A table's (CSV, XLSX) rows, each read into its entity on the pool
    /// by the task that goes on to score it (boxed: its readers are large,
    /// and the enum is moved about).
    Table(Box<Halved<'a>>),
    /// A JSON file's entities cut on the calling thread, each read into
    /// its entity on the pool by the task that goes on to score it.
    Json(Box<JsonHalved<'a>>),
}

/// A JSON file's entities in halves (`json::Halves`): `pieces` cut on the
/// calling thread, each read into its entity on the pool by `reads`
/// ([`json::Reads::done`]), then told in the order of `pieces` by `told`,
/// as [`open_strict`] tells them.
pub struct JsonHalved<'a> {
    pub pieces: Box<dyn Iterator<Item = json::Piece> + 'a>,
    pub reads: json::Reads<'a>,
    pub told: JsonTold,
}

/// The telling of a JSON file's pieces in their order, as [`open_strict`]
/// tells its entities: the problems of one cause told once ([`Grouped`]),
/// nothing after a stop.
pub struct JsonTold {
    grouped: Grouped<()>,
    stopped: bool,
}

impl JsonTold {
    /// What a piece came to, told: the entity (or what was made of it)
    /// when it is kept; its problems held, to be given by
    /// [`JsonTold::rest`]. After a stop, nothing.
    pub fn tell<E>(&mut self, done: json::Done<E>) -> Option<E> {
        if self.stopped {
            return None;
        }
        let done = done.refusing_guesses(self.grouped.strict);
        for d in done.told {
            self.grouped.pass(Err::<(), _>(d));
        }
        self.stopped = done.stop;
        self.grouped.pass(Ok(done.kept?))
    }

    /// After the last piece: every problem, each cause once.
    pub fn rest(mut self) -> impl Iterator<Item = Diagnostic> {
        self.grouped.rest()
    }
}

/// A table's entities in halves (`table::Halves`): `steps` read on the
/// calling thread, each read into its entity on the pool by `layout`
/// ([`Layout::done`]), then told in the order of `steps` by `told`, as
/// [`open_strict`] tells them.
pub struct Halved<'a> {
    pub steps: Reading<'a>,
    pub layout: Layout<'a>,
    pub told: Told,
}

/// The telling of a table's steps in their order, with the problems of one
/// cause told once ([`Grouped`]), as [`open_strict`] tells them.
pub struct Told {
    teller: Teller,
    grouped: Grouped<()>,
}

impl Told {
    /// What a step came to, told: the entity (or what was made of it) when
    /// it is kept; its problems held, to be given by [`Told::rest`].
    pub fn tell<E>(&mut self, done: Done<E>) -> Option<E> {
        let (grouped, mut kept) = (&mut self.grouped, None);
        self.teller.tell(done, &mut |read| {
            if let Some(entity) = grouped.pass(read) {
                kept = Some(entity);
            }
        });
        kept
    }

    /// After the last step: every problem, each cause once.
    pub fn rest(mut self) -> impl Iterator<Item = Diagnostic> {
        self.grouped.rest()
    }
}

/// [`open_strict`], with a table's (CSV, XLSX) rows left to be read into
/// entities on the pool by the caller ([`Opened::Table`]).
pub fn open_halved<'a>(
    program: &'a Program,
    path: &std::path::Path,
    strict: bool,
) -> Result<Opened<'a>, Diagnostic> {
    let entities = match extension(path).as_str() {
        "csv" => csv::open(program, path, strict)?,
        "xlsx" | "xlsm" => xlsx::open(program, path, strict)?,
        "json" => return json_halved(program, path, json::Layout::Document, strict),
        "jsonl" | "ndjson" => return json_halved(program, path, json::Layout::Lines, strict),
        _ => return open_strict(program, path, strict).map(Opened::Entities),
    };
    let Halves {
        steps,
        layout,
        teller,
    } = entities.halves();
    let mut grouped = Grouped::new((), true);
    grouped.strict = strict;
    let told = Told { teller, grouped };
    Ok(Opened::Table(Box::new(Halved {
        steps,
        layout,
        told,
    })))
}

/// A JSON file opened in halves ([`Opened::Json`]), its problems told as
/// [`open_strict`] tells them (entities, not rows, for a document).
fn json_halved<'a>(
    program: &'a Program,
    path: &std::path::Path,
    layout: json::Layout,
    strict: bool,
) -> Result<Opened<'a>, Diagnostic> {
    let json::Halves { pieces, reads } = json::halved(program, path, layout)?;
    let mut grouped = Grouped::new((), layout == json::Layout::Lines);
    grouped.strict = strict;
    let told = JsonTold {
        grouped,
        stopped: false,
    };
    Ok(Opened::Json(Box::new(JsonHalved {
        pieces,
        reads,
        told,
    })))
}

/// A file's extension, in lower case.
fn extension(path: &std::path::Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Whether a warning says that kaohe guessed how the data was meant (a
/// rate as a fraction, rows or sheets passed over, an encoding, rows a
/// sheet hides read all the same): an error under `kaohe eval --strict`.
pub fn guessed(d: &Diagnostic) -> bool {
    matches!(
        d.code,
        Code::RateFraction
            | Code::TitleRows
            | Code::TotalRow
            | Code::SheetOrder
            | Code::Encoding
            | Code::HiddenRows
    )
}

/// `d`, an error if it is a guess ([`guessed`]): `kaohe eval --strict`.
pub fn strict(mut d: Diagnostic) -> Diagnostic {
    if guessed(&d) && !d.is_error() {
        d.severity = crate::diagnostic::Severity::Error;
        d = d.with_note(t!(
            "an error under --strict, which takes nothing on a guess",
            "在 --strict 下这是错误：不按猜测读取任何数据"
        ));
    }
    d
}

/// The entities of a data file as its format reads them, each problem as
/// it is met.
fn read<'a>(
    program: &'a Program,
    path: &std::path::Path,
    strict: bool,
) -> Result<Box<dyn Iterator<Item = Result<Entity, Diagnostic>> + 'a>, Diagnostic> {
    let name = path.display().to_string();
    match extension(path).as_str() {
        "csv" => Ok(Box::new(csv::open(program, path, strict)?)),
        "xlsx" | "xlsm" => Ok(Box::new(xlsx::open(program, path, strict)?)),
        "json" => json::open(program, path, json::Layout::Document, strict),
        "jsonl" | "ndjson" => json::open(program, path, json::Layout::Lines, strict),
        _ => Err(Diagnostic::new(
            Code::DataFormat,
            t!(
                "{name}: kaohe reads data from .json, .jsonl, .csv and .xlsx files, not from this one",
                "{name}：kaohe 只能从 .json、.jsonl、.csv 和 .xlsx 文件读取数据，不能读取此文件"
            ),
        )
        .with_help(t!(
            "save the data as .xlsx or .csv, or write it as JSON (.json, or one entity a line in .jsonl)",
            "请将数据另存为 .xlsx 或 .csv，或写成 JSON（.json，或每行一个被考核单位的 .jsonl）"
        ))
        .in_file(&name)),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::{Grouped, JsonTold, json};
    use crate::diagnostic::{Code, Diagnostic};
    use crate::t;

    /// A JSON file's pieces told in order: the entities kept before a
    /// stop, nothing after it, and the problems up to it at the end.
    #[test]
    fn nothing_after_a_stop_is_told() {
        let words = ["", "one", "two", "three"];
        let d = |n: usize| Diagnostic::new(Code::DataSyntax, t!("{}", "{}", words[n]));
        let done = |n: usize, kept: Option<u32>, stop: bool| json::Done {
            told: vec![d(n)],
            kept,
            stop,
        };
        let mut told = JsonTold {
            grouped: Grouped::new((), true),
            stopped: false,
        };
        let kept: Vec<Option<u32>> = [
            done(1, Some(1), false),
            done(2, None, true),
            done(3, Some(3), false),
        ]
        .into_iter()
        .map(|done| told.tell(done))
        .collect();
        assert_eq!(kept, [Some(1), None, None]);
        let rest: Vec<String> = told.rest().map(|d| d.message.en).collect();
        assert_eq!(rest, ["one", "two"]);
    }
}
