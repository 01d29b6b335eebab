//! The ranking of `--rank` at the end of the table and JSON reports, from
//! what was kept of each entity (id, total, result: [`Kept`]), written one
//! line or entry at a time.

use super::fmt2;
use super::rollup::{Kept, ranked};
use crate::escape;
use crate::ir::{Lang, Program};
use std::io::{self, Write};

/// The ranking in the table report, one line at a time.
pub fn table(w: &mut (impl Write + ?Sized), program: &Program, kept: &Kept) -> io::Result<()> {
    let zh = program.header.lang == Lang::Zh;
    w.write_all(if zh { "排名\n" } else { "ranking\n" }.as_bytes())?;
    // Ranked by position, so that entities of one id in two files stay apart.
    for (i, r) in ranked(kept, |a, b| a.cmp(&b)) {
        let Some((id, t, result)) = kept.get(i) else {
            continue;
        };
        let (id, result) = (escape::terminal(id), escape::terminal(result));
        writeln!(w, "  {r:>4}  {id}  {}  {result}", fmt2(t))?;
    }
    Ok(())
}

/// The ranking in the JSON report, by total then id, written one entry at
/// a time as `{:#}` writes the whole array.
pub fn json(w: &mut (impl Write + ?Sized), kept: &Kept) -> io::Result<()> {
    let id = |i: usize| kept.get(i).map(|k| k.0);
    let ranked = ranked(kept, |a, b| id(a).cmp(&id(b)));
    if ranked.is_empty() {
        return w.write_all(b"[]");
    }
    w.write_all(b"[")?;
    for (n, (i, r)) in ranked.into_iter().enumerate() {
        let Some((id, t, _)) = kept.get(i) else {
            continue;
        };
        let entry = serde_json::json!({"id": id, "total": fmt2(t), "rank": r});
        w.write_all(if n == 0 { b"\n" } else { b",\n" })?;
        for (k, line) in format!("{entry:#}").lines().enumerate() {
            if k > 0 {
                w.write_all(b"\n")?;
            }
            write!(w, "  {line}")?;
        }
    }
    w.write_all(b"\n]")
}
