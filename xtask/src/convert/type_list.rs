//! Type lists: `type: [string, integer, null]` becomes a `oneOf` of one schema
//! per type, each carrying the keywords that apply to its type, and `nullable`.
//!
//! JSON's types are disjoint, so exactly one branch matches any value and
//! `oneOf` means what the list meant; `integer` is dropped beside `number`,
//! which already holds every integer.

use serde_json::{json, Map, Value};

use super::{fail, Result};

/// Keywords that only constrain values of one type, by that type.
const BY_TYPE: &[(&str, &[&str])] = &[
    (
        "string",
        &[
            "minLength",
            "maxLength",
            "pattern",
            "contentEncoding",
            "contentMediaType",
            "contentSchema",
        ],
    ),
    (
        "number",
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
    (
        "integer",
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
    (
        "array",
        &[
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
            "minContains",
            "maxContains",
            "unevaluatedItems",
        ],
    ),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "patternProperties",
            "minProperties",
            "maxProperties",
            "propertyNames",
            "dependentRequired",
            "dependentSchemas",
            "unevaluatedProperties",
            "discriminator",
        ],
    ),
];

/// The schema with its type list split into `oneOf`, or `None` when its
/// `type` is not a list of two or more non-null types.
pub(super) fn split(source: &Map<String, Value>, at: &str) -> Result<Option<Value>> {
    let Some(Value::Array(listed)) = source.get("type") else {
        return Ok(None);
    };
    let mut types: Vec<&str> = Vec::new();
    for t in listed {
        match t.as_str() {
            Some(name) if !types.contains(&name) => types.push(name),
            Some(_) => {}
            None => return fail(&format!("{at}/type"), "a type list holds only type names"),
        }
    }
    let nullable = types.contains(&"null");
    types.retain(|t| *t != "null");
    if types.contains(&"number") {
        types.retain(|t| *t != "integer");
    }
    if types.len() < 2 {
        let listed_types = listed.iter().filter(|t| t.as_str() != Some("null")).count();
        if listed_types == types.len() {
            return Ok(None);
        }
        // `integer` folded into `number`: the list of what is left.
        let mut narrowed = source.clone();
        let mut left: Vec<Value> = types.iter().map(|t| json!(t)).collect();
        if nullable {
            left.push(json!("null"));
        }
        narrowed.insert("type".into(), Value::Array(left));
        return Ok(Some(Value::Object(narrowed)));
    }
    let typed: Vec<&str> = BY_TYPE
        .iter()
        .flat_map(|(_, keys)| keys.iter().copied())
        .collect();
    let mut outer = Map::new();
    for (key, value) in source {
        let per_type = typed.contains(&key.as_str())
            || matches!(key.as_str(), "type" | "enum" | "const" | "format");
        if !per_type {
            outer.insert(key.clone(), value.clone());
        }
    }
    let branches: Vec<Value> = types.iter().map(|t| branch(source, t)).collect();
    if nullable {
        outer.insert("nullable".into(), json!(true));
    }
    if ["anyOf", "oneOf"].iter().any(|k| outer.contains_key(*k)) || outer.contains_key("allOf") {
        let mut all = vec![json!({"oneOf": branches})];
        if let Some(Value::Array(existing)) = outer.shift_remove("allOf") {
            all.extend(existing);
        }
        outer.insert("allOf".into(), Value::Array(all));
    } else {
        outer.insert("oneOf".into(), Value::Array(branches));
    }
    Ok(Some(Value::Object(outer)))
}

/// The schema of one type of the list.
fn branch(source: &Map<String, Value>, t: &str) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), json!(t));
    let keys = BY_TYPE
        .iter()
        .find(|(name, _)| *name == t)
        .map_or(&[][..], |(_, keys)| keys);
    for key in keys {
        if let Some(value) = source.get(*key) {
            out.insert((*key).into(), value.clone());
        }
    }
    if let Some(format) = source.get("format").and_then(Value::as_str) {
        if format_type(format).contains(&t) {
            out.insert("format".into(), json!(format));
        }
    }
    let values: Vec<&Value> = match (source.get("const"), source.get("enum")) {
        (Some(c), _) => vec![c],
        (None, Some(Value::Array(list))) => list.iter().collect(),
        _ => Vec::new(),
    };
    if source.contains_key("const") || source.contains_key("enum") {
        let own: Vec<Value> = values
            .into_iter()
            .filter(|v| json_type(v).contains(&t))
            .cloned()
            .collect();
        out.insert("enum".into(), Value::Array(own));
    }
    Value::Object(out)
}

/// The types a `format` applies to.
fn format_type(format: &str) -> &'static [&'static str] {
    match format {
        "int32" | "int64" => &["integer", "number"],
        "float" | "double" => &["number"],
        _ => &["string"],
    }
}

/// The schema types a JSON value belongs to.
fn json_type(value: &Value) -> &'static [&'static str] {
    match value {
        Value::Null => &["null"],
        Value::Bool(_) => &["boolean"],
        Value::Number(n) if n.is_i64() || n.is_u64() => &["integer", "number"],
        Value::Number(_) => &["number"],
        Value::String(_) => &["string"],
        Value::Array(_) => &["array"],
        Value::Object(_) => &["object"],
    }
}
