//! The tagged unions a response holds (history events, message senders), and
//! where: the generated tests assert that the mock server's answers showed
//! every variant, each read as a known one.

use std::collections::{BTreeMap, BTreeSet};

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

/// Follows a `$ref` (and a lone `allOf` around one) to the schema it names;
/// a chain that comes back to itself (no type at all: the screen leaves it
/// out) ends where it turns.
pub fn resolve<'d>(doc: &'d Value, schema: &'d Value) -> &'d Value {
    let mut current = schema;
    let mut seen: Vec<*const Value> = Vec::new();
    loop {
        if seen.contains(&(current as *const Value)) {
            return current;
        }
        seen.push(current);
        if let Some(name) = current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix(SCHEMA_PREFIX))
        {
            match doc.pointer(&format!("/components/schemas/{name}")) {
                Some(target) => current = target,
                None => return current,
            }
            continue;
        }
        match current
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            Some([one]) => current = one,
            _ => return current,
        }
    }
}

/// Every tagged union reachable from `schema`, with the paths it occurs at.
///
/// Each named schema is walked into once (a union is still recorded at
/// every place that refers to it): walking every path through a graph of
/// schemas that refer to each other is exponential (a 148-operation OOXML
/// API never finished).
pub fn tagged_unions(doc: &Value, schema: &Value) -> Vec<Union> {
    let mut found: BTreeMap<String, Union> = BTreeMap::new();
    walk(doc, schema, "", &mut BTreeSet::new(), &mut found);
    found.into_values().collect()
}

fn walk(
    doc: &Value,
    schema: &Value,
    path: &str,
    walked: &mut BTreeSet<String>,
    found: &mut BTreeMap<String, Union>,
) {
    let name = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix(SCHEMA_PREFIX));
    if let Some(name) = name {
        let target = resolve(doc, schema);
        if let Some((tag, tags)) = tag_of(doc, target) {
            let union = found.entry(name.to_string()).or_insert_with(|| Union {
                name: name.to_string(),
                tag,
                paths: Vec::new(),
                tags,
                unknown: "Unknown".into(),
            });
            if !union.paths.iter().any(|p| p == path) {
                union.paths.push(path.to_string());
            }
        }
        if walked.insert(name.to_string()) {
            walk(doc, target, path, walked, found);
        }
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
        walk(doc, sub, &child(key), walked, found);
    }
    if let Some(items) = schema.get("items") {
        walk(doc, items, &child("*"), walked, found);
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        for sub in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            walk(doc, sub, path, walked, found);
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
