//! One walk of a document for its identifiers and references, reading
//! values (examples, defaults) as values.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::pointer::join;

/// What one walk of the document finds: every schema's `$id` (resolved
/// against the enclosing `$id`, and as written) and `$anchor`, with the JSON
/// pointer where it stands; and every `$ref` with its pointer and the base URI
/// it is resolved against.
#[derive(Default)]
pub(super) struct Found {
    pub(super) ids: BTreeMap<String, String>,
    pub(super) refs: Vec<(String, String, String)>,
}

/// Keys whose values are data (an example, a default, enum values,
/// extensions), not schemas or references: a `$ref` in them is a value (a
/// SCIM resource's own `$ref` field in an example), never followed.
pub(super) fn is_data(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

/// Keys whose values are maps from names to schemas or objects: every key
/// there is a name (a property called `example`), none is data.
pub(super) fn names_things(key: &str) -> bool {
    matches!(
        key,
        "properties"
            | "patternProperties"
            | "$defs"
            | "definitions"
            | "dependentSchemas"
            | "schemas"
            | "parameters"
            | "responses"
            | "headers"
            | "content"
            | "encoding"
            | "requestBodies"
            | "securitySchemes"
            | "callbacks"
            | "pathItems"
            | "paths"
            | "links"
    )
}

pub(super) fn walk(value: &Value, at: &str, base: &str, found: &mut Found) {
    walk_in(value, at, base, false, found);
}

/// `names`: the keys of `value` are names, not keywords.
fn walk_in(value: &Value, at: &str, base: &str, names: bool, found: &mut Found) {
    match value {
        Value::Object(map) => {
            let mut base = base.to_string();
            if !names {
                if let Some(id) = map.get("$id").and_then(Value::as_str) {
                    if !id.starts_with('#') {
                        base = resolve_uri(&base, id);
                        found.ids.insert(base.clone(), at.to_string());
                        found.ids.insert(id.to_string(), at.to_string());
                    }
                }
                if let Some(anchor) = map.get("$anchor").and_then(Value::as_str) {
                    found.ids.insert(format!("{base}#{anchor}"), at.to_string());
                }
                if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                    found
                        .refs
                        .push((at.to_string(), base.clone(), reference.to_string()));
                }
            }
            for (key, child) in map {
                if !names && is_data(key) {
                    continue;
                }
                let child_names = !names && names_things(key);
                walk_in(child, &join(at, key), &base, child_names, found);
            }
        }
        Value::Array(list) => {
            for (i, child) in list.iter().enumerate() {
                walk_in(child, &join(at, &i.to_string()), base, false, found);
            }
        }
        _ => {}
    }
}

/// RFC 3986 reference resolution, for the forms schema ids take: an absolute
/// URI replaces the base; a path replaces the base's last segment.
pub(super) fn resolve_uri(base: &str, reference: &str) -> String {
    if reference.contains("://") || base.is_empty() {
        return reference.to_string();
    }
    let base = base.split('#').next().unwrap_or(base);
    if let Some(rest) = reference.strip_prefix('#') {
        return format!("{base}#{rest}");
    }
    if reference.starts_with('/') {
        let origin_end = base
            .find("://")
            .and_then(|s| base[s + 3..].find('/').map(|p| s + 3 + p))
            .unwrap_or(base.len());
        return format!("{}{reference}", &base[..origin_end]);
    }
    match base.rfind('/') {
        Some(slash) => format!("{}{reference}", &base[..=slash]),
        None => reference.to_string(),
    }
}
