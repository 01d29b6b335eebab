//! An assessed unit given in two data files of one run: `kaohe eval SPEC
//! a.xlsx b.xlsx`, or several files uploaded at once to the workbench —
//! the same file twice, or last month's file beside its correction. Each
//! file tells an id given twice within itself (K0510); across files
//! nothing did, and the unit was scored twice, ranked beside itself and
//! summed twice into the roll-up. The later one is now refused, as a
//! second row of one file is.
//!
//! The ids of the earlier files are kept as 128-bit digests, as a file
//! keeps its own (`table/seen`): two different ids are taken for one with
//! a chance of about n²/2¹²⁹, below 10⁻²⁶ for a million; 16 bytes a unit,
//! and nothing at all for a run of one file, or for the last file of any.

use super::Entity;
use super::table::Step;
use crate::diagnostic::{Code, Diagnostic};
use crate::t;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

/// The ids of a run's files read so far.
pub struct Across {
    keys: (RandomState, RandomState),
    /// Each earlier file's name and its ids' digests, sorted.
    earlier: Vec<(String, Vec<u128>)>,
    /// The file being read: its name and its ids' digests so far, kept
    /// only when a file comes after it.
    this: (String, Vec<u128>),
    /// Files still to come after the one being read.
    left: usize,
}

impl Across {
    /// A run over `files` data files.
    pub fn new(files: usize) -> Across {
        Across {
            keys: (RandomState::new(), RandomState::new()),
            earlier: Vec::new(),
            this: (String::new(), Vec::new()),
            left: files,
        }
    }

    fn digest(&self, id: &str) -> u128 {
        (u128::from(self.keys.0.hash_one(id)) << 64) | u128::from(self.keys.1.hash_one(id))
    }

    /// The entities of the next file, `file` as its diagnostics name it,
    /// each whose id an earlier file gave turned into K0510.
    pub fn file<'a, I>(&'a mut self, file: &str, entities: I) -> impl Iterator<Item = I::Item> + 'a
    where
        I: Iterator<Item = Result<Entity, Diagnostic>> + 'a,
    {
        self.next_file(file);
        entities.map(move |read| match read {
            Ok(entity) => match self.given_before(&entity.id) {
                Some(d) => Err(d),
                None => Ok(entity),
            },
            problem => problem,
        })
    }

    /// [`Across::file`] for a table's steps read on this thread and read
    /// into entities on the pool (`data::open_halved`): a unit whose id an
    /// earlier file gave is read, its problems told, and left out with
    /// K0510, as a second row of one file is.
    pub fn steps<'a, I>(&'a mut self, file: &str, steps: I) -> impl Iterator<Item = Step> + 'a
    where
        I: Iterator<Item = Step> + 'a,
    {
        self.next_file(file);
        steps.map(move |mut step| {
            if let Step::Unit(unit) = &mut step
                && let Some(d) = self.given_before(unit.id())
            {
                unit.given_before(d);
            }
            step
        })
    }

    /// [`Across::file`] for a JSON file whose entities are read on the
    /// pool (`data::open_halved`): `file` begun, each entity kept in it
    /// then given to [`Across::kept`] in the file's order.
    pub fn begin(&mut self, file: &str) {
        self.next_file(file);
    }

    /// K0510 when an earlier file gave `id` (the entity is left out); else
    /// `id` is noted, if a file comes after this one.
    pub fn kept(&mut self, id: &str) -> Option<Diagnostic> {
        self.given_before(id)
    }

    /// The file read before is done: its digests sorted, to be searched.
    fn next_file(&mut self, file: &str) {
        let (name, mut ids) = std::mem::take(&mut self.this);
        if !ids.is_empty() {
            ids.sort_unstable();
            ids.dedup();
            self.earlier.push((name, ids));
        }
        self.left = self.left.saturating_sub(1);
        self.this.0 = file.to_string();
    }

    /// K0510 when an earlier file gave `id`; else `id` is noted, if a file
    /// comes after this one.
    fn given_before(&mut self, id: &str) -> Option<Diagnostic> {
        if self.earlier.is_empty() && self.left == 0 {
            return None;
        }
        let digest = self.digest(id);
        let earlier = (self.earlier.iter()).find(|(_, ids)| ids.binary_search(&digest).is_ok());
        if let Some((before, _)) = earlier {
            return Some(twice(&self.this.0, before, id));
        }
        if self.left > 0 {
            self.this.1.push(digest);
        }
        None
    }
}

/// K0510: `id`, read in `file`, was given in the earlier file `before`.
fn twice(file: &str, before: &str, id: &str) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateEntity,
        t!(
            "{file}: the id \"{id}\" was given before, in {before}: a unit is scored once, so this one is left out",
            "{file}：id “{id}”已在 {before} 中出现过：每个被考核单位只计分一次，这里的不再计分"
        ),
    )
    .with_help(t!(
        "give each assessed unit in one file only: remove it from one of the two (was a file given twice, or an old one beside its correction?), or give the two units their own ids",
        "每个被考核单位只在一个文件中填报：请从两个文件之一中删去它（是否把同一文件选了两次，或把旧文件和更正后的文件一起选了？），或给两个单位各自的 id"
    ))
    .in_file(file)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::Across;
    use crate::data::Entity;
    use crate::diagnostic::Code;

    fn units(ids: &[&str]) -> Vec<Result<Entity, crate::diagnostic::Diagnostic>> {
        (ids.iter())
            .map(|id| {
                Ok(Entity {
                    id: id.to_string(),
                    values: Vec::new(),
                })
            })
            .collect()
    }

    /// What a run of files comes to: each unit kept, or the file its id
    /// was given in before.
    fn run(files: &[(&str, &[&str])]) -> Vec<String> {
        let mut across = Across::new(files.len());
        let mut out = Vec::new();
        for (name, ids) in files {
            for read in across.file(name, units(ids).into_iter()) {
                out.push(match read {
                    Ok(e) => format!("{name}:{}", e.id),
                    Err(d) => {
                        assert_eq!(d.code, Code::DuplicateEntity);
                        format!("{name}:refused {}", d.message.en)
                    }
                });
            }
        }
        out
    }

    #[test]
    fn a_unit_of_an_earlier_file_is_refused_in_a_later_one() {
        let out = run(&[
            ("a.csv", &["甲", "乙"]),
            ("b.csv", &["丙", "甲"]),
            ("c.csv", &["丙"]),
        ]);
        assert_eq!(out[..3], ["a.csv:甲", "a.csv:乙", "b.csv:丙"]);
        assert!(
            out[3].starts_with("b.csv:refused b.csv: the id \"甲\" was given before, in a.csv")
        );
        assert!(
            out[4].contains("the id \"丙\" was given before, in b.csv"),
            "{}",
            out[4]
        );
    }

    #[test]
    fn a_file_given_twice_has_every_unit_refused_the_second_time() {
        let out = run(&[("a.xlsx", &["甲", "乙"]), ("a.xlsx", &["甲", "乙"])]);
        assert_eq!(out.iter().filter(|o| o.contains("refused")).count(), 2);
    }

    #[test]
    fn one_file_keeps_nothing_and_leaves_its_own_repeats_to_its_reader() {
        let mut across = Across::new(1);
        let read: Vec<_> = across
            .file("a.csv", units(&["甲", "甲"]).into_iter())
            .collect();
        assert!(read.iter().all(Result::is_ok));
        assert!(across.this.1.is_empty() && across.earlier.is_empty());
    }

    #[test]
    fn the_last_file_is_checked_but_not_kept() {
        let mut across = Across::new(2);
        across
            .file("a.csv", units(&["甲"]).into_iter())
            .for_each(drop);
        let read: Vec<_> = across
            .file("b.csv", units(&["乙", "甲"]).into_iter())
            .collect();
        assert!(read[0].is_ok() && read[1].is_err());
        assert!(across.this.1.is_empty());
    }
}
