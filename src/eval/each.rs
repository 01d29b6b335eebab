//! `each` over a list input: the records that count, `once per KEY at
//! highest`, caps per group.

use super::arith::add;
use super::fault::{Fault, Result, fault};
use super::records::{
    Constants, FEW, Filter, FixedSum, Groups, Key, Operand, Pair, Pick, Quarters, Tally,
};
use super::score::Scorer;
use crate::diagnostic::Code;
use crate::exact;
use crate::ir::{Each, Expr, Record, Value};
use crate::t;
use rust_decimal::Decimal;
use std::borrow::Cow;

/// A record that counts in an `each`: its once-per key, its group key and its value.
type Row<'x> = (Option<Cow<'x, Value>>, Option<Cow<'x, Value>>, Decimal);

impl<'p, 'e, const EXPLAIN: bool, const FAST: bool> Scorer<'p, 'e, EXPLAIN, FAST> {
    /// Out of line: `each` is rare, and inlined it would widen every
    /// clause's stack frame.
    #[inline(never)]
    pub(super) fn each(&mut self, e: &'p Each) -> Result<Decimal> {
        if FAST && e.once_per.is_none() && e.group_caps.is_empty() {
            return self.each_sum(e);
        }
        let records = self.list(e.list)?;
        if FAST
            && e.once_per.is_none()
            && let Some((cap, key)) = e.group_caps.first()
            && let Some(sum) = self.groups_read(e, records, *cap, key)
        {
            return Ok(sum);
        }
        let read = if FAST {
            self.rows_read(e, records)
        } else {
            None
        };
        let mut rows = match read {
            Some(rows) => rows,
            None => self.rows(e, records)?,
        };
        if e.once_per.is_some() {
            rows = highest_per_key(rows);
        }
        match e.group_caps.first() {
            None => rows.iter().try_fold(Decimal::ZERO, |s, r| add(s, r.2)),
            Some((cap, _)) => capped_groups(rows, *cap),
        }
    }

    /// (once-per key, group key, value) of every record that counts, the
    /// general way: room for all of them at once, not grown by doubling (a
    /// long list would otherwise be copied about ten times).
    fn rows<'x>(&mut self, e: &'p Each, records: &'e [Record]) -> Result<Vec<Row<'x>>>
    where
        'p: 'x,
        'e: 'x,
    {
        let mut rows: Vec<Row> = Vec::with_capacity(records.len());
        for (i, r) in records.iter().enumerate() {
            self.locals.push(r);
            let row = self.each_row(e);
            self.locals.pop();
            if let Some(row) = row.map_err(|f| self.in_record(f, e.list, i))? {
                rows.push(row);
            }
        }
        Ok(rows)
    }

    /// [`Self::rows`] with every record's filter, keys and value read in
    /// place: `None` where the general way must decide.
    #[inline(always)]
    fn rows_read<'x>(&self, e: &'p Each, records: &'e [Record]) -> Option<Vec<Row<'x>>>
    where
        'p: 'x,
        'e: 'x,
    {
        let at = self.locals.len();
        let (filter, value) = (Filter::of(e.filter.as_ref(), at), Pick::of(&e.value, at));
        let once = e.once_per.as_ref().map(|k| Key::of(k, at));
        let group = e.group_caps.first().map(|(_, k)| Key::of(k, at));
        let mut rows: Vec<Row> = Vec::with_capacity(records.len());
        for r in records {
            if !filter.test(self, r, at)? {
                continue;
            }
            let key = match once {
                Some(k) => Some(self.key_read(k, r, at)?),
                None => None,
            };
            let group = match group {
                Some(k) => Some(self.key_read(k, r, at)?),
                None => None,
            };
            rows.push((key, group, value.read(self, r, at)?));
        }
        Some(rows)
    }

    /// An `each` with a cap per group and no once-per key (`each r where
    /// …: 0.25, at most 0.5 per quarter(r.month)`) read in place: each
    /// group's sum kept as one integer as the records come ([`Groups`]),
    /// with no list of rows and no `Decimal` addition a record. `None`
    /// where the general way must decide, and for a list of more than
    /// [`FEW`] groups (the rows then go to [`capped_groups`], which makes a
    /// hash index of them). Records worth one constant above zero and
    /// grouped by `quarter(r.month)` (the water readings) are only
    /// counted per quarter ([`Quarters`]), their filter compiled once
    /// where it is a pair of comparisons of two fields ([`Pair`]). Out of line, so that the other lists' ways
    /// stay inlined in [`Self::each`] as they were (inlined here, it moved
    /// them out of line, some 800 instructions a dense unit).
    #[inline(never)]
    fn groups_read(
        &self,
        e: &Each,
        records: &[Record],
        cap: Decimal,
        key: &Expr,
    ) -> Option<Decimal> {
        let at = self.locals.len();
        let (filter, value) = (Filter::of(e.filter.as_ref(), at), Pick::of(&e.value, at));
        let key = Key::of(key, at);
        if let (Pick::Const(c), Key::Quarter(month, _)) = (&value, key)
            && c.is_sign_positive()
            && !c.is_zero()
        {
            // Counted per quarter, the filter compiled once where it is
            // a pair of comparisons of two fields.
            let read = match Pair::of(e.filter.as_ref(), at) {
                Some(pair) => Quarters::read(records, month, |r| match pair.test(r) {
                    Some(t) => Some(t),
                    None => filter.test(self, r, at),
                }),
                None => Quarters::read(records, month, |r| filter.test(self, r, at)),
            };
            if let Some(total) = read.and_then(|q| q.total(*c, cap)) {
                return Some(total);
            }
        }
        let mut groups = Groups::default();
        for r in records {
            if filter.test(self, r, at)? {
                // The key before the value, as the general way reads them.
                let g = key.read(self, r, at)?;
                groups.push(g, value.read(self, r, at)?)?;
            }
        }
        groups.total(cap)
    }

    /// A key of record `r` as [`Self::key`] gives it: a value where it lies
    /// borrowed, a number computed owned.
    #[inline(always)]
    fn key_read<'x>(&self, k: Key<'p>, r: &'e Record, at: usize) -> Option<Cow<'x, Value>>
    where
        'p: 'x,
        'e: 'x,
    {
        Some(match k.read(self, r, at)? {
            Operand::Value(v) => Cow::Borrowed(v),
            Operand::Num(n) => Cow::Owned(Value::Num(n)),
        })
    }

    /// An `each` without keys: the sum of the values of the records that
    /// count, with no list of rows. Every record is read before an overflow
    /// of the sum is reported, as when the rows are listed first.
    #[inline(always)]
    pub(super) fn each_sum(&mut self, e: &'p Each) -> Result<Decimal> {
        let records = self.list(e.list)?;
        if FAST && let Some(sum) = self.each_sum_read(e, records) {
            return Ok(sum);
        }
        let mut sum = Ok(Decimal::ZERO);
        for (i, r) in records.iter().enumerate() {
            self.locals.push(r);
            let value = self.each_value(e);
            self.locals.pop();
            let value = value.map_err(|f| self.in_record(f, e.list, i))?;
            if let (Some(v), Ok(s)) = (value, &sum) {
                sum = add(*s, v);
            }
        }
        sum
    }

    /// [`Self::each_sum`] with every record's filter and value read in
    /// place (`records`): `None` where the general way must decide. Values
    /// that are constants above zero (`each p: if p.notified then 3 else
    /// 1`, `each r where …: 0.1`) are counted, not added a record
    /// ([`Constants`]).
    fn each_sum_read(&self, e: &Each, records: &[Record]) -> Option<Decimal> {
        let at = self.locals.len();
        let (filter, value) = (Filter::of(e.filter.as_ref(), at), Pick::of(&e.value, at));
        if let Some(constants) = Constants::of(&value) {
            // The table's two forms in a loop of their own.
            let tally = Tally::of(&filter, &constants).and_then(|t| t.count(records));
            if let Some((yes, no)) = tally {
                return constants.total(yes, no);
            }
            let (mut yes, mut no) = (0u64, 0u64);
            for r in records {
                if filter.test(self, r, at)? {
                    if constants.first(r)? {
                        yes += 1;
                    } else {
                        no += 1;
                    }
                }
            }
            return constants.total(yes, no);
        }
        let mut sum = FixedSum::default();
        for r in records {
            if filter.test(self, r, at)? {
                sum.push(value.read(self, r, at)?)?;
            }
        }
        sum.finish()
    }

    /// The value of the record bound last, when it counts.
    pub(super) fn each_value(&mut self, e: &'p Each) -> Result<Option<Decimal>> {
        if let Some(f) = &e.filter
            && !self.truth(f)?
        {
            return Ok(None);
        }
        self.num(&e.value).map(Some)
    }

    pub(super) fn each_row<'x>(&mut self, e: &'p Each) -> Result<Option<Row<'x>>>
    where
        'p: 'x,
        'e: 'x,
    {
        if let Some(f) = &e.filter
            && !self.truth(f)?
        {
            return Ok(None);
        }
        // Keys before the value, for which fault comes first.
        let key = e.once_per.as_ref().map(|k| self.key(k)).transpose()?;
        let group = (e.group_caps.first())
            .map(|(_, k)| self.key(k))
            .transpose()?;
        Ok(Some((key, group, self.num(&e.value)?)))
    }

    /// A once-per or group key: a constant, input or field borrowed where
    /// it lies (a text key is then neither counted nor copied), anything
    /// else computed.
    pub(super) fn key<'x>(&mut self, k: &'p Expr) -> Result<Cow<'x, Value>>
    where
        'p: 'x,
        'e: 'x,
    {
        match self.plain(k).filter(|_| FAST) {
            Some(v) => Ok(Cow::Borrowed(v)),
            None => self.eval(k).map(Cow::Owned),
        }
    }

    /// `count(x in list where filter)`.
    pub(super) fn count(&mut self, list: usize, filter: Option<&Expr>) -> Result<Decimal> {
        let records = self.list(list)?;
        if FAST {
            let at = self.locals.len();
            let test = Filter::of(filter, at);
            let read = (records.iter())
                .try_fold(0u64, |n, r| Some(n + u64::from(test.test(self, r, at)?)));
            if let Some(n) = read {
                return Ok(Decimal::from(n));
            }
        }
        let mut n = 0u64;
        for (i, r) in records.iter().enumerate() {
            self.locals.push(r);
            let keep = filter.map_or(Ok(true), |f| self.truth(f));
            self.locals.pop();
            n += u64::from(keep.map_err(|f| self.in_record(f, list, i))?);
        }
        Ok(Decimal::from(n))
    }

    /// `sum(x in list where filter: value)`.
    pub(super) fn sum(
        &mut self,
        list: usize,
        filter: Option<&Expr>,
        value: &Expr,
    ) -> Result<Decimal> {
        let records = self.list(list)?;
        let mut total = Decimal::ZERO;
        for (i, r) in records.iter().enumerate() {
            self.locals.push(r);
            let v = self.summand(filter, value);
            self.locals.pop();
            total = add(total, v.map_err(|f| self.in_record(f, list, i))?)?;
        }
        Ok(total)
    }

    pub(super) fn summand(&mut self, filter: Option<&Expr>, value: &Expr) -> Result<Decimal> {
        if let Some(f) = filter
            && !self.truth(f)?
        {
            return Ok(Decimal::ZERO);
        }
        self.num(value)
    }

    /// A fault of record `index` of the list at `slot`, naming the record.
    #[cold]
    fn in_record(&self, f: Box<Fault>, slot: usize, index: usize) -> Box<Fault> {
        super::fault::in_record(f, self.input_name(slot), index)
    }

    pub(super) fn list(&self, slot: usize) -> Result<&'e [Record]> {
        match self.values.get(slot) {
            Some(Value::List(l)) => Ok(l),
            _ => fault(
                Code::MissingOptional,
                t!(
                    "the list input `{}` has no value",
                    "列表型数据项“{}”没有取值",
                    self.input_name(slot)
                ),
            ),
        }
    }
}

/// For each once-per key, the first of its rows with the highest value,
/// in the order the keys first come (`once per p.project at highest`).
fn highest_per_key(mut rows: Vec<Row<'_>>) -> Vec<Row<'_>> {
    // In place: the first `kept` rows are the best so far of their keys,
    // in the order the keys first came.
    let (mut kept, room) = (0, rows.len());
    let mut index: Option<KeyIndex> = None;
    for i in 0..rows.len() {
        let (done, rest) = rows.split_at_mut(i);
        let (Some(row), Some(done)) = (rest.first_mut(), done.get_mut(..kept)) else {
            break;
        };
        let (found, free) = match &index {
            Some(index) => index.place(&row.0, |k| done.get(k).map(|r| &r.0)),
            None => (done.iter().position(|r| same(&r.0, &row.0)), None),
        };
        match found.and_then(|k| done.get_mut(k)) {
            Some(best) if exact::cmp(row.2, best.2).is_gt() => std::mem::swap(best, row),
            Some(_) => {}
            None => {
                if index.is_none() && kept >= FEW {
                    index = Some(KeyIndex::of(done.iter().map(|r| &r.0), room));
                }
                if let Some(index) = &mut index {
                    index.put(&row.0, free, kept);
                }
                rows.swap(kept, i);
                kept += 1;
            }
        }
    }
    rows.truncate(kept);
    rows
}

/// Whether two keys are equal, as `==` tells: two numbers compared by
/// `exact::cmp` (equal at any scale, as `Decimal`'s `==` has them, without
/// its general comparison), anything else by `==`.
#[inline(always)]
fn same(a: &Option<Cow<Value>>, b: &Option<Cow<Value>>) -> bool {
    match (a.as_deref(), b.as_deref()) {
        (Some(Value::Num(x)), Some(Value::Num(y))) => exact::cmp(*x, *y).is_eq(),
        _ => a == b,
    }
}

/// The sum of each group's values, each held within `cap`, the groups in
/// the order their keys first come.
fn capped_groups(rows: Vec<Row<'_>>, cap: Decimal) -> Result<Decimal> {
    let mut groups: Vec<(Option<Cow<Value>>, Decimal)> = Vec::new();
    let mut index: Option<KeyIndex> = None;
    let room = rows.len();
    for (_, g, v) in rows {
        let (found, free) = match &index {
            Some(index) => index.place(&g, |k| groups.get(k).map(|r| &r.0)),
            None => (groups.iter().position(|(k, _)| same(k, &g)), None),
        };
        match found.and_then(|k| groups.get_mut(k)) {
            Some(slot) => slot.1 = add(slot.1, v)?,
            None => {
                if index.is_none() && groups.len() >= FEW {
                    index = Some(KeyIndex::of(groups.iter().map(|r| &r.0), room));
                }
                if let Some(index) = &mut index {
                    index.put(&g, free, groups.len());
                }
                groups.push((g, v));
            }
        }
    }
    groups
        .iter()
        .try_fold(Decimal::ZERO, |s, (_, v)| add(s, exact::min(*v, cap)))
}

/// Where the keys met so far are, by a hash of each that agrees with
/// `Value`'s equality (numbers equal at any scale hash alike); keys of one
/// hash are compared with `==`, so the hash only narrows. Hashed with
/// foldhash (randomly seeded, as std's SipHash is, so that no fixed set of
/// keys collides on every run), the hasher serde_json's maps already use
/// in this build: SipHash was most of the index's cost.
///
/// Its own table, open-addressed and probed slot by slot: each key is
/// hashed once, where it is looked for, and a new key takes the free slot
/// that look ended at (a `HashMap` of hashes and chains hashed every new
/// key twice, and its insertion cost more than the look).
struct KeyIndex {
    state: foldhash::fast::RandomState,
    /// Per slot, the hash of its key and its position plus one; 0 for a
    /// free slot. At least twice as many slots as keys can come, so that a
    /// look always ends at a free slot.
    slots: Vec<(u64, usize)>,
    mask: usize,
}

/// The free slot a key looked for and not found would take, and its hash.
type Free = Option<(usize, u64)>;

impl KeyIndex {
    /// The index of `keys`, at positions 0, 1, … in order, with room for
    /// `room` keys (the rows of the list: no more keys can come), so that
    /// it is allocated once, zeroed, and never grown.
    fn of<'k, 'x: 'k>(
        keys: impl Iterator<Item = &'k Option<Cow<'x, Value>>>,
        room: usize,
    ) -> KeyIndex {
        let n = (2 * room).next_power_of_two().max(16);
        let mut index = KeyIndex {
            state: Default::default(),
            slots: vec![(0, 0); n],
            mask: n - 1,
        };
        for (position, key) in keys.enumerate() {
            index.put(key, None, position);
        }
        index
    }

    pub(super) fn hash(&self, key: &Option<Cow<Value>>) -> u64 {
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut h = self.state.build_hasher();
        match key.as_deref() {
            None => 0u8.hash(&mut h),
            Some(Value::Bool(b)) => (1u8, b).hash(&mut h),
            // rust_decimal hashes 1 and 1.0 alike, as they are equal.
            Some(Value::Num(d)) => (2u8, d).hash(&mut h),
            Some(Value::Date(d)) => (3u8, d).hash(&mut h),
            Some(Value::Text(t)) => (4u8, &**t).hash(&mut h),
            Some(Value::Enum(e)) => (5u8, e).hash(&mut h),
            // Not a key the checker lets through: equality decides.
            Some(Value::List(_)) => 6u8.hash(&mut h),
            Some(Value::Missing) => 7u8.hash(&mut h),
            Some(Value::Absent(a)) => (8u8, a).hash(&mut h),
        }
        h.finish()
    }

    /// The position of a key equal to `key` (`at` giving the key at a
    /// position), or none and the free slot where the look ended.
    pub(super) fn place<'k, 'x: 'k>(
        &self,
        key: &Option<Cow<'x, Value>>,
        at: impl Fn(usize) -> Option<&'k Option<Cow<'x, Value>>>,
    ) -> (Option<usize>, Free) {
        let hash = self.hash(key);
        let mut slot = hash as usize & self.mask;
        // Ends: fewer keys than slots are ever put, so a slot is free.
        loop {
            match self.slots.get(slot) {
                Some(&(h, p)) if p != 0 => {
                    if h == hash && at(p - 1).is_some_and(|other| other == key) {
                        return (Some(p - 1), None);
                    }
                }
                _ => return (None, Some((slot, hash))),
            }
            slot = (slot + 1) & self.mask;
        }
    }

    /// `key`, not yet in the index, is now at `position`: in the free
    /// slot its look ended at, or, without one, the slot a look finds.
    pub(super) fn put(&mut self, key: &Option<Cow<Value>>, free: Free, position: usize) {
        let Some((slot, hash)) = free.or_else(|| self.place(key, |_| None).1) else {
            return;
        };
        if let Some(s) = self.slots.get_mut(slot) {
            *s = (hash, position + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// The obvious way to keep the highest row of each key: a second list of
    /// the best row of each key, searched one by one.
    fn by_list(rows: Vec<Row<'_>>) -> Vec<Row<'_>> {
        let mut out: Vec<Row> = Vec::new();
        for row in rows {
            match out.iter_mut().find(|r| r.0 == row.0) {
                Some(best) if exact::cmp(row.2, best.2).is_gt() => *best = row,
                Some(_) => {}
                None => out.push(row),
            }
        }
        out
    }

    #[test]
    fn keys_are_the_same_as_equal_values_are() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        let keys: Vec<Option<Value>> = (["0", "-0", "0.00", "1", "1.0", "1.00", "-1", "2", "0.5"]
            .iter()
            .map(|t| Some(Value::Num(d(t)))))
        .chain([
            None,
            Some(Value::Enum(1)),
            Some(Value::Text("1".into())),
            Some(Value::Bool(true)),
            Some(Value::Date(1)),
        ])
        .collect();
        for a in &keys {
            for b in &keys {
                let (x, y) = (a.clone().map(Cow::Owned), b.clone().map(Cow::Owned));
                assert_eq!(same(&x, &y), x == y, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn the_highest_row_per_key_is_kept_in_place_as_a_second_list_would_keep_it() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        let values = ["1", "3", "3.0", "0.5"];
        // Every sequence of up to five rows over three keys, one of them
        // no key at all, with values that tie and differ.
        let keys = [None, Some(Value::Enum(0)), Some(Value::Text("甲".into()))];
        let mut cases = vec![Vec::new()];
        for _ in 0..5 {
            let longer: Vec<Vec<Row>> = (cases.iter().rev().take(200))
                .flat_map(|c| {
                    let pairs = keys.iter().flat_map(|k| values.iter().map(move |v| (k, v)));
                    pairs.map(move |(k, v)| {
                        let mut c = c.clone();
                        let group = Some(Value::Num(d(v)));
                        c.push((k.clone().map(Cow::Owned), group.map(Cow::Owned), d(v)));
                        c
                    })
                })
                .collect();
            cases.extend(longer);
        }
        for rows in cases {
            let (ours, theirs) = (highest_per_key(rows.clone()), by_list(rows.clone()));
            assert_eq!(ours, theirs, "{rows:?}");
            // The same scales too: the very rows are kept.
            let scales = |r: &[Row]| r.iter().map(|r| r.2.scale()).collect::<Vec<_>>();
            assert_eq!(scales(&ours), scales(&theirs), "{rows:?}");
        }
    }

    #[test]
    fn long_lists_keep_and_group_the_rows_the_one_by_one_way_does() {
        // The one-by-one ways, as they were before the hash index (by_list
        // and this).
        fn groups(rows: Vec<Row<'_>>, cap: Decimal) -> Decimal {
            let mut groups: Vec<(Option<Cow<Value>>, Decimal)> = Vec::new();
            for (_, g, v) in rows {
                match groups.iter_mut().find(|(k, _)| *k == g) {
                    Some(slot) => slot.1 += v,
                    None => groups.push((g, v)),
                }
            }
            groups.iter().map(|(_, v)| (*v).min(cap)).sum()
        }
        let d = |s: &str| Decimal::from_str(s).unwrap();
        // Keys that are equal written differently (1, 1.0, 1.00), texts,
        // enums, dates, booleans and none.
        let key = |n: u64| -> Option<Value> {
            match n % 9 {
                0 => None,
                1 => Some(Value::Num(d(
                    ["1", "1.0", "1.00", "2"][(n / 9 % 4) as usize]
                ))),
                2 | 3 => Some(Value::Text(format!("项目{}", n / 9 % 40).into())),
                4 => Some(Value::Enum((n / 9 % 5) as u32)),
                5 => Some(Value::Date((n / 9 % 30) as i32)),
                6 => Some(Value::Bool(n.is_multiple_of(2))),
                _ => Some(Value::Num(Decimal::from(n / 9 % 100))),
            }
        };
        let values = ["1", "3", "3.0", "0.5", "2.50", "0"];
        let mut decided = 0;
        // Keys out of 400, and out of a few: long lists of up to 8
        // distinct keys, which make no index, and of a few more, which
        // make it of the keys met when the ninth comes.
        for seed in 0..80u64 {
            let mut rng = crate::synth::Rng::new(seed);
            let n = [0, 1, 33, 100, 700][(seed % 5) as usize] + rng.below(50) as usize;
            let spread = [400, 4, 8, 9, 10, 12, 20, 400][(seed / 5 % 8) as usize];
            let rows: Vec<Row> = (0..n)
                .map(|_| {
                    let (k, g) = (key(rng.below(spread)), key(rng.below(spread)));
                    let v = d(values[rng.below(values.len() as u64) as usize]);
                    (k.map(Cow::Owned), g.map(Cow::Owned), v)
                })
                .collect();
            let (ours, theirs) = (highest_per_key(rows.clone()), by_list(rows.clone()));
            assert_eq!(ours, theirs, "seed {seed}");
            let scales = |r: &[Row]| {
                r.iter()
                    .map(|r| (r.2.scale(), format!("{:?}", r.0)))
                    .collect::<Vec<_>>()
            };
            assert_eq!(scales(&ours), scales(&theirs), "seed {seed}");
            let cap = d("2.5");
            let sum = capped_groups(rows.clone(), cap).unwrap();
            // The groups summed as the rows come, where they decide: the
            // very decimal, scale included.
            let mut summed = Groups::default();
            let read = (rows.iter())
                .try_for_each(|(_, g, v)| {
                    let key = g
                        .as_deref()
                        .map_or(Operand::Value(&Value::Missing), Operand::Value);
                    summed.push(key, *v)
                })
                .and_then(|()| summed.total(cap));
            if let Some(read) = read {
                decided += 1;
                assert_eq!(read.serialize(), sum.serialize(), "seed {seed}");
            }
            assert_eq!(sum, groups(rows, cap), "seed {seed}");
        }
        // The lists of up to 8 keys (a fifth of the seeds).
        assert!(decided >= 15, "{decided}");
    }
}
