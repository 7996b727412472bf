//! A map with string keys kept as one sorted list: the model's type for maps that are small and
//! held for a whole run (an HTTP match's headers and query parameters). A `BTreeMap` allocates a
//! node with room for eleven entries for its first one (over a kilobyte for a map of
//! `StringMatch`es); this holds what was written, in key order, and reads like a `BTreeMap`:
//! iteration in key order, a later duplicate key replacing the earlier one.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::schema::{IsEmpty, Schema, Ty};

/// See the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Map<V>(Vec<(String, V)>);

impl<V> Default for Map<V> {
    fn default() -> Self {
        Map(Vec::new())
    }
}

impl<V> Map<V> {
    pub fn new() -> Self {
        Map::default()
    }
    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }
    pub fn get(&self, key: &str) -> Option<&V> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }
    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }
    /// Inserts or replaces the value of `key`, returning the value replaced.
    pub fn insert(&mut self, key: String, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The entries in key order.
    pub fn iter(&self) -> Iter<'_, V> {
        self.into_iter()
    }
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }
}

/// Iterator over a [`Map`]'s entries in key order.
pub type Iter<'a, V> =
    std::iter::Map<std::slice::Iter<'a, (String, V)>, fn(&'a (String, V)) -> (&'a String, &'a V)>;

impl<'a, V> IntoIterator for &'a Map<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = Iter<'a, V>;
    fn into_iter(self) -> Self::IntoIter {
        fn pair<V>((k, v): &(String, V)) -> (&String, &V) {
            (k, v)
        }
        self.0
            .iter()
            .map(pair as fn(&'a (String, V)) -> (&'a String, &'a V))
    }
}

impl<V> FromIterator<(String, V)> for Map<V> {
    /// Sorted by key; of two entries with the same key, the later one is kept (as a `BTreeMap`
    /// built from the same entries would).
    fn from_iter<I: IntoIterator<Item = (String, V)>>(entries: I) -> Self {
        let mut list: Vec<(String, V)> = entries.into_iter().collect();
        // Stable: equal keys stay in input order, so the last of each run is the later one.
        list.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(String, V)> = Vec::with_capacity(list.len());
        for (k, v) in list {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = v,
                _ => out.push((k, v)),
            }
        }
        out.shrink_to_fit();
        Map(out)
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Map<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Entries<V> {
            type Value = Map<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Map<V>, A::Error> {
                let mut entries = Vec::with_capacity(access.size_hint().unwrap_or(0));
                while let Some(entry) = access.next_entry::<String, V>()? {
                    entries.push(entry);
                }
                Ok(entries.into_iter().collect())
            }
        }
        deserializer.deserialize_map(Entries(PhantomData))
    }
}

impl<V: Serialize> Serialize for Map<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<T: Schema> Schema for Map<T> {
    fn ty() -> Ty {
        Ty::Map(T::ty)
    }
}

impl<T> IsEmpty for Map<T> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn reads_like_a_btree_map() {
        let text = r#"{"b": 2, "a": 1, "c": 3, "a": 4}"#;
        let m: Map<i32> = serde_json::from_str(text).unwrap();
        let b: BTreeMap<String, i32> = serde_json::from_str(text).unwrap();
        let ours: Vec<(&String, &i32)> = m.iter().collect();
        let theirs: Vec<(&String, &i32)> = b.iter().collect();
        assert_eq!(ours, theirs);
        assert_eq!(m.get("a"), Some(&4));
        assert_eq!(m.get("z"), None);
        assert!(m.contains_key("c") && !m.contains_key(""));
        assert_eq!(m.len(), 3);
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"a":4,"b":2,"c":3}"#);
        let mut m = m;
        assert_eq!(m.insert("b".into(), 7), Some(2));
        assert_eq!(m.insert("aa".into(), 5), None);
        assert_eq!(
            m.keys().map(String::as_str).collect::<Vec<_>>(),
            ["a", "aa", "b", "c"]
        );
        assert_eq!(m.values().copied().collect::<Vec<_>>(), [4, 5, 7, 3]);
        assert!(Map::<i32>::new().is_empty());
    }

    #[test]
    fn holds_only_what_was_written() {
        let m: Map<i32> = (0..3).map(|i| (i.to_string(), i)).collect();
        assert_eq!(m.0.capacity(), 3);
    }
}
