//! The first reading of one entity's text, through serde's visitors: its
//! id, and every key an object gives twice, with its path. The keys of an
//! object are compared by their texts once the object is read (sorted,
//! equal ones side by side): no hashing.

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;

/// The first reading of one entity's text: its id, and every key an object
/// gives twice, by path. Keys are compared by text.
#[derive(Default)]
pub(super) struct Scan {
    pub(super) id: Option<String>,
    pub(super) twice: Vec<String>,
    /// The path down to the value being read.
    path: Vec<Step>,
    /// Per depth, the keys of the object open there (where each one's
    /// text lies in its names), reused from entity to entity.
    objects: Vec<Object>,
}

/// The keys of an object: where each one's text lies in the names.
type Object = (Vec<(usize, usize)>, String);

#[derive(Clone, Copy)]
enum Step {
    /// A key of the object at this depth: where its text lies in the
    /// object's names.
    Key(usize, usize),
    Index(usize),
}

impl Scan {
    pub(super) fn read(&mut self, text: &[u8]) -> serde_json::Result<()> {
        self.id = None;
        self.twice.clear();
        self.path.clear();
        let mut de = serde_json::Deserializer::from_slice(text);
        Level(self).deserialize(&mut de)?;
        de.end()
    }

    /// The path to key `name` of the object at the current depth, as
    /// messages write paths: `pm25`, `fires[2].date`.
    fn path_to(&self, name: &str) -> String {
        let mut s = String::new();
        for (depth, step) in self.path.iter().enumerate() {
            match *step {
                Step::Key(from, to) => {
                    if depth > 0 {
                        s.push('.');
                    }
                    let names = self.objects.get(depth).map(|o| o.1.as_str());
                    s.push_str(names.and_then(|n| n.get(from..to)).unwrap_or("?"));
                }
                Step::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        if !s.is_empty() {
            s.push('.');
        }
        s.push_str(name);
        s
    }
}

/// The key under which serde_json (arbitrary_precision) hands a number's
/// digits on.
const NUMBER: &str = "$serde_json::private::Number";

/// Up to how many keys an object's are compared each with those before
/// it; beyond, they are sorted by text.
const SMALL: usize = 12;

/// A value at the current depth of the scan.
struct Level<'s>(&'s mut Scan);

impl<'de> DeserializeSeed<'de> for Level<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

/// A key, its text kept in the object's names.
struct Key<'s>(&'s mut String);

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for Key<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.0.push_str(v);
        Ok(())
    }
}

impl<'de> Visitor<'de> for Level<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let scan = self.0;
        let mut i = 0;
        loop {
            scan.path.push(Step::Index(i));
            let more = seq.next_element_seed(Level(scan))?.is_some();
            scan.path.pop();
            if !more {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let scan = self.0;
        let depth = scan.path.len();
        if scan.objects.len() <= depth {
            scan.objects.resize_with(depth + 1, Default::default);
        }
        // This depth's key list, taken out while the values are read.
        let mut object = scan
            .objects
            .get_mut(depth)
            .map(std::mem::take)
            .unwrap_or_default();
        object.0.clear();
        object.1.clear();
        while entry(scan, &mut map, depth, &mut object)? {}
        scan.note_twice(depth, &mut object);
        if let Some(slot) = scan.objects.get_mut(depth) {
            *slot = object;
        }
        Ok(())
    }
}

/// The next key of the object at `depth` and its value read, the key noted
/// in `object`; `false` after the last.
fn entry<'de, A: MapAccess<'de>>(
    scan: &mut Scan,
    map: &mut A,
    depth: usize,
    object: &mut Object,
) -> Result<bool, A::Error> {
    let from = object.1.len();
    if map.next_key_seed(Key(&mut object.1))?.is_none() {
        return Ok(false);
    }
    let to = object.1.len();
    let name = object.1.get(from..to).unwrap_or_default();
    if name == NUMBER {
        // A number, as serde_json hands it on with its digits kept.
        map.next_value::<IgnoredAny>()?;
        return Ok(true);
    }
    if depth == 0 && name == "id" {
        let id: Json = map.next_value()?;
        scan.id = match id {
            Json::String(s) if !s.trim().is_empty() => Some(s),
            Json::Number(n) => Some(n.to_string()),
            _ => None,
        };
    } else {
        // Put back for the value's reading, whose path names it.
        if let Some(slot) = scan.objects.get_mut(depth) {
            std::mem::swap(slot, object);
        }
        scan.path.push(Step::Key(from, to));
        let read = map.next_value_seed(Level(scan));
        scan.path.pop();
        if let Some(slot) = scan.objects.get_mut(depth) {
            std::mem::swap(slot, object);
        }
        read?;
    }
    object.0.push((from, to));
    Ok(true)
}

impl Scan {
    /// The keys that `object`, at `depth`, gives twice, noted with their
    /// paths in the order they first appear: a few keys each compared with
    /// those before it, many sorted by text (and place), equal ones side by
    /// side.
    fn note_twice(&mut self, depth: usize, object: &mut Object) {
        if object.0.len() <= 1 {
            return;
        }
        let text = |k: Option<&(usize, usize)>| {
            k.and_then(|&(from, to)| object.1.get(from..to))
                .unwrap_or_default()
        };
        let keys = &object.0;
        // The first place of each key given twice.
        let mut firsts: Vec<usize> = Vec::new();
        if keys.len() <= SMALL {
            // A record's few keys: each against those before it.
            for (i, key) in keys.iter().enumerate() {
                let name = text(Some(key));
                let before = keys.get(..i).unwrap_or_default();
                let first = before.iter().position(|k| text(Some(k)) == name);
                if let Some(first) = first
                    && !firsts.contains(&first)
                {
                    firsts.push(first);
                }
            }
        } else {
            // Each key's bytes beside its place, sorted: equal keys side
            // by side, each run in the order of its places.
            let mut order: Vec<(&[u8], usize)> = (keys.iter().enumerate())
                .map(|(i, &(from, to))| (object.1.as_bytes().get(from..to).unwrap_or_default(), i))
                .collect();
            order.sort_unstable();
            let mut in_run = false;
            for pair in order.windows(2) {
                if let [(a, first), (b, _)] = *pair
                    && a == b
                {
                    if !in_run {
                        firsts.push(first);
                    }
                    in_run = true;
                } else {
                    in_run = false;
                }
            }
        }
        if firsts.is_empty() {
            return;
        }
        firsts.sort_unstable();
        let names: Vec<String> = (firsts.iter())
            .map(|&i| text(object.0.get(i)).to_string())
            .collect();
        if names.is_empty() {
            return;
        }
        // Put back, for `path_to` to read the path's keys.
        if let Some(slot) = self.objects.get_mut(depth) {
            std::mem::swap(slot, object);
        }
        let paths: Vec<String> = names.iter().map(|n| self.path_to(n)).collect();
        self.twice.extend(paths);
        if let Some(slot) = self.objects.get_mut(depth) {
            std::mem::swap(slot, object);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::Scan;

    #[test]
    fn keys_given_twice_are_found_with_their_paths() {
        let mut scan = Scan::default();
        let text = r#"{"id": "甲", "a": 1, "l": [{"x": 1}, {"x": 2, "y": {"z": 1, "z": 2}, "x": 3}], "a": 2.50, "id": 7}"#;
        scan.read(text.as_bytes()).unwrap();
        // Each object's keys in the order they first appear, inner
        // objects (told as they close) first.
        assert_eq!(scan.twice, ["l[1].y.z", "l[1].x", "id", "a"]);
        // The id read last, as serde_json's map keeps it.
        assert_eq!(scan.id.as_deref(), Some("7"));
        scan.read(br#"{"id": 12.0, "n": 1e400}"#).unwrap();
        assert!(scan.twice.is_empty());
        assert_eq!(scan.id.as_deref(), Some("12.0"));
        assert!(scan.read(br#"{"id": "x",}"#).is_err());
        // Many keys (sorted to be compared): still in the order they first
        // appear.
        let many: Vec<String> = (0..20)
            .map(|i| {
                format!(
                    "\"k{}\": {i}",
                    [9, 1, 5, 1, 9].get(i).copied().unwrap_or(i + 10)
                )
            })
            .collect();
        scan.read(format!("{{{}}}", many.join(", ")).as_bytes())
            .unwrap();
        assert_eq!(scan.twice, ["k9", "k1"]);
    }
}
