//! serde's `Deserializer` for the spanned tree, so typed model structs are decoded straight
//! from the parsed document, with no intermediate JSON value. Used on the fast path, when the
//! schema walk found nothing to prune.

use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use super::node::{Entry, Node, Value};

#[derive(Debug)]
pub struct DeError(String);

impl std::fmt::Display for DeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        DeError(msg.to_string())
    }
}

impl<'de> de::Deserializer<'de> for &'de Node {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Int(i) => visitor.visit_i64(*i),
            Value::Float(f) => visitor.visit_f64(*f),
            Value::Str(s) => visitor.visit_borrowed_str(s),
            Value::Seq(items) => visitor.visit_seq(Seq(items.iter())),
            Value::Map(entries) => visitor.visit_map(Map {
                iter: entries.iter(),
                value: None,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.value {
            Value::Str(s) => {
                let d: StrDeserializer<'_, DeError> = s.as_str().into_deserializer();
                visitor.visit_enum(d)
            }
            _ => Err(de::Error::custom(format!(
                "expected a string enum value, found {}",
                self.kind_name()
            ))),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// Null items and null map values are skipped: the schema walk treats them as absent (it
/// reports them first where a kind's schema forbids them), and every model field has a default.
struct Seq<'de>(std::slice::Iter<'de, Node>);

impl<'de> SeqAccess<'de> for Seq<'de> {
    type Error = DeError;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        self.0
            .by_ref()
            .find(|n| n.value != Value::Null)
            .map(|n| seed.deserialize(n))
            .transpose()
    }
    /// The exact count, so decoded lists are allocated at their size (a `Vec` grown one
    /// element at a time keeps room for four: for the model's large structs, most of its memory).
    fn size_hint(&self) -> Option<usize> {
        Some(
            self.0
                .as_slice()
                .iter()
                .filter(|n| n.value != Value::Null)
                .count(),
        )
    }
}

struct Map<'de> {
    iter: std::slice::Iter<'de, Entry>,
    value: Option<&'de Node>,
}

impl<'de> MapAccess<'de> for Map<'de> {
    type Error = DeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.iter.by_ref().find(|e| e.value.value != Value::Null) {
            Some(e) => {
                self.value = Some(&e.value);
                let key: de::value::BorrowedStrDeserializer<'de, DeError> =
                    de::value::BorrowedStrDeserializer::new(&e.key);
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        match self.value.take() {
            Some(n) => seed.deserialize(n),
            None => Err(de::Error::custom("value requested before key")),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::load::yaml::parse_stream;
    use crate::model::networking::VirtualService;
    use serde::Deserialize;

    #[test]
    fn decodes_typed_structs_from_the_tree() {
        let text = "hosts: [a]\nhttp:\n- name: r\n  match:\n  - uri: {prefix: /x}\n  route:\n  - destination: {host: a, port: {number: 80}}\n    weight: 10\n  timeout: 1s\n  redirect: {derivePort: FROM_REQUEST_PORT}\n";
        let mut root = None;
        parse_stream(text, 0, |d| root = d.root);
        let root = root.unwrap();
        let vs = VirtualService::deserialize(&root).unwrap();
        assert_eq!(vs.hosts, vec!["a".to_string()]);
        let http = &vs.http[0];
        assert_eq!(http.route[0].weight, Some(10));
        assert_eq!(http.timeout.as_ref().unwrap().0, "1s");
        assert_eq!(
            http.redirect.as_ref().unwrap().derive_port,
            Some(crate::model::networking::virtual_service::RedirectPortSelection::FromRequestPort)
        );
        let json: serde_json::Value = serde_json::Value::deserialize(&root).unwrap();
        assert_eq!(json, root.to_json());
    }
}
