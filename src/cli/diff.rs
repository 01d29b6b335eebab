//! `kaohe diff`: what changed between two specs, item by item; with data,
//! the effect on each entity (`crate::diff`).

use super::{DiagFormat, Output, Status, io};
use crate::data::Entity;
use crate::diagnostic::Diagnostic;
use crate::diff as d;
use crate::escape;
use crate::eval::{self, Outcome};
use crate::ir::Program;
use crate::source::Source;
use clap::Args as ClapArgs;
use std::path::{Path, PathBuf};

#[derive(ClapArgs)]
pub(crate) struct Args {
    old: PathBuf,
    new: PathBuf,
    /// Score this data under both specs and show the change in points.
    #[arg(long)]
    data: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    format: DiagFormat,
}

/// The entities of a data file and each one's outcome under a program.
type Scored<'p> = (Vec<Entity>, Vec<Option<Outcome<'p>>>);

pub(crate) fn run(out: &Output, args: Args) -> Status {
    let (old_p, new_p) = match (out.program(&args.old), out.program(&args.new)) {
        (Ok((_, a)), Ok((_, b))) => (a, b),
        (Err(s), _) | (_, Err(s)) => return s,
    };
    let changes = d::changes(&old_p, &new_p);
    let mut status = Status::Ok;
    let source = match args.data.as_deref().map(|path| out.read(path)).transpose() {
        Ok(s) => s,
        Err(s) => return s,
    };
    let effects = (source.as_ref()).map(|s| effects(out, &args, (&old_p, &new_p), s, &mut status));
    let text = match args.format {
        DiagFormat::Text => {
            let text = d::text(&old_p, &new_p, &changes, effects.as_deref(), out.lang());
            escape::terminal(&text).into_owned()
        }
        DiagFormat::Json => format!(
            "{:#}\n",
            d::json(&old_p, &new_p, &changes, effects.as_deref())
        ),
    };
    let _ = io::print(&text);
    status
}

/// The data scored under both specs, and the change for each entity.
fn effects(
    out: &Output,
    args: &Args,
    (old_p, new_p): (&Program, &Program),
    source: &Source,
    status: &mut Status,
) -> Vec<d::EntityChange> {
    // With last year's data, the items whose inputs it lacks are left out
    // of both totals and reported as having no data yet (crate::diff).
    let scoring = d::Scoring::prepare(old_p, new_p, &source.text);
    let before = score_all(out, &scoring.old, source, &args.old, status);
    let after = score_all(out, &scoring.new, source, &args.new, status);
    d::effects(old_p, new_p, &scoring, &valid(&before), &valid(&after))
}

/// The entities that could be scored, each with its outcome.
fn valid<'a, 'p>(scored: &'a Scored<'p>) -> Vec<(&'a Entity, Outcome<'p>)> {
    (scored.0.iter())
        .zip(scored.1.iter().cloned())
        .filter_map(|(e, o)| Some((e, o?)))
        .collect()
}

/// The entities of a data file and each one's outcome under a program.
fn score_all<'p>(
    out: &Output,
    program: &'p Program,
    data: &Source,
    spec: &Path,
    status: &mut Status,
) -> Scored<'p> {
    let (entities, diags) = crate::data::from_json(program, &data.text, &data.name);
    let errors: Vec<Diagnostic> = diags.into_iter().filter(|d| d.is_error()).collect();
    out.diagnostics(&errors, None);
    if !errors.is_empty() {
        *status = (*status).max(Status::Invalid);
    }
    let outcomes = entities
        .iter()
        .map(|e| match eval::evaluate(program, e) {
            Ok(o) => Some(o),
            Err(err) => {
                let name = spec.display().to_string();
                out.diagnostics(&[err.to_diagnostic(&e.id).in_file(&name)], None);
                *status = (*status).max(Status::Invalid);
                None
            }
        })
        .collect();
    (entities, outcomes)
}
