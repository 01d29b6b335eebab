//! `kaohe check`: check specs and report every problem found; a spec
//! without error is summed up in a line.

use super::{DiagFormat, Output, Status, io};
use crate::diagnostic::Text;
use crate::ir::{ItemKind, Program};
use crate::t;
use clap::Args as ClapArgs;
use std::path::{Path, PathBuf};

#[derive(ClapArgs)]
pub(crate) struct Args {
    #[arg(required = true)]
    specs: Vec<PathBuf>,
    /// text for people, json for tools (one diagnostic per line).
    #[arg(long, value_enum, default_value = "text")]
    format: DiagFormat,
}

pub(crate) fn run(out: &mut Output, args: Args) -> Status {
    out.format = args.format;
    (args.specs.iter())
        .map(|s| check(out, s))
        .max()
        .unwrap_or(Status::Ok)
}

fn check(out: &Output, path: &Path) -> Status {
    let (source, program) = match out.program(path) {
        Ok(found) => found,
        Err(status) => return status,
    };
    if out.format == DiagFormat::Text {
        let _ = io::print(&format!(
            "{}{}\n",
            source.name,
            summary(&program).get(out.lang())
        ));
    }
    Status::Ok
}

/// ": ok, 71 items (65 base, 3 deduction, 12 bonus, 1 deduction and bonus,
/// 1 veto), base total 200, bonus ceiling 10", to follow the spec's name.
fn summary(p: &Program) -> Text {
    let plural = if p.items.len() == 1 {
        t!("", "")
    } else {
        t!("s", "")
    };
    let s = t!(
        ": ok, {} item{} ({}), base total {}",
        "：检查通过，共{}个考核事项{}（{}），基础分合计 {}",
        p.items.len(),
        plural,
        Text::join(&kinds(p), ", ", "、"),
        p.base_total.normalize()
    );
    let caps = caps(p);
    if caps.is_empty() {
        return s;
    }
    let caps = Text::list(&caps);
    t!("{}, bonus ceiling {}", "{}，加分上限 {}", s, caps)
}

/// How many items of each kind, for the kinds the spec has: "65 base".
fn kinds(p: &Program) -> Vec<Text> {
    let count = |f: fn(&ItemKind) -> bool| p.items.iter().filter(|i| f(&i.kind)).count();
    let kinds = [
        (
            count(|k| matches!(k, ItemKind::Base(_))),
            t!("base", "基础项"),
        ),
        (
            count(|k| *k == ItemKind::Deduction),
            t!("deduction", "扣分项"),
        ),
        (count(|k| *k == ItemKind::Bonus), t!("bonus", "加分项")),
        (
            count(|k| *k == ItemKind::Mixed),
            t!("deduction and bonus", "扣分加分项"),
        ),
        (count(|k| *k == ItemKind::Veto), t!("veto", "否决项")),
    ];
    (kinds.iter())
        .filter(|(n, _)| *n > 0)
        .map(|(n, w)| t!("{n} {}", "{}{n}个", w))
        .collect()
}

/// The bonus ceilings of the table, its sections and its indicators.
fn caps(p: &Program) -> Vec<String> {
    (p.header.bonus_cap.iter())
        .chain(
            (1..=4)
                .flat_map(|l| p.headings.iter().filter(move |h| h.level == l))
                .filter_map(|s| s.bonus_cap.as_ref()),
        )
        .map(|c| c.normalize().to_string())
        .collect()
}
