//! Deserializing the open tagged unions (`ChatEvent`, `ChatMessageSender`)
//! without building each object twice.
//!
//! serde's internally tagged enums buffer the whole object before they know
//! the variant, and keeping unknown tags meant buffering it once more into a
//! `serde_json::Map`. Here the fields are read once: those before the tag are
//! kept (servers put the tag first, so usually none), then a known tag hands
//! the rest of the object straight to the variant's own visitor, through the
//! externally tagged twin the generator derives. Only an unknown tag gathers
//! the object into a map, which it keeps whole.

// Which of these a client calls depends on the unions its document has: a
// client of another API may use none.
#![allow(dead_code)]

use std::marker::PhantomData;

use serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, EnumAccess, IgnoredAny, IntoDeserializer,
    MapAccess, VariantAccess, Visitor,
};
use serde::forward_to_deserialize_any;
use serde_json::{Map, Value};

/// What a tagged object turned out to be.
pub(crate) enum Tagged<K> {
    /// A tag in `known`, read as its variant of `K`.
    Known(K),
    /// Any other tag: the whole object as received.
    Unknown(Map<String, Value>),
}

/// Reads an object whose `tag` field names its variant. `K` is the
/// externally tagged twin of the union's known variants, named as `known`.
pub(crate) fn deserialize<'de, D, K>(
    deserializer: D,
    tag: &'static str,
    known: &'static [&'static str],
) -> Result<Tagged<K>, D::Error>
where
    D: Deserializer<'de>,
    K: de::Deserialize<'de>,
{
    deserializer.deserialize_map(TaggedVisitor {
        tag,
        known,
        marker: PhantomData,
    })
}

/// Reads an object whose `tag` field names its variant and whose `content`
/// field holds the variant's value (serde's adjacent tagging). `K` is the
/// externally tagged twin of the known variants. The object is read into a
/// map first: such unions are small, and the variant's value may come
/// before the tag.
pub(crate) fn deserialize_adjacent<'de, D, K>(
    deserializer: D,
    tag: &'static str,
    content: &'static str,
    known: &'static [&'static str],
) -> Result<Tagged<K>, D::Error>
where
    D: Deserializer<'de>,
    K: de::DeserializeOwned,
{
    let object = Map::<String, Value>::deserialize(deserializer)?;
    let name = match object.get(tag) {
        Some(Value::String(name)) => name.clone(),
        _ => return Err(de::Error::missing_field(tag)),
    };
    if !known.contains(&name.as_str()) {
        return Ok(Tagged::Unknown(object));
    }
    // The externally tagged form: `{"name": content}`, or `"name"` for a
    // variant without content.
    let external = match object.get(content) {
        Some(value) => Value::Object(Map::from_iter([(name, value.clone())])),
        None => Value::String(name),
    };
    K::deserialize(external)
        .map(Tagged::Known)
        .map_err(de::Error::custom)
}

/// Reads an object of a union with an OpenAPI `discriminator`: the value of
/// its `property` (which must be a string) and the whole object, which the
/// variant named by it decodes with [`variant`], tag included.
pub(crate) fn discriminated<'de, D>(
    deserializer: D,
    property: &'static str,
) -> Result<(String, Map<String, Value>), D::Error>
where
    D: Deserializer<'de>,
{
    let object = Map::<String, Value>::deserialize(deserializer)?;
    match object.get(property) {
        Some(Value::String(tag)) => Ok((tag.clone(), object)),
        Some(other) => Err(de::Error::custom(format!(
            "the discriminator `{property}` is {other}, not a string"
        ))),
        None => Err(de::Error::missing_field(property)),
    }
}

/// One variant of a discriminated union, from the whole object.
pub(crate) fn variant<T, E>(object: Map<String, Value>) -> Result<T, E>
where
    T: de::DeserializeOwned,
    E: de::Error,
{
    T::deserialize(Value::Object(object)).map_err(E::custom)
}

struct TaggedVisitor<K> {
    tag: &'static str,
    known: &'static [&'static str],
    marker: PhantomData<K>,
}

impl<'de, K: de::Deserialize<'de>> Visitor<'de> for TaggedVisitor<K> {
    type Value = Tagged<K>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "an object with a `{}` field", self.tag)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut before = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed(self.tag))? {
            let Key::Other(key) = key else {
                let value: Value = map.next_value()?;
                let Value::String(name) = value else {
                    return Err(de::Error::missing_field(self.tag));
                };
                if !self.known.contains(&name.as_str()) {
                    let mut object: Map<String, Value> = before.into_iter().collect();
                    object.insert(self.tag.to_string(), Value::String(name));
                    while let Some((key, value)) = map.next_entry::<String, Value>()? {
                        object.insert(key, value);
                    }
                    return Ok(Tagged::Unknown(object));
                }
                let rest = Rest {
                    before: before.into_iter(),
                    pending: None,
                    map,
                };
                return K::deserialize(Variant { name, rest }).map(Tagged::Known);
            };
            before.push((key, map.next_value::<Value>()?));
        }
        Err(de::Error::missing_field(self.tag))
    }
}

enum Key {
    Tag,
    Other(String),
}

/// Reads a key, allocating only for keys that are not the tag.
struct KeySeed(&'static str);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(if key == self.0 {
            Key::Tag
        } else {
            Key::Other(key.to_string())
        })
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Key, E> {
        Ok(if key == self.0 {
            Key::Tag
        } else {
            Key::Other(key)
        })
    }
}

/// The fields after the tag, preceded by any that came before it.
struct Rest<A> {
    before: std::vec::IntoIter<(String, Value)>,
    pending: Option<Value>,
    map: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Rest<A> {
    type Error = A::Error;

    fn next_key_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, A::Error> {
        match self.before.next() {
            Some((key, value)) => {
                self.pending = Some(value);
                seed.deserialize(key.into_deserializer()).map(Some)
            }
            None => self.map.next_key_seed(seed),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        match self.pending.take() {
            Some(value) => seed.deserialize(value).map_err(de::Error::custom),
            None => self.map.next_value_seed(seed),
        }
    }
}

/// The variant named by the tag, as an externally tagged enum sees it.
struct Variant<A> {
    name: String,
    rest: Rest<A>,
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for Variant<A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_enum(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de, A: MapAccess<'de>> EnumAccess<'de> for Variant<A> {
    type Error = A::Error;
    type Variant = Rest<A>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Rest<A>), A::Error> {
        let name = seed.deserialize(self.name.into_deserializer())?;
        Ok((name, self.rest))
    }
}

impl<'de, A: MapAccess<'de>> VariantAccess<'de> for Rest<A> {
    type Error = A::Error;

    fn unit_variant(mut self) -> Result<(), A::Error> {
        // A variant without fields ignores any the server sends, like the others.
        while self.next_key_seed(PhantomData::<IgnoredAny>)?.is_some() {
            self.next_value_seed(PhantomData::<IgnoredAny>)?;
        }
        Ok(())
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, A::Error> {
        seed.deserialize(de::value::MapAccessDeserializer::new(self))
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, A::Error> {
        Err(de::Error::invalid_type(
            de::Unexpected::Map,
            &"a tuple variant",
        ))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_map(self)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// An adjacently tagged union's known variants, as the rewrites derive
    /// their twin (externally tagged).
    #[derive(serde::Deserialize, Debug, PartialEq)]
    enum ActionKnown {
        #[serde(rename = "send_emails")]
        SendEmails { email_body: String },
        #[serde(rename = "noop")]
        Noop,
    }

    fn action(value: serde_json::Value) -> super::Tagged<ActionKnown> {
        super::deserialize_adjacent(value, "type", "data", &["send_emails", "noop"]).unwrap()
    }

    #[test]
    fn an_adjacently_tagged_variant_reads_its_content_field() {
        let read = action(json!({"data": {"email_body": "hi"}, "type": "send_emails"}));
        assert!(
            matches!(read, super::Tagged::Known(ActionKnown::SendEmails { email_body }) if email_body == "hi")
        );
        assert!(matches!(
            action(json!({"type": "noop"})),
            super::Tagged::Known(ActionKnown::Noop)
        ));
        let unknown = json!({"type": "fax", "data": {"to": 1}});
        assert!(
            matches!(action(unknown.clone()), super::Tagged::Unknown(ref o) if serde_json::Value::Object(o.clone()) == unknown)
        );
    }

    use crate::types::{ChatEvent, ChatMessageSender};

    fn both(value: serde_json::Value) -> [Result<ChatEvent, serde_json::Error>; 2] {
        [
            serde_json::from_slice(&serde_json::to_vec(&value).unwrap()),
            serde_json::from_value(value),
        ]
    }

    #[test]
    fn the_tag_may_come_anywhere_in_the_object() {
        let event = json!({"sender": {"name": "Otto", "type": "ai"}, "attachments": [],
                           "type": "message", "content": {"type": "text", "text": "hi"}});
        for read in both(event) {
            let ChatEvent::Message {
                sender, content, ..
            } = read.unwrap()
            else {
                panic!("a message")
            };
            assert!(matches!(sender, ChatMessageSender::Ai { name: Some(n) } if n == "Otto"));
            assert_eq!(content.text, "hi");
        }
    }

    #[test]
    fn a_variant_without_fields_ignores_the_fields_it_is_sent() {
        for read in both(json!({"type": "agent_changed", "by": {"nested": [1, 2]}})) {
            assert!(matches!(read.unwrap(), ChatEvent::AgentChanged));
        }
    }

    #[test]
    fn an_unknown_tag_keeps_the_whole_object_and_a_missing_one_is_named() {
        let event = json!({"before": 1, "type": "brand_new", "after": {"x": true}});
        for read in both(event.clone()) {
            let ChatEvent::Unknown(object) = read.unwrap() else {
                panic!("unknown")
            };
            assert_eq!(serde_json::Value::Object(object), event);
        }
        for read in both(json!({"human_agent_id": 1})) {
            assert!(read
                .unwrap_err()
                .to_string()
                .contains("missing field `type`"));
        }
        for read in both(json!({"type": "human_agent_joined"})) {
            let error = read.unwrap_err().to_string();
            assert!(error.contains("human_agent_id"), "{error}");
        }
    }
}
