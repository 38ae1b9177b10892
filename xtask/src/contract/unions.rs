//! The tagged unions a response holds (history events, message senders), and
//! where: the generated tests assert that the mock server's answers showed
//! every variant, each read as a known one.

use std::collections::BTreeMap;

use serde_json::Value;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// A named `oneOf` whose variants are told apart by one string property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Union {
    /// The component (and Rust type) name.
    pub name: String,
    /// The property holding the tag.
    pub tag: String,
    /// Where it occurs in the response: property names and `*` for list items,
    /// joined by `/`.
    pub paths: Vec<String>,
    /// Every tag, in document order.
    pub tags: Vec<String>,
    /// The Rust variant that keeps unknown tags (filled in from the client).
    pub unknown: String,
}

/// Follows a `$ref` (and a lone `allOf` around one) to the schema it names.
pub fn resolve<'d>(doc: &'d Value, schema: &'d Value) -> &'d Value {
    if let Some(name) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix(SCHEMA_PREFIX))
    {
        return doc
            .pointer(&format!("/components/schemas/{name}"))
            .map_or(schema, |s| resolve(doc, s));
    }
    match schema
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([one]) => resolve(doc, one),
        _ => schema,
    }
}

/// Every tagged union reachable from `schema`, with the paths it occurs at.
pub fn tagged_unions(doc: &Value, schema: &Value) -> Vec<Union> {
    let mut found: BTreeMap<String, Union> = BTreeMap::new();
    walk(doc, schema, "", &mut Vec::new(), &mut found);
    found.into_values().collect()
}

fn walk(
    doc: &Value,
    schema: &Value,
    path: &str,
    visiting: &mut Vec<String>,
    found: &mut BTreeMap<String, Union>,
) {
    let name = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix(SCHEMA_PREFIX));
    if let Some(name) = name {
        // A recursive type is walked once per path, not forever.
        if visiting.iter().any(|v| v == name) {
            return;
        }
        visiting.push(name.to_string());
        let target = resolve(doc, schema);
        if let Some((tag, tags)) = tag_of(doc, target) {
            let union = found.entry(name.to_string()).or_insert_with(|| Union {
                name: name.to_string(),
                tag,
                paths: Vec::new(),
                tags,
                unknown: "Unknown".into(),
            });
            union.paths.push(path.to_string());
        }
        walk(doc, target, path, visiting, found);
        visiting.pop();
        return;
    }
    let child = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}/{key}")
        }
    };
    for (key, sub) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        walk(doc, sub, &child(key), visiting, found);
    }
    if let Some(items) = schema.get("items") {
        walk(doc, items, &child("*"), visiting, found);
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        for sub in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            walk(doc, sub, path, visiting, found);
        }
    }
}

/// `(tag property, tags)` when every `oneOf` variant fixes the same string
/// property to one value.
fn tag_of(doc: &Value, schema: &Value) -> Option<(String, Vec<String>)> {
    let variants = schema.get("oneOf")?.as_array()?;
    let mut tag: Option<String> = None;
    let mut tags = Vec::new();
    for variant in variants {
        let properties = resolve(doc, variant).get("properties")?.as_object()?;
        let (key, value) =
            properties
                .iter()
                .find_map(|(key, p)| match p.get("enum")?.as_array()?.as_slice() {
                    [Value::String(one)] => Some((key, one)),
                    _ => None,
                })?;
        if tag.get_or_insert_with(|| key.clone()) != key {
            return None;
        }
        tags.push(value.clone());
    }
    Some((tag?, tags))
}
